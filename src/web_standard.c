/* web_standard.c - "The standard" (基準): the job category, its specializations
 * and levels, the achievement indicators (達成度指標) of each level laid out as
 * the standard prints them, the skill areas with their proficiency (スキル熟達度)
 * and knowledge items (知識項目), and search in either spelling (２４時間 and
 * 24時間 both match, as `itss catalog search` does). The same data as JSON under
 * /api/v1/catalog.
 *
 * Every text of the standard comes from the catalog, word for word; the catalog's
 * notes (slips kept as written) are shown as small remarks under what they are
 * about. Nothing here is about a person, so any logged-in user may read it. */
#include "web.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "web_json.h"
#include "catalog.h"
#include "text.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVEL 100           /* level_range is at most 0..99 */
#define SEARCH_PAGE_MAX 200     /* results a search page shows */
#define SEARCH_API_DEFAULT 100  /* results the API gives unless ?limit= says otherwise */
#define SEARCH_API_MAX 1000

/* Does spec (itself or through a common block) describe area? */
static int spec_has_area(const catalog *c, const catalog_spec *spec, const catalog_area *area)
{
    const catalog_spec_area *sas[4];
    return catalog_spec_area_blocks(c, spec, area, sas, 4) > 0;
}

/* The levels spec has (own or shared) marked in have[0..MAX_LEVEL). */
static void spec_levels(const catalog *c, const catalog_spec *spec, int *have)
{
    memset(have, 0, MAX_LEVEL * sizeof *have);
    for (int l = catalog_level_min(c); l <= catalog_level_max(c) && l < MAX_LEVEL; l++)
        if (catalog_level_of(c, spec, l))
            have[l] = 1;
}

/* Appends the marked levels as ranges: "1–5", "3–5, 7". */
static void put_ranges(buf *b, const int *have)
{
    int first = 1;
    for (int l = 0; l < MAX_LEVEL; l++) {
        if (!have[l])
            continue;
        int end = l;
        while (end + 1 < MAX_LEVEL && have[end + 1])
            end++;
        buf_printf(b, first ? "%d" : ", %d", l);
        if (end > l)
            buf_printf(b, "–%d", end);
        first = 0;
        l = end;
    }
    if (first)
        buf_puts(b, "-");
}

/* The catalog notes about id as small remarks. The catalog's editors wrote
 * them in English: labelled so, and marked lang="en" for screen readers. */
static void put_notes(web_request *r, const catalog *c, const char *id)
{
    for (size_t i = 0; id && i < catalog_note_count(c); i++) {
        const catalog_note *n = catalog_note_at(c, i);
        if (n->about && strcmp(n->about, id) == 0)
            html_printf(r->out, "<p class=\"catalog-note\" id=\"%s\"><small>※ %s: <span lang=\"en\">%s</span> "
                                "<span class=\"id\">%s</span></small></p>\n",
                        n->id, web_t(r, "std.editor_note"), n->text, n->id);
    }
}

/* A text of several paragraphs (joined by line feeds) as <p> elements. */
static void put_paragraphs(web_request *r, const char *cls, const char *text)
{
    const char *p = text ? text : "";
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *para = web_strndup(r, p, n);
        html_printf(r->out, "<p class=\"%s\">%s</p>\n", cls, para);
        p += n;
        if (*p == '\n')
            p++;
    }
}

/* The identifier shown beside a text, as the standard's pages in itss show it. */
static void put_id(web_request *r, const char *id)
{
    if (id)
        html_printf(r->out, " <span class=\"id\">%s</span>", id);
}

/* The page of element e: where the standard shows it, with its anchor. Into b. */
static void element_href(buf *b, const catalog *c, const catalog_element *e)
{
    const catalog_spec *s = e->spec;
    switch (e->kind) {
    case CK_JOB:
        buf_puts(b, "/standard");
        return;
    case CK_AREA:
        buf_puts(b, "/standard#area-");
        html_url_arg(b, e->area->code);
        return;
    case CK_SPEC:
        buf_puts(b, "/standard/");
        html_url_arg(b, s->code);
        return;
    case CK_LEVEL: case CK_RESPONSIBILITY: case CK_CRITERION: case CK_CHECK_ITEM: case CK_CRITERION_NOTE:
        buf_puts(b, "/standard/");
        html_url_arg(b, s->code);
        buf_printf(b, "/%d#", e->level->level);
        html_url_arg(b, e->id);
        return;
    case CK_SPEC_AREA: case CK_PROFICIENCY: case CK_KNOWLEDGE_CATEGORY: case CK_KNOWLEDGE_ITEM:
        buf_puts(b, "/standard/");
        html_url_arg(b, s->code);
        buf_puts(b, "/area/");
        html_url_arg(b, e->area->code);
        buf_putc(b, '#');
        html_url_arg(b, e->id);
        return;
    case CK_NOTE: {
        catalog_element about;
        if (e->note->about && catalog_find(c, e->note->about, &about) && about.kind != CK_NOTE)
            element_href(b, c, &about);
        else
            buf_puts(b, "/standard");
        return;
    }
    case CK_NONE:
        break;
    }
    buf_puts(b, "/standard");
}

/* Where element e stands, in the request's language: "ハードウェア レベル5 複雑性". */
static void element_place(buf *b, const web_request *r, const catalog *c, const catalog_element *e)
{
    const catalog_spec *s = e->spec;
    const char *spec = s ? s->name : "";
    int level = e->level ? e->level->level : e->proficiency ? e->proficiency->level : 0;
    const char *area = e->area ? e->area->name : "";
    char lv[32];
    web_level_label(r, level, lv, sizeof lv);

    switch (e->kind) {
    case CK_JOB:
        buf_printf(b, "%s %s", web_t(r, "std.place.job"), catalog_job_name(c));
        break;
    case CK_AREA:
        buf_printf(b, "%s %s", web_t(r, "std.area"), area);
        break;
    case CK_SPEC:
        buf_printf(b, "%s %s", web_t(r, s && s->is_common ? "std.common_levels" : "std.specialization"), spec);
        break;
    case CK_LEVEL:
        buf_printf(b, "%s %s", spec, lv);
        break;
    case CK_RESPONSIBILITY:
        buf_printf(b, "%s %s %s", spec, lv, web_t(r, "std.responsibility"));
        break;
    case CK_CRITERION: case CK_CHECK_ITEM: case CK_CRITERION_NOTE:
        buf_printf(b, "%s %s %s", spec, lv, e->criterion ? web_criterion_label(r, e->criterion->kind) : "");
        break;
    case CK_SPEC_AREA:
        buf_printf(b, "%s %s", spec, area);
        break;
    case CK_PROFICIENCY:
        buf_printf(b, "%s %s %s %s", spec, area, lv, web_t(r, "std.proficiency"));
        break;
    case CK_KNOWLEDGE_CATEGORY:
        buf_printf(b, "%s %s %s", spec, area, web_t(r, "std.knowledge"));
        break;
    case CK_KNOWLEDGE_ITEM:
        buf_printf(b, "%s %s %s %s", spec, area, web_t(r, "std.knowledge"), e->category ? e->category->name : "");
        break;
    case CK_NOTE:
        buf_printf(b, "%s (%s)", web_t(r, "std.editor_note"), e->note && e->note->about ? e->note->about : "");
        break;
    case CK_NONE:
        break;
    }
}

/* Reads a level path parameter ("4" or "L4"); 0 when it is not one. */
static int parse_level(const char *s)
{
    int64_t v;
    if (s && (s[0] == 'L' || s[0] == 'l'))
        s++;
    return s && web_parse_int(s, 0, MAX_LEVEL - 1, &v) ? (int)v : -1;
}

/* The specialization (or common-level block) named by :spec, or NULL after 404. */
static const catalog_spec *path_spec(web_request *r, const catalog *c)
{
    const char *name = web_path_param(r, "spec");
    const catalog_spec *s = name ? catalog_spec_find(c, name) : NULL;
    if (!s)
        web_reply_error(r, 404, "not_found", web_t(r, "std.no_such_spec"), "spec");
    return s;
}

/* The breadcrumb trail: 基準 > spec > last (spec and last may be NULL). */
static void put_crumbs(web_request *r, const catalog_spec *spec, const char *last)
{
    html_printf(r->out, "<nav class=\"crumbs no-print\" aria-label=\"%s\"><ol><li><a href=\"/standard\">%s</a></li>",
                web_t(r, "std.crumbs"), web_t(r, "std.title"));
    if (spec)
        html_printf(r->out, "<li><a href=\"/standard/%s\">%s</a></li>", spec->code, spec->name);
    if (last)
        html_printf(r->out, "<li aria-current=\"page\">%s</li>", last);
    html_raw(r->out, "</ol></nav>\n");
}

/* The search form, with query q typed back. */
static void put_search_form(web_request *r, const char *q)
{
    html_printf(r->out, "<form class=\"search no-print\" method=\"get\" action=\"/standard/search\" role=\"search\">"
                        "<label for=\"f-q\">%s</label><div class=\"row\"><input id=\"f-q\" type=\"search\" name=\"q\" "
                        "value=\"%s\" maxlength=\"200\"><button type=\"submit\">%s</button></div>"
                        "<p class=\"hint\">%s</p></form>\n",
                web_t(r, "std.search"), q ? q : "", web_t(r, "std.search.submit"), web_t(r, "std.search.hint"));
}

/* The levels of spec as links to their pages, the current one marked. */
static void put_level_links(web_request *r, const catalog *c, const catalog_spec *spec, int current)
{
    int have[MAX_LEVEL];
    spec_levels(c, spec, have);
    html_printf(r->out, "<ul class=\"level-links\" aria-label=\"%s\">", web_t(r, "std.levels"));
    for (int l = 0; l < MAX_LEVEL; l++) {
        if (!have[l])
            continue;
        char lv[32];
        web_level_label(r, l, lv, sizeof lv);
        if (l == current)
            html_printf(r->out, "<li><span class=\"badge level\" aria-current=\"page\">%s</span></li>", lv);
        else
            html_printf(r->out, "<li><a class=\"badge\" href=\"/standard/%s/%d\">%s</a></li>", spec->code, l, lv);
    }
    html_raw(r->out, "</ul>\n");
}

/* The skill areas spec describes, as links to their pages. */
static void put_area_links(web_request *r, const catalog *c, const catalog_spec *spec)
{
    html_printf(r->out, "<ul class=\"area-links\">");
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_area *area = catalog_area_at(c, a);
        if (spec_has_area(c, spec, area))
            html_printf(r->out, "<li><a href=\"/standard/%s/area/%s\">%s</a> <span class=\"id\">%s</span></li>",
                        spec->code, area->code, area->name, area->code);
    }
    html_raw(r->out, "</ul>\n");
}

/* ---- GET /standard ------------------------------------------------------------------ */

/* GET /standard  The job category: overview, specializations with their levels,
 * skill areas, where the wording comes from, search. */
void web_page_standard(web_request *r)
{
    const catalog *c = web_catalog(r);
    if (!c)
        return;
    buf *o = r->out;
    html_begin(r, web_t(r, "std.title"));
    html_printf(o, "<h1>%s <small>%s</small></h1>\n", catalog_title(c), web_t(r, "std.title"));
    put_search_form(r, NULL);

    html_printf(o, "<section class=\"card\" id=\"job\"><h2>%s: %s <span class=\"id\">%s</span></h2>\n",
                web_t(r, "std.job"), catalog_job_name(c), catalog_job_id(c));
    html_printf(o, "<h3>%s</h3>\n<div class=\"standard-text\">", web_t(r, "std.overview"));
    put_paragraphs(r, "std", catalog_job_overview(c));
    html_raw(o, "</div>\n");
    put_notes(r, c, catalog_job_id(c));
    html_raw(o, "</section>\n");

    html_printf(o, "<section class=\"card\" id=\"specializations\"><h2>%s</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table>\n"
                   "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "std.specializations"), web_t(r, "std.code"), web_t(r, "std.specialization"),
                web_t(r, "std.levels"), web_t(r, "std.common_levels"));
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        int have[MAX_LEVEL];
        buf range;
        buf_init(&range);
        spec_levels(c, s, have);
        put_ranges(&range, have);
        html_printf(o, "<tr><td><span class=\"id\">%s</span></td><td><a href=\"/standard/%s\">%s</a></td><td>%s ",
                    s->code, s->code, s->name, range.data);
        buf_free(&range);
        put_level_links(r, c, s, 0);
        html_raw(o, "</td><td>");
        const catalog_spec *blocks[16];
        size_t nb = catalog_commons_of(c, s, blocks, 16);
        for (size_t b = 0; b < nb; b++) {
            int bl[MAX_LEVEL] = { 0 };
            for (size_t k = 0; k < blocks[b]->n_levels; k++)
                if (blocks[b]->levels[k].level >= 0 && blocks[b]->levels[k].level < MAX_LEVEL)
                    bl[blocks[b]->levels[k].level] = 1;
            buf range2;
            buf_init(&range2);
            put_ranges(&range2, bl);
            if (b)
                html_raw(o, "<br>");
            html_printf(o, "<a href=\"/standard/%s\">%s</a> (%s%s)", blocks[b]->code, blocks[b]->name,
                        web_t(r, "std.level_prefix"), range2.data);
            buf_free(&range2);
        }
        html_raw(o, "</td></tr>\n");
    }
    html_raw(o, "</tbody></table></div>\n</section>\n");

    html_printf(o, "<section class=\"card\" id=\"areas\"><h2>%s</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table>\n"
                   "<thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "std.areas"), web_t(r, "std.code"), web_t(r, "std.area"), web_t(r, "std.area_kind"),
                web_t(r, "std.description"));
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_area *area = catalog_area_at(c, a);
        html_printf(o, "<tr id=\"area-%s\"><td><span class=\"id\">%s</span></td><td>%s<ul class=\"inline\">",
                    area->code, area->code, area->name);
        for (size_t i = 0; i < catalog_spec_count(c); i++) {
            const catalog_spec *s = catalog_spec_at(c, i);
            if (spec_has_area(c, s, area))
                html_printf(o, "<li><a href=\"/standard/%s/area/%s\">%s</a></li>", s->code, area->code, s->name);
        }
        html_printf(o, "</ul></td><td>%s</td><td>", web_t(r, area->is_specific ? "std.area_specific" : "std.area_common"));
        put_paragraphs(r, "std", area->description);
        put_notes(r, c, area->id);
        html_raw(o, "</td></tr>\n");
    }
    html_raw(o, "</tbody></table></div>\n</section>\n");

    html_printf(o, "<section class=\"card\" id=\"source\"><h2>%s</h2>\n<dl class=\"facts\">"
                   "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s %s</dd></dl>\n",
                web_t(r, "std.source"), web_t(r, "std.source.document"), catalog_source_document(c),
                web_t(r, "std.source.publisher"), catalog_source_publisher(c), web_t(r, "std.source.catalog"),
                catalog_id(c), catalog_version(c));
    put_notes(r, c, catalog_id(c));
    html_raw(o, "</section>\n");
    html_end(r);
}

/* ---- GET /standard/:spec --------------------------------------------------------------- */

/* GET /standard/:spec  A specialization (or a block of common levels): its
 * description, its levels and its skill areas. */
void web_page_standard_spec(web_request *r)
{
    const catalog *c = web_catalog(r);
    const catalog_spec *spec = c ? path_spec(r, c) : NULL;
    if (!spec)
        return;
    buf *o = r->out;
    html_begin(r, spec->name);
    put_crumbs(r, NULL, spec->name);
    html_printf(o, "<h1>%s <small>%s</small>", spec->name,
                web_t(r, spec->is_common ? "std.common_levels" : "std.specialization"));
    put_id(r, spec->id);
    html_raw(o, "</h1>\n");
    if (spec->description) {
        html_raw(o, "<div class=\"standard-text\">");
        put_paragraphs(r, "std", spec->description);
        html_raw(o, "</div>\n");
    }
    put_notes(r, c, spec->id);
    if (spec->is_common) {
        html_printf(o, "<p>%s: ", web_t(r, "std.shared_by"));
        for (size_t i = 0; i < spec->n_shared_by; i++)
            html_printf(o, "%s<a href=\"/standard/%s\">%s</a>", i ? "、" : "", spec->shared_by[i]->code,
                        spec->shared_by[i]->name);
        html_raw(o, "</p>\n");
    }
    html_printf(o, "<h2>%s</h2>\n", web_t(r, "std.achievement"));
    put_level_links(r, c, spec, 0);
    html_printf(o, "<h2>%s</h2>\n", web_t(r, "std.areas"));
    put_area_links(r, c, spec);
    html_end(r);
}

/* ---- GET /standard/:spec/:level ---------------------------------------------------------- */

/* One ● heading with its identifier. */
static void put_heading(web_request *r, const char *label, const char *id)
{
    html_printf(r->out, "<h3 class=\"std-head\" id=\"%s\">●%s：", id, label);
    put_id(r, id);
    html_raw(r->out, "</h3>\n");
}

/* GET /standard/:spec/:level  The achievement indicators of one level as the
 * standard lays them out (●責任性 －lead □items), then the proficiency of each
 * skill area at that level. */
void web_page_standard_level(web_request *r)
{
    const catalog *c = web_catalog(r);
    const catalog_spec *spec = c ? path_spec(r, c) : NULL;
    if (!spec)
        return;
    int level = parse_level(web_path_param(r, "level"));
    const catalog_level *lv = level >= 0 ? catalog_level_of(c, spec, level) : NULL;
    if (!lv) {
        web_reply_error(r, 404, "not_found", web_t(r, "std.no_such_level"), "level");
        return;
    }
    buf *o = r->out;
    char lvname[32], title[256];
    web_level_label(r, level, lvname, sizeof lvname);
    snprintf(title, sizeof title, "%s %s", spec->name, lvname);
    html_begin(r, title);
    put_crumbs(r, spec, lvname);
    html_printf(o, "<h1 id=\"%s\">%s %s <small>%s</small>", lv->id, spec->name, lvname, web_t(r, "std.achievement"));
    put_id(r, lv->id);
    html_raw(o, "</h1>\n");
    put_level_links(r, c, spec, level);
    if (lv->owner != spec)
        html_printf(o, "<p class=\"muted\">%s: <a href=\"/standard/%s\">%s</a> <span class=\"id\">%s</span></p>\n",
                    web_t(r, "std.from_common"), lv->owner->code, lv->owner->name, lv->id);
    put_notes(r, c, lv->id);

    html_raw(o, "<article class=\"card standard-level\">\n");
    put_heading(r, web_t(r, "std.responsibility"), lv->responsibility.id);
    html_printf(o, "<p class=\"lead\">－%s</p>\n", lv->responsibility.text);
    put_notes(r, c, lv->responsibility.id);
    for (int k = 0; k < CRITERION_KINDS; k++) {
        const catalog_criterion *cr = &lv->criteria[k];
        put_heading(r, web_criterion_label(r, (catalog_criterion_kind)k), cr->id);
        html_printf(o, "<p class=\"lead\">－%s</p>\n", cr->lead);
        put_notes(r, c, cr->id);
        if (cr->n_items) {
            html_raw(o, "<ul class=\"checklist\">\n");
            for (size_t i = 0; i < cr->n_items; i++) {
                html_printf(o, "<li id=\"%s\"><span class=\"mark\" aria-hidden=\"true\">□</span><span class=\"text\">%s</span>",
                            cr->items[i].id, cr->items[i].text);
                put_id(r, cr->items[i].id);
                put_notes(r, c, cr->items[i].id);
                html_raw(o, "</li>\n");
            }
            html_raw(o, "</ul>\n");
        }
        for (size_t i = 0; i < cr->n_notes; i++) {
            html_printf(o, "<div class=\"criterion-note\" id=\"%s\">", cr->notes[i].id);
            put_paragraphs(r, "std", cr->notes[i].text);
            put_id(r, cr->notes[i].id);
            put_notes(r, c, cr->notes[i].id);
            html_raw(o, "</div>\n");
        }
    }
    html_raw(o, "</article>\n");

    html_printf(o, "<h2>%s <small>%s %s</small></h2>\n", web_t(r, "std.proficiency"), spec->name, lvname);
    int last_kind = -1;
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_area *area = catalog_area_at(c, a);
        if (!spec_has_area(c, spec, area))
            continue;
        const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, level);
        const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, level) : NULL;
        if (area->is_specific != last_kind) {
            if (last_kind >= 0)
                html_raw(o, "</div>\n");
            html_printf(o, "<h3>%s</h3>\n<div class=\"card proficiency-list\">\n",
                        web_t(r, area->is_specific ? "std.area_specific_items" : "std.area_common_items"));
            last_kind = area->is_specific;
        }
        if (p)
            html_printf(o, "<section class=\"proficiency\" id=\"%s\">", p->id);
        else
            html_raw(o, "<section class=\"proficiency\">");
        html_printf(o, "<h4>●<a href=\"/standard/%s/area/%s\">%s</a>", spec->code, area->code, area->name);
        put_id(r, p ? p->id : NULL);
        html_raw(o, "</h4>\n");
        if (p) {
            put_paragraphs(r, "std", p->text);
            put_notes(r, c, p->id);
        } else {
            html_printf(o, "<p class=\"muted\">%s</p>\n", web_t(r, "std.no_proficiency"));
        }
        html_raw(o, "</section>\n");
    }
    if (last_kind >= 0)
        html_raw(o, "</div>\n");
    html_end(r);
}

/* ---- GET /standard/:spec/area/:area ------------------------------------------------------ */

/* Appends the levels a spec area gives proficiency for, as ranges. */
static void put_sa_levels(buf *b, const catalog_spec_area *sa)
{
    int have[MAX_LEVEL] = { 0 };
    for (size_t i = 0; i < sa->n_proficiency; i++)
        if (sa->proficiency[i].level >= 0 && sa->proficiency[i].level < MAX_LEVEL)
            have[sa->proficiency[i].level] = 1;
    put_ranges(b, have);
}

/* GET /standard/:spec/area/:area  A skill area as spec describes it: the
 * description, the proficiency of each level (highest first), the knowledge
 * categories and items (the specialization's, then the common levels'). */
void web_page_standard_area(web_request *r)
{
    const catalog *c = web_catalog(r);
    const catalog_spec *spec = c ? path_spec(r, c) : NULL;
    if (!spec)
        return;
    const char *name = web_path_param(r, "area");
    const catalog_area *area = name ? catalog_area_find(c, name) : NULL;
    if (!area || !spec_has_area(c, spec, area)) {
        web_reply_error(r, 404, "not_found", web_t(r, "std.no_such_area"), "area");
        return;
    }
    buf *o = r->out;
    char title[256];
    snprintf(title, sizeof title, "%s %s", spec->name, area->name);
    html_begin(r, title);
    put_crumbs(r, spec, area->name);
    html_printf(o, "<h1>%s <small>%s（%s）</small>", area->name, spec->name,
                web_t(r, area->is_specific ? "std.area_specific_items" : "std.area_common_items"));
    put_id(r, area->id);
    html_raw(o, "</h1>\n<div class=\"standard-text\">");
    put_paragraphs(r, "std", area->description);
    html_raw(o, "</div>\n");
    put_notes(r, c, area->id);

    int lo, hi;
    catalog_spec_level_range(c, spec, &lo, &hi);
    html_printf(o, "<section class=\"card\"><h2>%s</h2>\n<dl class=\"proficiency-levels\">\n", web_t(r, "std.proficiency"));
    for (int l = catalog_level_max(c); l >= catalog_level_min(c); l--) {
        const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, l);
        const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, l) : NULL;
        if (!p && (l < lo || l > hi))
            continue;
        char lv[32];
        web_level_label(r, l, lv, sizeof lv);
        if (p)
            html_printf(o, "<dt id=\"%s\">", p->id);
        else
            html_raw(o, "<dt>");
        html_printf(o, "<a href=\"/standard/%s/%d\">%s</a>", spec->code, l, lv);
        if (sa && sa->owner != spec)
            html_printf(o, " <small>（%s）</small>", sa->owner->name);
        put_id(r, p ? p->id : NULL);
        html_raw(o, "</dt>\n<dd>");
        if (p) {
            put_paragraphs(r, "std", p->text);
            put_notes(r, c, p->id);
        } else {
            html_printf(o, "<p class=\"muted\">%s</p>", web_t(r, "std.no_proficiency"));
        }
        html_raw(o, "</dd>\n");
    }
    html_raw(o, "</dl>\n</section>\n");

    const catalog_spec_area *sas[16];
    size_t n = catalog_spec_area_blocks(c, spec, area, sas, 16);
    for (size_t i = 0; i < n; i++) {
        const catalog_spec_area *sa = sas[i];
        buf levels;
        buf_init(&levels);
        put_sa_levels(&levels, sa);
        html_printf(o, "<section class=\"card knowledge\" id=\"%s\"><h2>%s <small>", sa->id, web_t(r, "std.knowledge"));
        if (sa->owner != spec)
            html_printf(o, "%s ", sa->owner->name);
        html_printf(o, "%s%s</small>", web_t(r, "std.level_prefix"), levels.data);
        put_id(r, sa->id);
        html_raw(o, "</h2>\n");
        buf_free(&levels);
        put_notes(r, c, sa->id);
        for (size_t k = 0; k < sa->n_knowledge; k++) {
            const catalog_knowledge_category *kc = &sa->knowledge[k];
            html_printf(o, "<h3 id=\"%s\">－%s", kc->id, kc->name);
            put_id(r, kc->id);
            html_raw(o, "</h3>\n");
            put_notes(r, c, kc->id);
            if (!kc->n_items) {
                html_printf(o, "<p class=\"muted\">%s</p>\n", web_t(r, "std.no_items"));
                continue;
            }
            html_raw(o, "<ul class=\"knowledge-items\">\n");
            for (size_t j = 0; j < kc->n_items; j++) {
                html_printf(o, "<li id=\"%s\"><span class=\"mark\" aria-hidden=\"true\">・</span><span class=\"text\">%s</span>",
                            kc->items[j].id, kc->items[j].text);
                put_id(r, kc->items[j].id);
                put_notes(r, c, kc->items[j].id);
                html_raw(o, "</li>\n");
            }
            html_raw(o, "</ul>\n");
        }
        html_raw(o, "</section>\n");
    }
    html_end(r);
}

/* ---- Search -------------------------------------------------------------------------------- */

/* Calls found(e) for each element whose folded text contains the folded query,
 * in the catalog's order, up to max (0: no limit); returns how many matched in
 * all. fq is the folded query (not empty). */
static size_t search(const catalog *c, const char *fq, size_t max,
                     void (*found)(const catalog_element *e, void *ctx), void *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *e = catalog_element_at(c, i);
        const char *text = catalog_element_text(e);
        char *ft = text ? text_fold(text) : NULL;
        if (ft && strstr(ft, fq)) {
            if (!max || n < max)
                found(e, ctx);
            n++;
        }
        free(ft);
    }
    return n;
}

typedef struct search_page {
    web_request *r;
    const catalog *c;
    buf *list;                  /* the result rows */
    buf place, href;
} search_page;

/* One result of the search page: place, text and identifier, linked to its page. */
static void search_page_row(const catalog_element *e, void *ctx)
{
    search_page *sp = ctx;
    buf_reset(&sp->place);
    buf_reset(&sp->href);
    element_place(&sp->place, sp->r, sp->c, e);
    element_href(&sp->href, sp->c, e);
    html_printf(sp->list, "<li><a href=\"%s\">%s</a> <span class=\"id\">%s</span><p class=\"std\"", sp->href.data,
                sp->place.data, e->id);
    if (e->kind == CK_NOTE)
        html_raw(sp->list, " lang=\"en\"");
    html_printf(sp->list, ">%s</p></li>\n", catalog_element_text(e));
}

/* GET /standard/search?q=TEXT  Every element whose text contains TEXT, compared
 * in NFKC case-folded form, so that ２４時間 and 24時間 find the same. */
void web_page_standard_search(web_request *r)
{
    const catalog *c = web_catalog(r);
    if (!c)
        return;
    const char *q = web_query(r, "q");
    int too_long = q && strlen(q) > 200;
    char *fq = q && !too_long ? text_fold(q) : NULL;
    if (fq)
        web_defer(r, free, fq);
    if (too_long)
        r->res.status = 400;
    html_begin(r, web_t(r, "std.search.title"));
    put_crumbs(r, NULL, web_t(r, "std.search.title"));
    html_printf(r->out, "<h1>%s</h1>\n", web_t(r, "std.search.title"));
    if (too_long)
        html_message(r, "error", web_t(r, "std.search.too_long"));
    put_search_form(r, q);
    if (fq && *fq) {
        buf list;
        buf_init(&list);
        search_page sp = { r, c, &list, { 0 }, { 0 } };
        buf_init(&sp.place);
        buf_init(&sp.href);
        size_t n = search(c, fq, SEARCH_PAGE_MAX, search_page_row, &sp);
        html_printf(r->out, "<p class=\"result-count\" role=\"status\">%s: %zu</p>\n", web_t(r, "std.search.found"),
                    n);
        if (n > SEARCH_PAGE_MAX)
            html_printf(r->out, "<p class=\"muted\">%s</p>\n", web_t(r, "std.search.more"));
        if (n) {
            html_raw(r->out, "<ol class=\"search-results\">\n");
            buf_raw(r->out, list.data);
            html_raw(r->out, "</ol>\n");
        } else {
            html_printf(r->out, "<p>%s</p>\n", web_t(r, "std.search.none"));
        }
        buf_free(&list);
        buf_free(&sp.place);
        buf_free(&sp.href);
    }
    html_end(r);
}

/* ---- The API -------------------------------------------------------------------------------- */

/* A jansson string, or null for NULL (a new reference). */
static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* {id, code, name} of a specialization or common block, or null (a new reference). */
static json_t *spec_ref(const catalog_spec *s)
{
    return s ? json_pack("{s:o, s:o, s:o}", "id", jstr(s->id), "code", jstr(s->code), "name", jstr(s->name))
             : json_null();
}

/* {id, code, name, kind} of a skill area, or null (a new reference). */
static json_t *area_ref(const catalog_area *a)
{
    return a ? json_pack("{s:o, s:o, s:o, s:s}", "id", jstr(a->id), "code", jstr(a->code), "name", jstr(a->name),
                         "kind", a->is_specific ? "specific" : "common")
             : json_null();
}

/* The catalog notes about id as [{id, about, text}]. */
static json_t *notes_json(const catalog *c, const char *id)
{
    json_t *arr = json_array();
    for (size_t i = 0; id && i < catalog_note_count(c); i++) {
        const catalog_note *n = catalog_note_at(c, i);
        if (n->about && strcmp(n->about, id) == 0)
            json_array_append_new(arr, json_pack("{s:o, s:o, s:o}", "id", jstr(n->id), "about", jstr(n->about),
                                                 "text", jstr(n->text)));
    }
    return arr;
}

/* The levels spec has as [n, ...]. */
static json_t *levels_json(const catalog *c, const catalog_spec *s)
{
    int have[MAX_LEVEL];
    json_t *arr = json_array();
    spec_levels(c, s, have);
    for (int l = 0; l < MAX_LEVEL; l++)
        if (have[l])
            json_array_append_new(arr, json_integer(l));
    return arr;
}

/* Items as [{id, text}] (a new reference). */
static json_t *items_json(const catalog_item *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:o, s:o}", "id", jstr(items[i].id), "text", jstr(items[i].text)));
    return arr;
}

/* A criterion: id, key, label, lead, items, notes (a new reference). */
static json_t *criterion_json(const catalog_criterion *cr)
{
    return json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "id", jstr(cr->id), "key", catalog_criterion_key(cr->kind),
                     "label", catalog_criterion_label(cr->kind), "lead", jstr(cr->lead),
                     "items", items_json(cr->items, cr->n_items), "notes", items_json(cr->notes, cr->n_notes));
}

/* A skill area as a specialization describes it: proficiency by level and
 * knowledge categories with their items (a new reference). */
static json_t *spec_area_json(const catalog_spec_area *sa)
{
    json_t *prof = json_array(), *know = json_array();
    for (size_t i = 0; i < sa->n_proficiency; i++)
        json_array_append_new(prof, json_pack("{s:o, s:i, s:o}", "id", jstr(sa->proficiency[i].id), "level",
                                              sa->proficiency[i].level, "text", jstr(sa->proficiency[i].text)));
    for (size_t k = 0; k < sa->n_knowledge; k++)
        json_array_append_new(know, json_pack("{s:o, s:o, s:o}", "id", jstr(sa->knowledge[k].id), "name",
                                              jstr(sa->knowledge[k].name), "items",
                                              items_json(sa->knowledge[k].items, sa->knowledge[k].n_items)));
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", jstr(sa->id), "area", area_ref(sa->area), "owner",
                     spec_ref(sa->owner), "proficiency", prof, "knowledge", know);
}

/* GET /api/v1/catalog  The catalog in brief: identity, job category, level range,
 * specializations (levels, common blocks, skill areas), skill areas, notes. */
void web_api_catalog(web_request *r)
{
    const catalog *c = web_catalog(r);
    if (!c)
        return;
    json_t *specs = json_array(), *areas = json_array(), *notes = json_array(), *commons = json_array();
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        json_t *js = spec_ref(s), *blocks = json_array(), *sa = json_array();
        const catalog_spec *cb[16];
        size_t nb = catalog_commons_of(c, s, cb, 16);
        for (size_t b = 0; b < nb; b++)
            json_array_append_new(blocks, json_string(cb[b]->id));
        for (size_t a = 0; a < catalog_area_count(c); a++)
            if (spec_has_area(c, s, catalog_area_at(c, a)))
                json_array_append_new(sa, json_string(catalog_area_at(c, a)->code));
        json_object_set_new(js, "description", jstr(s->description));
        json_object_set_new(js, "levels", levels_json(c, s));
        json_object_set_new(js, "common_levels", blocks);
        json_object_set_new(js, "skill_areas", sa);
        json_array_append_new(specs, js);
    }
    for (size_t i = 0; i < catalog_common_count(c); i++) {
        const catalog_spec *s = catalog_common_at(c, i);
        json_t *js = spec_ref(s), *shared = json_array(), *levels = json_array();
        for (size_t j = 0; j < s->n_shared_by; j++)
            json_array_append_new(shared, json_string(s->shared_by[j]->id));
        for (size_t k = 0; k < s->n_levels; k++)
            json_array_append_new(levels, json_integer(s->levels[k].level));
        json_object_set_new(js, "shared_by", shared);
        json_object_set_new(js, "levels", levels);
        json_array_append_new(commons, js);
    }
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        json_t *ja = area_ref(catalog_area_at(c, a));
        json_object_set_new(ja, "description", jstr(catalog_area_at(c, a)->description));
        json_array_append_new(areas, ja);
    }
    for (size_t i = 0; i < catalog_note_count(c); i++) {
        const catalog_note *n = catalog_note_at(c, i);
        json_array_append_new(notes, json_pack("{s:o, s:o, s:o}", "id", jstr(n->id), "about", jstr(n->about),
                                               "text", jstr(n->text)));
    }
    json_t *root = json_pack("{s:o, s:o, s:o, s:{s:o, s:o}, s:{s:o, s:o, s:o}, s:{s:i, s:i}}",
                             "id", jstr(catalog_id(c)), "version", jstr(catalog_version(c)),
                             "title", jstr(catalog_title(c)),
                             "source", "document", jstr(catalog_source_document(c)), "publisher",
                             jstr(catalog_source_publisher(c)),
                             "job_category", "id", jstr(catalog_job_id(c)), "name", jstr(catalog_job_name(c)),
                             "overview", jstr(catalog_job_overview(c)),
                             "level_range", "min", catalog_level_min(c), "max", catalog_level_max(c));
    json_object_set_new(root, "specializations", specs);
    json_object_set_new(root, "common_levels", commons);
    json_object_set_new(root, "skill_areas", areas);
    json_object_set_new(root, "notes", notes);
    web_json_reply(r, 200, root);
}

/* GET /api/v1/catalog/elements/:id  One element by identifier: its kind, text,
 * place, where it belongs and, for levels, criteria, skill areas and categories,
 * what it holds; the notes about it; the page that shows it. */
void web_api_catalog_element(web_request *r)
{
    const catalog *c = web_catalog(r);
    if (!c)
        return;
    const char *id = web_path_param(r, "id");
    catalog_element e;
    if (!id || !catalog_find(c, id, &e)) {
        web_reply_error(r, 404, "not_found", web_t(r, "std.no_such_element"), "id");
        return;
    }
    buf place, href;
    buf_init(&place);
    buf_init(&href);
    element_place(&place, r, c, &e);
    element_href(&href, c, &e);
    int level = e.level ? e.level->level : e.proficiency ? e.proficiency->level : 0;
    json_t *root = json_pack("{s:o, s:s, s:o, s:s, s:s, s:o, s:o, s:o}", "id", jstr(e.id), "kind",
                             catalog_kind_name(e.kind), "text", jstr(catalog_element_text(&e)), "place",
                             place.data ? place.data : "", "page", href.data, "specialization", spec_ref(e.spec),
                             "level", level ? json_integer(level) : json_null(), "area", area_ref(e.area));
    buf_free(&place);
    buf_free(&href);
    switch (e.kind) {
    case CK_LEVEL: {
        const catalog_level *lv = e.level;
        json_object_set_new(root, "responsibility", json_pack("{s:o, s:o}", "id", jstr(lv->responsibility.id),
                                                              "text", jstr(lv->responsibility.text)));
        for (int k = 0; k < CRITERION_KINDS; k++)
            json_object_set_new(root, catalog_criterion_key((catalog_criterion_kind)k),
                                criterion_json(&lv->criteria[k]));
        break;
    }
    case CK_CRITERION:
        json_object_set_new(root, "criterion", criterion_json(e.criterion));
        break;
    case CK_SPEC: {
        json_object_set_new(root, "description", jstr(e.spec->description));
        json_object_set_new(root, "levels", levels_json(c, e.spec));
        json_t *sas = json_array();
        for (size_t i = 0; i < e.spec->n_areas; i++)
            json_array_append_new(sas, spec_area_json(&e.spec->areas[i]));
        json_object_set_new(root, "skill_areas", sas);
        break;
    }
    case CK_SPEC_AREA:
        json_object_set_new(root, "skill_area", spec_area_json(e.spec_area));
        break;
    case CK_KNOWLEDGE_CATEGORY:
        json_object_set_new(root, "items", items_json(e.category->items, e.category->n_items));
        break;
    case CK_KNOWLEDGE_ITEM:
        json_object_set_new(root, "category", json_pack("{s:o, s:o}", "id", jstr(e.category->id), "name",
                                                        jstr(e.category->name)));
        break;
    case CK_AREA:
        json_object_set_new(root, "description", jstr(e.area->description));
        break;
    case CK_NOTE:
        json_object_set_new(root, "about", jstr(e.note->about));
        break;
    default:
        break;
    }
    json_object_set_new(root, "answerable", json_boolean(e.kind == CK_RESPONSIBILITY || e.kind == CK_CHECK_ITEM
                                                         || e.kind == CK_PROFICIENCY || e.kind == CK_KNOWLEDGE_ITEM));
    json_object_set_new(root, "notes", notes_json(c, e.id));
    web_json_reply(r, 200, root);
}

typedef struct search_api {
    web_request *r;
    const catalog *c;
    json_t *results;
} search_api;

/* One result of the search API: id, kind, place, text, page. */
static void search_api_row(const catalog_element *e, void *ctx)
{
    search_api *sa = ctx;
    buf place, href;
    buf_init(&place);
    buf_init(&href);
    element_place(&place, sa->r, sa->c, e);
    element_href(&href, sa->c, e);
    json_array_append_new(sa->results, json_pack("{s:o, s:s, s:s, s:o, s:s}", "id", jstr(e->id), "kind",
                                                 catalog_kind_name(e->kind), "place", place.data ? place.data : "",
                                                 "text", jstr(catalog_element_text(e)), "page", href.data));
    buf_free(&place);
    buf_free(&href);
}

/* GET /api/v1/catalog/search?q=TEXT[&limit=N]  {"query","count","results":[...]}
 * with count every match and results the first N (default 100, at most 1000). */
void web_api_catalog_search(web_request *r)
{
    const catalog *c = web_catalog(r);
    if (!c)
        return;
    const char *q = web_query(r, "q");
    const char *limit_text = web_query(r, "limit");
    int64_t limit = SEARCH_API_DEFAULT;
    if (!q || !*q) {
        web_reply_error(r, 400, "invalid", web_t(r, "std.search.empty"), "q");
        return;
    }
    if (strlen(q) > 200) {
        web_reply_error(r, 400, "invalid", web_t(r, "std.search.too_long"), "q");
        return;
    }
    if (limit_text && !web_parse_int(limit_text, 1, SEARCH_API_MAX, &limit)) {
        web_reply_error(r, 400, "invalid", web_t(r, "std.search.limit"), "limit");
        return;
    }
    char *fq = text_fold(q);
    if (!fq || !*fq) {
        free(fq);
        web_reply_error(r, 400, "invalid", web_t(r, "std.search.empty"), "q");
        return;
    }
    search_api sa = { r, c, json_array() };
    size_t n = search(c, fq, (size_t)limit, search_api_row, &sa);
    free(fq);
    json_t *root = json_pack("{s:s, s:I, s:o}", "query", q, "count", (json_int_t)n, "results", sa.results);
    web_json_reply(r, 200, root);
}

/* ---- Messages ---------------------------------------------------------------------------- */

/* The messages of these pages (registered in web_i18n.c). The standard's own
 * wording is not here: it comes from the catalog. */
const web_message web_messages_standard[] = {
    { "std.title", "基準", "The standard" },
    { "std.crumbs", "現在位置", "You are here" },
    { "std.no_catalog", "スキル標準のカタログが読み込まれていないため表示できません。", "The standard's catalog is not loaded, so it cannot be shown." },
    { "std.no_such_spec", "そのような専門分野はありません。", "There is no such specialization." },
    { "std.no_such_level", "この専門分野にそのレベルはありません。", "This specialization has no such level." },
    { "std.no_such_area", "この専門分野にそのスキル領域はありません。", "This specialization has no such skill area." },
    { "std.no_such_element", "その識別子の要素はありません。", "No element has that identifier." },
    { "std.job", "職種", "Job category" },
    { "std.place.job", "職種", "Job category" },
    { "std.overview", "職種の概要", "Overview of the job category" },
    { "std.specializations", "専門分野", "Specializations" },
    { "std.specialization", "専門分野", "Specialization" },
    { "std.common_levels", "共通レベル", "Common levels" },
    { "std.shared_by", "このレベルを共有する専門分野", "Specializations sharing these levels" },
    { "std.from_common", "このレベルは共通レベルの達成度指標です", "These are the achievement indicators of the common levels" },
    { "std.code", "コード", "Code" },
    { "std.levels", "レベル", "Levels" },
    { "std.level_prefix", "レベル", "Level " },
    { "std.areas", "スキル領域", "Skill areas" },
    { "std.area", "スキル領域", "Skill area" },
    { "std.area_kind", "種別", "Kind" },
    { "std.area_common", "職種共通", "common to the job category" },
    { "std.area_specific", "専門分野固有", "specific to the specialization" },
    { "std.area_common_items", "職種共通スキル項目", "Skills common to the job category" },
    { "std.area_specific_items", "専門分野固有スキル項目", "Skills specific to the specialization" },
    { "std.description", "説明", "Description" },
    { "std.achievement", "達成度指標", "Achievement indicators" },
    { "std.responsibility", "責任性", "Responsibility (責任性)" },
    { "std.complexity", "複雑性", "Complexity (複雑性)" },
    { "std.size", "サイズ", "Size (サイズ)" },
    { "std.task", "タスク特性", "Task characteristics (タスク特性)" },
    { "std.proficiency", "スキル熟達度", "Skill proficiency (スキル熟達度)" },
    { "std.knowledge", "知識項目", "Knowledge items (知識項目)" },
    { "std.no_proficiency", "このレベルのスキル熟達度はありません。", "The standard gives no proficiency for this level." },
    { "std.no_items", "この区分に項目はありません。", "The standard lists no items here." },
    { "std.note", "注記", "Note" },
    { "std.editor_note", "カタログ編集者の注記（英語）", "Catalog editor's note" },
    { "std.source", "出典", "Source" },
    { "std.source.document", "文書", "Document" },
    { "std.source.publisher", "発行", "Publisher" },
    { "std.source.catalog", "カタログ", "Catalog" },
    { "std.search", "基準の本文を検索", "Search the standard" },
    { "std.search.title", "基準の検索", "Search the standard" },
    { "std.search.submit", "検索", "Search" },
    { "std.search.hint", "全角・半角を区別せずに検索します（例: ２４時間 と 24時間）。",
      "Full-width and half-width spellings match alike (２４時間 and 24時間)." },
    { "std.search.found", "見つかった件数", "Found" },
    { "std.search.none", "該当する項目はありません。", "Nothing in the standard contains this text." },
    { "std.search.more", "最初の200件を表示しています。語を加えて絞り込んでください。",
      "The first 200 are shown. Add words to narrow the search." },
    { "std.search.empty", "検索する語を入力してください。", "Give the text to search for." },
    { "std.search.too_long", "検索語が長すぎます（200文字まで）。", "The search text is too long (at most 200 characters)." },
    { "std.search.limit", "limit は 1 から 1000 の整数で指定してください。", "limit must be a whole number from 1 to 1000." },
};
const size_t web_messages_standard_count = sizeof web_messages_standard / sizeof web_messages_standard[0];
