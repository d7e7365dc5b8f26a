/* results.h - the results of one person, below the faces: the person, their
 * assessments, the one asked for evaluated under the policy (self and
 * manager's rating), the specialization shown in detail with a target level,
 * the level per specialization across cycles, and the comments. The web's
 * results pages and API render it (web_results.c); the command line may too.
 *
 * How an assessment gets evaluated is the caller's choice (results_source): the
 * web keeps evaluations in its results cache, the command line makes them with
 * results_evaluate. Nothing here writes text for a person to read: problems are
 * results_status values the face words. */
#ifndef ITSS_RESULTS_H
#define ITSS_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "err.h"
#include "policy.h"
#include "store.h"

/* What results are evaluated with: a catalog, a policy and an engine over both
 * (all read-only, shared by threads), and the policy's identity "id@version"
 * under which the store's results cache keeps levels. */
typedef struct results_eval {
    const catalog *catalog;
    const policy *policy;
    const engine *engine;
    char policy_key[160];
} results_eval;

/* An assessment loaded and evaluated. */
typedef struct results_evaluation {
    assessment *answers;
    engine_result *self;
    engine_result *manager;              /* NULL when the manager has not rated */
} results_evaluation;

/* Loads assessment_id and evaluates its self rating and, when there is one, its
 * manager's. NULL with *e filled when the store fails or the assessment is gone.
 * Free with results_evaluation_free. */
results_evaluation *results_evaluate(store *db, const results_eval *ev, int64_t assessment_id, err *e);
void results_evaluation_free(results_evaluation *x);
/* The heap an evaluation holds, estimated (for caches). */
size_t results_evaluation_size(const results_evaluation *x);

/* Where results_load gets an assessment evaluated: get(ctx, a, e) returns an
 * evaluation that stays valid while the results are used (NULL with *e filled
 * on failure). a's revision was read in the read transaction results_load is in. */
typedef struct results_source {
    const results_evaluation *(*get)(void *ctx, const store_assessment *a, err *e);
    void *ctx;
} results_source;

/* 1 when assessment a is for ev's catalog (the same id and version). */
int results_same_catalog(const results_eval *ev, const store_assessment *a);

/* What is asked: the cycle (its id in decimal or its name; NULL or "": the
 * latest), the specialization shown ("HW", "CS.HW" or its name; NULL: the one
 * furthest along) and a target "SPEC:LEVEL" (NULL: the next level). */
typedef struct results_query {
    const char *cycle;
    const char *spec;
    const char *target;
} results_query;

/* Why results could not be gathered. */
typedef enum results_status {
    RESULTS_OK = 0,
    RESULTS_FAILED,                      /* the store failed: *e says how */
    RESULTS_NO_PERSON,                   /* no such person */
    RESULTS_NO_CYCLE,                    /* query.cycle names no cycle */
    RESULTS_NO_ASSESSMENT_IN_CYCLE,      /* the person has no assessment in that cycle */
    RESULTS_BAD_TARGET,                  /* query.target is not SPEC:LEVEL of a specialization */
    RESULTS_BAD_TARGET_LEVEL,            /* ... or that specialization has no such level */
    RESULTS_BAD_SPEC                     /* query.spec names no specialization */
} results_status;

/* Everything the results of one person show. */
typedef struct person_results {
    const results_eval *ev;
    store_person person;
    store_assessment_list assessments;   /* every assessment of the person, latest cycle first */
    const store_assessment *current;     /* the one shown, in assessments; NULL when there is none */
    int other_catalog;                   /* current is for another catalog version: not evaluated */
    /* The three below are lent by the source for as long as it keeps them. */
    const assessment *answers;           /* current, loaded */
    const engine_result *self;           /* its self rating evaluated */
    const engine_result *manager;        /* its manager's rating evaluated; NULL when there is none */
    const engine_spec *selected;         /* the specialization shown in detail */
    int target_level;                    /* the level whose gap is listed (0: none, the top reached) */
    const engine_level *target;          /* its achievement indicators evaluated, in selected->levels */
    int *history;                        /* levels, assessments.count rows of n_specs (-1: not evaluated) */
    size_t n_specs;
    store_comment_list comments;         /* the thread of current */
} person_results;

/* Gathers into *res (cleared first) the results of person_id for q, in one read
 * transaction of db (one view of the database, whose revisions match what is
 * loaded): the person, their assessments, the one q names evaluated, the
 * target, the history and the comments. RESULTS_OK, or why not (*e filled for
 * RESULTS_FAILED). res holds memory either way: free it with results_clear. */
results_status results_load(store *db, const results_eval *ev, const results_source *src, int64_t person_id,
                            const results_query *q, person_results *res, err *e);
/* Frees what res holds (not what the source lent). */
void results_clear(person_results *res);

/* The assessment of person_id in the cycle that `cycle` names (a cycle id in
 * decimal, or its name), or with cycle NULL or "" the latest. RESULTS_OK with
 * *out filled (clear it with store_assessment_clear), RESULTS_NO_PERSON-free
 * results: RESULTS_NO_CYCLE, RESULTS_NO_ASSESSMENT_IN_CYCLE (also for no
 * assessment at all when cycle is NULL or ""), RESULTS_FAILED with *e. */
results_status results_find_assessment(store *db, int64_t person_id, const char *cycle, store_assessment *out,
                                       err *e);

/* The specialization of ev's catalog that name denotes ("HW", "CS.HW",
 * "ハードウェア"), never a block of common levels; NULL when none. */
const catalog_spec *results_find_spec(const results_eval *ev, const char *name);

/* The answer of the self rating about element id of the current assessment, or NULL. */
const assessment_answer *results_self_answer(const person_results *res, const char *id);

/* Calls fn for each knowledge item of the skill area ea of the selected
 * specialization at level rated below the policy's minimum (or not rated), in
 * catalog order. */
void results_each_knowledge_gap(const person_results *res, const engine_area *ea, int level,
                                void (*fn)(const person_results *res, const engine_area *ea,
                                           const catalog_knowledge_category *cat, const catalog_item *item,
                                           const assessment_answer *x, void *ctx),
                                void *ctx);

/* Calls fn for each proficiency description of the skill area ea of the
 * selected specialization up to the target level that is not met, in level
 * order: what the target still asks of that area. */
void results_each_proficiency_gap(const person_results *res, const engine_area *ea,
                                  void (*fn)(const engine_area *ea, const engine_proficiency *st, void *ctx),
                                  void *ctx);

#endif
