/* store_specs.c - the specializations a diagnosis is made in (store_specs.h,
 * schema version 13). Same pattern as store_target.c: portable SQL with `?`,
 * one slot per statement, refusals naming the field. */
#include "store_specs.h"
#include "store_internal.h"
#include "rules.h"
#include "assessment_specs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define SPECS_QUERIES(X) \
    X(STATUS, "SELECT status FROM assessment WHERE id = ?") \
    X(LIST, "SELECT specialization_id, chosen_by, chosen_at FROM assessment_spec WHERE assessment_id = ? " \
            "ORDER BY specialization_id") \
    X(DROP, "DELETE FROM assessment_spec WHERE assessment_id = ?") \
    X(ADD, "INSERT INTO assessment_spec (assessment_id, specialization_id, chosen_by, chosen_at) " \
           "VALUES (?, ?, ?, ?) ON CONFLICT (assessment_id, specialization_id) DO NOTHING") \
    X(BUMP, "UPDATE assessment SET revision = (SELECT COALESCE(MAX(revision), 0) + 1 FROM assessment), " \
            "updated_at = ? WHERE id = ?")

#define SQ_ENUM(name, sql) SQ_##name,
#define SQ_SQL(name, sql) sql,
enum { SPECS_QUERIES(SQ_ENUM) SQ_COUNT };
static const char *const specs_sql[] = { SPECS_QUERIES(SQ_SQL) };

/* The slot and SQL of query name, as store_q_open and store_q_exec take them. */
#define SQ(name) STORE_SLOT_SPECS + SQ_##name, specs_sql[SQ_##name]

int store_spec_choice_get(store *s, int64_t assessment_id, store_spec_choice *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_q_open(s, SQ(LIST), e, "i", assessment_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        out->ids = xrealloc(out->ids, (out->count + 1) * sizeof *out->ids);
        out->ids[out->count++] = store_q_dup(s, st, 0);
        if (!out->chosen_by) {
            out->chosen_by = store_q_dup(s, st, 1);
            out->chosen_at = store_q_dup(s, st, 2);
        }
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_spec_choice_clear(out);
        return -1;
    }
    return 0;
}

/* The status of assessment_id into status[16]: 1, 0 when there is none, -1. */
static int status_of(store *s, int64_t assessment_id, char status[16], err *e)
{
    store_stmt *st = store_q_open(s, SQ(STATUS), e, "i", assessment_id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        const char *t = store_q_text(s, st, 0);
        snprintf(status, 16, "%s", t ? t : "");
    }
    store_q_close(s, st);
    return rc;
}

int store_spec_choice_set(store *s, int64_t assessment_id, const char *const *ids, size_t n, const char *actor,
                          err *e)
{
    if (n == 0)
        return err_refuse(e, ERR_INVALID, "specs.none", "specs", "choose at least one specialization");
    for (size_t i = 0; i < n; i++)
        if (rules_element_id(e, "specs", ids[i]) < 0)
            return -1;
    if (rules_text(e, "actor", actor, 1, 0) < 0)
        return -1;
    char at[24], status[16];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = status_of(s, assessment_id, status, e);
    if (rc == 0)
        rc = err_refuse(e, ERR_NOT_FOUND, "assessment.unknown", "assessment", "no assessment %lld",
                        (long long)assessment_id);
    else if (rc == 1 && strcmp(status, "approved") == 0)
        rc = err_refuse(e, ERR_CONFLICT, "assessment.approved", "specs",
                        "the assessment is approved: its specializations cannot change");
    else if (rc == 1)
        rc = store_q_exec(s, SQ(DROP), e, "i", assessment_id);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = store_q_exec(s, SQ(ADD), e, "ittt", assessment_id, ids[i], actor, at);
    /* A loaded assessment is cached by revision (schema v7): the choice is part of what it shows. */
    if (rc == 0)
        rc = store_q_exec(s, SQ(BUMP), e, "ti", at, assessment_id);
    if (rc < 0) {
        store_rollback(s, NULL);
        return -1;
    }
    return store_commit(s, e);
}

void store_spec_choice_clear(store_spec_choice *c)
{
    for (size_t i = 0; i < c->count; i++)
        free(c->ids[i]);
    free(c->ids);
    free(c->chosen_by);
    free(c->chosen_at);
    memset(c, 0, sizeof *c);
}

int store_diagnosed_specs(store *s, const catalog *c, int64_t assessment_id, const assessment *a, int *diagnosed,
                          int *chosen, err *e)
{
    store_spec_choice choice;
    memset(&choice, 0, sizeof choice);
    if (assessment_id && store_spec_choice_get(s, assessment_id, &choice, e) < 0)
        return -1;
    size_t n = assessment_diagnosed_specs(c, a, (const char *const *)choice.ids, choice.count, diagnosed);
    if (chosen)
        *chosen = choice.count > 0;
    store_spec_choice_clear(&choice);
    return (int)n;
}
