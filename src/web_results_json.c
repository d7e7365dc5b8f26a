/* web_results_json.c - the results of one person as the API answers them
 * (GET /api/v1/me/results, /api/v1/people/:id/results): the same
 * person_results the page renders (web_results_html.c), as JSON. Part of the
 * results page group (web_results_int.h). */
#include "web_results_int.h"
#include "web_kit.h"
#include "web_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ----------------------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* One knowledge item below the minimum, for the target's JSON. */
static void knowledge_gap_json(const person_results *res, const engine_area *ea, const catalog_knowledge_category *cat,
                               const catalog_item *item, const assessment_answer *x, void *ctx)
{
    (void)res;
    json_t *o = engine_item_json(item);
    json_object_set_new(o, "skill_area", json_string(ea->area->id));
    json_object_set_new(o, "category", json_string(cat->name));
    json_object_set_new(o, "rating", x ? json_integer(x->value) : json_null());
    json_array_append_new(ctx, o);
}

/* Appends a proficiency description the target still asks for to the array ctx. */
static void proficiency_gap_json(const engine_area *ea, const engine_proficiency *st, void *ctx)
{
    json_t *p = json_object();
    json_object_set_new(p, "skill_area", json_string(ea->area->id));
    json_object_set_new(p, "level", json_integer(st->level));
    json_object_set_new(p, "id", json_string(st->description->id));
    json_object_set_new(p, "text", json_string(st->description->text));
    json_object_set_new(p, "answered", json_boolean(st->answered));
    json_array_append_new(ctx, p);
}

/* What the target level still needs: its unmet criteria with the items missing,
 * the proficiency descriptions up to it not met, the knowledge items rated
 * below the policy's minimum. */
static json_t *target_json(const person_results *res)
{
    const engine_spec *es = res->selected;
    json_t *o = json_object();
    json_object_set_new(o, "specialization", json_string(es->spec->id));
    json_object_set_new(o, "level", json_integer(res->target_level));
    json_object_set_new(o, "reached", json_boolean(res->target && res->target->met));
    json_t *criteria = json_array();
    for (int k = 0; res->target && k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &res->target->criteria[k];
        if (cr->met)
            continue;
        json_t *c = json_object();
        json_object_set_new(c, "criterion", json_string(engine_criterion_key((engine_criterion_kind)k)));
        json_object_set_new(c, "label", json_string(engine_criterion_label((engine_criterion_kind)k)));
        json_object_set_new(c, "count", json_integer(cr->count));
        json_object_set_new(c, "required", cr->required >= 0 ? json_integer(cr->required) : json_null());
        int short_by = cr->required - cr->count;
        json_object_set_new(c, "short_by", cr->required >= 0 ? json_integer(short_by > 0 ? short_by : 0)
                                                             : json_null());
        if (k == ENGINE_EXPERIENCE) {
            int short_at = cr->at_level_required - cr->at_level;
            json_object_set_new(c, "at_level", json_integer(cr->at_level));
            json_object_set_new(c, "at_level_required", json_integer(cr->at_level_required));
            json_object_set_new(c, "short_at_level", json_integer(short_at > 0 ? short_at : 0));
        } else {
            json_t *missing = json_array();
            for (size_t i = 0; i < cr->n_missing; i++)
                json_array_append_new(missing, engine_item_json(cr->missing[i]));
            json_object_set_new(c, "missing", missing);
        }
        json_array_append_new(criteria, c);
    }
    json_object_set_new(o, "criteria", criteria);
    json_t *prof = json_array();
    json_t *knowledge = json_array();
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        results_each_proficiency_gap(res, ea, proficiency_gap_json, prof);
        results_each_knowledge_gap(res, ea, res->target_level, knowledge_gap_json, knowledge);
    }
    json_object_set_new(o, "proficiency", prof);
    json_object_set_new(o, "knowledge_min_rating", json_integer(res->ev->policy->knowledge_min_rating));
    json_object_set_new(o, "knowledge", knowledge);
    return o;
}

/* The person, the catalog, the policy and the assessment shown, as members of o. */
static void head_members(json_t *o, const person_results *res)
{
    const web_eval *ev = res->ev;
    json_t *person = json_object();
    json_object_set_new(person, "id", json_integer(res->person.id));
    json_object_set_new(person, "employee_number", json_string(res->person.employee_number));
    json_object_set_new(person, "name", json_string(res->person.name));
    json_object_set_new(person, "org_unit", str_or_null(res->person.org_name));
    json_object_set_new(o, "person", person);

    json_t *cat = json_object();
    json_object_set_new(cat, "id", json_string(catalog_id(ev->catalog)));
    json_object_set_new(cat, "version", json_string(catalog_version(ev->catalog)));
    json_object_set_new(o, "catalog", cat);
    json_t *pol = json_object();
    json_object_set_new(pol, "id", json_string(ev->policy->id));
    json_object_set_new(pol, "version", json_string(ev->policy->version));
    json_object_set_new(pol, "title", str_or_null(ev->policy->title));
    json_object_set_new(o, "policy", pol);

    const store_assessment *a = res->current;
    if (a) {
        json_t *as = json_object();
        json_object_set_new(as, "id", json_integer(a->id));
        json_object_set_new(as, "cycle_id", json_integer(a->cycle_id));
        json_object_set_new(as, "cycle", json_string(a->cycle));
        json_object_set_new(as, "status", json_string(assessment_status_name(a->status)));
        json_object_set_new(as, "catalog_id", json_string(a->catalog_id));
        json_object_set_new(as, "catalog_version", json_string(a->catalog_version));
        json_object_set_new(as, "updated_at", str_or_null(a->updated_at));
        json_object_set_new(as, "evaluated", json_boolean(res->self != NULL));
        json_object_set_new(o, "assessment", as);
    } else {
        json_object_set_new(o, "assessment", json_null());
    }
    json_object_set_new(o, "rater", json_string("self"));
}

/* The level per specialization (a new reference). */
static json_t *levels_json(web_request *r, const person_results *res)
{
    json_t *levels = json_array();
    for (size_t i = 0; res->self && i < res->self->n_specs; i++) {
        const engine_spec *es = &res->self->specs[i];
        char label[64];
        json_t *l = json_object();
        json_object_set_new(l, "specialization", json_string(es->spec->id));
        json_object_set_new(l, "code", json_string(es->spec->code));
        json_object_set_new(l, "name", json_string(es->spec->name));
        json_object_set_new(l, "level", json_integer(es->level));
        json_object_set_new(l, "label", json_string(web_reached_label(r, es->level, label, sizeof label)));
        json_object_set_new(l, "next_level", es->next ? json_integer(es->next->level) : json_null());
        json_object_set_new(l, "manager_level",
                            res->manager ? json_integer(res->manager->specs[i].level) : json_null());
        json_t *warnings = json_array();
        for (size_t j = 0; j < es->n_unmet_below; j++)
            json_array_append_new(warnings, json_integer(es->unmet_below[j]));
        json_object_set_new(l, "unmet_lower_levels", warnings);
        json_array_append_new(levels, l);
    }
    return levels;
}

/* The specialization chosen: its radar, the target and the knowledge coverage, as members of o. */
static void selected_members(json_t *o, const person_results *res)
{
    if (res->selected) {
        const engine_spec *es = res->selected;
        json_object_set_new(o, "selected", json_string(es->spec->id));
        json_t *radar = json_object();
        json_object_set_new(radar, "specialization", json_string(es->spec->id));
        json_object_set_new(radar, "against_level", json_integer(res->target_level));
        json_t *axes = json_array();
        json_t *coverage = json_array();
        for (size_t i = 0; i < es->n_areas; i++) {
            const engine_area *ea = &es->areas[i];
            json_t *ax = json_object();
            json_object_set_new(ax, "skill_area", json_string(ea->area->id));
            json_object_set_new(ax, "name", json_string(ea->area->name));
            json_object_set_new(ax, "proficiency_level", json_integer(ea->proficiency_level));
            json_array_append_new(axes, ax);
            json_t *kc = json_object();
            json_object_set_new(kc, "skill_area", json_string(ea->area->id));
            json_object_set_new(kc, "name", json_string(ea->area->name));
            json_object_set_new(kc, "items", json_integer(ea->knowledge_items));
            json_object_set_new(kc, "rated", json_integer(ea->knowledge_rated));
            json_object_set_new(kc, "covered", json_integer(ea->knowledge_covered));
            json_object_set_new(kc, "percent", ea->knowledge_items
                                                   ? json_integer(ea->knowledge_covered * 100 / ea->knowledge_items)
                                                   : json_null());
            json_array_append_new(coverage, kc);
        }
        json_object_set_new(radar, "axes", axes);
        json_object_set_new(o, "proficiency", radar);
        json_object_set_new(o, "target", target_json(res));
        json_object_set_new(o, "knowledge_coverage", coverage);
    } else {
        json_object_set_new(o, "selected", json_null());
        json_object_set_new(o, "proficiency", json_null());
        json_object_set_new(o, "target", json_null());
        json_object_set_new(o, "knowledge_coverage", json_array());
    }
}

/* The level per specialization across cycles, newest first (a new reference). */
static json_t *history_json(const person_results *res)
{
    const web_eval *ev = res->ev;
    json_t *history = json_array();
    for (size_t i = res->assessments.count; i-- > 0;) {
        const store_assessment *h = &res->assessments.items[i];
        json_t *row = json_object();
        json_object_set_new(row, "cycle_id", json_integer(h->cycle_id));
        json_object_set_new(row, "cycle", json_string(h->cycle));
        json_object_set_new(row, "status", json_string(assessment_status_name(h->status)));
        json_t *lv = json_object();
        for (size_t j = 0; j < res->n_specs; j++) {
            int level = res->history[i * res->n_specs + j];
            json_object_set_new(lv, catalog_spec_at(ev->catalog, j)->id, level >= 0 ? json_integer(level)
                                                                                    : json_null());
        }
        json_object_set_new(row, "levels", lv);
        json_array_append_new(history, row);
    }
    return history;
}

/* The comments (a new reference). */
static json_t *comments_json(const person_results *res)
{
    json_t *comments = json_array();
    for (size_t i = 0; i < res->comments.count; i++) {
        const store_comment *c = &res->comments.items[i];
        json_t *j = json_object();
        json_object_set_new(j, "id", json_integer(c->id));
        json_object_set_new(j, "author", json_string(c->author));
        json_object_set_new(j, "author_name", str_or_null(c->author_name));
        json_object_set_new(j, "kind", json_string(store_comment_kind_name(c->kind)));
        json_object_set_new(j, "body", json_string(c->body));
        json_object_set_new(j, "created_at", json_string(c->created_at));
        json_array_append_new(comments, j);
    }
    return comments;
}

/* The results as the API answers them but for the last member, "evaluation"
 * (web_results_reply_json adds it); a new reference. */
static json_t *results_json(web_request *r, const person_results *res)
{
    json_t *o = json_object();
    head_members(o, res);
    json_object_set_new(o, "levels", levels_json(r, res));
    selected_members(o, res);
    json_object_set_new(o, "history", history_json(res));
    json_object_set_new(o, "comments", comments_json(res));
    return o;
}

/* The engine's whole explanation of the self rating as compact JSON text
 * (most of the API's answer, and most of its time), made once per evaluated
 * assessment and kept in the results cache under its id and revision; lent
 * until the request ends. Kept as text, not as a jansson tree: the tree takes
 * about nine times the memory (the demo's E1019: 69 KB of compact text, 620 KB
 * allocated when jansson loads it). NULL when it cannot be written (out of
 * memory). */
static const char *evaluation_json(web_request *r, const person_results *res)
{
    struct {
        char kind[8];
        int64_t id, revision;
    } key;
    memset(&key, 0, sizeof key);
    memcpy(key.kind, "evaljson", 8);
    key.id = res->current->id;
    key.revision = res->current->revision;
    web_cache *cache = web_results_cache(r);
    web_cache_ref *ref;
    const char *text = web_cache_get(cache, &key, sizeof key, &ref);
    if (!text) {
        json_t *o = engine_result_json(res->self, NULL);
        char *made = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!made)
            return NULL;
        text = web_cache_put(cache, &key, sizeof key, made, strlen(made) + 1, free, &ref);
    }
    web_defer(r, web_cache_return_value, ref);
    return text;
}

/* Answers res as JSON: results_json's members, the official levels, and the
 * member "evaluation" whose value is the evaluation as the results cache
 * keeps it (web_json_reply_with). */
void web_results_reply_json(web_request *r, const person_results *res)
{
    const char *evaluation = res->self ? evaluation_json(r, res) : "null";
    if (!evaluation) {
        web_reply_error(r, 500, "internal", NULL, NULL);
        return;
    }
    json_t *official = web_official_json(r, res->person.id, res->current);
    if (!official)               /* answered (503) */
        return;
    json_t *o = results_json(r, res);
    json_object_set_new(o, "official", official);
    web_json_reply_with(r, 200, o, "evaluation", evaluation);
}
