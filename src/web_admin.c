/* web_admin.c - the administrator's pages and API: the users of the
 * application. An administrator adds users (login, person by employee number,
 * role, initial password), changes their role or person, disables and enables
 * them, and resets their password; /api/v1/users does the same for scripts.
 * `itss user` does it from the command line.
 *
 * Pages and API share the checks below, with messages in the request's
 * language naming the field. An administrator cannot disable themselves nor
 * take away their own administrator role, so that a site always keeps someone
 * who can manage it. Disabling a user or changing a password ends the user's
 * sessions (the store does it). */
#include "web.h"
#include "web_json.h"
#include "json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "rules.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[] = { "engineer", "manager", "hr", "admin" };

/* A refused field and why (message in the request's language). */
typedef struct admin_problem {
    const char *field;
    const char *message;
} admin_problem;

/* Sets *p; returns 0 (a check's refusal). */
static int refuse(admin_problem *p, const char *field, const char *message)
{
    p->field = field;
    p->message = message;
    return 0;
}

/* The field a store error names, as forms and JSON spell it. */
static const char *store_field(const char *path)
{
    if (!path || !*path)
        return NULL;
    return strcmp(path, "person_id") == 0 ? "employee_number" : path;
}

/* ---- Checks --------------------------------------------------------------------------- */

/* A new login by rules_login (1 to 64 ASCII letters, digits, '.', '_', '-',
 * '@'): 1 when acceptable, 0 with *p filled. Whether it is taken is the store's
 * to refuse, in the write (store_words). */
static int check_login(web_request *r, const char *login, admin_problem *p)
{
    err e;
    if (rules_login(&e, "login", login) == 0)
        return 1;
    const char *key = strcmp(e.key, "text.empty") == 0  ? "admin.err.empty"
                      : strcmp(e.key, "login.long") == 0 ? "admin.err.login_long"
                                                         : "admin.err.login_chars";
    return refuse(p, "login", web_t(r, key));
}

/* The words of a store's refusal of a user's change in r's language, by its
 * key (a login or a person already taken, an unknown person); else the store's
 * own message. */
static const char *store_words(web_request *r, const err *e)
{
    static const char *const words[][2] = {
        { "user.login_taken", "admin.err.login_taken" },
        { "user.person_taken", "admin.err.person_taken" },
        { "user.person_unknown", "admin.err.person_unknown" },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(e->key, words[i][0]) == 0)
            return web_t(r, words[i][1]);
    return web_strdup(r, e->message);
}

/* A role's name: 1 when it is one, else 0 with *p filled. */
static int check_role(web_request *r, const char *role, admin_problem *p)
{
    if (role && account_role_parse(role) != ROLE_NONE)
        return 1;
    return refuse(p, "role", web_t(r, "admin.err.role"));
}

/* A new password: ACCOUNT_PASSWORD_MIN to ACCOUNT_PASSWORD_MAX bytes. */
static int check_password(web_request *r, const char *password, admin_problem *p)
{
    if (!password || strlen(password) < ACCOUNT_PASSWORD_MIN)
        return refuse(p, "password", web_t(r, "admin.err.password_short"));
    if (strlen(password) > ACCOUNT_PASSWORD_MAX)
        return refuse(p, "password", web_t(r, "admin.err.password_long"));
    const char *why = account_password_problem(password);
    if (why)
        return refuse(p, "password", why);
    return 1;
}

/* The person with employee number `number` ("" or NULL: none, *id 0) into
 * *id (whether another user has them is the store's to refuse, in the write).
 * 1, 0 with *p, -1 after answering. */
static int check_person(web_request *r, store *db, const char *number, int64_t *id, admin_problem *p)
{
    *id = 0;
    if (!number || !*number)
        return 1;
    store_person person;
    err e;
    int rc = store_person_find(db, number, &person, &e);
    if (rc < 0) {
        web_store_failed(r, "person", &e);
        return -1;
    }
    if (rc == 0)
        return refuse(p, "employee_number", web_t(r, "admin.err.person_unknown"));
    *id = person.id;
    store_person_clear(&person);
    return 1;
}

/* An administrator may not lock themselves out: disable their own user or
 * give it another role. 1 when the change is allowed, 0 with *p. */
static int check_not_self(web_request *r, const store_user *u, const char *role, int disabled, admin_problem *p)
{
    if (u->id != r->user->id)
        return 1;
    if (disabled)
        return refuse(p, "disabled", web_t(r, "admin.err.self_disable"));
    if (strcmp(role, "admin") != 0)
        return refuse(p, "role", web_t(r, "admin.err.self_role"));
    return 1;
}

/* Hashes password (argon2id) into hash; -1 after answering 503. */
static int hash_password(web_request *r, const char *password, char hash[ACCOUNT_HASH_SIZE])
{
    if (account_password_hash(password, hash) < 0) {
        err e;
        err_set(&e, "", 0, 0, NULL, "cannot hash the password: out of memory");
        web_store_failed(r, "user", &e);
        return -1;
    }
    return 0;
}

/* The user :id of the path into *u; 0 after answering 404 or 503. */
static int path_user(web_request *r, store *db, store_user *u)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return 0;
    err e;
    int rc = store_user_get(db, id, u, &e);
    if (rc < 0)
        web_store_failed(r, "user", &e);
    else if (rc == 0)
        web_reply_404(r);
    return rc == 1;
}

/* ---- Pages ---------------------------------------------------------------------------- */

/* The message of a redirect (?done=KEY, only existing "admin.done.*" keys). */
static void done_message(web_request *r)
{
    const char *done = web_query(r, "done");
    if (!done || strspn(done, "abcdefghijklmnopqrstuvwxyz_") != strlen(done) || strlen(done) > 40)
        return;
    char key[64];
    snprintf(key, sizeof key, "admin.done.%s", done);
    const char *text = web_t(r, key);
    if (strcmp(text, key) != 0)
        html_message(r, "ok", text);
}

/* The error to show under field, or NULL. */
static const char *error_for(const admin_problem *p, const char *field)
{
    return p && p->field && strcmp(p->field, field) == 0 ? p->message : NULL;
}

/* The role <select>, with selected chosen. */
static void role_select(web_request *r, const char *selected, const char *error)
{
    html_select_begin(r, "role", web_t(r, "admin.role"), error, 0);
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++) {
        char key[32];
        snprintf(key, sizeof key, "role.%s", role_names[i]);
        html_option(r, role_names[i], web_t(r, key), selected && strcmp(selected, role_names[i]) == 0);
    }
    html_select_end(r, "role", error);
}

/* A one-button form posting to /admin/users/ID/ACTION. */
static void user_button(web_request *r, int64_t id, const char *action, const char *label, const char *css)
{
    char path[80];
    snprintf(path, sizeof path, "/admin/users/%lld/%s", (long long)id, action);
    html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline\">", path);
    html_csrf_field(r);
    html_printf(r->out, "<button type=\"submit\" class=\"%s\">%s</button></form>", css, label);
}

/* The users page: every user with its actions, and the add form holding the
 * values typed before a refusal (never the password). */
static void render_admin(web_request *r, const char *login, const char *number, const char *role,
                         const admin_problem *p)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_user_list users;
    err e;
    memset(&e, 0, sizeof e);
    if (store_user_list_all(db, &users, &e) < 0) {
        web_store_failed(r, "user list", &e);
        return;
    }
    html_begin(r, web_t(r, "admin.title"));
    html_printf(r->out, "<h1>%s</h1>\n", web_t(r, "admin.title"));
    done_message(r);
    html_printf(r->out, "<p>%s</p>\n<p><a href=\"/admin/accounts\">%s</a> · <a href=\"/account/tokens\">%s</a></p>\n"
                        "<p><a href=\"/admin/outbox\">%s</a></p>\n",
                web_t(r, "admin.intro"), web_t(r, "admin.accounts"), web_t(r, "tokens.title"), web_t(r, "outbox.link"));
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                        "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "admin.login"), web_t(r, "admin.role"), web_t(r, "admin.person"),
                web_t(r, "admin.state"), web_t(r, "admin.created"), web_t(r, "admin.actions"));
    for (size_t i = 0; i < users.count; i++) {
        const store_user *u = &users.items[i];
        char role_key[32];
        snprintf(role_key, sizeof role_key, "role.%s", u->role);
        html_raw(r->out, "<tr");
        if (u->disabled)
            html_raw(r->out, " class=\"disabled\"");
        html_printf(r->out, "><td><a href=\"/admin/users/%lld\">%s</a></td><td>%s</td><td>%s %s</td>"
                            "<td>%s</td><td>%s</td><td>",
                    (long long)u->id, u->login, web_t(r, role_key),
                    u->employee_number ? u->employee_number : "-", u->person_name ? u->person_name : "",
                    web_t(r, u->disabled ? "admin.disabled" : "admin.active"), web_moment(r, u->created_at));
        if (u->id != r->user->id)
            user_button(r, u->id, u->disabled ? "enable" : "disable",
                        web_t(r, u->disabled ? "admin.enable" : "admin.disable"), "secondary");
        html_raw(r->out, "</td></tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
    web_tokens_admin_settings(r);

    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "admin.add"));
    if (p)
        html_message(r, "error", web_t(r, "admin.refused"));
    html_form_post(r, "/admin/users");
    html_field(r, &(html_input){ .name = "login", .label = web_t(r, "admin.login"), .value = login,
                                 .hint = web_t(r, "admin.login_hint"), .error = error_for(p, "login"),
                                 .autocomplete = "off", .required = 1, .maxlength = 64 });
    html_field(r, &(html_input){ .name = "employee_number", .label = web_t(r, "admin.employee_number"),
                                 .value = number, .hint = web_t(r, "admin.employee_number_hint"),
                                 .error = error_for(p, "employee_number"), .autocomplete = "off", .maxlength = 64 });
    role_select(r, role ? role : "engineer", error_for(p, "role"));
    html_field(r, &(html_input){ .type = "password", .name = "password", .label = web_t(r, "admin.password"),
                                 .hint = web_t(r, "admin.password_hint"), .error = error_for(p, "password"),
                                 .autocomplete = "new-password", .required = 1, .maxlength = ACCOUNT_PASSWORD_MAX });
    html_submit(r, web_t(r, "admin.add"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
    store_user_list_free(&users);
}

/* GET /admin  Every user: login, role, person, state, when made; disable or
 * enable; the form to add a user. */
void web_page_admin(web_request *r)
{
    render_admin(r, NULL, NULL, NULL, NULL);
}

/* POST /admin/users  login, employee_number, role, password: adds a user. */
void web_page_admin_user_add(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *login = web_form(r, "login"), *number = web_form(r, "employee_number");
    const char *role = web_form(r, "role"), *password = web_form(r, "password");
    admin_problem p = { 0 };
    int64_t person_id = 0;
    int ok = check_login(r, login, &p);
    if (ok > 0)
        ok = check_person(r, db, number, &person_id, &p);
    if (ok > 0)
        ok = check_role(r, role, &p);
    if (ok > 0)
        ok = check_password(r, password, &p);
    if (ok < 0)
        return;
    char hash[ACCOUNT_HASH_SIZE];
    if (ok && hash_password(r, password, hash) < 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    if (ok) {
        store_user u = { 0 };
        u.login = (char *)login;
        u.role = (char *)role;
        u.person_id = person_id;
        u.password_hash = hash;
        if (store_user_add(db, &u, NULL, &e) < 0)
            ok = refuse(&p, store_field(e.path), store_words(r, &e));
    }
    if (!ok) {
        r->res.status = 422;
        render_admin(r, login, number, role, &p);
        return;
    }
    web_redirect(r, "/admin?done=user_added");
}

/* The page of user u: role and person, password reset, disable or enable. */
static void render_user(web_request *r, const store_user *u, const char *number, const char *role,
                        const admin_problem *p, const admin_problem *password_problem)
{
    html_begin(r, u->login);
    html_printf(r->out, "<p><a href=\"/admin\">%s</a></p>\n<h1>%s</h1>\n", web_t(r, "admin.back"), u->login);
    done_message(r);
    html_printf(r->out, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>\n",
                web_t(r, "admin.state"), web_t(r, u->disabled ? "admin.disabled" : "admin.active"),
                web_t(r, "admin.created"), web_moment(r, u->created_at));
    if (p && p->field && strcmp(p->field, "disabled") == 0)
        html_message(r, "error", p->message);

    char action[80];
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "admin.edit"));
    if (p && !(p->field && strcmp(p->field, "disabled") == 0))
        html_message(r, "error", web_t(r, "admin.refused"));
    snprintf(action, sizeof action, "/admin/users/%lld", (long long)u->id);
    html_form_post(r, action);
    role_select(r, role, error_for(p, "role"));
    html_field(r, &(html_input){ .name = "employee_number", .label = web_t(r, "admin.employee_number"),
                                 .value = number, .hint = web_t(r, "admin.employee_number_hint"),
                                 .error = error_for(p, "employee_number"), .autocomplete = "off", .maxlength = 64 });
    html_submit(r, web_t(r, "admin.save"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");

    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<p>%s</p>\n", web_t(r, "admin.reset"),
                web_t(r, "admin.reset_intro"));
    if (password_problem)
        html_message(r, "error", web_t(r, "admin.refused"));
    snprintf(action, sizeof action, "/admin/users/%lld/password", (long long)u->id);
    html_form_post(r, action);
    html_field(r, &(html_input){ .type = "password", .name = "password", .label = web_t(r, "admin.new_password"),
                                 .hint = web_t(r, "admin.password_hint"), .error = error_for(password_problem, "password"),
                                 .autocomplete = "new-password", .required = 1, .maxlength = ACCOUNT_PASSWORD_MAX });
    html_submit(r, web_t(r, "admin.reset"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");

    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<p>%s</p>\n", web_t(r, "admin.signin_link"),
                web_t(r, "admin.signin_link_intro"));
    user_button(r, u->id, "signin-link", web_t(r, "admin.signin_link"), "secondary");
    html_raw(r->out, "</section>\n");

    web_tokens_admin_list(r, u->id);

    if (u->id != r->user->id) {
        html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<p>%s</p>\n", web_t(r, "admin.state"),
                    web_t(r, u->disabled ? "admin.enable_intro" : "admin.disable_intro"));
        user_button(r, u->id, u->disabled ? "enable" : "disable",
                    web_t(r, u->disabled ? "admin.enable" : "admin.disable"), u->disabled ? "" : "danger");
        html_raw(r->out, "</section>\n");
    }
    html_end(r);
}

/* GET /admin/users/:id  One user: change role or person, reset the password,
 * disable or enable. */
void web_page_admin_user(web_request *r)
{
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    render_user(r, &u, u.employee_number, u.role, NULL, NULL);
    store_user_clear(&u);
}

/* Saves role, person and disabled over user u after the checks; on a refusal
 * shows the user's page again (422). */
static void save_user(web_request *r, store *db, store_user *u, const char *role, const char *number, int disabled,
                      const char *done)
{
    admin_problem p = { 0 };
    int64_t person_id = u->person_id;
    int ok = check_role(r, role, &p);
    if (ok > 0 && number)
        ok = check_person(r, db, number, &person_id, &p);
    if (ok > 0)
        ok = check_not_self(r, u, role, disabled, &p);
    if (ok < 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    if (ok) {
        store_user changed = *u;
        changed.role = (char *)role;
        changed.person_id = person_id;
        changed.disabled = disabled;
        if (store_user_edit(db, &changed, &e) < 0)
            ok = refuse(&p, store_field(e.path), store_words(r, &e));
    }
    if (!ok) {
        r->res.status = 422;
        render_user(r, u, number ? number : u->employee_number, role, &p, NULL);
        return;
    }
    char to[96];
    snprintf(to, sizeof to, "/admin/users/%lld?done=%s", (long long)u->id, done);
    web_redirect(r, to);
}

/* POST /admin/users/:id  role, employee_number ("" unlinks): saves them. */
void web_page_admin_user_save(web_request *r)
{
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    const char *number = web_form(r, "employee_number");
    save_user(r, db, &u, web_form(r, "role"), number ? number : "", u.disabled, "user_saved");
    store_user_clear(&u);
}

/* POST /admin/users/:id/disable  The user can no longer log in; their
 * sessions end and their tokens stop working. */
void web_page_admin_user_disable(web_request *r)
{
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    save_user(r, db, &u, u.role, NULL, 1, "user_disabled");
    store_user_clear(&u);
}

/* POST /admin/users/:id/enable  Undoes disable. */
void web_page_admin_user_enable(web_request *r)
{
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    save_user(r, db, &u, u.role, NULL, 0, "user_enabled");
    store_user_clear(&u);
}

/* POST /admin/users/:id/password  password: sets a new password; the user's
 * sessions end. */
void web_page_admin_user_password(web_request *r)
{
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    const char *password = web_form(r, "password");
    admin_problem p = { 0 };
    char hash[ACCOUNT_HASH_SIZE];
    if (!check_password(r, password, &p)) {
        r->res.status = 422;
        render_user(r, &u, u.employee_number, u.role, NULL, &p);
    } else if (hash_password(r, password, hash) == 0) {
        err e;
        memset(&e, 0, sizeof e);
        if (store_user_set_password(db, u.id, hash, &e) < 0)
            web_store_failed(r, "user", &e);
        else {
            char to[96];
            snprintf(to, sizeof to, "/admin/users/%lld?done=password_set", (long long)u.id);
            web_redirect(r, to);
        }
    }
    store_user_clear(&u);
}

/* ---- API -------------------------------------------------------------------------------- */

/* {"id","login","role","person_id","employee_number","person_name","disabled","created_at"} */
static json_t *user_json(const store_user *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(u->id));
    json_object_set_new(o, "login", web_json_text(u->login));
    json_object_set_new(o, "role", web_json_text(u->role));
    json_object_set_new(o, "person_id", web_json_id(u->person_id));
    json_object_set_new(o, "employee_number", web_json_text(u->employee_number));
    json_object_set_new(o, "person_name", web_json_text(u->person_name));
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_object_set_new(o, "created_at", web_json_text(u->created_at));
    return o;
}

/* Writes user id as the answer with status (201 adds Location). */
static void answer_user(web_request *r, store *db, int64_t id, int status)
{
    store_user u;
    err e;
    if (store_user_get(db, id, &u, &e) != 1) {
        web_store_failed(r, "user", &e);
        return;
    }
    if (status == 201) {
        char location[64];
        snprintf(location, sizeof location, "/api/v1/users/%lld", (long long)id);
        web_add_header(r, "Location", location);
    }
    web_json_reply(r, status, user_json(&u));
    store_user_clear(&u);
}

/* GET /api/v1/users  {"users":[user...]} by login. */
void web_api_users(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_user_list users;
    err e;
    if (store_user_list_all(db, &users, &e) < 0) {
        web_store_failed(r, "user list", &e);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < users.count; i++)
        json_array_append_new(list, user_json(&users.items[i]));
    store_user_list_free(&users);
    web_json_reply(r, 200, json_pack("{s:o}", "users", list));
}

/* The employee number a body names: employee_number, else person_id turned
 * into one. *number: NULL when neither is present (no change), "" when null
 * (unlink). 1, or -1 after answering. */
static int body_person(web_request *r, store *db, const json_value *body, const char **number)
{
    *number = NULL;
    int64_t id = 0;
    int rc = web_json_string(r, body, "employee_number", number);
    if (rc < 0)
        return -1;
    if (web_json_is_null(body, "employee_number") || web_json_is_null(body, "person_id"))
        *number = "";
    if (rc == 0 && (rc = web_json_int(r, body, "person_id", 1, INT64_MAX, &id)) < 0)
        return -1;
    if (rc && id) {
        store_person p;
        err e;
        int found = store_person_get(db, id, &p, &e);
        if (found < 0) {
            web_store_failed(r, "person", &e);
            return -1;
        }
        if (!found) {
            web_json_invalid(r, "person_id", web_t(r, "admin.err.person_unknown"));
            return -1;
        }
        *number = web_strdup(r, p.employee_number);
        store_person_clear(&p);
    }
    return 1;
}

/* Answers a refusal: 422 naming the field (employee_number stands for person_id too). */
static void api_refused(web_request *r, const admin_problem *p)
{
    web_json_invalid(r, p->field, p->message);
}

static const char *const user_keys[] = { "login", "role", "password", "employee_number", "person_id",
                                         "disabled", NULL };

/* POST /api/v1/users  {"login","role","password","employee_number"?|"person_id"?,
 * "disabled"?}: 201 with the user. */
void web_api_user_add(web_request *r)
{
    store *db = web_store(r);
    const json_value *body = db ? web_json_body(r, user_keys) : NULL;
    const char *login = "", *role = "", *password = "", *number = NULL;
    int disabled = 0;
    if (!body || web_json_string(r, body, "login", &login) < 0 || web_json_string(r, body, "role", &role) < 0
        || web_json_string(r, body, "password", &password) < 0 || web_json_bool(r, body, "disabled", &disabled) < 0
        || body_person(r, db, body, &number) < 0)
        return;
    admin_problem p = { 0 };
    int64_t person_id = 0;
    int ok = check_login(r, login, &p);
    if (ok > 0)
        ok = check_person(r, db, number, &person_id, &p);
    if (ok > 0)
        ok = check_role(r, role, &p);
    if (ok > 0)
        ok = check_password(r, password, &p);
    if (ok <= 0) {
        if (ok == 0)
            api_refused(r, &p);
        return;
    }
    char hash[ACCOUNT_HASH_SIZE];
    if (hash_password(r, password, hash) < 0)
        return;
    store_user u = { 0 };
    u.login = (char *)login;
    u.role = (char *)role;
    u.person_id = person_id;
    u.password_hash = hash;
    u.disabled = disabled;
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_user_add(db, &u, &id, &e) < 0) {
        web_json_invalid(r, store_field(e.path), store_words(r, &e));
        return;
    }
    answer_user(r, db, id, 201);
}

/* GET /api/v1/users/:id  One user. */
void web_api_user(web_request *r)
{
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    web_json_reply(r, 200, user_json(&u));
    store_user_clear(&u);
}

/* PATCH /api/v1/users/:id  {"role"?,"disabled"?,"employee_number"?|"person_id"?}
 * (null person: unlinked). Administrators cannot disable or demote themselves. */
void web_api_user_edit(web_request *r)
{
    static const char *const keys[] = { "role", "disabled", "employee_number", "person_id", NULL };
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    const json_value *body = web_json_body(r, keys);
    const char *role = u.role, *number = NULL;
    int disabled = u.disabled;
    if (body && web_json_string(r, body, "role", &role) >= 0 && web_json_bool(r, body, "disabled", &disabled) >= 0
        && body_person(r, db, body, &number) > 0) {
        admin_problem p = { 0 };
        int64_t person_id = u.person_id;
        int ok = check_role(r, role, &p);
        if (ok > 0 && number)
            ok = check_person(r, db, number, &person_id, &p);
        if (ok > 0)
            ok = check_not_self(r, &u, role, disabled, &p);
        if (ok == 0)
            api_refused(r, &p);
        else if (ok > 0) {
            store_user changed = u;
            changed.role = (char *)role;
            changed.person_id = person_id;
            changed.disabled = disabled;
            err e;
            memset(&e, 0, sizeof e);
            if (store_user_edit(db, &changed, &e) < 0)
                web_json_invalid(r, store_field(e.path), store_words(r, &e));
            else
                answer_user(r, db, u.id, 200);
        }
    }
    store_user_clear(&u);
}

/* PUT /api/v1/users/:id/password  {"password"}: 204; the user's sessions end. */
void web_api_user_password(web_request *r)
{
    static const char *const keys[] = { "password", NULL };
    store *db = web_store(r);
    store_user u;
    if (!db || !path_user(r, db, &u))
        return;
    const json_value *body = web_json_body(r, keys);
    const char *password = "";
    admin_problem p = { 0 };
    char hash[ACCOUNT_HASH_SIZE];
    if (!body || web_json_string(r, body, "password", &password) < 0)
        ;
    else if (!check_password(r, password, &p))
        api_refused(r, &p);
    else if (hash_password(r, password, hash) == 0) {
        err e;
        memset(&e, 0, sizeof e);
        if (store_user_set_password(db, u.id, hash, &e) < 0)
            web_store_failed(r, "user", &e);
        else
            r->res.status = 204;
    }
    store_user_clear(&u);
}

/* ---- Messages ------------------------------------------------------------------------------ */

/* The administrator's messages beyond the core's (admin.title ... in web_i18n.c). */
const web_message web_messages_admin[] = {
    { "admin.actions", "操作", "Actions" },
    { "admin.add", "ユーザーを追加", "Add a user" },
    { "admin.edit", "役割と社員", "Role and person" },
    { "admin.back", "ユーザーの一覧へ", "Back to the users" },
    { "admin.save", "保存", "Save" },
    { "admin.refused", "入力内容に誤りがあります。赤く示した項目を直してください。",
      "Some fields need correcting: see the ones marked in red." },
    { "admin.login_hint", "半角英数字と . _ - @、64文字まで", "ASCII letters, digits, . _ - @; at most 64" },
    { "admin.employee_number", "社員番号", "Employee number" },
    { "admin.employee_number_hint", "このユーザーの社員（空欄なら社員と結び付けない）",
      "The person this user is (leave empty for none)" },
    { "admin.password", "初期パスワード", "Initial password" },
    { "admin.new_password", "新しいパスワード", "New password" },
    { "admin.password_hint", "8文字以上。本人に安全な方法で伝えてください。",
      "At least 8 characters. Give it to the user by a safe way." },
    { "admin.reset", "パスワードを再設定", "Reset the password" },
    { "admin.reset_intro", "再設定すると、このユーザーのログイン中のセッションはすべて終了します。",
      "Resetting it ends every session of this user." },
    { "admin.disable", "無効にする", "Disable" },
    { "admin.enable", "有効にする", "Enable" },
    { "admin.disable_intro", "無効にすると、このユーザーはログインできず、APIトークンも使えなくなります。",
      "A disabled user cannot log in, and their API tokens stop working." },
    { "admin.enable_intro", "このユーザーは無効です。有効にすると再びログインできます。",
      "This user is disabled. Enabling lets them log in again." },
    { "admin.done.user_added", "ユーザーを追加しました。", "The user was added." },
    { "admin.done.user_saved", "ユーザーを保存しました。", "The user was saved." },
    { "admin.done.user_disabled", "ユーザーを無効にしました。", "The user was disabled." },
    { "admin.done.user_enabled", "ユーザーを有効にしました。", "The user was enabled." },
    { "admin.done.password_set", "パスワードを再設定しました。", "The password was reset." },
    { "admin.err.empty", "入力してください。", "Please fill this in." },
    { "admin.err.login_long", "64文字以内で入力してください。", "Use at most 64 characters." },
    { "admin.err.login_chars", "使えるのは半角英数字と . _ - @ だけです。",
      "Use only ASCII letters, digits and . _ - @." },
    { "admin.err.login_taken", "このユーザー名はすでに使われています。", "This user name is already taken." },
    { "admin.err.role", "役割を選んでください。", "Please choose a role." },
    { "admin.err.password_short", "パスワードは8文字以上にしてください。", "The password needs at least 8 characters." },
    { "admin.err.password_long", "パスワードが長すぎます。", "The password is too long." },
    { "admin.err.person_unknown", "その社員番号の社員はいません。", "No person has this employee number." },
    { "admin.err.person_taken", "この社員にはすでに別のユーザーがいます。", "This person already has another user." },
    { "admin.err.self_disable", "自分自身を無効にはできません。", "You cannot disable yourself." },
    { "admin.err.self_role", "自分自身の管理者の役割は外せません。", "You cannot take away your own administrator role." },
};

const size_t web_messages_admin_count = sizeof web_messages_admin / sizeof web_messages_admin[0];
