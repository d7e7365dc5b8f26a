/* web_reply.c - the answers a request gets when it cannot go on: the error
 * answers (an HTML page, or {"error":{...}} on API routes), the store's
 * failure (logged, 503), and the helpers that answer for the handler when
 * what they fetch is missing (web_store: 503; web_path_param_id: 404). Above
 * the page shell (html.c, for the error page) and the JSON writer, below
 * everything that answers: the login, the access rules, the kit, the pages. */
#include "web.h"
#include "html.h"
#include "web_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The page a visitor who must log in again comes back to, into out (empty when
 * none): the page asked for (GET), else the page the form was sent from (its
 * same-origin Referer; the pages send it: Referrer-Policy same-origin). */
static void page_to_return_to(const web_request *r, buf *out)
{
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        buf_puts(out, r->path);
        if (*r->query_string) {
            buf_putc(out, '?');
            buf_puts(out, r->query_string);
        }
        return;
    }
    const char *referer = web_header(r, "Referer"), *host = web_header(r, "Host");
    const char *rest = referer ? strstr(referer, "://") : NULL;
    if (rest && host) {
        rest += 3;
        size_t n = strlen(host);
        if (strncmp(rest, host, n) == 0 && rest[n] == '/' && web_is_local_path(rest + n))
            buf_puts(out, rest + n);
    }
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
        web_json_error(r, status, code ? code : "error", message, field);
        return;
    }
    html_begin(r, title);
    html_printf(r->out, "<section class=\"error-page\">\n<p class=\"status\">%d</p>\n<h1>%s</h1>\n<p>%s</p>\n",
                status, title, message);
    if (status == 401) {
        /* Back to where the user was after logging in (issue 12, defect 4). */
        buf back;
        buf_init(&back);
        page_to_return_to(r, &back);
        html_raw(r->out, "<p><a class=\"button\" href=\"/login");
        if (back.len) {
            html_raw(r->out, "?next=");
            html_url_arg(r->out, back.data);
        }
        html_printf(r->out, "\">%s</a></p>\n", web_t(r, "login.title"));
        buf_free(&back);
    } else
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

store *web_store(web_request *r)
{
    if (r->db)
        return r->db;
    err e;
    memset(&e, 0, sizeof e);
    r->db = web_app_store_take(r->app, &e);
    if (!r->db) {
        char line[1024];
        fprintf(stderr, "itss serve: cannot open the database: %s\n", err_format(&e, line, sizeof line));
        web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
    }
    return r->db;
}

int web_path_param_id(web_request *r, const char *name, int64_t *out)
{
    if (web_parse_int(web_path_param(r, name), 1, INT64_MAX, out))
        return 0;
    web_reply_404(r);
    return -1;
}
