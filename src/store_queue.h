/* store_queue.h - the submissions waiting for a manager (store_queue.c): the
 * submitted assessments of the people below a person in the reporting line
 * (their reports, their reports' reports ...: review.h's rule for a manager),
 * counted and the oldest read in the database, so that /home reads only the
 * manager's reach rather than every submission of the organization and each
 * submitter's chain. Part of the one store interface (store.h). */
#ifndef ITSS_STORE_QUEUE_H
#define ITSS_STORE_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "store.h"

/* How many submitted assessments the people below manager_person_id have
 * (at most 256 levels down, as review_may_review looks up), into *total, and
 * the ids of the `limit` longest unchanged (oldest updated_at first, then id)
 * into ids (*n of them; the caller's array of limit). 0, or -1 with *e. */
int store_queue_below(store *s, int64_t manager_person_id, size_t limit, int64_t *total, int64_t *ids, size_t *n,
                      err *e);

#endif
