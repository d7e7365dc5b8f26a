/* store_target.c - 要員計画 (staffing targets) and saved talent searches in
 * the store (store_target.h, schema version 10). Same pattern as store.c:
 * portable SQL with `?`, one slot per statement, messages naming the field. */
#include "store_target.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define TARGET_QUERIES(X) \
    X(CYCLE_EXISTS, "SELECT 1 FROM cycle WHERE id = ?") \
    X(UNIT_EXISTS, "SELECT 1 FROM org_unit WHERE id = ?") \
    X(TARGET_UPSERT, "INSERT INTO staffing_target (cycle_id, org_unit_id, specialization_id, level, head_count, " \
                     "updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cycle_id, org_unit_id, " \
                     "specialization_id, level) DO UPDATE SET head_count = excluded.head_count, " \
                     "updated_by = excluded.updated_by, updated_at = excluded.updated_at") \
    X(TARGET_DELETE, "DELETE FROM staffing_target WHERE cycle_id = ? AND org_unit_id = ? AND " \
                     "specialization_id = ? AND level = ?") \
    X(TARGET_LIST, "SELECT t.cycle_id, t.org_unit_id, o.code, o.name, t.specialization_id, t.level, t.head_count, " \
                   "t.updated_by, t.updated_at FROM staffing_target t JOIN org_unit o ON o.id = t.org_unit_id " \
                   "WHERE t.cycle_id = ? ORDER BY o.code, t.specialization_id, t.level") \
    X(SEARCH_UPSERT, "INSERT INTO saved_search (user_id, name, query, created_at) VALUES (?, ?, ?, ?) " \
                     "ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query RETURNING id") \
    X(SEARCH_LIST, "SELECT id, user_id, name, query, created_at FROM saved_search WHERE user_id = ? ORDER BY name") \
    X(SEARCH_DELETE, "DELETE FROM saved_search WHERE user_id = ? AND id = ? RETURNING id")

#define TQ_ENUM(name, sql) TQ_##name,
#define TQ_SQL(name, sql) sql,
enum { TARGET_QUERIES(TQ_ENUM) TQ_COUNT };
static const char *const target_sql[] = { TARGET_QUERIES(TQ_SQL) };

/* The slot and SQL of query name, as store_q_open and store_q_exec take them. */
#define TQ(name) STORE_SLOT_TARGET + TQ_##name, target_sql[TQ_##name]

/* 1 when the query finds a row for id, 0 when not, -1 failed. */
static int exists(store *s, int slot, const char *sql, int64_t id, err *e)
{
    store_stmt *st = store_q_open(s, slot, sql, e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    store_q_close(s, st);
    return rc;
}

int store_target_set(store *s, int64_t cycle_id, int64_t org_unit_id, const char *specialization_id, int level,
                     int64_t head_count, const char *actor, err *e)
{
    int rc = exists(s, TQ(CYCLE_EXISTS), cycle_id, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_refuse(e, ERR_NOT_FOUND, "cycle.unknown", "cycle", "no such cycle");
    rc = exists(s, TQ(UNIT_EXISTS), org_unit_id, e);
    if (rc <= 0)
        return rc < 0 ? -1 : err_refuse(e, ERR_NOT_FOUND, "org.unknown", "org_unit", "no such org unit");
    if (level < 1 || level > 15)
        return err_refuse(e, ERR_INVALID, "target.level", "level", "a target level is 1 to 15");
    if (!specialization_id || !*specialization_id)
        return err_refuse(e, ERR_INVALID, "target.specialization", "specialization", "may not be empty");
    if (head_count < 0)
        return store_q_exec(s, TQ(TARGET_DELETE), e, "iiti", cycle_id, org_unit_id, specialization_id,
                            (int64_t)level);
    char now[24];
    store_now_utc(now);
    return store_q_exec(s, TQ(TARGET_UPSERT), e, "iitiitt", cycle_id, org_unit_id, specialization_id, (int64_t)level,
                        head_count, actor ? actor : "", now);
}

int store_target_list_cycle(store *s, int64_t cycle_id, store_target_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_q_open(s, TQ(TARGET_LIST), e, "i", cycle_id);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        store_target *t = &out->items[out->count++];
        t->cycle_id = store_q_int(s, st, 0);
        t->org_unit_id = store_q_int(s, st, 1);
        t->org_code = store_q_dup(s, st, 2);
        t->org_name = store_q_dup(s, st, 3);
        t->specialization_id = store_q_dup(s, st, 4);
        t->level = (int)store_q_int(s, st, 5);
        t->head_count = store_q_int(s, st, 6);
        t->updated_by = store_q_dup(s, st, 7);
        t->updated_at = store_q_dup(s, st, 8);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_target_list_free(out);
        return -1;
    }
    return 0;
}

void store_target_list_free(store_target_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].org_code);
        free(l->items[i].org_name);
        free(l->items[i].specialization_id);
        free(l->items[i].updated_by);
        free(l->items[i].updated_at);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

int store_saved_search_put(store *s, int64_t user_id, const char *name, const char *query, int64_t *id, err *e)
{
    if (!name || !*name || strlen(name) > 100 || strpbrk(name, "\r\n\t"))
        return err_refuse(e, ERR_INVALID, "search.name", "name", "a name is 1 to 100 bytes on one line");
    if (!query || strlen(query) > 4000)
        return err_refuse(e, ERR_INVALID, "search.query", "query", "a search is at most 4000 bytes");
    char now[24];
    store_now_utc(now);
    store_stmt *st = store_q_open(s, TQ(SEARCH_UPSERT), e, "ittt", user_id, name, query, now);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1 && id)
        *id = store_q_int(s, st, 0);
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

int store_saved_search_list_user(store *s, int64_t user_id, store_saved_search_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_q_open(s, TQ(SEARCH_LIST), e, "i", user_id);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 8;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        store_saved_search *x = &out->items[out->count++];
        x->id = store_q_int(s, st, 0);
        x->user_id = store_q_int(s, st, 1);
        x->name = store_q_dup(s, st, 2);
        x->query = store_q_dup(s, st, 3);
        x->created_at = store_q_dup(s, st, 4);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_saved_search_list_free(out);
        return -1;
    }
    return 0;
}

int store_saved_search_delete(store *s, int64_t user_id, int64_t id, err *e)
{
    store_stmt *st = store_q_open(s, TQ(SEARCH_DELETE), e, "ii", user_id, id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    store_q_close(s, st);
    return rc;
}

void store_saved_search_list_free(store_saved_search_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].name);
        free(l->items[i].query);
        free(l->items[i].created_at);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
