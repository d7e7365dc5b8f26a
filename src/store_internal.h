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
#define STORE_SLOT_ANSWER 550      /* store_answer.c: 550..589 */
#define STORE_SLOT_PACKED 590      /* store_packed.c: 590..619 */
#define STORE_SLOT_CONVERT 620     /* store_answer_convert.c: 620..649 */
#define STORE_SLOT_RESULT 650      /* store_result.c: 650..699 */
#define STORE_SLOT_COMMENT 700     /* store_comment.c: 700..749 */
#define STORE_SLOT_USER 750        /* store_user.c: 750..849 */
#define STORE_SLOT_REVIEW 1000     /* store_review.c: 1000..1099 */
#define STORE_SLOT_PLAN 1200       /* store_plan.c: 1200..1299 */
#define STORE_SLOT_ORGCOLS 1300    /* store_orgcols.c: 1300..1399 */
#define STORE_SLOT_TARGET 1400     /* store_target.c: 1400..1449 */
#define STORE_SLOT_PERSON_ORDER 1460 /* store_person_order.c: 1460..1469 */
#define STORE_SLOT_WORDS 1470     /* store_experience_words.c: 1470..1479 */
#define STORE_SLOT_BULK 1500       /* store_bulk.c: 1500..1549 */
#define STORE_SLOT_OUTBOX 1600     /* store_outbox.c: 1600..1649 */
#define STORE_SLOT_SIGNIN 1650     /* store_signin.c: 1650..1699 */
#define STORE_SLOT_COPY 2000       /* store_copy.c: 2000..2299 (50 tables at most) */
#define STORE_SLOT_TEAM 2400       /* store_team.c: 2400..2449 */
#define STORE_SLOT_SPECS 2450      /* store_specs.c: 2450..2499 */
#define STORE_SLOT_COMPACT 2700    /* store_approval.c: 2700..2749 */
#define STORE_SLOT_AGREEMENT 2750  /* store_agreement.c: 2750..2799 */

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

/* ---- Compact approvals (store_approval.c) ---- */

/* Records what compact approval approval_id of assessment_id keeps (b), in the
 * caller's transaction: the policy text once per distinct text, the history row
 * the answers stand at now, the agreements by element number. 0, or -1. */
int store_approval_basis_add(store *s, int64_t approval_id, int64_t assessment_id, const store_approval_basis *b,
                             err *e);

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

/* ---- The row reader (store_row.c) ---- */

/* How a column fills a struct member. */
typedef enum {
    STORE_COL_I64,             /* int64_t; SQL NULL reads 0 */
    STORE_COL_INT,             /* int; SQL NULL reads 0 */
    STORE_COL_BOOL,            /* int, 1 for any non-zero value */
    STORE_COL_TEXT,            /* char *: a heap copy, NULL for SQL NULL; the struct owns it */
    STORE_COL_ENUM             /* an enum member: the text parsed by parse, fallback when it does not parse */
} store_col_type;

/* One column of an entity's SELECT list and the member it fills. */
typedef struct store_col {
    const char *name;          /* the column as the SELECT list names it (for readers of the table) */
    store_col_type type;
    size_t offset;             /* offsetof the member in the struct */
    int (*parse)(const char *name);   /* STORE_COL_ENUM: the name's value, or < 0 */
    int fallback;              /* STORE_COL_ENUM: the value of a name that does not parse */
} store_col;

/* An entity's column table: its columns in SELECT order and the struct's size;
 * then, optionally, the columns of a struct inside it (a token's user) that the
 * SELECT list names next. */
typedef struct store_row {
    const store_col *cols;
    size_t n;
    size_t size;
    const struct store_row *then;     /* NULL, or the inner struct's table */
    size_t then_offset;               /* offsetof the inner struct */
} store_row;

/* Table entries: STORE_COL(I64, store_cycle, id, "id"), STORE_COL_AS_ENUM(...). */
#define STORE_COL(type, strct, member, name) { (name), STORE_COL_##type, offsetof(strct, member), NULL, 0 }
#define STORE_COL_AS_ENUM(strct, member, name, parse_fn, fallback_value) \
    { (name), STORE_COL_ENUM, offsetof(strct, member), (parse_fn), (int)(fallback_value) }
#define STORE_ROW(cols, strct) { (cols), sizeof(cols) / sizeof(cols)[0], sizeof(strct), NULL, 0 }
#define STORE_ROW_THEN(cols, strct, inner_row, member) \
    { (cols), sizeof(cols) / sizeof(cols)[0], sizeof(strct), &(inner_row), offsetof(strct, member) }

/* Fills item from the columns first.. of st's current row (texts: heap copies
 * the item owns). */
void store_row_fill(store *s, store_stmt *st, const store_row *row, int first, void *item);
/* Frees the texts of item that row fills and zeroes it. */
void store_row_clear(const store_row *row, void *item);
/* Clears each of the count items (row's kind) and frees the array items. */
void store_row_free_all(const store_row *row, void *items, size_t count);
/* The first row of st (NULL: opening failed) into out, zeroed first; releases
 * st. 1 read, 0 none, -1 failed. */
int store_row_one(store *s, const store_row *row, store_stmt *st, void *out, err *e);
/* Every row of st (NULL: opening failed) into a new array the caller owns,
 * count in *count; releases st. *rc 0, or -1 (NULL returned, nothing kept). */
void *store_row_all(store *s, const store_row *row, store_stmt *st, size_t *count, int *rc, err *e);

/* ---- Across entity files ---- */

/* store_person.c: "%text%" in lower-case ASCII with LIKE's wildcards escaped by
 * '\\'. The caller frees it. */
char *store_like_pattern(const char *text);
/* store_person.c: 1 when person person_id exists, 0 when not, -1 failed. */
int store_person_exists(store *s, int64_t person_id, err *e);
/* store_person.c: moves the revision of every assessment of person_id. 0, or -1. */
int store_person_bump(store *s, int64_t person_id, err *e);
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
/* Migration 15's conversion: every row of review_agreement_v14 into
 * review_agreed (one per assessment), then the old table dropped; inside the
 * migration's transaction (store_agreement.c). 0, or -1 with *e. */
int store_agreements_convert(store *s, err *e);

#endif
