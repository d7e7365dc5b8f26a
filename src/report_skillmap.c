/* report_skillmap.c - the skill map's sections of the organization report
 * (report_skillmap.h). */
#include "report_skillmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The name of a view's row: the unit's (with （直属） for its own members) or 合計. Into out. */
static void row_name(const store_org_list *units, int64_t unit_id, int direct, char *out, size_t size)
{
    const char *name = "?";
    for (size_t i = 0; i < units->count; i++)
        if (units->items[i].id == unit_id)
            name = units->items[i].name;
    if (!unit_id)
        snprintf(out, size, "合計");
    else
        snprintf(out, size, "%s%s", name, direct ? "（直属）" : "");
}

/* Proficiency by unit × area: a row per (unit, area) with the people counted
 * and how many reached each proficiency level. */
static void proficiency_section(report_doc *d, const catalog *cat, const store_org_list *units, const orgcols_grid *g)
{
    size_t n_cols = 4 + (size_t)g->n_levels;
    const char **headers = xcalloc(n_cols, sizeof *headers);
    char (*names)[32] = xcalloc(n_cols, sizeof *names);
    headers[0] = "組織";
    headers[1] = "スキル領域";
    headers[2] = "診断数";
    headers[3] = "平均レベル（×10）";
    for (int l = 0; l < g->n_levels; l++) {
        snprintf(names[l], sizeof names[l], "熟達度L%d", l);
        headers[4 + l] = names[l];
    }
    report_doc_page_break(d);
    report_doc_heading(d, "スキルマップ：熟達度（組織×スキル領域、各組織は配下を含む）");
    report_table *t = report_doc_table(d, "スキルマップ 熟達度", n_cols, headers);
    for (size_t row = 0; row < g->n_rows; row++) {
        char name[300];
        row_name(units, g->unit_ids[row], g->direct[row], name, sizeof name);
        for (size_t a = 0; a < g->n_areas; a++) {
            if (!g->has_area[a])
                continue;
            const int64_t *c = &g->counts[(row * g->n_areas + a) * (size_t)g->n_levels];
            int64_t n = 0, sum = 0;
            for (int l = 0; l < g->n_levels; l++) {
                n += c[l];
                sum += c[l] * l;
            }
            size_t r = report_table_row(t);
            report_row_style(t, r, 0, g->unit_ids[row] == 0);
            report_cell_text(t, r, 0, name);
            report_cell_text(t, r, 1, catalog_area_at(cat, a)->name);
            report_cell_number(t, r, 2, g->people[row]);
            report_cell_number(t, r, 3, n ? (sum * 10 + n / 2) / n : 0);
            for (int l = 0; l < g->n_levels; l++)
                report_cell_number(t, r, 4 + (size_t)l, c[l]);
        }
    }
    free(headers);
    free(names);
}

/* The share of a coverage cell rated at or above the minimum, in percent (-1: no items). */
static long long share_of(const orgcols_cov_cell *c)
{
    return c->items ? (c->covered * 100 + c->items / 2) / c->items : -1;
}

/* Knowledge coverage by unit × area × category: a row per cell (the workbook
 * only), then the total's categories weakest first. */
static void coverage_section(report_doc *d, const store_org_list *units, const orgcols_coverage *cv)
{
    static const char *const headers[] = { "組織", "スキル領域", "知識カテゴリ", "項目×人", "評価あり", "基準以上",
                                            "基準以上の割合（%）", "平均評価（×10）" };
    report_doc_heading(d, "スキルマップ：知識のカバー率（組織×スキル領域×知識カテゴリ）");
    report_table *t = report_doc_table(d, "スキルマップ 知識", 8, headers);
    t->sheet_only = 1;
    for (size_t row = 0; row < cv->n_rows; row++) {
        char name[300];
        row_name(units, cv->unit_ids[row], cv->direct[row], name, sizeof name);
        for (size_t c = 0; c < cv->n_cols; c++) {
            const orgcols_cov_cell *x = &cv->cells[row * cv->n_cols + c];
            if (!x->items)
                continue;
            size_t r = report_table_row(t);
            report_row_style(t, r, 0, cv->unit_ids[row] == 0);
            report_cell_text(t, r, 0, name);
            report_cell_text(t, r, 1, cv->cols[c].area->name);
            report_cell_text(t, r, 2, cv->cols[c].category ? cv->cols[c].category->name : "");
            report_cell_number(t, r, 3, x->items);
            report_cell_number(t, r, 4, x->rated);
            report_cell_number(t, r, 5, x->covered);
            report_cell_number(t, r, 6, share_of(x));
            report_cell_number(t, r, 7, x->rated ? (x->rating_sum * 10 + x->rated / 2) / x->rated : 0);
        }
    }
}

/* A category of the total row, for the weakest-first list. */
typedef struct weak {
    const orgcols_cov_column *col;
    const orgcols_cov_cell *cell;
} weak;

static int by_share(const void *a, const void *b)
{
    const weak *x = a, *y = b;
    long long p = share_of(x->cell), q = share_of(y->cell);
    return p != q ? (p < q ? -1 : 1) : strcmp(x->col->category->name, y->col->category->name);
}

/* The total's knowledge categories, weakest first (what training the scope needs). */
static void weakest_section(report_doc *d, const orgcols_coverage *cv)
{
    static const char *const headers[] = { "知識カテゴリ", "スキル領域", "基準以上の割合（%）", "平均評価（×10）" };
    size_t total = cv->n_rows - 1, n = 0;
    weak *w = xcalloc(cv->n_cols + 1, sizeof *w);
    for (size_t c = 0; c < cv->n_cols; c++)
        if (cv->cols[c].category && cv->cells[total * cv->n_cols + c].items)
            w[n++] = (weak){ &cv->cols[c], &cv->cells[total * cv->n_cols + c] };
    qsort(w, n, sizeof *w, by_share);
    report_doc_heading(d, "知識カテゴリ（弱い順、全体）");
    report_table *t = report_doc_table(d, "知識 弱い順", 4, headers);
    for (size_t i = 0; i < n; i++) {
        size_t r = report_table_row(t);
        report_cell_text(t, r, 0, w[i].col->category->name);
        report_cell_text(t, r, 1, w[i].col->area->name);
        report_cell_number(t, r, 2, share_of(w[i].cell));
        report_cell_number(t, r, 3, w[i].cell->rated ? (w[i].cell->rating_sum * 10 + w[i].cell->rated / 2) / w[i].cell->rated : 0);
    }
    free(w);
}

int report_skillmap_sections(report_doc *d, store *db, const orgcols *cols, const orgcols_scope *sc, err *e)
{
    store_org_list units;
    if (store_org_list_all(db, &units, e) < 0)
        return -1;
    orgcols_grid g;
    orgcols_coverage cv;
    int rc = orgcols_skillmap(cols, sc, -1, &g, &cv);     /* one pass: both sections */
    if (rc == 0) {
        proficiency_section(d, orgcols_catalog(cols), &units, &g);
        orgcols_grid_free(&g);
        coverage_section(d, &units, &cv);
        weakest_section(d, &cv);
        orgcols_coverage_free(&cv);
    }
    store_org_list_free(&units);
    if (rc < 0)
        err_set(e, "", 0, 0, "columns", "the organization's columns hold levels only");
    return rc;
}
