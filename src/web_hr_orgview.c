/* web_hr_orgview.c - HR's organization views over the organization's columns
 * (orgcols.h, counted there): the org view (units along the tree, a unit's own
 * members and each sub-unit with its subtree, specializations × levels, 未到達
 * and not assessed) and the skill map (proficiency by unit × skill area as a
 * heat map; knowledge coverage by unit × area, and the weakest knowledge
 * categories first). Every level count leads to its people (the drill-down of
 * web_hr_views.c). The filters travel in the URL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "web_kit.h"
#include "web_hr_data.h"
#include "html.h"
#include "orgcols.h"
#include "report_levels.h"
#include "xalloc.h"

/* The units a page names (the unit shown, its path up, its rows), each read
 * once by id: a page reads a few dozen units, not all 12,000 of a large
 * organization. */
typedef struct unit_memo {
    store *db;
    store_org_unit **items;        /* heap, each kept until the request ends */
    size_t count, cap;
} unit_memo;

/* The filters of an org view: cycle (default the latest), unit, kind. */
typedef struct view_filters {
    int64_t cycle, org;
    int self, approved;
    char cycle_name[200];
    unit_memo *units;
} view_filters;

static void free_units(void *p)
{
    unit_memo *m = p;
    for (size_t i = 0; i < m->count; i++) {
        store_org_unit_clear(m->items[i]);
        free(m->items[i]);
    }
    free(m->items);
}

/* Unit id (read from the store the first time), or NULL when there is no
 * such unit or it cannot be read. */
static const store_org_unit *unit_of(unit_memo *m, int64_t id)
{
    for (size_t i = 0; i < m->count; i++)
        if (m->items[i]->id == id)
            return m->items[i];
    store_org_unit *u = xcalloc(1, sizeof *u);
    err e;
    memset(&e, 0, sizeof e);
    if (!id || store_org_get(m->db, id, u, &e) != 1) {
        free(u);
        return NULL;
    }
    if (m->count == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->items = xrealloc(m->items, m->cap * sizeof *m->items);
    }
    m->items[m->count++] = u;
    return u;
}

/* Reads ?cycle= (the latest without), ?org=, ?levels=, ?approved=, each
 * checked: 1, or 0 after answering 400/404/503. */
static int read_view_filters(web_request *r, store *db, view_filters *f)
{
    memset(f, 0, sizeof *f);
    err e;
    memset(&e, 0, sizeof e);
    store_cycle_list cycles;
    if (store_cycle_list_all(db, &cycles, &e) < 0) {
        web_store_failed(r, "org view", &e);
        return 0;
    }
    f->units = web_alloc(r, sizeof *f->units);
    memset(f->units, 0, sizeof *f->units);
    f->units->db = db;
    web_defer(r, free_units, f->units);
    const char *c = web_query(r, "cycle"), *o = web_query(r, "org");
    int64_t v = 0;
    for (size_t i = 0; i < cycles.count; i++)
        if ((!c || !*c) ? i == web_hr_default_cycle(&cycles) : (web_parse_int(c, 1, INT64_MAX, &v) && v == cycles.items[i].id)) {
            f->cycle = cycles.items[i].id;
            snprintf(f->cycle_name, sizeof f->cycle_name, "%s", cycles.items[i].name);
        }
    store_cycle_list_free(&cycles);
    if (!f->cycle) {
        web_hr_refuse(r, c && *c && !web_parse_int(c, 1, INT64_MAX, &v) ? 400 : 404, "hr.err.cycle_unknown", "cycle");
        return 0;
    }
    if (o && *o && strcmp(o, "0") != 0) {
        if (!web_parse_int(o, 1, INT64_MAX, &f->org) || !unit_of(f->units, f->org)) {
            web_hr_refuse(r, web_parse_int(o, 1, INT64_MAX, &v) ? 404 : 400, "hr.err.org_unknown", "org");
            return 0;
        }
    }
    f->self = web_hr_level_kind(r);
    f->approved = web_query(r, "approved") != NULL;
    return f->self >= 0;
}

/* The filters as a query string for links (cycle, levels, approved; no org). */
static const char *view_query(web_request *r, const view_filters *f)
{
    char q[160];
    snprintf(q, sizeof q, "cycle=%lld&levels=%s%s", (long long)f->cycle, f->self ? "self" : "official",
             f->approved && f->self ? "&approved=1" : "");
    return web_strdup(r, q);
}

/* The path to the unit shown, each step a link up the tree (collapse), and
 * what the page shows, named for the printout. */
static void view_heading(web_request *r, const view_filters *f, const char *page, const char *title)
{
    const char *q = view_query(r, f);
    html_printf(r->out, "<nav class=\"crumbs\" aria-label=\"%s\"><ol><li><a href=\"%s?%s\">%s</a></li>",
                web_t(r, "hr.orgview.path"), page, q, web_t(r, "hr.all_units"));
    int64_t chain[64];
    size_t n = 0;
    for (int64_t id = f->org; id && n < 64; n++) {
        chain[n] = id;
        const store_org_unit *u = unit_of(f->units, id);
        id = u ? u->parent_id : 0;
    }
    while (n-- > 0) {
        const store_org_unit *u = unit_of(f->units, chain[n]);
        html_printf(r->out, "<li><a href=\"%s?%s&amp;org=%lld\"", page, q, (long long)u->id);
        if (u->id == f->org)
            html_raw(r->out, " aria-current=\"page\"");
        html_printf(r->out, ">%s</a></li>", u->name);
    }
    html_raw(r->out, "</ol></nav>\n");
    const store_org_unit *u = unit_of(f->units, f->org);
    html_printf(r->out, "<h1>%s</h1>\n<p class=\"print-filters\">%s: <strong>%s</strong> ／ %s: <strong>%s</strong>"
                        " ／ %s: <strong>%s</strong></p>\n",
                title, web_t(r, "hr.portfolio.cycle"), f->cycle_name, web_t(r, "hr.portfolio.org"),
                u ? u->name : web_t(r, "hr.all_units"), web_t(r, "official.levels_kind"),
                web_t(r, f->self ? "official.levels_self" : "official.levels_official"));
}

/* One row of the org view. */
static void orgview_row(web_request *r, const view_filters *f, const catalog *cat, const orgcols_unit_levels *u,
                        int n_levels, const int *tops, int total, int has_children)
{
    const store_org_unit *unit = unit_of(f->units, u->unit_id);
    const char *q = view_query(r, f);
    char drill[200];
    if (total && !f->org)
        snprintf(drill, sizeof drill, "%s", q);
    else if (total)
        snprintf(drill, sizeof drill, "%s&org=%lld", q, (long long)f->org);
    else
        snprintf(drill, sizeof drill, "%s&org=%lld%s", q, (long long)u->unit_id, u->direct ? "&direct=1" : "");
    html_printf(r->out, "<tr class=\"%s\" data-unit=\"%s\">", total ? "total" : u->direct ? "direct" : "child",
                total ? "" : unit ? unit->code : "");
    if (total)
        html_printf(r->out, "<th scope=\"row\">%s</th>", web_t(r, "hr.total"));
    else if (u->direct)
        html_printf(r->out, "<th scope=\"row\">%s %s</th>", unit ? unit->name : "", web_t(r, "hr.orgview.direct"));
    else if (unit && has_children)
        html_printf(r->out, "<th scope=\"row\"><a href=\"/hr/orgview?%s&amp;org=%lld\" aria-label=\"%s %s\">▶ %s</a></th>",
                    q, (long long)unit->id, web_t(r, "hr.orgview.expand"), unit->name, unit->name);
    else
        html_printf(r->out, "<th scope=\"row\">%s</th>", unit ? unit->name : "");
    html_printf(r->out, "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num muted\">%lld</td>",
                (long long)u->people, (long long)u->assessed, (long long)u->not_assessed);
    for (size_t s = 0; s < catalog_spec_count(cat); s++)
        for (int l = 0; l <= tops[s] && l < n_levels; l++)
            html_printf(r->out, "<td class=\"num\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;level=%d\">%lld</a></td>",
                        drill, catalog_spec_at(cat, s)->code, l, (long long)u->counts[s * (size_t)n_levels + (size_t)l]);
    html_raw(r->out, "</tr>\n");
}

static void free_by_unit(void *p)
{
    orgcols_by_unit_free(p);
}

/* GET /hr/orgview[?cycle=ID&org=ID&levels=official|self&approved=1]  The org
 * view: the unit's own members and each unit below it (its whole subtree) as
 * rows, specializations × levels as columns, with 未到達 and not assessed; the
 * total adds up the rows. A unit with units below it expands (its own view);
 * the path above collapses. */
void web_page_hr_orgview(web_request *r)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    view_filters f;
    if (!ev || !read_view_filters(r, db, &f))
        return;
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc)
        return;
    orgcols_scope sc = { f.cycle, f.org, f.self ? f.approved : 0, f.self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL };
    orgcols_by_unit *bu = web_alloc(r, sizeof *bu);
    int rc = orgcols_levels_by_unit(oc, &sc, bu);
    unsigned char *kids = web_alloc(r, bu->n_units + 1);      /* which rows expand */
    int64_t *ids = web_alloc(r, (bu->n_units + 1) * sizeof *ids);
    for (size_t i = 0; rc == 0 && i < bu->n_units; i++)
        ids[i] = bu->units[i].unit_id;
    if (rc == 0)
        orgcols_units_have_children(oc, ids, bu->n_units, kids);
    web_orgcols_release(r);
    if (rc < 0) {
        web_store_failed(r, "org view", &(err){ .message = "out of memory" });
        return;
    }
    web_defer(r, free_by_unit, bu);
    size_t n_specs = catalog_spec_count(ev->catalog);
    int *tops = web_alloc(r, (n_specs + 1) * sizeof *tops);
    for (size_t s = 0; s < n_specs; s++)
        tops[s] = report_spec_level_max(ev->catalog, catalog_spec_at(ev->catalog, s));
    html_begin(r, web_t(r, "hr.orgview.title"));
    view_heading(r, &f, "/hr/orgview", web_t(r, "hr.orgview.title"));
    html_printf(r->out, "<p>%s</p>\n<div class=\"print-landscape\"><div class=\"table-wrap\" tabindex=\"0\">"
                        "<table class=\"orgview\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\" rowspan=\"2\">%s</th>"
                        "<th scope=\"col\" rowspan=\"2\" class=\"num\">%s</th><th scope=\"col\" rowspan=\"2\" class=\"num\">%s</th>"
                        "<th scope=\"col\" rowspan=\"2\" class=\"num\">%s</th>",
                web_t(r, "hr.orgview.intro"), web_t(r, "hr.orgview.title"), web_t(r, "hr.drill.unit"),
                web_t(r, "hr.orgview.people"), web_t(r, "hr.orgview.assessed"), web_t(r, "hr.orgview.not_assessed"));
    for (size_t s = 0; s < n_specs; s++)
        html_printf(r->out, "<th scope=\"colgroup\" colspan=\"%d\">%s</th>", tops[s] + 1, catalog_spec_at(ev->catalog, s)->name);
    html_raw(r->out, "</tr>\n<tr>");
    for (size_t s = 0; s < n_specs; s++)
        for (int l = 0; l <= tops[s]; l++) {
            char lv[64];
            if (l == 0)
                snprintf(lv, sizeof lv, "%s", web_t(r, "hr.portfolio.level0"));
            else
                web_level_label(r, l, lv, sizeof lv);
            html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th>", lv);
        }
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < bu->n_units; i++)
        orgview_row(r, &f, ev->catalog, &bu->units[i], bu->n_levels, tops, 0, kids[i]);
    html_raw(r->out, "</tbody>\n<tfoot>\n");
    orgview_row(r, &f, ev->catalog, &bu->total, bu->n_levels, tops, 1, 0);
    html_raw(r->out, "</tfoot>\n</table></div></div>\n");
    html_end(r);
}

/* ---- The skill map (/hr/skillmap) ------------------------------------------------------ */

/* The name of a row of a grid or coverage: the unit (with 直属 for its own
 * members) or 合計. Request memory. */
static const char *row_name(web_request *r, const view_filters *f, int64_t unit_id, int direct)
{
    if (!unit_id)
        return web_t(r, "hr.total");
    const store_org_unit *u = unit_of(f->units, unit_id);
    char text[300];
    snprintf(text, sizeof text, "%s%s", u ? u->name : "?", direct ? web_t(r, "hr.orgview.direct") : "");
    return web_strdup(r, text);
}

/* Proficiency by unit × skill area: each cell the mean level reached, shaded,
 * with the distribution in words for screen readers and the printout. */
static void proficiency_map(web_request *r, const view_filters *f, const catalog *cat, const orgcols_grid *g)
{
    html_printf(r->out, "<h2 id=\"proficiency\">%s</h2>\n<p>%s</p>\n<div class=\"table-wrap\" tabindex=\"0\">"
                        "<table class=\"heat skillmap\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th>",
                web_t(r, "hr.skillmap.proficiency"), web_t(r, "hr.skillmap.proficiency_intro"),
                web_t(r, "hr.skillmap.proficiency"), web_t(r, "hr.drill.unit"), web_t(r, "hr.orgview.assessed"));
    for (size_t a = 0; a < g->n_areas; a++)
        if (g->has_area[a])
            html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th>", catalog_area_at(cat, a)->name);
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t row = 0; row < g->n_rows; row++) {
        html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\">%s</th><td class=\"num\">%lld</td>",
                    g->unit_ids[row] ? "unit" : "total", row_name(r, f, g->unit_ids[row], g->direct[row]),
                    (long long)g->people[row]);
        for (size_t a = 0; a < g->n_areas; a++) {
            if (!g->has_area[a])
                continue;
            const int64_t *c = &g->counts[(row * g->n_areas + a) * (size_t)g->n_levels];
            int64_t n = 0, sum = 0;
            buf dist;
            buf_init(&dist);
            for (int l = 0; l < g->n_levels; l++) {
                n += c[l];
                sum += c[l] * l;
                if (c[l])
                    buf_printf(&dist, "%sL%d: %lld", dist.len ? ", " : "", l, (long long)c[l]);
            }
            double mean = n ? (double)sum / (double)n : 0;
            int shade = n ? (int)(mean + 0.5) : 0;
            html_printf(r->out, "<td class=\"num heat-%d\" title=\"%s\">%.1f<span class=\"dist\">%s</span></td>",
                        shade > 7 ? 7 : shade, dist.data ? dist.data : "", mean, dist.data ? dist.data : "");
            buf_free(&dist);
        }
        html_raw(r->out, "</tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* The share of a coverage cell rated at or above the minimum, in percent (-1: no items). */
static int share(const orgcols_cov_cell *c)
{
    return c->items ? (int)((c->covered * 100 + c->items / 2) / c->items) : -1;
}

/* Knowledge coverage by unit × area (or × category of one area). */
static void coverage_map(web_request *r, const view_filters *f, const orgcols_coverage *cv)
{
    html_printf(r->out, "<h2 id=\"coverage\">%s</h2>\n<p>%s</p>\n<div class=\"table-wrap\" tabindex=\"0\">"
                        "<table class=\"heat coverage\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>",
                web_t(r, "hr.skillmap.coverage"), web_t(r, "hr.skillmap.coverage_intro"),
                web_t(r, "hr.skillmap.coverage"), web_t(r, "hr.drill.unit"));
    for (size_t c = 0; c < cv->n_cols; c++)
        html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th>",
                    cv->cols[c].category ? cv->cols[c].category->name : cv->cols[c].area->name);
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t row = 0; row < cv->n_rows; row++) {
        html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\">%s</th>", cv->unit_ids[row] ? "unit" : "total",
                    row_name(r, f, cv->unit_ids[row], cv->direct[row]));
        for (size_t c = 0; c < cv->n_cols; c++) {
            const orgcols_cov_cell *x = &cv->cells[row * cv->n_cols + c];
            int pct = share(x);
            if (pct < 0) {
                html_raw(r->out, "<td class=\"num\">-</td>");
                continue;
            }
            html_printf(r->out, "<td class=\"num heat-%d\" title=\"%s %.1f\">%d%%<span class=\"dist\">%s %.1f</span></td>",
                        pct / 15 > 7 ? 7 : pct / 15, web_t(r, "hr.skillmap.mean"),
                        x->rated ? (double)x->rating_sum / (double)x->rated : 0.0, pct, web_t(r, "hr.skillmap.mean"),
                        x->rated ? (double)x->rating_sum / (double)x->rated : 0.0);
        }
        html_raw(r->out, "</tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* The skill areas as the columns know them (their catalog's pointers, which
 * their views compare; the request's catalog may be another copy of the same
 * standard), in catalog order: n_areas entries, the caller frees the array.
 * NULL when out of memory. */
static const catalog_area **column_areas(const orgcols *oc, const orgcols_scope *sc, size_t *n)
{
    (void)sc;
    const catalog *cat = orgcols_catalog(oc);
    *n = catalog_area_count(cat);
    const catalog_area **areas = calloc(*n + 1, sizeof *areas);
    for (size_t a = 0; areas && a < *n; a++)
        areas[a] = catalog_area_at(cat, a);
    return areas;
}

/* The columns' own pointer of area (matched by code), or NULL. */
static const catalog_area *column_area(const orgcols *oc, const orgcols_scope *sc, const catalog_area *area)
{
    size_t n = 0;
    const catalog_area **areas = area ? column_areas(oc, sc, &n) : NULL, *hit = NULL;
    for (size_t i = 0; areas && i < n; i++)
        if (strcmp(areas[i]->code, area->code) == 0)
            hit = areas[i];
    free(areas);
    return hit;
}

/* A knowledge category of the scope with its coverage, for the weakest-first list. */
typedef struct weak_category {
    const catalog_area *area;
    const catalog_knowledge_category *category;
    orgcols_cov_cell cell;
} weak_category;

static int by_share(const void *a, const void *b)
{
    const weak_category *x = a, *y = b;
    int p = share(&x->cell), q = share(&y->cell);
    return p != q ? (p < q ? -1 : 1) : strcmp(x->category->name, y->category->name);
}

/* The knowledge categories of the scope (the total row of the coverage by
 * category cv), weakest first: what training the unit needs. 0, or -1 when
 * out of memory. */
static int weakest(web_request *r, const orgcols_coverage *cv)
{
    size_t n = 0, total = cv->n_rows - 1;
    weak_category *w = calloc(cv->n_cols + 1, sizeof *w);
    if (!w)
        return -1;
    for (size_t c = 0; c < cv->n_cols; c++)
        if (cv->cells[total * cv->n_cols + c].items && cv->cols[c].category)
            w[n++] = (weak_category){ cv->cols[c].area, cv->cols[c].category, cv->cells[total * cv->n_cols + c] };
    qsort(w, n, sizeof *w, by_share);
    html_printf(r->out, "<h2 id=\"weakest\">%s</h2>\n<p>%s</p>\n<div class=\"table-wrap\" tabindex=\"0\"><table class=\"weakest\">\n"
                        "<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "hr.skillmap.weakest"), web_t(r, "hr.skillmap.weakest_intro"), web_t(r, "hr.skillmap.weakest"),
                web_t(r, "hr.skillmap.category"), web_t(r, "hr.skillmap.area"), web_t(r, "hr.skillmap.share"),
                web_t(r, "hr.skillmap.mean"));
    for (size_t i = 0; i < n && i < 15; i++)
        html_printf(r->out, "<tr><th scope=\"row\">%s</th><td>%s</td><td class=\"num\">%d%%</td><td class=\"num\">%.1f</td></tr>\n",
                    w[i].category->name, w[i].area->name, share(&w[i].cell),
                    w[i].cell.rated ? (double)w[i].cell.rating_sum / (double)w[i].cell.rated : 0.0);
    html_raw(r->out, "</tbody>\n</table></div>\n");
    free(w);
    return 0;
}

static void free_grid(void *p)
{
    orgcols_grid_free(p);
}

static void free_coverage(void *p)
{
    orgcols_coverage_free(p);
}

/* The specialization of ?spec= (a code; "any" or absent: -1) and the area of
 * ?area= (a code; absent: NULL). 1, or 0 after answering 400 naming it. */
static int read_spec_area(web_request *r, const catalog *cat, int *spec, const catalog_area **area)
{
    const char *s = web_query(r, "spec"), *a = web_query(r, "area");
    *spec = -1;
    *area = NULL;
    if (s && *s && strcmp(s, "any") != 0) {
        for (size_t i = 0; i < catalog_spec_count(cat); i++)
            if (strcmp(catalog_spec_at(cat, i)->code, s) == 0)
                *spec = (int)i;
        if (*spec < 0) {
            web_hr_refuse(r, 400, "hr.drill.bad_spec", "spec");
            return 0;
        }
    }
    for (size_t i = 0; a && *a && i < catalog_area_count(cat); i++)
        if (strcmp(catalog_area_at(cat, i)->code, a) == 0)
            *area = catalog_area_at(cat, i);
    if (a && *a && !*area) {
        web_hr_refuse(r, 400, "hr.skillmap.bad_area", "area");
        return 0;
    }
    return 1;
}

/* The form choosing the specialization and the area of the skill map. */
static void skillmap_form(web_request *r, const view_filters *f, const catalog *cat, int spec, const catalog_area *area)
{
    html_form_get(r, "/hr/skillmap");
    html_raw(r->out, "<div class=\"filters\">\n");
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)f->cycle);
    html_hidden(r, "cycle", id);
    if (f->org) {
        snprintf(id, sizeof id, "%lld", (long long)f->org);
        html_hidden(r, "org", id);
    }
    html_hidden(r, "levels", f->self ? "self" : "official");
    html_select_begin(r, "spec", web_t(r, "hr.portfolio.spec"), NULL, 0);
    html_option(r, "any", web_t(r, "hr.skillmap.any_spec"), spec < 0);
    for (size_t s = 0; s < catalog_spec_count(cat); s++)
        html_option(r, catalog_spec_at(cat, s)->code, catalog_spec_at(cat, s)->name, (int)s == spec);
    html_select_end(r, "spec", NULL);
    html_select_begin(r, "area", web_t(r, "hr.skillmap.area"), NULL, 0);
    html_option(r, "", web_t(r, "hr.skillmap.all_areas"), area == NULL);
    for (size_t a = 0; a < catalog_area_count(cat); a++)
        html_option(r, catalog_area_at(cat, a)->code, catalog_area_at(cat, a)->name, catalog_area_at(cat, a) == area);
    html_select_end(r, "area", NULL);
    html_submit(r, web_t(r, "hr.portfolio.show"));
    html_raw(r->out, "</div>\n");
    html_form_end(r);
}

/* GET /hr/skillmap[?cycle=ID&org=ID&spec=HW|any&area=CODE]  スキルマップ: the
 * proficiency of each unit in each skill area (mean level, shaded, with the
 * distribution), knowledge coverage by unit × area (or × knowledge category of
 * one area), and the weakest knowledge categories of the unit first. */
void web_page_hr_skillmap(web_request *r)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    view_filters f;
    int spec;
    const catalog_area *area;
    if (!ev || !read_view_filters(r, db, &f) || !read_spec_area(r, ev->catalog, &spec, &area))
        return;
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc)
        return;
    orgcols_scope sc = { f.cycle, f.org, f.self ? f.approved : 0, f.self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL };
    orgcols_grid *g = web_alloc(r, sizeof *g);
    orgcols_coverage *cats = web_alloc(r, sizeof *cats), *cv = web_alloc(r, sizeof *cv);
    /* one pass: proficiency and coverage by category, the areas (or one area's categories) taken from it */
    int rc = orgcols_skillmap(oc, &sc, spec, g, cats);
    if (rc == 0) {
        web_defer(r, free_grid, g);
        web_defer(r, free_coverage, cats);
        if (area)
            rc = orgcols_coverage_of_area(oc, cats, column_area(oc, &sc, area), cv);
        else
            orgcols_coverage_areas_of(oc, cats, cv);
    }
    if (rc == 0)
        web_defer(r, free_coverage, cv);
    if (rc < 0) {
        web_orgcols_release(r);
        web_store_failed(r, "skill map", &(err){ .message = "out of memory" });
        return;
    }
    html_begin(r, web_t(r, "hr.skillmap.title"));
    view_heading(r, &f, "/hr/skillmap", web_t(r, "hr.skillmap.title"));
    skillmap_form(r, &f, ev->catalog, spec, area);
    html_raw(r->out, "<div class=\"print-landscape\">\n");
    proficiency_map(r, &f, ev->catalog, g);
    coverage_map(r, &f, cv);
    if (weakest(r, cats) < 0)
        html_message(r, "error", web_t(r, "hr.skillmap.failed"));
    web_orgcols_release(r);
    html_raw(r->out, "</div>\n");
    html_end(r);
}
