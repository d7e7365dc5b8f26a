/* orgcols.h - the organization held in memory, column by column, for views
 * over every person (the HR portfolio, levels by org unit, the skill map,
 * knowledge coverage, talent search, level flow) at 100,000 people and more.
 *
 * Per assessment: its person, cycle, status, the person's org unit, the level
 * reached in each specialization by the self rating (under one policy), the
 * official level of each (a certificate valid today, else the approval in
 * force), the proficiency level of each skill area per specialization and the
 * self rating of every knowledge item (4 bits each). Self levels come from the
 * kept results of the store (the `result` table, under the policy's key
 * "id@version"; an assessment without them is evaluated once and its results
 * kept); proficiency and ratings from the packed answers, through
 * engine_evaluate_areas. orgcols_refresh brings the columns up to date by
 * reading only the assessments whose revision moved since the last refresh
 * (store_assessment_changes), so that a view costs a pass over a few arrays,
 * never an evaluation of everyone. People per unit are read at every refresh
 * (one grouped count), the unit tree too.
 *
 * Not thread-safe: one caller at a time (the web server holds a lock around
 * refresh and reads). An orgcols reads the catalog and the policy, which must
 * outlive it. Every view returns arrays the caller frees with the view's
 * *_free, and 0, or -1 with *e (views taking no err only fail on a bad
 * argument: -1). */
#ifndef ITSS_ORGCOLS_H
#define ITSS_ORGCOLS_H

#include <stddef.h>
#include <stdint.h>
#include "catalog.h"
#include "policy.h"
#include "portfolio.h"
#include "store.h"

#define ORGCOLS_MAX_SPECS 16

typedef struct orgcols orgcols;

/* Empty columns for cat and pol (nothing read yet). The caller frees it with
 * orgcols_free. */
orgcols *orgcols_new(const catalog *cat, const policy *pol);
void orgcols_free(orgcols *oc);

/* Before the first refresh: hold levels only (self and official), no
 * proficiency or ratings; the views that need them then answer -1. For
 * readers of levels alone (itss export levels). */
void orgcols_levels_only(orgcols *oc);

/* Reads what changed in db since the last refresh (everything the first time),
 * evaluating and keeping the results of assessments that have none. Writes kept
 * results in its own transactions, so no transaction of the caller may be open.
 * Official levels are as of today (local date); when the date has changed
 * since the last refresh, every official level is read again.
 * 0, or -1 with *e (the columns then stay as they were before the call's
 * failing assessment). */
int orgcols_refresh(orgcols *oc, store *db, err *e);
/* The same with today given (YYYY-MM-DD), for tests and benchmarks. */
int orgcols_refresh_on(orgcols *oc, store *db, const char *today, err *e);

/* How many assessments the columns hold, and the bytes they take. */
size_t orgcols_count(const orgcols *oc);
size_t orgcols_bytes(const orgcols *oc);
/* The bytes the columns take per assessment held (for a limit checked before
 * the first refresh: orgcols_bytes_for(oc, assessments)). */
size_t orgcols_bytes_for(const orgcols *oc, size_t assessments);

/* The levels held for assessment id, one per specialization in catalog order
 * (-1: an assessment against another catalog version): 1, or 0 when the
 * columns hold no such assessment. */
int orgcols_levels(const orgcols *oc, int64_t assessment_id, int *levels);
/* How many assessments held are of another catalog version (their levels
 * -1), their ids into ids[0..max). */
size_t orgcols_foreign(const orgcols *oc, int64_t *ids, size_t max);
/* Its official levels (-1: none) and which come from a certificate (bit s). */
int orgcols_official(const orgcols *oc, int64_t assessment_id, int *levels, unsigned *certified);
/* Its proficiency level of skill area `area` (catalog_area_at index) as
 * specialization `spec` describes it, and its self rating of knowledge item
 * item_id; -1 when the specialization has no such area, the item is unrated
 * or no knowledge item, or the columns hold no such assessment. */
int orgcols_proficiency(const orgcols *oc, int64_t assessment_id, size_t spec, size_t area);
int orgcols_rating(const orgcols *oc, int64_t assessment_id, const char *item_id);

/* ---- The views (orgcols_views.c) ---------------------------------------- */

/* Which levels a view reads. */
typedef enum orgcols_kind { ORGCOLS_SELF, ORGCOLS_OFFICIAL } orgcols_kind;

/* What every view counts: the assessments of one cycle whose person is in a
 * unit or below it now. Proficiency and knowledge are the self ratings. */
typedef struct orgcols_scope {
    int64_t cycle_id;          /* required */
    int64_t org_unit_id;       /* 0: everyone; else that unit and every unit below it */
    int approved_only;         /* ORGCOLS_SELF: only approved assessments */
    orgcols_kind kind;         /* self-assessed (the engine on the self ratings) or official
                                  (a certificate valid today, else the approval in force;
                                  an assessment without any counts as not assessed) */
} orgcols_scope;

/* The 人材ポートフォリオ counts of one cycle, as web_hr_portfolio_count gives
 * them: people per specialization and level, and against compare_cycle_id (0:
 * none) how many moved up, stayed, moved down. */
typedef struct orgcols_portfolio {
    size_t n_specs;
    int n_levels;              /* levels 0 .. n_levels - 1 */
    int64_t *counts;           /* n_specs × n_levels */
    int64_t assessed;          /* assessments counted (of the catalog) */
    int64_t no_level;          /* of them, reaching no level in any specialization */
    int64_t compared;          /* people in both cycles */
    int64_t *up, *same, *down; /* per specialization */
} orgcols_portfolio;

/* Self-assessed levels of the assessments of cycle_id whose person is in
 * org_unit_id or a unit below it (0: everyone), approved ones only when
 * approved_only (orgcols_portfolio_scope with kind ORGCOLS_SELF). */
int orgcols_portfolio_count(const orgcols *oc, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                            int64_t compare_cycle_id, orgcols_portfolio *out);
/* The same for any scope (official levels: approved_only is ignored). */
int orgcols_portfolio_scope(const orgcols *oc, const orgcols_scope *sc, int64_t compare_cycle_id,
                            orgcols_portfolio *out);
void orgcols_portfolio_free(orgcols_portfolio *p);

/* 1. Levels by org unit. */
typedef struct orgcols_unit_levels {
    int64_t unit_id;           /* a child unit of the scope's unit (its whole subtree counted),
                                  or the scope's unit itself with direct = 1 (its own members only) */
    int direct;
    int64_t people;            /* people in it now */
    int64_t assessed;          /* counted in counts (official: with an official level) */
    int64_t not_assessed;      /* people - assessed */
    int64_t *counts;           /* n_specs × n_levels, [s * n_levels + level]; level 0 = 未到達 */
} orgcols_unit_levels;

typedef struct orgcols_by_unit {
    size_t n_specs;
    int n_levels;              /* levels 0 .. n_levels - 1 */
    size_t n_units;
    orgcols_unit_levels *units;/* the direct row first (when the scope has a unit), then the
                                  children in tree order; scope unit 0: the top units */
    orgcols_unit_levels total; /* the whole scope */
} orgcols_by_unit;

int orgcols_levels_by_unit(const orgcols *oc, const orgcols_scope *sc, orgcols_by_unit *out);

/* Levels of every unit (orgcols_status.c): its own members (own) and its whole
 * subtree (tree), for the scope's cycle and kind (its unit ignored: a unit's
 * subtree does not depend on it), and the rows of people without a unit. The
 * one count the org view's rows (orgcols_levels_by_unit) and the org report's
 * table along the tree (report_org.h) both read. */
typedef struct orgcols_unit_tree {
    size_t n_units;
    int64_t *unit_ids;         /* every unit, sorted by id */
    orgcols_unit_levels *own;  /* per unit: its own members (direct = 1) */
    orgcols_unit_levels *tree; /* per unit: it and every unit below it */
    orgcols_unit_levels none;  /* people without a unit */
    size_t n_specs;
    int n_levels;
} orgcols_unit_tree;

int orgcols_levels_tree(const orgcols *oc, const orgcols_scope *sc, orgcols_unit_tree *out);
/* The subtree row of unit id (own: its own members), NULL when no such unit. */
const orgcols_unit_levels *orgcols_tree_unit(const orgcols_unit_tree *t, int64_t id, int own);
void orgcols_unit_tree_free(orgcols_unit_tree *t);
void orgcols_by_unit_free(orgcols_by_unit *u);

/* 2. Proficiency by unit × skill area (the skill map). */
typedef struct orgcols_grid {
    size_t n_rows;             /* units as in orgcols_by_unit (same order), then one total row */
    int64_t *unit_ids;         /* n_rows; the total row has 0 */
    int *direct;               /* n_rows */
    int64_t *people;           /* n_rows: assessments counted */
    size_t n_areas;            /* catalog_area_count(), catalog order */
    int n_levels;              /* proficiency levels 0 .. n_levels - 1 (0: none reached) */
    int64_t *counts;           /* n_rows × n_areas × n_levels: [(row * n_areas + a) * n_levels + l] */
    unsigned char *has_area;   /* n_areas: 0 when `spec` has no such area (its counts all 0) */
} orgcols_grid;

/* spec: the specialization (catalog index) whose description of each area
 * counts; -1: per person the highest over the specializations. */
int orgcols_proficiency_by_unit(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_grid *out);
void orgcols_grid_free(orgcols_grid *g);

/* 3. Knowledge coverage by unit × area, or × category of one area. */
typedef struct orgcols_cov_cell {
    int64_t items;             /* item slots: assessments × items of the column */
    int64_t rated;             /* of them rated at all */
    int64_t covered;           /* rated at or above the policy's knowledge_min_rating */
    int64_t rating_sum;        /* sum of the ratings given: mean = rating_sum / rated */
} orgcols_cov_cell;

typedef struct orgcols_cov_column {
    const catalog_area *area;
    const catalog_knowledge_category *category;   /* NULL: the whole area */
    const catalog_spec *owner;                    /* the category's specialization or common block */
} orgcols_cov_column;

typedef struct orgcols_coverage {
    size_t n_rows;             /* units as in orgcols_by_unit, then the total row */
    int64_t *unit_ids;
    int *direct;
    int64_t *people;
    size_t n_cols;
    orgcols_cov_column *cols;
    orgcols_cov_cell *cells;   /* n_rows × n_cols: [row * n_cols + col] */
    int min_rating;
} orgcols_coverage;

/* Columns: every area (area NULL), or the knowledge categories of area. spec:
 * the items of that specialization (with the common blocks it shares); -1:
 * every specialization's and block's items. */
int orgcols_coverage_by_unit(const orgcols *oc, const orgcols_scope *sc, int spec, const catalog_area *area,
                             orgcols_coverage *out);
/* The same with the knowledge categories of every area as columns (area by
 * area, in item order): one pass for a unit's weakest categories. */
int orgcols_coverage_categories(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_coverage *out);
/* The coverage by area (as orgcols_coverage_by_unit with area NULL and the
 * same spec) added up from a coverage by category: no second pass. */
void orgcols_coverage_areas_of(const orgcols *oc, const orgcols_coverage *cats, orgcols_coverage *out);
/* The columns of area's categories taken from a coverage by category (as
 * orgcols_coverage_by_unit with that area and the same spec). -1 when area is
 * not one of the columns' catalog. */
int orgcols_coverage_of_area(const orgcols *oc, const orgcols_coverage *cats, const catalog_area *area,
                             orgcols_coverage *out);
/* The skill map in one pass (orgcols_skillmap.c): proficiency by unit × area
 * into grid (as orgcols_proficiency_by_unit) and knowledge coverage by unit ×
 * category of every area into cats (as orgcols_coverage_categories); either
 * may be NULL. Every coverage view is taken from the categories' counts, so
 * all of them agree. 0, or -1 for a spec out of range or levels-only columns. */
int orgcols_skillmap(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_grid *grid, orgcols_coverage *cats);
void orgcols_coverage_free(orgcols_coverage *c);
/* out[i] = 1 when unit ids[i] has units below it in the unit tree as of the
 * last refresh, else 0 (also for no such unit). */
void orgcols_units_have_children(const orgcols *oc, const int64_t *ids, size_t n, unsigned char *out);
/* The catalog the columns were made for (its areas are the pointers views
 * compare). */
const catalog *orgcols_catalog(const orgcols *oc);

/* 4. Talent search: people matching every condition. */
typedef enum orgcols_cond_kind {
    ORGCOLS_COND_LEVEL,        /* spec's (-1: any) level >= at_least, levels self|official */
    ORGCOLS_COND_PROFICIENCY,  /* area's proficiency >= at_least in spec (-1: any specialization) */
    ORGCOLS_COND_ITEM,         /* knowledge item element_id rated >= at_least */
    ORGCOLS_COND_CATEGORY,     /* knowledge category element_id: share % (1..100; 0 = 100) of its
                                  items rated >= at_least */
    ORGCOLS_COND_CERTIFIED,    /* a certificate valid today for spec (-1: any) at a level >= at_least */
    ORGCOLS_COND_WORD          /* an experience record mentions element_id (as orgcols_mentions) */
} orgcols_cond_kind;

typedef struct orgcols_cond {
    orgcols_cond_kind kind;
    int spec;
    orgcols_kind levels;
    const catalog_area *area;
    const char *element_id;
    int at_least;
    int share;
} orgcols_cond;

typedef struct orgcols_person {
    int64_t person_id, assessment_id, unit_id;
    int self[ORGCOLS_MAX_SPECS];      /* per specialization in catalog order */
    int official[ORGCOLS_MAX_SPECS];  /* -1: none */
    unsigned certified;               /* bit s: official[s] from a certificate (orgcols_pick fills it) */
} orgcols_person;

typedef struct orgcols_people {
    orgcols_person *items;     /* the page asked for, by person id ascending */
    size_t count;
    size_t total;              /* every match */
} orgcols_people;

/* The people of sc (its kind and approved_only ignored: conditions say which
 * levels) matching all conds (none: everyone in scope); items [offset,
 * offset + limit) of the matches. -1 with *e naming a condition
 * ("conditions[2].element_id": no such knowledge item) that cannot be used. */
int orgcols_talent(const orgcols *oc, const orgcols_scope *sc, const orgcols_cond *conds, size_t n_conds,
                   size_t offset, size_t limit, orgcols_people *out, err *e);
void orgcols_people_free(orgcols_people *p);

/* Talent search's "experience records mentioning a word" (orgcols_words.c):
 * hit[i] = 1 when person persons[i] has a record whose project, role or
 * description contains word, else 0. '%' and '_' are letters like any other;
 * ASCII letters match in either case, every other character as typed; the
 * same on every backend (the records' words are held beside the columns and
 * read again for the people whose assessments changed). 0, or -1 with *e (a
 * word empty or longer than STORE_WORD_MAX bytes is refused naming "word";
 * levels-only columns hold no words). */
int orgcols_mentions(const orgcols *oc, const char *word, const int64_t *persons, size_t n, unsigned char *hit,
                     err *e);

/* 5. Year-on-year movement (level flow) against compare_cycle_id. */
typedef struct orgcols_flow {
    size_t n_specs;
    int n_levels;
    int64_t *moves;            /* n_specs × n_levels × n_levels: [(s * n_levels + from) * n_levels + to],
                                  people counted in both cycles (from: compare cycle, to: scope cycle) */
    int64_t *up, *same, *down; /* per spec; 未到達 both times not counted (as the portfolio) */
    int64_t *entered;          /* n_specs × n_levels: counted in the scope cycle only, by level */
    int64_t *left;             /* n_specs × n_levels: counted in the compare cycle only, by level */
    int64_t compared;
} orgcols_flow;

int orgcols_flow_count(const orgcols *oc, const orgcols_scope *sc, int64_t compare_cycle_id, orgcols_flow *out);
void orgcols_flow_free(orgcols_flow *f);

/* 6. Assessments by status per unit (orgcols_status.c): the campaign's
 * progress. Units as in orgcols_levels_by_unit (the scope's own members first
 * when it has a unit, then each child with everything below it; scope 0: the
 * top units), then the scope's total (people without a unit counted there for
 * the whole organization). Every assessment of the cycle counts, of any
 * catalog version. */
typedef struct orgcols_status_units {
    size_t n_units;
    int64_t *unit_ids;         /* n_units */
    int *direct;               /* n_units */
    int64_t *people;           /* n_units + 1: people in it now; [n_units] the total */
    int64_t *counts;           /* (n_units + 1) × ASSESSMENT_STATUS_COUNT: [row * ASSESSMENT_STATUS_COUNT + status] */
} orgcols_status_units;

int orgcols_status_by_unit(const orgcols *oc, int64_t cycle_id, int64_t org_unit_id, orgcols_status_units *out);
void orgcols_status_units_free(orgcols_status_units *s);

/* People of the scope whose level (sc->kind) of specialization spec is at
 * least `level`: what a staffing target (targets.h) counts as actual. */
int64_t orgcols_at_least(const orgcols *oc, const orgcols_scope *sc, size_t spec, int level);


/* 7. The people behind a number (orgcols_pick.c): the drill-down of the
 * portfolio, its movement and the level flow, picked by portfolio.h's rules
 * (pick), sorted and paginated here so that a page reads only its own rows
 * from the store. */
typedef enum orgcols_sort {
    ORGCOLS_SORT_NUMBER,       /* employee number */
    ORGCOLS_SORT_NAME,         /* name, then employee number */
    ORGCOLS_SORT_UNIT,         /* unit_rank of the person's unit, then employee number */
    ORGCOLS_SORT_LEVEL         /* level of the pick's specialization (the first for none), then number */
} orgcols_sort;

typedef struct orgcols_order {
    orgcols_sort by;
    int desc;                  /* the whole order reversed */
    const int64_t *unit_ids;   /* ORGCOLS_SORT_UNIT: units sorted by id, with ... */
    const int64_t *unit_rank;  /* ... their place in name order (equal names equal places) */
    size_t n_units;
} orgcols_order;

/* The assessments pick counts in scope sc (the compare cycle's for
 * PORTFOLIO_PICK_LEFT) against compare_cycle_id, only the scope unit's own
 * members when direct; items [offset, offset + limit) of them in order `order`
 * (assessment_id, person, unit and levels of each), total all of them. 0, or
 * -1 for a pick the columns cannot answer (a specialization out of range). */
int orgcols_pick(const orgcols *oc, const orgcols_scope *sc, int64_t compare_cycle_id, const portfolio_pick *pick,
                 int direct, const orgcols_order *order, size_t offset, size_t limit, orgcols_people *out);

#endif
