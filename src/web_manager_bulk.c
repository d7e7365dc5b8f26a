/* web_manager_bulk.c - 一括承認: a manager (or HR) approves several submitted
 * diagnoses of one cycle at once (issue 12, Missing 6).
 *
 *   POST /team/approve           person (several), cycle[, comment][, confirm=1]
 *   POST /api/v1/team/approve    {"people": [ids], "cycle"?, "comment"?, "dry_run"?}
 *
 * Without confirm the page is the confirm step: what would be approved and,
 * per person, why the others would not (not theirs to review, nothing
 * submitted, the review not complete: review_approve's own answer, found by
 * approving in a transaction that is then rolled back). With confirm every
 * one is approved in one transaction through review_approve, the function a
 * single approval uses, or, when any is refused by then, none.
 *
 * The page and the API share manager_bulk_approve (web_manager_int.h). */
#include "web_manager_int.h"
#include "web_access.h"
#include "web_json.h"
#include "json.h"
#include "web_pages.h"
#include "review.h"
#include "html.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why person_id's submission in cycle_id cannot be approved now: fills o
 * (code NULL: it can) and its assessment; approving happens in the caller's
 * transaction. 0, or -1 when the store failed (*e says why). */
static int bulk_one(web_request *r, store *db, int64_t cycle_id, const char *comment, bulk_outcome *o, err *e)
{
    const web_eval *ev = web_evaluator(r);
    review_role role = r->user->role == ROLE_HR ? REVIEWER_HR : REVIEWER_MANAGER;
    review_refusal why = REVIEW_ALLOWED;
    int may = o->person_id == r->user->person_id
                  ? 0
                  : review_may_review(db, role, r->user->person_id, o->person_id, &why, e);
    if (may < 0)
        return -1;
    int found = store_person_get(db, o->person_id, &o->person, e);
    if (found < 0)
        return -1;
    if (!found || !may) {
        o->code = "not_reviewer";
        o->message = web_t(r, "team.bulk.not_reviewer");
        return 0;
    }
    found = store_assessment_find(db, o->person_id, cycle_id, &o->assessment, e);
    if (found < 0)
        return -1;
    if (!found || o->assessment.status != ASSESSMENT_SUBMITTED) {
        o->code = "not_submitted";
        o->message = web_t(r, found ? "review.not_submitted" : "review.no_assessment");
        return 0;
    }
    err why_not;
    memset(&why_not, 0, sizeof why_not);
    int rc = review_approve(db, ev->catalog, ev->policy, o->assessment.id, r->user->login, comment, NULL, &why_not);
    if (rc < 0) {
        *e = why_not;
        return -1;
    }
    if (rc == REVIEW_E_INCOMPLETE) {
        /* review.h: the message begins with how many are undecided; its path names the first. */
        o->code = "review_incomplete";
        o->message = web_text_tpl(r, web_t(r, "review.incomplete"),
                                  manager_num(r, strtol(why_not.message, NULL, 10)),
                                  web_strdup(r, why_not.path), NULL);
    } else if (rc != 0) {
        o->code = "conflict";
        o->message = web_strdup(r, why_not.message);
    }
    return 0;
}

static void bulk_free(void *p)
{
    bulk_result *b = p;
    for (size_t i = 0; i < b->count; i++) {
        store_person_clear(&b->items[i].person);
        store_assessment_clear(&b->items[i].assessment);
    }
    free(b->items);
}

bulk_result *manager_bulk_approve(web_request *r, int64_t cycle_id, const int64_t *people, size_t n,
                                  const char *comment, int dry_run)
{
    store *db = web_store(r);
    if (!db || !web_evaluator(r))
        return NULL;
    bulk_result *b = web_alloc(r, sizeof *b);
    web_defer(r, bulk_free, b);
    b->items = calloc(n ? n : 1, sizeof *b->items);
    if (!b->items)
        abort();
    err e;
    memset(&e, 0, sizeof e);
    if (store_begin(db, &e) < 0) {
        web_store_failed(r, "approving", &e);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < b->count; k++)
            seen |= b->items[k].person_id == people[i];
        if (seen)
            continue;                    /* the same person ticked twice: once */
        bulk_outcome *o = &b->items[b->count++];
        o->person_id = people[i];
        if (bulk_one(r, db, cycle_id, comment, o, &e) < 0) {
            store_rollback(db, NULL);
            web_store_failed(r, "approving", &e);
            return NULL;
        }
        if (o->code)
            b->refused++;
    }
    if (dry_run || b->refused) {
        store_rollback(db, NULL);
        return b;
    }
    if (store_commit(db, &e) < 0) {
        web_store_failed(r, "approving", &e);
        return NULL;
    }
    b->done = 1;
    return b;
}

/* ---- The page ------------------------------------------------------------------------------ */

/* The people ticked (form fields "person"), or NULL after answering 400. */
static int64_t *posted_people(web_request *r, size_t *n)
{
    *n = web_form_count(r, "person");
    if (*n == 0) {
        web_reply_400(r, web_t(r, "team.bulk.none"), "person");
        return NULL;
    }
    int64_t *ids = web_alloc(r, *n * sizeof *ids);
    for (size_t i = 0; i < *n; i++)
        if (!web_parse_int(web_form_nth(r, "person", i), 1, INT64_MAX, &ids[i])) {
            web_reply_400(r, web_t(r, "team.bulk.bad_person"), "person");
            return NULL;
        }
    return ids;
}

/* The list of people of b: those approved (or to approve) when refused is 0,
 * else those refused with their reason. */
static void put_outcomes(web_request *r, const bulk_result *b, int refused)
{
    html_printf(r->out, "<ul class=\"bulk-%s\">\n", refused ? "refused" : "ready");
    for (size_t i = 0; i < b->count; i++) {
        const bulk_outcome *o = &b->items[i];
        if (!o->code != !refused)
            continue;
        html_printf(r->out, "<li data-person=\"%lld\">%s %s", (long long)o->person_id,
                    o->person.employee_number ? o->person.employee_number : "",
                    o->person.name ? o->person.name : manager_num(r, o->person_id));
        if (refused)
            html_printf(r->out, ": <span data-reason=\"%s\">%s</span>", o->code, o->message);
        html_raw(r->out, "</li>\n");
    }
    html_raw(r->out, "</ul>\n");
}

/* The confirm step: what would be approved, what not and why, and the form
 * that approves (hidden people: those that can be). */
static void render_confirm(web_request *r, const bulk_result *b, const store_cycle *c, const char *comment)
{
    size_t ready = b->count - b->refused;
    html_begin(r, web_t(r, "team.bulk.title"));
    html_printf(r->out, "<h1>%s</h1>\n<p class=\"muted\">%s: %s</p>\n", web_t(r, "team.bulk.title"),
                web_t(r, "results.cycle"), c->name);
    if (ready) {
        html_raw(r->out, "<h2>");
        web_html_tpl(r->out, web_t(r, "team.bulk.ready"), manager_num(r, (long long)ready), NULL);
        html_raw(r->out, "</h2>\n");
        put_outcomes(r, b, 0);
    }
    if (b->refused) {
        html_raw(r->out, "<h2>");
        web_html_tpl(r->out, web_t(r, "team.bulk.refused"), manager_num(r, (long long)b->refused), NULL);
        html_raw(r->out, "</h2>\n");
        put_outcomes(r, b, 1);
    }
    if (ready) {
        html_form_post(r, "/team/approve");
        html_hidden(r, "cycle", manager_num(r, c->id));
        html_hidden(r, "confirm", "1");
        for (size_t i = 0; i < b->count; i++)
            if (!b->items[i].code)
                html_hidden(r, "person", manager_num(r, b->items[i].person_id));
        html_printf(r->out, "<div class=\"field\"><label for=\"bulk-comment\">%s</label>\n"
                            "<textarea id=\"bulk-comment\" name=\"comment\" rows=\"3\">%s</textarea></div>\n"
                            "<div class=\"row\"><button type=\"submit\">",
                    web_t(r, "team.bulk.comment"), comment ? comment : "");
        web_html_tpl(r->out, web_t(r, "team.bulk.do"), manager_num(r, (long long)ready), NULL);
        html_raw(r->out, "</button>");
    } else {
        html_printf(r->out, "<p>%s</p>\n<div class=\"row\">", web_t(r, "team.bulk.nothing"));
    }
    html_printf(r->out, " <a href=\"/team?cycle=%lld\">%s</a></div>\n", (long long)c->id,
                web_t(r, "team.bulk.back"));
    if (ready)
        html_form_end(r);
    html_end(r);
}

/* The cycle of a bulk approval: "cycle" (a name or an id), required. 0 with
 * *c filled (the request's to clear), or -1 after answering. */
static int bulk_cycle(web_request *r, const char *asked, store_cycle *c)
{
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    int64_t id;
    int found = !asked || !*asked ? 0
                : web_parse_int(asked, 1, INT64_MAX, &id) ? store_cycle_get(db, id, c, &e)
                                                          : store_cycle_find(db, asked, c, &e);
    if (found < 0) {
        web_store_failed(r, "cycles", &e);
        return -1;
    }
    if (found == 0) {
        web_reply_error(r, 404, "not_found", web_t(r, "results.no_cycle"), "cycle");
        return -1;
    }
    return 0;
}

static void cycle_free(void *c)
{
    store_cycle_clear(c);
}

/* POST /team/approve  person (several), cycle[, comment][, confirm=1]: the
 * confirm step, then the approvals in one transaction and back to the team. */
void web_page_team_approve(web_request *r)
{
    size_t n;
    int64_t *people = posted_people(r, &n);
    if (!people)
        return;
    store_cycle *c = web_alloc(r, sizeof *c);
    if (bulk_cycle(r, web_form(r, "cycle"), c) < 0)
        return;
    web_defer(r, cycle_free, c);
    const char *confirm = web_form(r, "confirm"), *comment = web_form(r, "comment");
    if (comment && !comment[strspn(comment, " \t\r\n")])
        comment = NULL;
    int doing = confirm && strcmp(confirm, "1") == 0;
    bulk_result *b = manager_bulk_approve(r, c->id, people, n, comment, !doing);
    if (!b)
        return;
    if (!b->done) {
        if (doing)
            r->res.status = 409;         /* something changed since the confirm step: nothing approved */
        render_confirm(r, b, c, comment);
        return;
    }
    char to[96];
    snprintf(to, sizeof to, "/team?cycle=%lld&approved=%zu", (long long)c->id, b->count);
    web_redirect(r, to);
}

/* ---- The API ------------------------------------------------------------------------------- */

/* POST /api/v1/team/approve  {"people": [person ids], "cycle"?, "comment"?,
 * "dry_run"?}: approves the submitted diagnoses of those people in the cycle
 * (default: the one in use) in one transaction; 409 "refused" with the
 * reason per person, and nothing approved, when any cannot be. A dry run
 * answers 200 with what would be approved and what refused. */
void web_api_team_approve(web_request *r)
{
    static const char *const known[] = { "people", "cycle", "comment", "dry_run", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    const char *cycle = NULL, *comment = NULL;
    int dry_run = 0;
    if (web_body_cycle(r, body, &cycle) < 0 || web_json_string(r, body, "comment", &comment) < 0
        || web_json_bool(r, body, "dry_run", &dry_run) < 0)
        return;
    const json_member *m = json_member_get(body, "people");
    if (!m || m->value->type != JV_ARRAY || m->value->n_elements == 0) {
        web_json_invalid(r, "people", web_t(r, "team.bulk.none"));
        return;
    }
    size_t n = m->value->n_elements;
    int64_t *people = web_alloc(r, n * sizeof *people);
    for (size_t i = 0; i < n; i++) {
        const json_value *v = m->value->elements[i];
        if (v->type != JV_NUMBER || !v->is_integer || v->number < 1 || v->number > 9007199254740991.0) {
            char field[48];
            snprintf(field, sizeof field, "people[%zu]", i);
            web_json_invalid(r, web_strdup(r, field), web_t(r, "team.bulk.bad_person"));
            return;
        }
        people[i] = (int64_t)v->number;
    }
    store_cycle *c = web_alloc(r, sizeof *c);
    if (cycle) {
        if (bulk_cycle(r, cycle, c) < 0)
            return;
    } else {
        store *db = web_store(r);
        err e;
        memset(&e, 0, sizeof e);
        int found = db ? store_cycle_in_use(db, NULL, c, &e) : -1;
        if (found <= 0) {
            if (found == 0)
                web_reply_error(r, 404, "not_found", web_t(r, "results.no_cycle"), "cycle");
            else if (db)
                web_store_failed(r, "cycles", &e);
            return;
        }
    }
    web_defer(r, cycle_free, c);
    bulk_result *b = manager_bulk_approve(r, c->id, people, n, comment && *comment ? comment : NULL, dry_run);
    if (!b)
        return;
    json_t *ok = json_array(), *refused = json_array();
    for (size_t i = 0; i < b->count; i++) {
        const bulk_outcome *o = &b->items[i];
        if (o->code)
            json_array_append_new(refused, json_pack("{s:o,s:s,s:s}", "person_id", web_json_id(o->person_id),
                                                     "code", o->code, "message", o->message));
        else
            json_array_append_new(ok, json_pack("{s:o,s:o}", "person_id", web_json_id(o->person_id),
                                                "assessment_id", web_json_id(o->assessment.id)));
    }
    json_t *answer = json_pack("{s:o,s:b,s:o,s:o,s:o}", "cycle", web_json_id(c->id), "dry_run", dry_run,
                               "approved", ok, "refused", refused,
                               "error", b->refused && !dry_run ? json_pack("{s:s,s:s,s:n}", "code", "refused", "message",
                                                               web_t(r, "team.bulk.refused_none"), "field")
                                                   : json_null());
    web_json_reply(r, b->refused && !dry_run ? 409 : 200, answer);
}
