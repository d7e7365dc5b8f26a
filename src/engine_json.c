/* engine_json.c - an engine result as JSON, the facts as they are, for --json
 * and the API (see engine.h). The words of a result are explain.c's. */
#include "engine.h"

#include <jansson.h>
#include <string.h>

/* A jansson string, or null for NULL. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* {"id","text"} of a catalog item. */
struct json_t *engine_item_json(const catalog_item *it)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(it->id));
    json_object_set_new(o, "text", json_string(it->text));
    return o;
}

/* One criterion of a level: counts, threshold, items with their answers, missing items. */
static json_t *criterion_json(const engine_level *lv, int k)
{
    const engine_criterion *cr = &lv->criteria[k];
    json_t *o = json_object();
    json_object_set_new(o, "criterion", json_string(engine_criterion_key((engine_criterion_kind)k)));
    json_object_set_new(o, "label", json_string(engine_criterion_label((engine_criterion_kind)k)));
    json_object_set_new(o, "met", json_boolean(cr->met));
    json_object_set_new(o, "count", json_integer(cr->count));
    json_object_set_new(o, "required", cr->required >= 0 ? json_integer(cr->required) : json_null());
    if (k == ENGINE_EXPERIENCE) {
        json_object_set_new(o, "at_level", json_integer(cr->at_level));
        json_object_set_new(o, "at_level_required", json_integer(cr->at_level_required));
        json_object_set_new(o, "failed_not_counted", json_integer(cr->failed));
        return o;
    }
    json_object_set_new(o, "listed", json_integer(cr->listed));
    if (k != ENGINE_RESPONSIBILITY) {
        const catalog_criterion *def = &lv->indicators->criteria[k - ENGINE_COMPLEXITY];
        json_object_set_new(o, "id", json_string(def->id));
        json_object_set_new(o, "lead", json_string(def->lead));
    }
    json_t *items = json_array();
    for (int i = 0; i < cr->listed; i++) {
        json_t *it = engine_item_json(&cr->items[i]);
        const assessment_answer *x = cr->item_answers[i];
        json_object_set_new(it, "met", json_boolean(cr->item_met[i]));
        json_object_set_new(it, "answered", json_boolean(x != NULL));
        json_t *ev = json_array();
        for (size_t j = 0; x && j < x->n_evidence; j++)
            json_array_append_new(ev, json_string(x->evidence[j]));
        json_object_set_new(it, "evidence", ev);
        json_array_append_new(items, it);
    }
    json_object_set_new(o, "items", items);
    json_t *missing = json_array();
    for (size_t i = 0; i < cr->n_missing; i++)
        json_array_append_new(missing, engine_item_json(cr->missing[i]));
    json_object_set_new(o, "missing", missing);
    return o;
}

/* One level with all its criteria. */
static json_t *level_json(const engine_level *lv)
{
    json_t *o = json_object();
    json_object_set_new(o, "level", json_integer(lv->level));
    json_object_set_new(o, "id", json_string(lv->indicators->id));
    json_object_set_new(o, "met", json_boolean(lv->met));
    json_t *criteria = json_array();
    for (int k = 0; k < ENGINE_CRITERIA; k++)
        json_array_append_new(criteria, criterion_json(lv, k));
    json_object_set_new(o, "criteria", criteria);
    return o;
}

/* What the next level needs: the unmet criteria with their shortfall. */
static json_t *needs_json(const engine_level *next)
{
    json_t *arr = json_array();
    for (int k = 0; k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &next->criteria[k];
        if (cr->met)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "criterion", json_string(engine_criterion_key((engine_criterion_kind)k)));
        if (cr->required >= 0)
            json_object_set_new(o, "short_by", json_integer(engine_criterion_short_by(cr)));
        else
            json_object_set_new(o, "short_by", json_null());
        if (k == ENGINE_EXPERIENCE) {
            json_object_set_new(o, "short_at_level", json_integer(engine_criterion_short_at_level(cr)));
        } else {
            json_t *missing = json_array();
            for (size_t i = 0; i < cr->n_missing; i++)
                json_array_append_new(missing, engine_item_json(cr->missing[i]));
            json_object_set_new(o, "missing", missing);
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

/* One skill area: proficiency ladder and knowledge coverage. */
static json_t *area_json(const engine_area *ea)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(ea->area->id));
    json_object_set_new(o, "name", json_string(ea->area->name));
    json_object_set_new(o, "proficiency_level", json_integer(ea->proficiency_level));
    json_t *steps = json_array();
    for (size_t i = 0; i < ea->n_steps; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "level", json_integer(ea->steps[i].level));
        json_object_set_new(s, "id", json_string(ea->steps[i].description->id));
        json_object_set_new(s, "met", json_boolean(ea->steps[i].met));
        json_object_set_new(s, "answered", json_boolean(ea->steps[i].answered));
        json_array_append_new(steps, s);
    }
    json_object_set_new(o, "proficiency", steps);
    json_t *k = json_object();
    json_object_set_new(k, "items", json_integer(ea->knowledge_items));
    json_object_set_new(k, "rated", json_integer(ea->knowledge_rated));
    json_object_set_new(k, "covered", json_integer(ea->knowledge_covered));
    json_object_set_new(k, "share", json_real(ea->knowledge_items ? (double)ea->knowledge_covered / ea->knowledge_items
                                                                   : 0.0));
    json_object_set_new(o, "knowledge", k);
    return o;
}

/* One specialization: level reached, next level's needs, warnings, levels, areas. */
static json_t *spec_json(const engine_spec *es)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(es->spec->id));
    json_object_set_new(o, "code", json_string(es->spec->code));
    json_object_set_new(o, "name", json_string(es->spec->name));
    json_object_set_new(o, "level", json_integer(es->level));
    json_object_set_new(o, "level_min", json_integer(es->level_min));
    json_object_set_new(o, "level_max", json_integer(es->level_max));
    json_object_set_new(o, "next_level", es->next ? json_integer(es->next->level) : json_null());
    json_object_set_new(o, "needed_for_next", es->next ? needs_json(es->next) : json_array());
    json_t *warnings = json_array();
    for (size_t i = 0; i < es->n_unmet_below; i++) {
        json_t *w = json_object();
        json_object_set_new(w, "level", json_integer(es->unmet_below[i]));
        json_object_set_new(w, "message", json_string("下位のレベルの達成度指標を満たしていません"));
        json_array_append_new(warnings, w);
    }
    json_object_set_new(o, "warnings", warnings);
    json_t *levels = json_array();
    for (size_t i = 0; i < es->n_levels; i++)
        json_array_append_new(levels, level_json(&es->levels[i]));
    json_object_set_new(o, "levels", levels);
    json_t *areas = json_array();
    for (size_t i = 0; i < es->n_areas; i++)
        json_array_append_new(areas, area_json(&es->areas[i]));
    json_object_set_new(o, "skill_areas", areas);
    return o;
}

/* The result as a new jansson object; the caller releases it with json_decref. */
json_t *engine_result_json(const engine_result *r, const char *spec_id)
{
    const assessment *a = r->assessment;
    json_t *o = json_object();
    json_t *cat = json_object();
    json_object_set_new(cat, "id", json_string(catalog_id(r->catalog)));
    json_object_set_new(cat, "version", json_string(catalog_version(r->catalog)));
    json_object_set_new(o, "catalog", cat);
    json_t *pol = json_object();
    json_object_set_new(pol, "id", str_or_null(r->policy->id));
    json_object_set_new(pol, "version", str_or_null(r->policy->version));
    json_object_set_new(pol, "title", str_or_null(r->policy->title));
    json_object_set_new(o, "policy", pol);
    json_t *person = json_object();
    json_object_set_new(person, "employee_number", str_or_null(a ? a->employee_number : NULL));
    json_object_set_new(person, "name", str_or_null(a ? a->person_name : NULL));
    json_object_set_new(o, "person", person);
    json_object_set_new(o, "cycle", str_or_null(a ? a->cycle : NULL));
    json_object_set_new(o, "rater", json_string(assessment_rater_name(r->rater)));
    json_object_set_new(o, "answers_used", json_integer(r->n_answers_used));
    json_object_set_new(o, "answers_unknown", json_integer(r->n_answers_unknown));
    json_t *specs = json_array();
    for (size_t i = 0; i < r->n_specs; i++)
        if (!spec_id || strcmp(r->specs[i].spec->id, spec_id) == 0)
            json_array_append_new(specs, spec_json(&r->specs[i]));
    json_object_set_new(o, "specializations", specs);
    return o;
}
