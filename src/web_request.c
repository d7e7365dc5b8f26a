/* web_request.c - one HTTP request as the handlers see it: per-request memory,
 * parsing of path, query, cookies and bodies (urlencoded, multipart, JSON), and
 * the parameter and answer helpers of web.h. Knows nothing of sockets. */
#include "web.h"
#include "xalloc.h"
#include "text.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* ---- Per-request memory ---------------------------------------------------- */

struct web_arena_block {
    web_arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

struct web_cleanup {
    web_cleanup *next;
    void (*fn)(void *);
    void *ptr;
};

#define ARENA_BLOCK 8192

/* Zeroed request memory, aligned for any type; freed by web_request_end. */
void *web_alloc(web_request *r, size_t size)
{
    size_t need = (size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    web_arena_block *b = r->arena;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        b = xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = r->arena;
        r->arena = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += need;
    memset(p, 0, size);
    return p;
}

char *web_strndup(web_request *r, const char *s, size_t n)
{
    char *d = web_alloc(r, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *web_strdup(web_request *r, const char *s)
{
    return web_strndup(r, s, strlen(s));
}

void web_defer(web_request *r, void (*fn)(void *), void *ptr)
{
    web_cleanup *c = web_alloc(r, sizeof *c);
    c->fn = fn;
    c->ptr = ptr;
    c->next = r->cleanups;
    r->cleanups = c;
}

int64_t web_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- Parameter lists ------------------------------------------------------- */

/* Appends name=value (already owned by the request) to p. */
static void params_add(web_params *p, const char *name, const char *value, size_t len)
{
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->items = xrealloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->count].name = name;
    p->items[p->count].value = value;
    p->items[p->count].len = len;
    p->count++;
}

const char *web_params_get(const web_params *p, const char *name)
{
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->items[i].name, name) == 0)
            return p->items[i].value;
    return NULL;
}

const char *web_query(const web_request *r, const char *name) { return web_params_get(&r->query, name); }
const char *web_form(const web_request *r, const char *name) { return web_params_get(&r->form, name); }
const char *web_cookie(const web_request *r, const char *name) { return web_params_get(&r->cookies, name); }
const char *web_path_param(const web_request *r, const char *name) { return web_params_get(&r->path_params, name); }

const char *web_header(const web_request *r, const char *name)
{
    for (size_t i = 0; i < r->headers.count; i++)
        if (strcasecmp(r->headers.items[i].name, name) == 0)
            return r->headers.items[i].value;
    return NULL;
}

size_t web_form_count(const web_request *r, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < r->form.count; i++)
        n += strcmp(r->form.items[i].name, name) == 0;
    return n;
}

const char *web_form_nth(const web_request *r, const char *name, size_t nth)
{
    for (size_t i = 0; i < r->form.count; i++)
        if (strcmp(r->form.items[i].name, name) == 0 && nth-- == 0)
            return r->form.items[i].value;
    return NULL;
}

const web_upload *web_upload_get(const web_request *r, const char *name)
{
    for (size_t i = 0; i < r->n_uploads; i++)
        if (strcmp(r->uploads[i].field, name) == 0)
            return &r->uploads[i];
    return NULL;
}

/* Decimal integer in [min, max], nothing else (no sign for positives, no spaces). */
int web_parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (!text || !*text || strlen(text) > 19)
        return 0;
    const char *p = text;
    int neg = *p == '-';
    if (neg) p++;
    if (!*p) return 0;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return 0;
        if (v > (INT64_MAX - (*p - '0')) / 10) return 0;
        v = v * 10 + (*p - '0');
    }
    if (neg) v = -v;
    if (v < min || v > max) return 0;
    *out = v;
    return 1;
}


/* ---- Starting and ending --------------------------------------------------- */

void web_request_begin(web_request *r, web_app *app, const char *method, const char *uri,
                       const char *address)
{
    memset(r, 0, sizeof *r);
    r->app = app;
    r->started_ns = web_now_ns();
    r->method = web_strdup(r, method ? method : "");
    r->uri = web_strdup(r, uri ? uri : "");
    r->address = web_strdup(r, address && *address ? address : "-");
    r->path = "/";
    r->query_string = "";
    r->body = "";
    r->lang = "ja";
    r->is_head = strcmp(r->method, "HEAD") == 0;
    r->res.status = 200;
    r->out = &r->res.body;
    r->body_fd = -1;
    r->peer = r->address;
    buf_init(&r->res.body);
    buf_init(&r->body_buf);
}

void web_request_header(web_request *r, const char *name, const char *value)
{
    const char *v = web_strdup(r, value ? value : "");
    params_add(&r->headers, web_strdup(r, name), v, strlen(v));
}

/* Is the request's Content-Type media type (before ';') `type`? */
static int content_type_is(const web_request *r, const char *type)
{
    const char *ct = web_header(r, "Content-Type");
    size_t n = strlen(type);
    return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Defined in web_app.c. */
void web_app_store_release(web_app *app, store *s);

void web_request_end(web_request *r)
{
    for (web_cleanup *c = r->cleanups; c; c = c->next)
        c->fn(c->ptr);
    r->cleanups = NULL;
    if (r->db) {
        web_app_store_release(r->app, r->db);
        r->db = NULL;
    }
    free(r->query.items);
    free(r->form.items);
    free(r->cookies.items);
    free(r->headers.items);
    free(r->path_params.items);
    free(r->res.headers.items);
    free(r->uploads);
    buf_free(&r->res.body);
    buf_free(&r->body_buf);
    if (r->body_map)
        munmap(r->body_map, r->body_file_len + 1);
    r->body_map = NULL;
    if (r->body_fd >= 0)
        close(r->body_fd);
    r->body_fd = -1;
    if (r->res.file_fd > 0)
        close(r->res.file_fd);
    r->res.file_fd = 0;
    web_arena_block *b = r->arena;
    while (b) {
        web_arena_block *next = b->next;
        free(b);
        b = next;
    }
    r->arena = NULL;
}

/* ---- Parsing ----------------------------------------------------------------- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) (and '+' as a space when plus_is_space) into request
 * memory. Returns NULL when the result is not valid UTF-8 or holds a NUL. A '%'
 * not followed by two hex digits stays as it is. */
static char *url_decode(web_request *r, const char *s, size_t n, int plus_is_space)
{
    char *d = web_alloc(r, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            d[j++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            d[j++] = ' ';
        } else {
            d[j++] = s[i];
        }
    }
    d[j] = '\0';
    return text_is_utf8(d, j, NULL) ? d : NULL;
}

/* Parses "a=1&b=2" (s[0..n)) into p. Returns 0, or -1 when a name or value does
 * not decode to valid UTF-8. */
static int parse_urlencoded(web_request *r, const char *s, size_t n, web_params *p)
{
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && s[end] != '&')
            end++;
        if (end > i) {
            const char *eq = memchr(s + i, '=', end - i);
            size_t name_len = eq ? (size_t)(eq - (s + i)) : end - i;
            char *name = url_decode(r, s + i, name_len, 1);
            char *value = eq ? url_decode(r, eq + 1, (size_t)(s + end - eq - 1), 1) : web_strdup(r, "");
            if (!name || !value)
                return -1;
            if (*name)
                params_add(p, name, value, strlen(value));
        }
        i = end + 1;
    }
    return 0;
}

/* Parses the Cookie headers: "a=b; c=d". Cookies that are not valid UTF-8 are
 * left out (a browser may hold cookies of other applications of the host). */
static void parse_cookies(web_request *r)
{
    for (size_t h = 0; h < r->headers.count; h++) {
        if (strcasecmp(r->headers.items[h].name, "Cookie") != 0)
            continue;
        const char *s = r->headers.items[h].value;
        while (*s) {
            while (*s == ' ' || *s == ';')
                s++;
            const char *end = strchr(s, ';');
            if (!end)
                end = s + strlen(s);
            const char *eq = memchr(s, '=', (size_t)(end - s));
            if (eq && eq > s) {
                const char *v = eq + 1;
                size_t vn = (size_t)(end - v);
                while (vn && v[vn - 1] == ' ')
                    vn--;
                if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
                    v++;
                    vn -= 2;
                }
                char *name = web_strndup(r, s, (size_t)(eq - s));
                char *value = web_strndup(r, v, vn);
                if (text_is_utf8(name, strlen(name), NULL) && text_is_utf8(value, vn, NULL))
                    params_add(&r->cookies, name, value, vn);
            }
            s = end;
        }
    }
}

/* The value of parameter `name` in a header value such as
 * `form-data; name="file"; filename="a.csv"` or `multipart/form-data; boundary=x`,
 * copied into request memory; NULL when absent. */
static char *header_param(web_request *r, const char *value, const char *name)
{
    size_t n = strlen(name);
    const char *p = value;
    while ((p = strchr(p, ';')) != NULL) {
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncasecmp(p, name, n) != 0 || p[n] != '=')
            continue;
        p += n + 1;
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end)
                return NULL;
            return web_strndup(r, p + 1, (size_t)(end - p - 1));
        }
        size_t len = strcspn(p, "; \t");
        return web_strndup(r, p, len);
    }
    return NULL;
}

/* Finds needle in hay[0..n). */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || n < m)
        return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

/* Parses a multipart/form-data body: text fields into r->form, files into
 * r->uploads. Returns 0, or -1 when the body is malformed. */
static int parse_multipart(web_request *r)
{
    const char *boundary = header_param(r, web_header(r, "Content-Type"), "boundary");
    if (!boundary || !*boundary || strlen(boundary) > 200)
        return -1;
    char *delim = web_alloc(r, strlen(boundary) + 5);
    sprintf(delim, "\r\n--%s", boundary);
    size_t dn = strlen(delim);
    const char *body = r->body;
    size_t n = r->body_len;

    /* The first delimiter may come without the leading CRLF. */
    const char *p;
    if (n >= dn - 2 && memcmp(body, delim + 2, dn - 2) == 0)
        p = body + dn - 2;
    else if ((p = find_bytes(body, n, delim, dn)) != NULL)
        p += dn;
    else
        return -1;

    size_t cap_uploads = 0;
    for (;;) {
        const char *end = body + n;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return 0;                                   /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return -1;
        p += 2;
        const char *head_end = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!head_end)
            return -1;
        char *disposition = NULL, *ctype = NULL;
        const char *line = p;
        while (line < head_end) {
            const char *eol = find_bytes(line, (size_t)(head_end + 2 - line), "\r\n", 2);
            if (!eol) eol = head_end;
            char *h = web_strndup(r, line, (size_t)(eol - line));
            if (strncasecmp(h, "Content-Disposition:", 20) == 0)
                disposition = h + 20;
            else if (strncasecmp(h, "Content-Type:", 13) == 0)
                ctype = h + 13 + strspn(h + 13, " \t");
            line = eol + 2;
        }
        const char *data = head_end + 4;
        const char *next = find_bytes(data, (size_t)(end - data), delim, dn);
        if (!disposition || !next)
            return -1;
        size_t len = (size_t)(next - data);
        char *name = header_param(r, disposition, "name");
        char *filename = header_param(r, disposition, "filename");
        if (!name || !text_is_utf8(name, strlen(name), NULL))
            return -1;
        if (filename) {
            if (r->n_uploads == cap_uploads) {
                cap_uploads = cap_uploads ? cap_uploads * 2 : 4;
                r->uploads = xrealloc(r->uploads, cap_uploads * sizeof *r->uploads);
            }
            web_upload *u = &r->uploads[r->n_uploads++];
            u->field = name;
            u->filename = text_is_utf8(filename, strlen(filename), NULL) ? filename : "";
            u->content_type = ctype ? ctype : "application/octet-stream";
            u->data = web_strndup(r, data, len);
            u->len = len;
        } else {
            char *value = web_strndup(r, data, len);
            if (!text_is_utf8(value, len, NULL))
                return -1;
            params_add(&r->form, name, value, len);
        }
        p = next + dn;
    }
}

/* Does the path have a segment "." or ".."? */
static int has_dot_segment(const char *path)
{
    for (const char *seg = path; seg; seg = strchr(seg + 1, '/')) {
        size_t n = strcspn(seg + 1, "/");
        if ((n == 1 && seg[1] == '.') || (n == 2 && seg[1] == '.' && seg[2] == '.'))
            return 1;
    }
    return 0;
}

/* Refuses the request with status and message; returns -1. */
static int refuse(web_request *r, int status, const char *message)
{
    if (!r->refuse_status) {
        r->refuse_status = status;
        r->refuse_message = message;
    }
    return -1;
}

size_t web_request_body_limit(const web_request *r)
{
    const web_config *c = web_app_config(r->app);
    if (!r->user)
        return c->max_body_anonymous ? c->max_body_anonymous : WEB_MAX_BODY_ANONYMOUS;
    if (r->route && (r->route->flags & WEB_UPLOAD) && (r->route->roles & r->user->role))
        return c->max_upload ? c->max_upload : WEB_MAX_UPLOAD;
    return c->max_body ? c->max_body : WEB_MAX_BODY;
}

int web_request_body_streamed(const web_request *r)
{
    const web_config *c = web_app_config(r->app);
    return web_request_body_limit(r) > (c->max_body ? c->max_body : WEB_MAX_BODY);
}

int web_temporary_file(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/itss-upload-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

int web_request_body_append(web_request *r, const void *data, size_t len)
{
    if (!web_request_body_streamed(r)) {
        buf_append(&r->body_buf, data, len);
        return 0;
    }
    if (r->body_fd < 0 && (r->body_fd = web_temporary_file()) < 0)
        return -1;
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(r->body_fd, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
        r->body_file_len += (size_t)n;
    }
    return 0;
}

/* Maps a streamed body (with a NUL after it) as r->body. Returns 0, or -1. */
static int map_body_file(web_request *r)
{
    if (write(r->body_fd, "", 1) != 1)
        return -1;
    void *m = mmap(NULL, r->body_file_len + 1, PROT_READ, MAP_PRIVATE, r->body_fd, 0);
    if (m == MAP_FAILED)
        return -1;
    r->body_map = m;
    r->body = m;
    r->body_len = r->body_file_len;
    return 0;
}

/* ---- The client's address behind a proxy ------------------------------------- */

/* Parses "ADDRESS" or "ADDRESS/BITS" (IPv4 or IPv6) into family, 16 bytes and a
 * prefix length. Returns 1, or 0 when it is neither. */
static int parse_cidr(const char *text, size_t n, int *family, unsigned char addr[16], int *bits)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp)
        return 0;
    memcpy(tmp, text, n);
    tmp[n] = '\0';
    char *slash = strchr(tmp, '/');
    if (slash)
        *slash = '\0';
    memset(addr, 0, 16);
    if (inet_pton(AF_INET, tmp, addr) == 1)
        *family = AF_INET;
    else if (inet_pton(AF_INET6, tmp, addr) == 1)
        *family = AF_INET6;
    else
        return 0;
    int max = *family == AF_INET ? 32 : 128;
    int64_t b = max;
    if (slash && !web_parse_int(slash + 1, 0, max, &b))
        return 0;
    *bits = (int)b;
    return 1;
}

int web_cidr_list_valid(const char *list)
{
    if (!list || !*list)
        return 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        int family, bits;
        unsigned char a[16];
        while (n && p[n - 1] == ' ')
            n--;
        if (!parse_cidr(p, n, &family, a, &bits))
            return 0;
        p += strcspn(p, ",");
        if (*p == ',')
            p++;
        while (*p == ' ')
            p++;
    }
    return 1;
}

/* Is address (text) inside one of the CIDR blocks of list ("A/N,B/M")? */
static int address_in(const char *address, const char *list)
{
    int fam, bits;
    unsigned char a[16];
    if (!list || !parse_cidr(address, strlen(address), &fam, a, &bits))
        return 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && p[m - 1] == ' ')
            m--;
        int f2, b2;
        unsigned char net[16];
        if (parse_cidr(p, m, &f2, net, &b2) && f2 == fam) {
            int whole = b2 / 8, rest = b2 % 8;
            if (memcmp(a, net, (size_t)whole) == 0 &&
                (rest == 0 || ((a[whole] ^ net[whole]) & (0xff << (8 - rest)) & 0xff) == 0))
                return 1;
        }
        p += n;
        if (*p == ',')
            p++;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* When the peer is a trusted proxy, the client's address is the last address
 * of X-Forwarded-For that is not itself a trusted proxy (what comes before it
 * was written by the client and proves nothing). Several X-Forwarded-For
 * headers count as one list. */
static void take_forwarded_address(web_request *r)
{
    const char *trusted = web_app_config(r->app)->trusted_proxy;
    if (!trusted || !*trusted || !address_in(r->peer, trusted))
        return;
    const char *chosen = NULL;
    for (size_t h = r->headers.count; h-- > 0 && !chosen;) {
        if (strcasecmp(r->headers.items[h].name, "X-Forwarded-For") != 0)
            continue;
        const char *v = r->headers.items[h].value;
        size_t end = strlen(v);
        while (end > 0 && !chosen) {
            size_t start = end;
            while (start > 0 && v[start - 1] != ',')
                start--;
            size_t a = start, b = end;
            while (a < b && (v[a] == ' ' || v[a] == '\t')) a++;
            while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t')) b--;
            char one[64];
            int fam, bits;
            unsigned char bytes[16];
            if (b - a >= sizeof one || !parse_cidr(v + a, b - a, &fam, bytes, &bits) || memchr(v + a, '/', b - a))
                return;                     /* garbage: keep the proxy's own address */
            memcpy(one, v + a, b - a);
            one[b - a] = '\0';
            if (!address_in(one, trusted))
                chosen = web_strdup(r, one);
            end = start ? start - 1 : 0;
        }
    }
    if (chosen)
        r->address = chosen;
}

int web_request_parse_head(web_request *r)
{
    if (r->refuse_status)
        return -1;
    parse_cookies(r);
    take_forwarded_address(r);

    /* The path: percent-decoded, UTF-8, absolute, no dot segments. */
    const char *uri = r->uri;
    if (uri[0] != '/')
        return refuse(r, 400, "the request target must be a path starting with /");
    const char *q = strchr(uri, '?');
    size_t path_len = q ? (size_t)(q - uri) : strlen(uri);
    char *path = url_decode(r, uri, path_len, 0);
    if (!path)
        return refuse(r, 400, "the path is not valid UTF-8");
    for (const char *s = path; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
            return refuse(r, 400, "the path holds a control character or a backslash");
    if (has_dot_segment(path))
        return refuse(r, 400, "the path holds a dot segment");
    r->path = path;
    if (q) {
        r->query_string = web_strdup(r, q + 1);
        if (parse_urlencoded(r, q + 1, strlen(q + 1), &r->query) < 0)
            return refuse(r, 400, "the query string is not valid UTF-8");
    }
    return 0;
}

int web_request_parse(web_request *r)
{
    if (r->refuse_status)
        return -1;
    if (r->body_buf.len + r->body_file_len > web_request_body_limit(r))
        return refuse(r, 413, "the request body is too large");
    if (r->body_fd >= 0) {
        if (map_body_file(r) < 0)
            return refuse(r, 503, "the upload could not be kept (disk full?)");
    } else {
        r->body = r->body_buf.data ? r->body_buf.data : "";
        r->body_len = r->body_buf.len;
    }
    if (r->body_len == 0)
        return 0;
    if (content_type_is(r, "application/x-www-form-urlencoded")) {
        if (parse_urlencoded(r, r->body, r->body_len, &r->form) < 0)
            return refuse(r, 400, "a form field is not valid UTF-8");
    } else if (content_type_is(r, "multipart/form-data")) {
        if (parse_multipart(r) < 0)
            return refuse(r, 400, "the multipart form is malformed");
    } else if (content_type_is(r, "application/json")) {
        r->is_json = 1;
        if (!text_is_utf8(r->body, r->body_len, NULL))
            return refuse(r, 400, "the JSON body is not valid UTF-8");
    }
    return 0;
}

/* ---- Answers ------------------------------------------------------------------ */

void web_add_header(web_request *r, const char *name, const char *value)
{
    const char *v = web_strdup(r, value);
    params_add(&r->res.headers, web_strdup(r, name), v, strlen(v));
}

void web_set_cookie(web_request *r, const char *name, const char *value, long max_age_s)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
    if (max_age_s >= 0)
        buf_printf(&b, "; Max-Age=%ld", max_age_s);
    if (web_app_config(r->app)->secure_cookies)
        buf_puts(&b, "; Secure");
    web_add_header(r, "Set-Cookie", b.data);
    buf_free(&b);
}

int web_is_local_path(const char *path)
{
    if (!path || path[0] != '/' || path[1] == '/' || path[1] == '\\')
        return 0;
    for (const char *s = path; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\\')
            return 0;
    return strlen(path) < 2000;
}

void web_redirect(web_request *r, const char *path)
{
    r->res.status = 303;
    web_add_header(r, "Location", web_is_local_path(path) ? path : "/");
    buf_reset(r->out);
}

void web_json_begin(web_request *r, int status)
{
    r->res.status = status;
    r->res.content_type = "application/json";
    buf_reset(r->out);
}

void web_reply_file(web_request *r, int fd, uint64_t len, const char *content_type)
{
    if (r->res.file_fd > 0)
        close(r->res.file_fd);
    buf_reset(&r->res.body);
    r->res.status = 200;
    r->res.content_type = content_type;
    r->res.file_fd = fd;
    r->res.file_len = len;
}

const void *web_response_body(const web_request *r, size_t *len)
{
    if (r->res.fixed_body) {
        *len = r->res.fixed_len;
        return r->res.fixed_body;
    }
    *len = r->res.body.len;
    return r->res.body.data ? r->res.body.data : "";
}

void web_response_headers(const web_request *r, void (*fn)(const char *name, const char *value, void *ctx),
                          void *ctx)
{
    for (size_t i = 0; i < r->res.headers.count; i++)
        fn(r->res.headers.items[i].name, r->res.headers.items[i].value, ctx);
}

const char *web_status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return status < 400 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
    }
}
