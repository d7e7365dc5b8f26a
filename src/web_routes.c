/* web_routes.c - the one route table, the dispatcher that runs every request
 * through the same steps, the error answers, and the server's own routes
 * (built-in files, health check). */
#include "web.h"
#include "web_auth.h"
#include "web_pages.h"
#include "html.h"
#include "web_json.h"
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The table, made from the one list of routes in web_pages.h. */
#define WEB_ROUTE_ROW(method_, pattern_, handler_, roles_, flags_, ...) \
    { .method = method_, .pattern = pattern_, .handler = handler_, .roles = roles_, .flags = flags_, \
      .summary = __VA_ARGS__ },
static const web_route routes[] = { WEB_ROUTES(WEB_ROUTE_ROW) };

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
    /* The database is busy or read-only for now: say when to come back. */
    if (status == 503)
        web_add_header(r, "Retry-After", "5");
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
        json_t *error = json_object();
        json_object_set_new(error, "code", json_string(code ? code : "error"));
        json_object_set_new(error, "message", web_json_text(message));
        json_object_set_new(error, "field", web_json_text(field));
        web_json_reply(r, status, json_pack("{s:o}", "error", error));
        return;
    }
    html_begin(r, title);
    html_printf(r->out, "<section class=\"error-page\">\n<p class=\"status\">%d</p>\n<h1>%s</h1>\n<p>%s</p>\n",
                status, title, message);
    if (status == 401)
        html_printf(r->out, "<p><a class=\"button\" href=\"/login\">%s</a></p>\n", web_t(r, "login.title"));
    else
        html_printf(r->out, "<p><a href=\"/\">%s</a></p>\n", web_t(r, "error.back"));
    html_raw(r->out, "</section>\n");
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

/* GET /healthz  {"status":"ok","schema":N,"database":"writable"|"locked"|
 * "read-only","writable":bool} when the database answers a read (at once: reads
 * never wait for a writer, and writability is tried without waiting); 503
 * otherwise. */
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
    int writable = store_writable(db, &e);
    const char *state = writable ? "writable" : store_read_only(db) ? "read-only" : "locked";
    web_json_reply(r, 200, json_pack("{s:s,s:i,s:s,s:b}", "status", "ok", "schema", store_schema_version(db),
                                     "database", state, "writable", writable));
}
