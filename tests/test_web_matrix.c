/* test_web_matrix.c - who may do what, route by route.
 *
 * The permission matrix: every route of web_routes() asked by nobody, an
 * engineer, a manager, HR and an administrator, each answer's status checked
 * against a table written out by hand below (expectations[]). Where a route
 * takes an :id, the request names real rows of a fixture database made by
 * `itss demo`: the engineer's own person, a member of the manager's unit and a
 * person outside it, the open and the closed cycle, experience records of the
 * engineer and of someone else. A route of the table that the expectations do
 * not list fails the test, so a new route is added deliberately; so does an
 * expectation naming a route that is gone.
 *
 * Then two sweeps over the same routes:
 *   CSRF  every route flagged WEB_CSRF refuses the request without the token,
 *         and with a wrong one, with 403, for a user who may use it;
 *   XSS   script and markup typed into every text field the application keeps
 *         (person name, kana and e-mail, org unit name, cycle name, experience
 *         project, role and description, contribution title, comments, a plan's
 *         comment and action, a course, a qualification) never
 *         come back unescaped in any HTML page any role can reach, nor in the
 *         answer of any form posted with them, nor reflected from the query;
 *         a login holding markup is refused.
 *
 * Requests go through web_handle_raw, the dispatcher `itss serve` runs. A
 * request that may change the database runs on a fresh copy of the fixture, so
 * every row sees the same data.
 *
 * ITSS_MATRIX_PRINT=1 prints what the server answered for every row, and a row
 * to start from for each route the table lacks: to compare with what the
 * roles should allow, never to copy without that thought. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "catalog.h"
#include "cli.h"
#include "html.h"
#include "plans.h"
#include "policy.h"
#include "review.h"
#include "store.h"
#include "web.h"
#include "web_client.h"
#include "web_auth.h"

/* ---- Who asks -------------------------------------------------------------------- */

enum { NONE, ENG, MGR, HR, ADM, N_WHO };

static const char *const who_name[N_WHO] = { "nobody", "engineer", "manager", "hr", "admin" };

/* The demo's accounts (itss help demo). */
static const struct { const char *login, *password; } accounts[N_WHO] = {
    { NULL, NULL },
    { "engineer", "itss-demo-engineer" },
    { "manager", "itss-demo-manager" },
    { "hr", "itss-demo-hr" },
    { "admin", "itss-demo-admin" },
};

/* ---- The expectations, by hand ----------------------------------------------------- *
 *
 * One row per request: the route (method and pattern as web_routes() has them),
 * the path asked with $placeholders for fixture ids, a body (form fields, or
 * JSON when it starts with '{'; placeholders allowed), and the status expected
 * for nobody, engineer, manager, HR and administrator. A route may have several
 * rows (the user's own person, a member of the manager's unit, someone outside).
 *
 * Placeholders: $eng the demo engineer's person (E1019 of 金融システム保守課,
 * diagnosis approved), $member a member of that section with a submitted
 * diagnosis (E1041), $outside someone of another department with a submitted
 * diagnosis (E1010, 関西保守課), $mgr the manager's own person (E1011, draft),
 * $cycle the open cycle (2026年度), $closed the closed one (2025年度), $org
 * 金融システム保守課, $org_parent the department above it, $exp an experience
 * record of the engineer, $exp_out one of $outside, $user_eng the engineer's
 * user, $token_eng an API token of the engineer.
 *
 * How a status reads: 303 for nobody on a page is the redirect to the login
 * form (checked), for a user the redirect after a form did its work; 401 is an
 * API's (or a state change's) refusal of nobody; 403 a role the route does not
 * reach, or a person the user's role does not reach; 404 a record that is not
 * the user's own (their experience, their tokens); 400 a request the handler
 * read and refused for its content, which shows the role got through. The
 * administrator has no person: the "my" pages are not for that role (403). */

#define LOGIN 303              /* nobody on a page: to /login?next=... */
#define AUTH 401               /* nobody on an API or a state change */

typedef struct expect {
    const char *method;
    const char *pattern;
    const char *path;
    const char *body;
    int status[N_WHO];         /* nobody, engineer, manager, HR, admin */
} expect;

/* Form and JSON bodies that would succeed for a user allowed to send them. */
#define EXPERIENCE_FORM "action=save&project=P&from=2025-04&to=2025-09&role=R&specialization=HW&level=3&succeeded=1&description=D"
#define EXPERIENCE_JSON "{\"project\":\"P\",\"from\":\"2025-04\",\"to\":\"2025-09\",\"role\":\"R\"," \
                        "\"specialization\":\"CS.HW\",\"level\":3,\"succeeded\":true,\"description\":\"D\"}"

static const expect expectations[] = {
    /* Entering and leaving. A logged-in user asking for the login form goes home. */
    { "GET", "/", "/", NULL,                                              { 303, 303, 303, 303, 303 } },
    { "GET", "/login", "/login", NULL,                                    { 200, 303, 303, 303, 303 } },
    { "POST", "/login", "/login", "login=&password=",                     { 400, 400, 400, 400, 400 } },
    { "POST", "/logout", "/logout", "",                                   { AUTH, 303, 303, 303, 303 } },
    { "GET", "/home", "/home", NULL,                                      { LOGIN, 200, 200, 200, 200 } },

    /* The server's own: built-in files, the health check and the API's description, for anyone. */
    { "GET", "/static/*", "/static/itss.css", NULL,                       { 200, 200, 200, 200, 200 } },
    { "GET", "/static/*", "/static/no-such-file.css", NULL,               { 404, 404, 404, 404, 404 } },
    { "GET", "/healthz", "/healthz", NULL,                                { 200, 200, 200, 200, 200 } },
    { "GET", "/api/v1/openapi.json", "/api/v1/openapi.json", NULL,        { 200, 200, 200, 200, 200 } },

    /* Administrators: the users. */
    { "GET", "/admin", "/admin", NULL,                                    { LOGIN, 403, 403, 403, 200 } },
    { "POST", "/admin/users", "/admin/users",
      "login=newuser&role=engineer&password=new-password-1",              { AUTH, 403, 403, 403, 303 } },
    { "GET", "/admin/users/:id", "/admin/users/$user_eng", NULL,          { LOGIN, 403, 403, 403, 200 } },
    { "POST", "/admin/users/:id", "/admin/users/$user_eng",
      "role=engineer&employee_number=E1019",                              { AUTH, 403, 403, 403, 303 } },
    { "POST", "/admin/users/:id/disable", "/admin/users/$user_eng/disable", "", { AUTH, 403, 403, 403, 303 } },
    { "POST", "/admin/users/:id/enable", "/admin/users/$user_eng/enable", "", { AUTH, 403, 403, 403, 303 } },
    { "POST", "/admin/users/:id/password", "/admin/users/$user_eng/password",
      "password=another-password-1",                                      { AUTH, 403, 403, 403, 303 } },
    { "POST", "/admin/users/:id/tokens/:token/revoke", "/admin/users/$user_eng/tokens/$token_eng/revoke", "",
                                                                          { AUTH, 403, 403, 403, 303 } },
    { "POST", "/admin/token-lifetime", "/admin/token-lifetime", "max_days=90", { AUTH, 403, 403, 403, 303 } },
    { "POST", "/admin/users/:id/signin-link", "/admin/users/$user_eng/signin-link", "", { AUTH, 403, 403, 403, 200 } },
    { "GET", "/admin/accounts", "/admin/accounts", NULL,                  { LOGIN, 403, 403, 403, 200 } },
    { "POST", "/admin/accounts/unit", "/admin/accounts/unit", "unit=$org&sub_units=1&role=auto",
                                                                          { AUTH, 403, 403, 403, 200 } },
    { "POST", "/admin/accounts/csv", "/admin/accounts/csv", "dry_run=1",  { AUTH, 403, 403, 403, 400 } },
    { "GET", "/admin/accounts/template.csv", "/admin/accounts/template.csv", NULL, { LOGIN, 403, 403, 403, 200 } },
    /* A one-time sign-in link: anyone may follow one; an unknown one is gone. */
    { "GET", "/signin/:token", "/signin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, { 410, 410, 410, 410, 410 } },
    { "POST", "/signin/:token", "/signin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "password=new-password-1&again=new-password-1",                     { 410, 410, 410, 410, 410 } },
    { "GET", "/admin/outbox", "/admin/outbox", NULL,                      { LOGIN, 403, 403, 403, 200 } },
    { "GET", "/admin/outbox", "/admin/outbox?status=failed", NULL,        { LOGIN, 403, 403, 403, 200 } },
    { "GET", "/admin/outbox", "/admin/outbox?status=nope", NULL,          { LOGIN, 403, 403, 403, 400 } },
    { "POST", "/admin/outbox/:id/retry", "/admin/outbox/999999/retry", "", { AUTH, 403, 403, 403, 404 } },
    { "GET", "/api/v1/admin/outbox", "/api/v1/admin/outbox?status=pending&limit=5", NULL,
      { AUTH, 403, 403, 403, 200 } },
    { "POST", "/api/v1/admin/outbox/:id/retry", "/api/v1/admin/outbox/999999/retry", "{}",
      { AUTH, 403, 403, 403, 404 } },
    { "GET", "/api/v1/users", "/api/v1/users", NULL,                      { AUTH, 403, 403, 403, 200 } },
    { "POST", "/api/v1/users", "/api/v1/users",
      "{\"login\":\"newuser\",\"role\":\"engineer\",\"password\":\"new-password-1\"}", { AUTH, 403, 403, 403, 201 } },
    { "GET", "/api/v1/users/:id", "/api/v1/users/$user_eng", NULL,        { AUTH, 403, 403, 403, 200 } },
    { "PATCH", "/api/v1/users/:id", "/api/v1/users/$user_eng", "{\"role\":\"engineer\"}", { AUTH, 403, 403, 403, 200 } },
    { "PUT", "/api/v1/users/:id/password", "/api/v1/users/$user_eng/password",
      "{\"password\":\"another-password-1\"}",                            { AUTH, 403, 403, 403, 204 } },

    /* Every user: who they are, their API tokens (another's token is not theirs: 404). */
    { "GET", "/api/v1/me", "/api/v1/me", NULL,                            { AUTH, 200, 200, 200, 200 } },
    { "GET", "/account/password", "/account/password", NULL,              { LOGIN, 200, 200, 200, 200 } },
    { "POST", "/account/password", "/account/password", "current=wrong&password=x&again=x", { AUTH, 422, 422, 422, 422 } },
    { "GET", "/account/tokens", "/account/tokens", NULL,                  { LOGIN, 200, 200, 200, 200 } },
    { "POST", "/account/tokens", "/account/tokens", "name=script&expires_days=30", { AUTH, 303, 303, 303, 303 } },
    { "POST", "/account/tokens/:id/revoke", "/account/tokens/$token_eng/revoke", "", { AUTH, 303, 404, 404, 404 } },
    { "GET", "/api/v1/tokens", "/api/v1/tokens", NULL,                    { AUTH, 200, 200, 200, 200 } },
    { "POST", "/api/v1/tokens", "/api/v1/tokens", "{\"name\":\"script\"}", { AUTH, 201, 201, 201, 201 } },
    { "DELETE", "/api/v1/tokens/:id", "/api/v1/tokens/$token_eng", NULL,  { AUTH, 204, 404, 404, 404 } },

    /* The standard: anyone logged in. */
    { "GET", "/standard", "/standard", NULL,                              { LOGIN, 200, 200, 200, 200 } },
    { "GET", "/standard/search", "/standard/search?q=%E4%BF%9D%E5%AE%88", NULL, { LOGIN, 200, 200, 200, 200 } },
    { "GET", "/standard/:spec", "/standard/HW", NULL,                     { LOGIN, 200, 200, 200, 200 } },
    { "GET", "/standard/:spec", "/standard/XX", NULL,                     { LOGIN, 404, 404, 404, 404 } },
    { "GET", "/standard/:spec/:level", "/standard/HW/3", NULL,            { LOGIN, 200, 200, 200, 200 } },
    { "GET", "/standard/:spec/area/:area", "/standard/HW/area/UEA", NULL, { LOGIN, 200, 200, 200, 200 } },
    { "GET", "/api/v1/catalog", "/api/v1/catalog", NULL,                  { AUTH, 200, 200, 200, 200 } },
    { "GET", "/api/v1/catalog/search", "/api/v1/catalog/search?q=%E4%BF%9D%E5%AE%88", NULL, { AUTH, 200, 200, 200, 200 } },
    { "GET", "/api/v1/catalog/elements/:id", "/api/v1/catalog/elements/CS.HW.L3.responsibility", NULL,
                                                                          { AUTH, 200, 200, 200, 200 } },

    /* My diagnosis: everyone with a person (the administrator has none). The
     * engineer's is approved (read-only: 409), the manager's a draft, HR's
     * person has answered nothing (nothing to hand in: 409). */
    { "GET", "/diagnosis", "/diagnosis", NULL,                            { LOGIN, 200, 200, 200, 403 } },
    { "POST", "/diagnosis/submit", "/diagnosis/submit", "",               { AUTH, 409, 303, 409, 403 } },
    { "POST", "/diagnosis/carry", "/diagnosis/carry", "",                 { AUTH, 409, 409, 409, 403 } },
    { "POST", "/diagnosis/specs", "/diagnosis/specs", "spec=HW",          { AUTH, 409, 303, 303, 403 } },
    { "GET", "/diagnosis/:spec", "/diagnosis/HW", NULL,                   { LOGIN, 200, 200, 200, 403 } },
    { "POST", "/diagnosis/:spec", "/diagnosis/HW", "",                    { AUTH, 409, 303, 303, 403 } },
    { "GET", "/diagnosis/:spec/skills", "/diagnosis/HW/skills", NULL,     { LOGIN, 200, 200, 200, 403 } },
    { "POST", "/diagnosis/:spec/skills", "/diagnosis/HW/skills", "",      { AUTH, 409, 303, 303, 403 } },
    { "GET", "/diagnosis/:spec/skills/:area", "/diagnosis/HW/skills/UEA", NULL, { LOGIN, 200, 200, 200, 403 } },
    { "GET", "/diagnosis/:spec/skills/:area", "/diagnosis/HW/skills/NOPE", NULL, { LOGIN, 404, 404, 404, 403 } },
    { "POST", "/diagnosis/:spec/skills/:area", "/diagnosis/HW/skills/UEA", "", { AUTH, 409, 303, 303, 403 } },
    { "GET", "/api/v1/me/assessment", "/api/v1/me/assessment", NULL,      { AUTH, 200, 200, 200, 403 } },
    { "PUT", "/api/v1/me/assessment", "/api/v1/me/assessment", "{\"answers\":[]}", { AUTH, 409, 200, 200, 403 } },
    { "POST", "/api/v1/me/assessment/submit", "/api/v1/me/assessment/submit", "", { AUTH, 409, 200, 409, 403 } },
    { "GET", "/api/v1/me/assessment/specs", "/api/v1/me/assessment/specs", NULL, { AUTH, 200, 200, 200, 403 } },
    { "PUT", "/api/v1/me/assessment/specs", "/api/v1/me/assessment/specs", "{\"specializations\":[\"HW\"]}",
      { AUTH, 409, 200, 200, 403 } },

    /* My experience records: only one's own; another's record is not found.
     * While the diagnosis in force is handed in (the engineer's is approved)
     * the records stay as they were: 409. */
    { "GET", "/experience", "/experience", NULL,                          { LOGIN, 200, 200, 200, 403 } },
    { "GET", "/experience/new", "/experience/new", NULL,                  { LOGIN, 409, 200, 200, 403 } },
    { "POST", "/experience/new", "/experience/new", EXPERIENCE_FORM,      { AUTH, 409, 303, 303, 403 } },
    { "GET", "/experience/:id/edit", "/experience/$exp/edit", NULL,       { LOGIN, 409, 404, 404, 403 } },
    { "GET", "/experience/:id/edit", "/experience/$exp_out/edit", NULL,   { LOGIN, 404, 404, 404, 403 } },
    { "POST", "/experience/:id/edit", "/experience/$exp/edit", EXPERIENCE_FORM, { AUTH, 409, 404, 404, 403 } },
    { "POST", "/experience/:id/edit", "/experience/$exp_out/edit", EXPERIENCE_FORM, { AUTH, 404, 404, 404, 403 } },
    { "POST", "/experience/:id/delete", "/experience/$exp/delete", "",    { AUTH, 409, 404, 404, 403 } },
    { "POST", "/experience/:id/delete", "/experience/$exp_out/delete", "", { AUTH, 404, 404, 404, 403 } },
    { "GET", "/api/v1/me/experience", "/api/v1/me/experience", NULL,      { AUTH, 200, 200, 200, 403 } },
    { "POST", "/api/v1/me/experience", "/api/v1/me/experience", EXPERIENCE_JSON, { AUTH, 409, 201, 201, 403 } },
    { "GET", "/api/v1/me/experience/:id", "/api/v1/me/experience/$exp", NULL, { AUTH, 200, 404, 404, 403 } },
    { "GET", "/api/v1/me/experience/:id", "/api/v1/me/experience/$exp_out", NULL, { AUTH, 404, 404, 404, 403 } },
    { "PUT", "/api/v1/me/experience/:id", "/api/v1/me/experience/$exp", EXPERIENCE_JSON, { AUTH, 409, 404, 404, 403 } },
    { "DELETE", "/api/v1/me/experience/:id", "/api/v1/me/experience/$exp", NULL, { AUTH, 409, 404, 404, 403 } },
    { "DELETE", "/api/v1/me/experience/:id", "/api/v1/me/experience/$exp_out", NULL, { AUTH, 404, 404, 404, 403 } },

    /* Results: one's own (everyone with a person: not the administrator, as
     * for the diagnosis); a person's as far as the role reaches them. */
    { "GET", "/results", "/results", NULL,                                { LOGIN, 200, 200, 200, 403 } },
    { "GET", "/api/v1/me/results", "/api/v1/me/results", NULL,            { AUTH, 200, 200, 200, 403 } },
    { "GET", "/results/report.pdf", "/results/report.pdf", NULL,          { LOGIN, 200, 200, 404, 403 } },
    { "GET", "/people/:id/report.pdf", "/people/$eng/report.pdf", NULL,   { LOGIN, 200, 200, 200, 403 } },
    { "GET", "/people/:id/report.pdf", "/people/$outside/report.pdf", NULL, { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/people/:id/results", "/people/$eng/results", NULL,         { LOGIN, 200, 200, 200, 403 } },
    { "GET", "/people/:id/results", "/people/$member/results", NULL,      { LOGIN, 403, 200, 200, 403 } },
    { "GET", "/people/:id/results", "/people/$outside/results", NULL,     { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/people/:id/results", "/people/$mgr/results", NULL,         { LOGIN, 403, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id/results", "/api/v1/people/$eng/results", NULL, { AUTH, 200, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id/results", "/api/v1/people/$member/results", NULL, { AUTH, 403, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id/results", "/api/v1/people/$outside/results", NULL, { AUTH, 403, 403, 200, 403 } },
    /* (A person out of reach is not found here, where the pages say 403.) */
    { "GET", "/api/v1/people/:id", "/api/v1/people/$eng", NULL,           { AUTH, 200, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id", "/api/v1/people/$member", NULL,        { AUTH, 403, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id", "/api/v1/people/$outside", NULL,       { AUTH, 403, 403, 200, 403 } },

    /* The manager's review: managers (their unit and below) and HR (everyone),
     * never one's own assessment. */
    { "GET", "/team", "/team", NULL,                                      { LOGIN, 403, 200, 200, 403 } },
    { "GET", "/api/v1/team", "/api/v1/team", NULL,                        { AUTH, 403, 200, 200, 403 } },
    { "POST", "/team/approve", "/team/approve", "person=$member&cycle=$cycle", { AUTH, 403, 200, 200, 403 } },
    { "POST", "/team/approve", "/team/approve", "person=$member&cycle=$cycle&confirm=1", { AUTH, 403, 303, 303, 403 } },
    { "POST", "/team/approve", "/team/approve", "person=$outside&cycle=$cycle&confirm=1", { AUTH, 403, 409, 303, 403 } },
    { "POST", "/api/v1/team/approve", "/api/v1/team/approve", "{\"people\":[$member],\"cycle\":$cycle}",
      { AUTH, 403, 200, 200, 403 } },
    { "POST", "/api/v1/team/approve", "/api/v1/team/approve", "{\"people\":[$outside],\"cycle\":$cycle}",
      { AUTH, 403, 409, 200, 403 } },
    { "GET", "/people/:id/review", "/people/$member/review", NULL,        { LOGIN, 403, 200, 200, 403 } },
    { "GET", "/people/:id/review", "/people/$outside/review", NULL,       { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/people/:id/review", "/people/$mgr/review", NULL,           { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/people/:id/review", "/people/$member/review", "cycle=$cycle", { AUTH, 403, 303, 303, 403 } },
    { "POST", "/people/:id/review", "/people/$outside/review", "cycle=$cycle", { AUTH, 403, 403, 303, 403 } },
    { "POST", "/people/:id/comments", "/people/$member/comments", "cycle=$cycle&body=OK", { AUTH, 403, 303, 303, 403 } },
    { "POST", "/people/:id/comments", "/people/$outside/comments", "cycle=$cycle&body=OK", { AUTH, 403, 403, 303, 403 } },
    { "POST", "/people/:id/comments", "/people/$eng/comments", "cycle=$cycle&body=OK", { AUTH, 303, 303, 303, 403 } },
    { "POST", "/people/:id/return", "/people/$member/return", "cycle=$cycle&comment=R", { AUTH, 403, 303, 303, 403 } },
    { "POST", "/people/:id/return", "/people/$outside/return", "cycle=$cycle&comment=R", { AUTH, 403, 403, 303, 403 } },
    { "POST", "/people/:id/approve", "/people/$member/approve", "cycle=$cycle", { AUTH, 403, 303, 303, 403 } },
    { "POST", "/people/:id/approve", "/people/$outside/approve", "cycle=$cycle", { AUTH, 403, 403, 303, 403 } },
    { "POST", "/people/:id/approve", "/people/$mgr/approve", "cycle=$cycle", { AUTH, 403, 403, 409, 403 } },
    { "GET", "/api/v1/people/:id/assessment", "/api/v1/people/$eng/assessment", NULL, { AUTH, 200, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id/assessment", "/api/v1/people/$member/assessment", NULL, { AUTH, 403, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id/assessment", "/api/v1/people/$outside/assessment", NULL, { AUTH, 403, 403, 200, 403 } },
    { "PUT", "/api/v1/people/:id/assessment/manager", "/api/v1/people/$member/assessment/manager",
      "{\"answers\":[]}",                                                 { AUTH, 403, 200, 200, 403 } },
    { "PUT", "/api/v1/people/:id/assessment/manager", "/api/v1/people/$outside/assessment/manager",
      "{\"answers\":[]}",                                                 { AUTH, 403, 403, 200, 403 } },
    { "POST", "/api/v1/people/:id/comments", "/api/v1/people/$member/comments", "{\"body\":\"OK\"}",
                                                                          { AUTH, 403, 201, 201, 403 } },
    { "POST", "/api/v1/people/:id/comments", "/api/v1/people/$outside/comments", "{\"body\":\"OK\"}",
                                                                          { AUTH, 403, 403, 201, 403 } },
    { "POST", "/api/v1/people/:id/comments", "/api/v1/people/$eng/comments", "{\"body\":\"OK\"}",
                                                                          { AUTH, 201, 201, 201, 403 } },
    { "POST", "/api/v1/people/:id/return", "/api/v1/people/$member/return", "{\"comment\":\"R\"}",
                                                                          { AUTH, 403, 200, 200, 403 } },
    { "POST", "/api/v1/people/:id/return", "/api/v1/people/$outside/return", "{\"comment\":\"R\"}",
                                                                          { AUTH, 403, 403, 200, 403 } },
    { "POST", "/api/v1/people/:id/approve", "/api/v1/people/$member/approve", "{}", { AUTH, 403, 200, 200, 403 } },
    { "POST", "/api/v1/people/:id/approve", "/api/v1/people/$outside/approve", "{}", { AUTH, 403, 403, 200, 403 } },

    /* 公式レベル: reopening and 社内認定 (HR); a certificate is seen by whoever may see its person. */
    { "POST", "/people/:id/reopen", "/people/$eng/reopen", "cycle=$cycle&reason=R", { AUTH, 403, 403, 303, 403 } },
    { "POST", "/people/:id/certificates", "/people/$eng/certificates", "cycle=$closed&spec=HW",
                                                                          { AUTH, 403, 403, 303, 403 } },
    { "GET", "/certificates", "/certificates", NULL,                      { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/certificates/:number", "/certificates/$cert", NULL,        { LOGIN, 403, 200, 200, 403 } },
    { "POST", "/certificates/:number/revoke", "/certificates/$cert/revoke", "reason=R",
                                                                          { AUTH, 403, 403, 303, 403 } },
    { "POST", "/api/v1/people/:id/reopen", "/api/v1/people/$eng/reopen", "{\"cycle\":$cycle,\"reason\":\"R\"}",
                                                                          { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/people/:id/certificates", "/api/v1/people/$mgr/certificates", NULL,
                                                                          { AUTH, 403, 200, 200, 403 } },
    { "POST", "/api/v1/people/:id/certificates", "/api/v1/people/$eng/certificates",
      "{\"cycle\":$closed,\"specialization\":\"HW\"}",                      { AUTH, 403, 403, 201, 403 } },
    { "GET", "/api/v1/certificates", "/api/v1/certificates", NULL,        { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/certificates/:number", "/api/v1/certificates/$cert", NULL,
                                                                          { AUTH, 403, 200, 200, 403 } },
    { "POST", "/api/v1/certificates/:number/revoke", "/api/v1/certificates/$cert/revoke", "{\"reason\":\"R\"}",
                                                                          { AUTH, 403, 403, 200, 403 } },

    /* 育成計画: the person and whoever reviews them change a plan; approval is the
     * reviewer's (review.h's rule); an item or action of another person's plan is
     * refused (404); qualifications as plans. */
    { "GET", "/plan", "/plan", NULL,                                      { LOGIN, 200, 200, 200, 403 } },
    { "GET", "/people/:id/plan", "/people/$eng/plan", NULL,               { LOGIN, 200, 200, 200, 403 } },
    { "GET", "/people/:id/plan", "/people/$outside/plan", NULL,           { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/people/:id/plan/target", "/people/$eng/plan/target", "specialization=HW&level=4&date=2099-12-31",
                                                                          { AUTH, 303, 303, 303, 403 } },
    { "POST", "/people/:id/plan/target", "/people/$outside/plan/target", "specialization=HW&level=4&date=2099-12-31",
                                                                          { AUTH, 403, 403, 303, 403 } },
    { "POST", "/people/:id/plan/target", "/people/$eng/plan/target", "specialization=HW&level=6&date=2099-12-31",
                                                                          { AUTH, 400, 400, 400, 403 } },
    { "POST", "/people/:id/plan/actions", "/people/$eng/plan/actions",
      "item=$item_eng&kind=course&course=MX-1&due=2099-12-31",            { AUTH, 303, 303, 303, 403 } },
    { "POST", "/people/:id/plan/actions", "/people/$eng/plan/actions",
      "item=$item_out&kind=self_study&title=T&due=2099-12-31",            { AUTH, 404, 404, 404, 403 } },
    { "POST", "/people/:id/plan/actions", "/people/$eng/plan/actions",
      "item=$item_eng&kind=course&course=NO-SUCH&due=2099-12-31",         { AUTH, 404, 404, 404, 403 } },
    { "POST", "/people/:id/plan/actions/:action", "/people/$eng/plan/actions/$action_eng", "status=done",
                                                                          { AUTH, 303, 303, 303, 403 } },
    { "POST", "/people/:id/plan/actions/:action", "/people/$eng/plan/actions/$action_out", "status=done",
                                                                          { AUTH, 404, 404, 404, 403 } },
    { "POST", "/people/:id/plan/comments", "/people/$eng/plan/comments", "comment=C",
                                                                          { AUTH, 303, 303, 303, 403 } },
    { "POST", "/people/:id/plan/approve", "/people/$eng/plan/approve", "comment=",
                                                                          { AUTH, 403, 303, 303, 403 } },
    { "POST", "/people/:id/plan/approve", "/people/$mgr/plan/approve", "comment=",
                                                                          { AUTH, 403, 403, 303, 403 } },
    { "POST", "/people/:id/qualifications", "/people/$eng/qualifications", "exam=FE&obtained_on=2020-04-01",
                                                                          { AUTH, 303, 303, 303, 403 } },
    { "POST", "/people/:id/qualifications", "/people/$eng/qualifications",
      "exam=FE&obtained_on=2020-04-01&expires_on=2019-01-01",             { AUTH, 400, 400, 400, 403 } },
    { "GET", "/hr/plans", "/hr/plans", NULL,                              { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/plans", "/hr/plans?org=$org", NULL,                     { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/training", "/hr/training", NULL,                        { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/training", "/hr/training", "dry_run=1",                { AUTH, 403, 403, 422, 403 } },
    { "GET", "/hr/training/courses.csv", "/hr/training/courses.csv", NULL, { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/api/v1/plans", "/api/v1/plans?org=EAST-HW1", NULL,         { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/training/courses", "/api/v1/training/courses", NULL, { AUTH, 200, 200, 200, 200 } },
    { "POST", "/api/v1/imports/courses", "/api/v1/imports/courses?dry_run=1", "", { AUTH, 403, 403, 400, 403 } },
    { "GET", "/api/v1/exports/courses", "/api/v1/exports/courses", NULL,  { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/me/plan", "/api/v1/me/plan", NULL,                  { AUTH, 200, 200, 404, 403 } },
    { "GET", "/api/v1/people/:id/plan", "/api/v1/people/$eng/plan", NULL, { AUTH, 200, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id/plan", "/api/v1/people/$outside/plan", NULL, { AUTH, 403, 403, 200, 403 } },
    { "PUT", "/api/v1/people/:id/plan/target", "/api/v1/people/$eng/plan/target",
      "{\"specialization\":\"HW\",\"level\":4,\"date\":\"2099-12-31\"}", { AUTH, 200, 200, 200, 403 } },
    { "PUT", "/api/v1/people/:id/plan/target", "/api/v1/people/$eng/plan/target",
      "{\"specialization\":\"HW\",\"level\":4,\"date\":\"2001-01-01\"}", { AUTH, 422, 422, 422, 403 } },
    { "POST", "/api/v1/people/:id/plan/actions", "/api/v1/people/$eng/plan/actions",
      "{\"item\":$item_eng,\"kind\":\"ojt\",\"title\":\"T\",\"due\":\"2099-12-31\"}", { AUTH, 201, 201, 201, 403 } },
    { "PATCH", "/api/v1/people/:id/plan/actions/:action", "/api/v1/people/$eng/plan/actions/$action_eng",
      "{\"status\":\"in_progress\"}",                                     { AUTH, 200, 200, 200, 403 } },
    { "POST", "/api/v1/people/:id/plan/comments", "/api/v1/people/$eng/plan/comments", "{\"comment\":\"C\"}",
                                                                          { AUTH, 201, 201, 201, 403 } },
    { "POST", "/api/v1/people/:id/plan/approve", "/api/v1/people/$eng/plan/approve", "{}",
                                                                          { AUTH, 403, 200, 200, 403 } },
    { "GET", "/api/v1/people/:id/qualifications", "/api/v1/people/$eng/qualifications", NULL,
                                                                          { AUTH, 200, 200, 200, 403 } },
    { "POST", "/api/v1/people/:id/qualifications", "/api/v1/people/$eng/qualifications",
      "{\"exam\":\"FE\",\"obtained_on\":\"2020-04-01\"}",               { AUTH, 201, 201, 201, 403 } },

    /* HR: cycles, org units, people, imports and exports. */
    { "GET", "/hr", "/hr", NULL,                                          { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/portfolio/people", "/hr/portfolio/people?cycle=$cycle&spec=HW&level=reached", NULL, { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/orgview", "/hr/orgview", NULL,                          { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/skillmap", "/hr/skillmap", NULL,                        { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/search", "/search?spec=HW&level=2", NULL,                  { LOGIN, 403, 200, 200, 403 } },
    { "POST", "/search/saved", "/search/saved", "name=S&query=spec%3DHW", { AUTH, 403, 303, 303, 403 } },
    { "POST", "/search/saved/:id/delete", "/search/saved/999/delete", "", { AUTH, 403, 404, 404, 403 } },
    { "GET", "/api/v1/search", "/api/v1/search?spec=HW&level=2", NULL,    { AUTH, 403, 200, 200, 403 } },
    { "GET", "/hr/trends", "/hr/trends", NULL,                            { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/targets", "/hr/targets", NULL,                          { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/targets", "/hr/targets?cycle=$cycle", "org_unit_code=EAST&specialization=HW&level=3&head_count=5", { AUTH, 403, 403, 303, 403 } },
    { "POST", "/hr/targets/import", "/hr/targets/import", "x=1",          { AUTH, 403, 403, 400, 403 } },
    { "GET", "/hr/cycles", "/hr/cycles", NULL,                            { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/cycles", "/hr/cycles", "name=2027&opens=2027-04-01&closes=2028-03-31", { AUTH, 403, 403, 303, 403 } },
    { "GET", "/hr/cycles/:id", "/hr/cycles/$cycle", NULL,                 { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/cycles/:id", "/hr/cycles/$closed", "name=2025&opens=2025-04-01&closes=2026-03-31",
                                                                          { AUTH, 403, 403, 303, 403 } },
    { "POST", "/hr/cycles/:id/open", "/hr/cycles/$closed/open", "closes=2027-03-31", { AUTH, 403, 403, 303, 403 } },
    { "POST", "/hr/cycles/:id/close", "/hr/cycles/$cycle/close", "",     { AUTH, 403, 403, 303, 403 } },
    { "GET", "/hr/org", "/hr/org", NULL,                                  { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/org", "/hr/org", "code=NEW&name=N&parent_id=$org",     { AUTH, 403, 403, 303, 403 } },
    { "GET", "/hr/org/:id", "/hr/org/$org", NULL,                         { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/org/:id", "/hr/org/$org", "code=EAST-HW1&name=N&parent_id=$org_parent", { AUTH, 403, 403, 303, 403 } },
    { "GET", "/hr/people", "/hr/people", NULL,                            { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/people/new", "/hr/people/new", NULL,                    { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/people/new", "/hr/people/new", "employee_number=E9999&name=N&org_unit_id=$org",
                                                                          { AUTH, 403, 403, 303, 403 } },
    { "GET", "/hr/people/:id/edit", "/hr/people/$member/edit", NULL,      { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/people/:id/edit", "/hr/people/$member/edit", "employee_number=E1041&name=N&org_unit_id=$org",
                                                                          { AUTH, 403, 403, 303, 403 } },
    { "GET", "/hr/import", "/hr/import", NULL,                            { LOGIN, 403, 403, 200, 403 } },
    { "POST", "/hr/import", "/hr/import", "kind=people",                  { AUTH, 403, 403, 422, 403 } },
    { "GET", "/hr/import/template/:file", "/hr/import/template/people.csv", NULL, { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/export", "/hr/export", NULL,                            { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/hr/export/:file", "/hr/export/people.csv", NULL,           { LOGIN, 403, 403, 200, 403 } },
    { "GET", "/api/v1/cycles", "/api/v1/cycles", NULL,                    { AUTH, 403, 403, 200, 403 } },
    { "POST", "/api/v1/cycles", "/api/v1/cycles",
      "{\"name\":\"2027\",\"opens\":\"2027-04-01\",\"closes\":\"2028-03-31\"}", { AUTH, 403, 403, 201, 403 } },
    { "GET", "/api/v1/cycles/:id", "/api/v1/cycles/$cycle", NULL,         { AUTH, 403, 403, 200, 403 } },
    { "PATCH", "/api/v1/cycles/:id", "/api/v1/cycles/$closed", "{\"name\":\"2025\"}", { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/org-units", "/api/v1/org-units", NULL,              { AUTH, 403, 403, 200, 403 } },
    { "POST", "/api/v1/org-units", "/api/v1/org-units", "{\"code\":\"NEW\",\"name\":\"N\",\"parent_id\":$org}",
                                                                          { AUTH, 403, 403, 201, 403 } },
    { "GET", "/api/v1/org-units/:id", "/api/v1/org-units/$org", NULL,     { AUTH, 403, 403, 200, 403 } },
    { "PATCH", "/api/v1/org-units/:id", "/api/v1/org-units/$org", "{\"name\":\"N\"}", { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/people", "/api/v1/people", NULL,                    { AUTH, 403, 403, 200, 403 } },
    { "POST", "/api/v1/people", "/api/v1/people", "{\"employee_number\":\"E9999\",\"name\":\"N\"}",
                                                                          { AUTH, 403, 403, 201, 403 } },
    { "PATCH", "/api/v1/people/:id", "/api/v1/people/$member", "{\"name\":\"N\"}", { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/portfolio", "/api/v1/portfolio?cycle=$cycle", NULL, { AUTH, 403, 403, 200, 403 } },
    { "POST", "/api/v1/imports/people", "/api/v1/imports/people?dry_run=1", "", { AUTH, 403, 403, 400, 403 } },
    { "POST", "/api/v1/imports/assessments", "/api/v1/imports/assessments?dry_run=1", "", { AUTH, 403, 403, 400, 403 } },
    { "GET", "/api/v1/exports/people", "/api/v1/exports/people", NULL,    { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/exports/assessments", "/api/v1/exports/assessments", NULL, { AUTH, 403, 403, 200, 403 } },
    { "GET", "/api/v1/exports/levels", "/api/v1/exports/levels", NULL,    { AUTH, 403, 403, 200, 403 } },
};

#define N_EXPECT (sizeof expectations / sizeof expectations[0])

/* ---- The fixture ------------------------------------------------------------------- */

static char dir[64];
static char base_path[128];    /* the demo, with a session per role; never served */
static char read_path[128];    /* a copy for the requests that only read */
static char work_path[128];    /* a fresh copy for each request that may write */
static char xss_path[128];     /* a copy with markup in every text field */
static catalog *cat;
static web_app *read_app;

static char session[N_WHO][128];   /* itss_session cookie values ("" for nobody) */
static char csrf[N_WHO][128];      /* each session's CSRF token; nobody's is the itss_csrf cookie's */

typedef struct placeholder {
    const char *name;
    char value[64];
} placeholder;

static placeholder places[] = {
    { "eng", "" }, { "member", "" }, { "draft", "" }, { "outside", "" }, { "mgr", "" },
    { "cycle", "" }, { "closed", "" }, { "org", "" }, { "org_out", "" },
    { "org_parent", "" }, { "exp", "" }, { "exp_out", "" }, { "user_eng", "" }, { "token_eng", "" },
    { "cert", "" }, { "item_eng", "" }, { "item_out", "" }, { "action_eng", "" }, { "action_out", "" },
};

#define N_PLACES (sizeof places / sizeof places[0])

static void set_place(const char *name, int64_t value)
{
    for (size_t i = 0; i < N_PLACES; i++)
        if (strcmp(places[i].name, name) == 0) {
            snprintf(places[i].value, sizeof places[i].value, "%lld", (long long)value);
            return;
        }
    fail_msg("no placeholder {%s}", name);
}

static void set_place_text(const char *name, const char *value)
{
    for (size_t i = 0; i < N_PLACES; i++)
        if (strcmp(places[i].name, name) == 0) {
            snprintf(places[i].value, sizeof places[i].value, "%s", value);
            return;
        }
    fail_msg("no placeholder {%s}", name);
}

/* text with every $name replaced by its fixture id, into b. */
static void expand(buf *b, const char *text)
{
    buf_reset(b);
    for (const char *p = text; *p;) {
        if (*p == '$') {
            size_t len = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
            size_t i;
            for (i = 0; i < N_PLACES; i++)
                if (strlen(places[i].name) == len && strncmp(places[i].name, p + 1, len) == 0)
                    break;
            if (i == N_PLACES)
                fail_msg("%s: unknown placeholder", text);
            if (!places[i].value[0])
                fail_msg("$%s has no value in the fixture", places[i].name);
            buf_puts(b, places[i].value);
            p += 1 + len;
            continue;
        }
        buf_putc(b, *p++);
    }
    if (!b->data)
        buf_puts(b, "");
}

static void copy_file(const char *from, const char *to)
{
    char buffer[1 << 16];
    int in = open(from, O_RDONLY);
    if (in < 0)
        return;                /* a -wal that is not there */
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(out >= 0);
    ssize_t n;
    while ((n = read(in, buffer, sizeof buffer)) > 0)
        assert_int_equal(write(out, buffer, (size_t)n), n);
    assert_int_equal(n, 0);
    close(in);
    close(out);
}

static void remove_db(const char *path)
{
    char p[192];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* Copies the base database (closed, so checkpointed) to path. */
static void copy_base(const char *path)
{
    char from[192], to[192];
    remove_db(path);
    copy_file(base_path, path);
    snprintf(from, sizeof from, "%s-wal", base_path);
    snprintf(to, sizeof to, "%s-wal", path);
    copy_file(from, to);
}

/* An app serving the database at path. Its config must outlive it: one per
 * path, kept here. Free with web_app_free. */
static web_app *open_app(const char *path)
{
    static web_config configs[4];
    static int n_configs;
    web_config *c = NULL;
    for (int i = 0; i < n_configs; i++)
        if (strcmp(configs[i].db_path, path) == 0)
            c = &configs[i];
    if (!c) {
        assert_true(n_configs < 4);
        c = &configs[n_configs++];
        *c = (web_config){ .db_path = path, .catalog = cat };
    }
    err e;
    memset(&e, 0, sizeof e);
    web_app *app = web_app_new(c, &e);
    if (!app)
        err_print(stderr, &e);
    assert_non_null(app);
    return app;
}

/* ---- Requests ---------------------------------------------------------------------- */

/* The value of cookie name that r sets, into out; 1 when set. */
static int set_cookie_value(const resp *r, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *p = r->raw.data; p && (p = strstr(p, "\r\nSet-Cookie: ")) != NULL && p < r->body;) {
        p += strlen("\r\nSet-Cookie: ");
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            snprintf(out, size, "%.*s", (int)strcspn(p + n + 1, ";\r"), p + n + 1);
            return 1;
        }
    }
    return 0;
}

/* How the token goes with a request. */
enum { TOKEN_RIGHT, TOKEN_NONE, TOKEN_WRONG };

/* Sends method target (body may be NULL) as who, with the CSRF token as given
 * (in the X-CSRF-Token header), to app. Returns the status; *out holds the
 * answer (free with resp_free). */
static int request(web_app *app, int who, const char *method, const char *target, const char *body, int token,
                   resp *out)
{
    buf headers;
    buf_init(&headers);
    if (who == NONE)
        buf_printf(&headers, "Cookie: " WEB_CSRF_COOKIE "=%s\r\n", csrf[NONE]);
    else
        buf_printf(&headers, "Cookie: " WEB_SESSION_COOKIE "=%s\r\n", session[who]);
    if (token == TOKEN_RIGHT)
        buf_printf(&headers, WEB_CSRF_HEADER ": %s\r\n", csrf[who]);
    else if (token == TOKEN_WRONG)
        buf_puts(&headers, WEB_CSRF_HEADER ": AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n");
    int status = web_client_request(app, method, target, "192.0.2.7", headers.data,
                                    body && body[0] == '{' ? "application/json" : NULL, body,
                                    body ? strlen(body) : 0, out);
    buf_free(&headers);
    return status;
}

static int is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* Sends row x as who (token as given) to the right database: the shared read
 * copy for GET, a fresh copy otherwise. */
static int send_row(const expect *x, int who, int token, resp *out)
{
    buf path, body;
    buf_init(&path);
    buf_init(&body);
    expand(&path, x->path);
    if (x->body)
        expand(&body, x->body);
    int status;
    if (is_unsafe(x->method)) {
        copy_base(work_path);
        web_app *app = open_app(work_path);
        status = request(app, who, x->method, path.data, x->body ? body.data : NULL, token, out);
        web_app_free(app);
    } else {
        status = request(read_app, who, x->method, path.data, NULL, token, out);
    }
    buf_free(&path);
    buf_free(&body);
    return status;
}

/* ---- Setting up -------------------------------------------------------------------- */

static int64_t person_id(store *db, const char *empno)
{
    store_person p;
    err e;
    memset(&e, 0, sizeof e);
    if (store_person_find(db, empno, &p, &e) != 1)
        fail_msg("the demo has no person %s", empno);
    int64_t id = p.id;
    store_person_clear(&p);
    return id;
}

static int64_t user_id(store *db, const char *login)
{
    store_user u;
    err e;
    memset(&e, 0, sizeof e);
    if (store_user_find(db, login, &u, &e) != 1)
        fail_msg("the demo has no user %s", login);
    int64_t id = u.id;
    store_user_clear(&u);
    return id;
}

static int64_t org_id(store *db, const char *code)
{
    store_org_unit u;
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_find(db, code, &u, &e) != 1)
        fail_msg("the demo has no org unit %s", code);
    int64_t id = u.id;
    store_org_unit_clear(&u);
    return id;
}

static int64_t cycle_id(store *db, const char *name)
{
    store_cycle c;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_find(db, name, &c, &e) != 1)
        fail_msg("the demo has no cycle %s", name);
    int64_t id = c.id;
    store_cycle_clear(&c);
    return id;
}

/* The first experience record of person, or 0. */
static int64_t experience_of(store *db, int64_t person)
{
    store_experience_list l;
    err e;
    memset(&e, 0, sizeof e);
    assert_int_equal(store_experience_list_person(db, person, &l, &e), 0);
    int64_t id = l.count ? l.items[0].id : 0;
    store_experience_list_free(&l);
    return id;
}

/* Fails unless empno's diagnosis of cycle is in status (-1: there is none):
 * the rows below rely on these states of the demo. */
static void expect_state(store *db, const char *empno, int64_t cycle, int status)
{
    store_assessment a;
    err e;
    memset(&e, 0, sizeof e);
    int found = store_assessment_find(db, person_id(db, empno), cycle, &a, &e);
    assert_true(found >= 0);
    int got = found ? (int)a.status : -1;
    if (found)
        store_assessment_clear(&a);
    if (got != status)
        fail_msg("the demo's %s: diagnosis %s, where the expectations assume %s", empno,
                 got < 0 ? "none" : assessment_status_name((assessment_status)got),
                 status < 0 ? "none" : assessment_status_name((assessment_status)status));
}

/* The reviewer (the demo's manager, E1011) agrees with every self-rating of
 * empno's diagnosis in cycle, so that approving it is refused by no missing
 * decision (test_web_results checks that refusal). */
static void agree_all(store *db, const char *empno, int64_t cycle)
{
    store_assessment a;
    err e;
    memset(&e, 0, sizeof e);
    assert_int_equal(store_assessment_find(db, person_id(db, empno), cycle, &a, &e), 1);
    assert_int_equal(review_agree_remaining(db, cat, a.id, NULL, 0, 0, "manager", NULL, &e), 0);
    store_assessment_clear(&a);
}

/* Runs `itss demo --db path` in this process, its summary sent to /dev/null. */
static int make_demo(const char *path)
{
    static const cli_command demo = { "demo", cli_demo_main, "", "" };
    char *argv[] = { "demo", "--db", (char *)path, NULL };
    fflush(stdout);
    int saved = dup(1);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    close(null);
    int rc = cli_demo_main(&demo, 3, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    return rc;
}

/* Logs who in through the login form on app; fills session[who] and csrf[who]. */
static void log_in(web_app *app, int who)
{
    resp page, r;
    char anon[128];
    /* The login form gives an anonymous CSRF token (cookie and field alike):
     * nobody's from now on. */
    csrf[NONE][0] = '\0';
    assert_int_equal(request(app, NONE, "GET", "/login", NULL, TOKEN_NONE, &page), 200);
    assert_true(set_cookie_value(&page, WEB_CSRF_COOKIE, anon, sizeof anon));
    resp_free(&page);
    snprintf(csrf[NONE], sizeof csrf[NONE], "%s", anon);
    if (who == NONE)
        return;
    buf body;
    buf_init(&body);
    buf_puts(&body, "login=");
    html_url_arg(&body, accounts[who].login);
    buf_puts(&body, "&password=");
    html_url_arg(&body, accounts[who].password);
    assert_int_equal(request(app, NONE, "POST", "/login", body.data, TOKEN_RIGHT, &r), 303);
    buf_free(&body);
    assert_true(set_cookie_value(&r, WEB_SESSION_COOKIE, session[who], sizeof session[who]));
    resp_free(&r);
    /* The session's CSRF token, from the logout form of a page. */
    assert_int_equal(request(app, who, "GET", "/home", NULL, TOKEN_NONE, &page), 200);
    const char *p = strstr(page.body, "name=\"csrf\" value=\"");
    assert_non_null(p);
    p += strlen("name=\"csrf\" value=\"");
    snprintf(csrf[who], sizeof csrf[who], "%.*s", (int)strcspn(p, "\""), p);
    resp_free(&page);
}

static int setup(void **state)
{
    (void)state;
    err_list errors;
    memset(&errors, 0, sizeof errors);
    cat = catalog_load_builtin(&errors);
    if (!cat)
        return -1;
    snprintf(dir, sizeof dir, "/tmp/itss-test-matrix-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(base_path, sizeof base_path, "%s/base.db", dir);
    snprintf(read_path, sizeof read_path, "%s/read.db", dir);
    snprintf(work_path, sizeof work_path, "%s/work.db", dir);
    snprintf(xss_path, sizeof xss_path, "%s/xss.db", dir);
    if (make_demo(base_path) != 0)
        return -1;

    err e;
    memset(&e, 0, sizeof e);
    store *db = store_open(base_path, 0, &e);
    if (!db) {
        err_print(stderr, &e);
        return -1;
    }
    int64_t eng = person_id(db, "E1019"), outside = person_id(db, "E1010");
    set_place("eng", eng);
    set_place("member", person_id(db, "E1041"));
    set_place("draft", person_id(db, "E1036"));
    set_place("outside", outside);
    set_place("mgr", person_id(db, "E1011"));
    set_place("cycle", cycle_id(db, "2026年度"));
    set_place("closed", cycle_id(db, "2025年度"));
    set_place("org", org_id(db, "EAST-HW1"));
    set_place("org_out", org_id(db, "WEST-HW1"));
    set_place("exp", experience_of(db, eng));
    set_place("exp_out", experience_of(db, outside));
    set_place("user_eng", user_id(db, "engineer"));
    set_place("org_parent", org_id(db, "EAST-HW"));
    int64_t open = cycle_id(db, "2026年度");
    expect_state(db, "E1019", open, ASSESSMENT_APPROVED);
    expect_state(db, "E1041", open, ASSESSMENT_SUBMITTED);
    expect_state(db, "E1010", open, ASSESSMENT_SUBMITTED);
    expect_state(db, "E1011", open, ASSESSMENT_DRAFT);
    expect_state(db, "E1021", open, -1);
    agree_all(db, "E1041", open);
    agree_all(db, "E1010", open);
    /* A certificate (社内認定) of the manager's approved 2025年度 HW level: $cert. */
    {
        err_list pe;
        memset(&pe, 0, sizeof pe);
        policy *pol = policy_load_builtin(&pe);
        store_assessment a;
        store_certificate c;
        char today[11];
        review_today(today);
        if (!pol || store_assessment_find(db, person_id(db, "E1011"), cycle_id(db, "2025年度"), &a, &e) != 1
            || review_certify(db, cat, pol, a.id, "HW", today, NULL, NULL, "hr", &c, &e) != 0) {
            err_print(stderr, &e);
            return -1;
        }
        set_place_text("cert", c.number);
        store_certificate_clear(&c);
        store_assessment_clear(&a);
        policy_free(pol);
    }
    /* Development plans (育成計画): $eng's, the manager's own and $outside's, each
     * with an action; $item_eng / $action_eng of $eng's plan, $item_out /
     * $action_out of $outside's; a course MX-1 of the training catalog. */
    {
        err_list pe;
        memset(&pe, 0, sizeof pe);
        policy *pol = policy_load_builtin(&pe);
        const catalog_spec *hw = catalog_spec_find(cat, "HW");
        store_course course = { .code = "MX-1", .title = "研修", .hours_tenths = 10 };
        if (!pol || store_course_put(db, &course, NULL, &e) < 0) {
            err_print(stderr, &e);
            return -1;
        }
        const char *who[3] = { "E1019", "E1011", "E1010" }, *item_place[3] = { "item_eng", NULL, "item_out" },
                   *action_place[3] = { "action_eng", NULL, "action_out" };
        for (int i = 0; i < 3; i++) {
            int64_t plan_id = 0, action = 0;
            store_plan pl;
            if (plans_set_target(db, cat, pol, person_id(db, who[i]), hw, 5, "2099-12-31", "2026-01-01", "matrix",
                                 &plan_id, &e) < 0 || store_plan_get(db, plan_id, &pl, &e) != 1) {
                err_print(stderr, &e);
                return -1;
            }
            if (store_plan_action_add(db, plan_id, pl.items[0].id, "self_study", 0, "T", "2099-12-31", "matrix",
                                      &action, &e) < 0) {
                err_print(stderr, &e);
                return -1;
            }
            if (item_place[i]) {
                set_place(item_place[i], pl.items[0].id);
                set_place(action_place[i], action);
            }
            store_plan_clear(&pl);
        }
        policy_free(pol);
    }
    /* The open cycle stays open whatever today is (the demo's closes 2027-03-31). */
    store_cycle c;
    if (store_cycle_get(db, open, &c, &e) != 1 || store_cycle_edit(db, open, c.name, c.opens, "2099-12-31", &e) < 0) {
        err_print(stderr, &e);
        return -1;
    }
    store_cycle_clear(&c);
    /* An API token of the engineer (its secret is never used here). */
    int64_t token = 0;
    if (store_api_token_add(db, user_id(db, "engineer"), "matrix", "matrix-token-hash", "2026-01-01T00:00:00Z", NULL,
                            &token, &e) < 0) {
        err_print(stderr, &e);
        return -1;
    }
    set_place("token_eng", token);
    store_close(db);

    /* One session per role, kept in the base database that every copy starts from. */
    web_app *app = open_app(base_path);
    for (int who = ENG; who < N_WHO; who++)
        log_in(app, who);
    log_in(app, NONE);
    web_app_free(app);

    copy_base(read_path);
    read_app = open_app(read_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    web_app_free(read_app);
    const char *paths[] = { base_path, read_path, work_path, xss_path };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        remove_db(paths[i]);
    rmdir(dir);
    catalog_free(cat);
    return 0;
}

/* ---- The matrix -------------------------------------------------------------------- */

/* The route a row is about, or NULL. */
static const web_route *route_of(const expect *x)
{
    size_t n;
    const web_route *routes = web_routes(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(routes[i].method, x->method) == 0 && strcmp(routes[i].pattern, x->pattern) == 0)
            return &routes[i];
    return NULL;
}

/* Every route has at least one row, and every row names a route of the table
 * and asks a path that this route answers. */
static void test_every_route_has_expectations(void **state)
{
    (void)state;
    size_t n;
    const web_route *routes = web_routes(&n);
    int missing = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j;
        for (j = 0; j < N_EXPECT; j++)
            if (strcmp(routes[i].method, expectations[j].method) == 0
                && strcmp(routes[i].pattern, expectations[j].pattern) == 0)
                break;
        if (j == N_EXPECT) {
            print_error("route %s %s (%s) has no row in expectations[] of tests/test_web_matrix.c: "
                        "write down who may use it\n", routes[i].method, routes[i].pattern, routes[i].summary);
            missing++;
        }
    }
    int stale = 0;
    buf path;
    buf_init(&path);
    for (size_t j = 0; j < N_EXPECT; j++) {
        const web_route *rt = route_of(&expectations[j]);
        if (!rt) {
            print_error("expectations[] lists %s %s, which the route table no longer has\n",
                        expectations[j].method, expectations[j].pattern);
            stale++;
            continue;
        }
        expand(&path, expectations[j].path);
        char *query = strchr(path.data, '?');
        if (query)
            *query = '\0';
        if (web_route_find(expectations[j].method, path.data, NULL) != rt) {
            print_error("expectations[]: %s %s is not answered by the route %s\n", expectations[j].method,
                        path.data, expectations[j].pattern);
            stale++;
        }
    }
    buf_free(&path);
    assert_int_equal(missing, 0);
    assert_int_equal(stale, 0);
}

/* Every row, every role: the status expected. All mismatches are reported
 * before the test fails. */
static void test_permission_matrix(void **state)
{
    (void)state;
    int wrong = 0, printing = getenv("ITSS_MATRIX_PRINT") != NULL;
    for (size_t j = 0; j < N_EXPECT; j++) {
        const expect *x = &expectations[j];
        if (!route_of(x))
            continue;          /* reported by test_every_route_has_expectations */
        int got[N_WHO];
        for (int who = 0; who < N_WHO; who++) {
            resp r;
            got[who] = send_row(x, who, TOKEN_RIGHT, &r);
            if (got[who] == 500)
                print_error("%s %s as %s: 500\n%s\n", x->method, x->path, who_name[who], r.body);
            /* Nobody without login is sent to the login form, coming back here. */
            if (got[who] == 303 && who == NONE && x->status[who] == LOGIN && route_of(x)->roles
                && !(route_of(x)->flags & WEB_PUBLIC)) {
                const char *location = header(&r, "Location");
                if (!location || strncmp(location, "/login?next=", 12) != 0) {
                    print_error("%s %s as nobody: 303 to %s, not to the login form\n", x->method, x->path,
                                location ? location : "(no Location)");
                    wrong++;
                }
            }
            resp_free(&r);
            if (got[who] != x->status[who]) {
                print_error("%s %s (route %s) as %s: %d, expected %d\n", x->method, x->path, x->pattern,
                            who_name[who], got[who], x->status[who]);
                wrong++;
            }
        }
        if (printing)
            printf("# %-6s %-34s %-36s { %d, %d, %d, %d, %d }\n", x->method, x->pattern, x->path, got[NONE],
                   got[ENG], got[MGR], got[HR], got[ADM]);
    }
    if (printing) {
        size_t n;
        const web_route *routes = web_routes(&n);
        for (size_t i = 0; i < n; i++) {
            size_t j;
            for (j = 0; j < N_EXPECT; j++)
                if (strcmp(routes[i].method, expectations[j].method) == 0
                    && strcmp(routes[i].pattern, expectations[j].pattern) == 0)
                    break;
            if (j == N_EXPECT)
                printf("# missing: { \"%s\", \"%s\", \"%s\", NULL, { } },  /* %s */\n", routes[i].method,
                       routes[i].pattern, routes[i].pattern, routes[i].summary);
        }
    }
    assert_int_equal(wrong, 0);
}

/* Every state-changing route is flagged WEB_CSRF, and refuses a logged-in user
 * who may use it with 403 when the token is missing or wrong; the login form
 * refuses nobody the same way. */
static void test_csrf_sweep(void **state)
{
    (void)state;
    size_t n;
    const web_route *routes = web_routes(&n);
    int wrong = 0, checked = 0;
    for (size_t i = 0; i < n; i++) {
        const web_route *rt = &routes[i];
        if (is_unsafe(rt->method) && !(rt->flags & WEB_CSRF)) {
            print_error("%s %s changes state but is not flagged WEB_CSRF\n", rt->method, rt->pattern);
            wrong++;
        }
        if (!(rt->flags & WEB_CSRF))
            continue;
        /* Its first row, asked by the first role whose expected answer is not
         * a refusal, so that a 403 can only be the token's. */
        const expect *x = NULL;
        int who = -1;
        for (size_t j = 0; j < N_EXPECT && who < 0; j++) {
            if (route_of(&expectations[j]) != rt)
                continue;
            for (int w = (rt->flags & WEB_PUBLIC) ? NONE : ENG; w < N_WHO && who < 0; w++)
                if (expectations[j].status[w] != 403 && expectations[j].status[w] != 401) {
                    x = &expectations[j];
                    who = w;
                }
        }
        if (!x)
            continue;          /* no row (reported elsewhere) or nobody may use it */
        for (int token = TOKEN_NONE; token <= TOKEN_WRONG; token++) {
            resp r;
            int status = send_row(x, who, token, &r);
            const char *code = strstr(r.body, "\"code\":\"csrf\"");
            int is_api = (rt->flags & WEB_API) != 0;
            if (status != 403 || (is_api && !code)) {
                print_error("%s %s as %s with %s token: %d, expected 403 (csrf)\n", x->method, x->path,
                            who_name[who], token == TOKEN_NONE ? "no" : "a wrong", status);
                wrong++;
            }
            resp_free(&r);
        }
        checked++;
    }
    assert_true(checked > 0);
    assert_int_equal(wrong, 0);
}

/* ---- XSS --------------------------------------------------------------------------- */

#define SCRIPT "<script>alert(1)</script>"
#define MARKUP "\"'><img src=x onerror=alert(1)>"

/* The texts kept in the fixture, each with a marker to find it by. */
static const char *const fields[] = {
    "XSSPERSONNAME", "XSSKANA", "XSSEMAIL", "XSSORGNAME", "XSSCYCLENAME", "XSSPROJECT", "XSSROLE",
    "XSSDESCRIPTION", "XSSCOMMENT", "XSSPLANCOMMENT", "XSSACTIONTITLE", "XSSCOURSE", "XSSQUALIFICATION",
};

#define N_FIELDS (sizeof fields / sizeof fields[0])

/* marker followed by both payloads, in a static buffer (one at a time). */
static const char *payload(const char *marker)
{
    static char text[256];
    snprintf(text, sizeof text, "%s " SCRIPT " " MARKUP, marker);
    return text;
}

/* A copy of the string (for the store's non-const members). */
static char *dup_payload(const char *marker)
{
    char *s = strdup(payload(marker));
    assert_non_null(s);
    return s;
}

/* Puts markup into every text field of rows the roles reach: the member's
 * person, the manager's org unit, the open cycle, the engineer's experience
 * and contribution, comments on the member's diagnosis. */
static void make_xss_database(void)
{
    copy_base(xss_path);
    err e;
    memset(&e, 0, sizeof e);
    store *db = store_open(xss_path, 0, &e);
    assert_non_null(db);

    /* People: the engineer's own person (seen by every role reaching them) and a
     * member of the manager's unit. */
    const char *people[] = { "E1019", "E1041" };
    for (size_t i = 0; i < 2; i++) {
        store_person p;
        assert_int_equal(store_person_find(db, people[i], &p, &e), 1);
        free(p.name);
        free(p.kana);
        free(p.email);
        p.name = dup_payload(fields[0]);
        p.kana = dup_payload(fields[1]);
        /* An address has an '@' and no space: the markup without spaces. */
        p.email = strdup("XSSEMAIL\"'><script>alert(1)</script>@example.jp");
        if (store_person_edit(db, &p, &e) < 0)
            fail_msg("store_person_edit: %s", e.message);
        store_person_clear(&p);
    }

    store_org_unit u;
    assert_int_equal(store_org_find(db, "EAST-HW1", &u, &e), 1);
    if (store_org_edit(db, u.id, u.code, payload(fields[3]), u.parent_id, &e) < 0)
        fail_msg("store_org_edit: %s", e.message);
    store_org_unit_clear(&u);

    store_cycle c;
    assert_int_equal(store_cycle_find(db, "2026年度", &c, &e), 1);
    if (store_cycle_edit(db, c.id, payload(fields[4]), c.opens, c.closes, &e) < 0)
        fail_msg("store_cycle_edit: %s", e.message);

    /* Every experience record of the engineer and of the member. */
    const int64_t owners[] = { person_id(db, "E1019"), person_id(db, "E1041") };
    for (size_t i = 0; i < 2; i++) {
        store_experience_list l;
        assert_int_equal(store_experience_list_person(db, owners[i], &l, &e), 0);
        assert_true(l.count > 0);
        for (size_t k = 0; k < l.count; k++) {
            assessment_experience x = l.items[k].x;
            x.project = dup_payload(fields[5]);
            x.role = dup_payload(fields[6]);
            x.description = dup_payload(fields[7]);
            if (store_experience_edit(db, l.items[k].id, &x, &e) < 0)
                fail_msg("store_experience_edit: %s", e.message);
            free(x.project);
            free(x.role);
            free(x.description);
        }
        store_experience_list_free(&l);

        /* No page shows contributions yet (the API's assessment does): kept
         * with markup all the same, so that a page that starts showing them
         * is swept, but not required to be seen. */
        assessment_contribution k = { 0 };
        k.kind = CONTRIBUTION_MENTORING;
        k.title = dup_payload("XSSCONTRIBUTION");
        k.date = "2026-05";
        if (store_contribution_add(db, owners[i], &k, NULL, &e) < 0)
            fail_msg("store_contribution_add: %s", e.message);
        free(k.title);

        store_assessment a;
        if (store_assessment_find(db, owners[i], c.id, &a, &e) == 1) {
            for (int kind = 0; kind < COMMENT_KIND_COUNT; kind++)
                if (store_comment_add(db, a.id, "manager", (store_comment_kind)kind, payload(fields[8]), NULL,
                                      &e) < 0)
                    fail_msg("store_comment_add: %s", e.message);
            store_assessment_clear(&a);
        }
    }
    store_cycle_clear(&c);

    /* The engineer's development plan: a comment, an action, a course of the
     * training catalog (its title and provider), a vendor qualification. */
    {
        store_plan pl;
        assert_int_equal(store_plan_get_person(db, person_id(db, "E1019"), &pl, &e), 1);
        if (store_plan_comment_add(db, pl.id, "manager", payload("XSSPLANCOMMENT"), &e) < 0
            || store_plan_action_add(db, pl.id, 0, "self_study", 0, payload("XSSACTIONTITLE"), "2099-12-31", "matrix",
                                     NULL, &e) < 0)
            fail_msg("plan: %s", e.message);
        store_plan_clear(&pl);
        char *title = dup_payload("XSSCOURSE");
        store_course course = { .code = "XSS-1", .title = title, .provider = title, .hours_tenths = 10 };
        if (store_course_put(db, &course, NULL, &e) < 0)
            fail_msg("store_course_put: %s", e.message);
        free(title);
        char *name = dup_payload("XSSQUALIFICATION");
        store_qualification q = { .person_id = person_id(db, "E1019"), .kind = "vendor", .code = "XSS",
                                  .name = name, .obtained_on = "2020-01-01" };
        if (store_qualification_add(db, &q, NULL, &e) < 0)
            fail_msg("store_qualification_add: %s", e.message);
        free(name);
    }

    /* A login is ASCII letters, digits and . _ - @: markup is refused. */
    store_user bad = { 0 };
    bad.login = (char *)SCRIPT;
    bad.role = "engineer";
    bad.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_int_equal(store_user_add(db, &bad, NULL, &e), -1);
    store_close(db);
}

/* 1 when body holds a payload unescaped. */
static int unescaped(const char *body)
{
    return strstr(body, "<script>alert(1)") != NULL || strstr(body, "<img src=x onerror") != NULL
        || strstr(body, "\"'><") != NULL;
}

static int is_html(const resp *r)
{
    const char *type = header(r, "Content-Type");
    return type && strncmp(type, "text/html", 9) == 0;
}

/* Every GET row, as every role, on the database with markup; and the same
 * pages with markup in the query. No HTML answer holds a payload unescaped; API
 * answers are JSON (never sniffed as HTML); every field is shown somewhere, so
 * the sweep is known to have looked at it. */
static void test_xss_sweep_pages(void **state)
{
    (void)state;
    make_xss_database();
    web_app *app = open_app(xss_path);
    int seen[N_FIELDS] = { 0 };
    int wrong = 0, pages = 0;
    buf path, target;
    buf_init(&path);
    buf_init(&target);
    for (size_t j = 0; j < N_EXPECT; j++) {
        const expect *x = &expectations[j];
        if (is_unsafe(x->method) || !route_of(x))
            continue;
        expand(&path, x->path);
        for (int variant = 0; variant < 2; variant++) {
            buf_reset(&target);
            buf_puts(&target, path.data);
            if (variant == 1) {
                /* The same page with markup in the parameters pages read. */
                static const char *const names[] = { "q", "cycle", "spec", "target", "org", "page", "next",
                                                     "rater", "lang", "saved", "done", "back", "level" };
                for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
                    buf_putc(&target, k ? '&' : '?');
                    buf_puts(&target, names[k]);
                    buf_putc(&target, '=');
                    html_url_arg(&target, payload("XSSQUERY"));
                }
            }
            for (int who = 0; who < N_WHO; who++) {
                resp r;
                request(app, who, "GET", target.data, NULL, TOKEN_NONE, &r);
                const char *type = header(&r, "Content-Type");
                if (is_html(&r)) {
                    pages++;
                    if (unescaped(r.body)) {
                        print_error("GET %s as %s: a payload comes back unescaped\n", target.data, who_name[who]);
                        wrong++;
                    }
                    for (size_t f = 0; f < N_FIELDS; f++)
                        if (strstr(r.body, fields[f]))
                            seen[f] = 1;
                } else if ((route_of(x)->flags & WEB_API) && !(type && (strncmp(type, "application/json", 16) == 0
                                                                        || strncmp(type, "text/csv", 8) == 0))) {
                    print_error("GET %s as %s: an API answer of type %s\n", target.data, who_name[who],
                                type ? type : "(none)");
                    wrong++;
                }
                if (!header(&r, "X-Content-Type-Options")) {
                    print_error("GET %s as %s: no X-Content-Type-Options\n", target.data, who_name[who]);
                    wrong++;
                }
                resp_free(&r);
            }
        }
    }
    for (size_t f = 0; f < N_FIELDS; f++)
        if (!seen[f]) {
            print_error("%s: no page showed this field, so the sweep did not check its escaping\n", fields[f]);
            wrong++;
        }
    buf_free(&path);
    buf_free(&target);
    web_app_free(app);
    assert_true(pages > 0);
    assert_int_equal(wrong, 0);
}

/* Fields that keep their value in the second pass of the form sweep (ids,
 * dates, choices), so that the form goes through and what was stored is shown. */
static int kept_field(const char *name, size_t len)
{
    static const char *const kept[] = { "cycle", "parent_id", "org_unit_id", "action", "from", "to", "opens",
                                        "closes", "level", "specialization", "succeeded", "password", "role",
                                        "expires_days", "kind", "employee_number", "code", NULL };
    for (size_t i = 0; kept[i]; i++)
        if (strlen(kept[i]) == len && strncmp(kept[i], name, len) == 0)
            return 1;
    return 0;
}

/* The row's form body with values replaced by markup: every value (all = 1),
 * or those of text fields only; the text fields every page form may have are
 * added. */
static void marked_body(buf *out, const char *body, int all)
{
    buf_reset(out);
    for (const char *p = body; *p;) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        size_t name_len = eq ? (size_t)(eq - p) : len;
        if (out->len)
            buf_putc(out, '&');
        buf_append(out, p, name_len);
        buf_putc(out, '=');
        if (all || !kept_field(p, name_len))
            html_url_arg(out, payload("XSSFORM"));
        else if (eq)
            buf_append(out, eq + 1, len - name_len - 1);
        p += len;
        if (*p == '&')
            p++;
    }
    static const char *const text_fields[] = { "name", "kana", "email", "project", "description", "body",
                                               "comment", "q", "next", "back", "title", NULL };
    for (size_t i = 0; text_fields[i]; i++) {
        if (out->len)
            buf_putc(out, '&');
        buf_puts(out, text_fields[i]);
        buf_putc(out, '=');
        html_url_arg(out, payload("XSSFORM"));
    }
}

/* Every form a role may post, posted with markup in its fields (all of them,
 * then only the text fields): the answer never holds the markup unescaped
 * (a form shown again with what was typed), nor does the page a redirect
 * leads to (what was stored, shown). */
static void test_xss_sweep_forms(void **state)
{
    (void)state;
    int wrong = 0, posted = 0, followed = 0;
    buf path, body, location;
    buf_init(&path);
    buf_init(&body);
    buf_init(&location);
    for (size_t j = 0; j < N_EXPECT; j++) {
        const expect *x = &expectations[j];
        const web_route *rt = route_of(x);
        if (!rt || !is_unsafe(x->method) || (rt->flags & WEB_API) || !x->body || x->body[0] == '{')
            continue;
        expand(&path, x->path);
        for (int who = 0; who < N_WHO; who++) {
            if (x->status[who] == 401 || x->status[who] == 403)
                continue;
            for (int all = 1; all >= 0; all--) {
                buf expanded;
                buf_init(&expanded);
                expand(&expanded, x->body);
                marked_body(&body, expanded.data, all);
                buf_free(&expanded);
                copy_base(work_path);
                web_app *app = open_app(work_path);
                resp r;
                request(app, who, x->method, path.data, body.data, TOKEN_RIGHT, &r);
                posted++;
                if (unescaped(r.body)) {
                    print_error("%s %s as %s with markup: the answer holds it unescaped\n", x->method, path.data,
                                who_name[who]);
                    wrong++;
                }
                const char *to = r.status == 303 ? header(&r, "Location") : NULL;
                if (to && to[0] == '/') {
                    buf_reset(&location);
                    buf_puts(&location, to);
                    resp page;
                    request(app, who, "GET", location.data, NULL, TOKEN_NONE, &page);
                    followed++;
                    if (unescaped(page.body)) {
                        print_error("%s %s as %s with markup, then GET %s: unescaped\n", x->method, path.data,
                                    who_name[who], location.data);
                        wrong++;
                    }
                    resp_free(&page);
                }
                resp_free(&r);
                web_app_free(app);
            }
        }
    }
    buf_free(&path);
    buf_free(&body);
    buf_free(&location);
    assert_true(posted > 0);
    assert_true(followed > 0);
    assert_int_equal(wrong, 0);
}

/* A login is ASCII letters, digits and . _ - @: markup typed as a login is
 * refused by the administrator's form and the API, and shown escaped. */
static void test_xss_login_refused(void **state)
{
    (void)state;
    buf body;
    buf_init(&body);
    buf_puts(&body, "role=engineer&password=new-password-1&login=");
    html_url_arg(&body, SCRIPT MARKUP);
    const expect form = { "POST", "/admin/users", "/admin/users", body.data, { 0 } };
    resp r;
    int status = send_row(&form, ADM, TOKEN_RIGHT, &r);
    assert_true(status == 400 || status == 422);
    assert_false(unescaped(r.body));
    resp_free(&r);
    const expect api = { "POST", "/api/v1/users", "/api/v1/users",
                         "{\"login\":\"<script>alert(1)</script>\",\"role\":\"engineer\","
                         "\"password\":\"new-password-1\"}", { 0 } };
    status = send_row(&api, ADM, TOKEN_RIGHT, &r);
    assert_true(status == 400 || status == 422);
    assert_non_null(strstr(r.body, "\"field\":\"login\""));
    resp_free(&r);
    buf_free(&body);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);   /* the cycles named here are dated for this day */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_expectations),
        cmocka_unit_test(test_permission_matrix),
        cmocka_unit_test(test_csrf_sweep),
        cmocka_unit_test(test_xss_sweep_pages),
        cmocka_unit_test(test_xss_sweep_forms),
        cmocka_unit_test(test_xss_login_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
