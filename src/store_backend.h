/* store_backend.h - what a database backend gives store.c. Only store*.c include it.
 *
 * store.c holds every store operation once, in portable SQL with `?` placeholders;
 * a backend is a driver that opens a connection, runs that SQL through prepared
 * statements it caches per connection, says which constraint a failed statement
 * broke, and carries its own schema as a list of migrations (the DDL is the one
 * place where SQLite and PostgreSQL spell things differently: row ids, triggers).
 *
 * A PostgreSQL driver translates each `?` to $1, $2... when preparing, and binds
 * integers as int8 and texts as text. */
#ifndef ITSS_STORE_BACKEND_H
#define ITSS_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* A prepared statement of a backend; it belongs to the connection. */
typedef struct store_stmt store_stmt;

/* Why a statement failed, so that store.c can say it in the standard's terms. */
typedef enum store_fault {
    STORE_FAULT_NONE,
    STORE_FAULT_UNIQUE,        /* a unique or primary key constraint */
    STORE_FAULT_FOREIGN_KEY,
    STORE_FAULT_CHECK,
    STORE_FAULT_NOT_NULL,
    STORE_FAULT_BUSY,          /* another writer held the lock past the timeout */
    STORE_FAULT_OTHER
} store_fault;

typedef struct store_driver {
    const char *name;                          /* "sqlite" */
    /* The schema: migrations[i] takes the schema from version i to i + 1. Each is
     * one or more statements run with exec() inside one transaction. Entries are
     * only ever appended. */
    const char *const *migrations;
    size_t n_migrations;

    /* Opens location; with create, makes the database when it is missing. Returns
     * the connection, or NULL with *e filled. */
    void *(*open)(const char *location, int create, err *e);
    void (*close)(void *conn);
    /* Counts the tables the database holds and tells whether schema_migrations is
     * one of them. */
    int (*inspect)(void *conn, int *n_tables, int *has_migrations, err *e);
    /* Runs SQL without parameters (one or several statements). */
    int (*exec)(void *conn, const char *sql, err *e);
    /* The SQL that starts a read transaction whose reads all see one moment
     * (SQLite: BEGIN; PostgreSQL: BEGIN ISOLATION LEVEL REPEATABLE READ). */
    const char *begin_read_sql;
    /* Starts a transaction that will write (SQLite: BEGIN IMMEDIATE). */
    int (*begin)(void *conn, err *e);
    /* 1 while the database has a transaction open. */
    int (*in_transaction)(void *conn);
    /* The statement for slot (a small number naming the SQL text in store.c),
     * prepared once per connection and reused. When the slot's statement is in use
     * (an iteration calling back into the store), a fresh one is made. Every
     * statement returned goes back with release(). */
    store_stmt *(*prepare)(void *conn, int slot, const char *sql, err *e);
    void (*release)(store_stmt *st);
    /* Parameters count from 1. A NULL text binds SQL NULL. */
    void (*bind_int)(store_stmt *st, int i, int64_t v);
    void (*bind_text)(store_stmt *st, int i, const char *v);
    /* n bytes at v (copied; n 0 binds an empty blob). PostgreSQL: bytea. */
    void (*bind_blob)(store_stmt *st, int i, const void *v, size_t n);
    /* 1: a row is ready; 0: done; -1: failed, with *fault and *e. */
    int (*step)(store_stmt *st, store_fault *fault, err *e);
    /* Columns count from 0. column_text is NULL for SQL NULL and valid until the
     * next step or release. */
    int (*column_null)(store_stmt *st, int col);
    int64_t (*column_int)(store_stmt *st, int col);
    const char *(*column_text)(store_stmt *st, int col);
    /* The bytes of a blob column and their count in *n; valid as column_text. */
    const void *(*column_blob)(store_stmt *st, int col, size_t *n);
    /* The result's columns, their names, and whether a column is declared a
     * blob (bytea): for copying tables whole (store_copy.c). Valid after the
     * first step, whether it gave a row or not. */
    int (*column_count)(store_stmt *st);
    const char *(*column_name)(store_stmt *st, int col);
    int (*column_is_blob)(store_stmt *st, int col);
    /* The backend's own consistency check. */
    int (*check)(void *conn, err *e);
    /* How long a write waits for another writer's lock, in ms (0: not at all);
     * reads wait briefly whatever this says. */
    void (*write_wait)(void *conn, int ms);
    /* 1 when the database was opened read-only (its file cannot be written). */
    int (*read_only)(void *conn);
    /* A consistent copy of the whole database into the file dest (a live
     * database: others may keep reading and writing meanwhile). */
    int (*backup)(void *conn, const char *dest, err *e);
} store_driver;

extern const store_driver store_sqlite_driver;
extern const store_driver store_pg_driver;     /* store_pg.c */

struct store;
/* Opens location with driver drv and migrates it, as store_open does after
 * choosing the driver. Tests use it with a driver whose migrations differ. */
struct store *store_open_driver(const store_driver *drv, const char *location, int flags, err *e);

#endif
