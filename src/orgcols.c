/* orgcols.c - the organization held in memory: layout and refresh (see
 * orgcols.h; the layout in orgcols_int.h; the views in orgcols_views.c).
 *
 * The unit tree and the people per unit are read again at every refresh (a
 * few thousand rows and one grouped count): moving a unit changes no
 * assessment's revision. */
#include "orgcols_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "rules.h"
#include "store_leavers.h"
#include "xalloc.h"

#define EVALUATE_CHUNK 1000

/* Fewer changed assessments than this are evaluated one by one (plan_pending). */
#define PENDING_MIN 64

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x ^ (x >> 29));
}

/* Lists the blocks (specializations, then common blocks) and lays the
 * knowledge items out area by area, block by block. */
static void layout_items(orgcols *oc)
{
    const catalog *c = oc->cat;
    size_t n_commons = catalog_common_count(c);
    oc->n_blocks = oc->n_specs + n_commons;
    oc->blocks = xcalloc(oc->n_blocks + 1, sizeof *oc->blocks);
    for (size_t s = 0; s < oc->n_specs; s++)
        oc->blocks[s] = catalog_spec_at(c, s);
    for (size_t k = 0; k < n_commons; k++)
        oc->blocks[oc->n_specs + k] = catalog_common_at(c, k);
    size_t runs = oc->n_areas * oc->n_blocks;
    oc->run_from = xcalloc(runs + 1, sizeof *oc->run_from);
    oc->run_bytes = xcalloc(runs + 1, sizeof *oc->run_bytes);
    size_t n = 0, bytes = 0, cap = 0;
    for (size_t a = 0; a < oc->n_areas; a++)
        for (size_t b = 0; b < oc->n_blocks; b++) {
            const catalog_spec_area *sa = catalog_spec_area_own(oc->blocks[b], catalog_area_at(c, a));
            size_t in_run = 0;
            for (size_t k = 0; sa && k < sa->n_knowledge; k++)
                for (size_t j = 0; j < sa->knowledge[k].n_items; j++) {
                    if (n == cap) {
                        cap = cap ? cap * 2 : 256;
                        oc->items = xrealloc(oc->items, cap * sizeof *oc->items);
                    }
                    oc->items[n++] = (oc_item){ sa->knowledge[k].items[j].id, a, b, &sa->knowledge[k],
                                                bytes * 2 + in_run };
                    in_run++;
                }
            oc->run_from[a * oc->n_blocks + b] = bytes;
            oc->run_bytes[a * oc->n_blocks + b] = (in_run + 1) / 2;
            bytes += (in_run + 1) / 2;
        }
    oc->n_items = n;
    oc->prof_bytes = oc->n_specs * oc->n_areas;
    oc->stride = oc->prof_bytes + bytes;
}

/* Which blocks' items make up each specialization's area, as the engine
 * gathers them (the entries the specialization has at each of its levels). */
static void layout_spec_blocks(orgcols *oc)
{
    const catalog *c = oc->cat;
    oc->spec_blocks = xcalloc(oc->n_specs * oc->n_areas * oc->n_blocks + 1, 1);
    for (size_t s = 0; s < oc->n_specs; s++) {
        const catalog_spec *spec = catalog_spec_at(c, s);
        int lo, hi;
        catalog_spec_level_range(c, spec, &lo, &hi);
        for (size_t a = 0; a < oc->n_areas; a++)
            for (int l = lo; l <= hi; l++) {
                const catalog_spec_area *sa = catalog_spec_area_of(c, spec, catalog_area_at(c, a), l);
                for (size_t b = 0; sa && b < oc->n_blocks; b++)
                    if (oc->blocks[b] == sa->owner)
                        oc->spec_blocks[(s * oc->n_areas + a) * oc->n_blocks + b] = 1;
            }
    }
}

/* The table summing one byte of ratings (two nibbles). */
static void layout_lut(orgcols *oc)
{
    for (unsigned v = 0; v < 256; v++) {
        uint32_t rated = 0, covered = 0, sum = 0;
        unsigned nib[2] = { v & 0xf, v >> 4 };
        for (int k = 0; k < 2; k++)
            if (nib[k] <= 4) {
                rated++;
                sum += nib[k];
                covered += (int)nib[k] >= oc->min_rating;
            }
        oc->lut[v] = rated | covered << 8 | sum << 16;
    }
}

/* Frees the codes of the units. */
static void free_codes(orgcols *oc)
{
    for (size_t i = 0; oc->unit_codes && i < oc->n_units; i++)
        free(oc->unit_codes[i]);
    free(oc->unit_codes);
    oc->unit_codes = NULL;
}

orgcols *orgcols_new(const catalog *cat, const policy *pol)
{
    orgcols *oc = xcalloc(1, sizeof *oc);
    oc->cat = cat;
    oc->pol = pol;
    snprintf(oc->policy_key, sizeof oc->policy_key, "%s@%s", pol->id, pol->version);
    oc->n_specs = catalog_spec_count(cat);
    if (oc->n_specs > ORGCOLS_MAX_SPECS)
        oc->n_specs = ORGCOLS_MAX_SPECS;
    oc->n_areas = catalog_area_count(cat);
    oc->min_rating = pol->knowledge_min_rating;
    oc->eng = engine_new(cat, pol);
    oc->res = engine_result_new(oc->eng);
    oc->values = xcalloc(engine_slot_count(oc->eng) + 1, 1);
    layout_items(oc);
    layout_spec_blocks(oc);
    layout_lut(oc);
    oc->words = oc_words_new();
    return oc;
}

void orgcols_levels_only(orgcols *oc)
{
    if (oc->n_rows)
        return;                /* only before the first refresh */
    oc->levels_only = 1;
    oc_words_free(oc->words);
    oc->words = NULL;
    oc->stride = 0;
    oc->prof_bytes = 0;
}

void orgcols_free(orgcols *oc)
{
    if (!oc)
        return;
    engine_result_free(oc->res);
    engine_free(oc->eng);
    free(oc->rows);
    free(oc->facts);
    free(oc->slots);
    free(oc->blocks);
    free(oc->items);
    free(oc->run_from);
    free(oc->run_bytes);
    free(oc->spec_blocks);
    free(oc->dict_slot);
    free(oc->dict_item);
    free(oc->values);
    free(oc->unit_ids);
    free(oc->unit_parents);
    free(oc->unit_people);
    free(oc->ranks);
    oc_words_free(oc->words);
    free_codes(oc);
    free(oc);
}

size_t orgcols_count(const orgcols *oc)
{
    return oc->n_rows;
}

size_t orgcols_bytes(const orgcols *oc)
{
    return oc->cap_rows * (sizeof *oc->rows + oc->stride) + oc->n_slots * sizeof *oc->slots
           + oc->n_units * 4 * sizeof *oc->unit_ids + (oc->words ? oc_words_bytes(oc->words) : 0);
}

size_t orgcols_bytes_for(const orgcols *oc, size_t assessments)
{
    /* The first refresh makes room for exactly what there is; the hash of
     * rows is kept at most half full. */
    size_t slots = 1024;
    while (slots < (assessments + 1) * 2)
        slots *= 2;
    return assessments * (sizeof *oc->rows + oc->stride) + slots * sizeof *oc->slots;
}

const orgcols_row *oc_row_find(const orgcols *oc, int64_t id)
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

static orgcols_row *row_find(orgcols *oc, int64_t id)
{
    return (orgcols_row *)oc_row_find(oc, id);
}

static unsigned char *row_facts(orgcols *oc, const orgcols_row *r)
{
    return oc->facts + (size_t)(r - oc->rows) * oc->stride;
}

/* Doubles the hash of rows. */
static void grow_slots(orgcols *oc)
{
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

/* The row of assessment id, made (zeroed but for id) when there is none. */
static orgcols_row *row_get(orgcols *oc, int64_t id)
{
    orgcols_row *r = row_find(oc, id);
    if (r)
        return r;
    if ((oc->n_rows + 1) * 2 > oc->n_slots)
        grow_slots(oc);
    if (oc->n_rows == oc->cap_rows) {
        oc->cap_rows = oc->cap_rows ? oc->cap_rows * 2 : 1024;
        oc->rows = xrealloc(oc->rows, oc->cap_rows * sizeof *oc->rows);
        oc->facts = xrealloc(oc->facts, oc->cap_rows * oc->stride + 1);
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

int oc_spec_index(const orgcols *oc, const char *id)
{
    for (size_t i = 0; i < oc->n_specs; i++)
        if (strcmp(catalog_spec_at(oc->cat, i)->id, id) == 0)
            return (int)i;
    return -1;
}

long oc_unit_at(const orgcols *oc, int64_t id)
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

/* Facts of an assessment with nothing answered: no proficiency reached in the
 * areas its specializations have, every item unrated. */
static void facts_blank(const orgcols *oc, unsigned char *f)
{
    if (oc->levels_only)
        return;
    for (size_t s = 0; s < oc->n_specs; s++)
        for (size_t a = 0; a < oc->n_areas; a++) {
            int has = 0;
            for (size_t b = 0; b < oc->n_blocks; b++)
                has |= oc->spec_blocks[(s * oc->n_areas + a) * oc->n_blocks + b];
            f[s * oc->n_areas + a] = has ? 0 : OC_NO_AREA;
        }
    memset(f + oc->prof_bytes, 0xff, oc->stride - oc->prof_bytes);
}

/* ---- refresh ---- */

typedef struct refresh_ctx {
    orgcols *oc;
    int64_t *todo;             /* changed assessments of the catalog */
    size_t n_todo, cap_todo;
    int64_t *changed;          /* the people of every changed assessment (their records' words read again) */
    size_t n_changed, cap_changed;
    int64_t seen;
    int first;                 /* the first refresh: kept results read in bulk */
    orgcols_row *last;         /* the row a callback found last (row_near) */
    /* Levels decided from the answers read (engine_levels_packed) for the
     * changed assessments without kept levels, when the policy needs no
     * evidence: their bits, and the records of their people. */
    int32_t *pend_of_row;      /* per row: index into bits, -1 none (NULL: no fast path) */
    uint64_t *bits;
    size_t n_pend, words;
    int64_t *pend_people;      /* sorted, unique */
    engine_records *tallies;   /* n_specs per person of pend_people */
    size_t n_people;
} refresh_ctx;

/* store_assessment_changes callback: the row's facts now; levels unknown (-2)
 * until results are read, answers and official levels blank until read. */
static int take_change(const store_assessment_change *c, void *p)
{
    refresh_ctx *x = p;
    orgcols *oc = x->oc;
    orgcols_row *r = row_get(oc, c->id);
    if (r->person_id && r->unit_id != c->org_unit_id)
        oc->people_moved = 1;
    r->person_id = c->person_id;
    if (!oc->person_hi || c->person_id < oc->person_lo)
        oc->person_lo = c->person_id;
    if (c->person_id > oc->person_hi)
        oc->person_hi = c->person_id;
    r->cycle_id = c->left ? 0 : c->cycle_id;   /* a leaver's assessment is in no cycle's current views */
    r->unit_id = c->org_unit_id;
    r->unit_ix = c->org_unit_id ? (int32_t)oc_unit_at(oc, c->org_unit_id) : -1;
    r->status = (unsigned char)c->status;
    r->answered = 0;
    r->certified = 0;
    int same = c->catalog_id && c->catalog_version && strcmp(c->catalog_id, catalog_id(oc->cat)) == 0
               && strcmp(c->catalog_version, catalog_version(oc->cat)) == 0;
    for (size_t s = 0; s < ORGCOLS_MAX_SPECS; s++) {
        r->levels[s] = s < oc->n_specs ? (same ? -2 : -1) : -1;
        r->official[s] = -1;
    }
    facts_blank(oc, row_facts(oc, r));
    if (same) {
        if (x->n_todo == x->cap_todo) {
            x->cap_todo = x->cap_todo ? x->cap_todo * 2 : 256;
            x->todo = xrealloc(x->todo, x->cap_todo * sizeof *x->todo);
        }
        x->todo[x->n_todo++] = c->id;
    }
    if (x->n_changed == x->cap_changed) {
        x->cap_changed = x->cap_changed ? x->cap_changed * 2 : 256;
        x->changed = xrealloc(x->changed, x->cap_changed * sizeof *x->changed);
    }
    x->changed[x->n_changed++] = c->person_id;
    if (c->revision > x->seen)
        x->seen = c->revision;
    return 0;
}

/* The row of assessment id for a callback of a bulk read: the row found last
 * or the one after it when it is that (results come by assessment, answers by
 * revision: the order the rows were made in), else through the hash: a
 * lookup in 1.8 M rows costs cache misses, the neighbour does not. */
static orgcols_row *row_near(refresh_ctx *x, int64_t id)
{
    orgcols *oc = x->oc;
    orgcols_row *r = x->last;
    if (r && r->id != id)
        r = r + 1 < oc->rows + oc->n_rows && r[1].id == id ? r + 1 : NULL;
    if (!r)
        r = row_find(oc, id);
    x->last = r;
    return r;
}

/* Reads the experience records' words of the people whose assessments
 * changed (a change of a person's records moves their revisions), everyone's
 * the first time. */
static int read_words(orgcols *oc, store *db, refresh_ctx *x, err *e)
{
    if (!oc->words || (!x->first && !x->n_changed))
        return 0;
    qsort(x->changed, x->n_changed, sizeof *x->changed, cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < x->n_changed; i++)
        if (!u || x->changed[u - 1] != x->changed[i])
            x->changed[u++] = x->changed[i];
    return oc_words_read(oc->words, db, x->first ? NULL : x->changed, u, e);
}

/* store_result_each callback (first refresh): a kept level into its row. */
static int take_result(int64_t assessment_id, const char *spec, int level, void *p)
{
    refresh_ctx *x = p;
    orgcols_row *r = row_near(x, assessment_id);
    int s = oc_spec_index(x->oc, spec);
    if (r && s >= 0 && r->levels[s] == -2 && level >= 0 && level < 127)
        r->levels[s] = (signed char)level;
    return 0;
}

/* Reads the kept levels of the changed assessments. */
static int read_kept(orgcols *oc, store *db, refresh_ctx *x, err *e)
{
    if (x->first)
        return store_result_each(db, oc->policy_key, take_result, x, e);
    store_result_list kept;
    for (size_t i = 0; i < x->n_todo; i++) {
        orgcols_row *r = row_find(oc, x->todo[i]);
        if (store_result_list_assessment(db, r->id, oc->policy_key, &kept, e) < 0)
            return -1;
        for (size_t k = 0; k < kept.count; k++) {
            int s = oc_spec_index(oc, kept.items[k].specialization_id);
            if (s >= 0 && r->levels[s] == -2 && kept.items[k].level >= 0 && kept.items[k].level < 127)
                r->levels[s] = (signed char)kept.items[k].level;
        }
        store_result_list_free(&kept);
    }
    return 0;
}

/* store_leavers_assessments callback: an assessment whose person's leaving
 * day came before its cycle closed leaves the current views, as take_change
 * decides for a leaver; the rest of what the row holds stays true. */
static int take_leaver(const store_assessment_change *c, void *p)
{
    orgcols_row *r = row_find(p, c->id);
    if (r && c->left)
        r->cycle_id = 0;
    return 0;
}

/* On a new day: the people whose leaving day came since the day last read
 * leave the counts (the per-unit head counts, and their assessments the
 * current views), though nothing was written on that day. */
static int read_leavers(orgcols *oc, store *db, const char *today, err *e)
{
    int64_t n = 0;
    if (store_leavers_count(db, oc->today, today, &n, e) < 0)
        return -1;
    if (n == 0)
        return 0;
    oc->people_moved = 1;
    return store_leavers_assessments(db, oc->today, today, take_leaver, oc, e) < 0 ? -1 : 0;
}

/* store_person_unit_counts callback. */
static int take_people(int64_t unit_id, int64_t people, void *p)
{
    orgcols *oc = p;
    long u = unit_id ? oc_unit_at(oc, unit_id) : -1;
    if (!unit_id)
        oc->people_no_unit = people;
    else if (u >= 0)
        oc->unit_people[u] = people;
    return 0;
}

/* One unit as read, before sorting. */
typedef struct unit_read {
    int64_t id, parent;
    char *code;
} unit_read;

typedef struct units_ctx {
    unit_read *items;
    size_t n, cap;
} units_ctx;

static int take_unit(int64_t id, int64_t parent_id, const char *code, void *p)
{
    units_ctx *u = p;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 256;
        u->items = xrealloc(u->items, u->cap * sizeof *u->items);
    }
    u->items[u->n++] = (unit_read){ id, parent_id, xstrdup(code) };
    return 0;
}

static int cmp_unit(const void *a, const void *b)
{
    int64_t x = ((const unit_read *)a)->id, y = ((const unit_read *)b)->id;
    return x < y ? -1 : x > y;
}

/* Points every row at its unit's index (after the unit arrays changed). */
static void index_rows(orgcols *oc)
{
    for (size_t i = 0; i < oc->n_rows; i++)
        oc->rows[i].unit_ix = oc->rows[i].unit_id ? (int32_t)oc_unit_at(oc, oc->rows[i].unit_id) : -1;
}

/* Reads the unit tree (ids, parents and codes sorted by id). */
static int read_units(orgcols *oc, store *db, err *e)
{
    int64_t stamp[2];
    if (store_org_stamp(db, stamp, e) < 0)
        return -1;
    if (oc->units_read && stamp[0] == oc->units_stamp[0] && stamp[1] == oc->units_stamp[1])
        return 0;              /* no unit added, removed, moved or recoded */
    units_ctx u = { NULL, 0, 0 };
    int rc = store_org_units_each(db, take_unit, &u, e);
    if (rc == 0) {
        qsort(u.items, u.n, sizeof *u.items, cmp_unit);
        int same = u.n == oc->n_units;
        for (size_t i = 0; same && i < u.n; i++)
            same = oc->unit_ids[i] == u.items[i].id;
        free_codes(oc);
        oc->unit_ids = xrealloc(oc->unit_ids, (u.n + 1) * sizeof *oc->unit_ids);
        oc->unit_parents = xrealloc(oc->unit_parents, (u.n + 1) * sizeof *oc->unit_parents);
        oc->unit_codes = xcalloc(u.n + 1, sizeof *oc->unit_codes);
        for (size_t i = 0; i < u.n; i++) {
            oc->unit_ids[i] = u.items[i].id;
            oc->unit_parents[i] = u.items[i].parent;
            oc->unit_codes[i] = u.items[i].code;
        }
        oc->n_units = u.n;
        oc->units_read = 1;
        oc->units_stamp[0] = stamp[0];
        oc->units_stamp[1] = stamp[1];
        if (!same) {
            index_rows(oc);
            oc->people_moved = 1;      /* counted by unit index: count again */
        }
    } else {
        for (size_t i = 0; i < u.n; i++)
            free(u.items[i].code);
    }
    free(u.items);
    return rc;
}

/* Counts the people of each unit again when people were added (they are
 * never removed), moved to another unit or renamed, with or without an
 * assessment (store_person_stamp), or the units changed (the count is one
 * grouped scan of the people: 14 ms at 100,000). Every person's sort keys
 * (employee number, name: store_person_ranks) are read with the counts, and
 * a rename is counted as a move (store_person_edit), so nobody renamed since
 * sorts under the old name (the list shows the new one) until then. */
static int read_people(orgcols *oc, store *db, const char *today, err *e)
{
    int64_t stamp[2];
    if (store_person_stamp(db, stamp, e) < 0)
        return -1;
    if (!oc->people_moved && oc->unit_people && stamp[0] == oc->people_stamp[0] && stamp[1] == oc->people_stamp[1])
        return 0;
    free(oc->unit_people);
    oc->unit_people = xcalloc(oc->n_units + 1, sizeof *oc->unit_people);
    oc->people_no_unit = 0;
    if (store_person_unit_counts(db, today, take_people, oc, e) < 0)
        return -1;
    free(oc->ranks);
    oc->ranks = NULL;
    oc->n_ranks = 0;
    if (store_person_ranks(db, &oc->ranks, &oc->n_ranks, e) < 0)
        return -1;
    oc->people_stamp[0] = stamp[0];
    oc->people_stamp[1] = stamp[1];
    oc->people_moved = 0;
    return 0;
}

/* Reads the element numbers of the packed answers and what each one is for
 * the engine (slot) and the columns (knowledge item). */
static int read_dictionary(orgcols *oc, store *db, err *e)
{
    char **ids;
    size_t n;
    if (store_answer_elements(db, catalog_id(oc->cat), catalog_version(oc->cat), &ids, &n, e) < 0)
        return -1;
    if (n != oc->n_dict) {
        oc->dict_slot = xrealloc(oc->dict_slot, (n + 1) * sizeof *oc->dict_slot);
        oc->dict_item = xrealloc(oc->dict_item, (n + 1) * sizeof *oc->dict_item);
        for (size_t k = oc->n_dict; k < n; k++) {
            oc->dict_slot[k] = engine_slot(oc->eng, ids[k]);
            oc->dict_item[k] = -1;
            catalog_element el;
            if (oc->dict_slot[k] < 0 || !catalog_find(oc->cat, ids[k], &el) || el.kind != CK_KNOWLEDGE_ITEM)
                continue;
            for (size_t i = 0; i < oc->n_items; i++)
                if (oc->items[i].id == el.item->id || strcmp(oc->items[i].id, ids[k]) == 0) {
                    oc->dict_item[k] = (int)i;
                    break;
                }
        }
        oc->n_dict = n;
    }
    store_answer_elements_free(ids, n);
    return 0;
}

/* store_answer_values_each callback: the self ratings and proficiency of one
 * assessment into its facts. */
static int take_values(int64_t assessment_id, const signed char *values, size_t n, void *p)
{
    refresh_ctx *x = p;
    orgcols *oc = x->oc;
    orgcols_row *r = row_near(x, assessment_id);
    if (!r)
        return 0;
    unsigned char *f = row_facts(oc, r);
    unsigned char *ratings = f + oc->prof_bytes;
    memset(oc->values, -1, engine_slot_count(oc->eng));
    if (n > oc->n_dict)
        n = oc->n_dict;
    for (size_t k = 0; k < n; k++) {
        int v = values[k];
        if (v < 0)
            continue;
        if (oc->dict_slot[k] >= 0)
            oc->values[oc->dict_slot[k]] = (signed char)v;
        if (oc->dict_item[k] >= 0) {
            size_t nib = oc->items[oc->dict_item[k]].nibble;
            unsigned rating = v > 4 ? 4u : (unsigned)v;
            unsigned char *b = &ratings[nib / 2];
            *b = (unsigned char)(nib % 2 ? (*b & 0x0f) | rating << 4 : (*b & 0xf0) | rating);
        }
    }
    if (x->pend_of_row && x->pend_of_row[r - oc->rows] >= 0)
        engine_pack_values(oc->eng, oc->values, x->bits + (size_t)x->pend_of_row[r - oc->rows] * x->words);
    engine_evaluate_proficiency(oc->eng, oc->values, oc->res);
    for (size_t s = 0; s < oc->n_specs; s++) {
        const engine_spec *es = &oc->res->specs[s];
        for (size_t i = 0; i < es->n_areas; i++)
            for (size_t a = 0; a < oc->n_areas; a++)
                if (catalog_area_at(oc->cat, a) == es->areas[i].area) {
                    int pl = es->areas[i].proficiency_level;
                    f[s * oc->n_areas + a] = (unsigned char)(pl < 0 ? 0 : pl > 254 ? 254 : pl);
                    break;
                }
    }
    r->answered = 1;
    return 0;
}

/* store_official_each callback. */
static int take_official(int64_t assessment_id, const char *spec, int level, int certified, void *p)
{
    refresh_ctx *x = p;
    orgcols_row *r = row_near(x, assessment_id);
    int s = oc_spec_index(x->oc, spec);
    if (!r || s < 0 || level < 0 || level > 126)
        return 0;
    r->official[s] = (signed char)level;
    if (certified)
        r->certified |= (uint16_t)(1u << s);
    else
        r->certified &= (uint16_t)~(1u << s);
    return 0;
}

/* Decides the levels of row r (from the answers read when it could be, else
 * by loading and evaluating it) and keeps them (when keep); fills its row's
 * levels. */
static int pending_levels(const refresh_ctx *x, const orgcols_row *r, int *levels);

static int evaluate(orgcols *oc, store *db, const refresh_ctx *x, orgcols_row *r, int keep, err *e)
{
    int levels[ORGCOLS_MAX_SPECS];
    if (pending_levels(x, r, levels) < 0) {    /* not decided from the answers read: load and evaluate */
        assessment *a = NULL;
        int rc = store_assessment_load(db, r->id, &a, e);
        if (rc != 1)
            return rc == 0 ? 0 : -1;           /* gone: nothing to evaluate */
        engine_evaluate(oc->eng, a, RATER_SELF, oc->res);
        for (size_t s = 0; s < oc->n_specs; s++)
            levels[s] = oc->res->specs[s].level;
        assessment_free(a);
    }
    int rc = 0;
    for (size_t s = 0; rc == 0 && s < oc->n_specs; s++) {
        r->levels[s] = (signed char)levels[s];
        if (keep)
            rc = store_result_put(db, r->id, oc->policy_key, catalog_spec_at(oc->cat, s)->id, levels[s], NULL, e);
    }
    return rc;
}

/* Evaluates, keeping their results (unless the database is read-only), the
 * changed assessments that lack a kept level, EVALUATE_CHUNK to a transaction
 * (a commit waits for the disk). */
static int evaluate_missing(orgcols *oc, store *db, const refresh_ctx *x, err *e)
{
    size_t in_tx = 0;
    int rc = 0, keep = !store_read_only(db);
    for (size_t i = 0; rc == 0 && i < x->n_todo; i++) {
        orgcols_row *r = row_find(oc, x->todo[i]);
        int missing = 0;
        for (size_t s = 0; s < oc->n_specs; s++)
            missing |= r->levels[s] == -2;
        if (!missing)
            continue;
        if (keep && in_tx == 0 && (rc = store_begin(db, e)) < 0)
            break;
        rc = evaluate(oc, db, x, r, keep, e);
        if (rc == 0 && keep && ++in_tx == EVALUATE_CHUNK) {
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
    return rc;
}

/* The changed assessments without kept levels get bits (zero: nothing
 * answered, until take_values fills them) when their levels can be decided
 * from the answers read (no evidence needed, answers read), and there are
 * enough of them to pay for reading every experience record (a few changed
 * assessments are loaded and evaluated one by one: 1 ms, not 50 at 100,000). */
static void plan_pending(orgcols *oc, refresh_ctx *x)
{
    if (oc->levels_only || engine_needs_evidence(oc->eng) || x->n_todo < PENDING_MIN)
        return;
    x->pend_of_row = xcalloc(oc->n_rows + 1, sizeof *x->pend_of_row);
    for (size_t i = 0; i < oc->n_rows; i++)
        x->pend_of_row[i] = -1;
    x->words = engine_packed_words(oc->eng);
    for (size_t i = 0; i < x->n_todo; i++) {
        orgcols_row *r = row_find(oc, x->todo[i]);
        int missing = 0;
        for (size_t s = 0; s < oc->n_specs; s++)
            missing |= r->levels[s] == -2;
        if (missing)
            x->pend_of_row[r - oc->rows] = (int32_t)x->n_pend++;
    }
    x->bits = xcalloc(x->n_pend * x->words + 1, sizeof *x->bits);
    x->pend_people = xcalloc(x->n_pend + 1, sizeof *x->pend_people);
    size_t n = 0;
    for (size_t i = 0; i < oc->n_rows; i++)
        if (x->pend_of_row[i] >= 0)
            x->pend_people[n++] = oc->rows[i].person_id;
    qsort(x->pend_people, n, sizeof *x->pend_people, cmp_i64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || x->pend_people[u - 1] != x->pend_people[i])
            x->pend_people[u++] = x->pend_people[i];
    x->n_people = u;
    x->tallies = xcalloc(u * oc->n_specs + 1, sizeof *x->tallies);
}

/* store_experience_each callback: a record of a pending person into their tally. */
static int take_record(int64_t person_id, const char *spec, int level, int succeeded, void *p)
{
    refresh_ctx *x = p;
    const int64_t *at = bsearch(&person_id, x->pend_people, x->n_people, sizeof *x->pend_people, cmp_i64);
    if (at)
        engine_tally_record(x->oc->eng, x->tallies + (size_t)(at - x->pend_people) * x->oc->n_specs, spec, level,
                            succeeded);
    return 0;
}

/* The levels of pending row r from its bits and its person's records; 0, or
 * -1 when r has none (decided the slow way). */
static int pending_levels(const refresh_ctx *x, const orgcols_row *r, int *levels)
{
    orgcols *oc = x->oc;
    if (!x->pend_of_row || x->pend_of_row[r - oc->rows] < 0)
        return -1;
    const int64_t *at = bsearch(&r->person_id, x->pend_people, x->n_people, sizeof *x->pend_people, cmp_i64);
    if (!at)
        return -1;
    engine_levels_packed(oc->eng, x->bits + (size_t)x->pend_of_row[r - oc->rows] * x->words,
                         x->tallies + (size_t)(at - x->pend_people) * oc->n_specs, levels);
    return 0;
}

static void pending_free(refresh_ctx *x)
{
    free(x->pend_of_row);
    free(x->bits);
    free(x->pend_people);
    free(x->tallies);
}

/* Reads, in one read transaction, what changed since oc->seen. */
static int read_changes(orgcols *oc, store *db, const char *today, refresh_ctx *x, err *e)
{
    int new_day = strcmp(today, oc->today) != 0;
    int rc = store_begin_read(db, e);
    if (rc == 0)
        rc = read_units(oc, db, e);
    if (rc == 0)
        rc = store_assessment_changes(db, oc->seen, take_change, x, e);
    if (rc == 0 && new_day && !x->first && oc->today[0])
        rc = read_leavers(oc, db, today, e);
    if (rc == 0)
        rc = read_words(oc, db, x, e);
    if (rc == 0)
        rc = read_people(oc, db, today, e);
    if (rc == 0)
        rc = read_kept(oc, db, x, e);
    x->last = NULL;
    if (rc == 0)
        plan_pending(oc, x);
    if (rc == 0 && !oc->levels_only)
        rc = read_dictionary(oc, db, e);
    if (rc == 0 && !oc->levels_only)
        rc = store_answer_values_each(db, catalog_id(oc->cat), catalog_version(oc->cat), RATER_SELF, oc->seen,
                                      take_values, x, e);
    if (rc == 0 && x->n_pend)
        rc = store_experience_each(db, take_record, x, e);
    if (rc == 0 && new_day && !x->first)
        for (size_t i = 0; i < oc->n_rows; i++) {
            memset(oc->rows[i].official, -1, sizeof oc->rows[i].official);
            oc->rows[i].certified = 0;
        }
    if (rc == 0)
        rc = store_official_each(db, today, new_day ? 0 : oc->seen, take_official, x, e);
    if (store_depth(db) > 0) {
        if (rc == 0)
            rc = store_commit(db, e);
        else
            store_rollback(db, NULL);
    }
    return rc;
}

/* Makes room for n rows at once (the first refresh knows how many). */
static void reserve(orgcols *oc, size_t n)
{
    if (n <= oc->cap_rows)
        return;
    oc->cap_rows = n;
    oc->rows = xrealloc(oc->rows, oc->cap_rows * sizeof *oc->rows);
    oc->facts = xrealloc(oc->facts, oc->cap_rows * oc->stride + 1);
    while ((n + 1) * 2 > oc->n_slots)
        grow_slots(oc);
}

int orgcols_refresh_on(orgcols *oc, store *db, const char *today, err *e)
{
    int64_t stamp[2];
    if (store_change_stamp(db, stamp, e) < 0)
        return -1;
    if (oc->stamp_db == db && stamp[0] >= 0 && stamp[0] == oc->stamp[0] && stamp[1] == oc->stamp[1] && strcmp(today, oc->today) == 0)
        return 0;              /* nobody changed anything since */
    refresh_ctx x;
    memset(&x, 0, sizeof x);
    x.oc = oc;
    x.seen = oc->seen;
    x.first = oc->seen == 0;
    int64_t total = 0;
    int rc = 0;
    if (x.first && (rc = store_assessment_total(db, &total, e)) == 0)
        reserve(oc, (size_t)total);
    if (rc == 0)
        rc = read_changes(oc, db, today, &x, e);
    if (rc == 0)
        rc = evaluate_missing(oc, db, &x, e);
    pending_free(&x);
    free(x.todo);
    free(x.changed);
    if (rc == 0)
        rc = store_change_stamp(db, oc->stamp, e);
    if (rc == 0) {
        oc->seen = x.seen;
        oc->stamp_db = db;
        snprintf(oc->today, sizeof oc->today, "%s", today);
    } else {
        oc->stamp_db = NULL;
    }
    return rc;
}

int orgcols_refresh(orgcols *oc, store *db, err *e)
{
    char today[11];
    rules_today(today);        /* ITSS_TODAY, when set, as for the store's own "today" */
    return orgcols_refresh_on(oc, db, today, e);
}

/* ---- one assessment ---- */

int orgcols_levels(const orgcols *oc, int64_t assessment_id, int *levels)
{
    const orgcols_row *r = oc_row_find(oc, assessment_id);
    if (!r)
        return 0;
    for (size_t s = 0; s < oc->n_specs; s++)
        levels[s] = r->levels[s] < 0 ? -1 : r->levels[s];
    return 1;
}

size_t orgcols_foreign(const orgcols *oc, int64_t *ids, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < oc->n_rows; i++)
        if (oc->n_specs && oc->rows[i].levels[0] == -1) {
            if (n < max)
                ids[n] = oc->rows[i].id;
            n++;
        }
    return n;
}

int orgcols_official(const orgcols *oc, int64_t assessment_id, int *levels, unsigned *certified)
{
    const orgcols_row *r = oc_row_find(oc, assessment_id);
    if (!r)
        return 0;
    for (size_t s = 0; s < oc->n_specs; s++)
        levels[s] = r->official[s];
    *certified = r->certified;
    return 1;
}

int orgcols_proficiency(const orgcols *oc, int64_t assessment_id, size_t spec, size_t area)
{
    const orgcols_row *r = oc_row_find(oc, assessment_id);
    if (!r || spec >= oc->n_specs || area >= oc->n_areas || oc->levels_only)
        return -1;
    unsigned char v = oc_facts(oc, (size_t)(r - oc->rows))[spec * oc->n_areas + area];
    return v == OC_NO_AREA ? -1 : v;
}

int orgcols_rating(const orgcols *oc, int64_t assessment_id, const char *item_id)
{
    const orgcols_row *r = oc_row_find(oc, assessment_id);
    if (!r || !item_id || oc->levels_only)
        return -1;
    for (size_t i = 0; i < oc->n_items; i++)
        if (strcmp(oc->items[i].id, item_id) == 0) {
            const unsigned char *ratings = oc_facts(oc, (size_t)(r - oc->rows)) + oc->prof_bytes;
            size_t nib = oc->items[i].nibble;
            unsigned v = nib % 2 ? ratings[nib / 2] >> 4 : ratings[nib / 2] & 0xf;
            return v <= 4 ? (int)v : -1;
        }
    return -1;
}
