/* orgcols_skillmap.c - the skill map counted over the columns (orgcols.h) in
 * one pass: proficiency by unit × skill area and knowledge coverage by unit ×
 * knowledge category of every area. The coverage by area and by the categories
 * of one area are taken from the categories' counts, never counted again.
 *
 * Each counted row adds its ratings to its row of the view (its bucket)
 * nibble by nibble: per ratings byte (two items) six 8-bit counters (rated 0/1,
 * covered 0/1 and the rating 0..4 of each half), added in fixed runs of 32
 * bytes that the compiler turns into vector instructions; a bucket's counters
 * are emptied into 64-bit sums every 63 rows, before one can overflow.
 * Columns of a category start on any nibble, so the sums are per nibble and
 * gathered into columns once per bucket at the end. */
#include "orgcols_int.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define SM_CHUNK 32                /* ratings bytes added together */
#define SM_FLUSH_ROWS 63           /* rows a bucket's 8-bit counters take before emptying: 63 × 4 < 256 */

/* 1 when the items of block bl count for spec (-1: every block) in area a. */
static int block_counts(const orgcols *oc, int spec, size_t a, size_t bl)
{
    return spec < 0 || oc->spec_blocks[((size_t)spec * oc->n_areas + a) * oc->n_blocks + bl];
}

/* ---- the columns of a coverage ---- */

/* The columns of the knowledge categories of every area (area < 0) or of area
 * a, in item order (one per category and owning block), for the items that
 * count for spec; *list gets (item, column) pairs, *n_list how many. */
static void category_columns(const orgcols *oc, int spec, long area, orgcols_coverage *out, size_t **list,
                             size_t *n_list)
{
    out->cols = xcalloc(oc->n_items + 1, sizeof *out->cols);
    *list = xcalloc(2 * oc->n_items + 1, sizeof **list);
    *n_list = 0;
    for (size_t i = 0; i < oc->n_items; i++) {
        const oc_item *it = &oc->items[i];
        if ((area >= 0 && it->area != (size_t)area) || !block_counts(oc, spec, it->area, it->block))
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

/* ---- the pass ---- */

/* What one pass adds up per bucket (the scope's rows of the view, then one for
 * rows counted in the total alone: people without a unit). */
typedef struct sm_pass {
    size_t n_acc;              /* buckets + 1 */
    int64_t *counted;          /* per bucket: assessments counted */
    int64_t *prof;             /* per bucket × area × level (NULL: no proficiency asked) */
    unsigned char *acc;        /* per bucket: 6 counters × pad bytes (NULL: no coverage) */
    unsigned *since;           /* per bucket: rows added to acc since it was emptied */
    int64_t *nib;              /* per bucket × 6 × ratings byte: the sums (rated, covered,
                                  rating of the low nibble, then of the high nibble) */
    size_t bytes, pad;         /* ratings bytes per row, and rounded up to SM_CHUNK */
    unsigned char *row;        /* a row's last chunk, unrated (0xff) past its end */
    int min_rating;
} sm_pass;

/* sums[j] += counts[j] for j < n. */
static void add_counts(int64_t *restrict sums, const unsigned char *restrict counts, size_t n)
{
    for (size_t j = 0; j < n; j++)
        sums[j] += counts[j];
}

/* Adds SM_CHUNK ratings bytes v to six counter runs: for each byte, of its
 * low and high nibble, rated (<= 4), covered (>= min) and the rating. A fixed
 * length over unaliased arrays, so that it vectorizes. */
static void add_chunk(const unsigned char *restrict v, unsigned char min, unsigned char *restrict rl,
                      unsigned char *restrict cl, unsigned char *restrict sl, unsigned char *restrict rh,
                      unsigned char *restrict ch, unsigned char *restrict sh)
{
    for (size_t j = 0; j < SM_CHUNK; j++) {
        unsigned char lo = v[j] & 0xfu, hi = v[j] >> 4;
        unsigned char ol = lo <= 4, oh = hi <= 4;
        rl[j] += ol;
        cl[j] += ol & (lo >= min);
        sl[j] += ol ? lo : 0;
        rh[j] += oh;
        ch[j] += oh & (hi >= min);
        sh[j] += oh ? hi : 0;
    }
}

/* Adds one row's ratings rt (p->bytes) to a bucket's counters (6 runs of
 * pad): whole chunks where they are, the last part through p->row (unrated
 * past the end). */
static void add_ratings(sm_pass *p, const unsigned char *rt, unsigned char *acc)
{
    size_t pad = p->pad, whole = p->bytes / SM_CHUNK * SM_CHUNK;
    unsigned char min = (unsigned char)p->min_rating;
    for (size_t c = 0; c < pad; c += SM_CHUNK) {
        const unsigned char *v = rt + c;
        if (c >= whole) {
            memcpy(p->row, rt + c, p->bytes - c);
            v = p->row;
        }
        add_chunk(v, min, acc + c, acc + pad + c, acc + 2 * pad + c, acc + 3 * pad + c, acc + 4 * pad + c,
                  acc + 5 * pad + c);
    }
}

/* Empties bucket k's 8-bit counters into its 64-bit sums. */
static void flush_acc(sm_pass *p, size_t k)
{
    unsigned char *a = p->acc + k * 6 * p->pad;
    int64_t *n = p->nib + k * p->bytes * 6;
    for (size_t f = 0; f < 6; f++)
        add_counts(n + f * p->bytes, a + f * p->pad, p->bytes);
    memset(a, 0, 6 * p->pad);
    p->since[k] = 0;
}

/* Row i's proficiency into bucket k: per area the level reached in spec (-1:
 * the highest of any specialization). */
static void add_proficiency(const orgcols *oc, int spec, int n_levels, const unsigned char *f, int64_t *prof)
{
    size_t n_areas = oc->n_areas;
    size_t s_from = spec < 0 ? 0 : (size_t)spec, s_to = spec < 0 ? oc->n_specs : (size_t)spec + 1;
    for (size_t a = 0; a < n_areas; a++) {
        int best = -1;
        for (size_t s = s_from; s < s_to; s++) {
            unsigned char v = f[s * n_areas + a];
            if (v != OC_NO_AREA && (int)v > best)
                best = v;
        }
        if (best >= 0)
            prof[a * (size_t)n_levels + (size_t)(best >= n_levels ? n_levels - 1 : best)]++;
    }
}

/* The pass over every row of the scope's cycle: counted, proficiency (when
 * p->prof) and ratings (when p->acc) per bucket. */
static void run_pass(const orgcols *oc, const orgcols_scope *sc, int spec, const oc_buckets *b, int n_levels,
                     sm_pass *p)
{
    size_t per_prof = oc->n_areas * (size_t)n_levels;
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        long k = oc_scope_levels(sc, r, sc->cycle_id) ? oc_row_bucket(oc, b, r) : -1;
        if (k < 0)
            continue;
        const unsigned char *f = oc_facts(oc, i);
        p->counted[k]++;
        if (p->prof)
            add_proficiency(oc, spec, n_levels, f, p->prof + (size_t)k * per_prof);
        if (!p->acc)
            continue;
        add_ratings(p, f + oc->prof_bytes, p->acc + (size_t)k * 6 * p->pad);
        if (++p->since[k] == SM_FLUSH_ROWS)
            flush_acc(p, (size_t)k);
    }
    for (size_t k = 0; p->acc && k < p->n_acc; k++)
        if (p->since[k])
            flush_acc(p, k);
}

/* The proficiency grid from the pass (rows: the buckets, then the total). */
static void grid_of(const orgcols *oc, int spec, const oc_buckets *b, int n_levels, const sm_pass *p,
                    orgcols_grid *out)
{
    size_t n_areas = oc->n_areas, per = n_areas * (size_t)n_levels;
    oc_view_rows(b, &out->n_rows, &out->unit_ids, &out->direct, &out->people);
    out->n_areas = n_areas;
    out->n_levels = n_levels;
    out->counts = xcalloc(out->n_rows * per + 1, sizeof *out->counts);
    out->has_area = xcalloc(n_areas + 1, 1);
    for (size_t k = 0; k < p->n_acc; k++) {
        const int64_t *c = p->prof + k * per;
        int64_t *row = out->counts + k * per, *total = out->counts + b->n * per;
        out->people[b->n] += p->counted[k];
        if (k < b->n)
            out->people[k] = p->counted[k];
        for (size_t x = 0; x < per; x++) {
            if (k < b->n)
                row[x] = c[x];
            total[x] += c[x];
            if (c[x])
                out->has_area[x / (size_t)n_levels] = 1;
        }
    }
    /* An area the specialization has shows even when nobody is counted. */
    size_t s_from = spec < 0 ? 0 : (size_t)spec, s_to = spec < 0 ? oc->n_specs : (size_t)spec + 1;
    for (size_t a = 0; a < n_areas; a++)
        for (size_t s = s_from; s < s_to; s++)
            for (size_t bl = 0; bl < oc->n_blocks; bl++)
                out->has_area[a] |= oc->spec_blocks[(s * n_areas + a) * oc->n_blocks + bl];
}

/* Adds one nibble's sums (rated, covered, rating: `stride` apart) of
 * `counted` assessments to c. */
static void add_cell(orgcols_cov_cell *c, int64_t counted, const int64_t *sums, size_t stride)
{
    c->items += counted;
    c->rated += sums[0];
    c->covered += sums[stride];
    c->rating_sum += sums[2 * stride];
}

/* The coverage by category of every area from the pass. */
static void categories_of(const orgcols *oc, int spec, const oc_buckets *b, const sm_pass *p, orgcols_coverage *out)
{
    oc_view_rows(b, &out->n_rows, &out->unit_ids, &out->direct, &out->people);
    out->min_rating = oc->min_rating;
    size_t *list = NULL, n_list = 0;
    category_columns(oc, spec, -1, out, &list, &n_list);
    size_t n_cols = out->n_cols;
    out->cells = xcalloc(out->n_rows * n_cols + 1, sizeof *out->cells);
    orgcols_cov_cell *total = &out->cells[b->n * n_cols];
    for (size_t k = 0; k < p->n_acc; k++) {
        const int64_t *n = p->nib + k * p->bytes * 6;
        orgcols_cov_cell *row = k < b->n ? &out->cells[k * n_cols] : NULL;
        out->people[b->n] += p->counted[k];
        if (row)
            out->people[k] = p->counted[k];
        for (size_t x = 0; x < n_list; x++) {
            size_t nib = oc->items[list[2 * x]].nibble, col = list[2 * x + 1];
            const int64_t *s = n + (nib % 2) * 3 * p->bytes + nib / 2;
            if (row)
                add_cell(&row[col], p->counted[k], s, p->bytes);
            add_cell(&total[col], p->counted[k], s, p->bytes);
        }
    }
    free(list);
}

/* The skill map of sc for spec in one pass: grid and/or cats (NULL: not asked). */
static int skillmap(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_grid *grid, orgcols_coverage *cats)
{
    if (grid)
        memset(grid, 0, sizeof *grid);
    if (cats)
        memset(cats, 0, sizeof *cats);
    if (spec >= (int)oc->n_specs || spec < -1 || oc->levels_only)
        return -1;
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    int n_levels = catalog_level_max(oc->cat) + 1;
    sm_pass p;
    memset(&p, 0, sizeof p);
    p.n_acc = b.n + 1;
    p.bytes = oc->stride - oc->prof_bytes;
    p.counted = xcalloc(p.n_acc, sizeof *p.counted);
    if (grid)
        p.prof = xcalloc(p.n_acc * oc->n_areas * (size_t)n_levels + 1, sizeof *p.prof);
    if (cats) {
        p.pad = (p.bytes + SM_CHUNK - 1) / SM_CHUNK * SM_CHUNK;
        p.min_rating = oc->min_rating;
        p.row = xmalloc(p.pad + 1);
        memset(p.row, 0xff, p.pad + 1);
        p.acc = xcalloc(p.n_acc * 6 * p.pad + 1, 1);
        p.since = xcalloc(p.n_acc, sizeof *p.since);
        p.nib = xcalloc(p.n_acc * p.bytes * 6 + 1, sizeof *p.nib);
    }
    run_pass(oc, sc, spec, &b, n_levels, &p);
    if (grid)
        grid_of(oc, spec, &b, n_levels, &p, grid);
    if (cats)
        categories_of(oc, spec, &b, &p, cats);
    free(p.counted);
    free(p.prof);
    free(p.acc);
    free(p.row);
    free(p.since);
    free(p.nib);
    oc_buckets_free(&b);
    return 0;
}

int orgcols_skillmap(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_grid *grid, orgcols_coverage *cats)
{
    return skillmap(oc, sc, spec, grid, cats);
}

int orgcols_proficiency_by_unit(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_grid *out)
{
    return skillmap(oc, sc, spec, out, NULL);
}

int orgcols_coverage_categories(const orgcols *oc, const orgcols_scope *sc, int spec, orgcols_coverage *out)
{
    return skillmap(oc, sc, spec, NULL, out);
}

/* The rows of a coverage copied into out (cells not). */
static void copy_rows(const orgcols_coverage *from, orgcols_coverage *out)
{
    out->n_rows = from->n_rows;
    out->min_rating = from->min_rating;
    out->unit_ids = xcalloc(from->n_rows + 1, sizeof *out->unit_ids);
    out->direct = xcalloc(from->n_rows + 1, sizeof *out->direct);
    out->people = xcalloc(from->n_rows + 1, sizeof *out->people);
    memcpy(out->unit_ids, from->unit_ids, from->n_rows * sizeof *out->unit_ids);
    memcpy(out->direct, from->direct, from->n_rows * sizeof *out->direct);
    memcpy(out->people, from->people, from->n_rows * sizeof *out->people);
}

void orgcols_coverage_areas_of(const orgcols *oc, const orgcols_coverage *cats, orgcols_coverage *out)
{
    memset(out, 0, sizeof *out);
    size_t n = oc->n_areas;
    copy_rows(cats, out);
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

int orgcols_coverage_of_area(const orgcols *oc, const orgcols_coverage *cats, const catalog_area *area,
                             orgcols_coverage *out)
{
    memset(out, 0, sizeof *out);
    int known = 0;
    for (size_t a = 0; a < oc->n_areas; a++)
        known |= catalog_area_at(oc->cat, a) == area;
    if (!known)
        return -1;
    copy_rows(cats, out);
    out->cols = xcalloc(cats->n_cols + 1, sizeof *out->cols);
    size_t *from = xcalloc(cats->n_cols + 1, sizeof *from);
    for (size_t c = 0; c < cats->n_cols; c++)
        if (cats->cols[c].area == area) {
            from[out->n_cols] = c;
            out->cols[out->n_cols++] = cats->cols[c];
        }
    out->cells = xcalloc(cats->n_rows * out->n_cols + 1, sizeof *out->cells);
    for (size_t row = 0; row < cats->n_rows; row++)
        for (size_t c = 0; c < out->n_cols; c++)
            out->cells[row * out->n_cols + c] = cats->cells[row * cats->n_cols + from[c]];
    free(from);
    return 0;
}

int orgcols_coverage_by_unit(const orgcols *oc, const orgcols_scope *sc, int spec, const catalog_area *area,
                             orgcols_coverage *out)
{
    memset(out, 0, sizeof *out);
    orgcols_coverage cats;
    if (skillmap(oc, sc, spec, NULL, &cats) < 0)
        return -1;
    int rc = 0;
    if (area)
        rc = orgcols_coverage_of_area(oc, &cats, area, out);
    else
        orgcols_coverage_areas_of(oc, &cats, out);
    orgcols_coverage_free(&cats);
    return rc;
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

void orgcols_grid_free(orgcols_grid *g)
{
    free(g->unit_ids);
    free(g->direct);
    free(g->people);
    free(g->counts);
    free(g->has_area);
    memset(g, 0, sizeof *g);
}

const catalog *orgcols_catalog(const orgcols *oc)
{
    return oc->cat;
}
