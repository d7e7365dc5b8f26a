/* web_json_write.c - the JSON answers (see web_json.h, "Writing"): jansson
 * values dumped once, compact, '<' as \u003c, and the standard error object.
 * Below the error answers (web_reply.c writes its JSON errors here), so it
 * answers nothing else itself. */
#include "web_json.h"

#include <stdlib.h>
#include <string.h>

/* A copy of s (len bytes) with every byte that does not start or continue a
 * UTF-8 sequence replaced by U+FFFD; caller frees. */
static char *utf8_mended(const char *s, size_t len)
{
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        size_t k = 1;
        while (n > 1 && k < n && i + k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k++;
        if (n == 0 || k < n)
            buf_puts(&b, "\xEF\xBF\xBD");
        else
            buf_append(&b, s + i, n);
        i += n && k == n ? n : 1;
    }
    char *out = b.data ? b.data : calloc(1, 1);
    return out;
}

json_t *web_json_text(const char *s)
{
    if (!s || !*s)
        return json_null();
    json_t *v = json_string(s);
    if (!v) {                   /* not UTF-8 (or overlong forms): mended */
        char *mended = utf8_mended(s, strlen(s));
        v = json_string(mended);
        free(mended);
    }
    return v ? v : json_null();
}

json_t *web_json_id(int64_t id)
{
    return id > 0 ? json_integer((json_int_t)id) : json_null();
}

/* JSON text a serializer wrote has '<' only inside strings: written as
 * \u003c, as in every answer (safe inside <script>). */
static void append_escaped(buf *b, const char *json)
{
    const char *start = json;
    for (const char *p = json; *p; p++) {
        if (*p == '<') {
            buf_append(b, start, (size_t)(p - start));
            buf_puts(b, "\\u003c");
            start = p + 1;
        }
    }
    buf_puts(b, start);
}

void web_json_error(web_request *r, int status, const char *code, const char *message, const char *field)
{
    json_t *error = json_object();
    json_object_set_new(error, "code", json_string(code));
    json_object_set_new(error, "message", web_json_text(message));
    json_object_set_new(error, "field", web_json_text(field));
    json_t *v = json_pack("{s:o}", "error", error);
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    web_json_begin(r, status);
    if (text)
        append_escaped(r->out, text);
    else                        /* out of memory: the same shape, in fixed words */
        buf_puts(r->out, "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\",\"field\":null}}");
    buf_putc(r->out, '\n');
    free(text);
}

/* Answers 500 in the standard error shape: what a writer does when its value
 * is missing or cannot be dumped (out of memory). */
static void internal_error(web_request *r)
{
    web_json_error(r, 500, "internal", web_t(r, "error.500.text"), NULL);
}

void web_json_answer(web_request *r, int status, char *text)
{
    if (!text) {
        internal_error(r);
        return;
    }
    web_json_begin(r, status);
    append_escaped(r->out, text);
    buf_putc(r->out, '\n');
    free(text);
}

void web_json_reply(web_request *r, int status, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    web_json_answer(r, status, text);
}

void web_json_reply_with(web_request *r, int status, json_t *o, const char *key, const char *text)
{
    char *members = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_EMBED) : NULL;
    json_t *name = json_string(key);
    char *quoted = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
    json_decref(name);
    json_decref(o);
    if (!members || !quoted) {
        free(members);
        free(quoted);
        internal_error(r);
        return;
    }
    web_json_begin(r, status);
    buf_putc(r->out, '{');
    append_escaped(r->out, members);
    if (*members)
        buf_putc(r->out, ',');
    append_escaped(r->out, quoted);
    buf_putc(r->out, ':');
    append_escaped(r->out, text);
    buf_puts(r->out, "}\n");
    free(members);
    free(quoted);
}
