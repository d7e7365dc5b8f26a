/* store_plan.h - the store's training catalog, qualifications, training
 * results and development plans (schema version 5, docs/plans.md).
 *
 * The conventions of store.h hold: 0 success and -1 failure with *e naming what
 * was wrong; get/find 1 found, 0 not; strings in structs belong to the struct
 * and go with its *_clear / *_free; every change of several rows is one
 * transaction; dates "YYYY-MM-DD". Whether an element id names an element of
 * the catalog, and whether a date lies in the past, is for the caller who has
 * the catalog and the clock (plan.h); the store checks shapes and ownership. */
#ifndef ITSS_STORE_PLAN_H
#define ITSS_STORE_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"

/* ---- Training catalog (研修カタログ) ---- */

typedef struct store_course {
    int64_t id;
    char *code;                /* unique, no spaces: "HW-101" */
    char *title;
    char *provider;            /* NULL when none */
    int hours_tenths;          /* length in tenths of an hour (35 = 3.5 h) */
    char **covers;             /* element ids of skill areas and knowledge categories covered */
    size_t n_covers;
} store_course;

typedef struct store_course_list {
    store_course *items;
    size_t count;
} store_course_list;

/* Adds course c, or replaces the course with the same code (title, provider,
 * hours and what it covers), in one transaction. *id (may be NULL) gets its id. */
int store_course_put(store *s, const store_course *c, int64_t *id, err *e);
int store_course_find(store *s, const char *code, store_course *out, err *e);
int store_course_get(store *s, int64_t id, store_course *out, err *e);
/* Every course by code, with what each covers. */
int store_course_list_all(store *s, store_course_list *out, err *e);
/* The courses covering any of ids[0..n) (skill area or knowledge category ids), by code. */
int store_course_list_covering(store *s, const char *const *ids, size_t n, store_course_list *out, err *e);
void store_course_clear(store_course *c);
void store_course_list_free(store_course_list *l);

/* ---- Qualifications (資格) ---- */

typedef struct store_qualification {
    int64_t id;
    int64_t person_id;
    char *kind;                /* "ipa" (an IPA examination) or "vendor" */
    char *code;                /* IPA: the examination's code (FE); vendor: the certification's code */
    char *name;
    char *obtained_on;
    char *expires_on;          /* NULL: does not expire */
} store_qualification;

typedef struct store_qualification_list {
    store_qualification *items;
    size_t count;
} store_qualification_list;

/* Adds q (q->id ignored) to person q->person_id; an expiry before the date
 * obtained is refused. */
int store_qualification_add(store *s, const store_qualification *q, int64_t *id, err *e);
/* The person's qualifications, by date obtained. */
int store_qualification_list_person(store *s, int64_t person_id, store_qualification_list *out, err *e);
void store_qualification_list_free(store_qualification_list *l);

/* ---- Development plans (育成計画) ---- */

/* One thing between the person and the target, as the plan was made from the
 * gap: an element of the standard (check item, 責任性, proficiency description,
 * knowledge item) or a level's experience (element_id the level's id). */
typedef struct store_plan_item {
    int64_t id;
    char *element_id;
    char *kind;                /* "check_item", "responsibility", "experience", "proficiency", "knowledge_item" */
    int position;
} store_plan_item;

typedef struct store_plan_action {
    int64_t id;
    int64_t item_id;           /* 0: for the plan as a whole */
    char *kind;                /* "course", "ojt", "qualification", "self_study" */
    int64_t course_id;         /* courses only */
    char *course_code;         /* read only */
    char *title;
    char *due_on;
    char *status;              /* "planned", "in_progress", "done", "dropped" */
    char *completed_on;        /* NULL until done */
    char *grade;               /* from a training result; NULL when none */
} store_plan_action;

typedef struct store_plan_comment {
    int64_t id;
    char *author;
    char *kind;                /* "comment" or "approve" */
    char *body;
    char *created_at;
} store_plan_comment;

typedef struct store_plan {
    int64_t id;
    int64_t person_id;
    char *specialization_id;
    int target_level;
    char *target_date;
    char *catalog_id, *catalog_version;
    int64_t baseline_assessment_id;   /* the assessment the gap was read from; 0 when none */
    char *status;              /* "draft" or "approved" */
    char *approved_by, *approved_at;  /* NULL until approved */
    char *created_by, *created_at, *updated_at;
    store_plan_item *items;
    size_t n_items;
    store_plan_action *actions;
    size_t n_actions;
    store_plan_comment *comments;
    size_t n_comments;
} store_plan;

/* What store_plan_set is given. */
typedef struct store_plan_target {
    int64_t person_id;
    const char *specialization_id;
    int target_level;
    const char *target_date;
    const char *catalog_id, *catalog_version;
    int64_t baseline_assessment_id;   /* 0: none */
    const store_plan_item *items;     /* the gap, in order (ids ignored) */
    size_t n_items;
} store_plan_target;

/* Sets the target of the person's plan (creating the plan when there is none)
 * and its items to t->items, in one transaction: items whose element stays keep
 * their id and actions, the others go with theirs; the plan goes back to draft
 * (a new target needs a new approval). *id (may be NULL) gets the plan's id. */
int store_plan_set(store *s, const store_plan_target *t, const char *actor, int64_t *id, err *e);
/* The plan of person_id with its items, actions and comments. */
int store_plan_get_person(store *s, int64_t person_id, store_plan *out, err *e);
int store_plan_get(store *s, int64_t id, store_plan *out, err *e);
/* Adds an action to plan_id: item_id (0: the plan as a whole) must be an item of
 * that plan; kind "course" needs course_id (and takes the course's title when
 * title is NULL), the others a title and no course. */
int store_plan_action_add(store *s, int64_t plan_id, int64_t item_id, const char *kind, int64_t course_id,
                          const char *title, const char *due_on, const char *actor, int64_t *id, err *e);
/* Sets the status of action id of plan_id ("done" records completed_on, today when NULL). */
int store_plan_action_set_status(store *s, int64_t plan_id, int64_t id, const char *status,
                                 const char *completed_on, err *e);
/* Approves plan id by actor, with an optional comment, in one transaction. */
int store_plan_approve(store *s, int64_t id, const char *actor, const char *comment, err *e);
/* Adds a comment to plan id. */
int store_plan_comment_add(store *s, int64_t id, const char *author, const char *body, err *e);
void store_plan_clear(store_plan *p);

/* Records that person_id completed course_id on completed_on (grade may be NULL),
 * from source (the file), and marks done each open action of the person's plan
 * for that course. *attached (may be NULL) gets how many actions it marked; a
 * completion already recorded changes nothing. */
int store_training_result_add(store *s, int64_t person_id, int64_t course_id, const char *completed_on,
                              const char *grade, const char *source, int *attached, err *e);

/* Plans by unit for HR: of the people f takes (store.h), how many have a plan,
 * how many of those are approved, and how many actions are past due (due before
 * today and not done or dropped). */
typedef struct store_plan_counts {
    int64_t people, with_plan, approved, actions, overdue;
} store_plan_counts;
int store_plan_counts_org(store *s, int64_t org_unit_id, const char *today, store_plan_counts *out, err *e);
/* The element ids most often in plans of the people of org_unit_id (0: all) and
 * its sub-units, most frequent first, at most max; counts[i] how many plans. */
int store_plan_common_gaps(store *s, int64_t org_unit_id, size_t max, char ***ids, int64_t **counts, size_t *n,
                           err *e);

#endif
