/* store_plan.c - training catalog, qualifications, training results and
 * development plans in the store (store_plan.h, schema version 5).
 *
 * Same pattern as store.c: portable SQL with `?`, one slot per statement (from
 * STORE_SLOT_PLAN), every change of several rows in one transaction, messages
 * that name the field. */
#include "store_plan.h"
#include "store_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COURSE_COLUMNS "id, code, title, provider, hours_tenths FROM course"
#define QUAL_COLUMNS "id, person_id, kind, code, name, obtained_on, expires_on FROM qualification"
#define PLAN_COLUMNS "id, person_id, specialization_id, target_level, target_date, catalog_id, catalog_version, " \
                     "baseline_assessment_id, status, approved_by, approved_at, created_by, created_at, updated_at " \
                     "FROM plan"
#define ACTION_COLUMNS "a.id, a.item_id, a.kind, a.course_id, c.code, a.title, a.due_on, a.status, a.completed_on, " \
                       "a.grade FROM plan_action a LEFT JOIN course c ON c.id = a.course_id"
/* The units under a unit (none for 0) and whether the whole company is meant
 * (unit 0): a person is in scope when whole or in one of those units. Counted
 * from the plans' side, so a company of 100,000 with a few plans is not
 * gathered person by person for every count. */
#define PLAN_SCOPE \
    "WITH RECURSIVE unit(id) AS (SELECT id FROM org_unit WHERE id = ? " \
    "UNION ALL SELECT u.id FROM org_unit u JOIN unit ON u.parent_id = unit.id), " \
    "scope(whole) AS (SELECT CAST(? AS BIGINT) = 0) "
#define IN_SCOPE(pe) "((SELECT whole FROM scope) OR " pe ".org_unit_id IN (SELECT id FROM unit))"

#define PLAN_QUERIES(X) \
    X(COURSE_BY_CODE, "SELECT " COURSE_COLUMNS " WHERE code = ?") \
    X(COURSE_BY_ID, "SELECT " COURSE_COLUMNS " WHERE id = ?") \
    X(COURSE_ALL, "SELECT " COURSE_COLUMNS " ORDER BY code") \
    X(COURSE_INSERT, "INSERT INTO course (code, title, provider, hours_tenths, created_at, updated_at) " \
                     "VALUES (?, ?, ?, ?, ?, ?) RETURNING id") \
    X(COURSE_UPDATE, "UPDATE course SET title = ?, provider = ?, hours_tenths = ?, updated_at = ? WHERE id = ?") \
    X(COVER_DELETE, "DELETE FROM course_cover WHERE course_id = ?") \
    X(COVER_INSERT, "INSERT INTO course_cover (course_id, element_id) VALUES (?, ?) ON CONFLICT DO NOTHING") \
    X(COVER_LIST, "SELECT element_id FROM course_cover WHERE course_id = ? ORDER BY element_id") \
    X(COURSE_COVERING, "SELECT DISTINCT course_id FROM course_cover WHERE element_id = ?") \
    X(PERSON_EXISTS, "SELECT 1 FROM person WHERE id = ?") \
    X(QUAL_INSERT, "INSERT INTO qualification (person_id, kind, code, name, obtained_on, expires_on, created_at) " \
                   "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(QUAL_BY_PERSON, "SELECT " QUAL_COLUMNS " WHERE person_id = ? ORDER BY obtained_on, id") \
    X(PLAN_BY_PERSON, "SELECT " PLAN_COLUMNS " WHERE person_id = ?") \
    X(PLAN_BY_ID, "SELECT " PLAN_COLUMNS " WHERE id = ?") \
    X(PLAN_INSERT, "INSERT INTO plan (person_id, specialization_id, target_level, target_date, catalog_id, " \
                   "catalog_version, baseline_assessment_id, status, created_by, created_at, updated_at) " \
                   "VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id") \
    X(PLAN_UPDATE, "UPDATE plan SET specialization_id = ?, target_level = ?, target_date = ?, catalog_id = ?, " \
                   "catalog_version = ?, baseline_assessment_id = ?, status = 'draft', approved_by = NULL, " \
                   "approved_at = NULL, updated_at = ? WHERE id = ?") \
    X(PLAN_APPROVE, "UPDATE plan SET status = 'approved', approved_by = ?, approved_at = ?, updated_at = ? " \
                    "WHERE id = ?") \
    X(PLAN_TOUCH, "UPDATE plan SET updated_at = ? WHERE id = ?") \
    X(ITEMS, "SELECT id, element_id, kind, position FROM plan_item WHERE plan_id = ? ORDER BY position, id") \
    X(ITEM_UPSERT, "INSERT INTO plan_item (plan_id, element_id, kind, position) VALUES (?, ?, ?, ?) " \
                   "ON CONFLICT (plan_id, element_id) DO UPDATE SET kind = excluded.kind, position = excluded.position") \
    X(ITEM_DELETE, "DELETE FROM plan_item WHERE id = ?") \
    X(ITEM_OF_PLAN, "SELECT 1 FROM plan_item WHERE id = ? AND plan_id = ?") \
    X(ACTIONS, "SELECT " ACTION_COLUMNS " WHERE a.plan_id = ? ORDER BY a.due_on, a.id") \
    X(ACTION_DELETE_ITEM, "DELETE FROM plan_action WHERE item_id = ?") \
    X(ACTION_INSERT, "INSERT INTO plan_action (plan_id, item_id, kind, course_id, title, due_on, status, " \
                     "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?) RETURNING id") \
    X(ACTION_OF_PLAN, "SELECT 1 FROM plan_action WHERE id = ? AND plan_id = ?") \
    X(ACTION_STATUS, "UPDATE plan_action SET status = ?, completed_on = ?, updated_at = ? WHERE id = ?") \
    X(ACTION_COMPLETE_COURSE, "UPDATE plan_action SET status = 'done', completed_on = ?, grade = ?, updated_at = ? " \
                              "WHERE course_id = ? AND status IN ('planned', 'in_progress') AND plan_id IN " \
                              "(SELECT id FROM plan WHERE person_id = ?) RETURNING id") \
    X(COMMENT_INSERT, "INSERT INTO plan_comment (plan_id, author, kind, body, created_at) VALUES (?, ?, ?, ?, ?)") \
    X(COMMENTS, "SELECT id, author, kind, body, created_at FROM plan_comment WHERE plan_id = ? ORDER BY id") \
    X(RESULT_INSERT, "INSERT INTO training_result (person_id, course_id, completed_on, grade, source, imported_at) " \
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, course_id, completed_on) DO NOTHING " \
                     "RETURNING id") \
    X(COUNT_PEOPLE, PLAN_SCOPE "SELECT (SELECT count(*) FROM person pe WHERE " IN_SCOPE("pe") "), " \
                    "(SELECT count(*) FROM plan p JOIN person pe ON pe.id = p.person_id WHERE " IN_SCOPE("pe") "), " \
                    "(SELECT count(*) FROM plan p JOIN person pe ON pe.id = p.person_id WHERE p.status = 'approved' " \
                    "AND " IN_SCOPE("pe") "), (SELECT count(*) FROM plan_action a JOIN plan p ON p.id = a.plan_id " \
                    "JOIN person pe ON pe.id = p.person_id WHERE " IN_SCOPE("pe") "), (SELECT count(*) FROM " \
                    "plan_action a JOIN plan p ON p.id = a.plan_id JOIN person pe ON pe.id = p.person_id WHERE " \
                    IN_SCOPE("pe") " AND a.due_on < ? AND a.status IN ('planned', 'in_progress'))") \
    X(COMMON_GAPS, PLAN_SCOPE "SELECT i.element_id, count(*) AS n FROM plan_item i JOIN plan p ON p.id = i.plan_id " \
                   "JOIN person pe ON pe.id = p.person_id WHERE " IN_SCOPE("pe") " GROUP BY i.element_id " \
                   "ORDER BY n DESC, i.element_id LIMIT ?")

#define PQ_ENUM(name, sql) PQ_##name,
#define PQ_SQL(name, sql) sql,
enum { PLAN_QUERIES(PQ_ENUM) PQ_COUNT };
static const char *const plan_sql[] = { PLAN_QUERIES(PQ_SQL) };

/* The slot and SQL of query name, as store_q_open and store_q_exec take them. */
#define PQ(name) STORE_SLOT_PLAN + PQ_##name, plan_sql[PQ_##name]

/* ---- small helpers ---- */

/* Fills *e with field and a message; returns -1. */
static int field_error(err *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int field_error(err *e, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(e, "", 0, 0, field, "%s", msg);
    if (e)
        e->code = ERR_INVALID;
    return -1;
}

/* field_error for a reference to something that does not exist (a face answers 404). */
#define missing_error(e, ...) (field_error((e), __VA_ARGS__), not_found(e))
static int not_found(err *e)
{
    if (e)
        e->code = ERR_NOT_FOUND;
    return -1;
}

/* 1 when s is a real date YYYY-MM-DD. */
static int is_date(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] && !(m == 2 && d == 29 && !leap);
}

static int check_date(err *e, const char *field, const char *v)
{
    if (!v || !v[0])
        return field_error(e, field, "may not be empty");
    if (!is_date(v))
        return field_error(e, field, "'%s' is not a date (YYYY-MM-DD)", v);
    return 0;
}

/* A required one-line text: not empty, no control characters. */
static int check_line(err *e, const char *field, const char *v, size_t max)
{
    if (!v || !v[0])
        return field_error(e, field, "may not be empty");
    if (strlen(v) > max)
        return field_error(e, field, "is longer than %zu bytes", max);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return field_error(e, field, "may not hold control characters or line breaks");
    return 0;
}

/* Runs a query to its end, keeping the first column of its one row in *out
 * (may be NULL): 1 a row, 0 none, -1 failed. */
static int first_int(store *s, store_stmt *st, int64_t *out, err *e)
{
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1 && out)
        *out = store_q_int(s, st, 0);
    if (rc == 1)
        while (store_q_step(s, st, e) == 1)
            ;
    store_q_close(s, st);
    return rc;
}

/* Ends the transaction: commit when rc >= 0, else roll back. Returns rc (or -1). */
static int tx_end(store *s, int rc, err *e)
{
    if (rc >= 0)
        return store_commit(s, e) < 0 ? -1 : rc;
    store_rollback(s, NULL);
    return rc;
}

static int person_exists(store *s, int64_t person_id, err *e)
{
    int rc = first_int(s, store_q_open(s, PQ(PERSON_EXISTS), e, "i", person_id), NULL, e);
    if (rc == 0)
        missing_error(e, "person_id", "no person with id %lld", (long long)person_id);
    return rc;
}

/* ---- courses ---- */

void store_course_clear(store_course *c)
{
    if (!c)
        return;
    free(c->code);
    free(c->title);
    free(c->provider);
    for (size_t i = 0; i < c->n_covers; i++)
        free(c->covers[i]);
    free(c->covers);
    memset(c, 0, sizeof *c);
}

void store_course_list_free(store_course_list *l)
{
    for (size_t i = 0; l && i < l->count; i++)
        store_course_clear(&l->items[i]);
    if (l) {
        free(l->items);
        l->items = NULL;
        l->count = 0;
    }
}

/* The columns of COURSE_COLUMNS, in order (what a course covers is read apart). */
static const store_col course_cols[] = {
    STORE_COL(I64, store_course, id, "id"),
    STORE_COL(TEXT, store_course, code, "code"),
    STORE_COL(TEXT, store_course, title, "title"),
    STORE_COL(TEXT, store_course, provider, "provider"),
    STORE_COL(INT, store_course, hours_tenths, "hours_tenths"),
};
static const store_row course_row = STORE_ROW(course_cols, store_course);

/* The columns of QUAL_COLUMNS, in order. */
static const store_col qualification_cols[] = {
    STORE_COL(I64, store_qualification, id, "id"),
    STORE_COL(I64, store_qualification, person_id, "person_id"),
    STORE_COL(TEXT, store_qualification, kind, "kind"),
    STORE_COL(TEXT, store_qualification, code, "code"),
    STORE_COL(TEXT, store_qualification, name, "name"),
    STORE_COL(TEXT, store_qualification, obtained_on, "obtained_on"),
    STORE_COL(TEXT, store_qualification, expires_on, "expires_on"),
};
static const store_row qualification_row = STORE_ROW(qualification_cols, store_qualification);

/* The columns of PLAN_COLUMNS, in order (items, actions and comments are read apart). */
static const store_col plan_cols[] = {
    STORE_COL(I64, store_plan, id, "id"),
    STORE_COL(I64, store_plan, person_id, "person_id"),
    STORE_COL(TEXT, store_plan, specialization_id, "specialization_id"),
    STORE_COL(INT, store_plan, target_level, "target_level"),
    STORE_COL(TEXT, store_plan, target_date, "target_date"),
    STORE_COL(TEXT, store_plan, catalog_id, "catalog_id"),
    STORE_COL(TEXT, store_plan, catalog_version, "catalog_version"),
    STORE_COL(I64, store_plan, baseline_assessment_id, "baseline_assessment_id"),
    STORE_COL(TEXT, store_plan, status, "status"),
    STORE_COL(TEXT, store_plan, approved_by, "approved_by"),
    STORE_COL(TEXT, store_plan, approved_at, "approved_at"),
    STORE_COL(TEXT, store_plan, created_by, "created_by"),
    STORE_COL(TEXT, store_plan, created_at, "created_at"),
    STORE_COL(TEXT, store_plan, updated_at, "updated_at"),
};
static const store_row plan_row = STORE_ROW(plan_cols, store_plan);

/* The columns of a plan's items (PQ ITEMS), actions (ACTION_COLUMNS) and
 * comments (PQ COMMENTS), in order. */
static const store_col item_cols[] = {
    STORE_COL(I64, store_plan_item, id, "id"),
    STORE_COL(TEXT, store_plan_item, element_id, "element_id"),
    STORE_COL(TEXT, store_plan_item, kind, "kind"),
    STORE_COL(INT, store_plan_item, position, "position"),
};
static const store_row item_row = STORE_ROW(item_cols, store_plan_item);
static const store_col action_cols[] = {
    STORE_COL(I64, store_plan_action, id, "a.id"),
    STORE_COL(I64, store_plan_action, item_id, "a.item_id"),
    STORE_COL(TEXT, store_plan_action, kind, "a.kind"),
    STORE_COL(I64, store_plan_action, course_id, "a.course_id"),
    STORE_COL(TEXT, store_plan_action, course_code, "c.code"),
    STORE_COL(TEXT, store_plan_action, title, "a.title"),
    STORE_COL(TEXT, store_plan_action, due_on, "a.due_on"),
    STORE_COL(TEXT, store_plan_action, status, "a.status"),
    STORE_COL(TEXT, store_plan_action, completed_on, "a.completed_on"),
    STORE_COL(TEXT, store_plan_action, grade, "a.grade"),
};
static const store_row action_row = STORE_ROW(action_cols, store_plan_action);
static const store_col comment_cols[] = {
    STORE_COL(I64, store_plan_comment, id, "id"),
    STORE_COL(TEXT, store_plan_comment, author, "author"),
    STORE_COL(TEXT, store_plan_comment, kind, "kind"),
    STORE_COL(TEXT, store_plan_comment, body, "body"),
    STORE_COL(TEXT, store_plan_comment, created_at, "created_at"),
};
static const store_row comment_row = STORE_ROW(comment_cols, store_plan_comment);

/* Loads what course c covers. */
static int course_covers(store *s, store_course *c, err *e)
{
    store_stmt *st = store_q_open(s, PQ(COVER_LIST), e, "i", c->id);
    if (!st)
        return -1;
    int rc;
    size_t cap = 0;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (c->n_covers == cap) {
            cap = cap ? 2 * cap : 4;
            c->covers = realloc(c->covers, cap * sizeof *c->covers);
            if (!c->covers)
                abort();
        }
        c->covers[c->n_covers++] = store_q_dup(s, st, 0);
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

/* One course by a query with one bound argument (st; NULL when opening failed)
 * into out, with what it covers (store_course_clear frees it): 1, 0 none (with
 * *e naming what), -1 failed. */
static int course_one(store *s, store_stmt *st, store_course *out, const char *what, err *e)
{
    int rc = store_row_one(s, &course_row, st, out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, "course", "no course %s", what);
    if (rc == 1 && course_covers(s, out, e) < 0) {
        store_course_clear(out);
        return -1;
    }
    return rc;
}

int store_course_find(store *s, const char *code, store_course *out, err *e)
{
    char what[128];
    snprintf(what, sizeof what, "with code %s", code);
    return course_one(s, store_q_open(s, PQ(COURSE_BY_CODE), e, "t", code), out, what, e);
}

int store_course_get(store *s, int64_t id, store_course *out, err *e)
{
    char what[64];
    snprintf(what, sizeof what, "with id %lld", (long long)id);
    return course_one(s, store_q_open(s, PQ(COURSE_BY_ID), e, "i", id), out, what, e);
}

int store_course_put(store *s, const store_course *c, int64_t *id, err *e)
{
    if (check_line(e, "code", c->code, 64) < 0 || check_line(e, "title", c->title, 400) < 0)
        return -1;
    for (const char *p = c->code; *p; p++)
        if (*p == ' ')
            return field_error(e, "code", "'%s' may not hold spaces", c->code);
    if (c->provider && c->provider[0] && check_line(e, "provider", c->provider, 400) < 0)
        return -1;
    if (c->hours_tenths < 0 || c->hours_tenths > 100000)
        return field_error(e, "hours", "must be between 0 and 10000");
    for (size_t i = 0; i < c->n_covers; i++)
        if (check_line(e, "covers", c->covers[i], 64) < 0)
            return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int64_t course_id = 0;
    const char *provider = c->provider && c->provider[0] ? c->provider : NULL;
    int rc = first_int(s, store_q_open(s, PQ(COURSE_BY_CODE), e, "t", c->code), &course_id, e);
    if (rc == 1)
        rc = store_q_exec(s, PQ(COURSE_UPDATE), e, "ttiti", c->title, provider, (int64_t)c->hours_tenths, at,
                          course_id);
    else if (rc == 0)
        rc = first_int(s, store_q_open(s, PQ(COURSE_INSERT), e, "tttitt", c->code, c->title, provider,
                                       (int64_t)c->hours_tenths, at, at), &course_id, e) == 1 ? 0 : -1;
    if (rc >= 0)
        rc = store_q_exec(s, PQ(COVER_DELETE), e, "i", course_id);
    for (size_t i = 0; rc >= 0 && i < c->n_covers; i++)
        rc = store_q_exec(s, PQ(COVER_INSERT), e, "it", course_id, c->covers[i]);
    rc = tx_end(s, rc < 0 ? -1 : 0, e);
    if (rc == 0 && id)
        *id = course_id;
    return rc;
}

/* Every course by code, with what each covers, into out (the caller frees it
 * with store_course_list_free). 0, or -1 with *e. */
int store_course_list_all(store *s, store_course_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &course_row, store_q_open(s, PQ(COURSE_ALL), e, ""), &out->count, &rc, e);
    for (size_t i = 0; rc == 0 && i < out->count; i++)
        rc = course_covers(s, &out->items[i], e);
    if (rc < 0)
        store_course_list_free(out);
    return rc;
}

/* Sorts courses by code. */
static int course_cmp(const void *a, const void *b)
{
    return strcmp(((const store_course *)a)->code, ((const store_course *)b)->code);
}

int store_course_list_covering(store *s, const char *const *ids, size_t n, store_course_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    int64_t *found = NULL;
    size_t n_found = 0, cap = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        store_stmt *st = store_q_open(s, PQ(COURSE_COVERING), e, "t", ids[i]);
        if (!st) {
            rc = -1;
            break;
        }
        int r;
        while ((r = store_q_step(s, st, e)) == 1) {
            int64_t cid = store_q_int(s, st, 0);
            int dup = 0;
            for (size_t k = 0; k < n_found; k++)
                dup |= found[k] == cid;
            if (dup)
                continue;
            if (n_found == cap) {
                cap = cap ? 2 * cap : 8;
                found = realloc(found, cap * sizeof *found);
                if (!found)
                    abort();
            }
            found[n_found++] = cid;
        }
        store_q_close(s, st);
        rc = r < 0 ? -1 : 0;
    }
    if (rc == 0 && n_found) {
        out->items = calloc(n_found, sizeof *out->items);
        if (!out->items)
            abort();
        for (size_t k = 0; rc == 0 && k < n_found; k++) {
            if (store_course_get(s, found[k], &out->items[out->count], e) != 1)
                rc = -1;
            else
                out->count++;
        }
        qsort(out->items, out->count, sizeof *out->items, course_cmp);
    }
    free(found);
    if (rc < 0)
        store_course_list_free(out);
    return rc;
}

/* ---- qualifications ---- */

int store_qualification_add(store *s, const store_qualification *q, int64_t *id, err *e)
{
    if (!q->kind || (strcmp(q->kind, "ipa") != 0 && strcmp(q->kind, "vendor") != 0))
        return field_error(e, "kind", "'%s' is neither ipa nor vendor", q->kind ? q->kind : "");
    if (check_line(e, "code", q->code, 64) < 0 || check_line(e, "name", q->name, 400) < 0 ||
        check_date(e, "obtained_on", q->obtained_on) < 0)
        return -1;
    const char *expires = q->expires_on && q->expires_on[0] ? q->expires_on : NULL;
    if (expires && check_date(e, "expires_on", expires) < 0)
        return -1;
    if (expires && strcmp(expires, q->obtained_on) < 0)
        return field_error(e, "expires_on", "%s is before the date obtained, %s", expires, q->obtained_on);
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = person_exists(s, q->person_id, e);
    if (rc == 1)
        rc = first_int(s, store_q_open(s, PQ(QUAL_INSERT), e, "ittttt" "t", q->person_id, q->kind, q->code,
                                       q->name, q->obtained_on, expires, at), &new_id, e) == 1 ? 0 : -1;
    else
        rc = -1;
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* The person's qualifications, by date obtained, into out (the caller frees it
 * with store_qualification_list_free). 0, or -1 with *e. */
int store_qualification_list_person(store *s, int64_t person_id, store_qualification_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &qualification_row, store_q_open(s, PQ(QUAL_BY_PERSON), e, "i", person_id),
                               &out->count, &rc, e);
    return rc;
}

/* Frees what l holds and empties it; l may be NULL. */
void store_qualification_list_free(store_qualification_list *l)
{
    for (size_t i = 0; l && i < l->count; i++)
        store_row_clear(&qualification_row, &l->items[i]);
    if (l) {
        free(l->items);
        l->items = NULL;
        l->count = 0;
    }
}

/* ---- plans ---- */

/* Frees what p holds (items, actions, comments) and zeroes it; p may be NULL. */
void store_plan_clear(store_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_items; i++)
        store_row_clear(&item_row, &p->items[i]);
    free(p->items);
    for (size_t i = 0; i < p->n_actions; i++)
        store_row_clear(&action_row, &p->actions[i]);
    free(p->actions);
    for (size_t i = 0; i < p->n_comments; i++)
        store_row_clear(&comment_row, &p->comments[i]);
    free(p->comments);
    store_row_clear(&plan_row, p);
}

/* Grows *arr (of elements of size sz) to hold one more when *n == *cap; the
 * caller owns the (possibly moved) array returned. */
static void *grow(void *arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return arr;
    *cap = *cap ? 2 * *cap : 8;
    void *p = realloc(arr, *cap * sz);
    if (!p)
        abort();
    return p;
}

/* Loads the items, actions and comments of p (p owns them). 0, or -1 with *e. */
static int plan_parts(store *s, store_plan *p, err *e)
{
    int rc;
    p->items = store_row_all(s, &item_row, store_q_open(s, PQ(ITEMS), e, "i", p->id), &p->n_items, &rc, e);
    if (rc == 0)
        p->actions = store_row_all(s, &action_row, store_q_open(s, PQ(ACTIONS), e, "i", p->id), &p->n_actions, &rc,
                                   e);
    if (rc == 0)
        p->comments = store_row_all(s, &comment_row, store_q_open(s, PQ(COMMENTS), e, "i", p->id), &p->n_comments,
                                    &rc, e);
    return rc;
}

/* One plan by a query with one bound argument (st; NULL when opening failed)
 * into out, with its parts (store_plan_clear frees them): 1, 0 none (with *e
 * naming what), -1 failed. */
static int plan_one(store *s, store_stmt *st, store_plan *out, const char *what, err *e)
{
    int rc = store_row_one(s, &plan_row, st, out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, "plan", "no development plan %s", what);
    if (rc == 1 && plan_parts(s, out, e) < 0) {
        store_plan_clear(out);
        return -1;
    }
    return rc;
}

int store_plan_get_person(store *s, int64_t person_id, store_plan *out, err *e)
{
    char what[64];
    snprintf(what, sizeof what, "for person %lld", (long long)person_id);
    return plan_one(s, store_q_open(s, PQ(PLAN_BY_PERSON), e, "i", person_id), out, what, e);
}

int store_plan_get(store *s, int64_t id, store_plan *out, err *e)
{
    char what[64];
    snprintf(what, sizeof what, "with id %lld", (long long)id);
    return plan_one(s, store_q_open(s, PQ(PLAN_BY_ID), e, "i", id), out, what, e);
}

int store_plan_set(store *s, const store_plan_target *t, const char *actor, int64_t *id, err *e)
{
    if (check_line(e, "specialization", t->specialization_id, 64) < 0 || check_date(e, "date", t->target_date) < 0 ||
        check_line(e, "actor", actor, 200) < 0)
        return -1;
    if (t->target_level < 1 || t->target_level > 15)
        return field_error(e, "level", "%d is not a level", t->target_level);
    for (size_t i = 0; i < t->n_items; i++)
        if (check_line(e, "item", t->items[i].element_id, 64) < 0 || check_line(e, "item", t->items[i].kind, 32) < 0)
            return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    store_plan old;
    int64_t plan_id = 0;
    int rc = person_exists(s, t->person_id, e);
    if (rc == 1) {
        rc = store_plan_get_person(s, t->person_id, &old, e);
        if (rc == 1) {
            plan_id = old.id;
            rc = store_q_exec(s, PQ(PLAN_UPDATE), e, "titttnti", t->specialization_id, (int64_t)t->target_level,
                              t->target_date, t->catalog_id, t->catalog_version, t->baseline_assessment_id, at,
                              plan_id);
            /* items no longer in the gap go, with their actions */
            for (size_t i = 0; rc >= 0 && i < old.n_items; i++) {
                int keep = 0;
                for (size_t k = 0; k < t->n_items; k++)
                    keep |= strcmp(old.items[i].element_id, t->items[k].element_id) == 0;
                if (!keep) {
                    rc = store_q_exec(s, PQ(ACTION_DELETE_ITEM), e, "i", old.items[i].id);
                    if (rc >= 0)
                        rc = store_q_exec(s, PQ(ITEM_DELETE), e, "i", old.items[i].id);
                }
            }
            store_plan_clear(&old);
        } else if (rc == 0) {
            rc = first_int(s, store_q_open(s, PQ(PLAN_INSERT), e, "ititttnttt", t->person_id,
                                           t->specialization_id, (int64_t)t->target_level, t->target_date,
                                           t->catalog_id, t->catalog_version, t->baseline_assessment_id, actor, at,
                                           at), &plan_id, e) == 1 ? 0 : -1;
        }
    } else {
        rc = -1;
    }
    for (size_t i = 0; rc >= 0 && i < t->n_items; i++)
        rc = store_q_exec(s, PQ(ITEM_UPSERT), e, "itti", plan_id, t->items[i].element_id, t->items[i].kind,
                          (int64_t)i + 1);
    rc = tx_end(s, rc < 0 ? -1 : 0, e);
    if (rc == 0 && id)
        *id = plan_id;
    return rc;
}

int store_plan_action_add(store *s, int64_t plan_id, int64_t item_id, const char *kind, int64_t course_id,
                          const char *title, const char *due_on, const char *actor, int64_t *id, err *e)
{
    static const char *const kinds[] = { "course", "ojt", "qualification", "self_study" };
    int known = 0;
    for (size_t i = 0; kind && i < 4; i++)
        known |= strcmp(kind, kinds[i]) == 0;
    if (!known)
        return field_error(e, "kind", "'%s' is none of course, ojt, qualification, self_study", kind ? kind : "");
    int is_course = strcmp(kind, "course") == 0;
    if (is_course && !course_id)
        return field_error(e, "course", "a course action names a course of the training catalog");
    if (!is_course && course_id)
        return field_error(e, "course", "only a course action names a course");
    if (!is_course && check_line(e, "title", title, 400) < 0)
        return -1;
    if (check_date(e, "due", due_on) < 0 || check_line(e, "actor", actor, 200) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    store_course c;
    memset(&c, 0, sizeof c);
    int64_t new_id = 0;
    int rc = first_int(s, store_q_open(s, PQ(PLAN_BY_ID), e, "i", plan_id), NULL, e);
    if (rc == 0)
        rc = missing_error(e, "plan", "no development plan with id %lld", (long long)plan_id);
    if (rc == 1 && item_id) {
        rc = first_int(s, store_q_open(s, PQ(ITEM_OF_PLAN), e, "ii", item_id, plan_id), NULL, e);
        if (rc == 0)
            rc = missing_error(e, "item", "item %lld is not an item of this plan", (long long)item_id);
    }
    if (rc == 1 && is_course) {
        rc = store_course_get(s, course_id, &c, e);
        if (rc == 0)
            rc = -1;
        if (rc == 1 && !(title && title[0]))
            title = c.title;
    }
    if (rc == 1)
        rc = first_int(s, store_q_open(s, PQ(ACTION_INSERT), e, "intnttttt", plan_id, item_id, kind, course_id,
                                       title, due_on, actor, at, at), &new_id, e) == 1 ? 0 : -1;
    if (rc == 0)
        rc = store_q_exec(s, PQ(PLAN_TOUCH), e, "ti", at, plan_id);
    store_course_clear(&c);
    rc = tx_end(s, rc < 0 ? -1 : 0, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_plan_action_set_status(store *s, int64_t plan_id, int64_t id, const char *status,
                                 const char *completed_on, err *e)
{
    static const char *const statuses[] = { "planned", "in_progress", "done", "dropped" };
    int known = 0;
    for (size_t i = 0; status && i < 4; i++)
        known |= strcmp(status, statuses[i]) == 0;
    if (!known)
        return field_error(e, "status", "'%s' is none of planned, in_progress, done, dropped",
                           status ? status : "");
    char at[24], today[11];
    store_now_utc(at);
    memcpy(today, at, 10);
    today[10] = '\0';
    int done = strcmp(status, "done") == 0;
    if (done && completed_on && check_date(e, "completed_on", completed_on) < 0)
        return -1;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = first_int(s, store_q_open(s, PQ(ACTION_OF_PLAN), e, "ii", id, plan_id), NULL, e);
    if (rc == 0)
        rc = missing_error(e, "action", "action %lld is not an action of this plan", (long long)id);
    if (rc == 1)
        rc = store_q_exec(s, PQ(ACTION_STATUS), e, "ttti", status, done ? (completed_on ? completed_on : today) : NULL,
                          at, id);
    if (rc == 0)
        rc = store_q_exec(s, PQ(PLAN_TOUCH), e, "ti", at, plan_id);
    return tx_end(s, rc < 0 ? -1 : 0, e);
}

int store_plan_comment_add(store *s, int64_t id, const char *author, const char *body, err *e)
{
    if (check_line(e, "author", author, 200) < 0)
        return -1;
    if (!body || !body[0])
        return field_error(e, "comment", "may not be empty");
    if (strlen(body) > 4000)
        return field_error(e, "comment", "is longer than 4000 bytes");
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = first_int(s, store_q_open(s, PQ(PLAN_BY_ID), e, "i", id), NULL, e);
    if (rc == 0)
        rc = missing_error(e, "plan", "no development plan with id %lld", (long long)id);
    if (rc == 1)
        rc = store_q_exec(s, PQ(COMMENT_INSERT), e, "ittt" "t", id, author, "comment", body, at);
    return tx_end(s, rc < 0 ? -1 : 0, e);
}

int store_plan_approve(store *s, int64_t id, const char *actor, const char *comment, err *e)
{
    if (check_line(e, "actor", actor, 200) < 0)
        return -1;
    if (comment && strlen(comment) > 4000)
        return field_error(e, "comment", "is longer than 4000 bytes");
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = first_int(s, store_q_open(s, PQ(PLAN_BY_ID), e, "i", id), NULL, e);
    if (rc == 0)
        rc = missing_error(e, "plan", "no development plan with id %lld", (long long)id);
    if (rc == 1)
        rc = store_q_exec(s, PQ(PLAN_APPROVE), e, "ttti", actor, at, at, id);
    if (rc == 0 && comment && comment[0])
        rc = store_q_exec(s, PQ(COMMENT_INSERT), e, "ittt" "t", id, actor, "approve", comment, at);
    return tx_end(s, rc < 0 ? -1 : 0, e);
}

int store_training_result_add(store *s, int64_t person_id, int64_t course_id, const char *completed_on,
                              const char *grade, const char *source, int *attached, err *e)
{
    if (check_date(e, "date", completed_on) < 0 || check_line(e, "source", source, 400) < 0)
        return -1;
    if (grade && grade[0] && check_line(e, "grade", grade, 64) < 0)
        return -1;
    const char *g = grade && grade[0] ? grade : NULL;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int n = 0;
    int64_t rid = 0;
    int rc = person_exists(s, person_id, e);
    if (rc == 1) {
        rc = first_int(s, store_q_open(s, PQ(COURSE_BY_ID), e, "i", course_id), NULL, e);
        if (rc == 0)
            rc = missing_error(e, "course", "no course with id %lld", (long long)course_id);
    } else {
        rc = -1;
    }
    if (rc == 1)
        rc = first_int(s, store_q_open(s, PQ(RESULT_INSERT), e, "iittt" "t", person_id, course_id, completed_on, g,
                                       source, at), &rid, e);
    if (rc == 1) {   /* a new completion: attach it to the plan's open actions for the course */
        store_stmt *st = store_q_open(s, PQ(ACTION_COMPLETE_COURSE), e, "tttii", completed_on, g, at, course_id,
                                      person_id);
        if (!st)
            rc = -1;
        while (st && (rc = store_q_step(s, st, e)) == 1)
            n++;
        if (st)
            store_q_close(s, st);
    }
    rc = tx_end(s, rc < 0 ? -1 : 0, e);
    if (rc == 0 && attached)
        *attached = n;
    return rc;
}

int store_plan_counts_org(store *s, int64_t org_unit_id, const char *today, store_plan_counts *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_q_open(s, PQ(COUNT_PEOPLE), e, "iit", org_unit_id, org_unit_id, today);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        out->people = store_q_int(s, st, 0);
        out->with_plan = store_q_int(s, st, 1);
        out->approved = store_q_int(s, st, 2);
        out->actions = store_q_int(s, st, 3);
        out->overdue = store_q_int(s, st, 4);
        while (store_q_step(s, st, e) == 1)
            ;
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

int store_plan_common_gaps(store *s, int64_t org_unit_id, size_t max, char ***ids, int64_t **counts, size_t *n,
                           err *e)
{
    *ids = NULL;
    *counts = NULL;
    *n = 0;
    store_stmt *st = store_q_open(s, PQ(COMMON_GAPS), e, "iii", org_unit_id, org_unit_id, (int64_t)max);
    if (!st)
        return -1;
    int rc;
    size_t cap = 0, cap2 = 0;
    while ((rc = store_q_step(s, st, e)) == 1) {
        *ids = grow(*ids, &cap, *n, sizeof **ids);
        *counts = grow(*counts, &cap2, *n, sizeof **counts);
        (*ids)[*n] = store_q_dup(s, st, 0);
        (*counts)[*n] = store_q_int(s, st, 1);
        (*n)++;
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}
