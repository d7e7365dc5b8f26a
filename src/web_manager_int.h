/* web_manager_int.h - what the two files of the manager's page group share,
 * and no other file includes (SQLite's *_int.h, as web_diagnosis_int.h): the
 * team and a member's review with their decisions, in web_manager.c (the
 * pages), and their JSON API in web_manager_api.c. */
#ifndef ITSS_WEB_MANAGER_INT_H
#define ITSS_WEB_MANAGER_INT_H

#include <stddef.h>
#include <stdint.h>
#include "assessment.h"
#include "engine.h"
#include "store.h"
#include "store_team.h"
#include "web.h"
#include "web_kit.h"

#define RATING_AGREE (-2)       /* a rating_change's value: agree with the self-rating */

/* One change of the reviewer's decision: value -1 removes the answer and the
 * agreement (undecided), RATING_AGREE agrees with the self-rating. */
typedef struct rating_change {
    const char *element_id;
    int value;
} rating_change;

typedef struct team_member {
    const store_person *person;
    int has_assessment;
    store_assessment assessment;
    int *levels;                     /* n_specs, -1: not evaluated */
    int state;                       /* store_team_state */
    const char *submitted_at;        /* the last submission (UTC), or NULL */
} team_member;

/* The team as the page and the API show it. */
typedef struct team {
    const web_eval *ev;
    store_cycle cycle;               /* the cycle shown; id 0 when there is none */
    store_org_list units;            /* the units the user may filter by (empty: no filter) */
    const store_org_unit *org;       /* the unit filtered by, or NULL */
    store_person_list people;        /* this page's, in the order asked for */
    store_team_list rows;            /* the same people with their state */
    int state;                       /* ?status=: a store_team_state, TEAM_STATE_ANY */
    int sort;                        /* ?sort=: a store_team_sort */
    team_member *members;
    size_t n_members;
    int64_t total;                   /* people in reach and filter, without the user */
    int64_t others;                  /* the same (kept for the API's "total") */
    int64_t page, pages;
    size_t n_specs;
    int self_levels;                 /* ?levels=self: self-assessed; else official levels */
} team;

/* What the review page shows. */
typedef struct review {
    const web_eval *ev;
    store_person person;
    int has_assessment;
    store_assessment assessment;
    assessment *answers;
    assessment *reviewed;            /* answers with the agreements applied: manager = the reviewed ratings */
    store_agreement_list agreed;     /* elements whose self-rating the reviewer agreed with */
    size_t undecided;                /* achievement elements with neither a rating nor an agreement */
    const char *first_undecided;     /* in answers */
    engine_result *self, *manager;   /* manager: the reviewed ratings */
    const engine_spec *selected;     /* in self */
    int *diagnosed;                  /* per catalog specialization: diagnosed in it (store_diagnosed_specs) */
    store_comment_list comments;
    /* What of the selected specialization the page shows (issue 12, defect 9: one
     * page of 24,000 px): "achievement", "proficiency" or "knowledge" (then of
     * skill area `area`, a code), and only the rows whose ratings differ. */
    const char *part, *area;
    int only_differences;
} review;

/* One person of a bulk approval (web_manager_bulk.c). */
typedef struct bulk_outcome {
    int64_t person_id;
    store_person person;             /* for the confirm page; empty when unknown */
    store_assessment assessment;     /* of the cycle; empty when none */
    const char *code;                /* NULL: approved (or approvable); else why not: "not_reviewer",
                                      * "not_submitted", "review_incomplete", "conflict" */
    const char *message;             /* the reason in the request's language */
} bulk_outcome;

typedef struct bulk_result {
    bulk_outcome *items;             /* each person once, in the order asked */
    size_t count, refused;
    int done;                        /* 1: every one approved and committed */
} bulk_result;

/* Approves the submitted diagnoses of people[0..n) in cycle_id through
 * review_approve (what a single approval does), in one transaction: all of
 * them, or, when dry_run or when any is refused, none (the transaction rolled
 * back; each refusal with its reason). The result is the request's; NULL
 * after answering (503). */
bulk_result *manager_bulk_approve(web_request *r, int64_t cycle_id, const int64_t *people, size_t n,
                                  const char *comment, int dry_run);

/* The decimal text of n in request memory. */
const char *manager_num(web_request *r, long long n);

/* The :id of the route as a person the user may review, or -1 after
 * answering (404 for a malformed id, 403 when out of reach or their own). */
int64_t manager_reviewed_person(web_request *r);

/* The element a reviewer rates, checked against the catalog (review.h). */
int manager_ratable(const web_eval *ev, const char *element_id, int *max);

/* Saves changes as the reviewer's decisions on assessment a in one
 * transaction, actor the user's login; then, when agree_rest, agrees with the
 * self-rating of every element still undecided. 0, or -1 after answering (409
 * once approved, 503). */
int manager_save_rating(web_request *r, const store_assessment *a, const rating_change *changes, size_t n,
                        int agree_rest);

/* Adds a comment of kind by the user to assessment a. 0, or -1 after
 * answering (400 naming "body" when it is empty or too long, 503). */
int manager_add_comment(web_request *r, const store_assessment *a, store_comment_kind kind, const char *body,
                        const char *field, int64_t *id);

/* Moves assessment a from submitted to `to` (returned or approved), with a
 * comment (required for a return), in one transaction. 0, or -1 after
 * answering (409 when a is not submitted, 400 for a missing comment, 503). */
int manager_decide(web_request *r, const store_assessment *a, assessment_status to, const char *comment,
                  const char *field);

/* Gathers the team of r's user: people in reach (web_people_scope), narrowed by
 * ?org=CODE within reach, one page of them, with this cycle's status and levels.
 * NULL after answering. */
team *manager_build_team(web_request *r);

/* Gathers the review of person_id in the cycle `cycle` names (NULL: the latest),
 * the specialization `spec` names (NULL: the highest self level). NULL after
 * answering. */
review *manager_build_review(web_request *r, int64_t person_id, const char *cycle, const char *spec);

/* The assessment a POST is about: form field "cycle" (else the latest). 0, or
 * -1 after answering (404 when there is none, 503). */
int manager_posted_assessment(web_request *r, int64_t person_id, const char *cycle, store_assessment *out);

/* Clears the store_assessment a points to (for web_defer; its memory is the request's). */
void manager_clear_assessment(void *a);

/* Whether r's user may write in person_id's thread: a reviewer of the person,
 * or the person themself. 0, or -1 after answering (403, 503). */
int manager_may_comment(web_request *r, int64_t person_id);

#endif
