/* test_engine.c - level determination under the default policy, each threshold at
 * its boundary, on the shipped カスタマサービス catalog and on a second, made-up job
 * category (tests/fixtures/mini-catalog.json) to show nothing is tied to one.
 *
 * Assessments are built from the catalog: "meet level L" answers 責任性 and the
 * first n items of each checklist of that level as the test says, so the tests
 * follow the catalog rather than hard-coded counts. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "explain.h"
#include "policy.h"

static catalog *cs;        /* catalog/customer-service.json */
static catalog *mini;      /* tests/fixtures/mini-catalog.json */
static policy *dflt;       /* the built-in default policy */

static catalog *load_catalog(const char *path)
{
    err_list errs;
    memset(&errs, 0, sizeof errs);
    catalog *c = catalog_load_file(path, &errs);
    if (!c) {
        char line[1200] = "(no error)";
        if (errs.count)
            err_format(&errs.items[0], line, sizeof line);
        fprintf(stderr, "cannot load %s: %s\n", path, line);
    }
    return c;
}

static int setup(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    cs = load_catalog("catalog/customer-service.json");
    mini = load_catalog("tests/fixtures/mini-catalog.json");
    dflt = policy_load_builtin(&errs);
    return cs && mini && dflt ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    catalog_free(cs);
    catalog_free(mini);
    policy_free(dflt);
    return 0;
}

static const catalog_spec *spec_of(const catalog *c, const char *code)
{
    const catalog_spec *s = catalog_spec_find(c, code);
    if (!s)
        fail_msg("no specialization %s", code);
    return s;
}

static const catalog_level *level_of(const catalog *c, const char *code, int level)
{
    const catalog_level *l = catalog_level_of(c, spec_of(c, code), level);
    if (!l)
        fail_msg("%s has no level %d", code, level);
    return l;
}

/* Answers level `level` of spec `code`: 責任性 as resp, the first n[k] items of
 * checklist k met and the rest not met (n[k] < 0: every item met). */
static void answer_level(assessment *a, const catalog *c, const char *code, int level, int resp,
                         int n_complexity, int n_size, int n_task)
{
    const catalog_level *l = level_of(c, code, level);
    int n[CRITERION_KINDS] = { n_complexity, n_size, n_task };
    assessment_set_answer(a, l->responsibility.id, RATER_SELF, resp, NULL, 0);
    for (int k = 0; k < CRITERION_KINDS; k++)
        for (size_t i = 0; i < l->criteria[k].n_items; i++)
            assessment_set_answer(a, l->criteria[k].items[i].id, RATER_SELF,
                                  n[k] < 0 || (int)i < n[k], NULL, 0);
}

/* Answers every level from `from` to `to` of spec `code` fully met. */
static void meet_levels(assessment *a, const catalog *c, const char *code, int from, int to)
{
    for (int l = from; l <= to; l++)
        answer_level(a, c, code, l, 1, -1, -1, -1);
}

/* Adds an experience record of spec `code` claimed at level. */
static void add_record(assessment *a, const catalog *c, const char *code, int level, int succeeded)
{
    char id[32];
    snprintf(id, sizeof id, "r%zu", a->n_experience + 1);
    assessment_experience x;
    memset(&x, 0, sizeof x);
    x.id = id;
    x.project = "テスト案件";
    x.period_from = "2020-04";
    x.specialization_id = (char *)spec_of(c, code)->id;
    x.level = level;
    x.succeeded = succeeded;
    assessment_add_experience(a, &x);
}

static assessment *new_cs(void)
{
    return assessment_new("E0001", "試験 太郎", "2026年度", catalog_id(cs), catalog_version(cs));
}

/* Evaluates a under the default policy; the caller frees the result. */
static engine_result *eval(const catalog *c, const assessment *a)
{
    return engine_assess(c, dflt, a, RATER_SELF);
}

static const engine_spec *spec_result(const engine_result *r, const catalog *c, const char *code)
{
    const engine_spec *s = engine_result_spec(r, spec_of(c, code)->id);
    assert_non_null(s);
    return s;
}

static const engine_level *level_result(const engine_spec *s, int level)
{
    for (size_t i = 0; i < s->n_levels; i++)
        if (s->levels[i].level == level)
            return &s->levels[i];
    fail_msg("no level %d in the result of %s", level, s->spec->id);
    return NULL;
}

/* HW with levels 1..4 fully answered and `records` successful records at level 4. */
static assessment *hw_level4(int records)
{
    assessment *a = new_cs();
    meet_levels(a, cs, "HW", 1, 4);
    for (int i = 0; i < records; i++)
        add_record(a, cs, "HW", 4, 1);
    return a;
}

/* ---- 複雑性: at least 2 ---- */

static void test_complexity_two_items_meet(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    answer_level(a, cs, "HW", 4, 1, 2, -1, -1);
    engine_result *r = eval(cs, a);
    const engine_spec *hw = spec_result(r, cs, "HW");
    const engine_criterion *cx = &level_result(hw, 4)->criteria[ENGINE_COMPLEXITY];
    assert_int_equal(cx->required, 2);
    assert_int_equal(cx->count, 2);
    assert_true(cx->met);
    assert_int_equal(hw->level, 4);
    engine_result_free(r);
    assessment_free(a);
}

static void test_complexity_one_item_not_enough(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    answer_level(a, cs, "HW", 4, 1, 1, -1, -1);
    engine_result *r = eval(cs, a);
    const engine_spec *hw = spec_result(r, cs, "HW");
    const engine_level *l4 = level_result(hw, 4);
    const engine_criterion *cx = &l4->criteria[ENGINE_COMPLEXITY];
    assert_int_equal(cx->count, 1);
    assert_false(cx->met);
    assert_false(l4->met);
    assert_int_equal(hw->level, 3);
    /* the items missing are the catalog's, with the standard's text */
    const catalog_criterion *def = &level_of(cs, "HW", 4)->criteria[CRITERION_COMPLEXITY];
    assert_int_equal(cx->n_missing, def->n_items - 1);
    assert_string_equal(cx->missing[0]->id, def->items[1].id);
    assert_string_equal(cx->missing[0]->text, def->items[1].text);
    /* and level 4 is the next one, still needing one complexity item */
    assert_ptr_equal(hw->next, l4);
    engine_result_free(r);
    assessment_free(a);
}

/* Where fewer than 2 items are listed, all of them are needed (mini catalog: 1 listed). */
static void test_complexity_fewer_than_two_listed(void **state)
{
    (void)state;
    assessment *a = assessment_new("M1", NULL, NULL, catalog_id(mini), catalog_version(mini));
    meet_levels(a, mini, "OP", 1, 3);
    add_record(a, mini, "OP", 3, 1);
    engine_result *r = eval(mini, a);
    const engine_criterion *cx = &level_result(spec_result(r, mini, "OP"), 3)->criteria[ENGINE_COMPLEXITY];
    assert_int_equal(cx->listed, 1);
    assert_int_equal(cx->required, 1);
    assert_true(cx->met);
    assert_int_equal(spec_result(r, mini, "OP")->level, 3);
    engine_result_free(r);
    answer_level(a, mini, "OP", 3, 1, 0, -1, -1);
    r = eval(mini, a);
    assert_false(level_result(spec_result(r, mini, "OP"), 3)->criteria[ENGINE_COMPLEXITY].met);
    assert_int_equal(spec_result(r, mini, "OP")->level, 2);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- タスク特性: all ---- */

static void test_task_one_missing(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    size_t listed = level_of(cs, "HW", 4)->criteria[CRITERION_TASK].n_items;
    answer_level(a, cs, "HW", 4, 1, -1, -1, (int)listed - 1);
    engine_result *r = eval(cs, a);
    const engine_spec *hw = spec_result(r, cs, "HW");
    const engine_criterion *t = &level_result(hw, 4)->criteria[ENGINE_TASK];
    assert_int_equal(t->required, (int)listed);
    assert_int_equal(t->count, (int)listed - 1);
    assert_false(t->met);
    assert_int_equal(t->n_missing, 1);
    assert_string_equal(t->missing[0]->id, level_of(cs, "HW", 4)->criteria[CRITERION_TASK].items[listed - 1].id);
    assert_int_equal(hw->level, 3);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- サイズ: at least 1, none needed where none listed ---- */

static void test_size_none_listed_at_levels_1_2(void **state)
{
    (void)state;
    assessment *a = new_cs();
    meet_levels(a, cs, "HW", 1, 2);
    add_record(a, cs, "HW", 2, 1);
    engine_result *r = eval(cs, a);
    const engine_spec *hw = spec_result(r, cs, "HW");
    for (int l = 1; l <= 2; l++) {
        const engine_criterion *sz = &level_result(hw, l)->criteria[ENGINE_SIZE];
        assert_int_equal(sz->listed, 0);
        assert_int_equal(sz->required, 0);
        assert_true(sz->met);
    }
    assert_int_equal(hw->level, 2);
    engine_result_free(r);
    assessment_free(a);
}

static void test_size_one_of_listed(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    answer_level(a, cs, "HW", 4, 1, -1, 1, -1);
    engine_result *r = eval(cs, a);
    const engine_criterion *sz = &level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_SIZE];
    assert_int_equal(sz->required, 1);
    assert_true(sz->met);
    engine_result_free(r);
    answer_level(a, cs, "HW", 4, 1, -1, 0, -1);
    r = eval(cs, a);
    sz = &level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_SIZE];
    assert_int_equal(sz->count, 0);
    assert_false(sz->met);
    assert_int_equal(spec_result(r, cs, "HW")->level, 3);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- 責任性 ---- */

static void test_responsibility_not_met(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    answer_level(a, cs, "HW", 4, 0, -1, -1, -1);
    engine_result *r = eval(cs, a);
    const engine_criterion *resp = &level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_RESPONSIBILITY];
    assert_false(resp->met);
    assert_int_equal(resp->n_missing, 1);
    assert_string_equal(resp->missing[0]->text, level_of(cs, "HW", 4)->responsibility.text);
    assert_int_equal(spec_result(r, cs, "HW")->level, 3);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- experience ---- */

static void test_records_two_vs_one_at_level4(void **state)
{
    (void)state;
    assessment *a = hw_level4(1);
    engine_result *r = eval(cs, a);
    const engine_criterion *x = &level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_EXPERIENCE];
    assert_int_equal(x->required, 2);
    assert_int_equal(x->count, 1);
    assert_false(x->met);
    assert_int_equal(spec_result(r, cs, "HW")->level, 3);
    engine_result_free(r);

    add_record(a, cs, "HW", 4, 1);
    r = eval(cs, a);
    x = &level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_EXPERIENCE];
    assert_int_equal(x->count, 2);
    assert_true(x->met);
    assert_int_equal(spec_result(r, cs, "HW")->level, 4);
    engine_result_free(r);
    assessment_free(a);
}

static void test_records_only_at_lower_level(void **state)
{
    (void)state;
    assessment *a = new_cs();
    meet_levels(a, cs, "HW", 1, 4);
    add_record(a, cs, "HW", 3, 1);
    add_record(a, cs, "HW", 3, 1);
    engine_result *r = eval(cs, a);
    const engine_criterion *x = &level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_EXPERIENCE];
    assert_int_equal(x->count, 2);       /* enough records... */
    assert_int_equal(x->at_level, 0);    /* ...but none at level 4 or higher */
    assert_int_equal(x->at_level_required, 1);
    assert_false(x->met);
    assert_int_equal(spec_result(r, cs, "HW")->level, 3);
    engine_result_free(r);

    /* a record at a higher level counts for level 4 */
    add_record(a, cs, "HW", 5, 1);
    r = eval(cs, a);
    assert_int_equal(spec_result(r, cs, "HW")->level, 4);
    engine_result_free(r);
    assessment_free(a);
}

static void test_failed_records_not_counted(void **state)
{
    (void)state;
    assessment *a = hw_level4(1);
    add_record(a, cs, "HW", 4, 0);
    engine_result *r = eval(cs, a);
    const engine_criterion *x = &level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_EXPERIENCE];
    assert_int_equal(x->count, 1);
    assert_int_equal(x->failed, 1);
    assert_false(x->met);
    assert_int_equal(spec_result(r, cs, "HW")->level, 3);
    engine_result_free(r);
    assessment_free(a);
}

static void test_records_of_another_spec_not_counted(void **state)
{
    (void)state;
    assessment *a = hw_level4(1);
    add_record(a, cs, "SW", 4, 1);
    engine_result *r = eval(cs, a);
    assert_int_equal(level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_EXPERIENCE].count, 1);
    assert_int_equal(spec_result(r, cs, "HW")->level, 3);
    engine_result_free(r);
    assessment_free(a);
}

/* Levels 5-7 need 3 records. */
static void test_records_three_at_level5(void **state)
{
    (void)state;
    assessment *a = new_cs();
    meet_levels(a, cs, "FM", 3, 5);
    add_record(a, cs, "FM", 5, 1);
    add_record(a, cs, "FM", 4, 1);
    engine_result *r = eval(cs, a);
    const engine_criterion *x = &level_result(spec_result(r, cs, "FM"), 5)->criteria[ENGINE_EXPERIENCE];
    assert_int_equal(x->required, 3);
    assert_false(x->met);
    assert_int_equal(spec_result(r, cs, "FM")->level, 4);
    engine_result_free(r);
    add_record(a, cs, "FM", 3, 1);
    r = eval(cs, a);
    assert_int_equal(spec_result(r, cs, "FM")->level, 5);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- common levels, 未到達, warnings ---- */

static void test_common_levels_for_hw_and_sw(void **state)
{
    (void)state;
    assessment *a = new_cs();
    meet_levels(a, cs, "HW", 1, 2);      /* answers CS.HWSW.L1 and L2, shared by SW */
    add_record(a, cs, "HW", 2, 1);
    engine_result *r = eval(cs, a);
    const engine_spec *hw = spec_result(r, cs, "HW"), *sw = spec_result(r, cs, "SW");
    assert_int_equal(hw->level, 2);
    assert_int_equal(hw->level_min, 1);
    assert_true(level_result(hw, 2)->indicators->owner->is_common);
    /* SW shares the answers but has no SW record */
    assert_true(level_result(sw, 2)->criteria[ENGINE_COMPLEXITY].met);
    assert_false(level_result(sw, 2)->criteria[ENGINE_EXPERIENCE].met);
    assert_int_equal(sw->level, 0);
    engine_result_free(r);
    add_record(a, cs, "SW", 1, 1);
    r = eval(cs, a);
    assert_int_equal(spec_result(r, cs, "SW")->level, 1);   /* a level-1 record only reaches level 1 */
    engine_result_free(r);
    assessment_free(a);
}

static void test_fm_below_level3_is_not_reached(void **state)
{
    (void)state;
    assessment *a = new_cs();
    meet_levels(a, cs, "HW", 1, 2);      /* common levels do not apply to FM */
    answer_level(a, cs, "FM", 3, 1, -1, -1, 1);
    add_record(a, cs, "FM", 3, 1);
    engine_result *r = eval(cs, a);
    const engine_spec *fm = spec_result(r, cs, "FM");
    assert_int_equal(fm->level_min, 3);
    assert_int_equal(fm->levels[0].level, 3);
    assert_false(fm->levels[0].met);
    assert_int_equal(fm->level, 0);
    assert_null(fm->reached);
    assert_ptr_equal(fm->next, &fm->levels[0]);
    engine_result_free(r);
    assessment_free(a);
}

static void test_lower_level_unmet_is_a_warning(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    answer_level(a, cs, "HW", 3, 1, -1, -1, 0);    /* level 3: no タスク特性 */
    engine_result *r = eval(cs, a);
    const engine_spec *hw = spec_result(r, cs, "HW");
    assert_false(level_result(hw, 3)->met);
    assert_int_equal(hw->level, 4);
    assert_int_equal(hw->n_unmet_below, 1);
    assert_int_equal(hw->unmet_below[0], 3);
    engine_result_free(r);

    /* the same answers under a policy that makes lower levels a barrier */
    static const char text[] =
        "{ \"format\": \"itss-policy\", \"format_version\": 1, \"id\": \"strict\", \"version\": \"1\",\n"
        "  \"title\": \"下位レベル必須\",\n"
        "  \"achievement\": { \"responsibility\": true, \"complexity\": { \"min_items\": 2 },\n"
        "    \"size\": { \"min_items\": 1 }, \"task\": { \"min_items\": \"all\" }, \"evidence_required\": false },\n"
        "  \"experience\": { \"min_records\": { \"1\": 1, \"2\": 1, \"3\": 1, \"4\": 2, \"5\": 3, \"6\": 3, \"7\": 3 },\n"
        "    \"min_records_at_level\": 1, \"count_failed\": false },\n"
        "  \"lower_levels\": \"required\", \"proficiency\": { \"lower_levels\": \"required\" },\n"
        "  \"knowledge\": { \"min_rating\": 2 } }\n";
    err_list errs;
    memset(&errs, 0, sizeof errs);
    policy *strict = policy_parse(text, sizeof text - 1, "strict.json", &errs);
    assert_non_null(strict);
    r = engine_assess(cs, strict, a, RATER_SELF);
    hw = spec_result(r, cs, "HW");
    assert_int_equal(hw->level, 2);
    assert_int_equal(hw->n_unmet_below, 0);
    assert_int_equal(hw->next->level, 3);
    assert_ptr_equal(r->policy, strict);
    engine_result_free(r);
    policy_free(strict);
    assessment_free(a);
}

static void test_nothing_answered(void **state)
{
    (void)state;
    assessment *a = new_cs();
    engine_result *r = eval(cs, a);
    assert_int_equal(r->n_specs, catalog_spec_count(cs));
    for (size_t i = 0; i < r->n_specs; i++) {
        assert_int_equal(r->specs[i].level, 0);
        assert_ptr_equal(r->specs[i].next, &r->specs[i].levels[0]);
        for (size_t j = 0; j < r->specs[i].n_areas; j++) {
            assert_int_equal(r->specs[i].areas[j].proficiency_level, 0);
            assert_int_equal(r->specs[i].areas[j].knowledge_covered, 0);
        }
    }
    engine_result_free(r);
    assessment_free(a);
}

/* Top level reached: nothing next. */
static void test_top_level(void **state)
{
    (void)state;
    assessment *a = new_cs();
    meet_levels(a, cs, "HW", 1, 5);
    for (int i = 0; i < 3; i++)
        add_record(a, cs, "HW", 5, 1);
    engine_result *r = eval(cs, a);
    const engine_spec *hw = spec_result(r, cs, "HW");
    assert_int_equal(hw->level, hw->level_max);
    assert_null(hw->next);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- raters ---- */

static void test_rater_answers_kept_apart(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    /* the manager disagrees on 責任性 of level 4 only */
    const catalog_level *l4 = level_of(cs, "HW", 4);
    size_t n = a->n_answers;
    char **ids = malloc(n * sizeof *ids);
    int *values = malloc(n * sizeof *values);
    for (size_t i = 0; i < n; i++) {
        ids[i] = strdup(a->answers[i].element_id);
        values[i] = a->answers[i].value;
    }
    for (size_t i = 0; i < n; i++)
        assessment_set_answer(a, ids[i], RATER_MANAGER,
                              strcmp(ids[i], l4->responsibility.id) == 0 ? 0 : values[i], NULL, 0);
    engine_result *self = engine_assess(cs, dflt, a, RATER_SELF);
    engine_result *mgr = engine_assess(cs, dflt, a, RATER_MANAGER);
    assert_int_equal(spec_result(self, cs, "HW")->level, 4);
    assert_int_equal(spec_result(mgr, cs, "HW")->level, 3);
    assert_int_equal(self->n_answers_used, (int)n);
    assert_int_equal(mgr->n_answers_used, (int)n);
    engine_result_free(self);
    engine_result_free(mgr);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    free(values);
    assessment_free(a);
}

/* ---- evidence policy ---- */

static void test_evidence_required_policy(void **state)
{
    (void)state;
    policy strict = *dflt;
    strict.items_need_evidence = 1;
    assessment *a = hw_level4(2);
    engine_result *r = engine_assess(cs, &strict, a, RATER_SELF);
    assert_int_equal(spec_result(r, cs, "HW")->level, 0);    /* nothing is backed by a record */
    engine_result_free(r);
    /* link the successful record r1 to every met answer; r1 backs them, a failed one would not */
    add_record(a, cs, "HW", 4, 0);                           /* r3, failed */
    const char *good[] = { "r1" }, *bad[] = { "r3" };
    const catalog_level *l4 = level_of(cs, "HW", 4);
    size_t n = a->n_answers;
    for (size_t i = 0; i < n; i++) {
        const assessment_answer *x = &a->answers[i];
        int is_l4_resp = strcmp(x->element_id, l4->responsibility.id) == 0;
        char *id = strdup(x->element_id);
        assessment_set_answer(a, id, RATER_SELF, x->value, is_l4_resp ? bad : good, 1);
        free(id);
    }
    r = engine_assess(cs, &strict, a, RATER_SELF);
    assert_false(level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_RESPONSIBILITY].met);
    assert_int_equal(spec_result(r, cs, "HW")->level, 3);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- levels over bits (engine_levels_packed) ---- */

static uint32_t seed = 7;
static uint32_t rnd(uint32_t n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

/* An assessment around a random level per specialization: items met more
 * often below it, evidence linked to a random record (failed or not), records
 * of random specializations and levels. */
static assessment *random_assessment(void)
{
    assessment *a = new_cs();
    static const char *codes[] = { "HW", "SW", "FM" };
    int records = (int)rnd(9);
    for (int k = 0; k < records; k++)
        add_record(a, cs, codes[rnd(3)], 1 + (int)rnd(6), rnd(6) != 0);
    int target = (int)rnd(7);
    for (size_t i = 0; i < catalog_element_count(cs); i++) {
        const catalog_element *el = catalog_element_at(cs, i);
        if (el->kind != CK_RESPONSIBILITY && el->kind != CK_CHECK_ITEM)
            continue;
        if (rnd(30) == 0)
            continue;                                            /* unanswered */
        int met = el->level->level <= target ? rnd(40) != 0 : rnd(4) == 0;
        char rec[8];
        snprintf(rec, sizeof rec, "r%u", 1 + rnd(records ? (uint32_t)records : 1));
        const char *ev[] = { rec };
        assessment_set_answer(a, el->id, rnd(30) ? RATER_SELF : RATER_MANAGER, met, ev, records && rnd(6) ? 1 : 0);
    }
    return a;
}

/* Levels from bits equal the full evaluation, under the default policy and
 * under policies that need evidence, lower levels, several records at level. */
static void test_levels_from_bits(void **state)
{
    (void)state;
    policy variants[4];
    for (int v = 0; v < 4; v++)
        variants[v] = *dflt;
    variants[1].items_need_evidence = 1;
    variants[2].lower_levels_required = 1;
    variants[3].min_records_at_level = 2;
    variants[3].count_failed = 1;
    for (int v = 0; v < 4; v++) {
        engine *e = engine_new(cs, &variants[v]);
        engine_result *r = engine_result_new(e);
        size_t n_specs = catalog_spec_count(cs);
        uint64_t *bits = calloc(engine_packed_words(e), sizeof *bits);
        engine_records *recs = calloc(n_specs, sizeof *recs);
        int levels[16], reached = 0;
        for (int k = 0; k < 300; k++) {
            assessment *a = random_assessment();
            engine_evaluate(e, a, RATER_SELF, r);
            engine_pack(e, a, RATER_SELF, bits, recs);
            engine_levels_packed(e, bits, recs, levels);
            for (size_t s = 0; s < n_specs; s++) {
                if (levels[s] != r->specs[s].level)
                    fail_msg("policy variant %d, assessment %d, %s: bits say %d, evaluation %d", v, k,
                             r->specs[s].spec->code, levels[s], r->specs[s].level);
                reached += levels[s] > 0;
            }
            assessment_free(a);
        }
        if (reached <= 50)                     /* the sample reaches levels, not only 未到達 */
            fail_msg("policy variant %d: only %d levels reached", v, reached);
        free(bits);
        free(recs);
        engine_result_free(r);
        engine_free(e);
    }
}

/* ---- skill areas ---- */

static const engine_area *area_result(const engine_spec *s, const char *code)
{
    for (size_t i = 0; i < s->n_areas; i++)
        if (strcmp(s->areas[i].area->code, code) == 0)
            return &s->areas[i];
    fail_msg("no area %s for %s", code, s->spec->id);
    return NULL;
}

/* Marks the proficiency of area `acode` of spec `code` at level met or not. */
static void answer_proficiency(assessment *a, const char *code, const char *acode, int level, int met)
{
    const catalog_spec *s = spec_of(cs, code);
    const catalog_spec_area *sa = catalog_spec_area_of(cs, s, catalog_area_find(cs, acode), level);
    assert_non_null(sa);
    const catalog_proficiency *p = catalog_proficiency_at(sa, level);
    assert_non_null(p);
    assessment_set_answer(a, p->id, RATER_SELF, met, NULL, 0);
}

static void test_proficiency_needs_lower_levels(void **state)
{
    (void)state;
    assessment *a = new_cs();
    for (int l = 1; l <= 5; l++)
        answer_proficiency(a, "HW", "UEA", l, l != 4);
    engine_result *r = eval(cs, a);
    const engine_area *uea = area_result(spec_result(r, cs, "HW"), "UEA");
    assert_int_equal(uea->proficiency_level, 3);         /* level 5 met, but 4 is not */
    assert_int_equal(uea->steps[0].level, 1);            /* common levels included */
    engine_result_free(r);
    answer_proficiency(a, "HW", "UEA", 4, 1);
    r = eval(cs, a);
    assert_int_equal(area_result(spec_result(r, cs, "HW"), "UEA")->proficiency_level, 5);
    /* SW shares levels 1-2 of UEA but not HW's 3-5 */
    assert_int_equal(area_result(spec_result(r, cs, "SW"), "UEA")->proficiency_level, 2);
    engine_result_free(r);
    assessment_free(a);
}

static void test_proficiency_fm_starts_at_3(void **state)
{
    (void)state;
    assessment *a = new_cs();
    answer_proficiency(a, "FM", "BST", 3, 1);
    answer_proficiency(a, "FM", "BST", 4, 1);
    answer_proficiency(a, "FM", "BST", 5, 0);
    engine_result *r = eval(cs, a);
    const engine_area *bst = area_result(spec_result(r, cs, "FM"), "BST");
    assert_int_equal(bst->steps[0].level, 3);
    assert_int_equal(bst->proficiency_level, 4);
    engine_result_free(r);
    assessment_free(a);
}

static void test_knowledge_coverage(void **state)
{
    (void)state;
    const catalog_spec *hw = spec_of(cs, "HW");
    const catalog_area *uea = catalog_area_find(cs, "UEA");
    const catalog_spec_area *own = catalog_spec_area_of(cs, hw, uea, 3);
    const catalog_spec_area *common = catalog_spec_area_of(cs, hw, uea, 1);
    assert_ptr_not_equal(own, common);
    int total = 0;
    for (size_t k = 0; k < own->n_knowledge; k++)
        total += (int)own->knowledge[k].n_items;
    for (size_t k = 0; k < common->n_knowledge; k++)
        total += (int)common->knowledge[k].n_items;

    assessment *a = new_cs();
    /* ratings 0..4 on the first five items of the specialization's own area: 2, 3 and 4 count */
    int rating = 0;
    for (size_t k = 0; k < own->n_knowledge && rating <= 4; k++)
        for (size_t i = 0; i < own->knowledge[k].n_items && rating <= 4; i++, rating++)
            assessment_set_answer(a, own->knowledge[k].items[i].id, RATER_SELF, rating, NULL, 0);
    assert_int_equal(rating, 5);
    assessment_set_answer(a, common->knowledge[0].items[0].id, RATER_SELF, 2, NULL, 0);
    engine_result *r = eval(cs, a);
    const engine_area *ea = area_result(spec_result(r, cs, "HW"), "UEA");
    assert_int_equal(ea->knowledge_items, total);
    assert_int_equal(ea->knowledge_rated, 6);
    assert_int_equal(ea->knowledge_covered, 4);
    /* SW sees only the common item */
    assert_int_equal(area_result(spec_result(r, cs, "SW"), "UEA")->knowledge_covered, 1);
    engine_result_free(r);
    assessment_free(a);
}

/* ---- a second job category ---- */

static void test_second_job_category(void **state)
{
    (void)state;
    assessment *a = assessment_new("M1", "試験 花子", NULL, catalog_id(mini), catalog_version(mini));
    meet_levels(a, mini, "OP", 1, 4);
    add_record(a, mini, "OP", 4, 1);
    engine_result *r = eval(mini, a);
    const engine_spec *op = spec_result(r, mini, "OP");
    assert_int_equal(op->level, 3);      /* level 4 needs 2 records */
    assert_false(level_result(op, 4)->criteria[ENGINE_EXPERIENCE].met);
    /* OP has no level 5-7: level 4 is next, and above it nothing */
    assert_int_equal(op->next->level, 4);
    assert_int_equal(op->level_max, 4);
    engine_result_free(r);
    add_record(a, mini, "OP", 3, 1);
    r = eval(mini, a);
    op = spec_result(r, mini, "OP");
    assert_int_equal(op->level, 4);
    assert_null(op->next);
    /* SD shares the common levels 1-2 but has no record */
    assert_int_equal(spec_result(r, mini, "SD")->level, 0);
    assert_int_equal(area_result(op, "SVM")->knowledge_items, 3);
    engine_result_free(r);
    assessment_free(a);
}

/* Answers naming elements of another catalog are counted apart and ignored. */
static void test_unknown_answers_ignored(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    assessment_set_answer(a, "IM.OP.L4.responsibility", RATER_SELF, 1, NULL, 0);
    assessment_set_answer(a, "ZZ.nothing", RATER_SELF, 1, NULL, 0);
    engine_result *r = eval(cs, a);
    assert_int_equal(r->n_answers_unknown, 2);
    assert_int_equal(r->n_answers_used, (int)a->n_answers - 2);
    assert_int_equal(spec_result(r, cs, "HW")->level, 4);
    engine_result_free(r);
    assessment_free(a);
}

/* One engine and one result reused across assessments give what fresh ones give. */
static void test_result_reuse(void **state)
{
    (void)state;
    assessment *four = hw_level4(2), *none = new_cs();
    engine *e = engine_new(cs, dflt);
    engine_result *r = engine_result_new(e);
    engine_evaluate(e, four, RATER_SELF, r);
    assert_int_equal(spec_result(r, cs, "HW")->level, 4);
    engine_evaluate(e, none, RATER_SELF, r);
    assert_int_equal(spec_result(r, cs, "HW")->level, 0);
    assert_int_equal(level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_COMPLEXITY].count, 0);
    engine_evaluate(e, four, RATER_SELF, r);
    assert_int_equal(spec_result(r, cs, "HW")->level, 4);
    assert_int_equal(level_result(spec_result(r, cs, "HW"), 4)->criteria[ENGINE_EXPERIENCE].count, 2);
    engine_result_free(r);
    engine_free(e);
    assessment_free(four);
    assessment_free(none);
}

/* ---- rendering ---- */

static void test_explanation_quotes_the_standard(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    answer_level(a, cs, "HW", 3, 1, -1, -1, 0);
    engine_result *r = eval(cs, a);
    buf b;
    buf_init(&b);
    explain_text(&b, r, spec_of(cs, "HW")->id);
    const catalog_level *l5 = level_of(cs, "HW", 5), *l4 = level_of(cs, "HW", 4);
    /* the level, the standard's wording of a met and of a missing item, the lead sentence */
    assert_non_null(strstr(b.data, "ハードウェア（CS.HW）: レベル4"));
    assert_non_null(strstr(b.data, l4->criteria[CRITERION_COMPLEXITY].items[0].text));
    assert_non_null(strstr(b.data, l5->criteria[CRITERION_TASK].items[0].text));
    assert_non_null(strstr(b.data, l5->criteria[CRITERION_SIZE].lead));
    assert_non_null(strstr(b.data, "次のレベル（レベル5）に必要なこと"));
    assert_non_null(strstr(b.data, "警告: 下位のレベル3"));
    assert_non_null(strstr(b.data, dflt->id));
    assert_null(strstr(b.data, "ソフトウェア（CS.SW）"));
    buf_reset(&b);
    explain_text(&b, r, NULL);
    assert_non_null(strstr(b.data, "ファシリティマネジメント（CS.FM）: 未到達（レベル0）"));
    buf_reset(&b);
    explain_summary(&b, r);
    assert_non_null(strstr(b.data, "レベル4"));
    buf_free(&b);
    engine_result_free(r);
    assessment_free(a);
}

/* The JSON form carries the same facts, and the policy that produced them. */
static void test_result_json(void **state)
{
    (void)state;
    assessment *a = hw_level4(2);
    answer_level(a, cs, "HW", 4, 1, 1, -1, -1);
    engine_result *r = eval(cs, a);
    json_t *j = engine_result_json(r, NULL);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "policy"), "id")), dflt->id);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "policy"), "version")), dflt->version);
    assert_string_equal(json_string_value(json_object_get(j, "rater")), "self");
    json_t *specs = json_object_get(j, "specializations");
    assert_int_equal(json_array_size(specs), catalog_spec_count(cs));
    json_t *hw = NULL;
    for (size_t i = 0; i < json_array_size(specs); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(specs, i), "id")), "CS.HW") == 0)
            hw = json_array_get(specs, i);
    assert_non_null(hw);
    assert_int_equal(json_integer_value(json_object_get(hw, "level")), 3);
    assert_int_equal(json_integer_value(json_object_get(hw, "next_level")), 4);
    /* level 4 needs one more complexity item and names the five it could be */
    json_t *needs = json_object_get(hw, "needed_for_next");
    assert_int_equal(json_array_size(needs), 1);
    json_t *need = json_array_get(needs, 0);
    assert_string_equal(json_string_value(json_object_get(need, "criterion")), "complexity");
    assert_int_equal(json_integer_value(json_object_get(need, "short_by")), 1);
    const catalog_criterion *def = &level_of(cs, "HW", 4)->criteria[CRITERION_COMPLEXITY];
    json_t *missing = json_object_get(need, "missing");
    assert_int_equal(json_array_size(missing), def->n_items - 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(missing, 0), "text")), def->items[1].text);
    json_decref(j);

    j = engine_result_json(r, "CS.FM");
    assert_int_equal(json_array_size(json_object_get(j, "specializations")), 1);
    json_decref(j);
    engine_result_free(r);
    assessment_free(a);
}

/* The facts the faces word a criterion with: how its threshold reads and what
 * it still lacks, the same for the command line's text and the web's pages. */
static void test_criterion_facts(void **state)
{
    (void)state;
    engine_criterion cr;
    memset(&cr, 0, sizeof cr);
    cr.listed = 3;
    cr.required = -1;
    cr.count = 1;
    assert_int_equal(engine_criterion_threshold(&cr), ENGINE_THRESHOLD_UNSET);
    assert_int_equal(engine_criterion_short_by(&cr), 0);
    cr.required = 0;
    assert_int_equal(engine_criterion_threshold(&cr), ENGINE_THRESHOLD_NONE);
    cr.required = 3;
    assert_int_equal(engine_criterion_threshold(&cr), ENGINE_THRESHOLD_ALL);
    assert_int_equal(engine_criterion_short_by(&cr), 2);
    cr.required = 2;
    assert_int_equal(engine_criterion_threshold(&cr), ENGINE_THRESHOLD_AT_LEAST);
    assert_int_equal(engine_criterion_short_by(&cr), 1);
    cr.count = 3;
    assert_int_equal(engine_criterion_short_by(&cr), 0);
    cr.listed = 1;
    cr.required = 1;
    assert_int_equal(engine_criterion_threshold(&cr), ENGINE_THRESHOLD_AT_LEAST);   /* one item: not "all" */
    cr.at_level = 1;
    cr.at_level_required = 2;
    assert_int_equal(engine_criterion_short_at_level(&cr), 1);
    cr.at_level = 4;
    assert_int_equal(engine_criterion_short_at_level(&cr), 0);

    engine_area ea;
    memset(&ea, 0, sizeof ea);
    assert_int_equal(engine_knowledge_percent(&ea), 0);
    ea.knowledge_items = 3;
    ea.knowledge_covered = 2;
    assert_int_equal(engine_knowledge_percent(&ea), 66);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_criterion_facts),
        cmocka_unit_test(test_levels_from_bits),
        cmocka_unit_test(test_complexity_two_items_meet),
        cmocka_unit_test(test_complexity_one_item_not_enough),
        cmocka_unit_test(test_complexity_fewer_than_two_listed),
        cmocka_unit_test(test_task_one_missing),
        cmocka_unit_test(test_size_none_listed_at_levels_1_2),
        cmocka_unit_test(test_size_one_of_listed),
        cmocka_unit_test(test_responsibility_not_met),
        cmocka_unit_test(test_records_two_vs_one_at_level4),
        cmocka_unit_test(test_records_only_at_lower_level),
        cmocka_unit_test(test_failed_records_not_counted),
        cmocka_unit_test(test_records_of_another_spec_not_counted),
        cmocka_unit_test(test_records_three_at_level5),
        cmocka_unit_test(test_common_levels_for_hw_and_sw),
        cmocka_unit_test(test_fm_below_level3_is_not_reached),
        cmocka_unit_test(test_lower_level_unmet_is_a_warning),
        cmocka_unit_test(test_nothing_answered),
        cmocka_unit_test(test_top_level),
        cmocka_unit_test(test_rater_answers_kept_apart),
        cmocka_unit_test(test_evidence_required_policy),
        cmocka_unit_test(test_proficiency_needs_lower_levels),
        cmocka_unit_test(test_proficiency_fm_starts_at_3),
        cmocka_unit_test(test_knowledge_coverage),
        cmocka_unit_test(test_second_job_category),
        cmocka_unit_test(test_unknown_answers_ignored),
        cmocka_unit_test(test_result_reuse),
        cmocka_unit_test(test_explanation_quotes_the_standard),
        cmocka_unit_test(test_result_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
