/* catalog.c - loads a catalog file, validates it as a whole, and answers lookups.
 *
 * The JSON tree from json_parse() is walked once against the format of
 * docs/catalog-format.md. Every problem is recorded with its line, column and
 * JSON path, and the walk goes on so that one run shows all of them; a catalog
 * with any error is freed and not returned. A good one is copied into an arena
 * (texts and arrays) with an identifier index, and is read-only from then on. */
#include "catalog.h"
#include "json.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>

extern const unsigned char catalog_builtin_json[];
extern const size_t catalog_builtin_json_len;

/* ---- arena: every allocation of a catalog lives here and goes at once ---- */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    max_align_t data[];
} arena_chunk;

typedef struct arena { arena_chunk *head; } arena;

static void *arena_alloc(arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (n == 0) n = sizeof(max_align_t);
    if (!a->head || a->head->size - a->head->used < n) {
        size_t size = n > 65536 ? n : 65536;
        arena_chunk *c = malloc(sizeof *c + size);
        if (!c) { fputs("itss: out of memory\n", stderr); abort(); }
        c->next = a->head;
        c->used = 0;
        c->size = size;
        a->head = c;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    memset(p, 0, n);
    return p;
}

static char *arena_strdup(arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = arena_alloc(a, n);
    memcpy(d, s, n);
    return d;
}

static void arena_free(arena *a)
{
    while (a->head) { arena_chunk *n = a->head->next; free(a->head); a->head = n; }
}

/* ---- the catalog ---- */

struct catalog {
    arena mem;
    const char *name, *format, *id, *version, *title;
    const char *source_document, *source_publisher, *source_file;
    int level_min, level_max;
    const char *job_id, *job_name, *job_overview;
    catalog_area *areas;
    size_t n_areas;
    const char **area_folds;      /* folded code, id, name per area: 3 per area */
    catalog_spec *specs;
    size_t n_specs;
    catalog_spec *commons;
    size_t n_commons;
    const char **spec_folds;      /* 3 per spec */
    catalog_note *notes;
    size_t n_notes;
    catalog_element *elements;    /* file order */
    size_t n_elements, cap_elements;
    uint32_t *index;              /* open addressing: element number + 1, 0 = empty */
    size_t index_cap;
};

/* ---- the loader's state ---- */

typedef struct loader {
    catalog *c;
    const char *name;
    err_list *errors;
    size_t n_errors;
    const char *job_prefix;       /* job_category.id, once read */
} loader;

static void load_error(loader *ld, const json_value *at, int line, int column, const char *path,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void load_error(loader *ld, const json_value *at, int line, int column, const char *path,
                       const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at) { line = at->line; column = at->column; }
    ld->n_errors++;
    err_add(ld->errors, ld->name, line, column, path, "%s", msg);
}

static void path_key(char *dst, size_t size, const char *path, const char *key)
{
    snprintf(dst, size, "%s%s%s", path, path[0] ? "." : "", key);
}

static void path_index(char *dst, size_t size, const char *path, size_t i)
{
    snprintf(dst, size, "%s[%zu]", path, i);
}

/* Reports members of obj not in `allowed` and required members that are absent.
 * Returns 0 when obj is not an object (reported). */
static int check_object(loader *ld, const json_value *obj, const char *path,
                        const char *const *allowed, const char *const *required)
{
    if (!obj || obj->type != JV_OBJECT) {
        load_error(ld, obj, 0, 0, path, "expected an object, found %s",
                   obj ? json_type_name(obj->type) : "nothing");
        return 0;
    }
    for (size_t i = 0; i < obj->n_members; i++) {
        const json_member *m = &obj->members[i];
        int known = 0;
        for (const char *const *a = allowed; *a; a++) if (strcmp(*a, m->key) == 0) { known = 1; break; }
        if (!known) {
            char p[300];
            path_key(p, sizeof p, path, m->key);
            load_error(ld, NULL, m->line, m->column, p, "unknown key \"%s\"", m->key);
        }
    }
    for (const char *const *r = required; r && *r; r++)
        if (!json_member_get(obj, *r))
            load_error(ld, obj, 0, 0, path, "missing required key \"%s\"", *r);
    return 1;
}

/* A non-empty text member copied into the arena, or NULL (absent ones are
 * reported by check_object, wrong types and empty texts here). */
static const char *get_text(loader *ld, const json_value *obj, const char *key, const char *path)
{
    const json_member *m = json_member_get(obj, key);
    if (!m) return NULL;
    char p[300];
    path_key(p, sizeof p, path, key);
    if (m->value->type != JV_STRING) {
        load_error(ld, m->value, 0, 0, p, "expected a string, found %s", json_type_name(m->value->type));
        return NULL;
    }
    const char *s = m->value->string;
    const char *t = s;
    while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r' || strncmp(t, "\xE3\x80\x80", 3) == 0)
        t += (*t == '\xE3') ? 3 : 1;
    if (*t == '\0') {
        load_error(ld, m->value, 0, 0, p, "empty text");
        return NULL;
    }
    return arena_strdup(&ld->c->mem, s);
}

/* An integer member, or INT32_MIN when absent or wrong (reported). */
static int get_int(loader *ld, const json_value *obj, const char *key, const char *path)
{
    const json_member *m = json_member_get(obj, key);
    if (!m) return INT32_MIN;
    char p[300];
    path_key(p, sizeof p, path, key);
    if (m->value->type != JV_NUMBER || !m->value->is_integer
        || m->value->number < -1e9 || m->value->number > 1e9) {
        load_error(ld, m->value, 0, 0, p, "expected an integer, found %s",
                   m->value->type == JV_NUMBER ? "a fraction" : json_type_name(m->value->type));
        return INT32_MIN;
    }
    return (int)m->value->number;
}

/* The array member `key`, or NULL (wrong types reported). */
static const json_value *get_array(loader *ld, const json_value *obj, const char *key, const char *path)
{
    const json_member *m = json_member_get(obj, key);
    if (!m) return NULL;
    if (m->value->type != JV_ARRAY) {
        char p[300];
        path_key(p, sizeof p, path, key);
        load_error(ld, m->value, 0, 0, p, "expected an array, found %s", json_type_name(m->value->type));
        return NULL;
    }
    return m->value;
}

/* ---- the identifier index ---- */

static uint32_t id_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 16777619u; }
    return h;
}

static long index_lookup(const catalog *c, const char *id)
{
    if (!c->index_cap) return -1;
    size_t mask = c->index_cap - 1;
    for (size_t i = id_hash(id) & mask;; i = (i + 1) & mask) {
        uint32_t slot = c->index[i];
        if (!slot) return -1;
        if (strcmp(c->elements[slot - 1].id, id) == 0) return (long)slot - 1;
    }
}

static void index_insert(catalog *c, size_t element)
{
    if ((c->n_elements + 1) * 2 > c->index_cap) {
        size_t cap = c->index_cap ? c->index_cap * 2 : 1024;
        uint32_t *grown = calloc(cap, sizeof *grown);
        if (!grown) { fputs("itss: out of memory\n", stderr); abort(); }
        for (size_t i = 0; i < c->index_cap; i++) {
            uint32_t slot = c->index[i];
            if (!slot) continue;
            size_t j = id_hash(c->elements[slot - 1].id) & (cap - 1);
            while (grown[j]) j = (j + 1) & (cap - 1);
            grown[j] = slot;
        }
        free(c->index);
        c->index = grown;
        c->index_cap = cap;
    }
    size_t mask = c->index_cap - 1;
    size_t j = id_hash(c->elements[element].id) & mask;
    while (c->index[j]) j = (j + 1) & mask;
    c->index[j] = (uint32_t)element + 1;
}

static int id_well_formed(const char *id)
{
    size_t n = 0;
    for (const char *p = id; *p; p++, n++) {
        char ch = *p;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
              || ch == '.' || ch == '_' || ch == '-'))
            return 0;
    }
    return n > 0 && n <= 64;
}

/* Reads obj.id, checks its form and uniqueness, and registers `proto` under it.
 * Returns the id (arena copy) or NULL when missing or bad (reported). */
static const char *take_id(loader *ld, const json_value *obj, const char *path, catalog_element proto)
{
    const char *id = get_text(ld, obj, "id", path);
    if (!id) return NULL;
    const json_member *m = json_member_get(obj, "id");
    char p[300];
    path_key(p, sizeof p, path, "id");
    if (!id_well_formed(id)) {
        load_error(ld, m->value, 0, 0, p, "malformed id \"%s\" (ASCII letters, digits, '.', '_', '-'; at most 64)", id);
        return NULL;
    }
    if (ld->job_prefix && proto.kind != CK_JOB) {
        size_t n = strlen(ld->job_prefix);
        if (strncmp(id, ld->job_prefix, n) != 0 || id[n] != '.') {
            load_error(ld, m->value, 0, 0, p, "id \"%s\" does not start with the job category's id \"%s.\"",
                       id, ld->job_prefix);
            return NULL;
        }
    }
    catalog *c = ld->c;
    long prev = index_lookup(c, id);
    if (prev >= 0) {
        load_error(ld, m->value, 0, 0, p, "duplicate id \"%s\"", id);
        return NULL;
    }
    if (c->n_elements == c->cap_elements) {
        c->cap_elements = c->cap_elements ? c->cap_elements * 2 : 1024;
        catalog_element *grown = realloc(c->elements, c->cap_elements * sizeof *grown);
        if (!grown) { fputs("itss: out of memory\n", stderr); abort(); }
        c->elements = grown;
    }
    proto.id = id;
    c->elements[c->n_elements] = proto;
    index_insert(c, c->n_elements);
    c->n_elements++;
    return id;
}

/* ---- the parts of the format ---- */

static void load_item(loader *ld, const json_value *v, const char *path, catalog_item *out,
                      catalog_element proto)
{
    static const char *const keys[] = { "id", "text", NULL };
    if (!check_object(ld, v, path, keys, keys)) return;
    out->text = get_text(ld, v, "text", path);
    proto.item = out;
    out->id = take_id(ld, v, path, proto);
}

static const catalog_item *load_items(loader *ld, const json_value *arr, const char *path,
                                      size_t *n, catalog_element proto)
{
    *n = 0;
    if (!arr) return NULL;
    catalog_item *items = arena_alloc(&ld->c->mem, arr->n_elements * sizeof *items);
    for (size_t i = 0; i < arr->n_elements; i++) {
        char p[300];
        path_index(p, sizeof p, path, i);
        proto.index = (int)i;
        load_item(ld, arr->elements[i], p, &items[i], proto);
    }
    *n = arr->n_elements;
    return items;
}

static int level_in_range(loader *ld, int level, const json_value *obj, const char *path)
{
    const json_member *m = json_member_get(obj, "level");
    if (level == INT32_MIN) return 0;
    if (level < ld->c->level_min || level > ld->c->level_max) {
        char p[300];
        path_key(p, sizeof p, path, "level");
        load_error(ld, m ? m->value : obj, 0, 0, p, "level %d is outside the catalog's level_range %d..%d",
                   level, ld->c->level_min, ld->c->level_max);
        return 0;
    }
    return 1;
}

static void load_criterion(loader *ld, const json_value *lv, const char *path, catalog_level *level,
                           catalog_criterion_kind kind)
{
    static const char *const keys[] = { "id", "lead", "items", "notes", NULL };
    static const char *const required[] = { "id", "lead", "items", NULL };
    const char *key = catalog_criterion_key(kind);
    const json_member *m = json_member_get(lv, key);
    if (!m) return;   /* reported as a missing key of the level */
    char p[300];
    path_key(p, sizeof p, path, key);
    catalog_criterion *cr = &level->criteria[kind];
    cr->kind = kind;
    if (!check_object(ld, m->value, p, keys, required)) return;
    cr->lead = get_text(ld, m->value, "lead", p);
    catalog_element proto = { .kind = CK_CRITERION, .spec = level->owner, .level = level, .criterion = cr,
                              .index = (int)kind };
    cr->id = take_id(ld, m->value, p, proto);
    char pi[320];
    proto.kind = CK_CHECK_ITEM;
    path_key(pi, sizeof pi, p, "items");
    cr->items = load_items(ld, get_array(ld, m->value, "items", p), pi, &cr->n_items, proto);
    proto.kind = CK_CRITERION_NOTE;
    path_key(pi, sizeof pi, p, "notes");
    cr->notes = load_items(ld, get_array(ld, m->value, "notes", p), pi, &cr->n_notes, proto);
}

static void load_level(loader *ld, const json_value *v, const char *path, catalog_spec *owner,
                       catalog_level *level, size_t index)
{
    static const char *const keys[] = { "id", "level", "responsibility", "complexity", "size", "task", NULL };
    level->owner = owner;
    if (!check_object(ld, v, path, keys, keys)) return;
    level->level = get_int(ld, v, "level", path);
    if (!level_in_range(ld, level->level, v, path)) level->level = 0;
    catalog_element proto = { .kind = CK_LEVEL, .spec = owner, .level = level, .index = (int)index };
    level->id = take_id(ld, v, path, proto);
    const json_member *r = json_member_get(v, "responsibility");
    if (r) {
        char p[300];
        path_key(p, sizeof p, path, "responsibility");
        proto.kind = CK_RESPONSIBILITY;
        proto.index = 0;
        load_item(ld, r->value, p, &level->responsibility, proto);
    }
    for (int k = 0; k < CRITERION_KINDS; k++) load_criterion(ld, v, path, level, (catalog_criterion_kind)k);
}

static const catalog_area *area_by_id(const catalog *c, const char *id)
{
    for (size_t i = 0; i < c->n_areas; i++)
        if (c->areas[i].id && strcmp(c->areas[i].id, id) == 0) return &c->areas[i];
    return NULL;
}

static void load_spec_area(loader *ld, const json_value *v, const char *path, catalog_spec *owner,
                           catalog_spec_area *sa, size_t index)
{
    static const char *const keys[] = { "area", "id", "proficiency", "knowledge", NULL };
    static const char *const required[] = { "area", "id", "proficiency", NULL };
    sa->owner = owner;
    if (!check_object(ld, v, path, keys, required)) return;
    const char *area_id = get_text(ld, v, "area", path);
    if (area_id) {
        sa->area = area_by_id(ld->c, area_id);
        if (!sa->area) {
            char p[300];
            path_key(p, sizeof p, path, "area");
            load_error(ld, json_member_get(v, "area")->value, 0, 0, p,
                       "undefined skill area \"%s\" (not in skill_areas)", area_id);
        } else {
            for (size_t i = 0; i < index; i++)
                if (owner->areas[i].area == sa->area) {
                    char p[300];
                    path_key(p, sizeof p, path, "area");
                    load_error(ld, json_member_get(v, "area")->value, 0, 0, p,
                               "skill area \"%s\" appears twice in this specialization", area_id);
                }
        }
    }
    catalog_element proto = { .kind = CK_SPEC_AREA, .spec = owner, .spec_area = sa, .area = sa->area,
                              .index = (int)index };
    sa->id = take_id(ld, v, path, proto);

    const json_value *prof = get_array(ld, v, "proficiency", path);
    if (prof) {
        catalog_proficiency *ps = arena_alloc(&ld->c->mem, prof->n_elements * sizeof *ps);
        for (size_t i = 0; i < prof->n_elements; i++) {
            static const char *const pkeys[] = { "id", "level", "text", NULL };
            char p[300], pp[320];
            path_key(pp, sizeof pp, path, "proficiency");
            path_index(p, sizeof p, pp, i);
            const json_value *pv = prof->elements[i];
            if (!check_object(ld, pv, p, pkeys, pkeys)) continue;
            ps[i].level = get_int(ld, pv, "level", p);
            if (!level_in_range(ld, ps[i].level, pv, p)) ps[i].level = 0;
            for (size_t j = 0; j < i; j++)
                if (ps[i].level && ps[j].level == ps[i].level)
                    load_error(ld, json_member_get(pv, "level")->value, 0, 0, p,
                               "proficiency for level %d given twice", ps[i].level);
            ps[i].text = get_text(ld, pv, "text", p);
            proto.kind = CK_PROFICIENCY;
            proto.proficiency = &ps[i];
            proto.index = (int)i;
            ps[i].id = take_id(ld, pv, p, proto);
        }
        sa->proficiency = ps;
        sa->n_proficiency = prof->n_elements;
    }
    proto.proficiency = NULL;

    const json_value *kn = get_array(ld, v, "knowledge", path);
    if (kn) {
        catalog_knowledge_category *ks = arena_alloc(&ld->c->mem, kn->n_elements * sizeof *ks);
        for (size_t i = 0; i < kn->n_elements; i++) {
            static const char *const kkeys[] = { "id", "name", "items", NULL };
            char p[300], pp[320], pi[340];
            path_key(pp, sizeof pp, path, "knowledge");
            path_index(p, sizeof p, pp, i);
            const json_value *kv = kn->elements[i];
            if (!check_object(ld, kv, p, kkeys, kkeys)) continue;
            ks[i].name = get_text(ld, kv, "name", p);
            proto.kind = CK_KNOWLEDGE_CATEGORY;
            proto.category = &ks[i];
            proto.index = (int)i;
            ks[i].id = take_id(ld, kv, p, proto);
            proto.kind = CK_KNOWLEDGE_ITEM;
            path_key(pi, sizeof pi, p, "items");
            ks[i].items = load_items(ld, get_array(ld, kv, "items", p), pi, &ks[i].n_items, proto);
        }
        sa->knowledge = ks;
        sa->n_knowledge = kn->n_elements;
    }
}

/* Loads the levels and skill areas shared by specializations and common blocks. */
static void load_spec_body(loader *ld, const json_value *v, const char *path, catalog_spec *s)
{
    char p[300], pi[320];
    path_key(p, sizeof p, path, "levels");
    const json_value *levels = get_array(ld, v, "levels", path);
    if (levels) {
        catalog_level *ls = arena_alloc(&ld->c->mem, levels->n_elements * sizeof *ls);
        s->levels = ls;
        s->n_levels = levels->n_elements;
        for (size_t i = 0; i < levels->n_elements; i++) {
            path_index(pi, sizeof pi, p, i);
            load_level(ld, levels->elements[i], pi, s, &ls[i], i);
            for (size_t j = 0; j < i; j++)
                if (ls[i].level && ls[j].level == ls[i].level)
                    load_error(ld, levels->elements[i], 0, 0, pi, "level %d given twice in \"%s\"",
                               ls[i].level, s->id ? s->id : "?");
        }
    }
    path_key(p, sizeof p, path, "skill_areas");
    const json_value *areas = get_array(ld, v, "skill_areas", path);
    if (areas) {
        catalog_spec_area *as = arena_alloc(&ld->c->mem, areas->n_elements * sizeof *as);
        s->areas = as;
        s->n_areas = areas->n_elements;
        for (size_t i = 0; i < areas->n_elements; i++) {
            path_index(pi, sizeof pi, p, i);
            load_spec_area(ld, areas->elements[i], pi, s, &as[i], i);
        }
    }
}

static void load_specs(loader *ld, const json_value *root)
{
    static const char *const keys[] = { "id", "code", "name", "description", "levels", "skill_areas", NULL };
    const json_value *arr = get_array(ld, root, "specializations", "");
    if (!arr) return;
    if (arr->n_elements == 0)
        load_error(ld, arr, 0, 0, "specializations", "at least one specialization is needed");
    catalog *c = ld->c;
    c->specs = arena_alloc(&c->mem, arr->n_elements * sizeof *c->specs);
    c->n_specs = arr->n_elements;
    for (size_t i = 0; i < arr->n_elements; i++) {
        char p[300];
        path_index(p, sizeof p, "specializations", i);
        const json_value *v = arr->elements[i];
        catalog_spec *s = &c->specs[i];
        if (!check_object(ld, v, p, keys, keys)) continue;
        s->code = get_text(ld, v, "code", p);
        s->name = get_text(ld, v, "name", p);
        s->description = get_text(ld, v, "description", p);
        s->id = take_id(ld, v, p, (catalog_element){ .kind = CK_SPEC, .spec = s, .index = (int)i });
        load_spec_body(ld, v, p, s);
    }
}

static void load_commons(loader *ld, const json_value *root)
{
    static const char *const keys[] = { "id", "code", "name", "shared_by", "levels", "skill_areas", NULL };
    catalog *c = ld->c;
    const json_value *arr = get_array(ld, root, "common_levels", "");
    if (!arr) return;
    c->commons = arena_alloc(&c->mem, arr->n_elements * sizeof *c->commons);
    c->n_commons = arr->n_elements;
    for (size_t i = 0; i < arr->n_elements; i++) {
        char p[300], ps[320], pe[340];
        path_index(p, sizeof p, "common_levels", i);
        const json_value *v = arr->elements[i];
        catalog_spec *s = &c->commons[i];
        s->is_common = 1;
        if (!check_object(ld, v, p, keys, keys)) continue;
        s->code = get_text(ld, v, "code", p);
        s->name = get_text(ld, v, "name", p);
        s->id = take_id(ld, v, p, (catalog_element){ .kind = CK_SPEC, .spec = s, .index = (int)i });
        const json_value *shared = get_array(ld, v, "shared_by", p);
        path_key(ps, sizeof ps, p, "shared_by");
        if (shared) {
            const catalog_spec **by = arena_alloc(&c->mem, shared->n_elements * sizeof *by);
            if (shared->n_elements == 0) load_error(ld, shared, 0, 0, ps, "shared_by names no specialization");
            for (size_t j = 0; j < shared->n_elements; j++) {
                const json_value *e = shared->elements[j];
                path_index(pe, sizeof pe, ps, j);
                if (e->type != JV_STRING) {
                    load_error(ld, e, 0, 0, pe, "expected a string, found %s", json_type_name(e->type));
                    continue;
                }
                for (size_t k = 0; k < c->n_specs; k++)
                    if (c->specs[k].id && strcmp(c->specs[k].id, e->string) == 0) by[j] = &c->specs[k];
                if (!by[j]) load_error(ld, e, 0, 0, pe, "undefined specialization \"%s\"", e->string);
            }
            s->shared_by = by;
            s->n_shared_by = shared->n_elements;
        }
        load_spec_body(ld, v, p, s);
        /* a shared level may not also be one of the sharing specialization's own */
        for (size_t j = 0; j < s->n_shared_by; j++) {
            const catalog_spec *own = s->shared_by[j];
            if (!own) continue;
            for (size_t a = 0; a < s->n_levels; a++)
                for (size_t b = 0; b < own->n_levels; b++)
                    if (s->levels[a].level && s->levels[a].level == own->levels[b].level) {
                        path_index(pe, sizeof pe, ps, j);
                        load_error(ld, shared->elements[j], 0, 0, pe,
                                   "level %d is both %s's own and shared from %s",
                                   own->levels[b].level, own->id, s->id ? s->id : "?");
                    }
        }
    }
}

static void load_areas(loader *ld, const json_value *root)
{
    static const char *const keys[] = { "id", "code", "name", "kind", "description", NULL };
    catalog *c = ld->c;
    const json_value *arr = get_array(ld, root, "skill_areas", "");
    if (!arr) return;
    if (arr->n_elements == 0) load_error(ld, arr, 0, 0, "skill_areas", "at least one skill area is needed");
    c->areas = arena_alloc(&c->mem, arr->n_elements * sizeof *c->areas);
    c->n_areas = arr->n_elements;
    for (size_t i = 0; i < arr->n_elements; i++) {
        char p[300], pk[320];
        path_index(p, sizeof p, "skill_areas", i);
        const json_value *v = arr->elements[i];
        catalog_area *a = &c->areas[i];
        if (!check_object(ld, v, p, keys, keys)) continue;
        a->code = get_text(ld, v, "code", p);
        a->name = get_text(ld, v, "name", p);
        a->description = get_text(ld, v, "description", p);
        const char *kind = get_text(ld, v, "kind", p);
        if (kind) {
            if (strcmp(kind, "specific") == 0) a->is_specific = 1;
            else if (strcmp(kind, "common") != 0) {
                path_key(pk, sizeof pk, p, "kind");
                load_error(ld, json_member_get(v, "kind")->value, 0, 0, pk,
                           "kind must be \"common\" or \"specific\", not \"%s\"", kind);
            }
        }
        a->id = take_id(ld, v, p, (catalog_element){ .kind = CK_AREA, .area = a, .index = (int)i });
    }
}

static void load_notes(loader *ld, const json_value *root)
{
    static const char *const keys[] = { "id", "about", "text", NULL };
    catalog *c = ld->c;
    const json_value *arr = get_array(ld, root, "notes", "");
    if (!arr) return;
    c->notes = arena_alloc(&c->mem, arr->n_elements * sizeof *c->notes);
    c->n_notes = arr->n_elements;
    for (size_t i = 0; i < arr->n_elements; i++) {
        char p[300];
        path_index(p, sizeof p, "notes", i);
        const json_value *v = arr->elements[i];
        catalog_note *n = &c->notes[i];
        if (!check_object(ld, v, p, keys, keys)) continue;
        n->about = get_text(ld, v, "about", p);
        n->text = get_text(ld, v, "text", p);
        n->id = take_id(ld, v, p, (catalog_element){ .kind = CK_NOTE, .note = n, .index = (int)i });
    }
}

/* Checks references that may point forward (notes' `about`), once all ids are known. */
static void check_note_refs(loader *ld, const json_value *root)
{
    catalog *c = ld->c;
    const json_value *arr = get_array(ld, root, "notes", "");
    for (size_t i = 0; arr && i < c->n_notes; i++) {
        const char *about = c->notes[i].about;
        if (!about || (c->id && strcmp(about, c->id) == 0) || index_lookup(c, about) >= 0) continue;
        char p[300];
        path_index(p, sizeof p, "notes", i);
        strncat(p, ".about", sizeof p - strlen(p) - 1);
        load_error(ld, json_member_get(arr->elements[i], "about")->value, 0, 0, p,
                   "note is about \"%s\", which the catalog does not define", about);
    }
}

static void load_header(loader *ld, const json_value *root)
{
    catalog *c = ld->c;
    c->format = get_text(ld, root, "format", "");
    const json_member *fm = json_member_get(root, "format");
    if (c->format && strcmp(c->format, "itss-catalog") != 0)
        load_error(ld, fm->value, 0, 0, "format", "not an itss catalog (format is \"%s\", expected \"itss-catalog\")",
                   c->format);
    int fv = get_int(ld, root, "format_version", "");
    if (fv != INT32_MIN && fv != 1)
        load_error(ld, json_member_get(root, "format_version")->value, 0, 0, "format_version",
                   "format_version %d is not supported (this itss reads version 1)", fv);
    c->id = get_text(ld, root, "id", "");
    if (c->id && !id_well_formed(c->id))
        load_error(ld, json_member_get(root, "id")->value, 0, 0, "id", "malformed catalog id \"%s\"", c->id);
    c->version = get_text(ld, root, "version", "");
    c->title = get_text(ld, root, "title", "");

    static const char *const skeys[] = { "document", "publisher", "file", NULL };
    static const char *const sreq[] = { "document", "publisher", NULL };
    const json_member *src = json_member_get(root, "source");
    if (src && check_object(ld, src->value, "source", skeys, sreq)) {
        c->source_document = get_text(ld, src->value, "document", "source");
        c->source_publisher = get_text(ld, src->value, "publisher", "source");
        c->source_file = get_text(ld, src->value, "file", "source");
    }
    static const char *const lkeys[] = { "min", "max", NULL };
    const json_member *lr = json_member_get(root, "level_range");
    c->level_min = 1;
    c->level_max = 7;
    if (lr && check_object(ld, lr->value, "level_range", lkeys, lkeys)) {
        int lo = get_int(ld, lr->value, "min", "level_range");
        int hi = get_int(ld, lr->value, "max", "level_range");
        if (lo != INT32_MIN && hi != INT32_MIN) {
            if (lo < 0 || hi < lo || hi > 99)
                load_error(ld, lr->value, 0, 0, "level_range", "level_range %d..%d is not a range of levels", lo, hi);
            else { c->level_min = lo; c->level_max = hi; }
        }
    }
    static const char *const jkeys[] = { "id", "name", "overview", NULL };
    const json_member *job = json_member_get(root, "job_category");
    if (job && check_object(ld, job->value, "job_category", jkeys, jkeys)) {
        c->job_name = get_text(ld, job->value, "name", "job_category");
        c->job_overview = get_text(ld, job->value, "overview", "job_category");
        catalog_item *overview = arena_alloc(&c->mem, sizeof *overview);
        overview->text = c->job_overview;
        c->job_id = take_id(ld, job->value, "job_category",
                            (catalog_element){ .kind = CK_JOB, .item = overview });
        overview->id = c->job_id;
        ld->job_prefix = c->job_id;
    }
}

/* Fills the folded names used by catalog_spec_find and catalog_area_find. */
static void build_folds(catalog *c)
{
    c->area_folds = arena_alloc(&c->mem, (c->n_areas * 3 + 1) * sizeof *c->area_folds);
    for (size_t i = 0; i < c->n_areas; i++) {
        const char *src[3] = { c->areas[i].code, c->areas[i].id, c->areas[i].name };
        for (int k = 0; k < 3; k++) {
            char *f = text_fold(src[k]);
            c->area_folds[i * 3 + k] = f ? arena_strdup(&c->mem, f) : "";
            free(f);
        }
    }
    size_t n = c->n_specs + c->n_commons;
    c->spec_folds = arena_alloc(&c->mem, (n * 3 + 1) * sizeof *c->spec_folds);
    for (size_t i = 0; i < n; i++) {
        const catalog_spec *s = i < c->n_specs ? &c->specs[i] : &c->commons[i - c->n_specs];
        const char *src[3] = { s->code, s->id, s->name };
        for (int k = 0; k < 3; k++) {
            char *f = text_fold(src[k]);
            c->spec_folds[i * 3 + k] = f ? arena_strdup(&c->mem, f) : "";
            free(f);
        }
    }
}

/* Loads and validates catalog text; see catalog.h. */
catalog *catalog_load_buffer(const char *text, size_t len, const char *name, err_list *errors)
{
    err_list local;
    if (!errors) { memset(&local, 0, sizeof local); errors = &local; }
    if (len > CATALOG_MAX_FILE) {
        err_add(errors, name, 0, 0, "", "file is %zu bytes; a catalog may be at most %u bytes", len, CATALOG_MAX_FILE);
        return NULL;
    }
    if (len == 0) {
        err_add(errors, name, 1, 1, "", "empty file: a catalog is a JSON object");
        return NULL;
    }
    err e;
    json_value *root = json_parse(text, len, name, &e);
    if (!root) {
        if (errors->count < ERR_LIST_MAX) errors->items[errors->count++] = e; else errors->dropped++;
        return NULL;
    }
    catalog *c = calloc(1, sizeof *c);
    if (!c) { json_free(root); return NULL; }
    loader ld = { c, name, errors, 0, NULL };
    c->name = arena_strdup(&c->mem, name ? name : "");
    static const char *const keys[] = { "format", "format_version", "id", "version", "title", "source",
                                        "level_range", "job_category", "skill_areas", "specializations",
                                        "common_levels", "notes", NULL };
    static const char *const required[] = { "format", "format_version", "id", "version", "title", "source",
                                            "level_range", "job_category", "skill_areas", "specializations",
                                            NULL };
    if (check_object(&ld, root, "", keys, required)) {
        load_header(&ld, root);
        if (c->job_id) {
            load_areas(&ld, root);
            load_specs(&ld, root);
            load_commons(&ld, root);
            load_notes(&ld, root);
            check_note_refs(&ld, root);
        }
    }
    json_free(root);
    if (ld.n_errors) { catalog_free(c); return NULL; }
    build_folds(c);
    return c;
}

/* Reads a file (at most CATALOG_MAX_FILE bytes) and loads it. */
catalog *catalog_load_file(const char *path, err_list *errors)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_add(errors, path, 0, 0, "", "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        err_add(errors, path, 0, 0, "", "is a directory, not a catalog file");
        return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (unsigned long long)st.st_size > CATALOG_MAX_FILE) {
        fclose(f);
        err_add(errors, path, 0, 0, "", "file is %lld bytes; a catalog may be at most %u bytes",
                (long long)st.st_size, CATALOG_MAX_FILE);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (;;) {
        if (!text) { fclose(f); err_add(errors, path, 0, 0, "", "out of memory"); return NULL; }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
        if (len > CATALOG_MAX_FILE) break;
        if (len == cap) { cap *= 2; char *g = realloc(text, cap); if (!g) free(text); text = g; }
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(text);
        err_add(errors, path, 0, 0, "", "read error");
        return NULL;
    }
    catalog *c = catalog_load_buffer(text, len, path, errors);
    free(text);
    return c;
}

/* The catalog compiled into the binary. */
catalog *catalog_load_builtin(err_list *errors)
{
    return catalog_load_buffer((const char *)catalog_builtin_json, catalog_builtin_json_len,
                               "builtin:catalog/customer-service.json", errors);
}

void catalog_free(catalog *c)
{
    if (!c) return;
    free(c->elements);
    free(c->index);
    arena_free(&c->mem);
    free(c);
}

/* ---- accessors ---- */

const char *catalog_id(const catalog *c) { return c->id; }
const char *catalog_version(const catalog *c) { return c->version; }
const char *catalog_title(const catalog *c) { return c->title; }
const char *catalog_name(const catalog *c) { return c->name; }
const char *catalog_job_id(const catalog *c) { return c->job_id; }
const char *catalog_job_name(const catalog *c) { return c->job_name; }
const char *catalog_job_overview(const catalog *c) { return c->job_overview; }
const char *catalog_source_document(const catalog *c) { return c->source_document; }
const char *catalog_source_publisher(const catalog *c) { return c->source_publisher; }
const char *catalog_source_file(const catalog *c) { return c->source_file; }
int catalog_level_min(const catalog *c) { return c->level_min; }
int catalog_level_max(const catalog *c) { return c->level_max; }
size_t catalog_area_count(const catalog *c) { return c->n_areas; }
const catalog_area *catalog_area_at(const catalog *c, size_t i) { return i < c->n_areas ? &c->areas[i] : NULL; }
size_t catalog_spec_count(const catalog *c) { return c->n_specs; }
const catalog_spec *catalog_spec_at(const catalog *c, size_t i) { return i < c->n_specs ? &c->specs[i] : NULL; }
size_t catalog_common_count(const catalog *c) { return c->n_commons; }
const catalog_spec *catalog_common_at(const catalog *c, size_t i) { return i < c->n_commons ? &c->commons[i] : NULL; }
size_t catalog_note_count(const catalog *c) { return c->n_notes; }
const catalog_note *catalog_note_at(const catalog *c, size_t i) { return i < c->n_notes ? &c->notes[i] : NULL; }
size_t catalog_element_count(const catalog *c) { return c->n_elements; }
const catalog_element *catalog_element_at(const catalog *c, size_t i)
{
    return i < c->n_elements ? &c->elements[i] : NULL;
}

/* Compares name with a folded table entry, ignoring case and width. */
static int folded_match(const char *const *folds, size_t n, const char *name)
{
    char *f = text_fold(name);
    if (!f) return -1;
    int found = -1;
    for (size_t i = 0; i < n * 3 && found < 0; i++)
        if (strcmp(folds[i], f) == 0) found = (int)(i / 3);
    free(f);
    return found;
}

const catalog_spec *catalog_spec_find(const catalog *c, const char *name)
{
    int i = folded_match(c->spec_folds, c->n_specs + c->n_commons, name);
    if (i < 0) return NULL;
    return (size_t)i < c->n_specs ? &c->specs[i] : &c->commons[(size_t)i - c->n_specs];
}

const catalog_area *catalog_area_find(const catalog *c, const char *name)
{
    int i = folded_match(c->area_folds, c->n_areas, name);
    return i < 0 ? NULL : &c->areas[i];
}

/* Own level first, then the common blocks that list spec in shared_by. */
const catalog_level *catalog_level_of(const catalog *c, const catalog_spec *spec, int level)
{
    for (size_t i = 0; i < spec->n_levels; i++)
        if (spec->levels[i].level == level) return &spec->levels[i];
    if (spec->is_common) return NULL;
    for (size_t b = 0; b < c->n_commons; b++) {
        const catalog_spec *cb = &c->commons[b];
        for (size_t j = 0; j < cb->n_shared_by; j++)
            if (cb->shared_by[j] == spec)
                for (size_t i = 0; i < cb->n_levels; i++)
                    if (cb->levels[i].level == level) return &cb->levels[i];
    }
    return NULL;
}

void catalog_spec_level_range(const catalog *c, const catalog_spec *spec, int *lo, int *hi)
{
    int a = 0, b = 0;
    for (int l = c->level_min; l <= c->level_max; l++)
        if (catalog_level_of(c, spec, l)) { if (!a) a = l; b = l; }
    *lo = a;
    *hi = b;
}

static const catalog_spec_area *spec_area_in(const catalog_spec *s, const catalog_area *area)
{
    for (size_t i = 0; i < s->n_areas; i++)
        if (s->areas[i].area == area) return &s->areas[i];
    return NULL;
}

const catalog_spec_area *catalog_spec_area_of(const catalog *c, const catalog_spec *spec,
                                              const catalog_area *area, int level)
{
    const catalog_level *l = catalog_level_of(c, spec, level);
    const catalog_spec *owner = l ? l->owner : spec;
    const catalog_spec_area *sa = spec_area_in(owner, area);
    if (sa && catalog_proficiency_at(sa, level)) return sa;
    /* proficiency may exist for a level without achievement indicators */
    sa = spec_area_in(spec, area);
    if (sa && catalog_proficiency_at(sa, level)) return sa;
    for (size_t b = 0; !spec->is_common && b < c->n_commons; b++)
        for (size_t j = 0; j < c->commons[b].n_shared_by; j++)
            if (c->commons[b].shared_by[j] == spec) {
                const catalog_spec_area *csa = spec_area_in(&c->commons[b], area);
                if (csa && catalog_proficiency_at(csa, level)) return csa;
            }
    return NULL;
}

const catalog_spec_area *catalog_spec_area_own(const catalog_spec *spec, const catalog_area *area)
{
    return spec_area_in(spec, area);
}

int catalog_block_of(const catalog_spec *block, const catalog_spec *spec)
{
    if (!block)
        return 0;
    if (block == spec)
        return 1;
    for (size_t i = 0; block->is_common && i < block->n_shared_by; i++)
        if (block->shared_by[i] == spec)
            return 1;
    return 0;
}

size_t catalog_commons_of(const catalog *c, const catalog_spec *spec, const catalog_spec **out, size_t max)
{
    size_t n = 0;
    for (size_t b = 0; b < c->n_commons && n < max; b++)
        if (catalog_block_of(&c->commons[b], spec))
            out[n++] = &c->commons[b];
    return n;
}

size_t catalog_spec_area_blocks(const catalog *c, const catalog_spec *spec, const catalog_area *area,
                                const catalog_spec_area **out, size_t max)
{
    size_t n = 0;
    const catalog_spec_area *sa = spec_area_in(spec, area);
    if (sa && n < max)
        out[n++] = sa;
    for (size_t b = 0; b < c->n_commons && n < max; b++)
        if (catalog_block_of(&c->commons[b], spec) && (sa = spec_area_in(&c->commons[b], area)))
            out[n++] = sa;
    return n;
}

const catalog_proficiency *catalog_proficiency_at(const catalog_spec_area *sa, int level)
{
    for (size_t i = 0; i < sa->n_proficiency; i++)
        if (sa->proficiency[i].level == level) return &sa->proficiency[i];
    return NULL;
}

int catalog_find(const catalog *c, const char *id, catalog_element *out)
{
    long i = index_lookup(c, id);
    if (i < 0) return 0;
    if (out) *out = c->elements[i];
    return 1;
}

const char *catalog_element_text(const catalog_element *e)
{
    switch (e->kind) {
    case CK_NONE: case CK_LEVEL: return NULL;
    case CK_JOB: return e->item ? e->item->text : NULL;
    case CK_AREA: return e->area->description;
    case CK_SPEC: return e->spec->description ? e->spec->description : e->spec->name;
    case CK_RESPONSIBILITY: case CK_CHECK_ITEM: case CK_CRITERION_NOTE: case CK_KNOWLEDGE_ITEM:
        return e->item->text;
    case CK_CRITERION: return e->criterion->lead;
    case CK_SPEC_AREA: return e->area ? e->area->name : NULL;
    case CK_PROFICIENCY: return e->proficiency->text;
    case CK_KNOWLEDGE_CATEGORY: return e->category->name;
    case CK_NOTE: return e->note->text;
    }
    return NULL;
}

const char *catalog_criterion_key(catalog_criterion_kind k)
{
    static const char *const keys[] = { "complexity", "size", "task" };
    return (unsigned)k < CRITERION_KINDS ? keys[k] : "?";
}

const char *catalog_criterion_label(catalog_criterion_kind k)
{
    static const char *const labels[] = { "複雑性", "サイズ", "タスク特性" };
    return (unsigned)k < CRITERION_KINDS ? labels[k] : "?";
}

const char *catalog_kind_name(catalog_kind k)
{
    static const char *const names[] = { "none", "job_category", "skill_area", "specialization", "level",
        "responsibility", "criterion", "check_item", "criterion_note", "spec_area", "proficiency",
        "knowledge_category", "knowledge_item", "note" };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
