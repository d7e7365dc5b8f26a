/* web_routes.c - the one route table, the dispatcher that runs every request
 * through the same steps, the error answers, and the server's own routes
 * (built-in files, health check). */
#include "web.h"
#include "web_auth.h"
#include "web_pages.h"
#include "html.h"
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every page and endpoint: method, path pattern, handler, roles that may use it,
 * flags, summary. POST, PUT, PATCH and DELETE rows carry WEB_CSRF (the
 * dispatcher checks the token for them in any case; a test checks the flag).
 * Keep rows of one path together, pages before the API. */
static const web_route routes[] = {
    { "GET", "/", web_page_root, 0, WEB_PUBLIC, "to the home page, or to the login page" },
    { "GET", "/login", web_page_login, 0, WEB_PUBLIC, "the login form" },
    { "POST", "/login", web_page_login_post, 0, WEB_PUBLIC | WEB_CSRF, "log in" },
    { "POST", "/logout", web_page_logout, ROLES_ANY, WEB_CSRF, "log out" },
    { "GET", "/home", web_page_home, ROLES_ANY, 0, "the home page: what the user can do" },
    { "GET", "/admin", web_page_admin, ROLE_ADMIN, 0, "the users of the application (administrators)" },
    { "POST", "/admin/users", web_page_admin_user_add, ROLE_ADMIN, WEB_CSRF, "add a user" },
    { "GET", "/admin/users/:id", web_page_admin_user, ROLE_ADMIN, 0, "a user: role, person, password, state" },
    { "POST", "/admin/users/:id", web_page_admin_user_save, ROLE_ADMIN, WEB_CSRF, "change a user's role or person" },
    { "POST", "/admin/users/:id/disable", web_page_admin_user_disable, ROLE_ADMIN, WEB_CSRF, "disable a user" },
    { "POST", "/admin/users/:id/enable", web_page_admin_user_enable, ROLE_ADMIN, WEB_CSRF, "enable a user" },
    { "POST", "/admin/users/:id/password", web_page_admin_user_password, ROLE_ADMIN, WEB_CSRF, "reset a user's password" },
    { "GET", "/account/tokens", web_page_tokens, ROLES_ANY, 0, "my API tokens" },
    { "POST", "/account/tokens", web_page_token_create, ROLES_ANY, WEB_CSRF, "create an API token (shown once)" },
    { "POST", "/account/tokens/:id/revoke", web_page_token_revoke, ROLES_ANY, WEB_CSRF, "revoke one of my API tokens" },
    { "GET", "/hr", web_page_hr, ROLE_HR, 0, "HR: cycles by status and the skill portfolio" },
    { "GET", "/hr/cycles", web_page_hr_cycles, ROLE_HR, 0, "assessment cycles" },
    { "POST", "/hr/cycles", web_page_hr_cycle_add, ROLE_HR, WEB_CSRF, "add a cycle" },
    { "GET", "/hr/cycles/:id", web_page_hr_cycle, ROLE_HR, 0, "a cycle: assessments by status, its dates" },
    { "POST", "/hr/cycles/:id", web_page_hr_cycle_save, ROLE_HR, WEB_CSRF, "change a cycle's name or dates" },
    { "POST", "/hr/cycles/:id/open", web_page_hr_cycle_open, ROLE_HR, WEB_CSRF, "open a cycle" },
    { "POST", "/hr/cycles/:id/close", web_page_hr_cycle_close, ROLE_HR, WEB_CSRF, "close a cycle" },
    { "GET", "/hr/org", web_page_hr_org, ROLE_HR, 0, "org units as a tree" },
    { "POST", "/hr/org", web_page_hr_org_add, ROLE_HR, WEB_CSRF, "add an org unit" },
    { "GET", "/hr/org/:id", web_page_hr_org_unit, ROLE_HR, 0, "an org unit's form" },
    { "POST", "/hr/org/:id", web_page_hr_org_save, ROLE_HR, WEB_CSRF, "rename or move an org unit" },
    { "GET", "/hr/people", web_page_hr_people, ROLE_HR, 0, "people: search, pages" },
    { "GET", "/hr/people/new", web_page_hr_person_new, ROLE_HR, 0, "the form of a new person" },
    { "POST", "/hr/people/new", web_page_hr_person_add, ROLE_HR, WEB_CSRF, "add a person" },
    { "GET", "/hr/people/:id/edit", web_page_hr_person_edit, ROLE_HR, 0, "a person's form" },
    { "POST", "/hr/people/:id/edit", web_page_hr_person_save, ROLE_HR, WEB_CSRF, "change a person" },
    { "GET", "/hr/import", web_page_hr_import, ROLE_HR, 0, "the CSV upload form" },
    { "POST", "/hr/import", web_page_hr_import_post, ROLE_HR, WEB_CSRF | WEB_UPLOAD, "import people or answers from CSV" },
    { "GET", "/hr/export", web_page_hr_export, ROLE_HR, 0, "the exports" },
    { "GET", "/hr/export/:file", web_page_hr_export_file, ROLE_HR, 0, "people, assessments or levels as CSV or JSON" },
    { "GET", "/standard", web_page_standard, ROLES_ANY, 0, "the standard: job category, specializations, skill areas" },
    { "GET", "/standard/search", web_page_standard_search, ROLES_ANY, 0, "search the standard's texts (NFKC, either width)" },
    { "GET", "/standard/:spec", web_page_standard_spec, ROLES_ANY, 0, "a specialization: levels and skill areas" },
    { "GET", "/standard/:spec/:level", web_page_standard_level, ROLES_ANY, 0, "the achievement indicators and proficiency of a level" },
    { "GET", "/standard/:spec/area/:area", web_page_standard_area, ROLES_ANY, 0, "a skill area: proficiency by level, knowledge items" },
    { "GET", "/diagnosis", web_page_diagnosis, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, 0, "my diagnosis: the cycle, progress, status, submit" },
    { "POST", "/diagnosis/submit", web_page_diagnosis_submit, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_CSRF, "hand my diagnosis in" },
    { "GET", "/diagnosis/:spec", web_page_diagnosis_spec, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, 0, "my achievement indicators of a specialization" },
    { "POST", "/diagnosis/:spec", web_page_diagnosis_spec_post, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_CSRF, "save my achievement indicators" },
    { "GET", "/diagnosis/:spec/skills", web_page_diagnosis_skills, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, 0, "my proficiency and knowledge ratings" },
    { "POST", "/diagnosis/:spec/skills", web_page_diagnosis_skills_post, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_CSRF, "save my proficiency and knowledge ratings" },
    { "GET", "/experience", web_page_experience, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, 0, "my experience records" },
    { "GET", "/experience/new", web_page_experience_new, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, 0, "the form of a new experience record" },
    { "POST", "/experience/new", web_page_experience_new_post, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_CSRF, "add an experience record" },
    { "GET", "/experience/:id/edit", web_page_experience_edit, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, 0, "the form of one of my experience records" },
    { "POST", "/experience/:id/edit", web_page_experience_edit_post, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_CSRF, "save one of my experience records" },
    { "POST", "/experience/:id/delete", web_page_experience_delete, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_CSRF, "delete one of my experience records" },
    { "GET", "/results", web_page_results, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, 0, "my results: level per specialization and why, radar, gap to a target, knowledge, history" },
    { "GET", "/people/:id/results", web_page_person_results, ROLES_ANY, 0, "the results of a person the user may see" },
    { "GET", "/team", web_page_team, ROLE_MANAGER | ROLE_HR, 0, "the team: people by specialization, level and this cycle's status" },
    { "GET", "/people/:id/review", web_page_review, ROLE_MANAGER | ROLE_HR, 0, "a member's diagnosis, the manager's rating beside the self-rating" },
    { "POST", "/people/:id/review", web_page_review_post, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "save the manager's rating" },
    { "POST", "/people/:id/comments", web_page_comment_post, ROLES_ANY, WEB_CSRF, "add a comment to a person's assessment (reviewer or the person)" },
    { "POST", "/people/:id/return", web_page_return_post, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "return a submitted assessment for rework, with a comment" },
    { "POST", "/people/:id/approve", web_page_approve_post, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "approve a submitted assessment" },
    { "GET", "/static/*", web_page_static, 0, WEB_PUBLIC | WEB_NOAUTH, "built-in CSS, JavaScript and images" },
    { "GET", "/healthz", web_page_healthz, 0, WEB_PUBLIC | WEB_API | WEB_NOAUTH, "health check: the database answers" },
    { "GET", "/api/v1/me", web_api_me, ROLES_ANY, WEB_API, "the user the request is authenticated as" },
    { "GET", "/api/v1/openapi.json", web_api_openapi, 0, WEB_PUBLIC | WEB_API, "this API described (OpenAPI 3.0)" },
    { "GET", "/api/v1/cycles", web_api_cycles, ROLE_HR, WEB_API, "assessment cycles" },
    { "POST", "/api/v1/cycles", web_api_cycle_add, ROLE_HR, WEB_API | WEB_CSRF, "add a cycle" },
    { "GET", "/api/v1/cycles/:id", web_api_cycle, ROLE_HR, WEB_API, "a cycle with its assessments by status" },
    { "PATCH", "/api/v1/cycles/:id", web_api_cycle_edit, ROLE_HR, WEB_API | WEB_CSRF, "change a cycle's name or dates (open, close)" },
    { "GET", "/api/v1/org-units", web_api_org_units, ROLE_HR, WEB_API, "org units in tree order" },
    { "POST", "/api/v1/org-units", web_api_org_add, ROLE_HR, WEB_API | WEB_CSRF, "add an org unit" },
    { "GET", "/api/v1/org-units/:id", web_api_org_unit, ROLE_HR, WEB_API, "an org unit" },
    { "PATCH", "/api/v1/org-units/:id", web_api_org_edit, ROLE_HR, WEB_API | WEB_CSRF, "rename or move an org unit" },
    { "GET", "/api/v1/people", web_api_people, ROLE_HR, WEB_API, "people: search, pages" },
    { "POST", "/api/v1/people", web_api_person_add, ROLE_HR, WEB_API | WEB_CSRF, "add a person" },
    { "GET", "/api/v1/people/:id", web_api_person, ROLES_ANY, WEB_API, "a person the user may see" },
    { "PATCH", "/api/v1/people/:id", web_api_person_edit, ROLE_HR, WEB_API | WEB_CSRF, "change a person" },
    { "GET", "/api/v1/portfolio", web_api_portfolio, ROLE_HR, WEB_API, "people per specialization and level in a cycle, and the movement" },
    { "POST", "/api/v1/imports/people", web_api_import_people, ROLE_HR, WEB_API | WEB_CSRF | WEB_UPLOAD, "import people from CSV (one transaction)" },
    { "POST", "/api/v1/imports/assessments", web_api_import_assessments, ROLE_HR, WEB_API | WEB_CSRF | WEB_UPLOAD, "import assessment answers from CSV (one transaction)" },
    { "GET", "/api/v1/exports/people", web_api_export_people, ROLE_HR, WEB_API, "people as CSV or JSON" },
    { "GET", "/api/v1/exports/assessments", web_api_export_assessments, ROLE_HR, WEB_API, "assessment answers as CSV or JSON" },
    { "GET", "/api/v1/exports/levels", web_api_export_levels, ROLE_HR, WEB_API, "levels per specialization as CSV or JSON" },
    { "GET", "/api/v1/users", web_api_users, ROLE_ADMIN, WEB_API, "the users" },
    { "POST", "/api/v1/users", web_api_user_add, ROLE_ADMIN, WEB_API | WEB_CSRF, "add a user" },
    { "GET", "/api/v1/users/:id", web_api_user, ROLE_ADMIN, WEB_API, "a user" },
    { "PATCH", "/api/v1/users/:id", web_api_user_edit, ROLE_ADMIN, WEB_API | WEB_CSRF, "change a user's role, person or state" },
    { "PUT", "/api/v1/users/:id/password", web_api_user_password, ROLE_ADMIN, WEB_API | WEB_CSRF, "reset a user's password" },
    { "GET", "/api/v1/tokens", web_api_tokens, ROLES_ANY, WEB_API, "my API tokens" },
    { "POST", "/api/v1/tokens", web_api_token_create, ROLES_ANY, WEB_API | WEB_CSRF, "create an API token (shown once)" },
    { "DELETE", "/api/v1/tokens/:id", web_api_token_revoke, ROLES_ANY, WEB_API | WEB_CSRF, "revoke one of my API tokens" },
    { "GET", "/api/v1/me/results", web_api_me_results, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API, "my results, as the results page shows them" },
    { "GET", "/api/v1/people/:id/results", web_api_person_results, ROLES_ANY, WEB_API, "a person's results, as their results page shows them" },
    { "GET", "/api/v1/team", web_api_team, ROLE_MANAGER | ROLE_HR, WEB_API, "the team: level per specialization and this cycle's status" },
    { "GET", "/api/v1/people/:id/assessment", web_api_person_assessment, ROLES_ANY, WEB_API, "a person's answers (?rater=self|manager), levels and comments" },
    { "PUT", "/api/v1/people/:id/assessment/manager", web_api_manager_rating, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "set the manager's rating of elements" },
    { "POST", "/api/v1/people/:id/comments", web_api_comment, ROLES_ANY, WEB_API | WEB_CSRF, "add a comment to a person's assessment" },
    { "POST", "/api/v1/people/:id/return", web_api_return, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "return a submitted assessment, with a comment" },
    { "POST", "/api/v1/people/:id/approve", web_api_approve, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "approve a submitted assessment" },
    { "GET", "/api/v1/catalog", web_api_catalog, ROLES_ANY, WEB_API, "the catalog in brief" },
    { "GET", "/api/v1/catalog/search", web_api_catalog_search, ROLES_ANY, WEB_API, "search the standard's texts" },
    { "GET", "/api/v1/catalog/elements/:id", web_api_catalog_element, ROLES_ANY, WEB_API, "one element of the standard" },
    { "GET", "/api/v1/me/assessment", web_api_me_assessment, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API, "my assessment in the cycle in force (file format)" },
    { "PUT", "/api/v1/me/assessment", web_api_me_assessment_put, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "replace my self answers" },
    { "POST", "/api/v1/me/assessment/submit", web_api_me_assessment_submit, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "hand my diagnosis in" },
    { "GET", "/api/v1/me/experience", web_api_me_experience, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API, "my experience records" },
    { "POST", "/api/v1/me/experience", web_api_me_experience_post, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "add an experience record" },
    { "GET", "/api/v1/me/experience/:id", web_api_me_experience_one, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API, "one of my experience records" },
    { "PUT", "/api/v1/me/experience/:id", web_api_me_experience_put, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "replace one of my experience records" },
    { "DELETE", "/api/v1/me/experience/:id", web_api_me_experience_delete, ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "delete one of my experience records" },
};

#define N_ROUTES (sizeof routes / sizeof routes[0])

const web_route *web_routes(size_t *count)
{
    *count = N_ROUTES;
    return routes;
}

/* Adds a path parameter to r (strings already in request memory). */
static void add_path_param(web_request *r, const char *name, const char *value)
{
    web_params *p = &r->path_params;
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
        if (!p->items) {
            fputs("itss: out of memory\n", stderr);
            abort();
        }
    }
    p->items[p->count++] = (web_param){ name, value, strlen(value) };
}

/* Does path match pattern? When r is not NULL, the :params (and "*" for the rest
 * of a "*" pattern, never empty) are added to r->path_params. */
static int match(const char *pattern, const char *path, web_request *r)
{
    const char *p = pattern, *s = path;
    for (;;) {
        if (p[0] == '*' && p[1] == '\0') {
            if (*s == '\0')
                return 0;
            if (r)
                add_path_param(r, "*", web_strdup(r, s));
            return 1;
        }
        if (*p == ':') {
            size_t name_len = strcspn(p + 1, "/");
            size_t value_len = strcspn(s, "/");
            if (value_len == 0)
                return 0;
            if (r)
                add_path_param(r, web_strndup(r, p + 1, name_len), web_strndup(r, s, value_len));
            p += 1 + name_len;
            s += value_len;
            continue;
        }
        if (*p != *s)
            return 0;
        if (*p == '\0')
            return 1;
        p++;
        s++;
    }
}

/* The route for method and path, filling r's path parameters when r is given.
 * HEAD is answered by GET routes. */
static const web_route *find_route(const char *method, const char *path, int *path_known, web_request *r)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    if (path_known)
        *path_known = 0;
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (r)
            r->path_params.count = 0;
        if (!match(routes[i].pattern, path, r))
            continue;
        if (strcmp(routes[i].method, m) == 0)
            return &routes[i];
        if (path_known)
            *path_known = 1;
    }
    if (r)
        r->path_params.count = 0;
    return NULL;
}

const web_route *web_route_find(const char *method, const char *path, int *path_known)
{
    return find_route(method, path, path_known, NULL);
}

/* The methods routes offer for path, for the Allow header, in request memory. */
static const char *allowed_methods(web_request *r)
{
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!match(routes[i].pattern, r->path, NULL) || (b.data && strstr(b.data, routes[i].method)))
            continue;
        if (b.len)
            buf_puts(&b, ", ");
        buf_puts(&b, routes[i].method);
        if (strcmp(routes[i].method, "GET") == 0)
            buf_puts(&b, ", HEAD");
    }
    const char *allow = web_strdup(r, b.data ? b.data : "");
    buf_free(&b);
    return allow;
}

/* ---- Error answers -------------------------------------------------------------- */

/* Does r get JSON errors? API routes and anything under /api/. */
static int wants_json(const web_request *r)
{
    if (r->route)
        return (r->route->flags & WEB_API) != 0;
    return strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/api") == 0;
}

/* Logs what failed with the store's message (never shown to the client) and
 * answers 503. See web.h. */
void web_store_failed(web_request *r, const char *what, const err *e)
{
    char line[1024];
    fprintf(stderr, "itss serve: %s: %s\n", what, e ? err_format(e, line, sizeof line) : "failed");
    web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
}

void web_reply_error(web_request *r, int status, const char *code, const char *message, const char *field)
{
    char key[32];
    r->res.status = status;
    r->res.fixed_body = NULL;
    r->res.fixed_len = 0;
    buf_reset(r->out);
    snprintf(key, sizeof key, "error.%d", status);
    const char *title = web_t(r, key);
    if (strcmp(title, key) == 0)
        title = web_status_text(status);
    if (!message || !*message) {
        snprintf(key, sizeof key, "error.%d.text", status);
        message = web_t(r, key);
        if (strcmp(message, key) == 0)
            message = title;
    }
    if (wants_json(r)) {
        r->res.content_type = "application/json";
        buf_puts(r->out, "{\"error\":{\"code\":");
        buf_json_str(r->out, code ? code : "error");
        buf_puts(r->out, ",\"message\":");
        buf_json_str(r->out, message);
        buf_puts(r->out, ",\"field\":");
        if (field)
            buf_json_str(r->out, field);
        else
            buf_puts(r->out, "null");
        buf_puts(r->out, "}}\n");
        return;
    }
    html_begin(r, title);
    html_printf(r->out, "<section class=\"error-page\">\n<p class=\"status\">%d</p>\n<h1>%s</h1>\n<p>%s</p>\n",
                status, title, message);
    if (status == 401)
        html_printf(r->out, "<p><a class=\"button\" href=\"/login\">%s</a></p>\n", web_t(r, "login.title"));
    else
        html_printf(r->out, "<p><a href=\"/\">%s</a></p>\n", web_t(r, "error.back"));
    buf_puts(r->out, "</section>\n");
    html_end(r);
}

void web_reply_400(web_request *r, const char *message, const char *field)
{
    web_reply_error(r, 400, "bad_request", message, field);
}

void web_reply_401(web_request *r)
{
    if (wants_json(r)) {
        web_add_header(r, "WWW-Authenticate", "Bearer realm=\"itss\"");
        web_reply_error(r, 401, "unauthorized", web_t(r, "error.401.api"), NULL);
        return;
    }
    web_reply_error(r, 401, "unauthorized", NULL, NULL);
}

void web_reply_403(web_request *r)
{
    web_reply_error(r, 403, "forbidden", NULL, NULL);
}

void web_reply_404(web_request *r)
{
    web_reply_error(r, 404, "not_found", NULL, NULL);
}

void web_reply_405(web_request *r, const char *allow)
{
    web_add_header(r, "Allow", allow);
    web_reply_error(r, 405, "method_not_allowed", NULL, NULL);
}

/* ---- The dispatcher ---------------------------------------------------------------- */

/* The language: ?lang=ja|en (remembered in a cookie for a year), else the lang
 * cookie, else Japanese. */
static void choose_language(web_request *r)
{
    const char *asked = web_query(r, "lang");
    if (asked && (strcmp(asked, "ja") == 0 || strcmp(asked, "en") == 0)) {
        r->lang = strcmp(asked, "en") == 0 ? "en" : "ja";
        web_set_cookie(r, "lang", r->lang, 365L * 24 * 3600);
        return;
    }
    const char *kept = web_cookie(r, "lang");
    r->lang = kept && strcmp(kept, "en") == 0 ? "en" : "ja";
}

static int is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0;
}

/* Is header name already in the answer? */
static int has_header(const web_request *r, const char *name)
{
    for (size_t i = 0; i < r->res.headers.count; i++)
        if (strcasecmp(r->res.headers.items[i].name, name) == 0)
            return 1;
    return 0;
}

/* The headers every answer carries. */
static void finish_headers(web_request *r)
{
    const char *type = r->res.content_type ? r->res.content_type : "text/html; charset=utf-8";
    web_add_header(r, "Content-Type", type);
    web_add_header(r, "Content-Security-Policy",
                   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                   "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    web_add_header(r, "X-Content-Type-Options", "nosniff");
    web_add_header(r, "Referrer-Policy", "same-origin");
    web_add_header(r, "X-Frame-Options", "DENY");
    if (!has_header(r, "Cache-Control"))
        web_add_header(r, "Cache-Control", "no-store");
    if (strncmp(type, "text/html", 9) == 0)
        web_add_header(r, "Content-Language", r->lang);
}

/* Sends a visitor who is not logged in to the login page, coming back here. */
static void to_login(web_request *r)
{
    buf b;
    buf_init(&b);
    buf_puts(&b, "/login?next=");
    buf t;
    buf_init(&t);
    buf_puts(&t, r->path);
    if (*r->query_string) {
        buf_putc(&t, '?');
        buf_puts(&t, r->query_string);
    }
    html_url_arg(&b, t.data);
    web_redirect(r, b.data);
    buf_free(&t);
    buf_free(&b);
}

void web_request_admit(web_request *r)
{
    if (r->admitted)
        return;
    r->admitted = 1;
    if (web_request_parse_head(r) < 0)
        return;
    choose_language(r);
    r->route = find_route(r->method, r->path, &r->path_known, r);
    if (r->route && !(r->route->flags & WEB_NOAUTH) && web_auth_identify(r) < 0)
        r->answered = 1;
}

/* Runs one request: admit it (path, route, caller), parse the body,
 * authorize, check the CSRF token, run the handler, add the common headers. */
void web_dispatch(web_request *r)
{
    web_request_admit(r);
    if (r->answered)
        goto done;
    if (web_request_parse(r) < 0) {
        choose_language(r);
        int st = r->refuse_status;
        web_reply_error(r, st, st == 413 ? "too_large" : st == 503 ? "unavailable" : "bad_request",
                        r->refuse_message, NULL);
        if (st == 503)
            web_add_header(r, "Retry-After", "10");
        goto done;
    }

    if (!r->route) {
        if (r->path_known)
            web_reply_405(r, allowed_methods(r));
        else
            web_reply_404(r);
        goto done;
    }
    const web_route *rt = r->route;

    if (!(rt->flags & WEB_PUBLIC)) {
        if (!r->user) {
            if ((rt->flags & WEB_API) || is_unsafe(r->method))
                web_reply_401(r);
            else
                to_login(r);
            goto done;
        }
        if (!(rt->roles & r->user->role)) {
            web_reply_403(r);
            goto done;
        }
    }
    if (((rt->flags & WEB_CSRF) || is_unsafe(r->method)) && !web_auth_csrf_ok(r)) {
        web_reply_error(r, 403, "csrf", web_t(r, "error.csrf"), WEB_CSRF_FIELD);
        goto done;
    }
    rt->handler(r);
done:
    finish_headers(r);
}

/* ---- The server's own routes ---------------------------------------------------------- */

/* The content type of a built-in file, by its extension. */
static const char *static_type(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
        { ".woff2", "font/woff2" },
        { ".json", "application/json" },
        { ".txt", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

const web_static_file *web_static_find(const char *name)
{
    for (size_t i = 0; i < web_static_count; i++)
        if (strcmp(web_static_files[i].name, name) == 0)
            return &web_static_files[i];
    return NULL;
}

/* FNV-1a of each built-in file, computed once. */
static char (*static_versions)[9];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void compute_versions(void)
{
    static_versions = calloc(web_static_count ? web_static_count : 1, sizeof *static_versions);
    if (!static_versions)
        abort();
    for (size_t i = 0; i < web_static_count; i++) {
        uint32_t h = 2166136261u;
        for (size_t j = 0; j < web_static_files[i].len; j++)
            h = (h ^ web_static_files[i].data[j]) * 16777619u;
        snprintf(static_versions[i], 9, "%08x", h);
    }
}

const char *web_static_version(const char *name)
{
    pthread_once(&versions_once, compute_versions);
    const web_static_file *f = web_static_find(name);
    return f ? static_versions[f - web_static_files] : "0";
}

/* GET /static/NAME  A built-in file. With ?v= its version it may be cached for a
 * year; otherwise browsers revalidate with the ETag. */
void web_page_static(web_request *r)
{
    const char *name = web_path_param(r, "*");
    const web_static_file *f = name ? web_static_find(name) : NULL;
    if (!f) {
        web_reply_404(r);
        return;
    }
    const char *version = web_static_version(name);
    char etag[16];
    snprintf(etag, sizeof etag, "\"%s\"", version);
    const char *v = web_query(r, "v");
    web_add_header(r, "ETag", etag);
    web_add_header(r, "Cache-Control", v && strcmp(v, version) == 0 ? "public, max-age=31536000, immutable"
                                                                    : "no-cache");
    r->res.content_type = static_type(name);
    const char *inm = web_header(r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        r->res.status = 304;
        return;
    }
    r->res.fixed_body = f->data;
    r->res.fixed_len = f->len;
}

/* GET /healthz  {"status":"ok"} when the database answers; 503 otherwise. */
void web_page_healthz(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    err e;
    char *value = NULL;
    memset(&e, 0, sizeof e);
    if (store_meta_get(db, "catalog", &value, &e) < 0) {
        char line[1024];
        fprintf(stderr, "itss serve: health check: %s\n", err_format(&e, line, sizeof line));
        web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
        return;
    }
    free(value);
    web_json_begin(r, 200);
    buf_printf(r->out, "{\"status\":\"ok\",\"schema\":%d}\n", store_schema_version(db));
}
