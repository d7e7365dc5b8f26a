/* report_pdf.h - a report (report_table.h) as a PDF, drawn with cairo and laid
 * out with pango in Noto Sans CJK JP (fonts-noto-cjk): A4 (upright, or across
 * when the document asks), the title and the filters at the top of every page,
 * "ページ n / N" at the foot, tables whose header row is repeated on every page
 * they run onto (wide ones wrapped within the page), and charts as vectors.
 * Text stays text: pdftotext reads it back. Tables marked sheet_only are left
 * out (they are the workbook's). */
#ifndef ITSS_REPORT_PDF_H
#define ITSS_REPORT_PDF_H

#include "buf.h"
#include "err.h"
#include "report_table.h"

/* The font family every PDF is set in. */
#define REPORT_PDF_FONT "Noto Sans CJK JP"

/* Appends the PDF of d to out. 0, or -1 with *e. */
int report_pdf_buf(const report_doc *d, buf *out, err *e);

/* Writes the PDF of d to the file at path. 0, or -1 with *e naming the file. */
int report_pdf_write(const report_doc *d, const char *path, err *e);

#endif
