/* assessment_json_write.c - writes the assessment file with jansson (the
 * reading, with json.h's position-tracking reader, is assessment_json.c). */
#include "assessment_json.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>


/* 1 for elements answered met / not met, 2 for knowledge items (rated), 0 otherwise. */
static int answer_kind(catalog_kind k)
{
    switch (k) {
    case CK_RESPONSIBILITY: case CK_CHECK_ITEM: case CK_PROFICIENCY: return 1;
    case CK_KNOWLEDGE_ITEM: return 2;
    default: return 0;
    }
}

/* A jansson string, or null for NULL. */
static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A new jansson array of n strings. */
static json_t *string_array(char *const *ids, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(ids[i]));
    return arr;
}

/* One answer object. Its value is "met" or "rating" as the element calls for
 * (kind 1 or 2, see answer_kind); an answer the catalog does not know (kind 0)
 * keeps its bare "value" so that nothing is lost, and reading it back names it. */
static json_t *answer_json(const assessment_answer *x, int kind)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(x->element_id));
    json_object_set_new(o, "rater", json_string(assessment_rater_name(x->rater)));
    json_object_set_new(o, kind == 2 ? "rating" : kind == 1 ? "met" : "value",
                        kind == 1 ? json_boolean(x->value) : json_integer(x->value));
    if (x->n_evidence)
        json_object_set_new(o, "evidence", string_array(x->evidence, x->n_evidence));
    return o;
}

struct json_t *assessment_experience_json(const assessment_experience *x, struct json_t *id)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", id);
    json_object_set_new(o, "project", str_or_null(x->project));
    json_object_set_new(o, "from", str_or_null(x->period_from));
    json_object_set_new(o, "to", str_or_null(x->period_to));
    json_object_set_new(o, "role", str_or_null(x->role));
    json_object_set_new(o, "specialization", str_or_null(x->specialization_id));
    json_object_set_new(o, "level", json_integer(x->level));
    json_object_set_new(o, "complexity", string_array(x->complexity_items, x->n_complexity_items));
    json_object_set_new(o, "size", string_array(x->size_items, x->n_size_items));
    json_object_set_new(o, "succeeded", json_boolean(x->succeeded));
    json_object_set_new(o, "description", str_or_null(x->description));
    return o;
}

/* The whole assessment as a new jansson object (the caller owns the reference). */
json_t *assessment_json_build(const assessment *a, const catalog *c)
{
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string(ASSESSMENT_FORMAT_NAME));
    json_object_set_new(root, "format_version", json_integer(ASSESSMENT_FORMAT_VERSION));
    json_t *cat = json_object();
    json_object_set_new(cat, "id", str_or_null(a->catalog_id));
    json_object_set_new(cat, "version", str_or_null(a->catalog_version));
    json_object_set_new(root, "catalog", cat);
    json_t *person = json_object();
    json_object_set_new(person, "employee_number", str_or_null(a->employee_number));
    json_object_set_new(person, "name", str_or_null(a->person_name));
    json_object_set_new(root, "person", person);
    json_object_set_new(root, "cycle", str_or_null(a->cycle));
    json_object_set_new(root, "status", json_string(assessment_status_name(a->status)));

    json_t *exp = json_array();
    for (size_t i = 0; i < a->n_experience; i++) {
        const assessment_experience *x = &a->experience[i];
        json_array_append_new(exp, assessment_experience_json(x, str_or_null(x->id)));
    }
    json_object_set_new(root, "experience", exp);

    json_t *contrib = json_array();
    for (size_t i = 0; i < a->n_contributions; i++) {
        const assessment_contribution *x = &a->contributions[i];
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_string(contribution_kind_name(x->kind)));
        json_object_set_new(o, "title", str_or_null(x->title));
        json_object_set_new(o, "date", str_or_null(x->date));
        json_object_set_new(o, "description", str_or_null(x->description));
        json_array_append_new(contrib, o);
    }
    json_object_set_new(root, "contributions", contrib);

    json_t *answers = json_array();
    unsigned char *written = xcalloc(a->n_answers + 1, 1);
    /* Catalog order, so that a file reads like the standard. */
    for (size_t i = 0, n = catalog_element_count(c); i < n; i++) {
        const catalog_element *e = catalog_element_at(c, i);
        int kind = answer_kind(e->kind);
        if (!kind)
            continue;
        for (int rater = 0; rater < RATER_COUNT; rater++) {
            const assessment_answer *x = assessment_get_answer(a, e->id, (assessment_rater)rater);
            if (!x)
                continue;
            written[x - a->answers] = 1;
            json_array_append_new(answers, answer_json(x, kind));
        }
    }
    for (size_t i = 0; i < a->n_answers; i++)
        if (!written[i])
            json_array_append_new(answers, answer_json(&a->answers[i], 0));
    free(written);
    json_object_set_new(root, "answers", answers);
    return root;
}

/* Appends the file form of a to out. */
void assessment_json_write(buf *out, const assessment *a, const catalog *c)
{
    json_t *root = assessment_json_build(a, c);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        xalloc_failed();    /* jansson says so with NULL */
    buf_puts(out, text);
    buf_putc(out, '\n');
    free(text);
}
