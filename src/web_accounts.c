/* web_accounts.c - the administrator's accounts in bulk (issue 12, Missing 7):
 * /admin/accounts makes a user for everyone of an org unit (and the units
 * below) or for the rows of a CSV file, each with a one-time sign-in link, and
 * /admin/users/:id/signin-link resets one user's password by such a link.
 * accounts.h does the work in one transaction; the links are shown on the
 * answer page only, once (printable), and downloadable from it as CSV, and,
 * when asked, queued as e-mails (notify.h, template "signin"). Who follows a
 * link sets a password there (web_signin.c). */
#include "web.h"
#include "web_kit.h"
#include "web_hr_data.h"
#include "web_pages.h"
#include "html.h"
#include "accounts.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[] = { "auto", "engineer", "manager", "hr", "admin" };

/* The start of every link: the scheme (https with --secure-cookies) and the
 * Host the administrator's browser used; "" when the Host is not a plain host
 * name and port (the links are then paths). Request memory. */
static const char *base_url(web_request *r)
{
    const char *host = web_header(r, "Host");
    if (!host || !*host || strlen(host) > 255
        || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(host))
        return "";
    char url[300];
    snprintf(url, sizeof url, "%s://%s", web_app_config(r->app)->secure_cookies ? "https" : "http", host);
    return web_strdup(r, url);
}

/* The role <select>: auto (manager for a person someone reports to) or a role. */
static void role_select(web_request *r, const char *selected)
{
    html_select_begin(r, "role", web_t(r, "accounts.role"), NULL, 0);
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        char key[32];
        snprintf(key, sizeof key, i == 0 ? "accounts.role.auto" : "role.%s", roles[i]);
        html_option(r, roles[i], web_t(r, key), selected && strcmp(selected, roles[i]) == 0);
    }
    html_select_end(r, "role", NULL);
}

/* The checkbox that sends the links by e-mail too (checked unless checked is 0). */
static void mail_choice(web_request *r, int checked)
{
    html_printf(r->out, "<div class=\"choice\"><input type=\"checkbox\" id=\"f-mail-%s\" name=\"mail\" value=\"1\"%s>"
                        "<label for=\"f-mail-%s\">%s</label></div>\n",
                checked < 0 ? "csv" : "unit", checked ? " checked" : "", checked < 0 ? "csv" : "unit",
                web_t(r, "accounts.mail"));
}

/* The form: everyone of a unit (and below). */
static void unit_form(web_request *r, store *db)
{
    store_org_list units;
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_list_all(db, &units, &e) < 0) {
        web_store_failed(r, "org units", &e);
        return;
    }
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<p>%s</p>\n", web_t(r, "accounts.unit.title"),
                web_t(r, "accounts.unit.intro"));
    html_form_post(r, "/admin/accounts/unit");
    /* a unit's code or name (a select of every unit was 940 KB at 12,000 units) */
    web_hr_unit_input_field(r, &units, &(web_hr_unit_input){ .name = "unit", .label = web_t(r, "accounts.unit"),
                                                             .hint = web_t(r, "accounts.unit_hint") });
    html_printf(r->out, "<div class=\"choice\"><input type=\"checkbox\" id=\"f-sub_units\" name=\"sub_units\" "
                        "value=\"1\" checked><label for=\"f-sub_units\">%s</label></div>\n",
                web_t(r, "accounts.sub_units"));
    role_select(r, "auto");
    mail_choice(r, 1);
    html_submit(r, web_t(r, "accounts.create"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    store_org_list_free(&units);
}

/* The form: the rows of a CSV file. */
static void csv_form(web_request *r, int dry_run)
{
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<p>%s</p>\n", web_t(r, "accounts.csv.title"),
                web_t(r, "accounts.csv.intro"));
    html_printf(r->out, "<p class=\"templates\"><a href=\"/admin/accounts/template.csv\" download>%s</a></p>\n",
                web_t(r, "accounts.template"));
    html_raw(r->out, "<form method=\"post\" action=\"/admin/accounts/csv\" enctype=\"multipart/form-data\">\n");
    html_csrf_field(r);
    html_field(r, &(html_input){ .type = "file", .name = "file", .label = web_t(r, "hr.import.file"),
                                 .hint = web_t(r, "hr.import.file_hint"), .required = 1 });
    html_select_begin(r, "encoding", web_t(r, "hr.import.encoding"), NULL, 0);
    static const char *const encodings[] = { "auto", "utf-8", "cp932" };
    for (size_t i = 0; i < 3; i++) {
        char key[40];
        snprintf(key, sizeof key, "hr.import.encoding.%s", encodings[i]);
        html_option(r, encodings[i], web_t(r, key), i == 0);
    }
    html_select_end(r, "encoding", NULL);
    role_select(r, "auto");
    mail_choice(r, -1);
    html_printf(r->out, "<div class=\"choice\"><input type=\"checkbox\" id=\"f-dry_run\" name=\"dry_run\" value=\"1\"%s>"
                        "<label for=\"f-dry_run\">%s</label></div>\n",
                dry_run ? " checked" : "", web_t(r, "accounts.dry_run"));
    html_submit(r, web_t(r, "accounts.create"));
    html_raw(r->out, "</form>\n</section>\n");
}

/* The page's frame: back link, heading. */
static void accounts_begin(web_request *r, const char *title)
{
    html_begin(r, title);
    html_printf(r->out, "<p class=\"no-print\"><a href=\"/admin\">%s</a></p>\n<h1>%s</h1>\n", web_t(r, "admin.back"),
                title);
}

/* GET /admin/accounts  The two ways of making accounts in bulk. */
void web_page_admin_accounts(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    accounts_begin(r, web_t(r, "accounts.title"));
    html_printf(r->out, "<p>%s</p>\n", web_t(r, "accounts.intro"));
    unit_form(r, db);
    csv_form(r, 0);
    html_end(r);
}

/* A number as text in request memory. */
static const char *num(web_request *r, long long n)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", n);
    return web_strdup(r, text);
}

/* The table of entries (made, with their links, or skipped). */
static void entries_table(web_request *r, const accounts_entry *list, size_t n, const char *base, int links)
{
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"signin-links\">\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th>",
                web_t(r, "admin.employee_number"), web_t(r, "accounts.name"), web_t(r, "admin.login"),
                web_t(r, "admin.role"));
    if (links)
        html_printf(r->out, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>", web_t(r, "accounts.link"),
                    web_t(r, "accounts.expires"));
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const accounts_entry *a = &list[i];
        char role_key[32];
        snprintf(role_key, sizeof role_key, "role.%s", a->role);
        html_printf(r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>",
                    a->employee_number ? a->employee_number : "-", a->name ? a->name : "", a->login,
                    web_t(r, role_key));
        if (links && a->token[0])
            html_printf(r->out, "<td class=\"signin-url\"><code>%s%s%s</code></td><td>%s</td>", base,
                        ACCOUNTS_SIGNIN_PATH, a->token, web_moment(r, a->expires_at));
        else if (links)
            html_raw(r->out, "<td></td><td></td>");
        html_raw(r->out, "</tr>\n");
    }
    html_raw(r->out, "</tbody></table></div>\n");
}

/* The download of the links as CSV: a data: URL of the file, so that the
 * secrets never travel again nor stay on the server. */
static void csv_download(web_request *r, const accounts_result *res, const char *base)
{
    buf file;
    buf_init(&file);
    accounts_csv(res, base, &file);
    html_raw(r->out, "<p class=\"no-print\"><a class=\"button\" download=\"signin-links.csv\" "
                     "href=\"data:text/csv;charset=utf-8,");
    html_url_arg(r->out, file.data ? file.data : "");
    html_printf(r->out, "\">%s</a></p>\n", web_t(r, "accounts.download"));
    buf_free(&file);
}

/* The answer page of a bulk action or a reset: the links, shown this once
 * (never cached nor compressed), and who was skipped. */
static void render_result(web_request *r, const accounts_result *res, int dry_run, int mailed)
{
    const char *base = base_url(r);
    web_add_header(r, "Cache-Control", "no-store");
    r->res.no_gzip = 1;
    accounts_begin(r, web_t(r, dry_run ? "accounts.checked_title" : "accounts.result_title"));
    html_raw(r->out, "<section class=\"accounts-result\" aria-live=\"polite\">\n");
    const char *tpl = web_t(r, dry_run ? "accounts.would_make" : "accounts.made");
    html_raw(r->out, "<div class=\"message ok\" role=\"status\"><p>");
    web_html_tpl(r->out, tpl, num(r, (long long)res->n_made), num(r, (long long)res->n_skipped),
                 num(r, (long long)res->n_left), NULL);
    html_raw(r->out, "</p></div>\n");
    if (!dry_run && res->n_made) {
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "accounts.once"));
        if (mailed)
            html_printf(r->out, "<p>%s <a href=\"/admin/outbox\">%s</a></p>\n", web_t(r, "accounts.mailed"),
                        web_t(r, "outbox.link"));
        csv_download(r, res, base);
    }
    if (res->n_made) {
        html_printf(r->out, "<h2>%s</h2>\n", web_t(r, dry_run ? "accounts.to_make" : "accounts.links"));
        entries_table(r, res->made, res->n_made, base, !dry_run);
    }
    if (res->n_skipped) {
        html_printf(r->out, "<h2>%s</h2>\n<p>%s</p>\n", web_t(r, "accounts.skipped"), web_t(r, "accounts.skipped_intro"));
        entries_table(r, res->skipped, res->n_skipped, base, 0);
    }
    html_printf(r->out, "<p class=\"no-print\"><a href=\"/admin/accounts\">%s</a></p>\n</section>\n",
                web_t(r, "accounts.again"));
    html_end(r);
}

/* The options of a bulk action by r's user. Request memory. */
static accounts_options *options(web_request *r, const char *role, int dry_run)
{
    accounts_options *o = web_alloc(r, sizeof *o);
    memset(o, 0, sizeof *o);
    char actor[128];
    snprintf(actor, sizeof actor, "admin:%s", r->user ? r->user->login : "?");
    o->actor = web_strdup(r, actor);
    o->role = role && *role ? role : "auto";
    o->dry_run = dry_run;
    o->mail = web_form(r, "mail") != NULL;   /* the links by e-mail too, through the outbox (notify.h) */
    return o;
}

/* A refused action: the form page again with what was wrong (422). */
static void render_refused(web_request *r, const char *name, const err_list *errors, int dry_run)
{
    store *db = web_store(r);
    if (!db)
        return;
    r->res.status = 422;
    accounts_begin(r, web_t(r, "accounts.title"));
    html_message(r, "error", web_t(r, "accounts.refused"));
    web_csv_errors(r, name, errors);
    unit_form(r, db);
    csv_form(r, dry_run);
    html_end(r);
}

/* 1 when role is "auto" or a role name. */
static int role_ok(const char *role)
{
    return !role || !*role || strcmp(role, "auto") == 0 || account_role_parse(role) != ROLE_NONE;
}

/* The unit the form names: its code or exact name (web_hr_unit_lookup), else
 * an id (what the form sent before). 1 with *id; 0 after answering 400
 * naming unit (none given, unknown, or a name several units have); -1 after
 * answering 503. */
static int posted_unit(web_request *r, store *db, int64_t *id)
{
    const char *text = web_form(r, "unit");
    store_org_list units;
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_list_all(db, &units, &e) < 0) {
        web_store_failed(r, "org units", &e);
        return -1;
    }
    char trimmed[256];
    size_t n = 0;
    while (text && (*text == ' ' || *text == '\t'))
        text++;
    snprintf(trimmed, sizeof trimmed, "%s", text ? text : "");
    n = strlen(trimmed);
    while (n && (trimmed[n - 1] == ' ' || trimmed[n - 1] == '\t'))
        trimmed[--n] = 0;
    int found = web_hr_unit_lookup(&units, trimmed, id);
    if (found == -1 && web_parse_int(trimmed, 1, INT64_MAX, id)) {
        found = -1;
        for (size_t i = 0; i < units.count && found < 0; i++)
            found = units.items[i].id == *id ? 1 : -1;
    }
    store_org_list_free(&units);
    if (found == 1)
        return 1;
    web_hr_refuse(r, 400, found == -2 ? "hr.err.unit_ambiguous" : found == 0 ? "accounts.bad_form" : "hr.err.org_unknown",
                  "unit");
    return 0;
}

/* POST /admin/accounts/unit  unit (a code or exact name, or an id),
 * sub_units, role, mail: a user with a sign-in link for everyone of the unit
 * (and below) who has none. */
void web_page_admin_accounts_unit(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    int64_t unit = 0;
    const char *role = web_form(r, "role");
    if (!role_ok(role)) {
        web_reply_400(r, web_t(r, "accounts.bad_form"), "role");
        return;
    }
    if (posted_unit(r, db, &unit) <= 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc;
    err_list *errors = web_alloc(r, sizeof *errors);
    memset(errors, 0, sizeof *errors);
    accounts_result res;
    rc = accounts_for_unit(db, unit, web_form(r, "sub_units") != NULL, options(r, role, 0), &res, errors, &e);
    if (rc < 0)
        web_store_failed(r, "accounts", &e);
    else if (rc > 0)
        render_refused(r, "", errors, 0);
    else
        render_result(r, &res, 0, web_form(r, "mail") != NULL);
    if (rc >= 0)
        accounts_result_free(&res);
}

/* POST /admin/accounts/csv  multipart: file, encoding, role, mail, dry_run. */
void web_page_admin_accounts_csv(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const web_upload *file = web_upload_get(r, "file");
    const char *encoding = web_form(r, "encoding"), *role = web_form(r, "role");
    int enc = encoding && *encoding ? csv_encoding_parse(encoding) : CSV_AUTO;
    int dry_run = web_form(r, "dry_run") != NULL;
    if (!file || !file->filename || !*file->filename || enc < 0 || !role_ok(role)) {
        web_reply_400(r, web_t(r, "accounts.bad_form"), !file ? "file" : enc < 0 ? "encoding" : "role");
        return;
    }
    const char *name = web_upload_name(r, file);
    err_list *errors = web_alloc(r, sizeof *errors);
    memset(errors, 0, sizeof *errors);
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *csv = csv_open_memory(file->data, file->len, name, (csv_encoding)enc, &e);
    if (!csv) {
        err_add(errors, e.where, e.line, e.column, e.path[0] ? e.path : NULL, "%s", e.message);
        render_refused(r, name, errors, dry_run);
        return;
    }
    accounts_result res;
    int rc = accounts_from_csv(db, csv, name, options(r, role, dry_run), &res, errors, &e);
    csv_close(csv);
    if (rc < 0)
        web_store_failed(r, "accounts", &e);
    else if (rc > 0)
        render_refused(r, name, errors, dry_run);
    else
        render_result(r, &res, dry_run, web_form(r, "mail") != NULL);
    if (rc >= 0)
        accounts_result_free(&res);
}

/* GET /admin/accounts/template.csv  The header and an example row. */
void web_page_admin_accounts_template(web_request *r)
{
    buf_reset(r->out);
    accounts_template(r->out);
    r->res.content_type = "text/csv; charset=utf-8";
    web_add_header(r, "Content-Disposition", "attachment; filename=\"accounts.csv\"");
}

/* POST /admin/users/:id/signin-link  A password reset by link: the user's
 * password goes, their sessions end and tokens are deleted; the new link is
 * shown this once. */
void web_page_admin_user_signin_link(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || web_path_param_id(r, "id", &id) < 0)
        return;
    store_user u;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_user_get(db, id, &u, &e);
    if (rc <= 0) {
        if (rc < 0)
            web_store_failed(r, "user", &e);
        else
            web_reply_404(r);
        return;
    }
    store_user_clear(&u);
    accounts_entry link;
    accounts_options *o = options(r, NULL, 0);
    o->mail = 1;   /* to the person's address, when they have one */
    if (accounts_reset(db, id, o, &link, &e) < 0) {
        web_store_failed(r, "reset", &e);
        return;
    }
    accounts_result one = { &link, 1, NULL, 0, 0 };
    render_result(r, &one, 0, link.person_id != 0);
    accounts_entry_clear(&link);
}

/* ---- Messages ------------------------------------------------------------------------------ */

/* The messages of accounts in bulk and of the sign-in links (web_signin.c). */
const web_message web_messages_accounts[] = {
    { "accounts.title", "アカウントの一括作成", "Accounts in bulk" },
    { "accounts.intro", "社員ごとにユーザーを作り、パスワードの代わりに一度だけ使えるサインイン用リンクを発行します。リンクは7日間有効で、"
      "開いた本人がパスワードを決めるとそのままログインします。すでにアカウントのある社員と退職者は対象外です。",
      "Makes a user for each person and, instead of a password, a sign-in link that works once. A link works for 7 days; "
      "whoever opens it sets a password and is signed in. People who already have an account, and people who left, "
      "are skipped." },
    { "accounts.unit.title", "組織の全員に作成", "For everyone of an org unit" },
    { "accounts.unit.intro", "選んだ組織（と配下の組織）の社員のうち、アカウントのない全員に作成します。",
      "Makes an account for everyone of the unit (and the units below) who has none." },
    { "accounts.unit", "組織", "Org unit" },
    { "accounts.unit_hint", "組織コードまたは組織名", "The unit's code or name" },
    { "accounts.sub_units", "配下の組織も含める", "Include the units below" },
    { "accounts.role", "役割", "Role" },
    { "accounts.role.auto", "自動（部下のいる人はマネージャ、ほかはエンジニア）",
      "Automatic (manager for people with reports, else engineer)" },
    { "accounts.create", "アカウントを作成", "Make the accounts" },
    { "accounts.csv.title", "CSVから作成", "From a CSV file" },
    { "accounts.csv.intro", "1行に1人: 社員番号（必須）、役割（engineer, manager, hr, admin, auto。空欄なら上で選んだ役割）、"
      "ログインID（空欄なら社員番号）。",
      "One row per person: employee_number (required), role (engineer, manager, hr, admin or auto; empty: the role "
      "chosen here), login (empty: the employee number)." },
    { "accounts.template", "テンプレート（CSV）をダウンロード", "Download the template (CSV)" },
    { "accounts.dry_run", "確認のみ（作成しない）", "Check only (make nothing)" },
    { "accounts.mail", "リンクをメールでも送る（メールアドレスのある人に）", "Send the links by e-mail too (to those with an address)" },
    { "accounts.mailed", "リンクはメールの送信待ちにも入れました（メールアドレスのない人の分は送信箱に残ります）。", "The links are queued as e-mails too (those without an address stay in the outbox)." },
    { "accounts.name", "氏名", "Name" },
    { "accounts.link", "サインイン用リンク", "Sign-in link" },
    { "accounts.expires", "有効期限", "Expires" },
    { "accounts.download", "リンクの一覧をCSVでダウンロード", "Download the links as CSV" },
    { "accounts.result_title", "サインイン用リンク", "Sign-in links" },
    { "accounts.checked_title", "アカウント作成の確認", "Accounts: check" },
    { "accounts.made", "{1}件のアカウントを作成しました。すでにアカウントのある{2}人と退職者{3}人は対象外です。",
      "{1} accounts were made. {2} people who already have one and {3} who left were skipped." },
    { "accounts.would_make", "確認のみです（何も書き込んでいません）: {1}件のアカウントを作成できます。すでにアカウントのある{2}人と退職者{3}人は対象外です。",
      "Checked only (nothing written): {1} accounts can be made. {2} people who already have one and {3} who left "
      "would be skipped." },
    { "accounts.once", "リンクはこの画面に一度だけ表示されます。印刷するかCSVで保存して、本人に安全な方法で渡してください。"
      "一度使うか有効期限が過ぎると使えなくなります。",
      "The links are shown on this page only, this once. Print them or save them as CSV, and give each to its person "
      "by a safe way. A link stops working once used or expired." },
    { "accounts.to_make", "作成されるアカウント", "Accounts to be made" },
    { "accounts.links", "リンクの一覧", "The links" },
    { "accounts.skipped", "対象外（アカウントあり）", "Skipped (they have an account)" },
    { "accounts.skipped_intro", "この社員にはすでにアカウントがあります。パスワードを忘れた場合はユーザーのページで再設定用リンクを発行してください。",
      "These people already have an account. For a forgotten password, make a reset link on the user's page." },
    { "accounts.again", "アカウントの一括作成に戻る", "Back to accounts in bulk" },
    { "accounts.refused", "アカウントを作成できませんでした。何も書き込んでいません。下の誤りを直してください。",
      "No account was made (nothing was written). Please correct what is listed below." },
    { "accounts.bad_form", "フォームの値が正しくありません。", "The form's values are not valid." },
    { "import.err.accounts.login_bad", "「{1}」はログインIDにできません（半角英数字と . _ - @、64文字まで）。ログインID列で指定してください",
      "'{1}' cannot be a login (ASCII letters, digits, . _ - @; at most 64): give one in the login column" },
    { "import.err.accounts.login_taken", "ログインID「{1}」はすでに別のユーザーが使っています",
      "the login '{1}' is already another user's" },
    { "import.err.accounts.refused", "「{1}」のアカウントを作成できません", "cannot make the account '{1}'" },
    { "import.err.accounts.role_bad", "役割「{1}」はありません（engineer, manager, hr, admin, auto）",
      "'{1}' is not a role (engineer, manager, hr, admin, auto)" },
    { "import.err.accounts.number_twice", "社員番号 {1} がファイル内に2回あります",
      "employee number {1} appears twice in the file" },
    { "import.col.login", "ログインID", "login" },
    { "import.col.role", "役割", "role" },
    { "admin.accounts", "アカウントの一括作成（サインイン用リンク）", "Accounts in bulk (sign-in links)" },
    { "admin.signin_link", "再設定用リンクを発行", "Make a reset link" },
    { "admin.signin_link_intro", "パスワードを無効にし、一度だけ使えるサインイン用リンク（7日間有効）を発行します。このユーザーのセッションとAPIトークンはすべて終了します。",
      "Takes the password away and makes a sign-in link that works once, for 7 days. Every session and API token of "
      "this user ends." },
    { "signin.title", "パスワードの設定", "Set your password" },
    { "signin.intro", "{1} さん（ユーザー名 {2}）のサインイン用リンクです。パスワードを決めると、そのままログインします。リンクの有効期限: {3}",
      "This is the sign-in link of {1} (user name {2}). Set your password and you are signed in. The link works until {3}." },
    { "signin.submit", "パスワードを設定してログイン", "Set the password and sign in" },
    { "signin.gone_title", "このリンクは使えません", "This link does not work" },
    { "signin.unknown", "このサインイン用リンクはありません。", "There is no such sign-in link." },
    { "signin.used", "このサインイン用リンクはすでに使われました。", "This sign-in link was already used." },
    { "signin.expired", "このサインイン用リンクは有効期限が過ぎています。", "This sign-in link has expired." },
    { "signin.disabled", "このリンクのアカウントは無効になっています。", "The account of this link is disabled." },
    { "signin.ask_admin", "パスワードが決まっていればログインページからログインできます。そうでなければ、管理者に新しいリンクを依頼してください。",
      "If you have set your password, log in on the login page. If not, ask your administrator for a new link." },
};

const size_t web_messages_accounts_count = sizeof web_messages_accounts / sizeof web_messages_accounts[0];
