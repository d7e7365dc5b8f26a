/* store_signin.c - one-time sign-in links (store_signin.h, schema version 11).
 * Same pattern as store.c: portable SQL with `?`, one slot per statement,
 * refusals with a key the faces word. */
#include "store_signin.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define SIGNIN_USER_COLUMNS \
    "u.id, u.login, u.person_id, u.role, u.password_hash, u.disabled, u.created_at, p.employee_number, p.name " \
    "FROM app_user u LEFT JOIN person p ON p.id = u.person_id"

#define SIGNIN_QUERIES(X) \
    X(USER_EXISTS, "SELECT 1 FROM app_user WHERE id = ?") \
    X(LINK_RETIRE, "UPDATE signin_link SET expires_at = ? WHERE user_id = ? AND used_at IS NULL AND expires_at > ?") \
    X(LINK_INSERT, "INSERT INTO signin_link (token_hash, user_id, created_by, created_at, expires_at) " \
                   "VALUES (?, ?, ?, ?, ?)") \
    X(LINK_FIND, "SELECT l.user_id, l.created_by, l.created_at, l.expires_at, l.used_at, " SIGNIN_USER_COLUMNS \
                 " JOIN signin_link l ON l.user_id = u.id WHERE l.token_hash = ?") \
    X(LINK_MARK, "UPDATE signin_link SET used_at = ? WHERE token_hash = ? AND used_at IS NULL RETURNING user_id") \
    X(USER_PASSWORD, "UPDATE app_user SET password_hash = ?, updated_at = ? WHERE id = ?") \
    X(SESSIONS_END, "DELETE FROM session WHERE user_id = ?") \
    X(TOKENS_END, "DELETE FROM api_token WHERE user_id = ?") \
    X(USER_OF_PERSON, "SELECT " SIGNIN_USER_COLUMNS " WHERE u.person_id = ?")

#define SQ_ENUM(name, sql) SQ_##name,
#define SQ_SQL(name, sql) sql,
enum { SIGNIN_QUERIES(SQ_ENUM) SQ_COUNT };
static const char *const signin_sql[] = { SIGNIN_QUERIES(SQ_SQL) };
_Static_assert(SQ_COUNT <= 50, "store_signin.c has 50 slots (STORE_SLOT_SIGNIN)");

/* The slot and SQL of query name, as store_q_open and store_q_exec take them. */
#define SQ(name) STORE_SLOT_SIGNIN + SQ_##name, signin_sql[SQ_##name]

/* Ends the innermost transaction: commits when rc >= 0 (returning rc, or -1
 * when the commit fails), else rolls back and returns rc. */
static int tx_end(store *s, int rc, err *e)
{
    if (rc >= 0)
        return store_commit(s, e) < 0 ? -1 : rc;
    store_rollback(s, NULL);
    return rc;
}

/* Reads the user columns starting at column first into *u. */
static void user_from_row(store *s, store_stmt *st, int first, store_user *u)
{
    u->id = store_q_int(s, st, first);
    u->login = store_q_dup(s, st, first + 1);
    u->person_id = store_q_int(s, st, first + 2);
    u->role = store_q_dup(s, st, first + 3);
    u->password_hash = store_q_dup(s, st, first + 4);
    u->disabled = store_q_int(s, st, first + 5) != 0;
    u->created_at = store_q_dup(s, st, first + 6);
    u->employee_number = store_q_dup(s, st, first + 7);
    u->person_name = store_q_dup(s, st, first + 8);
}

/* The moments a link is made with must be given. */
static int check_moments(const char *token_hash, const char *actor, const char *now, const char *expires_at, err *e)
{
    if (rules_text(e, "token_hash", token_hash, 1, 0) < 0 || rules_text(e, "actor", actor, 1, 0) < 0
        || rules_text(e, "now", now, 1, 0) < 0 || rules_text(e, "expires_at", expires_at, 1, 0) < 0)
        return -1;
    if (strcmp(expires_at, now) <= 0)
        return err_refuse(e, ERR_INVALID, "signin.expires", "expires_at", "a link must expire after it is made");
    return 0;
}

/* store_signin_link_add inside the caller's transaction. */
static int link_add(store *s, int64_t user_id, const char *token_hash, const char *actor, const char *now,
                    const char *expires_at, err *e)
{
    store_stmt *st = store_q_open(s, SQ(USER_EXISTS), e, "i", user_id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    store_q_close(s, st);
    if (rc == 0)
        return err_refuse(e, ERR_NOT_FOUND, "user.unknown", "user", "no user with id %lld", (long long)user_id);
    if (rc < 0)
        return -1;
    if (store_q_exec(s, SQ(LINK_RETIRE), e, "tit", now, user_id, now) < 0)
        return -1;
    return store_q_exec(s, SQ(LINK_INSERT), e, "tittt", token_hash, user_id, actor, now, expires_at);
}

int store_signin_link_add(store *s, int64_t user_id, const char *token_hash, const char *actor, const char *now,
                          const char *expires_at, err *e)
{
    if (check_moments(token_hash, actor, now, expires_at, e) < 0 || store_begin(s, e) < 0)
        return -1;
    return tx_end(s, link_add(s, user_id, token_hash, actor, now, expires_at, e), e);
}

int store_signin_reset(store *s, int64_t user_id, const char *token_hash, const char *actor, const char *now,
                       const char *expires_at, err *e)
{
    if (check_moments(token_hash, actor, now, expires_at, e) < 0 || store_begin(s, e) < 0)
        return -1;
    int rc = link_add(s, user_id, token_hash, actor, now, expires_at, e);
    if (rc == 0)
        rc = store_q_exec(s, SQ(USER_PASSWORD), e, "tti", STORE_NO_PASSWORD, now, user_id);
    if (rc == 0)
        rc = store_q_exec(s, SQ(SESSIONS_END), e, "i", user_id);
    if (rc == 0)
        rc = store_q_exec(s, SQ(TOKENS_END), e, "i", user_id);
    return tx_end(s, rc, e);
}

/* Why the link read into *l cannot be used at now: 1 it can, 0 with e's key. */
static int link_usable(const store_signin_link *l, const char *now, err *e)
{
    if (l->used_at)
        return err_refuse(e, ERR_CONFLICT, "signin.used", "token", "this sign-in link was already used") + 1;
    if (strcmp(l->expires_at, now) <= 0)
        return err_refuse(e, ERR_CONFLICT, "signin.expired", "token", "this sign-in link has expired") + 1;
    if (l->user.disabled)
        return err_refuse(e, ERR_CONFLICT, "signin.disabled", "token", "the account of this link is disabled") + 1;
    return 1;
}

/* The link row of token_hash into *out: 1, 0 (unknown, key set), -1. */
static int link_read(store *s, const char *token_hash, store_signin_link *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_q_open(s, SQ(LINK_FIND), e, "t", token_hash ? token_hash : "");
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        out->user_id = store_q_int(s, st, 0);
        out->created_by = store_q_dup(s, st, 1);
        out->created_at = store_q_dup(s, st, 2);
        out->expires_at = store_q_dup(s, st, 3);
        out->used_at = store_q_dup(s, st, 4);
        user_from_row(s, st, 5, &out->user);
    }
    store_q_close(s, st);
    if (rc == 0)
        err_refuse(e, ERR_NOT_FOUND, "signin.unknown", "token", "no such sign-in link");
    return rc;
}

int store_signin_link_find(store *s, const char *token_hash, const char *now, store_signin_link *out, err *e)
{
    int rc = link_read(s, token_hash, out, e);
    if (rc == 1 && !link_usable(out, now, e)) {
        store_signin_link_clear(out);
        return 0;
    }
    return rc;
}

int store_signin_link_use(store *s, const char *token_hash, const char *now, const char *password_hash,
                          int64_t *user_id, err *e)
{
    if (rules_text(e, "password_hash", password_hash, 1, 0) < 0 || store_begin(s, e) < 0)
        return -1;
    store_signin_link l;
    int rc = store_signin_link_find(s, token_hash, now, &l, e);
    int64_t uid = rc == 1 ? l.user_id : 0;
    if (rc == 1)
        store_signin_link_clear(&l);
    if (rc == 1) {
        store_stmt *st = store_q_open(s, SQ(LINK_MARK), e, "tt", now, token_hash);
        rc = st ? store_q_step(s, st, e) : -1;
        if (st)
            store_q_close(s, st);
        if (rc == 0)
            err_refuse(e, ERR_CONFLICT, "signin.used", "token", "this sign-in link was already used");
    }
    if (rc == 1 && (store_q_exec(s, SQ(USER_PASSWORD), e, "tti", password_hash, now, uid) < 0
                    || store_q_exec(s, SQ(SESSIONS_END), e, "i", uid) < 0
                    || store_q_exec(s, SQ(TOKENS_END), e, "i", uid) < 0))
        rc = -1;
    rc = rc == 1 ? tx_end(s, 1, e) : (store_rollback(s, NULL), rc);
    if (rc == 1 && user_id)
        *user_id = uid;
    return rc;
}

void store_signin_link_clear(store_signin_link *l)
{
    free(l->created_by);
    free(l->created_at);
    free(l->expires_at);
    free(l->used_at);
    store_user_clear(&l->user);
    memset(l, 0, sizeof *l);
}

int store_user_of_person(store *s, int64_t person_id, store_user *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = store_q_open(s, SQ(USER_OF_PERSON), e, "i", person_id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1)
        user_from_row(s, st, 0, out);
    store_q_close(s, st);
    return rc;
}
