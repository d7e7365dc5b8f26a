/* web_access.h - whose data a user may see and act on.
 *
 * One rule for every page and API endpoint, so that no answer shows a person's
 * data to a user whose role does not reach that person:
 *   engineer       their own person only;
 *   manager        their own person, and the people of their org unit and the
 *                  units below it (and their direct reports wherever they sit);
 *   HR             every person;
 *   administrator  users and settings: no person's data unless it is their own.
 * Reviewing (the reviewer's rating and agreements, return, approve) follows
 * review.h's one rule instead, whatever a user may see: a manager above the
 * person in the reporting line, or HR; never the person themself, never someone
 * the person manages directly or indirectly. */
#ifndef ITSS_WEB_ACCESS_H
#define ITSS_WEB_ACCESS_H

#include <stdint.h>
#include "store.h"
#include "web.h"

/* 1 when r's user may see person_id's data, 0 when not, -1 when the database
 * failed (already answered with 503). */
int web_may_see_person(web_request *r, int64_t person_id);
/* The :id of the path as a person r's user may see (web_may_see_person): 0
 * with *id, or -1 after answering (404 when it is no id, 403 out of reach, 503). */
int web_path_person(web_request *r, int64_t *id);

/* 1 when r's user may review person_id's diagnosis (review_may_review), 0
 * when not (nothing answered), -1 on a database failure (answered). */
int web_may_review_person(web_request *r, int64_t person_id);

/* The same, answering a refusal: 1 when r's user may review person_id, 0
 * after answering 403 with code "not_reviewer" and a message naming the rule,
 * -1 after answering 503. */
int web_require_reviewer(web_request *r, int64_t person_id);

/* Narrows f to the people r's user may see (HR: unchanged). Returns 1 when the
 * user may list people at all (f then limits the list to their unit and below;
 * a manager without a unit sees direct reports), 0 when not (engineers and
 * administrators), -1 on a database failure (answered). */
int web_people_scope(web_request *r, store_person_filter *f);

#endif
