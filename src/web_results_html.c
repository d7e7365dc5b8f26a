/* web_results_html.c - the results page of one person (GET /results, GET
 * /people/:id/results): the level per specialization, the explanation
 * criterion by criterion, the radar, the gap to a target, the knowledge
 * coverage, the history across cycles and the comments, rendered from the
 * person_results the API answers too (web_results_json.c). Part of the
 * results page group (web_results_int.h). */
#include "web_results_int.h"
#include "web_kit.h"
#include "store_specs.h"
#include "html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- HTML ------------------------------------------------------------------------------ */

/* The query string that keeps the cycle shown (and more parameters after it),
 * starting with '?'; appended to b, escaped for an attribute. */
static void put_cycle_query(buf *b, const person_results *res)
{
    buf_puts(b, "?");
    if (res->current)
        html_printf(b, "cycle=%lld&amp;", (long long)res->current->cycle_id);
}

/* The base path of this results page: /results or /people/ID/results. */
static const char *page_path(web_request *r, const person_results *res)
{
    if (r->user && r->user->person_id == res->person.id && strcmp(r->path, "/results") == 0)
        return "/results";
    char path[64];
    snprintf(path, sizeof path, "/people/%lld/results", (long long)res->person.id);
    return web_strdup(r, path);
}

/* A level as a badge. */
static void put_level_badge(web_request *r, int level)
{
    char label[64];
    web_reached_label(r, level, label, sizeof label);
    html_printf(r->out, "<span class=\"badge level%s\">%s</span>", level > 0 ? "" : " none", label);
}

/* ○ met, × answered and not met, － unanswered: the mark and its words. */
static void put_mark(web_request *r, int met, int answered)
{
    const char *cls = met ? "met" : answered ? "unmet" : "unanswered";
    const char *key = met ? "results.met" : answered ? "results.unmet" : "results.unanswered";
    html_printf(r->out, "<span class=\"mark %s\" title=\"%s\">%s<span class=\"visually-hidden\">%s</span></span>",
                cls, web_t(r, key), met ? "○" : answered ? "×" : "－", web_t(r, key));
}

static const char *criterion_key(engine_criterion_kind k)
{
    static const char *const keys[ENGINE_CRITERIA] = { "results.crit.responsibility", "results.crit.complexity",
                                                       "results.crit.size", "results.crit.task",
                                                       "results.crit.experience" };
    return keys[k];
}

/* The threshold of a checklist criterion in words. */
static void put_threshold(web_request *r, const engine_criterion *cr)
{
    char n[16];
    snprintf(n, sizeof n, "%d", cr->required);
    if (cr->required < 0)
        html_txt(r->out, web_t(r, "results.required_unset"));
    else if (cr->required == 0)
        html_txt(r->out, web_t(r, "results.required_none"));
    else if (cr->required == cr->listed && cr->listed > 1)
        web_html_tpl(r->out, web_t(r, "results.required_all"), n, NULL);
    else
        web_html_tpl(r->out, web_t(r, "results.required_n"), n, NULL);
}

/* The experience criterion in one sentence. */
static void put_experience(web_request *r, const engine_criterion *cr, int level)
{
    char count[16], required[16], lv[16], at[16], at_required[16];
    snprintf(count, sizeof count, "%d", cr->count);
    snprintf(required, sizeof required, "%d", cr->required < 0 ? 0 : cr->required);
    snprintf(lv, sizeof lv, "%d", level);
    snprintf(at, sizeof at, "%d", cr->at_level);
    snprintf(at_required, sizeof at_required, "%d", cr->at_level_required);
    web_html_tpl(r->out, web_t(r, "results.experience"), count, required, lv, at, at_required, NULL);
    if (cr->failed) {
        char failed[16];
        snprintf(failed, sizeof failed, "%d", cr->failed);
        html_raw(r->out, " ");
        web_html_tpl(r->out, web_t(r, "results.experience_failed"), failed, NULL);
    }
}

/* One item of a checklist with its mark, the standard's text and notes on the answer. */
static void put_item(web_request *r, const engine_criterion *cr, int i)
{
    const assessment_answer *x = cr->item_answers[i];
    html_printf(r->out, "<li class=\"item %s\">", cr->item_met[i] ? "is-met" : x ? "is-unmet" : "is-unanswered");
    put_mark(r, cr->item_met[i], x != NULL);
    html_raw(r->out, " <span class=\"standard\">");
    html_lines(r, cr->items[i].text);
    html_raw(r->out, "</span>");
    if (x && !cr->item_met[i] && x->value > 0)
        html_printf(r->out, " <small class=\"muted\">（%s）</small>", web_t(r, "results.no_evidence"));
    html_raw(r->out, "</li>\n");
}

/* Every criterion of one level, quoting the standard. */
static void put_level_explanation(web_request *r, const engine_level *lv)
{
    char label[64];
    html_printf(r->out, "<section class=\"level-block %s\" id=\"level-%d\">\n<h4>%s <small>%s</small> ",
                lv->met ? "is-met" : "is-unmet", lv->level, web_reached_label(r, lv->level, label, sizeof label),
                lv->indicators->id);
    html_printf(r->out, "<span class=\"badge %s\">%s</span></h4>\n<dl class=\"criteria\">\n",
                lv->met ? "approved" : "returned", web_t(r, lv->met ? "results.achieved" : "results.not_achieved"));
    for (int k = 0; k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &lv->criteria[k];
        html_printf(r->out, "<div class=\"criterion %s\"><dt>", cr->met ? "is-met" : "is-unmet");
        put_mark(r, cr->met, 1);
        html_printf(r->out, " %s", web_t(r, criterion_key((engine_criterion_kind)k)));
        html_raw(r->out, "</dt>\n<dd>");
        if (k == ENGINE_EXPERIENCE) {
            put_experience(r, cr, lv->level);
            html_raw(r->out, "</dd></div>\n");
            continue;
        }
        if (k == ENGINE_RESPONSIBILITY) {
            if (!cr->required)
                html_printf(r->out, "<p class=\"muted\">%s</p>", web_t(r, "results.responsibility_optional"));
            html_raw(r->out, "<ul class=\"items\">");
            put_item(r, cr, 0);
            html_raw(r->out, "</ul></dd></div>\n");
            continue;
        }
        const catalog_criterion *def = &lv->indicators->criteria[k - ENGINE_COMPLEXITY];
        html_raw(r->out, "<p class=\"count\">");
        if (cr->listed == 0) {
            html_txt(r->out, web_t(r, "results.no_items"));
        } else {
            char listed[16], count[16];
            snprintf(listed, sizeof listed, "%d", cr->listed);
            snprintf(count, sizeof count, "%d", cr->count);
            web_html_tpl(r->out, web_t(r, "results.count_of"), listed, count, NULL);
        }
        html_raw(r->out, "（");
        put_threshold(r, cr);
        html_raw(r->out, "）</p>\n");
        if (def->lead && *def->lead) {
            html_raw(r->out, "<blockquote class=\"standard-text\">");
            html_lines(r, def->lead);
            html_raw(r->out, "</blockquote>\n");
        }
        if (cr->listed) {
            html_raw(r->out, "<ul class=\"items\">");
            for (int i = 0; i < cr->listed; i++)
                put_item(r, cr, i);
            html_raw(r->out, "</ul>\n");
        }
        for (size_t i = 0; i < def->n_notes; i++) {
            html_raw(r->out, "<p class=\"note\">");
            html_lines(r, def->notes[i].text);
            html_raw(r->out, "</p>\n");
        }
        html_raw(r->out, "</dd></div>\n");
    }
    html_raw(r->out, "</dl>\n</section>\n");
}

/* The summary table: the level per specialization. */
/* Which specializations the diagnosis shown is made in (store_diagnosed_specs),
 * said above the levels; into diagnosed[n_specs] (all 1 when it cannot be told). */
static void put_diagnosed(web_request *r, const person_results *res, int *diagnosed)
{
    const catalog *c = res->ev->catalog;
    size_t n = catalog_spec_count(c);
    for (size_t i = 0; i < n; i++)
        diagnosed[i] = 1;
    store *db = web_store(r);
    err e;
    memset(&e, 0, sizeof e);
    if (!db || !res->current || store_diagnosed_specs(db, c, res->current->id, res->answers, diagnosed, NULL, &e) < 0)
        return;                      /* a hint only: the levels stay as they are */
    html_printf(r->out, "<p class=\"covered\">%s: ", web_t(r, "diag.covered"));
    int listed = 0;
    for (size_t i = 0; i < n; i++)
        if (diagnosed[i])
            html_printf(r->out, "%s<strong data-spec=\"%s\">%s</strong>", listed++ ? "、" : "",
                        catalog_spec_at(c, i)->code, catalog_spec_at(c, i)->name);
    html_printf(r->out, "%s</p>\n", listed ? "" : web_t(r, "review.not_diagnosed_none"));
}

/* Is the specialization es of res diagnosed (diagnosed as put_diagnosed filled it)? */
static int spec_diagnosed(const person_results *res, const int *diagnosed, const engine_spec *es)
{
    const catalog *c = res->ev->catalog;
    for (size_t i = 0; i < catalog_spec_count(c); i++)
        if (catalog_spec_at(c, i) == es->spec)
            return diagnosed[i];
    return 1;
}

static void put_levels_table(web_request *r, const person_results *res, const char *path)
{
    html_printf(r->out, "<section class=\"card\" id=\"levels\">\n<h2>%s</h2>\n", web_t(r, "results.levels"));
    int *diagnosed = web_alloc(r, (catalog_spec_count(res->ev->catalog) + 1) * sizeof *diagnosed);
    put_diagnosed(r, res, diagnosed);
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"levels\">\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th>",
                web_t(r, "results.spec"), web_t(r, "results.level"));
    if (res->manager)
        html_printf(r->out, "<th scope=\"col\">%s</th>", web_t(r, "results.manager_level"));
    html_printf(r->out, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"no-print\">"
                        "<span class=\"visually-hidden\">%s</span></th></tr></thead>\n<tbody>\n",
                web_t(r, "results.next"), web_t(r, "results.warnings"), web_t(r, "results.details"));
    for (size_t i = 0; i < res->self->n_specs; i++) {
        const engine_spec *es = &res->self->specs[i];
        int in = spec_diagnosed(res, diagnosed, es);
        html_printf(r->out, "<tr class=\"%s%s\"><th scope=\"row\">%s%s</th><td data-spec=\"%s\" data-level=\"%d\">",
                    es == res->selected ? "selected" : "", in ? "" : " not-diagnosed", es->spec->name,
                    in ? "" : web_t(r, "review.not_diagnosed_mark"), es->spec->id, es->level);
        put_level_badge(r, es->level);
        html_raw(r->out, "</td>");
        if (res->manager) {
            int ml = res->manager->specs[i].level;
            html_printf(r->out, "<td class=\"%s\">", ml != es->level ? "differs" : "");
            put_level_badge(r, ml);
            html_raw(r->out, "</td>");
        }
        char label[64];
        html_printf(r->out, "<td>%s</td><td>",
                    es->next ? web_reached_label(r, es->next->level, label, sizeof label) : web_t(r, "results.top"));
        for (size_t j = 0; j < es->n_unmet_below; j++) {
            char n[16];
            snprintf(n, sizeof n, "%d", es->unmet_below[j]);
            if (j)
                html_raw(r->out, "<br>");
            web_html_tpl(r->out, web_t(r, "results.warning_short"), n, NULL);
        }
        html_printf(r->out, "</td><td class=\"no-print\"><a href=\"%s", path);
        put_cycle_query(r->out, res);
        html_printf(r->out, "spec=%s#detail\">%s</a></td></tr>\n", es->spec->code, web_t(r, "results.details"));
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</section>\n");
}

/* The top of a level scale for spec: its highest level (HW and SW end at 5, not
 * at the catalog's 7: issue 12, defect 6). */
static int spec_top_level(const catalog *c, const catalog_spec *spec)
{
    int lo = 0, hi = 0;
    catalog_spec_level_range(c, spec, &lo, &hi);
    return hi > 0 ? hi : catalog_level_max(c) > 0 ? catalog_level_max(c) : 7;
}

/* The radar of proficiency per skill area against the target level, with its
 * figures as a table. */
static void put_radar(web_request *r, const person_results *res)
{
    const engine_spec *es = res->selected;
    size_t n = es->n_areas;
    if (n < SVG_AXES_MIN || n > SVG_AXES_MAX)
        return;
    const char **axes = web_alloc(r, n * sizeof *axes);
    double *now = web_alloc(r, n * sizeof *now);
    double *want = web_alloc(r, n * sizeof *want);
    for (size_t i = 0; i < n; i++) {
        axes[i] = es->areas[i].area->name;
        now[i] = es->areas[i].proficiency_level;
        want[i] = res->target_level;
    }
    char level[16], label[64];
    snprintf(level, sizeof level, "%d", res->target_level);
    int is_next = es->next && es->next->level == res->target_level;
    const char *against = web_text_tpl(r, web_t(r, is_next ? "results.series_next" : "results.series_target"),
                                       level, NULL);
    svg_series series[2] = {
        { web_t(r, "results.series_current"), "current", now },
        { against, "target", want },
    };
    char id[80];
    snprintf(id, sizeof id, "radar-%s", es->spec->code);
    for (char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            *p = '_';
    svg_radar chart = {
        .id = id,
        .title = web_text_tpl(r, web_t(r, "results.radar_title"), es->spec->name, NULL),
        .summary = web_text_tpl(r, web_t(r, "results.radar_summary"), against, NULL),
        .axes = axes,
        .n_axes = n,
        .max = spec_top_level(res->ev->catalog, es->spec),
        .series = series,
        .n_series = res->target_level > 0 ? 2 : 1,
        .no_value = "-",
    };
    buf svg;
    buf_init(&svg);
    err e;
    memset(&e, 0, sizeof e);
    html_printf(r->out, "<section class=\"card\" id=\"proficiency\">\n<h3>%s</h3>\n<div class=\"chart-pair\">\n",
                web_t(r, "results.radar"));
    if (web_results_radar_chart(r, &svg, &chart, &e) == 0) {
        html_raw(r->out, "<figure class=\"chart radar\">");
        buf_raw(r->out, svg.data);
        html_printf(r->out, "<figcaption>%s</figcaption></figure>\n", chart.title);
    } else {
        fprintf(stderr, "itss serve: radar chart: %s\n", e.message);
    }
    buf_free(&svg);
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"figures\">\n<caption>%s</caption>\n"
                        "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "</tr></thead>\n<tbody>\n",
                chart.title, web_t(r, "results.area"), web_t(r, "results.proficiency_level"), against);
    for (size_t i = 0; i < n; i++) {
        const engine_area *ea = &es->areas[i];
        html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\">%s</th><td>%s</td><td>",
                    ea->proficiency_level >= res->target_level ? "is-met" : "is-short", ea->area->name,
                    web_reached_label(r, ea->proficiency_level, label, sizeof label));
        put_mark(r, ea->proficiency_level >= res->target_level, 1);
        html_raw(r->out, "</td></tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</div>\n</section>\n");
}

/* One knowledge item below the minimum, as a list item. */
static void knowledge_gap_html(const person_results *res, const engine_area *ea, const catalog_knowledge_category *cat,
                               const catalog_item *item, const assessment_answer *x, void *ctx)
{
    (void)res;
    web_request *r = ctx;
    html_printf(r->out, "<li><span class=\"where\">%s › %s</span> <span class=\"standard\">", ea->area->name,
                cat->name);
    html_lines(r, item->text);
    html_printf(r->out, "</span> <span class=\"badge\">%s</span></li>\n",
                web_t(r, web_rating_key(x ? x->value : -1)));
}

/* Counts the knowledge items below the minimum (for "none missing"). */
static void knowledge_gap_count(const person_results *res, const engine_area *ea, const catalog_knowledge_category *cat,
                                const catalog_item *item, const assessment_answer *x, void *ctx)
{
    (void)res, (void)ea, (void)cat, (void)item, (void)x;
    ++*(int *)ctx;
}

/* The form choosing the target level (a specialization's level). */
static void put_target_form(web_request *r, const person_results *res, const char *path)
{
    const engine_spec *es = res->selected;
    char label[64];
    html_form_get(r, path);
    if (res->current) {
        char cycle[32];
        snprintf(cycle, sizeof cycle, "%lld", (long long)res->current->cycle_id);
        html_hidden(r, "cycle", cycle);
    }
    html_printf(r->out, "<div class=\"row no-print\"><label for=\"target\">%s</label>"
                        "<select id=\"target\" name=\"target\" data-autosubmit>\n",
                web_t(r, "results.gap_choose"));
    for (size_t i = 0; i < res->self->n_specs; i++) {
        const engine_spec *s = &res->self->specs[i];
        html_printf(r->out, "<optgroup label=\"%s\">\n", s->spec->name);
        for (size_t j = 0; j < s->n_levels; j++) {
            int l = s->levels[j].level;
            html_printf(r->out, "<option value=\"%s:%d\"%s>%s %s</option>\n", s->spec->code, l,
                        s == es && l == res->target_level ? " selected" : "", s->spec->name,
                        web_reached_label(r, l, label, sizeof label));
        }
        html_raw(r->out, "</optgroup>\n");
    }
    html_printf(r->out, "</select><button type=\"submit\" class=\"secondary\">%s</button></div>\n",
                web_t(r, "results.show"));
    html_form_end(r);
}

/* One achievement indicator k of the target level, not met: what is short, and the items missing. */
static void put_gap_criterion(web_request *r, const person_results *res, int k, const char *level)
{
    const engine_criterion *cr = &res->target->criteria[k];
    if (cr->met)
        return;
    html_printf(r->out, "<li><strong>%s</strong>: ", web_t(r, criterion_key((engine_criterion_kind)k)));
    if (cr->required < 0) {
        html_printf(r->out, "%s</li>\n", web_t(r, "results.required_unset"));
        return;
    }
    if (k == ENGINE_EXPERIENCE) {
        char more[16], at_more[16];
        snprintf(more, sizeof more, "%d", cr->required - cr->count);
        snprintf(at_more, sizeof at_more, "%d", cr->at_level_required - cr->at_level);
        if (cr->count < cr->required)
            web_html_tpl(r->out, web_t(r, "results.gap_experience_more"), more, NULL);
        if (cr->at_level < cr->at_level_required) {
            if (cr->count < cr->required)
                html_raw(r->out, " ");
            web_html_tpl(r->out, web_t(r, "results.gap_experience_at"), level, at_more, NULL);
        }
        html_raw(r->out, "</li>\n");
        return;
    }
    if (k != ENGINE_RESPONSIBILITY) {
        char more[16];
        snprintf(more, sizeof more, "%d", cr->required - cr->count);
        web_html_tpl(r->out, web_t(r, "results.gap_short"), more, NULL);
    }
    html_raw(r->out, "<ul class=\"items\">");
    for (size_t i = 0; i < cr->n_missing; i++) {
        const catalog_item *it = cr->missing[i];
        const assessment_answer *x = results_self_answer(res, it->id);
        html_printf(r->out, "<li class=\"item missing\" data-id=\"%s\">", it->id);
        put_mark(r, 0, x != NULL);
        html_raw(r->out, " <span class=\"standard\">");
        html_lines(r, it->text);
        html_raw(r->out, "</span></li>\n");
    }
    html_raw(r->out, "</ul></li>\n");
}

/* The achievement indicators of the target level not met. */
static void put_gap_criteria(web_request *r, const person_results *res, const char *level)
{
    html_printf(r->out, "<h4>%s</h4>\n", web_t(r, "results.gap_criteria"));
    if (res->target->met) {
        html_printf(r->out, "<p class=\"met\">%s</p>\n", web_t(r, "results.gap_all_met"));
    } else {
        html_raw(r->out, "<ul class=\"gap-list\">\n");
        for (int k = 0; k < ENGINE_CRITERIA; k++)
            put_gap_criterion(r, res, k, level);
        html_raw(r->out, "</ul>\n");
    }
}

/* The list put_proficiency_gap writes into: its request, and whether it has begun. */
typedef struct proficiency_list {
    web_request *r;
    int any;
} proficiency_list;

/* One proficiency description the target still asks for, as an item of the
 * list ctx (a proficiency_list; the list opened before the first). */
static void put_proficiency_gap(const engine_area *ea, const engine_proficiency *st, void *ctx)
{
    proficiency_list *l = ctx;
    web_request *r = l->r;
    char label[64];
    if (!l->any)
        html_raw(r->out, "<ul class=\"gap-list\">\n");
    l->any = 1;
    html_printf(r->out, "<li data-id=\"%s\"><span class=\"where\">%s %s</span> ", st->description->id,
                ea->area->name, web_reached_label(r, st->level, label, sizeof label));
    put_mark(r, 0, st->answered);
    html_raw(r->out, " <span class=\"standard\">");
    html_lines(r, st->description->text);
    html_raw(r->out, "</span></li>\n");
}

/* The proficiency descriptions up to the target level, not met. */
static void put_gap_proficiency(web_request *r, const person_results *res)
{
    const engine_spec *es = res->selected;
    html_printf(r->out, "<h4>%s</h4>\n", web_t(r, "results.gap_proficiency"));
    proficiency_list list = { r, 0 };
    for (size_t i = 0; i < es->n_areas; i++)
        results_each_proficiency_gap(res, &es->areas[i], put_proficiency_gap, &list);
    if (list.any)
        html_raw(r->out, "</ul>\n");
    else
        html_printf(r->out, "<p class=\"met\">%s</p>\n", web_t(r, "results.gap_all_met"));
}

/* The knowledge items rated below the policy's minimum. */
static void put_gap_knowledge(web_request *r, const person_results *res)
{
    const engine_spec *es = res->selected;
    const char *min_label = web_t(r, web_rating_key(res->ev->policy->knowledge_min_rating));
    html_printf(r->out, "<h4>");
    web_html_tpl(r->out, web_t(r, "results.gap_knowledge"), min_label, NULL);
    html_raw(r->out, "</h4>\n");
    int missing = 0;
    for (size_t i = 0; i < es->n_areas; i++)
        results_each_knowledge_gap(res, &es->areas[i], res->target_level, knowledge_gap_count, &missing);
    if (missing) {
        html_raw(r->out, "<ul class=\"gap-list knowledge\">\n");
        for (size_t i = 0; i < es->n_areas; i++)
            results_each_knowledge_gap(res, &es->areas[i], res->target_level, knowledge_gap_html, r);
        html_raw(r->out, "</ul>\n");
    } else {
        html_printf(r->out, "<p class=\"met\">%s</p>\n", web_t(r, "results.gap_all_met"));
    }
}

/* The target form and what the target level still needs. */
static void put_gap(web_request *r, const person_results *res, const char *path)
{
    const engine_spec *es = res->selected;
    html_printf(r->out, "<section class=\"card gap\" id=\"gap\">\n<h3>%s</h3>\n", web_t(r, "results.gap"));
    put_target_form(r, res, path);
    char level[16];
    snprintf(level, sizeof level, "%d", res->target_level);
    html_printf(r->out, "<p class=\"target\" data-target=\"%s:%d\">", es->spec->id, res->target_level);
    web_html_tpl(r->out, web_t(r, "results.gap_for"), es->spec->name, level, NULL);
    html_raw(r->out, "</p>\n");
    if (!res->target) {
        html_printf(r->out, "<p>%s</p>\n</section>\n", web_t(r, "results.top_reached"));
        return;
    }
    put_gap_criteria(r, res, level);
    put_gap_proficiency(r, res);
    put_gap_knowledge(r, res);
    html_raw(r->out, "</section>\n");
}

/* Knowledge coverage per skill area: bars and the same figures as a table. */
static void put_knowledge(web_request *r, const person_results *res)
{
    const engine_spec *es = res->selected;
    size_t n = es->n_areas;
    if (n == 0)
        return;
    const char **labels = web_alloc(r, n * sizeof *labels);
    double *values = web_alloc(r, n * sizeof *values);
    for (size_t i = 0; i < n; i++) {
        const engine_area *ea = &es->areas[i];
        labels[i] = ea->area->name;
        values[i] = ea->knowledge_items ? 100.0 * ea->knowledge_covered / ea->knowledge_items : NAN;
    }
    const char *min_label = web_t(r, web_rating_key(res->ev->policy->knowledge_min_rating));
    char id[80];
    snprintf(id, sizeof id, "knowledge-%s", es->spec->code);
    for (char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            *p = '_';
    svg_bars chart = {
        .id = id,
        .title = web_text_tpl(r, web_t(r, "results.knowledge_title"), es->spec->name, NULL),
        .summary = web_text_tpl(r, web_t(r, "results.knowledge_intro"), min_label, NULL),
        .labels = labels,
        .values = values,
        .n = n,
        .max = 100,
        .unit = "%",
        .decimals = 0,
        .no_value = "-",
    };
    html_printf(r->out, "<section class=\"card\" id=\"knowledge\">\n<h3>%s</h3>\n<p>", web_t(r, "results.knowledge"));
    html_txt(r->out, chart.summary);
    html_raw(r->out, "</p>\n<div class=\"chart-pair\">\n");
    buf svg;
    buf_init(&svg);
    err e;
    memset(&e, 0, sizeof e);
    if (n <= SVG_ROWS_MAX && web_results_bar_chart(r, &svg, &chart, &e) == 0) {
        html_raw(r->out, "<figure class=\"chart bars\">");
        buf_raw(r->out, svg.data);
        html_printf(r->out, "<figcaption>%s</figcaption></figure>\n", chart.title);
    } else if (e.message[0]) {
        fprintf(stderr, "itss serve: knowledge chart: %s\n", e.message);
    }
    buf_free(&svg);
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"figures\">\n<caption>%s</caption>\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                chart.title, web_t(r, "results.area"), web_t(r, "results.items"), web_t(r, "results.rated"),
                web_t(r, "results.covered"), web_t(r, "results.share"));
    for (size_t i = 0; i < n; i++) {
        const engine_area *ea = &es->areas[i];
        html_printf(r->out, "<tr><th scope=\"row\">%s</th><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                            "<td class=\"num\">%d</td><td class=\"num\">",
                    ea->area->name, ea->knowledge_items, ea->knowledge_rated, ea->knowledge_covered);
        if (ea->knowledge_items)
            html_printf(r->out, "%d%%", ea->knowledge_covered * 100 / ea->knowledge_items);
        else
            html_raw(r->out, "-");
        html_raw(r->out, "</td></tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</div>\n</section>\n");
}

/* The level per specialization in every cycle: a table, and bars of the
 * selected specialization's level per cycle. */
static void put_history(web_request *r, const person_results *res)
{
    size_t n = res->assessments.count;
    if (n == 0)
        return;
    const web_eval *ev = res->ev;
    char label[64];
    html_printf(r->out, "<section class=\"card\" id=\"history\">\n<h2>%s</h2>\n<div class=\"chart-pair\">\n",
                web_t(r, "results.history"));
    size_t col = 0;
    for (size_t j = 0; res->selected && j < res->n_specs; j++)
        if (catalog_spec_at(ev->catalog, j) == res->selected->spec)
            col = j;
    if (res->selected && n <= SVG_ROWS_MAX) {
        const char **labels = web_alloc(r, n * sizeof *labels);
        double *values = web_alloc(r, n * sizeof *values);
        for (size_t i = 0; i < n; i++) {      /* oldest first */
            size_t k = n - 1 - i;
            labels[i] = res->assessments.items[k].cycle;
            int level = res->history[k * res->n_specs + col];
            values[i] = level >= 0 ? level : NAN;
        }
        svg_bars chart = {
            .id = "history-chart",
            .title = web_text_tpl(r, web_t(r, "results.history_title"), res->selected->spec->name, NULL),
            .summary = NULL,
            .labels = labels,
            .values = values,
            .n = n,
            .max = spec_top_level(ev->catalog, res->selected->spec),
            .unit = NULL,
            .decimals = 0,
            .no_value = "-",
        };
        buf svg;
        buf_init(&svg);
        err e;
        memset(&e, 0, sizeof e);
        if (web_results_bar_chart(r, &svg, &chart, &e) == 0) {
            html_raw(r->out, "<figure class=\"chart bars small\">");
            buf_raw(r->out, svg.data);
            html_printf(r->out, "<figcaption>%s</figcaption></figure>\n", chart.title);
        }
        buf_free(&svg);
    }
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"history\">\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th>",
                web_t(r, "results.cycle"), web_t(r, "results.status"));
    for (size_t j = 0; j < res->n_specs; j++)
        html_printf(r->out, "<th scope=\"col\">%s</th>", catalog_spec_at(ev->catalog, j)->name);
    html_raw(r->out, "</tr></thead>\n<tbody>\n");
    for (size_t i = n; i-- > 0;) {
        const store_assessment *a = &res->assessments.items[i];
        html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\">%s</th><td><span class=\"badge %s\">%s</span></td>",
                    a == res->current ? "selected" : "", a->cycle, assessment_status_name(a->status),
                    web_t(r, web_status_key(a->status)));
        for (size_t j = 0; j < res->n_specs; j++) {
            int level = res->history[i * res->n_specs + j];
            html_printf(r->out, "<td>%s</td>", level >= 0 ? web_reached_label(r, level, label, sizeof label) : "-");
        }
        html_raw(r->out, "</tr>\n");
    }
    html_raw(r->out, "</tbody>\n</table></div>\n</div>\n</section>\n");
}

/* The comment thread of the assessment shown; its person may answer. */
static void put_comments(web_request *r, const person_results *res)
{
    if (!res->current)
        return;
    char action[64], next[96], cycle[32];
    snprintf(action, sizeof action, "/people/%lld/comments", (long long)res->person.id);
    snprintf(next, sizeof next, "/results?cycle=%lld#comments", (long long)res->current->cycle_id);
    snprintf(cycle, sizeof cycle, "%lld", (long long)res->current->cycle_id);
    web_comment_form form = { .action = action, .cycle = cycle, .next = next };
    int own = r->user && r->user->person_id == res->person.id;
    web_comment_thread(r, &res->comments, own ? &form : NULL);
}

/* What the assessment shown says: the levels, then the specialization shown
 * in detail with its radar, the gap to the target, the explanation level by
 * level and the knowledge coverage. */
static void render_detail(web_request *r, const person_results *res, const char *path)
{
    const web_eval *ev = res->ev;
    if (res->self->n_answers_unknown) {
        char n[16];
        snprintf(n, sizeof n, "%d", res->self->n_answers_unknown);
        html_raw(r->out, "<div class=\"message notice\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, "results.unknown_answers"), n, NULL);
        html_raw(r->out, "</p></div>\n");
    }
    put_levels_table(r, res, path);
    const engine_spec *es = res->selected;
    char label[64];
    html_printf(r->out, "<section class=\"detail\" id=\"detail\">\n<h2>%s: %s</h2>\n", es->spec->name,
                web_reached_label(r, es->level, label, sizeof label));
    for (size_t i = 0; i < es->n_unmet_below; i++) {
        char n[16];
        snprintf(n, sizeof n, "%d", es->unmet_below[i]);
        html_raw(r->out, "<div class=\"message notice\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, "results.warning_lower"), n,
                     ev->policy->title ? ev->policy->title : ev->policy->id, NULL);
        html_raw(r->out, "</p></div>\n");
    }
    put_radar(r, res);
    put_gap(r, res, path);
    html_printf(r->out, "<section class=\"card explanation\" id=\"why\">\n<h3>%s</h3>\n<p class=\"muted\">%s</p>\n",
                web_t(r, "results.why"), web_t(r, "results.why_intro"));
    for (size_t i = es->n_levels; i-- > 0;)
        put_level_explanation(r, &es->levels[i]);
    html_raw(r->out, "</section>\n");
    put_knowledge(r, res);
    html_raw(r->out, "</section>\n");
}

/* render_detail through the results cache. The markup is made only of the
 * evaluated assessment (its id and revision), the words of the request's
 * language, the specialization and level chosen and the page's path, which
 * together are its key: the same key, the same bytes. */
static void put_detail(web_request *r, const person_results *res, const char *path)
{
    buf key;
    buf_init(&key);
    web_results_key_text(&key, "detail");
    buf_append(&key, &res->current->id, sizeof res->current->id);
    buf_append(&key, &res->current->revision, sizeof res->current->revision);
    web_results_key_text(&key, r->lang);
    web_results_key_text(&key, res->selected->spec->id);
    buf_append(&key, &res->target_level, sizeof res->target_level);
    web_results_key_text(&key, path);
    web_cache *cache = web_results_cache(r);
    web_cache_ref *ref;
    const char *kept = web_cache_get(cache, key.data, key.len, &ref);
    if (kept) {
        buf_raw(r->out, kept);
    } else {
        size_t start = r->out->len;
        render_detail(r, res, path);
        size_t len = r->out->len - start;
        char *made = malloc(len + 1);
        if (!made)
            abort();
        memcpy(made, r->out->data + start, len);
        made[len] = '\0';
        web_cache_put(cache, key.data, key.len, made, len + 1, free, &ref);
    }
    web_cache_return(ref);
    buf_free(&key);
}

/* The whole page of res. */
void web_results_render(web_request *r, const person_results *res)
{
    const char *path = page_path(r, res);
    const web_eval *ev = res->ev;
    char title[256];
    snprintf(title, sizeof title, "%s - %s", web_t(r, "results.title"), res->person.name);
    html_begin(r, title);
    html_printf(r->out, "<article class=\"results\">\n<header class=\"results-head\">\n<h1>%s</h1>\n"
                        "<p class=\"person\"><strong>%s</strong> <span class=\"muted\">%s</span>",
                web_t(r, "results.title"), res->person.name, res->person.employee_number);
    if (res->person.org_name)
        html_printf(r->out, " · %s", res->person.org_name);
    html_raw(r->out, "</p>\n<dl class=\"facts\">\n");
    if (res->current)
        html_printf(r->out, "<dt>%s</dt><dd>%s <span class=\"badge %s\">%s</span></dd>\n", web_t(r, "results.cycle"),
                    res->current->cycle, assessment_status_name(res->current->status),
                    web_t(r, web_status_key(res->current->status)));
    html_printf(r->out, "<dt>%s</dt><dd>%s</dd>\n<dt>%s</dt><dd>%s <span class=\"muted\">(%s %s %s)</span></dd>\n"
                        "<dt>%s</dt><dd>%s %s</dd>\n</dl>\n",
                web_t(r, "results.rater"), web_t(r, "results.rater.self"), web_t(r, "results.policy"),
                ev->policy->title ? ev->policy->title : ev->policy->id, ev->policy->id,
                web_t(r, "results.version"), ev->policy->version, web_t(r, "results.catalog"), catalog_id(ev->catalog),
                catalog_version(ev->catalog));
    if (res->assessments.count > 1) {
        html_form_get(r, path);
        html_printf(r->out, "<div class=\"row no-print\"><label for=\"cycle\">%s</label>"
                            "<select id=\"cycle\" name=\"cycle\" data-autosubmit>\n",
                    web_t(r, "results.choose_cycle"));
        for (size_t i = 0; i < res->assessments.count; i++) {
            const store_assessment *a = &res->assessments.items[i];
            html_printf(r->out, "<option value=\"%lld\"%s>%s</option>\n", (long long)a->cycle_id,
                        a == res->current ? " selected" : "", a->cycle);
        }
        html_printf(r->out, "</select><button type=\"submit\" class=\"secondary\">%s</button></div>\n",
                    web_t(r, "results.show"));
        html_form_end(r);
    }
    html_raw(r->out, "</header>\n");

    if (!res->current) {
        html_message(r, "notice", web_t(r, "results.none"));
    } else if (res->other_catalog) {
        html_raw(r->out, "<div class=\"message notice\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, "results.other_catalog"), res->current->catalog_id,
                     res->current->catalog_version, NULL);
        html_raw(r->out, "</p></div>\n");
    } else {
        put_detail(r, res, path);
    }
    web_official_html(r, res->person.id, res->current);
    web_qualifications_html(r, res->person.id, res->current, 0);
    if (r->user->person_id == res->person.id)
        html_printf(r->out, "<p class=\"no-print\"><a href=\"/plan\">%s</a></p>\n", web_t(r, "plan.to_plan"));
    else
        html_printf(r->out, "<p class=\"no-print\"><a href=\"/people/%lld/plan\">%s</a></p>\n",
                    (long long)res->person.id, web_t(r, "plan.to_plan"));
    put_history(r, res);
    put_comments(r, res);
    html_raw(r->out, "</article>\n");
    html_end(r);
}
