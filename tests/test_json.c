/* test_json.c - the position-tracking JSON reader: values, positions, and every
 * kind of malformed input a catalog or assessment file can arrive as. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "json.h"

static json_value *parse(const char *s, err *e)
{
    return json_parse(s, strlen(s), "t.json", e);
}

/* Parses s expecting failure; checks line, column and a fragment of the message. */
static void expect_error(const char *s, int line, int column, const char *fragment)
{
    err e;
    memset(&e, 0, sizeof e);
    json_value *v = json_parse(s, strlen(s), "t.json", &e);
    if (v) { json_free(v); fail_msg("parsed but should not: %s", s); }
    assert_string_equal(e.where, "t.json");
    assert_int_equal(e.line, line);
    assert_int_equal(e.column, column);
    if (!strstr(e.message, fragment)) fail_msg("message \"%s\" lacks \"%s\"", e.message, fragment);
}

/* The same for text of len bytes (which may hold NUL). */
static void expect_error_len(const char *s, size_t len, int line, int column, const char *fragment)
{
    err e;
    memset(&e, 0, sizeof e);
    json_value *v = json_parse(s, len, "t.json", &e);
    if (v) { json_free(v); fail_msg("parsed but should not (%zu bytes)", len); }
    assert_string_equal(e.where, "t.json");
    assert_int_equal(e.line, line);
    assert_int_equal(e.column, column);
    if (!strstr(e.message, fragment)) fail_msg("message \"%s\" lacks \"%s\"", e.message, fragment);
}

static void test_values_and_positions(void **state)
{
    (void)state;
    err e;
    json_value *v = parse("{\n  \"a\": [1, -2.5e1, true, null],\n  \"日本\": \"２４時間\\u3000x\"\n}", &e);
    assert_non_null(v);
    assert_int_equal(v->type, JV_OBJECT);
    assert_int_equal(v->n_members, 2);
    const json_member *a = json_member_get(v, "a");
    assert_non_null(a);
    assert_int_equal(a->line, 2);
    assert_int_equal(a->column, 3);
    assert_int_equal(a->value->n_elements, 4);
    assert_true(a->value->elements[0]->is_integer);
    assert_false(a->value->elements[1]->is_integer);
    assert_true(a->value->elements[1]->number == -25.0);
    const json_member *jp = json_member_get(v, "日本");
    assert_non_null(jp);
    /* column counts characters, not bytes: "日本": starts at 3, value at 9 */
    assert_int_equal(jp->value->line, 3);
    assert_int_equal(jp->value->column, 9);
    assert_string_equal(jp->value->string, "２４時間\xE3\x80\x80x");
    assert_null(json_member_get(v, "missing"));
    json_free(v);
}

static void test_bom_and_surrogates(void **state)
{
    (void)state;
    err e;
    json_value *v = parse("\xEF\xBB\xBF[\"\\ud83d\\ude00\"]", &e);
    assert_non_null(v);
    assert_string_equal(v->elements[0]->string, "\xF0\x9F\x98\x80");
    json_free(v);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("", 1, 1, "empty document");
    expect_error("   \n  ", 2, 3, "empty document");
    expect_error("{\"a\": 1", 1, 8, "unexpected end of input");
    expect_error("{\"a\": \"abc", 1, 7, "unterminated string");
    expect_error("[1, 2,]", 1, 7, "trailing comma");
    expect_error("{\"a\": 1,}", 1, 9, "trailing comma");
    expect_error("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key");
    expect_error("{\"a\" 1}", 1, 6, "expected ':'");
    expect_error("[1] x", 1, 5, "unexpected text");
    expect_error("[01]", 1, 3, "expected ',' or ']'");
    expect_error("[1.]", 1, 2, "invalid number");
    expect_error("[nul]", 1, 2, "expected a value");
    expect_error("[\"a\nb\"]", 1, 4, "line break inside a string");
    expect_error("[\"\\x\"]", 1, 3, "unknown escape");
    expect_error("[\"\\u12\"]", 1, 3, "bad \\u escape");
    expect_error("[\"\\ud800\"]", 1, 3, "unpaired surrogate");
    expect_error("[\"\\u0000\"]", 1, 3, "\\u0000");
    expect_error("{\"k\": \"ok\",\n \"x\": \"\xE3\x81\"}", 2, 8, "invalid UTF-8");
    expect_error("[\xC0\xAF]", 1, 2, "invalid UTF-8");
    expect_error("[\"\xED\xA0\x80\"]", 1, 3, "invalid UTF-8");   /* encoded surrogate */
    expect_error("[1e999]", 1, 2, "out of range");
}

/* Errors say where in the document they are, as a JSON path. */
static void test_error_paths(void **state)
{
    (void)state;
    err e;
    assert_null(parse("{\"a\": {\"b\": [1, {\"c\": 1, \"c\": 2}]}}", &e));
    assert_string_equal(e.path, "a.b[1].c");
    assert_string_equal(e.message, "duplicate key \"c\"");
    assert_null(parse("{\"a\": [true, fals]}", &e));
    assert_string_equal(e.path, "a[1]");
    assert_null(parse("[1, 2", &e));
    assert_string_equal(e.path, "");
}

static void test_depth_limit(void **state)
{
    (void)state;
    char deep[JSON_MAX_DEPTH * 2 + 8];
    size_t n = 0;
    for (int i = 0; i < JSON_MAX_DEPTH + 2; i++) deep[n++] = '[';
    deep[n] = '\0';
    err e;
    assert_null(json_parse(deep, n, "t.json", &e));
    assert_non_null(strstr(e.message, "nesting too deep"));
}

/* Every prefix of a valid document is rejected cleanly (never a crash or a partial tree). */
static void test_every_truncation(void **state)
{
    (void)state;
    const char *doc = "{\"a\": [1, {\"b\": \"x\\u00e9y\"}, false], \"c\": -0.5}";
    size_t len = strlen(doc);
    for (size_t i = 0; i < len; i++) {
        err e;
        json_value *v = json_parse(doc, i, "t.json", &e);
        if (v) { json_free(v); fail_msg("prefix of %zu bytes parsed", i); }
        assert_int_equal(e.line, 1);
    }
    err e;
    json_value *v = json_parse(doc, len, "t.json", &e);
    assert_non_null(v);
    json_free(v);
}

/* A document on one line (what JSON clients send): every value keeps its column,
 * counted in characters, however many values precede it on the line; an error
 * at the end of the line is placed too. Found by fuzzing: each column was
 * counted from the start of the line, so a megabyte on one line took minutes. */
static void test_long_line_positions(void **state)
{
    (void)state;
    enum { N = 100000 };
    size_t cap = 8 * N + 16, n = 0;
    char *doc = malloc(cap);
    int *column = malloc(N * sizeof *column);
    assert_non_null(doc);
    assert_non_null(column);
    int chars = 0;
    doc[n++] = '[';
    chars++;
    for (int i = 0; i < N; i++) {
        if (i) { doc[n++] = ','; chars++; }
        column[i] = chars + 1;
        if (i % 2) { memcpy(doc + n, "\"\xE6\x97\xA5\"", 5); n += 5; chars += 3; }   /* "日" */
        else { doc[n++] = '7'; chars++; }
    }
    doc[n++] = ']';
    err e;
    json_value *v = json_parse(doc, n, "t.json", &e);
    assert_non_null(v);
    assert_int_equal(v->n_elements, N);
    for (int i = 0; i < N; i++) {
        assert_int_equal(v->elements[i]->line, 1);
        if (v->elements[i]->column != column[i])
            fail_msg("element %d at column %d, expected %d", i, v->elements[i]->column, column[i]);
    }
    json_free(v);
    /* the same line with a trailing comma: refused at the closing bracket */
    doc[n - 1] = ',';
    doc[n++] = ']';
    expect_error_len(doc, n, 1, chars + 2, "trailing comma");
    free(doc);
    free(column);
}

/* An object with many keys: all kept in file order, and a key given twice is
 * refused at its second place with its path, however many keys came between.
 * Found by fuzzing: each key was compared with every earlier one. */
static void test_many_keys(void **state)
{
    (void)state;
    enum { N = 50000 };
    size_t cap = 24 * (size_t)N + 64, n = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    doc[n++] = '{';
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(doc + n, cap - n, "%s\n\"k%d\": %d", i ? "," : "", i, i);
    doc[n++] = '}';
    err e;
    json_value *v = json_parse(doc, n, "t.json", &e);
    assert_non_null(v);
    assert_int_equal(v->n_members, N);
    assert_string_equal(v->members[0].key, "k0");
    assert_string_equal(v->members[N - 1].key, "k49999");
    assert_int_equal(v->members[N - 1].line, N + 1);
    assert_int_equal(v->members[N - 1].value->number, N - 1);
    json_free(v);
    /* "k17" again as the last key: line N + 2, column 1 */
    n--;
    n += (size_t)snprintf(doc + n, cap - n, ",\n\"k17\": 0}");
    expect_error_len(doc, n, N + 2, 1, "duplicate key \"k17\"");
    memset(&e, 0, sizeof e);
    assert_null(json_parse(doc, n, "t.json", &e));
    assert_string_equal(e.path, "k17");
    /* keys that differ only in case or length are different keys */
    n = (size_t)snprintf(doc, cap, "{");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(doc + n, cap - n, "%s\"%.*s\": 0, \"%.*s\": 1", i ? ", " : "", i + 1,
                              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", i + 1,
                              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    n += (size_t)snprintf(doc + n, cap - n, "}");
    v = json_parse(doc, n, "t.json", &e);
    assert_non_null(v);
    assert_int_equal(v->n_members, 80);
    json_free(v);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_and_positions),
        cmocka_unit_test(test_bom_and_surrogates),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_error_paths),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_long_line_positions),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
