/* ipa.c - the built-in table of IPA examinations (ipa.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

#include "ipa.h"

extern const unsigned char ipa_exams_builtin_json[];
extern const size_t ipa_exams_builtin_json_len;

struct ipa_exams {
    json_t *root;
    ipa_exam *exams;
    size_t n;
    char *source;
};

ipa_exams *ipa_exams_builtin(err *e)
{
    json_error_t je;
    json_t *root = json_loadb((const char *)ipa_exams_builtin_json, ipa_exams_builtin_json_len, 0, &je);
    json_t *list = root ? json_object_get(root, "exams") : NULL;
    if (!json_is_array(list)) {
        err_set(e, "catalog/ipa-exams.json", je.line, je.column, "", "the built-in IPA examination table does not read");
        json_decref(root);
        return NULL;
    }
    ipa_exams *x = calloc(1, sizeof *x);
    x->root = root;
    x->exams = calloc(json_array_size(list) + 1, sizeof *x->exams);
    if (!x->exams)
        abort();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        ipa_exam *ex = &x->exams[x->n];
        ex->code = json_string_value(json_object_get(v, "code"));
        ex->name = json_string_value(json_object_get(v, "name"));
        ex->level = (int)json_integer_value(json_object_get(v, "level"));
        if (ex->code && ex->name && ex->level > 0)
            x->n++;
    }
    json_t *src = json_object_get(root, "source");
    const char *pub = json_string_value(json_object_get(src, "publisher"));
    const char *doc = json_string_value(json_object_get(src, "document"));
    size_t len = strlen(pub ? pub : "") + strlen(doc ? doc : "") + 3;
    x->source = malloc(len);
    if (!x->source)
        abort();
    snprintf(x->source, len, "%s: %s", pub ? pub : "", doc ? doc : "");
    return x;
}

void ipa_exams_free(ipa_exams *x)
{
    if (!x)
        return;
    free(x->exams);
    free(x->source);
    json_decref(x->root);
    free(x);
}

size_t ipa_exam_count(const ipa_exams *x)
{
    return x->n;
}

const ipa_exam *ipa_exam_at(const ipa_exams *x, size_t i)
{
    return i < x->n ? &x->exams[i] : NULL;
}

const ipa_exam *ipa_exam_find(const ipa_exams *x, const char *code_or_name)
{
    for (size_t i = 0; i < x->n; i++)
        if (strcasecmp(x->exams[i].code, code_or_name) == 0 || strcmp(x->exams[i].name, code_or_name) == 0)
            return &x->exams[i];
    return NULL;
}

const char *ipa_exams_source(const ipa_exams *x)
{
    return x->source;
}
