/* test_assessment.c - the in-memory assessment and its JSON file
 * (docs/assessment-format.md): answers kept one per element and rater, a file
 * written and read back unchanged, and every kind of bad input refused with
 * file:line:column, the JSON path and a clear reason. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "assessment_json.h"
#include "catalog.h"

static catalog *cs;

static int setup(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    cs = catalog_load_file("catalog/customer-service.json", &errs);
    return cs ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    catalog_free(cs);
    return 0;
}

/* ---- the model ---- */

static void test_answers_replace_and_stay_sorted(void **state)
{
    (void)state;
    assessment *a = assessment_new("E1", "名前", "2026年度", "cat", "1");
    const char *ids[] = { "CS.SW.L3.task.1", "CS.HW.L4.complexity.10", "CS.HW.L4.complexity.2", "CS.FM.L3.size.1" };
    for (int i = 0; i < 4; i++)
        assessment_set_answer(a, ids[i], RATER_SELF, 1, NULL, 0);
    assessment_set_answer(a, "CS.HW.L4.complexity.2", RATER_MANAGER, 0, NULL, 0);
    assert_int_equal(a->n_answers, 5);
    for (size_t i = 1; i < a->n_answers; i++) {
        int c = strcmp(a->answers[i - 1].element_id, a->answers[i].element_id);
        assert_true(c < 0 || (c == 0 && a->answers[i - 1].rater < a->answers[i].rater));
    }
    /* replace: same element and rater, new value and evidence */
    const char *ev[] = { "x1", "x2" };
    assessment_set_answer(a, "CS.HW.L4.complexity.2", RATER_SELF, 0, ev, 2);
    assert_int_equal(a->n_answers, 5);
    const assessment_answer *x = assessment_get_answer(a, "CS.HW.L4.complexity.2", RATER_SELF);
    assert_non_null(x);
    assert_int_equal(x->value, 0);
    assert_int_equal(x->n_evidence, 2);
    assert_string_equal(x->evidence[1], "x2");
    assert_int_equal(assessment_get_answer(a, "CS.HW.L4.complexity.2", RATER_MANAGER)->value, 0);
    assert_null(assessment_get_answer(a, "CS.HW.L4.complexity.3", RATER_SELF));
    assert_null(assessment_get_answer(a, "CS.SW.L3.task.1", RATER_MANAGER));
    assert_true(assessment_remove_answer(a, "CS.SW.L3.task.1", RATER_SELF));
    assert_false(assessment_remove_answer(a, "CS.SW.L3.task.1", RATER_SELF));
    assert_int_equal(a->n_answers, 4);
    assert_non_null(assessment_get_answer(a, "CS.FM.L3.size.1", RATER_SELF));
    assessment_free(a);
}

/* Many answers in an order other than the sorted one: each found again. */
static void test_many_answers(void **state)
{
    (void)state;
    assessment *a = assessment_new(NULL, NULL, NULL, NULL, NULL);
    char id[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "X.%d", (i * 7919) % 3000);
        assessment_set_answer(a, id, (assessment_rater)(i % 2), i % 5, NULL, 0);
    }
    assert_int_equal(a->n_answers, 3000);
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "X.%d", (i * 7919) % 3000);
        const assessment_answer *x = assessment_get_answer(a, id, (assessment_rater)(i % 2));
        assert_non_null(x);
        assert_int_equal(x->value, i % 5);
    }
    assessment_free(a);
}

static void test_records_are_copies(void **state)
{
    (void)state;
    assessment *a = assessment_new("E1", NULL, NULL, NULL, NULL);
    char project[] = "基幹システム更改";
    char *items[] = { "CS.HW.L4.complexity.1" };
    assessment_experience x;
    memset(&x, 0, sizeof x);
    x.id = "x1";
    x.project = project;
    x.period_from = "2021-04";
    x.specialization_id = "CS.HW";
    x.level = 4;
    x.complexity_items = items;
    x.n_complexity_items = 1;
    x.succeeded = 1;
    assessment_add_experience(a, &x);
    project[0] = '\0';
    assert_string_equal(a->experience[0].project, "基幹システム更改");
    assert_string_equal(a->experience[0].complexity_items[0], "CS.HW.L4.complexity.1");
    assert_null(a->experience[0].period_to);
    assert_ptr_equal(assessment_find_experience(a, "x1"), &a->experience[0]);
    assert_null(assessment_find_experience(a, "x2"));
    assessment_contribution k = { CONTRIBUTION_PAPER, "社内論文", "2024-06", NULL };
    assessment_add_contribution(a, &k);
    assert_int_equal(a->contributions[0].kind, CONTRIBUTION_PAPER);
    assessment_free(a);
}

static void test_names(void **state)
{
    (void)state;
    for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
        assert_int_equal(assessment_status_parse(assessment_status_name((assessment_status)s)), s);
    for (int r = 0; r < RATER_COUNT; r++)
        assert_int_equal(assessment_rater_parse(assessment_rater_name((assessment_rater)r)), r);
    for (int k = 0; k < CONTRIBUTION_KIND_COUNT; k++)
        assert_int_equal(contribution_kind_parse(contribution_kind_name((contribution_kind)k)), k);
    assert_int_equal(assessment_status_parse("done"), -1);
    assert_int_equal(assessment_rater_parse(NULL), -1);
    assert_string_equal(contribution_kind_label(CONTRIBUTION_MENTORING), "後進育成");
    assert_string_equal(assessment_rating_label(0), "知らない");
    assert_string_equal(assessment_rating_label(2), "支援を受けて実施できる");
    assert_string_equal(assessment_rating_label(4), "指導できる");
    assert_null(assessment_rating_label(5));
    assert_null(assessment_rating_label(-1));
}

/* ---- the file ---- */

/* A small but complete assessment file, one answer per line. */
static const char *FILE_TEXT =
"{\n"
"  \"format\": \"itss-assessment\",\n"
"  \"format_version\": 1,\n"
"  \"catalog\": { \"id\": \"itss-customer-service\", \"version\": \"2011.1\" },\n"
"  \"person\": { \"employee_number\": \"E0042\", \"name\": \"佐藤 花子\" },\n"
"  \"cycle\": \"2026年度\",\n"
"  \"status\": \"submitted\",\n"
"  \"experience\": [\n"
"    { \"id\": \"x1\", \"project\": \"全国店舗網の保守\", \"from\": \"2021-04\", \"to\": \"2023-03\",\n"
"      \"role\": \"チームリーダ\", \"specialization\": \"CS.HW\", \"level\": 4,\n"
"      \"complexity\": [\"CS.HW.L4.complexity.1\", \"CS.HW.L4.complexity.6\"], \"size\": [\"CS.HW.L4.size.2\"],\n"
"      \"succeeded\": true, \"description\": \"24時間稼動の店舗システム\" },\n"
"    { \"id\": \"x2\", \"project\": \"新データセンタ移設\", \"from\": \"2024-10\", \"to\": null,\n"
"      \"specialization\": \"CS.FM\", \"level\": 3, \"succeeded\": false }\n"
"  ],\n"
"  \"contributions\": [\n"
"    { \"kind\": \"mentoring\", \"title\": \"新人2名の指導\", \"date\": \"2024-04\" },\n"
"    { \"kind\": \"paper\", \"title\": \"保守手順の標準化\", \"date\": \"2025-02-28\", \"description\": \"社内技報\" }\n"
"  ],\n"
"  \"answers\": [\n"
"    { \"id\": \"CS.HW.L4.responsibility\", \"met\": true, \"evidence\": [\"x1\"] },\n"
"    { \"id\": \"CS.HW.L4.complexity.1\", \"rater\": \"self\", \"met\": true, \"evidence\": [\"x1\"] },\n"
"    { \"id\": \"CS.HW.L4.complexity.2\", \"rater\": \"self\", \"met\": false },\n"
"    { \"id\": \"CS.HW.L4.complexity.1\", \"rater\": \"manager\", \"met\": false },\n"
"    { \"id\": \"CS.HW.UEA.L4\", \"met\": true },\n"
"    { \"id\": \"CS.HW.UEA.K01.01\", \"rating\": 3 },\n"
"    { \"id\": \"CS.HWSW.UEA.K01.01\", \"rating\": 0 }\n"
"  ]\n"
"}\n";

static assessment *parse(const char *text, err_list *errs)
{
    memset(errs, 0, sizeof *errs);
    return assessment_json_parse(text, strlen(text), "a.json", cs, errs);
}

static void test_file_reads(void **state)
{
    (void)state;
    err_list errs;
    assessment *a = parse(FILE_TEXT, &errs);
    if (!a) {
        char line[1200];
        fail_msg("%s", err_format(&errs.items[0], line, sizeof line));
    }
    assert_string_equal(a->employee_number, "E0042");
    assert_string_equal(a->person_name, "佐藤 花子");
    assert_string_equal(a->cycle, "2026年度");
    assert_string_equal(a->catalog_id, "itss-customer-service");
    assert_int_equal(a->status, ASSESSMENT_SUBMITTED);
    assert_int_equal(a->n_experience, 2);
    assert_int_equal(a->experience[0].n_complexity_items, 2);
    assert_string_equal(a->experience[0].size_items[0], "CS.HW.L4.size.2");
    assert_true(a->experience[0].succeeded);
    assert_null(a->experience[1].period_to);
    assert_false(a->experience[1].succeeded);
    assert_int_equal(a->n_contributions, 2);
    assert_int_equal(a->contributions[1].kind, CONTRIBUTION_PAPER);
    assert_string_equal(a->contributions[1].description, "社内技報");
    assert_int_equal(a->n_answers, 7);
    const assessment_answer *x = assessment_get_answer(a, "CS.HW.L4.responsibility", RATER_SELF);
    assert_non_null(x);      /* rater defaults to self */
    assert_int_equal(x->value, 1);
    assert_string_equal(x->evidence[0], "x1");
    assert_int_equal(assessment_get_answer(a, "CS.HW.L4.complexity.1", RATER_MANAGER)->value, 0);
    assert_int_equal(assessment_get_answer(a, "CS.HW.UEA.K01.01", RATER_SELF)->value, 3);
    assert_int_equal(assessment_get_answer(a, "CS.HWSW.UEA.K01.01", RATER_SELF)->value, 0);
    assessment_free(a);
}

/* Written, read and written again: the same bytes, and the same content. */
static void test_round_trip(void **state)
{
    (void)state;
    err_list errs;
    assessment *a = parse(FILE_TEXT, &errs);
    assert_non_null(a);
    buf one, two;
    buf_init(&one);
    buf_init(&two);
    assessment_json_write(&one, a, cs);
    assessment *b = parse(one.data, &errs);
    if (!b) {
        char line[1200];
        fail_msg("%s\n%s", err_format(&errs.items[0], line, sizeof line), one.data);
    }
    assessment_json_write(&two, b, cs);
    assert_string_equal(one.data, two.data);
    assert_int_equal(b->n_answers, a->n_answers);
    for (size_t i = 0; i < a->n_answers; i++) {
        assert_string_equal(a->answers[i].element_id, b->answers[i].element_id);
        assert_int_equal(a->answers[i].rater, b->answers[i].rater);
        assert_int_equal(a->answers[i].value, b->answers[i].value);
        assert_int_equal(a->answers[i].n_evidence, b->answers[i].n_evidence);
    }
    assert_int_equal(b->n_experience, 2);
    assert_string_equal(b->experience[0].description, "24時間稼動の店舗システム");
    assert_string_equal(b->experience[0].role, "チームリーダ");
    assert_string_equal(b->contributions[0].title, "新人2名の指導");
    assert_int_equal(b->status, ASSESSMENT_SUBMITTED);
    /* the writer keeps the standard's order: 責任性 before the checklist */
    const char *answers = strstr(one.data, "\"answers\"");
    assert_non_null(answers);
    assert_true(strstr(answers, "CS.HW.L4.responsibility") < strstr(answers, "CS.HW.L4.complexity.1"));
    /* knowledge items are written as ratings, the rest as met */
    assert_non_null(strstr(one.data, "\"rating\": 3"));
    buf_free(&one);
    buf_free(&two);
    assessment_free(a);
    assessment_free(b);
}

/* FILE_TEXT with the first `from` replaced by `to`; the caller frees it. */
static char *file_with(const char *from, const char *to)
{
    const char *at = strstr(FILE_TEXT, from);
    if (!at)
        fail_msg("fixture lacks \"%s\"", from);
    size_t pre = (size_t)(at - FILE_TEXT), n = strlen(FILE_TEXT) - strlen(from) + strlen(to);
    char *s = malloc(n + 1);
    memcpy(s, FILE_TEXT, pre);
    strcpy(s + pre, to);
    strcat(s, at + strlen(from));
    return s;
}

/* Line and column (in characters) where `needle` first starts in text. */
static void place_of(const char *text, const char *needle, int *line, int *column)
{
    const char *at = strstr(text, needle);
    if (!at)
        fail_msg("text lacks \"%s\"", needle);
    *line = 1;
    *column = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n') {
            (*line)++;
            *column = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

/* Reading text fails, and some error names the place of `where`, path and fragment. */
static void expect_refused(const char *text, const char *where, const char *path, const char *fragment)
{
    err_list errs;
    assessment *a = parse(text, &errs);
    if (a) {
        assessment_free(a);
        fail_msg("read but should not (%s)", fragment);
    }
    int line, column;
    place_of(text, where, &line, &column);
    for (size_t i = 0; i < errs.count; i++) {
        const err *e = &errs.items[i];
        if (!strstr(e->message, fragment))
            continue;
        assert_string_equal(e->where, "a.json");
        if (e->line != line || e->column != column || strcmp(e->path, path) != 0)
            fail_msg("\"%s\" at %d:%d %s, expected %d:%d %s", e->message, e->line, e->column, e->path, line,
                     column, path);
        return;
    }
    char first[1200] = "(none)";
    if (errs.count)
        err_format(&errs.items[0], first, sizeof first);
    fail_msg("no error mentions \"%s\"; first: %s", fragment, first);
}

static void test_refusals(void **state)
{
    (void)state;
    struct { const char *from, *to, *where, *path, *fragment; } cases[] = {
        /* a rating of 7 */
        { "\"rating\": 3", "\"rating\": 7", "7 }", "answers[5].rating", "7 is out of range: expected 0 to 4" },
        { "\"rating\": 3", "\"rating\": 2.5", "2.5", "answers[5].rating", "a fraction" },
        /* unknown items */
        { "\"CS.HW.L4.complexity.2\"", "\"CS.HW.L4.complexity.9\"", "\"CS.HW.L4.complexity.9\"", "answers[2].id",
          "unknown id \"CS.HW.L4.complexity.9\" in catalog itss-customer-service 2011.1" },
        { "\"CS.HW.L4.complexity.2\"", "\"CS.HW.L4.size\"", "\"CS.HW.L4.size\"", "answers[2].id",
          "is a criterion" },
        /* the wrong kind of answer */
        { "\"rating\": 3", "\"met\": true", "\"met\": true },\n    { \"id\": \"CS.HWSW", "answers[5].met",
          "give a \"rating\"" },
        { "\"id\": \"CS.HW.UEA.L4\", \"met\": true", "\"id\": \"CS.HW.UEA.L4\", \"rating\": 2",
          "\"rating\": 2", "answers[4].rating", "answered with \"met\"" },
        { "\"id\": \"CS.HW.UEA.L4\", \"met\": true", "\"id\": \"CS.HW.UEA.L4\"", "{ \"id\": \"CS.HW.UEA.L4\"",
          "answers[4]", "missing required key \"met\"" },
        { "\"rater\": \"manager\"", "\"rater\": \"boss\"", "\"boss\"", "answers[3].rater", "unknown rater" },
        { "\"rater\": \"manager\"", "\"rater\": \"self\"", "\"CS.HW.L4.complexity.1\", \"rater\": \"self\", \"met\": false",
          "answers[3].id", "answered twice by self" },
        /* evidence */
        { "\"evidence\": [\"x1\"] },\n    { \"id\": \"CS.HW.L4.complexity.1\"",
          "\"evidence\": [\"x9\"] },\n    { \"id\": \"CS.HW.L4.complexity.1\"", "\"x9\"", "answers[0].evidence[0]",
          "no experience record has id \"x9\"" },
        /* experience records */
        { "\"from\": \"2021-04\"", "\"from\": \"2021-13\"", "\"2021-13\"", "experience[0].from", "is not a month" },
        { "\"to\": \"2023-03\"", "\"to\": \"2020-03\"", "\"2020-03\"", "experience[0].to", "ends (2020-03) before" },
        { "\"specialization\": \"CS.FM\", \"level\": 3", "\"specialization\": \"CS.FM\", \"level\": 2", "2, \"succeeded\": false",
          "experience[1].level", "ファシリティマネジメント has no level 2" },
        { "\"specialization\": \"CS.HW\"", "\"specialization\": \"CS.HWSW\"", "\"CS.HWSW\"",
          "experience[0].specialization", "not a specialization" },
        { "\"specialization\": \"CS.HW\"", "\"specialization\": \"CS.XX\"", "\"CS.XX\"",
          "experience[0].specialization", "unknown specialization" },
        { "\"complexity\": [\"CS.HW.L4.complexity.1\"", "\"complexity\": [\"CS.SW.L4.complexity.1\"",
          "\"CS.SW.L4.complexity.1\"", "experience[0].complexity[0]", "not an item of ハードウェア" },
        { "\"complexity\": [\"CS.HW.L4.complexity.1\"", "\"complexity\": [\"CS.HWSW.L1.complexity.1\"",
          "\"CS.HWSW.L1.complexity.1\"", "experience[0].complexity[0]", "not of the record's level 4" },
        { "\"size\": [\"CS.HW.L4.size.2\"]", "\"size\": [\"CS.HW.L4.task.2\"]", "\"CS.HW.L4.task.2\"",
          "experience[0].size[0]", "not a サイズ checklist item" },
        { "\"id\": \"x2\"", "\"id\": \"x1\"", "\"x1\", \"project\": \"新データセンタ移設\"", "experience[1].id",
          "used twice" },
        { "\"succeeded\": false", "\"succeeded\": \"no\"", "\"no\"", "experience[1].succeeded", "true or false" },
        /* contributions, status, catalog */
        { "\"kind\": \"paper\"", "\"kind\": \"blog\"", "\"blog\"", "contributions[1].kind", "unknown kind" },
        { "\"date\": \"2025-02-28\"", "\"date\": \"2025-02-30\"", "\"2025-02-30\"", "contributions[1].date",
          "is not a date" },
        { "\"status\": \"submitted\"", "\"status\": \"done\"", "\"done\"", "status", "unknown status" },
        { "\"version\": \"2011.1\"", "\"version\": \"2001.1\"", "{ \"id\": \"itss-customer-service\"", "catalog",
          "for catalog itss-customer-service version 2001.1, not itss-customer-service version 2011.1" },
        { "\"cycle\": \"2026年度\"", "\"cycle\": \"2026年度\", \"colour\": 1", "\"colour\"", "colour",
          "unknown key" },
        { "\"format\": \"itss-assessment\"", "\"format\": \"itss-policy\"", "\"itss-policy\"", "format",
          "not an assessment file" },
        /* not JSON: the reader's place */
        { "\"cycle\": \"2026年度\",", "\"cycle\": \"2026年度\"", "\"status\"", "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = file_with(cases[i].from, cases[i].to);
        expect_refused(text, cases[i].where, cases[i].path, cases[i].fragment);
        free(text);
    }
}

/* One run reports every problem, and gives back nothing. */
static void test_many_errors_at_once(void **state)
{
    (void)state;
    char *one = file_with("\"rating\": 3", "\"rating\": 7");
    const char *from = "\"from\": \"2021-04\"";
    char *at = strstr(one, from);
    char *two = malloc(strlen(one) + 8);
    memcpy(two, one, (size_t)(at - one));
    strcpy(two + (at - one), "\"from\": \"April\"");
    strcat(two, at + strlen(from));
    err_list errs;
    assert_null(parse(two, &errs));
    /* exactly these two: the links to the broken record x1 are not errors as well */
    assert_int_equal(errs.count, 2);
    int month = 0, rating = 0;
    for (size_t i = 0; i < errs.count; i++) {
        month += strstr(errs.items[i].path, "experience[0].from") != NULL;
        rating += strstr(errs.items[i].path, "answers[5].rating") != NULL;
    }
    assert_int_equal(month, 1);
    assert_int_equal(rating, 1);
    free(one);
    free(two);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers_replace_and_stay_sorted),
        cmocka_unit_test(test_many_answers),
        cmocka_unit_test(test_records_are_copies),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_file_reads),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_many_errors_at_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
