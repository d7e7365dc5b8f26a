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

#endif
