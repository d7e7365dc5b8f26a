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

/* The columns of CYCLE_COLUMNS, in order. */
static const store_col cycle_cols[] = {
    STORE_COL(I64, store_cycle, id, "id"),
    STORE_COL(TEXT, store_cycle, name, "name"),
    STORE_COL(TEXT, store_cycle, opens, "opens"),
    STORE_COL(TEXT, store_cycle, closes, "closes"),
};
static const store_row cycle_row = STORE_ROW(cycle_cols, store_cycle);

/* Checks a cycle being added (id 0) or edited. */
static int cycle_check(store *s, int64_t id, const char *name, const char *opens, const char *closes, err *e)
{
    if (rules_name(e, "name", name, 1) < 0 || rules_date(e, "opens", opens, 1) < 0
        || rules_date(e, "closes", closes, 1) < 0)
        return -1;
    if (strcmp(opens, closes) > 0)
        return err_refuse(e, ERR_CONFLICT, "cycle.closes_before", "closes", "the cycle closes (%s) before it opens (%s)", closes, opens);
    store_cycle other;
    int rc = store_row_one(s, &cycle_row, QUERY_OPEN(s, Q_CYCLE_BY_NAME, e, "t", name), &other, e);
    int taken = rc == 1 && other.id != id;
    store_cycle_clear(&other);
    if (rc < 0)
        return -1;
    if (taken)
        return err_refuse(e, ERR_DUPLICATE, "cycle.name_taken", "name", "a cycle named %s already exists", name);
    return 0;
}

/* Adds a cycle in one transaction; *id (may be NULL) gets its id. 0, or -1 with *e. */
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

/* Renames or moves cycle id (moving the revision of its assessments) in one
 * transaction. 0, or -1 with *e. */
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

/* The cycle named name into out (store_cycle_clear frees it): 1, 0 none (with
 * *e), -1 failed. */
int store_cycle_find(store *s, const char *name, store_cycle *out, err *e)
{
    int rc = store_row_one(s, &cycle_row, QUERY_OPEN(s, Q_CYCLE_BY_NAME, e, "t", name ? name : ""), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no cycle named %s", name ? name : "");
    return rc;
}

/* The cycle id into out (store_cycle_clear frees it): 1, 0 none (with *e), -1. */
int store_cycle_get(store *s, int64_t id, store_cycle *out, err *e)
{
    int rc = store_row_one(s, &cycle_row, QUERY_OPEN(s, Q_CYCLE_BY_ID, e, "i", id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no cycle with id %lld", (long long)id);
    return rc;
}

/* Every cycle, the latest first, into out (the caller frees it with
 * store_cycle_list_free). 0, or -1 with *e. */
int store_cycle_list_all(store *s, store_cycle_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &cycle_row, QUERY_OPEN(s, Q_CYCLE_ALL, e, ""), &out->count, &rc, e);
    return rc;
}

/* The cycle open on today (NULL: today) into out, the latest opened first: 1, 0
 * none (with *e), -1 failed. */
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
    int rc = store_row_one(s, &cycle_row, QUERY_OPEN(s, Q_CYCLE_CURRENT, e, "tt", today, today), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no assessment cycle is open on %s", today);
    return rc;
}

/* The open cycle on today (NULL: today) holding the most assessments into out: 1,
 * 0 none, -1 failed. */
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
    return store_row_one(s, &cycle_row, QUERY_OPEN(s, Q_CYCLE_IN_USE, e, "tt", today, today), out, e);
}

/* Frees what c holds and zeroes it. */
void store_cycle_clear(store_cycle *c)
{
    store_row_clear(&cycle_row, c);
}

/* Frees what l holds and empties it. */
void store_cycle_list_free(store_cycle_list *l)
{
    store_row_free_all(&cycle_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
