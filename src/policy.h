/* policy.h - the level-determination policy as data.
 *
 * The standard's pages say which achievement indicators a level has but leave
 * open how many of a checklist must be met and how much experience is needed.
 * A policy fixes those numbers (docs/policy.md). It is parsed from JSON, has an
 * id and a version, and is recorded with every result so that a result can be
 * reproduced. policy/default.json (built into the binary) follows the ITSS V3
 * 2011 rules. A parsed policy is never changed, so threads may share it. */
#ifndef ITSS_POLICY_H
#define ITSS_POLICY_H

#include <stddef.h>
#include "catalog.h"
#include "err.h"

#define POLICY_MAX_LEVEL 15      /* thresholds are kept for levels 1..POLICY_MAX_LEVEL */
#define POLICY_MAX_FILE (1u * 1024u * 1024u)
#define POLICY_UNSET (-1)        /* the policy gives no threshold for that level */
#define POLICY_ALL (-2)          /* every listed item */

typedef struct policy {
    char *name;                  /* where it was loaded from, for messages */
    char *id;
    char *version;
    char *title;
    char *text;                  /* the text it was parsed from, whole (an approval keeps it: docs/review.md) */
    size_t text_len;
    int responsibility_required;              /* 責任性 must be met */
    /* min_items[kind][level]: n (at least n, or all listed when fewer than n are
     * listed; 0 = no requirement), POLICY_ALL or POLICY_UNSET. */
    int min_items[CRITERION_KINDS][POLICY_MAX_LEVEL + 1];
    int items_need_evidence;                  /* a met item counts only with a successful record linked */
    int min_records[POLICY_MAX_LEVEL + 1];    /* successful records of the specialization, or POLICY_UNSET */
    int min_records_at_level;                 /* how many of them must be claimed at the level or higher */
    int count_failed;                         /* failed records count too (0 in ITSS) */
    int lower_levels_required;                /* 0: an unmet lower level is a warning; 1: a barrier */
    int proficiency_lower_required;           /* a proficiency level needs every lower one met */
    int knowledge_min_rating;                 /* ratings at or above this count as covered */
    /* 社内認定: how long a certificate is valid by default ("certification" in the
     * file): to the end of the cycle `certificate_valid_cycles` cycles after the
     * assessment's (0: its own cycle; 1, the default: the next one), or, when
     * certificate_valid_months > 0, that many months from the certification. */
    int certificate_valid_cycles;
    int certificate_valid_months;
    /* Submitting a diagnosis with unanswered elements in the specializations it
     * covers ("submission": {"unanswered": "ask" | "refuse"}): 0, the default,
     * asks the engineer to confirm; 1 refuses until everything is answered. */
    int submission_refuses_unanswered;
    /* Reminders before a cycle closes ("notifications": {"reminder_days": N}):
     * each person who has not submitted gets one N days before the close date
     * (7, the default; 0: none). itss serve --remind-days overrides it. The
     * engine never reads it. */
    int reminder_days;
    /* 資格: 1 when a valid IPA examination counts as the ITSS level it
     * corresponds to (ipa.h) where the assessed level is lower ("qualifications":
     * {"substitute": true}); 0, the default: qualifications are supporting
     * evidence shown beside the levels, never a substitute. The engine never
     * reads it: the faces show the substituted level, marked as such. */
    int qualification_substitutes;
} policy;

/* Parses a policy from text (len bytes); name is used in messages. Returns NULL
 * with every error found (file:line:column, JSON path, reason) in *errors.
 * The caller frees the result with policy_free(). No I/O. */
policy *policy_parse(const char *text, size_t len, const char *name, err_list *errors);
/* Reads and parses a policy file. */
policy *policy_load_file(const char *path, err_list *errors);
/* The policy built into the binary (policy/default.json). */
policy *policy_load_builtin(err_list *errors);
void policy_free(policy *p);

/* Checks that p gives a threshold for every level the catalog uses; reports
 * each gap in *errors. Returns the number of gaps (0: usable with c). */
int policy_check_catalog(const policy *p, const catalog *c, err_list *errors);

/* How many of `listed` items of criterion kind must be met at level:
 * min(n, listed) for a number, listed for "all"; -1 when the policy is silent. */
int policy_required_items(const policy *p, catalog_criterion_kind kind, int level, size_t listed);
/* How many successful experience records level needs; -1 when the policy is silent. */
int policy_required_records(const policy *p, int level);

#endif
