/* store_team.h - the team of a manager or HR as /team pages it (store_team.c):
 * the people a filter takes, each with the state of their assessment of one
 * cycle, narrowed by that state and sorted, one page at a time. Filtering and
 * sorting happen in the database because the team is paged (issue 12, Missing
 * 6): a page of 100 sorted by submission date must be the 100 oldest of the
 * whole team, not of the page. Part of the one store interface (store.h). */
#ifndef ITSS_STORE_TEAM_H
#define ITSS_STORE_TEAM_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "store.h"

/* A member's state in the cycle, in the order of the campaign. */
typedef enum store_team_state {
    TEAM_STATE_ANY = -1,         /* a filter: every state */
    TEAM_STATE_NOT_STARTED = 0,  /* 未着手: no assessment in the cycle */
    TEAM_STATE_DRAFT,            /* 回答中 */
    TEAM_STATE_RETURNED,         /* 差戻し */
    TEAM_STATE_SUBMITTED,        /* 提出済 */
    TEAM_STATE_APPROVED,         /* 承認済 (as a filter: certified ones too) */
    TEAM_STATE_CERTIFIED,        /* 認定: approved, with a certificate valid today */
    TEAM_STATE_COUNT
} store_team_state;

typedef enum store_team_sort {
    TEAM_SORT_NUMBER,            /* employee number (the default) */
    TEAM_SORT_NAME,              /* reading (kana, else the name), then number */
    TEAM_SORT_UNIT,              /* unit code, then number */
    TEAM_SORT_STATE,             /* store_team_state ascending, then number */
    TEAM_SORT_SUBMITTED,         /* last submission, oldest first; never submitted last */
    TEAM_SORT_LEVEL,             /* highest approved level, highest first; none last */
    TEAM_SORT_COUNT
} store_team_sort;

typedef struct store_team_query {
    int64_t org_unit_id;         /* only this unit ... */
    int include_sub_units;       /* ... and, when 1, the units below it */
    int64_t manager_id;          /* only the direct reports of this person */
    int64_t cycle_id;            /* the cycle whose assessments give the state */
    int64_t exclude_person_id;   /* not this person (the user: one does not review oneself) */
    int state;                   /* a store_team_state; TEAM_STATE_ANY: no filter */
    int sort;                    /* a store_team_sort */
    const char *today;           /* YYYY-MM-DD: certificates valid on this day count; people who left on
                                  * or before it are not in the team */
    int64_t limit, offset;       /* one page (limit 0: all) */
} store_team_query;

typedef struct store_team_row {
    int64_t person_id;
    int state;                   /* a store_team_state */
    char *submitted_at;          /* the last submission (UTC), or NULL */
} store_team_row;

typedef struct store_team_list {
    store_team_row *items;
    size_t count;
} store_team_list;

/* One page of the people q takes, in q's order. */
int store_team_page(store *s, const store_team_query *q, store_team_list *out, err *e);
/* How many people q takes (limit and offset ignored). */
int store_team_count(store *s, const store_team_query *q, int64_t *count, err *e);
void store_team_list_free(store_team_list *l);

/* The names of states and sorts as URLs and the API spell them
 * ("not_started" ... "certified"; "number" ... "level"), and back: -1 when
 * the name is none of them. */
const char *store_team_state_name(int state);
int store_team_state_parse(const char *name);
const char *store_team_sort_name(int sort);
int store_team_sort_parse(const char *name);

#endif
