/* store_team.c - the team page's people with their state in a cycle,
 * filtered and sorted in the database (store_team.h). One statement per sort
 * and per list/count, in portable SQL: the filters are bound values
 * ("0: no filter"), so that each statement keeps its slot. */
#include "store_team.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

/* The units of the filter: the unit, and the units below it when asked. */
#define TEAM_UNITS \
    "WITH RECURSIVE unit(id) AS (SELECT id FROM org_unit WHERE id = CAST(? AS BIGINT) " \
    "UNION ALL SELECT u.id FROM org_unit u JOIN unit ON u.parent_id = unit.id WHERE CAST(? AS BIGINT) = 1) "

/* The certificate of the assessment's approval valid today (two dates bound). */
#define TEAM_CERTIFIED \
    "EXISTS (SELECT 1 FROM certificate c JOIN approval ap ON ap.id = c.approval_id " \
    "LEFT JOIN certificate_revocation v ON v.certificate_id = c.id WHERE ap.assessment_id = a.id " \
    "AND v.certificate_id IS NULL AND c.valid_from <= ? AND c.valid_until >= ?)"

/* The member's store_team_state. */
#define TEAM_STATE \
    "CASE WHEN a.id IS NULL THEN 0 WHEN a.status = 'draft' THEN 1 WHEN a.status = 'returned' THEN 2 " \
    "WHEN a.status = 'submitted' THEN 3 WHEN " TEAM_CERTIFIED " THEN 5 ELSE 4 END"

#define TEAM_SUBMITTED \
    "(SELECT MAX(h.at) FROM assessment_history h WHERE h.assessment_id = a.id AND h.kind = 'status' " \
    "AND h.new_value = 'submitted')"

/* The highest level of the assessment's latest approval, while it is approved. */
#define TEAM_LEVEL \
    "(SELECT MAX(al.level) FROM approval_level al WHERE a.status = 'approved' AND al.approval_id = " \
    "(SELECT MAX(ap.id) FROM approval ap WHERE ap.assessment_id = a.id))"

static const char *const sort_order[TEAM_SORT_COUNT] = {
    "p.employee_number",
    "COALESCE(NULLIF(p.kana, ''), p.name), p.employee_number",
    "(p.code IS NULL), p.code, p.employee_number",
    "p.state, p.employee_number",
    "(p.submitted_at IS NULL), p.submitted_at, p.employee_number",
    "(p.lvl IS NULL), p.lvl DESC, p.employee_number",
};

static const char *const state_names[TEAM_STATE_COUNT] = {
    "not_started", "draft", "returned", "submitted", "approved", "certified",
};

static const char *const sort_names[TEAM_SORT_COUNT] = {
    "number", "name", "unit", "status", "submitted", "level",
};

/* The statement of q (list, or count when count is 1), prepared with its
 * values bound. NULL on failure. */
static store_stmt *team_query(store *s, const store_team_query *q, int count, err *e)
{
    int sort = q->sort >= 0 && q->sort < TEAM_SORT_COUNT ? q->sort : TEAM_SORT_NUMBER;
    buf sql;
    buf_init(&sql);
    buf_puts(&sql, TEAM_UNITS "SELECT ");
    buf_puts(&sql, count ? "count(*)" : "p.person_id, p.state, p.submitted_at");
    buf_puts(&sql, " FROM (SELECT p.id AS person_id, " TEAM_STATE " AS state, " TEAM_SUBMITTED " AS submitted_at, ");
    buf_puts(&sql, sort == TEAM_SORT_LEVEL && !count ? TEAM_LEVEL : "NULL");
    buf_puts(&sql, " AS lvl, p.employee_number, p.kana, p.name, o.code "
                   "FROM person p LEFT JOIN org_unit o ON o.id = p.org_unit_id "
                   "LEFT JOIN assessment a ON a.person_id = p.id AND a.cycle_id = CAST(? AS BIGINT) "
                   "WHERE (CAST(? AS BIGINT) = 0 OR p.org_unit_id IN (SELECT id FROM unit)) "
                   "AND (CAST(? AS BIGINT) = 0 OR p.manager_id = CAST(? AS BIGINT)) "
                   "AND p.id <> CAST(? AS BIGINT) AND (p.left_on IS NULL OR p.left_on > ?)) p "
                   "WHERE (CAST(? AS BIGINT) < 0 OR p.state = CAST(? AS BIGINT) "
                   "OR (CAST(? AS BIGINT) = 4 AND p.state = 5))");
    if (!count) {
        buf_puts(&sql, " ORDER BY ");
        buf_puts(&sql, sort_order[sort]);
        buf_puts(&sql, " LIMIT ? OFFSET ?");
    }
    const char *today = q->today ? q->today : "9999-12-31";
    int64_t state = q->state >= 0 && q->state < TEAM_STATE_COUNT ? q->state : -1;
    int64_t tree = q->include_sub_units != 0;
    int slot = STORE_SLOT_TEAM + (count ? TEAM_SORT_COUNT * 2 : sort * 2);
    store_stmt *st;
    if (count)
        st = store_q_open(s, slot, sql.data, e, "iittiiiiitiii", q->org_unit_id, tree, today, today, q->cycle_id,
                          q->org_unit_id, q->manager_id, q->manager_id, q->exclude_person_id, today, state, state,
                          state);
    else
        st = store_q_open(s, slot, sql.data, e, "iittiiiiitiiiii", q->org_unit_id, tree, today, today,
                          q->cycle_id, q->org_unit_id, q->manager_id, q->manager_id, q->exclude_person_id, today,
                          state, state, state, q->limit > 0 ? q->limit : INT64_MAX, q->offset > 0 ? q->offset : 0);
    buf_free(&sql);
    return st;
}

int store_team_page(store *s, const store_team_query *q, store_team_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = team_query(s, q, 0, e);
    if (!st)
        return -1;
    int rc;
    size_t cap = 0;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        store_team_row *row = &out->items[out->count++];
        row->person_id = store_q_int(s, st, 0);
        row->state = (int)store_q_int(s, st, 1);
        row->submitted_at = store_q_dup(s, st, 2);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_team_list_free(out);
        return -1;
    }
    return 0;
}

int store_team_count(store *s, const store_team_query *q, int64_t *count, err *e)
{
    *count = 0;
    store_stmt *st = team_query(s, q, 1, e);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        *count = store_q_int(s, st, 0);
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

void store_team_list_free(store_team_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i].submitted_at);
    free(l->items);
    memset(l, 0, sizeof *l);
}

const char *store_team_state_name(int state)
{
    return state >= 0 && state < TEAM_STATE_COUNT ? state_names[state] : NULL;
}

int store_team_state_parse(const char *name)
{
    for (int i = 0; name && i < TEAM_STATE_COUNT; i++)
        if (strcmp(state_names[i], name) == 0)
            return i;
    return -1;
}

const char *store_team_sort_name(int sort)
{
    return sort >= 0 && sort < TEAM_SORT_COUNT ? sort_names[sort] : NULL;
}

int store_team_sort_parse(const char *name)
{
    for (int i = 0; name && i < TEAM_SORT_COUNT; i++)
        if (strcmp(sort_names[i], name) == 0)
            return i;
    return -1;
}
