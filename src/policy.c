/* policy.c - parses and checks a level-determination policy (docs/policy.md). */
#include "policy.h"
#include "xalloc.h"
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

extern const unsigned char policy_builtin_json[];
extern const size_t policy_builtin_json_len;

/* The parser's state: where messages go and how many were found. */
typedef struct reader {
    const char *name;
    err_list *errors;
    size_t n_errors;
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

/* Writes path.key (or key at the root) into dst. */
static void path_key(char *dst, size_t size, const char *path, const char *key)
{
    snprintf(dst, size, "%s%s%s", path, path[0] ? "." : "", key);
}

/* Reports unknown and missing members of obj; 0 when obj is not an object. */
static int check_object(reader *r, const json_value *obj, const char *path,
                        const char *const *allowed, const char *const *required)
{
    if (obj->type != JV_OBJECT) {
        fail(r, obj->line, obj->column, path, "expected an object, found %s", json_type_name(obj->type));
        return 0;
    }
    for (size_t i = 0; i < obj->n_members; i++) {
        const json_member *m = &obj->members[i];
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
        if (!json_member_get(obj, *q))
            fail(r, obj->line, obj->column, path, "missing required key \"%s\"", *q);
    return 1;
}

/* A heap copy of obj.key when it is a non-empty string, else NULL (reported). */
static char *get_string(reader *r, const json_value *obj, const char *key, const char *path)
{
    const json_member *m = json_member_get(obj, key);
    if (!m)
        return NULL;
    char p[300];
    path_key(p, sizeof p, path, key);
    if (m->value->type != JV_STRING || m->value->string_len == 0) {
        fail(r, m->value->line, m->value->column, p, "expected a non-empty string, found %s",
             m->value->type == JV_STRING ? "an empty one" : json_type_name(m->value->type));
        return NULL;
    }
    return strdup(m->value->string);
}

/* obj.key as 0/1 when it is a boolean; -1 when absent or wrong (reported). */
static int get_bool(reader *r, const json_value *obj, const char *key, const char *path)
{
    const json_member *m = json_member_get(obj, key);
    if (!m)
        return -1;
    if (m->value->type != JV_TRUE && m->value->type != JV_FALSE) {
        char p[300];
        path_key(p, sizeof p, path, key);
        fail(r, m->value->line, m->value->column, p, "expected true or false, found %s",
             json_type_name(m->value->type));
        return -1;
    }
    return m->value->type == JV_TRUE;
}

/* v as an integer in lo..hi; -1 when it is not one (reported). */
static int read_int(reader *r, const json_value *v, const char *path, int lo, int hi)
{
    if (v->type != JV_NUMBER || !v->is_integer) {
        fail(r, v->line, v->column, path, "expected an integer from %d to %d, found %s", lo, hi,
             v->type == JV_NUMBER ? "a fraction" : json_type_name(v->type));
        return -1;
    }
    if (v->number < lo || v->number > hi) {
        fail(r, v->line, v->column, path, "%.0f is out of range: expected %d to %d", v->number, lo, hi);
        return -1;
    }
    return (int)v->number;
}

/* One threshold: an integer 0..99, or "all" where allow_all. POLICY_UNSET when bad (reported). */
static int read_threshold(reader *r, const json_value *v, const char *path, int allow_all)
{
    if (allow_all && v->type == JV_STRING) {
        if (strcmp(v->string, "all") == 0)
            return POLICY_ALL;
        fail(r, v->line, v->column, path, "unknown word \"%s\": expected an integer or \"all\"", v->string);
        return POLICY_UNSET;
    }
    if (v->type != JV_NUMBER) {
        fail(r, v->line, v->column, path, "expected %s, found %s",
             allow_all ? "an integer or \"all\"" : "an integer", json_type_name(v->type));
        return POLICY_UNSET;
    }
    int n = read_int(r, v, path, 0, 99);
    return n < 0 ? POLICY_UNSET : n;
}

/* A per-level table: one threshold for every level, or an object whose keys are
 * levels ("1".."15"). Levels left out stay POLICY_UNSET. */
static void read_by_level(reader *r, const json_value *v, const char *path, int allow_all,
                          int out[POLICY_MAX_LEVEL + 1])
{
    for (int l = 0; l <= POLICY_MAX_LEVEL; l++)
        out[l] = POLICY_UNSET;
    if (v->type != JV_OBJECT) {
        if (v->type != JV_NUMBER && v->type != JV_STRING) {
            fail(r, v->line, v->column, path, "expected %s, or an object by level such as {\"1\": 1, \"4\": 2}",
                 allow_all ? "an integer, \"all\"" : "an integer");
            return;
        }
        int t = read_threshold(r, v, path, allow_all);
        for (int l = 1; l <= POLICY_MAX_LEVEL; l++)
            out[l] = t;
        return;
    }
    for (size_t i = 0; i < v->n_members; i++) {
        const json_member *m = &v->members[i];
        char p[300];
        path_key(p, sizeof p, path, m->key);
        char *end;
        errno = 0;
        long level = strtol(m->key, &end, 10);
        if (m->key[0] < '1' || m->key[0] > '9' || *end || level > POLICY_MAX_LEVEL) {
            fail(r, m->line, m->column, p, "\"%s\" is not a level: expected \"1\" to \"%d\"", m->key,
                 POLICY_MAX_LEVEL);
            continue;
        }
        out[level] = read_threshold(r, m->value, p, allow_all);
    }
}

/* A word member (one of words[]) as its index; -1 when absent or unknown (reported). */
static int get_word(reader *r, const json_value *obj, const char *key, const char *path,
                    const char *const *words)
{
    const json_member *m = json_member_get(obj, key);
    if (!m)
        return -1;
    char p[300];
    path_key(p, sizeof p, path, key);
    if (m->value->type == JV_STRING)
        for (int i = 0; words[i]; i++)
            if (strcmp(words[i], m->value->string) == 0)
                return i;
    char expected[200] = "";
    for (int i = 0; words[i]; i++)
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s\"%s\"",
                 i ? (words[i + 1] ? ", " : " or ") : "", words[i]);
    if (m->value->type == JV_STRING)
        fail(r, m->value->line, m->value->column, p, "unknown word \"%s\": expected %s", m->value->string,
             expected);
    else
        fail(r, m->value->line, m->value->column, p, "expected %s, found %s", expected,
             json_type_name(m->value->type));
    return -1;
}

static const char *const lower_words[] = { "warning", "required", NULL };

/* Reads the achievement block: 責任性 and the three checklists' thresholds. */
static void read_achievement(reader *r, const json_value *v, policy *p)
{
    static const char *const keys[] = { "responsibility", "complexity", "size", "task",
                                        "evidence_required", NULL };
    static const char *const item_keys[] = { "min_items", NULL };
    const char *path = "achievement";
    if (!check_object(r, v, path, keys, keys))
        return;
    p->responsibility_required = get_bool(r, v, "responsibility", path);
    p->items_need_evidence = get_bool(r, v, "evidence_required", path);
    for (int k = 0; k < CRITERION_KINDS; k++) {
        const char *key = catalog_criterion_key((catalog_criterion_kind)k);
        const json_member *m = json_member_get(v, key);
        if (!m)
            continue;
        char p1[300], p2[300];
        path_key(p1, sizeof p1, path, key);
        if (!check_object(r, m->value, p1, item_keys, item_keys))
            continue;
        const json_member *mi = json_member_get(m->value, "min_items");
        if (!mi)
            continue;
        path_key(p2, sizeof p2, p1, "min_items");
        read_by_level(r, mi->value, p2, 1, p->min_items[k]);
    }
}

/* Reads the experience block: records per level, at the level, failed ones. */
static void read_experience(reader *r, const json_value *v, policy *p)
{
    static const char *const keys[] = { "min_records", "min_records_at_level", "count_failed", NULL };
    const char *path = "experience";
    if (!check_object(r, v, path, keys, keys))
        return;
    const json_member *m = json_member_get(v, "min_records");
    if (m)
        read_by_level(r, m->value, "experience.min_records", 0, p->min_records);
    m = json_member_get(v, "min_records_at_level");
    if (m)
        p->min_records_at_level = read_int(r, m->value, "experience.min_records_at_level", 0, 99);
    p->count_failed = get_bool(r, v, "count_failed", path);
}

/* Reads the optional submission block: {"unanswered": "ask" | "refuse"}. */
static void read_submission(reader *r, const json_value *root, policy *p)
{
    static const char *const keys[] = { "unanswered", NULL };
    static const char *const no_keys[] = { NULL };
    static const char *const words[] = { "ask", "refuse", NULL };
    const json_member *m = json_member_get(root, "submission");
    p->submission_refuses_unanswered = 0;
    if (m && check_object(r, m->value, "submission", keys, no_keys))
        p->submission_refuses_unanswered = get_word(r, m->value, "unanswered", "submission", words) == 1;
}

/* Reads the optional notifications block: {"reminder_days": 0..365}. */
static void read_notifications(reader *r, const json_value *root, policy *p)
{
    static const char *const keys[] = { "reminder_days", NULL };
    static const char *const no_keys[] = { NULL };
    const json_member *m = json_member_get(root, "notifications");
    p->reminder_days = 7;
    if (m && check_object(r, m->value, "notifications", keys, no_keys)) {
        const json_member *d = json_member_get(m->value, "reminder_days");
        if (d)
            p->reminder_days = read_int(r, d->value, "notifications.reminder_days", 0, 365);
    }
}

/* Walks the document; errors are counted in r. */
static void read_policy(reader *r, const json_value *root, policy *p)
{
    static const char *const keys[] = { "format", "format_version", "id", "version", "title",
                                        "description", "achievement", "experience", "lower_levels",
                                        "proficiency", "knowledge", "certification", "qualifications",
                                        "submission", "notifications", NULL };
    static const char *const required[] = { "format", "format_version", "id", "version", "title",
                                            "achievement", "experience", "lower_levels",
                                            "proficiency", "knowledge", NULL };
    if (!check_object(r, root, "", keys, required))
        return;
    const json_member *m = json_member_get(root, "format");
    if (m && (m->value->type != JV_STRING || strcmp(m->value->string, "itss-policy") != 0))
        fail(r, m->value->line, m->value->column, "format", "expected \"itss-policy\": this is not a policy file");
    m = json_member_get(root, "format_version");
    if (m && read_int(r, m->value, "format_version", 1, 1) < 0)
        return;
    p->id = get_string(r, root, "id", "");
    p->version = get_string(r, root, "version", "");
    p->title = get_string(r, root, "title", "");
    m = json_member_get(root, "description");
    if (m && m->value->type != JV_STRING)
        fail(r, m->value->line, m->value->column, "description", "expected a string, found %s",
             json_type_name(m->value->type));
    if ((m = json_member_get(root, "achievement")))
        read_achievement(r, m->value, p);
    if ((m = json_member_get(root, "experience")))
        read_experience(r, m->value, p);
    p->lower_levels_required = get_word(r, root, "lower_levels", "", lower_words);

    static const char *const prof_keys[] = { "lower_levels", NULL };
    if ((m = json_member_get(root, "proficiency")) && check_object(r, m->value, "proficiency", prof_keys, prof_keys))
        p->proficiency_lower_required = get_word(r, m->value, "lower_levels", "proficiency", lower_words);

    static const char *const know_keys[] = { "min_rating", NULL };
    if ((m = json_member_get(root, "knowledge")) && check_object(r, m->value, "knowledge", know_keys, know_keys)) {
        const json_member *mr = json_member_get(m->value, "min_rating");
        if (mr)
            p->knowledge_min_rating = read_int(r, mr->value, "knowledge.min_rating", 0, 4);
    }

    /* Optional: {"valid_until": "end_of_cycle" | "end_of_next_cycle"} or {"valid_months": N}. */
    static const char *const cert_keys[] = { "valid_until", "valid_months", NULL };
    static const char *const no_keys[] = { NULL };
    p->certificate_valid_cycles = 1;
    if ((m = json_member_get(root, "certification"))
        && check_object(r, m->value, "certification", cert_keys, no_keys)) {
        const json_member *mv = json_member_get(m->value, "valid_until");
        if (mv) {
            if (mv->value->type == JV_STRING && strcmp(mv->value->string, "end_of_cycle") == 0)
                p->certificate_valid_cycles = 0;
            else if (mv->value->type == JV_STRING && strcmp(mv->value->string, "end_of_next_cycle") == 0)
                p->certificate_valid_cycles = 1;
            else
                fail(r, mv->value->line, mv->value->column, "certification.valid_until",
                     "expected \"end_of_cycle\" or \"end_of_next_cycle\"");
        }
        const json_member *mm = json_member_get(m->value, "valid_months");
        if (mm)
            p->certificate_valid_months = read_int(r, mm->value, "certification.valid_months", 1, 120);
    }

    /* Optional: {"substitute": false (the default) | true}: docs/policy.md. */
    static const char *const qual_keys[] = { "substitute", NULL };
    if ((m = json_member_get(root, "qualifications"))
        && check_object(r, m->value, "qualifications", qual_keys, qual_keys))
        p->qualification_substitutes = get_bool(r, m->value, "substitute", "qualifications");
    read_submission(r, root, p);
    read_notifications(r, root, p);
}

/* Parses a policy; NULL with errors in *errors. The caller frees it with policy_free(). */
policy *policy_parse(const char *text, size_t len, const char *name, err_list *errors)
{
    reader r = { name ? name : "", errors, 0 };
    err e;
    json_value *root = json_parse(text, len, r.name, &e);
    if (!root) {
        if (errors)
            err_add(errors, e.where, e.line, e.column, e.path, "%s", e.message);
        return NULL;
    }
    policy *p = calloc(1, sizeof *p);
    if (!p) {
        json_free(root);
        err_add(errors, r.name, 0, 0, "", "out of memory");
        return NULL;
    }
    p->name = strdup(r.name);
    p->text = xmalloc(len + 1);
    memcpy(p->text, text, len);
    p->text[len] = '\0';
    p->text_len = len;
    read_policy(&r, root, p);
    json_free(root);
    if (r.n_errors) {
        policy_free(p);
        return NULL;
    }
    return p;
}

/* Reads the file at path and parses it; NULL with errors. */
policy *policy_load_file(const char *path, err_list *errors)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_add(errors, path, 0, 0, "", "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        err_add(errors, path, 0, 0, "", "is a directory, not a policy file");
        return NULL;
    }
    size_t cap = 1 << 14, len = 0;
    char *text = malloc(cap);
    while (text) {
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0 || len > POLICY_MAX_FILE)
            break;
        if (len == cap) {
            char *grown = realloc(text, cap *= 2);
            if (!grown)
                free(text);
            text = grown;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (!text) {
        err_add(errors, path, 0, 0, "", "out of memory");
        return NULL;
    }
    if (failed || len > POLICY_MAX_FILE) {
        free(text);
        if (failed)
            err_add(errors, path, 0, 0, "", "read error");
        else
            err_add(errors, path, 0, 0, "", "a policy file may be at most %u bytes", POLICY_MAX_FILE);
        return NULL;
    }
    policy *p = policy_parse(text, len, path, errors);
    free(text);
    return p;
}

/* The built-in default policy (policy/default.json). */
policy *policy_load_builtin(err_list *errors)
{
    return policy_parse((const char *)policy_builtin_json, policy_builtin_json_len,
                        "policy/default.json (built in)", errors);
}

/* Frees the policy and its strings. NULL is allowed. */
void policy_free(policy *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->id);
    free(p->version);
    free(p->title);
    free(p->text);
    free(p);
}

/* Reports levels of the catalog for which p gives no threshold. */
int policy_check_catalog(const policy *p, const catalog *c, err_list *errors)
{
    int gaps = 0;
    int lo = catalog_level_min(c), hi = catalog_level_max(c);
    const char *name = p->name ? p->name : "";
    if (lo < 1 || hi > POLICY_MAX_LEVEL) {
        err_add(errors, name, 0, 0, "", "catalog %s uses levels %d to %d; a policy covers 1 to %d",
                catalog_id(c), lo, hi, POLICY_MAX_LEVEL);
        return 1;
    }
    for (int l = lo; l <= hi; l++) {
        for (int k = 0; k < CRITERION_KINDS; k++)
            if (p->min_items[k][l] == POLICY_UNSET) {
                err_add(errors, name, 0, 0, "", "achievement.%s.min_items gives no threshold for level %d",
                        catalog_criterion_key((catalog_criterion_kind)k), l);
                gaps++;
            }
        if (p->min_records[l] == POLICY_UNSET) {
            err_add(errors, name, 0, 0, "", "experience.min_records gives no threshold for level %d", l);
            gaps++;
        }
    }
    return gaps;
}

/* min(n, listed) or listed for "all"; -1 where the policy is silent (see policy.h). */
int policy_required_items(const policy *p, catalog_criterion_kind kind, int level, size_t listed)
{
    if (level < 1 || level > POLICY_MAX_LEVEL || (unsigned)kind >= CRITERION_KINDS)
        return -1;
    int t = p->min_items[kind][level];
    if (t == POLICY_UNSET)
        return -1;
    if (t == POLICY_ALL || (size_t)t > listed)
        return (int)listed;
    return t;
}

/* The records level needs; -1 where the policy is silent. */
int policy_required_records(const policy *p, int level)
{
    if (level < 1 || level > POLICY_MAX_LEVEL)
        return -1;
    return p->min_records[level];
}
