/* targets.h - 要員計画 (staffing targets): HR's target head counts per cycle ×
 * org unit × specialization × level ("this many people at this level or above
 * in this unit and the units below it"), read from CSV, and set against the
 * actual head counts (official levels by default, report_levels.h) as target,
 * actual and gap. The command line (`itss target`), the web page /hr/targets
 * and the organization report use it. Layout of the CSV: docs/reports.md.
 *
 *   cycle,org_unit_code,specialization,level,head_count
 *   2026年度,EAST,HW,3,10
 *
 * (headers may also be 期間,組織コード,専門分野,レベル,目標人数). An empty
 * head_count removes the target. */
#ifndef ITSS_TARGETS_H
#define ITSS_TARGETS_H

#include <stddef.h>
#include <stdint.h>
#include "catalog.h"
#include "csv.h"
#include "err.h"
#include "policy.h"
#include "report_levels.h"
#include "store.h"
#include "store_target.h"

/* Imports the targets of csv (its rows checked against db and cat: a known
 * cycle, org unit code, specialization and level, a whole head count 0 or
 * more, no row given twice), in one transaction: with any error nothing is
 * written and each error is in errors as file:line:column. actor is recorded.
 * *set (may be NULL) gets the rows set or removed. 0 imported (or, dry_run,
 * checked), 1 errors in the file, -1 the store failed (*e). */
int targets_import(store *db, const catalog *cat, csv_reader *csv, const char *actor, int dry_run,
                   err_list *errors, size_t *set, err *e);

/* A target with its actual head count. */
typedef struct target_gap {
    const store_target *target;
    const catalog_spec *spec;      /* NULL when the catalog has no such specialization */
    int64_t actual;                /* people of the unit's subtree at target->level or above */
    int64_t gap;                   /* actual - head_count (negative: short) */
} target_gap;

typedef struct target_view {
    store_target_list targets;
    target_gap *rows;              /* targets.count */
    size_t count;
} target_view;

/* The targets of cycle_id (of the units in org_unit_id's subtree, 0: all) with
 * their actual head counts from levels (the levels of that cycle, everyone).
 * 0, or -1 with *e. Free with target_view_free. */
int targets_view(store *db, const catalog *cat, const report_levels *levels, int64_t cycle_id, int64_t org_unit_id,
                 target_view *out, err *e);
/* The same with the actual head counts from actual(ctx, unit, spec, level):
 * the people of unit's subtree at level or above in specialization spec
 * (catalog index); the web counts them over the org columns (orgcols_at_least). */
typedef int64_t (*target_actual_fn)(void *ctx, int64_t unit_id, size_t spec, int level);
int targets_view_with(store *db, const catalog *cat, target_actual_fn actual, void *ctx, int64_t cycle_id,
                      int64_t org_unit_id, target_view *out, err *e);
void target_view_free(target_view *v);

#endif
