/* report_table.h - the one model of a report, below its file formats: a
 * document (a title, the filters it was made with, then headings, paragraphs,
 * tables and charts in order) that report_xlsx.c writes as a workbook (a sheet
 * per table) and report_pdf.c as A4 pages, and any table of it as CSV. The
 * builders of a report (report_person.c, report_org.c) fill one; the faces
 * (`itss report`, the web's downloads) only choose the file format.
 *
 * Cells are text, whole numbers or empty; a level is a number, except 0 which
 * is the text 未到達 (the standard's "not reached") and -1 which is empty (no
 * level: not assessed, or no official level). Every string is copied; a
 * document owns all it holds (report_doc_free). Out of memory aborts
 * (xalloc.h). */
#ifndef ITSS_REPORT_TABLE_H
#define ITSS_REPORT_TABLE_H

#include <stddef.h>
#include "buf.h"

/* The text of level 0 in every report: 未到達. */
extern const char report_not_reached[];

typedef enum report_cell_kind { REPORT_EMPTY, REPORT_TEXT, REPORT_NUMBER } report_cell_kind;

typedef struct report_cell {
    report_cell_kind kind;
    char *text;                /* REPORT_TEXT */
    long long number;          /* REPORT_NUMBER */
} report_cell;

/* A table: headers and rows of cells. Rows may be indented (a unit under its
 * parent) and bold (a total). */
typedef struct report_table {
    char *title;               /* the sheet's name, the PDF's caption */
    size_t n_cols;
    char **headers;
    report_cell *cells;        /* n_rows × n_cols, row by row */
    unsigned char *indent;     /* per row: depth of the first cell */
    unsigned char *bold;       /* per row */
    size_t n_rows, cap_rows;
    int sheet_only;            /* a list too long to print: in the workbook, not the PDF */
    int print_only;            /* a shortened table for the PDF (the workbook has the whole one) */
} report_table;

/* A chart, drawn as vectors in the PDF (the workbook has its table instead).
 * RADAR: one axis per label, a polygon per series, values 0 .. max.
 * BARS: one horizontal bar per label, stacked by series (counts). */
typedef enum report_chart_kind { REPORT_RADAR, REPORT_BARS } report_chart_kind;

typedef struct report_chart {
    report_chart_kind kind;
    char *title;               /* also its text alternative's lead */
    size_t n_labels, n_series;
    char **labels, **series;
    double *values;            /* n_series × n_labels, series by series */
    double max;                /* RADAR: the outer ring */
} report_chart;

typedef enum report_block_kind {
    REPORT_HEADING, REPORT_PARAGRAPH, REPORT_TABLE_BLOCK, REPORT_CHART, REPORT_PAGE_BREAK
} report_block_kind;

typedef struct report_block {
    report_block_kind kind;
    char *text;                /* HEADING, PARAGRAPH */
    report_table *table;       /* TABLE_BLOCK */
    report_chart *chart;       /* CHART */
} report_block;

typedef struct report_doc {
    char *title;               /* on every page */
    char **filters;            /* "期間: 2026年度" ...: printed under the title on every page */
    size_t n_filters;
    int landscape;             /* A4 across (wide tables) rather than upright */
    report_block *blocks;
    size_t n_blocks;
} report_doc;

/* Starts an empty document called title. Free with report_doc_free. */
void report_doc_init(report_doc *d, const char *title);
void report_doc_free(report_doc *d);
/* Adds a filter line ("単位: CS-1 第一カスタマサービス部"), printf-style. */
void report_doc_filter(report_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_doc_heading(report_doc *d, const char *text);
void report_doc_paragraph(report_doc *d, const char *text);
void report_doc_page_break(report_doc *d);
/* Adds a table of n_cols columns with these headers; the document owns it. */
report_table *report_doc_table(report_doc *d, const char *title, size_t n_cols, const char *const *headers);
/* Adds a chart of kind with n_labels labels and n_series series, every label,
 * name and value to be filled by the caller (report_chart_label, ...). */
report_chart *report_doc_chart(report_doc *d, report_chart_kind kind, const char *title, size_t n_labels,
                               size_t n_series);
void report_chart_label(report_chart *c, size_t i, const char *label);
void report_chart_series(report_chart *c, size_t s, const char *name);
void report_chart_value(report_chart *c, size_t s, size_t i, double v);

/* Starts a new row (every cell empty) and returns its index. */
size_t report_table_row(report_table *t);
void report_row_style(report_table *t, size_t row, int indent, int bold);
/* Sets a cell of row; col must be < n_cols. */
void report_cell_text(report_table *t, size_t row, size_t col, const char *text);
void report_cell_number(report_table *t, size_t row, size_t col, long long v);
/* A level: 0 is 未到達 (text), below 0 empty, else the number. */
void report_cell_level(report_table *t, size_t row, size_t col, int level);
const report_cell *report_table_cell(const report_table *t, size_t row, size_t col);

/* Appends t as CSV (csv.h: UTF-8 with a byte order mark, CRLF), headers first. */
void report_table_csv(const report_table *t, buf *out);

#endif
