/* web_hr_views.c - HR's views behind the numbers: the drill-down from a count of
 * the 人材ポートフォリオ or its movement to the list of exactly the people it
 * counted (portfolio_select: the same rule as the count), paginated, sortable
 * and downloadable as CSV. The filters travel in the URL, as on /hr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "web_kit.h"
#include "web_hr_data.h"
#include "html.h"
#include "portfolio.h"
#include "report_levels.h"
#include "report_table.h"
#include "csv.h"
#include "svg_chart.h"
#include "store_target.h"
#include "targets.h"

#define DRILL_PER_PAGE 50

/* The filters of the portfolio in the URL (as /hr takes them). */
typedef struct hr_filters {
    int64_t cycle, compare, org;
    int approved;
    char cycle_name[200], compare_name[200], org_name[200];
} hr_filters;

/* Reads id parameter name (absent: 0), checked to name a cycle or (unit) an
 * org unit, its name into name. 1; 0 after answering 400/404; -1 after 503. */
static int checked_id(web_request *r, store *db, const char *param, int unit, int64_t *id, char *name, size_t size)
{
    *id = 0;
    const char *v = web_query(r, param);
    if (!v || !*v || strcmp(v, "0") == 0)
        return 1;
    const char *key = unit ? "hr.err.org_unknown" : "hr.err.cycle_unknown";
    if (!web_parse_int(v, 1, INT64_MAX, id)) {
        web_hr_refuse(r, 400, key, param);
        return 0;
    }
    err e;
    memset(&e, 0, sizeof e);
    int rc;
    if (unit) {
        store_org_unit u;
        if ((rc = store_org_get(db, *id, &u, &e)) == 1) {
            snprintf(name, size, "%s %s", u.code, u.name);
            store_org_unit_clear(&u);
        }
    } else {
        store_cycle c;
        if ((rc = store_cycle_get(db, *id, &c, &e)) == 1) {
            snprintf(name, size, "%s", c.name);
            store_cycle_clear(&c);
        }
    }
    if (rc < 0)
        web_store_failed(r, "drill-down", &e);
    else if (rc == 0)
        web_hr_refuse(r, 404, key, param);
    return rc;
}

/* The latest cycle into f (none: f->cycle stays 0). 1, or 0 after answering 503. */
static int latest_cycle(web_request *r, store *db, hr_filters *f)
{
    store_cycle_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_list_all(db, &l, &e) < 0) {
        web_store_failed(r, "cycles", &e);
        return 0;
    }
    if (l.count) {
        size_t i = web_hr_default_cycle(&l);
        f->cycle = l.items[i].id;
        snprintf(f->cycle_name, sizeof f->cycle_name, "%s", l.items[i].name);
    }
    store_cycle_list_free(&l);
    return 1;
}

/* The filters of r, each checked; without ?cycle= the latest cycle when
 * any_cycle, else a 400. 1, or 0 after answering. */
static int read_filters_or_latest(web_request *r, store *db, hr_filters *f, int any_cycle);

static int read_filters(web_request *r, store *db, hr_filters *f)
{
    return read_filters_or_latest(r, db, f, 0);
}

static int read_filters_or_latest(web_request *r, store *db, hr_filters *f, int any_cycle)
{
    memset(f, 0, sizeof f[0]);
    if (checked_id(r, db, "cycle", 0, &f->cycle, f->cycle_name, sizeof f->cycle_name) != 1 ||
        checked_id(r, db, "compare", 0, &f->compare, f->compare_name, sizeof f->compare_name) != 1 ||
        checked_id(r, db, "org", 1, &f->org, f->org_name, sizeof f->org_name) != 1)
        return 0;
    if (!f->cycle && any_cycle && !latest_cycle(r, db, f))
        return 0;
    if (!f->cycle) {
        web_hr_refuse(r, any_cycle ? 404 : 400, "hr.err.cycle_unknown", "cycle");
        return 0;
    }
    f->approved = web_query(r, "approved") != NULL && *web_query(r, "approved");
    return 1;
}

/* The filters as a query string (without '?'), for links. */
static void filters_query(buf *b, const hr_filters *f, int self)
{
    buf_printf(b, "cycle=%lld", (long long)f->cycle);
    if (f->compare)
        buf_printf(b, "&compare=%lld", (long long)f->compare);
    if (f->org)
        buf_printf(b, "&org=%lld", (long long)f->org);
    buf_printf(b, "&levels=%s", self ? "self" : "official");
    if (f->approved)
        buf_puts(b, "&approved=1");
}

/* The specialization named by code or id ("HW", "CS.HW"); -1 when none. */
static int find_spec(const catalog *cat, const char *name)
{
    for (size_t s = 0; name && s < catalog_spec_count(cat); s++)
        if (strcmp(catalog_spec_at(cat, s)->code, name) == 0 || strcmp(catalog_spec_at(cat, s)->id, name) == 0)
            return (int)s;
    return -1;
}

/* Which number the list is of: ?spec=&level= (a cell; level "reached" for the
 * row's total), ?spec=&move=up|same|down, ?no_level=1, else every assessment
 * counted. 1, or 0 after answering 400 naming the parameter. */
static int read_pick(web_request *r, const catalog *cat, const hr_filters *f, portfolio_pick *pick)
{
    memset(pick, 0, sizeof *pick);
    const char *spec = web_query(r, "spec"), *level = web_query(r, "level"), *move = web_query(r, "move");
    pick->what = web_query(r, "no_level") ? PORTFOLIO_PICK_NO_LEVEL : PORTFOLIO_PICK_ASSESSED;
    if (!spec && !level && !move)
        return 1;
    pick->spec = find_spec(cat, spec);
    if (pick->spec < 0) {
        web_hr_refuse(r, 400, "hr.drill.bad_spec", "spec");
        return 0;
    }
    if (move) {
        pick->what = PORTFOLIO_PICK_MOVE;
        pick->move = strcmp(move, "up") == 0 ? 1 : strcmp(move, "down") == 0 ? -1 : 0;
        if ((strcmp(move, "up") != 0 && strcmp(move, "down") != 0 && strcmp(move, "same") != 0) || level) {
            web_hr_refuse(r, 400, "hr.drill.bad_move", "move");
            return 0;
        }
        if (!f->compare || f->compare == f->cycle) {
            web_hr_refuse(r, 400, "hr.drill.no_compare", "compare");
            return 0;
        }
        return 1;
    }
    int64_t l = 0;
    const char *from = web_query(r, "from");
    int flow = from || web_query(r, "joined") || web_query(r, "left");
    pick->what = from ? PORTFOLIO_PICK_FLOW : web_query(r, "joined") ? PORTFOLIO_PICK_JOINED
                 : web_query(r, "left") ? PORTFOLIO_PICK_LEFT : PORTFOLIO_PICK_CELL;
    if (flow && (!f->compare || f->compare == f->cycle)) {
        web_hr_refuse(r, 400, "hr.drill.no_compare", "compare");
        return 0;
    }
    if (from && !web_parse_int(from, 0, catalog_level_max(cat), &l)) {
        web_hr_refuse(r, 400, "hr.drill.bad_level", "from");
        return 0;
    }
    pick->from = (int)l;
    if (flow && level && strcmp(level, "reached") == 0) {
        web_hr_refuse(r, 400, "hr.drill.bad_level", "level");
        return 0;
    }
    if (level && strcmp(level, "reached") == 0)
        pick->level = PORTFOLIO_REACHED;
    else if (level && web_parse_int(level, 0, catalog_level_max(cat), &l))
        pick->level = (int)l;
    else {
        web_hr_refuse(r, 400, "hr.drill.bad_level", "level");
        return 0;
    }
    return 1;
}

/* One person of the list, with what it sorts on. */
typedef struct drill_row {
    size_t row;                    /* in the levels' list */
    const store_assessment *a;
    const char *unit;
    int level;                     /* of the picked specialization (or the first) */
} drill_row;

static int by_number(const void *x, const void *y)
{
    return strcmp(((const drill_row *)x)->a->employee_number, ((const drill_row *)y)->a->employee_number);
}

static int by_name(const void *x, const void *y)
{
    int c = strcmp(((const drill_row *)x)->a->person_name, ((const drill_row *)y)->a->person_name);
    return c ? c : by_number(x, y);
}

static int by_unit(const void *x, const void *y)
{
    const char *a = ((const drill_row *)x)->unit, *b = ((const drill_row *)y)->unit;
    int c = strcmp(a ? a : "", b ? b : "");
    return c ? c : by_number(x, y);
}

static int by_level(const void *x, const void *y)
{
    int a = ((const drill_row *)x)->level, b = ((const drill_row *)y)->level;
    return a != b ? (a < b ? -1 : 1) : by_number(x, y);
}

/* What the list is of, in words ("ハードウェア レベル3", "上昇", ...). Request memory. */
static const char *pick_words(web_request *r, const catalog *cat, const portfolio_pick *pick)
{
    char text[400], lv[64];
    switch (pick->what) {
    case PORTFOLIO_PICK_ASSESSED: return web_t(r, "hr.portfolio.assessed");
    case PORTFOLIO_PICK_NO_LEVEL: return web_t(r, "hr.portfolio.no_level");
    case PORTFOLIO_PICK_CELL:
        if (pick->level == PORTFOLIO_REACHED)
            snprintf(lv, sizeof lv, "%s", web_t(r, "hr.total"));
        else if (pick->level == 0)
            snprintf(lv, sizeof lv, "%s", web_t(r, "hr.portfolio.level0"));
        else
            web_level_label(r, pick->level, lv, sizeof lv);
        snprintf(text, sizeof text, "%s %s", catalog_spec_at(cat, (size_t)pick->spec)->name, lv);
        return web_strdup(r, text);
    case PORTFOLIO_PICK_MOVE:
        snprintf(text, sizeof text, "%s %s", catalog_spec_at(cat, (size_t)pick->spec)->name,
                 web_t(r, pick->move > 0 ? "hr.movement.up" : pick->move < 0 ? "hr.movement.down" : "hr.movement.same"));
        return web_strdup(r, text);
    case PORTFOLIO_PICK_FLOW:
    case PORTFOLIO_PICK_JOINED:
    case PORTFOLIO_PICK_LEFT: {
        char from[64];
        web_level_label(r, pick->level, lv, sizeof lv);
        if (pick->level == 0)
            snprintf(lv, sizeof lv, "%s", web_t(r, "hr.portfolio.level0"));
        web_level_label(r, pick->from, from, sizeof from);
        if (pick->from == 0)
            snprintf(from, sizeof from, "%s", web_t(r, "hr.portfolio.level0"));
        if (pick->what == PORTFOLIO_PICK_FLOW)
            snprintf(text, sizeof text, "%s %s → %s", catalog_spec_at(cat, (size_t)pick->spec)->name, from, lv);
        else
            snprintf(text, sizeof text, "%s %s (%s)", catalog_spec_at(cat, (size_t)pick->spec)->name, lv,
                     web_t(r, pick->what == PORTFOLIO_PICK_JOINED ? "hr.flow.joined" : "hr.flow.left"));
        return web_strdup(r, text);
    }
    }
    return "";
}

/* The people as a table (report_table.h): the CSV download and the page both show it. */
static report_table *drill_table(web_request *r, report_doc *d, const catalog *cat, const report_levels *lv,
                                 const drill_row *rows, size_t n)
{
    size_t n_specs = lv->n_specs, n_cols = 5 + n_specs;
    const char **headers = web_alloc(r, n_cols * sizeof *headers);
    headers[0] = web_t(r, "hr.drill.number");
    headers[1] = web_t(r, "hr.drill.name");
    headers[2] = web_t(r, "hr.drill.unit");
    headers[3] = web_t(r, "hr.drill.status");
    headers[4] = web_t(r, "hr.drill.kind");
    for (size_t s = 0; s < n_specs; s++)
        headers[5 + s] = catalog_spec_at(cat, s)->name;
    report_table *t = report_doc_table(d, "people", n_cols, headers);
    for (size_t i = 0; i < n; i++) {
        size_t k = rows[i].row, row = report_table_row(t);
        report_cell_text(t, row, 0, rows[i].a->employee_number);
        report_cell_text(t, row, 1, rows[i].a->person_name);
        report_cell_text(t, row, 2, rows[i].unit);
        report_cell_text(t, row, 3, web_t(r, (const char *[]){ "results.status.draft", "results.status.submitted",
                                                              "results.status.returned", "results.status.approved" }
                                                [rows[i].a->status < 4 ? rows[i].a->status : 0]));
        report_cell_text(t, row, 4, report_level_kind_label(lv->kind[k]));
        for (size_t s = 0; s < n_specs; s++) {
            int l = lv->levels[k * n_specs + s];
            if (l == 0)
                report_cell_text(t, row, 5 + s, web_t(r, "hr.portfolio.level0"));
            else
                report_cell_level(t, row, 5 + s, l);
        }
    }
    return t;
}

/* The page of the list: what it is of, the total, the table with sort links
 * in its headers and links to each person's results, the pages. */
static void drill_page(web_request *r, const hr_filters *f, const char *words, const char *base, const char *sort,
                       int desc, const report_table *t, size_t level_col, const drill_row *rows, size_t total,
                       int64_t page)
{
    int64_t pages = (int64_t)((total + DRILL_PER_PAGE - 1) / DRILL_PER_PAGE);
    html_begin(r, web_t(r, "hr.drill.title"));
    html_printf(r->out, "<p class=\"crumbs no-print\"><a href=\"/hr?%s\">%s</a></p>\n", base, web_t(r, "hr.drill.back"));
    html_printf(r->out, "<h1>%s: %s</h1>\n", web_t(r, "hr.drill.title"), words);
    html_printf(r->out, "<p class=\"print-filters\">%s: <strong>%s</strong>", web_t(r, "hr.portfolio.cycle"),
                f->cycle_name);
    if (f->compare)
        html_printf(r->out, " ／ %s: <strong>%s</strong>", web_t(r, "hr.portfolio.compare"), f->compare_name);
    html_printf(r->out, " ／ %s: <strong>%s</strong></p>\n", web_t(r, "hr.portfolio.org"),
                f->org ? f->org_name : web_t(r, "hr.all_units"));
    html_printf(r->out, "<p class=\"drill-total\" data-total=\"%zu\">%s: <strong>%zu</strong> · "
                        "<a href=\"/hr/portfolio/people?%s&amp;format=csv\" download>CSV</a> · "
                        "<a href=\"/hr/portfolio/people?%s&amp;format=xlsx\" download>Excel</a></p>\n",
                total, web_t(r, "hr.drill.total"), total, base, base);
    static const char *const keys[] = { "number", "name", "unit" };
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"drill\">\n<caption>%s</caption>\n<thead><tr>", words);
    for (size_t c = 0; c < t->n_cols; c++) {
        const char *key = c < 3 ? keys[c] : c == level_col ? "level" : NULL;
        if (!key) {
            html_printf(r->out, "<th scope=\"col\">%s</th>", t->headers[c]);
            continue;
        }
        int on = strcmp(key, sort) == 0;
        html_raw(r->out, "<th scope=\"col\"");
        if (on && desc)
            html_raw(r->out, " aria-sort=\"descending\"");
        else if (on)
            html_raw(r->out, " aria-sort=\"ascending\"");
        html_printf(r->out, "><a href=\"/hr/portfolio/people?%s&amp;sort=%s&amp;dir=%s\">%s</a></th>", base, key,
                    on && !desc ? "desc" : "asc", t->headers[c]);
    }
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < t->n_rows; i++) {
        html_printf(r->out, "<tr><td><a href=\"/people/%lld/results?cycle=%lld\">%s</a></td>",
                    (long long)rows[i].a->person_id, (long long)f->cycle, rows[i].a->employee_number);
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
    if (pages > 1) {
        html_printf(r->out, "<nav class=\"pager\" aria-label=\"%s\">", web_t(r, "hr.people.pages"));
        if (page > 1)
            html_printf(r->out, "<a rel=\"prev\" href=\"/hr/portfolio/people?%s&amp;sort=%s&amp;dir=%s&amp;page=%lld\">%s</a> ",
                        base, sort, desc ? "desc" : "asc", (long long)(page - 1), web_t(r, "hr.people.prev"));
        html_printf(r->out, "<span>%lld / %lld</span>", (long long)page, (long long)pages);
        if (page < pages)
            html_printf(r->out, " <a rel=\"next\" href=\"/hr/portfolio/people?%s&amp;sort=%s&amp;dir=%s&amp;page=%lld\">%s</a>",
                        base, sort, desc ? "desc" : "asc", (long long)(page + 1), web_t(r, "hr.people.next"));
        html_raw(r->out, "</nav>\n");
    }
    html_end(r);
}

/* Frees a report document when the request ends. */
static void free_doc(void *p)
{
    report_doc_free(p);
}

/* The list's filters and pick as a query string (without '?') into base. */
static void drill_base(web_request *r, const catalog *cat, const hr_filters *f, const portfolio_pick *pick, int self,
                       int direct, buf *base)
{
    filters_query(base, f, self);
    const char *spec_arg = web_query(r, "spec"), *level_arg = web_query(r, "level"), *move_arg = web_query(r, "move");
    if (pick->what == PORTFOLIO_PICK_NO_LEVEL)
        buf_puts(base, "&no_level=1");
    if (direct)
        buf_puts(base, "&direct=1");
    if (spec_arg)
        buf_printf(base, "&spec=%s", catalog_spec_at(cat, (size_t)pick->spec)->code);
    if (level_arg)
        buf_printf(base, "&level=%s", pick->level == PORTFOLIO_REACHED ? "reached" : level_arg);
    if (pick->what == PORTFOLIO_PICK_FLOW)
        buf_printf(base, "&from=%d", pick->from);
    if (pick->what == PORTFOLIO_PICK_JOINED || pick->what == PORTFOLIO_PICK_LEFT)
        buf_puts(base, pick->what == PORTFOLIO_PICK_JOINED ? "&joined=1" : "&left=1");
    if (move_arg)
        buf_printf(base, "&move=%s", pick->move > 0 ? "up" : pick->move < 0 ? "down" : "same");
}

/* The whole list as CSV or Excel: every row read (report_levels.h), as the
 * other downloads. */
static void drill_download(web_request *r, const web_eval *ev, const hr_filters *f, const portfolio_pick *pick,
                           int self, int direct, const char *sort, int desc, int csv)
{
    (void)self;
    web_hr_levels lv;
    if (web_hr_portfolio_levels(r, f->cycle, f->org, f->approved, f->compare, &lv) < 0)
        return;
    portfolio p;
    portfolio_init(&p, lv.now->n_specs, catalog_level_max(ev->catalog) + 1);
    const report_levels *src = pick->what == PORTFOLIO_PICK_LEFT ? lv.before : lv.now;
    unsigned char *taken = web_alloc(r, src->list.count + 1);
    size_t total = portfolio_select(&p, pick, &lv.now->list, lv.now->levels, lv.before ? &lv.before->list : NULL,
                                    lv.before ? lv.before->levels : NULL, taken);
    portfolio_free(&p);
    for (size_t i = 0; direct && i < src->list.count; i++)
        if (taken[i] && src->unit[i] != f->org) {
            taken[i] = 0;          /* ?direct=1: the unit's own members, not the units below */
            total--;
        }
    drill_row *rows = web_alloc(r, (total + 1) * sizeof *rows);
    size_t n = 0, spec = pick->what == PORTFOLIO_PICK_ASSESSED || pick->what == PORTFOLIO_PICK_NO_LEVEL ? 0 : (size_t)pick->spec;
    for (size_t i = 0; i < src->list.count; i++)
        if (taken[i])
            rows[n++] = (drill_row){ i, &src->list.items[i], src->unit_name[i],
                                     src->n_specs ? src->levels[i * src->n_specs + spec] : 0 };
    qsort(rows, n, sizeof *rows, strcmp(sort, "name") == 0 ? by_name : strcmp(sort, "unit") == 0 ? by_unit
                                 : strcmp(sort, "level") == 0 ? by_level : by_number);
    for (size_t i = 0; desc && i < n / 2; i++) {
        drill_row tmp = rows[i];
        rows[i] = rows[n - 1 - i];
        rows[n - 1 - i] = tmp;
    }
    report_doc *d = web_alloc(r, sizeof *d);
    report_doc_init(d, "");
    web_defer(r, free_doc, d);
    report_table *t = drill_table(r, d, ev->catalog, src, rows, n);
    if (csv) {
        buf_reset(r->out);
        report_table_csv(t, r->out);
        r->res.status = 200;
        r->res.content_type = "text/csv; charset=utf-8";
        web_add_header(r, "Content-Disposition", "attachment; filename=\"people.csv\"");
    } else
        web_hr_reply_xlsx(r, d, pick_words(r, ev->catalog, pick), "people.xlsx");
}

/* A unit with its name and its place in name order. */
typedef struct unit_place {
    int64_t id, place;
    const char *name;
} unit_place;

static int place_by_name(const void *x, const void *y)
{
    return strcmp(((const unit_place *)x)->name, ((const unit_place *)y)->name);
}

static int place_by_id(const void *x, const void *y)
{
    int64_t a = ((const unit_place *)x)->id, b = ((const unit_place *)y)->id;
    return a < b ? -1 : a > b;
}

/* The units sorted by id with their places in name order (equal names, equal
 * places), in request memory: what the list sorts on by unit. Their count. */
static size_t unit_order(web_request *r, const store_org_list *units, int64_t **ids, int64_t **rank)
{
    size_t n = units->count;
    unit_place *u = web_alloc(r, (n + 1) * sizeof *u);
    for (size_t i = 0; i < n; i++)
        u[i] = (unit_place){ units->items[i].id, 0, units->items[i].name };
    qsort(u, n, sizeof *u, place_by_name);
    for (size_t i = 0; i < n; i++)
        u[i].place = i && strcmp(u[i].name, u[i - 1].name) == 0 ? u[i - 1].place : (int64_t)i + 1;
    qsort(u, n, sizeof *u, place_by_id);
    *ids = web_alloc(r, (n + 1) * sizeof **ids);
    *rank = web_alloc(r, (n + 1) * sizeof **rank);
    for (size_t i = 0; i < n; i++) {
        (*ids)[i] = u[i].id;
        (*rank)[i] = u[i].place;
    }
    return n;
}

/* Frees the org units when the request ends. */
static void free_units_list(void *p)
{
    store_org_list_free(p);
}

/* Frees the page's rows when the request ends. */
static void free_page_list(void *p)
{
    store_assessment_list *l = p;     /* items in request memory, their strings on the heap */
    for (size_t i = 0; i < l->count; i++)
        store_assessment_clear(&l->items[i]);
}

/* The page of the list as HTML: the people picked, sorted and cut to the page
 * over the org columns (orgcols_pick), then only that page's rows read. */
static void drill_columns(web_request *r, store *db, const web_eval *ev, const hr_filters *f,
                          const portfolio_pick *pick, int self, int direct, const char *sort, int desc, int64_t page,
                          const char *base)
{
    store_org_list *units = web_alloc(r, sizeof *units);
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_list_all(db, units, &e) < 0) {
        web_store_failed(r, "org units", &e);
        return;
    }
    web_defer(r, free_units_list, units);
    orgcols_order order = { strcmp(sort, "name") == 0 ? ORGCOLS_SORT_NAME : strcmp(sort, "unit") == 0 ? ORGCOLS_SORT_UNIT
                            : strcmp(sort, "level") == 0 ? ORGCOLS_SORT_LEVEL : ORGCOLS_SORT_NUMBER, desc, NULL, NULL, 0 };
    int64_t *uids, *uranks;
    order.n_units = unit_order(r, units, &uids, &uranks);
    order.unit_ids = uids;
    order.unit_rank = uranks;
    orgcols_scope sc = { f->cycle, f->org, self ? f->approved : 0, self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL };
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc)
        return;
    orgcols_people picked;
    int rc = orgcols_pick(oc, &sc, f->compare, pick, direct, &order, (size_t)(page - 1) * DRILL_PER_PAGE,
                          DRILL_PER_PAGE, &picked);
    web_orgcols_release(r);
    if (rc < 0) {
        web_hr_refuse(r, 400, "hr.drill.bad_spec", "spec");
        return;
    }
    size_t n_specs = catalog_spec_count(ev->catalog);
    report_levels *lv = web_alloc(r, sizeof *lv);
    lv->n_specs = n_specs;
    lv->self = self;
    lv->list.items = web_alloc(r, (picked.count + 1) * sizeof *lv->list.items);
    lv->levels = web_alloc(r, (picked.count * n_specs + 1) * sizeof *lv->levels);
    lv->kind = web_alloc(r, (picked.count + 1) * sizeof *lv->kind);
    web_defer(r, free_page_list, &lv->list);
    drill_row *rows = web_alloc(r, (picked.count + 1) * sizeof *rows);
    size_t spec = pick->what == PORTFOLIO_PICK_ASSESSED || pick->what == PORTFOLIO_PICK_NO_LEVEL ? 0 : (size_t)pick->spec;
    for (size_t i = 0; i < picked.count; i++) {
        const orgcols_person *p = &picked.items[i];
        if (store_assessment_get(db, p->assessment_id, &lv->list.items[i], &e) != 1) {
            orgcols_people_free(&picked);
            web_store_failed(r, "people", &e);
            return;
        }
        lv->list.count++;
        for (size_t s = 0; s < n_specs; s++)
            lv->levels[i * n_specs + s] = self ? p->self[s] : p->official[s];
        lv->kind[i] = self ? "self" : p->certified ? "certified" : "approved";
        const store_org_unit *u = NULL;
        for (size_t k = 0; k < units->count && !u; k++)
            if (units->items[k].id == p->unit_id)
                u = &units->items[k];
        rows[i] = (drill_row){ i, &lv->list.items[i], u ? u->name : NULL, lv->levels[i * n_specs + spec] };
    }
    size_t total = picked.total;
    orgcols_people_free(&picked);
    report_doc *d = web_alloc(r, sizeof *d);
    report_doc_init(d, "");
    web_defer(r, free_doc, d);
    report_table *t = drill_table(r, d, ev->catalog, lv, rows, lv->list.count);
    drill_page(r, f, pick_words(r, ev->catalog, pick), base, sort, desc, t, 5 + spec, rows, total, page);
}

/* GET /hr/portfolio/people?cycle=ID[&compare=ID&org=ID&levels=official|self&approved=1]
 *     [&spec=HW&level=N|reached | &spec=HW&move=up|same|down | &no_level=1]
 *     [&sort=number|name|unit|level&dir=asc|desc&page=N&format=csv]
 * The people a number of the portfolio (or its movement) counted: exactly them,
 * so the list's total is the number clicked. */
void web_page_hr_portfolio_people(web_request *r)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    hr_filters f;
    portfolio_pick pick;
    if (!ev || !read_filters(r, db, &f) || !read_pick(r, ev->catalog, &f, &pick))
        return;
    const char *sort = web_query(r, "sort"), *dir = web_query(r, "dir"), *format = web_query(r, "format");
    int64_t page = 1;
    if (!sort || !*sort)
        sort = "number";
    if (strcmp(sort, "number") != 0 && strcmp(sort, "name") != 0 && strcmp(sort, "unit") != 0 &&
        strcmp(sort, "level") != 0) {
        web_hr_refuse(r, 400, "hr.drill.bad_sort", "sort");
        return;
    }
    if ((dir && *dir && strcmp(dir, "asc") != 0 && strcmp(dir, "desc") != 0) ||
        (web_query(r, "page") && !web_parse_int(web_query(r, "page"), 1, 1000000000, &page)) ||
        (format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)) {
        const char *field = dir && *dir && strcmp(dir, "asc") != 0 && strcmp(dir, "desc") != 0 ? "dir"
                            : format && *format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0 ? "format"
                            : "page";
        web_hr_refuse(r, 400, "hr.drill.bad_param", field);
        return;
    }
    int self = web_hr_level_kind(r);
    if (self < 0)
        return;
    int direct = web_query(r, "direct") != NULL && f.org;
    int desc = dir && strcmp(dir, "desc") == 0;
    buf base;
    buf_init(&base);
    drill_base(r, ev->catalog, &f, &pick, self, direct, &base);
    if (format && *format)
        drill_download(r, ev, &f, &pick, self, direct, sort, desc, strcmp(format, "csv") == 0);
    else
        drill_columns(r, db, ev, &f, &pick, self, direct, sort, desc, page, web_strdup(r, base.data));
    buf_free(&base);
}

/* ---- 要員計画 (/hr/targets) --------------------------------------------------------- */

/* The set-one form and the CSV upload form of the targets page. */
static void target_forms(web_request *r, const catalog *cat, int64_t cycle)
{
    char action[64];
    snprintf(action, sizeof action, "/hr/targets?cycle=%lld", (long long)cycle);
    html_printf(r->out, "<h2>%s</h2>\n<form method=\"post\" action=\"%s\" class=\"card filters\">\n",
                web_t(r, "hr.targets.set"), action);
    html_csrf_field(r);
    html_field(r, &(html_input){ .type = "text", .name = "org_unit_code", .label = web_t(r, "hr.drill.unit"),
                                 .required = 1 });
    html_select_begin(r, "specialization", web_t(r, "hr.portfolio.spec"), NULL, 0);
    for (size_t s = 0; s < catalog_spec_count(cat); s++)
        html_option(r, catalog_spec_at(cat, s)->code, catalog_spec_at(cat, s)->name, s == 0);
    html_select_end(r, "specialization", NULL);
    html_field(r, &(html_input){ .type = "number", .name = "level", .label = web_t(r, "hr.targets.level"),
                                 .required = 1 });
    html_field(r, &(html_input){ .type = "number", .name = "head_count", .label = web_t(r, "hr.targets.target"),
                                 .hint = web_t(r, "hr.targets.count_hint") });
    html_submit(r, web_t(r, "hr.targets.save"));
    html_raw(r->out, "</form>\n");
    snprintf(action, sizeof action, "/hr/targets/import?cycle=%lld", (long long)cycle);
    html_printf(r->out, "<h2>%s</h2>\n<p>%s</p>\n<form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" "
                        "class=\"card\">\n",
                web_t(r, "hr.targets.import"), web_t(r, "hr.targets.import_hint"), action);
    html_csrf_field(r);
    html_field(r, &(html_input){ .type = "file", .name = "file", .label = web_t(r, "hr.import.file"), .required = 1 });
    html_submit(r, web_t(r, "hr.import.submit"));
    html_raw(r->out, "</form>\n");
}

/* The targets of the cycle with actual and gap as a table. */
static void target_table(web_request *r, const target_view *v)
{
    if (!v->count) {
        html_message(r, "notice", web_t(r, "hr.targets.none"));
        return;
    }
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"targets\">\n<caption>%s</caption>\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "hr.targets.title"), web_t(r, "hr.drill.unit"), web_t(r, "hr.portfolio.spec"),
                web_t(r, "hr.targets.level"), web_t(r, "hr.targets.target"), web_t(r, "hr.targets.actual"),
                web_t(r, "hr.targets.gap"));
    for (size_t i = 0; i < v->count; i++) {
        const target_gap *g = &v->rows[i];
        html_printf(r->out, "<tr data-unit=\"%s\" data-spec=\"%s\" data-level=\"%d\"><td>%s %s</td><td>%s</td>"
                            "<td class=\"num\">%d</td><td class=\"num\">%lld</td>"
                            "<td class=\"num\">%lld</td>"
                            "<td class=\"num%s\">%+lld</td></tr>\n",
                    g->target->org_code, g->spec ? g->spec->code : "", g->target->level, g->target->org_code,
                    g->target->org_name, g->spec ? g->spec->name : g->target->specialization_id, g->target->level,
                    (long long)g->target->head_count, (long long)g->actual, g->gap < 0 ? " down" : "",
                    (long long)g->gap);
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* Frees a target view when the request ends. */
static void free_view(void *p)
{
    target_view_free(p);
}

/* A target's actual head count over the org columns: the people of the unit's
 * subtree at the level or above, in the levels the page shows. */
typedef struct column_counter {
    const orgcols *oc;
    orgcols_scope sc;
} column_counter;

static int64_t count_columns(void *ctx, int64_t unit_id, size_t spec, int level)
{
    const column_counter *c = ctx;
    orgcols_scope sc = c->sc;
    sc.org_unit_id = unit_id;
    return orgcols_at_least(c->oc, &sc, spec, level);
}

/* The targets page of cycle (with the errors of an import when errors is not
 * NULL), answered with status. */
static void targets_page(web_request *r, int status, const err_list *errors, const char *note)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    hr_filters f;
    if (!ev || !read_filters_or_latest(r, db, &f, 1))
        return;
    int self = web_hr_level_kind(r);
    if (self < 0)
        return;
    column_counter c = { NULL, { f.cycle, 0, 0, self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL } };
    if (!(c.oc = web_orgcols_acquire(r)))
        return;
    target_view *v = web_alloc(r, sizeof *v);
    err e;
    memset(&e, 0, sizeof e);
    int rc = targets_view_with(db, ev->catalog, count_columns, &c, f.cycle, f.org, v, &e);
    web_orgcols_release(r);
    if (rc < 0) {
        web_store_failed(r, "targets", &e);
        return;
    }
    web_defer(r, free_view, v);
    r->res.status = status;
    html_begin(r, web_t(r, "hr.targets.title"));
    html_printf(r->out, "<p class=\"crumbs no-print\"><a href=\"/hr?cycle=%lld\">%s</a></p>\n<h1>%s</h1>\n<p>%s</p>\n",
                (long long)f.cycle, web_t(r, "hr.drill.back"), web_t(r, "hr.targets.title"), web_t(r, "hr.targets.intro"));
    html_printf(r->out, "<p class=\"print-filters\">%s: <strong>%s</strong> ／ %s: <strong>%s</strong> ／ %s: <strong>%s</strong></p>\n",
                web_t(r, "hr.portfolio.cycle"), f.cycle_name, web_t(r, "hr.portfolio.org"),
                f.org ? f.org_name : web_t(r, "hr.all_units"), web_t(r, "official.levels_kind"),
                web_t(r, self ? "official.levels_self" : "official.levels_official"));
    if (note)
        html_message(r, "ok", note);
    if (errors && errors->count) {
        html_message(r, "error", web_t(r, "hr.targets.failed"));
        html_raw(r->out, "<pre class=\"cli-output errors\">");
        for (size_t i = 0; i < errors->count; i++) {
            char text[1200];
            html_printf(r->out, "%s\n", err_format(&errors->items[i], text, sizeof text));
        }
        html_raw(r->out, "</pre>\n");
    }
    target_table(r, v);
    target_forms(r, ev->catalog, f.cycle);
    html_end(r);
}

/* GET /hr/targets?cycle=ID[&org=ID&levels=official|self]  要員計画: the targets of
 * a cycle with the actual head count (people at the level or above in the unit
 * and those below it) and the gap; forms to set one and to import a CSV. */
void web_page_hr_targets(web_request *r)
{
    const char *done = web_query(r, "done");
    targets_page(r, 200, NULL, done && strcmp(done, "saved") == 0 ? web_t(r, "hr.targets.saved") : NULL);
}

/* POST /hr/targets?cycle=ID  Sets one target (org_unit_code, specialization,
 * level, head_count; an empty head_count removes it). */
void web_page_hr_target_post(web_request *r)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    hr_filters f;
    if (!ev || !read_filters(r, db, &f))
        return;
    const char *code = web_form(r, "org_unit_code"), *spec_arg = web_form(r, "specialization");
    const char *level_arg = web_form(r, "level"), *count_arg = web_form(r, "head_count");
    int spec = find_spec(ev->catalog, spec_arg);
    int64_t level = 0, count = -1;
    store_org_unit u;
    err e;
    memset(&e, 0, sizeof e);
    int found = code && *code ? store_org_find(db, code, &u, &e) : 0;
    if (found < 0) {
        web_store_failed(r, "targets", &e);
        return;
    }
    const char *field = !found ? "org_unit_code" : spec < 0 ? "specialization"
                        : !level_arg || !web_parse_int(level_arg, 1, catalog_level_max(ev->catalog), &level) ? "level"
                        : count_arg && *count_arg && !web_parse_int(count_arg, 0, 100000000, &count) ? "head_count"
                        : NULL;
    if (field) {
        if (found)
            store_org_unit_clear(&u);
        web_hr_refuse(r, !found ? 404 : 400,
                      !found ? "hr.err.org_unknown" : spec < 0 ? "hr.drill.bad_spec" : "hr.targets.bad_number", field);
        return;
    }
    char actor[200];
    snprintf(actor, sizeof actor, "web:%s", r->user ? r->user->login : "?");
    int rc = store_target_set(db, f.cycle, u.id, catalog_spec_at(ev->catalog, (size_t)spec)->id, (int)level, count,
                              actor, &e);
    store_org_unit_clear(&u);
    if (rc < 0) {
        web_store_failed(r, "targets", &e);
        return;
    }
    char to[96];
    snprintf(to, sizeof to, "/hr/targets?cycle=%lld&done=saved", (long long)f.cycle);
    web_redirect(r, to);
}

/* POST /hr/targets/import?cycle=ID  A CSV of targets (targets.h), in one
 * transaction: with any error nothing is written and each is listed as
 * file:line:column (422). */
void web_page_hr_targets_import(web_request *r)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    if (!ev)
        return;
    const web_upload *file = web_upload_get(r, "file");
    if (!file || !file->filename || !*file->filename) {
        web_hr_refuse(r, 400, "hr.import.no_file", "file");
        return;
    }
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *csv = csv_open_memory(file->data, file->len, "targets.csv", CSV_AUTO, &e);
    err_list *errors = web_alloc(r, sizeof *errors);
    memset(errors, 0, sizeof *errors);
    size_t set = 0;
    int rc = 1;
    if (!csv)
        err_add(errors, e.where, e.line, e.column, e.path[0] ? e.path : NULL, "%s", e.message);
    else {
        char actor[200];
        snprintf(actor, sizeof actor, "web:%s", r->user ? r->user->login : "?");
        rc = targets_import(db, ev->catalog, csv, actor, 0, errors, &set, &e);
        csv_close(csv);
    }
    if (rc < 0) {
        web_store_failed(r, "targets", &e);
        return;
    }
    char note[200];
    snprintf(note, sizeof note, "%s: %zu", web_t(r, "hr.targets.imported"), set);
    targets_page(r, rc == 0 ? 200 : 422, errors, rc == 0 ? web_strdup(r, note) : NULL);
}

/* ---- Trends and level flow (/hr/trends) ------------------------------------------------ */

/* A level's label: 未到達 for 0. Request memory. */
static const char *level_name(web_request *r, int level)
{
    char text[64];
    if (level == 0)
        return web_t(r, "hr.portfolio.level0");
    web_level_label(r, level, text, sizeof text);
    return web_strdup(r, text);
}

/* One specialization over every cycle: the distribution of levels as stacked
 * bars (oldest cycle first) and as a table whose counts lead to the people. */
static void trend_spec(web_request *r, const catalog *cat, size_t s, const store_cycle_list *cycles,
                       const portfolio *per, const char *filters)
{
    const catalog_spec *sp = catalog_spec_at(cat, s);
    int n_levels = per[0].n_levels;
    size_t n = cycles->count, n_cols = (size_t)n_levels - 1;
    const char **rows = web_alloc(r, n * sizeof *rows), **cols = web_alloc(r, n_cols * sizeof *cols);
    int *counts = web_alloc(r, n * n_cols * sizeof *counts);
    for (size_t c = 0; c < n; c++) {
        size_t k = n - 1 - c;      /* the list is latest first */
        rows[c] = cycles->items[k].name;
        for (size_t l = 0; l < n_cols; l++)
            counts[c * n_cols + l] = per[k].counts[s * (size_t)n_levels + l + 1];
    }
    for (size_t l = 0; l < n_cols; l++)
        cols[l] = level_name(r, (int)l + 1);
    char id[64], title[300];
    snprintf(id, sizeof id, "trend-%s", sp->code);
    snprintf(title, sizeof title, "%s: %s", sp->name, web_t(r, "hr.trends.chart"));
    svg_matrix m = { .id = id, .title = title, .summary = title, .rows = rows, .n_rows = n, .columns = cols,
                     .n_columns = n_cols, .counts = counts };
    buf chart;
    buf_init(&chart);
    err e;
    html_printf(r->out, "<section class=\"card trend\" id=\"trend-%s\">\n<h2>%s</h2>\n", sp->code, sp->name);
    if (n && n <= SVG_ROWS_MAX && n_cols && n_cols <= SVG_COLUMNS_MAX && svg_stacked_bars(&chart, &m, &e) == 0) {
        html_raw(r->out, "<figure class=\"chart\">");
        buf_raw(r->out, chart.data);
        html_printf(r->out, "<figcaption>%s</figcaption></figure>\n", title);
    }
    buf_free(&chart);
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"trend-table\">\n<caption>%s</caption>\n<thead><tr>"
                        "<th scope=\"col\">%s</th>", title, web_t(r, "hr.portfolio.cycle"));
    for (int l = 0; l < n_levels; l++)
        html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th>", level_name(r, l));
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t c = 0; c < n; c++) {
        size_t k = n - 1 - c;
        html_printf(r->out, "<tr><th scope=\"row\">%s</th>", cycles->items[k].name);
        for (int l = 0; l < n_levels; l++)
            html_printf(r->out, "<td class=\"num\"><a href=\"/hr/portfolio/people?cycle=%lld%s&amp;spec=%s&amp;level=%d\">%d</a></td>",
                        (long long)cycles->items[k].id, filters, sp->code, l,
                        per[k].counts[s * (size_t)n_levels + (size_t)l]);
        html_raw(r->out, "</tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</section>\n");
}

/* The level-flow matrix of one specialization: from the compared cycle's
 * level (rows, then those who joined) to the cycle's (columns, then those who
 * left), every count leading to its people. */
static void flow_spec(web_request *r, const catalog *cat, size_t s, const orgcols_flow *fl, const char *base)
{
    const catalog_spec *sp = catalog_spec_at(cat, s);
    int n = fl->n_levels;
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"flow\" data-spec=\"%s\">\n<caption>%s: %s</caption>\n"
                        "<thead><tr><th scope=\"col\">%s</th>", sp->code, sp->name, web_t(r, "hr.flow.title"),
                web_t(r, "hr.flow.from_to"));
    for (int to = 0; to < n; to++)
        html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th>", level_name(r, to));
    html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n", web_t(r, "hr.flow.left"));
    for (int from = 0; from < n; from++) {
        html_printf(r->out, "<tr><th scope=\"row\">%s</th>", level_name(r, from));
        for (int to = 0; to < n; to++) {
            int64_t v = fl->moves[(s * (size_t)n + (size_t)from) * (size_t)n + (size_t)to];
            html_printf(r->out, "<td class=\"num%s\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;from=%d&amp;level=%d\">%lld</a></td>",
                        to > from ? " up" : to < from ? " down" : "", base, sp->code, from, to, (long long)v);
        }
        html_printf(r->out, "<td class=\"num\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;left=1&amp;level=%d\">%lld</a></td></tr>\n",
                    base, sp->code, from, (long long)fl->left[s * (size_t)n + (size_t)from]);
    }
    html_printf(r->out, "<tr><th scope=\"row\">%s</th>", web_t(r, "hr.flow.joined"));
    for (int to = 0; to < n; to++)
        html_printf(r->out, "<td class=\"num\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;joined=1&amp;level=%d\">%lld</a></td>",
                    base, sp->code, to, (long long)fl->entered[s * (size_t)n + (size_t)to]);
    html_raw(r->out, "<td></td></tr>\n</tbody>\n</table></div>\n");
}

/* Frees the cycles and the flow when the request ends. */
static void free_cycles(void *p)
{
    store_cycle_list_free(p);
}

static void free_flow(void *p)
{
    orgcols_flow_free(p);
}

/* GET /hr/trends[?org=ID&levels=official|self&approved=1&cycle=ID&compare=ID]
 * Every cycle on one chart per specialization (the distribution of levels over
 * time, with its table), and the level flow from the compared cycle to the
 * cycle (default: the latest two). Every count leads to its people. */
void web_page_hr_trends(web_request *r)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    hr_filters f;
    if (!ev || !read_filters_or_latest(r, db, &f, 1))
        return;
    store_cycle_list *cycles = web_alloc(r, sizeof *cycles);
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_list_all(db, cycles, &e) < 0) {
        web_store_failed(r, "trends", &e);
        return;
    }
    web_defer(r, free_cycles, cycles);
    if (!f.compare)
        for (size_t i = 0; i + 1 < cycles->count; i++)
            if (cycles->items[i].id == f.cycle) {
                f.compare = cycles->items[i + 1].id;
                snprintf(f.compare_name, sizeof f.compare_name, "%s", cycles->items[i + 1].name);
            }
    /* Each cycle counted as /hr counts it (its arrays freed with the request). */
    portfolio *per = web_alloc(r, (cycles->count + 1) * sizeof *per);
    int self = 0;
    for (size_t i = 0; i < cycles->count; i++) {
        if (web_hr_portfolio_count(r, cycles->items[i].id, f.org, f.approved, 0, &per[i]) < 0)
            return;
        self = per[i].self_levels;
    }
    orgcols_flow *fl = NULL;
    if (f.compare && f.compare != f.cycle) {
        const orgcols *oc = web_orgcols_acquire(r);
        if (!oc)
            return;
        orgcols_scope sc = { f.cycle, f.org, self ? f.approved : 0, self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL };
        fl = web_alloc(r, sizeof *fl);
        int rc = orgcols_flow_count(oc, &sc, f.compare, fl);
        web_orgcols_release(r);
        if (rc < 0) {
            web_store_failed(r, "trends", &(err){ .message = "out of memory" });
            return;
        }
        web_defer(r, free_flow, fl);
    }
    buf filters, base;
    buf_init(&filters);
    buf_init(&base);
    if (f.org)
        buf_printf(&filters, "&org=%lld", (long long)f.org);
    buf_printf(&filters, "&levels=%s%s", self ? "self" : "official", f.approved ? "&approved=1" : "");
    filters_query(&base, &f, self);
    html_begin(r, web_t(r, "hr.trends.title"));
    html_printf(r->out, "<p class=\"crumbs no-print\"><a href=\"/hr\">%s</a></p>\n<h1>%s</h1>\n<p>%s</p>\n",
                web_t(r, "hr.drill.back"), web_t(r, "hr.trends.title"), web_t(r, "hr.trends.intro"));
    html_printf(r->out, "<p class=\"print-filters\">%s: <strong>%s</strong> ／ %s: <strong>%s</strong></p>\n",
                web_t(r, "hr.portfolio.org"), f.org ? f.org_name : web_t(r, "hr.all_units"),
                web_t(r, "official.levels_kind"), web_t(r, self ? "official.levels_self" : "official.levels_official"));
    html_raw(r->out, "<div class=\"print-landscape\">\n");
    for (size_t s = 0; s < catalog_spec_count(ev->catalog) && cycles->count; s++)
        trend_spec(r, ev->catalog, s, cycles, per, filters.data);
    if (fl) {
        html_printf(r->out, "<h2 id=\"flow\">%s: %s → %s</h2>\n<p>%s: %lld</p>\n", web_t(r, "hr.flow.title"),
                    f.compare_name, f.cycle_name, web_t(r, "hr.movement.both"), (long long)fl->compared);
        for (size_t s = 0; s < catalog_spec_count(ev->catalog); s++)
            flow_spec(r, ev->catalog, s, fl, base.data);
    }
    html_raw(r->out, "</div>\n");
    html_end(r);
    buf_free(&filters);
    buf_free(&base);
}
