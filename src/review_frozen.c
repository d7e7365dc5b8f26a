/* review_frozen.c - what an approval froze, shown as it was approved
 * (review.h review_approval_frozen; docs/review.md "What approval freezes").
 *
 * An approval made before schema 14 holds the engine's result and explanation
 * as texts. A compact one (store_approval_basis) holds what gives them again:
 * the answers as they stood (the append-only history up to a row), the
 * agreements, the experience records' content (JSON), the person's number and
 * name and the cycle as they stood, the policy file's text; and the digest of
 * the texts approved. The engine is pure, so the same inputs give the same
 * texts: they are rebuilt and checked against the digest, and a difference (a
 * catalog edited under the same version, a changed engine) is reported as
 * such, never shown as if it were what was approved. */
#include "review.h"
#include "engine.h"
#include "explain.h"
#include "buf.h"
#include "xalloc.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void review_result_texts(const engine_result *r, char **result, char **explanation)
{
    json_t *j = engine_result_json(r, NULL);
    *result = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!*result)
        abort();
    buf b;
    buf_init(&b);
    explain_text(&b, r, NULL);
    *explanation = b.data ? buf_detach(&b) : xstrdup("");
}

void review_digest(const char *result, const char *explanation, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)result, strlen(result));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)explanation, strlen(explanation));
    crypto_hash_sha256_final(&st, h);
    for (size_t i = 0; i < sizeof h; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The string member key of o, NULL when absent or not a string. */
static const char *member(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The strings of array member key of o into *items (pointers into o). */
static size_t member_list(json_t *o, const char *key, char ***items)
{
    json_t *arr = json_object_get(o, key);
    size_t n = json_array_size(arr);
    *items = xcalloc(n ? n : 1, sizeof **items);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (json_string_value(json_array_get(arr, i)))
            (*items)[k++] = (char *)json_string_value(json_array_get(arr, i));
    return k;
}

/* Adds to a the experience records of the approval's JSON array (as review.c's
 * experience_json wrote them). 0, or -1 when it does not parse. */
static int add_records(assessment *a, const char *text)
{
    json_error_t jerr;
    json_t *arr = json_loads(text ? text : "", 0, &jerr);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        assessment_experience x;
        memset(&x, 0, sizeof x);
        x.id = (char *)member(o, "id");
        x.project = (char *)member(o, "project");
        x.period_from = (char *)member(o, "period_from");
        x.period_to = (char *)member(o, "period_to");
        x.role = (char *)member(o, "role");
        x.specialization_id = (char *)member(o, "specialization");
        x.level = (int)json_integer_value(json_object_get(o, "level"));
        x.succeeded = json_is_true(json_object_get(o, "succeeded"));
        x.description = (char *)member(o, "description");
        x.n_complexity_items = member_list(o, "complexity", &x.complexity_items);
        x.n_size_items = member_list(o, "size", &x.size_items);
        assessment_add_experience(a, &x);
        free(x.complexity_items);
        free(x.size_items);
    }
    json_decref(arr);
    return 0;
}

/* The assessment as compact approval ap saw it, from basis b: answers as they
 * stood, records, agreements applied. NULL with *e (-1 in *rc for a store
 * failure, REVIEW_E_CONFLICT when what it keeps does not read). */
static assessment *assessment_then(store *db, const store_approval *ap, const store_approval_basis *b, int *rc,
                                   err *e)
{
    assessment *a = assessment_new(b->employee_number, b->person_name, b->cycle, ap->catalog_id,
                                   ap->catalog_version);
    if (store_answers_load_through(db, ap->assessment_id, b->answers_through, a, e) < 0) {
        *rc = -1;
    } else if (add_records(a, ap->experience) < 0) {
        err_set(e, "", 0, 0, "approval", "approval %lld: its experience records do not read as JSON",
                (long long)ap->id);
        *rc = REVIEW_E_CONFLICT;
    } else {
        store_agreement_list agreed = { .element_ids = b->agreed, .count = b->n_agreed };
        review_apply_agreements(a, &agreed);
        return a;
    }
    assessment_free(a);
    return NULL;
}

/* Rebuilds compact approval ap's texts under catalog c into *result and
 * *explanation, checked against its digest (see review.h). */
static int rebuild(store *db, const catalog *c, const store_approval *ap, char **result, char **explanation, err *e)
{
    store_approval_basis b;
    int found = store_approval_basis_get(db, ap->id, &b, e);
    if (found <= 0) {
        if (found == 0)
            err_set(e, "", 0, 0, "approval", "approval %lld keeps nothing to rebuild its result from",
                    (long long)ap->id);
        return found < 0 ? -1 : REVIEW_E_CONFLICT;
    }
    int rc = 0;
    policy *p = policy_parse(b.policy_text, strlen(b.policy_text), "the policy an approval keeps", NULL);
    if (!p) {
        err_set(e, "", 0, 0, "approval", "approval %lld: the policy text it keeps does not parse", (long long)ap->id);
        rc = REVIEW_E_CONFLICT;
    }
    assessment *a = rc == 0 ? assessment_then(db, ap, &b, &rc, e) : NULL;
    if (a) {
        engine_result *r = engine_assess(c, p, a, RATER_MANAGER);
        if (!r)
            abort();
        review_result_texts(r, result, explanation);
        engine_result_free(r);
        char digest[65];
        review_digest(*result, *explanation, digest);
        if (strcmp(digest, b.digest) != 0) {
            err_set(e, "", 0, 0, "approval", "approval %lld: the result rebuilt from what it keeps differs from "
                    "the one approved (digest %.12s..., approved %.12s...): the catalog %s %s or the engine has "
                    "changed since; its levels stand as approved", (long long)ap->id, digest, b.digest,
                    ap->catalog_id, ap->catalog_version);
            free(*result);
            free(*explanation);
            *result = *explanation = NULL;
            rc = REVIEW_E_CONFLICT;
        }
    }
    assessment_free(a);
    policy_free(p);
    store_approval_basis_clear(&b);
    return rc;
}

int review_approval_frozen(store *db, const catalog *c, const store_approval *ap, char **result, char **explanation,
                           err *e)
{
    *result = *explanation = NULL;
    if (ap->answers_through <= 0) {
        *result = xstrdup(ap->result ? ap->result : "");
        *explanation = xstrdup(ap->explanation ? ap->explanation : "");
        return 0;
    }
    if (strcmp(ap->catalog_id, catalog_id(c)) != 0 || strcmp(ap->catalog_version, catalog_version(c)) != 0) {
        err_set(e, "", 0, 0, "catalog", "approval %lld was made under catalog %s version %s, not %s version %s: "
                "its result is rebuilt with that catalog", (long long)ap->id, ap->catalog_id, ap->catalog_version,
                catalog_id(c), catalog_version(c));
        return REVIEW_E_CONFLICT;
    }
    return rebuild(db, c, ap, result, explanation, e);
}
