/* buf.c - the growable output buffer and its escaping appenders (see buf.h). */
#include "buf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes b an empty buffer that owns no memory yet. */
void buf_init(buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void buf_free(buf *b)
{
    free(b->data);
    buf_init(b);
}

/* Empties b but keeps its memory for reuse. */
void buf_reset(buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

/* Returns the bytes (NUL-terminated, never NULL); the caller frees them. */
char *buf_detach(buf *b)
{
    char *d = b->data;
    if (!d) { d = malloc(1); if (!d) abort(); d[0] = '\0'; }
    buf_init(b);
    return d;
}

static void buf_grow(buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) { fputs("itss: out of memory\n", stderr); abort(); }
    b->data = d;
    b->cap = cap;
}

void buf_append(buf *b, const void *data, size_t len)
{
    buf_grow(b, len);
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
    if (b->len + 2 <= b->cap) {    /* the common case: room for the byte and the NUL */
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    buf_append(b, &c, 1);
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0) return;
    buf_grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Appends s and pads with spaces to `width` display columns. */
void buf_pad(buf *b, const char *s, int width)
{
    buf_puts(b, s);
    for (int w = text_width(s); w < width; w++) buf_putc(b, ' ');
}

/* Appends s as a JSON string literal. */
void buf_json_str(buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '<': buf_puts(b, "\\u003c"); break;   /* safe inside <script> and HTML */
        default:
            if (*p < 0x20) buf_printf(b, "\\u%04x", *p);
            else buf_putc(b, (char)*p);
        }
    }
    buf_putc(b, '"');
}

/* Appends s as one CSV field, quoted when it holds a comma, quote, CR or LF. */
void buf_csv_field(buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[0] != '\0') { buf_puts(b, s); return; }
    if (s[0] == '\0') return;
    buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

/* Appends s escaped for HTML text and attribute values. Runs of characters
 * that need no escape are copied at once: pages are mostly such runs. */
void buf_html(buf *b, const char *s)
{
    const char *run = s;
    for (const char *p = s;; p++) {
        const char *entity;
        switch (*p) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        case '\0': buf_append(b, run, (size_t)(p - run)); return;
        default: continue;
        }
        buf_append(b, run, (size_t)(p - run));
        buf_puts(b, entity);
        run = p + 1;
    }
}

/* The one raw write of markup. */
void buf_raw(buf *b, const char *markup)
{
    buf_puts(b, markup);
}
