/* test_policy.c - the level-determination policy: the shipped default says what
 * docs/policy.md says, and a broken policy is refused with file:line:column, the
 * JSON path and a clear reason. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "policy.h"

/* A complete policy, one setting per line, so that tests can break one place. */
static const char *GOOD =
"{\n"
"  \"format\": \"itss-policy\",\n"
"  \"format_version\": 1,\n"
"  \"id\": \"test-policy\",\n"
"  \"version\": \"3\",\n"
"  \"title\": \"テスト方針\",\n"
"  \"achievement\": {\n"
"    \"responsibility\": true,\n"
"    \"complexity\": { \"min_items\": 2 },\n"
"    \"size\": { \"min_items\": 1 },\n"
"    \"task\": { \"min_items\": \"all\" },\n"
"    \"evidence_required\": false\n"
"  },\n"
"  \"experience\": {\n"
"    \"min_records\": { \"1\": 1, \"2\": 1, \"3\": 1, \"4\": 2, \"5\": 3, \"6\": 3, \"7\": 3 },\n"
"    \"min_records_at_level\": 1,\n"
"    \"count_failed\": false\n"
"  },\n"
"  \"lower_levels\": \"warning\",\n"
"  \"proficiency\": { \"lower_levels\": \"required\" },\n"
"  \"knowledge\": { \"min_rating\": 2 }\n"
"}\n";

/* GOOD with the first `from` replaced by `to`; the caller frees it. */
static char *good_with(const char *from, const char *to)
{
    const char *at = strstr(GOOD, from);
    if (!at)
        fail_msg("fixture lacks \"%s\"", from);
    size_t pre = (size_t)(at - GOOD), n = strlen(GOOD) - strlen(from) + strlen(to);
    char *s = malloc(n + 1);
    memcpy(s, GOOD, pre);
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

/* Parses text expecting failure with an error at the place of `where` in text
 * (the first occurrence; NULL: line 1 column 1), path, and a message fragment. */
static void expect_refused(const char *text, const char *where, const char *path, const char *fragment)
{
    err_list errs;
    memset(&errs, 0, sizeof errs);
    policy *p = policy_parse(text, strlen(text), "p.json", &errs);
    if (p) {
        policy_free(p);
        fail_msg("parsed but should not (%s)", fragment);
    }
    int line = 1, column = 1;
    if (where)
        place_of(text, where, &line, &column);
    for (size_t i = 0; i < errs.count; i++) {
        const err *e = &errs.items[i];
        if (!strstr(e->message, fragment))
            continue;
        assert_string_equal(e->where, "p.json");
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

static void test_good_policy_parses(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    policy *p = policy_parse(GOOD, strlen(GOOD), "p.json", &errs);
    assert_non_null(p);
    assert_string_equal(p->id, "test-policy");
    assert_string_equal(p->version, "3");
    assert_string_equal(p->title, "テスト方針");
    assert_true(p->responsibility_required);
    assert_false(p->items_need_evidence);
    assert_int_equal(p->min_records_at_level, 1);
    assert_false(p->count_failed);
    assert_false(p->lower_levels_required);
    assert_true(p->proficiency_lower_required);
    assert_int_equal(p->knowledge_min_rating, 2);
    assert_false(p->submission_refuses_unanswered);   /* without "submission": ask */
    assert_int_equal(p->reminder_days, 7);             /* without "notifications": a week before */
    policy_free(p);
    /* "submission": {"unanswered": "refuse"} refuses to submit with unanswered elements (issue 12). */
    char *text = good_with("  \"knowledge\": { \"min_rating\": 2 }\n",
                           "  \"knowledge\": { \"min_rating\": 2 },\n  \"submission\": { \"unanswered\": \"refuse\" }\n");
    p = policy_parse(text, strlen(text), "p.json", &errs);
    assert_non_null(p);
    assert_true(p->submission_refuses_unanswered);
    policy_free(p);
    free(text);
    text = good_with("  \"knowledge\": { \"min_rating\": 2 }\n",
                     "  \"knowledge\": { \"min_rating\": 2 },\n  \"submission\": { \"unanswered\": \"ask\" }\n");
    p = policy_parse(text, strlen(text), "p.json", &errs);
    assert_non_null(p);
    assert_false(p->submission_refuses_unanswered);
    policy_free(p);
    free(text);
    /* "notifications": {"reminder_days": N}: reminders N days before a cycle closes (0: none). */
    text = good_with("  \"knowledge\": { \"min_rating\": 2 }\n",
                     "  \"knowledge\": { \"min_rating\": 2 },\n  \"notifications\": { \"reminder_days\": 3 }\n");
    p = policy_parse(text, strlen(text), "p.json", &errs);
    assert_non_null(p);
    assert_int_equal(p->reminder_days, 3);
    policy_free(p);
    free(text);
    text = good_with("  \"knowledge\": { \"min_rating\": 2 }\n",
                     "  \"knowledge\": { \"min_rating\": 2 },\n  \"notifications\": { \"reminder_days\": 400 }\n");
    assert_null(policy_parse(text, strlen(text), "p.json", &errs));
    free(text);
}

/* The numbers of the issue, read through the functions the engine uses. */
static void test_default_thresholds(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    policy *p = policy_load_builtin(&errs);
    assert_non_null(p);
    for (int level = 1; level <= 7; level++) {
        /* 複雑性: 2 of 6, all of 1, none of 0 */
        assert_int_equal(policy_required_items(p, CRITERION_COMPLEXITY, level, 6), 2);
        assert_int_equal(policy_required_items(p, CRITERION_COMPLEXITY, level, 2), 2);
        assert_int_equal(policy_required_items(p, CRITERION_COMPLEXITY, level, 1), 1);
        /* サイズ: 1 of any, none where none listed */
        assert_int_equal(policy_required_items(p, CRITERION_SIZE, level, 3), 1);
        assert_int_equal(policy_required_items(p, CRITERION_SIZE, level, 0), 0);
        /* タスク特性: all */
        assert_int_equal(policy_required_items(p, CRITERION_TASK, level, 5), 5);
        assert_int_equal(policy_required_items(p, CRITERION_TASK, level, 0), 0);
        int records = policy_required_records(p, level);
        assert_int_equal(records, level <= 3 ? 1 : level == 4 ? 2 : 3);
    }
    assert_int_equal(policy_required_records(p, 8), POLICY_UNSET);   /* ITSS has 7 levels */
    assert_int_equal(p->min_records_at_level, 1);
    assert_false(p->count_failed);
    assert_false(p->lower_levels_required);
    policy_free(p);
}

/* The file shipped and the copy built into the binary are the same policy. */
static void test_builtin_is_the_file(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    policy *file = policy_load_file("policy/default.json", &errs);
    policy *built = policy_load_builtin(&errs);
    assert_non_null(file);
    assert_non_null(built);
    assert_string_equal(file->id, built->id);
    assert_string_equal(file->version, built->version);
    assert_memory_equal(file->min_items, built->min_items, sizeof file->min_items);
    assert_memory_equal(file->min_records, built->min_records, sizeof file->min_records);
    policy_free(file);
    policy_free(built);
}

static void test_covers_catalog_levels(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    catalog *c = catalog_load_file("catalog/customer-service.json", &errs);
    assert_non_null(c);
    policy *p = policy_load_builtin(&errs);
    assert_int_equal(policy_check_catalog(p, c, &errs), 0);
    assert_int_equal(errs.count, 0);
    policy_free(p);

    char *text = good_with("\"6\": 3, \"7\": 3 }", "\"6\": 3 }");
    p = policy_parse(text, strlen(text), "p.json", &errs);
    assert_non_null(p);
    assert_int_equal(policy_check_catalog(p, c, &errs), 1);
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0].message, "experience.min_records"));
    assert_non_null(strstr(errs.items[0].message, "level 7"));
    policy_free(p);
    free(text);
    catalog_free(c);
}

/* Per-level tables for checklists, and "all" by level. */
static void test_per_level_items(void **state)
{
    (void)state;
    char *text = good_with("\"complexity\": { \"min_items\": 2 }",
                           "\"complexity\": { \"min_items\": { \"1\": 1, \"2\": 1, \"3\": 2, \"4\": 2, "
                           "\"5\": 3, \"6\": \"all\", \"7\": \"all\" } }");
    err_list errs;
    memset(&errs, 0, sizeof errs);
    policy *p = policy_parse(text, strlen(text), "p.json", &errs);
    assert_non_null(p);
    assert_int_equal(policy_required_items(p, CRITERION_COMPLEXITY, 1, 3), 1);
    assert_int_equal(policy_required_items(p, CRITERION_COMPLEXITY, 5, 6), 3);
    assert_int_equal(policy_required_items(p, CRITERION_COMPLEXITY, 6, 4), 4);
    policy_free(p);
    free(text);
}

static void test_refusals(void **state)
{
    (void)state;
    struct { const char *from, *to, *where, *path, *fragment; } cases[] = {
        { "\"min_items\": 2", "\"min_items\": \"most\"", "\"most\"", "achievement.complexity.min_items",
          "unknown word \"most\"" },
        { "\"min_items\": 1 }", "\"min_items\": -1 }", "-1 }", "achievement.size.min_items", "out of range" },
        { "\"min_items\": 1 }", "\"min_items\": 1.5 }", "1.5 }", "achievement.size.min_items", "a fraction" },
        { "{ \"1\": 1,", "{ \"0\": 1,", "\"0\"", "experience.min_records.0", "is not a level" },
        { "{ \"1\": 1,", "{ \"16\": 1,", "\"16\"", "experience.min_records.16", "is not a level" },
        { "{ \"1\": 1,", "{ \"1\": \"all\",", "\"all\",", "experience.min_records.1", "expected an integer" },
        { "\"min_rating\": 2", "\"min_rating\": 5", "5 }", "knowledge.min_rating", "out of range" },
        { "\"responsibility\": true", "\"responsibility\": \"yes\"", "\"yes\"", "achievement.responsibility",
          "expected true or false" },
        { "\"lower_levels\": \"warning\"", "\"lower_levels\": \"ignore\"", "\"ignore\"", "lower_levels",
          "unknown word \"ignore\"" },
        { "\"count_failed\": false", "\"count_failed\": false, \"colour\": 1", "\"colour\"", "experience.colour",
          "unknown key \"colour\"" },
        { "\"format\": \"itss-policy\"", "\"format\": \"itss-catalog\"", "\"itss-catalog\"", "format",
          "not a policy file" },
        { "\"format_version\": 1", "\"format_version\": 2", "2,", "format_version", "out of range" },
        { "\"id\": \"test-policy\"", "\"id\": \"\"", "\"\"", "id", "non-empty string" },
        { "  \"knowledge\": { \"min_rating\": 2 }\n", "  \"knowledge_\": { \"min_rating\": 2 }\n", "\"knowledge_\"",
          "knowledge_", "unknown key" },
        { "  \"knowledge\": { \"min_rating\": 2 }\n", "  \"knowledge_\": { \"min_rating\": 2 }\n", NULL, "",
          "missing required key \"knowledge\"" },
        { "\"task\": { \"min_items\": \"all\" }", "\"task\": [ 1 ]", "[ 1 ]", "achievement.task",
          "expected an object" },
        { "  \"knowledge\": { \"min_rating\": 2 }\n",
          "  \"knowledge\": { \"min_rating\": 2 },\n  \"submission\": { \"unanswered\": \"skip\" }\n", "\"skip\"",
          "submission.unanswered", "unknown word \"skip\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = good_with(cases[i].from, cases[i].to);
        expect_refused(text, cases[i].where, cases[i].path, cases[i].fragment);
        free(text);
    }
}

/* 資格: a qualification is supporting evidence unless the policy says it stands
 * in ("qualifications": {"substitute": true}); the key is optional and checked. */
static void test_qualifications_substitute(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    policy *p = policy_parse(GOOD, strlen(GOOD), "p.json", &errs);
    assert_non_null(p);
    assert_false(p->qualification_substitutes);
    policy_free(p);
    p = policy_load_builtin(&errs);
    assert_non_null(p);
    assert_false(p->qualification_substitutes);
    policy_free(p);
    char *text = good_with("\"knowledge\": { \"min_rating\": 2 }",
                           "\"knowledge\": { \"min_rating\": 2 },\n  \"qualifications\": { \"substitute\": true }");
    p = policy_parse(text, strlen(text), "p.json", &errs);
    assert_non_null(p);
    assert_true(p->qualification_substitutes);
    policy_free(p);
    free(text);
    text = good_with("\"knowledge\": { \"min_rating\": 2 }",
                     "\"knowledge\": { \"min_rating\": 2 },\n  \"qualifications\": { \"substitute\": \"yes\" }");
    expect_refused(text, "\"yes\"", "qualifications.substitute", "expected true or false");
    free(text);
    text = good_with("\"knowledge\": { \"min_rating\": 2 }",
                     "\"knowledge\": { \"min_rating\": 2 },\n  \"qualifications\": { \"instead\": true }");
    expect_refused(text, "\"instead\"", "qualifications.instead", "unknown key");
    free(text);
}

/* Text that is not JSON: the reader's own place and reason. */
static void test_not_json(void **state)
{
    (void)state;
    char *text = good_with("\"version\": \"3\",", "\"version\": \"3\"");
    expect_refused(text, "\"title\"", "", "");
    free(text);
    err_list errs;
    memset(&errs, 0, sizeof errs);
    assert_null(policy_parse("", 0, "empty.json", &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].where, "empty.json");
    assert_null(policy_load_file("no/such/policy.json", &errs));
    assert_int_equal(errs.count, 2);
    assert_non_null(strstr(errs.items[1].message, "cannot open"));
}

/* Every problem of one file in one run. */
static void test_many_errors_at_once(void **state)
{
    (void)state;
    char *a = good_with("\"min_items\": 2", "\"min_items\": \"most\"");
    char *b = malloc(strlen(a) + 64);
    const char *at = strstr(a, "\"min_rating\": 2");
    memcpy(b, a, (size_t)(at - a));
    strcpy(b + (at - a), "\"min_rating\": 9");
    strcat(b, at + strlen("\"min_rating\": 2"));
    err_list errs;
    memset(&errs, 0, sizeof errs);
    assert_null(policy_parse(b, strlen(b), "p.json", &errs));
    assert_int_equal(errs.count, 2);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_policy_parses),
        cmocka_unit_test(test_default_thresholds),
        cmocka_unit_test(test_builtin_is_the_file),
        cmocka_unit_test(test_covers_catalog_levels),
        cmocka_unit_test(test_per_level_items),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_qualifications_substitute),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_many_errors_at_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
