/* plans.h - development plans over the store, shared by the command line, the
 * web pages and the API: setting a target (the gap read from the person's
 * latest assessment), the plan as it stands now (each item closed or still
 * open by the latest evaluation, courses that cover it), who may review a
 * plan (review.h's rule), and its JSON. plan.h holds the pure rules; store_plan.h the rows. */
#ifndef ITSS_PLANS_H
#define ITSS_PLANS_H

#include <stdint.h>
#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "plan.h"
#include "policy.h"
#include "review.h"
#include "store.h"
#include "store_plan.h"

struct json_t;

/* Sets person_id's target to level of spec by date (not before today) and
 * makes the plan's items from the gap of the person's latest assessment (or of
 * an empty one when there is none yet). 0 with *plan_id, or -1 with *e naming
 * the field (level, date, ...); nothing written then. */
int plans_set_target(store *db, const catalog *c, const policy *p, int64_t person_id, const catalog_spec *spec,
                     int level, const char *date, const char *today, const char *actor, int64_t *plan_id, err *e);

/* A plan as it stands: the stored plan, the latest assessment evaluated, and
 * for each item whether the gap closed since. */
typedef struct plans_view {
    store_plan plan;
    store_person person;
    const catalog_spec *spec;
    int current_level;               /* the level reached now in the plan's specialization (0: 未到達) */
    char *assessed_cycle;            /* the cycle of the latest assessment; NULL when none */
    int64_t assessment_id;           /* the latest assessment, 0 when none */
    unsigned char *closed;           /* per plan item: 1 when the latest evaluation no longer lacks it */
    size_t n_closed;                 /* items closed */
    const catalog *catalog;
    const policy *policy;
} plans_view;

/* Loads the plan of person_id as it stands: 1 found, 0 no plan (e says so), -1. */
int plans_view_load(store *db, const catalog *c, const policy *p, int64_t person_id, plans_view *v, err *e);
void plans_view_free(plans_view *v);

/* The plan as JSON (new reference): target, status, items in the standard's
 * words with closed or open and their actions, suggested courses for open
 * items (from db's training catalog), comments, progress counts, overdue
 * actions (before today). */
struct json_t *plans_view_json(store *db, const plans_view *v, const char *today);

/* Who reviews (comments on as reviewer, approves) a plan: review.h's one rule,
 * the same as for a diagnosis (a manager above the person in the reporting line,
 * or HR; never the person, never someone the person manages). role_name is a
 * user's role ("hr", "manager", ...). 1 yes, 0 no with *why, -1 failed. */
int plans_may_review(store *db, const char *role_name, int64_t reviewer_person_id, int64_t person_id,
                     review_refusal *why, err *e);

#endif
