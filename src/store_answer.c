/* store_answer.c - the store's answers and their history (store.h): save and
 * delete one answer, load and save all of an assessment's, its status, the
 * history unpacked, and the deletion of an experience record that answers name.
 * The packed representation is store_packed.c's; one slot per statement from
 * STORE_SLOT_ANSWER. Strings returned in structs are heap copies owned by the
 * struct. */
#include "store_internal.h"
#include "store_packed.h"

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
    X(EXP_IDS_OF_PERSON, "SELECT id FROM experience WHERE person_id = ? ORDER BY id") \
    X(EXP_USES, "SELECT DISTINCT e.assessment_id, a.status, c.name FROM answer_evidence e " \
                "JOIN assessment a ON a.id = e.assessment_id JOIN cycle c ON c.id = a.cycle_id " \
                "WHERE e.experience_id = ? ORDER BY e.assessment_id") \
    X(HISTORY_LIST, "SELECT id, at, actor, kind, old_value, new_value, changes FROM assessment_history " \
                    "WHERE assessment_id = ? ORDER BY id") \
    X(RESULTS_DROP, "DELETE FROM result WHERE assessment_id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, ANSWER_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { ANSWER_QUERIES(STORE_QUERY_SQL) };

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
    if (rc == 1 && !(ctx->dict = store_dict_get(s, a.catalog_id, a.catalog_version, e)))
        rc = -1;
    ctx->assessment_id = id;
    ctx->person_id = a.person_id;
    ctx->actor = actor;
    store_now_utc(ctx->at);
    store_assessment_clear(&a);
    return rc == 1 ? 0 : -1;
}

/* answer_ctx_open_as for a change refused once the assessment is approved. */
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
    if (store_changes_encode(was, now, &changes) > 0) {
        rc = store_state_store(s, ctx->assessment_id, was, now, e);
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

/* Orders int64_t ids ascending (qsort). */
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
    long k = store_dict_number(s, ctx->dict, answer->element_id, e);
    if (k >= 0)
        store_state_set(now, (int)answer->rater, (uint32_t)k, answer->value + 1, ev, n_ev);
    free(ev);
    return k < 0 ? -1 : 0;
}

/* Saves one answer of assessment_id (value and evidence), with its history, in one
 * transaction. 0, or -1 with *e. */
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
        rc = store_state_load(s, assessment_id, &was, e);
    if (rc == 0) {
        store_state_copy(&now, &was);
        rc = answer_put(s, &ctx, &now, answer, e);
    }
    if (rc == 0)
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    free(ctx.records);
    store_state_free(&was);
    store_state_free(&now);
    return store_tx_end(s, rc, e);
}

/* Removes one answer of assessment_id (and its evidence), with its history, in one
 * transaction. 0, or -1 with *e. */
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
        rc = store_state_load(s, assessment_id, &was, e);
    long k = -1;
    if (rc == 0 && (k = store_dict_lookup(ctx.dict, element_id)) < 0 && store_dict_refresh(s, ctx.dict, e) < 0)
        rc = -1;
    if (rc == 0 && k < 0)
        k = store_dict_lookup(ctx.dict, element_id);
    if (rc == 0 && k >= 0) {
        store_state_copy(&now, &was);
        store_state_set(&now, (int)rater, (uint32_t)k, 0, NULL, 0);
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    }
    store_state_free(&was);
    store_state_free(&now);
    return store_tx_end(s, rc, e);
}

/* The element dictionary of the catalog version assessment id was made with,
 * into *d (the store owns it): 1, 0 no such assessment, -1 with *e. */
static int assessment_dict(store *s, int64_t id, elem_dict **d, err *e)
{
    *d = NULL;
    store_stmt *st = QUERY_OPEN(s, Q_ASSESS_CATALOG, e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    char *catalog_id = NULL, *version = NULL;
    if (rc == 1) {
        catalog_id = store_q_dup(s, st, 0);
        version = store_q_dup(s, st, 1);
    }
    store_q_close(s, st);
    if (rc == 1) {
        *d = store_dict_get(s, catalog_id, version, e);
        if (!*d)
            rc = -1;
    }
    free(catalog_id);
    free(version);
    return rc;
}

/* Adds the answers st holds (values and evidence, by d's numbers) to a, in
 * element id order. */
void store_state_fill(elem_dict *d, const answer_state *st, assessment *a)
{
    store_dict_order(d);
    const char *ev[64];
    char ev_text[64][24];
    for (size_t i = 0; i < d->n; i++) {
        uint32_t k = d->order[i];
        if (k >= st->n)
            continue;
        for (int r = 0; r < RATER_COUNT; r++) {
            int code = st->codes[r][k];
            if (!code)
                continue;
            size_t from, to, n = 0;
            store_state_links_of(st, r, k, &from, &to);
            const char **evp = ev;
            char **heap = NULL;
            if (to - from > 64) {
                heap = xmalloc((to - from) * sizeof *heap);
                for (size_t j = from; j < to; j++) {
                    heap[n] = xmalloc(24);
                    snprintf(heap[n++], 24, "%lld", (long long)st->links[j].experience_id);
                }
                evp = (const char **)heap;
            } else {
                for (size_t j = from; j < to; j++) {
                    snprintf(ev_text[n], sizeof ev_text[n], "%lld", (long long)st->links[j].experience_id);
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
}

/* Reads the answers of assessment id (values and evidence) into a (a owns them).
 * 0, or -1 with *e. */
int store_answers_load(store *s, int64_t id, assessment *a, err *e)
{
    elem_dict *d;
    int rc = assessment_dict(s, id, &d, e);
    if (rc <= 0)
        return rc;
    answer_state st;
    if (store_state_load(s, id, &st, e) < 0)
        return -1;
    if (st.n > d->n && store_dict_refresh(s, d, e) < 0) {
        store_state_free(&st);
        return -1;
    }
    store_state_fill(d, &st, a);
    store_state_free(&st);
    return 0;
}

/* The answers of assessment id after its history row `through`: the history's
 * answers rows up to there replayed (store_changes_apply), then added to a as
 * store_answers_load adds the current ones. 0, or -1 with *e. */
int store_answers_load_through(store *s, int64_t id, int64_t through, assessment *a, err *e)
{
    elem_dict *d;
    int rc = assessment_dict(s, id, &d, e);
    if (rc == 0)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)id);
    if (rc <= 0)
        return -1;
    store_stmt *st = QUERY_OPEN(s, Q_HISTORY_LIST, e, "i", id);
    if (!st)
        return -1;
    answer_state replay;
    memset(&replay, 0, sizeof replay);
    while ((rc = store_q_step(s, st, e)) == 1) {
        int64_t row = s->drv->column_int(st, 0);
        const char *kind = s->drv->column_text(st, 3);
        if (row > through)
            continue;
        if (kind && strcmp(kind, "answers") == 0) {
            size_t len;
            const unsigned char *p = s->drv->column_blob(st, 6, &len);
            if (store_changes_apply(s, d, &replay, p, p ? len : 0, row, NULL, NULL, NULL, e) < 0) {
                rc = -1;
                break;
            }
        }
    }
    store_q_close(s, st);
    if (rc == 0)
        store_state_fill(d, &replay, a);
    store_state_free(&replay);
    return rc < 0 ? -1 : 0;
}

/* Replaces the answers of assessment id by a's, with one history row for all
 * that changed, in one transaction. 0, or -1 with *e. */
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
        rc = store_state_load(s, id, &was, e);
    if (rc == 0)
        store_state_reserve(&now, ctx.dict->n);
    for (size_t i = 0; rc == 0 && i < a->n_answers; i++) {
        const assessment_answer *x = &a->answers[i];
        int64_t *ev;
        size_t n_ev;
        long k = -1;
        if (evidence_ids(s, &ctx, x, &ev, &n_ev, e) < 0 || (k = store_dict_number(s, ctx.dict, x->element_id, e)) < 0) {
            rc = -1;
            break;
        }
        store_state_reserve(&now, (size_t)k + 1);
        now.codes[x->rater][k] = (uint8_t)(x->value + 1);
        for (size_t j = 0; j < n_ev; j++)
            *PUSH(now.links, now.n_links) = (ev_link){ (int)x->rater, (uint32_t)k, ev[j] };
        free(ev);
    }
    if (rc == 0) {
        if (now.n_links > 1)
            qsort(now.links, now.n_links, sizeof *now.links, store_cmp_link);
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    }
    free(ctx.records);
    store_state_free(&was);
    store_state_free(&now);
    return store_tx_end(s, rc, e);
}

/* The whole assessment id (person, cycle, answers, records) into *out (the
 * caller frees it with assessment_free). 1, 0 none, -1 failed. */
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

/* Sets the status of assessment id, with its history and a new revision, in one
 * transaction. 0, or -1 with *e. */
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
    store_state_links_of(st, rater, element, &from, &to);
    if (from == to)
        return NULL;
    buf b;
    buf_init(&b);
    for (size_t i = from; i < to; i++)
        buf_printf(&b, "%s%lld", i > from ? "," : "", (long long)st->links[i].experience_id);
    return buf_detach(&b);
}

/* Applies a run record (store_changes_runs) of rater r at p[*pos] to st, its
 * first element *element, moving *pos past it and *element to its last; as
 * store_changes_apply does for answers one by one (a 'value' entry in out for
 * each that changed). 0, or -1 when it does not decode. */
static int run_apply(store *s, elem_dict *d, answer_state *st, const unsigned char *p, size_t len, size_t *pos,
                     uint32_t *element, int r, int64_t row_id, const char *at, const char *actor,
                     store_history_list *out, int64_t *rank, err *e)
{
    uint64_t n = store_get_varint(p, len, pos);
    size_t bytes = n <= len * 8 ? (size_t)((n * CODE_BITS + 7) / 8) : 0;
    if (n == 0 || bytes == 0 || *pos + bytes > len) {
        err_set(e, s->location, 0, 0, NULL, "history row %lld does not decode", (long long)row_id);
        return -1;
    }
    uint64_t last = *element + n - 1;
    if (last >= d->n && store_dict_refresh(s, d, e) < 0)
        return -1;
    if (last >= d->n) {
        err_set(e, s->location, 0, 0, NULL, "history row %lld does not decode", (long long)row_id);
        return -1;
    }
    store_state_reserve(st, (size_t)last + 1);
    const unsigned char *bits = p + *pos;
    for (uint64_t i = 0; i < n; i++) {
        size_t bit = (size_t)i * CODE_BITS, at_byte = bit / 8;
        unsigned v = bits[at_byte] | (at_byte + 1 < bytes ? (unsigned)bits[at_byte + 1] << 8 : 0u);
        int code = (int)((v >> (bit % 8)) & 7);
        if (code > ASSESS_RATING_MAX + 1) {
            err_set(e, s->location, 0, 0, NULL, "history row %lld does not decode", (long long)row_id);
            return -1;
        }
        uint32_t k = *element + (uint32_t)i;
        int old = st->codes[r][k];
        if (out && old != code)
            history_push(out, (row_id << 20) + (*rank)++, at, actor, "value", d->ids[k], r, code_text(old),
                         code_text(code));
        st->codes[r][k] = (uint8_t)code;
    }
    *pos += bytes;
    *element = (uint32_t)last;
    return 0;
}

/* Applies one history row's packed changes to st, appending the entries it
 * stands for to out (when out is not NULL): per changed answer a 'value' entry
 * when the value changed and an 'evidence' entry when the evidence did, with
 * the old values from st. Entry ids are row_id << 20 plus their rank. 0, or -1
 * when the changes do not decode (e says so). */
int store_changes_apply(store *s, elem_dict *d, answer_state *st, const unsigned char *p, size_t len, int64_t row_id,
                        const char *at, const char *actor, store_history_list *out, err *e)
{
    size_t pos = 0;
    uint32_t element = 0;
    int64_t rank = 0;
    while (pos < len) {
        uint64_t head = store_get_varint(p, len, &pos);
        element += (uint32_t)(head >> 1);
        int r = (int)(head & 1);
        if (pos >= len)
            break;
        int flags = p[pos++];
        int code = flags & 7, ev_changed = (flags & 8) != 0;
        if (code == CHANGES_RUN && !ev_changed) {
            if (run_apply(s, d, st, p, len, &pos, &element, r, row_id, at, actor, out, &rank, e) < 0)
                return -1;
            continue;
        }
        int64_t *ids = NULL;
        size_t n_ids = 0;
        if (ev_changed) {
            uint64_t count = store_get_varint(p, len, &pos);
            int64_t last = 0;
            for (uint64_t i = 0; i < count && pos < len; i++) {
                last += (int64_t)store_get_varint(p, len, &pos);
                *PUSH(ids, n_ids) = last;
            }
        }
        if (element >= d->n && store_dict_refresh(s, d, e) < 0) {
            free(ids);
            return -1;
        }
        if (element >= d->n || code > ASSESS_RATING_MAX + 1) {
            free(ids);
            err_set(e, s->location, 0, 0, NULL, "history row %lld does not decode", (long long)row_id);
            return -1;
        }
        store_state_reserve(st, (size_t)element + 1);
        int old = st->codes[r][element];
        if (out && old != code)
            history_push(out, (row_id << 20) + rank++, at, actor, "value", d->ids[element], r, code_text(old),
                         code_text(code));
        if (ev_changed) {
            char *was = out ? links_text(st, r, element) : NULL;
            store_state_set(st, r, element, code, ids, n_ids);
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

/* The history of assessment id, oldest first, each answers row unpacked into its
 * value and evidence entries, into out (the caller frees it with
 * store_history_list_free). 0, or -1 with *e. */
int store_history_list_assessment(store *s, int64_t id, store_history_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    elem_dict *d;
    int rc = assessment_dict(s, id, &d, e);
    if (rc <= 0)
        return rc;
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
            if (store_changes_apply(s, d, &replay, p, p ? len : 0, row, at, actor, out, e) < 0) {
                rc = -1;
                break;
            }
        } else {
            history_push(out, row << 20, at, actor, kind ? kind : "", NULL, -1, store_q_dup(s, st, 4), store_q_dup(s, st, 5));
        }
    }
    store_q_close(s, st);
    store_state_free(&replay);
    if (rc < 0) {
        store_history_list_free(out);
        return -1;
    }
    return 0;
}

/* Frees what l holds and empties it. */
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

/* Deletes experience record id: removes the evidence links that name it (with a
 * history row each) and refuses when an approved assessment names it; one
 * transaction. 0, or -1 with *e. */
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
            rc = store_state_load(s, uses[i], &was, e);
        if (rc == 0) {
            store_state_copy(&now, &was);
            size_t kept = 0;
            for (size_t k = 0; k < now.n_links; k++)
                if (now.links[k].experience_id != id)
                    now.links[kept++] = now.links[k];
            now.n_links = kept;
            rc = answer_ctx_commit(s, &ctx, &was, &now, e);
        }
        store_state_free(&was);
        store_state_free(&now);
    }
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_EXP_DELETE, e, "i", id);
    if (rc == 0)
        rc = store_drop_person_results(s, person_id, e);
    free(uses);
    return store_tx_end(s, rc, e);
}
