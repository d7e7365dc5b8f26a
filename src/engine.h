/* engine.h - level determination with reasons: pure functions, no I/O, no globals.
 *
 * Given a catalog, a policy and an assessment (and whose answers to use), the
 * engine decides for each specialization the level reached and says why: for
 * every level, every criterion (責任性, 複雑性, サイズ, タスク特性, 実績) met or not,
 * the count against the policy's threshold, the items missing, and which level
 * comes next. Separately, for each skill area, the proficiency level and the
 * share of knowledge items rated at or above the policy's minimum.
 *
 * Use:
 *     engine *e = engine_new(catalog, policy);          once per catalog and policy
 *     engine_result *r = engine_result_new(e);          once per thread
 *     engine_evaluate(e, assessment, RATER_SELF, r);    as often as needed, no allocation
 *     ... read r (the facts), or write it as JSON (engine_result_json) ...
 *     engine_result_free(r); engine_free(e);
 * or engine_assess() for a single evaluation.
 *
 * An engine only reads the catalog and the policy, which must outlive it; an engine
 * is never changed after engine_new(), so threads may share one. A result points
 * into the catalog, the engine and the assessment it was evaluated from; all of
 * them must outlive it. */
#ifndef ITSS_ENGINE_H
#define ITSS_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "assessment.h"
#include "catalog.h"
#include "policy.h"

typedef struct engine engine;

/* The criteria of a level, in the order the standard gives them, then experience. */
typedef enum engine_criterion_kind {
    ENGINE_RESPONSIBILITY,       /* 責任性 */
    ENGINE_COMPLEXITY,           /* 複雑性 (CRITERION_COMPLEXITY + 1) */
    ENGINE_SIZE,                 /* サイズ */
    ENGINE_TASK,                 /* タスク特性 */
    ENGINE_EXPERIENCE,           /* 実績 (successful experience records) */
    ENGINE_CRITERIA
} engine_criterion_kind;

/* One criterion of one level. For checklist criteria count/listed/required are
 * items; for 責任性 listed is 1; for experience they are records. */
typedef struct engine_criterion {
    engine_criterion_kind kind;
    int met;
    int count;                   /* items met / successful records of the specialization */
    int listed;                  /* items the standard lists (experience: records of the specialization) */
    int required;                /* threshold after the policy; -1 when the policy gives none (never met) */
    /* Checklist criteria and 責任性: one entry per listed item, catalog order. */
    const catalog_item *items;   /* the level's items (責任性: the one item) */
    const unsigned char *item_met;
    const assessment_answer *const *item_answers;  /* the rater's answer, or NULL when unanswered */
    const catalog_item *const *missing;            /* items not met, catalog order */
    size_t n_missing;
    /* Experience only. */
    int at_level;                /* successful records claimed at this level or higher */
    int at_level_required;
    int failed;                  /* failed records of the specialization (not counted unless the policy says) */
} engine_criterion;

/* The achievement indicators (達成度指標) of one level, evaluated. */
typedef struct engine_level {
    int level;
    const catalog_level *indicators;
    int met;                     /* every criterion met */
    engine_criterion criteria[ENGINE_CRITERIA];
} engine_level;

/* One step of a skill area's proficiency (スキル熟達度) ladder. */
typedef struct engine_proficiency {
    int level;
    const catalog_proficiency *description;
    int met;                     /* answered met */
    int answered;
} engine_proficiency;

/* One skill area (スキル領域) as the specialization has it. */
typedef struct engine_area {
    const catalog_area *area;
    int proficiency_level;       /* 0 when none reached */
    const engine_proficiency *steps;   /* ascending level */
    size_t n_steps;
    int knowledge_items;         /* items of the area for the specialization (common levels included) */
    int knowledge_rated;         /* items the rater rated at all */
    int knowledge_covered;       /* rated at or above the policy's min_rating */
} engine_area;

typedef struct engine_spec {
    const catalog_spec *spec;
    int level;                   /* the level reached; 0 = 未到達 */
    int level_min, level_max;    /* the levels the specialization has, common levels included */
    const engine_level *levels;  /* ascending; only levels with indicators */
    size_t n_levels;
    const engine_level *reached; /* the entry of `level`, NULL when 0 */
    const engine_level *next;    /* the first level above `level`, NULL at the top */
    const int *unmet_below;      /* levels below `level` not met (warnings) */
    size_t n_unmet_below;
    const engine_area *areas;    /* in the catalog's skill-area order */
    size_t n_areas;
} engine_spec;

typedef struct engine_result {
    const catalog *catalog;
    const policy *policy;        /* its id and version are part of every recorded result */
    const assessment *assessment;
    assessment_rater rater;
    int n_answers_used;          /* answers of the rater that name an element of the catalog */
    int n_answers_unknown;       /* answers of the rater the catalog does not know (ignored) */
    const engine_spec *specs;    /* in the catalog's specialization order */
    size_t n_specs;
} engine_result;

/* Prepares evaluation for catalog c under policy p (both borrowed; they must
 * outlive the engine). The caller frees it with engine_free(). */
engine *engine_new(const catalog *c, const policy *p);
void engine_free(engine *e);

/* A result laid out for engine e, ready for engine_evaluate(); the caller frees
 * it with engine_result_free(). */
engine_result *engine_result_new(const engine *e);
/* Frees the result (and the engine, when engine_assess() made it). NULL is allowed. */
void engine_result_free(engine_result *r);

/* Evaluates the answers of `rater` in a into r (made by engine_result_new(e)),
 * replacing what r held. Allocates nothing. a must outlive the use of r. */
void engine_evaluate(const engine *e, const assessment *a, assessment_rater rater, engine_result *r);

/* One evaluation: engine, result and evaluation in one call. The caller frees the
 * result with engine_result_free(). */
engine_result *engine_assess(const catalog *c, const policy *p, const assessment *a, assessment_rater rater);

/* ---- evaluating from values by slot (for whoever keeps answers packed) ----
 * Every answerable element (責任性, checklist items, proficiency descriptions,
 * knowledge items) has a dense slot number 0 .. engine_slot_count() - 1. */
size_t engine_slot_count(const engine *e);
/* The slot of an answerable element id, or -1. */
int engine_slot(const engine *e, const char *element_id);
/* Only the skill areas (proficiency ladders and knowledge coverage) from
 * values[slot] (-1 unanswered, else the answer's value; engine_slot_count()
 * entries) into r, made by engine_result_new(e): specs[].areas are filled, the
 * rest of r keeps what it held. Allocates nothing; r does not point into values. */
void engine_evaluate_areas(const engine *e, const signed char *values, engine_result *r);
/* The same for the proficiency ladders alone (specs[].areas[].proficiency_level
 * and steps; the knowledge counts keep what they held). */
void engine_evaluate_proficiency(const engine *e, const signed char *values, engine_result *r);

/* ---- levels only, over bits (the fast path for many assessments at once) ----
 * An assessment reduced to what its levels depend on: one bit per slot, set
 * when the item counts as met (answered met and, when the policy wants it, with
 * a counting record linked), and per specialization its experience records by
 * claimed level. engine_levels_packed then decides the level of every
 * specialization as engine_evaluate does, with a few popcounts per criterion. */
typedef struct engine_records {
    int counted[POLICY_MAX_LEVEL + 2];   /* records that count, by claimed level (0: out of range) */
    int counted_total;
    int failed;
} engine_records;

/* 64-bit words of an assessment's bits. */
size_t engine_packed_words(const engine *e);
/* Reduces a's answers by rater to bits (engine_packed_words() words) and its
 * records to one engine_records per specialization (catalog order). */
void engine_pack(const engine *e, const assessment *a, assessment_rater rater, uint64_t *bits,
                 engine_records *records);
/* Bits from values by slot (-1 unanswered, else the value; engine_slot_count()
 * of them): an item counts as met when answered met. Only what engine_pack
 * gives when the policy does not need evidence (engine_needs_evidence 0). */
void engine_pack_values(const engine *e, const signed char *values, uint64_t *bits);
int engine_needs_evidence(const engine *e);
/* Adds one experience record of specialization spec_id (ignored when not a
 * specialization of the catalog) to records (one per specialization), as
 * engine_pack tallies an assessment's records. */
void engine_tally_record(const engine *e, engine_records *records, const char *spec_id, int level, int succeeded);
/* The level reached in each specialization (catalog order; 0 = 未到達) of the
 * assessment packed as bits and records. Allocates nothing. */
void engine_levels_packed(const engine *e, const uint64_t *bits, const engine_records *records, int *levels);

/* The result of the specialization with that id (e.g. "CS.HW"), or NULL. */
const engine_spec *engine_result_spec(const engine_result *r, const char *spec_id);

/* "responsibility", "complexity", "size", "task", "experience" / 責任性 ... 実績. */
const char *engine_criterion_key(engine_criterion_kind k);
const char *engine_criterion_label(engine_criterion_kind k);

/* ---- facts a face words (engine.c) ---- */

/* How a checklist criterion's threshold reads. */
typedef enum engine_threshold {
    ENGINE_THRESHOLD_UNSET,      /* the policy gives none: never met */
    ENGINE_THRESHOLD_NONE,       /* nothing required */
    ENGINE_THRESHOLD_ALL,        /* every listed item (more than one) */
    ENGINE_THRESHOLD_AT_LEAST    /* `required` items or more */
} engine_threshold;
engine_threshold engine_criterion_threshold(const engine_criterion *cr);

/* What a criterion still lacks: items (or successful records) short of the
 * threshold, 0 when met or when the policy gives none; for experience, also the
 * successful records at the level or higher still missing. */
int engine_criterion_short_by(const engine_criterion *cr);
int engine_criterion_short_at_level(const engine_criterion *cr);

/* The share of a skill area's knowledge items covered, in whole percent (0 for
 * an area without items). */
int engine_knowledge_percent(const engine_area *ea);

/* ---- as JSON (engine_json.c); the words are explain.h's ---- */

struct json_t;
/* The result as a jansson object for --json and the API (a new reference the
 * caller releases with json_decref): every specialization, or only spec_id's
 * when it is not NULL. */
struct json_t *engine_result_json(const engine_result *r, const char *spec_id);
/* {"id","text"} of a catalog item as the result's JSON writes it (a new
 * jansson reference; engine_json.c), for faces that write items beside it. */
struct json_t *engine_item_json(const catalog_item *it);

#endif
