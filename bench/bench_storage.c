/* bench_storage.c - issue 9's storage target, measured as the issue defines it:
 * N people, each with a full self and a full manager assessment written through
 * the normal save path (store_assessment_save_answers, so the history of the
 * first filling exists), submitted and approved through the real path
 * (review_submit, review_approve: what the web page, the API and the command
 * line call), with three experience records each (met 複雑性/サイズ items name
 * the record of their level as evidence, as the demo does), and the self levels
 * kept as results as the org views keep them. Prints the database
 * size per person beside the 6 KB target; bench_storage.sh adds the bytes per
 * table (SQLite's dbstat) and the PostgreSQL anchor.
 *
 *   build/bench/bench_storage N DB [agree]   (a new file; refuses an existing one)
 *
 * With `agree` the manager decides only the achievement criteria and agrees
 * with the rest of the self-rating, as the review page's "残りすべて本人評価に
 * 同意" does (review_approve records each agreement): a common review, outside
 * the definition, measured beside it.
 *
 * A full assessment answers every answerable element of the person's
 * specialization and of the common levels it shares (bench_import.c's
 * definition: 28.4 M self answers at 100,000 people). Ratings are drawn around
 * a latent level per person from a fixed seed, the manager's a little below the
 * self-rating. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "assessment.h"
#include "catalog.h"
#include "orgcols.h"
#include "policy.h"
#include "review.h"
#include "store.h"

#define CHUNK 500              /* people per transaction while making people */

/* A deterministic number in [0, 1) from a person and a salt. */
static double unit_random(uint32_t a, uint32_t b)
{
    uint64_t x = ((uint64_t)a << 32 | b) * 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return (double)(x >> 11) / 9007199254740992.0;
}

static void die(const char *what, const err *e)
{
    fprintf(stderr, "bench_storage: %s: %s%s%s\n", what, e->path[0] ? e->path : "", e->path[0] ? ": " : "",
            e->message);
    exit(1);
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec
           + ru.ru_stime.tv_usec / 1e6;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The level of an answerable element (0 for knowledge items). */
static int element_level(const catalog_element *el)
{
    if (el->kind == CK_PROFICIENCY)
        return el->proficiency->level;
    if (el->kind == CK_RESPONSIBILITY || el->kind == CK_CHECK_ITEM)
        return el->level->level;
    return 0;
}

/* 1 when el is answered in a full assessment of spec. */
static int answerable(const catalog_element *el, const catalog_spec *spec)
{
    if (el->kind != CK_RESPONSIBILITY && el->kind != CK_CHECK_ITEM && el->kind != CK_PROFICIENCY
        && el->kind != CK_KNOWLEDGE_ITEM)
        return 0;
    return catalog_block_of(el->spec, spec);
}

/* The value rater gives element el of person p (latent level latent). */
static int draw(const catalog_element *el, size_t i, uint32_t p, int latent, int rater)
{
    double noise = unit_random(p * 7919u + (uint32_t)rater, (uint32_t)i) - 0.5;
    double level = latent + (rater == RATER_SELF ? 0.4 : -0.2) + noise * 1.2;
    if (el->kind == CK_KNOWLEDGE_ITEM) {
        int v = (int)(level + 0.5);
        return v < 0 ? 0 : v > ASSESS_RATING_MAX ? ASSESS_RATING_MAX : v;
    }
    return element_level(el) <= level;
}

/* Three records of person p in spec: levels latent-1, latent, latent (one
 * failed), with two complexity and one size item of their level. ids get the
 * store's ids in decimal. */
static void add_records(store *s, const catalog *c, const catalog_spec *spec, int64_t person_id, uint32_t p,
                        int latent, char ids[3][24], int levels[3])
{
    err e;
    memset(&e, 0, sizeof e);
    for (int r = 0; r < 3; r++) {
        int lv = latent - (r == 0) < 1 ? 1 : latent - (r == 0);
        const catalog_level *cl = NULL;
        for (size_t i = 0; i < catalog_element_count(c) && !cl; i++) {
            const catalog_element *el = catalog_element_at(c, i);
            if (el->kind == CK_LEVEL && el->spec == spec && el->level->level == lv)
                cl = el->level;
        }
        char project[64], from[8], to[8];
        snprintf(project, sizeof project, "案件 %u-%d 顧客システム保守", p, r + 1);
        snprintf(from, sizeof from, "20%02d-%02d", 18 + r * 2, 1 + (int)(p % 12));
        snprintf(to, sizeof to, "20%02d-%02d", 19 + r * 2, 1 + (int)(p % 12));
        assessment_experience x;
        memset(&x, 0, sizeof x);
        char *cx[2], *sz[1];
        x.project = project;
        x.period_from = from;
        x.period_to = to;
        x.role = r == 2 ? "リーダ" : "メンバ";
        x.specialization_id = (char *)spec->id;
        x.level = lv;
        x.succeeded = r != 1 || latent < 2;
        for (size_t k = 0; cl && k < cl->criteria[CRITERION_COMPLEXITY].n_items && k < 2; k++)
            cx[x.n_complexity_items++] = (char *)cl->criteria[CRITERION_COMPLEXITY].items[k].id;
        for (size_t k = 0; cl && k < cl->criteria[CRITERION_SIZE].n_items && k < 1; k++)
            sz[x.n_size_items++] = (char *)cl->criteria[CRITERION_SIZE].items[k].id;
        x.complexity_items = cx;
        x.size_items = sz;
        int64_t id;
        if (store_experience_add(s, person_id, &x, &id, &e) < 0)
            die("experience", &e);
        snprintf(ids[r], sizeof ids[r], "%lld", (long long)id);
        levels[r] = lv;
    }
}

/* The answers rater gives: every answerable element of spec; met complexity
 * and size items name the record of their level (ids, levels) as evidence. */
static int agree_mode;

static void fill(assessment *a, const catalog *c, const catalog_spec *spec, uint32_t p, int latent, int rater,
                 char ids[3][24], const int levels[3])
{
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *el = catalog_element_at(c, i);
        if (!answerable(el, spec))
            continue;
        if (agree_mode && rater == RATER_MANAGER && el->kind != CK_RESPONSIBILITY && el->kind != CK_CHECK_ITEM)
            continue;
        int v = draw(el, i, p, latent, rater);
        const char *ev[1];
        size_t n_ev = 0;
        if (v && el->kind == CK_CHECK_ITEM && el->criterion->kind != CRITERION_TASK)
            for (int r = 0; r < 3 && !n_ev; r++)
                if (levels[r] == el->level->level)
                    ev[n_ev++] = ids[r];
        assessment_set_answer(a, el->id, (assessment_rater)rater, v, ev, n_ev);
    }
}

/* Makes person p: the person, records, a full self-assessment saved, submitted,
 * a full manager rating saved, approved. */
static void person(store *s, const catalog *c, const policy *pol, int64_t unit, int64_t cycle, uint32_t p)
{
    err e;
    memset(&e, 0, sizeof e);
    char number[16], name[48];
    snprintf(number, sizeof number, "E%07u", p + 1);
    snprintf(name, sizeof name, "社員 %u 太郎", p + 1);
    store_person sp;
    memset(&sp, 0, sizeof sp);
    sp.employee_number = number;
    sp.name = name;
    sp.org_unit_id = unit;
    int64_t person_id, assessment_id;
    if (store_person_add(s, &sp, &person_id, &e) < 0)
        die("person", &e);
    const catalog_spec *spec = catalog_spec_at(c, p % catalog_spec_count(c));
    int latent = 1 + (int)(unit_random(p, 1) * 4.0);
    char ids[3][24];
    int levels[3];
    add_records(s, c, spec, person_id, p, latent, ids, levels);
    if (store_assessment_create(s, person_id, cycle, catalog_id(c), catalog_version(c), number, &assessment_id, &e)
        < 0)
        die("assessment", &e);
    assessment *self = assessment_new(number, name, "2026年度", catalog_id(c), catalog_version(c));
    fill(self, c, spec, p, latent, RATER_SELF, ids, levels);
    if (store_assessment_save_answers(s, assessment_id, self, number, &e) < 0)
        die("self answers", &e);
    if (review_submit(s, assessment_id, number, &e) != 0)
        die("submit", &e);
    /* The manager's save holds the self answers too (a save replaces every
     * answer of the assessment): what the review page sends back. */
    fill(self, c, spec, p, latent, RATER_MANAGER, ids, levels);
    if (store_assessment_save_answers(s, assessment_id, self, "manager", &e) < 0)
        die("manager answers", &e);
    assessment_free(self);
    int rc = review_approve(s, c, pol, assessment_id, "hr", NULL, NULL, &e);
    if (rc != 0)
        die("approve", &e);
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

int main(int argc, char **argv)
{
    if (argc != 3 && !(argc == 4 && strcmp(argv[3], "agree") == 0)) {
        fprintf(stderr, "usage: bench_storage N DB [agree]\n");
        return 2;
    }
    agree_mode = argc == 4;
    long n = atol(argv[1]);
    const char *path = argv[2];
    if (n < 1 || file_size(path) >= 0) {
        fprintf(stderr, "bench_storage: N must be >= 1 and %s must not exist\n", path);
        return 2;
    }
    err e;
    memset(&e, 0, sizeof e);
    catalog *c = catalog_load_builtin(NULL);
    policy *pol = policy_load_builtin(NULL);
    store *s = store_open(path, STORE_CREATE, &e);
    if (!c || !pol || !s)
        die("open", &e);
    int64_t cycle, unit = 0;
    if (store_catalog_use(s, catalog_id(c), catalog_version(c), NULL, &e) < 0
        || store_cycle_add(s, "2026年度", "2026-04-01", "2027-03-31", &cycle, &e) < 0)
        die("setup", &e);
    double cpu0 = cpu_seconds(), wall0 = wall_seconds();
    for (long p = 0; p < n; p++) {
        if (p % CHUNK == 0 && store_begin(s, &e) < 0)
            die("begin", &e);
        if (p % 10 == 0) {
            char code[16], uname[32];
            snprintf(code, sizeof code, "U%06ld", p / 10);
            snprintf(uname, sizeof uname, "第%ld課", p / 10 + 1);
            if (store_org_add(s, code, uname, 0, &unit, &e) < 0)
                die("unit", &e);
        }
        person(s, c, pol, unit, cycle, (uint32_t)p);
        if ((p % CHUNK == CHUNK - 1 || p == n - 1) && store_commit(s, &e) < 0)
            die("commit", &e);
    }
    double cpu = cpu_seconds() - cpu0, wall = wall_seconds() - wall0;
    /* The self levels kept as results, as the first reader of the org views
     * (the server's start) keeps them: part of what a deployment holds. */
    orgcols *oc = orgcols_new(c, pol);
    if (orgcols_refresh(oc, s, &e) < 0)
        die("orgcols", &e);
    orgcols_free(oc);
    store_close(s);              /* checkpoints the WAL into the file */
    long long size = file_size(path);
    printf("people %ld\nbytes %lld\nbytes_per_person %.0f\ntarget_per_person 6144\n", n, size, (double)size / n);
    printf("cpu_s %.2f\nwall_s %.2f\n", cpu, wall);
    catalog_free(c);
    policy_free(pol);
    return 0;
}
