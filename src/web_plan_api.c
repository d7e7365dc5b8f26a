/* web_plan_api.c - development plans (育成計画) as JSON: the API twins of
 * web_plan.c's pages, over the same functions (web_plan_int.h), so the pages
 * and the API apply the same rules (docs/plans.md, the OpenAPI document).
 *
 *   GET   /api/v1/me/plan                              my plan
 *   GET   /api/v1/people/:id/plan                      a person's plan
 *   PUT   /api/v1/people/:id/plan/target               {"specialization", "level", "date"}
 *   POST  /api/v1/people/:id/plan/actions              {"item"?, "kind", "course"?, "title"?, "due"}
 *   PATCH /api/v1/people/:id/plan/actions/:action      {"status", "completed_on"?}
 *   POST  /api/v1/people/:id/plan/comments             {"comment"}
 *   POST  /api/v1/people/:id/plan/approve              {"comment"?}
 *   POST  /api/v1/people/:id/qualifications            {"exam"} or {"vendor_code", "vendor_name"}, dates
 *
 * A plan's JSON is plans_view_json's: target, status, items in the standard's
 * words (closed or open, their actions, suggested courses), actions,
 * comments, progress. This file reads bodies with json.h; web_plan.c and
 * web_qualification.c write with jansson (the two do not share a file). */
#include "json.h"
#include "web_access.h"
#include "web_json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "web_plan_int.h"

#include <string.h>

/* GET /api/v1/me/plan  My development plan. */
void web_api_me_plan(web_request *r)
{
    int64_t id = 0;
    if (web_own_person(r, &id) == 0)
        web_plan_reply(r, id, 200);
}

/* GET /api/v1/people/:id/plan  A person's development plan. */
void web_api_person_plan(web_request *r)
{
    int64_t id;
    if (web_path_person(r, &id) < 0)
        return;
    web_plan_reply(r, id, 200);
}

/* PUT /api/v1/people/:id/plan/target  {"specialization", "level", "date"}: 200 with the plan. */
void web_api_plan_target(web_request *r)
{
    static const char *const known[] = { "specialization", "level", "date", NULL };
    const json_value *body = web_json_body(r, known);
    const char *spec = NULL, *date = NULL;
    int64_t level = 0;
    if (!body || web_json_string(r, body, "specialization", &spec) < 0
        || web_json_int(r, body, "level", 1, 99, &level) < 0 || web_json_string(r, body, "date", &date) < 0)
        return;
    if (!level) {
        web_json_invalid(r, "level", web_t(r, "plan.level"));
        return;
    }
    int64_t id = web_plan_editor(r);
    if (id < 0 || web_plan_set_target(r, id, spec, level, date) < 0)
        return;
    web_plan_reply(r, id, 200);
}

/* POST /api/v1/people/:id/plan/actions  {"item"?, "kind", "course"?, "title"?, "due"}: 201 with the plan. */
void web_api_plan_action_add(web_request *r)
{
    static const char *const known[] = { "item", "kind", "course", "title", "due", NULL };
    const json_value *body = web_json_body(r, known);
    const char *kind = NULL, *course = NULL, *title = NULL, *due = NULL;
    int64_t item = 0, action = 0;
    if (!body || web_json_int(r, body, "item", 0, INT64_MAX, &item) < 0 || web_json_string(r, body, "kind", &kind) < 0
        || web_json_string(r, body, "course", &course) < 0 || web_json_string(r, body, "title", &title) < 0
        || web_json_string(r, body, "due", &due) < 0)
        return;
    int64_t id = web_plan_editor(r);
    if (id < 0 || web_plan_add_action(r, id, item, kind, course, title, due, &action) < 0)
        return;
    web_plan_reply(r, id, 201);
}

/* PATCH /api/v1/people/:id/plan/actions/:action  {"status", "completed_on"?}: 200 with the plan. */
void web_api_plan_action_edit(web_request *r)
{
    static const char *const known[] = { "status", "completed_on", NULL };
    const json_value *body = web_json_body(r, known);
    const char *status = NULL, *on = NULL;
    if (!body || web_json_string(r, body, "status", &status) < 0 || web_json_string(r, body, "completed_on", &on) < 0)
        return;
    int64_t id = web_plan_editor(r), action;
    if (id < 0 || web_path_param_id(r, "action", &action) < 0 || web_plan_action_status(r, id, action, status, on) < 0)
        return;
    web_plan_reply(r, id, 200);
}

/* POST /api/v1/people/:id/plan/comments  {"comment"}: 201 with the plan. */
void web_api_plan_comment(web_request *r)
{
    static const char *const known[] = { "comment", NULL };
    const json_value *body = web_json_body(r, known);
    const char *comment = NULL;
    if (!body || web_json_string(r, body, "comment", &comment) < 0)
        return;
    int64_t id = web_plan_editor(r);
    if (id < 0 || web_plan_review(r, id, 0, comment) < 0)
        return;
    web_plan_reply(r, id, 201);
}

/* POST /api/v1/people/:id/plan/approve  {"comment"?}: 200 with the plan. */
void web_api_plan_approve(web_request *r)
{
    static const char *const known[] = { "comment", NULL };
    const json_value *body = web_json_body(r, known);
    const char *comment = NULL;
    if (!body || web_json_string(r, body, "comment", &comment) < 0)
        return;
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0 || web_plan_review(r, id, 1, comment) < 0)
        return;
    web_plan_reply(r, id, 200);
}

/* POST /api/v1/people/:id/qualifications  {"exam"} or {"vendor_code", "vendor_name"}, "obtained_on",
 * "expires_on"?: 201 with the person's qualifications. */
void web_api_qualification_add(web_request *r)
{
    static const char *const known[] = { "exam", "vendor_code", "vendor_name", "obtained_on", "expires_on", NULL };
    const json_value *body = web_json_body(r, known);
    const char *exam = NULL, *vcode = NULL, *vname = NULL, *on = NULL, *until = NULL;
    if (!body || web_json_string(r, body, "exam", &exam) < 0 || web_json_string(r, body, "vendor_code", &vcode) < 0
        || web_json_string(r, body, "vendor_name", &vname) < 0 || web_json_string(r, body, "obtained_on", &on) < 0
        || web_json_string(r, body, "expires_on", &until) < 0)
        return;
    web_qualification_add_reply(r, exam, vcode, vname, on, until);
}
