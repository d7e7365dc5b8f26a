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
    X(PERSON_NUMBER_BY_ID, "SELECT employee_number FROM person WHERE id = ?") \
    X(CONTRIB_INSERT, "INSERT INTO contribution (person_id, kind, title, date, description, created_at, updated_at) " \
                      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(CONTRIB_UPDATE, "UPDATE contribution SET kind = ?, title = ?, date = ?, description = ?, updated_at = ? " \
                      "WHERE id = ?") \
    X(CONTRIB_DELETE, "DELETE FROM contribution WHERE id = ?") \
    X(CONTRIB_BY_ID, "SELECT " CONTRIBUTION_COLUMNS " WHERE id = ?") \
    X(CONTRIB_BY_PERSON, "SELECT " CONTRIBUTION_COLUMNS " WHERE person_id = ? ORDER BY COALESCE(date, ''), id") \
    X(ASSESS_BUMP_PERSON, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE person_id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, CONTRIBUTION_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { CONTRIBUTION_QUERIES(STORE_QUERY_SQL) };

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

int store_contribution_add(store *s, int64_t person_id, const assessment_contribution *c, int64_t *id, err *e)
{
    if (contribution_check(c, e) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", person_id);
    if (rc == 0) {
        store_field_error(e, "person_id", "no person with id %lld", (long long)person_id);
        rc = -1;
    }
    if (rc == 1)
        rc = QUERY_INT(s, Q_CONTRIB_INSERT, &new_id, e, "itttttt", person_id, contribution_kind_name(c->kind),
                   c->title, store_opt(c->date), store_opt(c->description), at, at) == 1 ? 0 : -1;
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

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
        rc = QUERY_EXEC(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
    return store_tx_end(s, rc, e);
}

int store_contribution_delete(store *s, int64_t id, err *e)
{
    if (store_begin(s, e) < 0)
        return -1;
    int64_t person_id = 0;
    int rc = contribution_owner(s, id, &person_id, e);
    if (rc == 1)
        rc = QUERY_EXEC(s, Q_CONTRIB_DELETE, e, "i", id);
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
    return store_tx_end(s, rc, e);
}

static void contribution_from_row(store *s, store_stmt *st, store_contribution *out)
{
    out->id = store_q_int(s, st, 0);
    out->person_id = store_q_int(s, st, 1);
    int kind = contribution_kind_parse(s->drv->column_text(st, 2) ? s->drv->column_text(st, 2) : "");
    out->c.kind = kind < 0 ? CONTRIBUTION_MENTORING : (contribution_kind)kind;
    out->c.title = store_q_dup(s, st, 3);
    out->c.date = store_q_dup(s, st, 4);
    out->c.description = store_q_dup(s, st, 5);
}

int store_contribution_get(store *s, int64_t id, store_contribution *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = QUERY_OPEN(s, Q_CONTRIB_BY_ID, e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        contribution_from_row(s, st, out);
    store_q_close(s, st);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no contribution with id %lld", (long long)id);
    return rc;
}

int store_contribution_list_person(store *s, int64_t person_id, store_contribution_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = QUERY_OPEN(s, Q_CONTRIB_BY_PERSON, e, "i", person_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1)
        contribution_from_row(s, st, PUSH(out->items, out->count));
    store_q_close(s, st);
    if (rc < 0) {
        store_contribution_list_free(out);
        return -1;
    }
    return 0;
}

void store_contribution_clear(store_contribution *c)
{
    free(c->c.title);
    free(c->c.date);
    free(c->c.description);
    memset(c, 0, sizeof *c);
}

void store_contribution_list_free(store_contribution_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_contribution_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
