/* web_access.c - the one rule of who may see whose data (see web_access.h). */
#include "web_access.h"
#include "review.h"

#include <stdio.h>
#include <string.h>

/* The org unit of person id (0 when none); -1 on failure (answered). */
static int64_t person_unit(web_request *r, store *db, int64_t id, int64_t *manager_id)
{
    store_person p = { 0 };
    err e;
    int found = store_person_get(db, id, &p, &e);
    if (found < 0) { web_store_failed(r, "access rule", &e); return -1; }
    int64_t unit = found ? p.org_unit_id : 0;
    if (manager_id) *manager_id = found ? p.manager_id : 0;
    store_person_clear(&p);
    return found ? unit : -2;
}

/* 1 when unit lies in (or is) top's subtree; -1 on failure (answered). */
static int unit_within(web_request *r, store *db, int64_t unit, int64_t top)
{
    if (unit <= 0 || top <= 0) return 0;
    if (unit == top) return 1;
    for (int hops = 0; hops < 64 && unit > 0; hops++) {
        store_org_unit u = { 0 };
        err e;
        int found = store_org_get(db, unit, &u, &e);
        if (found < 0) { web_store_failed(r, "access rule", &e); return -1; }
        int64_t parent = found ? u.parent_id : 0;
        store_org_unit_clear(&u);
        if (parent == top) return 1;
        unit = parent;
    }
    return 0;
}

/* Whether the manager r->user reaches person_id (not themselves). */
static int manager_reaches(web_request *r, int64_t person_id)
{
    store *db = web_store(r);
    if (!db) return -1;
    int64_t own_unit = person_unit(r, db, r->user->person_id, NULL);
    if (own_unit == -1) return -1;
    int64_t manager_id = 0;
    int64_t unit = person_unit(r, db, person_id, &manager_id);
    if (unit == -1) return -1;
    if (unit == -2) return 0;                         /* no such person */
    if (manager_id == r->user->person_id) return 1;   /* a direct report */
    if (own_unit <= 0) return 0;
    return unit_within(r, db, unit, own_unit);
}

int web_may_see_person(web_request *r, int64_t person_id)
{
    if (!r->user || person_id <= 0) return 0;
    if (r->user->role == ROLE_HR) return 1;
    if (r->user->person_id == person_id) return 1;
    if (r->user->role == ROLE_MANAGER && r->user->person_id > 0) return manager_reaches(r, person_id);
    return 0;
}

/* The rule of review.h for r's user: 1, 0 with *why, -1 after answering 503. */
static int review_rule(web_request *r, int64_t person_id, review_refusal *why)
{
    *why = REVIEW_NO_ROLE;
    if (!r->user || person_id <= 0)
        return 0;
    review_role role = r->user->role == ROLE_HR ? REVIEWER_HR
                       : r->user->role == ROLE_MANAGER ? REVIEWER_MANAGER : REVIEWER_NONE;
    store *db = web_store(r);
    if (!db) return -1;
    err e;
    memset(&e, 0, sizeof e);
    int may = review_may_review(db, role, r->user->person_id, person_id, why, &e);
    if (may < 0) {
        char line[600];
        fprintf(stderr, "itss serve: reviewing rule: %s\n", err_format(&e, line, sizeof line));
        web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
    }
    return may;
}

int web_may_review_person(web_request *r, int64_t person_id)
{
    review_refusal why;
    return review_rule(r, person_id, &why);
}

int web_require_reviewer(web_request *r, int64_t person_id)
{
    review_refusal why;
    int may = review_rule(r, person_id, &why);
    if (may == 0) {
        char key[48];
        snprintf(key, sizeof key, "rule.%s", review_refusal_code(why));
        web_reply_error(r, 403, "not_reviewer", web_t(r, key), NULL);
    }
    return may;
}

int web_people_scope(web_request *r, store_person_filter *f)
{
    if (!r->user) return 0;
    if (r->user->role == ROLE_HR) return 1;
    if (r->user->role != ROLE_MANAGER || r->user->person_id <= 0) return 0;
    store *db = web_store(r);
    if (!db) return -1;
    int64_t own_unit = person_unit(r, db, r->user->person_id, NULL);
    if (own_unit == -1) return -1;
    if (own_unit > 0) {
        f->org_unit_id = own_unit;
        f->include_sub_units = 1;
    } else {
        f->manager_id = r->user->person_id;
    }
    return 1;
}

int web_path_person(web_request *r, int64_t *id)
{
    if (web_path_param_id(r, "id", id) < 0)
        return -1;
    int may = web_may_see_person(r, *id);
    if (may == 0)
        web_reply_403(r);       /* as every page and API of a person answers one out of reach */
    return may > 0 ? 0 : -1;
}
