/* engine.c - level determination with reasons (see engine.h).
 *
 * engine_new() turns the catalog into a plan once: every element an answer can
 * name (責任性, checklist items, proficiency descriptions, knowledge items) gets a
 * dense slot number, and each specialization's levels and skill areas are listed
 * as slot numbers. engine_evaluate() then maps the assessment's answers onto the
 * slots in one pass (answers are sorted by id, so a cursor over the sorted ids
 * nearly always hits at the first comparison; a hash table catches the rest) and
 * reads the criteria from the slots. A result is laid out once per engine, so an
 * evaluation allocates nothing. */
#include "engine.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- memory: everything of an engine or a result is freed at once ---- */

typedef struct pool_block {
    struct pool_block *next;
    max_align_t data[];
} pool_block;

typedef struct pool { pool_block *head; } pool;

/* Zeroed memory for n elements of size `size` that lives as long as the pool. */
static void *pool_alloc(pool *p, size_t n, size_t size)
{
    size_t bytes = n * size;
    pool_block *b = xmalloc(sizeof *b + bytes);
    b->next = p->head;
    p->head = b;
    return b->data;
}

/* Frees every block of the pool. */
static void pool_free(pool *p)
{
    while (p->head) {
        pool_block *next = p->head->next;
        free(p->head);
        p->head = next;
    }
}

/* ---- the plan ---- */

/* A set of slots as bits: (word, mask) pairs, one per word touched. */
typedef struct plan_bits {
    uint32_t *words;
    uint64_t *masks;
    size_t n;
} plan_bits;

typedef struct plan_level {
    int level;
    const catalog_level *indicators;
    int responsibility_slot;
    int *item_slots[CRITERION_KINDS];     /* one per listed item */
    /* For engine_levels_packed: each checklist criterion's (and 責任性's) items as
     * bits, and what each criterion requires under the policy. */
    plan_bits bits[1 + CRITERION_KINDS];
    int required[ENGINE_CRITERIA];
} plan_level;

typedef struct plan_step {
    int level;
    const catalog_proficiency *description;
    int slot;
} plan_step;

typedef struct plan_area {
    const catalog_area *area;
    plan_step *steps;
    size_t n_steps;
    int *knowledge_slots;
    size_t n_knowledge;
} plan_area;

typedef struct plan_spec {
    const catalog_spec *spec;
    int lo, hi;
    plan_level *levels;
    size_t n_levels;
    plan_area *areas;
    size_t n_areas;
} plan_spec;

struct engine {
    pool mem;
    const catalog *catalog;
    const policy *policy;
    size_t n_slots;
    const char **slot_ids;                /* catalog-owned ids */
    const char **sorted_ids;              /* the same ids in strcmp order */
    int *sorted_slots;
    int *sorted_pos;                      /* slot -> position in sorted_ids */
    int *table;                           /* open addressing: slot + 1, 0 empty */
    size_t table_cap;
    plan_spec *specs;
    size_t n_specs;
};

/* What a slot answers: 1 met / not met, 2 a knowledge rating, 0 nothing. */
static int answer_kind(catalog_kind k)
{
    switch (k) {
    case CK_RESPONSIBILITY: case CK_CHECK_ITEM: case CK_PROFICIENCY: return 1;
    case CK_KNOWLEDGE_ITEM: return 2;
    default: return 0;
    }
}

/* FNV-1a of an identifier. */
static uint32_t id_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

/* The slot of id, or -1 when no answerable element has it. */
static int slot_lookup(const engine *e, const char *id)
{
    size_t mask = e->table_cap - 1;
    for (size_t i = id_hash(id) & mask;; i = (i + 1) & mask) {
        int s = e->table[i];
        if (!s)
            return -1;
        if (strcmp(e->slot_ids[s - 1], id) == 0)
            return s - 1;
    }
}

/* qsort order of identifiers: strcmp, as the assessment keeps its answers. */
static int cmp_ids(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Numbers every answerable element of the catalog and builds the lookups. */
static void build_slots(engine *e)
{
    const catalog *c = e->catalog;
    size_t n = catalog_element_count(c), count = 0;
    for (size_t i = 0; i < n; i++)
        if (answer_kind(catalog_element_at(c, i)->kind))
            count++;
    e->n_slots = count;
    e->slot_ids = pool_alloc(&e->mem, count + 1, sizeof *e->slot_ids);
    e->sorted_ids = pool_alloc(&e->mem, count + 1, sizeof *e->sorted_ids);
    e->sorted_slots = pool_alloc(&e->mem, count + 1, sizeof *e->sorted_slots);
    e->sorted_pos = pool_alloc(&e->mem, count + 1, sizeof *e->sorted_pos);
    e->table_cap = 16;
    while (e->table_cap < count * 2 + 2)
        e->table_cap *= 2;
    e->table = pool_alloc(&e->mem, e->table_cap, sizeof *e->table);
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        const catalog_element *el = catalog_element_at(c, i);
        if (!answer_kind(el->kind))
            continue;
        e->slot_ids[s] = el->id;
        e->sorted_ids[s] = el->id;
        size_t mask = e->table_cap - 1, j = id_hash(el->id) & mask;
        while (e->table[j])
            j = (j + 1) & mask;
        e->table[j] = (int)s + 1;
        s++;
    }
    qsort(e->sorted_ids, count, sizeof *e->sorted_ids, cmp_ids);
    for (size_t i = 0; i < count; i++) {
        int slot = slot_lookup(e, e->sorted_ids[i]);
        e->sorted_slots[i] = slot;
        e->sorted_pos[slot] = (int)i;
    }
}

/* The slot of a catalog text by its id (the catalog guarantees it is there). */
static int slot_of(const engine *e, const char *id)
{
    return slot_lookup(e, id);
}

/* The slots[0..n) (-1: none) as (word, mask) pairs. */
static void plan_bits_of(engine *e, const int *slots, size_t n, plan_bits *b)
{
    b->words = pool_alloc(&e->mem, n + 1, sizeof *b->words);
    b->masks = pool_alloc(&e->mem, n + 1, sizeof *b->masks);
    b->n = 0;
    for (size_t i = 0; i < n; i++) {
        if (slots[i] < 0)
            continue;
        uint32_t w = (uint32_t)slots[i] / 64;
        size_t k = 0;
        while (k < b->n && b->words[k] != w)
            k++;
        if (k == b->n) {
            b->words[b->n] = w;
            b->masks[b->n++] = 0;
        }
        b->masks[k] |= 1ull << (slots[i] % 64);
    }
}

/* What engine_levels_packed needs of a level: its items as bits and the
 * policy's requirements, as evaluate_level applies them. */
static void plan_level_bits(engine *e, plan_level *pl)
{
    const policy *p = e->policy;
    plan_bits_of(e, &pl->responsibility_slot, 1, &pl->bits[0]);
    pl->required[ENGINE_RESPONSIBILITY] = p->responsibility_required ? 1 : 0;
    for (int k = 0; k < CRITERION_KINDS; k++) {
        size_t n = pl->indicators->criteria[k].n_items;
        plan_bits_of(e, pl->item_slots[k], n, &pl->bits[1 + k]);
        pl->required[ENGINE_COMPLEXITY + k] = policy_required_items(p, (catalog_criterion_kind)k, pl->level, n);
    }
    pl->required[ENGINE_EXPERIENCE] = policy_required_records(p, pl->level);
}

/* Plans the levels and skill areas of one specialization. */
static void plan_one_spec(engine *e, const catalog_spec *spec, plan_spec *ps)
{
    const catalog *c = e->catalog;
    ps->spec = spec;
    catalog_spec_level_range(c, spec, &ps->lo, &ps->hi);
    int span = ps->hi >= ps->lo ? ps->hi - ps->lo + 1 : 0;

    ps->levels = pool_alloc(&e->mem, (size_t)span, sizeof *ps->levels);
    for (int l = ps->lo; l <= ps->hi; l++) {
        const catalog_level *ind = catalog_level_of(c, spec, l);
        if (!ind)
            continue;
        plan_level *pl = &ps->levels[ps->n_levels++];
        pl->level = l;
        pl->indicators = ind;
        pl->responsibility_slot = slot_of(e, ind->responsibility.id);
        for (int k = 0; k < CRITERION_KINDS; k++) {
            const catalog_criterion *cr = &ind->criteria[k];
            pl->item_slots[k] = pool_alloc(&e->mem, cr->n_items, sizeof(int));
            for (size_t i = 0; i < cr->n_items; i++)
                pl->item_slots[k][i] = slot_of(e, cr->items[i].id);
        }
        plan_level_bits(e, pl);
    }

    size_t n_areas = catalog_area_count(c);
    ps->areas = pool_alloc(&e->mem, n_areas, sizeof *ps->areas);
    const catalog_spec_area **seen = pool_alloc(&e->mem, (size_t)span + 1, sizeof *seen);
    for (size_t ai = 0; ai < n_areas; ai++) {
        const catalog_area *area = catalog_area_at(c, ai);
        plan_area *pa = &ps->areas[ps->n_areas];
        size_t n_seen = 0, n_knowledge = 0;
        pa->steps = pool_alloc(&e->mem, (size_t)span, sizeof *pa->steps);
        for (int l = ps->lo; l <= ps->hi; l++) {
            const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, l);
            if (!sa)
                continue;
            int known = 0;
            for (size_t i = 0; i < n_seen; i++)
                if (seen[i] == sa)
                    known = 1;
            if (!known) {
                seen[n_seen++] = sa;
                for (size_t k = 0; k < sa->n_knowledge; k++)
                    n_knowledge += sa->knowledge[k].n_items;
            }
            const catalog_proficiency *prof = catalog_proficiency_at(sa, l);
            if (prof) {
                plan_step *st = &pa->steps[pa->n_steps++];
                st->level = l;
                st->description = prof;
                st->slot = slot_of(e, prof->id);
            }
        }
        if (n_seen == 0)
            continue;    /* the specialization has no such area */
        pa->area = area;
        pa->knowledge_slots = pool_alloc(&e->mem, n_knowledge, sizeof(int));
        for (size_t i = 0; i < n_seen; i++)
            for (size_t k = 0; k < seen[i]->n_knowledge; k++)
                for (size_t j = 0; j < seen[i]->knowledge[k].n_items; j++)
                    pa->knowledge_slots[pa->n_knowledge++] = slot_of(e, seen[i]->knowledge[k].items[j].id);
        ps->n_areas++;
    }
}

/* Prepares evaluation for c under p; the caller frees it with engine_free(). */
engine *engine_new(const catalog *c, const policy *p)
{
    pool mem = { NULL };
    engine *e = pool_alloc(&mem, 1, sizeof *e);
    e->mem = mem;
    e->catalog = c;
    e->policy = p;
    build_slots(e);
    e->n_specs = catalog_spec_count(c);
    e->specs = pool_alloc(&e->mem, e->n_specs, sizeof *e->specs);
    for (size_t i = 0; i < e->n_specs; i++)
        plan_one_spec(e, catalog_spec_at(c, i), &e->specs[i]);
    return e;
}

/* Frees the engine and its plan. NULL is allowed. */
void engine_free(engine *e)
{
    if (!e)
        return;
    pool mem = e->mem;   /* e itself lives in the pool */
    pool_free(&mem);
}

/* ---- results ---- */

/* Per specialization: successful and failed records by claimed level. */
typedef engine_records record_tally;

typedef struct result_impl {
    engine_result pub;                   /* first, so that the public pointer is the impl's */
    pool mem;
    const engine *engine;
    engine *owned_engine;                /* engine_assess() made it */
    signed char *values;                 /* by slot: -1 unanswered, else the answer's value */
    const assessment_answer **answers;   /* by slot; valid where values[slot] >= 0 */
    record_tally *tallies;               /* by specialization */
    engine_spec *specs;
} result_impl;

/* Lays out one criterion's arrays for n items. */
static void layout_criterion(pool *mem, engine_criterion *cr, engine_criterion_kind kind,
                             const catalog_item *items, size_t n)
{
    cr->kind = kind;
    cr->items = items;
    cr->listed = (int)n;
    cr->item_met = pool_alloc(mem, n, 1);
    cr->item_answers = pool_alloc(mem, n, sizeof(assessment_answer *));
    cr->missing = pool_alloc(mem, n, sizeof(catalog_item *));
}

/* A result laid out for e; the caller frees it with engine_result_free(). */
engine_result *engine_result_new(const engine *e)
{
    pool mem = { NULL };
    result_impl *r = pool_alloc(&mem, 1, sizeof *r);
    r->engine = e;
    r->pub.catalog = e->catalog;
    r->pub.policy = e->policy;
    r->values = pool_alloc(&mem, e->n_slots + 1, 1);
    r->answers = pool_alloc(&mem, e->n_slots + 1, sizeof *r->answers);
    r->tallies = pool_alloc(&mem, e->n_specs + 1, sizeof *r->tallies);
    r->specs = pool_alloc(&mem, e->n_specs, sizeof *r->specs);
    for (size_t s = 0; s < e->n_specs; s++) {
        const plan_spec *ps = &e->specs[s];
        engine_spec *es = &r->specs[s];
        es->spec = ps->spec;
        es->level_min = ps->lo;
        es->level_max = ps->hi;
        engine_level *levels = pool_alloc(&mem, ps->n_levels, sizeof *levels);
        for (size_t i = 0; i < ps->n_levels; i++) {
            const catalog_level *ind = ps->levels[i].indicators;
            levels[i].level = ps->levels[i].level;
            levels[i].indicators = ind;
            layout_criterion(&mem, &levels[i].criteria[ENGINE_RESPONSIBILITY], ENGINE_RESPONSIBILITY,
                             &ind->responsibility, 1);
            for (int k = 0; k < CRITERION_KINDS; k++)
                layout_criterion(&mem, &levels[i].criteria[ENGINE_COMPLEXITY + k],
                                 (engine_criterion_kind)(ENGINE_COMPLEXITY + k), ind->criteria[k].items,
                                 ind->criteria[k].n_items);
            levels[i].criteria[ENGINE_EXPERIENCE].kind = ENGINE_EXPERIENCE;
        }
        es->levels = levels;
        es->n_levels = ps->n_levels;
        es->unmet_below = pool_alloc(&mem, ps->n_levels, sizeof(int));
        engine_area *areas = pool_alloc(&mem, ps->n_areas, sizeof *areas);
        for (size_t i = 0; i < ps->n_areas; i++) {
            areas[i].area = ps->areas[i].area;
            engine_proficiency *steps = pool_alloc(&mem, ps->areas[i].n_steps, sizeof *steps);
            for (size_t j = 0; j < ps->areas[i].n_steps; j++) {
                steps[j].level = ps->areas[i].steps[j].level;
                steps[j].description = ps->areas[i].steps[j].description;
            }
            areas[i].steps = steps;
            areas[i].n_steps = ps->areas[i].n_steps;
            areas[i].knowledge_items = (int)ps->areas[i].n_knowledge;
        }
        es->areas = areas;
        es->n_areas = ps->n_areas;
    }
    r->pub.specs = r->specs;
    r->pub.n_specs = e->n_specs;
    r->mem = mem;
    return &r->pub;
}

/* Frees the result, and the engine when engine_assess() made it. */
void engine_result_free(engine_result *pub)
{
    if (!pub)
        return;
    result_impl *r = (result_impl *)pub;
    engine_free(r->owned_engine);
    pool mem = r->mem;
    pool_free(&mem);
}

/* Maps the rater's answers onto slots. Answers are sorted by id, so the next
 * expected id is tried first; anything else goes through the hash table. */
static void map_answers(const engine *e, const assessment *a, assessment_rater rater, result_impl *r)
{
    memset(r->values, -1, e->n_slots);   /* answers[slot] is read only where values[slot] >= 0 */
    int used = 0, unknown = 0;
    size_t cursor = 0, n = e->n_slots;
    for (size_t i = 0; i < a->n_answers; i++) {
        const assessment_answer *x = &a->answers[i];
        /* The assessment is usually not in the cache: ask for what comes next. */
        if (i + 16 < a->n_answers)
            __builtin_prefetch(&a->answers[i + 16]);
        if (i + 8 < a->n_answers)
            __builtin_prefetch(a->answers[i + 8].element_id);
        if (x->rater != rater || !x->element_id)
            continue;
        int slot = -1;
        if (cursor < n && strcmp(e->sorted_ids[cursor], x->element_id) == 0)
            slot = e->sorted_slots[cursor];
        else if ((slot = slot_lookup(e, x->element_id)) >= 0)
            cursor = (size_t)e->sorted_pos[slot];
        if (slot < 0) {
            unknown++;
            continue;
        }
        cursor++;
        used++;
        r->values[slot] = (signed char)(x->value < 0 ? -1 : x->value > 100 ? 100 : x->value);
        r->answers[slot] = x;
    }
    r->pub.n_answers_used = used;
    r->pub.n_answers_unknown = unknown;
}

/* Counts each specialization's experience records by claimed level. */
static void tally_records(const engine *e, const assessment *a, result_impl *r)
{
    memset(r->tallies, 0, e->n_specs * sizeof *r->tallies);
    for (size_t i = 0; i < a->n_experience; i++) {
        const assessment_experience *x = &a->experience[i];
        engine_tally_record(e, r->tallies, x->specialization_id, x->level, x->succeeded);
    }
}

/* 1 when answer x links at least one record that counts under the policy. */
static int has_counted_evidence(const policy *p, const assessment *a, const assessment_answer *x)
{
    for (size_t i = 0; i < x->n_evidence; i++) {
        const assessment_experience *rec = assessment_find_experience(a, x->evidence[i]);
        if (rec && (rec->succeeded || p->count_failed))
            return 1;
    }
    return 0;
}

/* 1 when the item in slot counts as met. */
static int item_met(const engine *e, const result_impl *r, const assessment *a, int slot)
{
    if (slot < 0 || r->values[slot] <= 0)
        return 0;
    return !e->policy->items_need_evidence || has_counted_evidence(e->policy, a, r->answers[slot]);
}

/* Fills a checklist criterion (or 責任性) from the slots; required already set. */
static void check_items(const engine *e, const result_impl *r, const assessment *a, engine_criterion *cr,
                        const int *slots)
{
    unsigned char *met = (unsigned char *)cr->item_met;
    const assessment_answer **answers = (const assessment_answer **)cr->item_answers;
    const catalog_item **missing = (const catalog_item **)cr->missing;
    int count = 0;
    size_t n_missing = 0;
    for (int i = 0; i < cr->listed; i++) {
        int slot = slots[i];
        answers[i] = slot >= 0 && r->values[slot] >= 0 ? r->answers[slot] : NULL;
        met[i] = (unsigned char)item_met(e, r, a, slot);
        if (met[i])
            count++;
        else
            missing[n_missing++] = &cr->items[i];
    }
    cr->count = count;
    cr->n_missing = n_missing;
    cr->met = cr->required >= 0 && count >= cr->required;
}

/* Evaluates the achievement indicators of one level. */
static void evaluate_level(const engine *e, const result_impl *r, const assessment *a, const plan_level *pl,
                           const record_tally *t, engine_level *lv)
{
    const policy *p = e->policy;
    engine_criterion *resp = &lv->criteria[ENGINE_RESPONSIBILITY];
    resp->required = p->responsibility_required ? 1 : 0;
    check_items(e, r, a, resp, &pl->responsibility_slot);

    for (int k = 0; k < CRITERION_KINDS; k++) {
        engine_criterion *cr = &lv->criteria[ENGINE_COMPLEXITY + k];
        cr->required = policy_required_items(p, (catalog_criterion_kind)k, pl->level, (size_t)cr->listed);
        check_items(e, r, a, cr, pl->item_slots[k]);
    }

    engine_criterion *x = &lv->criteria[ENGINE_EXPERIENCE];
    x->count = t->counted_total;
    x->listed = t->counted_total + (p->count_failed ? 0 : t->failed);
    x->failed = t->failed;
    x->required = policy_required_records(p, pl->level);
    x->at_level = 0;
    for (int l = pl->level; l <= POLICY_MAX_LEVEL; l++)
        x->at_level += t->counted[l];
    x->at_level_required = p->min_records_at_level;
    x->met = x->required >= 0 && x->count >= x->required && x->at_level >= x->at_level_required;

    lv->met = 1;
    for (int k = 0; k < ENGINE_CRITERIA; k++)
        if (!lv->criteria[k].met)
            lv->met = 0;
}

/* The proficiency ladder of one skill area. */
static void evaluate_ladder(const engine *e, const signed char *values, const plan_area *pa, engine_area *ea)
{
    const policy *p = e->policy;
    engine_proficiency *steps = (engine_proficiency *)ea->steps;
    int unbroken = 1;
    ea->proficiency_level = 0;
    for (size_t i = 0; i < pa->n_steps; i++) {
        int v = pa->steps[i].slot >= 0 ? values[pa->steps[i].slot] : -1;
        steps[i].answered = v >= 0;
        steps[i].met = v > 0;
        if (steps[i].met && (unbroken || !p->proficiency_lower_required))
            ea->proficiency_level = steps[i].level;
        if (!steps[i].met)
            unbroken = 0;
    }
}

/* The proficiency ladder and knowledge coverage of one skill area. */
static void evaluate_area(const engine *e, const result_impl *r, const plan_area *pa, engine_area *ea)
{
    const policy *p = e->policy;
    evaluate_ladder(e, r->values, pa, ea);
    int rated = 0, covered = 0;
    for (size_t i = 0; i < pa->n_knowledge; i++) {
        int slot = pa->knowledge_slots[i];
        int v = slot >= 0 ? r->values[slot] : -1;
        if (v >= 0)
            rated++;
        if (v >= p->knowledge_min_rating)
            covered++;
    }
    ea->knowledge_rated = rated;
    ea->knowledge_covered = covered;
}

/* Evaluates a's answers by rater into pub (laid out for e). */
void engine_evaluate(const engine *e, const assessment *a, assessment_rater rater, engine_result *pub)
{
    result_impl *r = (result_impl *)pub;
    const policy *p = e->policy;
    pub->assessment = a;
    pub->rater = rater;
    map_answers(e, a, rater, r);
    tally_records(e, a, r);

    for (size_t s = 0; s < e->n_specs; s++) {
        const plan_spec *ps = &e->specs[s];
        engine_spec *es = &r->specs[s];
        engine_level *levels = (engine_level *)es->levels;
        for (size_t i = 0; i < ps->n_levels; i++)
            evaluate_level(e, r, a, &ps->levels[i], &r->tallies[s], &levels[i]);

        /* The level reached: the highest met, or with lower levels required,
         * the top of the unbroken run from the bottom. */
        size_t reached = ps->n_levels;       /* index; n_levels = none */
        for (size_t i = 0; i < ps->n_levels; i++) {
            if (levels[i].met)
                reached = i;
            else if (p->lower_levels_required)
                break;
        }
        es->level = reached < ps->n_levels ? levels[reached].level : 0;
        es->reached = reached < ps->n_levels ? &levels[reached] : NULL;
        size_t next = reached < ps->n_levels ? reached + 1 : 0;
        es->next = next < ps->n_levels ? &levels[next] : NULL;
        int *unmet = (int *)es->unmet_below;
        es->n_unmet_below = 0;
        for (size_t i = 0; reached < ps->n_levels && i < reached; i++)
            if (!levels[i].met)
                unmet[es->n_unmet_below++] = levels[i].level;

        engine_area *areas = (engine_area *)es->areas;
        for (size_t i = 0; i < ps->n_areas; i++)
            evaluate_area(e, r, &ps->areas[i], &areas[i]);
    }
}

/* Dense slots of answerable elements (engine.h). */
size_t engine_slot_count(const engine *e)
{
    return e->n_slots;
}

int engine_slot(const engine *e, const char *element_id)
{
    return element_id ? slot_lookup(e, element_id) : -1;
}

/* Proficiency ladders only, from values by slot (read in place). */
void engine_evaluate_proficiency(const engine *e, const signed char *values, engine_result *pub)
{
    result_impl *r = (result_impl *)pub;
    for (size_t s = 0; s < e->n_specs; s++) {
        const plan_spec *ps = &e->specs[s];
        engine_area *areas = (engine_area *)r->specs[s].areas;
        for (size_t i = 0; i < ps->n_areas; i++)
            evaluate_ladder(e, values, &ps->areas[i], &areas[i]);
    }
}

/* Skill areas only, from values by slot. */
void engine_evaluate_areas(const engine *e, const signed char *values, engine_result *pub)
{
    result_impl *r = (result_impl *)pub;
    memcpy(r->values, values, e->n_slots);
    for (size_t s = 0; s < e->n_specs; s++) {
        const plan_spec *ps = &e->specs[s];
        engine_area *areas = (engine_area *)r->specs[s].areas;
        for (size_t i = 0; i < ps->n_areas; i++)
            evaluate_area(e, r, &ps->areas[i], &areas[i]);
    }
}

/* ---- levels over bits ---- */

size_t engine_packed_words(const engine *e)
{
    return (e->n_slots + 63) / 64;
}

void engine_pack(const engine *e, const assessment *a, assessment_rater rater, uint64_t *bits,
                 engine_records *records)
{
    const policy *p = e->policy;
    memset(bits, 0, engine_packed_words(e) * sizeof *bits);
    size_t cursor = 0, n = e->n_slots;
    for (size_t i = 0; i < a->n_answers; i++) {
        const assessment_answer *x = &a->answers[i];
        if (x->rater != rater || !x->element_id)
            continue;
        int slot = -1;
        if (cursor < n && strcmp(e->sorted_ids[cursor], x->element_id) == 0)
            slot = e->sorted_slots[cursor];
        else if ((slot = slot_lookup(e, x->element_id)) >= 0)
            cursor = (size_t)e->sorted_pos[slot];
        if (slot < 0)
            continue;
        cursor++;
        if (x->value > 0 && (!p->items_need_evidence || has_counted_evidence(p, a, x)))
            bits[slot / 64] |= 1ull << (slot % 64);
    }
    result_impl r;
    r.tallies = records;
    tally_records(e, a, &r);
}

void engine_pack_values(const engine *e, const signed char *values, uint64_t *bits)
{
    memset(bits, 0, engine_packed_words(e) * sizeof *bits);
    for (size_t slot = 0; slot < e->n_slots; slot++)
        if (values[slot] > 0)
            bits[slot / 64] |= 1ull << (slot % 64);
}

int engine_needs_evidence(const engine *e)
{
    return e->policy->items_need_evidence;
}

void engine_tally_record(const engine *e, engine_records *records, const char *spec_id, int level, int succeeded)
{
    const policy *p = e->policy;
    for (size_t s = 0; spec_id && s < e->n_specs; s++) {
        if (strcmp(e->specs[s].spec->id, spec_id) != 0)
            continue;
        engine_records *t = &records[s];
        if (!succeeded)
            t->failed++;
        if (succeeded || p->count_failed) {
            int l = level >= 1 && level <= POLICY_MAX_LEVEL ? level : 0;
            t->counted[l]++;
            t->counted_total++;
        }
        return;
    }
}

/* Items of b set in bits. */
static int count_bits(const plan_bits *b, const uint64_t *bits)
{
    int n = 0;
    for (size_t k = 0; k < b->n; k++)
        n += __builtin_popcountll(bits[b->words[k]] & b->masks[k]);
    return n;
}

/* Whether level pl is met by bits and the specialization's records, as
 * evaluate_level decides it. */
static int level_met_packed(const engine *e, const plan_level *pl, const uint64_t *bits, const engine_records *t)
{
    for (int k = 0; k <= CRITERION_KINDS; k++) {
        int req = pl->required[k];
        if (req < 0 || (req > 0 && count_bits(&pl->bits[k], bits) < req))
            return 0;
    }
    int req = pl->required[ENGINE_EXPERIENCE];
    if (req < 0 || t->counted_total < req)
        return 0;
    int at_level = 0;
    for (int l = pl->level; l <= POLICY_MAX_LEVEL; l++)
        at_level += t->counted[l];
    return at_level >= e->policy->min_records_at_level;
}

void engine_levels_packed(const engine *e, const uint64_t *bits, const engine_records *records, int *levels)
{
    for (size_t s = 0; s < e->n_specs; s++) {
        const plan_spec *ps = &e->specs[s];
        size_t reached = ps->n_levels;
        for (size_t i = 0; i < ps->n_levels; i++) {
            if (level_met_packed(e, &ps->levels[i], bits, &records[s]))
                reached = i;
            else if (e->policy->lower_levels_required)
                break;
        }
        levels[s] = reached < ps->n_levels ? ps->levels[reached].level : 0;
    }
}

/* Engine, result and evaluation at once; the caller frees the result. */
engine_result *engine_assess(const catalog *c, const policy *p, const assessment *a, assessment_rater rater)
{
    engine *e = engine_new(c, p);
    engine_result *pub = engine_result_new(e);
    ((result_impl *)pub)->owned_engine = e;
    engine_evaluate(e, a, rater, pub);
    return pub;
}

/* The result of one specialization by id; it belongs to r. */
const engine_spec *engine_result_spec(const engine_result *r, const char *spec_id)
{
    for (size_t i = 0; i < r->n_specs; i++)
        if (strcmp(r->specs[i].spec->id, spec_id) == 0)
            return &r->specs[i];
    return NULL;
}

/* Criterion names for JSON and the standard's labels; static strings. */
const char *engine_criterion_key(engine_criterion_kind k)
{
    static const char *const keys[ENGINE_CRITERIA] = {
        "responsibility", "complexity", "size", "task", "experience"
    };
    return (unsigned)k < ENGINE_CRITERIA ? keys[k] : "?";
}

const char *engine_criterion_label(engine_criterion_kind k)
{
    static const char *const labels[ENGINE_CRITERIA] = {
        "責任性", "複雑性", "サイズ", "タスク特性", "実績"
    };
    return (unsigned)k < ENGINE_CRITERIA ? labels[k] : "?";
}

/* How cr's threshold reads (see engine_threshold). */
engine_threshold engine_criterion_threshold(const engine_criterion *cr)
{
    if (cr->required < 0)
        return ENGINE_THRESHOLD_UNSET;
    if (cr->required == 0)
        return ENGINE_THRESHOLD_NONE;
    if (cr->required == cr->listed && cr->listed > 1)
        return ENGINE_THRESHOLD_ALL;
    return ENGINE_THRESHOLD_AT_LEAST;
}

/* Items or records short of the threshold; 0 when met or unset. */
int engine_criterion_short_by(const engine_criterion *cr)
{
    int n = cr->required - cr->count;
    return cr->required >= 0 && n > 0 ? n : 0;
}

/* Successful records at the level or higher still missing (experience). */
int engine_criterion_short_at_level(const engine_criterion *cr)
{
    int n = cr->at_level_required - cr->at_level;
    return n > 0 ? n : 0;
}

/* Knowledge items covered, in whole percent of the area's items. */
int engine_knowledge_percent(const engine_area *ea)
{
    return ea->knowledge_items ? ea->knowledge_covered * 100 / ea->knowledge_items : 0;
}
