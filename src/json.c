/* json.c - a JSON reader that keeps the line and column of every value (see json.h).
 *
 * Strict RFC 8259: no comments, no trailing commas, no NaN; strings must be valid
 * UTF-8 without NUL; duplicate object keys are an error; nesting is limited to
 * JSON_MAX_DEPTH so hostile input cannot exhaust the stack. */
#include "json.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct reader {
    const char *text;
    size_t len;
    size_t pos;
    int line;
    size_t line_start;      /* byte offset where the current line begins */
    /* reader_column's last answer: column col_value at byte col_offset of the
     * line starting at col_line_start, so that the next value of a long line is
     * counted from there rather than from the line's start */
    size_t col_line_start, col_offset;
    int col_value;
    const char *name;
    err *e;
    int failed;
    /* where the reader stands, for the JSON path in messages: one step per depth */
    struct { const char *key; size_t index; } steps[JSON_MAX_DEPTH + 2];
    int depth;
} reader;

/* Writes the JSON path of the reader's position (a.b[2].c) into dst. */
static void reader_path(const reader *r, char *dst, size_t size)
{
    size_t n = 0;
    dst[0] = '\0';
    for (int i = 0; i < r->depth && n < size; i++) {
        int k = r->steps[i].key
            ? snprintf(dst + n, size - n, "%s%s", n ? "." : "", r->steps[i].key)
            : snprintf(dst + n, size - n, "[%zu]", r->steps[i].index);
        if (k > 0) n += (size_t)k;
    }
}

/* The column (in characters, from 1) of byte offset on the line starting at
 * r->line_start. Counting goes on from the previous answer when it was on the
 * same line and not past offset, so the values of one long line cost linear
 * time in all, not quadratic. */
static int reader_column(reader *r, size_t offset)
{
    size_t i = r->line_start;
    int col = 1;
    if (r->col_line_start == r->line_start && r->col_offset >= i && r->col_offset <= offset) {
        i = r->col_offset;
        col = r->col_value;
    }
    for (; i < offset && i < r->len; i++)
        if (((unsigned char)r->text[i] & 0xC0) != 0x80) col++;
    r->col_line_start = r->line_start;
    r->col_offset = i;
    r->col_value = col;
    return col;
}

/* Records the first error at byte offset `at` (line counted up to there). */
static void reader_fail(reader *r, size_t at, const char *msg, const char *detail)
{
    if (r->failed) return;
    r->failed = 1;
    /* recompute the line of `at`: it is never past r->pos */
    int line = 1;
    size_t ls = 0;
    for (size_t i = 0; i < at && i < r->len; i++)
        if (r->text[i] == '\n') { line++; ls = i + 1; }
    char path[256];
    reader_path(r, path, sizeof path);
    size_t saved = r->line_start;
    r->line_start = ls;
    int column = reader_column(r, at);
    r->line_start = saved;
    err_set(r->e, r->name, line, column, path, "%s%s%s", msg,
            detail ? ": " : "", detail ? detail : "");
}

static void skip_space(reader *r)
{
    while (r->pos < r->len) {
        char c = r->text[r->pos];
        if (c == '\n') { r->pos++; r->line++; r->line_start = r->pos; }
        else if (c == ' ' || c == '\t' || c == '\r') r->pos++;
        else break;
    }
}

static json_value *value_new(reader *r, json_kind t)
{
    json_value *v = calloc(1, sizeof *v);
    if (!v) { reader_fail(r, r->pos, "out of memory", NULL); return NULL; }
    v->type = t;
    v->line = r->line;
    v->column = reader_column(r, r->pos);
    return v;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t len;
    unsigned int cp;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { len = 2; cp = s[0] & 0x1F; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { len = 3; cp = s[0] & 0x0F; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { len = 4; cp = s[0] & 0x07; }
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return len;
}

static void put_utf8(char *out, size_t *n, unsigned int cp)
{
    if (cp < 0x80) out[(*n)++] = (char)cp;
    else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hex4(const char *s, unsigned int *out)
{
    unsigned int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* Reads a string literal at r->pos (which is at '"'); returns a malloc'd copy. */
static char *read_string(reader *r, size_t *out_len)
{
    size_t start = r->pos;
    r->pos++;   /* opening quote */
    /* the decoded text is never longer than the literal */
    size_t end = r->pos;
    while (end < r->len && r->text[end] != '"') {
        if (r->text[end] == '\\') end++;
        end++;
    }
    char *out = malloc(end - r->pos + 1);
    if (!out) { reader_fail(r, start, "out of memory", NULL); return NULL; }
    size_t n = 0;
    for (;;) {
        if (r->pos >= r->len) { reader_fail(r, start, "unterminated string", NULL); break; }
        unsigned char c = (unsigned char)r->text[r->pos];
        if (c == '"') { r->pos++; out[n] = '\0'; *out_len = n; return out; }
        if (c < 0x20) {
            reader_fail(r, r->pos, c == '\n' ? "line break inside a string" : "control character inside a string", NULL);
            break;
        }
        if (c == '\\') {
            if (r->pos + 1 >= r->len) { reader_fail(r, start, "unterminated string", NULL); break; }
            char esc = r->text[r->pos + 1];
            r->pos += 2;
            switch (esc) {
            case '"': out[n++] = '"'; continue;
            case '\\': out[n++] = '\\'; continue;
            case '/': out[n++] = '/'; continue;
            case 'b': out[n++] = '\b'; continue;
            case 'f': out[n++] = '\f'; continue;
            case 'n': out[n++] = '\n'; continue;
            case 'r': out[n++] = '\r'; continue;
            case 't': out[n++] = '\t'; continue;
            case 'u': {
                unsigned int cp, lo;
                size_t at = r->pos - 2;
                if (r->pos + 4 > r->len || !hex4(r->text + r->pos, &cp)) {
                    reader_fail(r, at, "bad \\u escape", NULL); goto fail; }
                r->pos += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (r->pos + 6 > r->len || r->text[r->pos] != '\\' || r->text[r->pos + 1] != 'u'
                        || !hex4(r->text + r->pos + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                        reader_fail(r, at, "unpaired surrogate in \\u escape", NULL); goto fail; }
                    r->pos += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    reader_fail(r, at, "unpaired surrogate in \\u escape", NULL); goto fail;
                }
                if (cp == 0) { reader_fail(r, at, "\\u0000 is not allowed in text", NULL); goto fail; }
                put_utf8(out, &n, cp);
                continue;
            }
            default:
                reader_fail(r, r->pos - 2, "unknown escape in string", NULL);
                goto fail;
            }
        }
        size_t k = utf8_seq((const unsigned char *)r->text + r->pos, r->len - r->pos);
        if (k == 0) { reader_fail(r, r->pos, "invalid UTF-8", NULL); break; }
        memcpy(out + n, r->text + r->pos, k);
        n += k;
        r->pos += k;
    }
fail:
    free(out);
    return NULL;
}

static json_value *read_value(reader *r, int depth);

static json_value *read_number(reader *r)
{
    size_t start = r->pos;
    const char *s = r->text;
    size_t p = r->pos;
    int integer = 1;
    if (p < r->len && s[p] == '-') p++;
    if (p < r->len && s[p] == '0') p++;
    else if (p < r->len && s[p] >= '1' && s[p] <= '9') { while (p < r->len && s[p] >= '0' && s[p] <= '9') p++; }
    else { reader_fail(r, start, "invalid number", NULL); return NULL; }
    if (p < r->len && s[p] == '.') {
        integer = 0; p++;
        if (p >= r->len || s[p] < '0' || s[p] > '9') { reader_fail(r, start, "invalid number", NULL); return NULL; }
        while (p < r->len && s[p] >= '0' && s[p] <= '9') p++;
    }
    if (p < r->len && (s[p] == 'e' || s[p] == 'E')) {
        integer = 0; p++;
        if (p < r->len && (s[p] == '+' || s[p] == '-')) p++;
        if (p >= r->len || s[p] < '0' || s[p] > '9') { reader_fail(r, start, "invalid number", NULL); return NULL; }
        while (p < r->len && s[p] >= '0' && s[p] <= '9') p++;
    }
    char tmp[64];
    if (p - start >= sizeof tmp) { reader_fail(r, start, "number too long", NULL); return NULL; }
    memcpy(tmp, s + start, p - start);
    tmp[p - start] = '\0';
    json_value *v = value_new(r, JV_NUMBER);
    if (!v) return NULL;
    errno = 0;
    v->number = strtod(tmp, NULL);
    v->is_integer = integer;
    if (errno == ERANGE) { json_free(v); reader_fail(r, start, "number out of range", NULL); return NULL; }
    r->pos = p;
    return v;
}

static int literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    return r->pos + n <= r->len && memcmp(r->text + r->pos, word, n) == 0;
}

static json_value *read_array(reader *r, int depth)
{
    json_value *v = value_new(r, JV_ARRAY);
    if (!v) return NULL;
    size_t cap = 0;
    r->pos++;
    skip_space(r);
    if (r->pos < r->len && r->text[r->pos] == ']') { r->pos++; return v; }
    for (;;) {
        r->steps[depth].key = NULL;
        r->steps[depth].index = v->n_elements;
        r->depth = depth + 1;
        json_value *el = read_value(r, depth + 1);
        r->depth = depth;
        if (!el) { json_free(v); return NULL; }
        if (v->n_elements == cap) {
            cap = cap ? cap * 2 : 4;
            json_value **grown = realloc(v->elements, cap * sizeof *grown);
            if (!grown) { json_free(el); json_free(v); reader_fail(r, r->pos, "out of memory", NULL); return NULL; }
            v->elements = grown;
        }
        v->elements[v->n_elements++] = el;
        skip_space(r);
        if (r->pos >= r->len) { reader_fail(r, r->pos, "unexpected end of input", "expected ',' or ']'"); break; }
        char c = r->text[r->pos];
        if (c == ',') { r->pos++; skip_space(r);
            if (r->pos < r->len && r->text[r->pos] == ']') { reader_fail(r, r->pos, "trailing comma before ']'", NULL); break; }
            continue; }
        if (c == ']') { r->pos++; return v; }
        reader_fail(r, r->pos, "expected ',' or ']'", NULL);
        break;
    }
    json_free(v);
    return NULL;
}

/* The keys of one object being read, to refuse a duplicate: compared one by one
 * while the object is small, then through an open-addressing table of member
 * indexes, so that an object of n keys costs O(n), not O(n^2), comparisons (a
 * body of a megabyte holds 100,000 keys). The hash is keyed by a random seed, so
 * that keys cannot be chosen to collide. */
#define KEY_SCAN_MAX 16
typedef struct key_set {
    size_t *slots;          /* member index + 1; 0 is an empty slot */
    size_t cap;             /* a power of two; 0 while keys are compared one by one */
    int shift;              /* 64 - log2(cap): a hash's top bits pick its slot */
    uint64_t seed;
} key_set;

/* Where key's probe sequence starts in ks. */
static size_t key_slot(const key_set *ks, const char *key)
{
    uint64_t h = ks->seed ^ 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    h ^= h >> 29;
    return (size_t)((h * 0x9e3779b97f4a7c15u) >> ks->shift);
}

/* 1 when an earlier member of v has key. */
static int key_seen(const key_set *ks, const json_value *v, const char *key)
{
    if (!ks->cap) {
        for (size_t i = 0; i < v->n_members; i++)
            if (strcmp(v->members[i].key, key) == 0) return 1;
        return 0;
    }
    for (size_t i = key_slot(ks, key); ks->slots[i]; i = (i + 1) & (ks->cap - 1))
        if (strcmp(v->members[ks->slots[i] - 1].key, key) == 0) return 1;
    return 0;
}

/* Puts member index m of v into the table. */
static void key_put(key_set *ks, const json_value *v, size_t m)
{
    size_t i = key_slot(ks, v->members[m].key);
    while (ks->slots[i]) i = (i + 1) & (ks->cap - 1);
    ks->slots[i] = m + 1;
}

/* Records the member just added to v: from KEY_SCAN_MAX members on, in the
 * table, grown (at most half full) as needed. -1 when out of memory. */
static int key_add(key_set *ks, const json_value *v)
{
    size_t n = v->n_members;
    if (n < KEY_SCAN_MAX) return 0;
    if (ks->cap && n * 2 <= ks->cap) { key_put(ks, v, n - 1); return 0; }
    size_t cap = ks->cap ? ks->cap * 2 : 4 * KEY_SCAN_MAX;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    if (!ks->cap && getentropy(&ks->seed, sizeof ks->seed) != 0)
        ks->seed = (uint64_t)(uintptr_t)slots ^ (uint64_t)time(NULL);
    free(ks->slots);
    ks->slots = slots;
    ks->cap = cap;
    ks->shift = 64;
    for (size_t c = cap; c > 1; c >>= 1) ks->shift--;
    for (size_t m = 0; m < n; m++) key_put(ks, v, m);
    return 0;
}

static json_value *read_object(reader *r, int depth)
{
    json_value *v = value_new(r, JV_OBJECT);
    if (!v) return NULL;
    size_t cap = 0;
    key_set keys = { NULL, 0, 0, 0 };
    r->pos++;
    skip_space(r);
    if (r->pos < r->len && r->text[r->pos] == '}') { r->pos++; return v; }
    for (;;) {
        skip_space(r);
        if (r->pos >= r->len) { reader_fail(r, r->pos, "unexpected end of input", "expected a key"); break; }
        if (r->text[r->pos] != '"') {
            reader_fail(r, r->pos, r->text[r->pos] == '}' ? "trailing comma before '}'" : "expected a key in double quotes", NULL);
            break;
        }
        int kline = r->line, kcol = reader_column(r, r->pos);
        size_t kpos = r->pos, klen;
        char *key = read_string(r, &klen);
        if (!key) break;
        if (key_seen(&keys, v, key)) {
            r->steps[depth].key = key;
            r->depth = depth + 1;
            char msg[300];
            snprintf(msg, sizeof msg, "duplicate key \"%s\"", key);
            reader_fail(r, kpos, msg, NULL);
            free(key);
            goto fail;
        }
        skip_space(r);
        if (r->pos >= r->len || r->text[r->pos] != ':') {
            free(key);
            reader_fail(r, r->pos, r->pos >= r->len ? "unexpected end of input" : "expected ':'", NULL);
            break;
        }
        r->pos++;
        r->steps[depth].key = key;
        r->depth = depth + 1;
        json_value *val = read_value(r, depth + 1);
        r->depth = depth;
        if (!val) { free(key); break; }
        if (v->n_members == cap) {
            cap = cap ? cap * 2 : 8;
            json_member *grown = realloc(v->members, cap * sizeof *grown);
            if (!grown) { free(key); json_free(val); reader_fail(r, r->pos, "out of memory", NULL); break; }
            v->members = grown;
        }
        v->members[v->n_members++] = (json_member){ key, kline, kcol, val };
        if (key_add(&keys, v) < 0) { reader_fail(r, r->pos, "out of memory", NULL); break; }
        skip_space(r);
        if (r->pos >= r->len) { reader_fail(r, r->pos, "unexpected end of input", "expected ',' or '}'"); break; }
        char c = r->text[r->pos];
        if (c == ',') { r->pos++; continue; }
        if (c == '}') { r->pos++; free(keys.slots); return v; }
        reader_fail(r, r->pos, "expected ',' or '}'", NULL);
        break;
    }
fail:
    free(keys.slots);
    json_free(v);
    return NULL;
}

static json_value *read_value(reader *r, int depth)
{
    skip_space(r);
    if (depth > JSON_MAX_DEPTH) { reader_fail(r, r->pos, "nesting too deep", NULL); return NULL; }
    if (r->pos >= r->len) { reader_fail(r, r->pos, "unexpected end of input", "expected a value"); return NULL; }
    char c = r->text[r->pos];
    switch (c) {
    case '{': return read_object(r, depth);
    case '[': return read_array(r, depth);
    case '"': {
        json_value *v = value_new(r, JV_STRING);
        if (!v) return NULL;
        v->string = read_string(r, &v->string_len);
        if (!v->string) { free(v); return NULL; }
        return v;
    }
    case 't': if (literal(r, "true")) { json_value *v = value_new(r, JV_TRUE); r->pos += 4; return v; } break;
    case 'f': if (literal(r, "false")) { json_value *v = value_new(r, JV_FALSE); r->pos += 5; return v; } break;
    case 'n': if (literal(r, "null")) { json_value *v = value_new(r, JV_NULL); r->pos += 4; return v; } break;
    default:
        if (c == '-' || (c >= '0' && c <= '9')) return read_number(r);
    }
    if (utf8_seq((const unsigned char *)r->text + r->pos, r->len - r->pos) == 0)
        reader_fail(r, r->pos, "invalid UTF-8", NULL);
    else
        reader_fail(r, r->pos, "expected a value", NULL);
    return NULL;
}

/* Parses a whole document; see json.h. */
json_value *json_parse(const char *text, size_t len, const char *name, err *e)
{
    reader r;
    memset(&r, 0, sizeof r);
    r.text = text;
    r.len = len;
    r.line = 1;
    r.col_value = 1;        /* column 1 at offset 0 of the first line */
    r.name = name ? name : "";
    r.e = e;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { r.pos = 3; r.line_start = 3; }
    skip_space(&r);
    if (r.pos >= len) { reader_fail(&r, r.pos, "empty document", "expected a JSON value"); return NULL; }
    json_value *root = read_value(&r, 0);
    if (!root) return NULL;
    skip_space(&r);
    if (r.pos < len) {
        reader_fail(&r, r.pos, "unexpected text after the JSON value", NULL);
        json_free(root);
        return NULL;
    }
    return root;
}

void json_free(json_value *v)
{
    if (!v) return;
    free(v->string);
    for (size_t i = 0; i < v->n_elements; i++) json_free(v->elements[i]);
    free(v->elements);
    for (size_t i = 0; i < v->n_members; i++) { free(v->members[i].key); json_free(v->members[i].value); }
    free(v->members);
    free(v);
}

/* The member of `object` named key, or NULL (also when object is not an object). */
const json_member *json_member_get(const json_value *object, const char *key)
{
    if (!object || object->type != JV_OBJECT) return NULL;
    for (size_t i = 0; i < object->n_members; i++)
        if (strcmp(object->members[i].key, key) == 0) return &object->members[i];
    return NULL;
}

const char *json_type_name(json_kind t)
{
    switch (t) {
    case JV_NULL: return "null";
    case JV_FALSE: case JV_TRUE: return "boolean";
    case JV_NUMBER: return "number";
    case JV_STRING: return "string";
    case JV_ARRAY: return "array";
    case JV_OBJECT: return "object";
    }
    return "?";
}
