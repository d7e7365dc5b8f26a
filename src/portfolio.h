/* portfolio.h - 人材ポートフォリオ: how many people stand at each level of each
 * specialization in a cycle, and how the level of each person moved against
 * another cycle. Counting only: the levels come from the caller (the engine's
 * under the built-in policy, from the results cache or evaluated), the lists
 * from the store. Below the faces: the HR pages and API count with it (through
 * web_hr_data.c), a command or an in-memory org view may too. */
#ifndef ITSS_PORTFOLIO_H
#define ITSS_PORTFOLIO_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

typedef struct portfolio {
    size_t n_specs;
    int n_levels;             /* columns: level 0 (未到達) .. the catalog's highest */
    int *counts;              /* n_specs * n_levels, row by row */
    long assessed;            /* assessments counted */
    long no_level;            /* of them, at 未到達 in every specialization */
    int64_t compare_cycle_id; /* 0: no movement asked */
    int *up, *same, *down;    /* per specialization, people assessed in both cycles and
                                 at a level (not 未到達) in at least one of them */
    long compared;            /* people assessed in both cycles */
    int self_levels;          /* the caller's note: 1 the levels counted are self-assessed, 0 official */
} portfolio;

/* Starts an empty portfolio of n_specs specializations and n_levels columns
 * (zeroed counts on the heap; aborts when out of memory). Free with
 * portfolio_free. */
void portfolio_init(portfolio *p, size_t n_specs, int n_levels);
void portfolio_free(portfolio *p);

/* Counts the assessments of now; levels holds n_specs levels per assessment,
 * in the list's order (a first level of -1: another catalog version, left out). */
void portfolio_count(portfolio *p, const store_assessment_list *now, const int *levels);

/* Counts the movement per specialization of the people assessed in both now
 * and before (both lists in employee-number order, as the store lists them),
 * with their levels as for portfolio_count. */
void portfolio_compare(portfolio *p, const store_assessment_list *now, const int *levels_now,
                       const store_assessment_list *before, const int *levels_before);

/* Which of the portfolio's numbers a list of people is asked for (a drill-down):
 * the people that number counted, exactly. */
enum { PORTFOLIO_REACHED = -2 };     /* level: any level above 未到達 (the row's total) */
typedef enum portfolio_pick_what {
    PORTFOLIO_PICK_ASSESSED,          /* every assessment counted */
    PORTFOLIO_PICK_NO_LEVEL,          /* ... at 未到達 in every specialization */
    PORTFOLIO_PICK_CELL,              /* spec at level (or PORTFOLIO_REACHED) */
    PORTFOLIO_PICK_MOVE,              /* spec moved by `move` (+1 up, 0 same, -1 down) since before */
    PORTFOLIO_PICK_FLOW,              /* in both cycles, spec at `from` before and at `level` now */
    PORTFOLIO_PICK_JOINED,            /* counted now only, spec at `level` */
    PORTFOLIO_PICK_LEFT               /* counted before only, spec at `level` (rows of before) */
} portfolio_pick_what;

typedef struct portfolio_pick {
    portfolio_pick_what what;
    int spec;                         /* CELL, MOVE: index in catalog order */
    int level;                        /* CELL */
    int move;                         /* MOVE */
    int from;                         /* FLOW */
} portfolio_pick;

/* Marks in taken (now->count bytes; before->count for LEFT, whose rows are
 * before's) the rows that p's number `pick` counts, by the same rules as
 * portfolio_count and portfolio_compare (and for FLOW, JOINED and LEFT as
 * orgcols_flow_count pairs the cycles: by person, counted in both) (before and
 * levels_before for MOVE, FLOW, JOINED, LEFT; may be NULL otherwise), and
 * returns how many. */
size_t portfolio_select(const portfolio *p, const portfolio_pick *pick, const store_assessment_list *now,
                        const int *levels_now, const store_assessment_list *before, const int *levels_before,
                        unsigned char *taken);

#endif
