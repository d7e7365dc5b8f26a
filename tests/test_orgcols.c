/* test_orgcols.c - the organization's levels held in memory (orgcols.h) stay
 * what a full evaluation gives: on a generated organization (itss demo
 * --people), after every step of a seeded sequence of writes (answers changed
 * and removed, statuses, people moved between units, experience records
 * deleted, a new cycle's assessments), the levels held for every assessment
 * equal the engine's on the assessment loaded from the store, the kept results
 * equal them too, the portfolio counts equal counts made from that full
 * evaluation, and columns read afresh from the kept results equal the ones kept
 * up to date step by step. */
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
#include "engine.h"
#include "orgcols.h"
#include "policy.h"
#include "store.h"

static char dir[64], path[128];
static catalog *cat;
static policy *pol;
static store *db;
static char key[200];

static void must(int rc, const err *e, const char *what)
{
    if (rc < 0)
        fail_msg("%s: %s", what, e->message);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/itss-test-orgcols-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/org.db", dir);
    cat = catalog_load_builtin(NULL);
    pol = policy_load_builtin(NULL);
    if (!cat || !pol)
        return -1;
    snprintf(key, sizeof key, "%s@%s", pol->id, pol->version);
    err e = { 0 };
    db = store_open(path, STORE_CREATE, &e);
    if (!db || store_catalog_use(db, catalog_id(cat), catalog_version(cat), NULL, &e) < 0
        || demo_org_fill(db, cat, pol, 60, 2, -1, &e) < 0) {
        fprintf(stderr, "setup: %s\n", e.message);
        return -1;
    }
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

/* A small random sequence, fixed by its seed. */
static uint32_t rng = 12345;
static uint32_t next(void)
{
    rng = rng * 1664525U + 1013904223U;
    return rng >> 8;
}

/* Every assessment of the store, with the levels a full evaluation gives. */
typedef struct truth {
    store_assessment_list list;
    int *levels;                   /* list.count × n_specs */
    int64_t *units;                /* the person's unit per assessment */
} truth;

static void truth_make(truth *t)
{
    err e = { 0 };
    size_t n_specs = catalog_spec_count(cat);
    must(store_assessment_list_filter(db, NULL, &t->list, &e), &e, "list");
    t->levels = calloc(t->list.count * n_specs + 1, sizeof *t->levels);
    t->units = calloc(t->list.count + 1, sizeof *t->units);
    engine *eng = engine_new(cat, pol);
    engine_result *r = engine_result_new(eng);
    for (size_t i = 0; i < t->list.count; i++) {
        assessment *a = NULL;
        assert_int_equal(store_assessment_load(db, t->list.items[i].id, &a, &e), 1);
        engine_evaluate(eng, a, RATER_SELF, r);
        for (size_t s = 0; s < n_specs; s++)
            t->levels[i * n_specs + s] = engine_result_spec(r, catalog_spec_at(cat, s)->id)->level;
        assessment_free(a);
        store_person p;
        assert_int_equal(store_person_get(db, t->list.items[i].person_id, &p, &e), 1);
        t->units[i] = p.org_unit_id;
        store_person_clear(&p);
    }
    engine_result_free(r);
    engine_free(eng);
}

static void truth_free(truth *t)
{
    store_assessment_list_free(&t->list);
    free(t->levels);
    free(t->units);
}

/* Is unit u top or below it? */
static int below(int64_t u, int64_t top)
{
    err e = { 0 };
    for (int depth = 0; u && depth < 64; depth++) {
        if (u == top)
            return 1;
        store_org_unit x;
        if (store_org_get(db, u, &x, &e) != 1)
            return 0;
        u = x.parent_id;
        store_org_unit_clear(&x);
    }
    return 0;
}

/* The portfolio counted from the truth, as web_hr_portfolio_count counts. */
static void truth_portfolio(const truth *t, int64_t cycle, int64_t unit, int approved_only, int64_t compare,
                            orgcols_portfolio *out)
{
    size_t n_specs = catalog_spec_count(cat);
    int n_levels = catalog_level_max(cat) + 1;
    memset(out, 0, sizeof *out);
    out->counts = calloc(n_specs * (size_t)n_levels, sizeof *out->counts);
    out->up = calloc(n_specs, sizeof *out->up);
    out->same = calloc(n_specs, sizeof *out->same);
    out->down = calloc(n_specs, sizeof *out->down);
    for (size_t i = 0; i < t->list.count; i++) {
        const store_assessment *a = &t->list.items[i];
        if (a->cycle_id != cycle || (approved_only && a->status != ASSESSMENT_APPROVED)
            || (unit && !below(t->units[i], unit)))
            continue;
        const int *lv = t->levels + i * n_specs;
        out->assessed++;
        int reached = 0;
        for (size_t s = 0; s < n_specs; s++) {
            out->counts[s * (size_t)n_levels + (size_t)lv[s]]++;
            reached |= lv[s] > 0;
        }
        out->no_level += !reached;
        if (!compare)
            continue;
        for (size_t k = 0; k < t->list.count; k++) {
            const store_assessment *b = &t->list.items[k];
            if (b->person_id != a->person_id || b->cycle_id != compare
                || (approved_only && b->status != ASSESSMENT_APPROVED) || (unit && !below(t->units[k], unit)))
                continue;
            const int *old = t->levels + k * n_specs;
            out->compared++;
            for (size_t s = 0; s < n_specs; s++) {
                if (lv[s] <= 0 && old[s] <= 0)
                    continue;
                if (lv[s] > old[s])
                    out->up[s]++;
                else if (lv[s] < old[s])
                    out->down[s]++;
                else
                    out->same[s]++;
            }
        }
    }
}

static void assert_same_portfolio(const orgcols_portfolio *a, const orgcols_portfolio *b, const char *what)
{
    size_t n_specs = catalog_spec_count(cat);
    int n_levels = catalog_level_max(cat) + 1;
    if (a->assessed != b->assessed || a->no_level != b->no_level || a->compared != b->compared)
        fail_msg("%s: assessed %lld/%lld, no level %lld/%lld, compared %lld/%lld", what, (long long)a->assessed,
                 (long long)b->assessed, (long long)a->no_level, (long long)b->no_level, (long long)a->compared,
                 (long long)b->compared);
    for (size_t s = 0; s < n_specs; s++) {
        for (int l = 0; l < n_levels; l++)
            if (a->counts[s * (size_t)n_levels + (size_t)l] != b->counts[s * (size_t)n_levels + (size_t)l])
                fail_msg("%s: spec %zu level %d: %lld held, %lld evaluated", what, s, l,
                         (long long)a->counts[s * (size_t)n_levels + (size_t)l],
                         (long long)b->counts[s * (size_t)n_levels + (size_t)l]);
        if (a->up[s] != b->up[s] || a->same[s] != b->same[s] || a->down[s] != b->down[s])
            fail_msg("%s: spec %zu moves differ", what, s);
    }
}

/* The columns, the kept results and the portfolio all agree with the truth. */
static void check_against_truth(orgcols *oc, const char *step)
{
    err e = { 0 };
    size_t n_specs = catalog_spec_count(cat);
    truth t;
    memset(&t, 0, sizeof t);
    truth_make(&t);
    assert_int_equal(orgcols_count(oc), t.list.count);
    for (size_t i = 0; i < t.list.count; i++) {
        int held[16];
        assert_int_equal(orgcols_levels(oc, t.list.items[i].id, held), 1);
        store_result_list kept;
        must(store_result_list_assessment(db, t.list.items[i].id, key, &kept, &e), &e, "results");
        assert_int_equal(kept.count, n_specs);
        for (size_t s = 0; s < n_specs; s++) {
            if (held[s] != t.levels[i * n_specs + s])
                fail_msg("%s: assessment %lld spec %zu: held %d, evaluated %d", step,
                         (long long)t.list.items[i].id, s, held[s], t.levels[i * n_specs + s]);
            for (size_t k = 0; k < kept.count; k++)
                if (strcmp(kept.items[k].specialization_id, catalog_spec_at(cat, s)->id) == 0)
                    assert_int_equal(kept.items[k].level, t.levels[i * n_specs + s]);
        }
        store_result_list_free(&kept);
    }
    store_cycle_list cycles;
    store_org_list units;
    must(store_cycle_list_all(db, &cycles, &e), &e, "cycles");
    must(store_org_list_all(db, &units, &e), &e, "units");
    for (size_t c = 0; c < cycles.count; c++)
        for (int approved = 0; approved < 2; approved++)
            for (size_t u = 0; u < 4 && u <= units.count; u++) {
                int64_t unit = u == 0 ? 0 : units.items[(u * 7) % units.count].id;
                int64_t compare = c + 1 < cycles.count ? cycles.items[c + 1].id : 0;
                orgcols_portfolio held, want;
                assert_int_equal(orgcols_portfolio_count(oc, cycles.items[c].id, unit, approved, compare, &held), 0);
                truth_portfolio(&t, cycles.items[c].id, unit, approved, compare, &want);
                char what[160];
                snprintf(what, sizeof what, "%s: portfolio of %s, unit %lld, approved %d", step, cycles.items[c].name,
                         (long long)unit, approved);
                assert_same_portfolio(&held, &want, what);
                orgcols_portfolio_free(&held);
                orgcols_portfolio_free(&want);
            }
    store_cycle_list_free(&cycles);
    store_org_list_free(&units);
    truth_free(&t);
}

/* A write chosen by the sequence; refusals (an approved assessment's answers,
 * a record that is evidence in one) are part of the sequence. */
static void random_write(int step)
{
    err e = { 0 };
    store_assessment_list all;
    must(store_assessment_list_filter(db, NULL, &all, &e), &e, "list");
    const store_assessment *a = &all.items[next() % all.count];
    int op = (int)(next() % 6);
    if (op <= 1) {
        assessment *x = NULL;
        assert_int_equal(store_assessment_load(db, a->id, &x, &e), 1);
        if (a->status == ASSESSMENT_APPROVED)
            must(store_assessment_set_status(db, a->id, ASSESSMENT_RETURNED, "test", &e), &e, "return");
        for (int k = 0; k < 3 && x->n_answers; k++) {
            const assessment_answer *y = &x->answers[next() % x->n_answers];
            if (op == 0) {
                assessment_answer z = *y;
                z.value = y->value ? 0 : 1;
                must(store_answer_save(db, a->id, &z, "test", &e), &e, "answer");
            } else {
                must(store_answer_delete(db, a->id, y->element_id, y->rater, "test", &e), &e, "delete");
            }
        }
        assessment_free(x);
    } else if (op == 2) {
        must(store_assessment_set_status(db, a->id, (assessment_status)(next() % ASSESSMENT_STATUS_COUNT), "test", &e),
             &e, "status");
    } else if (op == 3) {
        store_person p;
        store_org_list units;
        assert_int_equal(store_person_get(db, a->person_id, &p, &e), 1);
        must(store_org_list_all(db, &units, &e), &e, "units");
        p.org_unit_id = units.items[next() % units.count].id;
        must(store_person_edit(db, &p, &e), &e, "move");
        store_person_clear(&p);
        store_org_list_free(&units);
    } else if (op == 4) {
        store_experience_list xs;
        must(store_experience_list_person(db, a->person_id, &xs, &e), &e, "records");
        if (xs.count)
            store_experience_delete(db, xs.items[next() % xs.count].id, "test", &e);   /* may be refused */
        store_experience_list_free(&xs);
    } else {
        /* A new cycle, once, and the person's assessment in it, answered as the latest. */
        store_cycle c;
        int64_t cycle_id;
        if (store_cycle_find(db, "2027年度", &c, &e) == 1) {
            cycle_id = c.id;
            store_cycle_clear(&c);
        } else {
            must(store_cycle_add(db, "2027年度", "2027-04-01", "2028-03-31", &cycle_id, &e), &e, "cycle");
        }
        int64_t id;
        int created;
        must(store_assessment_ensure(db, a->person_id, cycle_id, catalog_id(cat), catalog_version(cat), "test", &id,
                                     &created, &e), &e, "ensure");
        assessment *x = NULL;
        assert_int_equal(store_assessment_load(db, a->id, &x, &e), 1);
        store_assessment now;
        assert_int_equal(store_assessment_get(db, id, &now, &e), 1);
        if (now.status != ASSESSMENT_APPROVED)
            must(store_assessment_save_answers(db, id, x, "test", &e), &e, "copy answers");
        store_assessment_clear(&now);
        assessment_free(x);
    }
    (void)step;
    store_assessment_list_free(&all);
}

static void test_columns_equal_full_evaluation(void **state)
{
    (void)state;
    err e = { 0 };
    orgcols *oc = orgcols_new(cat, pol);
    must(orgcols_refresh(oc, db, &e), &e, "first refresh");
    check_against_truth(oc, "start");
    for (int step = 1; step <= 40; step++) {
        random_write(step);
        if (step % 3 == 0 || step > 35) {
            must(orgcols_refresh(oc, db, &e), &e, "refresh");
            char what[32];
            snprintf(what, sizeof what, "after write %d", step);
            check_against_truth(oc, what);
        }
    }
    /* Columns read afresh (a restart) from the kept results are the same. */
    orgcols *fresh = orgcols_new(cat, pol);
    must(orgcols_refresh(fresh, db, &e), &e, "fresh refresh");
    check_against_truth(fresh, "after a restart");
    /* A refresh with nothing changed reads nothing and changes nothing. */
    must(orgcols_refresh(oc, db, &e), &e, "idle refresh");
    check_against_truth(oc, "idle");
    orgcols_free(fresh);
    orgcols_free(oc);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);   /* the cycles named here are dated for this day */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_equal_full_evaluation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
