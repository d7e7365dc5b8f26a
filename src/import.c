/* import.c - people and assessment answers from CSV into the store (see import.h);
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

/* ---- import people ---- */

enum { P_NUMBER, P_NAME, P_KANA, P_EMAIL, P_ORG, P_MANAGER, P_COLUMNS };

static const csv_column people_columns[P_COLUMNS] = {
    { "employee_number", "社員番号", 1 },
    { "name", "氏名", 1 },
    { "kana", "フリガナ", 0 },
    { "email", "メールアドレス", 0 },
    { "org_unit_code", "組織コード", 0 },
    { "manager_employee_number", "上長社員番号", 0 },
};

/* A manager named by a row before that person was read: settled at the end. */
typedef struct pending_manager {
    int64_t person_id;         /* 0 when not written */
    char *number;              /* the manager's employee number */
    char *of;                  /* the person's */
    int line, column;
} pending_manager;

/* The column of people_columns a store field name is about. */
static const char *people_column_of(const char *field)
{
    static const char *const names[][2] = {
        { "employee_number", "employee_number" }, { "name", "name" }, { "kana", "kana" }, { "email", "email" },
        { "org_unit_id", "org_unit_code" }, { "manager_id", "manager_employee_number" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(field, names[i][0]) == 0)
            return names[i][1];
    return NULL;
}

/* The field of the row a store error about field is best placed at. */
static const csv_field *people_field_of(const csv_row *row, const int *map, const char *field)
{
    const char *column = people_column_of(field);
    for (size_t i = 0; column && i < P_COLUMNS; i++)
        if (strcmp(people_columns[i].name, column) == 0 && csv_column_field(row, map, i))
            return csv_column_field(row, map, i);
    return &row->fields[0];
}

/* What a people import keeps across rows. */
typedef struct people_import {
    import *im;
    int map[P_COLUMNS];
    import_map numbers;            /* employee number -> a: first line, b: new id (0 when not written) */
    import_map units;              /* org unit code -> a: id (-1 unknown) */
    pending_manager *pending;  /* managers named before their own row */
    size_t n_pending, cap_pending;
} people_import;

/* Checks a row's employee number: not empty, not twice in the file, not in the
 * database. 1 when good; 0 after reporting. */
static int people_number(people_import *pi, const csv_row *row, const char *number, const csv_field *f_number)
{
    import *im = pi->im;
    if (!number[0]) {
        import_refuse(im, f_number, row->line, 1, "employee_number", "number_empty", NULL, "the employee number is empty");
        return 0;
    }
    int added;
    import_map_entry *seen = import_map_put(&pi->numbers, number, &added);
    if (!added) {
        import_refuse(im, f_number, 0, 0, "employee_number", "number_twice", number,
                      "employee number %s appears twice in the file (first on line %lld)", number, (long long)seen->a);
        return 0;
    }
    if (!seen)
        return 1;
    seen->a = row->line;
    store_person existing;
    err e;
    int rc = store_person_find(im->db, number, &existing, &e);
    if (rc == 1) {
        import_refuse(im, f_number, 0, 0, "employee_number", "number_taken", number,
                      "employee number %s is already in the database (%s)", number, existing.name);
        store_person_clear(&existing);
        return 0;
    }
    if (rc < 0) {
        import_error(im, f_number, 0, 0, NULL, "%s", e.message);
        return 0;
    }
    return 1;
}

/* The id of the org unit a row names (looked up once per code) into *org_id
 * (0 when the cell is empty). 1 when good; 0 after reporting an unknown unit. */
static int people_org(people_import *pi, const char *org, const csv_field *f_org, int64_t *org_id)
{
    *org_id = 0;
    if (!org[0])
        return 1;
    int added;
    import_map_entry *u = import_map_put(&pi->units, org, &added);
    if (u && added) {
        store_org_unit unit;
        err e;
        int rc = store_org_find(pi->im->db, org, &unit, &e);
        u->a = rc == 1 ? unit.id : -1;
        if (rc == 1)
            store_org_unit_clear(&unit);
    }
    if (u && u->a > 0) {
        *org_id = u->a;
        return 1;
    }
    import_refuse(pi->im, f_org, 0, 0, "org_unit_code", "unknown_org", org,
                  "unknown org unit '%s' (add it with itss org add)", org);
    return 0;
}

/* The manager a row names: *manager_id when already known (written from this
 * file or in the database), *defer when they must be settled at the end (later
 * in the file, or this run only checks). 1 when good; 0 after reporting. */
static int people_manager(people_import *pi, const char *number, const char *manager, const csv_field *f_manager,
                          int64_t *manager_id, int *defer)
{
    *manager_id = 0;
    *defer = 0;
    if (!manager[0])
        return 1;
    if (number[0] && strcmp(manager, number) == 0) {
        import_refuse(pi->im, f_manager, 0, 0, "manager_employee_number", "own_manager", number,
                      "%s cannot be their own manager", number);
        return 0;
    }
    import_map_entry *m = import_map_get(&pi->numbers, manager);
    if (m && m->b > 0) {
        *manager_id = m->b;
        return 1;
    }
    if (m) {
        *defer = 1;   /* in the file, but not written (checking only) */
        return 1;
    }
    store_person boss;
    err e;
    if (store_person_find(pi->im->db, manager, &boss, &e) == 1) {
        *manager_id = boss.id;
        store_person_clear(&boss);
    } else
        *defer = 1;   /* perhaps further down the file */
    return 1;
}

/* Writes a checked row's person (or, when only checking, applies the rules the
 * store would). The new id, or 0. Store refusals are placed at the cell of the
 * field they name. */
static int64_t people_write(people_import *pi, const csv_row *row, const char *number, const char *name,
                            int64_t org_id, int64_t manager_id)
{
    import *im = pi->im;
    char *kana = import_trimmed(import_cell(row, pi->map, P_KANA, NULL));
    char *email = import_trimmed(import_cell(row, pi->map, P_EMAIL, NULL));
    char *name_t = import_trimmed(name);
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (im->writing) {
        store_person p = { 0 };
        p.employee_number = (char *)number;
        p.name = name_t;
        p.kana = kana;
        p.email = email;
        p.org_unit_id = org_id;
        p.manager_id = manager_id;
        if (store_person_add(im->db, &p, &id, &e) < 0) {
            import_error(im, e.path[0] ? people_field_of(row, pi->map, e.path) : &row->fields[0], 0, 0,
                         e.path[0] ? people_column_of(e.path) : NULL, "%s", e.message);
            id = 0;
        } else {
            im->written++;
            import_map_entry *self = import_map_get(&pi->numbers, number);
            if (self)
                self->b = id;
        }
    } else if (rules_person(&e, number, name_t, kana, email) < 0) {
        /* checking only: the rules the store applies to the fields, without writing */
        import_refuse(im, people_field_of(row, pi->map, e.path), 0, 0, people_column_of(e.path), e.key, NULL, "%s",
                      e.message);
    }
    free(kana);
    free(email);
    free(name_t);
    return id;
}

/* For a row already refused: the rules of its kana and e-mail too, so that one
 * error does not hide the others of the row (the number and the name were
 * checked). */
static void people_check_rest(people_import *pi, const csv_row *row)
{
    char *kana = import_trimmed(import_cell(row, pi->map, P_KANA, NULL));
    char *email = import_trimmed(import_cell(row, pi->map, P_EMAIL, NULL));
    err e;
    memset(&e, 0, sizeof e);
    if (rules_person(&e, "X", "x", kana, NULL) < 0)
        import_refuse(pi->im, people_field_of(row, pi->map, e.path), 0, 0, people_column_of(e.path), e.key, NULL, "%s",
                      e.message);
    memset(&e, 0, sizeof e);
    if (rules_person(&e, "X", "x", NULL, email) < 0)
        import_refuse(pi->im, people_field_of(row, pi->map, e.path), 0, 0, people_column_of(e.path), e.key, NULL, "%s",
                      e.message);
    free(kana);
    free(email);
}

/* Remembers that person_id (0 when not written) named manager before that
 * manager's row, to settle at the end. */
static void people_defer(people_import *pi, int64_t person_id, const char *number, const char *manager,
                         const csv_field *f_manager)
{
    if (pi->n_pending == pi->cap_pending) {
        pi->cap_pending = pi->cap_pending ? 2 * pi->cap_pending : 64;
        pi->pending = xrealloc(pi->pending, pi->cap_pending * sizeof *pi->pending);
    }
    pending_manager *pm = &pi->pending[pi->n_pending++];
    pm->person_id = person_id;
    pm->number = xstrdup(manager);
    pm->of = xstrdup(number);
    pm->line = f_manager->line;
    pm->column = f_manager->column;
}

/* Checks and writes one people row. */
static void people_row(people_import *pi, const csv_row *row)
{
    import *im = pi->im;
    const csv_field *f_number, *f_name, *f_org, *f_manager;
    char *number = import_trimmed(import_cell(row, pi->map, P_NUMBER, &f_number));
    const char *name = import_cell(row, pi->map, P_NAME, &f_name);
    const char *org = import_cell(row, pi->map, P_ORG, &f_org);
    char *manager = import_trimmed(import_cell(row, pi->map, P_MANAGER, &f_manager));
    int ok = people_number(pi, row, number, f_number);
    if (!name[0]) {
        import_refuse(im, f_name, row->line, f_number ? f_number->column : 1, "name", "name_empty", NULL,
                      "the name is empty");
        ok = 0;
    }
    int64_t org_id, manager_id;
    int defer;
    ok &= people_org(pi, org, f_org, &org_id);
    ok &= people_manager(pi, number, manager, f_manager, &manager_id, &defer);
    int64_t id = ok ? people_write(pi, row, number, name, org_id, manager_id) : 0;
    if (!ok)
        people_check_rest(pi, row);
    if (defer)
        people_defer(pi, id, number, manager, f_manager);
    free(number);
    free(manager);
}

/* Settles the managers named before their own row: each must be in the file or
 * the database; when writing, the person is linked to them. */
static void people_settle_managers(people_import *pi)
{
    import *im = pi->im;
    for (size_t i = 0; i < pi->n_pending; i++) {
        pending_manager *pm = &pi->pending[i];
        import_map_entry *m = pm->number ? import_map_get(&pi->numbers, pm->number) : NULL;
        if (!m) {
            store_person boss;
            err e;
            if (store_person_find(im->db, pm->number ? pm->number : "", &boss, &e) == 1)
                store_person_clear(&boss);
            else
                import_error(im, NULL, pm->line, pm->column, "manager_employee_number",
                             "unknown manager %s: not in the database nor in this file", pm->number);
            continue;
        }
        if (!im->writing || pm->person_id == 0 || m->b == 0)
            continue;
        store_person p;
        err e;
        memset(&e, 0, sizeof e);
        int rc = store_person_get(im->db, pm->person_id, &p, &e);
        if (rc == 1) {
            p.manager_id = m->b;
            rc = store_person_edit(im->db, &p, &e) == 0 ? 1 : -1;
            store_person_clear(&p);
        }
        if (rc != 1)
            import_error(im, NULL, pm->line, pm->column, "manager_employee_number", "%s", e.message);
    }
}

/* Imports people rows; see cli_import_help. */
static void import_people(import *im)
{
    people_import pi;
    memset(&pi, 0, sizeof pi);
    pi.im = im;
    size_t width;
    csv_row row;
    if (import_read_header(im, people_columns, P_COLUMNS, pi.map, &width) < 0) {
        im->writing = 0;
        return;
    }
    while (import_next_row(im, &row, width))
        people_row(&pi, &row);
    people_settle_managers(&pi);
    for (size_t i = 0; i < pi.n_pending; i++) {
        free(pi.pending[i].number);
        free(pi.pending[i].of);
    }
    free(pi.pending);
    import_map_free(&pi.numbers);
    import_map_free(&pi.units);
}

const char *import_kind_name(import_kind k)
{
    return k == IMPORT_PEOPLE ? "people" : k == IMPORT_ASSESSMENTS ? "assessments" : "?";
}

int import_kind_parse(const char *name)
{
    if (name && strcmp(name, "people") == 0)
        return IMPORT_PEOPLE;
    if (name && strcmp(name, "assessments") == 0)
        return IMPORT_ASSESSMENTS;
    return -1;
}

/* Reads csv into db in one transaction; see import.h. */
/* ---- Templates ---- */

static const char *const people_header[] = { "employee_number", "name", "kana", "email", "org_unit_code",
                                             "manager_employee_number" };
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
        const char *example[] = { "E0001", "山田 太郎", "ヤマダ タロウ", "taro.yamada@example.jp", "CS-1", "E0100" };
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
    const char *kill_at = getenv("ITSS_TEST_KILL_IMPORT_AT_ROW");
    im.kill_at = kill_at ? atol(kill_at) : 0;
    if (opts->kind == IMPORT_ASSESSMENTS && !opts->catalog) {
        err_set(e, im.file, 0, 0, NULL, "an assessments import needs the catalog to check answers against");
        return -1;
    }
    if (store_begin(db, e) < 0)
        return -1;
    if (opts->kind == IMPORT_PEOPLE)
        import_people(&im);
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
    out->encoding = csv_reader_encoding(csv);
    return ok ? 0 : 1;
}
