/* web_hr_data.c - what HR does, apart from how it is shown (see web_hr_data.h): the
 * checks of cycles, org units and people with messages in the request's
 * language (the rules of the values are rules.h's, worded here), the 人材ポートフォリオ counts, and the import and export runs that
 * the HR pages and the HR API both use. */
#include "web_hr_data.h"
#include "web_kit.h"
#include "html.h"
#include "report_org.h"
#include "store_target.h"
#include "report_pdf.h"
#include "report_xlsx.h"
#include "review.h"
#include "rules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

void web_hr_today(char out[11])
{
    rules_today(out);
}

/* The rule is rules.h's. */
int web_hr_is_date(const char *s)
{
    return rules_is_date(s);
}

const char *web_hr_cycle_state(const store_cycle *c, const char *today)
{
    if (strcmp(today, c->opens) < 0)
        return "upcoming";
    if (strcmp(today, c->closes) > 0)
        return "closed";
    return "open";
}

/* The message key in r's language with "{}" replaced by arg (escaped later, as
 * any text), in request memory. */
static const char *fill(web_request *r, const char *key, const char *arg)
{
    const char *text = web_t(r, key);
    const char *at = strstr(text, "{}");
    if (!at)
        return text;
    buf b;
    buf_init(&b);
    buf_append(&b, text, (size_t)(at - text));
    buf_puts(&b, arg ? arg : "");
    buf_puts(&b, at + 2);
    const char *s = web_strdup(r, b.data);
    buf_free(&b);
    return s;
}

/* Sets *p and returns 0 (a check's refusal). */
static int refuse(web_hr_problem *p, const char *field, const char *message)
{
    p->field = field;
    p->message = message;
    return 0;
}

/* The words of a value's refusal by rules.h (e->key) on the HR pages: the
 * message key, code_key for a code (whose stray characters read as spaces). */
static const char *rule_words(const err *e, const char *code_key)
{
    static const char *const words[][2] = {
        { "text.empty", "hr.err.empty" }, { "text.long", "hr.err.text_long" }, { "code.long", "hr.err.code_long" },
        { "code.space", "hr.err.code_space" },
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(e->key, words[i][0]) == 0)
            return words[i][1];
    return code_key ? code_key : "hr.err.control";    /* text.control, text.utf8 */
}

/* A code (employee number, org unit code) by rules_code; NULL or the message key. */
static const char *code_problem(const char *v)
{
    err e;
    return rules_code(&e, "code", v) < 0 ? rule_words(&e, "hr.err.code_space") : NULL;
}

/* A name by rules_name (required unless optional); NULL or the message key. */
static const char *name_problem(const char *v, int required)
{
    err e;
    return rules_name(&e, "name", v, required) < 0 ? rule_words(&e, NULL) : NULL;
}

/* A date by rules_date: NULL, or its refusal in r's language. */
static const char *date_problem(web_request *r, const char *v)
{
    err e;
    if (rules_date(&e, "date", v, 1) == 0)
        return NULL;
    return strcmp(e.key, "text.empty") == 0 ? web_t(r, "hr.err.empty") : fill(r, "hr.err.date", v);
}

int web_hr_check_cycle(web_request *r, const char *name, const char *opens, const char *closes, web_hr_problem *p)
{
    const char *k;
    if ((k = name_problem(name, 1)))
        return refuse(p, "name", web_t(r, k));
    if ((k = date_problem(r, opens)))
        return refuse(p, "opens", k);
    if ((k = date_problem(r, closes)))
        return refuse(p, "closes", k);
    if (strcmp(closes, opens) < 0)
        return refuse(p, "closes", web_t(r, "hr.err.closes_before"));
    return 1;
}

int web_hr_check_org(web_request *r, const char *code, const char *name, web_hr_problem *p)
{
    const char *k;
    if ((k = code_problem(code)))
        return refuse(p, "code", web_t(r, k));
    if ((k = name_problem(name, 1)))
        return refuse(p, "name", web_t(r, k));
    return 1;
}

int web_hr_check_person(web_request *r, const store_person *person, web_hr_problem *p)
{
    const char *k;
    err e;
    if ((k = code_problem(person->employee_number)))
        return refuse(p, "employee_number", web_t(r, k));
    if ((k = name_problem(person->name, 1)))
        return refuse(p, "name", web_t(r, k));
    if ((k = name_problem(person->kana, 0)))
        return refuse(p, "kana", web_t(r, k));
    if (rules_email(&e, "email", person->email) < 0)
        return refuse(p, "email", fill(r, "hr.err.email", person->email));
    if (person->manager_id > 0 && person->manager_id == person->id)
        return refuse(p, "manager_employee_number", web_t(r, "hr.err.own_manager"));
    return 1;
}

void web_hr_store_problem(web_request *r, const err *e, const char *value, web_hr_problem *p)
{
    /* the store's keys (store.h) and the pages' message keys */
    static const char *const words[][2] = {
        { "cycle.name_taken", "hr.err.cycle_taken" },     { "cycle.closes_before", "hr.err.closes_before" },
        { "org.code_taken", "hr.err.org_taken" },         { "org.parent_unknown", "hr.err.org_unknown" },
        { "org.below_itself", "hr.err.org_below_itself" }, { "person.number_taken", "hr.err.number_taken" },
        { "person.org_unknown", "hr.err.org_unknown" },   { "person.own_manager", "hr.err.own_manager" },
        { "person.manager_unknown", "hr.err.manager_unknown" },
    };
    p->field = web_hr_store_field(e->path);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(e->key, words[i][0]) == 0) {
            p->message = fill(r, words[i][1], value);
            return;
        }
    if (e->code == ERR_INVALID && e->key[0])    /* a rule of rules.h */
        p->message = web_t(r, rule_words(e, NULL));
    else
        p->message = web_strdup(r, e->message);
}

const char *web_hr_store_field(const char *path)
{
    if (!path || !*path)
        return NULL;
    if (strcmp(path, "manager_id") == 0)
        return "manager_employee_number";
    return path;
}

/* ---- 人材ポートフォリオ -------------------------------------------------------- */

int web_hr_level_kind(web_request *r)
{
    const char *k = web_query(r, "levels");
    if (!k || !*k || strcmp(k, "official") == 0)
        return 0;
    if (strcmp(k, "self") == 0)
        return 1;
    web_hr_refuse(r, 400, "hr.err.levels_kind", "levels");
    return -1;
}

int web_official_levels(web_request *r, const web_eval *ev, const store_assessment *a, int *levels)
{
    size_t n_specs = catalog_spec_count(ev->catalog);
    for (size_t s = 0; s < n_specs; s++)
        levels[s] = -1;
    store *db = web_store(r);
    if (!db)
        return -1;
    char today[11];
    review_today(today);
    store_official o;
    err e;
    memset(&e, 0, sizeof e);
    if (store_official_levels(db, a->id, today, &o, &e) < 0) {
        web_store_failed(r, "official levels", &e);
        return -1;
    }
    for (size_t s = 0; s < n_specs; s++)
        for (size_t k = 0; k < o.count; k++)
            if (strcmp(o.items[k].specialization_id, catalog_spec_at(ev->catalog, s)->id) == 0)
                levels[s] = o.items[k].level;
    int any = o.count > 0;
    store_official_clear(&o);
    return any;
}

/* Frees levels when the request ends. */
static void free_levels(void *p)
{
    report_levels_free(p);
}

/* Frees a portfolio's counts when the request ends. */
static void free_portfolio(void *p)
{
    portfolio_free(p);
}

/* The levels held in the organization's columns (orgcols.h), the ones the
 * portfolio counts, for report_levels: self-assessed and official. */
static int held_levels(void *ctx, const store_assessment *a, int *levels, err *e)
{
    (void)e;
    return orgcols_levels(ctx, a->id, levels) == 1 ? 1 : 0;
}

static int held_official(void *ctx, const store_assessment *a, int *levels, int *certified, err *e)
{
    (void)e;
    unsigned bits = 0;
    int rc = orgcols_official(ctx, a->id, levels, &bits);
    *certified = bits != 0;
    return rc == 1 ? 1 : 0;
}

/* Reads the levels of one cycle for the portfolio's lists into *out (request
 * memory, freed at the end), from the organization's columns, so that a list
 * has exactly the people the count counted; -1 after answering. */
static int load_levels(web_request *r, const web_eval *ev, int64_t cycle_id, int64_t org_unit_id, int self,
                       int approved_only, report_levels *out)
{
    store *db = web_store(r);
    const orgcols *oc = db ? web_orgcols_acquire(r) : NULL;
    if (!oc)
        return -1;
    report_level_source source = { held_levels, held_official, (void *)oc };
    report_levels_query q = { cycle_id, org_unit_id, self, approved_only, NULL, &source };
    err e;
    memset(&e, 0, sizeof e);
    int rc = report_levels_load(db, ev->catalog, ev->policy, &q, out, &e);
    web_orgcols_release(r);
    web_defer(r, free_levels, out);
    if (rc < 0)
        web_store_failed(r, "portfolio", &e);
    return rc;
}

int web_hr_portfolio_levels(web_request *r, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                            int64_t compare_cycle_id, web_hr_levels *out)
{
    memset(out, 0, sizeof *out);
    int self = web_hr_level_kind(r);
    if (self < 0)
        return -1;
    if (!self)
        approved_only = 0;         /* official levels exist only where approved or certified */
    const web_eval *ev = web_evaluator(r);
    if (!ev)
        return -1;
    out->self = self;
    out->now = web_alloc(r, sizeof *out->now);
    if (load_levels(r, ev, cycle_id, org_unit_id, self, approved_only, out->now) < 0)
        return -1;
    if (compare_cycle_id <= 0 || compare_cycle_id == cycle_id)
        return 0;
    out->before = web_alloc(r, sizeof *out->before);
    return load_levels(r, ev, compare_cycle_id, org_unit_id, self, approved_only, out->before);
}

int web_hr_portfolio_count(web_request *r, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                           int64_t compare_cycle_id, web_hr_portfolio *out)
{
    memset(out, 0, sizeof *out);
    int self = web_hr_level_kind(r);
    if (self < 0)
        return -1;
    const web_eval *ev = web_evaluator(r);
    const orgcols *oc = ev ? web_orgcols_acquire(r) : NULL;
    if (!oc)
        return -1;
    /* Counted over the organization's columns (orgcols.h), as portfolio.c
     * would count the assessments' levels: official levels only where
     * approved or certified, whatever approved_only says. */
    orgcols_scope sc = { cycle_id, org_unit_id, self ? approved_only : 0, self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL };
    orgcols_portfolio held;
    orgcols_portfolio_scope(oc, &sc, compare_cycle_id, &held);
    web_orgcols_release(r);
    portfolio_init(out, held.n_specs, held.n_levels);
    out->self_levels = self;
    /* out is usually the caller's stack: the arrays are freed at the end of the
     * request through a copy in request memory (same pointers). */
    portfolio *owner = web_alloc(r, sizeof *owner);
    *owner = *out;
    web_defer(r, free_portfolio, owner);
    out->compare_cycle_id = compare_cycle_id;
    for (size_t k = 0; k < held.n_specs * (size_t)held.n_levels; k++)
        out->counts[k] = (int)held.counts[k];
    for (size_t s = 0; s < held.n_specs; s++) {
        out->up[s] = (int)held.up[s];
        out->same[s] = (int)held.same[s];
        out->down[s] = (int)held.down[s];
    }
    out->assessed = (long)held.assessed;
    out->no_level = (long)held.no_level;
    out->compared = (long)held.compared;
    orgcols_portfolio_free(&held);
    return 0;
}

/* ---- Imports and exports ----------------------------------------------------- */

/* The import of web_hr_import and web_hr_import_people. */
static int hr_import(web_request *r, import_kind kind, const char *data, size_t len, const char *name, int enc,
                     int dry_run, int full, void (*change)(const import_change *c, void *ctx), void *ctx,
                     err_list *errors, import_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    store *db = web_store(r);
    if (!db)
        return -1;
    const catalog *cat = NULL;
    const policy *pol = NULL;
    err e;
    memset(&e, 0, sizeof e);
    if (kind != IMPORT_PEOPLE) {
        const web_eval *ev = web_evaluator(r);
        if (!ev)
            return -1;
        cat = ev->catalog;
        pol = ev->policy;
        int known = store_catalog_known(db, catalog_id(cat), catalog_version(cat), &e);
        if (known < 0) {
            web_store_failed(r, "import", &e);
            return -1;
        }
        if (!known) {
            err_add(errors, name, 0, 0, NULL, "catalog %s version %s (%s) is not one the database has: %s",
                    catalog_id(cat), catalog_version(cat), catalog_name(cat), e.message);
            return 1;
        }
    }
    csv_reader *csv = csv_open_memory(data, len, name, (csv_encoding)enc, &e);
    if (!csv) {
        err_add(errors, e.where, e.line, e.column, e.path[0] ? e.path : NULL, "%s", e.message);
        return 1;
    }
    char actor[400];
    snprintf(actor, sizeof actor, "import:%s (%s)", name, r->user ? r->user->login : "?");
    import_options o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.catalog = cat;
    o.policy = pol;               /* the levels of the answers written are kept under the server's policy */
    o.file = name;
    o.actor = actor;
    o.dry_run = dry_run;
    o.full = full;
    o.change = change;
    o.change_ctx = ctx;
    /* Rows with rater manager: the importing user must be one who may review the person (review.h). */
    o.check_reviewer = 1;
    o.reviewer_role = r->user && r->user->role == ROLE_HR ? REVIEWER_HR
                      : r->user && r->user->role == ROLE_MANAGER ? REVIEWER_MANAGER : REVIEWER_NONE;
    o.reviewer_person_id = r->user ? r->user->person_id : 0;
    int rc = import_run(db, csv, &o, errors, sum, &e);
    csv_close(csv);
    if (rc < 0) {
        web_store_failed(r, "import", &e);
        return -1;
    }
    return rc;
}

int web_hr_import(web_request *r, import_kind kind, const char *data, size_t len, const char *name, int enc,
                  int dry_run, err_list *errors, import_summary *sum)
{
    return hr_import(r, kind, data, len, name, enc, dry_run, 0, NULL, NULL, errors, sum);
}

int web_hr_import_people(web_request *r, const char *data, size_t len, const char *name, int enc, int dry_run,
                         int full, void (*change)(const import_change *c, void *ctx), void *ctx, err_list *errors,
                         import_summary *sum)
{
    return hr_import(r, IMPORT_PEOPLE, data, len, name, enc, dry_run, full, change, ctx, errors, sum);
}

/* Export flush function: appends out to the file (ctx: its descriptor). */
static int write_to_file(buf *out, void *ctx)
{
    int fd = *(int *)ctx;
    for (size_t at = 0; at < out->len;) {
        ssize_t n = write(fd, out->data + at, out->len - at);
        if (n <= 0)
            return -1;
        at += (size_t)n;
    }
    buf_reset(out);
    return 0;
}

void web_hr_export(web_request *r, export_kind kind, int json, int64_t cycle_id)
{
    store *db = web_store(r);
    if (!db)
        return;
    export_options o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    o.json = json;
    o.cycle_id = cycle_id;
    const char *headers = web_query(r, "headers");
    if (headers && *headers && strcmp(headers, "ja") != 0 && strcmp(headers, "en") != 0) {
        web_hr_refuse(r, 400, "hr.err.headers", "headers");
        return;
    }
    o.headers_ja = !json && headers && strcmp(headers, "ja") == 0;
    if (kind == EXPORT_LEVELS) {
        int self = web_hr_level_kind(r);
        if (self < 0)
            return;
        o.level_kind = self ? EXPORT_LEVELS_SELF : EXPORT_LEVELS_OFFICIAL;
    }
    if (kind != EXPORT_PEOPLE) {
        const web_eval *ev = web_evaluator(r);
        if (!ev)
            return;
        o.catalog = ev->catalog;
        o.policy = ev->policy;
    }
    /* Written to an unlinked temporary file a megabyte at a time and sent from
     * it: the server's memory stays flat however large the export (1.5 GB for
     * the answers of 100,000 people). */
    int fd = web_temporary_file();
    if (fd < 0) {
        web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
        return;
    }
    o.flush = write_to_file;
    o.flush_ctx = &fd;
    err e;
    memset(&e, 0, sizeof e);
    buf_reset(r->out);
    int rc = export_write(db, &o, r->out, &e);
    off_t len = rc == 0 ? lseek(fd, 0, SEEK_END) : -1;
    if (rc < 0 || len < 0) {
        close(fd);
        if (rc < 0 && e.message[0])
            web_store_failed(r, "export", &e);
        else
            web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
        return;
    }
    web_reply_file(r, fd, (uint64_t)len, json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8");
    char disposition[96];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", export_kind_name(kind),
             json ? "json" : "csv");
    web_add_header(r, "Content-Disposition", disposition);
}

void web_hr_refuse(web_request *r, int status, const char *key, const char *param)
{
    char text[600];
    snprintf(text, sizeof text, "%s: %s", param, web_t(r, key));
    web_reply_error(r, status, status == 404 ? "not_found" : "bad_request", web_strdup(r, text), param);
}

/* ---- The organization report (XLSX, PDF) -------------------------------------- */

/* The id in query parameter name (absent or empty: 0), checked to name a
 * cycle (unit 0) or an org unit (unit 1): 1, 0 after answering 400/404, -1
 * after answering 503. */
static int query_id(web_request *r, store *db, const char *name, int unit, int64_t *id)
{
    *id = 0;
    const char *v = web_query(r, name);
    if (!v || !*v)
        return 1;
    if (!web_parse_int(v, 1, INT64_MAX, id)) {
        web_hr_refuse(r, 400, unit ? "hr.err.org_unknown" : "hr.err.cycle_unknown", name);
        return 0;
    }
    err e;
    memset(&e, 0, sizeof e);
    int rc;
    if (unit) {
        store_org_unit u;
        if ((rc = store_org_get(db, *id, &u, &e)) == 1)
            store_org_unit_clear(&u);
    } else {
        store_cycle c;
        if ((rc = store_cycle_get(db, *id, &c, &e)) == 1)
            store_cycle_clear(&c);
    }
    if (rc < 0) {
        web_store_failed(r, "report", &e);
        return -1;
    }
    if (rc == 0)
        web_hr_refuse(r, 404, unit ? "hr.err.org_unknown" : "hr.err.cycle_unknown", name);
    return rc;
}

size_t web_hr_default_cycle(const store_cycle_list *cycles)
{
    char today[11];
    web_hr_today(today);
    for (size_t i = 0; i < cycles->count; i++)
        if (strcmp(web_hr_cycle_state(&cycles->items[i], today), "open") == 0)
            return i;
    return 0;
}

/* The id of the cycle shown without ?cycle= (web_hr_default_cycle; 0 when
 * there is none); -1 after answering 503. */
static int64_t latest_cycle(web_request *r, store *db)
{
    store_cycle_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_list_all(db, &l, &e) < 0) {
        web_store_failed(r, "report", &e);
        return -1;
    }
    int64_t id = l.count ? l.items[web_hr_default_cycle(&l)].id : 0;
    store_cycle_list_free(&l);
    return id;
}

void web_hr_org_report(web_request *r, int xlsx)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    if (!ev)
        return;
    report_org_query q;
    memset(&q, 0, sizeof q);
    int self = web_hr_level_kind(r);
    if (self < 0 || query_id(r, db, "cycle", 0, &q.cycle_id) != 1 || query_id(r, db, "compare", 0, &q.compare_cycle_id) != 1 ||
        query_id(r, db, "org", 1, &q.org_unit_id) != 1)
        return;
    if (!q.cycle_id && (q.cycle_id = latest_cycle(r, db)) <= 0) {
        if (q.cycle_id == 0)
            web_hr_refuse(r, 404, "hr.err.cycle_unknown", "cycle");
        return;
    }
    const char *depth = web_query(r, "depth");
    if (depth && *depth && report_org_depth_parse(depth, &q.depth) < 0) {
        web_hr_refuse(r, 400, "hr.err.depth", "depth");
        return;
    }
    q.self = self;
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc)
        return;
    report_level_source source = { held_levels, held_official, (void *)oc };
    q.source = &source;
    q.columns = oc;
    report_doc d;
    err e;
    memset(&e, 0, sizeof e);
    store_saved_search_list saved;       /* the user's saved talent searches: a section each */
    memset(&saved, 0, sizeof saved);
    if (store_saved_search_list_user(db, r->user->id, &saved, &e) == 0 && saved.count) {
        const char **names = web_alloc(r, saved.count * sizeof *names), **queries = web_alloc(r, saved.count * sizeof *queries);
        for (size_t i = 0; i < saved.count; i++) {
            names[i] = saved.items[i].name;
            queries[i] = saved.items[i].query;
        }
        q.search_names = names;
        q.search_queries = queries;
        q.n_searches = saved.count;
    }
    int rc = report_org_build(db, ev->catalog, ev->policy, &q, &d, &e);
    store_saved_search_list_free(&saved);
    web_orgcols_release(r);
    buf_reset(r->out);
    if (rc == 0)
        rc = xlsx ? report_xlsx_buf(&d, r->out, &e) : report_pdf_buf(&d, r->out, &e);
    report_doc_free(&d);
    if (rc > 0) {
        web_hr_refuse(r, 404, strcmp(e.path, "unit") == 0 ? "hr.err.org_unknown" : "hr.err.cycle_unknown", e.path);
        return;
    }
    if (rc < 0) {
        web_store_failed(r, "report", &e);
        return;
    }
    r->res.status = 200;
    r->res.content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                               : "application/pdf";
    web_add_header(r, "Content-Disposition", xlsx ? "attachment; filename=\"org.xlsx\""
                                                  : "attachment; filename=\"org.pdf\"");
}

void web_hr_reply_xlsx(web_request *r, report_doc *d, const char *title, const char *file)
{
    if (d->n_blocks && d->blocks[0].table) {
        free(d->blocks[0].table->title);
        d->blocks[0].table->title = strdup(title);
    }
    err e;
    memset(&e, 0, sizeof e);
    buf_reset(r->out);
    if (report_xlsx_buf(d, r->out, &e) < 0) {
        web_store_failed(r, "workbook", &e);
        return;
    }
    r->res.status = 200;
    r->res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    char disposition[96];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", file);
    web_add_header(r, "Content-Disposition", disposition);
}

/* ---- The unit filter ------------------------------------------------------------ */

/* Unit id of units, or NULL. */
static const store_org_unit *unit_by_id(const store_org_list *units, int64_t id)
{
    for (size_t i = 0; id && i < units->count; i++)
        if (units->items[i].id == id)
            return &units->items[i];
    return NULL;
}

/* The path of unit id from the top into chain (at most max), top first; its length. */
static size_t unit_chain(const store_org_list *units, int64_t id, const store_org_unit **chain, size_t max)
{
    size_t n = 0;
    for (const store_org_unit *u = unit_by_id(units, id); u && n < max; u = unit_by_id(units, u->parent_id))
        chain[n++] = u;
    for (size_t i = 0; i < n / 2; i++) {
        const store_org_unit *t = chain[i];
        chain[i] = chain[n - 1 - i];
        chain[n - 1 - i] = t;
    }
    return n;
}

#define UNIT_LIST_MAX 60           /* units below the chosen one offered or linked */

void web_hr_unit_field(web_request *r, const store_org_list *units, int64_t selected)
{
    const store_org_unit *sel = unit_by_id(units, selected);
    html_printf(r->out, "<div class=\"field unit-field\">\n<label for=\"f-unit\">%s</label>\n"
                        "<input id=\"f-unit\" type=\"text\" name=\"unit\" value=\"%s\" list=\"unit-choices\" "
                        "autocomplete=\"off\" maxlength=\"200\" aria-describedby=\"h-unit\">\n"
                        "<p class=\"hint\" id=\"h-unit\">%s</p>\n<datalist id=\"unit-choices\">\n",
                web_t(r, "hr.portfolio.org"), sel ? sel->code : "", web_t(r, "hr.unit.hint"));
    const store_org_unit *chain[64];
    size_t n = unit_chain(units, selected, chain, 64), shown = 0;
    for (size_t i = 0; i < n; i++)
        html_printf(r->out, "<option value=\"%s\">%s</option>\n", chain[i]->code, chain[i]->name);
    for (size_t i = 0; i < units->count && shown < UNIT_LIST_MAX; i++) {
        const store_org_unit *u = &units->items[i];
        int on_path = 0;                   /* offered already */
        for (size_t k = 0; k < n && !on_path; k++)
            on_path = chain[k] == u;
        if (!on_path && (u->parent_id == selected || (u->parent_id == 0 && selected))) {
            html_printf(r->out, "<option value=\"%s\">%s</option>\n", u->code, u->name);
            shown++;
        }
    }
    html_raw(r->out, "</datalist>\n</div>\n");
}

/* The crumbs of web_hr_unit_path and web_hr_unit_nav: the <ol> of the path. */
static void unit_crumbs(web_request *r, const store_org_list *units, int64_t selected, const char *page,
                        const char *query)
{
    const store_org_unit *chain[64];
    size_t n = unit_chain(units, selected, chain, 64);
    const char *amp = query && *query ? "&amp;" : "";
    query = query ? query : "";
    html_printf(r->out, "<ol><li><a href=\"%s%s%s\"", page, *query ? "?" : "", query);
    if (!n)
        html_raw(r->out, " aria-current=\"page\"");
    html_printf(r->out, ">%s</a></li>", web_t(r, "hr.all_units"));
    for (size_t i = 0; i < n; i++) {
        html_printf(r->out, "<li><a href=\"%s?%s%sorg=%lld\"", page, query, amp, (long long)chain[i]->id);
        if (i + 1 == n)
            html_raw(r->out, " aria-current=\"page\"");
        html_printf(r->out, ">%s</a></li>", chain[i]->name);
    }
    html_raw(r->out, "</ol>");
}

void web_hr_unit_path(web_request *r, const store_org_list *units, int64_t selected, const char *page,
                      const char *query)
{
    html_printf(r->out, "<nav class=\"crumbs unit-nav no-print\" aria-label=\"%s\">", web_t(r, "hr.orgview.path"));
    unit_crumbs(r, units, selected, page, query);
    html_raw(r->out, "</nav>\n");
}

void web_hr_unit_nav(web_request *r, const store_org_list *units, int64_t selected, const char *page,
                     const char *query)
{
    html_printf(r->out, "<nav class=\"crumbs unit-nav no-print\" aria-label=\"%s\">", web_t(r, "hr.orgview.path"));
    unit_crumbs(r, units, selected, page, query);
    size_t below = 0;
    for (size_t i = 0; i < units->count; i++) {
        const store_org_unit *u = &units->items[i];
        if (u->parent_id != selected)      /* selected 0: the top units */
            continue;
        if (below == 0)
            html_printf(r->out, "<p class=\"unit-below\">%s: ", web_t(r, "hr.unit.below"));
        if (below < UNIT_LIST_MAX)
            html_printf(r->out, "%s<a href=\"%s?%s&amp;org=%lld\">%s</a>", below ? " ・ " : "", page, query,
                        (long long)u->id, u->name);
        below++;
    }
    if (below > UNIT_LIST_MAX) {
        char more[32];
        snprintf(more, sizeof more, "%zu", below - UNIT_LIST_MAX);
        html_raw(r->out, " ");
        web_html_tpl(r->out, web_t(r, "home.more"), more, NULL);
    }
    if (below)
        html_raw(r->out, "</p>");
    html_raw(r->out, "</nav>\n");
}

int web_hr_unit_lookup(const store_org_list *units, const char *text, int64_t *id)
{
    *id = 0;
    if (!text || !*text)
        return 0;
    const store_org_unit *by_name = NULL;
    size_t names = 0;
    for (size_t i = 0; i < units->count; i++) {
        if (strcmp(units->items[i].code, text) == 0) {
            *id = units->items[i].id;
            return 1;
        }
        if (strcmp(units->items[i].name, text) == 0 && names++ == 0)
            by_name = &units->items[i];
    }
    if (names == 1) {
        *id = by_name->id;
        return 1;
    }
    return names ? -2 : -1;
}

int web_hr_unit_param(web_request *r, const store_org_list *units, int64_t *org)
{
    *org = 0;
    const char *unit = web_query(r, "unit"), *id = web_query(r, "org");
    if (unit) {
        int found = web_hr_unit_lookup(units, unit, org);
        if (found >= 0)
            return 0;
        web_hr_refuse(r, 400, found == -2 ? "hr.err.unit_ambiguous" : "hr.err.org_unknown", "unit");
        return -1;
    }
    if (!id || !*id)
        return 0;
    int64_t v = 0;
    if (!web_parse_int(id, 1, INT64_MAX, &v) || !unit_by_id(units, v)) {
        web_hr_refuse(r, 400, "hr.err.org_unknown", "org");
        return -1;
    }
    *org = v;
    return 0;
}

/* Marks in out (units->count bytes) unit skip and the units below it (they
 * follow it in tree order, deeper). */
static void mark_subtree(const store_org_list *units, int64_t skip, unsigned char *out)
{
    for (size_t i = 0; skip && i < units->count; i++)
        if (units->items[i].id == skip) {
            out[i] = 1;
            for (size_t j = i + 1; j < units->count && units->items[j].depth > units->items[i].depth; j++)
                out[j] = 1;
            return;
        }
}

void web_hr_unit_input_field(web_request *r, const store_org_list *units, const web_hr_unit_input *in)
{
    const store_org_unit *chain[64];
    size_t n = unit_chain(units, in->selected, chain, 64);
    const store_org_unit *sel = n ? chain[n - 1] : NULL;
    buf hint;
    buf_init(&hint);
    buf_puts(&hint, in->hint);
    if (n)
        buf_printf(&hint, " %s", web_t(r, "hr.unit.now"));
    for (size_t i = 0; i < n; i++)      /* the path (html_field escapes the hint) */
        buf_printf(&hint, "%s%s %s", i ? " › " : " ", chain[i]->code, chain[i]->name);
    char list[80];
    snprintf(list, sizeof list, "units-%s", in->name);
    html_field(r, &(html_input){ .name = in->name, .label = in->label, .value = in->value ? in->value : sel ? sel->code : "",
                                 .hint = web_strdup(r, hint.data), .error = in->error, .maxlength = 200,
                                 .autocomplete = "off", .list = list });
    buf_free(&hint);
    unsigned char *left_out = web_alloc(r, units->count + 1);
    memset(left_out, 0, units->count + 1);
    mark_subtree(units, in->skip, left_out);
    html_printf(r->out, "<datalist id=\"%s\">\n", list);
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < UNIT_LIST_MAX; i++, shown++)
        html_printf(r->out, "<option value=\"%s\">%s</option>\n", chain[i]->code, chain[i]->name);
    int64_t parent = sel ? sel->parent_id : 0;
    for (int pass = 0; pass < 2; pass++)       /* the units below the chosen one, then those beside it */
        for (size_t i = 0; i < units->count && shown < UNIT_LIST_MAX; i++) {
            const store_org_unit *u = &units->items[i];
            if (left_out[i] || u == sel || u->parent_id != (pass == 0 ? in->selected : parent) || (pass && !sel))
                continue;
            html_printf(r->out, "<option value=\"%s\">%s</option>\n", u->code, u->name);
            shown++;
        }
    html_raw(r->out, "</datalist>\n");
}
