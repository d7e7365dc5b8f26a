/* store_copy.c - a whole database copied into another, of either backend
 * (`itss copy`: SQLite to PostgreSQL and back).
 *
 * Both stores are at the same schema version (each was migrated on opening), so
 * their tables and columns are the same; the copy reads every table of the
 * source in an order where a row's references come first, writes the rows with
 * their ids into the destination in one transaction (nothing is left half copied;
 * the destination is new: empty, or holding only what `itss init` wrote),
 * and then proves the copy: per table, the row count and an order-independent
 * digest of every value (NULL, text or bytes) read back from each side must be
 * equal. A self-reference (org_unit.parent_id, person.manager_id) is written in a
 * second pass, so the order of ids within a table does not matter. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

/* Every table of the schema but schema_migrations, references first. A table
 * added by a migration must be added here: the copy refuses a database whose
 * table count differs (tests/pg.sh copies the demo both ways). */
static const char *const copy_tables[] = {
    "meta", "catalog", "org_unit", "person", "cycle", "experience", "experience_item", "contribution",
    "assessment", "answer_element", "answer_values", "answer_evidence", "assessment_history", "result",
    "app_user", "session", "api_token", "login_failure", "assessment_comment", "course", "course_cover",
    "qualification", "training_result", "plan", "plan_item", "plan_action", "plan_comment",
    "review_agreed", "approval", "approval_level", "approval_reopen", "certificate",
    "certificate_revocation", "staffing_target", "saved_search", "outbox", "signin_link", "assessment_spec",
    "policy_text", "approval_basis",
};
#define N_COPY_TABLES (sizeof copy_tables / sizeof copy_tables[0])
_Static_assert(N_COPY_TABLES <= 50, "store_copy.c takes 50 statement slots per kind (STORE_SLOT_COPY)");

/* Columns that point at their own table's rows, written in a second pass. */
static const struct { const char *table, *column; } self_refs[] = {
    { "org_unit", "parent_id" },
    { "person", "manager_id" },
};

/* The self-referencing column of table, or NULL. */
static const char *self_ref_of(const char *table)
{
    for (size_t i = 0; i < sizeof self_refs / sizeof self_refs[0]; i++)
        if (strcmp(self_refs[i].table, table) == 0)
            return self_refs[i].column;
    return NULL;
}

/* The tables `itss init` writes (the catalog the database uses): a destination
 * may hold rows there only, and the copy replaces them with the source's. */
static int made_by_init(const char *table)
{
    return strcmp(table, "meta") == 0 || strcmp(table, "catalog") == 0;
}

/* FNV-1a over n bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* What one table holds, order aside. */
typedef struct table_digest {
    int64_t rows;
    uint64_t sum;              /* the sum of the rows' hashes: independent of order */
} table_digest;

/* Reads every row of table in s into *d. */
static int digest_table(store *s, size_t t, const char *table, table_digest *d, err *e)
{
    const store_driver *drv = store_q_driver(s);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    store_stmt *st = drv->prepare(store_q_conn(s), STORE_SLOT_COPY + 150 + (int)t, sql, e);
    if (!st)
        return -1;
    memset(d, 0, sizeof *d);
    store_fault fault = STORE_FAULT_NONE;
    int rc;
    while ((rc = drv->step(st, &fault, e)) == 1) {
        uint64_t h = 14695981039346656037ULL;
        int n = drv->column_count(st);
        for (int c = 0; c < n; c++) {
            /* the column's name too, so that columns in another order still match */
            const char *name = drv->column_name(st, c);
            h = fnv(h, name, strlen(name) + 1);
            if (drv->column_null(st, c)) {
                h = fnv(h, "N", 1);
            } else if (drv->column_is_blob(st, c)) {
                size_t len = 0;
                const void *v = drv->column_blob(st, c, &len);
                h = fnv(h, "B", 1);
                h = fnv(h, &len, sizeof len);
                h = fnv(h, v, len);
            } else {
                const char *v = drv->column_text(st, c);
                size_t len = strlen(v);
                h = fnv(h, "T", 1);
                h = fnv(h, &len, sizeof len);
                h = fnv(h, v, len);
            }
        }
        /* hashes of a column order differ; make them comparable across orders */
        d->sum += h * 0x9E3779B97F4A7C15ULL;
        d->rows++;
    }
    drv->release(st);
    return rc < 0 ? -1 : 0;
}

/* At most this many parameters in one INSERT of several rows (SQLite allows
 * 32,766, PostgreSQL 65,535): a round trip per batch, not per row. */
#define COPY_BATCH_PARAMS 2000

/* One value held until its batch is written. */
typedef struct copy_cell {
    char *value;               /* NULL: SQL NULL */
    size_t len;
    int blob;
} copy_cell;

/* The rows of one table held until they are written, a batch at a time. */
typedef struct copy_batch {
    const char *table;
    char **columns;            /* the source's column names */
    int n_cols;
    int self_col;              /* written NULL here, set by the second pass; -1 none */
    int has_id;
    int cap, n;                /* rows a batch holds, rows held now */
    copy_cell *cells;          /* cap * n_cols */
} copy_batch;

/* Takes the column names of the source statement st. */
static void batch_init(copy_batch *b, const store_driver *fd, store_stmt *st, const char *table, const char *self_ref)
{
    memset(b, 0, sizeof *b);
    b->table = table;
    b->n_cols = fd->column_count(st);
    b->self_col = -1;
    b->columns = xcalloc((size_t)b->n_cols, sizeof *b->columns);
    for (int c = 0; c < b->n_cols; c++) {
        b->columns[c] = xstrdup(fd->column_name(st, c));
        if (self_ref && strcmp(b->columns[c], self_ref) == 0)
            b->self_col = c;
        b->has_id |= strcmp(b->columns[c], "id") == 0;
    }
    b->cap = COPY_BATCH_PARAMS / (b->n_cols ? b->n_cols : 1);
    if (b->cap < 1)
        b->cap = 1;
    b->cells = xcalloc((size_t)b->cap * (size_t)b->n_cols, sizeof *b->cells);
}

/* Frees the values held (the batch is then empty). */
static void batch_empty(copy_batch *b)
{
    for (int i = 0; i < b->n * b->n_cols; i++)
        free(b->cells[i].value);
    memset(b->cells, 0, (size_t)b->n * (size_t)b->n_cols * sizeof *b->cells);
    b->n = 0;
}

static void batch_free(copy_batch *b)
{
    if (!b->columns)
        return;
    batch_empty(b);
    for (int c = 0; c < b->n_cols; c++)
        free(b->columns[c]);
    free(b->columns);
    free(b->cells);
}

/* Holds the source's current row. */
static void batch_add(copy_batch *b, const store_driver *fd, store_stmt *src)
{
    copy_cell *row = &b->cells[(size_t)b->n * (size_t)b->n_cols];
    for (int c = 0; c < b->n_cols; c++) {
        if (c == b->self_col || fd->column_null(src, c))
            continue;
        const void *v;
        size_t len;
        if ((row[c].blob = fd->column_is_blob(src, c)) != 0) {
            v = fd->column_blob(src, c, &len);
        } else {
            v = fd->column_text(src, c);
            len = strlen(v);
        }
        row[c].value = xmalloc(len + 1);
        memcpy(row[c].value, v, len);
        row[c].value[len] = '\0';
        row[c].len = len;
    }
    b->n++;
}

/* INSERT INTO table (columns) VALUES (?, ...), ... for rows rows. Caller frees. */
static char *batch_sql(const copy_batch *b, int rows)
{
    buf q;
    buf_init(&q);
    buf_printf(&q, "INSERT INTO %s (", b->table);
    for (int c = 0; c < b->n_cols; c++)
        buf_printf(&q, "%s%s", c ? ", " : "", b->columns[c]);
    buf_puts(&q, ") VALUES ");
    for (int r = 0; r < rows; r++) {
        buf_puts(&q, r ? ", (" : "(");
        for (int c = 0; c < b->n_cols; c++)
            buf_puts(&q, c ? ", ?" : "?");
        buf_puts(&q, ")");
    }
    return buf_detach(&q);
}

/* Writes the rows held in one statement (a full batch under one slot, the last,
 * shorter one under another) and empties the batch. *done counts rows written. */
static int batch_write(copy_batch *b, store *to, size_t t, int64_t *done, err *e)
{
    if (b->n == 0)
        return 0;
    const store_driver *td = store_q_driver(to);
    char *sql = batch_sql(b, b->n);
    int slot = STORE_SLOT_COPY + (b->n == b->cap ? 50 : 100) + (int)t;
    store_stmt *ins = td->prepare(store_q_conn(to), slot, sql, e);
    free(sql);
    if (!ins)
        return -1;
    int param = 1;
    for (int i = 0; i < b->n * b->n_cols; i++, param++) {
        const copy_cell *cell = &b->cells[i];
        if (!cell->value)
            td->bind_text(ins, param, NULL);
        else if (cell->blob)
            td->bind_blob(ins, param, cell->value, cell->len);
        else
            td->bind_text(ins, param, cell->value);
    }
    store_fault fault = STORE_FAULT_NONE;
    int rc = td->step(ins, &fault, e);
    td->release(ins);
    if (rc < 0) {
        char why[sizeof e->message];   /* the message is rewritten in place */
        snprintf(why, sizeof why, "%s", e->message);
        err_set(e, store_location(to), 0, 0, NULL, "%s: rows %lld to %lld: %s", b->table, (long long)*done + 1,
                (long long)*done + b->n, why);
        return -1;
    }
    *done += b->n;
    batch_empty(b);
    return 0;
}

/* Writes the self-reference column of every row of table (second pass). */
static int copy_self_refs(store *from, store *to, size_t t, const char *table, const char *column, err *e)
{
    const store_driver *fd = store_q_driver(from), *td = store_q_driver(to);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id, %s FROM %s WHERE %s IS NOT NULL", column, table, column);
    store_stmt *src = fd->prepare(store_q_conn(from), STORE_SLOT_COPY + 200 + (int)t, sql, e);
    if (!src)
        return -1;
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ?", table, column);
    store_fault fault = STORE_FAULT_NONE;
    int rc;
    while ((rc = fd->step(src, &fault, e)) == 1) {
        store_stmt *up = td->prepare(store_q_conn(to), STORE_SLOT_COPY + 250 + (int)t, sql, e);
        if (!up) {
            rc = -1;
            break;
        }
        td->bind_int(up, 1, fd->column_int(src, 1));
        td->bind_int(up, 2, fd->column_int(src, 0));
        int w = td->step(up, &fault, e);
        td->release(up);
        if (w < 0) {
            rc = -1;
            break;
        }
    }
    fd->release(src);
    return rc < 0 ? -1 : 0;
}

/* Copies the rows of table from -> to, a batch of rows per statement; *rows
 * counts them. */
static int copy_table(store *from, store *to, size_t t, const char *table, int64_t *rows, err *e)
{
    const store_driver *fd = store_q_driver(from), *td = store_q_driver(to);
    const char *self_ref = self_ref_of(table);
    char sql[128];
    if (made_by_init(table)) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", table);
        if (td->exec(store_q_conn(to), sql, e) < 0)
            return -1;
    }
    snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
    store_stmt *src = fd->prepare(store_q_conn(from), STORE_SLOT_COPY + (int)t, sql, e);
    if (!src)
        return -1;
    copy_batch b;
    memset(&b, 0, sizeof b);
    store_fault fault = STORE_FAULT_NONE;
    int rc;
    *rows = 0;
    while ((rc = fd->step(src, &fault, e)) == 1) {
        if (!b.columns)
            batch_init(&b, fd, src, table, self_ref);
        batch_add(&b, fd, src);
        if (b.n == b.cap && batch_write(&b, to, t, rows, e) < 0) {
            rc = -1;
            break;
        }
    }
    fd->release(src);
    if (rc == 0 && batch_write(&b, to, t, rows, e) < 0)
        rc = -1;
    int has_id = b.has_id;
    batch_free(&b);
    if (rc < 0)
        return -1;
    if (self_ref && copy_self_refs(from, to, t, table, self_ref, e) < 0)
        return -1;
    /* PostgreSQL's identity columns: the next id follows the copied ones. */
    if (strcmp(store_backend(to), "postgresql") == 0 && has_id) {
        char fix[256];
        snprintf(fix, sizeof fix,
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM %s",
                 table, table);
        if (td->exec(store_q_conn(to), fix, e) < 0)
            return -1;
    }
    return 0;
}

/* 0 when every table of s is empty but what itss init wrote; -1 naming the
 * first that is not. */
static int check_empty(store *s, err *e)
{
    for (size_t t = 0; t < N_COPY_TABLES; t++) {
        table_digest d;
        if (made_by_init(copy_tables[t]))
            continue;
        if (digest_table(s, t, copy_tables[t], &d, e) < 0)
            return -1;
        if (d.rows > 0) {
            err_set(e, store_location(s), 0, 0, NULL,
                    "is not empty (table %s has %lld rows): copy into a new database only", copy_tables[t],
                    (long long)d.rows);
            return -1;
        }
    }
    return 0;
}

/* Refuses a database whose tables are not the ones this copy knows. */
static int check_tables(store *s, err *e)
{
    int n_tables = 0, has_migrations = 0;
    if (store_q_driver(s)->inspect(store_q_conn(s), &n_tables, &has_migrations, e) < 0)
        return -1;
    if (n_tables != (int)N_COPY_TABLES + 1) {
        err_set(e, store_location(s), 0, 0, NULL,
                "holds %d tables; itss copy knows the %zu of schema version %d (store_copy.c's list is out of date)",
                n_tables, N_COPY_TABLES + 1, store_schema_version(s));
        return -1;
    }
    return 0;
}

int store_copy(store *from, store *to, store_copy_table *out, size_t out_size, err *e)
{
    if (out_size < N_COPY_TABLES) {
        err_set(e, "", 0, 0, NULL, "internal error: room for %zu tables, %zu needed", out_size, N_COPY_TABLES);
        return -1;
    }
    if (store_schema_version(from) != store_schema_version(to)) {
        err_set(e, store_location(to), 0, 0, NULL, "has schema version %d, the source %d",
                store_schema_version(to), store_schema_version(from));
        return -1;
    }
    if (check_tables(from, e) < 0 || check_tables(to, e) < 0 || check_empty(to, e) < 0)
        return -1;
    if (store_begin_read(from, e) < 0)
        return -1;
    if (store_begin(to, e) < 0) {
        store_rollback(from, NULL);
        return -1;
    }
    for (size_t t = 0; t < N_COPY_TABLES; t++) {
        out[t].table = copy_tables[t];
        if (copy_table(from, to, t, copy_tables[t], &out[t].rows, e) < 0) {
            store_rollback(to, NULL);
            store_rollback(from, NULL);
            return -1;
        }
    }
    if (store_commit(to, e) < 0) {
        store_rollback(from, NULL);
        return -1;
    }
    /* The proof: both sides read back, table by table. */
    for (size_t t = 0; t < N_COPY_TABLES; t++) {
        table_digest a, b;
        if (digest_table(from, t, copy_tables[t], &a, e) < 0 || digest_table(to, t, copy_tables[t], &b, e) < 0) {
            store_rollback(from, NULL);
            return -1;
        }
        if (a.rows != b.rows || a.sum != b.sum) {
            err_set(e, store_location(to), 0, 0, NULL,
                    "table %s differs after the copy (%lld rows here, %lld in the source)", copy_tables[t],
                    (long long)b.rows, (long long)a.rows);
            store_rollback(from, NULL);
            return -1;
        }
        out[t].verified = 1;
    }
    return store_commit(from, e) < 0 ? -1 : (int)N_COPY_TABLES;
}
