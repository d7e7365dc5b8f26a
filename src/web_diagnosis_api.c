/* web_diagnosis_api.c - "My diagnosis" in the API: the user's own assessment
 * in the cycle in force as docs/assessment-format.md writes it.
 *
 *   GET  /api/v1/me/assessment          the assessment
 *   PUT  /api/v1/me/assessment          the self answers, replaced by those given
 *   POST /api/v1/me/assessment/submit   draft or returned -> submitted
 *
 * The data work is the pages' (web_diagnosis_int.h): diagnosis_begin,
 * diagnosis_apply and diagnosis_commit, so both faces check and save alike. */
#include "review.h"
#include "web.h"
#include "web_pages.h"
#include "web_kit.h"
#include "web_diagnosis_int.h"
#include "web_json.h"
#include "assessment.h"
#include "assessment_json.h"
#include "catalog.h"
#include "json.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The API ---------------------------------------------------------------------------- */

/* Answers 400 with the first error of errs. */
static void reply_field_errors(web_request *r, const field_errors *errs)
{
    const char *field = errs->items[0].field;
    web_reply_error(r, 400, "invalid", errs->items[0].message, *field ? field : NULL);
}

/* Sends d's assessment in the file format (docs/assessment-format.md). */
static void send_assessment(web_request *r, const diagnosis *d)
{
    web_json_begin(r, 200);
    assessment_json_write(r->out, d->a, d->cat);
}

/* GET /api/v1/me/assessment  The user's assessment in the cycle in force, as
 * `itss assess --to` writes it (an empty draft before the first answer); 409
 * when no cycle is open. */
void web_api_me_assessment(web_request *r)
{
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_READ) < 0)
        return;
    if (!d.cycle_id) {
        web_reply_error(r, 409, "no_cycle", web_t(r, "diag.no_cycle"), NULL);
        return;
    }
    send_assessment(r, &d);
}

/* "answers[3].rating" into request memory. */
static const char *path_of(web_request *r, size_t i, const char *key)
{
    char p[64];
    if (key)
        snprintf(p, sizeof p, "answers[%zu].%s", i, key);
    else
        snprintf(p, sizeof p, "answers[%zu]", i);
    return web_strdup(r, p);
}

/* Do two answers say the same (value and evidence)? */
static int same_answer(const assessment_answer *x, int value, const char **evidence, size_t n)
{
    if (!x || x->value != value || x->n_evidence != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_evidence(x, evidence[i]))
            return 0;
    return 1;
}

/* Checks the members of a PUT body besides "answers": no unknown key, and the
 * format, catalog, person, cycle and status (when given) those of d. */
static void check_envelope(web_request *r, const diagnosis *d, const json_value *root, field_errors *errs)
{
    static const char *const known[] = { "format", "format_version", "catalog", "person", "cycle", "status",
                                         "experience", "contributions", "answers" };
    for (size_t i = 0; i < root->n_members; i++) {
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= strcmp(root->members[i].key, known[k]) == 0;
        if (!ok)
            add_error_detail(r, errs, root->members[i].key, "diag.api.unknown_key", root->members[i].key);
    }
    const json_member *m;
    if ((m = json_member_get(root, "format")) && (m->value->type != JV_STRING
                                                  || strcmp(m->value->string, ASSESSMENT_FORMAT_NAME) != 0))
        add_error_detail(r, errs, "format", "diag.api.format", ASSESSMENT_FORMAT_NAME);
    if ((m = json_member_get(root, "format_version"))
        && (m->value->type != JV_NUMBER || m->value->number != ASSESSMENT_FORMAT_VERSION))
        add_error_detail(r, errs, "format_version", "diag.api.format_version", "1");
    if ((m = json_member_get(root, "catalog"))) {
        const json_member *id = m->value->type == JV_OBJECT ? json_member_get(m->value, "id") : NULL;
        const json_member *ver = m->value->type == JV_OBJECT ? json_member_get(m->value, "version") : NULL;
        if (!id || !ver || id->value->type != JV_STRING || ver->value->type != JV_STRING
            || strcmp(id->value->string, catalog_id(d->cat)) != 0
            || strcmp(ver->value->string, catalog_version(d->cat)) != 0)
            add_error_detail(r, errs, "catalog", "diag.api.catalog", catalog_version(d->cat));
    }
    if ((m = json_member_get(root, "person"))) {
        const json_member *no = m->value->type == JV_OBJECT ? json_member_get(m->value, "employee_number") : NULL;
        if (!no || no->value->type != JV_STRING || strcmp(no->value->string, d->employee_number) != 0)
            add_error_detail(r, errs, "person.employee_number", "diag.api.person", d->employee_number);
    }
    if ((m = json_member_get(root, "cycle")) && m->value->type != JV_NULL
        && (m->value->type != JV_STRING || strcmp(m->value->string, d->cycle_name) != 0))
        add_error_detail(r, errs, "cycle", "diag.api.cycle", d->cycle_name);
    if ((m = json_member_get(root, "status"))
        && (m->value->type != JV_STRING || strcmp(m->value->string, assessment_status_name(d->status)) != 0))
        add_error_detail(r, errs, "status", "diag.api.status", assessment_status_name(d->status));
}

/* Adds to in[0..count) the removal of every self answer of d not in it; returns
 * the new count (in has room: see api_inputs). */
static size_t remove_not_given(web_request *r, const diagnosis *d, answer_input *in, size_t count)
{
    for (size_t i = 0; i < d->a->n_answers; i++) {
        const assessment_answer *x = &d->a->answers[i];
        int given = 0;
        if (x->rater != RATER_SELF)
            continue;
        for (size_t j = 0; j < count && !given; j++)
            given = strcmp(in[j].element_id, x->element_id) == 0;
        if (!given)
            in[count++] = (answer_input){ .element_id = web_strdup(r, x->element_id), .field = "answers",
                                          .value = -1 };
    }
    return count;
}

/* Reads the answers of a PUT body into inputs, checking the shape of each (keys,
 * types) and that the other keys the file format has agree with the assessment.
 * Manager answers are accepted only unchanged (they round-trip from GET). Every
 * self answer not given is removed. Returns the inputs (request memory). */
static answer_input *api_inputs(web_request *r, diagnosis *d, const json_value *root, size_t *n, field_errors *errs)
{
    *n = 0;
    if (root->type != JV_OBJECT) {
        add_error(r, errs, "", web_t(r, "diag.api.object"));
        return NULL;
    }
    check_envelope(r, d, root, errs);
    const json_member *m = json_member_get(root, "answers");
    if (!m || m->value->type != JV_ARRAY) {
        add_error(r, errs, "answers", web_t(r, "diag.api.answers"));
        return NULL;
    }
    const json_value *arr = m->value;
    answer_input *in = web_alloc(r, (arr->n_elements + d->a->n_answers + 1) * sizeof *in);
    size_t count = 0;
    for (size_t i = 0; i < arr->n_elements; i++) {
        const json_value *v = arr->elements[i];
        if (v->type != JV_OBJECT) {
            add_error(r, errs, path_of(r, i, NULL), web_t(r, "diag.api.object"));
            continue;
        }
        size_t errors = errs->count;
        for (size_t k = 0; k < v->n_members; k++) {
            const char *key = v->members[k].key;
            if (strcmp(key, "id") && strcmp(key, "rater") && strcmp(key, "met") && strcmp(key, "rating")
                && strcmp(key, "evidence"))
                add_error_detail(r, errs, path_of(r, i, key), "diag.api.unknown_key", key);
        }
        const json_member *id = json_member_get(v, "id"), *rater = json_member_get(v, "rater");
        const json_member *met = json_member_get(v, "met"), *rating = json_member_get(v, "rating");
        const json_member *ev = json_member_get(v, "evidence");
        if (!id || id->value->type != JV_STRING) {
            add_error(r, errs, path_of(r, i, "id"), web_t(r, "diag.api.id"));
            continue;
        }
        assessment_rater who = RATER_SELF;
        if (rater) {
            int p = rater->value->type == JV_STRING ? assessment_rater_parse(rater->value->string) : -1;
            if (p < 0)
                add_error(r, errs, path_of(r, i, "rater"), web_t(r, "diag.api.rater"));
            else
                who = (assessment_rater)p;
        }
        catalog_element e;
        int is_rating = catalog_find(d->cat, id->value->string, &e) && e.kind == CK_KNOWLEDGE_ITEM;
        int value = -1;
        if (is_rating) {
            if (met)
                add_error(r, errs, path_of(r, i, "met"), web_t(r, "diag.api.met_on_knowledge"));
            if (!rating || rating->value->type != JV_NUMBER || !rating->value->is_integer
                || rating->value->number < 0 || rating->value->number > ASSESS_RATING_MAX)
                add_error(r, errs, path_of(r, i, "rating"), web_t(r, "diag.api.rating"));
            else
                value = (int)rating->value->number;
        } else {
            if (rating)
                add_error(r, errs, path_of(r, i, "rating"), web_t(r, "diag.api.rating_on_met"));
            if (!met || (met->value->type != JV_TRUE && met->value->type != JV_FALSE))
                add_error(r, errs, path_of(r, i, "met"), web_t(r, "diag.api.met"));
            else
                value = met->value->type == JV_TRUE;
        }
        const char **evidence = NULL;
        size_t n_ev = 0;
        if (ev && ev->value->type != JV_ARRAY) {
            add_error(r, errs, path_of(r, i, "evidence"), web_t(r, "diag.api.evidence"));
        } else if (ev) {
            evidence = web_alloc(r, (ev->value->n_elements + 1) * sizeof *evidence);
            for (size_t k = 0; k < ev->value->n_elements; k++) {
                const json_value *x = ev->value->elements[k];
                if (x->type != JV_STRING)
                    add_error(r, errs, path_of(r, i, "evidence"), web_t(r, "diag.api.evidence"));
                else
                    evidence[n_ev++] = x->string;
            }
        }
        for (size_t j = 0; j < count; j++)
            if (who == RATER_SELF && strcmp(in[j].element_id, id->value->string) == 0)
                add_error_detail(r, errs, path_of(r, i, "id"), "diag.api.twice", id->value->string);
        if (errs->count != errors)
            continue;
        if (who == RATER_MANAGER) {
            if (!same_answer(assessment_get_answer(d->a, id->value->string, RATER_MANAGER), value, evidence, n_ev))
                add_error(r, errs, path_of(r, i, "rater"), web_t(r, "diag.api.manager"));
            continue;
        }
        in[count++] = (answer_input){ .element_id = id->value->string,
                                      .field = path_of(r, i, is_rating ? "rating" : "met"),
                                      .value = value, .evidence = evidence, .n_evidence = n_ev };
    }
    *n = remove_not_given(r, d, in, count);   /* self answers not given go */
    return in;
}

/* Frees a parsed JSON body when the request ends (web_defer). */
static void free_json(void *p)
{
    json_free(p);
}

/* Is the request's body JSON? Answers 415 when not. */
static int json_body(web_request *r)
{
    if (r->is_json)
        return 1;
    web_reply_error(r, 415, "unsupported_media_type", web_t(r, "diag.api.not_json"), NULL);
    return 0;
}

/* PUT /api/v1/me/assessment  {"answers":[...]} as in docs/assessment-format.md
 * (a whole file from GET is accepted too): the self answers become exactly
 * those given, in one transaction. 400 naming the field at fault; 409 when no
 * cycle is open or the answers are handed in. Answers with the assessment. */
void web_api_me_assessment_put(web_request *r)
{
    if (!json_body(r))
        return;
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    json_value *root = json_parse(r->body, r->body_len, "body", &e);
    if (!root) {
        char line[1024];
        diagnosis_cancel(&d);
        web_reply_error(r, 400, "bad_json", err_format(&e, line, sizeof line), NULL);
        return;
    }
    web_defer(r, free_json, root);
    field_errors errs = { 0 };
    size_t n = 0;
    answer_input *in = api_inputs(r, &d, root, &n, &errs);
    if (!errs.count)
        diagnosis_apply(r, &d, in, n, &errs);
    if (errs.count) {
        diagnosis_cancel(&d);
        reply_field_errors(r, &errs);
        return;
    }
    if (diagnosis_commit(r, &d) < 0)
        return;
    send_assessment(r, &d);
}

/* Answers 409 "unanswered": the error with the specializations that still have
 * unanswered elements, {"error":{"code","message","field":null,"unanswered":
 * [{"specialization":"CS.HW","code":"HW","achievement":N,"proficiency":N,
 * "knowledge":N}...]}}. */
static void reply_unanswered(web_request *r, const unanswered_spec *un, size_t n, int refused)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s,s:s,s:i,s:i,s:i}", "specialization", un[i].spec->id, "code",
                                              un[i].spec->code, "achievement", un[i].achievement, "proficiency",
                                              un[i].proficiency, "knowledge", un[i].knowledge));
    const char *message = web_t(r, refused ? "diag.api.unanswered_refused" : "diag.api.unanswered");
    web_json_reply(r, 409, json_pack("{s:{s:s,s:o,s:n,s:o}}", "error", "code", "unanswered", "message",
                                     web_json_text(message), "field", "unanswered", list));
}

/* POST /api/v1/me/assessment/submit[?confirm=1]  draft or returned -> submitted:
 * {"status":"submitted","answers":N}. 409 when nothing is answered, no cycle is
 * open or the answers are already handed in; 409 "unanswered" (listing them per
 * specialization) while elements of the specializations the diagnosis covers
 * are unanswered, unless confirm=1 (and the policy does not refuse). */
void web_api_me_assessment_submit(web_request *r)
{
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    size_t n = self_answers(d.a);
    if (!n) {
        diagnosis_cancel(&d);
        web_reply_error(r, 409, "nothing_answered", web_t(r, "diag.nothing_answered"), NULL);
        return;
    }
    const web_eval *ev = web_evaluator(r);
    if (!ev) {
        diagnosis_cancel(&d);
        return;
    }
    unanswered_spec *un;
    size_t n_un = diagnosis_unanswered(r, &d, &un);
    int refuse = ev->policy->submission_refuses_unanswered;
    const char *confirm = web_query(r, "confirm");
    if (n_un && (refuse || !confirm || strcmp(confirm, "1") != 0)) {
        diagnosis_cancel(&d);
        reply_unanswered(r, un, n_un, refuse);
        return;
    }
    err e;
    memset(&e, 0, sizeof e);
    if (review_submit(d.db, d.assessment_id, r->user->login, &e) < 0
        || store_commit(d.db, &e) < 0) {
        web_store_failed(r, "submit", &e);
        return;
    }
    web_json_reply(r, 200, json_pack("{s:s,s:o,s:I}", "status", "submitted", "cycle", json_string(d.cycle_name),
                                     "answers", (json_int_t)n));
}
