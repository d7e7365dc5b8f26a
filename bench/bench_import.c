/* bench_import.c - `itss import` on generated files: N people, then a full
 * self-assessment of each (every answerable element of their specialization, its
 * common levels included), one row per answer. Prints the figures for each N.
 *
 *   build/bench/bench_import [N ...]     (default: 10000 100000)
 *
 * Runs $ITSS_BIN (default ./itss) as a user would, on a fresh database in a
 * temporary directory; the target is under 10 s for 10,000 people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"

/* The elements a full assessment of spec answers: 責任性, checklist items,
 * proficiency descriptions and knowledge items of the specialization and of the
 * common levels it shares. kinds[i] is 1 for a knowledge item (rated 0..4). */
typedef struct spec_items {
    const catalog_spec *spec;
    const char **ids;
    int *knowledge;
    size_t count;
} spec_items;


static void collect(const catalog *c, spec_items *out)
{
    size_t n = catalog_element_count(c);
    out->ids = calloc(n, sizeof *out->ids);
    out->knowledge = calloc(n, sizeof *out->knowledge);
    out->count = 0;
    for (size_t i = 0; i < n; i++) {
        const catalog_element *e = catalog_element_at(c, i);
        if (e->kind != CK_RESPONSIBILITY && e->kind != CK_CHECK_ITEM && e->kind != CK_PROFICIENCY &&
            e->kind != CK_KNOWLEDGE_ITEM)
            continue;
        if (!catalog_block_of(e->spec, out->spec))
            continue;
        out->ids[out->count] = e->id;
        out->knowledge[out->count++] = e->kind == CK_KNOWLEDGE_ITEM;
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs a shell command; exits the bench when it fails. Returns the seconds it took. */
static double run(const char *cmd)
{
    double t0 = now();
    int rc = system(cmd);
    double t = now() - t0;
    if (rc != 0) {
        fprintf(stderr, "bench_import: failed (%d): %s\n", rc, cmd);
        exit(1);
    }
    return t;
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* One round: n people with full assessments. */
/* User plus system seconds of ru. */
static double cpu_seconds(const struct rusage *ru)
{
    return (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 + (double)ru->ru_stime.tv_sec
           + ru->ru_stime.tv_usec / 1e6;
}

static void bench(const char *bin, const char *dir, long n, spec_items *specs, size_t n_specs)
{
    char people[512], answers[512], db[512], cmd[2048];
    snprintf(people, sizeof people, "%s/people-%ld.csv", dir, n);
    snprintf(answers, sizeof answers, "%s/assessments-%ld.csv", dir, n);
    snprintf(db, sizeof db, "%s/bench-%ld.db", dir, n);

    FILE *p = fopen(people, "w"), *a = fopen(answers, "w");
    if (!p || !a) {
        perror("bench_import: cannot write the generated files");
        exit(1);
    }
    fputs("\xEF\xBB\xBF" "employee_number,name,kana,email,org_unit_code,manager_employee_number\r\n", p);
    fputs("\xEF\xBB\xBF" "employee_number,cycle,element_id,rater,value,evidence\r\n", a);
    long rows = 0;
    unsigned seed = 12345;
    for (long i = 1; i <= n; i++) {
        /* every 10th person manages the nine after them */
        long manager = (i - 1) / 10 * 10 + 1;
        fprintf(p, "B%06ld,技術者 %ld,ギジュツシャ %ld,b%06ld@example.jp,CS-%ld,", i, i, i, i, i % 4 + 1);
        if (manager != i)
            fprintf(p, "B%06ld", manager);
        fputs("\r\n", p);
        const spec_items *s = &specs[i % (long)n_specs];
        for (size_t k = 0; k < s->count; k++) {
            seed = seed * 1103515245u + 12345u;
            int value = s->knowledge[k] ? (int)(seed >> 16) % 5 : (int)(seed >> 16) % 2;
            fprintf(a, "B%06ld,2026年度,%s,self,%d,\r\n", i, s->ids[k], value);
            rows++;
        }
    }
    if (fclose(p) != 0 || fclose(a) != 0) {
        perror("bench_import: cannot write the generated files");
        exit(1);
    }

    snprintf(cmd, sizeof cmd,
             "rm -f '%s' '%s-wal' '%s-shm' && '%s' init --db '%s' >/dev/null && "
             "for u in 1 2 3 4; do '%s' org add CS-$u 第${u}部 --db '%s' >/dev/null || exit 1; done && "
             "'%s' cycle add 2026年度 --opens 2026-04-01 --closes 2027-03-31 --db '%s' >/dev/null",
             db, db, db, bin, db, bin, db, bin, db);
    run(cmd);
    snprintf(cmd, sizeof cmd, "'%s' import people '%s' --db '%s' >/dev/null", bin, people, db);
    double t_people = run(cmd);
    snprintf(cmd, sizeof cmd, "'%s' import assessments '%s' --db '%s' >/dev/null", bin, answers, db);
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    double cpu0 = cpu_seconds(&ru);
    double t_answers = run(cmd);
    getrusage(RUSAGE_CHILDREN, &ru);   /* the largest child so far: the imports */
    double cpu = cpu_seconds(&ru) - cpu0;   /* the shell around it costs a few ms */
    long peak_kib = ru.ru_maxrss;
    snprintf(cmd, sizeof cmd, "'%s' export assessments --db '%s' > '%s/export.csv'", bin, db, dir);
    double t_export = run(cmd);

    printf("%7ld people: import people %6.2f s; %9ld answers (%5.1f MB) %7.2f s (%.0f rows/s); "
           "total %7.2f s%s\n",
           n, t_people, rows, (double)file_size(answers) / 1e6, t_answers, (double)rows / t_answers,
           t_people + t_answers, n == 10000 ? (t_people + t_answers < 10.0 ? "  [target < 10 s: met]"
                                                                           : "  [target < 10 s: MISSED]") : "");
    printf("%7s         answers import: %.2f s CPU (%.0f answers per CPU s; wall is load: CPU is the figure)%s\n", "",
           cpu, (double)rows / cpu, n == 100000 ? (cpu <= 30.0 ? "  [target <= 30 s: met]" : "  [target <= 30 s: NOT met]")
                                                   : "");
    printf("%7s         peak memory of an import so far %.1f MB; export assessments %.2f s; database %.1f MB\n",
           "", (double)peak_kib / 1024.0, t_export, (double)file_size(db) / 1e6);
    fflush(stdout);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s' '%s' '%s-wal' '%s-shm' '%s/export.csv'", people, answers, db, db, db,
             dir);
    run(cmd);
}

int main(int argc, char **argv)
{
    const char *bin = getenv("ITSS_BIN");
    if (!bin || !*bin)
        bin = "./itss";
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "bench_import: %s is not there; build it (make) or set ITSS_BIN\n", bin);
        return 1;
    }
    err_list *errors = calloc(1, sizeof *errors);
    catalog *c = catalog_load_builtin(errors);
    if (!c) {
        fprintf(stderr, "bench_import: the built-in catalog does not load\n");
        return 1;
    }
    size_t n_specs = catalog_spec_count(c);
    spec_items *specs = calloc(n_specs, sizeof *specs);
    for (size_t i = 0; i < n_specs; i++) {
        specs[i].spec = catalog_spec_at(c, i);
        collect(c, &specs[i]);
        printf("full assessment of %s: %zu answers\n", specs[i].spec->code, specs[i].count);
    }
    char dir[] = "/tmp/itss-bench-import-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_import: mkdtemp");
        return 1;
    }
    if (argc > 1)
        for (int i = 1; i < argc; i++)
            bench(bin, dir, atol(argv[i]), specs, n_specs);
    else {
        bench(bin, dir, 10000, specs, n_specs);
        bench(bin, dir, 100000, specs, n_specs);
    }
    rmdir(dir);
    for (size_t i = 0; i < n_specs; i++) {
        free(specs[i].ids);
        free(specs[i].knowledge);
    }
    free(specs);
    catalog_free(c);
    free(errors);
    return 0;
}
