/* report_person.h - the personal diagnosis report (個人診断レポート) as a report
 * document (report_table.h): the levels of each specialization (self-assessed,
 * the manager's, and official: certified, else approved), why, in the
 * standard's wording (explain.h), the radar of proficiency per skill area
 * against a target level, the gap to that target item by item in the
 * standard's wording (plan.h), knowledge coverage, and the person's 社内認定
 * certificates. `itss report person` and the web's report.pdf both build it
 * here. */
#ifndef ITSS_REPORT_PERSON_H
#define ITSS_REPORT_PERSON_H

#include <stdint.h>
#include "err.h"
#include "report_table.h"
#include "results.h"
#include "store.h"

typedef struct report_person_query {
    const char *cycle;             /* its name or id; NULL: the latest */
    const char *target;            /* "HW:5"; NULL: the next level of the specialization furthest along */
    const char *today;             /* official levels and certificates on this date; NULL: today */
} report_person_query;

/* Builds the report of person_id into *out (initialized here; free with
 * report_doc_free whatever the result). Assessments are evaluated through src
 * (NULL: evaluated here, results_evaluate). RESULTS_OK, or why not (as
 * results_load; *e filled for RESULTS_FAILED). */
results_status report_person_build(store *db, const results_eval *ev, const results_source *src,
                                   int64_t person_id, const report_person_query *q, report_doc *out, err *e);

/* The report of results already gathered (results_load) into *out
 * (initialized here; free with report_doc_free whatever the result). 0; 1 when
 * res has no assessment of the catalog to report on; -1 with *e when the store
 * fails. */
int report_person_doc(store *db, const person_results *res, const char *today, report_doc *out, err *e);

#endif
