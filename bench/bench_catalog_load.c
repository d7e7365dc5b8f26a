/* bench_catalog_load.c - how long loading and validating the shipped catalog takes.
 *
 * Loads catalog/customer-service.json from memory (the built-in copy, as `itss`
 * does) and from the file, many times each, and prints the median and the 95th
 * percentile per load. Target (issue 2): under 5 ms. Also reports the time to
 * read and parse the same bytes with jansson alone, measured in the same run, as
 * a yardstick for what the validation and indexing add. */
#include "catalog.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const unsigned char catalog_builtin_json[];
extern const size_t catalog_builtin_json_len;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    printf("%-40s median %.3f ms   p95 %.3f ms   min %.3f ms   (%d runs)\n", what, t[n / 2],
           t[n * 95 / 100], t[0], n);
}

int main(void)
{
    enum { RUNS = 200 };
    static double t[RUNS];

    for (int i = 0; i < RUNS; i++) {
        double a = now_ms();
        catalog *c = catalog_load_builtin(NULL);
        t[i] = now_ms() - a;
        if (!c) { fprintf(stderr, "built-in catalog did not load\n"); return 1; }
        catalog_free(c);
    }
    report("catalog_load_builtin (parse+validate)", t, RUNS);
    double builtin_median = t[RUNS / 2];

    for (int i = 0; i < RUNS; i++) {
        double a = now_ms();
        catalog *c = catalog_load_file("catalog/customer-service.json", NULL);
        t[i] = now_ms() - a;
        if (!c) { fprintf(stderr, "run from the repository root\n"); return 1; }
        catalog_free(c);
    }
    report("catalog_load_file", t, RUNS);

    for (int i = 0; i < RUNS; i++) {
        double a = now_ms();
        json_error_t je;
        json_t *j = json_loadb((const char *)catalog_builtin_json, catalog_builtin_json_len, 0, &je);
        t[i] = now_ms() - a;
        json_decref(j);
    }
    report("jansson json_loadb alone (yardstick)", t, RUNS);
    printf("catalog bytes: %zu; ratio load/jansson-parse: %.2f; target < 5 ms: %s\n",
           catalog_builtin_json_len, builtin_median / t[RUNS / 2], builtin_median < 5.0 ? "met" : "NOT met");
    return 0;
}
