/* report_xlsx.h - a report (report_table.h) as an Excel workbook, written with
 * libxlsxwriter: a first sheet 条件 with the title and the filters, then a
 * sheet per table, named by its title, with a bold frozen header row, an
 * autofilter over the table, column widths from the contents, numbers as
 * numbers and 未到達 as text. Charts are left out (their tables are in the
 * report beside them). */
#ifndef ITSS_REPORT_XLSX_H
#define ITSS_REPORT_XLSX_H

#include "buf.h"
#include "err.h"
#include "report_table.h"

/* Writes d to the file at path. 0, or -1 with *e naming the file. */
int report_xlsx_write(const report_doc *d, const char *path, err *e);

/* Appends the workbook of d to out (made in a temporary file that is removed).
 * 0, or -1 with *e. */
int report_xlsx_buf(const report_doc *d, buf *out, err *e);

#endif
