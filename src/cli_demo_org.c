/* cli_demo_org.c - `itss demo --people N [--cycles K]`: a large organization.
 *
 * The 64-person demo (cli_demo.c) is drawn by hand; this one is generated, for
 * trying and measuring itss at the scale of a large Japanese IT service
 * company (10,000 to 1,000,000 engineers):
 *
 *   - a unit tree built from the bottom: sections (課) of 6 to 14 people, each
 *     level grouping 3 to 8 units under one (部, 事業部, 本部, カンパニー...)
 *     until one company is left, so depth grows with the logarithm of N (six
 *     levels at 100,000);
 *   - every unit has a head; a member reports to the head of their section, a
 *     head to the head of the unit above;
 *   - a specialization (HW, SW, FM) per section, most members sharing it, and a
 *     latent level per person (heads higher) that grows a little every cycle;
 *   - K cycles (年度, the last one open), people who joined later assessed only
 *     from their first cycle;
 *   - experience records at the levels a person has reached (some failed),
 *     contributions from level 4;
 *   - self and manager ratings drawn around the latent level (self a little
 *     above it, the manager a little below, both with noise per person and
 *     item): 責任性 and checklist items met up to about the level, proficiency
 *     per area around it, knowledge ratings rising with it; met 複雑性/サイズ
 *     items name the person's record of that level as evidence;
 *   - statuses spread as in a campaign: past cycles approved (a few left
 *     submitted), the open one 8% not started, 17% drafts (partly answered),
 *     30% submitted (half of them already rated by the manager), 5% returned,
 *     40% approved.
 *
 *   - every approved assessment has its approval (the levels of the reviewed
 *     ratings, decided by the engine; the snapshot says it was generated rather
 *     than holding the full result and explanation a reviewer's approval keeps,
 *     about 70 KB each), and 30% of those reaching a level in their own
 *     specialization a 社内認定 certificate valid three years, so that the
 *     official views have something to show.
 *
 * Everything comes from a fixed seed: two runs with the same N and K hold the
 * same data. Answers go through the store's bulk writer (store_bulk.h, the path
 * of itss import assessments), with the self levels decided as they are
 * written and kept; the rest through the store's ordinary calls; one
 * transaction per CHUNK people. */
#include "cli_demo_org.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "account.h"
#include "assessment.h"
#include "buf.h"
#include "cli.h"
#include "demo_data.h"
#include "engine.h"
#include "orgcols.h"
#include "review.h"
#include "rules.h"
#include "store_bulk.h"

#define SPECS 3
#define CHUNK 2000                 /* people per transaction while filling assessments */
#define MAX_RECORDS 8

static const char *const spec_codes[SPECS] = { "HW", "SW", "FM" };
static const int spec_weight[SPECS] = { 45, 40, 15 };   /* percent of sections */

/* Names of the tiers of the unit tree, from the bottom. */
static const char *const tier_suffix[] = { "課", "部", "事業部", "本部", "カンパニー", "グループ", "統括" };
static const char *const tier_prefix[] = { "K", "B", "J", "H", "C", "G", "T" };
#define TIERS ((int)(sizeof tier_suffix / sizeof tier_suffix[0]))

/* Where an answerable element sits: what rule draws its answer. */
enum { EL_RESPONSIBILITY, EL_CHECK, EL_PROFICIENCY, EL_KNOWLEDGE };

typedef struct org_element {
    const char *id;
    int kind;                      /* EL_* */
    int level;                     /* level of 責任性, checklist items and proficiency */
    int criterion;                 /* catalog_criterion_kind of a checklist item */
    unsigned area;                 /* index of the skill area (proficiency) */
    uint32_t number;               /* in the bulk writer's numbering (o->ids) */
} org_element;

typedef struct org_unit_plan {
    int64_t id;
    long parent;                   /* index, -1 for the company */
    int tier;
    long head;                     /* person index */
    long number;                   /* within its tier, from 1 */
    int spec;
} org_unit_plan;

typedef struct org_person {
    int64_t id;
    long unit;
    long manager;                  /* person index, -1 none */
    int spec;
    int joined;                    /* first cycle assessed */
    float latent, growth;
    uint32_t seed;
} org_person;

typedef struct org_record {
    int64_t id;
    int level;
    int succeeded;
} org_record;

typedef struct org {
    store *db;
    const catalog *cat;
    const policy *pol;
    const catalog_spec *specs[SPECS];
    org_element *elements[SPECS];
    size_t n_elements[SPECS];
    org_unit_plan *units;
    long n_units, n_sections;
    int depth;
    org_person *people;
    long n_people;
    int n_cycles;
    int64_t cycle_ids[DEMO_ORG_MAX_CYCLES];
    char cycle_names[DEMO_ORG_MAX_CYCLES][32];
    int last_year;                 /* the last cycle's fiscal year: today's (rules_today) */
    int now_month;                 /* months from year 0: September of that year, or today if earlier */
    /* counts for the summary */
    long n_records, n_failed, n_contributions, n_assessments, n_self, n_manager;
    long by_status[ASSESSMENT_STATUS_COUNT];
    long n_answers;
    long engineer, manager, hr;    /* people given web accounts, -1 none */
    orgcols_portfolio levels;      /* of the last cycle, from the kept results */
    long n_approvals, n_certificates;
    int progress;
    err *e;
    /* writing answers (store_bulk.h) */
    const char **ids;              /* every element answered, the writer's numbering */
    size_t n_ids;
    store_bulk *bulk;
    uint8_t *codes[RATER_COUNT];   /* by o->ids */
    store_bulk_link *links;
    size_t n_links;
    /* levels decided as the answers are written (NULL eng: by orgcols at the end) */
    engine *eng;
    char policy_key[160];
    int *slot_of;                  /* o->ids -> engine slot */
    signed char *values;
    uint64_t *bits;
    engine_records *tallies;
    const char **spec_ids;
    int *spec_of;                  /* SPECS -> catalog spec index */
    size_t n_cat_specs;
} org;

/* ---- determinism ---- */

/* A 32-bit mix (lowbias32). */
static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/* A number in [0, 1) fixed by a and b. */
static double unit_random(uint32_t a, uint32_t b)
{
    return mix32(a ^ mix32(b + 0x9e3779b9U)) / 4294967296.0;
}

/* A spread around 0 (sum of three uniforms), about [-1, 1). */
static double spread(uint32_t a, uint32_t b)
{
    return (unit_random(a, b) + unit_random(a, b + 1) + unit_random(a, b + 2)) / 1.5 - 1.0;
}

/* ---- the catalog: what a full assessment of each specialization answers ---- */

static int collect_elements(org *o)
{
    size_t n = catalog_element_count(o->cat);
    /* the writer's numbering: every answerable element of the catalog, in catalog order */
    uint32_t *number = calloc(n ? n : 1, sizeof *number);
    o->ids = calloc(n ? n : 1, sizeof *o->ids);
    if (!number || !o->ids)
        abort();
    for (size_t i = 0; i < n; i++) {
        const catalog_element *el = catalog_element_at(o->cat, i);
        if (el->kind == CK_RESPONSIBILITY || el->kind == CK_CHECK_ITEM || el->kind == CK_PROFICIENCY
            || el->kind == CK_KNOWLEDGE_ITEM) {
            number[i] = (uint32_t)o->n_ids;
            o->ids[o->n_ids++] = el->id;
        }
    }
    for (int s = 0; s < SPECS; s++) {
        o->elements[s] = calloc(n ? n : 1, sizeof *o->elements[s]);
        if (!o->elements[s])
            abort();
        for (size_t i = 0; i < n; i++) {
            const catalog_element *el = catalog_element_at(o->cat, i);
            if (!catalog_block_of(el->spec, o->specs[s]))
                continue;
            org_element x = { el->id, 0, 0, 0, 0, number[i] };
            switch (el->kind) {
            case CK_RESPONSIBILITY:
                x.kind = EL_RESPONSIBILITY;
                x.level = el->level->level;
                break;
            case CK_CHECK_ITEM:
                x.kind = EL_CHECK;
                x.level = el->level->level;
                x.criterion = (int)el->criterion->kind;
                break;
            case CK_PROFICIENCY:
                x.kind = EL_PROFICIENCY;
                x.level = el->proficiency->level;
                for (size_t a = 0; a < catalog_area_count(o->cat); a++)
                    if (catalog_area_at(o->cat, a) == el->area)
                        x.area = (unsigned)a;
                break;
            case CK_KNOWLEDGE_ITEM:
                x.kind = EL_KNOWLEDGE;
                break;
            default:
                continue;
            }
            o->elements[s][o->n_elements[s]++] = x;
        }
    }
    free(number);
    for (int r = 0; r < RATER_COUNT; r++)
        if (!(o->codes[r] = calloc(o->n_ids + 1, 1)))
            abort();
    if (!(o->links = calloc(o->n_ids * RATER_COUNT * MAX_RECORDS + 1, sizeof *o->links)))
        abort();
    return 0;
}

/* The engine and tables that decide levels as answers are written; none when
 * the policy needs evidence (orgcols decides them at the end). */
static void levels_init(org *o)
{
    o->eng = engine_new(o->cat, o->pol);
    if (!o->eng || engine_needs_evidence(o->eng)) {
        engine_free(o->eng);
        o->eng = NULL;
        return;
    }
    snprintf(o->policy_key, sizeof o->policy_key, "%s@%s", o->pol->id, o->pol->version);
    o->n_cat_specs = catalog_spec_count(o->cat);
    o->slot_of = calloc(o->n_ids + 1, sizeof *o->slot_of);
    o->values = calloc(engine_slot_count(o->eng) + 1, 1);
    o->bits = calloc(engine_packed_words(o->eng) + 1, sizeof *o->bits);
    o->tallies = calloc(o->n_cat_specs + 1, sizeof *o->tallies);
    o->spec_ids = calloc(o->n_cat_specs + 1, sizeof *o->spec_ids);
    o->spec_of = calloc(SPECS, sizeof *o->spec_of);
    o->levels.counts = calloc(o->n_cat_specs * 8 + 1, sizeof *o->levels.counts);
    if (!o->slot_of || !o->values || !o->bits || !o->tallies || !o->spec_ids || !o->spec_of || !o->levels.counts)
        abort();
    o->levels.n_specs = o->n_cat_specs;
    o->levels.n_levels = 8;
    for (size_t i = 0; i < o->n_ids; i++)
        o->slot_of[i] = engine_slot(o->eng, o->ids[i]);
    for (size_t k = 0; k < o->n_cat_specs; k++) {
        o->spec_ids[k] = catalog_spec_at(o->cat, k)->id;
        for (int s = 0; s < SPECS; s++)
            if (catalog_spec_at(o->cat, k) == o->specs[s])
                o->spec_of[s] = (int)k;
    }
}

static void levels_free(org *o)
{
    engine_free(o->eng);
    free(o->slot_of);
    free(o->values);
    free(o->bits);
    free(o->tallies);
    free(o->spec_ids);
    free(o->spec_of);
}

/* ---- the organization ---- */

/* Plans the unit tree and the people: sections of 6 to 14, grouped 3 to 8 at a
 * time until one unit (the company) is left. */
static void plan_org(org *o, long n_people)
{
    long n_sections = n_people / 10 > 0 ? n_people / 10 : 1;
    long cap = n_sections * 2 + 8;
    o->units = calloc((size_t)cap, sizeof *o->units);
    if (!o->units)
        abort();
    for (long i = 0; i < n_sections; i++) {
        org_unit_plan *u = &o->units[i];
        u->tier = 0;
        u->number = i + 1;
        uint32_t h = mix32((uint32_t)i * 2654435761U + 7);
        int w = (int)(h % 100);
        u->spec = w < spec_weight[0] ? 0 : w < spec_weight[0] + spec_weight[1] ? 1 : 2;
    }
    long n = n_sections, first = 0;
    int tier = 0;
    while (n - first > 1 || tier == 0) {
        long count = n - first, made = 0;
        for (long i = first; i < n;) {
            long fan = 3 + (long)(mix32((uint32_t)(i * 31 + tier)) % 6);
            if (count - (i - first) < fan + 3)
                fan = count - (i - first);   /* no lonely unit at the end */
            org_unit_plan *p = &o->units[n + made];
            p->tier = tier + 1;
            p->number = made + 1;
            p->parent = -1;
            p->spec = o->units[i].spec;
            for (long k = i; k < i + fan; k++)
                o->units[k].parent = n + made;
            made++;
            i += fan;
        }
        first = n;
        n += made;
        tier++;
    }
    o->units[n - 1].parent = -1;
    o->n_units = n;
    o->n_sections = n_sections;
    o->depth = tier + 1;

    /* People: the heads of the units above the sections sit in their own unit;
     * the rest fill the sections, sized by weight. */
    long heads_above = n - n_sections;
    long in_sections = n_people - heads_above;
    o->n_people = n_people;
    o->people = calloc((size_t)n_people, sizeof *o->people);
    if (!o->people)
        abort();
    long *size = calloc((size_t)n_sections, sizeof *size);
    if (!size)
        abort();
    long weight_sum = 0;
    for (long i = 0; i < n_sections; i++)
        weight_sum += 6 + (long)(mix32((uint32_t)i + 99) % 9);
    long placed = 0;
    for (long i = 0; i < n_sections; i++) {
        size[i] = 1 + (in_sections - n_sections) * (6 + (long)(mix32((uint32_t)i + 99) % 9)) / weight_sum;
        placed += size[i];
    }
    for (long i = 0; placed < in_sections; i = (i + 1) % n_sections, placed++)
        size[i]++;

    /* Order: heads from the company down (managers before their reports), then
     * the members of each section. */
    long p = 0;
    for (long u = n - 1; u >= 0; u--) {
        org_person *x = &o->people[p];
        x->unit = u;
        o->units[u].head = p++;
    }
    for (long s = 0; s < n_sections; s++)
        for (long k = 1; k < size[s]; k++)
            o->people[p++].unit = s;
    free(size);
    for (long i = 0; i < n_people; i++) {
        org_person *x = &o->people[i];
        const org_unit_plan *u = &o->units[x->unit];
        x->seed = mix32((uint32_t)i * 2246822519U + 20260401U);
        int is_head = u->head == i;
        long boss_unit = is_head ? u->parent : x->unit;
        x->manager = boss_unit >= 0 ? o->units[boss_unit].head : -1;
        x->spec = unit_random(x->seed, 1) < 0.85 ? u->spec : (int)(mix32(x->seed + 2) % SPECS);
        double base = (unit_random(x->seed, 3) + unit_random(x->seed, 4)) / 2;
        x->latent = (float)(0.6 + 4.6 * base + (is_head ? 0.8 + 0.3 * u->tier : 0));
        x->growth = (float)(0.05 + 0.4 * unit_random(x->seed, 5));
        double j = unit_random(x->seed, 6);
        x->joined = o->n_cycles > 1 && j < 0.12 ? 1 + (int)(mix32(x->seed + 7) % (uint32_t)(o->n_cycles - 1)) : 0;
    }
}

static void unit_name(const org *o, const org_unit_plan *u, char *code, size_t code_size, char *name,
                      size_t name_size)
{
    if (u->parent < 0) {
        snprintf(code, code_size, "HQ");
        snprintf(name, name_size, "%s", demo_company);
        return;
    }
    int t = u->tier < TIERS ? u->tier : TIERS - 1;
    snprintf(code, code_size, "%s%05ld", tier_prefix[t], u->number);
    if (u->tier == 0)
        snprintf(name, name_size, "%s第%ld%s", o->specs[u->spec]->name, u->number, tier_suffix[t]);
    else
        snprintf(name, name_size, "第%ld%s", u->number, tier_suffix[t]);
}

static void person_name(const org_person *x, long i, char *empno, char *name, char *kana, char *email)
{
    const demo_name *sur = &demo_surnames[mix32(x->seed + 11) % demo_n_surnames];
    int female = mix32(x->seed + 12) % 100 < 30;
    const demo_name *given = female ? &demo_given_female[mix32(x->seed + 13) % demo_n_given_female]
                                    : &demo_given_male[mix32(x->seed + 13) % demo_n_given_male];
    snprintf(empno, 16, "E%07ld", i + 1);
    snprintf(name, 64, "%s %s", sur->kanji, given->kanji);
    snprintf(kana, 64, "%s %s", sur->kana, given->kana);
    snprintf(email, 96, "%s.%s.%ld@example.jp", given->roman, sur->roman, i + 1);
}

static void progress(const org *o, const char *what, long done, long total)
{
    if (o->progress && (done % 5000 == 0 || done == total))
        fprintf(stderr, "\ritss demo: %s %ld/%ld   %s", what, done, total, done == total ? "\n" : "");
}

/* Adds the units (parents first) and the people (managers first), one
 * transaction per 10,000 rows. */
static int add_org(org *o)
{
    int rc = store_begin(o->db, o->e);
    for (long u = o->n_units - 1; rc == 0 && u >= 0; u--) {
        org_unit_plan *x = &o->units[u];
        char code[32], name[128];
        unit_name(o, x, code, sizeof code, name, sizeof name);
        rc = store_org_add(o->db, code, name, x->parent >= 0 ? o->units[x->parent].id : 0, &x->id, o->e);
    }
    for (long i = 0; rc == 0 && i < o->n_people; i++) {
        org_person *x = &o->people[i];
        char empno[16], name[64], kana[64], email[96];
        person_name(x, i, empno, name, kana, email);
        store_person p = { 0 };
        p.employee_number = empno;
        p.name = name;
        p.kana = kana;
        p.email = email;
        p.org_unit_id = o->units[x->unit].id;
        p.manager_id = x->manager >= 0 ? o->people[x->manager].id : 0;
        rc = store_person_add(o->db, &p, &x->id, o->e);
        if (rc == 0 && (i + 1) % 10000 == 0) {
            rc = store_commit(o->db, o->e);
            if (rc == 0)
                rc = store_begin(o->db, o->e);
        }
        progress(o, "people", i + 1, o->n_people);
    }
    if (rc == 0)
        rc = store_commit(o->db, o->e);
    for (int c = 0; rc == 0 && c < o->n_cycles; c++) {
        int year = o->last_year - (o->n_cycles - 1 - c);
        char opens[16], closes[16];
        snprintf(o->cycle_names[c], sizeof o->cycle_names[c], "%d年度", year);
        snprintf(opens, sizeof opens, "%d-04-01", year);
        snprintf(closes, sizeof closes, "%d-03-31", year + 1);
        rc = store_cycle_add(o->db, o->cycle_names[c], opens, closes, &o->cycle_ids[c], o->e);
    }
    return rc;
}

/* ---- records, contributions, answers ---- */

/* The latent level of person x in cycle c. */
static double latent_at(const org *o, const org_person *x, int c)
{
    (void)o;
    return x->latent + x->growth * c;
}

/* Adds x's experience records: one per level up to the one reached in the last
 * cycle (as many as the policy asks), some people with a failed one above. */
static int add_records(org *o, org_person *x, org_record *recs, size_t *n_recs)
{
    *n_recs = 0;
    const catalog_spec *spec = o->specs[x->spec];
    int lo, hi;
    catalog_spec_level_range(o->cat, spec, &lo, &hi);
    int top = (int)latent_at(o, x, o->n_cycles - 1);
    if (top > hi)
        top = hi;
    if (top < lo)
        top = lo;
    int need = policy_required_records(o->pol, top);
    int k = need < 1 ? 1 : need + (top >= 3);
    if (k > MAX_RECORDS - 1)
        k = MAX_RECORDS - 1;
    int failed = unit_random(x->seed, 20) < 0.1 && top < hi;
    int total = k + failed;
    for (int i = 0; i < total; i++) {
        int is_failed = failed && i == total - 1;
        int level = is_failed ? top + 1 : top - (k - 1 - i);
        if (level < lo)
            level = lo;
        const catalog_level *lv = catalog_level_of(o->cat, spec, level);
        const char *complexity[2], *size[1];
        size_t n_c = 0, n_s = 0;
        if (lv) {
            const catalog_criterion *cc = &lv->criteria[CRITERION_COMPLEXITY], *cs = &lv->criteria[CRITERION_SIZE];
            for (size_t j = 0; j < cc->n_items && n_c < 2; j++)
                if (mix32(x->seed + (uint32_t)(i * 16 + j)) % 2 == 0 || cc->n_items - j <= 2 - n_c)
                    complexity[n_c++] = cc->items[j].id;
            if (cs->n_items)
                size[n_s++] = cs->items[mix32(x->seed + (uint32_t)i) % cs->n_items].id;
        }
        const demo_project *pr = NULL;
        uint32_t h = mix32(x->seed + 40 + (uint32_t)i);
        for (size_t tries = 0; tries < demo_n_projects && !pr; tries++) {
            const demo_project *c = &demo_projects[(h + tries) % demo_n_projects];
            if (strcmp(c->spec, spec_codes[x->spec]) == 0 && level >= c->min_level && level <= c->max_level)
                pr = c;
        }
        char from[8], to[8];
        int m_from = o->now_month - (total - i) * 20, m_to = m_from + 14;
        snprintf(from, sizeof from, "%04d-%02d", m_from / 12, m_from % 12 + 1);
        snprintf(to, sizeof to, "%04d-%02d", m_to / 12, m_to % 12 + 1);
        assessment_experience r = { 0 };
        r.project = (char *)(pr ? pr->name : "保守サービス改善プロジェクト");
        r.period_from = from;
        r.period_to = to;
        r.role = (char *)demo_role(spec_codes[x->spec], level);
        r.specialization_id = (char *)spec->id;
        r.level = level;
        r.complexity_items = (char **)complexity;
        r.n_complexity_items = n_c;
        r.size_items = (char **)size;
        r.n_size_items = n_s;
        r.succeeded = !is_failed;
        r.description = (char *)(pr ? pr->description : NULL);
        int64_t id;
        if (store_experience_add(o->db, x->id, &r, &id, o->e) < 0)
            return -1;
        org_record *rec = &recs[(*n_recs)++];
        rec->id = id;
        rec->level = level;
        rec->succeeded = !is_failed;
        o->n_records++;
        o->n_failed += is_failed;
    }
    if (top >= 4) {
        for (size_t i = 0; i < demo_n_contributions; i++) {
            const demo_contribution *dc = &demo_contributions[(mix32(x->seed + 50) + i) % demo_n_contributions];
            if (strcmp(dc->spec, spec_codes[x->spec]) != 0 || dc->min_level > top)
                continue;
            assessment_contribution c = { 0 };
            c.kind = (contribution_kind)contribution_kind_parse(dc->kind);
            c.title = (char *)dc->title;
            char date[8];
            snprintf(date, sizeof date, "%04d-%02d", (o->now_month - 10) / 12, (o->now_month - 10) % 12 + 1);
            c.date = date;
            c.description = (char *)dc->description;
            if (store_contribution_add(o->db, x->id, &c, NULL, o->e) < 0)
                return -1;
            o->n_contributions++;
            break;
        }
    }
    return 0;
}

/* Fills o->codes[rater] (and o->links) with rater's answers for x in cycle c:
 * the first `share` of the elements (1.0: all). Returns how many. */
static size_t draw_codes(org *o, const org_person *x, int c, assessment_rater rater, double share,
                         const org_record *recs, size_t n_recs)
{
    uint32_t seed = x->seed ^ (rater == RATER_SELF ? 0x51f15eedU : 0x3a9a6e55U) ^ (uint32_t)c * 0x01000193U;
    double bias = rater == RATER_SELF ? 0.2 + 0.35 * spread(seed, 1) : -0.1 + 0.25 * spread(seed, 1);
    double seen = latent_at(o, x, c) + bias;
    const org_element *el = o->elements[x->spec];
    size_t n = o->n_elements[x->spec];
    size_t upto = share >= 1.0 ? n : (size_t)(n * share);
    for (size_t i = 0; i < upto; i++) {
        double u = unit_random(seed, (uint32_t)i + 100);
        int value = 0;
        switch (el[i].kind) {
        case EL_RESPONSIBILITY:
            value = el[i].level <= seen + (u - 0.5) * 0.4;
            break;
        case EL_CHECK:
            value = el[i].level + u - 1.0 <= seen;
            if (value && rater == RATER_SELF && el[i].criterion != CRITERION_TASK)
                for (size_t r = 0; r < n_recs; r++)
                    if (recs[r].level == el[i].level && recs[r].succeeded)
                        o->links[o->n_links++] = (store_bulk_link){ rater, el[i].number, recs[r].id };
            break;
        case EL_PROFICIENCY: {
            static const int shift[5] = { -1, 0, 0, 0, 1 };
            value = el[i].level <= seen + shift[mix32(x->seed + el[i].area) % 5];
            break;
        }
        default: {
            int r = (int)(seen * 0.75 + u * 1.5 - 0.5);
            value = r < 0 ? 0 : r > ASSESS_RATING_MAX ? ASSESS_RATING_MAX : r;
            break;
        }
        }
        o->codes[rater][el[i].number] = (uint8_t)(value + 1);
    }
    return upto;
}

/* The levels engine_levels_packed decides from the codes of rater that t holds
 * now and x's records, into levels (catalog order). */
static void decide_levels(org *o, const org_person *x, int rater, const org_record *recs, size_t n_recs,
                          int *levels)
{
    const uint8_t *codes = store_bulk_codes(o->bulk, rater);
    memset(o->values, -1, engine_slot_count(o->eng));
    for (size_t i = 0; i < o->n_ids; i++)
        if (codes[i] && o->slot_of[i] >= 0)
            o->values[o->slot_of[i]] = (signed char)(codes[i] - 1);
    engine_pack_values(o->eng, o->values, o->bits);
    memset(o->tallies, 0, o->n_cat_specs * sizeof *o->tallies);
    for (size_t r = 0; r < n_recs; r++)
        engine_tally_record(o->eng, o->tallies, o->specs[x->spec]->id, recs[r].level, recs[r].succeeded);
    engine_levels_packed(o->eng, o->bits, o->tallies, levels);
}

/* Clears what draw_codes set. */
static void clear_codes(org *o, const org_person *x)
{
    const org_element *el = o->elements[x->spec];
    for (size_t i = 0; i < o->n_elements[x->spec]; i++)
        o->codes[RATER_SELF][el[i].number] = o->codes[RATER_MANAGER][el[i].number] = 0;
    o->n_links = 0;
}

/* The approval of t by boss, as a reviewer approving it would leave it: the
 * levels of the reviewed ratings (the manager's, or the self-rating agreed
 * when nobody above rated it), a snapshot that says it was generated; a
 * certificate of the person's own specialization for some. */
static int approve(org *o, const org_person *x, const store_bulk_target *t, int c, int rated, const char *boss,
                   const org_record *recs, size_t n_recs)
{
    int levels[16] = { 0 };
    decide_levels(o, x, rated ? RATER_MANAGER : RATER_SELF, recs, n_recs, levels);
    store_approval ap;
    memset(&ap, 0, sizeof ap);
    store_approval_level lv[16];
    buf result;
    buf_init(&result);
    buf_puts(&result, "{\"generated\":\"itss demo --people\",\"levels\":{");
    for (size_t k = 0; k < o->n_cat_specs && k < 16; k++) {
        lv[k].specialization_id = (char *)o->spec_ids[k];
        lv[k].level = levels[k];
        buf_printf(&result, "%s\"%s\":%d", k ? "," : "", o->spec_ids[k], levels[k]);
    }
    buf_puts(&result, "}}");
    ap.assessment_id = t->id;
    ap.approved_by = (char *)boss;
    ap.policy_id = o->pol->id;
    ap.policy_version = o->pol->version;
    ap.catalog_id = (char *)catalog_id(o->cat);
    ap.catalog_version = (char *)catalog_version(o->cat);
    ap.result = result.data;
    ap.explanation = "itss demo --people: a generated approval; the levels were decided by the engine from the "
                     "reviewed ratings (engine_levels_packed)";
    ap.experience = "[]";
    ap.levels = lv;
    ap.n_levels = o->n_cat_specs < 16 ? o->n_cat_specs : 16;
    int64_t approval_id = 0;
    int rc = store_approval_add(o->db, &ap, &approval_id, o->e);
    buf_free(&result);
    o->n_approvals += rc == 0;
    int own = levels[o->spec_of[x->spec]];
    if (rc < 0 || own < 1 || unit_random(x->seed, 70 + (uint32_t)c) >= 0.3)
        return rc;
    /* certified when the cycle closed (the open cycle: today), valid three years */
    char on[11], until[11];
    int year = o->last_year - (o->n_cycles - 1 - c);
    if (c == o->n_cycles - 1)
        rules_today(on);
    else
        snprintf(on, sizeof on, "%04d-04-15", year + 1);
    snprintf(until, sizeof until, "%04d-03-31", year + 4);
    store_certificate cert;
    memset(&cert, 0, sizeof cert);
    cert.person_id = x->id;
    cert.approval_id = approval_id;
    cert.specialization_id = (char *)o->specs[x->spec]->id;
    cert.level = own;
    cert.certified_on = on;
    cert.valid_from = on;
    cert.valid_until = until;
    cert.certified_by = "hr";
    rc = store_certificate_add(o->db, &cert, NULL, NULL, o->e);
    o->n_certificates += rc == 0;
    return rc;
}

/* The status x's assessment of cycle c has reached in the campaign, whether
 * the manager rated it, and the share of it answered (-1: not started). */
static assessment_status campaign_status(const org *o, const org_person *x, int c, int *rated, double *share)
{
    int last = c == o->n_cycles - 1;
    double u = unit_random(x->seed, 60 + (uint32_t)c);
    assessment_status status;
    *rated = 1;
    *share = 1.0;
    if (!last) {
        status = u < 0.97 ? ASSESSMENT_APPROVED : ASSESSMENT_SUBMITTED;
        *rated = status == ASSESSMENT_APPROVED || u < 0.985;
    } else if (u < 0.08) {
        return (assessment_status)-1;   /* not started */
    } else if (u < 0.25) {
        status = ASSESSMENT_DRAFT;
        *rated = 0;
        *share = 0.2 + 0.8 * unit_random(x->seed, 61);
    } else if (u < 0.55) {
        status = ASSESSMENT_SUBMITTED;
        *rated = u < 0.40;
    } else if (u < 0.60) {
        status = ASSESSMENT_RETURNED;
    } else {
        status = ASSESSMENT_APPROVED;
    }
    if (x->manager < 0)
        *rated = 0;
    return status;
}

/* Creates and fills x's assessment of cycle c through the bulk writer, with
 * the status the campaign has reached, its self levels kept, and an approval
 * (and for some a certificate) when approved. */
static int add_assessment(org *o, const org_person *x, int c, const org_record *recs, size_t n_recs)
{
    int rated;
    double share;
    assessment_status status = campaign_status(o, x, c, &rated, &share);
    if ((int)status < 0)
        return 0;
    char empno[16], boss[16];
    snprintf(empno, sizeof empno, "E%07ld", (long)(x - o->people) + 1);
    snprintf(boss, sizeof boss, "E%07ld", x->manager + 1);
    store_bulk_target t;
    if (store_bulk_assessment(o->bulk, x->id, o->cycle_ids[c], empno, &t, o->e) < 0)
        return -1;
    size_t n_self = draw_codes(o, x, c, RATER_SELF, share, recs, n_recs), n_manager = 0;
    const uint8_t *self_only[RATER_COUNT] = { o->codes[RATER_SELF], o->codes[RATER_MANAGER] };
    int rc = store_bulk_put(o->bulk, &t, self_only, o->links, o->n_links, empno, o->e);
    if (rc == 0 && o->eng) {
        int levels[16] = { 0 };
        decide_levels(o, x, RATER_SELF, recs, n_recs, levels);
        size_t n_specs = o->n_cat_specs < 16 ? o->n_cat_specs : 16;
        rc = store_bulk_levels(o->bulk, &t, o->policy_key, o->spec_ids, levels, n_specs, o->e);
        for (size_t k = 0; rc == 0 && c == o->n_cycles - 1 && k < o->n_cat_specs && k < 16; k++)
            if (levels[k] >= 0 && levels[k] < 8)
                o->levels.counts[k * 8 + (size_t)levels[k]]++;
    }
    if (rc == 0 && status != ASSESSMENT_DRAFT)
        rc = store_bulk_status(o->bulk, &t, ASSESSMENT_SUBMITTED, empno, o->e);
    if (rc == 0 && rated) {
        clear_codes(o, x);
        n_manager = draw_codes(o, x, c, RATER_MANAGER, 1.0, recs, n_recs);
        const uint8_t *manager_only[RATER_COUNT] = { o->codes[RATER_SELF], o->codes[RATER_MANAGER] };
        rc = store_bulk_put(o->bulk, &t, manager_only, NULL, 0, boss, o->e);
    }
    if (rc == 0 && status == ASSESSMENT_APPROVED && o->eng)
        rc = approve(o, x, &t, c, rated, x->manager >= 0 ? boss : "hr", recs, n_recs);
    if (rc == 0 && (status == ASSESSMENT_APPROVED || status == ASSESSMENT_RETURNED))
        rc = store_bulk_status(o->bulk, &t, status, x->manager >= 0 ? boss : "hr", o->e);
    clear_codes(o, x);
    o->n_self += (long)n_self;
    o->n_manager += (long)n_manager;
    o->n_answers += (long)(n_self + n_manager);
    o->n_assessments++;
    o->by_status[status]++;
    return rc;
}

/* Opens a transaction and a bulk writer in it. */
static int chunk_begin(org *o)
{
    if (store_begin(o->db, o->e) < 0)
        return -1;
    o->bulk = store_bulk_new(o->db, catalog_id(o->cat), catalog_version(o->cat), o->ids, o->n_ids, o->e);
    return o->bulk ? 0 : -1;
}

/* Closes the writer and commits (rc 0) or rolls back. */
static int chunk_end(org *o, int rc)
{
    store_bulk_free(o->bulk);
    o->bulk = NULL;
    if (rc == 0)
        return store_commit(o->db, o->e);
    store_rollback(o->db, NULL);
    return -1;
}

/* Records, contributions and assessments of everyone, CHUNK people per
 * transaction. */
static int add_assessments(org *o)
{
    int rc = chunk_begin(o);
    for (long i = 0; rc == 0 && i < o->n_people; i++) {
        org_person *x = &o->people[i];
        org_record recs[MAX_RECORDS];
        size_t n_recs = 0;
        rc = add_records(o, x, recs, &n_recs);
        for (int c = x->joined; rc == 0 && c < o->n_cycles; c++)
            rc = add_assessment(o, x, c, recs, n_recs);
        if (rc == 0 && (i + 1) % CHUNK == 0) {
            rc = chunk_end(o, 0);
            if (rc == 0)
                rc = chunk_begin(o);
        }
        progress(o, "assessments of people", i + 1, o->n_people);
    }
    return chunk_end(o, rc);
}

/* The web accounts of the small demo, with the same published passwords: an
 * engineer (a member of the first section), their manager, HR (the company's
 * head's first report) and an administrator. */
static int add_accounts(org *o)
{
    o->engineer = o->manager = o->hr = -1;
    for (long i = 0; i < o->n_people && o->engineer < 0; i++)
        if (o->units[o->people[i].unit].tier == 0 && o->units[o->people[i].unit].head != i)
            o->engineer = i;
    o->manager = o->engineer >= 0 ? o->people[o->engineer].manager : -1;
    o->hr = o->n_people > 1 ? 1 : 0;
    if (o->hr == o->manager || o->hr == o->engineer)
        o->hr = -1;
    struct { const char *login, *password, *role; long person; } acc[4] = {
        { "engineer", "itss-demo-engineer", "engineer", o->engineer },
        { "manager", "itss-demo-manager", "manager", o->manager },
        { "hr", "itss-demo-hr", "hr", o->hr },
        { "admin", "itss-demo-admin", "admin", -1 },
    };
    for (int i = 0; i < 4; i++) {
        char hash[ACCOUNT_HASH_SIZE];
        if (account_password_hash(acc[i].password, hash) < 0) {
            err_set(o->e, NULL, 0, 0, NULL, "cannot hash the password of %s: out of memory", acc[i].login);
            return -1;
        }
        store_user u = { 0 };
        u.login = (char *)acc[i].login;
        u.person_id = acc[i].person >= 0 ? o->people[acc[i].person].id : 0;
        u.role = (char *)acc[i].role;
        u.password_hash = hash;
        if (store_user_add(o->db, &u, NULL, o->e) < 0)
            return -1;
    }
    return 0;
}

/* ---- the summary ---- */

static void render_text(const org *o, buf *b, double seconds)
{
    buf_printf(b, "itss demo: filled %s with %s (fictional, generated)\n", store_location(o->db), demo_company);
    buf_printf(b, "  %ld people in %ld org units (%ld sections, %d levels deep), cycles %s to %s\n", o->n_people,
               o->n_units, o->n_sections, o->depth, o->cycle_names[0], o->cycle_names[o->n_cycles - 1]);
    buf_printf(b, "  %ld experience records (%ld failed), %ld contributions\n", o->n_records, o->n_failed,
               o->n_contributions);
    buf_printf(b, "  %ld assessments (", o->n_assessments);
    for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
        buf_printf(b, "%s%s %ld", s ? ", " : "", assessment_status_name((assessment_status)s), o->by_status[s]);
    buf_printf(b, ") with %ld answers (self %ld, manager %ld)\n", o->n_answers, o->n_self, o->n_manager);
    buf_printf(b, "  %ld approvals, %ld certificates (社内認定)\n", o->n_approvals, o->n_certificates);
    buf_printf(b, "  in %.1f s\n", seconds);
    buf_printf(b, "\nLevels reached in %s (self rating, kept results), people per specialization and level:\n",
               o->cycle_names[o->n_cycles - 1]);
    for (size_t s = 0; s < o->levels.n_specs; s++) {
        buf_printf(b, "  %-8s", catalog_spec_at(o->cat, s)->code);
        for (int l = 0; l < o->levels.n_levels; l++)
            buf_printf(b, " %d:%lld", l, (long long)o->levels.counts[s * (size_t)o->levels.n_levels + (size_t)l]);
        buf_putc(b, '\n');
    }
    buf_puts(b, "\nWeb accounts (itss serve); the passwords are published, for trying itss only:\n");
    const char *rows[4][3] = { { "engineer", "itss-demo-engineer", "engineer" },
                               { "manager", "itss-demo-manager", "manager" },
                               { "hr", "itss-demo-hr", "hr" },
                               { "admin", "itss-demo-admin", "admin" } };
    long who[4] = { o->engineer, o->manager, o->hr, -1 };
    for (int i = 0; i < 4; i++) {
        buf_puts(b, "  ");
        buf_pad(b, rows[i][0], 10);
        buf_pad(b, rows[i][1], 21);
        buf_pad(b, rows[i][2], 10);
        if (who[i] >= 0)
            buf_printf(b, "E%07ld", who[i] + 1);
        buf_putc(b, '\n');
    }
}

static json_t *render_json(const org *o, double seconds)
{
    json_t *j = json_object();
    json_object_set_new(j, "database", json_string(store_location(o->db)));
    json_object_set_new(j, "company", json_string(demo_company));
    json_object_set_new(j, "people", json_integer(o->n_people));
    json_object_set_new(j, "org_units", json_integer(o->n_units));
    json_object_set_new(j, "sections", json_integer(o->n_sections));
    json_object_set_new(j, "depth", json_integer(o->depth));
    json_t *cycles = json_array();
    for (int c = 0; c < o->n_cycles; c++)
        json_array_append_new(cycles, json_string(o->cycle_names[c]));
    json_object_set_new(j, "cycles", cycles);
    json_object_set_new(j, "experience_records", json_integer(o->n_records));
    json_object_set_new(j, "failed_records", json_integer(o->n_failed));
    json_object_set_new(j, "contributions", json_integer(o->n_contributions));
    json_object_set_new(j, "assessments", json_integer(o->n_assessments));
    json_t *st = json_object();
    for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
        json_object_set_new(st, assessment_status_name((assessment_status)s), json_integer(o->by_status[s]));
    json_object_set_new(j, "statuses", st);
    json_object_set_new(j, "answers", json_integer(o->n_answers));
    json_object_set_new(j, "approvals", json_integer(o->n_approvals));
    json_object_set_new(j, "certificates", json_integer(o->n_certificates));
    json_object_set_new(j, "self_answers", json_integer(o->n_self));
    json_object_set_new(j, "manager_answers", json_integer(o->n_manager));
    json_object_set_new(j, "seconds", json_real(seconds));
    json_t *lv = json_object();
    for (size_t s = 0; s < o->levels.n_specs; s++) {
        json_t *row = json_array();
        for (int l = 0; l < o->levels.n_levels; l++)
            json_array_append_new(row, json_integer(o->levels.counts[s * (size_t)o->levels.n_levels + (size_t)l]));
        json_object_set_new(lv, catalog_spec_at(o->cat, s)->id, row);
    }
    json_object_set_new(j, "levels", lv);
    return j;
}

int demo_org_fill(store *db, const catalog *cat, const policy *pol, long n_people, int n_cycles, int json,
                  err *e)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    org o;
    memset(&o, 0, sizeof o);
    o.db = db;
    o.cat = cat;
    o.pol = pol;
    o.e = e;
    o.n_cycles = n_cycles;
    o.progress = isatty(2);
    char today[11];
    rules_today(today);
    o.last_year = rules_fiscal_year(today);
    o.now_month = o.last_year * 12 + 8;
    if (atoi(today) * 12 + atoi(today + 5) - 1 < o.now_month)
        o.now_month = atoi(today) * 12 + atoi(today + 5) - 1;
    for (int s = 0; s < SPECS; s++)
        if (!(o.specs[s] = catalog_spec_find(cat, spec_codes[s]))) {
            err_set(e, NULL, 0, 0, NULL, "catalog %s has no specialization %s", catalog_id(cat), spec_codes[s]);
            return -1;
        }
    collect_elements(&o);
    levels_init(&o);
    plan_org(&o, n_people);
    int rc = add_org(&o);
    if (rc == 0)
        rc = add_assessments(&o);
    if (rc == 0)
        rc = add_accounts(&o);
    /* Every assessment's levels decided once and kept (the result table), so
     * that the HR views and exports read them instead of evaluating everyone. */
    orgcols *oc = rc == 0 && !o.eng ? orgcols_new(cat, pol) : NULL;
    if (oc && (rc = orgcols_refresh(oc, db, e)) == 0)
        orgcols_portfolio_count(oc, o.cycle_ids[o.n_cycles - 1], 0, 0, 0, &o.levels);
    orgcols_free(oc);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (rc == 0 && json >= 0) {
        if (json) {
            rc = cli_print_json(render_json(&o, seconds)) == 0 ? 0 : -1;
        } else {
            buf b;
            buf_init(&b);
            render_text(&o, &b, seconds);
            rc = cli_write(&b, stdout) == 0 ? 0 : -1;
            buf_free(&b);
        }
        if (rc < 0)
            err_set(e, NULL, 0, 0, NULL, "cannot write the summary");
    }
    for (int s = 0; s < SPECS; s++)
        free(o.elements[s]);
    levels_free(&o);
    free(o.ids);
    for (int r = 0; r < RATER_COUNT; r++)
        free(o.codes[r]);
    free(o.links);
    orgcols_portfolio_free(&o.levels);
    free(o.units);
    free(o.people);
    return rc;
}
