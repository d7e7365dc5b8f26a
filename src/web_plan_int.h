/* web_plan_int.h - what the pages of development plans (web_plan.c) and
 * qualifications (web_qualification.c) share with their API (web_plan_api.c);
 * no other file includes it. Each function that
 * fails has answered the request (an error page, or JSON on API routes). */
#ifndef ITSS_WEB_PLAN_INT_H
#define ITSS_WEB_PLAN_INT_H

#include <stdint.h>
#include "err.h"
#include "web.h"

struct json_t;

/* The :id of a request that changes a plan, once r's user may see the person
 * and change their plan (the person, or someone who may review them); -1
 * after answering (404, 403, 503). */
int64_t web_plan_editor(web_request *r);
/* Answers a refusal of plans.c or the store (400/422, 404, 409 naming the
 * field, worded in the request's language) or a store failure (503). */
void web_plan_refusal(web_request *r, const err *e, const char *what);
/* person_id's plan as JSON (plans_view_json; request memory): 1, 0 no plan
 * (nothing answered), -1 after answering. */
int web_plan_json(web_request *r, int64_t person_id, struct json_t **out);
/* Answers person_id's plan as {"plan": ...} with status; 404 when there is none. */
void web_plan_reply(web_request *r, int64_t person_id, int status);
/* The id of person_id's plan; -1 after answering 404 (no plan) or 503. */
int64_t web_plan_of(web_request *r, int64_t person_id);
/* Sets the target (spec: a code, id or name). 0, or -1 after answering. */
int web_plan_set_target(web_request *r, int64_t person_id, const char *spec, int64_t level, const char *date);
/* Adds an action (item 0: the plan as a whole; course a code or NULL). 0 with *id, or -1 after answering. */
int web_plan_add_action(web_request *r, int64_t person_id, int64_t item, const char *kind, const char *course,
                        const char *title, const char *due, int64_t *id);
/* Sets an action's status (completed_on NULL: today when done). 0, or -1 after answering. */
int web_plan_action_status(web_request *r, int64_t person_id, int64_t action, const char *status,
                           const char *completed_on);
/* Comments on, or approves (review.h's rule; the person may comment on their own), person_id's plan.
 * 0, or -1 after answering. */
int web_plan_review(web_request *r, int64_t person_id, int approve, const char *comment);

/* web_qualification.c: records a qualification of the :id person (exam: an IPA
 * code; else vendor code and name) and answers 201 with their qualifications,
 * or answers the refusal (403, 422 naming the field, 503). */
void web_qualification_add_reply(web_request *r, const char *exam, const char *vendor_code, const char *vendor_name,
                                 const char *obtained_on, const char *expires_on);

#endif
