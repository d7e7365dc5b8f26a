/* plan.c - the gap to a target level, and the rules of a target (plan.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "rules.h"

/* Appends one item to g. */
static plan_gap_item *add(plan_gap *g, size_t *cap)
{
    if (g->n == *cap) {
        *cap = *cap ? 2 * *cap : 32;
        g->items = realloc(g->items, *cap * sizeof *g->items);
        if (!g->items)
            abort();
    }
    plan_gap_item *it = &g->items[g->n++];
    memset(it, 0, sizeof *it);
    return it;
}

void plan_gap_build(const catalog *c, const policy *p, const engine_result *r, const assessment *a,
                    const catalog_spec *spec, int target, plan_gap *out)
{
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    const engine_spec *es = engine_result_spec(r, spec->id);
    if (!es)
        return;
    const engine_level *lv = NULL;
    for (size_t i = 0; i < es->n_levels; i++)
        if (es->levels[i].level == target)
            lv = &es->levels[i];
    /* the target level's achievement indicators not met, item by item */
    for (int k = 0; lv && k < ENGINE_CRITERIA; k++) {
        const engine_criterion *cr = &lv->criteria[k];
        if (cr->met)
            continue;
        if (k == ENGINE_EXPERIENCE) {
            plan_gap_item *it = add(out, &cap);
            it->element_id = lv->indicators->id;
            it->kind = "experience";
            it->label = engine_criterion_label((engine_criterion_kind)k);
            it->level = target;
            continue;
        }
        for (size_t i = 0; i < cr->n_missing; i++) {
            plan_gap_item *it = add(out, &cap);
            it->element_id = cr->missing[i]->id;
            it->kind = k == ENGINE_RESPONSIBILITY ? "responsibility" : "check_item";
            it->label = engine_criterion_label((engine_criterion_kind)k);
            it->text = cr->missing[i]->text;
            it->level = target;
        }
    }
    /* proficiency up to the target not met, then knowledge below the minimum */
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        for (size_t j = 0; j < ea->n_steps; j++) {
            const engine_proficiency *st = &ea->steps[j];
            if (st->level > target || st->met)
                continue;
            plan_gap_item *it = add(out, &cap);
            it->element_id = st->description->id;
            it->kind = "proficiency";
            it->label = "スキル熟達度";
            it->text = st->description->text;
            it->level = st->level;
            it->area = ea->area;
        }
    }
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        const catalog_spec_area *sa = catalog_spec_area_of(c, spec, ea->area, target);
        for (size_t k = 0; sa && k < sa->n_knowledge; k++)
            for (size_t j = 0; j < sa->knowledge[k].n_items; j++) {
                const catalog_item *ki = &sa->knowledge[k].items[j];
                const assessment_answer *x = a ? assessment_get_answer(a, ki->id, RATER_SELF) : NULL;
                if (x && x->value >= p->knowledge_min_rating)
                    continue;
                plan_gap_item *it = add(out, &cap);
                it->element_id = ki->id;
                it->kind = "knowledge_item";
                it->label = "知識項目";
                it->text = ki->text;
                it->level = target;
                it->area = ea->area;
                it->category = &sa->knowledge[k];
            }
    }
}

void plan_gap_free(plan_gap *g)
{
    free(g->items);
    g->items = NULL;
    g->n = 0;
}

int plan_gap_has(const plan_gap *g, const char *element_id)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->items[i].element_id, element_id) == 0)
            return 1;
    return 0;
}

/* 1 when s is a real date YYYY-MM-DD. */
static int real_date(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' || s[7] != '-')
        return 0;
    static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] && !(m == 2 && d == 29 && !leap);
}

int plan_check_target(const catalog *c, const catalog_spec *spec, int level, const char *date, const char *today,
                      err *e)
{
    int lo = 0, hi = 0;
    catalog_spec_level_range(c, spec, &lo, &hi);
    if (level < lo || level > hi || !catalog_level_of(c, spec, level)) {
        return err_refuse(e, ERR_INVALID, "plan.level", "level",
                          "%s (%s) has levels %d to %d; level %d is not one of them",
                          spec->name, spec->code, lo, hi, level);
    }
    if (!real_date(date)) {
        return err_refuse(e, ERR_INVALID, "plan.date", "date", "'%s' is not a date (YYYY-MM-DD)", date ? date : "");
    }
    if (strcmp(date, today) < 0) {
        return err_refuse(e, ERR_INVALID, "plan.date_past", "date", "%s is in the past (today is %s)", date, today);
    }
    return 0;
}

size_t plan_item_topics(const plan_gap_item *it, const char **ids)
{
    size_t n = 0;
    if (it->area)
        ids[n++] = it->area->id;
    if (it->category)
        ids[n++] = it->category->id;
    return n;
}

void plan_today(char out[11])
{
    rules_today(out);
}
