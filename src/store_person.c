/* store_person.c - the store's people: find, add, edit, list and count by filter (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_PERSON (store_internal.h). Strings returned in structs are heap copies owned
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

#define ORG_COLUMNS "u.id, u.code, u.name, u.parent_id, p.code FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id"
#define PERSON_COLUMNS \
    "p.id, p.employee_number, p.name, p.kana, p.email, p.org_unit_id, p.manager_id, " \
    "o.code, o.name, m.employee_number, m.name, p.left_on " \
    "FROM person p LEFT JOIN org_unit o ON o.id = p.org_unit_id LEFT JOIN person m ON m.id = p.manager_id"
#define SUB_UNITS \
    "WITH RECURSIVE unit(id) AS (SELECT id FROM org_unit WHERE id = ? " \
    "UNION ALL SELECT u.id FROM org_unit u JOIN unit ON u.parent_id = unit.id) "

#define QUERY_BASE STORE_SLOT_PERSON
#define PERSON_QUERIES(X) \
    X(ORG_BY_ID, "SELECT " ORG_COLUMNS " WHERE u.id = ?") \
    X(PERSON_RENAMES_COUNT, "INSERT INTO meta (key, value) SELECT 'people_moves', '1' FROM person " \
                            "WHERE id = ? AND (employee_number <> ? OR name <> ?) " \
                            "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)") \
    X(PERSON_INSERT, "INSERT INTO person (employee_number, name, kana, email, org_unit_id, manager_id, left_on, " \
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(PERSON_UPDATE, "UPDATE person SET employee_number = ?, name = ?, kana = ?, email = ?, org_unit_id = ?, " \
                     "manager_id = ?, left_on = ?, updated_at = ? WHERE id = ?") \
    X(PERSON_BY_NUMBER, "SELECT " PERSON_COLUMNS " WHERE p.employee_number = ?") \
    X(PERSON_BY_ID, "SELECT " PERSON_COLUMNS " WHERE p.id = ?") \
    X(PERSON_NAME_BY_NUMBER, "SELECT id, name FROM person WHERE employee_number = ?") \
    X(PERSON_NUMBER_BY_ID, "SELECT employee_number FROM person WHERE id = ?") \
    X(PERSON_MANAGER_CHAIN, "WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION " \
                            "SELECT p.manager_id FROM person p JOIN chain ON p.id = chain.id " \
                            "WHERE p.manager_id IS NOT NULL) SELECT 1 FROM chain WHERE id = ?") \
    X(ASSESS_BUMP_PERSON, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE person_id = ?") \
    X(PERSON_MOVES_COUNT, "INSERT INTO meta (key, value) SELECT 'people_moves', '1' FROM person " \
                          "WHERE id = ? AND (COALESCE(org_unit_id, 0) <> CAST(? AS BIGINT) " \
                          "OR COALESCE(left_on, '') <> ?) " \
                          "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)")

enum { Q_FIRST_ = QUERY_BASE - 1, PERSON_QUERIES(STORE_QUERY_ENUM) Q_END_ };

/* Slots of the statements built from a filter: one per combination of filter parts. */
#define PERSON_FILTER_VARIANTS 16
enum {
    SLOT_PERSON_LIST = Q_END_,
    SLOT_PERSON_COUNT = SLOT_PERSON_LIST + PERSON_FILTER_VARIANTS,
};
static const char *const query_sql[] = { PERSON_QUERIES(STORE_QUERY_SQL) };

/* The columns of PERSON_COLUMNS, in order. */
static const store_col person_cols[] = {
    STORE_COL(I64, store_person, id, "p.id"),
    STORE_COL(TEXT, store_person, employee_number, "p.employee_number"),
    STORE_COL(TEXT, store_person, name, "p.name"),
    STORE_COL(TEXT, store_person, kana, "p.kana"),
    STORE_COL(TEXT, store_person, email, "p.email"),
    STORE_COL(I64, store_person, org_unit_id, "p.org_unit_id"),
    STORE_COL(I64, store_person, manager_id, "p.manager_id"),
    STORE_COL(TEXT, store_person, org_code, "o.code"),
    STORE_COL(TEXT, store_person, org_name, "o.name"),
    STORE_COL(TEXT, store_person, manager_number, "m.employee_number"),
    STORE_COL(TEXT, store_person, manager_name, "m.name"),
    STORE_COL(TEXT, store_person, left_on, "p.left_on"),
};
static const store_row person_row = STORE_ROW(person_cols, store_person);

/* The person with employee_number into out (store_person_clear frees it): 1, 0
 * none (with *e), -1 failed. */
int store_person_find(store *s, const char *employee_number, store_person *out, err *e)
{
    int rc = store_row_one(s, &person_row,
                           QUERY_OPEN(s, Q_PERSON_BY_NUMBER, e, "t", employee_number ? employee_number : ""), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no person with employee number %s", employee_number ? employee_number : "");
    return rc;
}

/* The person id into out (store_person_clear frees it): 1, 0 none (with *e), -1. */
int store_person_get(store *s, int64_t id, store_person *out, err *e)
{
    int rc = store_row_one(s, &person_row, QUERY_OPEN(s, Q_PERSON_BY_ID, e, "i", id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no person with id %lld", (long long)id);
    return rc;
}

/* Checks the fields of p for an add (p->id ignored, id 0) or an edit (id). */
static int person_check(store *s, int64_t id, const store_person *p, err *e)
{
    if (rules_date(e, "left_on", p->left_on, 0) < 0)
        return -1;
    if (rules_person(e, p->employee_number, p->name, p->kana, p->email) < 0)
        return -1;
    store_stmt *st = QUERY_OPEN(s, Q_PERSON_NAME_BY_NUMBER, e, "t", p->employee_number);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1 && store_q_int(s, st, 0) != id) {
        err_refuse(e, ERR_DUPLICATE, "person.number_taken", "employee_number",
                   "employee number %s is already in use (%s)", p->employee_number,
                    s->drv->column_text(st, 1) ? s->drv->column_text(st, 1) : "");
        rc = -1;
    }
    store_q_close(s, st);
    if (rc < 0)
        return -1;
    if (p->org_unit_id != 0) {
        rc = QUERY_INT(s, Q_ORG_BY_ID, NULL, e, "i", p->org_unit_id);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return err_refuse(e, ERR_NOT_FOUND, "person.org_unknown", "org_unit_id", "no org unit with id %lld",
                              (long long)p->org_unit_id);
    }
    if (p->manager_id != 0) {
        if (p->manager_id == id)
            return err_refuse(e, ERR_CONFLICT, "person.own_manager", "manager_id", "%s cannot be their own manager", p->employee_number);
        rc = QUERY_INT(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", p->manager_id);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return err_refuse(e, ERR_NOT_FOUND, "person.manager_unknown", "manager_id", "no person with id %lld",
                              (long long)p->manager_id);
        if (id != 0) {
            /* Walking up from the new manager must not reach the person. */
            rc = QUERY_INT(s, Q_PERSON_MANAGER_CHAIN, NULL, e, "ii", p->manager_id, id);
            if (rc < 0)
                return -1;
            if (rc == 1)
                return err_refuse(e, ERR_CONFLICT, "person.manager_below", "manager_id",
                                  "%s cannot be managed by someone who reports to them",
                                   p->employee_number);
        }
    }
    return 0;
}

/* Message for a constraint the checks above should have caught (a concurrent writer). */
static int person_fault(store *s, const store_person *p, err *e)
{
    if (s->fault == STORE_FAULT_UNIQUE)
        return err_refuse(e, ERR_DUPLICATE, "person.number_taken", "employee_number",
                          "employee number %s is already in use", p->employee_number);
    if (s->fault == STORE_FAULT_FOREIGN_KEY)
        return store_field_error(e, "org_unit_id", "the org unit or manager of %s no longer exists", p->employee_number);
    return -1;
}

/* Adds person p in one transaction; *id (may be NULL) gets the id. 0, or -1 with
 * *e naming the field. */
int store_person_add(store *s, const store_person *p, int64_t *id, err *e)
{
    int64_t new_id = 0;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = person_check(s, 0, p, e);
    if (rc == 0 && QUERY_INT(s, Q_PERSON_INSERT, &new_id, e, "ttttnnttt", p->employee_number, p->name, store_opt(p->kana),
                         store_opt(p->email), p->org_unit_id, p->manager_id, store_opt(p->left_on), at, at) != 1)
        rc = person_fault(s, p, e);
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* Replaces person p->id by p (moving the revision of their assessments) in one
 * transaction. 0, or -1 with *e naming the field. */
int store_person_edit(store *s, const store_person *p, err *e)
{
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", p->id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no person with id %lld", (long long)p->id);
        rc = -1;
    } else if (rc == 1) {
        rc = person_check(s, p->id, p, e);
        /* A new name or employee number is counted as a move is (meta
         * people_moves, below): the org columns read everyone's sort keys
         * (store_person_ranks) again when the count moves, so a renamed person
         * sorts under the new name in the drill-down at the next refresh. */
        if (rc == 0)
            rc = QUERY_EXEC(s, Q_PERSON_RENAMES_COUNT, e, "itt", p->id, p->employee_number, p->name);
    }
    /* A move to another unit, or a new leaving day, is counted (meta
     * people_moves): the org columns count the people per unit again when the
     * count moves (store_person_stamp), for a person without any assessment
     * too, whose move changes no revision. */
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_PERSON_MOVES_COUNT, e, "iit", p->id, p->org_unit_id, p->left_on ? p->left_on : "");
    if (rc == 0 && QUERY_EXEC(s, Q_PERSON_UPDATE, e, "ttttnntti", p->employee_number, p->name, store_opt(p->kana),
                          store_opt(p->email), p->org_unit_id, p->manager_id, store_opt(p->left_on), at, p->id) < 0)
        rc = person_fault(s, p, e);
    /* A loaded assessment carries the person's name and number. */
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_ASSESS_BUMP_PERSON, e, "i", p->id);
    return store_tx_end(s, rc, e);
}

enum { PF_ORG = 1, PF_ORG_TREE = 2, PF_MANAGER = 4, PF_SEARCH = 8 };

/* The parts of a person filter in use, as a bit mask. */
static int person_filter_mask(const store_person_filter *f)
{
    if (!f)
        return 0;
    int mask = 0;
    if (f->org_unit_id)
        mask |= f->include_sub_units ? PF_ORG_TREE : PF_ORG;
    if (f->manager_id)
        mask |= PF_MANAGER;
    if (store_opt(f->search))
        mask |= PF_SEARCH;
    return mask;
}

/* "%text%" in lower-case ASCII with LIKE's wildcards escaped by '\'. Caller frees. */
char *store_like_pattern(const char *text)
{
    buf b;
    buf_init(&b);
    buf_putc(&b, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, (char)tolower((unsigned char)*p));
    }
    buf_putc(&b, '%');
    return buf_detach(&b);
}

/* Builds and prepares the list (count 0) or count (count 1) query for f, binding
 * its parameters. NULL on failure. */
static store_stmt *person_query(store *s, const store_person_filter *f, int count, err *e)
{
    int mask = person_filter_mask(f);
    buf sql;
    buf_init(&sql);
    if (mask & PF_ORG_TREE)
        buf_puts(&sql, SUB_UNITS);
    if (count)
        buf_puts(&sql, "SELECT count(*) FROM person p WHERE 1 = 1");
    else
        buf_puts(&sql, "SELECT " PERSON_COLUMNS " WHERE 1 = 1");
    if (mask & PF_ORG)
        buf_puts(&sql, " AND p.org_unit_id = ?");
    if (mask & PF_ORG_TREE)
        buf_puts(&sql, " AND p.org_unit_id IN (SELECT id FROM unit)");
    if (mask & PF_MANAGER)
        buf_puts(&sql, " AND p.manager_id = ?");
    /* People who left (left_on on or before today) only when the filter asks: bound below, so no variant. */
    buf_puts(&sql, " AND (p.left_on IS NULL OR p.left_on > ?)");
    if (mask & PF_SEARCH)
        buf_puts(&sql, " AND (LOWER(p.employee_number) LIKE ? ESCAPE '\\' OR LOWER(p.name) LIKE ? ESCAPE '\\'"
                       " OR LOWER(COALESCE(p.kana, '')) LIKE ? ESCAPE '\\'"
                       " OR LOWER(COALESCE(p.email, '')) LIKE ? ESCAPE '\\')");
    if (!count)
        buf_puts(&sql, " ORDER BY p.employee_number LIMIT ? OFFSET ?");
    int slot = (count ? SLOT_PERSON_COUNT : SLOT_PERSON_LIST) + mask;
    store_stmt *st = s->drv->prepare(s->conn, slot, sql.data, e);
    buf_free(&sql);
    if (!st)
        return NULL;
    int i = 1;
    if (mask & (PF_ORG | PF_ORG_TREE))
        s->drv->bind_int(st, i++, f->org_unit_id);
    if (mask & PF_MANAGER)
        s->drv->bind_int(st, i++, f->manager_id);
    char today[11];
    rules_today(today);
    s->drv->bind_text(st, i++, f && f->include_left ? "" : today);
    if (mask & PF_SEARCH) {
        char *pattern = store_like_pattern(f->search);
        for (int k = 0; k < 4; k++)
            s->drv->bind_text(st, i++, pattern);
        free(pattern);
    }
    if (!count) {
        s->drv->bind_int(st, i++, f && f->limit > 0 ? f->limit : INT64_MAX);
        s->drv->bind_int(st, i++, f && f->offset > 0 ? f->offset : 0);
    }
    return st;
}

/* Calls fn for every person f selects, in employee-number order, until fn returns
 * non-zero (returned); p is valid during the call only. 0, or -1 with *e. */
int store_person_each(store *s, const store_person_filter *f, int (*fn)(const store_person *p, void *ctx),
                      void *ctx, err *e)
{
    store_stmt *st = person_query(s, f, 0, e);
    if (!st)
        return -1;
    int rc, stop = 0;
    while (!stop && (rc = store_q_step(s, st, e)) == 1) {
        store_person p;
        store_row_fill(s, st, &person_row, 0, &p);
        stop = fn(&p, ctx);
        store_person_clear(&p);
    }
    store_q_close(s, st);
    return stop ? stop : rc;
}

/* 1 when person person_id exists, 0 when not, -1 failed (store_internal.h). */
int store_person_exists(store *s, int64_t person_id, err *e)
{
    return QUERY_INT(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", person_id);
}

/* Moves the revision of every assessment of person_id (what they show of the
 * person changed). 0, or -1 with *e (store_internal.h). */
int store_person_bump(store *s, int64_t person_id, err *e)
{
    return QUERY_EXEC(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
}

/* The people f selects, in employee-number order, into out (the caller frees it
 * with store_person_list_free). 0, or -1 with *e. */
int store_person_list_filter(store *s, const store_person_filter *f, store_person_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &person_row, person_query(s, f, 0, e), &out->count, &rc, e);
    return rc;
}

/* How many people f selects into *count. 0, or -1 with *e. */
int store_person_count(store *s, const store_person_filter *f, int64_t *count, err *e)
{
    *count = 0;
    store_stmt *st = person_query(s, f, 1, e);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        *count = s->drv->column_int(st, 0);
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

/* Frees what p holds and zeroes it. */
void store_person_clear(store_person *p)
{
    store_row_clear(&person_row, p);
}

/* Frees what l holds and empties it. */
void store_person_list_free(store_person_list *l)
{
    store_row_free_all(&person_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
