/* test_buf.c - the output buffer's escaping appenders: what pages, JSON answers
 * and CSV exports rely on to keep data from becoming markup or breaking files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "buf.h"

static void test_html(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    buf_html(&b, "<script>alert('x')</script> & \"q\" 日本語");
    assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; 日本語");
    buf_reset(&b);
    buf_html(&b, "");
    assert_int_equal(b.len, 0);
    buf_html(&b, "&");
    buf_html(&b, "plain");
    assert_string_equal(b.data, "&amp;plain");
    buf_free(&b);
}

static void test_json(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    buf_json_str(&b, "a\"b\\c\nd\te\x01</script>");
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u003c/script>\"");
    buf_free(&b);
}

static void test_csv(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    buf_csv_field(&b, "plain");
    buf_putc(&b, ',');
    buf_csv_field(&b, "a,b");
    buf_putc(&b, ',');
    buf_csv_field(&b, "say \"hi\"");
    buf_putc(&b, ',');
    buf_csv_field(&b, "two\r\nlines");
    buf_putc(&b, ',');
    buf_csv_field(&b, "");
    assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",");
    buf_free(&b);
}

static void test_growth_and_printf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    for (int i = 0; i < 10000; i++) buf_printf(&b, "%d,", i);
    assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.len, strlen(b.data));
    char *owned = buf_detach(&b);
    assert_int_equal(b.len, 0);
    assert_null(b.data);
    free(owned);
    owned = buf_detach(&b);         /* an empty buffer still gives a string */
    assert_string_equal(owned, "");
    free(owned);
}

static void test_pad_counts_wide_characters(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    buf_pad(&b, "ハード", 8);
    buf_puts(&b, "|");
    buf_pad(&b, "HW", 4);
    buf_puts(&b, "|");
    assert_string_equal(b.data, "ハード  |HW  |");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_growth_and_printf),
        cmocka_unit_test(test_pad_counts_wide_characters),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
