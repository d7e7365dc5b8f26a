/* web_routes.c - the dispatcher that runs every request through the same
 * steps (admit: path, route, caller; body; roles; CSRF; the handler; the
 * common headers), and the server's own routes (built-in files, health
 * check). The top of the web core: the table is web_table.c's, the answers
 * web_reply.c's (docs/architecture.md, "The web core"). */
#include "web.h"
#include "store_outbox.h"
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

/* A signed-in user who switches the language (?lang=) has it for their mails
 * too (app_user.lang, notify.h). Best effort: a busy or read-only database
 * keeps the old one, the page is served all the same. */
static void remember_language(web_request *r)
{
    const char *asked = web_query(r, "lang");
    if (!r->user || r->user->by_token || !asked || (strcmp(asked, "ja") != 0 && strcmp(asked, "en") != 0))
        return;
    store *db = r->db;
    if (!db || store_read_only(db))
        return;
    err e;
    memset(&e, 0, sizeof e);
    store_write_wait(db, 0);
    if (store_user_set_lang(db, r->user->id, asked, &e) < 0)
        fprintf(stderr, "itss serve: keeping the language of %s: %s\n", r->user->login, e.message);
    store_write_wait(db, -1);
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
    r->route = web_route_resolve(r);
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
            web_reply_405(r, web_route_allowed(r));
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
        remember_language(r);
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
    r->res.content_type = web_static_type(name);
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
