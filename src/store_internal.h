/* store_internal.h - what store.c lends the store's other files (store_*.c).
 *
 * Only store*.c include it. Statements go through the same slot cache as
 * store.c's own: a file takes slot numbers from its own base (STORE_SLOT_*),
 * far above store.c's, so the two never share a slot. */
#ifndef ITSS_STORE_INTERNAL_H
#define ITSS_STORE_INTERNAL_H

#include <stdint.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "store.h"
#include "store_backend.h"
#include "buf.h"

/* The open store. Only store*.c see inside it. */
struct store {
    const store_driver *drv;
    void *conn;
    char *location;            /* for messages; a URL's password hidden */
    int depth;                 /* open transactions and savepoints */
    int schema_version;
    store_fault fault;         /* why the last statement failed */
    struct elem_dict **dicts;  /* element dictionaries read, per catalog version (store_answer.c) */
    size_t n_dicts;
};

/* Slot bases: each store file numbers its statements from its own base, so that
 * no two files share a slot. store.c (the core) uses 0..99. */
#define STORE_SLOT_CATALOG 100     /* store_catalog.c: 100..149 */
#define STORE_SLOT_ORG 150         /* store_org.c: 150..199 */
#define STORE_SLOT_PERSON 200      /* store_person.c: 200..299 (with the filter variants) */
#define STORE_SLOT_CYCLE 300       /* store_cycle.c: 300..349 */
#define STORE_SLOT_EXPERIENCE 350  /* store_experience.c: 350..399 */
#define STORE_SLOT_CONTRIBUTION 400 /* store_contribution.c: 400..449 */
#define STORE_SLOT_ASSESSMENT 450  /* store_assessment.c: 450..549 (with the filter variants) */
#define STORE_SLOT_ANSWER 550      /* store_answer.c: 550..649 */
#define STORE_SLOT_RESULT 650      /* store_result.c: 650..699 */
#define STORE_SLOT_COMMENT 700     /* store_comment.c: 700..749 */
#define STORE_SLOT_USER 750        /* store_user.c: 750..849 */
#define STORE_SLOT_REVIEW 1000     /* store_review.c: 1000..1099 */
#define STORE_SLOT_PLAN 1200       /* store_plan.c: 1200..1299 */
#define STORE_SLOT_ORGCOLS 1300    /* store_orgcols.c: 1300..1399 */
#define STORE_SLOT_TARGET 1400     /* store_target.c: 1400..1449 */
#define STORE_SLOT_SIGNIN 1450     /* store_signin.c: 1450..1499 */
#define STORE_SLOT_BULK 1500       /* store_bulk.c: 1500..1549 */
#define STORE_SLOT_COPY 2000       /* store_copy.c: 2000..2299 (50 tables at most) */

/* A file's fixed statements: the file defines QUERY_BASE (its STORE_SLOT_*),
 * lists its statements in an X-macro, numbers them from the base with
 *   enum { Q_FIRST_ = QUERY_BASE - 1, FILE_QUERIES(STORE_QUERY_ENUM) Q_END_ };
 * and keeps their SQL in query_sql[] = { FILE_QUERIES(STORE_QUERY_SQL) }.
 * QUERY_OPEN, QUERY_EXEC and QUERY_INT then run statement q by its enum name. */
#define STORE_QUERY_ENUM(name, sql) Q_##name,
#define STORE_QUERY_SQL(name, sql) sql,
#define QUERY_OPEN(s, q, e, ...) store_q_open((s), (q), query_sql[(q) - QUERY_BASE], (e), __VA_ARGS__)
#define QUERY_EXEC(s, q, e, ...) store_q_exec((s), (q), query_sql[(q) - QUERY_BASE], (e), __VA_ARGS__)
#define QUERY_INT(s, q, out, e, ...) store_q_value((s), (q), query_sql[(q) - QUERY_BASE], (out), (e), __VA_ARGS__)

/* The revision a change gives an assessment: one more than any assessment has,
 * so that revisions also order changes across assessments (schema v7,
 * store_assessment_changes). */
#define NEXT_REVISION "(SELECT COALESCE(MAX(revision), 0) + 1 FROM assessment)"

/* Prepares sql under slot and binds the arguments by types ('i' int64_t, 'n'
 * int64_t bound as NULL when 0, 't' text). NULL with *e on failure. */
store_stmt *store_q_open(store *s, int slot, const char *sql, err *e, const char *types, ...);
/* store_q_open with the arguments in ap. */
store_stmt *store_q_openv(store *s, int slot, const char *sql, err *e, const char *types, va_list ap);
/* Runs sql and reads the first column of its first row as an integer: 1 with
 * *out set (out may be NULL), 0 when there is no row, -1 on failure. */
int store_q_value(store *s, int slot, const char *sql, int64_t *out, err *e, const char *types, ...);
/* 1 a row, 0 done, -1 failed. */
int store_q_step(store *s, store_stmt *st, err *e);
void store_q_close(store *s, store_stmt *st);
/* Runs sql to its end: 0, or -1. */
int store_q_exec(store *s, int slot, const char *sql, err *e, const char *types, ...);
/* Column col: a heap copy (NULL for SQL NULL; the caller frees), an integer (0
 * for NULL), whether it is NULL. */
char *store_q_dup(store *s, store_stmt *st, int col);
int64_t store_q_int(store *s, store_stmt *st, int col);
/* Column col as text (NULL for SQL NULL) or as a blob's bytes (count in *len),
 * valid until the next step or close. */
const char *store_q_text(store *s, store_stmt *st, int col);
const void *store_q_blob(store *s, store_stmt *st, int col, size_t *len);
/* The packed answer codes bytes[0..len) of one rater (answer_values.codes) as
 * values[0..n): -1 unanswered, else the answer's value. */
void store_codes_decode(const unsigned char *bytes, size_t len, signed char *values, size_t n);
/* Why the last failed statement failed. */
store_fault store_q_fault(const store *s);
/* The backend driver and connection of s, for store_copy.c, which reads and
 * writes whole tables below the store's operations. */
const store_driver *store_q_driver(const store *s);
void *store_q_conn(const store *s);
/* The moment now, UTC (YYYY-MM-DDTHH:MM:SSZ). */
void store_now_utc(char out[24]);

/* ---- Shared helpers (store.c) ---- */

/* NULL for NULL or "": how optional texts are stored. */
const char *store_opt(const char *s);
/* items (count used, `size` bytes each) with room for one more (capacity doubles
 * at powers of two); the caller owns the array returned. */
void *store_grow_array(void *items, size_t count, size_t size);
/* Appends one zeroed element to the array arr of count elements; yields a pointer to it. */
#define PUSH(arr, count) \
    ((arr) = store_grow_array((arr), (count), sizeof *(arr)), memset(&(arr)[(count)], 0, sizeof *(arr)), \
     &(arr)[(count)++])
/* Ends a transaction begun by an operation: commit when rc is 0, else roll back
 * keeping the message already in *e. Returns rc, or -1 when the commit failed. */
int store_tx_end(store *s, int rc, err *e);
/* Fills *e with field and a message as a refusal of the value; returns -1. */
int store_field_error(err *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Checks the actor label of a change. 0, or -1 with *e. */
int store_check_actor(err *e, const char *actor);

/* ---- Across entity files ---- */

/* store_person.c: "%text%" in lower-case ASCII with LIKE's wildcards escaped by
 * '\\'. The caller frees it. */
char *store_like_pattern(const char *text);
/* store_experience.c: drops the kept results of every assessment of the person.
 * 0, or -1 with *e. */
int store_drop_person_results(store *s, int64_t person_id, err *e);
/* store_answer.c: appends one history row of assessment id. 0, or -1 with *e. */
int store_history_add(store *s, int64_t id, const char *at, const char *actor, const char *kind,
                      const char *old_value, const char *new_value, const buf *changes, err *e);
/* store_answer.c: forgets the element dictionaries read (after a rollback, at close). */
void store_dicts_forget(store *s);
/* store_answer.c: converts a version 5 database's answers to packed ones (the
 * migration to schema version 6). 0, or -1 with *e. */
int store_answers_convert(store *s, err *e);

#endif
