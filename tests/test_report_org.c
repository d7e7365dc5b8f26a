/* test_report_org.c - the organization report's 組織別 at a chosen depth
 * (report_org.h): on a generated organization (itss demo --people 300: three
 * levels of units), the printed table has a row for each unit less than
 * `depth` levels down and no other unit; each unit's row is the sum of the
 * rows under it (its （直属） row and its sub-units'); a unit at the cut says
 * how many units below it it summarizes; the total adds up to the
 * portfolio's assessments; the rows equal the workbook table's (every unit),
 * and the line above the table says how many units are shown and summarized.
 * Without a cut (depth all, or deeper than the tree) there is one table, in
 * the workbook and the PDF alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cli_demo_org.h"
#include "policy.h"
#include "report_org.h"
#include "store.h"

static char dir[64], path[128];
static catalog *cat;
static policy *pol;
static store *db;
static int64_t cycle_id;

#define TODAY "2026-12-01"

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/itss-test-report-org-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/org.db", dir);
    cat = catalog_load_builtin(NULL);
    pol = policy_load_builtin(NULL);
    if (!cat || !pol)
        return -1;
    err e = { 0 };
    db = store_open(path, STORE_CREATE, &e);
    if (!db || store_catalog_use(db, catalog_id(cat), catalog_version(cat), NULL, &e) < 0
        || demo_org_fill(db, cat, pol, 300, 2, -1, &e) < 0) {
        fprintf(stderr, "setup: %s\n", e.message);
        return -1;
    }
    store_cycle_list cycles;
    if (store_cycle_list_all(db, &cycles, &e) < 0 || cycles.count == 0)
        return -1;
    cycle_id = cycles.items[0].id;
    store_cycle_list_free(&cycles);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    catalog_free(cat);
    policy_free(pol);
    const char *suffixes[] = { "", "-wal", "-shm" };
    char p[160];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

/* The report of everyone (self levels) with 組織別 `depth` levels deep, or of unit. */
static void build(int depth, int64_t unit, report_doc *d)
{
    report_org_query q;
    memset(&q, 0, sizeof q);
    q.cycle_id = cycle_id;
    q.org_unit_id = unit;
    q.self = 1;
    q.today = TODAY;
    q.depth = depth;
    err e = { 0 };
    int rc = report_org_build(db, cat, pol, &q, d, &e);
    if (rc != 0)
        fail_msg("report_org_build: %s", e.message);
}

/* The tables titled title: the one printed only (or NULL) and the other. */
static void tables(const report_doc *d, const char *title, const report_table **printed, const report_table **other)
{
    *printed = *other = NULL;
    for (size_t i = 0; i < d->n_blocks; i++) {
        const report_table *t = d->blocks[i].table;
        if (d->blocks[i].kind != REPORT_TABLE_BLOCK || strcmp(t->title, title) != 0)
            continue;
        if (t->print_only)
            *printed = t;
        else
            *other = t;
    }
}

static const char *text_at(const report_table *t, size_t row, size_t col)
{
    const report_cell *c = report_table_cell(t, row, col);
    return c->kind == REPORT_TEXT ? c->text : "";
}

static long long number_at(const report_table *t, size_t row, size_t col)
{
    const report_cell *c = report_table_cell(t, row, col);
    return c->kind == REPORT_NUMBER ? c->number : 0;
}

/* The row of t whose code is code, or SIZE_MAX. */
static size_t row_of(const report_table *t, const char *code)
{
    for (size_t r = 0; r < t->n_rows; r++)
        if (strcmp(text_at(t, r, 0), code) == 0)
            return r;
    return SIZE_MAX;
}

/* The units of the report (the whole organization, or unit and below), with depths. */
static void units_of(int64_t unit, store_org_list *units)
{
    err e = { 0 };
    assert_int_equal(unit ? store_org_descendants(db, unit, 1, units, &e) : store_org_list_all(db, units, &e), 0);
}

/* The paragraph right before the printed table, or NULL. */
static const char *line_before(const report_doc *d, const report_table *t)
{
    for (size_t i = 1; i < d->n_blocks; i++)
        if (d->blocks[i].kind == REPORT_TABLE_BLOCK && d->blocks[i].table == t)
            return d->blocks[i - 1].kind == REPORT_PARAGRAPH ? d->blocks[i - 1].text : NULL;
    return NULL;
}

/* Checks the printed 組織別 of d (depth levels of units, of unit or everyone). */
static void check_printed(const report_doc *d, int depth, int64_t unit)
{
    const report_table *pt, *all;
    tables(d, "組織別", &pt, &all);
    assert_non_null(pt);
    assert_non_null(all);
    assert_true(all->sheet_only);
    store_org_list units;
    units_of(unit, &units);
    size_t n_cols = pt->n_cols, hidden_col = n_cols - 1, shown = 0;
    assert_int_equal(all->n_cols, n_cols - 1);
    /* A row per unit less than depth levels down, as the workbook counts it, and no other unit. */
    for (size_t i = 0; i < units.count; i++) {
        const store_org_unit *u = &units.items[i];
        size_t r = row_of(pt, u->code), w = row_of(all, u->code);
        assert_true(w != SIZE_MAX);
        if (u->depth >= depth) {
            assert_true(r == SIZE_MAX);
            continue;
        }
        shown++;
        assert_true(r != SIZE_MAX);
        for (size_t c = 2; c < n_cols - 1; c++)
            assert_int_equal(number_at(pt, r, c), number_at(all, w, c));
        /* At the cut: the units below it, which have no row. */
        long long below = 0;
        for (size_t j = i + 1; j < units.count && units.items[j].depth > u->depth; j++)
            below++;
        assert_int_equal(number_at(pt, r, hidden_col), u->depth == depth - 1 ? below : 0);
        /* Above the cut: the row is the sum of the rows under it (its own members', its sub-units'). */
        if (u->depth < depth - 1 && below) {
            for (size_t c = 2; c < n_cols - 1; c++) {
                long long sum = 0;
                for (size_t k = r + 1; k < pt->n_rows && pt->indent[k] > u->depth; k++)
                    if (pt->indent[k] == u->depth + 1)
                        sum += number_at(pt, k, c);
                assert_int_equal(sum, number_at(pt, r, c));
            }
        }
    }
    assert_true(shown < units.count);
    /* The total: the top rows and the people without a unit, the portfolio's assessments. */
    size_t last = pt->n_rows - 1;
    assert_string_equal(text_at(pt, last, 1), "合計");
    long long top = 0;
    for (size_t k = 0; k < last; k++)
        if (pt->indent[k] == 0)
            top += number_at(pt, k, 2);
    assert_int_equal(number_at(pt, last, 2), top);
    const report_table *pf, *pt_all;
    tables(d, "人材ポートフォリオ", &pf, &pt_all);
    long long assessed = 0;
    for (size_t c = 1; c + 1 < pt_all->n_cols; c++)
        assessed += number_at(pt_all, 0, c);   /* each assessment once per specialization */
    assert_int_equal(number_at(pt, last, 2), assessed);
    assert_true(assessed > 0);
    /* The line above it says how many units it shows and summarizes. */
    char want[200];
    snprintf(want, sizeof want, "上位 %d 階層の %zu 組織を表示しています。その下の %zu 組織は", depth, shown,
             units.count - shown);
    const char *line = line_before(d, pt);
    assert_non_null(line);
    assert_non_null(strstr(line, want));
    store_org_list_free(&units);
}

/* Two levels of a three-level organization: the top unit and the six below it,
 * 30 units summarized. */
static void test_depth_cuts_the_printed_table(void **state)
{
    (void)state;
    report_doc d;
    build(2, 0, &d);
    check_printed(&d, 2, 0);
    report_doc_free(&d);
    build(1, 0, &d);
    check_printed(&d, 1, 0);
    report_doc_free(&d);
}

/* Of one unit: its depth counted from the unit. */
static void test_depth_of_a_unit(void **state)
{
    (void)state;
    store_org_list units;
    units_of(0, &units);
    int64_t unit = 0;
    for (size_t i = 0; i < units.count && !unit; i++)
        if (units.items[i].depth == 1 && i + 1 < units.count && units.items[i + 1].depth == 2)
            unit = units.items[i].id;
    store_org_list_free(&units);
    assert_true(unit > 0);
    report_doc d;
    build(1, unit, &d);
    check_printed(&d, 1, unit);
    report_doc_free(&d);
}

/* No cut: one table with every unit, for the PDF and the workbook. */
static void test_no_cut_one_table(void **state)
{
    (void)state;
    int depths[] = { -1, 3, 9 };
    for (size_t k = 0; k < 3; k++) {
        report_doc d;
        build(depths[k], 0, &d);
        const report_table *pt, *all;
        tables(&d, "組織別", &pt, &all);
        assert_null(pt);
        assert_non_null(all);
        assert_false(all->sheet_only);
        store_org_list units;
        units_of(0, &units);
        for (size_t i = 0; i < units.count; i++)
            assert_true(row_of(all, units.items[i].code) != SIZE_MAX);
        store_org_list_free(&units);
        report_doc_free(&d);
    }
}

/* The depth as the command line and the web take it. */
static void test_depth_parse(void **state)
{
    (void)state;
    int v = 0;
    assert_int_equal(report_org_depth_parse("all", &v), 0);
    assert_int_equal(v, -1);
    assert_int_equal(report_org_depth_parse("1", &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(report_org_depth_parse("64", &v), 0);
    assert_int_equal(v, 64);
    const char *bad[] = { "0", "65", "-1", "", "3x", "+3", " 3", "ALL", "2.5" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(report_org_depth_parse(bad[i], &v), -1);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_cuts_the_printed_table),
        cmocka_unit_test(test_depth_of_a_unit),
        cmocka_unit_test(test_no_cut_one_table),
        cmocka_unit_test(test_depth_parse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
