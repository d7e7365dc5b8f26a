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
 * The page group is three files over web_results_int.h (SQLite's way): this
 * one keeps what the results pages keep between requests, builds one person's
 * results and holds the handlers; web_results_json.c answers the API and
 * web_results_html.c renders the page. What the manager's pages share with
 * these lives in the page kit (web_kit.h). */
#include "web_results_int.h"
#include "web_kit.h"
#include "report_pdf.h"
#include "report_person.h"
#include "results.h"
#include "web_access.h"
#include "web_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
web_cache *web_results_cache(web_request *r)
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
    web_cache *cache = web_results_cache(r);
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
void web_results_key_text(buf *k, const char *s)
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
    web_results_key_text(k, "radar");
    web_results_key_text(k, c->id);
    web_results_key_text(k, c->title);
    web_results_key_text(k, c->summary);
    buf_append(k, &c->n_axes, sizeof c->n_axes);
    for (size_t i = 0; i < c->n_axes; i++)
        web_results_key_text(k, c->axes[i]);
    buf_append(k, &c->max, sizeof c->max);
    buf_append(k, &c->n_series, sizeof c->n_series);
    for (size_t i = 0; i < c->n_series; i++) {
        web_results_key_text(k, c->series[i].name);
        web_results_key_text(k, c->series[i].css_class);
        key_numbers(k, c->series[i].values, c->series[i].values ? c->n_axes : 0);
    }
    web_results_key_text(k, c->no_value);
}

static void bars_key(buf *k, const svg_bars *c)
{
    web_results_key_text(k, "bars");
    web_results_key_text(k, c->id);
    web_results_key_text(k, c->title);
    web_results_key_text(k, c->summary);
    buf_append(k, &c->n, sizeof c->n);
    for (size_t i = 0; i < c->n; i++)
        web_results_key_text(k, c->labels[i]);
    key_numbers(k, c->values, c->n);
    buf_append(k, &c->max, sizeof c->max);
    web_results_key_text(k, c->unit);
    buf_append(k, &c->decimals, sizeof c->decimals);
    web_results_key_text(k, c->no_value);
}

/* Appends to out the chart whose inputs key holds: kept in the results cache,
 * or drawn by draw(svg, chart, e) and kept. 0, or -1 with *e when the chart's
 * description is wrong (nothing appended). */
static int put_chart(web_request *r, buf *out, const buf *key, int (*draw)(buf *, const void *, err *),
                     const void *chart, err *e)
{
    web_cache *cache = web_results_cache(r);
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
int web_results_radar_chart(web_request *r, buf *out, const svg_radar *chart, err *e)
{
    buf key;
    buf_init(&key);
    radar_key(&key, chart);
    int rc = put_chart(r, out, &key, draw_radar, chart, e);
    buf_free(&key);
    return rc;
}

/* svg_bar_chart through the results cache. */
int web_results_bar_chart(web_request *r, buf *out, const svg_bars *chart, err *e)
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
    return web_path_person(r, &id) < 0 ? 0 : id;
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
        web_results_reply_json(r, res);
    else if (res)
        web_results_render(r, res);
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
