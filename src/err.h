/* err.h - errors as values with a place.
 *
 * Parsers (the JSON reader, the catalog loader, CSV import) and the command line
 * report problems the same way: where (file or field, line, column, JSON path or
 * parameter) and what. An err_list collects up to ERR_LIST_MAX of them so that a
 * validator can show many problems in one run.
 *
 * An err also says what kind of failure it is (err_code) and, for a refusal of
 * the domain's rules or the store's, a message key ("email.invalid",
 * "person.number_taken"; the list is in rules.h). The message is English for the
 * command line and the logs; a face that speaks another language words the key
 * itself, so it translates the store's refusal instead of checking again. */
#ifndef ITSS_ERR_H
#define ITSS_ERR_H

#include <stddef.h>
#include <stdio.h>

#define ERR_LIST_MAX 100

/* What kind of failure an err reports. */
typedef enum err_code {
    ERR_FAILED = 0,    /* not classified: a parse error, I/O, the database itself */
    ERR_INVALID,       /* a value breaks a domain rule (rules.h); the key names the rule */
    ERR_DUPLICATE,     /* the value is taken: an employee number, a unit code, a cycle name, a login */
    ERR_NOT_FOUND,     /* something the change refers to does not exist: a unit, a manager, a person */
    ERR_CONFLICT       /* the change would break the data's shape: one's own manager, a unit below itself */
} err_code;

typedef struct err {
    char where[256];   /* file name, form field or parameter; "" when unknown */
    int line;          /* 1-based; 0 when not applicable */
    int column;        /* 1-based, counted in characters; 0 when not applicable */
    char path[256];    /* JSON path such as specializations[1].levels[2]; "" when none */
    char message[512];
    err_code code;     /* ERR_FAILED unless the one who filled it said otherwise */
    char key[48];      /* the message key of a refusal (rules.h); "" when none */
    char detail[128];  /* the value a keyed message names (an unknown code...); "" when none */
} err;

typedef struct err_list {
    err items[ERR_LIST_MAX];
    size_t count;      /* errors kept, at most ERR_LIST_MAX */
    size_t dropped;    /* errors beyond ERR_LIST_MAX that were counted, not kept */
} err_list;

/* Fills *e (when e is not NULL) with a place and a printf-style message. */
void err_set(err *e, const char *where, int line, int column, const char *path,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Fills *e (when e is not NULL) as a refusal of field (kept as the path, where
 * empty): code, message key and a printf-style English message. Returns -1, so
 * that a check can end with `return err_refuse(...)`. */
int err_refuse(err *e, err_code code, const char *key, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Appends one error to list; counts it in dropped when the list is full. */
/* Orders list's errors by line, then column (stable: the errors of one cell stay
 * in the order they were found, as checks that end at the end of a file add
 * theirs late). */
void err_list_sort(err_list *list);

void err_add(err_list *list, const char *where, int line, int column, const char *path,
             const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Writes "where:line:column: path: message\n" to out, leaving out empty parts. */
void err_print(FILE *out, const err *e);

/* Formats the same line as err_print into dst (no newline); returns dst. */
char *err_format(const err *e, char *dst, size_t size);

#endif
