/* web_results.c - 診断結果: the results of one person, as a page and as JSON.
 *
 * GET /results and GET /people/:id/results show, for the assessment of one
 * cycle: the level per specialization; for one specialization at a time the
 * explanation criterion by criterion in the standard's own wording, a radar of
 * the proficiency per skill area against the next (or target) level, what is
 * missing for a target level the user chooses, and the knowledge coverage per
 * skill area; the level per specialization across cycles; the comments. The
 * API (GET /api/v1/me/results, /api/v1/people/:id/results) answers the same
 * facts: both are built by build_results() (over results_load, results.h) into
 * one person_results, which the page renders as HTML and the API as JSON, so
 * the two cannot tell different stories.
 * What is costly in that (an assessment loaded and evaluated, a chart drawn) is
 * kept between requests in the app's results cache, under keys that change
 * with what it was made from (see "What the results pages keep").
 *
 * What the manager's pages share with these lives in the page kit (web_kit.h). */
#include "web_kit.h"
#include "report_pdf.h"
#include "report_person.h"
#include "results.h"
#include "web_access.h"
#include "web_cache.h"
#include "web_pages.h"
#include "html.h"
#include "web_json.h"
#include "svg_chart.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- What the results pages keep between requests --------------------------------- */

/* Loading an assessment's answers from the database, evaluating them and
 * drawing the charts took two thirds of a results request. The app keeps, in
 * one bounded cache (web_cache.h), each assessment loaded and evaluated under
 * its id and revision (store.h: the revision moves on with every change of what
 * the assessment shows, so a changed assessment is looked up under a new key
 * and the old entry ages out), and each chart drawn under all of its inputs.
 * The revision is read on every request, in the same read transaction as the
 * loading, so what is kept is never older than what it is kept for, also when
 * another process (the command line) changed the data. */

/* The key of the results cache among the app's memos. */
static const char cache_memo_key = 0;

/* Bytes the cache may hold: about a hundred evaluated assessments of the demo
 * (100 to 250 KB each) with their pages' detail (40 to 60 KB a language and
 * choice) and charts, well inside the 50 MB the server may take in all. */
#define RESULTS_CACHE_BUDGET (16u << 20)

static void *make_results_cache(void *ctx)
{
    (void)ctx;
    return web_cache_new(RESULTS_CACHE_BUDGET);
}

/* The app's results cache, made on first use. */
static web_cache *results_cache(web_request *r)
{
    return web_app_memo(r->app, &cache_memo_key, make_results_cache, NULL, web_cache_free_value);
}

/* Frees an evaluation the cache let go of. */
static void free_evaluation(void *p)
{
    results_evaluation_free(p);
}

/* What the results source of a request needs: the request and its evaluator. */
typedef struct evaluation_source {
    web_request *r;
    const web_eval *ev;
} evaluation_source;

/* The results source (results.h) of a request (ctx: an evaluation_source):
 * assessment a loaded and evaluated, from the results cache or made now and
 * kept there; lent until the request ends. a's revision was read in the read
 * transaction the request is in. NULL with *e filled when the store fails. */
static const results_evaluation *evaluated(void *ctx, const store_assessment *a, err *e)
{
    const evaluation_source *src = ctx;
    web_request *r = src->r;
    struct {
        char kind[8];
        int64_t id, revision;
    } key;
    memset(&key, 0, sizeof key);
    memcpy(key.kind, "eval", 4);
    key.id = a->id;
    key.revision = a->revision;
    web_cache *cache = results_cache(r);
    web_cache_ref *ref;
    const results_evaluation *x = web_cache_get(cache, &key, sizeof key, &ref);
    if (!x) {
        store *db = web_store(r);
        results_evaluation *made = db ? results_evaluate(db, src->ev, a->id, e) : NULL;
        if (!made) {
            if (!db)
                err_set(e, "results", 0, 0, NULL, "no database connection");
            return NULL;
        }
        x = web_cache_put(cache, &key, sizeof key, made, results_evaluation_size(made), free_evaluation, &ref);
    }
    web_defer(r, web_cache_return_value, ref);
    return x;
}

/* A chart's key: what it is, then every input it is drawn from (strings with
 * their lengths, numbers as their bytes), so that equal keys mean equal charts. */
static void key_text(buf *k, const char *s)
{
    size_t n = s ? strlen(s) : SIZE_MAX;
    buf_append(k, &n, sizeof n);
    if (s)
        buf_append(k, s, n);
}

static void key_numbers(buf *k, const double *v, size_t n)
{
    buf_append(k, &n, sizeof n);
    if (v)
        buf_append(k, v, n * sizeof *v);
}

static void radar_key(buf *k, const svg_radar *c)
{
    key_text(k, "radar");
    key_text(k, c->id);
    key_text(k, c->title);
    key_text(k, c->summary);
    buf_append(k, &c->n_axes, sizeof c->n_axes);
    for (size_t i = 0; i < c->n_axes; i++)
        key_text(k, c->axes[i]);
    buf_append(k, &c->max, sizeof c->max);
    buf_append(k, &c->n_series, sizeof c->n_series);
    for (size_t i = 0; i < c->n_series; i++) {
        key_text(k, c->series[i].name);
        key_text(k, c->series[i].css_class);
        key_numbers(k, c->series[i].values, c->series[i].values ? c->n_axes : 0);
    }
    key_text(k, c->no_value);
}

static void bars_key(buf *k, const svg_bars *c)
{
    key_text(k, "bars");
    key_text(k, c->id);
    key_text(k, c->title);
    key_text(k, c->summary);
    buf_append(k, &c->n, sizeof c->n);
    for (size_t i = 0; i < c->n; i++)
        key_text(k, c->labels[i]);
    key_numbers(k, c->values, c->n);
    buf_append(k, &c->max, sizeof c->max);
    key_text(k, c->unit);
    buf_append(k, &c->decimals, sizeof c->decimals);
    key_text(k, c->no_value);
}

/* Appends to out the chart whose inputs key holds: kept in the results cache,
 * or drawn by draw(svg, chart, e) and kept. 0, or -1 with *e when the chart's
 * description is wrong (nothing appended). */
static int put_chart(web_request *r, buf *out, const buf *key, int (*draw)(buf *, const void *, err *),
                     const void *chart, err *e)
{
    web_cache *cache = results_cache(r);
    web_cache_ref *ref;
    const char *svg = web_cache_get(cache, key->data, key->len, &ref);
    if (!svg) {
        buf made;
        buf_init(&made);
        if (draw(&made, chart, e) < 0) {
            buf_free(&made);
            return -1;
        }
        size_t len = made.len;
        svg = web_cache_put(cache, key->data, key->len, buf_detach(&made), len + 1, free, &ref);
    }
    buf_raw(out, svg);
    web_cache_return(ref);
    return 0;
}

static int draw_radar(buf *out, const void *chart, err *e)
{
    return svg_radar_chart(out, chart, e);
}

static int draw_bars(buf *out, const void *chart, err *e)
{
    return svg_bar_chart(out, chart, e);
}

/* svg_radar_chart through the results cache. */
static int put_radar_chart(web_request *r, buf *out, const svg_radar *chart, err *e)
{
    buf key;
    buf_init(&key);
    radar_key(&key, chart);
    int rc = put_chart(r, out, &key, draw_radar, chart, e);
    buf_free(&key);
    return rc;
}

/* svg_bar_chart through the results cache. */
static int put_bar_chart(web_request *r, buf *out, const svg_bars *chart, err *e)
{
    buf key;
    buf_init(&key);
    bars_key(&key, chart);
    int rc = put_chart(r, out, &key, draw_bars, chart, e);
    buf_free(&key);
    return rc;
}

/* ---- The results of one person ------------------------------------------------------ */

/* Frees what the results hold (registered with web_defer). */
static void results_free(void *p)
{
    results_clear(p);
}

/* The results (results.h) of person_id for r: ?cycle=, ?spec= and ?target=
 * choose what is shown. NULL after answering: 404 for an unknown person or
 * cycle, 400 naming the parameter at fault, 503. The results belong to the
 * request. */
static person_results *build_results(web_request *r, int64_t person_id)
{
    const web_eval *ev = web_evaluator(r);
    if (!ev)
        return NULL;
    store *db = web_store(r);
    if (!db)
        return NULL;
    person_results *res = web_alloc(r, sizeof *res);
    web_defer(r, results_free, res);
    evaluation_source *es = web_alloc(r, sizeof *es);
    es->r = r;
    es->ev = ev;
    results_source src = { evaluated, es };
    results_query q = { web_query(r, "cycle"), web_query(r, "spec"), web_query(r, "target") };
    err e;
    memset(&e, 0, sizeof e);
    switch (results_load(db, ev, &src, person_id, &q, res, &e)) {
    case RESULTS_OK: return res;
    case RESULTS_FAILED: web_store_failed(r, "results", &e); break;
    case RESULTS_NO_PERSON: web_reply_404(r); break;
    case RESULTS_NO_CYCLE: web_reply_error(r, 404, "not_found", web_t(r, "results.no_cycle"), "cycle"); break;
    case RESULTS_NO_ASSESSMENT_IN_CYCLE:
        web_reply_error(r, 404, "not_found", web_t(r, "results.no_assessment_in_cycle"), "cycle");
        break;
    case RESULTS_BAD_TARGET: web_reply_400(r, web_t(r, "results.bad_target"), "target"); break;
    case RESULTS_BAD_TARGET_LEVEL: web_reply_400(r, web_t(r, "results.bad_target_level"), "target"); break;
    case RESULTS_BAD_SPEC: web_reply_400(r, web_t(r, "results.bad_spec"), "spec"); break;
    }
    return NULL;
}

/* ---- JSON ----------------------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *item_json(const catalog_item *it)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(it->id));
    json_object_set_new(o, "text", json_string(it->text));
    return o;
}

/* One knowledge item below the minimum, for the target's JSON. */
static void knowledge_gap_json(const person_results *res, const engine_area *ea, const catalog_knowledge_category *cat,
                               const catalog_item *item, const assessment_answer *x, void *ctx)
{
    (void)res;
    json_t *o = item_json(item);
    json_object_set_new(o, "skill_area", json_string(ea->area->id));
    json_object_set_new(o, "category", json_string(cat->name));
    json_object_set_new(o, "rating", x ? json_integer(x->value) : json_null());
    json_array_append_new(ctx, o);
}

/* What the target level still needs: its unmet criteria with the items missing,
 * the proficiency descriptions up to it not met, the knowledge items rated
 * below the policy's minimum. */
static json_t *target_json(const person_results *res)
{
    const engine_spec *es = res->selected;
    json_t *o = json_object();
    json_object_set_new(o, "specialization", json_string(es->spec->id));
    json_object_set_new(o, "level", json_integer(res->target_level));
    json_object_set_new(o, "reached", json_boolean(res->target && res->target->met));
    json_t *criteria = json_array();
    for (int k = 0; res->target && k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &res->target->criteria[k];
        if (cr->met)
            continue;
        json_t *c = json_object();
        json_object_set_new(c, "criterion", json_string(engine_criterion_key((engine_criterion_kind)k)));
        json_object_set_new(c, "label", json_string(engine_criterion_label((engine_criterion_kind)k)));
        json_object_set_new(c, "count", json_integer(cr->count));
        json_object_set_new(c, "required", cr->required >= 0 ? json_integer(cr->required) : json_null());
        int short_by = cr->required - cr->count;
        json_object_set_new(c, "short_by", cr->required >= 0 ? json_integer(short_by > 0 ? short_by : 0)
                                                             : json_null());
        if (k == ENGINE_EXPERIENCE) {
            int short_at = cr->at_level_required - cr->at_level;
            json_object_set_new(c, "at_level", json_integer(cr->at_level));
            json_object_set_new(c, "at_level_required", json_integer(cr->at_level_required));
            json_object_set_new(c, "short_at_level", json_integer(short_at > 0 ? short_at : 0));
        } else {
            json_t *missing = json_array();
            for (size_t i = 0; i < cr->n_missing; i++)
                json_array_append_new(missing, item_json(cr->missing[i]));
            json_object_set_new(c, "missing", missing);
        }
        json_array_append_new(criteria, c);
    }
    json_object_set_new(o, "criteria", criteria);
    json_t *prof = json_array();
    json_t *knowledge = json_array();
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        for (size_t j = 0; j < ea->n_steps; j++) {
            const engine_proficiency *st = &ea->steps[j];
            if (st->level > res->target_level || st->met)
                continue;
            json_t *p = json_object();
            json_object_set_new(p, "skill_area", json_string(ea->area->id));
            json_object_set_new(p, "level", json_integer(st->level));
            json_object_set_new(p, "id", json_string(st->description->id));
            json_object_set_new(p, "text", json_string(st->description->text));
            json_object_set_new(p, "answered", json_boolean(st->answered));
            json_array_append_new(prof, p);
        }
        results_each_knowledge_gap(res, ea, res->target_level, knowledge_gap_json, knowledge);
    }
    json_object_set_new(o, "proficiency", prof);
    json_object_set_new(o, "knowledge_min_rating", json_integer(res->ev->policy->knowledge_min_rating));
    json_object_set_new(o, "knowledge", knowledge);
    return o;
}

/* The results as the API answers them but for the last member, "evaluation"
 * (reply_results_json adds it); a new reference. */
static json_t *results_json(web_request *r, const person_results *res)
{
    const web_eval *ev = res->ev;
    json_t *o = json_object();
    json_t *person = json_object();
    json_object_set_new(person, "id", json_integer(res->person.id));
    json_object_set_new(person, "employee_number", json_string(res->person.employee_number));
    json_object_set_new(person, "name", json_string(res->person.name));
    json_object_set_new(person, "org_unit", str_or_null(res->person.org_name));
    json_object_set_new(o, "person", person);

    json_t *cat = json_object();
    json_object_set_new(cat, "id", json_string(catalog_id(ev->catalog)));
    json_object_set_new(cat, "version", json_string(catalog_version(ev->catalog)));
    json_object_set_new(o, "catalog", cat);
    json_t *pol = json_object();
    json_object_set_new(pol, "id", json_string(ev->policy->id));
    json_object_set_new(pol, "version", json_string(ev->policy->version));
    json_object_set_new(pol, "title", str_or_null(ev->policy->title));
    json_object_set_new(o, "policy", pol);

    const store_assessment *a = res->current;
    if (a) {
        json_t *as = json_object();
        json_object_set_new(as, "id", json_integer(a->id));
        json_object_set_new(as, "cycle_id", json_integer(a->cycle_id));
        json_object_set_new(as, "cycle", json_string(a->cycle));
        json_object_set_new(as, "status", json_string(assessment_status_name(a->status)));
        json_object_set_new(as, "catalog_id", json_string(a->catalog_id));
        json_object_set_new(as, "catalog_version", json_string(a->catalog_version));
        json_object_set_new(as, "updated_at", str_or_null(a->updated_at));
        json_object_set_new(as, "evaluated", json_boolean(res->self != NULL));
        json_object_set_new(o, "assessment", as);
    } else {
        json_object_set_new(o, "assessment", json_null());
    }
    json_object_set_new(o, "rater", json_string("self"));

    json_t *levels = json_array();
    for (size_t i = 0; res->self && i < res->self->n_specs; i++) {
        const engine_spec *es = &res->self->specs[i];
        char label[64];
        json_t *l = json_object();
        json_object_set_new(l, "specialization", json_string(es->spec->id));
        json_object_set_new(l, "code", json_string(es->spec->code));
        json_object_set_new(l, "name", json_string(es->spec->name));
        json_object_set_new(l, "level", json_integer(es->level));
        json_object_set_new(l, "label", json_string(web_reached_label(r, es->level, label, sizeof label)));
        json_object_set_new(l, "next_level", es->next ? json_integer(es->next->level) : json_null());
        json_object_set_new(l, "manager_level",
                            res->manager ? json_integer(res->manager->specs[i].level) : json_null());
        json_t *warnings = json_array();
        for (size_t j = 0; j < es->n_unmet_below; j++)
            json_array_append_new(warnings, json_integer(es->unmet_below[j]));
        json_object_set_new(l, "unmet_lower_levels", warnings);
        json_array_append_new(levels, l);
    }
    json_object_set_new(o, "levels", levels);

    if (res->selected) {
        const engine_spec *es = res->selected;
        json_object_set_new(o, "selected", json_string(es->spec->id));
        json_t *radar = json_object();
        json_object_set_new(radar, "specialization", json_string(es->spec->id));
        json_object_set_new(radar, "against_level", json_integer(res->target_level));
        json_t *axes = json_array();
        json_t *coverage = json_array();
        for (size_t i = 0; i < es->n_areas; i++) {
            const engine_area *ea = &es->areas[i];
            json_t *ax = json_object();
            json_object_set_new(ax, "skill_area", json_string(ea->area->id));
            json_object_set_new(ax, "name", json_string(ea->area->name));
            json_object_set_new(ax, "proficiency_level", json_integer(ea->proficiency_level));
            json_array_append_new(axes, ax);
            json_t *kc = json_object();
            json_object_set_new(kc, "skill_area", json_string(ea->area->id));
            json_object_set_new(kc, "name", json_string(ea->area->name));
            json_object_set_new(kc, "items", json_integer(ea->knowledge_items));
            json_object_set_new(kc, "rated", json_integer(ea->knowledge_rated));
            json_object_set_new(kc, "covered", json_integer(ea->knowledge_covered));
            json_object_set_new(kc, "percent", ea->knowledge_items
                                                   ? json_integer(ea->knowledge_covered * 100 / ea->knowledge_items)
                                                   : json_null());
            json_array_append_new(coverage, kc);
        }
        json_object_set_new(radar, "axes", axes);
        json_object_set_new(o, "proficiency", radar);
        json_object_set_new(o, "target", target_json(res));
        json_object_set_new(o, "knowledge_coverage", coverage);
    } else {
        json_object_set_new(o, "selected", json_null());
        json_object_set_new(o, "proficiency", json_null());
        json_object_set_new(o, "target", json_null());
        json_object_set_new(o, "knowledge_coverage", json_array());
    }

    json_t *history = json_array();
    for (size_t i = res->assessments.count; i-- > 0;) {
        const store_assessment *h = &res->assessments.items[i];
        json_t *row = json_object();
        json_object_set_new(row, "cycle_id", json_integer(h->cycle_id));
        json_object_set_new(row, "cycle", json_string(h->cycle));
        json_object_set_new(row, "status", json_string(assessment_status_name(h->status)));
        json_t *lv = json_object();
        for (size_t j = 0; j < res->n_specs; j++) {
            int level = res->history[i * res->n_specs + j];
            json_object_set_new(lv, catalog_spec_at(ev->catalog, j)->id, level >= 0 ? json_integer(level)
                                                                                    : json_null());
        }
        json_object_set_new(row, "levels", lv);
        json_array_append_new(history, row);
    }
    json_object_set_new(o, "history", history);

    json_t *comments = json_array();
    for (size_t i = 0; i < res->comments.count; i++) {
        const store_comment *c = &res->comments.items[i];
        json_t *j = json_object();
        json_object_set_new(j, "id", json_integer(c->id));
        json_object_set_new(j, "author", json_string(c->author));
        json_object_set_new(j, "author_name", str_or_null(c->author_name));
        json_object_set_new(j, "kind", json_string(store_comment_kind_name(c->kind)));
        json_object_set_new(j, "body", json_string(c->body));
        json_object_set_new(j, "created_at", json_string(c->created_at));
        json_array_append_new(comments, j);
    }
    json_object_set_new(o, "comments", comments);
    return o;
}

#define JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_COMPACT)

/* The engine's whole explanation of the self rating as JSON text (most of the
 * API's answer, and most of its time), made once per evaluated assessment and
 * kept in the results cache under its id and revision; lent until the request
 * ends. NULL when it cannot be written (out of memory). */
static const char *evaluation_json(web_request *r, const person_results *res)
{
    struct {
        char kind[8];
        int64_t id, revision;
    } key;
    memset(&key, 0, sizeof key);
    memcpy(key.kind, "evaljson", 8);
    key.id = res->current->id;
    key.revision = res->current->revision;
    web_cache *cache = results_cache(r);
    web_cache_ref *ref;
    const char *text = web_cache_get(cache, &key, sizeof key, &ref);
    if (!text) {
        json_t *o = engine_result_json(res->self, NULL);
        char *made = json_dumps(o, JSON_FLAGS);
        json_decref(o);
        if (!made)
            return NULL;
        text = web_cache_put(cache, &key, sizeof key, made, strlen(made) + 1, free, &ref);
    }
    web_defer(r, web_cache_return_value, ref);
    return text;
}

/* Answers res as JSON: results_json's members (dumped with JSON_EMBED, so
 * without the braces), then the member "evaluation" whose value is the
 * evaluation's JSON as the results cache keeps it (compact: the same bytes as
 * when dumped with the rest). */
static void reply_results_json(web_request *r, const person_results *res)
{
    const char *explained = res->self ? evaluation_json(r, res) : "null";
    json_t *o = results_json(r, res);
    json_t *official = web_official_json(r, res->person.id, res->current);
    if (!official) {
        json_decref(o);
        return;
    }
    json_object_set_new(o, "official", official);
    char *members = explained ? json_dumps(o, JSON_FLAGS | JSON_EMBED) : NULL;
    json_decref(o);
    if (!members) {
        web_reply_error(r, 500, "internal", NULL, NULL);
        return;
    }
    int first = !*members;
    web_json_begin(r, 200);
    web_json_raw(r->out, "{");
    web_json_append(r->out, members);
    web_json_key(r->out, &first, "evaluation");
    web_json_append(r->out, explained);
    web_json_raw(r->out, "}\n");
    free(members);
}

/* ---- HTML ------------------------------------------------------------------------------ */

/* The query string that keeps the cycle shown (and more parameters after it),
 * starting with '?'; appended to b, escaped for an attribute. */
static void put_cycle_query(buf *b, const person_results *res)
{
    buf_puts(b, "?");
    if (res->current)
        html_printf(b, "cycle=%lld&amp;", (long long)res->current->cycle_id);
}

/* The base path of this results page: /results or /people/ID/results. */
static const char *page_path(web_request *r, const person_results *res)
{
    if (r->user && r->user->person_id == res->person.id && strcmp(r->path, "/results") == 0)
        return "/results";
    char path[64];
    snprintf(path, sizeof path, "/people/%lld/results", (long long)res->person.id);
    return web_strdup(r, path);
}

/* A level as a badge. */
static void put_level_badge(web_request *r, int level)
{
    char label[64];
    web_reached_label(r, level, label, sizeof label);
    html_printf(r->out, "<span class=\"badge level%s\">%s</span>", level > 0 ? "" : " none", label);
}

/* ○ met, × answered and not met, － unanswered: the mark and its words. */
static void put_mark(web_request *r, int met, int answered)
{
    const char *cls = met ? "met" : answered ? "unmet" : "unanswered";
    const char *key = met ? "results.met" : answered ? "results.unmet" : "results.unanswered";
    html_printf(r->out, "<span class=\"mark %s\" title=\"%s\">%s<span class=\"visually-hidden\">%s</span></span>",
                cls, web_t(r, key), met ? "○" : answered ? "×" : "－", web_t(r, key));
}

static const char *criterion_key(engine_criterion_kind k)
{
    static const char *const keys[ENGINE_CRITERIA] = { "results.crit.responsibility", "results.crit.complexity",
                                                       "results.crit.size", "results.crit.task",
                                                       "results.crit.experience" };
    return keys[k];
}

/* The threshold of a checklist criterion in words. */
static void put_threshold(web_request *r, const engine_criterion *cr)
{
    char n[16];
    snprintf(n, sizeof n, "%d", cr->required);
    if (cr->required < 0)
        html_txt(r->out, web_t(r, "results.required_unset"));
    else if (cr->required == 0)
        html_txt(r->out, web_t(r, "results.required_none"));
    else if (cr->required == cr->listed && cr->listed > 1)
        web_html_tpl(r->out, web_t(r, "results.required_all"), n, NULL);
    else
        web_html_tpl(r->out, web_t(r, "results.required_n"), n, NULL);
}

/* The experience criterion in one sentence. */
static void put_experience(web_request *r, const engine_criterion *cr, int level)
{
    char count[16], required[16], lv[16], at[16], at_required[16];
    snprintf(count, sizeof count, "%d", cr->count);
    snprintf(required, sizeof required, "%d", cr->required < 0 ? 0 : cr->required);
    snprintf(lv, sizeof lv, "%d", level);
    snprintf(at, sizeof at, "%d", cr->at_level);
    snprintf(at_required, sizeof at_required, "%d", cr->at_level_required);
    web_html_tpl(r->out, web_t(r, "results.experience"), count, required, lv, at, at_required, NULL);
    if (cr->failed) {
        char failed[16];
        snprintf(failed, sizeof failed, "%d", cr->failed);
        html_raw(r->out, " ");
        web_html_tpl(r->out, web_t(r, "results.experience_failed"), failed, NULL);
    }
}

/* One item of a checklist with its mark, the standard's text and notes on the answer. */
static void put_item(web_request *r, const engine_criterion *cr, int i)
{
    const assessment_answer *x = cr->item_answers[i];
    html_printf(r->out, "<li class=\"item %s\">", cr->item_met[i] ? "is-met" : x ? "is-unmet" : "is-unanswered");
    put_mark(r, cr->item_met[i], x != NULL);
    html_raw(r->out, " <span class=\"standard\">");
    html_lines(r, cr->items[i].text);
    html_raw(r->out, "</span>");
    if (x && !cr->item_met[i] && x->value > 0)
        html_printf(r->out, " <small class=\"muted\">（%s）</small>", web_t(r, "results.no_evidence"));
    html_raw(r->out, "</li>\n");
}

/* Every criterion of one level, quoting the standard. */
static void put_level_explanation(web_request *r, const engine_level *lv)
{
    char label[64];
    html_printf(r->out, "<section class=\"level-block %s\" id=\"level-%d\">\n<h4>%s <small>%s</small> ",
                lv->met ? "is-met" : "is-unmet", lv->level, web_reached_label(r, lv->level, label, sizeof label),
                lv->indicators->id);
    html_printf(r->out, "<span class=\"badge %s\">%s</span></h4>\n<dl class=\"criteria\">\n",
                lv->met ? "approved" : "returned", web_t(r, lv->met ? "results.achieved" : "results.not_achieved"));
    for (int k = 0; k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &lv->criteria[k];
        html_printf(r->out, "<div class=\"criterion %s\"><dt>", cr->met ? "is-met" : "is-unmet");
        put_mark(r, cr->met, 1);
        html_printf(r->out, " %s", web_t(r, criterion_key((engine_criterion_kind)k)));
        html_raw(r->out, "</dt>\n<dd>");
        if (k == ENGINE_EXPERIENCE) {
            put_experience(r, cr, lv->level);
            html_raw(r->out, "</dd></div>\n");
            continue;
        }
        if (k == ENGINE_RESPONSIBILITY) {
            if (!cr->required)
                html_printf(r->out, "<p class=\"muted\">%s</p>", web_t(r, "results.responsibility_optional"));
            html_raw(r->out, "<ul class=\"items\">");
            put_item(r, cr, 0);
            html_raw(r->out, "</ul></dd></div>\n");
            continue;
        }
        const catalog_criterion *def = &lv->indicators->criteria[k - ENGINE_COMPLEXITY];
        html_raw(r->out, "<p class=\"count\">");
        if (cr->listed == 0) {
            html_txt(r->out, web_t(r, "results.no_items"));
        } else {
            char listed[16], count[16];
            snprintf(listed, sizeof listed, "%d", cr->listed);
            snprintf(count, sizeof count, "%d", cr->count);
            web_html_tpl(r->out, web_t(r, "results.count_of"), listed, count, NULL);
        }
        html_raw(r->out, "（");
        put_threshold(r, cr);
        html_raw(r->out, "）</p>\n");
        if (def->lead && *def->lead) {
            html_raw(r->out, "<blockquote class=\"standard-text\">");
            html_lines(r, def->lead);
            html_raw(r->out, "</blockquote>\n");
        }
        if (cr->listed) {
            html_raw(r->out, "<ul class=\"items\">");
            for (int i = 0; i < cr->listed; i++)
                put_item(r, cr, i);
            html_raw(r->out, "</ul>\n");
        }
        for (size_t i = 0; i < def->n_notes; i++) {
            html_raw(r->out, "<p class=\"note\">");
            html_lines(r, def->notes[i].text);
            html_raw(r->out, "</p>\n");
        }
        html_raw(r->out, "</dd></div>\n");
    }
    html_raw(r->out, "</dl>\n</section>\n");
}

/* The summary table: the level per specialization. */
static void put_levels_table(web_request *r, const person_results *res, const char *path)
{
    html_printf(r->out, "<section class=\"card\" id=\"levels\">\n<h2>%s</h2>\n", web_t(r, "results.levels"));
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"levels\">\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th>",
                web_t(r, "results.spec"), web_t(r, "results.level"));
    if (res->manager)
        html_printf(r->out, "<th scope=\"col\">%s</th>", web_t(r, "results.manager_level"));
    html_printf(r->out, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"no-print\">"
                        "<span class=\"visually-hidden\">%s</span></th></tr></thead>\n<tbody>\n",
                web_t(r, "results.next"), web_t(r, "results.warnings"), web_t(r, "results.details"));
    for (size_t i = 0; i < res->self->n_specs; i++) {
        const engine_spec *es = &res->self->specs[i];
        html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\">%s</th><td data-spec=\"%s\" data-level=\"%d\">",
                    es == res->selected ? "selected" : "", es->spec->name, es->spec->id, es->level);
        put_level_badge(r, es->level);
        html_raw(r->out, "</td>");
        if (res->manager) {
            int ml = res->manager->specs[i].level;
            html_printf(r->out, "<td class=\"%s\">", ml != es->level ? "differs" : "");
            put_level_badge(r, ml);
            html_raw(r->out, "</td>");
        }
        char label[64];
        html_printf(r->out, "<td>%s</td><td>",
                    es->next ? web_reached_label(r, es->next->level, label, sizeof label) : web_t(r, "results.top"));
        for (size_t j = 0; j < es->n_unmet_below; j++) {
            char n[16];
            snprintf(n, sizeof n, "%d", es->unmet_below[j]);
            if (j)
                html_raw(r->out, "<br>");
            web_html_tpl(r->out, web_t(r, "results.warning_short"), n, NULL);
        }
        html_printf(r->out, "</td><td class=\"no-print\"><a href=\"%s", path);
        put_cycle_query(r->out, res);
        html_printf(r->out, "spec=%s#detail\">%s</a></td></tr>\n", es->spec->code, web_t(r, "results.details"));
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</section>\n");
}

/* The radar of proficiency per skill area against the target level, with its
 * figures as a table. */
static void put_radar(web_request *r, const person_results *res)
{
    const engine_spec *es = res->selected;
    size_t n = es->n_areas;
    if (n < SVG_AXES_MIN || n > SVG_AXES_MAX)
        return;
    const char **axes = web_alloc(r, n * sizeof *axes);
    double *now = web_alloc(r, n * sizeof *now);
    double *want = web_alloc(r, n * sizeof *want);
    for (size_t i = 0; i < n; i++) {
        axes[i] = es->areas[i].area->name;
        now[i] = es->areas[i].proficiency_level;
        want[i] = res->target_level;
    }
    char level[16], label[64];
    snprintf(level, sizeof level, "%d", res->target_level);
    int is_next = es->next && es->next->level == res->target_level;
    const char *against = web_text_tpl(r, web_t(r, is_next ? "results.series_next" : "results.series_target"),
                                       level, NULL);
    svg_series series[2] = {
        { web_t(r, "results.series_current"), "current", now },
        { against, "target", want },
    };
    char id[80];
    snprintf(id, sizeof id, "radar-%s", es->spec->code);
    for (char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            *p = '_';
    svg_radar chart = {
        .id = id,
        .title = web_text_tpl(r, web_t(r, "results.radar_title"), es->spec->name, NULL),
        .summary = web_text_tpl(r, web_t(r, "results.radar_summary"), against, NULL),
        .axes = axes,
        .n_axes = n,
        .max = catalog_level_max(res->ev->catalog) > 0 ? catalog_level_max(res->ev->catalog) : 7,
        .series = series,
        .n_series = res->target_level > 0 ? 2 : 1,
        .no_value = "-",
    };
    buf svg;
    buf_init(&svg);
    err e;
    memset(&e, 0, sizeof e);
    html_printf(r->out, "<section class=\"card\" id=\"proficiency\">\n<h3>%s</h3>\n<div class=\"chart-pair\">\n",
                web_t(r, "results.radar"));
    if (put_radar_chart(r, &svg, &chart, &e) == 0) {
        html_raw(r->out, "<figure class=\"chart radar\">");
        buf_raw(r->out, svg.data);
        html_printf(r->out, "<figcaption>%s</figcaption></figure>\n", chart.title);
    } else {
        fprintf(stderr, "itss serve: radar chart: %s\n", e.message);
    }
    buf_free(&svg);
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"figures\">\n<caption>%s</caption>\n"
                        "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "</tr></thead>\n<tbody>\n",
                chart.title, web_t(r, "results.area"), web_t(r, "results.proficiency_level"), against);
    for (size_t i = 0; i < n; i++) {
        const engine_area *ea = &es->areas[i];
        html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\">%s</th><td>%s</td><td>",
                    ea->proficiency_level >= res->target_level ? "is-met" : "is-short", ea->area->name,
                    web_reached_label(r, ea->proficiency_level, label, sizeof label));
        put_mark(r, ea->proficiency_level >= res->target_level, 1);
        html_raw(r->out, "</td></tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</div>\n</section>\n");
}

/* One knowledge item below the minimum, as a list item. */
static void knowledge_gap_html(const person_results *res, const engine_area *ea, const catalog_knowledge_category *cat,
                               const catalog_item *item, const assessment_answer *x, void *ctx)
{
    (void)res;
    web_request *r = ctx;
    html_printf(r->out, "<li><span class=\"where\">%s › %s</span> <span class=\"standard\">", ea->area->name,
                cat->name);
    html_lines(r, item->text);
    html_printf(r->out, "</span> <span class=\"badge\">%s</span></li>\n",
                web_t(r, web_rating_key(x ? x->value : -1)));
}

/* Counts the knowledge items below the minimum (for "none missing"). */
static void knowledge_gap_count(const person_results *res, const engine_area *ea, const catalog_knowledge_category *cat,
                                const catalog_item *item, const assessment_answer *x, void *ctx)
{
    (void)res, (void)ea, (void)cat, (void)item, (void)x;
    ++*(int *)ctx;
}

/* The target form and what the target level still needs. */
static void put_gap(web_request *r, const person_results *res, const char *path)
{
    const engine_spec *es = res->selected;
    char label[64];
    html_printf(r->out, "<section class=\"card gap\" id=\"gap\">\n<h3>%s</h3>\n", web_t(r, "results.gap"));
    html_form_get(r, path);
    if (res->current) {
        char cycle[32];
        snprintf(cycle, sizeof cycle, "%lld", (long long)res->current->cycle_id);
        html_hidden(r, "cycle", cycle);
    }
    html_printf(r->out, "<div class=\"row no-print\"><label for=\"target\">%s</label>"
                        "<select id=\"target\" name=\"target\" data-autosubmit>\n",
                web_t(r, "results.gap_choose"));
    for (size_t i = 0; i < res->self->n_specs; i++) {
        const engine_spec *s = &res->self->specs[i];
        html_printf(r->out, "<optgroup label=\"%s\">\n", s->spec->name);
        for (size_t j = 0; j < s->n_levels; j++) {
            int l = s->levels[j].level;
            html_printf(r->out, "<option value=\"%s:%d\"%s>%s %s</option>\n", s->spec->code, l,
                        s == es && l == res->target_level ? " selected" : "", s->spec->name,
                        web_reached_label(r, l, label, sizeof label));
        }
        html_raw(r->out, "</optgroup>\n");
    }
    html_printf(r->out, "</select><button type=\"submit\" class=\"secondary\">%s</button></div>\n",
                web_t(r, "results.show"));
    html_form_end(r);

    char level[16];
    snprintf(level, sizeof level, "%d", res->target_level);
    html_printf(r->out, "<p class=\"target\" data-target=\"%s:%d\">", es->spec->id, res->target_level);
    web_html_tpl(r->out, web_t(r, "results.gap_for"), es->spec->name, level, NULL);
    html_raw(r->out, "</p>\n");
    if (!res->target) {
        html_printf(r->out, "<p>%s</p>\n</section>\n", web_t(r, "results.top_reached"));
        return;
    }

    /* Achievement indicators. */
    html_printf(r->out, "<h4>%s</h4>\n", web_t(r, "results.gap_criteria"));
    if (res->target->met) {
        html_printf(r->out, "<p class=\"met\">%s</p>\n", web_t(r, "results.gap_all_met"));
    } else {
        html_raw(r->out, "<ul class=\"gap-list\">\n");
        for (int k = 0; k < ENGINE_CRITERIA; k++) {
            const engine_criterion *cr = &res->target->criteria[k];
            if (cr->met)
                continue;
            html_printf(r->out, "<li><strong>%s</strong>: ", web_t(r, criterion_key((engine_criterion_kind)k)));
            if (cr->required < 0) {
                html_printf(r->out, "%s</li>\n", web_t(r, "results.required_unset"));
                continue;
            }
            if (k == ENGINE_EXPERIENCE) {
                char more[16], at_more[16];
                snprintf(more, sizeof more, "%d", cr->required - cr->count);
                snprintf(at_more, sizeof at_more, "%d", cr->at_level_required - cr->at_level);
                if (cr->count < cr->required)
                    web_html_tpl(r->out, web_t(r, "results.gap_experience_more"), more, NULL);
                if (cr->at_level < cr->at_level_required) {
                    if (cr->count < cr->required)
                        html_raw(r->out, " ");
                    web_html_tpl(r->out, web_t(r, "results.gap_experience_at"), level, at_more, NULL);
                }
                html_raw(r->out, "</li>\n");
                continue;
            }
            if (k != ENGINE_RESPONSIBILITY) {
                char more[16];
                snprintf(more, sizeof more, "%d", cr->required - cr->count);
                web_html_tpl(r->out, web_t(r, "results.gap_short"), more, NULL);
            }
            html_raw(r->out, "<ul class=\"items\">");
            for (size_t i = 0; i < cr->n_missing; i++) {
                const catalog_item *it = cr->missing[i];
                const assessment_answer *x = results_self_answer(res, it->id);
                html_printf(r->out, "<li class=\"item missing\" data-id=\"%s\">", it->id);
                put_mark(r, 0, x != NULL);
                html_raw(r->out, " <span class=\"standard\">");
                html_lines(r, it->text);
                html_raw(r->out, "</span></li>\n");
            }
            html_raw(r->out, "</ul></li>\n");
        }
        html_raw(r->out, "</ul>\n");
    }

    /* Proficiency descriptions up to the target, not met. */
    html_printf(r->out, "<h4>%s</h4>\n", web_t(r, "results.gap_proficiency"));
    int any = 0;
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        for (size_t j = 0; j < ea->n_steps; j++) {
            const engine_proficiency *st = &ea->steps[j];
            if (st->level > res->target_level || st->met)
                continue;
            if (!any)
                html_raw(r->out, "<ul class=\"gap-list\">\n");
            any = 1;
            html_printf(r->out, "<li data-id=\"%s\"><span class=\"where\">%s %s</span> ", st->description->id,
                        ea->area->name, web_reached_label(r, st->level, label, sizeof label));
            put_mark(r, 0, st->answered);
            html_raw(r->out, " <span class=\"standard\">");
            html_lines(r, st->description->text);
            html_raw(r->out, "</span></li>\n");
        }
    }
    if (any)
        html_raw(r->out, "</ul>\n");
    else
        html_printf(r->out, "<p class=\"met\">%s</p>\n", web_t(r, "results.gap_all_met"));

    /* Knowledge items rated below the minimum. */
    const char *min_label = web_t(r, web_rating_key(res->ev->policy->knowledge_min_rating));
    html_printf(r->out, "<h4>");
    web_html_tpl(r->out, web_t(r, "results.gap_knowledge"), min_label, NULL);
    html_raw(r->out, "</h4>\n");
    int missing = 0;
    for (size_t i = 0; i < es->n_areas; i++)
        results_each_knowledge_gap(res, &es->areas[i], res->target_level, knowledge_gap_count, &missing);
    if (missing) {
        html_raw(r->out, "<ul class=\"gap-list knowledge\">\n");
        for (size_t i = 0; i < es->n_areas; i++)
            results_each_knowledge_gap(res, &es->areas[i], res->target_level, knowledge_gap_html, r);
        html_raw(r->out, "</ul>\n");
    } else {
        html_printf(r->out, "<p class=\"met\">%s</p>\n", web_t(r, "results.gap_all_met"));
    }
    html_raw(r->out, "</section>\n");
}

/* Knowledge coverage per skill area: bars and the same figures as a table. */
static void put_knowledge(web_request *r, const person_results *res)
{
    const engine_spec *es = res->selected;
    size_t n = es->n_areas;
    if (n == 0)
        return;
    const char **labels = web_alloc(r, n * sizeof *labels);
    double *values = web_alloc(r, n * sizeof *values);
    for (size_t i = 0; i < n; i++) {
        const engine_area *ea = &es->areas[i];
        labels[i] = ea->area->name;
        values[i] = ea->knowledge_items ? 100.0 * ea->knowledge_covered / ea->knowledge_items : NAN;
    }
    const char *min_label = web_t(r, web_rating_key(res->ev->policy->knowledge_min_rating));
    char id[80];
    snprintf(id, sizeof id, "knowledge-%s", es->spec->code);
    for (char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            *p = '_';
    svg_bars chart = {
        .id = id,
        .title = web_text_tpl(r, web_t(r, "results.knowledge_title"), es->spec->name, NULL),
        .summary = web_text_tpl(r, web_t(r, "results.knowledge_intro"), min_label, NULL),
        .labels = labels,
        .values = values,
        .n = n,
        .max = 100,
        .unit = "%",
        .decimals = 0,
        .no_value = "-",
    };
    html_printf(r->out, "<section class=\"card\" id=\"knowledge\">\n<h3>%s</h3>\n<p>", web_t(r, "results.knowledge"));
    html_txt(r->out, chart.summary);
    html_raw(r->out, "</p>\n<div class=\"chart-pair\">\n");
    buf svg;
    buf_init(&svg);
    err e;
    memset(&e, 0, sizeof e);
    if (n <= SVG_ROWS_MAX && put_bar_chart(r, &svg, &chart, &e) == 0) {
        html_raw(r->out, "<figure class=\"chart bars\">");
        buf_raw(r->out, svg.data);
        html_printf(r->out, "<figcaption>%s</figcaption></figure>\n", chart.title);
    } else if (e.message[0]) {
        fprintf(stderr, "itss serve: knowledge chart: %s\n", e.message);
    }
    buf_free(&svg);
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"figures\">\n<caption>%s</caption>\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                chart.title, web_t(r, "results.area"), web_t(r, "results.items"), web_t(r, "results.rated"),
                web_t(r, "results.covered"), web_t(r, "results.share"));
    for (size_t i = 0; i < n; i++) {
        const engine_area *ea = &es->areas[i];
        html_printf(r->out, "<tr><th scope=\"row\">%s</th><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                            "<td class=\"num\">%d</td><td class=\"num\">",
                    ea->area->name, ea->knowledge_items, ea->knowledge_rated, ea->knowledge_covered);
        if (ea->knowledge_items)
            html_printf(r->out, "%d%%", ea->knowledge_covered * 100 / ea->knowledge_items);
        else
            html_raw(r->out, "-");
        html_raw(r->out, "</td></tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</div>\n</section>\n");
}

/* The level per specialization in every cycle: a table, and bars of the
 * selected specialization's level per cycle. */
static void put_history(web_request *r, const person_results *res)
{
    size_t n = res->assessments.count;
    if (n == 0)
        return;
    const web_eval *ev = res->ev;
    char label[64];
    html_printf(r->out, "<section class=\"card\" id=\"history\">\n<h2>%s</h2>\n<div class=\"chart-pair\">\n",
                web_t(r, "results.history"));
    size_t col = 0;
    for (size_t j = 0; res->selected && j < res->n_specs; j++)
        if (catalog_spec_at(ev->catalog, j) == res->selected->spec)
            col = j;
    if (res->selected && n <= SVG_ROWS_MAX) {
        const char **labels = web_alloc(r, n * sizeof *labels);
        double *values = web_alloc(r, n * sizeof *values);
        for (size_t i = 0; i < n; i++) {      /* oldest first */
            size_t k = n - 1 - i;
            labels[i] = res->assessments.items[k].cycle;
            int level = res->history[k * res->n_specs + col];
            values[i] = level >= 0 ? level : NAN;
        }
        svg_bars chart = {
            .id = "history-chart",
            .title = web_text_tpl(r, web_t(r, "results.history_title"), res->selected->spec->name, NULL),
            .summary = NULL,
            .labels = labels,
            .values = values,
            .n = n,
            .max = catalog_level_max(ev->catalog) > 0 ? catalog_level_max(ev->catalog) : 7,
            .unit = NULL,
            .decimals = 0,
            .no_value = "-",
        };
        buf svg;
        buf_init(&svg);
        err e;
        memset(&e, 0, sizeof e);
        if (put_bar_chart(r, &svg, &chart, &e) == 0) {
            html_raw(r->out, "<figure class=\"chart bars small\">");
            buf_raw(r->out, svg.data);
            html_printf(r->out, "<figcaption>%s</figcaption></figure>\n", chart.title);
        }
        buf_free(&svg);
    }
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"history\">\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th>",
                web_t(r, "results.cycle"), web_t(r, "results.status"));
    for (size_t j = 0; j < res->n_specs; j++)
        html_printf(r->out, "<th scope=\"col\">%s</th>", catalog_spec_at(ev->catalog, j)->name);
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t i = n; i-- > 0;) {
        const store_assessment *a = &res->assessments.items[i];
        html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\">%s</th><td><span class=\"badge %s\">%s</span></td>",
                    a == res->current ? "selected" : "", a->cycle, assessment_status_name(a->status),
                    web_t(r, web_status_key(a->status)));
        for (size_t j = 0; j < res->n_specs; j++) {
            int level = res->history[i * res->n_specs + j];
            html_printf(r->out, "<td>%s</td>", level >= 0 ? web_reached_label(r, level, label, sizeof label) : "-");
        }
        html_raw(r->out, "</tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</div>\n</section>\n");
}

/* The comment thread of the assessment shown; its person may answer. */
static void put_comments(web_request *r, const person_results *res)
{
    if (!res->current)
        return;
    char action[64], next[96], cycle[32];
    snprintf(action, sizeof action, "/people/%lld/comments", (long long)res->person.id);
    snprintf(next, sizeof next, "/results?cycle=%lld#comments", (long long)res->current->cycle_id);
    snprintf(cycle, sizeof cycle, "%lld", (long long)res->current->cycle_id);
    web_comment_form form = { .action = action, .cycle = cycle, .next = next };
    int own = r->user && r->user->person_id == res->person.id;
    web_comment_thread(r, &res->comments, own ? &form : NULL);
}

/* What the assessment shown says: the levels, then the specialization shown
 * in detail with its radar, the gap to the target, the explanation level by
 * level and the knowledge coverage. */
static void render_detail(web_request *r, const person_results *res, const char *path)
{
    const web_eval *ev = res->ev;
    if (res->self->n_answers_unknown) {
        char n[16];
        snprintf(n, sizeof n, "%d", res->self->n_answers_unknown);
        html_raw(r->out, "<div class=\"message notice\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, "results.unknown_answers"), n, NULL);
        html_raw(r->out, "</p></div>\n");
    }
    put_levels_table(r, res, path);
    const engine_spec *es = res->selected;
    char label[64];
    html_printf(r->out, "<section class=\"detail\" id=\"detail\">\n<h2>%s: %s</h2>\n", es->spec->name,
                web_reached_label(r, es->level, label, sizeof label));
    for (size_t i = 0; i < es->n_unmet_below; i++) {
        char n[16];
        snprintf(n, sizeof n, "%d", es->unmet_below[i]);
        html_raw(r->out, "<div class=\"message notice\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, "results.warning_lower"), n,
                     ev->policy->title ? ev->policy->title : ev->policy->id, NULL);
        html_raw(r->out, "</p></div>\n");
    }
    put_radar(r, res);
    put_gap(r, res, path);
    html_printf(r->out, "<section class=\"card explanation\" id=\"why\">\n<h3>%s</h3>\n<p class=\"muted\">%s</p>\n",
                web_t(r, "results.why"), web_t(r, "results.why_intro"));
    for (size_t i = es->n_levels; i-- > 0;)
        put_level_explanation(r, &es->levels[i]);
    html_raw(r->out, "</section>\n");
    put_knowledge(r, res);
    html_raw(r->out, "</section>\n");
}

/* render_detail through the results cache. The markup is made only of the
 * evaluated assessment (its id and revision), the words of the request's
 * language, the specialization and level chosen and the page's path, which
 * together are its key: the same key, the same bytes. */
static void put_detail(web_request *r, const person_results *res, const char *path)
{
    buf key;
    buf_init(&key);
    key_text(&key, "detail");
    buf_append(&key, &res->current->id, sizeof res->current->id);
    buf_append(&key, &res->current->revision, sizeof res->current->revision);
    key_text(&key, r->lang);
    key_text(&key, res->selected->spec->id);
    buf_append(&key, &res->target_level, sizeof res->target_level);
    key_text(&key, path);
    web_cache *cache = results_cache(r);
    web_cache_ref *ref;
    const char *kept = web_cache_get(cache, key.data, key.len, &ref);
    if (kept) {
        buf_raw(r->out, kept);
    } else {
        size_t start = r->out->len;
        render_detail(r, res, path);
        size_t len = r->out->len - start;
        char *made = malloc(len + 1);
        if (!made)
            abort();
        memcpy(made, r->out->data + start, len);
        made[len] = '\0';
        web_cache_put(cache, key.data, key.len, made, len + 1, free, &ref);
    }
    web_cache_return(ref);
    buf_free(&key);
}

/* The whole page of res. */
static void render_results(web_request *r, const person_results *res)
{
    const char *path = page_path(r, res);
    const web_eval *ev = res->ev;
    char title[256];
    snprintf(title, sizeof title, "%s - %s", web_t(r, "results.title"), res->person.name);
    html_begin(r, title);
    html_printf(r->out, "<article class=\"results\">\n<header class=\"results-head\">\n<h1>%s</h1>\n"
                        "<p class=\"person\"><strong>%s</strong> <span class=\"muted\">%s</span>",
                web_t(r, "results.title"), res->person.name, res->person.employee_number);
    if (res->person.org_name)
        html_printf(r->out, " · %s", res->person.org_name);
    html_raw(r->out, "</p>\n<dl class=\"facts\">\n");
    if (res->current)
        html_printf(r->out, "<dt>%s</dt><dd>%s <span class=\"badge %s\">%s</span></dd>\n", web_t(r, "results.cycle"),
                    res->current->cycle, assessment_status_name(res->current->status),
                    web_t(r, web_status_key(res->current->status)));
    html_printf(r->out, "<dt>%s</dt><dd>%s</dd>\n<dt>%s</dt><dd>%s <span class=\"muted\">(%s %s %s)</span></dd>\n"
                        "<dt>%s</dt><dd>%s %s</dd>\n</dl>\n",
                web_t(r, "results.rater"), web_t(r, "results.rater.self"), web_t(r, "results.policy"),
                ev->policy->title ? ev->policy->title : ev->policy->id, ev->policy->id,
                web_t(r, "results.version"), ev->policy->version, web_t(r, "results.catalog"), catalog_id(ev->catalog),
                catalog_version(ev->catalog));
    if (res->assessments.count > 1) {
        html_form_get(r, path);
        html_printf(r->out, "<div class=\"row no-print\"><label for=\"cycle\">%s</label>"
                            "<select id=\"cycle\" name=\"cycle\" data-autosubmit>\n",
                    web_t(r, "results.choose_cycle"));
        for (size_t i = 0; i < res->assessments.count; i++) {
            const store_assessment *a = &res->assessments.items[i];
            html_printf(r->out, "<option value=\"%lld\"%s>%s</option>\n", (long long)a->cycle_id,
                        a == res->current ? " selected" : "", a->cycle);
        }
        html_printf(r->out, "</select><button type=\"submit\" class=\"secondary\">%s</button></div>\n",
                    web_t(r, "results.show"));
        html_form_end(r);
    }
    html_raw(r->out, "</header>\n");

    if (!res->current) {
        html_message(r, "notice", web_t(r, "results.none"));
    } else if (res->other_catalog) {
        html_raw(r->out, "<div class=\"message notice\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, "results.other_catalog"), res->current->catalog_id,
                     res->current->catalog_version, NULL);
        html_raw(r->out, "</p></div>\n");
    } else {
        put_detail(r, res, path);
    }
    web_official_html(r, res->person.id, res->current);
    web_qualifications_html(r, res->person.id, res->current, 0);
    put_history(r, res);
    put_comments(r, res);
    html_raw(r->out, "</article>\n");
    html_end(r);
}

/* ---- Handlers ----------------------------------------------------------------------------- */

/* The person a results request is about: the user's own for the /results
 * routes, else :id when the user may see them. 0 after answering. */
static int64_t results_person(web_request *r, int own)
{
    if (own) {
        if (r->user->person_id <= 0) {
            web_reply_error(r, 404, "no_person", web_t(r, "results.no_person"), NULL);
            return 0;
        }
        return r->user->person_id;
    }
    int64_t id;
    if (!web_path_id(r, "id", &id))
        return 0;
    int may = web_may_see_person(r, id);
    if (may < 0)
        return 0;
    if (!may) {
        web_reply_403(r);
        return 0;
    }
    return id;
}

/* The four results routes in one: the results of the user (own) or of :id,
 * as the page or (json) as JSON. */
static void results_generic(web_request *r, int own, int json)
{
    int64_t id = results_person(r, own);
    if (!id)
        return;
    person_results *res = build_results(r, id);
    if (res && json)
        reply_results_json(r, res);
    else if (res)
        render_results(r, res);
}

/* The results of the user (own) or of :id as the personal diagnosis report,
 * a PDF download (report_person.h) named by the employee number. */
static void results_pdf(web_request *r, int own)
{
    int64_t id = results_person(r, own);
    if (!id)
        return;
    person_results *res = build_results(r, id);
    store *db = res ? web_store(r) : NULL;
    if (!db)
        return;
    report_doc d;
    err e;
    memset(&e, 0, sizeof e);
    int rc = report_person_doc(db, res, NULL, &d, &e);
    buf_reset(r->out);
    if (rc == 0)
        rc = report_pdf_buf(&d, r->out, &e);
    report_doc_free(&d);
    if (rc > 0) {
        web_reply_error(r, 404, "not_found", web_t(r, "results.no_assessment_in_cycle"), "cycle");
        return;
    }
    if (rc < 0) {
        web_store_failed(r, "report", &e);
        return;
    }
    r->res.status = 200;
    r->res.content_type = "application/pdf";
    char safe[64], disposition[160];
    size_t n = 0;
    for (const char *c = res->person.employee_number; *c && n + 1 < sizeof safe; c++)
        safe[n++] = ((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == '-')
                        ? *c : '_';
    safe[n] = '\0';
    snprintf(disposition, sizeof disposition, "attachment; filename=\"report-%s.pdf\"", safe);
    web_add_header(r, "Content-Disposition", disposition);
}

/* GET /results/report.pdf[?cycle=C&target=S:L]  My personal diagnosis report as PDF. */
void web_page_results_pdf(web_request *r)
{
    results_pdf(r, 1);
}

/* GET /people/:id/report.pdf[?cycle=C&target=S:L]  The personal diagnosis report
 * of a person the user may see, as PDF (403 otherwise). */
void web_page_person_report_pdf(web_request *r)
{
    results_pdf(r, 0);
}

/* GET /results[?cycle=C&spec=S&target=S:L]  The user's own results. */
void web_page_results(web_request *r)
{
    results_generic(r, 1, 0);
}

/* GET /people/:id/results[?cycle=C&spec=S&target=S:L]  The results of a person
 * the user may see (web_access.h). */
void web_page_person_results(web_request *r)
{
    results_generic(r, 0, 0);
}

/* GET /api/v1/me/results[?cycle=C&spec=S&target=S:L]  The user's own results as JSON. */
void web_api_me_results(web_request *r)
{
    results_generic(r, 1, 1);
}

/* GET /api/v1/people/:id/results[?cycle=C&spec=S&target=S:L]  A person's results as JSON. */
void web_api_person_results(web_request *r)
{
    results_generic(r, 0, 1);
}
