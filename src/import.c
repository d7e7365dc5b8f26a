/* import.c - people and assessment answers from CSV into the store (see import.h);
 * `itss import` and the web's upload both run import_run().
 *
 * Rows are checked one at a time against the catalog, the database and what the
 * file said before, and written at once. Memory grows with people and
 * assessments, not with rows: employee numbers seen, a bit per (element, rater)
 * per assessment for duplicates, and the answers of the assessment being read.
 * Out of memory aborts (xalloc.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "csv.h"
#include "import.h"
#include "import_int.h"
#include "review.h"
#include "rules.h"
#include "store.h"
#include "text.h"
#include "xalloc.h"

typedef import_map strmap;
typedef import_map_entry strmap_entry;

/* ---- a string map: key -> two numbers ---- */

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The entry of key, or NULL. The entry belongs to the map. */
static strmap_entry *strmap_get(const strmap *m, const char *key)
{
    if (m->cap == 0)
        return NULL;
    for (size_t i = hash_text(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            return NULL;
        if (strcmp(m->slots[i].key, key) == 0)
            return &m->slots[i];
    }
}

/* The entry of key, added with a = b = 0 when missing (*added says which). */
static strmap_entry *strmap_put(strmap *m, const char *key, int *added)
{
    *added = 0;
    strmap_entry *found = strmap_get(m, key);
    if (found)
        return found;
    if (2 * (m->count + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        strmap_entry *slots = xcalloc(cap, sizeof *slots);
        for (size_t k = 0; k < m->cap; k++) {
            if (!m->slots[k].key)
                continue;
            size_t i = hash_text(m->slots[k].key) & (cap - 1);
            while (slots[i].key)
                i = (i + 1) & (cap - 1);
            slots[i] = m->slots[k];
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    size_t i = hash_text(key) & (m->cap - 1);
    while (m->slots[i].key)
        i = (i + 1) & (m->cap - 1);
    m->slots[i].key = xstrdup(key);
    m->slots[i].a = m->slots[i].b = 0;
    m->count++;
    *added = 1;
    return &m->slots[i];
}

static void strmap_free(strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---- import: shared ---- */

/* Records an error at a field (or at line/column when f is NULL); stops writing. */
void import_error(import *im, const csv_field *f, int line, int column, const char *column_name,
                         const char *fmt, ...)
{
    char msg[sizeof im->errors->items[0].message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (f) {
        line = f->line;
        column = f->column;
    }
    err_add(im->errors, im->file, line, column, column_name, "%s", msg);
    im->writing = 0;
}

/* import_error with a message key (import.h lists them) and the value it names,
 * so that a face can word the error in its own language. */
void import_refuse(import *im, const csv_field *f, int line, int column, const char *column_name,
                          const char *key, const char *detail, const char *fmt, ...)
{
    char msg[sizeof im->errors->items[0].message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t before = im->errors->count;
    import_error(im, f, line, column, column_name, "%s", msg);
    if (im->errors->count > before) {
        err *e = &im->errors->items[im->errors->count - 1];
        snprintf(e->key, sizeof e->key, "%s", key);
        snprintf(e->detail, sizeof e->detail, "%s", detail ? detail : "");
    }
}

/* Reads the header row (the first row that is not blank) and maps it. Returns 0,
 * or -1 when there is no usable header (the errors say why). */
static int read_header(import *im, const csv_column *cols, size_t n_cols, int *map, size_t *width)
{
    csv_row row;
    err e;
    int rc;
    while ((rc = csv_next(im->csv, &row, &e)) == CSV_ROW && csv_row_is_blank(&row))
        ;
    if (rc == CSV_END) {
        err_add(im->errors, im->file, 0, 0, NULL, "the file is empty: the first line must be the header (%s)",
                cols[0].name);
        return -1;
    }
    if (rc != CSV_ROW) {
        err_add(im->errors, e.where, e.line, e.column, NULL, "%s", e.message);
        return -1;
    }
    return csv_header_map(&row, im->file, cols, n_cols, map, width, im->errors) ? -1 : 0;
}

/* The next data row (blank rows skipped; malformed ones reported and skipped).
 * 1 with *row filled, 0 at the end (or after an error that ends reading). */
static int next_data_row(import *im, csv_row *row, size_t width)
{
    for (;;) {
        err e;
        int rc = csv_next(im->csv, row, &e);
        if (rc == CSV_END)
            return 0;
        if (rc == CSV_BAD_ROW || rc == CSV_FATAL) {
            err_add(im->errors, e.where, e.line, e.column, NULL, "%s", e.message);
            im->writing = 0;
            if (rc == CSV_FATAL)
                return 0;
            continue;
        }
        if (csv_row_is_blank(row))
            continue;
        im->rows++;
        if ((im->rows & 1023) == 0 && im->opts->progress)
            im->opts->progress(im->csv, im->rows, im->opts->progress_ctx);
        if (csv_check_width(row, width, im->file, im->errors))
            im->writing = 0;
        return 1;
    }
}

/* The text of column i in row ("" when absent), neutralization undone. */
static const char *cell(const csv_row *row, const int *map, size_t i, const csv_field **f)
{
    const csv_field *x = csv_column_field(row, map, i);
    if (f)
        *f = x;
    return x ? csv_text(x) : "";
}

/* A copy of s without the spaces (ASCII or U+3000) around it; caller frees. */
static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t' || strncmp(s, "\xE3\x80\x80", 3) == 0)
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)))
        n -= s[n - 1] == ' ' || s[n - 1] == '\t' ? 1 : 3;
    return xstrndup(s, n);
}

/* ---- shared with import_people.c and import_experience.c (import_int.h) ---- */

strmap_entry *import_map_get(const strmap *m, const char *key) { return strmap_get(m, key); }
strmap_entry *import_map_put(strmap *m, const char *key, int *added) { return strmap_put(m, key, added); }
void import_map_free(strmap *m) { strmap_free(m); }
int import_read_header(import *im, const csv_column *cols, size_t n_cols, int *map, size_t *width)
{
    return read_header(im, cols, n_cols, map, width);
}
int import_next_row(import *im, csv_row *row, size_t width) { return next_data_row(im, row, width); }
const char *import_cell(const csv_row *row, const int *map, size_t i, const csv_field **f)
{
    return cell(row, map, i, f);
}
char *import_trimmed(const char *s) { return trimmed(s); }

/* ---- import assessments ---- */

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

/* The catalog elements an answer can be about, numbered in catalog order. */
typedef struct answerable {
    strmap index;              /* element id -> a: number, b: 1 for a knowledge item (rated 0..4) */
    size_t count;
} answerable;

/* Numbers the answerable elements of c: 責任性, checklist items, proficiency
 * descriptions, knowledge items. */
static void answerable_init(answerable *x, const catalog *c)
{
    memset(x, 0, sizeof *x);
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *e = catalog_element_at(c, i);
        if (e->kind != CK_RESPONSIBILITY && e->kind != CK_CHECK_ITEM && e->kind != CK_PROFICIENCY &&
            e->kind != CK_KNOWLEDGE_ITEM)
            continue;
        int added;
        strmap_entry *m = strmap_put(&x->index, e->id, &added);
        m->a = (int64_t)x->count++;
        m->b = e->kind == CK_KNOWLEDGE_ITEM;
    }
}

/* One answer read from the file, waiting for its assessment to be written. */
typedef struct file_answer {
    const char *element_id;    /* the catalog's string */
    int rater;
    int value;
    char **evidence;
    size_t n_evidence;
    int line, column;          /* the row's element_id cell */
    int ev_line, ev_column;    /* its evidence cell (the element's when none) */
} file_answer;

/* The rows of one assessment read one after another. */
typedef struct group {
    int active;
    int64_t person_id, cycle_id;
    int64_t assessment_id;     /* 0 when not writing */
    char number[80];           /* employee number, for messages */
    char cycle[200];
    int line, column;          /* its first row */
    file_answer *answers;
    size_t n_answers, cap_answers;
} group;

/* What an assessments import keeps beside the group. */
typedef struct assess_import {
    import *im;
    const catalog *cat;
    answerable elements;
    strmap people;             /* employee number -> a: person id (-1 unknown) */
    strmap cycles;             /* cycle name -> a: cycle id (-1 unknown) */
    strmap versions;           /* catalog_version cell -> a: 1 usable, -1 reported */
    strmap seen;               /* "person:cycle" -> a: slot in answered */
    unsigned char *answered;   /* per slot, a bit per (element, rater) answered in this file */
    size_t n_slots, cap_slots, slot_bytes;
    group g;
} assess_import;

static void free_file_answer(file_answer *x)
{
    for (size_t i = 0; i < x->n_evidence; i++)
        free(x->evidence[i]);
    free(x->evidence);
}

/* Orders answers as the assessment keeps them: element id, then rater. */
static int cmp_file_answer(const void *p, const void *q)
{
    const file_answer *a = p, *b = q;
    int c = strcmp(a->element_id, b->element_id);
    return c ? c : a->rater - b->rater;
}

/* The bit set of the assessment (person, cycle) in this file; slot index in *slot. */
static unsigned char *answered_bits(assess_import *ai, int64_t person_id, int64_t cycle_id)
{
    char key[48];
    snprintf(key, sizeof key, "%lld:%lld", (long long)person_id, (long long)cycle_id);
    int added;
    strmap_entry *m = strmap_put(&ai->seen, key, &added);
    if (added) {
        if (ai->n_slots == ai->cap_slots) {
            ai->cap_slots = ai->cap_slots ? 2 * ai->cap_slots : 256;
            ai->answered = xrealloc(ai->answered, ai->cap_slots * ai->slot_bytes);
        }
        memset(ai->answered + ai->n_slots * ai->slot_bytes, 0, ai->slot_bytes);
        m->a = (int64_t)ai->n_slots++;
    }
    return ai->answered + (size_t)m->a * ai->slot_bytes;
}

/* The file answer a store error about element_id (its path) was about, or NULL. */
static const file_answer *answer_of_error(const group *g, const char *element_id)
{
    for (size_t i = 0; element_id[0] && i < g->n_answers; i++)
        if (strcmp(g->answers[i].element_id, element_id) == 0)
            return &g->answers[i];
    return NULL;
}

/* Writes the group's answers over what the assessment holds, then empties the group. */
static void group_flush(assess_import *ai)
{
    import *im = ai->im;
    group *g = &ai->g;
    if (g->active && im->writing && g->assessment_id > 0 && g->n_answers > 0) {
        qsort(g->answers, g->n_answers, sizeof *g->answers, cmp_file_answer);
        assessment *old = assessment_new(NULL, NULL, NULL, NULL, NULL);
        assessment *now = assessment_new(NULL, NULL, NULL, NULL, NULL);
        err e;
        memset(&e, 0, sizeof e);
        int rc = store_answers_load(im->db, g->assessment_id, old, &e);
        /* merge the stored answers and the file's, both sorted, so every insert appends */
        size_t i = 0, k = 0;
        while (rc == 0 && (i < old->n_answers || k < g->n_answers)) {
            const assessment_answer *o = i < old->n_answers ? &old->answers[i] : NULL;
            const file_answer *f = k < g->n_answers ? &g->answers[k] : NULL;
            int c = !o ? 1 : !f ? -1 : strcmp(o->element_id, f->element_id);
            if (c == 0)
                c = (int)o->rater - f->rater;
            if (c < 0) {
                assessment_set_answer(now, o->element_id, o->rater, o->value, (const char *const *)o->evidence,
                                      o->n_evidence);
                i++;
            } else {
                assessment_set_answer(now, f->element_id, (assessment_rater)f->rater, f->value,
                                      (const char *const *)f->evidence, f->n_evidence);
                k++;
                i += c == 0;
            }
        }
        if (rc == 0)
            rc = store_assessment_save_answers(im->db, g->assessment_id, now, im->actor, &e);
        if (rc < 0) {
            const file_answer *x = answer_of_error(g, e.path);
            if (x)
                import_error(im, NULL, x->ev_line, x->ev_column, "evidence", "%s", e.message);
            else
                import_error(im, NULL, g->line, g->column, NULL, "%s %s: %s", g->number, g->cycle, e.message);
        } else
            im->written += (long)g->n_answers;
        assessment_free(old);
        assessment_free(now);
    }
    for (size_t i = 0; i < g->n_answers; i++)
        free_file_answer(&g->answers[i]);
    g->n_answers = 0;
    g->active = 0;
    g->assessment_id = 0;
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
    g->assessment_id = 0;
    snprintf(g->number, sizeof g->number, "%s", number);
    snprintf(g->cycle, sizeof g->cycle, "%s", cycle);
    g->line = at->line;
    g->column = at->column;
    if (!im->writing)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int created = 0;
    int64_t id = 0;
    if (store_assessment_ensure(im->db, person_id, cycle_id, catalog_id(ai->cat), catalog_version(ai->cat),
                                im->actor, &id, &created, &e) < 0) {
        import_error(im, at, 0, 0, NULL, "%s %s: %s", number, cycle, e.message);
        return;
    }
    if (!created) {
        store_assessment a;
        if (store_assessment_get(im->db, id, &a, &e) != 1) {
            import_error(im, at, 0, 0, NULL, "%s %s: %s", number, cycle, e.message);
            return;
        }
        int same = strcmp(a.catalog_id, catalog_id(ai->cat)) == 0 &&
                   strcmp(a.catalog_version, catalog_version(ai->cat)) == 0;
        if (!same)
            import_error(im, at, 0, 0, NULL,
                         "the assessment of %s in %s is made against catalog %s version %s, not %s version %s",
                         number, cycle, a.catalog_id, a.catalog_version, catalog_id(ai->cat),
                         catalog_version(ai->cat));
        store_assessment_clear(&a);
        if (!same)
            return;
    }
    im->assessments++;
    im->created += created;
    g->assessment_id = id;
}

/* Parses the value cell: a whole number 0..9 (full-width digits too). -1 when it
 * is not one. */
static int parse_value(const char *s)
{
    char *folded = NULL;
    if ((unsigned char)s[0] >= 0x80) {
        folded = text_fold(s);
        s = folded ? folded : s;
    }
    char *t = trimmed(s);
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

/* Splits the evidence cell ("3;7", "3, 7", "3 7") into ids; each must be a
 * positive whole number. Returns the count, or -1 with the bad part in bad[]. */
static long parse_evidence(const char *s, char ***ids, char *bad, size_t bad_size)
{
    *ids = NULL;
    size_t n = 0, cap = 0;
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
        for (size_t i = 0; i < len && digits_only; i++)
            digits_only = s[i] >= '0' && s[i] <= '9';
        if (!digits_only || (len == 1 && s[0] == '0')) {
            snprintf(bad, bad_size, "%.*s", (int)(len > 40 ? 40 : len), s);
            for (size_t i = 0; i < n; i++)
                free((*ids)[i]);
            free(*ids);
            *ids = NULL;
            return -1;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 4;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[n++] = xstrndup(s, len);
        s += len;
    }
    return (long)n;
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

/* One answer row as read: trimmed copies of its cells (owned), where they are,
 * and what checking them found. */
typedef struct answer_row {
    char *number, *cycle, *version, *element, *rater_text;
    const char *value_text, *evidence_text;
    const csv_field *f_number, *f_cycle, *f_version, *f_element, *f_rater, *f_value, *f_evidence;
    const csv_field *first;    /* the row's first cell, for problems without a cell */
    strmap_entry *el;          /* the element in the answerable index; NULL when unknown */
    int rater, value;
    char **evidence;           /* experience record ids (owned) */
    long n_evidence;
    int64_t person_id, cycle_id;
} answer_row;

/* Checks the element, rater, value and evidence of a row against the catalog.
 * 1 when all are good; 0 after reporting what is not. */
static int answer_against_catalog(assess_import *ai, answer_row *a)
{
    import *im = ai->im;
    int ok = 1;
    if (!a->element[0]) {
        import_refuse(im, a->f_element ? a->f_element : a->first, 0, 0, "element_id", "element_empty", NULL,
                      "the element id is empty");
        ok = 0;
    } else if (!(a->el = strmap_get(&ai->elements.index, a->element))) {
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
    a->rater = RATER_SELF;
    if (a->rater_text[0] && (a->rater = assessment_rater_parse(a->rater_text)) < 0) {
        import_refuse(im, a->f_rater, 0, 0, "rater", "rater_unknown", a->rater_text,
                      "unknown rater '%s': self or manager", a->rater_text);
        ok = 0;
    }
    a->value = parse_value(a->value_text);
    const char *v = a->value_text;
    if (!v[0]) {
        import_refuse(im, a->f_value ? a->f_value : a->first, 0, 0, "value", "value_empty", NULL, "the value is empty");
        ok = 0;
    } else if (a->value < 0) {
        import_refuse(im, a->f_value, 0, 0, "value", "value_nan", v, "'%s' is not a number", v);
        ok = 0;
    } else if (a->el && a->el->b && a->value > ASSESS_RATING_MAX) {
        import_error(im, a->f_value, 0, 0, "value",
                     "a rating of %s is out of range for knowledge item %s: 0 %s, 1 %s, 2 %s, 3 %s, 4 %s", v,
                     a->element, assessment_rating_label(0), assessment_rating_label(1), assessment_rating_label(2),
                     assessment_rating_label(3), assessment_rating_label(4));
        ok = 0;
    } else if (a->el && !a->el->b && a->value > 1) {
        import_refuse(im, a->f_value, 0, 0, "value", "value_met", v, "%s is met (1) or not met (0), not %s", a->element,
                      v);
        ok = 0;
    }
    char bad[64];
    if (a->evidence_text[0]
        && (a->n_evidence = parse_evidence(a->evidence_text, &a->evidence, bad, sizeof bad)) < 0) {
        import_error(im, a->f_evidence, 0, 0, "evidence",
                     "'%s' is not an experience record id (ids are whole numbers separated by ';')", bad);
        a->n_evidence = 0;
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
    int added;
    strmap_entry *v = strmap_put(&ai->versions, a->version, &added);
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
    int added;
    strmap_entry *p = strmap_put(&ai->people, a->number, &added);
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
    /* A reviewer's rating: the importing user must be one who may review the person
     * (review.h; people.b: 0 not checked yet, 1 may, -1 refused and reported). */
    if (a->rater == RATER_MANAGER && im->opts->check_reviewer) {
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
    int added;
    strmap_entry *c = strmap_put(&ai->cycles, a->cycle, &added);
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
    return 1;
}

/* Takes a checked answer into the group of its assessment, unless the file
 * already answered that element for that rater (reported). The evidence moves
 * into the group. */
static void answer_take(assess_import *ai, answer_row *a)
{
    import *im = ai->im;
    unsigned char *bits = answered_bits(ai, a->person_id, a->cycle_id);
    size_t bit = (size_t)a->el->a * RATER_COUNT + (size_t)a->rater;
    int same_group = ai->g.active && ai->g.person_id == a->person_id && ai->g.cycle_id == a->cycle_id;
    if (bits[bit / 8] & (1u << (bit % 8))) {
        const file_answer *before = NULL;
        for (size_t i = 0; same_group && i < ai->g.n_answers && !before; i++)
            if (ai->g.answers[i].rater == a->rater && strcmp(ai->g.answers[i].element_id, a->el->key) == 0)
                before = &ai->g.answers[i];
        const char *rater = assessment_rater_name((assessment_rater)a->rater);
        if (before)
            import_error(im, a->f_element, 0, 0, "element_id", "a second %s answer of %s in %s for %s (first on line %d)",
                         rater, a->number, a->cycle, a->element, before->line);
        else
            import_error(im, a->f_element, 0, 0, "element_id", "a second %s answer of %s in %s for %s (an earlier row "
                         "of the file has one)", rater, a->number, a->cycle, a->element);
        return;
    }
    bits[bit / 8] |= (unsigned char)(1u << (bit % 8));

    if (!same_group) {
        group_flush(ai);
        group_start(ai, a->person_id, a->cycle_id, a->number, a->cycle, a->f_number);
    }
    group *g = &ai->g;
    if (g->n_answers == g->cap_answers) {
        g->cap_answers = g->cap_answers ? 2 * g->cap_answers : 64;
        g->answers = xrealloc(g->answers, g->cap_answers * sizeof *g->answers);
    }
    file_answer *x = &g->answers[g->n_answers++];
    x->element_id = a->el->key;
    x->rater = a->rater;
    x->value = a->value;
    x->evidence = a->evidence;
    x->n_evidence = (size_t)a->n_evidence;
    x->line = a->f_element->line;
    x->column = a->f_element->column;
    x->ev_line = a->f_evidence ? a->f_evidence->line : a->f_element->line;
    x->ev_column = a->f_evidence ? a->f_evidence->column : a->f_element->column;
    a->evidence = NULL;
    a->n_evidence = 0;
}

/* Checks and takes one answer row: the catalog's side first, then the
 * database's (each problem of a version, person or cycle reported once). */
static void assessment_row(assess_import *ai, const csv_row *row, const int *map)
{
    answer_row a;
    memset(&a, 0, sizeof a);
    a.first = &row->fields[0];
    a.number = trimmed(cell(row, map, A_NUMBER, &a.f_number));
    a.cycle = trimmed(cell(row, map, A_CYCLE, &a.f_cycle));
    a.version = trimmed(cell(row, map, A_VERSION, &a.f_version));
    a.element = trimmed(cell(row, map, A_ELEMENT, &a.f_element));
    a.rater_text = trimmed(cell(row, map, A_RATER, &a.f_rater));
    a.value_text = cell(row, map, A_VALUE, &a.f_value);
    a.evidence_text = cell(row, map, A_EVIDENCE, &a.f_evidence);

    int ok = answer_against_catalog(ai, &a);
    ok &= answer_version(ai, &a);
    ok &= answer_person(ai, &a);
    ok &= answer_cycle(ai, &a);
    if (ok)
        answer_take(ai, &a);
    for (long i = 0; i < a.n_evidence; i++)
        free(a.evidence[i]);
    free(a.evidence);
    free(a.number);
    free(a.cycle);
    free(a.version);
    free(a.element);
    free(a.rater_text);
}

/* Imports answer rows; see cli_import_help. */
static void import_assessments(import *im, const catalog *cat)
{
    assess_import ai;
    memset(&ai, 0, sizeof ai);
    ai.im = im;
    ai.cat = cat;
    int map[A_COLUMNS];
    size_t width;
    csv_row row;

    answerable_init(&ai.elements, cat);
    ai.slot_bytes = (ai.elements.count * RATER_COUNT + 7) / 8;
    if (read_header(im, assessment_columns, A_COLUMNS, map, &width) < 0)
        im->writing = 0;
    else
        while (next_data_row(im, &row, width))
            assessment_row(&ai, &row, map);
    group_flush(&ai);
    free(ai.g.answers);
    strmap_free(&ai.elements.index);
    strmap_free(&ai.people);
    strmap_free(&ai.cycles);
    strmap_free(&ai.versions);
    strmap_free(&ai.seen);
    free(ai.answered);
}

const char *import_kind_name(import_kind k)
{
    return k == IMPORT_PEOPLE ? "people" : k == IMPORT_ASSESSMENTS ? "assessments" : k == IMPORT_EXPERIENCE ? "experience" : "?";
}

int import_kind_parse(const char *name)
{
    if (name && strcmp(name, "people") == 0)
        return IMPORT_PEOPLE;
    if (name && strcmp(name, "assessments") == 0)
        return IMPORT_ASSESSMENTS;
    if (name && strcmp(name, "experience") == 0)
        return IMPORT_EXPERIENCE;
    return -1;
}

/* Reads csv into db in one transaction; see import.h. */
/* ---- Templates ---- */

static const char *const people_header[] = { "employee_number", "name", "kana", "email", "org_unit_code",
                                             "manager_employee_number", "left_on" };
static const char *const experience_header[] = { "employee_number", "project", "from", "to", "role",
                                                 "specialization", "level", "succeeded", "complexity", "size",
                                                 "description" };
static const char *const assessment_header[] = { "employee_number", "cycle", "catalog_version", "element_id",
                                                 "rater", "value", "evidence", "text" };

/* The first knowledge item of the catalog, to show a rating in the example row. */
static const catalog_element *example_item(const catalog *c)
{
    for (size_t i = 0; c && i < catalog_element_count(c); i++) {
        const catalog_element *e = catalog_element_at(c, i);
        if (e->kind == CK_KNOWLEDGE_ITEM)
            return e;
    }
    return NULL;
}

void import_template(import_kind kind, const catalog *cat, const char *cycle, buf *out)
{
    csv_writer w;
    csv_writer_init(&w, out);
    if (kind == IMPORT_PEOPLE) {
        csv_write_header(&w, people_header, sizeof people_header / sizeof people_header[0]);
        const char *example[] = { "E0001", "山田 太郎", "ヤマダ タロウ", "taro.yamada@example.jp", "CS-1", "E0100", "" };
        csv_write_header(&w, example, sizeof example / sizeof example[0]);
        return;
    }
    if (kind == IMPORT_EXPERIENCE) {
        csv_write_header(&w, experience_header, sizeof experience_header / sizeof experience_header[0]);
        const char *example[] = { "E0001", "○○銀行 勘定系システム保守", "2024-04", "2025-03", "保守チームリーダ",
                                  "HW", "3", "1", "1;2", "1", "障害対応の手順を整備した" };
        csv_write_header(&w, example, sizeof example / sizeof example[0]);
        return;
    }
    const catalog_element *item = example_item(cat);
    csv_write_header(&w, assessment_header, sizeof assessment_header / sizeof assessment_header[0]);
    csv_write_text(&w, "E0001");
    csv_write_text(&w, cycle);
    csv_write_text(&w, cat ? catalog_version(cat) : "");
    csv_write_text(&w, item ? item->id : "");
    csv_write_text(&w, "self");
    csv_write_int(&w, ASSESS_RATING_INDEPENDENT);
    csv_write_text(&w, "");
    csv_write_text(&w, item ? catalog_element_text(item) : "");
    csv_end_row(&w);
}

/* Orders the errors by line, then column (stable: the errors of one cell stay in
 * the order they were found). Some checks end at the end of the file (managers
 * named before their row), so the errors are not found in line order. */
static void sort_by_place(err_list *errors)
{
    for (size_t i = 1; i < errors->count; i++) {
        err x = errors->items[i];
        size_t j = i;
        while (j > 0 && (errors->items[j - 1].line > x.line
                         || (errors->items[j - 1].line == x.line && errors->items[j - 1].column > x.column))) {
            errors->items[j] = errors->items[j - 1];
            j--;
        }
        errors->items[j] = x;
    }
}

int import_run(store *db, csv_reader *csv, const import_options *opts, err_list *errors, import_summary *out,
               err *e)
{
    import im;
    memset(&im, 0, sizeof im);
    memset(out, 0, sizeof *out);
    im.opts = opts;
    im.file = opts->file ? opts->file : csv_reader_where(csv);
    im.actor = opts->actor && opts->actor[0] ? opts->actor : "import";
    im.db = db;
    im.csv = csv;
    im.errors = errors;
    im.writing = 1;
    if (opts->kind != IMPORT_PEOPLE && !opts->catalog) {
        err_set(e, im.file, 0, 0, NULL, "an %s import needs the catalog to check against", import_kind_name(opts->kind));
        return -1;
    }
    if (store_begin(db, e) < 0)
        return -1;
    if (opts->kind == IMPORT_PEOPLE)
        import_people(&im);
    else if (opts->kind == IMPORT_EXPERIENCE)
        import_experience(&im, opts->catalog);
    else
        import_assessments(&im, opts->catalog);
    int ok = errors->count == 0 && errors->dropped == 0;
    if (ok && !opts->dry_run) {
        err ce;
        memset(&ce, 0, sizeof ce);
        if (store_commit(db, &ce) < 0) {
            err_add(errors, im.file, 0, 0, NULL, "nothing imported: %s", ce.message);
            ok = 0;
        } else
            out->committed = 1;
    } else
        store_rollback(db, NULL);
    sort_by_place(errors);
    out->rows = im.rows;
    out->written = ok ? im.written : 0;
    out->assessments = ok ? im.assessments : 0;
    out->created = ok ? im.created : 0;
    out->updated = ok ? im.updated : 0;
    out->left = ok ? im.left : 0;
    out->encoding = csv_reader_encoding(csv);
    return ok ? 0 : 1;
}
