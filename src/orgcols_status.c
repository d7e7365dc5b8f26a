/* orgcols_status.c - counts over the organization's columns (orgcols.h) that
 * need no levels' detail: assessments by status per unit (the campaign's
 * progress on /home and /hr) and the head count at a level or above (要員計画's
 * actual). One pass over the rows each. */
#include "orgcols_int.h"

#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "xalloc.h"

int orgcols_status_by_unit(const orgcols *oc, int64_t cycle_id, int64_t org_unit_id, orgcols_status_units *out)
{
    memset(out, 0, sizeof *out);
    if (!oc)
        return -1;
    oc_buckets b;
    oc_buckets_make(oc, org_unit_id, &b);
    out->n_units = b.n;
    out->unit_ids = xcalloc(b.n + 1, sizeof *out->unit_ids);
    out->direct = xcalloc(b.n + 1, sizeof *out->direct);
    out->people = xcalloc(b.n + 1, sizeof *out->people);
    out->counts = xcalloc((b.n + 1) * ASSESSMENT_STATUS_COUNT, sizeof *out->counts);
    memcpy(out->unit_ids, b.unit_ids, b.n * sizeof *b.unit_ids);
    memcpy(out->direct, b.direct, b.n * sizeof *b.direct);
    memcpy(out->people, b.people, (b.n + 1) * sizeof *b.people);
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        if (r->cycle_id != cycle_id || r->status >= ASSESSMENT_STATUS_COUNT)
            continue;
        long k = oc_row_bucket(oc, &b, r);
        if (k < 0)
            continue;
        if ((size_t)k < b.n)
            out->counts[(size_t)k * ASSESSMENT_STATUS_COUNT + r->status]++;
        out->counts[b.n * ASSESSMENT_STATUS_COUNT + r->status]++;
    }
    oc_buckets_free(&b);
    return 0;
}

void orgcols_status_units_free(orgcols_status_units *s)
{
    free(s->unit_ids);
    free(s->direct);
    free(s->people);
    free(s->counts);
    memset(s, 0, sizeof *s);
}

int64_t orgcols_at_least(const orgcols *oc, const orgcols_scope *sc, size_t spec, int level)
{
    if (!oc || spec >= oc->n_specs)
        return 0;
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    int64_t n = 0;
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        const signed char *lv = oc_scope_levels(sc, r, sc->cycle_id);
        if (lv && lv[spec] >= level && oc_row_bucket(oc, &b, r) >= 0)
            n++;
    }
    oc_buckets_free(&b);
    return n;
}

/* ---- levels of every unit along the tree ---- */

/* The depth of unit index u (0: a top unit), memoized in depth[] (-1: unknown). */
static int unit_depth(const orgcols *oc, size_t u, int *depth)
{
    size_t chain[256], n = 0;
    long k = (long)u;
    int d = 0;
    while (k >= 0 && depth[k] < 0 && n < 256) {
        chain[n++] = (size_t)k;
        k = oc->unit_parents[k] ? oc_unit_at(oc, oc->unit_parents[k]) : -1;
    }
    d = k >= 0 && depth[k] >= 0 ? depth[k] + 1 : 0;
    while (n-- > 0)
        depth[chain[n]] = d++;
    return depth[u];
}

static const orgcols *depth_oc;
static const int *depth_of;

static int deeper_first(const void *x, const void *y)
{
    int a = depth_of[*(const size_t *)x], b = depth_of[*(const size_t *)y];
    return a != b ? (a > b ? -1 : 1) : 0;
}

/* Adds the counts of a into into. */
static void add_levels(orgcols_unit_levels *into, const orgcols_unit_levels *a, size_t per)
{
    into->people += a->people;
    into->assessed += a->assessed;
    for (size_t k = 0; k < per; k++)
        into->counts[k] += a->counts[k];
}

int orgcols_levels_tree(const orgcols *oc, const orgcols_scope *sc, orgcols_unit_tree *out)
{
    memset(out, 0, sizeof *out);
    size_t n = oc->n_units, n_specs = oc->n_specs;
    int n_levels = catalog_level_max(oc->cat) + 1;
    size_t per = n_specs * (size_t)n_levels;
    out->n_units = n;
    out->n_specs = n_specs;
    out->n_levels = n_levels;
    out->unit_ids = xcalloc(n + 1, sizeof *out->unit_ids);
    out->own = xcalloc(n + 1, sizeof *out->own);
    out->tree = xcalloc(n + 1, sizeof *out->tree);
    int64_t *counts = xcalloc(2 * (n + 1) * per + per + 1, sizeof *counts);   /* one block, owned by own[0] */
    for (size_t u = 0; u <= n; u++) {
        orgcols_unit_levels *o = u < n ? &out->own[u] : &out->none;
        o->counts = counts + u * per;
        o->direct = 1;
        if (u < n) {
            out->unit_ids[u] = o->unit_id = out->tree[u].unit_id = oc->unit_ids[u];
            out->tree[u].counts = counts + (n + 1 + u) * per;
            o->people = oc->unit_people[u];
        } else
            o->people = oc->people_no_unit;
    }
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        const signed char *lv = oc_scope_levels(sc, r, sc->cycle_id);
        if (!lv)
            continue;
        orgcols_unit_levels *o = r->unit_ix >= 0 && (size_t)r->unit_ix < n ? &out->own[r->unit_ix] : &out->none;
        o->assessed++;
        for (size_t s = 0; s < n_specs; s++)
            if (lv[s] >= 0 && lv[s] < n_levels)
                o->counts[s * (size_t)n_levels + (size_t)lv[s]]++;
    }
    /* each unit's subtree: its own, then (deepest first) added into its parent's */
    int *depth = xcalloc(n + 1, sizeof *depth);
    size_t *order = xcalloc(n + 1, sizeof *order);
    for (size_t u = 0; u < n; u++)
        depth[u] = -1;
    for (size_t u = 0; u < n; u++) {
        unit_depth(oc, u, depth);
        order[u] = u;
        add_levels(&out->tree[u], &out->own[u], per);
    }
    depth_oc = oc;
    depth_of = depth;
    qsort(order, n, sizeof *order, deeper_first);
    depth_of = NULL;
    depth_oc = NULL;
    for (size_t k = 0; k < n; k++) {
        size_t u = order[k];
        long parent = oc->unit_parents[u] ? oc_unit_at(oc, oc->unit_parents[u]) : -1;
        if (parent >= 0)
            add_levels(&out->tree[parent], &out->tree[u], per);
    }
    for (size_t u = 0; u <= n; u++) {
        orgcols_unit_levels *o = u < n ? &out->own[u] : &out->none;
        o->not_assessed = o->people > o->assessed ? o->people - o->assessed : 0;
        if (u < n)
            out->tree[u].not_assessed = out->tree[u].people > out->tree[u].assessed
                                        ? out->tree[u].people - out->tree[u].assessed : 0;
    }
    free(order);
    free(depth);
    return 0;
}

const orgcols_unit_levels *orgcols_tree_unit(const orgcols_unit_tree *t, int64_t id, int own)
{
    size_t lo = 0, hi = t->n_units;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->unit_ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= t->n_units || t->unit_ids[lo] != id)
        return NULL;
    return own ? &t->own[lo] : &t->tree[lo];
}

void orgcols_unit_tree_free(orgcols_unit_tree *t)
{
    free(t->n_units ? t->own[0].counts : t->none.counts);   /* the one block of counts */
    free(t->unit_ids);
    free(t->own);
    free(t->tree);
    memset(t, 0, sizeof *t);
}
