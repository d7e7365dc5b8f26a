/* web_tokens.c - a user's own API tokens: GET/POST /account/tokens and
 * /api/v1/tokens. A token lets a script use the JSON API as its user (header
 * "Authorization: Bearer TOKEN"); it is shown once, when it is made, and only
 * its hash is kept (account.h). A user sees and revokes only their own tokens;
 * the administrator's user page lists and revokes anyone's, and `itss token`
 * manages everyone's from the command line.
 *
 * A token has a scope: "read" (GET and HEAD) or "write" (whatever its user
 * may do). A token cannot make tokens (only a logged-in browser or the command
 * line can), so no token outlives the user's own say. The administrator may set
 * a longest lifetime (meta "token_max_days"): new tokens must expire within it,
 * and older tokens stop working when they pass it. A password change or reset
 * and disabling the user delete the user's tokens (store.h). */
#include "web.h"
#include "web_auth.h"
#include "web_json.h"
#include "json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN_NAME_MAX 100

/* The tokens of the request's user into *out; -1 after answering. */
static int own_tokens(web_request *r, store *db, store_api_token_list *out)
{
    err e;
    if (store_api_token_list_user(db, r->user->id, out, &e) < 0) {
        web_store_failed(r, "tokens", &e);
        return -1;
    }
    return 0;
}

/* Checks a token's name (1 to TOKEN_NAME_MAX bytes, one line), lifetime in
 * days (0: never expires; within max_days when that is set) and scope. NULL,
 * or the message key of what is wrong with *field set. */
static const char *token_problem(const char *name, int64_t days, int64_t max_days, const char *scope,
                                 const char **field)
{
    *field = "name";
    if (!name || !*name)
        return "tokens.err.name_empty";
    if (strlen(name) > TOKEN_NAME_MAX)
        return "tokens.err.name_long";
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return "tokens.err.name_control";
    *field = "expires_days";
    if (days < 0 || days > WEB_TOKEN_DAYS_MAX)
        return "tokens.err.days";
    if (max_days > 0 && (days == 0 || days > max_days))
        return "tokens.err.max";
    *field = "scope";
    if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0))
        return "tokens.err.scope";
    return NULL;
}

/* Makes a token for the request's user: the secret into token (shown once),
 * its id and expiry moment ("" when never). -1 after answering 503. */
static int make_token(web_request *r, store *db, const char *name, int64_t days, const char *scope,
                      char token[ACCOUNT_TOKEN_SIZE], int64_t *id, char expires[32])
{
    char hash[ACCOUNT_TOKEN_HASH_SIZE], now[32];
    account_token_new(WEB_TOKEN_PREFIX, token);
    account_token_hash(token, hash);
    time_t t = time(NULL);
    web_auth_moment(t, now);
    expires[0] = '\0';
    if (days > 0)
        web_auth_moment(t + (time_t)days * 86400, expires);
    err e;
    memset(&e, 0, sizeof e);
    if (store_api_token_add_scope(db, r->user->id, name, hash, now, days > 0 ? expires : NULL, scope, id, &e) < 0) {
        memset(token, 0, ACCOUNT_TOKEN_SIZE);
        web_store_failed(r, "token", &e);
        return -1;
    }
    return 0;
}

/* Revokes token id when it is the request's user's. 1 revoked, 0 not theirs
 * (or none), -1 after answering. */
static int revoke_own(web_request *r, store *db, int64_t id)
{
    store_api_token_list tokens;
    if (own_tokens(r, db, &tokens) < 0)
        return -1;
    int mine = 0;
    for (size_t i = 0; i < tokens.count; i++)
        mine |= tokens.items[i].id == id;
    store_api_token_list_free(&tokens);
    if (!mine)
        return 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_api_token_delete(db, id, &e) < 0) {
        web_store_failed(r, "token", &e);
        return -1;
    }
    return 1;
}

/* ---- Pages ----------------------------------------------------------------------------- */

/* The tokens page: the new token (once) or a refusal, the user's tokens, and
 * the form to make one. */
static void render_tokens(web_request *r, const char *new_token, const char *name, const char *days,
                          const char *scope, const char *problem_field, const char *problem)
{
    store *db = web_store(r);
    store_api_token_list tokens;
    if (!db || own_tokens(r, db, &tokens) < 0)
        return;
    int64_t max_days = web_auth_token_max_days(db);
    html_begin(r, web_t(r, "tokens.title"));
    html_printf(r->out, "<h1>%s</h1>\n<p>%s</p>\n", web_t(r, "tokens.title"), web_t(r, "tokens.intro"));
    const char *done = web_query(r, "done");
    if (done && strcmp(done, "revoked") == 0)
        html_message(r, "ok", web_t(r, "tokens.revoked"));
    if (new_token) {
        html_printf(r->out, "<section class=\"card new-token\" aria-live=\"polite\">\n<h2>%s</h2>\n"
                            "<p>%s</p>\n<p><code class=\"token\">%s</code></p>\n"
                            "<p class=\"hint\">%s <code>Authorization: Bearer …</code></p>\n</section>\n",
                    web_t(r, "tokens.created"), web_t(r, "tokens.shown_once"), new_token, web_t(r, "tokens.how"));
    }
    if (tokens.count == 0)
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "tokens.none"));
    else {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                            "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "tokens.name"), web_t(r, "tokens.scope"), web_t(r, "tokens.created_at"),
                    web_t(r, "tokens.expires_at"), web_t(r, "tokens.last_used"), web_t(r, "tokens.actions"));
        for (size_t i = 0; i < tokens.count; i++) {
            const store_api_token *t = &tokens.items[i];
            char action[64];
            snprintf(action, sizeof action, "/account/tokens/%lld/revoke", (long long)t->id);
            char scope_key[32];
            snprintf(scope_key, sizeof scope_key, "tokens.scope.%s", t->scope && strcmp(t->scope, "read") == 0
                                                                         ? "read" : "write");
            html_printf(r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>", t->name,
                        web_t(r, scope_key), web_moment(r, t->created_at),
                        t->expires_at ? web_moment(r, t->expires_at) : web_t(r, "tokens.never"),
                        t->last_used_at ? web_moment(r, t->last_used_at) : web_t(r, "tokens.unused"));
            html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline\" data-confirm=\"%s\">", action,
                        web_t(r, "tokens.revoke_confirm"));
            html_csrf_field(r);
            html_printf(r->out, "<button type=\"submit\" class=\"danger\">%s</button></form></td></tr>\n",
                        web_t(r, "tokens.revoke"));
        }
        html_raw(r->out, "</tbody>\n</table></div>\n");
    }
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "tokens.create"));
    if (problem)
        html_message(r, "error", web_t(r, "tokens.refused"));
    html_form_post(r, "/account/tokens");
    int name_bad = problem && strcmp(problem_field, "name") == 0;
    html_field(r, &(html_input){ .name = "name", .label = web_t(r, "tokens.name"), .value = name,
                                 .hint = web_t(r, "tokens.name_hint"), .error = name_bad ? problem : NULL,
                                 .required = 1, .maxlength = TOKEN_NAME_MAX, .autocomplete = "off" });
    static const char *const choices[] = { "0", "30", "90", "365" };
    int scope_bad = problem && strcmp(problem_field, "scope") == 0;
    int days_bad = problem && !name_bad && !scope_bad;
    html_select_begin(r, "expires_days", web_t(r, "tokens.expires"), days_bad ? problem : NULL, 0);
    int offered_max = 0;
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
        char key[40];
        int64_t n = atoi(choices[i]);
        if (max_days > 0 && (n == 0 || n > max_days))
            continue;
        offered_max |= n == max_days;
        snprintf(key, sizeof key, "tokens.expires.%s", choices[i]);
        html_option(r, choices[i], web_t(r, key), days && strcmp(days, choices[i]) == 0);
    }
    if (max_days > 0 && !offered_max) {
        char n[24], label[64];
        snprintf(n, sizeof n, "%lld", (long long)max_days);
        snprintf(label, sizeof label, "%lld %s", (long long)max_days, web_t(r, "tokens.days"));
        html_option(r, n, label, days && strcmp(days, n) == 0);
    }
    html_select_end(r, "expires_days", days_bad ? problem : NULL);
    if (max_days > 0)
        html_printf(r->out, "<p class=\"hint\">%s: %lld %s</p>\n", web_t(r, "tokens.max_days"), (long long)max_days,
                    web_t(r, "tokens.days"));
    int write = scope && strcmp(scope, "write") == 0;
    html_select_begin(r, "scope", web_t(r, "tokens.scope"), scope_bad ? problem : NULL, 0);
    html_option(r, "read", web_t(r, "tokens.scope.read"), !write);
    html_option(r, "write", web_t(r, "tokens.scope.write"), write);
    html_select_end(r, "scope", scope_bad ? problem : NULL);
    html_submit(r, web_t(r, "tokens.create"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
    store_api_token_list_free(&tokens);
}

/* The cookie that carries a token just made from its POST to the one GET that
 * shows it (POST/redirect/GET: reloading the page makes no second token). */
#define NEW_TOKEN_COOKIE "itss_new_token"

/* GET /account/tokens  The user's API tokens and the form to make one; the
 * token the POST before made, shown this once (its cookie is cleared; the
 * answer is neither cached nor compressed). */
void web_page_tokens(web_request *r)
{
    const char *fresh = web_cookie(r, NEW_TOKEN_COOKIE);
    if (fresh && *fresh) {
        size_t n = strspn(fresh, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~");
        web_set_cookie(r, NEW_TOKEN_COOKIE, "", 0);
        web_add_header(r, "Cache-Control", "no-store");
        r->res.no_gzip = 1;
        if (n != strlen(fresh) || n >= ACCOUNT_TOKEN_SIZE)
            fresh = NULL;
    } else
        fresh = NULL;
    render_tokens(r, fresh, NULL, NULL, NULL, NULL, NULL);
}

/* POST /account/tokens  name, expires_days (0: never): makes a token, then
 * 303 to GET /account/tokens, which shows it this once. */
void web_page_token_create(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *name = web_form(r, "name"), *days_text = web_form(r, "expires_days");
    const char *scope = web_form(r, "scope");
    if (!scope)
        scope = "read";
    int64_t days = 0;
    const char *field = "expires_days";
    const char *key = days_text && *days_text && !web_parse_int(days_text, 0, WEB_TOKEN_DAYS_MAX, &days)
                          ? "tokens.err.days"
                          : token_problem(name, days, web_auth_token_max_days(db), scope, &field);
    if (key) {
        r->res.status = 422;
        render_tokens(r, NULL, name, days_text, scope, field, web_t(r, key));
        return;
    }
    char token[ACCOUNT_TOKEN_SIZE], expires[32];
    int64_t id = 0;
    if (make_token(r, db, name, days, scope, token, &id, expires) < 0)
        return;
    web_set_cookie(r, NEW_TOKEN_COOKIE, token, 300);
    web_redirect(r, "/account/tokens");
    memset(token, 0, sizeof token);
}

/* POST /account/tokens/:id/revoke  Deletes one of the user's tokens; it stops
 * working at once. Another user's token is "not found". */
void web_page_token_revoke(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || web_path_param_id(r, "id", &id) < 0)
        return;
    int rc = revoke_own(r, db, id);
    if (rc == 0)
        web_reply_404(r);
    else if (rc > 0)
        web_redirect(r, "/account/tokens?done=revoked");
}

/* ---- API ------------------------------------------------------------------------------- */

/* {"id","name","created_at","expires_at","last_used_at"} */
static json_t *token_json(const store_api_token *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(t->id));
    json_object_set_new(o, "name", web_json_text(t->name));
    json_object_set_new(o, "created_at", web_json_text(t->created_at));
    json_object_set_new(o, "expires_at", web_json_text(t->expires_at));
    json_object_set_new(o, "last_used_at", web_json_text(t->last_used_at));
    json_object_set_new(o, "scope", web_json_text(t->scope));
    return o;
}

/* GET /api/v1/tokens  {"tokens":[token...]}: the user's own, never the secrets. */
void web_api_tokens(web_request *r)
{
    store *db = web_store(r);
    store_api_token_list tokens;
    if (!db || own_tokens(r, db, &tokens) < 0)
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < tokens.count; i++)
        json_array_append_new(list, token_json(&tokens.items[i]));
    store_api_token_list_free(&tokens);
    web_json_reply(r, 200, json_pack("{s:o}", "tokens", list));
}

/* POST /api/v1/tokens  {"name","expires_days"?,"scope"?}: 201 {"id","name",
 * "expires_at","scope","token"}; the token is in this answer only. The scope is
 * "read" unless "write" is asked. A bearer token cannot make tokens (403). */
void web_api_token_create(web_request *r)
{
    static const char *const keys[] = { "name", "expires_days", "scope", NULL };
    if (r->user->by_token) {
        web_reply_error(r, 403, "token_scope", web_t(r, "tokens.err.by_token"), NULL);
        return;
    }
    store *db = web_store(r);
    const json_value *body = db ? web_json_body(r, keys) : NULL;
    const char *name = "", *scope = "read";
    int64_t days = 0;
    if (!body || web_json_string(r, body, "name", &name) < 0
        || web_json_int(r, body, "expires_days", 0, WEB_TOKEN_DAYS_MAX, &days) < 0
        || web_json_string(r, body, "scope", &scope) < 0)
        return;
    const char *field;
    const char *key = token_problem(name, days, web_auth_token_max_days(db), scope, &field);
    if (key) {
        web_json_invalid(r, field, web_t(r, key));
        return;
    }
    char token[ACCOUNT_TOKEN_SIZE], expires[32];
    int64_t id = 0;
    if (make_token(r, db, name, days, scope, token, &id, expires) < 0)
        return;
    char location[64];
    snprintf(location, sizeof location, "/api/v1/tokens/%lld", (long long)id);
    web_add_header(r, "Location", location);
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(id));
    json_object_set_new(o, "name", web_json_text(name));
    json_object_set_new(o, "expires_at", web_json_text(expires));
    json_object_set_new(o, "scope", web_json_text(scope));
    json_object_set_new(o, "token", web_json_text(token));
    web_json_reply(r, 201, o);
    memset(token, 0, sizeof token);
}

/* DELETE /api/v1/tokens/:id  Revokes one of the user's tokens: 204. */
void web_api_token_revoke(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || web_path_param_id(r, "id", &id) < 0)
        return;
    int rc = revoke_own(r, db, id);
    if (rc == 0)
        web_reply_404(r);
    else if (rc > 0)
        r->res.status = 204;
}

/* ---- The administrator's view ------------------------------------------------------------ */

void web_tokens_admin_list(web_request *r, int64_t user_id)
{
    store *db = web_store(r);
    store_api_token_list tokens;
    err e;
    memset(&e, 0, sizeof e);
    if (!db || store_api_token_list_user(db, user_id, &tokens, &e) < 0)
        return;
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "tokens.title"));
    if (tokens.count == 0)
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "tokens.none_user"));
    else {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                            "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "tokens.name"), web_t(r, "tokens.scope"), web_t(r, "tokens.created_at"),
                    web_t(r, "tokens.expires_at"), web_t(r, "tokens.last_used"), web_t(r, "tokens.actions"));
        for (size_t i = 0; i < tokens.count; i++) {
            const store_api_token *t = &tokens.items[i];
            char action[96];
            snprintf(action, sizeof action, "/admin/users/%lld/tokens/%lld/revoke", (long long)user_id,
                     (long long)t->id);
            html_printf(r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>", t->name,
                        web_t(r, t->scope && strcmp(t->scope, "read") == 0 ? "tokens.scope.read" : "tokens.scope.write"),
                        t->created_at, t->expires_at ? t->expires_at : web_t(r, "tokens.never"),
                        t->last_used_at ? t->last_used_at : web_t(r, "tokens.unused"));
            html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline\" data-confirm=\"%s\">", action,
                        web_t(r, "tokens.revoke_confirm"));
            html_csrf_field(r);
            html_printf(r->out, "<button type=\"submit\" class=\"danger\">%s</button></form></td></tr>\n",
                        web_t(r, "tokens.revoke"));
        }
        html_raw(r->out, "</tbody>\n</table></div>\n");
    }
    html_raw(r->out, "</section>\n");
    store_api_token_list_free(&tokens);
}

/* POST /admin/users/:id/tokens/:token/revoke  Deletes one of user :id's tokens
 * (404 when it is not theirs) and goes back to the user's page. */
void web_page_admin_token_revoke(web_request *r)
{
    store *db = web_store(r);
    int64_t user_id, id;
    if (!db || web_path_param_id(r, "id", &user_id) < 0 || web_path_param_id(r, "token", &id) < 0)
        return;
    store_api_token_list tokens;
    err e;
    memset(&e, 0, sizeof e);
    if (store_api_token_list_user(db, user_id, &tokens, &e) < 0) {
        web_store_failed(r, "tokens", &e);
        return;
    }
    int theirs = 0;
    for (size_t i = 0; i < tokens.count; i++)
        theirs |= tokens.items[i].id == id;
    store_api_token_list_free(&tokens);
    if (!theirs) {
        web_reply_404(r);
        return;
    }
    if (store_api_token_delete(db, id, &e) < 0) {
        web_store_failed(r, "token", &e);
        return;
    }
    char back[80];
    snprintf(back, sizeof back, "/admin/users/%lld?done=token_revoked", (long long)user_id);
    web_redirect(r, back);
}

void web_tokens_admin_settings(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    char value[24];
    snprintf(value, sizeof value, "%lld", (long long)web_auth_token_max_days(db));
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<p>%s</p>\n", web_t(r, "tokens.max_days"),
                web_t(r, "tokens.max_days_intro"));
    html_form_post(r, "/admin/token-lifetime");
    html_field(r, &(html_input){ .name = "max_days", .label = web_t(r, "tokens.max_days"), .value = value,
                                 .hint = web_t(r, "tokens.max_days_hint"), .autocomplete = "off", .maxlength = 5 });
    html_submit(r, web_t(r, "admin.save"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
}

/* POST /admin/token-lifetime  max_days (0: no limit, else 1 to 36500). */
void web_page_admin_token_days(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *text = web_form(r, "max_days");
    int64_t days;
    if (!text || !web_parse_int(text, 0, WEB_TOKEN_DAYS_MAX, &days)) {
        web_reply_400(r, web_t(r, "tokens.err.days"), "max_days");
        return;
    }
    char value[24];
    snprintf(value, sizeof value, "%lld", (long long)days);
    err e;
    memset(&e, 0, sizeof e);
    if (store_meta_set(db, "token_max_days", value, &e) < 0) {
        web_store_failed(r, "token lifetime", &e);
        return;
    }
    web_redirect(r, "/admin?done=token_days");
}

/* ---- Messages ------------------------------------------------------------------------------ */

const web_message web_messages_tokens[] = {
    { "tokens.title", "APIトークン", "API tokens" },
    { "tokens.intro", "スクリプトからJSON API（/api/v1）を使うためのトークンです。トークンはあなたと同じ権限を持ちます。",
      "Tokens let scripts use the JSON API (/api/v1). A token has your role." },
    { "tokens.none", "トークンはまだありません。", "You have no tokens yet." },
    { "tokens.name", "名前", "Name" },
    { "tokens.name_hint", "用途が分かる名前（例: 月次集計スクリプト）", "What it is for (e.g. monthly report script)" },
    { "tokens.created_at", "作成日時", "Created" },
    { "tokens.expires_at", "有効期限", "Expires" },
    { "tokens.last_used", "最終利用", "Last used" },
    { "tokens.actions", "操作", "Actions" },
    { "tokens.never", "なし", "never" },
    { "tokens.unused", "未使用", "not yet" },
    { "tokens.expires", "有効期限", "Expires" },
    { "tokens.expires.0", "なし", "Never" },
    { "tokens.expires.30", "30日後", "In 30 days" },
    { "tokens.expires.90", "90日後", "In 90 days" },
    { "tokens.expires.365", "1年後", "In a year" },
    { "tokens.create", "トークンを作成", "Create a token" },
    { "tokens.created", "トークンを作成しました", "Your new token" },
    { "tokens.shown_once", "このトークンは今だけ表示されます。安全な場所に控えてください。",
      "It is shown only this once. Keep it somewhere safe now." },
    { "tokens.how", "リクエストのヘッダーに付けて使います:", "Send it in a request header:" },
    { "tokens.revoke", "失効", "Revoke" },
    { "tokens.revoke_confirm", "このトークンを失効させますか？使っているスクリプトは動かなくなります。",
      "Revoke this token? Scripts using it will stop working." },
    { "tokens.revoked", "トークンを失効させました。", "The token was revoked." },
    { "tokens.refused", "入力内容に誤りがあります。", "Some fields need correcting." },
    { "tokens.err.name_empty", "名前を入力してください。", "Please give the token a name." },
    { "tokens.err.name_long", "名前は100バイト以内にしてください。", "Use at most 100 bytes for the name." },
    { "tokens.err.name_control", "名前に改行や制御文字は使えません。", "Line breaks and control characters are not allowed." },
    { "tokens.err.days", "有効期限は0〜36500日で指定してください。", "The lifetime is 0 to 36500 days." },
    { "tokens.err.max", "有効期限は管理者が定めた上限以内で指定してください（無期限は不可）。",
      "Choose a lifetime within the administrator's limit (not \"never\")." },
    { "tokens.err.scope", "権限は read または write です。", "The scope is read or write." },
    { "tokens.err.by_token", "APIトークンでは新しいトークンを作成できません。ログインして作成してください。",
      "An API token cannot create tokens: log in to make one." },
    { "tokens.err.read_scope", "このトークンは読み取り専用です。", "This token may only read." },
    { "tokens.scope", "権限", "Scope" },
    { "tokens.scope.read", "読み取りのみ", "Read only" },
    { "tokens.scope.write", "読み書き", "Read and write" },
    { "tokens.days", "日", "days" },
    { "tokens.max_days", "APIトークンの有効期限の上限（日）", "Longest lifetime of API tokens (days)" },
    { "tokens.max_days_intro", "新しいトークンはこの日数以内に失効します。既存のトークンも作成からこの日数を過ぎると使えなくなります。",
      "New tokens expire within this many days; older tokens stop working this many days after they were made." },
    { "tokens.max_days_hint", "0: 上限なし", "0: no limit" },
    { "tokens.none_user", "このユーザーのトークンはありません。", "This user has no tokens." },
    { "admin.done.token_revoked", "トークンを失効させました。", "The token was revoked." },
    { "admin.done.token_days", "トークンの有効期限の上限を保存しました。", "The tokens' longest lifetime was saved." },
};

const size_t web_messages_tokens_count = sizeof web_messages_tokens / sizeof web_messages_tokens[0];
