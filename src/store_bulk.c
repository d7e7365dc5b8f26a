/* store_bulk.c - answers of many assessments written inside one transaction
 * (store_bulk.h).
 *
 * The representation is docs/store.md's (schema version 6): per catalog version
 * a dictionary numbers the elements ever answered (answer_element, in order of
 * first use); per assessment and rater one vector of 3-bit codes by element
 * number (answer_values); evidence links by element number (answer_evidence);
 * one `answers` history row per save holding only what changed. This file
 * writes exactly what store_assessment_save_answers writes for the same answers
 * (tests/test_store_bulk.c compares the two byte for byte), from codes by the
 * caller's element numbers rather than from an assessment of strings.
 *
 * Portable SQL with `?`; statements from slot STORE_SLOT_BULK. */
#include "store_bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store_internal.h"
#include "store_packed.h"
#include "xalloc.h"


#define QUERY_BASE STORE_SLOT_BULK
#define BULK_QUERIES(X) \
    X(DICT_LOAD, "SELECT element_index, element_id FROM answer_element WHERE catalog_id = ? AND catalog_version = ? " \
                 "AND element_index >= ? ORDER BY element_index") \
    X(DICT_INSERT, "INSERT INTO answer_element (catalog_id, catalog_version, element_index, element_id) " \
                   "VALUES (?, ?, ?, ?)") \
    X(ASSESS_FIND, "SELECT id, status, catalog_id, catalog_version FROM assessment " \
                   "WHERE person_id = ? AND cycle_id = ?") \
    X(ASSESS_INSERT, "INSERT INTO assessment (person_id, cycle_id, catalog_id, catalog_version, status, created_at, " \
                     "updated_at, revision) VALUES (?, ?, ?, ?, 'draft', ?, ?, " NEXT_REVISION ") RETURNING id") \
    X(HISTORY_INSERT, "INSERT INTO assessment_history (assessment_id, at, actor, kind, old_value, new_value, " \
                      "changes) VALUES (?, ?, ?, ?, ?, ?, ?)") \
    X(RECORDS, "SELECT id, specialization_id, level, succeeded FROM experience WHERE person_id = ? ORDER BY id") \
    X(VALUES_LOAD, "SELECT rater, codes FROM answer_values WHERE assessment_id = ?") \
    X(EVIDENCE_LOAD, "SELECT rater, element_index, experience_id FROM answer_evidence WHERE assessment_id = ? " \
                     "ORDER BY rater, element_index, experience_id") \
    X(VALUES_PUT, "INSERT INTO answer_values (assessment_id, rater, codes) VALUES (?, ?, ?) " \
                  "ON CONFLICT (assessment_id, rater) DO UPDATE SET codes = excluded.codes") \
    X(EVIDENCE_INSERT, "INSERT INTO answer_evidence (assessment_id, rater, element_index, experience_id) " \
                       "VALUES (?, ?, ?, ?)") \
    X(EVIDENCE_DELETE, "DELETE FROM answer_evidence WHERE assessment_id = ? AND rater = ? AND element_index = ? " \
                       "AND experience_id = ?") \
    X(TOUCH, "UPDATE assessment SET updated_at = ?, revision = " NEXT_REVISION " WHERE id = ?") \
    X(STATUS, "UPDATE assessment SET status = ?, updated_at = ?, revision = " NEXT_REVISION " WHERE id = ?") \
    X(RESULTS_DROP, "DELETE FROM result WHERE assessment_id = ?") \
    X(RESULT_PUT, "INSERT INTO result (assessment_id, policy, specialization_id, level, detail, computed_at) " \
                  "VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (assessment_id, policy, specialization_id) DO UPDATE " \
                  "SET level = excluded.level, detail = excluded.detail, computed_at = excluded.computed_at")

enum { Q_FIRST_ = QUERY_BASE - 1, BULK_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { BULK_QUERIES(STORE_QUERY_SQL) };

/* Evidence links by element number, sorted by (rater, element, record). */
typedef struct link {
    int rater;
    uint32_t element;
    int64_t experience_id;
} link;

/* The answers of one assessment by element number. */
typedef struct state {
    uint8_t *codes[RATER_COUNT];
    size_t n;                      /* length of each codes array */
    link *links;
    size_t n_links, cap_links;
} state;

struct store_bulk {
    store *s;
    char *catalog_id, *version;
    const char *const *ids;        /* the caller's elements */
    size_t n;
    int32_t *number;               /* caller's element -> element number, -1 none yet */
    uint32_t *by_id;               /* the caller's elements sorted by id (strcmp): the order numbers are given in */
    char **dict;                   /* element id by number, as far as read */
    size_t n_dict;
    size_t unnumbered;             /* caller's elements without a number */
    state was, now;                /* the assessment being written */
    uint8_t *merged[RATER_COUNT];  /* now by the caller's numbering */
    uint8_t *given;                /* scratch: (number, rater) given in this put */
    int64_t records_of;            /* the person whose records are read */
    store_bulk_record *records;
    char **record_specs;
    size_t n_records, cap_records;
    buf packed, changes;
    int64_t kept_id;               /* the last assessment whose levels store_bulk_levels kept */
    int failed;
};

/* Sorts order[0..n) by ids[order[i]] (strcmp): an insertion sort, run once per
 * writer, so that no comparator state is shared between threads. */
static void sort_by_id(uint32_t *order, size_t n, const char *const *ids)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t v = order[i];
        size_t j = i;
        while (j > 0 && strcmp(ids[order[j - 1]], ids[v]) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

/* Orders links by rater, element, record. */
static int cmp_link(const void *a, const void *b)
{
    const link *x = a, *y = b;
    if (x->rater != y->rater)
        return x->rater - y->rater;
    if (x->element != y->element)
        return x->element < y->element ? -1 : 1;
    return x->experience_id < y->experience_id ? -1 : x->experience_id > y->experience_id;
}

/* Reads the numbers given since b last read them, and numbers the caller's
 * elements they name. */
static int dict_read(store_bulk *b, err *e)
{
    store_stmt *st = QUERY_OPEN(b->s, Q_DICT_LOAD, e, "tti", b->catalog_id, b->version,
                                  (int64_t)b->n_dict);
    if (!st)
        return -1;
    size_t first = b->n_dict;
    int rc;
    while ((rc = store_q_step(b->s, st, e)) == 1) {
        const char *id = store_q_text(b->s, st, 1);
        if (store_q_int(b->s, st, 0) != (int64_t)b->n_dict || !id) {
            err_set(e, "", 0, 0, NULL, "the element numbers of catalog %s %s have a gap at %zu", b->catalog_id,
                    b->version, b->n_dict);
            rc = -1;
            break;
        }
        b->dict = xrealloc(b->dict, (b->n_dict + 1) * sizeof *b->dict);
        b->dict[b->n_dict++] = xstrdup(id);
    }
    store_q_close(b->s, st);
    if (rc < 0)
        return -1;
    /* a binary search of each new dictionary entry among the caller's ids */
    for (size_t k = first; k < b->n_dict; k++) {
        size_t lo = 0, hi = b->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int c = strcmp(b->ids[b->by_id[mid]], b->dict[k]);
            if (c == 0) {
                if (b->number[b->by_id[mid]] < 0)
                    b->unnumbered--;
                b->number[b->by_id[mid]] = (int32_t)k;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    return 0;
}

store_bulk *store_bulk_new(store *s, const char *catalog_id, const char *version, const char *const *ids, size_t n,
                           err *e)
{
    if (store_depth(s) < 1) {
        err_set(e, "", 0, 0, NULL, "a bulk write of answers needs an open transaction");
        return NULL;
    }
    store_bulk *b = xcalloc(1, sizeof *b);
    b->s = s;
    b->catalog_id = xstrdup(catalog_id);
    b->version = xstrdup(version);
    b->ids = ids;
    b->n = n;
    b->number = xmalloc((n + 1) * sizeof *b->number);
    b->by_id = xmalloc((n + 1) * sizeof *b->by_id);
    for (size_t i = 0; i < n; i++) {
        b->number[i] = -1;
        b->by_id[i] = (uint32_t)i;
    }
    sort_by_id(b->by_id, n, ids);
    b->unnumbered = n;
    for (int r = 0; r < RATER_COUNT; r++)
        b->merged[r] = xcalloc(n + 1, 1);
    b->records_of = -1;
    buf_init(&b->packed);
    buf_init(&b->changes);
    if (dict_read(b, e) < 0) {
        store_bulk_free(b);
        return NULL;
    }
    return b;
}

/* Frees what st holds and empties it. */
static void state_clear(state *st)
{
    for (int r = 0; r < RATER_COUNT; r++)
        free(st->codes[r]);
    free(st->links);
    memset(st, 0, sizeof *st);
}

void store_bulk_free(store_bulk *b)
{
    if (!b)
        return;
    free(b->catalog_id);
    free(b->version);
    free(b->number);
    free(b->by_id);
    for (size_t k = 0; k < b->n_dict; k++)
        free(b->dict[k]);
    free(b->dict);
    state_clear(&b->was);
    state_clear(&b->now);
    for (int r = 0; r < RATER_COUNT; r++)
        free(b->merged[r]);
    free(b->given);
    for (size_t i = 0; i < b->n_records; i++)
        free(b->record_specs[i]);
    free(b->record_specs);
    free(b->records);
    buf_free(&b->packed);
    buf_free(&b->changes);
    free(b);
}

/* Refuses calls on a writer after a failure. */
static int check_alive(store_bulk *b, err *e)
{
    if (!b->failed)
        return 0;
    err_set(e, "", 0, 0, NULL, "an earlier write of this import failed; nothing more is written");
    return -1;
}

/* Marks the writer failed (every later call refused); returns -1. */
static int fail(store_bulk *b)
{
    b->failed = 1;
    return -1;
}

/* Appends one history row of assessment id. */
static int history_add(store_bulk *b, int64_t id, const char *at, const char *actor, const char *kind,
                       const char *old_value, const char *new_value, const buf *changes, err *e)
{
    store_stmt *st = QUERY_OPEN(b->s, Q_HISTORY_INSERT, e, "itttt" "t", id, at, actor, kind,
                                  old_value, new_value);
    if (!st)
        return -1;
    const store_driver *drv = store_q_driver(b->s);
    if (changes)
        drv->bind_blob(st, 7, changes->data, changes->len);
    else
        drv->bind_text(st, 7, NULL);
    int rc;
    while ((rc = store_q_step(b->s, st, e)) == 1)
        ;
    store_q_close(b->s, st);
    return rc;
}

int store_bulk_assessment(store_bulk *b, int64_t person_id, int64_t cycle_id, const char *actor,
                          store_bulk_target *t, err *e)
{
    memset(t, 0, sizeof *t);
    if (check_alive(b, e) < 0)
        return -1;
    t->person_id = person_id;
    store_stmt *st = QUERY_OPEN(b->s, Q_ASSESS_FIND, e, "ii", person_id, cycle_id);
    if (!st)
        return fail(b);
    int rc = store_q_step(b->s, st, e);
    if (rc == 1) {
        const char *status = store_q_text(b->s, st, 1);
        const char *cid = store_q_text(b->s, st, 2), *ver = store_q_text(b->s, st, 3);
        int k = assessment_status_parse(status ? status : "");
        t->id = store_q_int(b->s, st, 0);
        t->status = k < 0 ? ASSESSMENT_DRAFT : (assessment_status)k;
        snprintf(t->catalog_id, sizeof t->catalog_id, "%s", cid ? cid : "");
        snprintf(t->catalog_version, sizeof t->catalog_version, "%s", ver ? ver : "");
        t->same_catalog = cid && ver && strcmp(cid, b->catalog_id) == 0 && strcmp(ver, b->version) == 0;
    }
    store_q_close(b->s, st);
    if (rc < 0)
        return fail(b);
    if (rc == 1)
        return 0;
    char at[24];
    store_now_utc(at);
    st = QUERY_OPEN(b->s, Q_ASSESS_INSERT, e, "iittt" "t", person_id, cycle_id, b->catalog_id,
                      b->version, at, at);
    if (!st)
        return fail(b);
    if ((rc = store_q_step(b->s, st, e)) == 1)
        t->id = store_q_int(b->s, st, 0);
    store_q_close(b->s, st);
    if (rc != 1) {
        if (rc == 0)
            err_set(e, "", 0, 0, NULL, "the new assessment has no id");
        return fail(b);
    }
    char what[300];
    snprintf(what, sizeof what, "%s %s", b->catalog_id, b->version);
    if (history_add(b, t->id, at, actor, "created", NULL, what, NULL, e) < 0)
        return fail(b);
    t->created = 1;
    t->status = ASSESSMENT_DRAFT;
    t->same_catalog = 1;
    snprintf(t->catalog_id, sizeof t->catalog_id, "%s", b->catalog_id);
    snprintf(t->catalog_version, sizeof t->catalog_version, "%s", b->version);
    return 0;
}

int store_bulk_records(store_bulk *b, int64_t person_id, const store_bulk_record **out, size_t *n, err *e)
{
    if (b->records_of != person_id) {
        for (size_t i = 0; i < b->n_records; i++)
            free(b->record_specs[i]);
        b->n_records = 0;
        b->records_of = -1;
        store_stmt *st = QUERY_OPEN(b->s, Q_RECORDS, e, "i", person_id);
        if (!st)
            return -1;
        int rc;
        while ((rc = store_q_step(b->s, st, e)) == 1) {
            if (b->n_records == b->cap_records) {
                b->cap_records = b->cap_records ? 2 * b->cap_records : 16;
                b->records = xrealloc(b->records, b->cap_records * sizeof *b->records);
                b->record_specs = xrealloc(b->record_specs, b->cap_records * sizeof *b->record_specs);
            }
            store_bulk_record *x = &b->records[b->n_records];
            const char *spec = store_q_text(b->s, st, 1);
            b->record_specs[b->n_records] = xstrdup(spec ? spec : "");
            x->id = store_q_int(b->s, st, 0);
            x->level = (int)store_q_int(b->s, st, 2);
            x->succeeded = store_q_int(b->s, st, 3) != 0;
            b->n_records++;
        }
        store_q_close(b->s, st);
        if (rc < 0)
            return -1;
        for (size_t i = 0; i < b->n_records; i++)
            b->records[i].specialization_id = b->record_specs[i];
        b->records_of = person_id;
    }
    *out = b->records;
    *n = b->n_records;
    return 0;
}

/* ---- one assessment's answers ---- */

/* Makes room for n codes per rater (new ones 0). */
static void state_reserve(state *st, size_t n)
{
    if (n <= st->n)
        return;
    for (int r = 0; r < RATER_COUNT; r++) {
        st->codes[r] = xrealloc(st->codes[r], n);
        memset(st->codes[r] + st->n, 0, n - st->n);
    }
    st->n = n;
}

/* Empties st, keeping its memory. */
static void state_empty(state *st)
{
    for (int r = 0; r < RATER_COUNT; r++)
        if (st->n)
            memset(st->codes[r], 0, st->n);
    st->n_links = 0;
}

/* Appends one link to st. */
static void push_link(state *st, int rater, uint32_t element, int64_t experience_id)
{
    if (st->n_links == st->cap_links) {
        st->cap_links = st->cap_links ? 2 * st->cap_links : 64;
        st->links = xrealloc(st->links, st->cap_links * sizeof *st->links);
    }
    st->links[st->n_links++] = (link){ rater, element, experience_id };
}

/* Reads the stored answers of assessment id into b->was. */
static int state_load(store_bulk *b, int64_t id, err *e)
{
    store_stmt *q = QUERY_OPEN(b->s, Q_VALUES_LOAD, e, "i", id);
    if (!q)
        return -1;
    int rc;
    while ((rc = store_q_step(b->s, q, e)) == 1) {
        int64_t rater = store_q_int(b->s, q, 0);
        size_t len;
        const unsigned char *bytes = store_q_blob(b->s, q, 1, &len);
        if (rater < 0 || rater >= RATER_COUNT || !bytes)
            continue;
        size_t n = len * 8 / CODE_BITS;
        state_reserve(&b->was, n);
        for (size_t i = 0; i < n; i++) {
            size_t bit = i * CODE_BITS;
            unsigned v = bytes[bit / 8] | (bit / 8 + 1 < len ? (unsigned)bytes[bit / 8 + 1] << 8 : 0u);
            b->was.codes[rater][i] = (uint8_t)((v >> (bit % 8)) & 7u);
        }
    }
    store_q_close(b->s, q);
    if (rc < 0 || !(q = QUERY_OPEN(b->s, Q_EVIDENCE_LOAD, e, "i", id)))
        return -1;
    while ((rc = store_q_step(b->s, q, e)) == 1)
        push_link(&b->was, (int)store_q_int(b->s, q, 0), (uint32_t)store_q_int(b->s, q, 1), store_q_int(b->s, q, 2));
    store_q_close(b->s, q);
    return rc < 0 ? -1 : 0;
}

/* Gives numbers to the given elements that have none, in the order of their
 * ids (as store_assessment_save_answers does, answers sorted by id). */
static int number_given(store_bulk *b, const uint8_t *const codes[RATER_COUNT], err *e)
{
    int missing = 0;
    for (size_t i = 0; i < b->n && !missing; i++)
        missing = b->number[i] < 0 && (codes[0][i] || codes[1][i]);
    if (!missing)
        return 0;
    if (dict_read(b, e) < 0)       /* another writer on this connection may have given some */
        return -1;
    for (size_t j = 0; j < b->n; j++) {
        uint32_t i = b->by_id[j];
        if (b->number[i] >= 0 || !(codes[0][i] || codes[1][i]))
            continue;
        if (QUERY_EXEC(b->s, Q_DICT_INSERT, e, "ttit", b->catalog_id, b->version,
                         (int64_t)b->n_dict, b->ids[i]) < 0)
            return -1;
        b->dict = xrealloc(b->dict, (b->n_dict + 1) * sizeof *b->dict);
        b->dict[b->n_dict] = xstrdup(b->ids[i]);
        b->number[i] = (int32_t)b->n_dict++;
        b->unnumbered--;
    }
    return 0;
}

/* Appends v as a varint (7 bits a byte, low first). */
static void put_varint(buf *out, uint64_t v)
{
    while (v >= 0x80) {
        buf_putc(out, (char)(v | 0x80));
        v >>= 7;
    }
    buf_putc(out, (char)v);
}

/* The end of the links of (rater, element) in st starting at `from` (links
 * sorted by rater, element, record). */
static size_t links_end(const state *st, size_t from, int rater, uint32_t element)
{
    while (from < st->n_links && st->links[from].rater == rater && st->links[from].element == element)
        from++;
    return from;
}

/* The first link of rater in st. */
static size_t links_of_rater(const state *st, int rater)
{
    size_t i = 0;
    while (i < st->n_links && st->links[i].rater < rater)
        i++;
    return i;
}

/* The history's record of what changed from b->was to b->now (store.c's
 * changes_encode, docs/store.md): per changed answer in (element, rater)
 * order, varint((element - previous) << 1 | rater), a byte (new code | 8 when
 * the evidence changed), then when it did the evidence as a count and record
 * ids each the difference to the one before; runs then become run records
 * (store_changes_runs, the one writer of them). Returns how many changed. */
static size_t changes_encode(store_bulk *b)
{
    const state *was = &b->was, *now = &b->now;
    size_t n = was->n > now->n ? was->n : now->n, count = 0;
    size_t wat[RATER_COUNT], nat[RATER_COUNT];
    for (int r = 0; r < RATER_COUNT; r++) {
        wat[r] = links_of_rater(was, r);
        nat[r] = links_of_rater(now, r);
    }
    uint32_t prev = 0;
    buf_reset(&b->changes);
    for (uint32_t k = 0; k < n; k++)
        for (int r = 0; r < RATER_COUNT; r++) {
            int oc = k < was->n ? was->codes[r][k] : 0, nc = k < now->n ? now->codes[r][k] : 0;
            /* every link names an element below n, so the cursors stop at each in turn */
            size_t wf = wat[r], wt = links_end(was, wf, r, k), nf = nat[r], nt = links_end(now, nf, r, k);
            wat[r] = wt;
            nat[r] = nt;
            int ev_same = wt - wf == nt - nf;
            for (size_t i = 0; ev_same && i < wt - wf; i++)
                ev_same = was->links[wf + i].experience_id == now->links[nf + i].experience_id;
            if (oc == nc && ev_same)
                continue;
            put_varint(&b->changes, ((uint64_t)(k - prev) << 1) | (uint64_t)r);
            prev = k;
            buf_putc(&b->changes, (char)(nc | (ev_same ? 0 : 8)));
            if (!ev_same) {
                put_varint(&b->changes, nt - nf);
                int64_t last = 0;
                for (size_t i = nf; i < nt; i++) {
                    put_varint(&b->changes, (uint64_t)(now->links[i].experience_id - last));
                    last = now->links[i].experience_id;
                }
            }
            count++;
        }
    store_changes_runs(&b->changes);
    return count;
}

/* Writes the rows that differ between b->was and b->now for assessment id. */
static int state_store(store_bulk *b, int64_t id, err *e)
{
    const state *was = &b->was, *now = &b->now;
    const store_driver *drv = store_q_driver(b->s);
    int rc = 0;
    for (int r = 0; rc == 0 && r < RATER_COUNT; r++) {
        size_t n = was->n > now->n ? was->n : now->n;
        int differ = 0;
        for (size_t k = 0; k < n && !differ; k++)
            differ = (k < was->n ? was->codes[r][k] : 0) != (k < now->n ? now->codes[r][k] : 0);
        if (!differ)
            continue;
        size_t bytes = store_codes_pack(now->codes[r], now->n, &b->packed);
        store_stmt *st = QUERY_OPEN(b->s, Q_VALUES_PUT, e, "ii", id, (int64_t)r);
        if (!st)
            return -1;
        drv->bind_blob(st, 3, b->packed.data, bytes);   /* never empty: answers are only ever added */
        while ((rc = store_q_step(b->s, st, e)) == 1)
            ;
        store_q_close(b->s, st);
    }
    size_t i = 0, j = 0;
    while (rc == 0 && (i < was->n_links || j < now->n_links)) {
        int c = i >= was->n_links ? 1 : j >= now->n_links ? -1 : cmp_link(&was->links[i], &now->links[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            const link *l = &was->links[i++];
            rc = QUERY_EXEC(b->s, Q_EVIDENCE_DELETE, e, "iiii", id, (int64_t)l->rater,
                              (int64_t)l->element, l->experience_id);
        } else {
            const link *l = &now->links[j++];
            rc = QUERY_EXEC(b->s, Q_EVIDENCE_INSERT, e, "iiii", id, (int64_t)l->rater,
                              (int64_t)l->element, l->experience_id);
        }
    }
    return rc;
}

/* b->now: b->was with the given answers and their evidence set. */
static void state_merge(store_bulk *b, const uint8_t *const codes[RATER_COUNT], const store_bulk_link *links,
                        size_t n_links)
{
    state *now = &b->now;
    state_empty(now);
    state_reserve(now, b->was.n > b->n_dict ? b->was.n : b->n_dict);
    for (int r = 0; r < RATER_COUNT; r++)
        if (b->was.n)
            memcpy(now->codes[r], b->was.codes[r], b->was.n);
    for (int r = 0; r < RATER_COUNT; r++)
        for (size_t i = 0; i < b->n; i++)
            if (codes[r][i])
                now->codes[r][b->number[i]] = codes[r][i];
    /* links: the stored ones of answers not given, then the given ones */
    if (b->was.n_links) {
        b->given = xrealloc(b->given, now->n * RATER_COUNT + 1);
        memset(b->given, 0, now->n * RATER_COUNT);
        for (int r = 0; r < RATER_COUNT; r++)
            for (size_t i = 0; i < b->n; i++)
                if (codes[r][i])
                    b->given[(size_t)b->number[i] * RATER_COUNT + (size_t)r] = 1;
    }
    for (size_t i = 0; i < b->was.n_links; i++) {
        const link *l = &b->was.links[i];
        if (l->element >= now->n || !b->given[(size_t)l->element * RATER_COUNT + (size_t)l->rater])
            push_link(now, l->rater, l->element, l->experience_id);
    }
    for (size_t i = 0; i < n_links; i++)
        push_link(now, links[i].rater, (uint32_t)b->number[links[i].element], links[i].experience_id);
    if (now->n_links > 1)
        qsort(now->links, now->n_links, sizeof *now->links, cmp_link);
    size_t u = 0;                  /* a record named twice counts once */
    for (size_t i = 0; i < now->n_links; i++)
        if (!u || cmp_link(&now->links[u - 1], &now->links[i]) != 0)
            now->links[u++] = now->links[i];
    now->n_links = u;
}

/* Checks that every link names a record of the person (the records read). */
static int check_links(store_bulk *b, const store_bulk_target *t, const uint8_t *const codes[RATER_COUNT],
                       const store_bulk_link *links, size_t n_links, err *e)
{
    if (n_links == 0)
        return 0;
    const store_bulk_record *recs;
    size_t n;
    if (store_bulk_records(b, t->person_id, &recs, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n_links; i++) {
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (recs[mid].id < links[i].experience_id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (links[i].element >= b->n || links[i].rater < 0 || links[i].rater >= RATER_COUNT
            || !codes[links[i].rater][links[i].element]) {
            err_set(e, "", 0, 0, NULL, "evidence names element %u, which is not given an answer",
                    (unsigned)links[i].element);
            return -1;
        }
        if (lo == n || recs[lo].id != links[i].experience_id) {
            err_set(e, "", 0, 0, b->ids[links[i].element], "evidence '%lld' is not an experience record of this person",
                    (long long)links[i].experience_id);
            return -1;
        }
    }
    return 0;
}

/* The message store_assessment_save_answers gives for an approved assessment. */
static int refuse_approved(store_bulk *b, const store_bulk_target *t, err *e)
{
    store_assessment a;
    err ignored;
    if (store_assessment_get(b->s, t->id, &a, &ignored) == 1) {
        err_set(e, "", 0, 0, NULL, "the assessment of %s in %s is approved; return it before changing answers",
                a.employee_number, a.cycle);
        store_assessment_clear(&a);
    } else
        err_set(e, "", 0, 0, NULL, "the assessment is approved; return it before changing answers");
    return -1;
}

int store_bulk_put(store_bulk *b, const store_bulk_target *t, const uint8_t *const codes[RATER_COUNT],
                   const store_bulk_link *links, size_t n_links, const char *actor, err *e)
{
    if (check_alive(b, e) < 0)
        return -1;
    if (t->status == ASSESSMENT_APPROVED)
        return refuse_approved(b, t, e);
    if (!t->same_catalog) {
        err_set(e, "", 0, 0, NULL, "the assessment is made against catalog %s version %s, not %s version %s",
                t->catalog_id, t->catalog_version, b->catalog_id, b->version);
        return -1;
    }
    if (check_links(b, t, codes, links, n_links, e) < 0)
        return -1;
    state_empty(&b->was);
    if ((!t->created && state_load(b, t->id, e) < 0) || number_given(b, codes, e) < 0)
        return fail(b);
    state_merge(b, codes, links, n_links);
    for (int r = 0; r < RATER_COUNT; r++)
        for (size_t i = 0; i < b->n; i++)
            b->merged[r][i] = b->number[i] >= 0 && (size_t)b->number[i] < b->now.n ? b->now.codes[r][b->number[i]] : 0;
    if (changes_encode(b) == 0)
        return 0;
    char at[24];
    store_now_utc(at);
    /* The kept results are the levels of the self answers: dropped when those
     * changed, unless nobody can have kept any (made by this writer, no levels
     * kept for it since). */
    int self_changed = 0;
    for (size_t k = 0; k < b->now.n && !self_changed; k++)
        self_changed = b->now.codes[RATER_SELF][k] != (k < b->was.n ? b->was.codes[RATER_SELF][k] : 0);
    int drop = self_changed && !(t->created && b->kept_id != t->id);
    if (state_store(b, t->id, e) < 0 || history_add(b, t->id, at, actor, "answers", NULL, NULL, &b->changes, e) < 0
        || QUERY_EXEC(b->s, Q_TOUCH, e, "ti", at, t->id) < 0
        || (drop && QUERY_EXEC(b->s, Q_RESULTS_DROP, e, "i", t->id) < 0))
        return fail(b);
    return 0;
}

const uint8_t *store_bulk_codes(const store_bulk *b, int rater)
{
    return rater >= 0 && rater < RATER_COUNT ? b->merged[rater] : NULL;
}

int store_bulk_levels(store_bulk *b, const store_bulk_target *t, const char *policy, const char *const *spec_ids,
                      const int *levels, size_t n_specs, err *e)
{
    if (check_alive(b, e) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    b->kept_id = t->id;
    for (size_t i = 0; i < n_specs; i++)
        if (QUERY_EXEC(b->s, Q_RESULT_PUT, e, "ittit", t->id, policy, spec_ids[i],
                         (int64_t)levels[i], at) < 0)
            return fail(b);
    return 0;
}

int store_bulk_status(store_bulk *b, store_bulk_target *t, assessment_status status, const char *actor, err *e)
{
    if (check_alive(b, e) < 0)
        return -1;
    if (t->status == status)
        return 0;
    char at[24];
    store_now_utc(at);
    if (QUERY_EXEC(b->s, Q_STATUS, e, "tti", assessment_status_name(status), at, t->id) < 0
        || history_add(b, t->id, at, actor, "status", assessment_status_name(t->status), assessment_status_name(status),
                       NULL, e) < 0)
        return fail(b);
    t->status = status;
    return 0;
}
