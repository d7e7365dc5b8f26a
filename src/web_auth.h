/* web_auth.h - who is asking, and may they: sessions, bearer tokens, CSRF
 * tokens and login throttling for the web server.
 *
 * A session is a random token in the cookie itss_session (HttpOnly,
 * SameSite=Lax, Secure with --secure-cookies); the database keeps only its hash,
 * with the user, a CSRF token, and when it began and was last used, so that
 * several servers can share sessions. A session ends at logout, after
 * session_idle_minutes without use, session_hours after login, when the
 * password changes or the account is disabled.
 *
 * Every state-changing request carries the CSRF token: a form field "csrf" or
 * the header X-CSRF-Token. Before login (the login form itself) the token is a
 * random value in the cookie itss_csrf that the form repeats. Requests
 * authenticated by a bearer token (scripts; API routes only) need none: browsers
 * never send such a header by themselves.
 *
 * Logins are throttled per pair of login name (as typed, known or not) and
 * client address: WEB_LOGIN_MAX_FAILURES failures of a pair within
 * WEB_LOGIN_WINDOW_MINUTES are free; after that the pair waits
 * WEB_LOGIN_DELAY_SECONDS after its latest failure, twice as long after each
 * further one, at most WEB_LOGIN_DELAY_MAX_SECONDS. Someone else's failures from
 * another address never delay the owner of an account. One address may fail
 * WEB_LOGIN_MAX_FAILURES_ADDRESS times in the window over all login names (a
 * company proxy is one address; with --trusted-proxy the client behind it is).
 * An attempt is counted, and the decision made, in one write transaction before
 * the password is checked; a success takes its count back. So a burst of
 * concurrent guesses gets at most WEB_LOGIN_MAX_FAILURES of them checked.
 * A wrong user and a wrong password get the same answer and take the same time. */
#ifndef ITSS_WEB_AUTH_H
#define ITSS_WEB_AUTH_H

#include <time.h>
#include "web.h"

#define WEB_SESSION_COOKIE "itss_session"
#define WEB_CSRF_COOKIE "itss_csrf"
#define WEB_CSRF_FIELD "csrf"
#define WEB_CSRF_HEADER "X-CSRF-Token"
#define WEB_TOKEN_PREFIX "itss_"            /* bearer tokens start so, for secret scanners */

#define WEB_LOGIN_MAX_FAILURES 5            /* free failures of one (login, address) pair */
#define WEB_LOGIN_DELAY_SECONDS 30          /* the first delay after them; doubles, ... */
#define WEB_LOGIN_DELAY_MAX_SECONDS 900     /* ... up to this */
#define WEB_LOGIN_MAX_FAILURES_ADDRESS 100  /* failures from one address, any login names */
#define WEB_LOGIN_WINDOW_MINUTES 15
#define WEB_SESSION_TOUCH_SECONDS 60        /* last use is written at most this often */

/* Sets r->user and r->csrf_token from the session cookie or, on API routes, an
 * Authorization: Bearer token. An expired or unknown session leaves r->user
 * NULL (and clears the cookie). Returns 0, or -1 after answering: 401 for a bad
 * bearer token, 503 when the database is unavailable. */
int web_auth_identify(web_request *r);

/* 1 when r carries the CSRF token its session (or, before login, its itss_csrf
 * cookie) expects, or was authenticated by a bearer token. */
int web_auth_csrf_ok(const web_request *r);


/* Makes sure an anonymous visitor has a CSRF token for the login form: the
 * itss_csrf cookie's, or a new one (the cookie is then set). Sets and returns
 * r->csrf_token. */
const char *web_auth_anonymous_csrf(web_request *r);

typedef enum web_login_result {
    WEB_LOGIN_OK,
    WEB_LOGIN_WRONG,          /* unknown user, wrong password or disabled account: one answer */
    WEB_LOGIN_THROTTLED,
    WEB_LOGIN_UNAVAILABLE     /* the database failed (already answered with 503) */
} web_login_result;

/* Checks login and password under the throttle and records a failure. On
 * success starts a session (cookie set, r->user and r->csrf_token are the new
 * session's). When throttled, *retry_after (may be NULL) gets the seconds to
 * wait. */
web_login_result web_auth_login(web_request *r, const char *login, const char *password, int *retry_after);

/* Starts a session for user u without a password (a one-time sign-in link
 * was just used: web_signin.c): cookie set, r->user and r->csrf_token the new
 * session's. 0, or -1 after answering 503. */
struct store_user;
int web_auth_start(web_request *r, const struct store_user *u);

/* Ends r's session: its row is deleted and the cookie cleared. */
void web_auth_logout(web_request *r);

/* Moments as the store keeps them, "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void web_auth_moment(time_t t, char out[32]);
/* The time of a moment; -1 when malformed. */
time_t web_auth_parse_moment(const char *moment);

/* The longest lifetime of new API tokens in days, as the administrator set it
 * (0: none; at most WEB_TOKEN_DAYS_MAX). */
#define WEB_TOKEN_DAYS_MAX 36500
int64_t web_auth_token_max_days(store *db);

#endif
