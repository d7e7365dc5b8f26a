/* store_experience.c - the store's experience records of a person (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_EXPERIENCE (store_internal.h). Strings returned in structs are heap copies owned
 * by the struct. */
#include "store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

#define EXPERIENCE_COLUMNS \
    "id, person_id, project, period_from, period_to, role, specialization_id, level, succeeded, description " \
    "FROM experience"

#define QUERY_BASE STORE_SLOT_EXPERIENCE
#define EXPERIENCE_QUERIES(X) \
    X(EXP_INSERT, "INSERT INTO experience (person_id, project, period_from, period_to, role, specialization_id, " \
                  "level, succeeded, description, created_at, updated_at) " \
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(EXP_UPDATE, "UPDATE experience SET project = ?, period_from = ?, period_to = ?, role = ?, " \
                  "specialization_id = ?, level = ?, succeeded = ?, description = ?, updated_at = ? WHERE id = ?") \
    X(EXP_BY_ID, "SELECT " EXPERIENCE_COLUMNS " WHERE id = ?") \
    X(EXP_BY_PERSON, "SELECT " EXPERIENCE_COLUMNS " WHERE person_id = ? ORDER BY COALESCE(period_from, ''), id") \
    X(EXP_OWNER, "SELECT person_id FROM experience WHERE id = ?") \
    X(EXP_ITEMS, "SELECT kind, element_id FROM experience_item WHERE experience_id = ? ORDER BY kind, position") \
    X(EXP_ITEMS_DELETE, "DELETE FROM experience_item WHERE experience_id = ?") \
    X(EXP_ITEM_INSERT, "INSERT INTO experience_item (experience_id, kind, position, element_id) VALUES (?, ?, ?, ?)") \
    X(RESULTS_DROP_PERSON, "DELETE FROM result WHERE assessment_id IN (SELECT id FROM assessment WHERE person_id = ?)")

enum { Q_FIRST_ = QUERY_BASE - 1, EXPERIENCE_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { EXPERIENCE_QUERIES(STORE_QUERY_SQL) };

/* Frees what an assessment_experience holds (one not kept by an assessment). */
static void experience_fields_free(assessment_experience *x)
{
    free(x->id);
    free(x->project);
    free(x->period_from);
    free(x->period_to);
    free(x->role);
    free(x->specialization_id);
    for (size_t i = 0; i < x->n_complexity_items; i++)
        free(x->complexity_items[i]);
    free(x->complexity_items);
    for (size_t i = 0; i < x->n_size_items; i++)
        free(x->size_items[i]);
    free(x->size_items);
    free(x->description);
    memset(x, 0, sizeof *x);
}

/* Checks one list of item ids: identifiers, each listed once. */
static int check_items(err *e, const char *field, char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rules_element_id(e, field, items[i]) < 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(items[i], items[j]) == 0)
                return store_field_error(e, field, "%s is listed twice", items[i]);
    }
    return 0;
}

/* Checks an experience record being added or edited. 0, or -1 with *e naming the
 * field. */
static int experience_check(const assessment_experience *x, err *e)
{
    if (rules_text(e, "project", x->project, 1, 0) < 0 || rules_month(e, "period_from", x->period_from) < 0
        || rules_month(e, "period_to", x->period_to) < 0 || rules_text(e, "role", x->role, 0, 0) < 0
        || rules_element_id(e, "specialization_id", x->specialization_id) < 0
        || rules_text(e, "description", x->description, 0, 1) < 0
        || check_items(e, "complexity_items", x->complexity_items, x->n_complexity_items) < 0
        || check_items(e, "size_items", x->size_items, x->n_size_items) < 0)
        return -1;
    if (store_opt(x->period_from) && store_opt(x->period_to) && strcmp(x->period_from, x->period_to) > 0)
        return store_field_error(e, "period_to", "the period ends (%s) before it starts (%s)", x->period_to,
                           x->period_from);
    if (x->level < 1 || x->level > 7)
        return store_field_error(e, "level", "level %d is not a level of the standard (1 to 7)", x->level);
    if (x->succeeded != 0 && x->succeeded != 1)
        return store_field_error(e, "succeeded", "must be 0 or 1, not %d", x->succeeded);
    return 0;
}

/* Writes the item lists of record id (after clearing the old ones). */
static int experience_items_write(store *s, int64_t id, const assessment_experience *x, err *e)
{
    if (QUERY_EXEC(s, Q_EXP_ITEMS_DELETE, e, "i", id) < 0)
        return -1;
    for (size_t i = 0; i < x->n_complexity_items; i++)
        if (QUERY_EXEC(s, Q_EXP_ITEM_INSERT, e, "itit", id, "complexity", (int64_t)i, x->complexity_items[i]) < 0)
            return -1;
    for (size_t i = 0; i < x->n_size_items; i++)
        if (QUERY_EXEC(s, Q_EXP_ITEM_INSERT, e, "itit", id, "size", (int64_t)i, x->size_items[i]) < 0)
            return -1;
    return 0;
}

/* After a change of person_id's experience records: their assessments' cached
 * results go, and their revisions move on (the records are part of every
 * loaded assessment of the person and of the levels it reaches). */
int store_drop_person_results(store *s, int64_t person_id, err *e)
{
    if (QUERY_EXEC(s, Q_RESULTS_DROP_PERSON, e, "i", person_id) < 0)
        return -1;
    return store_person_bump(s, person_id, e);
}

/* Adds experience record x of a person with its items (dropping their kept
 * results, moving their revisions) in one transaction; *id (may be NULL) gets
 * its id. 0, or -1 with *e. */
int store_experience_add(store *s, int64_t person_id, const assessment_experience *x, int64_t *id, err *e)
{
    if (experience_check(x, e) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = store_person_exists(s, person_id, e);
    if (rc == 0) {
        store_field_error(e, "person_id", "no person with id %lld", (long long)person_id);
        rc = -1;
    }
    if (rc == 1)
        rc = QUERY_INT(s, Q_EXP_INSERT, &new_id, e, "itttttiittt", person_id, x->project, store_opt(x->period_from),
                   store_opt(x->period_to), store_opt(x->role), x->specialization_id, (int64_t)x->level,
                   (int64_t)x->succeeded, store_opt(x->description), at, at) == 1 ? 0 : -1;
    if (rc == 0)
        rc = experience_items_write(s, new_id, x, e);
    if (rc == 0)
        rc = store_drop_person_results(s, person_id, e);
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* Replaces experience record id by x (dropping kept results, moving revisions) in
 * one transaction. 0, or -1 with *e. */
int store_experience_edit(store *s, int64_t id, const assessment_experience *x, err *e)
{
    if (experience_check(x, e) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    int64_t person_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_EXP_OWNER, &person_id, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no experience record with id %lld", (long long)id);
        rc = -1;
    }
    if (rc == 1)
        rc = QUERY_EXEC(s, Q_EXP_UPDATE, e, "tttttiitti", x->project, store_opt(x->period_from), store_opt(x->period_to),
                    store_opt(x->role), x->specialization_id, (int64_t)x->level, (int64_t)x->succeeded,
                    store_opt(x->description), at, id);
    if (rc == 0)
        rc = experience_items_write(s, id, x, e);
    if (rc == 0)
        rc = store_drop_person_results(s, person_id, e);
    return store_tx_end(s, rc, e);
}

/* The columns of EXPERIENCE_COLUMNS, in order. */
static const store_col experience_cols[] = {
    STORE_COL(I64, store_experience, id, "id"),
    STORE_COL(I64, store_experience, person_id, "person_id"),
    STORE_COL(TEXT, store_experience, x.project, "project"),
    STORE_COL(TEXT, store_experience, x.period_from, "period_from"),
    STORE_COL(TEXT, store_experience, x.period_to, "period_to"),
    STORE_COL(TEXT, store_experience, x.role, "role"),
    STORE_COL(TEXT, store_experience, x.specialization_id, "specialization_id"),
    STORE_COL(INT, store_experience, x.level, "level"),
    STORE_COL(INT, store_experience, x.succeeded, "succeeded"),
    STORE_COL(TEXT, store_experience, x.description, "description"),
};
static const store_row experience_row = STORE_ROW(experience_cols, store_experience);

/* Completes a record read by experience_row: its id in decimal (x.id, what
 * answers name as evidence) and its item lists. 0, or -1 with *e. */
static int experience_items_read(store *s, store_experience *out, err *e)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)out->id);
    out->x.id = xstrdup(idtext);
    store_stmt *st = QUERY_OPEN(s, Q_EXP_ITEMS, e, "i", out->id);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        const char *kind = s->drv->column_text(st, 0);
        char *item = store_q_dup(s, st, 1);
        if (kind && strcmp(kind, "complexity") == 0)
            *PUSH(out->x.complexity_items, out->x.n_complexity_items) = item;
        else
            *PUSH(out->x.size_items, out->x.n_size_items) = item;
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

/* The experience record id with its items into out (store_experience_clear
 * frees what it holds): 1 found, 0 not (with *e), -1 failed. */
int store_experience_get(store *s, int64_t id, store_experience *out, err *e)
{
    int rc = store_row_one(s, &experience_row, QUERY_OPEN(s, Q_EXP_BY_ID, e, "i", id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no experience record with id %lld", (long long)id);
    if (rc == 1 && experience_items_read(s, out, e) < 0) {
        store_experience_clear(out);
        return -1;
    }
    return rc;
}

/* The experience records of a person, by period, with their items into out
 * (the caller frees it with store_experience_list_free). 0, or -1 with *e. */
int store_experience_list_person(store *s, int64_t person_id, store_experience_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &experience_row, QUERY_OPEN(s, Q_EXP_BY_PERSON, e, "i", person_id), &out->count,
                               &rc, e);
    for (size_t i = 0; rc == 0 && i < out->count; i++)
        rc = experience_items_read(s, &out->items[i], e);
    if (rc < 0) {
        store_experience_list_free(out);
        return -1;
    }
    return 0;
}

/* Frees what x holds and zeroes it. */
void store_experience_clear(store_experience *x)
{
    experience_fields_free(&x->x);
    memset(x, 0, sizeof *x);
}

/* Frees what l holds and empties it. */
void store_experience_list_free(store_experience_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_experience_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
