/* web_qualification.c - a person's qualifications (資格) on the web: the
 * section shown on the results and plan pages beside the levels (supporting
 * evidence, with the ITSS level of each IPA examination from
 * catalog/ipa-exams.json), the form recording one, and the API.
 *
 *   POST /people/:id/qualifications          record one (the person, or someone who reviews them)
 *   GET  /api/v1/people/:id/qualifications   a person's qualifications
 *   POST /api/v1/people/:id/qualifications   record one (the body is read in web_plan_api.c)
 *
 * A qualification never stands in for the achievement indicators unless the
 * policy says so (policy.h: qualifications.substitute; docs/policy.md). */
#include "web_access.h"
#include "web_json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "web_plan_int.h"
#include "ipa.h"
#include "review.h"
#include "store_plan.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static void release_exams(void *p)
{
    ipa_exams_free(p);
}

static void release_list(void *p)
{
    store_qualification_list_free(p);
}

/* The IPA examinations table (request memory); NULL after answering 503. */
static ipa_exams *exams(web_request *r)
{
    err e;
    memset(&e, 0, sizeof e);
    ipa_exams *x = ipa_exams_builtin(&e);
    if (!x) {
        web_store_failed(r, "the IPA examinations table", &e);
        return NULL;
    }
    web_defer(r, release_exams, x);
    return x;
}

/* person_id's qualifications (request memory); NULL after answering 503. */
static store_qualification_list *person_list(web_request *r, int64_t person_id)
{
    store *db = web_store(r);
    if (!db)
        return NULL;
    store_qualification_list *l = web_alloc(r, sizeof *l);
    err e;
    memset(&e, 0, sizeof e);
    if (store_qualification_list_person(db, person_id, l, &e) < 0) {
        web_store_failed(r, "qualifications", &e);
        return NULL;
    }
    web_defer(r, release_list, l);
    return l;
}

/* The ITSS level of q (an IPA examination), or 0. */
static int itss_level(const ipa_exams *x, const store_qualification *q)
{
    const ipa_exam *ex = strcmp(q->kind, "ipa") == 0 ? ipa_exam_find(x, q->code) : NULL;
    return ex ? ex->level : 0;
}

int web_qualification_level(web_request *r, int64_t person_id, const char *today)
{
    ipa_exams *x = exams(r);
    store_qualification_list *l = x ? person_list(r, person_id) : NULL;
    if (!l)
        return -1;
    int best = 0;
    for (size_t i = 0; i < l->count; i++) {
        const store_qualification *q = &l->items[i];
        if (q->expires_on && strcmp(q->expires_on, today) < 0)
            continue;
        int lv = itss_level(x, q);
        if (lv > best)
            best = lv;
    }
    return best;
}

/* The form recording a qualification of person_id. */
static void put_form(web_request *r, int64_t person_id, const ipa_exams *x)
{
    char action[80];
    snprintf(action, sizeof action, "/people/%lld/qualifications", (long long)person_id);
    html_printf(r->out, "<details class=\"qualification-form\"><summary>%s</summary>\n", web_t(r, "qual.add"));
    html_form_post(r, action);
    const char *next = r->path;
    html_hidden(r, "next", next);
    html_select_begin(r, "exam", web_t(r, "qual.exam"), NULL, 0);
    html_option(r, "", web_t(r, "qual.exam_none"), 0);
    for (size_t i = 0; i < ipa_exam_count(x); i++) {
        const ipa_exam *ex = ipa_exam_at(x, i);
        char label[300];
        snprintf(label, sizeof label, "%s (%s)", ex->name, ex->code);
        html_option(r, ex->code, label, 0);
    }
    html_select_end(r, "exam", NULL);
    html_input code = { .name = "vendor_code", .label = web_t(r, "qual.vendor_code"), .maxlength = 64,
                        .hint = web_t(r, "qual.vendor_hint") };
    html_field(r, &code);
    html_input name = { .name = "vendor_name", .label = web_t(r, "qual.vendor_name"), .maxlength = 400 };
    html_field(r, &name);
    html_input on = { .type = "date", .name = "obtained_on", .label = web_t(r, "qual.obtained"), .required = 1 };
    html_field(r, &on);
    html_input until = { .type = "date", .name = "expires_on", .label = web_t(r, "qual.expires"),
                         .hint = web_t(r, "qual.expires_hint") };
    html_field(r, &until);
    html_submit(r, web_t(r, "qual.add"));
    html_form_end(r);
    html_raw(r->out, "</details>\n");
}

/* Where the policy lets a valid IPA examination stand in: each specialization
 * of assessment a whose assessed level is below it, with both levels. */
static void put_substituted(web_request *r, const web_eval *ev, int64_t person_id, const store_assessment *a)
{
    char today[11];
    review_today(today);
    int best = web_qualification_level(r, person_id, today);
    if (best <= 0)
        return;
    size_t n = catalog_spec_count(ev->catalog);
    int *levels = web_alloc(r, (n + 1) * sizeof *levels);
    if (web_assessment_levels_all(r, ev, a, levels) <= 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (levels[i] < 0 || levels[i] >= best)
            continue;
        char by[48], assessed[48];
        web_level_label(r, best, by, sizeof by);
        web_reached_label(r, levels[i], assessed, sizeof assessed);
        html_raw(r->out, "<p class=\"substituted\">");
        web_html_tpl(r->out, web_t(r, "qual.substituted"), catalog_spec_at(ev->catalog, i)->name, by, assessed, NULL);
        html_raw(r->out, "</p>\n");
    }
}

void web_qualifications_html(web_request *r, int64_t person_id, const store_assessment *a, int with_form)
{
    ipa_exams *x = exams(r);
    store_qualification_list *l = x ? person_list(r, person_id) : NULL;
    const web_eval *ev = l ? web_evaluator(r) : NULL;
    if (!ev)
        return;
    html_printf(r->out, "<section class=\"card qualifications\" aria-labelledby=\"qual-h\" id=\"qualifications\">\n"
                        "<h2 id=\"qual-h\">%s</h2>\n<p class=\"muted\">",
                web_t(r, "qual.title"));
    if (ev->policy->qualification_substitutes)
        web_html_tpl(r->out, web_t(r, "qual.note_substitute"), ev->policy->id, NULL);
    else
        html_printf(r->out, "%s", web_t(r, "qual.note"));
    html_raw(r->out, "</p>\n");
    if (ev->policy->qualification_substitutes && a)
        put_substituted(r, ev, person_id, a);
    if (l->count == 0) {
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "qual.none"));
    } else {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "qual.name"), web_t(r, "qual.obtained"), web_t(r, "qual.expires"),
                    web_t(r, "qual.itss_level"));
        for (size_t i = 0; i < l->count; i++) {
            const store_qualification *q = &l->items[i];
            html_printf(r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", q->name, q->obtained_on,
                        q->expires_on ? q->expires_on : "—");
            int lv = itss_level(x, q);
            if (lv) {
                char n[16];
                snprintf(n, sizeof n, "%d", lv);
                web_html_tpl(r->out, web_t(r, "qual.level"), n, NULL);
            } else {
                html_raw(r->out, "—");
            }
            html_raw(r->out, "</td></tr>\n");
        }
        html_raw(r->out, "</tbody></table></div>\n");
    }
    html_raw(r->out, "<p class=\"muted small\">");
    web_html_tpl(r->out, web_t(r, "qual.source"), ipa_exams_source(x), NULL);
    html_raw(r->out, "</p>\n");
    if (with_form)
        put_form(r, person_id, x);
    html_raw(r->out, "</section>\n");
}

/* Records a qualification of person_id: exam (an IPA code) or vendor code and
 * name; obtained_on; expires_on (NULL or "": none). 0 with *id, or -1 after
 * answering (400/422 naming the field, 404, 503). */
static int add(web_request *r, int64_t person_id, const char *exam, const char *vcode, const char *vname,
               const char *obtained_on, const char *expires_on, int64_t *id)
{
    ipa_exams *x = exams(r);
    store *db = x ? web_store(r) : NULL;
    if (!db)
        return -1;
    int bad = r->is_json ? 422 : 400;
    store_qualification q;
    memset(&q, 0, sizeof q);
    q.person_id = person_id;
    if (exam && *exam) {
        const ipa_exam *ex = ipa_exam_find(x, exam);
        if (!ex) {
            web_reply_error(r, bad, "invalid", web_text_tpl(r, web_t(r, "qual.err.exam"), exam, NULL), "exam");
            return -1;
        }
        q.kind = "ipa";
        q.code = (char *)ex->code;
        q.name = (char *)ex->name;
    } else {
        if (!vcode || !*vcode || !vname || !*vname) {
            web_reply_error(r, bad, "invalid", web_t(r, "qual.err.vendor"), !vcode || !*vcode ? "vendor_code"
                                                                                             : "vendor_name");
            return -1;
        }
        q.kind = "vendor";
        q.code = (char *)vcode;
        q.name = (char *)vname;
    }
    q.obtained_on = (char *)(obtained_on ? obtained_on : "");
    q.expires_on = (char *)(expires_on && *expires_on ? expires_on : NULL);
    err e;
    memset(&e, 0, sizeof e);
    if (store_qualification_add(db, &q, id, &e) == 0)
        return 0;
    if (e.code == ERR_FAILED) {
        web_store_failed(r, "a qualification", &e);
    } else if (strcmp(e.path, "expires_on") == 0 && q.expires_on && strcmp(q.expires_on, q.obtained_on) < 0) {
        web_reply_error(r, bad, "invalid",
                        web_text_tpl(r, web_t(r, "qual.err.expires"), q.expires_on, q.obtained_on, NULL), "expires_on");
    } else {
        char key[64];
        snprintf(key, sizeof key, "qual.field.%s", e.path);
        const char *label = web_t(r, key);
        web_reply_error(r, e.code == ERR_NOT_FOUND ? 404 : bad, "invalid",
                        web_text_tpl(r, web_t(r, "plan.err.field"), strcmp(label, key) ? label : e.path, e.message,
                                     NULL), e.path);
    }
    return -1;
}

/* The :id whose qualifications r's user records (the person, or someone who
 * reviews them); 0 after answering. */
static int64_t editor_target(web_request *r)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return 0;
    int may = web_may_see_person(r, id);
    if (may > 0 && r->user->person_id != id)
        may = web_may_review_person(r, id);
    if (may <= 0) {
        if (may == 0)
            web_reply_error(r, 403, "not_editor", web_t(r, "plan.err.not_editor"), NULL);
        return 0;
    }
    return id;
}

/* POST /people/:id/qualifications  exam | vendor_code + vendor_name, obtained_on, expires_on. */
void web_page_qualification_post(web_request *r)
{
    int64_t id = editor_target(r), qid;
    if (!id)
        return;
    if (add(r, id, web_form(r, "exam"), web_form(r, "vendor_code"), web_form(r, "vendor_name"),
            web_form(r, "obtained_on"), web_form(r, "expires_on"), &qid) < 0)
        return;
    const char *next = web_form(r, "next");
    web_redirect(r, next && web_is_local_path(next) ? next : "/plan");
}

/* The qualifications of person_id as a JSON array (new reference); NULL after answering. */
static json_t *list_json(web_request *r, int64_t person_id)
{
    ipa_exams *x = exams(r);
    store_qualification_list *l = x ? person_list(r, person_id) : NULL;
    if (!l)
        return NULL;
    json_t *a = json_array();
    for (size_t i = 0; i < l->count; i++) {
        const store_qualification *q = &l->items[i];
        int lv = itss_level(x, q);
        json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)q->id, "kind",
                                           q->kind, "code", q->code, "name", q->name, "obtained_on", q->obtained_on,
                                           "expires_on", q->expires_on ? json_string(q->expires_on) : json_null(),
                                           "itss_level", lv ? json_integer(lv) : json_null()));
    }
    return a;
}

/* GET /api/v1/people/:id/qualifications  A person's qualifications, with the ITSS level of each IPA examination. */
void web_api_person_qualifications(web_request *r)
{
    int64_t id;
    if (web_path_person(r, &id) < 0)
        return;
    json_t *a = list_json(r, id);
    const web_eval *ev = a ? web_evaluator(r) : NULL;
    if (!ev) {
        json_decref(a);
        return;
    }
    json_t *o = json_pack("{s:o, s:b}", "qualifications", a, "substitute", ev->policy->qualification_substitutes);
    web_json_answer(r, 200, json_dumps(o, JSON_COMPACT));
    json_decref(o);
}

void web_qualification_add_reply(web_request *r, const char *exam, const char *vendor_code, const char *vendor_name,
                                 const char *obtained_on, const char *expires_on)
{
    int64_t id = editor_target(r), qid = 0;
    if (!id || add(r, id, exam, vendor_code, vendor_name, obtained_on, expires_on, &qid) < 0)
        return;
    json_t *a = list_json(r, id);
    if (!a)
        return;
    json_t *o = json_pack("{s:I, s:o}", "id", (json_int_t)qid, "qualifications", a);
    web_json_answer(r, 201, json_dumps(o, JSON_COMPACT));
    json_decref(o);
}
