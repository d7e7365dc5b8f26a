/* store_answer_convert.c - the migration to schema version 6 converts a
 * version 5 database's answers, evidence and history to packed ones, in the
 * migration's one transaction (docs/store.md, "Migration from version 5"). One
 * slot per statement from STORE_SLOT_CONVERT. */
#include "store_internal.h"
#include "store_packed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

#define QUERY_BASE STORE_SLOT_CONVERT
#define CONVERT_QUERIES(X) \
    X(MIG5_ASSESSMENTS, "SELECT id, catalog_id, catalog_version FROM assessment ORDER BY id") \
    X(MIG5_ANSWERS, "SELECT element_id, rater, value FROM answer_v4 WHERE assessment_id = ? ORDER BY element_id, rater") \
    X(MIG5_EVIDENCE, "SELECT element_id, rater, experience_id FROM answer_evidence_v4 WHERE assessment_id = ?") \
    X(MIG5_HISTORY, "SELECT at, actor, field, element_id, rater, old_value, new_value FROM assessment_history_v4 " \
                    "WHERE assessment_id = ? ORDER BY id")

enum { Q_FIRST_ = QUERY_BASE - 1, CONVERT_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { CONVERT_QUERIES(STORE_QUERY_SQL) };

/* The version 5 answers and evidence of assessment id, as they stand, into
 * now (numbered by d). 0, or -1 with *e naming what cannot be converted. */
static int mig5_current(store *s, int64_t id, elem_dict *d, answer_state *now, err *e)
{
    int rc = 0;
    store_stmt *st = NULL;
    if (rc == 0 && !(st = QUERY_OPEN(s, Q_MIG5_ANSWERS, e, "i", id)))
        rc = -1;
    while (rc == 0 && (rc = store_q_step(s, st, e)) == 1) {
        const char *element = s->drv->column_text(st, 0), *rater = s->drv->column_text(st, 1);
        int r = rater ? assessment_rater_parse(rater) : -1;
        int64_t value = s->drv->column_int(st, 2);
        long k = -1;
        if (rules_element_id(e, "element_id", element) < 0 || r < 0 || value < 0 || value > ASSESS_RATING_MAX
            || (k = store_dict_number(s, d, element, e)) < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: cannot convert the answer '%s' (%s, %lld)",
                    (long long)id, element ? element : "", rater ? rater : "", (long long)value);
            rc = -1;
            break;
        }
        store_state_reserve(now, (size_t)k + 1);
        now->codes[r][k] = (uint8_t)(value + 1);
        rc = 0;
    }
    if (st)
        store_q_close(s, st);
    st = NULL;
    if (rc == 0 && !(st = QUERY_OPEN(s, Q_MIG5_EVIDENCE, e, "i", id)))
        rc = -1;
    while (rc == 0 && (rc = store_q_step(s, st, e)) == 1) {
        const char *element = s->drv->column_text(st, 0), *rater = s->drv->column_text(st, 1);
        int r = rater ? assessment_rater_parse(rater) : -1;
        long k = element ? store_dict_lookup(d, element) : -1;
        if (r < 0 || k < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: evidence of an unknown answer '%s'",
                    (long long)id, element ? element : "");
            rc = -1;
            break;
        }
        *PUSH(now->links, now->n_links) = (ev_link){ r, (uint32_t)k, s->drv->column_int(st, 2) };
        rc = 0;
    }
    if (st)
        store_q_close(s, st);
    st = NULL;
    return rc;
}

/* The version 5 history of assessment id (d numbers its elements) as packed
 * rows: runs of value and evidence rows by one actor at one moment become one
 * row of changes (changes: a buffer to reuse). 0, or -1 with *e. */
static int mig5_history(store *s, int64_t id, elem_dict *d, buf *changes, err *e)
{
    int rc = 0;
    store_stmt *st = NULL;
    answer_state replay, next;
    memset(&replay, 0, sizeof replay);
    memset(&next, 0, sizeof next);
    if (rc == 0 && !(st = QUERY_OPEN(s, Q_MIG5_HISTORY, e, "i", id)))
        rc = -1;
    char *run_at = NULL, *run_actor = NULL;
    int in_run = 0;
    for (;;) {
        int step = rc == 0 ? store_q_step(s, st, e) : -1;
        const char *field = step == 1 ? s->drv->column_text(st, 2) : NULL;
        const char *at = step == 1 ? s->drv->column_text(st, 0) : NULL;
        const char *actor = step == 1 ? s->drv->column_text(st, 1) : NULL;
        int is_answer = field && (strcmp(field, "value") == 0 || strcmp(field, "evidence") == 0);
        int same_run = in_run && is_answer && at && actor && strcmp(at, run_at) == 0
                       && strcmp(actor, run_actor) == 0;
        if (in_run && !same_run) {
            /* close the run */
            if (store_changes_encode(&replay, &next, changes) > 0
                && store_history_add(s, id, run_at, run_actor, "answers", NULL, NULL, changes, e) < 0)
                step = -1;
            store_state_free(&replay);
            replay = next;
            memset(&next, 0, sizeof next);
            in_run = 0;
            free(run_at);
            free(run_actor);
            run_at = run_actor = NULL;
        }
        if (step != 1) {
            if (step < 0)
                rc = -1;
            break;
        }
        if (!is_answer) {
            if (store_history_add(s, id, at ? at : "", actor ? actor : "", field ? field : "",
                            s->drv->column_text(st, 5), s->drv->column_text(st, 6), NULL, e) < 0) {
                rc = -1;
                break;
            }
            continue;
        }
        if (!in_run) {
            store_state_copy(&next, &replay);
            run_at = xstrdup(at);
            run_actor = xstrdup(actor);
            in_run = 1;
        }
        const char *element = s->drv->column_text(st, 3), *rater = s->drv->column_text(st, 4);
        int r = rater ? assessment_rater_parse(rater) : -1;
        long k = element ? store_dict_lookup(d, element) : -1;
        if (k < 0 && element && rules_element_id(NULL, "element_id", element) == 0)
            k = store_dict_number(s, d, element, e);      /* an answer since removed */
        if (r < 0 || k < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: cannot convert the history of '%s'",
                    (long long)id, element ? element : "");
            rc = -1;
            free(run_at);
            free(run_actor);
            break;
        }
        const char *nv = s->drv->column_text(st, 6);
        store_state_reserve(&next, (size_t)k + 1);
        if (strcmp(field, "value") == 0) {
            next.codes[r][k] = nv ? (uint8_t)(atoi(nv) + 1) : 0;
        } else {
            int64_t *ids = NULL;
            size_t n_ids = 0;
            for (const char *p = nv; p && *p;) {
                *PUSH(ids, n_ids) = strtoll(p, NULL, 10);
                p = strchr(p, ',');
                p = p ? p + 1 : NULL;
            }
            store_state_set(&next, r, (uint32_t)k, next.codes[r][k], ids, n_ids);
            free(ids);
        }
    }
    if (st)
        store_q_close(s, st);
    store_state_free(&replay);
    store_state_free(&next);
    return rc;
}

/* Converts the answers, evidence and history of every assessment from the
 * tables of versions 1 to 5 (renamed *_v4 by the migration's SQL) to the packed
 * ones, then drops the old tables. Runs inside the migration's transaction: any
 * failure leaves the database at version 5 as it was. */
int store_answers_convert(store *s, err *e)
{
    typedef struct { int64_t id; char *catalog_id, *version; } todo;
    todo *list = NULL;
    size_t n = 0;
    /* The old history's index went with the rename (the new table took its
     * name): without one, reading each assessment's history scans them all. */
    if (s->drv->exec(s->conn, "CREATE INDEX assessment_history_v4_by_assessment "
                              "ON assessment_history_v4(assessment_id, id)", e) < 0)
        return -1;
    store_stmt *st = QUERY_OPEN(s, Q_MIG5_ASSESSMENTS, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        todo *t = PUSH(list, n);
        t->id = s->drv->column_int(st, 0);
        t->catalog_id = store_q_dup(s, st, 1);
        t->version = store_q_dup(s, st, 2);
    }
    store_q_close(s, st);
    rc = rc < 0 ? -1 : 0;
    buf changes;
    buf_init(&changes);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        answer_state now, empty;
        memset(&now, 0, sizeof now);
        memset(&empty, 0, sizeof empty);
        elem_dict *d = store_dict_get(s, list[i].catalog_id, list[i].version, e);
        rc = d ? mig5_current(s, list[i].id, d, &now, e) : -1;
        if (rc == 0) {
            if (now.n_links > 1)
                qsort(now.links, now.n_links, sizeof *now.links, store_cmp_link);
            rc = store_state_store(s, list[i].id, &empty, &now, e);
        }
        if (rc == 0)
            rc = mig5_history(s, list[i].id, d, &changes, e);
        store_state_free(&now);
    }
    buf_free(&changes);
    for (size_t i = 0; i < n; i++) {
        free(list[i].catalog_id);
        free(list[i].version);
    }
    free(list);
    if (rc == 0)
        rc = s->drv->exec(s->conn, "DROP TABLE answer_evidence_v4; DROP TABLE answer_v4; "
                                   "DROP TABLE assessment_history_v4", e);
    return rc;
}
