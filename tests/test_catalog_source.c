/* test_catalog_source.c - the shipped catalog holds the standard's text: all of it,
 * under the right identifiers, and nothing else.
 *
 * This is a reader of catalog/source/itss-customer-service.txt of its own, written
 * apart from catalog/tools/extract.py: a line-based state machine that walks the
 * four parts of the source (達成度指標 pages, スキル熟達度・知識項目 pages, 職種の概要,
 * スキル領域 descriptions). For every text it meets (責任性, lead sentence, checklist
 * item, note under a checklist, proficiency description, knowledge category and
 * item, overview, descriptions) it builds the identifier docs/catalog-format.md
 * gives that place and checks that catalog/customer-service.json, loaded by the
 * catalog library, holds exactly that text there, both by identifier
 * (catalog_find) and by walking the structure (catalog_level_of,
 * catalog_spec_area_of, ...). It then counts every element of the catalog and
 * checks that each one was met in the source, and that the source gives the
 * reference counts of the standard.
 *
 * Wording as the format defines it: list marks (□ － ・ ●) at line start and white
 * space (ASCII, tab, U+3000) at both ends are layout; paragraphs of one text are
 * joined by "\n"; an unmarked line among knowledge items continues the item above.
 *
 * Run from the repository root (make check does). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "catalog.h"
#include "err.h"

#define SOURCE_PATH  "catalog/source/itss-customer-service.txt"
#define CATALOG_PATH "catalog/customer-service.json"
#define MINI_PATH    "tests/fixtures/mini-catalog.json"
#define JOB          "CS"
#define IDEOGRAPHIC_SPACE "\xe3\x80\x80"

/* The reference counts published with the standard (issue 2). */
enum {
    REF_LEVEL_SETS = 12, REF_CHECK_ITEMS = 128, REF_COMPLEXITY = 58, REF_SIZE = 22,
    REF_TASK = 48, REF_PROFICIENCY = 94, REF_PROFICIENCY_HW = 24, REF_PROFICIENCY_SW = 24,
    REF_PROFICIENCY_FM = 32, REF_PROFICIENCY_COMMON = 14, REF_CATEGORIES = 154,
    REF_KNOWLEDGE_ITEMS = 492, REF_SPEC_DESCRIPTIONS = 3, REF_AREA_DESCRIPTIONS = 10
};

/* A specialization or common block: its code and how each part of the source heads it. */
typedef struct block {
    const char *code;
    const char *achievement_heading;   /* ●... on the 達成度指標 pages */
    const char *page_heading;          /* line under 専門分野： on the skill pages */
    const char *overview_heading;      /* ●... in 職種の概要; NULL for a common block */
    int common;
} block;

static const block BLOCKS[] = {
    { "HW", "ハードウェア", "ハードウェア", "ハードウェア", 0 },
    { "SW", "ソフトウェア", "ソフトウェア", "ソフトウェア", 0 },
    { "FM", "ファシリティマネジメント", "ファシリティマネジメント", "ファシリティマネジメント", 0 },
    { "HWSW", "ハードウェア、ソフトウェア共通", "共通（ハードウェア、ソフトウェア）", NULL, 1 },
};
#define N_BLOCKS (sizeof BLOCKS / sizeof BLOCKS[0])
/* The specializations that share the common block. */
static const char *const SHARED_BY[] = { "HW", "SW" };

typedef struct area_def {
    const char *code;
    const char *name;
} area_def;

static const area_def AREAS[] = {
    { "UEA", "ユーザ環境分析" }, { "BST", "ビジネス戦略" }, { "PM", "プロジェクトマネジメント" },
    { "SOM", "システム運用管理" }, { "LDR", "リーダーシップ" }, { "COM", "コミュニケーション" },
    { "NEG", "ネゴシエーション" }, { "HWT", "ハードウェアテクノロジ" },
    { "SWT", "ソフトウェアテクノロジ" }, { "FMT", "ファシリティマネジメント" },
};
#define N_AREAS (sizeof AREAS / sizeof AREAS[0])

typedef struct criterion_def {
    const char *heading;
    catalog_criterion_kind kind;
    const char *key;
} criterion_def;

static const criterion_def CRITERIA[] = {
    { "●複雑性：", CRITERION_COMPLEXITY, "complexity" },
    { "●サイズ：", CRITERION_SIZE, "size" },
    { "●タスク特性：", CRITERION_TASK, "task" },
};

/* How many elements of each kind, in the source or in the catalog. */
typedef struct tally {
    int levels, responsibilities, criteria, criterion_notes;
    int check_items[CRITERION_KINDS];
    int proficiency[N_BLOCKS];
    int spec_areas, categories, knowledge_items;
    int overview, spec_descriptions, area_descriptions;
} tally;

typedef enum part { PART_ACHIEVEMENT, PART_SKILL_MAP, PART_SKILL_PAGES, PART_OVERVIEW, PART_AREA_TEXTS } part;
/* Failures are kept apart by what they concern, so that each test reports its own. */
typedef enum topic { T_ACHIEVEMENT, T_SKILLS, T_DESCRIPTIONS, T_NOTES, T_TOPICS } topic;

typedef enum pending_kind {
    PEND_NONE, PEND_PROFICIENCY, PEND_KNOWLEDGE_ITEM, PEND_OVERVIEW, PEND_SPEC_DESCRIPTION,
    PEND_AREA_DESCRIPTION
} pending_kind;

/* A text that may run over several lines, checked once it is complete. */
typedef struct pending {
    pending_kind kind;
    int line;
    buf text;
    size_t block_index;  /* PEND_SPEC_DESCRIPTION */
    size_t area_index;   /* PEND_AREA_DESCRIPTION */
    int level;           /* PEND_PROFICIENCY */
    int item;            /* PEND_KNOWLEDGE_ITEM, 1-based */
} pending;

typedef struct walker {
    catalog *cat;
    part part;
    int line;

    /* 達成度指標 */
    const block *blk;
    const catalog_spec *spec;
    int level;
    const catalog_level *lvl;
    int in_responsibility, responsibility_seen;
    int criterion;               /* index into CRITERIA, -1 when none */
    int lead_seen[CRITERION_KINDS], n_items[CRITERION_KINDS], n_notes[CRITERION_KINDS];

    /* スキル熟達度・知識項目 */
    int expect_page_block, page_specific;
    size_t area_index;
    const catalog_area *area;
    const catalog_spec_area *sa;
    int area_level, level_has_knowledge, area_proficiency, n_categories, n_category_items;
    const block *area_block[N_AREAS];    /* the page a specific area was found on */

    /* スキル領域 */
    char heading[256];                   /* last 専門分野：... heading above a description */

    pending pend;
    tally seen;
    int min_level, max_level;
    char **visited;
    size_t n_visited, cap_visited;
    int failures[T_TOPICS];
} walker;

/* ---------------------------------------------------------------- reporting */

static topic topic_of(const walker *w)
{
    switch (w->part) {
    case PART_ACHIEVEMENT: return T_ACHIEVEMENT;
    case PART_SKILL_MAP: case PART_SKILL_PAGES: return T_SKILLS;
    default: return T_DESCRIPTIONS;
    }
}

/* Prints "source:line: message" and counts a failure under the current part. */
static void mismatch(walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void mismatch(walker *w, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", SOURCE_PATH, w->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    w->failures[topic_of(w)]++;
}

/* ---------------------------------------------------------------- lines */

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_layout_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Drops white space at both ends of s in place; returns the new start. */
static char *trim(char *s)
{
    size_t n;
    for (;;) {
        if (is_layout_space(*s)) s++;
        else if (has_prefix(s, IDEOGRAPHIC_SPACE)) s += 3;
        else break;
    }
    n = strlen(s);
    for (;;) {
        if (n > 0 && is_layout_space(s[n - 1])) n--;
        else if (n >= 3 && memcmp(s + n - 3, IDEOGRAPHIC_SPACE, 3) == 0) n -= 3;
        else break;
    }
    s[n] = '\0';
    return s;
}

/* The text after a list mark, without the white space that follows the mark. */
static char *after_mark(char *s, const char *mark)
{
    return trim(s + strlen(mark));
}

/* n for a "レベルｎ" header (full-width digit), else 0. */
static int level_header(const char *s)
{
    const unsigned char *d;
    if (!has_prefix(s, "レベル")) return 0;
    d = (const unsigned char *)s + strlen("レベル");
    if (d[0] == 0xEF && d[1] == 0xBC && d[2] >= 0x91 && d[2] <= 0x99 && d[3] == '\0')
        return d[2] - 0x90;
    return 0;
}

/* Page furniture such as "1 of 3". */
static int is_page_count(const char *s)
{
    if (!isdigit((unsigned char)*s)) return 0;
    while (isdigit((unsigned char)*s)) s++;
    if (!has_prefix(s, " of ")) return 0;
    s += 4;
    if (!isdigit((unsigned char)*s)) return 0;
    while (isdigit((unsigned char)*s)) s++;
    return *s == '\0';
}

static int is_number(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return 0;
    return 1;
}

static int is_one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0) return 1;
    return 0;
}

/* ---------------------------------------------------------------- catalog checks */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remembers that the source has an element with this identifier. */
static void mark_visited(walker *w, const char *id)
{
    if (w->n_visited == w->cap_visited) {
        w->cap_visited = w->cap_visited ? 2 * w->cap_visited : 1024;
        w->visited = realloc(w->visited, w->cap_visited * sizeof *w->visited);
        if (!w->visited) abort();
    }
    w->visited[w->n_visited] = strdup(id);
    if (!w->visited[w->n_visited]) abort();
    w->n_visited++;
}

static int was_visited(const walker *w, const char *id)
{
    return bsearch(&id, w->visited, w->n_visited, sizeof *w->visited, compare_strings) != NULL;
}

/* Looks id up as an element of the given kind; reports and returns 0 when it is not. */
static int find_element(walker *w, const char *id, catalog_kind kind, catalog_element *e)
{
    mark_visited(w, id);
    memset(e, 0, sizeof *e);
    if (!catalog_find(w->cat, id, e)) {
        mismatch(w, "%s: the source has this %s, the catalog has no such identifier", id,
             catalog_kind_name(kind));
        return 0;
    }
    if (e->kind != kind) {
        mismatch(w, "%s: the catalog has a %s, the source a %s", id, catalog_kind_name(e->kind),
             catalog_kind_name(kind));
        return 0;
    }
    if (!e->id || strcmp(e->id, id) != 0) {
        mismatch(w, "%s: catalog_find returned element \"%s\"", id, e->id ? e->id : "(null)");
        return 0;
    }
    return 1;
}

/* Reports unless got is exactly the source's text want. */
static void same_text(walker *w, const char *id, const char *what, const char *got, const char *want)
{
    if (!got)
        mismatch(w, "%s: %s missing; the source has \"%s\"", id, what, want);
    else if (strcmp(got, want) != 0)
        mismatch(w, "%s: %s differs from the source\n  source:  \"%s\"\n  catalog: \"%s\"", id, what, want, got);
}

static void same_int(walker *w, const char *id, const char *what, long got, long want)
{
    if (got != want) mismatch(w, "%s: %s is %ld, the source gives %ld", id, what, got, want);
}

static void same_pointer(walker *w, const char *id, const char *what, const void *got, const void *want)
{
    if (got != want) mismatch(w, "%s: %s is not the one the source places it under", id, what);
}

/* The catalog's specialization or common block for b, or NULL (reported). */
static const catalog_spec *block_spec(walker *w, const block *b)
{
    char id[64];
    catalog_element e;
    snprintf(id, sizeof id, "%s.%s", JOB, b->code);
    if (!find_element(w, id, CK_SPEC, &e)) return NULL;
    if (!e.spec) { mismatch(w, "%s: element has no specialization", id); return NULL; }
    same_int(w, id, "is_common", e.spec->is_common != 0, b->common);
    same_text(w, id, "code", e.spec->code, b->code);
    return e.spec;
}

/* The catalog's specialization with this code, found without marking anything. */
static const catalog_spec *spec_by_code(walker *w, const char *code)
{
    char id[64];
    catalog_element e;
    snprintf(id, sizeof id, "%s.%s", JOB, code);
    if (!catalog_find(w->cat, id, &e) || e.kind != CK_SPEC) {
        mismatch(w, "%s: no such specialization in the catalog", id);
        return NULL;
    }
    return e.spec;
}

static const block *block_by(const char *heading, size_t field)
{
    for (size_t i = 0; i < N_BLOCKS; i++) {
        const char *h = field == 0 ? BLOCKS[i].achievement_heading
                      : field == 1 ? BLOCKS[i].page_heading : BLOCKS[i].overview_heading;
        if (h && strcmp(h, heading) == 0) return &BLOCKS[i];
    }
    return NULL;
}

static long area_by_name(const char *name)
{
    for (size_t i = 0; i < N_AREAS; i++)
        if (strcmp(AREAS[i].name, name) == 0) return (long)i;
    return -1;
}

static void note_level(walker *w, int level)
{
    if (!w->min_level || level < w->min_level) w->min_level = level;
    if (level > w->max_level) w->max_level = level;
}

/* ---------------------------------------------------------------- 達成度指標 */

/* Checks that the level just read has no more items or notes in the catalog than in the source. */
static void close_level(walker *w)
{
    char id[96];
    if (w->level && w->blk) {
        snprintf(id, sizeof id, "%s.%s.L%d", JOB, w->blk->code, w->level);
        if (!w->responsibility_seen) mismatch(w, "%s: the source gives no 責任性", id);
        for (size_t k = 0; k < CRITERION_KINDS; k++) {
            if (!w->lead_seen[k]) mismatch(w, "%s: the source gives no %s lead", id, CRITERIA[k].key);
            if (w->lvl) {
                const catalog_criterion *c = &w->lvl->criteria[CRITERIA[k].kind];
                same_int(w, id, "number of checklist items", (long)c->n_items, w->n_items[k]);
                same_int(w, id, "number of notes", (long)c->n_notes, w->n_notes[k]);
            }
        }
    }
    w->level = 0;
    w->lvl = NULL;
    w->criterion = -1;
    w->in_responsibility = 0;
}

static void open_level(walker *w, int level)
{
    char id[96];
    catalog_element e;
    close_level(w);
    if (!w->blk) { mismatch(w, "level header before any specialization heading"); return; }
    w->level = level;
    w->responsibility_seen = 0;
    memset(w->lead_seen, 0, sizeof w->lead_seen);
    memset(w->n_items, 0, sizeof w->n_items);
    memset(w->n_notes, 0, sizeof w->n_notes);
    note_level(w, level);
    w->seen.levels++;
    snprintf(id, sizeof id, "%s.%s.L%d", JOB, w->blk->code, level);
    if (!find_element(w, id, CK_LEVEL, &e)) return;
    w->lvl = e.level;
    same_int(w, id, "level", e.level->level, level);
    same_pointer(w, id, "owner", e.level->owner, w->spec);
    if (!w->blk->common) {
        same_pointer(w, id, "catalog_level_of", catalog_level_of(w->cat, w->spec, level), e.level);
        return;
    }
    /* a common level is the level of every specialization sharing it */
    for (size_t i = 0; i < sizeof SHARED_BY / sizeof SHARED_BY[0]; i++) {
        const catalog_spec *s = spec_by_code(w, SHARED_BY[i]);
        if (s) same_pointer(w, id, "catalog_level_of (shared level)", catalog_level_of(w->cat, s, level), e.level);
    }
}

static void achievement_responsibility(walker *w, const char *text)
{
    char id[128];
    catalog_element e;
    if (w->responsibility_seen) { mismatch(w, "a second 責任性 text in one level"); return; }
    w->responsibility_seen = 1;
    w->seen.responsibilities++;
    snprintf(id, sizeof id, "%s.%s.L%d.responsibility", JOB, w->blk->code, w->level);
    if (!find_element(w, id, CK_RESPONSIBILITY, &e)) return;
    same_text(w, id, "text", e.item ? e.item->text : NULL, text);
    if (w->lvl) same_text(w, id, "level's responsibility", w->lvl->responsibility.text, text);
}

static void achievement_lead(walker *w, const char *text)
{
    const criterion_def *d = &CRITERIA[w->criterion];
    char id[128];
    catalog_element e;
    if (w->lead_seen[w->criterion]) { mismatch(w, "a second lead sentence under %s", d->heading); return; }
    w->lead_seen[w->criterion] = 1;
    w->seen.criteria++;
    snprintf(id, sizeof id, "%s.%s.L%d.%s", JOB, w->blk->code, w->level, d->key);
    if (!find_element(w, id, CK_CRITERION, &e)) return;
    same_text(w, id, "lead", e.criterion ? e.criterion->lead : NULL, text);
    if (e.criterion) same_int(w, id, "criterion kind", e.criterion->kind, d->kind);
    if (w->lvl) same_text(w, id, "level's lead", w->lvl->criteria[d->kind].lead, text);
}

static void achievement_item(walker *w, const char *text, int is_note)
{
    const criterion_def *d = &CRITERIA[w->criterion];
    int n = is_note ? ++w->n_notes[w->criterion] : ++w->n_items[w->criterion];
    char id[128];
    catalog_element e;
    if (is_note) {
        w->seen.criterion_notes++;
        snprintf(id, sizeof id, "%s.%s.L%d.%s.note.%d", JOB, w->blk->code, w->level, d->key, n);
    } else {
        w->seen.check_items[d->kind]++;
        snprintf(id, sizeof id, "%s.%s.L%d.%s.%d", JOB, w->blk->code, w->level, d->key, n);
    }
    if (!find_element(w, id, is_note ? CK_CRITERION_NOTE : CK_CHECK_ITEM, &e)) return;
    same_text(w, id, "text", e.item ? e.item->text : NULL, text);
    same_int(w, id, "position", e.index, n - 1);
    if (e.level) same_int(w, id, "level", e.level->level, w->level);
    if (e.criterion) same_int(w, id, "criterion kind", e.criterion->kind, d->kind);
    same_pointer(w, id, "specialization", e.spec, w->spec);
    if (w->lvl) {
        const catalog_criterion *c = &w->lvl->criteria[d->kind];
        size_t count = is_note ? c->n_notes : c->n_items;
        const catalog_item *list = is_note ? c->notes : c->items;
        if ((size_t)n > count) mismatch(w, "%s: the level's list has only %zu entries", id, count);
        else same_text(w, id, "text in the level's list", list[n - 1].text, text);
    }
}

static void achievement_line(walker *w, char *s)
{
    static const char *const furniture[] = { "カスタマサービスの達成度指標", "専門分野", "達成度指標", NULL };
    const block *b;
    int n;
    if (is_one_of(s, furniture) || is_page_count(s)) return;
    if ((n = level_header(s)) != 0) { open_level(w, n); return; }
    if (has_prefix(s, "●") && (b = block_by(after_mark(s, "●"), 0)) != NULL) {
        close_level(w);
        w->blk = b;
        w->spec = block_spec(w, b);
        return;
    }
    if (!w->level) { mismatch(w, "text outside any level: \"%s\"", s); return; }
    if (strcmp(s, "●責任性：") == 0) { w->in_responsibility = 1; w->criterion = -1; return; }
    for (size_t k = 0; k < CRITERION_KINDS; k++)
        if (strcmp(s, CRITERIA[k].heading) == 0) { w->in_responsibility = 0; w->criterion = (int)k; return; }
    if (w->in_responsibility && has_prefix(s, "－")) { achievement_responsibility(w, after_mark(s, "－")); return; }
    if (w->criterion < 0) { mismatch(w, "text outside any criterion: \"%s\"", s); return; }
    if (has_prefix(s, "－")) achievement_lead(w, after_mark(s, "－"));
    else if (has_prefix(s, "□")) achievement_item(w, after_mark(s, "□"), 0);
    else if (has_prefix(s, "（")) achievement_item(w, s, 1);
    else mismatch(w, "unexpected line under %s: \"%s\"", CRITERIA[w->criterion].heading, s);
}

/* ---------------------------------------------------------------- スキル熟達度・知識項目 */

static void check_proficiency(walker *w, const pending *p)
{
    char id[128];
    catalog_element e;
    const char *text = p->text.len ? p->text.data : NULL;
    snprintf(id, sizeof id, "%s.%s.%s.L%d", JOB, w->blk->code, AREAS[w->area_index].code, p->level);
    if (!text) {
        /* a level the source leaves empty is not stored */
        if (catalog_find(w->cat, id, &e)) mismatch(w, "%s: the source has no text for this level, the catalog has one", id);
        if (w->sa && catalog_proficiency_at(w->sa, p->level))
            mismatch(w, "%s: catalog_proficiency_at finds a text the source does not give", id);
        return;
    }
    w->seen.proficiency[w->blk - BLOCKS]++;
    w->area_proficiency++;
    note_level(w, p->level);
    if (!find_element(w, id, CK_PROFICIENCY, &e)) return;
    same_text(w, id, "text", e.proficiency ? e.proficiency->text : NULL, text);
    if (e.proficiency) same_int(w, id, "level", e.proficiency->level, p->level);
    same_pointer(w, id, "skill area", e.area, w->area);
    same_pointer(w, id, "specialization", e.spec, w->spec);
    same_pointer(w, id, "spec area", e.spec_area, w->sa);
    if (w->sa) same_pointer(w, id, "catalog_proficiency_at", catalog_proficiency_at(w->sa, p->level), e.proficiency);
    if (!w->blk->common) {
        same_pointer(w, id, "catalog_spec_area_of", catalog_spec_area_of(w->cat, w->spec, w->area, p->level), w->sa);
        return;
    }
    for (size_t i = 0; i < sizeof SHARED_BY / sizeof SHARED_BY[0]; i++) {
        const catalog_spec *s = spec_by_code(w, SHARED_BY[i]);
        if (s) same_pointer(w, id, "catalog_spec_area_of (shared level)",
                            catalog_spec_area_of(w->cat, s, w->area, p->level), w->sa);
    }
}

static void check_knowledge_item(walker *w, const pending *p)
{
    char id[160], category_id[128];
    catalog_element e;
    const char *text = p->text.data;
    w->seen.knowledge_items++;
    snprintf(category_id, sizeof category_id, "%s.%s.%s.K%02d", JOB, w->blk->code, AREAS[w->area_index].code,
             w->n_categories);
    snprintf(id, sizeof id, "%s.%02d", category_id, p->item);
    if (!find_element(w, id, CK_KNOWLEDGE_ITEM, &e)) return;
    same_text(w, id, "text", e.item ? e.item->text : NULL, text);
    same_text(w, id, "category", e.category ? e.category->id : NULL, category_id);
    same_int(w, id, "position", e.index, p->item - 1);
    same_pointer(w, id, "skill area", e.area, w->area);
    same_pointer(w, id, "spec area", e.spec_area, w->sa);
    if (w->sa && (size_t)w->n_categories <= w->sa->n_knowledge) {
        const catalog_knowledge_category *k = &w->sa->knowledge[w->n_categories - 1];
        if ((size_t)p->item > k->n_items) mismatch(w, "%s: the category holds only %zu items", id, k->n_items);
        else same_text(w, id, "text in the category's list", k->items[p->item - 1].text, text);
    }
}

/* Checks that the category just read has as many items in the catalog as in the source. */
static void close_category(walker *w)
{
    if (w->sa && w->n_categories > 0 && (size_t)w->n_categories <= w->sa->n_knowledge)
        same_int(w, w->sa->knowledge[w->n_categories - 1].id, "number of items",
                 (long)w->sa->knowledge[w->n_categories - 1].n_items, w->n_category_items);
}

static void close_area(walker *w)
{
    close_category(w);
    if (w->sa) {
        same_int(w, w->sa->id, "number of knowledge categories", (long)w->sa->n_knowledge, w->n_categories);
        same_int(w, w->sa->id, "number of proficiency texts", (long)w->sa->n_proficiency, w->area_proficiency);
    }
    w->area = NULL;
    w->sa = NULL;
    w->area_level = 0;
}

static void pending_flush(walker *w);

static void open_area(walker *w, const char *name)
{
    char id[96];
    catalog_element e;
    long i = area_by_name(name);
    close_area(w);
    if (i < 0) { mismatch(w, "unknown skill area \"%s\"", name); return; }
    if (!w->blk) { mismatch(w, "skill area before any specialization"); return; }
    w->area_index = (size_t)i;
    w->n_categories = w->n_category_items = w->area_proficiency = 0;
    if (w->page_specific) w->area_block[i] = w->blk;
    snprintf(id, sizeof id, "%s.%s", JOB, AREAS[i].code);
    if (find_element(w, id, CK_AREA, &e) && e.area) {
        w->area = e.area;
        same_text(w, id, "name", e.area->name, name);
        same_int(w, id, "is_specific (page heading 専門分野固有/職種共通スキル項目)", e.area->is_specific != 0,
                 w->page_specific);
    }
    w->seen.spec_areas++;
    snprintf(id, sizeof id, "%s.%s.%s", JOB, w->blk->code, AREAS[i].code);
    if (find_element(w, id, CK_SPEC_AREA, &e) && e.spec_area) {
        w->sa = e.spec_area;
        same_pointer(w, id, "skill area", e.spec_area->area, w->area);
        same_pointer(w, id, "owner", e.spec_area->owner, w->spec);
    }
}

static void open_category(walker *w, const char *name)
{
    char id[128];
    catalog_element e;
    close_category(w);
    w->n_categories++;
    w->n_category_items = 0;
    w->level_has_knowledge = 1;
    w->seen.categories++;
    snprintf(id, sizeof id, "%s.%s.%s.K%02d", JOB, w->blk->code, AREAS[w->area_index].code, w->n_categories);
    if (!find_element(w, id, CK_KNOWLEDGE_CATEGORY, &e)) return;
    same_text(w, id, "name", e.category ? e.category->name : NULL, name);
    same_int(w, id, "position", e.index, w->n_categories - 1);
    same_pointer(w, id, "spec area", e.spec_area, w->sa);
    if (w->sa && (size_t)w->n_categories <= w->sa->n_knowledge)
        same_text(w, id, "name in the area's list", w->sa->knowledge[w->n_categories - 1].name, name);
}

static void pending_start(walker *w, pending_kind kind)
{
    pending_flush(w);
    w->pend.kind = kind;
    w->pend.line = w->line;
}

static void skill_line(walker *w, char *s)
{
    static const char *const furniture[] = { "カスタマサービスのスキル熟達度・知識項目", "スキル熟達度", "知識項目", NULL };
    const block *b;
    int n;
    if (is_one_of(s, furniture)) { pending_flush(w); return; }
    if (strcmp(s, "職種共通スキル項目") == 0 || strcmp(s, "専門分野固有スキル項目") == 0) {
        pending_flush(w);
        close_area(w);
        w->page_specific = strcmp(s, "専門分野固有スキル項目") == 0;
        return;
    }
    if (strcmp(s, "専門分野：") == 0) { pending_flush(w); w->expect_page_block = 1; return; }
    if (w->expect_page_block) {
        w->expect_page_block = 0;
        if (!(b = block_by(s, 1))) { mismatch(w, "unknown specialization \"%s\"", s); return; }
        w->blk = b;
        w->spec = block_spec(w, b);
        return;
    }
    if (has_prefix(s, "●")) { pending_flush(w); open_area(w, after_mark(s, "●")); return; }
    if ((n = level_header(s)) != 0) {
        if (!w->area) { mismatch(w, "level header outside a skill area"); return; }
        pending_start(w, PEND_PROFICIENCY);
        w->pend.level = w->area_level = n;
        note_level(w, n);
        w->level_has_knowledge = 0;
        return;
    }
    if (!w->area || !w->area_level) { mismatch(w, "text outside a skill area's level: \"%s\"", s); return; }
    if (has_prefix(s, "－")) { pending_flush(w); open_category(w, after_mark(s, "－")); return; }
    if (has_prefix(s, "・")) {
        if (!w->n_categories) { mismatch(w, "knowledge item before any category: \"%s\"", s); return; }
        pending_start(w, PEND_KNOWLEDGE_ITEM);
        w->pend.item = ++w->n_category_items;
        buf_puts(&w->pend.text, after_mark(s, "・"));
        return;
    }
    /* an unmarked line: a paragraph of the proficiency text, or the rest of a knowledge item */
    if (w->pend.kind == PEND_PROFICIENCY && !w->level_has_knowledge) {
        if (w->pend.text.len) buf_putc(&w->pend.text, '\n');
        buf_puts(&w->pend.text, s);
    } else if (w->pend.kind == PEND_KNOWLEDGE_ITEM) {
        buf_putc(&w->pend.text, '\n');
        buf_puts(&w->pend.text, s);
    } else {
        mismatch(w, "unmarked line that belongs to no text: \"%s\"", s);
    }
}

/* ---------------------------------------------------------------- 職種の概要, スキル領域 */

static void check_overview(walker *w, const char *text)
{
    w->seen.overview++;
    same_text(w, JOB, "job overview", catalog_job_overview(w->cat), text);
}

static void check_spec_description(walker *w, size_t bi, const char *text)
{
    char id[64];
    catalog_element e;
    w->seen.spec_descriptions++;
    snprintf(id, sizeof id, "%s.%s", JOB, BLOCKS[bi].code);
    if (!find_element(w, id, CK_SPEC, &e) || !e.spec) return;
    same_text(w, id, "description", e.spec->description, text);
    same_text(w, id, "name", e.spec->name, BLOCKS[bi].overview_heading);
}

static void check_area_description(walker *w, size_t ai, const char *text)
{
    char id[64];
    catalog_element e;
    w->seen.area_descriptions++;
    snprintf(id, sizeof id, "%s.%s", JOB, AREAS[ai].code);
    if (!find_element(w, id, CK_AREA, &e) || !e.area) return;
    same_text(w, id, "description", e.area->description, text);
}

/* Checks that a note stands about id (a slip the source shows). */
static void require_note(walker *w, const char *id, const char *why)
{
    for (size_t i = 0; i < catalog_note_count(w->cat); i++) {
        const catalog_note *n = catalog_note_at(w->cat, i);
        if (n && n->about && strcmp(n->about, id) == 0) return;
    }
    fprintf(stderr, "%s:%d: %s: %s, but the catalog has no note about it\n", SOURCE_PATH, w->line, id, why);
    w->failures[T_NOTES]++;
}

static void check_job_name(walker *w, const char *s)
{
    same_text(w, JOB, "job category name", catalog_job_name(w->cat), s + strlen("職種："));
}

static void overview_line(walker *w, char *s)
{
    const block *b;
    if (has_prefix(s, "職種：")) { check_job_name(w, s); return; }
    if (has_prefix(s, "●")) {
        if (!(b = block_by(after_mark(s, "●"), 2))) { mismatch(w, "unknown specialization \"%s\"", s); return; }
        pending_start(w, PEND_SPEC_DESCRIPTION);
        w->pend.block_index = (size_t)(b - BLOCKS);
        return;
    }
    if (w->pend.kind == PEND_NONE) pending_start(w, PEND_OVERVIEW);
    if (w->pend.text.len) buf_putc(&w->pend.text, '\n');
    buf_puts(&w->pend.text, s);
}

static void area_text_line(walker *w, char *s)
{
    static const char *const furniture[] = { "職種の説明", "スキル熟達度・知識項目", "カスタマサービス", "達成度指標",
                                             "PAGE", NULL };
    long ai;
    if (is_one_of(s, furniture) || is_number(s)) { pending_flush(w); return; }
    if (has_prefix(s, "職種：")) { pending_flush(w); check_job_name(w, s); return; }
    if (has_prefix(s, "©")) {
        pending_flush(w);
        same_text(w, "source", "publisher", catalog_source_publisher(w->cat), s + strlen("©"));
        return;
    }
    if (has_prefix(s, "専門分野：")) {
        pending_flush(w);
        snprintf(w->heading, sizeof w->heading, "%s", s + strlen("専門分野："));
        return;
    }
    if (has_prefix(s, "●")) {
        char id[64];
        if ((ai = area_by_name(after_mark(s, "●"))) < 0) { mismatch(w, "unknown skill area \"%s\"", s); return; }
        pending_start(w, PEND_AREA_DESCRIPTION);
        w->pend.area_index = (size_t)ai;
        snprintf(id, sizeof id, "%s.%s", JOB, AREAS[ai].code);
        /* a specialization heading above a specific area that is not the area's own */
        if (w->heading[0] && w->area_block[ai] && strcmp(w->heading, w->area_block[ai]->page_heading) != 0)
            require_note(w, id, "the page heading above this description names another specialization");
        w->heading[0] = '\0';
        return;
    }
    if (w->pend.kind != PEND_AREA_DESCRIPTION) { mismatch(w, "text outside any description: \"%s\"", s); return; }
    if (w->pend.text.len) buf_putc(&w->pend.text, '\n');
    buf_puts(&w->pend.text, s);
}

/* Checks the text gathered so far, then forgets it. */
static void pending_flush(walker *w)
{
    pending *p = &w->pend;
    int here = w->line;
    if (p->kind == PEND_NONE) return;
    w->line = p->line;
    switch (p->kind) {
    case PEND_PROFICIENCY: check_proficiency(w, p); break;
    case PEND_KNOWLEDGE_ITEM: check_knowledge_item(w, p); break;
    case PEND_OVERVIEW: check_overview(w, p->text.data); break;
    case PEND_SPEC_DESCRIPTION:
        if (p->text.len) check_spec_description(w, p->block_index, p->text.data);
        else mismatch(w, "a specialization with no description");
        break;
    case PEND_AREA_DESCRIPTION:
        if (p->text.len) check_area_description(w, p->area_index, p->text.data);
        else mismatch(w, "a skill area with no description");
        break;
    case PEND_NONE: break;
    }
    w->line = here;
    p->kind = PEND_NONE;
    buf_reset(&p->text);
}

/* ---------------------------------------------------------------- the walk */

/* Moves to the next part of the source when s is that part's heading; returns 1 then. */
static int part_heading(walker *w, const char *s)
{
    part next;
    if (w->part == PART_ACHIEVEMENT && strcmp(s, "カスタマサービスのスキル領域") == 0) next = PART_SKILL_MAP;
    else if (w->part == PART_SKILL_MAP && strcmp(s, "カスタマサービスのスキル熟達度・知識項目") == 0) next = PART_SKILL_PAGES;
    else if (w->part == PART_SKILL_PAGES && strcmp(s, "職種の概要") == 0) next = PART_OVERVIEW;
    else if (w->part == PART_OVERVIEW && strcmp(s, "スキル領域") == 0) next = PART_AREA_TEXTS;
    else return 0;
    pending_flush(w);
    if (w->part == PART_ACHIEVEMENT) close_level(w);
    if (w->part == PART_SKILL_PAGES) close_area(w);
    w->part = next;
    w->blk = NULL;
    w->spec = NULL;
    return next != PART_SKILL_PAGES;   /* the skill pages' heading is also their page furniture */
}

/* Walks the source text (changed in place) and checks every text against w->cat. */
static void walk_source(walker *w, char *text)
{
    char *next;
    w->criterion = -1;
    for (char *line = text; line; line = next) {
        char *s;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        w->line++;
        s = trim(line);
        if (!*s) continue;
        if (part_heading(w, s)) continue;
        switch (w->part) {
        case PART_ACHIEVEMENT: achievement_line(w, s); break;
        case PART_SKILL_MAP: break;   /* the map of skill areas repeats names only */
        case PART_SKILL_PAGES: skill_line(w, s); break;
        case PART_OVERVIEW: overview_line(w, s); break;
        case PART_AREA_TEXTS: area_text_line(w, s); break;
        }
    }
    pending_flush(w);
    if (w->part != PART_AREA_TEXTS) mismatch(w, "the source ended before its スキル領域 part");
    qsort(w->visited, w->n_visited, sizeof *w->visited, compare_strings);
}

/* Reads a whole file; the caller frees the result. NULL when it cannot. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) { fclose(f); return NULL; }
    data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) { free(data); data = NULL; }
    if (data) data[n] = '\0';
    fclose(f);
    return data;
}

/* Loads a catalog, printing every error when it does not load. */
static catalog *load(const char *path)
{
    err_list *errs = calloc(1, sizeof *errs);
    catalog *c;
    if (!errs) abort();
    c = catalog_load_file(path, errs);
    for (size_t i = 0; i < errs->count; i++) err_print(stderr, &errs->items[i]);
    free(errs);
    return c;
}

static int setup(void **state)
{
    walker *w = calloc(1, sizeof *w);
    char *text;
    if (!w) return -1;
    buf_init(&w->pend.text);
    w->cat = load(CATALOG_PATH);
    if (!w->cat) { fprintf(stderr, "%s does not load\n", CATALOG_PATH); free(w); return -1; }
    text = read_file(SOURCE_PATH);
    if (!text) { fprintf(stderr, "cannot read %s\n", SOURCE_PATH); catalog_free(w->cat); free(w); return -1; }
    walk_source(w, text);
    free(text);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    walker *w = *state;
    if (!w) return 0;
    for (size_t i = 0; i < w->n_visited; i++) free(w->visited[i]);
    free(w->visited);
    buf_free(&w->pend.text);
    catalog_free(w->cat);
    free(w);
    return 0;
}

/* ---------------------------------------------------------------- tests */

/* Every 責任性, lead, checklist item and note of every level is in the catalog, word for word. */
static void test_achievement_indicators_match_source(void **state)
{
    walker *w = *state;
    assert_int_equal(w->failures[T_ACHIEVEMENT], 0);
    assert_true(w->seen.levels > 0);
}

/* Every proficiency description and knowledge category and item is in the catalog under
 * its specialization, skill area and level, word for word. */
static void test_skill_pages_match_source(void **state)
{
    walker *w = *state;
    assert_int_equal(w->failures[T_SKILLS], 0);
    assert_true(w->seen.knowledge_items > 0);
}

/* The job overview, the specialization and the skill-area descriptions match the source. */
static void test_descriptions_match_source(void **state)
{
    walker *w = *state;
    assert_int_equal(w->failures[T_DESCRIPTIONS], 0);
    assert_int_equal(w->seen.overview, 1);
}

/* The reader found in the source exactly the reference counts of the standard, so it
 * missed nothing (and the catalog checks above covered every text). */
static void test_source_gives_reference_counts(void **state)
{
    walker *w = *state;
    int proficiency = 0;
    for (size_t i = 0; i < N_BLOCKS; i++) proficiency += w->seen.proficiency[i];
    assert_int_equal(w->seen.levels, REF_LEVEL_SETS);
    assert_int_equal(w->seen.check_items[CRITERION_COMPLEXITY], REF_COMPLEXITY);
    assert_int_equal(w->seen.check_items[CRITERION_SIZE], REF_SIZE);
    assert_int_equal(w->seen.check_items[CRITERION_TASK], REF_TASK);
    assert_int_equal(w->seen.check_items[CRITERION_COMPLEXITY] + w->seen.check_items[CRITERION_SIZE] +
                     w->seen.check_items[CRITERION_TASK], REF_CHECK_ITEMS);
    assert_int_equal(proficiency, REF_PROFICIENCY);
    assert_int_equal(w->seen.proficiency[0], REF_PROFICIENCY_HW);
    assert_int_equal(w->seen.proficiency[1], REF_PROFICIENCY_SW);
    assert_int_equal(w->seen.proficiency[2], REF_PROFICIENCY_FM);
    assert_int_equal(w->seen.proficiency[3], REF_PROFICIENCY_COMMON);
    assert_int_equal(w->seen.categories, REF_CATEGORIES);
    assert_int_equal(w->seen.knowledge_items, REF_KNOWLEDGE_ITEMS);
    assert_int_equal(w->seen.overview, 1);
    assert_int_equal(w->seen.spec_descriptions, REF_SPEC_DESCRIPTIONS);
    assert_int_equal(w->seen.area_descriptions, REF_AREA_DESCRIPTIONS);
    /* every level has its 責任性 and its three criteria */
    assert_int_equal(w->seen.responsibilities, REF_LEVEL_SETS);
    assert_int_equal(w->seen.criteria, REF_LEVEL_SETS * CRITERION_KINDS);
}

/* Counts the catalog's elements by kind; reports each one the source does not have. */
static void count_catalog(walker *w, tally *t, int *unknown)
{
    size_t n = catalog_element_count(w->cat);
    memset(t, 0, sizeof *t);
    *unknown = 0;
    for (size_t i = 0; i < n; i++) {
        const catalog_element *e = catalog_element_at(w->cat, i);
        catalog_element again;
        assert_non_null(e);
        assert_non_null(e->id);
        /* the element list and the identifier index agree */
        assert_true(catalog_find(w->cat, e->id, &again));
        assert_int_equal(again.kind, e->kind);
        switch (e->kind) {
        case CK_LEVEL: t->levels++; break;
        case CK_RESPONSIBILITY: t->responsibilities++; break;
        case CK_CRITERION: t->criteria++; break;
        case CK_CHECK_ITEM: assert_non_null(e->criterion); t->check_items[e->criterion->kind]++; break;
        case CK_CRITERION_NOTE: t->criterion_notes++; break;
        case CK_SPEC_AREA: t->spec_areas++; break;
        case CK_PROFICIENCY: {
            size_t b;
            assert_non_null(e->spec);
            for (b = 0; b < N_BLOCKS && strcmp(BLOCKS[b].code, e->spec->code) != 0; b++) {}
            if (b < N_BLOCKS) t->proficiency[b]++;
            break;
        }
        case CK_KNOWLEDGE_CATEGORY: t->categories++; break;
        case CK_KNOWLEDGE_ITEM: t->knowledge_items++; break;
        case CK_SPEC: if (e->spec && !e->spec->is_common && e->spec->description) t->spec_descriptions++; break;
        case CK_AREA: if (e->area && e->area->description) t->area_descriptions++; break;
        case CK_JOB: case CK_NOTE: case CK_NONE: break;
        }
        if (e->kind != CK_JOB && e->kind != CK_NOTE && !was_visited(w, e->id)) {
            fprintf(stderr, "%s: %s \"%s\" is not in the source\n", CATALOG_PATH, catalog_kind_name(e->kind), e->id);
            (*unknown)++;
        }
    }
    t->overview = catalog_job_overview(w->cat) && *catalog_job_overview(w->cat);
}

/* The catalog holds nothing the source does not: every element was met in the source,
 * and its counts by kind are the source's. */
static void test_catalog_holds_nothing_else(void **state)
{
    walker *w = *state;
    tally t;
    int unknown;
    count_catalog(w, &t, &unknown);
    assert_int_equal(unknown, 0);
    assert_int_equal(t.levels, w->seen.levels);
    assert_int_equal(t.responsibilities, w->seen.responsibilities);
    assert_int_equal(t.criteria, w->seen.criteria);
    for (int k = 0; k < CRITERION_KINDS; k++) assert_int_equal(t.check_items[k], w->seen.check_items[k]);
    assert_int_equal(t.criterion_notes, w->seen.criterion_notes);
    assert_int_equal(t.spec_areas, w->seen.spec_areas);
    for (size_t b = 0; b < N_BLOCKS; b++) assert_int_equal(t.proficiency[b], w->seen.proficiency[b]);
    assert_int_equal(t.categories, w->seen.categories);
    assert_int_equal(t.knowledge_items, w->seen.knowledge_items);
    assert_int_equal(t.overview, w->seen.overview);
    assert_int_equal(t.spec_descriptions, w->seen.spec_descriptions);
    assert_int_equal(t.area_descriptions, w->seen.area_descriptions);
    assert_int_equal(catalog_spec_count(w->cat), 3);
    assert_int_equal(catalog_common_count(w->cat), 1);
    assert_int_equal(catalog_area_count(w->cat), N_AREAS);
    /* the levels the source uses are the catalog's range */
    assert_int_equal(catalog_level_min(w->cat), w->min_level);
    assert_int_equal(catalog_level_max(w->cat), w->max_level);
}

/* Where the source shows a slip (here: swapped page headings), the catalog says so in a
 * note, and every note speaks about an element the catalog has. */
static void test_slips_are_noted(void **state)
{
    walker *w = *state;
    size_t n = catalog_note_count(w->cat);
    assert_int_equal(w->failures[T_NOTES], 0);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const catalog_note *note = catalog_note_at(w->cat, i);
        catalog_element e;
        assert_non_null(note);
        assert_non_null(note->text);
        assert_non_null(note->about);
        assert_true(note->text[0] != '\0');
        if (strcmp(note->about, catalog_id(w->cat)) != 0) {
            if (!catalog_find(w->cat, note->about, &e)) fail_msg("note %s is about %s, which is not in the catalog", note->id, note->about);
        }
    }
}

/* A second, made-up job category in the same format loads and answers the same
 * lookups: nothing in the library is tied to カスタマサービス. */
static void test_other_job_category_loads(void **state)
{
    catalog *c = load(MINI_PATH);
    catalog_element e;
    const catalog_spec *spec;
    const catalog_area *area;
    const catalog_level *level;
    const catalog_spec_area *sa;
    (void)state;
    assert_non_null(c);
    assert_string_equal(catalog_job_id(c), "IM");
    assert_int_equal(catalog_spec_count(c), 2);
    assert_int_equal(catalog_common_count(c), 1);
    spec = catalog_spec_find(c, "OP");
    assert_non_null(spec);
    area = catalog_area_find(c, "SVM");
    assert_non_null(area);
    /* a level of the common block is the level of a specialization sharing it */
    level = catalog_level_of(c, spec, 2);
    assert_non_null(level);
    assert_string_equal(level->id, "IM.OPSD.L2");
    sa = catalog_spec_area_of(c, spec, area, 2);
    assert_non_null(sa);
    assert_string_equal(sa->id, "IM.OPSD.SVM");
    assert_true(catalog_find(c, "IM.OP.SVM.K01.02", &e));
    assert_int_equal(e.kind, CK_KNOWLEDGE_ITEM);
    assert_false(catalog_find(c, "CS.HW", &e));
    catalog_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_achievement_indicators_match_source),
        cmocka_unit_test(test_skill_pages_match_source),
        cmocka_unit_test(test_descriptions_match_source),
        cmocka_unit_test(test_source_gives_reference_counts),
        cmocka_unit_test(test_catalog_holds_nothing_else),
        cmocka_unit_test(test_slips_are_noted),
        cmocka_unit_test(test_other_job_category_loads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
