/* web_gzip.c - gzip for answers (Content-Encoding), when the client accepts it
 * and the answer is worth it and safe to compress.
 *
 * Compressed: answers to GET and HEAD with status 200 whose type is HTML, JSON,
 * CSS or JavaScript and whose body is at least WEB_GZIP_MIN bytes. Not
 * compressed: answers to POST, PUT, PATCH and DELETE (they are small, and a new
 * API token is shown only in such an answer), and anything else.
 *
 * BREACH (guessing a secret in a compressed answer from its length, by
 * injecting text next to it): the only secret pages carry is the CSRF token in
 * forms, and html_csrf_field writes it masked afresh for every answer
 * (html_csrf_masked: a random mask and the token XOR the mask), so its bytes
 * never repeat from one answer to the next and there is nothing to guess by
 * length. Session and API tokens travel in headers, which are not compressed.
 *
 * zlib (Debian zlib1g-dev) writes the gzip format: deflate with windowBits 31. */
#include "web.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* Does the Accept-Encoding header accept gzip (not with q=0)? */
static int accepts_gzip(const web_request *r)
{
    for (size_t i = 0; i < r->headers.count; i++) {
        if (strcasecmp(r->headers.items[i].name, "Accept-Encoding") != 0)
            continue;
        const char *p = r->headers.items[i].value;
        while (*p) {
            while (*p == ' ' || *p == ',')
                p++;
            size_t n = strcspn(p, ",;");
            size_t name_len = n;
            while (name_len && p[name_len - 1] == ' ')
                name_len--;
            int is_gzip = (name_len == 4 && strncasecmp(p, "gzip", 4) == 0) ||
                          (name_len == 6 && strncasecmp(p, "x-gzip", 6) == 0);
            const char *q = p + n;
            int zero = 0;
            if (*q == ';') {
                const char *end = q + strcspn(q, ",");
                const char *qv = strstr(q, "q=");
                if (qv && qv < end) {
                    qv += 2;
                    zero = strtod(qv, NULL) == 0.0;
                }
                q = end;
            }
            if (is_gzip)
                return !zero;
            p = q;
        }
    }
    return 0;
}

/* Is the answer's content type one worth compressing? */
static int compressible_type(const char *type)
{
    static const char *const types[] = { "text/html", "application/json", "text/css", "text/javascript",
                                         "application/javascript" };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t n = strlen(types[i]);
        if (strncasecmp(type, types[i], n) == 0 && (type[n] == '\0' || type[n] == ';'))
            return 1;
    }
    return 0;
}

int web_gzip_answer(web_request *r)
{
    const char *type = r->res.content_type ? r->res.content_type : "text/html";
    if (r->res.file_fd > 0)
        return 0;              /* sent from a file as it is */
    size_t len;
    const void *body = web_response_body(r, &len);
    if (r->res.status != 200 || r->res.no_gzip || len < WEB_GZIP_MIN || !compressible_type(type) ||
        (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0))
        return 0;
    /* Whether or not this one is compressed, caches must ask by encoding. */
    web_add_header(r, "Vary", "Accept-Encoding");
    if (!accepts_gzip(r))
        return 0;
    for (size_t i = 0; i < r->res.headers.count; i++)
        if (strcasecmp(r->res.headers.items[i].name, "Content-Encoding") == 0)
            return 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 5, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    size_t cap = deflateBound(&z, (uLong)len) + 32;
    unsigned char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return 0;
    }
    z.next_in = (Bytef *)body;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t written = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || written >= len) {
        free(out);
        return 0;
    }
    buf_reset(&r->res.body);
    buf_append(&r->res.body, out, written);
    free(out);
    r->res.fixed_body = NULL;
    r->res.fixed_len = 0;
    web_add_header(r, "Content-Encoding", "gzip");
    return 1;
}
