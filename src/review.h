/* review.h - the rules of a diagnosis's review, approval and certification, below
 * every face (web pages, API, imports, command line), so that each path applies
 * the same rule and makes the same change. docs/review.md tells the life of a
 * diagnosis: draft -> submitted -> returned / approved -> certified -> expired /
 * revoked.
 *
 * Who may review (rate as reviewer, agree, return, approve) a person's diagnosis:
 * someone above the person in the reporting line (the person's manager, that
 * manager's manager, and so on) holding the manager role, or HR; never the
 * person themself, never someone the person manages directly or indirectly.
 * Reopening an approved diagnosis and certifying are HR's alone.
 *
 * Functions return 0 on success; REVIEW_E_* (>= 2) for a refusal with *e naming
 * the field and saying why (nothing changed); -1 when the store failed. */
#ifndef ITSS_REVIEW_H
#define ITSS_REVIEW_H

#include <stdint.h>
#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "err.h"
#include "policy.h"
#include "store.h"

enum {                         /* from 2: the functions use 1 inside for "so far so good" */
    REVIEW_E_CONFLICT = 2,     /* the state does not allow it (409): not submitted, approved twice, revoked twice */
    REVIEW_E_INVALID,          /* bad input (400): missing reason, dates, unknown specialization */
    REVIEW_E_NOT_FOUND,        /* no such assessment, certificate (404) */
    REVIEW_E_INCOMPLETE,       /* an achievement criterion has no decision (409) */
    REVIEW_E_FORBIDDEN         /* the reviewing rule refuses (403) */
};

/* Who asks to review. */
typedef enum review_role {
    REVIEWER_NONE,             /* engineers, administrators, nobody */
    REVIEWER_MANAGER,
    REVIEWER_HR
} review_role;

/* Why the rule refuses. */
typedef enum review_refusal {
    REVIEW_ALLOWED,
    REVIEW_OWN,                /* the person themself */
    REVIEW_SUBORDINATE,        /* someone the person manages, directly or not */
    REVIEW_NOT_ABOVE,          /* a manager not above the person in the reporting line */
    REVIEW_NO_ROLE             /* neither manager nor HR, or a user without a person */
} review_refusal;

/* The rule: 1 when reviewer_person_id (0: none) with role may review
 * person_id's diagnosis, 0 with *why (may be NULL) when not, -1 on a store
 * failure. */
int review_may_review(store *db, review_role role, int64_t reviewer_person_id, int64_t person_id,
                      review_refusal *why, err *e);
/* The same rule for persons[0..n), into ok[0..n) (1 may review): HR's reporting
 * line is read once for all of them (a reviewer's to-do list holds thousands).
 * 0, or -1 on a store failure. */
/* Whom HR reviewer_person_id may not review: themselves and the people above
 * them in the reporting line, into ids[0..max) (*n of them). 0, or -1. */
int review_hr_excluded(store *db, int64_t reviewer_person_id, int64_t *ids, size_t max, size_t *n, err *e);
int review_may_review_each(store *db, review_role role, int64_t reviewer_person_id, const int64_t *persons, size_t n,
                           unsigned char *ok, err *e);
/* The rule's refusal in words (English; faces translate by the refusal). */
const char *review_refusal_message(review_refusal why);
/* "own", "subordinate", "not_above", "no_role". */
const char *review_refusal_code(review_refusal why);

/* 1 when element_id is an achievement criterion's element (責任性, or an item of
 * 複雑性, サイズ, タスク特性), which a reviewer must decide one by one. */
int review_is_achievement(const catalog *c, const char *element_id);
/* 1 when element_id is an element a reviewer rates (achievement, proficiency or
 * knowledge item), with *max its highest value (1, or 4 for knowledge). */
int review_ratable(const catalog *c, const char *element_id, int *max);

/* Adds to a, as the reviewed (rater manager) answers, the self answers of the
 * agreed elements that have no reviewer answer: afterwards the manager answers
 * of a are the reviewed ratings. */
void review_apply_agreements(assessment *a, const store_agreement_list *agreed);
/* How many achievement elements of a have a self answer but neither a reviewer
 * answer nor an agreement; *first (may be NULL) the first such id (a's memory). */
size_t review_undecided(const catalog *c, const assessment *a, const store_agreement_list *agreed,
                        const char **first);

/* Agrees, by actor, with the self-rating of every element of a that has one and
 * has no decision yet; only elements whose id starts with prefix when given
 * (a specialization's "CS.HW." and its common blocks are the caller's to
 * choose), only non-achievement elements when bulk_only. *n (may be NULL) gets
 * how many. */
int review_agree_remaining(store *db, const catalog *c, int64_t assessment_id, const char *const *prefixes,
                           size_t n_prefixes, int bulk_only, const char *actor, int *n, err *e);

/* Approves submitted assessment_id by actor (a comment may be NULL): refused
 * when it is not submitted or an achievement element is undecided; agrees with
 * the self-rating of the proficiency and knowledge elements left undecided;
 * evaluates the reviewed ratings under policy p and records the frozen
 * snapshot (store_approval) with the status change and the comment, in one
 * transaction. *approval_id (may be NULL) gets the snapshot's id. */
int review_approve(store *db, const catalog *c, const policy *p, int64_t assessment_id, const char *actor,
                   const char *comment, int64_t *approval_id, err *e);

/* What approval ap froze, as it was approved (docs/review.md "What approval
 * freezes"): the engine's result as JSON text and the explanation (caller frees
 * both). An approval from before schema 14 holds them; a compact one keeps
 * what gives them again (store_approval_basis): they are rebuilt by the engine
 * under catalog c (the approval's catalog version) and checked against the
 * digest kept. 0; REVIEW_E_CONFLICT with *e saying why (another catalog
 * version, a digest that differs: the catalog or the engine changed) and both
 * NULL; -1 on a store failure. The levels (ap->levels) stand as approved
 * either way. */
int review_approval_frozen(store *db, const catalog *c, const store_approval *ap, char **result, char **explanation,
                           err *e);
/* The texts an approval freezes of result r: the engine's JSON (compact, in
 * order) and the explanation (explain_text), new strings. */
void review_result_texts(const engine_result *r, char **result, char **explanation);
/* The digest a compact approval keeps of them: SHA-256 (hex, out[65]) of
 * result, a newline and explanation. */
void review_digest(const char *result, const char *explanation, char out[65]);

/* The person hands assessment_id in (draft or returned -> submitted; which
 * states allow it is the caller's to check): the status change and the mail
 * to the person's manager (notify.h), in one transaction (a savepoint inside
 * the caller's). */
int review_submit(store *db, int64_t assessment_id, const char *actor, err *e);

/* Returns submitted assessment_id for rework by actor with reason (required):
 * the status becomes returned, the reason a return comment, and the person
 * gets a mail with it, in one transaction. REVIEW_E_CONFLICT when it is not
 * submitted, REVIEW_E_INVALID without a reason (or one over
 * STORE_COMMENT_MAX bytes). */
int review_return(store *db, int64_t assessment_id, const char *actor, const char *reason, err *e);

/* HR reopens approved assessment_id for reason (required): the approval stays
 * in the history marked reopened, the status becomes returned with the reason
 * as a return comment. */
int review_reopen(store *db, int64_t assessment_id, const char *actor, const char *reason, err *e);

/* The default end of a certificate's validity under p for an assessment of
 * cycle_id certified on `on` (YYYY-MM-DD) into out[11]. */
int review_default_validity(store *db, const policy *p, int64_t cycle_id, const char *on, char out[11], err *e);

/* Certifies the approved level of specialization spec (a code, id or name) of
 * assessment_id: refused when the assessment has no approval in force or its
 * level there is 未到達. certified_on is today's date (YYYY-MM-DD); valid_from
 * (NULL: certified_on) and valid_until (NULL: review_default_validity) are
 * dates. *out (may be NULL) gets the certificate (store_certificate_clear). */
int review_certify(store *db, const catalog *c, const policy *p, int64_t assessment_id, const char *spec,
                   const char *certified_on, const char *valid_from, const char *valid_until, const char *actor,
                   store_certificate *out, err *e);

/* Revokes the certificate numbered `number` for reason (required). */
int review_revoke(store *db, const char *number, const char *actor, const char *reason, err *e);

/* "valid", "expired", "revoked" or "future" for certificate c on date today. */
const char *review_certificate_state(const store_certificate *c, const char *today);

/* Today's local date into out[11]. */
void review_today(char out[11]);

#endif
