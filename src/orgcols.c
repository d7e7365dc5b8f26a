/* orgcols.c - the organization's levels held in memory (see orgcols.h).
 *
 * Rows are kept in one array in the order first read; a hash from assessment
 * id to row finds a row again when it changes. Levels are bytes. The unit tree
 * is read again at every refresh (a few thousand rows): moving a unit changes
 * no assessment's revision. */
#include "orgcols.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "engine.h"

#define MAX_SPECS 16
#define EVALUATE_CHUNK 1000

typedef struct orgcols_row {
    int64_t id, person_id, cycle_id, unit_id;
    unsigned char status;
    signed char levels[MAX_SPECS];   /* -1: another catalog version */
} orgcols_row;

struct orgcols {
    const catalog *cat;
    const policy *pol;
    char policy_key[200];
    size_t n_specs;
    engine *eng;
    engine_result *res;
    orgcols_row *rows;
    size_t n_rows, cap_rows;
    size_t *slots;                   /* open addressing: row index + 1, 0 empty */
    size_t n_slots;
    int64_t seen;                    /* the highest revision read */
    int64_t *unit_ids, *unit_parents;/* the unit tree, sorted by id */
    size_t n_units;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

static size_t hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x ^ (x >> 29));
}

orgcols *orgcols_new(const catalog *cat, const policy *pol)
{
    orgcols *oc = xcalloc(1, sizeof *oc);
    oc->cat = cat;
    oc->pol = pol;
    snprintf(oc->policy_key, sizeof oc->policy_key, "%s@%s", pol->id, pol->version);
    oc->n_specs = catalog_spec_count(cat);
    if (oc->n_specs > MAX_SPECS)
        oc->n_specs = MAX_SPECS;
    oc->eng = engine_new(cat, pol);
    oc->res = engine_result_new(oc->eng);
    return oc;
}

void orgcols_free(orgcols *oc)
{
    if (!oc)
        return;
    engine_result_free(oc->res);
    engine_free(oc->eng);
    free(oc->rows);
    free(oc->slots);
    free(oc->unit_ids);
    free(oc->unit_parents);
    free(oc);
}

size_t orgcols_count(const orgcols *oc)
{
    return oc->n_rows;
}

size_t orgcols_bytes(const orgcols *oc)
{
    return oc->cap_rows * sizeof *oc->rows + oc->n_slots * sizeof *oc->slots
           + oc->n_units * 2 * sizeof *oc->unit_ids;
}

/* The row of assessment id, or NULL. */
static orgcols_row *row_find(const orgcols *oc, int64_t id)
{
    if (!oc->n_slots)
        return NULL;
    for (size_t i = hash_id(id) & (oc->n_slots - 1);; i = (i + 1) & (oc->n_slots - 1)) {
        size_t v = oc->slots[i];
        if (!v)
            return NULL;
        if (oc->rows[v - 1].id == id)
            return &oc->rows[v - 1];
    }
}

/* The row of assessment id, made (zeroed but for id) when there is none. */
static orgcols_row *row_get(orgcols *oc, int64_t id)
{
    orgcols_row *r = row_find(oc, id);
    if (r)
        return r;
    if ((oc->n_rows + 1) * 2 > oc->n_slots) {
        size_t n_slots = oc->n_slots ? oc->n_slots * 2 : 1024;
        size_t *slots = xcalloc(n_slots, sizeof *slots);
        for (size_t k = 0; k < oc->n_rows; k++)
            for (size_t i = hash_id(oc->rows[k].id) & (n_slots - 1);; i = (i + 1) & (n_slots - 1))
                if (!slots[i]) {
                    slots[i] = k + 1;
                    break;
                }
        free(oc->slots);
        oc->slots = slots;
        oc->n_slots = n_slots;
    }
    if (oc->n_rows == oc->cap_rows) {
        oc->cap_rows = oc->cap_rows ? oc->cap_rows * 2 : 1024;
        oc->rows = realloc(oc->rows, oc->cap_rows * sizeof *oc->rows);
        if (!oc->rows)
            abort();
    }
    r = &oc->rows[oc->n_rows++];
    memset(r, 0, sizeof *r);
    r->id = id;
    for (size_t i = hash_id(id) & (oc->n_slots - 1);; i = (i + 1) & (oc->n_slots - 1))
        if (!oc->slots[i]) {
            oc->slots[i] = oc->n_rows;
            break;
        }
    return r;
}

/* Index of specialization id in the catalog, or -1. */
static int spec_index(const orgcols *oc, const char *id)
{
    for (size_t i = 0; i < oc->n_specs; i++)
        if (strcmp(catalog_spec_at(oc->cat, i)->id, id) == 0)
            return (int)i;
    return -1;
}

/* What a refresh collects before it evaluates: the changed assessments, and
 * the kept results read for them. */
typedef struct pending {
    int64_t id;
    int complete;                    /* every specialization has a kept result */
} pending;

typedef struct refresh_ctx {
    orgcols *oc;
    pending *todo;
    size_t n_todo, cap_todo;
    int64_t seen;
    int first;                       /* the first refresh: kept results read in bulk */
} refresh_ctx;

/* store_assessment_changes callback: the row's facts now; levels unknown (-2)
 * until results are read. */
static int take_change(const store_assessment_change *c, void *p)
{
    refresh_ctx *x = p;
    orgcols_row *r = row_get(x->oc, c->id);
    r->person_id = c->person_id;
    r->cycle_id = c->cycle_id;
    r->unit_id = c->org_unit_id;
    r->status = (unsigned char)c->status;
    int same = c->catalog_id && c->catalog_version && strcmp(c->catalog_id, catalog_id(x->oc->cat)) == 0
               && strcmp(c->catalog_version, catalog_version(x->oc->cat)) == 0;
    for (size_t s = 0; s < x->oc->n_specs; s++)
        r->levels[s] = same ? -2 : -1;
    if (same) {
        if (x->n_todo == x->cap_todo) {
            x->cap_todo = x->cap_todo ? x->cap_todo * 2 : 256;
            x->todo = realloc(x->todo, x->cap_todo * sizeof *x->todo);
            if (!x->todo)
                abort();
        }
        x->todo[x->n_todo++] = (pending){ c->id, 0 };
    }
    if (c->revision > x->seen)
        x->seen = c->revision;
    return 0;
}

/* store_result_each callback (first refresh): a kept level into its row. */
static int take_result(int64_t assessment_id, const char *spec, int level, void *p)
{
    refresh_ctx *x = p;
    orgcols_row *r = row_find(x->oc, assessment_id);
    int s = spec_index(x->oc, spec);
    if (r && s >= 0 && r->levels[s] == -2 && level >= 0 && level < 127)
        r->levels[s] = (signed char)level;
    return 0;
}

/* Reads the unit tree (ids and parents, sorted by id). */
static int read_units(orgcols *oc, store *db, err *e)
{
    store_org_list l;
    if (store_org_list_all(db, &l, e) < 0)
        return -1;
    free(oc->unit_ids);
    free(oc->unit_parents);
    oc->unit_ids = xcalloc(l.count, sizeof *oc->unit_ids);
    oc->unit_parents = xcalloc(l.count, sizeof *oc->unit_parents);
    /* Insertion into id order (the list comes in tree order). */
    size_t n = 0;
    for (size_t i = 0; i < l.count; i++) {
        size_t k = n;
        while (k > 0 && oc->unit_ids[k - 1] > l.items[i].id) {
            oc->unit_ids[k] = oc->unit_ids[k - 1];
            oc->unit_parents[k] = oc->unit_parents[k - 1];
            k--;
        }
        oc->unit_ids[k] = l.items[i].id;
        oc->unit_parents[k] = l.items[i].parent_id;
        n++;
    }
    oc->n_units = n;
    store_org_list_free(&l);
    return 0;
}

/* Evaluates assessment id and keeps its results; fills its row's levels. */
static int evaluate(orgcols *oc, store *db, orgcols_row *r, err *e)
{
    assessment *a = NULL;
    int rc = store_assessment_load(db, r->id, &a, e);
    if (rc != 1)
        return rc == 0 ? 0 : -1;   /* gone: nothing to evaluate */
    engine_evaluate(oc->eng, a, RATER_SELF, oc->res);
    rc = 0;
    for (size_t s = 0; rc == 0 && s < oc->n_specs; s++) {
        const engine_spec *es = engine_result_spec(oc->res, catalog_spec_at(oc->cat, s)->id);
        int level = es ? es->level : 0;
        r->levels[s] = (signed char)level;
        rc = store_result_put(db, r->id, oc->policy_key, catalog_spec_at(oc->cat, s)->id, level, NULL, e);
    }
    assessment_free(a);
    return rc;
}

int orgcols_refresh(orgcols *oc, store *db, err *e)
{
    refresh_ctx x;
    memset(&x, 0, sizeof x);
    x.oc = oc;
    x.seen = oc->seen;
    x.first = oc->seen == 0;
    int rc = store_begin_read(db, e);
    if (rc == 0)
        rc = read_units(oc, db, e);
    if (rc == 0)
        rc = store_assessment_changes(db, oc->seen, take_change, &x, e);
    if (rc == 0 && x.first)
        rc = store_result_each(db, oc->policy_key, take_result, &x, e);
    store_result_list kept;
    for (size_t i = 0; rc == 0 && !x.first && i < x.n_todo; i++) {
        orgcols_row *r = row_find(oc, x.todo[i].id);
        if (store_result_list_assessment(db, r->id, oc->policy_key, &kept, e) < 0) {
            rc = -1;
            break;
        }
        for (size_t k = 0; k < kept.count; k++) {
            int s = spec_index(oc, kept.items[k].specialization_id);
            if (s >= 0 && kept.items[k].level >= 0 && kept.items[k].level < 127)
                r->levels[s] = (signed char)kept.items[k].level;
        }
        store_result_list_free(&kept);
    }
    if (store_depth(db) > 0) {
        if (rc == 0)
            rc = store_commit(db, e);
        else
            store_rollback(db, NULL);
    }
    /* Those without every kept result: evaluate once and keep, EVALUATE_CHUNK
     * to a transaction (a commit waits for the disk). */
    size_t in_tx = 0;
    for (size_t i = 0; rc == 0 && i < x.n_todo; i++) {
        orgcols_row *r = row_find(oc, x.todo[i].id);
        int missing = 0;
        for (size_t s = 0; s < oc->n_specs; s++)
            missing |= r->levels[s] == -2;
        if (!missing)
            continue;
        if (in_tx == 0 && (rc = store_begin(db, e)) < 0)
            break;
        rc = evaluate(oc, db, r, e);
        if (rc == 0 && ++in_tx == EVALUATE_CHUNK) {
            rc = store_commit(db, e);
            in_tx = 0;
        }
    }
    if (in_tx > 0) {
        if (rc == 0)
            rc = store_commit(db, e);
        else
            store_rollback(db, NULL);
    }
    free(x.todo);
    if (rc == 0)
        oc->seen = x.seen;
    return rc;
}

int orgcols_levels(const orgcols *oc, int64_t assessment_id, int *levels)
{
    const orgcols_row *r = row_find(oc, assessment_id);
    if (!r)
        return 0;
    for (size_t s = 0; s < oc->n_specs; s++)
        levels[s] = r->levels[s] < 0 ? -1 : r->levels[s];
    return 1;
}

/* The index of unit id in the sorted unit arrays, or -1. */
static long unit_at(const orgcols *oc, int64_t id)
{
    size_t lo = 0, hi = oc->n_units;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (oc->unit_ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < oc->n_units && oc->unit_ids[lo] == id ? (long)lo : -1;
}

/* Marks in[u] 1 for the units at or below top, 2 for the others (one byte per
 * unit); each unit's chain of parents is walked once. */
static void mark_subtree(const orgcols *oc, int64_t top, unsigned char *in)
{
    long *chain = xcalloc(oc->n_units + 1, sizeof *chain);
    for (size_t u = 0; u < oc->n_units; u++) {
        size_t n = 0;
        long k = (long)u;
        unsigned char verdict = 2;
        while (k >= 0 && n <= oc->n_units) {
            if (in[k]) {
                verdict = in[k];
                break;
            }
            chain[n++] = k;
            if (oc->unit_ids[k] == top) {
                verdict = 1;
                break;
            }
            k = oc->unit_parents[k] ? unit_at(oc, oc->unit_parents[k]) : -1;
        }
        for (size_t i = 0; i < n; i++)
            in[chain[i]] = verdict;
    }
    free(chain);
}

int orgcols_portfolio_count(const orgcols *oc, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                            int64_t compare_cycle_id, orgcols_portfolio *out)
{
    memset(out, 0, sizeof *out);
    size_t n_specs = oc->n_specs;
    int n_levels = catalog_level_max(oc->cat) + 1;
    out->n_specs = n_specs;
    out->n_levels = n_levels;
    out->counts = xcalloc(n_specs * (size_t)n_levels, sizeof *out->counts);
    out->up = xcalloc(n_specs, sizeof *out->up);
    out->same = xcalloc(n_specs, sizeof *out->same);
    out->down = xcalloc(n_specs, sizeof *out->down);
    unsigned char *in = NULL;
    if (org_unit_id) {
        in = xcalloc(oc->n_units, 1);
        mark_subtree(oc, org_unit_id, in);
    }
    /* The compared cycle's rows by person: a hash of person id to row. */
    size_t n_map = 0;
    size_t *map = NULL;
    int compare = compare_cycle_id > 0 && compare_cycle_id != cycle_id;
    if (compare) {
        n_map = 1024;
        while (n_map < oc->n_rows * 2)
            n_map *= 2;
        map = xcalloc(n_map, sizeof *map);
    }
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        if (r->cycle_id != cycle_id && !(compare && r->cycle_id == compare_cycle_id))
            continue;
        if (approved_only && r->status != ASSESSMENT_APPROVED)
            continue;
        if (in) {
            long u = r->unit_id ? unit_at(oc, r->unit_id) : -1;
            if (u < 0 || in[u] != 1)
                continue;
        }
        if (n_specs && r->levels[0] < 0)
            continue;              /* another catalog version (or not evaluated: a failed refresh) */
        if (r->cycle_id != cycle_id) {
            for (size_t k = hash_id(r->person_id) & (n_map - 1);; k = (k + 1) & (n_map - 1))
                if (!map[k]) {
                    map[k] = i + 1;
                    break;
                }
            continue;
        }
        out->assessed++;
        int reached = 0;
        for (size_t s = 0; s < n_specs; s++) {
            if (r->levels[s] >= 0 && r->levels[s] < n_levels)
                out->counts[s * (size_t)n_levels + (size_t)r->levels[s]]++;
            reached |= r->levels[s] > 0;
        }
        out->no_level += !reached;
    }
    if (compare) {
        for (size_t i = 0; i < oc->n_rows; i++) {
            const orgcols_row *a = &oc->rows[i];
            if (a->cycle_id != cycle_id || (approved_only && a->status != ASSESSMENT_APPROVED)
                || (n_specs && a->levels[0] < 0))
                continue;
            if (in) {
                long u = a->unit_id ? unit_at(oc, a->unit_id) : -1;
                if (u < 0 || in[u] != 1)
                    continue;
            }
            const orgcols_row *b = NULL;
            for (size_t k = hash_id(a->person_id) & (n_map - 1); map[k]; k = (k + 1) & (n_map - 1))
                if (oc->rows[map[k] - 1].person_id == a->person_id) {
                    b = &oc->rows[map[k] - 1];
                    break;
                }
            if (!b)
                continue;
            out->compared++;
            for (size_t s = 0; s < n_specs; s++) {
                if (a->levels[s] <= 0 && b->levels[s] <= 0)
                    continue;      /* 未到達 both times */
                if (a->levels[s] > b->levels[s])
                    out->up[s]++;
                else if (a->levels[s] < b->levels[s])
                    out->down[s]++;
                else
                    out->same[s]++;
            }
        }
    }
    free(map);
    free(in);
    return 0;
}

void orgcols_portfolio_free(orgcols_portfolio *p)
{
    free(p->counts);
    free(p->up);
    free(p->same);
    free(p->down);
    memset(p, 0, sizeof *p);
}
