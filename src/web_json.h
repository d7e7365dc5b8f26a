/* web_json.h - JSON bodies in and JSON members out, for API handlers.
 *
 * Reading: web_json_body() parses the request body as one JSON object with the
 * position-tracking reader (json.h), so a malformed body is refused with its
 * line and column; the web_json_* getters read one member each and refuse a
 * member of the wrong type with 422 naming the field, in the standard error
 * shape {"error":{"code","message","field"}}. A handler reads what it needs and
 * returns as soon as a getter says the request was answered:
 *
 *     const json_value *body = web_json_body(r, known_keys);
 *     const char *name = NULL;
 *     if (!body || web_json_string(r, body, "name", &name) < 0) return;
 *
 * Writing: members appended to a buf with the separating comma handled by a
 * `first` flag the caller keeps for each object it writes. */
#ifndef ITSS_WEB_JSON_H
#define ITSS_WEB_JSON_H

#include <stdint.h>
#include "buf.h"
typedef struct json_value json_value;   /* json.h: the reader of bodies */
#include "web.h"

/* The body of r as a JSON object, or NULL after answering: 415 when it is not
 * application/json, 400 when it is not JSON or not an object (the message gives
 * line:column), 422 naming the first member that is not one of known (a
 * NULL-terminated list; NULL accepts any). The value belongs to the request. */
const json_value *web_json_body(web_request *r, const char *const *known);

/* One member of obj. Each returns 1 when present (and sets *out), 0 when absent
 * or null (*out untouched), -1 after answering 422 naming key when the member
 * has another type (or, for integers, is not a whole number within range).
 * Strings belong to the request. */
int web_json_string(web_request *r, const json_value *obj, const char *key, const char **out);
int web_json_int(web_request *r, const json_value *obj, const char *key, int64_t min, int64_t max, int64_t *out);
int web_json_bool(web_request *r, const json_value *obj, const char *key, int *out);
/* 1 when the member is present and null (to clear an optional reference). */
int web_json_is_null(const json_value *obj, const char *key);

/* Answers 422 {"error":{"code":"invalid","message":message,"field":field}}. */
void web_json_invalid(web_request *r, const char *field, const char *message);

/* Members written into b: "key":value, preceded by a comma unless *first (which
 * is then cleared). A NULL or empty string, and an id of 0, are written as null. */
void web_json_str(buf *b, int *first, const char *key, const char *value);
void web_json_int_member(buf *b, int *first, const char *key, long long value);
void web_json_id(buf *b, int *first, const char *key, int64_t id);
void web_json_bool_member(buf *b, int *first, const char *key, int value);
/* Only "key": (and the comma): the caller writes the value. */
void web_json_key(buf *b, int *first, const char *key);
/* Literal JSON punctuation, as written ("{", "]}\n"): a string literal only, as
 * html_raw is for markup. */
#define web_json_raw(b, literal) buf_puts((b), "" literal "")

/* A number as a JSON value (no key: arrays). */
void web_json_number(buf *b, long long value);
/* JSON text made by jansson (json_dumps), appended as it is: a value, or with
 * JSON_EMBED an object's members. */
void web_json_append(buf *b, const char *json);

/* Answers text, a JSON value as json_dumps made it (freed here), with status
 * and a newline; 500 when text is NULL (the dump failed). */
void web_json_answer(web_request *r, int status, char *text);

#endif
