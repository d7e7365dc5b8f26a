/* store_experience_words.c - the words of the experience records, read in bulk
 * for the organization's columns (store_experience_words.h): every record at
 * a start, the records of the people whose assessments changed at a refresh
 * (a change of a person's records moves the revisions of their assessments:
 * store_drop_person_results). Searching them is orgcols_mentions's, in memory,
 * so that a word matches the same on SQLite and PostgreSQL (their LIKE does
 * not agree on letter case) and a search costs no scan of the table (a LIKE
 * over 203,668 records took 105 ms of CPU at 100,000 people). */
#include "store_experience_words.h"
#include "store_internal.h"

#define QUERY_BASE STORE_SLOT_WORDS
#define WORDS_QUERIES(X) \
    X(WORDS_ALL, "SELECT person_id, project, role, description FROM experience") \
    X(WORDS_ONE, "SELECT person_id, project, role, description FROM experience WHERE person_id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, WORDS_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { WORDS_QUERIES(STORE_QUERY_SQL) };

/* Steps st to its end, calling fn per row. 0, fn's non-zero, or -1 with *e. */
static int each_row(store *s, store_stmt *st,
                    int (*fn)(int64_t, const char *, const char *, const char *, void *), void *ctx, err *e)
{
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        int r = fn(store_q_int(s, st, 0), store_q_text(s, st, 1), store_q_text(s, st, 2), store_q_text(s, st, 3),
                   ctx);
        if (r) {
            rc = r;
            break;
        }
    }
    store_q_close(s, st);
    return rc;
}

int store_experience_words_each(store *s, const int64_t *persons, size_t n,
                                int (*fn)(int64_t person_id, const char *project, const char *role,
                                          const char *description, void *ctx),
                                void *ctx, err *e)
{
    if (!persons) {
        store_stmt *st = QUERY_OPEN(s, Q_WORDS_ALL, e, "");
        return st ? each_row(s, st, fn, ctx, e) : -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        store_stmt *st = QUERY_OPEN(s, Q_WORDS_ONE, e, "i", persons[i]);
        rc = st ? each_row(s, st, fn, ctx, e) : -1;
    }
    return rc;
}
