/* import.h - people and assessment answers from CSV into the store, the one
 * import that `itss import` and the web (HR upload page, POST /api/v1/imports)
 * both run, so that a file gets the same checks and the same errors wherever it
 * is sent. Column layouts: docs/csv.md.
 *
 * An import is one transaction. Every row is checked (against the catalog, the
 * database and the rest of the file) and written; at the first error writing
 * stops, checking goes on so that one run reports up to ERR_LIST_MAX errors as
 * `file:line:column: column: reason`, and at the end the transaction is rolled
 * back: the database is as it was. A dry run does all of it and always rolls
 * back. Rows are read one at a time (csv.h); what is held in memory grows with
 * the number of people and assessments, not with rows. */
#ifndef ITSS_IMPORT_H
#define ITSS_IMPORT_H

#include <stdint.h>
#include "catalog.h"
#include "csv.h"
#include "err.h"
#include "policy.h"
#include "store.h"

typedef enum import_kind {
    IMPORT_PEOPLE,            /* one row per person: added, or updated by employee number */
    IMPORT_ASSESSMENTS,       /* one row per answer */
    IMPORT_EXPERIENCE         /* one row per experience record (実績) */
} import_kind;

/* One change of a people import (made, or in a dry run, that would be). */
typedef enum import_change_kind {
    IMPORT_ADDED,             /* a new person */
    IMPORT_UPDATED,           /* one field of a person: field, old_value -> new_value */
    IMPORT_LEAVING,           /* the person leaves on new_value (a left_on date, or absent from a full list) */
    IMPORT_RETURNING          /* a person who had left is in the organization again */
} import_change_kind;

typedef struct import_change {
    import_change_kind kind;
    const char *employee_number, *name;
    const char *field;        /* IMPORT_UPDATED: the column, as the people layout names it */
    const char *old_value;    /* as the file would spell it; "" for none */
    const char *new_value;
    int line;                 /* the row's line; 0 for a person absent from a full list */
} import_change;

/* "people", "assessments", "experience"; import_kind_parse returns -1 for another name. */
const char *import_kind_name(import_kind k);
int import_kind_parse(const char *name);

typedef struct import_options {
    import_kind kind;
    const catalog *catalog;   /* assessments: the catalog answers are checked against
                                 (a version the database has: the caller checks) */
    const char *file;         /* the file's name: the place in every error */
    const char *actor;        /* who imports, for the history ("import:people.csv") */
    int dry_run;              /* check everything, write nothing */
    /* People: the file lists everyone; people of the database it does not
     * list, and who have not left, leave today. */
    int full;
    /* People: called for every change, in the order made (the strings belong
     * to the import for the call). Only an import without errors keeps them. */
    void (*change)(const import_change *c, void *ctx);
    void *change_ctx;
    /* Rows with rater manager obey review.h's rule for the person importing:
     * when check_reviewer is 1, each person such a row names must be one that
     * reviewer_role (a review_role) with person reviewer_person_id (0: none)
     * may review. 0: no check (the command line, whose operator is the actor). */
    int check_reviewer;
    int reviewer_role;
    int64_t reviewer_person_id;
    /* Assessments: the policy whose levels are decided from the answers written
     * and kept as the assessments' results (store_result_put), so that the org
     * views need not decide them later. NULL: the results are only dropped. */
    const policy *policy;
    /* Called every 1,024 rows with the rows read so far (may be NULL). */
    void (*progress)(const csv_reader *csv, long rows, void *ctx);
    void *progress_ctx;
} import_options;

/* What an import did. */
typedef struct import_summary {
    long rows;                /* data rows read (blank ones not counted) */
    long written;             /* people added / answers saved / experience records added (0 when nothing was kept) */
    long updated;             /* people changed / experience records replaced */
    long left;                /* people who left */
    long assessments;         /* assessments the file touched ... */
    long created;             /* ... and how many of them are new */
    int committed;            /* 1 when the rows are in the database now */
    csv_encoding encoding;    /* what the file was read as (CSV_UTF8 or CSV_CP932) */
} import_summary;

/* Reads every row of csv (opened by the caller, who closes it) into db in one
 * transaction, as opts says. Errors in the file go into errors (the caller's,
 * empty at the start); so does a failed commit. Returns 0 when the file was
 * imported (or, dry run, would be), 1 when it has errors (nothing written), -1
 * when the transaction could not start (*e says why; nothing written). */
/* The CSV template of kind into out: the header and one example row (UTF-8 with
 * a BOM and CRLF, as Excel opens it). The assessments example names cycle and
 * the first knowledge item of cat, the experience example an item of cat (cat
 * may be NULL for people). */
void import_template(import_kind kind, const catalog *cat, const char *cycle, buf *out);

int import_run(store *db, csv_reader *csv, const import_options *opts, err_list *errors, import_summary *out,
               err *e);

#endif
