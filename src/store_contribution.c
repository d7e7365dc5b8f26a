/* store_contribution.c - the store's contributions of a person (mentoring, community, papers) (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_CONTRIBUTION (store_internal.h). Strings returned in structs are heap copies owned
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

#define CONTRIBUTION_COLUMNS "id, person_id, kind, title, date, description FROM contribution"

#define QUERY_BASE STORE_SLOT_CONTRIBUTION
#define CONTRIBUTION_QUERIES(X) \
    X(CONTRIB_INSERT, "INSERT INTO contribution (person_id, kind, title, date, description, created_at, updated_at) " \
                      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(CONTRIB_UPDATE, "UPDATE contribution SET kind = ?, title = ?, date = ?, description = ?, updated_at = ? " \
                      "WHERE id = ?") \
    X(CONTRIB_DELETE, "DELETE FROM contribution WHERE id = ?") \
    X(CONTRIB_BY_ID, "SELECT " CONTRIBUTION_COLUMNS " WHERE id = ?") \
    X(CONTRIB_BY_PERSON, "SELECT " CONTRIBUTION_COLUMNS " WHERE person_id = ? ORDER BY COALESCE(date, ''), id")

enum { Q_FIRST_ = QUERY_BASE - 1, CONTRIBUTION_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { CONTRIBUTION_QUERIES(STORE_QUERY_SQL) };

/* Checks a contribution being added or edited. 0, or -1 with *e naming the field. */
static int contribution_check(const assessment_contribution *c, err *e)
{
    if ((unsigned)c->kind >= CONTRIBUTION_KIND_COUNT)
        return store_field_error(e, "kind", "unknown kind of contribution (%d)", (int)c->kind);
    if (rules_text(e, "title", c->title, 1, 0) < 0 || rules_text(e, "description", c->description, 0, 1) < 0)
        return -1;
    if (store_opt(c->date) && !rules_is_month(c->date) && !rules_is_date(c->date))
        return store_field_error(e, "date", "'%s' is not a month or date (YYYY-MM or YYYY-MM-DD)", c->date);
    return 0;
}

/* The person whose contribution id is: 1 with *person_id, -1 (with a message
 * naming the id when there is none). */
static int contribution_owner(store *s, int64_t id, int64_t *person_id, err *e)
{
    store_stmt *st = QUERY_OPEN(s, Q_CONTRIB_BY_ID, e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        *person_id = store_q_int(s, st, 1);
    store_q_close(s, st);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no contribution with id %lld", (long long)id);
        rc = -1;
    }
    return rc;
}

/* Adds contribution c of a person (moving the revision of their assessments) in
 * one transaction; *id (may be NULL) gets its id. 0, or -1 with *e. */
int store_contribution_add(store *s, int64_t person_id, const assessment_contribution *c, int64_t *id, err *e)
{
    if (contribution_check(c, e) < 0)
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
        rc = QUERY_INT(s, Q_CONTRIB_INSERT, &new_id, e, "itttttt", person_id, contribution_kind_name(c->kind),
                   c->title, store_opt(c->date), store_opt(c->description), at, at) == 1 ? 0 : -1;
    if (rc == 0)
        rc = store_person_bump(s, person_id, e);
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* Replaces contribution id by c, moving the revision of its person's
 * assessments, in one transaction. 0, or -1 with *e. */
int store_contribution_edit(store *s, int64_t id, const assessment_contribution *c, err *e)
{
    if (contribution_check(c, e) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int64_t person_id = 0;
    int rc = contribution_owner(s, id, &person_id, e);
    if (rc == 1)
        rc = QUERY_EXEC(s, Q_CONTRIB_UPDATE, e, "ttttti", contribution_kind_name(c->kind),
                    c->title, store_opt(c->date), store_opt(c->description), at, id);
    if (rc == 0)
        rc = store_person_bump(s, person_id, e);
    return store_tx_end(s, rc, e);
}

/* Deletes contribution id, moving the revision of its person's assessments, in
 * one transaction. 0, or -1 with *e. */
int store_contribution_delete(store *s, int64_t id, err *e)
{
    if (store_begin(s, e) < 0)
        return -1;
    int64_t person_id = 0;
    int rc = contribution_owner(s, id, &person_id, e);
    if (rc == 1)
        rc = QUERY_EXEC(s, Q_CONTRIB_DELETE, e, "i", id);
    if (rc == 0)
        rc = store_person_bump(s, person_id, e);
    return store_tx_end(s, rc, e);
}

/* The columns of CONTRIBUTION_COLUMNS, in order. */
_Static_assert(sizeof(contribution_kind) == sizeof(int), "the row reader writes an enum as an int");
static const store_col contribution_cols[] = {
    STORE_COL(I64, store_contribution, id, "id"),
    STORE_COL(I64, store_contribution, person_id, "person_id"),
    STORE_COL_AS_ENUM(store_contribution, c.kind, "kind", contribution_kind_parse, CONTRIBUTION_MENTORING),
    STORE_COL(TEXT, store_contribution, c.title, "title"),
    STORE_COL(TEXT, store_contribution, c.date, "date"),
    STORE_COL(TEXT, store_contribution, c.description, "description"),
};
static const store_row contribution_row = STORE_ROW(contribution_cols, store_contribution);

/* The contribution id into out (store_contribution_clear frees what it holds):
 * 1 found, 0 not (with *e), -1 failed. */
int store_contribution_get(store *s, int64_t id, store_contribution *out, err *e)
{
    int rc = store_row_one(s, &contribution_row, QUERY_OPEN(s, Q_CONTRIB_BY_ID, e, "i", id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no contribution with id %lld", (long long)id);
    return rc;
}

/* The contributions of a person, by date, into out (the caller frees it with
 * store_contribution_list_free). 0, or -1 with *e. */
int store_contribution_list_person(store *s, int64_t person_id, store_contribution_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &contribution_row, QUERY_OPEN(s, Q_CONTRIB_BY_PERSON, e, "i", person_id),
                               &out->count, &rc, e);
    return rc;
}

/* Frees what c holds and zeroes it. */
void store_contribution_clear(store_contribution *c)
{
    store_row_clear(&contribution_row, c);
}

/* Frees what l holds and empties it. */
void store_contribution_list_free(store_contribution_list *l)
{
    store_row_free_all(&contribution_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
