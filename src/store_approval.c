/* store_approval.c - what a compact approval keeps (schema 14, docs/store.md
 * "Schema version 14"; store.h store_approval_basis): the history row its
 * answers stood at, the agreements (element numbers of the catalog version's
 * dictionary, as varint differences), the person's number and name and the
 * cycle as they stood, the policy file's text (kept once per distinct text, by
 * its SHA-256, in policy_text) and the digest of the result and explanation
 * approved. store_review.c records it in the approval's transaction; the
 * review layer (review_approval_frozen) rebuilds the result from it. Both
 * tables are append-only. Slots from STORE_SLOT_COMPACT. */
#include "store_internal.h"
#include "store_packed.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

#define QUERY_BASE STORE_SLOT_COMPACT
#define APPROVAL_BASIS_QUERIES(X) \
    X(POLICY_FIND, "SELECT id FROM policy_text WHERE sha256 = ?") \
    X(POLICY_INSERT, "INSERT INTO policy_text (sha256, body) VALUES (?, ?) RETURNING id") \
    X(THROUGH, "SELECT MAX(id) FROM assessment_history WHERE assessment_id = ?") \
    X(CATALOG_OF, "SELECT catalog_id, catalog_version FROM assessment WHERE id = ?") \
    X(BASIS_INSERT, "INSERT INTO approval_basis (approval_id, answers_through, policy_text_id, employee_number, " \
                    "person_name, cycle, digest, agreed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)") \
    X(BASIS_GET, "SELECT b.answers_through, b.employee_number, b.person_name, b.cycle, b.digest, p.body, b.agreed, " \
                 "a.catalog_id, a.catalog_version FROM approval_basis b " \
                 "JOIN policy_text p ON p.id = b.policy_text_id JOIN approval ap ON ap.id = b.approval_id " \
                 "JOIN assessment a ON a.id = ap.assessment_id WHERE b.approval_id = ?")

enum { Q_FIRST_ = QUERY_BASE - 1, APPROVAL_BASIS_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { APPROVAL_BASIS_QUERIES(STORE_QUERY_SQL) };

/* The SHA-256 of text in hex into out[65]. */
static void sha256_hex(const char *text, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    for (size_t i = 0; i < sizeof h; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* The id of the policy_text row holding text, added when none does. 0, or -1. */
static int policy_text_id(store *s, const char *text, int64_t *id, err *e)
{
    char hex[65];
    sha256_hex(text, hex);
    int rc = QUERY_INT(s, Q_POLICY_FIND, id, e, "t", hex);
    if (rc == 0)
        rc = QUERY_INT(s, Q_POLICY_INSERT, id, e, "tt", hex, text);
    return rc == 1 ? 0 : -1;
}

/* The agreed element ids of b as dictionary numbers, ascending, as varint
 * differences into out (empty for none). 0, or -1. */
static int agreed_encode(store *s, int64_t assessment_id, const store_approval_basis *b, buf *out, err *e)
{
    if (b->n_agreed == 0)
        return 0;
    store_stmt *st = QUERY_OPEN(s, Q_CATALOG_OF, e, "i", assessment_id);
    int rc = st ? store_q_step(s, st, e) : -1;
    elem_dict *d = NULL;
    if (rc == 1)
        d = store_dict_get(s, store_q_text(s, st, 0), store_q_text(s, st, 1), e);
    else if (rc == 0)
        err_set(e, "", 0, 0, "assessment", "no assessment %lld", (long long)assessment_id);
    if (st)
        store_q_close(s, st);
    if (!d)
        return -1;
    uint32_t *numbers = xmalloc(b->n_agreed * sizeof *numbers);
    for (size_t i = 0; i < b->n_agreed; i++) {
        long k = store_dict_number(s, d, b->agreed[i], e);
        if (k < 0) {
            free(numbers);
            return -1;
        }
        numbers[i] = (uint32_t)k;
    }
    store_numbers_encode(numbers, b->n_agreed, out);
    free(numbers);
    return 0;
}

int store_approval_basis_add(store *s, int64_t approval_id, int64_t assessment_id, const store_approval_basis *b,
                             err *e)
{
    if (!b->policy_text || !*b->policy_text || !b->employee_number || !b->person_name || !b->cycle || !b->digest
        || strlen(b->digest) != 64)
        return store_field_error(e, "approval", "a compact approval needs the policy's text, the person's number "
                                 "and name, the cycle and the digest of its result");
    int64_t policy_id = 0, through = 0;
    if (policy_text_id(s, b->policy_text, &policy_id, e) < 0)
        return -1;
    if (QUERY_INT(s, Q_THROUGH, &through, e, "i", assessment_id) < 0)
        return -1;
    if (through <= 0)
        return store_field_error(e, "assessment", "assessment %lld has no history to approve",
                                 (long long)assessment_id);
    buf agreed;
    buf_init(&agreed);
    int rc = agreed_encode(s, assessment_id, b, &agreed, e);
    store_stmt *st = rc == 0 ? QUERY_OPEN(s, Q_BASIS_INSERT, e, "iiittt" "t", approval_id, through, policy_id,
                                          b->employee_number, b->person_name, b->cycle, b->digest)
                             : NULL;
    if (st) {
        if (agreed.len)
            s->drv->bind_blob(st, 8, agreed.data, agreed.len);
        else
            s->drv->bind_text(st, 8, NULL);
        while ((rc = store_q_step(s, st, e)) == 1)
            ;
        store_q_close(s, st);
    } else {
        rc = -1;
    }
    buf_free(&agreed);
    return rc;
}

int store_approval_basis_get(store *s, int64_t approval_id, store_approval_basis *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = QUERY_OPEN(s, Q_BASIS_GET, e, "i", approval_id);
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    if (rc == 1) {
        out->answers_through = store_q_int(s, st, 0);
        out->employee_number = store_q_dup(s, st, 1);
        out->person_name = store_q_dup(s, st, 2);
        out->cycle = store_q_dup(s, st, 3);
        out->digest = store_q_dup(s, st, 4);
        out->policy_text = store_q_dup(s, st, 5);
        size_t len = 0;
        const unsigned char *p = store_q_blob(s, st, 6, &len);
        if (p && len) {
            elem_dict *d = store_dict_get(s, store_q_text(s, st, 7), store_q_text(s, st, 8), e);
            if (!d || store_numbers_ids(s, d, p, len, &out->agreed, &out->n_agreed, e) < 0)
                rc = -1;
        }
    }
    store_q_close(s, st);
    if (rc < 0)
        store_approval_basis_clear(out);
    return rc;
}

void store_approval_basis_clear(store_approval_basis *b)
{
    if (!b)
        return;
    free(b->policy_text);
    free(b->employee_number);
    free(b->person_name);
    free(b->cycle);
    free(b->digest);
    for (size_t i = 0; i < b->n_agreed; i++)
        free(b->agreed[i]);
    free(b->agreed);
    memset(b, 0, sizeof *b);
}
