/* web_auth.c - sessions, bearer tokens, CSRF tokens and login throttling (see
 * web_auth.h). Secrets are compared in constant time and stored only hashed. */
#include "web_auth.h"
#include "account.h"
#include "store.h"
#include "web_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Moments ------------------------------------------------------------------- */

void web_auth_moment(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

time_t web_auth_parse_moment(const char *moment)
{
    struct tm tm;
    char z = 0;
    memset(&tm, 0, sizeof tm);
    if (!moment || sscanf(moment, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                          &tm.tm_min, &tm.tm_sec, &z) != 7 || z != 'Z')
        return (time_t)-1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* The request's user from a stored user, in request memory. */
static web_user *user_from_store(web_request *r, const store_user *u, int by_token)
{
    web_user *w = web_alloc(r, sizeof *w);
    w->id = u->id;
    snprintf(w->login, sizeof w->login, "%s", u->login ? u->login : "");
    w->person_id = u->person_id;
    w->role = account_role_parse(u->role);
    w->by_token = by_token;
    r->log_user = web_strdup(r, w->login);
    return w;
}

/* ---- Identifying the caller ---------------------------------------------------------- */

/* Clears the session cookie of a browser whose session is gone. */
static void forget_session_cookie(web_request *r)
{
    web_set_cookie(r, WEB_SESSION_COOKIE, "", 0);
}

/* Looks up the session of the cookie; sets r->user when it is alive. */
static int identify_session(web_request *r, const char *token)
{
    store *db = web_store(r);
    if (!db)
        return -1;
    char hash[ACCOUNT_TOKEN_HASH_SIZE];
    account_token_hash(token, hash);
    store_session sess;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_session_find(db, hash, &sess, &e);
    if (rc < 0) {
        web_store_failed(r, "session lookup", &e);
        return -1;
    }
    if (rc == 0) {
        forget_session_cookie(r);
        return 0;
    }
    const web_config *c = web_app_config(r->app);
    time_t now = time(NULL);
    time_t created = web_auth_parse_moment(sess.created_at);
    time_t seen = web_auth_parse_moment(sess.last_seen_at);
    int expired = created == (time_t)-1 || seen == (time_t)-1 ||
                  now - created > (time_t)c->session_hours * 3600 ||
                  now - seen > (time_t)c->session_idle_minutes * 60;
    if (expired || sess.user.disabled || account_role_parse(sess.user.role) == ROLE_NONE) {
        store_session_delete(db, hash, NULL);
        store_session_clear(&sess);
        forget_session_cookie(r);
        return 0;
    }
    if (now - seen >= WEB_SESSION_TOUCH_SECONDS) {
        /* Best effort, without waiting: a read never waits behind a writer. */
        char moment[32];
        web_auth_moment(now, moment);
        store_write_wait(db, 0);
        store_session_touch(db, hash, moment, NULL);
        store_write_wait(db, -1);
    }
    r->user = user_from_store(r, &sess.user, 0);
    r->csrf_token = web_strdup(r, sess.csrf_token);
    store_session_clear(&sess);
    return 0;
}

/* Checks an Authorization: Bearer token; answers 401 when it is not valid. */
static int identify_token(web_request *r, const char *token)
{
    store *db = web_store(r);
    if (!db)
        return -1;
    char hash[ACCOUNT_TOKEN_HASH_SIZE];
    account_token_hash(token, hash);
    store_api_token t;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_api_token_find(db, hash, &t, &e);
    if (rc < 0) {
        web_store_failed(r, "token lookup", &e);
        return -1;
    }
    time_t now = time(NULL);
    int valid = rc == 1 && !t.user.disabled && account_role_parse(t.user.role) != ROLE_NONE;
    if (valid && t.expires_at) {
        time_t until = web_auth_parse_moment(t.expires_at);
        valid = until != (time_t)-1 && now < until;
    }
    /* The administrator's longest lifetime holds for tokens made before it was set. */
    int64_t max_days = valid ? web_auth_token_max_days(db) : 0;
    if (valid && max_days > 0) {
        time_t made = web_auth_parse_moment(t.created_at);
        valid = made != (time_t)-1 && now < made + (time_t)max_days * 86400;
    }
    if (!valid) {
        if (rc == 1)
            store_api_token_clear(&t);
        web_reply_401(r);
        return -1;
    }
    time_t used = t.last_used_at ? web_auth_parse_moment(t.last_used_at) : (time_t)-1;
    if (used == (time_t)-1 || now - used >= WEB_SESSION_TOUCH_SECONDS) {
        char moment[32];
        web_auth_moment(now, moment);
        store_write_wait(db, 0);
        store_api_token_touch(db, t.id, moment, NULL);
        store_write_wait(db, -1);
    }
    web_user *u = user_from_store(r, &t.user, 1);
    u->read_only = !t.scope || strcmp(t.scope, "write") != 0;
    r->user = u;
    store_api_token_clear(&t);
    const char *m = r->method;
    if (u->read_only && strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0) {
        web_reply_error(r, 403, "token_scope", web_t(r, "tokens.err.read_scope"), NULL);
        return -1;
    }
    return 0;
}

int web_auth_identify(web_request *r)
{
    const char *authorization = web_header(r, "Authorization");
    if (authorization && r->route && (r->route->flags & WEB_API)) {
        if (strncasecmp(authorization, "Bearer ", 7) != 0) {
            web_reply_401(r);
            return -1;
        }
        const char *token = authorization + 7;
        while (*token == ' ')
            token++;
        return identify_token(r, token);
    }
    const char *cookie = web_cookie(r, WEB_SESSION_COOKIE);
    if (cookie && *cookie)
        return identify_session(r, cookie);
    r->csrf_token = web_cookie(r, WEB_CSRF_COOKIE);
    return 0;
}

/* ---- CSRF -------------------------------------------------------------------------- */

int web_auth_csrf_ok(const web_request *r)
{
    if (r->user && r->user->by_token)
        return 1;
    const char *expected = r->user ? r->csrf_token : web_cookie(r, WEB_CSRF_COOKIE);
    const char *sent = web_form(r, WEB_CSRF_FIELD);
    if (!sent)
        sent = web_header(r, WEB_CSRF_HEADER);
    return expected && *expected && sent && account_mask_matches(expected, sent);
}

const char *web_auth_anonymous_csrf(web_request *r)
{
    const char *have = web_cookie(r, WEB_CSRF_COOKIE);
    if (have && strlen(have) >= 32) {
        r->csrf_token = have;
        return have;
    }
    char token[ACCOUNT_TOKEN_SIZE];
    account_token_new("", token);
    r->csrf_token = web_strdup(r, token);
    web_set_cookie(r, WEB_CSRF_COOKIE, token, -1);
    return r->csrf_token;
}

/* ---- Logging in and out ----------------------------------------------------------------- */

/* Starts a session for u: a row, the cookie, and r's user and CSRF token. */
static int start_session(web_request *r, store *db, const store_user *u, const char *now)
{
    char token[ACCOUNT_TOKEN_SIZE], hash[ACCOUNT_TOKEN_HASH_SIZE], csrf[ACCOUNT_TOKEN_SIZE];
    account_token_new("", token);
    account_token_hash(token, hash);
    account_token_new("", csrf);
    err e;
    memset(&e, 0, sizeof e);
    if (store_session_add(db, hash, u->id, csrf, now, &e) < 0) {
        web_store_failed(r, "session start", &e);
        return -1;
    }
    /* A session this browser had before is over. */
    const char *old = web_cookie(r, WEB_SESSION_COOKIE);
    if (old && *old) {
        char old_hash[ACCOUNT_TOKEN_HASH_SIZE];
        account_token_hash(old, old_hash);
        store_session_delete(db, old_hash, NULL);
    }
    web_set_cookie(r, WEB_SESSION_COOKIE, token, -1);
    r->user = user_from_store(r, u, 0);
    r->csrf_token = web_strdup(r, csrf);
    return 0;
}

/* The seconds the pair must still wait before its next attempt (0: none),
 * given its failures in the window and the latest one's moment. */
static int pair_delay(int64_t failures, const char *last, time_t now)
{
    if (failures < WEB_LOGIN_MAX_FAILURES)
        return 0;
    int64_t delay = WEB_LOGIN_DELAY_SECONDS;
    for (int64_t i = WEB_LOGIN_MAX_FAILURES; i < failures && delay < WEB_LOGIN_DELAY_MAX_SECONDS; i++)
        delay *= 2;
    if (delay > WEB_LOGIN_DELAY_MAX_SECONDS)
        delay = WEB_LOGIN_DELAY_MAX_SECONDS;
    time_t at = web_auth_parse_moment(last);
    if (at == (time_t)-1)
        return (int)delay;
    int64_t left = (int64_t)at + delay - (int64_t)now;
    return left > 0 ? (int)left : 0;
}

/* Counts this attempt as a failure of (typed, address) unless the throttle
 * refuses it, in one write transaction so that concurrent attempts are counted
 * one after the other. Returns 1 counted, 0 throttled (*retry_after set), -1
 * after answering 503. */
static int attempt_reserve(web_request *r, store *db, const char *typed, time_t now, int *retry_after)
{
    char now_m[32], since[32], last[32];
    web_auth_moment(now, now_m);
    web_auth_moment(now - WEB_LOGIN_WINDOW_MINUTES * 60, since);
    err e;
    memset(&e, 0, sizeof e);
    int64_t by_pair = 0, by_address = 0;
    if (store_begin(db, &e) < 0)
        goto failed;
    if (store_login_failures(db, typed, r->address, since, &by_pair, last, &by_address, &e) < 0) {
        store_rollback(db, NULL);
        goto failed;
    }
    int wait = by_address >= WEB_LOGIN_MAX_FAILURES_ADDRESS ? WEB_LOGIN_WINDOW_MINUTES * 60
                                                            : pair_delay(by_pair, last, now);
    if (wait > 0) {
        store_rollback(db, NULL);
        *retry_after = wait;
        return 0;
    }
    if (store_login_failure_add(db, typed, r->address, now_m, &e) < 0) {
        store_rollback(db, NULL);
        goto failed;
    }
    if (store_commit(db, &e) < 0)
        goto failed;
    return 1;
failed:
    web_store_failed(r, "login throttle", &e);
    return -1;
}

web_login_result web_auth_login(web_request *r, const char *login, const char *password, int *retry_after)
{
    store *db = web_store(r);
    if (!db)
        return WEB_LOGIN_UNAVAILABLE;
    const web_config *c = web_app_config(r->app);
    time_t now = time(NULL);
    char now_m[32], idle_before[32], started_before[32], prune_before[32];
    web_auth_moment(now, now_m);
    web_auth_moment(now - (time_t)c->session_idle_minutes * 60, idle_before);
    web_auth_moment(now - (time_t)c->session_hours * 3600, started_before);
    web_auth_moment(now - 24 * 3600, prune_before);

    /* What is throttled is the name typed, known or not, cut to what a login can be. */
    char typed[65];
    snprintf(typed, sizeof typed, "%s", login);

    int wait = 0;
    int reserved = attempt_reserve(r, db, typed, now, &wait);
    if (reserved < 0)
        return WEB_LOGIN_UNAVAILABLE;
    if (reserved == 0) {
        if (retry_after)
            *retry_after = wait;
        return WEB_LOGIN_THROTTLED;
    }

    err e;
    memset(&e, 0, sizeof e);
    store_user u;
    int rc = store_user_find(db, typed, &u, &e);
    if (rc < 0) {
        web_store_failed(r, "user lookup", &e);
        return WEB_LOGIN_UNAVAILABLE;
    }
    /* Always one argon2id check, so that an unknown user costs what a wrong
     * password does. */
    int ok = account_password_verify(rc == 1 ? u.password_hash : NULL, password);
    ok = ok && rc == 1 && !u.disabled && account_role_parse(u.role) != ROLE_NONE && strcmp(typed, login) == 0;
    if (!ok) {
        if (rc == 1)
            store_user_clear(&u);
        return WEB_LOGIN_WRONG;        /* the attempt stays counted */
    }
    store_login_failures_clear(db, typed, r->address, NULL);
    store_login_failures_prune(db, prune_before, NULL);
    store_session_prune(db, idle_before, started_before, NULL);
    int started = start_session(r, db, &u, now_m);
    store_user_clear(&u);
    return started < 0 ? WEB_LOGIN_UNAVAILABLE : WEB_LOGIN_OK;
}

int web_auth_start(web_request *r, const store_user *u)
{
    store *db = web_store(r);
    if (!db)
        return -1;
    char now_m[32];
    web_auth_moment(time(NULL), now_m);
    return start_session(r, db, u, now_m);
}

void web_auth_logout(web_request *r)
{
    const char *cookie = web_cookie(r, WEB_SESSION_COOKIE);
    store *db = cookie && *cookie ? web_store(r) : NULL;
    if (db) {
        char hash[ACCOUNT_TOKEN_HASH_SIZE];
        account_token_hash(cookie, hash);
        store_session_delete(db, hash, NULL);
    }
    forget_session_cookie(r);
    r->user = NULL;
}

int64_t web_auth_token_max_days(store *db)
{
    char *value = NULL;
    int64_t days = 0;
    if (store_meta_get(db, "token_max_days", &value, NULL) == 1 && value)
        if (!web_parse_int(value, 0, WEB_TOKEN_DAYS_MAX, &days))
            days = 0;
    free(value);
    return days;
}
