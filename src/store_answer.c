/* store_answer.c - the store's answers packed per assessment and rater, their history, and the conversion of a version 5 database (schema version 6) (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_ANSWER (store_internal.h). Strings returned in structs are heap copies owned
 * by the struct. */
#include "store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

#define QUERY_BASE STORE_SLOT_ANSWER
#define ANSWER_QUERIES(X) \
    X(EXP_DELETE, "DELETE FROM experience WHERE id = ?") \
    X(EXP_OWNER, "SELECT person_id FROM experience WHERE id = ?") \
    X(ASSESS_TOUCH, "UPDATE assessment SET updated_at = ?, revision = " NEXT_REVISION " WHERE id = ?") \
    X(ASSESS_SET_STATUS, "UPDATE assessment SET status = ?, updated_at = ?, revision = " NEXT_REVISION " WHERE id = ?") \
    X(ASSESS_CATALOG, "SELECT catalog_id, catalog_version FROM assessment WHERE id = ?") \
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
    X(EXP_IDS_OF_PERSON, "SELECT id FROM experience WHERE person_id = ? ORDER BY id") \
    X(EXP_USES, "SELECT DISTINCT e.assessment_id, a.status, c.name FROM answer_evidence e " \
                "JOIN assessment a ON a.id = e.assessment_id JOIN cycle c ON c.id = a.cycle_id " \
                "WHERE e.experience_id = ? ORDER BY e.assessment_id") \
    X(HISTORY_INSERT, "INSERT INTO assessment_history (assessment_id, at, actor, kind, old_value, new_value, " \
                      "changes) VALUES (?, ?, ?, ?, ?, ?, ?)") \
    X(HISTORY_LIST, "SELECT id, at, actor, kind, old_value, new_value, changes FROM assessment_history " \
                    "WHERE assessment_id = ? ORDER BY id") \
    X(MIG5_ASSESSMENTS, "SELECT id, catalog_id, catalog_version FROM assessment ORDER BY id") \
    X(MIG5_ANSWERS, "SELECT element_id, rater, value FROM answer_v4 WHERE assessment_id = ? ORDER BY element_id, rater") \
    X(MIG5_EVIDENCE, "SELECT element_id, rater, experience_id FROM answer_evidence_v4 WHERE assessment_id = ?") \
    X(MIG5_HISTORY, "SELECT at, actor, field, element_id, rater, old_value, new_value FROM assessment_history_v4 " \
                    "WHERE assessment_id = ? ORDER BY id") \
    X(RESULTS_DROP, "DELETE FROM result WHERE assessment_id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, ANSWER_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { ANSWER_QUERIES(STORE_QUERY_SQL) };

/* How answers are kept (docs/store.md, schema version 6): per catalog version a
 * dictionary numbers the elements ever answered (answer_element, numbers given
 * in order of first use and never changed); per assessment and rater one row
 * holds a vector of 3-bit codes indexed by that number, 0 for unanswered and
 * value + 1 for an answer (answer_values); evidence links name the element by
 * its number (answer_evidence); and every save appends one history row holding
 * only what changed (assessment_history, kind 'answers', packed_changes_*). */

#define CODE_BITS 3

/* The element dictionary of one catalog version, as far as this connection has
 * read it. */
typedef struct elem_dict {
    char *catalog_id, *catalog_version;
    char **ids;                /* by element number */
    size_t n;
    uint32_t *slots;           /* open addressing: number + 1, 0 empty */
    size_t n_slots;            /* a power of two, more than twice n */
    uint32_t *order;           /* numbers sorted by element id (strcmp), valid while n_order == n */
    size_t n_order;
} elem_dict;

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261U;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619U;
    }
    return h;
}

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
static long dict_lookup(const elem_dict *d, const char *id)
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
static int dict_refresh(store *s, elem_dict *d, err *e)
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
static elem_dict *dict_get(store *s, const char *catalog_id, const char *version, err *e)
{
    for (size_t i = 0; i < s->n_dicts; i++)
        if (strcmp(s->dicts[i]->catalog_id, catalog_id) == 0 && strcmp(s->dicts[i]->catalog_version, version) == 0)
            return s->dicts[i];
    elem_dict *d = xmalloc(sizeof *d);
    d->catalog_id = xstrdup(catalog_id);
    d->catalog_version = xstrdup(version);
    if (dict_refresh(s, d, e) < 0) {
        dict_free(d);
        return NULL;
    }
    *PUSH(s->dicts, s->n_dicts) = d;
    return d;
}

/* The number of element id, given now when it has none (inside the caller's
 * write transaction). -1 on failure. */
static long dict_number(store *s, elem_dict *d, const char *id, err *e)
{
    long k = dict_lookup(d, id);
    if (k >= 0)
        return k;
    if (dict_refresh(s, d, e) < 0)
        return -1;
    if ((k = dict_lookup(d, id)) >= 0)
        return k;
    if (QUERY_EXEC(s, Q_DICT_INSERT, e, "ttit", d->catalog_id, d->catalog_version, (int64_t)d->n, id) < 0)
        return -1;
    dict_append(d, id);
    return (long)d->n - 1;
}

/* Fills d->order: the element numbers sorted by element id, the order in which
 * an assessment keeps its answers (so that loading appends). */
static void dict_order(elem_dict *d)
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

/* One evidence link of an answer. */
typedef struct ev_link {
    int rater;
    uint32_t element;
    int64_t experience_id;
} ev_link;

static int cmp_link(const void *a, const void *b)
{
    const ev_link *x = a, *y = b;
    if (x->rater != y->rater)
        return x->rater - y->rater;
    if (x->element != y->element)
        return x->element < y->element ? -1 : 1;
    return x->experience_id < y->experience_id ? -1 : x->experience_id > y->experience_id;
}

/* Every answer of one assessment, unpacked: codes per rater by element number,
 * and the evidence links sorted by (rater, element, record). */
typedef struct answer_state {
    uint8_t *codes[RATER_COUNT];
    size_t n;                  /* length of each codes array (zero beyond what is answered) */
    ev_link *links;
    size_t n_links;
} answer_state;

static void state_free(answer_state *st)
{
    for (int r = 0; r < RATER_COUNT; r++)
        free(st->codes[r]);
    free(st->links);
    memset(st, 0, sizeof *st);
}

/* Makes room for n codes per rater (new ones 0). */
static void state_reserve(answer_state *st, size_t n)
{
    if (n <= st->n)
        return;
    for (int r = 0; r < RATER_COUNT; r++) {
        st->codes[r] = xrealloc(st->codes[r], n);
        memset(st->codes[r] + st->n, 0, n - st->n);
    }
    st->n = n;
}

static void state_copy(answer_state *to, const answer_state *from)
{
    memset(to, 0, sizeof *to);
    state_reserve(to, from->n);
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
static void state_links_of(const answer_state *st, int rater, uint32_t element, size_t *from, size_t *to)
{
    ev_link key = { rater, element, INT64_MIN };
    size_t lo = 0, hi = st->n_links;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_link(&st->links[mid], &key) < 0)
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
static void state_set(answer_state *st, int rater, uint32_t element, int code, const int64_t *ids, size_t n)
{
    state_reserve(st, (size_t)element + 1);
    st->codes[rater][element] = (uint8_t)code;
    size_t from, to;
    state_links_of(st, rater, element, &from, &to);
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
static size_t codes_pack(const uint8_t *codes, size_t n, buf *out)
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
    state_reserve(st, n);
    for (size_t i = 0; i < n; i++) {
        size_t bit = i * CODE_BITS;
        unsigned v = bytes[bit / 8] | (bit / 8 + 1 < len ? (unsigned)bytes[bit / 8 + 1] << 8 : 0u);
        st->codes[rater][i] = (uint8_t)((v >> (bit % 8)) & 7u);
    }
}

/* Reads the answers of assessment id into st (empty before). */
static int state_load(store *s, int64_t id, answer_state *st, err *e)
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

static void put_varint(buf *b, uint64_t v)
{
    while (v >= 0x80) {
        buf_putc(b, (char)(v | 0x80));
        v >>= 7;
    }
    buf_putc(b, (char)v);
}

/* Reads a varint at *pos of p[0..len); 0 past the end. */
static uint64_t get_varint(const unsigned char *p, size_t len, size_t *pos)
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
    state_links_of(a, rater, element, &af, &at);
    state_links_of(b, rater, element, &bf, &bt);
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
 * the history's earlier rows give. Returns how many answers changed. */
static size_t changes_encode(const answer_state *was, const answer_state *now, buf *out)
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
                state_links_of(now, r, k, &from, &to);
                put_varint(out, to - from);
                int64_t last = 0;
                for (size_t i = from; i < to; i++) {
                    put_varint(out, (uint64_t)(now->links[i].experience_id - last));
                    last = now->links[i].experience_id;
                }
            }
            count++;
        }
    return count;
}

/* Writes the rows that differ between `was` (what is stored) and `now` for
 * assessment id: the vectors of each rater that changed, the evidence links
 * gone and new. */
static int state_store(store *s, int64_t id, const answer_state *was, const answer_state *now, err *e)
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
        size_t bytes = codes_pack(now->codes[r], now->n, &packed);
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
        int c = i >= was->n_links ? 1 : j >= now->n_links ? -1 : cmp_link(&was->links[i], &now->links[j]);
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

/* ---- Answers and history -------------------------------------------------------- */

/* What a change of answers needs to know about its assessment. */
typedef struct answer_ctx {
    int64_t assessment_id;
    int64_t person_id;
    const char *actor;
    char at[24];
    int changed;               /* some answer changed: touch the assessment, drop its results */
    elem_dict *dict;           /* of the assessment's catalog version */
    int64_t *records;          /* the person's experience record ids, ascending */
    size_t n_records;
    int records_read;
} answer_ctx;

/* Reads assessment id for a change of answers; refused when it is approved
 * (unless approved_ok). */
static int answer_ctx_open_as(store *s, int64_t id, const char *actor, int approved_ok, answer_ctx *ctx, err *e)
{
    memset(ctx, 0, sizeof *ctx);
    if (store_check_actor(e, actor) < 0)
        return -1;
    store_assessment a;
    int rc = store_assessment_get(s, id, &a, e);
    if (rc == 1 && a.status == ASSESSMENT_APPROVED && !approved_ok) {
        err_set(e, "", 0, 0, NULL, "the assessment of %s in %s is approved; return it before changing answers",
                a.employee_number, a.cycle);
        rc = -1;
    }
    if (rc == 1 && !(ctx->dict = dict_get(s, a.catalog_id, a.catalog_version, e)))
        rc = -1;
    ctx->assessment_id = id;
    ctx->person_id = a.person_id;
    ctx->actor = actor;
    store_now_utc(ctx->at);
    store_assessment_clear(&a);
    return rc == 1 ? 0 : -1;
}

static int answer_ctx_open(store *s, int64_t id, const char *actor, answer_ctx *ctx, err *e)
{
    return answer_ctx_open_as(s, id, actor, 0, ctx, e);
}

/* Writes what changed from was to now: the rows, one history row; touches the
 * assessment and drops its cached results. Nothing when nothing changed. */
static int answer_ctx_commit(store *s, answer_ctx *ctx, const answer_state *was, const answer_state *now, err *e)
{
    buf changes;
    buf_init(&changes);
    int rc = 0;
    if (changes_encode(was, now, &changes) > 0) {
        rc = state_store(s, ctx->assessment_id, was, now, e);
        if (rc == 0)
            rc = store_history_add(s, ctx->assessment_id, ctx->at, ctx->actor, "answers", NULL, NULL, &changes, e);
        ctx->changed = 1;
    }
    buf_free(&changes);
    free(ctx->records);
    ctx->records = NULL;
    if (rc < 0 || !ctx->changed)
        return rc;
    if (QUERY_EXEC(s, Q_ASSESS_TOUCH, e, "ti", ctx->at, ctx->assessment_id) < 0)
        return -1;
    return QUERY_EXEC(s, Q_RESULTS_DROP, e, "i", ctx->assessment_id);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts ids and drops repeats; returns the new count. */
static size_t ids_normalize(int64_t *ids, size_t n)
{
    if (n == 0)
        return 0;
    qsort(ids, n, sizeof *ids, cmp_id);
    size_t out = 1;
    for (size_t i = 1; i < n; i++)
        if (ids[i] != ids[out - 1])
            ids[out++] = ids[i];
    return out;
}

/* "3,7" for a list of ids (ascending), NULL for none. Caller frees. */
static char *ids_text(const int64_t *ids, size_t n)
{
    if (n == 0)
        return NULL;
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    return buf_detach(&b);
}

/* Parses a decimal id (> 0); 0 when text is not one. */
static int64_t parse_id(const char *text)
{
    if (!text || !text[0] || strlen(text) > 18)
        return 0;
    int64_t v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* The evidence of answer as sorted ids (caller frees *ids), each an experience
 * record of the assessed person. */
static int evidence_ids(store *s, answer_ctx *ctx, const assessment_answer *answer, int64_t **ids, size_t *n,
                        err *e)
{
    *ids = NULL;
    *n = 0;
    if (answer->n_evidence == 0)
        return 0;
    if (!ctx->records_read) {
        store_stmt *st = QUERY_OPEN(s, Q_EXP_IDS_OF_PERSON, e, "i", ctx->person_id);
        if (!st)
            return -1;
        int rc;
        while ((rc = store_q_step(s, st, e)) == 1)
            *PUSH(ctx->records, ctx->n_records) = s->drv->column_int(st, 0);
        store_q_close(s, st);
        if (rc < 0)
            return -1;
        ctx->records_read = 1;
    }
    int64_t *v = xmalloc(answer->n_evidence * sizeof *v);
    for (size_t i = 0; i < answer->n_evidence; i++) {
        v[i] = parse_id(answer->evidence[i]);
        if (!v[i] || !bsearch(&v[i], ctx->records, ctx->n_records, sizeof *ctx->records, cmp_id)) {
            err_set(e, "", 0, 0, answer->element_id, "evidence '%s' is not an experience record of this person",
                    answer->evidence[i] ? answer->evidence[i] : "");
            free(v);
            return -1;
        }
    }
    *n = ids_normalize(v, answer->n_evidence);
    *ids = v;
    return 0;
}

/* Checks the element, rater and value of an answer. */
static int answer_check(const assessment_answer *answer, err *e)
{
    if (rules_element_id(e, "element_id", answer->element_id) < 0)
        return -1;
    if ((unsigned)answer->rater >= RATER_COUNT)
        return store_field_error(e, answer->element_id, "unknown rater %d", (int)answer->rater);
    if (answer->value < 0 || answer->value > ASSESS_RATING_MAX)
        return store_field_error(e, answer->element_id, "value %d is out of range (0/1 met, or a rating 0 to %d)",
                           answer->value, ASSESS_RATING_MAX);
    return 0;
}

/* Sets answer into now (its evidence checked as the person's records). */
static int answer_put(store *s, answer_ctx *ctx, answer_state *now, const assessment_answer *answer, err *e)
{
    int64_t *ev;
    size_t n_ev;
    if (evidence_ids(s, ctx, answer, &ev, &n_ev, e) < 0)
        return -1;
    long k = dict_number(s, ctx->dict, answer->element_id, e);
    if (k >= 0)
        state_set(now, (int)answer->rater, (uint32_t)k, answer->value + 1, ev, n_ev);
    free(ev);
    return k < 0 ? -1 : 0;
}

int store_answer_save(store *s, int64_t assessment_id, const assessment_answer *answer, const char *actor, err *e)
{
    answer_ctx ctx;
    if (answer_check(answer, e) < 0)
        return -1;
    if (store_begin(s, e) < 0)
        return -1;
    answer_state was, now;
    memset(&was, 0, sizeof was);
    memset(&now, 0, sizeof now);
    int rc = answer_ctx_open(s, assessment_id, actor, &ctx, e);
    if (rc == 0)
        rc = state_load(s, assessment_id, &was, e);
    if (rc == 0) {
        state_copy(&now, &was);
        rc = answer_put(s, &ctx, &now, answer, e);
    }
    if (rc == 0)
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    free(ctx.records);
    state_free(&was);
    state_free(&now);
    return store_tx_end(s, rc, e);
}

int store_answer_delete(store *s, int64_t assessment_id, const char *element_id, assessment_rater rater,
                        const char *actor, err *e)
{
    answer_ctx ctx;
    if (rules_element_id(e, "element_id", element_id) < 0)
        return -1;
    if ((unsigned)rater >= RATER_COUNT)
        return store_field_error(e, element_id, "unknown rater %d", (int)rater);
    if (store_begin(s, e) < 0)
        return -1;
    answer_state was, now;
    memset(&was, 0, sizeof was);
    memset(&now, 0, sizeof now);
    int rc = answer_ctx_open(s, assessment_id, actor, &ctx, e);
    if (rc == 0)
        rc = state_load(s, assessment_id, &was, e);
    long k = -1;
    if (rc == 0 && (k = dict_lookup(ctx.dict, element_id)) < 0 && dict_refresh(s, ctx.dict, e) < 0)
        rc = -1;
    if (rc == 0 && k < 0)
        k = dict_lookup(ctx.dict, element_id);
    if (rc == 0 && k >= 0) {
        state_copy(&now, &was);
        state_set(&now, (int)rater, (uint32_t)k, 0, NULL, 0);
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    }
    state_free(&was);
    state_free(&now);
    return store_tx_end(s, rc, e);
}

/* The catalog id and version of assessment id (caller frees): 1, 0 none, -1. */
static int assessment_catalog(store *s, int64_t id, char **catalog_id, char **version, err *e)
{
    *catalog_id = *version = NULL;
    store_stmt *st = QUERY_OPEN(s, Q_ASSESS_CATALOG, e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        *catalog_id = store_q_dup(s, st, 0);
        *version = store_q_dup(s, st, 1);
    }
    store_q_close(s, st);
    return rc;
}

int store_answers_load(store *s, int64_t id, assessment *a, err *e)
{
    char *catalog_id, *version;
    int rc = assessment_catalog(s, id, &catalog_id, &version, e);
    if (rc <= 0)
        return rc;
    elem_dict *d = dict_get(s, catalog_id, version, e);
    free(catalog_id);
    free(version);
    answer_state st;
    if (!d || state_load(s, id, &st, e) < 0)
        return -1;
    if (st.n > d->n && dict_refresh(s, d, e) < 0) {
        state_free(&st);
        return -1;
    }
    dict_order(d);
    const char *ev[64];
    char ev_text[64][24];
    for (size_t i = 0; i < d->n; i++) {
        uint32_t k = d->order[i];
        if (k >= st.n)
            continue;
        for (int r = 0; r < RATER_COUNT; r++) {
            int code = st.codes[r][k];
            if (!code)
                continue;
            size_t from, to, n = 0;
            state_links_of(&st, r, k, &from, &to);
            const char **evp = ev;
            char **heap = NULL;
            if (to - from > 64) {
                heap = xmalloc((to - from) * sizeof *heap);
                for (size_t j = from; j < to; j++) {
                    heap[n] = xmalloc(24);
                    snprintf(heap[n++], 24, "%lld", (long long)st.links[j].experience_id);
                }
                evp = (const char **)heap;
            } else {
                for (size_t j = from; j < to; j++) {
                    snprintf(ev_text[n], sizeof ev_text[n], "%lld", (long long)st.links[j].experience_id);
                    ev[n] = ev_text[n];
                    n++;
                }
            }
            assessment_set_answer(a, d->ids[k], (assessment_rater)r, code - 1, evp, n);
            if (heap) {
                for (size_t j = 0; j < n; j++)
                    free(heap[j]);
                free(heap);
            }
        }
    }
    state_free(&st);
    return 0;
}

int store_assessment_save_answers(store *s, int64_t id, const assessment *a, const char *actor, err *e)
{
    answer_ctx ctx;
    for (size_t i = 0; i < a->n_answers; i++)
        if (answer_check(&a->answers[i], e) < 0)
            return -1;
    if (store_begin(s, e) < 0)
        return -1;
    answer_state was, now;
    memset(&was, 0, sizeof was);
    memset(&now, 0, sizeof now);
    int rc = answer_ctx_open(s, id, actor, &ctx, e);
    if (rc == 0)
        rc = state_load(s, id, &was, e);
    if (rc == 0)
        state_reserve(&now, ctx.dict->n);
    for (size_t i = 0; rc == 0 && i < a->n_answers; i++) {
        const assessment_answer *x = &a->answers[i];
        int64_t *ev;
        size_t n_ev;
        long k = -1;
        if (evidence_ids(s, &ctx, x, &ev, &n_ev, e) < 0 || (k = dict_number(s, ctx.dict, x->element_id, e)) < 0) {
            rc = -1;
            break;
        }
        state_reserve(&now, (size_t)k + 1);
        now.codes[x->rater][k] = (uint8_t)(x->value + 1);
        for (size_t j = 0; j < n_ev; j++)
            *PUSH(now.links, now.n_links) = (ev_link){ (int)x->rater, (uint32_t)k, ev[j] };
        free(ev);
    }
    if (rc == 0) {
        if (now.n_links > 1)
            qsort(now.links, now.n_links, sizeof *now.links, cmp_link);
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    }
    free(ctx.records);
    state_free(&was);
    state_free(&now);
    return store_tx_end(s, rc, e);
}

int store_assessment_load(store *s, int64_t id, assessment **out, err *e)
{
    *out = NULL;
    store_assessment info;
    int rc = store_assessment_get(s, id, &info, e);
    if (rc != 1)
        return rc;
    assessment *a = assessment_new(info.employee_number, info.person_name, info.cycle, info.catalog_id,
                                   info.catalog_version);
    a->status = info.status;
    store_experience_list xs;
    store_contribution_list cs;
    memset(&xs, 0, sizeof xs);
    memset(&cs, 0, sizeof cs);
    rc = store_answers_load(s, id, a, e);
    if (rc == 0)
        rc = store_experience_list_person(s, info.person_id, &xs, e);
    if (rc == 0)
        rc = store_contribution_list_person(s, info.person_id, &cs, e);
    for (size_t i = 0; rc == 0 && i < xs.count; i++)
        assessment_add_experience(a, &xs.items[i].x);
    for (size_t i = 0; rc == 0 && i < cs.count; i++)
        assessment_add_contribution(a, &cs.items[i].c);
    store_experience_list_free(&xs);
    store_contribution_list_free(&cs);
    store_assessment_clear(&info);
    if (rc < 0) {
        assessment_free(a);
        return -1;
    }
    *out = a;
    return 1;
}

int store_assessment_set_status(store *s, int64_t id, assessment_status status, const char *actor, err *e)
{
    if (store_check_actor(e, actor) < 0)
        return -1;
    if ((unsigned)status >= ASSESSMENT_STATUS_COUNT)
        return store_field_error(e, "status", "unknown assessment status %d", (int)status);
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    store_assessment a;
    int rc = store_assessment_get(s, id, &a, e);
    if (rc == 1 && a.status != status) {
        rc = QUERY_EXEC(s, Q_ASSESS_SET_STATUS, e, "tti", assessment_status_name(status), at, id);
        if (rc == 0)
            rc = store_history_add(s, id, at, actor, "status", assessment_status_name(a.status),
                             assessment_status_name(status), NULL, e);
    } else if (rc == 1) {
        rc = 0;
    } else {
        rc = -1;
    }
    store_assessment_clear(&a);
    return store_tx_end(s, rc, e);
}

/* Appends one entry to a history list. */
static store_history_entry *history_push(store_history_list *out, int64_t id, const char *at, const char *actor,
                                         const char *field, const char *element_id, int rater, char *old_value,
                                         char *new_value)
{
    store_history_entry *h = PUSH(out->items, out->count);
    h->id = id;
    h->at = xstrdup(at);
    h->actor = xstrdup(actor);
    h->field = xstrdup(field);
    h->element_id = xstrdup(element_id);
    h->rater = rater;
    h->old_value = old_value;
    h->new_value = new_value;
    return h;
}

/* The code of a value as text ("0".."4"), NULL for code 0. Caller frees. */
static char *code_text(int code)
{
    if (!code)
        return NULL;
    char t[4];
    snprintf(t, sizeof t, "%d", code - 1);
    return xstrdup(t);
}

/* The evidence ids of (rater, element) in st as "3,7", NULL for none. */
static char *links_text(const answer_state *st, int rater, uint32_t element)
{
    size_t from, to;
    state_links_of(st, rater, element, &from, &to);
    if (from == to)
        return NULL;
    buf b;
    buf_init(&b);
    for (size_t i = from; i < to; i++)
        buf_printf(&b, "%s%lld", i > from ? "," : "", (long long)st->links[i].experience_id);
    return buf_detach(&b);
}

/* Applies one history row's packed changes to st, appending the entries it
 * stands for to out (when out is not NULL): per changed answer a 'value' entry
 * when the value changed and an 'evidence' entry when the evidence did, with
 * the old values from st. Entry ids are row_id << 20 plus their rank. 0, or -1
 * when the changes do not decode (e says so). */
static int changes_apply(store *s, elem_dict *d, answer_state *st, const unsigned char *p, size_t len, int64_t row_id,
                         const char *at, const char *actor, store_history_list *out, err *e)
{
    size_t pos = 0;
    uint32_t element = 0;
    int64_t rank = 0;
    while (pos < len) {
        uint64_t head = get_varint(p, len, &pos);
        element += (uint32_t)(head >> 1);
        int r = (int)(head & 1);
        if (pos >= len)
            break;
        int flags = p[pos++];
        int code = flags & 7, ev_changed = (flags & 8) != 0;
        int64_t *ids = NULL;
        size_t n_ids = 0;
        if (ev_changed) {
            uint64_t count = get_varint(p, len, &pos);
            int64_t last = 0;
            for (uint64_t i = 0; i < count && pos < len; i++) {
                last += (int64_t)get_varint(p, len, &pos);
                *PUSH(ids, n_ids) = last;
            }
        }
        if (element >= d->n && dict_refresh(s, d, e) < 0) {
            free(ids);
            return -1;
        }
        if (element >= d->n || code > ASSESS_RATING_MAX + 1) {
            free(ids);
            err_set(e, s->location, 0, 0, NULL, "history row %lld does not decode", (long long)row_id);
            return -1;
        }
        state_reserve(st, (size_t)element + 1);
        int old = st->codes[r][element];
        if (out && old != code)
            history_push(out, (row_id << 20) + rank++, at, actor, "value", d->ids[element], r, code_text(old),
                         code_text(code));
        if (ev_changed) {
            char *was = out ? links_text(st, r, element) : NULL;
            state_set(st, r, element, code, ids, n_ids);
            if (out)
                history_push(out, (row_id << 20) + rank++, at, actor, "evidence", d->ids[element], r, was,
                             ids_text(ids, n_ids));
        } else {
            st->codes[r][element] = (uint8_t)code;
        }
        free(ids);
    }
    return 0;
}

int store_history_list_assessment(store *s, int64_t id, store_history_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    char *catalog_id, *version;
    int rc = assessment_catalog(s, id, &catalog_id, &version, e);
    if (rc <= 0)
        return rc;
    elem_dict *d = dict_get(s, catalog_id, version, e);
    free(catalog_id);
    free(version);
    if (!d)
        return -1;
    store_stmt *st = QUERY_OPEN(s, Q_HISTORY_LIST, e, "i", id);
    if (!st)
        return -1;
    answer_state replay;
    memset(&replay, 0, sizeof replay);
    while ((rc = store_q_step(s, st, e)) == 1) {
        int64_t row = s->drv->column_int(st, 0);
        const char *at = s->drv->column_text(st, 1), *actor = s->drv->column_text(st, 2);
        const char *kind = s->drv->column_text(st, 3);
        if (kind && strcmp(kind, "answers") == 0) {
            size_t len;
            const unsigned char *p = s->drv->column_blob(st, 6, &len);
            if (changes_apply(s, d, &replay, p, p ? len : 0, row, at, actor, out, e) < 0) {
                rc = -1;
                break;
            }
        } else {
            history_push(out, row << 20, at, actor, kind ? kind : "", NULL, -1, store_q_dup(s, st, 4), store_q_dup(s, st, 5));
        }
    }
    store_q_close(s, st);
    state_free(&replay);
    if (rc < 0) {
        store_history_list_free(out);
        return -1;
    }
    return 0;
}

void store_history_list_free(store_history_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].at);
        free(l->items[i].actor);
        free(l->items[i].field);
        free(l->items[i].element_id);
        free(l->items[i].old_value);
        free(l->items[i].new_value);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

int store_experience_delete(store *s, int64_t id, const char *actor, err *e)
{
    if (store_check_actor(e, actor) < 0)
        return -1;
    int64_t person_id = 0;
    int64_t *uses = NULL;
    size_t n_uses = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_EXP_OWNER, &person_id, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no experience record with id %lld", (long long)id);
        rc = -1;
    }
    if (rc == 1) {
        /* Collect the assessments naming it first; an approved one forbids the delete. */
        store_stmt *st = QUERY_OPEN(s, Q_EXP_USES, e, "i", id);
        rc = st ? 0 : -1;
        int step = 0;
        while (st && (step = store_q_step(s, st, e)) == 1) {
            const char *status = s->drv->column_text(st, 1);
            if (status && strcmp(status, assessment_status_name(ASSESSMENT_APPROVED)) == 0) {
                err_set(e, "", 0, 0, NULL,
                        "experience record %lld is evidence in the approved assessment of %s; return it first",
                        (long long)id, s->drv->column_text(st, 2) ? s->drv->column_text(st, 2) : "");
                rc = -1;
                break;
            }
            *PUSH(uses, n_uses) = store_q_int(s, st, 0);
        }
        if (step < 0)
            rc = -1;
        if (st)
            store_q_close(s, st);
    }
    for (size_t i = 0; rc == 0 && i < n_uses; i++) {
        answer_ctx ctx;
        answer_state was, now;
        memset(&was, 0, sizeof was);
        memset(&now, 0, sizeof now);
        rc = answer_ctx_open_as(s, uses[i], actor, 1, &ctx, e);
        if (rc == 0)
            rc = state_load(s, uses[i], &was, e);
        if (rc == 0) {
            state_copy(&now, &was);
            size_t kept = 0;
            for (size_t k = 0; k < now.n_links; k++)
                if (now.links[k].experience_id != id)
                    now.links[kept++] = now.links[k];
            now.n_links = kept;
            rc = answer_ctx_commit(s, &ctx, &was, &now, e);
        }
        state_free(&was);
        state_free(&now);
    }
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_EXP_DELETE, e, "i", id);
    if (rc == 0)
        rc = store_drop_person_results(s, person_id, e);
    free(uses);
    return store_tx_end(s, rc, e);
}

/* ---- Schema version 6: converting the answers of a version 5 database --------- */

/* The version 5 answers and evidence of assessment id, as they stand, into
 * now (numbered by d). 0, or -1 with *e naming what cannot be converted. */
static int mig5_current(store *s, int64_t id, elem_dict *d, answer_state *now, err *e)
{
    int rc = 0;
    store_stmt *st = NULL;
    if (rc == 0 && !(st = QUERY_OPEN(s, Q_MIG5_ANSWERS, e, "i", id)))
        rc = -1;
    while (rc == 0 && (rc = store_q_step(s, st, e)) == 1) {
        const char *element = s->drv->column_text(st, 0), *rater = s->drv->column_text(st, 1);
        int r = rater ? assessment_rater_parse(rater) : -1;
        int64_t value = s->drv->column_int(st, 2);
        long k = -1;
        if (rules_element_id(e, "element_id", element) < 0 || r < 0 || value < 0 || value > ASSESS_RATING_MAX
            || (k = dict_number(s, d, element, e)) < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: cannot convert the answer '%s' (%s, %lld)",
                    (long long)id, element ? element : "", rater ? rater : "", (long long)value);
            rc = -1;
            break;
        }
        state_reserve(now, (size_t)k + 1);
        now->codes[r][k] = (uint8_t)(value + 1);
        rc = 0;
    }
    if (st)
        store_q_close(s, st);
    st = NULL;
    if (rc == 0 && !(st = QUERY_OPEN(s, Q_MIG5_EVIDENCE, e, "i", id)))
        rc = -1;
    while (rc == 0 && (rc = store_q_step(s, st, e)) == 1) {
        const char *element = s->drv->column_text(st, 0), *rater = s->drv->column_text(st, 1);
        int r = rater ? assessment_rater_parse(rater) : -1;
        long k = element ? dict_lookup(d, element) : -1;
        if (r < 0 || k < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: evidence of an unknown answer '%s'",
                    (long long)id, element ? element : "");
            rc = -1;
            break;
        }
        *PUSH(now->links, now->n_links) = (ev_link){ r, (uint32_t)k, s->drv->column_int(st, 2) };
        rc = 0;
    }
    if (st)
        store_q_close(s, st);
    st = NULL;
    return rc;
}

/* The version 5 history of assessment id (d numbers its elements) as packed
 * rows: runs of value and evidence rows by one actor at one moment become one
 * row of changes (changes: a buffer to reuse). 0, or -1 with *e. */
static int mig5_history(store *s, int64_t id, elem_dict *d, buf *changes, err *e)
{
    int rc = 0;
    store_stmt *st = NULL;
    answer_state replay, next;
    memset(&replay, 0, sizeof replay);
    memset(&next, 0, sizeof next);
    if (rc == 0 && !(st = QUERY_OPEN(s, Q_MIG5_HISTORY, e, "i", id)))
        rc = -1;
    char *run_at = NULL, *run_actor = NULL;
    int in_run = 0;
    for (;;) {
        int step = rc == 0 ? store_q_step(s, st, e) : -1;
        const char *field = step == 1 ? s->drv->column_text(st, 2) : NULL;
        const char *at = step == 1 ? s->drv->column_text(st, 0) : NULL;
        const char *actor = step == 1 ? s->drv->column_text(st, 1) : NULL;
        int is_answer = field && (strcmp(field, "value") == 0 || strcmp(field, "evidence") == 0);
        int same_run = in_run && is_answer && at && actor && strcmp(at, run_at) == 0
                       && strcmp(actor, run_actor) == 0;
        if (in_run && !same_run) {
            /* close the run */
            if (changes_encode(&replay, &next, changes) > 0
                && store_history_add(s, id, run_at, run_actor, "answers", NULL, NULL, changes, e) < 0)
                step = -1;
            state_free(&replay);
            replay = next;
            memset(&next, 0, sizeof next);
            in_run = 0;
            free(run_at);
            free(run_actor);
            run_at = run_actor = NULL;
        }
        if (step != 1) {
            if (step < 0)
                rc = -1;
            break;
        }
        if (!is_answer) {
            if (store_history_add(s, id, at ? at : "", actor ? actor : "", field ? field : "",
                            s->drv->column_text(st, 5), s->drv->column_text(st, 6), NULL, e) < 0) {
                rc = -1;
                break;
            }
            continue;
        }
        if (!in_run) {
            state_copy(&next, &replay);
            run_at = xstrdup(at);
            run_actor = xstrdup(actor);
            in_run = 1;
        }
        const char *element = s->drv->column_text(st, 3), *rater = s->drv->column_text(st, 4);
        int r = rater ? assessment_rater_parse(rater) : -1;
        long k = element ? dict_lookup(d, element) : -1;
        if (k < 0 && element && rules_element_id(NULL, "element_id", element) == 0)
            k = dict_number(s, d, element, e);      /* an answer since removed */
        if (r < 0 || k < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: cannot convert the history of '%s'",
                    (long long)id, element ? element : "");
            rc = -1;
            free(run_at);
            free(run_actor);
            break;
        }
        const char *nv = s->drv->column_text(st, 6);
        state_reserve(&next, (size_t)k + 1);
        if (strcmp(field, "value") == 0) {
            next.codes[r][k] = nv ? (uint8_t)(atoi(nv) + 1) : 0;
        } else {
            int64_t *ids = NULL;
            size_t n_ids = 0;
            for (const char *p = nv; p && *p;) {
                *PUSH(ids, n_ids) = strtoll(p, NULL, 10);
                p = strchr(p, ',');
                p = p ? p + 1 : NULL;
            }
            state_set(&next, r, (uint32_t)k, next.codes[r][k], ids, n_ids);
            free(ids);
        }
    }
    if (st)
        store_q_close(s, st);
    state_free(&replay);
    state_free(&next);
    return rc;
}

/* Converts the answers, evidence and history of every assessment from the
 * tables of versions 1 to 5 (renamed *_v4 by the migration's SQL) to the packed
 * ones, then drops the old tables. Runs inside the migration's transaction: any
 * failure leaves the database at version 5 as it was. */
int store_answers_convert(store *s, err *e)
{
    typedef struct { int64_t id; char *catalog_id, *version; } todo;
    todo *list = NULL;
    size_t n = 0;
    /* The old history's index went with the rename (the new table took its
     * name): without one, reading each assessment's history scans them all. */
    if (s->drv->exec(s->conn, "CREATE INDEX assessment_history_v4_by_assessment "
                              "ON assessment_history_v4(assessment_id, id)", e) < 0)
        return -1;
    store_stmt *st = QUERY_OPEN(s, Q_MIG5_ASSESSMENTS, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        todo *t = PUSH(list, n);
        t->id = s->drv->column_int(st, 0);
        t->catalog_id = store_q_dup(s, st, 1);
        t->version = store_q_dup(s, st, 2);
    }
    store_q_close(s, st);
    rc = rc < 0 ? -1 : 0;
    buf changes;
    buf_init(&changes);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        answer_state now, empty;
        memset(&now, 0, sizeof now);
        memset(&empty, 0, sizeof empty);
        elem_dict *d = dict_get(s, list[i].catalog_id, list[i].version, e);
        rc = d ? mig5_current(s, list[i].id, d, &now, e) : -1;
        if (rc == 0) {
            if (now.n_links > 1)
                qsort(now.links, now.n_links, sizeof *now.links, cmp_link);
            rc = state_store(s, list[i].id, &empty, &now, e);
        }
        if (rc == 0)
            rc = mig5_history(s, list[i].id, d, &changes, e);
        state_free(&now);
    }
    buf_free(&changes);
    for (size_t i = 0; i < n; i++) {
        free(list[i].catalog_id);
        free(list[i].version);
    }
    free(list);
    if (rc == 0)
        rc = s->drv->exec(s->conn, "DROP TABLE answer_evidence_v4; DROP TABLE answer_v4; "
                                   "DROP TABLE assessment_history_v4", e);
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
