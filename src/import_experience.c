/* import_experience.c - experience records (実績) from CSV into the store
 * (import.h, docs/csv.md "experience"): one row per record, in the keys of the
 * assessment file's "experience" (docs/file-format.md) plus the person's
 * employee number. The checklist items a record demonstrates must be
 * complexity or size items of the record's specialization at the record's
 * level, as the command line, the web form and the file format demand. A row
 * whose person, project, start, specialization and level equal a record the
 * person has replaces that record (an import read twice adds nothing twice);
 * any other row adds one. import.c runs it (import_run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

enum { X_NUMBER, X_PROJECT, X_FROM, X_TO, X_ROLE, X_SPEC, X_LEVEL, X_SUCCEEDED, X_COMPLEXITY, X_SIZE, X_DESCRIPTION,
       X_COLUMNS };

static const csv_column experience_columns[X_COLUMNS] = {
    { "employee_number", "社員番号", 1 },
    { "project", "プロジェクト", 1 },
    { "from", "開始年月", 1 },
    { "to", "終了年月", 0 },
    { "role", "役割", 0 },
    { "specialization", "専門分野", 1 },
    { "level", "レベル", 1 },
    { "succeeded", "成否", 0 },
    { "complexity", "複雑性", 0 },
    { "size", "サイズ", 0 },
    { "description", "説明", 0 },
};

/* What an experience import keeps across rows. */
typedef struct experience_import {
    import *im;
    const catalog *cat;
    int map[X_COLUMNS];
    import_map people;             /* employee number -> a: person id (-1 unknown) */
} experience_import;

/* One row being read: its record and where its cells are. */
typedef struct experience_row {
    const csv_row *row;
    const csv_field *f[X_COLUMNS];
    char *text[X_COLUMNS];     /* trimmed cells ("" when the column is absent) */
    assessment_experience x;
    char **items[2];           /* complexity, size: full ids */
    size_t n_items[2];
    int64_t person_id;
    int ok;
} experience_row;

/* An error at cell c of the row, with its key and the value it names. */
static void row_error(experience_import *xi, experience_row *r, int c, const char *key, const char *detail,
                      const char *message)
{
    const csv_field *f = r->f[c] ? r->f[c] : &r->row->fields[0];
    import_refuse(xi->im, f, 0, 0, experience_columns[c].name, key, detail, "%s", message);
    r->ok = 0;
}

/* The person of the row's employee number (looked up once per number). */
static void check_person(experience_import *xi, experience_row *r)
{
    const char *number = r->text[X_NUMBER];
    if (!number[0]) {
        row_error(xi, r, X_NUMBER, "number_empty", NULL, "the employee number is empty");
        return;
    }
    int added;
    import_map_entry *p = import_map_put(&xi->people, number, &added);
    if (added) {
        store_person person;
        err e;
        int rc = store_person_find(xi->im->db, number, &person, &e);
        p->a = rc == 1 ? person.id : -1;
        if (rc == 1)
            store_person_clear(&person);
        if (rc < 0) {
            import_error(xi->im, r->f[X_NUMBER], 0, 0, NULL, "%s", e.message);
            r->ok = 0;
            return;
        }
    }
    if (p->a <= 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "no person with employee number %s (import people first)", number);
        row_error(xi, r, X_NUMBER, "person_unknown", number, msg);
        return;
    }
    r->person_id = p->a;
}

/* The months, the project, the role and whether it succeeded. */
static void check_fields(experience_import *xi, experience_row *r)
{
    err e;
    if (!r->text[X_PROJECT][0])
        row_error(xi, r, X_PROJECT, "experience.project_empty", NULL, "the project is empty");
    else if (rules_text(&e, "project", r->text[X_PROJECT], 1, 0) < 0)
        row_error(xi, r, X_PROJECT, e.key, NULL, e.message);
    for (int c = X_FROM; c <= X_TO; c++) {
        const char *m = r->text[c];
        if (c == X_FROM && !m[0])
            row_error(xi, r, c, "experience.from_empty", NULL, "the start month is empty");
        else if (m[0] && !rules_is_month(m)) {
            char msg[160];
            snprintf(msg, sizeof msg, "'%.60s' is not a month (YYYY-MM)", m);
            row_error(xi, r, c, "month.invalid", m, msg);
        }
    }
    if (rules_is_month(r->text[X_FROM]) && rules_is_month(r->text[X_TO])
        && strcmp(r->text[X_TO], r->text[X_FROM]) < 0)
        row_error(xi, r, X_TO, "experience.to_before_from", r->text[X_TO], "the end month is before the start month");
    const char *s = r->text[X_SUCCEEDED];
    if (!s[0] || strcmp(s, "1") == 0 || strcmp(s, "成功") == 0 || strcmp(s, "true") == 0)
        r->x.succeeded = 1;
    else if (strcmp(s, "0") == 0 || strcmp(s, "失敗") == 0 || strcmp(s, "false") == 0)
        r->x.succeeded = 0;
    else {
        char msg[160];
        snprintf(msg, sizeof msg, "'%.60s': succeeded is 1 (成功) or 0 (失敗)", s);
        row_error(xi, r, X_SUCCEEDED, "experience.succeeded", s, msg);
    }
}

/* The level of text ("4", "L4", "レベル4", full-width digits), 0 when none. */
static int parse_level(const char *text)
{
    char *n = text_fold(text);
    const char *p = n ? n : text;
    if (strncmp(p, "レベル", strlen("レベル")) == 0)
        p += strlen("レベル");
    else if (*p == 'l')
        p++;
    char *end;
    long v = strtol(p, &end, 10);
    int ok = end != p && *end == '\0' && v > 0 && v < 100;
    free(n);
    return ok ? (int)v : 0;
}

/* The items of cell c (CRITERION_COMPLEXITY or CRITERION_SIZE): each a full id
 * or its number at the record's level, separated by ';', ',' or spaces; each
 * must be an item of that criterion of the specialization at the level. */
static void check_items(experience_import *xi, experience_row *r, int c, catalog_criterion_kind kind,
                        const catalog_spec *spec, const catalog_level *lv)
{
    int k = c == X_COMPLEXITY ? 0 : 1;
    char *copy = xstrdup(r->text[c]);
    for (char *save = NULL, *tok = strtok_r(copy, ";, \t", &save); tok; tok = strtok_r(NULL, ";, \t", &save)) {
        char id[256];
        if (strspn(tok, "0123456789") == strlen(tok) && lv)
            snprintf(id, sizeof id, "%s.%s.%s", lv->id, catalog_criterion_key(kind), tok);
        else
            snprintf(id, sizeof id, "%s", tok);
        catalog_element e;
        char msg[400];
        const char *key = NULL;
        if (!catalog_find(xi->cat, id, &e) || e.kind != CK_CHECK_ITEM || e.criterion->kind != kind) {
            key = c == X_COMPLEXITY ? "experience.not_complexity" : "experience.not_size";
            snprintf(msg, sizeof msg, "%s is not a %s checklist item of the standard", id, catalog_criterion_key(kind));
        } else if (!spec || !lv || catalog_level_of(xi->cat, spec, e.level->level) != e.level || e.level != lv) {
            key = "experience.item_level";
            snprintf(msg, sizeof msg, "%s is not an item of the record's specialization and level (%s level %d)", id,
                     spec ? spec->code : "?", r->x.level);
        }
        for (size_t i = 0; !key && i < r->n_items[k]; i++)
            if (strcmp(r->items[k][i], id) == 0) {
                key = "experience.item_twice";
                snprintf(msg, sizeof msg, "%s is listed twice", id);
            }
        if (key) {
            row_error(xi, r, c, key, id, msg);
            continue;
        }
        r->items[k] = xrealloc(r->items[k], (r->n_items[k] + 1) * sizeof *r->items[k]);
        r->items[k][r->n_items[k]++] = xstrdup(id);
    }
    free(copy);
}

/* The specialization, the level and the items. */
static void check_standard(experience_import *xi, experience_row *r)
{
    const catalog_spec *spec = NULL;
    const catalog_level *lv = NULL;
    if (!r->text[X_SPEC][0])
        row_error(xi, r, X_SPEC, "experience.spec_empty", NULL, "the specialization is empty");
    else if (!(spec = catalog_spec_find(xi->cat, r->text[X_SPEC])) || spec->is_common) {
        char msg[200];
        snprintf(msg, sizeof msg, "unknown specialization '%.60s' (HW, SW or FM)", r->text[X_SPEC]);
        row_error(xi, r, X_SPEC, "experience.spec_unknown", r->text[X_SPEC], msg);
        spec = NULL;
    }
    r->x.level = parse_level(r->text[X_LEVEL]);
    if (spec && (r->x.level == 0 || !(lv = catalog_level_of(xi->cat, spec, r->x.level)))) {
        int lo, hi;
        catalog_spec_level_range(xi->cat, spec, &lo, &hi);
        char msg[200], range[32];
        snprintf(range, sizeof range, "%d〜%d", lo, hi);
        snprintf(msg, sizeof msg, "%s has no level '%.20s': its levels are %d to %d", spec->code, r->text[X_LEVEL],
                 lo, hi);
        row_error(xi, r, X_LEVEL, "experience.level", range, msg);
    } else if (!spec && r->x.level == 0)
        row_error(xi, r, X_LEVEL, "experience.level_nan", r->text[X_LEVEL], "the level is not a number");
    if (spec)
        r->x.specialization_id = (char *)spec->id;
    check_items(xi, r, X_COMPLEXITY, CRITERION_COMPLEXITY, spec, lv);
    check_items(xi, r, X_SIZE, CRITERION_SIZE, spec, lv);
}

/* The id of the person's record this row replaces (same project, start,
 * specialization and level), 0 when none; -1 after a store error. */
static int64_t same_record(experience_import *xi, experience_row *r)
{
    store_experience_list l;
    err e;
    if (store_experience_list_person(xi->im->db, r->person_id, &l, &e) < 0) {
        import_error(xi->im, r->f[X_NUMBER], 0, 0, NULL, "%s", e.message);
        return -1;
    }
    int64_t id = 0;
    for (size_t i = 0; i < l.count && !id; i++) {
        const assessment_experience *y = &l.items[i].x;
        if (strcmp(y->project, r->x.project) == 0 && y->period_from && strcmp(y->period_from, r->x.period_from) == 0
            && strcmp(y->specialization_id, r->x.specialization_id) == 0 && y->level == r->x.level)
            id = l.items[i].id;
    }
    store_experience_list_free(&l);
    return id;
}

/* Writes the checked row: adds the record or replaces the same one. */
static void experience_write(experience_import *xi, experience_row *r)
{
    import *im = xi->im;
    r->x.project = r->text[X_PROJECT];
    r->x.period_from = r->text[X_FROM];
    r->x.period_to = r->text[X_TO][0] ? r->text[X_TO] : NULL;
    r->x.role = r->text[X_ROLE][0] ? r->text[X_ROLE] : NULL;
    r->x.description = r->text[X_DESCRIPTION][0] ? r->text[X_DESCRIPTION] : NULL;
    r->x.complexity_items = r->items[0];
    r->x.n_complexity_items = r->n_items[0];
    r->x.size_items = r->items[1];
    r->x.n_size_items = r->n_items[1];
    int64_t id = same_record(xi, r);
    if (id < 0)
        return;
    err e;
    memset(&e, 0, sizeof e);
    int rc = id ? store_experience_edit(im->db, id, &r->x, &e) : store_experience_add(im->db, r->person_id, &r->x, NULL, &e);
    if (rc < 0) {
        import_error(im, &r->row->fields[0], 0, 0, NULL, "%s", e.message);
        return;
    }
    if (id)
        im->updated++;
    else
        im->written++;
}

/* Checks and writes one row; every error of the row is reported. */
static void experience_row_run(experience_import *xi, const csv_row *row)
{
    experience_row r;
    memset(&r, 0, sizeof r);
    r.row = row;
    r.ok = 1;
    for (int c = 0; c < X_COLUMNS; c++) {
        const char *t = import_cell(row, xi->map, (size_t)c, &r.f[c]);
        r.text[c] = c == X_DESCRIPTION ? xstrdup(t) : import_trimmed(t);
    }
    check_person(xi, &r);
    check_fields(xi, &r);
    check_standard(xi, &r);
    if (r.ok && xi->im->writing)
        experience_write(xi, &r);
    for (int c = 0; c < X_COLUMNS; c++)
        free(r.text[c]);
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < r.n_items[k]; i++)
            free(r.items[k][i]);
        free(r.items[k]);
    }
}

void import_experience(import *im, const catalog *cat)
{
    experience_import xi;
    memset(&xi, 0, sizeof xi);
    xi.im = im;
    xi.cat = cat;
    size_t width;
    csv_row row;
    if (import_read_header(im, experience_columns, X_COLUMNS, xi.map, &width) < 0) {
        im->writing = 0;
        return;
    }
    while (import_next_row(im, &row, width))
        experience_row_run(&xi, &row);
    import_map_free(&xi.people);
}
