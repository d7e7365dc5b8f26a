/* store_packed.c - how the store keeps answers (docs/store.md, schema version 6):
 * the element dictionaries, the answers of an assessment unpacked and packed
 * again, and the history row of a change holding only what changed
 * (store_packed.h). One slot per statement from STORE_SLOT_PACKED. */
#include "store_internal.h"
#include "store_packed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

#define QUERY_BASE STORE_SLOT_PACKED
#define PACKED_QUERIES(X) \
    X(DICT_LOAD, "SELECT element_index, element_id FROM answer_element WHERE catalog_id = ? AND catalog_version = ? " \
                 "AND element_index >= ? ORDER BY element_index") \
    X(DICT_INSERT, "INSERT INTO answer_element (catalog_id, catalog_version, element_index, element_id) " \
                   "VALUES (?, ?, ?, ?)") \
    X(VALUES_LOAD, "SELECT rater, codes FROM answer_values WHERE assessment_id = ?") \
    X(VALUES_PUT, "INSERT INTO answer_values (assessment_id, rater, codes) VALUES (?, ?, ?) " \
                  "ON CONFLICT (assessment_id, rater) DO UPDATE SET codes = excluded.codes") \
    X(VALUES_DELETE, "DELETE FROM answer_values WHERE assessment_id = ? AND rater = ?") \
    X(EVIDENCE_LOAD, "SELECT rater, element_index, experience_id FROM answer_evidence WHERE assessment_id = ? " \
                     "ORDER BY rater, element_index, experience_id") \
    X(EVIDENCE_INSERT, "INSERT INTO answer_evidence (assessment_id, rater, element_index, experience_id) " \
                       "VALUES (?, ?, ?, ?)") \
    X(EVIDENCE_DELETE_ONE, "DELETE FROM answer_evidence WHERE assessment_id = ? AND rater = ? " \
                           "AND element_index = ? AND experience_id = ?") \
    X(HISTORY_INSERT, "INSERT INTO assessment_history (assessment_id, at, actor, kind, old_value, new_value, " \
                      "changes) VALUES (?, ?, ?, ?, ?, ?, ?)")

enum { Q_FIRST_ = QUERY_BASE - 1, PACKED_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { PACKED_QUERIES(STORE_QUERY_SQL) };

/* FNV-1a hash of s, for the dictionary's open addressing. */
static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261U;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619U;
    }
    return h;
}

/* Frees the dictionary d and everything it holds. */
static void dict_free(elem_dict *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->ids[i]);
    free(d->ids);
    free(d->slots);
    free(d->order);
    free(d->catalog_id);
    free(d->catalog_version);
    free(d);
}

/* Forgets every dictionary read: after a rollback, numbers given inside it are
 * gone from the database. */
void store_dicts_forget(store *s)
{
    for (size_t i = 0; i < s->n_dicts; i++)
        dict_free(s->dicts[i]);
    free(s->dicts);
    s->dicts = NULL;
    s->n_dicts = 0;
}

/* The number of element id in d, or -1. */
long store_dict_lookup(const elem_dict *d, const char *id)
{
    if (!d->n_slots)
        return -1;
    for (size_t i = str_hash(id) & (d->n_slots - 1);; i = (i + 1) & (d->n_slots - 1)) {
        uint32_t v = d->slots[i];
        if (!v)
            return -1;
        if (strcmp(d->ids[v - 1], id) == 0)
            return (long)(v - 1);
    }
}

/* Appends id as number d->n (memory only). */
static void dict_append(elem_dict *d, const char *id)
{
    if ((d->n + 1) * 2 >= d->n_slots) {
        size_t n_slots = d->n_slots ? d->n_slots * 2 : 1024;
        uint32_t *slots = xmalloc(n_slots * sizeof *slots);
        for (size_t k = 0; k < d->n; k++)
            for (size_t i = str_hash(d->ids[k]) & (n_slots - 1);; i = (i + 1) & (n_slots - 1))
                if (!slots[i]) {
                    slots[i] = (uint32_t)k + 1;
                    break;
                }
        free(d->slots);
        d->slots = slots;
        d->n_slots = n_slots;
    }
    *PUSH(d->ids, d->n) = xstrdup(id);
    for (size_t i = str_hash(id) & (d->n_slots - 1);; i = (i + 1) & (d->n_slots - 1))
        if (!d->slots[i]) {
            d->slots[i] = (uint32_t)d->n;
            break;
        }
}

/* Reads the numbers given since d was last read. */
int store_dict_refresh(store *s, elem_dict *d, err *e)
{
    store_stmt *st = QUERY_OPEN(s, Q_DICT_LOAD, e, "tti", d->catalog_id, d->catalog_version, (int64_t)d->n);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        const char *id = s->drv->column_text(st, 1);
        if (s->drv->column_int(st, 0) != (int64_t)d->n || !id) {
            err_set(e, s->location, 0, 0, NULL, "the element numbers of catalog %s %s have a gap at %zu",
                    d->catalog_id, d->catalog_version, d->n);
            rc = -1;
            break;
        }
        dict_append(d, id);
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

/* The dictionary of a catalog version, read when first needed. NULL on failure. */
elem_dict *store_dict_get(store *s, const char *catalog_id, const char *version, err *e)
{
    for (size_t i = 0; i < s->n_dicts; i++)
        if (strcmp(s->dicts[i]->catalog_id, catalog_id) == 0 && strcmp(s->dicts[i]->catalog_version, version) == 0)
            return s->dicts[i];
    elem_dict *d = xmalloc(sizeof *d);
    d->catalog_id = xstrdup(catalog_id);
    d->catalog_version = xstrdup(version);
    if (store_dict_refresh(s, d, e) < 0) {
        dict_free(d);
        return NULL;
    }
    *PUSH(s->dicts, s->n_dicts) = d;
    return d;
}

/* The number of element id, given now when it has none (inside the caller's
 * write transaction). -1 on failure. */
long store_dict_number(store *s, elem_dict *d, const char *id, err *e)
{
    long k = store_dict_lookup(d, id);
    if (k >= 0)
        return k;
    if (store_dict_refresh(s, d, e) < 0)
        return -1;
    if ((k = store_dict_lookup(d, id)) >= 0)
        return k;
    if (QUERY_EXEC(s, Q_DICT_INSERT, e, "ttit", d->catalog_id, d->catalog_version, (int64_t)d->n, id) < 0)
        return -1;
    dict_append(d, id);
    return (long)d->n - 1;
}

/* Fills d->order: the element numbers sorted by element id, the order in which
 * an assessment keeps its answers (so that loading appends). */
void store_dict_order(elem_dict *d)
{
    if (d->n_order == d->n)
        return;
    free(d->order);
    d->order = xmalloc((d->n ? d->n : 1) * sizeof *d->order);
    for (size_t i = 0; i < d->n; i++)
        d->order[i] = (uint32_t)i;
    /* An insertion sort: no comparator state to share, and it runs once per
     * dictionary and connection. */
    for (size_t i = 1; i < d->n; i++) {
        uint32_t v = d->order[i];
        size_t j = i;
        while (j > 0 && strcmp(d->ids[d->order[j - 1]], d->ids[v]) > 0) {
            d->order[j] = d->order[j - 1];
            j--;
        }
        d->order[j] = v;
    }
    d->n_order = d->n;
}

/* Orders evidence links by rater, element number, then experience id (qsort). */
int store_cmp_link(const void *a, const void *b)
{
    const ev_link *x = a, *y = b;
    if (x->rater != y->rater)
        return x->rater - y->rater;
    if (x->element != y->element)
        return x->element < y->element ? -1 : 1;
    return x->experience_id < y->experience_id ? -1 : x->experience_id > y->experience_id;
}

/* Frees what st holds and zeroes it. */
void store_state_free(answer_state *st)
{
    for (int r = 0; r < RATER_COUNT; r++)
        free(st->codes[r]);
    free(st->links);
    memset(st, 0, sizeof *st);
}

/* Makes room for n codes per rater (new ones 0). */
void store_state_reserve(answer_state *st, size_t n)
{
    if (n <= st->n)
        return;
    for (int r = 0; r < RATER_COUNT; r++) {
        st->codes[r] = xrealloc(st->codes[r], n);
        memset(st->codes[r] + st->n, 0, n - st->n);
    }
    st->n = n;
}

/* Makes to a deep copy of from (to owns its arrays; free with state_free). */
void store_state_copy(answer_state *to, const answer_state *from)
{
    memset(to, 0, sizeof *to);
    store_state_reserve(to, from->n);
    for (int r = 0; r < RATER_COUNT; r++)
        if (from->n)
            memcpy(to->codes[r], from->codes[r], from->n);
    if (from->n_links) {
        to->links = xmalloc(from->n_links * sizeof *to->links);
        memcpy(to->links, from->links, from->n_links * sizeof *to->links);
    }
    to->n_links = from->n_links;
}

/* The links of (rater, element): [*from, *to) of st->links. */
void store_state_links_of(const answer_state *st, int rater, uint32_t element, size_t *from, size_t *to)
{
    ev_link key = { rater, element, INT64_MIN };
    size_t lo = 0, hi = st->n_links;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (store_cmp_link(&st->links[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    while (lo < st->n_links && st->links[lo].rater == rater && st->links[lo].element == element)
        lo++;
    *to = lo;
}

/* Sets (rater, element) to code (0: no answer) with evidence ids[0..n). */
void store_state_set(answer_state *st, int rater, uint32_t element, int code, const int64_t *ids, size_t n)
{
    store_state_reserve(st, (size_t)element + 1);
    st->codes[rater][element] = (uint8_t)code;
    size_t from, to;
    store_state_links_of(st, rater, element, &from, &to);
    size_t tail = st->n_links - to;
    size_t count = st->n_links - (to - from) + n;
    ev_link *links = xmalloc((count ? count : 1) * sizeof *links);
    if (from)
        memcpy(links, st->links, from * sizeof *links);
    for (size_t i = 0; i < n; i++)
        links[from + i] = (ev_link){ rater, element, ids[i] };
    if (tail)
        memcpy(links + from + n, st->links + to, tail * sizeof *links);
    free(st->links);
    st->links = links;
    st->n_links = count;
}

/* The packed form of codes[0..n): 3 bits each, little-endian, trailing
 * unanswered elements left out. Returns the byte count (0: none answered). */
size_t store_codes_pack(const uint8_t *codes, size_t n, buf *out)
{
    while (n > 0 && codes[n - 1] == 0)
        n--;
    size_t bytes = (n * CODE_BITS + 7) / 8;
    buf_reset(out);
    for (size_t i = 0; i < bytes; i++)
        buf_putc(out, '\0');
    unsigned char *p = (unsigned char *)out->data;
    for (size_t i = 0; i < n; i++) {
        size_t bit = i * CODE_BITS;
        unsigned v = (unsigned)codes[i] << (bit % 8);
        p[bit / 8] |= (unsigned char)v;
        if (v >> 8)
            p[bit / 8 + 1] |= (unsigned char)(v >> 8);
    }
    return bytes;
}

/* Unpacks bytes[0..len) into st's codes of rater. */
static void codes_unpack(answer_state *st, int rater, const unsigned char *bytes, size_t len)
{
    size_t n = len * 8 / CODE_BITS;
    store_state_reserve(st, n);
    for (size_t i = 0; i < n; i++) {
        size_t bit = i * CODE_BITS;
        unsigned v = bytes[bit / 8] | (bit / 8 + 1 < len ? (unsigned)bytes[bit / 8 + 1] << 8 : 0u);
        st->codes[rater][i] = (uint8_t)((v >> (bit % 8)) & 7u);
    }
}

/* Reads the answers of assessment id into st (empty before). */
int store_state_load(store *s, int64_t id, answer_state *st, err *e)
{
    memset(st, 0, sizeof *st);
    store_stmt *q = QUERY_OPEN(s, Q_VALUES_LOAD, e, "i", id);
    if (!q)
        return -1;
    int rc;
    while ((rc = store_q_step(s, q, e)) == 1) {
        int64_t rater = s->drv->column_int(q, 0);
        size_t len;
        const unsigned char *bytes = s->drv->column_blob(q, 1, &len);
        if (rater >= 0 && rater < RATER_COUNT && bytes)
            codes_unpack(st, (int)rater, bytes, len);
    }
    store_q_close(s, q);
    if (rc < 0)
        return -1;
    if (!(q = QUERY_OPEN(s, Q_EVIDENCE_LOAD, e, "i", id)))
        return -1;
    while ((rc = store_q_step(s, q, e)) == 1) {
        ev_link *l = PUSH(st->links, st->n_links);
        l->rater = (int)s->drv->column_int(q, 0);
        l->element = (uint32_t)s->drv->column_int(q, 1);
        l->experience_id = s->drv->column_int(q, 2);
    }
    store_q_close(s, q);
    return rc < 0 ? -1 : 0;
}

/* Appends v to b as an unsigned LEB128 varint. */
static void put_varint(buf *b, uint64_t v)
{
    while (v >= 0x80) {
        buf_putc(b, (char)(v | 0x80));
        v >>= 7;
    }
    buf_putc(b, (char)v);
}

static int cmp_number(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

void store_numbers_encode(uint32_t *numbers, size_t n, buf *out)
{
    qsort(numbers, n, sizeof *numbers, cmp_number);
    uint32_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && numbers[i] == last)
            continue;
        put_varint(out, numbers[i] - last);
        last = numbers[i];
    }
}

int store_numbers_ids(store *s, elem_dict *d, const unsigned char *p, size_t len, char ***ids, size_t *n, err *e)
{
    size_t pos = 0;
    uint64_t k = 0;
    while (pos < len) {
        k += store_get_varint(p, len, &pos);
        if (k >= d->n && store_dict_refresh(s, d, e) < 0)
            return -1;
        if (k >= d->n) {
            err_set(e, s->location, 0, 0, NULL, "a list of element numbers names %llu, which %s %s does not have",
                    (unsigned long long)k, d->catalog_id, d->catalog_version);
            return -1;
        }
        *PUSH(*ids, *n) = xstrdup(d->ids[k]);
    }
    return 0;
}

/* Reads a varint at *pos of p[0..len); 0 past the end. */
uint64_t store_get_varint(const unsigned char *p, size_t len, size_t *pos)
{
    uint64_t v = 0;
    for (int shift = 0; *pos < len && shift < 64; shift += 7) {
        unsigned char c = p[(*pos)++];
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            break;
    }
    return v;
}

/* Do (rater, element) hold the same evidence in a and b? */
static int same_links(const answer_state *a, const answer_state *b, int rater, uint32_t element)
{
    size_t af, at, bf, bt;
    store_state_links_of(a, rater, element, &af, &at);
    store_state_links_of(b, rater, element, &bf, &bt);
    if (at - af != bt - bf)
        return 0;
    for (size_t i = 0; i < at - af; i++)
        if (a->links[af + i].experience_id != b->links[bf + i].experience_id)
            return 0;
    return 1;
}

/* What changed from `was` to `now`, as a history row keeps it: per changed
 * answer in (element, rater) order, varint((element - previous element) << 1 |
 * rater), a byte (new code | 8 when the evidence changed), and when it did the
 * new evidence as varint count then varint record ids, each the difference to
 * the one before. Old values are not kept: they are the values before, which
 * the history's earlier rows give. Runs of answers then become run records
 * (store_changes_runs). Returns how many answers changed. */
size_t store_changes_encode(const answer_state *was, const answer_state *now, buf *out)
{
    size_t n = was->n > now->n ? was->n : now->n, count = 0;
    uint32_t prev = 0;
    buf_reset(out);
    for (uint32_t k = 0; k < n; k++)
        for (int r = 0; r < RATER_COUNT; r++) {
            int oc = k < was->n ? was->codes[r][k] : 0, nc = k < now->n ? now->codes[r][k] : 0;
            int ev_same = same_links(was, now, r, k);
            if (oc == nc && ev_same)
                continue;
            put_varint(out, ((uint64_t)(k - prev) << 1) | (uint64_t)r);
            prev = k;
            buf_putc(out, (char)(nc | (ev_same ? 0 : 8)));
            if (!ev_same) {
                size_t from, to;
                store_state_links_of(now, r, k, &from, &to);
                put_varint(out, to - from);
                int64_t last = 0;
                for (size_t i = from; i < to; i++) {
                    put_varint(out, (uint64_t)(now->links[i].experience_id - last));
                    last = now->links[i].experience_id;
                }
            }
            count++;
        }
    store_changes_runs(out);
    return count;
}

/* One answer's record in a history row's changes (as store_changes_encode
 * writes them before runs): where it starts and ends, where its head ends. */
typedef struct change_rec {
    size_t from, head_end, to;
    uint32_t element;
    int rater, code, evidence;
} change_rec;

/* Reads the records of changes p[0..len) into *recs (caller frees); their count,
 * or (size_t)-1 when they do not read (left as they are then). */
static size_t changes_records(const unsigned char *p, size_t len, change_rec **recs)
{
    size_t n = 0, cap = 0, pos = 0;
    uint32_t element = 0;
    *recs = NULL;
    while (pos < len) {
        change_rec c;
        c.from = pos;
        uint64_t head = store_get_varint(p, len, &pos);
        c.head_end = pos;
        if (pos >= len)
            return (size_t)-1;
        element += (uint32_t)(head >> 1);
        c.element = element;
        c.rater = (int)(head & 1);
        int flags = p[pos++];
        c.code = flags & 7;
        c.evidence = (flags & 8) != 0;
        if (c.code == CHANGES_RUN)
            return (size_t)-1;
        if (c.evidence) {
            uint64_t count = store_get_varint(p, len, &pos);
            for (uint64_t i = 0; i < count && pos < len; i++)
                store_get_varint(p, len, &pos);
        }
        c.to = pos;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            *recs = xrealloc(*recs, cap * sizeof **recs);
        }
        (*recs)[n++] = c;
    }
    return n;
}

void store_changes_runs(buf *changes)
{
    const unsigned char *p = (const unsigned char *)changes->data;
    change_rec *r = NULL;
    size_t n = p ? changes_records(p, changes->len, &r) : 0;
    if (n == (size_t)-1 || n < CHANGES_RUN_MIN) {
        free(r);
        return;
    }
    buf out;
    buf_init(&out);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (!r[i].evidence && j < n && !r[j].evidence && r[j].rater == r[i].rater
               && r[j].element == r[j - 1].element + 1)
            j++;
        if (r[i].evidence || j - i < CHANGES_RUN_MIN) {
            buf_append(&out, (const char *)p + r[i].from, r[i].to - r[i].from);
            i++;
            continue;
        }
        /* The first record's head (its element from the one before), the
         * marker, the count, then the codes, 3 bits each, low bits first. */
        buf_append(&out, (const char *)p + r[i].from, r[i].head_end - r[i].from);
        buf_putc(&out, (char)CHANGES_RUN);
        put_varint(&out, j - i);
        unsigned acc = 0, bits = 0;
        for (size_t k = i; k < j; k++) {
            acc |= (unsigned)r[k].code << bits;
            bits += CODE_BITS;
            while (bits >= 8) {
                buf_putc(&out, (char)(acc & 0xff));
                acc >>= 8;
                bits -= 8;
            }
        }
        if (bits)
            buf_putc(&out, (char)(acc & 0xff));
        i = j;
    }
    free(r);
    buf_reset(changes);
    buf_append(changes, out.data, out.len);
    buf_free(&out);
}

/* Writes the rows that differ between `was` (what is stored) and `now` for
 * assessment id: the vectors of each rater that changed, the evidence links
 * gone and new. */
int store_state_store(store *s, int64_t id, const answer_state *was, const answer_state *now, err *e)
{
    int rc = 0;
    buf packed;
    buf_init(&packed);
    for (int r = 0; rc == 0 && r < RATER_COUNT; r++) {
        size_t n = was->n > now->n ? was->n : now->n;
        int differ = 0;
        for (size_t k = 0; k < n && !differ; k++)
            differ = (k < was->n ? was->codes[r][k] : 0) != (k < now->n ? now->codes[r][k] : 0);
        if (!differ)
            continue;
        size_t bytes = store_codes_pack(now->codes[r], now->n, &packed);
        if (bytes == 0) {
            rc = QUERY_EXEC(s, Q_VALUES_DELETE, e, "ii", id, (int64_t)r);
        } else {
            store_stmt *st = QUERY_OPEN(s, Q_VALUES_PUT, e, "ii", id, (int64_t)r);
            if (!st) {
                rc = -1;
                break;
            }
            s->drv->bind_blob(st, 3, packed.data, bytes);
            while ((rc = store_q_step(s, st, e)) == 1)
                ;
            store_q_close(s, st);
        }
    }
    buf_free(&packed);
    /* Links: a merge of the two sorted lists. */
    size_t i = 0, j = 0;
    while (rc == 0 && (i < was->n_links || j < now->n_links)) {
        int c = i >= was->n_links ? 1 : j >= now->n_links ? -1 : store_cmp_link(&was->links[i], &now->links[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            const ev_link *l = &was->links[i++];
            rc = QUERY_EXEC(s, Q_EVIDENCE_DELETE_ONE, e, "iiii", id, (int64_t)l->rater, (int64_t)l->element,
                        l->experience_id);
        } else {
            const ev_link *l = &now->links[j++];
            rc = QUERY_EXEC(s, Q_EVIDENCE_INSERT, e, "iiii", id, (int64_t)l->rater, (int64_t)l->element,
                        l->experience_id);
        }
    }
    return rc;
}

/* Appends one row to the history of assessment id: kind 'created' or 'status'
 * with its old and new value, or 'answers' with changes (n bytes). */
int store_history_add(store *s, int64_t id, const char *at, const char *actor, const char *kind,
                       const char *old_value, const char *new_value, const buf *changes, err *e)
{
    store_stmt *st = QUERY_OPEN(s, Q_HISTORY_INSERT, e, "itttt" "t", id, at, actor, kind, old_value, new_value);
    if (!st)
        return -1;
    if (changes)
        s->drv->bind_blob(st, 7, changes->data, changes->len);
    else
        s->drv->bind_text(st, 7, NULL);
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1)
        ;
    store_q_close(s, st);
    return rc;
}

/* The packed answer codes bytes[0..len) of one rater as values[0..n): -1
 * unanswered, else the value (store_internal.h). */
void store_codes_decode(const unsigned char *bytes, size_t len, signed char *values, size_t n)
{
    size_t have = len * 8 / CODE_BITS;
    for (size_t i = 0; i < n; i++) {
        if (i >= have) {
            values[i] = -1;
            continue;
        }
        size_t bit = i * CODE_BITS;
        unsigned v = bytes[bit / 8] | (bit / 8 + 1 < len ? (unsigned)bytes[bit / 8 + 1] << 8 : 0u);
        values[i] = (signed char)((int)((v >> (bit % 8)) & 7u) - 1);
    }
}
