/* text.c - Unicode text: validation, NFKC folding, display width (see text.h).
 *
 * Validation is done here rather than with utf8proc_iterate() so that the rules
 * are plain to read: no overlong forms, no surrogates, nothing above U+10FFFF,
 * no NUL. Folding and widths come from utf8proc's tables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

/* Decodes one UTF-8 sequence at s[0..len). Returns its length in bytes and the
 * code point in *cp, or 0 when the bytes there are not a valid sequence. */
static size_t decode(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned char c = s[0];
    size_t n, i;
    int32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; v = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;   /* continuation byte, C0/C1 overlong lead, or F5..FF */
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* Checks s[0..len) for UTF-8 without NUL; reports the first bad offset. */
int text_is_utf8(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    int32_t cp;

    while (i < len) {
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0 || cp == 0) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

/* NFKC + case fold of s into new memory (caller frees); NULL when s is not
 * valid UTF-8. */
char *text_fold(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n;

    if (s == NULL || !text_is_utf8(s, strlen(s), NULL))
        return NULL;
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                     UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
    if (n < 0)
        return NULL;
    return (char *)out;
}

/* Columns one code point takes: utf8proc's East Asian width, with control
 * characters counted as nothing. */
static int char_width(int32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    return utf8proc_charwidth(cp);
}

/* Terminal columns of s. A byte that is not valid UTF-8 counts one column, as a
 * terminal shows it as one replacement character. */
int text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    int w = 0;
    int32_t cp;

    while (i < len) {
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0) {
            w += 1;
            i += 1;
        } else {
            w += char_width(cp);
            i += n;
        }
    }
    return w;
}

/* Bytes of s that fit in width columns. Zero-width characters that follow the
 * last character that fits stay with it, so a base character is never parted
 * from its combining marks. */
size_t text_fit(const char *s, int width)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    int used = 0;
    int32_t cp;

    while (i < len) {
        size_t n = decode(p + i, len - i, &cp);
        int w;
        if (n == 0) {
            n = 1;
            w = 1;
        } else {
            w = char_width(cp);
        }
        if (used + w > width)
            break;
        used += w;
        i += n;
    }
    return i;
}

/* 1-based character column of byte offset within the line at line_start:
 * one more than the number of characters (lead bytes) before it. */
int text_column(const char *line_start, size_t offset)
{
    const unsigned char *p = (const unsigned char *)line_start;
    size_t i;
    int col = 1;

    for (i = 0; i < offset; i++)
        if ((p[i] & 0xC0) != 0x80)
            col++;
    return col;
}
