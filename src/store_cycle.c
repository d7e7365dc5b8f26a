/* store_cycle.c - the store's assessment cycles (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_CYCLE (store_internal.h). Strings returned in structs are heap copies owned
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

#define CYCLE_COLUMNS "id, name, opens, closes FROM cycle"

#define QUERY_BASE STORE_SLOT_CYCLE
#define CYCLE_QUERIES(X) \
    X(CYCLE_INSERT, "INSERT INTO cycle (name, opens, closes) VALUES (?, ?, ?) RETURNING id") \
    X(CYCLE_UPDATE, "UPDATE cycle SET name = ?, opens = ?, closes = ? WHERE id = ?") \
    X(CYCLE_BY_NAME, "SELECT " CYCLE_COLUMNS " WHERE name = ?") \
    X(CYCLE_BY_ID, "SELECT " CYCLE_COLUMNS " WHERE id = ?") \
    X(CYCLE_ALL, "SELECT " CYCLE_COLUMNS " ORDER BY opens DESC, name") \
    X(CYCLE_CURRENT, "SELECT " CYCLE_COLUMNS " WHERE opens <= ? AND closes >= ? ORDER BY opens DESC, id DESC") \
    X(CYCLE_IN_USE, "SELECT " CYCLE_COLUMNS " WHERE opens <= ? AND closes >= ? ORDER BY (SELECT count(*) FROM " \
                    "assessment a WHERE a.cycle_id = cycle.id) DESC, opens DESC, id DESC") \
    X(ASSESS_BUMP_CYCLE, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE cycle_id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, CYCLE_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { CYCLE_QUERIES(STORE_QUERY_SQL) };

static void cycle_from_row(store *s, store_stmt *st, store_cycle *c)
{
    c->id = store_q_int(s, st, 0);
    c->name = store_q_dup(s, st, 1);
    c->opens = store_q_dup(s, st, 2);
    c->closes = store_q_dup(s, st, 3);
}

static int cycle_one(store *s, int slot, store_cycle *out, err *e, const char *types, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, types);
    store_stmt *st = store_q_openv(s, slot, query_sql[slot - QUERY_BASE], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        cycle_from_row(s, st, out);
    store_q_close(s, st);
    return rc;
}

/* Checks a cycle being added (id 0) or edited. */
static int cycle_check(store *s, int64_t id, const char *name, const char *opens, const char *closes, err *e)
{
    if (rules_name(e, "name", name, 1) < 0 || rules_date(e, "opens", opens, 1) < 0
        || rules_date(e, "closes", closes, 1) < 0)
        return -1;
    if (strcmp(opens, closes) > 0)
        return err_refuse(e, ERR_CONFLICT, "cycle.closes_before", "closes", "the cycle closes (%s) before it opens (%s)", closes, opens);
    store_cycle other;
    int rc = cycle_one(s, Q_CYCLE_BY_NAME, &other, e, "t", name);
    int taken = rc == 1 && other.id != id;
    store_cycle_clear(&other);
    if (rc < 0)
        return -1;
    if (taken)
        return err_refuse(e, ERR_DUPLICATE, "cycle.name_taken", "name", "a cycle named %s already exists", name);
    return 0;
}

int store_cycle_add(store *s, const char *name, const char *opens, const char *closes, int64_t *id, err *e)
{
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = cycle_check(s, 0, name, opens, closes, e);
    if (rc == 0 && QUERY_INT(s, Q_CYCLE_INSERT, &new_id, e, "ttt", name, opens, closes) != 1)
        rc = -1;
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_cycle_edit(store *s, int64_t id, const char *name, const char *opens, const char *closes, err *e)
{
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_CYCLE_BY_ID, NULL, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no cycle with id %lld", (long long)id);
        rc = -1;
    } else if (rc == 1) {
        rc = cycle_check(s, id, name, opens, closes, e);
    }
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_CYCLE_UPDATE, e, "ttti", name, opens, closes, id);
    /* A loaded assessment carries its cycle's name. */
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_ASSESS_BUMP_CYCLE, e, "i", id);
    return store_tx_end(s, rc, e);
}

int store_cycle_find(store *s, const char *name, store_cycle *out, err *e)
{
    int rc = cycle_one(s, Q_CYCLE_BY_NAME, out, e, "t", name ? name : "");
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no cycle named %s", name ? name : "");
    return rc;
}

int store_cycle_get(store *s, int64_t id, store_cycle *out, err *e)
{
    int rc = cycle_one(s, Q_CYCLE_BY_ID, out, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no cycle with id %lld", (long long)id);
    return rc;
}

int store_cycle_list_all(store *s, store_cycle_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = QUERY_OPEN(s, Q_CYCLE_ALL, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1)
        cycle_from_row(s, st, PUSH(out->items, out->count));
    store_q_close(s, st);
    if (rc < 0) {
        store_cycle_list_free(out);
        return -1;
    }
    return 0;
}

int store_cycle_current(store *s, const char *today, store_cycle *out, err *e)
{
    char date[16];
    if (!today) {
        rules_today(date);
        today = date;
    }
    if (rules_date(e, "today", today, 1) < 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    int rc = cycle_one(s, Q_CYCLE_CURRENT, out, e, "tt", today, today);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no assessment cycle is open on %s", today);
    return rc;
}

int store_cycle_in_use(store *s, const char *today, store_cycle *out, err *e)
{
    char date[16];
    if (!today) {
        rules_today(date);
        today = date;
    }
    if (rules_date(e, "today", today, 1) < 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return cycle_one(s, Q_CYCLE_IN_USE, out, e, "tt", today, today);
}

void store_cycle_clear(store_cycle *c)
{
    free(c->name);
    free(c->opens);
    free(c->closes);
    memset(c, 0, sizeof *c);
}

void store_cycle_list_free(store_cycle_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_cycle_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
