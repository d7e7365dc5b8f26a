/* store_internal.h - what store.c lends the store's other files (store_*.c).
 *
 * Only store*.c include it. Statements go through the same slot cache as
 * store.c's own: a file takes slot numbers from its own base (STORE_SLOT_*),
 * far above store.c's, so the two never share a slot. */
#ifndef ITSS_STORE_INTERNAL_H
#define ITSS_STORE_INTERNAL_H

#include <stdint.h>
#include "store.h"
#include "store_backend.h"

#define STORE_SLOT_REVIEW 1000     /* store_review.c: 1000..1099 */
#define STORE_SLOT_PLAN 1200       /* store_plan.c: 1200..1299 */
#define STORE_SLOT_ORGCOLS 1300    /* store_orgcols.c: 1300..1399 */
#define STORE_SLOT_TARGET 1400     /* store_target.c: 1400..1449 */
#define STORE_SLOT_SIGNIN 1450     /* store_signin.c: 1450..1499 */
#define STORE_SLOT_COPY 2000       /* store_copy.c: 2000..2299 (50 tables at most) */

/* Prepares sql under slot and binds the arguments by types ('i' int64_t, 'n'
 * int64_t bound as NULL when 0, 't' text). NULL with *e on failure. */
store_stmt *store_q_open(store *s, int slot, const char *sql, err *e, const char *types, ...);
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

#endif
