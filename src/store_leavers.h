/* store_leavers.h - people whose leaving day comes (store_person.left_on;
 * store_leavers.c). Part of the one store interface (store.h).
 *
 * A left_on may be set ahead (the people CSV's 退職日): the person stays in
 * the current views until that day and is gone from them on it, with no write
 * on the day. A reader that keeps assessments in memory and reads only what
 * changed (store_assessment_changes, by revision) asks, on a new day, whose
 * day came since the last day it read (orgcols.c). */
#ifndef ITSS_STORE_LEAVERS_H
#define ITSS_STORE_LEAVERS_H

#include "err.h"
#include "store.h"

/* How many people have a left_on after `after` and on or before `today`
 * (YYYY-MM-DD each): *n. 0, or -1 with *e. */
int store_leavers_count(store *s, const char *after, const char *today, int64_t *n, err *e);

/* Calls fn for each assessment of a person whose left_on is after `after` and
 * on or before `today`, as store_assessment_changes gives it (`left` decided
 * for today: the person left before the assessment's cycle closed), by id. fn
 * returns 0 to go on, else that value is returned; fn may not call the store.
 * 0, or -1 with *e. */
int store_leavers_assessments(store *s, const char *after, const char *today,
                              int (*fn)(const store_assessment_change *c, void *ctx), void *ctx, err *e);

#endif
