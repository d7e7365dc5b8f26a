/* assessment_json.c - reads and writes the assessment file (docs/assessment-format.md). */
#include "assessment_json.h"
#include "json.h"
#include "rules.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- reading ---- */

typedef struct reader {
    const char *name;
    const catalog *c;
    err_list *errors;
    size_t n_errors;
    const char **record_ids;    /* every experience id the file gives, valid record or not */
    size_t n_record_ids;
} reader;

static void fail(reader *r, int line, int column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Records one error at line:column and path. */
static void fail(reader *r, int line, int column, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->n_errors++;
    err_add(r->errors, r->name, line, column, path, "%s", msg);
}

static void fail_at(reader *r, const json_value *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records one error at the place of value v. */
static void fail_at(reader *r, const json_value *v, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->n_errors++;
    err_add(r->errors, r->name, v->line, v->column, path, "%s", msg);
}

/* Writes path.key (or key at the root) into dst. */
static void path_key(char *dst, size_t size, const char *path, const char *key)
{
    snprintf(dst, size, "%s%s%s", path, path[0] ? "." : "", key);
}

/* Writes path[i] into dst. */
static void path_index(char *dst, size_t size, const char *path, size_t i)
{
    snprintf(dst, size, "%s[%zu]", path, i);
}

/* Reports unknown and missing members; 0 when v is not an object. */
static int check_object(reader *r, const json_value *v, const char *path,
                        const char *const *allowed, const char *const *required)
{
    if (v->type != JV_OBJECT) {
        fail_at(r, v, path, "expected an object, found %s", json_type_name(v->type));
        return 0;
    }
    for (size_t i = 0; i < v->n_members; i++) {
        const json_member *m = &v->members[i];
        int known = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, m->key) == 0)
                known = 1;
        if (!known) {
            char p[300];
            path_key(p, sizeof p, path, m->key);
            fail(r, m->line, m->column, p, "unknown key \"%s\"", m->key);
        }
    }
    for (const char *const *q = required; *q; q++)
        if (!json_member_get(v, *q))
            fail_at(r, v, path, "missing required key \"%s\"", *q);
    return 1;
}

/* The string member key of obj (borrowed from the tree), or NULL when absent,
 * null (where allow_null) or wrong (reported). Empty strings are refused when
 * non_empty. */
static const char *get_string(reader *r, const json_value *obj, const char *key, const char *path,
                              int non_empty, int allow_null)
{
    const json_member *m = json_member_get(obj, key);
    if (!m)
        return NULL;
    char p[300];
    path_key(p, sizeof p, path, key);
    if (allow_null && m->value->type == JV_NULL)
        return NULL;
    if (m->value->type != JV_STRING) {
        fail_at(r, m->value, p, "expected a string, found %s", json_type_name(m->value->type));
        return NULL;
    }
    if (non_empty && m->value->string_len == 0) {
        fail_at(r, m->value, p, "empty text");
        return NULL;
    }
    return m->value->string;
}

/* obj.key as 0/1; -1 when absent or not a boolean (reported). */
static int get_bool(reader *r, const json_value *obj, const char *key, const char *path)
{
    const json_member *m = json_member_get(obj, key);
    if (!m)
        return -1;
    if (m->value->type != JV_TRUE && m->value->type != JV_FALSE) {
        char p[300];
        path_key(p, sizeof p, path, key);
        fail_at(r, m->value, p, "expected true or false, found %s", json_type_name(m->value->type));
        return -1;
    }
    return m->value->type == JV_TRUE;
}

/* obj.key as an integer in lo..hi; NO_INT when absent or wrong (reported). */
#define NO_INT (-1000)
static int get_int(reader *r, const json_value *obj, const char *key, const char *path, int lo, int hi)
{
    const json_member *m = json_member_get(obj, key);
    if (!m)
        return NO_INT;
    char p[300];
    path_key(p, sizeof p, path, key);
    const json_value *v = m->value;
    if (v->type != JV_NUMBER || !v->is_integer) {
        fail_at(r, v, p, "expected an integer from %d to %d, found %s", lo, hi,
                v->type == JV_NUMBER ? "a fraction" : json_type_name(v->type));
        return NO_INT;
    }
    if (v->number < lo || v->number > hi) {
        fail_at(r, v, p, "%.0f is out of range: expected %d to %d", v->number, lo, hi);
        return NO_INT;
    }
    return (int)v->number;
}

/* obj.key when it is an array, else NULL (wrong type reported). */
static const json_value *get_array(reader *r, const json_value *obj, const char *key, const char *path)
{
    const json_member *m = json_member_get(obj, key);
    if (!m)
        return NULL;
    if (m->value->type != JV_ARRAY) {
        char p[300];
        path_key(p, sizeof p, path, key);
        fail_at(r, m->value, p, "expected an array, found %s", json_type_name(m->value->type));
        return NULL;
    }
    return m->value;
}

/* A period member ("YYYY-MM"), borrowed, or NULL (absent, null where allowed, or bad: reported). */
static const char *get_month(reader *r, const json_value *obj, const char *key, const char *path, int allow_null)
{
    const char *s = get_string(r, obj, key, path, 1, allow_null);
    if (s && !rules_is_month(s)) {
        char p[300];
        path_key(p, sizeof p, path, key);
        fail_at(r, json_member_get(obj, key)->value, p, "\"%s\" is not a month: expected YYYY-MM such as 2024-04", s);
        return NULL;
    }
    return s;
}

/* The specialization named by id (not a common-level block), or NULL (reported at v). */
static const catalog_spec *spec_by_id(reader *r, const json_value *v, const char *path, const char *id)
{
    catalog_element e;
    if (!catalog_find(r->c, id, &e)) {
        fail_at(r, v, path, "unknown specialization \"%s\" in catalog %s %s", id, catalog_id(r->c),
                catalog_version(r->c));
        return NULL;
    }
    if (e.kind != CK_SPEC || e.spec->is_common) {
        fail_at(r, v, path, "\"%s\" is a %s, not a specialization", id,
                e.kind == CK_SPEC ? "block of common levels" : catalog_kind_name(e.kind));
        return NULL;
    }
    return e.spec;
}

/* Reads a list of checklist item ids of criterion kind for spec at level (0:
 * not known); fills ids[] (borrowed). */
static size_t read_item_list(reader *r, const json_value *arr, const char *path, const catalog_spec *spec,
                             int level, catalog_criterion_kind kind, const char **ids)
{
    const catalog_level *lv = spec && level ? catalog_level_of(r->c, spec, level) : NULL;
    size_t n = 0;
    for (size_t i = 0; i < arr->n_elements; i++) {
        const json_value *v = arr->elements[i];
        char p[300];
        path_index(p, sizeof p, path, i);
        if (v->type != JV_STRING) {
            fail_at(r, v, p, "expected an item id, found %s", json_type_name(v->type));
            continue;
        }
        catalog_element e;
        if (!catalog_find(r->c, v->string, &e)) {
            fail_at(r, v, p, "unknown id \"%s\" in catalog %s %s", v->string, catalog_id(r->c),
                    catalog_version(r->c));
            continue;
        }
        if (e.kind != CK_CHECK_ITEM || e.criterion->kind != kind) {
            fail_at(r, v, p, "\"%s\" is not a %s checklist item", v->string, catalog_criterion_label(kind));
            continue;
        }
        if (spec && catalog_level_of(r->c, spec, e.level->level) != e.level) {
            fail_at(r, v, p, "\"%s\" is not an item of %s", v->string, spec->name);
            continue;
        }
        if (lv && e.level != lv) {
            fail_at(r, v, p, "\"%s\" is an item of level %d, not of the record's level %d", v->string,
                    e.level->level, level);
            continue;
        }
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            if (strcmp(ids[j], v->string) == 0)
                dup = 1;
        if (dup) {
            fail_at(r, v, p, "\"%s\" is listed twice", v->string);
            continue;
        }
        ids[n++] = v->string;
    }
    return n;
}

/* Reads one experience record into a when it has no error. */
static void read_experience(reader *r, const json_value *v, const char *path, assessment *a)
{
    static const char *const keys[] = { "id", "project", "from", "to", "role", "specialization", "level",
                                        "complexity", "size", "succeeded", "description", NULL };
    static const char *const required[] = { "id", "project", "from", "specialization", "level",
                                            "succeeded", NULL };
    if (!check_object(r, v, path, keys, required))
        return;
    size_t before = r->n_errors;
    assessment_experience x;
    memset(&x, 0, sizeof x);
    x.id = (char *)get_string(r, v, "id", path, 1, 0);
    if (x.id && assessment_find_experience(a, x.id)) {
        char p[300];
        path_key(p, sizeof p, path, "id");
        fail_at(r, json_member_get(v, "id")->value, p, "experience id \"%s\" is used twice", x.id);
    }
    x.project = (char *)get_string(r, v, "project", path, 1, 0);
    x.period_from = (char *)get_month(r, v, "from", path, 0);
    x.period_to = (char *)get_month(r, v, "to", path, 1);
    if (x.period_from && x.period_to && strcmp(x.period_to, x.period_from) < 0) {
        char p[300];
        path_key(p, sizeof p, path, "to");
        fail_at(r, json_member_get(v, "to")->value, p, "the period ends (%s) before it starts (%s)",
                x.period_to, x.period_from);
    }
    x.role = (char *)get_string(r, v, "role", path, 0, 1);
    x.description = (char *)get_string(r, v, "description", path, 0, 1);
    x.specialization_id = (char *)get_string(r, v, "specialization", path, 1, 0);
    const catalog_spec *spec = NULL;
    if (x.specialization_id) {
        char p[300];
        path_key(p, sizeof p, path, "specialization");
        spec = spec_by_id(r, json_member_get(v, "specialization")->value, p, x.specialization_id);
    }
    int lo = catalog_level_min(r->c), hi = catalog_level_max(r->c);
    x.level = get_int(r, v, "level", path, lo, hi);
    if (spec && x.level != NO_INT && !catalog_level_of(r->c, spec, x.level)) {
        char p[300];
        path_key(p, sizeof p, path, "level");
        int slo, shi;
        catalog_spec_level_range(r->c, spec, &slo, &shi);
        fail_at(r, json_member_get(v, "level")->value, p, "%s has no level %d (it has levels %d to %d)",
                spec->name, x.level, slo, shi);
    }
    x.succeeded = get_bool(r, v, "succeeded", path);
    int level = x.level != NO_INT && spec && catalog_level_of(r->c, spec, x.level) ? x.level : 0;

    const json_value *complexity = get_array(r, v, "complexity", path);
    const json_value *size = get_array(r, v, "size", path);
    const char **cids = xcalloc(complexity ? complexity->n_elements + 1 : 1, sizeof *cids);
    const char **sids = xcalloc(size ? size->n_elements + 1 : 1, sizeof *sids);
    char p[300];
    if (complexity) {
        path_key(p, sizeof p, path, "complexity");
        x.n_complexity_items = read_item_list(r, complexity, p, spec, level, CRITERION_COMPLEXITY, cids);
    }
    if (size) {
        path_key(p, sizeof p, path, "size");
        x.n_size_items = read_item_list(r, size, p, spec, level, CRITERION_SIZE, sids);
    }
    x.complexity_items = (char **)cids;
    x.size_items = (char **)sids;
    if (r->n_errors == before)
        assessment_add_experience(a, &x);
    free(cids);
    free(sids);
}

/* Reads one contribution into a when it has no error. */
static void read_contribution(reader *r, const json_value *v, const char *path, assessment *a)
{
    static const char *const keys[] = { "kind", "title", "date", "description", NULL };
    static const char *const required[] = { "kind", "title", NULL };
    if (!check_object(r, v, path, keys, required))
        return;
    size_t before = r->n_errors;
    assessment_contribution x;
    memset(&x, 0, sizeof x);
    const char *kind = get_string(r, v, "kind", path, 1, 0);
    if (kind) {
        int k = contribution_kind_parse(kind);
        if (k < 0) {
            char p[300];
            path_key(p, sizeof p, path, "kind");
            fail_at(r, json_member_get(v, "kind")->value, p,
                    "unknown kind \"%s\": expected \"mentoring\" (後進育成), \"community\" or \"paper\"", kind);
        }
        x.kind = (contribution_kind)(k < 0 ? 0 : k);
    }
    x.title = (char *)get_string(r, v, "title", path, 1, 0);
    x.date = (char *)get_string(r, v, "date", path, 1, 1);
    if (x.date && !rules_is_month(x.date) && !rules_is_date(x.date)) {
        char p[300];
        path_key(p, sizeof p, path, "date");
        fail_at(r, json_member_get(v, "date")->value, p, "\"%s\" is not a date: expected YYYY-MM or YYYY-MM-DD",
                x.date);
    }
    x.description = (char *)get_string(r, v, "description", path, 0, 1);
    if (r->n_errors == before)
        assessment_add_contribution(a, &x);
}

/* 1 when the file has an experience record with that id (a broken record counts:
 * its own errors are reported, and links to it are not wrong as well). */
static int record_named(const reader *r, const char *id)
{
    for (size_t i = 0; i < r->n_record_ids; i++)
        if (strcmp(r->record_ids[i], id) == 0)
            return 1;
    return 0;
}

/* 1 for elements answered met / not met, 2 for knowledge items (rated), 0 otherwise. */
static int answer_kind(catalog_kind k)
{
    switch (k) {
    case CK_RESPONSIBILITY: case CK_CHECK_ITEM: case CK_PROFICIENCY: return 1;
    case CK_KNOWLEDGE_ITEM: return 2;
    default: return 0;
    }
}

/* Reads one answer into a when it has no error: the id must be answerable, the
 * value the kind the element calls for, the evidence records of this file. */
static void read_answer(reader *r, const json_value *v, const char *path, assessment *a)
{
    static const char *const keys[] = { "id", "rater", "met", "rating", "evidence", NULL };
    static const char *const required[] = { "id", NULL };
    if (!check_object(r, v, path, keys, required))
        return;
    size_t before = r->n_errors;
    const char *id = get_string(r, v, "id", path, 1, 0);
    char p[300];
    catalog_element e;
    int kind = 0;
    if (id) {
        path_key(p, sizeof p, path, "id");
        const json_value *at = json_member_get(v, "id")->value;
        if (!catalog_find(r->c, id, &e))
            fail_at(r, at, p, "unknown id \"%s\" in catalog %s %s", id, catalog_id(r->c), catalog_version(r->c));
        else if (!(kind = answer_kind(e.kind)))
            fail_at(r, at, p, "\"%s\" is a %s; answers are about 責任性, checklist items, proficiency "
                    "descriptions and knowledge items", id, catalog_kind_name(e.kind));
    }
    int rater = RATER_SELF;
    const char *rname = get_string(r, v, "rater", path, 1, 0);
    if (rname && (rater = assessment_rater_parse(rname)) < 0) {
        path_key(p, sizeof p, path, "rater");
        fail_at(r, json_member_get(v, "rater")->value, p, "unknown rater \"%s\": expected \"self\" or \"manager\"",
                rname);
    }
    const json_member *met = json_member_get(v, "met");
    const json_member *rating = json_member_get(v, "rating");
    const json_member *evidence = json_member_get(v, "evidence");
    int value = -1;
    if (kind == 1) {
        if (rating) {
            path_key(p, sizeof p, path, "rating");
            fail(r, rating->line, rating->column, p, "\"%s\" is answered with \"met\", not a rating", id);
        }
        if (!met)
            fail_at(r, v, path, "missing required key \"met\" (true or false)");
        else
            value = get_bool(r, v, "met", path);
    } else if (kind == 2) {
        if (met) {
            path_key(p, sizeof p, path, "met");
            fail(r, met->line, met->column, p, "\"%s\" is a knowledge item: give a \"rating\" from 0 to 4, not \"met\"", id);
        }
        if (evidence) {
            path_key(p, sizeof p, path, "evidence");
            fail(r, evidence->line, evidence->column, p, "knowledge ratings take no evidence");
        }
        if (!rating)
            fail_at(r, v, path, "missing required key \"rating\" (0 知らない to 4 指導できる)");
        else {
            int n = get_int(r, v, "rating", path, 0, ASSESS_RATING_MAX);
            value = n == NO_INT ? -1 : n;
        }
    }
    const json_value *ev = get_array(r, v, "evidence", path);
    size_t n_ev = ev ? ev->n_elements : 0;
    const char **ev_ids = xcalloc(n_ev + 1, sizeof *ev_ids);
    for (size_t i = 0; ev && kind != 2 && i < n_ev; i++) {
        const json_value *x = ev->elements[i];
        path_key(p, sizeof p, path, "evidence");
        char pi[320];
        path_index(pi, sizeof pi, p, i);
        if (x->type != JV_STRING)
            fail_at(r, x, pi, "expected an experience id, found %s", json_type_name(x->type));
        else if (!record_named(r, x->string))
            fail_at(r, x, pi, "no experience record has id \"%s\"", x->string);
        ev_ids[i] = x->string;
    }
    if (r->n_errors == before && id && value >= 0) {
        if (assessment_get_answer(a, id, (assessment_rater)rater)) {
            path_key(p, sizeof p, path, "id");
            fail_at(r, json_member_get(v, "id")->value, p, "\"%s\" is answered twice by %s", id,
                    assessment_rater_name((assessment_rater)rater));
        } else {
            assessment_set_answer(a, id, (assessment_rater)rater, value, ev_ids, n_ev);
        }
    }
    free(ev_ids);
}

/* Walks the document into a; errors are counted in r. */
static void read_assessment(reader *r, const json_value *root, assessment *a)
{
    static const char *const keys[] = { "format", "format_version", "catalog", "person", "cycle", "status",
                                        "experience", "contributions", "answers", NULL };
    static const char *const required[] = { "format", "format_version", "catalog", "person", NULL };
    if (!check_object(r, root, "", keys, required))
        return;
    const json_member *m = json_member_get(root, "format");
    if (m && (m->value->type != JV_STRING || strcmp(m->value->string, ASSESSMENT_FORMAT_NAME) != 0)) {
        fail_at(r, m->value, "format", "expected \"" ASSESSMENT_FORMAT_NAME "\": this is not an assessment file");
        return;
    }
    if (json_member_get(root, "format_version")
        && get_int(r, root, "format_version", "", ASSESSMENT_FORMAT_VERSION, ASSESSMENT_FORMAT_VERSION) == NO_INT)
        return;

    static const char *const cat_keys[] = { "id", "version", NULL };
    if ((m = json_member_get(root, "catalog")) && check_object(r, m->value, "catalog", cat_keys, cat_keys)) {
        const char *id = get_string(r, m->value, "id", "catalog", 1, 0);
        const char *version = get_string(r, m->value, "version", "catalog", 1, 0);
        if (id && version && (strcmp(id, catalog_id(r->c)) || strcmp(version, catalog_version(r->c)))) {
            fail_at(r, m->value, "catalog", "this assessment is for catalog %s version %s, not %s version %s",
                    id, version, catalog_id(r->c), catalog_version(r->c));
            return;   /* its identifiers would all be wrong: one clear error is enough */
        }
        assessment_set_text(&a->catalog_id, catalog_id(r->c));
        assessment_set_text(&a->catalog_version, catalog_version(r->c));
    }

    static const char *const person_keys[] = { "employee_number", "name", NULL };
    static const char *const person_required[] = { "employee_number", NULL };
    if ((m = json_member_get(root, "person"))
        && check_object(r, m->value, "person", person_keys, person_required)) {
        assessment_set_text(&a->employee_number, get_string(r, m->value, "employee_number", "person", 1, 0));
        assessment_set_text(&a->person_name, get_string(r, m->value, "name", "person", 1, 1));
    }
    assessment_set_text(&a->cycle, get_string(r, root, "cycle", "", 1, 1));
    const char *status = get_string(r, root, "status", "", 1, 0);
    if (status) {
        int s = assessment_status_parse(status);
        if (s < 0)
            fail_at(r, json_member_get(root, "status")->value, "status",
                    "unknown status \"%s\": expected \"draft\", \"submitted\", \"returned\" or \"approved\"", status);
        else
            a->status = (assessment_status)s;
    }

    /* Experience first, whatever the order in the file: answers refer to it. */
    const json_value *arr = get_array(r, root, "experience", "");
    r->record_ids = xcalloc(arr ? arr->n_elements + 1 : 1, sizeof *r->record_ids);
    for (size_t i = 0; arr && i < arr->n_elements; i++) {
        const json_member *id = json_member_get(arr->elements[i], "id");
        if (id && id->value->type == JV_STRING)
            r->record_ids[r->n_record_ids++] = id->value->string;
    }
    for (size_t i = 0; arr && i < arr->n_elements; i++) {
        char p[300];
        path_index(p, sizeof p, "experience", i);
        read_experience(r, arr->elements[i], p, a);
    }
    arr = get_array(r, root, "contributions", "");
    for (size_t i = 0; arr && i < arr->n_elements; i++) {
        char p[300];
        path_index(p, sizeof p, "contributions", i);
        read_contribution(r, arr->elements[i], p, a);
    }
    arr = get_array(r, root, "answers", "");
    for (size_t i = 0; arr && i < arr->n_elements; i++) {
        char p[300];
        path_index(p, sizeof p, "answers", i);
        read_answer(r, arr->elements[i], p, a);
    }
}

/* Parses an assessment file for catalog c; NULL with errors. The caller frees the result. */
assessment *assessment_json_parse(const char *text, size_t len, const char *name, const catalog *c,
                                  err_list *errors)
{
    reader r = { name ? name : "", c, errors, 0, NULL, 0 };
    if (len > ASSESSMENT_MAX_FILE) {
        err_add(errors, r.name, 0, 0, "", "an assessment file may be at most %u bytes", ASSESSMENT_MAX_FILE);
        return NULL;
    }
    err e;
    json_value *root = json_parse(text, len, r.name, &e);
    if (!root) {
        err_add(errors, e.where, e.line, e.column, e.path, "%s", e.message);
        return NULL;
    }
    assessment *a = assessment_new(NULL, NULL, NULL, catalog_id(c), catalog_version(c));
    read_assessment(&r, root, a);
    free(r.record_ids);
    json_free(root);
    if (r.n_errors) {
        assessment_free(a);
        return NULL;
    }
    return a;
}
