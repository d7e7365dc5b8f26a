/* store_bulk.h - answers of many assessments written inside one transaction:
 * the store's path for `itss import assessments` and `itss demo --people N`
 * (store_bulk.c).
 *
 * The rows it writes are those store_assessment_save_answers writes for the
 * same answers (the packed vectors, the evidence links, one `answers` history
 * row per assessment, the revision moved on), byte
 * for byte, and it creates assessments as store_assessment_create does; what it
 * saves is the work around them: no assessment struct per call, no string per
 * answer, no savepoint per call, the element numbers (answer_element) looked up
 * in an array by the caller's own numbering of the catalog's elements.
 *
 * A writer lives inside one transaction of the caller's (store_begin before
 * store_bulk_new, store_bulk_free before the commit or rollback). A call that
 * fails leaves what it had written so far in that transaction: the caller rolls
 * the whole transaction back (every later call on the writer fails). */
#ifndef ITSS_STORE_BULK_H
#define ITSS_STORE_BULK_H

#include <stddef.h>
#include <stdint.h>
#include "assessment.h"
#include "err.h"
#include "store.h"

typedef struct store_bulk store_bulk;

/* The assessment the answers go to (store_bulk_assessment fills it). */
typedef struct store_bulk_target {
    int64_t id, person_id;
    int created;                   /* created by this call */
    assessment_status status;
    int same_catalog;              /* made against the writer's catalog version */
    char catalog_id[64], catalog_version[64];   /* its own (for a message when not the same) */
} store_bulk_target;

/* One evidence link of a given answer: element is the caller's number. */
typedef struct store_bulk_link {
    int rater;
    uint32_t element;
    int64_t experience_id;
} store_bulk_link;

/* One experience record of a person. */
typedef struct store_bulk_record {
    int64_t id;
    const char *specialization_id; /* the writer's copy, valid until the next store_bulk_records */
    int level, succeeded;
} store_bulk_record;

/* A writer for the answers of assessments made against catalog (catalog_id,
 * version), whose answerable elements the caller numbers 0..n-1 by ids[]
 * (distinct; borrowed: they must outlive the writer). Needs an open
 * transaction. NULL with *e when the dictionary cannot be read. */
store_bulk *store_bulk_new(store *s, const char *catalog_id, const char *version, const char *const *ids, size_t n,
                           err *e);
void store_bulk_free(store_bulk *b);

/* The assessment of (person, cycle) into *t: found, or created as a draft
 * against the writer's catalog version (with its `created` history row by
 * actor). 0, or -1 with *e. */
int store_bulk_assessment(store_bulk *b, int64_t person_id, int64_t cycle_id, const char *actor,
                          store_bulk_target *t, err *e);

/* The experience records of person_id, ascending by id, into *out (n in *n):
 * the writer's memory, valid until the next call for another person. 0, or -1. */
int store_bulk_records(store_bulk *b, int64_t person_id, const store_bulk_record **out, size_t *n, err *e);

/* Sets the given answers of t: codes[rater][i] is 0 for element i not given,
 * else its value + 1; links[] (any order) the evidence of given answers, which
 * replaces what those answers had (each must be a record of t's person).
 * Answers not given keep what they hold. Refused for an approved assessment.
 * Writes what changed, with one history row; nothing when nothing changed.
 * The kept results (levels of the self answers) are dropped when the self
 * answers changed.
 * 0, or -1 with *e (e->path the element id when an answer is at fault). */
int store_bulk_put(store_bulk *b, const store_bulk_target *t, const uint8_t *const codes[RATER_COUNT],
                   const store_bulk_link *links, size_t n_links, const char *actor, err *e);

/* Sets t's status (t->status is what it holds) by actor, with its `status`
 * history row, as store_assessment_set_status does; t->status follows. */
int store_bulk_status(store_bulk *b, store_bulk_target *t, assessment_status status, const char *actor, err *e);

/* After store_bulk_put on t: the codes every element of the caller's numbering
 * holds now for rater (0 unanswered, else value + 1), n of them. The writer's
 * memory, valid until the next put. */
const uint8_t *store_bulk_codes(const store_bulk *b, int rater);

/* Keeps levels[0..n_specs) as the results of t under policy (id@version) for
 * spec_ids[] (what store_result_put keeps, without a detail). 0, or -1. */
int store_bulk_levels(store_bulk *b, const store_bulk_target *t, const char *policy, const char *const *spec_ids,
                      const int *levels, size_t n_specs, err *e);

#endif
