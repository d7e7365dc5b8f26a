/* web_json.h - JSON bodies in (web_json.c) and JSON answers out
 * (web_json_write.c), for API handlers.
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
 * Writing: every JSON answer is a jansson value (the one JSON writer of the
 * program: the command line's --json, the engine's facts, the assessment file
 * and the OpenAPI document use it too), built with json_object_set_new & co.
 * and answered with web_json_reply, which dumps it once: compact, members in
 * the order they were set, '<' written \u003c (safe inside <script>). */
#ifndef ITSS_WEB_JSON_H
#define ITSS_WEB_JSON_H

#include <jansson.h>
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
/* A member naming a row by name or by id (a string, or a whole number from
 * 1, given as text): 1 with *out, 0 when absent or null (*out untouched), -1
 * after answering 422 naming key with message. */
int web_json_name_or_id(web_request *r, const json_value *obj, const char *key, const char *message,
                        const char **out);
/* 1 when the member is present and null (to clear an optional reference). */
int web_json_is_null(const json_value *obj, const char *key);

/* Answers 422 {"error":{"code":"invalid","message":message,"field":field}}. */
void web_json_invalid(web_request *r, const char *field, const char *message);

/* s as a JSON string (a new reference); null for NULL or "". Bytes that are
 * not UTF-8 (echoed input) are written as U+FFFD. */
json_t *web_json_text(const char *s);
/* id as a JSON number (a new reference); null for 0 or less (no such row). */
json_t *web_json_id(int64_t id);

/* Answers v (the reference is taken) with status: compact, '<' as \u003c, a
 * newline; 500 when v is NULL or cannot be dumped. */
void web_json_reply(web_request *r, int status, json_t *v);

/* Answers the object o (the reference is taken) with one more member, key,
 * whose value is JSON text jansson made earlier and a cache kept (compact):
 * o's members dumped with JSON_EMBED, then "key":text, in one object. As
 * web_json_reply otherwise. */
void web_json_reply_with(web_request *r, int status, json_t *o, const char *key, const char *text);

/* Answers status with the standard error object {"error":{"code","message",
 * "field"}} (message and field may be NULL: null). web_reply_error's JSON. */
void web_json_error(web_request *r, int status, const char *code, const char *message, const char *field);

/* Answers text, a JSON value as json_dumps made it with other flags (the
 * OpenAPI document, indented; freed here), with status and a newline, '<' as
 * \u003c; 500 when text is NULL (the dump failed). */
void web_json_answer(web_request *r, int status, char *text);

#endif
