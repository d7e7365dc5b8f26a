/* orgcols_search.c - the knowledge views and searches over the columns
 * (orgcols.h): knowledge coverage by unit × area or category, talent search,
 * and the level flow between two cycles. */
#include "orgcols_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The rating of item i in a row's facts: 0..4, or OC_UNRATED. */
static unsigned item_rating(const orgcols *oc, const unsigned char *f, size_t i)
{
    size_t nib = oc->items[i].nibble;
    unsigned char b = f[oc->prof_bytes + nib / 2];
    return nib % 2 ? b >> 4 : b & 0xfu;
}

/* 1 when the items of block bl count for spec (-1: every block) in area a. */
static int block_counts(const orgcols *oc, int spec, size_t a, size_t bl)
{
    return spec < 0 || oc->spec_blocks[((size_t)spec * oc->n_areas + a) * oc->n_blocks + bl];
}

/* ---- knowledge coverage ---- */

/* Adds one row's ratings of every area to cells (one per area) through the
 * byte table: items of an (area, block) run sit in whole bytes. */
static void cover_areas(const orgcols *oc, int spec, const unsigned char *f, orgcols_cov_cell *cells,
                        const int64_t *items_of_col)
{
    const unsigned char *ratings = f + oc->prof_bytes;
    for (size_t a = 0; a < oc->n_areas; a++) {
        uint32_t acc = 0;
        for (size_t bl = 0; bl < oc->n_blocks; bl++) {
            if (!block_counts(oc, spec, a, bl))
                continue;
            size_t run = a * oc->n_blocks + bl;
            const unsigned char *p = ratings + oc->run_from[run];
            for (size_t k = 0; k < oc->run_bytes[run]; k++)
                acc += oc->lut[p[k]];
        }
        cells[a].items += items_of_col[a];
        cells[a].rated += acc & 0xff;
        cells[a].covered += (acc >> 8) & 0xff;
        cells[a].rating_sum += acc >> 16;
    }
}

#define OC_AREAS (-1)             /* the columns are the areas */
#define OC_ALL_CATEGORIES (-2)    /* the columns are the categories of every area */

/* A run of items next to each other in the ratings, all of one column. */
typedef struct nib_range {
    size_t from, to;           /* nibbles [from, to) */
    size_t col;
} nib_range;

/* The (item, column) list as runs of consecutive nibbles per column; their count. */
static size_t item_ranges(const orgcols *oc, const size_t *list, size_t n, nib_range *out)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        size_t nib = oc->items[list[2 * k]].nibble, col = list[2 * k + 1];
        if (m && out[m - 1].col == col && out[m - 1].to == nib)
            out[m - 1].to++;
        else
            out[m++] = (nib_range){ nib, nib + 1, col };
    }
    return m;
}

/* Adds one row's ratings of the runs to cells: whole bytes through the byte
 * table, a run's odd first or last nibble with the other half unrated. */
static void cover_ranges(const orgcols *oc, const unsigned char *f, const nib_range *rg, size_t n,
                         orgcols_cov_cell *cells)
{
    const unsigned char *ratings = f + oc->prof_bytes;
    for (size_t k = 0; k < n; k++) {
        size_t a = rg[k].from, z = rg[k].to;
        uint32_t acc = 0;
        if (a % 2 && a < z) {
            acc += oc->lut[(ratings[a / 2] & 0xf0u) | 0x0fu];     /* the high half of its byte */
            a++;
        }
        if (z % 2 && a < z) {
            acc += oc->lut[(ratings[z / 2] & 0x0fu) | 0xf0u];     /* nibble z - 1: the low half */
            z--;
        }
        for (size_t b = a / 2; b < z / 2; b++)
            acc += oc->lut[ratings[b]];
        orgcols_cov_cell *c = &cells[rg[k].col];
        c->items += (int64_t)(rg[k].to - rg[k].from);
        c->rated += acc & 0xff;
        c->covered += (acc >> 8) & 0xff;
        c->rating_sum += acc >> 16;
    }
}

/* The columns of a coverage view: areas (OC_AREAS), or the categories of area
 * (or of every area: OC_ALL_CATEGORIES), in item order, with the list of
 * (item, column) pairs counted. */
static void coverage_columns(const orgcols *oc, int spec, long area, orgcols_coverage *out, size_t **list,
                             size_t *n_list, int64_t **items_of_col)
{
    if (area == OC_AREAS) {
        out->n_cols = oc->n_areas;
        out->cols = xcalloc(oc->n_areas + 1, sizeof *out->cols);
        *items_of_col = xcalloc(oc->n_areas + 1, sizeof **items_of_col);
        for (size_t a = 0; a < oc->n_areas; a++)
            out->cols[a].area = catalog_area_at(oc->cat, a);
        for (size_t i = 0; i < oc->n_items; i++)
            if (block_counts(oc, spec, oc->items[i].area, oc->items[i].block))
                (*items_of_col)[oc->items[i].area]++;
        return;
    }
    out->cols = xcalloc(oc->n_items + 1, sizeof *out->cols);
    *list = xcalloc(2 * oc->n_items + 1, sizeof **list);
    for (size_t i = 0; i < oc->n_items; i++) {
        const oc_item *it = &oc->items[i];
        if ((area != OC_ALL_CATEGORIES && it->area != (size_t)area) || !block_counts(oc, spec, it->area, it->block))
            continue;
        size_t c = out->n_cols;
        if (!c || out->cols[c - 1].category != it->category || out->cols[c - 1].owner != oc->blocks[it->block]) {
            out->cols[c].area = catalog_area_at(oc->cat, it->area);
            out->cols[c].category = it->category;
            out->cols[c].owner = oc->blocks[it->block];
            out->n_cols++;
        }
        (*list)[2 * *n_list] = i;
        (*list)[2 * *n_list + 1] = out->n_cols - 1;
        (*n_list)++;
    }
}

/* The coverage of sc with the columns of a_index (coverage_columns). */
static int coverage(const orgcols *oc, const orgcols_scope *sc, int spec, long a_index, orgcols_coverage *out)
{
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    oc_view_rows(&b, &out->n_rows, &out->unit_ids, &out->direct, &out->people);
    out->min_rating = oc->min_rating;
    size_t *list = NULL, n_list = 0;
    int64_t *items_of_col = NULL;
    coverage_columns(oc, spec, a_index, out, &list, &n_list, &items_of_col);
    size_t n_cols = out->n_cols;
    out->cells = xcalloc(out->n_rows * n_cols + 1, sizeof *out->cells);
    nib_range *ranges = xcalloc(n_list + 1, sizeof *ranges);
    size_t n_ranges = item_ranges(oc, list, n_list, ranges);
    /* each row into its bucket's cells (or the total's alone), then the buckets into the total */
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        long k = oc_scope_levels(sc, r, sc->cycle_id) ? oc_row_bucket(oc, &b, r) : -1;
        if (k < 0)
            continue;
        out->people[k]++;
        orgcols_cov_cell *cells = &out->cells[(size_t)k * n_cols];
        if (a_index == OC_AREAS)
            cover_areas(oc, spec, oc_facts(oc, i), cells, items_of_col);
        else
            cover_ranges(oc, oc_facts(oc, i), ranges, n_ranges, cells);
    }
    orgcols_cov_cell *total = &out->cells[b.n * n_cols];
    for (size_t k = 0; k < b.n; k++) {
        out->people[b.n] += out->people[k];
        for (size_t j = 0; j < n_cols; j++) {
            const orgcols_cov_cell *c = &out->cells[k * n_cols + j];
            total[j].items += c->items;
            total[j].rated += c->rated;
            total[j].covered += c->covered;
            total[j].rating_sum += c->rating_sum;
        }
    }
    free(ranges);
    free(list);
    free(items_of_col);
    oc_buckets_free(&b);
    return 0;
}

int orgcols_coverage_by_unit(const orgcols *oc, const orgcols_scope *sc, int spec, const catalog_area *area,
                             orgcols_coverage *out)
{
    memset(out, 0, sizeof *out);
    long a_index = OC_AREAS;
    for (size_t a = 0; area && a < oc->n_areas; a++)
        if (catalog_area_at(oc->cat, a) == area)
            a_index = (long)a;
    if (spec >= (int)oc->n_specs || spec < -1 || (area && a_index < 0) || oc->levels_only)
        return -1;
    return coverage(oc, sc, spec, a_index, out);
}

int orgcols_coverage_categories(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_coverage *out)
{
    memset(out, 0, sizeof *out);
    if (spec >= (int)oc->n_specs || spec < -1 || oc->levels_only)
        return -1;
    return coverage(oc, sc, spec, OC_ALL_CATEGORIES, out);
}

void orgcols_coverage_areas_of(const orgcols *oc, const orgcols_coverage *cats, orgcols_coverage *out)
{
    memset(out, 0, sizeof *out);
    size_t n = oc->n_areas;
    out->n_rows = cats->n_rows;
    out->min_rating = cats->min_rating;
    out->unit_ids = xcalloc(cats->n_rows + 1, sizeof *out->unit_ids);
    out->direct = xcalloc(cats->n_rows + 1, sizeof *out->direct);
    out->people = xcalloc(cats->n_rows + 1, sizeof *out->people);
    memcpy(out->unit_ids, cats->unit_ids, cats->n_rows * sizeof *out->unit_ids);
    memcpy(out->direct, cats->direct, cats->n_rows * sizeof *out->direct);
    memcpy(out->people, cats->people, cats->n_rows * sizeof *out->people);
    out->n_cols = n;
    out->cols = xcalloc(n + 1, sizeof *out->cols);
    for (size_t a = 0; a < n; a++)
        out->cols[a].area = catalog_area_at(oc->cat, a);
    size_t *area_of = xcalloc(cats->n_cols + 1, sizeof *area_of);
    for (size_t c = 0; c < cats->n_cols; c++)
        for (size_t a = 0; a < n; a++)
            if (cats->cols[c].area == out->cols[a].area)
                area_of[c] = a;
    out->cells = xcalloc(cats->n_rows * n + 1, sizeof *out->cells);
    for (size_t row = 0; row < cats->n_rows; row++)
        for (size_t c = 0; c < cats->n_cols; c++) {
            const orgcols_cov_cell *x = &cats->cells[row * cats->n_cols + c];
            orgcols_cov_cell *y = &out->cells[row * n + area_of[c]];
            y->items += x->items;
            y->rated += x->rated;
            y->covered += x->covered;
            y->rating_sum += x->rating_sum;
        }
    free(area_of);
}

const catalog *orgcols_catalog(const orgcols *oc)
{
    return oc->cat;
}

void orgcols_coverage_free(orgcols_coverage *c)
{
    free(c->unit_ids);
    free(c->direct);
    free(c->people);
    free(c->cols);
    free(c->cells);
    memset(c, 0, sizeof *c);
}

/* ---- talent search ---- */

/* A condition made ready: the area's index, the items it reads. */
typedef struct ready_cond {
    const orgcols_cond *c;
    long area;
    size_t *items;
    size_t n_items;
    int need;                  /* CATEGORY: items at or above the rating needed */
} ready_cond;

/* Checks and prepares condition i; -1 with *e naming what is wrong. */
static int ready(const orgcols *oc, const orgcols_cond *c, size_t i, ready_cond *rc, err *e)
{
    memset(rc, 0, sizeof *rc);
    rc->c = c;
    rc->area = -1;
    char field[64];
    if (c->spec < -1 || c->spec >= (int)oc->n_specs) {
        snprintf(field, sizeof field, "conditions[%zu].spec", i);
        err_set(e, "", 0, 0, field, "no such specialization");
        return -1;
    }
    if (oc->levels_only && c->kind != ORGCOLS_COND_LEVEL && c->kind != ORGCOLS_COND_CERTIFIED) {
        snprintf(field, sizeof field, "conditions[%zu].kind", i);
        err_set(e, "", 0, 0, field, "these columns hold levels only");
        return -1;
    }
    if (c->kind == ORGCOLS_COND_PROFICIENCY) {
        for (size_t a = 0; a < oc->n_areas; a++)
            if (c->area && catalog_area_at(oc->cat, a) == c->area)
                rc->area = (long)a;
        if (rc->area < 0) {
            snprintf(field, sizeof field, "conditions[%zu].area", i);
            err_set(e, "", 0, 0, field, "no such skill area");
            return -1;
        }
    }
    if (c->kind == ORGCOLS_COND_ITEM || c->kind == ORGCOLS_COND_CATEGORY) {
        catalog_element el;
        int found = c->element_id && catalog_find(oc->cat, c->element_id, &el)
                    && el.kind == (c->kind == ORGCOLS_COND_ITEM ? CK_KNOWLEDGE_ITEM : CK_KNOWLEDGE_CATEGORY);
        rc->items = xcalloc(oc->n_items + 1, sizeof *rc->items);
        for (size_t k = 0; found && k < oc->n_items; k++)
            if (c->kind == ORGCOLS_COND_ITEM ? strcmp(oc->items[k].id, c->element_id) == 0
                                             : oc->items[k].category == el.category)
                rc->items[rc->n_items++] = k;
        if (!rc->n_items) {
            snprintf(field, sizeof field, "conditions[%zu].element_id", i);
            err_set(e, "", 0, 0, field, c->kind == ORGCOLS_COND_ITEM ? "no such knowledge item"
                                                                     : "no such knowledge category");
            return -1;
        }
        int share = c->share <= 0 || c->share > 100 ? 100 : c->share;
        rc->need = (int)((rc->n_items * (size_t)share + 99) / 100);
    }
    return 0;
}

/* 1 when row i meets the condition. */
static int meets(const orgcols *oc, size_t i, const ready_cond *rc)
{
    const orgcols_row *r = &oc->rows[i];
    const orgcols_cond *c = rc->c;
    size_t s_from = c->spec < 0 ? 0 : (size_t)c->spec, s_to = c->spec < 0 ? oc->n_specs : (size_t)c->spec + 1;
    const unsigned char *f = oc_facts(oc, i);
    switch (c->kind) {
    case ORGCOLS_COND_LEVEL:
        for (size_t s = s_from; s < s_to; s++)
            if ((c->levels == ORGCOLS_OFFICIAL ? r->official[s] : r->levels[s]) >= c->at_least)
                return 1;
        return 0;
    case ORGCOLS_COND_CERTIFIED:
        for (size_t s = s_from; s < s_to; s++)
            if ((r->certified >> s & 1u) && r->official[s] >= c->at_least)
                return 1;
        return 0;
    case ORGCOLS_COND_PROFICIENCY:
        for (size_t s = s_from; s < s_to; s++) {
            unsigned char v = f[s * oc->n_areas + (size_t)rc->area];
            if (v != OC_NO_AREA && (int)v >= c->at_least)
                return 1;
        }
        return 0;
    case ORGCOLS_COND_ITEM:
    case ORGCOLS_COND_CATEGORY: {
        int n = 0;
        for (size_t k = 0; k < rc->n_items; k++) {
            unsigned v = item_rating(oc, f, rc->items[k]);
            n += v <= 4 && (int)v >= c->at_least;
        }
        return n >= rc->need;
    }
    }
    return 0;
}

static const orgcols *sort_oc;   /* qsort has no context: set around the one call below */

static int cmp_person(const void *x, const void *y)
{
    int64_t a = sort_oc->rows[*(const size_t *)x].person_id, b = sort_oc->rows[*(const size_t *)y].person_id;
    return a < b ? -1 : a > b;
}

/* Fills out->items with the page [offset, offset + limit) of the matches. */
static void talent_page(const orgcols *oc, size_t *match, size_t n, size_t offset, size_t limit,
                        orgcols_people *out)
{
    sort_oc = oc;
    qsort(match, n, sizeof *match, cmp_person);
    sort_oc = NULL;
    out->total = n;
    size_t from = offset < n ? offset : n, to = limit < n - from ? from + limit : n;
    out->items = xcalloc(to - from + 1, sizeof *out->items);
    for (size_t k = from; k < to; k++) {
        const orgcols_row *r = &oc->rows[match[k]];
        orgcols_person *p = &out->items[out->count++];
        p->person_id = r->person_id;
        p->assessment_id = r->id;
        p->unit_id = r->unit_id;
        for (size_t s = 0; s < ORGCOLS_MAX_SPECS; s++) {
            p->self[s] = s < oc->n_specs && r->levels[s] >= 0 ? r->levels[s] : s < oc->n_specs ? 0 : -1;
            p->official[s] = s < oc->n_specs ? r->official[s] : -1;
        }
    }
}

int orgcols_talent(const orgcols *oc, const orgcols_scope *sc, const orgcols_cond *conds, size_t n_conds,
                   size_t offset, size_t limit, orgcols_people *out, err *e)
{
    memset(out, 0, sizeof *out);
    ready_cond *rc = xcalloc(n_conds + 1, sizeof *rc);
    int bad = 0;
    for (size_t i = 0; i < n_conds && !bad; i++)
        bad = ready(oc, &conds[i], i, &rc[i], e) < 0;
    size_t *match = NULL, n = 0;
    if (!bad) {
        oc_buckets b;
        oc_buckets_make(oc, sc->org_unit_id, &b);
        match = xcalloc(oc->n_rows + 1, sizeof *match);
        for (size_t i = 0; i < oc->n_rows; i++) {
            const orgcols_row *r = &oc->rows[i];
            if (r->cycle_id != sc->cycle_id || r->levels[0] == -1 || oc_row_bucket(oc, &b, r) < 0)
                continue;
            size_t k = 0;
            while (k < n_conds && meets(oc, i, &rc[k]))
                k++;
            if (k == n_conds)
                match[n++] = i;
        }
        oc_buckets_free(&b);
        talent_page(oc, match, n, offset, limit, out);
    }
    for (size_t i = 0; i < n_conds; i++)
        free(rc[i].items);
    free(rc);
    free(match);
    return bad ? -1 : 0;
}

void orgcols_people_free(orgcols_people *p)
{
    free(p->items);
    memset(p, 0, sizeof *p);
}

/* ---- level flow ---- */

int orgcols_flow_count(const orgcols *oc, const orgcols_scope *sc, int64_t compare_cycle_id, orgcols_flow *out)
{
    memset(out, 0, sizeof *out);
    size_t n_specs = oc->n_specs;
    int n_levels = catalog_level_max(oc->cat) + 1;
    size_t nl = (size_t)n_levels;
    out->n_specs = n_specs;
    out->n_levels = n_levels;
    out->moves = xcalloc(n_specs * nl * nl + 1, sizeof *out->moves);
    out->up = xcalloc(n_specs + 1, sizeof *out->up);
    out->same = xcalloc(n_specs + 1, sizeof *out->same);
    out->down = xcalloc(n_specs + 1, sizeof *out->down);
    out->entered = xcalloc(n_specs * nl + 1, sizeof *out->entered);
    out->left = xcalloc(n_specs * nl + 1, sizeof *out->left);
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    oc_person_map before, now;
    oc_person_map_make(oc, sc, &b, compare_cycle_id, &before);
    oc_person_map_make(oc, sc, &b, sc->cycle_id, &now);
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        int in_now = r->cycle_id == sc->cycle_id;
        const signed char *lv = oc_scope_levels(sc, r, r->cycle_id);
        if (!lv || (r->cycle_id != sc->cycle_id && r->cycle_id != compare_cycle_id) || oc_row_bucket(oc, &b, r) < 0
            || compare_cycle_id == sc->cycle_id)
            continue;
        const signed char *was = oc_person_map_levels(in_now ? &before : &now, r->person_id);
        if (!was) {
            int64_t *to = in_now ? out->entered : out->left;
            for (size_t s = 0; s < n_specs; s++)
                if (lv[s] >= 0 && lv[s] < n_levels)
                    to[s * nl + (size_t)lv[s]]++;
            continue;
        }
        if (!in_now)
            continue;          /* counted from the side of now */
        out->compared++;
        oc_count_movement(n_specs, lv, was, out->up, out->same, out->down);
        for (size_t s = 0; s < n_specs; s++)
            if (lv[s] >= 0 && lv[s] < n_levels && was[s] >= 0 && was[s] < n_levels)
                out->moves[(s * nl + (size_t)was[s]) * nl + (size_t)lv[s]]++;
    }
    oc_person_map_free(&before);
    oc_person_map_free(&now);
    oc_buckets_free(&b);
    return 0;
}

void orgcols_flow_free(orgcols_flow *f)
{
    free(f->moves);
    free(f->up);
    free(f->same);
    free(f->down);
    free(f->entered);
    free(f->left);
    memset(f, 0, sizeof *f);
}
