/* cli_demo.c - `itss demo`: a database filled with a believable fictional
 * organization, so that a newcomer sees real results at once.
 *
 * 株式会社サンプルテクノサービス (src/demo_data.c): org units, about 60 engineers
 * with names, readings, e-mail addresses and managers, two cycles dated from
 * today (last fiscal year's, closed, and this one's, open: 2025年度 and 2026年度
 * on 2026-12-06), experience records (some failed),
 * professional contributions, and a full self assessment per engineer and
 * cycle. The answers are constructed from each post's planned level under the
 * default policy: every level up to the planned one met, the next one partly,
 * the ones above not. The demo then loads every assessment back from the store
 * and runs the engine on it; a result other than the plan is an error and
 * nothing is written. Everything is drawn from fixed tables and a fixed seed,
 * so two demo databases made in the same fiscal year hold the same data (apart
 * from timestamps and password salts; ITSS_TODAY=YYYY-MM-DD pins the date). All of it is one transaction. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "account.h"
#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "cli.h"
#include "cli_demo_org.h"
#include "demo_data.h"
#include "engine.h"
#include "policy.h"
#include "review.h"
#include "rules.h"
#include "store.h"
#include "store_outbox.h"

const char cli_demo_help[] =
    "usage: itss demo [--db PATH] [--force] [--json]\n"
    "       itss demo --people N [--cycles K] [--db PATH] [--force] [--json]\n"
    "\n"
    "Fills a database with a fictional organization, 株式会社サンプルテクノサービス:\n"
    "東日本/西日本 カスタマサービス本部 with their hardware and software departments,\n"
    "the ファシリティ部, about 60 engineers of ハードウェア, ソフトウェア and\n"
    "ファシリティマネジメント at levels 1 to 6 (and some 未到達), their experience\n"
    "records and contributions, and full self assessments for the fiscal year\n"
    "before this one (closed) and this one (open, April to March: 2026年度 from\n"
    "2026-04-01 to 2027-03-31), some showing a level gained between the two, so\n"
    "that the demo has an open cycle on any date. The levels are\n"
    "checked with the engine before anything is kept. At the end it prints how\n"
    "many people reached which level, and the web accounts it made:\n"
    "\n"
    "  login     password             role\n"
    "  engineer  itss-demo-engineer   engineer (an engineer of 金融システム保守課)\n"
    "  manager   itss-demo-manager    manager (the head of that section)\n"
    "  hr        itss-demo-hr         hr\n"
    "  admin     itss-demo-admin      admin\n"
    "\n"
    "These passwords are published: use a demo database for trying itss only.\n"
    "The data are the same on every run in a fiscal year (a fixed seed; the\n"
    "environment's ITSS_TODAY=YYYY-MM-DD sets the date the cycles are dated\n"
    "from). Everything is written in one transaction: on any error nothing is.\n"
    "\n"
    "The database is created when it does not exist. An existing database that\n"
    "already holds data (org units, people or cycles) is refused unless --force\n"
    "is given, which deletes the file and makes it again; an empty one (after\n"
    "itss init) is filled. The catalog must be the ITSS カスタマサービス one.\n"
    "\n"
    "options:\n"
    "  --db PATH        the database file (default: $ITSS_DB, else ./itss.db)\n"
    "  --force          replace a database that already holds data\n"
    "  --json           print the summary as JSON\n"
    "  --catalog FILE   the catalog (default: the built-in one)\n"
    "  --people N       instead of the organization above, a generated one of N\n"
    "                   people (10 to 10,000,000): a unit tree of sections of 6 to\n"
    "                   14 grouped 3 to 8 at a time up to one company, a head per\n"
    "                   unit as manager, experience records, self and manager\n"
    "                   ratings drawn around a level per person that grows each\n"
    "                   cycle, and statuses spread as in a running campaign (the\n"
    "                   last cycle open); every approved assessment approved (its\n"
    "                   levels decided by the engine; the snapshot says it was\n"
    "                   generated) and 30% of those reaching a level certified.\n"
    "                   Written in one transaction per 2,000 people; on an error\n"
    "                   the database it made is removed.\n"
    "                   The same N and K give the same data. For measuring itss at\n"
    "                   scale (bench/bench_scale.sh).\n"
    "  --cycles K       with --people: the number of yearly cycles, ending with\n"
    "                   this fiscal year's (default 2, at most 10)\n"
    "\n"
    "exit status: 0 done, 3 the database holds data (without --force), is not an\n"
    "itss database, or refused a change; 2 bad usage or another catalog.\n";

static const char demo_usage[] = "usage: itss demo [--db PATH] [--force] [--json]\n"
                                 "       itss demo --people N [--cycles K] [--db PATH] [--force] [--json]\n";

#define PROG "itss demo"

#define DEMO_SPECS 3              /* HW, SW, FM */
#define DEMO_CYCLES 2             /* last fiscal year's (closed) and this one's (open) */
#define DEMO_MAX_RECORDS 12
#define DEMO_BASE_YEAR 2026       /* the fiscal year the demo's data is written for */

static const char *const spec_codes[DEMO_SPECS] = { "HW", "SW", "FM" };
/* What seeds each cycle's choices: fixed, so that the demo's people answer the
 * same whatever year it is made in (the cycles' names move with the date). */
static const char *const cycle_seeds[DEMO_CYCLES] = { "2025年度", "2026年度" };

/* An experience record as the demo made it. */
typedef struct demo_record {
    char id[24];                  /* row id in decimal, as answers name it */
    int spec;                     /* index into spec_codes */
    const catalog_level *level;   /* the level it is claimed for */
    const char *complexity[2];
    size_t n_complexity;
    const char *size[1];
    size_t n_size;
    int succeeded;
} demo_record;

/* One person of the organization, with what the demo planned and what the
 * engine found. */
typedef struct demo_person {
    const demo_post *post;
    int64_t id;
    char empno[16];
    char name[64], kana[64], email[96];
    uint32_t seed;
    int planned[DEMO_CYCLES][DEMO_SPECS];   /* level, -1: not assessed in that specialization */
    int reached[DEMO_CYCLES][DEMO_SPECS];
    int64_t assessment[DEMO_CYCLES];        /* 0: none */
    demo_record records[DEMO_MAX_RECORDS];
    size_t n_records;
} demo_person;

/* An account the demo made. */
typedef struct demo_account {
    const char *login, *password, *role;
    const demo_person *person;    /* NULL for none */
} demo_account;

typedef struct demo {
    store *db;
    const catalog *cat;
    const policy *pol;
    const catalog_spec *specs[DEMO_SPECS];
    demo_person *people;
    size_t n_people;
    int64_t *unit_ids;            /* by index of demo_units */
    int64_t cycle_ids[DEMO_CYCLES];
    /* The cycles, dated from today (rules_today: ITSS_TODAY pins it): the
     * fiscal year before this one and this one, April to March. */
    char cycle_names[DEMO_CYCLES][16], cycle_opens[DEMO_CYCLES][11], cycle_closes[DEMO_CYCLES][11];
    int year_shift;               /* this fiscal year - DEMO_BASE_YEAR: the data's dates move by it */
    int now_month;                /* the demo's "now" (months from year 0): September of this fiscal year, or today if earlier */
    uint32_t rng;
    /* counts for the summary */
    size_t n_records, n_failed, n_contributions, n_assessments, n_answers;
    demo_account accounts[4];
    size_t n_accounts;
    err e;
} demo;

/* ---- determinism: a fixed seed and hashes of identifiers ---- */

/* A 32-bit mix (lowbias32): spreads the bits of x. */
static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/* The next number of the demo's sequence. */
static uint32_t next_random(demo *d)
{
    d->rng += 0x9e3779b9U;
    return mix32(d->rng);
}

/* A number fixed by a person's seed and an identifier (FNV-1a, then mixed):
 * the same element gets the same choice in every cycle and every run. */
static uint32_t hash_id(uint32_t seed, const char *id)
{
    uint32_t h = 2166136261U ^ seed;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= 16777619U;
    }
    return mix32(h);
}

/* ---- small helpers ---- */

/* Index of the org unit with that code in demo_units, or -1. */
static long unit_index(const char *code)
{
    for (size_t i = 0; i < demo_n_units; i++)
        if (strcmp(demo_units[i].code, code) == 0)
            return (long)i;
    return -1;
}

/* Index of spec code in spec_codes, or -1. */
static int spec_index(const char *code)
{
    for (int i = 0; code && i < DEMO_SPECS; i++)
        if (strcmp(spec_codes[i], code) == 0)
            return i;
    return -1;
}

/* "YYYY-MM" of a month counted from year 0. */
static void month_text(char out[8], int month)
{
    snprintf(out, 8, "%04d-%02d", month / 12, month % 12 + 1);
}

/* Is the post the head (本部長, 部長, 課長) of its unit? */
static int is_head(const demo_post *p)
{
    return p->title && (strcmp(p->title, "本部長") == 0 || strcmp(p->title, "部長") == 0
                        || strcmp(p->title, "課長") == 0);
}

/* The person heading unit code, or NULL. */
static const demo_person *head_of(const demo *d, const char *code)
{
    for (size_t i = 0; i < d->n_people; i++)
        if (is_head(d->people[i].post) && strcmp(d->people[i].post->unit, code) == 0)
            return &d->people[i];
    return NULL;
}

/* A person's manager: the head of their unit, or for a head (and a 担当部長) the
 * head of the nearest unit above. NULL for the top. */
static const demo_person *manager_of(const demo *d, const demo_person *p)
{
    long u = unit_index(p->post->unit);
    if (!p->post->title || !is_head(p->post)) {
        const demo_person *h = strcmp(p->post->title ? p->post->title : "", "担当部長") == 0 ? NULL
                                                                                        : head_of(d, p->post->unit);
        if (h)
            return h;
    }
    for (const char *parent = demo_units[u].parent; parent; parent = demo_units[unit_index(parent)].parent) {
        const demo_person *h = head_of(d, parent);
        if (h)
            return h;
    }
    return NULL;
}

/* ---- the organization ---- */

/* Adds every org unit. */
static int add_units(demo *d)
{
    d->unit_ids = calloc(demo_n_units, sizeof *d->unit_ids);
    if (!d->unit_ids)
        abort();
    for (size_t i = 0; i < demo_n_units; i++) {
        const demo_unit *u = &demo_units[i];
        int64_t parent = u->parent ? d->unit_ids[unit_index(u->parent)] : 0;
        if (store_org_add(d->db, u->code, u->name, parent, &d->unit_ids[i], &d->e) < 0)
            return -1;
    }
    return 0;
}

/* Gives every post a person: a name not used twice, its reading and an e-mail
 * address; employee numbers in order of joining. */
static void name_people(demo *d)
{
    d->n_people = demo_n_posts;
    d->people = calloc(d->n_people, sizeof *d->people);
    if (!d->people)
        abort();
    for (size_t i = 0; i < d->n_people; i++) {
        demo_person *p = &d->people[i];
        p->post = &demo_posts[i];
        p->seed = mix32((uint32_t)i * 2654435761U + 20260401U);
        for (;;) {
            const demo_name *sur = &demo_surnames[next_random(d) % demo_n_surnames];
            const demo_name *given = p->post->female ? &demo_given_female[next_random(d) % demo_n_given_female]
                                                     : &demo_given_male[next_random(d) % demo_n_given_male];
            snprintf(p->email, sizeof p->email, "%s.%s@example.jp", given->roman, sur->roman);
            int taken = 0;
            for (size_t j = 0; j < i; j++)
                taken |= strcmp(d->people[j].email, p->email) == 0;
            if (taken)
                continue;
            snprintf(p->name, sizeof p->name, "%s %s", sur->kanji, given->kanji);
            snprintf(p->kana, sizeof p->kana, "%s %s", sur->kana, given->kana);
            break;
        }
        /* Employee number: rank by year of joining (then post order). */
        int rank = 0;
        for (size_t j = 0; j < demo_n_posts; j++)
            rank += demo_posts[j].joined < p->post->joined || (demo_posts[j].joined == p->post->joined && j < i);
        snprintf(p->empno, sizeof p->empno, "E%04d", 1001 + rank);
        for (int c = 0; c < DEMO_CYCLES; c++)
            for (int s = 0; s < DEMO_SPECS; s++)
                p->planned[c][s] = -1;
        if (p->post->stage == DEMO_NOT_ASSESSED)
            continue;
        int primary = spec_index(p->post->spec), second = spec_index(p->post->second);
        if (p->post->level_2025 >= 0) {
            p->planned[0][primary] = p->post->level_2025;
            if (second >= 0)
                p->planned[0][second] = p->post->second_level;
        }
        if (p->post->stage != DEMO_NOT_STARTED) {
            p->planned[1][primary] = p->post->level_2026;
            if (second >= 0)
                p->planned[1][second] = p->post->second_level;
        }
    }
}

/* Adds the people, each after their manager. */
static int add_people(demo *d)
{
    for (size_t i = 0; i < d->n_people; i++) {
        demo_person *p = &d->people[i];
        const demo_person *m = manager_of(d, p);
        if (m && m > p) {
            err_set(&d->e, NULL, 0, 0, NULL, "demo data: %s is listed before their manager", p->empno);
            return -1;
        }
        store_person sp = { 0 };
        sp.employee_number = p->empno;
        sp.name = p->name;
        sp.kana = p->kana;
        sp.email = p->email;
        sp.org_unit_id = d->unit_ids[unit_index(p->post->unit)];
        sp.manager_id = m ? m->id : 0;
        if (store_person_add(d->db, &sp, &p->id, &d->e) < 0)
            return -1;
    }
    return 0;
}

/* ---- what is met: the choices behind every answer ---- */

/* How a level stands for a person in a cycle. */
enum { LEVEL_ABOVE, LEVEL_NEXT, LEVEL_MET };

/* The first level above t that spec has, or 0. */
static int next_level(const demo *d, const catalog_spec *spec, int t)
{
    int lo, hi;
    catalog_spec_level_range(d->cat, spec, &lo, &hi);
    for (int l = t + 1; l <= hi; l++)
        if (catalog_level_of(d->cat, spec, l))
            return l;
    return 0;
}

/* Where level lv stands for p in cycle c, over every specialization p is
 * assessed in that has lv (common levels count for both HW and SW). */
static int level_status(const demo *d, const demo_person *p, int c, const catalog_level *lv)
{
    int best = LEVEL_ABOVE;
    for (int s = 0; s < DEMO_SPECS; s++) {
        int t = p->planned[c][s];
        if (t < 0 || catalog_level_of(d->cat, d->specs[s], lv->level) != lv)
            continue;
        int st = lv->level <= t ? LEVEL_MET : lv->level == next_level(d, d->specs[s], t) ? LEVEL_NEXT : LEVEL_ABOVE;
        if (st > best)
            best = st;
    }
    return best;
}

/* Rank of item i of criterion cr in p's own order of that criterion's items
 * (by hash): the items met are those ranked below a count. */
static size_t item_rank(const demo_person *p, const catalog_criterion *cr, size_t i)
{
    uint32_t hi = hash_id(p->seed, cr->items[i].id);
    size_t rank = 0;
    for (size_t j = 0; j < cr->n_items; j++) {
        uint32_t hj = hash_id(p->seed, cr->items[j].id);
        rank += hj < hi || (hj == hi && j < i);
    }
    return rank;
}

/* How many items of cr are met at a level standing at status: at a level met,
 * what the policy requires and perhaps a few more; at the next level, some
 * (タスク特性 always one short); above, none. */
static size_t met_count(const demo *d, const demo_person *p, const catalog_criterion *cr, int level, int status)
{
    size_t n = cr->n_items;
    uint32_t h = hash_id(p->seed, cr->id);
    if (n == 0 || status == LEVEL_ABOVE)
        return 0;
    if (status == LEVEL_NEXT) {
        if (cr->kind == CRITERION_TASK)
            return n - 1 - (n > 2 ? h % 2 : 0);
        return h % (n + 1);
    }
    int req = policy_required_items(d->pol, cr->kind, level, n);
    size_t need = req < 0 ? n : (size_t)req;
    if (cr->kind == CRITERION_TASK)
        return need;
    size_t extra = h % (n - need + 1);
    return need + (extra > 2 ? 2 : extra);
}

/* ---- experience records and contributions ---- */

/* Fills the items record r shows: items met at its level, the ordinal-th of
 * the person's records of that level shifting which ones. */
static void record_items(const demo *d, const demo_person *p, demo_record *r, size_t ordinal)
{
    const catalog_level *lv = r->level;
    for (int k = CRITERION_COMPLEXITY; k <= CRITERION_SIZE; k++) {
        const catalog_criterion *cr = &lv->criteria[k];
        size_t met = r->succeeded ? met_count(d, p, cr, lv->level, LEVEL_MET) : (cr->n_items < 2 ? cr->n_items : 2);
        size_t want = k == CRITERION_COMPLEXITY ? (met < 2 ? met : 2) : (met ? 1 : 0);
        for (size_t w = 0; w < want; w++) {
            size_t rank = (ordinal + w) % met;
            for (size_t i = 0; i < cr->n_items; i++)
                if (item_rank(p, cr, i) == rank) {
                    if (k == CRITERION_COMPLEXITY)
                        r->complexity[r->n_complexity++] = cr->items[i].id;
                    else
                        r->size[r->n_size++] = cr->items[i].id;
                }
        }
    }
}

/* A project for a record of spec at level, chosen by h among those that fit and
 * are not in used (n_used of them). NULL when none fits. */
static const demo_project *pick_project(const char *spec, int level, uint32_t h, const demo_project **used,
                                        size_t n_used)
{
    const demo_project *fits[64];
    size_t n = 0;
    for (size_t i = 0; i < demo_n_projects && n < 64; i++) {
        const demo_project *pr = &demo_projects[i];
        if (strcmp(pr->spec, spec) != 0 || level < pr->min_level || level > pr->max_level)
            continue;
        int dup = 0;
        for (size_t j = 0; j < n_used; j++)
            dup |= used[j] == pr;
        if (!dup)
            fits[n++] = pr;
    }
    return n ? fits[h % n] : NULL;
}

/* Plans p's records: for each specialization, enough successful records for its
 * highest planned level (one claimed at that level), plus a failed one where
 * the post says so; the second specialization's come first in time. */
static void plan_records(demo *d, demo_person *p)
{
    const demo_post *post = p->post;
    if (post->stage == DEMO_NOT_ASSESSED)
        return;
    int order[2] = { spec_index(post->second), spec_index(post->spec) };
    for (int o = 0; o < 2; o++) {
        int s = order[o];
        if (s < 0)
            continue;
        const catalog_spec *spec = d->specs[s];
        int lo, hi;
        catalog_spec_level_range(d->cat, spec, &lo, &hi);
        int t = s == spec_index(post->spec) ? post->level_2026 : post->second_level;
        int failed_here = post->failed && o == 1;
        int k = t == 0 ? 1 : policy_required_records(d->pol, t) + (t >= 3);
        if (k < 1)
            k = 1;
        for (int i = 0; i < k && p->n_records < DEMO_MAX_RECORDS - 1; i++) {
            int lvl = t - (k - 1 - i);
            if (lvl < lo)
                lvl = lo;
            if (failed_here && i == k - 1 && t > 0 && t < hi) {
                /* a bigger project tried before the last one, and failed */
                demo_record *f = &p->records[p->n_records++];
                f->spec = s;
                f->level = catalog_level_of(d->cat, spec, t + 1);
                f->succeeded = 0;
            }
            demo_record *r = &p->records[p->n_records++];
            r->spec = s;
            r->level = catalog_level_of(d->cat, spec, lvl);
            r->succeeded = !(failed_here && t == 0);
        }
    }
    size_t same_level[16] = { 0 };
    for (size_t i = 0; i < p->n_records; i++) {
        demo_record *r = &p->records[i];
        record_items(d, p, r, r->succeeded ? same_level[r->level->level]++ : 0);
    }
}

/* Adds p's planned records to the store, spread over their career up to the
 * demo's "now", each on a project of its level. */
static int add_records(demo *d, demo_person *p)
{
    const demo_project *used[DEMO_MAX_RECORDS];
    size_t n = p->n_records;
    if (!n)
        return 0;
    int start = (p->post->joined + d->year_shift) * 12 + 3;
    int span = d->now_month - start + 1;
    int slot = span / (int)n;
    if (slot > 36)
        slot = 36;
    if (slot < 1)
        slot = 1;
    int base = d->now_month + 1 - slot * (int)n;
    if (base < start)
        base = start;
    for (size_t i = 0; i < n; i++) {
        demo_record *r = &p->records[i];
        uint32_t h = hash_id(p->seed, r->level->id) + (uint32_t)i;
        const demo_project *pr = pick_project(spec_codes[r->spec], r->level->level, h, used, i);
        if (!pr)
            pr = pick_project(spec_codes[r->spec], r->level->level, h, used, 0);
        used[i] = pr;
        char from[8], to[8];
        int m_from = base + (int)i * slot;
        int m_to = m_from + (slot > 4 ? slot - 2 - (int)(h % 3) : slot - 1);
        if (m_to < m_from)
            m_to = m_from;
        if (m_to > d->now_month)
            m_to = d->now_month;
        month_text(from, m_from);
        month_text(to, m_to);
        int ongoing = i == n - 1 && r->succeeded && h % 2 == 0;
        buf desc;
        buf_init(&desc);
        buf_puts(&desc, pr->description);
        if (!r->succeeded)
            buf_printf(&desc, "。%s", demo_failure_notes[h % demo_n_failure_notes]);
        assessment_experience x = { 0 };
        x.project = (char *)pr->name;
        x.period_from = from;
        x.period_to = ongoing ? NULL : to;
        x.role = (char *)demo_role(spec_codes[r->spec], r->level->level);
        x.specialization_id = (char *)d->specs[r->spec]->id;
        x.level = r->level->level;
        x.complexity_items = (char **)r->complexity;
        x.n_complexity_items = r->n_complexity;
        x.size_items = (char **)r->size;
        x.n_size_items = r->n_size;
        x.succeeded = r->succeeded;
        x.description = desc.data;
        int64_t id;
        int rc = store_experience_add(d->db, p->id, &x, &id, &d->e);
        buf_free(&desc);
        if (rc < 0)
            return -1;
        snprintf(r->id, sizeof r->id, "%lld", (long long)id);
        d->n_records++;
        d->n_failed += !r->succeeded;
    }
    return 0;
}

/* Adds p's professional contributions: one per level above 3 of their
 * specialization, as the achievement indicators of levels 4 and up ask. */
static int add_contributions(demo *d, const demo_person *p)
{
    const demo_post *post = p->post;
    if (!post->spec || post->level_2026 < 4)
        return 0;
    static const int months[] = { 2024 * 12 + 9, 2025 * 12 + 5, 2026 * 12 + 1 };   /* 2024-10, 2025-06, 2026-02 */
    char date[8];
    size_t want = (size_t)(post->level_2026 - 3), added = 0;
    for (size_t i = 0; i < demo_n_contributions && added < want; i++) {
        const demo_contribution *dc = &demo_contributions[i];
        if (strcmp(dc->spec, post->spec) != 0 || dc->min_level > post->level_2026)
            continue;
        assessment_contribution c = { 0 };
        c.kind = (contribution_kind)contribution_kind_parse(dc->kind);
        c.title = (char *)dc->title;
        month_text(date, months[added % 3] + 12 * d->year_shift);
        c.date = date;
        c.description = (char *)dc->description;
        if (store_contribution_add(d->db, p->id, &c, NULL, &d->e) < 0)
            return -1;
        added++;
        d->n_contributions++;
    }
    return 0;
}

/* ---- assessments ---- */

/* The records of p that show item_id and count for level lv. */
static size_t evidence_for(const demo *d, const demo_person *p, const catalog_level *lv, const char *item_id,
                           const char **ids)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n_records; i++) {
        const demo_record *r = &p->records[i];
        if (catalog_level_of(d->cat, d->specs[r->spec], lv->level) != lv)
            continue;
        int shows = 0;
        for (size_t j = 0; j < r->n_complexity; j++)
            shows |= strcmp(r->complexity[j], item_id) == 0;
        for (size_t j = 0; j < r->n_size; j++)
            shows |= strcmp(r->size[j], item_id) == 0;
        if (shows)
            ids[n++] = r->id;
    }
    return n;
}

/* Answers the achievement indicators of level lv standing at status. */
static void answer_level(const demo *d, const demo_person *p, assessment *a, const catalog_level *lv, int status)
{
    const char *ids[DEMO_MAX_RECORDS];
    assessment_set_answer(a, lv->responsibility.id, RATER_SELF, status == LEVEL_MET, NULL, 0);
    for (int k = 0; k < CRITERION_KINDS; k++) {
        const catalog_criterion *cr = &lv->criteria[k];
        size_t met = met_count(d, p, cr, lv->level, status);
        for (size_t i = 0; i < cr->n_items; i++) {
            int yes = item_rank(p, cr, i) < met;
            size_t n_ids = yes && k != CRITERION_TASK ? evidence_for(d, p, lv, cr->items[i].id, ids) : 0;
            assessment_set_answer(a, cr->items[i].id, RATER_SELF, yes, ids, n_ids);
        }
    }
}

/* The proficiency level of an area for someone at level t: t, one less or one
 * more now and then; none below the first level. */
static int proficiency_level(const demo_person *p, const catalog_area *area, int t)
{
    static const int shift[5] = { -1, 0, 0, 0, 1 };
    return t == 0 ? 0 : t + shift[hash_id(p->seed, area->id) % 5];
}

/* A knowledge rating for someone at level t, varied per item. */
static int knowledge_rating(const demo_person *p, const char *item_id, int t)
{
    static const int base[8] = { 1, 1, 2, 2, 3, 3, 4, 4 };
    static const int shift[4] = { -1, 0, 0, 1 };
    int r = base[t < 0 ? 0 : t > 7 ? 7 : t] + shift[hash_id(p->seed, item_id) % 4];
    return r < 0 ? 0 : r > 4 ? 4 : r;
}

/* Sets an answer unless one at least as high is there (common elements are
 * answered once for HW and SW: the higher of the two stands). */
static void answer_max(assessment *a, const char *id, int value)
{
    const assessment_answer *old = assessment_get_answer(a, id, RATER_SELF);
    if (!old || old->value < value)
        assessment_set_answer(a, id, RATER_SELF, value, NULL, 0);
}

/* Builds p's self assessment for cycle c in a. */
static void build_answers(const demo *d, const demo_person *p, int c, assessment *a)
{
    for (int s = 0; s < DEMO_SPECS; s++) {
        int t = p->planned[c][s];
        if (t < 0)
            continue;
        const catalog_spec *spec = d->specs[s];
        int lo, hi;
        catalog_spec_level_range(d->cat, spec, &lo, &hi);
        for (int l = lo; l <= hi; l++) {
            const catalog_level *lv = catalog_level_of(d->cat, spec, l);
            if (!lv || assessment_get_answer(a, lv->responsibility.id, RATER_SELF))
                continue;
            answer_level(d, p, a, lv, level_status(d, p, c, lv));
            if (p->post->stage == DEMO_HALF && c == 1)
                return;            /* left half way: only the first level answered */
        }
        for (size_t ai = 0; ai < catalog_area_count(d->cat); ai++) {
            const catalog_area *area = catalog_area_at(d->cat, ai);
            int pl = proficiency_level(p, area, t);
            for (int l = lo; l <= hi; l++) {
                const catalog_spec_area *sa = catalog_spec_area_of(d->cat, spec, area, l);
                const catalog_proficiency *pf = sa ? catalog_proficiency_at(sa, l) : NULL;
                if (pf)
                    answer_max(a, pf->id, l <= pl);
            }
        }
        for (size_t ci = 0; ci < catalog_common_count(d->cat) + 1; ci++) {
            const catalog_spec *block = ci < catalog_common_count(d->cat) ? catalog_common_at(d->cat, ci) : spec;
            if (!catalog_block_of(block, spec))
                continue;
            for (size_t ai = 0; ai < block->n_areas; ai++)
                for (size_t ki = 0; ki < block->areas[ai].n_knowledge; ki++) {
                    const catalog_knowledge_category *kc = &block->areas[ai].knowledge[ki];
                    for (size_t ii = 0; ii < kc->n_items; ii++)
                        answer_max(a, kc->items[ii].id, knowledge_rating(p, kc->items[ii].id, t));
                }
        }
    }
}

/* Creates, answers and files p's assessment of cycle c: last year's approved by
 * the manager, this year's approved, submitted or still a draft. */
static int add_assessment(demo *d, demo_person *p, int c, const demo_person *manager)
{
    int any = 0;
    for (int s = 0; s < DEMO_SPECS; s++)
        any |= p->planned[c][s] >= 0;
    if (!any)
        return 0;
    assessment *a = assessment_new(p->empno, p->name, d->cycle_names[c], catalog_id(d->cat), catalog_version(d->cat));
    build_answers(d, p, c, a);
    int rc = store_assessment_create(d->db, p->id, d->cycle_ids[c], catalog_id(d->cat), catalog_version(d->cat),
                                     p->empno, &p->assessment[c], &d->e);
    if (rc == 0)
        rc = store_assessment_save_answers(d->db, p->assessment[c], a, p->empno, &d->e);
    d->n_answers += a->n_answers;
    assessment_free(a);
    if (rc < 0)
        return -1;
    d->n_assessments++;
    uint32_t h = hash_id(p->seed, cycle_seeds[c]) % 10;
    int status = c == 0 ? ASSESSMENT_APPROVED : p->post->stage == DEMO_HALF ? ASSESSMENT_DRAFT
               : h < 3 ? ASSESSMENT_APPROVED : h < 8 ? ASSESSMENT_SUBMITTED : ASSESSMENT_DRAFT;
    if (status >= ASSESSMENT_SUBMITTED
        && store_assessment_set_status(d->db, p->assessment[c], ASSESSMENT_SUBMITTED, p->empno, &d->e) < 0)
        return -1;
    /* Approved as a reviewer would (review.h): the manager agrees with every
     * self-rating, and the approval freezes the result in a snapshot. */
    const char *approver = manager ? manager->empno : "demo";
    if (status == ASSESSMENT_APPROVED
        && (review_agree_remaining(d->db, d->cat, p->assessment[c], NULL, 0, 0, approver, NULL, &d->e) != 0
            || review_approve(d->db, d->cat, d->pol, p->assessment[c], approver, NULL, NULL, &d->e) != 0))
        return -1;
    return 0;
}

/* Loads every assessment back and runs the engine on it: each specialization
 * must come out at the planned level (0 where none was planned). */
static int verify_levels(demo *d)
{
    engine *eng = engine_new(d->cat, d->pol);
    engine_result *r = engine_result_new(eng);
    int rc = 0;
    for (size_t i = 0; i < d->n_people && rc == 0; i++) {
        demo_person *p = &d->people[i];
        for (int c = 0; c < DEMO_CYCLES && rc == 0; c++) {
            for (int s = 0; s < DEMO_SPECS; s++)
                p->reached[c][s] = -1;
            if (!p->assessment[c])
                continue;
            assessment *a = NULL;
            if (store_assessment_load(d->db, p->assessment[c], &a, &d->e) != 1) {
                rc = -1;
                break;
            }
            engine_evaluate(eng, a, RATER_SELF, r);
            for (int s = 0; s < DEMO_SPECS; s++) {
                const engine_spec *es = engine_result_spec(r, d->specs[s]->id);
                int want = p->planned[c][s] < 0 ? 0 : p->planned[c][s];
                p->reached[c][s] = es ? es->level : -1;
                if (p->reached[c][s] != want && rc == 0) {
                    err_set(&d->e, NULL, 0, 0, NULL, "demo data: %s %s: the engine gives %s level %d, the plan %d",
                            p->empno, d->cycle_names[c], spec_codes[s], p->reached[c][s], want);
                    rc = -1;
                }
            }
            assessment_free(a);
        }
    }
    engine_result_free(r);
    engine_free(eng);
    return rc;
}

/* ---- web accounts ---- */

/* Makes one web account per role, with the demo passwords cli_demo_help
 * publishes: an engineer of 金融システム保守課 who gained a level this year, the
 * head of that section as manager, the HR person, and an administrator. */
static int demo_create_accounts(demo *d)
{
    const demo_person *engineer = NULL, *hr = NULL;
    for (size_t i = 0; i < d->n_people; i++) {
        const demo_person *p = &d->people[i];
        if (!engineer && !p->post->title && strcmp(p->post->unit, "EAST-HW1") == 0
            && p->post->level_2026 > p->post->level_2025)
            engineer = p;
        if (!hr && p->post->stage == DEMO_NOT_ASSESSED)
            hr = p;
    }
    const demo_person *manager = engineer ? manager_of(d, engineer) : NULL;
    const demo_account accounts[4] = {
        { "engineer", "itss-demo-engineer", "engineer", engineer },
        { "manager", "itss-demo-manager", "manager", manager },
        { "hr", "itss-demo-hr", "hr", hr },
        { "admin", "itss-demo-admin", "admin", NULL },
    };
    for (size_t i = 0; i < 4; i++) {
        char hash[ACCOUNT_HASH_SIZE];
        if (account_password_hash(accounts[i].password, hash) < 0) {
            err_set(&d->e, NULL, 0, 0, NULL, "cannot hash the password of %s: out of memory", accounts[i].login);
            return -1;
        }
        store_user u = { 0 };
        u.login = (char *)accounts[i].login;
        u.person_id = accounts[i].person ? accounts[i].person->id : 0;
        u.role = (char *)accounts[i].role;
        u.password_hash = hash;
        if (store_user_add(d->db, &u, NULL, &d->e) < 0)
            return -1;
        d->accounts[d->n_accounts++] = accounts[i];
    }
    return 0;
}

/* ---- filling ---- */

/* Dates d's cycles from today (rules_today): the fiscal year before this one
 * (closed) and this one (open), April to March, and the demo's "now". */
static void date_cycles(demo *d)
{
    char today[11];
    rules_today(today);
    int year = rules_fiscal_year(today);
    for (int c = 0; c < DEMO_CYCLES; c++) {
        int y = year - (DEMO_CYCLES - 1 - c);
        snprintf(d->cycle_names[c], sizeof d->cycle_names[c], "%d年度", y);
        snprintf(d->cycle_opens[c], sizeof d->cycle_opens[c], "%04d-04-01", y);
        snprintf(d->cycle_closes[c], sizeof d->cycle_closes[c], "%04d-03-31", y + 1);
    }
    d->year_shift = year - DEMO_BASE_YEAR;
    int now = (atoi(today) * 12) + atoi(today + 5) - 1;
    d->now_month = year * 12 + 8;             /* September of this fiscal year */
    if (now < d->now_month)
        d->now_month = now;
}

/* Everything, in the caller's transaction. */
static int fill(demo *d)
{
    if (add_units(d) < 0)
        return -1;
    name_people(d);
    if (add_people(d) < 0)
        return -1;
    for (int c = 0; c < DEMO_CYCLES; c++)
        if (store_cycle_add(d->db, d->cycle_names[c], d->cycle_opens[c], d->cycle_closes[c], &d->cycle_ids[c], &d->e) < 0)
            return -1;
    for (size_t i = 0; i < d->n_people; i++) {
        demo_person *p = &d->people[i];
        plan_records(d, p);
        if (add_records(d, p) < 0 || add_contributions(d, p) < 0)
            return -1;
        for (int c = 0; c < DEMO_CYCLES; c++)
            if (add_assessment(d, p, c, manager_of(d, p)) < 0)
                return -1;
    }
    if (verify_levels(d) < 0)
        return -1;
    return demo_create_accounts(d);
}

/* ---- the summary ---- */

/* People per specialization (rows) and level reached in cycle c (columns 0..7):
 * everyone assessed in that specialization. */
static void count_levels(const demo *d, int c, int counts[DEMO_SPECS][8])
{
    memset(counts, 0, sizeof(int[DEMO_SPECS][8]));
    for (size_t i = 0; i < d->n_people; i++)
        for (int s = 0; s < DEMO_SPECS; s++) {
            const demo_person *p = &d->people[i];
            if (p->planned[c][s] >= 0 && p->reached[c][s] >= 0 && p->reached[c][s] < 8)
                counts[s][p->reached[c][s]]++;
        }
}

/* How many people reached a higher level of their specialization in 2026年度
 * than in 2025年度. */
static int count_moved_up(const demo *d)
{
    int n = 0;
    for (size_t i = 0; i < d->n_people; i++) {
        const demo_person *p = &d->people[i];
        int s = spec_index(p->post->spec);
        n += s >= 0 && p->assessment[0] && p->assessment[1] && p->reached[1][s] > p->reached[0][s];
    }
    return n;
}

/* Appends " E1062 阿部 優子 (HW), ..." for the people whose 2026年度 assessment is at stage. */
static void put_people_at_stage(const demo *d, buf *b, demo_stage stage)
{
    int n = 0;
    for (size_t i = 0; i < d->n_people; i++)
        if (d->people[i].post->stage == stage)
            buf_printf(b, "%s %s %s (%s)", n++ ? "," : "", d->people[i].empno, d->people[i].name,
                       d->people[i].post->spec);
    buf_putc(b, '\n');
}

/* The summary as text. */
static void render_summary(const demo *d, buf *b, const char *location)
{
    int counts[DEMO_SPECS][8];
    int top = 1;
    size_t engineers = 0;
    for (size_t i = 0; i < d->n_people; i++)
        engineers += d->people[i].post->stage != DEMO_NOT_ASSESSED;

    buf_printf(b, "itss demo: filled %s with %s (fictional)\n", location, demo_company);
    buf_printf(b, "  %zu org units, %zu people (%zu engineers), cycles %s (closed) and %s (open)\n", demo_n_units,
               d->n_people, engineers, d->cycle_names[0], d->cycle_names[1]);
    buf_printf(b, "  %zu experience records (%zu failed), %zu contributions, %zu assessments with %zu answers\n",
               d->n_records, d->n_failed, d->n_contributions, d->n_assessments, d->n_answers);

    count_levels(d, 1, counts);
    for (int s = 0; s < DEMO_SPECS; s++)
        for (int l = 0; l < 8; l++)
            if (counts[s][l] && l > top)
                top = l;
    buf_printf(b, "\nLevels reached in %s (self rating, policy %s %s), people per specialization:\n",
               d->cycle_names[1], d->pol->id, d->pol->version);
    const char *headers[CLI_TABLE_MAX_COLS] = { "専門分野", "未到達" };
    char level_names[8][16];
    int cols = 2;
    for (int l = 1; l <= top && cols < CLI_TABLE_MAX_COLS; l++) {
        snprintf(level_names[l], sizeof level_names[l], "レベル%d", l);
        headers[cols++] = level_names[l];
    }
    cli_table t;
    cli_table_init(&t, cols, headers);
    for (int s = 0; s < DEMO_SPECS; s++) {
        char cells[CLI_TABLE_MAX_COLS][16];
        const char *row[CLI_TABLE_MAX_COLS];
        row[0] = d->specs[s]->name;
        for (int col = 1; col < cols; col++) {
            int l = col - 1;
            if (l > 0 && !catalog_level_of(d->cat, d->specs[s], l))
                snprintf(cells[col], sizeof cells[col], "-");   /* a level the specialization does not have */
            else
                snprintf(cells[col], sizeof cells[col], "%d", counts[s][l]);
            row[col] = cells[col];
        }
        cli_table_add(&t, row);
    }
    cli_table_render(&t, b, cli_term_width());
    cli_table_free(&t);
    buf_printf(b, "%d people reached a higher level than in %s.\n", count_moved_up(d), d->cycle_names[0]);

    buf_printf(b, "\nNot yet assessed in %s (joined this year):", d->cycle_names[1]);
    put_people_at_stage(d, b, DEMO_NOT_STARTED);
    buf_puts(b, "Left half way (a draft):");
    put_people_at_stage(d, b, DEMO_HALF);
    for (size_t i = 0; i < d->n_people; i++)
        if (d->people[i].post->stage == DEMO_HALF) {
            buf_printf(b, "The questionnaire, resumed where it was left: itss assess %s --spec %s\n",
                       d->people[i].empno, d->people[i].post->spec);
            break;
        }
    buf_puts(b, "\nWeb accounts (itss serve); the passwords are published, for trying itss only:\n");
    for (size_t i = 0; i < d->n_accounts; i++) {
        const demo_account *ac = &d->accounts[i];
        buf_puts(b, "  ");
        buf_pad(b, ac->login, 10);
        buf_pad(b, ac->password, 21);
        buf_pad(b, ac->role, 10);
        if (ac->person)
            buf_printf(b, "%s %s", ac->person->empno, ac->person->name);
        buf_putc(b, '\n');
    }
    const demo_person *example = d->accounts[0].person;
    if (example)
        buf_printf(b, "\nTry: itss level %s --explain\n", example->empno);
}

/* The summary as JSON (a new reference). */
static json_t *summary_json(const demo *d, const char *location)
{
    json_t *o = json_object();
    json_object_set_new(o, "database", json_string(location));
    json_object_set_new(o, "company", json_string(demo_company));
    json_object_set_new(o, "org_units", json_integer((json_int_t)demo_n_units));
    json_object_set_new(o, "people", json_integer((json_int_t)d->n_people));
    json_object_set_new(o, "experience_records", json_integer((json_int_t)d->n_records));
    json_object_set_new(o, "failed_records", json_integer((json_int_t)d->n_failed));
    json_object_set_new(o, "contributions", json_integer((json_int_t)d->n_contributions));
    json_object_set_new(o, "assessments", json_integer((json_int_t)d->n_assessments));
    json_object_set_new(o, "answers", json_integer((json_int_t)d->n_answers));
    json_object_set_new(o, "policy", json_string(d->pol->id));
    json_t *cycles = json_object();
    for (int c = 0; c < DEMO_CYCLES; c++) {
        int counts[DEMO_SPECS][8];
        count_levels(d, c, counts);
        json_t *by_spec = json_object();
        for (int s = 0; s < DEMO_SPECS; s++) {
            json_t *levels = json_object();
            for (int l = 0; l < 8; l++)
                if (counts[s][l]) {
                    char key[4];
                    snprintf(key, sizeof key, "%d", l);
                    json_object_set_new(levels, key, json_integer(counts[s][l]));
                }
            json_object_set_new(by_spec, d->specs[s]->id, levels);
        }
        json_object_set_new(cycles, d->cycle_names[c], by_spec);
    }
    json_object_set_new(o, "levels", cycles);
    json_object_set_new(o, "moved_up", json_integer(count_moved_up(d)));
    json_t *waiting = json_array();
    for (size_t i = 0; i < d->n_people; i++)
        if (d->people[i].post->stage == DEMO_NOT_STARTED || d->people[i].post->stage == DEMO_HALF) {
            json_t *w = json_object();
            json_object_set_new(w, "employee_number", json_string(d->people[i].empno));
            json_object_set_new(w, "name", json_string(d->people[i].name));
            json_object_set_new(w, "specialization", json_string(d->specs[spec_index(d->people[i].post->spec)]->id));
            json_object_set_new(w, "assessment", json_string(d->people[i].post->stage == DEMO_HALF ? "draft" : "none"));
            json_array_append_new(waiting, w);
        }
    json_object_set_new(o, "not_finished", waiting);
    json_t *accounts = json_array();
    for (size_t i = 0; i < d->n_accounts; i++) {
        json_t *ac = json_object();
        json_object_set_new(ac, "login", json_string(d->accounts[i].login));
        json_object_set_new(ac, "password", json_string(d->accounts[i].password));
        json_object_set_new(ac, "role", json_string(d->accounts[i].role));
        json_object_set_new(ac, "employee_number",
                            d->accounts[i].person ? json_string(d->accounts[i].person->empno) : json_null());
        json_array_append_new(accounts, ac);
    }
    json_object_set_new(o, "accounts", accounts);
    return o;
}

/* ---- the database ---- */

/* Removes a database file and SQLite's companions. */
static void remove_database(const char *path)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

/* Does the store hold data (org units, people or cycles)? 1 yes, 0 no, -1 failed. */
static int holds_data(store *db, err *e)
{
    int64_t people = 0;
    store_org_list units = { 0 };
    store_cycle_list cycles = { 0 };
    if (store_person_count(db, NULL, &people, e) < 0 || store_org_list_all(db, &units, e) < 0
        || store_cycle_list_all(db, &cycles, e) < 0) {
        store_org_list_free(&units);
        return -1;
    }
    int any = people > 0 || units.count > 0 || cycles.count > 0;
    store_org_list_free(&units);
    store_cycle_list_free(&cycles);
    return any;
}

/* Opens the database to fill: created when missing; an existing one that holds
 * data is refused, or with force deleted and made again. Sets *created when this
 * run made the file (so that a failure removes it). NULL after a message; *rc
 * is then the exit status. */
static store *open_database(const char *path, int force, int *created, int *rc)
{
    err e = { 0 };
    struct stat st;
    int is_url = strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0;
    int exists = is_url || (stat(path, &st) == 0 && st.st_size > 0);

    *created = 0;
    *rc = CLI_REFUSED;
    if (exists) {
        store *db = store_open(path, 0, &e);
        if (!db) {
            cli_error(PROG, "%s: %s", path, e.message);
            return NULL;
        }
        int full = holds_data(db, &e);
        if (full < 0) {
            cli_error(PROG, "%s: %s", path, e.message);
            store_close(db);
            return NULL;
        }
        if (!full)
            return db;
        if (!force) {
            cli_error(PROG, "%s already holds data; itss demo --force replaces it (deleting everything in it)",
                      store_location(db));
            store_close(db);
            return NULL;
        }
        if (is_url) {
            cli_error(PROG, "%s: --force deletes files only; empty the PostgreSQL database yourself",
                      store_location(db));
            store_close(db);
            return NULL;
        }
        store_close(db);
        remove_database(path);
    }
    store *db = store_open(path, STORE_CREATE, &e);
    if (!db) {
        cli_error(PROG, "%s: %s", path, e.message);
        return NULL;
    }
    *created = !is_url;
    return db;
}

/* Records the catalog as the one the database uses, or checks that it is. 0, or
 * the exit status after a message. */
static int use_catalog(store *db, const catalog *cat)
{
    char *id = NULL, *version = NULL;
    err e = { 0 };
    int have = store_catalog_current(db, &id, &version, &e);
    int rc = 0;
    if (have < 0) {
        cli_error(PROG, "%s", e.message);
        rc = CLI_REFUSED;
    } else if (have == 0) {
        if (store_catalog_use(db, catalog_id(cat), catalog_version(cat), catalog_title(cat), &e) < 0) {
            cli_error(PROG, "%s", e.message);
            rc = CLI_REFUSED;
        }
    } else if (strcmp(id, catalog_id(cat)) != 0 || strcmp(version, catalog_version(cat)) != 0) {
        cli_error(PROG, "the database uses catalog %s %s, not %s %s", id, version, catalog_id(cat),
                  catalog_version(cat));
        rc = CLI_USAGE;
    }
    free(id);
    free(version);
    return rc;
}

/* Parses a decimal count within [min, max] into *out: 1, or 0 when text is not one. */
static int parse_count(const char *text, long min, long max, long *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (!text[0] || *end || v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

/* itss demo --people N: the organization of N people made by cli_demo_org.c
 * in d->db (open, its catalog d->cat). The exit status after a message. */
static int demo_large(demo *d, long n_people, int n_cycles, int json)
{
    int rc = use_catalog(d->db, d->cat);
    if (rc == 0 && demo_org_fill(d->db, d->cat, d->pol, n_people, n_cycles, json, &d->e) < 0) {
        cli_error(PROG, "%s", d->e.message);
        rc = CLI_REFUSED;
    }
    while (store_depth(d->db) > 0)
        store_rollback(d->db, NULL);
    return rc;
}

/* itss demo: the 64-person organization in d->db, in one transaction, and
 * its summary on stdout. The exit status after a message. */
static int demo_small(demo *d, int json)
{
    int rc = store_begin(d->db, &d->e) < 0 ? -1 : 0;
    if (rc == 0 && (rc = use_catalog(d->db, d->cat)) == 0) {
        if (fill(d) < 0 || store_commit(d->db, &d->e) < 0)
            rc = -1;
    }
    if (rc != 0 && store_depth(d->db) > 0)
        store_rollback(d->db, NULL);
    if (rc < 0) {
        cli_error(PROG, "%s", d->e.message);
        rc = CLI_REFUSED;
    }
    if (rc == 0) {
        if (json) {
            rc = cli_print_json(summary_json(d, store_location(d->db)));
        } else {
            buf b;
            buf_init(&b);
            render_summary(d, &b, store_location(d->db));
            rc = cli_write(&b, stdout);
            buf_free(&b);
        }
    }
    return rc;
}

/* itss demo: see cli_demo_help. */
int cli_demo_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_option = NULL, *people_option = NULL, *cycles_option = NULL;
    int force = 0;
    const cli_option options[] = {
        { "--db", &db_option, NULL },
        { "--force", NULL, &force },
        { "--people", &people_option, NULL },
        { "--cycles", &cycles_option, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    if (cli_parse(PROG, demo_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        buf b;
        buf_init(&b);
        buf_puts(&b, cmd->help);
        int rc = cli_write(&b, stdout);
        buf_free(&b);
        return rc;
    }
    if (a.n_pos)
        return cli_usage_error(PROG, demo_usage, "unexpected argument '%s'", a.pos[0]);
    long n_people = 0, n_cycles = 2;
    if (people_option && !parse_count(people_option, DEMO_ORG_MIN_PEOPLE, DEMO_ORG_MAX_PEOPLE, &n_people))
        return cli_usage_error(PROG, demo_usage, "--people: '%s' is not a number of people from %d to %ld",
                               people_option, DEMO_ORG_MIN_PEOPLE, DEMO_ORG_MAX_PEOPLE);
    if (cycles_option && !people_option)
        return cli_usage_error(PROG, demo_usage, "--cycles goes with --people");
    if (cycles_option && !parse_count(cycles_option, 1, DEMO_ORG_MAX_CYCLES, &n_cycles))
        return cli_usage_error(PROG, demo_usage, "--cycles: '%s' is not a number of cycles from 1 to %d",
                               cycles_option, DEMO_ORG_MAX_CYCLES);

    demo d;
    memset(&d, 0, sizeof d);
    d.rng = 20260401U;
    date_cycles(&d);
    catalog *cat = cli_load_catalog(&a);
    if (!cat)
        return CLI_USAGE;
    d.cat = cat;
    for (int s = 0; s < DEMO_SPECS; s++) {
        d.specs[s] = catalog_spec_find(cat, spec_codes[s]);
        if (!d.specs[s] || d.specs[s]->is_common) {
            cli_error(PROG, "catalog %s has no specialization %s: the demo is made for the ITSS カスタマサービス catalog",
                      catalog_id(cat), spec_codes[s]);
            catalog_free(cat);
            return CLI_USAGE;
        }
    }
    err_list *errors = calloc(1, sizeof *errors);
    policy *pol = errors ? policy_load_builtin(errors) : NULL;
    if (!pol || policy_check_catalog(pol, cat, errors) != 0) {
        if (errors)
            cli_print_errors(errors);
        cli_error(PROG, "the built-in policy cannot be used with catalog %s", catalog_id(cat));
        policy_free(pol);
        free(errors);
        catalog_free(cat);
        return CLI_USAGE;
    }
    free(errors);
    d.pol = pol;

    const char *path = store_default_path(db_option);
    int created = 0, rc = 0;
    d.db = open_database(path, force, &created, &rc);
    if (d.db && n_people)
        rc = demo_large(&d, n_people, (int)n_cycles, a.json);
    else if (d.db)
        rc = demo_small(&d, a.json);
    /* the demo's story is history: its approvals mail nobody */
    if (d.db && rc == 0 && store_outbox_clear_all(d.db, &d.e) < 0) {
        cli_error(PROG, "%s", d.e.message);
        rc = CLI_REFUSED;
    }
    if (d.db) {
        store_close(d.db);
        if (rc != 0 && created)
            remove_database(path);
    }
    free(d.people);
    free(d.unit_ids);
    policy_free(pol);
    catalog_free(cat);
    return rc;
}
