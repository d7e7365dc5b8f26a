/* import_people.c - the people of a CSV file into the store (import.h,
 * docs/csv.md "people"): a row adds a person or, when the employee number is
 * in the database, updates them (transfers, managers, names); its left_on
 * (退職日) marks a leaver, and with opts->full the people the file does not
 * list leave today. Every change is reported (opts->change), so that a dry
 * run shows exactly what an import would do. import.c runs it (import_run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "rules.h"
#include "xalloc.h"

enum { P_NUMBER, P_NAME, P_KANA, P_EMAIL, P_ORG, P_MANAGER, P_LEFT, P_COLUMNS };

static const csv_column people_columns[P_COLUMNS] = {
    { "employee_number", "社員番号", 1 },
    { "name", "氏名", 1 },
    { "kana", "フリガナ", 0 },
    { "email", "メールアドレス", 0 },
    { "org_unit_code", "組織コード", 0 },
    { "manager_employee_number", "上長社員番号", 0 },
    { "left_on", "退職日", 0 },
};

/* A manager named by a row before that person was read: settled at the end. */
typedef struct pending_manager {
    int64_t person_id;         /* 0 when not written */
    char *number;              /* the manager's employee number */
    char *of;                  /* the person's */
    char *old;                 /* the person's manager before ("" none) */
    int existed;               /* the person was in the database before */
    int counted;               /* ... and counted as updated already */
    int line, column;
} pending_manager;

/* What a people import keeps across rows. */
typedef struct people_import {
    import *im;
    int map[P_COLUMNS];
    import_map numbers;            /* employee number -> a: first line, b: id (0 when not written) */
    import_map units;              /* org unit code -> a: id (-1 unknown) */
    pending_manager *pending;  /* managers named before their own row */
    size_t n_pending, cap_pending;
    char today[11];
} people_import;

/* The column of people_columns a store field name is about. */
static const char *people_column_of(const char *field)
{
    static const char *const names[][2] = {
        { "employee_number", "employee_number" }, { "name", "name" }, { "kana", "kana" }, { "email", "email" },
        { "org_unit_id", "org_unit_code" }, { "manager_id", "manager_employee_number" }, { "left_on", "left_on" },
    };
    for (size_t i = 0; field && i < sizeof names / sizeof names[0]; i++)
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

/* Tells the face about one change. */
static void report(people_import *pi, import_change_kind kind, const char *number, const char *name,
                   const char *field, const char *old_value, const char *new_value, int line)
{
    const import_options *o = pi->im->opts;
    if (!o->change)
        return;
    import_change c = { kind, number, name ? name : "", field, old_value ? old_value : "",
                        new_value ? new_value : "", line };
    o->change(&c, o->change_ctx);
}

/* Checks a row's employee number: not empty, not twice in the file. 1 when
 * good; 0 after reporting. */
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
    seen->a = row->line;
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
    if (added) {
        store_org_unit unit;
        err e;
        int rc = store_org_find(pi->im->db, org, &unit, &e);
        u->a = rc == 1 ? unit.id : -1;
        if (rc == 1)
            store_org_unit_clear(&unit);
    }
    if (u->a > 0) {
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

/* What one row says, trimmed (NULL for a column the file does not have). */
typedef struct person_row {
    char *number, *name, *kana, *email, *org, *manager, *left_on;
    const csv_field *f_number, *f_name, *f_org, *f_manager, *f_left;
    int64_t org_id, manager_id;
    int defer;
} person_row;

/* Column i of row trimmed (caller frees), or NULL when the file has no such column. */
static char *column(people_import *pi, const csv_row *row, size_t i, const csv_field **f)
{
    const char *text = import_cell(row, pi->map, i, f);
    return pi->map[i] >= 0 ? import_trimmed(text) : NULL;
}

static void person_row_free(person_row *x)
{
    free(x->number);
    free(x->name);
    free(x->kana);
    free(x->email);
    free(x->org);
    free(x->manager);
    free(x->left_on);
}

/* "" for NULL. */
static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* Sets *field to value when the file has the column (value not NULL) and it
 * differs, reporting the change as column's; NULL stays as it was. */
static void take(people_import *pi, const store_person *old, char **field, const char *value, const char *col,
                 int line)
{
    if (!value || strcmp(text_or_empty(*field), value) == 0)
        return;
    report(pi, IMPORT_UPDATED, old->employee_number, old->name, col, text_or_empty(*field), value, line);
    *field = (char *)value;
}

/* The changes of row x over the person old, into *p (a shallow copy of old
 * pointing into x); returns how many fields change. The manager, when
 * deferred, is settled later. */
static int person_changes(people_import *pi, const store_person *old, const person_row *x, store_person *p, int line)
{
    *p = *old;
    int n = 0;
    const store_person snapshot = *old;
#define TAKE(member, value, col)                                                                          \
    do {                                                                                                  \
        char *was = p->member;                                                                            \
        take(pi, &snapshot, &p->member, value, col, line);                                               \
        n += p->member != was;                                                                            \
    } while (0)
    TAKE(name, x->name, "name");
    TAKE(kana, x->kana, "kana");
    TAKE(email, x->email, "email");
#undef TAKE
    if (x->org && p->org_unit_id != x->org_id) {
        report(pi, IMPORT_UPDATED, old->employee_number, old->name, "org_unit_code", text_or_empty(old->org_code),
               x->org, line);
        p->org_unit_id = x->org_id;
        n++;
    }
    if (x->manager && !x->defer && p->manager_id != x->manager_id) {
        report(pi, IMPORT_UPDATED, old->employee_number, old->name, "manager_employee_number",
               text_or_empty(old->manager_number), x->manager, line);
        p->manager_id = x->manager_id;
        n++;
    }
    if (x->left_on && strcmp(text_or_empty(old->left_on), x->left_on) != 0) {
        report(pi, x->left_on[0] ? IMPORT_LEAVING : IMPORT_RETURNING, old->employee_number, old->name, "left_on",
               text_or_empty(old->left_on), x->left_on, line);
        p->left_on = x->left_on;
        n++;
    }
    return n;
}

/* Writes row x: adds the person or saves their changes. The person's id (0
 * when nothing could be written). Store refusals are placed at the cell of
 * the field they name. */
static int64_t people_write(people_import *pi, const csv_row *row, person_row *x, store_person *old, int *counted)
{
    import *im = pi->im;
    err e;
    memset(&e, 0, sizeof e);
    int64_t id = old ? old->id : 0;
    int rc = 0;
    if (old) {
        store_person p;
        if (person_changes(pi, old, x, &p, row->line) > 0) {
            rc = store_person_edit(im->db, &p, &e);
            if (rc == 0) {
                im->updated++;
                *counted = 1;
                im->left += x->left_on && x->left_on[0] && !old->left_on;
            }
        }
    } else {
        store_person p = { 0 };
        p.employee_number = x->number;
        p.name = x->name;
        p.kana = x->kana;
        p.email = x->email;
        p.org_unit_id = x->org_id;
        p.manager_id = x->manager_id;
        p.left_on = x->left_on && x->left_on[0] ? x->left_on : NULL;
        rc = store_person_add(im->db, &p, &id, &e);
        if (rc == 0) {
            im->written++;
            report(pi, IMPORT_ADDED, x->number, x->name, NULL, "", "", row->line);
            if (p.left_on)
                report(pi, IMPORT_LEAVING, x->number, x->name, "left_on", "", p.left_on, row->line);
        }
    }
    if (rc < 0) {
        import_error(im, e.path[0] ? people_field_of(row, pi->map, e.path) : &row->fields[0], 0, 0,
                     e.path[0] ? people_column_of(e.path) : NULL, "%s", e.message);
        return 0;
    }
    import_map_entry *self = import_map_get(&pi->numbers, x->number);
    if (self)
        self->b = id;
    return id;
}

/* The rules of the row's fields, without writing (checking only, or a row
 * already refused: one error does not hide the others of the row). */
static void people_check_fields(people_import *pi, const csv_row *row, const person_row *x, int number_and_name)
{
    for (size_t k = 0; k < 3; k++) {
        err e;
        memset(&e, 0, sizeof e);
        int bad = k == 0 ? number_and_name && rules_person(&e, x->number, x->name, NULL, NULL) < 0
                         : rules_person(&e, "X", "x", k == 1 ? x->kana : NULL, k == 2 ? x->email : NULL) < 0;
        if (bad)
            import_refuse(pi->im, people_field_of(row, pi->map, e.path), 0, 0, people_column_of(e.path), e.key, NULL,
                          "%s", e.message);
    }
}

/* Remembers that person_id (0 when not written) named manager before that
 * manager's row, to settle at the end. */
static void people_defer(people_import *pi, int64_t person_id, const person_row *x, const store_person *old,
                         int counted)
{
    if (pi->n_pending == pi->cap_pending) {
        pi->cap_pending = pi->cap_pending ? 2 * pi->cap_pending : 64;
        pi->pending = xrealloc(pi->pending, pi->cap_pending * sizeof *pi->pending);
    }
    pending_manager *pm = &pi->pending[pi->n_pending++];
    pm->person_id = person_id;
    pm->number = xstrdup(x->manager);
    pm->of = xstrdup(x->number);
    pm->old = xstrdup(old && old->manager_number ? old->manager_number : "");
    pm->existed = old != NULL;
    pm->counted = counted;
    pm->line = x->f_manager->line;
    pm->column = x->f_manager->column;
}

/* Reads the row's cells into *x. */
static void person_row_read(people_import *pi, const csv_row *row, person_row *x)
{
    memset(x, 0, sizeof *x);
    x->number = column(pi, row, P_NUMBER, &x->f_number);
    x->name = column(pi, row, P_NAME, &x->f_name);
    x->kana = column(pi, row, P_KANA, NULL);
    x->email = column(pi, row, P_EMAIL, NULL);
    x->org = column(pi, row, P_ORG, &x->f_org);
    x->manager = column(pi, row, P_MANAGER, &x->f_manager);
    x->left_on = column(pi, row, P_LEFT, &x->f_left);
}

/* Checks and writes one people row. */
static void people_row(people_import *pi, const csv_row *row)
{
    import *im = pi->im;
    person_row x;
    person_row_read(pi, row, &x);
    int ok = people_number(pi, row, x.number, x.f_number);
    if (!x.name[0]) {
        import_refuse(im, x.f_name, row->line, x.f_number ? x.f_number->column : 1, "name", "name_empty", NULL,
                      "the name is empty");
        ok = 0;
    }
    ok &= people_org(pi, x.org ? x.org : "", x.f_org, &x.org_id);
    ok &= people_manager(pi, x.number, x.manager ? x.manager : "", x.f_manager, &x.manager_id, &x.defer);
    if (x.left_on && x.left_on[0] && !rules_is_date(x.left_on)) {
        import_refuse(im, x.f_left, 0, 0, "left_on", "date.invalid", x.left_on,
                      "'%s' is not a date (YYYY-MM-DD)", x.left_on);
        ok = 0;
    }
    store_person old;
    int found = 0;
    if (ok && x.number[0]) {
        err e;
        found = store_person_find(im->db, x.number, &old, &e);
        if (found < 0) {
            import_error(im, x.f_number, 0, 0, NULL, "%s", e.message);
            ok = 0;
        }
    }
    int64_t id = 0;
    int counted = 0;
    if (ok && im->writing)
        id = people_write(pi, row, &x, found == 1 ? &old : NULL, &counted);
    else
        people_check_fields(pi, row, &x, ok);
    if (x.defer)
        people_defer(pi, id, &x, found == 1 ? &old : NULL, counted);
    if (found == 1)
        store_person_clear(&old);
    person_row_free(&x);
}

/* Settles the managers named before their own row: each must be in the file or
 * the database; when writing, the person is linked to them. */
static void people_settle_managers(people_import *pi)
{
    import *im = pi->im;
    for (size_t i = 0; i < pi->n_pending; i++) {
        pending_manager *pm = &pi->pending[i];
        import_map_entry *m = import_map_get(&pi->numbers, pm->number);
        int64_t boss_id = m ? m->b : 0;
        if (!m) {
            store_person boss;
            err e;
            if (store_person_find(im->db, pm->number, &boss, &e) == 1) {
                boss_id = boss.id;
                store_person_clear(&boss);
            } else {
                import_error(im, NULL, pm->line, pm->column, "manager_employee_number",
                             "unknown manager %s: not in the database nor in this file", pm->number);
                continue;
            }
        }
        if (!im->writing || pm->person_id == 0 || boss_id == 0)
            continue;
        store_person p;
        err e;
        memset(&e, 0, sizeof e);
        int rc = store_person_get(im->db, pm->person_id, &p, &e);
        if (rc == 1 && p.manager_id != boss_id) {
            p.manager_id = boss_id;
            rc = store_person_edit(im->db, &p, &e) == 0 ? 1 : -1;
            if (rc == 1 && pm->existed) {
                report(pi, IMPORT_UPDATED, p.employee_number, p.name, "manager_employee_number", pm->old, pm->number,
                       pm->line);
                im->updated += !pm->counted;
            }
        }
        if (rc == 1)
            store_person_clear(&p);
        if (rc != 1)
            import_error(im, NULL, pm->line, pm->column, "manager_employee_number", "%s", e.message);
    }
}

/* What people_full collects: the people the file did not list. */
typedef struct absent_people {
    people_import *pi;
    import_map numbers;            /* employee number -> nothing */
} absent_people;

/* Adds p to the absent when the file did not list them and they have not left. */
static int absent_collect(const store_person *p, void *ctx)
{
    absent_people *a = ctx;
    int added;
    if (!p->left_on && !import_map_get(&a->pi->numbers, p->employee_number))
        import_map_put(&a->numbers, p->employee_number, &added);
    return 0;
}

/* A full list: the people of the database the file does not list, and who
 * have not left, leave today. */
static void people_full(people_import *pi)
{
    import *im = pi->im;
    store_person_filter f = { 0 };
    f.include_left = 1;
    absent_people a = { pi, { 0 } };
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_person_each(im->db, &f, absent_collect, &a, &e);
    if (rc < 0)
        import_error(im, NULL, 0, 0, NULL, "%s", e.message);
    for (size_t i = 0; rc >= 0 && i < a.numbers.cap && im->writing; i++) {
        if (!a.numbers.slots[i].key)
            continue;
        store_person p;
        if (store_person_find(im->db, a.numbers.slots[i].key, &p, &e) != 1) {
            import_error(im, NULL, 0, 0, NULL, "%s", e.message);
            break;
        }
        p.left_on = pi->today;
        if (store_person_edit(im->db, &p, &e) < 0)
            import_error(im, NULL, 0, 0, "employee_number", "%s: %s", p.employee_number, e.message);
        else {
            im->left++;
            report(pi, IMPORT_LEAVING, p.employee_number, p.name, "left_on", "", pi->today, 0);
        }
        p.left_on = NULL;
        store_person_clear(&p);
    }
    import_map_free(&a.numbers);
}

void import_people(import *im)
{
    people_import pi;
    memset(&pi, 0, sizeof pi);
    pi.im = im;
    rules_today(pi.today);
    size_t width;
    csv_row row;
    if (import_read_header(im, people_columns, P_COLUMNS, pi.map, &width) < 0) {
        im->writing = 0;
        return;
    }
    while (import_next_row(im, &row, width))
        people_row(&pi, &row);
    people_settle_managers(&pi);
    if (im->opts->full)
        people_full(&pi);
    for (size_t i = 0; i < pi.n_pending; i++) {
        free(pi.pending[i].number);
        free(pi.pending[i].of);
        free(pi.pending[i].old);
    }
    free(pi.pending);
    import_map_free(&pi.numbers);
    import_map_free(&pi.units);
}
