/* test_store.c - the store on real SQLite files in a temporary directory: schema
 * migrations, refusals, people and the org tree, transactions, answers with their
 * history, statuses, foreign keys, and a process killed in the middle of a large
 * transaction.
 *
 * With ITSS_TEST_PG_URL set (postgres://user@host:port, a server that lets the
 * user create databases: tests/pg.sh starts one), the tests that do not look
 * behind the store's back with SQLite run again on PostgreSQL, each in a new
 * database made for it and dropped after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "store_backend.h"

#define CATALOG_ID "itss-customer-service"
#define CATALOG_VERSION "2011.1"

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/itss-test-store-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/itss.db", f->dir);
    *state = f;
    return 0;
}

/* Runs sql on the server's maintenance database (postgres); 0 when it worked. */
static int pg_admin(const char *sql)
{
    char url[512];
    snprintf(url, sizeof url, "%s/postgres", getenv("ITSS_TEST_PG_URL"));
    PGconn *c = PQconnectdb(url);
    int ok = 0;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
    } else {
        fprintf(stderr, "%s: %s", url, PQerrorMessage(c));
    }
    PQfinish(c);
    return ok ? 0 : -1;
}

/* A new PostgreSQL database for one test: the fixture's path is its URL. */
static int setup_pg(void **state)
{
    static int n;
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "itss_test_%d_%d", (int)getpid(), ++n);
    snprintf(f->path, sizeof f->path, "%s/%s", getenv("ITSS_TEST_PG_URL"), f->dir);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'",
             f->dir);
    if (pg_admin(sql) < 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown_pg(void **state)
{
    fixture *f = *state;
    char sql[128];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->dir);
    pg_admin(sql);
    free(f);
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char p[160];
    const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/other.db", f->dir);
    unlink(p);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Opens (creating) the fixture's database; fails the test when it cannot. */
static store *open_new(fixture *f)
{
    err e = { 0 };
    store *s = store_open(f->path, STORE_CREATE, &e);
    if (!s)
        fail_msg("store_open: %s", e.message);
    return s;
}

/* A raw SQLite connection to inspect what the store wrote, behind its back. */
static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    return db;
}

/* The first column of the first row of sql, as an integer. */
static long long raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int64_t add_person(store *s, const char *number, const char *name, int64_t org, int64_t manager)
{
    store_person p = { 0 };
    int64_t id = 0;
    err e = { 0 };
    p.employee_number = (char *)number;
    p.name = (char *)name;
    p.org_unit_id = org;
    p.manager_id = manager;
    if (store_person_add(s, &p, &id, &e) != 0)
        fail_msg("store_person_add %s: %s", number, e.message);
    return id;
}

static int64_t person_count(store *s)
{
    int64_t n = -1;
    err e = { 0 };
    assert_int_equal(store_person_count(s, NULL, &n, &e), 0);
    return n;
}

/* ---- Opening and migrations ------------------------------------------------ */

static void test_default_path(void **state)
{
    (void)state;
    unsetenv("ITSS_DB");
    assert_string_equal(store_default_path(NULL), "./itss.db");
    assert_string_equal(store_default_path("x.db"), "x.db");
    setenv("ITSS_DB", "/var/lib/itss/itss.db", 1);
    assert_string_equal(store_default_path(NULL), "/var/lib/itss/itss.db");
    assert_string_equal(store_default_path("x.db"), "x.db");
    setenv("ITSS_DB", "", 1);
    assert_string_equal(store_default_path(NULL), "./itss.db");
    unsetenv("ITSS_DB");
}

static void test_migrates_from_empty(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    assert_string_equal(store_backend(s), "sqlite");
    assert_true(store_schema_latest(s) >= 1);
    assert_int_equal(store_schema_version(s), store_schema_latest(s));
    int latest = store_schema_latest(s);
    err e = { 0 };
    assert_int_equal(store_check(s, &e), 0);
    store_close(s);

    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT MAX(version) FROM schema_migrations"), latest);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM schema_migrations"), latest);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                 "('person', 'org_unit', 'cycle', 'assessment', 'answer_values', 'assessment_history')"), 6);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_missing_database_refused(void **state)
{
    fixture *f = *state;
    err e = { 0 };
    store *s = store_open(f->path, 0, &e);
    assert_null(s);
    assert_non_null(strstr(e.message, "itss init"));
    assert_int_equal(access(f->path, F_OK), -1);
}

static void test_reopen_keeps_data(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    add_person(s, "E0001", "山田 太郎", 0, 0);
    store_close(s);

    err e = { 0 };
    s = store_open(f->path, 0, &e);
    assert_non_null(s);
    store_person p;
    assert_int_equal(store_person_find(s, "E0001", &p, &e), 1);
    assert_string_equal(p.name, "山田 太郎");
    store_person_clear(&p);
    store_close(s);

    sqlite3 *db = raw_open(f->path);
    /* No migration was applied a second time. */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM schema_migrations"),
                     raw_int(db, "SELECT MAX(version) FROM schema_migrations"));
    sqlite3_close(db);
}

static void test_newer_schema_refused(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    int latest = store_schema_latest(s);
    store_close(s);

    sqlite3 *db = raw_open(f->path);
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, '2099-01-01T00:00:00Z')", latest + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    err e = { 0 };
    s = store_open(f->path, 0, &e);
    assert_null(s);
    assert_non_null(strstr(e.message, "newer than this itss"));
    char version[16];
    snprintf(version, sizeof version, "%d", latest + 1);
    assert_non_null(strstr(e.message, version));

    db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT MAX(version) FROM schema_migrations"), latest + 1);
    sqlite3_close(db);
}

static void test_forward_migrations(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    add_person(s, "E0001", "山田 太郎", 0, 0);
    int latest = store_schema_latest(s);
    store_close(s);

    /* A later program with two more migrations; the last one is broken. */
    const char *migrations[64];
    assert_true((size_t)latest + 2 <= sizeof migrations / sizeof migrations[0]);
    for (int i = 0; i < latest; i++)
        migrations[i] = store_sqlite_driver.migrations[i];
    migrations[latest] = "CREATE TABLE later_table (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES person(id));"
                         "INSERT INTO later_table (person_id) SELECT id FROM person";
    migrations[latest + 1] = "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1)";
    store_driver one_more = store_sqlite_driver;
    one_more.migrations = migrations;
    one_more.n_migrations = (size_t)latest + 1;
    err e = { 0 };
    s = store_open_driver(&one_more, f->path, 0, &e);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), latest + 1);
    store_close(s);

    store_driver two_more = one_more;
    two_more.n_migrations = (size_t)latest + 2;
    s = store_open_driver(&two_more, f->path, 0, &e);
    assert_null(s);
    char expected[64];
    snprintf(expected, sizeof expected, "migration to schema version %d failed", latest + 2);
    assert_non_null(strstr(e.message, expected));

    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT MAX(version) FROM schema_migrations"), latest + 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM later_table"), 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"), 0);
    sqlite3_close(db);
}

static void test_foreign_database_refused(void **state)
{
    fixture *f = *state;
    char other[160];
    snprintf(other, sizeof other, "%s/other.db", f->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE photos (id INTEGER)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    err e = { 0 };
    assert_null(store_open(other, 0, &e));
    assert_non_null(strstr(e.message, "not an itss database"));

    FILE *text = fopen(f->path, "w");
    assert_non_null(text);
    fputs("name,email\nthis is a CSV file, not a database\n", text);
    fclose(text);
    assert_null(store_open(f->path, 0, &e));
    assert_non_null(strstr(e.message, "not a database"));
}

/* FNV-1a of s: a fingerprint of a migration's text. */
static uint64_t text_fingerprint(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* A landed migration is never edited (docs/store.md): the texts of versions 1
 * to 14 of both backends are what they were when they landed (store_schema.h
 * spells versions 1 to 9 once for both; a change of one of its words would
 * change the schema of every new database and not of the old ones). Append the
 * fingerprint of a new version here once it has landed. */
static void test_landed_migrations_unchanged(void **state)
{
    (void)state;
    static const uint64_t sqlite_texts[] = {
        0x38c1665a1bb7d70dULL, 0x11051b0ddd807467ULL, 0x714806c41e64e992ULL, 0xe0f1e44b44df039bULL,
        0xa08171802da98e28ULL, 0x32b9975b8b8ed006ULL, 0xf40f23438bd40f11ULL, 0x881b11c9baa2c446ULL,
        0x56d1424d7f4e9a19ULL, 0xe1fa63a78060b935ULL, 0x910364b057699722ULL, 0xf7278dfdf9716ed2ULL,
        0xecdad2c1a315c78bULL, 0x25df90953f0365a8ULL,
    };
    static const uint64_t pg_texts[] = {
        0xf5fa1a74f3639a30ULL, 0xdae2bf162977877bULL, 0x45749aed07f0efd1ULL, 0xe876494552cf9fb6ULL,
        0xaf709be6d5232082ULL, 0x331512bc51fe8293ULL, 0xf40f23438bd40f11ULL, 0x881b11c9baa2c446ULL,
        0x66fbcf27d50a4866ULL, 0xd503709c8d95a9c5ULL, 0x7690872407bb031bULL, 0xdfadce460ed52115ULL,
        0x171be79e3c72fc45ULL, 0xa3349a141dd4dee3ULL,
    };
    size_t n = sizeof sqlite_texts / sizeof sqlite_texts[0];
    assert_true(store_sqlite_driver.n_migrations >= n);
    assert_true(store_pg_driver.n_migrations >= n);
    for (size_t i = 0; i < n; i++) {
        if (text_fingerprint(store_sqlite_driver.migrations[i]) != sqlite_texts[i])
            fail_msg("the SQLite migration to version %zu was edited", i + 1);
        if (text_fingerprint(store_pg_driver.migrations[i]) != pg_texts[i])
            fail_msg("the PostgreSQL migration to version %zu was edited", i + 1);
    }
}

/* A file shorter than SQLite's header (a one-byte text file) is refused by
 * every open, with or without STORE_CREATE, naming the file, and left byte for
 * byte as it was (SQLite alone takes it for an empty database and the first
 * migration wrote the schema over it). */
static void test_one_byte_file_refused(void **state)
{
    fixture *f = *state;
    char one[160];
    snprintf(one, sizeof one, "%s/notes.txt", f->dir);
    FILE *text = fopen(one, "w");
    assert_non_null(text);
    fputs("x", text);
    fclose(text);
    int flags[2] = { 0, STORE_CREATE };
    for (int i = 0; i < 2; i++) {
        err e = { 0 };
        assert_null(store_open(one, flags[i], &e));
        assert_string_equal(e.where, one);
        assert_string_equal(e.message, "not an itss database (not SQLite)");
        struct stat st;
        assert_int_equal(stat(one, &st), 0);
        assert_int_equal(st.st_size, 1);
        char byte[4] = { 0 };
        text = fopen(one, "r");
        assert_non_null(text);
        assert_int_equal(fread(byte, 1, sizeof byte, text), 1);
        fclose(text);
        assert_string_equal(byte, "x");
    }
}

/* Opening a second connection to a database must not drop the locks the
 * process's first connection holds on it (closing any descriptor of the file
 * drops them all; a check of the file's first bytes by fopen/fclose once did):
 * another process still sees this process's lock on the database file after a
 * second store_open and store_close of it. */
static void test_second_open_keeps_locks(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    add_person(s, "E0001", "在籍社員", 0, 0);
    err e = { 0 };
    assert_int_equal(store_begin(s, &e), 0);
    store *again = store_open(f->path, 0, &e);
    assert_non_null(again);
    store_close(again);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(f->path, O_RDWR);
        struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
        int held = fd >= 0 && fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK;
        _exit(held ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(store_rollback(s, &e), 0);
    store_close(s);
}

/* ---- People and the org tree ---------------------------------------------------- */

/* A refusal says what kind it is and which rule, so that the web words it in the
 * user's language from the store's answer instead of checking again first. */
static void test_refusals_carry_codes(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    int64_t a = 0;
    add_person(s, "E0001", "山田 太郎", 0, 0);
    store_person p = { 0 };
    p.employee_number = "E0001";
    p.name = "佐藤 花子";
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_int_equal(e.code, ERR_DUPLICATE);
    assert_string_equal(e.key, "person.number_taken");

    p.employee_number = "E0002";
    p.email = "sato.example.com";
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.key, "email.invalid");
    assert_string_equal(e.path, "email");

    p.email = NULL;
    p.org_unit_id = 999;
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_int_equal(e.code, ERR_NOT_FOUND);
    assert_string_equal(e.key, "person.org_unknown");

    assert_int_equal(store_org_add(s, "A", "本部", 0, &a, &e), 0);
    assert_int_equal(store_org_add(s, "A", "別の本部", 0, NULL, &e), -1);
    assert_int_equal(e.code, ERR_DUPLICATE);
    assert_string_equal(e.key, "org.code_taken");
    assert_int_equal(store_org_edit(s, a, "A", "本部", a, &e), -1);
    assert_int_equal(e.code, ERR_CONFLICT);
    assert_string_equal(e.key, "org.below_itself");

    assert_int_equal(store_cycle_add(s, "2026年度", "2026-04-01", "2027-03-31", NULL, &e), 0);
    assert_int_equal(store_cycle_add(s, "2026年度", "2026-04-01", "2027-03-31", NULL, &e), -1);
    assert_string_equal(e.key, "cycle.name_taken");
    assert_int_equal(store_cycle_add(s, "2027年度", "2027-02-29", "2028-03-31", NULL, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.key, "date.invalid");
    assert_string_equal(e.path, "opens");

    /* A lookup that finds nothing is not a refusal: its err is not coded. */
    store_person q;
    assert_int_equal(store_person_find(s, "E9999", &q, &e), 0);
    assert_int_equal(e.code, ERR_FAILED);
    assert_string_equal(e.key, "");
    store_close(s);
}

static void test_duplicate_employee_number(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    add_person(s, "E0001", "山田 太郎", 0, 0);
    store_person p = { 0 };
    err e = { 0 };
    p.employee_number = "E0001";
    p.name = "佐藤 花子";
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_non_null(strstr(e.message, "E0001"));
    assert_non_null(strstr(e.message, "already in use"));
    assert_string_equal(e.path, "employee_number");
    assert_int_equal(person_count(s), 1);

    /* Renaming another person to a number in use is refused the same way. */
    int64_t id2 = add_person(s, "E0002", "佐藤 花子", 0, 0);
    store_person q;
    assert_int_equal(store_person_get(s, id2, &q, &e), 1);
    free(q.employee_number);
    q.employee_number = strdup("E0001");
    assert_int_equal(store_person_edit(s, &q, &e), -1);
    assert_non_null(strstr(e.message, "E0001"));
    store_person_clear(&q);
    assert_int_equal(store_person_find(s, "E0002", &q, &e), 1);
    store_person_clear(&q);
    store_close(s);
}

static void test_person_fields_checked(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    store_person p = { 0 };
    err e = { 0 };
    p.employee_number = "E 0001";
    p.name = "山田";
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_string_equal(e.path, "employee_number");
    p.employee_number = "E0001";
    p.name = "";
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_string_equal(e.path, "name");
    p.name = "山田";
    p.org_unit_id = 42;
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_string_equal(e.path, "org_unit_id");
    assert_non_null(strstr(e.message, "42"));
    p.org_unit_id = 0;
    p.email = "yamada.example.jp";
    assert_int_equal(store_person_add(s, &p, NULL, &e), -1);
    assert_string_equal(e.path, "email");
    assert_int_equal(person_count(s), 0);
    store_close(s);
}

static void test_manager_loop_refused(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    int64_t boss = add_person(s, "E0001", "部長", 0, 0);
    int64_t mid = add_person(s, "E0002", "課長", 0, boss);
    add_person(s, "E0003", "担当", 0, mid);
    store_person p;
    err e = { 0 };
    assert_int_equal(store_person_find(s, "E0001", &p, &e), 1);
    store_person three;
    assert_int_equal(store_person_find(s, "E0003", &three, &e), 1);
    p.manager_id = three.id;      /* the boss reporting to their own report's report */
    assert_int_equal(store_person_edit(s, &p, &e), -1);
    assert_string_equal(e.path, "manager_id");
    p.manager_id = p.id;
    assert_int_equal(store_person_edit(s, &p, &e), -1);
    store_person_clear(&p);
    store_person_clear(&three);

    store_person_filter filter = { 0 };
    filter.manager_id = boss;
    int64_t n = 0;
    assert_int_equal(store_person_count(s, &filter, &n, &e), 0);
    assert_int_equal(n, 1);
    store_close(s);
}

static void test_org_tree_descendants(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    int64_t a, b, c, d, x;
    /* A
     * ├ B
     * │ ├ D
     * │ └ E
     * └ C        (codes chosen so that a plain sort by code is not tree order) */
    assert_int_equal(store_org_add(s, "A", "本部", 0, &a, &e), 0);
    assert_int_equal(store_org_add(s, "C", "第二部", a, &c, &e), 0);
    assert_int_equal(store_org_add(s, "B", "第一部", a, &b, &e), 0);
    assert_int_equal(store_org_add(s, "BD", "第一課", b, &d, &e), 0);
    assert_int_equal(store_org_add(s, "BE", "第二課", b, NULL, &e), 0);
    assert_int_equal(store_org_add(s, "X", "別会社", 0, &x, &e), 0);
    assert_int_equal(store_org_add(s, "B", "重複", 0, NULL, &e), -1);
    assert_non_null(strstr(e.message, "B"));
    assert_int_equal(store_org_add(s, "Z", "親なし", 999, NULL, &e), -1);
    assert_string_equal(e.path, "parent_id");

    store_org_list l;
    assert_int_equal(store_org_descendants(s, b, 1, &l, &e), 0);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.items[0].code, "B");
    assert_int_equal(l.items[0].depth, 0);
    assert_string_equal(l.items[1].code, "BD");
    assert_int_equal(l.items[1].depth, 1);
    assert_string_equal(l.items[2].code, "BE");
    assert_string_equal(l.items[2].parent_code, "B");
    store_org_list_free(&l);

    assert_int_equal(store_org_descendants(s, a, 0, &l, &e), 0);
    const char *below_a[] = { "B", "BD", "BE", "C" };
    const int depth_a[] = { 0, 1, 1, 0 };
    assert_int_equal(l.count, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(l.items[i].code, below_a[i]);
        assert_int_equal(l.items[i].depth, depth_a[i]);
    }
    store_org_list_free(&l);

    assert_int_equal(store_org_list_all(s, &l, &e), 0);
    const char *all[] = { "A", "B", "BD", "BE", "C", "X" };
    assert_int_equal(l.count, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(l.items[i].code, all[i]);
    assert_int_equal(l.items[2].depth, 2);
    store_org_list_free(&l);

    /* A unit cannot move below itself; elsewhere it can. */
    assert_int_equal(store_org_edit(s, a, "A", "本部", d, &e), -1);
    assert_string_equal(e.path, "parent_id");
    assert_int_equal(store_org_edit(s, b, "B", "第一部", b, &e), -1);
    assert_int_equal(store_org_edit(s, c, "C", "第二部", x, &e), 0);
    assert_int_equal(store_org_descendants(s, x, 1, &l, &e), 0);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[1].code, "C");
    store_org_list_free(&l);

    /* People of a unit and the units below it. */
    add_person(s, "E0001", "本部長", a, 0);
    add_person(s, "E0002", "部員", b, 0);
    add_person(s, "E0003", "課員", d, 0);
    add_person(s, "E0004", "他社", x, 0);
    store_person_filter pf = { 0 };
    pf.org_unit_id = b;
    int64_t n;
    assert_int_equal(store_person_count(s, &pf, &n, &e), 0);
    assert_int_equal(n, 1);
    pf.include_sub_units = 1;
    assert_int_equal(store_person_count(s, &pf, &n, &e), 0);
    assert_int_equal(n, 2);
    pf.org_unit_id = a;
    store_person_list pl;
    assert_int_equal(store_person_list_filter(s, &pf, &pl, &e), 0);
    assert_int_equal(pl.count, 3);
    assert_string_equal(pl.items[0].employee_number, "E0001");
    assert_string_equal(pl.items[2].employee_number, "E0003");
    assert_string_equal(pl.items[2].org_code, "BD");
    store_person_list_free(&pl);
    store_close(s);
}

static void test_person_search_and_pages(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    char number[16], name[32];
    for (int i = 1; i <= 25; i++) {
        snprintf(number, sizeof number, "E%04d", i);
        snprintf(name, sizeof name, "社員%02d", i);
        add_person(s, number, name, 0, 0);
    }
    store_person p = { 0 };
    p.employee_number = "K0100";
    p.name = "鈴木 一郎";
    p.kana = "スズキ イチロウ";
    p.email = "Ichiro.Suzuki@example.jp";
    assert_int_equal(store_person_add(s, &p, NULL, &e), 0);

    store_person_filter pf = { 0 };
    pf.search = "suzuki";          /* ASCII case ignored */
    store_person_list l;
    assert_int_equal(store_person_list_filter(s, &pf, &l, &e), 0);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].kana, "スズキ イチロウ");
    store_person_list_free(&l);
    pf.search = "スズキ";
    int64_t n;
    assert_int_equal(store_person_count(s, &pf, &n, &e), 0);
    assert_int_equal(n, 1);
    pf.search = "50%";             /* a LIKE wildcard is taken literally */
    assert_int_equal(store_person_count(s, &pf, &n, &e), 0);
    assert_int_equal(n, 0);

    memset(&pf, 0, sizeof pf);
    pf.limit = 10;
    pf.offset = 20;
    assert_int_equal(store_person_list_filter(s, &pf, &l, &e), 0);
    assert_int_equal(l.count, 6);
    assert_string_equal(l.items[0].employee_number, "E0021");
    assert_string_equal(l.items[5].employee_number, "K0100");
    store_person_list_free(&l);
    assert_int_equal(store_person_count(s, &pf, &n, &e), 0);
    assert_int_equal(n, 26);
    store_close(s);
}

/* Counts, from inside an iteration, the people the same filter takes: the store
 * must serve a nested use of the statement being iterated. */
static int count_inside(const store_person *p, void *ctx)
{
    store *s = ((void **)ctx)[0];
    int64_t *total = ((void **)ctx)[1];
    store_person_filter all = { 0 };
    store_person_list l;
    err e = { 0 };
    assert_int_equal(store_person_list_filter(s, &all, &l, &e), 0);
    *total += (int64_t)l.count;
    store_person_list_free(&l);
    store_person again;
    assert_int_equal(store_person_find(s, p->employee_number, &again, &e), 1);
    assert_int_equal(again.id, p->id);
    store_person_clear(&again);
    return 0;
}

static void test_nested_iteration(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    add_person(s, "E0001", "一", 0, 0);
    add_person(s, "E0002", "二", 0, 0);
    add_person(s, "E0003", "三", 0, 0);
    int64_t total = 0;
    void *ctx[2] = { s, &total };
    err e = { 0 };
    assert_int_equal(store_person_each(s, NULL, count_inside, ctx, &e), 0);
    assert_int_equal(total, 9);
    store_close(s);
}

/* ---- Transactions ------------------------------------------------------------ */

static void test_rollback_leaves_nothing(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    assert_int_equal(store_begin(s, &e), 0);
    int64_t org;
    assert_int_equal(store_org_add(s, "CS", "カスタマサービス部", 0, &org, &e), 0);
    for (int i = 0; i < 100; i++) {
        char number[16];
        snprintf(number, sizeof number, "R%04d", i);
        add_person(s, number, "一時", org, 0);
    }
    assert_int_equal(person_count(s), 100);
    assert_int_equal(store_rollback(s, &e), 0);
    assert_int_equal(store_depth(s), 0);
    assert_int_equal(person_count(s), 0);
    store_org_unit u;
    assert_int_equal(store_org_find(s, "CS", &u, &e), 0);
    assert_non_null(strstr(e.message, "CS"));
    store_close(s);

    /* Nothing reached the file either. */
    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM person"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM org_unit"), 0);
    sqlite3_close(db);
}

static void test_nested_transactions(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    assert_int_equal(store_begin(s, &e), 0);
    add_person(s, "E0001", "一", 0, 0);
    /* A failing call inside undoes only itself. */
    store_person dup = { 0 };
    dup.employee_number = "E0001";
    dup.name = "重複";
    assert_int_equal(store_person_add(s, &dup, NULL, &e), -1);
    assert_int_equal(store_depth(s), 1);
    add_person(s, "E0002", "二", 0, 0);
    /* An inner transaction rolled back keeps the outer one's work. */
    assert_int_equal(store_begin(s, &e), 0);
    add_person(s, "E0003", "三", 0, 0);
    assert_int_equal(store_rollback(s, &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    assert_int_equal(store_commit(s, &e), -1);    /* nothing left to commit */
    store_close(s);

    err e2 = { 0 };
    s = store_open(f->path, 0, &e2);
    assert_non_null(s);
    assert_int_equal(person_count(s), 2);
    store_person p;
    assert_int_equal(store_person_find(s, "E0003", &p, &e2), 0);
    store_close(s);
}

static void test_close_rolls_back(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    assert_int_equal(store_begin(s, &e), 0);
    add_person(s, "E0001", "未確定", 0, 0);
    store_close(s);
    s = store_open(f->path, 0, &e);
    assert_non_null(s);
    assert_int_equal(person_count(s), 0);
    store_close(s);
}

/* ---- Cycles, catalogs, experience ------------------------------------------- */

static void test_cycles(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    int64_t y2025, y2026;
    assert_int_equal(store_cycle_add(s, "2025年度", "2025-04-01", "2026-03-31", &y2025, &e), 0);
    assert_int_equal(store_cycle_add(s, "2026年度", "2026-04-01", "2027-03-31", &y2026, &e), 0);
    assert_int_equal(store_cycle_add(s, "2026年度", "2026-04-01", "2027-03-31", NULL, &e), -1);
    assert_non_null(strstr(e.message, "2026年度"));
    assert_int_equal(store_cycle_add(s, "逆", "2026-04-01", "2026-03-31", NULL, &e), -1);
    assert_string_equal(e.path, "closes");
    assert_int_equal(store_cycle_add(s, "閏", "2026-02-29", "2026-03-31", NULL, &e), -1);
    assert_string_equal(e.path, "opens");

    store_cycle c;
    assert_int_equal(store_cycle_current(s, "2026-03-31", &c, &e), 1);
    assert_int_equal(c.id, y2025);
    store_cycle_clear(&c);
    assert_int_equal(store_cycle_current(s, "2026-04-01", &c, &e), 1);
    assert_string_equal(c.name, "2026年度");
    store_cycle_clear(&c);
    assert_int_equal(store_cycle_current(s, "2030-01-01", &c, &e), 0);
    assert_non_null(strstr(e.message, "2030-01-01"));

    store_cycle_list l;
    assert_int_equal(store_cycle_list_all(s, &l, &e), 0);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[0].name, "2026年度");
    store_cycle_list_free(&l);

    /* HR closes 2026年度 early. */
    assert_int_equal(store_cycle_edit(s, y2026, "2026年度", "2026-04-01", "2026-09-30", &e), 0);
    assert_int_equal(store_cycle_current(s, "2026-10-01", &c, &e), 0);
    store_close(s);
}

static void test_catalog_versions(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    err e = { 0 };
    char *id, *version;
    assert_int_equal(store_catalog_current(s, &id, &version, &e), 0);
    assert_non_null(strstr(e.message, "itss init"));
    assert_int_equal(store_catalog_use(s, CATALOG_ID, CATALOG_VERSION, "ITスキル標準 カスタマサービス", &e), 0);
    assert_int_equal(store_catalog_use(s, CATALOG_ID, "2026.1", NULL, &e), 0);
    assert_int_equal(store_catalog_current(s, &id, &version, &e), 1);
    assert_string_equal(id, CATALOG_ID);
    assert_string_equal(version, "2026.1");
    free(id);
    free(version);
    store_catalog_list l;
    assert_int_equal(store_catalog_list_all(s, &l, &e), 0);
    assert_int_equal(l.count, 2);
    int in_use = 0;
    for (size_t i = 0; i < l.count; i++)
        in_use += l.items[i].in_use;
    assert_int_equal(in_use, 1);
    store_catalog_list_free(&l);
    assert_int_equal(store_catalog_known(s, CATALOG_ID, CATALOG_VERSION, &e), 1);
    assert_int_equal(store_catalog_known(s, CATALOG_ID, "1999.9", &e), 0);
    assert_non_null(strstr(e.message, "1999.9"));
    assert_non_null(strstr(e.message, "2011.1"));
    store_close(s);
}

/* A world to assess in: catalog, cycle, two people, an experience record each. */
typedef struct world {
    store *s;
    int64_t person, other, cycle, assessment, experience, other_experience;
} world;

static void world_make(fixture *f, world *w)
{
    err e = { 0 };
    memset(w, 0, sizeof *w);
    w->s = open_new(f);
    assert_int_equal(store_catalog_use(w->s, CATALOG_ID, CATALOG_VERSION, NULL, &e), 0);
    assert_int_equal(store_cycle_add(w->s, "2026年度", "2026-04-01", "2027-03-31", &w->cycle, &e), 0);
    w->person = add_person(w->s, "E0001", "山田 太郎", 0, 0);
    w->other = add_person(w->s, "E0002", "佐藤 花子", 0, 0);
    char *complexity[] = { "CS.HW.L4.complexity.1", "CS.HW.L4.complexity.3" };
    char *size[] = { "CS.HW.L4.size.2" };
    assessment_experience x = { 0 };
    x.project = "基幹系サーバ保守";
    x.period_from = "2023-04";
    x.period_to = "2025-03";
    x.role = "サブリーダ";
    x.specialization_id = "CS.HW";
    x.level = 4;
    x.complexity_items = complexity;
    x.n_complexity_items = 2;
    x.size_items = size;
    x.n_size_items = 1;
    x.succeeded = 1;
    x.description = "24時間365日の保守体制\n障害対応の指揮";
    if (store_experience_add(w->s, w->person, &x, &w->experience, &e) != 0)
        fail_msg("store_experience_add: %s", e.message);
    x.project = "別人の案件";
    assert_int_equal(store_experience_add(w->s, w->other, &x, &w->other_experience, &e), 0);
    if (store_assessment_create(w->s, w->person, w->cycle, CATALOG_ID, CATALOG_VERSION, "E0001", &w->assessment,
                                &e) != 0)
        fail_msg("store_assessment_create: %s", e.message);
}

static void test_experience_records(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    store_experience_list l;
    assert_int_equal(store_experience_list_person(w.s, w.person, &l, &e), 0);
    assert_int_equal(l.count, 1);
    assessment_experience *x = &l.items[0].x;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)w.experience);
    assert_string_equal(x->id, id);
    assert_string_equal(x->project, "基幹系サーバ保守");
    assert_int_equal(x->n_complexity_items, 2);
    assert_string_equal(x->complexity_items[1], "CS.HW.L4.complexity.3");
    assert_int_equal(x->n_size_items, 1);
    assert_string_equal(x->description, "24時間365日の保守体制\n障害対応の指揮");

    /* Edit: fewer items, failed. */
    x->n_complexity_items = 1;
    x->succeeded = 0;
    assert_int_equal(store_experience_edit(w.s, w.experience, x, &e), 0);
    x->n_complexity_items = 2;
    store_experience_list_free(&l);
    store_experience got;
    assert_int_equal(store_experience_get(w.s, w.experience, &got, &e), 1);
    assert_int_equal(got.x.n_complexity_items, 1);
    assert_int_equal(got.x.succeeded, 0);
    assert_int_equal(got.person_id, w.person);

    /* Bad shapes are refused, naming the field. */
    got.x.level = 8;
    assert_int_equal(store_experience_edit(w.s, w.experience, &got.x, &e), -1);
    assert_string_equal(e.path, "level");
    got.x.level = 4;
    free(got.x.period_to);
    got.x.period_to = strdup("2022-13");
    assert_int_equal(store_experience_edit(w.s, w.experience, &got.x, &e), -1);
    assert_string_equal(e.path, "period_to");
    free(got.x.period_to);
    got.x.period_to = strdup("2020-01");
    assert_int_equal(store_experience_edit(w.s, w.experience, &got.x, &e), -1);
    assert_non_null(strstr(e.message, "before it starts"));
    store_experience_clear(&got);

    assessment_contribution c = { 0 };
    c.kind = CONTRIBUTION_MENTORING;
    c.title = "新人2名のOJT指導";
    c.date = "2025-10";
    int64_t cid;
    assert_int_equal(store_contribution_add(w.s, w.person, &c, &cid, &e), 0);
    c.date = "2025/10";
    assert_int_equal(store_contribution_add(w.s, w.person, &c, NULL, &e), -1);
    assert_string_equal(e.path, "date");
    store_contribution_list cl;
    assert_int_equal(store_contribution_list_person(w.s, w.person, &cl, &e), 0);
    assert_int_equal(cl.count, 1);
    assert_int_equal(cl.items[0].c.kind, CONTRIBUTION_MENTORING);
    store_contribution_list_free(&cl);
    assert_int_equal(store_contribution_delete(w.s, cid, &e), 0);
    assert_int_equal(store_contribution_list_person(w.s, w.person, &cl, &e), 0);
    assert_int_equal(cl.count, 0);
    store_contribution_list_free(&cl);
    store_close(w.s);
}

/* ---- Assessments, answers, history ---------------------------------------- */

static void test_assessment_needs_known_catalog(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    assert_int_equal(store_assessment_create(w.s, w.other, w.cycle, CATALOG_ID, "2099.1", "HR", NULL, &e), -1);
    assert_non_null(strstr(e.message, "2099.1"));
    /* One assessment per person and cycle. */
    assert_int_equal(store_assessment_create(w.s, w.person, w.cycle, CATALOG_ID, CATALOG_VERSION, "HR", NULL, &e),
                     -1);
    assert_non_null(strstr(e.message, "E0001"));
    assert_non_null(strstr(e.message, "2026年度"));
    int64_t id;
    int created = -1;
    assert_int_equal(store_assessment_ensure(w.s, w.person, w.cycle, CATALOG_ID, CATALOG_VERSION, "HR", &id,
                                             &created, &e), 0);
    assert_int_equal(created, 0);
    assert_int_equal(id, w.assessment);
    assert_int_equal(store_assessment_ensure(w.s, w.other, w.cycle, CATALOG_ID, CATALOG_VERSION, "HR", &id,
                                             &created, &e), 0);
    assert_int_equal(created, 1);
    store_assessment_list l;
    store_assessment_filter af = { 0 };
    af.status = -1;
    assert_int_equal(store_assessment_list_filter(w.s, &af, &l, &e), 0);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[0].employee_number, "E0001");
    assert_string_equal(l.items[1].cycle, "2026年度");
    store_assessment_list_free(&l);
    store_close(w.s);
}

/* The evidence list of one answer, as set_answer wants it. */
static assessment_answer answer_of(const char *element, assessment_rater rater, int value, char **evidence,
                                   size_t n)
{
    assessment_answer a = { 0 };
    a.element_id = (char *)element;
    a.rater = rater;
    a.value = value;
    a.evidence = evidence;
    a.n_evidence = n;
    return a;
}

static void test_answer_upsert_and_history(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    char ev[24], other_ev[24];
    snprintf(ev, sizeof ev, "%lld", (long long)w.experience);
    snprintf(other_ev, sizeof other_ev, "%lld", (long long)w.other_experience);
    char *evidence[] = { ev };
    const char *item = "CS.HW.L4.complexity.1";

    assessment_answer a = answer_of(item, RATER_SELF, 1, evidence, 1);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    /* The same answer again changes nothing. */
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    a = answer_of(item, RATER_SELF, 0, evidence, 1);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    a = answer_of("CS.HW.UEA.K01.01", RATER_SELF, 3, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    a = answer_of("CS.HW.UEA.K01.01", RATER_MANAGER, 2, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0009", &e), 0);

    /* Refused, leaving everything as it was: a rating of 7, someone else's record
     * as evidence, a malformed element id. */
    a = answer_of("CS.HW.UEA.K01.02", RATER_SELF, 7, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), -1);
    assert_non_null(strstr(e.message, "7"));
    char *foreign[] = { other_ev };
    a = answer_of(item, RATER_SELF, 1, foreign, 1);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), -1);
    assert_non_null(strstr(e.message, other_ev));
    char *junk[] = { "x1" };
    a = answer_of(item, RATER_SELF, 1, junk, 1);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), -1);
    a = answer_of("CS HW", RATER_SELF, 1, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), -1);
    a = answer_of(item, RATER_SELF, 1, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "", &e), -1);
    assert_string_equal(e.path, "actor");

    assessment *loaded;
    assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
    assert_string_equal(loaded->employee_number, "E0001");
    assert_string_equal(loaded->cycle, "2026年度");
    assert_string_equal(loaded->catalog_version, CATALOG_VERSION);
    assert_int_equal(loaded->status, ASSESSMENT_DRAFT);
    assert_int_equal(loaded->n_answers, 3);
    const assessment_answer *got = assessment_get_answer(loaded, item, RATER_SELF);
    assert_non_null(got);
    assert_int_equal(got->value, 0);
    assert_int_equal(got->n_evidence, 1);
    assert_string_equal(got->evidence[0], ev);
    got = assessment_get_answer(loaded, "CS.HW.UEA.K01.01", RATER_MANAGER);
    assert_non_null(got);
    assert_int_equal(got->value, 2);
    assert_non_null(assessment_find_experience(loaded, ev));
    assert_null(assessment_find_experience(loaded, other_ev));
    assessment_free(loaded);

    store_history_list h;
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    /* created; value and evidence of the first save; the change 1 -> 0; two ratings. */
    assert_int_equal(h.count, 6);
    assert_string_equal(h.items[0].field, "created");
    assert_string_equal(h.items[1].field, "value");
    assert_null(h.items[1].old_value);
    assert_string_equal(h.items[1].new_value, "1");
    assert_string_equal(h.items[1].element_id, item);
    assert_int_equal(h.items[1].rater, RATER_SELF);
    assert_string_equal(h.items[2].field, "evidence");
    assert_string_equal(h.items[2].new_value, ev);
    assert_string_equal(h.items[3].old_value, "1");
    assert_string_equal(h.items[3].new_value, "0");
    assert_string_equal(h.items[5].actor, "E0009");
    assert_int_equal(h.items[5].rater, RATER_MANAGER);
    for (size_t i = 1; i < h.count; i++)
        assert_true(h.items[i].id > h.items[i - 1].id);
    store_history_list_free(&h);

    /* Deleting an answer is a change too. */
    assert_int_equal(store_answer_delete(w.s, w.assessment, item, RATER_SELF, "E0001", &e), 0);
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    assert_int_equal(h.count, 8);
    assert_string_equal(h.items[6].old_value, "0");
    assert_null(h.items[6].new_value);
    assert_string_equal(h.items[7].field, "evidence");
    assert_null(h.items[7].new_value);
    store_history_list_free(&h);
    store_close(w.s);

    /* The history cannot be rewritten, even behind the store's back. */
    sqlite3 *db = raw_open(f->path);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE assessment_history SET actor = 'someone else'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM assessment_history", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM assessment_history WHERE actor = 'someone else'"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM answer_evidence"), 0);
    sqlite3_close(db);
}

/* A first filling of many answers (batched inserts, history in one statement)
 * stores and records exactly what one-by-one saving would. */
static void test_save_answers_first_filling(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    char ev[24];
    snprintf(ev, sizeof ev, "%lld", (long long)w.experience);
    const char *evidence[] = { ev };
    enum { N = 75 };   /* two full batches of 32 and a tail */
    assessment *a = assessment_new("E0001", NULL, "2026年度", CATALOG_ID, CATALOG_VERSION);
    for (int i = 0; i < N; i++) {
        char id[40];
        snprintf(id, sizeof id, "CS.HW.UEA.K%02d.%02d", i / 10 + 1, i % 10 + 1);
        assessment_set_answer(a, id, RATER_SELF, i % 5, i % 30 == 7 ? evidence : NULL, i % 30 == 7 ? 1 : 0);
    }
    assert_int_equal(store_assessment_save_answers(w.s, w.assessment, a, "import:first.csv", &e), 0);

    assessment *loaded;
    assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
    assert_int_equal(loaded->n_answers, N);
    for (size_t i = 0; i < a->n_answers; i++) {
        const assessment_answer *got = assessment_get_answer(loaded, a->answers[i].element_id, RATER_SELF);
        assert_non_null(got);
        assert_int_equal(got->value, a->answers[i].value);
        assert_int_equal(got->n_evidence, a->answers[i].n_evidence);
    }
    assessment_free(loaded);

    store_history_list h;
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    size_t values = 0, evidences = 0;
    for (size_t i = 0; i < h.count; i++) {
        if (strcmp(h.items[i].actor, "import:first.csv") != 0)
            continue;
        if (strcmp(h.items[i].field, "value") == 0) {
            const assessment_answer *x = assessment_get_answer(a, h.items[i].element_id, RATER_SELF);
            assert_non_null(x);
            assert_null(h.items[i].old_value);
            char want[8];
            snprintf(want, sizeof want, "%d", x->value);
            assert_string_equal(h.items[i].new_value, want);
            assert_int_equal(h.items[i].rater, RATER_SELF);
            values++;
        } else if (strcmp(h.items[i].field, "evidence") == 0) {
            evidences++;
        }
    }
    assert_int_equal(values, N);
    assert_int_equal(evidences, 3);   /* answers 7, 37 and 67 */
    store_history_list_free(&h);
    assessment_free(a);
    store_close(w.s);
}

/* History rows keep runs of answers as run records (schema 14,
 * store_changes_runs): a first filling takes well under a byte per answer, and
 * the history read back is entry for entry what the answers were, through
 * removals, the other rater and evidence in the middle of a run; a run record
 * that does not decode is refused with a message, never read past its end. */
static void test_history_runs(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    char ev[24];
    snprintf(ev, sizeof ev, "%lld", (long long)w.experience);
    const char *evidence[] = { ev };
    enum { N = 90 };
    char ids[N][40];
    assessment *a = assessment_new("E0001", NULL, "2026年度", CATALOG_ID, CATALOG_VERSION);
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "CS.HW.UEA.K%02d.%02d", i / 10 + 1, i % 10 + 1);
        assessment_set_answer(a, ids[i], RATER_SELF, i % 5, NULL, 0);
    }
    assert_int_equal(store_assessment_save_answers(w.s, w.assessment, a, "first", &e), 0);
    /* second save: 30..59 removed, 10..19 changed, the manager rates 0..39,
     * one answer in the middle gets evidence */
    assessment *b = assessment_new("E0001", NULL, "2026年度", CATALOG_ID, CATALOG_VERSION);
    for (int i = 0; i < N; i++) {
        if (i < 40)
            assessment_set_answer(b, ids[i], RATER_MANAGER, (i + 2) % 5, NULL, 0);
        if (i >= 30 && i < 60)
            continue;
        int v = i >= 10 && i < 20 ? (i + 1) % 5 : i % 5;
        assessment_set_answer(b, ids[i], RATER_SELF, v, i == 15 ? evidence : NULL, i == 15);
    }
    assert_int_equal(store_assessment_save_answers(w.s, w.assessment, b, "second", &e), 0);
    store_close(w.s);

    sqlite3 *db = raw_open(f->path);
    long long first_len = raw_int(db, "SELECT length(changes) FROM assessment_history WHERE actor = 'first'");
    assert_true(first_len > 0 && first_len < N / 2);     /* 90 answers, 2 bytes each before runs */
    sqlite3_close(db);

    w.s = open_new(f);
    store_history_list h;
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    /* Every entry against what the two saves did, in order. */
    size_t k = 0, n_first = 0, n_second = 0;
    int64_t last_id = -1;
    for (size_t i = 0; i < h.count; i++) {
        const store_history_entry *x = &h.items[i];
        assert_true(x->id > last_id);
        last_id = x->id;
        if (strcmp(x->actor, "first") == 0) {
            assert_string_equal(x->field, "value");
            assert_string_equal(x->element_id, ids[k]);
            char want[4];
            snprintf(want, sizeof want, "%d", (int)(k % 5));
            assert_null(x->old_value);
            assert_string_equal(x->new_value, want);
            k++;
            n_first++;
        } else if (strcmp(x->actor, "second") == 0) {
            n_second++;
            int el = -1;
            for (int j = 0; j < N && el < 0; j++)
                if (strcmp(ids[j], x->element_id) == 0)
                    el = j;
            assert_true(el >= 0);
            if (strcmp(x->field, "evidence") == 0) {
                assert_int_equal(el, 15);
                assert_string_equal(x->new_value, ev);
                continue;
            }
            char want[4];
            if (x->rater == RATER_MANAGER) {
                assert_true(el < 40);
                assert_null(x->old_value);
                snprintf(want, sizeof want, "%d", (el + 2) % 5);
                assert_string_equal(x->new_value, want);
            } else if (el >= 30 && el < 60) {
                assert_null(x->new_value);
            } else {
                assert_true(el >= 10 && el < 20);
                snprintf(want, sizeof want, "%d", (el + 1) % 5);
                assert_string_equal(x->new_value, want);
            }
        }
    }
    assert_int_equal(n_first, N);
    assert_int_equal(n_second, 40 + 30 + 10 + 1);
    store_history_list_free(&h);
    assessment *loaded;
    assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
    assert_int_equal(loaded->n_answers, b->n_answers);
    assessment_free(loaded);

    /* A run record running past the row's end: refused, named. */
    store_close(w.s);
    db = raw_open(f->path);
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO assessment_history (assessment_id, at, actor, kind, changes) "
             "VALUES (%lld, 't', 'x', 'answers', X'0007FF01')", (long long)w.assessment);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    w.s = open_new(f);
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), -1);
    assert_non_null(strstr(e.message, "does not decode"));
    assessment_free(a);
    assessment_free(b);
    store_close(w.s);
}

static void test_save_answers_replaces(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    char ev[24];
    snprintf(ev, sizeof ev, "%lld", (long long)w.experience);
    const char *evidence[] = { ev };

    assessment *a = assessment_new("E0001", NULL, "2026年度", CATALOG_ID, CATALOG_VERSION);
    assessment_set_answer(a, "CS.HW.L4.responsibility", RATER_SELF, 1, NULL, 0);
    assessment_set_answer(a, "CS.HW.L4.complexity.1", RATER_SELF, 1, evidence, 1);
    assessment_set_answer(a, "CS.HW.L4.complexity.3", RATER_SELF, 1, evidence, 1);
    assessment_set_answer(a, "CS.HW.UEA.L4", RATER_SELF, 1, NULL, 0);
    assert_int_equal(store_assessment_save_answers(w.s, w.assessment, a, "import:a.json", &e), 0);

    /* The second file drops one answer, changes one, and keeps two. */
    assessment_remove_answer(a, "CS.HW.L4.complexity.3", RATER_SELF);
    assessment_set_answer(a, "CS.HW.UEA.L4", RATER_SELF, 0, NULL, 0);
    assert_int_equal(store_assessment_save_answers(w.s, w.assessment, a, "import:b.json", &e), 0);

    assessment *loaded;
    assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
    assert_int_equal(loaded->n_answers, 3);
    assert_null(assessment_get_answer(loaded, "CS.HW.L4.complexity.3", RATER_SELF));
    assert_int_equal(assessment_get_answer(loaded, "CS.HW.UEA.L4", RATER_SELF)->value, 0);
    assert_int_equal(assessment_get_answer(loaded, "CS.HW.L4.complexity.1", RATER_SELF)->n_evidence, 1);
    assessment_free(loaded);

    store_history_list h;
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    size_t by_b = 0;
    for (size_t i = 0; i < h.count; i++)
        by_b += strcmp(h.items[i].actor, "import:b.json") == 0;
    /* complexity.3: value and evidence removed; UEA.L4: 1 -> 0. */
    assert_int_equal(by_b, 3);
    store_history_list_free(&h);

    /* An answer that cannot be saved leaves every answer as it was. */
    assessment_set_answer(a, "CS.HW.UEA.K01.01", RATER_SELF, 9, NULL, 0);
    assessment_set_answer(a, "CS.HW.L4.responsibility", RATER_SELF, 0, NULL, 0);
    assert_int_equal(store_assessment_save_answers(w.s, w.assessment, a, "import:c.json", &e), -1);
    assert_non_null(strstr(e.message, "9"));
    assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
    assert_int_equal(assessment_get_answer(loaded, "CS.HW.L4.responsibility", RATER_SELF)->value, 1);
    assessment_free(loaded);
    assessment_free(a);
    store_close(w.s);
}

static void test_status_changes(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    assessment_answer a = answer_of("CS.HW.L4.responsibility", RATER_SELF, 1, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    assert_int_equal(store_assessment_set_status(w.s, w.assessment, ASSESSMENT_SUBMITTED, "E0001", &e), 0);
    assert_int_equal(store_assessment_set_status(w.s, w.assessment, ASSESSMENT_APPROVED, "E0009", &e), 0);
    assert_int_equal(store_assessment_set_status(w.s, w.assessment, ASSESSMENT_APPROVED, "E0009", &e), 0);

    store_assessment info;
    assert_int_equal(store_assessment_get(w.s, w.assessment, &info, &e), 1);
    assert_int_equal(info.status, ASSESSMENT_APPROVED);
    store_assessment_clear(&info);

    /* An approved assessment's answers and evidence are frozen. */
    a.value = 0;
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), -1);
    assert_non_null(strstr(e.message, "approved"));
    char ev[24];
    snprintf(ev, sizeof ev, "%lld", (long long)w.experience);
    char *evidence[] = { ev };
    assessment_answer b = answer_of("CS.HW.L4.complexity.1", RATER_SELF, 1, evidence, 1);
    assert_int_equal(store_assessment_set_status(w.s, w.assessment, ASSESSMENT_RETURNED, "HR", &e), 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &b, "E0001", &e), 0);
    assert_int_equal(store_assessment_set_status(w.s, w.assessment, ASSESSMENT_APPROVED, "E0009", &e), 0);
    assert_int_equal(store_experience_delete(w.s, w.experience, "E0001", &e), -1);
    assert_non_null(strstr(e.message, "approved"));
    assert_int_equal(store_assessment_set_status(w.s, w.assessment, ASSESSMENT_RETURNED, "E0009", &e), 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);

    store_assessment_filter af = { 0 };
    af.status = ASSESSMENT_RETURNED;
    store_assessment_list l;
    assert_int_equal(store_assessment_list_filter(w.s, &af, &l, &e), 0);
    assert_int_equal(l.count, 1);
    store_assessment_list_free(&l);
    af.status = ASSESSMENT_DRAFT;
    assert_int_equal(store_assessment_list_filter(w.s, &af, &l, &e), 0);
    assert_int_equal(l.count, 0);
    store_assessment_list_free(&l);

    store_history_list h;
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    const char *expected[][2] = { { "draft", "submitted" }, { "submitted", "approved" }, { "approved", "returned" },
                                  { "returned", "approved" }, { "approved", "returned" } };
    size_t k = 0;
    for (size_t i = 0; i < h.count; i++) {
        if (strcmp(h.items[i].field, "status") != 0)
            continue;
        assert_true(k < 5);
        assert_string_equal(h.items[i].old_value, expected[k][0]);
        assert_string_equal(h.items[i].new_value, expected[k][1]);
        k++;
    }
    assert_int_equal(k, 5);
    store_history_list_free(&h);

    /* Deleting the experience record unlinks it from the answer, in the history. */
    assert_int_equal(store_experience_delete(w.s, w.experience, "E0001", &e), 0);
    assessment *loaded;
    assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
    assert_int_equal(assessment_get_answer(loaded, "CS.HW.L4.complexity.1", RATER_SELF)->n_evidence, 0);
    assert_int_equal(loaded->n_experience, 0);
    assessment_free(loaded);
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    assert_string_equal(h.items[h.count - 1].field, "evidence");
    assert_string_equal(h.items[h.count - 1].old_value, ev);
    assert_null(h.items[h.count - 1].new_value);
    store_history_list_free(&h);
    store_close(w.s);
}

static void test_results_cache(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    assert_int_equal(store_result_put(w.s, w.assessment, "default-2011", "CS.HW", 4, "{\"level\":4}", &e), 0);
    assert_int_equal(store_result_put(w.s, w.assessment, "default-2011", "CS.HW", 3, NULL, &e), 0);
    store_result_list l;
    assert_int_equal(store_result_list_assessment(w.s, w.assessment, "default-2011", &l, &e), 0);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].level, 3);
    store_result_list_free(&l);
    /* A changed answer makes the cached result stale: it is gone. */
    assessment_answer a = answer_of("CS.HW.L4.responsibility", RATER_SELF, 1, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    assert_int_equal(store_result_list_assessment(w.s, w.assessment, "default-2011", &l, &e), 0);
    assert_int_equal(l.count, 0);
    store_result_list_free(&l);
    store_close(w.s);
}

static void test_foreign_keys_enforced(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    /* store_result_put checks nothing itself: the database refuses the row. */
    assert_int_equal(store_result_put(w.s, 4242, "default-2011", "CS.HW", 3, NULL, &e), -1);
    assert_non_null(strstr(e.message, "4242"));
    assert_int_equal(store_experience_add(w.s, 777, &(assessment_experience){ .project = "p",
                                              .specialization_id = "CS.HW", .level = 3, .succeeded = 1 },
                                          NULL, &e), -1);
    assert_non_null(strstr(e.message, "777"));
    assert_int_equal(store_check(w.s, &e), 0);
    store_close(w.s);

    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM result"), 0);
    sqlite3_close(db);
}

/* ---- A process killed in the middle of a large transaction ------------------ */

/* The child: one transaction inserting people until it is killed. Tells the
 * parent (one byte on fd) once many rows are written and pages have spilled. */
static void crash_child(const char *path, int fd)
{
    err e = { 0 };
    store *s = store_open(path, 0, &e);
    if (!s || store_begin(s, &e) != 0)
        _exit(3);
    for (long i = 0; i < 100000000L; i++) {
        char number[24];
        store_person p = { 0 };
        snprintf(number, sizeof number, "K%09ld", i);
        p.employee_number = number;
        p.name = "途中で消える社員 (a name long enough to fill pages quickly)";
        p.kana = "トチュウデキエルシャイン";
        if (store_person_add(s, &p, NULL, &e) != 0)
            _exit(4);
        /* Tell the parent once uncommitted pages have spilled into the WAL
         * (when the page cache is full: how many rows that takes depends on
         * the cache size the backend sets). */
        if (fd >= 0 && i % 1000 == 999) {
            char wal[300];
            struct stat st;
            snprintf(wal, sizeof wal, "%s-wal", path);
            if (stat(wal, &st) == 0 && st.st_size > 0) {
                if (write(fd, "x", 1) != 1)
                    _exit(5);
                fd = -1;
            }
        }
    }
    store_commit(s, &e);      /* never reached in time */
    _exit(0);
}

static void test_crash_mid_transaction(void **state)
{
    fixture *f = *state;
    store *s = open_new(f);
    for (int i = 0; i < 10; i++) {
        char number[16];
        snprintf(number, sizeof number, "E%04d", i);
        add_person(s, number, "在籍社員", 0, 0);
    }
    store_close(s);

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        crash_child(f->path, fds[1]);
    }
    close(fds[1]);
    char byte;
    ssize_t got = read(fds[0], &byte, 1);
    close(fds[0]);
    /* Uncommitted pages have reached the WAL file: the kill lands mid-write. */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    struct stat st;
    int wal_found = stat(wal, &st) == 0 && st.st_size > 0;
    usleep(20000);
    /* Killed before any assertion, so a failing test leaves no child running. */
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(got, 1);
    assert_true(wal_found);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);

    err e = { 0 };
    s = store_open(f->path, 0, &e);
    assert_non_null(s);
    assert_int_equal(person_count(s), 10);
    store_person p;
    assert_int_equal(store_person_find(s, "K000000000", &p, &e), 0);
    assert_int_equal(store_person_find(s, "E0009", &p, &e), 1);
    store_person_clear(&p);
    assert_int_equal(store_check(s, &e), 0);
    /* And it takes writes again. */
    add_person(s, "E0010", "新入社員", 0, 0);
    store_close(s);

    sqlite3 *db = raw_open(f->path);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM person"), 11);
    sqlite3_close(db);
}

/* ---- Packed answers (schema version 5) -------------------------------------- */

/* The value rater r gives element i in the round-trip test; -1 for none. */
static int packed_value(int i, int r, int round)
{
    if (r == RATER_MANAGER && i % 3 == 0)
        return -1;
    if (round == 1 && i % 7 == 0)
        return -1;                 /* removed in the second save */
    return (i * 7 + r + round * (i % 2)) % (ASSESS_RATING_MAX + 1);
}

/* Every answer of a fits packed_value(round), evidence on every 50th self answer. */
static void assert_packed(const assessment *a, int n, int round, const char *ev)
{
    size_t want = 0;
    for (int i = 0; i < n; i++)
        for (int r = 0; r < RATER_COUNT; r++) {
            char id[32];
            snprintf(id, sizeof id, "CS.HW.T%03d.K01.01", i);
            int v = packed_value(i, r, round);
            const assessment_answer *x = assessment_get_answer(a, id, (assessment_rater)r);
            if (v < 0) {
                assert_null(x);
                continue;
            }
            want++;
            assert_non_null(x);
            assert_int_equal(x->value, v);
            int with_ev = r == RATER_SELF && i % 50 == 0;
            assert_int_equal(x->n_evidence, with_ev ? 1 : 0);
            if (with_ev)
                assert_string_equal(x->evidence[0], ev);
        }
    assert_int_equal(a->n_answers, want);
}

/* 600 elements, both raters, every value 0 to 4: what is saved loads back the
 * same, across the byte boundaries of the 3-bit codes; a second save changing,
 * adding and removing answers keeps exactly the new ones and adds one history
 * row holding just those changes. */
static void test_packed_answers_round_trip(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    char ev[24];
    snprintf(ev, sizeof ev, "%lld", (long long)w.experience);
    const char *evs[] = { ev };
    enum { N = 600 };
    for (int round = 0; round < 2; round++) {
        assessment *a = assessment_new(NULL, NULL, NULL, NULL, NULL);
        for (int i = 0; i < N; i++)
            for (int r = 0; r < RATER_COUNT; r++) {
                char id[32];
                snprintf(id, sizeof id, "CS.HW.T%03d.K01.01", i);
                int v = packed_value(i, r, round);
                int with_ev = r == RATER_SELF && i % 50 == 0;
                if (v >= 0)
                    assessment_set_answer(a, id, (assessment_rater)r, v, with_ev ? evs : NULL, with_ev);
            }
        assert_int_equal(store_assessment_save_answers(w.s, w.assessment, a, "E0001", &e), 0);
        assessment_free(a);
        assessment *loaded;
        assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
        assert_packed(loaded, N, round, ev);
        assessment_free(loaded);
    }
    /* The history: the first save's N + 2N/3 values and 12 evidence links, then
     * only what the second changed. */
    store_history_list h;
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    size_t first = 0, second = 0, changed = 0;
    for (int i = 0; i < N; i++)
        for (int r = 0; r < RATER_COUNT; r++) {
            int v0 = packed_value(i, r, 0), v1 = packed_value(i, r, 1);
            first += (v0 >= 0) + (v0 >= 0 && r == RATER_SELF && i % 50 == 0);
            changed += v0 != v1;
            second += (v0 != v1) + (r == RATER_SELF && i % 50 == 0 && (v0 < 0) != (v1 < 0));
        }
    assert_int_equal(h.count, 1 + first + second);
    assert_string_equal(h.items[0].field, "created");
    for (size_t k = 1; k < h.count; k++) {
        assert_true(h.items[k].id > h.items[k - 1].id);
        assert_non_null(h.items[k].element_id);
        if (strcmp(h.items[k].field, "value") == 0 && k > first) {
            /* a removed answer: old value, no new one */
            int i = atoi(h.items[k].element_id + 7);
            int v0 = packed_value(i, h.items[k].rater, 0), v1 = packed_value(i, h.items[k].rater, 1);
            char t[8];
            snprintf(t, sizeof t, "%d", v0);
            assert_string_equal(h.items[k].old_value, t);
            if (v1 < 0)
                assert_null(h.items[k].new_value);
        }
    }
    assert_true(changed > 0);
    store_history_list_free(&h);
    /* Saving the same answers again changes nothing and adds no history. */
    assessment *again;
    assert_int_equal(store_assessment_load(w.s, w.assessment, &again, &e), 1);
    assert_int_equal(store_assessment_save_answers(w.s, w.assessment, again, "E0001", &e), 0);
    assessment_free(again);
    assert_int_equal(store_history_list_assessment(w.s, w.assessment, &h, &e), 0);
    assert_int_equal(h.count, 1 + first + second);
    store_history_list_free(&h);
    store_close(w.s);
}

/* An element numbered inside a transaction that is rolled back is numbered
 * again afterwards, and answers name the right elements. */
static void test_packed_numbers_after_rollback(void **state)
{
    fixture *f = *state;
    world w;
    world_make(f, &w);
    err e = { 0 };
    assert_int_equal(store_begin(w.s, &e), 0);
    assessment_answer a = answer_of("CS.HW.UEA.K01.09", RATER_SELF, 4, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    assert_int_equal(store_rollback(w.s, &e), 0);
    a = answer_of("CS.HW.UEA.K01.03", RATER_SELF, 2, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0001", &e), 0);
    a = answer_of("CS.HW.UEA.K01.09", RATER_MANAGER, 1, NULL, 0);
    assert_int_equal(store_answer_save(w.s, w.assessment, &a, "E0009", &e), 0);
    store_close(w.s);
    /* A new connection reads the numbers from the database. */
    w.s = store_open(f->path, 0, &e);
    assert_non_null(w.s);
    assessment *loaded;
    assert_int_equal(store_assessment_load(w.s, w.assessment, &loaded, &e), 1);
    assert_int_equal(loaded->n_answers, 2);
    assert_int_equal(assessment_get_answer(loaded, "CS.HW.UEA.K01.03", RATER_SELF)->value, 2);
    assert_int_equal(assessment_get_answer(loaded, "CS.HW.UEA.K01.09", RATER_MANAGER)->value, 1);
    assert_null(assessment_get_answer(loaded, "CS.HW.UEA.K01.09", RATER_SELF));
    assessment_free(loaded);
    store_close(w.s);
}

/* A version 4 database (the schema before packed answers), filled behind the
 * store's back the way itss of that version wrote it: an assessment with four
 * answers (one with evidence), their history, a change, a removal and a status
 * change. bad_answer adds an answer whose element id is not an identifier. */
static void make_v4(fixture *f, int bad_answer)
{
    store_driver v4 = store_sqlite_driver;
    v4.n_migrations = 4;
    err e = { 0 };
    store *s = store_open_driver(&v4, f->path, STORE_CREATE, &e);
    if (!s)
        fail_msg("v4: %s", e.message);
    store_close(s);
    sqlite3 *db = raw_open(f->path);
    const char *sql =
        "INSERT INTO catalog VALUES ('" CATALOG_ID "', '" CATALOG_VERSION "', NULL, '2026-01-01T00:00:00Z');"
        "INSERT INTO person (id, employee_number, name, created_at, updated_at) "
        "VALUES (1, 'E0001', '山田 太郎', 'x', 'x');"
        "INSERT INTO cycle VALUES (1, '2026年度', '2026-04-01', '2027-03-31');"
        "INSERT INTO experience (id, person_id, project, specialization_id, level, succeeded, created_at, updated_at) "
        "VALUES (5, 1, 'p', 'CS.HW', 4, 1, 'x', 'x');"
        "INSERT INTO assessment (id, person_id, cycle_id, catalog_id, catalog_version, status, created_at, "
        "updated_at, revision) VALUES (1, 1, 1, '" CATALOG_ID "', '" CATALOG_VERSION "', 'submitted', 'x', 'x', 3);"
        "INSERT INTO answer VALUES (1, 'CS.HW.L4.complexity.1', 'self', 1, 't1', 'E0001');"
        "INSERT INTO answer VALUES (1, 'CS.HW.L4.responsibility', 'self', 0, 't2', 'E0001');"
        "INSERT INTO answer VALUES (1, 'CS.HW.UEA.K01.01', 'self', 4, 't1', 'E0001');"
        "INSERT INTO answer VALUES (1, 'CS.HW.UEA.K01.01', 'manager', 2, 't3', 'E0009');"
        "INSERT INTO answer_evidence VALUES (1, 'CS.HW.L4.complexity.1', 'self', 5);"
        "INSERT INTO assessment_history (assessment_id, at, actor, field, element_id, rater, old_value, new_value) "
        "VALUES (1, 't0', 'E0001', 'created', NULL, NULL, NULL, '" CATALOG_ID " " CATALOG_VERSION "'),"
        "(1, 't1', 'E0001', 'evidence', 'CS.HW.L4.complexity.1', 'self', NULL, '5'),"
        "(1, 't1', 'E0001', 'value', 'CS.HW.L4.complexity.1', 'self', NULL, '1'),"
        "(1, 't1', 'E0001', 'value', 'CS.HW.L4.responsibility', 'self', NULL, '1'),"
        "(1, 't1', 'E0001', 'value', 'CS.HW.L4.size.2', 'self', NULL, '1'),"
        "(1, 't1', 'E0001', 'value', 'CS.HW.UEA.K01.01', 'self', NULL, '4'),"
        "(1, 't2', 'E0001', 'value', 'CS.HW.L4.responsibility', 'self', '1', '0'),"
        "(1, 't2', 'E0001', 'value', 'CS.HW.L4.size.2', 'self', '1', NULL),"
        "(1, 't3', 'E0009', 'value', 'CS.HW.UEA.K01.01', 'manager', NULL, '2'),"
        "(1, 't4', 'E0001', 'status', NULL, NULL, 'draft', 'submitted');";
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("v4 rows: %s", msg);
    if (bad_answer)
        assert_int_equal(sqlite3_exec(db, "INSERT INTO answer VALUES (1, 'bad id', 'self', 1, 't1', 'E0001')", NULL,
                                      NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* "at|actor|field|element|rater|old|new" of a history entry. */
static void history_line(const store_history_entry *h, char *out, size_t size)
{
    snprintf(out, size, "%s|%s|%s|%s|%s|%s|%s", h->at, h->actor, h->field, h->element_id ? h->element_id : "",
             h->rater < 0 ? "" : assessment_rater_name((assessment_rater)h->rater), h->old_value ? h->old_value : "",
             h->new_value ? h->new_value : "");
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Opening a version 4 database converts it: the same answers with their
 * evidence, the same history, entry for entry, the old tables gone. */
static void test_migrate_v4_packs_answers(void **state)
{
    fixture *f = *state;
    make_v4(f, 0);
    err e = { 0 };
    store *s = store_open(f->path, 0, &e);
    if (!s)
        fail_msg("open: %s", e.message);
    assert_int_equal(store_schema_version(s), store_schema_latest(s));
    assessment *a;
    assert_int_equal(store_assessment_load(s, 1, &a, &e), 1);
    assert_int_equal(a->n_answers, 4);
    const assessment_answer *x = assessment_get_answer(a, "CS.HW.L4.complexity.1", RATER_SELF);
    assert_int_equal(x->value, 1);
    assert_int_equal(x->n_evidence, 1);
    assert_string_equal(x->evidence[0], "5");
    assert_int_equal(assessment_get_answer(a, "CS.HW.L4.responsibility", RATER_SELF)->value, 0);
    assert_int_equal(assessment_get_answer(a, "CS.HW.UEA.K01.01", RATER_SELF)->value, 4);
    assert_int_equal(assessment_get_answer(a, "CS.HW.UEA.K01.01", RATER_MANAGER)->value, 2);
    assessment_free(a);

    static const char *const want[] = {
        "t0|E0001|created||||" CATALOG_ID " " CATALOG_VERSION,
        "t1|E0001|evidence|CS.HW.L4.complexity.1|self||5",
        "t1|E0001|value|CS.HW.L4.complexity.1|self||1",
        "t1|E0001|value|CS.HW.L4.responsibility|self||1",
        "t1|E0001|value|CS.HW.L4.size.2|self||1",
        "t1|E0001|value|CS.HW.UEA.K01.01|self||4",
        "t2|E0001|value|CS.HW.L4.responsibility|self|1|0",
        "t2|E0001|value|CS.HW.L4.size.2|self|1|",
        "t3|E0009|value|CS.HW.UEA.K01.01|manager||2",
        "t4|E0001|status|||draft|submitted",
    };
    size_t n_want = sizeof want / sizeof want[0];
    store_history_list h;
    assert_int_equal(store_history_list_assessment(s, 1, &h, &e), 0);
    assert_int_equal(h.count, n_want);
    char lines[16][200];
    char *got[16];
    for (size_t i = 0; i < h.count; i++) {
        history_line(&h.items[i], lines[i], sizeof lines[i]);
        got[i] = lines[i];
        if (i)
            assert_true(h.items[i].id > h.items[i - 1].id);
    }
    /* Within one save the order may differ: compare sorted. */
    qsort(got, h.count, sizeof *got, cmp_text);
    char *sorted_want[16];
    for (size_t i = 0; i < n_want; i++) {
        sorted_want[i] = strdup(want[i]);
    }
    qsort(sorted_want, n_want, sizeof *sorted_want, cmp_text);
    for (size_t i = 0; i < n_want; i++) {
        assert_string_equal(got[i], sorted_want[i]);
        free(sorted_want[i]);
    }
    store_history_list_free(&h);
    store_close(s);

    sqlite3 *db = raw_open(f->path);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v4'"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM answer_values"), 2);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM answer_evidence"), 1);
    /* Still append-only. */
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM assessment_history", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* A conversion that fails half way (an answer that is no identifier) leaves the
 * answers of the database exactly as they were (at version 5), and says which
 * answer. */
static void test_migrate_v4_failure_leaves_v4(void **state)
{
    fixture *f = *state;
    make_v4(f, 1);
    sqlite3 *db = raw_open(f->path);
    long long answers = raw_int(db, "SELECT count(*) FROM answer");
    long long history = raw_int(db, "SELECT count(*) FROM assessment_history");
    sqlite3_close(db);
    err e = { 0 };
    store *s = store_open(f->path, 0, &e);
    assert_null(s);
    assert_non_null(strstr(e.message, "migration to schema version 6 failed"));
    assert_non_null(strstr(e.message, "bad id"));
    db = raw_open(f->path);
    /* Version 5 (plans) came before and stays; version 6 did not happen. */
    assert_int_equal(raw_int(db, "SELECT MAX(version) FROM schema_migrations"), 5);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM answer"), answers);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM assessment_history WHERE field = 'value'"), history - 3);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('answer_values', "
                                 "'answer_element', 'answer_v4')"), 0);
    /* The triggers of version 4 are still there. */
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM assessment_history", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* The tests that use nothing but the store, on PostgreSQL. */
static int run_on_postgresql(void)
{
#define PG_TEST(t) cmocka_unit_test_setup_teardown(t, setup_pg, teardown_pg)
    const struct CMUnitTest tests[] = {
        PG_TEST(test_duplicate_employee_number),
        PG_TEST(test_refusals_carry_codes),
        PG_TEST(test_person_fields_checked),
        PG_TEST(test_manager_loop_refused),
        PG_TEST(test_org_tree_descendants),
        PG_TEST(test_person_search_and_pages),
        PG_TEST(test_nested_iteration),
        PG_TEST(test_nested_transactions),
        PG_TEST(test_close_rolls_back),
        PG_TEST(test_cycles),
        PG_TEST(test_catalog_versions),
        PG_TEST(test_experience_records),
        PG_TEST(test_assessment_needs_known_catalog),
        PG_TEST(test_save_answers_first_filling),
        PG_TEST(test_save_answers_replaces),
        PG_TEST(test_status_changes),
        PG_TEST(test_results_cache),
        PG_TEST(test_packed_answers_round_trip),
    };
#undef PG_TEST
    return cmocka_run_group_tests_name("test_store on PostgreSQL", tests, NULL, NULL);
}

int main(void)
{
    if (getenv("ITSS_TEST_PG_URL") && getenv("ITSS_TEST_PG_URL")[0])
        return run_on_postgresql();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_path),
        cmocka_unit_test_setup_teardown(test_migrates_from_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forward_migrations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_byte_file_refused, setup, teardown),
        cmocka_unit_test(test_landed_migrations_unchanged),
        cmocka_unit_test_setup_teardown(test_second_open_keeps_locks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_employee_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_carry_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_fields_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manager_loop_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_org_tree_descendants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_search_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_iteration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_experience_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assessment_needs_known_catalog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answer_upsert_and_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_answers_first_filling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_answers_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_keys_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_mid_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packed_answers_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packed_numbers_after_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v4_packs_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v4_failure_leaves_v4, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
