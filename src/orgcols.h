/* orgcols.h - the organization's levels held in memory, column by column, for
 * views over every person (the HR portfolio) at 100,000 people and more.
 *
 * Per assessment: its person, cycle, status, the person's org unit and the
 * level reached in each specialization (self rating, under one policy). The
 * levels come from the kept results of the store (the `result` table, under the
 * policy's key "id@version"); an assessment without them is evaluated once and
 * its results kept. orgcols_refresh brings the columns up to date by reading
 * only the assessments whose revision moved since the last refresh
 * (store_assessment_changes), so that a view costs a pass over a few arrays,
 * never an evaluation of everyone.
 *
 * Not thread-safe: one caller at a time (the web server holds a lock around
 * refresh and reads). An orgcols reads the catalog and the policy, which must
 * outlive it. */
#ifndef ITSS_ORGCOLS_H
#define ITSS_ORGCOLS_H

#include <stddef.h>
#include <stdint.h>
#include "catalog.h"
#include "policy.h"
#include "store.h"

typedef struct orgcols orgcols;

/* Empty columns for cat and pol (nothing read yet). The caller frees it with
 * orgcols_free. */
orgcols *orgcols_new(const catalog *cat, const policy *pol);
void orgcols_free(orgcols *oc);

/* Reads what changed in db since the last refresh (everything the first time),
 * evaluating and keeping the results of assessments that have none. Writes kept
 * results in its own transactions, so no transaction of the caller may be open.
 * 0, or -1 with *e (the columns then stay as they were before the call's
 * failing assessment). */
int orgcols_refresh(orgcols *oc, store *db, err *e);

/* How many assessments the columns hold, and the bytes they take. */
size_t orgcols_count(const orgcols *oc);
size_t orgcols_bytes(const orgcols *oc);

/* The levels held for assessment id, one per specialization in catalog order
 * (-1: an assessment against another catalog version): 1, or 0 when the
 * columns hold no such assessment. */
int orgcols_levels(const orgcols *oc, int64_t assessment_id, int *levels);

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

/* Counts the assessments of cycle_id whose person is in org_unit_id or a unit
 * below it (0: everyone), approved ones only when approved_only. The arrays are
 * the caller's (orgcols_portfolio_free). 0, or -1 when out of memory. */
int orgcols_portfolio_count(const orgcols *oc, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                            int64_t compare_cycle_id, orgcols_portfolio *out);
void orgcols_portfolio_free(orgcols_portfolio *p);

#endif
