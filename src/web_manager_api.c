/* web_manager_api.c - the JSON API of チーム (web_manager.c has the pages):
 *
 *   GET  /api/v1/team                            the team: level per specialization and status
 *   (POST /api/v1/team/approve, bulk approval: web_manager_bulk.c)
 *   GET  /api/v1/people/:id/assessment           a person's answers, levels and comments
 *   PUT  /api/v1/people/:id/assessment/manager   the manager's rating of elements
 *   POST /api/v1/people/:id/comments             a comment in the assessment's thread
 *   POST /api/v1/people/:id/return | approve     submitted -> returned | approved
 *
 * Each checks and saves through the functions the pages use (web_manager_int.h). */
#include "web_manager_int.h"
#include "web_access.h"
#include "web_json.h"
#include "json.h"
#include "web_pages.h"
#include "review.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A person as JSON: "id","employee_number","name","org_unit_code","org_unit" (a new reference). */
static json_t *person_json(const store_person *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(p->id));
    json_object_set_new(o, "employee_number", web_json_text(p->employee_number));
    json_object_set_new(o, "name", web_json_text(p->name));
    json_object_set_new(o, "org_unit_code", web_json_text(p->org_code));
    json_object_set_new(o, "org_unit", web_json_text(p->org_name));
    return o;
}

/* One member of the team as JSON: person, assessment, levels by specialization (a new reference). */
static json_t *member_json(const team *t, const team_member *m)
{
    json_t *state = json_null(), *levels = json_object();
    if (m->has_assessment)
        state = json_pack("{s:o,s:s,s:o}", "id", web_json_id(m->assessment.id), "status",
                               assessment_status_name(m->assessment.status), "updated_at",
                               web_json_text(m->assessment.updated_at));
    for (size_t j = 0; j < t->n_specs; j++)
        json_object_set_new(levels, catalog_spec_at(t->ev->catalog, j)->id,
                            m->levels[j] >= 0 ? json_integer(m->levels[j]) : json_null());
    return json_pack("{s:o,s:o,s:s,s:o,s:o}", "person", person_json(m->person), "assessment", state, "state",
                     store_team_state_name(m->state), "submitted_at", web_json_text(m->submitted_at), "levels",
                     levels);
}

/* GET /api/v1/team[?org=CODE&cycle=C&status=S&sort=K&page=N]  The team as JSON. */
void web_api_team(web_request *r)
{
    team *t = manager_build_team(r);
    if (!t)
        return;
    json_t *o = json_object(), *specs = json_array(), *members = json_array();
    json_object_set_new(o, "cycle", t->cycle.id ? json_pack("{s:o,s:o,s:o,s:o}", "id", web_json_id(t->cycle.id),
                                                           "name", web_json_text(t->cycle.name), "opens",
                                                           web_json_text(t->cycle.opens), "closes",
                                                           web_json_text(t->cycle.closes))
                                                : json_null());
    json_object_set_new(o, "org_unit", web_json_text(t->org ? t->org->code : NULL));
    json_object_set_new(o, "level_kind", json_string(t->self_levels ? "self" : "official"));
    json_object_set_new(o, "total", json_integer(t->others));
    json_object_set_new(o, "page", json_integer(t->page));
    json_object_set_new(o, "pages", json_integer(t->pages));
    for (size_t j = 0; j < t->n_specs; j++) {
        const catalog_spec *s = catalog_spec_at(t->ev->catalog, j);
        json_array_append_new(specs, json_pack("{s:o,s:o,s:o}", "id", web_json_text(s->id), "code",
                                               web_json_text(s->code), "name", web_json_text(s->name)));
    }
    json_object_set_new(o, "specializations", specs);
    for (size_t i = 0; i < t->n_members; i++)
        json_array_append_new(members, member_json(t, &t->members[i]));
    json_object_set_new(o, "members", members);
    web_json_reply(r, 200, o);
}

/* ---- The API ------------------------------------------------------------------------------- */

/* The assessment's summary as a JSON object (a new reference). */
static json_t *assessment_json(const store_assessment *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(a->id));
    json_object_set_new(o, "cycle_id", web_json_id(a->cycle_id));
    json_object_set_new(o, "cycle", web_json_text(a->cycle));
    json_object_set_new(o, "status", json_string(assessment_status_name(a->status)));
    json_object_set_new(o, "catalog_id", web_json_text(a->catalog_id));
    json_object_set_new(o, "catalog_version", web_json_text(a->catalog_version));
    json_object_set_new(o, "updated_at", web_json_text(a->updated_at));
    return o;
}

/* A comment as a JSON object (a new reference). */
static json_t *comment_json(const store_comment *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(c->id));
    json_object_set_new(o, "author", web_json_text(c->author));
    json_object_set_new(o, "author_name", web_json_text(c->author_name));
    json_object_set_new(o, "kind", json_string(store_comment_kind_name(c->kind)));
    json_object_set_new(o, "body", web_json_text(c->body));
    json_object_set_new(o, "created_at", web_json_text(c->created_at));
    return o;
}

/* ["a","b"] of n strings (a new reference). */
static json_t *strings_json(char *const *items, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_string(items[i]));
    return list;
}

/* The answers of rater (-1: every rater) as a JSON array (a new reference). */
static json_t *answers_json(const review *v, int rater)
{
    json_t *list = json_array();
    for (size_t i = 0; i < v->answers->n_answers; i++) {
        const assessment_answer *x = &v->answers->answers[i];
        if (rater >= 0 && (int)x->rater != rater)
            continue;
        json_array_append_new(list, json_pack("{s:o,s:s,s:i,s:o}", "element_id", web_json_text(x->element_id),
                                              "rater", assessment_rater_name(x->rater), "value", x->value,
                                              "evidence", strings_json(x->evidence, x->n_evidence)));
    }
    return list;
}

/* The person, the assessment, the answers of rater (-1: every rater), the
 * levels by the self and the manager's rating, and the comments. */
static void reply_assessment(web_request *r, const review *v, int rater, int status)
{
    json_t *o = json_object();
    json_object_set_new(o, "person", person_json(&v->person));
    if (!v->has_assessment) {
        json_object_set_new(o, "assessment", json_null());
        web_json_reply(r, status, o);
        return;
    }
    json_object_set_new(o, "assessment", assessment_json(&v->assessment));
    json_object_set_new(o, "rater", rater < 0 ? json_null() : json_string(assessment_rater_name((assessment_rater)rater)));
    json_object_set_new(o, "answers", answers_json(v, rater));
    json_object_set_new(o, "agreed", strings_json(v->agreed.element_ids, v->agreed.count));
    json_object_set_new(o, "undecided_achievement", json_integer((json_int_t)v->undecided));
    json_object_set_new(o, "first_undecided", web_json_text(v->first_undecided));
    json_t *levels = json_array(), *comments = json_array();
    for (size_t i = 0; v->self && i < v->self->n_specs; i++)
        json_array_append_new(levels, json_pack("{s:s,s:i,s:i,s:i}", "specialization", v->self->specs[i].spec->id,
                                                "self", v->self->specs[i].level, "manager",
                                                v->manager->specs[i].level, "reviewed", v->manager->specs[i].level));
    json_object_set_new(o, "levels", levels);
    for (size_t i = 0; i < v->comments.count; i++)
        json_array_append_new(comments, comment_json(&v->comments.items[i]));
    json_object_set_new(o, "comments", comments);
    web_json_reply(r, status, o);
}

/* GET /api/v1/people/:id/assessment[?rater=self|manager&cycle=C]  The answers
 * of a person's assessment, for a user who may see the person. */
void web_api_person_assessment(web_request *r)
{
    int64_t id;
    if (web_path_person(r, &id) < 0)
        return;
    const char *rater_name = web_query(r, "rater");
    int rater = -1;
    if (rater_name && *rater_name && (rater = assessment_rater_parse(rater_name)) < 0) {
        web_reply_400(r, web_t(r, "review.bad_rater"), "rater");
        return;
    }
    review *v = manager_build_review(r, id, web_query(r, "cycle"), NULL);
    if (v)
        reply_assessment(r, v, rater, 200);
}

/* The API's person for a review action and the assessment its body's cycle
 * names. 1, or 0 after answering. */
static int api_target(web_request *r, const json_value *body, int64_t *id, store_assessment *a)
{
    const char *cycle = NULL;
    if ((*id = manager_reviewed_person(r)) < 0 || web_body_cycle(r, body, &cycle) < 0)
        return 0;
    if (manager_posted_assessment(r, *id, cycle, a) < 0)
        return 0;
    web_defer(r, manager_clear_assessment, a);
    return 1;
}

/* PUT /api/v1/people/:id/assessment/manager  {"cycle"?, "answers":[{"element_id",
 * "value": 0..4, "agree" or null}], "agree_remaining"?: true}: sets the
 * reviewer's rating of those elements ("agree": agrees with the self-rating;
 * null: undecided), then agrees with every self-rating still undecided when
 * agree_remaining, all or nothing. Answers as GET ...?rater=manager does. */
void web_api_manager_rating(web_request *r)
{
    static const char *const known[] = { "cycle", "answers", "agree_remaining", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    const web_eval *ev = web_evaluator(r);
    int64_t id;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (!ev || !api_target(r, body, &id, a))
        return;
    const json_member *m = json_member_get(body, "answers");
    if (!m || m->value->type != JV_ARRAY) {
        web_json_invalid(r, "answers", web_t(r, "review.answers_missing"));
        return;
    }
    const json_value *list = m->value;
    rating_change *changes = web_alloc(r, (list->n_elements ? list->n_elements : 1) * sizeof *changes);
    for (size_t i = 0; i < list->n_elements; i++) {
        const json_value *el = list->elements[i];
        const json_member *eid = el->type == JV_OBJECT ? json_member_get(el, "element_id") : NULL;
        const json_member *val = el->type == JV_OBJECT ? json_member_get(el, "value") : NULL;
        char field[64];
        int max;
        snprintf(field, sizeof field, "answers[%zu].element_id", i);
        if (!eid || eid->value->type != JV_STRING || !manager_ratable(ev, eid->value->string, &max)) {
            web_json_invalid(r, field, web_t(r, "review.unknown_element"));
            return;
        }
        snprintf(field, sizeof field, "answers[%zu].value", i);
        int value = -1;
        int agree = val && val->value->type == JV_STRING && strcmp(val->value->string, "agree") == 0;
        if (!val || (val->value->type != JV_NULL && !agree
                     && (val->value->type != JV_NUMBER || !val->value->is_integer || val->value->number < 0
                         || val->value->number > max))) {
            web_json_invalid(r, field, web_t(r, "review.bad_value"));
            return;
        }
        if (val->value->type == JV_NUMBER)
            value = (int)val->value->number;
        if (agree)
            value = RATING_AGREE;
        changes[i] = (rating_change){ eid->value->string, value };
    }
    const json_member *rest = json_member_get(body, "agree_remaining");
    if (rest && rest->value->type != JV_TRUE && rest->value->type != JV_FALSE) {
        web_json_invalid(r, "agree_remaining", web_t(r, "review.bad_agree_remaining"));
        return;
    }
    if (manager_save_rating(r, a, changes, list->n_elements, rest && rest->value->type == JV_TRUE) < 0)
        return;
    review *v = manager_build_review(r, id, manager_num(r, a->cycle_id), NULL);
    if (v)
        reply_assessment(r, v, RATER_MANAGER, 200);
}

/* POST /api/v1/people/:id/comments  {"body", "cycle"?}: adds a comment; 201
 * with it. The person themself may write too. */
void web_api_comment(web_request *r)
{
    static const char *const known[] = { "cycle", "body", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0 || manager_may_comment(r, id) < 0)
        return;
    const char *cycle = NULL, *text = NULL;
    if (web_body_cycle(r, body, &cycle) < 0 || web_json_string(r, body, "body", &text) < 0)
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (manager_posted_assessment(r, id, cycle, a) < 0)
        return;
    web_defer(r, manager_clear_assessment, a);
    int64_t comment_id = 0;
    if (manager_add_comment(r, a, COMMENT_NOTE, text, "body", &comment_id) < 0)
        return;
    store_comment_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_comment_list_assessment(web_store(r), a->id, &l, &e) < 0) {
        web_store_failed(r, "comments", &e);
        return;
    }
    json_t *comment = json_null();
    for (size_t i = 0; i < l.count; i++)
        if (l.items[i].id == comment_id) {
            json_decref(comment);
            comment = comment_json(&l.items[i]);
        }
    store_comment_list_free(&l);
    web_json_reply(r, 201, json_pack("{s:o}", "comment", comment));
}

/* The API's return and approve: {"comment", "cycle"?}. */
static void api_decide(web_request *r, assessment_status to)
{
    static const char *const known[] = { "cycle", "comment", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    int64_t id;
    store_assessment *a = web_alloc(r, sizeof *a);
    const char *comment = NULL;
    if (!api_target(r, body, &id, a) || web_json_string(r, body, "comment", &comment) < 0)
        return;
    if (manager_decide(r, a, to, comment, "comment") < 0)
        return;
    review *v = manager_build_review(r, id, manager_num(r, a->cycle_id), NULL);
    if (!v)
        return;
    web_json_reply(r, 200, json_pack("{s:o}", "assessment", assessment_json(&v->assessment)));
}

/* POST /api/v1/people/:id/return  {"comment" (required), "cycle"?}: submitted -> returned. */
void web_api_return(web_request *r)
{
    api_decide(r, ASSESSMENT_RETURNED);
}

/* POST /api/v1/people/:id/approve  {"comment"?, "cycle"?}: submitted -> approved. */
void web_api_approve(web_request *r)
{
    api_decide(r, ASSESSMENT_APPROVED);
}
