/* orgcols_views.c - the org views counted over the columns (orgcols.h):
 * portfolio and levels by unit, and the grouping of units into a view's rows
 * that every view shares (the skill map is orgcols_skillmap.c's, talent search
 * and level flow orgcols_search.c's). Each is one pass over the rows of the
 * cycle(s) asked for; units are grouped by walking each unit's chain of
 * parents once. */
#include "orgcols_int.h"

#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "xalloc.h"

void oc_buckets_free(oc_buckets *b)
{
    free(b->of_unit);
    free(b->unit_ids);
    free(b->direct);
    free(b->people);
    memset(b, 0, sizeof *b);
}

/* The bucket of each unit: walks up until the scope's unit (or, for the whole
 * organization, a top unit) or a unit already decided. */
static void decide_units(const orgcols *oc, int64_t top, oc_buckets *b, const long *bucket_of_child)
{
    long *chain = xcalloc(oc->n_units + 1, sizeof *chain);
    unsigned char *done = xcalloc(oc->n_units + 1, 1);
    for (size_t u = 0; u < oc->n_units; u++) {
        size_t n = 0;
        long k = (long)u, verdict = -1;
        while (k >= 0 && n <= oc->n_units) {
            if (done[k]) {
                verdict = b->of_unit[k];
                break;
            }
            if (bucket_of_child[k] >= 0) {
                chain[n++] = k;
                verdict = bucket_of_child[k];
                break;
            }
            if (top && oc->unit_ids[k] == top) {
                chain[n++] = k;
                verdict = 0;
                break;
            }
            chain[n++] = k;
            k = oc->unit_parents[k] ? oc_unit_at(oc, oc->unit_parents[k]) : -1;
        }
        for (size_t i = 0; i < n; i++) {
            b->of_unit[chain[i]] = verdict;
            done[chain[i]] = 1;
        }
    }
    free(done);
    free(chain);
}

static const orgcols *sort_oc;   /* qsort has no context: set around its calls */

/* qsort order of unit indexes: by code, as siblings come in tree order. */
static int cmp_code(const void *x, const void *y)
{
    return strcmp(sort_oc->unit_codes[*(const int64_t *)x], sort_oc->unit_codes[*(const int64_t *)y]);
}

/* The buckets of scope unit top (0: the whole organization, by top units). */
void oc_buckets_make(const orgcols *oc, int64_t top, oc_buckets *b)
{
    memset(b, 0, sizeof *b);
    b->whole = top == 0;
    b->of_unit = xcalloc(oc->n_units + 1, sizeof *b->of_unit);
    b->unit_ids = xcalloc(oc->n_units + 2, sizeof *b->unit_ids);
    b->direct = xcalloc(oc->n_units + 2, sizeof *b->direct);
    long *child = xcalloc(oc->n_units + 1, sizeof *child);
    for (size_t u = 0; u < oc->n_units; u++)
        child[u] = -1;
    if (top && oc_unit_at(oc, top) >= 0) {
        b->unit_ids[b->n] = top;
        b->direct[b->n++] = 1;
    }
    size_t first = b->n;
    for (size_t u = 0; u < oc->n_units; u++)
        if (oc->unit_parents[u] == top || (!top && oc_unit_at(oc, oc->unit_parents[u]) < 0))
            b->unit_ids[b->n++] = (int64_t)u;          /* indexes for now, sorted by code below */
    sort_oc = oc;
    qsort(b->unit_ids + first, b->n - first, sizeof *b->unit_ids, cmp_code);
    sort_oc = NULL;
    for (size_t k = first; k < b->n; k++) {
        child[b->unit_ids[k]] = (long)k;
        b->unit_ids[k] = oc->unit_ids[b->unit_ids[k]];
    }
    if (top && oc_unit_at(oc, top) < 0)
        b->n = 0;                      /* no such unit: nothing in scope */
    decide_units(oc, top, b, child);
    free(child);
    b->people = xcalloc(b->n + 1, sizeof *b->people);
    for (size_t u = 0; u < oc->n_units; u++)
        if (b->of_unit[u] >= 0 && (size_t)b->of_unit[u] < b->n) {
            b->people[b->of_unit[u]] += oc->unit_people[u];
            b->people[b->n] += oc->unit_people[u];
        }
    if (b->whole)
        b->people[b->n] += oc->people_no_unit;
}

/* The bucket of row r: its index, b->n for the scope's total only (no unit,
 * whole organization), -1 outside the scope. */
long oc_row_bucket(const orgcols *oc, const oc_buckets *b, const orgcols_row *r)
{
    (void)oc;
    long u = r->unit_ix;
    if (u < 0)
        return b->whole ? (long)b->n : -1;
    long k = b->of_unit[u];
    return k >= 0 && (size_t)k < b->n ? k : -1;
}

/* The levels a scope reads from row r, NULL when r is not counted: another
 * cycle, another catalog version, not approved when only approved ones count,
 * or without an official level when official levels count. */
const signed char *oc_scope_levels(const orgcols_scope *sc, const orgcols_row *r, int64_t cycle_id)
{
    if (r->cycle_id != cycle_id)
        return NULL;
    if (sc->kind == ORGCOLS_OFFICIAL)
        return r->official[0] >= 0 ? r->official : NULL;
    if (sc->approved_only && r->status != ASSESSMENT_APPROVED)
        return NULL;
    return r->levels[0] >= 0 ? r->levels : NULL;
}

/* ---- the portfolio ---- */

static void portfolio_alloc(const orgcols *oc, orgcols_portfolio *out)
{
    memset(out, 0, sizeof *out);
    out->n_specs = oc->n_specs;
    out->n_levels = catalog_level_max(oc->cat) + 1;
    out->counts = xcalloc(oc->n_specs * (size_t)out->n_levels + 1, sizeof *out->counts);
    out->up = xcalloc(oc->n_specs + 1, sizeof *out->up);
    out->same = xcalloc(oc->n_specs + 1, sizeof *out->same);
    out->down = xcalloc(oc->n_specs + 1, sizeof *out->down);
}

static size_t hash_person(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x ^ (x >> 29));
}

/* The slot of person_id: its place in the array, or in the hash (a free one
 * when put, else -1 when absent). */
static long person_slot(const oc_person_map *m, int64_t person_id, int put)
{
    if (!m->keys)
        return person_id >= m->lo && (uint64_t)(person_id - m->lo) < m->n ? (long)(person_id - m->lo) : -1;
    for (size_t k = hash_person(person_id) & (m->n - 1);; k = (k + 1) & (m->n - 1)) {
        if (m->keys[k] == person_id)
            return (long)k;
        if (!m->keys[k]) {
            if (!put)
                return -1;
            m->keys[k] = person_id;
            return (long)k;
        }
    }
}

const signed char *oc_person_map_levels(const oc_person_map *m, int64_t person_id)
{
    long k = m->n ? person_slot(m, person_id, 0) : -1;
    const signed char *lv = k >= 0 ? m->levels + (size_t)k * m->stride : NULL;
    return lv && lv[0] != OC_NO_ROW ? lv : NULL;
}

/* The levels of the rows of cycle_id in scope, by person (compared cycles). */
void oc_person_map_make(const orgcols *oc, const orgcols_scope *sc, const oc_buckets *b, int64_t cycle_id,
                        oc_person_map *m)
{
    memset(m, 0, sizeof *m);
    m->stride = oc->n_specs ? oc->n_specs : 1;
    size_t span = oc->person_hi ? (size_t)(oc->person_hi - oc->person_lo) + 1 : 0;
    if (span <= 2 * oc->n_rows + 65536) {
        m->lo = oc->person_lo;
        m->n = span;
    } else {
        m->n = 1024;
        while (m->n < oc->n_rows * 2)
            m->n *= 2;
        m->keys = xcalloc(m->n, sizeof *m->keys);
    }
    m->levels = xmalloc(m->n * m->stride + 1);
    memset(m->levels, OC_NO_ROW, m->n * m->stride + 1);
    for (size_t i = 0; i < oc->n_rows; i++) {
        const signed char *lv = oc_scope_levels(sc, &oc->rows[i], cycle_id);
        long k = lv && oc_row_bucket(oc, b, &oc->rows[i]) >= 0 ? person_slot(m, oc->rows[i].person_id, 1) : -1;
        if (k >= 0)
            memcpy(m->levels + (size_t)k * m->stride, lv, oc->n_specs);
    }
}

void oc_person_map_free(oc_person_map *m)
{
    free(m->levels);
    free(m->keys);
    memset(m, 0, sizeof *m);
}

/* up/same/down of one person in both cycles, as portfolio_compare counts. */
void oc_count_movement(size_t n_specs, const signed char *a, const signed char *b, int64_t *up, int64_t *same,
                           int64_t *down)
{
    for (size_t s = 0; s < n_specs; s++) {
        if (a[s] <= 0 && b[s] <= 0)
            continue;          /* 未到達 both times: not part of this specialization's picture */
        if (a[s] > b[s])
            up[s]++;
        else if (a[s] < b[s])
            down[s]++;
        else
            same[s]++;
    }
}

int orgcols_portfolio_scope(const orgcols *oc, const orgcols_scope *sc, int64_t compare_cycle_id,
                            orgcols_portfolio *out)
{
    portfolio_alloc(oc, out);
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    int n_levels = out->n_levels;
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        const signed char *lv = oc_scope_levels(sc, r, sc->cycle_id);
        if (!lv || oc_row_bucket(oc, &b, r) < 0)
            continue;
        out->assessed++;
        int reached = 0;
        for (size_t s = 0; s < oc->n_specs; s++) {
            if (lv[s] >= 0 && lv[s] < n_levels)
                out->counts[s * (size_t)n_levels + (size_t)lv[s]]++;
            reached |= lv[s] > 0;
        }
        out->no_level += !reached;
    }
    if (compare_cycle_id > 0 && compare_cycle_id != sc->cycle_id) {
        oc_person_map m;
        oc_person_map_make(oc, sc, &b, compare_cycle_id, &m);
        for (size_t i = 0; i < oc->n_rows; i++) {
            const orgcols_row *r = &oc->rows[i];
            const signed char *lv = oc_scope_levels(sc, r, sc->cycle_id);
            const signed char *was = lv && oc_row_bucket(oc, &b, r) >= 0 ? oc_person_map_levels(&m, r->person_id) : NULL;
            if (!was)
                continue;
            out->compared++;
            oc_count_movement(oc->n_specs, lv, was, out->up, out->same, out->down);
        }
        oc_person_map_free(&m);
    }
    oc_buckets_free(&b);
    return 0;
}

int orgcols_portfolio_count(const orgcols *oc, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                            int64_t compare_cycle_id, orgcols_portfolio *out)
{
    orgcols_scope sc = { cycle_id, org_unit_id, approved_only, ORGCOLS_SELF };
    return orgcols_portfolio_scope(oc, &sc, compare_cycle_id, out);
}

void orgcols_portfolio_free(orgcols_portfolio *p)
{
    free(p->counts);
    free(p->up);
    free(p->same);
    free(p->down);
    memset(p, 0, sizeof *p);
}

/* ---- levels by org unit ---- */

int orgcols_levels_by_unit(const orgcols *oc, const orgcols_scope *sc, orgcols_by_unit *out)
{
    memset(out, 0, sizeof *out);
    orgcols_unit_tree t;
    orgcols_levels_tree(oc, sc, &t);   /* the counts: one path with the org report's table */
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    size_t per = t.n_specs * (size_t)t.n_levels;
    out->n_specs = t.n_specs;
    out->n_levels = t.n_levels;
    out->n_units = b.n;
    out->units = xcalloc(b.n + 1, sizeof *out->units);
    for (size_t k = 0; k <= b.n; k++) {
        orgcols_unit_levels *u = k < b.n ? &out->units[k] : &out->total;
        u->unit_id = k < b.n ? b.unit_ids[k] : sc->org_unit_id;
        u->direct = k < b.n ? b.direct[k] : 0;
        u->people = b.people[k];
        u->counts = xcalloc(per + 1, sizeof *u->counts);
        const orgcols_unit_levels *from = k < b.n ? orgcols_tree_unit(&t, u->unit_id, u->direct)
                                          : sc->org_unit_id ? orgcols_tree_unit(&t, sc->org_unit_id, 0) : NULL;
        if (from) {
            u->assessed = from->assessed;
            memcpy(u->counts, from->counts, per * sizeof *u->counts);
        }
    }
    if (!sc->org_unit_id) {            /* everyone: every unit's own members and those of none */
        for (size_t i = 0; i <= t.n_units; i++) {
            const orgcols_unit_levels *o = i < t.n_units ? &t.own[i] : &t.none;
            out->total.assessed += o->assessed;
            for (size_t k = 0; k < per; k++)
                out->total.counts[k] += o->counts[k];
        }
    }
    for (size_t k = 0; k <= b.n; k++) {
        orgcols_unit_levels *u = k < b.n ? &out->units[k] : &out->total;
        u->not_assessed = u->people > u->assessed ? u->people - u->assessed : 0;
    }
    oc_buckets_free(&b);
    orgcols_unit_tree_free(&t);
    return 0;
}

void orgcols_by_unit_free(orgcols_by_unit *u)
{
    for (size_t k = 0; k < u->n_units; k++)
        free(u->units[k].counts);
    free(u->units);
    free(u->total.counts);
    memset(u, 0, sizeof *u);
}

/* The rows of a grid or coverage view: the oc_buckets, then the total. */
void oc_view_rows(const oc_buckets *b, size_t *n_rows, int64_t **unit_ids, int **direct, int64_t **people)
{
    *n_rows = b->n + 1;
    *unit_ids = xcalloc(b->n + 1, sizeof **unit_ids);
    *direct = xcalloc(b->n + 1, sizeof **direct);
    *people = xcalloc(b->n + 1, sizeof **people);
    for (size_t k = 0; k < b->n; k++) {
        (*unit_ids)[k] = b->unit_ids[k];
        (*direct)[k] = b->direct[k];
    }
}

void orgcols_units_have_children(const orgcols *oc, const int64_t *ids, size_t n, unsigned char *out)
{
    unsigned char *parent = xcalloc(oc->n_units + 1, 1);
    for (size_t u = 0; u < oc->n_units; u++) {
        long p = oc->unit_parents[u] ? oc_unit_at(oc, oc->unit_parents[u]) : -1;
        if (p >= 0)
            parent[p] = 1;
    }
    for (size_t i = 0; i < n; i++) {
        long u = oc_unit_at(oc, ids[i]);
        out[i] = u >= 0 && parent[u];
    }
    free(parent);
}
