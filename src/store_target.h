/* store_target.h - 要員計画 (staffing targets) and saved talent searches in the
 * store (schema version 10; store_target.c). A target is the head count HR
 * wants at a level or above, per cycle × org unit (the unit with the units
 * below it) × specialization. A saved search is a user's named query string of
^ * /search. Part of the one store interface (store.h). */
#ifndef ITSS_STORE_TARGET_H
#define ITSS_STORE_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "store.h"

typedef struct store_target {
    int64_t cycle_id, org_unit_id;
    char *org_code, *org_name;     /* read only */
    char *specialization_id;       /* "CS.HW" */
    int level;                     /* 1.. : at this level or above */
    int64_t head_count;
    char *updated_by, *updated_at; /* read only */
} store_target;

typedef struct store_target_list {
    store_target *items;
    size_t count;
} store_target_list;

/* Sets the target of (cycle, unit, specialization, level) to head_count, or
 * removes it when head_count is below 0; actor is recorded. Refuses an unknown
 * cycle or unit (field "cycle", "org_unit"), a level below 1. The caller may
 * hold a transaction (an import: store_begin ... store_commit). */
int store_target_set(store *s, int64_t cycle_id, int64_t org_unit_id, const char *specialization_id, int level,
                     int64_t head_count, const char *actor, err *e);
/* The targets of cycle_id, by unit code, specialization and level. */
int store_target_list_cycle(store *s, int64_t cycle_id, store_target_list *out, err *e);
void store_target_list_free(store_target_list *l);

typedef struct store_saved_search {
    int64_t id, user_id;
    char *name, *query, *created_at;
} store_saved_search;

typedef struct store_saved_search_list {
    store_saved_search *items;
    size_t count;
} store_saved_search_list;

/* Saves query under name for user_id (replacing the user's search of that name);
 * *id (may be NULL) gets its id. Names are 1 to 100 bytes, one line. */
int store_saved_search_put(store *s, int64_t user_id, const char *name, const char *query, int64_t *id, err *e);
/* The user's saved searches by name. */
int store_saved_search_list_user(store *s, int64_t user_id, store_saved_search_list *out, err *e);
/* Deletes the user's search id: 1, or 0 when the user has no such search. */
int store_saved_search_delete(store *s, int64_t user_id, int64_t id, err *e);
void store_saved_search_list_free(store_saved_search_list *l);

#endif
