/* web_account.c - the logged-in user's own password (issue 12, Missing 7):
 * GET /account/password the form, POST /account/password the change. The
 * current password is asked for again; the new one follows the rules of
 * account.h. Changing it ends every session and API token of the user
 * (store_user_set_password), this one too: the user logs in again. */
#include "web_kit.h"
#include "web.h"
#include "web_pages.h"
#include "html.h"
#include "account.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

/* The form, with error (may be NULL) beside the field it names. */
static void render_password(web_request *r, const char *field, const char *error)
{
    html_begin(r, web_t(r, "account.password.title"));
    html_printf(r->out, "<h1>%s</h1>\n<p>%s</p>\n", web_t(r, "account.password.title"),
                web_t(r, "account.password.intro"));
    html_form_post(r, "/account/password");
    html_field(r, &(html_input){ .type = "password", .name = "current", .label = web_t(r, "account.password.current"),
                                 .error = field && strcmp(field, "current") == 0 ? error : NULL,
                                 .autocomplete = "current-password", .required = 1, .maxlength = ACCOUNT_PASSWORD_MAX });
    html_field(r, &(html_input){ .type = "password", .name = "password", .label = web_t(r, "account.password.new"),
                                 .hint = web_t(r, "account.password.hint"),
                                 .error = field && strcmp(field, "password") == 0 ? error : NULL,
                                 .autocomplete = "new-password", .required = 1, .maxlength = ACCOUNT_PASSWORD_MAX });
    html_field(r, &(html_input){ .type = "password", .name = "again", .label = web_t(r, "account.password.again"),
                                 .error = field && strcmp(field, "again") == 0 ? error : NULL,
                                 .autocomplete = "new-password", .required = 1, .maxlength = ACCOUNT_PASSWORD_MAX });
    html_submit(r, web_t(r, "account.password.submit"));
    html_form_end(r);
    html_end(r);
}

/* GET /account/password  The form to change one's own password. */
void web_page_account_password(web_request *r)
{
    render_password(r, NULL, NULL);
}

/* POST /account/password  current, password, again: checks the current password
 * and the new one, then replaces it (ending every session and token of the
 * user) and sends the user to log in again. A refusal: 422, the form with the
 * error beside its field (passwords are never typed back). */
void web_page_account_password_post(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *current = web_form(r, "current"), *password = web_form(r, "password"), *again = web_form(r, "again");
    store_user u;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_user_get(db, r->user->id, &u, &e);
    if (rc <= 0) {
        web_store_failed(r, "user", &e);
        return;
    }
    const char *field = NULL, *key = NULL, *why = NULL;
    if (!current || !account_password_verify(u.password_hash, current))
        field = "current", key = "account.password.wrong";
    else if (!password || strlen(password) < ACCOUNT_PASSWORD_MIN)
        field = "password", key = "admin.err.password_short";
    else if (strlen(password) > ACCOUNT_PASSWORD_MAX)
        field = "password", key = "admin.err.password_long";
    else if ((why = account_password_problem(password)) != NULL)
        field = "password";
    else if (!again || strcmp(again, password) != 0)
        field = "again", key = "account.password.mismatch";
    if (field) {
        store_user_clear(&u);
        r->res.status = 422;
        render_password(r, field, key ? web_t(r, key) : why);
        return;
    }
    char hash[ACCOUNT_HASH_SIZE];
    if (account_password_hash(password, hash) < 0 || store_user_set_password(db, u.id, hash, &e) < 0) {
        store_user_clear(&u);
        web_store_failed(r, "user", &e);
        return;
    }
    store_user_clear(&u);
    web_redirect(r, "/login?changed=1");
}

/* The messages of these pages (registered in web_i18n.c). */
const web_message web_messages_account[] = {
    { "account.password.title", "パスワードの変更", "Change my password" },
    { "account.password.intro", "今のパスワードと新しいパスワードを入力してください。変更すると、すべての端末からログアウトし、API トークンも無効になります。",
      "Type your current password and the new one. Changing it logs you out everywhere and ends your API tokens." },
    { "account.password.current", "今のパスワード", "Current password" },
    { "account.password.new", "新しいパスワード", "New password" },
    { "account.password.hint", "8文字以上", "At least 8 characters" },
    { "account.password.again", "新しいパスワード（確認）", "New password again" },
    { "account.password.submit", "変更する", "Change it" },
    { "account.password.wrong", "今のパスワードが違います。", "That is not your current password." },
    { "account.password.mismatch", "確認のパスワードが一致しません。", "The two new passwords differ." },
    { "account.password.changed", "パスワードを変更しました。新しいパスワードでログインしてください。",
      "Your password was changed. Log in with the new one." },
    { "account.password.link", "パスワードを変更する", "Change my password" },
};
const size_t web_messages_account_count = sizeof web_messages_account / sizeof web_messages_account[0];
