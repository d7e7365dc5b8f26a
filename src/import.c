/* import.c - the CSV imports (people: import_people.c, answers: import_assessments.c,
 * experience records: import_experience.c) into the store (see import.h);
 * `itss import` and the web's upload both run import_run().
 *
 * Rows are checked one at a time against the catalog, the database and what the
 * file said before, and written at once. Memory grows with people and
 * assessments, not with rows: employee numbers seen, a bit per (element, rater)
 * per assessment for duplicates, and the answers of the assessment being read.
 * Out of memory aborts (xalloc.h). */
#include <signal.h>
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

/* ---- a string map: key -> two numbers (import_int.h) ---- */

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The entry of key, or NULL. The entry belongs to the map. */
import_map_entry *import_map_get(const import_map *m, const char *key)
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
import_map_entry *import_map_put(import_map *m, const char *key, int *added)
{
    *added = 0;
    import_map_entry *found = import_map_get(m, key);
    if (found)
        return found;
    if (2 * (m->count + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        import_map_entry *slots = xcalloc(cap, sizeof *slots);
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

void import_map_free(import_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---- import: shared ---- */


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
int import_read_header(import *im, const csv_column *cols, size_t n_cols, int *map, size_t *width)
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
int import_next_row(import *im, csv_row *row, size_t width)
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
        if (im->rows == im->kill_at)
            raise(SIGKILL);        /* tests/import_bulk.sh: an import killed half way leaves nothing */
        if ((im->rows & 1023) == 0 && im->opts->progress)
            im->opts->progress(im->csv, im->rows, im->opts->progress_ctx);
        if (csv_check_width(row, width, im->file, im->errors))
            im->writing = 0;
        return 1;
    }
}

/* The text of column i in row ("" when absent), neutralization undone. */
const char *import_cell(const csv_row *row, const int *map, size_t i, const csv_field **f)
{
    const csv_field *x = csv_column_field(row, map, i);
    if (f)
        *f = x;
    return x ? csv_text(x) : "";
}

/* A copy of s without the spaces (ASCII or U+3000) around it; caller frees. */
char *import_trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t' || strncmp(s, "\xE3\x80\x80", 3) == 0)
        s += *s == ' ' || *s == '\t' ? 1 : 3;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)))
        n -= s[n - 1] == ' ' || s[n - 1] == '\t' ? 1 : 3;
    return xstrndup(s, n);
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
    const char *kill_at = getenv("ITSS_TEST_KILL_IMPORT_AT_ROW");
    im.kill_at = kill_at ? atol(kill_at) : 0;
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
    err_list_sort(errors);
    out->rows = im.rows;
    out->written = ok ? im.written : 0;
    out->assessments = ok ? im.assessments : 0;
    out->created = ok ? im.created : 0;
    out->updated = ok ? im.updated : 0;
    out->left = ok ? im.left : 0;
    out->encoding = csv_reader_encoding(csv);
    return ok ? 0 : 1;
}
