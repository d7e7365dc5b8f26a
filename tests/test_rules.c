/* test_rules.c - the domain's rules for single values (src/rules.c), as the
 * store, the imports and the web rely on them: which values pass, and that a
 * refusal names the field, the rule (message key) and the value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rules.h"

/* Asserts that a check refused with key, naming field as the path. */
static void assert_refused(int rc, const err *e, const char *field, const char *key)
{
    assert_int_equal(rc, -1);
    assert_int_equal(e->code, ERR_INVALID);
    assert_string_equal(e->key, key);
    assert_string_equal(e->path, field);
}

static void test_dates_and_months(void **state)
{
    (void)state;
    err e;
    assert_true(rules_is_date("2026-04-01"));
    assert_true(rules_is_date("2024-02-29"));           /* a leap year */
    assert_true(rules_is_date("2000-02-29"));           /* divisible by 400 */
    assert_false(rules_is_date("1900-02-29"));          /* divisible by 100 */
    assert_false(rules_is_date("2027-02-29"));
    assert_false(rules_is_date("2026-04-31"));
    assert_false(rules_is_date("2026-13-01"));
    assert_false(rules_is_date("1899-12-31"));
    assert_false(rules_is_date("2026-4-1"));
    assert_false(rules_is_date("2026/04/01"));
    assert_false(rules_is_date(NULL));
    assert_true(rules_is_month("2024-04"));
    assert_false(rules_is_month("2024-4"));
    assert_false(rules_is_month("2024-00"));
    assert_false(rules_is_month("2024-04-01"));

    assert_int_equal(rules_date(&e, "opens", "", 0), 0);
    assert_refused(rules_date(&e, "opens", "", 1), &e, "opens", "text.empty");
    assert_refused(rules_date(&e, "opens", "2027-02-29", 1), &e, "opens", "date.invalid");
    assert_non_null(strstr(e.message, "'2027-02-29' is not a date (YYYY-MM-DD)"));
    assert_int_equal(rules_month(&e, "period_to", NULL), 0);
    assert_refused(rules_month(&e, "period_from", "2024-4"), &e, "period_from", "month.invalid");
}

static void test_codes_and_names(void **state)
{
    (void)state;
    err e;
    char long_code[RULES_CODE_MAX + 2];
    memset(long_code, 'A', sizeof long_code - 1);
    long_code[sizeof long_code - 1] = '\0';
    assert_int_equal(rules_code(&e, "code", "CS-1"), 0);
    assert_int_equal(rules_code(&e, "code", "営業部"), 0);
    assert_refused(rules_code(&e, "code", ""), &e, "code", "text.empty");
    assert_refused(rules_code(&e, "code", "CS 1"), &e, "code", "code.space");
    assert_refused(rules_code(&e, "code", "CS\xe3\x80\x80" "1"), &e, "code", "code.space");   /* ideographic space */
    assert_refused(rules_code(&e, "code", long_code), &e, "code", "code.long");
    assert_refused(rules_code(&e, "code", "CS\t1"), &e, "code", "text.control");
    assert_refused(rules_code(&e, "code", "CS\xff"), &e, "code", "text.utf8");

    char long_name[RULES_NAME_MAX + 2];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(rules_name(&e, "name", "佐藤 花子", 1), 0);
    assert_int_equal(rules_name(&e, "kana", NULL, 0), 0);
    assert_refused(rules_name(&e, "name", NULL, 1), &e, "name", "text.empty");
    assert_refused(rules_name(&e, "name", long_name, 1), &e, "name", "text.long");
    assert_refused(rules_name(&e, "name", "佐藤\n花子", 1), &e, "name", "text.control");
    assert_int_equal(rules_text(&e, "body", "一行目\n二行目\tタブ", 1, 1), 0);
}

static void test_email_login_role_identifier(void **state)
{
    (void)state;
    err e;
    assert_int_equal(rules_email(&e, "email", "hanako.sato@example.co.jp"), 0);
    assert_int_equal(rules_email(&e, "email", ""), 0);
    assert_int_equal(rules_email(&e, "email", NULL), 0);
    assert_refused(rules_email(&e, "email", "hanako.sato"), &e, "email", "email.invalid");
    assert_non_null(strstr(e.message, "'hanako.sato' is not an e-mail address"));
    assert_refused(rules_email(&e, "email", "hanako sato@example.com"), &e, "email", "email.invalid");
    assert_refused(rules_email(&e, "email", "a@b\x01"), &e, "email", "text.control");
    char long_email[RULES_EMAIL_MAX + 2];
    memset(long_email, 'a', sizeof long_email - 1);
    long_email[sizeof long_email - 1] = '\0';
    long_email[10] = '@';
    assert_refused(rules_email(&e, "email", long_email), &e, "email", "email.invalid");

    assert_int_equal(rules_login(&e, "login", "hanako.sato@example"), 0);
    assert_refused(rules_login(&e, "login", "佐藤"), &e, "login", "login.chars");
    assert_refused(rules_login(&e, "login", "a b"), &e, "login", "login.chars");
    assert_refused(rules_login(&e, "login", ""), &e, "login", "text.empty");
    assert_int_equal(rules_role(&e, "role", "hr"), 0);
    assert_refused(rules_role(&e, "role", "root"), &e, "role", "role.invalid");
    assert_int_equal(rules_element_id(&e, "element_id", "CS.HW.L4.complexity.3"), 0);
    assert_refused(rules_element_id(&e, "element_id", "CS HW"), &e, "element_id", "element_id.invalid");

    /* A person's fields in the store's order: the first refusal wins. */
    assert_int_equal(rules_person(&e, "E0001", "佐藤 花子", "サトウ ハナコ", "sato@example.com"), 0);
    assert_refused(rules_person(&e, "E 0001", "", NULL, "x"), &e, "employee_number", "code.space");
    assert_refused(rules_person(&e, "E0001", "佐藤 花子", NULL, "x"), &e, "email", "email.invalid");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_and_months),
        cmocka_unit_test(test_codes_and_names),
        cmocka_unit_test(test_email_login_role_identifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
