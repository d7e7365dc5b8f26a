/* store_catalog.c - the store's settings (meta) and the catalog versions a database knows (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_CATALOG (store_internal.h). Strings returned in structs are heap copies owned
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

#define QUERY_BASE STORE_SLOT_CATALOG
#define CATALOG_QUERIES(X) \
    X(META_GET, "SELECT value FROM meta WHERE key = ?") \
    X(META_SET, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value") \
    X(CATALOG_INSERT, "INSERT INTO catalog (catalog_id, version, title, recorded_at) VALUES (?, ?, ?, ?) " \
                      "ON CONFLICT (catalog_id, version) DO NOTHING") \
    X(CATALOG_KNOWN, "SELECT 1 FROM catalog WHERE catalog_id = ? AND version = ?") \
    X(CATALOG_LIST, "SELECT catalog_id, version, title, recorded_at FROM catalog ORDER BY recorded_at, catalog_id, version")

enum { Q_FIRST_ = QUERY_BASE - 1, CATALOG_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { CATALOG_QUERIES(STORE_QUERY_SQL) };

/* The setting key into *value (the caller frees it; NULL when none): 1, 0, -1. */
int store_meta_get(store *s, const char *key, char **value, err *e)
{
    *value = NULL;
    store_stmt *st = QUERY_OPEN(s, Q_META_GET, e, "t", key);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        *value = store_q_dup(s, st, 0);
    store_q_close(s, st);
    return rc;
}

/* Sets the setting key to value. 0, or -1 with *e. */
int store_meta_set(store *s, const char *key, const char *value, err *e)
{
    if (rules_text(e, "key", key, 1, 0) < 0 || rules_text(e, key, value, 1, 1) < 0)
        return -1;
    return QUERY_EXEC(s, Q_META_SET, e, "tt", key, value);
}

/* Records the catalog as known and in use, in one transaction. */
int store_catalog_use(store *s, const char *id, const char *version, const char *title, err *e)
{
    if (rules_text(e, "catalog_id", id, 1, 0) < 0 || rules_text(e, "catalog_version", version, 1, 0) < 0
        || rules_text(e, "title", title, 0, 0) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_EXEC(s, Q_CATALOG_INSERT, e, "tttt", id, version, store_opt(title), at);
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_META_SET, e, "tt", "catalog_id", id);
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_META_SET, e, "tt", "catalog_version", version);
    return store_tx_end(s, rc, e);
}

/* The catalog in use into *id and *version (the caller frees both): 1, 0 none
 * recorded (with *e), -1 failed. */
int store_catalog_current(store *s, char **id, char **version, err *e)
{
    *id = *version = NULL;
    int rc = store_meta_get(s, "catalog_id", id, e);
    if (rc == 1)
        rc = store_meta_get(s, "catalog_version", version, e);
    if (rc != 1) {
        free(*id);
        free(*version);
        *id = *version = NULL;
    }
    if (rc == 0)
        err_set(e, s->location, 0, 0, NULL, "no catalog recorded in this database; run `itss init`");
    return rc;
}

/* The columns of CATALOG_LIST, in order (in_use is worked out here). */
static const store_col catalog_cols[] = {
    STORE_COL(TEXT, store_catalog, id, "catalog_id"),
    STORE_COL(TEXT, store_catalog, version, "version"),
    STORE_COL(TEXT, store_catalog, title, "title"),
    STORE_COL(TEXT, store_catalog, recorded_at, "recorded_at"),
};
static const store_row catalog_row = STORE_ROW(catalog_cols, store_catalog);

/* Every catalog version the database knows, in the order recorded, the one in
 * use marked, into out (the caller frees it with store_catalog_list_free). 0, or
 * -1 with *e. */
int store_catalog_list_all(store *s, store_catalog_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    char *cur_id = NULL, *cur_version = NULL;
    if (store_catalog_current(s, &cur_id, &cur_version, NULL) < 0) {
        err_set(e, s->location, 0, 0, NULL, "cannot read the catalog in use");
        return -1;
    }
    int rc;
    out->items = store_row_all(s, &catalog_row, QUERY_OPEN(s, Q_CATALOG_LIST, e, ""), &out->count, &rc, e);
    for (size_t i = 0; i < out->count; i++) {
        store_catalog *c = &out->items[i];
        c->in_use = cur_id && cur_version && strcmp(cur_id, c->id) == 0 && strcmp(cur_version, c->version) == 0;
    }
    free(cur_id);
    free(cur_version);
    return rc;
}

/* 1 when the database knows catalog id version; 0 with *e listing the ones it
 * knows; -1 failed. */
int store_catalog_known(store *s, const char *id, const char *version, err *e)
{
    int rc = QUERY_INT(s, Q_CATALOG_KNOWN, NULL, e, "tt", id ? id : "", version ? version : "");
    if (rc != 0)
        return rc;
    store_catalog_list all;
    buf known;
    buf_init(&known);
    if (store_catalog_list_all(s, &all, NULL) == 0) {
        for (size_t i = 0; i < all.count; i++)
            buf_printf(&known, "%s%s %s", i ? ", " : "", all.items[i].id, all.items[i].version);
        store_catalog_list_free(&all);
    }
    err_set(e, "", 0, 0, "catalog_version", "catalog %s version %s is not in this database (it knows: %s)",
            id ? id : "", version ? version : "", known.len ? known.data : "none; run `itss init`");
    buf_free(&known);
    return 0;
}

/* Frees what l holds and empties it. */
void store_catalog_list_free(store_catalog_list *l)
{
    store_row_free_all(&catalog_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
