/* store_user.c - the store's accounts: users, sessions, API tokens, failed logins (store.h).
 *
 * Split out of store.c: portable SQL with `?`, one slot per statement from
 * STORE_SLOT_USER (store_internal.h). Strings returned in structs are heap copies owned
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

#define USER_COLUMNS \
    "u.id, u.login, u.person_id, u.role, u.password_hash, u.disabled, u.created_at, p.employee_number, p.name " \
    "FROM app_user u LEFT JOIN person p ON p.id = u.person_id"

#define QUERY_BASE STORE_SLOT_USER
#define USER_QUERIES(X) \
    X(USER_INSERT, "INSERT INTO app_user (login, person_id, role, password_hash, disabled, created_at, updated_at) " \
                   "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(USER_UPDATE, "UPDATE app_user SET person_id = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?") \
    X(USER_SET_PASSWORD, "UPDATE app_user SET password_hash = ?, updated_at = ? WHERE id = ?") \
    X(USER_BY_LOGIN, "SELECT " USER_COLUMNS " WHERE u.login = ?") \
    X(USER_BY_ID, "SELECT " USER_COLUMNS " WHERE u.id = ?") \
    X(USER_ALL, "SELECT " USER_COLUMNS " ORDER BY u.login") \
    X(USER_OF_PERSON, "SELECT id FROM app_user WHERE person_id = ?") \
    X(SESSION_INSERT, "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at) " \
                      "VALUES (?, ?, ?, ?, ?)") \
    X(SESSION_FIND, "SELECT x.csrf_token, x.created_at, x.last_seen_at, " USER_COLUMNS \
                    " JOIN session x ON x.user_id = u.id WHERE x.token_hash = ?") \
    X(SESSION_TOUCH, "UPDATE session SET last_seen_at = ? WHERE token_hash = ?") \
    X(SESSION_DELETE, "DELETE FROM session WHERE token_hash = ?") \
    X(SESSION_DELETE_USER, "DELETE FROM session WHERE user_id = ?") \
    X(SESSION_PRUNE, "DELETE FROM session WHERE last_seen_at < ? OR created_at < ?") \
    X(TOKEN_INSERT, "INSERT INTO api_token (token_hash, user_id, name, created_at, expires_at, scope) " \
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id") \
    X(TOKEN_DELETE_USER, "DELETE FROM api_token WHERE user_id = ?") \
    X(TOKEN_FIND, "SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.scope, " USER_COLUMNS \
                  " JOIN api_token t ON t.user_id = u.id WHERE t.token_hash = ?") \
    X(TOKEN_ALL, "SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.scope, " USER_COLUMNS \
                 " JOIN api_token t ON t.user_id = u.id ORDER BY u.login, t.id") \
    X(TOKEN_BY_USER, "SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.scope, " USER_COLUMNS \
                     " JOIN api_token t ON t.user_id = u.id WHERE t.user_id = ? ORDER BY t.id") \
    X(TOKEN_TOUCH, "UPDATE api_token SET last_used_at = ? WHERE id = ?") \
    X(TOKEN_DELETE, "DELETE FROM api_token WHERE id = ? RETURNING id") \
    X(FAILURE_INSERT, "INSERT INTO login_failure (login, address, at) VALUES (?, ?, ?)") \
    X(FAILURES_OF_PAIR, "SELECT COUNT(*), COALESCE(MAX(at), '') FROM login_failure " \
                        "WHERE login = ? AND address = ? AND at >= ?") \
    X(FAILURES_OF_ADDRESS, "SELECT COUNT(*) FROM login_failure WHERE address = ? AND at >= ?") \
    X(FAILURES_CLEAR, "DELETE FROM login_failure WHERE login = ? AND address = ?") \
    X(FAILURES_PRUNE, "DELETE FROM login_failure WHERE at < ?")

enum { Q_FIRST_ = QUERY_BASE - 1, USER_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { USER_QUERIES(STORE_QUERY_SQL) };

/* The columns of USER_COLUMNS, in order. */
static const store_col user_cols[] = {
    STORE_COL(I64, store_user, id, "u.id"),
    STORE_COL(TEXT, store_user, login, "u.login"),
    STORE_COL(I64, store_user, person_id, "u.person_id"),
    STORE_COL(TEXT, store_user, role, "u.role"),
    STORE_COL(TEXT, store_user, password_hash, "u.password_hash"),
    STORE_COL(BOOL, store_user, disabled, "u.disabled"),
    STORE_COL(TEXT, store_user, created_at, "u.created_at"),
    STORE_COL(TEXT, store_user, employee_number, "p.employee_number"),
    STORE_COL(TEXT, store_user, person_name, "p.name"),
};
static const store_row user_row = STORE_ROW(user_cols, store_user);

/* A session row: its columns, then USER_COLUMNS. */
static const store_col session_cols[] = {
    STORE_COL(TEXT, store_session, csrf_token, "x.csrf_token"),
    STORE_COL(TEXT, store_session, created_at, "x.created_at"),
    STORE_COL(TEXT, store_session, last_seen_at, "x.last_seen_at"),
};
static const store_row session_row = STORE_ROW_THEN(session_cols, store_session, user_row, user);

/* A token row: its columns, then USER_COLUMNS. */
static const store_col token_cols[] = {
    STORE_COL(I64, store_api_token, id, "t.id"),
    STORE_COL(TEXT, store_api_token, name, "t.name"),
    STORE_COL(TEXT, store_api_token, created_at, "t.created_at"),
    STORE_COL(TEXT, store_api_token, expires_at, "t.expires_at"),
    STORE_COL(TEXT, store_api_token, last_used_at, "t.last_used_at"),
    STORE_COL(TEXT, store_api_token, scope, "t.scope"),
};
static const store_row token_row = STORE_ROW_THEN(token_cols, store_api_token, user_row, user);

/* The person of a user exists and has no other user. */
static int check_user_person(store *s, int64_t user_id, int64_t person_id, err *e)
{
    if (person_id == 0)
        return 0;
    int rc = store_person_exists(s, person_id, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_refuse(e, ERR_NOT_FOUND, "user.person_unknown", "person_id", "no person with id %lld",
                          (long long)person_id);
    int64_t other = 0;
    rc = QUERY_INT(s, Q_USER_OF_PERSON, &other, e, "i", person_id);
    if (rc < 0)
        return -1;
    if (rc == 1 && other != user_id) {
        store_user u;
        char *login = NULL;
        if (store_row_one(s, &user_row, QUERY_OPEN(s, Q_USER_BY_ID, NULL, "i", other), &u, NULL) == 1) {
            login = u.login;
            u.login = NULL;
        }
        store_user_clear(&u);
        err_refuse(e, ERR_DUPLICATE, "user.person_taken", "person_id", "that person already has the user %s", login ? login : "?");
        free(login);
        return -1;
    }
    return 0;
}

/* Adds user u in one transaction; *id (may be NULL) gets its id. 0, or -1 with *e
 * naming the field. */
int store_user_add(store *s, const store_user *u, int64_t *id, err *e)
{
    if (rules_login(e, "login", u->login) < 0 || rules_role(e, "role", u->role) < 0
        || rules_text(e, "password_hash", u->password_hash, 1, 0) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    store_user other;
    int rc = store_row_one(s, &user_row, QUERY_OPEN(s, Q_USER_BY_LOGIN, e, "t", u->login), &other, e);
    store_user_clear(&other);
    if (rc == 1)
        rc = err_refuse(e, ERR_DUPLICATE, "user.login_taken", "login", "the user %s already exists", u->login);
    if (rc == 0)
        rc = check_user_person(s, 0, u->person_id, e);
    if (rc == 0 && QUERY_INT(s, Q_USER_INSERT, &new_id, e, "tnttitt", u->login, u->person_id, u->role,
                         u->password_hash, (int64_t)(u->disabled != 0), at, at) != 1)
        rc = -1;
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* Changes the person, role and disabled flag of user u->id (disabling ends their
 * sessions and tokens) in one transaction. 0, or -1 with *e. */
int store_user_edit(store *s, const store_user *u, err *e)
{
    if (rules_role(e, "role", u->role) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_USER_BY_ID, NULL, e, "i", u->id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)u->id);
        rc = -1;
    } else if (rc == 1) {
        rc = check_user_person(s, u->id, u->person_id, e);
    }
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_USER_UPDATE, e, "ntiti", u->person_id, u->role, (int64_t)(u->disabled != 0), at, u->id);
    if (rc == 0 && u->disabled)
        rc = QUERY_EXEC(s, Q_SESSION_DELETE_USER, e, "i", u->id);
    if (rc == 0 && u->disabled)
        rc = QUERY_EXEC(s, Q_TOKEN_DELETE_USER, e, "i", u->id);
    return store_tx_end(s, rc, e);
}

/* Sets the password hash of user id (ending their sessions and tokens) in one transaction.
 * 0, or -1 with *e. */
int store_user_set_password(store *s, int64_t id, const char *password_hash, err *e)
{
    if (rules_text(e, "password_hash", password_hash, 1, 0) < 0)
        return -1;
    char at[24];
    store_now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = QUERY_INT(s, Q_USER_BY_ID, NULL, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)id);
        rc = -1;
    } else if (rc == 1) {
        rc = QUERY_EXEC(s, Q_USER_SET_PASSWORD, e, "tti", password_hash, at, id);
    }
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_SESSION_DELETE_USER, e, "i", id);
    if (rc == 0)
        rc = QUERY_EXEC(s, Q_TOKEN_DELETE_USER, e, "i", id);
    return store_tx_end(s, rc, e);
}

/* The user login into out (store_user_clear frees it): 1, 0 none (with *e), -1. */
int store_user_find(store *s, const char *login, store_user *out, err *e)
{
    int rc = store_row_one(s, &user_row, QUERY_OPEN(s, Q_USER_BY_LOGIN, e, "t", login ? login : ""), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no user %s", login ? login : "");
    return rc;
}

/* The user id into out (store_user_clear frees it): 1, 0 none (with *e), -1. */
int store_user_get(store *s, int64_t id, store_user *out, err *e)
{
    int rc = store_row_one(s, &user_row, QUERY_OPEN(s, Q_USER_BY_ID, e, "i", id), out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)id);
    return rc;
}

/* Every user by login into out (the caller frees it with
 * store_user_list_free). 0, or -1 with *e. */
int store_user_list_all(store *s, store_user_list *out, err *e)
{
    int rc;
    out->items = store_row_all(s, &user_row, QUERY_OPEN(s, Q_USER_ALL, e, ""), &out->count, &rc, e);
    return rc;
}

/* Frees what u holds and zeroes it. */
void store_user_clear(store_user *u)
{
    store_row_clear(&user_row, u);
}

/* Frees what l holds and empties it. */
void store_user_list_free(store_user_list *l)
{
    store_row_free_all(&user_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}

/* Records a session of user_id under token_hash. 0, or -1 with *e. */
int store_session_add(store *s, const char *token_hash, int64_t user_id, const char *csrf_token, const char *now,
                      err *e)
{
    if (rules_text(e, "token_hash", token_hash, 1, 0) < 0 || rules_text(e, "csrf_token", csrf_token, 1, 0) < 0
        || rules_text(e, "now", now, 1, 0) < 0)
        return -1;
    return QUERY_EXEC(s, Q_SESSION_INSERT, e, "tittt", token_hash, user_id, csrf_token, now, now);
}

/* The session with token_hash and its user into out (its texts are out's;
 * store_session_clear frees them): 1 found, 0 not (with *e), -1 failed. */
int store_session_find(store *s, const char *token_hash, store_session *out, err *e)
{
    int rc = store_row_one(s, &session_row, QUERY_OPEN(s, Q_SESSION_FIND, e, "t", token_hash ? token_hash : ""),
                           out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no such session");
    return rc;
}

/* Sets the last use of the session token_hash to now. 0, or -1 with *e. */
int store_session_touch(store *s, const char *token_hash, const char *now, err *e)
{
    return QUERY_EXEC(s, Q_SESSION_TOUCH, e, "tt", now, token_hash ? token_hash : "");
}

/* Ends the session token_hash. 0, or -1 with *e. */
int store_session_delete(store *s, const char *token_hash, err *e)
{
    return QUERY_EXEC(s, Q_SESSION_DELETE, e, "t", token_hash ? token_hash : "");
}

/* Ends the sessions idle since idle_before or started before started_before. */
int store_session_prune(store *s, const char *idle_before, const char *started_before, err *e)
{
    return QUERY_EXEC(s, Q_SESSION_PRUNE, e, "tt", idle_before, started_before);
}

/* Frees what x holds (and its user's) and zeroes it. */
void store_session_clear(store_session *x)
{
    store_row_clear(&session_row, x);
}

/* store_api_token_add_scope with scope "write". */
int store_api_token_add(store *s, int64_t user_id, const char *name, const char *token_hash, const char *now,
                        const char *expires_at, int64_t *id, err *e)
{
    return store_api_token_add_scope(s, user_id, name, token_hash, now, expires_at, "write", id, e);
}

/* Adds an API token of user_id under token_hash with scope ("read" or "write");
 * *id (may be NULL) gets its id. 0, or -1 with *e. */
int store_api_token_add_scope(store *s, int64_t user_id, const char *name, const char *token_hash,
                              const char *now, const char *expires_at, const char *scope, int64_t *id, err *e)
{
    if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0)) {
        err_set(e, "scope", 0, 0, NULL, "the scope is 'read' or 'write'");
        return -1;
    }
    if (rules_text(e, "name", name, 1, 0) < 0 || rules_text(e, "token_hash", token_hash, 1, 0) < 0
        || rules_text(e, "now", now, 1, 0) < 0 || rules_text(e, "expires_at", expires_at, 0, 0) < 0)
        return -1;
    if (store_begin(s, e) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = QUERY_INT(s, Q_USER_BY_ID, NULL, e, "i", user_id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)user_id);
        rc = -1;
    } else if (rc == 1) {
        rc = QUERY_INT(s, Q_TOKEN_INSERT, &new_id, e, "titttt", token_hash, user_id, name, now, store_opt(expires_at),
                   scope) == 1 ? 0 : -1;
    }
    rc = store_tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* The token with token_hash and its user into out (store_api_token_clear frees
 * what it holds): 1 found, 0 not (with *e), -1 failed. */
int store_api_token_find(store *s, const char *token_hash, store_api_token *out, err *e)
{
    int rc = store_row_one(s, &token_row, QUERY_OPEN(s, Q_TOKEN_FIND, e, "t", token_hash ? token_hash : ""),
                           out, e);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no such token");
    return rc;
}

/* Sets the last use of token id to now. 0, or -1 with *e. */
int store_api_token_touch(store *s, int64_t id, const char *now, err *e)
{
    return QUERY_EXEC(s, Q_TOKEN_TOUCH, e, "ti", now, id);
}

/* The tokens of user_id (every user's when 0) into out (the caller frees it with
 * store_api_token_list_free). 0, or -1 with *e. */
int store_api_token_list_user(store *s, int64_t user_id, store_api_token_list *out, err *e)
{
    store_stmt *st = user_id ? QUERY_OPEN(s, Q_TOKEN_BY_USER, e, "i", user_id) : QUERY_OPEN(s, Q_TOKEN_ALL, e, "");
    int rc;
    out->items = store_row_all(s, &token_row, st, &out->count, &rc, e);
    return rc;
}

/* Revokes token id: 0, or -1 with *e (also when there is no such token). */
int store_api_token_delete(store *s, int64_t id, err *e)
{
    int rc = QUERY_INT(s, Q_TOKEN_DELETE, NULL, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no token with id %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

/* Frees what t holds (and its user's) and zeroes it. */
void store_api_token_clear(store_api_token *t)
{
    store_row_clear(&token_row, t);
}

/* Frees what l holds and empties it. */
void store_api_token_list_free(store_api_token_list *l)
{
    store_row_free_all(&token_row, l->items, l->count);
    memset(l, 0, sizeof *l);
}

/* Records a failed login of login from address at now. 0, or -1 with *e. */
int store_login_failure_add(store *s, const char *login, const char *address, const char *now, err *e)
{
    return QUERY_EXEC(s, Q_FAILURE_INSERT, e, "ttt", login ? login : "", address ? address : "", now);
}

/* Counts the failed logins since since: of the pair (*by_pair, the latest in
 * last) and of the address (*by_address). 0, or -1 with *e. */
int store_login_failures(store *s, const char *login, const char *address, const char *since, int64_t *by_pair,
                         char last[32], int64_t *by_address, err *e)
{
    *by_pair = *by_address = 0;
    last[0] = '\0';
    store_stmt *st = QUERY_OPEN(s, Q_FAILURES_OF_PAIR, e, "ttt", login ? login : "", address ? address : "", since);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        *by_pair = store_q_int(s, st, 0);
        const char *t = s->drv->column_text(st, 1);
        snprintf(last, 32, "%s", t ? t : "");
    }
    store_q_close(s, st);
    if (rc < 0 || QUERY_INT(s, Q_FAILURES_OF_ADDRESS, by_address, e, "tt", address ? address : "", since) < 0)
        return -1;
    return 0;
}

/* Forgets the failed logins of the pair login, address. 0, or -1 with *e. */
int store_login_failures_clear(store *s, const char *login, const char *address, err *e)
{
    return QUERY_EXEC(s, Q_FAILURES_CLEAR, e, "tt", login ? login : "", address ? address : "");
}

/* Forgets the failed logins before before. 0, or -1 with *e. */
int store_login_failures_prune(store *s, const char *before, err *e)
{
    return QUERY_EXEC(s, Q_FAILURES_PRUNE, e, "t", before);
}
