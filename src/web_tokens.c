/* web_tokens.c - a user's own API tokens: GET/POST /account/tokens and
 * /api/v1/tokens. A token lets a script use the JSON API as its user (header
 * "Authorization: Bearer TOKEN"); it is shown once, when it is made, and only
 * its hash is kept (account.h). A user sees and revokes only their own tokens;
 * `itss token` manages everyone's from the command line. */
#include "web.h"
#include "web_auth.h"
#include "web_json.h"
#include "web_pages.h"
#include "html.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define TOKEN_NAME_MAX 100
#define TOKEN_DAYS_MAX 36500

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

/* Checks a token's name (1 to TOKEN_NAME_MAX bytes, one line) and lifetime in
 * days (0: never expires). NULL, or the message key of what is wrong with
 * *field set. */
static const char *token_problem(const char *name, int64_t days, const char **field)
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
    if (days < 0 || days > TOKEN_DAYS_MAX)
        return "tokens.err.days";
    return NULL;
}

/* Makes a token for the request's user: the secret into token (shown once),
 * its id and expiry moment ("" when never). -1 after answering 503. */
static int make_token(web_request *r, store *db, const char *name, int64_t days, char token[ACCOUNT_TOKEN_SIZE],
                      int64_t *id, char expires[32])
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
    if (store_api_token_add(db, r->user->id, name, hash, now, days > 0 ? expires : NULL, id, &e) < 0) {
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
                          const char *problem_field, const char *problem)
{
    store *db = web_store(r);
    store_api_token_list tokens;
    if (!db || own_tokens(r, db, &tokens) < 0)
        return;
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
        html_printf(r->out, "<div class=\"table-wrap\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                            "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "tokens.name"), web_t(r, "tokens.created_at"), web_t(r, "tokens.expires_at"),
                    web_t(r, "tokens.last_used"), web_t(r, "tokens.actions"));
        for (size_t i = 0; i < tokens.count; i++) {
            const store_api_token *t = &tokens.items[i];
            char action[64];
            snprintf(action, sizeof action, "/account/tokens/%lld/revoke", (long long)t->id);
            html_printf(r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>", t->name, t->created_at,
                        t->expires_at ? t->expires_at : web_t(r, "tokens.never"),
                        t->last_used_at ? t->last_used_at : web_t(r, "tokens.unused"));
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
    int days_bad = problem && !name_bad;
    html_select_begin(r, "expires_days", web_t(r, "tokens.expires"), days_bad ? problem : NULL, 0);
    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
        char key[40];
        snprintf(key, sizeof key, "tokens.expires.%s", choices[i]);
        html_option(r, choices[i], web_t(r, key), days && strcmp(days, choices[i]) == 0);
    }
    html_select_end(r, "expires_days", days_bad ? problem : NULL);
    html_submit(r, web_t(r, "tokens.create"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
    store_api_token_list_free(&tokens);
}

/* GET /account/tokens  The user's API tokens and the form to make one. */
void web_page_tokens(web_request *r)
{
    render_tokens(r, NULL, NULL, NULL, NULL, NULL);
}

/* POST /account/tokens  name, expires_days (0: never): makes a token and shows
 * it this once (the answer is not cached). */
void web_page_token_create(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *name = web_form(r, "name"), *days_text = web_form(r, "expires_days");
    int64_t days = 0;
    const char *field = "expires_days";
    const char *key = days_text && *days_text && !web_parse_int(days_text, 0, TOKEN_DAYS_MAX, &days)
                          ? "tokens.err.days"
                          : token_problem(name, days, &field);
    if (key) {
        r->res.status = 422;
        render_tokens(r, NULL, name, days_text, field, web_t(r, key));
        return;
    }
    char token[ACCOUNT_TOKEN_SIZE], expires[32];
    int64_t id = 0;
    if (make_token(r, db, name, days, token, &id, expires) < 0)
        return;
    r->res.status = 201;
    render_tokens(r, token, NULL, NULL, NULL, NULL);
    memset(token, 0, sizeof token);
}

/* POST /account/tokens/:id/revoke  Deletes one of the user's tokens; it stops
 * working at once. Another user's token is "not found". */
void web_page_token_revoke(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || !web_path_id(r, "id", &id))
        return;
    int rc = revoke_own(r, db, id);
    if (rc == 0)
        web_reply_404(r);
    else if (rc > 0)
        web_redirect(r, "/account/tokens?done=revoked");
}

/* ---- API ------------------------------------------------------------------------------- */

/* {"id","name","created_at","expires_at","last_used_at"} */
static void token_json(buf *b, const store_api_token *t)
{
    int first = 1;
    buf_putc(b, '{');
    web_json_id(b, &first, "id", t->id);
    web_json_str(b, &first, "name", t->name);
    web_json_str(b, &first, "created_at", t->created_at);
    web_json_str(b, &first, "expires_at", t->expires_at);
    web_json_str(b, &first, "last_used_at", t->last_used_at);
    buf_putc(b, '}');
}

/* GET /api/v1/tokens  {"tokens":[token...]}: the user's own, never the secrets. */
void web_api_tokens(web_request *r)
{
    store *db = web_store(r);
    store_api_token_list tokens;
    if (!db || own_tokens(r, db, &tokens) < 0)
        return;
    web_json_begin(r, 200);
    buf_puts(r->out, "{\"tokens\":[");
    for (size_t i = 0; i < tokens.count; i++) {
        if (i)
            buf_putc(r->out, ',');
        token_json(r->out, &tokens.items[i]);
    }
    buf_puts(r->out, "]}\n");
    store_api_token_list_free(&tokens);
}

/* POST /api/v1/tokens  {"name","expires_days"?}: 201 {"id","name","expires_at",
 * "token"}; the token is in this answer only. */
void web_api_token_create(web_request *r)
{
    static const char *const keys[] = { "name", "expires_days", NULL };
    store *db = web_store(r);
    const json_value *body = db ? web_json_body(r, keys) : NULL;
    const char *name = "";
    int64_t days = 0;
    if (!body || web_json_string(r, body, "name", &name) < 0
        || web_json_int(r, body, "expires_days", 0, TOKEN_DAYS_MAX, &days) < 0)
        return;
    const char *field;
    const char *key = token_problem(name, days, &field);
    if (key) {
        web_json_invalid(r, field, web_t(r, key));
        return;
    }
    char token[ACCOUNT_TOKEN_SIZE], expires[32];
    int64_t id = 0;
    if (make_token(r, db, name, days, token, &id, expires) < 0)
        return;
    web_json_begin(r, 201);
    char location[64];
    snprintf(location, sizeof location, "/api/v1/tokens/%lld", (long long)id);
    web_add_header(r, "Location", location);
    int first = 1;
    buf_putc(r->out, '{');
    web_json_id(r->out, &first, "id", id);
    web_json_str(r->out, &first, "name", name);
    web_json_str(r->out, &first, "expires_at", expires);
    web_json_str(r->out, &first, "token", token);
    buf_puts(r->out, "}\n");
    memset(token, 0, sizeof token);
}

/* DELETE /api/v1/tokens/:id  Revokes one of the user's tokens: 204. */
void web_api_token_revoke(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || !web_path_id(r, "id", &id))
        return;
    int rc = revoke_own(r, db, id);
    if (rc == 0)
        web_reply_404(r);
    else if (rc > 0)
        r->res.status = 204;
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
};

const size_t web_messages_tokens_count = sizeof web_messages_tokens / sizeof web_messages_tokens[0];
