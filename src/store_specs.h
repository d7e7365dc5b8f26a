/* store_specs.h - the specializations a diagnosis is made in, as the engineer
 * chose them (schema version 13; store_specs.c). One row per assessment and
 * specialization; an assessment without rows has no choice yet, and then the
 * specializations it has answers of its own in stand for it
 * (assessment_specs.h), which keeps the meaning of databases made before the
 * choice existed. Part of the one store interface (store.h). */
#ifndef ITSS_STORE_SPECS_H
#define ITSS_STORE_SPECS_H

#include <stddef.h>
#include <stdint.h>
#include "assessment.h"
#include "catalog.h"
#include "err.h"
#include "store.h"

typedef struct store_spec_choice {
    char **ids;                /* specialization ids ("CS.HW"), ascending */
    size_t count;              /* 0: nothing chosen yet */
    char *chosen_by, *chosen_at;   /* of the latest choice; NULL when none */
} store_spec_choice;

/* The choice of assessment_id into *out (count 0 when none). */
int store_spec_choice_get(store *s, int64_t assessment_id, store_spec_choice *out, err *e);
/* Makes ids[0..n) the choice of assessment_id (replacing it), by actor, in one
 * transaction. Refuses (ERR_INVALID, key "specs.none", field "specs") an empty
 * choice, (ERR_CONFLICT, "assessment.approved") once the assessment is
 * approved, (ERR_NOT_FOUND) an unknown assessment. Whether the ids are
 * specializations of the catalog is for the caller to check. */
int store_spec_choice_set(store *s, int64_t assessment_id, const char *const *ids, size_t n, const char *actor,
                          err *e);
void store_spec_choice_clear(store_spec_choice *c);

/* The specializations assessment_id (loaded as a; a may be NULL when there is
 * none yet, id 0) is diagnosed in: assessment_specs.h's rule over its stored
 * choice, into diagnosed[catalog_spec_count(c)]. *chosen (may be NULL) is 1
 * when the person chose. Returns how many are diagnosed, or -1. */
int store_diagnosed_specs(store *s, const catalog *c, int64_t assessment_id, const assessment *a, int *diagnosed,
                          int *chosen, err *e);

#endif
