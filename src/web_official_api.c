/* web_official_api.c - the API calls of 社内認定 and reopening that read a JSON
 * body (web_official.c has the rest; the project's JSON reader and jansson do
 * not share a file). */
#include "json.h"
#include "web_json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "review.h"

#include <stdio.h>
#include <string.h>

/* POST /api/v1/people/:id/certificates  {"specialization", "cycle"?, "valid_from"?, "valid_until"?}:
 * HR certifies an approved level; 201 with the certificate. */
void web_api_certify(web_request *r)
{
    static const char *const known[] = { "specialization", "cycle", "valid_from", "valid_until", NULL };
    const json_value *body = web_json_body(r, known);
    const char *cycle = NULL, *spec = NULL, *from = NULL, *until = NULL;
    if (!body || web_body_cycle(r, body, &cycle) < 0 || web_json_string(r, body, "specialization", &spec) < 0
        || web_json_string(r, body, "valid_from", &from) < 0 || web_json_string(r, body, "valid_until", &until) < 0)
        return;
    if (!spec) {
        web_json_invalid(r, "specialization", web_t(r, "official.spec_missing"));
        return;
    }
    int64_t id;
    store_assessment *a = web_official_hr_target(r, cycle, &id);
    store_certificate *c;
    if (!a || web_official_certify(r, a, spec, from, until, &c) < 0)
        return;
    web_official_reply_certificate(r, 201, c);
}

/* POST /api/v1/people/:id/reopen  {"reason", "cycle"?}: HR reopens an approved diagnosis. */
void web_api_reopen(web_request *r)
{
    static const char *const known[] = { "cycle", "reason", NULL };
    const json_value *body = web_json_body(r, known);
    const char *cycle = NULL, *reason = NULL;
    if (!body || web_body_cycle(r, body, &cycle) < 0 || web_json_string(r, body, "reason", &reason) < 0)
        return;
    int64_t id;
    store_assessment *a = web_official_hr_target(r, cycle, &id);
    store *db = a ? web_store(r) : NULL;
    if (!db)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc = review_reopen(db, a->id, r->user->login, reason, &e);
    if (rc != 0) {
        web_official_refusal(r, rc, &e, "reopening");
        return;
    }
    web_json_reply(r, 200, json_pack("{s:s,s:o}", "status", "returned", "cycle", web_json_text(a->cycle)));
}

/* POST /api/v1/certificates/:number/revoke  {"reason"}: HR revokes a certificate. */
void web_api_certificate_revoke(web_request *r)
{
    static const char *const known[] = { "reason", NULL };
    const json_value *body = web_json_body(r, known);
    const char *reason = NULL;
    if (!body || web_json_string(r, body, "reason", &reason) < 0)
        return;
    store_certificate *c = web_official_certificate_param(r);
    store *db = c ? web_store(r) : NULL;
    if (!db)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc = review_revoke(db, c->number, r->user->login, reason, &e);
    if (rc != 0) {
        web_official_refusal(r, rc, &e, "revoking");
        return;
    }
    store_certificate now;
    if (store_certificate_find(db, c->number, &now, &e) != 1) {
        web_store_failed(r, "a certificate", &e);
        return;
    }
    web_official_reply_certificate(r, 200, &now);
    store_certificate_clear(&now);
}

