/* report_xlsx.c - a report as an Excel workbook (report_xlsx.h), one sheet per
 * table, with libxlsxwriter. Sheet names follow Excel's rules (at most 31
 * characters, none of []:*?/\, unique): a title that breaks them is cut,
 * its forbidden characters become '_', and a repeated one gets " (2)". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "report_table.h"
#include "report_xlsx.h"
#include "text.h"
#include "xalloc.h"

#define SHEET_NAME_MAX 31          /* characters */
#define COLUMN_WIDTH_MAX 60.0

/* The formats a workbook uses. */
typedef struct xlsx_formats {
    lxw_format *header, *bold, *indent[8], *bold_indent[8];
} xlsx_formats;

/* name cut to Excel's sheet-name rules into out (bytes of whole characters). */
static void sheet_name(const char *title, char *out, size_t size)
{
    size_t o = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)(title && *title ? title : "表"); *p && chars < SHEET_NAME_MAX;) {
        size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        if (o + len + 1 > size)
            break;
        if (len == 1 && strchr("[]:*?/\\'", *p))
            out[o++] = '_';
        else
            for (size_t k = 0; k < len && p[k]; k++)
                out[o++] = (char)p[k];
        p += len;
        chars++;
    }
    out[o] = '\0';
}

/* A sheet name for title not yet taken in wb (" (2)", " (3)" ... added). */
static void unique_sheet_name(lxw_workbook *wb, const char *title, char *out, size_t size)
{
    char base[200];
    sheet_name(title, base, sizeof base);
    snprintf(out, size, "%s", base);
    for (int n = 2; workbook_get_worksheet_by_name(wb, out) && n < 1000; n++) {
        char cut[200];
        sheet_name(title, cut, sizeof cut);
        /* room for " (n)": cut to 25 characters */
        size_t o = 0, chars = 0;
        for (const unsigned char *p = (const unsigned char *)cut; *p && chars < 25; chars++) {
            size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
            o += len;
            p += len;
        }
        snprintf(out, size, "%.*s (%d)", (int)o, cut, n);
    }
}

/* The width of a column as Excel counts it (East Asian characters are two). */
static double cell_width(const report_cell *c, int indent)
{
    char num[32];
    const char *s = c->kind == REPORT_TEXT ? c->text : c->kind == REPORT_NUMBER ? num : "";
    if (c->kind == REPORT_NUMBER)
        snprintf(num, sizeof num, "%lld", c->number);
    return text_width(s) + 2.0 * indent;
}

/* One table as a sheet. */
static void write_table(lxw_workbook *wb, const xlsx_formats *f, const report_table *t)
{
    char name[200];
    unique_sheet_name(wb, t->title, name, sizeof name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return;
    for (size_t c = 0; c < t->n_cols; c++) {
        worksheet_write_string(ws, 0, (lxw_col_t)c, t->headers[c], f->header);
        double w = text_width(t->headers[c]) + 2.0;
        for (size_t r = 0; r < t->n_rows; r++) {
            double cw = cell_width(report_table_cell(t, r, c), c == 0 ? t->indent[r] : 0) + 1.0;
            if (cw > w)
                w = cw;
        }
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w > COLUMN_WIDTH_MAX ? COLUMN_WIDTH_MAX : w, NULL);
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        int depth = t->indent[r] > 7 ? 7 : t->indent[r];
        for (size_t c = 0; c < t->n_cols; c++) {
            const report_cell *x = report_table_cell(t, r, c);
            lxw_format *fmt = c == 0 && depth ? (t->bold[r] ? f->bold_indent[depth] : f->indent[depth])
                              : t->bold[r] ? f->bold : NULL;
            lxw_row_t row = (lxw_row_t)(r + 1);
            if (x->kind == REPORT_NUMBER)
                worksheet_write_number(ws, row, (lxw_col_t)c, (double)x->number, fmt);
            else if (x->kind == REPORT_TEXT)
                worksheet_write_string(ws, row, (lxw_col_t)c, x->text, fmt);
            else if (fmt)
                worksheet_write_blank(ws, row, (lxw_col_t)c, fmt);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (t->n_cols)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->n_rows, (lxw_col_t)(t->n_cols - 1));
}

/* The first sheet: the title and the filters the report was made with. */
static void write_conditions(lxw_workbook *wb, const xlsx_formats *f, const report_doc *d)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "条件");
    if (!ws)
        return;
    worksheet_write_string(ws, 0, 0, d->title, f->header);
    double w = text_width(d->title) + 2.0;
    for (size_t i = 0; i < d->n_filters; i++) {
        worksheet_write_string(ws, (lxw_row_t)(i + 1), 0, d->filters[i], NULL);
        if (text_width(d->filters[i]) + 2.0 > w)
            w = text_width(d->filters[i]) + 2.0;
    }
    worksheet_set_column(ws, 0, 0, w > 100 ? 100 : w, NULL);
}

int report_xlsx_write(const report_doc *d, const char *path, err *e)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        err_set(e, path, 0, 0, NULL, "cannot create the workbook");
        return -1;
    }
    xlsx_formats f;
    memset(&f, 0, sizeof f);
    f.header = workbook_add_format(wb);
    format_set_bold(f.header);
    format_set_bottom(f.header, LXW_BORDER_THIN);
    format_set_bg_color(f.header, 0xE8EEF7);
    f.bold = workbook_add_format(wb);
    format_set_bold(f.bold);
    for (int i = 1; i < 8; i++) {
        f.indent[i] = workbook_add_format(wb);
        format_set_indent(f.indent[i], (uint8_t)i);
        f.bold_indent[i] = workbook_add_format(wb);
        format_set_indent(f.bold_indent[i], (uint8_t)i);
        format_set_bold(f.bold_indent[i]);
    }
    write_conditions(wb, &f, d);
    for (size_t i = 0; i < d->n_blocks; i++)
        if (d->blocks[i].kind == REPORT_TABLE_BLOCK && !d->blocks[i].table->print_only)
            write_table(wb, &f, d->blocks[i].table);
    lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR) {
        err_set(e, path, 0, 0, NULL, "cannot write the workbook: %s", lxw_strerror(rc));
        return -1;
    }
    return 0;
}

int report_xlsx_buf(const report_doc *d, buf *out, err *e)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/itss-report-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        err_set(e, path, 0, 0, NULL, "cannot make a temporary file for the workbook");
        return -1;
    }
    close(fd);
    int rc = report_xlsx_write(d, path, e);
    FILE *in = rc == 0 ? fopen(path, "rb") : NULL;
    if (rc == 0 && !in) {
        err_set(e, path, 0, 0, NULL, "cannot read the workbook back");
        rc = -1;
    }
    if (in) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
            buf_append(out, chunk, n);
        fclose(in);
    }
    unlink(path);
    return rc;
}
