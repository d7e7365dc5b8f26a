/* import_int.h - what import.c lends the importers of answers
 * (import_assessments.c), people (import_people.c) and experience records
 * (import_experience.c): the run, its errors and the rows of the file. Only
 * import*.c include it. */
#ifndef ITSS_IMPORT_INT_H
#define ITSS_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include "catalog.h"
#include "csv.h"
#include "err.h"
#include "import.h"
#include "store.h"

/* A string map: key -> two numbers. Open addressing over FNV-1a; keys are
 * copied into the map. Grows at 50 % load. */
typedef struct import_map_entry {
    char *key;
    int64_t a, b;
} import_map_entry;

typedef struct import_map {
    import_map_entry *slots;
    size_t cap, count;
} import_map;

/* The entry of key, or NULL. The entry belongs to the map (until the next put). */
import_map_entry *import_map_get(const import_map *m, const char *key);
/* The entry of key, added with a = b = 0 when missing (*added says which). */
import_map_entry *import_map_put(import_map *m, const char *key, int *added);
void import_map_free(import_map *m);

/* One import run. */
typedef struct import {
    const import_options *opts;
    const char *file;          /* the file's name: the place in every error */
    const char *actor;         /* for the history */
    store *db;
    csv_reader *csv;
    err_list *errors;
    int writing;               /* 0 after the first error: only checking goes on */
    long rows;                 /* data rows read (blank ones not counted) */
    long written;              /* people added / answers saved / experience records added */
    long assessments, created; /* assessments touched and created */
    long updated, left;        /* people changed and people who left / experience records replaced */
    long kill_at;              /* tests: the process kills itself on reading this row (0: never) */
} import;

/* Records an error at a field (or at line/column when f is NULL); stops writing. */
void import_error(import *im, const csv_field *f, int line, int column, const char *column_name,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* import_error with a message key (import.h lists them) and the value it names,
 * so that a face can word the error in its own language. */
void import_refuse(import *im, const csv_field *f, int line, int column, const char *column_name,
                   const char *key, const char *detail, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* Reads the header row (the first row that is not blank) and maps it. Returns 0,
 * or -1 when there is no usable header (the errors say why). */
int import_read_header(import *im, const csv_column *cols, size_t n_cols, int *map, size_t *width);
/* The next data row (blank rows skipped; malformed ones reported and skipped).
 * 1 with *row filled, 0 at the end (or after an error that ends reading). */
int import_next_row(import *im, csv_row *row, size_t width);
/* The text of column i in row ("" when absent), neutralization undone; the
 * field in *f (f may be NULL). */
const char *import_cell(const csv_row *row, const int *map, size_t i, const csv_field **f);
/* A copy of s without the spaces (ASCII or U+3000) around it; caller frees. */
char *import_trimmed(const char *s);

/* Imports answer rows (import_assessments.c). */
void import_assessments(import *im, const catalog *cat);
/* Imports people rows: adds, updates, leavers (import_people.c). */
void import_people(import *im);
/* Imports experience record rows (import_experience.c). */
void import_experience(import *im, const catalog *cat);

#endif
