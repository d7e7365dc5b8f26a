/* web_hr_search.c - 人材検索 (talent search): people of a cycle matching every
 * condition (a specialization's level, an area's proficiency, a knowledge item
 * or category, a valid certificate) within an org subtree, found over the
 * organization's columns (orgcols_talent), as a page with its form, as JSON
 * (GET /api/v1/search) and as CSV; HR and managers (a manager sees only the
 * people within their reach, web_access.h) can save a search by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "web_kit.h"
#include "web_access.h"
#include "web_hr_data.h"
#include "web_json.h"
#include "html.h"
#include "orgcols.h"
#include "report_table.h"
#include "store_target.h"
#include "store_experience_words.h"

#include <jansson.h>

#define SEARCH_PER_PAGE 50
#define SEARCH_MAX_CONDS 6
#define SEARCH_API_LIMIT 500       /* people in one answer of the API by default (?limit= up to 10,000) */

/* A search as the URL gives it. */
typedef struct search_query {
    int64_t cycle, org;
    char cycle_name[200];
    orgcols_cond conds[SEARCH_MAX_CONDS];
    size_t n_conds;
    int64_t page;
    int64_t limit, offset;     /* the API's window */
} search_query;

/* The specialization of code (a code; "any"/absent: -1); -2 when unknown. */
static int spec_of(const catalog *cat, const char *code)
{
    if (!code || !*code || strcmp(code, "any") == 0)
        return -1;
    for (size_t s = 0; s < catalog_spec_count(cat); s++)
        if (strcmp(catalog_spec_at(cat, s)->code, code) == 0)
            return (int)s;
    return -2;
}

/* ?name= as a whole number lo..hi into *v (absent: def). 1, or 0 after 400. */
static int number(web_request *r, const char *name, int64_t lo, int64_t hi, int64_t def, int64_t *v)
{
    const char *s = web_query(r, name);
    *v = def;
    if (!s || !*s)
        return 1;
    if (web_parse_int(s, lo, hi, v))
        return 1;
    web_hr_refuse(r, 400, "hr.search.bad_number", name);
    return 0;
}

/* The cycle (default the latest) and the unit of the search. 1, or 0 after answering. */
static int read_scope(web_request *r, store *db, search_query *q)
{
    err e;
    memset(&e, 0, sizeof e);
    store_cycle_list cycles;
    if (store_cycle_list_all(db, &cycles, &e) < 0) {
        web_store_failed(r, "search", &e);
        return 0;
    }
    const char *c = web_query(r, "cycle");
    int64_t v = 0;
    int bad = c && *c && !web_parse_int(c, 1, INT64_MAX, &v);
    for (size_t i = 0; !bad && i < cycles.count; i++)
        if ((!c || !*c) ? i == web_hr_default_cycle(&cycles) : v == cycles.items[i].id) {
            q->cycle = cycles.items[i].id;
            snprintf(q->cycle_name, sizeof q->cycle_name, "%s", cycles.items[i].name);
        }
    store_cycle_list_free(&cycles);
    if (!q->cycle) {
        web_hr_refuse(r, bad ? 400 : 404, "hr.err.cycle_unknown", "cycle");
        return 0;
    }
    const char *unit = web_query(r, "unit");
    if (unit && *unit) {               /* the unit field: a code or an exact name */
        store_org_list units;
        if (store_org_list_all(db, &units, &e) < 0) {
            web_store_failed(r, "search", &e);
            return 0;
        }
        int rc = web_hr_unit_param(r, &units, &q->org);
        store_org_list_free(&units);
        if (rc < 0)
            return 0;
    } else if (!number(r, "org", 0, INT64_MAX, 0, &q->org))
        return 0;
    if (q->org) {
        store_org_unit u;
        int rc = store_org_get(db, q->org, &u, &e);
        if (rc == 1)
            store_org_unit_clear(&u);
        if (rc < 0)
            web_store_failed(r, "search", &e);
        else if (rc == 0)
            web_hr_refuse(r, 404, "hr.err.org_unknown", "org");
        if (rc != 1)
            return 0;
    }
    return number(r, "page", 1, 1000000, 1, &q->page);
}

/* The conditions of the URL: spec&level[&levels], parea&plevel[&pspec],
 * item&rating, category&crating[&share], certified[&cspec&clevel]. 1, or 0
 * after answering 400 naming the parameter. */
static int read_conds(web_request *r, const catalog *cat, search_query *q)
{
    int64_t v;
    const char *spec = web_query(r, "spec"), *parea = web_query(r, "parea"), *item = web_query(r, "item");
    const char *category = web_query(r, "category");
    if ((spec && *spec) || web_query(r, "level")) {
        orgcols_cond *c = &q->conds[q->n_conds++];
        memset(c, 0, sizeof *c);
        c->kind = ORGCOLS_COND_LEVEL;
        if ((c->spec = spec_of(cat, spec)) == -2) {
            web_hr_refuse(r, 400, "hr.drill.bad_spec", "spec");
            return 0;
        }
        int self = web_hr_level_kind(r);
        if (self < 0 || !number(r, "level", 0, catalog_level_max(cat), 1, &v))
            return 0;
        c->levels = self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL;
        c->at_least = (int)v;
    }
    if (parea && *parea) {
        orgcols_cond *c = &q->conds[q->n_conds++];
        memset(c, 0, sizeof *c);
        c->kind = ORGCOLS_COND_PROFICIENCY;
        for (size_t a = 0; a < catalog_area_count(cat); a++)
            if (strcmp(catalog_area_at(cat, a)->code, parea) == 0)
                c->area = catalog_area_at(cat, a);
        if (!c->area || (c->spec = spec_of(cat, web_query(r, "pspec"))) == -2) {
            web_hr_refuse(r, 400, !c->area ? "hr.skillmap.bad_area" : "hr.drill.bad_spec", !c->area ? "parea" : "pspec");
            return 0;
        }
        if (!number(r, "plevel", 1, 7, 1, &v))
            return 0;
        c->at_least = (int)v;
    }
    if (item && *item) {
        orgcols_cond *c = &q->conds[q->n_conds++];
        memset(c, 0, sizeof *c);
        c->kind = ORGCOLS_COND_ITEM;
        c->element_id = item;
        if (!number(r, "rating", 1, 4, 2, &v))
            return 0;
        c->at_least = (int)v;
    }
    if (category && *category) {
        orgcols_cond *c = &q->conds[q->n_conds++];
        memset(c, 0, sizeof *c);
        c->kind = ORGCOLS_COND_CATEGORY;
        c->element_id = category;
        if (!number(r, "crating", 1, 4, 2, &v))
            return 0;
        c->at_least = (int)v;
        if (!number(r, "share", 1, 100, 100, &v))
            return 0;
        c->share = (int)v;
    }
    const char *word = web_query(r, "word");
    if (word && *word) {
        if (strlen(word) > STORE_WORD_MAX) {
            web_hr_refuse(r, 400, "hr.search.bad_word", "word");
            return 0;
        }
        orgcols_cond *c = &q->conds[q->n_conds++];
        memset(c, 0, sizeof *c);
        c->kind = ORGCOLS_COND_WORD;
        c->element_id = word;
    }
    if (!number(r, "limit", 1, 10000, SEARCH_API_LIMIT, &q->limit) || !number(r, "offset", 0, INT64_MAX / 2, 0, &q->offset))
        return 0;
    if (web_query(r, "certified")) {
        orgcols_cond *c = &q->conds[q->n_conds++];
        memset(c, 0, sizeof *c);
        c->kind = ORGCOLS_COND_CERTIFIED;
        if ((c->spec = spec_of(cat, web_query(r, "cspec"))) == -2) {
            web_hr_refuse(r, 400, "hr.drill.bad_spec", "cspec");
            return 0;
        }
        if (!number(r, "clevel", 0, catalog_level_max(cat), 0, &v))
            return 0;
        c->at_least = (int)v;
    }
    return 1;
}

/* The parameter a refused condition is about, from orgcols_talent's path
 * ("conditions[2].element_id"). */
static const char *cond_param(const search_query *q, const err *e)
{
    unsigned i = 0;
    if (sscanf(e->path, "conditions[%u]", &i) != 1 || i >= q->n_conds)
        return "conditions";
    return q->conds[i].kind == ORGCOLS_COND_ITEM ? "item" : q->conds[i].kind == ORGCOLS_COND_CATEGORY ? "category"
           : q->conds[i].kind == ORGCOLS_COND_PROFICIENCY ? "parea" : q->conds[i].kind == ORGCOLS_COND_WORD ? "word"
           : "spec";
}

/* The people found, those the user may see: HR everyone of the scope (out
 * holds the window [first, first + n) of them, out->total all), a manager
 * those within their reach (out holds all of them: the reach is checked
 * person by person). -1 after answering. */
static int find(web_request *r, const search_query *q, size_t first, size_t n, orgcols_people *out)
{
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc)
        return -1;
    orgcols_scope sc = { q->cycle, q->org, 0, ORGCOLS_OFFICIAL };
    err e;
    memset(&e, 0, sizeof e);
    int hr = r->user && r->user->role == ROLE_HR;
    int rc = orgcols_talent(oc, &sc, q->conds, q->n_conds, hr ? first : 0, hr ? n : (size_t)-1 / 2, out, &e);
    web_orgcols_release(r);
    if (rc < 0) {
        char text[600];
        snprintf(text, sizeof text, "%s: %s", cond_param(q, &e), e.message);
        web_reply_error(r, 400, "bad_request", web_strdup(r, text), cond_param(q, &e));
        return -1;
    }
    if (hr)
        return 0;
    size_t kept = 0;
    for (size_t i = 0; i < out->count; i++) {
        int may = web_may_see_person(r, out->items[i].person_id);
        if (may < 0) {
            orgcols_people_free(out);
            return -1;
        }
        if (may)
            out->items[kept++] = out->items[i];
    }
    out->count = out->total = kept;
    return 0;
}

/* The people as a table (the page, CSV and JSON show it): number, name, unit,
 * and each specialization's official and self-assessed level. */
static report_table *people_table(web_request *r, report_doc *d, store *db, const catalog *cat,
                                  const orgcols_people *p, size_t first, size_t n, int64_t *ids)
{
    size_t n_specs = catalog_spec_count(cat), n_cols = 3 + 2 * n_specs;
    const char **headers = web_alloc(r, n_cols * sizeof *headers);
    headers[0] = web_t(r, "hr.drill.number");
    headers[1] = web_t(r, "hr.drill.name");
    headers[2] = web_t(r, "hr.drill.unit");
    for (size_t s = 0; s < n_specs; s++) {
        char h[200];
        snprintf(h, sizeof h, "%s %s", catalog_spec_at(cat, s)->code, web_t(r, "hr.search.official"));
        headers[3 + 2 * s] = web_strdup(r, h);
        snprintf(h, sizeof h, "%s %s", catalog_spec_at(cat, s)->code, web_t(r, "hr.search.self"));
        headers[4 + 2 * s] = web_strdup(r, h);
    }
    report_table *t = report_doc_table(d, "people", n_cols, headers);
    for (size_t i = first; i < p->count && i < first + n; i++) {
        store_person person;
        err e;
        size_t row = report_table_row(t);
        ids[row] = p->items[i].person_id;
        if (store_person_get(db, p->items[i].person_id, &person, &e) == 1) {
            report_cell_text(t, row, 0, person.employee_number);
            report_cell_text(t, row, 1, person.name);
            report_cell_text(t, row, 2, person.org_name);
            store_person_clear(&person);
        }
        for (size_t s = 0; s < n_specs && s < ORGCOLS_MAX_SPECS; s++) {
            report_cell_level(t, row, 3 + 2 * s, p->items[i].official[s]);
            report_cell_level(t, row, 4 + 2 * s, p->items[i].self[s]);
        }
    }
    return t;
}

static void free_doc(void *p)
{
    report_doc_free(p);
}

static void free_units(void *p)
{
    store_org_list_free(p);
}

static void free_people(void *p)
{
    orgcols_people_free(p);
}

/* The search's answer as JSON: the total, and the people found from ?offset=
 * (0) up to ?limit= of them (500), with their levels by specialization code
 * ({"HW": {"official": 3, "self": 4}}). */
static void search_json(web_request *r, const catalog *cat, const report_table *t, const int64_t *ids, size_t total,
                        size_t offset, size_t limit)
{
    json_t *o = json_object(), *people = json_array();
    json_object_set_new(o, "total", json_integer((json_int_t)total));
    json_object_set_new(o, "offset", json_integer((json_int_t)offset));
    json_object_set_new(o, "limit", json_integer((json_int_t)limit));
    for (size_t i = 0; i < t->n_rows; i++) {
        json_t *p = json_object(), *levels = json_object();
        json_object_set_new(p, "id", json_integer((json_int_t)ids[i]));
        static const char *const keys[] = { "employee_number", "name", "org_unit" };
        for (size_t c = 0; c < 3; c++) {
            const report_cell *x = report_table_cell(t, i, c);
            json_object_set_new(p, keys[c], x->kind == REPORT_TEXT ? json_string(x->text) : json_null());
        }
        for (size_t s = 0; 3 + 2 * s + 1 < t->n_cols; s++) {
            json_t *l = json_object();
            for (int k = 0; k < 2; k++) {
                const report_cell *x = report_table_cell(t, i, 3 + 2 * s + (size_t)k);
                json_object_set_new(l, k ? "self" : "official",
                                    x->kind == REPORT_NUMBER ? json_integer(x->number)
                                    : x->kind == REPORT_TEXT ? json_integer(0) : json_null());
            }
            json_object_set_new(levels, catalog_spec_at(cat, s)->code, l);
        }
        json_object_set_new(p, "levels", levels);
        json_array_append_new(people, p);
    }
    json_object_set_new(o, "people", people);
    web_json_reply(r, 200, o);
}

/* The search form, filled with what r asks. */
static void search_form(web_request *r, const catalog *cat, const search_query *q, const store_org_list *units)
{
    html_form_get(r, "/search");
    html_raw(r->out, "<fieldset class=\"card\"><legend>");
    html_printf(r->out, "%s</legend>\n<div class=\"filters\">\n", web_t(r, "hr.search.conditions"));
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)q->cycle);
    html_hidden(r, "cycle", id);
    const char *spec = web_query(r, "spec"), *levels = web_query(r, "levels");
    html_select_begin(r, "spec", web_t(r, "hr.portfolio.spec"), NULL, 0);
    html_option(r, "", web_t(r, "hr.search.no_level"), !spec || !*spec);
    html_option(r, "any", web_t(r, "hr.search.any_spec"), spec && strcmp(spec, "any") == 0);
    for (size_t s = 0; s < catalog_spec_count(cat); s++)
        html_option(r, catalog_spec_at(cat, s)->code, catalog_spec_at(cat, s)->name,
                    spec && strcmp(spec, catalog_spec_at(cat, s)->code) == 0);
    html_select_end(r, "spec", NULL);
    html_field(r, &(html_input){ .type = "number", .name = "level", .label = web_t(r, "hr.search.level"),
                                 .value = web_query(r, "level") });
    html_select_begin(r, "levels", web_t(r, "official.levels_kind"), NULL, 0);
    html_option(r, "official", web_t(r, "official.levels_official"), !levels || strcmp(levels, "self") != 0);
    html_option(r, "self", web_t(r, "official.levels_self"), levels && strcmp(levels, "self") == 0);
    html_select_end(r, "levels", NULL);
    html_select_begin(r, "parea", web_t(r, "hr.search.parea"), NULL, 0);
    html_option(r, "", web_t(r, "hr.search.no_area"), !web_query(r, "parea") || !*web_query(r, "parea"));
    for (size_t a = 0; a < catalog_area_count(cat); a++)
        html_option(r, catalog_area_at(cat, a)->code, catalog_area_at(cat, a)->name,
                    web_query(r, "parea") && strcmp(web_query(r, "parea"), catalog_area_at(cat, a)->code) == 0);
    html_select_end(r, "parea", NULL);
    html_field(r, &(html_input){ .type = "number", .name = "plevel", .label = web_t(r, "hr.search.plevel"),
                                 .value = web_query(r, "plevel") });
    html_field(r, &(html_input){ .type = "text", .name = "item", .label = web_t(r, "hr.search.item"),
                                 .value = web_query(r, "item"), .hint = web_t(r, "hr.search.item_hint") });
    html_field(r, &(html_input){ .type = "text", .name = "category", .label = web_t(r, "hr.search.category"),
                                 .value = web_query(r, "category") });
    if (units)
        web_hr_unit_field(r, units, q->org);
    html_field(r, &(html_input){ .type = "text", .name = "word", .label = web_t(r, "hr.search.word"),
                                 .value = web_query(r, "word"), .hint = web_t(r, "hr.search.word_hint"),
                                 .maxlength = STORE_WORD_MAX });
    html_printf(r->out, "<div class=\"choice\"><input type=\"checkbox\" id=\"f-certified\" name=\"certified\" value=\"1\"%s>"
                        "<label for=\"f-certified\">%s</label></div>\n",
                web_query(r, "certified") ? " checked" : "", web_t(r, "hr.search.certified"));
    html_submit(r, web_t(r, "hr.search.find"));
    html_raw(r->out, "</div>\n</fieldset>\n");
    html_form_end(r);
}

/* The user's saved searches, each a link, with a form to save this one. */
static int saved_searches(web_request *r, store *db)
{
    store_saved_search_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_saved_search_list_user(db, r->user->id, &l, &e) < 0) {
        web_store_failed(r, "saved searches", &e);
        return -1;
    }
    html_printf(r->out, "<section class=\"card saved-searches\"><h2>%s</h2>\n<ul>\n", web_t(r, "hr.search.saved"));
    for (size_t i = 0; i < l.count; i++) {
        html_printf(r->out, "<li><a href=\"/search?%s\">%s</a> ", l.items[i].query, l.items[i].name);
        char action[80];
        snprintf(action, sizeof action, "/search/saved/%lld/delete", (long long)l.items[i].id);
        html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline\">", action);
        html_csrf_field(r);
        html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button></form></li>\n",
                    web_t(r, "hr.search.delete"));
    }
    html_raw(r->out, "</ul>\n");
    store_saved_search_list_free(&l);
    html_form_post(r, "/search/saved");
    html_hidden(r, "query", r->query_string ? r->query_string : "");
    html_field(r, &(html_input){ .type = "text", .name = "name", .label = web_t(r, "hr.search.name"), .required = 1 });
    html_submit(r, web_t(r, "hr.search.save"));
    html_raw(r->out, "</form>\n</section>\n");
    return 0;
}

/* The results: the count, the page of people, the pages, the CSV link. */
static void search_results(web_request *r, const report_table *t, const int64_t *ids, size_t total, int64_t page)
{
    const char *qs = r->query_string ? r->query_string : "";
    html_printf(r->out, "<h2>%s</h2>\n<p class=\"search-total\" data-total=\"%zu\">%s: <strong>%zu</strong> · "
                        "<a href=\"/search?%s&amp;format=csv\" download>CSV</a> · "
                        "<a href=\"/search?%s&amp;format=xlsx\" download>Excel</a></p>\n",
                web_t(r, "hr.search.results"), total, web_t(r, "hr.drill.total"), total, qs, qs);
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"search\">\n<caption>%s</caption>\n<thead><tr>",
                web_t(r, "hr.search.results"));
    for (size_t c = 0; c < t->n_cols; c++)
        html_printf(r->out, "<th scope=\"col\">%s</th>", t->headers[c]);
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < t->n_rows; i++) {
        const report_cell *num = report_table_cell(t, i, 0);
        html_printf(r->out, "<tr><td><a href=\"/people/%lld/results\">%s</a></td>", (long long)ids[i],
                    num->kind == REPORT_TEXT ? num->text : "");
        for (size_t c = 1; c < t->n_cols; c++) {
            const report_cell *x = report_table_cell(t, i, c);
            if (x->kind == REPORT_NUMBER)
                html_printf(r->out, "<td class=\"num\">%lld</td>", x->number);
            else
                html_printf(r->out, "<td>%s</td>", x->kind == REPORT_TEXT ? x->text : "");
        }
        html_raw(r->out, "</tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
    int64_t pages = (int64_t)((total + SEARCH_PER_PAGE - 1) / SEARCH_PER_PAGE);
    if (pages > 1)
        html_printf(r->out, "<nav class=\"pager\" aria-label=\"%s\"><span>%lld / %lld</span>%s</nav>\n",
                    web_t(r, "hr.people.pages"), (long long)page, (long long)pages,
                    page < pages ? web_t(r, "hr.search.more") : "");
}

/* The search of r: the page (json 0), JSON (1); ?format=csv a CSV download. */
static void search(web_request *r, int json)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    search_query *q = web_alloc(r, sizeof *q);
    memset(q, 0, sizeof *q);
    if (!ev || !read_scope(r, db, q) || !read_conds(r, ev->catalog, q))
        return;
    const char *format = web_query(r, "format");
    int csv = format && (strcmp(format, "csv") == 0 || strcmp(format, "xlsx") == 0);
    size_t first = csv ? 0 : json ? (size_t)q->offset : (size_t)(q->page - 1) * SEARCH_PER_PAGE;
    size_t n = csv ? (size_t)-1 / 2 : json ? (size_t)q->limit : SEARCH_PER_PAGE;
    orgcols_people *found = web_alloc(r, sizeof *found);
    if (find(r, q, first, n, found) < 0)
        return;
    web_defer(r, free_people, found);
    int window = r->user && r->user->role == ROLE_HR;   /* found holds the window only */
    int64_t *ids = web_alloc(r, (found->count + 1) * sizeof *ids);
    report_doc *d = web_alloc(r, sizeof *d);
    report_doc_init(d, "");
    web_defer(r, free_doc, d);
    report_table *t = people_table(r, d, db, ev->catalog, found, window ? 0 : first, n, ids);
    if (json) {
        search_json(r, ev->catalog, t, ids, found->total, first, n);
        return;
    }
    if (csv && strcmp(format, "xlsx") == 0) {
        web_hr_reply_xlsx(r, d, web_t(r, "hr.search.results"), "search.xlsx");
        return;
    }
    if (csv) {
        buf_reset(r->out);
        report_table_csv(t, r->out);
        r->res.status = 200;
        r->res.content_type = "text/csv; charset=utf-8";
        web_add_header(r, "Content-Disposition", "attachment; filename=\"search.csv\"");
        return;
    }
    html_begin(r, web_t(r, "hr.search.title"));
    html_printf(r->out, "<h1>%s</h1>\n<p>%s</p>\n<p class=\"print-filters\">%s: <strong>%s</strong></p>\n",
                web_t(r, "hr.search.title"), web_t(r, "hr.search.intro"), web_t(r, "hr.portfolio.cycle"), q->cycle_name);
    store_org_list *units = web_alloc(r, sizeof *units);
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_list_all(db, units, &e) < 0) {
        web_store_failed(r, "search", &e);
        return;
    }
    web_defer(r, free_units, units);
    search_form(r, ev->catalog, q, units);
    if (q->n_conds)
        search_results(r, t, ids, found->total, q->page);
    if (saved_searches(r, db) < 0)
        return;
    html_end(r);
}

/* GET /search[?cycle=ID&org=ID&spec=HW&level=N&levels=official|self&parea=CODE&plevel=N
 *     &pspec=HW&item=ID&rating=N&category=ID&crating=N&share=P&certified=1&word=W&page=N&format=csv]
 * 人材検索: the form, and the people matching every condition given. */
void web_page_hr_search(web_request *r)
{
    search(r, 0);
}

/* GET /api/v1/search?...  The same search as JSON: total and people with their levels. */
void web_api_search(web_request *r)
{
    search(r, 1);
}

/* POST /search/saved  Saves the search (its query string) under a name for the user. */
void web_page_hr_search_save(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *name = web_form(r, "name"), *query = web_form(r, "query");
    for (const char *c = query ? query : ""; *c; c++)
        if (*c <= 0x20 || *c >= 0x7f) {
            web_hr_refuse(r, 400, "hr.search.bad_query", "query");   /* a query string is URL-encoded ASCII */
            return;
        }
    err e;
    memset(&e, 0, sizeof e);
    if (store_saved_search_put(db, r->user->id, name, query ? query : "", NULL, &e) < 0) {
        if (e.code == ERR_FAILED)
            web_store_failed(r, "saved search", &e);
        else
            web_hr_refuse(r, 400, "hr.search.bad_name", e.path[0] ? e.path : "name");
        return;
    }
    buf to;
    buf_init(&to);
    buf_printf(&to, "/search?%s", query ? query : "");
    web_redirect(r, web_strdup(r, to.data));
    buf_free(&to);
}

/* POST /search/saved/:id/delete  Deletes one of the user's saved searches (404 for another's). */
void web_page_hr_search_delete(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || web_path_param_id(r, "id", &id) < 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_saved_search_delete(db, r->user->id, id, &e);
    if (rc < 0)
        web_store_failed(r, "saved search", &e);
    else if (rc == 0)
        web_reply_404(r);
    else
        web_redirect(r, "/search");
}
