/* store_comment.c - the store's comments on an assessment (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_COMMENT (store_internal.h). Strings returned in structs are heap copies owned
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

#define QUERY_BASE STORE_SLOT_COMMENT
#define COMMENT_QUERIES(X) \
    X(ASSESS_BUMP, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE id = ?") \
    X(COMMENT_INSERT, "INSERT INTO assessment_comment (assessment_id, author, kind, body, created_at) " \
                      "VALUES (?, ?, ?, ?, ?) RETURNING id") \
    X(COMMENT_LIST, "SELECT c.id, c.assessment_id, c.author, c.kind, c.body, c.created_at, p.name " \
                    "FROM assessment_comment c LEFT JOIN app_user u ON u.login = c.author " \
                    "LEFT JOIN person p ON p.id = u.person_id WHERE c.assessment_id = ? ORDER BY c.id")

enum { Q_FIRST_ = QUERY_BASE - 1, COMMENT_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { COMMENT_QUERIES(STORE_QUERY_SQL) };

static const char *const comment_kind_names[COMMENT_KIND_COUNT] = { "comment", "return", "approve" };

const char *store_comment_kind_name(store_comment_kind k)
{
    return (unsigned)k < COMMENT_KIND_COUNT ? comment_kind_names[k] : "";
}

int store_comment_kind_parse(const char *name)
{
    for (int k = 0; name && k < COMMENT_KIND_COUNT; k++)
        if (strcmp(name, comment_kind_names[k]) == 0)
            return k;
    return -1;
}

/* Adds one comment; the foreign key refuses an unknown assessment. */
int store_comment_add(store *s, int64_t assessment_id, const char *author, store_comment_kind kind,
                      const char *body, int64_t *id, err *e)
{
    if (rules_text(e, "author", author, 1, 0) < 0 || rules_text(e, "body", body, 1, 1) < 0)
        return -1;
    if ((unsigned)kind >= COMMENT_KIND_COUNT)
        return store_field_error(e, "kind", "unknown comment kind %d", (int)kind);
    if (strlen(body) > STORE_COMMENT_MAX)
        return store_field_error(e, "body", "is longer than %d bytes", STORE_COMMENT_MAX);
    char at[24];
    store_now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = 0;
    if (QUERY_INT(s, Q_COMMENT_INSERT, &new_id, e, "itttt", assessment_id, author, store_comment_kind_name(kind),
              body, at) != 1) {
        if (s->fault == STORE_FAULT_FOREIGN_KEY)
            err_set(e, "", 0, 0, "assessment_id", "no assessment with id %lld", (long long)assessment_id);
        rc = -1;
    }
    /* The thread is part of what the assessment's pages show. */
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_ASSESS_BUMP, e, "i", assessment_id);
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* The thread of one assessment, oldest first, each with its author's name. */
int store_comment_list_assessment(store *s, int64_t assessment_id, store_comment_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = QUERY_OPEN(s, Q_COMMENT_LIST, e, "i", assessment_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        store_comment *c = PUSH(out->items, out->count);
        c->id = store_q_int(s, st, 0);
        c->assessment_id = store_q_int(s, st, 1);
        c->author = store_q_dup(s, st, 2);
        int kind = store_comment_kind_parse(s->drv->column_text(st, 3));
        c->kind = kind < 0 ? COMMENT_NOTE : (store_comment_kind)kind;
        c->body = store_q_dup(s, st, 4);
        c->created_at = store_q_dup(s, st, 5);
        c->author_name = store_q_dup(s, st, 6);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_comment_list_free(out);
        return -1;
    }
    return 0;
}

void store_comment_list_free(store_comment_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].author);
        free(l->items[i].body);
        free(l->items[i].created_at);
        free(l->items[i].author_name);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
