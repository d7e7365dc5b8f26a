/* store_result.c - the store's kept results (levels decided per assessment) and the changes since a revision (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_RESULT (store_internal.h). Strings returned in structs are heap copies owned
 * by the struct. */
#include "store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

#define QUERY_BASE STORE_SLOT_RESULT
#define RESULT_QUERIES(X) \
    X(ASSESS_CHANGED, "SELECT a.id, a.person_id, a.cycle_id, COALESCE(p.org_unit_id, 0), a.revision, a.status, " \
                      "a.catalog_id, a.catalog_version, " \
                      "CASE WHEN p.left_on IS NOT NULL AND p.left_on <= ? AND p.left_on <= c.closes THEN 1 ELSE 0 END " \
                      "FROM assessment a JOIN person p ON p.id = a.person_id JOIN cycle c ON c.id = a.cycle_id " \
                      "WHERE a.revision > ? ORDER BY a.revision, a.id") \
    X(RESULTS_ALL, "SELECT assessment_id, specialization_id, level FROM result WHERE policy = ?") \
    X(RESULT_PUT, "INSERT INTO result (assessment_id, policy, specialization_id, level, detail, computed_at) " \
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, policy, specialization_id) DO UPDATE SET " \
                  "level = excluded.level, detail = excluded.detail, computed_at = excluded.computed_at") \
    X(RESULT_LIST, "SELECT specialization_id, level, detail, computed_at FROM result " \
                   "WHERE assessment_id = ? AND policy = ? ORDER BY specialization_id")

enum { Q_FIRST_ = QUERY_BASE - 1, RESULT_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { RESULT_QUERIES(STORE_QUERY_SQL) };

/* Keeps the level of one specialization of an assessment under policy (replacing
 * the one kept). 0, or -1 with *e. */
int store_result_put(store *s, int64_t assessment_id, const char *policy, const char *specialization_id,
                     int level, const char *detail, err *e)
{
    if (rules_text(e, "policy", policy, 1, 0) < 0 || rules_element_id(e, "specialization_id", specialization_id) < 0
        || rules_text(e, "detail", detail, 0, 1) < 0)
        return -1;
    if (level < 0 || level > 7)
        return store_field_error(e, "level", "level %d is not 0 (未到達) or a level of the standard (1 to 7)", level);
    char at[24];
    store_now_utc(at);
    if (QUERY_EXEC(s, Q_RESULT_PUT, e, "ittitt", assessment_id, policy, specialization_id, (int64_t)level, detail, at)
        < 0) {
        if (s->fault == STORE_FAULT_FOREIGN_KEY)
            err_set(e, "", 0, 0, NULL, "no assessment with id %lld", (long long)assessment_id);
        return -1;
    }
    return 0;
}

/* The columns of RESULT_LIST, in order. */
static const store_col result_cols[] = {
    STORE_COL(TEXT, store_result, specialization_id, "specialization_id"),
    STORE_COL(INT, store_result, level, "level"),
    STORE_COL(TEXT, store_result, detail, "detail"),
    STORE_COL(TEXT, store_result, computed_at, "computed_at"),
};
static const store_row result_row = STORE_ROW(result_cols, store_result);

/* The kept results of an assessment under policy, by specialization, into out
 * (the caller frees it with store_result_list_free). 0, or -1 with *e. */
int store_result_list_assessment(store *s, int64_t assessment_id, const char *policy, store_result_list *out,
                                 err *e)
{
    int rc;
    out->items = store_row_all(s, &result_row, QUERY_OPEN(s, Q_RESULT_LIST, e, "it", assessment_id,
                                                          policy ? policy : ""), &out->count, &rc, e);
    return rc;
}

/* Calls fn for every kept result under policy until fn returns non-zero
 * (returned); the texts are valid during the call only. 0, or -1 with *e. */
int store_result_each(store *s, const char *policy,
                      int (*fn)(int64_t assessment_id, const char *specialization_id, int level, void *ctx), void *ctx,
                      err *e)
{
    store_stmt *st = QUERY_OPEN(s, Q_RESULTS_ALL, e, "t", policy ? policy : "");
    if (!st)
        return -1;
    int rc, stop = 0;
    while ((rc = store_q_step(s, st, e)) == 1) {
        const char *spec = s->drv->column_text(st, 1);
        if ((stop = fn(s->drv->column_int(st, 0), spec ? spec : "", (int)s->drv->column_int(st, 2), ctx)) != 0)
            break;
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : stop;
}

/* Calls fn for every assessment whose revision is above since, by revision, until
 * fn returns non-zero (returned); c is valid during the call only. 0, or -1. */
int store_assessment_changes(store *s, int64_t since, int (*fn)(const store_assessment_change *c, void *ctx),
                             void *ctx, err *e)
{
    if (since <= 0)
        since = -1;            /* every one, revision 0 included (a database made before revisions existed) */

    char today[11];
    rules_today(today);
    return store_assessment_change_each(s, QUERY_OPEN(s, Q_ASSESS_CHANGED, e, "ti", today, since), fn, ctx, e);
}

int store_assessment_change_each(store *s, store_stmt *st, int (*fn)(const store_assessment_change *c, void *ctx),
                                 void *ctx, err *e)
{
    if (!st)
        return -1;
    int rc, stop = 0;
    while ((rc = store_q_step(s, st, e)) == 1) {
        store_assessment_change c;
        c.id = s->drv->column_int(st, 0);
        c.person_id = s->drv->column_int(st, 1);
        c.cycle_id = s->drv->column_int(st, 2);
        c.org_unit_id = s->drv->column_int(st, 3);
        c.revision = s->drv->column_int(st, 4);
        const char *status = s->drv->column_text(st, 5);
        int k = assessment_status_parse(status ? status : "");
        c.status = k < 0 ? ASSESSMENT_DRAFT : (assessment_status)k;
        c.catalog_id = s->drv->column_text(st, 6);
        c.catalog_version = s->drv->column_text(st, 7);
        c.left = s->drv->column_int(st, 8) != 0;
        if ((stop = fn(&c, ctx)) != 0)
            break;
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : stop;
}

/* Frees what l holds and empties it. */
void store_result_list_free(store_result_list *l)
{
    store_row_free_all(&result_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
