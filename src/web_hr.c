/* web_hr.c - HR (人事) pages: the overview with the 人材ポートフォリオ, assessment
 * cycles, org units, people and the exports (the CSV upload: web_hr_import.c).
 *
 * The route table lets only ROLE_HR in. Every handler has the same shape: read
 * and check what was sent, change the store or read it, render. A form that
 * is refused is shown again with what was typed and the message under the
 * field at fault (status 422); one that succeeds redirects (303) to the list
 * with a message. The checks, the portfolio counts, the import and the export
 * are shared with the HR API (web_hr_data.c). */
#include "web.h"
#include "web_hr_data.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "report_org.h"
#include "svg_chart.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PEOPLE_PER_PAGE 50

/* ---- The frame of every HR page --------------------------------------------------- */

static const struct hr_section {
    const char *path;
    const char *key;
} hr_sections[] = {
    { "/hr", "hr.nav.overview" },
    { "/hr/cycles", "hr.nav.cycles" },
    { "/hr/org", "hr.nav.org" },
    { "/hr/people", "hr.nav.people" },
    { "/hr/import", "hr.nav.import" },
    { "/hr/export", "hr.nav.export" },
    { "/hr/plans", "hr.nav.plans" },          /* web_plan_hr.c */
    { "/hr/training", "hr.nav.training" },    /* web_plan_hr.c */
    { "/hr/orgview", "hr.nav.orgview" },
    { "/hr/skillmap", "hr.nav.skillmap" },
    { "/search", "hr.nav.search" },
    { "/hr/trends", "hr.nav.trends" },
    { "/hr/targets", "hr.nav.targets" },
};

/* Is the request in section path? The overview only on its own path. */
static int in_hr_section(const web_request *r, const char *path)
{
    size_t n = strlen(path);
    if (strcmp(path, "/hr") == 0)
        return strcmp(r->path, "/hr") == 0;
    return strncmp(r->path, path, n) == 0 && (r->path[n] == '\0' || r->path[n] == '/');
}

/* Starts an HR page: the site frame, the HR sections, the heading, and the
 * message a redirect asked for (?done=KEY, only keys "hr.done.*" that exist). */
static void hr_begin(web_request *r, const char *title)
{
    html_begin(r, title);
    html_printf(r->out, "<nav class=\"subnav\" aria-label=\"%s\"><ul>\n", web_t(r, "hr.nav.label"));
    for (size_t i = 0; i < sizeof hr_sections / sizeof hr_sections[0]; i++) {
        html_printf(r->out, "<li><a href=\"%s\"", hr_sections[i].path);
        html_current(r->out, in_hr_section(r, hr_sections[i].path));
        html_printf(r->out, ">%s</a></li>\n", web_t(r, hr_sections[i].key));
    }
    html_printf(r->out, "</ul></nav>\n<h1>%s</h1>\n", title);
    const char *done = web_query(r, "done");
    if (done && strspn(done, "abcdefghijklmnopqrstuvwxyz_") == strlen(done) && strlen(done) < 40) {
        char key[64];
        snprintf(key, sizeof key, "hr.done.%s", done);
        const char *text = web_t(r, key);
        if (strcmp(text, key) != 0)
            html_message(r, "ok", text);
    }
}

void web_hr_begin(web_request *r, const char *title)
{
    hr_begin(r, title);
}

/* The message of a refused form, above it. */
static void problem_message(web_request *r, const web_hr_problem *p)
{
    if (p && p->message)
        html_message(r, "error", web_t(r, "hr.form_refused"));
}

/* The error to show under field, or NULL. */
static const char *error_for(const web_hr_problem *p, const char *field)
{
    return p && p->field && strcmp(p->field, field) == 0 ? p->message : NULL;
}

/* A form value trimmed of surrounding ASCII and full-width spaces, in request
 * memory ("" when absent). */
static const char *form_text(web_request *r, const char *name)
{
    const char *s = web_form(r, name);
    if (!s)
        return "";
    while (*s == ' ' || *s == '\t' || strncmp(s, "\xe3\x80\x80", 3) == 0)
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'
                     || (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)))
        n -= s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n' ? 1 : 3;
    return web_strndup(r, s, n);
}

/* An id sent in a form or query (0 when absent, empty or not a positive number). */
static int64_t id_value(const char *s)
{
    int64_t v = 0;
    return s && web_parse_int(s, 1, INT64_MAX, &v) ? v : 0;
}

/* A date input (type=date: browsers offer a calendar and send YYYY-MM-DD). */
static void date_field(web_request *r, const char *name, const char *label, const char *value, const char *error)
{
    html_field(r, &(html_input){ .type = "date", .name = name, .label = label, .value = value,
                                 .hint = web_t(r, "hr.date_hint"), .error = error, .required = 1,
                                 .maxlength = 10 });
}

/* Reads every org unit; -1 after answering. */
static int all_units(web_request *r, store *db, store_org_list *units)
{
    err e;
    if (store_org_list_all(db, units, &e) < 0) {
        web_store_failed(r, "org units", &e);
        return -1;
    }
    return 0;
}

/* ---- Unit fields ------------------------------------------------------------------------- */

/* The unit a form names in field (a code or an exact name, web_hr_unit_lookup;
 * empty: none); without that field, the id in id_field (what the forms sent
 * before, and scripts may still send). 1 with *id (and *text the trimmed text,
 * or NULL), 0 with *problem set on field (no such unit, or several of that
 * name), -1 after answering. */
static int form_unit(web_request *r, store *db, const char *field, const char *id_field, int64_t *id,
                     const char **text, web_hr_problem *problem)
{
    *id = 0;
    *text = NULL;
    if (!web_form(r, field)) {
        *id = id_value(web_form(r, id_field));
        return 1;
    }
    *text = form_text(r, field);
    store_org_list units;
    if (all_units(r, db, &units) < 0)
        return -1;
    int found = web_hr_unit_lookup(&units, *text, id);
    store_org_list_free(&units);
    if (found >= 0)
        return 1;
    problem->field = field;
    problem->message = web_t(r, found == -2 ? "hr.err.unit_ambiguous" : "hr.err.org_unknown");
    return 0;
}

/* A store refusal about id_field shown at the form's field instead. */
static void problem_at(web_hr_problem *p, const char *id_field, const char *field)
{
    if (p->field && strcmp(p->field, id_field) == 0)
        p->field = field;
}

/* Reads every cycle; -1 after answering. */
static int all_cycles(web_request *r, store *db, store_cycle_list *cycles)
{
    err e;
    if (store_cycle_list_all(db, cycles, &e) < 0) {
        web_store_failed(r, "cycles", &e);
        return -1;
    }
    return 0;
}

/* ---- GET /hr: the overview and the 人材ポートフォリオ ---------------------------------- */

/* Counts the assessments of cycle_id by status into counts[ASSESSMENT_STATUS_COUNT],
 * over the org columns (every assessment of the cycle). */
static void status_counts(const orgcols *oc, int64_t cycle_id, long *counts)
{
    orgcols_status_units su;
    memset(counts, 0, ASSESSMENT_STATUS_COUNT * sizeof *counts);
    if (orgcols_status_by_unit(oc, cycle_id, 0, &su) < 0)
        return;
    for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
        counts[s] = (long)su.counts[su.n_units * ASSESSMENT_STATUS_COUNT + (size_t)s];
    orgcols_status_units_free(&su);
}

/* The cycles with their dates, state and assessments by status. */
static int render_cycle_counts(web_request *r, const store_cycle_list *cycles, const char *today)
{
    html_printf(r->out, "<h2>%s</h2>\n", web_t(r, "hr.overview.cycles"));
    if (cycles->count == 0) {
        html_printf(r->out, "<p>%s <a href=\"/hr/cycles\">%s</a></p>\n", web_t(r, "hr.cycles.none"),
                    web_t(r, "hr.cycles.add"));
        return 0;
    }
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>",
                web_t(r, "hr.cycle.name"), web_t(r, "hr.cycle.period"), web_t(r, "hr.cycle.state"));
    for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
        html_printf(r->out, "<th class=\"num\">%s</th>", web_t(r, web_status_key((assessment_status)s)));
    html_printf(r->out, "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n", web_t(r, "hr.total"));
    long (*all)[ASSESSMENT_STATUS_COUNT] = web_alloc(r, (cycles->count + 1) * sizeof *all);
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc)
        return -1;
    for (size_t i = 0; i < cycles->count; i++)
        status_counts(oc, cycles->items[i].id, all[i]);
    web_orgcols_release(r);
    for (size_t i = 0; i < cycles->count; i++) {
        const store_cycle *c = &cycles->items[i];
        const long *counts = all[i];
        const char *state = web_hr_cycle_state(c, today);
        char state_key[40];
        snprintf(state_key, sizeof state_key, "hr.state.%s", state);
        html_printf(r->out, "<tr><td><a href=\"/hr/cycles/%lld\">%s</a></td><td>%s – %s</td>"
                            "<td><span class=\"badge cycle-%s\">%s</span></td>",
                    (long long)c->id, c->name, c->opens, c->closes, state, web_t(r, state_key));
        long total = 0;
        for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++) {
            html_printf(r->out, "<td class=\"num\">%ld</td>", counts[s]);
            total += counts[s];
        }
        html_printf(r->out, "<td class=\"num\">%ld</td></tr>\n", total);
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
    return 0;
}

/* The level labels of the portfolio's columns (levels 1 up), in request memory. */
static const char **level_labels(web_request *r, int n_levels)
{
    const char **labels = web_alloc(r, (size_t)n_levels * sizeof *labels);
    for (int l = 1; l < n_levels; l++) {
        char text[64];
        web_level_label(r, l, text, sizeof text);
        labels[l - 1] = web_strdup(r, text);
    }
    return labels;
}

/* The portfolio as a heat table, as stacked bars and as a table of numbers:
 * people per specialization at each level from 1 (a person appears in every
 * specialization they reached a level in); those at 未到達 everywhere are
 * counted apart, so that they do not crowd out the picture. */
static void render_portfolio(web_request *r, const web_eval *ev, const web_hr_portfolio *pf, const char *cycle_name,
                             const char *base)
{
    size_t n = pf->n_specs;
    int *lo = web_alloc(r, (n + 1) * sizeof *lo), *hi = web_alloc(r, (n + 1) * sizeof *hi), top = 0;
    for (size_t s = 0; s < n; s++) {
        lo[s] = report_spec_level_min(ev->catalog, catalog_spec_at(ev->catalog, s));
        hi[s] = report_spec_level_max(ev->catalog, catalog_spec_at(ev->catalog, s));
        top = hi[s] > top ? hi[s] : top;
    }
    size_t n_columns = pf->n_levels > 1 ? (size_t)pf->n_levels - 1 : 0;
    if (top > 0 && (size_t)top < n_columns)
        n_columns = (size_t)top;       /* no column of a level no specialization has */
    if (n == 0 || n > SVG_ROWS_MAX || n_columns == 0 || n_columns > SVG_COLUMNS_MAX)
        return;
    const char **rows = web_alloc(r, n * sizeof *rows);
    int *counts = web_alloc(r, n * n_columns * sizeof *counts);
    for (size_t s = 0; s < n; s++) {
        rows[s] = catalog_spec_at(ev->catalog, s)->name;
        for (size_t l = 0; l < n_columns; l++)
            counts[s * n_columns + l] = pf->counts[s * (size_t)pf->n_levels + l + 1];
    }
    const char **columns = level_labels(r, pf->n_levels);

    html_printf(r->out, "<p class=\"portfolio-summary\">%s: <a href=\"/hr/portfolio/people?%s\">%ld</a> · %s: "
                        "<a href=\"/hr/portfolio/people?%s&amp;no_level=1\">%ld</a></p>\n",
                web_t(r, "hr.portfolio.assessed"), base, pf->assessed, web_t(r, "hr.portfolio.no_level"), base,
                pf->no_level);
    buf summary;
    buf_init(&summary);
    buf_printf(&summary, "%s %s: %ld", cycle_name, web_t(r, "hr.portfolio.assessed"), pf->assessed);
    svg_matrix m = { .id = "portfolio-heat", .title = web_t(r, "hr.portfolio.heat"), .summary = summary.data,
                     .rows = rows, .n_rows = n, .columns = columns, .n_columns = n_columns, .counts = counts };
    buf chart;
    buf_init(&chart);
    err e;
    html_printf(r->out, "<div class=\"charts\">\n");
    if (svg_heat_table(&chart, &m, &e) == 0) {
        html_printf(r->out, "<figure class=\"chart portfolio\">\n");
        buf_raw(r->out, chart.data);
        html_printf(r->out, "<figcaption>%s</figcaption>\n</figure>\n", web_t(r, "hr.portfolio.heat"));
    }
    buf_reset(&chart);
    m.id = "portfolio-bars";
    m.title = web_t(r, "hr.portfolio.bars");
    if (svg_stacked_bars(&chart, &m, &e) == 0) {
        html_printf(r->out, "<figure class=\"chart portfolio\">\n");
        buf_raw(r->out, chart.data);
        html_printf(r->out, "<figcaption>%s</figcaption>\n</figure>\n", web_t(r, "hr.portfolio.bars"));
    }
    html_printf(r->out, "</div>\n");
    buf_free(&chart);
    buf_free(&summary);

    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"portfolio-table\">\n<caption>%s</caption>\n"
                        "<thead><tr><th scope=\"col\">%s</th>",
                web_t(r, "hr.portfolio.table"), web_t(r, "hr.portfolio.spec"));
    for (size_t l = 0; l < n_columns; l++)
        html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th>", columns[l]);
    html_printf(r->out, "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "hr.total"), web_t(r, "hr.portfolio.level0"));
    for (size_t s = 0; s < n; s++) {
        const char *code = catalog_spec_at(ev->catalog, s)->code;
        html_printf(r->out, "<tr><th scope=\"row\">%s</th>", rows[s]);
        long total = 0;
        for (size_t l = 0; l < n_columns; l++) {
            total += counts[s * n_columns + l];
            if ((int)l + 1 < lo[s] || (int)l + 1 > hi[s]) {
                html_printf(r->out, "<td class=\"num na\"><span aria-hidden=\"true\">–</span>"
                                    "<span class=\"visually-hidden\">%s</span></td>", web_t(r, "hr.portfolio.no_such_level"));
                continue;          /* a level the specialization does not have */
            }
            html_printf(r->out, "<td class=\"num\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;level=%zu\">%d</a></td>",
                        base, code, l + 1, counts[s * n_columns + l]);
        }
        html_printf(r->out, "<td class=\"num\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;level=reached\">%ld</a></td>"
                            "<td class=\"num muted\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;level=0\">%d</a></td></tr>\n",
                    base, code, total, base, code, pf->counts[s * (size_t)pf->n_levels]);
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* Up, same and down per specialization against the compared cycle. */
static void render_movement(web_request *r, const web_eval *ev, const web_hr_portfolio *pf, const char *from,
                            const char *to, const char *base)
{
    html_printf(r->out, "<h3>%s</h3>\n<p>%s → %s: %s %ld</p>\n", web_t(r, "hr.movement.title"), from, to,
                web_t(r, "hr.movement.both"), pf->compared);
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"movement\">\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "hr.portfolio.spec"), web_t(r, "hr.movement.up"), web_t(r, "hr.movement.same"),
                web_t(r, "hr.movement.down"));
    for (size_t s = 0; s < pf->n_specs; s++) {
        const char *code = catalog_spec_at(ev->catalog, s)->code;
        html_printf(r->out, "<tr><th scope=\"row\">%s</th>"
                            "<td class=\"num%s\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;move=up\">%d</a></td>"
                            "<td class=\"num\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;move=same\">%d</a></td>"
                            "<td class=\"num%s\"><a href=\"/hr/portfolio/people?%s&amp;spec=%s&amp;move=down\">%d</a></td></tr>\n",
                    catalog_spec_at(ev->catalog, s)->name, pf->up[s] ? " up" : "", base, code, pf->up[s], base, code,
                    pf->same[s], pf->down[s] ? " down" : "", base, code, pf->down[s]);
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* The name of cycle id in the list, or NULL. */
static const store_cycle *cycle_in(const store_cycle_list *cycles, int64_t id)
{
    for (size_t i = 0; i < cycles->count; i++)
        if (cycles->items[i].id == id)
            return &cycles->items[i];
    return NULL;
}

/* What the printout of /hr shows above the portfolio: the cycle, the compared
 * cycle, the unit and the kind of levels (the filters' form is not printed). */
static void render_print_filters(web_request *r, const store_org_list *units, const store_cycle *cycle,
                                 const store_cycle *compare, int64_t org, int self_levels)
{
    const char *unit = web_t(r, "hr.all_units");
    for (size_t i = 0; i < units->count; i++)
        if (units->items[i].id == org)
            unit = units->items[i].name;
    html_printf(r->out, "<p class=\"print-filters\" data-cycle=\"%s\">%s: <strong>%s</strong>", cycle->name,
                web_t(r, "hr.portfolio.cycle"), cycle->name);
    if (compare)
        html_printf(r->out, " ／ %s: <strong>%s</strong>", web_t(r, "hr.portfolio.compare"), compare->name);
    html_printf(r->out, " ／ %s: <strong>%s</strong> ／ %s: <strong>%s</strong></p>\n", web_t(r, "hr.portfolio.org"),
                unit, web_t(r, "official.levels_kind"),
                web_t(r, self_levels ? "official.levels_self" : "official.levels_official"));
}

/* The filters of /hr as a query string (no '?') into out: the drill-down
 * links carry them, so a list counts what the number counted. */
static void portfolio_query(char *out, size_t size, const store_cycle *cycle, const store_cycle *compare, int64_t org,
                            int self_levels, int approved)
{
    int n = snprintf(out, size, "cycle=%lld", (long long)cycle->id);
    if (compare)
        n += snprintf(out + n, size - (size_t)n, "&compare=%lld", (long long)compare->id);
    if (org)
        n += snprintf(out + n, size - (size_t)n, "&org=%lld", (long long)org);
    snprintf(out + n, size - (size_t)n, "&levels=%s%s", self_levels ? "self" : "official",
             approved && self_levels ? "&approved=1" : "");
}

/* Links to the organization report of the filters shown, as Excel and PDF. */
static void render_report_links(web_request *r, const store_cycle *cycle, const store_cycle *compare, int64_t org,
                                int self_levels)
{
    char query[160];
    int n = snprintf(query, sizeof query, "?cycle=%lld", (long long)cycle->id);
    if (compare)
        n += snprintf(query + n, sizeof query - (size_t)n, "&compare=%lld", (long long)compare->id);
    if (org)
        n += snprintf(query + n, sizeof query - (size_t)n, "&org=%lld", (long long)org);
    snprintf(query + n, sizeof query - (size_t)n, "&levels=%s", self_levels ? "self" : "official");
    html_printf(r->out, "<p class=\"report-links no-print\">%s: <a href=\"/hr/export/org.xlsx%s\" download>%s</a> ・ "
                        "<a href=\"/hr/export/org.pdf%s\" download>%s</a></p>\n",
                web_t(r, "hr.report.title"), query, web_t(r, "hr.report.xlsx"), query, web_t(r, "hr.report.pdf"));
}

/* The filters' form of /hr (cycle, compare, unit, kind of levels, approved
 * only) and, below it, the unit's path and the units below it as links. */
static void render_filters(web_request *r, const store_cycle_list *cycles, const store_cycle *cycle,
                           const store_cycle *compare, const store_org_list *units, int64_t org, int self_levels,
                           int approved)
{
    html_form_get(r, "/hr");
    html_raw(r->out, "<div class=\"filters\">\n");
    html_select_begin(r, "cycle", web_t(r, "hr.portfolio.cycle"), NULL, 0);
    for (size_t i = 0; i < cycles->count; i++)
        html_option_id(r, cycles->items[i].id, cycles->items[i].name, &cycles->items[i] == cycle);
    html_select_end(r, "cycle", NULL);
    html_select_begin(r, "compare", web_t(r, "hr.portfolio.compare"), NULL, 0);
    html_option_id(r, 0, web_t(r, "hr.portfolio.no_compare"), compare == NULL);
    for (size_t i = 0; i < cycles->count; i++)
        if (&cycles->items[i] != cycle)
            html_option_id(r, cycles->items[i].id, cycles->items[i].name, &cycles->items[i] == compare);
    html_select_end(r, "compare", NULL);
    web_hr_unit_field(r, units, org);
    html_select_begin(r, "levels", web_t(r, "official.levels_kind"), NULL, 0);
    html_printf(r->out, "<option value=\"official\"%s>%s</option><option value=\"self\"%s>%s</option>\n",
                self_levels ? "" : " selected", web_t(r, "official.levels_official"), self_levels ? " selected" : "",
                web_t(r, "official.levels_self"));
    html_select_end(r, "levels", NULL);
    html_printf(r->out, "<div class=\"choice\"><input type=\"checkbox\" id=\"f-approved\" name=\"approved\" value=\"1\"%s>"
                        "<label for=\"f-approved\">%s</label></div>\n",
                approved ? " checked" : "", web_t(r, "hr.portfolio.approved_only"));
    html_submit(r, web_t(r, "hr.portfolio.show"));
    html_raw(r->out, "</div>\n");
    html_form_end(r);
    char nav_query[160];
    portfolio_query(nav_query, sizeof nav_query, cycle, compare, 0, self_levels, approved);
    web_hr_unit_nav(r, units, org, "/hr", nav_query);
}

/* GET /hr[?cycle=ID&compare=ID&org=ID&approved=1]  The cycles with their
 * assessments by status, and the 人材ポートフォリオ of one cycle: people per
 * specialization and level, for an org unit and the units below it, with the
 * movement since another cycle. */
void web_page_hr(web_request *r)
{
    store *db = web_store(r);
    const web_eval *ev = db ? web_evaluator(r) : NULL;
    if (!ev)
        return;
    store_cycle_list cycles;
    store_org_list units;
    if (all_cycles(r, db, &cycles) < 0)
        return;
    if (all_units(r, db, &units) < 0) {
        store_cycle_list_free(&cycles);
        return;
    }
    char today[11];
    web_hr_today(today);

    /* The filter: the cycle asked for, else the one in use today (of the open
     * ones, the one with the most assessments: a cycle opened beside it, still
     * nearly empty, does not take over), else the latest. */
    const store_cycle *cycle = cycle_in(&cycles, id_value(web_query(r, "cycle")));
    if (!cycle) {
        store_cycle in_use;
        err e;
        memset(&e, 0, sizeof e);
        if (store_cycle_in_use(db, today, &in_use, &e) > 0)
            cycle = cycle_in(&cycles, in_use.id);
        store_cycle_clear(&in_use);
    }
    if (!cycle && cycles.count)
        cycle = &cycles.items[0];
    const store_cycle *compare = NULL;
    const char *compare_arg = web_query(r, "compare");
    if (compare_arg)
        compare = cycle_in(&cycles, id_value(compare_arg));
    else
        for (size_t i = 0; cycle && i + 1 < cycles.count && !compare; i++)
            if (&cycles.items[i] == cycle)
                compare = &cycles.items[i + 1];      /* the one that opened before */
    int64_t org = 0;
    if (web_hr_unit_param(r, &units, &org) < 0)
        goto done;
    int approved = web_query(r, "approved") != NULL;
    const char *levels_arg = web_query(r, "levels");
    int self_levels = levels_arg && strcmp(levels_arg, "self") == 0;

    web_hr_portfolio pf;
    if (cycle && web_hr_portfolio_count(r, cycle->id, org, approved, compare ? compare->id : 0, &pf) < 0)
        goto done;

    hr_begin(r, web_t(r, "hr.title"));
    if (render_cycle_counts(r, &cycles, today) < 0)
        goto done;

    html_printf(r->out, "<h2 id=\"portfolio\">%s</h2>\n<p>%s</p>\n", web_t(r, "hr.portfolio.title"),
                web_t(r, "hr.portfolio.intro"));
    if (!cycle) {
        html_end(r);
        goto done;
    }
    render_filters(r, &cycles, cycle, compare, &units, org, self_levels, approved);

    html_printf(r->out, "<p class=\"level-kind\" data-level-kind=\"%s\">%s: <strong>%s</strong></p>\n",
                pf.self_levels ? "self" : "official", web_t(r, "official.levels_kind"),
                web_t(r, pf.self_levels ? "official.levels_self" : "official.levels_official"));
    render_report_links(r, cycle, compare, org, pf.self_levels);
    html_raw(r->out, "<div class=\"print-landscape\">\n");
    render_print_filters(r, &units, cycle, compare, org, pf.self_levels);
    char base[200];
    portfolio_query(base, sizeof base, cycle, compare, org, pf.self_levels, approved);
    if (pf.assessed == 0)
        html_message(r, "notice", web_t(r, "hr.portfolio.empty"));
    else
        render_portfolio(r, ev, &pf, cycle->name, base);
    if (compare)
        render_movement(r, ev, &pf, compare->name, cycle->name, base);
    html_raw(r->out, "</div>\n");
    html_end(r);
done:
    store_org_list_free(&units);
    store_cycle_list_free(&cycles);
}

/* ---- /hr/cycles ------------------------------------------------------------------------ */

/* The open or close button of a cycle, as its state allows. */
static void cycle_actions(web_request *r, const store_cycle *c, const char *today)
{
    char action[64];
    if (strcmp(web_hr_cycle_state(c, today), "open") == 0) {
        snprintf(action, sizeof action, "/hr/cycles/%lld/close", (long long)c->id);
        html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline\" data-confirm=\"%s\">", action,
                    web_t(r, "hr.cycles.close_confirm"));
        html_csrf_field(r);
        html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button></form>\n",
                    web_t(r, "hr.cycles.close"));
        return;
    }
    snprintf(action, sizeof action, "/hr/cycles/%lld/open", (long long)c->id);
    html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline\">", action);
    html_csrf_field(r);
    html_printf(r->out, "<label class=\"inline-label\" for=\"c-%lld\">%s</label> "
                        "<input type=\"date\" id=\"c-%lld\" name=\"closes\" value=\"%s\" required> "
                        "<button type=\"submit\" class=\"secondary\">%s</button></form>\n",
                (long long)c->id, web_t(r, "hr.cycle.closes"), (long long)c->id,
                strcmp(c->closes, today) >= 0 ? c->closes : "", web_t(r, "hr.cycles.open"));
}

/* The cycles page; the add form holds name/opens/closes and shows p's refusal
 * (a refusal about one cycle's open or close buttons goes above the list). */
/* A warning for every two cycles whose periods overlap (issue 12, defect 3):
 * people and reviewers then have two diagnoses open at once. */
static void put_overlaps(web_request *r, const store_cycle_list *cycles)
{
    for (size_t i = 0; i < cycles->count; i++)
        for (size_t j = i + 1; j < cycles->count; j++) {
            const store_cycle *a = &cycles->items[i], *b = &cycles->items[j];
            if (strcmp(a->opens, b->closes) > 0 || strcmp(b->opens, a->closes) > 0)
                continue;
            html_raw(r->out, "<div class=\"message notice cycle-overlap\" role=\"status\"><p>");
            web_html_tpl(r->out, web_t(r, "hr.cycles.overlap"), a->name, a->opens, a->closes, b->name, b->opens,
                         b->closes, NULL);
            html_raw(r->out, "</p></div>\n");
        }
}

static void render_cycles(web_request *r, const char *name, const char *opens, const char *closes,
                          const web_hr_problem *p, int add_form)
{
    store *db = web_store(r);
    store_cycle_list cycles;
    if (!db || all_cycles(r, db, &cycles) < 0)
        return;
    char today[11];
    web_hr_today(today);
    hr_begin(r, web_t(r, "hr.cycles.title"));
    if (p && !add_form)
        html_message(r, "error", p->message);
    html_printf(r->out, "<p>%s</p>\n", web_t(r, "hr.cycles.intro"));
    put_overlaps(r, &cycles);
    if (cycles.count == 0)
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "hr.cycles.none"));
    else {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                            "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "hr.cycle.name"), web_t(r, "hr.cycle.opens"), web_t(r, "hr.cycle.closes"),
                    web_t(r, "hr.cycle.state"), web_t(r, "hr.actions"));
        for (size_t i = 0; i < cycles.count; i++) {
            const store_cycle *c = &cycles.items[i];
            const char *state = web_hr_cycle_state(c, today);
            char state_key[40];
            snprintf(state_key, sizeof state_key, "hr.state.%s", state);
            html_printf(r->out, "<tr><td><a href=\"/hr/cycles/%lld\">%s</a></td><td>%s</td><td>%s</td>"
                                "<td><span class=\"badge cycle-%s\">%s</span></td><td>",
                        (long long)c->id, c->name, c->opens, c->closes, state, web_t(r, state_key));
            cycle_actions(r, c, today);
            html_raw(r->out, "</td></tr>\n");
        }
        html_raw(r->out, "</tbody>\n</table></div>\n");
    }
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "hr.cycles.add"));
    if (add_form)
        problem_message(r, p);
    html_form_post(r, "/hr/cycles");
    html_field(r, &(html_input){ .name = "name", .label = web_t(r, "hr.cycle.name"), .value = name,
                                 .hint = web_t(r, "hr.cycle.name_hint"), .error = add_form ? error_for(p, "name") : NULL,
                                 .required = 1, .maxlength = 200 });
    date_field(r, "opens", web_t(r, "hr.cycle.opens"), opens, add_form ? error_for(p, "opens") : NULL);
    date_field(r, "closes", web_t(r, "hr.cycle.closes"), closes, add_form ? error_for(p, "closes") : NULL);
    html_submit(r, web_t(r, "hr.cycles.add"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
    store_cycle_list_free(&cycles);
}

/* GET /hr/cycles  Every cycle with its dates and state, open and close
 * buttons, and the form to add one. */
void web_page_hr_cycles(web_request *r)
{
    render_cycles(r, NULL, NULL, NULL, NULL, 0);
}

/* POST /hr/cycles  name, opens, closes: adds a cycle. */
void web_page_hr_cycle_add(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *name = form_text(r, "name"), *opens = form_text(r, "opens"), *closes = form_text(r, "closes");
    web_hr_problem p = { 0 };
    int ok = web_hr_check_cycle(r, name, opens, closes, &p);
    err e;
    memset(&e, 0, sizeof e);
    if (ok && store_cycle_add(db, name, opens, closes, NULL, &e) < 0) {
        web_hr_store_problem(r, &e, name, &p);
        ok = 0;
    }
    if (!ok) {
        r->res.status = 422;
        render_cycles(r, name, opens, closes, &p, 1);
        return;
    }
    web_redirect(r, "/hr/cycles?done=cycle_added");
}

/* The cycle :id of the path into *c; 0 after answering 404 (or 503). */
static int path_cycle(web_request *r, store *db, store_cycle *c)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return 0;
    err e;
    int rc = store_cycle_get(db, id, c, &e);
    if (rc < 0)
        web_store_failed(r, "cycle", &e);
    else if (rc == 0)
        web_reply_404(r);
    return rc == 1;
}

/* The edit form of cycle c with the values shown (after a refusal, as typed). */
static void render_cycle(web_request *r, const store_cycle *c, const char *name, const char *opens,
                         const char *closes, const web_hr_problem *p)
{
    long counts[ASSESSMENT_STATUS_COUNT];
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc)
        return;
    status_counts(oc, c->id, counts);
    web_orgcols_release(r);
    hr_begin(r, c->name);
    html_printf(r->out, "<p><a href=\"/hr/cycles\">%s</a></p>\n", web_t(r, "hr.cycles.back"));
    html_printf(r->out, "<dl class=\"facts\">");
    for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
        html_printf(r->out, "<dt>%s</dt><dd>%ld</dd>", web_t(r, web_status_key((assessment_status)s)), counts[s]);
    html_printf(r->out, "</dl>\n<p><a href=\"/hr?cycle=%lld#portfolio\">%s</a></p>\n", (long long)c->id,
                web_t(r, "hr.portfolio.title"));
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "hr.cycles.edit"));
    problem_message(r, p);
    char action[48];
    snprintf(action, sizeof action, "/hr/cycles/%lld", (long long)c->id);
    html_form_post(r, action);
    html_field(r, &(html_input){ .name = "name", .label = web_t(r, "hr.cycle.name"), .value = name,
                                 .error = error_for(p, "name"), .required = 1, .maxlength = 200 });
    date_field(r, "opens", web_t(r, "hr.cycle.opens"), opens, error_for(p, "opens"));
    date_field(r, "closes", web_t(r, "hr.cycle.closes"), closes, error_for(p, "closes"));
    html_submit(r, web_t(r, "hr.save"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
}

/* GET /hr/cycles/:id  A cycle: its assessments by status and its edit form. */
void web_page_hr_cycle(web_request *r)
{
    store *db = web_store(r);
    store_cycle c;
    if (!db || !path_cycle(r, db, &c))
        return;
    render_cycle(r, &c, c.name, c.opens, c.closes, NULL);
    store_cycle_clear(&c);
}

/* Saves name/opens/closes over cycle c after checking them; on a refusal
 * re-renders (the edit form when on_form, else the list) with 422. */
static void save_cycle(web_request *r, store *db, const store_cycle *c, const char *name, const char *opens,
                       const char *closes, int on_form, const char *done)
{
    web_hr_problem p = { 0 };
    int ok = web_hr_check_cycle(r, name, opens, closes, &p);
    err e;
    memset(&e, 0, sizeof e);
    if (ok && store_cycle_edit(db, c->id, name, opens, closes, &e) < 0) {
        web_hr_store_problem(r, &e, name, &p);
        ok = 0;
    }
    if (!ok) {
        r->res.status = 422;
        if (on_form)
            render_cycle(r, c, name, opens, closes, &p);
        else
            render_cycles(r, NULL, NULL, NULL, &p, 0);
        return;
    }
    char to[80];
    snprintf(to, sizeof to, "/hr/cycles?done=%s", done);
    web_redirect(r, to);
}

/* POST /hr/cycles/:id  name, opens, closes: changes a cycle. */
void web_page_hr_cycle_save(web_request *r)
{
    store *db = web_store(r);
    store_cycle c;
    if (!db || !path_cycle(r, db, &c))
        return;
    save_cycle(r, db, &c, form_text(r, "name"), form_text(r, "opens"), form_text(r, "closes"), 1, "cycle_saved");
    store_cycle_clear(&c);
}

/* POST /hr/cycles/:id/open  closes: opens the cycle today (when it opens
 * later) until closes, which may not be in the past. */
void web_page_hr_cycle_open(web_request *r)
{
    store *db = web_store(r);
    store_cycle c;
    if (!db || !path_cycle(r, db, &c))
        return;
    char today[11];
    web_hr_today(today);
    const char *closes = form_text(r, "closes");
    if (!*closes)
        closes = c.closes;
    if (web_hr_is_date(closes) && strcmp(closes, today) < 0) {
        web_hr_problem p = { "closes", web_t(r, "hr.err.closes_past") };
        r->res.status = 422;
        render_cycles(r, NULL, NULL, NULL, &p, 0);
    } else {
        const char *opens = strcmp(c.opens, today) > 0 ? today : c.opens;
        save_cycle(r, db, &c, c.name, opens, closes, 0, "cycle_opened");
    }
    store_cycle_clear(&c);
}

/* POST /hr/cycles/:id/close  Closes the cycle: its last day becomes yesterday. */
void web_page_hr_cycle_close(web_request *r)
{
    store *db = web_store(r);
    store_cycle c;
    if (!db || !path_cycle(r, db, &c))
        return;
    char yesterday[11];
    web_hr_today(yesterday);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = atoi(yesterday) - 1900;
    tm.tm_mon = atoi(yesterday + 5) - 1;
    tm.tm_mday = atoi(yesterday + 8) - 1;
    tm.tm_hour = 12;
    timegm(&tm);
    strftime(yesterday, sizeof yesterday, "%Y-%m-%d", &tm);
    if (strcmp(c.opens, yesterday) > 0) {
        web_hr_problem p = { "closes", web_t(r, "hr.err.close_same_day") };
        r->res.status = 422;
        render_cycles(r, NULL, NULL, NULL, &p, 0);
    } else
        save_cycle(r, db, &c, c.name, c.opens, yesterday, 0, "cycle_closed");
    store_cycle_clear(&c);
}

/* ---- /hr/org --------------------------------------------------------------------------- */

/* The org unit form: code, name, parent (a unit's code or name; `self` and
 * the units below it are not offered); parent_text: what was sent (NULL: the
 * code of parent). */
static void org_form(web_request *r, const char *action, const store_org_list *units, int64_t self, const char *code,
                     const char *name, int64_t parent, const char *parent_text, const web_hr_problem *p,
                     const char *submit)
{
    html_form_post(r, action);
    html_field(r, &(html_input){ .name = "code", .label = web_t(r, "hr.org.code"), .value = code,
                                 .hint = web_t(r, "hr.org.code_hint"), .error = error_for(p, "code"), .required = 1,
                                 .maxlength = 64 });
    html_field(r, &(html_input){ .name = "name", .label = web_t(r, "hr.org.name"), .value = name,
                                 .error = error_for(p, "name"), .required = 1, .maxlength = 200 });
    web_hr_unit_input_field(r, units, &(web_hr_unit_input){ .name = "parent", .label = web_t(r, "hr.org.parent"),
                                                            .hint = web_t(r, "hr.org.parent_hint"), .value = parent_text,
                                                            .selected = parent, .skip = self,
                                                            .error = error_for(p, "parent") });
    html_submit(r, submit);
    html_form_end(r);
}

#define ORG_ROWS_MAX 200           /* units below the chosen one listed on /hr/org */

/* One row of /hr/org: the unit, its people (its own members who have not
 * left), how many units are just below it (a link one level down when any),
 * its edit link. 0, or -1 after answering. */
static int org_tree_row(web_request *r, store *db, const store_org_list *units, const store_org_unit *u, int current)
{
    store_person_filter f = { .org_unit_id = u->id };
    int64_t n = 0;
    err e;
    if (store_person_count(db, &f, &n, &e) < 0) {
        web_store_failed(r, "org units", &e);
        return -1;
    }
    size_t below = 0;
    for (size_t i = 0; i < units->count; i++)
        below += units->items[i].parent_id == u->id;
    if (current)
        html_raw(r->out, "<tr class=\"current\">");
    else
        html_raw(r->out, "<tr>");
    html_printf(r->out, "<td class=\"depth-%d\">%s</td><td>", current ? 0 : 1, u->code);
    if (below && !current)
        html_printf(r->out, "<a href=\"/hr/org?org=%lld\">%s</a>", (long long)u->id, u->name);
    else
        html_printf(r->out, "%s", u->name);
    html_printf(r->out, "</td><td class=\"num\"><a href=\"/hr/people?org=%lld\">%lld</a></td><td class=\"num\">%zu</td>"
                        "<td><a href=\"/hr/org/%lld\">%s</a></td></tr>\n",
                (long long)u->id, (long long)n, below, (long long)u->id, web_t(r, "hr.edit"));
    return 0;
}

/* The org tree one level at a time (every unit on one page was 3 MB and a
 * count per unit at 12,000 units): the unit chosen (?unit= code or name, or
 * ?org=ID; none: the top units) with the units just below it, at most
 * ORG_ROWS_MAX, each leading one level down; the path above as links. */
static int render_org_tree(web_request *r, store *db, const store_org_list *units, int64_t org)
{
    html_form_get(r, "/hr/org");
    web_hr_unit_field(r, units, org);
    html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button>\n", web_t(r, "results.show"));
    html_form_end(r);
    web_hr_unit_path(r, units, org, "/hr/org", NULL);
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"org-tree\">\n<thead><tr><th>%s</th><th>%s</th>"
                        "<th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "hr.org.code"), web_t(r, "hr.org.name"), web_t(r, "hr.org.people"), web_t(r, "hr.unit.below"),
                web_t(r, "hr.actions"));
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < units->count; i++) {
        const store_org_unit *u = &units->items[i];
        if (u->id == org && org_tree_row(r, db, units, u, 1) < 0)
            return -1;
        if (u->parent_id != org)
            continue;
        if (shown == ORG_ROWS_MAX) {
            more++;
            continue;
        }
        if (org_tree_row(r, db, units, u, 0) < 0)
            return -1;
        shown++;
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
    if (more) {
        char n[24];
        snprintf(n, sizeof n, "%zu", more);
        html_raw(r->out, "<p class=\"muted\">");
        web_html_tpl(r->out, web_t(r, "home.more"), n, NULL);
        html_raw(r->out, "</p>\n");
    }
    return 0;
}

/* The org units page with the add form (values and refusal after a failed add). */
static void render_org(web_request *r, const char *code, const char *name, int64_t parent, const char *parent_text,
                       const web_hr_problem *p)
{
    store *db = web_store(r);
    store_org_list units;
    if (!db || all_units(r, db, &units) < 0)
        return;
    int64_t org = 0;
    if (web_hr_unit_param(r, &units, &org) < 0) {
        store_org_list_free(&units);
        return;
    }
    hr_begin(r, web_t(r, "hr.org.title"));
    html_printf(r->out, "<p>%s</p>\n", web_t(r, "hr.org.intro"));
    if (units.count == 0)
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "hr.org.none"));
    else if (render_org_tree(r, db, &units, org) < 0) {
        store_org_list_free(&units);
        return;
    }
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "hr.org.add"));
    problem_message(r, p);
    org_form(r, "/hr/org", &units, 0, code, name, p ? parent : org, parent_text, p, web_t(r, "hr.org.add"));
    html_raw(r->out, "</section>\n");
    html_end(r);
    store_org_list_free(&units);
}

/* GET /hr/org[?unit=CODE|NAME|?org=ID]  The org tree one level at a time,
 * people per unit, and the add form (the parent: the unit shown). */
void web_page_hr_org(web_request *r)
{
    render_org(r, NULL, NULL, 0, NULL, NULL);
}

/* POST /hr/org  code, name, parent (a unit's code or name; empty: top
 * level; or parent_id, an id): adds an org unit. */
void web_page_hr_org_add(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *code = form_text(r, "code"), *name = form_text(r, "name"), *parent_text;
    int64_t parent;
    web_hr_problem p = { 0 };
    int ok = web_hr_check_org(r, code, name, &p);
    int found = form_unit(r, db, "parent", "parent_id", &parent, &parent_text, ok ? &p : &(web_hr_problem){ 0 });
    if (found < 0)
        return;
    ok = ok && found;
    err e;
    memset(&e, 0, sizeof e);
    if (ok && store_org_add(db, code, name, parent, NULL, &e) < 0) {
        web_hr_store_problem(r, &e, code, &p);
        problem_at(&p, "parent_id", "parent");
        ok = 0;
    }
    if (!ok) {
        r->res.status = 422;
        render_org(r, code, name, parent, parent_text, &p);
        return;
    }
    web_redirect(r, "/hr/org?done=org_added");
}

/* The org unit :id of the path; 0 after answering. */
static int path_org(web_request *r, store *db, store_org_unit *u)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return 0;
    err e;
    int rc = store_org_get(db, id, u, &e);
    if (rc < 0)
        web_store_failed(r, "org unit", &e);
    else if (rc == 0)
        web_reply_404(r);
    return rc == 1;
}

/* The edit page of unit u (parent_text: what was sent, NULL: parent's code). */
static void render_org_unit(web_request *r, store *db, const store_org_unit *u, const char *code, const char *name,
                            int64_t parent, const char *parent_text, const web_hr_problem *p)
{
    store_org_list units;
    if (all_units(r, db, &units) < 0)
        return;
    hr_begin(r, u->name);
    html_printf(r->out, "<p><a href=\"/hr/org\">%s</a> · <a href=\"/hr/people?org=%lld\">%s</a></p>\n",
                web_t(r, "hr.org.back"), (long long)u->id, web_t(r, "hr.org.its_people"));
    html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n", web_t(r, "hr.org.edit"));
    problem_message(r, p);
    char action[48];
    snprintf(action, sizeof action, "/hr/org/%lld", (long long)u->id);
    org_form(r, action, &units, u->id, code, name, parent, parent_text, p, web_t(r, "hr.save"));
    html_raw(r->out, "</section>\n");
    html_end(r);
    store_org_list_free(&units);
}

/* GET /hr/org/:id  An org unit's form: rename it, change its code, move it. */
void web_page_hr_org_unit(web_request *r)
{
    store *db = web_store(r);
    store_org_unit u;
    if (!db || !path_org(r, db, &u))
        return;
    render_org_unit(r, db, &u, u.code, u.name, u.parent_id, NULL, NULL);
    store_org_unit_clear(&u);
}

/* POST /hr/org/:id  code, name, parent (a unit's code or name; empty: top
 * level; or parent_id, an id): renames or moves an org unit. */
void web_page_hr_org_save(web_request *r)
{
    store *db = web_store(r);
    store_org_unit u;
    if (!db || !path_org(r, db, &u))
        return;
    const char *code = form_text(r, "code"), *name = form_text(r, "name"), *parent_text;
    int64_t parent;
    web_hr_problem p = { 0 };
    int ok = web_hr_check_org(r, code, name, &p);
    int found = form_unit(r, db, "parent", "parent_id", &parent, &parent_text, ok ? &p : &(web_hr_problem){ 0 });
    if (found >= 0) {
        ok = ok && found;
        err e;
        memset(&e, 0, sizeof e);
        if (ok && store_org_edit(db, u.id, code, name, parent, &e) < 0) {
            web_hr_store_problem(r, &e, code, &p);
            problem_at(&p, "parent_id", "parent");
            ok = 0;
        }
        if (!ok) {
            r->res.status = 422;
            render_org_unit(r, db, &u, code, name, parent, parent_text, &p);
        } else
            web_redirect(r, "/hr/org?done=org_saved");
    }
    store_org_unit_clear(&u);
}

/* ---- /hr/people ------------------------------------------------------------------------ */

/* A link to the people list with q, org and page. */
static void people_href(web_request *r, const char *q, int64_t org, int64_t page)
{
    html_raw(r->out, "/hr/people?q=");
    html_url_arg(r->out, q);
    if (org)
        html_printf(r->out, "&amp;org=%lld", (long long)org);
    html_printf(r->out, "&amp;page=%lld", (long long)page);
}

/* GET /hr/people[?q=TEXT&org=ID&page=N]  People found by number, name, kana
 * or e-mail, in an org unit and the units below, PEOPLE_PER_PAGE a page. */
void web_page_hr_people(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    const char *q = web_query(r, "q");
    q = q ? q : "";
    int64_t org = 0, page = 1;
    const char *page_arg = web_query(r, "page");
    if (page_arg && *page_arg && !web_parse_int(page_arg, 1, 1000000, &page)) {
        web_reply_400(r, web_t(r, "hr.people.bad_page"), "page");
        return;
    }
    store_org_list units;
    if (all_units(r, db, &units) < 0)
        return;
    if (web_hr_unit_param(r, &units, &org) < 0) {
        store_org_list_free(&units);
        return;
    }
    /* HR's list of people keeps those who left, marked, so that their history stays reachable. */
    store_person_filter f = { .org_unit_id = org, .include_sub_units = 1, .search = *q ? q : NULL, .include_left = 1 };
    int64_t total = 0;
    store_person_list people;
    err e;
    if (store_person_count(db, &f, &total, &e) < 0) {
        store_org_list_free(&units);
        web_store_failed(r, "people", &e);
        return;
    }
    int64_t pages = total ? (total + PEOPLE_PER_PAGE - 1) / PEOPLE_PER_PAGE : 1;
    if (page > pages)
        page = pages;
    f.limit = PEOPLE_PER_PAGE;
    f.offset = (page - 1) * PEOPLE_PER_PAGE;
    if (store_person_list_filter(db, &f, &people, &e) < 0) {
        store_org_list_free(&units);
        web_store_failed(r, "people", &e);
        return;
    }

    hr_begin(r, web_t(r, "hr.people.title"));
    html_printf(r->out, "<p><a class=\"button\" href=\"/hr/people/new\">%s</a></p>\n", web_t(r, "hr.people.add"));
    html_form_get(r, "/hr/people");
    html_raw(r->out, "<div class=\"filters\">\n");
    html_field(r, &(html_input){ .type = "search", .name = "q", .label = web_t(r, "hr.people.search"), .value = q,
                                 .hint = web_t(r, "hr.people.search_hint"), .maxlength = 200 });
    web_hr_unit_field(r, &units, org);
    html_submit(r, web_t(r, "hr.people.find"));
    html_raw(r->out, "</div>\n");
    html_form_end(r);
    buf qb;
    buf_init(&qb);
    buf_puts(&qb, "q=");
    html_url_arg(&qb, q);
    web_hr_unit_nav(r, &units, org, "/hr/people", qb.data);
    buf_free(&qb);

    html_printf(r->out, "<p class=\"count\">%s: %lld</p>\n", web_t(r, "hr.people.found"), (long long)total);
    if (people.count) {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                            "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "hr.person.number"), web_t(r, "hr.person.name"), web_t(r, "hr.person.org"),
                    web_t(r, "hr.person.manager"), web_t(r, "hr.person.email"), web_t(r, "hr.actions"));
        for (size_t i = 0; i < people.count; i++) {
            const store_person *p = &people.items[i];
            html_raw(r->out, "<tr");
            if (p->left_on)
                html_raw(r->out, " class=\"left\"");
            html_printf(r->out, "><td>%s</td><td>%s", p->employee_number, p->name);
            if (p->kana)
                html_printf(r->out, "<br><small>%s</small>", p->kana);
            if (p->left_on)
                html_printf(r->out, "<br><small class=\"left-on\">%s %s</small>", web_t(r, "hr.person.left_on"),
                            p->left_on);
            html_printf(r->out, "</td><td>%s</td><td>%s</td><td>%s</td>"
                                "<td><a href=\"/people/%lld/results\">%s</a> · <a href=\"/hr/people/%lld/edit\">%s</a></td></tr>\n",
                        p->org_name ? p->org_name : "", p->manager_name ? p->manager_name : "",
                        p->email ? p->email : "", (long long)p->id, web_t(r, "hr.people.results"), (long long)p->id,
                        web_t(r, "hr.edit"));
        }
        html_raw(r->out, "</tbody>\n</table></div>\n");
    }
    if (pages > 1) {
        html_printf(r->out, "<nav class=\"pager\" aria-label=\"%s\">", web_t(r, "hr.people.pages"));
        if (page > 1) {
            html_raw(r->out, "<a rel=\"prev\" href=\"");
            people_href(r, q, org, page - 1);
            html_printf(r->out, "\">%s</a> ", web_t(r, "hr.people.prev"));
        }
        html_printf(r->out, "<span>%lld / %lld</span>", (long long)page, (long long)pages);
        if (page < pages) {
            html_raw(r->out, " <a rel=\"next\" href=\"");
            people_href(r, q, org, page + 1);
            html_printf(r->out, "\">%s</a>", web_t(r, "hr.people.next"));
        }
        html_raw(r->out, "</nav>\n");
    }
    html_end(r);
    store_person_list_free(&people);
    store_org_list_free(&units);
}

/* The person form (add when p->id is 0) with its values and refusal;
 * unit_text: the unit as sent (NULL: the code of p's unit). */
static void render_person(web_request *r, store *db, const store_person *p, const char *manager_number,
                          const char *unit_text, const web_hr_problem *problem)
{
    store_org_list units;
    if (all_units(r, db, &units) < 0)
        return;
    hr_begin(r, p->id ? p->name : web_t(r, "hr.people.add"));
    html_printf(r->out, "<p><a href=\"/hr/people\">%s</a>", web_t(r, "hr.people.back"));
    if (p->id)
        html_printf(r->out, " · <a href=\"/people/%lld/results\">%s</a>", (long long)p->id,
                    web_t(r, "hr.people.results"));
    html_raw(r->out, "</p>\n<section class=\"card\">\n");
    problem_message(r, problem);
    char action[64];
    if (p->id)
        snprintf(action, sizeof action, "/hr/people/%lld/edit", (long long)p->id);
    else
        snprintf(action, sizeof action, "/hr/people/new");
    html_form_post(r, action);
    html_field(r, &(html_input){ .name = "employee_number", .label = web_t(r, "hr.person.number"),
                                 .value = p->employee_number, .error = error_for(problem, "employee_number"),
                                 .required = 1, .maxlength = 64, .autocomplete = "off" });
    html_field(r, &(html_input){ .name = "name", .label = web_t(r, "hr.person.name"), .value = p->name,
                                 .error = error_for(problem, "name"), .required = 1, .maxlength = 200 });
    html_field(r, &(html_input){ .name = "kana", .label = web_t(r, "hr.person.kana"), .value = p->kana,
                                 .error = error_for(problem, "kana"), .maxlength = 200 });
    html_field(r, &(html_input){ .type = "email", .name = "email", .label = web_t(r, "hr.person.email"),
                                 .value = p->email, .error = error_for(problem, "email"), .maxlength = 254 });
    web_hr_unit_input_field(r, &units, &(web_hr_unit_input){ .name = "org_unit", .label = web_t(r, "hr.person.org"),
                                                             .hint = web_t(r, "hr.person.org_hint"), .value = unit_text,
                                                             .selected = p->org_unit_id,
                                                             .error = error_for(problem, "org_unit") });
    html_field(r, &(html_input){ .name = "manager_employee_number", .label = web_t(r, "hr.person.manager_number"),
                                 .value = manager_number, .hint = web_t(r, "hr.person.manager_hint"),
                                 .error = error_for(problem, "manager_employee_number"), .maxlength = 64,
                                 .autocomplete = "off" });
    html_submit(r, p->id ? web_t(r, "hr.save") : web_t(r, "hr.people.add"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
    store_org_list_free(&units);
}

/* GET /hr/people/new  The form for a new person. */
void web_page_hr_person_new(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_person p = { 0 };
    render_person(r, db, &p, NULL, NULL, NULL);
}

/* Fills p's editable fields from the form (strings in request memory) and
 * resolves the unit (org_unit: a code or name; or org_unit_id) and the
 * manager's employee number. 1 when the form could be read, 0 with *problem
 * filled, -1 after answering. */
static int person_from_form(web_request *r, store *db, store_person *p, const char **manager_number,
                            const char **unit_text, web_hr_problem *problem)
{
    p->employee_number = (char *)form_text(r, "employee_number");
    p->name = (char *)form_text(r, "name");
    p->kana = (char *)form_text(r, "kana");
    p->email = (char *)form_text(r, "email");
    *manager_number = form_text(r, "manager_employee_number");
    int found = form_unit(r, db, "org_unit", "org_unit_id", &p->org_unit_id, unit_text, problem);
    if (found <= 0)
        return found;
    p->manager_id = 0;
    if (**manager_number) {
        store_person boss;
        err e;
        int rc = store_person_find(db, *manager_number, &boss, &e);
        if (rc < 0) {
            web_store_failed(r, "person", &e);
            return -1;
        }
        if (rc == 0) {
            problem->field = "manager_employee_number";
            problem->message = web_t(r, "hr.err.manager_unknown");
            return 0;
        }
        p->manager_id = boss.id;
        store_person_clear(&boss);
    }
    return 1;
}

/* Checks and saves the person of the form (add when id is 0). */
static void save_person(web_request *r, int64_t id)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_person p = { 0 };
    p.id = id;
    const char *manager_number = NULL, *unit_text = NULL;
    web_hr_problem problem = { 0 };
    int ok = person_from_form(r, db, &p, &manager_number, &unit_text, &problem);
    if (ok > 0)
        ok = web_hr_check_person(r, &p, &problem);
    if (ok < 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int64_t new_id = id;
    if (ok && (id ? store_person_edit(db, &p, &e) : store_person_add(db, &p, &new_id, &e)) < 0) {
        web_hr_store_problem(r, &e, p.employee_number, &problem);
        problem_at(&problem, "org_unit_id", "org_unit");
        ok = 0;
    }
    if (!ok) {
        r->res.status = 422;
        render_person(r, db, &p, manager_number, unit_text, &problem);
        return;
    }
    web_redirect(r, id ? "/hr/people?done=person_saved" : "/hr/people?done=person_added");
}

/* POST /hr/people/new  employee_number, name, kana, email, org_unit (a
 * unit's code or name; or org_unit_id), manager_employee_number: adds a
 * person. */
void web_page_hr_person_add(web_request *r)
{
    save_person(r, 0);
}

/* GET /hr/people/:id/edit  A person's form. */
void web_page_hr_person_edit(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || web_path_param_id(r, "id", &id) < 0)
        return;
    store_person p;
    err e;
    int rc = store_person_get(db, id, &p, &e);
    if (rc < 0)
        web_store_failed(r, "person", &e);
    else if (rc == 0)
        web_reply_404(r);
    else {
        render_person(r, db, &p, p.manager_number, NULL, NULL);
        store_person_clear(&p);
    }
}

/* POST /hr/people/:id/edit  The same fields as adding: saves a person. */
void web_page_hr_person_save(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || web_path_param_id(r, "id", &id) < 0)
        return;
    store_person p;
    err e;
    int rc = store_person_get(db, id, &p, &e);
    if (rc < 0)
        web_store_failed(r, "person", &e);
    else if (rc == 0)
        web_reply_404(r);
    else {
        store_person_clear(&p);
        save_person(r, id);
    }
}

/* ---- /hr/export ------------------------------------------------------------------------ */

/* The org PDF with a chosen depth of its 組織別 (report_org.h: the units
 * that many levels deep, the rest counted in their rows). */
static void report_depth_form(web_request *r, int64_t cycle)
{
    html_form_get(r, "/hr/export/org.pdf");
    html_raw(r->out, "<div class=\"filters\">\n");
    if (cycle) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)cycle);
        html_hidden(r, "cycle", id);
    }
    html_select_begin(r, "depth", web_t(r, "hr.report.depth"), NULL, 0);
    for (int n = 1; n <= 8; n++) {
        char value[8];
        snprintf(value, sizeof value, "%d", n);
        html_printf(r->out, "<option value=\"%s\"%s>", value, n == REPORT_ORG_DEPTH ? " selected" : "");
        web_html_tpl(r->out, web_t(r, "hr.report.depth_n"), value, NULL);
        html_raw(r->out, "</option>\n");
    }
    html_option(r, "all", web_t(r, "hr.report.depth_all"), 0);
    html_select_end(r, "depth", NULL);
    html_printf(r->out, "<p class=\"hint\">%s</p>\n", web_t(r, "hr.report.depth_hint"));
    html_submit(r, web_t(r, "hr.report.make_pdf"));
    html_raw(r->out, "</div>\n");
    html_form_end(r);
}

/* GET /hr/export[?cycle=ID]  Links to every export, of one cycle or all. */
void web_page_hr_export(web_request *r)
{
    store *db = web_store(r);
    store_cycle_list cycles;
    if (!db || all_cycles(r, db, &cycles) < 0)
        return;
    int64_t cycle = id_value(web_query(r, "cycle"));
    if (cycle && !cycle_in(&cycles, cycle))
        cycle = 0;
    hr_begin(r, web_t(r, "hr.export.title"));
    html_printf(r->out, "<p>%s</p>\n", web_t(r, "hr.export.intro"));
    html_form_get(r, "/hr/export");
    html_raw(r->out, "<div class=\"filters\">\n");
    html_select_begin(r, "cycle", web_t(r, "hr.export.cycle"), NULL, 0);
    html_option_id(r, 0, web_t(r, "hr.export.all_cycles"), cycle == 0);
    for (size_t i = 0; i < cycles.count; i++)
        html_option_id(r, cycles.items[i].id, cycles.items[i].name, cycles.items[i].id == cycle);
    html_select_end(r, "cycle", NULL);
    html_submit(r, web_t(r, "hr.export.choose"));
    html_raw(r->out, "</div>\n");
    html_form_end(r);
    static const char *const kinds[] = { "people", "assessments", "levels" };
    html_printf(r->out, "<div class=\"table-wrap\"><table>\n<thead><tr><th>%s</th><th>CSV</th><th>%s</th><th>JSON</th>"
                        "</tr></thead>\n<tbody>\n",
                web_t(r, "hr.export.what"), web_t(r, "hr.export.csv_ja"));
    for (size_t i = 0; i < 3; i++) {
        char key[40], query[40] = "", ja[60];
        snprintf(key, sizeof key, "hr.export.%s", kinds[i]);
        if (cycle && i > 0)
            snprintf(query, sizeof query, "?cycle=%lld", (long long)cycle);
        snprintf(ja, sizeof ja, "%s%sheaders=ja", query, *query ? "&" : "?");
        html_printf(r->out, "<tr><td>%s</td><td><a href=\"/hr/export/%s.csv%s\" download>%s.csv</a></td>"
                            "<td><a href=\"/hr/export/%s.csv%s\" download>%s.csv (%s)</a></td>"
                            "<td><a href=\"/hr/export/%s.json%s\" download>%s.json</a></td></tr>\n",
                    web_t(r, key), kinds[i], query, kinds[i], kinds[i], ja, kinds[i], web_t(r, "hr.export.ja"),
                    kinds[i], query, kinds[i]);
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
    char report[40] = "";
    if (cycle)
        snprintf(report, sizeof report, "?cycle=%lld", (long long)cycle);
    html_printf(r->out, "<h2>%s</h2>\n<p>%s</p>\n<ul>\n<li><a href=\"/hr/export/org.xlsx%s\" download>org.xlsx</a> "
                        "(%s)</li>\n<li><a href=\"/hr/export/org.pdf%s\" download>org.pdf</a> (%s)</li>\n</ul>\n",
                web_t(r, "hr.report.title"), web_t(r, "hr.report.intro"), report, web_t(r, "hr.report.xlsx"), report,
                web_t(r, "hr.report.pdf"));
    report_depth_form(r, cycle);
    html_end(r);
    store_cycle_list_free(&cycles);
}

/* GET /hr/export/:file[?cycle=ID&headers=ja]  people|assessments|levels
 * .csv|.json as a download: CSV in UTF-8 with BOM and CRLF, as `itss export`
 * writes it; or org.xlsx|org.pdf[?cycle=&compare=&org=&levels=], the
 * organization report (report_org.h). */
void web_page_hr_export_file(web_request *r)
{
    const char *file = web_path_param(r, "file");
    if (file && (strcmp(file, "org.xlsx") == 0 || strcmp(file, "org.pdf") == 0)) {
        web_hr_org_report(r, strcmp(file, "org.xlsx") == 0);
        return;
    }
    const char *dot = file ? strrchr(file, '.') : NULL;
    if (!dot || (strcmp(dot, ".csv") != 0 && strcmp(dot, ".json") != 0)) {
        web_reply_404(r);
        return;
    }
    char kind_name[32];
    snprintf(kind_name, sizeof kind_name, "%.*s", (int)(dot - file), file);
    int kind = export_kind_parse(kind_name);
    if (kind < 0) {
        web_reply_404(r);
        return;
    }
    int64_t cycle = 0;
    const char *cycle_arg = web_query(r, "cycle");
    if (cycle_arg && *cycle_arg) {
        store *db = web_store(r);
        store_cycle c;
        err e;
        int rc = db && web_parse_int(cycle_arg, 1, INT64_MAX, &cycle) ? store_cycle_get(db, cycle, &c, &e) : 0;
        if (!db)
            return;
        if (rc < 0) {
            web_store_failed(r, "export", &e);
            return;
        }
        if (rc == 0) {
            web_reply_error(r, 404, "not_found", web_t(r, "hr.err.cycle_unknown"), "cycle");
            return;
        }
        store_cycle_clear(&c);
    }
    web_hr_export(r, (export_kind)kind, strcmp(dot, ".json") == 0, kind == EXPORT_PEOPLE ? 0 : cycle);
}
