/* report_table.c - the one model of a report (report_table.h): a document of
 * headings, paragraphs, tables and charts, built in memory by a report's
 * builder and written by report_xlsx.c, report_pdf.c or as CSV. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "report_table.h"
#include "xalloc.h"

const char report_not_reached[] = "未到達";

void report_doc_init(report_doc *d, const char *title)
{
    memset(d, 0, sizeof *d);
    d->title = xstrdup(title ? title : "");
}

/* A new block at the end of d (zeroed); the document owns it. */
static report_block *add_block(report_doc *d, report_block_kind kind)
{
    d->blocks = xrealloc(d->blocks, (d->n_blocks + 1) * sizeof *d->blocks);
    report_block *b = &d->blocks[d->n_blocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void report_doc_filter(report_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf b;
    buf_init(&b);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    d->filters = xrealloc(d->filters, (d->n_filters + 1) * sizeof *d->filters);
    d->filters[d->n_filters++] = xstrdup(b.data ? b.data : "");
    buf_free(&b);
}

void report_doc_heading(report_doc *d, const char *text)
{
    add_block(d, REPORT_HEADING)->text = xstrdup(text ? text : "");
}

void report_doc_paragraph(report_doc *d, const char *text)
{
    add_block(d, REPORT_PARAGRAPH)->text = xstrdup(text ? text : "");
}

void report_doc_page_break(report_doc *d)
{
    add_block(d, REPORT_PAGE_BREAK);
}

report_table *report_doc_table(report_doc *d, const char *title, size_t n_cols, const char *const *headers)
{
    report_table *t = xcalloc(1, sizeof *t);
    t->title = xstrdup(title ? title : "");
    t->n_cols = n_cols;
    t->headers = xcalloc(n_cols ? n_cols : 1, sizeof *t->headers);
    for (size_t i = 0; i < n_cols; i++)
        t->headers[i] = xstrdup(headers[i] ? headers[i] : "");
    add_block(d, REPORT_TABLE_BLOCK)->table = t;
    return t;
}

report_chart *report_doc_chart(report_doc *d, report_chart_kind kind, const char *title, size_t n_labels,
                               size_t n_series)
{
    report_chart *c = xcalloc(1, sizeof *c);
    c->kind = kind;
    c->title = xstrdup(title ? title : "");
    c->n_labels = n_labels;
    c->n_series = n_series;
    c->labels = xcalloc(n_labels ? n_labels : 1, sizeof *c->labels);
    c->series = xcalloc(n_series ? n_series : 1, sizeof *c->series);
    c->values = xcalloc((n_labels ? n_labels : 1) * (n_series ? n_series : 1), sizeof *c->values);
    add_block(d, REPORT_CHART)->chart = c;
    return c;
}

void report_chart_label(report_chart *c, size_t i, const char *label)
{
    free(c->labels[i]);
    c->labels[i] = xstrdup(label ? label : "");
}

void report_chart_series(report_chart *c, size_t s, const char *name)
{
    free(c->series[s]);
    c->series[s] = xstrdup(name ? name : "");
}

void report_chart_value(report_chart *c, size_t s, size_t i, double v)
{
    c->values[s * c->n_labels + i] = v;
}

size_t report_table_row(report_table *t)
{
    if (t->n_rows == t->cap_rows) {
        t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 16;
        t->cells = xrealloc(t->cells, t->cap_rows * (t->n_cols ? t->n_cols : 1) * sizeof *t->cells);
        t->indent = xrealloc(t->indent, t->cap_rows);
        t->bold = xrealloc(t->bold, t->cap_rows);
    }
    size_t row = t->n_rows++;
    memset(&t->cells[row * t->n_cols], 0, t->n_cols * sizeof *t->cells);
    t->indent[row] = 0;
    t->bold[row] = 0;
    return row;
}

void report_row_style(report_table *t, size_t row, int indent, int bold)
{
    t->indent[row] = (unsigned char)(indent < 0 ? 0 : indent > 20 ? 20 : indent);
    t->bold[row] = bold ? 1 : 0;
}

/* The cell at (row, col), emptied of any text it held. */
static report_cell *reset_cell(report_table *t, size_t row, size_t col)
{
    report_cell *c = &t->cells[row * t->n_cols + col];
    free(c->text);
    memset(c, 0, sizeof *c);
    return c;
}

void report_cell_text(report_table *t, size_t row, size_t col, const char *text)
{
    report_cell *c = reset_cell(t, row, col);
    if (text) {
        c->kind = REPORT_TEXT;
        c->text = xstrdup(text);
    }
}

void report_cell_number(report_table *t, size_t row, size_t col, long long v)
{
    report_cell *c = reset_cell(t, row, col);
    c->kind = REPORT_NUMBER;
    c->number = v;
}

void report_cell_level(report_table *t, size_t row, size_t col, int level)
{
    if (level < 0)
        reset_cell(t, row, col);
    else if (level == 0)
        report_cell_text(t, row, col, report_not_reached);
    else
        report_cell_number(t, row, col, level);
}

const report_cell *report_table_cell(const report_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->n_cols + col];
}

void report_table_csv(const report_table *t, buf *out)
{
    csv_writer w;
    csv_writer_init(&w, out);
    csv_write_header(&w, (const char *const *)t->headers, t->n_cols);
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols; c++) {
            const report_cell *x = report_table_cell(t, r, c);
            if (x->kind == REPORT_NUMBER)
                csv_write_int(&w, x->number);
            else
                csv_write_text(&w, x->kind == REPORT_TEXT ? x->text : "");
        }
        csv_end_row(&w);
    }
}

/* Frees a table and what it holds. */
static void table_free(report_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i].text);
    for (size_t i = 0; i < t->n_cols; i++)
        free(t->headers[i]);
    free(t->headers);
    free(t->cells);
    free(t->indent);
    free(t->bold);
    free(t->title);
    free(t);
}

/* Frees a chart and what it holds. */
static void chart_free(report_chart *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_labels; i++)
        free(c->labels[i]);
    for (size_t i = 0; i < c->n_series; i++)
        free(c->series[i]);
    free(c->labels);
    free(c->series);
    free(c->values);
    free(c->title);
    free(c);
}

void report_doc_free(report_doc *d)
{
    for (size_t i = 0; i < d->n_blocks; i++) {
        free(d->blocks[i].text);
        table_free(d->blocks[i].table);
        chart_free(d->blocks[i].chart);
    }
    for (size_t i = 0; i < d->n_filters; i++)
        free(d->filters[i]);
    free(d->filters);
    free(d->blocks);
    free(d->title);
    memset(d, 0, sizeof *d);
}
