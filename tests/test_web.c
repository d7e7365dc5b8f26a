/* test_web.c - the web server core as a browser and a script meet it: login and
 * its refusals (one message for a wrong user and a wrong password, throttling),
 * session cookies and their flags, logout, expiry, CSRF, bearer tokens, roles,
 * security headers, 404/405/413, built-in files, languages, escaping; then a
 * real server on a free port (keep-alive on one connection, a whole login over
 * HTTP) and `itss serve` itself finishing a request in flight on SIGTERM.
 *
 * Most tests drive web_handle_raw, the code path of `itss serve --request`,
 * which runs the same dispatcher as the server. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "account.h"
#include "html.h"
#include "store.h"
#include "web.h"
#include "web_client.h"
#include "web_auth.h"

/* ---- The fixture: a database with one user per role ------------------------- */

static char dir[64];
static char db_path[128];
static web_app *app;
static store *db;

typedef struct test_user {
    const char *login, *role, *password;
    int disabled;
} test_user;

static const test_user users[] = {
    { "alice", "engineer", "alice-password-1", 0 },
    { "mina", "manager", "mina-password-1", 0 },
    { "hana", "hr", "hana-password-1", 0 },
    { "root", "admin", "root-password-1", 0 },
    { "zed", "engineer", "zed-password-1", 1 },
    { "thr", "engineer", "thr-password-1", 0 },
    { "addr", "engineer", "addr-password-1", 0 },
    { "dave", "engineer", "dave-password-1", 0 },
};

static int64_t user_id(const char *login)
{
    store_user u;
    err e;
    assert_int_equal(store_user_find(db, login, &u, &e), 1);
    int64_t id = u.id;
    store_user_clear(&u);
    return id;
}

static int setup(void **state)
{
    (void)state;
    err e;
    snprintf(dir, sizeof dir, "/tmp/itss-test-web-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/web.db", dir);
    db = store_open(db_path, STORE_CREATE, &e);
    if (!db) {
        err_print(stderr, &e);
        return -1;
    }
    store_person p = { 0 };
    p.employee_number = "E0001";
    p.name = "山田 花子";
    int64_t person = 0;
    if (store_person_add(db, &p, &person, &e) < 0)
        return -1;
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        char hash[ACCOUNT_HASH_SIZE];
        if (account_password_hash(users[i].password, hash) < 0)
            return -1;
        store_user u = { 0 };
        u.login = (char *)users[i].login;
        u.role = (char *)users[i].role;
        u.password_hash = hash;
        u.disabled = users[i].disabled;
        u.person_id = i == 0 ? person : 0;
        if (store_user_add(db, &u, NULL, &e) < 0) {
            err_print(stderr, &e);
            return -1;
        }
    }
    web_config c = { .db_path = db_path };
    app = web_app_new(&c, &e);
    return app ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    web_app_free(app);
    store_close(db);
    char path[192];
    const char *files[] = { "web.db", "web.db-wal", "web.db-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

/* ---- Requests and responses ----------------------------------------------------- */

/* The Set-Cookie line for cookie name, or NULL. */
static const char *set_cookie(const resp *r, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0;; i++) {
        const char *v = header_nth(r, "Set-Cookie", i);
        if (!v)
            return NULL;
        if (strncmp(v, name, n) == 0 && v[n] == '=')
            return v;
    }
}

/* Sends one request through web_handle_raw. extra is more header lines, each
 * ending in \r\n (may be NULL); body may be NULL. */
static int request(const char *method, const char *target, const char *address, const char *cookie,
                   const char *extra, const char *content_type, const char *body, resp *out)
{
    buf headers;
    buf_init(&headers);
    if (cookie && *cookie)
        buf_printf(&headers, "Cookie: %s\r\n", cookie);
    if (extra)
        buf_puts(&headers, extra);
    int status = web_client_request(app, method, target, address ? address : "192.0.2.1", headers.data,
                                    content_type, body, body ? strlen(body) : 0, out);
    buf_free(&headers);
    return status;
}

static int get(const char *target, const char *cookie, resp *out)
{
    return request("GET", target, NULL, cookie, NULL, NULL, NULL, out);
}

/* Logs in through the forms from address, as a browser would. The session
 * cookie's value goes into session ("" when none was set); returns the status
 * of the POST, and leaves its response in *post when not NULL. */
static int login_from(const char *login, const char *password, const char *address, char *session, size_t size,
                      resp *post)
{
    resp page, r;
    char csrf[128], cookie[256];
    assert_int_equal(request("GET", "/login", address, NULL, NULL, NULL, NULL, &page), 200);
    assert_true(cookie_value(&page, WEB_CSRF_COOKIE, csrf, sizeof csrf));
    char field[128];
    csrf_field(&page, field, sizeof field);     /* the cookie's token, masked afresh (BREACH) */
    assert_string_not_equal(field, csrf);
    resp_free(&page);

    buf body;
    buf_init(&body);
    form_arg(&body, "csrf", csrf);
    form_arg(&body, "login", login);
    form_arg(&body, "password", password);
    snprintf(cookie, sizeof cookie, WEB_CSRF_COOKIE "=%s", csrf);
    int status = request("POST", "/login", address, cookie, NULL, NULL, body.data, &r);
    buf_free(&body);
    if (session && !cookie_value(&r, WEB_SESSION_COOKIE, session, size))
        session[0] = '\0';
    if (post)
        *post = r;
    else
        resp_free(&r);
    return status;
}

static int login(const char *login, const char *password, char *session, size_t size)
{
    return login_from(login, password, "192.0.2.1", session, size, NULL);
}

/* "itss_session=VALUE" for a Cookie header. */
static const char *session_cookie(const char *session)
{
    static char cookie[256];
    snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", session);
    return cookie;
}

/* The text of the error message box of a page (static buffer). */
static const char *message_box(const resp *r)
{
    static char text[1024];
    const char *p = strstr(r->body, "<div class=\"message error\"");
    assert_non_null(p);
    const char *end = strstr(p, "</div>");
    assert_non_null(end);
    snprintf(text, sizeof text, "%.*s", (int)(end - p), p);
    return text;
}

/* ---- Login ------------------------------------------------------------------------ */

static void test_login_success_sets_session_cookie(void **state)
{
    (void)state;
    resp r;
    char session[128];
    assert_int_equal(login_from("alice", "alice-password-1", "192.0.2.10", session, sizeof session, &r), 303);
    assert_string_equal(header(&r, "Location"), "/home");
    const char *line = set_cookie(&r, WEB_SESSION_COOKIE);
    assert_non_null(line);
    assert_non_null(strstr(line, "; HttpOnly"));
    assert_non_null(strstr(line, "; SameSite=Lax"));
    assert_non_null(strstr(line, "; Path=/"));
    assert_null(strstr(line, "Secure"));          /* only with --secure-cookies */
    assert_true(strlen(session) >= 43);
    resp_free(&r);

    /* The cookie opens the home page, which names the user and their role. */
    assert_int_equal(get("/home", session_cookie(session), &r), 200);
    assert_true(body_has(&r, "alice"));
    assert_true(body_has(&r, "エンジニア"));
    assert_string_equal(header(&r, "Cache-Control"), "no-store");
    resp_free(&r);

    /* Only the hash of the token is in the database. */
    store_session x;
    err e;
    assert_int_equal(store_session_find(db, session, &x, &e), 0);
    char hash[ACCOUNT_TOKEN_HASH_SIZE];
    account_token_hash(session, hash);
    assert_int_equal(store_session_find(db, hash, &x, &e), 1);
    assert_string_equal(x.user.login, "alice");
    store_session_clear(&x);
}

static void test_login_goes_to_next_but_never_off_site(void **state)
{
    (void)state;
    resp page, r;
    char csrf[128], cookie[256];
    const char *nexts[][2] = { { "/admin", "/admin" }, { "//evil.example/x", "/home" },
                               { "https://evil.example/", "/home" }, { "/\\evil.example", "/home" } };
    for (size_t i = 0; i < sizeof nexts / sizeof nexts[0]; i++) {
        assert_int_equal(request("GET", "/login", "192.0.2.11", NULL, NULL, NULL, NULL, &page), 200);
        assert_true(cookie_value(&page, WEB_CSRF_COOKIE, csrf, sizeof csrf));
        resp_free(&page);
        buf body;
        buf_init(&body);
        form_arg(&body, "csrf", csrf);
        form_arg(&body, "login", "root");
        form_arg(&body, "password", "root-password-1");
        form_arg(&body, "next", nexts[i][0]);
        snprintf(cookie, sizeof cookie, WEB_CSRF_COOKIE "=%s", csrf);
        assert_int_equal(request("POST", "/login", "192.0.2.11", cookie, NULL, NULL, body.data, &r), 303);
        assert_string_equal(header(&r, "Location"), nexts[i][1]);
        buf_free(&body);
        resp_free(&r);
    }
}

static void test_wrong_user_and_wrong_password_same_answer(void **state)
{
    (void)state;
    resp wrong_password, wrong_user, disabled;
    char session[128];
    assert_int_equal(login_from("alice", "not-her-password", "192.0.2.20", session, sizeof session,
                                &wrong_password), 401);
    assert_string_equal(session, "");
    assert_int_equal(login_from("nobody", "alice-password-1", "192.0.2.21", session, sizeof session, &wrong_user),
                     401);
    assert_string_equal(session, "");
    assert_int_equal(login_from("zed", "zed-password-1", "192.0.2.22", session, sizeof session, &disabled), 401);
    assert_string_equal(session, "");

    char first[1024];
    snprintf(first, sizeof first, "%s", message_box(&wrong_password));
    assert_non_null(strstr(first, "ユーザー名またはパスワードが正しくありません。"));
    assert_string_equal(message_box(&wrong_user), first);
    assert_string_equal(message_box(&disabled), first);
    /* The name typed comes back (escaped) so that only the password is retyped. */
    assert_true(body_has(&wrong_user, "value=\"nobody\""));
    resp_free(&wrong_password);
    resp_free(&wrong_user);
    resp_free(&disabled);
}

static void test_login_needs_both_fields(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(login_from("alice", "", "192.0.2.23", NULL, 0, &r), 400);
    assert_true(body_has(&r, "ユーザー名とパスワードを入力してください。"));
    resp_free(&r);
}

static void test_throttling_per_account(void **state)
{
    (void)state;
    resp r;
    char session[128];
    for (int i = 0; i < WEB_LOGIN_MAX_FAILURES; i++)
        assert_int_equal(login_from("thr", "wrong-password", "192.0.2.30", NULL, 0, NULL), 401);
    /* Now even the right password is refused from that address, with 429 and
     * the seconds to wait... */
    assert_int_equal(login_from("thr", "thr-password-1", "192.0.2.30", session, sizeof session, &r), 429);
    assert_string_equal(session, "");
    int wait = atoi(header(&r, "Retry-After"));
    assert_true(wait > 0 && wait <= WEB_LOGIN_DELAY_SECONDS);
    assert_true(body_has(&r, "少し待って"));
    resp_free(&r);
    /* ...but not from another address: someone else's failures lock nobody out. */
    assert_int_equal(login_from("thr", "thr-password-1", "192.0.2.31", session, sizeof session, NULL), 303);
    /* Another account from the same address is not affected. */
    assert_int_equal(login_from("alice", "alice-password-1", "192.0.2.30", session, sizeof session, NULL), 303);

    /* When the delay has passed, the pair may try again. */
    char old[32];
    web_auth_moment(time(NULL) - WEB_LOGIN_DELAY_SECONDS - 5, old);
    assert_int_equal(store_login_failures_clear(db, "thr", "192.0.2.30", NULL), 0);
    for (int i = 0; i < WEB_LOGIN_MAX_FAILURES; i++)
        assert_int_equal(store_login_failure_add(db, "thr", "192.0.2.30", old, NULL), 0);
    assert_int_equal(login_from("thr", "thr-password-1", "192.0.2.30", session, sizeof session, NULL), 303);
}

static void test_throttling_per_address(void **state)
{
    (void)state;
    char login_name[32];
    char old[32];
    web_auth_moment(time(NULL) - 60, old);
    for (int i = 0; i < WEB_LOGIN_MAX_FAILURES_ADDRESS; i++) {
        snprintf(login_name, sizeof login_name, "guess%d", i);
        assert_int_equal(store_login_failure_add(db, login_name, "192.0.2.40", old, NULL), 0);
    }
    char session[128];
    assert_int_equal(login_from("addr", "addr-password-1", "192.0.2.40", session, sizeof session, NULL), 429);
    assert_int_equal(login_from("addr", "addr-password-1", "192.0.2.41", session, sizeof session, NULL), 303);
    assert_true(strlen(session) > 0);
}

/* ---- Sessions -------------------------------------------------------------------- */

static void test_logout_ends_the_session(void **state)
{
    (void)state;
    resp r;
    char session[128], csrf[128];
    assert_int_equal(login("mina", "mina-password-1", session, sizeof session), 303);
    assert_int_equal(get("/home", session_cookie(session), &r), 200);
    csrf_field(&r, csrf, sizeof csrf);
    resp_free(&r);

    /* Without the token, logout is refused and the session stays. */
    assert_int_equal(request("POST", "/logout", NULL, session_cookie(session), NULL, NULL, "", &r), 403);
    resp_free(&r);
    assert_int_equal(get("/home", session_cookie(session), &r), 200);
    resp_free(&r);

    buf body;
    buf_init(&body);
    form_arg(&body, "csrf", csrf);
    assert_int_equal(request("POST", "/logout", NULL, session_cookie(session), NULL, NULL, body.data, &r), 303);
    buf_free(&body);
    assert_string_equal(header(&r, "Location"), "/login?bye=1");
    const char *cleared = set_cookie(&r, WEB_SESSION_COOKIE);
    assert_non_null(cleared);
    assert_non_null(strstr(cleared, "Max-Age=0"));
    resp_free(&r);

    /* The old cookie no longer opens anything. */
    assert_int_equal(get("/home", session_cookie(session), &r), 303);
    assert_string_equal(header(&r, "Location"), "/login?next=%2Fhome");
    resp_free(&r);
}

static void test_sessions_expire(void **state)
{
    (void)state;
    resp r;
    char token[ACCOUNT_TOKEN_SIZE], hash[ACCOUNT_TOKEN_HASH_SIZE], started[32], seen[32];
    time_t now = time(NULL);
    int64_t alice = user_id("alice");

    /* Begun longer ago than the absolute lifetime, though used a minute ago. */
    account_token_new("", token);
    account_token_hash(token, hash);
    web_auth_moment(now - WEB_SESSION_HOURS * 3600 - 60, started);
    web_auth_moment(now - 60, seen);
    assert_int_equal(store_session_add(db, hash, alice, "csrf-token-of-an-old-session-0000000", started, NULL), 0);
    assert_int_equal(store_session_touch(db, hash, seen, NULL), 0);
    assert_int_equal(get("/home", session_cookie(token), &r), 303);
    assert_non_null(strstr(set_cookie(&r, WEB_SESSION_COOKIE), "Max-Age=0"));
    resp_free(&r);
    store_session x;
    assert_int_equal(store_session_find(db, hash, &x, NULL), 0);

    /* Idle longer than allowed. */
    account_token_new("", token);
    account_token_hash(token, hash);
    web_auth_moment(now - WEB_SESSION_IDLE_MINUTES * 60 - 60, started);
    assert_int_equal(store_session_add(db, hash, alice, "csrf-token-of-an-idle-session-00000", started, NULL), 0);
    assert_int_equal(get("/home", session_cookie(token), &r), 303);
    resp_free(&r);

    /* Idle for less: still good. */
    account_token_new("", token);
    account_token_hash(token, hash);
    web_auth_moment(now - WEB_SESSION_IDLE_MINUTES * 60 + 120, started);
    assert_int_equal(store_session_add(db, hash, alice, "csrf-token-of-a-live-session-000000", started, NULL), 0);
    assert_int_equal(get("/home", session_cookie(token), &r), 200);
    resp_free(&r);
}

static void test_disabling_or_new_password_ends_sessions(void **state)
{
    (void)state;
    resp r;
    char session[128];
    assert_int_equal(login("hana", "hana-password-1", session, sizeof session), 303);
    assert_int_equal(get("/home", session_cookie(session), &r), 200);
    resp_free(&r);
    char hash[ACCOUNT_HASH_SIZE];
    assert_int_equal(account_password_hash("hana-password-2", hash), 0);
    assert_int_equal(store_user_set_password(db, user_id("hana"), hash, NULL), 0);
    assert_int_equal(get("/home", session_cookie(session), &r), 303);
    resp_free(&r);
    assert_int_equal(login("hana", "hana-password-1", session, sizeof session), 401);
    assert_int_equal(login("hana", "hana-password-2", session, sizeof session), 303);

    assert_int_equal(login("dave", "dave-password-1", session, sizeof session), 303);
    store_user u;
    assert_int_equal(store_user_find(db, "dave", &u, NULL), 1);
    u.disabled = 1;
    assert_int_equal(store_user_edit(db, &u, NULL), 0);
    store_user_clear(&u);
    assert_int_equal(get("/home", session_cookie(session), &r), 303);
    resp_free(&r);
    assert_int_equal(login("dave", "dave-password-1", session, sizeof session), 401);
}

static void test_unauthenticated_requests(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(get("/home?x=1", NULL, &r), 303);
    assert_string_equal(header(&r, "Location"), "/login?next=%2Fhome%3Fx%3D1");
    resp_free(&r);
    assert_int_equal(get("/", NULL, &r), 303);
    assert_string_equal(header(&r, "Location"), "/login");
    resp_free(&r);
    assert_int_equal(get("/api/v1/me", NULL, &r), 401);
    assert_string_equal(header(&r, "Content-Type"), "application/json");
    assert_non_null(strstr(header(&r, "WWW-Authenticate"), "Bearer"));
    assert_true(body_has(&r, "{\"error\":{\"code\":\"unauthorized\""));
    resp_free(&r);
    /* A cookie that names no session counts as none, and is cleared. */
    assert_int_equal(get("/home", session_cookie("made-up-token"), &r), 303);
    assert_non_null(set_cookie(&r, WEB_SESSION_COOKIE));
    resp_free(&r);
}

static void test_roles(void **state)
{
    (void)state;
    resp r;
    char session[128];
    /* /admin is for administrators: an engineer gets 403, and no link to it. */
    assert_int_equal(login("alice", "alice-password-1", session, sizeof session), 303);
    assert_int_equal(get("/home", session_cookie(session), &r), 200);
    assert_false(body_has(&r, "href=\"/admin\""));
    resp_free(&r);
    assert_int_equal(get("/admin", session_cookie(session), &r), 403);
    assert_true(body_has(&r, "権限がありません"));
    resp_free(&r);

    assert_int_equal(login("root", "root-password-1", session, sizeof session), 303);
    assert_int_equal(get("/home", session_cookie(session), &r), 200);
    assert_true(body_has(&r, "href=\"/admin\""));
    resp_free(&r);
    assert_int_equal(get("/admin", session_cookie(session), &r), 200);
    assert_true(body_has(&r, "alice"));
    resp_free(&r);
}

/* ---- CSRF ---------------------------------------------------------------------------- */

static void test_csrf_refusals(void **state)
{
    (void)state;
    resp r;
    const char *body = "login=alice&password=alice-password-1";
    /* No token at all, a token without its cookie, a cookie without the token, two that differ. */
    assert_int_equal(request("POST", "/login", "192.0.2.50", NULL, NULL, NULL, body, &r), 403);
    assert_true(body_has(&r, "フォームの有効期限が切れたか"));
    assert_null(set_cookie(&r, WEB_SESSION_COOKIE));
    resp_free(&r);
    assert_int_equal(request("POST", "/login", "192.0.2.50", NULL, NULL, NULL,
                             "csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&login=alice&password=alice-password-1", &r),
                     403);
    resp_free(&r);
    assert_int_equal(request("POST", "/login", "192.0.2.50", WEB_CSRF_COOKIE "=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                             NULL, NULL, body, &r), 403);
    resp_free(&r);
    assert_int_equal(request("POST", "/login", "192.0.2.50", WEB_CSRF_COOKIE "=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                             NULL, NULL,
                             "csrf=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&login=alice&password=alice-password-1", &r),
                     403);
    resp_free(&r);

    /* A logged-in user: the session's token, in the form or in X-CSRF-Token. The
     * anonymous token of the login form is not the session's. */
    char session[128], csrf[128], cookie[512];
    assert_int_equal(login("alice", "alice-password-1", session, sizeof session), 303);
    assert_int_equal(get("/home", session_cookie(session), &r), 200);
    csrf_field(&r, csrf, sizeof csrf);
    resp_free(&r);
    snprintf(cookie, sizeof cookie, "%s; " WEB_CSRF_COOKIE "=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
             session_cookie(session));
    assert_int_equal(request("POST", "/logout", NULL, cookie, NULL, NULL,
                             "csrf=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", &r), 403);
    resp_free(&r);
    char extra[256];
    snprintf(extra, sizeof extra, WEB_CSRF_HEADER ": %s\r\n", csrf);
    assert_int_equal(request("POST", "/logout", NULL, session_cookie(session), extra, NULL, "", &r), 303);
    resp_free(&r);
}

/* ---- Bearer tokens ------------------------------------------------------------------- */

/* Makes a token for login expiring at expires (NULL: never); its text into out. */
static void make_token(const char *login, const char *expires, char out[ACCOUNT_TOKEN_SIZE])
{
    char hash[ACCOUNT_TOKEN_HASH_SIZE], now[32];
    account_token_new(WEB_TOKEN_PREFIX, out);
    account_token_hash(out, hash);
    web_auth_moment(time(NULL), now);
    assert_int_equal(store_api_token_add(db, user_id(login), "test", hash, now, expires, NULL, NULL), 0);
}

static int get_bearer(const char *target, const char *token, resp *r)
{
    char extra[256];
    snprintf(extra, sizeof extra, "Authorization: Bearer %s\r\n", token);
    return request("GET", target, NULL, NULL, extra, NULL, NULL, r);
}

static void test_bearer_tokens(void **state)
{
    (void)state;
    resp r;
    char token[ACCOUNT_TOKEN_SIZE], past[32];
    make_token("mina", NULL, token);
    assert_int_equal(strncmp(token, "itss_", 5), 0);
    assert_int_equal(get_bearer("/api/v1/me", token, &r), 200);
    assert_true(body_has(&r, "\"login\":\"mina\""));
    assert_true(body_has(&r, "\"role\":\"manager\""));
    assert_true(body_has(&r, "\"authenticated_by\":\"token\""));
    resp_free(&r);

    /* A made-up token, an expired one, one of a disabled user: 401 in JSON. */
    assert_int_equal(get_bearer("/api/v1/me", "itss_madeup", &r), 401);
    assert_true(body_has(&r, "\"code\":\"unauthorized\""));
    resp_free(&r);
    web_auth_moment(time(NULL) - 10, past);
    make_token("alice", past, token);
    assert_int_equal(get_bearer("/api/v1/me", token, &r), 401);
    resp_free(&r);
    make_token("zed", NULL, token);
    assert_int_equal(get_bearer("/api/v1/me", token, &r), 401);
    resp_free(&r);

    /* Pages are for browsers: a bearer token does not log in to /home. */
    make_token("alice", NULL, token);
    assert_int_equal(get_bearer("/home", token, &r), 303);
    resp_free(&r);
}

/* ---- What every answer carries --------------------------------------------------------- */

static void check_security_headers(const resp *r)
{
    assert_string_equal(header(r, "Content-Security-Policy"),
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    assert_string_equal(header(r, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(header(r, "Referrer-Policy"), "same-origin");
}

static void test_security_headers_on_every_answer(void **state)
{
    (void)state;
    const char *targets[] = { "/login", "/", "/nope", "/static/itss.css", "/healthz", "/api/v1/me", "/home",
                              "/static/none.css", "/%ff" };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        resp r;
        get(targets[i], NULL, &r);
        check_security_headers(&r);
        resp_free(&r);
    }
    resp r;
    request("DELETE", "/login", NULL, NULL, NULL, NULL, NULL, &r);
    check_security_headers(&r);
    resp_free(&r);
}

static void test_not_found_and_wrong_method(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(get("/no/such/page", NULL, &r), 404);
    assert_true(strncmp(header(&r, "Content-Type"), "text/html", 9) == 0);
    assert_true(body_has(&r, "ページが見つかりません"));
    resp_free(&r);
    assert_int_equal(get("/api/v1/no/such/thing", NULL, &r), 404);
    assert_string_equal(header(&r, "Content-Type"), "application/json");
    assert_true(body_has(&r, "{\"error\":{\"code\":\"not_found\",\"message\":"));
    assert_true(body_has(&r, "\"field\":null}}"));
    resp_free(&r);
    assert_int_equal(request("DELETE", "/login", NULL, NULL, NULL, NULL, NULL, &r), 405);
    assert_string_equal(header(&r, "Allow"), "GET, HEAD, POST");
    resp_free(&r);
    assert_int_equal(request("PUT", "/healthz", NULL, NULL, NULL, NULL, "x", &r), 405);
    resp_free(&r);
    /* HEAD is answered like GET, without the body. */
    assert_int_equal(request("HEAD", "/login", NULL, NULL, NULL, NULL, NULL, &r), 200);
    assert_int_equal(r.body_len, 0);
    assert_true(atoi(header(&r, "Content-Length")) > 100);
    resp_free(&r);
}

static void test_malformed_requests(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(get("/login/../admin", NULL, &r), 400);
    resp_free(&r);
    assert_int_equal(get("/login?q=%ff", NULL, &r), 400);
    resp_free(&r);
    assert_int_equal(get("/login%00", NULL, &r), 400);
    resp_free(&r);
    memset(&r, 0, sizeof r);
    buf_init(&r.raw);
    assert_int_equal(web_handle_raw(app, "NONSENSE\r\n\r\n", 12, "192.0.2.1", &r.raw), 400);
    resp_free(&r);

    /* A body over the limit is refused before it is read. */
    buf req;
    buf_init(&req);
    buf_printf(&req, "POST /login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %u\r\n\r\n", WEB_MAX_BODY + 1);
    memset(&r, 0, sizeof r);
    buf_init(&r.raw);
    assert_int_equal(web_handle_raw(app, req.data, req.len, "192.0.2.1", &r.raw), 413);
    resp_parse(&r);
    assert_true(body_has(&r, "送信内容が大きすぎます"));
    resp_free(&r);
    buf_free(&req);
}

static void test_static_files(void **state)
{
    (void)state;
    static const char *const files[][2] = {
        { "itss.css", "text/css; charset=utf-8" },
        { "itss.js", "text/javascript; charset=utf-8" },
        { "logo.svg", "image/svg+xml" },
        { "favicon.svg", "image/svg+xml" },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char target[128];
        resp r;
        snprintf(target, sizeof target, "/static/%s", files[i][0]);
        assert_int_equal(get(target, NULL, &r), 200);
        assert_string_equal(header(&r, "Content-Type"), files[i][1]);
        const web_static_file *f = web_static_find(files[i][0]);
        assert_non_null(f);
        assert_int_equal(r.body_len, f->len);
        assert_memory_equal(r.body, f->data, f->len);
        assert_string_equal(header(&r, "Cache-Control"), "no-cache");
        char etag[64];
        snprintf(etag, sizeof etag, "%s", header(&r, "ETag"));
        resp_free(&r);

        /* Revalidation, and the versioned URL pages use. */
        char extra[128];
        snprintf(extra, sizeof extra, "If-None-Match: %s\r\n", etag);
        assert_int_equal(request("GET", target, NULL, NULL, extra, NULL, NULL, &r), 304);
        assert_int_equal(r.body_len, 0);
        resp_free(&r);
        snprintf(target, sizeof target, "/static/%s?v=%s", files[i][0], web_static_version(files[i][0]));
        assert_int_equal(get(target, NULL, &r), 200);
        assert_non_null(strstr(header(&r, "Cache-Control"), "immutable"));
        resp_free(&r);
    }
    resp r;
    assert_int_equal(get("/static/none.css", NULL, &r), 404);
    resp_free(&r);
    assert_int_equal(get("/static/", NULL, &r), 404);
    resp_free(&r);
    /* Pages link the CSS and the script by their versioned URLs. */
    assert_int_equal(get("/login", NULL, &r), 200);
    char link[128];
    snprintf(link, sizeof link, "href=\"/static/itss.css?v=%s\"", web_static_version("itss.css"));
    assert_true(body_has(&r, link));
    snprintf(link, sizeof link, "<script src=\"/static/itss.js?v=%s\" defer></script>", web_static_version("itss.js"));
    assert_true(body_has(&r, link));
    resp_free(&r);
}

static void test_healthz(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(get("/healthz", NULL, &r), 200);
    assert_string_equal(header(&r, "Content-Type"), "application/json");
    assert_true(body_has(&r, "\"status\":\"ok\""));
    resp_free(&r);
}

/* ---- Languages and escaping -------------------------------------------------------------- */

static void test_languages(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(get("/login", NULL, &r), 200);
    assert_true(body_has(&r, "<html lang=\"ja\">"));
    assert_true(body_has(&r, "<h1>ログイン</h1>"));
    assert_true(body_has(&r, "href=\"/login?lang=en\">English</a>"));
    resp_free(&r);
    assert_int_equal(get("/login?next=%2Fhome&lang=en", NULL, &r), 200);
    assert_true(body_has(&r, "<html lang=\"en\">"));
    assert_true(body_has(&r, "<h1>Log in</h1>"));
    assert_string_equal(header(&r, "Content-Language"), "en");
    assert_non_null(strstr(set_cookie(&r, "lang"), "lang=en;"));
    /* The switch back keeps the other parameters. */
    assert_true(body_has(&r, "href=\"/login?next=%2Fhome&amp;lang=ja\">日本語</a>"));
    resp_free(&r);
    assert_int_equal(get("/nope", "lang=en", &r), 404);
    assert_true(body_has(&r, "Page not found"));
    resp_free(&r);

    /* Every message has both languages and a key used once. */
    for (size_t i = 0; i < web_i18n_count(); i++) {
        const char *ja, *en;
        const char *key = web_i18n_key(i, &ja, &en);
        assert_true(ja && *ja && en && *en);
        for (size_t j = i + 1; j < web_i18n_count(); j++)
            if (strcmp(key, web_i18n_key(j, NULL, NULL)) == 0)
                fail_msg("message key %s twice", key);
        assert_ptr_equal(web_t_lang("en", key), en);
        assert_ptr_equal(web_t_lang("ja", key), ja);
    }
    assert_string_equal(web_t_lang("ja", "no.such.key"), "no.such.key");
}

static void test_escaping(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    html_printf(&b, "<p title=\"%s\">%s %d %5.1f %zu%%</p>", "a\"b", "<script>&'", -3, 2.25, (size_t)7);
    assert_string_equal(b.data, "<p title=\"a&quot;b\">&lt;script&gt;&amp;&#39; -3   2.2 7%</p>");
    buf_reset(&b);
    html_url_arg(&b, "a b/c?d=&é");
    assert_string_equal(b.data, "a%20b%2Fc%3Fd%3D%26%C3%A9");
    buf_free(&b);

    /* What a visitor types comes back escaped. */
    resp r;
    assert_int_equal(login_from("<script>alert(1)</script>", "whatever-1", "192.0.2.60", NULL, 0, &r), 401);
    assert_false(body_has(&r, "<script>alert"));
    assert_true(body_has(&r, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
    resp_free(&r);
    assert_int_equal(get("/login?next=%22%3E%3Cscript%3E", NULL, &r), 200);
    assert_false(body_has(&r, "\"><script>"));
    resp_free(&r);
}

/* ---- Bodies ----------------------------------------------------------------------------- */

static void test_multipart_form(void **state)
{
    (void)state;
    resp page, r;
    char csrf[128], cookie[256];
    assert_int_equal(request("GET", "/login", "192.0.2.70", NULL, NULL, NULL, NULL, &page), 200);
    assert_true(cookie_value(&page, WEB_CSRF_COOKIE, csrf, sizeof csrf));
    resp_free(&page);
    buf body;
    buf_init(&body);
    buf_printf(&body, "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                      "--XyZ\r\nContent-Disposition: form-data; name=\"login\"\r\n\r\nalice\r\n"
                      "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nalice-password-1\r\n"
                      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
                      "Content-Type: text/csv\r\n\r\nx,y\r\n1,2\r\n--XyZ--\r\n", csrf);
    snprintf(cookie, sizeof cookie, WEB_CSRF_COOKIE "=%s", csrf);
    assert_int_equal(request("POST", "/login", "192.0.2.70", cookie, NULL, "multipart/form-data; boundary=XyZ",
                             body.data, &r), 303);
    resp_free(&r);
    /* Cut short: refused as malformed. */
    body.data[body.len - 10] = '\0';
    assert_int_equal(request("POST", "/login", "192.0.2.70", cookie, NULL, "multipart/form-data; boundary=XyZ",
                             body.data, &r), 400);
    resp_free(&r);
    buf_free(&body);
}

static void test_route_table(void **state)
{
    (void)state;
    size_t n;
    const web_route *routes = web_routes(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const web_route *rt = &routes[i];
        assert_true(rt->pattern[0] == '/');
        assert_non_null(rt->handler);
        int unsafe = strcmp(rt->method, "GET") != 0;
        if (unsafe && !(rt->flags & WEB_CSRF))
            fail_msg("%s %s changes state but has no WEB_CSRF", rt->method, rt->pattern);
        if (!(rt->flags & WEB_PUBLIC) && (rt->roles & ROLES_ANY) == 0)
            fail_msg("%s %s is for nobody", rt->method, rt->pattern);
        if ((rt->flags & WEB_API) && !(rt->flags & WEB_PUBLIC) && strncmp(rt->pattern, "/api/", 5) != 0)
            fail_msg("%s %s is an API route outside /api/", rt->method, rt->pattern);
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(rt->method, routes[j].method) == 0 && strcmp(rt->pattern, routes[j].pattern) == 0)
                fail_msg("%s %s twice", rt->method, rt->pattern);
    }
    int known;
    assert_non_null(web_route_find("GET", "/static/a/b.css", &known));
    assert_null(web_route_find("GET", "/static", &known));
    assert_null(web_route_find("PATCH", "/login", &known));
    assert_int_equal(known, 1);
}

/* ---- A real server ------------------------------------------------------------------------ */

/* Connects to 127.0.0.1:port; the socket, or -1. */
static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    struct timeval tv = { 10, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static void send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        assert_true(n > 0);
        data += n;
        len -= (size_t)n;
    }
}

/* Bytes read from a connection past the response being read (pipelining). */
static buf pending;

/* Reads one response (headers and Content-Length bytes) from fd into out,
 * keeping what follows it for the next call. Returns 0, or -1 when the
 * connection closed first. */
static int read_response(int fd, resp *out)
{
    memset(out, 0, sizeof *out);
    buf_init(&out->raw);
    buf_append(&out->raw, pending.data ? pending.data : "", pending.len);
    buf_reset(&pending);
    char chunk[4096];
    size_t need = (size_t)-1;
    for (;;) {
        if (out->raw.data) {
            const char *end = strstr(out->raw.data, "\r\n\r\n");
            if (end && need == (size_t)-1) {
                const char *cl = strstr(out->raw.data, "\r\nContent-Length:");   /* as MHD spells it */
                need = (size_t)(end + 4 - out->raw.data) + (cl && cl < end ? (size_t)atol(cl + 17) : 0);
            }
            if (need != (size_t)-1 && out->raw.len >= need)
                break;
        }
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return -1;
        buf_append(&out->raw, chunk, (size_t)n);
    }
    buf_append(&pending, out->raw.data + need, out->raw.len - need);
    out->raw.len = need;
    out->raw.data[need] = '\0';
    resp_parse(out);
    return 0;
}

static void test_server_keep_alive(void **state)
{
    (void)state;
    err e;
    web_server *server = web_server_start(app, "127.0.0.1:0", &e);
    assert_non_null(server);
    int port = web_server_port(server);
    assert_true(port > 0);
    int fd = connect_to(port);
    assert_true(fd >= 0);
    const char *req = "GET /healthz HTTP/1.1\r\nHost: itss.test\r\n\r\n";
    resp r;
    for (int i = 0; i < 3; i++) {
        send_all(fd, req, strlen(req));
        assert_int_equal(read_response(fd, &r), 0);
        assert_int_equal(r.status, 200);
        assert_true(body_has(&r, "\"status\":\"ok\""));
        assert_null(header(&r, "Connection"));    /* not "close" */
        resp_free(&r);
    }
    /* A page and a built-in file on the same connection too. */
    req = "GET /login HTTP/1.1\r\nHost: itss.test\r\n\r\nGET /static/itss.css HTTP/1.1\r\nHost: itss.test\r\n\r\n";
    send_all(fd, req, strlen(req));
    assert_int_equal(read_response(fd, &r), 0);
    assert_int_equal(r.status, 200);
    check_security_headers(&r);
    resp_free(&r);
    assert_int_equal(read_response(fd, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type"), "text/css; charset=utf-8");
    resp_free(&r);
    close(fd);
    buf_free(&pending);
    web_server_stop(server, 1000);
}

static void test_server_login_over_http(void **state)
{
    (void)state;
    err e;
    web_server *server = web_server_start(app, "127.0.0.1:0", &e);
    assert_non_null(server);
    int fd = connect_to(web_server_port(server));
    resp r;
    const char *req = "GET /login HTTP/1.1\r\nHost: itss.test\r\n\r\n";
    send_all(fd, req, strlen(req));
    assert_int_equal(read_response(fd, &r), 0);
    char csrf[128];
    assert_true(cookie_value(&r, WEB_CSRF_COOKIE, csrf, sizeof csrf));
    resp_free(&r);

    buf body, msg;
    buf_init(&body);
    buf_init(&msg);
    form_arg(&body, "csrf", csrf);
    form_arg(&body, "login", "alice");
    form_arg(&body, "password", "alice-password-1");
    buf_printf(&msg, "POST /login HTTP/1.1\r\nHost: itss.test\r\nCookie: " WEB_CSRF_COOKIE "=%s\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
               csrf, body.len, body.data);
    /* In two pieces, so that the body arrives in a later call of the handler. */
    send_all(fd, msg.data, msg.len - 5);
    usleep(50 * 1000);
    send_all(fd, msg.data + msg.len - 5, 5);
    assert_int_equal(read_response(fd, &r), 0);
    assert_int_equal(r.status, 303);
    char session[128];
    assert_true(cookie_value(&r, WEB_SESSION_COOKIE, session, sizeof session));
    resp_free(&r);

    buf_reset(&msg);
    buf_printf(&msg, "GET /home HTTP/1.1\r\nHost: itss.test\r\nCookie: %s\r\n\r\n", session_cookie(session));
    send_all(fd, msg.data, msg.len);
    assert_int_equal(read_response(fd, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(body_has(&r, "alice"));
    resp_free(&r);

    /* A body over the limit: 413, and the connection is closed. */
    buf_reset(&msg);
    buf_printf(&msg, "POST /login HTTP/1.1\r\nHost: itss.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %u\r\n\r\nlogin=x", WEB_MAX_BODY + 1);
    send_all(fd, msg.data, msg.len);
    assert_int_equal(read_response(fd, &r), 0);
    assert_int_equal(r.status, 413);
    resp_free(&r);
    char byte;
    assert_true(recv(fd, &byte, 1, 0) <= 0);
    close(fd);
    buf_free(&body);
    buf_free(&msg);
    buf_free(&pending);
    web_server_stop(server, 1000);
}

static void test_secure_cookies_option(void **state)
{
    (void)state;
    web_config c = { .db_path = db_path, .secure_cookies = 1 };
    err e;
    web_app *secure = web_app_new(&c, &e);
    assert_non_null(secure);
    web_app *plain = app;
    app = secure;
    resp r;
    assert_int_equal(get("/login", NULL, &r), 200);
    assert_non_null(strstr(set_cookie(&r, WEB_CSRF_COOKIE), "; Secure"));
    resp_free(&r);
    char session[128];
    resp post;
    assert_int_equal(login_from("alice", "alice-password-1", "192.0.2.80", session, sizeof session, &post), 303);
    assert_non_null(strstr(set_cookie(&post, WEB_SESSION_COOKIE), "; Secure"));
    resp_free(&post);
    app = plain;
    web_app_free(secure);
}

/* ---- itss serve: SIGTERM lets a request in flight finish --------------------------------------- */

static void test_serve_finishes_requests_on_sigterm(void **state)
{
    (void)state;
    const char *bin = getenv("ITSS_BIN");
    if (!bin || !*bin) {
        fprintf(stderr, "ITSS_BIN not set: run through make check\n");
        skip();
    }
    int errpipe[2];
    assert_int_equal(pipe(errpipe), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(errpipe[1], 2);
        close(errpipe[0]);
        close(errpipe[1]);
        execl(bin, bin, "serve", "--listen", "127.0.0.1:0", "--db", db_path, (char *)NULL);
        _exit(127);
    }
    close(errpipe[1]);
    FILE *log = fdopen(errpipe[0], "r");
    char line[512];
    int port = 0;
    while (!port && fgets(line, sizeof line, log)) {
        const char *p = strstr(line, "listening on http://127.0.0.1:");
        if (p)
            port = atoi(p + strlen("listening on http://127.0.0.1:"));
    }
    assert_true(port > 0);

    /* A request whose body is only half sent: in flight when SIGTERM comes. */
    int fd = connect_to(port);
    assert_true(fd >= 0);
    const char *head = "POST /login HTTP/1.1\r\nHost: itss.test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: 28\r\n\r\nlogin=alice&pass";
    send_all(fd, head, strlen(head));
    usleep(200 * 1000);
    kill(pid, SIGTERM);
    usleep(200 * 1000);
    /* No new connections now ... */
    int other = connect_to(port);
    assert_true(other < 0);
    /* ... but the one in flight is answered (403: it carries no CSRF token). */
    send_all(fd, "word=secret1", 12);
    resp r;
    assert_int_equal(read_response(fd, &r), 0);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    close(fd);
    buf_free(&pending);

    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    int stopped = 0;
    while (fgets(line, sizeof line, log))
        stopped |= strstr(line, "itss serve: stopped") != NULL;
    fclose(log);
    assert_true(stopped);
    /* The database is whole. */
    err e;
    assert_int_equal(store_check(db, &e), 0);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);   /* the cycles named here are dated for this day */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_table),
        cmocka_unit_test(test_login_success_sets_session_cookie),
        cmocka_unit_test(test_login_goes_to_next_but_never_off_site),
        cmocka_unit_test(test_wrong_user_and_wrong_password_same_answer),
        cmocka_unit_test(test_login_needs_both_fields),
        cmocka_unit_test(test_throttling_per_account),
        cmocka_unit_test(test_throttling_per_address),
        cmocka_unit_test(test_logout_ends_the_session),
        cmocka_unit_test(test_sessions_expire),
        cmocka_unit_test(test_disabling_or_new_password_ends_sessions),
        cmocka_unit_test(test_unauthenticated_requests),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_csrf_refusals),
        cmocka_unit_test(test_bearer_tokens),
        cmocka_unit_test(test_security_headers_on_every_answer),
        cmocka_unit_test(test_not_found_and_wrong_method),
        cmocka_unit_test(test_malformed_requests),
        cmocka_unit_test(test_static_files),
        cmocka_unit_test(test_healthz),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_multipart_form),
        cmocka_unit_test(test_secure_cookies_option),
        cmocka_unit_test(test_server_keep_alive),
        cmocka_unit_test(test_server_login_over_http),
        cmocka_unit_test(test_serve_finishes_requests_on_sigterm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
