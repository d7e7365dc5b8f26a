/* store_row.c - the store's one row reader: a struct filled from a statement row
 * by a per-entity column table (store_internal.h, store_row).
 *
 * Every find, get and list of the store files reads its rows through here: the
 * entity's table says, column by column in the order of its SELECT list, which
 * member of the struct the column fills and how (integer, flag, text, a name
 * parsed into an enum). Texts are heap copies owned by the struct; the entity's
 * clear function (or store_row_clear) frees them. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Column col of st into the member of item that c names. */
static void row_column(store *s, store_stmt *st, int col, const store_col *c, char *item)
{
    void *at = item + c->offset;
    switch (c->type) {
    case STORE_COL_I64: {
        int64_t v = store_q_int(s, st, col);
        memcpy(at, &v, sizeof v);
        break;
    }
    case STORE_COL_INT: {
        int v = (int)store_q_int(s, st, col);
        memcpy(at, &v, sizeof v);
        break;
    }
    case STORE_COL_BOOL: {
        int v = store_q_int(s, st, col) != 0;
        memcpy(at, &v, sizeof v);
        break;
    }
    case STORE_COL_TEXT: {
        char *v = store_q_dup(s, st, col);
        memcpy(at, &v, sizeof v);
        break;
    }
    case STORE_COL_ENUM: {
        const char *text = store_q_text(s, st, col);
        int v = c->parse(text ? text : "");
        if (v < 0)
            v = c->fallback;
        memcpy(at, &v, sizeof v);
        break;
    }
    }
}

/* Fills item (a struct of the row's kind) from the columns first.. of st's
 * current row. Texts are heap copies the item owns. */
void store_row_fill(store *s, store_stmt *st, const store_row *row, int first, void *item)
{
    for (size_t i = 0; i < row->n; i++)
        row_column(s, st, first + (int)i, &row->cols[i], item);
    if (row->then)
        store_row_fill(s, st, row->then, first + (int)row->n, (char *)item + row->then_offset);
}

/* Frees the texts of item that row fills (and its inner struct's) and zeroes
 * the item. */
void store_row_clear(const store_row *row, void *item)
{
    if (row->then)
        store_row_clear(row->then, (char *)item + row->then_offset);
    for (size_t i = 0; i < row->n; i++) {
        if (row->cols[i].type == STORE_COL_TEXT) {
            char *v;
            memcpy(&v, (char *)item + row->cols[i].offset, sizeof v);
            free(v);
        }
    }
    memset(item, 0, row->size);
}

/* Reads the first row of st into out (zeroed first) and releases st: 1 read,
 * 0 no row, -1 failed (also when st is NULL: opening it failed). The texts
 * read belong to out. */
int store_row_one(store *s, const store_row *row, store_stmt *st, void *out, err *e)
{
    memset(out, 0, row->size);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        store_row_fill(s, st, row, 0, out);
    store_q_close(s, st);
    return rc;
}

/* Reads every row of st into a new array of items and releases st. Returns the
 * array (the caller owns it and the texts in it; NULL when there is no row) with
 * the count in *count, and *rc 0; on failure (also when st is NULL) NULL, count
 * 0 and *rc -1, having freed what was read. */
void *store_row_all(store *s, const store_row *row, store_stmt *st, size_t *count, int *rc, err *e)
{
    *count = 0;
    *rc = -1;
    if (!st)
        return NULL;
    char *items = NULL;
    size_t n = 0;
    int step;
    while ((step = store_q_step(s, st, e)) == 1) {
        items = store_grow_array(items, n, row->size);
        memset(items + n * row->size, 0, row->size);
        store_row_fill(s, st, row, 0, items + n * row->size);
        n++;
    }
    store_q_close(s, st);
    if (step < 0) {
        store_row_free_all(row, items, n);
        return NULL;
    }
    *count = n;
    *rc = 0;
    return items;
}

/* Clears each of the count items (row's kind) and frees the array. */
void store_row_free_all(const store_row *row, void *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        store_row_clear(row, (char *)items + i * row->size);
    free(items);
}
