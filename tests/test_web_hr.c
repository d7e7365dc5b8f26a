/* test_web_hr.c - the HR pages, the administrator's user pages, API tokens,
 * the HR and admin API and the OpenAPI document, as a browser and a script
 * meet them through web_handle_raw (the code path of `itss serve --request`,
 * the same dispatcher as the server):
 *   - every /hr page and action answers 403 to engineers, managers and
 *     administrators;
 *   - a cycle with a bad date is shown again with the field's error and what
 *     was typed, and nothing is added;
 *   - a broken CSV upload shows file:line:column as `itss import` prints it
 *     and changes nothing; a good one (UTF-8 or CP932) imports;
 *   - exports are UTF-8 with a BOM and CRLF, as downloads;
 *   - an administrator adds a user, who can log in, and disables one, who then
 *     cannot; an administrator cannot disable themselves;
 *   - a token made on /account/tokens works as a bearer token until revoked;
 *   - API refusals name the field; imports answer their errors as JSON;
 *   - openapi.json parses and lists every /api/v1 route of the table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "catalog.h"
#include "html.h"
#include "store.h"
#include "web.h"
#include "web_client.h"
#include "web_auth.h"
#include "web_pages.h"

/* ---- The fixture ---------------------------------------------------------------- */

static char dir[64];
static char db_path[128];
static web_app *app;
static store *db;
static catalog *cat;
static char element[128];           /* a knowledge item of the catalog, for answer rows */

typedef struct test_user {
    const char *login, *role, *password, *person;
    char session[128];
} test_user;

static test_user users[] = {
    { "alice", "engineer", "alice-password-1", "E0001", "" },
    { "mina", "manager", "mina-password-1", "E0002", "" },
    { "hana", "hr", "hana-password-1", NULL, "" },
    { "root", "admin", "root-password-1", NULL, "" },
};

enum { ENGINEER, MANAGER, HR, ADMIN };

/* ---- Requests ---------------------------------------------------------------------- */

/* One request through web_handle_raw; body of len bytes (may be NULL). extra:
 * more header lines, each ending in \r\n. */
static int request(const char *method, const char *target, const char *cookie, const char *extra,
                   const char *content_type, const char *body, size_t len, resp *out)
{
    buf headers;
    buf_init(&headers);
    if (cookie && *cookie)
        buf_printf(&headers, "Cookie: %s\r\n", cookie);
    if (extra)
        buf_puts(&headers, extra);
    int status = web_client_request(app, method, target, "192.0.2.7", headers.data, content_type, body, len, out);
    buf_free(&headers);
    return status;
}

/* "itss_session=VALUE" of user u. */
static const char *cookie_of(int u)
{
    static char cookie[256];
    snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", users[u].session);
    return cookie;
}

static int get(int u, const char *target, resp *out)
{
    return request("GET", target, u >= 0 ? cookie_of(u) : NULL, NULL, NULL, NULL, 0, out);
}

/* The csrf hidden field of a page the user sees (any page with a form). */
static void csrf_of(int u, char *out, size_t size)
{
    resp page;
    assert_int_equal(get(u, "/account/tokens", &page), 200);
    const char *p = strstr(page.body, "name=\"csrf\" value=\"");
    assert_non_null(p);
    p += strlen("name=\"csrf\" value=\"");
    snprintf(out, size, "%.*s", (int)strcspn(p, "\""), p);
    resp_free(&page);
}

/* POSTs a form (name, value pairs ending with NULL) as user u with their CSRF token. */
static int post_form(int u, const char *target, resp *out, ...)
{
    char csrf[128];
    csrf_of(u, csrf, sizeof csrf);
    buf body;
    buf_init(&body);
    form_arg(&body, "csrf", csrf);
    va_list ap;
    va_start(ap, out);
    const char *name;
    while ((name = va_arg(ap, const char *)) != NULL)
        form_arg(&body, name, va_arg(ap, const char *));
    va_end(ap);
    int status = request("POST", target, cookie_of(u), NULL, "application/x-www-form-urlencoded", body.data, body.len,
                         out);
    buf_free(&body);
    return status;
}

/* Logs in through the login form; the session cookie's value into session
 * ("" when none). Returns the status of the POST. */
static int login(const char *name, const char *password, char *session, size_t size)
{
    resp page, r;
    assert_int_equal(request("GET", "/login", NULL, NULL, NULL, NULL, 0, &page), 200);
    const char *line = strstr(page.raw.data, WEB_CSRF_COOKIE "=");
    assert_non_null(line);
    char csrf[128];
    line += strlen(WEB_CSRF_COOKIE "=");
    snprintf(csrf, sizeof csrf, "%.*s", (int)strcspn(line, ";\r"), line);
    resp_free(&page);
    buf body;
    buf_init(&body);
    form_arg(&body, "csrf", csrf);
    form_arg(&body, "login", name);
    form_arg(&body, "password", password);
    char cookie[256];
    snprintf(cookie, sizeof cookie, WEB_CSRF_COOKIE "=%s", csrf);
    int status = request("POST", "/login", cookie, NULL, "application/x-www-form-urlencoded", body.data, body.len, &r);
    buf_free(&body);
    session[0] = '\0';
    const char *set = strstr(r.raw.data, WEB_SESSION_COOKIE "=");
    if (set && set < r.body) {
        set += strlen(WEB_SESSION_COOKIE "=");
        snprintf(session, size, "%.*s", (int)strcspn(set, ";\r"), set);
    }
    resp_free(&r);
    return status;
}

/* A multipart/form-data body for the upload form. */
static void upload_body(buf *b, const char *csrf, const char *kind, const char *encoding, int dry_run,
                        const char *filename, const char *data, size_t len)
{
    static const char boundary[] = "----itss-test-boundary-7c1f";
    buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", boundary, csrf);
    buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n%s\r\n", boundary, kind);
    buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\n%s\r\n", boundary, encoding);
    if (dry_run)
        buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\n1\r\n", boundary);
    buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                  "Content-Type: text/csv\r\n\r\n", boundary, filename);
    buf_append(b, data, len);
    buf_printf(b, "\r\n--%s--\r\n", boundary);
}

/* Uploads data as filename through the HR import form. */
static int upload(const char *kind, const char *encoding, int dry_run, const char *filename, const char *data,
                  size_t len, resp *out)
{
    char csrf[128];
    csrf_of(HR, csrf, sizeof csrf);
    buf body;
    buf_init(&body);
    upload_body(&body, csrf, kind, encoding, dry_run, filename, data, len);
    int status = request("POST", "/hr/import", cookie_of(HR), NULL,
                         "multipart/form-data; boundary=----itss-test-boundary-7c1f", body.data, body.len, out);
    buf_free(&body);
    return status;
}

/* Confirms a people preview: posts back the file it carries (its hidden
 * content, name and encoding), as its button does. */
static int confirm_people(const resp *preview, const char *filename, resp *out)
{
    const char *at = strstr(preview->body, "name=\"content\" value=\"");
    assert_non_null(at);
    at += strlen("name=\"content\" value=\"");
    size_t n = strcspn(at, "\"");
    char csrf[128];
    csrf_of(HR, csrf, sizeof csrf);
    static const char boundary[] = "----itss-test-boundary-7c1f";
    buf b;
    buf_init(&b);
    buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", boundary, csrf);
    buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npeople\r\n", boundary);
    buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n%s\r\n", boundary, filename);
    buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\nauto\r\n", boundary);
    buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\n", boundary);
    buf_append(&b, at, n);
    buf_printf(&b, "\r\n--%s--\r\n", boundary);
    int status = request("POST", "/hr/import", cookie_of(HR), NULL,
                         "multipart/form-data; boundary=----itss-test-boundary-7c1f", b.data, b.len, out);
    buf_free(&b);
    return status;
}

/* How many people the database has. */
static int64_t people_count(void)
{
    int64_t n = -1;
    err e;
    assert_int_equal(store_person_count(db, NULL, &n, &e), 0);
    return n;
}

static int64_t cycle_count(void)
{
    store_cycle_list l;
    err e;
    assert_int_equal(store_cycle_list_all(db, &l, &e), 0);
    int64_t n = (int64_t)l.count;
    store_cycle_list_free(&l);
    return n;
}


/* ---- Setup ---------------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    err e;
    memset(&e, 0, sizeof e);
    snprintf(dir, sizeof dir, "/tmp/itss-test-web-hr-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/hr.db", dir);
    db = store_open(db_path, STORE_CREATE, &e);
    err_list *errors = calloc(1, sizeof *errors);
    cat = errors ? catalog_load_builtin(errors) : NULL;
    free(errors);
    if (!db || !cat)
        return -1;
    if (store_catalog_use(db, catalog_id(cat), catalog_version(cat), catalog_title(cat), &e) < 0)
        return -1;
    for (size_t i = 0; i < catalog_element_count(cat) && !element[0]; i++)
        if (catalog_element_at(cat, i)->kind == CK_KNOWLEDGE_ITEM)
            snprintf(element, sizeof element, "%s", catalog_element_at(cat, i)->id);
    int64_t unit = 0;
    if (store_org_add(db, "CS-1", "第一カスタマサービス部", 0, &unit, &e) < 0)
        return -1;
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        int64_t person = 0;
        if (users[i].person) {
            store_person p = { 0 };
            p.employee_number = (char *)users[i].person;
            p.name = i == 0 ? "山田 花子" : "佐藤 一郎";
            p.org_unit_id = unit;
            if (store_person_add(db, &p, &person, &e) < 0)
                return -1;
        }
        char hash[ACCOUNT_HASH_SIZE];
        if (account_password_hash(users[i].password, hash) < 0)
            return -1;
        store_user u = { 0 };
        u.login = (char *)users[i].login;
        u.role = (char *)users[i].role;
        u.password_hash = hash;
        u.person_id = person;
        if (store_user_add(db, &u, NULL, &e) < 0)
            return -1;
    }
    web_config c = { .db_path = db_path, .catalog = cat };
    app = web_app_new(&c, &e);
    if (!app)
        return -1;
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
        if (login(users[i].login, users[i].password, users[i].session, sizeof users[i].session) != 303)
            return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    web_app_free(app);
    store_close(db);
    catalog_free(cat);
    char path[192];
    const char *files[] = { "hr.db", "hr.db-wal", "hr.db-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

/* ---- Who may use the HR pages ------------------------------------------------------------- */

/* Every /hr route, with its :params filled, for every role but HR: 403; HR
 * gets past the role check (not 401 or 403). */
static void test_hr_routes_only_for_hr(void **state)
{
    (void)state;
    size_t n;
    const web_route *routes = web_routes(&n);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(routes[i].pattern, "/hr", 3) != 0)
            continue;
        assert_int_equal(routes[i].roles, ROLE_HR);
        char target[256];
        size_t k = 0;
        for (const char *p = routes[i].pattern; *p && k + 16 < sizeof target;) {
            if (*p == ':') {
                p += 1 + strcspn(p + 1, "/");
                k += (size_t)snprintf(target + k, sizeof target - k, "%s",
                                      strcmp(routes[i].pattern, "/hr/export/:file") == 0 ? "people.csv" : "1");
            } else
                target[k++] = *p++;
        }
        target[k] = '\0';
        int roles[] = { ENGINEER, MANAGER, ADMIN };
        for (size_t r = 0; r < 3; r++) {
            resp x;
            int status = strcmp(routes[i].method, "GET") == 0 ? get(roles[r], target, &x)
                                                              : post_form(roles[r], target, &x, NULL);
            if (status != 403)
                fail_msg("%s %s as %s: %d, not 403", routes[i].method, target, users[roles[r]].login, status);
            resp_free(&x);
        }
        if (strcmp(routes[i].method, "GET") == 0) {
            resp x;
            int status = get(HR, target, &x);
            if (status == 401 || status == 403 || status >= 500)
                fail_msg("GET %s as hr: %d", target, status);
            resp_free(&x);
        }
        resp anon;
        assert_int_equal(request(routes[i].method, target, NULL, NULL, NULL, NULL, 0, &anon),
                         strcmp(routes[i].method, "GET") == 0 ? 303 : 401);
        resp_free(&anon);
        seen++;
    }
    assert_true(seen >= 20);
}

/* ---- Cycles ---------------------------------------------------------------------------------- */

static void test_cycle_bad_date_shows_field_error(void **state)
{
    (void)state;
    int64_t before = cycle_count();
    resp r;
    assert_int_equal(post_form(HR, "/hr/cycles", &r, "name", "2031年度", "opens", "2031-04-01", "closes",
                               "2031-02-30", NULL), 422);
    /* the error under the field, the field marked, what was typed kept */
    assert_true(body_has(&r, "<p class=\"error\" id=\"e-closes\">「2031-02-30」は日付（YYYY-MM-DD）ではありません。</p>"));
    assert_true(body_has(&r, "id=\"f-closes\" type=\"date\" name=\"closes\" value=\"2031-02-30\""));
    assert_true(body_has(&r, "aria-invalid=\"true\" aria-describedby=\"e-closes\""));
    assert_true(body_has(&r, "name=\"name\" value=\"2031年度\""));
    assert_false(body_has(&r, "id=\"e-opens\""));
    resp_free(&r);
    assert_int_equal(cycle_count(), before);

    /* closing before opening names closes; then a good one is added */
    assert_int_equal(post_form(HR, "/hr/cycles", &r, "name", "2031年度", "opens", "2031-04-01", "closes",
                               "2031-03-31", NULL), 422);
    assert_true(body_has(&r, "id=\"e-closes\">終了日が開始日より前になっています。"));
    resp_free(&r);
    assert_int_equal(post_form(HR, "/hr/cycles", &r, "name", "2031年度", "opens", "2031-04-01", "closes",
                               "2032-03-31", NULL), 303);
    assert_string_equal(header(&r, "Location"), "/hr/cycles?done=cycle_added");
    resp_free(&r);
    assert_int_equal(cycle_count(), before + 1);
    /* the same name again: refused naming name */
    assert_int_equal(post_form(HR, "/hr/cycles", &r, "name", "2031年度", "opens", "2031-04-01", "closes",
                               "2032-03-31", NULL), 422);
    assert_true(body_has(&r, "id=\"e-name\">「2031年度」という評価期間はすでにあります。"));
    resp_free(&r);
    assert_int_equal(cycle_count(), before + 1);
}

/* ---- CSV import -------------------------------------------------------------------------------- */

static const char people_header[] = "employee_number,name,kana,email,org_unit_code,manager_employee_number\r\n";
static const char people_template[] = "employee_number,name,kana,email,org_unit_code,manager_employee_number,left_on\r\n";

static void test_broken_upload_shows_places_and_changes_nothing(void **state)
{
    (void)state;
    buf csv;
    buf_init(&csv);
    buf_puts(&csv, people_header);
    buf_puts(&csv, "E0101,新人 一郎,,ichiro@example.jp,CS-1,E0002\r\n");   /* fine, but the file fails */
    buf_puts(&csv, "E0102,新人 二郎,,jiro@example.jp,NOPE,\r\n");          /* unknown unit, column 30 */
    buf_puts(&csv, "E0101,重複 太郎,,,,\r\n");                              /* twice in the file */
    buf_puts(&csv, "E0103,\"閉じない引用符,,,,\r\n");                       /* a quote never closed */
    int64_t before = people_count();
    resp r;
    assert_int_equal(upload("people", "auto", 0, "people.csv", csv.data, csv.len, &r), 422);
    /* In Japanese on the Japanese page, by line, with the column's name (issue 12,
     * defect 5: the command line's English, "itss org add" and "--dry-run"). */
    assert_true(body_has(&r, "<tr data-line=\"3\"><td class=\"num\">3</td><td class=\"num\">30</td><td>組織コード</td>"
                             "<td>組織コード「NOPE」はありません（先に「組織」ページで追加してください）</td></tr>"));
    assert_true(body_has(&r, "<td>社員番号 E0101 がファイル内に2回あります</td>"));
    assert_true(body_has(&r, "<tr data-line=\"5\"><td class=\"num\">5</td><td class=\"num\">7</td>"));
    assert_true(body_has(&r, "people.csv: 誤り 3 件。何も取り込んでいません。"));
    assert_false(body_has(&r, "itss org add"));
    assert_false(body_has(&r, "--dry-run"));
    assert_true(body_has(&r, "ファイルに誤りがあるため、何も取り込んでいません。"));
    assert_true(strstr(r.body, "data-line=\"3\"") < strstr(r.body, "data-line=\"4\""));
    assert_true(strstr(r.body, "data-line=\"4\"") < strstr(r.body, "data-line=\"5\""));
    resp_free(&r);
    /* Every error of a row, sorted by line: a manager named but found nowhere is
     * known only at the end of the file, yet listed at its own line. */
    buf more;
    buf_init(&more);
    buf_puts(&more, people_header);
    buf_puts(&more, "E0104,二つの誤り,,no-at-sign,NOPE,E9999\r\n");
    buf_puts(&more, "E0105,,,,,\r\n");
    assert_int_equal(upload("people", "auto", 1, "more.csv", more.data, more.len, &r), 422);
    const char *org = strstr(r.body, "組織コード「NOPE」"), *mail = strstr(r.body, "メールアドレスの形式ではありません");
    const char *boss = strstr(r.body, "E9999"), *name = strstr(r.body, "氏名が空です");
    assert_non_null(org);
    assert_non_null(mail);
    assert_non_null(boss);
    assert_non_null(name);
    assert_true(boss < name);      /* line 2's manager before line 3's empty name */
    resp_free(&r);
    buf_free(&more);
    /* The templates to fill in. */
    assert_int_equal(get(HR, "/hr/import", &r), 200);
    assert_true(body_has(&r, "href=\"/hr/import/template/people.csv\" download"));
    assert_false(body_has(&r, "docs/csv.md"));
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/import/template/people.csv", &r), 200);
    assert_non_null(strstr(header(&r, "Content-Type"), "text/csv"));
    assert_true(body_has(&r, people_template));
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/import/template/assessments.csv", &r), 200);
    assert_true(body_has(&r, "employee_number,cycle,catalog_version,element_id,rater,value,evidence,text\r\n"));
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/import/template/other.csv", &r), 404);
    resp_free(&r);
    assert_int_equal(people_count(), before);
    store_person p;
    err e;
    assert_int_equal(store_person_find(db, "E0101", &p, &e), 0);

    /* The same through the API: the errors as JSON, 422, nothing written. */
    char auth[256];
    resp a;
    char csrf[128];
    csrf_of(HR, csrf, sizeof csrf);
    snprintf(auth, sizeof auth, "X-CSRF-Token: %s\r\n", csrf);
    assert_int_equal(request("POST", "/api/v1/imports/people?filename=people.csv", cookie_of(HR), auth, "text/csv",
                             csv.data, csv.len, &a), 422);
    json_error_t je;
    json_t *o = json_loadb(a.body, a.body_len, 0, &je);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "error"), "code")), "import_failed");
    json_t *list = json_object_get(o, "errors");
    assert_int_equal(json_array_size(list), 3);
    json_t *first = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(first, "text")),
                        "people.csv:3:30: org_unit_code: unknown org unit 'NOPE' (add it with itss org add)");
    assert_int_equal(json_integer_value(json_object_get(first, "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(first, "column")), 30);
    assert_string_equal(json_string_value(json_object_get(first, "field")), "org_unit_code");
    json_decref(o);
    resp_free(&a);
    assert_int_equal(people_count(), before);
    buf_free(&csv);
}

static void test_good_upload_imports(void **state)
{
    (void)state;
    buf csv;
    buf_init(&csv);
    buf_puts(&csv, "\xEF\xBB\xBF");
    buf_puts(&csv, people_header);
    buf_puts(&csv, "E0201,取込 一郎,トリコミ イチロウ,one@example.jp,CS-1,E0202\r\n");   /* manager further down */
    buf_puts(&csv, "E0202,取込 二郎,,two@example.jp,CS-1,\r\n");
    int64_t before = people_count();

    /* an upload of people is a preview: what would change, nothing written */
    resp r;
    assert_int_equal(upload("people", "auto", 0, "new.csv", csv.data, csv.len, &r), 200);
    assert_true(body_has(&r, "追加 2 人、項目の更新 0 件、退職 0 人、復帰 0 人"));
    assert_true(body_has(&r, "<td>追加</td><td>E0201</td><td>取込 一郎</td>"));
    assert_int_equal(people_count(), before);
    resp c;
    assert_int_equal(confirm_people(&r, "new.csv", &c), 200);   /* the preview's button imports that file */
    assert_true(body_has(&c, "取り込みました。"));
    resp_free(&c);
    resp_free(&r);
    assert_int_equal(people_count(), before + 2);
    store_person p, boss;
    err e;
    assert_int_equal(store_person_find(db, "E0201", &p, &e), 1);
    assert_int_equal(store_person_find(db, "E0202", &boss, &e), 1);
    assert_int_equal(p.manager_id, boss.id);
    assert_string_equal(p.org_code, "CS-1");
    store_person_clear(&p);
    store_person_clear(&boss);

    /* CP932, as Japanese Excel saves it, detected */
    const char *utf8 = "employee_number,name\r\nE0203,漢字 三郎\r\n";
    char sjis[256];
    iconv_t cd = iconv_open("CP932", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)utf8, *out = sjis;
    size_t in_left = strlen(utf8), out_left = sizeof sjis;
    assert_true(iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1);
    iconv_close(cd);
    assert_int_equal(upload("people", "auto", 0, "excel.csv", sjis, sizeof sjis - out_left, &r), 200);
    assert_true(body_has(&r, "<td>追加</td><td>E0203</td><td>漢字 三郎</td>"));
    assert_int_equal(confirm_people(&r, "excel.csv", &c), 200);   /* the CP932 bytes, carried as they were */
    resp_free(&c);
    resp_free(&r);
    assert_int_equal(store_person_find(db, "E0203", &p, &e), 1);
    assert_string_equal(p.name, "漢字 三郎");
    store_person_clear(&p);

    /* answers for a person and a cycle, checked against the catalog */
    assert_int_equal(store_cycle_add(db, "2030年度", "2030-04-01", "2031-03-31", NULL, &e), 0);
    buf answers;
    buf_init(&answers);
    buf_printf(&answers, "employee_number,cycle,element_id,rater,value,evidence\r\nE0201,2030年度,%s,self,3,\r\n",
               element);
    assert_int_equal(upload("assessments", "auto", 0, "answers.csv", answers.data, answers.len, &r), 200);
    assert_true(body_has(&r, "answers.csv: 1 件の診断の回答 1 件を取り込みました（うち新規の診断 1 件、文字コード UTF-8）"));
    resp_free(&r);
    buf_reset(&answers);
    buf_printf(&answers, "employee_number,cycle,element_id,rater,value,evidence\r\nE0201,2030年度,%s,self,7,\r\n",
               element);
    assert_int_equal(upload("assessments", "auto", 0, "answers.csv", answers.data, answers.len, &r), 422);
    assert_true(body_has(&r, "<tr data-line=\"2\"><td class=\"num\">2</td>"));
    assert_true(body_has(&r, "<td>評価値</td><td><span lang=\"en\">a rating of 7 is out of range"));
    resp_free(&r);
    buf_free(&answers);
    buf_free(&csv);
}

static void test_upload_without_file_is_refused(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(upload("people", "latin1", 0, "x.csv", "a", 1, &r), 422);
    assert_true(body_has(&r, "文字コードは auto、utf-8、cp932 のいずれかです。"));
    resp_free(&r);
}

/* ---- Exports ---------------------------------------------------------------------------------- */

/* 1 when every line of body ends in CRLF and there is no bare LF or CR. */
static int all_crlf(const char *body, size_t len)
{
    if (len < 2 || body[len - 2] != '\r' || body[len - 1] != '\n')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r'))
            return 0;
        if (body[i] == '\r' && (i + 1 >= len || body[i + 1] != '\n'))
            return 0;
    }
    return 1;
}

static void test_exports_bom_crlf_attachment(void **state)
{
    (void)state;
    static const char *const files[] = { "/hr/export/people.csv", "/hr/export/assessments.csv",
                                         "/hr/export/levels.csv" };
    for (size_t i = 0; i < 3; i++) {
        resp r;
        assert_int_equal(get(HR, files[i], &r), 200);
        assert_true(r.body_len > 3);
        assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
        assert_true(all_crlf(r.body, r.body_len));
        assert_non_null(strstr(header(&r, "Content-Type"), "text/csv"));
        const char *name = strrchr(files[i], '/') + 1;
        char want[96];
        snprintf(want, sizeof want, "attachment; filename=\"%s\"", name);
        assert_string_equal(header(&r, "Content-Disposition"), want);
        resp_free(&r);
    }
    resp r;
    assert_int_equal(get(HR, "/hr/export/people.csv", &r), 200);
    assert_non_null(strstr(r.body, "\xEF\xBB\xBF" "employee_number,name,kana,email,org_unit_code,manager_employee_number,left_on\r\n"));
    assert_non_null(strstr(r.body, "\r\nE0001,山田 花子,,,CS-1,,\r\n"));
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/export/people.json", &r), 200);
    json_error_t je;
    json_t *v = json_loadb(r.body, r.body_len, 0, &je);
    assert_true(json_is_array(v));
    json_decref(v);
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/export/secrets.csv", &r), 404);
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/export/assessments.csv?cycle=999", &r), 404);
    resp_free(&r);
}

/* ---- Administrators -------------------------------------------------------------------------------- */

static void test_admin_adds_and_disables_users(void **state)
{
    (void)state;
    resp r;
    /* refusals name the field and keep what was typed (never the password) */
    assert_int_equal(post_form(ADMIN, "/admin/users", &r, "login", "new user", "employee_number", "", "role",
                               "engineer", "password", "newbie-password", NULL), 422);
    assert_true(body_has(&r, "id=\"e-login\">使えるのは半角英数字と . _ - @ だけです。"));
    assert_false(body_has(&r, "newbie-password"));
    resp_free(&r);
    assert_int_equal(post_form(ADMIN, "/admin/users", &r, "login", "newbie", "employee_number", "E9999", "role",
                               "engineer", "password", "newbie-password", NULL), 422);
    assert_true(body_has(&r, "id=\"e-employee_number\">その社員番号の社員はいません。"));
    resp_free(&r);
    assert_int_equal(post_form(ADMIN, "/admin/users", &r, "login", "newbie", "employee_number", "E0001", "role",
                               "engineer", "password", "newbie-password", NULL), 422);
    assert_true(body_has(&r, "id=\"e-employee_number\">この社員にはすでに別のユーザーがいます。"));
    resp_free(&r);
    assert_int_equal(post_form(ADMIN, "/admin/users", &r, "login", "newbie", "employee_number", "", "role",
                               "engineer", "password", "short", NULL), 422);
    assert_true(body_has(&r, "id=\"e-password\">"));
    resp_free(&r);

    assert_int_equal(post_form(ADMIN, "/admin/users", &r, "login", "newbie", "employee_number", "E0201", "role",
                               "engineer", "password", "newbie-password", NULL), 303);
    resp_free(&r);
    char session[128];
    assert_int_equal(login("newbie", "newbie-password", session, sizeof session), 303);
    assert_true(strlen(session) > 20);
    store_user u;
    err e;
    assert_int_equal(store_user_find(db, "newbie", &u, &e), 1);
    assert_string_equal(u.employee_number, "E0201");
    char path[96];
    snprintf(path, sizeof path, "/admin/users/%lld/disable", (long long)u.id);
    int64_t id = u.id;
    store_user_clear(&u);

    /* disabled: the session ends and logging in fails */
    assert_int_equal(post_form(ADMIN, path, &r, NULL), 303);
    resp_free(&r);
    char cookie[256];
    snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", session);
    assert_int_equal(request("GET", "/home", cookie, NULL, NULL, NULL, 0, &r), 303);
    resp_free(&r);
    char again[128];
    assert_int_equal(login("newbie", "newbie-password", again, sizeof again), 401);
    assert_string_equal(again, "");

    /* enabled again and with a new password */
    snprintf(path, sizeof path, "/admin/users/%lld/enable", (long long)id);
    assert_int_equal(post_form(ADMIN, path, &r, NULL), 303);
    resp_free(&r);
    snprintf(path, sizeof path, "/admin/users/%lld/password", (long long)id);
    assert_int_equal(post_form(ADMIN, path, &r, "password", "another-password", NULL), 303);
    resp_free(&r);
    assert_int_equal(login("newbie", "newbie-password", again, sizeof again), 401);
    assert_int_equal(login("newbie", "another-password", again, sizeof again), 303);

    /* an administrator cannot lock themselves out */
    assert_int_equal(store_user_find(db, "root", &u, &e), 1);
    snprintf(path, sizeof path, "/admin/users/%lld/disable", (long long)u.id);
    assert_int_equal(post_form(ADMIN, path, &r, NULL), 422);
    resp_free(&r);
    snprintf(path, sizeof path, "/admin/users/%lld", (long long)u.id);
    assert_int_equal(post_form(ADMIN, path, &r, "role", "engineer", "employee_number", "", NULL), 422);
    assert_true(body_has(&r, "自分自身の管理者の役割は外せません。"));
    resp_free(&r);
    store_user_clear(&u);
    assert_int_equal(store_user_find(db, "root", &u, &e), 1);
    assert_string_equal(u.role, "admin");
    assert_int_equal(u.disabled, 0);
    store_user_clear(&u);

    /* and HR may not manage users */
    assert_int_equal(post_form(HR, "/admin/users", &r, "login", "sneaky", "role", "admin", "password",
                               "sneaky-password", NULL), 403);
    resp_free(&r);
    assert_int_equal(store_user_find(db, "sneaky", &u, &e), 0);
}

/* ---- Tokens and the API ---------------------------------------------------------------------------- */

/* The token shown on the page after creating one (static buffer). */
static const char *shown_token(const resp *r)
{
    static char token[128];
    const char *p = strstr(r->body, "<code class=\"token\">");
    assert_non_null(p);
    p += strlen("<code class=\"token\">");
    snprintf(token, sizeof token, "%.*s", (int)strcspn(p, "<"), p);
    assert_int_equal(strncmp(token, WEB_TOKEN_PREFIX, strlen(WEB_TOKEN_PREFIX)), 0);
    return token;
}

static void test_token_page_and_api(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(post_form(HR, "/account/tokens", &r, "name", "", "expires_days", "0", NULL), 422);
    resp_free(&r);
    /* POST, redirect, GET (issue 12, defect 6): the POST answers 303 and hands
     * the new token to the one GET that shows it; reloading makes no second one. */
    assert_int_equal(post_form(HR, "/account/tokens", &r, "name", "月次集計", "expires_days", "30", "scope", "write",
                               NULL), 303);
    assert_string_equal(header(&r, "Location"), "/account/tokens");
    char fresh[128], cookies[384];
    assert_true(cookie_value(&r, "itss_new_token", fresh, sizeof fresh));
    resp_free(&r);
    snprintf(cookies, sizeof cookies, "%s; itss_new_token=%s", cookie_of(HR), fresh);
    assert_int_equal(request("GET", "/account/tokens", cookies, NULL, NULL, NULL, 0, &r), 200);
    char token[128];
    snprintf(token, sizeof token, "%s", shown_token(&r));
    assert_string_equal(token, fresh);
    assert_null(header(&r, "Content-Encoding"));
    assert_non_null(strstr(header(&r, "Set-Cookie"), "itss_new_token=;"));
    resp_free(&r);
    /* shown once: the list does not show it again, and there is one token of that name */
    assert_int_equal(get(HR, "/account/tokens", &r), 200);
    assert_false(body_has(&r, token));
    assert_true(body_has(&r, " JST</td>"));        /* times in Japan's time, not raw UTC */
    assert_false(body_has(&r, "Z</td>"));
    const char *first = strstr(r.body, "<tr><td>月次集計</td>");
    assert_non_null(first);
    assert_null(strstr(first + 1, "<tr><td>月次集計</td>"));
    resp_free(&r);

    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", token);
    assert_int_equal(request("GET", "/api/v1/cycles", NULL, auth, NULL, NULL, 0, &r), 200);
    resp_free(&r);

    /* a refused field is named; a malformed body is 400 with its place */
    const char *bad = "{\"name\":\"2040年度\",\"opens\":\"2040-04-01\",\"closes\":\"2040-13-01\"}";
    assert_int_equal(request("POST", "/api/v1/cycles", NULL, auth, "application/json", bad, strlen(bad), &r), 422);
    json_error_t je;
    json_t *o = json_loadb(r.body, r.body_len, 0, &je);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "error"), "field")), "closes");
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "error"), "code")), "invalid");
    json_decref(o);
    resp_free(&r);
    const char *broken = "{\"name\": ";
    assert_int_equal(request("POST", "/api/v1/cycles", NULL, auth, "application/json", broken, strlen(broken), &r),
                     400);
    assert_true(body_has(&r, "body:1:"));
    resp_free(&r);
    const char *person = "{\"employee_number\":\"E0301\",\"name\":\"API 太郎\",\"org_unit_code\":\"CS-1\","
                         "\"manager_employee_number\":\"E0002\",\"email\":\"not-an-address\"}";
    assert_int_equal(request("POST", "/api/v1/people", NULL, auth, "application/json", person, strlen(person), &r), 422);
    assert_true(body_has(&r, "\"field\":\"email\""));
    resp_free(&r);
    const char *good = "{\"employee_number\":\"E0301\",\"name\":\"API 太郎\",\"org_unit_code\":\"CS-1\","
                       "\"manager_employee_number\":\"E0002\"}";
    assert_int_equal(request("POST", "/api/v1/people", NULL, auth, "application/json", good, strlen(good), &r), 201);
    o = json_loadb(r.body, r.body_len, 0, &je);
    assert_string_equal(json_string_value(json_object_get(o, "org_unit_code")), "CS-1");
    assert_string_equal(json_string_value(json_object_get(o, "manager_employee_number")), "E0002");
    json_decref(o);
    resp_free(&r);

    /* the token is the HR user's: admin routes stay closed to it */
    assert_int_equal(request("GET", "/api/v1/users", NULL, auth, NULL, NULL, 0, &r), 403);
    resp_free(&r);

    /* revoked: it stops working; another user cannot revoke it */
    store_api_token_list tokens;
    err e;
    store_user u;
    assert_int_equal(store_user_find(db, "hana", &u, &e), 1);
    assert_int_equal(store_api_token_list_user(db, u.id, &tokens, &e), 0);
    store_user_clear(&u);
    assert_int_equal(tokens.count, 1);
    char path[96];
    snprintf(path, sizeof path, "/account/tokens/%lld/revoke", (long long)tokens.items[0].id);
    store_api_token_list_free(&tokens);
    assert_int_equal(post_form(ENGINEER, path, &r, NULL), 404);
    resp_free(&r);
    assert_int_equal(request("GET", "/api/v1/cycles", NULL, auth, NULL, NULL, 0, &r), 200);
    resp_free(&r);
    assert_int_equal(post_form(HR, path, &r, NULL), 303);
    resp_free(&r);
    assert_int_equal(request("GET", "/api/v1/cycles", NULL, auth, NULL, NULL, 0, &r), 401);
    resp_free(&r);
}

static void test_admin_api_users(void **state)
{
    (void)state;
    char csrf[128], extra[256];
    csrf_of(ADMIN, csrf, sizeof csrf);
    snprintf(extra, sizeof extra, "X-CSRF-Token: %s\r\n", csrf);
    resp r;
    const char *bad = "{\"login\":\"api-user\",\"role\":\"wizard\",\"password\":\"api-user-password\"}";
    assert_int_equal(request("POST", "/api/v1/users", cookie_of(ADMIN), extra, "application/json", bad, strlen(bad),
                             &r), 422);
    assert_true(body_has(&r, "\"field\":\"role\""));
    resp_free(&r);
    const char *good = "{\"login\":\"api-user\",\"role\":\"manager\",\"password\":\"api-user-password\"}";
    assert_int_equal(request("POST", "/api/v1/users", cookie_of(ADMIN), extra, "application/json", good,
                             strlen(good), &r), 201);
    json_error_t je;
    json_t *o = json_loadb(r.body, r.body_len, 0, &je);
    assert_string_equal(json_string_value(json_object_get(o, "role")), "manager");
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)json_integer_value(json_object_get(o, "id")));
    json_decref(o);
    resp_free(&r);
    const char *patch = "{\"disabled\":true}";
    assert_int_equal(request("PATCH", path, cookie_of(ADMIN), extra, "application/json", patch, strlen(patch), &r),
                     200);
    assert_true(body_has(&r, "\"disabled\":true"));
    resp_free(&r);
    char session[128];
    assert_int_equal(login("api-user", "api-user-password", session, sizeof session), 401);
    /* without the CSRF header a cookie-authenticated change is refused */
    assert_int_equal(request("PATCH", path, cookie_of(ADMIN), NULL, "application/json", patch, strlen(patch), &r),
                     403);
    resp_free(&r);
}

/* ---- The OpenAPI document ---------------------------------------------------------------------------- */

static void test_openapi_lists_every_api_route(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(request("GET", "/api/v1/openapi.json", NULL, NULL, NULL, NULL, 0, &r), 200);
    json_error_t je;
    json_t *doc = json_loadb(r.body, r.body_len, 0, &je);
    if (!doc)
        fail_msg("openapi.json does not parse: %d:%d: %s", je.line, je.column, je.text);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
    json_t *paths = json_object_get(doc, "paths");
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    assert_non_null(json_object_get(schemas, "Error"));
    size_t n, listed = 0;
    const web_route *routes = web_routes(&n);
    for (size_t i = 0; i < n; i++) {
        if (strncmp(routes[i].pattern, "/api/v1/", 8) != 0)
            continue;
        assert_true(routes[i].flags & WEB_API);
        char *path = web_openapi_path(routes[i].pattern);
        assert_null(strchr(path, ':'));
        json_t *item = json_object_get(paths, path);
        if (!item)
            fail_msg("%s is not in openapi.json", path);
        char method[16];
        size_t k = 0;
        for (; routes[i].method[k] && k + 1 < sizeof method; k++)
            method[k] = (char)(routes[i].method[k] - 'A' + 'a');
        method[k] = '\0';
        json_t *op = json_object_get(item, method);
        if (!op)
            fail_msg("%s %s is not in openapi.json", routes[i].method, path);
        assert_string_equal(json_string_value(json_object_get(op, "summary")), routes[i].summary);
        /* every operation answers the standard error */
        json_t *responses = json_object_get(op, "responses");
        assert_non_null(json_object_get(responses, "400"));
        /* the path parameters are declared */
        for (const char *p = strchr(routes[i].pattern, ':'); p; p = strchr(p + 1, ':')) {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)strcspn(p + 1, "/"), p + 1);
            json_t *params = json_object_get(op, "parameters");
            int found = 0;
            for (size_t j = 0; j < json_array_size(params); j++) {
                json_t *pp = json_array_get(params, j);
                found |= strcmp(json_string_value(json_object_get(pp, "name")), name) == 0
                         && strcmp(json_string_value(json_object_get(pp, "in")), "path") == 0;
            }
            if (!found)
                fail_msg("%s %s: path parameter %s is not declared", routes[i].method, path, name);
        }
        /* public routes need no authentication; the others name both ways */
        json_t *security = json_object_get(op, "security");
        if (routes[i].flags & WEB_PUBLIC)
            assert_int_equal(json_array_size(security), 0);
        else
            assert_null(security);
        free(path);
        listed++;
    }
    assert_true(listed >= 25);
    /* every $ref names a schema the document has */
    char *text = json_dumps(doc, 0);
    for (const char *p = strstr(text, "#/components/schemas/"); p; p = strstr(p + 1, "#/components/schemas/")) {
        char name[64];
        p += strlen("#/components/schemas/");
        snprintf(name, sizeof name, "%.*s", (int)strcspn(p, "\""), p);
        if (!json_object_get(schemas, name))
            fail_msg("$ref to missing schema %s", name);
    }
    free(text);
    json_t *security = json_object_get(json_object_get(doc, "components"), "securitySchemes");
    assert_string_equal(json_string_value(json_object_get(json_object_get(security, "bearerAuth"), "scheme")), "bearer");
    assert_string_equal(json_string_value(json_object_get(json_object_get(security, "cookieAuth"), "name")),
                        WEB_SESSION_COOKIE);
    json_decref(doc);
    resp_free(&r);
}

/* ---- The other HR pages render and change what they say ---------------------------------------------- */

static void test_org_people_and_overview(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(post_form(HR, "/hr/org", &r, "code", "CS-2", "name", "第二部", "parent_id", "1", NULL), 303);
    resp_free(&r);
    store_org_unit u;
    err e;
    assert_int_equal(store_org_find(db, "CS-2", &u, &e), 1);
    assert_int_equal(u.parent_id, 1);
    char path[64];
    snprintf(path, sizeof path, "/hr/org/%lld", (long long)u.id);
    store_org_unit_clear(&u);
    /* a unit cannot go below itself */
    assert_int_equal(post_form(HR, "/hr/org/1", &r, "code", "CS-1", "name", "第一カスタマサービス部", "parent_id",
                               path + strlen("/hr/org/"), NULL), 422);
    assert_true(body_has(&r, "id=\"e-parent\">組織をそれ自身やその配下に移すことはできません。"));
    resp_free(&r);
    /* renamed and moved to the top */
    assert_int_equal(post_form(HR, path, &r, "code", "CS-2", "name", "第二カスタマサービス部", "parent_id", "0", NULL), 303);
    resp_free(&r);
    assert_int_equal(store_org_find(db, "CS-2", &u, &e), 1);
    assert_string_equal(u.name, "第二カスタマサービス部");
    assert_int_equal(u.parent_id, 0);
    store_org_unit_clear(&u);

    /* people: a search, a new person, a refused duplicate */
    assert_int_equal(get(HR, "/hr/people?q=%E5%B1%B1%E7%94%B0", &r), 200);     /* 山田 */
    assert_true(body_has(&r, "山田 花子"));
    assert_false(body_has(&r, "佐藤 一郎"));
    resp_free(&r);
    assert_int_equal(post_form(HR, "/hr/people/new", &r, "employee_number", "E0001", "name", "重複", NULL), 422);
    assert_true(body_has(&r, "id=\"e-employee_number\">社員番号「E0001」はすでに使われています。"));
    resp_free(&r);
    assert_int_equal(post_form(HR, "/hr/people/new", &r, "employee_number", "E0401", "name", "<script>x</script>",
                               "manager_employee_number", "E0002", "org_unit_id", "1", NULL), 303);
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/people?q=E0401", &r), 200);
    assert_true(body_has(&r, "&lt;script&gt;x&lt;/script&gt;"));
    assert_false(body_has(&r, "<script>x"));
    resp_free(&r);

    /* the overview renders with a cycle and no assessments */
    assert_int_equal(get(HR, "/hr", &r), 200);
    assert_true(body_has(&r, "人材ポートフォリオ"));
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/people?page=x", &r), 400);
    resp_free(&r);
}

/* The unit of an org unit's parent, and of a person, is a text field taking a
 * unit's code or exact name (a select of every unit was 1 MB at 12,000
 * units): a code or a name is taken, an unknown one or a name several units
 * share is refused at the field (422, the form again with what was typed),
 * nothing written; the form offers a few units, not every one. */
static void test_unit_fields_take_code_or_name(void **state)
{
    (void)state;
    resp r;
    store_org_unit cs1, u;
    err e;
    assert_int_equal(store_org_find(db, "CS-1", &cs1, &e), 1);
    /* by code, and by name */
    assert_int_equal(post_form(HR, "/hr/org", &r, "code", "UF-1", "name", "統合課", "parent", "CS-1", NULL), 303);
    resp_free(&r);
    assert_int_equal(store_org_find(db, "UF-1", &u, &e), 1);
    assert_int_equal(u.parent_id, cs1.id);
    int64_t uf1 = u.id;
    store_org_unit_clear(&u);
    assert_int_equal(post_form(HR, "/hr/org", &r, "code", "UF-2", "name", "同名課", "parent", "第一カスタマサービス部",
                               NULL), 303);
    resp_free(&r);
    assert_int_equal(store_org_find(db, "UF-2", &u, &e), 1);
    assert_int_equal(u.parent_id, cs1.id);
    store_org_unit_clear(&u);
    assert_int_equal(post_form(HR, "/hr/org", &r, "code", "UF-3", "name", "同名課", "parent", "統合課", NULL), 303);
    resp_free(&r);
    assert_int_equal(store_org_find(db, "UF-3", &u, &e), 1);
    assert_int_equal(u.parent_id, uf1);
    store_org_unit_clear(&u);
    /* an unknown unit, a name two units have: refused at the field, the text kept, nothing added */
    assert_int_equal(post_form(HR, "/hr/org", &r, "code", "UF-4", "name", "四課", "parent", "NOPE", NULL), 422);
    assert_true(body_has(&r, "id=\"e-parent\">その組織はありません。"));
    assert_true(body_has(&r, "name=\"parent\" value=\"NOPE\""));
    resp_free(&r);
    assert_int_equal(post_form(HR, "/hr/org", &r, "code", "UF-4", "name", "四課", "parent", "同名課", NULL), 422);
    assert_true(body_has(&r, "id=\"e-parent\">その名前の組織は複数あります。組織コードで指定してください。"));
    resp_free(&r);
    assert_int_equal(store_org_find(db, "UF-4", &u, &e), 0);
    /* empty: the top level */
    char path[64];
    snprintf(path, sizeof path, "/hr/org/%lld", (long long)uf1);
    assert_int_equal(post_form(HR, path, &r, "code", "UF-1", "name", "統合課", "parent", "", NULL), 303);
    resp_free(&r);
    assert_int_equal(store_org_find(db, "UF-1", &u, &e), 1);
    assert_int_equal(u.parent_id, 0);
    store_org_unit_clear(&u);
    /* the edit form: the parent's code in the field, its path in the hint, no select of every unit;
     * the unit itself and the units below it are not offered */
    assert_int_equal(post_form(HR, path, &r, "code", "UF-1", "name", "統合課", "parent", "CS-1", NULL), 303);
    resp_free(&r);
    assert_int_equal(get(HR, path, &r), 200);
    assert_true(body_has(&r, "name=\"parent\" value=\"CS-1\""));
    assert_true(body_has(&r, "list=\"units-parent\""));
    assert_true(body_has(&r, "現在: CS-1 第一カスタマサービス部"));
    assert_false(body_has(&r, "<select"));
    assert_false(body_has(&r, "<option value=\"UF-1\">"));
    assert_false(body_has(&r, "<option value=\"UF-3\">"));
    assert_true(body_has(&r, "<option value=\"UF-2\">"));
    resp_free(&r);
    /* a person's unit, in Japanese and in English */
    assert_int_equal(post_form(HR, "/hr/people/new", &r, "employee_number", "E0601", "name", "単位 太郎", "org_unit",
                               "UF-3", NULL), 303);
    resp_free(&r);
    store_person p;
    assert_int_equal(store_person_find(db, "E0601", &p, &e), 1);
    int64_t uf3 = p.org_unit_id;
    snprintf(path, sizeof path, "/hr/people/%lld/edit", (long long)p.id);
    store_person_clear(&p);
    assert_int_equal(store_org_find(db, "UF-3", &u, &e), 1);
    assert_int_equal(uf3, u.id);
    store_org_unit_clear(&u);
    assert_int_equal(post_form(HR, path, &r, "employee_number", "E0601", "name", "単位 太郎", "org_unit", "NOPE", NULL),
                     422);
    assert_true(body_has(&r, "id=\"e-org_unit\">その組織はありません。"));
    resp_free(&r);
    char en[80];
    snprintf(en, sizeof en, "%s?lang=en", path);
    assert_int_equal(post_form(HR, en, &r, "employee_number", "E0601", "name", "単位 太郎", "org_unit", "同名課", NULL),
                     422);
    assert_true(body_has(&r, "id=\"e-org_unit\">More than one org unit has that name: give its code."));
    resp_free(&r);
    assert_int_equal(store_person_find(db, "E0601", &p, &e), 1);
    assert_int_equal(p.org_unit_id, uf3);
    store_person_clear(&p);
    assert_int_equal(get(HR, path, &r), 200);
    assert_true(body_has(&r, "name=\"org_unit\" value=\"UF-3\""));
    assert_false(body_has(&r, "<select"));
    resp_free(&r);
    /* the name of a unit, with surrounding spaces: taken; empty: no unit */
    assert_int_equal(post_form(HR, path, &r, "employee_number", "E0601", "name", "単位 太郎", "org_unit", " 統合課 ", NULL),
                     303);
    resp_free(&r);
    assert_int_equal(store_person_find(db, "E0601", &p, &e), 1);
    assert_int_equal(p.org_unit_id, uf1);
    store_person_clear(&p);
    assert_int_equal(post_form(HR, path, &r, "employee_number", "E0601", "name", "単位 太郎", "org_unit", "", NULL), 303);
    resp_free(&r);
    assert_int_equal(store_person_find(db, "E0601", &p, &e), 1);
    assert_int_equal(p.org_unit_id, 0);
    store_person_clear(&p);
    /* /hr/org: the tree one level at a time (CS-1 > UF-1 > UF-3, CS-1 > UF-2), not every unit at once */
    assert_int_equal(get(HR, "/hr/org", &r), 200);
    assert_true(body_has(&r, "<td class=\"depth-1\">CS-1</td>"));
    assert_false(body_has(&r, ">UF-1</td>"));
    assert_false(body_has(&r, "<select"));
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/org?unit=CS-1", &r), 200);
    assert_true(body_has(&r, "<tr class=\"current\"><td class=\"depth-0\">CS-1</td>"));
    assert_true(body_has(&r, "<td class=\"depth-1\">UF-1</td><td><a href=\"/hr/org?org="));
    assert_true(body_has(&r, "<td class=\"depth-1\">UF-2</td><td>同名課</td>"));
    assert_false(body_has(&r, ">UF-3</td>"));
    assert_true(body_has(&r, "aria-current=\"page\">第一カスタマサービス部</a>"));
    assert_true(body_has(&r, "name=\"parent\" value=\"CS-1\""));     /* a unit added here goes below CS-1 */
    resp_free(&r);
    assert_int_equal(get(HR, "/hr/org?unit=NOPE", &r), 400);
    assert_true(body_has(&r, "<p>unit: "));
    resp_free(&r);
    store_org_unit_clear(&cs1);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);   /* the cycles named here are dated for this day */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hr_routes_only_for_hr),
        cmocka_unit_test(test_cycle_bad_date_shows_field_error),
        cmocka_unit_test(test_broken_upload_shows_places_and_changes_nothing),
        cmocka_unit_test(test_good_upload_imports),
        cmocka_unit_test(test_upload_without_file_is_refused),
        cmocka_unit_test(test_exports_bom_crlf_attachment),
        cmocka_unit_test(test_admin_adds_and_disables_users),
        cmocka_unit_test(test_token_page_and_api),
        cmocka_unit_test(test_admin_api_users),
        cmocka_unit_test(test_openapi_lists_every_api_route),
        cmocka_unit_test(test_org_people_and_overview),
        cmocka_unit_test(test_unit_fields_take_code_or_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
