/* plan.h - development plans (育成計画) as the standard sees them: the gap
 * between a person's evaluated assessment and a target level, item by item in
 * the standard's words; which of a plan's items a later evaluation closes; the
 * rules a target must keep. Pure functions over the catalog, the policy and an
 * engine result: no I/O, no store (docs/plans.md). */
#ifndef ITSS_PLAN_H
#define ITSS_PLAN_H

#include <stddef.h>
#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "err.h"
#include "policy.h"

/* One thing the target level still asks for. Pointers go into the catalog. */
typedef struct plan_gap_item {
    const char *element_id;          /* check item, 責任性, proficiency, knowledge item; experience: the level's id */
    const char *kind;                /* "check_item", "responsibility", "experience", "proficiency", "knowledge_item" */
    const char *label;               /* 複雑性, 責任性, 実績, スキル熟達度, 知識項目 */
    const char *text;                /* the standard's wording; NULL for experience */
    int level;
    const catalog_area *area;        /* proficiency and knowledge: its skill area; else NULL */
    const catalog_knowledge_category *category;   /* knowledge: its category */
} plan_gap_item;

typedef struct plan_gap {
    plan_gap_item *items;
    size_t n;
} plan_gap;

/* The gap of specialization spec at target level in r (an evaluation of answers
 * a by the self rater under p): the target level's unmet criteria with the items
 * missing (an unmet experience criterion as one item), the proficiency
 * descriptions up to the target not met, the knowledge items of the target's
 * skill areas rated below the policy's minimum. The caller frees out with
 * plan_gap_free. */
void plan_gap_build(const catalog *c, const policy *p, const engine_result *r, const assessment *a,
                    const catalog_spec *spec, int target, plan_gap *out);
void plan_gap_free(plan_gap *g);
/* 1 when element_id is in g. */
int plan_gap_has(const plan_gap *g, const char *element_id);

/* Checks a target: spec has level (within its own and common levels) and date is
 * a real date not before today (both YYYY-MM-DD). 0, or -1 with *e naming the
 * field ("level", "date"). */
int plan_check_target(const catalog *c, const catalog_spec *spec, int level, const char *date, const char *today,
                      err *e);

/* The ids a course may cover to help with item it: its skill area (job-level
 * id, CS.UEA) and, for knowledge items, its category; for check items,
 * 責任性 and experience, none. Fills ids (room for 2); returns how many. */
size_t plan_item_topics(const plan_gap_item *it, const char **ids);

/* Today's local date as YYYY-MM-DD into out[11]. */
void plan_today(char out[11]);

#endif
