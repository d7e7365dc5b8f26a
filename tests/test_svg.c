/* test_svg.c - the server-drawn charts: well-formed XML whatever the labels hold,
 * text escaped, shapes where the values put them (computed from the geometry
 * svg_chart.h documents), empty, zero, full and missing values drawn without NaN, bad
 * chart descriptions refused with nothing written.
 *
 * Well-formedness is checked by xmllint (Debian libxml2-utils, a test-only
 * need installed by scripts/deps.sh and .ci/run). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svg_chart.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- Helpers ----------------------------------------------------------------- */

/* Asserts that text is one well-formed XML document, by xmllint. */
static void assert_well_formed(const char *text)
{
    char path[] = "/tmp/itss-test-svg-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "xmllint --noout %s", path);
    int rc = system(cmd);
    if (rc != 0) {
        fprintf(stderr, "xmllint refused (exit %d; is libxml2-utils installed?) this SVG:\n%s\n", rc, text);
        unlink(path);
        fail_msg("not well-formed XML");
    }
    unlink(path);
}

/* Asserts that no number in the output is NaN or infinite, as printf spells them. */
static void assert_no_nan(const char *text)
{
    for (const char *p = text; *p; p++) {
        assert_false(strncasecmp(p, "nan", 3) == 0);
        assert_false(strncasecmp(p, "inf", 3) == 0);
    }
}

/* Copies the value of attribute `name` of the element that starts at elem (up to
 * its '>') into out; returns 0 when the element has no such attribute. */
static int attr(const char *elem, const char *name, char *out, size_t size)
{
    const char *end = strchr(elem, '>');
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *p = strstr(elem, key);
    if (!p || !end || p > end) return 0;
    p += strlen(key);
    const char *q = strchr(p, '"');
    size_t n = (size_t)(q - p) < size - 1 ? (size_t)(q - p) : size - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

/* A numeric attribute of the element at elem. */
static double attr_num(const char *elem, const char *name)
{
    char v[64];
    assert_true(attr(elem, name, v, sizeof v));
    return strtod(v, NULL);
}

/* Counts the occurrences of needle in text. */
static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* Parses "x,y x,y ..." into xs/ys; returns the number of points. */
static size_t parse_points(const char *points, double *xs, double *ys, size_t max)
{
    size_t n = 0;
    const char *p = points;
    while (*p && n < max) {
        char *end;
        xs[n] = strtod(p, &end);
        assert_true(*end == ',');
        ys[n] = strtod(end + 1, &end);
        n++;
        while (*end == ' ') end++;
        p = end;
    }
    return n;
}

/* The points of the polygon of series s in a radar chart; returns how many, or
 * 0 when the series has no polygon. */
static size_t series_points(const char *svg, size_t s, double *xs, double *ys, size_t max)
{
    char key[64], points[1024];
    snprintf(key, sizeof key, "class=\"series series-%zu", s);
    const char *g = strstr(svg, key);
    if (!g) return 0;
    const char *poly = strstr(g, "<polygon");
    assert_non_null(poly);
    assert_true(attr(poly, "points", points, sizeof points));
    return parse_points(points, xs, ys, max);
}

/* Asserts |a - b| <= 0.01 (coordinates are written with two decimals). */
static void assert_near(double a, double b)
{
    if (fabs(a - b) > 0.01) fail_msg("%.4f is not %.4f", a, b);
}

/* The label texts of a chart in order, as the <text class="label"> elements
 * hold them (tspans joined by '|'), into out[i]. Returns how many. */
static size_t labels_of(const char *svg, const char *cls, char out[][256], size_t max)
{
    char key[64];
    size_t n = 0;
    snprintf(key, sizeof key, "<text class=\"%s\"", cls);
    for (const char *p = strstr(svg, key); p && n < max; p = strstr(p + 1, key)) {
        const char *gt = strchr(p, '>'), *end = strstr(p, "</text>");
        char *o = out[n];
        size_t k = 0;
        int in_tag = 0, tspans = 0;
        for (const char *q = gt + 1; q < end && k < 250; q++) {
            if (*q == '<') {
                in_tag = 1;
                if (strncmp(q, "<tspan", 6) == 0 && tspans++ > 0) o[k++] = '|';
            } else if (*q == '>') {
                in_tag = 0;
            } else if (!in_tag) {
                o[k++] = *q;
            }
        }
        o[k] = '\0';
        n++;
    }
    return n;
}

/* The element that follows the label whose text is `text` (for its attributes). */
static const char *label_element(const char *svg, const char *text)
{
    const char *t = strstr(svg, text);
    assert_non_null(t);
    while (t > svg && strncmp(t, "<text", 5) != 0) t--;
    return t;
}

static const char *const four_axes[] = { "上", "右", "下", "左" };

/* ---- Radar chart -------------------------------------------------------------- */

/* Each vertex of a series lies on its axis at value / max of the radius: with
 * four axes, up, right, down and left. */
static void test_radar_points(void **state)
{
    (void)state;
    const double values[] = { 4, 2, 0, 1 }, target[] = { 3, 3, 3, 3 };
    const svg_series series[] = { { "現在", "current", values }, { "目標", "target", target } };
    const svg_radar chart = { "r", "熟達度", NULL, four_axes, 4, 4, series, 2, NULL };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_radar_chart(&b, &chart, NULL), 0);
    assert_well_formed(b.data);

    for (size_t s = 0; s < 2; s++) {
        const double *v = series[s].values;
        double xs[8], ys[8];
        assert_int_equal(series_points(b.data, s, xs, ys, 8), 4);
        for (size_t i = 0; i < 4; i++) {
            double a = -M_PI / 2 + 2 * M_PI * (double)i / 4, r = SVG_RADAR_RADIUS * v[i] / 4;
            assert_near(xs[i], r * cos(a));
            assert_near(ys[i], r * sin(a));
        }
    }
    /* the first series up 4 of 4 is the top of the outer ring; right at 2 is half way */
    double xs[4], ys[4];
    series_points(b.data, 0, xs, ys, 4);
    assert_near(ys[0], -SVG_RADAR_RADIUS);
    assert_near(xs[1], SVG_RADAR_RADIUS / 2);
    /* a marker for each value, the class the page asked for, the legend names */
    assert_int_equal(count(b.data, "<circle class=\"marker\""), 8);
    assert_non_null(strstr(b.data, "class=\"series series-0 current\""));
    assert_non_null(strstr(b.data, "class=\"series series-1 target\""));
    assert_int_equal(count(b.data, "class=\"legend-label\""), 2);
    assert_non_null(strstr(b.data, ">現在</text>"));
    assert_non_null(strstr(b.data, ">目標</text>"));
    /* one ring per level, numbered 1..max */
    assert_int_equal(count(b.data, "class=\"ring ring-"), 4);
    assert_int_equal(count(b.data, "class=\"scale-label\""), 4);
    buf_free(&b);
}

/* All zero is a point at the centre; all max is the outer ring; values beyond the
 * scale are drawn at its ends but stated as given in the description. */
static void test_radar_zero_max_clamp(void **state)
{
    (void)state;
    const double zero[] = { 0, 0, 0, 0, 0 }, full[] = { 7, 7, 7, 7, 7 }, wild[] = { 9, -3, 7, 0, 7 };
    const char *const axes[] = { "a", "b", "c", "d", "e" };
    const svg_series series[] = { { "zero", NULL, zero }, { "full", NULL, full }, { "wild", NULL, wild } };
    const svg_radar chart = { "r", "t", NULL, axes, 5, 7, series, 3, NULL };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_radar_chart(&b, &chart, NULL), 0);
    assert_well_formed(b.data);

    double xs[8], ys[8], rx[8], ry[8];
    assert_int_equal(series_points(b.data, 0, xs, ys, 8), 5);
    for (size_t i = 0; i < 5; i++) {
        assert_near(xs[i], 0);
        assert_near(ys[i], 0);
    }
    char ring[1024];
    const char *outer = strstr(b.data, "class=\"ring ring-7\"");
    assert_non_null(outer);
    assert_true(attr(outer, "points", ring, sizeof ring));
    assert_int_equal(parse_points(ring, rx, ry, 8), 5);
    assert_int_equal(series_points(b.data, 1, xs, ys, 8), 5);
    for (size_t i = 0; i < 5; i++) {
        assert_near(xs[i], rx[i]);
        assert_near(ys[i], ry[i]);
        assert_near(hypot(xs[i], ys[i]), SVG_RADAR_RADIUS);
    }
    assert_int_equal(series_points(b.data, 2, xs, ys, 8), 5);
    assert_near(xs[0], rx[0]);             /* 9 drawn at 7 */
    assert_near(ys[0], ry[0]);
    assert_near(xs[1], 0);                 /* -3 drawn at 0 */
    assert_near(ys[1], 0);
    assert_non_null(strstr(b.data, "a: zero 0, full 7, wild 9;"));
    assert_non_null(strstr(b.data, "b: zero 0, full 7, wild -3;"));
    assert_no_nan(b.data);
    buf_free(&b);
}

/* A series with no values yet has a legend entry but no polygon; a missing value
 * (NaN) has no marker and is "no value" in the description; no NaN anywhere. */
static void test_radar_missing_and_empty(void **state)
{
    (void)state;
    const double some[] = { 2, NAN, 3, INFINITY };
    const svg_series series[] = { { "現在", NULL, some }, { "目標", NULL, NULL } };
    const svg_radar chart = { "r", "t", "熟達度。", four_axes, 4, 7, series, 2, "未評価" };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_radar_chart(&b, &chart, NULL), 0);
    assert_well_formed(b.data);
    assert_no_nan(b.data);

    double xs[4], ys[4];
    assert_int_equal(series_points(b.data, 0, xs, ys, 4), 4);
    assert_near(xs[1], 0);
    assert_near(ys[1], 0);
    assert_int_equal(series_points(b.data, 1, xs, ys, 4), 0);
    assert_int_equal(count(b.data, "<circle class=\"marker\""), 2);
    assert_int_equal(count(b.data, "class=\"legend-label\""), 2);
    assert_non_null(strstr(b.data, "<desc id=\"r-desc\">熟達度。 上: 現在 2, 目標 未評価; 右: 現在 未評価, 目標 未評価;"));

    /* no series at all: the grid and the labels */
    const svg_radar bare = { "r", "t", NULL, four_axes, 4, 7, NULL, 0, NULL };
    buf_reset(&b);
    assert_int_equal(svg_radar_chart(&b, &bare, NULL), 0);
    assert_well_formed(b.data);
    assert_null(strstr(b.data, "class=\"series"));
    assert_null(strstr(b.data, "class=\"legend"));
    assert_int_equal(count(b.data, "<text class=\"label\""), 4);
    buf_free(&b);
}

/* Labels sit outside the outer ring: right of it on the right (anchored at their
 * start), left of it on the left (anchored at their end), above and below it in
 * the middle; and the viewBox holds them. */
static void test_radar_label_placement(void **state)
{
    (void)state;
    const double v[] = { 1, 1, 1, 1 };
    const svg_series series[] = { { "s", NULL, v } };
    const svg_radar chart = { "r", "t", NULL, four_axes, 4, 7, series, 1, NULL };
    const double R = SVG_RADAR_RADIUS;
    char anchor[16];
    buf b;
    buf_init(&b);
    assert_int_equal(svg_radar_chart(&b, &chart, NULL), 0);

    const char *up = label_element(b.data, ">上<"), *right = label_element(b.data, ">右<");
    const char *down = label_element(b.data, ">下<"), *left = label_element(b.data, ">左<");
    assert_true(attr(up, "text-anchor", anchor, sizeof anchor));
    assert_string_equal(anchor, "middle");
    assert_true(attr_num(up, "y") < -R);
    assert_true(attr(right, "text-anchor", anchor, sizeof anchor));
    assert_string_equal(anchor, "start");
    assert_true(attr_num(right, "x") > R);
    assert_true(attr(down, "text-anchor", anchor, sizeof anchor));
    assert_string_equal(anchor, "middle");
    assert_true(attr_num(down, "y") - 13 > R);     /* the top of the glyphs, at font size 13 */
    assert_true(attr(left, "text-anchor", anchor, sizeof anchor));
    assert_string_equal(anchor, "end");
    assert_true(attr_num(left, "x") < -R);

    char vb[64];
    double x, y, w, h;
    assert_true(attr(strstr(b.data, "<svg"), "viewBox", vb, sizeof vb));
    assert_int_equal(sscanf(vb, "%lf %lf %lf %lf", &x, &y, &w, &h), 4);
    assert_true(x < attr_num(left, "x") - 13 && x + w > attr_num(right, "x") + 13);
    assert_true(y < attr_num(up, "y") - 13 && y + h > attr_num(down, "y"));
    assert_null(strstr(b.data, " width=\"100"));     /* sized by the viewBox alone */
    assert_null(strstr(b.data, "style"));              /* nothing the CSP would block */
    buf_free(&b);
}

/* Long labels wrap into two lines of about equal width, at a place Japanese
 * allows (never before ー or a small kana); short ones stay whole. */
static void test_radar_label_wrap(void **state)
{
    (void)state;
    const char *const axes[] = { "プロジェクトマネジメント", "ユーザ環境分析", "ユーザリレーションシップ構築",
                                 "コミュニケーション", "ハードウェアテクノロジ" };
    const svg_radar chart = { "r", "t", NULL, axes, 5, 7, NULL, 0, NULL };
    char got[8][256];
    buf b;
    buf_init(&b);
    assert_int_equal(svg_radar_chart(&b, &chart, NULL), 0);
    assert_int_equal(labels_of(b.data, "label", got, 8), 5);
    assert_string_equal(got[0], "プロジェクト|マネジメント");
    assert_string_equal(got[1], "ユーザ環境分析");
    assert_string_equal(got[3], "コミュニケーション");
    assert_string_equal(got[4], "ハードウェア|テクノロジ");

    /* the third breaks, the lines joined are the label, the second line does not
     * start with a mark that cannot begin a line */
    char *bar = strchr(got[2], '|');
    assert_non_null(bar);
    char joined[256];
    snprintf(joined, sizeof joined, "%.*s%s", (int)(bar - got[2]), got[2], bar + 1);
    assert_string_equal(joined, axes[2]);
    const char *const no_start[] = { "ー", "ッ", "ョ", "ャ", "ュ", "ィ", "ェ" };
    for (size_t i = 0; i < sizeof no_start / sizeof no_start[0]; i++)
        assert_false(strncmp(bar + 1, no_start[i], strlen(no_start[i])) == 0);
    buf_free(&b);
}

/* Bad chart descriptions are refused with the place named and nothing written. */
static void test_radar_refuses(void **state)
{
    (void)state;
    const char *const many[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m" };
    const char *const holey[] = { "a", NULL, "c" };
    const svg_series unnamed[] = { { NULL, NULL, NULL } };
    const struct { svg_radar chart; const char *path; } cases[] = {
        { { "r", "t", NULL, many, 2, 7, NULL, 0, NULL }, "axes" },
        { { "r", "t", NULL, many, 13, 7, NULL, 0, NULL }, "axes" },
        { { "r", "t", NULL, holey, 3, 7, NULL, 0, NULL }, "axes[1]" },
        { { "r", "t", NULL, many, 3, 0, NULL, 0, NULL }, "max" },
        { { "r\" onload=\"x", "t", NULL, many, 3, 7, NULL, 0, NULL }, "id" },
        { { "1r", "t", NULL, many, 3, 7, NULL, 0, NULL }, "id" },
        { { "r", NULL, NULL, many, 3, 7, NULL, 0, NULL }, "title" },
        { { "r", "t", NULL, many, 3, 7, unnamed, 1, NULL }, "series[0].name" },
    };
    buf b;
    buf_init(&b);
    buf_puts(&b, "before");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err e;
        memset(&e, 0, sizeof e);
        assert_int_equal(svg_radar_chart(&b, &cases[i].chart, &e), -1);
        assert_string_equal(b.data, "before");
        assert_string_equal(e.path, cases[i].path);
        assert_string_equal(e.where, "radar chart");
        assert_true(strlen(e.message) > 0);
    }
    buf_free(&b);
}

/* ---- Escaping and well-formedness --------------------------------------------- */

/* Markup, quotes, ampersands, control characters and broken UTF-8 in any text
 * come out as text, in a well-formed document. */
static void test_escaping(void **state)
{
    (void)state;
    const char *evil = "<script>alert(\"x\")</script> & 'y'";
    const char *const axes[] = { evil, "A&B", "\"q\"", "tab\there\x01\x7f", "bad\xff\xfe utf8 \xe3\x81" };
    const double v[] = { 1, 2, 3, 4, 5 };
    const svg_series series[] = { { evil, "x\" onmouseover=\"alert(1)", v } };
    const svg_radar radar = { "r", evil, evil, axes, 5, 7, series, 1, evil };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_radar_chart(&b, &radar, NULL), 0);
    assert_well_formed(b.data);
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, "onmouseover=\""));
    assert_non_null(strstr(b.data, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"));
    assert_non_null(strstr(b.data, ">A&amp;B</text>"));
    assert_non_null(strstr(b.data, ">&quot;q&quot;</text>"));
    assert_non_null(strstr(b.data, ">tab here</text>"));
    assert_non_null(strstr(b.data, "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD"));   /* each bad byte one U+FFFD */
    assert_non_null(strstr(b.data, "<title id=\"r-title\">&lt;script&gt;"));

    const svg_bars bars = { "b", evil, evil, axes, v, 5, 10, "<%>", 0, evil };
    buf_reset(&b);
    assert_int_equal(svg_bar_chart(&b, &bars, NULL), 0);
    assert_well_formed(b.data);
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, "<%>"));
    assert_non_null(strstr(b.data, ">1&lt;%&gt;</text>"));

    const int counts[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    const svg_matrix m = { "m", evil, evil, axes, 5, axes + 3, 2, counts };
    buf_reset(&b);
    assert_int_equal(svg_heat_table(&b, &m, NULL), 0);
    assert_well_formed(b.data);
    assert_null(strstr(b.data, "<script"));
    buf_reset(&b);
    assert_int_equal(svg_stacked_bars(&b, &m, NULL), 0);
    assert_well_formed(b.data);
    assert_null(strstr(b.data, "<script"));
    buf_free(&b);
}

/* The chart names its title and description for assistive technology. */
static void test_accessible(void **state)
{
    (void)state;
    const double v[] = { 1, 2, 3, 4 };
    const svg_series series[] = { { "現在", NULL, v } };
    const svg_radar chart = { "prof-hw", "熟達度", NULL, four_axes, 4, 7, series, 1, NULL };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_radar_chart(&b, &chart, NULL), 0);
    assert_true(strncmp(b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    assert_non_null(strstr(b.data, " role=\"img\""));
    assert_non_null(strstr(b.data, " aria-labelledby=\"prof-hw-title\""));
    assert_non_null(strstr(b.data, " aria-describedby=\"prof-hw-desc\""));
    assert_non_null(strstr(b.data, "<title id=\"prof-hw-title\">熟達度</title>"));
    assert_non_null(strstr(b.data, "<desc id=\"prof-hw-desc\">上: 現在 1; 右: 現在 2; 下: 現在 3; 左: 現在 4.</desc>"));
    buf_free(&b);
}

/* ---- Bar chart ------------------------------------------------------------------ */

/* Each bar is value / max of the track long, with its value written after it;
 * a missing value has no bar and says so; values beyond the scale are cut to it. */
static void test_bar_chart(void **state)
{
    (void)state;
    const char *const labels[] = { "ユーザ環境分析", "ビジネス戦略", "プロジェクトマネジメント", "リーダーシップ", "x" };
    const double values[] = { 75, 0, 33.36, NAN, 140 };
    const svg_bars chart = { "cov", "知識", NULL, labels, values, 5, 100, "%", 1, "未回答" };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_bar_chart(&b, &chart, NULL), 0);
    assert_well_formed(b.data);
    assert_no_nan(b.data);

    assert_int_equal(count(b.data, "<rect class=\"bar\""), 4);
    const double drawn[] = { 75, 0, 33.36, 100 };
    const char *p = b.data;
    for (size_t i = 0; i < 4; i++) {
        p = strstr(p, "<rect class=\"bar\"");
        assert_near(attr_num(p, "width"), SVG_BAR_LENGTH * drawn[i] / 100);
        assert_near(attr_num(p, "x"), 0);
        p++;
    }
    assert_non_null(strstr(b.data, ">75.0%</text>"));
    assert_non_null(strstr(b.data, ">0.0%</text>"));
    assert_non_null(strstr(b.data, ">33.4%</text>"));
    assert_non_null(strstr(b.data, ">未回答</text>"));
    assert_non_null(strstr(b.data, ">140.0%</text>"));
    /* the scale below: 0% to 100% */
    assert_non_null(strstr(b.data, ">0%</text>"));
    assert_non_null(strstr(b.data, ">100%</text>"));
    assert_non_null(strstr(b.data, "<desc id=\"cov-desc\">ユーザ環境分析: 75.0%; ビジネス戦略: 0.0%;"));
    assert_non_null(strstr(b.data, "リーダーシップ: 未回答;"));
    /* the long label takes two lines */
    char got[8][256];
    assert_int_equal(labels_of(b.data, "label", got, 8), 5);
    assert_string_equal(got[2], "プロジェクト|マネジメント");

    svg_bars bad = chart;
    bad.max = NAN;
    err e;
    buf_reset(&b);
    assert_int_equal(svg_bar_chart(&b, &bad, &e), -1);
    assert_string_equal(e.path, "max");
    assert_int_equal(b.len, 0);
    bad = chart;
    bad.n = 0;
    assert_int_equal(svg_bar_chart(&b, &bad, &e), -1);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* ---- Portfolio: heat table and stacked bars -------------------------------------- */

static const char *const specs[] = { "ハードウェア", "ソフトウェア", "ファシリティマネジメント" };
static const char *const levels[] = { "レベル1", "レベル2", "レベル3", "レベル4", "レベル5", "レベル6", "レベル7" };
static const int people[] = {
    3, 8, 12, 6, 2, 0, 0,
    1, 5, 9, 7, 3, 1, 0,
    0, 2, 4, 3, 1, 0, 0,
};

/* Every cell shows its count, the fuller cells darker than the emptier ones. */
static void test_heat_table(void **state)
{
    (void)state;
    const svg_matrix m = { "pf", "人材ポートフォリオ", NULL, specs, 3, levels, 7, people };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_heat_table(&b, &m, NULL), 0);
    assert_well_formed(b.data);
    assert_int_equal(count(b.data, "<rect class=\"cell"), 21);
    assert_int_equal(count(b.data, "<rect class=\"cell empty\""), 6);

    char got[32][256];
    assert_int_equal(labels_of(b.data, "count-label", got, 32), 21);
    for (size_t i = 0; i < 21; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", people[i]);
        assert_string_equal(got[i], want);
    }
    /* darker: the ramp's colours get darker with the count (compare the sums of
     * the RGB channels of the 12 and the 1 of the first two rows) */
    const char *cell = b.data;
    unsigned rgb[21];
    for (size_t i = 0; i < 21; i++) {
        char fill[16];
        cell = strstr(cell, "<rect class=\"cell");
        assert_true(attr(cell, "fill", fill, sizeof fill));
        unsigned v = (unsigned)strtoul(fill + 1, NULL, 16);
        rgb[i] = ((v >> 16) & 0xff) + ((v >> 8) & 0xff) + (v & 0xff);
        cell++;
    }
    assert_true(rgb[2] < rgb[1] && rgb[1] < rgb[0] && rgb[0] < rgb[7]);
    assert_non_null(strstr(b.data, "ハードウェア: レベル1 3, レベル2 8, レベル3 12,"));

    /* negative counts are refused at their place */
    int bad[21];
    memcpy(bad, people, sizeof bad);
    bad[1 * 7 + 2] = -1;
    const svg_matrix wrong = { "pf", "t", NULL, specs, 3, levels, 7, bad };
    err e;
    buf_reset(&b);
    assert_int_equal(svg_heat_table(&b, &wrong, &e), -1);
    assert_string_equal(e.path, "counts[1][2]");
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* Segments follow the counts (zero counts none), each row's total is written
 * after its bar, and an all-zero table draws without dividing by zero. */
static void test_stacked_bars(void **state)
{
    (void)state;
    const svg_matrix m = { "pf", "人材ポートフォリオ", NULL, specs, 3, levels, 7, people };
    buf b;
    buf_init(&b);
    assert_int_equal(svg_stacked_bars(&b, &m, NULL), 0);
    assert_well_formed(b.data);
    assert_no_nan(b.data);

    int nonzero = 0;
    for (size_t i = 0; i < 21; i++) nonzero += people[i] > 0;
    assert_int_equal(count(b.data, "<rect class=\"seg "), nonzero);

    /* within a row, segments touch and their widths are in the counts' ratio */
    const char *row = strstr(b.data, "class=\"bar row-0\"");
    const char *seg = strstr(row, "<rect class=\"seg ");
    double x = 0, unit = attr_num(seg, "width") / people[0];
    for (size_t j = 0; j < 5; j++) {
        assert_near(attr_num(seg, "x"), x);
        assert_near(attr_num(seg, "width"), unit * people[j]);
        x += attr_num(seg, "width");
        seg = strstr(seg + 1, "<rect class=\"seg ");
    }
    assert_true(x <= SVG_BAR_LENGTH + 0.01);
    char got[8][256];
    assert_int_equal(labels_of(b.data, "value-label", got, 8), 3);
    assert_string_equal(got[0], "31");
    assert_string_equal(got[1], "26");
    assert_string_equal(got[2], "10");
    assert_int_equal(count(b.data, "class=\"legend-label\""), 7);

    const int none[21] = { 0 };
    const svg_matrix empty = { "pf", "t", NULL, specs, 3, levels, 7, none };
    buf_reset(&b);
    assert_int_equal(svg_stacked_bars(&b, &empty, NULL), 0);
    assert_well_formed(b.data);
    assert_no_nan(b.data);
    assert_int_equal(count(b.data, "<rect class=\"seg "), 0);
    buf_reset(&b);
    assert_int_equal(svg_heat_table(&b, &empty, NULL), 0);
    assert_no_nan(b.data);
    buf_free(&b);
}

/* ---- Numbers ------------------------------------------------------------------- */

static void assert_number(double v, int decimals, const char *want)
{
    buf b;
    buf_init(&b);
    svg_number(&b, v, decimals);
    assert_string_equal(b.data, want);
    buf_free(&b);
}

/* Fixed decimals with '.', rounded half away from zero, no "-0", a dash for what
 * is not a number; the same under a locale whose decimal point is a comma. */
static void test_number(void **state)
{
    (void)state;
    static const char *const comma_locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "ja_JP.UTF-8", "C" };
    for (size_t k = 0; k < sizeof comma_locales / sizeof comma_locales[0]; k++) {
        if (!setlocale(LC_NUMERIC, comma_locales[k])) continue;
        assert_number(75, 1, "75.0");
        assert_number(33.333, 2, "33.33");
        assert_number(0.5, 0, "1");
        assert_number(-2.5, 0, "-3");
        assert_number(-0.001, 2, "0.00");
        assert_number(1234567.25, 1, "1234567.3");
        assert_number(7, 0, "7");
        assert_number(NAN, 1, "-");
        assert_number(INFINITY, 1, "-");
    }
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_radar_points),
        cmocka_unit_test(test_radar_zero_max_clamp),
        cmocka_unit_test(test_radar_missing_and_empty),
        cmocka_unit_test(test_radar_label_placement),
        cmocka_unit_test(test_radar_label_wrap),
        cmocka_unit_test(test_radar_refuses),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_accessible),
        cmocka_unit_test(test_bar_chart),
        cmocka_unit_test(test_heat_table),
        cmocka_unit_test(test_stacked_bars),
        cmocka_unit_test(test_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
