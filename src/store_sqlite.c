/* store_sqlite.c - the SQLite backend of the store (see store_backend.h).
 *
 * One database file in WAL mode (readers never wait for the writer), foreign keys
 * enforced, synchronous=FULL (a committed answer survives a power cut). A read
 * waits at most STORE_READ_WAIT_MS for a lock, a write STORE_WRITE_WAIT_MS for
 * another writer (store.h), chosen per statement (sqlite3_stmt_readonly), so
 * that one held write lock never freezes the readers. A file that cannot be
 * written is opened read-only and served for reading. Statements are prepared once per connection, cached by slot. The
 * schema is the list of migrations below; docs/store.md explains it. */
#include "store_backend.h"
#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The SQLite words of the schema written once in store_schema.h. */
#define ITSS_ID_KEY "INTEGER PRIMARY KEY"
#define ITSS_INT "INTEGER"
#define ITSS_BLOB "BLOB"
#define ITSS_WITHOUT_ROWID " WITHOUT ROWID"
#define ITSS_APPEND_ONLY(table) "BEGIN SELECT RAISE(ABORT, '" table " is append-only'); END;\n"
#define ITSS_DROP_TRIGGER(name, table) "DROP TRIGGER " name ";\n"
#define ITSS_SQLITE_ONLY(sql) sql
#define ITSS_PG_ONLY(sql)
#include "store_schema.h"

/* Versions 1 to 9, written once for both backends in store_schema.h. */
static const char migration_1[] = ITSS_SCHEMA_1;
static const char migration_2[] = ITSS_SCHEMA_2;
static const char migration_3[] = ITSS_SCHEMA_3;
static const char migration_4[] = ITSS_SCHEMA_4;
static const char migration_5[] = ITSS_SCHEMA_5;
static const char migration_6[] = ITSS_SCHEMA_6;
static const char migration_7[] = ITSS_SCHEMA_7;
static const char migration_8[] = ITSS_SCHEMA_8;
static const char migration_9[] = ITSS_SCHEMA_9;

/* Version 10: 要員計画 and saved talent searches (docs/reports.md). A target
 * head count of people at a level or above per cycle × org unit (its whole
 * subtree) × specialization; a search saved by a user under a name (the query
 * string of /search). */
static const char migration_10[] =
    "CREATE TABLE staffing_target (\n"
    "  cycle_id INTEGER NOT NULL REFERENCES cycle(id),\n"
    "  org_unit_id INTEGER NOT NULL REFERENCES org_unit(id),\n"
    "  specialization_id TEXT NOT NULL,\n"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 15),\n"
    "  head_count INTEGER NOT NULL CHECK (head_count >= 0),\n"
    "  updated_by TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL,\n"
    "  PRIMARY KEY (cycle_id, org_unit_id, specialization_id, level)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE saved_search (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  user_id INTEGER NOT NULL REFERENCES app_user(id),\n"
    "  name TEXT NOT NULL,\n"
    "  query TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL,\n"
    "  UNIQUE (user_id, name)\n"
    ");\n";

/* Version 11: notifications (docs/notifications.md). The outbox: every e-mail
 * itss means to send, written in the same transaction as the event it tells
 * of (a submission, a return, an approval, a certificate, a reminder), then
 * sent by the sender of itss serve or itss mail send, with its attempts and
 * the last error kept on the row. dedupe_key makes a reminder once per person
 * and cycle. A user's language, for the mails they receive. */
static const char migration_11[] =
    "CREATE TABLE outbox (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  created_at TEXT NOT NULL,\n"
    "  template TEXT NOT NULL,\n"
    "  to_addr TEXT,\n"
    "  to_name TEXT,\n"
    "  lang TEXT NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),\n"
    "  path TEXT,\n"
    "  params TEXT NOT NULL,\n"
    "  dedupe_key TEXT UNIQUE,\n"
    "  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'no_address')),\n"
    "  attempts INTEGER NOT NULL DEFAULT 0,\n"
    "  last_error TEXT,\n"
    "  next_attempt_at TEXT NOT NULL,\n"
    "  sent_at TEXT\n"
    ");\n"
    "CREATE INDEX outbox_due ON outbox(status, next_attempt_at);\n"
    "ALTER TABLE app_user ADD COLUMN lang TEXT CHECK (lang IN ('ja', 'en'));\n";

/* Version 12: accounts made in bulk and people who left (docs/store.md). A
 * one-time sign-in link of a user, kept as the hash of its secret: until used
 * (once) or expired it lets the user set a password and sign in. A person's
 * leaving date: a person with one has left (kept in history, gone from the
 * current views). */
static const char migration_12[] =
    "CREATE TABLE signin_link (\n"
    "  token_hash TEXT PRIMARY KEY,\n"
    "  user_id INTEGER NOT NULL REFERENCES app_user(id),\n"
    "  created_by TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL,\n"
    "  expires_at TEXT NOT NULL,\n"
    "  used_at TEXT\n"
    ");\n"
    "CREATE INDEX signin_link_user ON signin_link(user_id);\n"
    "ALTER TABLE person ADD COLUMN left_on TEXT;\n";

/* Version 13: the specializations a diagnosis is made in, as the engineer
 * chose them (store_specs.h). An assessment without rows has made no choice:
 * the specializations it has answers of its own in stand for it. */
static const char migration_13[] =
    "CREATE TABLE assessment_spec (\n"
    "  assessment_id INTEGER NOT NULL REFERENCES assessment(id),\n"
    "  specialization_id TEXT NOT NULL,\n"
    "  chosen_by TEXT NOT NULL,\n"
    "  chosen_at TEXT NOT NULL,\n"
    "  PRIMARY KEY (assessment_id, specialization_id)\n"
    ") WITHOUT ROWID;\n";

/* Version 14: compact storage (docs/store.md "Schema version 14"). An approval
 * no longer copies the engine's result and explanation (about 70 KB): it keeps
 * what rebuilds them exactly, checked against a digest of what was approved --
 * the history row the answers stood at (the history is append-only), the
 * agreements, the person's number and name and the cycle as they stood, and the
 * policy file's text, kept once per distinct text. The levels stay in
 * approval_level; approvals made before keep their texts. Append-only. History
 * rows may hold run records (store_changes_runs), which a program before 14
 * cannot read: hence the version. Kept results are held in their key's order
 * without a separate index (WITHOUT ROWID; PostgreSQL has no row ids: nothing
 * to do there). */
static const char migration_14[] =
    "CREATE TABLE policy_text (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sha256 TEXT NOT NULL UNIQUE,\n"
    "  body TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE approval_basis (\n"
    "  approval_id INTEGER PRIMARY KEY REFERENCES approval(id),\n"
    "  answers_through INTEGER NOT NULL REFERENCES assessment_history(id),\n"
    "  policy_text_id INTEGER NOT NULL REFERENCES policy_text(id),\n"
    "  employee_number TEXT NOT NULL,\n"
    "  person_name TEXT NOT NULL,\n"
    "  cycle TEXT NOT NULL,\n"
    "  agreed BLOB,\n"
    "  digest TEXT NOT NULL\n"
    ");\n"
    "CREATE TRIGGER policy_text_no_update BEFORE UPDATE ON policy_text\n"
    "BEGIN SELECT RAISE(ABORT, 'policy_text is append-only'); END;\n"
    "CREATE TRIGGER policy_text_no_delete BEFORE DELETE ON policy_text\n"
    "BEGIN SELECT RAISE(ABORT, 'policy_text is append-only'); END;\n"
    "CREATE TRIGGER approval_basis_no_update BEFORE UPDATE ON approval_basis\n"
    "BEGIN SELECT RAISE(ABORT, 'approval_basis is append-only'); END;\n"
    "CREATE TRIGGER approval_basis_no_delete BEFORE DELETE ON approval_basis\n"
    "BEGIN SELECT RAISE(ABORT, 'approval_basis is append-only'); END;\n"
    "CREATE TABLE result_v14 (\n"
    "  assessment_id INTEGER NOT NULL REFERENCES assessment(id),\n"
    "  policy TEXT NOT NULL,\n"
    "  specialization_id TEXT NOT NULL,\n"
    "  level INTEGER NOT NULL,\n"
    "  detail TEXT,\n"
    "  computed_at TEXT NOT NULL,\n"
    "  PRIMARY KEY (assessment_id, policy, specialization_id)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO result_v14 SELECT assessment_id, policy, specialization_id, level, detail, computed_at FROM result;\n"
    "DROP TABLE result;\n"
    "ALTER TABLE result_v14 RENAME TO result;\n";

/* Version 15: a reviewer's agreements with the self-rating, one row per
 * assessment instead of one per element (docs/store.md "Schema version 15"):
 * the elements agreed as their numbers in the catalog version's element
 * dictionary (store_numbers_encode), who changed them last and when. Agreeing
 * with the rest of a self-assessment wrote ~230 rows of ~55 bytes, more than
 * all the rest of a person. The old rows are converted by store_agreement.c in
 * the same transaction, then review_agreement_v14 is dropped. */
static const char migration_15[] =
    "CREATE TABLE review_agreed (\n"
    "  assessment_id INTEGER PRIMARY KEY REFERENCES assessment(id),\n"
    "  elements BLOB NOT NULL,\n"
    "  updated_by TEXT NOT NULL,\n"
    "  updated_at TEXT NOT NULL\n"
    ");\n"
    "ALTER TABLE review_agreement RENAME TO review_agreement_v14;\n";

static const char *const sqlite_migrations[] = {
    migration_1,
    migration_2,
    migration_3,
    migration_4,
    migration_5,
    migration_6,
    migration_7,
    migration_8,
    migration_9,
    migration_10,
    migration_11,
    migration_12,
    migration_13,
    migration_14,
    migration_15,
};

/* A cached statement slot. */
typedef struct sqlite_slot {
    sqlite3_stmt *stmt;
    int busy;
} sqlite_slot;

typedef struct sqlite_conn {
    sqlite3 *db;
    char *path;
    int write_ms;              /* how long a write waits for the lock */
    int wait_ms;               /* the busy timeout set now */
    int last_wait_ms;          /* what the last failed statement waited */
    sqlite_slot **slots;       /* by slot number; pointers stay put while the array grows */
    size_t n_slots;
} sqlite_conn;

struct store_stmt {
    sqlite_conn *conn;
    sqlite3_stmt *stmt;
    sqlite_slot *slot;         /* NULL for a statement made because the slot was busy */
    int bind_rc;               /* the first failed bind, reported by step */
};

/* Fills *e with "path: message" for the connection's last error. */
static void sqlite_error(sqlite_conn *c, err *e, const char *what)
{
    err_set(e, c->path, 0, 0, NULL, "%s%s%s", what ? what : "", what ? ": " : "", sqlite3_errmsg(c->db));
}

static void sqlite_close(void *conn)
{
    sqlite_conn *c = conn;
    if (!c)
        return;
    for (size_t i = 0; i < c->n_slots; i++) {
        if (c->slots[i]) {
            sqlite3_finalize(c->slots[i]->stmt);
            free(c->slots[i]);
        }
    }
    free(c->slots);
    sqlite3_close_v2(c->db);
    free(c->path);
    free(c);
}

/* Sets the busy timeout when it changes. */
static void set_wait(sqlite_conn *c, int ms)
{
    if (c->wait_ms != ms) {
        sqlite3_busy_timeout(c->db, ms);
        c->wait_ms = ms;
    }
}

/* Runs SQL without parameters (BEGIN IMMEDIATE, COMMIT, migrations: writes). */
static int sqlite_exec(void *conn, const char *sql, err *e)
{
    sqlite_conn *c = conn;
    char *msg = NULL;
    set_wait(c, c->write_ms);
    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err_set(e, c->path, 0, 0, NULL, "%s", msg ? msg : sqlite3_errmsg(c->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* The single text value of a one-row PRAGMA, copied into out. */
static int sqlite_pragma_text(sqlite_conn *c, const char *sql, char *out, size_t size, err *e)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite_error(c, e, NULL);
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(out, size, "%s", t ? (const char *)t : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sqlite_error(c, e, NULL);
        return -1;
    }
    return 0;
}

/* 1 when the file at path holds bytes but SQLite, asked through the connection
 * c that just opened it, sees no page in it: a file shorter than SQLite's header
 * (a one-byte text file), which SQLite takes for an empty database and the first
 * migration would overwrite. Asked before anything is written (journal mode,
 * migrations). The size comes from stat, never from opening the file: closing
 * any descriptor of the file drops every POSIX lock this process holds on it,
 * the locks of the process's other connections too. 0 for a real database, an
 * empty file, and when the question cannot be answered (the checks that follow
 * then report the failure as before). */
static int sqlite_not_sqlite(sqlite_conn *c, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || sb.st_size == 0)
        return 0;
    char pages[32];
    if (sqlite_pragma_text(c, "PRAGMA page_count", pages, sizeof pages, NULL) < 0)
        return 0;
    return strcmp(pages, "0") == 0;
}

/* Opens path: WAL, foreign keys, busy timeout. A missing file is created only with create. */
static void *sqlite_open(const char *path, int create, err *e)
{
    if (!path || !path[0]) {
        err_set(e, "", 0, 0, NULL, "no database path given");
        return NULL;
    }
    if (!create && access(path, F_OK) != 0) {
        err_set(e, path, 0, 0, NULL, "no database here; create one with `itss init`");
        return NULL;
    }
    sqlite_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        free(c);
        err_set(e, path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    /* A file that exists but cannot be written is opened read-only: reads are
     * served, writes fail with "read-only". */
    int read_only = !create && access(path, W_OK) != 0 && errno == EACCES;
    int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | (create ? SQLITE_OPEN_CREATE : 0) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
        if (c->db)
            sqlite_error(c, e, "cannot open the database");
        else
            err_set(e, path, 0, 0, NULL, "cannot open the database: out of memory");
        sqlite_close(c);
        return NULL;
    }
    sqlite3_extended_result_codes(c->db, 1);
    c->write_ms = STORE_WRITE_WAIT_MS;
    c->wait_ms = -1;
    set_wait(c, STORE_WRITE_WAIT_MS);
    if (sqlite_not_sqlite(c, path)) {
        err_set(e, path, 0, 0, NULL, "not an itss database (not SQLite)");
        goto fail;
    }

    char mode[32];
    if (sqlite_pragma_text(c, read_only ? "PRAGMA journal_mode" : "PRAGMA journal_mode=WAL", mode, sizeof mode,
                           e) < 0) {
        if (read_only)
            err_set(e, path, 0, 0, NULL, "the database file is read-only, and SQLite cannot read it so "
                                         "(its -wal and -shm files must exist and be writable, or the directory): %s",
                    sqlite3_errmsg(c->db));
        goto fail;
    }
    if (strcmp(mode, "wal") != 0 && !(read_only && strcmp(mode, "delete") == 0)) {
        err_set(e, path, 0, 0, NULL, "cannot switch the database to WAL mode (journal mode is %s)", mode);
        goto fail;
    }
    /* cache_size: up to 64 MiB of pages per connection, taken only as pages are
     * used. The default 2 MiB spilled a large import's dirty pages to the WAL
     * long before commit, a tenth of its time. */
    if (sqlite_exec(c, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536", e) < 0)
        goto fail;
    char fk[8];
    if (sqlite_pragma_text(c, "PRAGMA foreign_keys", fk, sizeof fk, e) < 0)
        goto fail;
    if (strcmp(fk, "1") != 0) {
        err_set(e, path, 0, 0, NULL, "this SQLite library does not enforce foreign keys");
        goto fail;
    }
    return c;
fail:
    sqlite_close(c);
    return NULL;
}

static int sqlite_inspect(void *conn, int *n_tables, int *has_migrations, err *e)
{
    sqlite_conn *c = conn;
    sqlite3_stmt *st;
    const char *sql = "SELECT count(*), sum(name = 'schema_migrations') FROM sqlite_master WHERE type = 'table'";
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        /* The first read of a file that is no database fails here. */
        sqlite_error(c, e, NULL);
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n_tables = sqlite3_column_int(st, 0);
        *has_migrations = sqlite3_column_int(st, 1) > 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        sqlite_error(c, e, NULL);
        return -1;
    }
    return 0;
}

static int sqlite_begin(void *conn, err *e)
{
    return sqlite_exec(conn, "BEGIN IMMEDIATE", e);
}

static int sqlite_in_transaction(void *conn)
{
    return !sqlite3_get_autocommit(((sqlite_conn *)conn)->db);
}

/* The cached statement of slot, or a fresh one when it is in use. */
static store_stmt *sqlite_prepare(void *conn, int slot, const char *sql, err *e)
{
    sqlite_conn *c = conn;
    store_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        err_set(e, c->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    st->conn = c;
    if (slot < 0) {
        err_set(e, c->path, 0, 0, NULL, "internal error: statement slot %d", slot);
        free(st);
        return NULL;
    }
    if ((size_t)slot >= c->n_slots) {
        size_t n = (size_t)slot + 16;
        sqlite_slot **grown = realloc(c->slots, n * sizeof *grown);
        if (!grown) {
            err_set(e, c->path, 0, 0, NULL, "out of memory");
            free(st);
            return NULL;
        }
        memset(grown + c->n_slots, 0, (n - c->n_slots) * sizeof *grown);
        c->slots = grown;
        c->n_slots = n;
    }
    sqlite_slot *sl = c->slots[slot];
    if (sl && !sl->busy) {
        sl->busy = 1;
        st->slot = sl;
        st->stmt = sl->stmt;
        return st;
    }
    if (sqlite3_prepare_v3(c->db, sql, -1, sl ? 0 : SQLITE_PREPARE_PERSISTENT, &st->stmt, NULL) != SQLITE_OK) {
        sqlite_error(c, e, "cannot prepare a statement");
        free(st);
        return NULL;
    }
    if (!sl) {
        sl = calloc(1, sizeof *sl);
        if (!sl) {
            sqlite3_finalize(st->stmt);
            free(st);
            err_set(e, c->path, 0, 0, NULL, "out of memory");
            return NULL;
        }
        sl->stmt = st->stmt;
        sl->busy = 1;
        c->slots[slot] = sl;
        st->slot = sl;
    }
    return st;
}

static void sqlite_release(store_stmt *st)
{
    if (!st)
        return;
    if (st->slot) {
        sqlite3_reset(st->stmt);
        sqlite3_clear_bindings(st->stmt);
        st->slot->busy = 0;
    } else {
        sqlite3_finalize(st->stmt);
    }
    free(st);
}

static void sqlite_bind_int(store_stmt *st, int i, int64_t v)
{
    int rc = sqlite3_bind_int64(st->stmt, i, v);
    if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
        st->bind_rc = rc;
}

static void sqlite_bind_text(store_stmt *st, int i, const char *v)
{
    int rc = v ? sqlite3_bind_text(st->stmt, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st->stmt, i);
    if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
        st->bind_rc = rc;
}

static void sqlite_bind_blob(store_stmt *st, int i, const void *v, size_t n)
{
    int rc = sqlite3_bind_blob64(st->stmt, i, n ? v : "", (sqlite3_uint64)n, SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
        st->bind_rc = rc;
}

/* Which constraint an extended result code names. */
static store_fault sqlite_fault(int rc)
{
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return STORE_FAULT_UNIQUE;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return STORE_FAULT_FOREIGN_KEY;
    case SQLITE_CONSTRAINT_CHECK:
        return STORE_FAULT_CHECK;
    case SQLITE_CONSTRAINT_NOTNULL:
        return STORE_FAULT_NOT_NULL;
    default:
        return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? STORE_FAULT_BUSY : STORE_FAULT_OTHER;
    }
}

static int sqlite_step(store_stmt *st, store_fault *fault, err *e)
{
    if (st->bind_rc != SQLITE_OK) {
        *fault = STORE_FAULT_OTHER;
        err_set(e, st->conn->path, 0, 0, NULL, "cannot bind a parameter: %s", sqlite3_errstr(st->bind_rc));
        return -1;
    }
    sqlite_conn *c = st->conn;
    int wait = sqlite3_stmt_readonly(st->stmt) ? STORE_READ_WAIT_MS : c->write_ms;
    set_wait(c, wait);
    int rc = sqlite3_step(st->stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    rc = sqlite3_extended_errcode(c->db);
    *fault = sqlite_fault(rc);
    if (*fault == STORE_FAULT_BUSY)
        err_set(e, c->path, 0, 0, NULL, "the database is locked by another process (waited %d ms)", wait);
    else if ((rc & 0xff) == SQLITE_READONLY)
        err_set(e, c->path, 0, 0, NULL, "the database file is read-only: nothing can be changed");
    else
        sqlite_error(c, e, NULL);
    return -1;
}

static int sqlite_column_null(store_stmt *st, int col)
{
    return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

static int64_t sqlite_column_int(store_stmt *st, int col)
{
    return sqlite3_column_int64(st->stmt, col);
}

static const char *sqlite_column_text(store_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->stmt, col);
}

static const void *sqlite_column_blob(store_stmt *st, int col, size_t *n)
{
    const void *p = sqlite3_column_blob(st->stmt, col);
    *n = (size_t)sqlite3_column_bytes(st->stmt, col);
    return p;
}

static int sqlite_column_count(store_stmt *st)
{
    return sqlite3_column_count(st->stmt);
}

static const char *sqlite_column_name(store_stmt *st, int col)
{
    return sqlite3_column_name(st->stmt, col);
}

/* Declared BLOB (the schema's only binary type). */
static int sqlite_column_is_blob(store_stmt *st, int col)
{
    const char *t = sqlite3_column_decltype(st->stmt, col);
    return t && strcmp(t, "BLOB") == 0;
}

/* PRAGMA integrity_check, then foreign_key_check; the first problems go to *e. */
static int sqlite_check(void *conn, err *e)
{
    sqlite_conn *c = conn;
    sqlite3_stmt *st;
    char problems[400] = "";
    size_t n = 0;
    if (sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
        sqlite_error(c, e, "integrity check");
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok") != 0 && n < sizeof problems)
            n += (size_t)snprintf(problems + n, sizeof problems - n, "%s%s", n ? "; " : "", t);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sqlite_error(c, e, "integrity check");
        return -1;
    }
    if (n) {
        err_set(e, c->path, 0, 0, NULL, "integrity check failed: %s", problems);
        return -1;
    }
    if (sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK) {
        sqlite_error(c, e, "foreign key check");
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *table = (const char *)sqlite3_column_text(st, 0);
        const char *parent = (const char *)sqlite3_column_text(st, 2);
        if (n < sizeof problems)
            n += (size_t)snprintf(problems + n, sizeof problems - n, "%srow %lld of %s names a missing %s",
                                  n ? "; " : "", (long long)sqlite3_column_int64(st, 1), table ? table : "?",
                                  parent ? parent : "?");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sqlite_error(c, e, "foreign key check");
        return -1;
    }
    if (n) {
        err_set(e, c->path, 0, 0, NULL, "foreign key check failed: %s", problems);
        return -1;
    }
    return 0;
}

static void sqlite_write_wait(void *conn, int ms)
{
    ((sqlite_conn *)conn)->write_ms = ms;
}

static int sqlite_read_only(void *conn)
{
    return sqlite3_db_readonly(((sqlite_conn *)conn)->db, "main") == 1;
}

/* The online backup API into DEST.partial, renamed to dest when complete, so
 * that dest is never half written. The copy is of one moment: a read
 * transaction on the source while it runs (writers go on, in WAL mode). */
static int sqlite_backup(void *conn, const char *dest, err *e)
{
    sqlite_conn *c = conn;
    if (access(dest, F_OK) == 0) {
        err_set(e, dest, 0, 0, NULL, "already exists; give a new file name");
        return -1;
    }
    size_t n = strlen(dest) + 16;
    char *partial = malloc(n);
    if (!partial) {
        err_set(e, dest, 0, 0, NULL, "out of memory");
        return -1;
    }
    snprintf(partial, n, "%s.partial", dest);
    unlink(partial);
    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(partial, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_backup *b = sqlite3_backup_init(to, "main", c->db, "main");
        if (!b) {
            rc = sqlite3_errcode(to);
        } else {
            /* Whole in one step: one consistent snapshot. Busy only while another
             * connection of this process writes: wait and try again. */
            for (int tries = 0; tries < 200; tries++) {
                rc = sqlite3_backup_step(b, -1);
                if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
                    break;
                sqlite3_sleep(50);
            }
            int fin = sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = fin;
        }
    }
    if (rc == SQLITE_OK || rc == SQLITE_DONE) {
        sqlite3_stmt *st;
        /* The copy keeps WAL mode; checkpoint it into one file, then close. */
        if (sqlite3_prepare_v2(to, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) == SQLITE_OK) {
            sqlite3_step(st);
            sqlite3_finalize(st);
        }
        rc = SQLITE_OK;
    }
    const char *msg = to ? sqlite3_errmsg(to) : "out of memory";
    if (rc != SQLITE_OK)
        err_set(e, dest, 0, 0, NULL, "the backup failed: %s", rc == SQLITE_NOMEM ? "out of memory" : msg);
    if (sqlite3_close(to) != SQLITE_OK && rc == SQLITE_OK) {
        err_set(e, dest, 0, 0, NULL, "the backup could not be closed");
        rc = SQLITE_ERROR;
    }
    if (rc == SQLITE_OK && rename(partial, dest) != 0) {
        err_set(e, dest, 0, 0, NULL, "cannot rename %s to it: %s", partial, strerror(errno));
        rc = SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) {
        unlink(partial);
        char side[4096];
        snprintf(side, sizeof side, "%s-wal", partial);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", partial);
        unlink(side);
    }
    free(partial);
    return rc == SQLITE_OK ? 0 : -1;
}

const store_driver store_sqlite_driver = {
    .name = "sqlite",
    .migrations = sqlite_migrations,
    .n_migrations = sizeof sqlite_migrations / sizeof sqlite_migrations[0],
    .open = sqlite_open,
    .close = sqlite_close,
    .inspect = sqlite_inspect,
    .exec = sqlite_exec,
    .begin_read_sql = "BEGIN",
    .begin = sqlite_begin,
    .in_transaction = sqlite_in_transaction,
    .prepare = sqlite_prepare,
    .release = sqlite_release,
    .bind_int = sqlite_bind_int,
    .bind_text = sqlite_bind_text,
    .bind_blob = sqlite_bind_blob,
    .step = sqlite_step,
    .column_null = sqlite_column_null,
    .column_int = sqlite_column_int,
    .column_text = sqlite_column_text,
    .column_blob = sqlite_column_blob,
    .column_count = sqlite_column_count,
    .column_name = sqlite_column_name,
    .column_is_blob = sqlite_column_is_blob,
    .check = sqlite_check,
    .write_wait = sqlite_write_wait,
    .read_only = sqlite_read_only,
    .backup = sqlite_backup,
};
