/* report_org.h - the organization report (組織レポート) as a report document
 * (report_table.h): the 人材ポートフォリオ of a cycle (a bar chart and its
 * table), the movement against another cycle, the units along the org tree
 * with subtotals that add up (each unit's row counts its whole subtree,
 * orgcols_levels_tree: the count /hr/orgview shows), the skill map (proficiency
 * by unit × area, knowledge coverage by unit × area × category, the weakest
 * categories first), the talent searches asked for (their people) and, in
 * the workbook only, every person's levels. Levels are official by default
 * (certified, else approved) or self-assessed (report_levels.h); the document
 * says which on every page. `itss report org` and the web's
 * /hr/export/org.xlsx|org.pdf both build it here. */
#ifndef ITSS_REPORT_ORG_H
#define ITSS_REPORT_ORG_H

#include <stdint.h>
#include "catalog.h"
#include "err.h"
#include "policy.h"
#include "orgcols.h"
#include "report_levels.h"
#include "report_table.h"
#include "store.h"

typedef struct report_org_query {
    int64_t cycle_id;              /* required */
    int64_t compare_cycle_id;      /* 0: no movement */
    int64_t org_unit_id;           /* 0: everyone */
    int self;                      /* 1 self-assessed levels, 0 official */
    const char *today;             /* official levels on this date; NULL: today */
    const report_level_source *source;   /* self levels; NULL: the kept results */
    const orgcols *columns;        /* the organization's columns, brought up to date (the web's running
                                      ones); NULL: the report reads its own (orgcols_refresh) */
    const char *const *search_names;     /* talent searches (report_search.h) each a section and a sheet: */
    const char *const *search_queries;   /* their names and query strings, as /search saves them */
    size_t n_searches;
    int depth;                     /* 組織別 in the PDF: the units less than depth levels below the top (the
                                      report's unit, or the top units), the units below them counted in their
                                      rows; 0: REPORT_ORG_DEPTH; below 0: every unit. The workbook has every unit. */
} report_org_query;

/* The levels of the org tree the PDF's 組織別 shows by default: at 100,000
 * people (12,205 units) the top four levels are 74 units, a few pages, where
 * every unit made 519 pages. */
#define REPORT_ORG_DEPTH 4
#define REPORT_ORG_DEPTH_MAX 64

/* The depth of the printed 組織別 as the command line and the web take it:
 * "1" .. "64", or "all" (-1: every unit), into *depth. 0, or -1 when text is
 * neither. */
int report_org_depth_parse(const char *text, int *depth);

/* Builds the report of q into *out (initialized here; free with
 * report_doc_free, also after a failure). 0; 1 when q names no cycle or unit
 * (*e says which, its path "cycle", "compare" or "unit"); -1 with *e when the
 * store fails. */
int report_org_build(store *db, const catalog *cat, const policy *pol, const report_org_query *q, report_doc *out,
                     err *e);

#endif
