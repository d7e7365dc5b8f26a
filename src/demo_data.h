/* demo_data.h - the fictional organization `itss demo` creates, as data.
 *
 * 株式会社サンプルテクノサービス: its org units, one row per post (who works
 * where, at which level of which specialization in 2025年度 and 2026年度), the
 * Japanese names the people are given, and the projects and contributions their
 * experience records are drawn from. Everything here is invented; any
 * likeness to a real company or person is chance. cli_demo.c turns these tables
 * into a database, deterministically. */
#ifndef ITSS_DEMO_DATA_H
#define ITSS_DEMO_DATA_H

#include <stddef.h>

/* An org unit; parent is the code of the unit above, NULL for the company. */
typedef struct demo_unit {
    const char *code;
    const char *name;
    const char *parent;
} demo_unit;

/* How far a person's 2026年度 assessment has got. */
typedef enum demo_stage {
    DEMO_FULL,                 /* every element of their specializations answered */
    DEMO_HALF,                 /* a draft: the first common level only (a questionnaire left half way) */
    DEMO_NOT_STARTED,          /* no assessment yet (joined this year) */
    DEMO_NOT_ASSESSED          /* not an engineer (HR staff) */
} demo_stage;

/* One person of the organization, by post. Levels are what the self
 * assessment is built to give under the default policy; 0 is 未到達, -1 means no
 * assessment in that cycle (joined later). */
typedef struct demo_post {
    const char *unit;          /* org unit code */
    const char *title;         /* 本部長, 部長, 担当部長, 課長; NULL for a member of staff */
    const char *spec;          /* specialization code (HW, SW, FM); NULL when not an engineer */
    int level_2026;
    int level_2025;
    const char *second;        /* a second specialization with its own records, or NULL */
    int second_level;          /* in both cycles */
    int joined;                /* year of joining, April */
    int failed;                /* has a failed project among their records */
    int female;                /* for the given name */
    demo_stage stage;
} demo_post;

/* A name with its reading and the romanization used for the e-mail address. */
typedef struct demo_name {
    const char *kanji;
    const char *kana;
    const char *roman;
} demo_name;

/* A project an experience record can be about: for spec, at levels
 * min_level..max_level. */
typedef struct demo_project {
    const char *spec;
    int min_level, max_level;
    const char *name;
    const char *description;
} demo_project;

/* A professional contribution (kind: "mentoring", "community", "paper") of a
 * person of spec at min_level or above. */
typedef struct demo_contribution {
    const char *spec;
    int min_level;
    const char *kind;
    const char *title;
    const char *description;
} demo_contribution;

/* The role an engineer of spec plays on a project at level (チームメンバ ...). Static. */
const char *demo_role(const char *spec, int level);

extern const char demo_company[];
extern const demo_unit demo_units[];
extern const size_t demo_n_units;
extern const demo_post demo_posts[];
extern const size_t demo_n_posts;
extern const demo_name demo_surnames[];
extern const size_t demo_n_surnames;
extern const demo_name demo_given_male[];
extern const size_t demo_n_given_male;
extern const demo_name demo_given_female[];
extern const size_t demo_n_given_female;
extern const demo_project demo_projects[];
extern const size_t demo_n_projects;
extern const char *const demo_failure_notes[];
extern const size_t demo_n_failure_notes;
extern const demo_contribution demo_contributions[];
extern const size_t demo_n_contributions;

#endif
