/* bench_orgcols.c - the organization's levels held in memory (orgcols.h) on a
 * generated organization: the first refresh (evaluating and keeping every
 * assessment's results), a start from kept results (what a restarted server
 * does), the portfolio counts for everyone and for one unit with year-on-year
 * movement, a refresh after one answer changed, and the memory held.
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
    double first = now() - t0, first_cpu = cpu() - c0;
    size_t n = orgcols_count(oc);
    orgcols_free(oc);

    oc = orgcols_new(cat, pol);
    t0 = now();
    c0 = cpu();
    if (orgcols_refresh(oc, db, &e) < 0)
        die("start", &e);
    double start = now() - t0, start_cpu = cpu() - c0;

    store_cycle_list cycles;
    store_org_list units;
    if (store_cycle_list_all(db, &cycles, &e) < 0 || store_org_list_all(db, &units, &e) < 0)
        die("lists", &e);
    int64_t cycle = cycles.count ? cycles.items[0].id : 0, before = cycles.count > 1 ? cycles.items[1].id : 0;
    int64_t unit = units.count > 1 ? units.items[1].id : 0;
    orgcols_portfolio p;
    double best_all = 1e9, best_unit = 1e9;
    for (int i = 0; i < 5; i++) {
        t0 = cpu();
        orgcols_portfolio_count(oc, cycle, 0, 0, before, &p);
        double t = cpu() - t0;
        if (t < best_all)
            best_all = t;
        if (i < 4)
            orgcols_portfolio_free(&p);
        t0 = cpu();
        orgcols_portfolio q;
        orgcols_portfolio_count(oc, cycle, unit, 1, before, &q);
        t = cpu() - t0;
        if (t < best_unit)
            best_unit = t;
        orgcols_portfolio_free(&q);
    }
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
        a.value = 0;
        if (store_answer_save(db, drafts.items[0].id, &a, "bench", &e) < 0)
            die("answer", &e);
        t0 = cpu();
        if (orgcols_refresh(oc, db, &e) < 0)
            die("refresh", &e);
        incremental = cpu() - t0;
    }
    store_assessment_list_free(&drafts);
    printf("orgcols on %s: %zu assessments, %zu org units\n", path, n, units.count);
    printf("  first refresh (evaluate what has no kept results, keep them)  %8.3f s wall, %8.3f s CPU\n", first,
           first_cpu);
    printf("  start from kept results (target <= 2 s at 100,000)           %8.3f s wall, %8.3f s CPU\n", start,
           start_cpu);
    printf("  portfolio, everyone, with movement (target <= 50 ms)         %8.3f ms CPU (assessed %lld)\n",
           best_all * 1000, (long long)p.assessed);
    printf("  portfolio, one unit, approved only (target <= 50 ms)         %8.3f ms CPU\n", best_unit * 1000);
    printf("  refresh after one answer changed                             %8.3f ms CPU\n", incremental * 1000);
    printf("  columns held: %zu bytes (%.1f per assessment); RSS %ld kB (was %ld kB before opening)\n",
           orgcols_bytes(oc), n ? (double)orgcols_bytes(oc) / (double)n : 0.0, rss_kb(), rss0);
    orgcols_portfolio_free(&p);
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
