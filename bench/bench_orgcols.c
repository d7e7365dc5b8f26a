/* bench_orgcols.c - the organization's levels held in memory (orgcols.h) on a
 * generated organization: a start (what a restarted server does: kept results
 * and packed answers read, assessments without kept results evaluated once),
 * a refresh with nothing changed, every org view (portfolio, levels by unit,
 * proficiency, coverage, talent search, level flow; best of 5, CPU time), a
 * refresh after one answer changed, and the memory held.
 *
 *   build/bench/bench_orgcols [DB]     (default: a new 2,000-person demo in /tmp)
 *
 * DB is a database made by `itss demo --people N`; its kept results are used as
 * they are (run it twice to see a start from kept results only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cli_demo_org.h"
#include "orgcols.h"
#include "policy.h"
#include "store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process: on a shared machine the wall clock measures the
 * other engineers' load as much as this code. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static void die(const char *what, const err *e)
{
    fprintf(stderr, "bench_orgcols: %s: %s\n", what, e->message);
    exit(1);
}

/* Each view, best of 5 in CPU seconds, into best[8]. */
static void time_views(const orgcols *oc, const catalog *cat, int64_t cycle, int64_t before, int64_t unit,
                       double *best, size_t *matches_out, int64_t *assessed_out)
{
    err e = { 0 };
    orgcols_scope all = { cycle, 0, 0, ORGCOLS_SELF }, one = { cycle, unit, 1, ORGCOLS_SELF };
    const catalog_area *area = catalog_area_find(cat, "HWT");
    /* "HW level >= 4 and HWT knowledge rated >= 3 (60 % of a category) in unit X". */
    const catalog_spec *hw = catalog_spec_find(cat, "HW");
    orgcols_cond conds[2] = {
        { ORGCOLS_COND_LEVEL, 0, ORGCOLS_SELF, NULL, NULL, 4, 0 },
        { ORGCOLS_COND_CATEGORY, -1, ORGCOLS_SELF, NULL, hw->areas[hw->n_areas - 1].knowledge[0].id, 3, 60 },
    };
    size_t matches = 0;
    int64_t assessed = 0;
    for (int k = 0; k < 8; k++)
        best[k] = 1e9;
    for (int i = 0; i < 5; i++) {
        double t[8];
        orgcols_portfolio p, q;
        orgcols_by_unit bu;
        orgcols_grid g;
        orgcols_coverage c, cc;
        orgcols_people people;
        orgcols_flow fl;
        t[0] = cpu();
        orgcols_portfolio_count(oc, cycle, 0, 0, before, &p);
        t[1] = cpu();
        orgcols_portfolio_scope(oc, &one, before, &q);
        t[2] = cpu();
        orgcols_levels_by_unit(oc, &all, &bu);
        t[3] = cpu();
        orgcols_proficiency_by_unit(oc, &all, -1, &g);
        t[4] = cpu();
        orgcols_coverage_by_unit(oc, &all, -1, NULL, &c);
        t[5] = cpu();
        orgcols_coverage_by_unit(oc, &all, -1, area, &cc);
        t[6] = cpu();
        if (orgcols_talent(oc, &one, conds, 2, 0, 50, &people, &e) < 0)
            die("talent", &e);
        t[7] = cpu();
        orgcols_flow_count(oc, &all, before, &fl);
        double t8 = cpu();
        for (int k = 0; k < 7; k++)
            if (t[k + 1] - t[k] < best[k])
                best[k] = t[k + 1] - t[k];
        if (t8 - t[7] < best[7])
            best[7] = t8 - t[7];
        matches = people.total;
        assessed = p.assessed;
        orgcols_portfolio_free(&p);
        orgcols_portfolio_free(&q);
        orgcols_by_unit_free(&bu);
        orgcols_grid_free(&g);
        orgcols_coverage_free(&c);
        orgcols_coverage_free(&cc);
        orgcols_people_free(&people);
        orgcols_flow_free(&fl);
    }
    *matches_out = matches;
    *assessed_out = assessed;
}

/* The views on official levels (a certificate valid today, else the approval
 * in force), best of 5 in CPU seconds, into best[4]; *counted the assessments
 * with an official level. */
static void time_official(const orgcols *oc, int64_t cycle, int64_t before, int64_t unit, double *best,
                          int64_t *counted)
{
    err e = { 0 };
    orgcols_scope all = { cycle, 0, 0, ORGCOLS_OFFICIAL }, one = { cycle, unit, 0, ORGCOLS_OFFICIAL };
    orgcols_cond cond = { ORGCOLS_COND_LEVEL, 0, ORGCOLS_OFFICIAL, NULL, NULL, 4, 0 };
    for (int k = 0; k < 4; k++)
        best[k] = 1e9;
    for (int i = 0; i < 5; i++) {
        double t[5];
        orgcols_portfolio p;
        orgcols_by_unit bu;
        orgcols_people people;
        orgcols_flow fl;
        t[0] = cpu();
        orgcols_portfolio_scope(oc, &all, before, &p);
        t[1] = cpu();
        orgcols_levels_by_unit(oc, &all, &bu);
        t[2] = cpu();
        if (orgcols_talent(oc, &one, &cond, 1, 0, 50, &people, &e) < 0)
            die("talent", &e);
        t[3] = cpu();
        orgcols_flow_count(oc, &all, before, &fl);
        t[4] = cpu();
        for (int k = 0; k < 4; k++)
            if (t[k + 1] - t[k] < best[k])
                best[k] = t[k + 1] - t[k];
        *counted = p.assessed;
        orgcols_portfolio_free(&p);
        orgcols_by_unit_free(&bu);
        orgcols_people_free(&people);
        orgcols_flow_free(&fl);
    }
}

int main(int argc, char **argv)
{
    catalog *cat = catalog_load_builtin(NULL);
    policy *pol = policy_load_builtin(NULL);
    err e = { 0 };
    char path[256];
    if (argc > 1) {
        snprintf(path, sizeof path, "%s", argv[1]);
    } else {
        snprintf(path, sizeof path, "/tmp/bench-orgcols-%d.db", (int)getpid());
        store *s = store_open(path, STORE_CREATE, &e);
        if (!s || store_catalog_use(s, catalog_id(cat), catalog_version(cat), NULL, &e) < 0
            || demo_org_fill(s, cat, pol, 2000, 2, -1, &e) < 0)
            die("demo", &e);
        store_close(s);
    }
    long rss0 = rss_kb();
    store *db = store_open(path, 0, &e);
    if (!db)
        die(path, &e);
    orgcols *oc = orgcols_new(cat, pol);
    double t0 = now(), c0 = cpu();
    if (orgcols_refresh(oc, db, &e) < 0)
        die("refresh", &e);
    double start = now() - t0, start_cpu = cpu() - c0;
    size_t n = orgcols_count(oc);
    t0 = cpu();
    if (orgcols_refresh(oc, db, &e) < 0)
        die("idle refresh", &e);
    double idle = cpu() - t0;

    store_cycle_list cycles;
    store_org_list units;
    if (store_cycle_list_all(db, &cycles, &e) < 0 || store_org_list_all(db, &units, &e) < 0)
        die("lists", &e);
    int64_t cycle = cycles.count ? cycles.items[0].id : 0, before = cycles.count > 1 ? cycles.items[1].id : 0;
    int64_t unit = units.count > 1 ? units.items[1].id : 0;
    double best[8];
    size_t matches = 0;
    int64_t assessed = 0;
    time_views(oc, cat, cycle, before, unit, best, &matches, &assessed);
    double best_official[4];
    int64_t official = 0;
    time_official(oc, cycle, before, unit, best_official, &official);
    /* One answer changed, then a refresh. */
    store_assessment_filter f = { 0 };
    f.status = ASSESSMENT_DRAFT;
    f.limit = 1;
    store_assessment_list drafts;
    double incremental = -1;
    if (store_assessment_list_filter(db, &f, &drafts, &e) == 0 && drafts.count) {
        assessment_answer a = { 0 };
        a.element_id = (char *)catalog_level_of(cat, catalog_spec_at(cat, 0), 1)->responsibility.id;
        a.rater = RATER_SELF;
        /* 1 then 0: at least one of them is a change whatever the answer held (a
         * run leaves it at 0); the slower refresh is the figure */
        for (int v = 1; v >= 0; v--) {
            a.value = v;
            if (store_answer_save(db, drafts.items[0].id, &a, "bench", &e) < 0)
                die("answer", &e);
            t0 = cpu();
            if (orgcols_refresh(oc, db, &e) < 0)
                die("refresh", &e);
            if (cpu() - t0 > incremental)
                incremental = cpu() - t0;
        }
    }
    store_assessment_list_free(&drafts);
    static const char *const names[8] = {
        "portfolio, everyone, with movement", "portfolio, one unit, approved only", "levels by org unit (top units)",
        "proficiency by unit x area", "knowledge coverage by unit x area", "coverage by unit x category of HWT",
        "talent: HW >= 4 and a HWT category >= 3 in a unit", "level flow against the other cycle",
    };
    /* Issue 9's targets: views <= 50 ms at 100,000 people, <= 500 ms at
     * 1,000,000 (two cycles: more than a million assessments); start <= 2 s at
     * 100,000, none at 1,000,000. */
    int large = n > 1000000;
    const char *view_target = large ? "target <= 500 ms at 1,000,000" : "target <= 50 ms at 100,000";
    printf("orgcols on %s: %zu assessments, %zu org units\n", path, n, units.count);
    printf("  start: columns read from kept results and packed answers     %8.3f s wall, %8.3f s CPU (%s)\n",
           start, start_cpu, large ? "no target at 1,000,000" : "target <= 2 s at 100,000");
    printf("  refresh with nothing changed (every request does it)         %8.3f ms CPU\n", idle * 1000);
    for (int k = 0; k < 8; k++)
        printf("  %-60s %8.3f ms CPU (%s)\n", names[k], best[k] * 1000, view_target);
    printf("  (assessed in the cycle %lld; talent matches %zu)\n", (long long)assessed, matches);
    static const char *const official_names[4] = {
        "official: portfolio, everyone, with movement", "official: levels by org unit (top units)",
        "official: talent, HW >= 4 in a unit", "official: level flow against the other cycle",
    };
    for (int k = 0; k < 4; k++)
        printf("  %-60s %8.3f ms CPU (%s)\n", official_names[k], best_official[k] * 1000, view_target);
    printf("  (with an official level in the cycle: %lld)\n", (long long)official);
    printf("  refresh after one answer changed                             %8.3f ms CPU\n", incremental * 1000);
    printf("  columns held: %zu bytes (%.1f per assessment); RSS %ld kB (was %ld kB before opening; %s)\n",
           orgcols_bytes(oc), n ? (double)orgcols_bytes(oc) / (double)n : 0.0, rss_kb(), rss0,
           large ? "target <= 1 GB at 1,000,000" : "target <= 150 MB at 100,000");
    store_cycle_list_free(&cycles);
    store_org_list_free(&units);
    orgcols_free(oc);
    store_close(db);
    if (argc <= 1) {
        unlink(path);
        char side[300];
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    policy_free(pol);
    catalog_free(cat);
    return 0;
}
