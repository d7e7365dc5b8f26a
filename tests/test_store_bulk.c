/* test_store_bulk.c - the store's bulk writer of answers (store_bulk.h) and the
 * import built on it, against the path they replace: the same answers written
 * by store_assessment_save_answers (as the import did before: stored answers
 * loaded, the file's set over them, all saved) into one database and by
 * store_bulk into another leave the same rows, byte for byte (packed codes,
 * evidence links, dictionary, every history row); the import keeps the levels
 * a full evaluation decides; refusals (approved, another person's record, no
 * transaction) write nothing. */
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
#include "buf.h"
#include "catalog.h"
#include "csv.h"
#include "engine.h"
#include "import.h"
#include "policy.h"
#include "store.h"
#include "store_bulk.h"

#define CATALOG_ID "itss-customer-service"
#define CATALOG_VERSION "2011.1"
#define N_IDS 60

typedef struct fixture {
    char dir[64];
    char old_path[128], new_path[128];
    char *ids[N_IDS];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/itss-test-bulk-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->old_path, sizeof f->old_path, "%s/old.db", f->dir);
    snprintf(f->new_path, sizeof f->new_path, "%s/new.db", f->dir);
    /* element ids in an order that is not their id order (numbers are given in id order) */
    for (int i = 0; i < N_IDS; i++) {
        char id[48];
        if (i % 10 == 0)
            snprintf(id, sizeof id, "CS.HW.L%d.responsibility", 7 - i / 10);
        else
            snprintf(id, sizeof id, "CS.HW.UEA.K%02d.%02d", (N_IDS - i) % 17 + 1, i % 10);
        f->ids[i] = strdup(id);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    const char *paths[] = { f->old_path, f->new_path };
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < 3; k++) {
            char x[160];
            snprintf(x, sizeof x, "%s%s", paths[p], suffixes[k]);
            unlink(x);
        }
    char csv[160];
    snprintf(csv, sizeof csv, "%s/answers.csv", f->dir);
    unlink(csv);
    rmdir(f->dir);
    for (int i = 0; i < N_IDS; i++)
        free(f->ids[i]);
    free(f);
    return 0;
}

/* A database with the catalog, a cycle, a person with three experience records
 * (ids 1..3) and another person with one (id 4). */
static store *world(const char *path, int64_t *person, int64_t *cycle)
{
    err e = { 0 };
    store *s = store_open(path, STORE_CREATE, &e);
    if (!s)
        fail_msg("store_open: %s", e.message);
    assert_int_equal(store_catalog_use(s, CATALOG_ID, CATALOG_VERSION, NULL, &e), 0);
    assert_int_equal(store_cycle_add(s, "2026年度", "2026-04-01", "2027-03-31", cycle, &e), 0);
    int64_t other = 0;
    for (int k = 0; k < 2; k++) {
        store_person p = { 0 };
        p.employee_number = k ? "E0002" : "E0001";
        p.name = k ? "佐藤 花子" : "山田 太郎";
        assert_int_equal(store_person_add(s, &p, k ? &other : person, &e), 0);
    }
    for (int k = 0; k < 4; k++) {
        assessment_experience x = { 0 };
        x.project = "保守";
        x.period_from = "2023-04";
        x.period_to = "2025-03";
        x.role = "担当";
        x.specialization_id = "CS.HW";
        x.level = 3 + k % 2;
        x.succeeded = 1;
        int64_t id;
        assert_int_equal(store_experience_add(s, k < 3 ? *person : other, &x, &id, &e), 0);
        assert_int_equal(id, k + 1);
    }
    return s;
}

/* A seeded set of answers over the fixture's ids: codes by id number and rater,
 * evidence (record 1..3) on some. */
typedef struct answers {
    uint8_t codes[RATER_COUNT][N_IDS];
    store_bulk_link links[N_IDS * RATER_COUNT * 2];
    size_t n_links;
} answers;

static void draw(answers *x, unsigned seed, int share)
{
    memset(x, 0, sizeof *x);
    for (int i = 0; i < N_IDS; i++)
        for (int r = 0; r < RATER_COUNT; r++) {
            seed = seed * 1103515245u + 12345u;
            if ((int)((seed >> 16) % 100) >= share)
                continue;
            x->codes[r][i] = (uint8_t)(1 + (seed >> 8) % 5);
            for (int k = 1; k <= 3; k++)
                if ((seed >> (k + 3)) % 4 == 0)
                    x->links[x->n_links++] = (store_bulk_link){ r, (uint32_t)i, k };
        }
}

/* The old path: the stored answers loaded, these set over them, all saved. */
static void save_old(store *s, int64_t id, char *const *ids, const answers *x)
{
    err e = { 0 };
    assessment *a = assessment_new(NULL, NULL, NULL, NULL, NULL);
    assert_int_equal(store_answers_load(s, id, a, &e), 0);
    for (int i = 0; i < N_IDS; i++)
        for (int r = 0; r < RATER_COUNT; r++) {
            if (!x->codes[r][i])
                continue;
            char ev[4][24];
            const char *evp[4];
            size_t n = 0;
            for (size_t k = 0; k < x->n_links; k++)
                if (x->links[k].element == (uint32_t)i && x->links[k].rater == r) {
                    snprintf(ev[n], sizeof ev[n], "%lld", (long long)x->links[k].experience_id);
                    evp[n] = ev[n];
                    n++;
                }
            assessment_set_answer(a, ids[i], (assessment_rater)r, x->codes[r][i] - 1, evp, n);
        }
    assert_int_equal(store_assessment_save_answers(s, id, a, "import:a.csv", &e), 0);
    assessment_free(a);
}

/* Every row the two databases hold of answers and history (times left out). */
static void dump(const char *path, buf *out)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    const char *queries[] = {
        "SELECT catalog_id, catalog_version, element_index, element_id FROM answer_element ORDER BY 1, 2, 3",
        "SELECT assessment_id, rater, hex(codes) FROM answer_values ORDER BY 1, 2",
        "SELECT assessment_id, rater, element_index, experience_id FROM answer_evidence ORDER BY 1, 2, 3, 4",
        "SELECT id, assessment_id, actor, kind, old_value, new_value, hex(changes) FROM assessment_history ORDER BY id",
        "SELECT id, person_id, cycle_id, catalog_id, catalog_version, status FROM assessment ORDER BY id",
    };
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, queries[q], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const unsigned char *t = sqlite3_column_text(st, c);
                buf_printf(out, "%s|", t ? (const char *)t : "NULL");
            }
            buf_putc(out, '\n');
        }
        sqlite3_finalize(st);
        buf_puts(out, "--\n");
    }
    sqlite3_close(db);
}

/* Three saves (a first filling, a second over it that changes values and
 * evidence and adds elements, one that changes nothing) by both paths leave
 * the same rows. */
static void test_same_rows_as_save_answers(void **state)
{
    fixture *f = *state;
    err e = { 0 };
    int64_t person, cycle, id;
    answers rounds[3];
    draw(&rounds[0], 7, 45);
    draw(&rounds[1], 11, 60);
    rounds[2] = rounds[1];

    store *s = world(f->old_path, &person, &cycle);
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(store_assessment_create(s, person, cycle, CATALOG_ID, CATALOG_VERSION, "import:a.csv", &id, &e),
                     0);
    for (int k = 0; k < 3; k++)
        save_old(s, id, f->ids, &rounds[k]);
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);

    s = world(f->new_path, &person, &cycle);
    assert_int_equal(store_begin(s, &e), 0);
    store_bulk *b = store_bulk_new(s, CATALOG_ID, CATALOG_VERSION, (const char *const *)f->ids, N_IDS, &e);
    assert_non_null(b);
    for (int k = 0; k < 3; k++) {
        store_bulk_target t;
        assert_int_equal(store_bulk_assessment(b, person, cycle, "import:a.csv", &t, &e), 0);
        assert_int_equal(t.created, k == 0);
        assert_int_equal(t.same_catalog, 1);
        const uint8_t *const codes[RATER_COUNT] = { rounds[k].codes[0], rounds[k].codes[1] };
        if (store_bulk_put(b, &t, codes, rounds[k].links, rounds[k].n_links, "import:a.csv", &e) != 0)
            fail_msg("store_bulk_put, round %d: %s", k, e.message);
        for (int i = 0; i < N_IDS; i++)   /* what it holds now, by the caller's numbers */
            if (rounds[k].codes[RATER_SELF][i])
                assert_int_equal(store_bulk_codes(b, RATER_SELF)[i], rounds[k].codes[RATER_SELF][i]);
    }
    store_bulk_free(b);
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);

    buf a, c;
    buf_init(&a);
    buf_init(&c);
    dump(f->old_path, &a);
    dump(f->new_path, &c);
    assert_true(a.len > 200);
    assert_string_equal(a.data, c.data);
    buf_free(&a);
    buf_free(&c);
}

/* Refusals: an approved assessment, another person's record, no transaction;
 * the writer refuses every call after a failed one. */
static void test_refusals(void **state)
{
    fixture *f = *state;
    err e = { 0 };
    int64_t person, cycle;
    store *s = world(f->new_path, &person, &cycle);
    assert_null(store_bulk_new(s, CATALOG_ID, CATALOG_VERSION, (const char *const *)f->ids, N_IDS, &e));
    assert_non_null(strstr(e.message, "transaction"));

    assert_int_equal(store_begin(s, &e), 0);
    store_bulk *b = store_bulk_new(s, CATALOG_ID, CATALOG_VERSION, (const char *const *)f->ids, N_IDS, &e);
    assert_non_null(b);
    store_bulk_target t;
    assert_int_equal(store_bulk_assessment(b, person, cycle, "import:a.csv", &t, &e), 0);
    answers x;
    memset(&x, 0, sizeof x);
    x.codes[RATER_SELF][5] = 2;
    x.links[x.n_links++] = (store_bulk_link){ RATER_SELF, 5, 4 };   /* record 4 is the other person's */
    const uint8_t *const codes[RATER_COUNT] = { x.codes[0], x.codes[1] };
    memset(&e, 0, sizeof e);
    assert_int_equal(store_bulk_put(b, &t, codes, x.links, x.n_links, "x", &e), -1);
    assert_non_null(strstr(e.message, "not an experience record of this person"));
    assert_string_equal(e.path, f->ids[5]);

    t.status = ASSESSMENT_APPROVED;
    x.n_links = 0;
    assert_int_equal(store_bulk_put(b, &t, codes, x.links, 0, "x", &e), -1);
    assert_non_null(strstr(e.message, "approved; return it before changing answers"));
    store_bulk_free(b);
    store_rollback(s, NULL);
    store_close(s);
}

/* The import keeps the levels a full evaluation decides, and a file whose last
 * row is bad leaves nothing (no assessment, no answer, no result). */
static void test_import_keeps_levels_or_nothing(void **state)
{
    fixture *f = *state;
    err e = { 0 };
    err_list errs = { 0 };
    int64_t person, cycle;
    store *s = world(f->new_path, &person, &cycle);
    catalog *cat = catalog_load_builtin(&errs);
    policy *pol = policy_load_builtin(&errs);
    assert_non_null(cat);
    assert_non_null(pol);
    /* a full self-assessment of HW up to level 3 */
    buf text;
    buf_init(&text);
    buf_puts(&text, "employee_number,cycle,element_id,rater,value,evidence\n");
    const catalog_spec *hw = catalog_spec_find(cat, "HW");
    const char *first = NULL;
    for (size_t i = 0; i < catalog_element_count(cat); i++) {
        const catalog_element *el = catalog_element_at(cat, i);
        if (!catalog_block_of(el->spec, hw))
            continue;
        if (el->kind == CK_RESPONSIBILITY && !first)
            first = el->id;
        if (el->kind == CK_RESPONSIBILITY || el->kind == CK_CHECK_ITEM || el->kind == CK_PROFICIENCY)
            buf_printf(&text, "E0001,2026年度,%s,self,%d,\n", el->id,
                       el->kind == CK_PROFICIENCY ? el->proficiency->level <= 3 : el->level->level <= 3);
        else if (el->kind == CK_KNOWLEDGE_ITEM)
            buf_printf(&text, "E0001,2026年度,%s,self,%d,\n", el->id, (int)(i % 5));
    }
    for (int bad = 1; bad >= 0; bad--) {
        buf file;
        buf_init(&file);
        buf_append(&file, text.data, text.len);
        if (bad)
            buf_printf(&file, "E0001,2026年度,%s,manager,7,\n", first);   /* met or not met only */
        csv_reader *csv = csv_open_memory(file.data, file.len, "answers.csv", CSV_UTF8, &e);
        assert_non_null(csv);
        import_options o = { 0 };
        o.kind = IMPORT_ASSESSMENTS;
        o.catalog = cat;
        o.policy = pol;
        o.file = "answers.csv";
        o.actor = "import:answers.csv";
        import_summary sum;
        err_list errors = { 0 };
        int rc = import_run(s, csv, &o, &errors, &sum, &e);
        csv_close(csv);
        store_assessment_list l;
        assert_int_equal(store_assessment_list_filter(s, NULL, &l, &e), 0);
        if (bad) {
            assert_int_equal(rc, 1);
            assert_int_equal(errors.count, 1);
            assert_string_equal(errors.items[0].where, "answers.csv");
            assert_true(errors.items[0].line > 100);
            assert_int_equal(errors.items[0].column, 14 + (int)strlen(first) + 1 + 8);   /* the value */
            assert_int_equal(l.count, 0);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(l.count, 1);
            assessment *a;
            assert_int_equal(store_assessment_load(s, l.items[0].id, &a, &e), 1);
            engine *eng = engine_new(cat, pol);
            engine_result *r = engine_result_new(eng);
            engine_evaluate(eng, a, RATER_SELF, r);
            char key[160];
            snprintf(key, sizeof key, "%s@%s", pol->id, pol->version);
            store_result_list kept;
            assert_int_equal(store_result_list_assessment(s, l.items[0].id, key, &kept, &e), 0);
            assert_int_equal(kept.count, catalog_spec_count(cat));
            for (size_t k = 0; k < kept.count; k++) {
                const engine_spec *es = engine_result_spec(r, kept.items[k].specialization_id);
                assert_non_null(es);
                assert_int_equal(kept.items[k].level, es->level);
            }
            assert_true(engine_result_spec(r, hw->id)->level >= 1);
            store_result_list_free(&kept);
            engine_result_free(r);
            engine_free(eng);
            assessment_free(a);
        }
        store_assessment_list_free(&l);
        buf_free(&file);
    }
    buf_free(&text);
    policy_free(pol);
    catalog_free(cat);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_rows_as_save_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_keeps_levels_or_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
