/* store_person_order.c - every person's sort keys (store_person_order.h):
 * one read of id, employee number and name, ordered here with strcmp (the
 * order the lists of the web and the reports use on every backend, whatever
 * the database's collation). */
#include "store_person_order.h"
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "xalloc.h"

#define ORDER_SQL "SELECT id, employee_number, name FROM person"
#define QUEUE_COUNT_SQL "SELECT count(*) FROM assessment WHERE status = ?"
#define QUEUE_SQL "SELECT id FROM assessment WHERE status = ? ORDER BY updated_at, id LIMIT ?"

typedef struct person_key {
    int64_t id;
    char *number, *name;
    size_t at;                 /* index into the ranks */
} person_key;

static int by_number(const void *x, const void *y)
{
    return strcmp(((const person_key *)x)->number, ((const person_key *)y)->number);
}

static int by_name(const void *x, const void *y)
{
    const person_key *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->number, b->number);
}

static int by_id(const void *x, const void *y)
{
    int64_t a = ((const store_person_rank *)x)->person_id, b = ((const store_person_rank *)y)->person_id;
    return a < b ? -1 : a > b;
}

int store_person_ranks(store *s, store_person_rank **out, size_t *n, err *e)
{
    *out = NULL;
    *n = 0;
    store_stmt *st = store_q_open(s, STORE_SLOT_PERSON_ORDER, ORDER_SQL, e, "");
    if (!st)
        return -1;
    size_t count = 0, cap = 1024;
    person_key *keys = xcalloc(cap, sizeof *keys);
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (count == cap)
            keys = xrealloc(keys, (cap *= 2) * sizeof *keys);
        const char *number = store_q_text(s, st, 1), *name = store_q_text(s, st, 2);
        keys[count] = (person_key){ store_q_int(s, st, 0), xstrdup(number ? number : ""), xstrdup(name ? name : ""),
                                    count };
        count++;
    }
    store_q_close(s, st);
    store_person_rank *ranks = xcalloc(count + 1, sizeof *ranks);
    if (rc == 0) {
        for (size_t i = 0; i < count; i++)
            ranks[i].person_id = keys[i].id;
        qsort(keys, count, sizeof *keys, by_number);
        for (size_t i = 0; i < count; i++)
            ranks[keys[i].at].by_number = (int32_t)i;
        qsort(keys, count, sizeof *keys, by_name);
        for (size_t i = 0; i < count; i++)
            ranks[keys[i].at].by_name = (int32_t)i;
    }
    for (size_t i = 0; i < count; i++) {
        free(keys[i].number);
        free(keys[i].name);
    }
    free(keys);
    if (rc < 0) {
        free(ranks);
        return -1;
    }
    qsort(ranks, count, sizeof *ranks, by_id);
    *out = ranks;
    *n = count;
    return 0;
}

int store_assessment_queue(store *s, int status, size_t limit, int64_t *total, int64_t *ids, size_t *n, err *e)
{
    *total = 0;
    *n = 0;
    const char *name = assessment_status_name((assessment_status)status);
    store_stmt *st = store_q_open(s, STORE_SLOT_PERSON_ORDER + 1, QUEUE_COUNT_SQL, e, "t", name);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        *total = store_q_int(s, st, 0);
    store_q_close(s, st);
    if (rc < 0)
        return -1;
    st = store_q_open(s, STORE_SLOT_PERSON_ORDER + 2, QUEUE_SQL, e, "ti", name, (int64_t)limit);
    if (!st)
        return -1;
    while (*n < limit && (rc = store_q_step(s, st, e)) == 1)
        ids[(*n)++] = store_q_int(s, st, 0);
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}
