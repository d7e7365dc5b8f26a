/* store_org.c - the store's organization units: the unit tree (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_ORG (store_internal.h). Strings returned in structs are heap copies owned
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
#define SUB_UNITS \
    "WITH RECURSIVE unit(id) AS (SELECT id FROM org_unit WHERE id = ? " \
    "UNION ALL SELECT u.id FROM org_unit u JOIN unit ON u.parent_id = unit.id) "

#define QUERY_BASE STORE_SLOT_ORG
#define ORG_QUERIES(X) \
    X(ORG_INSERT, "INSERT INTO org_unit (code, name, parent_id) VALUES (?, ?, ?) RETURNING id") \
    X(ORG_UPDATE, "UPDATE org_unit SET code = ?, name = ?, parent_id = ? WHERE id = ?") \
    X(ORG_BY_CODE, "SELECT " ORG_COLUMNS " WHERE u.code = ?") \
    X(ORG_BY_ID, "SELECT " ORG_COLUMNS " WHERE u.id = ?") \
    X(ORG_ALL, "SELECT " ORG_COLUMNS " ORDER BY u.code") \
    X(ORG_BELOW, SUB_UNITS "SELECT " ORG_COLUMNS " WHERE u.id IN (SELECT id FROM unit) ORDER BY u.code") \
    X(ORG_IS_BELOW, SUB_UNITS "SELECT 1 FROM unit WHERE id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, ORG_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { ORG_QUERIES(STORE_QUERY_SQL) };

/* The columns of ORG_COLUMNS, in order (depth is the lists' own). */
static const store_col org_cols[] = {
    STORE_COL(I64, store_org_unit, id, "u.id"),
    STORE_COL(TEXT, store_org_unit, code, "u.code"),
    STORE_COL(TEXT, store_org_unit, name, "u.name"),
    STORE_COL(I64, store_org_unit, parent_id, "u.parent_id"),
    STORE_COL(TEXT, store_org_unit, parent_code, "p.code"),
};
static const store_row org_row = STORE_ROW(org_cols, store_org_unit);

/* The unit with code into out (store_org_unit_clear frees it): 1, 0 none (with
 * *e), -1 failed. */
int store_org_find(store *s, const char *code, store_org_unit *out, err *e)
{
    int rc = store_row_one(s, &org_row, QUERY_OPEN(s, Q_ORG_BY_CODE, e, "t", code ? code : ""), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no org unit with code %s", code ? code : "");
    return rc;
}

/* The unit id into out (store_org_unit_clear frees it): 1, 0 none (with *e), -1. */
int store_org_get(store *s, int64_t id, store_org_unit *out, err *e)
{
    int rc = store_row_one(s, &org_row, QUERY_OPEN(s, Q_ORG_BY_ID, e, "i", id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no org unit with id %lld", (long long)id);
    return rc;
}

/* Checks code, name and parent of a unit being added (id 0) or edited. */
static int org_check(store *s, int64_t id, const char *code, const char *name, int64_t parent_id, err *e)
{
    if (rules_code(e, "code", code) < 0 || rules_name(e, "name", name, 1) < 0)
        return -1;
    store_org_unit other;
    int rc = store_row_one(s, &org_row, QUERY_OPEN(s, Q_ORG_BY_CODE, e, "t", code), &other, e);
    if (rc < 0)
        return -1;
    int taken = rc == 1 && other.id != id;
    store_org_unit_clear(&other);
    if (taken)
        return err_refuse(e, ERR_DUPLICATE, "org.code_taken", "code", "org unit code %s is already in use", code);
    if (parent_id != 0) {
        int64_t below = 0;
        rc = QUERY_INT(s, Q_ORG_BY_ID, NULL, e, "i", parent_id);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return err_refuse(e, ERR_NOT_FOUND, "org.parent_unknown", "parent_id", "no org unit with id %lld",
                              (long long)parent_id);
        if (id != 0) {
            rc = QUERY_INT(s, Q_ORG_IS_BELOW, &below, e, "ii", id, parent_id);
            if (rc < 0)
                return -1;
            if (rc == 1)
                return err_refuse(e, ERR_CONFLICT, "org.below_itself", "parent_id", "org unit %s cannot be moved below itself", code);
        }
    }
    return 0;
}

/* Adds a unit in one transaction; *id (may be NULL) gets its id. 0, or -1 with *e. */
int store_org_add(store *s, const char *code, const char *name, int64_t parent_id, int64_t *id, err *e)
{
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = org_check(s, 0, code, name, parent_id, e);
    if (rc == 0 && QUERY_INT(s, Q_ORG_INSERT, &new_id, e, "ttn", code, name, parent_id) != 1)
        rc = -1;
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* Changes unit id (code, name, parent; never below itself) in one transaction.
 * 0, or -1 with *e. */
int store_org_edit(store *s, int64_t id, const char *code, const char *name, int64_t parent_id, err *e)
{
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_ORG_BY_ID, NULL, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no org unit with id %lld", (long long)id);
        rc = -1;
    } else if (rc == 1) {
        rc = org_check(s, id, code, name, parent_id, e);
    }
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_ORG_UPDATE, e, "ttni", code, name, parent_id, id);
    return store_tx_end(s, rc, e);
}

/* A unit's place in a list, keyed for sorting by parent or by id. */
typedef struct org_key {
    int64_t key;
    size_t pos;                /* position in the list (code order) */
} org_key;

/* Orders org keys by key, then position (qsort). */
static int cmp_org_key(const void *a, const void *b)
{
    const org_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The first entry of keys[0..n) (sorted) with key k, or n. */
static size_t org_key_find(const org_key *keys, size_t n, int64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && keys[lo].key == k ? lo : n;
}

/* Orders l (in code order) as a tree: each unit followed by its sub-units,
 * siblings by code; depth counted from the units whose parent is not in the
 * list. O(n log n): children are found by a binary search on the units sorted
 * by parent (12,000 units at 100,000 people). */
static void org_tree_order(store_org_list *l)
{
    size_t n = l->count;
    store_org_unit *sorted = xmalloc((n ? n : 1) * sizeof *sorted);
    char *placed = xmalloc(n ? n : 1);
    size_t *stack = xmalloc((n ? n : 1) * sizeof *stack);
    org_key *by_parent = xmalloc((n ? n : 1) * sizeof *by_parent);
    org_key *by_id = xmalloc((n ? n : 1) * sizeof *by_id);
    for (size_t i = 0; i < n; i++) {
        by_parent[i] = (org_key){ l->items[i].parent_id, i };
        by_id[i] = (org_key){ l->items[i].id, i };
    }
    qsort(by_parent, n, sizeof *by_parent, cmp_org_key);
    qsort(by_id, n, sizeof *by_id, cmp_org_key);
    size_t out = 0;
    for (size_t r = 0; r < n; r++) {
        /* Roots: units whose parent is absent from the list. */
        if (l->items[r].parent_id != 0 && org_key_find(by_id, n, l->items[r].parent_id) < n)
            continue;
        /* Depth-first walk from root r; children pushed in reverse so that they
         * come out in code order. */
        size_t top = 0;
        stack[top++] = r;
        l->items[r].depth = 0;
        while (top > 0) {
            size_t i = stack[--top];
            if (placed[i])
                continue;
            placed[i] = 1;
            sorted[out++] = l->items[i];
            size_t first = org_key_find(by_parent, n, l->items[i].id), last = first;
            while (last < n && by_parent[last].key == l->items[i].id)
                last++;
            for (size_t k = last; k-- > first;) {
                size_t j = by_parent[k].pos;
                if (!placed[j]) {
                    l->items[j].depth = l->items[i].depth + 1;
                    stack[top++] = j;
                }
            }
        }
    }
    /* A unit in a loop (impossible through this interface) is kept at the end. */
    for (size_t i = 0; i < n; i++)
        if (!placed[i])
            sorted[out++] = l->items[i];
    free(l->items);
    l->items = sorted;
    free(placed);
    free(stack);
    free(by_parent);
    free(by_id);
}

/* Runs an org list query into out (the caller frees it with
 * store_org_list_free), then orders it as a tree. 0, or -1 with *e. */
static int org_list(store *s, store_stmt *st, store_org_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &org_row, st, &out->count, &rc, e);
    if (rc == 0)
        org_tree_order(out);
    return rc;
}

/* Every unit as a tree (parents before children, siblings by code) into out (the
 * caller frees it with store_org_list_free). 0, or -1 with *e. */
int store_org_list_all(store *s, store_org_list *out, err *e)
{
    return org_list(s, QUERY_OPEN(s, Q_ORG_ALL, e, ""), out, e);
}

/* The units below id (and id itself when include_self) as a tree into out (the
 * caller frees it with store_org_list_free). 0, or -1 with *e. */
int store_org_descendants(store *s, int64_t id, int include_self, store_org_list *out, err *e)
{
    int rc = QUERY_INT(s, Q_ORG_BY_ID, NULL, e, "i", id);
    if (rc <= 0) {
        memset(out, 0, sizeof *out);
        if (rc == 0)
            err_set(e, "", 0, 0, NULL, "no org unit with id %lld", (long long)id);
        return -1;
    }
    if (org_list(s, QUERY_OPEN(s, Q_ORG_BELOW, e, "i", id), out, e) < 0)
        return -1;
    if (!include_self && out->count > 0 && out->items[0].id == id) {
        store_org_unit_clear(&out->items[0]);
        memmove(out->items, out->items + 1, (out->count - 1) * sizeof *out->items);
        out->count--;
        for (size_t i = 0; i < out->count; i++)
            out->items[i].depth--;
    }
    return 0;
}

/* Frees what u holds and zeroes it. */
void store_org_unit_clear(store_org_unit *u)
{
    store_row_clear(&org_row, u);
}

/* Frees what l holds and empties it. */
void store_org_list_free(store_org_list *l)
{
    store_row_free_all(&org_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
