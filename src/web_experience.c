/* web_experience.c - the logged-in user's own experience records (実績): the
 * projects that show the complexity and size a level asks for.
 *
 *   GET  /experience                 the records, with edit and delete
 *   GET  /experience/new             the form (?specialization=CS.HW&level=4 preselects)
 *   POST /experience/new             add (action=save; anything else, as the select that
 *                                    sends the form when changed, shows the chosen level's items)
 *   GET  /experience/:id/edit        the form filled
 *   POST /experience/:id/edit        save
 *   POST /experience/:id/delete      delete
 *   GET/POST /api/v1/me/experience, GET/PUT/DELETE /api/v1/me/experience/:id
 *
 * Pages and API read a record into the same experience_form (every field as
 * text, as typed) and check it with experience_check, so that both refuse the
 * same things naming the same fields: project, from, to, role, specialization,
 * level, complexity, size, succeeded, description. While the user's diagnosis
 * in the cycle in force is handed in (submitted or approved), the records stay
 * as they were handed in. */
#include "web.h"
#include "web_access.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "web_json.h"
#include "assessment.h"
#include "assessment_json.h"
#include "catalog.h"
#include "json.h"
#include "rules.h"
#include "store.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROJECT_MAX 200         /* characters */
#define ROLE_MAX 100
#define DESCRIPTION_MAX 4000

/* ---- Field errors ----------------------------------------------------------------------- */

typedef struct field_error {
    const char *field;
    const char *message;
} field_error;

typedef struct field_errors {
    field_error *items;         /* request memory */
    size_t count, cap;
} field_errors;

/* Adds an error about field: the message of key, then ": detail" when given. */
static void add_error(web_request *r, field_errors *errs, const char *field, const char *key, const char *detail)
{
    if (errs->count == errs->cap) {
        size_t cap = errs->cap ? errs->cap * 2 : 8;
        field_error *items = web_alloc(r, cap * sizeof *items);
        if (errs->count)
            memcpy(items, errs->items, errs->count * sizeof *items);
        errs->items = items;
        errs->cap = cap;
    }
    buf b;
    buf_init(&b);
    buf_puts(&b, web_t(r, key));
    if (detail) {
        buf_puts(&b, ": ");
        buf_puts(&b, detail);
    }
    errs->items[errs->count].field = web_strdup(r, field);
    errs->items[errs->count].message = web_strdup(r, b.data);
    errs->count++;
    buf_free(&b);
}

/* The first error about field, or NULL (request memory). */
static const char *error_of(const field_errors *errs, const char *field)
{
    for (size_t i = 0; errs && i < errs->count; i++)
        if (strcmp(errs->items[i].field, field) == 0)
            return errs->items[i].message;
    return NULL;
}

/* ---- A record as typed, and its check ----------------------------------------------------- */

/* Every field as text, as the form or the JSON body gave it (request memory). */
typedef struct experience_form {
    const char *project, *from, *to, *role, *specialization, *level, *succeeded, *description;
    const char **complexity, **size;
    size_t n_complexity, n_size;
} experience_form;

/* Characters in s (UTF-8). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* NULL for an empty or absent text, else s. */
static const char *opt(const char *s)
{
    return s && *s ? s : NULL;
}

/* Checks a text field: valid UTF-8, no control characters (line breaks and tabs
 * when multiline), at most max characters, present when required. */
static void check_text(web_request *r, field_errors *errs, const char *field, const char *v, int required,
                       size_t max, int multiline)
{
    char n[32];
    if (!opt(v)) {
        if (required)
            add_error(r, errs, field, "exp.err.required", NULL);
        return;
    }
    if (!text_is_utf8(v, strlen(v), NULL)) {
        add_error(r, errs, field, "exp.err.utf8", NULL);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f) {
            add_error(r, errs, field, "exp.err.control", NULL);
            return;
        }
    if (chars(v) > max) {
        snprintf(n, sizeof n, "%zu", max);
        add_error(r, errs, field, "exp.err.too_long", n);
    }
}

/* Checks a list of complexity or size items: each a checklist item of that
 * criterion of the record's specialization and level (level 0: not known, then
 * any level spec has), listed once. Fills *out (request memory). */
static void check_items(web_request *r, const catalog *c, const catalog_spec *spec, int level,
                        catalog_criterion_kind kind, const char *field, const char **items, size_t n, char ***out,
                        size_t *n_out, field_errors *errs)
{
    *out = web_alloc(r, (n + 1) * sizeof **out);
    *n_out = 0;
    const catalog_level *lv = spec && level ? catalog_level_of(c, spec, level) : NULL;
    for (size_t i = 0; i < n; i++) {
        catalog_element e;
        if (!catalog_find(c, items[i], &e) || e.kind != CK_CHECK_ITEM || e.criterion->kind != kind
            || (spec && catalog_level_of(c, spec, e.level->level) != e.level)) {
            add_error(r, errs, field, "exp.err.item", items[i]);
            continue;
        }
        if (lv && e.level != lv) {
            add_error(r, errs, field, "exp.err.item_level", items[i]);
            continue;
        }
        int twice = 0;
        for (size_t j = 0; j < *n_out; j++)
            twice |= strcmp((*out)[j], items[i]) == 0;
        if (twice) {
            add_error(r, errs, field, "exp.err.item_twice", items[i]);
            continue;
        }
        (*out)[(*n_out)++] = web_strdup(r, items[i]);
    }
}

/* Checks f against the catalog and fills x from it (strings in request memory;
 * x->id is left NULL). Returns how many errors were added to errs. */
static size_t experience_check(web_request *r, const catalog *c, const experience_form *f, assessment_experience *x,
                               field_errors *errs)
{
    size_t before = errs->count;
    memset(x, 0, sizeof *x);
    check_text(r, errs, "project", f->project, 1, PROJECT_MAX, 0);
    check_text(r, errs, "role", f->role, 0, ROLE_MAX, 0);
    check_text(r, errs, "description", f->description, 0, DESCRIPTION_MAX, 1);
    if (!opt(f->from))
        add_error(r, errs, "from", "exp.err.required", NULL);
    else if (!rules_is_month(f->from))
        add_error(r, errs, "from", "exp.err.month", f->from);
    if (opt(f->to) && !rules_is_month(f->to))
        add_error(r, errs, "to", "exp.err.month", f->to);
    else if (opt(f->to) && opt(f->from) && rules_is_month(f->from) && strcmp(f->from, f->to) > 0)
        add_error(r, errs, "to", "exp.err.before", f->from);

    const catalog_spec *spec = opt(f->specialization) ? catalog_spec_find(c, f->specialization) : NULL;
    if (!opt(f->specialization))
        add_error(r, errs, "specialization", "exp.err.required", NULL);
    else if (!spec || spec->is_common) {
        add_error(r, errs, "specialization", "exp.err.spec", f->specialization);
        spec = NULL;
    }
    int64_t level = 0;
    if (!opt(f->level))
        add_error(r, errs, "level", "exp.err.required", NULL);
    else if (!web_parse_int(f->level, catalog_level_min(c), catalog_level_max(c), &level)
             || (spec && !catalog_level_of(c, spec, (int)level)))
        add_error(r, errs, "level", "exp.err.level", f->level);
    if (!f->succeeded || (strcmp(f->succeeded, "1") != 0 && strcmp(f->succeeded, "0") != 0))
        add_error(r, errs, "succeeded", "exp.err.succeeded", NULL);
    if (spec && !catalog_level_of(c, spec, (int)level))
        level = 0;
    check_items(r, c, spec, (int)level, CRITERION_COMPLEXITY, "complexity", f->complexity, f->n_complexity,
                &x->complexity_items, &x->n_complexity_items, errs);
    check_items(r, c, spec, (int)level, CRITERION_SIZE, "size", f->size, f->n_size, &x->size_items, &x->n_size_items, errs);

    x->project = (char *)opt(f->project);
    x->period_from = (char *)opt(f->from);
    x->period_to = (char *)opt(f->to);
    x->role = (char *)opt(f->role);
    x->specialization_id = spec ? (char *)spec->id : NULL;
    x->level = (int)level;
    x->succeeded = f->succeeded && strcmp(f->succeeded, "1") == 0;
    x->description = (char *)opt(f->description);
    return errs->count - before;
}

/* The form of a stored record (strings borrowed from x). */
static void form_of(web_request *r, const assessment_experience *x, experience_form *f)
{
    char level[16];
    snprintf(level, sizeof level, "%d", x->level);
    memset(f, 0, sizeof *f);
    f->project = x->project;
    f->from = x->period_from;
    f->to = x->period_to;
    f->role = x->role;
    f->specialization = x->specialization_id;
    f->level = web_strdup(r, level);
    f->succeeded = x->succeeded ? "1" : "0";
    f->description = x->description;
    f->complexity = (const char **)x->complexity_items;
    f->n_complexity = x->n_complexity_items;
    f->size = (const char **)x->size_items;
    f->n_size = x->n_size_items;
}

/* The store's field names as this face names them. */
static const char *face_field(const char *store_field)
{
    static const char *const map[][2] = { { "period_from", "from" }, { "period_to", "to" },
                                          { "specialization_id", "specialization" },
                                          { "complexity_items", "complexity" }, { "size_items", "size" } };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(store_field, map[i][0]) == 0)
            return map[i][1];
    return store_field;
}

/* ---- Whose record, and may it change ---------------------------------------------------- */

/* Clears a record read from the store when the request ends (web_defer). */
static void free_experience(void *p)
{
    store_experience_clear(p);
}

/* The record :id of the user's own person into *out (cleared with the request);
 * 0 after answering (404 when it is not theirs: someone else's records are not
 * even said to exist). */
static int own_record(web_request *r, int64_t person_id, store_experience **out)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return 0;
    store *db = web_store(r);
    if (!db)
        return 0;
    store_experience *x = web_alloc(r, sizeof *x);
    err e;
    memset(&e, 0, sizeof e);
    int found = store_experience_get(db, id, x, &e);
    if (found < 0) {
        web_store_failed(r, "experience", &e);
        return 0;
    }
    if (found)
        web_defer(r, free_experience, x);
    if (!found || x->person_id != person_id || web_may_see_person(r, x->person_id) != 1) {
        if (!r->res.status || r->res.status < 400)
            web_reply_error(r, 404, "not_found", web_t(r, "exp.not_found"), "id");
        return 0;
    }
    *out = x;
    return 1;
}

/* Refuses (409) changes while the diagnosis in force is handed in. Returns 1
 * when records may change, 0 after answering. */
static int may_change(web_request *r, int64_t person_id)
{
    int locked = web_diagnosis_locked(r, person_id);
    if (locked < 0)
        return 0;
    if (locked) {
        web_reply_error(r, 409, "closed", web_t(r, "exp.locked"), NULL);
        return 0;
    }
    return 1;
}

/* ---- Pages ------------------------------------------------------------------------------- */

/* A local path to go back to after saving: /diagnosis... or /experience...; else NULL. */
static const char *back_path(const char *back)
{
    if (!back || !web_is_local_path(back))
        return NULL;
    if (strncmp(back, "/diagnosis", 10) != 0 && strncmp(back, "/experience", 11) != 0)
        return NULL;
    return back;
}

/* The short label of a specialization id (its code), or the id itself. */
static const char *spec_code(const catalog *c, const char *id)
{
    const catalog_spec *s = id ? catalog_spec_find(c, id) : NULL;
    return s ? s->code : id ? id : "";
}

/* The crumbs: 自己診断 > 実績 > last. */
static void put_crumbs(web_request *r, const char *last)
{
    html_printf(r->out, "<nav class=\"crumbs no-print\" aria-label=\"%s\"><ol><li><a href=\"/diagnosis\">%s</a></li>"
                        "<li><a href=\"/experience\">%s</a></li>",
                web_t(r, "std.crumbs"), web_t(r, "diag.title"), web_t(r, "exp.title"));
    if (last)
        html_printf(r->out, "<li aria-current=\"page\">%s</li>", last);
    html_raw(r->out, "</ol></nav>\n");
}

/* GET /experience  The user's records: period, project, role, specialization,
 * level, result, the items each shows; edit and delete. */
void web_page_experience(web_request *r)
{
    const catalog *c = web_catalog(r);
    int64_t person_id = 0;
    store *db = c && web_own_person(r, &person_id) == 0 ? web_store(r) : NULL;
    if (!db)
        return;
    int locked = web_diagnosis_locked(r, person_id);
    if (locked < 0)
        return;
    store_experience_list xs;
    err e;
    memset(&e, 0, sizeof e);
    if (store_experience_list_person(db, person_id, &xs, &e) < 0) {
        web_store_failed(r, "experience", &e);
        return;
    }
    buf *o = r->out;
    html_begin(r, web_t(r, "exp.title"));
    put_crumbs(r, NULL);
    html_printf(o, "<h1>%s</h1>\n<p>%s</p>\n", web_t(r, "exp.title"), web_t(r, "exp.intro"));
    if (web_query(r, "saved"))
        html_message(r, "ok", web_t(r, "exp.saved"));
    else if (web_query(r, "deleted"))
        html_message(r, "ok", web_t(r, "exp.deleted"));
    if (locked)
        html_message(r, "notice", web_t(r, "exp.locked"));
    else
        html_printf(o, "<p class=\"no-print\"><a class=\"button\" href=\"/experience/new\">%s</a></p>\n",
                    web_t(r, "exp.add"));
    if (!xs.count) {
        html_printf(o, "<p>%s</p>\n", web_t(r, "exp.none"));
    } else {
        html_printf(o, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"experience\">\n<thead><tr><th>%s</th><th>%s</th>"
                       "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th class=\"no-print\">%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "exp.period"), web_t(r, "exp.project"), web_t(r, "exp.role"),
                    web_t(r, "std.specialization"), web_t(r, "exp.result"), web_t(r, "exp.items"),
                    web_t(r, "exp.actions"));
        for (size_t i = 0; i < xs.count; i++) {
            const store_experience *x = &xs.items[i];
            char lv[32];
            web_level_label(r, x->x.level, lv, sizeof lv);
            html_printf(o, "<tr id=\"x%lld\"><td>%s – %s</td><td><strong>%s</strong>", (long long)x->id,
                        x->x.period_from ? x->x.period_from : "", x->x.period_to ? x->x.period_to : "", x->x.project);
            if (x->x.description)
                html_printf(o, "<p class=\"description\">%s</p>", x->x.description);
            html_printf(o, "</td><td>%s</td><td class=\"nowrap\">%s %s</td><td class=\"nowrap\">%s</td><td>",
                        x->x.role ? x->x.role : "", spec_code(c, x->x.specialization_id), lv,
                        web_t(r, x->x.succeeded ? "exp.succeeded" : "exp.failed"));
            /* The items in the standard's words, each with its id (issue 12, defect 6). */
            if (x->x.n_complexity_items + x->x.n_size_items)
                html_raw(o, "<ul class=\"record-items\">");
            for (size_t k = 0; k < x->x.n_complexity_items + x->x.n_size_items; k++) {
                const char *id = k < x->x.n_complexity_items ? x->x.complexity_items[k]
                                                               : x->x.size_items[k - x->x.n_complexity_items];
                catalog_element el;
                const char *text = catalog_find(c, id, &el) ? catalog_element_text(&el) : NULL;
                html_printf(o, "<li>%s <span class=\"id\">%s</span></li>", text ? text : "", id);
            }
            if (x->x.n_complexity_items + x->x.n_size_items)
                html_raw(o, "</ul>");
            html_raw(o, "</td><td class=\"no-print actions\">");
            if (!locked) {
                char action[64];
                snprintf(action, sizeof action, "/experience/%lld/delete", (long long)x->id);
                html_printf(o, "<a href=\"/experience/%lld/edit\">%s</a> ", (long long)x->id, web_t(r, "exp.edit"));
                html_printf(o, "<form method=\"post\" action=\"%s\" data-confirm=\"%s\">", action,
                            web_t(r, "exp.delete_confirm"));
                html_csrf_field(r);
                html_printf(o, "<button type=\"submit\" class=\"link danger\">%s</button>", web_t(r, "exp.delete"));
                html_form_end(r);
            }
            html_raw(o, "</td></tr>\n");
        }
        html_raw(o, "</tbody></table></div>\n");
    }
    store_experience_list_free(&xs);
    html_end(r);
}

/* One text input with its label and error. */
static void put_text(web_request *r, const char *type, const char *name, const char *label, const char *value,
                     const char *hint, const field_errors *errs, int required, int maxlength)
{
    html_field(r, &(html_input){ .type = type, .name = name, .label = label, .value = value, .hint = hint,
                                 .error = error_of(errs, name), .required = required, .maxlength = maxlength,
                                 .autocomplete = "off" });
}

/* Is id among the n ids? */
static int listed(const char **ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return 1;
    return 0;
}

/* The checkboxes of one criterion: the items of the chosen level, then items of
 * other levels the record lists already. */
static void put_item_choices(web_request *r, const catalog *c, const catalog_spec *spec, int level,
                             catalog_criterion_kind kind, const char *name, const char **chosen, size_t n_chosen,
                             const field_errors *errs)
{
    const catalog_level *lv = spec ? catalog_level_of(c, spec, level) : NULL;
    const char *error = error_of(errs, name);
    html_printf(r->out, "<fieldset class=\"items%s\" id=\"f-%s\"><legend>%s</legend>\n", error ? " invalid" : "", name,
                web_criterion_label(r, kind));
    if (lv) {
        const catalog_criterion *cr = &lv->criteria[kind];
        html_printf(r->out, "<p class=\"lead\">－%s</p>\n", cr->lead);
        for (size_t i = 0; i < cr->n_items; i++)
            html_printf(r->out, "<label class=\"choice\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s>"
                                "<span class=\"text\">%s</span><span class=\"id\">%s</span></label>\n",
                        name, cr->items[i].id, listed(chosen, n_chosen, cr->items[i].id) ? " checked" : "",
                        cr->items[i].text, cr->items[i].id);
        if (!cr->n_items)
            html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "std.no_items"));
    } else {
        html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "exp.choose_level"));
    }
    for (size_t i = 0; i < n_chosen; i++) {
        catalog_element e;
        int here = lv && catalog_find(c, chosen[i], &e) && e.kind == CK_CHECK_ITEM && e.level == lv;
        if (here)
            continue;
        const char *text = catalog_find(c, chosen[i], &e) ? catalog_element_text(&e) : "";
        html_printf(r->out, "<label class=\"choice\"><input type=\"checkbox\" name=\"%s\" value=\"%s\" checked>"
                            "<span class=\"text\">%s</span><span class=\"id\">%s</span></label>\n",
                    name, chosen[i], text ? text : "", chosen[i]);
    }
    if (error)
        html_printf(r->out, "<p class=\"error\">%s</p>\n", error);
    html_raw(r->out, "</fieldset>\n");
}

/* The record form, filled with f, errors beside their fields. action is where
 * it posts; id is the record's (0 for a new one). */
static void render_form(web_request *r, const catalog *c, const char *action, int64_t id, const experience_form *f,
                        const char *back, const field_errors *errs)
{
    buf *o = r->out;
    const char *title = web_t(r, id ? "exp.edit_title" : "exp.new_title");
    html_begin(r, title);
    put_crumbs(r, title);
    html_printf(o, "<h1>%s</h1>\n", title);
    if (errs && errs->count) {
        html_printf(o, "<div class=\"message error\" role=\"alert\"><p>%s</p><ul>\n", web_t(r, "diag.fix_errors"));
        for (size_t i = 0; i < errs->count; i++)
            html_printf(o, "<li><a href=\"#f-%s\">%s</a></li>\n", errs->items[i].field, errs->items[i].message);
        html_raw(o, "</ul></div>\n");
    }
    html_printf(o, "<form method=\"post\" action=\"%s\" data-warn-unsaved>", action);
    html_csrf_field(r);
    html_printf(o, "<div class=\"card experience-form\">\n");
    if (back)
        html_hidden(r, "back", back);
    put_text(r, "text", "project", web_t(r, "exp.project"), f->project, NULL, errs, 1, PROJECT_MAX);
    html_printf(o, "<div class=\"row period\">");
    put_text(r, "month", "from", web_t(r, "exp.from"), f->from, web_t(r, "exp.month_hint"), errs, 1, 7);
    put_text(r, "month", "to", web_t(r, "exp.to"), f->to, web_t(r, "exp.to_hint"), errs, 0, 7);
    html_raw(o, "</div>\n");
    put_text(r, "text", "role", web_t(r, "exp.role"), f->role, web_t(r, "exp.role_hint"), errs, 0, ROLE_MAX);

    const catalog_spec *spec = opt(f->specialization) ? catalog_spec_find(c, f->specialization) : NULL;
    if (spec && spec->is_common)
        spec = NULL;
    int64_t level = 0;
    if (f->level && !web_parse_int(f->level, catalog_level_min(c), catalog_level_max(c), &level))
        level = 0;

    const char *spec_error = error_of(errs, "specialization"), *level_error = error_of(errs, "level");
    html_printf(o, "<div class=\"row\"><div class=\"field%s\"><label for=\"f-specialization\">%s</label>"
                   "<select id=\"f-specialization\" name=\"specialization\" required data-autosubmit>",
                spec_error ? " invalid" : "", web_t(r, "std.specialization"));
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        html_printf(o, "<option value=\"%s\"%s>%s (%s)</option>", s->id, s == spec ? " selected" : "", s->name, s->code);
    }
    html_raw(o, "</select>");
    if (spec_error)
        html_printf(o, "<p class=\"error\">%s</p>", spec_error);
    html_printf(o, "</div><div class=\"field%s\"><label for=\"f-level\">%s</label><select id=\"f-level\" name=\"level\" required data-autosubmit>",
                level_error ? " invalid" : "", web_t(r, "exp.level"));
    /* Only the levels the chosen specialization has (issue 12, defect 6: HW level 7 was offered). */
    int lo = catalog_level_min(c), hi = catalog_level_max(c);
    if (spec)
        catalog_spec_level_range(c, spec, &lo, &hi);
    for (int l = lo; l <= hi; l++) {
        char lv[32];
        if (spec && !catalog_level_of(c, spec, l))
            continue;
        web_level_label(r, l, lv, sizeof lv);
        html_printf(o, "<option value=\"%d\"%s>%s</option>", l, l == level ? " selected" : "", lv);
    }
    html_raw(o, "</select>");
    if (level_error)
        html_printf(o, "<p class=\"error\">%s</p>", level_error);
    html_printf(o, "</div><div class=\"field no-js-only\"><span class=\"label\">&nbsp;</span><button type=\"submit\" "
                   "name=\"action\" value=\"items\" class=\"secondary\" formnovalidate>%s</button></div></div>\n"
                   "<p class=\"hint no-js-only\">%s</p>\n",
                web_t(r, "exp.show_items"), web_t(r, "exp.items_hint"));

    put_item_choices(r, c, spec, (int)level, CRITERION_COMPLEXITY, "complexity", f->complexity, f->n_complexity, errs);
    put_item_choices(r, c, spec, (int)level, CRITERION_SIZE, "size", f->size, f->n_size, errs);

    const char *succ_error = error_of(errs, "succeeded");
    html_printf(o, "<fieldset class=\"field%s\" id=\"f-succeeded\"><legend>%s</legend><div class=\"row\">",
                succ_error ? " invalid" : "", web_t(r, "exp.result"));
    html_printf(o, "<label class=\"choice\"><input type=\"radio\" name=\"succeeded\" value=\"1\"%s> %s</label>"
                   "<label class=\"choice\"><input type=\"radio\" name=\"succeeded\" value=\"0\"%s> %s</label></div>",
                f->succeeded && strcmp(f->succeeded, "1") == 0 ? " checked" : "", web_t(r, "exp.succeeded"),
                f->succeeded && strcmp(f->succeeded, "0") == 0 ? " checked" : "", web_t(r, "exp.failed"));
    html_printf(o, "<p class=\"hint\">%s</p>", web_t(r, "exp.failed_hint"));
    if (succ_error)
        html_printf(o, "<p class=\"error\">%s</p>", succ_error);
    html_raw(o, "</fieldset>\n");

    const char *desc_error = error_of(errs, "description");
    html_printf(o, "<div class=\"field%s\"><label for=\"f-description\">%s</label><textarea id=\"f-description\" "
                   "name=\"description\" maxlength=\"%d\"",
                desc_error ? " invalid" : "", web_t(r, "exp.description"), DESCRIPTION_MAX);
    if (desc_error)
        html_raw(o, " aria-invalid=\"true\"");
    html_printf(o, ">%s</textarea>", f->description ? f->description : "");
    if (desc_error)
        html_printf(o, "<p class=\"error\">%s</p>", desc_error);
    html_printf(o, "</div>\n<div class=\"form-actions\"><button type=\"submit\" name=\"action\" value=\"save\">%s</button> "
                   "<a href=\"%s\">%s</a></div>\n</div>\n",
                web_t(r, "exp.save"), back ? back : "/experience", web_t(r, "exp.cancel"));
    html_form_end(r);
    html_end(r);
}

/* The record as the form sent it (request memory). */
static void form_from_request(web_request *r, experience_form *f)
{
    memset(f, 0, sizeof *f);
    f->project = web_form(r, "project");
    f->from = web_form(r, "from");
    f->to = web_form(r, "to");
    f->role = web_form(r, "role");
    f->specialization = web_form(r, "specialization");
    f->level = web_form(r, "level");
    f->succeeded = web_form(r, "succeeded");
    f->description = web_form(r, "description");
    f->complexity = web_alloc(r, (web_form_count(r, "complexity") + 1) * sizeof *f->complexity);
    f->size = web_alloc(r, (web_form_count(r, "size") + 1) * sizeof *f->size);
    /* one pass over the form (web_form_nth per value would be a pass per value) */
    for (size_t i = 0; i < r->form.count; i++) {
        if (strcmp(r->form.items[i].name, "complexity") == 0)
            f->complexity[f->n_complexity++] = r->form.items[i].value;
        else if (strcmp(r->form.items[i].name, "size") == 0)
            f->size[f->n_size++] = r->form.items[i].value;
    }
}

/* GET /experience/new[?specialization=ID&level=N&back=PATH]  An empty form. */
void web_page_experience_new(web_request *r)
{
    const catalog *c = web_catalog(r);
    int64_t person_id = 0;
    if (!c || web_own_person(r, &person_id) < 0 || !may_change(r, person_id))
        return;
    experience_form f;
    memset(&f, 0, sizeof f);
    const catalog_spec *spec = web_query(r, "specialization") ? catalog_spec_find(c, web_query(r, "specialization"))
                                                              : NULL;
    if (!spec || spec->is_common)
        spec = catalog_spec_at(c, 0);
    int lo, hi;
    catalog_spec_level_range(c, spec, &lo, &hi);
    f.specialization = spec->id;
    f.level = web_query(r, "level");
    if (!f.level) {
        char level[16];
        snprintf(level, sizeof level, "%d", lo);
        f.level = web_strdup(r, level);
    }
    f.succeeded = "1";
    render_form(r, c, "/experience/new", 0, &f, back_path(web_query(r, "back")), NULL);
}

/* Saves the form as record id (0: a new record of person_id); on an invalid
 * field, or when asked only to show the items of the chosen level, the form
 * again with what was sent. */
static void save_form(web_request *r, const catalog *c, int64_t person_id, int64_t id, const char *action)
{
    experience_form f;
    form_from_request(r, &f);
    const char *back = back_path(web_form(r, "back"));
    const char *act = web_form(r, "action");
    if (!act || strcmp(act, "save") != 0) {
        render_form(r, c, action, id, &f, back, NULL);
        return;
    }
    field_errors errs = { 0 };
    assessment_experience x;
    if (experience_check(r, c, &f, &x, &errs)) {
        r->res.status = 400;
        render_form(r, c, action, id, &f, back, &errs);
        return;
    }
    store *db = web_store(r);
    if (!db)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc = id ? store_experience_edit(db, id, &x, &e) : store_experience_add(db, person_id, &x, NULL, &e);
    if (rc < 0 && e.path[0]) {
        add_error(r, &errs, face_field(e.path), "exp.err.refused", e.message);
        r->res.status = 400;
        render_form(r, c, action, id, &f, back, &errs);
        return;
    }
    if (rc < 0) {
        web_store_failed(r, "save experience", &e);
        return;
    }
    web_redirect(r, back ? back : "/experience?saved=1");
}

/* POST /experience/new  Adds the record (action=save; otherwise shows the
 * form again with the items of the chosen specialization and level); then the
 * list. */
void web_page_experience_new_post(web_request *r)
{
    const catalog *c = web_catalog(r);
    int64_t person_id = 0;
    if (!c || web_own_person(r, &person_id) < 0 || !may_change(r, person_id))
        return;
    save_form(r, c, person_id, 0, "/experience/new");
}

/* GET /experience/:id/edit  The form of one of the user's records. */
void web_page_experience_edit(web_request *r)
{
    const catalog *c = web_catalog(r);
    int64_t person_id = 0;
    store_experience *x;
    if (!c || web_own_person(r, &person_id) < 0 || !own_record(r, person_id, &x) || !may_change(r, person_id))
        return;
    experience_form f;
    form_of(r, &x->x, &f);
    char action[64];
    snprintf(action, sizeof action, "/experience/%lld/edit", (long long)x->id);
    render_form(r, c, action, x->id, &f, back_path(web_query(r, "back")), NULL);
}

/* POST /experience/:id/edit  Saves the record; then the list. */
void web_page_experience_edit_post(web_request *r)
{
    const catalog *c = web_catalog(r);
    int64_t person_id = 0;
    store_experience *x;
    if (!c || web_own_person(r, &person_id) < 0 || !own_record(r, person_id, &x) || !may_change(r, person_id))
        return;
    char action[64];
    snprintf(action, sizeof action, "/experience/%lld/edit", (long long)x->id);
    save_form(r, c, person_id, x->id, action);
}

/* POST /experience/:id/delete  Deletes the record (links to it as evidence go,
 * recorded in the history); refused while an approved assessment names it. */
void web_page_experience_delete(web_request *r)
{
    const catalog *c = web_catalog(r);
    int64_t person_id = 0;
    store_experience *x;
    if (!c || web_own_person(r, &person_id) < 0 || !own_record(r, person_id, &x) || !may_change(r, person_id))
        return;
    err e;
    memset(&e, 0, sizeof e);
    if (store_experience_delete(web_store(r), x->id, r->user->login, &e) < 0) {
        web_reply_error(r, 409, "refused", e.message, NULL);
        return;
    }
    web_redirect(r, "/experience?deleted=1");
}

/* ---- The API ------------------------------------------------------------------------------- */

/* One record as JSON, with the keys `itss person show --json` uses (a new reference). */
static json_t *record_json(const store_experience *x)
{
    return assessment_experience_json(&x->x, json_integer(x->id));
}

/* GET /api/v1/me/experience  {"experience":[record, ...]}, oldest period first. */
void web_api_me_experience(web_request *r)
{
    int64_t person_id = 0;
    store *db = web_own_person(r, &person_id) == 0 ? web_store(r) : NULL;
    if (!db)
        return;
    store_experience_list xs;
    err e;
    memset(&e, 0, sizeof e);
    if (store_experience_list_person(db, person_id, &xs, &e) < 0) {
        web_store_failed(r, "experience", &e);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < xs.count; i++)
        json_array_append_new(list, record_json(&xs.items[i]));
    store_experience_list_free(&xs);
    web_json_reply(r, 200, json_pack("{s:o}", "experience", list));
}

/* GET /api/v1/me/experience/:id  One of the user's records. */
void web_api_me_experience_one(web_request *r)
{
    int64_t person_id = 0;
    store_experience *x;
    if (web_own_person(r, &person_id) < 0 || !own_record(r, person_id, &x))
        return;
    web_json_reply(r, 200, record_json(x));
}

/* Reads a JSON list of strings at key into *out; an error naming key otherwise. */
static void json_ids(web_request *r, const json_value *v, const char *key, const char ***out, size_t *n,
                     field_errors *errs)
{
    *out = NULL;
    *n = 0;
    if (!v || v->type == JV_NULL)
        return;
    if (v->type != JV_ARRAY) {
        add_error(r, errs, key, "diag.api.ids", NULL);
        return;
    }
    *out = web_alloc(r, (v->n_elements + 1) * sizeof **out);
    for (size_t i = 0; i < v->n_elements; i++) {
        if (v->elements[i]->type != JV_STRING)
            add_error(r, errs, key, "diag.api.ids", NULL);
        else
            (*out)[(*n)++] = v->elements[i]->string;
    }
}

/* Reads a JSON body into f, checking keys and types (strings, level an integer,
 * succeeded a boolean). id_allowed: the record's id may come along (a PUT of
 * what GET gave) and must then be expected_id. */
static void form_from_json(web_request *r, const json_value *root, experience_form *f, int64_t expected_id,
                           field_errors *errs)
{
    static const char *const keys[] = { "id", "project", "from", "to", "role", "specialization", "level",
                                        "complexity", "size", "succeeded", "description" };
    memset(f, 0, sizeof *f);
    if (root->type != JV_OBJECT) {
        add_error(r, errs, "", "diag.api.object", NULL);
        return;
    }
    for (size_t i = 0; i < root->n_members; i++) {
        const char *key = root->members[i].key;
        const json_value *v = root->members[i].value;
        size_t k = 0;
        while (k < sizeof keys / sizeof keys[0] && strcmp(key, keys[k]) != 0)
            k++;
        if (k == sizeof keys / sizeof keys[0]) {
            add_error(r, errs, key, "diag.api.unknown_key", key);
            continue;
        }
        if (strcmp(key, "id") == 0) {
            if (!expected_id || v->type != JV_NUMBER || !v->is_integer || v->number != (double)expected_id)
                add_error(r, errs, "id", "diag.api.record_id", NULL);
        } else if (strcmp(key, "level") == 0) {
            char level[32];
            if (v->type != JV_NUMBER || !v->is_integer || v->number < -1e9 || v->number > 1e9)
                add_error(r, errs, "level", "exp.err.level", NULL);
            else {
                snprintf(level, sizeof level, "%lld", (long long)v->number);
                f->level = web_strdup(r, level);
            }
        } else if (strcmp(key, "succeeded") == 0) {
            if (v->type != JV_TRUE && v->type != JV_FALSE)
                add_error(r, errs, "succeeded", "exp.err.succeeded", NULL);
            else
                f->succeeded = v->type == JV_TRUE ? "1" : "0";
        } else if (strcmp(key, "complexity") == 0) {
            json_ids(r, v, "complexity", &f->complexity, &f->n_complexity, errs);
        } else if (strcmp(key, "size") == 0) {
            json_ids(r, v, "size", &f->size, &f->n_size, errs);
        } else {
            const char **slot = strcmp(key, "project") == 0 ? &f->project
                                : strcmp(key, "from") == 0 ? &f->from
                                : strcmp(key, "to") == 0 ? &f->to
                                : strcmp(key, "role") == 0 ? &f->role
                                : strcmp(key, "specialization") == 0 ? &f->specialization
                                : &f->description;
            if (v->type == JV_STRING)
                *slot = v->string;
            else if (v->type != JV_NULL)
                add_error(r, errs, key, "diag.api.string", NULL);
        }
    }
}

/* Frees a parsed JSON body when the request ends (web_defer). */
static void free_json(void *p)
{
    json_free(p);
}

/* Saves a JSON body as record id (0: new) of person_id and answers with it:
 * 201 for a new record, 200 for a change. */
static void api_save(web_request *r, int64_t person_id, int64_t id)
{
    const catalog *c = web_catalog(r);
    if (!c)
        return;
    if (!r->is_json) {
        web_reply_error(r, 415, "unsupported_media_type", web_t(r, "diag.api.not_json"), NULL);
        return;
    }
    err e;
    memset(&e, 0, sizeof e);
    json_value *root = json_parse(r->body, r->body_len, "body", &e);
    if (!root) {
        char line[1024];
        web_reply_error(r, 400, "bad_json", err_format(&e, line, sizeof line), NULL);
        return;
    }
    web_defer(r, free_json, root);
    field_errors errs = { 0 };
    experience_form f;
    assessment_experience x;
    form_from_json(r, root, &f, id, &errs);
    if (!errs.count)
        experience_check(r, c, &f, &x, &errs);
    if (errs.count) {
        web_reply_error(r, 400, "invalid", errs.items[0].message, *errs.items[0].field ? errs.items[0].field : NULL);
        return;
    }
    store *db = web_store(r);
    if (!db)
        return;
    int64_t new_id = id;
    int rc = id ? store_experience_edit(db, id, &x, &e) : store_experience_add(db, person_id, &x, &new_id, &e);
    if (rc < 0) {
        if (e.path[0])
            web_reply_error(r, 400, "invalid", e.message, face_field(e.path));
        else
            web_store_failed(r, "save experience", &e);
        return;
    }
    store_experience saved;
    memset(&saved, 0, sizeof saved);
    if (store_experience_get(db, new_id, &saved, &e) != 1) {
        web_store_failed(r, "experience", &e);
        return;
    }
    if (!id) {
        char where[64];
        snprintf(where, sizeof where, "/api/v1/me/experience/%lld", (long long)new_id);
        web_add_header(r, "Location", where);
    }
    web_json_reply(r, id ? 200 : 201, record_json(&saved));
    store_experience_clear(&saved);
}

/* POST /api/v1/me/experience  Adds a record: 201 with it (and Location). */
void web_api_me_experience_post(web_request *r)
{
    int64_t person_id = 0;
    if (web_own_person(r, &person_id) < 0 || !may_change(r, person_id))
        return;
    api_save(r, person_id, 0);
}

/* PUT /api/v1/me/experience/:id  Replaces every field of one of the user's
 * records: 200 with it. */
void web_api_me_experience_put(web_request *r)
{
    int64_t person_id = 0;
    store_experience *x;
    if (web_own_person(r, &person_id) < 0 || !own_record(r, person_id, &x) || !may_change(r, person_id))
        return;
    api_save(r, person_id, x->id);
}

/* DELETE /api/v1/me/experience/:id  204; 409 while an approved assessment
 * names it or the diagnosis is handed in. */
void web_api_me_experience_delete(web_request *r)
{
    int64_t person_id = 0;
    store_experience *x;
    if (web_own_person(r, &person_id) < 0 || !own_record(r, person_id, &x) || !may_change(r, person_id))
        return;
    err e;
    memset(&e, 0, sizeof e);
    if (store_experience_delete(web_store(r), x->id, r->user->login, &e) < 0) {
        web_reply_error(r, 409, "refused", e.message, NULL);
        return;
    }
    r->res.status = 204;
    buf_reset(r->out);
}

/* ---- Messages ------------------------------------------------------------------------------ */

/* The messages of these pages (registered in web_i18n.c). */
const web_message web_messages_experience[] = {
    { "exp.title", "実績", "Experience records" },
    { "exp.intro", "担当したプロジェクトやシステムを登録し、示した複雑性・サイズの項目を選びます。自己診断でこれらの項目の根拠として結び付けられます。",
      "Record the projects and systems you worked on and the complexity and size items they show. Your diagnosis can "
      "link them as evidence for those items." },
    { "exp.list", "実績の一覧", "All experience records" },
    { "exp.count", "登録済みの実績", "Records" },
    { "exp.add", "実績を追加", "Add an experience record" },
    { "exp.none", "まだ実績はありません。", "No experience records yet." },
    { "exp.new_title", "実績の追加", "New experience record" },
    { "exp.edit_title", "実績の編集", "Edit experience record" },
    { "exp.edit", "編集", "Edit" },
    { "exp.delete", "削除", "Delete" },
    { "exp.delete_confirm", "この実績を削除しますか？", "Delete this experience record?" },
    { "exp.save", "保存", "Save" },
    { "exp.cancel", "キャンセル", "Cancel" },
    { "exp.saved", "実績を保存しました。", "The experience record is saved." },
    { "exp.deleted", "実績を削除しました。", "The experience record is deleted." },
    { "exp.not_found", "その実績はありません。", "There is no such experience record." },
    { "exp.locked", "自己診断を提出済みのため、差し戻されるまで実績は変更できません。",
      "Your diagnosis is handed in: experience records cannot change until it is returned." },
    { "exp.period", "期間", "Period" },
    { "exp.project", "プロジェクト・システム名", "Project or system" },
    { "exp.from", "開始（年月）", "From (month)" },
    { "exp.to", "終了（年月）", "To (month)" },
    { "exp.month_hint", "YYYY-MM（例: 2024-04）", "YYYY-MM, e.g. 2024-04" },
    { "exp.to_hint", "継続中なら空欄", "Leave empty while it goes on" },
    { "exp.role", "役割", "Role" },
    { "exp.role_hint", "例: チームリーダ", "e.g. team leader" },
    { "exp.level", "相当するレベル", "Level claimed" },
    { "exp.show_items", "このレベルの項目を表示", "Show this level's items" },
    { "exp.items_hint", "専門分野やレベルを変えたら「このレベルの項目を表示」を押すと、選べる項目が切り替わります（入力内容は保持されます）。",
      "After changing the specialization or level, press \"Show this level's items\" to list its items (what you typed is kept)." },
    { "exp.choose_level", "専門分野とレベルを選ぶと項目が表示されます。", "Choose a specialization and a level to see their items." },
    { "exp.items", "示した項目", "Items shown" },
    { "exp.result", "結果", "Outcome" },
    { "exp.succeeded", "成功", "succeeded" },
    { "exp.failed", "失敗", "failed" },
    { "exp.failed_hint", "失敗した実績はレベル判定の根拠として数えられません。", "Failed records do not count as evidence of a level." },
    { "exp.description", "説明", "Description" },
    { "exp.err.required", "入力してください", "required" },
    { "exp.err.utf8", "文字コードが正しくありません", "not valid UTF-8" },
    { "exp.err.control", "制御文字は使えません", "control characters are not allowed" },
    { "exp.err.too_long", "長すぎます。最大文字数", "too long; at most this many characters" },
    { "exp.err.month", "年月は YYYY-MM の形式で入力してください（例: 2024-04）", "a month is YYYY-MM, such as 2024-04" },
    { "exp.err.before", "終了が開始より前です。開始", "the period ends before it starts; it starts" },
    { "exp.err.spec", "スキル標準の専門分野を選んでください", "choose a specialization of the standard" },
    { "exp.err.level", "この専門分野にあるレベルを選んでください", "choose a level this specialization has" },
    { "exp.err.succeeded", "成功か失敗かを選んでください", "say whether it succeeded (true or false)" },
    { "exp.err.item", "この専門分野のこの区分の項目ではありません", "not an item of this criterion of this specialization" },
    { "exp.actions", "操作", "Actions" },
    { "exp.err.item_level", "記録のレベルの項目ではありません（記録の専門分野とレベルの項目だけを選べます）",
      "not an item of the record's level (only items of the record's specialization and level may be chosen)" },
    { "exp.err.item_twice", "同じ項目が二度選ばれています", "the same item is given twice" },
    { "exp.err.refused", "保存できませんでした", "could not be saved" },
};
const size_t web_messages_experience_count = sizeof web_messages_experience / sizeof web_messages_experience[0];
