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

/* The name of comment kind k ("comment", "return", "approve"); static. */
const char *store_comment_kind_name(store_comment_kind k)
{
    return (unsigned)k < COMMENT_KIND_COUNT ? comment_kind_names[k] : "";
}

/* The kind named name, or -1 (also for NULL). */
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

/* The columns of COMMENT_LIST, in order. */
_Static_assert(sizeof(store_comment_kind) == sizeof(int), "the row reader writes an enum as an int");
static const store_col comment_cols[] = {
    STORE_COL(I64, store_comment, id, "c.id"),
    STORE_COL(I64, store_comment, assessment_id, "c.assessment_id"),
    STORE_COL(TEXT, store_comment, author, "c.author"),
    STORE_COL_AS_ENUM(store_comment, kind, "c.kind", store_comment_kind_parse, COMMENT_NOTE),
    STORE_COL(TEXT, store_comment, body, "c.body"),
    STORE_COL(TEXT, store_comment, created_at, "c.created_at"),
    STORE_COL(TEXT, store_comment, author_name, "p.name"),
};
static const store_row comment_row = STORE_ROW(comment_cols, store_comment);

/* The thread of one assessment, oldest first, each with its author's name, into
 * out (the caller frees it with store_comment_list_free). 0, or -1 with *e. */
int store_comment_list_assessment(store *s, int64_t assessment_id, store_comment_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &comment_row, QUERY_OPEN(s, Q_COMMENT_LIST, e, "i", assessment_id), &out->count,
                               &rc, e);
    return rc;
}

/* Frees what l holds and empties it. */
void store_comment_list_free(store_comment_list *l)
{
    store_row_free_all(&comment_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}
