/* web_official.h - 公式レベル on the results page, the return reason where the
 * engineer works, and the certificate pages (web_official.c). */
#ifndef ITSS_WEB_OFFICIAL_H
#define ITSS_WEB_OFFICIAL_H

#include <stdint.h>
#include "store.h"
#include "web.h"

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

#endif
