/* orgcols_pick.c - the people behind a number of the portfolio, its movement
 * or the level flow, over the organization's columns (orgcols.h): the same
 * rules as portfolio_select (portfolio.h) with people paired across cycles by
 * person, sorted by the ranks the columns hold and cut to one page, so that a
 * drill-down of 90,000 people reads 50 rows from the store, not 90,000. */
#include "orgcols_int.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* A picked row with its sort keys (key, then tie: both -1 or more). */
typedef struct picked {
    size_t row;
    int64_t key, tie;
    uint64_t order;            /* (key + 1) * (n_ranks + 2) + tie + 1: one number, unique per person */
} picked;

/* Sorts m[0..n) by order: least significant byte first, as many passes as the
 * largest order has bytes (three for 90,000 people by number; a qsort of them
 * took 40 ms). */
static void radix_sort(picked *m, size_t n)
{
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].order > max)
            max = m[i].order;
    picked *tmp = xcalloc(n + 1, sizeof *tmp);
    for (unsigned shift = 0; shift < 64 && (max >> shift); shift += 8) {
        size_t count[257] = { 0 };
        for (size_t i = 0; i < n; i++)
            count[((m[i].order >> shift) & 0xff) + 1]++;
        for (size_t b = 1; b < 257; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++)
            tmp[count[(m[i].order >> shift) & 0xff]++] = m[i];
        memcpy(m, tmp, n * sizeof *m);
    }
    free(tmp);
}

/* The rank of person id (-1: unknown, first). */
static const store_person_rank *rank_of(const orgcols *oc, int64_t id)
{
    size_t lo = 0, hi = oc->n_ranks;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (oc->ranks[mid].person_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < oc->n_ranks && oc->ranks[lo].person_id == id ? &oc->ranks[lo] : NULL;
}

/* The place of unit id in name order (order's arrays), -1 none. */
static int64_t unit_place(const orgcols_order *o, int64_t id)
{
    size_t lo = 0, hi = o->n_units;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (o->unit_ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < o->n_units && o->unit_ids[lo] == id ? o->unit_rank[lo] : -1;
}

/* 1 when row r (levels now a, before b; either NULL when not counted) is
 * what pick counts. */
static int takes(const portfolio_pick *p, size_t n_specs, const signed char *a, const signed char *b)
{
    size_t s = (size_t)(p->spec > 0 ? p->spec : 0);
    switch (p->what) {
    case PORTFOLIO_PICK_ASSESSED: return a != NULL;
    case PORTFOLIO_PICK_NO_LEVEL: {
        if (!a)
            return 0;
        for (size_t k = 0; k < n_specs; k++)
            if (a[k] > 0)
                return 0;
        return 1;
    }
    case PORTFOLIO_PICK_CELL:
        return a && (p->level == PORTFOLIO_REACHED ? a[s] > 0 : a[s] == p->level);
    case PORTFOLIO_PICK_MOVE:
        if (!a || !b || (a[s] <= 0 && b[s] <= 0))
            return 0;
        return (a[s] > b[s] ? 1 : a[s] < b[s] ? -1 : 0) == p->move;
    case PORTFOLIO_PICK_FLOW: return a && b && b[s] == p->from && a[s] == p->level;
    case PORTFOLIO_PICK_JOINED: return a && !b && a[s] == p->level;
    case PORTFOLIO_PICK_LEFT: return b && !a && b[s] == p->level;
    }
    return 0;
}

/* The sort keys of row r. */
static void keys_of(const orgcols *oc, const orgcols_order *o, const portfolio_pick *pick, const orgcols_row *r,
                    const signed char *lv, picked *x)
{
    const store_person_rank *k = rank_of(oc, r->person_id);
    int64_t number = k ? k->by_number : -1;
    x->tie = number;
    switch (o->by) {
    case ORGCOLS_SORT_NUMBER: x->key = number; break;
    case ORGCOLS_SORT_NAME: x->key = k ? k->by_name : -1; break;
    case ORGCOLS_SORT_UNIT: x->key = unit_place(o, r->unit_id); break;
    case ORGCOLS_SORT_LEVEL:
        x->key = lv ? lv[pick->what == PORTFOLIO_PICK_ASSESSED || pick->what == PORTFOLIO_PICK_NO_LEVEL ? 0 : pick->spec] : -1;
        break;
    }
}

int orgcols_pick(const orgcols *oc, const orgcols_scope *sc, int64_t compare_cycle_id, const portfolio_pick *pick,
                 int direct, const orgcols_order *order, size_t offset, size_t limit, orgcols_people *out)
{
    memset(out, 0, sizeof *out);
    int with_spec = pick->what != PORTFOLIO_PICK_ASSESSED && pick->what != PORTFOLIO_PICK_NO_LEVEL;
    if (with_spec && (pick->spec < 0 || (size_t)pick->spec >= oc->n_specs))
        return -1;
    int compared = compare_cycle_id > 0 && compare_cycle_id != sc->cycle_id;
    int left = pick->what == PORTFOLIO_PICK_LEFT;
    int paired = pick->what == PORTFOLIO_PICK_MOVE || pick->what == PORTFOLIO_PICK_FLOW ||
                 pick->what == PORTFOLIO_PICK_JOINED || left;
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    oc_person_map other = { 0 };
    if (paired && compared)
        oc_person_map_make(oc, sc, &b, left ? sc->cycle_id : compare_cycle_id, &other);
    int64_t cycle = left ? compare_cycle_id : sc->cycle_id;
    picked *match = xcalloc(oc->n_rows + 1, sizeof *match);
    size_t n = 0;
    for (size_t i = 0; (!paired || compared) && i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        const signed char *lv = oc_scope_levels(sc, r, cycle);
        if (!lv || oc_row_bucket(oc, &b, r) < 0 || (direct && r->unit_id != sc->org_unit_id))
            continue;
        const signed char *ol = paired ? oc_person_map_levels(&other, r->person_id) : NULL;
        if (!takes(pick, oc->n_specs, left ? ol : lv, left ? lv : ol))
            continue;
        match[n].row = i;
        keys_of(oc, order, pick, r, lv, &match[n]);
        n++;
    }
    oc_person_map_free(&other);
    oc_buckets_free(&b);
    for (size_t i = 0; i < n; i++)
        match[i].order = (uint64_t)(match[i].key + 1) * (uint64_t)(oc->n_ranks + 2) + (uint64_t)(match[i].tie + 1);
    radix_sort(match, n);
    out->total = n;
    size_t from = offset < n ? offset : n, to = limit < n - from ? from + limit : n;
    out->items = xcalloc(to - from + 1, sizeof *out->items);
    for (size_t k = from; k < to; k++) {
        const orgcols_row *r = &oc->rows[match[order->desc ? n - 1 - k : k].row];
        orgcols_person *p = &out->items[out->count++];
        p->person_id = r->person_id;
        p->assessment_id = r->id;
        p->unit_id = r->unit_id;
        p->certified = r->certified;
        for (size_t s = 0; s < ORGCOLS_MAX_SPECS; s++) {
            p->self[s] = s < oc->n_specs ? r->levels[s] : -1;
            p->official[s] = s < oc->n_specs ? r->official[s] : -1;
        }
    }
    free(match);
    return 0;
}
