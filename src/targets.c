/* targets.c - 要員計画: staffing targets from CSV and against the actual
 * head counts (targets.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"
#include "xalloc.h"

enum { T_CYCLE, T_UNIT, T_SPEC, T_LEVEL, T_COUNT, T_N };
static const csv_column target_columns[T_N] = {
    { "cycle", "期間", 1 },
    { "org_unit_code", "組織コード", 1 },
    { "specialization", "専門分野", 1 },
    { "level", "レベル", 1 },
    { "head_count", "目標人数", 1 },
};

/* The text of a field, spaces around it trimmed (a heap copy; "" for none). */
static char *field_text(const csv_field *f)
{
    if (!f)
        return xstrdup("");
    const char *s = csv_text(f);
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    return xstrndup(s, n);
}

/* A whole number from lo to hi in s: 1 with *v, else 0. */
static int whole(const char *s, long lo, long hi, long *v)
{
    char *end;
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
        return 0;
    *v = strtol(s, &end, 10);
    return *v >= lo && *v <= hi;
}

/* A row's place: the field's line and column, or the row's. */
#define AT(f, row) (f) ? (f)->line : (row)->line, (f) ? (f)->column : 1

/* A key of a row already read, to refuse one given twice. */
typedef struct seen_key {
    int64_t cycle, unit;
    const catalog_spec *spec;
    long level;
    int line;
} seen_key;

/* Checks one row and, when it is good, sets its target. 0 good, 1 bad (in
 * errors), -1 the store failed. */
static int import_row(store *db, const catalog *cat, const csv_row *row, const int *map, const char *where,
                      const char *actor, int dry_run, seen_key **seen, size_t *n_seen, err_list *errors, err *e)
{
    const csv_field *f[T_N];
    char *v[T_N];
    for (int i = 0; i < T_N; i++) {
        f[i] = csv_column_field(row, map, (size_t)i);
        v[i] = field_text(f[i]);
    }
    int bad = 0, rc = 0;
    store_cycle c;
    store_org_unit u;
    memset(&c, 0, sizeof c);
    memset(&u, 0, sizeof u);
    int has_c = 0, has_u = 0;
    if ((rc = store_cycle_find(db, v[T_CYCLE], &c, e)) == 0)
        err_add(errors, where, AT(f[T_CYCLE], row), "", "cycle: no cycle '%s'", v[T_CYCLE]), bad = 1;
    has_c = rc == 1;
    if (rc >= 0 && (rc = store_org_find(db, v[T_UNIT], &u, e)) == 0)
        err_add(errors, where, AT(f[T_UNIT], row), "", "org_unit_code: no org unit '%s'", v[T_UNIT]), bad = 1;
    has_u = rc == 1;
    const catalog_spec *spec = NULL;
    for (size_t s = 0; s < catalog_spec_count(cat); s++)
        if (strcmp(catalog_spec_at(cat, s)->code, v[T_SPEC]) == 0 || strcmp(catalog_spec_at(cat, s)->id, v[T_SPEC]) == 0)
            spec = catalog_spec_at(cat, s);
    if (!spec)
        err_add(errors, where, AT(f[T_SPEC], row), "", "specialization: no specialization '%s' (HW, SW, FM ...)",
                v[T_SPEC]), bad = 1;
    long level = 0, count = -1;
    if (!whole(v[T_LEVEL], 1, catalog_level_max(cat), &level))
        err_add(errors, where, AT(f[T_LEVEL], row), "", "level: '%s' is not a level from 1 to %d", v[T_LEVEL],
                catalog_level_max(cat)), bad = 1;
    if (*v[T_COUNT] && !whole(v[T_COUNT], 0, 100000000, &count))
        err_add(errors, where, AT(f[T_COUNT], row), "", "head_count: '%s' is not a whole number 0 or more (empty: remove)",
                v[T_COUNT]), bad = 1;
    for (size_t i = 0; rc >= 0 && !bad && i < *n_seen; i++)
        if ((*seen)[i].cycle == c.id && (*seen)[i].unit == u.id && (*seen)[i].spec == spec && (*seen)[i].level == level)
            err_add(errors, where, row->line, 1, "", "this target is given twice (also on line %d)", (*seen)[i].line),
                bad = 1;
    if (rc >= 0 && !bad) {
        *seen = xrealloc(*seen, (*n_seen + 1) * sizeof **seen);
        (*seen)[(*n_seen)++] = (seen_key){ c.id, u.id, spec, level, row->line };
        if (!dry_run && store_target_set(db, c.id, u.id, spec->id, (int)level, count, actor, e) < 0) {
            if (e->code == ERR_FAILED)
                rc = -1;
            else
                err_add(errors, where, row->line, 1, "", "%s: %s", e->path, e->message), bad = 1;
        }
    }
    if (has_c)
        store_cycle_clear(&c);
    if (has_u)
        store_org_unit_clear(&u);
    for (int i = 0; i < T_N; i++)
        free(v[i]);
    return rc < 0 ? -1 : bad;
}

int targets_import(store *db, const catalog *cat, csv_reader *csv, const char *actor, int dry_run,
                   err_list *errors, size_t *set, err *e)
{
    const char *where = csv_reader_where(csv);
    size_t before = errors->count + errors->dropped, n = 0, n_seen = 0;
    if (set)
        *set = 0;
    csv_row row;
    int st, map[T_N];
    size_t width = 0;
    while ((st = csv_next(csv, &row, e)) == CSV_ROW && csv_row_is_blank(&row))
        ;
    if (st != CSV_ROW) {
        if (st == CSV_END)
            err_add(errors, where, 1, 1, "", "the file is empty; it needs a header row");
        else
            err_add(errors, e->where, e->line, e->column, e->path, "%s", e->message);
        return 1;
    }
    if (csv_header_map(&row, where, target_columns, T_N, map, &width, errors) > 0)
        return 1;
    if (store_begin(db, e) < 0)
        return -1;
    seen_key *seen = NULL;
    int rc = 0;
    while (rc >= 0 && (st = csv_next(csv, &row, e)) != CSV_END) {
        if (st != CSV_ROW) {
            err_add(errors, e->where, e->line, e->column, e->path, "%s", e->message);
            if (st == CSV_FATAL)
                break;
            continue;
        }
        if (csv_row_is_blank(&row))
            continue;
        csv_check_width(&row, width, where, errors);
        int r = import_row(db, cat, &row, map, where, actor, dry_run, &seen, &n_seen, errors, e);
        if (r < 0)
            rc = -1;
        n += r == 0;
    }
    free(seen);
    err ignored;
    if (rc < 0 || errors->count + errors->dropped > before || dry_run) {
        store_rollback(db, &ignored);
        return rc < 0 ? -1 : errors->count + errors->dropped > before ? 1 : 0;
    }
    if (store_commit(db, e) < 0)
        return -1;
    if (set)
        *set = n;
    return 0;
}

/* 1 when unit is id or below it (parents: parent of each unit id, sorted pairs). */
typedef struct unit_parent {
    int64_t id, parent;
} unit_parent;

static int cmp_up(const void *a, const void *b)
{
    int64_t x = ((const unit_parent *)a)->id, y = ((const unit_parent *)b)->id;
    return x < y ? -1 : x > y;
}

static int under(const unit_parent *ups, size_t n, int64_t unit, int64_t top)
{
    for (int hops = 0; unit && hops < 1000; hops++) {
        if (unit == top)
            return 1;
        unit_parent key = { unit, 0 };
        const unit_parent *u = bsearch(&key, ups, n, sizeof *ups, cmp_up);
        unit = u ? u->parent : 0;
    }
    return 0;
}

int targets_view_with(store *db, const catalog *cat, target_actual_fn actual, void *ctx, int64_t cycle_id,
                      int64_t org_unit_id, target_view *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_org_list units;
    if (store_org_list_all(db, &units, e) < 0)
        return -1;
    unit_parent *ups = xcalloc(units.count + 1, sizeof *ups);
    for (size_t i = 0; i < units.count; i++)
        ups[i] = (unit_parent){ units.items[i].id, units.items[i].parent_id };
    size_t n_units = units.count;
    qsort(ups, n_units, sizeof *ups, cmp_up);
    store_org_list_free(&units);
    if (store_target_list_cycle(db, cycle_id, &out->targets, e) < 0) {
        free(ups);
        return -1;
    }
    out->rows = xcalloc(out->targets.count + 1, sizeof *out->rows);
    size_t n_specs = catalog_spec_count(cat);
    for (size_t i = 0; i < out->targets.count; i++) {
        const store_target *t = &out->targets.items[i];
        if (org_unit_id && !under(ups, n_units, t->org_unit_id, org_unit_id))
            continue;
        target_gap *g = &out->rows[out->count++];
        g->target = t;
        size_t s = 0;
        while (s < n_specs && strcmp(catalog_spec_at(cat, s)->id, t->specialization_id) != 0)
            s++;
        g->spec = s < n_specs ? catalog_spec_at(cat, s) : NULL;
        g->actual = g->spec ? actual(ctx, t->org_unit_id, s, t->level) : 0;
        g->gap = g->actual - t->head_count;
    }
    free(ups);
    return 0;
}

/* What targets_view counts with: the levels read, the unit tree. */
typedef struct levels_counter {
    const report_levels *levels;
    unit_parent *ups;
    size_t n_units;
} levels_counter;

/* People of levels in unit's subtree at level or above in spec. */
static int64_t count_levels(void *ctx, int64_t unit, size_t spec, int level)
{
    const levels_counter *c = ctx;
    size_t n_specs = c->levels->n_specs;
    int64_t n = 0;
    for (size_t r = 0; spec < n_specs && r < c->levels->list.count; r++) {
        const int *lv = c->levels->levels + r * n_specs;
        if (lv[0] < 0 || lv[spec] < level)
            continue;
        n += under(c->ups, c->n_units, c->levels->unit[r], unit);
    }
    return n;
}

int targets_view(store *db, const catalog *cat, const report_levels *levels, int64_t cycle_id, int64_t org_unit_id,
                 target_view *out, err *e)
{
    store_org_list units;
    memset(out, 0, sizeof *out);
    if (store_org_list_all(db, &units, e) < 0)
        return -1;
    levels_counter c = { levels, xcalloc(units.count + 1, sizeof *c.ups), units.count };
    for (size_t i = 0; i < units.count; i++)
        c.ups[i] = (unit_parent){ units.items[i].id, units.items[i].parent_id };
    qsort(c.ups, c.n_units, sizeof *c.ups, cmp_up);
    store_org_list_free(&units);
    int rc = targets_view_with(db, cat, count_levels, &c, cycle_id, org_unit_id, out, e);
    free(c.ups);
    return rc;
}

void target_view_free(target_view *v)
{
    store_target_list_free(&v->targets);
    free(v->rows);
    memset(v, 0, sizeof *v);
}
