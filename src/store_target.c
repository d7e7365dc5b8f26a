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

/* The columns of TARGET_LIST, in order. */
static const store_col target_cols[] = {
    STORE_COL(I64, store_target, cycle_id, "t.cycle_id"),
    STORE_COL(I64, store_target, org_unit_id, "t.org_unit_id"),
    STORE_COL(TEXT, store_target, org_code, "o.code"),
    STORE_COL(TEXT, store_target, org_name, "o.name"),
    STORE_COL(TEXT, store_target, specialization_id, "t.specialization_id"),
    STORE_COL(INT, store_target, level, "t.level"),
    STORE_COL(I64, store_target, head_count, "t.head_count"),
    STORE_COL(TEXT, store_target, updated_by, "t.updated_by"),
    STORE_COL(TEXT, store_target, updated_at, "t.updated_at"),
};
static const store_row target_row = STORE_ROW(target_cols, store_target);

/* The columns of SEARCH_LIST, in order. */
static const store_col search_cols[] = {
    STORE_COL(I64, store_saved_search, id, "id"),
    STORE_COL(I64, store_saved_search, user_id, "user_id"),
    STORE_COL(TEXT, store_saved_search, name, "name"),
    STORE_COL(TEXT, store_saved_search, query, "query"),
    STORE_COL(TEXT, store_saved_search, created_at, "created_at"),
};
static const store_row search_row = STORE_ROW(search_cols, store_saved_search);

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

/* The targets of a cycle by unit code, specialization and level into out (the
 * caller frees it with store_target_list_free). 0, or -1 with *e. */
int store_target_list_cycle(store *s, int64_t cycle_id, store_target_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &target_row, store_q_open(s, TQ(TARGET_LIST), e, "i", cycle_id), &out->count, &rc,
                               e);
    return rc;
}

/* Frees what l holds and empties it. */
void store_target_list_free(store_target_list *l)
{
    store_row_free_all(&target_row, l->items, l->count);
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

/* The saved searches of a user by name into out (the caller frees it with
 * store_saved_search_list_free). 0, or -1 with *e. */
int store_saved_search_list_user(store *s, int64_t user_id, store_saved_search_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &search_row, store_q_open(s, TQ(SEARCH_LIST), e, "i", user_id), &out->count, &rc,
                               e);
    return rc;
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

/* Frees what l holds and empties it. */
void store_saved_search_list_free(store_saved_search_list *l)
{
    store_row_free_all(&search_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
