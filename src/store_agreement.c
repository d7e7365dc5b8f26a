/* store_agreement.c - a reviewer's agreements with the self-rating (store.h
 * store_agreement_*, docs/review.md "A review decides every criterion"), kept
 * since schema 15 as one row per assessment (review_agreed): the elements
 * agreed as their numbers in the catalog version's element dictionary, varint
 * differences (store_numbers_encode), and who changed them last and when.
 * Before, one row per element (review_agreement): agreeing with the rest of a
 * self-assessment wrote ~230 rows, 12.7 KB, more than all else a person holds.
 * A change reads the row, changes the set and writes it back, inside the
 * store's write transaction (writers are serialized). Slots from
 * STORE_SLOT_AGREEMENT. */
#include "store_internal.h"
#include "store_packed.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

#define QUERY_BASE STORE_SLOT_AGREEMENT
#define AGREEMENT_QUERIES(X) \
    X(ASSESSMENT, "SELECT status, catalog_id, catalog_version FROM assessment WHERE id = ?") \
    X(READ, "SELECT elements FROM review_agreed WHERE assessment_id = ?") \
    X(PUT, "INSERT INTO review_agreed (assessment_id, updated_by, updated_at, elements) VALUES (?, ?, ?, ?) " \
           "ON CONFLICT (assessment_id) DO UPDATE SET elements = excluded.elements, " \
           "updated_by = excluded.updated_by, updated_at = excluded.updated_at") \
    X(REMOVE, "DELETE FROM review_agreed WHERE assessment_id = ?") \
    X(BUMP, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE id = ?") \
    X(OLD_ROWS, "SELECT r.assessment_id, r.element_id, r.agreed_by, r.agreed_at, a.catalog_id, a.catalog_version " \
                "FROM review_agreement_v14 r JOIN assessment a ON a.id = r.assessment_id " \
                "ORDER BY r.assessment_id, r.element_id")

enum { Q_FIRST_ = QUERY_BASE - 1, AGREEMENT_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { AGREEMENT_QUERIES(STORE_QUERY_SQL) };

/* The element numbers agreed in assessment id into *numbers (caller frees),
 * *n of them. 0, or -1. */
static int numbers_read(store *s, int64_t id, uint32_t **numbers, size_t *n, err *e)
{
    *numbers = NULL;
    *n = 0;
    store_stmt *st = QUERY_OPEN(s, Q_READ, e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        size_t len = 0, pos = 0;
        const unsigned char *p = store_q_blob(s, st, 0, &len);
        uint64_t k = 0;
        while (p && pos < len) {
            k += store_get_varint(p, len, &pos);
            *PUSH(*numbers, *n) = (uint32_t)k;
        }
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

/* Writes numbers[0..n) as assessment id's agreements (none: the row goes). */
static int numbers_write(store *s, int64_t id, uint32_t *numbers, size_t n, const char *actor, const char *at,
                         err *e)
{
    if (n == 0)
        return QUERY_EXEC(s, Q_REMOVE, e, "i", id);
    buf b;
    buf_init(&b);
    store_numbers_encode(numbers, n, &b);
    store_stmt *st = QUERY_OPEN(s, Q_PUT, e, "itt", id, actor, at);
    int rc = st ? 0 : -1;
    if (st) {
        s->drv->bind_blob(st, 4, b.data, b.len);
        while ((rc = store_q_step(s, st, e)) == 1)
            ;
        store_q_close(s, st);
    }
    buf_free(&b);
    return rc;
}

/* The dictionary of assessment id's catalog version into *d, refusing an
 * approved assessment when `changing`. 1, or -1 with *e. */
static int assessment_dict(store *s, int64_t id, int changing, elem_dict **d, err *e)
{
    store_stmt *st = QUERY_OPEN(s, Q_ASSESSMENT, e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    *d = NULL;
    if (rc == 0)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)id);
    else if (rc == 1 && changing && strcmp(store_q_text(s, st, 0), "approved") == 0)
        err_set(e, "", 0, 0, "status", "the assessment is approved; it cannot change");
    else if (rc == 1)
        *d = store_dict_get(s, store_q_text(s, st, 1), store_q_text(s, st, 2), e);
    store_q_close(s, st);
    return *d ? 1 : -1;
}

int store_agreement_set(store *s, int64_t assessment_id, const char *element_id, int agreed, const char *actor,
                        err *e)
{
    if (store_check_actor(e, actor) < 0)
        return -1;
    if (!element_id || !*element_id || strlen(element_id) > 200)
        return store_field_error(e, "element_id", "an element id is required");
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    elem_dict *d;
    uint32_t *numbers = NULL;
    size_t n = 0;
    int rc = assessment_dict(s, assessment_id, 1, &d, e) < 0 ? -1 : 0;
    if (rc == 0)
        rc = numbers_read(s, assessment_id, &numbers, &n, e);
    long k = -1;
    if (rc == 0 && agreed && (k = store_dict_number(s, d, element_id, e)) < 0)
        rc = -1;
    /* not agreed: its number, when any (another process may have given it one) */
    if (rc == 0 && !agreed && (k = store_dict_lookup(d, element_id)) < 0) {
        rc = store_dict_refresh(s, d, e);
        k = rc == 0 ? store_dict_lookup(d, element_id) : -1;
    }
    if (rc == 0) {
        uint32_t *next = xmalloc((n + 1) * sizeof *next);
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (numbers[i] != (uint32_t)k)
                next[kept++] = numbers[i];
        if (agreed)
            next[kept++] = (uint32_t)k;
        free(numbers);
        numbers = next;
        n = kept;
    }
    if (rc == 0)
        rc = numbers_write(s, assessment_id, numbers, n, actor, at, e);
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_BUMP, e, "i", assessment_id);
    free(numbers);
    return store_tx_end(s, rc, e);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int store_agreement_list_assessment(store *s, int64_t assessment_id, store_agreement_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = QUERY_OPEN(s, Q_READ, e, "i", assessment_id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        elem_dict *d = NULL;
        size_t len = 0;
        const unsigned char *p = store_q_blob(s, st, 0, &len);
        /* copied: the dictionary's reads may reuse the statement's memory */
        unsigned char *copy = xmalloc(len ? len : 1);
        memcpy(copy, p, len);
        store_q_close(s, st);
        st = NULL;
        rc = assessment_dict(s, assessment_id, 0, &d, e) < 0 ? -1 : 0;
        if (rc == 0)
            rc = store_numbers_ids(s, d, copy, len, &out->element_ids, &out->count, e);
        free(copy);
        if (rc == 0 && out->count > 1)
            qsort(out->element_ids, out->count, sizeof *out->element_ids, cmp_text);
    }
    if (st)
        store_q_close(s, st);
    if (rc < 0)
        store_agreement_list_free(out);
    return rc < 0 ? -1 : 0;
}

void store_agreement_list_free(store_agreement_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->element_ids[i]);
    free(l->element_ids);
    memset(l, 0, sizeof *l);
}

/* One assessment's agreements being gathered by the conversion. */
typedef struct gathered {
    int64_t id;
    uint32_t *numbers;
    size_t n;
    char *by, *at;             /* of the latest agreement */
} gathered;

/* Writes what g gathered (if anything) and empties it. */
static int gathered_flush(store *s, gathered *g, err *e)
{
    int rc = g->n ? numbers_write(s, g->id, g->numbers, g->n, g->by, g->at, e) : 0;
    free(g->numbers);
    free(g->by);
    free(g->at);
    memset(g, 0, sizeof *g);
    return rc;
}

int store_agreements_convert(store *s, err *e)
{
    store_stmt *st = QUERY_OPEN(s, Q_OLD_ROWS, e, "");
    if (!st)
        return -1;
    gathered g;
    memset(&g, 0, sizeof g);
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        int64_t id = store_q_int(s, st, 0);
        if (id != g.id && gathered_flush(s, &g, e) < 0) {
            rc = -1;
            break;
        }
        g.id = id;
        elem_dict *d = store_dict_get(s, store_q_text(s, st, 4), store_q_text(s, st, 5), e);
        long k = d ? store_dict_number(s, d, store_q_text(s, st, 1), e) : -1;
        if (k < 0) {
            rc = -1;
            break;
        }
        *PUSH(g.numbers, g.n) = (uint32_t)k;
        const char *at = store_q_text(s, st, 3);
        if (!g.at || strcmp(at, g.at) >= 0) {
            free(g.by);
            free(g.at);
            g.by = store_q_dup(s, st, 2);
            g.at = xstrdup(at);
        }
    }
    store_q_close(s, st);
    if (rc == 0) {
        rc = gathered_flush(s, &g, e);
    } else {
        free(g.numbers);
        free(g.by);
        free(g.at);
    }
    if (rc == 0)
        rc = s->drv->exec(s->conn, "DROP TABLE review_agreement_v14", e);
    return rc < 0 ? -1 : 0;
}
