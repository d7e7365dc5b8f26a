/* svg_chart.c - radar, bar, stacked-bar and heat-table charts as SVG (see svg_chart.h).
 *
 * Each chart draws its body into a scratch buf while it keeps the bounding box
 * of everything drawn (text by an estimate of its width), then writes the
 * <svg> element with a viewBox around that box, the <title> and <desc>, and the
 * body. So nothing is cut off, whatever the labels are, and the page only has to
 * give the chart a width. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg_chart.h"
#include "text.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define FONT_FAMILY "'Noto Sans JP','Noto Sans CJK JP','Hiragino Kaku Gothic ProN','Hiragino Sans'," \
                    "'Yu Gothic',Meiryo,system-ui,sans-serif"
#define INK       "#1c2430"
#define INK_SOFT  "#4a5565"
#define MUTED     "#6b7585"
#define GRID      "#d8dee6"
#define GRID_SOFT "#e9edf2"
#define GRID_EDGE "#a9b3bf"
#define TRACK     "#f1f4f7"

#define LABEL_WRAP 18       /* labels wider than this many columns take two lines */

/* Series colours and dash patterns, by position: distinct in colour and, for
 * print in grey, in line pattern. */
static const char *const series_colour[SVG_SERIES_MAX] = {
    "#1f7a6f", "#c2410c", "#1a5fb4", "#7b3fa0", "#8a5a00", "#4a5565"
};
static const char *const series_dash[SVG_SERIES_MAX] = {
    NULL, "6 4", "2 3", "8 3 2 3", "4 2", "1 3"
};

/* ---- Text ------------------------------------------------------------------- */

/* Decodes one UTF-8 sequence at s[0..len): its length, or 0 when it is not a
 * valid sequence (overlong, surrogate, beyond U+10FFFF, cut short). */
static size_t utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
    unsigned char c = s[0];
    size_t n, i;
    int32_t v, min;

    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (len < n) return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

/* Appends s[0..len) as XML character data that is also safe in an attribute:
 * & < > " ' escaped, bytes that are not UTF-8 (and U+FFFE, U+FFFF) as U+FFFD,
 * tabs and line breaks as spaces, other control characters left out. */
static void put_text_n(buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        int32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            buf_puts(b, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        switch (cp) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        case '\t': case '\n': case '\r': buf_putc(b, ' '); break;
        default:
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) break;
            if (cp == 0xFFFE || cp == 0xFFFF) buf_puts(b, "\xEF\xBF\xBD");
            else buf_append(b, p + i, n);
        }
        i += n;
    }
}

/* put_text_n for a NUL-terminated string; NULL writes nothing. */
static void put_text(buf *b, const char *s)
{
    if (s) put_text_n(b, s, strlen(s));
}

/* Display columns of the one character at s[0..n). */
static int char_columns(const char *s, size_t n)
{
    char one[5];
    if (n > 4) n = 4;
    memcpy(one, s, n);
    one[n] = '\0';
    return text_width(one);
}

/* Estimated drawn width of s[0..len) at font size fs: a wide character is one
 * em, a narrow one 0.6 em (a little more than most Latin letters, so that the
 * box around the chart errs on the roomy side). */
static double text_extent(const char *s, size_t len, double fs)
{
    const unsigned char *p = (const unsigned char *)s;
    double w = 0;
    size_t i = 0;

    while (i < len) {
        int32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) { w += fs; i++; continue; }
        int cols = char_columns(s + i, n);
        w += cols >= 2 ? fs : cols == 1 ? 0.6 * fs : 0;
        i += n;
    }
    return w;
}

/* Scripts, for choosing where a label may break. */
enum script { SC_OTHER, SC_SPACE, SC_LATIN, SC_HIRAGANA, SC_KATAKANA, SC_KANJI };

/* The script of one code point (full-width Latin counts as Latin). */
static enum script script_of(int32_t cp)
{
    if (cp == ' ' || cp == 0x3000) return SC_SPACE;
    if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
        (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
        return SC_LATIN;
    if (cp >= 0x3041 && cp <= 0x309F) return SC_HIRAGANA;
    if ((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F)) return SC_KATAKANA;
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x3005) return SC_KANJI;
    return SC_OTHER;
}

/* Characters a line must not start with (small kana, the long-vowel mark,
 * closing brackets and punctuation: Japanese line-breaking rules). */
static int no_line_start(int32_t cp)
{
    static const int32_t list[] = {
        0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308E,
        0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE,
        0x30F5, 0x30F6, 0x30FC, 0x309B, 0x309C, 0xFF70, 0xFF9E, 0xFF9F,
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x30FB, 0xFF09, 0x300D, 0x300F, 0x3011, 0x3015,
        0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, ')', ']', '}', ',', '.', ':', ';', '!', '?', '%', 0xFF05
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (list[i] == cp) return 1;
    return 0;
}

/* Small katakana (ァ ィ ゥ ェ ォ ッ ャ ュ ョ ヮ ヵ ヶ): a break right after one
 * usually cuts a syllable from its word. */
static int small_kana(int32_t cp)
{
    switch (cp) {
    case 0x30A1: case 0x30A3: case 0x30A5: case 0x30A7: case 0x30A9: case 0x30C3:
    case 0x30E3: case 0x30E5: case 0x30E7: case 0x30EE: case 0x30F5: case 0x30F6:
        return 1;
    default:
        return 0;
    }
}

/* Characters a line must not end with (opening brackets). */
static int no_line_end(int32_t cp)
{
    return cp == '(' || cp == '[' || cp == '{' || cp == 0xFF08 || cp == 0x300C ||
           cp == 0x300E || cp == 0x3010 || cp == 0x3014;
}

/* Characters after which a break reads naturally. */
static int good_break_after(int32_t cp)
{
    return cp == '/' || cp == 0xFF0F || cp == 0x30FB || cp == 0x3001 || cp == 0xFF0C ||
           cp == ',' || cp == ')' || cp == 0xFF09 || cp == '-';
}

/* A label as drawn: one line, or two when it is too wide. */
typedef struct lines {
    const char *start[2];
    size_t len[2];
    int n;
} lines;

#define WRAP_CHARS 256      /* labels longer than this are broken near the middle by width alone */

/* Splits label into lines: one when it is at most `limit` columns wide, else
 * two of about equal width, breaking where Japanese typesetting allows (not
 * before small kana or ー, not inside a Latin word) and preferring a space, a
 * slash or 、, a change of script (katakana to kanji), and anything to a break
 * inside a katakana word. Spaces at the break go. Without a dictionary a long
 * katakana compound is cut near its middle (プロジェクト|マネジメント). */
static lines wrap_label(const char *label, int limit)
{
    lines L;
    size_t len = strlen(label);
    L.start[0] = label; L.len[0] = len; L.n = 1;
    L.start[1] = label + len; L.len[1] = 0;
    if (text_width(label) <= limit) return L;

    size_t off[WRAP_CHARS + 1];
    int32_t cps[WRAP_CHARS];
    int cum[WRAP_CHARS + 1];
    size_t n = 0, i = 0;
    const unsigned char *p = (const unsigned char *)label;
    cum[0] = 0;
    while (i < len && n < WRAP_CHARS) {
        int32_t cp;
        size_t k = utf8_decode(p + i, len - i, &cp);
        if (k == 0) { k = 1; cp = 0xFFFD; }
        off[n] = i;
        cps[n] = cp;
        cum[n + 1] = cum[n] + char_columns(label + i, k);
        n++;
        i += k;
    }
    off[n] = i;
    if (n < 2) return L;
    int total = cum[n] + text_width(label + i);   /* columns past WRAP_CHARS, if any */

    size_t best = 0;
    long best_score = 0;
    for (size_t j = 1; j < n; j++) {          /* break between character j-1 and j */
        int32_t a = cps[j - 1], c = cps[j];
        enum script sa = script_of(a), sc = script_of(c);
        long left = cum[j], right = total - cum[j];
        long score = labs(left - right);           /* columns out of balance */
        if (sa == SC_SPACE) score -= 14;
        else if (sc == SC_SPACE) score += 4;      /* breaks after the space instead */
        else if (good_break_after(a)) score -= 12;
        else if (sa != sc) score -= 6;
        else if (sa == SC_KATAKANA) {             /* inside a katakana word: the last resort */
            score += 6;
            if (small_kana(a)) score += 3;        /* ネッ|ト, ウェ|ア */
            if (c == 0x30F3) score += 4;          /* a line starting with ン */
        }
        if (no_line_start(c) || no_line_end(a)) score += 10000;
        if (sa == SC_LATIN && sc == SC_LATIN) score += 5000;
        if (best == 0 || score <= best_score) { best = j; best_score = score; }   /* ties: the longer first line */
    }
    size_t cut = off[best];
    size_t end0 = cut, start1 = cut;
    while (end0 > 0 && label[end0 - 1] == ' ') end0--;
    while (start1 < len && label[start1] == ' ') start1++;
    if (end0 == 0 || start1 == len) return L;
    L.len[0] = end0;
    L.start[1] = label + start1;
    L.len[1] = len - start1;
    L.n = 2;
    return L;
}

/* Width of the widest line at font size fs. */
static double lines_extent(const lines *L, double fs)
{
    double w = 0;
    for (int i = 0; i < L->n; i++) {
        double x = text_extent(L->start[i], L->len[i], fs);
        if (x > w) w = x;
    }
    return w;
}

/* ---- Numbers ----------------------------------------------------------------- */

/* Writes n in decimal (with a '-' when negative) into out, NUL-terminated, and
 * returns out. Charts write thousands of numbers: digits by integer division
 * cost a fraction of printf's format parsing. */
static const char *int_text(char out[24], long long n)
{
    unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    size_t i = 23;
    out[i] = '\0';
    do {
        out[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0)
        out[--i] = '-';
    return out + i;
}

/* Appends u in decimal. */
static void put_uint(buf *b, unsigned long long u)
{
    char digits[24];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    buf_append(b, digits + i, sizeof digits - i);
}

/* Appends n in decimal, with a '-' when negative. */
static void put_int(buf *b, long long n)
{
    char text[24];
    buf_puts(b, int_text(text, n));
}

/* Writes v rounded to `decimals` digits after '.', from integers only (no
 * printf of a double, so no locale's decimal comma); with trim, trailing zeros
 * and a bare '.' go. Magnitudes are capped at 1e12. */
static void put_fixed(buf *b, double v, int decimals, int trim)
{
    long long scale = 1;
    char frac[8];
    int d;

    if (decimals < 0) decimals = 0;
    if (decimals > 6) decimals = 6;
    if (v > 1e12) v = 1e12;
    if (v < -1e12) v = -1e12;
    for (d = 0; d < decimals; d++) scale *= 10;
    long long q = llround(v * (double)scale);
    unsigned long long u = q < 0 ? (unsigned long long)(-q) : (unsigned long long)q;
    unsigned long long ip = u / (unsigned long long)scale, fp = u % (unsigned long long)scale;
    if (q < 0) buf_putc(b, '-');
    put_uint(b, ip);
    for (d = decimals - 1; d >= 0; d--) {
        frac[d] = (char)('0' + fp % 10);
        fp /= 10;
    }
    if (trim)
        while (decimals > 0 && frac[decimals - 1] == '0') decimals--;
    if (decimals > 0) {
        buf_putc(b, '.');
        buf_append(b, frac, (size_t)decimals);
    }
}

/* Fixed decimals for pages and value labels (see svg_chart.h). */
void svg_number(buf *b, double v, int decimals)
{
    if (!isfinite(v)) { buf_putc(b, '-'); return; }
    put_fixed(b, v, decimals, 0);
}

/* A coordinate or length: at most two decimals, trailing zeros dropped. */
static void put_num(buf *b, double v)
{
    put_fixed(b, isfinite(v) ? v : 0, 2, 1);
}

/* Appends ` name="v"` with v as put_num writes it. */
static void put_attr_num(buf *b, const char *name, double v)
{
    buf_putc(b, ' ');
    buf_puts(b, name);
    buf_puts(b, "=\"");
    put_num(b, v);
    buf_putc(b, '"');
}

/* Appends ` name="value"` with value as it is: for the chart's own constants
 * (colours, dash patterns, opacities), never for text from outside. */
static void put_attr_text(buf *b, const char *name, const char *value)
{
    buf_putc(b, ' ');
    buf_puts(b, name);
    buf_puts(b, "=\"");
    buf_puts(b, value);
    buf_putc(b, '"');
}

/* A value for <desc> and value labels: up to two decimals, as needed. */
static void put_value(buf *b, double v)
{
    put_fixed(b, v, 2, 1);
}

/* ---- Layout ------------------------------------------------------------------- */

/* The box around everything drawn so far. */
typedef struct bbox {
    double x0, y0, x1, y1;
    int set;
} bbox;

/* Grows bb to hold the rectangle x0,y0 - x1,y1. */
static void bbox_add(bbox *bb, double x0, double y0, double x1, double y1)
{
    if (!bb->set) {
        bb->x0 = x0; bb->y0 = y0; bb->x1 = x1; bb->y1 = y1; bb->set = 1;
        return;
    }
    if (x0 < bb->x0) bb->x0 = x0;
    if (y0 < bb->y0) bb->y0 = y0;
    if (x1 > bb->x1) bb->x1 = x1;
    if (y1 > bb->y1) bb->y1 = y1;
}

/* Text placement: the font size, the distance between baselines, and the first
 * baseline below the top of a block (CJK glyphs reach about 0.88 em up). */
#define ASCENT 0.88
#define DESCENT 0.14

/* Height of a block of n lines. */
static double block_height(int n, double fs, double lh)
{
    return (ASCENT + DESCENT) * fs + (n - 1) * lh;
}

/* Appends ` text-anchor="anchor">`. */
static void put_anchor(buf *b, const char *anchor)
{
    buf_puts(b, " text-anchor=\"");
    buf_puts(b, anchor);
    buf_puts(b, "\">");
}

/* Writes a label as one <text> (a <tspan> per line) with its block's top at
 * `top`, anchored at x by `anchor` ("start", "middle", "end"), and adds its box. */
static void put_lines(buf *b, bbox *bb, const char *cls, const lines *L, double x, double top,
                      const char *anchor, double fs, double lh)
{
    double w = lines_extent(L, fs), h = block_height(L->n, fs, lh);
    double left = strcmp(anchor, "start") == 0 ? x : strcmp(anchor, "end") == 0 ? x - w : x - w / 2;
    bbox_add(bb, left, top, left + w, top + h);

    buf_puts(b, "<text class=\"");
    buf_puts(b, cls);
    buf_putc(b, '"');
    if (L->n == 1) {
        put_attr_num(b, "x", x);
        put_attr_num(b, "y", top + ASCENT * fs);
        put_anchor(b, anchor);
        put_text_n(b, L->start[0], L->len[0]);
    } else {
        put_anchor(b, anchor);
        for (int i = 0; i < L->n; i++) {
            buf_puts(b, "<tspan");
            put_attr_num(b, "x", x);
            put_attr_num(b, "y", top + ASCENT * fs + i * lh);
            buf_putc(b, '>');
            put_text_n(b, L->start[i], L->len[i]);
            buf_puts(b, "</tspan>");
        }
    }
    buf_puts(b, "</text>\n");
}

/* A single-line text whose visual middle is at y. */
static void put_text_at(buf *b, bbox *bb, const char *cls, const char *s, double x, double y,
                        const char *anchor, double fs, double lh)
{
    lines L = { { s, s + strlen(s) }, { strlen(s), 0 }, 1 };
    put_lines(b, bb, cls, &L, x, y - block_height(1, fs, lh) / 2, anchor, fs, lh);
}

/* Is id usable as an XML id prefix: a letter, then letters, digits, - or _? */
static int id_ok(const char *id)
{
    if (!id || !((*id >= 'A' && *id <= 'Z') || (*id >= 'a' && *id <= 'z'))) return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return 0;
    return strlen(id) <= 64;
}

/* Checks what every chart has: an id and a title. Returns 0 or -1 with *e set. */
static int check_common(const char *what, const char *id, const char *title, err *e)
{
    if (!id_ok(id)) {
        err_set(e, what, 0, 0, "id", "the id must start with a letter and hold only letters, "
                "digits, '-' and '_' (at most 64), got \"%s\"", id ? id : "(none)");
        return -1;
    }
    if (!title) {
        err_set(e, what, 0, 0, "title", "a chart needs a title");
        return -1;
    }
    return 0;
}

/* Checks that each of n labels is there; path names the list. */
static int check_labels(const char *what, const char *path, const char *const *labels, size_t n, err *e)
{
    if (!labels) {
        err_set(e, what, 0, 0, path, "the labels are missing");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (!labels[i]) {
            char at[64];
            snprintf(at, sizeof at, "%s[%zu]", path, i);
            err_set(e, what, 0, 0, at, "the label is missing");
            return -1;
        }
    return 0;
}

/* Writes the finished chart: <svg> with a viewBox around bb plus a margin,
 * <title>, <desc>, then the body. */
static void emit_svg(buf *out, const char *kind, const char *id, const char *title,
                     const buf *desc, const buf *body, const bbox *bb)
{
    const double margin = 6;
    double x0 = bb->set ? bb->x0 - margin : 0, y0 = bb->set ? bb->y0 - margin : 0;
    double w = bb->set ? bb->x1 - bb->x0 + 2 * margin : 1, h = bb->set ? bb->y1 - bb->y0 + 2 * margin : 1;

    buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"");
    put_num(out, floor(x0));
    buf_putc(out, ' ');
    put_num(out, floor(y0));
    buf_putc(out, ' ');
    put_num(out, ceil(w + (x0 - floor(x0))));
    buf_putc(out, ' ');
    put_num(out, ceil(h + (y0 - floor(y0))));
    buf_printf(out, "\" class=\"svg-chart %s\" role=\"img\" aria-labelledby=\"%s-title\" "
               "aria-describedby=\"%s-desc\" font-family=\"%s\" font-size=\"12\">\n",
               kind, id, id, FONT_FAMILY);
    buf_printf(out, "<title id=\"%s-title\">", id);
    put_text(out, title);
    buf_printf(out, "</title>\n<desc id=\"%s-desc\">", id);
    buf_append(out, desc->data ? desc->data : "", desc->len);
    buf_puts(out, "</desc>\n");
    buf_append(out, body->data ? body->data : "", body->len);
    buf_puts(out, "</svg>\n");
}

/* Starts a <desc> text with the summary (escaped). */
static void desc_start(buf *d, const char *summary)
{
    if (summary && *summary) {
        put_text(d, summary);
        buf_putc(d, ' ');
    }
}

/* A "nice" step for about `parts` intervals up to max: 1, 2, 2.5 or 5 times a
 * power of ten. */
static double nice_step(double max, int parts)
{
    double raw = max / parts;
    double mag = pow(10, floor(log10(raw)));
    static const double steps[] = { 1, 2, 2.5, 5, 10 };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * mag >= raw * (1 - 1e-9)) return steps[i] * mag;
    return 10 * mag;
}

/* Decimals needed to write a multiple of step exactly (at most 3). */
static int step_decimals(double step)
{
    int d = 0;
    while (d < 3 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9) d++;
    return d;
}

/* Is v a value at all? NaN (and an infinity) is a missing value. */
static int value_ok(double v)
{
    return isfinite(v);
}

/* v limited to lo..hi. */
static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- Legend ------------------------------------------------------------------- */

/* One legend entry's swatch. */
typedef enum swatch { SW_SERIES, SW_BOX } swatch;

/* Writes a legend below the chart: entries in rows centred on cx, each row at
 * most `width` wide. colour[i]/dash[i] draw the swatch of entry i. */
static void put_legend(buf *b, bbox *bb, const char *const *names, size_t n, swatch kind,
                       const char *const *colour, const char *const *dash, double cx, double width)
{
    const double fs = 12, lh = 16, sw = kind == SW_SERIES ? 24 : 12, gap = 6, spacing = 20;
    double y = bb->y1 + 18;
    size_t i = 0;

    buf_puts(b, "<g class=\"legend\" fill=\"" INK_SOFT "\">\n");
    while (i < n) {
        /* as many entries as fit in this row */
        size_t j = i;
        double row = 0;
        while (j < n) {
            double item = sw + gap + text_extent(names[j], strlen(names[j]), fs);
            double next = row + (j > i ? spacing : 0) + item;
            if (j > i && next > width) break;
            row = next;
            j++;
        }
        double x = cx - row / 2;
        for (size_t k = i; k < j; k++) {
            buf_puts(b, "<g class=\"legend-item legend-");
            put_uint(b, k);
            buf_puts(b, "\">");
            if (kind == SW_SERIES) {
                buf_puts(b, "<line");
                put_attr_num(b, "x1", x);
                put_attr_num(b, "y1", y);
                put_attr_num(b, "x2", x + sw);
                put_attr_num(b, "y2", y);
                put_attr_text(b, "stroke", colour[k]);
                buf_puts(b, " stroke-width=\"2.5\"");
                if (dash[k]) put_attr_text(b, "stroke-dasharray", dash[k]);
                buf_puts(b, "/><circle");
                put_attr_num(b, "cx", x + sw / 2);
                put_attr_num(b, "cy", y);
                buf_puts(b, " r=\"3.2\"");
                put_attr_text(b, "fill", k == 0 ? colour[k] : "#ffffff");
                put_attr_text(b, "stroke", colour[k]);
                buf_puts(b, " stroke-width=\"1.5\"/>");
            } else {
                buf_puts(b, "<rect");
                put_attr_num(b, "x", x);
                put_attr_num(b, "y", y - sw / 2);
                buf_printf(b, " width=\"12\" height=\"12\" rx=\"2\" fill=\"%s\" stroke=\"" GRID_EDGE
                           "\" stroke-width=\"0.5\"/>", colour[k]);
            }
            buf_putc(b, '\n');
            put_text_at(b, bb, "legend-label", names[k], x + sw + gap, y, "start", fs, lh);
            bbox_add(bb, x, y - 7, x + sw, y + 7);
            buf_puts(b, "</g>\n");
            x += sw + gap + text_extent(names[k], strlen(names[k]), fs) + spacing;
        }
        y += lh + 6;
        i = j;
    }
    buf_puts(b, "</g>\n");
}

/* ---- Radar chart -------------------------------------------------------------- */

/* Appends "x,y x,y ..." for a polygon through radius r[i] on each axis. */
static void put_radar_points(buf *b, const double *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)n;
        if (i) buf_putc(b, ' ');
        put_num(b, r[i] * cos(a));
        buf_putc(b, ',');
        put_num(b, r[i] * sin(a));
    }
}

/* Checks a radar chart's description. Returns 0 or -1 with *e set. */
static int radar_check(const svg_radar *c, err *e)
{
    const char *what = "radar chart";
    if (check_common(what, c->id, c->title, e)) return -1;
    if (c->n_axes < SVG_AXES_MIN || c->n_axes > SVG_AXES_MAX) {
        err_set(e, what, 0, 0, "axes", "a radar chart needs %d to %d axes, got %zu",
                SVG_AXES_MIN, SVG_AXES_MAX, c->n_axes);
        return -1;
    }
    if (check_labels(what, "axes", c->axes, c->n_axes, e)) return -1;
    if (c->max < 1 || c->max > 20) {
        err_set(e, what, 0, 0, "max", "the scale's top must be 1 to 20, got %d", c->max);
        return -1;
    }
    if (c->n_series > SVG_SERIES_MAX || (c->n_series > 0 && !c->series)) {
        err_set(e, what, 0, 0, "series", "a radar chart takes 0 to %d series, got %zu",
                SVG_SERIES_MAX, c->n_series);
        return -1;
    }
    for (size_t s = 0; s < c->n_series; s++)
        if (!c->series[s].name) {
            char at[48];
            snprintf(at, sizeof at, "series[%zu].name", s);
            err_set(e, what, 0, 0, at, "a series needs a name for the legend");
            return -1;
        }
    return 0;
}

/* The radar's <desc>: the summary, then per axis each series' value. */
static void radar_desc(buf *d, const svg_radar *c)
{
    const char *none = c->no_value ? c->no_value : "-";
    desc_start(d, c->summary);
    for (size_t i = 0; i < c->n_axes; i++) {
        if (i) buf_puts(d, "; ");
        put_text(d, c->axes[i]);
        if (c->n_series == 0) continue;
        buf_putc(d, ':');
        for (size_t s = 0; s < c->n_series; s++) {
            const svg_series *se = &c->series[s];
            buf_puts(d, s ? ", " : " ");
            put_text(d, se->name);
            buf_putc(d, ' ');
            if (se->values && value_ok(se->values[i])) put_value(d, se->values[i]);
            else put_text(d, none);
        }
    }
    if (c->n_axes) buf_putc(d, '.');
}

/* Draws series s of the radar c (polygon and markers) into body; r is room for
 * c->n_axes radii. */
static void put_radar_series(buf *body, const svg_radar *c, size_t s, double *r)
{
    const size_t n = c->n_axes;
    const double R = SVG_RADAR_RADIUS, max = c->max;
    const svg_series *se = &c->series[s];
    if (!se->values) return;
    for (size_t i = 0; i < n; i++)
        r[i] = value_ok(se->values[i]) ? R * clamp(se->values[i], 0, max) / max : 0;
    buf_puts(body, "<g class=\"series series-");
    put_uint(body, s);
    if (se->css_class && *se->css_class) {
        buf_putc(body, ' ');
        put_text(body, se->css_class);
    }
    buf_puts(body, "\">\n<polygon points=\"");
    put_radar_points(body, r, n);
    buf_putc(body, '"');
    put_attr_text(body, "fill", series_colour[s]);
    put_attr_text(body, "fill-opacity", s == 0 ? "0.2" : "0.05");
    put_attr_text(body, "stroke", series_colour[s]);
    buf_puts(body, " stroke-width=\"2\" stroke-linejoin=\"round\"");
    if (series_dash[s]) put_attr_text(body, "stroke-dasharray", series_dash[s]);
    buf_puts(body, "/>\n");
    for (size_t i = 0; i < n; i++) {
        if (!value_ok(se->values[i])) continue;
        double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)n;
        buf_puts(body, "<circle class=\"marker\"");
        put_attr_num(body, "cx", r[i] * cos(a));
        put_attr_num(body, "cy", r[i] * sin(a));
        buf_puts(body, " r=\"3.2\"");
        put_attr_text(body, "fill", s == 0 ? series_colour[s] : "#ffffff");
        put_attr_text(body, "stroke", series_colour[s]);
        buf_puts(body, " stroke-width=\"1.5\"/>\n");
    }
    buf_puts(body, "</g>\n");
}

/* Draws the radar (see svg_chart.h): grid, axes, series, scale numbers, labels,
 * legend, in that order so that later parts lie on top. */
int svg_radar_chart(buf *out, const svg_radar *c, err *e)
{
    if (!out || !c) {
        err_set(e, "radar chart", 0, 0, "", "no chart given");
        return -1;
    }
    if (radar_check(c, e)) return -1;

    const size_t n = c->n_axes;
    const double R = SVG_RADAR_RADIUS, max = c->max;
    double r[SVG_AXES_MAX];
    buf body, desc;
    bbox bb = { 0, 0, 0, 0, 0 };
    buf_init(&body);
    buf_init(&desc);
    bbox_add(&bb, -R, -R, R, R);

    /* grid: one ring per level, the outer one stronger, and the axes */
    buf_puts(&body, "<g class=\"grid\" fill=\"none\" stroke=\"" GRID "\" stroke-width=\"1\">\n");
    for (int k = 1; k <= c->max; k++) {
        for (size_t i = 0; i < n; i++) r[i] = R * k / max;
        buf_puts(&body, "<polygon class=\"ring ring-");
        put_int(&body, k);
        buf_putc(&body, '"');
        if (k == c->max) buf_puts(&body, " stroke=\"" GRID_EDGE "\"");
        buf_puts(&body, " points=\"");
        put_radar_points(&body, r, n);
        buf_puts(&body, "\"/>\n");
    }
    buf_puts(&body, "</g>\n<g class=\"axis\" stroke=\"" GRID "\" stroke-width=\"1\">\n");
    for (size_t i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)n;
        buf_puts(&body, "<line x1=\"0\" y1=\"0\"");
        put_attr_num(&body, "x2", R * cos(a));
        put_attr_num(&body, "y2", R * sin(a));
        buf_puts(&body, "/>\n");
    }
    buf_puts(&body, "</g>\n");

    /* series, the last first so that the first is on top */
    for (size_t s = c->n_series; s-- > 0;)
        put_radar_series(&body, c, s, r);

    /* level numbers up the first axis, with a white halo over the polygons */
    buf_puts(&body, "<g class=\"scale\" font-size=\"9\" fill=\"" MUTED "\" stroke=\"#ffffff\" "
             "stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\n");
    for (int k = 1; k <= c->max; k++) {
        char num[24];
        put_text_at(&body, &bb, "scale-label", int_text(num, k), 5, -R * k / max + 5, "start", 9, 11);
    }
    buf_puts(&body, "</g>\n");

    /* axis labels outside the outer ring, anchored away from it */
    const double fs = 13, lh = 16, gap = 12;
    buf_puts(&body, "<g class=\"labels\" fill=\"" INK "\" font-size=\"13\">\n");
    for (size_t i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)n;
        double ca = cos(a), sa = sin(a);
        double px = (R + gap) * ca, py = (R + gap) * sa;
        lines L = wrap_label(c->axes[i], LABEL_WRAP);
        double h = block_height(L.n, fs, lh);
        const char *anchor = ca > 0.3 ? "start" : ca < -0.3 ? "end" : "middle";
        double top = py - h / 2 + sa * h / 2;
        if (fabs(ca) <= 0.3 && sa < 0) top -= 4;     /* clear of the markers on the top ring */
        put_lines(&body, &bb, "label", &L, px, top, anchor, fs, lh);
    }
    buf_puts(&body, "</g>\n");

    if (c->n_series > 0) {
        const char *names[SVG_SERIES_MAX];
        for (size_t s = 0; s < c->n_series; s++) names[s] = c->series[s].name;
        put_legend(&body, &bb, names, c->n_series, SW_SERIES, series_colour, series_dash, 0,
                   bb.x1 - bb.x0);
    }

    radar_desc(&desc, c);
    emit_svg(out, "radar-chart", c->id, c->title, &desc, &body, &bb);
    buf_free(&body);
    buf_free(&desc);
    return 0;
}

/* ---- Scales shared by the bar charts ---------------------------------------------- */

/* Light vertical lines at each tick from y0 to y1 and the tick values below,
 * for a scale 0..top drawn over `length`. */
static void put_ticks(buf *b, bbox *bb, double top, double step, double length, double y0, double y1,
                      const char *unit)
{
    int decimals = step_decimals(step);
    buf_puts(b, "<g class=\"tick-lines\" stroke=\"" GRID_SOFT "\" stroke-width=\"1\">\n");
    for (int k = 1; k * step <= top * (1 + 1e-9); k++) {
        double x = length * k * step / top;
        buf_puts(b, "<line");
        put_attr_num(b, "x1", x);
        put_attr_num(b, "y1", y0);
        put_attr_num(b, "x2", x);
        put_attr_num(b, "y2", y1);
        buf_puts(b, "/>\n");
    }
    buf_puts(b, "</g>\n<line class=\"axis\" x1=\"0\" x2=\"0\"");
    put_attr_num(b, "y1", y0);
    put_attr_num(b, "y2", y1);
    buf_puts(b, " stroke=\"" GRID_EDGE "\" stroke-width=\"1\"/>\n");
    buf_puts(b, "<g class=\"tick\" fill=\"" MUTED "\" font-size=\"10\">\n");
    for (int k = 0; k * step <= top * (1 + 1e-9); k++) {
        double t = k * step;
        buf tick;
        buf_init(&tick);
        put_fixed(&tick, t, decimals, 0);
        if (unit) buf_puts(&tick, unit);
        put_text_at(b, bb, "tick-label", tick.data, length * t / top, y1 + 10, "middle", 10, 12);
        buf_free(&tick);
    }
    buf_puts(b, "</g>\n");
}

/* The widest of n labels once wrapped at `limit` columns, and whether any wraps. */
static double labels_extent(const char *const *labels, size_t n, int limit, double fs, int *wraps)
{
    double w = 0;
    *wraps = 0;
    for (size_t i = 0; i < n; i++) {
        lines L = wrap_label(labels[i], limit);
        double x = lines_extent(&L, fs);
        if (x > w) w = x;
        if (L.n > 1) *wraps = 1;
    }
    return w;
}

/* ---- Bar chart ------------------------------------------------------------------ */

/* Draws the bar chart (see svg_chart.h): tracks, ticks, labels, bars and values. */
int svg_bar_chart(buf *out, const svg_bars *c, err *e)
{
    const char *what = "bar chart";
    if (!out || !c) {
        err_set(e, what, 0, 0, "", "no chart given");
        return -1;
    }
    if (check_common(what, c->id, c->title, e)) return -1;
    if (c->n < 1 || c->n > SVG_ROWS_MAX) {
        err_set(e, what, 0, 0, "labels", "a bar chart takes 1 to %d bars, got %zu", SVG_ROWS_MAX, c->n);
        return -1;
    }
    if (check_labels(what, "labels", c->labels, c->n, e)) return -1;
    if (!c->values) {
        err_set(e, what, 0, 0, "values", "the values are missing");
        return -1;
    }
    if (!(isfinite(c->max) && c->max > 0)) {
        err_set(e, what, 0, 0, "max", "the scale's top must be a number above 0");
        return -1;
    }
    if (c->decimals < 0 || c->decimals > 3) {
        err_set(e, what, 0, 0, "decimals", "value labels take 0 to 3 decimals, got %d", c->decimals);
        return -1;
    }

    const double fs = 12, lh = 15, L = SVG_BAR_LENGTH, bar_h = 16;
    const char *none = c->no_value ? c->no_value : "-";
    int wraps;
    labels_extent(c->labels, c->n, LABEL_WRAP + 4, fs, &wraps);
    const double pitch = wraps ? 40 : 30;
    buf body, desc;
    bbox bb = { 0, 0, 0, 0, 0 };
    buf_init(&body);
    buf_init(&desc);
    bbox_add(&bb, 0, 0, L, c->n * pitch);

    /* tracks, then ticks over them, then bars */
    buf_puts(&body, "<g class=\"track\" fill=\"" TRACK "\">\n");
    for (size_t i = 0; i < c->n; i++) {
        buf_puts(&body, "<rect x=\"0\"");
        put_attr_num(&body, "y", i * pitch + (pitch - bar_h) / 2);
        put_attr_num(&body, "width", L);
        put_attr_num(&body, "height", bar_h);
        buf_puts(&body, "/>\n");
    }
    buf_puts(&body, "</g>\n");
    double step = nice_step(c->max, 4);
    put_ticks(&body, &bb, c->max, step, L, 0, c->n * pitch, c->unit);

    buf_puts(&body, "<g class=\"labels\" fill=\"" INK "\">\n");
    for (size_t i = 0; i < c->n; i++) {
        lines lab = wrap_label(c->labels[i], LABEL_WRAP + 4);
        double mid = i * pitch + pitch / 2;
        put_lines(&body, &bb, "label", &lab, -10, mid - block_height(lab.n, fs, lh) / 2, "end", fs, lh);
    }
    buf_puts(&body, "</g>\n<g class=\"bars\">\n");
    for (size_t i = 0; i < c->n; i++) {
        double v = c->values[i], mid = i * pitch + pitch / 2, end = 0;
        buf value;
        buf_init(&value);
        if (value_ok(v)) {
            end = L * clamp(v, 0, c->max) / c->max;
            buf_puts(&body, "<rect class=\"bar\" x=\"0\"");
            put_attr_num(&body, "y", mid - bar_h / 2);
            put_attr_num(&body, "width", end);
            put_attr_num(&body, "height", bar_h);
            buf_puts(&body, " fill=\"#1f7a6f\"/>\n");
            put_fixed(&value, v, c->decimals, 0);
            if (c->unit) buf_puts(&value, c->unit);
        } else {
            buf_puts(&value, none);
        }
        buf_puts(&body, "<g class=\"value\" fill=\"" INK "\" font-weight=\"600\">");
        put_text_at(&body, &bb, "value-label", value.data, end + 6, mid, "start", fs, lh);
        buf_puts(&body, "</g>\n");
        buf_free(&value);
    }
    buf_puts(&body, "</g>\n");

    desc_start(&desc, c->summary);
    for (size_t i = 0; i < c->n; i++) {
        if (i) buf_puts(&desc, "; ");
        put_text(&desc, c->labels[i]);
        buf_puts(&desc, ": ");
        if (value_ok(c->values[i])) {
            put_fixed(&desc, c->values[i], c->decimals, 0);
            put_text(&desc, c->unit);
        } else {
            put_text(&desc, none);
        }
    }
    buf_putc(&desc, '.');
    emit_svg(out, "bar-chart", c->id, c->title, &desc, &body, &bb);
    buf_free(&body);
    buf_free(&desc);
    return 0;
}

/* ---- Matrix charts: heat table and stacked bars ------------------------------------ */

/* Checks a matrix chart's description. Returns 0 or -1 with *e set. */
static int matrix_check(const char *what, const svg_matrix *m, err *e)
{
    if (check_common(what, m->id, m->title, e)) return -1;
    if (m->n_rows < 1 || m->n_rows > SVG_ROWS_MAX) {
        err_set(e, what, 0, 0, "rows", "%s takes 1 to %d rows, got %zu", what, SVG_ROWS_MAX, m->n_rows);
        return -1;
    }
    if (m->n_columns < 1 || m->n_columns > SVG_COLUMNS_MAX) {
        err_set(e, what, 0, 0, "columns", "%s takes 1 to %d columns, got %zu", what, SVG_COLUMNS_MAX,
                m->n_columns);
        return -1;
    }
    if (check_labels(what, "rows", m->rows, m->n_rows, e)) return -1;
    if (check_labels(what, "columns", m->columns, m->n_columns, e)) return -1;
    if (!m->counts) {
        err_set(e, what, 0, 0, "counts", "the counts are missing");
        return -1;
    }
    for (size_t i = 0; i < m->n_rows * m->n_columns; i++)
        if (m->counts[i] < 0) {
            char at[64];
            snprintf(at, sizeof at, "counts[%zu][%zu]", i / m->n_columns, i % m->n_columns);
            err_set(e, what, 0, 0, at, "a count cannot be negative, got %d", m->counts[i]);
            return -1;
        }
    return 0;
}

/* The matrix's <desc>: per row, each column's count. */
static void matrix_desc(buf *d, const svg_matrix *m)
{
    desc_start(d, m->summary);
    for (size_t i = 0; i < m->n_rows; i++) {
        if (i) buf_puts(d, "; ");
        put_text(d, m->rows[i]);
        buf_putc(d, ':');
        for (size_t j = 0; j < m->n_columns; j++) {
            buf_puts(d, j ? ", " : " ");
            put_text(d, m->columns[j]);
            buf_putc(d, ' ');
            put_int(d, m->counts[i * m->n_columns + j]);
        }
    }
    buf_putc(d, '.');
}

/* A colour between two (0xRRGGBB) at t in 0..1, as "#rrggbb" into out[8]. */
static void mix(char out[8], unsigned from, unsigned to, double t)
{
    unsigned c[3];
    for (int k = 0; k < 3; k++) {
        int sh = 16 - 8 * k;
        double a = (from >> sh) & 0xFF, z = (to >> sh) & 0xFF;
        c[k] = (unsigned)lround(a + (z - a) * clamp(t, 0, 1));
    }
    snprintf(out, 8, "#%02x%02x%02x", c[0] & 0xFF, c[1] & 0xFF, c[2] & 0xFF);
}

/* A step of a light-to-dark teal ramp (t in 0..1), as "#rrggbb". */
static void ramp(char out[8], double t)
{
    static const unsigned stops[] = { 0xe0f2ee, 0x8fd0c3, 0x2f9485, 0x0b3f39 };
    double x = clamp(t, 0, 1) * 3;
    int k = (int)floor(x);
    if (k >= 3) k = 2;
    mix(out, stops[k], stops[k + 1], x - k);
}

/* Is the ramp dark enough at t that text on it should be white? */
static int ramp_dark(double t)
{
    return t > 0.45;
}

/* Draws the heat table (see svg_chart.h): column and row labels, then the cells. */
int svg_heat_table(buf *out, const svg_matrix *m, err *e)
{
    const char *what = "heat table";
    if (!out || !m) {
        err_set(e, what, 0, 0, "", "no chart given");
        return -1;
    }
    if (matrix_check(what, m, e)) return -1;

    const double fs = 12, lh = 15, gap = 2;
    const size_t nr = m->n_rows, nc = m->n_columns;
    int row_wraps, col_wraps, maxc = 0;
    labels_extent(m->rows, nr, LABEL_WRAP + 4, fs, &row_wraps);
    double colw = labels_extent(m->columns, nc, 12, fs, &col_wraps);
    const double cw = colw + 14 > 52 ? colw + 14 : 52, ch = row_wraps ? 38 : 30;
    const double head = block_height(col_wraps ? 2 : 1, fs, lh) + 8;
    for (size_t i = 0; i < nr * nc; i++)
        if (m->counts[i] > maxc) maxc = m->counts[i];

    buf body, desc;
    bbox bb = { 0, 0, 0, 0, 0 };
    buf_init(&body);
    buf_init(&desc);
    bbox_add(&bb, 0, -head, nc * cw, nr * ch);

    buf_puts(&body, "<g class=\"column-labels\" fill=\"" INK_SOFT "\" font-weight=\"600\">\n");
    for (size_t j = 0; j < nc; j++) {
        lines L = wrap_label(m->columns[j], 12);
        double h = block_height(L.n, fs, lh);
        put_lines(&body, &bb, "label column-label", &L, j * cw + cw / 2, -6 - h, "middle", fs, lh);
    }
    buf_puts(&body, "</g>\n<g class=\"row-labels\" fill=\"" INK "\">\n");
    for (size_t i = 0; i < nr; i++) {
        lines L = wrap_label(m->rows[i], LABEL_WRAP + 4);
        double h = block_height(L.n, fs, lh);
        put_lines(&body, &bb, "label row-label", &L, -10, i * ch + ch / 2 - h / 2, "end", fs, lh);
    }
    buf_puts(&body, "</g>\n<g class=\"cells\">\n");
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            int n = m->counts[i * nc + j];
            double t = maxc ? (double)n / maxc : 0;
            char fill[8], num[16];
            if (n == 0) memcpy(fill, "#f4f6f9", 8);
            else ramp(fill, 0.1 + 0.9 * t);
            buf_printf(&body, "<rect class=\"cell%s\"", n == 0 ? " empty" : "");
            put_attr_num(&body, "x", j * cw + gap / 2);
            put_attr_num(&body, "y", i * ch + gap / 2);
            put_attr_num(&body, "width", cw - gap);
            put_attr_num(&body, "height", ch - gap);
            buf_printf(&body, " rx=\"3\" fill=\"%s\"/>\n", fill);
            snprintf(num, sizeof num, "%d", n);
            buf_printf(&body, "<g class=\"count\" fill=\"%s\"%s>",
                       n == 0 ? MUTED : ramp_dark(0.1 + 0.9 * t) ? "#ffffff" : INK,
                       n == 0 ? "" : " font-weight=\"600\"");
            put_text_at(&body, &bb, "count-label", num, j * cw + cw / 2, i * ch + ch / 2, "middle", fs, lh);
            buf_puts(&body, "</g>\n");
        }
    buf_puts(&body, "</g>\n");

    matrix_desc(&desc, m);
    emit_svg(out, "heat-table", m->id, m->title, &desc, &body, &bb);
    buf_free(&body);
    buf_free(&desc);
    return 0;
}

/* Draws the stacked bars (see svg_chart.h) on a count scale with whole-number ticks. */
int svg_stacked_bars(buf *out, const svg_matrix *m, err *e)
{
    const char *what = "stacked bars";
    if (!out || !m) {
        err_set(e, what, 0, 0, "", "no chart given");
        return -1;
    }
    if (matrix_check(what, m, e)) return -1;

    const double fs = 12, lh = 15, L = SVG_BAR_LENGTH, bar_h = 18;
    const size_t nr = m->n_rows, nc = m->n_columns;
    int wraps;
    long tmax = 0;
    labels_extent(m->rows, nr, LABEL_WRAP + 4, fs, &wraps);
    const double pitch = wraps ? 40 : 30;
    for (size_t i = 0; i < nr; i++) {
        long t = 0;
        for (size_t j = 0; j < nc; j++) t += m->counts[i * nc + j];
        if (t > tmax) tmax = t;
    }
    double step = nice_step(tmax > 0 ? (double)tmax : 1, 4);
    if (step < 1) step = 1;
    step = ceil(step);
    double top = ceil((tmax > 0 ? (double)tmax : 1) / step) * step;

    char colours[SVG_COLUMNS_MAX][8];
    const char *colour[SVG_COLUMNS_MAX];
    for (size_t j = 0; j < nc; j++) {
        ramp(colours[j], nc == 1 ? 0.6 : 0.08 + 0.92 * (double)j / (double)(nc - 1));
        colour[j] = colours[j];
    }

    buf body, desc;
    bbox bb = { 0, 0, 0, 0, 0 };
    buf_init(&body);
    buf_init(&desc);
    bbox_add(&bb, 0, 0, L, nr * pitch);

    put_ticks(&body, &bb, top, step, L, 0, nr * pitch, NULL);
    buf_puts(&body, "<g class=\"labels\" fill=\"" INK "\">\n");
    for (size_t i = 0; i < nr; i++) {
        lines lab = wrap_label(m->rows[i], LABEL_WRAP + 4);
        double mid = i * pitch + pitch / 2;
        put_lines(&body, &bb, "label", &lab, -10, mid - block_height(lab.n, fs, lh) / 2, "end", fs, lh);
    }
    buf_puts(&body, "</g>\n<g class=\"bars\">\n");
    for (size_t i = 0; i < nr; i++) {
        double mid = i * pitch + pitch / 2, x = 0;
        long total = 0;
        buf_puts(&body, "<g class=\"bar row-");
        put_uint(&body, i);
        buf_puts(&body, "\">\n");
        for (size_t j = 0; j < nc; j++) {
            int n = m->counts[i * nc + j];
            if (n == 0) continue;
            double w = L * n / top, t = nc == 1 ? 0.6 : 0.08 + 0.92 * (double)j / (double)(nc - 1);
            char num[16];
            buf_puts(&body, "<rect class=\"seg seg-");
            put_uint(&body, j);
            buf_putc(&body, '"');
            put_attr_num(&body, "x", x);
            put_attr_num(&body, "y", mid - bar_h / 2);
            put_attr_num(&body, "width", w);
            put_attr_num(&body, "height", bar_h);
            buf_printf(&body, " fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n", colour[j]);
            snprintf(num, sizeof num, "%d", n);
            if (w >= text_extent(num, strlen(num), 11) + 6) {
                buf_printf(&body, "<g class=\"count\" fill=\"%s\" font-size=\"11\">",
                           ramp_dark(t) ? "#ffffff" : INK);
                put_text_at(&body, &bb, "count-label", num, x + w / 2, mid, "middle", 11, 13);
                buf_puts(&body, "</g>\n");
            }
            x += w;
            total += n;
        }
        char sum[24];
        snprintf(sum, sizeof sum, "%ld", total);
        buf_puts(&body, "<g class=\"value\" fill=\"" INK "\" font-weight=\"600\">");
        put_text_at(&body, &bb, "value-label", sum, x + 6, mid, "start", fs, lh);
        buf_puts(&body, "</g>\n</g>\n");
    }
    buf_puts(&body, "</g>\n");

    put_legend(&body, &bb, m->columns, nc, SW_BOX, colour, NULL, (bb.x0 + bb.x1) / 2, bb.x1 - bb.x0);

    matrix_desc(&desc, m);
    emit_svg(out, "stacked-bars", m->id, m->title, &desc, &body, &bb);
    buf_free(&body);
    buf_free(&desc);
    return 0;
}
