/* buf.h - one growable byte buffer for all output.
 *
 * Everything itss shows is rendered into a buf first and sent or written after.
 * The plain appenders copy bytes as they are; the escaping appenders (JSON, CSV,
 * HTML) are the default way to put data into output. buf_raw() is the one raw
 * write of markup and is meant to be rare and easy to grep for. */
#ifndef ITSS_BUF_H
#define ITSS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;    /* always NUL-terminated when len > 0 or after buf_init */
    size_t len;
    size_t cap;
} buf;

void buf_init(buf *b);
/* Releases the memory; the buf is empty and reusable afterwards. */
void buf_free(buf *b);
void buf_reset(buf *b);
/* Hands the bytes to the caller (who frees them) and leaves the buf empty. */
char *buf_detach(buf *b);

void buf_append(buf *b, const void *data, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Appends s followed by spaces up to a display width of `width` columns
 * (East Asian wide characters count two). */
void buf_pad(buf *b, const char *s, int width);

/* Escaping appenders. */
void buf_json_str(buf *b, const char *s);     /* "..." with JSON escapes */
void buf_csv_field(buf *b, const char *s);    /* quoted when needed, "" doubled */
void buf_html(buf *b, const char *s);         /* text and attribute safe: & < > " ' */
/* Appends markup as it is. Rare by design: grep for buf_raw. */
void buf_raw(buf *b, const char *markup);

#endif
