/* test_catalog.c - the catalog loader: a good catalog loads and answers lookups; each
 * kind of structural mistake is refused with file:line:column, the JSON path and a
 * clear reason, and the load fails as a whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

/* A small catalog in the documented format; tests replace parts of it. */
static const char *MINI =
"{\n"
"  \"format\": \"itss-catalog\",\n"
"  \"format_version\": 1,\n"
"  \"id\": \"mini\",\n"
"  \"version\": \"1\",\n"
"  \"title\": \"小さな職種\",\n"
"  \"source\": { \"document\": \"テスト\", \"publisher\": \"テスト\" },\n"
"  \"level_range\": { \"min\": 1, \"max\": 7 },\n"
"  \"job_category\": { \"id\": \"MN\", \"name\": \"ミニ\", \"overview\": \"概要\" },\n"
"  \"skill_areas\": [\n"
"    { \"id\": \"MN.AA\", \"code\": \"AA\", \"name\": \"領域Ａ\", \"kind\": \"common\", \"description\": \"説明\" }\n"
"  ],\n"
"  \"specializations\": [\n"
"    { \"id\": \"MN.XX\", \"code\": \"XX\", \"name\": \"分野Ｘ\", \"description\": \"説明\",\n"
"      \"levels\": [\n"
"        { \"id\": \"MN.XX.L3\", \"level\": 3,\n"
"          \"responsibility\": { \"id\": \"MN.XX.L3.responsibility\", \"text\": \"責任\" },\n"
"          \"complexity\": { \"id\": \"MN.XX.L3.complexity\", \"lead\": \"複雑\", \"items\": [\n"
"            { \"id\": \"MN.XX.L3.complexity.1\", \"text\": \"２４時間３６５日\" } ] },\n"
"          \"size\": { \"id\": \"MN.XX.L3.size\", \"lead\": \"規模\", \"items\": [] },\n"
"          \"task\": { \"id\": \"MN.XX.L3.task\", \"lead\": \"タスク\", \"items\": [] } }\n"
"      ],\n"
"      \"skill_areas\": [\n"
"        { \"area\": \"MN.AA\", \"id\": \"MN.XX.AA\",\n"
"          \"proficiency\": [ { \"id\": \"MN.XX.AA.L3\", \"level\": 3, \"text\": \"できる\" } ],\n"
"          \"knowledge\": [ { \"id\": \"MN.XX.AA.K01\", \"name\": \"分類\", \"items\": [\n"
"            { \"id\": \"MN.XX.AA.K01.01\", \"text\": \"項目\" } ] } ] }\n"
"      ] }\n"
"  ],\n"
"  \"common_levels\": [\n"
"    { \"id\": \"MN.CC\", \"code\": \"CC\", \"name\": \"共通\", \"shared_by\": [\"MN.XX\"],\n"
"      \"levels\": [\n"
"        { \"id\": \"MN.CC.L1\", \"level\": 1,\n"
"          \"responsibility\": { \"id\": \"MN.CC.L1.responsibility\", \"text\": \"責任\" },\n"
"          \"complexity\": { \"id\": \"MN.CC.L1.complexity\", \"lead\": \"複雑\", \"items\": [] },\n"
"          \"size\": { \"id\": \"MN.CC.L1.size\", \"lead\": \"規模を問わず\", \"items\": [] },\n"
"          \"task\": { \"id\": \"MN.CC.L1.task\", \"lead\": \"タスク\", \"items\": [] } }\n"
"      ],\n"
"      \"skill_areas\": [] }\n"
"  ],\n"
"  \"notes\": [ { \"id\": \"MN.note.1\", \"about\": \"MN.XX.L3.complexity.1\", \"text\": \"注\" } ]\n"
"}\n";

/* MINI with the first occurrence of `from` replaced by `to`. Caller frees. */
static char *mini_with(const char *from, const char *to)
{
    const char *at = strstr(MINI, from);
    if (!at) { fail_msg("fixture lacks \"%s\"", from); }
    size_t pre = (size_t)(at - MINI), n = strlen(MINI) - strlen(from) + strlen(to);
    char *s = malloc(n + 1);
    memcpy(s, MINI, pre);
    strcpy(s + pre, to);
    strcat(s, at + strlen(from));
    return s;
}

/* Loads text expecting failure with an error at line:column, the path, and a fragment. */
static void expect_refused(const char *text, int line, int column, const char *path, const char *fragment)
{
    err_list errs;
    memset(&errs, 0, sizeof errs);
    catalog *c = catalog_load_buffer(text, strlen(text), "cat.json", &errs);
    if (c) { catalog_free(c); fail_msg("loaded but should not (%s)", fragment); }
    for (size_t i = 0; i < errs.count; i++) {
        const err *e = &errs.items[i];
        if (strstr(e->message, fragment)) {
            assert_string_equal(e->where, "cat.json");
            if (e->line != line || e->column != column || strcmp(e->path, path) != 0)
                fail_msg("\"%s\" at %d:%d %s, expected %d:%d %s", e->message, e->line, e->column, e->path,
                         line, column, path);
            return;
        }
    }
    char first[1200] = "(none)";
    if (errs.count) err_format(&errs.items[0], first, sizeof first);
    fail_msg("no error mentions \"%s\"; first: %s", fragment, first);
}

static void test_mini_loads(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    catalog *c = catalog_load_buffer(MINI, strlen(MINI), "cat.json", &errs);
    if (!c) { char b[1200]; fail_msg("%s", err_format(&errs.items[0], b, sizeof b)); }
    assert_string_equal(catalog_job_id(c), "MN");
    assert_int_equal(catalog_spec_count(c), 1);
    assert_int_equal(catalog_common_count(c), 1);
    /* codes, ids and names match, ignoring case and full/half width */
    const catalog_spec *x = catalog_spec_find(c, "xx");
    assert_non_null(x);
    assert_ptr_equal(catalog_spec_find(c, "ＸＸ"), x);
    assert_ptr_equal(catalog_spec_find(c, "分野X"), x);
    assert_ptr_equal(catalog_spec_find(c, "MN.XX"), x);
    assert_null(catalog_spec_find(c, "YY"));
    /* level 1 comes from the common block, level 3 is its own, level 2 does not exist */
    const catalog_level *l1 = catalog_level_of(c, x, 1);
    assert_non_null(l1);
    assert_string_equal(l1->id, "MN.CC.L1");
    assert_true(l1->owner->is_common);
    assert_null(catalog_level_of(c, x, 2));
    int lo, hi;
    catalog_spec_level_range(c, x, &lo, &hi);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 3);
    catalog_element e;
    assert_true(catalog_find(c, "MN.XX.L3.complexity.1", &e));
    assert_int_equal(e.kind, CK_CHECK_ITEM);
    assert_string_equal(e.item->text, "２４時間３６５日");
    assert_ptr_equal(e.spec, x);
    assert_int_equal(e.level->level, 3);
    assert_int_equal(e.criterion->kind, CRITERION_COMPLEXITY);
    assert_true(catalog_find(c, "MN.XX.AA.K01.01", &e));
    assert_int_equal(e.kind, CK_KNOWLEDGE_ITEM);
    assert_string_equal(e.area->code, "AA");
    assert_string_equal(e.category->name, "分類");
    assert_false(catalog_find(c, "MN.XX.L4", NULL));
    /* the blocks a specialization is assessed on */
    const catalog_spec *cc = catalog_spec_find(c, "CC");
    const catalog_spec *blocks[4];
    assert_int_equal(catalog_commons_of(c, x, blocks, 4), 1);
    assert_ptr_equal(blocks[0], cc);
    assert_int_equal(catalog_commons_of(c, x, blocks, 0), 0);
    assert_true(catalog_block_of(x, x));
    assert_true(catalog_block_of(cc, x));
    assert_false(catalog_block_of(x, cc));
    assert_false(catalog_block_of(NULL, x));
    const catalog_area *aa = catalog_area_find(c, "AA");
    const catalog_spec_area *sas[4];
    assert_int_equal(catalog_spec_area_blocks(c, x, aa, sas, 4), 1);   /* the common block has no areas */
    assert_ptr_equal(sas[0], catalog_spec_area_own(x, aa));
    assert_string_equal(sas[0]->id, "MN.XX.AA");
    assert_null(catalog_spec_area_own(cc, aa));
    catalog_free(c);
}

static void test_refusals(void **state)
{
    (void)state;
    char *s;
    s = mini_with("\"title\": \"小さな職種\",", "\"title\": \"小さな職種\", \"colour\": 1,");
    expect_refused(s, 6, 21, "colour", "unknown key \"colour\"");
    free(s);
    s = mini_with("\"id\": \"MN.XX.L3.task\"", "\"id\": \"MN.XX.L3.size\"");
    expect_refused(s, 21, 27, "specializations[0].levels[0].task.id", "duplicate id \"MN.XX.L3.size\"");
    free(s);
    s = mini_with("\"level\": 3,", "\"level\": 9,");
    expect_refused(s, 16, 38, "specializations[0].levels[0].level", "outside the catalog's level_range");
    free(s);
    s = mini_with("\"text\": \"責任\"", "\"text\": \"　 \"");
    expect_refused(s, 17, 72, "specializations[0].levels[0].responsibility.text", "empty text");
    free(s);
    s = mini_with("\"area\": \"MN.AA\"", "\"area\": \"MN.ZZ\"");
    expect_refused(s, 24, 19, "specializations[0].skill_areas[0].area", "undefined skill area \"MN.ZZ\"");
    free(s);
    s = mini_with("\"shared_by\": [\"MN.XX\"]", "\"shared_by\": [\"MN.YY\"]");
    expect_refused(s, 31, 64, "common_levels[0].shared_by[0]", "undefined specialization \"MN.YY\"");
    free(s);
    s = mini_with("\"about\": \"MN.XX.L3.complexity.1\"", "\"about\": \"MN.XX.L3.complexity.9\"");
    expect_refused(s, 41, 44, "notes[0].about", "does not define");
    free(s);
    s = mini_with("\"level\": 3,", "\"level\": \"3\",");
    expect_refused(s, 16, 38, "specializations[0].levels[0].level", "expected an integer");
    free(s);
    s = mini_with("\"format_version\": 1", "\"format_version\": 2");
    expect_refused(s, 3, 21, "format_version", "not supported");
    free(s);
    s = mini_with("\"id\": \"MN.XX.AA.L3\"", "\"id\": \"XX.AA.L3\"");
    expect_refused(s, 25, 36, "specializations[0].skill_areas[0].proficiency[0].id", "does not start with");
    free(s);
    s = mini_with("\"id\": \"MN.XX.AA.K01.01\"", "\"id\": \"MN.XX.AA K01\"");
    expect_refused(s, 27, 21, "specializations[0].skill_areas[0].knowledge[0].items[0].id", "malformed id");
    free(s);
    s = mini_with("\"level\": 1,", "\"level\": 3,");
    expect_refused(s, 31, 64, "common_levels[0].shared_by[0]", "both MN.XX's own and shared");
    free(s);
    s = mini_with("\"lead\": \"タスク\", ", "");
    expect_refused(s, 21, 19, "specializations[0].levels[0].task", "missing required key \"lead\"");
    free(s);
    s = mini_with("\"kind\": \"common\"", "\"kind\": \"general\"");
    expect_refused(s, 11, 59, "skill_areas[0].kind", "kind must be");
    free(s);
    /* syntax errors come from the reader with the place */
    s = mini_with("\"version\": \"1\",", "\"version\": \"1\"");
    expect_refused(s, 6, 3, "", "expected ',' or '}'");
    free(s);
    expect_refused("", 1, 1, "", "empty file");
    expect_refused("[1, 2]", 1, 1, "", "expected an object");
    expect_refused("{\"format\": \"itss-catalog\", \"format_version\": 1, \"id\": \"x\", \"version\": \"1\", "
                   "\"title\": \"t\", \"source\": {\"document\": \"d\", \"publisher\": \"p\"}, "
                   "\"level_range\": {\"min\": 1, \"max\": 7}, "
                   "\"job_category\": {\"id\": \"X\", \"name\": \"n\", \"overview\": \"o\"}, "
                   "\"skill_areas\": [], \"specializations\": []}",
                   1, 248, "skill_areas", "at least one skill area");
}

/* One run reports every problem, not just the first. */
static void test_many_errors_reported(void **state)
{
    (void)state;
    char *a = mini_with("\"text\": \"できる\"", "\"text\": \"\"");
    char *b = malloc(strlen(a) + 64);
    const char *at = strstr(a, "\"name\": \"分類\"");
    size_t pre = (size_t)(at - a);
    memcpy(b, a, pre);
    strcpy(b + pre, "\"name\": 7");
    strcat(b, at + strlen("\"name\": \"分類\""));
    err_list errs;
    memset(&errs, 0, sizeof errs);
    assert_null(catalog_load_buffer(b, strlen(b), "cat.json", &errs));
    assert_int_equal(errs.count, 2);
    assert_non_null(strstr(errs.items[0].message, "empty text"));
    assert_non_null(strstr(errs.items[1].message, "expected a string"));
    free(a);
    free(b);
}

static void test_missing_file(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    assert_null(catalog_load_file("tests/fixtures/no-such-catalog.json", &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].where, "tests/fixtures/no-such-catalog.json");
    assert_non_null(strstr(errs.items[0].message, "cannot open"));
    memset(&errs, 0, sizeof errs);
    assert_null(catalog_load_file("tests", &errs));
    assert_non_null(strstr(errs.items[0].message, "directory"));
}

/* The shipped catalog: built-in copy equals the file, lookups answer. */
static void test_shipped_catalog(void **state)
{
    (void)state;
    err_list errs;
    memset(&errs, 0, sizeof errs);
    catalog *f = catalog_load_file("catalog/customer-service.json", &errs);
    catalog *b = catalog_load_builtin(&errs);
    assert_non_null(f);
    assert_non_null(b);
    assert_int_equal(catalog_element_count(f), catalog_element_count(b));
    for (size_t i = 0; i < catalog_element_count(f); i++)
        assert_string_equal(catalog_element_at(f, i)->id, catalog_element_at(b, i)->id);
    const catalog_spec *hw = catalog_spec_find(f, "ハードウェア");
    assert_non_null(hw);
    assert_string_equal(hw->code, "HW");
    catalog_element e;
    assert_true(catalog_find(f, "CS.HW.L4.complexity.3", &e));
    assert_int_equal(e.level->level, 4);
    /* HW level 2 is the common block shared with SW */
    const catalog_level *l2 = catalog_level_of(f, hw, 2);
    assert_non_null(l2);
    assert_ptr_equal(l2, catalog_level_of(f, catalog_spec_find(f, "SW"), 2));
    assert_null(catalog_level_of(f, catalog_spec_find(f, "FM"), 2));
    const catalog_area *uea = catalog_area_find(f, "ユーザ環境分析");
    assert_non_null(uea);
    assert_non_null(catalog_spec_area_of(f, hw, uea, 2));
    assert_non_null(catalog_spec_area_of(f, hw, uea, 5));
    assert_null(catalog_spec_area_of(f, hw, uea, 6));
    const catalog_spec_area *uea_blocks[4];
    assert_int_equal(catalog_spec_area_blocks(f, hw, uea, uea_blocks, 4), 2);
    assert_string_equal(uea_blocks[0]->id, "CS.HW.UEA");
    assert_string_equal(uea_blocks[1]->id, "CS.HWSW.UEA");
    assert_int_equal(catalog_spec_area_blocks(f, catalog_spec_find(f, "FM"), uea, uea_blocks, 4), 1);
    catalog_free(f);
    catalog_free(b);
}

struct lookup_job { const catalog *c; int found; };

static void *lookup_all(void *arg)
{
    struct lookup_job *j = arg;
    for (int round = 0; round < 20; round++)
        for (size_t i = 0; i < catalog_element_count(j->c); i++) {
            catalog_element e;
            if (catalog_find(j->c, catalog_element_at(j->c, i)->id, &e)) j->found++;
        }
    return NULL;
}

/* A loaded catalog is read by many threads at once without locks. */
static void test_shared_between_threads(void **state)
{
    (void)state;
    catalog *c = catalog_load_builtin(NULL);
    assert_non_null(c);
    pthread_t t[4];
    struct lookup_job jobs[4];
    for (int i = 0; i < 4; i++) { jobs[i] = (struct lookup_job){ c, 0 }; pthread_create(&t[i], NULL, lookup_all, &jobs[i]); }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(jobs[i].found, (int)catalog_element_count(c) * 20);
    }
    catalog_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mini_loads),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_many_errors_reported),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_shipped_catalog),
        cmocka_unit_test(test_shared_between_threads),
    };
    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
