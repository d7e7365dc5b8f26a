/* test_results_cache.c - the results pages keep each assessment loaded and
 * evaluated, and each chart drawn, between requests (web_results.c with the
 * bounded cache of web_cache.c), and a user still sees every change at once:
 * an answer, a manager's rating, an experience record, the status, a comment,
 * a new name of the person or of the cycle, on the page and in the API, the
 * assessment shown and the older ones in the history. Changes are made through
 * a store connection of their own, as another request or the command line
 * would make them, after the page was asked for twice (so it was kept).
 *
 * What makes that work is tested here too: the store's change counter
 * (store_assessment.revision) moves with every such change and with nothing
 * else, a read transaction sees one state of the database, and the cache
 * itself lends, keeps, evicts and frees as web_cache.h says, also under
 * threads.
 *
 * The organization: unit CS1 with mina (manager) and alice (engineer); bob in
 * CS2. alice has assessments in 2025年度 (HW levels 1-2 met) and 2026年度 (HW
 * levels 1-3 met, proficiency up to 3), and one successful experience record
 * at level 3. The level the page must show is always asked of the engine
 * itself, over the assessment as the store has it then. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "catalog.h"
#include "engine.h"
#include "html.h"
#include "policy.h"
#include "store.h"
#include "web.h"
#include "web_client.h"
#include "web_auth.h"
#include "web_cache.h"

/* ---- The fixture ----------------------------------------------------------------- */

static char dir[64];
static char db_path[128];
static catalog *cat;
static policy *pol;
static store *db;
static web_app *app;

static int64_t unit_cs1, unit_cs2;
static int64_t p_mina, p_alice, p_bob;
static int64_t cycle_2025, cycle_2026;
static int64_t a_2025, a_2026, a_bob;
static int64_t x_record;              /* alice's experience record */

typedef struct session {
    const char *login;
    char cookie[160];
    char csrf[ACCOUNT_TOKEN_SIZE];
} session;

static session s_mina = { .login = "mina" }, s_alice = { .login = "alice" };

static void must(int rc, const err *e, const char *what)
{
    if (rc < 0)
        fail_msg("%s: %s", what, e->message);
}

/* Adds a user of role for person and a live session of theirs. */
static void add_user(session *s, const char *role, int64_t person)
{
    err e = { 0 };
    store_user u = { 0 };
    u.login = (char *)s->login;
    u.role = (char *)role;
    u.password_hash = "not-a-real-hash";
    u.person_id = person;
    int64_t id;
    must(store_user_add(db, &u, &id, &e), &e, "store_user_add");
    char token[ACCOUNT_TOKEN_SIZE], hash[ACCOUNT_TOKEN_HASH_SIZE], now[32];
    account_token_new("", token);
    account_token_hash(token, hash);
    account_token_new("", s->csrf);
    web_auth_moment(time(NULL), now);
    must(store_session_add(db, hash, id, s->csrf, now, &e), &e, "store_session_add");
    snprintf(s->cookie, sizeof s->cookie, WEB_SESSION_COOKIE "=%s", token);
}

static int64_t add_person(const char *number, const char *name, int64_t unit, int64_t manager)
{
    err e = { 0 };
    store_person p = { 0 };
    p.employee_number = (char *)number;
    p.name = (char *)name;
    p.org_unit_id = unit;
    p.manager_id = manager;
    int64_t id;
    must(store_person_add(db, &p, &id, &e), &e, "store_person_add");
    return id;
}

static void answer_as(int64_t assessment_id, const char *element, assessment_rater rater, int value)
{
    err e = { 0 };
    assessment_answer x = { .element_id = (char *)element, .rater = rater, .value = value };
    must(store_answer_save(db, assessment_id, &x, "test", &e), &e, element);
}

static void answer(int64_t assessment_id, const char *element, int value)
{
    answer_as(assessment_id, element, RATER_SELF, value);
}

static const catalog_level *hw_level(int level)
{
    const catalog_level *lv = catalog_level_of(cat, catalog_spec_find(cat, "HW"), level);
    assert_non_null(lv);
    return lv;
}

/* Marks every achievement item of HW levels lo..hi met in assessment id. */
static void meet_levels(int64_t id, int lo, int hi)
{
    for (int l = lo; l <= hi; l++) {
        const catalog_level *lv = hw_level(l);
        answer(id, lv->responsibility.id, 1);
        for (int k = 0; k < CRITERION_KINDS; k++)
            for (size_t i = 0; i < lv->criteria[k].n_items; i++)
                answer(id, lv->criteria[k].items[i].id, 1);
    }
}

/* The proficiency description of HW's first skill area at level l, or NULL. */
static const catalog_proficiency *first_area_step(int l)
{
    const catalog_spec_area *sa =
        catalog_spec_area_of(cat, catalog_spec_find(cat, "HW"), catalog_area_at(cat, 0), l);
    return sa ? catalog_proficiency_at(sa, l) : NULL;
}

/* Proficiency met up to level hi in every HW skill area that has it. */
static void meet_proficiency(int64_t id, int hi)
{
    const catalog_spec *hw = catalog_spec_find(cat, "HW");
    for (size_t a = 0; a < catalog_area_count(cat); a++)
        for (int l = 1; l <= hi; l++) {
            const catalog_spec_area *sa = catalog_spec_area_of(cat, hw, catalog_area_at(cat, a), l);
            const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, l) : NULL;
            if (p)
                answer(id, p->id, 1);
        }
}

/* The record that carries alice to level 3: successful, or not. */
static assessment_experience record(int succeeded)
{
    assessment_experience x = { .project = "基幹系サーバ保守", .period_from = "2024-04", .period_to = "2025-03",
                                .specialization_id = "CS.HW", .level = 3, .succeeded = succeeded };
    return x;
}

static int setup(void **state)
{
    (void)state;
    err e = { 0 };
    snprintf(dir, sizeof dir, "/tmp/itss-test-cache-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/cache.db", dir);
    cat = catalog_load_builtin(NULL);
    pol = policy_load_builtin(NULL);
    db = store_open(db_path, STORE_CREATE, &e);
    if (!cat || !pol || !db)
        return -1;
    must(store_catalog_use(db, catalog_id(cat), catalog_version(cat), catalog_title(cat), &e), &e, "catalog");
    must(store_org_add(db, "CS1", "第一カスタマサービス部", 0, &unit_cs1, &e), &e, "org");
    must(store_org_add(db, "CS2", "第二カスタマサービス部", 0, &unit_cs2, &e), &e, "org");
    p_mina = add_person("E100", "森 美奈", unit_cs1, 0);
    p_alice = add_person("E101", "有田 愛", unit_cs1, p_mina);
    p_bob = add_person("E102", "坂本 勉", unit_cs2, 0);
    add_user(&s_mina, "manager", p_mina);
    add_user(&s_alice, "engineer", p_alice);

    must(store_cycle_add(db, "2025年度", "2025-04-01", "2026-03-31", &cycle_2025, &e), &e, "cycle");
    must(store_cycle_add(db, "2026年度", "2026-04-01", "2027-03-31", &cycle_2026, &e), &e, "cycle");
    must(store_assessment_create(db, p_alice, cycle_2025, catalog_id(cat), catalog_version(cat), "alice", &a_2025,
                                 &e), &e, "assessment");
    must(store_assessment_create(db, p_alice, cycle_2026, catalog_id(cat), catalog_version(cat), "alice", &a_2026,
                                 &e), &e, "assessment");
    must(store_assessment_create(db, p_bob, cycle_2026, catalog_id(cat), catalog_version(cat), "bob", &a_bob, &e),
         &e, "assessment");
    assessment_experience x = record(1);
    must(store_experience_add(db, p_alice, &x, &x_record, &e), &e, "experience");
    meet_levels(a_2025, 1, 2);
    meet_levels(a_2026, 1, 3);
    meet_proficiency(a_2026, 3);

    web_config c = { .db_path = db_path, .catalog = cat };
    app = web_app_new(&c, &e);
    return app ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    web_app_free(app);
    store_close(db);
    policy_free(pol);
    catalog_free(cat);
    char path[192];
    const char *files[] = { "cache.db", "cache.db-wal", "cache.db-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

/* ---- Requests and what they show --------------------------------------------------- */

/* GET target as s, through the dispatcher of the server. */
static int get(const char *target, const session *s, resp *out)
{
    char headers[512];
    snprintf(headers, sizeof headers, "Cookie: %s\r\n", s->cookie);
    return web_client_request(app, "GET", target, "192.0.2.7", headers, NULL, NULL, 0, out);
}

/* The body of GET target as s, which must answer 200; the caller frees it.
 * Asked twice, so that the second answer comes from what the first kept. */
static char *page(const char *target, const session *s)
{
    resp r;
    assert_int_equal(get(target, s, &r), 200);
    resp_free(&r);
    assert_int_equal(get(target, s, &r), 200);
    char *body = strdup(r.body);
    resp_free(&r);
    return body;
}

/* The levels a results page shows, by the data attributes of its table:
 * "CS.HW=3,..." into out. */
static void page_levels(const char *body, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = body;
    while ((p = strstr(p, "<td data-spec=\"")) != NULL) {
        char spec[32];
        int level;
        if (sscanf(p, "<td data-spec=\"%31[^\"]\" data-level=\"%d\"", spec, &level) == 2)
            snprintf(out + strlen(out), size - strlen(out), "%s=%d,", spec, level);
        p++;
    }
}

/* The levels the engine gives assessment id as the store has it now, by
 * rater, in the same form. */
static void engine_levels(int64_t id, assessment_rater rater, char *out, size_t size)
{
    err e = { 0 };
    assessment *a = NULL;
    assert_int_equal(store_assessment_load(db, id, &a, &e), 1);
    engine_result *res = engine_assess(cat, pol, a, rater);
    assert_non_null(res);
    out[0] = '\0';
    for (size_t i = 0; i < res->n_specs; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s=%d,", res->specs[i].spec->id, res->specs[i].level);
    engine_result_free(res);
    assessment_free(a);
}

/* The levels GET /api/v1/me/results (with query) gives, in the same form, and
 * the answer's JSON (the caller decrefs it). */
static json_t *api_levels(const char *query, const char *field, char *out, size_t size)
{
    char target[256];
    snprintf(target, sizeof target, "/api/v1/me/results%s", query);
    char *body = page(target, &s_alice);
    json_error_t je;
    json_t *o = json_loads(body, 0, &je);
    free(body);
    assert_non_null(o);
    out[0] = '\0';
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(o, "levels"), i, l) {
        json_t *v = json_object_get(l, field);
        snprintf(out + strlen(out), size - strlen(out), "%s=%d,",
                 json_string_value(json_object_get(l, "specialization")),
                 json_is_integer(v) ? (int)json_integer_value(v) : -1);
    }
    return o;
}

/* The page and the API show the self-rated levels the engine gives a_2026 now. */
static void assert_shows_current_levels(void)
{
    char want[512], shown[512], api[512];
    engine_levels(a_2026, RATER_SELF, want, sizeof want);
    char *body = page("/results", &s_alice);
    page_levels(body, shown, sizeof shown);
    free(body);
    assert_string_equal(shown, want);
    json_decref(api_levels("", "level", api, sizeof api));
    assert_string_equal(api, want);
}

static int64_t revision_of(int64_t id)
{
    err e = { 0 };
    store_assessment a;
    assert_int_equal(store_assessment_get(db, id, &a, &e), 1);
    int64_t rev = a.revision;
    store_assessment_clear(&a);
    return rev;
}

/* ---- The store's change counter ------------------------------------------------------ */

/* Revisions of alice's two assessments and bob's, before and after a change. */
typedef struct revs {
    int64_t a25, a26, bob;
} revs;

static revs revisions(void)
{
    revs r = { revision_of(a_2025), revision_of(a_2026), revision_of(a_bob) };
    return r;
}

/* Asserts which of the three moved since before. */
static void assert_moved(revs before, int a25, int a26, int bob, const char *what)
{
    revs now = revisions();
    if ((now.a25 != before.a25) != a25 || (now.a26 != before.a26) != a26 || (now.bob != before.bob) != bob)
        fail_msg("%s: 2025 %lld->%lld, 2026 %lld->%lld, bob %lld->%lld; expected moves %d %d %d", what,
                 (long long)before.a25, (long long)now.a25, (long long)before.a26, (long long)now.a26,
                 (long long)before.bob, (long long)now.bob, a25, a26, bob);
}

static void test_revision_moves_with_every_change(void **state)
{
    (void)state;
    err e = { 0 };
    const char *item = hw_level(3)->criteria[CRITERION_COMPLEXITY].items[0].id;

    revs r = revisions();
    answer(a_2026, item, 0);
    assert_moved(r, 0, 1, 0, "an answer changed");
    r = revisions();
    answer(a_2026, item, 0);
    assert_moved(r, 0, 0, 0, "an answer saved as it was");
    r = revisions();
    answer(a_2026, item, 1);
    assert_moved(r, 0, 1, 0, "an answer changed back");

    r = revisions();
    answer_as(a_2026, item, RATER_MANAGER, 1);
    assert_moved(r, 0, 1, 0, "a manager's rating");
    r = revisions();
    must(store_answer_delete(db, a_2026, item, RATER_MANAGER, "test", &e), &e, "answer delete");
    assert_moved(r, 0, 1, 0, "an answer removed");

    r = revisions();
    assessment *all = NULL;
    assert_int_equal(store_assessment_load(db, a_2025, &all, &e), 1);
    assessment_set_answer(all, item, RATER_SELF, 1, NULL, 0);
    must(store_assessment_save_answers(db, a_2025, all, "test", &e), &e, "save answers");
    assert_moved(r, 1, 0, 0, "answers saved together");
    r = revisions();
    assessment_remove_answer(all, item, RATER_SELF);
    must(store_assessment_save_answers(db, a_2025, all, "test", &e), &e, "save answers");
    assessment_free(all);
    assert_moved(r, 1, 0, 0, "answers saved together, one fewer");

    r = revisions();
    must(store_assessment_set_status(db, a_2026, ASSESSMENT_SUBMITTED, "test", &e), &e, "status");
    assert_moved(r, 0, 1, 0, "the status");
    must(store_assessment_set_status(db, a_2026, ASSESSMENT_DRAFT, "test", &e), &e, "status");

    r = revisions();
    must(store_comment_add(db, a_2026, "mina", COMMENT_NOTE, "見ました", NULL, &e), &e, "comment");
    assert_moved(r, 0, 1, 0, "a comment");
    r = revisions();
    assert_int_equal(store_comment_add(db, 999999, "mina", COMMENT_NOTE, "誰の？", NULL, &e), -1);
    assert_moved(r, 0, 0, 0, "a comment refused");

    /* The person's experience records and contributions are in every assessment of theirs. */
    r = revisions();
    assessment_experience x = record(1);
    x.project = "追加の案件";
    int64_t extra;
    must(store_experience_add(db, p_alice, &x, &extra, &e), &e, "experience add");
    assert_moved(r, 1, 1, 0, "an experience record added");
    r = revisions();
    x.level = 2;
    must(store_experience_edit(db, extra, &x, &e), &e, "experience edit");
    assert_moved(r, 1, 1, 0, "an experience record changed");
    r = revisions();
    must(store_experience_delete(db, extra, "test", &e), &e, "experience delete");
    assert_moved(r, 1, 1, 0, "an experience record deleted");

    r = revisions();
    assessment_contribution c = { .kind = CONTRIBUTION_MENTORING, .title = "新人指導" };
    int64_t contribution;
    must(store_contribution_add(db, p_alice, &c, &contribution, &e), &e, "contribution add");
    assert_moved(r, 1, 1, 0, "a contribution added");
    r = revisions();
    c.title = "新人指導（二名）";
    must(store_contribution_edit(db, contribution, &c, &e), &e, "contribution edit");
    assert_moved(r, 1, 1, 0, "a contribution changed");
    r = revisions();
    must(store_contribution_delete(db, contribution, &e), &e, "contribution delete");
    assert_moved(r, 1, 1, 0, "a contribution deleted");

    /* Names a loaded assessment carries: the person's, the cycle's. */
    r = revisions();
    store_person p;
    assert_int_equal(store_person_get(db, p_bob, &p, &e), 1);
    must(store_person_edit(db, &p, &e), &e, "person edit");
    store_person_clear(&p);
    assert_moved(r, 0, 0, 1, "bob's person saved");
    r = revisions();
    must(store_cycle_edit(db, cycle_2025, "2025年度", "2025-04-01", "2026-03-31", &e), &e, "cycle edit");
    assert_moved(r, 1, 0, 0, "the 2025 cycle saved");

    /* What an assessment does not show moves nothing. */
    r = revisions();
    must(store_result_put(db, a_2026, "test@1", "CS.HW", 3, NULL, &e), &e, "result put");
    must(store_meta_set(db, "test", "1", &e), &e, "meta");
    assert_moved(r, 0, 0, 0, "the results cache and a setting");
}

static void test_read_transaction_sees_one_state(void **state)
{
    (void)state;
    err e = { 0 };
    store *other = store_open(db_path, 0, &e);
    assert_non_null(other);
    const char *item = hw_level(3)->criteria[CRITERION_SIZE].items[0].id;

    must(store_begin_read(other, &e), &e, "begin read");
    assert_int_equal(store_depth(other), 1);
    store_assessment a;
    assert_int_equal(store_assessment_get(other, a_2026, &a, &e), 1);
    int64_t seen = a.revision;
    store_assessment_clear(&a);

    answer(a_2026, item, 0);                 /* committed by another connection meanwhile */
    assert_int_equal(store_assessment_get(other, a_2026, &a, &e), 1);
    assert_int_equal(a.revision, seen);      /* still the state of the first read */
    store_assessment_clear(&a);
    assessment *loaded = NULL;
    assert_int_equal(store_assessment_load(other, a_2026, &loaded, &e), 1);
    assert_int_equal(assessment_get_answer(loaded, item, RATER_SELF)->value, 1);
    assessment_free(loaded);
    must(store_commit(other, &e), &e, "commit");
    assert_int_equal(store_depth(other), 0);

    assert_int_equal(store_assessment_get(other, a_2026, &a, &e), 1);
    assert_true(a.revision > seen);          /* after it: the change */
    store_assessment_clear(&a);

    /* Inside a transaction already open it is a savepoint. */
    must(store_begin(other, &e), &e, "begin");
    must(store_begin_read(other, &e), &e, "begin read inside");
    assert_int_equal(store_depth(other), 2);
    must(store_commit(other, &e), &e, "release");
    must(store_commit(other, &e), &e, "commit");
    store_close(other);
    answer(a_2026, item, 1);
}

/* ---- The pages show every change at once ---------------------------------------------- */

static void test_answers_show_at_once(void **state)
{
    (void)state;
    char before[512], after[512];
    assert_shows_current_levels();
    engine_levels(a_2026, RATER_SELF, before, sizeof before);

    /* HW's level-3 complexity items taken back: the level falls, on the page
     * and in the API; and comes back with them. */
    const catalog_criterion *complexity = &hw_level(3)->criteria[CRITERION_COMPLEXITY];
    for (size_t i = 0; i < complexity->n_items; i++)
        answer(a_2026, complexity->items[i].id, 0);
    engine_levels(a_2026, RATER_SELF, after, sizeof after);
    assert_string_not_equal(before, after);
    assert_shows_current_levels();
    for (size_t i = 0; i < complexity->n_items; i++)
        answer(a_2026, complexity->items[i].id, 1);
    assert_shows_current_levels();
    engine_levels(a_2026, RATER_SELF, after, sizeof after);
    assert_string_equal(before, after);

    /* The manager's rating: a column of its own on the page, the manager's
     * levels in the API. */
    char *body = page("/results", &s_alice);
    assert_null(strstr(body, "上司の評価によるレベル"));
    free(body);
    char want[512], api[512];
    json_decref(api_levels("", "manager_level", api, sizeof api));
    assert_null(strstr(api, "=0,"));                  /* null: none yet */
    answer_as(a_2026, hw_level(1)->responsibility.id, RATER_MANAGER, 1);
    body = page("/results", &s_alice);
    assert_non_null(strstr(body, "上司の評価によるレベル"));
    free(body);
    engine_levels(a_2026, RATER_MANAGER, want, sizeof want);
    json_decref(api_levels("", "manager_level", api, sizeof api));
    assert_string_equal(api, want);
    err e = { 0 };
    must(store_answer_delete(db, a_2026, hw_level(1)->responsibility.id, RATER_MANAGER, "test", &e), &e, "delete");
    body = page("/results", &s_alice);
    assert_null(strstr(body, "上司の評価によるレベル"));
    free(body);
}

static void test_experience_records_show_at_once(void **state)
{
    (void)state;
    err e = { 0 };
    char before[512], after[512];
    assert_shows_current_levels();
    engine_levels(a_2026, RATER_SELF, before, sizeof before);
    char *page_before = page("/results?spec=HW", &s_alice);

    /* The record that carries level 3 did not succeed after all. */
    assessment_experience x = record(0);
    must(store_experience_edit(db, x_record, &x, &e), &e, "experience edit");
    engine_levels(a_2026, RATER_SELF, after, sizeof after);
    assert_string_not_equal(before, after);
    assert_shows_current_levels();
    char *page_after = page("/results?spec=HW", &s_alice);
    assert_string_not_equal(page_before, page_after);
    free(page_after);

    /* Gone altogether, then back as it was. */
    must(store_experience_delete(db, x_record, "test", &e), &e, "experience delete");
    assert_shows_current_levels();
    x = record(1);
    must(store_experience_add(db, p_alice, &x, &x_record, &e), &e, "experience add");
    assert_shows_current_levels();
    engine_levels(a_2026, RATER_SELF, after, sizeof after);
    assert_string_equal(before, after);
    free(page_before);
}

static void test_status_and_comments_show_at_once(void **state)
{
    (void)state;
    err e = { 0 };
    char *body = page("/results", &s_alice);
    assert_null(strstr(body, "<span class=\"badge submitted\">"));
    free(body);

    must(store_assessment_set_status(db, a_2026, ASSESSMENT_SUBMITTED, "alice", &e), &e, "status");
    body = page("/results", &s_alice);
    assert_non_null(strstr(body, "<span class=\"badge submitted\">"));
    free(body);
    char levels[512];
    json_t *o = api_levels("", "level", levels, sizeof levels);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "assessment"), "status")),
                        "submitted");
    json_decref(o);

    must(store_comment_add(db, a_2026, "mina", COMMENT_RETURN, "実績の証跡を添えてください", NULL, &e), &e,
         "comment");
    must(store_assessment_set_status(db, a_2026, ASSESSMENT_RETURNED, "mina", &e), &e, "status");
    body = page("/results", &s_alice);
    assert_non_null(strstr(body, "実績の証跡を添えてください"));
    assert_non_null(strstr(body, "<span class=\"badge returned\">"));
    free(body);
    /* The manager's view of the same person, as fresh. */
    char path[64];
    snprintf(path, sizeof path, "/people/%lld/results", (long long)p_alice);
    body = page(path, &s_mina);
    assert_non_null(strstr(body, "実績の証跡を添えてください"));
    free(body);
    must(store_assessment_set_status(db, a_2026, ASSESSMENT_DRAFT, "alice", &e), &e, "status");
}

static void test_names_show_at_once(void **state)
{
    (void)state;
    err e = { 0 };
    char levels[512];
    json_decref(api_levels("", "level", levels, sizeof levels));

    /* The person's new name, in the API's evaluation (it comes with the loaded assessment). */
    store_person p;
    assert_int_equal(store_person_get(db, p_alice, &p, &e), 1);
    char *old_name = p.name;
    p.name = "有田 愛子";
    must(store_person_edit(db, &p, &e), &e, "person edit");
    json_t *o = api_levels("", "level", levels, sizeof levels);
    assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(o, "evaluation"),
                                                                          "person"), "name")), "有田 愛子");
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "person"), "name")), "有田 愛子");
    json_decref(o);
    p.name = old_name;
    must(store_person_edit(db, &p, &e), &e, "person edit");
    store_person_clear(&p);

    /* The cycle's new name, in the evaluation and in the page's history. */
    must(store_cycle_edit(db, cycle_2026, "2026年度（上期）", "2026-04-01", "2027-03-31", &e), &e, "cycle");
    o = api_levels("", "level", levels, sizeof levels);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "evaluation"), "cycle")),
                        "2026年度（上期）");
    json_decref(o);
    char *body = page("/results", &s_alice);
    assert_non_null(strstr(body, "2026年度（上期）"));
    free(body);
    must(store_cycle_edit(db, cycle_2026, "2026年度", "2026-04-01", "2027-03-31", &e), &e, "cycle");
}

/* The level of 2025年度 in the API's history, by specialization, in the same
 * form as engine_levels. */
static void history_levels(const json_t *o, const char *cycle, char *out, size_t size)
{
    out[0] = '\0';
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(o, "history"), i, row) {
        if (strcmp(json_string_value(json_object_get(row, "cycle")), cycle) != 0)
            continue;
        for (size_t j = 0; j < catalog_spec_count(cat); j++) {
            const char *id = catalog_spec_at(cat, j)->id;
            snprintf(out + strlen(out), size - strlen(out), "%s=%d,", id,
                     (int)json_integer_value(json_object_get(json_object_get(row, "levels"), id)));
        }
    }
}

static void test_history_and_charts_follow_changes(void **state)
{
    (void)state;
    char levels[512], want[512], shown[512];

    /* An older assessment, seen only in the history. */
    json_t *o = api_levels("", "level", levels, sizeof levels);
    engine_levels(a_2025, RATER_SELF, want, sizeof want);
    history_levels(o, "2025年度", shown, sizeof shown);
    json_decref(o);
    assert_string_equal(shown, want);
    meet_levels(a_2025, 3, 3);
    char now[512];
    engine_levels(a_2025, RATER_SELF, now, sizeof now);
    assert_string_not_equal(want, now);
    o = api_levels("", "level", levels, sizeof levels);
    history_levels(o, "2025年度", shown, sizeof shown);
    json_decref(o);
    assert_string_equal(shown, now);

    /* The radar: one proficiency step less in the first skill area redraws it,
     * and the step back gives the very chart of before. */
    const catalog_proficiency *step = first_area_step(3);
    assert_non_null(step);
    char *body = page("/results?spec=HW", &s_alice);
    char *radar = strndup(strstr(body, "<figure class=\"chart radar\">"),
                          (size_t)(strstr(body, "</figure>") - strstr(body, "<figure class=\"chart radar\">")));
    free(body);
    answer(a_2026, step->id, 0);
    body = page("/results?spec=HW", &s_alice);
    const char *fig = strstr(body, "<figure class=\"chart radar\">");
    assert_non_null(fig);
    assert_false(strncmp(fig, radar, strlen(radar)) == 0);
    free(body);
    answer(a_2026, step->id, 1);
    body = page("/results?spec=HW", &s_alice);
    fig = strstr(body, "<figure class=\"chart radar\">");
    assert_true(strncmp(fig, radar, strlen(radar)) == 0);
    free(body);
    free(radar);
}

/* ---- The cache itself ------------------------------------------------------------------ */

static int released;

/* A value that counts its release. */
static void count_release(void *p)
{
    free(p);
    __atomic_add_fetch(&released, 1, __ATOMIC_SEQ_CST);
}

static char *value(const char *s)
{
    return strdup(s);
}

static void test_cache_lends_and_keeps(void **state)
{
    (void)state;
    released = 0;
    web_cache *c = web_cache_new(1 << 20);
    web_cache_ref *ref;
    assert_null(web_cache_get(c, "a", 1, &ref));
    assert_null(ref);
    const char *v = web_cache_put(c, "a", 1, value("first"), 6, count_release, &ref);
    assert_string_equal(v, "first");
    web_cache_return(ref);
    v = web_cache_get(c, "a", 1, &ref);
    assert_non_null(v);
    assert_string_equal(v, "first");
    web_cache_return(ref);
    /* Two threads made the same value: the second is released, the first lent. */
    v = web_cache_put(c, "a", 1, value("second"), 7, count_release, &ref);
    assert_string_equal(v, "first");
    assert_int_equal(released, 1);
    web_cache_return(ref);
    /* Keys are bytes: "ab" and "a" differ, and so do keys with a NUL inside. */
    assert_null(web_cache_get(c, "ab", 2, &ref));
    assert_null(web_cache_get(c, "a\0", 2, &ref));
    web_cache_stats st;
    web_cache_stats_get(c, &st);
    assert_int_equal(st.count, 1);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.misses, 3);
    web_cache_free(c);
    assert_int_equal(released, 2);
}

static void test_cache_evicts_least_recently_used(void **state)
{
    (void)state;
    released = 0;
    web_cache *c = web_cache_new(4096);
    web_cache_ref *ref;
    char key[8];
    for (int i = 0; i < 3; i++) {         /* three of about 1 KB each */
        snprintf(key, sizeof key, "k%d", i);
        web_cache_put(c, key, strlen(key), value(key), 1000, count_release, &ref);
        web_cache_return(ref);
    }
    assert_non_null(web_cache_get(c, "k0", 2, &ref));   /* k0 used again: k1 is the oldest now */
    web_cache_return(ref);
    web_cache_put(c, "k3", 2, value("k3"), 1000, count_release, &ref);
    web_cache_return(ref);
    web_cache_put(c, "k4", 2, value("k4"), 1000, count_release, &ref);
    web_cache_return(ref);
    assert_null(web_cache_get(c, "k1", 2, &ref));
    assert_non_null(web_cache_get(c, "k0", 2, &ref));
    web_cache_return(ref);
    assert_non_null(web_cache_get(c, "k4", 2, &ref));
    web_cache_return(ref);
    web_cache_stats st;
    web_cache_stats_get(c, &st);
    assert_true(st.bytes <= st.budget);
    assert_int_equal(released, (int)st.evictions);
    assert_true(st.evictions >= 1);
    web_cache_free(c);
    assert_int_equal(released, 5);
}

static void test_cache_lent_values_outlive_eviction(void **state)
{
    (void)state;
    released = 0;
    web_cache *c = web_cache_new(3000);    /* room for two values of about 1 KB */
    web_cache_ref *held, *ref;
    const char *v = web_cache_put(c, "held", 4, value("still here"), 1000, count_release, &held);
    web_cache_put(c, "next", 4, value("next"), 1000, count_release, &ref);
    web_cache_return(ref);
    web_cache_put(c, "more", 4, value("more"), 1000, count_release, &ref);   /* pushes "held" out */
    web_cache_return(ref);
    assert_null(web_cache_get(c, "held", 4, &ref));
    assert_int_equal(released, 0);          /* lent: not freed */
    assert_string_equal(v, "still here");
    web_cache_return(held);
    assert_int_equal(released, 1);          /* the last one out freed it */

    /* Bigger than the whole budget: lent once, never kept. */
    v = web_cache_put(c, "huge", 4, value("huge"), 1 << 20, count_release, &ref);
    assert_string_equal(v, "huge");
    web_cache_ref *again;
    assert_null(web_cache_get(c, "huge", 4, &again));
    web_cache_return(ref);
    assert_int_equal(released, 2);
    web_cache_free(c);
    assert_int_equal(released, 4);
}

/* Many threads getting and putting over a small budget. */
static void *hammer(void *arg)
{
    web_cache *c = arg;
    unsigned seed = (unsigned)(uintptr_t)pthread_self();
    for (int i = 0; i < 20000; i++) {
        char key[16];
        int k = (int)(rand_r(&seed) % 64);
        snprintf(key, sizeof key, "key%d", k);
        web_cache_ref *ref;
        const char *v = web_cache_get(c, key, strlen(key), &ref);
        if (!v)
            v = web_cache_put(c, key, strlen(key), value(key), 200 + (size_t)k * 10, count_release, &ref);
        if (strcmp(v, key) != 0)
            return (void *)1;
        web_cache_return(ref);
    }
    return NULL;
}

static void test_cache_under_threads(void **state)
{
    (void)state;
    released = 0;
    web_cache *c = web_cache_new(8192);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hammer, c), 0);
    for (int i = 0; i < 4; i++) {
        void *bad;
        pthread_join(t[i], &bad);
        assert_null(bad);
    }
    web_cache_stats st;
    web_cache_stats_get(c, &st);
    assert_true(st.bytes <= st.budget);
    unsigned long long made = st.misses;    /* every miss put one value */
    web_cache_free(c);
    assert_int_equal((unsigned long long)released, made);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);   /* the cycles named here are dated for this day */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revision_moves_with_every_change),
        cmocka_unit_test(test_read_transaction_sees_one_state),
        cmocka_unit_test(test_answers_show_at_once),
        cmocka_unit_test(test_experience_records_show_at_once),
        cmocka_unit_test(test_status_and_comments_show_at_once),
        cmocka_unit_test(test_names_show_at_once),
        cmocka_unit_test(test_history_and_charts_follow_changes),
        cmocka_unit_test(test_cache_lends_and_keeps),
        cmocka_unit_test(test_cache_evicts_least_recently_used),
        cmocka_unit_test(test_cache_lent_values_outlive_eviction),
        cmocka_unit_test(test_cache_under_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
