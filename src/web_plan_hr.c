/* web_plan_hr.c - HR's side of development plans: plans by unit (how many
 * people have one, approved, overdue actions, the most common gaps, drill-down
 * to units below and to people) and the training catalog (list, CSV import in
 * one transaction with file:line:column errors, export). The counting is the
 * store's (store_plan.h), the CSV training.c's, as `itss plan summary` and
 * `itss training import|export` use them (docs/plans.md).
 *
 *   GET  /hr/plans[?org=ID]              plans by unit, drill-down
 *   GET  /hr/training                    the training catalog, import form, export link
 *   POST /hr/training                    import courses from CSV (multipart: file, dry_run)
 *   GET  /hr/training/courses.csv        the catalog as CSV (the import's layout)
 *   GET  /api/v1/plans[?org=CODE|ID]     plans by unit as JSON
 *   GET  /api/v1/training/courses        the training catalog as JSON
 *   POST /api/v1/imports/courses         import courses (CSV body or multipart file)
 *   GET  /api/v1/exports/courses         the catalog as CSV */
#include "web_access.h"
#include "web_json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "web_hr_data.h"
#include "html.h"
#include "plans.h"
#include "store_plan.h"
#include "training.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAPS_SHOWN 10
#define PEOPLE_SHOWN 200

static void release_orgs(void *p)
{
    store_org_list_free(p);
}

static void release_people(void *p)
{
    store_person_list_free(p);
}

static void release_courses(void *p)
{
    store_course_list_free(p);
}

/* ---- Plans by unit ---------------------------------------------------------------------------- */

/* One unit's figures. */
typedef struct unit_plans {
    store_plan_counts n;
    char **gap_ids;
    int64_t *gap_counts;
    size_t n_gaps;
} unit_plans;

static void unit_plans_free(void *p)
{
    unit_plans *u = p;
    for (size_t i = 0; i < u->n_gaps; i++)
        free(u->gap_ids[i]);
    free(u->gap_ids);
    free(u->gap_counts);
}

/* The figures of org_id (0: all) and below, with gaps when max_gaps; request memory, NULL after answering. */
static unit_plans *unit_figures(web_request *r, store *db, int64_t org_id, size_t max_gaps)
{
    unit_plans *u = web_alloc(r, sizeof *u);
    char today[11];
    plan_today(today);
    err e;
    memset(&e, 0, sizeof e);
    if (store_plan_counts_org(db, org_id, today, &u->n, &e) < 0
        || (max_gaps && store_plan_common_gaps(db, org_id, max_gaps, &u->gap_ids, &u->gap_counts, &u->n_gaps, &e) < 0)) {
        web_store_failed(r, "plans by unit", &e);
        return NULL;
    }
    web_defer(r, unit_plans_free, u);
    return u;
}

/* The units of all just below org_id (0: the top units), in request memory
 * (their strings are all's). */
static store_org_list *children_of(web_request *r, const store_org_list *all, int64_t org_id)
{
    store_org_list *below = web_alloc(r, sizeof *below);
    below->items = web_alloc(r, (all->count + 1) * sizeof *below->items);
    below->count = 0;
    for (size_t i = 0; i < all->count; i++)
        if (all->items[i].parent_id == org_id)
            below->items[below->count++] = all->items[i];
    return below;
}

/* Every unit into *all and the units directly below org_id (0: the top
 * units), request memory; NULL after answering. */
static store_org_list *units_below(web_request *r, store *db, int64_t org_id, store_org_list **all)
{
    store_org_list *l = web_alloc(r, sizeof *l);
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_list_all(db, l, &e) < 0) {
        web_store_failed(r, "org units", &e);
        return NULL;
    }
    web_defer(r, release_orgs, l);
    *all = l;
    return children_of(r, l, org_id);
}

/* The figures as table cells. */
static void put_counts(web_request *r, const store_plan_counts *n)
{
    html_printf(r->out, "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                        "<td class=\"num\">%lld</td><td class=\"num\">%lld</td>",
                (long long)n->people, (long long)n->with_plan, (long long)n->approved, (long long)n->actions,
                (long long)n->overdue);
}

static void put_counts_head(web_request *r, const char *first)
{
    html_printf(r->out, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n",
                first, web_t(r, "plans.people"), web_t(r, "plans.with_plan"), web_t(r, "plans.approved"),
                web_t(r, "plans.actions"), web_t(r, "plans.overdue"));
}

/* The most common gaps of u, each quoting the standard. */
static void put_gaps(web_request *r, const unit_plans *u, const catalog *c)
{
    html_printf(r->out, "<h2>%s</h2>\n", web_t(r, "plans.common_gaps"));
    if (!u->n_gaps) {
        html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "plans.no_gaps"));
        return;
    }
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"common-gaps\">\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "plans.element"), web_t(r, "plan.items"), web_t(r, "plans.gap_plans"));
    for (size_t i = 0; i < u->n_gaps; i++) {
        catalog_element el;
        const char *text = catalog_find(c, u->gap_ids[i], &el) ? catalog_element_text(&el) : NULL;
        html_printf(r->out, "<tr><td class=\"id\">%s</td><td>", u->gap_ids[i]);
        if (text)
            html_lines(r, text);
        else
            html_printf(r->out, "%s", web_t(r, "plan.experience_text"));
        html_printf(r->out, "</td><td class=\"num\">%lld</td></tr>\n", (long long)u->gap_counts[i]);
    }
    html_raw(r->out, "</tbody></table></div>\n");
}

/* The people directly in org_id with their plan: target, status, items closed, overdue actions. */
static void put_people(web_request *r, store *db, const web_eval *ev, int64_t org_id)
{
    store_person_list *l = web_alloc(r, sizeof *l);
    store_person_filter f = { .org_unit_id = org_id, .limit = PEOPLE_SHOWN };
    err e;
    memset(&e, 0, sizeof e);
    if (store_person_list_filter(db, &f, l, &e) < 0) {
        web_store_failed(r, "people", &e);
        return;
    }
    web_defer(r, release_people, l);
    html_printf(r->out, "<h2>%s</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table class=\"plan-people\">\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "plans.people_list"), web_t(r, "plans.person"), web_t(r, "plans.target"),
                web_t(r, "plan.status"), web_t(r, "plans.progress"), web_t(r, "plans.overdue"));
    char today[11];
    plan_today(today);
    for (size_t i = 0; i < l->count; i++) {
        const store_person *p = &l->items[i];
        html_printf(r->out, "<tr><td><a href=\"/people/%lld/plan\">%s</a> <span class=\"muted\">%s</span></td>",
                    (long long)p->id, p->name, p->employee_number);
        plans_view v;
        int rc = plans_view_load(db, ev->catalog, ev->policy, p->id, &v, &e);
        if (rc < 0) {
            web_store_failed(r, "a plan", &e);
            return;
        }
        if (rc == 0) {
            html_printf(r->out, "<td colspan=\"4\" class=\"muted\">%s</td></tr>\n", web_t(r, "plans.no_plan"));
            continue;
        }
        long long overdue = 0;
        for (size_t k = 0; k < v.plan.n_actions; k++) {
            const store_plan_action *a = &v.plan.actions[k];
            overdue += strcmp(a->due_on, today) < 0
                       && (strcmp(a->status, "planned") == 0 || strcmp(a->status, "in_progress") == 0);
        }
        char lv[48];
        web_level_label(r, v.plan.target_level, lv, sizeof lv);
        int approved = strcmp(v.plan.status, "approved") == 0;
        html_printf(r->out, "<td>%s %s (%s)</td><td><span class=\"badge %s\">%s</span></td>"
                            "<td class=\"num\">%zu / %zu</td><td class=\"num\">%lld</td></tr>\n",
                    v.spec ? v.spec->name : v.plan.specialization_id, lv, v.plan.target_date,
                    approved ? "approved" : "draft", web_t(r, approved ? "plan.status.approved" : "plan.status.draft"),
                    v.n_closed, v.plan.n_items, overdue);
        plans_view_free(&v);
    }
    html_raw(r->out, "</tbody></table></div>\n");
}

/* GET /hr/plans[?unit=CODE|NAME|?org=ID]  Plans by unit: the unit's figures,
 * the units below it with theirs (drill down), the most common gaps, the
 * people of the unit. The unit is chosen as on /hr: a field taking its code or
 * name (400 naming `unit` when unknown or several units have that name; `org`
 * for an id of no unit), the path above it as links. */
void web_page_hr_plans(web_request *r)
{
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return;
    store_org_list *all;
    int64_t org_id = 0;
    if (!units_below(r, db, 0, &all) || web_hr_unit_param(r, all, &org_id) < 0)
        return;
    store_org_list *below = children_of(r, all, org_id);
    const store_org_unit *unit = NULL;
    for (size_t i = 0; i < all->count; i++)
        if (all->items[i].id == org_id)
            unit = &all->items[i];
    unit_plans *u = unit_figures(r, db, org_id, GAPS_SHOWN);
    if (!u)
        return;
    html_begin(r, web_t(r, "plans.title"));
    html_printf(r->out, "<h1>%s</h1>\n", web_t(r, "plans.title"));
    html_form_get(r, "/hr/plans");
    web_hr_unit_field(r, all, org_id);
    html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button>\n", web_t(r, "results.show"));
    html_form_end(r);
    web_hr_unit_path(r, all, org_id, "/hr/plans", NULL);
    char n[5][24];
    snprintf(n[0], sizeof n[0], "%lld", (long long)u->n.people);
    snprintf(n[1], sizeof n[1], "%lld", (long long)u->n.with_plan);
    snprintf(n[2], sizeof n[2], "%lld", (long long)u->n.approved);
    snprintf(n[3], sizeof n[3], "%lld", (long long)u->n.actions);
    snprintf(n[4], sizeof n[4], "%lld", (long long)u->n.overdue);
    html_printf(r->out, "<section class=\"card\"><h2>%s</h2>\n<p class=\"plans-summary\">",
                unit ? unit->name : web_t(r, "plans.all_units"));
    web_html_tpl(r->out, web_t(r, "plans.summary"), n[0], n[1], n[2], n[3], n[4], NULL);
    html_raw(r->out, "</p>\n");
    if (below->count) {
        html_printf(r->out, "<h2>%s</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table class=\"plan-units\">\n",
                    web_t(r, "plans.sub_units"));
        put_counts_head(r, web_t(r, "plans.unit"));
        html_raw(r->out, "<tbody>\n");
        for (size_t i = 0; i < below->count; i++) {
            unit_plans *b = unit_figures(r, db, below->items[i].id, 0);
            if (!b)
                return;
            html_printf(r->out, "<tr><th scope=\"row\"><a href=\"/hr/plans?org=%lld\">%s</a></th>",
                        (long long)below->items[i].id, below->items[i].name);
            put_counts(r, &b->n);
            html_raw(r->out, "</tr>\n");
        }
        html_raw(r->out, "</tbody></table></div>\n");
    }
    put_gaps(r, u, ev->catalog);
    if (unit)
        put_people(r, db, ev, org_id);
    html_raw(r->out, "</section>\n");
    html_end(r);
}

/* GET /api/v1/plans[?org=CODE|ID]  Plans by unit: figures, units below, common gaps. */
void web_api_plans(web_request *r)
{
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return;
    const char *org = web_query(r, "org");
    int64_t org_id = 0;
    if (org && *org) {
        store_org_unit unit;
        err e;
        memset(&e, 0, sizeof e);
        int64_t id = 0;
        int rc = web_parse_int(org, 1, INT64_MAX, &id) ? store_org_get(db, id, &unit, &e)
                                                       : store_org_find(db, org, &unit, &e);
        if (rc < 0) {
            web_store_failed(r, "an org unit", &e);
            return;
        }
        if (rc == 0) {
            web_reply_error(r, 404, "not_found", web_t(r, "plans.unit"), "org");
            return;
        }
        org_id = unit.id;
        store_org_unit_clear(&unit);
    }
    store_org_list *all;
    store_org_list *below = units_below(r, db, org_id, &all);
    unit_plans *u = below ? unit_figures(r, db, org_id, GAPS_SHOWN) : NULL;
    if (!u)
        return;
    json_t *units = json_array(), *gaps = json_array();
    for (size_t i = 0; i < below->count; i++) {
        unit_plans *b = unit_figures(r, db, below->items[i].id, 0);
        if (!b) {
            json_decref(units);
            json_decref(gaps);
            return;
        }
        json_array_append_new(units, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "id",
                                               (json_int_t)below->items[i].id, "code", below->items[i].code, "name",
                                               below->items[i].name, "people", (json_int_t)b->n.people, "with_plan",
                                               (json_int_t)b->n.with_plan, "approved", (json_int_t)b->n.approved,
                                               "actions", (json_int_t)b->n.actions, "overdue",
                                               (json_int_t)b->n.overdue));
    }
    for (size_t i = 0; i < u->n_gaps; i++) {
        catalog_element el;
        const char *text = catalog_find(ev->catalog, u->gap_ids[i], &el) ? catalog_element_text(&el) : NULL;
        json_array_append_new(gaps, json_pack("{s:s, s:o, s:I}", "element_id", u->gap_ids[i], "text",
                                              text ? json_string(text) : json_null(), "plans",
                                              (json_int_t)u->gap_counts[i]));
    }
    json_t *o = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "org",
                          org_id ? json_integer(org_id) : json_null(), "people", (json_int_t)u->n.people, "with_plan",
                          (json_int_t)u->n.with_plan, "approved", (json_int_t)u->n.approved, "actions",
                          (json_int_t)u->n.actions, "overdue", (json_int_t)u->n.overdue, "units", units,
                          "common_gaps", gaps);
    web_json_answer(r, 200, json_dumps(o, JSON_COMPACT));
    json_decref(o);
}

/* ---- The training catalog ------------------------------------------------------------------- */

/* Every course (request memory); NULL after answering. */
static store_course_list *all_courses(web_request *r, store *db)
{
    store_course_list *l = web_alloc(r, sizeof *l);
    err e;
    memset(&e, 0, sizeof e);
    if (store_course_list_all(db, l, &e) < 0) {
        web_store_failed(r, "the training catalog", &e);
        return NULL;
    }
    web_defer(r, release_courses, l);
    return l;
}

/* Imports courses from data (len bytes, file name) into the store; 0 done,
 * 1 refused (errors filled, nothing written), -1 after answering. */
static int import_courses(web_request *r, const char *data, size_t len, const char *name, int dry_run,
                          training_summary *sum, err_list *errors)
{
    const web_eval *ev = web_evaluator(r);
    store *db = ev ? web_store(r) : NULL;
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *csv = csv_open_memory(data, len, name, CSV_AUTO, &e);
    if (!csv) {
        err_add(errors, e.where, e.line, e.column, e.path[0] ? e.path : NULL, "%s", e.message);
        return 1;
    }
    int rc = training_import_courses(db, ev->catalog, csv, dry_run, sum, errors);
    csv_close(csv);
    return rc == 0 ? 0 : 1;
}

/* The file name of an upload, without directories; "courses.csv" when unusable. */
static const char *upload_name(web_request *r, const char *name)
{
    const char *slash = name ? strrchr(name, '/') : NULL, *backslash = name ? strrchr(name, '\\') : NULL;
    if (slash)
        name = slash + 1;
    if (backslash && backslash + 1 > name)
        name = backslash + 1;
    if (!name || !*name || strlen(name) > 200 || strpbrk(name, "\r\n\t\"<>"))
        name = "courses.csv";
    return web_strdup(r, name);
}

/* The page: result (when given), the courses, the import form, the export link. */
static void training_page(web_request *r, store *db, const training_summary *sum, const err_list *errors,
                          int dry_run)
{
    store_course_list *l = all_courses(r, db);
    if (!l)
        return;
    html_begin(r, web_t(r, "training.title"));
    html_printf(r->out, "<h1>%s</h1>\n", web_t(r, "training.title"));
    if (errors && errors->count + errors->dropped) {
        html_raw(r->out, "<section class=\"import-result\" aria-live=\"polite\">\n");
        html_message(r, "error", web_t(r, "training.errors"));
        html_raw(r->out, "<pre class=\"cli-output errors\">");
        for (size_t i = 0; i < errors->count; i++) {
            char text[1200];
            html_printf(r->out, "%s\n", err_format(&errors->items[i], text, sizeof text));
        }
        if (errors->dropped)
            html_printf(r->out, "... %zu\n", errors->dropped);
        html_raw(r->out, "</pre></section>\n");
    } else if (sum) {
        char a[24], b[24], c[24];
        snprintf(a, sizeof a, "%zu", sum->rows);
        snprintf(b, sizeof b, "%zu", sum->added);
        snprintf(c, sizeof c, "%zu", sum->updated);
        html_raw(r->out, "<div class=\"message ok\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, dry_run ? "training.checked" : "training.imported"), a, b, c, NULL);
        html_raw(r->out, "</p></div>\n");
    }
    if (!l->count) {
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "training.none"));
    } else {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"courses\">\n<thead><tr><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "training.code"), web_t(r, "training.course"), web_t(r, "training.provider"),
                    web_t(r, "training.hours"), web_t(r, "training.covers"));
        for (size_t i = 0; i < l->count; i++) {
            const store_course *c = &l->items[i];
            char hours[16];
            html_printf(r->out, "<tr><td class=\"id\">%s</td><td>%s</td><td>%s</td><td class=\"num\">%s</td><td>",
                        c->code, c->title, c->provider ? c->provider : "", training_hours_text(c->hours_tenths, hours));
            for (size_t k = 0; k < c->n_covers; k++)
                html_printf(r->out, "%s<span class=\"id\">%s</span>", k ? " " : "", c->covers[k]);
            html_raw(r->out, "</td></tr>\n");
        }
        html_raw(r->out, "</tbody></table></div>\n");
    }
    html_printf(r->out, "<p><a class=\"button secondary\" href=\"/hr/training/courses.csv\" download>%s</a></p>\n",
                web_t(r, "training.export"));
    html_printf(r->out, "<section class=\"card\" aria-labelledby=\"training-import-h\">\n"
                        "<h2 id=\"training-import-h\">%s</h2>\n<p class=\"muted\">%s</p>\n",
                web_t(r, "training.import"), web_t(r, "training.import_note"));
    html_raw(r->out, "<form method=\"post\" action=\"/hr/training\" enctype=\"multipart/form-data\">");
    html_csrf_field(r);
    html_input file = { .type = "file", .name = "file", .label = web_t(r, "training.file"), .required = 1 };
    html_field(r, &file);
    html_printf(r->out, "<div class=\"field choice\"><input type=\"checkbox\" id=\"f-dry_run\" name=\"dry_run\" value=\"1\">"
                        "<label for=\"f-dry_run\">%s</label></div>\n", web_t(r, "training.dry_run"));
    html_submit(r, web_t(r, "training.import_submit"));
    html_form_end(r);
    html_raw(r->out, "</section>\n");
    html_end(r);
}

/* GET /hr/training  The training catalog, the import form and the export. */
void web_page_hr_training(web_request *r)
{
    store *db = web_store(r);
    if (db)
        training_page(r, db, NULL, NULL, 0);
}

/* POST /hr/training  multipart: file, dry_run. One transaction: any error and nothing is written (422). */
void web_page_hr_training_post(web_request *r)
{
    const web_upload *file = web_upload_get(r, "file");
    store *db = web_store(r);
    if (!db)
        return;
    err_list *errors = web_alloc(r, sizeof *errors);
    if (!file || !file->filename || !*file->filename) {
        err_add(errors, "file", 0, 0, NULL, "%s", web_t(r, "training.no_file"));
        r->res.status = 422;
        training_page(r, db, NULL, errors, 0);
        return;
    }
    int dry_run = web_form(r, "dry_run") != NULL;
    training_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = import_courses(r, file->data, file->len, upload_name(r, file->filename), dry_run, &sum, errors);
    if (rc < 0)
        return;
    r->res.status = rc == 0 ? 200 : 422;
    training_page(r, db, &sum, rc ? errors : NULL, dry_run);
}

/* Answers the catalog as CSV, a download. */
static void export_courses(web_request *r)
{
    store *db = web_store(r);
    store_course_list *l = db ? all_courses(r, db) : NULL;
    if (!l)
        return;
    r->res.status = 200;
    r->res.content_type = "text/csv; charset=utf-8";
    web_add_header(r, "Content-Disposition", "attachment; filename=\"courses.csv\"");
    training_export_courses(r->out, l);
}

/* GET /hr/training/courses.csv  The training catalog as CSV. */
void web_page_hr_training_export(web_request *r)
{
    export_courses(r);
}

/* GET /api/v1/exports/courses  The training catalog as CSV. */
void web_api_export_courses(web_request *r)
{
    export_courses(r);
}

/* GET /api/v1/training/courses  The training catalog. */
void web_api_courses(web_request *r)
{
    store *db = web_store(r);
    store_course_list *l = db ? all_courses(r, db) : NULL;
    if (!l)
        return;
    json_t *a = json_array();
    for (size_t i = 0; i < l->count; i++) {
        const store_course *c = &l->items[i];
        json_t *covers = json_array();
        for (size_t k = 0; k < c->n_covers; k++)
            json_array_append_new(covers, json_string(c->covers[k]));
        json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:f, s:o}", "code", c->code, "title", c->title,
                                           "provider", c->provider ? json_string(c->provider) : json_null(), "hours",
                                           c->hours_tenths / 10.0, "covers", covers));
    }
    json_t *o = json_pack("{s:o}", "courses", a);
    web_json_answer(r, 200, json_dumps(o, JSON_COMPACT));
    json_decref(o);
}

/* POST /api/v1/imports/courses[?dry_run=1&filename=F]  CSV body (or a multipart
 * file): 200 with the counts, or 422 with every error (file:line:column); nothing
 * is written then. */
void web_api_import_courses(web_request *r)
{
    const char *dry = web_query(r, "dry_run");
    int dry_run = dry && strcmp(dry, "0") != 0 && strcmp(dry, "false") != 0;
    const char *data = r->body, *name = web_query(r, "filename");
    size_t len = r->body_len;
    const web_upload *file = web_upload_get(r, "file");
    if (file) {
        data = file->data;
        len = file->len;
        if (!name)
            name = file->filename;
    }
    if (len == 0) {
        web_reply_400(r, web_t(r, "training.no_file"), "body");
        return;
    }
    name = upload_name(r, name);
    err_list *errors = web_alloc(r, sizeof *errors);
    training_summary sum;
    memset(&sum, 0, sizeof sum);
    int rc = import_courses(r, data, len, name, dry_run, &sum, errors);
    if (rc < 0)
        return;
    json_t *errs = json_array();
    for (size_t i = 0; i < errors->count; i++) {
        const err *e = &errors->items[i];
        char text[1200];
        json_array_append_new(errs, json_pack("{s:s, s:i, s:i, s:s, s:s}", "file", e->where, "line", e->line,
                                              "column", e->column, "field", e->path, "message",
                                              err_format(e, text, sizeof text)));
    }
    json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:o}", "file", name, "dry_run", dry_run, "rows",
                          (json_int_t)sum.rows, "added", (json_int_t)(rc ? 0 : sum.added), "updated",
                          (json_int_t)(rc ? 0 : sum.updated), "errors", errs);
    if (rc)
        json_object_set_new(o, "error", json_pack("{s:s, s:s, s:n}", "code", "import_failed", "message",
                                                  web_t(r, "training.errors"), "field"));
    web_json_answer(r, rc ? 422 : 200, json_dumps(o, JSON_COMPACT));
    json_decref(o);
}
