/* test_orgcols.c - the organization's levels held in memory (orgcols.h) stay
 * what a full evaluation gives: on a generated organization (itss demo
 * --people), after every step of a seeded sequence of writes (answers changed
 * and removed, statuses, people moved between units, experience records
 * deleted, a new cycle's assessments), the levels held for every assessment
 * equal the engine's on the assessment loaded from the store, the kept results
 * equal them too, the portfolio counts equal counts made from that full
 * evaluation, and columns read afresh from the kept results equal the ones kept
 * up to date step by step. The same for the org views (levels by unit,
 * proficiency by unit × area, knowledge coverage, talent search, level flow)
 * and what they read per assessment (official levels after approvals,
 * certificates, reopenings and revocations; proficiency; ratings), each counted
 * again here from the store and the engine. And `itss export levels` (export.h:
 * levels read in a pass per table, rows streamed), self and official, before
 * and after each refresh (kept results dropped by the writes, or all of them at
 * the start: evaluated by the export), row for row the same as that full
 * evaluation and store_official_levels of each assessment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "cli_demo_org.h"
#include "engine.h"
#include "export.h"
#include "orgcols.h"
#include "policy.h"
#include "review.h"
#include "store.h"

static char dir[64], path[128];
static catalog *cat;
static policy *pol;
static store *db;
static char key[200];

/* The date official levels are read for (certificates are valid around it). */
#define TODAY "2026-12-01"

static void must(int rc, const err *e, const char *what)
{
    if (rc < 0)
        fail_msg("%s: %s", what, e->message);
}

/* Gives the person with the far id (90000000) the experience records and, in
 * every cycle, the answers of the first person listed, evidence pointing at
 * the copied records: levels like theirs. 0, or -1 with *e. */
static int far_person_copy(err *e)
{
    store_assessment_list all;
    store_experience_list xs;
    if (store_assessment_list_filter(db, NULL, &all, e) < 0)
        return -1;
    int64_t from = all.items[0].person_id;
    int rc = store_experience_list_person(db, from, &xs, e);
    char (*was)[24] = calloc(xs.count + 1, sizeof *was), (*now)[24] = calloc(xs.count + 1, sizeof *now);
    for (size_t k = 0; rc == 0 && k < xs.count; k++) {
        int64_t id;
        rc = store_experience_add(db, 90000000, &xs.items[k].x, &id, e);
        snprintf(was[k], sizeof was[k], "%lld", (long long)xs.items[k].id);
        snprintf(now[k], sizeof now[k], "%lld", (long long)id);
    }
    for (size_t i = 0; rc == 0 && i < all.count; i++) {
        int64_t id;
        int created;
        assessment *x = NULL;
        if (all.items[i].person_id != from)
            continue;
        rc = store_assessment_ensure(db, 90000000, all.items[i].cycle_id, catalog_id(cat), catalog_version(cat),
                                     "test", &id, &created, e);
        if (rc == 0 && store_assessment_load(db, all.items[i].id, &x, e) != 1)
            rc = -1;
        for (size_t k = 0; rc == 0 && k < x->n_answers; k++)
            for (size_t j = 0; j < x->answers[k].n_evidence; j++)
                for (size_t r = 0; r < xs.count; r++)
                    if (strcmp(x->answers[k].evidence[j], was[r]) == 0) {
                        free(x->answers[k].evidence[j]);
                        x->answers[k].evidence[j] = strdup(now[r]);
                        break;
                    }
        if (rc == 0)
            rc = store_assessment_save_answers(db, id, x, "test", e);
        assessment_free(x);
    }
    free(was);
    free(now);
    store_experience_list_free(&xs);
    store_assessment_list_free(&all);
    return rc;
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
    /* The demo keeps every level it writes; without them (a database from an
     * older itss) the first refresh decides them all from the answers it reads
     * (orgcols.c's pending path), which the steps then check like the rest. */
    sqlite3 *raw = NULL;
    if (sqlite3_open(path, &raw) != SQLITE_OK || sqlite3_exec(raw, "DELETE FROM result", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    /* A person whose id is far above the others' (ids given by an older
     * system), assessed in both cycles: people are then found by a hash, not
     * by their place in an array, when cycles are compared. */
    if (sqlite3_exec(raw, "INSERT INTO person (id, employee_number, name, org_unit_id, created_at, updated_at) "
                          "VALUES (90000000, 'FAR0001', '遠方 太郎', (SELECT min(id) FROM org_unit), "
                          "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    /* Their assessment of the latest cycle has an id far above the others': the level
     * export then finds assessments in a sorted list, not by their place. */
    char sql[512];
    snprintf(sql, sizeof sql, "INSERT INTO assessment (id, person_id, cycle_id, catalog_id, catalog_version, status, "
                              "created_at, updated_at, revision) SELECT 50000000, 90000000, id, '%s', '%s', "
                              "'draft', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', "
                              "(SELECT max(revision) + 1 FROM assessment) FROM cycle "
                              "ORDER BY opens DESC, id DESC LIMIT 1",
             catalog_id(cat), catalog_version(cat));
    if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    /* An assessment as a database made before revisions existed has it
     * (schema 4 added them at 0): still one of the organization's. */
    if (sqlite3_exec(raw, "UPDATE assessment SET revision = 0 WHERE id = (SELECT min(id) FROM assessment)", NULL,
                     NULL, NULL) != SQLITE_OK)
        return -1;
    sqlite3_close(raw);
    if (far_person_copy(&e) < 0) {
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
    int *official;                 /* list.count × n_specs, -1 none */
    unsigned *certified;           /* bit per specialization */
    int *prof;                     /* list.count × n_specs × n_areas, -1 no such area */
    int *rated, *covered, *items;  /* the engine's knowledge counts, as prof */
    int *ratings;                  /* list.count × n_know: the self rating, -1 unrated */
    int64_t *people_units;         /* every person's unit */
    size_t n_people;
} truth;

/* The knowledge items of the catalog (element order) and their areas. */
static const catalog_element **know;
static size_t n_know;

static void know_list(void)
{
    if (know)
        return;
    know = calloc(catalog_element_count(cat) + 1, sizeof *know);
    for (size_t i = 0; i < catalog_element_count(cat); i++)
        if (catalog_element_at(cat, i)->kind == CK_KNOWLEDGE_ITEM)
            know[n_know++] = catalog_element_at(cat, i);
}

static long know_index(const char *id)
{
    for (size_t k = 0; k < n_know; k++)
        if (strcmp(know[k]->id, id) == 0)
            return (long)k;
    return -1;
}

static size_t area_index(const catalog_area *a)
{
    for (size_t i = 0; i < catalog_area_count(cat); i++)
        if (catalog_area_at(cat, i) == a)
            return i;
    return (size_t)-1;
}

/* What the engine and the store say of assessment i beyond its levels. */
static void truth_facts(truth *t, size_t i, const assessment *a, const engine_result *r, const char *today)
{
    err e = { 0 };
    size_t n_specs = catalog_spec_count(cat), n_areas = catalog_area_count(cat);
    for (size_t s = 0; s < n_specs; s++) {
        for (size_t ar = 0; ar < n_areas; ar++)
            t->prof[(i * n_specs + s) * n_areas + ar] = -1;
        for (size_t k = 0; k < r->specs[s].n_areas; k++) {
            const engine_area *ea = &r->specs[s].areas[k];
            size_t at = (i * n_specs + s) * n_areas + area_index(ea->area);
            t->prof[at] = ea->proficiency_level;
            t->rated[at] = ea->knowledge_rated;
            t->covered[at] = ea->knowledge_covered;
            t->items[at] = ea->knowledge_items;
        }
    }
    for (size_t k = 0; k < n_know; k++)
        t->ratings[i * n_know + k] = -1;
    for (size_t k = 0; k < a->n_answers; k++) {
        long x = a->answers[k].rater == RATER_SELF ? know_index(a->answers[k].element_id) : -1;
        if (x >= 0)
            t->ratings[i * n_know + (size_t)x] = a->answers[k].value;
    }
    store_official o;
    must(store_official_levels(db, t->list.items[i].id, today, &o, &e), &e, "official");
    for (size_t s = 0; s < n_specs; s++) {
        t->official[i * n_specs + s] = -1;
        for (size_t k = 0; k < o.count; k++)
            if (strcmp(o.items[k].specialization_id, catalog_spec_at(cat, s)->id) == 0) {
                t->official[i * n_specs + s] = o.items[k].level;
                if (o.items[k].certified)
                    t->certified[i] |= 1u << s;
                else
                    t->certified[i] &= ~(1u << s);
            }
    }
    store_official_clear(&o);
}

/* Every person's unit now. */
static int take_person(const store_person *p, void *ctx)
{
    truth *t = ctx;
    t->people_units = realloc(t->people_units, (t->n_people + 1) * sizeof *t->people_units);
    t->people_units[t->n_people++] = p->org_unit_id;
    return 0;
}

static void truth_make(truth *t)
{
    err e = { 0 };
    size_t n_specs = catalog_spec_count(cat);
    must(store_assessment_list_filter(db, NULL, &t->list, &e), &e, "list");
    t->levels = calloc(t->list.count * n_specs + 1, sizeof *t->levels);
    t->units = calloc(t->list.count + 1, sizeof *t->units);
    size_t per = t->list.count * n_specs * catalog_area_count(cat) + 1;
    know_list();
    t->official = calloc(t->list.count * n_specs + 1, sizeof *t->official);
    t->certified = calloc(t->list.count + 1, sizeof *t->certified);
    t->prof = calloc(per, sizeof *t->prof);
    t->rated = calloc(per, sizeof *t->rated);
    t->covered = calloc(per, sizeof *t->covered);
    t->items = calloc(per, sizeof *t->items);
    t->ratings = calloc(t->list.count * n_know + 1, sizeof *t->ratings);
    must(store_person_each(db, NULL, take_person, t, &e), &e, "people");
    engine *eng = engine_new(cat, pol);
    engine_result *r = engine_result_new(eng);
    for (size_t i = 0; i < t->list.count; i++) {
        assessment *a = NULL;
        assert_int_equal(store_assessment_load(db, t->list.items[i].id, &a, &e), 1);
        engine_evaluate(eng, a, RATER_SELF, r);
        for (size_t s = 0; s < n_specs; s++)
            t->levels[i * n_specs + s] = engine_result_spec(r, catalog_spec_at(cat, s)->id)->level;
        truth_facts(t, i, a, r, TODAY);
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
    free(t->official);
    free(t->certified);
    free(t->prof);
    free(t->rated);
    free(t->covered);
    free(t->items);
    free(t->ratings);
    free(t->people_units);
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

static void check_views(orgcols *oc, const truth *t, const char *step);

/* itss export levels (JSON) of kind (EXPORT_LEVELS_SELF or _OFFICIAL) holds,
 * in the order of t's list, one record per assessment (official: per
 * assessment with an official level) with the levels of t and its kind. */
static void check_export_kind(const truth *t, int kind, const char *step)
{
    err e = { 0 };
    size_t n_specs = catalog_spec_count(cat);
    export_options o;
    memset(&o, 0, sizeof o);
    o.kind = EXPORT_LEVELS;
    o.json = 1;
    o.catalog = cat;
    o.policy = pol;
    o.level_kind = kind;
    o.today = TODAY;
    buf out = { 0 };
    must(export_write(db, &o, &out, &e), &e, "export levels");
    json_error_t je;
    json_t *rows = json_loadb(out.data, out.len, 0, &je);
    if (!rows || !json_is_array(rows))
        fail_msg("%s: export levels is not a JSON array: %s", step, je.text);
    size_t j = 0;
    for (size_t i = 0; i < t->list.count; i++) {
        const store_assessment *a = &t->list.items[i];
        int any = 0;
        for (size_t s = 0; s < n_specs; s++)
            any |= t->official[i * n_specs + s] >= 0;
        if (kind == EXPORT_LEVELS_OFFICIAL && !any)
            continue;
        json_t *r = json_array_get(rows, j++);
        if (!r)
            fail_msg("%s: export levels (%s) ends before assessment %lld", step, export_level_kind_name(kind),
                     (long long)a->id);
        const char *want_kind = kind == EXPORT_LEVELS_SELF ? "self" : t->certified[i] ? "certified" : "approved";
        if (strcmp(json_string_value(json_object_get(r, "employee_number")), a->employee_number) != 0
            || strcmp(json_string_value(json_object_get(r, "cycle")), a->cycle) != 0
            || strcmp(json_string_value(json_object_get(r, "status")), assessment_status_name(a->status)) != 0
            || strcmp(json_string_value(json_object_get(r, "level_kind")), want_kind) != 0)
            fail_msg("%s: export levels (%s), record %zu: %s %s %s %s, not assessment %lld (%s %s %s %s)", step,
                     export_level_kind_name(kind), j, json_string_value(json_object_get(r, "employee_number")),
                     json_string_value(json_object_get(r, "cycle")), json_string_value(json_object_get(r, "status")),
                     json_string_value(json_object_get(r, "level_kind")), (long long)a->id, a->employee_number,
                     a->cycle, assessment_status_name(a->status), want_kind);
        json_t *levels = json_object_get(r, "levels");
        size_t shown = 0;
        for (size_t s = 0; s < n_specs; s++) {
            int want = kind == EXPORT_LEVELS_SELF ? t->levels[i * n_specs + s] : t->official[i * n_specs + s];
            json_t *got = json_object_get(levels, catalog_spec_at(cat, s)->code);
            shown += got != NULL;
            if (want < 0 ? got != NULL : !got || json_integer_value(got) != want)
                fail_msg("%s: export levels (%s) of assessment %lld, %s: %lld, want %d", step,
                         export_level_kind_name(kind), (long long)a->id, catalog_spec_at(cat, s)->code,
                         got ? (long long)json_integer_value(got) : -1LL, want);
        }
        assert_int_equal(json_object_size(levels), shown);
    }
    assert_int_equal(json_array_size(rows), j);
    json_decref(rows);
    buf_free(&out);
}

/* Both kinds of export levels against a truth made now. */
static void check_export(const char *step)
{
    truth t;
    memset(&t, 0, sizeof t);
    truth_make(&t);
    check_export_kind(&t, EXPORT_LEVELS_SELF, step);
    check_export_kind(&t, EXPORT_LEVELS_OFFICIAL, step);
    truth_free(&t);
}

/* The columns, the kept results and the portfolio all agree with the truth. */
static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* text with its ASCII letters lowered, into out (size bytes). */
static void ascii_lower(const char *text, char *out, size_t size)
{
    size_t i = 0;
    for (; text && text[i] && i + 1 < size; i++)
        out[i] = text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i];
    out[i] = 0;
}

/* Does a record of person_id mention word (project, role or description
 * contains it; ASCII letters in either case)? Read from the store, counted
 * here. */
static int truth_mentions(int64_t person_id, const char *word)
{
    err e = { 0 };
    store_experience_list xs;
    must(store_experience_list_person(db, person_id, &xs, &e), &e, "records");
    char w[256], text[4096];
    ascii_lower(word, w, sizeof w);
    int hit = 0;
    for (size_t i = 0; i < xs.count && !hit; i++) {
        const char *texts[3] = { xs.items[i].x.project, xs.items[i].x.role, xs.items[i].x.description };
        for (int k = 0; k < 3 && !hit; k++) {
            ascii_lower(texts[k], text, sizeof text);
            hit = texts[k] && strstr(text, w) != NULL;
        }
    }
    store_experience_list_free(&xs);
    return hit;
}

/* The words the searches below look for: two-letter Japanese words, ASCII in
 * either case, LIKE's wildcards as letters. */
static const char *const words[] = { "保守", "ATM", "atm", "Zebra", "ZEBRA", "%", "_", "a_b", "障害", "zz-none" };

/* talent search's "records mentioning a word" over the columns against the
 * records read from the store, for every person with an assessment. */
static void check_words(const orgcols *oc, const truth *t, const char *step)
{
    err e = { 0 };
    int64_t *people = calloc(t->list.count + 1, sizeof *people);
    unsigned char *hit = calloc(t->list.count + 1, 1);
    for (size_t i = 0; i < t->list.count; i++)
        people[i] = t->list.items[i].person_id;
    /* as listed (in no order: looked up one by one), then ascending (as the talent search gives them) */
    for (int sorted = 0; sorted < 2; sorted++) {
        if (sorted)
            qsort(people, t->list.count, sizeof *people, cmp_i64);
        for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
            must(orgcols_mentions(oc, words[k], people, t->list.count, hit, &e), &e, "mentions");
            for (size_t i = 0; i < t->list.count; i++)
                if (hit[i] != truth_mentions(people[i], words[k]))
                    fail_msg("%s: person %lld, word %s: %d, the records say %d", step, (long long)people[i],
                             words[k], hit[i], truth_mentions(people[i], words[k]));
        }
    }
    /* The word as a condition of the talent search finds exactly the people of
     * the search without it whose records mention the word, in each cycle. */
    for (size_t c = 0; c < t->list.count; c += t->list.count / 3 + 1) {
        orgcols_scope sc = { t->list.items[c].cycle_id, 0, 0, ORGCOLS_OFFICIAL };
        orgcols_people all;
        must(orgcols_talent(oc, &sc, NULL, 0, 0, 100000, &all, &e), &e, "talent");
        for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
            orgcols_cond cond = { .kind = ORGCOLS_COND_WORD, .element_id = words[k] };
            orgcols_people found;
            must(orgcols_talent(oc, &sc, &cond, 1, 0, 100000, &found, &e), &e, "talent with a word");
            size_t j = 0;
            for (size_t i = 0; i < all.count; i++)
                if (truth_mentions(all.items[i].person_id, words[k])) {
                    if (j >= found.count || found.items[j].person_id != all.items[i].person_id)
                        fail_msg("%s: word %s as a condition: person %lld missing", step, words[k],
                                 (long long)all.items[i].person_id);
                    j++;
                }
            if (j != found.count || found.total != found.count)
                fail_msg("%s: word %s as a condition: %zu found, %zu mention it", step, words[k], found.count, j);
            orgcols_people_free(&found);
        }
        orgcols_people_free(&all);
    }
    orgcols_cond empty = { .kind = ORGCOLS_COND_WORD, .element_id = "" };
    orgcols_scope sc0 = { t->list.items[0].cycle_id, 0, 0, ORGCOLS_OFFICIAL };
    orgcols_people none;
    assert_int_equal(orgcols_talent(oc, &sc0, &empty, 1, 0, 10, &none, &e), -1);
    assert_string_equal(e.path, "conditions[0].element_id");
    free(people);
    free(hit);
}

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
    check_views(oc, &t, step);
    check_words(oc, &t, step);
    truth_free(&t);
}

/* ---- the org views against the truth ---- */

/* The unit tree in memory: parent of each unit. */
typedef struct tree {
    store_org_list list;
} tree;

static int64_t parent_of(const tree *tr, int64_t u)
{
    for (size_t i = 0; i < tr->list.count; i++)
        if (tr->list.items[i].id == u)
            return tr->list.items[i].parent_id;
    return 0;
}

/* Is unit u top or below it (top 0: everything, people without a unit too)? */
static int under(const tree *tr, int64_t u, int64_t top)
{
    if (!top)
        return 1;
    for (int depth = 0; u && depth < 64; depth++, u = parent_of(tr, u))
        if (u == top)
            return 1;
    return 0;
}

/* Does unit u fall in the view row (unit_id, direct)? */
static int in_row(const tree *tr, int64_t u, int64_t unit_id, int direct)
{
    return direct ? u == unit_id : u && under(tr, u, unit_id);
}

/* The levels the scope reads of assessment i in cycle, or NULL. */
static const int *scope_levels(const truth *t, size_t i, const orgcols_scope *sc, int64_t cycle)
{
    size_t n_specs = catalog_spec_count(cat);
    const store_assessment *a = &t->list.items[i];
    if (a->cycle_id != cycle)
        return NULL;
    if (sc->kind == ORGCOLS_OFFICIAL)
        return t->official[i * n_specs] >= 0 ? t->official + i * n_specs : NULL;
    if (sc->approved_only && a->status != ASSESSMENT_APPROVED)
        return NULL;
    return t->levels + i * n_specs;
}

static void check_by_unit(const truth *t, const tree *tr, const orgcols *oc, const orgcols_scope *sc,
                          const char *what)
{
    size_t n_specs = catalog_spec_count(cat);
    orgcols_by_unit bu;
    assert_int_equal(orgcols_levels_by_unit(oc, sc, &bu), 0);
    size_t children = 0;
    for (size_t i = 0; i < tr->list.count; i++)
        children += tr->list.items[i].parent_id == sc->org_unit_id;
    assert_int_equal(bu.n_units, children + (sc->org_unit_id ? 1 : 0));
    for (size_t k = 0; k <= bu.n_units; k++) {
        const orgcols_unit_levels *u = k < bu.n_units ? &bu.units[k] : &bu.total;
        int64_t people = 0, assessed = 0;
        int64_t *counts = calloc(n_specs * (size_t)bu.n_levels + 1, sizeof *counts);
        for (size_t p = 0; p < t->n_people; p++)
            people += k < bu.n_units ? in_row(tr, t->people_units[p], u->unit_id, u->direct)
                                     : under(tr, t->people_units[p], sc->org_unit_id);
        for (size_t i = 0; i < t->list.count; i++) {
            const int *lv = scope_levels(t, i, sc, sc->cycle_id);
            int in = k < bu.n_units ? in_row(tr, t->units[i], u->unit_id, u->direct)
                                    : under(tr, t->units[i], sc->org_unit_id);
            if (!lv || !in)
                continue;
            assessed++;
            for (size_t s = 0; s < n_specs; s++)
                if (lv[s] >= 0)
                    counts[s * (size_t)bu.n_levels + (size_t)lv[s]]++;
        }
        if (u->people != people || u->assessed != assessed || u->not_assessed != people - assessed)
            fail_msg("%s: unit %lld direct %d: people %lld/%lld assessed %lld/%lld", what, (long long)u->unit_id,
                     u->direct, (long long)u->people, (long long)people, (long long)u->assessed,
                     (long long)assessed);
        for (size_t c = 0; c < n_specs * (size_t)bu.n_levels; c++)
            if (u->counts[c] != counts[c])
                fail_msg("%s: unit %lld: count %zu is %lld, want %lld", what, (long long)u->unit_id, c,
                         (long long)u->counts[c], (long long)counts[c]);
        free(counts);
    }
    orgcols_by_unit_free(&bu);
}

/* Grid g (proficiency by unit × area of sc for spec) against the truth. */
static void check_grid(const truth *t, const tree *tr, const orgcols_scope *sc, int spec, const orgcols_grid *gp,
                       const char *what)
{
    size_t n_specs = catalog_spec_count(cat), n_areas = catalog_area_count(cat);
    const orgcols_grid g = *gp;
    for (size_t k = 0; k < g.n_rows; k++) {
        int total = k + 1 == g.n_rows;
        int64_t people = 0;
        int64_t *counts = calloc(n_areas * (size_t)g.n_levels + 1, sizeof *counts);
        for (size_t i = 0; i < t->list.count; i++) {
            int in = total ? under(tr, t->units[i], sc->org_unit_id) : in_row(tr, t->units[i], g.unit_ids[k], g.direct[k]);
            if (!scope_levels(t, i, sc, sc->cycle_id) || !in)
                continue;
            people++;
            for (size_t a = 0; a < n_areas; a++) {
                int best = -1;
                for (size_t s = 0; s < n_specs; s++)
                    if ((spec < 0 || (size_t)spec == s) && t->prof[(i * n_specs + s) * n_areas + a] > best)
                        best = t->prof[(i * n_specs + s) * n_areas + a];
                if (best >= 0)
                    counts[a * (size_t)g.n_levels + (size_t)best]++;
            }
        }
        assert_int_equal(g.people[k], people);
        for (size_t c = 0; c < n_areas * (size_t)g.n_levels; c++)
            if (g.counts[k * n_areas * (size_t)g.n_levels + c] != counts[c])
                fail_msg("%s: proficiency row %zu cell %zu: %lld, want %lld", what, k, c,
                         (long long)g.counts[k * n_areas * (size_t)g.n_levels + c], (long long)counts[c]);
        free(counts);
    }
}

static void check_proficiency(const truth *t, const tree *tr, const orgcols *oc, const orgcols_scope *sc,
                              int spec, const char *what)
{
    orgcols_grid g;
    assert_int_equal(orgcols_proficiency_by_unit(oc, sc, spec, &g), 0);
    check_grid(t, tr, sc, spec, &g, what);
    orgcols_grid_free(&g);
}

/* Does knowledge item k count for spec's area (spec -1: every item)? */
static int item_counts(int spec, size_t k)
{
    if (spec < 0)
        return 1;
    const catalog_spec *sp = catalog_spec_at(cat, (size_t)spec);
    int lo, hi;
    catalog_spec_level_range(cat, sp, &lo, &hi);
    for (int l = lo; l <= hi; l++) {
        const catalog_spec_area *sa = catalog_spec_area_of(cat, sp, know[k]->area, l);
        if (sa && sa == know[k]->spec_area)
            return 1;
    }
    return 0;
}

/* The coverage by category added up by area (orgcols_coverage_areas_of, what
 * /hr/skillmap shows) is the coverage by area counted directly, cell by cell;
 * the categories of every area are those of each area's own view. */
static void check_areas_of_categories(const orgcols *oc, const orgcols_scope *sc, int spec, const char *what)
{
    orgcols_coverage cats, direct, summed;
    assert_int_equal(orgcols_coverage_categories(oc, sc, spec, &cats), 0);
    assert_int_equal(orgcols_coverage_by_unit(oc, sc, spec, NULL, &direct), 0);
    orgcols_coverage_areas_of(oc, &cats, &summed);
    assert_int_equal(summed.n_rows, direct.n_rows);
    assert_int_equal(summed.n_cols, direct.n_cols);
    for (size_t k = 0; k < direct.n_rows * direct.n_cols; k++) {
        const orgcols_cov_cell *a = &summed.cells[k], *b = &direct.cells[k];
        if (a->items != b->items || a->rated != b->rated || a->covered != b->covered || a->rating_sum != b->rating_sum)
            fail_msg("%s: areas from categories, cell %zu: %lld/%lld/%lld/%lld, counted %lld/%lld/%lld/%lld", what, k,
                     (long long)a->items, (long long)a->rated, (long long)a->covered, (long long)a->rating_sum,
                     (long long)b->items, (long long)b->rated, (long long)b->covered, (long long)b->rating_sum);
    }
    size_t n_cat = 0;
    for (size_t c = 0; c < cats.n_cols; c++)
        n_cat += cats.cols[c].category != NULL;
    if (n_cat != cats.n_cols || cats.n_cols == 0)
        fail_msg("%s: %zu category columns of %zu", what, n_cat, cats.n_cols);
    orgcols_coverage_free(&cats);
    orgcols_coverage_free(&direct);
    orgcols_coverage_free(&summed);
}

/* Coverage cp (by unit × area, or × category of area, of sc for spec)
 * against the truth. */
static void check_cells(const truth *t, const tree *tr, const orgcols_scope *sc, int spec, const catalog_area *area,
                        const orgcols_coverage *cp, const char *what)
{
    size_t n_specs = catalog_spec_count(cat), n_areas = catalog_area_count(cat);
    const orgcols_coverage c = *cp;
    assert_int_equal(c.min_rating, pol->knowledge_min_rating);
    for (size_t row = 0; row < c.n_rows; row++) {
        int total = row + 1 == c.n_rows;
        orgcols_cov_cell *want = calloc(c.n_cols + 1, sizeof *want);
        for (size_t i = 0; i < t->list.count; i++) {
            int in = total ? under(tr, t->units[i], sc->org_unit_id)
                           : in_row(tr, t->units[i], c.unit_ids[row], c.direct[row]);
            if (!scope_levels(t, i, sc, sc->cycle_id) || !in)
                continue;
            for (size_t col = 0; col < c.n_cols; col++) {
                if (!area && spec >= 0) {   /* the engine's own counts */
                    size_t at = (i * n_specs + (size_t)spec) * n_areas + col;
                    if (t->prof[at] < 0)
                        continue;
                    want[col].items += t->items[at];
                    want[col].rated += t->rated[at];
                    want[col].covered += t->covered[at];
                }
                for (size_t k = 0; k < n_know; k++) {
                    int mine = area ? know[k]->category == c.cols[col].category
                                    : know[k]->area == c.cols[col].area;
                    if (!mine || !item_counts(spec, k))
                        continue;
                    int v = t->ratings[i * n_know + k];
                    if (!area && spec >= 0) {
                        want[col].rating_sum += v > 0 ? v : 0;
                        continue;
                    }
                    want[col].items++;
                    want[col].rated += v >= 0;
                    want[col].covered += v >= pol->knowledge_min_rating;
                    want[col].rating_sum += v > 0 ? v : 0;
                }
            }
        }
        for (size_t col = 0; col < c.n_cols; col++) {
            const orgcols_cov_cell *h = &c.cells[row * c.n_cols + col];
            if (h->items != want[col].items || h->rated != want[col].rated || h->covered != want[col].covered
                || h->rating_sum != want[col].rating_sum)
                fail_msg("%s: coverage row %zu col %zu: %lld/%lld/%lld/%lld, want %lld/%lld/%lld/%lld", what, row,
                         col, (long long)h->items, (long long)h->rated, (long long)h->covered,
                         (long long)h->rating_sum, (long long)want[col].items, (long long)want[col].rated,
                         (long long)want[col].covered, (long long)want[col].rating_sum);
        }
        free(want);
    }
}

static void check_coverage(const truth *t, const tree *tr, const orgcols *oc, const orgcols_scope *sc, int spec,
                           const catalog_area *area, const char *what)
{
    orgcols_coverage c;
    assert_int_equal(orgcols_coverage_by_unit(oc, sc, spec, area, &c), 0);
    check_cells(t, tr, sc, spec, area, &c, what);
    orgcols_coverage_free(&c);
}

/* The skill map of one pass (what /hr/skillmap and the org report read): its
 * grid, its coverage by area and the categories of each area, each against
 * the truth. */
static void check_skillmap(const truth *t, const tree *tr, const orgcols *oc, const orgcols_scope *sc, int spec,
                           const char *what)
{
    orgcols_grid g;
    orgcols_coverage cats, areas;
    assert_int_equal(orgcols_skillmap(oc, sc, spec, &g, &cats), 0);
    check_grid(t, tr, sc, spec, &g, what);
    orgcols_coverage_areas_of(oc, &cats, &areas);
    check_cells(t, tr, sc, spec, NULL, &areas, what);
    for (size_t a = 0; a < catalog_area_count(cat); a++) {
        orgcols_coverage one;
        assert_int_equal(orgcols_coverage_of_area(oc, &cats, catalog_area_at(cat, a), &one), 0);
        check_cells(t, tr, sc, spec, catalog_area_at(cat, a), &one, what);
        orgcols_coverage_free(&one);
    }
    orgcols_grid_free(&g);
    orgcols_coverage_free(&cats);
    orgcols_coverage_free(&areas);
}

/* Does assessment i meet condition c (counted here from the truth)? */
static int truth_meets(const truth *t, size_t i, const orgcols_cond *c)
{
    size_t n_specs = catalog_spec_count(cat), n_areas = catalog_area_count(cat);
    for (size_t s = 0; s < n_specs; s++) {
        if (c->spec >= 0 && (size_t)c->spec != s)
            continue;
        int self = t->levels[i * n_specs + s], official = t->official[i * n_specs + s];
        if (c->kind == ORGCOLS_COND_LEVEL && (c->levels == ORGCOLS_OFFICIAL ? official : self) >= c->at_least)
            return 1;
        if (c->kind == ORGCOLS_COND_CERTIFIED && (t->certified[i] >> s & 1u) && official >= c->at_least)
            return 1;
        if (c->kind == ORGCOLS_COND_PROFICIENCY
            && t->prof[(i * n_specs + s) * n_areas + area_index(c->area)] >= c->at_least)
            return 1;
    }
    if (c->kind == ORGCOLS_COND_ITEM || c->kind == ORGCOLS_COND_CATEGORY) {
        int n = 0, of = 0;
        for (size_t k = 0; k < n_know; k++) {
            int mine = c->kind == ORGCOLS_COND_ITEM ? strcmp(know[k]->id, c->element_id) == 0
                                                    : strcmp(know[k]->category->id, c->element_id) == 0;
            if (!mine)
                continue;
            of++;
            n += t->ratings[i * n_know + k] >= c->at_least;
        }
        int share = c->share ? c->share : 100;
        return of && n * 100 >= of * share;
    }
    return 0;
}

static void check_talent(const truth *t, const tree *tr, const orgcols *oc, const orgcols_scope *sc,
                         const char *what)
{
    err e = { 0 };
    size_t n_specs = catalog_spec_count(cat);
    for (int q = 0; q < 6; q++) {
        orgcols_cond conds[2];
        size_t n = 1 + (size_t)(q % 2);
        for (size_t j = 0; j < n; j++) {
            orgcols_cond *c = &conds[j];
            memset(c, 0, sizeof *c);
            c->kind = (orgcols_cond_kind)((q + (int)j * 3) % 5);
            c->spec = (q + (int)j) % 2 ? -1 : (int)((size_t)q % n_specs);
            c->levels = q % 3 == 0 ? ORGCOLS_OFFICIAL : ORGCOLS_SELF;
            c->area = catalog_area_at(cat, (size_t)q % catalog_area_count(cat));
            const catalog_element *k = know[((size_t)q * 37 + j * 11) % n_know];
            c->element_id = c->kind == ORGCOLS_COND_CATEGORY ? k->category->id : k->id;
            c->at_least = 1 + q % 3;
            c->share = c->kind == ORGCOLS_COND_CATEGORY ? 50 : 0;
        }
        orgcols_people got;
        must(orgcols_talent(oc, sc, conds, n, 0, 1000000, &got, &e), &e, "talent");
        size_t want = 0;
        int64_t last = 0;
        for (size_t i = 0; i < t->list.count; i++) {
            if (t->list.items[i].cycle_id != sc->cycle_id || !under(tr, t->units[i], sc->org_unit_id))
                continue;
            size_t j = 0;
            while (j < n && truth_meets(t, i, &conds[j]))
                j++;
            if (j < n)
                continue;
            want++;
            int found = 0;
            for (size_t k = 0; k < got.count; k++)
                found |= got.items[k].person_id == t->list.items[i].person_id
                         && got.items[k].assessment_id == t->list.items[i].id;
            if (!found)
                fail_msg("%s: query %d misses assessment %lld", what, q, (long long)t->list.items[i].id);
        }
        assert_int_equal(got.total, want);
        assert_int_equal(got.count, want);
        for (size_t k = 0; k < got.count; k++) {
            assert_true(got.items[k].person_id >= last);
            last = got.items[k].person_id;
        }
        orgcols_people_free(&got);
    }
    /* A condition naming nothing is refused, naming the field. */
    orgcols_cond bad = { ORGCOLS_COND_ITEM, -1, ORGCOLS_SELF, NULL, "CS.NO.SUCH", 1, 0 };
    orgcols_people none;
    assert_int_equal(orgcols_talent(oc, sc, &bad, 1, 0, 10, &none, &e), -1);
    assert_string_equal(e.path, "conditions[0].element_id");
}

static void check_flow(const truth *t, const tree *tr, const orgcols *oc, const orgcols_scope *sc, int64_t compare,
                       const char *what)
{
    size_t n_specs = catalog_spec_count(cat);
    orgcols_flow f;
    assert_int_equal(orgcols_flow_count(oc, sc, compare, &f), 0);
    size_t nl = (size_t)f.n_levels;
    int64_t compared = 0;
    int64_t *moves = calloc(n_specs * nl * nl + 1, sizeof *moves);
    int64_t *entered = calloc(n_specs * nl + 1, sizeof *entered), *left = calloc(n_specs * nl + 1, sizeof *left);
    for (size_t i = 0; i < t->list.count; i++) {
        int64_t cycle = t->list.items[i].cycle_id;
        const int *lv = scope_levels(t, i, sc, cycle);
        if (!lv || (cycle != sc->cycle_id && cycle != compare) || !under(tr, t->units[i], sc->org_unit_id))
            continue;
        const int *other = NULL;
        for (size_t k = 0; k < t->list.count; k++)
            if (t->list.items[k].person_id == t->list.items[i].person_id && k != i
                && under(tr, t->units[k], sc->org_unit_id))
                other = other ? other : scope_levels(t, k, sc, cycle == sc->cycle_id ? compare : sc->cycle_id);
        if (!other) {
            for (size_t s = 0; s < n_specs; s++)
                if (lv[s] >= 0)
                    (cycle == sc->cycle_id ? entered : left)[s * nl + (size_t)lv[s]]++;
            continue;
        }
        if (cycle != sc->cycle_id)
            continue;
        compared++;
        for (size_t s = 0; s < n_specs; s++)
            if (lv[s] >= 0 && other[s] >= 0)
                moves[(s * nl + (size_t)other[s]) * nl + (size_t)lv[s]]++;
    }
    assert_int_equal(f.compared, compared);
    for (size_t c = 0; c < n_specs * nl * nl; c++)
        if (f.moves[c] != moves[c])
            fail_msg("%s: flow move %zu: %lld, want %lld", what, c, (long long)f.moves[c], (long long)moves[c]);
    for (size_t c = 0; c < n_specs * nl; c++)
        if (f.entered[c] != entered[c] || f.left[c] != left[c])
            fail_msg("%s: flow in/out %zu: %lld/%lld, want %lld/%lld", what, c, (long long)f.entered[c],
                     (long long)f.left[c], (long long)entered[c], (long long)left[c]);
    free(moves);
    free(entered);
    free(left);
    orgcols_flow_free(&f);
}

/* What the columns hold per assessment, and every view, against the truth. */
static void check_views(orgcols *oc, const truth *t, const char *step)
{
    err e = { 0 };
    size_t n_specs = catalog_spec_count(cat), n_areas = catalog_area_count(cat);
    for (size_t i = 0; i < t->list.count; i++) {
        int64_t id = t->list.items[i].id;
        int official[ORGCOLS_MAX_SPECS];
        unsigned certified;
        assert_int_equal(orgcols_official(oc, id, official, &certified), 1);
        for (size_t s = 0; s < n_specs; s++) {
            if (official[s] != t->official[i * n_specs + s])
                fail_msg("%s: assessment %lld spec %zu: official %d, want %d", step, (long long)id, s, official[s],
                         t->official[i * n_specs + s]);
            for (size_t a = 0; a < n_areas; a++)
                if (orgcols_proficiency(oc, id, s, a) != t->prof[(i * n_specs + s) * n_areas + a])
                    fail_msg("%s: assessment %lld spec %zu area %zu: proficiency %d, want %d", step, (long long)id,
                             s, a, orgcols_proficiency(oc, id, s, a), t->prof[(i * n_specs + s) * n_areas + a]);
        }
        if (certified != t->certified[i])
            fail_msg("%s: assessment %lld: certified %x, want %x", step, (long long)id, certified, t->certified[i]);
        for (size_t k = 0; k < n_know; k++)
            if (orgcols_rating(oc, id, know[k]->id) != t->ratings[i * n_know + k])
                fail_msg("%s: assessment %lld item %s: rating %d, want %d", step, (long long)id, know[k]->id,
                         orgcols_rating(oc, id, know[k]->id), t->ratings[i * n_know + k]);
    }
    tree tr;
    must(store_org_list_all(db, &tr.list, &e), &e, "units");
    store_cycle_list cycles;
    must(store_cycle_list_all(db, &cycles, &e), &e, "cycles");
    for (size_t c = 0; c < cycles.count; c++)
        for (int kind = 0; kind < 2; kind++)
            for (size_t u = 0; u < 3 && u <= tr.list.count; u++) {
                orgcols_scope sc = { cycles.items[c].id, u == 0 ? 0 : tr.list.items[(u * 5) % tr.list.count].id,
                                     (int)(c % 2), (orgcols_kind)kind };
                char what[200];
                snprintf(what, sizeof what, "%s: %s, unit %lld, %s", step, cycles.items[c].name,
                         (long long)sc.org_unit_id, kind ? "official" : "self");
                check_by_unit(t, &tr, oc, &sc, what);
                check_proficiency(t, &tr, oc, &sc, kind ? -1 : (int)(c % n_specs), what);
                check_coverage(t, &tr, oc, &sc, kind ? -1 : (int)(c % n_specs), NULL, what);
                check_coverage(t, &tr, oc, &sc, -1, catalog_area_at(cat, (c + u) % n_areas), what);
                check_areas_of_categories(oc, &sc, kind ? -1 : (int)(c % n_specs), what);
                check_skillmap(t, &tr, oc, &sc, u == 1 ? -1 : (int)((c + u + (size_t)kind) % n_specs), what);
                if (u < 2)
                    check_talent(t, &tr, oc, &sc, what);
                if (c + 1 < cycles.count)
                    check_flow(t, &tr, oc, &sc, cycles.items[c + 1].id, what);
            }
    store_cycle_list_free(&cycles);
    store_org_list_free(&tr.list);
}

/* Writes of the review: an approval (submitted, agreed, approved), a
 * certificate valid today or not yet, a reopening or a revocation, a person
 * without any assessment. Refusals are part of the sequence. */
static void review_write(int op, const store_assessment_list *all, const store_assessment *a)
{
    err e = { 0 };
    if (op == 7) {             /* an assessment with an approval in force, when there is one */
        size_t from = next() % all->count;
        for (size_t k = 0; k < all->count; k++) {
            store_approval ap;
            const store_assessment *b = &all->items[(from + k) % all->count];
            int rc = store_approval_current(db, b->id, &ap, &e);
            assert_true(rc >= 0);
            if (rc == 1) {
                store_approval_clear(&ap);
                a = b;
                break;
            }
        }
    }
    if (op == 6 && a->status != ASSESSMENT_APPROVED) {
        must(store_assessment_set_status(db, a->id, ASSESSMENT_SUBMITTED, "test", &e), &e, "submit");
        must(review_agree_remaining(db, cat, a->id, NULL, 0, 0, "test", NULL, &e), &e, "agree");
        int rc = review_approve(db, cat, pol, a->id, "test", NULL, NULL, &e);
        assert_true(rc >= 0);
        if (getenv("DEBUG_ORGCOLS")) fprintf(stderr, "approve %lld: %d %s\n", (long long)a->id, rc, rc ? e.message : "");
    } else if (op == 7) {
        const char *from = next() % 3 ? "2026-04-01" : "2027-01-01";
        const catalog_spec *sp = catalog_spec_at(cat, next() % catalog_spec_count(cat));
        int rc = review_certify(db, cat, pol, a->id, sp->id, "2026-11-30", from, "2028-03-31", "test", NULL, &e);
        assert_true(rc >= 0);
        if (getenv("DEBUG_ORGCOLS")) fprintf(stderr, "certify %lld: %d %s\n", (long long)a->id, rc, rc ? e.message : "");
    } else if (op == 8) {
        store_certificate_filter f = { a->person_id, NULL, NULL };
        store_certificate_list l;
        must(store_certificate_list_filter(db, &f, &l, &e), &e, "certificates");
        if (l.count && !l.items[0].revoked_at)
            assert_true(review_revoke(db, l.items[0].number, "test", "wrong level", &e) >= 0);
        else if (a->status == ASSESSMENT_APPROVED)
            assert_true(review_reopen(db, a->id, "test", "asked again", &e) >= 0);
        store_certificate_list_free(&l);
    } else if (op == 9) {
        static int made;
        store_org_list units;
        must(store_org_list_all(db, &units, &e), &e, "units");
        char number[32];
        snprintf(number, sizeof number, "NEW%04d", ++made);
        store_person p;
        memset(&p, 0, sizeof p);
        p.employee_number = number;
        p.name = "新人 太郎";
        p.org_unit_id = units.items[next() % units.count].id;
        must(store_person_add(db, &p, NULL, &e), &e, "person");
        store_org_list_free(&units);
    }
}

/* A write chosen by the sequence; refusals (an approved assessment's answers,
 * a record that is evidence in one) are part of the sequence. */
static void random_write(int step)
{
    err e = { 0 };
    store_assessment_list all;
    must(store_assessment_list_filter(db, NULL, &all, &e), &e, "list");
    const store_assessment *a = &all.items[next() % all.count];
    int op = (int)(next() % 10);
    if (op >= 6) {
        review_write(op, &all, a);
    } else if (op <= 1) {
        assessment *x = NULL;
        assert_int_equal(store_assessment_load(db, a->id, &x, &e), 1);
        if (a->status == ASSESSMENT_APPROVED)
            must(store_assessment_set_status(db, a->id, ASSESSMENT_RETURNED, "test", &e), &e, "return");
        for (int k = 0; k < 3 && x->n_answers; k++) {
            const assessment_answer *y = &x->answers[next() % x->n_answers];
            if (op == 0) {
                assessment_answer z = *y;
                z.value = know_index(y->element_id) >= 0 ? (int)(next() % 5) : y->value ? 0 : 1;
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
        int how = (int)(next() % 3);
        if (xs.count && how == 0) {
            store_experience_delete(db, xs.items[next() % xs.count].id, "test", &e);   /* may be refused */
        } else if (xs.count) {     /* a record added or changed with words the searches look for */
            assessment_experience x = xs.items[0].x;
            x.project = how == 1 ? "Zebra基盤更改" : x.project;
            x.description = how == 1 ? "ATM網 100% 移行" : "zebra a_b 障害対応";
            if (how == 1)
                must(store_experience_add(db, a->person_id, &x, NULL, &e), &e, "record added");
            else
                must(store_experience_edit(db, xs.items[0].id, &x, &e), &e, "record changed");
        }
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
    check_export("start, no result kept");
    orgcols *oc = orgcols_new(cat, pol);
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "first refresh");
    check_against_truth(oc, "start");
    check_export("start, every result kept");
    for (int step = 1; step <= 60; step++) {
        random_write(step);
        if (step % 4 == 0 || step > 56) {
            char what[32];
            snprintf(what, sizeof what, "after write %d", step);
            check_export(what);
            must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh");
            check_against_truth(oc, what);
        }
    }
    /* Columns read afresh (a restart) from the kept results are the same. */
    orgcols *fresh = orgcols_new(cat, pol);
    must(orgcols_refresh_on(fresh, db, TODAY, &e), &e, "fresh refresh");
    check_against_truth(fresh, "after a restart");
    /* A refresh with nothing changed reads nothing and changes nothing. */
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "idle refresh");
    check_against_truth(oc, "idle");
    orgcols_free(fresh);
    orgcols_free(oc);
}

/* The records' words follow many changes of records (each read again, the
 * runs left behind packed away): the searches after 300 changes, each with a
 * refresh, equal the records, as do columns read afresh. */
static void test_words_follow_record_changes(void **state)
{
    (void)state;
    err e = { 0 };
    orgcols *oc = orgcols_new(cat, pol);
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh");
    store_assessment_list all;
    must(store_assessment_list_filter(db, NULL, &all, &e), &e, "list");
    static const char *const texts[] = { "ZEBRA 保守", "障害 a_b", "100% atm", "保", "" };
    for (int step = 0; step < 300; step++) {
        const store_assessment *a = &all.items[next() % all.count];
        store_experience_list xs;
        must(store_experience_list_person(db, a->person_id, &xs, &e), &e, "records");
        if (xs.count) {
            assessment_experience x = xs.items[next() % xs.count].x;
            x.description = (char *)texts[step % 5];
            x.role = step % 7 == 0 ? "Zebra係" : x.role;
            must(store_experience_edit(db, xs.items[0].id, &x, &e), &e, "record changed");
        }
        store_experience_list_free(&xs);
        must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh");
    }
    store_assessment_list_free(&all);
    truth t;
    memset(&t, 0, sizeof t);
    truth_make(&t);
    check_words(oc, &t, "after 300 changed records");
    orgcols *fresh = orgcols_new(cat, pol);
    must(orgcols_refresh_on(fresh, db, TODAY, &e), &e, "fresh refresh");
    check_words(fresh, &t, "read afresh");
    /* levels-only columns hold no words: a search is refused, naming the word */
    orgcols *levels = orgcols_new(cat, pol);
    orgcols_levels_only(levels);
    must(orgcols_refresh_on(levels, db, TODAY, &e), &e, "levels-only refresh");
    int64_t one = t.list.items[0].person_id;
    unsigned char hit;
    assert_int_equal(orgcols_mentions(levels, "保守", &one, 1, &hit, &e), -1);
    assert_int_equal(orgcols_mentions(oc, "", &one, 1, &hit, &e), -1);
    assert_string_equal(e.path, "word");
    truth_free(&t);
    orgcols_free(levels);
    orgcols_free(fresh);
    orgcols_free(oc);
}

/* The person first in the drill-down's name order (PORTFOLIO_PICK_ASSESSED of
 * cycle_id, everyone, self levels; desc: the last), or 0 when none. */
static int64_t first_by(const orgcols *oc, int64_t cycle_id, orgcols_sort by, int desc)
{
    orgcols_scope sc = { cycle_id, 0, 0, ORGCOLS_SELF };
    portfolio_pick pick = { .what = PORTFOLIO_PICK_ASSESSED };
    orgcols_order order = { .by = by, .desc = desc };
    orgcols_people page;
    assert_int_equal(orgcols_pick(oc, &sc, 0, &pick, 0, &order, 0, 1, &page), 0);
    int64_t id = page.count ? page.items[0].person_id : 0;
    orgcols_people_free(&page);
    return id;
}

/* A person renamed (or given another employee number) sorts under the new name
 * (number) in the drill-down at the next refresh of running columns, as in
 * columns read afresh: the sort keys used to be read again only when people
 * were added or moved. */
static void test_person_renamed_sorts_under_new_name(void **state)
{
    (void)state;
    err e = { 0 };
    store_cycle_list cycles;
    must(store_cycle_list_all(db, &cycles, &e), &e, "cycles");
    assert_true(cycles.count > 0);
    int64_t cycle_id = cycles.items[0].id;
    store_cycle_list_free(&cycles);
    orgcols *oc = orgcols_new(cat, pol);
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh");
    int64_t last = first_by(oc, cycle_id, ORGCOLS_SORT_NAME, 1), first = first_by(oc, cycle_id, ORGCOLS_SORT_NAME, 0);
    assert_true(last > 0 && first > 0 && last != first);
    store_person p;
    assert_int_equal(store_person_get(db, last, &p, &e), 1);
    char *old_name = p.name, *old_number = p.employee_number;
    p.name = "Aaron Abe";      /* ASCII: before every Japanese name in byte order */
    must(store_person_edit(db, &p, &e), &e, "rename");
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh after the rename");
    assert_int_equal(first_by(oc, cycle_id, ORGCOLS_SORT_NAME, 0), last);
    assert_int_not_equal(first_by(oc, cycle_id, ORGCOLS_SORT_NAME, 1), last);
    orgcols *fresh = orgcols_new(cat, pol);
    must(orgcols_refresh_on(fresh, db, TODAY, &e), &e, "fresh refresh");
    assert_int_equal(first_by(fresh, cycle_id, ORGCOLS_SORT_NAME, 0), last);
    orgcols_free(fresh);
    /* A new employee number: first in number order ("0" is before every demo number). */
    p.employee_number = "0RENAMED";
    must(store_person_edit(db, &p, &e), &e, "renumber");
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh after the new number");
    assert_int_equal(first_by(oc, cycle_id, ORGCOLS_SORT_NUMBER, 0), last);
    p.name = old_name;
    p.employee_number = old_number;
    must(store_person_edit(db, &p, &e), &e, "rename back");
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh after the rename back");
    assert_int_equal(first_by(oc, cycle_id, ORGCOLS_SORT_NAME, 1), last);
    assert_int_equal(first_by(oc, cycle_id, ORGCOLS_SORT_NAME, 0), first);
    store_person_clear(&p);
    orgcols_free(oc);
}

/* The people and not-assessed counts of every row of levels by unit, scope
 * unit (0: everyone), self levels, cycle cycle_id. */
static void people_rows(orgcols *oc, int64_t cycle_id, int64_t unit, int64_t *people, int64_t *not_assessed,
                        size_t max, size_t *n)
{
    orgcols_scope sc = { cycle_id, unit, 0, ORGCOLS_SELF };
    orgcols_by_unit u;
    assert_int_equal(orgcols_levels_by_unit(oc, &sc, &u), 0);
    *n = 0;
    for (size_t i = 0; i < u.n_units && *n < max; i++, (*n)++) {
        people[*n] = u.units[i].people;
        not_assessed[*n] = u.units[i].not_assessed;
    }
    if (*n < max) {
        people[*n] = u.total.people;
        not_assessed[*n] = u.total.not_assessed;
        (*n)++;
    }
    orgcols_by_unit_free(&u);
}

/* A person without any assessment moved to another unit shows in the people
 * and not-assessed counts of both units at the next refresh, as in columns
 * read afresh (it used to wait for the next person added or a restart). */
static void test_person_without_assessment_moved(void **state)
{
    (void)state;
    err e = { 0 };
    store_cycle_list cycles;
    must(store_cycle_list_all(db, &cycles, &e), &e, "cycles");
    assert_true(cycles.count > 0);
    int64_t cycle_id = cycles.items[0].id;
    store_cycle_list_free(&cycles);
    store_org_list units;
    must(store_org_list_all(db, &units, &e), &e, "units");
    assert_true(units.count >= 2);
    int64_t from = units.items[units.count - 1].id, to = units.items[units.count - 2].id;
    store_org_list_free(&units);
    store_person p = { 0 };
    p.employee_number = "MOVE0001";
    p.name = "異動 太郎";
    p.org_unit_id = from;
    must(store_person_add(db, &p, &p.id, &e), &e, "add");

    orgcols *oc = orgcols_new(cat, pol);
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh");
    p.org_unit_id = to;
    must(store_person_edit(db, &p, &e), &e, "move");
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh after the move");
    orgcols *fresh = orgcols_new(cat, pol);
    must(orgcols_refresh_on(fresh, db, TODAY, &e), &e, "fresh refresh");
    int64_t scopes[3] = { 0, from, to };
    for (int k = 0; k < 3; k++) {
        int64_t people[64], not_assessed[64], fresh_people[64], fresh_not[64];
        size_t n, fresh_n;
        people_rows(oc, cycle_id, scopes[k], people, not_assessed, 64, &n);
        people_rows(fresh, cycle_id, scopes[k], fresh_people, fresh_not, 64, &fresh_n);
        assert_int_equal(n, fresh_n);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(people[i], fresh_people[i]);
            assert_int_equal(not_assessed[i], fresh_not[i]);
        }
    }
    /* The unit left counts the person no more, the unit joined does. */
    int64_t people[64], not_assessed[64];
    size_t n;
    people_rows(oc, cycle_id, to, people, not_assessed, 64, &n);
    int64_t to_people = people[n - 1];
    p.org_unit_id = from;
    must(store_person_edit(db, &p, &e), &e, "move back");
    must(orgcols_refresh_on(oc, db, TODAY, &e), &e, "refresh after the move back");
    people_rows(oc, cycle_id, to, people, not_assessed, 64, &n);
    assert_int_equal(people[n - 1], to_people - 1);
    orgcols_free(fresh);
    orgcols_free(oc);
}

/* The assessed and the people of the whole organization in cycle_id (self levels). */
static void totals(orgcols *oc, int64_t cycle_id, int64_t *assessed, int64_t *people)
{
    orgcols_scope sc = { cycle_id, 0, 0, ORGCOLS_SELF };
    orgcols_by_unit u;
    assert_int_equal(orgcols_levels_by_unit(oc, &sc, &u), 0);
    *assessed = u.total.assessed;
    *people = u.total.people;
    orgcols_by_unit_free(&u);
}

/* Refreshes oc as on day (ITSS_TODAY too, the store's own today). */
static void refresh_as_of(orgcols *oc, const char *day)
{
    err e = { 0 };
    setenv("ITSS_TODAY", day, 1);
    must(orgcols_refresh_on(oc, db, day, &e), &e, day);
}

/* A person whose leaving day (left_on) was set ahead is counted until that
 * day and is gone from the counts on it (the assessed and the people of the
 * organization) at the next refresh, with nothing written and no restart: as
 * in columns read afresh that day. It used to wait for the person's next
 * change or a restart. */
static void test_leaver_gone_on_the_day(void **state)
{
    (void)state;
    err e = { 0 };
    sqlite3 *raw = NULL;
    sqlite3_stmt *st = NULL;
    int64_t person_id = 0, cycle_id = 0;
    assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw, "SELECT a.person_id, a.cycle_id FROM assessment a JOIN cycle c "
                                             "ON c.id = a.cycle_id JOIN person p ON p.id = a.person_id "
                                             "WHERE c.closes > '2026-12-08' AND p.left_on IS NULL "
                                             "ORDER BY c.opens DESC, a.id LIMIT 1", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    person_id = sqlite3_column_int64(st, 0);
    cycle_id = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    store_person p;
    assert_int_equal(store_person_get(db, person_id, &p, &e), 1);
    char *kept = p.left_on;
    p.left_on = "2026-12-08";
    must(store_person_edit(db, &p, &e), &e, "leaving day set ahead");

    orgcols *oc = orgcols_new(cat, pol);
    int64_t assessed, people, now_assessed, now_people, fresh_assessed, fresh_people;
    refresh_as_of(oc, "2026-12-07");
    totals(oc, cycle_id, &assessed, &people);
    refresh_as_of(oc, "2026-12-08");
    totals(oc, cycle_id, &now_assessed, &now_people);
    assert_int_equal(now_assessed, assessed - 1);
    assert_int_equal(now_people, people - 1);
    orgcols *fresh = orgcols_new(cat, pol);
    refresh_as_of(fresh, "2026-12-08");
    totals(fresh, cycle_id, &fresh_assessed, &fresh_people);
    assert_int_equal(now_assessed, fresh_assessed);
    assert_int_equal(now_people, fresh_people);
    /* The same refresh later on: nothing more leaves. */
    refresh_as_of(oc, "2026-12-09");
    totals(oc, cycle_id, &fresh_assessed, &fresh_people);
    assert_int_equal(fresh_assessed, now_assessed);
    assert_int_equal(fresh_people, now_people);
    orgcols_free(fresh);
    orgcols_free(oc);

    p.left_on = kept;
    must(store_person_edit(db, &p, &e), &e, "back");
    store_person_clear(&p);
    setenv("ITSS_TODAY", "2026-12-06", 1);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);   /* the cycles named here are dated for this day */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_equal_full_evaluation),
        cmocka_unit_test(test_person_without_assessment_moved),
        cmocka_unit_test(test_person_renamed_sorts_under_new_name),
        cmocka_unit_test(test_words_follow_record_changes),
        cmocka_unit_test(test_leaver_gone_on_the_day),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
