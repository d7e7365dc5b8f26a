/* report_levels.c - the levels of everyone assessed in a cycle, official or
 * self-assessed, with each person's unit (report_levels.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "engine.h"
#include "orgcols.h"
#include "report_levels.h"
#include "review.h"
#include "xalloc.h"

/* A person's unit, for the rows. */
typedef struct person_unit {
    int64_t id, unit;
    char *code, *name;
} person_unit;

typedef struct person_units {
    person_unit *items;
    size_t count, cap;
} person_units;

/* store_person_each callback: keeps p's unit. */
static int take_person(const store_person *p, void *ctx)
{
    person_units *t = ctx;
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->items = xrealloc(t->items, t->cap * sizeof *t->items);
    }
    person_unit *u = &t->items[t->count++];
    u->id = p->id;
    u->unit = p->org_unit_id;
    u->code = xstrdup(p->org_code);
    u->name = xstrdup(p->org_name);
    return 0;
}

static int cmp_person(const void *a, const void *b)
{
    int64_t x = ((const person_unit *)a)->id, y = ((const person_unit *)b)->id;
    return x < y ? -1 : x > y;
}

/* The official levels of assessment a on today into row (catalog order, -1
 * where none) and its kind; the row's first level is -1 when it has none. */
static int official_row(store *db, const catalog *cat, const store_assessment *a, const char *today, int *row,
                        const char **kind, err *e)
{
    size_t n_specs = catalog_spec_count(cat);
    store_official o;
    if (store_official_levels(db, a->id, today, &o, e) < 0)
        return -1;
    int certified = 0;
    for (size_t s = 0; s < n_specs; s++) {
        row[s] = -1;
        for (size_t k = 0; k < o.count; k++)
            if (strcmp(o.items[k].specialization_id, catalog_spec_at(cat, s)->id) == 0) {
                row[s] = o.items[k].level;
                certified |= o.items[k].certified;
            }
    }
    if (o.count > 0)
        *kind = certified ? "certified" : "approved";
    else
        for (size_t s = 0; s < n_specs; s++)
            row[s] = -1;
    store_official_clear(&o);
    return 0;
}

/* Self-assessed levels from the kept results (evaluated and kept when missing). */
typedef struct kept_levels {
    orgcols *oc;
    engine *eng;
    engine_result *r;
    store *db;
    size_t n_specs;
} kept_levels;

static int kept_get(void *ctx, const store_assessment *a, int *levels, err *e)
{
    kept_levels *k = ctx;
    if (orgcols_levels(k->oc, a->id, levels) == 1 && (!k->n_specs || levels[0] >= 0))
        return 1;
    assessment *x = NULL;
    int rc = store_assessment_load(k->db, a->id, &x, e);
    if (rc != 1)
        return rc < 0 ? -1 : 0;
    engine_evaluate(k->eng, x, RATER_SELF, k->r);
    for (size_t s = 0; s < k->n_specs; s++)
        levels[s] = s < k->r->n_specs ? k->r->specs[s].level : 0;
    assessment_free(x);
    return 1;
}

/* Fills the levels and kinds of every row of out. */
static int fill_rows(store *db, const catalog *cat, int self, const char *today, const report_level_source *src,
                     report_levels *out, err *e)
{
    size_t n = out->n_specs;
    for (size_t i = 0; i < out->list.count; i++) {
        int *row = out->levels + i * n;
        for (size_t s = 0; s < n; s++)
            row[s] = -1;
        const store_assessment *a = &out->list.items[i];
        if (!self && src && src->official) {
            int certified = 0, rc = src->official(src->ctx, a, row, &certified, e);
            if (rc < 0)
                return -1;
            int any = 0;
            for (size_t s = 0; s < n; s++)
                any |= row[s] >= 0;
            if (rc == 1 && any)
                out->kind[i] = certified ? "certified" : "approved";
            else
                for (size_t s = 0; s < n; s++)
                    row[s] = -1;
            continue;
        }
        if (!self) {
            if (official_row(db, cat, a, today, row, &out->kind[i], e) < 0)
                return -1;
            continue;
        }
        if (strcmp(a->catalog_id, catalog_id(cat)) != 0 || strcmp(a->catalog_version, catalog_version(cat)) != 0)
            continue;              /* another catalog version: not counted */
        int rc = src->get(src->ctx, a, row, e);
        if (rc < 0)
            return -1;
        if (rc == 1)
            out->kind[i] = "self";
        else
            for (size_t s = 0; s < n; s++)
                row[s] = -1;
    }
    return 0;
}

int report_levels_load(store *db, const catalog *cat, const policy *pol, const report_levels_query *q,
                       report_levels *out, err *e)
{
    int64_t cycle_id = q->cycle_id, org_unit_id = q->org_unit_id;
    int self = q->self;
    const char *today = q->today;
    const report_level_source *src = q->source;
    memset(out, 0, sizeof *out);
    out->n_specs = catalog_spec_count(cat);
    out->self = self ? 1 : 0;
    char day[11];
    if (!today) {
        review_today(day);
        today = day;
    }
    store_assessment_filter f;
    memset(&f, 0, sizeof f);
    f.cycle_id = cycle_id;
    f.status = self && q->approved_only ? ASSESSMENT_APPROVED : -1;
    f.org_unit_id = org_unit_id;
    f.include_sub_units = 1;
    if (store_assessment_list_filter(db, &f, &out->list, e) < 0)
        return -1;
    size_t count = out->list.count ? out->list.count : 1;
    out->levels = xcalloc(count * (out->n_specs ? out->n_specs : 1), sizeof *out->levels);
    out->kind = xcalloc(count, sizeof *out->kind);
    out->unit = xcalloc(count, sizeof *out->unit);
    out->unit_code = xcalloc(count, sizeof *out->unit_code);
    out->unit_name = xcalloc(count, sizeof *out->unit_name);

    person_units people;
    memset(&people, 0, sizeof people);
    store_person_filter pf;
    memset(&pf, 0, sizeof pf);
    pf.org_unit_id = org_unit_id;
    pf.include_sub_units = 1;
    int rc = store_person_each(db, org_unit_id ? &pf : NULL, take_person, &people, e) < 0 ? -1 : 0;
    if (rc == 0) {
        qsort(people.items, people.count, sizeof *people.items, cmp_person);
        for (size_t i = 0; i < out->list.count; i++) {
            person_unit key = { out->list.items[i].person_id, 0, NULL, NULL };
            person_unit *p = bsearch(&key, people.items, people.count, sizeof *people.items, cmp_person);
            if (p) {
                out->unit[i] = p->unit;
                out->unit_code[i] = xstrdup(p->code);
                out->unit_name[i] = xstrdup(p->name);
            }
        }
    }
    for (size_t i = 0; i < people.count; i++) {
        free(people.items[i].code);
        free(people.items[i].name);
    }
    free(people.items);
    if (rc < 0)
        return -1;

    kept_levels k;
    memset(&k, 0, sizeof k);
    report_level_source kept = { kept_get, NULL, &k };
    if (self && !src) {
        k.db = db;
        k.n_specs = out->n_specs;
        k.oc = orgcols_new(cat, pol);
        k.eng = engine_new(cat, pol);
        k.r = engine_result_new(k.eng);
        if (orgcols_refresh(k.oc, db, e) < 0)
            rc = -1;
        src = &kept;
    }
    if (rc == 0)
        rc = fill_rows(db, cat, self, today, src, out, e);
    if (k.oc) {
        orgcols_free(k.oc);
        engine_result_free(k.r);
        engine_free(k.eng);
    }
    return rc;
}

void report_levels_free(report_levels *l)
{
    for (size_t i = 0; i < l->list.count; i++) {
        if (l->unit_code)
            free(l->unit_code[i]);
        if (l->unit_name)
            free(l->unit_name[i]);
    }
    store_assessment_list_free(&l->list);
    free(l->levels);
    free(l->kind);
    free(l->unit);
    free(l->unit_code);
    free(l->unit_name);
    memset(l, 0, sizeof *l);
}

const char *report_level_kind_label(const char *kind)
{
    if (!kind)
        return "";
    if (strcmp(kind, "certified") == 0)
        return "認定";
    if (strcmp(kind, "approved") == 0)
        return "承認";
    return strcmp(kind, "self") == 0 ? "本人評価" : kind;
}

const char *report_status_label(int status)
{
    static const char *const ja[] = { "下書き", "提出済み", "差し戻し", "承認済み" };
    return status >= 0 && status < ASSESSMENT_STATUS_COUNT ? ja[status] : "";
}

/* The highest level specialization s has, its own or of a block of common
 * levels it shares. */
int report_spec_level_max(const catalog *cat, const catalog_spec *s)
{
    int most = 0;
    for (size_t i = 0; i < catalog_element_count(cat); i++) {
        const catalog_element *el = catalog_element_at(cat, i);
        if (el->kind != CK_LEVEL || !el->level || el->level->level <= most)
            continue;
        int mine = el->spec == s;
        for (size_t k = 0; el->spec && !mine && k < el->spec->n_shared_by; k++)
            mine = el->spec->shared_by[k] == s;
        if (mine)
            most = el->level->level;
    }
    return most;
}

/* The lowest level specialization s has, its own or of a block of common
 * levels it shares (0: none). */
int report_spec_level_min(const catalog *cat, const catalog_spec *s)
{
    int least = 0;
    for (size_t i = 0; i < catalog_element_count(cat); i++) {
        const catalog_element *el = catalog_element_at(cat, i);
        if (el->kind != CK_LEVEL || !el->level || (least && el->level->level >= least))
            continue;
        int mine = el->spec == s;
        for (size_t k = 0; el->spec && !mine && k < el->spec->n_shared_by; k++)
            mine = el->spec->shared_by[k] == s;
        if (mine)
            least = el->level->level;
    }
    return least;
}
