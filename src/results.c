/* results.c - the results of one person, gathered from the store and evaluated
 * by the engine (see results.h). No I/O besides the store, no text for people. */
#include "results.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Evaluating an assessment ------------------------------------------------------------ */

void results_evaluation_free(results_evaluation *x)
{
    if (!x)
        return;
    engine_result_free(x->self);
    engine_result_free(x->manager);
    assessment_free(x->answers);
    free(x);
}

/* Has rater answered anything in a? */
static int has_answers_of(const assessment *a, assessment_rater rater)
{
    for (size_t i = 0; i < a->n_answers; i++)
        if (a->answers[i].rater == rater)
            return 1;
    return 0;
}

/* Estimated from what was measured on the demo database (heap growth of
 * loading and evaluating): up to 300 bytes an answer with its element id and
 * evidence, 1 KB an experience record or contribution, 32 KB a result of the
 * engine over the built-in catalog. */
size_t results_evaluation_size(const results_evaluation *x)
{
    size_t n = sizeof *x + 4096 + x->answers->n_answers * 300
               + (x->answers->n_experience + x->answers->n_contributions) * 1024;
    return n + (x->manager ? 2 : 1) * (32u << 10);
}

results_evaluation *results_evaluate(store *db, const results_eval *ev, int64_t assessment_id, err *e)
{
    assessment *answers = NULL;
    int found = store_assessment_load(db, assessment_id, &answers, e);
    if (found <= 0) {
        if (found == 0)
            err_set(e, "results", 0, 0, NULL, "assessment %lld is gone", (long long)assessment_id);
        return NULL;
    }
    results_evaluation *made = calloc(1, sizeof *made);
    if (!made)
        abort();
    made->answers = answers;
    made->self = engine_result_new(ev->engine);
    engine_evaluate(ev->engine, answers, RATER_SELF, made->self);
    if (has_answers_of(answers, RATER_MANAGER)) {
        made->manager = engine_result_new(ev->engine);
        engine_evaluate(ev->engine, answers, RATER_MANAGER, made->manager);
    }
    return made;
}

int results_same_catalog(const results_eval *ev, const store_assessment *a)
{
    return a->catalog_id && a->catalog_version && strcmp(a->catalog_id, catalog_id(ev->catalog)) == 0
           && strcmp(a->catalog_version, catalog_version(ev->catalog)) == 0;
}

const catalog_spec *results_find_spec(const results_eval *ev, const char *name)
{
    const catalog_spec *s = name && *name ? catalog_spec_find(ev->catalog, name) : NULL;
    return s && !s->is_common ? s : NULL;
}

/* ---- Which assessment, which specialization, which target ------------------------------- */

/* Parses text as a decimal integer within [min, max] (as web_parse_int does);
 * 1 on success. */
static int parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (!text || !*text || strlen(text) > 19)
        return 0;
    const char *p = text;
    int neg = *p == '-';
    if (neg)
        p++;
    if (!*p)
        return 0;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        if (v > (INT64_MAX - (*p - '0')) / 10)
            return 0;
        v = v * 10 + (*p - '0');
    }
    if (neg)
        v = -v;
    if (v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

results_status results_find_assessment(store *db, int64_t person_id, const char *cycle, store_assessment *out,
                                       err *e)
{
    memset(out, 0, sizeof *out);
    if (!cycle || !*cycle) {
        store_assessment_filter f = { .person_id = person_id, .status = -1, .limit = 1 };
        store_assessment_list l;
        if (store_assessment_list_filter(db, &f, &l, e) < 0)
            return RESULTS_FAILED;
        int found = l.count > 0;
        if (found) {
            *out = l.items[0];
            l.count = 0;           /* *out owns the strings now */
        }
        store_assessment_list_free(&l);
        return found ? RESULTS_OK : RESULTS_NO_ASSESSMENT_IN_CYCLE;
    }
    store_cycle c;
    int64_t id;
    int found = parse_int(cycle, 1, INT64_MAX, &id) ? store_cycle_get(db, id, &c, e) : store_cycle_find(db, cycle, &c, e);
    if (found < 0)
        return RESULTS_FAILED;
    if (found == 0)
        return RESULTS_NO_CYCLE;
    found = store_assessment_find(db, person_id, c.id, out, e);
    store_cycle_clear(&c);
    if (found < 0)
        return RESULTS_FAILED;
    return found ? RESULTS_OK : RESULTS_NO_ASSESSMENT_IN_CYCLE;
}

/* How many items of its criteria es meets in all levels: a tie-breaker for the
 * specialization shown first. */
static int met_items(const engine_spec *es)
{
    int n = 0;
    for (size_t i = 0; i < es->n_levels; i++)
        for (int k = 0; k < ENGINE_CRITERIA; k++)
            n += es->levels[i].criteria[k].count;
    return n;
}

/* The entry of level in es->levels, or NULL. */
static const engine_level *level_in(const engine_spec *es, int level)
{
    for (size_t i = 0; i < es->n_levels; i++)
        if (es->levels[i].level == level)
            return &es->levels[i];
    return NULL;
}

/* Sets res->selected and the target from q->target ("SPEC:LEVEL") or q->spec,
 * else the specialization furthest along. */
static results_status choose_target(person_results *res, const results_query *q)
{
    const engine_result *ev = res->self;
    const char *target = q->target;
    const char *spec = q->spec;
    int level = -1;
    if (target && *target) {
        const char *colon = strrchr(target, ':');
        int64_t n;
        char *name = colon ? strndup(target, (size_t)(colon - target)) : NULL;
        if (colon && !name)
            abort();
        const catalog_spec *cs = name ? results_find_spec(res->ev, name) : NULL;
        free(name);
        if (!colon || !cs || !parse_int(colon + 1, 1, POLICY_MAX_LEVEL, &n))
            return RESULTS_BAD_TARGET;
        res->selected = engine_result_spec(ev, cs->id);
        level = (int)n;
        if (!res->selected || !level_in(res->selected, level))
            return RESULTS_BAD_TARGET_LEVEL;
    } else if (spec && *spec) {
        const catalog_spec *cs = results_find_spec(res->ev, spec);
        res->selected = cs ? engine_result_spec(ev, cs->id) : NULL;
        if (!res->selected)
            return RESULTS_BAD_SPEC;
    } else {
        for (size_t i = 0; i < ev->n_specs; i++) {
            const engine_spec *es = &ev->specs[i];
            if (!res->selected || es->level > res->selected->level
                || (es->level == res->selected->level && met_items(es) > met_items(res->selected)))
                res->selected = es;
        }
    }
    if (!res->selected)
        return RESULTS_OK;
    if (level < 0)
        level = res->selected->next ? res->selected->next->level : res->selected->level;
    res->target_level = level;
    res->target = level_in(res->selected, level);
    return RESULTS_OK;
}

/* ---- Gathering --------------------------------------------------------------------------- */

/* Fills res->history: the levels of every assessment of the person (-1 for
 * one of another catalog version). */
static results_status gather_history(person_results *res, const results_source *src, err *e)
{
    size_t n = res->assessments.count;
    res->history = calloc(n ? n * res->n_specs : 1, sizeof *res->history);
    if (!res->history)
        abort();
    for (size_t i = 0; i < n; i++) {
        int *row = res->history + i * res->n_specs;
        const store_assessment *a = &res->assessments.items[i];
        const engine_result *self = a == res->current ? res->self : NULL;
        if (!self && results_same_catalog(res->ev, a)) {
            const results_evaluation *x = src->get(src->ctx, a, e);
            if (!x)
                return RESULTS_FAILED;
            self = x->self;
        }
        for (size_t j = 0; j < res->n_specs; j++)
            row[j] = self ? self->specs[j].level : -1;
    }
    return RESULTS_OK;
}

/* results_load inside its read transaction. */
static results_status gather(store *db, const results_source *src, int64_t person_id, const results_query *q,
                             person_results *res, err *e)
{
    const results_eval *ev = res->ev;
    int found = store_person_get(db, person_id, &res->person, e);
    if (found < 0)
        return RESULTS_FAILED;
    if (found == 0)
        return RESULTS_NO_PERSON;
    store_assessment_filter f = { .person_id = person_id, .status = -1 };
    if (store_assessment_list_filter(db, &f, &res->assessments, e) < 0)
        return RESULTS_FAILED;
    if (!q->cycle || !*q->cycle) {
        /* the latest: the first of the list, as results_find_assessment would find it */
        if (res->assessments.count)
            res->current = &res->assessments.items[0];
    } else {
        store_assessment chosen;
        results_status st = results_find_assessment(db, person_id, q->cycle, &chosen, e);
        if (st != RESULTS_OK)
            return st;
        for (size_t i = 0; i < res->assessments.count; i++)
            if (res->assessments.items[i].id == chosen.id)
                res->current = &res->assessments.items[i];
        store_assessment_clear(&chosen);
    }
    if (res->current && !results_same_catalog(ev, res->current))
        res->other_catalog = 1;
    if (res->current && !res->other_catalog) {
        const results_evaluation *x = src->get(src->ctx, res->current, e);
        if (!x)
            return RESULTS_FAILED;
        res->answers = x->answers;
        res->self = x->self;
        res->manager = x->manager;
        results_status st = choose_target(res, q);
        if (st != RESULTS_OK)
            return st;
    }
    if (res->current && store_comment_list_assessment(db, res->current->id, &res->comments, e) < 0)
        return RESULTS_FAILED;
    return gather_history(res, src, e);
}

results_status results_load(store *db, const results_eval *ev, const results_source *src, int64_t person_id,
                            const results_query *q, person_results *res, err *e)
{
    memset(res, 0, sizeof *res);
    res->ev = ev;
    res->n_specs = catalog_spec_count(ev->catalog);
    if (store_begin_read(db, e) < 0)
        return RESULTS_FAILED;
    results_status st = gather(db, src, person_id, q, res, e);
    if (st != RESULTS_OK) {
        store_rollback(db, NULL);
        return st;
    }
    if (store_commit(db, e) < 0)
        return RESULTS_FAILED;
    return RESULTS_OK;
}

void results_clear(person_results *res)
{
    store_person_clear(&res->person);
    store_assessment_list_free(&res->assessments);
    store_comment_list_free(&res->comments);
    free(res->history);
    res->history = NULL;
}

/* ---- Reading the results ----------------------------------------------------------------- */

const assessment_answer *results_self_answer(const person_results *res, const char *id)
{
    return res->answers ? assessment_get_answer(res->answers, id, RATER_SELF) : NULL;
}

void results_each_knowledge_gap(const person_results *res, const engine_area *ea, int level,
                                void (*fn)(const person_results *res, const engine_area *ea,
                                           const catalog_knowledge_category *cat, const catalog_item *item,
                                           const assessment_answer *x, void *ctx),
                                void *ctx)
{
    const catalog_spec_area *sa = catalog_spec_area_of(res->ev->catalog, res->selected->spec, ea->area, level);
    for (size_t k = 0; sa && k < sa->n_knowledge; k++)
        for (size_t i = 0; i < sa->knowledge[k].n_items; i++) {
            const catalog_item *it = &sa->knowledge[k].items[i];
            const assessment_answer *x = results_self_answer(res, it->id);
            if (!x || x->value < res->ev->policy->knowledge_min_rating)
                fn(res, ea, &sa->knowledge[k], it, x, ctx);
        }
}

void results_each_proficiency_gap(const person_results *res, const engine_area *ea,
                                  void (*fn)(const engine_area *ea, const engine_proficiency *st, void *ctx),
                                  void *ctx)
{
    for (size_t j = 0; j < ea->n_steps; j++)
        if (ea->steps[j].level <= res->target_level && !ea->steps[j].met)
            fn(ea, &ea->steps[j], ctx);
}
