/* test_text.c - the Unicode rules search, lookups and terminal tables rely on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "text.h"

/* Asserts that a and b fold to the same text. */
static void assert_fold_equal(const char *a, const char *b)
{
    char *fa = text_fold(a), *fb = text_fold(b);
    assert_non_null(fa);
    assert_non_null(fb);
    assert_string_equal(fa, fb);
    free(fa);
    free(fb);
}

/* Full-width digits and letters (as the standard prints them) fold to ASCII. */
static void test_fold_fullwidth(void **state)
{
    (void)state;
    assert_fold_equal("２４時間３６５日", "24時間365日");
    assert_fold_equal("ＩＴ", "IT");
    assert_fold_equal("ＩＴ主要コンポネント", "it主要コンポネント");
    assert_fold_equal("ﾊｰﾄﾞｳｪｱ", "ハードウェア");
}

/* Folding keeps what differs: a different word does not become equal. */
static void test_fold_distinguishes(void **state)
{
    char *a = text_fold("24時間365日"), *b = text_fold("24時間366日");
    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_string_not_equal(a, b);
    free(a);
    /* the folded form is lower-case ASCII where the input was full-width */
    a = text_fold("ＡＢＣ１２３");
    assert_string_equal(a, "abc123");
    free(a);
    free(b);
}

/* Folding refuses what is not UTF-8 rather than guessing. */
static void test_fold_invalid(void **state)
{
    (void)state;
    assert_null(text_fold("ab\xff"));
    assert_null(text_fold("\xe3\x81"));
}

/* Wide characters take two columns, ASCII one, combining marks and controls none. */
static void test_width(void **state)
{
    (void)state;
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("IT"), 2);
    assert_int_equal(text_width("ITスキル"), 2 + 3 * 2);
    assert_int_equal(text_width("ＩＴ"), 4);
    assert_int_equal(text_width("ﾊｰﾄﾞ"), 4);              /* half-width katakana */
    assert_int_equal(text_width("24時間365日"), 5 + 3 * 2);
    assert_int_equal(text_width("e\xcc\x81"), 1);           /* e + COMBINING ACUTE */
    assert_int_equal(text_width("a\tb"), 2);
    assert_int_equal(text_width("ab\xff"), 3);              /* bad byte shows as one */
}

/* Invalid UTF-8 is found at the offset where it starts. */
static void test_is_utf8(void **state)
{
    size_t bad = 999;
    const char nul[] = "ab\0cd";
    (void)state;
    assert_true(text_is_utf8("カスタマサービス", strlen("カスタマサービス"), &bad));
    assert_true(text_is_utf8("", 0, NULL));

    assert_false(text_is_utf8("ab\xff", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(text_is_utf8("日本\xe8\xaa", 8, &bad));     /* cut-short sequence */
    assert_int_equal(bad, 6);
    assert_false(text_is_utf8("x\xc0\xaf", 3, &bad));       /* overlong '/' */
    assert_int_equal(bad, 1);
    assert_false(text_is_utf8("\xed\xa0\x80", 3, &bad));    /* surrogate */
    assert_int_equal(bad, 0);
    assert_false(text_is_utf8("\xf4\x90\x80\x80", 4, &bad));/* above U+10FFFF */
    assert_int_equal(bad, 0);
    assert_false(text_is_utf8("ab\x80", 3, &bad));          /* stray continuation */
    assert_int_equal(bad, 2);
    assert_false(text_is_utf8(nul, sizeof nul - 1, &bad));  /* NUL byte */
    assert_int_equal(bad, 2);
    assert_true(text_is_utf8("\xf0\x9f\x98\x80", 4, NULL)); /* 4-byte emoji */
}

/* text_fit never cuts a character, and never exceeds the width. */
static void test_fit(void **state)
{
    const char *s = "日本語abc";
    int w;
    (void)state;
    assert_int_equal(text_fit(s, 0), 0);
    assert_int_equal(text_fit(s, 1), 0);          /* a wide char does not fit in 1 */
    assert_int_equal(text_fit(s, 2), 3);
    assert_int_equal(text_fit(s, 3), 3);
    assert_int_equal(text_fit(s, 5), 6);
    assert_int_equal(text_fit(s, 6), 9);
    assert_int_equal(text_fit(s, 7), 10);
    assert_int_equal(text_fit(s, 100), strlen(s));
    /* a combining mark stays with its base character */
    assert_int_equal(text_fit("e\xcc\x81x", 1), 3);

    /* every width: the prefix is whole characters and fits */
    for (w = 0; w <= 12; w++) {
        size_t n = text_fit("ａbｃ日d本", w);
        char prefix[64];
        memcpy(prefix, "ａbｃ日d本", n);
        prefix[n] = '\0';
        assert_true(text_is_utf8(prefix, n, NULL));
        assert_true(text_width(prefix) <= w);
    }
}

/* Columns are counted in characters, as error messages report them. */
static void test_column(void **state)
{
    const char *line = "\"名前\": 1";
    (void)state;
    assert_int_equal(text_column(line, 0), 1);
    assert_int_equal(text_column(line, 1), 2);
    assert_int_equal(text_column(line, 7), 4);    /* after "名前 */
    assert_int_equal(text_column(line, strlen(line)), 8); /* "名前": 1 is 7 chars */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_fullwidth),
        cmocka_unit_test(test_fold_distinguishes),
        cmocka_unit_test(test_fold_invalid),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_is_utf8),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
