/* store_assessment.c - the store's assessment rows: create, find, list by filter (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_ASSESSMENT (store_internal.h). Strings returned in structs are heap copies owned
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

#define ASSESSMENT_COLUMNS \
    "a.id, a.person_id, a.cycle_id, p.employee_number, p.name, c.name, a.catalog_id, a.catalog_version, " \
    "a.status, a.created_at, a.updated_at, a.revision " \
    "FROM assessment a JOIN person p ON p.id = a.person_id JOIN cycle c ON c.id = a.cycle_id"
#define SUB_UNITS \
    "WITH RECURSIVE unit(id) AS (SELECT id FROM org_unit WHERE id = ? " \
    "UNION ALL SELECT u.id FROM org_unit u JOIN unit ON u.parent_id = unit.id) "

#define QUERY_BASE STORE_SLOT_ASSESSMENT
#define ASSESSMENT_QUERIES(X) \
    X(ASSESS_INSERT, "INSERT INTO assessment (person_id, cycle_id, catalog_id, catalog_version, status, created_at, " \
                     "updated_at, revision) VALUES (?, ?, ?, ?, 'draft', ?, ?, " NEXT_REVISION ") RETURNING id") \
    X(ASSESS_BY_ID, "SELECT " ASSESSMENT_COLUMNS " WHERE a.id = ?") \
    X(ASSESS_BY_PERSON_CYCLE, "SELECT " ASSESSMENT_COLUMNS " WHERE a.person_id = ? AND a.cycle_id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, ASSESSMENT_QUERIES(STORE_QUERY_ENUM) Q_END_ };

/* Slots of the list statements built from a filter: one per combination of
 * filter parts (32, from SLOT_ASSESSMENT_LIST). */
enum { SLOT_ASSESSMENT_LIST = Q_END_ };
static const char *const query_sql[] = { ASSESSMENT_QUERIES(STORE_QUERY_SQL) };

/* The columns of ASSESSMENT_COLUMNS, in order. */
_Static_assert(sizeof(assessment_status) == sizeof(int), "the row reader writes an enum as an int");
static const store_col assessment_cols[] = {
    STORE_COL(I64, store_assessment, id, "a.id"),
    STORE_COL(I64, store_assessment, person_id, "a.person_id"),
    STORE_COL(I64, store_assessment, cycle_id, "a.cycle_id"),
    STORE_COL(TEXT, store_assessment, employee_number, "p.employee_number"),
    STORE_COL(TEXT, store_assessment, person_name, "p.name"),
    STORE_COL(TEXT, store_assessment, cycle, "c.name"),
    STORE_COL(TEXT, store_assessment, catalog_id, "a.catalog_id"),
    STORE_COL(TEXT, store_assessment, catalog_version, "a.catalog_version"),
    STORE_COL_AS_ENUM(store_assessment, status, "a.status", assessment_status_parse, ASSESSMENT_DRAFT),
    STORE_COL(TEXT, store_assessment, created_at, "a.created_at"),
    STORE_COL(TEXT, store_assessment, updated_at, "a.updated_at"),
    STORE_COL(I64, store_assessment, revision, "a.revision"),
};
static const store_row assessment_row = STORE_ROW(assessment_cols, store_assessment);

/* The assessment id into out (store_assessment_clear frees it): 1, 0 none (with
 * *e), -1 failed. */
int store_assessment_get(store *s, int64_t id, store_assessment *out, err *e)
{
    int rc = store_row_one(s, &assessment_row, QUERY_OPEN(s, Q_ASSESS_BY_ID, e, "i", id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no assessment with id %lld", (long long)id);
    return rc;
}

/* The assessment of a person in a cycle into out (store_assessment_clear frees
 * it): 1, 0 none (with *e), -1 failed. */
int store_assessment_find(store *s, int64_t person_id, int64_t cycle_id, store_assessment *out, err *e)
{
    int rc = store_row_one(s, &assessment_row,
                           QUERY_OPEN(s, Q_ASSESS_BY_PERSON_CYCLE, e, "ii", person_id, cycle_id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no assessment of person %lld in cycle %lld", (long long)person_id,
                (long long)cycle_id);
    return rc;
}

/* Creates the draft assessment of a person in a cycle against a catalog version,
 * with its history, in one transaction; *id (may be NULL) gets its id. 0, or -1. */
int store_assessment_create(store *s, int64_t person_id, int64_t cycle_id, const char *catalog_id,
                            const char *catalog_version, const char *actor, int64_t *id, err *e)
{
    if (store_check_actor(e, actor) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    store_person p;
    store_cycle c;
    memset(&c, 0, sizeof c);
    int rc = store_person_get(s, person_id, &p, e);
    if (rc == 1)
        rc = store_cycle_get(s, cycle_id, &c, e);
    if (rc == 1)
        rc = store_catalog_known(s, catalog_id, catalog_version, e);
    if (rc == 1) {
        store_assessment old;
        rc = store_row_one(s, &assessment_row,
                           QUERY_OPEN(s, Q_ASSESS_BY_PERSON_CYCLE, e, "ii", person_id, cycle_id), &old, e);
        store_assessment_clear(&old);
        if (rc == 1) {
            err_set(e, "", 0, 0, "cycle", "%s already has an assessment in %s", p.employee_number, c.name);
            rc = -1;
        } else if (rc == 0) {
            rc = 1;
        }
    }
    if (rc == 1 && QUERY_INT(s, Q_ASSESS_INSERT, &new_id, e, "iittt" "t", person_id, cycle_id, catalog_id,
                         catalog_version, at, at) != 1)
        rc = -1;
    if (rc == 1) {
        char what[300];
        snprintf(what, sizeof what, "%s %s", catalog_id, catalog_version);
        rc = store_history_add(s, new_id, at, actor, "created", NULL, what, NULL, e) < 0 ? -1 : 1;
    }
    store_person_clear(&p);
    store_cycle_clear(&c);
    rc = store_tx_end(s, rc == 1 ? 0 : -1, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* The assessment of a person in a cycle, created when there is none (*created
 * says which); *id gets its id. 0, or -1 with *e. */
int store_assessment_ensure(store *s, int64_t person_id, int64_t cycle_id, const char *catalog_id,
                            const char *catalog_version, const char *actor, int64_t *id, int *created, err *e)
{
    store_assessment old;
    if (created)
        *created = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = store_row_one(s, &assessment_row,
                           QUERY_OPEN(s, Q_ASSESS_BY_PERSON_CYCLE, e, "ii", person_id, cycle_id), &old, e);
    if (rc == 1) {
        if (id)
            *id = old.id;
        rc = 0;
    } else if (rc == 0) {
        rc = store_assessment_create(s, person_id, cycle_id, catalog_id, catalog_version, actor, id, e);
        if (rc == 0 && created)
            *created = 1;
    }
    store_assessment_clear(&old);
    return store_tx_end(s, rc, e);
}

enum { AF_PERSON = 1, AF_CYCLE = 2, AF_STATUS = 4, AF_ORG = 8, AF_ORG_TREE = 16 };

/* The assessments f selects (every one when f is NULL), latest cycle first, into
 * out (the caller frees it with store_assessment_list_free). 0, or -1 with *e. */
int store_assessment_list_filter(store *s, const store_assessment_filter *f, store_assessment_list *out,
                                 err *e)
{
    memset(out, 0, sizeof *out);
    int mask = 0;
    if (f) {
        if (f->person_id)
            mask |= AF_PERSON;
        if (f->cycle_id)
            mask |= AF_CYCLE;
        if (f->status >= 0)
            mask |= AF_STATUS;
        if (f->org_unit_id)
            mask |= f->include_sub_units ? AF_ORG_TREE : AF_ORG;
        if (f->status >= ASSESSMENT_STATUS_COUNT)
            return store_field_error(e, "status", "unknown assessment status %d", f->status);
    }
    buf sql;
    buf_init(&sql);
    if (mask & AF_ORG_TREE)
        buf_puts(&sql, SUB_UNITS);
    buf_puts(&sql, "SELECT " ASSESSMENT_COLUMNS " WHERE 1 = 1");
    if (mask & AF_PERSON)
        buf_puts(&sql, " AND a.person_id = ?");
    if (mask & AF_CYCLE)
        buf_puts(&sql, " AND a.cycle_id = ?");
    if (mask & AF_STATUS)
        buf_puts(&sql, " AND a.status = ?");
    if (mask & AF_ORG)
        buf_puts(&sql, " AND p.org_unit_id = ?");
    if (mask & AF_ORG_TREE)
        buf_puts(&sql, " AND p.org_unit_id IN (SELECT id FROM unit)");
    /* Over people: not the assessments of a cycle that had not closed when its person left, unless asked
     * (bound below; no variant). One person's own list keeps their history. */
    if (!(mask & AF_PERSON))
        buf_puts(&sql, " AND (p.left_on IS NULL OR p.left_on > ? OR p.left_on > c.closes)");
    buf_puts(&sql, " ORDER BY c.opens DESC, c.id DESC, p.employee_number LIMIT ? OFFSET ?");
    store_stmt *st = s->drv->prepare(s->conn, SLOT_ASSESSMENT_LIST + mask, sql.data, e);
    buf_free(&sql);
    if (!st)
        return -1;
    int i = 1;
    if (mask & AF_ORG_TREE)               /* the CTE's parameter comes first */
        s->drv->bind_int(st, i++, f->org_unit_id);
    if (mask & AF_PERSON)
        s->drv->bind_int(st, i++, f->person_id);
    if (mask & AF_CYCLE)
        s->drv->bind_int(st, i++, f->cycle_id);
    if (mask & AF_STATUS)
        s->drv->bind_text(st, i++, assessment_status_name((assessment_status)f->status));
    if (mask & AF_ORG)
        s->drv->bind_int(st, i++, f->org_unit_id);
    char today[11];
    rules_today(today);
    if (!(mask & AF_PERSON))
        s->drv->bind_text(st, i++, f && f->include_left ? "" : today);
    s->drv->bind_int(st, i++, f && f->limit > 0 ? f->limit : INT64_MAX);
    s->drv->bind_int(st, i++, f && f->offset > 0 ? f->offset : 0);
    int rc;
    out->items = store_row_all(s, &assessment_row, st, &out->count, &rc, e);
    return rc;
}

/* Frees what a holds and zeroes it. */
void store_assessment_clear(store_assessment *a)
{
    store_row_clear(&assessment_row, a);
}

/* Frees what l holds and empties it. */
void store_assessment_list_free(store_assessment_list *l)
{
    store_row_free_all(&assessment_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
