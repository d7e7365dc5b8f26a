/* web_official.c - 公式レベル: what a review decided, the frozen approval, and the
 * 社内認定 certificates (docs/review.md). The rules are review.h's; these pages
 * and calls only read, check the caller's role and translate refusals.
 *
 *   (a section of the results page, and the "official" member of its JSON)
 *   POST /people/:id/reopen             HR: an approved diagnosis back to returned, with a reason
 *   POST /people/:id/certificates       HR: certify an approved level of a specialization
 *   GET  /certificates[?within=N]       HR: every certificate, those expiring within N days first
 *   GET  /certificates/:number          the printable certificate (A4, Japanese)
 *   POST /certificates/:number/revoke   HR: revoke, with a reason
 * and the API twins under /api/v1 (people/:id/certificates GET and POST,
 * certificates, certificates/:number, certificates/:number/revoke,
 * people/:id/reopen). */
#include "web_access.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "web_json.h"
#include "review.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPIRING_DAYS 90           /* the certificates list's default window */

/* ---- Shared pieces -------------------------------------------------------------------------- */

static void clear_certificates(void *p)
{
    store_certificate_list_free(p);
}

static void clear_certificate(void *p)
{
    store_certificate_clear(p);
}

static void clear_assessment(void *p)
{
    store_assessment_clear(p);
}

/* Answers a refusal of review.h (rc > 0) or a store failure (rc < 0). */
void web_official_refusal(web_request *r, int rc, const err *e, const char *what)
{
    const char *field = e->path[0] ? e->path : NULL;
    switch (rc) {
    case REVIEW_E_INVALID:
        web_reply_error(r, 400, "bad_request", web_text_tpl(r, web_t(r, "official.err.invalid"), e->message, NULL),
                        field);
        return;
    case REVIEW_E_CONFLICT: case REVIEW_E_INCOMPLETE:
        web_reply_error(r, 409, "conflict", web_text_tpl(r, web_t(r, "official.err.conflict"), e->message, NULL),
                        field);
        return;
    case REVIEW_E_NOT_FOUND:
        web_reply_error(r, 404, "not_found", web_text_tpl(r, web_t(r, "official.err.not_found"), e->message, NULL),
                        field);
        return;
    default:
        web_store_failed(r, what, e);
    }
}

/* The certificates of person_id (newest first) in request memory; NULL after answering. */
static store_certificate_list *person_certificates(web_request *r, store *db, int64_t person_id)
{
    store_certificate_list *l = web_alloc(r, sizeof *l);
    store_certificate_filter f = { .person_id = person_id };
    err e;
    memset(&e, 0, sizeof e);
    if (store_certificate_list_filter(db, &f, l, &e) < 0) {
        web_store_failed(r, "certificates", &e);
        return NULL;
    }
    web_defer(r, clear_certificates, l);
    return l;
}

/* The name of specialization id in ev's catalog (the id itself when unknown). */
static const char *spec_name(const web_eval *ev, const char *id)
{
    const catalog_spec *s = catalog_spec_find(ev->catalog, id);
    return s ? s->name : id;
}

/* The message key of a certificate state ("official.state.valid"). */
static const char *state_key(const char *state)
{
    return strcmp(state, "valid") == 0 ? "official.state.valid"
           : strcmp(state, "expired") == 0 ? "official.state.expired"
           : strcmp(state, "revoked") == 0 ? "official.state.revoked" : "official.state.future";
}

/* ---- The results page's section ------------------------------------------------------------- */

/* What the section shows of assessment a. */
typedef struct official {
    const web_eval *ev;
    int has_approval;
    store_approval approval;           /* in force */
    store_approval_list history;       /* every approval, reopened ones too */
    store_certificate_list *certs;     /* the person's */
    assessment *answers;               /* self and reviewer answers */
    store_agreement_list agreed;
    engine_result *self, *reviewed;    /* NULL for another catalog version */
    char today[11];
} official;

static void official_free(void *p)
{
    official *o = p;
    store_approval_clear(&o->approval);
    store_approval_list_free(&o->history);
    engine_result_free(o->self);
    engine_result_free(o->reviewed);
    assessment_free(o->answers);
    store_agreement_list_free(&o->agreed);
}

/* Gathers the section of assessment a of person_id; NULL after answering. */
static official *build_official(web_request *r, int64_t person_id, const store_assessment *a)
{
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return NULL;
    official *o = web_alloc(r, sizeof *o);
    web_defer(r, official_free, o);
    o->ev = ev;
    review_today(o->today);
    err e;
    memset(&e, 0, sizeof e);
    if (!(o->certs = person_certificates(r, db, person_id)))
        return NULL;
    if (!a)
        return o;
    int found = store_approval_current(db, a->id, &o->approval, &e);
    if (found < 0 || store_approval_list_assessment(db, a->id, &o->history, &e) < 0
        || store_agreement_list_assessment(db, a->id, &o->agreed, &e) < 0
        || store_assessment_load(db, a->id, &o->answers, &e) != 1) {
        web_store_failed(r, "the official result", &e);
        return NULL;
    }
    o->has_approval = found == 1;
    if (strcmp(a->catalog_id, catalog_id(ev->catalog)) == 0
        && strcmp(a->catalog_version, catalog_version(ev->catalog)) == 0) {
        o->self = engine_result_new(ev->engine);
        engine_evaluate(ev->engine, o->answers, RATER_SELF, o->self);
        review_apply_agreements(o->answers, &o->agreed);
        o->reviewed = engine_result_new(ev->engine);
        engine_evaluate(ev->engine, o->answers, RATER_MANAGER, o->reviewed);
    }
    return o;
}

/* How many elements the reviewer rated (their own rating, not an agreement). */
static size_t reviewer_rated(const official *o)
{
    size_t n = 0;
    for (size_t i = 0; i < o->answers->n_answers; i++)
        if (o->answers->answers[i].rater == RATER_MANAGER) {
            const char *id = o->answers->answers[i].element_id;
            int agreed = 0;
            for (size_t k = 0; k < o->agreed.count && !agreed; k++)
                agreed = strcmp(o->agreed.element_ids[k], id) == 0;
            n += !agreed;
        }
    return n;
}

/* 1 when element id was agreed (not rated) by the reviewer. */
static int was_agreed(const official *o, const char *id)
{
    for (size_t k = 0; k < o->agreed.count; k++)
        if (strcmp(o->agreed.element_ids[k], id) == 0)
            return 1;
    return 0;
}

/* "○ 満たす" / "× 満たさない" or a knowledge rating, for an answer value. */
static void put_value(web_request *r, const char *id, int value)
{
    catalog_element el;
    const web_eval *ev = web_evaluator(r);
    if (ev && catalog_find(ev->catalog, id, &el) && el.kind == CK_KNOWLEDGE_ITEM)
        html_printf(r->out, "%d %s", value, web_t(r, web_rating_key(value)));
    else
        html_printf(r->out, "%s %s", value ? "○" : "×", web_t(r, value ? "results.met" : "results.unmet"));
}

/* The levels by the self-rating, the review, approval (frozen) and certificate, per specialization. */
static void put_official_levels(web_request *r, const official *o, const store_assessment *a)
{
    char label[64];
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"levels official-levels\"><thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "results.spec"), web_t(r, "review.self"), web_t(r, "review.reviewed"),
                web_t(r, "official.official"));
    for (size_t i = 0; i < o->self->n_specs; i++) {
        const catalog_spec *s = o->self->specs[i].spec;
        int frozen = -1, certified = 0;
        for (size_t k = 0; o->has_approval && k < o->approval.n_levels; k++)
            if (strcmp(o->approval.levels[k].specialization_id, s->id) == 0)
                frozen = o->approval.levels[k].level;
        for (size_t k = 0; k < o->certs->count; k++) {
            const store_certificate *c = &o->certs->items[k];
            if (c->assessment_id == a->id && strcmp(c->specialization_id, s->id) == 0
                && strcmp(review_certificate_state(c, o->today), "valid") == 0) {
                frozen = c->level;
                certified = 1;
            }
        }
        html_printf(r->out, "<tr data-spec=\"%s\"><th scope=\"row\">%s</th><td>%s</td>", s->code, s->name,
                    web_reached_label(r, o->self->specs[i].level, label, sizeof label));
        html_printf(r->out, "<td>%s</td>", web_reached_label(r, o->reviewed->specs[i].level, label, sizeof label));
        if (frozen >= 0)
            html_printf(r->out, "<td class=\"official-level\" data-level=\"%d\">%s <span class=\"badge %s\">%s</span>"
                                "</td></tr>\n",
                        frozen, web_reached_label(r, frozen, label, sizeof label),
                        certified ? "certified" : "approved",
                        web_t(r, certified ? "official.kind.certified" : "official.kind.approved"));
        else
            html_printf(r->out, "<td class=\"muted\">-</td></tr>\n");
    }
    html_raw(r->out, "</tbody></table></div>\n");
}

/* The reviewer's own ratings beside the self-rating (those not agreed with). */
static void put_reviewer_ratings(web_request *r, const official *o)
{
    size_t rated = reviewer_rated(o);
    char n_agreed[24], n_rated[24];
    snprintf(n_agreed, sizeof n_agreed, "%zu", o->agreed.count);
    snprintf(n_rated, sizeof n_rated, "%zu", rated);
    html_raw(r->out, "<p class=\"muted\">");
    web_html_tpl(r->out, web_t(r, "official.decisions"), n_rated, n_agreed, NULL);
    html_raw(r->out, "</p>\n");
    if (rated) {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"reviewer-ratings\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "review.element"), web_t(r, "review.text"), web_t(r, "review.self"),
                    web_t(r, "review.manager"));
        for (size_t i = 0; i < o->answers->n_answers; i++) {
            const assessment_answer *x = &o->answers->answers[i];
            if (x->rater != RATER_MANAGER || was_agreed(o, x->element_id))
                continue;
            const assessment_answer *self = assessment_get_answer(o->answers, x->element_id, RATER_SELF);
            catalog_element el;
            const char *text = catalog_find(o->ev->catalog, x->element_id, &el) && el.item ? el.item->text : "";
            html_printf(r->out, "<tr class=\"%s\" data-id=\"%s\"><td>%s</td><td>%s</td><td>",
                        self && self->value != x->value ? "differs" : "", x->element_id, x->element_id, text);
            if (self)
                put_value(r, x->element_id, self->value);
            else
                html_printf(r->out, "<span class=\"muted\">%s</span>", web_t(r, "results.unanswered"));
            html_raw(r->out, "</td><td>");
            put_value(r, x->element_id, x->value);
            html_raw(r->out, "</td></tr>\n");
        }
        html_raw(r->out, "</tbody></table></div>\n");
    }
}

/* HR's forms: certify an approved level, reopen the approval. */
static void put_hr_actions(web_request *r, const official *o, int64_t person_id, const store_assessment *a,
                           const char *path)
{
    char label[64];
    if (a && r->user->role == ROLE_HR && o->has_approval && a->status == ASSESSMENT_APPROVED
        && r->user->person_id != person_id) {
        char action[96], cycle[24];
        snprintf(cycle, sizeof cycle, "%lld", (long long)a->cycle_id);
        html_raw(r->out, "<div class=\"grid no-print\">\n<div>");
        snprintf(action, sizeof action, "%s/certificates", path);
        html_form_post(r, action);
        html_hidden(r, "cycle", cycle);
        html_printf(r->out, "<h3>%s</h3><div class=\"field\"><label for=\"cert-spec\">%s</label>"
                            "<select id=\"cert-spec\" name=\"spec\">",
                    web_t(r, "official.certify"), web_t(r, "results.spec"));
        for (size_t k = 0; k < o->approval.n_levels; k++)
            if (o->approval.levels[k].level > 0)
                html_printf(r->out, "<option value=\"%s\">%s %s</option>", o->approval.levels[k].specialization_id,
                            spec_name(o->ev, o->approval.levels[k].specialization_id),
                            web_reached_label(r, o->approval.levels[k].level, label, sizeof label));
        html_raw(r->out, "</select></div>");
        html_field(r, &(html_input){ .type = "date", .name = "valid_from", .label = web_t(r, "official.valid_from"),
                                     .hint = web_t(r, "official.valid_from_hint") });
        html_field(r, &(html_input){ .type = "date", .name = "valid_until", .label = web_t(r, "official.valid_until"),
                                     .hint = web_t(r, "official.valid_until_hint") });
        html_printf(r->out, "<button type=\"submit\">%s</button>", web_t(r, "official.certify_submit"));
        html_form_end(r);
        html_raw(r->out, "</div>\n<div>");
        snprintf(action, sizeof action, "%s/reopen", path);
        html_form_post(r, action);
        html_hidden(r, "cycle", cycle);
        html_printf(r->out, "<h3>%s</h3><div class=\"field\"><label for=\"reopen-reason\">%s</label>"
                            "<textarea id=\"reopen-reason\" name=\"reason\" maxlength=\"4000\" required></textarea>"
                            "</div><button type=\"submit\" class=\"danger\">%s</button>",
                    web_t(r, "official.reopen"), web_t(r, "official.reopen_reason"), web_t(r, "official.reopen_submit"));
        html_form_end(r);
        html_raw(r->out, "</div>\n</div>\n");
    }
}

/* The certificates table (HR gets revoke forms); path the page to come back to. */
static void put_certificates(web_request *r, const official *o, int64_t person_id)
{
    html_printf(r->out, "<h3>%s</h3>\n", web_t(r, "official.certificates"));
    if (o->certs->count == 0) {
        html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "official.no_certificates"));
        return;
    }
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"certificates\"><thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "official.number"), web_t(r, "results.spec"), web_t(r, "official.level"),
                web_t(r, "official.validity"), web_t(r, "official.state"), web_t(r, "results.cycle"));
    char label[64];
    for (size_t i = 0; i < o->certs->count; i++) {
        const store_certificate *c = &o->certs->items[i];
        const char *state = review_certificate_state(c, o->today);
        html_printf(r->out, "<tr data-certificate=\"%s\" data-state=\"%s\"><td><a href=\"/certificates/%s\">%s</a></td>"
                            "<td>%s</td><td>%s</td><td>%s 〜 %s</td><td><span class=\"badge cert-%s\">%s</span>",
                    c->number, state, c->number, c->number, spec_name(o->ev, c->specialization_id),
                    web_reached_label(r, c->level, label, sizeof label), c->valid_from, c->valid_until, state,
                    web_t(r, state_key(state)));
        if (c->revoked_at)
            html_printf(r->out, " <span class=\"muted\">%s</span>", c->revoke_reason);
        html_printf(r->out, "</td><td>%s</td></tr>\n", c->cycle);
    }
    html_raw(r->out, "</tbody></table></div>\n");
    (void)person_id;
}

/* The explanation the approval in force froze, exactly as approved
 * (review_approval_frozen), folded; a result that cannot be given as approved
 * (its digest differs, another catalog version) is said so instead. */
static void put_frozen_explanation(web_request *r, const official *o)
{
    store *db = web_store(r);
    char *result = NULL, *explanation = NULL;
    err e;
    memset(&e, 0, sizeof e);
    int rc = db ? review_approval_frozen(db, o->ev->catalog, &o->approval, &result, &explanation, &e) : -1;
    html_printf(r->out, "<details class=\"frozen\"><summary>%s</summary>\n", web_t(r, "official.frozen"));
    if (rc == 0)
        html_printf(r->out, "<pre class=\"frozen-explanation\" lang=\"ja\" tabindex=\"0\">%s</pre>\n", explanation);
    else
        html_printf(r->out, "<p class=\"error frozen-differs\">%s</p>\n",
                    web_text_tpl(r, web_t(r, "official.frozen_differs"), e.message, NULL));
    html_raw(r->out, "</details>\n");
    free(result);
    free(explanation);
}

void web_official_html(web_request *r, int64_t person_id, const store_assessment *a)
{
    official *o = build_official(r, person_id, a);
    if (!o)
        return;
    char path[64];
    snprintf(path, sizeof path, "/people/%lld", (long long)person_id);
    html_printf(r->out, "<section class=\"card official\" id=\"official\">\n<h2>%s</h2>\n",
                web_t(r, "official.title"));
    if (a && o->has_approval) {
        html_raw(r->out, "<p>");
        web_html_tpl(r->out, web_t(r, "official.approved_by"), o->approval.approved_by, web_moment(r, o->approval.approved_at),
                     o->approval.policy_id, o->approval.policy_version, NULL);
        html_raw(r->out, "</p>\n");
        put_frozen_explanation(r, o);
    } else if (a) {
        html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "official.not_approved"));
    }
    if (a && o->self) {
        put_official_levels(r, o, a);
        put_reviewer_ratings(r, o);
    }
    /* Reopened approvals stay in the history. */
    for (size_t i = 0; a && i < o->history.count; i++) {
        const store_approval *h = &o->history.items[i];
        if (!h->reopened_at)
            continue;
        html_raw(r->out, "<p class=\"muted reopened\">");
        web_html_tpl(r->out, web_t(r, "official.reopened"), web_moment(r, h->approved_at), h->reopened_by, web_moment(r, h->reopened_at),
                     h->reopen_reason, NULL);
        html_raw(r->out, "</p>\n");
    }
    put_certificates(r, o, person_id);

    put_hr_actions(r, o, person_id, a, path);
    html_raw(r->out, "</section>\n");
}

/* A certificate as a JSON object (jansson; a new reference). */
static json_t *certificate_json(const store_certificate *c, const char *today)
{
    json_t *o = json_object();
    json_object_set_new(o, "number", json_string(c->number));
    json_object_set_new(o, "employee_number", json_string(c->employee_number ? c->employee_number : ""));
    json_object_set_new(o, "name", json_string(c->person_name ? c->person_name : ""));
    json_object_set_new(o, "specialization", json_string(c->specialization_id));
    json_object_set_new(o, "level", json_integer(c->level));
    json_object_set_new(o, "cycle", json_string(c->cycle ? c->cycle : ""));
    json_object_set_new(o, "certified_on", json_string(c->certified_on));
    json_object_set_new(o, "valid_from", json_string(c->valid_from));
    json_object_set_new(o, "valid_until", json_string(c->valid_until));
    json_object_set_new(o, "certified_by", json_string(c->certified_by));
    json_object_set_new(o, "state", json_string(review_certificate_state(c, today)));
    json_object_set_new(o, "revoked_at", c->revoked_at ? json_string(c->revoked_at) : json_null());
    json_object_set_new(o, "revoked_by", c->revoked_by ? json_string(c->revoked_by) : json_null());
    json_object_set_new(o, "revoke_reason", c->revoke_reason ? json_string(c->revoke_reason) : json_null());
    return o;
}

json_t *web_official_json(web_request *r, int64_t person_id, const store_assessment *a)
{
    official *o = build_official(r, person_id, a);
    if (!o)
        return NULL;
    json_t *j = json_object();
    json_t *ap = json_null();
    if (a && o->has_approval) {
        ap = json_object();
        json_object_set_new(ap, "id", json_integer(o->approval.id));
        json_object_set_new(ap, "approved_by", json_string(o->approval.approved_by));
        json_object_set_new(ap, "approved_at", json_string(o->approval.approved_at));
        json_t *pol = json_object();
        json_object_set_new(pol, "id", json_string(o->approval.policy_id));
        json_object_set_new(pol, "version", json_string(o->approval.policy_version));
        json_object_set_new(ap, "policy", pol);
        json_object_set_new(ap, "catalog_version", json_string(o->approval.catalog_version));
        json_t *lv = json_object();
        for (size_t k = 0; k < o->approval.n_levels; k++)
            json_object_set_new(lv, o->approval.levels[k].specialization_id, json_integer(o->approval.levels[k].level));
        json_object_set_new(ap, "levels", lv);
    }
    json_object_set_new(j, "approval", ap);
    /* Levels: self, reviewed, official with its kind. */
    json_t *levels = json_array();
    for (size_t i = 0; a && o->self && i < o->self->n_specs; i++) {
        const catalog_spec *s = o->self->specs[i].spec;
        json_t *l = json_object();
        json_object_set_new(l, "specialization", json_string(s->id));
        json_object_set_new(l, "self", json_integer(o->self->specs[i].level));
        json_object_set_new(l, "reviewed", json_integer(o->reviewed->specs[i].level));
        json_t *official_level = json_null(), *kind = json_null(), *number = json_null();
        for (size_t k = 0; o->has_approval && k < o->approval.n_levels; k++)
            if (strcmp(o->approval.levels[k].specialization_id, s->id) == 0) {
                json_decref(official_level);
                official_level = json_integer(o->approval.levels[k].level);
                kind = json_string("approved");
            }
        for (size_t k = 0; k < o->certs->count; k++) {
            const store_certificate *c = &o->certs->items[k];
            if (c->assessment_id == a->id && strcmp(c->specialization_id, s->id) == 0
                && strcmp(review_certificate_state(c, o->today), "valid") == 0) {
                json_decref(official_level);
                json_decref(kind);
                json_decref(number);
                official_level = json_integer(c->level);
                kind = json_string("certified");
                number = json_string(c->number);
            }
        }
        json_object_set_new(l, "official", official_level);
        json_object_set_new(l, "level_kind", kind);
        json_object_set_new(l, "certificate", number);
        json_array_append_new(levels, l);
    }
    json_object_set_new(j, "levels", levels);
    /* The reviewer's decisions beside the self-rating. */
    json_t *ratings = json_array();
    for (size_t i = 0; a && i < o->answers->n_answers; i++) {
        const assessment_answer *x = &o->answers->answers[i];
        if (x->rater != RATER_MANAGER || was_agreed(o, x->element_id))
            continue;
        const assessment_answer *self = assessment_get_answer(o->answers, x->element_id, RATER_SELF);
        json_t *e = json_object();
        json_object_set_new(e, "element_id", json_string(x->element_id));
        json_object_set_new(e, "self", self ? json_integer(self->value) : json_null());
        json_object_set_new(e, "reviewer", json_integer(x->value));
        json_array_append_new(ratings, e);
    }
    json_object_set_new(j, "reviewer_ratings", ratings);
    json_t *agreed = json_array();
    for (size_t i = 0; a && i < o->agreed.count; i++)
        json_array_append_new(agreed, json_string(o->agreed.element_ids[i]));
    json_object_set_new(j, "agreed", agreed);
    json_t *certs = json_array();
    for (size_t i = 0; i < o->certs->count; i++)
        json_array_append_new(certs, certificate_json(&o->certs->items[i], o->today));
    json_object_set_new(j, "certificates", certs);
    return j;
}

/* ---- HR's actions ----------------------------------------------------------------------------- */

/* The :id of an HR action (HR never acts on their own diagnosis, nor on one of
 * someone who manages them: review.h's rule) and the assessment its cycle
 * names, in request memory. NULL after answering. */
store_assessment *web_official_hr_target(web_request *r, const char *cycle, int64_t *id)
{
    if (web_path_param_id(r, "id", id) < 0 || web_require_reviewer(r, *id) <= 0)
        return NULL;
    store_assessment *a = web_alloc(r, sizeof *a);
    int found = web_find_assessment(r, *id, cycle, a);
    if (found == 0)
        web_reply_error(r, 404, "not_found", web_t(r, "review.no_assessment"), "cycle");
    if (found != 1)
        return NULL;
    web_defer(r, clear_assessment, a);
    return a;
}

/* Certifies; 0 with *out (request memory, cleared at the end), or -1 after answering. */
int web_official_certify(web_request *r, const store_assessment *a, const char *spec, const char *from, const char *until,
                   store_certificate **out)
{
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return -1;
    char today[11];
    review_today(today);
    store_certificate *c = web_alloc(r, sizeof *c);
    err e;
    memset(&e, 0, sizeof e);
    int rc = review_certify(db, ev->catalog, ev->policy, a->id, spec, today, from && *from ? from : NULL,
                            until && *until ? until : NULL, r->user->login, c, &e);
    if (rc != 0) {
        web_official_refusal(r, rc, &e, "certifying");
        return -1;
    }
    web_defer(r, clear_certificate, c);
    *out = c;
    return 0;
}

/* POST /people/:id/certificates  cycle, spec, valid_from?, valid_until?: HR certifies. */
void web_page_certify_post(web_request *r)
{
    int64_t id;
    store_assessment *a = web_official_hr_target(r, web_form(r, "cycle"), &id);
    store_certificate *c;
    if (!a || web_official_certify(r, a, web_form(r, "spec"), web_form(r, "valid_from"), web_form(r, "valid_until"), &c) < 0)
        return;
    char path[160];
    snprintf(path, sizeof path, "/certificates/%s", c->number);
    web_redirect(r, path);
}

/* POST /people/:id/reopen  cycle, reason: HR reopens an approved diagnosis. */
void web_page_reopen_post(web_request *r)
{
    int64_t id;
    store_assessment *a = web_official_hr_target(r, web_form(r, "cycle"), &id);
    store *db = a ? web_store(r) : NULL;
    if (!db)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc = review_reopen(db, a->id, r->user->login, web_form(r, "reason"), &e);
    if (rc != 0) {
        web_official_refusal(r, rc, &e, "reopening");
        return;
    }
    char path[96];
    snprintf(path, sizeof path, "/people/%lld/results?cycle=%lld#official", (long long)id, (long long)a->cycle_id);
    web_redirect(r, path);
}

/* The certificate :number, when r's user may see it (HR, or whoever may see
 * its person). Request memory; NULL after answering (404 for an unknown number). */
store_certificate *web_official_certificate_param(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return NULL;
    const char *number = web_path_param(r, "number");
    store_certificate *c = web_alloc(r, sizeof *c);
    err e;
    memset(&e, 0, sizeof e);
    int found = store_certificate_find(db, number, c, &e);
    if (found < 0) {
        web_store_failed(r, "a certificate", &e);
        return NULL;
    }
    if (!found) {
        web_reply_error(r, 404, "not_found", web_text_tpl(r, web_t(r, "official.err.not_found"), e.message, NULL),
                        "number");
        return NULL;
    }
    web_defer(r, clear_certificate, c);
    int may = web_may_see_person(r, c->person_id);
    if (may < 0)
        return NULL;
    if (!may) {
        web_reply_403(r);
        return NULL;
    }
    return c;
}

/* GET /certificates/:number  The certificate, printable on A4 in Japanese. */
void web_page_certificate(web_request *r)
{
    store_certificate *c = web_official_certificate_param(r);
    const web_eval *ev = c ? web_evaluator(r) : NULL;
    if (!ev)
        return;
    char today[11], label[64];
    review_today(today);
    const char *state = review_certificate_state(c, today);
    html_begin(r, web_text_tpl(r, "{1} {2}", web_t_lang("ja", "official.certificate_title"), c->number, NULL));
    html_printf(r->out, "<article class=\"certificate\" lang=\"ja\" data-state=\"%s\">\n", state);
    if (strcmp(state, "valid") != 0)
        html_printf(r->out, "<p class=\"certificate-state badge cert-%s\">%s</p>\n", state,
                    web_t_lang("ja", state_key(state)));
    html_printf(r->out, "<p class=\"certificate-number\">%s %s</p>\n<h1>%s</h1>\n",
                web_t_lang("ja", "official.number"), c->number, web_t_lang("ja", "official.certificate_title"));
    html_printf(r->out, "<p class=\"certificate-name\">%s 殿</p>\n<p class=\"certificate-empno\">%s %s</p>\n",
                c->person_name, web_t_lang("ja", "team.number"), c->employee_number);
    html_raw(r->out, "<p class=\"certificate-body\">");
    web_html_tpl(r->out, web_t_lang("ja", "official.certificate_body"), catalog_title(ev->catalog),
                 spec_name(ev, c->specialization_id), web_reached_label(r, c->level, label, sizeof label), NULL);
    html_raw(r->out, "</p>\n<dl class=\"facts certificate-facts\">");
    html_printf(r->out, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s 〜 %s</dd><dt>%s</dt><dd>%s</dd>"
                        "<dt>%s</dt><dd>%s</dd></dl>\n",
                web_t_lang("ja", "official.certified_on"), c->certified_on, web_t_lang("ja", "official.validity"),
                c->valid_from, c->valid_until, web_t_lang("ja", "results.cycle"), c->cycle,
                web_t_lang("ja", "official.certified_by"), c->certified_by);
    if (c->revoked_at)
        html_printf(r->out, "<p class=\"certificate-revoked\">%s %s: %s</p>\n", web_t_lang("ja", "official.state.revoked"),
                    web_moment(r, c->revoked_at), c->revoke_reason);
    html_raw(r->out, "</article>\n");
    if (r->user->role == ROLE_HR && !c->revoked_at) {
        char action[160];
        snprintf(action, sizeof action, "/certificates/%s/revoke", c->number);
        html_raw(r->out, "<section class=\"card no-print\">");
        html_form_post(r, action);
        html_printf(r->out, "<h2>%s</h2><div class=\"field\"><label for=\"revoke-reason\">%s</label>"
                            "<textarea id=\"revoke-reason\" name=\"reason\" maxlength=\"4000\" required></textarea></div>"
                            "<button type=\"submit\" class=\"danger\">%s</button>",
                    web_t(r, "official.revoke"), web_t(r, "official.revoke_reason"), web_t(r, "official.revoke"));
        html_form_end(r);
        html_raw(r->out, "</section>\n");
    }
    html_end(r);
}

/* POST /certificates/:number/revoke  reason: HR revokes a certificate. */
void web_page_certificate_revoke_post(web_request *r)
{
    store_certificate *c = web_official_certificate_param(r);
    store *db = c ? web_store(r) : NULL;
    if (!db)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc = review_revoke(db, c->number, r->user->login, web_form(r, "reason"), &e);
    if (rc != 0) {
        web_official_refusal(r, rc, &e, "revoking");
        return;
    }
    char path[160];
    snprintf(path, sizeof path, "/certificates/%s", c->number);
    web_redirect(r, path);
}

/* The ?within= days of the certificates list (default EXPIRING_DAYS); -1 after answering. */
static int64_t within_days(web_request *r, const char *name)
{
    const char *w = web_query(r, name);
    int64_t days = EXPIRING_DAYS;
    if (w && *w && !web_parse_int(w, 0, 3650, &days)) {
        web_reply_400(r, web_t(r, "official.bad_within"), name);
        return -1;
    }
    return days;
}

/* Every certificate and the date `within` days from today into until[11]; NULL after answering. */
static store_certificate_list *all_certificates(web_request *r, int64_t within, char today[11], char until[11])
{
    store *db = web_store(r);
    if (!db)
        return NULL;
    review_today(today);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = atoi(today) - 1900;
    tm.tm_mon = atoi(today + 5) - 1;
    tm.tm_mday = atoi(today + 8) + (int)within;
    tm.tm_hour = 12;
    timegm(&tm);
    strftime(until, 11, "%Y-%m-%d", &tm);
    store_certificate_list *l = web_alloc(r, sizeof *l);
    err e;
    memset(&e, 0, sizeof e);
    if (store_certificate_list_filter(db, NULL, l, &e) < 0) {
        web_store_failed(r, "certificates", &e);
        return NULL;
    }
    web_defer(r, clear_certificates, l);
    return l;
}

/* 1 when c is valid today and ends on or before until. */
static int expiring(const store_certificate *c, const char *today, const char *until)
{
    return strcmp(review_certificate_state(c, today), "valid") == 0 && strcmp(c->valid_until, until) <= 0;
}

/* GET /certificates[?within=N]  HR: certificates expiring within N days, then every certificate. */
void web_page_certificates(web_request *r)
{
    int64_t within = within_days(r, "within");
    const web_eval *ev = within >= 0 ? web_evaluator(r) : NULL;
    char today[11], until[11], label[64];
    store_certificate_list *l = ev ? all_certificates(r, within, today, until) : NULL;
    if (!l)
        return;
    html_begin(r, web_t(r, "official.list_title"));
    html_printf(r->out, "<h1>%s</h1>\n", web_t(r, "official.list_title"));
    html_form_get(r, "/certificates");
    char days[24];
    snprintf(days, sizeof days, "%lld", (long long)within);
    html_printf(r->out, "<div class=\"row no-print\"><label for=\"within\">%s</label>"
                        "<input id=\"within\" name=\"within\" type=\"number\" min=\"0\" max=\"3650\" value=\"%s\">"
                        "<button type=\"submit\" class=\"secondary\">%s</button></div>\n",
                web_t(r, "official.within"), days, web_t(r, "results.show"));
    html_form_end(r);
    for (int part = 0; part < 2; part++) {
        html_printf(r->out, "<section class=\"card\" id=\"%s\"><h2>", part ? "all" : "expiring");
        if (part)
            html_printf(r->out, "%s", web_t(r, "official.all"));
        else
            web_html_tpl(r->out, web_t(r, "official.expiring"), days, NULL);
        html_printf(r->out, "</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table class=\"certificates\"><thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
                            "<tbody>\n",
                    web_t(r, "official.number"), web_t(r, "team.name"), web_t(r, "results.spec"),
                    web_t(r, "official.level"), web_t(r, "official.validity"), web_t(r, "official.state"));
        size_t shown = 0;
        for (size_t i = 0; i < l->count; i++) {
            const store_certificate *c = &l->items[i];
            if (!part && !expiring(c, today, until))
                continue;
            const char *state = review_certificate_state(c, today);
            shown++;
            html_printf(r->out, "<tr data-certificate=\"%s\" data-state=\"%s\"><td><a href=\"/certificates/%s\">%s</a>"
                                "</td><td><a href=\"/people/%lld/results\">%s</a> <span class=\"muted\">%s</span></td>"
                                "<td>%s</td><td>%s</td><td>%s 〜 %s</td><td><span class=\"badge cert-%s\">%s</span></td>"
                                "</tr>\n",
                        c->number, state, c->number, c->number, (long long)c->person_id, c->person_name,
                        c->employee_number, spec_name(ev, c->specialization_id),
                        web_reached_label(r, c->level, label, sizeof label), c->valid_from, c->valid_until, state,
                        web_t(r, state_key(state)));
        }
        if (!shown)
            html_printf(r->out, "<tr><td colspan=\"6\">%s</td></tr>\n", web_t(r, "official.no_certificates"));
        html_raw(r->out, "</tbody></table></div></section>\n");
    }
    html_end(r);
}

/* ---- The API ------------------------------------------------------------------------------------ */

/* GET /api/v1/people/:id/certificates  The person's certificates, for whoever may see them. */
void web_api_person_certificates(web_request *r)
{
    int64_t id;
    if (web_path_person(r, &id) < 0)
        return;
    store *db = web_store(r);
    store_certificate_list *l = db ? person_certificates(r, db, id) : NULL;
    if (!l)
        return;
    char today[11];
    review_today(today);
    json_t *arr = json_array();
    for (size_t i = 0; i < l->count; i++)
        json_array_append_new(arr, certificate_json(&l->items[i], today));
    json_t *j = json_object();
    json_object_set_new(j, "certificates", arr);
    web_json_reply(r, 200, j);
}

/* GET /api/v1/certificates[?expiring_within=N]  HR: every certificate, or those
 * valid today that end within N days. */
void web_api_certificates(web_request *r)
{
    const char *w = web_query(r, "expiring_within");
    int64_t within = w && *w ? within_days(r, "expiring_within") : 0;
    char today[11], until[11];
    store_certificate_list *l = within >= 0 ? all_certificates(r, within, today, until) : NULL;
    if (!l)
        return;
    json_t *arr = json_array();
    for (size_t i = 0; i < l->count; i++)
        if (!(w && *w) || expiring(&l->items[i], today, until))
            json_array_append_new(arr, certificate_json(&l->items[i], today));
    json_t *j = json_object();
    json_object_set_new(j, "today", json_string(today));
    json_object_set_new(j, "certificates", arr);
    web_json_reply(r, 200, j);
}

/* GET /api/v1/certificates/:number  One certificate, for HR or whoever may see its person. */
void web_api_certificate(web_request *r)
{
    store_certificate *c = web_official_certificate_param(r);
    if (!c)
        return;
    char today[11];
    review_today(today);
    json_t *j = json_object();
    json_object_set_new(j, "certificate", certificate_json(c, today));
    web_json_reply(r, 200, j);
}

/* ---- The return reason where the engineer works --------------------------------------------- */

void web_official_return_reason(web_request *r, int64_t person_id, int64_t assessment_id)
{
    store *db = web_store(r);
    if (!db || person_id <= 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    if (assessment_id <= 0) {
        store_assessment_filter f;
        memset(&f, 0, sizeof f);
        f.person_id = person_id;
        f.status = -1;
        f.limit = 1;
        store_assessment_list l;
        if (store_assessment_list_filter(db, &f, &l, &e) < 0)
            return;
        if (l.count && l.items[0].status == ASSESSMENT_RETURNED)
            assessment_id = l.items[0].id;
        store_assessment_list_free(&l);
        if (assessment_id <= 0)
            return;
    }
    store_comment_list c;
    if (store_comment_list_assessment(db, assessment_id, &c, &e) < 0)
        return;
    const store_comment *last = NULL;
    for (size_t i = 0; i < c.count; i++)
        if (c.items[i].kind == COMMENT_RETURN)
            last = &c.items[i];
    if (last) {
        html_printf(r->out, "<div class=\"message notice return-reason\" role=\"status\"><p><strong>");
        web_html_tpl(r->out, web_t(r, "official.return_reason"),
                     last->author_name ? last->author_name : last->author, web_moment(r, last->created_at), NULL);
        html_raw(r->out, "</strong></p><p class=\"body\">");
        for (const char *p = last->body; *p;) {
            size_t n = strcspn(p, "\n");
            html_txt(r->out, web_strndup(r, p, n));
            p += n;
            if (*p == '\n' && *++p)
                html_raw(r->out, "<br>");
        }
        html_raw(r->out, "</p></div>\n");
    }
    store_comment_list_free(&c);
}

void web_official_reply_certificate(web_request *r, int status, const store_certificate *c)
{
    char today[11];
    review_today(today);
    json_t *j = json_object();
    json_object_set_new(j, "certificate", certificate_json(c, today));
    web_json_reply(r, status, j);
}
