/* web_kit.h - what the pages share, below every page (cgit's ui-shared.c;
 * implemented in web_kit.c): the standard and the policy a request evaluates
 * with, the "log it and answer 503" reply, the assessment a page is about, the
 * person of the logged-in user, the level per specialization of an assessment
 * as the results cache keeps it, and the words several pages write (levels,
 * statuses, ratings, criteria).
 *
 * Pages include web.h, this header, html.h and the domain and report modules,
 * never another page's header.
 *
 * Every function here that takes a request and fails has answered it (an
 * error page, or a JSON error on API routes), so handlers just return. As in
 * every web header, that is signalled one way: a negative int (-1) or a NULL
 * pointer means "answered"; 0 and 1 are answers (0 done or no, 1 yes). */
#ifndef ITSS_WEB_KIT_H
#define ITSS_WEB_KIT_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "catalog.h"
#include "engine.h"
#include "policy.h"
#include "store.h"
#include "orgcols.h"
#include "results.h"
#include "web.h"

/* What a request evaluates with (results.h): the app's catalog (the built-in
 * one when the server was started without one), the built-in policy, and an
 * engine over both. */
typedef results_eval web_eval;

/* The evaluation context of r's app, made on first use and kept (read-only,
 * shared by all threads) until the app is freed. NULL after answering 503 when
 * the catalog or the policy cannot be used. */
const web_eval *web_evaluator(web_request *r);

/* The same for an app, outside any request (at start): NULL, logged, when the
 * catalog or the policy cannot be used. */
const web_eval *web_app_evaluator(web_app *app);

/* ---- The organization's columns (orgcols.h; web_orgcols.c) ---- */

/* (web_orgcols_start, in web.h, reads them at start.) */
/* The app's columns, brought up to date and locked for r: NULL after answering
 * 503. Call web_orgcols_release(r) as soon as the counting is done (the views
 * copy what they return); the end of the request releases them otherwise. */
const orgcols *web_orgcols_acquire(web_request *r);
void web_orgcols_release(web_request *r);

/* The assessment of person_id in the cycle that `cycle` names (a cycle id in
 * decimal, or its name), or with cycle NULL or "" in the latest cycle the person
 * has an assessment in. Returns 1 with *out filled (the caller clears it with
 * store_assessment_clear), 0 when cycle is not given and the person has no
 * assessment at all (nothing answered), -1 after answering: 404 naming the
 * field "cycle" when there is no such cycle or no assessment of the person in
 * it, 503 when the database fails. */
int web_find_assessment(web_request *r, int64_t person_id, const char *cycle, store_assessment *out);

/* The level reached in each specialization by the self rating of assessment a:
 * levels gets catalog_spec_count() entries in catalog order, 0 for 未到達, -1
 * for a specialization the person is not diagnosed in (store_diagnosed_specs).
 * Read from the results cache under ev's policy, or evaluated and then kept there.
 * Returns 1, or 0 when the assessment is for another catalog version (levels
 * all -1; nothing answered), or -1 after answering 503. */
int web_assessment_levels(web_request *r, const web_eval *ev, const store_assessment *a, int *levels);
/* The same for every specialization, diagnosed in or not (a qualification may
 * stand in for any: web_qualification.c). */
int web_assessment_levels_all(web_request *r, const web_eval *ev, const store_assessment *a, int *levels);

/* The official level of each specialization of assessment a (a certificate
 * valid today, else the level frozen by its approval in force), as
 * web_assessment_levels lays them out, -1 where it has none (web_hr_data.c).
 * Returns 1, 0 when it has no official level at all, -1 after answering 503. */
int web_official_levels(web_request *r, const web_eval *ev, const store_assessment *a, int *levels);

/* A stored moment (UTC, "2026-12-06T16:58:02Z") as people in Japan read it:
 * "2026-12-07 01:58 JST" (Japan has one time zone and no summer time). NULL
 * gives NULL; text that is not such a moment is returned as it is. Request
 * memory. */
const char *web_moment(web_request *r, const char *utc);

/* "レベル3" / "Level 3", or "未到達" / "Not reached" for 0, written into out
 * (size bytes), which is returned. */
const char *web_reached_label(const web_request *r, int level, char *out, size_t size);

/* The message key of an assessment status ("results.status.submitted"). Static. */
const char *web_status_key(assessment_status s);
/* The message key of a knowledge rating 0..4 ("results.rating.2"), or of 未回答 for
 * any other value. Static. */
const char *web_rating_key(int rating);

/* Appends the message template tpl with {1}, {2}... replaced by the string
 * arguments that follow (a NULL ends them), all of it HTML-escaped. Messages
 * put numbers and names where their language wants them this way. */
void web_html_tpl(buf *b, const char *tpl, ...) __attribute__((sentinel));
/* The same without escaping, into a string of request memory (for JSON). */
const char *web_text_tpl(web_request *r, const char *tpl, ...) __attribute__((sentinel));

/* The application's catalog (read-only, the application's): the one the app
 * was configured with, else the built-in one, exactly as web_evaluator; NULL
 * after logging and answering 503 when neither is there. So /standard and
 * /results behave the same for an app made without a catalog. */
const catalog *web_catalog(web_request *r);
/* "レベル4" / "Level 4" into out. */
void web_level_label(const web_request *r, int level, char *out, size_t size);
/* 複雑性, サイズ, タスク特性 in the request's language. Static. */
const char *web_criterion_label(const web_request *r, catalog_criterion_kind k);

/* The person the logged-in user is, once web_may_see_person agrees: 0 with
 * *id, or -1 after answering (403 for an account linked to no person). */
int web_own_person(web_request *r, int64_t *id);
/* 1 when person_id's diagnosis in the cycle in force is handed in (submitted or
 * approved) and so, with their experience records, read-only; 0 when not; -1
 * after answering 503. */
int web_diagnosis_locked(web_request *r, int64_t person_id);

/* Where a new comment of a thread is posted. */
typedef struct web_comment_form {
    const char *action;           /* "/people/12/comments" */
    const char *cycle;            /* the cycle id, sent back as the hidden field "cycle" */
    const char *next;             /* where to go afterwards (hidden field "next"), or NULL */
    int secondary;                /* the button is a secondary one (other actions on the page) */
} web_comment_form;

/* Writes the comment thread of an assessment as the card #comments (the
 * results page and the manager's review show the same thread): each comment
 * with its author, time and kind, in order, then, when form is not NULL, the
 * form adding one. */
void web_comment_thread(web_request *r, const store_comment_list *comments, const web_comment_form *form);

/* ---- 資格 (web_qualification.c) ---- */

/* Appends the card of person_id's qualifications (supporting evidence beside
 * the levels, the ITSS level of each IPA examination, what the policy says of
 * them: where it lets a qualification stand in, the levels of assessment a
 * (may be NULL) it raises, marked as such) and, when with_form, the form
 * recording one. On a failure it has answered 503. */
void web_qualifications_html(web_request *r, int64_t person_id, const store_assessment *a, int with_form);
/* The highest ITSS level among person_id's IPA examinations valid on today
 * (0: none), or -1 after answering 503. */
int web_qualification_level(web_request *r, int64_t person_id, const char *today);

/* ---- 公式レベル and 社内認定 (web_official.c, web_official_api.c) ---- */

struct json_t;

/* Appends to r->out the results page's section of person_id's assessment a
 * (NULL: none): the approval in force and its frozen levels, the levels of the
 * self and the reviewed ratings, the reviewer's own ratings beside the
 * self-rating, reopenings, the person's certificates, and HR's forms (certify,
 * reopen). On a database failure it has answered 503. */
void web_official_html(web_request *r, int64_t person_id, const store_assessment *a);

/* The same as a JSON object (a new reference), or NULL after answering 503. */
struct json_t *web_official_json(web_request *r, int64_t person_id, const store_assessment *a);

/* Appends a notice with the reason of the latest return of assessment_id
 * (0: person_id's latest assessment, when it is returned); nothing otherwise. */
void web_official_return_reason(web_request *r, int64_t person_id, int64_t assessment_id);

/* Shared by web_official.c and web_official_api.c. */
/* The :id of an HR action (review.h's rule: never their own, nor of someone who
 * manages them) and the assessment `cycle` names (NULL: the latest), in request
 * memory; NULL after answering. */
store_assessment *web_official_hr_target(web_request *r, const char *cycle, int64_t *id);
/* Certifies spec of a (from, until: NULL or "" for the defaults) by r's user;
 * 0 with *out (request memory), or -1 after answering. */
int web_official_certify(web_request *r, const store_assessment *a, const char *spec, const char *from,
                         const char *until, store_certificate **out);
/* The certificate :number when r's user may see it; request memory, NULL after answering. */
store_certificate *web_official_certificate_param(web_request *r);
/* Answers a refusal of review.h (rc > 0: 400, 404, 409) or a store failure (503). */
void web_official_refusal(web_request *r, int rc, const err *e, const char *what);
/* Answers {"certificate": ...} with status. */
void web_official_reply_certificate(web_request *r, int status, const store_certificate *c);

/* The cycle an API body names in its member "cycle" (a name, or an id as a
 * number or text) into *cycle, left as it is when absent: 0, or -1 after
 * answering 422. */
typedef struct json_value json_value;
int web_body_cycle(web_request *r, const json_value *body, const char **cycle);

/* The errors of a refused CSV file (name) as a table in the request's
 * language, in the order of errors (sorted by line): line, column, the column
 * (message "import.col.PATH"), what is wrong ("import.err.KEY" with the
 * error's detail as {1}; else the error's English message, marked so), and
 * how many more there were. */
void web_csv_errors(web_request *r, const char *name, const err_list *errors);

/* The file name of an upload without its folders (browsers of some systems
 * send them); "upload.csv" when none, too long or holding control
 * characters. Request memory. */
const char *web_upload_name(web_request *r, const web_upload *u);

/* data[0..len) in base64 (RFC 4648, padded), in request memory: a file carried
 * from a preview to its confirmation in a hidden form field. */
const char *web_base64(web_request *r, const char *data, size_t len);
/* The bytes text (base64, line breaks ignored) holds into *data (request
 * memory, NUL-terminated) and *len: 1, or 0 when text is not base64. */
int web_unbase64(web_request *r, const char *text, const char **data, size_t *len);

#endif
