/* plans.c - development plans over the store (plans.h). */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "plans.h"

/* The latest assessment of person_id, loaded: 1 (*out, *info filled), 0 none, -1. */
static int latest_assessment(store *db, int64_t person_id, assessment **out, store_assessment *info, err *e)
{
    store_assessment_filter f;
    store_assessment_list l;
    memset(&f, 0, sizeof f);
    memset(info, 0, sizeof *info);
    *out = NULL;
    f.person_id = person_id;
    f.status = -1;
    f.limit = 1;
    if (store_assessment_list_filter(db, &f, &l, e) < 0)
        return -1;
    int rc = 0;
    if (l.count) {
        *info = l.items[0];
        memset(&l.items[0], 0, sizeof l.items[0]);
        rc = store_assessment_load(db, info->id, out, e);
        if (rc != 1)
            store_assessment_clear(info);
    }
    store_assessment_list_free(&l);
    return rc;
}

int plans_set_target(store *db, const catalog *c, const policy *p, int64_t person_id, const catalog_spec *spec,
                     int level, const char *date, const char *today, const char *actor, int64_t *plan_id, err *e)
{
    if (plan_check_target(c, spec, level, date, today, e) < 0)
        return -1;
    assessment *a = NULL;
    store_assessment info;
    int rc = latest_assessment(db, person_id, &a, &info, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        a = assessment_new(NULL, NULL, NULL, catalog_id(c), catalog_version(c));
    engine_result *r = engine_assess(c, p, a, RATER_SELF);
    plan_gap g;
    plan_gap_build(c, p, r, a, spec, level, &g);
    store_plan_item *items = calloc(g.n + 1, sizeof *items);
    if (!items)
        abort();
    for (size_t i = 0; i < g.n; i++) {
        items[i].element_id = (char *)g.items[i].element_id;
        items[i].kind = (char *)g.items[i].kind;
    }
    store_plan_target t = { person_id, spec->id, level, date, catalog_id(c), catalog_version(c),
                            rc == 1 ? info.id : 0, items, g.n };
    int st = store_plan_set(db, &t, actor, plan_id, e);
    free(items);
    plan_gap_free(&g);
    engine_result_free(r);
    assessment_free(a);
    if (rc == 1)
        store_assessment_clear(&info);
    return st;
}

int plans_view_load(store *db, const catalog *c, const policy *p, int64_t person_id, plans_view *v, err *e)
{
    memset(v, 0, sizeof *v);
    v->catalog = c;
    v->policy = p;
    int rc = store_person_get(db, person_id, &v->person, e);
    if (rc != 1)
        return rc;
    rc = store_plan_get_person(db, person_id, &v->plan, e);
    if (rc != 1) {
        store_person_clear(&v->person);
        return rc;
    }
    v->spec = catalog_spec_find(c, v->plan.specialization_id);
    v->closed = calloc(v->plan.n_items + 1, 1);
    if (!v->closed)
        abort();
    assessment *a = NULL;
    store_assessment info;
    rc = latest_assessment(db, person_id, &a, &info, e);
    if (rc < 0) {
        plans_view_free(v);
        return -1;
    }
    if (rc == 1 && v->spec) {
        v->assessment_id = info.id;
        v->assessed_cycle = info.cycle ? strdup(info.cycle) : NULL;
        engine_result *r = engine_assess(c, p, a, RATER_SELF);
        const engine_spec *es = engine_result_spec(r, v->spec->id);
        v->current_level = es ? es->level : 0;
        /* an item closes once the latest evaluation no longer lacks it; items of
         * the plan's own assessment are judged by it too, so a new plan starts open */
        plan_gap now;
        plan_gap_build(c, p, r, a, v->spec, v->plan.target_level, &now);
        for (size_t i = 0; i < v->plan.n_items; i++)
            if (!plan_gap_has(&now, v->plan.items[i].element_id)) {
                v->closed[i] = 1;
                v->n_closed++;
            }
        plan_gap_free(&now);
        engine_result_free(r);
        store_assessment_clear(&info);
    }
    assessment_free(a);
    return 1;
}

void plans_view_free(plans_view *v)
{
    store_plan_clear(&v->plan);
    store_person_clear(&v->person);
    free(v->closed);
    free(v->assessed_cycle);
    memset(v, 0, sizeof *v);
}

/* The text and topics of a plan item's element, from the catalog. */
static void item_facts(const catalog *c, const store_plan_item *it, const char **text, const char **label,
                       const char **topics, size_t *n_topics)
{
    catalog_element el;
    *text = NULL;
    *label = NULL;
    *n_topics = 0;
    if (!catalog_find(c, it->element_id, &el))
        return;
    if (strcmp(it->kind, "experience") == 0) {
        *label = "実績";
        return;
    }
    *text = catalog_element_text(&el);
    switch (el.kind) {
    case CK_RESPONSIBILITY: *label = "責任性"; break;
    case CK_CHECK_ITEM: *label = catalog_criterion_label(el.criterion->kind); break;
    case CK_PROFICIENCY: *label = "スキル熟達度"; break;
    case CK_KNOWLEDGE_ITEM: *label = "知識項目"; break;
    default: break;
    }
    if (el.area)
        topics[(*n_topics)++] = el.area->id;
    if (el.category)
        topics[(*n_topics)++] = el.category->id;
}

json_t *plans_view_json(store *db, const plans_view *v, const char *today)
{
    const store_plan *pl = &v->plan;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(pl->id));
    json_object_set_new(o, "employee_number", json_string(v->person.employee_number));
    json_object_set_new(o, "name", json_string(v->person.name));
    json_object_set_new(o, "target", json_pack("{s:s, s:o, s:i, s:s}", "specialization", pl->specialization_id,
                                               "specialization_name", v->spec ? json_string(v->spec->name)
                                                                              : json_null(),
                                               "level", pl->target_level, "date", pl->target_date));
    json_object_set_new(o, "status", json_string(pl->status));
    json_object_set_new(o, "approved_by", pl->approved_by ? json_string(pl->approved_by) : json_null());
    json_object_set_new(o, "approved_at", pl->approved_at ? json_string(pl->approved_at) : json_null());
    json_object_set_new(o, "current_level", json_integer(v->current_level));
    json_object_set_new(o, "assessed_cycle", v->assessed_cycle ? json_string(v->assessed_cycle) : json_null());
    json_t *items = json_array();
    size_t overdue = 0, done = 0;
    for (size_t i = 0; i < pl->n_items; i++) {
        const store_plan_item *it = &pl->items[i];
        const char *text, *label, *topics[2];
        size_t n_topics;
        item_facts(v->catalog, it, &text, &label, topics, &n_topics);
        json_t *j = json_pack("{s:I, s:s, s:s, s:o, s:o, s:b}", "id", (json_int_t)it->id, "element_id",
                              it->element_id, "kind", it->kind, "label", label ? json_string(label) : json_null(),
                              "text", text ? json_string(text) : json_null(), "closed", v->closed[i]);
        json_t *acts = json_array();
        for (size_t k = 0; k < pl->n_actions; k++)
            if (pl->actions[k].item_id == it->id)
                json_array_append_new(acts, json_integer(pl->actions[k].id));
        json_object_set_new(j, "actions", acts);
        json_t *sugg = json_array();
        store_course_list cl;
        err e;
        if (!v->closed[i] && n_topics && store_course_list_covering(db, topics, n_topics, &cl, &e) == 0) {
            for (size_t k = 0; k < cl.count; k++)
                json_array_append_new(sugg, json_pack("{s:s, s:s}", "code", cl.items[k].code, "title",
                                                      cl.items[k].title));
            store_course_list_free(&cl);
        }
        json_object_set_new(j, "suggested_courses", sugg);
        json_array_append_new(items, j);
    }
    json_t *actions = json_array();
    for (size_t k = 0; k < pl->n_actions; k++) {
        const store_plan_action *a = &pl->actions[k];
        int late = strcmp(a->due_on, today) < 0 && (strcmp(a->status, "planned") == 0 ||
                                                    strcmp(a->status, "in_progress") == 0);
        overdue += late;
        done += strcmp(a->status, "done") == 0;
        json_array_append_new(actions, json_pack("{s:I, s:o, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:b}",
                                                 "id", (json_int_t)a->id,
                                                 "item_id", a->item_id ? json_integer(a->item_id) : json_null(),
                                                 "kind", a->kind,
                                                 "course", a->course_code ? json_string(a->course_code) : json_null(),
                                                 "title", a->title, "due", a->due_on, "status", a->status,
                                                 "completed_on", a->completed_on ? json_string(a->completed_on)
                                                                                 : json_null(),
                                                 "grade", a->grade ? json_string(a->grade) : json_null(),
                                                 "overdue", late));
    }
    json_t *comments = json_array();
    for (size_t k = 0; k < pl->n_comments; k++)
        json_array_append_new(comments, json_pack("{s:s, s:s, s:s, s:s}", "author", pl->comments[k].author, "kind",
                                                  pl->comments[k].kind, "body", pl->comments[k].body, "at",
                                                  pl->comments[k].created_at));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "actions", actions);
    json_object_set_new(o, "comments", comments);
    json_object_set_new(o, "progress", json_pack("{s:I, s:I, s:I, s:I, s:I}", "items", (json_int_t)pl->n_items,
                                                 "closed", (json_int_t)v->n_closed, "actions",
                                                 (json_int_t)pl->n_actions, "done", (json_int_t)done, "overdue",
                                                 (json_int_t)overdue));
    return o;
}

int plans_may_review(store *db, const char *role_name, int64_t reviewer_person_id, int64_t person_id,
                     review_refusal *why, err *e)
{
    review_role role = !role_name ? REVIEWER_NONE
                       : strcmp(role_name, "hr") == 0 ? REVIEWER_HR
                       : strcmp(role_name, "manager") == 0 ? REVIEWER_MANAGER : REVIEWER_NONE;
    return review_may_review(db, role, reviewer_person_id, person_id, why, e);
}
