/* fuzz_json.c - the position-tracking JSON reader (src/json.h) on any bytes.
 *
 * A document is either parsed or refused with name:line:column and a reason.
 * A parsed tree is walked: every value has a place (line and column from 1),
 * strings hold no NUL and are as long as they say, object keys are unique and
 * json_member_get finds each of them. */
#include "fuzz.h"
#include "json.h"

#include <string.h>

#define NAME "fuzz.json"

/* Checks v and everything below it. */
static void walk(const json_value *v, int depth)
{
    if (depth > JSON_MAX_DEPTH + 1)
        fuzz_fail("a tree deeper than JSON_MAX_DEPTH came back");
    if (v->line < 1 || v->column < 1)
        fuzz_fail("a value at %d:%d", v->line, v->column);
    (void)json_type_name(v->type);
    switch (v->type) {
    case JV_STRING:
        if (!v->string || strlen(v->string) != v->string_len)
            fuzz_fail("a string of %zu bytes holds a NUL or has no text", v->string_len);
        break;
    case JV_ARRAY:
        for (size_t i = 0; i < v->n_elements; i++)
            walk(v->elements[i], depth + 1);
        break;
    case JV_OBJECT:
        for (size_t i = 0; i < v->n_members; i++) {
            const json_member *m = &v->members[i];
            if (m->line < 1 || m->column < 1)
                fuzz_fail("key \"%s\" at %d:%d", m->key, m->line, m->column);
            if (v->n_members <= 64 && json_member_get(v, m->key) != m)   /* linear: small objects only */
                fuzz_fail("key \"%s\" is in the object twice", m->key);
            walk(m->value, depth + 1);
        }
        break;
    default:
        break;
    }
}

/* Nothing to prepare. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* One input: a checked tree, or a refusal at a place. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    err e;
    memset(&e, 0, sizeof e);
    json_value *root = json_parse((const char *)data, size, NAME, &e);
    if (!root) {
        fuzz_check_err("json_parse", &e, NAME);
        if (e.line < 1 || e.column < 1)
            fuzz_fail("json_parse: an error at %d:%d: %s", e.line, e.column, e.message);
        return 0;
    }
    walk(root, 0);
    json_free(root);
    return 0;
}
