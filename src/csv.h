/* csv.h - CSV in and out, as Japanese offices exchange it with Excel.
 *
 * Reading: RFC 4180 (quoted fields with embedded commas, doubled quotes and line
 * breaks; CRLF or LF line ends) from a file or memory, one row at a time in
 * constant memory, so a file of 100,000 rows costs no more than one of ten. The
 * input is UTF-8 with or without a byte order mark, or CP932 (Shift_JIS as
 * Japanese Excel saves "CSV (comma delimited)"); CSV_AUTO decides per file: valid
 * UTF-8 is UTF-8, anything else is decoded as CP932 through iconv. Every field
 * arrives as UTF-8 with the place it starts in the original file: line and column,
 * the column counted in characters (not bytes) of that line.
 *
 * Problems are errors with a place (err.h): a quote never closed (at the line and
 * column where it opened), a byte that is not valid in the file's encoding, a stray
 * quote inside an unquoted field, text after a closing quote.
 *
 * Header handling maps columns by name (NFKC, case ignored, so ＥＭＰＬＯＹＥＥ_ＮＵＭＢＥＲ
 * and a Japanese label both work) and names every missing or unknown column.
 *
 * Writing: UTF-8 with a byte order mark and CRLF line ends, which Japanese Excel
 * opens without garbling; text fields that a spreadsheet would run as a formula
 * (starting with = + - @, tab or carriage return) get a leading apostrophe, which
 * csv_text() takes off again on import (docs/csv.md). */
#ifndef ITSS_CSV_H
#define ITSS_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "err.h"

#define CSV_MAX_FIELD (1u << 20)     /* bytes of one field (after decoding) */
#define CSV_MAX_ROW (4u << 20)       /* bytes of one row */
#define CSV_MAX_FIELDS 4096          /* fields of one row */

typedef enum csv_encoding {
    CSV_AUTO,                        /* UTF-8 when the whole file is valid UTF-8, else CP932 */
    CSV_UTF8,
    CSV_CP932
} csv_encoding;

/* "auto", "utf-8" (also "utf8"), "cp932" (also "shift_jis", "sjis"); -1 when
 * name is none of them (ASCII case ignored). */
int csv_encoding_parse(const char *name);
/* "auto", "UTF-8", "CP932". */
const char *csv_encoding_name(csv_encoding enc);

/* One field of a row: UTF-8 text, NUL-terminated, and where it starts. */
typedef struct csv_field {
    const char *text;                /* belongs to the reader until the next csv_next() */
    size_t len;                      /* bytes, without the NUL */
    int line;                        /* line of its first character (of the opening quote when quoted) */
    int column;                      /* 1-based, in characters of that line */
    int quoted;
} csv_field;

typedef struct csv_row {
    const csv_field *fields;         /* belong to the reader until the next csv_next() */
    size_t n_fields;                 /* at least 1: an empty line is one empty field */
    int line;                        /* the row's first line */
    int end_line;                    /* its last line (more than line when a quoted field holds a line break) */
} csv_row;

typedef struct csv_reader csv_reader;

/* Opens the file at path for reading with encoding enc. where names the file in
 * messages (normally the path). CSV_AUTO reads the file once through to decide,
 * before the first row. Returns the reader (csv_close() frees it) or NULL with *e
 * filled: the file cannot be opened, or is UTF-16 (Excel's "Unicode text"). */
csv_reader *csv_open_file(const char *path, const char *where, csv_encoding enc, err *e);

/* The same over data[0..len), which must stay unchanged until csv_close(). */
csv_reader *csv_open_memory(const char *data, size_t len, const char *where, csv_encoding enc, err *e);

/* What csv_next() found. */
enum {
    CSV_END = 0,                     /* no more rows */
    CSV_ROW = 1,                     /* *row holds the next row */
    CSV_BAD_ROW = -1,                /* the row was malformed (*e says where); reading goes on with the next line */
    CSV_FATAL = -2                   /* reading cannot go on (*e says why); every later call returns CSV_END */
};

/* Reads the next row into *row (which stays valid until the next call). Returns one
 * of the values above; *e (may be NULL) is filled for CSV_BAD_ROW and CSV_FATAL. */
int csv_next(csv_reader *r, csv_row *row, err *e);

/* The encoding being read: CSV_UTF8 or CSV_CP932 once open (CSV_AUTO is resolved). */
csv_encoding csv_reader_encoding(const csv_reader *r);
/* 1 when the input began with a UTF-8 byte order mark. */
int csv_reader_had_bom(const csv_reader *r);
/* Bytes of the input read so far and its total size (0 when unknown), for
 * progress reports. */
uint64_t csv_reader_offset(const csv_reader *r);
uint64_t csv_reader_size(const csv_reader *r);
/* The name used in messages. Belongs to the reader. */
const char *csv_reader_where(const csv_reader *r);

/* Closes the input and frees the reader. NULL is allowed. */
void csv_close(csv_reader *r);

/* 1 when every field of row is empty (what Excel writes for a blank line: ",,,"). */
int csv_row_is_blank(const csv_row *row);

/* The text of a field as it was before export neutralized it: a leading apostrophe
 * that csv_write_text() added (docs/csv.md) is skipped. Points into f->text. */
const char *csv_text(const csv_field *f);

/* ---- Columns by header name ---- */

/* A column a file may have. */
typedef struct csv_column {
    const char *name;                /* "employee_number": what templates and exports write */
    const char *label;               /* "社員番号": also accepted in a header; may be NULL */
    int required;
} csv_column;

/* Maps the header row to the columns cols[0..n_cols): map[i] becomes the field
 * index of cols[i] in every row, or -1 when the file does not have it; *width
 * (may be NULL) the number of header fields up to the last one with a name, so
 * that the empty cells Excel leaves at the end of a header do not count. Header
 * names match a column's name or label after NFKC folding, ASCII case ignored and
 * surrounding spaces trimmed. Adds to errors (at the header's place in the file
 * `where`) every required column that is missing, every header that names no
 * column or is empty, and every column given twice. Returns how many it added. */
int csv_header_map(const csv_row *header, const char *where, const csv_column *cols, size_t n_cols, int *map,
                   size_t *width, err_list *errors);

/* The field of column i (a map from csv_header_map) in row, or NULL when the file
 * has no such column or the row ends before it. */
const csv_field *csv_column_field(const csv_row *row, const int *map, size_t i);

/* Adds an error for each non-empty field of row beyond the n_columns the header
 * has. Returns how many it added. */
int csv_check_width(const csv_row *row, size_t n_columns, const char *where, err_list *errors);

/* ---- Writing ---- */

/* Writes rows into a buf: UTF-8 with a byte order mark, CRLF after each row. */
typedef struct csv_writer {
    buf *out;
    size_t n_fields;                 /* fields written in the current row */
} csv_writer;

/* Starts writing into out (the BOM first). */
void csv_writer_init(csv_writer *w, buf *out);
/* Appends a text field, quoted when it holds a comma, quote, line break or
 * leading/trailing space, with a leading apostrophe when a spreadsheet would read
 * it as a formula. NULL is written as an empty field. */
void csv_write_text(csv_writer *w, const char *s);
/* Appends an integer field. */
void csv_write_int(csv_writer *w, long long v);
/* Ends the row (CRLF). */
void csv_end_row(csv_writer *w);
/* Appends each of names[0..n) as a header row. */
void csv_write_header(csv_writer *w, const char *const *names, size_t n);

/* 1 when s, written to a spreadsheet as is, could start a formula, and so gets
 * an apostrophe from csv_write_text(). */
int csv_needs_neutralizing(const char *s);

#endif
