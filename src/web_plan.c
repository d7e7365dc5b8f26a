/* web_plan.c - 育成計画 (development plans) on the web: the person's plan page
 * and the forms that change it. The work is plans.c's (shared with the command
 * line and the API); the reviewing rule is review.c's. docs/plans.md.
 *
 *   GET  /plan                                my plan
 *   GET  /people/:id/plan                     a person's plan (whoever may see the person)
 *   POST /people/:id/plan/target              set the target (the person, or a reviewer)
 *   POST /people/:id/plan/actions             add an action (the person, or a reviewer)
 *   POST /people/:id/plan/actions/:action     change an action's status (the same)
 *   POST /people/:id/plan/comments            comment (the person, or as reviewer)
 *   POST /people/:id/plan/approve             approve (a reviewer: review.h's rule)
 *
 * Who changes a plan: the person themself, or someone who may review them
 * (a manager above them in the reporting line, or HR; never someone they
 * manage). Approval is the reviewer's alone. */
#include "web_access.h"
#include "web_json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "web_plan_int.h"
#include "plans.h"
#include "store_plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const action_kinds[] = { "course", "ojt", "qualification", "self_study" };
static const char *const action_states[] = { "planned", "in_progress", "done", "dropped" };

/* ---- Shared pieces -------------------------------------------------------------------------- */

/* A string member of o, or NULL. */
static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static long long jint(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static void release_json(void *p)
{
    json_decref(p);
}

static void release_courses(void *p)
{
    store_course_list_free(p);
}

/* Where the plan of person_id is shown to r's user. Request memory. */
static const char *plan_path(web_request *r, int64_t person_id)
{
    if (r->user && r->user->person_id == person_id)
        return "/plan";
    char *p = web_alloc(r, 48);
    snprintf(p, 48, "/people/%lld/plan", (long long)person_id);
    return p;
}

/* May r's user change person_id's plan: the person, or a reviewer? 1, 0, -1 after answering 503. */
static int may_change(web_request *r, int64_t person_id)
{
    if (r->user && r->user->person_id == person_id)
        return 1;
    return web_may_review_person(r, person_id);
}

/* The :id of a request that changes a plan, once r's user may see and change
 * it; 0 after answering (404, 403, 503). */
int64_t web_plan_editor(web_request *r)
{
    int64_t id;
    if (web_path_person(r, &id) < 0)
        return -1;
    int may = may_change(r, id);
    if (may <= 0) {
        if (may == 0)
            web_reply_error(r, 403, "not_editor", web_t(r, "plan.err.not_editor"), NULL);
        return -1;
    }
    return id;
}

/* Answers a refusal of plans.c or the store with err e (the field it names,
 * worded in the request's language), or a store failure (503). */
void web_plan_refusal(web_request *r, const err *e, const char *what)
{
    const char *field = e->path[0] ? e->path : NULL;
    if (e->code == ERR_FAILED) {
        web_store_failed(r, what, e);
        return;
    }
    int status = e->code == ERR_NOT_FOUND ? 404 : e->code == ERR_INVALID ? (r->is_json ? 422 : 400) : 409;
    char key[64];
    snprintf(key, sizeof key, "plan.invalid.%s", field ? field : "");
    if (e->code == ERR_INVALID && field && strcmp(web_t(r, key), key) != 0) {
        web_reply_error(r, status, "invalid", web_t(r, key), field);
        return;
    }
    snprintf(key, sizeof key, "plan.field.%s", field ? field : "");
    const char *label = field ? web_t(r, key) : NULL;
    if (label && strcmp(label, key) == 0)
        label = field;
    const char *msg = label ? web_text_tpl(r, web_t(r, "plan.err.field"), label, e->message, NULL) : e->message;
    web_reply_error(r, status, status == 404 ? "not_found" : status == 409 ? "conflict" : "invalid", msg, field);
}

/* The plan of person_id as JSON (plans_view_json, with "qualifications"
 * added by the caller when wanted), in request memory: 1 found, 0 no plan
 * (nothing answered), -1 after answering. */
int web_plan_json(web_request *r, int64_t person_id, json_t **out)
{
    *out = NULL;
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return -1;
    plans_view v;
    err e;
    memset(&e, 0, sizeof e);
    int rc = plans_view_load(db, ev->catalog, ev->policy, person_id, &v, &e);
    if (rc < 0) {
        web_store_failed(r, "a development plan", &e);
        return -1;
    }
    if (rc == 0)
        return 0;
    char today[11];
    plan_today(today);
    *out = plans_view_json(db, &v, today);
    web_defer(r, release_json, *out);
    plans_view_free(&v);
    return 1;
}

/* The id of person_id's plan; 0 after answering 404 (no plan) or 503. */
int64_t web_plan_of(web_request *r, int64_t person_id)
{
    store *db = web_store(r);
    if (!db)
        return -1;
    store_plan p;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_plan_get_person(db, person_id, &p, &e);
    if (rc < 0) {
        web_store_failed(r, "a development plan", &e);
        return -1;
    }
    if (rc == 0) {
        web_reply_error(r, 404, "not_found", web_t(r, "plan.err.no_plan"), "plan");
        return -1;
    }
    int64_t id = p.id;
    store_plan_clear(&p);
    return id;
}

/* Answers person_id's plan as {"plan": ...} with status; 404 when there is none. */
void web_plan_reply(web_request *r, int64_t person_id, int status)
{
    json_t *j;
    int rc = web_plan_json(r, person_id, &j);
    if (rc < 0)
        return;
    if (rc == 0) {
        web_reply_error(r, 404, "not_found", web_t(r, "plan.err.no_plan"), "plan");
        return;
    }
    json_t *o = json_pack("{s:O}", "plan", j);
    web_json_answer(r, status, json_dumps(o, JSON_COMPACT));
    json_decref(o);
}

/* Sets person_id's target to spec (a code, id or name), level, date by r's user.
 * 0, or -1 after answering (400/422 naming the field, 503). */
int web_plan_set_target(web_request *r, int64_t person_id, const char *spec_name, int64_t level, const char *date)
{
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return -1;
    int bad = r->is_json ? 422 : 400;
    const catalog_spec *spec = spec_name && *spec_name ? catalog_spec_find(ev->catalog, spec_name) : NULL;
    if (!spec) {
        web_reply_error(r, bad, "invalid",
                        web_text_tpl(r, web_t(r, "plan.err.spec"), spec_name ? spec_name : "", NULL), "specialization");
        return -1;
    }
    char today[11];
    plan_today(today);
    err e;
    memset(&e, 0, sizeof e);
    int64_t plan_id = 0;
    if (plans_set_target(db, ev->catalog, ev->policy, person_id, spec, (int)level, date, today, r->user->login,
                         &plan_id, &e) == 0)
        return 0;
    if (strcmp(e.key, "plan.level") == 0) {
        int lo = 0, hi = 0;
        char l1[16], l2[16], l3[16];
        catalog_spec_level_range(ev->catalog, spec, &lo, &hi);
        snprintf(l1, sizeof l1, "%d", lo);
        snprintf(l2, sizeof l2, "%d", hi);
        snprintf(l3, sizeof l3, "%lld", (long long)level);
        web_reply_error(r, bad, "invalid", web_text_tpl(r, web_t(r, "plan.err.level"), spec->name, l1, l2, l3, NULL),
                        "level");
    } else if (strcmp(e.key, "plan.date") == 0) {
        web_reply_error(r, bad, "invalid", web_text_tpl(r, web_t(r, "plan.err.date"), date ? date : "", NULL), "date");
    } else if (strcmp(e.key, "plan.date_past") == 0) {
        web_reply_error(r, bad, "invalid", web_text_tpl(r, web_t(r, "plan.err.date_past"), date, today, NULL), "date");
    } else {
        web_plan_refusal(r, &e, "setting a target");
    }
    return -1;
}

/* Adds an action to person_id's plan: item (0: the plan as a whole), kind,
 * course (a code; NULL or "" for none), title, due. *id gets the action's id.
 * 0, or -1 after answering. */
int web_plan_add_action(web_request *r, int64_t person_id, int64_t item, const char *kind, const char *course,
                        const char *title, const char *due, int64_t *id)
{
    int64_t plan_id = web_plan_of(r, person_id);
    store *db = plan_id > 0 ? web_store(r) : NULL;
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    int64_t course_id = 0;
    if (course && *course) {
        store_course c;
        int rc = store_course_find(db, course, &c, &e);
        if (rc < 0) {
            web_store_failed(r, "a course", &e);
            return -1;
        }
        if (rc != 1) {
            web_reply_error(r, 404, "not_found", web_text_tpl(r, web_t(r, "plan.err.course"), course, NULL), "course");
            return -1;
        }
        course_id = c.id;
        store_course_clear(&c);
    }
    if (store_plan_action_add(db, plan_id, item, kind, course_id, title && *title ? title : NULL, due,
                              r->user->login, id, &e) < 0) {
        if (strcmp(e.path, "item") == 0 && e.code == ERR_NOT_FOUND) {
            char n[24];
            snprintf(n, sizeof n, "%lld", (long long)item);
            web_reply_error(r, 404, "not_found", web_text_tpl(r, web_t(r, "plan.err.item"), n, NULL), "item");
        } else {
            web_plan_refusal(r, &e, "adding an action");
        }
        return -1;
    }
    return 0;
}

/* Sets the status of action of person_id's plan. 0, or -1 after answering. */
int web_plan_action_status(web_request *r, int64_t person_id, int64_t action, const char *status,
                           const char *completed_on)
{
    int64_t plan_id = web_plan_of(r, person_id);
    store *db = plan_id > 0 ? web_store(r) : NULL;
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    if (store_plan_action_set_status(db, plan_id, action, status ? status : "", completed_on, &e) < 0) {
        if (strcmp(e.path, "action") == 0 && e.code == ERR_NOT_FOUND) {
            char n[24];
            snprintf(n, sizeof n, "%lld", (long long)action);
            web_reply_error(r, 404, "not_found", web_text_tpl(r, web_t(r, "plan.err.action"), n, NULL), "action");
        } else {
            web_plan_refusal(r, &e, "an action's status");
        }
        return -1;
    }
    return 0;
}

/* Comments on (approve: approves, the comment optional) person_id's plan as
 * r's user: approving, and commenting on someone else's plan, need the
 * reviewing rule. 0, or -1 after answering. */
int web_plan_review(web_request *r, int64_t person_id, int approve, const char *comment)
{
    int own = r->user && r->user->person_id == person_id;
    if ((approve || !own) && web_require_reviewer(r, person_id) <= 0)
        return -1;
    int64_t plan_id = web_plan_of(r, person_id);
    store *db = plan_id > 0 ? web_store(r) : NULL;
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    const char *body = comment && *comment ? comment : NULL;
    int rc = approve ? store_plan_approve(db, plan_id, r->user->login, body, &e)
                     : store_plan_comment_add(db, plan_id, r->user->login, body ? body : "", &e);
    if (rc < 0) {
        web_plan_refusal(r, &e, approve ? "approving a plan" : "a comment");
        return -1;
    }
    return 0;
}

/* ---- The page ------------------------------------------------------------------------------- */

/* What the page shows. */
typedef struct plan_page {
    int64_t person_id;
    store_person person;
    int may_change, reviewer;
    json_t *plan;                   /* NULL: no plan yet */
    store_course_list courses;
    const web_eval *ev;
} plan_page;

static void plan_page_free(void *p)
{
    store_person_clear(&((plan_page *)p)->person);
}

/* Gathers the page of person_id; NULL after answering. */
static plan_page *build_page(web_request *r, int64_t person_id)
{
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return NULL;
    plan_page *pp = web_alloc(r, sizeof *pp);
    pp->person_id = person_id;
    pp->ev = ev;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_person_get(db, person_id, &pp->person, &e);
    if (rc != 1) {
        if (rc == 0)
            web_reply_404(r);
        else
            web_store_failed(r, "a person", &e);
        return NULL;
    }
    web_defer(r, plan_page_free, pp);
    if ((pp->may_change = may_change(r, person_id)) < 0 || (pp->reviewer = web_may_review_person(r, person_id)) < 0)
        return NULL;
    if (web_plan_json(r, person_id, &pp->plan) < 0)
        return NULL;
    if (store_course_list_all(db, &pp->courses, &e) < 0) {
        web_store_failed(r, "the training catalog", &e);
        return NULL;
    }
    web_defer(r, release_courses, &pp->courses);
    return pp;
}

/* The message key of an action kind or status. Static. */
static const char *kind_key(const char *kind)
{
    for (size_t i = 0; i < 4; i++)
        if (kind && strcmp(kind, action_kinds[i]) == 0) {
            static const char *const keys[] = { "plan.kind.course", "plan.kind.ojt", "plan.kind.qualification",
                                                "plan.kind.self_study" };
            return keys[i];
        }
    return "plan.kind.course";
}

static const char *state_key(const char *state)
{
    for (size_t i = 0; i < 4; i++)
        if (state && strcmp(state, action_states[i]) == 0) {
            static const char *const keys[] = { "plan.action.planned", "plan.action.in_progress", "plan.action.done",
                                                "plan.action.dropped" };
            return keys[i];
        }
    return "plan.action.planned";
}

/* The target card: target, status, level now, progress, and the target form. */
static void put_target(web_request *r, const plan_page *pp)
{
    const char *base = plan_path(r, pp->person_id);
    char action[80];
    snprintf(action, sizeof action, "/people/%lld/plan/target", (long long)pp->person_id);
    html_printf(r->out, "<section class=\"card plan-target\" aria-labelledby=\"plan-target-h\">\n"
                        "<h2 id=\"plan-target-h\">%s</h2>\n", web_t(r, "plan.target"));
    const json_t *t = pp->plan ? json_object_get(pp->plan, "target") : NULL;
    const char *spec_id = t ? jstr(t, "specialization") : NULL;
    if (pp->plan) {
        const char *status = jstr(pp->plan, "status");
        char lv[16];
        snprintf(lv, sizeof lv, "%lld", jint(t, "level"));
        const char *spec_name = jstr(t, "specialization_name");
        html_raw(r->out, "<p class=\"plan-target-text\"><strong>");
        web_html_tpl(r->out, web_t(r, "plan.target_text"), spec_name ? spec_name : spec_id, lv, jstr(t, "date"), NULL);
        html_printf(r->out, "</strong> <span class=\"badge %s\">%s</span></p>\n",
                    strcmp(status, "approved") == 0 ? "approved" : "draft",
                    web_t(r, strcmp(status, "approved") == 0 ? "plan.status.approved" : "plan.status.draft"));
        if (jstr(pp->plan, "approved_by")) {
            html_raw(r->out, "<p>");
            web_html_tpl(r->out, web_t(r, "plan.approved_by"), jstr(pp->plan, "approved_by"),
                         jstr(pp->plan, "approved_at"), NULL);
            html_raw(r->out, "</p>\n");
        }
        char reached[48];
        web_reached_label(r, (int)jint(pp->plan, "current_level"), reached, sizeof reached);
        html_printf(r->out, "<dl class=\"plan-facts\"><dt>%s</dt><dd>%s</dd>\n", web_t(r, "plan.current"), reached);
        if (jstr(pp->plan, "assessed_cycle"))
            html_printf(r->out, "<dt>%s</dt><dd>%s</dd>\n", web_t(r, "plan.assessed"), jstr(pp->plan, "assessed_cycle"));
        else
            html_printf(r->out, "<dt>%s</dt><dd>%s</dd>\n", web_t(r, "plan.assessed"), web_t(r, "plan.no_assessment"));
        const json_t *pr = json_object_get(pp->plan, "progress");
        char n[5][24];
        const char *keys[5] = { "items", "closed", "actions", "done", "overdue" };
        for (int i = 0; i < 5; i++)
            snprintf(n[i], sizeof n[i], "%lld", jint(pr, keys[i]));
        html_printf(r->out, "<dt>%s</dt><dd><progress id=\"plan-progress\" max=\"%lld\" value=\"%lld\" "
                            "aria-label=\"%s\"></progress> <span class=\"plan-progress-text\">",
                    web_t(r, "plan.progress"), jint(pr, "items") ? jint(pr, "items") : 1, jint(pr, "closed"),
                    web_t(r, "plan.progress"));
        web_html_tpl(r->out, web_t(r, "plan.progress_text"), n[0], n[1], n[2], n[3], n[4], NULL);
        html_raw(r->out, "</span></dd></dl>\n");
    } else {
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "plan.none"));
    }
    if (pp->may_change) {
        html_form_post(r, action);
        html_hidden(r, "next", base);
        html_select_begin(r, "specialization", web_t(r, "plan.spec"), NULL, 0);
        for (size_t i = 0; i < catalog_spec_count(pp->ev->catalog); i++) {
            const catalog_spec *s = catalog_spec_at(pp->ev->catalog, i);
            html_option(r, s->code, s->name, spec_id && strcmp(spec_id, s->id) == 0);
        }
        html_select_end(r, "specialization", NULL);
        html_select_begin(r, "level", web_t(r, "plan.level"), NULL, 0);
        for (int l = 1; l <= 7; l++) {
            char v[8], label[32];
            snprintf(v, sizeof v, "%d", l);
            web_level_label(r, l, label, sizeof label);
            html_option(r, v, label, t && jint(t, "level") == l);
        }
        html_select_end(r, "level", NULL);
        html_input in = { .type = "date", .name = "date", .label = web_t(r, "plan.date"),
                          .value = t ? jstr(t, "date") : NULL, .required = 1 };
        html_field(r, &in);
        if (pp->plan)
            html_printf(r->out, "<p class=\"hint\">%s</p>\n", web_t(r, "plan.set_target_note"));
        html_submit(r, web_t(r, "plan.set_target"));
        html_form_end(r);
    }
    html_raw(r->out, "</section>\n");
}

/* The actions of item_id (0: the plan as a whole), with status forms for those who may change the plan. */
static void put_actions(web_request *r, const plan_page *pp, long long item_id)
{
    size_t i, n = 0;
    json_t *a;
    json_array_foreach(json_object_get(pp->plan, "actions"), i, a) {
        const json_t *it = json_object_get(a, "item_id");
        if ((json_is_integer(it) ? json_integer_value(it) : 0) != item_id)
            continue;
        if (n++ == 0 && item_id == 0)
            html_printf(r->out, "<h3>%s</h3>\n", web_t(r, "plan.whole"));
        if (n == 1)
            html_raw(r->out, "<ul class=\"plan-actions\">\n");
        const char *state = jstr(a, "status");
        html_printf(r->out, "<li class=\"plan-action\" data-action=\"%lld\"><span class=\"badge\">%s</span> ",
                    jint(a, "id"), web_t(r, kind_key(jstr(a, "kind"))));
        if (jstr(a, "course"))
            html_printf(r->out, "<span class=\"id\">%s</span> ", jstr(a, "course"));
        html_printf(r->out, "%s — %s %s <span class=\"action-state\">%s</span>", jstr(a, "title"),
                    web_t(r, "plan.due"), jstr(a, "due"), web_t(r, state_key(state)));
        if (json_is_true(json_object_get(a, "overdue")))
            html_printf(r->out, " <span class=\"unmet\">%s</span>", web_t(r, "plan.overdue"));
        if (jstr(a, "completed_on")) {
            html_raw(r->out, " <span class=\"muted\">");
            web_html_tpl(r->out, web_t(r, "plan.completed"), jstr(a, "completed_on"), NULL);
            if (jstr(a, "grade")) {
                html_raw(r->out, " ");
                web_html_tpl(r->out, web_t(r, "plan.grade"), jstr(a, "grade"), NULL);
            }
            html_raw(r->out, "</span>");
        }
        if (pp->may_change) {
            char action[96];
            snprintf(action, sizeof action, "/people/%lld/plan/actions/%lld", (long long)pp->person_id, jint(a, "id"));
            html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline-form\">", action);
            html_csrf_field(r);
            html_hidden(r, "next", plan_path(r, pp->person_id));
            html_printf(r->out, "<label class=\"visually-hidden\" for=\"st-%lld\">%s</label>"
                                "<select id=\"st-%lld\" name=\"status\">", jint(a, "id"), web_t(r, "plan.action_status"),
                        jint(a, "id"));
            for (size_t k = 0; k < 4; k++)
                html_option(r, action_states[k], web_t(r, state_key(action_states[k])), strcmp(state, action_states[k]) == 0);
            html_printf(r->out, "</select> <button type=\"submit\" class=\"secondary\">%s</button></form>",
                        web_t(r, "plan.set_status"));
        }
        html_raw(r->out, "</li>\n");
    }
    if (n)
        html_raw(r->out, "</ul>\n");
}

/* One item: closed or open, its label and element, the standard's words, its
 * actions and the courses that cover it. */
static void put_item(web_request *r, const plan_page *pp, const json_t *it)
{
    int closed = json_is_true(json_object_get(it, "closed"));
    html_printf(r->out, "<li class=\"plan-item %s\" id=\"item-%lld\" data-element=\"%s\">\n<p class=\"plan-item-head\">"
                        "<span class=\"badge %s\">%s</span> <strong>%s</strong> <span class=\"id\">%s</span>",
                closed ? "closed" : "open", jint(it, "id"), jstr(it, "element_id"), closed ? "approved" : "returned",
                web_t(r, closed ? "plan.closed" : "plan.open"), jstr(it, "label") ? jstr(it, "label") : "",
                jstr(it, "element_id"));
    if (closed && jstr(pp->plan, "assessed_cycle")) {
        html_raw(r->out, " <span class=\"met\">");
        web_html_tpl(r->out, web_t(r, "plan.closed_by"), jstr(pp->plan, "assessed_cycle"), NULL);
        html_raw(r->out, "</span>");
    }
    html_raw(r->out, "</p>\n<blockquote class=\"standard-text\">");
    if (jstr(it, "text"))
        html_lines(r, jstr(it, "text"));
    else
        html_printf(r->out, "%s", web_t(r, "plan.experience_text"));
    html_raw(r->out, "</blockquote>\n");
    put_actions(r, pp, jint(it, "id"));
    const json_t *sugg = json_object_get(it, "suggested_courses");
    if (json_array_size(sugg)) {
        html_printf(r->out, "<p class=\"plan-suggested\">%s: ", web_t(r, "plan.suggested"));
        size_t k;
        json_t *c;
        json_array_foreach(sugg, k, c)
            html_printf(r->out, "%s<span class=\"id\">%s</span> %s", k ? "、" : "", jstr(c, "code"), jstr(c, "title"));
        html_raw(r->out, "</p>\n");
    }
    html_raw(r->out, "</li>\n");
}

/* The form adding an action: item, kind, course, title, due. */
static void put_action_form(web_request *r, const plan_page *pp)
{
    char action[80];
    snprintf(action, sizeof action, "/people/%lld/plan/actions", (long long)pp->person_id);
    html_printf(r->out, "<section class=\"card\" aria-labelledby=\"add-action-h\" id=\"add-action\">\n"
                        "<h2 id=\"add-action-h\">%s</h2>\n", web_t(r, "plan.add_action"));
    html_form_post(r, action);
    html_hidden(r, "next", plan_path(r, pp->person_id));
    html_select_begin(r, "item", web_t(r, "plan.item"), NULL, 0);
    html_option(r, "0", web_t(r, "plan.whole"), 0);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(pp->plan, "items"), i, it) {
        if (json_is_true(json_object_get(it, "closed")))
            continue;
        char v[24], label[400];
        snprintf(v, sizeof v, "%lld", jint(it, "id"));
        const char *text = jstr(it, "text") ? jstr(it, "text") : web_t(r, "plan.experience_text");
        snprintf(label, sizeof label, "%s %s: %.240s", jstr(it, "label") ? jstr(it, "label") : "",
                 jstr(it, "element_id"), text);
        html_option(r, v, label, 0);
    }
    html_select_end(r, "item", NULL);
    html_select_begin(r, "kind", web_t(r, "plan.kind"), NULL, 0);
    for (size_t k = 0; k < 4; k++)
        html_option(r, action_kinds[k], web_t(r, kind_key(action_kinds[k])), k == 0);
    html_select_end(r, "kind", NULL);
    html_select_begin(r, "course", web_t(r, "plan.course"), NULL, 0);
    html_option(r, "", web_t(r, "plan.course_none"), 0);
    for (size_t k = 0; k < pp->courses.count; k++) {
        char label[400];
        snprintf(label, sizeof label, "%s %s", pp->courses.items[k].code, pp->courses.items[k].title);
        html_option(r, pp->courses.items[k].code, label, 0);
    }
    html_select_end(r, "course", NULL);
    html_input title = { .name = "title", .label = web_t(r, "plan.action_title"),
                         .hint = web_t(r, "plan.action_title_hint"), .maxlength = 400 };
    html_field(r, &title);
    html_input due = { .type = "date", .name = "due", .label = web_t(r, "plan.due"), .required = 1 };
    html_field(r, &due);
    html_submit(r, web_t(r, "plan.add_action"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
}

/* Comments, and the forms: comment (the person, a reviewer), approve (a reviewer). */
static void put_review(web_request *r, const plan_page *pp)
{
    html_printf(r->out, "<section class=\"card\" aria-labelledby=\"plan-review-h\" id=\"plan-review\">\n"
                        "<h2 id=\"plan-review-h\">%s</h2>\n<p class=\"muted\">%s</p>\n",
                web_t(r, "plan.review"), web_t(r, "plan.review_rule"));
    const json_t *comments = json_object_get(pp->plan, "comments");
    if (!json_array_size(comments))
        html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "plan.comments_none"));
    else
        html_raw(r->out, "<ol class=\"comments\">\n");
    size_t i;
    json_t *c;
    json_array_foreach(comments, i, c) {
        html_printf(r->out, "<li><p class=\"meta\"><strong>%s</strong> <span class=\"muted\">%s</span>", jstr(c, "author"),
                    jstr(c, "at"));
        if (strcmp(jstr(c, "kind"), "approve") == 0)
            html_printf(r->out, " <span class=\"badge approved\">%s</span>", web_t(r, "plan.comment_kind.approve"));
        html_raw(r->out, "</p>\n<p>");
        html_lines(r, jstr(c, "body"));
        html_raw(r->out, "</p></li>\n");
    }
    if (json_array_size(comments))
        html_raw(r->out, "</ol>\n");
    int own = r->user && r->user->person_id == pp->person_id;
    char action[80];
    if (own || pp->reviewer) {
        snprintf(action, sizeof action, "/people/%lld/plan/comments", (long long)pp->person_id);
        html_form_post(r, action);
        html_hidden(r, "next", plan_path(r, pp->person_id));
        html_printf(r->out, "<div class=\"field\"><label for=\"f-comment\">%s</label>\n"
                            "<textarea id=\"f-comment\" name=\"comment\" rows=\"3\" maxlength=\"4000\" required></textarea></div>\n",
                    web_t(r, "plan.comment"));
        html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button>\n", web_t(r, "plan.comment_add"));
        html_form_end(r);
    }
    if (pp->reviewer && strcmp(jstr(pp->plan, "status"), "approved") != 0) {
        snprintf(action, sizeof action, "/people/%lld/plan/approve", (long long)pp->person_id);
        html_form_post(r, action);
        html_hidden(r, "next", plan_path(r, pp->person_id));
        html_printf(r->out, "<div class=\"field\"><label for=\"f-approve-comment\">%s</label>\n"
                            "<textarea id=\"f-approve-comment\" name=\"comment\" rows=\"2\" maxlength=\"4000\"></textarea></div>\n",
                    web_t(r, "plan.approve_comment"));
        html_submit(r, web_t(r, "plan.approve"));
        html_form_end(r);
    }
    html_raw(r->out, "</section>\n");
}

/* The whole page of person_id. */
static void plan_page_render(web_request *r, int64_t person_id)
{
    plan_page *pp = build_page(r, person_id);
    if (!pp)
        return;
    char title[400];
    snprintf(title, sizeof title, "%s", web_text_tpl(r, web_t(r, "plan.title_of"), pp->person.name,
                                                      pp->person.employee_number, NULL));
    html_begin(r, title);
    html_printf(r->out, "<h1>%s</h1>\n<p class=\"lead\">%s</p>\n", title, web_t(r, "plan.lead"));
    if (r->user->person_id != person_id)
        html_printf(r->out, "<p><a href=\"/people/%lld/results\">%s</a></p>\n", (long long)person_id,
                    web_t(r, "plan.to_results"));
    put_target(r, pp);
    if (pp->plan) {
        html_printf(r->out, "<section class=\"card\" aria-labelledby=\"plan-items-h\">\n<h2 id=\"plan-items-h\">%s</h2>\n"
                            "<p class=\"muted\">%s</p>\n", web_t(r, "plan.items"), web_t(r, "plan.items_note"));
        put_actions(r, pp, 0);
        html_raw(r->out, "<ol class=\"plan-items\">\n");
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(pp->plan, "items"), i, it)
            put_item(r, pp, it);
        html_raw(r->out, "</ol>\n</section>\n");
        if (pp->may_change)
            put_action_form(r, pp);
        put_review(r, pp);
    }
    web_qualifications_html(r, person_id, NULL, pp->may_change);
    html_end(r);
}

/* GET /plan  My development plan. */
void web_page_plan(web_request *r)
{
    int64_t id = 0;
    if (web_own_person(r, &id) < 0)
        return;
    plan_page_render(r, id);
}

/* GET /people/:id/plan  A person's development plan (whoever may see the person). */
void web_page_person_plan(web_request *r)
{
    int64_t id;
    if (web_path_person(r, &id) < 0)
        return;
    plan_page_render(r, id);
}

/* ---- The forms ------------------------------------------------------------------------------ */

/* Back to the page the form came from (a local path), else to the plan. */
static void done(web_request *r, int64_t person_id)
{
    const char *next = web_form(r, "next");
    web_redirect(r, next && web_is_local_path(next) ? next : plan_path(r, person_id));
}

/* POST /people/:id/plan/target  specialization, level, date. */
void web_page_plan_target_post(web_request *r)
{
    int64_t id = web_plan_editor(r);
    if (id < 0)
        return;
    int64_t level = 0;
    const char *lv = web_form(r, "level");
    if (!lv || !web_parse_int(lv, 1, 99, &level)) {
        web_reply_400(r, web_t(r, "plan.level"), "level");
        return;
    }
    if (web_plan_set_target(r, id, web_form(r, "specialization"), level, web_form(r, "date")) == 0)
        done(r, id);
}

/* POST /people/:id/plan/actions  item, kind, course, title, due. */
void web_page_plan_action_post(web_request *r)
{
    int64_t id = web_plan_editor(r);
    if (id < 0)
        return;
    int64_t item = 0, action = 0;
    const char *it = web_form(r, "item");
    if (it && *it && !web_parse_int(it, 0, INT64_MAX, &item)) {
        web_reply_400(r, web_t(r, "plan.item"), "item");
        return;
    }
    const char *kind = web_form(r, "kind"), *course = web_form(r, "course");
    if (kind && strcmp(kind, "course") != 0)
        course = NULL;              /* the course select keeps its value when another kind is chosen */
    if (web_plan_add_action(r, id, item, kind, course, web_form(r, "title"), web_form(r, "due"), &action) == 0)
        done(r, id);
}

/* POST /people/:id/plan/actions/:action  status. */
void web_page_plan_action_status_post(web_request *r)
{
    int64_t id = web_plan_editor(r), action;
    if (id < 0 || web_path_param_id(r, "action", &action) < 0)
        return;
    if (web_plan_action_status(r, id, action, web_form(r, "status"), NULL) == 0)
        done(r, id);
}

/* POST /people/:id/plan/comments  comment. */
void web_page_plan_comment_post(web_request *r)
{
    int64_t id = web_plan_editor(r);
    if (id < 0)
        return;
    if (web_plan_review(r, id, 0, web_form(r, "comment")) == 0)
        done(r, id);
}

/* POST /people/:id/plan/approve  comment (optional). */
void web_page_plan_approve_post(web_request *r)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return;
    if (web_plan_review(r, id, 1, web_form(r, "comment")) == 0)
        done(r, id);
}
