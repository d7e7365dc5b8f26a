/* web_kit.c - what the pages share (cgit's ui-shared.c): the catalog, policy and
 * evaluator the application owns, the "log it and answer 503" reply, the
 * assessment a page is about, the person of the logged-in user, and the words
 * several pages write (levels, statuses, ratings, message templates).
 *
 * Pages include this file's header (web_kit.h), never another page's. */
#include "web_kit.h"
#include "store_specs.h"
#include "assessment_specs.h"
#include "web_access.h"
#include "html.h"
#include "web_json.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- The standard and the policy a request evaluates with ------------------------------ */

static pthread_once_t policy_once = PTHREAD_ONCE_INIT;
static policy *builtin_policy;
static pthread_once_t catalog_once = PTHREAD_ONCE_INIT;
static catalog *builtin_catalog;

/* Loads the built-in policy once for the process (never freed: it is shared by
 * every request until the program ends). */
static void load_builtin_policy(void)
{
    err_list *errors = calloc(1, sizeof *errors);
    builtin_policy = policy_load_builtin(errors);
    if (!builtin_policy && errors && errors->count) {
        char line[1024];
        fprintf(stderr, "itss serve: the built-in policy: %s\n", err_format(&errors->items[0], line, sizeof line));
    }
    free(errors);
}

/* Loads the built-in catalog once, for a server started without one. */
static void load_builtin_catalog(void)
{
    err_list *errors = calloc(1, sizeof *errors);
    builtin_catalog = catalog_load_builtin(errors);
    if (!builtin_catalog && errors && errors->count) {
        char line[1024];
        fprintf(stderr, "itss serve: the built-in catalog: %s\n", err_format(&errors->items[0], line, sizeof line));
    }
    free(errors);
}

/* The catalog every page of r's app shows and evaluates with: the one the app
 * was configured with, else the built-in one (loaded once for the process).
 * NULL only when neither is there (logged by the loader). */
static const catalog *app_catalog_of(web_app *app)
{
    const catalog *c = web_app_config(app)->catalog;
    if (!c) {
        pthread_once(&catalog_once, load_builtin_catalog);
        c = builtin_catalog;
    }
    return c;
}

static const catalog *app_catalog(web_request *r)
{
    return app_catalog_of(r->app);
}

/* The key of the evaluation context among the app's memos. */
static const char eval_memo_key = 0;

/* What an evaluation context is made of. */
typedef struct eval_parts {
    const catalog *catalog;
    const policy *policy;
} eval_parts;

/* Makes the evaluation context of a catalog and a policy (ctx, eval_parts):
 * the engine is prepared once per app, then shared by every request. */
static void *make_eval(void *ctx)
{
    const eval_parts *parts = ctx;
    web_eval *ev = calloc(1, sizeof *ev);
    if (!ev)
        return NULL;
    ev->catalog = parts->catalog;
    ev->policy = parts->policy;
    ev->engine = engine_new(parts->catalog, parts->policy);
    snprintf(ev->policy_key, sizeof ev->policy_key, "%s@%s", parts->policy->id, parts->policy->version);
    return ev;
}

static void free_eval(void *p)
{
    web_eval *ev = p;
    engine_free((engine *)ev->engine);
    free(ev);
}

const web_eval *web_app_evaluator(web_app *app)
{
    const catalog *c = app_catalog_of(app);
    const policy *p = web_app_config(app)->policy;
    if (!p) {
        pthread_once(&policy_once, load_builtin_policy);
        p = builtin_policy;
    }
    const web_eval *ev = NULL;
    eval_parts parts = { c, p };
    if (c && p && policy_check_catalog(p, c, NULL) == 0)
        ev = web_app_memo(app, &eval_memo_key, make_eval, &parts, free_eval);
    if (!ev && c && p)
        fprintf(stderr, "itss serve: the policy %s does not cover the levels of catalog %s\n", p->id, catalog_id(c));
    return ev;
}

const web_eval *web_evaluator(web_request *r)
{
    const web_eval *ev = web_app_evaluator(r->app);
    if (!ev)
        web_reply_error(r, 503, "unavailable", web_t(r, "results.no_standard"), NULL);
    return ev;
}

int web_find_assessment(web_request *r, int64_t person_id, const char *cycle, store_assessment *out)
{
    memset(out, 0, sizeof *out);
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    switch (results_find_assessment(db, person_id, cycle, out, &e)) {
    case RESULTS_OK: return 1;
    case RESULTS_NO_CYCLE: web_reply_error(r, 404, "not_found", web_t(r, "results.no_cycle"), "cycle"); return -1;
    case RESULTS_NO_ASSESSMENT_IN_CYCLE:
        if (!cycle || !*cycle)
            return 0;
        web_reply_error(r, 404, "not_found", web_t(r, "results.no_assessment_in_cycle"), "cycle");
        return -1;
    default: web_store_failed(r, "an assessment", &e); return -1;
    }
}

/* Keeps the level of every specialization of result res in the results cache.
 * A failure is logged, not answered: the levels are right, only not kept. */
static void cache_levels(store *db, const web_eval *ev, int64_t assessment_id, const engine_result *res)
{
    err e;
    memset(&e, 0, sizeof e);
    if (store_begin(db, &e) < 0)
        goto failed;
    for (size_t i = 0; i < res->n_specs; i++) {
        if (store_result_put(db, assessment_id, ev->policy_key, res->specs[i].spec->id, res->specs[i].level, NULL,
                             &e) < 0) {
            store_rollback(db, NULL);
            goto failed;
        }
    }
    if (store_commit(db, &e) == 0)
        return;
failed:;
    char line[1024];
    fprintf(stderr, "itss serve: the results of assessment %lld were not cached: %s\n", (long long)assessment_id,
            err_format(&e, line, sizeof line));
}

int web_assessment_levels_all(web_request *r, const web_eval *ev, const store_assessment *a, int *levels)
{
    size_t n = catalog_spec_count(ev->catalog);
    for (size_t i = 0; i < n; i++)
        levels[i] = -1;
    if (!results_same_catalog(ev, a))
        return 0;
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    store_result_list cached;
    if (store_result_list_assessment(db, a->id, ev->policy_key, &cached, &e) < 0) {
        web_store_failed(r, "the results cache", &e);
        return -1;
    }
    size_t hits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = catalog_spec_at(ev->catalog, i)->id;
        for (size_t j = 0; j < cached.count; j++)
            if (strcmp(cached.items[j].specialization_id, id) == 0) {
                levels[i] = cached.items[j].level;
                hits++;
                break;
            }
    }
    store_result_list_free(&cached);
    if (hits == n)
        return 1;

    assessment *as = NULL;
    int found = store_assessment_load(db, a->id, &as, &e);
    if (found < 0) {
        web_store_failed(r, "an assessment", &e);
        return -1;
    }
    if (found == 0) {          /* gone meanwhile: nothing reached */
        for (size_t i = 0; i < n; i++)
            levels[i] = 0;
        return 1;
    }
    engine_result *res = engine_result_new(ev->engine);
    engine_evaluate(ev->engine, as, RATER_SELF, res);
    for (size_t i = 0; i < n && i < res->n_specs; i++)
        levels[i] = res->specs[i].level;
    cache_levels(db, ev, a->id, res);
    engine_result_free(res);
    assessment_free(as);
    return 1;
}

/* Sets levels[i] to -1 for the specializations a is not diagnosed in
 * (store_diagnosed_specs: the person's choice, else their own answers). 0, or
 * -1 after answering 503. */
static int only_diagnosed(web_request *r, const web_eval *ev, const store_assessment *a, int *levels)
{
    size_t n = catalog_spec_count(ev->catalog);
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    store_spec_choice choice;
    if (store_spec_choice_get(db, a->id, &choice, &e) < 0) {
        web_store_failed(r, "specializations", &e);
        return -1;
    }
    assessment *as = NULL;
    int found = choice.count ? 0 : store_assessment_load(db, a->id, &as, &e);
    int *diagnosed = web_alloc(r, (n + 1) * sizeof *diagnosed);
    if (found >= 0)
        assessment_diagnosed_specs(ev->catalog, as, (const char *const *)choice.ids, choice.count, diagnosed);
    store_spec_choice_clear(&choice);
    assessment_free(as);
    if (found < 0) {
        web_store_failed(r, "an assessment", &e);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (!diagnosed[i])
            levels[i] = -1;
    return 0;
}

int web_assessment_levels(web_request *r, const web_eval *ev, const store_assessment *a, int *levels)
{
    int rc = web_assessment_levels_all(r, ev, a, levels);
    if (rc == 1 && only_diagnosed(r, ev, a, levels) < 0)
        return -1;
    return rc;
}

const char *web_moment(web_request *r, const char *utc)
{
    int y, mo, d, h, mi, s;
    char z;
    if (!utc || sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z')
        return utc;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h + 9;           /* JST = UTC+9 */
    tm.tm_min = mi;
    tm.tm_sec = s;
    timegm(&tm);                  /* normalizes the day, month and year */
    char *out = web_alloc(r, 24);
    strftime(out, 24, "%Y-%m-%d %H:%M JST", &tm);
    return out;
}

const char *web_reached_label(const web_request *r, int level, char *out, size_t size)
{
    if (level <= 0) {
        snprintf(out, size, "%s", web_t(r, "results.not_reached"));
        return out;
    }
    char n[16];
    snprintf(n, sizeof n, "%d", level);
    buf b;
    buf_init(&b);
    const char *tpl = web_t(r, "results.level_n");
    for (const char *p = tpl; *p; p++) {
        if (p[0] == '{' && p[1] == '1' && p[2] == '}') {
            buf_puts(&b, n);
            p += 2;
        } else {
            buf_putc(&b, *p);
        }
    }
    snprintf(out, size, "%s", b.data ? b.data : "");
    buf_free(&b);
    return out;
}

const char *web_status_key(assessment_status s)
{
    switch (s) {
    case ASSESSMENT_DRAFT: return "results.status.draft";
    case ASSESSMENT_SUBMITTED: return "results.status.submitted";
    case ASSESSMENT_RETURNED: return "results.status.returned";
    case ASSESSMENT_APPROVED: return "results.status.approved";
    default: return "results.status.draft";
    }
}

const char *web_rating_key(int rating)
{
    static const char *const keys[] = { "results.rating.0", "results.rating.1", "results.rating.2",
                                        "results.rating.3", "results.rating.4" };
    return rating >= 0 && rating <= ASSESS_RATING_MAX ? keys[rating] : "results.unanswered";
}

/* Appends tpl with {n} replaced by the n-th of args; escape chooses HTML escaping. */
static void put_tpl(buf *b, int escape, const char *tpl, va_list ap)
{
    const char *args[10];
    size_t n = 0;
    const char *s;
    while (n < 10 && (s = va_arg(ap, const char *)) != NULL)
        args[n++] = s;
    const char *p = tpl;
    while (*p) {
        size_t run = strcspn(p, "{");
        if (run) {
            char *piece = strndup(p, run);
            if (!piece)
                abort();
            if (escape)
                html_txt(b, piece);
            else
                buf_puts(b, piece);
            free(piece);
            p += run;
            continue;
        }
        if (p[1] >= '1' && p[1] <= '9' && p[2] == '}' && (size_t)(p[1] - '1') < n) {
            if (escape)
                html_txt(b, args[p[1] - '1']);
            else
                buf_puts(b, args[p[1] - '1']);
            p += 3;
        } else {
            buf_putc(b, '{');
            p++;
        }
    }
}

void web_html_tpl(buf *b, const char *tpl, ...)
{
    va_list ap;
    va_start(ap, tpl);
    put_tpl(b, 1, tpl, ap);
    va_end(ap);
}

const char *web_text_tpl(web_request *r, const char *tpl, ...)
{
    buf b;
    buf_init(&b);
    va_list ap;
    va_start(ap, tpl);
    put_tpl(&b, 0, tpl, ap);
    va_end(ap);
    const char *s = web_strdup(r, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

/* ---- The standard: the catalog and its words ----------------------------------------- */

/* The catalog of the application (the built-in one for an app configured
 * without one, as web_evaluator uses), or NULL after logging and answering 503
 * when not even the built-in catalog loads. Belongs to the application. */
const catalog *web_catalog(web_request *r)
{
    const catalog *c = app_catalog(r);
    if (!c) {
        fprintf(stderr, "itss serve: %s: no catalog (the built-in one did not load)\n", r->path);
        web_reply_error(r, 503, "no_catalog", web_t(r, "std.no_catalog"), NULL);
    }
    return c;
}

/* "レベル4" / "Level 4" into out. */
void web_level_label(const web_request *r, int level, char *out, size_t size)
{
    snprintf(out, size, "%s%d", web_t(r, "std.level_prefix"), level);
}

/* The message key of a criterion's heading: std.complexity, std.size, std.task. */
static const char *criterion_key(catalog_criterion_kind k)
{
    switch (k) {
    case CRITERION_COMPLEXITY: return "std.complexity";
    case CRITERION_SIZE: return "std.size";
    default: return "std.task";
    }
}

/* The heading of a criterion in the request's language (the standard's own word
 * in Japanese). Static string. */
const char *web_criterion_label(const web_request *r, catalog_criterion_kind k)
{
    return web_t(r, criterion_key(k));
}

/* ---- The person of the logged-in user ---------------------------------------------- */

/* The person the logged-in user is, once the access rule agrees: 0 with *out,
 * or -1 after answering (403 for an account linked to no person, 503 on a failure). */
int web_own_person(web_request *r, int64_t *out)
{
    int64_t id = r->user ? r->user->person_id : 0;
    if (id <= 0) {
        web_reply_error(r, 403, "no_person", web_t(r, "diag.no_person"), NULL);
        return -1;
    }
    int may = web_may_see_person(r, id);
    if (may < 0)
        return -1;
    if (!may) {
        web_reply_403(r);
        return -1;
    }
    *out = id;
    return 0;
}

/* ---- A diagnosis handed in --------------------------------------------------------------- */

/* Is the diagnosis of person_id in the cycle in force handed in? See web_kit.h. */
int web_diagnosis_locked(web_request *r, int64_t person_id)
{
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    store_cycle cy;
    memset(&cy, 0, sizeof cy);
    int found = store_cycle_current(db, NULL, &cy, &e);
    int64_t cycle_id = cy.id;
    store_cycle_clear(&cy);
    if (found < 0) {
        web_store_failed(r, "cycle in force", &e);
        return -1;
    }
    if (found == 0)
        return 0;
    store_assessment sa;
    memset(&sa, 0, sizeof sa);
    found = store_assessment_find(db, person_id, cycle_id, &sa, &e);
    assessment_status status = sa.status;
    store_assessment_clear(&sa);
    if (found < 0) {
        web_store_failed(r, "assessment", &e);
        return -1;
    }
    return found == 1 && (status == ASSESSMENT_SUBMITTED || status == ASSESSMENT_APPROVED);
}

/* ---- The comment thread of an assessment --------------------------------------------------- */

void web_comment_thread(web_request *r, const store_comment_list *comments, const web_comment_form *form)
{
    html_printf(r->out, "<section class=\"card comments\" id=\"comments\">\n<h2>%s</h2>\n",
                web_t(r, "results.comments"));
    if (comments->count == 0)
        html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "results.no_comments"));
    else
        html_raw(r->out, "<ol class=\"thread\">\n");
    for (size_t i = 0; i < comments->count; i++) {
        const store_comment *c = &comments->items[i];
        char kind_key[32];
        snprintf(kind_key, sizeof kind_key, "results.comment_kind.%s", store_comment_kind_name(c->kind));
        html_printf(r->out, "<li class=\"comment %s\"><p class=\"meta\"><strong>%s</strong> <span class=\"muted\">%s"
                            "</span> <time datetime=\"%s\">%s</time>",
                    store_comment_kind_name(c->kind), c->author_name ? c->author_name : c->author, c->author,
                    c->created_at, web_moment(r, c->created_at));
        if (c->kind != COMMENT_NOTE)
            html_printf(r->out, " <span class=\"badge %s\">%s</span>",
                        c->kind == COMMENT_RETURN ? "returned" : "approved", web_t(r, kind_key));
        html_raw(r->out, "</p><p class=\"body\">");
        html_lines(r, c->body);
        html_raw(r->out, "</p></li>\n");
    }
    if (comments->count)
        html_raw(r->out, "</ol>\n");
    if (form) {
        html_form_post(r, form->action);
        html_hidden(r, "cycle", form->cycle);
        if (form->next)
            html_hidden(r, "next", form->next);
        html_printf(r->out, "<div class=\"field no-print\"><label for=\"comment-body\">%s</label>"
                            "<textarea id=\"comment-body\" name=\"body\" maxlength=\"%d\" required></textarea></div>\n",
                    web_t(r, "results.comment_add"), STORE_COMMENT_MAX);
        if (form->secondary)
            html_printf(r->out, "<div class=\"no-print\"><button type=\"submit\" class=\"secondary\">%s</button></div>",
                        web_t(r, "results.comment_submit"));
        else {
            html_raw(r->out, "<div class=\"no-print\">");
            html_submit(r, web_t(r, "results.comment_submit"));
            html_raw(r->out, "</div>");
        }
        html_form_end(r);
    }
    html_raw(r->out, "</section>\n");
}

int web_body_cycle(web_request *r, const json_value *body, const char **cycle)
{
    return web_json_name_or_id(r, body, "cycle", web_t(r, "review.bad_cycle"), cycle) < 0 ? -1 : 0;
}

/* A number as text in request memory. */
static const char *number_text(web_request *r, long long n)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", n);
    return web_strdup(r, text);
}

void web_csv_errors(web_request *r, const char *name, const err_list *errors)
{
    size_t n = errors->count + errors->dropped;
    html_raw(r->out, "<p>");
    web_html_tpl(r->out, web_t(r, "hr.import.nothing"), name, number_text(r, (long long)n), NULL);
    html_printf(r->out, "</p>\n<div class=\"table-wrap\" tabindex=\"0\"><table class=\"import-errors\">\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "hr.import.col.line"), web_t(r, "hr.import.col.column"), web_t(r, "hr.import.col.field"),
                web_t(r, "hr.import.col.message"));
    for (size_t i = 0; i < errors->count; i++) {
        const err *x = &errors->items[i];
        char key[96];
        html_printf(r->out, "<tr data-line=\"%d\"><td class=\"num\">%s</td><td class=\"num\">%s</td><td>", x->line,
                    x->line ? number_text(r, x->line) : "", x->column ? number_text(r, x->column) : "");
        snprintf(key, sizeof key, "import.col.%s", x->path);
        if (x->path[0])
            html_printf(r->out, "%s", strcmp(web_t(r, key), key) ? web_t(r, key) : x->path);
        html_raw(r->out, "</td><td>");
        snprintf(key, sizeof key, "import.err.%s", x->key);
        if (x->key[0] && strcmp(web_t(r, key), key) != 0)
            web_html_tpl(r->out, web_t(r, key), x->detail, NULL);
        else
            html_printf(r->out, "<span lang=\"en\">%s</span>", x->message);
        html_raw(r->out, "</td></tr>\n");
    }
    html_raw(r->out, "</tbody></table></div>\n");
    if (errors->dropped) {
        html_raw(r->out, "<p>");
        web_html_tpl(r->out, web_t(r, "hr.import.more"), number_text(r, (long long)errors->dropped), NULL);
        html_raw(r->out, "</p>\n");
    }
}

const char *web_upload_name(web_request *r, const web_upload *u)
{
    const char *name = u->filename ? u->filename : "";
    const char *slash = strrchr(name, '/'), *backslash = strrchr(name, '\\');
    if (slash)
        name = slash + 1;
    if (backslash && backslash + 1 > name)
        name = backslash + 1;
    int control = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        control |= *p < 0x20 || *p == 0x7f;
    if (!*name || strlen(name) > 200 || control)
        name = "upload.csv";
    return web_strdup(r, name);
}

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const char *web_base64(web_request *r, const char *data, size_t len)
{
    char *out = web_alloc(r, (len + 2) / 3 * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)(unsigned char)data[i + 1] << 8;
        if (i + 2 < len)
            v |= (unsigned char)data[i + 2];
        out[o++] = b64_chars[v >> 18 & 63];
        out[o++] = b64_chars[v >> 12 & 63];
        out[o++] = i + 1 < len ? b64_chars[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? b64_chars[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

int web_unbase64(web_request *r, const char *text, const char **data, size_t *len)
{
    size_t n = strlen(text);
    char *out = web_alloc(r, n / 4 * 3 + 1);
    size_t o = 0;
    uint32_t v = 0;
    int bits = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = text[i] ? strchr(b64_chars, text[i]) : NULL;
        if (text[i] == '=') {
            pad++;
            continue;
        }
        if (text[i] == '\r' || text[i] == '\n')
            continue;
        if (!p || pad)
            return 0;
        v = v << 6 | (uint32_t)(p - b64_chars);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)(v >> bits & 255);
        }
    }
    out[o] = '\0';
    *data = out;
    *len = o;
    return 1;
}
