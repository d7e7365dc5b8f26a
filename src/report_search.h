/* report_search.h - a talent search (人材検索) as the organization report
 * carries it: the query string /search takes (spec, level, levels, parea,
 * plevel, pspec, item, rating, category, crating, share, certified, cspec,
 * clevel, word) read into conditions of the organization's columns
 * (orgcols_talent; the word of the experience records is one of them), and
 * its people as a section of a report document: the count, then each
 * person's number, name, unit and levels. */
#ifndef ITSS_REPORT_SEARCH_H
#define ITSS_REPORT_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include "catalog.h"
#include "err.h"
#include "orgcols.h"
#include "report_table.h"
#include "store.h"

#define REPORT_SEARCH_CONDS 6

typedef struct report_search {
    char *name;                            /* the section's title */
    orgcols_cond conds[REPORT_SEARCH_CONDS];
    size_t n_conds;
    char *ids[REPORT_SEARCH_CONDS];        /* the element ids the conditions point to */
} report_search;

/* Reads query (URL-encoded, as saved from /search) against cat, the catalog of
 * the columns it will run on (orgcols_catalog), into *out (free with
 * report_search_free). 0, or -1 with *e naming the parameter ("level: ...").
 * Parameters it does not know (cycle, org, page, format) are ignored: the
 * report's cycle and unit hold. */
int report_search_parse(const catalog *cat, const char *name, const char *query, report_search *out, err *e);
void report_search_free(report_search *s);

/* Adds search s run on cols (cycle_id, the people of org_unit_id and below)
 * to d: a heading with its name and count, a table of the people (the
 * workbook's sheet; the PDF prints the first 200). 0, or -1 with *e. */
int report_search_section(report_doc *d, store *db, const orgcols *cols, int64_t cycle_id, int64_t org_unit_id,
                          const report_search *s, err *e);

#endif
