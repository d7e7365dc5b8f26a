/* assessment.h - one assessment in memory: who, which cycle and catalog, the answers.
 *
 * The model shared by the engine (which evaluates it), the store (which saves and
 * loads it) and the faces (which fill and show it). Plain structs, no I/O. Every
 * string and array hangs off the assessment and is freed by assessment_free();
 * setters copy what they are given.
 *
 * Answers name catalog elements by identifier (docs/catalog-format.md):
 *   - an achievement element: 責任性 (CS.HW.L4.responsibility) or a checklist item of
 *     複雑性, サイズ, タスク特性 (CS.HW.L4.complexity.3): value 1 met, 0 not met,
 *     with the experience records that show it as evidence;
 *   - a proficiency description (CS.HW.UEA.L4): value 1 met, 0 not met;
 *   - a knowledge item (CS.HW.UEA.K01.01): value is the rating 0..4 (ASSESS_RATING_*).
 * Each answer keeps who gave it (rater). An element has at most one answer per
 * rater. answers[] is kept sorted by (element_id, rater) so that lookups are
 * binary searches; use assessment_set_answer() rather than writing the array.
 *
 * The assessment does not hold a catalog pointer: assessment_json.c and the engine
 * take the catalog separately and check identifiers against it. */
#ifndef ITSS_ASSESSMENT_H
#define ITSS_ASSESSMENT_H

#include <stddef.h>

typedef enum assessment_status {
    ASSESSMENT_DRAFT, ASSESSMENT_SUBMITTED, ASSESSMENT_RETURNED, ASSESSMENT_APPROVED,
    ASSESSMENT_STATUS_COUNT
} assessment_status;

typedef enum assessment_rater {
    RATER_SELF, RATER_MANAGER, RATER_COUNT
} assessment_rater;

/* Knowledge-item ratings, as the standard's scale words them. */
enum {
    ASSESS_RATING_UNKNOWN = 0,    /* 知らない */
    ASSESS_RATING_KNOWS = 1,      /* 知識がある */
    ASSESS_RATING_SUPPORTED = 2,  /* 支援を受けて実施できる */
    ASSESS_RATING_INDEPENDENT = 3,/* 独力で実施できる */
    ASSESS_RATING_TEACHES = 4,    /* 指導できる */
    ASSESS_RATING_MAX = 4
};

typedef enum contribution_kind {
    CONTRIBUTION_MENTORING,       /* 後進育成 */
    CONTRIBUTION_COMMUNITY,       /* コミュニティ活動 */
    CONTRIBUTION_PAPER,           /* 論文・報告 */
    CONTRIBUTION_KIND_COUNT
} contribution_kind;

/* One answer about one catalog element by one rater. */
typedef struct assessment_answer {
    char *element_id;             /* catalog identifier (packed in the assessment's own text blocks) */
    assessment_rater rater;
    int value;                    /* 0/1 met, or a rating 0..4 for a knowledge item */
    char **evidence;              /* ids of experience records (assessment_experience.id) */
    size_t n_evidence;
} assessment_answer;

/* An experience record (実績). Periods are "YYYY-MM"; period_to is NULL while ongoing. */
typedef struct assessment_experience {
    char *id;                     /* unique within the assessment; the store may use its row id in decimal */
    char *project;                /* project or system name */
    char *period_from;
    char *period_to;
    char *role;
    char *specialization_id;      /* CS.HW: a specialization, not a common-level block */
    int level;                    /* the level it is claimed for */
    char **complexity_items;      /* checklist item ids (…complexity.n) it demonstrates */
    size_t n_complexity_items;
    char **size_items;            /* checklist item ids (…size.n) it demonstrates */
    size_t n_size_items;
    int succeeded;                /* 1 succeeded; failed records never count as evidence of a level */
    char *description;
} assessment_experience;

/* A professional contribution: 後進育成, community activity, a paper or report. */
typedef struct assessment_contribution {
    contribution_kind kind;
    char *title;
    char *date;                   /* "YYYY-MM" or "YYYY-MM-DD" */
    char *description;
} assessment_contribution;

typedef struct assessment {
    char *employee_number;
    char *person_name;            /* display name */
    char *cycle;                  /* cycle name, e.g. 2026年度 */
    char *catalog_id;
    char *catalog_version;
    assessment_status status;

    assessment_answer *answers;   /* sorted by (element_id, rater) */
    size_t n_answers, cap_answers;
    struct assessment_text_block *id_text;  /* where answers' element_id strings live (internal) */
    assessment_experience *experience;
    size_t n_experience, cap_experience;
    assessment_contribution *contributions;
    size_t n_contributions, cap_contributions;
} assessment;

/* A new empty draft; any argument may be NULL. The caller frees it with assessment_free(). */
assessment *assessment_new(const char *employee_number, const char *person_name, const char *cycle,
                           const char *catalog_id, const char *catalog_version);
/* Frees the assessment and everything it holds. NULL is allowed. */
void assessment_free(assessment *a);

/* Replaces a string field (e.g. &a->cycle) with a copy of value (NULL clears it). */
void assessment_set_text(char **field, const char *value);

/* Sets the answer of rater about element_id, replacing any earlier one (its
 * evidence too). evidence (n_evidence ids, may be NULL) is copied. Returns the
 * stored answer, owned by the assessment and valid until the next change. */
assessment_answer *assessment_set_answer(assessment *a, const char *element_id, assessment_rater rater,
                                         int value, const char *const *evidence, size_t n_evidence);
/* The answer of rater about element_id, or NULL. Owned by the assessment. */
const assessment_answer *assessment_get_answer(const assessment *a, const char *element_id,
                                               assessment_rater rater);
/* Removes the answer; returns 1 when there was one. */
int assessment_remove_answer(assessment *a, const char *element_id, assessment_rater rater);

/* Appends a copy of *x (strings and id arrays are copied; x stays the caller's).
 * Returns the stored record, owned by the assessment and valid until the next append. */
assessment_experience *assessment_add_experience(assessment *a, const assessment_experience *x);
/* The experience record with that id, or NULL. */
const assessment_experience *assessment_find_experience(const assessment *a, const char *id);
assessment_contribution *assessment_add_contribution(assessment *a, const assessment_contribution *x);

/* Names used in files and on the command line: "draft", "self", "mentoring"...
 * The *_parse functions return -1 for an unknown name. */
const char *assessment_status_name(assessment_status s);
int assessment_status_parse(const char *name);
const char *assessment_rater_name(assessment_rater r);
int assessment_rater_parse(const char *name);
const char *contribution_kind_name(contribution_kind k);
const char *contribution_kind_label(contribution_kind k);   /* 後進育成 ... */
int contribution_kind_parse(const char *name);
const char *assessment_rating_label(int rating);             /* 知らない ... 指導できる; NULL if out of range */

#endif
