/* report_pdf.c - a report as PDF pages (report_pdf.h): cairo draws, pango lays
 * out the Japanese text. The document is drawn twice: the first time into
 * nothing, to count the pages, so that every footer can say "ページ n / N";
 * the second time into the PDF. Both runs lay out alike, so the pages break
 * at the same places. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "report_pdf.h"
#include "report_table.h"
#include "xalloc.h"

#define A4_SHORT 595.28
#define A4_LONG 841.89
#define MARGIN 36.0
#define FOOT 28.0                  /* room for the page number below the content */
#define BODY_PT 9.0
#define TABLE_PT 8.0
#define CELL_PAD 3.0

/* One run over the document. */
typedef struct pdf {
    cairo_t *cr;
    const report_doc *d;
    double w, h;                   /* the page */
    double y;                      /* where the next thing goes */
    double top;                    /* where the content starts below the page's heading */
    int page, total;               /* total 0: not known yet (the counting run) */
    double table_pt;               /* the size of the table being drawn */
} pdf;

/* A layout of text in the report's font at pt points, bold or not, wrapped
 * within width points (0: no wrapping). The caller unrefs it. */
static PangoLayout *layout(pdf *p, const char *text, double pt, int bold, double width)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    pango_cairo_context_set_resolution(pango_layout_get_context(l), 72.0);
    pango_layout_context_changed(l);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, REPORT_PDF_FONT);
    pango_font_description_set_absolute_size(fd, pt * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

/* The width and height of a layout in points. */
static void extent(PangoLayout *l, double *w, double *h)
{
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    if (w)
        *w = (double)pw / PANGO_SCALE;
    if (h)
        *h = (double)ph / PANGO_SCALE;
}

/* Draws l with its top left corner at (x, y) in grey level `grey` (0 black). */
static void draw_at(pdf *p, PangoLayout *l, double x, double y, double grey)
{
    cairo_set_source_rgb(p->cr, grey, grey, grey);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

/* Draws the title, the filters and a rule at the top of the page, and the
 * page number at its foot; sets top and y below the heading. */
static void page_frame(pdf *p)
{
    double width = p->w - 2 * MARGIN, h;
    PangoLayout *t = layout(p, p->d->title, 14, 1, width);
    draw_at(p, t, MARGIN, MARGIN, 0);
    extent(t, NULL, &h);
    g_object_unref(t);
    double y = MARGIN + h + 2;
    buf f;
    buf_init(&f);
    for (size_t i = 0; i < p->d->n_filters; i++)
        buf_printf(&f, "%s%s", i ? "　／　" : "", p->d->filters[i]);
    if (f.len) {
        PangoLayout *fl = layout(p, f.data, 8, 0, width);
        draw_at(p, fl, MARGIN, y, 0.25);
        extent(fl, NULL, &h);
        g_object_unref(fl);
        y += h + 2;
    }
    buf_free(&f);
    cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(p->cr, 0.6);
    cairo_move_to(p->cr, MARGIN, y + 2);
    cairo_line_to(p->cr, p->w - MARGIN, y + 2);
    cairo_stroke(p->cr);
    p->top = p->y = y + 10;

    char foot[64];
    if (p->total)
        snprintf(foot, sizeof foot, "ページ %d / %d", p->page, p->total);
    else
        snprintf(foot, sizeof foot, "ページ %d / %d", p->page, p->page);
    PangoLayout *fl = layout(p, foot, 8, 0, 0);
    double fw;
    extent(fl, &fw, &h);
    draw_at(p, fl, (p->w - fw) / 2, p->h - MARGIN + (FOOT - MARGIN) / 2 + 4, 0.3);
    g_object_unref(fl);
}

/* Ends the page and starts the next one with its frame. */
static void next_page(pdf *p)
{
    cairo_show_page(p->cr);
    p->page++;
    page_frame(p);
}

/* The lowest y content may reach. */
static double bottom(const pdf *p)
{
    return p->h - MARGIN - FOOT / 2;
}

/* Makes room for height points: a new page when they do not fit below y (and
 * the page is not empty). */
static void need(pdf *p, double height)
{
    if (p->y + height > bottom(p) && p->y > p->top + 0.5)
        next_page(p);
}

/* A heading or a paragraph, line by line (a paragraph may run over pages). */
static void draw_text(pdf *p, const char *text, int heading)
{
    double width = p->w - 2 * MARGIN;
    if (heading) {
        double h;
        PangoLayout *l = layout(p, text, 11.5, 1, width);
        extent(l, NULL, &h);
        need(p, h + 40);           /* keep a heading with what follows it */
        p->y += 4;
        draw_at(p, l, MARGIN, p->y, 0);
        g_object_unref(l);
        p->y += h + 5;
        return;
    }
    const char *s = text;
    while (s) {
        const char *nl = strchr(s, '\n');
        char *line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
        double h;
        PangoLayout *l = layout(p, *line ? line : " ", BODY_PT, 0, width);
        extent(l, NULL, &h);
        need(p, h);
        draw_at(p, l, MARGIN, p->y, 0);
        g_object_unref(l);
        free(line);
        p->y += h + 1;
        s = nl ? nl + 1 : NULL;
    }
    p->y += 4;
}

/* The text a cell shows. num is the caller's room for a number. */
static const char *cell_text(const report_cell *c, char num[32])
{
    if (c->kind == REPORT_NUMBER) {
        snprintf(num, 32, "%lld", c->number);
        return num;
    }
    return c->kind == REPORT_TEXT ? c->text : "";
}

/* The width of the widest word of a header (headers wrap at their spaces). */
static double header_width(pdf *p, const char *h, double pt)
{
    double most = 0;
    const char *s = h;
    while (s) {
        const char *sp = strchr(s, ' ');
        char *word = xstrndup(s, sp ? (size_t)(sp - s) : strlen(s));
        double w;
        PangoLayout *l = layout(p, word, pt, 1, 0);
        extent(l, &w, NULL);
        g_object_unref(l);
        free(word);
        if (w > most)
            most = w;
        s = sp ? sp + 1 : NULL;
    }
    return most;
}

/* The natural widths of t's columns at pt points into w; returns their sum. */
static double natural_widths(pdf *p, const report_table *t, double pt, double *w)
{
    double total = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        double cw;
        w[c] = header_width(p, t->headers[c], pt);
        for (size_t r = 0; r < t->n_rows; r++) {
            char num[32];
            PangoLayout *l = layout(p, cell_text(report_table_cell(t, r, c), num), pt, t->bold[r], 0);
            extent(l, &cw, NULL);
            g_object_unref(l);
            cw += c == 0 ? 8.0 * t->indent[r] : 0;
            if (cw > w[c])
                w[c] = cw;
        }
        w[c] += 2 * CELL_PAD + 1;
        total += w[c];
    }
    return total;
}

/* Column widths of t fitted to the page: each column its widest text (a wide
 * table in a smaller type first), and when the table is still wider than the
 * page, wide columns give way (their text wraps). Sets p->table_pt. */
static double *column_widths(pdf *p, const report_table *t)
{
    double avail = p->w - 2 * MARGIN;
    double *w = xcalloc(t->n_cols ? t->n_cols : 1, sizeof *w);
    p->table_pt = TABLE_PT;
    double total = natural_widths(p, t, p->table_pt, w);
    while (total > avail && p->table_pt > 6.0) {
        p->table_pt -= 0.5;
        total = natural_widths(p, t, p->table_pt, w);
    }
    /* Too wide: lower a common cap until the columns fit (none under 24 pt). */
    if (total > avail) {
        double lo = 24, hi = avail;
        for (int i = 0; i < 40; i++) {
            double cap = (lo + hi) / 2, sum = 0;
            for (size_t c = 0; c < t->n_cols; c++)
                sum += w[c] < cap ? w[c] : cap;
            if (sum > avail)
                hi = cap;
            else
                lo = cap;
        }
        for (size_t c = 0; c < t->n_cols; c++)
            if (w[c] > lo)
                w[c] = lo;
    }
    return w;
}

/* Lays out (and when draw, draws at y) one row: the headers (row SIZE_MAX) or
 * row r of t. Returns its height. */
static double table_row(pdf *p, const report_table *t, const double *w, size_t r, int draw)
{
    int header = r == (size_t)-1;
    PangoLayout *cells[64];
    size_t n = t->n_cols < 64 ? t->n_cols : 64;
    double h = 0;
    for (size_t c = 0; c < n; c++) {
        char num[32];
        const report_cell *x = header ? NULL : report_table_cell(t, r, c);
        double ind = !header && c == 0 ? 8.0 * t->indent[r] : 0;
        cells[c] = layout(p, header ? t->headers[c] : cell_text(x, num), p->table_pt, header || t->bold[r],
                          w[c] - 2 * CELL_PAD - ind);
        if (x && (x->kind == REPORT_NUMBER || (x->kind == REPORT_TEXT && strcmp(x->text, report_not_reached) == 0)))
            pango_layout_set_alignment(cells[c], PANGO_ALIGN_RIGHT);
        double ch;
        extent(cells[c], NULL, &ch);
        if (ch > h)
            h = ch;
    }
    h += 2 * CELL_PAD;
    if (draw) {
        double x = MARGIN, total = 0;
        for (size_t c = 0; c < n; c++)
            total += w[c];
        if (header) {
            cairo_set_source_rgb(p->cr, 0.91, 0.93, 0.97);
            cairo_rectangle(p->cr, MARGIN, p->y, total, h);
            cairo_fill(p->cr);
        }
        for (size_t c = 0; c < n; c++) {
            double ind = !header && c == 0 ? 8.0 * t->indent[r] : 0;
            draw_at(p, cells[c], x + CELL_PAD + ind, p->y + CELL_PAD, 0);
            x += w[c];
        }
        cairo_set_source_rgb(p->cr, header ? 0.35 : 0.75, header ? 0.35 : 0.75, header ? 0.35 : 0.75);
        cairo_set_line_width(p->cr, header ? 0.8 : 0.4);
        cairo_move_to(p->cr, MARGIN, p->y + h);
        cairo_line_to(p->cr, MARGIN + total, p->y + h);
        cairo_stroke(p->cr);
    }
    for (size_t c = 0; c < n; c++)
        g_object_unref(cells[c]);
    return h;
}

/* A table with its caption; its header row is drawn again on each page it runs onto. */
static void draw_table(pdf *p, const report_table *t)
{
    if (t->sheet_only || !t->n_cols)
        return;
    double *w = column_widths(p, t);
    double hh = table_row(p, t, w, (size_t)-1, 0);
    PangoLayout *cap = layout(p, t->title, 9.5, 1, p->w - 2 * MARGIN);
    double ch;
    extent(cap, NULL, &ch);
    need(p, ch + 4 + hh + (t->n_rows ? table_row(p, t, w, 0, 0) : 0));
    draw_at(p, cap, MARGIN, p->y, 0);
    g_object_unref(cap);
    p->y += ch + 4;
    p->y += table_row(p, t, w, (size_t)-1, 1);
    for (size_t r = 0; r < t->n_rows; r++) {
        double rh = table_row(p, t, w, r, 0);
        if (p->y + rh > bottom(p)) {
            next_page(p);
            p->y += table_row(p, t, w, (size_t)-1, 1);
        }
        p->y += table_row(p, t, w, r, 1);
    }
    p->y += 10;
    free(w);
}

/* The colour of series s of n: from light to dark blue; the first of a level
 * chart (未到達) grey when grey_first. */
static void series_colour(pdf *p, size_t s, size_t n, int grey_first)
{
    if (grey_first && s == 0) {
        cairo_set_source_rgb(p->cr, 0.78, 0.78, 0.78);
        return;
    }
    double k = n > 1 ? (double)s / (double)(n - 1) : 1.0;
    cairo_set_source_rgb(p->cr, 0.75 - 0.65 * k, 0.85 - 0.5 * k, 0.98 - 0.35 * k);
}

/* The colour of series s of a chart: a radar's first (now) dark blue, its
 * second (the target) orange; bars as series_colour with 未到達 grey. */
static void chart_colour(pdf *p, const report_chart *c, size_t s)
{
    if (c->kind == REPORT_RADAR)
        cairo_set_source_rgb(p->cr, s == 0 ? 0.10 : 0.90, s == 0 ? 0.35 : 0.50, s == 0 ? 0.65 : 0.10);
    else
        series_colour(p, s, c->n_series, 1);
}

/* A legend of the chart's series in one line at y; returns its height. */
static double legend(pdf *p, const report_chart *c, double y)
{
    double x = MARGIN, h = 0;
    for (size_t s = 0; s < c->n_series; s++) {
        PangoLayout *l = layout(p, c->series[s], 8, 0, 0);
        double lw, lh;
        extent(l, &lw, &lh);
        if (x + 14 + lw > p->w - MARGIN) {
            x = MARGIN;
            y += lh + 2;
            h += lh + 2;
        }
        chart_colour(p, c, s);
        cairo_rectangle(p->cr, x, y + 2, 9, 9);
        cairo_fill(p->cr);
        draw_at(p, l, x + 12, y, 0.1);
        x += 12 + lw + 12;
        if (lh > h)
            h = lh;
        g_object_unref(l);
    }
    return h + 4;
}

/* Horizontal bars stacked by series, one per label, scaled to the longest. */
static void draw_bars(pdf *p, const report_chart *c)
{
    double label_w = 110, bar_h = 14, gap = 5;
    need(p, 44 + c->n_labels * (bar_h + gap));
    PangoLayout *t = layout(p, c->title, 9, 1, p->w - 2 * MARGIN);
    double th;
    extent(t, NULL, &th);
    draw_at(p, t, MARGIN, p->y, 0);
    g_object_unref(t);
    p->y += th + 3;
    p->y += legend(p, c, p->y);
    double most = 1;
    for (size_t i = 0; i < c->n_labels; i++) {
        double sum = 0;
        for (size_t s = 0; s < c->n_series; s++)
            sum += c->values[s * c->n_labels + i];
        if (sum > most)
            most = sum;
    }
    double span = p->w - 2 * MARGIN - label_w - 40;
    for (size_t i = 0; i < c->n_labels; i++) {
        PangoLayout *l = layout(p, c->labels[i], 8, 0, label_w - 6);
        draw_at(p, l, MARGIN, p->y + 1, 0);
        g_object_unref(l);
        double x = MARGIN + label_w, sum = 0;
        for (size_t s = 0; s < c->n_series; s++) {
            double v = c->values[s * c->n_labels + i], bw = span * v / most;
            sum += v;
            if (v <= 0)
                continue;
            series_colour(p, s, c->n_series, 1);
            cairo_rectangle(p->cr, x, p->y, bw, bar_h);
            cairo_fill(p->cr);
            x += bw;
        }
        char num[32];
        snprintf(num, sizeof num, "%.0f", sum);
        PangoLayout *nl = layout(p, num, 8, 0, 0);
        draw_at(p, nl, x + 4, p->y + 1, 0.2);
        g_object_unref(nl);
        p->y += bar_h + gap;
    }
    p->y += 8;
}

/* A radar: one axis per label, rings 1..max, a polygon per series. */
static void draw_radar(pdf *p, const report_chart *c)
{
    double r = 95;
    need(p, 2 * r + 70 + 14 * (1 + c->n_series / 4));
    p->y += legend(p, c, p->y);
    double cx = p->w / 2, cy = p->y + r + 28, max = c->max > 0 ? c->max : 1;
    size_t n = c->n_labels;
    cairo_set_line_width(p->cr, 0.5);
    for (int ring = 1; ring <= (int)max; ring++) {
        cairo_set_source_rgb(p->cr, 0.8, 0.8, 0.8);
        for (size_t i = 0; i <= n; i++) {
            double a = -M_PI / 2 + 2 * M_PI * (double)(i % (n ? n : 1)) / (double)(n ? n : 1);
            double x = cx + r * ring / max * cos(a), y = cy + r * ring / max * sin(a);
            if (i == 0)
                cairo_move_to(p->cr, x, y);
            else
                cairo_line_to(p->cr, x, y);
        }
        cairo_stroke(p->cr);
    }
    for (size_t i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)n;
        cairo_set_source_rgb(p->cr, 0.7, 0.7, 0.7);
        cairo_move_to(p->cr, cx, cy);
        cairo_line_to(p->cr, cx + r * cos(a), cy + r * sin(a));
        cairo_stroke(p->cr);
        PangoLayout *l = layout(p, c->labels[i], 7.5, 0, 110);
        double lw, lhh;
        extent(l, &lw, &lhh);
        double x = cx + (r + 12) * cos(a), y = cy + (r + 12) * sin(a);
        draw_at(p, l, cos(a) < -0.2 ? x - lw : cos(a) > 0.2 ? x : x - lw / 2, sin(a) < 0 ? y - lhh : y, 0);
        g_object_unref(l);
    }
    for (size_t s = 0; s < c->n_series && n; s++) {
        for (size_t i = 0; i <= n; i++) {
            double a = -M_PI / 2 + 2 * M_PI * (double)(i % n) / (double)n;
            double v = c->values[s * n + i % n] / max * r;
            if (i == 0)
                cairo_move_to(p->cr, cx + v * cos(a), cy + v * sin(a));
            else
                cairo_line_to(p->cr, cx + v * cos(a), cy + v * sin(a));
        }
        chart_colour(p, c, s);
        cairo_set_line_width(p->cr, s == 0 ? 1.8 : 1.2);
        if (s > 0)
            cairo_set_dash(p->cr, (double[]){ 3, 2 }, 2, 0);
        cairo_stroke(p->cr);
        cairo_set_dash(p->cr, NULL, 0, 0);
    }
    p->y = cy + r + 34;
}

/* One run over the document: every page drawn with its frame. Returns the
 * number of pages. */
static int run(cairo_surface_t *surface, const report_doc *d, double w, double h, int total)
{
    pdf p;
    memset(&p, 0, sizeof p);
    p.cr = cairo_create(surface);
    p.d = d;
    p.w = w;
    p.h = h;
    p.total = total;
    p.page = 1;
    page_frame(&p);
    for (size_t i = 0; i < d->n_blocks; i++) {
        const report_block *b = &d->blocks[i];
        if (b->kind == REPORT_HEADING || b->kind == REPORT_PARAGRAPH)
            draw_text(&p, b->text, b->kind == REPORT_HEADING);
        else if (b->kind == REPORT_TABLE_BLOCK)
            draw_table(&p, b->table);
        else if (b->kind == REPORT_CHART && b->chart->kind == REPORT_BARS)
            draw_bars(&p, b->chart);
        else if (b->kind == REPORT_CHART)
            draw_radar(&p, b->chart);
        else if (b->kind == REPORT_PAGE_BREAK && p.y > p.top + 0.5)
            next_page(&p);
    }
    cairo_show_page(p.cr);
    cairo_destroy(p.cr);
    return p.page;
}

/* cairo's write function into a buf (NULL: into nothing). */
static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
    if (closure)
        buf_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

int report_pdf_buf(const report_doc *d, buf *out, err *e)
{
    double w = d->landscape ? A4_LONG : A4_SHORT, h = d->landscape ? A4_SHORT : A4_LONG;
    cairo_surface_t *count = cairo_pdf_surface_create_for_stream(write_buf, NULL, w, h);
    int pages = run(count, d, w, h, 0);
    cairo_surface_destroy(count);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, out, w, h);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "itss");
    run(s, d, w, h, pages);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        err_set(e, "", 0, 0, NULL, "cannot draw the PDF: %s", cairo_status_to_string(st));
        return -1;
    }
    return 0;
}

int report_pdf_write(const report_doc *d, const char *path, err *e)
{
    buf b;
    buf_init(&b);
    int rc = report_pdf_buf(d, &b, e);
    if (rc == 0) {
        FILE *f = fopen(path, "wb");
        int ok = f && fwrite(b.data, 1, b.len, f) == b.len;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok) {
            err_set(e, path, 0, 0, NULL, "cannot write the PDF");
            rc = -1;
        }
    }
    buf_free(&b);
    return rc;
}
