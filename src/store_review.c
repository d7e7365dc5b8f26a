/* store_review.c - the store's review decisions, approvals and certificates
 * (schema version 9; store.h "Reviews, approvals, certificates", docs/review.md);
 * the agreements are store_agreement.c's, what a compact approval keeps
 * store_approval.c's.
 *
 * Same pattern as store.c: portable SQL with `?`, one slot per statement
 * (from STORE_SLOT_REVIEW), every change of several rows in one transaction.
 * Approvals, their levels, reopenings, certificates and revocations are only
 * ever inserted (the schema's triggers refuse UPDATE and DELETE). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APPROVAL_COLUMNS \
    "ap.id, ap.assessment_id, ap.approved_by, ap.approved_at, ap.policy_id, ap.policy_version, ap.catalog_id, " \
    "ap.catalog_version, ap.result, ap.explanation, ap.experience, r.reopened_by, r.reopened_at, r.reason, " \
    "b.answers_through FROM approval ap LEFT JOIN approval_reopen r ON r.approval_id = ap.id " \
    "LEFT JOIN approval_basis b ON b.approval_id = ap.id"
#define CERTIFICATE_COLUMNS \
    "c.id, c.number, c.person_id, c.approval_id, c.specialization_id, c.level, c.certified_on, c.valid_from, " \
    "c.valid_until, c.certified_by, c.created_at, v.revoked_by, v.revoked_at, v.reason, p.employee_number, " \
    "p.name, ap.assessment_id, cy.name " \
    "FROM certificate c JOIN person p ON p.id = c.person_id JOIN approval ap ON ap.id = c.approval_id " \
    "JOIN assessment a ON a.id = ap.assessment_id JOIN cycle cy ON cy.id = a.cycle_id " \
    "LEFT JOIN certificate_revocation v ON v.certificate_id = c.id"

#define REVIEW_QUERIES(X) \
    X(BUMP, "UPDATE assessment SET revision = (SELECT COALESCE(MAX(revision), 0) + 1 FROM assessment) WHERE id = ?") \
    X(APPROVAL_INSERT, "INSERT INTO approval (assessment_id, approved_by, approved_at, policy_id, policy_version, " \
                       "catalog_id, catalog_version, result, explanation, experience) " \
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(APPROVAL_LEVEL_INSERT, "INSERT INTO approval_level (approval_id, specialization_id, level) VALUES (?, ?, ?)") \
    X(APPROVAL_CURRENT, "SELECT " APPROVAL_COLUMNS " WHERE ap.assessment_id = ? ORDER BY ap.id DESC LIMIT 1") \
    X(APPROVAL_GET, "SELECT " APPROVAL_COLUMNS " WHERE ap.id = ?") \
    X(APPROVAL_LIST, "SELECT " APPROVAL_COLUMNS " WHERE ap.assessment_id = ? ORDER BY ap.id") \
    X(APPROVAL_LEVELS, "SELECT specialization_id, level FROM approval_level WHERE approval_id = ? " \
                       "ORDER BY specialization_id") \
    X(REOPEN, "INSERT INTO approval_reopen (approval_id, reopened_by, reopened_at, reason) VALUES (?, ?, ?, ?)") \
    X(CERT_NEXT, "SELECT COALESCE(MAX(id), 0) + 1 FROM certificate") \
    X(CERT_INSERT, "INSERT INTO certificate (id, number, person_id, approval_id, specialization_id, level, " \
                   "certified_on, valid_from, valid_until, certified_by, created_at) " \
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") \
    X(CERT_FIND, "SELECT " CERTIFICATE_COLUMNS " WHERE c.number = ?") \
    X(CERT_GET, "SELECT " CERTIFICATE_COLUMNS " WHERE c.id = ?") \
    X(CERT_LIST, "SELECT " CERTIFICATE_COLUMNS " WHERE (CAST(? AS BIGINT) = 0 OR c.person_id = ?) " \
                 "AND (CAST(? AS TEXT) IS NULL OR (v.certificate_id IS NULL AND c.valid_from <= ? " \
                 "AND c.valid_until >= ?)) AND (CAST(? AS TEXT) IS NULL OR c.valid_until <= ?) " \
                 "ORDER BY c.id DESC") \
    X(REVOKE, "INSERT INTO certificate_revocation (certificate_id, revoked_by, revoked_at, reason) " \
              "VALUES (?, ?, ?, ?)") \
    X(APPROVAL_ASSESSMENT, "SELECT assessment_id FROM approval WHERE id = ?") \
    X(OFFICIAL_CERTS, "SELECT c.specialization_id, c.level, c.number FROM certificate c " \
                      "JOIN approval ap ON ap.id = c.approval_id " \
                      "LEFT JOIN certificate_revocation v ON v.certificate_id = c.id " \
                      "WHERE ap.assessment_id = ? AND v.certificate_id IS NULL AND c.valid_from <= ? " \
                      "AND c.valid_until >= ? ORDER BY c.id")

#define RQ_ENUM(name, sql) RQ_##name,
#define RQ_SQL(name, sql) sql,
enum { REVIEW_QUERIES(RQ_ENUM) RQ_COUNT };
static const char *const review_sql[RQ_COUNT] = { REVIEW_QUERIES(RQ_SQL) };

/* Opens query q of this file with its arguments bound. */
#define RQ_OPEN(s, q, e, ...) store_q_open((s), STORE_SLOT_REVIEW + (q), review_sql[q], (e), __VA_ARGS__)
#define RQ_EXEC(s, q, e, ...) store_q_exec((s), STORE_SLOT_REVIEW + (q), review_sql[q], (e), __VA_ARGS__)

static char *dup_text(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* Ends the operation's transaction: commit when rc >= 0, else roll back. */
static int finish(store *s, int rc, err *e)
{
    if (rc >= 0)
        return store_commit(s, e) < 0 ? -1 : rc;
    store_rollback(s, NULL);
    return rc;
}

/* A required one-line-or-more text of at most 4000 bytes. */
static int check_reason(err *e, const char *field, const char *v)
{
    if (!v || !v[strspn(v, " \t\r\n")]) {
        err_set(e, "", 0, 0, field, "%s is required", field);
        return -1;
    }
    if (strlen(v) > 4000) {
        err_set(e, "", 0, 0, field, "%s is longer than 4000 bytes", field);
        return -1;
    }
    return 0;
}

static int check_actor_label(err *e, const char *actor)
{
    if (!actor || !*actor) {
        err_set(e, "", 0, 0, "actor", "actor is required");
        return -1;
    }
    return 0;
}

/* ---- Agreements: store_agreement.c (schema 15) ------------------------------- */

/* ---- Approvals ----------------------------------------------------------- */

/* The columns of RQ_APPROVAL_LEVELS, in order. */
static const store_col level_cols[] = {
    STORE_COL(TEXT, store_approval_level, specialization_id, "specialization_id"),
    STORE_COL(INT, store_approval_level, level, "level"),
};
static const store_row level_row = STORE_ROW(level_cols, store_approval_level);

/* The columns of APPROVAL_COLUMNS, in order (the levels are read apart). */
static const store_col approval_cols[] = {
    STORE_COL(I64, store_approval, id, "ap.id"),
    STORE_COL(I64, store_approval, assessment_id, "ap.assessment_id"),
    STORE_COL(TEXT, store_approval, approved_by, "ap.approved_by"),
    STORE_COL(TEXT, store_approval, approved_at, "ap.approved_at"),
    STORE_COL(TEXT, store_approval, policy_id, "ap.policy_id"),
    STORE_COL(TEXT, store_approval, policy_version, "ap.policy_version"),
    STORE_COL(TEXT, store_approval, catalog_id, "ap.catalog_id"),
    STORE_COL(TEXT, store_approval, catalog_version, "ap.catalog_version"),
    STORE_COL(TEXT, store_approval, result, "ap.result"),
    STORE_COL(TEXT, store_approval, explanation, "ap.explanation"),
    STORE_COL(TEXT, store_approval, experience, "ap.experience"),
    STORE_COL(TEXT, store_approval, reopened_by, "r.reopened_by"),
    STORE_COL(TEXT, store_approval, reopened_at, "r.reopened_at"),
    STORE_COL(TEXT, store_approval, reopen_reason, "r.reason"),
    STORE_COL(I64, store_approval, answers_through, "b.answers_through"),
};
static const store_row approval_row = STORE_ROW(approval_cols, store_approval);

/* The levels of approval a->id into a (a owns them). 0, or -1 with *e. */
static int read_levels(store *s, store_approval *a, err *e)
{
    int rc;
    a->levels = store_row_all(s, &level_row, RQ_OPEN(s, RQ_APPROVAL_LEVELS, e, "i", a->id), &a->n_levels, &rc, e);
    return rc;
}

int store_approval_add(store *s, const store_approval *a, int64_t *id, err *e)
{
    if (check_actor_label(e, a->approved_by) < 0)
        return -1;
    if (!a->policy_id || !a->policy_version || !a->catalog_id || !a->catalog_version
        || (!a->basis && (!a->result || !a->explanation)) || !a->experience) {
        err_set(e, "", 0, 0, "approval", "an approval needs its policy, catalog, result, explanation and records");
        return -1;
    }
    /* A compact approval keeps what rebuilds its result and explanation
     * (store_approval.c), not their texts. */
    const char *result = a->basis ? "" : a->result, *explanation = a->basis ? "" : a->explanation;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int64_t new_id = 0;
    store_stmt *st = RQ_OPEN(s, RQ_APPROVAL_INSERT, e, "itttttttt" "t", a->assessment_id, a->approved_by,
                             a->approved_at ? a->approved_at : at, a->policy_id, a->policy_version, a->catalog_id,
                             a->catalog_version, result, explanation, a->experience);
    int rc = st ? store_q_step(s, st, e) : -1;
    if (rc == 1) {
        new_id = store_q_int(s, st, 0);
        while ((rc = store_q_step(s, st, e)) == 1)
            ;
    }
    if (st)
        store_q_close(s, st);
    for (size_t i = 0; rc == 0 && i < a->n_levels; i++)
        rc = RQ_EXEC(s, RQ_APPROVAL_LEVEL_INSERT, e, "iti", new_id, a->levels[i].specialization_id,
                     (int64_t)a->levels[i].level);
    if (rc == 0 && a->basis)
        rc = store_approval_basis_add(s, new_id, a->assessment_id, a->basis, e);
    if (rc < 0 && store_q_fault(s) == STORE_FAULT_FOREIGN_KEY)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)a->assessment_id);
    if (rc == 0 && id)
        *id = new_id;
    return finish(s, rc, e);
}

/* Runs an approval query with one integer argument into out, with its levels
 * (store_approval_clear frees them): 1 read, 0 none, -1 failed. */
static int approval_one(store *s, int q, int64_t arg, store_approval *out, err *e)
{
    int rc = store_row_one(s, &approval_row, RQ_OPEN(s, q, e, "i", arg), out, e);
    if (rc == 1 && read_levels(s, out, e) < 0) {
        store_approval_clear(out);
        return -1;
    }
    return rc;
}

int store_approval_current(store *s, int64_t assessment_id, store_approval *out, err *e)
{
    int rc = approval_one(s, RQ_APPROVAL_CURRENT, assessment_id, out, e);
    if (rc == 1 && out->reopened_at) {
        store_approval_clear(out);
        rc = 0;
    }
    if (rc == 0)
        err_set(e, "", 0, 0, "assessment", "the assessment has no approval in force");
    return rc;
}

int store_approval_get(store *s, int64_t id, store_approval *out, err *e)
{
    int rc = approval_one(s, RQ_APPROVAL_GET, id, out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, "approval", "no approval %lld", (long long)id);
    return rc;
}

/* The approvals of an assessment, oldest first, with their levels into out (the
 * caller frees it with store_approval_list_free). 0, or -1 with *e. */
int store_approval_list_assessment(store *s, int64_t assessment_id, store_approval_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &approval_row, RQ_OPEN(s, RQ_APPROVAL_LIST, e, "i", assessment_id), &out->count,
                               &rc, e);
    for (size_t i = 0; rc == 0 && i < out->count; i++)
        rc = read_levels(s, &out->items[i], e);
    if (rc < 0)
        store_approval_list_free(out);
    return rc < 0 ? -1 : 0;
}

int store_approval_reopen(store *s, int64_t id, const char *actor, const char *reason, err *e)
{
    if (check_actor_label(e, actor) < 0 || check_reason(e, "reason", reason) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    store_approval a;
    int rc = store_approval_get(s, id, &a, e);
    if (rc == 1 && a.reopened_at) {
        err_set(e, "", 0, 0, "approval", "approval %lld was already reopened", (long long)id);
        rc = -1;
    } else if (rc == 0) {
        rc = -1;
    }
    int64_t assessment_id = rc == 1 ? a.assessment_id : 0;
    if (rc == 1)
        store_approval_clear(&a);
    if (rc == 1)
        rc = RQ_EXEC(s, RQ_REOPEN, e, "itt" "t", id, actor, at, reason);
    if (rc == 0)
        rc = RQ_EXEC(s, RQ_BUMP, e, "i", assessment_id);
    return finish(s, rc, e);
}

/* Frees what a holds (its levels too) and zeroes it; a may be NULL. */
void store_approval_clear(store_approval *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_levels; i++)
        store_row_clear(&level_row, &a->levels[i]);
    free(a->levels);
    store_row_clear(&approval_row, a);
}

void store_approval_list_free(store_approval_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_approval_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Certificates -------------------------------------------------------- */

/* The columns of CERTIFICATE_COLUMNS, in order. */
static const store_col certificate_cols[] = {
    STORE_COL(I64, store_certificate, id, "c.id"),
    STORE_COL(TEXT, store_certificate, number, "c.number"),
    STORE_COL(I64, store_certificate, person_id, "c.person_id"),
    STORE_COL(I64, store_certificate, approval_id, "c.approval_id"),
    STORE_COL(TEXT, store_certificate, specialization_id, "c.specialization_id"),
    STORE_COL(INT, store_certificate, level, "c.level"),
    STORE_COL(TEXT, store_certificate, certified_on, "c.certified_on"),
    STORE_COL(TEXT, store_certificate, valid_from, "c.valid_from"),
    STORE_COL(TEXT, store_certificate, valid_until, "c.valid_until"),
    STORE_COL(TEXT, store_certificate, certified_by, "c.certified_by"),
    STORE_COL(TEXT, store_certificate, created_at, "c.created_at"),
    STORE_COL(TEXT, store_certificate, revoked_by, "v.revoked_by"),
    STORE_COL(TEXT, store_certificate, revoked_at, "v.revoked_at"),
    STORE_COL(TEXT, store_certificate, revoke_reason, "v.reason"),
    STORE_COL(TEXT, store_certificate, employee_number, "p.employee_number"),
    STORE_COL(TEXT, store_certificate, person_name, "p.name"),
    STORE_COL(I64, store_certificate, assessment_id, "ap.assessment_id"),
    STORE_COL(TEXT, store_certificate, cycle, "cy.name"),
};
static const store_row certificate_row = STORE_ROW(certificate_cols, store_certificate);

/* 1 when d is YYYY-MM-DD in shape. */
static int date_shape(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    int m = atoi(d + 5), day = atoi(d + 8);
    return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

int store_certificate_add(store *s, const store_certificate *c, int64_t *id, char **number, err *e)
{
    if (check_actor_label(e, c->certified_by) < 0)
        return -1;
    static const char *const fields[] = { "certified_on", "valid_from", "valid_until" };
    const char *dates[] = { c->certified_on, c->valid_from, c->valid_until };
    for (int i = 0; i < 3; i++)
        if (!date_shape(dates[i])) {
            err_set(e, "", 0, 0, fields[i], "%s must be a date YYYY-MM-DD, not '%s'", fields[i],
                    dates[i] ? dates[i] : "");
            return -1;
        }
    if (strcmp(c->valid_until, c->valid_from) < 0) {
        err_set(e, "", 0, 0, "valid_until", "the validity ends (%s) before it starts (%s)", c->valid_until,
                c->valid_from);
        return -1;
    }
    if (c->level < 1 || !c->specialization_id || !*c->specialization_id) {
        err_set(e, "", 0, 0, "level", "only a level reached (1 or more) of a specialization can be certified");
        return -1;
    }
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int64_t next = 0, assessment_id = 0;
    store_stmt *st = RQ_OPEN(s, RQ_CERT_NEXT, e, "");
    int rc = st ? store_q_step(s, st, e) : -1;
    if (rc == 1)
        next = store_q_int(s, st, 0);
    if (st)
        store_q_close(s, st);
    if (rc == 1) {
        st = RQ_OPEN(s, RQ_APPROVAL_ASSESSMENT, e, "i", c->approval_id);
        rc = st ? store_q_step(s, st, e) : -1;
        if (rc == 1)
            assessment_id = store_q_int(s, st, 0);
        if (st)
            store_q_close(s, st);
        if (rc == 0)
            err_set(e, "", 0, 0, "approval", "no approval %lld", (long long)c->approval_id);
    }
    char made[40];
    snprintf(made, sizeof made, "ITSS-%.4s-%06lld", c->certified_on, (long long)next);
    if (rc == 1)
        rc = RQ_EXEC(s, RQ_CERT_INSERT, e, "itiitittttt", next, made, c->person_id, c->approval_id,
                     c->specialization_id, (int64_t)c->level, c->certified_on, c->valid_from, c->valid_until,
                     c->certified_by, at);
    else
        rc = -1;
    if (rc < 0 && store_q_fault(s) == STORE_FAULT_FOREIGN_KEY)
        err_set(e, "", 0, 0, "person", "no person %lld", (long long)c->person_id);
    if (rc == 0)
        rc = RQ_EXEC(s, RQ_BUMP, e, "i", assessment_id);
    if (rc == 0) {
        if (id)
            *id = next;
        if (number)
            *number = dup_text(made);
    }
    return finish(s, rc, e);
}

/* Runs a certificate query with one argument (types "t" or "i") into out
 * (store_certificate_clear frees it): 1 read, 0 none, -1 failed. */
static int certificate_one(store *s, int q, const char *types, const char *text, int64_t n, store_certificate *out,
                           err *e)
{
    store_stmt *st = types[0] == 't' ? RQ_OPEN(s, q, e, "t", text) : RQ_OPEN(s, q, e, "i", n);
    return store_row_one(s, &certificate_row, st, out, e);
}

int store_certificate_find(store *s, const char *number, store_certificate *out, err *e)
{
    int rc = certificate_one(s, RQ_CERT_FIND, "t", number ? number : "", 0, out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, "number", "no certificate numbered %s", number ? number : "");
    return rc;
}

int store_certificate_list_filter(store *s, const store_certificate_filter *f, store_certificate_list *out,
                                  err *e)
{
    memset(out, 0, sizeof *out);
    store_certificate_filter none;
    memset(&none, 0, sizeof none);
    if (!f)
        f = &none;
    store_stmt *st = RQ_OPEN(s, RQ_CERT_LIST, e, "iitttt" "t", f->person_id, f->person_id, f->valid_on,
                             f->valid_on, f->valid_on, f->until_before, f->until_before);
    int rc;
    out->items = store_row_all(s, &certificate_row, st, &out->count, &rc, e);
    return rc;
}

int store_certificate_revoke(store *s, int64_t id, const char *actor, const char *reason, err *e)
{
    if (check_actor_label(e, actor) < 0 || check_reason(e, "reason", reason) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    store_certificate c;
    int rc = certificate_one(s, RQ_CERT_GET, "i", NULL, id, &c, e);
    if (rc == 0)
        err_set(e, "", 0, 0, "number", "no certificate %lld", (long long)id);
    if (rc == 1 && c.revoked_at) {
        err_set(e, "", 0, 0, "number", "certificate %s was already revoked on %s", c.number, c.revoked_at);
        rc = -1;
    } else if (rc == 0) {
        rc = -1;
    }
    int64_t assessment_id = rc == 1 ? c.assessment_id : 0;
    if (rc == 1)
        store_certificate_clear(&c);
    if (rc == 1)
        rc = RQ_EXEC(s, RQ_REVOKE, e, "itt" "t", id, actor, at, reason);
    if (rc == 0)
        rc = RQ_EXEC(s, RQ_BUMP, e, "i", assessment_id);
    return finish(s, rc, e);
}

/* Frees what c holds and zeroes it; c may be NULL. */
void store_certificate_clear(store_certificate *c)
{
    if (c)
        store_row_clear(&certificate_row, c);
}

void store_certificate_list_free(store_certificate_list *l)
{
    store_row_free_all(&certificate_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}

/* ---- Official levels ----------------------------------------------------- */

int store_official_levels(store *s, int64_t assessment_id, const char *today, store_official *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_approval a;
    int rc = store_approval_current(s, assessment_id, &a, e);
    if (rc < 0)
        return -1;
    size_t cap = 0;
    if (rc == 1) {
        out->approval_id = a.id;
        cap = a.n_levels ? a.n_levels : 1;
        out->items = calloc(cap, sizeof *out->items);
        if (!out->items)
            abort();
        for (size_t i = 0; i < a.n_levels; i++) {
            out->items[i].specialization_id = dup_text(a.levels[i].specialization_id);
            out->items[i].level = a.levels[i].level;
        }
        out->count = a.n_levels;
        store_approval_clear(&a);
    }
    store_stmt *st = RQ_OPEN(s, RQ_OFFICIAL_CERTS, e, "itt", assessment_id, today, today);
    if (!st) {
        store_official_clear(out);
        return -1;
    }
    while ((rc = store_q_step(s, st, e)) == 1) {
        char *spec_id = store_q_dup(s, st, 0);
        store_official_level *l = NULL;
        for (size_t i = 0; i < out->count && !l; i++)
            if (strcmp(out->items[i].specialization_id, spec_id) == 0)
                l = &out->items[i];
        if (!l) {
            if (out->count == cap) {
                cap = cap ? cap * 2 : 4;
                out->items = realloc(out->items, cap * sizeof *out->items);
                if (!out->items)
                    abort();
            }
            l = &out->items[out->count++];
            memset(l, 0, sizeof *l);
            l->specialization_id = spec_id;
        } else {
            free(spec_id);
        }
        l->level = (int)store_q_int(s, st, 1);
        l->certified = 1;
        free(l->certificate_number);
        l->certificate_number = store_q_dup(s, st, 2);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_official_clear(out);
        return -1;
    }
    return 0;
}

void store_official_clear(store_official *o)
{
    for (size_t i = 0; i < o->count; i++) {
        free(o->items[i].specialization_id);
        free(o->items[i].certificate_number);
    }
    free(o->items);
    memset(o, 0, sizeof *o);
}
