/* import_assessments.c - answer rows from CSV into the store (import.h; the
 * shared run, errors and rows are import.c's, import_int.h).
 *
 * Built for files of millions of rows (100,000 assessments of 284 answers are
 * 28 million): a row is checked without copying its cells when they need no
 * trimming, its element found by a hash of the catalog's ids (or at once when
 * it follows the element before it in id order, as exports write them), its
 * person, cycle and version compared with the row before; the answers of the
 * assessment being read are kept as codes by element number (what the store
 * keeps), and written when the next assessment starts through the store's bulk
 * writer (store_bulk.h), with the levels decided from the same codes and kept.
 *
 * Memory does not grow with rows: per assessment seen in the file, a 24-byte
 * entry in a hash of (person, cycle); which of its (element, rater) the file
 * answered (to refuse a second answer when an assessment's rows come back later
 * in the file) goes to a temporary file, read back only when that happens. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "csv.h"
#include "engine.h"
#include "import.h"
#include "import_int.h"
#include "review.h"
#include "store.h"
#include "store_bulk.h"
#include "text.h"
#include "xalloc.h"

enum { A_NUMBER, A_CYCLE, A_VERSION, A_ELEMENT, A_RATER, A_VALUE, A_EVIDENCE, A_TEXT, A_COLUMNS };

static const csv_column assessment_columns[A_COLUMNS] = {
    { "employee_number", "社員番号", 1 },
    { "cycle", "評価期間", 1 },
    { "catalog_version", "カタログ版", 0 },
    { "element_id", "要素ID", 1 },
    { "rater", "評価者", 0 },
    { "value", "評価値", 1 },
    { "evidence", "実績ID", 0 },
    { "text", "文言", 0 },
};

#define NONE UINT32_MAX

/* The catalog elements an answer can be about (責任性, checklist items,
 * proficiency descriptions, knowledge items), numbered in catalog order. */
typedef struct answerable {
    import_map index;          /* element id -> a: number, b: 1 for a knowledge item (rated 0..4) */
    const char **ids;          /* by number (the catalog's strings) */
    unsigned char *knowledge;  /* by number */
    uint32_t *next;            /* by number: the number of the element after it in id order, NONE at the end */
    size_t count;
} answerable;

/* Where an assessment of the file keeps the bits of what the file answered. */
typedef struct seen_entry {
    int64_t person_id, cycle_id;   /* person_id 0: empty */
    uint32_t slot;
} seen_entry;

/* The answers of the assessment being read (its rows come one after another). */
typedef struct group {
    int active;
    int64_t person_id, cycle_id;
    int target_ok;             /* t is the assessment to write */
    store_bulk_target t;
    char number[80];           /* employee number, for messages */
    char cycle[200];
    int line, column;          /* its first row */
    uint8_t *codes[RATER_COUNT];   /* by element number: 0 not in the file, else value + 1 */
    int *lines[RATER_COUNT];   /* the line of each answer (for a second one) */
    uint32_t *touched;         /* rater * count + element, for clearing */
    size_t n_touched;
    store_bulk_link *links;
    size_t n_links, cap_links;
    long n_answers;
    uint32_t slot;             /* in the bits file */
    int again;                 /* the file had rows of this assessment before: prior holds them */
    unsigned char *prior;      /* slot_bytes */
} group;

/* Levels decided as the rows are written (when a policy is given and it needs
 * no evidence: engine_levels_packed over the self answers and the records). */
typedef struct leveler {
    engine *eng;
    char policy_key[160];
    int *slot_of;              /* element number -> engine slot (-1) */
    signed char *values;       /* by slot */
    uint64_t *bits;
    engine_records *tallies;
    const char **spec_ids;
    int *levels;
    size_t n_specs;
} leveler;

typedef struct assess_import {
    import *im;
    const catalog *cat;
    answerable el;
    import_map people;         /* employee number -> a: person id (-1 unknown), b: reviewer check */
    import_map cycles;         /* cycle name -> a: cycle id (-1 unknown) */
    import_map versions;       /* catalog_version cell -> a: 1 usable, -1 reported */
    /* the row before, to skip the maps when a cell is the same */
    buf last_number, last_cycle, last_version;
    int64_t last_person, last_cycle_id;    /* 0: none */
    uint32_t last_element;
    seen_entry *seen;
    size_t seen_cap, seen_count;
    FILE *bits_file;           /* slot_bytes per slot */
    unsigned char *bits_mem;   /* the same in memory when no temporary file can be made */
    size_t bits_have;          /* bytes of bits_mem */
    size_t slot_bytes, n_slots;
    unsigned char *bits;       /* scratch: slot_bytes */
    buf cells[A_COLUMNS];      /* trimmed cells */
    store_bulk *bulk;          /* NULL when not writing */
    leveler lv;
    group g;
} assess_import;

/* ---- setting up ---- */

static const answerable *cmp_el;
static int cmp_by_id(const void *a, const void *b)
{
    return strcmp(cmp_el->ids[*(const uint32_t *)a], cmp_el->ids[*(const uint32_t *)b]);
}

/* Numbers the answerable elements of c. */
static void answerable_init(answerable *x, const catalog *c)
{
    memset(x, 0, sizeof *x);
    size_t n = catalog_element_count(c);
    x->ids = xcalloc(n + 1, sizeof *x->ids);
    x->knowledge = xcalloc(n + 1, 1);
    x->next = xcalloc(n + 1, sizeof *x->next);
    for (size_t i = 0; i < n; i++) {
        const catalog_element *e = catalog_element_at(c, i);
        if (e->kind != CK_RESPONSIBILITY && e->kind != CK_CHECK_ITEM && e->kind != CK_PROFICIENCY &&
            e->kind != CK_KNOWLEDGE_ITEM)
            continue;
        int added;
        import_map_entry *m = import_map_put(&x->index, e->id, &added);
        if (!added)
            continue;
        m->a = (int64_t)x->count;
        m->b = e->kind == CK_KNOWLEDGE_ITEM;
        x->ids[x->count] = e->id;
        x->knowledge[x->count] = e->kind == CK_KNOWLEDGE_ITEM;
        x->count++;
    }
    uint32_t *order = xcalloc(x->count + 1, sizeof *order);
    for (size_t i = 0; i < x->count; i++)
        order[i] = (uint32_t)i;
    cmp_el = x;
    qsort(order, x->count, sizeof *order, cmp_by_id);
    for (size_t i = 0; i < x->count; i++)
        x->next[order[i]] = i + 1 < x->count ? order[i + 1] : NONE;
    free(order);
}

static void answerable_free(answerable *x)
{
    import_map_free(&x->index);
    free(x->ids);
    free(x->knowledge);
    free(x->next);
}

/* The engine and tables for deciding levels; nothing when the policy is NULL or
 * needs evidence (then the results are dropped, decided by their next reader). */
static void leveler_init(leveler *lv, const catalog *cat, const policy *pol, const answerable *el)
{
    memset(lv, 0, sizeof *lv);
    if (!pol)
        return;
    lv->eng = engine_new(cat, pol);
    if (!lv->eng || engine_needs_evidence(lv->eng)) {
        engine_free(lv->eng);
        lv->eng = NULL;
        return;
    }
    snprintf(lv->policy_key, sizeof lv->policy_key, "%s@%s", pol->id, pol->version);
    lv->slot_of = xcalloc(el->count + 1, sizeof *lv->slot_of);
    for (size_t i = 0; i < el->count; i++)
        lv->slot_of[i] = engine_slot(lv->eng, el->ids[i]);
    lv->values = xcalloc(engine_slot_count(lv->eng) + 1, 1);
    lv->bits = xcalloc(engine_packed_words(lv->eng) + 1, sizeof *lv->bits);
    lv->n_specs = catalog_spec_count(cat);
    lv->tallies = xcalloc(lv->n_specs + 1, sizeof *lv->tallies);
    lv->spec_ids = xcalloc(lv->n_specs + 1, sizeof *lv->spec_ids);
    lv->levels = xcalloc(lv->n_specs + 1, sizeof *lv->levels);
    for (size_t s = 0; s < lv->n_specs; s++)
        lv->spec_ids[s] = catalog_spec_at(cat, s)->id;
}

static void leveler_free(leveler *lv)
{
    engine_free(lv->eng);
    free(lv->slot_of);
    free(lv->values);
    free(lv->bits);
    free(lv->tallies);
    free(lv->spec_ids);
    free(lv->levels);
}

/* ---- which (element, rater) of each assessment the file answered ---- */

static size_t seen_hash(int64_t person_id, int64_t cycle_id)
{
    uint64_t h = (uint64_t)person_id * 0x9e3779b97f4a7c15ULL ^ (uint64_t)cycle_id * 0xc2b2ae3d27d4eb4fULL;
    return (size_t)(h ^ h >> 29);
}

/* The slot of (person, cycle), given now when the file had no row of it
 * before (*again 0) . */
static uint32_t seen_slot(assess_import *ai, int64_t person_id, int64_t cycle_id, int *again)
{
    if (2 * (ai->seen_count + 1) > ai->seen_cap) {
        size_t cap = ai->seen_cap ? 2 * ai->seen_cap : 1024;
        seen_entry *t = xcalloc(cap, sizeof *t);
        for (size_t k = 0; k < ai->seen_cap; k++) {
            if (!ai->seen[k].person_id)
                continue;
            size_t i = seen_hash(ai->seen[k].person_id, ai->seen[k].cycle_id) & (cap - 1);
            while (t[i].person_id)
                i = (i + 1) & (cap - 1);
            t[i] = ai->seen[k];
        }
        free(ai->seen);
        ai->seen = t;
        ai->seen_cap = cap;
    }
    size_t i = seen_hash(person_id, cycle_id) & (ai->seen_cap - 1);
    for (; ai->seen[i].person_id; i = (i + 1) & (ai->seen_cap - 1))
        if (ai->seen[i].person_id == person_id && ai->seen[i].cycle_id == cycle_id) {
            *again = 1;
            return ai->seen[i].slot;
        }
    ai->seen[i] = (seen_entry){ person_id, cycle_id, (uint32_t)ai->n_slots++ };
    ai->seen_count++;
    *again = 0;
    return ai->seen[i].slot;
}

/* Reads (write 0) or writes (1) the bits of slot. */
static void slot_io(assess_import *ai, uint32_t slot, unsigned char *bits, int write)
{
    size_t at = (size_t)slot * ai->slot_bytes;
    if (ai->bits_file && fseeko(ai->bits_file, (off_t)at, SEEK_SET) == 0) {
        if (write ? fwrite(bits, ai->slot_bytes, 1, ai->bits_file) == 1
                  : fread(bits, ai->slot_bytes, 1, ai->bits_file) == 1)
            return;
    }
    if (ai->bits_file) {           /* the temporary file failed: keep the rest in memory */
        fclose(ai->bits_file);
        ai->bits_file = NULL;
    }
    size_t need = ((size_t)slot + 1) * ai->slot_bytes;
    if (need > ai->bits_have) {
        size_t cap = ai->bits_have ? ai->bits_have : 4096;
        while (cap < need)
            cap *= 2;
        ai->bits_mem = xrealloc(ai->bits_mem, cap);
        memset(ai->bits_mem + ai->bits_have, 0, cap - ai->bits_have);
        ai->bits_have = cap;
    }
    if (write)
        memcpy(ai->bits_mem + at, bits, ai->slot_bytes);
    else
        memcpy(bits, ai->bits_mem + at, ai->slot_bytes);
}

/* ---- one assessment's rows ---- */

static void group_init(assess_import *ai)
{
    group *g = &ai->g;
    size_t n = ai->el.count + 1;
    for (int r = 0; r < RATER_COUNT; r++) {
        g->codes[r] = xcalloc(n, 1);
        g->lines[r] = xcalloc(n, sizeof *g->lines[r]);
    }
    g->touched = xcalloc(n * RATER_COUNT, sizeof *g->touched);
    g->prior = xcalloc(ai->slot_bytes + 1, 1);
}

static void group_free(group *g)
{
    for (int r = 0; r < RATER_COUNT; r++) {
        free(g->codes[r]);
        free(g->lines[r]);
    }
    free(g->touched);
    free(g->links);
    free(g->prior);
}

/* Decides the levels of t from the self answers it holds now and its
 * person's records, and keeps them. */
static int keep_levels(assess_import *ai, const store_bulk_target *t, err *e)
{
    leveler *lv = &ai->lv;
    const uint8_t *self = store_bulk_codes(ai->bulk, RATER_SELF);
    memset(lv->values, -1, engine_slot_count(lv->eng));
    for (size_t i = 0; i < ai->el.count; i++)
        if (self[i] && lv->slot_of[i] >= 0)
            lv->values[lv->slot_of[i]] = (signed char)(self[i] - 1);
    engine_pack_values(lv->eng, lv->values, lv->bits);
    const store_bulk_record *recs;
    size_t n;
    if (store_bulk_records(ai->bulk, t->person_id, &recs, &n, e) < 0)
        return -1;
    memset(lv->tallies, 0, lv->n_specs * sizeof *lv->tallies);
    for (size_t i = 0; i < n; i++)
        engine_tally_record(lv->eng, lv->tallies, recs[i].specialization_id, recs[i].level, recs[i].succeeded);
    engine_levels_packed(lv->eng, lv->bits, lv->tallies, lv->levels);
    return store_bulk_levels(ai->bulk, t, lv->policy_key, lv->spec_ids, lv->levels, lv->n_specs, e);
}

/* Writes the group's answers over what the assessment holds (and its levels),
 * keeps which the file answered, then empties the group. */
static void group_flush(assess_import *ai)
{
    import *im = ai->im;
    group *g = &ai->g;
    if (!g->active)
        return;
    if (im->writing && g->target_ok && g->n_answers > 0) {
        err e;
        memset(&e, 0, sizeof e);
        const uint8_t *const codes[RATER_COUNT] = { g->codes[0], g->codes[1] };
        int rc = store_bulk_put(ai->bulk, &g->t, codes, g->links, g->n_links, im->actor, &e);
        if (rc == 0 && ai->lv.eng)
            rc = keep_levels(ai, &g->t, &e);
        if (rc < 0)
            import_error(im, NULL, g->line, g->column, NULL, "%s %s: %s", g->number, g->cycle, e.message);
        else
            im->written += g->n_answers;
    }
    unsigned char *bits = ai->bits;
    if (g->again)
        memcpy(bits, g->prior, ai->slot_bytes);
    else
        memset(bits, 0, ai->slot_bytes);
    for (size_t k = 0; k < g->n_touched; k++) {
        uint32_t x = g->touched[k];
        int r = (int)(x / ai->el.count);
        size_t i = x % ai->el.count, bit = i * RATER_COUNT + (size_t)r;
        bits[bit / 8] |= (unsigned char)(1u << (bit % 8));
        g->codes[r][i] = 0;
    }
    slot_io(ai, g->slot, bits, 1);
    g->n_touched = 0;
    g->n_links = 0;
    g->n_answers = 0;
    g->active = 0;
    g->target_ok = 0;
}

/* Starts the group of (person, cycle) at the row's first cell: finds or creates
 * the assessment when writing, and checks its catalog version. */
static void group_start(assess_import *ai, int64_t person_id, int64_t cycle_id, const char *number,
                        const char *cycle, const csv_field *at)
{
    import *im = ai->im;
    group *g = &ai->g;
    g->active = 1;
    g->person_id = person_id;
    g->cycle_id = cycle_id;
    g->target_ok = 0;
    snprintf(g->number, sizeof g->number, "%s", number);
    snprintf(g->cycle, sizeof g->cycle, "%s", cycle);
    g->line = at->line;
    g->column = at->column;
    g->slot = seen_slot(ai, person_id, cycle_id, &g->again);
    if (g->again)
        slot_io(ai, g->slot, g->prior, 0);
    if (!im->writing)
        return;
    err e;
    memset(&e, 0, sizeof e);
    if (store_bulk_assessment(ai->bulk, person_id, cycle_id, im->actor, &g->t, &e) < 0) {
        import_error(im, at, 0, 0, NULL, "%s %s: %s", number, cycle, e.message);
        return;
    }
    if (!g->t.same_catalog) {
        import_error(im, at, 0, 0, NULL,
                     "the assessment of %s in %s is made against catalog %s version %s, not %s version %s", number,
                     cycle, g->t.catalog_id, g->t.catalog_version, catalog_id(ai->cat), catalog_version(ai->cat));
        return;
    }
    im->assessments++;
    im->created += g->t.created;
    g->target_ok = 1;
}

/* ---- one row ---- */

/* Parses the value cell: a whole number 0..9 (full-width digits too). -1 when it
 * is not one. */
static int parse_value(const char *s)
{
    if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0')
        return s[0] - '0';
    char *folded = NULL;
    if ((unsigned char)s[0] >= 0x80) {
        folded = text_fold(s);
        s = folded ? folded : s;
    }
    char *t = import_trimmed(s);
    int v = -1;
    if (t && t[0] >= '0' && t[0] <= '9' && t[1] == '\0')
        v = t[0] - '0';
    else if (t && t[0] >= '0' && t[0] <= '9')
        v = 10;   /* a longer number: out of any range */
    for (const char *p = t; t && *p && v == 10; p++)
        if (*p < '0' || *p > '9')
            v = -1;
    free(t);
    free(folded);
    return v;
}

/* "2026年度, 2027年度": the cycles the database has, for messages. */
static void cycle_names(store *db, char *out, size_t size)
{
    store_cycle_list l;
    err e;
    out[0] = '\0';
    if (store_cycle_list_all(db, &l, &e) < 0)
        return;
    size_t n = 0;
    for (size_t i = 0; i < l.count && n + 1 < size; i++) {
        int k = snprintf(out + n, size - n, "%s%s", i ? ", " : "", l.items[i].name);
        if (k > 0)
            n += (size_t)k;
    }
    store_cycle_list_free(&l);
    if (n == 0)
        snprintf(out, size, "none; add one with itss cycle add");
}

/* One answer row as read: its cells trimmed (the reader's or ai->cells'
 * memory), where they are, and what checking them found. */
typedef struct answer_row {
    const char *number, *cycle, *version, *element, *rater_text;
    const char *value_text, *evidence_text;
    const csv_field *f_number, *f_cycle, *f_version, *f_element, *f_rater, *f_value, *f_evidence;
    const csv_field *first;    /* the row's first cell, for problems without a cell */
    uint32_t el;               /* the element's number; NONE when unknown */
    int rater, value;
    int64_t person_id, cycle_id;
} answer_row;

static int is_space_start(const char *s)
{
    return *s == ' ' || *s == '\t' || (unsigned char)*s == 0xE3;
}

/* Column i of row without the spaces around it: the reader's text when it has
 * none, else a trimmed copy in ai->cells[i]. */
static const char *trimmed_cell(assess_import *ai, const csv_row *row, const int *map, size_t i, const csv_field **f)
{
    const char *s = import_cell(row, map, i, f);
    size_t n = strlen(s);
    if (n == 0 || (!is_space_start(s) && s[n - 1] != ' ' && s[n - 1] != '\t' && (unsigned char)s[n - 1] != 0x80))
        return s;
    char *t = import_trimmed(s);
    buf_reset(&ai->cells[i]);
    buf_puts(&ai->cells[i], t);
    free(t);
    return ai->cells[i].data ? ai->cells[i].data : "";
}

/* The element's number: the one after the row before's in id order, else by hash. */
static uint32_t element_number(assess_import *ai, const char *id)
{
    uint32_t guess = ai->last_element != NONE ? ai->el.next[ai->last_element] : NONE;
    if (guess != NONE && strcmp(ai->el.ids[guess], id) == 0)
        return guess;
    const import_map_entry *m = import_map_get(&ai->el.index, id);
    return m ? (uint32_t)m->a : NONE;
}

/* Checks the element, rater and value of a row against the catalog. 1 when
 * all are good; 0 after reporting what is not. */
static int answer_against_catalog(assess_import *ai, answer_row *a)
{
    import *im = ai->im;
    int ok = 1;
    a->el = NONE;
    if (!a->element[0]) {
        import_refuse(im, a->f_element ? a->f_element : a->first, 0, 0, "element_id", "element_empty", NULL,
                      "the element id is empty");
        ok = 0;
    } else if ((a->el = element_number(ai, a->element)) == NONE) {
        catalog_element ce;
        if (catalog_find(ai->cat, a->element, &ce))
            import_error(im, a->f_element, 0, 0, "element_id",
                         "%s is a %s, which is not answered; answer its items (責任性, checklist items, "
                         "proficiency descriptions, knowledge items)", a->element, catalog_kind_name(ce.kind));
        else
            import_refuse(im, a->f_element, 0, 0, "element_id", "element_unknown", a->element,
                          "unknown element id '%s': catalog %s version %s has no such item", a->element,
                          catalog_id(ai->cat), catalog_version(ai->cat));
        ok = 0;
    }
    ai->last_element = a->el;
    a->rater = RATER_SELF;
    if (strcmp(a->rater_text, "self") == 0 || !a->rater_text[0])
        a->rater = RATER_SELF;
    else if (strcmp(a->rater_text, "manager") == 0)
        a->rater = RATER_MANAGER;
    else if ((a->rater = assessment_rater_parse(a->rater_text)) < 0) {
        import_refuse(im, a->f_rater, 0, 0, "rater", "rater_unknown", a->rater_text,
                      "unknown rater '%s': self or manager", a->rater_text);
        ok = 0;
    }
    a->value = parse_value(a->value_text);
    const char *v = a->value_text;
    int knowledge = a->el != NONE && ai->el.knowledge[a->el];
    if (!v[0]) {
        import_refuse(im, a->f_value ? a->f_value : a->first, 0, 0, "value", "value_empty", NULL, "the value is empty");
        ok = 0;
    } else if (a->value < 0) {
        import_refuse(im, a->f_value, 0, 0, "value", "value_nan", v, "'%s' is not a number", v);
        ok = 0;
    } else if (a->el != NONE && knowledge && a->value > ASSESS_RATING_MAX) {
        import_error(im, a->f_value, 0, 0, "value",
                     "a rating of %s is out of range for knowledge item %s: 0 %s, 1 %s, 2 %s, 3 %s, 4 %s", v,
                     a->element, assessment_rating_label(0), assessment_rating_label(1), assessment_rating_label(2),
                     assessment_rating_label(3), assessment_rating_label(4));
        ok = 0;
    } else if (a->el != NONE && !knowledge && a->value > 1) {
        import_refuse(im, a->f_value, 0, 0, "value", "value_met", v, "%s is met (1) or not met (0), not %s", a->element,
                      v);
        ok = 0;
    }
    return ok;
}

/* Checks the row's catalog version against the database and the catalog in use,
 * once per version. 1 when good (or not given); 0 after reporting. */
static int answer_version(assess_import *ai, const answer_row *a)
{
    import *im = ai->im;
    if (!a->version[0])
        return 1;
    if (ai->last_version.len && strcmp(ai->last_version.data, a->version) == 0)
        return 1;
    int added;
    import_map_entry *v = import_map_put(&ai->versions, a->version, &added);
    if (v && added) {
        err e;
        memset(&e, 0, sizeof e);
        int known = store_catalog_known(im->db, catalog_id(ai->cat), a->version, &e);
        if (known != 1) {
            import_error(im, a->f_version, 0, 0, "catalog_version", "%s", e.message);
            v->a = -1;
        } else if (strcmp(a->version, catalog_version(ai->cat)) != 0) {
            import_error(im, a->f_version, 0, 0, "catalog_version",
                         "the answers are for catalog version %s but this import checks against version %s; "
                         "give that catalog with --catalog", a->version, catalog_version(ai->cat));
            v->a = -1;
        } else
            v->a = 1;
    }
    if (!v || v->a < 0) {
        im->writing = 0;
        return 0;
    }
    buf_reset(&ai->last_version);
    buf_puts(&ai->last_version, a->version);
    return 1;
}

/* The person of the row's employee number (looked up once per number) into
 * a->person_id. 1 when found; 0 after reporting. */
static int answer_person(assess_import *ai, answer_row *a)
{
    import *im = ai->im;
    if (!a->number[0]) {
        import_refuse(im, a->f_number ? a->f_number : a->first, 0, 0, "employee_number", "number_empty", NULL,
                      "the employee number is empty");
        return 0;
    }
    int reviewing = a->rater == RATER_MANAGER && im->opts->check_reviewer;
    if (!reviewing && ai->last_person && strcmp(ai->last_number.data, a->number) == 0) {
        a->person_id = ai->last_person;
        return 1;
    }
    int added;
    import_map_entry *p = import_map_put(&ai->people, a->number, &added);
    if (p && added) {
        store_person person;
        err e;
        int rc = store_person_find(im->db, a->number, &person, &e);
        p->a = rc == 1 ? person.id : -1;
        if (rc == 1)
            store_person_clear(&person);
        else
            import_refuse(im, a->f_number, 0, 0, "employee_number", "person_unknown", a->number,
                          "unknown employee number %s: no such person in the database (import people first)",
                          a->number);
    }
    if (!p || p->a < 0) {
        im->writing = 0;
        return 0;
    }
    a->person_id = p->a;
    ai->last_person = p->a;
    buf_reset(&ai->last_number);
    buf_puts(&ai->last_number, a->number);
    /* A reviewer's rating: the importing user must be one who may review the person
     * (review.h; people.b: 0 not checked yet, 1 may, -1 refused and reported). */
    if (reviewing) {
        if (p->b == 0) {
            review_refusal why;
            err e;
            memset(&e, 0, sizeof e);
            int may = review_may_review(im->db, (review_role)im->opts->reviewer_role, im->opts->reviewer_person_id,
                                        a->person_id, &why, &e);
            p->b = may == 1 ? 1 : -1;
            if (may < 0)
                import_error(im, a->f_rater, 0, 0, "rater", "%s", e.message);
            else if (!may)
                import_error(im, a->f_rater, 0, 0, "rater", "a manager rating of %s cannot come from this import: %s",
                             a->number, review_refusal_message(why));
        }
        if (p->b < 0) {
            im->writing = 0;
            return 0;
        }
    }
    return 1;
}

/* The cycle of the row (looked up once per name) into a->cycle_id. 1 when
 * found; 0 after reporting, with the cycles the database has. */
static int answer_cycle(assess_import *ai, answer_row *a)
{
    import *im = ai->im;
    if (!a->cycle[0]) {
        import_refuse(im, a->f_cycle ? a->f_cycle : a->first, 0, 0, "cycle", "cycle_empty", NULL, "the cycle is empty");
        return 0;
    }
    if (ai->last_cycle_id && strcmp(ai->last_cycle.data, a->cycle) == 0) {
        a->cycle_id = ai->last_cycle_id;
        return 1;
    }
    int added;
    import_map_entry *c = import_map_put(&ai->cycles, a->cycle, &added);
    if (c && added) {
        store_cycle found;
        err e;
        int rc = store_cycle_find(im->db, a->cycle, &found, &e);
        c->a = rc == 1 ? found.id : -1;
        if (rc == 1)
            store_cycle_clear(&found);
        else {
            char names[400];
            cycle_names(im->db, names, sizeof names);
            import_refuse(im, a->f_cycle, 0, 0, "cycle", "cycle_unknown", a->cycle,
                          "unknown cycle '%s'; the database has: %s", a->cycle, names);
        }
    }
    if (!c || c->a < 0) {
        im->writing = 0;
        return 0;
    }
    a->cycle_id = c->a;
    ai->last_cycle_id = c->a;
    buf_reset(&ai->last_cycle);
    buf_puts(&ai->last_cycle, a->cycle);
    return 1;
}

/* Reads the evidence cell ("3;7", "3, 7", "3 7") into the group's links of the
 * answer; each id must be a positive whole number and, when writing, a record
 * of the person. 1 when good; 0 after reporting. */
static int answer_evidence(assess_import *ai, const answer_row *a)
{
    import *im = ai->im;
    group *g = &ai->g;
    const char *s = a->evidence_text;
    size_t first = g->n_links;
    while (*s) {
        size_t skip = strspn(s, " ,;\t");
        if (strncmp(s, "\xE3\x80\x80", 3) == 0 || strncmp(s, "\xEF\xBC\x8C", 3) == 0 ||
            strncmp(s, "\xEF\xBC\x9B", 3) == 0 || strncmp(s, "\xE3\x80\x81", 3) == 0)
            skip = 3;   /* 　 ， ； 、 */
        if (skip) {
            s += skip;
            continue;
        }
        size_t len = strcspn(s, " ,;\t\xE3\xEF");
        if (len == 0)
            len = 1;
        int digits_only = len <= 18;
        int64_t id = 0;
        for (size_t i = 0; i < len && digits_only; i++) {
            digits_only = s[i] >= '0' && s[i] <= '9';
            id = id * 10 + (s[i] - '0');
        }
        if (!digits_only || id == 0) {
            if (!digits_only || len == 1) {
                import_error(im, a->f_evidence, 0, 0, "evidence",
                             "'%.*s' is not an experience record id (ids are whole numbers separated by ';')",
                             (int)(len > 40 ? 40 : len), s);
                g->n_links = first;
                return 0;
            }
        }
        if (g->n_links == g->cap_links) {
            g->cap_links = g->cap_links ? 2 * g->cap_links : 64;
            g->links = xrealloc(g->links, g->cap_links * sizeof *g->links);
        }
        g->links[g->n_links++] = (store_bulk_link){ a->rater, a->el, id };
        if (im->writing && ai->bulk) {
            const store_bulk_record *recs;
            size_t n;
            err e;
            memset(&e, 0, sizeof e);
            int known = 0;
            if (store_bulk_records(ai->bulk, a->person_id, &recs, &n, &e) < 0) {
                import_error(im, a->f_evidence, 0, 0, "evidence", "%s", e.message);
                g->n_links = first;
                return 0;
            }
            for (size_t i = 0; i < n && !known; i++)
                known = recs[i].id == id && id > 0;
            if (!known) {
                const csv_field *f = a->f_evidence ? a->f_evidence : a->f_element;
                import_error(im, f, 0, 0, "evidence", "evidence '%.*s' is not an experience record of this person",
                             (int)len, s);
                g->n_links = first;
                return 0;
            }
        }
        s += len;
    }
    return 1;
}

/* Takes a checked answer into the group of its assessment, unless the file
 * already answered that element for that rater (reported). */
static void answer_take(assess_import *ai, answer_row *a)
{
    import *im = ai->im;
    group *g = &ai->g;
    if (!(g->active && g->person_id == a->person_id && g->cycle_id == a->cycle_id)) {
        group_flush(ai);
        group_start(ai, a->person_id, a->cycle_id, a->number, a->cycle, a->f_number);
    }
    size_t bit = (size_t)a->el * RATER_COUNT + (size_t)a->rater;
    const char *rater = assessment_rater_name((assessment_rater)a->rater);
    if (g->codes[a->rater][a->el]) {
        import_error(im, a->f_element, 0, 0, "element_id", "a second %s answer of %s in %s for %s (first on line %d)",
                     rater, a->number, a->cycle, a->element, g->lines[a->rater][a->el]);
        return;
    }
    if (g->again && (g->prior[bit / 8] & (1u << (bit % 8)))) {
        import_error(im, a->f_element, 0, 0, "element_id", "a second %s answer of %s in %s for %s (an earlier row "
                     "of the file has one)", rater, a->number, a->cycle, a->element);
        return;
    }
    if (!answer_evidence(ai, a))
        return;
    g->codes[a->rater][a->el] = (uint8_t)(a->value + 1);
    g->lines[a->rater][a->el] = a->f_element->line;
    g->touched[g->n_touched++] = (uint32_t)((size_t)a->rater * ai->el.count + a->el);
    g->n_answers++;
}

/* Checks and takes one answer row: the catalog's side first, then the
 * database's (each problem of a version, person or cycle reported once). */
static void assessment_row(assess_import *ai, const csv_row *row, const int *map)
{
    answer_row a;
    memset(&a, 0, sizeof a);
    a.first = &row->fields[0];
    a.number = trimmed_cell(ai, row, map, A_NUMBER, &a.f_number);
    a.cycle = trimmed_cell(ai, row, map, A_CYCLE, &a.f_cycle);
    a.version = trimmed_cell(ai, row, map, A_VERSION, &a.f_version);
    a.element = trimmed_cell(ai, row, map, A_ELEMENT, &a.f_element);
    a.rater_text = trimmed_cell(ai, row, map, A_RATER, &a.f_rater);
    a.value_text = import_cell(row, map, A_VALUE, &a.f_value);
    a.evidence_text = import_cell(row, map, A_EVIDENCE, &a.f_evidence);

    int ok = answer_against_catalog(ai, &a);
    ok &= answer_version(ai, &a);
    ok &= answer_person(ai, &a);
    ok &= answer_cycle(ai, &a);
    if (ok)
        answer_take(ai, &a);
}

/* Opens the bulk writer (when writing) and the place for the bits. */
static void assess_import_open(assess_import *ai)
{
    import *im = ai->im;
    ai->slot_bytes = (ai->el.count * RATER_COUNT + 7) / 8;
    ai->bits = xcalloc(ai->slot_bytes + 1, 1);
    ai->bits_file = tmpfile();
    ai->last_element = NONE;
    group_init(ai);
    leveler_init(&ai->lv, ai->cat, im->opts->policy, &ai->el);
    for (int i = 0; i < A_COLUMNS; i++)
        buf_init(&ai->cells[i]);
    buf_init(&ai->last_number);
    buf_init(&ai->last_cycle);
    buf_init(&ai->last_version);
    err e;
    memset(&e, 0, sizeof e);
    ai->bulk = store_bulk_new(im->db, catalog_id(ai->cat), catalog_version(ai->cat), ai->el.ids, ai->el.count, &e);
    if (!ai->bulk)
        import_error(im, NULL, 0, 0, NULL, "%s", e.message);
}

static void assess_import_close(assess_import *ai)
{
    store_bulk_free(ai->bulk);
    leveler_free(&ai->lv);
    group_free(&ai->g);
    for (int i = 0; i < A_COLUMNS; i++)
        buf_free(&ai->cells[i]);
    buf_free(&ai->last_number);
    buf_free(&ai->last_cycle);
    buf_free(&ai->last_version);
    if (ai->bits_file)
        fclose(ai->bits_file);
    free(ai->bits_mem);
    free(ai->bits);
    free(ai->seen);
    answerable_free(&ai->el);
    import_map_free(&ai->people);
    import_map_free(&ai->cycles);
    import_map_free(&ai->versions);
}

void import_assessments(import *im, const catalog *cat)
{
    assess_import ai;
    memset(&ai, 0, sizeof ai);
    ai.im = im;
    ai.cat = cat;
    int map[A_COLUMNS];
    size_t width;
    csv_row row;

    answerable_init(&ai.el, cat);
    assess_import_open(&ai);
    if (import_read_header(im, assessment_columns, A_COLUMNS, map, &width) < 0)
        im->writing = 0;
    else
        while (import_next_row(im, &row, width))
            assessment_row(&ai, &row, map);
    group_flush(&ai);
    assess_import_close(&ai);
}
