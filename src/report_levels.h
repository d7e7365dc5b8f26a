/* report_levels.h - the levels of everyone assessed in a cycle, as the
 * organization's reports count them: one row per assessment of the cycle (of
 * the people of a unit and the units below it, or everyone), with the person's
 * name and unit and the level of each specialization, of the kind asked:
 *
 *   official (the default): the level of a certificate valid on `today`, else
 *     the level frozen by the approval in force (docs/review.md); an assessment
 *     with neither has no official level and is left out of the counts;
 *   self: the engine's level from the self-assessment, for every assessment
 *     (kept results, orgcols.h; or the caller's source, as the web's cache).
 *
 * The counting itself is portfolio.c's; this module gathers what it counts. */
#ifndef ITSS_REPORT_LEVELS_H
#define ITSS_REPORT_LEVELS_H

#include <stddef.h>
#include <stdint.h>
#include "catalog.h"
#include "err.h"
#include "policy.h"
#include "store.h"

/* Where self-assessed levels come from: get fills levels (catalog order) and
 * returns 1, 0 for an assessment of another catalog version, -1 with *e. */
typedef struct report_level_source {
    int (*get)(void *ctx, const store_assessment *a, int *levels, err *e);
    /* Official levels (NULL: the store's, store_official_levels): levels
     * (-1: none) and *certified (1 when a certificate gives one of them);
     * 1, 0 when the assessment has none, -1 with *e. */
    int (*official)(void *ctx, const store_assessment *a, int *levels, int *certified, err *e);
    void *ctx;
} report_level_source;

typedef struct report_levels {
    size_t n_specs;
    int self;                      /* 1 self-assessed levels, 0 official */
    store_assessment_list list;    /* the cycle's assessments, by employee number */
    int *levels;                   /* list.count × n_specs; a row whose first is -1 has none of the kind */
    const char **kind;             /* per row: "certified", "approved", "self", or NULL (none) */
    int64_t *unit;                 /* per row: the person's org unit (0: none) */
    char **unit_code, **unit_name; /* per row (NULL when none) */
} report_levels;

/* What report_levels_load reads. */
typedef struct report_levels_query {
    int64_t cycle_id;
    int64_t org_unit_id;           /* that unit and the units below it; 0: everyone */
    int self;                      /* 1 self-assessed, 0 official */
    int approved_only;             /* self: approved assessments only (official levels are approved anyway) */
    const char *today;             /* official levels on this date (YYYY-MM-DD); NULL: today's local date */
    const report_level_source *source;   /* self levels; NULL: the kept results (which this may write:
                                            no transaction of the caller may be open) */
} report_levels_query;

/* Reads into *out (cleared first) the levels q asks for. 0, or -1 with *e.
 * Free with report_levels_free (also after a failure). */
int report_levels_load(store *db, const catalog *cat, const policy *pol, const report_levels_query *q,
                       report_levels *out, err *e);
void report_levels_free(report_levels *l);

/* "certified" / "approved" / "self" / NULL as the reports word it: 認定, 承認, 本人評価, "". */
const char *report_level_kind_label(const char *kind);

/* An assessment's status as the reports word it: 下書き, 提出済み, 差し戻し, 承認済み. */
const char *report_status_label(int status);

/* The highest level specialization s has, its own or of a block of common
 * levels it shares (the columns a table of its levels needs). */
int report_spec_level_max(const catalog *cat, const catalog_spec *s);
/* The lowest (0: none): a portfolio shows each specialization's levels from
 * its lowest to its highest only (FM 3-6, HW and SW 1-5 in the built-in
 * catalog). */
int report_spec_level_min(const catalog *cat, const catalog_spec *s);

#endif
