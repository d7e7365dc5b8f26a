/* err.c - errors as values with a place (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <string.h>

static void err_fill(err *e, const char *where, int line, int column, const char *path,
                     const char *fmt, va_list ap)
{
    snprintf(e->where, sizeof e->where, "%s", where ? where : "");
    e->line = line;
    e->column = column;
    snprintf(e->path, sizeof e->path, "%s", path ? path : "");
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    e->code = ERR_FAILED;
    e->key[0] = '\0';
}

/* Fills *e with a place and a message; does nothing when e is NULL. */
void err_set(err *e, const char *where, int line, int column, const char *path,
             const char *fmt, ...)
{
    va_list ap;
    if (!e) return;
    va_start(ap, fmt);
    err_fill(e, where, line, column, path, fmt, ap);
    va_end(ap);
}

/* Fills *e as a refusal with a code and a message key; returns -1. */
int err_refuse(err *e, err_code code, const char *key, const char *field, const char *fmt, ...)
{
    char message[sizeof e->message];   /* the arguments may point into *e */
    va_list ap;
    if (!e) return -1;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    err_set(e, "", 0, 0, field, "%s", message);
    e->code = code;
    snprintf(e->key, sizeof e->key, "%s", key ? key : "");
    return -1;
}

/* Appends an error to list, or counts it as dropped when the list is full. */
void err_add(err_list *list, const char *where, int line, int column, const char *path,
             const char *fmt, ...)
{
    va_list ap;
    if (!list) return;
    if (list->count >= ERR_LIST_MAX) { list->dropped++; return; }
    va_start(ap, fmt);
    err_fill(&list->items[list->count++], where, line, column, path, fmt, ap);
    va_end(ap);
}

/* Formats "where:line:column: path: message" into dst; returns dst. */
char *err_format(const err *e, char *dst, size_t size)
{
    size_t n = 0;
    dst[0] = '\0';
#define ERR_PUT(...) do { if (n < size) { int k = snprintf(dst + n, size - n, __VA_ARGS__); \
                          if (k > 0) n += (size_t)k; } } while (0)
    if (e->where[0]) ERR_PUT("%s:", e->where);
    if (e->line > 0) ERR_PUT("%d:", e->line);
    if (e->line > 0 && e->column > 0) ERR_PUT("%d:", e->column);
    if (n > 0) ERR_PUT(" ");
    if (e->path[0]) ERR_PUT("%s: ", e->path);
    ERR_PUT("%s", e->message);
#undef ERR_PUT
    return dst;
}

/* Writes one error as a line to out. */
void err_print(FILE *out, const err *e)
{
    char line[1200];
    fprintf(out, "%s\n", err_format(e, line, sizeof line));
}

void err_list_sort(err_list *list)
{
    for (size_t i = 1; i < list->count; i++) {
        err x = list->items[i];
        size_t j = i;
        while (j > 0 && (list->items[j - 1].line > x.line
                         || (list->items[j - 1].line == x.line && list->items[j - 1].column > x.column))) {
            list->items[j] = list->items[j - 1];
            j--;
        }
        list->items[j] = x;
    }
}
