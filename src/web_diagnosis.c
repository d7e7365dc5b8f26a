/* web_diagnosis.c - "My diagnosis" (自己診断): the logged-in user's own
 * assessment in the cycle in force, and nothing else.
 *
 *   GET  /diagnosis                the cycle, progress and status per specialization, submit
 *   GET  /diagnosis/:spec          a form walking level by level through 責任性, 複雑性,
 *   POST /diagnosis/:spec          サイズ and タスク特性 in the standard's wording; complexity and
 *                                  size items link the experience records that show them
 *   GET  /diagnosis/:spec/skills   proficiency per skill area and level (yes/no), knowledge
 *   POST /diagnosis/:spec/skills   items rated 0-4
 *   POST /diagnosis/submit         draft or returned -> submitted
 *   GET  /api/v1/me/assessment     the assessment as docs/assessment-format.md writes it
 *   PUT  /api/v1/me/assessment     the self answers, replaced by those given
 *   POST /api/v1/me/assessment/submit
 *
 * The pages and the API share the data work: diagnosis_begin() finds the person,
 * the cycle in force and the assessment and loads it; diagnosis_apply() checks a
 * set of answers against the catalog and the person's experience records and
 * sets them; diagnosis_commit() writes them in the transaction diagnosis_begin()
 * began. A form with an invalid field is shown again with everything sent and
 * the error beside the field, and nothing is saved. Answers are saved as rater
 * self with the user's login as the actor. Once submitted (or approved) the
 * answers are read-only until a reviewer returns the assessment. */
#include "review.h"
#include "web.h"
#include "web_access.h"
#include "web_pages.h"
#include "web_kit.h"
#include "web_diagnosis_int.h"
#include "html.h"
#include "web_json.h"
#include "assessment.h"
#include "assessment_json.h"
#include "catalog.h"
#include "json.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Field errors: what pages show beside fields and the API names ------------------ */


/* Adds an error about field (both strings copied into request memory). */
void add_error(web_request *r, field_errors *errs, const char *field, const char *message)
{
    if (errs->count == errs->cap) {
        size_t cap = errs->cap ? errs->cap * 2 : 8;
        field_error *items = web_alloc(r, cap * sizeof *items);
        if (errs->count)
            memcpy(items, errs->items, errs->count * sizeof *items);
        errs->items = items;
        errs->cap = cap;
    }
    errs->items[errs->count].field = web_strdup(r, field ? field : "");
    errs->items[errs->count].message = web_strdup(r, message);
    errs->count++;
}

/* The same with message key and a detail appended: "message: detail". */
void add_error_detail(web_request *r, field_errors *errs, const char *field, const char *key,
                      const char *detail)
{
    buf b;
    buf_init(&b);
    buf_puts(&b, web_t(r, key));
    if (detail) {
        buf_puts(&b, ": ");
        buf_puts(&b, detail);
    }
    add_error(r, errs, field, b.data);
    buf_free(&b);
}

/* The first error about field, or NULL. */
static const char *error_of(const field_errors *errs, const char *field)
{
    for (size_t i = 0; errs && i < errs->count; i++)
        if (strcmp(errs->items[i].field, field) == 0)
            return errs->items[i].message;
    return NULL;
}

/* ---- Opening the diagnosis ----------------------------------------------------------- */


/* Frees an assessment when the request ends (web_defer). */
static void free_assessment(void *p)
{
    assessment_free(p);
}


/* The assessment of d's person in the cycle in force (d->cycle_id set): its id
 * and status into d, made first when mode is OPEN_WRITE and there is none. 1, or
 * 0 after answering (409 when it is for another catalog version or handed in
 * and mode is OPEN_WRITE, 503). */
static int open_assessment(web_request *r, diagnosis *d, int mode, err *e)
{
    store_assessment sa;
    memset(&sa, 0, sizeof sa);
    int found = store_assessment_find(d->db, d->person_id, d->cycle_id, &sa, e);
    if (found < 0) {
        web_store_failed(r, "assessment", e);
        return 0;
    }
    int other_catalog = found == 1 && (strcmp(sa.catalog_id, catalog_id(d->cat)) != 0
                                       || strcmp(sa.catalog_version, catalog_version(d->cat)) != 0);
    if (found == 1) {
        d->assessment_id = sa.id;
        d->status = sa.status;
    }
    store_assessment_clear(&sa);
    if (other_catalog) {
        web_reply_error(r, 409, "catalog_mismatch", web_t(r, "diag.other_catalog"), NULL);
        return 0;
    }
    if (mode == OPEN_WRITE && (d->status == ASSESSMENT_SUBMITTED || d->status == ASSESSMENT_APPROVED)) {
        web_reply_error(r, 409, "closed", web_t(r, d->status == ASSESSMENT_APPROVED ? "diag.approved_closed"
                                                                                    : "diag.submitted_closed"),
                        NULL);
        return 0;
    }
    if (mode == OPEN_WRITE && !d->assessment_id
        && store_assessment_ensure(d->db, d->person_id, d->cycle_id, catalog_id(d->cat), catalog_version(d->cat),
                                   r->user->login, &d->assessment_id, NULL, e) < 0) {
        web_store_failed(r, "create assessment", e);
        return 0;
    }
    return 1;
}

/* Finds the user's person, the cycle in force and the assessment, and loads it.
 * OPEN_WRITE begins a transaction (ended by diagnosis_commit, or rolled back when
 * the request ends), creates the assessment when there is none, and refuses
 * (409) when no cycle is open or the answers are closed. Returns 0, or -1 after
 * answering. The catalog must be the one the database uses. */
int diagnosis_begin(web_request *r, diagnosis *d, int mode)
{
    memset(d, 0, sizeof *d);
    d->cat = web_catalog(r);
    if (!d->cat)
        return -1;
    if (web_own_person(r, &d->person_id) < 0)
        return -1;
    d->db = web_store(r);
    if (!d->db)
        return -1;

    err e;
    memset(&e, 0, sizeof e);
    char *cat_id = NULL, *cat_version = NULL;
    int have = store_catalog_current(d->db, &cat_id, &cat_version, &e);
    int same = have == 1 && strcmp(cat_id, catalog_id(d->cat)) == 0 && strcmp(cat_version, catalog_version(d->cat)) == 0;
    free(cat_id);
    free(cat_version);
    if (have < 0) {
        web_store_failed(r, "catalog in use", &e);
        return -1;
    }
    if (!same) {
        web_reply_error(r, 503, "catalog_mismatch", web_t(r, "diag.catalog_mismatch"), NULL);
        return -1;
    }
    if (mode == OPEN_WRITE) {
        if (store_begin(d->db, &e) < 0) {
            web_store_failed(r, "begin", &e);
            return -1;
        }
        d->in_transaction = 1;
    }

    store_person p;
    memset(&p, 0, sizeof p);
    int found = store_person_get(d->db, d->person_id, &p, &e);
    if (found != 1) {
        store_person_clear(&p);
        if (found < 0)
            web_store_failed(r, "person", &e);
        else
            web_reply_error(r, 403, "no_person", web_t(r, "diag.no_person"), NULL);
        return -1;
    }
    d->employee_number = web_strdup(r, p.employee_number);
    d->person_name = web_strdup(r, p.name);
    store_person_clear(&p);

    store_cycle cy;
    memset(&cy, 0, sizeof cy);
    found = store_cycle_current(d->db, NULL, &cy, &e);
    if (found < 0) {
        web_store_failed(r, "cycle in force", &e);
        return -1;
    }
    if (found == 1) {
        d->cycle_id = cy.id;
        d->cycle_name = web_strdup(r, cy.name);
        d->cycle_opens = web_strdup(r, cy.opens);
        d->cycle_closes = web_strdup(r, cy.closes);
    }
    store_cycle_clear(&cy);
    if (!d->cycle_id && mode == OPEN_WRITE) {
        web_reply_error(r, 409, "no_cycle", web_t(r, "diag.no_cycle"), NULL);
        return -1;
    }

    if (d->cycle_id && !open_assessment(r, d, mode, &e))
        return -1;

    if (d->assessment_id) {
        found = store_assessment_load(d->db, d->assessment_id, &d->a, &e);
        if (found != 1) {
            web_store_failed(r, "load assessment", &e);
            return -1;
        }
        web_defer(r, free_assessment, d->a);
        d->status = d->a->status;
        return 0;
    }
    /* None yet: an empty draft with the person's experience records. */
    d->a = assessment_new(d->employee_number, d->person_name, d->cycle_name, catalog_id(d->cat),
                          catalog_version(d->cat));
    web_defer(r, free_assessment, d->a);
    store_experience_list xs;
    memset(&xs, 0, sizeof xs);
    if (store_experience_list_person(d->db, d->person_id, &xs, &e) < 0) {
        web_store_failed(r, "experience", &e);
        return -1;
    }
    for (size_t i = 0; i < xs.count; i++)
        assessment_add_experience(d->a, &xs.items[i].x);
    store_experience_list_free(&xs);
    d->status = ASSESSMENT_DRAFT;
    return 0;
}

/* Writes d->a's answers and ends the transaction diagnosis_begin began. Returns
 * 0, or -1 after answering 503 (nothing written). */
int diagnosis_commit(web_request *r, diagnosis *d)
{
    err e;
    memset(&e, 0, sizeof e);
    if (store_assessment_save_answers(d->db, d->assessment_id, d->a, r->user->login, &e) < 0
        || store_commit(d->db, &e) < 0) {
        web_store_failed(r, "save answers", &e);
        return -1;
    }
    d->in_transaction = 0;
    return 0;
}

/* Undoes the transaction diagnosis_begin began (nothing is written). */
void diagnosis_cancel(diagnosis *d)
{
    if (d->in_transaction && d->db)
        store_rollback(d->db, NULL);
    d->in_transaction = 0;
}

/* ---- Applying answers (pages and API alike) ------------------------------------------- */


/* Is e something a person answers? */
static int answerable(const catalog_element *e)
{
    return e->kind == CK_RESPONSIBILITY || e->kind == CK_CHECK_ITEM || e->kind == CK_PROFICIENCY
           || e->kind == CK_KNOWLEDGE_ITEM;
}

/* Checks each input against the catalog and the person's experience records and
 * sets the valid ones as self answers of d->a (an invalid one leaves the answer
 * as it was). Returns how many errors were added to errs. */
size_t diagnosis_apply(web_request *r, diagnosis *d, const answer_input *in, size_t n, field_errors *errs)
{
    size_t before = errs->count;
    char value_text[32];
    for (size_t i = 0; i < n; i++) {
        const answer_input *x = &in[i];
        catalog_element e;
        size_t errors = errs->count;
        if (!x->element_id || !catalog_find(d->cat, x->element_id, &e)) {
            add_error_detail(r, errs, x->field, "diag.err.unknown_element", x->element_id);
            continue;
        }
        if (!answerable(&e)) {
            add_error_detail(r, errs, x->field, "diag.err.not_answerable", x->element_id);
            continue;
        }
        int is_rating = e.kind == CK_KNOWLEDGE_ITEM;
        snprintf(value_text, sizeof value_text, "%d", x->value);
        if (x->value != -1 && (x->value < 0 || x->value > (is_rating ? ASSESS_RATING_MAX : 1)))
            add_error_detail(r, errs, x->field, is_rating ? "diag.err.rating" : "diag.err.met", value_text);
        if (is_rating && x->n_evidence)
            add_error_detail(r, errs, x->field, "diag.err.evidence_on_knowledge", x->element_id);
        /* Each record once: marked by its place among the person's records, so
         * that a list of n ids costs n look-ups and at most n errors (comparing
         * every pair added an error per equal pair: n^2 of them). */
        char *seen = x->n_evidence ? web_alloc(r, d->a->n_experience + 1) : NULL;
        for (size_t k = 0; k < x->n_evidence; k++) {
            const assessment_experience *rec = x->evidence[k] ? assessment_find_experience(d->a, x->evidence[k])
                                                              : NULL;
            if (!rec) {
                add_error_detail(r, errs, x->field, "diag.err.not_your_record", x->evidence[k]);
                continue;
            }
            if (seen[rec - d->a->experience])
                add_error_detail(r, errs, x->field, "diag.err.record_twice", x->evidence[k]);
            seen[rec - d->a->experience] = 1;
        }
        if (errs->count != errors)
            continue;
        if (x->value == -1)
            assessment_remove_answer(d->a, e.id, RATER_SELF);
        else
            assessment_set_answer(d->a, e.id, RATER_SELF, x->value, x->evidence, x->n_evidence);
    }
    return errs->count - before;
}

/* How many self answers d->a has. */
size_t self_answers(const assessment *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_answers; i++)
        n += a->answers[i].rater == RATER_SELF;
    return n;
}

/* ---- Walking a specialization's elements ----------------------------------------------- */

/* What a specialization's diagnosis asks, counted. */
typedef struct spec_progress {
    int achievement, achievement_answered;
    int proficiency, proficiency_answered;
    int knowledge, knowledge_answered;
    int own_answered;             /* answered elements of the specialization's own (not common) blocks */
} spec_progress;

/* Is element id answered by self in a? */
int answered(const assessment *a, const char *id)
{
    return assessment_get_answer(a, id, RATER_SELF) != NULL;
}

/* Counts the elements of spec and those a answers. */
static void count_progress(const catalog *c, const catalog_spec *spec, const assessment *a, spec_progress *p)
{
    int lo, hi;
    memset(p, 0, sizeof *p);
    catalog_spec_level_range(c, spec, &lo, &hi);
    for (int l = lo; l <= hi; l++) {
        const catalog_level *lv = catalog_level_of(c, spec, l);
        if (!lv)
            continue;
        int before = p->achievement_answered;
        p->achievement++;
        p->achievement_answered += answered(a, lv->responsibility.id);
        for (int k = 0; k < CRITERION_KINDS; k++)
            for (size_t i = 0; i < lv->criteria[k].n_items; i++) {
                p->achievement++;
                p->achievement_answered += answered(a, lv->criteria[k].items[i].id);
            }
        if (lv->owner == spec)
            p->own_answered += p->achievement_answered - before;
    }
    for (size_t ai = 0; ai < catalog_area_count(c); ai++) {
        const catalog_area *area = catalog_area_at(c, ai);
        for (int l = lo; l <= hi; l++) {
            const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, l);
            const catalog_proficiency *pr = sa ? catalog_proficiency_at(sa, l) : NULL;
            if (!pr)
                continue;
            int yes = answered(a, pr->id);
            p->proficiency++;
            p->proficiency_answered += yes;
            p->own_answered += yes && sa->owner == spec;
        }
        const catalog_spec_area *sas[8];
        size_t n = catalog_spec_area_blocks(c, spec, area, sas, 8);
        for (size_t b = 0; b < n; b++)
            for (size_t k = 0; k < sas[b]->n_knowledge; k++)
                for (size_t j = 0; j < sas[b]->knowledge[k].n_items; j++) {
                    int yes = answered(a, sas[b]->knowledge[k].items[j].id);
                    p->knowledge++;
                    p->knowledge_answered += yes;
                    p->own_answered += yes && sas[b]->owner == spec;
                }
    }
}

size_t diagnosis_unanswered(web_request *r, const diagnosis *d, unanswered_spec **out)
{
    size_t n_specs = catalog_spec_count(d->cat), n = 0;
    spec_progress *p = web_alloc(r, (n_specs + 1) * sizeof *p);
    int any_own = 0;
    for (size_t i = 0; i < n_specs; i++) {
        const catalog_spec *s = catalog_spec_at(d->cat, i);
        if (s->is_common)
            memset(&p[i], 0, sizeof p[i]);
        else
            count_progress(d->cat, s, d->a, &p[i]);
        any_own |= p[i].own_answered > 0;
    }
    *out = web_alloc(r, (n_specs + 1) * sizeof **out);
    for (size_t i = 0; i < n_specs; i++) {
        const spec_progress *x = &p[i];
        int covered = any_own ? x->own_answered > 0
                              : x->achievement_answered + x->proficiency_answered + x->knowledge_answered > 0;
        int missing = (x->achievement - x->achievement_answered) + (x->proficiency - x->proficiency_answered)
                      + (x->knowledge - x->knowledge_answered);
        if (covered && missing > 0)
            (*out)[n++] = (unanswered_spec){ catalog_spec_at(d->cat, i), x->achievement - x->achievement_answered,
                                             x->proficiency - x->proficiency_answered,
                                             x->knowledge - x->knowledge_answered };
    }
    return n;
}

/* The specialization named by :spec (not a block of common levels), or NULL
 * after answering 404. */
static const catalog_spec *path_spec(web_request *r, const catalog *c)
{
    const char *name = web_path_param(r, "spec");
    const catalog_spec *s = name ? catalog_spec_find(c, name) : NULL;
    if (!s || s->is_common) {
        web_reply_error(r, 404, "not_found", web_t(r, "std.no_such_spec"), "spec");
        return NULL;
    }
    return s;
}

/* ---- Page pieces ------------------------------------------------------------------------ */

/* The status badge of an assessment. */
static void put_status(web_request *r, assessment_status s)
{
    char key[48];
    snprintf(key, sizeof key, "diag.status.%s", assessment_status_name(s));
    html_printf(r->out, "<span class=\"badge %s\">%s</span>", assessment_status_name(s), web_t(r, key));
}

/* Who, which cycle, which status; the notices of the page. */
static void put_head(web_request *r, const diagnosis *d, const char *title)
{
    html_printf(r->out, "<h1>%s</h1>\n<dl class=\"facts diagnosis-facts\"><dt>%s</dt><dd>%s %s</dd><dt>%s</dt><dd>",
                title, web_t(r, "diag.person"), d->employee_number, d->person_name, web_t(r, "diag.cycle"));
    if (d->cycle_id)
        html_printf(r->out, "%s <small>(%s – %s)</small>", d->cycle_name, d->cycle_opens, d->cycle_closes);
    else
        html_printf(r->out, "%s", web_t(r, "diag.no_cycle_short"));
    html_printf(r->out, "</dd><dt>%s</dt><dd>", web_t(r, "diag.status"));
    put_status(r, d->status);
    html_raw(r->out, "</dd></dl>\n");
    if (!d->cycle_id)
        html_message(r, "notice", web_t(r, "diag.no_cycle"));
    else if (d->status == ASSESSMENT_SUBMITTED)
        html_message(r, "notice", web_t(r, "diag.submitted_closed"));
    else if (d->status == ASSESSMENT_APPROVED)
        html_message(r, "notice", web_t(r, "diag.approved_closed"));
    else if (d->status == ASSESSMENT_RETURNED) {
        html_message(r, "notice", web_t(r, "diag.returned"));
        web_official_return_reason(r, d->person_id, d->assessment_id);
    }
}

/* The list of errors at the top of a form, each linking to its field. */
static void put_error_summary(web_request *r, const field_errors *errs)
{
    if (!errs || !errs->count)
        return;
    html_printf(r->out, "<div class=\"message error\" role=\"alert\"><p>%s</p><ul>\n", web_t(r, "diag.fix_errors"));
    for (size_t i = 0; i < errs->count; i++)
        html_printf(r->out, "<li><a href=\"#f-%s\">%s</a></li>\n", errs->items[i].field, errs->items[i].message);
    html_raw(r->out, "</ul></div>\n");
}

/* Can the answers be changed now? */
static int editable(const diagnosis *d)
{
    return d->cycle_id && d->status != ASSESSMENT_SUBMITTED && d->status != ASSESSMENT_APPROVED;
}

/* The tabs between the two forms of a specialization. */
static void put_spec_tabs(web_request *r, const catalog_spec *spec, int skills)
{
    html_printf(r->out, "<nav class=\"tabs no-print\" aria-label=\"%s\"><a href=\"/diagnosis/%s\"", spec->name,
                spec->code);
    if (!skills)
        html_raw(r->out, " aria-current=\"page\"");
    html_printf(r->out, ">%s</a><a href=\"/diagnosis/%s/skills\"", web_t(r, "diag.achievement_tab"), spec->code);
    if (skills)
        html_raw(r->out, " aria-current=\"page\"");
    html_printf(r->out, ">%s</a><a href=\"/standard/%s\">%s</a></nav>\n", web_t(r, "diag.skills_tab"), spec->code,
                web_t(r, "diag.standard_tab"));
}

/* The filter of a form page: every element, or the unanswered ones only
 * (issue 12, Missing 3). */
static void put_filter(web_request *r, const diagnosis *d, const catalog_spec *spec, int skills)
{
    const char *path = web_text_tpl(r, skills ? "/diagnosis/{1}/skills" : "/diagnosis/{1}", spec->code, NULL);
    html_printf(r->out, "<p class=\"answer-filter no-print\">%s: ", web_t(r, "review.show"));
    if (d->only_unanswered)
        html_printf(r->out, "<a href=\"%s\">%s</a> · <strong>%s</strong></p>\n", path, web_t(r, "review.all_rows"),
                    web_t(r, "diag.only_unanswered"));
    else
        html_printf(r->out, "<strong>%s</strong> · <a href=\"%s?only=unanswered\">%s</a></p>\n", web_t(r, "review.all_rows"),
                    path, web_t(r, "diag.only_unanswered"));
}

/* The crumbs: 自己診断 > spec. */
static void put_crumbs(web_request *r, const catalog_spec *spec, const char *last)
{
    html_printf(r->out, "<nav class=\"crumbs no-print\" aria-label=\"%s\"><ol><li><a href=\"/diagnosis\">%s</a></li>",
                web_t(r, "std.crumbs"), web_t(r, "diag.title"));
    if (spec)
        html_printf(r->out, "<li><a href=\"/diagnosis/%s\">%s</a></li>", spec->code, spec->name);
    if (last)
        html_printf(r->out, "<li aria-current=\"page\">%s</li>", last);
    html_raw(r->out, "</ol></nav>\n");
}

/* " disabled" when the answers cannot change now. */
static const char *disabled_attr(const diagnosis *d)
{
    return editable(d) ? "" : " disabled";
}

/* ---- Carry forward (issue 12, Missing 1) ------------------------------------------------ */

#define CARRIED_ACTOR "carried:"   /* the history's actor of an answer carried from the cycle named after it */

/* The person's latest other assessment of the same catalog version with self
 * answers, before d's cycle, into *out (cleared by the caller); 1, 0 when none,
 * -1 on a store error. */
static int previous_assessment(const diagnosis *d, store_assessment *out, err *e)
{
    store_assessment_list l;
    store_assessment_filter f = { .person_id = d->person_id, .status = -1 };
    memset(out, 0, sizeof *out);
    if (store_assessment_list_filter(d->db, &f, &l, e) < 0)
        return -1;
    int found = 0;
    for (size_t i = 0; i < l.count && !found; i++) {
        store_assessment *x = &l.items[i];
        if (x->cycle_id == d->cycle_id || strcmp(x->catalog_id, catalog_id(d->cat)) != 0
            || strcmp(x->catalog_version, catalog_version(d->cat)) != 0 || strcmp(x->cycle, d->cycle_name) == 0)
            continue;
        *out = *x;
        memset(x, 0, sizeof *x);
        found = 1;
    }
    store_assessment_list_free(&l);
    return found;
}

/* The elements of d's assessment whose self answer is still the one carried
 * from the previous cycle (the history's last self value came from the carry),
 * sorted, into *ids (request memory); returns how many. */
static size_t carried_elements(web_request *r, const diagnosis *d, const char ***ids)
{
    *ids = NULL;
    if (!d->assessment_id)
        return 0;
    store_history_list h;
    err e;
    memset(&e, 0, sizeof e);
    if (store_history_list_assessment(d->db, d->assessment_id, &h, &e) < 0)
        return 0;
    const char **out = web_alloc(r, (h.count + 1) * sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i < h.count; i++) {
        const store_history_entry *x = &h.items[i];
        if (!x->element_id || x->rater != RATER_SELF || strcmp(x->field, "value") != 0)
            continue;
        size_t k = 0;
        while (k < n && strcmp(out[k], x->element_id) != 0)
            k++;
        int carried = x->actor && strncmp(x->actor, CARRIED_ACTOR, strlen(CARRIED_ACTOR)) == 0 && x->new_value;
        if (carried && k == n)
            out[n++] = web_strdup(r, x->element_id);
        else if (!carried && k < n)
            out[k] = out[--n];
    }
    store_history_list_free(&h);
    *ids = out;
    return n;
}

/* Is id among the n carried elements? */
static int is_carried(const char **ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

/* On the overview: the offer to start from the previous cycle's answers (while
 * nothing is answered in this one), or how many carried answers are still to
 * be confirmed. */
static void put_carry(web_request *r, const diagnosis *d, size_t n_carried)
{
    if (n_carried) {
        html_raw(r->out, "<div class=\"message notice carried\" role=\"status\"><p>");
        char count[24];
        snprintf(count, sizeof count, "%zu", n_carried);
        web_html_tpl(r->out, web_t(r, "diag.carry.to_confirm"), count, NULL);
        html_raw(r->out, "</p></div>\n");
        return;
    }
    if (!editable(d) || self_answers(d->a))
        return;
    store_assessment prev;
    err e;
    memset(&e, 0, sizeof e);
    if (previous_assessment(d, &prev, &e) == 1) {
        html_printf(r->out, "<section class=\"card carry no-print\"><h2>%s</h2>\n<p>", web_t(r, "diag.carry.title"));
        web_html_tpl(r->out, web_t(r, "diag.carry.offer"), prev.cycle, NULL);
        html_raw(r->out, "</p>\n<form method=\"post\" action=\"/diagnosis/carry\">");
        html_csrf_field(r);
        html_submit(r, web_t(r, "diag.carry.button"));
        html_form_end(r);
        html_raw(r->out, "</section>\n");
    }
    store_assessment_clear(&prev);
}

/* POST /diagnosis/carry  Starts this cycle's diagnosis from the self answers
 * (and their evidence) of the person's previous assessment, kept as carried
 * until changed; the experience records are the person's and stay. Refused
 * (409) once anything is answered in this cycle. */
void web_page_diagnosis_carry(web_request *r)
{
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    store_assessment prev;
    err e;
    memset(&prev, 0, sizeof prev);
    memset(&e, 0, sizeof e);
    int found = self_answers(d.a) ? 0 : previous_assessment(&d, &prev, &e);
    assessment *old = NULL;
    if (found == 1 && store_assessment_load(d.db, prev.id, &old, &e) <= 0)
        found = -1;
    if (found <= 0) {
        diagnosis_cancel(&d);
        if (found < 0)
            web_store_failed(r, "carry", &e);
        else
            web_reply_error(r, 409, "nothing_to_carry", web_t(r, "diag.carry.nothing"), NULL);
        store_assessment_clear(&prev);
        return;
    }
    for (size_t i = 0; i < old->n_answers; i++) {
        const assessment_answer *x = &old->answers[i];
        if (x->rater == RATER_SELF && !assessment_get_answer(d.a, x->element_id, RATER_SELF))
            assessment_set_answer(d.a, x->element_id, RATER_SELF, x->value, (const char **)x->evidence,
                                  x->n_evidence);
    }
    char actor[160];
    snprintf(actor, sizeof actor, CARRIED_ACTOR "%s", prev.cycle);
    assessment_free(old);
    store_assessment_clear(&prev);
    if (store_assessment_save_answers(d.db, d.assessment_id, d.a, actor, &e) < 0 || store_commit(d.db, &e) < 0) {
        web_store_failed(r, "carry", &e);
        return;
    }
    d.in_transaction = 0;
    web_redirect(r, "/diagnosis?carried=1");
}

/* ---- GET /diagnosis ------------------------------------------------------------------------ */

/* What submitting left unanswered: the specializations with their counts and
 * links to their forms; with ask, a form that submits anyway (confirm=1), else
 * the refusal. */
static void put_unanswered(web_request *r, const unanswered_spec *un, size_t n, int ask)
{
    buf *o = r->out;
    html_printf(o, "<section class=\"card unanswered\" id=\"unanswered\" role=\"%s\"><h2>%s</h2>\n<p>%s</p>\n<ul>\n",
                ask ? "status" : "alert", web_t(r, "diag.unanswered.title"),
                web_t(r, ask ? "diag.unanswered.ask" : "diag.unanswered.refused"));
    for (size_t i = 0; i < n; i++)
        html_printf(o, "<li data-spec=\"%s\"><strong>%s</strong>: <a href=\"/diagnosis/%s\">%s %d</a> · "
                       "<a href=\"/diagnosis/%s/skills\">%s %d · %s %d</a></li>\n",
                    un[i].spec->code, un[i].spec->name, un[i].spec->code, web_t(r, "std.achievement"),
                    un[i].achievement, un[i].spec->code, web_t(r, "std.proficiency"), un[i].proficiency,
                    web_t(r, "std.knowledge"), un[i].knowledge);
    html_raw(o, "</ul>\n");
    if (ask) {
        html_raw(o, "<form method=\"post\" action=\"/diagnosis/submit\">");
        html_csrf_field(r);
        html_raw(o, "<input type=\"hidden\" name=\"confirm\" value=\"1\">");
        html_submit(r, web_t(r, "diag.unanswered.submit_anyway"));
        html_form_end(r);
    }
    html_raw(o, "</section>\n");
}

/* The overview: who, the cycle, the status; per specialization what is answered
 * and the links to its forms; the experience records; submit. error (may be
 * NULL) is a refusal of submit, shown at the top; un (n of them) what submitting
 * left unanswered, asked about (ask) or refused. */
static void render_overview(web_request *r, const diagnosis *d, const char *error, const unanswered_spec *un,
                            size_t n, int ask)
{
    const catalog *c = d->cat;
    buf *o = r->out;
    html_begin(r, web_t(r, "diag.title"));
    put_head(r, d, web_t(r, "diag.title"));
    if (error)
        html_message(r, "error", error);
    else if (web_query(r, "submitted") && d->status == ASSESSMENT_SUBMITTED)
        html_message(r, "ok", web_t(r, "diag.submitted"));
    else if (web_query(r, "carried"))
        html_message(r, "ok", web_t(r, "diag.carry.done"));
    const char **carried;
    put_carry(r, d, carried_elements(r, d, &carried));
    if (n)
        put_unanswered(r, un, n, ask);
    if (editable(d))
        html_printf(o, "<p>%s</p>\n", web_t(r, "diag.intro"));

    /* Which specializations the diagnosis covers (issue 12, defect 7): those with an
     * answer of their own; answers of the shared common levels alone do not make
     * a specialization diagnosed. */
    size_t n_specs = catalog_spec_count(c);
    spec_progress *progress = web_alloc(r, (n_specs + 1) * sizeof *progress);
    int any_own = 0;
    for (size_t i = 0; i < n_specs; i++) {
        count_progress(c, catalog_spec_at(c, i), d->a, &progress[i]);
        any_own |= progress[i].own_answered > 0;
    }
    html_printf(o, "<p class=\"covered\">%s: ", web_t(r, "diag.covered"));
    int listed = 0;
    for (size_t i = 0; i < n_specs; i++) {
        const spec_progress *p = &progress[i];
        int done = p->achievement_answered + p->proficiency_answered + p->knowledge_answered;
        if (any_own ? p->own_answered > 0 : done > 0)
            html_printf(o, "%s<strong data-spec=\"%s\">%s</strong>", listed++ ? "、" : "", catalog_spec_at(c, i)->code,
                        catalog_spec_at(c, i)->name);
    }
    if (!listed)
        html_printf(o, "%s", web_t(r, "diag.covered_none"));
    html_raw(o, "</p>\n");
    html_printf(o, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"diagnosis-progress\">\n<thead><tr><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th>"
                   "<th class=\"no-print\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "std.specialization"), web_t(r, "std.achievement"), web_t(r, "std.proficiency"),
                web_t(r, "std.knowledge"), web_t(r, "diag.progress"), web_t(r, "diag.forms"));
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        spec_progress p = progress[i];
        int done = p.achievement_answered + p.proficiency_answered + p.knowledge_answered;
        int all = p.achievement + p.proficiency + p.knowledge;
        int common_only = any_own && !p.own_answered && done > 0;
        const char *state = common_only ? "diag.state.common_only" : done == 0 ? "diag.state.none"
                          : done < all ? "diag.state.partial" : "diag.state.done";
        html_printf(o, "<tr data-spec=\"%s\" data-state=\"%s\"><td>", s->code, state + 11);
        html_printf(o, "<a href=\"/diagnosis/%s\">%s</a></td><td class=\"num\">%d / %d</td>"
                       "<td class=\"num\">%d / %d</td><td class=\"num\">%d / %d</td>"
                       "<td><progress max=\"%d\" value=\"%d\">%d / %d</progress> %s</td>"
                       "<td class=\"no-print\"><a href=\"/diagnosis/%s\">%s</a> · <a href=\"/diagnosis/%s/skills\">%s</a></td></tr>\n",
                    s->code, s->name, p.achievement_answered, p.achievement, p.proficiency_answered, p.proficiency,
                    p.knowledge_answered, p.knowledge, all, done, done, all, web_t(r, state), s->code,
                    web_t(r, "diag.achievement_tab"), s->code, web_t(r, "diag.skills_tab"));
    }
    html_raw(o, "</tbody></table></div>\n");
    html_printf(o, "<p class=\"hint\">%s</p>\n", web_t(r, "diag.common_hint"));
    const web_route *results = web_route_find("GET", "/results", NULL);
    if (results && (results->roles & r->user->role))
        html_printf(o, "<p class=\"no-print\"><a href=\"/results\">%s</a></p>\n", web_t(r, "diag.see_results"));

    html_printf(o, "<section class=\"card\"><h2>%s</h2>\n<p>%s: %zu</p>\n<p class=\"no-print\"><a href=\"/experience\">%s</a>",
                web_t(r, "exp.title"), web_t(r, "exp.count"), d->a->n_experience, web_t(r, "exp.list"));
    if (editable(d))
        html_printf(o, " · <a href=\"/experience/new\">%s</a>", web_t(r, "exp.add"));
    html_raw(o, "</p>\n</section>\n");

    if (editable(d)) {
        html_printf(o, "<section class=\"card no-print\"><h2>%s</h2>\n<p>%s</p>\n", web_t(r, "diag.submit"),
                    web_t(r, "diag.submit_intro"));
        html_printf(o, "<form method=\"post\" action=\"/diagnosis/submit\" data-confirm=\"%s\">",
                    web_t(r, "diag.submit_confirm"));
        html_csrf_field(r);
        html_submit(r, web_t(r, "diag.submit_button"));
        html_form_end(r);
        html_raw(o, "</section>\n");
    }
    html_end(r);
}

/* GET /diagnosis  The user's own diagnosis in the cycle in force. */
void web_page_diagnosis(web_request *r)
{
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_READ) < 0)
        return;
    render_overview(r, &d, NULL, NULL, 0, 0);
}

/* POST /diagnosis/submit[confirm=1]  Hands the answers in: draft or returned ->
 * submitted. Refused (409, shown on the overview) when nothing is answered or
 * the answers are already handed in. While elements of the specializations the
 * diagnosis covers are unanswered, the overview lists them and asks (without
 * confirm=1), or refuses (409) when the policy's submission.unanswered says so. */
void web_page_diagnosis_submit(web_request *r)
{
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    if (!self_answers(d.a)) {
        diagnosis_cancel(&d);
        r->res.status = 409;
        render_overview(r, &d, web_t(r, "diag.nothing_answered"), NULL, 0, 0);
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
    const char *confirm = web_form(r, "confirm");
    if (n_un && (refuse || !confirm || strcmp(confirm, "1") != 0)) {
        diagnosis_cancel(&d);
        r->res.status = refuse ? 409 : 200;
        render_overview(r, &d, NULL, un, n_un, !refuse);
        return;
    }
    err e;
    memset(&e, 0, sizeof e);
    if (review_submit(d.db, d.assessment_id, r->user->login, &e) < 0
        || store_commit(d.db, &e) < 0) {
        web_store_failed(r, "submit", &e);
        return;
    }
    web_redirect(r, "/diagnosis?submitted=1");
}

/* ---- GET/POST /diagnosis/:spec: the achievement indicators ------------------------------------ */

/* Does record x count for the levels of block (a specialization, or a block of
 * common levels through the specializations sharing it)? */
static int record_counts_for(const assessment_experience *x, const catalog_spec *block)
{
    if (!block->is_common)
        return strcmp(x->specialization_id, block->id) == 0;
    for (size_t j = 0; j < block->n_shared_by; j++)
        if (strcmp(x->specialization_id, block->shared_by[j]->id) == 0)
            return 1;
    return 0;
}

/* Does record x list item_id among the items it demonstrates? */
static int record_shows(const assessment_experience *x, const char *item_id)
{
    for (size_t i = 0; i < x->n_complexity_items; i++)
        if (strcmp(x->complexity_items[i], item_id) == 0)
            return 1;
    for (size_t i = 0; i < x->n_size_items; i++)
        if (strcmp(x->size_items[i], item_id) == 0)
            return 1;
    return 0;
}

/* Is record id among the evidence of answer ans? */
int is_evidence(const assessment_answer *ans, const char *id)
{
    for (size_t i = 0; ans && i < ans->n_evidence; i++)
        if (strcmp(ans->evidence[i], id) == 0)
            return 1;
    return 0;
}

/* One experience record in a line: project (from–to) spec level, failed. */
static void put_record_label(web_request *r, const catalog *c, const assessment_experience *x)
{
    catalog_element el;
    const char *code = catalog_find(c, x->specialization_id, &el) && el.spec ? el.spec->code : x->specialization_id;
    char lv[32];
    web_level_label(r, x->level, lv, sizeof lv);
    html_printf(r->out, "%s <small>(%s – %s, %s %s)</small>", x->project, x->period_from ? x->period_from : "",
                x->period_to ? x->period_to : "", code, lv);
    if (!x->succeeded)
        html_printf(r->out, " <span class=\"badge returned\">%s</span>", web_t(r, "exp.failed"));
}

/* The evidence choices of a complexity or size item: the records that count for
 * its level (those that list the item first, marked), and any linked already. */
static void put_evidence(web_request *r, const diagnosis *d, const catalog_level *lv, const char *item_id,
                         const field_errors *errs)
{
    const assessment *a = d->a;
    const assessment_answer *ans = assessment_get_answer(a, item_id, RATER_SELF);
    char field[160];
    snprintf(field, sizeof field, "ev.%s", item_id);
    const char *error = error_of(errs, field);
    size_t shown = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < a->n_experience; i++) {
            const assessment_experience *x = &a->experience[i];
            int shows = record_shows(x, item_id);
            int linked = is_evidence(ans, x->id);
            if (!(record_counts_for(x, lv->owner) || linked) || (pass == 0) != (shows != 0))
                continue;
            if (!shown++)
                html_printf(r->out, "<fieldset class=\"evidence%s\" id=\"f-%s\"><legend>%s</legend>\n",
                            error ? " invalid" : "", field, web_t(r, "diag.evidence"));
            html_printf(r->out, "<label class=\"choice small\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s%s> ",
                        field, x->id, linked ? " checked" : "", disabled_attr(d));
            put_record_label(r, d->cat, x);
            if (shows)
                html_printf(r->out, " <span class=\"badge level\">%s</span>", web_t(r, "diag.record_shows"));
            html_raw(r->out, "</label>\n");
        }
    }
    if (shown) {
        if (error)
            html_printf(r->out, "<p class=\"error\">%s</p>\n", error);
        html_raw(r->out, "</fieldset>\n");
    } else if (error) {
        html_printf(r->out, "<p class=\"error\" id=\"f-%s\">%s</p>\n", field, error);
    }
}

/* One answerable achievement element as a radio group a.ID: 該当 (1), 該当しない
 * (0) or 未回答 (empty), the stored answer checked. */
static void put_met_item(web_request *r, const diagnosis *d, const char *mark, const char *id, const char *text)
{
    static const struct { int value; const char *sent, *key; } states[] = {
        { 1, "1", "diag.answer.met" }, { 0, "0", "diag.answer.not_met" }, { -1, "", "diag.answer.none" } };
    const assessment_answer *ans = assessment_get_answer(d->a, id, RATER_SELF);
    int now = ans ? (ans->value ? 1 : 0) : -1;
    int carried = ans && is_carried(d->carried, d->n_carried, id);
    html_printf(r->out, "<div class=\"choice item answer-item%s%s\" id=\"f-%s\" role=\"radiogroup\" "
                        "aria-labelledby=\"t-%s\"><span class=\"text\" id=\"t-%s\"><span class=\"mark\" "
                        "aria-hidden=\"true\">%s</span>%s</span><span class=\"id\">%s</span>",
                now < 0 ? " is-unanswered" : "", carried ? " is-carried" : "", id, id, id, mark, text, id);
    if (carried)
        html_printf(r->out, "<span class=\"badge carried\">%s</span>", web_t(r, "diag.carry.mark"));
    html_raw(r->out, "<span class=\"scale answer-states\">");
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        html_printf(r->out, "<label><input type=\"radio\" name=\"a.%s\" value=\"%s\"%s%s><span>%s</span></label>", id,
                    states[i].sent, now == states[i].value ? " checked" : "", disabled_attr(d),
                    web_t(r, states[i].key));
    html_raw(r->out, "</span></div>\n");
}

/* The start of a diagnosis form: posted by its save button, and by itss.js after
 * each change while the answers can change (autosave, issue 12 defect 4), with
 * the texts the script shows. */
static void put_form_start(web_request *r, const diagnosis *d, const char *action)
{
    html_printf(r->out, "<form method=\"post\" action=\"%s\" data-warn-unsaved", action);
    if (editable(d))
        html_printf(r->out, " data-autosave data-msg-saving=\"%s\" data-msg-saved=\"%s\" data-msg-expired=\"%s\" "
                            "data-msg-failed=\"%s\" data-msg-restored=\"%s\" data-msg-login=\"%s\"",
                    web_t(r, "diag.autosave.saving"), web_t(r, "diag.autosave.saved"),
                    web_t(r, "diag.autosave.expired"), web_t(r, "diag.autosave.failed"),
                    web_t(r, "diag.autosave.restored"), web_t(r, "login.title"));
    html_raw(r->out, ">");
}

/* The form of the achievement indicators of spec, level by level; errs (may be
 * NULL) beside their fields. */
static void render_achievement(web_request *r, const diagnosis *d, const catalog_spec *spec, const field_errors *errs)
{
    const catalog *c = d->cat;
    buf *o = r->out;
    char title[256];
    snprintf(title, sizeof title, "%s: %s", web_t(r, "diag.title"), spec->name);
    html_begin(r, title);
    put_crumbs(r, spec, web_t(r, "diag.achievement_tab"));
    put_head(r, d, title);
    put_spec_tabs(r, spec, 0);
    put_filter(r, d, spec, 0);
    if (errs && errs->count)
        put_error_summary(r, errs);
    else if (web_query(r, "saved"))
        html_message(r, "ok", web_t(r, "diag.saved"));
    html_printf(o, "<p>%s</p>\n", web_t(r, "diag.achievement_intro"));

    int lo, hi;
    catalog_spec_level_range(c, spec, &lo, &hi);
    html_printf(o, "<nav class=\"level-links no-print\" aria-label=\"%s\"><ul>", web_t(r, "std.levels"));
    for (int l = lo; l <= hi; l++) {
        char lv[32];
        web_level_label(r, l, lv, sizeof lv);
        if (catalog_level_of(c, spec, l))
            html_printf(o, "<li><a class=\"badge\" href=\"#level-%d\">%s</a></li>", l, lv);
    }
    html_raw(o, "</ul></nav>\n");

    size_t own_records = 0;
    for (size_t i = 0; i < d->a->n_experience; i++)
        own_records += strcmp(d->a->experience[i].specialization_id, spec->id) == 0;
    html_printf(o, "<p class=\"hint\">%s: %zu", web_t(r, "diag.records_of_spec"), own_records);
    if (editable(d))
        html_printf(o, " · <a href=\"/experience/new?specialization=%s&amp;back=/diagnosis/%s\">%s</a>", spec->id,
                    spec->code, web_t(r, "exp.add"));
    html_raw(o, "</p>\n");

    char action[96];
    snprintf(action, sizeof action, "/diagnosis/%s", spec->code);
    put_form_start(r, d, action);
    html_csrf_field(r);
    for (int l = lo; l <= hi; l++) {
        const catalog_level *lv = catalog_level_of(c, spec, l);
        if (!lv)
            continue;
        char lvname[32];
        web_level_label(r, l, lvname, sizeof lvname);
        html_printf(o, "<fieldset class=\"level card\" id=\"level-%d\"><legend>%s %s</legend>\n", l, spec->name, lvname);
        if (lv->owner != spec)
            html_printf(o, "<p class=\"hint\">%s: %s <span class=\"id\">%s</span></p>\n", web_t(r, "diag.common_level"),
                        lv->owner->name, lv->id);
        html_printf(o, "<h3 class=\"std-head\">●%s：</h3>\n", web_t(r, "std.responsibility"));
        if (!d->only_unanswered || !answered(d->a, lv->responsibility.id))
            put_met_item(r, d, "－", lv->responsibility.id, lv->responsibility.text);
        for (int k = 0; k < CRITERION_KINDS; k++) {
            const catalog_criterion *cr = &lv->criteria[k];
            html_printf(o, "<h3 class=\"std-head\">●%s：</h3>\n<p class=\"lead\">－%s</p>\n",
                        web_criterion_label(r, (catalog_criterion_kind)k), cr->lead);
            for (size_t i = 0; i < cr->n_items; i++) {
                if (d->only_unanswered && answered(d->a, cr->items[i].id))
                    continue;
                html_raw(o, "<div class=\"item-block\">\n");
                put_met_item(r, d, "", cr->items[i].id, cr->items[i].text);
                if (k != CRITERION_TASK)
                    put_evidence(r, d, lv, cr->items[i].id, errs);
                html_raw(o, "</div>\n");
            }
            for (size_t i = 0; i < cr->n_notes; i++)
                html_printf(o, "<p class=\"criterion-note\"><small>%s</small></p>\n", cr->notes[i].text);
        }
        html_raw(o, "</fieldset>\n");
    }
    const char *met_error = error_of(errs, "met");
    if (met_error)
        html_printf(o, "<p class=\"error\" id=\"f-met\">%s</p>\n", met_error);
    if (editable(d))
        html_printf(o, "<div class=\"form-actions\"><button type=\"submit\">%s</button></div>\n", web_t(r, "diag.save"));
    html_form_end(r);
    html_end(r);
}

/* GET /diagnosis/:spec  The achievement indicators of spec to tick. */
void web_page_diagnosis_spec(web_request *r)
{
    diagnosis d;
    const catalog *c = web_catalog(r);
    const catalog_spec *spec = c ? path_spec(r, c) : NULL;
    if (!spec || diagnosis_begin(r, &d, OPEN_READ) < 0)
        return;
    d.n_carried = carried_elements(r, &d, &d.carried);
    d.only_unanswered = web_query(r, "only") && strcmp(web_query(r, "only"), "unanswered") == 0;
    render_achievement(r, &d, spec, NULL);
}

/* Is id one of the achievement elements of spec? */
static int achievement_of(const catalog *c, const catalog_spec *spec, const char *id)
{
    catalog_element e;
    if (!catalog_find(c, id, &e) || (e.kind != CK_RESPONSIBILITY && e.kind != CK_CHECK_ITEM))
        return 0;
    return catalog_level_of(c, spec, e.level->level) == e.level;
}

/* Is value among the form's values of name? One pass over the form. */
static int form_has(const web_request *r, const char *name, const char *value)
{
    for (size_t i = 0; i < r->form.count; i++)
        if (strcmp(r->form.items[i].name, name) == 0 && strcmp(r->form.items[i].value, value) == 0)
            return 1;
    return 0;
}

/* The values of the form's field name in order (request memory) and, in *n, how
 * many: one pass over the form, where web_form_nth for each value would take a
 * pass per value (a body of a megabyte holds 100,000 fields). */
static const char **form_values(web_request *r, const char *name, size_t *n)
{
    size_t count = web_form_count(r, name), k = 0;
    const char **values = web_alloc(r, (count + 1) * sizeof *values);
    for (size_t i = 0; i < r->form.count && k < count; i++)
        if (strcmp(r->form.items[i].name, name) == 0)
            values[k++] = r->form.items[i].value;
    *n = k;
    return values;
}

/* The inputs of the achievement form: every element of spec's levels the form
 * answers (a.ID = 1 該当, 0 該当しない, empty 未回答; met=ID, as older forms sent,
 * is 該当), with the records ticked under it. An element the form does not
 * answer keeps its answer. Unknown ids are errors. */
static answer_input *achievement_inputs(web_request *r, const diagnosis *d, const catalog_spec *spec, size_t *n,
                                        field_errors *errs)
{
    const catalog *c = d->cat;
    int lo, hi;
    size_t cap = 64, count = 0;
    answer_input *in = web_alloc(r, cap * sizeof *in);
    catalog_spec_level_range(c, spec, &lo, &hi);
    for (int l = lo; l <= hi; l++) {
        const catalog_level *lv = catalog_level_of(c, spec, l);
        if (!lv)
            continue;
        for (int k = -1; k < CRITERION_KINDS; k++) {
            size_t items = k < 0 ? 1 : lv->criteria[k].n_items;
            for (size_t i = 0; i < items; i++) {
                const char *id = k < 0 ? lv->responsibility.id : lv->criteria[k].items[i].id;
                if (count == cap) {
                    answer_input *more = web_alloc(r, cap * 2 * sizeof *more);
                    memcpy(more, in, cap * sizeof *in);
                    in = more;
                    cap *= 2;
                }
                char field[160], radio[160];
                snprintf(field, sizeof field, "ev.%s", id);
                snprintf(radio, sizeof radio, "a.%s", id);
                const char *state = web_form(r, radio);
                const assessment_answer *now = assessment_get_answer(d->a, id, RATER_SELF);
                int value = state ? (!*state ? -1 : strcmp(state, "1") == 0 ? 1 : strcmp(state, "0") == 0 ? 0 : -2)
                          : form_has(r, "met", id) ? 1
                          : web_form(r, field) ? (now ? now->value : -1)   /* records only: the answer stays */
                          : -3;
                if (value == -3)
                    continue;
                if (value == -2) {
                    add_error_detail(r, errs, radio, "diag.err.met", state);
                    continue;
                }
                answer_input *x = &in[count++];
                x->element_id = id;
                x->field = web_strdup(r, field);
                x->value = value;
                if (k == CRITERION_COMPLEXITY || k == CRITERION_SIZE)
                    x->evidence = form_values(r, field, &x->n_evidence);
            }
        }
    }
    size_t n_met;
    const char **met = form_values(r, "met", &n_met);
    for (size_t i = 0; i < n_met; i++)
        if (!achievement_of(c, spec, met[i]))
            add_error_detail(r, errs, "met", "diag.err.not_in_form", met[i]);
    for (size_t i = 0; i < r->form.count; i++)
        if (strncmp(r->form.items[i].name, "a.", 2) == 0 && !achievement_of(c, spec, r->form.items[i].name + 2))
            add_error_detail(r, errs, "met", "diag.err.not_in_form", r->form.items[i].name + 2);
    *n = count;
    return in;
}

/* POST /diagnosis/:spec  Saves the answers of the achievement form (each element
 * 該当, 該当しない or 未回答; one not sent keeps its answer) with the records ticked under items,
 * in one transaction; then back to the form with a notice. An invalid field:
 * 400, the form again as sent, nothing saved. */
void web_page_diagnosis_spec_post(web_request *r)
{
    diagnosis d;
    const catalog *c = web_catalog(r);
    const catalog_spec *spec = c ? path_spec(r, c) : NULL;
    if (!spec || diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    field_errors errs = { 0 };
    size_t n;
    answer_input *in = achievement_inputs(r, &d, spec, &n, &errs);
    if (diagnosis_apply(r, &d, in, n, &errs) || errs.count) {
        diagnosis_cancel(&d);
        r->res.status = 400;
        render_achievement(r, &d, spec, &errs);
        return;
    }
    if (diagnosis_commit(r, &d) < 0)
        return;
    char to[96];
    snprintf(to, sizeof to, "/diagnosis/%s?saved=1", spec->code);
    web_redirect(r, to);
}

/* ---- GET/POST /diagnosis/:spec/skills: proficiency and knowledge ----------------------------- */

/* The yes/no choice of a proficiency description. */
static void put_proficiency(web_request *r, const diagnosis *d, const catalog_spec *spec, const catalog_spec_area *sa,
                            const catalog_proficiency *p, const field_errors *errs)
{
    const assessment_answer *ans = assessment_get_answer(d->a, p->id, RATER_SELF);
    char field[160], lv[32];
    snprintf(field, sizeof field, "p.%s", p->id);
    web_level_label(r, p->level, lv, sizeof lv);
    const char *error = error_of(errs, field);
    html_printf(r->out, "<fieldset class=\"proficiency-choice%s\" id=\"f-%s\"><legend>%s", error ? " invalid" : "",
                field, lv);
    if (sa->owner != spec)
        html_printf(r->out, " <small>（%s）</small>", sa->owner->name);
    html_printf(r->out, " <span class=\"id\">%s</span>", p->id);
    if (ans && is_carried(d->carried, d->n_carried, p->id))
        html_printf(r->out, "<span class=\"badge carried\">%s</span>", web_t(r, "diag.carry.mark"));
    html_printf(r->out, "</legend>\n<p class=\"std\">%s</p>\n<div class=\"row\">", p->text);
    for (int v = 1; v >= 0; v--)
        html_printf(r->out, "<label class=\"choice\"><input type=\"radio\" name=\"%s\" value=\"%d\"%s%s> %s</label>",
                    field, v, ans && ans->value == v ? " checked" : "", disabled_attr(d),
                    web_t(r, v ? "diag.yes" : "diag.no"));
    html_printf(r->out, "<label class=\"choice\"><input type=\"radio\" name=\"%s\" value=\"\"%s%s> %s</label>", field,
                ans ? "" : " checked", disabled_attr(d), web_t(r, "diag.answer.none"));
    html_raw(r->out, "</div>\n");
    if (error)
        html_printf(r->out, "<p class=\"error\">%s</p>\n", error);
    html_raw(r->out, "</fieldset>\n");
}

/* The 0-4 rating of a knowledge item as a radio group. */
static void put_rating(web_request *r, const diagnosis *d, const catalog_item *item, const field_errors *errs)
{
    const assessment_answer *ans = assessment_get_answer(d->a, item->id, RATER_SELF);
    char field[160];
    snprintf(field, sizeof field, "k.%s", item->id);
    const char *error = error_of(errs, field);
    html_printf(r->out, "<fieldset class=\"rating%s\" id=\"f-%s\"><legend><span class=\"mark\" aria-hidden=\"true\">・</span>"
                        "%s <span class=\"id\">%s</span>",
                error ? " invalid" : "", field, item->text, item->id);
    if (ans && is_carried(d->carried, d->n_carried, item->id))
        html_printf(r->out, "<span class=\"badge carried\">%s</span>", web_t(r, "diag.carry.mark"));
    html_raw(r->out, "</legend>\n<div class=\"scale\">");
    for (int v = 0; v <= ASSESS_RATING_MAX; v++) {
        char key[32];
        snprintf(key, sizeof key, "diag.rating.%d", v);
        html_printf(r->out, "<label><input type=\"radio\" name=\"%s\" value=\"%d\"%s%s><span>%d %s</span></label>",
                    field, v, ans && ans->value == v ? " checked" : "", disabled_attr(d), v, web_t(r, key));
    }
    html_printf(r->out, "<label><input type=\"radio\" name=\"%s\" value=\"\"%s%s><span>%s</span></label>", field,
                ans ? "" : " checked", disabled_attr(d), web_t(r, "diag.answer.none"));
    html_raw(r->out, "</div>\n");
    if (error)
        html_printf(r->out, "<p class=\"error\">%s</p>\n", error);
    html_raw(r->out, "</fieldset>\n");
}

/* The form of proficiency and knowledge of spec, skill area by skill area. */
static void render_skills(web_request *r, const diagnosis *d, const catalog_spec *spec, const field_errors *errs)
{
    const catalog *c = d->cat;
    buf *o = r->out;
    char title[256];
    snprintf(title, sizeof title, "%s: %s %s", web_t(r, "diag.title"), spec->name, web_t(r, "diag.skills_tab"));
    html_begin(r, title);
    put_crumbs(r, spec, web_t(r, "diag.skills_tab"));
    put_head(r, d, title);
    put_spec_tabs(r, spec, 1);
    put_filter(r, d, spec, 1);
    if (errs && errs->count)
        put_error_summary(r, errs);
    else if (web_query(r, "saved"))
        html_message(r, "ok", web_t(r, "diag.saved"));
    html_printf(o, "<p>%s</p>\n<p class=\"scale-legend\">", web_t(r, "diag.skills_intro"));
    for (int v = 0; v <= ASSESS_RATING_MAX; v++) {
        char key[32];
        snprintf(key, sizeof key, "diag.rating.%d", v);
        html_printf(o, "<span>%d %s</span> ", v, web_t(r, key));
    }
    html_raw(o, "</p>\n");

    int lo, hi;
    catalog_spec_level_range(c, spec, &lo, &hi);
    html_printf(o, "<nav class=\"area-links no-print\" aria-label=\"%s\"><ul>", web_t(r, "std.areas"));
    for (size_t ai = 0; ai < catalog_area_count(c); ai++) {
        const catalog_area *area = catalog_area_at(c, ai);
        const catalog_spec_area *sas[8];
        if (catalog_spec_area_blocks(c, spec, area, sas, 8))
            html_printf(o, "<li><a href=\"#area-%s\">%s</a></li>", area->code, area->name);
    }
    html_raw(o, "</ul></nav>\n");

    char action[96];
    snprintf(action, sizeof action, "/diagnosis/%s/skills", spec->code);
    put_form_start(r, d, action);
    html_csrf_field(r);
    for (size_t ai = 0; ai < catalog_area_count(c); ai++) {
        const catalog_area *area = catalog_area_at(c, ai);
        const catalog_spec_area *sas[8];
        size_t nb = catalog_spec_area_blocks(c, spec, area, sas, 8);
        if (!nb)
            continue;
        html_printf(o, "<section class=\"card skill-area\" id=\"area-%s\"><h2>●%s <small>%s</small></h2>\n", area->code,
                    area->name, web_t(r, area->is_specific ? "std.area_specific_items" : "std.area_common_items"));
        html_printf(o, "<h3>%s</h3>\n", web_t(r, "std.proficiency"));
        for (int l = lo; l <= hi; l++) {
            const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, l);
            const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, l) : NULL;
            if (p)
                if (!d->only_unanswered || !answered(d->a, p->id))
                    put_proficiency(r, d, spec, sa, p, errs);
        }
        for (size_t b = 0; b < nb; b++) {
            const catalog_spec_area *sa = sas[b];
            html_printf(o, "<h3>%s", web_t(r, "std.knowledge"));
            if (sa->owner != spec)
                html_printf(o, " <small>（%s）</small>", sa->owner->name);
            html_raw(o, "</h3>\n");
            for (size_t k = 0; k < sa->n_knowledge; k++) {
                const catalog_knowledge_category *kc = &sa->knowledge[k];
                if (!kc->n_items)
                    continue;
                html_printf(o, "<h4>－%s <span class=\"id\">%s</span></h4>\n", kc->name, kc->id);
                for (size_t j = 0; j < kc->n_items; j++)
                    if (!d->only_unanswered || !answered(d->a, kc->items[j].id))
                        put_rating(r, d, &kc->items[j], errs);
            }
        }
        if (editable(d))
            html_printf(o, "<div class=\"form-actions\"><button type=\"submit\">%s</button></div>\n",
                        web_t(r, "diag.save"));
        html_raw(o, "</section>\n");
    }
    html_form_end(r);
    html_end(r);
}

/* GET /diagnosis/:spec/skills  Proficiency and knowledge of spec to answer. */
void web_page_diagnosis_skills(web_request *r)
{
    diagnosis d;
    const catalog *c = web_catalog(r);
    const catalog_spec *spec = c ? path_spec(r, c) : NULL;
    if (!spec || diagnosis_begin(r, &d, OPEN_READ) < 0)
        return;
    d.only_unanswered = web_query(r, "only") && strcmp(web_query(r, "only"), "unanswered") == 0;
    d.n_carried = carried_elements(r, &d, &d.carried);
    render_skills(r, &d, spec, NULL);
}

/* Reads a radio's value: a whole number in 0..max, -1 for empty (未回答), else -2
 * (invalid). */
static int radio_value(const char *s, int max)
{
    int64_t v;
    if (!*s)
        return -1;
    return web_parse_int(s, 0, max, &v) ? (int)v : -2;
}

/* POST /diagnosis/:spec/skills  Saves the proficiency (p.ID = 1 yes, 0 no) and
 * knowledge ratings (k.ID = 0..4) given, empty for 未回答; an element not sent
 * keeps its answer.
 * An invalid value: 400 and the form again, nothing saved. */
void web_page_diagnosis_skills_post(web_request *r)
{
    diagnosis d;
    const catalog *c = web_catalog(r);
    const catalog_spec *spec = c ? path_spec(r, c) : NULL;
    if (!spec || diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    field_errors errs = { 0 };
    size_t cap = r->form.count + 1, n = 0;
    answer_input *in = web_alloc(r, cap * sizeof *in);
    for (size_t i = 0; i < r->form.count; i++) {
        const web_param *f = &r->form.items[i];
        int is_p = strncmp(f->name, "p.", 2) == 0, is_k = strncmp(f->name, "k.", 2) == 0;
        if (!is_p && !is_k)
            continue;
        const char *id = f->name + 2;
        catalog_element e;
        int fits = catalog_find(c, id, &e)
                   && (is_p ? e.kind == CK_PROFICIENCY && catalog_spec_area_of(c, spec, e.area, e.proficiency->level)
                                                             == e.spec_area
                            : e.kind == CK_KNOWLEDGE_ITEM);
        if (fits && is_k) {
            const catalog_spec_area *sas[8];
            size_t nb = catalog_spec_area_blocks(c, spec, e.area, sas, 8);
            fits = 0;
            for (size_t b = 0; b < nb; b++)
                fits |= sas[b] == e.spec_area;
        }
        if (!fits) {
            add_error_detail(r, &errs, f->name, "diag.err.not_in_form", id);
            continue;
        }
        int v = radio_value(f->value, is_k ? ASSESS_RATING_MAX : 1);
        if (v < -1) {
            add_error_detail(r, &errs, f->name, is_k ? "diag.err.rating" : "diag.err.met", f->value);
            continue;
        }
        in[n++] = (answer_input){ .element_id = id, .field = f->name, .value = v };
    }
    if (diagnosis_apply(r, &d, in, n, &errs) || errs.count) {
        diagnosis_cancel(&d);
        r->res.status = 400;
        render_skills(r, &d, spec, &errs);
        return;
    }
    if (diagnosis_commit(r, &d) < 0)
        return;
    char to[96];
    snprintf(to, sizeof to, "/diagnosis/%s/skills?saved=1", spec->code);
    web_redirect(r, to);
}
