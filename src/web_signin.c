/* web_signin.c - following a one-time sign-in link (issue 12, Missing 7):
 * GET /signin/:token shows whose link it is and asks for a password (twice);
 * POST /signin/:token sets it, uses the link up and signs the user in. A link
 * that is unknown, used, expired or whose account is disabled gets 410 and
 * says so. The links are made by web_accounts.c and `itss user bulk|reset`;
 * the store keeps only their hashes (store_signin.h). */
#include "web.h"
#include "web_auth.h"
#include "web_kit.h"
#include "web_pages.h"
#include "html.h"
#include "account.h"
#include "store.h"
#include "store_signin.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The hash of the path's token into hash: 1, or 0 when it cannot be one
 * (not 43 base64url characters). */
static int token_hash(web_request *r, char hash[ACCOUNT_TOKEN_HASH_SIZE])
{
    const char *t = web_path_param(r, "token");
    if (!t || strlen(t) != 43
        || strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != 43)
        return 0;
    account_token_hash(t, hash);
    return 1;
}

/* The answer for a link that cannot be used (key: why, a "signin.*" key). */
static void render_gone(web_request *r, const char *key)
{
    r->res.status = 410;
    char message[64];
    snprintf(message, sizeof message, "%s", key && *key ? key : "signin.unknown");
    if (strcmp(web_t(r, message), message) == 0)
        snprintf(message, sizeof message, "signin.unknown");
    html_begin(r, web_t(r, "signin.gone_title"));
    html_printf(r->out, "<section class=\"card narrow\">\n<h1>%s</h1>\n", web_t(r, "signin.gone_title"));
    html_message(r, "error", web_t(r, message));
    html_printf(r->out, "<p>%s</p>\n<p><a href=\"/login\">%s</a></p>\n</section>\n", web_t(r, "signin.ask_admin"),
                web_t(r, "login.title"));
    html_end(r);
}

/* The form of link l, with error beside field (both may be NULL). */
static void render_form(web_request *r, const store_signin_link *l, const char *field, const char *error)
{
    html_begin(r, web_t(r, "signin.title"));
    html_printf(r->out, "<section class=\"card narrow\">\n<h1>%s</h1>\n<p>", web_t(r, "signin.title"));
    web_html_tpl(r->out, web_t(r, "signin.intro"), l->user.person_name ? l->user.person_name : l->user.login,
                 l->user.login, web_moment(r, l->expires_at), NULL);
    html_raw(r->out, "</p>\n");
    char action[80];
    snprintf(action, sizeof action, "/signin/%s", web_path_param(r, "token"));
    html_form_post(r, action);
    html_printf(r->out, "<input type=\"text\" name=\"username\" value=\"%s\" autocomplete=\"username\" hidden>\n",
                l->user.login);
    html_field(r, &(html_input){ .type = "password", .name = "password", .label = web_t(r, "account.password.new"),
                                 .hint = web_t(r, "account.password.hint"),
                                 .error = field && strcmp(field, "password") == 0 ? error : NULL,
                                 .autocomplete = "new-password", .required = 1, .autofocus = 1,
                                 .maxlength = ACCOUNT_PASSWORD_MAX });
    html_field(r, &(html_input){ .type = "password", .name = "again", .label = web_t(r, "account.password.again"),
                                 .error = field && strcmp(field, "again") == 0 ? error : NULL,
                                 .autocomplete = "new-password", .required = 1, .maxlength = ACCOUNT_PASSWORD_MAX });
    html_submit(r, web_t(r, "signin.submit"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
}

/* The link of the path usable now into *l: 1, or 0 after answering (410, 503). */
static int path_link(web_request *r, store *db, store_signin_link *l)
{
    char hash[ACCOUNT_TOKEN_HASH_SIZE], now[32];
    if (!token_hash(r, hash)) {
        render_gone(r, "signin.unknown");
        return 0;
    }
    web_auth_moment(time(NULL), now);
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_signin_link_find(db, hash, now, l, &e);
    if (rc < 0)
        web_store_failed(r, "sign-in link", &e);
    else if (rc == 0)
        render_gone(r, e.key);
    return rc == 1;
}

/* GET /signin/:token  The form to set one's password, or why the link no
 * longer works (410). */
void web_page_signin(web_request *r)
{
    store *db = web_store(r);
    store_signin_link l;
    if (!r->user)
        web_auth_anonymous_csrf(r);
    web_add_header(r, "Cache-Control", "no-store");
    if (!db || !path_link(r, db, &l))
        return;
    render_form(r, &l, NULL, NULL);
    store_signin_link_clear(&l);
}

/* POST /signin/:token  password, again: sets the password, uses the link up
 * (its user's other sessions and tokens end) and signs in: 303 to /home. */
void web_page_signin_post(web_request *r)
{
    store *db = web_store(r);
    store_signin_link l;
    if (!db || !path_link(r, db, &l))
        return;
    const char *password = web_form(r, "password"), *again = web_form(r, "again");
    const char *field = NULL, *key = NULL, *why = NULL;
    if (!password || strlen(password) < ACCOUNT_PASSWORD_MIN)
        field = "password", key = "admin.err.password_short";
    else if (strlen(password) > ACCOUNT_PASSWORD_MAX)
        field = "password", key = "admin.err.password_long";
    else if ((why = account_password_problem(password)) != NULL)
        field = "password";
    else if (!again || strcmp(again, password) != 0)
        field = "again", key = "account.password.mismatch";
    if (field) {
        r->res.status = 422;
        render_form(r, &l, field, key ? web_t(r, key) : why);
        store_signin_link_clear(&l);
        return;
    }
    char hash[ACCOUNT_HASH_SIZE], token[ACCOUNT_TOKEN_HASH_SIZE], now[32];
    err e;
    memset(&e, 0, sizeof e);
    int64_t user_id = 0;
    token_hash(r, token);
    web_auth_moment(time(NULL), now);
    int rc = account_password_hash(password, hash) < 0 ? -1
                                                       : store_signin_link_use(db, token, now, hash, &user_id, &e);
    store_user u;
    if (rc == 1)
        rc = store_user_get(db, user_id, &u, &e);
    if (rc < 0)
        web_store_failed(r, "sign-in", &e);
    else if (rc == 0)
        render_gone(r, e.key);
    else {
        if (web_auth_start(r, &u) == 0)
            web_redirect(r, "/home");
        store_user_clear(&u);
    }
    store_signin_link_clear(&l);
}
