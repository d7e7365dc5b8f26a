/* training.h - the training catalog and LMS completions through CSV, for the
 * command line and the web alike (docs/plans.md has the column layouts).
 *
 * Both imports read the whole file, check every row (against the catalog and
 * the database), write inside one transaction and roll it back on any error or
 * when dry_run: nothing is half-written. Errors are file:line:column. */
#ifndef ITSS_TRAINING_H
#define ITSS_TRAINING_H

#include <stddef.h>
#include "buf.h"
#include "catalog.h"
#include "csv.h"
#include "err.h"
#include "store.h"
#include "store_plan.h"

typedef struct training_summary {
    size_t rows;               /* data rows read */
    size_t added, updated;     /* courses */
    size_t duplicates;         /* completions already recorded */
    size_t attached;           /* plan actions marked done by completions */
} training_summary;

/* Imports courses (code,title,provider,hours,covers) from r into db: a course
 * whose code exists is replaced. covers lists, separated by spaces, the ids of
 * skill areas (CS.UEA) and knowledge categories (CS.HW.UEA.K01) of c. 0 done
 * (or checked), -1 with errors filled. */
int training_import_courses(store *db, const catalog *c, csv_reader *r, int dry_run, training_summary *sum,
                            err_list *errors);
/* Imports completions (employee_number,course_code,completed_on,grade) from r,
 * attaching each to the person's plan actions for that course; source names
 * the file in the records. */
int training_import_results(store *db, csv_reader *r, const char *source, int dry_run, training_summary *sum,
                            err_list *errors);
/* The training catalog as CSV in the layout the import reads (BOM, CRLF). */
void training_export_courses(buf *out, const store_course_list *l);
/* "3.5" for 35 tenths into out (room for 16). */
char *training_hours_text(int tenths, char out[16]);

#endif
