/* report_org.c - the organization report (report_org.h): gathers the levels of
 * a cycle (report_levels.c), counts them with portfolio.c (the one counting of
 * the 人材ポートフォリオ, for the whole and for each unit) and lays the counts
 * out as charts and tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "portfolio.h"
#include "report_org.h"
#include "report_search.h"
#include "report_skillmap.h"
#include "targets.h"
#include "xalloc.h"

/* "レベル3", or 未到達 for 0, into out. */
static const char *level_label(int level, char out[32])
{
    if (level == 0)
        return report_not_reached;
    snprintf(out, 32, "レベル%d", level);
    return out;
}

/* The 人材ポートフォリオ of the rows: a bar chart per specialization and its table. */
static void portfolio_section(report_doc *d, const catalog *cat, const portfolio *p)
{
    size_t n_specs = p->n_specs;
    int n_levels = p->n_levels;
    report_doc_heading(d, "人材ポートフォリオ");
    char line[256];
    snprintf(line, sizeof line, "集計した診断: %ld 件（うち全専門分野で%s: %ld 件）", p->assessed, report_not_reached,
             p->no_level);
    report_doc_paragraph(d, line);
    report_chart *c = report_doc_chart(d, REPORT_BARS, "専門分野別・レベル別の人数", n_specs, (size_t)n_levels);
    for (int l = 0; l < n_levels; l++) {
        char lab[32];
        report_chart_series(c, (size_t)l, level_label(l, lab));
    }
    const char **headers = xcalloc((size_t)n_levels + 2, sizeof *headers);
    char (*names)[32] = xcalloc((size_t)n_levels, sizeof *names);
    headers[0] = "専門分野";
    for (int l = 0; l < n_levels; l++)
        headers[l + 1] = level_label(l, names[l]);
    headers[n_levels + 1] = "合計";
    report_table *t = report_doc_table(d, "人材ポートフォリオ", (size_t)n_levels + 2, headers);
    for (size_t s = 0; s < n_specs; s++) {
        const catalog_spec *sp = catalog_spec_at(cat, s);
        report_chart_label(c, s, sp->name);
        size_t row = report_table_row(t);
        report_cell_text(t, row, 0, sp->name);
        long long sum = 0;
        for (int l = 0; l < n_levels; l++) {
            int v = p->counts[s * (size_t)n_levels + (size_t)l];
            report_chart_value(c, (size_t)l, s, v);
            report_cell_number(t, row, (size_t)l + 1, v);
            sum += v;
        }
        report_cell_number(t, row, (size_t)n_levels + 1, sum);
    }
    free(headers);
    free(names);
}

/* The movement of each specialization against the compared cycle. */
static void movement_section(report_doc *d, const catalog *cat, const portfolio *p, const char *before)
{
    char line[256];
    snprintf(line, sizeof line, "%sからの変化（両期間に診断のある人: %ld 人）", before, p->compared);
    report_doc_heading(d, line);
    static const char *const headers[] = { "専門分野", "上昇", "維持", "低下" };
    report_table *t = report_doc_table(d, "レベルの変化", 4, headers);
    for (size_t s = 0; s < p->n_specs; s++) {
        size_t row = report_table_row(t);
        report_cell_text(t, row, 0, catalog_spec_at(cat, s)->name);
        report_cell_number(t, row, 1, p->up[s]);
        report_cell_number(t, row, 2, p->same[s]);
        report_cell_number(t, row, 3, p->down[s]);
    }
}

/* The columns of the org table: per specialization, its levels 0 .. its highest. */
typedef struct org_columns {
    size_t n;                      /* level columns */
    size_t *spec;
    int *level;
    int n_levels;
    const char **headers;          /* 3 + n (+ 1: the units summarized, in the printed table) */
    char (*names)[96];
} org_columns;

/* The level columns of the tree's specializations and the headers of the table. */
static void org_columns_make(org_columns *oc, const catalog *cat, const orgcols_unit_tree *tree)
{
    int n_levels = tree->n_levels;
    size_t n_specs = tree->n_specs;
    oc->n = 0;
    oc->n_levels = n_levels;
    oc->spec = xcalloc(n_specs * (size_t)n_levels + 1, sizeof *oc->spec);
    oc->level = xcalloc(n_specs * (size_t)n_levels + 1, sizeof *oc->level);
    for (size_t s = 0; s < n_specs; s++) {
        int top = report_spec_level_max(cat, catalog_spec_at(cat, s));
        for (int l = 0; l <= top && l < n_levels; l++) {
            oc->spec[oc->n] = s;
            oc->level[oc->n++] = l;
        }
    }
    oc->headers = xcalloc(oc->n + 4, sizeof *oc->headers);
    oc->names = xcalloc(oc->n + 1, sizeof *oc->names);
    oc->headers[0] = "組織コード";
    oc->headers[1] = "組織名";
    oc->headers[2] = "診断数";
    for (size_t k = 0; k < oc->n; k++) {
        char lab[32];
        snprintf(oc->names[k], sizeof oc->names[k], "%s %s", catalog_spec_at(cat, oc->spec[k])->code,
                 oc->level[k] == 0 ? report_not_reached : (snprintf(lab, sizeof lab, "L%d", oc->level[k]), lab));
        oc->headers[3 + k] = oc->names[k];
    }
    oc->headers[3 + oc->n] = "省略した配下組織";
}

static void org_columns_free(org_columns *oc)
{
    free(oc->spec);
    free(oc->level);
    free(oc->headers);
    free(oc->names);
}

/* One row of the org table: a unit's counts, spec by spec and level by level;
 * hidden >= 0: the units below it that have no row of their own (the printed
 * table's last column). */
static void org_row(report_table *t, const org_columns *oc, const char *code, const char *name, int depth, int bold,
                    const orgcols_unit_levels *u, long hidden)
{
    size_t row = report_table_row(t);
    report_row_style(t, row, depth, bold);
    report_cell_text(t, row, 0, code);
    report_cell_text(t, row, 1, name);
    report_cell_number(t, row, 2, u ? u->assessed : 0);
    for (size_t k = 0; k < oc->n; k++)
        report_cell_number(t, row, 3 + k, u ? u->counts[oc->spec[k] * (size_t)oc->n_levels + (size_t)oc->level[k]] : 0);
    if (hidden > 0)
        report_cell_number(t, row, 3 + oc->n, hidden);
}

/* The whole table: every unit of units, each counting its subtree. */
static report_table *org_table_all(report_doc *d, const org_columns *oc, const store_org_list *units,
                                   const orgcols_unit_tree *tree, int whole)
{
    report_table *t = report_doc_table(d, "組織別", 3 + oc->n, oc->headers);
    for (size_t i = 0; i < units->count; i++) {
        const store_org_unit *u = &units->items[i];
        org_row(t, oc, u->code, u->name, u->depth, u->depth == 0, orgcols_tree_unit(tree, u->id, 0), -1);
    }
    if (whole && tree->none.assessed)
        org_row(t, oc, "", "（所属なし）", 0, 0, &tree->none, -1);
    return t;
}

/* The printed table: the units less than depth levels below the top, each
 * counting its subtree; under a unit whose sub-units have rows, a （直属） row
 * of its own members when any is counted, so that each unit's row is the sum
 * of the rows under it;
 * a unit at the cut says how many units below it it summarizes; the total
 * last. */
static void org_table_printed(report_doc *d, const org_columns *oc, const store_org_list *units,
                              const orgcols_unit_tree *tree, int whole, int depth)
{
    report_table *t = report_doc_table(d, "組織別", 4 + oc->n, oc->headers);
    t->print_only = 1;
    orgcols_unit_levels sum;
    memset(&sum, 0, sizeof sum);
    sum.counts = xcalloc(tree->n_specs * (size_t)tree->n_levels + 1, sizeof *sum.counts);
    for (size_t i = 0; i < units->count; i++) {
        const store_org_unit *u = &units->items[i];
        if (u->depth >= depth)
            continue;
        long below = 0;            /* the units of its subtree: they follow it, deeper */
        while (i + 1 + (size_t)below < units->count && units->items[i + 1 + (size_t)below].depth > u->depth)
            below++;
        const orgcols_unit_levels *all = orgcols_tree_unit(tree, u->id, 0), *own = orgcols_tree_unit(tree, u->id, 1);
        org_row(t, oc, u->code, u->name, u->depth, u->depth == 0, all, u->depth == depth - 1 ? below : -1);
        if (u->depth < depth - 1 && below > 0 && own && own->assessed)
            org_row(t, oc, "", "（直属）", u->depth + 1, 0, own, -1);
        if (u->depth == 0 && all) {
            sum.assessed += all->assessed;
            for (size_t k = 0; k < tree->n_specs * (size_t)tree->n_levels; k++)
                sum.counts[k] += all->counts[k];
        }
    }
    if (whole && tree->none.assessed) {
        org_row(t, oc, "", "（所属なし）", 0, 0, &tree->none, -1);
        sum.assessed += tree->none.assessed;
        for (size_t k = 0; k < tree->n_specs * (size_t)tree->n_levels; k++)
            sum.counts[k] += tree->none.counts[k];
    }
    org_row(t, oc, "", "合計", 0, 1, &sum, -1);
    free(sum.counts);
}

/* The units under the report's unit along the tree, each with its subtree's
 * counts (orgcols_levels_tree, as /hr/orgview counts them). The workbook has
 * every unit; the PDF the units less than `depth` levels below the top (0:
 * REPORT_ORG_DEPTH; below 0: every unit), the rest counted in their rows. */
static int org_section(report_doc *d, store *db, const catalog *cat, const orgcols *cols, const orgcols_scope *sc,
                       int depth, err *e)
{
    store_org_list units;
    int64_t unit_id = sc->org_unit_id;
    if ((unit_id ? store_org_descendants(db, unit_id, 1, &units, e) : store_org_list_all(db, &units, e)) < 0)
        return -1;
    orgcols_unit_tree tree;
    orgcols_levels_tree(cols, sc, &tree);
    org_columns oc;
    org_columns_make(&oc, cat, &tree);
    if (depth == 0)
        depth = REPORT_ORG_DEPTH;
    int deepest = -1;
    for (size_t i = 0; i < units.count; i++)
        if (units.items[i].depth > deepest)
            deepest = units.items[i].depth;
    report_doc_page_break(d);
    report_doc_heading(d, "組織別（各行は配下の組織を含む）");
    if (depth > 0 && deepest >= depth) {
        size_t shown = 0;
        for (size_t i = 0; i < units.count; i++)
            shown += units.items[i].depth < depth;
        char line[512];
        snprintf(line, sizeof line,
                 "上位 %d 階層の %zu 組織を表示しています。その下の %zu 組織は、それぞれの上位組織の行に含めて集計しています"
                 "（全 %zu 組織の表はワークブックの「組織別」シートにあります）。",
                 depth, shown, units.count - shown, units.count);
        report_doc_paragraph(d, line);
        org_table_printed(d, &oc, &units, &tree, !unit_id, depth);
        org_table_all(d, &oc, &units, &tree, !unit_id)->sheet_only = 1;
    } else
        org_table_all(d, &oc, &units, &tree, !unit_id);
    org_columns_free(&oc);
    orgcols_unit_tree_free(&tree);
    store_org_list_free(&units);
    return 0;
}

/* 要員計画: the targets of the cycle (of units in the report's subtree) with
 * the actual head count and the gap; nothing when HR has set none. */
static int targets_section(report_doc *d, store *db, const catalog *cat, const report_levels *lv, int64_t cycle_id,
                           int64_t unit_id, err *e)
{
    target_view v;
    if (targets_view(db, cat, lv, cycle_id, unit_id, &v, e) < 0)
        return -1;
    if (v.count) {
        report_doc_heading(d, "要員計画（目標・実績・差）");
        static const char *const headers[] = { "組織コード", "組織名", "専門分野", "レベル（以上）", "目標", "実績", "差" };
        report_table *t = report_doc_table(d, "要員計画", 7, headers);
        for (size_t i = 0; i < v.count; i++) {
            const target_gap *g = &v.rows[i];
            size_t row = report_table_row(t);
            report_cell_text(t, row, 0, g->target->org_code);
            report_cell_text(t, row, 1, g->target->org_name);
            report_cell_text(t, row, 2, g->spec ? g->spec->name : g->target->specialization_id);
            report_cell_number(t, row, 3, g->target->level);
            report_cell_number(t, row, 4, g->target->head_count);
            report_cell_number(t, row, 5, g->actual);
            report_cell_number(t, row, 6, g->gap);
        }
    }
    target_view_free(&v);
    return 0;
}

/* The talent searches of q, each with its people; a search whose conditions
 * cannot be read says so in a paragraph. */
static int searches_section(report_doc *d, store *db, const orgcols *cols, const report_org_query *q, err *e)
{
    report_doc_page_break(d);
    report_doc_heading(d, "人材検索");
    for (size_t i = 0; i < q->n_searches; i++) {
        report_search s;
        err bad;
        memset(&bad, 0, sizeof bad);
        if (report_search_parse(orgcols_catalog(cols), q->search_names[i], q->search_queries[i], &s, &bad) < 0) {
            char text[900];
            snprintf(text, sizeof text, "人材検索「%.200s」: 条件を読めません（%.600s）", q->search_names[i], bad.message);
            report_doc_paragraph(d, text);
        } else if (report_search_section(d, db, cols, q->cycle_id, q->org_unit_id, &s, e) < 0) {
            report_search_free(&s);
            return -1;
        }
        report_search_free(&s);
    }
    return 0;
}

/* Every assessment with its levels: the workbook's list (not printed). */
static void people_section(report_doc *d, const catalog *cat, const report_levels *lv)
{
    size_t n_specs = lv->n_specs, n_cols = 7 + n_specs;
    const char **headers = xcalloc(n_cols, sizeof *headers);
    static const char *const fixed[] = { "社員番号", "氏名", "組織コード", "組織名", "期間", "状態", "レベル種別" };
    for (size_t i = 0; i < 7; i++)
        headers[i] = fixed[i];
    for (size_t s = 0; s < n_specs; s++)
        headers[7 + s] = catalog_spec_at(cat, s)->name;
    report_table *t = report_doc_table(d, "レベル一覧", n_cols, headers);
    t->sheet_only = 1;
    free(headers);
    for (size_t i = 0; i < lv->list.count; i++) {
        const int *row = lv->levels + i * n_specs;
        if (!lv->kind[i] || (n_specs && row[0] < 0))
            continue;              /* no level of the kind asked */
        const store_assessment *a = &lv->list.items[i];
        size_t r = report_table_row(t);
        report_cell_text(t, r, 0, a->employee_number);
        report_cell_text(t, r, 1, a->person_name);
        report_cell_text(t, r, 2, lv->unit_code[i]);
        report_cell_text(t, r, 3, lv->unit_name[i]);
        report_cell_text(t, r, 4, a->cycle);
        report_cell_text(t, r, 5, report_status_label((int)a->status));
        report_cell_text(t, r, 6, report_level_kind_label(lv->kind[i]));
        for (size_t s = 0; s < n_specs; s++)
            report_cell_level(t, r, 7 + s, row[s]);
    }
}

/* 推移: the distribution of levels per specialization in every cycle (oldest
 * first) as a stacked bar chart and a table, counted as the portfolio is. */
static int trends_section(report_doc *d, store *db, const catalog *cat, const policy *pol, const report_org_query *q,
                          err *e)
{
    store_cycle_list cycles;
    if (store_cycle_list_all(db, &cycles, e) < 0)
        return -1;
    size_t n_specs = catalog_spec_count(cat), n = cycles.count;
    int n_levels = catalog_level_max(cat) + 1, rc = 0;
    portfolio *per = xcalloc(n + 1, sizeof *per);
    for (size_t i = 0; i < n && rc == 0; i++) {
        report_levels lv;
        report_levels_query lq = { cycles.items[i].id, q->org_unit_id, q->self, 0, q->today, q->source };
        portfolio_init(&per[i], n_specs, n_levels);
        rc = report_levels_load(db, cat, pol, &lq, &lv, e);
        if (rc == 0)
            portfolio_count(&per[i], &lv.list, lv.levels);
        report_levels_free(&lv);
    }
    if (rc == 0 && n) {
        report_doc_page_break(d);
        report_doc_heading(d, "レベル分布の推移（評価期間ごと）");
        const char **headers = xcalloc((size_t)n_levels + 2, sizeof *headers);
        char (*names)[32] = xcalloc((size_t)n_levels, sizeof *names);
        headers[0] = "専門分野";
        headers[1] = "期間";
        for (int l = 0; l < n_levels; l++)
            headers[l + 2] = level_label(l, names[l]);
        for (size_t s = 0; s < n_specs; s++) {
            char title[256];
            snprintf(title, sizeof title, "%s: 評価期間ごとのレベル分布", catalog_spec_at(cat, s)->name);
            report_chart *c = report_doc_chart(d, REPORT_BARS, title, n, (size_t)n_levels);
            for (int l = 0; l < n_levels; l++)
                report_chart_series(c, (size_t)l, headers[l + 2]);
            for (size_t k = 0; k < n; k++) {
                report_chart_label(c, k, cycles.items[n - 1 - k].name);   /* the list is latest first */
                for (int l = 0; l < n_levels; l++)
                    report_chart_value(c, (size_t)l, k, per[n - 1 - k].counts[s * (size_t)n_levels + (size_t)l]);
            }
        }
        report_table *t = report_doc_table(d, "推移", (size_t)n_levels + 2, headers);
        for (size_t s = 0; s < n_specs; s++)
            for (size_t k = 0; k < n; k++) {
                size_t i = n - 1 - k, row = report_table_row(t);
                report_cell_text(t, row, 0, catalog_spec_at(cat, s)->name);
                report_cell_text(t, row, 1, cycles.items[i].name);
                for (int l = 0; l < n_levels; l++)
                    report_cell_number(t, row, (size_t)l + 2, per[i].counts[s * (size_t)n_levels + (size_t)l]);
            }
        free(headers);
        free(names);
    }
    for (size_t i = 0; i < n; i++)
        portfolio_free(&per[i]);
    free(per);
    store_cycle_list_free(&cycles);
    return rc;
}

/* The title and the filters of the report, on every page. 1 when a cycle or
 * unit is unknown (*e says which). */
static int describe(report_doc *d, store *db, const report_org_query *q, char **compare_name, err *e)
{
    store_cycle c;
    int rc = store_cycle_get(db, q->cycle_id, &c, e);
    if (rc <= 0)
        return rc < 0 ? -1 : (err_set(e, "", 0, 0, "cycle", "no such cycle"), 1);
    report_doc_filter(d, "期間: %s", c.name);
    store_cycle_clear(&c);
    if (q->compare_cycle_id && q->compare_cycle_id != q->cycle_id) {
        rc = store_cycle_get(db, q->compare_cycle_id, &c, e);
        if (rc <= 0)
            return rc < 0 ? -1 : (err_set(e, "", 0, 0, "compare", "no such cycle to compare with"), 1);
        report_doc_filter(d, "比較: %s", c.name);
        *compare_name = xstrdup(c.name);
        store_cycle_clear(&c);
    }
    if (q->org_unit_id) {
        store_org_unit u;
        rc = store_org_get(db, q->org_unit_id, &u, e);
        if (rc <= 0)
            return rc < 0 ? -1 : (err_set(e, "", 0, 0, "unit", "no such org unit"), 1);
        report_doc_filter(d, "組織: %s %s（配下を含む）", u.code, u.name);
        store_org_unit_clear(&u);
    } else
        report_doc_filter(d, "組織: 全体");
    report_doc_filter(d, "レベル: %s", q->self ? "本人評価（自己診断から判定）" : "公式（社内認定、なければ承認時のレベル）");
    return 0;
}

int report_org_depth_parse(const char *text, int *depth)
{
    if (strcmp(text, "all") == 0) {
        *depth = -1;
        return 0;
    }
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < 1 || v > REPORT_ORG_DEPTH_MAX || text[0] == '+' || text[0] == ' ')
        return -1;
    *depth = (int)v;
    return 0;
}

int report_org_build(store *db, const catalog *cat, const policy *pol, const report_org_query *q, report_doc *out,
                     err *e)
{
    report_doc_init(out, "人材ポートフォリオ 組織レポート");
    out->landscape = 1;
    char *compare_name = NULL;
    int rc = describe(out, db, q, &compare_name, e);
    if (rc != 0)
        return rc;
    int n_levels = catalog_level_max(cat) + 1;
    report_levels now, before;
    memset(&before, 0, sizeof before);
    report_levels_query lq = { q->cycle_id, q->org_unit_id, q->self, 0, q->today, q->source };
    rc = report_levels_load(db, cat, pol, &lq, &now, e);
    lq.cycle_id = q->compare_cycle_id;
    if (rc == 0 && compare_name)
        rc = report_levels_load(db, cat, pol, &lq, &before, e);
    if (rc == 0) {
        portfolio p;
        portfolio_init(&p, now.n_specs, n_levels);
        portfolio_count(&p, &now.list, now.levels);
        portfolio_section(out, cat, &p);
        if (compare_name) {
            p.compare_cycle_id = q->compare_cycle_id;
            portfolio_compare(&p, &now.list, now.levels, &before.list, before.levels);
            movement_section(out, cat, &p, compare_name);
        }
        portfolio_free(&p);
    }
    orgcols *own = NULL;
    const orgcols *cols = q->columns;
    if (rc == 0 && !cols) {
        own = orgcols_new(cat, pol);
        rc = q->today ? orgcols_refresh_on(own, db, q->today, e) : orgcols_refresh(own, db, e);
        cols = own;
    }
    orgcols_scope sc = { q->cycle_id, q->org_unit_id, 0, q->self ? ORGCOLS_SELF : ORGCOLS_OFFICIAL };
    if (rc == 0)
        rc = org_section(out, db, cat, cols, &sc, q->depth, e);
    if (rc == 0)
        rc = targets_section(out, db, cat, &now, q->cycle_id, q->org_unit_id, e);
    if (rc == 0)
        rc = trends_section(out, db, cat, pol, q, e);
    if (rc == 0)
        rc = report_skillmap_sections(out, db, cols, &sc, e);
    if (rc == 0 && q->n_searches)
        rc = searches_section(out, db, cols, q, e);
    orgcols_free(own);
    if (rc == 0)
        people_section(out, cat, &now);
    report_levels_free(&now);
    report_levels_free(&before);
    free(compare_name);
    return rc;
}
