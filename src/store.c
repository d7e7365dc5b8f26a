/* store.c - the store's core (see store.h): opening and closing, the backend
 * driver, migrations, transactions, the statement slot cache and the helpers the
 * store's other files share (store_internal.h). Every entity's operations live in
 * its own store_<entity>.c (docs/store.md, "Files").
 *
 * The SQL of every store file is portable: standard types and joins, WITH
 * RECURSIVE for the org tree and the manager chain, INSERT ... ON CONFLICT ... DO
 * UPDATE for upserts, INSERT ... RETURNING id for new rows, `?` placeholders. Each
 * statement has a slot number so that the driver prepares it once per connection.
 * Operations that change several rows run inside store_begin/store_commit, which
 * nest as savepoints.
 *
 * Memory: strings returned in structs are heap copies owned by the struct. Out of
 * memory aborts (xalloc.h): a half-filled record is worse than none. */
#include "store_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

/* The schema version whose migration packs the answers: store_answer.c converts
 * the rows after the backend's SQL of that migration has run. */
#define SCHEMA_PACKED_ANSWERS 6
#define SCHEMA_AGREEMENTS_PACKED 15

#define QUERY_BASE 0
#define CORE_QUERIES(X) \
    X(MIG_VERSION, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") \
    X(MIG_INSERT, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")

enum { Q_FIRST_ = QUERY_BASE - 1, CORE_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { CORE_QUERIES(STORE_QUERY_SQL) };

/* ---- Small helpers ------------------------------------------------------- */

/* NULL for NULL or "": how optional texts are stored. Returns s itself. */
const char *store_opt(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* The moment now, UTC, as YYYY-MM-DDTHH:MM:SSZ into out[24]. */
void store_now_utc(char out[24])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* items (count used, of `size` bytes each) with room for one more: capacity
 * doubles at powers of two, so no separate capacity is kept. The caller owns
 * the (possibly moved) array returned. */
void *store_grow_array(void *items, size_t count, size_t size)
{
    if (count == 0 || (count & (count - 1)) == 0)
        items = xrealloc(items, (count ? count * 2 : 1) * size);
    return items;
}

/* ---- Statements -------------------------------------------------------- */

/* Binds the variadic arguments by types: 'i' int64_t, 'n' int64_t bound as NULL
 * when 0 (optional references), 't' text (NULL binds NULL). */
static void bind_args(store *s, store_stmt *st, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        if (types[i] == 't') {
            s->drv->bind_text(st, i + 1, va_arg(ap, const char *));
        } else {
            int64_t v = va_arg(ap, int64_t);
            if (types[i] == 'n' && v == 0)
                s->drv->bind_text(st, i + 1, NULL);
            else
                s->drv->bind_int(st, i + 1, v);
        }
    }
}

/* Prepares sql (cached under slot) and binds its parameters. NULL on failure.
 * The statement belongs to the connection: release it with store_q_close. */
store_stmt *store_q_openv(store *s, int slot, const char *sql, err *e, const char *types, va_list ap)
{
    store_stmt *st = s->drv->prepare(s->conn, slot, sql, e);
    if (st)
        bind_args(s, st, types, ap);
    return st;
}

/* Prepares sql under slot and binds its parameters (store_internal.h). */
store_stmt *store_q_open(store *s, int slot, const char *sql, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = store_q_openv(s, slot, sql, e, types, ap);
    va_end(ap);
    return st;
}

/* Steps st: 1 a row, 0 done, -1 failed (s->fault says why). */
int store_q_step(store *s, store_stmt *st, err *e)
{
    s->fault = STORE_FAULT_NONE;
    return s->drv->step(st, &s->fault, e);
}

/* Gives st back to the connection's cache. */
void store_q_close(store *s, store_stmt *st)
{
    s->drv->release(st);
}

/* Runs sql (slot) to its end. 0, or -1 with s->fault. */
int store_q_exec(store *s, int slot, const char *sql, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = store_q_openv(s, slot, sql, e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1)
        ;
    store_q_close(s, st);
    return rc;
}

/* Runs sql (slot) and reads the first column of its first row as an integer:
 * 1 with *out set, 0 when there is no row, -1 on failure. */
int store_q_value(store *s, int slot, const char *sql, int64_t *out, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = store_q_openv(s, slot, sql, e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1 && out)
        *out = s->drv->column_int(st, 0);
    /* Finish the statement so that an INSERT ... RETURNING has fully run. */
    int more = rc;
    while (more == 1)
        more = store_q_step(s, st, e);
    store_q_close(s, st);
    return more < 0 ? -1 : rc;
}

/* Column col as a heap copy (NULL for SQL NULL); the caller frees it. */
char *store_q_dup(store *s, store_stmt *st, int col)
{
    return xstrdup(s->drv->column_text(st, col));
}

/* Column col as an integer, 0 for SQL NULL. */
int64_t store_q_int(store *s, store_stmt *st, int col)
{
    return s->drv->column_null(st, col) ? 0 : s->drv->column_int(st, col);
}

/* Column col as text (NULL for SQL NULL), owned by the statement: valid until
 * the next step or close. */
const char *store_q_text(store *s, store_stmt *st, int col)
{
    return s->drv->column_text(st, col);
}

/* Column col as a blob's bytes (count in *len), owned by the statement. */
const void *store_q_blob(store *s, store_stmt *st, int col, size_t *len)
{
    return s->drv->column_blob(st, col, len);
}

/* Why the last failed statement failed. */
store_fault store_q_fault(const store *s)
{
    return s->fault;
}

/* The backend driver of s (store_copy.c). */
const store_driver *store_q_driver(const store *s)
{
    return s->drv;
}

/* The backend connection of s (store_copy.c); s owns it. */
void *store_q_conn(const store *s)
{
    return s->conn;
}

/* ---- Transactions -------------------------------------------------------- */

/* Starts a transaction or, inside one, a savepoint. */
int store_begin(store *s, err *e)
{
    if (s->depth == 0) {
        if (s->drv->begin(s->conn, e) < 0)
            return -1;
    } else {
        char sql[48];
        snprintf(sql, sizeof sql, "SAVEPOINT store_%d", s->depth);
        if (s->drv->exec(s->conn, sql, e) < 0)
            return -1;
    }
    s->depth++;
    return 0;
}

/* Starts a deferred transaction (no lock until the first read) or, inside one,
 * a savepoint. */
int store_begin_read(store *s, err *e)
{
    if (s->depth > 0)
        return store_begin(s, e);
    if (s->drv->exec(s->conn, s->drv->begin_read_sql, e) < 0)
        return -1;
    s->depth++;
    return 0;
}

/* Commits the innermost transaction or releases the innermost savepoint. */
int store_commit(store *s, err *e)
{
    if (s->depth == 0) {
        err_set(e, s->location, 0, 0, NULL, "commit without a transaction");
        return -1;
    }
    if (!s->drv->in_transaction(s->conn)) {
        /* The database ended it itself after an error (disk full, I/O). */
        s->depth = 0;
        err_set(e, s->location, 0, 0, NULL, "the transaction was rolled back after an earlier error");
        return -1;
    }
    s->depth--;
    if (s->depth == 0) {
        if (s->drv->exec(s->conn, "COMMIT", e) < 0) {
            if (s->drv->in_transaction(s->conn))
                s->drv->exec(s->conn, "ROLLBACK", NULL);
            return -1;
        }
        return 0;
    }
    char sql[48];
    snprintf(sql, sizeof sql, "RELEASE SAVEPOINT store_%d", s->depth);
    return s->drv->exec(s->conn, sql, e);
}

/* Rolls back the innermost transaction or savepoint. */
int store_rollback(store *s, err *e)
{
    store_dicts_forget(s);
    if (s->depth == 0) {
        err_set(e, s->location, 0, 0, NULL, "rollback without a transaction");
        return -1;
    }
    s->depth--;
    if (!s->drv->in_transaction(s->conn)) {
        s->depth = 0;
        return 0;
    }
    if (s->depth == 0)
        return s->drv->exec(s->conn, "ROLLBACK", e);
    char sql[96];
    snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT store_%d; RELEASE SAVEPOINT store_%d", s->depth, s->depth);
    return s->drv->exec(s->conn, sql, e);
}

/* How many transactions and savepoints are open (0: none). */
int store_depth(const store *s)
{
    return s->depth;
}

/* Ends a transaction begun by an operation: commit when rc is 0, else roll back
 * keeping the message already in *e. Returns rc, or -1 when the commit failed. */
int store_tx_end(store *s, int rc, err *e)
{
    if (rc >= 0)
        return store_commit(s, e) < 0 ? -1 : rc;
    store_rollback(s, NULL);
    return rc;
}

/* ---- Validation -------------------------------------------------------- */

/* Fills *e with field (as the path) and a message, as a refusal of the value
 * (ERR_INVALID, no message key); returns -1. Refusals a face words itself go
 * through err_refuse with a key (rules.h lists them). */
int store_field_error(err *e, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_refuse(e, ERR_INVALID, "", field, "%s", msg);
}

/* Checks the actor label of a change (a required one-line text). 0, or -1 with *e. */
int store_check_actor(err *e, const char *actor)
{
    return rules_text(e, "actor", actor, 1, 0);
}

/* ---- Opening ------------------------------------------------------------- */

/* --db, else $ITSS_DB, else ./itss.db. */
const char *store_default_path(const char *path_option)
{
    if (path_option && path_option[0])
        return path_option;
    const char *env = getenv("ITSS_DB");
    if (env && env[0])
        return env;
    return "./itss.db";
}

/* 1 when location names a PostgreSQL server. */
static int is_postgres_url(const char *location)
{
    return strncmp(location, "postgres://", 11) == 0 || strncmp(location, "postgresql://", 13) == 0;
}

/* A copy of location for messages, with the password of a URL replaced by ***. */
static char *display_location(const char *location)
{
    const char *scheme = strstr(location, "://");
    if (!scheme)
        return xstrdup(location);
    const char *auth = scheme + 3;
    const char *at = strchr(auth, '@');
    const char *slash = strchr(auth, '/');
    if (!at || (slash && slash < at))
        return xstrdup(location);
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (!colon)
        return xstrdup(location);
    buf b;
    buf_init(&b);
    buf_append(&b, location, (size_t)(colon + 1 - location));
    buf_puts(&b, "***");
    buf_puts(&b, at);
    return buf_detach(&b);
}

/* Applies the driver's migrations the database lacks, each in its own
 * transaction; refuses a schema newer than the driver's. */
static int store_migrate(store *s, err *e)
{
    int n_tables = 0, has_migrations = 0;
    int latest = (int)s->drv->n_migrations;
    if (s->drv->inspect(s->conn, &n_tables, &has_migrations, e) < 0)
        return -1;
    if (!has_migrations && n_tables > 0) {
        err_set(e, s->location, 0, 0, NULL, "not an itss database (it holds other tables and no schema_migrations)");
        return -1;
    }
    /* Up to date (every open but the first): a read, so that opening never
     * waits for another process's write lock. */
    if (has_migrations) {
        int64_t version = 0;
        if (QUERY_INT(s, Q_MIG_VERSION, &version, e, "") < 0)
            return -1;
        if (version == latest) {
            s->schema_version = latest;
            return 0;
        }
        if (version < latest && store_read_only(s)) {
            err_set(e, s->location, 0, 0, NULL,
                    "the database file is read-only and has schema version %lld; this itss needs %d: "
                    "make it writable once to upgrade it", (long long)version, latest);
            return -1;
        }
    }
    for (;;) {
        int64_t version = 0;
        if (store_begin(s, e) < 0)
            return -1;
        if (s->drv->exec(s->conn,
                         "CREATE TABLE IF NOT EXISTS schema_migrations "
                         "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", e) < 0
            || QUERY_INT(s, Q_MIG_VERSION, &version, e, "") < 0) {
            store_rollback(s, NULL);
            return -1;
        }
        if (version > latest) {
            store_rollback(s, NULL);
            err_set(e, s->location, 0, 0, NULL,
                    "the database has schema version %lld, newer than this itss knows (%d): use a newer itss",
                    (long long)version, latest);
            return -1;
        }
        if (version == latest) {
            s->schema_version = latest;
            return store_commit(s, e);
        }
        err step;
        char at[24];
        store_now_utc(at);
        if (s->drv->exec(s->conn, s->drv->migrations[version], &step) < 0
            || (version + 1 == SCHEMA_PACKED_ANSWERS && store_answers_convert(s, &step) < 0)
            || (version + 1 == SCHEMA_AGREEMENTS_PACKED && store_agreements_convert(s, &step) < 0)
            || QUERY_EXEC(s, Q_MIG_INSERT, &step, "it", version + 1, at) < 0) {
            store_rollback(s, NULL);
            err_set(e, s->location, 0, 0, NULL, "migration to schema version %lld failed: %s",
                    (long long)version + 1, step.message);
            return -1;
        }
        if (store_commit(s, e) < 0)
            return -1;
    }
}

/* Opens location with driver drv (see store_backend.h). */
store *store_open_driver(const store_driver *drv, const char *location, int flags, err *e)
{
    void *conn = drv->open(location, (flags & STORE_CREATE) != 0, e);
    if (!conn)
        return NULL;
    store *s = xmalloc(sizeof *s);
    s->drv = drv;
    s->conn = conn;
    s->location = display_location(location);
    if (store_migrate(s, e) < 0) {
        store_close(s);
        return NULL;
    }
    return s;
}

/* url_or_path as messages show it (a URL's password masked); the caller frees it. */
char *store_location_shown(const char *url_or_path)
{
    return display_location(url_or_path ? url_or_path : "");
}

/* Picks the backend from url_or_path and opens. */
store *store_open(const char *url_or_path, int flags, err *e)
{
    if (!url_or_path || !url_or_path[0]) {
        err_set(e, "", 0, 0, NULL, "no database given");
        return NULL;
    }
    if (is_postgres_url(url_or_path))
        return store_open_driver(&store_pg_driver, url_or_path, flags, e);
    return store_open_driver(&store_sqlite_driver, url_or_path, flags, e);
}

/* Rolls back what is still open, closes the connection and frees s (NULL: nothing). */
void store_close(store *s)
{
    if (!s)
        return;
    if (s->depth > 0 && s->drv->in_transaction(s->conn))
        s->drv->exec(s->conn, "ROLLBACK", NULL);
    s->drv->close(s->conn);
    store_dicts_forget(s);
    free(s->location);
    free(s);
}

/* The backend's name ("sqlite", "postgresql"); static. */
const char *store_backend(const store *s)
{
    return s->drv->name;
}

/* Where s is, as messages show it; s owns it. */
const char *store_location(const store *s)
{
    return s->location;
}

/* The schema version of the open database. */
int store_schema_version(const store *s)
{
    return s->schema_version;
}

/* The newest schema version this itss knows (its backend's migration count). */
int store_schema_latest(const store *s)
{
    return (int)s->drv->n_migrations;
}

/* Runs the backend's integrity checks: 0 clean, else what *e says. */
int store_check(store *s, err *e)
{
    return s->drv->check(s->conn, e);
}

/* 1 when the database was opened read-only (the file cannot be written). */
int store_read_only(const store *s)
{
    return s->drv->read_only ? s->drv->read_only(s->conn) : 0;
}

/* How long writes wait for a lock: ms, 0 not at all, < 0 the default (STORE_WRITE_WAIT_MS). */
void store_write_wait(store *s, int ms)
{
    if (s->drv->write_wait)
        s->drv->write_wait(s->conn, ms < 0 ? STORE_WRITE_WAIT_MS : ms);
}

/* 1 when a write could start now without waiting, else 0 with *e saying why. */
int store_writable(store *s, err *e)
{
    if (store_read_only(s)) {
        err_set(e, s->location, 0, 0, NULL, "the database file is read-only");
        return 0;
    }
    if (s->depth > 0)
        return 1;
    store_write_wait(s, 0);
    int rc = s->drv->begin(s->conn, e);
    store_write_wait(s, -1);
    if (rc < 0)
        return 0;
    s->drv->exec(s->conn, "ROLLBACK", NULL);
    return 1;
}

/* A consistent copy of the database at dest (the backend's online backup). 0, or -1 with *e. */
int store_backup(store *s, const char *dest, err *e)
{
    if (!s->drv->backup) {
        err_set(e, s->location, 0, 0, NULL, "the %s backend has no backup; use its own tools", s->drv->name);
        return -1;
    }
    return s->drv->backup(s->conn, dest, e);
}

