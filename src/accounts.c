/* accounts.c - user accounts in bulk with one-time sign-in links, and the
 * password reset by link (accounts.h). The command line and the web both run
 * it; the store keeps users and link hashes (store.h, store_signin.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "accounts.h"
#include "notify.h"
#include "rules.h"
#include "store_signin.h"
#include "xalloc.h"

/* The moment t as the store keeps it (UTC). */
static void moment(time_t t, char out[24])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The link lifetime in days of o. */
static int link_days(const accounts_options *o)
{
    return o->days > 0 && o->days <= ACCOUNTS_LINK_DAYS_MAX ? o->days : ACCOUNTS_LINK_DAYS;
}

/* An error of the action with its key and the value it names (a face words it). */
static void problem(err_list *errors, const char *file, int line, int column, const char *field, const char *key,
                    const char *detail, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
static void problem(err_list *errors, const char *file, int line, int column, const char *field, const char *key,
                    const char *detail, const char *fmt, ...)
{
    char msg[sizeof errors->items[0].message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t before = errors->count;
    err_add(errors, file ? file : "", line, column, field, "%s", msg);
    if (errors->count > before) {
        err *x = &errors->items[errors->count - 1];
        snprintf(x->key, sizeof x->key, "%s", key);
        snprintf(x->detail, sizeof x->detail, "%s", detail ? detail : "");
    }
}

/* One bulk action in progress. */
typedef struct bulk {
    store *db;
    const accounts_options *o;
    accounts_result *out;
    err_list *errors;
    const char *file;          /* the CSV's name, NULL for a unit */
    char now[24], expires[24];
    int failed;                /* -1: the store failed (*e) */
    err *e;
} bulk;

/* Queues the e-mail of a's link to a's person (none without a person): the
 * outbox keeps the link until it is sent, like the page that shows it once. */
static int mail_link(store *db, const accounts_entry *a, err *e)
{
    if (!a->person_id)
        return 0;
    char path[128], expires[24];
    snprintf(path, sizeof path, "%s%s", ACCOUNTS_SIGNIN_PATH, a->token);
    snprintf(expires, sizeof expires, "%.10s %.5s UTC", a->expires_at, a->expires_at + 11);
    const char *params[] = { "login", a->login, "expires", expires, NULL };
    notify_mail m = { .template_name = "signin", .person_id = a->person_id, .path = path, .params = params };
    return notify_enqueue(db, &m, NULL, e) < 0 ? -1 : 0;
}

/* Appends an entry to list (grown by one) and returns it, zeroed. */
static accounts_entry *push(accounts_entry **list, size_t *n)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    accounts_entry *a = &(*list)[(*n)++];
    memset(a, 0, sizeof *a);
    return a;
}

/* "manager" when someone reports to person_id, else "engineer"; NULL when
 * the store failed. */
static const char *auto_role(bulk *b, int64_t person_id)
{
    store_person_filter f = { 0 };
    f.manager_id = person_id;
    int64_t n = 0;
    if (store_person_count(b->db, &f, &n, b->e) < 0) {
        b->failed = -1;
        return NULL;
    }
    return n > 0 ? "manager" : "engineer";
}

/* Makes the account of person p (login, role given or chosen) and its link,
 * or records it as skipped when p has one; errors at line/column of the file.
 * Writes only while nothing went wrong before. */
static void make_one(bulk *b, const store_person *p, const char *login, const char *role, int line, int column)
{
    store_user had;
    int rc = store_user_of_person(b->db, p->id, &had, b->e);
    if (rc < 0) {
        b->failed = -1;
        return;
    }
    if (rc == 1) {
        accounts_entry *a = push(&b->out->skipped, &b->out->n_skipped);
        a->person_id = p->id;
        a->user_id = had.id;
        a->employee_number = xstrdup(p->employee_number);
        a->name = xstrdup(p->name);
        a->login = xstrdup(had.login);
        a->role = xstrdup(had.role);
        store_user_clear(&had);
        return;
    }
    if (!login || !*login)
        login = p->employee_number;
    err le;
    if (rules_login(&le, "login", login) < 0) {
        problem(b->errors, b->file, line, column, "login", "accounts.login_bad", login,
                "%s (%s): '%s' cannot be a login (1 to 64 ASCII letters, digits, . _ - @): give one in the login "
                "column", p->employee_number, p->name, login);
        return;
    }
    if (!role || !*role || strcmp(role, "auto") == 0)
        role = auto_role(b, p->id);
    if (!role)
        return;
    accounts_entry *a = push(&b->out->made, &b->out->n_made);
    a->person_id = p->id;
    a->employee_number = xstrdup(p->employee_number);
    a->name = xstrdup(p->name);
    a->email = p->email ? xstrdup(p->email) : NULL;
    a->login = xstrdup(login);
    a->role = xstrdup(role);
    if (b->errors->count || b->errors->dropped)
        return;   /* only checking now: the store's own checks come with the write */
    store_user u = { 0 };
    u.login = (char *)login;
    u.person_id = p->id;
    u.role = (char *)role;
    u.password_hash = STORE_NO_PASSWORD;
    err ue;
    memset(&ue, 0, sizeof ue);
    if (store_user_add(b->db, &u, &a->user_id, &ue) < 0) {
        if (ue.code == ERR_FAILED) {
            *b->e = ue;
            b->failed = -1;
        } else
            problem(b->errors, b->file, line, column, strcmp(ue.path, "login") == 0 ? "login" : "employee_number",
                    strcmp(ue.key, "user.login_taken") == 0 ? "accounts.login_taken" : "accounts.refused", login,
                    "%s (%s): %s", p->employee_number, p->name, ue.message);
        return;
    }
    char hash[ACCOUNT_TOKEN_HASH_SIZE];
    account_token_new("", a->token);
    account_token_hash(a->token, hash);
    snprintf(a->expires_at, sizeof a->expires_at, "%s", b->expires);
    if (store_signin_link_add(b->db, a->user_id, hash, b->o->actor, b->now, b->expires, b->e) < 0
        || (b->o->mail && mail_link(b->db, a, b->e) < 0)
        || (b->o->made && b->o->made(b->db, a, b->o->ctx, b->e) != 0))
        b->failed = -1;
}

/* 1 when p left the organization (left_on today or before). */
static int has_left(const store_person *p)
{
    char today[11];
    rules_today(today);
    return p->left_on && strcmp(p->left_on, today) <= 0;
}

/* Starts a bulk action: the transaction, the moments. 0, or -1 (*e). */
static int bulk_begin(bulk *b, store *db, const accounts_options *o, accounts_result *out, err_list *errors,
                      const char *file, err *e)
{
    memset(b, 0, sizeof *b);
    memset(out, 0, sizeof *out);
    b->db = db;
    b->o = o;
    b->out = out;
    b->errors = errors;
    b->file = file;
    b->e = e;
    time_t now = time(NULL);
    moment(now, b->now);
    moment(now + (time_t)link_days(o) * 86400, b->expires);
    if (account_init() < 0) {
        err_set(e, "", 0, 0, NULL, "libsodium cannot start (no entropy source)");
        return -1;
    }
    if (o->role && *o->role && strcmp(o->role, "auto") != 0 && rules_role(e, "role", o->role) < 0) {
        problem(errors, file, 0, 0, "role", "accounts.role_bad", o->role, "%s", e->message);
        return 1;
    }
    return store_begin(db, e) < 0 ? -1 : 0;
}

/* Ends a bulk action: commits when all went well and it is not a dry run. */
static int bulk_end(bulk *b)
{
    int ok = b->failed == 0 && b->errors->count == 0 && b->errors->dropped == 0;
    if (ok && !b->o->dry_run) {
        if (store_commit(b->db, b->e) < 0)
            return -1;
        return 0;
    }
    store_rollback(b->db, NULL);
    for (size_t i = 0; i < b->out->n_made; i++)
        b->out->made[i].token[0] = '\0';   /* nothing was kept: no link works */
    return b->failed ? -1 : ok ? 0 : 1;
}

int accounts_for_unit(store *db, int64_t org_unit_id, int sub_units, const accounts_options *o, accounts_result *out,
                      err_list *errors, err *e)
{
    bulk b;
    int rc = bulk_begin(&b, db, o, out, errors, NULL, e);
    if (rc != 0)
        return rc;
    store_person_filter f = { 0 };
    f.org_unit_id = org_unit_id;
    f.include_sub_units = sub_units;
    f.include_left = 1;        /* to count the people who left, not to make their accounts */
    store_person_list people;
    if (store_person_list_filter(db, &f, &people, e) < 0) {
        store_rollback(db, NULL);
        return -1;
    }
    for (size_t i = 0; i < people.count && !b.failed; i++) {
        if (has_left(&people.items[i]))
            out->n_left++;
        else
            make_one(&b, &people.items[i], NULL, o->role, 0, 0);
    }
    store_person_list_free(&people);
    return bulk_end(&b);
}

/* ---- From a CSV file ---- */

enum { C_NUMBER, C_ROLE, C_LOGIN, C_COLUMNS };

static const csv_column account_columns[C_COLUMNS] = {
    { "employee_number", "社員番号", 1 },
    { "role", "ロール", 0 },
    { "login", "ログインID", 0 },
};

/* A copy of s without the spaces (ASCII or U+3000) around it; caller frees. */
static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t' || strncmp(s, "\xE3\x80\x80", 3) == 0)
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)))
        n -= s[n - 1] == ' ' || s[n - 1] == '\t' ? 1 : 3;
    return xstrndup(s, n);
}

/* The text of column i of row ("" when absent) trimmed (caller frees), and
 * where it is (the row's first field when absent). */
static char *cell(const csv_row *row, const int *map, size_t i, int *line, int *column)
{
    const csv_field *f = csv_column_field(row, map, i);
    if (!f)
        f = &row->fields[0];
    *line = f->line;
    *column = f->column;
    return trimmed(csv_column_field(row, map, i) ? csv_text(f) : "");
}

/* 1 when number was seen before in the file (*first its line); else remembers it. */
static int seen_before(char ***numbers, int **lines, size_t *n, const char *number, int line, int *first)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*numbers)[i], number) == 0) {
            *first = (*lines)[i];
            return 1;
        }
    *numbers = xrealloc(*numbers, (*n + 1) * sizeof **numbers);
    *lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
    (*numbers)[*n] = xstrdup(number);
    (*lines)[(*n)++] = line;
    return 0;
}

/* Checks and makes the account of one row. */
static void csv_row_account(bulk *b, const csv_row *row, const int *map, char ***numbers, int **lines, size_t *n)
{
    int nl, nc, rl, rcol, ll, lc, first = 0;
    char *number = cell(row, map, C_NUMBER, &nl, &nc);
    char *role = cell(row, map, C_ROLE, &rl, &rcol);
    char *login = cell(row, map, C_LOGIN, &ll, &lc);
    int ok = 1;
    err re;
    if (*role && strcmp(role, "auto") != 0 && rules_role(&re, "role", role) < 0) {
        problem(b->errors, b->file, rl, rcol, "role", "accounts.role_bad", role, "%s", re.message);
        ok = 0;
    }
    store_person p;
    int found = 0;
    if (!*number) {
        problem(b->errors, b->file, nl, nc, "employee_number", "number_empty", NULL, "the employee number is empty");
        ok = 0;
    } else if (seen_before(numbers, lines, n, number, nl, &first)) {
        problem(b->errors, b->file, nl, nc, "employee_number", "accounts.number_twice", number,
                "employee number %s appears twice in the file (first on line %d)", number, first);
        ok = 0;
    } else {
        found = store_person_find(b->db, number, &p, b->e);
        if (found < 0)
            b->failed = -1;
        else if (found == 0) {
            problem(b->errors, b->file, nl, nc, "employee_number", "person_unknown", number,
                    "no person with employee number %s", number);
            ok = 0;
        }
    }
    if (found == 1 && ok && has_left(&p))
        b->out->n_left++;
    else if (found == 1 && ok)
        make_one(b, &p, login, *role ? role : b->o->role, ll, lc);
    else if (found == 1 && *login && rules_login(&re, "login", login) < 0)
        problem(b->errors, b->file, ll, lc, "login", "accounts.login_bad", login,
                "'%s' cannot be a login (1 to 64 ASCII letters, digits, . _ - @)", login);
    if (found == 1)
        store_person_clear(&p);
    free(number);
    free(role);
    free(login);
}

/* Reads the header and every row of csv into b. */
static void csv_rows(bulk *b, csv_reader *csv)
{
    csv_row row;
    err ce;
    int rc;
    while ((rc = csv_next(csv, &row, &ce)) == CSV_ROW && csv_row_is_blank(&row))
        ;
    if (rc == CSV_END) {
        err_add(b->errors, b->file, 0, 0, NULL, "the file is empty: the first line must be the header (employee_number)");
        return;
    }
    int map[C_COLUMNS];
    size_t width;
    if (rc != CSV_ROW) {
        err_add(b->errors, ce.where, ce.line, ce.column, NULL, "%s", ce.message);
        return;
    }
    if (csv_header_map(&row, b->file, account_columns, C_COLUMNS, map, &width, b->errors))
        return;
    char **numbers = NULL;
    int *lines = NULL;
    size_t n = 0;
    while (!b->failed && (rc = csv_next(csv, &row, &ce)) != CSV_END) {
        if (rc == CSV_BAD_ROW || rc == CSV_FATAL) {
            err_add(b->errors, ce.where, ce.line, ce.column, NULL, "%s", ce.message);
            if (rc == CSV_FATAL)
                break;
            continue;
        }
        if (csv_row_is_blank(&row))
            continue;
        csv_check_width(&row, width, b->file, b->errors);
        csv_row_account(b, &row, map, &numbers, &lines, &n);
    }
    for (size_t i = 0; i < n; i++)
        free(numbers[i]);
    free(numbers);
    free(lines);
}

int accounts_from_csv(store *db, csv_reader *csv, const char *file, const accounts_options *o, accounts_result *out,
                      err_list *errors, err *e)
{
    bulk b;
    int rc = bulk_begin(&b, db, o, out, errors, file ? file : csv_reader_where(csv), e);
    if (rc != 0)
        return rc;
    csv_rows(&b, csv);
    rc = bulk_end(&b);
    err_list_sort(errors);
    return rc;
}

/* ---- Reset ---- */

int accounts_reset(store *db, int64_t user_id, const accounts_options *o, accounts_entry *out, err *e)
{
    memset(out, 0, sizeof *out);
    if (account_init() < 0) {
        err_set(e, "", 0, 0, NULL, "libsodium cannot start (no entropy source)");
        return -1;
    }
    store_user u;
    int rc = store_user_get(db, user_id, &u, e);
    if (rc <= 0)
        return -1;
    char now[24], hash[ACCOUNT_TOKEN_HASH_SIZE];
    time_t t = time(NULL);
    moment(t, now);
    moment(t + (time_t)link_days(o) * 86400, out->expires_at);
    account_token_new("", out->token);
    account_token_hash(out->token, hash);
    out->user_id = u.id;
    out->person_id = u.person_id;
    out->login = xstrdup(u.login);
    out->role = xstrdup(u.role);
    out->employee_number = u.employee_number ? xstrdup(u.employee_number) : NULL;
    out->name = u.person_name ? xstrdup(u.person_name) : NULL;
    store_user_clear(&u);
    if (store_begin(db, e) < 0) {
        accounts_entry_clear(out);
        return -1;
    }
    rc = store_signin_reset(db, user_id, hash, o->actor, now, out->expires_at, e);
    if (rc == 0 && o->mail && mail_link(db, out, e) < 0)
        rc = -1;
    if (rc == 0 && o->made && o->made(db, out, o->ctx, e) != 0)
        rc = -1;
    if (rc == 0 && store_commit(db, e) == 0)
        return 0;
    if (rc < 0)
        store_rollback(db, NULL);
    accounts_entry_clear(out);
    return -1;
}

/* ---- Output ---- */

static const char *const links_header[] = { "employee_number", "name", "login", "role", "signin_url", "expires_at" };

/* One row of the links file. */
static void csv_entry(csv_writer *w, const accounts_entry *a, const char *base_url)
{
    csv_write_text(w, a->employee_number ? a->employee_number : "");
    csv_write_text(w, a->name ? a->name : "");
    csv_write_text(w, a->login);
    csv_write_text(w, a->role);
    if (a->token[0]) {
        char url[1200];
        snprintf(url, sizeof url, "%.1000s%s%s", base_url ? base_url : "", ACCOUNTS_SIGNIN_PATH, a->token);
        csv_write_text(w, url);
    } else
        csv_write_text(w, "");
    csv_write_text(w, a->expires_at);
    csv_end_row(w);
}

void accounts_csv(const accounts_result *r, const char *base_url, buf *out)
{
    csv_writer w;
    csv_writer_init(&w, out);
    csv_write_header(&w, links_header, sizeof links_header / sizeof links_header[0]);
    for (size_t i = 0; i < r->n_made; i++)
        csv_entry(&w, &r->made[i], base_url);
    for (size_t i = 0; i < r->n_skipped; i++)
        csv_entry(&w, &r->skipped[i], base_url);
}

void accounts_template(buf *out)
{
    csv_writer w;
    csv_writer_init(&w, out);
    static const char *const header[] = { "employee_number", "role", "login" };
    static const char *const example[] = { "E0001", "engineer", "taro.yamada" };
    csv_write_header(&w, header, 3);
    csv_write_header(&w, example, 3);
}

void accounts_entry_clear(accounts_entry *a)
{
    free(a->employee_number);
    free(a->name);
    free(a->email);
    free(a->login);
    free(a->role);
    memset(a, 0, sizeof *a);
}

void accounts_result_free(accounts_result *r)
{
    for (size_t i = 0; i < r->n_made; i++)
        accounts_entry_clear(&r->made[i]);
    for (size_t i = 0; i < r->n_skipped; i++)
        accounts_entry_clear(&r->skipped[i]);
    free(r->made);
    free(r->skipped);
    memset(r, 0, sizeof *r);
}
