/* orgcols_search.c - the searches over the columns (orgcols.h): talent
 * search and the level flow between two cycles (knowledge coverage is the
 * skill map's: orgcols_skillmap.c). */
#include "orgcols_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_experience_words.h"
#include "xalloc.h"

/* The rating of item i in a row's facts: 0..4, or OC_UNRATED. */
static unsigned item_rating(const orgcols *oc, const unsigned char *f, size_t i)
{
    size_t nib = oc->items[i].nibble;
    unsigned char b = f[oc->prof_bytes + nib / 2];
    return nib % 2 ? b >> 4 : b & 0xfu;
}

/* ---- talent search ---- */

/* A condition made ready: the area's index, the items it reads. */
typedef struct ready_cond {
    const orgcols_cond *c;
    long area;
    size_t *items;
    size_t n_items;
    int need;                  /* CATEGORY: items at or above the rating needed */
    oc_word_match *match;      /* WORD */
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
    if (c->kind == ORGCOLS_COND_WORD) {
        if (!c->element_id || !*c->element_id || strlen(c->element_id) > STORE_WORD_MAX) {
            snprintf(field, sizeof field, "conditions[%zu].element_id", i);
            err_set(e, "", 0, 0, field, "a word of 1 to %d bytes", STORE_WORD_MAX);
            return -1;
        }
        rc->match = oc_word_match_new(oc->words, c->element_id);
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
    case ORGCOLS_COND_WORD:
        return oc_word_match_person(oc->words, rc->match, r->person_id);
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

/* A match to sort: its person and its row. */
typedef struct by_person {
    uint64_t person;
    size_t row;
} by_person;

/* Sorts the matches (rows) by person id: a stable radix sort of the ids, 11
 * bits a pass, up to the highest bit any id has (ids below 2^22: two passes). The search lists 90,000 people at 100,000, where qsort's
 * indirect compares cost 15 ms. */
static void sort_by_person(const orgcols *oc, size_t *match, size_t n)
{
    by_person *a = xcalloc(n + 1, sizeof *a), *b = xcalloc(n + 1, sizeof *b);
    uint64_t all_or = 0;
    for (size_t i = 0; i < n; i++) {
        a[i] = (by_person){ (uint64_t)oc->rows[match[i]].person_id, match[i] };
        all_or |= a[i].person;
    }
    size_t count[1 << 11];
    for (unsigned shift = 0; shift < 64 && (all_or >> shift); shift += 11) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(a[i].person >> shift) & 0x7ff]++;
        size_t at = 0;
        for (size_t d = 0; d < (1u << 11); d++) {
            size_t c = count[d];
            count[d] = at;
            at += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i].person >> shift) & 0x7ff]++] = a[i];
        by_person *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        match[i] = a[i].row;
    free(a);
    free(b);
}

/* Fills out->items with the page [offset, offset + limit) of the matches. */
static void talent_page(const orgcols *oc, size_t *match, size_t n, size_t offset, size_t limit,
                        orgcols_people *out)
{
    sort_by_person(oc, match, n);
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
    for (size_t i = 0; i < n_conds; i++) {
        free(rc[i].items);
        oc_word_match_free(rc[i].match);
    }
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
