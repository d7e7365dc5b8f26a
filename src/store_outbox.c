/* store_outbox.c - the outbox of e-mails (store_outbox.h, schema version 11).
 * Same pattern as store.c: portable SQL with `?`, one slot per statement. */
#include "store_outbox.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define OUTBOX_COLUMNS \
    "id, created_at, template, to_addr, to_name, lang, path, params, dedupe_key, status, attempts, last_error, " \
    "next_attempt_at, sent_at"

#define OUTBOX_QUERIES(X) \
    X(INSERT, "INSERT INTO outbox (created_at, template, to_addr, to_name, lang, path, params, dedupe_key, status, " \
              "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING " \
              "RETURNING id") \
    X(LIST, "SELECT " OUTBOX_COLUMNS " FROM outbox ORDER BY id DESC LIMIT ? OFFSET ?") \
    X(LIST_STATUS, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE status = ? ORDER BY id DESC LIMIT ? OFFSET ?") \
    X(COUNT_ALL, "SELECT count(*) FROM outbox") \
    X(COUNT_STATUS, "SELECT count(*) FROM outbox WHERE status = ?") \
    X(GET, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?") \
    X(CLAIM, "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id IN (SELECT id FROM outbox " \
             "WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?) " \
             "AND status = 'pending' AND next_attempt_at <= ? RETURNING " OUTBOX_COLUMNS) \
    X(RELEASE, "UPDATE outbox SET attempts = attempts - 1, next_attempt_at = ? WHERE id = ? AND status = 'pending' " \
               "AND attempts > 0") \
    X(SENT, "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?") \
    X(FAILED_RETRY, "UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'") \
    X(FAILED_FINAL, "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND status = 'pending'") \
    X(RETRY, "UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE id = ? " \
             "AND status IN ('pending', 'failed') RETURNING id") \
    X(CLEAR, "DELETE FROM outbox") \
    X(FORGET_LINK, "UPDATE outbox SET path = NULL WHERE id = ?") \
    X(RECIPIENT, "SELECT p.email, p.name, u.lang FROM person p LEFT JOIN app_user u ON u.person_id = p.id " \
                 "WHERE p.id = ?") \
    X(USER_LANG, "UPDATE app_user SET lang = ? WHERE id = ?") \
    X(UNSUBMITTED, "SELECT p.id, p.email, p.name, u.lang FROM person p " \
                   "JOIN app_user u ON u.person_id = p.id AND u.disabled = 0 " \
                   "LEFT JOIN assessment a ON a.person_id = p.id AND a.cycle_id = ? " \
                   "WHERE p.email IS NOT NULL AND p.email <> '' " \
                   "AND (a.id IS NULL OR a.status IN ('draft', 'returned')) " \
                   "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = ? || CAST(p.id AS TEXT)) " \
                   "ORDER BY p.id")

#define OQ_ENUM(name, sql) OQ_##name,
#define OQ_SQL(name, sql) sql,
enum { OUTBOX_QUERIES(OQ_ENUM) OQ_COUNT };
static const char *const outbox_sql[] = { OUTBOX_QUERIES(OQ_SQL) };
_Static_assert(OQ_COUNT <= 50, "store_outbox.c has slots 1600..1649 (STORE_SLOT_OUTBOX)");

/* The slot and SQL of query name, as store_q_open and store_q_exec take them. */
#define OQ(name) STORE_SLOT_OUTBOX + OQ_##name, outbox_sql[OQ_##name]

/* NULL for NULL or "". */
static const char *opt(const char *s)
{
    return s && *s ? s : NULL;
}

/* Fills m from the row at st (OUTBOX_COLUMNS). */
static void read_msg(store *s, store_stmt *st, store_outbox_msg *m)
{
    memset(m, 0, sizeof *m);
    m->id = store_q_int(s, st, 0);
    m->created_at = store_q_dup(s, st, 1);
    m->template_name = store_q_dup(s, st, 2);
    m->to_addr = store_q_dup(s, st, 3);
    m->to_name = store_q_dup(s, st, 4);
    m->lang = store_q_dup(s, st, 5);
    m->path = store_q_dup(s, st, 6);
    m->params = store_q_dup(s, st, 7);
    m->dedupe_key = store_q_dup(s, st, 8);
    m->status = store_q_dup(s, st, 9);
    m->attempts = store_q_int(s, st, 10);
    m->last_error = store_q_dup(s, st, 11);
    m->next_attempt_at = store_q_dup(s, st, 12);
    m->sent_at = store_q_dup(s, st, 13);
}

int store_outbox_add(store *s, const store_outbox_msg *m, int64_t *id, int *added, err *e)
{
    if (id)
        *id = 0;
    if (added)
        *added = 0;
    if (!m->template_name || !*m->template_name)
        return err_refuse(e, ERR_INVALID, "outbox.template", "template", "a message needs a template");
    const char *lang = m->lang && strcmp(m->lang, "en") == 0 ? "en" : "ja";
    const char *to = opt(m->to_addr);
    char now[24];
    store_now_utc(now);
    store_stmt *st = store_q_open(s, OQ(INSERT), e, "tttttttttt", now, m->template_name, to, opt(m->to_name), lang,
                                  opt(m->path), m->params && *m->params ? m->params : "{}", opt(m->dedupe_key),
                                  to ? OUTBOX_PENDING : OUTBOX_NO_ADDRESS, now);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        if (id)
            *id = store_q_int(s, st, 0);
        if (added)
            *added = 1;
        while ((rc = store_q_step(s, st, e)) == 1)
            ;
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

int store_outbox_list_filter(store *s, const store_outbox_filter *f, store_outbox_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    int64_t limit = f && f->limit > 0 ? f->limit : 100, offset = f && f->offset > 0 ? f->offset : 0;
    store_stmt *st = f && f->status ? store_q_open(s, OQ(LIST_STATUS), e, "tii", f->status, limit, offset)
                                    : store_q_open(s, OQ(LIST), e, "ii", limit, offset);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        read_msg(s, st, &out->items[out->count++]);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_outbox_list_free(out);
        return -1;
    }
    return 0;
}

int store_outbox_count(store *s, const char *status, int64_t *count, err *e)
{
    *count = 0;
    store_stmt *st = status ? store_q_open(s, OQ(COUNT_STATUS), e, "t", status) : store_q_open(s, OQ(COUNT_ALL), e, "");
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        *count = store_q_int(s, st, 0);
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

int store_outbox_get(store *s, int64_t id, store_outbox_msg *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_q_open(s, OQ(GET), e, "i", id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        read_msg(s, st, out);
    store_q_close(s, st);
    if (rc == 0)
        err_set(e, "", 0, 0, "id", "no outbox message %lld", (long long)id);
    return rc;
}

int store_outbox_claim(store *s, const char *now, const char *lease_until, int ignore_due, int64_t limit,
                       store_outbox_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    /* the due moments are UTC moments: "9" is after every one of them */
    const char *due = ignore_due ? "9" : now;
    store_stmt *st = store_q_open(s, OQ(CLAIM), e, "ttit", lease_until, due, limit > 0 ? limit : 1, due);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            out->items = xrealloc(out->items, cap * sizeof *out->items);
        }
        read_msg(s, st, &out->items[out->count++]);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_outbox_list_free(out);
        return -1;
    }
    /* RETURNING gives the rows in no promised order: the oldest first */
    for (size_t i = 1; i < out->count; i++)
        for (size_t j = i; j > 0 && out->items[j - 1].id > out->items[j].id; j--) {
            store_outbox_msg t = out->items[j - 1];
            out->items[j - 1] = out->items[j];
            out->items[j] = t;
        }
    return 0;
}

int store_outbox_release(store *s, int64_t id, const char *due_at, err *e)
{
    return store_q_exec(s, OQ(RELEASE), e, "ti", due_at, id);
}

int store_outbox_mark_sent(store *s, int64_t id, const char *now, err *e)
{
    return store_q_exec(s, OQ(SENT), e, "ti", now, id);
}

int store_outbox_mark_failed(store *s, int64_t id, const char *error, const char *retry_at, err *e)
{
    char cut[1000];
    snprintf(cut, sizeof cut, "%s", error ? error : "");
    if (retry_at)
        return store_q_exec(s, OQ(FAILED_RETRY), e, "tti", cut, retry_at, id);
    return store_q_exec(s, OQ(FAILED_FINAL), e, "ti", cut, id);
}

int store_outbox_retry(store *s, int64_t id, const char *now, err *e)
{
    char t[24];
    if (!now) {
        store_now_utc(t);
        now = t;
    }
    store_outbox_msg m;
    int found = store_outbox_get(s, id, &m, e);
    if (found <= 0)
        return found < 0 ? -1 : err_refuse(e, ERR_NOT_FOUND, "outbox.unknown", "id", "no such message");
    int sendable = strcmp(m.status, OUTBOX_PENDING) == 0 || strcmp(m.status, OUTBOX_FAILED) == 0;
    store_outbox_msg_clear(&m);
    if (!sendable)
        return err_refuse(e, ERR_CONFLICT, "outbox.not_retryable", "id",
                          "only a pending or failed message can be tried again");
    return store_q_exec(s, OQ(RETRY), e, "ti", now, id);
}

int store_outbox_forget_link(store *s, int64_t id, err *e)
{
    return store_q_exec(s, OQ(FORGET_LINK), e, "i", id);
}

int store_outbox_clear_all(store *s, err *e)
{
    return store_q_exec(s, OQ(CLEAR), e, "");
}

int store_outbox_recipient(store *s, int64_t person_id, char **email, char **name, char **lang, err *e)
{
    *email = *name = *lang = NULL;
    store_stmt *st = store_q_open(s, OQ(RECIPIENT), e, "i", person_id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        *email = store_q_dup(s, st, 0);
        *name = store_q_dup(s, st, 1);
        *lang = store_q_dup(s, st, 2);
    }
    store_q_close(s, st);
    if (rc == 0)
        err_set(e, "", 0, 0, "person", "no person %lld", (long long)person_id);
    return rc;
}

int store_user_set_lang(store *s, int64_t user_id, const char *lang, err *e)
{
    if (!lang || (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0))
        return err_refuse(e, ERR_INVALID, "user.lang", "lang", "a language is ja or en");
    return store_q_exec(s, OQ(USER_LANG), e, "ti", lang, user_id);
}

/* One person of store_outbox_unsubmitted_each, held until the statement is closed. */
typedef struct unsubmitted_row {
    int64_t id;
    char *email, *name, *lang;
} unsubmitted_row;

int store_outbox_unsubmitted_each(store *s, int64_t cycle_id, const char *key_prefix,
                                  int (*fn)(const store_unsubmitted *u, void *ctx), void *ctx, err *e)
{
    store_stmt *st = store_q_open(s, OQ(UNSUBMITTED), e, "it", cycle_id, key_prefix);
    if (!st)
        return -1;
    unsubmitted_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            rows = xrealloc(rows, cap * sizeof *rows);
        }
        rows[n].id = store_q_int(s, st, 0);
        rows[n].email = store_q_dup(s, st, 1);
        rows[n].name = store_q_dup(s, st, 2);
        rows[n].lang = store_q_dup(s, st, 3);
        n++;
    }
    store_q_close(s, st);
    /* fn writes the outbox: called once the reading statement is closed */
    for (size_t i = 0; i < n && rc == 0; i++) {
        store_unsubmitted u = { rows[i].id, rows[i].email, rows[i].name, rows[i].lang };
        rc = fn(&u, ctx);
    }
    for (size_t i = 0; i < n; i++) {
        free(rows[i].email);
        free(rows[i].name);
        free(rows[i].lang);
    }
    free(rows);
    return rc;
}

void store_outbox_msg_clear(store_outbox_msg *m)
{
    free(m->created_at);
    free(m->template_name);
    free(m->to_addr);
    free(m->to_name);
    free(m->lang);
    free(m->path);
    free(m->params);
    free(m->dedupe_key);
    free(m->status);
    free(m->last_error);
    free(m->next_attempt_at);
    free(m->sent_at);
    memset(m, 0, sizeof *m);
}

void store_outbox_list_free(store_outbox_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_outbox_msg_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}
