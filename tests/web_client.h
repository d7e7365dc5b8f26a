/* web_client.h - the HTTP client the web tests share: builds a raw request,
 * answers it with web_handle_raw (the one-request mode, no sockets), and reads
 * the status, headers, cookies and body of the answer. Include it after
 * cmocka.h (it asserts on malformed answers). Each test keeps its own thin
 * request() over web_client_request with the cookies and headers it needs. */
#ifndef ITSS_TEST_WEB_CLIENT_H
#define ITSS_TEST_WEB_CLIENT_H

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "buf.h"
#include "html.h"
#include "web.h"

/* An answer: status, the raw HTTP text, and its body (into raw). */
typedef struct resp {
    int status;
    buf raw;
    const char *body;
    size_t body_len;
} resp;

static inline void resp_free(resp *r)
{
    buf_free(&r->raw);
    memset(r, 0, sizeof *r);
}

/* Reads status and body out of r->raw (asserts it is an HTTP answer). */
static inline void resp_parse(resp *r)
{
    const char *raw = r->raw.data ? r->raw.data : "";
    assert_int_equal(sscanf(raw, "HTTP/1.1 %d", &r->status), 1);
    const char *end = strstr(raw, "\r\n\r\n");
    assert_non_null(end);
    r->body = end + 4;
    r->body_len = r->raw.len - (size_t)(r->body - raw);
}

/* Sends method target with the header lines in headers (each ending "\r\n";
 * NULL for none) and, when body is not NULL, len bytes of body as
 * content_type, from address; fills *out and returns the status. */
static inline int web_client_request(web_app *app, const char *method, const char *target, const char *address,
                                     const char *headers, const char *content_type, const char *body, size_t len,
                                     resp *out)
{
    buf req;
    buf_init(&req);
    buf_printf(&req, "%s %s HTTP/1.1\r\nHost: itss.test\r\n", method, target);
    if (headers)
        buf_puts(&req, headers);
    if (body)
        buf_printf(&req, "Content-Type: %s\r\nContent-Length: %zu\r\n",
                   content_type ? content_type : "application/x-www-form-urlencoded", len);
    buf_puts(&req, "\r\n");
    if (body)
        buf_append(&req, body, len);
    memset(out, 0, sizeof *out);
    buf_init(&out->raw);
    web_handle_raw(app, req.data, req.len, address ? address : "192.0.2.7", &out->raw);
    buf_free(&req);
    resp_parse(out);
    return out->status;
}

/* The nth (from 0) header called name (case ignored), or NULL. Static storage:
 * valid until the next call. */
static inline const char *header_nth(const resp *r, const char *name, int nth)
{
    static char value[4096];
    const char *p = r->raw.data;
    size_t n = strlen(name);
    while (p && (p = strstr(p, "\r\n")) != NULL && p < r->body - 2) {
        p += 2;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':' && nth-- == 0) {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            snprintf(value, sizeof value, "%.*s", (int)strcspn(v, "\r"), v);
            return value;
        }
    }
    return NULL;
}

static inline const char *header(const resp *r, const char *name)
{
    return header_nth(r, name, 0);
}

static inline int body_has(const resp *r, const char *text)
{
    return r->body && strstr(r->body, text) != NULL;
}

/* Appends name=value to a urlencoded form. */
static inline void form_arg(buf *b, const char *name, const char *value)
{
    if (b->len)
        buf_putc(b, '&');
    html_url_arg(b, name);
    buf_putc(b, '=');
    html_url_arg(b, value);
}

/* The value of the cookie name the answer sets, into out; 0 when it sets none. */
static inline int cookie_value(const resp *r, const char *name, char *out, size_t size)
{
    const char *p = r->raw.data;
    size_t n = strlen(name);
    while (p && (p = strstr(p, "\r\nSet-Cookie: ")) != NULL && p < r->body) {
        p += strlen("\r\nSet-Cookie: ");
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            snprintf(out, size, "%.*s", (int)strcspn(p + n + 1, ";\r"), p + n + 1);
            return 1;
        }
    }
    return 0;
}

/* The CSRF token of the first form of the page (asserts there is one). */
static inline void csrf_field(const resp *r, char *out, size_t size)
{
    const char *p = strstr(r->body, "name=\"csrf\" value=\"");
    assert_non_null(p);
    p += strlen("name=\"csrf\" value=\"");
    snprintf(out, size, "%.*s", (int)strcspn(p, "\""), p);
    assert_true(strlen(out) >= 32);
}

#endif
