/* rules.c - the domain's rules for single values (see rules.h). */
#include "rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"

#define invalid(e, key, field, ...) err_refuse(e, ERR_INVALID, key, field, __VA_ARGS__)

int rules_text(err *e, const char *field, const char *v, int required, int multiline)
{
    if (!v || !v[0])
        return required ? invalid(e, "text.empty", field, "may not be empty") : 0;
    size_t bad;
    if (!text_is_utf8(v, strlen(v), &bad))
        return invalid(e, "text.utf8", field, "is not valid UTF-8 (byte %zu)", bad + 1);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t' || *p == '\r'))) || *p == 0x7f)
            return invalid(e, "text.control", field, "holds a control character (byte %zu)",
                           (size_t)(p - (const unsigned char *)v) + 1);
    }
    return 0;
}

int rules_code(err *e, const char *field, const char *v)
{
    if (rules_text(e, field, v, 1, 0) < 0)
        return -1;
    if (strlen(v) > RULES_CODE_MAX)
        return invalid(e, "code.long", field, "'%s' is longer than %d bytes", v, RULES_CODE_MAX);
    if (strchr(v, ' ') || strstr(v, "\xe3\x80\x80"))
        return invalid(e, "code.space", field, "'%s' may not contain spaces", v);
    return 0;
}

int rules_name(err *e, const char *field, const char *v, int required)
{
    if (rules_text(e, field, v, required, 0) < 0)
        return -1;
    if (v && strlen(v) > RULES_NAME_MAX)
        return invalid(e, "text.long", field, "is longer than %d bytes", RULES_NAME_MAX);
    return 0;
}

int rules_email(err *e, const char *field, const char *v)
{
    if (rules_text(e, field, v, 0, 0) < 0)
        return -1;
    if (!v || !v[0])
        return 0;
    if (strlen(v) > RULES_EMAIL_MAX)
        return invalid(e, "email.invalid", field, "is longer than %d bytes, too long for an e-mail address",
                       RULES_EMAIL_MAX);
    if (!strchr(v, '@') || strchr(v, ' '))
        return invalid(e, "email.invalid", field, "'%s' is not an e-mail address", v);
    return 0;
}

int rules_person(err *e, const char *employee_number, const char *name, const char *kana, const char *email)
{
    if (rules_code(e, "employee_number", employee_number) < 0 || rules_name(e, "name", name, 1) < 0
        || rules_name(e, "kana", kana, 0) < 0 || rules_email(e, "email", email) < 0)
        return -1;
    return 0;
}

/* Reads n digits at s into *out; 0 when they are not all digits. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* 1 when s is "YYYY-MM" (with_day 0) or "YYYY-MM-DD" (with_day 1), a real date
 * of 1900 or later. */
static int is_date(const char *s, int with_day)
{
    int y, m, d = 1;
    if (!s || strlen(s) != (with_day ? 10u : 7u) || s[4] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m))
        return 0;
    if (y < 1900 || m < 1 || m > 12)
        return 0;
    if (with_day) {
        if (s[7] != '-' || !digits(s + 8, 2, &d))
            return 0;
        static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap))
            return 0;
    }
    return 1;
}

int rules_is_date(const char *s)
{
    return is_date(s, 1);
}

int rules_is_month(const char *s)
{
    return is_date(s, 0);
}

void rules_today(char out[11])
{
    const char *pinned = getenv("ITSS_TODAY");
    if (pinned && is_date(pinned, 1) && strlen(pinned) == 10) {
        memcpy(out, pinned, 11);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int rules_fiscal_year(const char *date)
{
    int year = atoi(date), month = atoi(date + 5);
    return month >= 4 ? year : year - 1;
}

int rules_date(err *e, const char *field, const char *v, int required)
{
    if (!v || !v[0])
        return required ? invalid(e, "text.empty", field, "may not be empty") : 0;
    if (!is_date(v, 1))
        return invalid(e, "date.invalid", field, "'%s' is not a date (YYYY-MM-DD)", v);
    return 0;
}

int rules_month(err *e, const char *field, const char *v)
{
    if (v && v[0] && !is_date(v, 0))
        return invalid(e, "month.invalid", field, "'%s' is not a month (YYYY-MM)", v);
    return 0;
}

int rules_login(err *e, const char *field, const char *v)
{
    if (!v || !v[0])
        return invalid(e, "text.empty", field, "may not be empty");
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 0x80 || !(isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@'))
            return invalid(e, "login.chars", field, "'%s' may hold only ASCII letters, digits, '.', '_', '-' and '@'",
                           v);
    }
    if (n > RULES_LOGIN_MAX)
        return invalid(e, "login.long", field, "'%s' is longer than %d bytes", v, RULES_LOGIN_MAX);
    return 0;
}

int rules_role(err *e, const char *field, const char *v)
{
    static const char *const roles[] = { "engineer", "manager", "hr", "admin" };
    for (size_t i = 0; v && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(v, roles[i]) == 0)
            return 0;
    return invalid(e, "role.invalid", field, "'%s' is not a role (engineer, manager, hr, admin)", v ? v : "");
}

int rules_element_id(err *e, const char *field, const char *v)
{
    if (!v || !v[0])
        return invalid(e, "text.empty", field, "may not be empty");
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (!(isalnum(c) || c == '.' || c == '_' || c == '-') || c >= 0x80)
            return invalid(e, "element_id.invalid", field,
                           "'%s' is not a catalog identifier (letters, digits, '.', '_', '-')", v);
    }
    if (n > RULES_ID_MAX)
        return invalid(e, "element_id.long", field, "'%s' is longer than %d characters", v, RULES_ID_MAX);
    return 0;
}
