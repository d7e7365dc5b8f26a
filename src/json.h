/* json.h - a JSON reader that remembers where every value stands.
 *
 * jansson (used for writing JSON) does not say at which line and column a value
 * was, and the catalog loader must name the place of every error it finds, so
 * reading uses this small reader. It checks UTF-8, rejects duplicate keys and
 * trailing garbage, and keeps object members in file order. Its kinds are
 * JV_* (json_kind), so that a file may read with it and write with jansson. */
#ifndef ITSS_JSON_H
#define ITSS_JSON_H

#include <stddef.h>
#include "err.h"

typedef enum json_kind {
    JV_NULL, JV_FALSE, JV_TRUE, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT
} json_kind;

typedef struct json_value json_value;
typedef struct json_member {
    char *key;
    int line, column;          /* where the key starts */
    json_value *value;
} json_member;

struct json_value {
    json_kind type;
    int line, column;          /* where the value starts (1-based; column in characters) */
    char *string;              /* JV_STRING: NUL-terminated UTF-8 (may not hold NUL) */
    size_t string_len;
    double number;             /* JV_NUMBER */
    int is_integer;            /* JV_NUMBER written without fraction or exponent */
    json_value **elements;     /* JV_ARRAY */
    size_t n_elements;
    json_member *members;      /* JV_OBJECT, in file order */
    size_t n_members;
};

#define JSON_MAX_DEPTH 64

/* Parses text (len bytes). On success returns the root; free it with json_free.
 * On failure returns NULL and fills *e with name:line:column and the reason. */
json_value *json_parse(const char *text, size_t len, const char *name, err *e);

/* Frees a value and everything below it. NULL is allowed. */
void json_free(json_value *v);

/* The member named key of an object, or NULL. */
const json_member *json_member_get(const json_value *object, const char *key);

/* "string", "number", ... for messages. */
const char *json_type_name(json_kind t);

#endif
