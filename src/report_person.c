/* report_person.c - the personal diagnosis report (report_person.h): the
 * results of one person (results.h) laid out as a report document, in
 * Japanese, quoting the standard's text as the catalog holds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "plan.h"
#include "report_levels.h"
#include "report_person.h"
#include "review.h"
#include "xalloc.h"

/* Evaluations made here when the caller gives no source: kept until the
 * report is built, then freed. */
typedef struct own_source {
    store *db;
    const results_eval *ev;
    results_evaluation **made;
    size_t n;
} own_source;

static const results_evaluation *own_get(void *ctx, const store_assessment *a, err *e)
{
    own_source *s = ctx;
    results_evaluation *x = results_evaluate(s->db, s->ev, a->id, e);
    if (x) {
        s->made = xrealloc(s->made, (s->n + 1) * sizeof *s->made);
        s->made[s->n++] = x;
    }
    return x;
}

/* The levels table: self, manager's and official level of each specialization. */
static int levels_section(report_doc *d, store *db, const person_results *res, const char *today, err *e)
{
    store_official o;
    memset(&o, 0, sizeof o);
    if (res->current && store_official_levels(db, res->current->id, today, &o, e) < 0)
        return -1;
    static const char *const headers[] = { "専門分野", "本人評価", "上長評価", "公式レベル", "公式の根拠" };
    report_doc_heading(d, "専門分野ごとのレベル");
    report_table *t = report_doc_table(d, "レベル", 5, headers);
    for (size_t s = 0; s < res->self->n_specs; s++) {
        const engine_spec *es = &res->self->specs[s];
        size_t row = report_table_row(t);
        report_cell_text(t, row, 0, es->spec->name);
        report_cell_level(t, row, 1, es->level);
        report_cell_level(t, row, 2, res->manager && s < res->manager->n_specs ? res->manager->specs[s].level : -1);
        for (size_t k = 0; k < o.count; k++)
            if (strcmp(o.items[k].specialization_id, es->spec->id) == 0) {
                report_cell_level(t, row, 3, o.items[k].level);
                char why[128];
                if (o.items[k].certified)
                    snprintf(why, sizeof why, "社内認定 %s", o.items[k].certificate_number ? o.items[k].certificate_number : "");
                else
                    snprintf(why, sizeof why, "承認");
                report_cell_text(t, row, 4, why);
            }
    }
    if (!o.count)
        report_doc_paragraph(d, "公式レベル: なし（この期間の診断は承認も社内認定もされていない）。");
    store_official_clear(&o);
    return 0;
}

/* Why each specialization has its level, in the standard's wording. */
static void explanation_section(report_doc *d, const person_results *res)
{
    for (size_t s = 0; s < res->self->n_specs; s++) {
        const engine_spec *es = &res->self->specs[s];
        if (es->level == 0 && es != res->selected)
            continue;
        char heading[256];
        snprintf(heading, sizeof heading, "判定の根拠: %s", es->spec->name);
        report_doc_heading(d, heading);
        buf b;
        buf_init(&b);
        explain_text(&b, res->self, es->spec->id);
        report_doc_paragraph(d, b.data ? b.data : "");
        buf_free(&b);
    }
}

/* The radar of proficiency per skill area against the target, with its figures. */
static void proficiency_section(report_doc *d, const person_results *res)
{
    const engine_spec *es = res->selected;
    char title[256];
    snprintf(title, sizeof title, "スキル熟達度: %s", es->spec->name);
    report_doc_heading(d, title);
    int with_target = res->target_level > 0;
    report_chart *c = report_doc_chart(d, REPORT_RADAR, title, es->n_areas, with_target ? 2 : 1);
    int max = catalog_level_max(res->ev->catalog);
    c->max = max > 0 ? max : 7;
    char target[64];
    snprintf(target, sizeof target, "目標 レベル%d", res->target_level);
    report_chart_series(c, 0, "現在");
    if (with_target)
        report_chart_series(c, 1, target);
    static const char *const headers[] = { "スキル領域", "熟達度", "目標", "知識項目", "評価済み", "基準以上", "割合(%)" };
    report_table *t = report_doc_table(d, "スキル熟達度と知識", 7, headers);
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        report_chart_label(c, i, ea->area->name);
        report_chart_value(c, 0, i, ea->proficiency_level);
        if (with_target)
            report_chart_value(c, 1, i, res->target_level);
        size_t row = report_table_row(t);
        report_cell_text(t, row, 0, ea->area->name);
        report_cell_number(t, row, 1, ea->proficiency_level);
        if (with_target)
            report_cell_number(t, row, 2, res->target_level);
        report_cell_number(t, row, 3, ea->knowledge_items);
        report_cell_number(t, row, 4, ea->knowledge_rated);
        report_cell_number(t, row, 5, ea->knowledge_covered);
        report_cell_number(t, row, 6, engine_knowledge_percent(ea));
    }
}

/* What is missing for the target level, item by item in the standard's words. */
static void gap_section(report_doc *d, const person_results *res)
{
    if (res->target_level <= 0)
        return;
    char heading[256];
    snprintf(heading, sizeof heading, "目標との差: %s レベル%d", res->selected->spec->name, res->target_level);
    report_doc_heading(d, heading);
    plan_gap g;
    plan_gap_build(res->ev->catalog, res->ev->policy, res->self, res->answers, res->selected->spec,
                   res->target_level, &g);
    if (g.n == 0) {
        report_doc_paragraph(d, "目標のレベルに足りない項目はない。");
        plan_gap_free(&g);
        return;
    }
    static const char *const headers[] = { "区分", "レベル", "スキル領域", "標準の記述" };
    report_table *t = report_doc_table(d, "目標との差", 4, headers);
    for (size_t i = 0; i < g.n; i++) {
        const plan_gap_item *it = &g.items[i];
        size_t row = report_table_row(t);
        report_cell_text(t, row, 0, it->label);
        report_cell_number(t, row, 1, it->level);
        report_cell_text(t, row, 2, it->area ? it->area->name : "");
        report_cell_text(t, row, 3, it->text ? it->text : "成功した実績（経験の記録）");
    }
    plan_gap_free(&g);
}

/* The person's 社内認定 certificates with their state on today. */
static int certificate_section(report_doc *d, store *db, const person_results *res, const char *today, err *e)
{
    store_certificate_filter f;
    memset(&f, 0, sizeof f);
    f.person_id = res->person.id;
    store_certificate_list l;
    if (store_certificate_list_filter(db, &f, &l, e) < 0)
        return -1;
    report_doc_heading(d, "社内認定");
    if (l.count == 0)
        report_doc_paragraph(d, "社内認定: なし");
    else {
        static const char *const headers[] = { "認定番号", "専門分野", "レベル", "認定日", "有効期間", "状態" };
        report_table *t = report_doc_table(d, "社内認定", 6, headers);
        for (size_t i = 0; i < l.count; i++) {
            const store_certificate *c = &l.items[i];
            catalog_element el;
            int known = catalog_find(res->ev->catalog, c->specialization_id, &el) && el.spec;
            size_t row = report_table_row(t);
            char period[64];
            snprintf(period, sizeof period, "%s〜%s", c->valid_from, c->valid_until);
            report_cell_text(t, row, 0, c->number);
            report_cell_text(t, row, 1, known ? el.spec->name : c->specialization_id);
            report_cell_number(t, row, 2, c->level);
            report_cell_text(t, row, 3, c->certified_on);
            report_cell_text(t, row, 4, period);
            report_cell_text(t, row, 5, c->revoked_at ? "取消" : strcmp(today, c->valid_until) > 0 ? "期限切れ"
                                        : strcmp(today, c->valid_from) < 0 ? "有効期間前" : "有効");
        }
    }
    store_certificate_list_free(&l);
    return 0;
}

int report_person_doc(store *db, const person_results *res, const char *today, report_doc *out, err *e)
{
    report_doc_init(out, "個人診断レポート");
    char day[11];
    if (!today) {
        review_today(day);
        today = day;
    }
    if (!res->current || res->other_catalog || !res->self) {
        err_set(e, "", 0, 0, "cycle", "no assessment to report on");
        return 1;
    }
    report_doc_filter(out, "氏名: %s（%s）", res->person.name, res->person.employee_number);
    report_doc_filter(out, "所属: %s", res->person.org_name ? res->person.org_name : "なし");
    report_doc_filter(out, "期間: %s（%s）", res->current->cycle, report_status_label((int)res->current->status));
    if (res->target_level > 0)
        report_doc_filter(out, "目標: %s レベル%d", res->selected->spec->name, res->target_level);
    report_doc_filter(out, "レベル: 本人評価・上長評価・公式（社内認定、なければ承認）");
    report_doc_filter(out, "%s 時点", today);
    if (levels_section(out, db, res, today, e) < 0 || certificate_section(out, db, res, today, e) < 0)
        return -1;
    proficiency_section(out, res);
    gap_section(out, res);
    explanation_section(out, res);
    return 0;
}

results_status report_person_build(store *db, const results_eval *ev, const results_source *src,
                                   int64_t person_id, const report_person_query *q, report_doc *out, err *e)
{
    own_source own = { db, ev, NULL, 0 };
    results_source mine = { own_get, &own };
    results_query rq = { q->cycle, NULL, q->target };
    person_results res;
    results_status st = results_load(db, ev, src ? src : &mine, person_id, &rq, &res, e);
    if (st == RESULTS_OK) {
        int rc = report_person_doc(db, &res, q->today, out, e);
        st = rc < 0 ? RESULTS_FAILED : rc > 0 ? RESULTS_NO_ASSESSMENT_IN_CYCLE : RESULTS_OK;
    } else
        report_doc_init(out, "個人診断レポート");
    results_clear(&res);
    for (size_t i = 0; i < own.n; i++)
        results_evaluation_free(own.made[i]);
    free(own.made);
    return st;
}
