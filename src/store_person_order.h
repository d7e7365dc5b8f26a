/* store_person_order.h - orders the store gives in bulk or by index for lists
 * of thousands: every person's sort keys (the org columns' drill-down sorts
 * in memory: orgcols.h) and the oldest of the review queue (/home). */
#ifndef ITSS_STORE_PERSON_ORDER_H
#define ITSS_STORE_PERSON_ORDER_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "store.h"

/* A person's place in the two orders lists sort by. */
typedef struct store_person_rank {
    int64_t person_id;
    int32_t by_number;         /* 0.. in employee-number order (byte order, as strcmp) */
    int32_t by_name;           /* 0.. in name order, equal names by employee number */
} store_person_rank;

/* Every person's ranks, sorted by person_id, into *out (*n of them; the caller
 * frees *out). 0, or -1 with *e. */
int store_person_ranks(store *s, store_person_rank **out, size_t *n, err *e);

/* The review queue: how many assessments have status, and the ids of the
 * `limit` longest unchanged (oldest updated_at first, then id) into ids
 * (*n of them; the caller's array of limit). 0, or -1 with *e. */
int store_assessment_queue(store *s, int status, size_t limit, int64_t *total, int64_t *ids, size_t *n, err *e);

#endif
