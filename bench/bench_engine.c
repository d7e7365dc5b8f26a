/* bench_engine.c - how long level determination takes: 100,000 evaluations of full
 * assessments of the shipped catalog under the default policy, on one core.
 * Target (issue 3): under 1 s. Prints the figures; asserts nothing about time.
 *
 * The assessments are generated: each engineer gets a target level per
 * specialization and answers every element of the catalog (責任性, checklist items,
 * proficiency, knowledge ratings) around it with some noise, plus 1 to 6
 * experience records, then copied the way the store loads them (answers in id
 * order). 1,000 distinct assessments (about 50 MB) are evaluated 100 times each,
 * in turn, so that each evaluation reads its assessment from memory rather than
 * from the cache. Run from the repository root. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "policy.h"

#define DISTINCT 1000
#define EVALUATIONS 100000

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

/* xorshift64*: a fixed sequence, so every run measures the same data. */
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 33) % n;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The target of the block or specialization that owns an element: for a block of
 * common levels, the highest target among the specializations sharing it. */
static int owner_target(const catalog *c, const catalog_spec *owner, const int *targets)
{
    int best = 0;
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        if (catalog_block_of(owner, s) && targets[i] > best)
            best = targets[i];
    }
    return best;
}

/* One engineer's full assessment; the caller frees it. */
static assessment *generate(const catalog *c, int n)
{
    char number[32];
    snprintf(number, sizeof number, "E%05d", n);
    assessment *a = assessment_new(number, "ベンチ 太郎", "2026年度", catalog_id(c), catalog_version(c));
    int targets[16] = { 0 };
    size_t n_specs = catalog_spec_count(c);
    for (size_t i = 0; i < n_specs && i < 16; i++) {
        int lo, hi;
        catalog_spec_level_range(c, catalog_spec_at(c, i), &lo, &hi);
        targets[i] = rnd(3) == 0 ? 0 : lo + (int)rnd((uint32_t)(hi - lo + 1));
    }
    int records = 1 + (int)rnd(6);
    for (int r = 0; r < records; r++) {
        size_t si = rnd((uint32_t)n_specs);
        const catalog_spec *s = catalog_spec_at(c, si);
        int lo, hi;
        catalog_spec_level_range(c, s, &lo, &hi);
        char id[16];
        snprintf(id, sizeof id, "x%d", r + 1);
        assessment_experience x;
        memset(&x, 0, sizeof x);
        x.id = id;
        x.project = "基幹システム保守";
        x.period_from = "2019-04";
        x.period_to = "2021-03";
        x.role = "チームメンバ";
        x.specialization_id = (char *)s->id;
        x.level = targets[si] > 0 ? targets[si] - (int)rnd(2) : lo;
        if (x.level < lo)
            x.level = lo;
        x.succeeded = rnd(10) != 0;
        assessment_add_experience(a, &x);
    }
    const char *evidence[] = { "x1" };
    for (size_t i = 0, n_el = catalog_element_count(c); i < n_el; i++) {
        const catalog_element *e = catalog_element_at(c, i);
        int target = e->spec ? owner_target(c, e->spec, targets) : 0;
        switch (e->kind) {
        case CK_RESPONSIBILITY: case CK_CHECK_ITEM: {
            int met = e->level->level <= target ? rnd(10) != 0 : rnd(5) == 0;
            assessment_set_answer(a, e->id, RATER_SELF, met, evidence, met ? 1 : 0);
            break;
        }
        case CK_PROFICIENCY: {
            int met = e->proficiency->level <= target ? rnd(10) != 0 : rnd(8) == 0;
            assessment_set_answer(a, e->id, RATER_SELF, met, NULL, 0);
            break;
        }
        case CK_KNOWLEDGE_ITEM: {
            int rating = (int)rnd(3) + (target >= 4 ? 2 : target >= 2 ? 1 : 0);
            assessment_set_answer(a, e->id, RATER_SELF, rating > 4 ? 4 : rating, NULL, 0);
            break;
        }
        default:
            break;
        }
    }
    return a;
}

/* A copy of g made the way the store loads an assessment: answers in id order
 * (SELECT ... ORDER BY element_id, rater). The caller frees it. */
static assessment *as_loaded(const assessment *g)
{
    assessment *h = assessment_new(g->employee_number, g->person_name, g->cycle, g->catalog_id, g->catalog_version);
    for (size_t i = 0; i < g->n_experience; i++)
        assessment_add_experience(h, &g->experience[i]);
    for (size_t i = 0; i < g->n_answers; i++) {
        const assessment_answer *x = &g->answers[i];
        assessment_set_answer(h, x->element_id, x->rater, x->value, (const char *const *)x->evidence, x->n_evidence);
    }
    return h;
}

int main(void)
{
    err_list errs;
    memset(&errs, 0, sizeof errs);
    catalog *c = catalog_load_file("catalog/customer-service.json", &errs);
    policy *p = policy_load_builtin(&errs);
    if (!c || !p) {
        char line[1200] = "unknown error";
        if (errs.count)
            err_format(&errs.items[0], line, sizeof line);
        fprintf(stderr, "bench_engine: %s\n", line);
        return 1;
    }

    double t0 = now();
    assessment **pool = malloc(DISTINCT * sizeof *pool);
    size_t answers = 0;
    for (int i = 0; i < DISTINCT; i++) {
        assessment *g = generate(c, i);
        pool[i] = as_loaded(g);
        assessment_free(g);
        answers += pool[i]->n_answers;
    }
    double t1 = now();
    engine *e = engine_new(c, p);
    engine_result *r = engine_result_new(e);
    double t2 = now();

    long levels[8] = { 0 };
    for (int i = 0; i < EVALUATIONS; i++) {
        engine_evaluate(e, pool[i % DISTINCT], RATER_SELF, r);
        for (size_t s = 0; s < r->n_specs; s++)
            levels[r->specs[s].level & 7]++;
    }
    double t3 = now();

    /* The same from bits: each assessment packed once (as a store or the org
     * columns would keep it), then levels only, 100,000 times. */
    size_t words = engine_packed_words(e), n_specs = catalog_spec_count(c);
    uint64_t *bits = calloc(DISTINCT * words, sizeof *bits);
    engine_records *records = calloc(DISTINCT * n_specs, sizeof *records);
    double t4 = now();
    for (int i = 0; i < DISTINCT; i++)
        engine_pack(e, pool[i], RATER_SELF, bits + (size_t)i * words, records + (size_t)i * n_specs);
    double t5 = now();
    long packed_levels[8] = { 0 };
    int lv[16];
    for (int i = 0; i < EVALUATIONS; i++) {
        size_t k = (size_t)(i % DISTINCT);
        engine_levels_packed(e, bits + k * words, records + k * n_specs, lv);
        for (size_t s = 0; s < n_specs; s++)
            packed_levels[lv[s] & 7]++;
    }
    double t6 = now();
    int differ = 0;
    for (int i = 0; i < DISTINCT; i++) {
        engine_evaluate(e, pool[i], RATER_SELF, r);
        engine_levels_packed(e, bits + (size_t)i * words, records + (size_t)i * n_specs, lv);
        for (size_t s = 0; s < n_specs; s++)
            differ += lv[s] != r->specs[s].level;
    }

    printf("generated %d assessments (%zu answers each on average) in %.3f s\n", DISTINCT,
           answers / DISTINCT, t1 - t0);
    printf("engine_new: %.3f ms\n", (t2 - t1) * 1e3);
    printf("evaluated %d assessments in %.3f s (%.2f us each; target under 1 s)\n", EVALUATIONS, t3 - t2,
           (t3 - t2) / EVALUATIONS * 1e6);
    printf("levels reached across specializations:");
    for (int l = 0; l < 8; l++)
        printf(" L%d=%ld", l, levels[l]);
    printf("\n");
    printf("packed %d assessments into %zu bits each in %.3f ms\n", DISTINCT, words * 64, (t5 - t4) * 1e3);
    printf("levels of %d assessments from bits in %.3f s (%.3f us each; target under 100 ms)\n", EVALUATIONS,
           t6 - t5, (t6 - t5) / EVALUATIONS * 1e6);
    printf("levels from bits:                       ");
    for (int l = 0; l < 8; l++)
        printf(" L%d=%ld", l, packed_levels[l]);
    printf("\n%s: %d of %zu levels differ between the full evaluation and the bits\n", differ ? "WRONG" : "same",
           differ, (size_t)DISTINCT * n_specs);
    free(bits);
    free(records);

    engine_result_free(r);
    engine_free(e);
    for (int i = 0; i < DISTINCT; i++)
        assessment_free(pool[i]);
    free(pool);
    policy_free(p);
    catalog_free(c);
    return 0;
}
