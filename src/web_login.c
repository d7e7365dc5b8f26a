/* web_login.c - entering and leaving: the top page, the login form, logout, the
 * home page, and /api/v1/me (who the API thinks you are). */
#include "web_kit.h"
#include "web.h"
#include "web_auth.h"
#include "web_pages.h"
#include "html.h"
#include "web_json.h"

#include <stdio.h>
#include <string.h>

/* GET /  The home page for a logged-in user, else the login page. */
void web_page_root(web_request *r)
{
    web_redirect(r, r->user ? "/home" : "/login");
}

/* The login form with an optional message; login is typed back in. */
static void render_login(web_request *r, const char *next, const char *login, const char *kind,
                         const char *message)
{
    html_begin(r, web_t(r, "login.title"));
    html_printf(r->out, "<section class=\"card narrow login\">\n<h1>%s</h1>\n", web_t(r, "login.title"));
    if (message)
        html_message(r, kind, message);
    html_printf(r->out, "<p>%s</p>\n", web_t(r, "login.intro"));
    html_form_post(r, "/login");
    if (next && web_is_local_path(next))
        html_hidden(r, "next", next);
    html_field(r, &(html_input){ .name = "login", .label = web_t(r, "login.user"), .value = login,
                                 .autocomplete = "username", .required = 1, .autofocus = !login,
                                 .maxlength = 63 });
    html_field(r, &(html_input){ .type = "password", .name = "password", .label = web_t(r, "login.password"),
                                 .autocomplete = "current-password", .required = 1, .autofocus = login != NULL,
                                 .maxlength = 1024 });
    html_submit(r, web_t(r, "login.submit"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
}

/* GET /login[?next=PATH]  The login form (a logged-in user goes home). */
void web_page_login(web_request *r)
{
    if (r->user) {
        web_redirect(r, "/home");
        return;
    }
    web_auth_anonymous_csrf(r);
    const char *bye = web_query(r, "bye");
    const char *changed = web_query(r, "changed");
    render_login(r, web_query(r, "next"), NULL, "ok",
                 bye ? web_t(r, "login.logged_out") : changed ? web_t(r, "account.password.changed") : NULL);
}

/* POST /login  login, password, next. Success: 303 to next (a local path) or
 * /home. A wrong user, a wrong password and a disabled account all get 401 and
 * the same message; too many failures get 429. */
void web_page_login_post(web_request *r)
{
    const char *login = web_form(r, "login");
    const char *password = web_form(r, "password");
    const char *next = web_form(r, "next");

    if (!login || !*login || !password || !*password) {
        r->res.status = 400;
        render_login(r, next, login, "error", web_t(r, "login.missing"));
        return;
    }
    int wait = 0;
    switch (web_auth_login(r, login, password, &wait)) {
    case WEB_LOGIN_OK:
        web_redirect(r, next && web_is_local_path(next) ? next : "/home");
        return;
    case WEB_LOGIN_WRONG:
        r->res.status = 401;
        render_login(r, next, login, "error", web_t(r, "login.failed"));
        return;
    case WEB_LOGIN_THROTTLED:
        r->res.status = 429;
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%d", wait > 0 ? wait : 1);
        web_add_header(r, "Retry-After", seconds);
        render_login(r, next, login, "error", web_t(r, "login.throttled"));
        return;
    case WEB_LOGIN_UNAVAILABLE:
        return;
    }
}

/* POST /logout  Ends the session and shows the login page. */
void web_page_logout(web_request *r)
{
    web_auth_logout(r);
    web_redirect(r, "/login?bye=1");
}


/* GET /api/v1/me  {"id","login","role","person_id","authenticated_by"}. */
void web_api_me(web_request *r)
{
    const web_user *u = r->user;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(u->id));
    json_object_set_new(o, "login", json_string(u->login));
    json_object_set_new(o, "role", json_string(account_role_name(u->role)));
    json_object_set_new(o, "person_id", web_json_id(u->person_id));
    json_object_set_new(o, "authenticated_by", json_string(u->by_token ? "token" : "session"));
    web_json_reply(r, 200, o);
}
