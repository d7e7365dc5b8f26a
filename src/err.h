/* err.h - errors as values with a place.
 *
 * Parsers (the JSON reader, the catalog loader, CSV import) and the command line
 * report problems the same way: where (file or field, line, column, JSON path or
 * parameter) and what. An err_list collects up to ERR_LIST_MAX of them so that a
 * validator can show many problems in one run. */
#ifndef ITSS_ERR_H
#define ITSS_ERR_H

#include <stddef.h>
#include <stdio.h>

#define ERR_LIST_MAX 100

typedef struct err {
    char where[256];   /* file name, form field or parameter; "" when unknown */
    int line;          /* 1-based; 0 when not applicable */
    int column;        /* 1-based, counted in characters; 0 when not applicable */
    char path[256];    /* JSON path such as specializations[1].levels[2]; "" when none */
    char message[512];
} err;

typedef struct err_list {
    err items[ERR_LIST_MAX];
    size_t count;      /* errors kept, at most ERR_LIST_MAX */
    size_t dropped;    /* errors beyond ERR_LIST_MAX that were counted, not kept */
} err_list;

/* Fills *e (when e is not NULL) with a place and a printf-style message. */
void err_set(err *e, const char *where, int line, int column, const char *path,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Appends one error to list; counts it in dropped when the list is full. */
void err_add(err_list *list, const char *where, int line, int column, const char *path,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Writes "where:line:column: path: message\n" to out, leaving out empty parts. */
void err_print(FILE *out, const err *e);

/* Formats the same line as err_print into dst (no newline); returns dst. */
char *err_format(const err *e, char *dst, size_t size);

#endif
