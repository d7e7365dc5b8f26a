/* test_approval_frozen.c - compact approvals (schema 14; docs/review.md "What
 * approval freezes", docs/store.md "Schema version 14"): an approval made by
 * the real path (review_approve) keeps no copy of the engine's result and
 * explanation, yet gives them back exactly as they were approved -- byte for
 * byte what the engine said at that moment -- after the answers, the
 * agreements, the experience records, the person's name, the cycle's name and
 * the policy all changed and a second approval was made under another policy;
 * a catalog edited under the same version makes the digest differ and that is
 * reported, not shown as approved; an approval made before schema 14 keeps its
 * texts through the migration, and a migration 14 failing half way leaves the
 * database at 13; agreements kept a row each (before 15) read the same after. With ITSS_TEST_PG_URL the same on PostgreSQL (tests/pg.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "policy.h"
#include "review.h"
#include "store.h"
#include "store_backend.h"

extern const unsigned char catalog_builtin_json[];
extern const size_t catalog_builtin_json_len;

typedef struct fixture {
    char dir[64];
    char path[256];            /* a file, or a PostgreSQL URL */
    int pg;
} fixture;

static catalog *cat;
static policy *pol;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/itss-test-frozen-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/itss.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Runs sql on the PostgreSQL server's maintenance database; 0 when it worked. */
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
    }
    PQfinish(c);
    return ok ? 0 : -1;
}

static int setup_pg(void **state)
{
    static int n;
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->pg = 1;
    snprintf(f->dir, sizeof f->dir, "itss_frozen_%d_%d", (int)getpid(), ++n);
    snprintf(f->path, sizeof f->path, "%s/%s", getenv("ITSS_TEST_PG_URL"), f->dir);
    char sql[160];
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
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->dir);
    pg_admin(sql);
    free(f);
    return 0;
}

static void ok(int rc, const err *e, const char *what)
{
    if (rc != 0)
        fail_msg("%s: %d %s: %s", what, rc, e->path, e->message);
}

/* What the tests change and look at. */
typedef struct world {
    int64_t person, cycle, assessment, records[3];
    char ids[3][24];
} world;

/* Every answer of HW (and its common levels) by rater: achievement elements
 * met up to level `level` (the manager's own decisions), proficiency and
 * knowledge only from the self-rating (left for the reviewer to agree with);
 * met HW complexity items of level 3 name record 0 as evidence. */
static void fill(assessment *a, world *w, assessment_rater rater, int level, int knowledge)
{
    const catalog_spec *hw = catalog_spec_find(cat, "CS.HW");
    for (size_t i = 0; i < catalog_element_count(cat); i++) {
        const catalog_element *el = catalog_element_at(cat, i);
        if (!catalog_block_of(el->spec, hw))
            continue;
        int achievement = el->kind == CK_RESPONSIBILITY || el->kind == CK_CHECK_ITEM;
        if (!achievement && rater == RATER_MANAGER)
            continue;
        int v;
        if (el->kind == CK_KNOWLEDGE_ITEM)
            v = knowledge;
        else if (el->kind == CK_PROFICIENCY)
            v = el->proficiency->level <= level;
        else if (achievement)
            v = el->level->level <= level;
        else
            continue;
        const char *ev[1] = { w->ids[0] };
        size_t n_ev = v && el->kind == CK_CHECK_ITEM && el->criterion->kind == CRITERION_COMPLEXITY
                      && el->level->level == 3;
        assessment_set_answer(a, el->id, rater, v, ev, n_ev);
    }
}

/* A person with three HW records, a full self-assessment and the manager's
 * decisions on every achievement element, submitted. */
static void make_world(store *s, world *w)
{
    err e = { 0 };
    memset(w, 0, sizeof *w);
    ok(store_catalog_use(s, catalog_id(cat), catalog_version(cat), NULL, &e), &e, "catalog");
    ok(store_cycle_add(s, "2026年度", "2026-04-01", "2027-03-31", &w->cycle, &e), &e, "cycle");
    store_person p = { .employee_number = "E0001", .name = "山田 太郎" };
    ok(store_person_add(s, &p, &w->person, &e), &e, "person");
    for (int r = 0; r < 3; r++) {
        const catalog_spec *hw = catalog_spec_find(cat, "CS.HW");
        char *cx[] = { "CS.HW.L3.complexity.1", "CS.HW.L3.complexity.2" };
        assessment_experience x = { .project = r == 0 ? "基幹システム保守" : "端末入替", .period_from = "2024-04",
                                    .period_to = "2025-03", .role = "リーダ", .specialization_id = (char *)hw->id,
                                    .level = 3, .succeeded = 1, .complexity_items = cx, .n_complexity_items = 2,
                                    .description = "説明" };
        ok(store_experience_add(s, w->person, &x, &w->records[r], &e), &e, "record");
        snprintf(w->ids[r], sizeof w->ids[r], "%lld", (long long)w->records[r]);
    }
    ok(store_assessment_create(s, w->person, w->cycle, catalog_id(cat), catalog_version(cat), "E0001",
                               &w->assessment, &e), &e, "assessment");
    assessment *a = assessment_new("E0001", "山田 太郎", "2026年度", catalog_id(cat), catalog_version(cat));
    fill(a, w, RATER_SELF, 3, 3);
    ok(store_assessment_save_answers(s, w->assessment, a, "E0001", &e), &e, "self");
    ok(review_submit(s, w->assessment, "E0001", &e), &e, "submit");
    fill(a, w, RATER_MANAGER, 2, 0);
    ok(store_assessment_save_answers(s, w->assessment, a, "E0009", &e), &e, "manager");
    assessment_free(a);
}

/* The texts the engine gives now for the reviewed ratings of assessment id
 * under p (what review_approve freezes), into *result and *explanation. */
static void texts_now(store *s, int64_t id, const policy *p, char **result, char **explanation)
{
    err e = { 0 };
    assessment *a = NULL;
    assert_int_equal(store_assessment_load(s, id, &a, &e), 1);
    store_agreement_list agreed;
    ok(store_agreement_list_assessment(s, id, &agreed, &e), &e, "agreements");
    review_apply_agreements(a, &agreed);
    engine_result *r = engine_assess(cat, p, a, RATER_MANAGER);
    review_result_texts(r, result, explanation);
    engine_result_free(r);
    store_agreement_list_free(&agreed);
    assessment_free(a);
}

/* The frozen texts of approval id, which must be given. */
static void frozen(store *s, int64_t id, const catalog *c, char **result, char **explanation)
{
    err e = { 0 };
    store_approval ap;
    assert_int_equal(store_approval_get(s, id, &ap, &e), 1);
    ok(review_approval_frozen(s, c, &ap, result, explanation, &e), &e, "frozen");
    store_approval_clear(&ap);
}

static policy *other_policy(void)
{
    const char *text = strstr(pol->text, "\"version\": \"1\"") ? pol->text : NULL;
    assert_non_null(text);
    char *changed = strdup(pol->text);
    char *v = strstr(changed, "\"version\": \"1\"");
    v[strlen("\"version\": \"")] = '2';
    char *m = strstr(changed, "\"min_items\": 2");      /* complexity: 2 -> 1 */
    assert_non_null(m);
    m[strlen("\"min_items\": ")] = '1';
    policy *p = policy_parse(changed, strlen(changed), "changed", NULL);
    free(changed);
    assert_non_null(p);
    return p;
}

static void test_frozen_after_changes(void **state)
{
    fixture *f = *state;
    err e = { 0 };
    store *s = store_open(f->path, STORE_CREATE, &e);
    assert_non_null(s);
    world w;
    make_world(s, &w);
    int64_t first = 0;
    ok(review_approve(s, cat, pol, w.assessment, "hr", NULL, &first, &e), &e, "approve");
    char *want_result, *want_explanation;
    texts_now(s, w.assessment, pol, &want_result, &want_explanation);
    assert_non_null(strstr(want_explanation, "山田 太郎"));

    /* What the store keeps: no texts, the basis, the agreements the approval made. */
    store_approval ap;
    assert_int_equal(store_approval_get(s, first, &ap, &e), 1);
    assert_string_equal(ap.result, "");
    assert_string_equal(ap.explanation, "");
    assert_true(ap.answers_through > 0);
    store_approval_basis b;
    assert_int_equal(store_approval_basis_get(s, first, &b, &e), 1);
    assert_true(b.n_agreed > 10);      /* proficiency and knowledge agreed with the approval */
    assert_string_equal(b.policy_text, pol->text);
    assert_int_equal(strlen(b.digest), 64);
    store_approval_basis_clear(&b);
    char levels_then[64] = "";
    for (size_t i = 0; i < ap.n_levels; i++)
        snprintf(levels_then + strlen(levels_then), sizeof levels_then - strlen(levels_then), "%s=%d;",
                 ap.levels[i].specialization_id, ap.levels[i].level);
    store_approval_clear(&ap);

    char *result, *explanation;
    frozen(s, first, cat, &result, &explanation);
    assert_string_equal(result, want_result);
    assert_string_equal(explanation, want_explanation);
    free(result);
    free(explanation);

    /* Everything changes: reopened, answers and agreements, records (one
     * edited, one deleted), the person's and the cycle's names, the policy. */
    ok(review_reopen(s, w.assessment, "hr", "もう一度", &e), &e, "reopen");
    assessment *a = assessment_new("E0001", "山田 太郎", "2026年度", catalog_id(cat), catalog_version(cat));
    fill(a, &w, RATER_SELF, 4, 4);
    fill(a, &w, RATER_MANAGER, 3, 0);
    ok(store_assessment_save_answers(s, w.assessment, a, "E0009", &e), &e, "answers changed");
    assessment_free(a);
    ok(store_agreement_set(s, w.assessment, "CS.HW.UEA.K01.01", 0, "E0009", &e), &e, "agreement removed");
    store_experience x;
    assert_int_equal(store_experience_get(s, w.records[1], &x, &e), 1);
    char *project = x.x.project;
    x.x.succeeded = 0;
    x.x.project = "名前を変えた案件";
    ok(store_experience_edit(s, w.records[1], &x.x, &e), &e, "record edited");
    x.x.project = project;
    store_experience_clear(&x);
    ok(store_experience_delete(s, w.records[2], "E0001", &e), &e, "record deleted");
    store_person p;
    assert_int_equal(store_person_get(s, w.person, &p, &e), 1);
    free(p.name);
    p.name = strdup("山田 花子");
    ok(store_person_edit(s, &p, &e), &e, "renamed");
    store_person_clear(&p);
    ok(store_cycle_edit(s, w.cycle, "2026年度（改）", "2026-04-01", "2027-03-31", &e), &e, "cycle renamed");
    ok(review_submit(s, w.assessment, "E0001", &e), &e, "submit again");
    policy *p2 = other_policy();
    int64_t second = 0;
    ok(review_approve(s, cat, p2, w.assessment, "hr", NULL, &second, &e), &e, "approve again");
    char *want2_result, *want2_explanation;
    texts_now(s, w.assessment, p2, &want2_result, &want2_explanation);

    /* The first approval: exactly as approved, levels too. */
    frozen(s, first, cat, &result, &explanation);
    assert_string_equal(result, want_result);
    assert_string_equal(explanation, want_explanation);
    free(result);
    free(explanation);
    assert_int_equal(store_approval_get(s, first, &ap, &e), 1);
    char levels_now[64] = "";
    for (size_t i = 0; i < ap.n_levels; i++)
        snprintf(levels_now + strlen(levels_now), sizeof levels_now - strlen(levels_now), "%s=%d;",
                 ap.levels[i].specialization_id, ap.levels[i].level);
    assert_string_equal(levels_now, levels_then);
    assert_non_null(ap.reopened_at);
    store_approval_clear(&ap);
    /* The second: what the engine said then, under the other policy (kept too). */
    frozen(s, second, cat, &result, &explanation);
    assert_string_equal(result, want2_result);
    assert_string_equal(explanation, want2_explanation);
    assert_string_not_equal(explanation, want_explanation);
    assert_non_null(strstr(explanation, "山田 花子"));
    assert_non_null(strstr(explanation, "版2"));
    free(result);
    free(explanation);
    free(want_result);
    free(want_explanation);
    free(want2_result);
    free(want2_explanation);
    policy_free(p2);
    store_close(s);
}

/* The catalog's text with every "を" made "ヲ": the same id and version, other words. */
static catalog *edited_catalog(void)
{
    const char *from = "を", *to = "ヲ";
    size_t n = catalog_builtin_json_len;
    char *text = malloc(n + 1);
    memcpy(text, catalog_builtin_json, n);
    text[n] = '\0';
    for (char *p = strstr(text, from); p; p = strstr(p + 3, from))
        memcpy(p, to, 3);
    catalog *c = catalog_load_buffer(text, n, "edited", NULL);
    free(text);
    assert_non_null(c);
    return c;
}

static void test_digest_mismatch_reported(void **state)
{
    fixture *f = *state;
    err e = { 0 };
    store *s = store_open(f->path, STORE_CREATE, &e);
    assert_non_null(s);
    world w;
    make_world(s, &w);
    int64_t id = 0;
    ok(review_approve(s, cat, pol, w.assessment, "hr", NULL, &id, &e), &e, "approve");
    store_approval ap;
    assert_int_equal(store_approval_get(s, id, &ap, &e), 1);
    catalog *edited = edited_catalog();
    char *result = (char *)"x", *explanation = (char *)"x";
    memset(&e, 0, sizeof e);
    assert_int_equal(review_approval_frozen(s, edited, &ap, &result, &explanation, &e), REVIEW_E_CONFLICT);
    assert_null(result);
    assert_null(explanation);
    assert_non_null(strstr(e.message, "differs from the one approved"));
    catalog_free(edited);
    /* The right catalog gives it, and the levels never depended on it. */
    ok(review_approval_frozen(s, cat, &ap, &result, &explanation, &e), &e, "frozen");
    free(result);
    free(explanation);
    /* Another catalog version: said so, nothing shown as approved. */
    free(ap.catalog_version);
    ap.catalog_version = strdup("2099.1");
    assert_int_equal(review_approval_frozen(s, cat, &ap, &result, &explanation, &e), REVIEW_E_CONFLICT);
    assert_non_null(strstr(e.message, "2099.1"));
    store_approval_clear(&ap);
    store_close(s);
}

/* Runs sql on the fixture's database behind the store's back. */
static void raw_exec(fixture *f, const char *sql)
{
    if (f->pg) {
        PGconn *c = PQconnectdb(f->path);
        PGresult *r = PQexec(c, sql);
        int ok_ = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok_)
            fail_msg("%s: %s", sql, PQresultErrorMessage(r));
        PQclear(r);
        PQfinish(c);
        return;
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

/* A database at schema 13 with an approval holding its texts (as every approval
 * made before schema 14 does), through the schema's own migrations. */
static void make_v13(fixture *f, int64_t *approval_id)
{
    store_driver v13 = f->pg ? store_pg_driver : store_sqlite_driver;
    v13.n_migrations = 13;
    err e = { 0 };
    store *s = store_open_driver(&v13, f->path, STORE_CREATE, &e);
    if (!s)
        fail_msg("v13: %s", e.message);
    world w;
    make_world(s, &w);
    store_approval_level lv[] = { { "CS.FM", 0 }, { "CS.HW", 3 }, { "CS.SW", 0 } };
    store_approval ap = { .assessment_id = w.assessment, .approved_by = "hr", .policy_id = "itss-v3-2011",
                          .policy_version = "1", .catalog_id = (char *)catalog_id(cat),
                          .catalog_version = (char *)catalog_version(cat), .result = "{\"old\":\"結果\"}",
                          .explanation = "旧い説明\n", .experience = "[]", .levels = lv, .n_levels = 3 };
    ok(store_approval_add(s, &ap, approval_id, &e), &e, "old approval");
    ok(store_assessment_set_status(s, w.assessment, ASSESSMENT_APPROVED, "hr", &e), &e, "approved");
    assert_int_equal(store_schema_version(s), 13);
    store_close(s);
    /* agreements as schema 9 to 14 keep them: a row each */
    char sql[600];
    snprintf(sql, sizeof sql,
             "INSERT INTO review_agreement (assessment_id, element_id, agreed_by, agreed_at) VALUES "
             "(%lld, 'CS.HW.UEA.K01.02', 'mgr', '2026-05-01T00:00:00Z'), "
             "(%lld, 'CS.HW.L1.responsibility', 'hr', '2026-05-03T00:00:00Z'), "
             "(%lld, 'CS.HW.UEA.K01.01', 'mgr', '2026-05-02T00:00:00Z')",
             (long long)w.assessment, (long long)w.assessment, (long long)w.assessment);
    raw_exec(f, sql);
}

static void test_migrates_old_approval(void **state)
{
    fixture *f = *state;
    int64_t id = 0;
    make_v13(f, &id);
    /* A migration 14 that fails half way leaves the database at 13, as it was. */
    const store_driver *full = f->pg ? &store_pg_driver : &store_sqlite_driver;
    const char *migrations[64];
    assert_true(full->n_migrations <= 64);
    for (size_t i = 0; i < full->n_migrations; i++)
        migrations[i] = full->migrations[i];
    size_t len = strlen(full->migrations[13]);
    char *broken = malloc(len + 64);
    snprintf(broken, len + 64, "%sINSERT INTO no_such_table VALUES (1);", full->migrations[13]);
    migrations[13] = broken;
    store_driver half = *full;
    half.migrations = migrations;
    half.n_migrations = 14;
    err e = { 0 };
    assert_null(store_open_driver(&half, f->path, 0, &e));
    free(broken);
    store_driver v13 = *full;
    v13.n_migrations = 13;
    store *s = store_open_driver(&v13, f->path, 0, &e);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), 13);
    store_close(s);

    s = store_open(f->path, 0, &e);
    assert_non_null(s);
    assert_int_equal(store_schema_version(s), store_schema_latest(s));
    assert_true(store_schema_latest(s) >= 15);
    store_approval ap;
    assert_int_equal(store_approval_get(s, id, &ap, &e), 1);
    /* the agreements, one row per element before 15, one per assessment now: the same list */
    store_agreement_list agreed;
    ok(store_agreement_list_assessment(s, ap.assessment_id, &agreed, &e), &e, "agreements");
    assert_int_equal(agreed.count, 3);
    assert_string_equal(agreed.element_ids[0], "CS.HW.L1.responsibility");
    assert_string_equal(agreed.element_ids[1], "CS.HW.UEA.K01.01");
    assert_string_equal(agreed.element_ids[2], "CS.HW.UEA.K01.02");
    store_agreement_list_free(&agreed);
    assert_int_equal(ap.answers_through, 0);
    assert_int_equal(ap.n_levels, 3);
    assert_int_equal(ap.levels[1].level, 3);
    store_approval_basis b;
    assert_int_equal(store_approval_basis_get(s, id, &b, &e), 0);
    char *result, *explanation;
    ok(review_approval_frozen(s, cat, &ap, &result, &explanation, &e), &e, "frozen");
    assert_string_equal(result, "{\"old\":\"結果\"}");
    assert_string_equal(explanation, "旧い説明\n");
    free(result);
    free(explanation);
    store_approval_clear(&ap);
    store_close(s);
}

static int run_on_postgresql(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_frozen_after_changes, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_digest_mismatch_reported, setup_pg, teardown_pg),
        cmocka_unit_test_setup_teardown(test_migrates_old_approval, setup_pg, teardown_pg),
    };
    return cmocka_run_group_tests_name("test_approval_frozen on PostgreSQL", tests, NULL, NULL);
}

int main(void)
{
    cat = catalog_load_builtin(NULL);
    pol = policy_load_builtin(NULL);
    if (!cat || !pol)
        return 1;
    int rc;
    if (getenv("ITSS_TEST_PG_URL") && getenv("ITSS_TEST_PG_URL")[0]) {
        rc = run_on_postgresql();
    } else {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_frozen_after_changes, setup, teardown),
            cmocka_unit_test_setup_teardown(test_digest_mismatch_reported, setup, teardown),
            cmocka_unit_test_setup_teardown(test_migrates_old_approval, setup, teardown),
        };
        rc = cmocka_run_group_tests(tests, NULL, NULL);
    }
    catalog_free(cat);
    policy_free(pol);
    return rc;
}
