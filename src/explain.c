/* explain.c - an engine result in words (see explain.h): Japanese text quoting
 * the standard, for `itss level --explain` and any face that shows plain text.
 *
 * The engine gives the facts (engine.h: each criterion met or not, its count
 * against the policy's threshold, the items missing, the shortfall for the next
 * level); this file only words them. */
#include "explain.h"

#include <string.h>

/* 本人 / 上司: whose answers were evaluated. */
static const char *rater_label(assessment_rater r)
{
    return r == RATER_MANAGER ? "上司" : "本人";
}

/* The threshold of a checklist criterion in words, e.g. "2項目以上が必要". */
static void put_threshold(buf *out, const engine_criterion *cr)
{
    switch (engine_criterion_threshold(cr)) {
    case ENGINE_THRESHOLD_UNSET: buf_puts(out, "判定方針に基準がありません"); break;
    case ENGINE_THRESHOLD_NONE: buf_puts(out, "要件なし"); break;
    case ENGINE_THRESHOLD_ALL: buf_printf(out, "すべて（%d項目）が必要", cr->required); break;
    case ENGINE_THRESHOLD_AT_LEAST: buf_printf(out, "%d項目以上が必要", cr->required); break;
    }
}

/* "（実績: 名前, 名前）" for the records an answer links. */
static void put_evidence(buf *out, const engine_result *r, const assessment_answer *x)
{
    if (!x || x->n_evidence == 0)
        return;
    buf_puts(out, "（実績: ");
    for (size_t i = 0; i < x->n_evidence; i++) {
        const assessment_experience *rec = r->assessment ? assessment_find_experience(r->assessment, x->evidence[i])
                                                         : NULL;
        if (i)
            buf_puts(out, "、");
        buf_puts(out, rec && rec->project ? rec->project : x->evidence[i]);
    }
    buf_puts(out, "）");
}

/* Appends text with every line after the first indented by `indent`, so that a
 * text of several paragraphs stays inside its block. */
static void put_indented(buf *out, const char *text, const char *indent)
{
    for (const char *p = text; *p; p++) {
        buf_putc(out, *p);
        if (*p == '\n' && p[1])
            buf_puts(out, indent);
    }
}

/* One item line: ○ met, × answered not met, － unanswered; then the standard's text. */
static void put_item(buf *out, const engine_result *r, const engine_criterion *cr, int i, const char *indent)
{
    const assessment_answer *x = cr->item_answers[i];
    buf_printf(out, "%s%s ", indent, cr->item_met[i] ? "○" : x ? "×" : "－");
    put_indented(out, cr->items[i].text, indent);
    if (!x)
        buf_puts(out, "（未回答）");
    else if (!cr->item_met[i] && x->value > 0)
        buf_puts(out, "（実績の裏付けなし）");
    put_evidence(out, r, x);
    buf_putc(out, '\n');
}

/* 満たす / 満たさない. */
static const char *met_word(int met)
{
    return met ? "満たす" : "満たさない";
}

/* The experience criterion in one line. */
static void put_experience(buf *out, const engine_criterion *x, int level)
{
    buf_printf(out, "成功した実績 %d件", x->count);
    if (x->required < 0)
        buf_puts(out, "（判定方針に基準がありません）");
    else
        buf_printf(out, "（%d件以上が必要）", x->required);
    buf_printf(out, "、うちレベル%d以上 %d件（%d件以上が必要）", level, x->at_level, x->at_level_required);
    if (x->failed)
        buf_printf(out, "、失敗した実績 %d件は数えない", x->failed);
}

/* Every criterion of one level, quoting the standard. */
static void put_level(buf *out, const engine_result *r, const engine_level *lv)
{
    buf_printf(out, "  レベル%d（%s）: %s\n", lv->level, lv->indicators->id, lv->met ? "達成" : "未達成");
    for (int k = 0; k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &lv->criteria[k];
        buf_printf(out, "    %s: ", engine_criterion_label((engine_criterion_kind)k));
        if (k == ENGINE_EXPERIENCE) {
            put_experience(out, cr, lv->level);
            buf_printf(out, " … %s\n", met_word(cr->met));
            continue;
        }
        if (k == ENGINE_RESPONSIBILITY) {
            buf_printf(out, "%s\n", cr->required ? met_word(cr->met) : "判定方針により問わない");
            put_item(out, r, cr, 0, "      ");
            continue;
        }
        if (cr->listed == 0) {
            buf_puts(out, "掲げられた項目なし（");
        } else {
            buf_printf(out, "%d項目中%d項目（", cr->listed, cr->count);
        }
        put_threshold(out, cr);
        buf_printf(out, "） … %s\n", met_word(cr->met));
        const catalog_criterion *def = &lv->indicators->criteria[k - ENGINE_COMPLEXITY];
        buf_puts(out, "      「");
        put_indented(out, def->lead, "        ");
        buf_puts(out, "」\n");
        for (int i = 0; i < cr->listed; i++)
            put_item(out, r, cr, i, "      ");
        for (size_t i = 0; i < def->n_notes; i++) {
            buf_puts(out, "      ");
            put_indented(out, def->notes[i].text, "      ");
            buf_putc(out, '\n');
        }
    }
}

/* What the level `next` still needs, criterion by criterion. */
static void put_needs(buf *out, const engine_level *next)
{
    buf_printf(out, "  次のレベル（レベル%d）に必要なこと:\n", next->level);
    for (int k = 0; k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &next->criteria[k];
        if (cr->met)
            continue;
        const char *label = engine_criterion_label((engine_criterion_kind)k);
        if (cr->required < 0) {
            buf_printf(out, "    ・%s: 判定方針にこのレベルの基準がありません\n", label);
            continue;
        }
        if (k == ENGINE_EXPERIENCE) {
            int short_by = engine_criterion_short_by(cr), short_at = engine_criterion_short_at_level(cr);
            buf_printf(out, "    ・%s:", label);
            if (short_by > 0)
                buf_printf(out, " 成功した実績があと%d件", short_by);
            if (short_at > 0)
                buf_printf(out, "%s レベル%d以上の成功した実績があと%d件", short_by > 0 ? "、" : "", next->level,
                           short_at);
            buf_putc(out, '\n');
            continue;
        }
        if (k == ENGINE_RESPONSIBILITY) {
            buf_printf(out, "    ・%s: 「", label);
            put_indented(out, cr->items[0].text, "      ");
            buf_puts(out, "」\n");
            continue;
        }
        buf_printf(out, "    ・%s: あと%d項目。満たしていない項目:\n", label, engine_criterion_short_by(cr));
        for (size_t i = 0; i < cr->n_missing; i++) {
            buf_puts(out, "        「");
            put_indented(out, cr->missing[i]->text, "          ");
            buf_puts(out, "」\n");
        }
    }
}

/* The specialization's experience records, as the level criteria count them. */
static void put_records(buf *out, const engine_result *r, const engine_spec *es)
{
    const assessment *a = r->assessment;
    int any = 0;
    for (size_t i = 0; a && i < a->n_experience; i++) {
        const assessment_experience *x = &a->experience[i];
        if (!x->specialization_id || strcmp(x->specialization_id, es->spec->id) != 0)
            continue;
        if (!any)
            buf_puts(out, "  実績:\n");
        any = 1;
        buf_printf(out, "    ・%s（%s〜%s、レベル%d、%s）", x->project ? x->project : x->id,
                   x->period_from ? x->period_from : "", x->period_to ? x->period_to : "",
                   x->level, x->succeeded ? "成功" : "失敗");
        if (x->role && x->role[0])
            buf_printf(out, " 役割: %s", x->role);
        buf_putc(out, '\n');
    }
    if (!any)
        buf_puts(out, "  実績: 登録なし\n");
}

/* The level reached in words: "レベル4" or "未到達（レベル0）". */
static void put_level_reached(buf *out, int level)
{
    if (level > 0)
        buf_printf(out, "レベル%d", level);
    else
        buf_puts(out, "未到達（レベル0）");
}

/* The whole explanation of one specialization. */
static void explain_spec(buf *out, const engine_result *r, const engine_spec *es)
{
    const policy *p = r->policy;
    buf_printf(out, "■ %s（%s）: ", es->spec->name, es->spec->id);
    put_level_reached(out, es->level);
    buf_putc(out, '\n');
    put_records(out, r, es);
    for (size_t i = 0; i < es->n_levels; i++)
        put_level(out, r, &es->levels[i]);
    if (es->next)
        put_needs(out, es->next);
    else if (es->level > 0)
        buf_puts(out, "  この専門分野の最も高いレベルに到達しています。\n");
    for (size_t i = 0; i < es->n_unmet_below; i++)
        buf_printf(out, "  警告: 下位のレベル%dの達成度指標を満たしていません（判定方針「%s」により到達レベルの妨げにはしません）\n",
                   es->unmet_below[i], p->title ? p->title : p->id);
    if (es->n_areas)
        buf_puts(out, "  スキル熟達度と知識項目:\n");
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        buf_printf(out, "    %s: 熟達度 ", ea->area->name);
        put_level_reached(out, ea->proficiency_level);
        buf_printf(out, "、知識項目 %d項目中%d項目が「%s」以上", ea->knowledge_items, ea->knowledge_covered,
                   assessment_rating_label(p->knowledge_min_rating));
        if (ea->knowledge_items)
            buf_printf(out, "（%d%%）", engine_knowledge_percent(ea));
        buf_putc(out, '\n');
        /* The description of the level reached and of the one above it. */
        for (size_t j = 0; j < ea->n_steps; j++) {
            const engine_proficiency *st = &ea->steps[j];
            if (st->level < ea->proficiency_level)
                continue;
            buf_printf(out, "      %s レベル%d: ", st->met ? "○" : st->answered ? "×" : "－", st->level);
            put_indented(out, st->description->text, "        ");
            buf_puts(out, st->answered ? "\n" : "（未回答）\n");
            if (st->level > ea->proficiency_level)
                break;
        }
    }
}

/* The heading every explanation starts with: whose, what, under which policy. */
static void put_heading(buf *out, const engine_result *r)
{
    const assessment *a = r->assessment;
    const policy *p = r->policy;
    if (a && (a->person_name || a->employee_number))
        buf_printf(out, "%s（%s）", a->person_name ? a->person_name : "", a->employee_number ? a->employee_number : "");
    if (a && a->cycle)
        buf_printf(out, " %s", a->cycle);
    buf_printf(out, " %s の評価による判定\n", rater_label(r->rater));
    buf_printf(out, "カタログ: %s %s / 判定方針: %s 版%s「%s」\n", catalog_id(r->catalog), catalog_version(r->catalog),
               p->id, p->version, p->title ? p->title : "");
    if (r->n_answers_unknown)
        buf_printf(out, "注意: カタログにない要素への回答 %d件は判定に使っていません\n", r->n_answers_unknown);
}

/* Appends the explanation of r (one specialization when spec_id is given) to out. */
void explain_text(buf *out, const engine_result *r, const char *spec_id)
{
    put_heading(out, r);
    for (size_t i = 0; i < r->n_specs; i++) {
        const engine_spec *es = &r->specs[i];
        if (spec_id && strcmp(es->spec->id, spec_id) != 0)
            continue;
        buf_putc(out, '\n');
        explain_spec(out, r, es);
    }
}

/* Appends one line per specialization: name, level reached, warnings. */
void explain_summary(buf *out, const engine_result *r)
{
    for (size_t i = 0; i < r->n_specs; i++) {
        const engine_spec *es = &r->specs[i];
        buf_pad(out, es->spec->name, 26);
        put_level_reached(out, es->level);
        if (es->n_unmet_below) {
            buf_puts(out, "（警告: 下位のレベル");
            for (size_t j = 0; j < es->n_unmet_below; j++)
                buf_printf(out, "%s%d", j ? "・" : "", es->unmet_below[j]);
            buf_puts(out, "が未達成）");
        }
        buf_putc(out, '\n');
    }
}

