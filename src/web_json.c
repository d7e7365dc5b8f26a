/* web_json.c - JSON bodies in, for API handlers: the body as an object and
 * its members, each refusal answered 4xx naming the member (web_json.h). The
 * answers are web_json_write.c's. */
#include "web_json.h"
#include "json.h"

#include <stdlib.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

void web_json_invalid(web_request *r, const char *field, const char *message)
{
    web_reply_error(r, 422, "invalid", message, field);
}

/* Frees a parsed body when its request ends. */
static void free_json(void *v)
{
    json_free(v);
}

const json_value *web_json_body(web_request *r, const char *const *known)
{
    if (!r->is_json) {
        if (r->body_len == 0)
            web_reply_error(r, 400, "bad_request", web_t(r, "api.body_missing"), NULL);
        else
            web_reply_error(r, 415, "unsupported_media_type", web_t(r, "api.body_not_json"), NULL);
        return NULL;
    }
    err e;
    memset(&e, 0, sizeof e);
    json_value *v = json_parse(r->body, r->body_len, "body", &e);
    if (!v) {
        char line[1200];
        web_reply_error(r, 400, "bad_request", err_format(&e, line, sizeof line), NULL);
        return NULL;
    }
    web_defer(r, free_json, v);
    if (v->type != JV_OBJECT) {
        web_reply_error(r, 400, "bad_request", web_t(r, "api.body_not_object"), NULL);
        return NULL;
    }
    for (size_t i = 0; known && i < v->n_members; i++) {
        size_t k = 0;
        while (known[k] && strcmp(known[k], v->members[i].key) != 0)
            k++;
        if (!known[k]) {
            web_json_invalid(r, v->members[i].key, web_t(r, "api.unknown_member"));
            return NULL;
        }
    }
    return v;
}

/* The member's value, NULL when absent or null. */
static const json_value *member(const json_value *obj, const char *key)
{
    const json_member *m = json_member_get(obj, key);
    return m && m->value->type != JV_NULL ? m->value : NULL;
}

int web_json_name_or_id(web_request *r, const json_value *obj, const char *key, const char *message,
                        const char **out)
{
    const json_member *m = json_member_get(obj, key);
    if (!m || m->value->type == JV_NULL)
        return 0;
    if (m->value->type == JV_STRING) {
        *out = m->value->string;
        return 1;
    }
    if (m->value->type == JV_NUMBER && m->value->is_integer && m->value->number >= 1) {
        char text[32];
        snprintf(text, sizeof text, "%lld", (long long)m->value->number);
        *out = web_strdup(r, text);
        return 1;
    }
    web_json_invalid(r, key, message);
    return -1;
}

int web_json_is_null(const json_value *obj, const char *key)
{
    const json_member *m = json_member_get(obj, key);
    return m && m->value->type == JV_NULL;
}

int web_json_string(web_request *r, const json_value *obj, const char *key, const char **out)
{
    const json_value *v = member(obj, key);
    if (!v)
        return 0;
    if (v->type != JV_STRING) {
        web_json_invalid(r, key, web_t(r, "api.want_string"));
        return -1;
    }
    *out = v->string;
    return 1;
}

int web_json_int(web_request *r, const json_value *obj, const char *key, int64_t min, int64_t max, int64_t *out)
{
    const json_value *v = member(obj, key);
    if (!v)
        return 0;
    if (v->type != JV_NUMBER || !v->is_integer || !isfinite(v->number) || v->number < (double)min
        || v->number > (double)max) {
        web_json_invalid(r, key, web_t(r, "api.want_integer"));
        return -1;
    }
    *out = (int64_t)v->number;
    return 1;
}

int web_json_bool(web_request *r, const json_value *obj, const char *key, int *out)
{
    const json_value *v = member(obj, key);
    if (!v)
        return 0;
    if (v->type != JV_TRUE && v->type != JV_FALSE) {
        web_json_invalid(r, key, web_t(r, "api.want_boolean"));
        return -1;
    }
    *out = v->type == JV_TRUE;
    return 1;
}

/* ---- Messages ---------------------------------------------------------------------------------- */

const web_message web_messages_api[] = {
    { "api.body_missing", "JSONの本文がありません。", "A JSON body is needed." },
    { "api.body_not_json", "本文は application/json で送ってください。", "Send the body as application/json." },
    { "api.body_not_object", "本文はJSONのオブジェクトにしてください。", "The body must be a JSON object." },
    { "api.unknown_member", "この項目は使えません。", "This member is not known here." },
    { "api.want_string", "文字列で指定してください。", "A string is expected." },
    { "api.want_integer", "整数で指定してください。", "A whole number in range is expected." },
    { "api.want_boolean", "true か false で指定してください。", "true or false is expected." },
    { "api.want_id", "正の整数のIDで指定してください。", "A positive whole-number id is expected." },
    { "api.bad_limit", "limit は1〜1000です。", "limit is 1 to 1000." },
    { "api.bad_offset", "offset は0以上の整数です。", "offset is a whole number from 0." },
    { "api.bad_format", "format は csv か json です。", "format is csv or json." },
    { "api.cycle_needed", "評価期間（cycle）を指定してください。", "Give the cycle." },
    { "api.cycle_not_for_people", "社員のエクスポートに評価期間は指定できません。", "cycle is for assessments and levels, not people." },
};

const size_t web_messages_api_count = sizeof web_messages_api / sizeof web_messages_api[0];
