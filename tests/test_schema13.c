/* test_schema13.c - the migration to schema 13 (assessment_spec: the
 * specializations a diagnosis is made in, store_specs.h) on a real database at
 * schema 12. The database is written the way itss wrote it before: rows of the
 * answer tables of version 4 put in with raw SQL, then taken to version 12 by
 * the schema's own migrations 5 to 12 (a driver cut to 12 migrations). The
 * migration to 13 alone (a driver cut to 13) makes assessment_spec, empty;
 * opening it then with the full driver -- what any command does -- brings it
 * to the latest schema, whatever number that is, and through the store every
 * diagnosis keeps its answers, has no choice, and is diagnosed in the
 * specializations its own answers are in, as it was at schema 12. Fixed
 * versions (4, 12, 13) for raw SQL, the store's interface after: later
 * migrations do not stop this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assessment.h"
#include "assessment_specs.h"
#include "catalog.h"
#include "store.h"
#include "store_backend.h"
#include "store_specs.h"

#define CATALOG_ID "itss-customer-service"
#define CATALOG_VERSION "2011.1"
#define N_ASSESSMENTS 3

static catalog *cat;

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/itss-test-schema13-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/itss.db", f->dir);
    *state = f;
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
    rmdir(f->dir);
    free(f);
    return 0;
}

/* The first column of the first row of sql on the file at path, as an integer. */
static long long raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Opens f's database with the first n migrations of SQLite's (creating it when
 * create); fails the test when it cannot. The store keeps the driver: static. */
static store *open_at(fixture *f, size_t n, int create)
{
    static store_driver d;
    d = store_sqlite_driver;
    d.n_migrations = n;
    err e = { 0 };
    store *s = store_open_driver(&d, f->path, create ? STORE_CREATE : 0, &e);
    if (!s)
        fail_msg("open with %zu migrations: %s", n, e.message);
    return s;
}

/* A database at schema 12 with three diagnoses: E0001 answered HW and SW
 * (a manager's answer in FM is not their own), E0002 FM only, E0003 (a draft)
 * one SW item of level 3. Rows as itss of version 4 wrote them, then the
 * migrations 5 to 12. */
static void make_v12(fixture *f)
{
    store_close(open_at(f, 4, 1));
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    const char *sql =
        "INSERT INTO catalog VALUES ('" CATALOG_ID "', '" CATALOG_VERSION "', NULL, '2026-01-01T00:00:00Z');"
        "INSERT INTO person (id, employee_number, name, created_at, updated_at) VALUES "
        "(1, 'E0001', '山田 太郎', 'x', 'x'), (2, 'E0002', '鈴木 花子', 'x', 'x'), (3, 'E0003', '佐藤 次郎', 'x', 'x');"
        "INSERT INTO cycle VALUES (1, '2026年度', '2026-04-01', '2027-03-31');"
        "INSERT INTO assessment (id, person_id, cycle_id, catalog_id, catalog_version, status, created_at, "
        "updated_at, revision) VALUES "
        "(1, 1, 1, '" CATALOG_ID "', '" CATALOG_VERSION "', 'submitted', 'x', 'x', 4),"
        "(2, 2, 1, '" CATALOG_ID "', '" CATALOG_VERSION "', 'submitted', 'x', 'x', 2),"
        "(3, 3, 1, '" CATALOG_ID "', '" CATALOG_VERSION "', 'draft', 'x', 'x', 1);"
        "INSERT INTO answer VALUES (1, 'CS.HW.UEA.K01.01', 'self', 3, 't1', 'E0001');"
        "INSERT INTO answer VALUES (1, 'CS.SW.L4.complexity.1', 'self', 1, 't1', 'E0001');"
        "INSERT INTO answer VALUES (1, 'CS.FM.UEA.K01.01', 'manager', 2, 't2', 'E0009');"
        "INSERT INTO answer VALUES (2, 'CS.FM.UEA.K01.01', 'self', 2, 't1', 'E0002');"
        "INSERT INTO answer VALUES (2, 'CS.FM.L3.size.1', 'self', 1, 't1', 'E0002');"
        "INSERT INTO answer VALUES (3, 'CS.SW.L3.task.1', 'self', 1, 't1', 'E0003');"
        "INSERT INTO assessment_history (assessment_id, at, actor, field, element_id, rater, old_value, new_value) "
        "VALUES (1, 't1', 'E0001', 'value', 'CS.HW.UEA.K01.01', 'self', NULL, '3'),"
        "(1, 't1', 'E0001', 'value', 'CS.SW.L4.complexity.1', 'self', NULL, '1'),"
        "(1, 't2', 'E0009', 'value', 'CS.FM.UEA.K01.01', 'manager', NULL, '2'),"
        "(2, 't1', 'E0002', 'value', 'CS.FM.UEA.K01.01', 'self', NULL, '2'),"
        "(2, 't1', 'E0002', 'value', 'CS.FM.L3.size.1', 'self', NULL, '1'),"
        "(3, 't1', 'E0003', 'value', 'CS.SW.L3.task.1', 'self', NULL, '1');";
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("v4 rows: %s", msg);
    sqlite3_close(db);
    store *s = open_at(f, 12, 0);
    assert_int_equal(store_schema_version(s), 12);
    store_close(s);
}

/* "CS.HW CS.SW": the specializations marked in diagnosed, in catalog order. */
static void spec_names(const int *diagnosed, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < catalog_spec_count(cat); i++)
        if (diagnosed[i]) {
            size_t len = strlen(out);
            snprintf(out + len, size - len, "%s%s", len ? " " : "", catalog_spec_at(cat, i)->id);
        }
}

/* "element|rater|value;..." of every answer of a. */
static void answers_line(const assessment *a, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < a->n_answers; i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s|%s|%d;", a->answers[i].element_id,
                 assessment_rater_name(a->answers[i].rater), a->answers[i].value);
    }
}

static void test_schema12_brought_forward(void **state)
{
    fixture *f = *state;
    make_v12(f);
    assert_int_equal(raw_int(f->path, "SELECT MAX(version) FROM schema_migrations"), 12);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'assessment_spec'"), 0);

    /* What the diagnoses read at schema 12: their answers, and the
     * specializations those answers put them in (there was no choice then). */
    char before[N_ASSESSMENTS][512], before_specs[N_ASSESSMENTS][128];
    err e = { 0 };
    store *s = open_at(f, 12, 0);
    for (int id = 1; id <= N_ASSESSMENTS; id++) {
        assessment *a;
        assert_int_equal(store_assessment_load(s, id, &a, &e), 1);
        answers_line(a, before[id - 1], sizeof before[0]);
        int diagnosed[16] = { 0 };
        assert_true(catalog_spec_count(cat) <= 16);
        assessment_diagnosed_specs(cat, a, NULL, 0, diagnosed);
        spec_names(diagnosed, before_specs[id - 1], sizeof before_specs[0]);
        assessment_free(a);
    }
    store_close(s);
    assert_string_equal(before_specs[0], "CS.HW CS.SW");
    assert_string_equal(before_specs[1], "CS.FM");
    assert_string_equal(before_specs[2], "CS.SW");

    /* Migration 13 itself (a driver cut to 13: what it wrote, before any later
     * migration may store it otherwise): assessment_spec made, empty. */
    s = open_at(f, 13, 0);
    assert_int_equal(store_schema_version(s), 13);
    store_close(s);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'assessment_spec'"), 1);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM assessment_spec"), 0);

    /* Any command opens it with the full driver; from here on only the store
     * reads it. */
    s = store_open(f->path, 0, &e);
    if (!s)
        fail_msg("open: %s", e.message);
    assert_int_equal(store_schema_version(s), store_schema_latest(s));
    assert_true(store_schema_version(s) >= 13);

    for (int id = 1; id <= N_ASSESSMENTS; id++) {
        assessment *a;
        assert_int_equal(store_assessment_load(s, id, &a, &e), 1);
        char after[512];
        answers_line(a, after, sizeof after);
        assert_string_equal(after, before[id - 1]);
        store_spec_choice choice;
        assert_int_equal(store_spec_choice_get(s, id, &choice, &e), 0);
        assert_int_equal(choice.count, 0);
        store_spec_choice_clear(&choice);
        int diagnosed[16] = { 0 }, chosen = -1;
        if (store_diagnosed_specs(s, cat, id, a, diagnosed, &chosen, &e) < 0)
            fail_msg("diagnosed specs of %d: %s", id, e.message);
        assert_int_equal(chosen, 0);
        char specs[128];
        spec_names(diagnosed, specs, sizeof specs);
        assert_string_equal(specs, before_specs[id - 1]);
        assessment_free(a);
    }

    /* The new table works on the migrated database: a choice is kept. */
    const char *hw[] = { "CS.HW" };
    if (store_spec_choice_set(s, 3, hw, 1, "E0003", &e) != 0)
        fail_msg("choose: %s", e.message);
    store_spec_choice choice;
    assert_int_equal(store_spec_choice_get(s, 3, &choice, &e), 0);
    assert_int_equal(choice.count, 1);
    assert_string_equal(choice.ids[0], "CS.HW");
    store_spec_choice_clear(&choice);
    store_close(s);
}

int main(void)
{
    cat = catalog_load_builtin(NULL);
    if (!cat)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema12_brought_forward, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    catalog_free(cat);
    return rc;
}
