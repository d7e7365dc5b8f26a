/* review.c - review, approval and certification rules (see review.h). */
#include "review.h"
#include "notify.h"
#include "engine.h"
#include "explain.h"
#include "buf.h"
#include "rules.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Who may review ---------------------------------------------------------- */

/* The manager of person id into *manager (0: none): 1, 0 no such person, -1. */
static int manager_of(store *db, int64_t id, int64_t *manager, err *e)
{
    store_person p;
    int found = store_person_get(db, id, &p, e);
    *manager = found == 1 ? p.manager_id : 0;
    if (found == 1)
        store_person_clear(&p);
    return found;
}

/* 1 when `above` is in the reporting line above `person` (their manager, that
 * manager's manager...), 0 when not, -1. */
static int is_above(store *db, int64_t above, int64_t person, err *e)
{
    int64_t m = person;
    for (int hops = 0; hops < 256; hops++) {
        int found = manager_of(db, m, &m, e);
        if (found < 0)
            return -1;
        if (!found || m <= 0)
            return 0;
        if (m == above)
            return 1;
    }
    return 0;                  /* the store keeps the chain free of loops */
}

int review_may_review(store *db, review_role role, int64_t reviewer_person_id, int64_t person_id,
                      review_refusal *why, err *e)
{
    review_refusal w = REVIEW_ALLOWED;
    int rc = 1;
    if (reviewer_person_id > 0 && reviewer_person_id == person_id) {
        w = REVIEW_OWN;
    } else if (role == REVIEWER_HR) {
        /* HR, unless the person manages them (directly or not). */
        rc = reviewer_person_id > 0 ? is_above(db, person_id, reviewer_person_id, e) : 0;
        if (rc < 0)
            return -1;
        if (rc == 1)
            w = REVIEW_SUBORDINATE;
    } else if (role == REVIEWER_MANAGER && reviewer_person_id > 0) {
        rc = is_above(db, reviewer_person_id, person_id, e);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            int under = is_above(db, person_id, reviewer_person_id, e);
            if (under < 0)
                return -1;
            w = under ? REVIEW_SUBORDINATE : REVIEW_NOT_ABOVE;
        }
    } else {
        w = REVIEW_NO_ROLE;
    }
    if (why)
        *why = w;
    return w == REVIEW_ALLOWED;
}

int review_may_review_each(store *db, review_role role, int64_t reviewer_person_id, const int64_t *persons, size_t n,
                           unsigned char *ok, err *e)
{
    if (role != REVIEWER_HR || reviewer_person_id <= 0) {
        for (size_t i = 0; i < n; i++) {
            int rc = review_may_review(db, role, reviewer_person_id, persons[i], NULL, e);
            if (rc < 0)
                return -1;
            ok[i] = rc == 1;
        }
        return 0;
    }
    /* HR reviews anyone but themselves and the people above them. */
    int64_t line[257];
    size_t k = 0;
    if (review_hr_excluded(db, reviewer_person_id, line, 257, &k, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        ok[i] = 1;
        for (size_t j = 0; ok[i] && j < k; j++)
            ok[i] = persons[i] != line[j];
    }
    return 0;
}

int review_hr_excluded(store *db, int64_t reviewer_person_id, int64_t *ids, size_t max, size_t *n, err *e)
{
    *n = 0;
    if (reviewer_person_id <= 0 || max == 0)
        return 0;
    ids[(*n)++] = reviewer_person_id;
    int64_t m = reviewer_person_id;
    while (*n < max) {
        int found = manager_of(db, m, &m, e);
        if (found < 0)
            return -1;
        if (!found || m <= 0)
            break;
        ids[(*n)++] = m;
    }
    return 0;
}

const char *review_refusal_message(review_refusal why)
{
    switch (why) {
    case REVIEW_ALLOWED: return "allowed";
    case REVIEW_OWN: return "nobody reviews their own diagnosis";
    case REVIEW_SUBORDINATE: return "nobody reviews the diagnosis of someone who manages them, directly or not";
    case REVIEW_NOT_ABOVE:
        return "a manager reviews only the people below them in the reporting line (their reports, their "
               "reports' reports...)";
    case REVIEW_NO_ROLE: return "only a manager above the person in the reporting line, or HR, reviews a diagnosis";
    }
    return "?";
}

const char *review_refusal_code(review_refusal why)
{
    static const char *const codes[] = { "allowed", "own", "subordinate", "not_above", "no_role" };
    return (unsigned)why < sizeof codes / sizeof codes[0] ? codes[why] : "?";
}

/* ---- Decisions --------------------------------------------------------------- */

int review_is_achievement(const catalog *c, const char *element_id)
{
    catalog_element el;
    if (!element_id || !catalog_find(c, element_id, &el))
        return 0;
    return el.kind == CK_RESPONSIBILITY || el.kind == CK_CHECK_ITEM;
}

int review_ratable(const catalog *c, const char *element_id, int *max)
{
    catalog_element el;
    if (!element_id || !catalog_find(c, element_id, &el))
        return 0;
    switch (el.kind) {
    case CK_RESPONSIBILITY: case CK_CHECK_ITEM: case CK_PROFICIENCY:
        *max = 1;
        return 1;
    case CK_KNOWLEDGE_ITEM:
        *max = ASSESS_RATING_MAX;
        return 1;
    default:
        return 0;
    }
}

/* 1 when element_id is in agreed (sorted). */
static int is_agreed(const store_agreement_list *agreed, const char *element_id)
{
    size_t lo = 0, hi = agreed ? agreed->count : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(agreed->element_ids[mid], element_id);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

void review_apply_agreements(assessment *a, const store_agreement_list *agreed)
{
    for (size_t i = 0; agreed && i < agreed->count; i++) {
        const char *id = agreed->element_ids[i];
        if (assessment_get_answer(a, id, RATER_MANAGER))
            continue;
        const assessment_answer *self = assessment_get_answer(a, id, RATER_SELF);
        if (self)
            assessment_set_answer(a, self->element_id, RATER_MANAGER, self->value,
                                  (const char *const *)self->evidence, self->n_evidence);
    }
}

size_t review_undecided(const catalog *c, const assessment *a, const store_agreement_list *agreed,
                        const char **first)
{
    size_t n = 0;
    if (first)
        *first = NULL;
    for (size_t i = 0; i < a->n_answers; i++) {
        const assessment_answer *x = &a->answers[i];
        if (x->rater != RATER_SELF || !review_is_achievement(c, x->element_id))
            continue;
        if (assessment_get_answer(a, x->element_id, RATER_MANAGER) || is_agreed(agreed, x->element_id))
            continue;
        if (first && !*first)
            *first = x->element_id;
        n++;
    }
    return n;
}

/* The status of assessment_id into *status: 1, or REVIEW_E_NOT_FOUND, -1. */
static int status_of(store *db, int64_t assessment_id, assessment_status *status, err *e)
{
    store_assessment a;
    int found = store_assessment_get(db, assessment_id, &a, e);
    if (found < 0)
        return -1;
    if (!found)
        return REVIEW_E_NOT_FOUND;
    *status = a.status;
    store_assessment_clear(&a);
    return 1;
}

/* Agrees with every undecided self answer of a (see review_agree_remaining). */
static int agree_rest(store *db, const catalog *c, int64_t assessment_id, const assessment *a,
                      const store_agreement_list *agreed, const char *const *prefixes, size_t n_prefixes,
                      int bulk_only, const char *actor, int *n, err *e)
{
    int count = 0;
    for (size_t i = 0; i < a->n_answers; i++) {
        const assessment_answer *x = &a->answers[i];
        int max;
        if (x->rater != RATER_SELF || !review_ratable(c, x->element_id, &max))
            continue;
        if (bulk_only && review_is_achievement(c, x->element_id))
            continue;
        if (assessment_get_answer(a, x->element_id, RATER_MANAGER) || is_agreed(agreed, x->element_id))
            continue;
        int match = n_prefixes == 0;
        for (size_t k = 0; k < n_prefixes && !match; k++)
            match = strncmp(x->element_id, prefixes[k], strlen(prefixes[k])) == 0;
        if (!match)
            continue;
        if (store_agreement_set(db, assessment_id, x->element_id, 1, actor, e) < 0)
            return -1;
        count++;
    }
    if (n)
        *n = count;
    return 0;
}

int review_agree_remaining(store *db, const catalog *c, int64_t assessment_id, const char *const *prefixes,
                           size_t n_prefixes, int bulk_only, const char *actor, int *n, err *e)
{
    if (store_begin(db, e) < 0)
        return -1;
    assessment_status status;
    int rc = status_of(db, assessment_id, &status, e);
    if (rc == 1 && status == ASSESSMENT_APPROVED) {
        err_set(e, "", 0, 0, "status", "the assessment is approved; its review cannot change");
        rc = REVIEW_E_CONFLICT;
    }
    assessment *a = NULL;
    store_agreement_list agreed = { 0 };
    if (rc == 1 && store_assessment_load(db, assessment_id, &a, e) != 1)
        rc = -1;
    if (rc == 1 && store_agreement_list_assessment(db, assessment_id, &agreed, e) < 0)
        rc = -1;
    if (rc == 1)
        rc = agree_rest(db, c, assessment_id, a, &agreed, prefixes, n_prefixes, bulk_only, actor, n, e);
    store_agreement_list_free(&agreed);
    assessment_free(a);
    if (rc == 0)
        return store_commit(db, e) < 0 ? -1 : 0;
    store_rollback(db, NULL);
    return rc;
}

/* ---- Approval ---------------------------------------------------------------- */

/* The experience records of a as a JSON array text (caller frees). */
static char *experience_json(const assessment *a)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < a->n_experience; i++) {
        const assessment_experience *x = &a->experience[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(x->id ? x->id : ""));
        json_object_set_new(o, "project", json_string(x->project ? x->project : ""));
        json_object_set_new(o, "period_from", x->period_from ? json_string(x->period_from) : json_null());
        json_object_set_new(o, "period_to", x->period_to ? json_string(x->period_to) : json_null());
        json_object_set_new(o, "role", x->role ? json_string(x->role) : json_null());
        json_object_set_new(o, "specialization", x->specialization_id ? json_string(x->specialization_id)
                                                                      : json_null());
        json_object_set_new(o, "level", json_integer(x->level));
        json_t *cx = json_array(), *sz = json_array();
        for (size_t k = 0; k < x->n_complexity_items; k++)
            json_array_append_new(cx, json_string(x->complexity_items[k]));
        for (size_t k = 0; k < x->n_size_items; k++)
            json_array_append_new(sz, json_string(x->size_items[k]));
        json_object_set_new(o, "complexity", cx);
        json_object_set_new(o, "size", sz);
        json_object_set_new(o, "succeeded", json_boolean(x->succeeded));
        json_object_set_new(o, "description", x->description ? json_string(x->description) : json_null());
        json_array_append_new(arr, o);
    }
    char *text = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(arr);
    if (!text)
        abort();
    return text;
}

/* Records the snapshot of loaded assessment a (reviewed answers applied, the
 * agreements `agreed`): a compact approval (store_approval_basis) keeping what
 * rebuilds the engine's result and explanation, with their digest, instead of
 * their texts (docs/review.md "What approval freezes"). */
static int record_snapshot(store *db, const catalog *c, const policy *p, int64_t assessment_id, assessment *a,
                           const store_agreement_list *agreed, const char *actor, int64_t *approval_id, err *e)
{
    engine_result *res = engine_assess(c, p, a, RATER_MANAGER);
    if (!res)
        abort();
    char *result = NULL, *explanation = NULL, digest[65];
    review_result_texts(res, &result, &explanation);
    review_digest(result, explanation, digest);
    char *experience = experience_json(a);
    store_approval_basis basis;
    memset(&basis, 0, sizeof basis);
    basis.policy_text = p->text;
    basis.employee_number = a->employee_number;
    basis.person_name = a->person_name ? a->person_name : (char *)"";
    basis.cycle = a->cycle ? a->cycle : (char *)"";
    basis.agreed = agreed->element_ids;
    basis.n_agreed = agreed->count;
    basis.digest = digest;
    store_approval ap;
    memset(&ap, 0, sizeof ap);
    ap.assessment_id = assessment_id;
    ap.approved_by = (char *)actor;
    ap.policy_id = p->id;
    ap.policy_version = p->version;
    ap.catalog_id = a->catalog_id;
    ap.catalog_version = a->catalog_version;
    ap.experience = experience;
    ap.basis = &basis;
    ap.n_levels = res->n_specs;
    ap.levels = calloc(res->n_specs ? res->n_specs : 1, sizeof *ap.levels);
    if (!ap.levels)
        abort();
    for (size_t i = 0; i < res->n_specs; i++) {
        ap.levels[i].specialization_id = (char *)res->specs[i].spec->id;
        ap.levels[i].level = res->specs[i].level;
    }
    int rc = store_approval_add(db, &ap, approval_id, e);
    free(ap.levels);
    free(result);
    free(explanation);
    free(experience);
    engine_result_free(res);
    return rc;
}

int review_approve(store *db, const catalog *c, const policy *p, int64_t assessment_id, const char *actor,
                   const char *comment, int64_t *approval_id, err *e)
{
    if (store_begin(db, e) < 0)
        return -1;
    assessment_status status;
    int rc = status_of(db, assessment_id, &status, e);
    if (rc == REVIEW_E_NOT_FOUND)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)assessment_id);
    if (rc == 1 && status == ASSESSMENT_APPROVED) {
        err_set(e, "", 0, 0, "status", "the assessment is already approved");
        rc = REVIEW_E_CONFLICT;
    } else if (rc == 1 && status != ASSESSMENT_SUBMITTED) {
        err_set(e, "", 0, 0, "status", "only a submitted assessment can be approved; this one is %s",
                assessment_status_name(status));
        rc = REVIEW_E_CONFLICT;
    }
    assessment *a = NULL;
    store_agreement_list agreed = { 0 };
    if (rc == 1 && store_assessment_load(db, assessment_id, &a, e) != 1)
        rc = -1;
    if (rc == 1 && strcmp(a->catalog_id, catalog_id(c)) != 0) {
        err_set(e, "", 0, 0, "catalog", "the assessment uses catalog %s, not %s", a->catalog_id, catalog_id(c));
        rc = REVIEW_E_CONFLICT;
    }
    if (rc == 1 && store_agreement_list_assessment(db, assessment_id, &agreed, e) < 0)
        rc = -1;
    const char *first = NULL;
    size_t undecided = rc == 1 ? review_undecided(c, a, &agreed, &first) : 0;
    if (undecided) {
        err_set(e, "", 0, 0, first, "%zu achievement criteria (責任性, 複雑性, サイズ, タスク特性) have neither the "
                "reviewer's rating nor an agreement with the self-rating; the first is %s", undecided, first);
        rc = REVIEW_E_INCOMPLETE;
    }
    /* Proficiency and knowledge left as they are: agreed with the approval. */
    if (rc == 1)
        rc = agree_rest(db, c, assessment_id, a, &agreed, NULL, 0, 1, actor, NULL, e);
    if (rc == 0) {
        store_agreement_list_free(&agreed);
        rc = store_agreement_list_assessment(db, assessment_id, &agreed, e);
    }
    if (rc == 0) {
        review_apply_agreements(a, &agreed);
        rc = record_snapshot(db, c, p, assessment_id, a, &agreed, actor, approval_id, e);
    }
    if (rc == 0)
        rc = store_assessment_set_status(db, assessment_id, ASSESSMENT_APPROVED, actor, e);
    if (rc == 0 && comment && comment[strspn(comment, " \t\r\n")])
        rc = store_comment_add(db, assessment_id, actor, COMMENT_APPROVE, comment, NULL, e);
    if (rc == 0)
        rc = notify_approved(db, assessment_id, e);
    store_agreement_list_free(&agreed);
    assessment_free(a);
    if (rc == 0)
        return store_commit(db, e) < 0 ? -1 : 0;
    store_rollback(db, NULL);
    return rc;
}

int review_reopen(store *db, int64_t assessment_id, const char *actor, const char *reason, err *e)
{
    if (!reason || !reason[strspn(reason, " \t\r\n")]) {
        err_set(e, "", 0, 0, "reason", "reopening an approved assessment needs a reason");
        return REVIEW_E_INVALID;
    }
    if (store_begin(db, e) < 0)
        return -1;
    assessment_status status;
    int rc = status_of(db, assessment_id, &status, e);
    if (rc == REVIEW_E_NOT_FOUND)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)assessment_id);
    if (rc == 1 && status != ASSESSMENT_APPROVED) {
        err_set(e, "", 0, 0, "status", "only an approved assessment can be reopened; this one is %s",
                assessment_status_name(status));
        rc = REVIEW_E_CONFLICT;
    }
    store_approval ap;
    memset(&ap, 0, sizeof ap);
    if (rc == 1) {
        int found = store_approval_current(db, assessment_id, &ap, e);
        rc = found < 0 ? -1 : 0;
        if (found == 1)
            rc = store_approval_reopen(db, ap.id, actor, reason, e);
        store_approval_clear(&ap);
    }
    if (rc == 0)
        rc = store_assessment_set_status(db, assessment_id, ASSESSMENT_RETURNED, actor, e);
    if (rc == 0)
        rc = store_comment_add(db, assessment_id, actor, COMMENT_RETURN, reason, NULL, e);
    if (rc == 0)
        rc = notify_returned(db, assessment_id, reason, e);
    if (rc == 0)
        return store_commit(db, e) < 0 ? -1 : 0;
    store_rollback(db, NULL);
    return rc;
}

int review_submit(store *db, int64_t assessment_id, const char *actor, err *e)
{
    if (store_begin(db, e) < 0)
        return -1;
    int rc = store_assessment_set_status(db, assessment_id, ASSESSMENT_SUBMITTED, actor, e);
    if (rc == 0)
        rc = notify_submitted(db, assessment_id, e);
    if (rc == 0)
        return store_commit(db, e) < 0 ? -1 : 0;
    store_rollback(db, NULL);
    return -1;
}

int review_return(store *db, int64_t assessment_id, const char *actor, const char *reason, err *e)
{
    if (!reason || !reason[strspn(reason, " \t\r\n")]) {
        err_set(e, "", 0, 0, "reason", "returning an assessment needs a reason");
        return REVIEW_E_INVALID;
    }
    if (strlen(reason) > STORE_COMMENT_MAX) {
        err_set(e, "", 0, 0, "reason", "a reason is at most %d bytes", STORE_COMMENT_MAX);
        return REVIEW_E_INVALID;
    }
    if (store_begin(db, e) < 0)
        return -1;
    assessment_status status;
    int rc = status_of(db, assessment_id, &status, e);
    if (rc == REVIEW_E_NOT_FOUND)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)assessment_id);
    if (rc == 1 && status != ASSESSMENT_SUBMITTED) {
        err_set(e, "", 0, 0, "status", "only a submitted assessment can be returned; this one is %s",
                assessment_status_name(status));
        rc = REVIEW_E_CONFLICT;
    }
    if (rc == 1)
        rc = store_assessment_set_status(db, assessment_id, ASSESSMENT_RETURNED, actor, e);
    if (rc == 0)
        rc = store_comment_add(db, assessment_id, actor, COMMENT_RETURN, reason, NULL, e);
    if (rc == 0)
        rc = notify_returned(db, assessment_id, reason, e);
    if (rc == 0)
        return store_commit(db, e) < 0 ? -1 : 0;
    store_rollback(db, NULL);
    return rc;
}

/* ---- Certification ----------------------------------------------------------- */

void review_today(char out[11])
{
    rules_today(out);
}

/* 1 when d is a real date YYYY-MM-DD. */
static int real_date(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    int y = atoi(d), m = atoi(d + 5), day = atoi(d + 8);
    static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1900 && m >= 1 && m <= 12 && day >= 1 && day <= days[m - 1] && !(m == 2 && day == 29 && !leap);
}

/* d (a real date) moved by months and days into out[11]. */
static void date_add(const char *d, int months, int days, char out[11])
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = atoi(d) - 1900;
    tm.tm_mon = atoi(d + 5) - 1 + months;
    tm.tm_mday = atoi(d + 8) + days;
    tm.tm_hour = 12;
    timegm(&tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int review_default_validity(store *db, const policy *p, int64_t cycle_id, const char *on, char out[11], err *e)
{
    if (p->certificate_valid_months > 0) {
        date_add(on, p->certificate_valid_months, -1, out);
        return 0;
    }
    store_cycle_list all;
    if (store_cycle_list_all(db, &all, e) < 0)
        return -1;
    /* all: the latest opening first. Find the cycle, then walk later ones. */
    size_t at = all.count;
    for (size_t i = 0; i < all.count; i++)
        if (all.items[i].id == cycle_id)
            at = i;
    if (at == all.count) {
        store_cycle_list_free(&all);
        err_set(e, "", 0, 0, "cycle", "no cycle %lld", (long long)cycle_id);
        return REVIEW_E_NOT_FOUND;
    }
    int want = p->certificate_valid_cycles;
    if ((size_t)want <= at) {
        snprintf(out, 11, "%s", all.items[at - (size_t)want].closes);
    } else {
        /* Not yet in the database: as many years after the latest cycle's close. */
        date_add(all.items[0].closes, 12 * (want - (int)at), 0, out);
    }
    store_cycle_list_free(&all);
    return 0;
}

/* The arguments of review_certify that need no database: spec names a
 * specialization of c (*cs), the dates are real dates (valid_from defaults to
 * certified_on). 0, or REVIEW_E_INVALID with *e naming the field. */
static int certify_arguments(const catalog *c, const char *spec, const char *certified_on, const char **valid_from,
                             const char *valid_until, const catalog_spec **cs, err *e)
{
    for (size_t i = 0; spec && i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        if (strcmp(s->id, spec) == 0 || strcmp(s->code, spec) == 0 || strcmp(s->name, spec) == 0)
            *cs = s;
    }
    if (!*cs) {
        err_set(e, "", 0, 0, "specialization", "unknown specialization '%s'", spec ? spec : "");
        return REVIEW_E_INVALID;
    }
    if (!real_date(certified_on)) {
        err_set(e, "", 0, 0, "certified_on", "not a date: %s", certified_on ? certified_on : "");
        return REVIEW_E_INVALID;
    }
    if (!*valid_from || !**valid_from)
        *valid_from = certified_on;
    if (!real_date(*valid_from)) {
        err_set(e, "", 0, 0, "valid_from", "not a date (YYYY-MM-DD): %s", *valid_from);
        return REVIEW_E_INVALID;
    }
    if (valid_until && *valid_until && !real_date(valid_until)) {
        err_set(e, "", 0, 0, "valid_until", "not a date (YYYY-MM-DD): %s", valid_until);
        return REVIEW_E_INVALID;
    }
    return 0;
}

/* 1 when person_id has no unrevoked certificate of spec_id from approval_id;
 * else REVIEW_E_CONFLICT with *e naming it, or -1 on a failure. */
static int not_certified_yet(store *db, int64_t person_id, int64_t approval_id, const char *spec_id, err *e)
{
    store_certificate_filter f = { .person_id = person_id };
    store_certificate_list l;
    if (store_certificate_list_filter(db, &f, &l, e) < 0)
        return -1;
    int rc = 1;
    for (size_t i = 0; i < l.count && rc == 1; i++)
        if (l.items[i].approval_id == approval_id && strcmp(l.items[i].specialization_id, spec_id) == 0
            && !l.items[i].revoked_at) {
            err_set(e, "", 0, 0, "specialization", "this approved level is already certified: %s", l.items[i].number);
            rc = REVIEW_E_CONFLICT;
        }
    store_certificate_list_free(&l);
    return rc;
}

int review_certify(store *db, const catalog *c, const policy *p, int64_t assessment_id, const char *spec,
                   const char *certified_on, const char *valid_from, const char *valid_until, const char *actor,
                   store_certificate *out, err *e)
{
    if (out)
        memset(out, 0, sizeof *out);
    const catalog_spec *cs = NULL;
    int rc = certify_arguments(c, spec, certified_on, &valid_from, valid_until, &cs, e);
    if (rc != 0)
        return rc;
    if (store_begin(db, e) < 0)
        return -1;
    store_assessment a;
    memset(&a, 0, sizeof a);
    int found = store_assessment_get(db, assessment_id, &a, e);
    rc = found < 0 ? -1 : found == 0 ? REVIEW_E_NOT_FOUND : 1;
    if (rc == REVIEW_E_NOT_FOUND)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)assessment_id);
    store_approval ap;
    memset(&ap, 0, sizeof ap);
    if (rc == 1) {
        found = store_approval_current(db, assessment_id, &ap, e);
        if (found < 0)
            rc = -1;
        else if (found == 0 || a.status != ASSESSMENT_APPROVED) {
            err_set(e, "", 0, 0, "status", "only an approved level can be certified; the assessment of %s in %s is "
                    "%s", a.employee_number, a.cycle, assessment_status_name(a.status));
            rc = REVIEW_E_CONFLICT;
        }
    }
    int level = -1;
    for (size_t i = 0; rc == 1 && i < ap.n_levels; i++)
        if (strcmp(ap.levels[i].specialization_id, cs->id) == 0)
            level = ap.levels[i].level;
    if (rc == 1 && level < 1) {
        err_set(e, "", 0, 0, "specialization", "the approved result reaches no level of %s (未到達): nothing to "
                "certify", cs->name);
        rc = REVIEW_E_CONFLICT;
    }
    char until[11];
    if (rc == 1 && !(valid_until && *valid_until)) {
        int v = review_default_validity(db, p, a.cycle_id, valid_from, until, e);
        rc = v < 0 ? -1 : v > 0 ? v : 1;
        valid_until = until;
    }
    if (rc == 1 && strcmp(valid_until, valid_from) < 0) {
        err_set(e, "", 0, 0, "valid_until", "the validity ends (%s) before it starts (%s)", valid_until, valid_from);
        rc = REVIEW_E_INVALID;
    }
    if (rc == 1)                /* one valid certificate per person, specialization and approval */
        rc = not_certified_yet(db, a.person_id, ap.id, cs->id, e);
    char *number = NULL;
    if (rc == 1) {
        store_certificate cert;
        memset(&cert, 0, sizeof cert);
        cert.person_id = a.person_id;
        cert.approval_id = ap.id;
        cert.specialization_id = (char *)cs->id;
        cert.level = level;
        cert.certified_on = (char *)certified_on;
        cert.valid_from = (char *)valid_from;
        cert.valid_until = (char *)valid_until;
        cert.certified_by = (char *)actor;
        rc = store_certificate_add(db, &cert, NULL, &number, e);
    }
    store_certificate made;
    memset(&made, 0, sizeof made);
    if (rc == 0 && store_certificate_find(db, number, &made, e) != 1)
        rc = -1;
    if (rc == 0)
        rc = notify_certified(db, &made, cs->name, e);
    if (rc == 0 && out) {
        *out = made;
        memset(&made, 0, sizeof made);
    }
    store_certificate_clear(&made);
    free(number);
    store_approval_clear(&ap);
    store_assessment_clear(&a);
    if (rc == 0)
        return store_commit(db, e) < 0 ? -1 : 0;
    store_rollback(db, NULL);
    if (out)
        store_certificate_clear(out);
    return rc;
}

int review_revoke(store *db, const char *number, const char *actor, const char *reason, err *e)
{
    if (!reason || !reason[strspn(reason, " \t\r\n")]) {
        err_set(e, "", 0, 0, "reason", "revoking a certificate needs a reason");
        return REVIEW_E_INVALID;
    }
    store_certificate c;
    int found = store_certificate_find(db, number, &c, e);
    if (found < 0)
        return -1;
    if (!found)
        return REVIEW_E_NOT_FOUND;
    int rc = 0;
    if (c.revoked_at) {
        err_set(e, "", 0, 0, "number", "certificate %s was already revoked on %s", c.number, c.revoked_at);
        rc = REVIEW_E_CONFLICT;
    } else if (store_certificate_revoke(db, c.id, actor, reason, e) < 0) {
        rc = -1;
    }
    store_certificate_clear(&c);
    return rc;
}

const char *review_certificate_state(const store_certificate *c, const char *today)
{
    if (c->revoked_at)
        return "revoked";
    if (strcmp(today, c->valid_from) < 0)
        return "future";
    if (strcmp(today, c->valid_until) > 0)
        return "expired";
    return "valid";
}
