/* web_manager.c - チーム: what a manager (and HR) does with the diagnoses of
 * the people they reach.
 *
 *   GET  /team                      the team: people × specializations, level and status,
 *                                   filtered by status and sorted (store_team.h)
 *   (POST /team/approve, bulk approval: web_manager_bulk.c)
 *   GET  /people/:id/review         a member's diagnosis, the manager's rating beside the self-rating
 *   POST /people/:id/review         saves the manager's rating (rater manager, actor the login)
 *   POST /people/:id/comments       adds to the assessment's comment thread
 *   POST /people/:id/return         submitted -> returned, with a required comment
 *   POST /people/:id/approve        submitted -> approved
 * and the same under /api/v1 (team, people/:id/assessment, .../assessment/manager,
 * comments, return, approve). Whom a user reaches is web_access.h's one rule:
 * web_people_scope for the team, web_may_review_person for a member (never
 * their own assessment); the person themself may also write in their thread.
 *
 * The page and the API of each action share one function that checks and
 * saves, so that both refuse and change the same things: those, and the team
 * and review they are built from, are declared in web_manager_int.h; the API
 * is web_manager_api.c. */
#include "web_manager_int.h"
#include "web_kit.h"
#include "web_access.h"
#include "web_hr_data.h"
#include "review.h"
#include "store_team.h"
#include "store_specs.h"
#include "web_json.h"
#include "json.h"
#include "web_pages.h"
#include "html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEAM_PAGE_SIZE 100

/* ---- Shared small pieces ---------------------------------------------------------------- */

/* The decimal text of n in request memory. */
const char *manager_num(web_request *r, long long n)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", n);
    return web_strdup(r, text);
}

/* The :id of the route as a person the user may review, or -1 after
 * answering (404 for a malformed id, 403 when out of reach or their own). */
int64_t manager_reviewed_person(web_request *r)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0 || web_require_reviewer(r, id) <= 0)
        return -1;
    return id;
}

/* The element a reviewer rates, checked against the catalog (review.h). */
int manager_ratable(const web_eval *ev, const char *element_id, int *max)
{
    return review_ratable(ev->catalog, element_id, max);
}


/* Saves changes as the reviewer's decisions on assessment a in one
 * transaction, actor the user's login; then, when agree_rest, agrees with the
 * self-rating of every element still undecided. 0, or -1 after answering (409
 * once approved, 503). */
int manager_save_rating(web_request *r, const store_assessment *a, const rating_change *changes, size_t n,
                               int agree_rest)
{
    if (a->status == ASSESSMENT_APPROVED) {
        web_reply_error(r, 409, "conflict", web_t(r, "review.approved_locked"), NULL);
        return -1;
    }
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    if (store_begin(db, &e) < 0) {
        web_store_failed(r, "saving a rating", &e);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (changes[i].value < 0) {
            rc = store_answer_delete(db, a->id, changes[i].element_id, RATER_MANAGER, r->user->login, &e);
            if (rc >= 0)
                rc = store_agreement_set(db, a->id, changes[i].element_id, changes[i].value == RATING_AGREE,
                                         r->user->login, &e);
        } else {
            assessment_answer x = { .element_id = (char *)changes[i].element_id, .rater = RATER_MANAGER,
                                    .value = changes[i].value };
            rc = store_answer_save(db, a->id, &x, r->user->login, &e);
        }
        if (rc < 0) {
            store_rollback(db, NULL);
            web_store_failed(r, "saving a rating", &e);
            return -1;
        }
    }
    if (agree_rest) {
        int rc = review_agree_remaining(db, web_evaluator(r)->catalog, a->id, NULL, 0, 0, r->user->login, NULL,
                                        &e);
        if (rc != 0) {
            store_rollback(db, NULL);
            web_store_failed(r, "agreeing with the self-rating", &e);
            return -1;
        }
    }
    if (store_commit(db, &e) < 0) {
        web_store_failed(r, "saving a rating", &e);
        return -1;
    }
    return 0;
}

/* Adds a comment of kind by the user to assessment a. 0, or -1 after
 * answering (400 naming "body" when it is empty or too long, 503). */
int manager_add_comment(web_request *r, const store_assessment *a, store_comment_kind kind, const char *body,
                       const char *field, int64_t *id)
{
    if (!body || !*body || strspn(body, " \t\r\n") == strlen(body)) {
        web_reply_error(r, 400, "bad_request", web_t(r, "review.comment_missing"), field);
        return -1;
    }
    if (strlen(body) > STORE_COMMENT_MAX) {
        web_reply_error(r, 400, "bad_request", web_t(r, "review.comment_too_long"), field);
        return -1;
    }
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    if (store_comment_add(db, a->id, r->user->login, kind, body, id, &e) < 0) {
        if (strcmp(e.path, "body") == 0) {
            web_reply_error(r, 400, "bad_request", e.message, field);
            return -1;
        }
        web_store_failed(r, "adding a comment", &e);
        return -1;
    }
    return 0;
}

/* Moves assessment a from submitted to `to` (returned or approved), with a
 * comment (required for a return), in one transaction. 0, or -1 after
 * answering (409 when a is not submitted, 400 for a missing comment, 503). */
int manager_decide(web_request *r, const store_assessment *a, assessment_status to, const char *comment,
                  const char *field)
{
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    int has_comment = comment && comment[strspn(comment, " \t\r\n")];
    if (to == ASSESSMENT_RETURNED && !has_comment) {
        web_reply_error(r, 400, "bad_request", web_t(r, "review.return_needs_comment"), field);
        return -1;
    }
    if (store_begin(db, &e) < 0) {
        web_store_failed(r, "changing a status", &e);
        return -1;
    }
    store_assessment now;
    int found = store_assessment_get(db, a->id, &now, &e);
    if (found <= 0) {
        store_rollback(db, NULL);
        web_store_failed(r, "changing a status", &e);
        return -1;
    }
    assessment_status was = now.status;
    store_assessment_clear(&now);
    if (was != ASSESSMENT_SUBMITTED) {
        store_rollback(db, NULL);
        web_reply_error(r, 409, "conflict", web_t(r, "review.not_submitted"), "status");
        return -1;
    }
    if (to == ASSESSMENT_APPROVED) {
        const web_eval *ev = web_evaluator(r);
        int rc = ev ? review_approve(db, ev->catalog, ev->policy, a->id, r->user->login, comment, NULL, &e) : -1;
        if (rc == 0 && store_commit(db, &e) == 0)
            return 0;
        store_rollback(db, NULL);
        if (!ev)
            return -1;
        if (rc == REVIEW_E_INCOMPLETE) {
            /* review.h: the message begins with how many are undecided; its path names the first. */
            char count[24];
            snprintf(count, sizeof count, "%ld", strtol(e.message, NULL, 10));
            web_reply_error(r, 409, "review_incomplete",
                            web_text_tpl(r, web_t(r, "review.incomplete"), count, e.path, NULL), e.path);
        } else if (rc == REVIEW_E_CONFLICT) {
            web_reply_error(r, 409, "conflict", e.message, e.path[0] ? e.path : NULL);
        } else {
            web_store_failed(r, "approving", &e);
        }
        return -1;
    }
    if (strlen(comment) > STORE_COMMENT_MAX) {
        store_rollback(db, NULL);
        web_reply_error(r, 400, "bad_request", web_t(r, "review.comment_too_long"), field);
        return -1;
    }
    int rc = review_return(db, a->id, r->user->login, comment, &e);
    if (rc != 0) {
        store_rollback(db, NULL);
        if (rc == REVIEW_E_CONFLICT)
            web_reply_error(r, 409, "conflict", web_t(r, "review.not_submitted"), "status");
        else if (rc == REVIEW_E_INVALID)
            web_reply_error(r, 400, "bad_request", web_t(r, "review.return_needs_comment"), field);
        else
            web_store_failed(r, "changing a status", &e);
        return -1;
    }
    if (store_commit(db, &e) < 0) {
        web_store_failed(r, "changing a status", &e);
        return -1;
    }
    return 0;
}

/* ---- The team ---------------------------------------------------------------------------------- */


static void team_free(void *p)
{
    team *t = p;
    for (size_t i = 0; i < t->n_members; i++)
        store_assessment_clear(&t->members[i].assessment);
    free(t->members);
    store_person_list_free(&t->people);
    store_team_list_free(&t->rows);
    store_org_list_free(&t->units);
    store_cycle_clear(&t->cycle);
}

/* The cycle ?cycle= names, else the one in use today (of the open ones, the one
 * with the most assessments: a cycle just opened beside it does not take over),
 * else the latest. 0, or -1 after answering. t->cycle.id stays 0 when there
 * are no cycles at all. */
static int team_cycle(web_request *r, store *db, team *t)
{
    const char *asked = web_query(r, "cycle");
    err e;
    memset(&e, 0, sizeof e);
    int found;
    if (asked && *asked) {
        int64_t id;
        found = web_parse_int(asked, 1, INT64_MAX, &id) ? store_cycle_get(db, id, &t->cycle, &e)
                                                         : store_cycle_find(db, asked, &t->cycle, &e);
        if (found == 0) {
            web_reply_error(r, 404, "not_found", web_t(r, "results.no_cycle"), "cycle");
            return -1;
        }
    } else {
        found = store_cycle_in_use(db, NULL, &t->cycle, &e);
        if (found == 0) {
            store_cycle_list all;
            found = store_cycle_list_all(db, &all, &e) < 0 ? -1 : 0;
            if (found == 0 && all.count) {
                t->cycle = all.items[0];
                memset(&all.items[0], 0, sizeof all.items[0]);
            }
            if (found == 0)
                store_cycle_list_free(&all);
        }
    }
    if (found < 0) {
        web_store_failed(r, "cycles", &e);
        return -1;
    }
    return 0;
}

/* The ?status= filter and ?sort= order of the team (store_team.h's names).
 * 0, or -1 after answering 400 naming the parameter. */
static int team_order(web_request *r, team *t)
{
    const char *status = web_query(r, "status"), *sort = web_query(r, "sort");
    t->state = TEAM_STATE_ANY;
    t->sort = TEAM_SORT_NUMBER;
    if (status && *status && (t->state = store_team_state_parse(status)) < 0) {
        web_reply_400(r, web_t(r, "team.bad_status"), "status");
        return -1;
    }
    if (sort && *sort && (t->sort = store_team_sort_parse(sort)) < 0) {
        web_reply_400(r, web_t(r, "team.bad_sort"), "sort");
        return -1;
    }
    return 0;
}

/* Gathers the team of r's user: people in reach (web_people_scope), narrowed by
 * ?org=CODE within reach, one page of them, with this cycle's status and levels.
 * NULL after answering. */
team *manager_build_team(web_request *r)
{
    const web_eval *ev = web_evaluator(r);
    if (!ev)
        return NULL;
    store *db = web_store(r);
    if (!db)
        return NULL;
    team *t = web_alloc(r, sizeof *t);
    web_defer(r, team_free, t);
    t->ev = ev;
    t->n_specs = catalog_spec_count(ev->catalog);
    if ((t->self_levels = web_hr_level_kind(r)) < 0)
        return NULL;
    err e;
    memset(&e, 0, sizeof e);

    store_person_filter f;
    memset(&f, 0, sizeof f);
    int scope = web_people_scope(r, &f);
    if (scope < 0)
        return NULL;
    if (scope == 0) {
        web_reply_403(r);
        return NULL;
    }
    int rc = 0;
    if (r->user->role == ROLE_HR)
        rc = store_org_list_all(db, &t->units, &e);
    else if (f.org_unit_id)
        rc = store_org_descendants(db, f.org_unit_id, 1, &t->units, &e);
    if (rc < 0) {
        web_store_failed(r, "org units", &e);
        return NULL;
    }
    const char *org = web_query(r, "org");
    if (org && *org) {
        for (size_t i = 0; i < t->units.count; i++)
            if (strcmp(t->units.items[i].code, org) == 0)
                t->org = &t->units.items[i];
        if (!t->org) {
            web_reply_error(r, 403, "forbidden", web_t(r, "team.org_out_of_reach"), "org");
            return NULL;
        }
        f.org_unit_id = t->org->id;
        f.include_sub_units = 1;
        f.manager_id = 0;
    }
    if (team_cycle(r, db, t) < 0)
        return NULL;

    if (team_order(r, t) < 0)
        return NULL;
    const char *page = web_query(r, "page");
    t->page = 1;
    if (page && *page && !web_parse_int(page, 1, 1000000, &t->page)) {
        web_reply_400(r, web_t(r, "team.bad_page"), "page");
        return NULL;
    }
    char today[11];
    review_today(today);
    store_team_query q = { .org_unit_id = f.org_unit_id, .include_sub_units = f.include_sub_units,
                           .manager_id = f.manager_id, .cycle_id = t->cycle.id,
                           .exclude_person_id = r->user->person_id, .state = t->state, .sort = t->sort,
                           .today = today, .limit = TEAM_PAGE_SIZE, .offset = (t->page - 1) * TEAM_PAGE_SIZE };
    if (store_team_count(db, &q, &t->others, &e) < 0 || store_team_page(db, &q, &t->rows, &e) < 0) {
        web_store_failed(r, "people", &e);
        return NULL;
    }
    t->total = t->others;
    t->pages = t->others ? (t->others + TEAM_PAGE_SIZE - 1) / TEAM_PAGE_SIZE : 1;
    t->people.items = calloc(t->rows.count ? t->rows.count : 1, sizeof *t->people.items);
    if (!t->people.items)
        abort();
    for (size_t i = 0; i < t->rows.count; i++) {
        int found = store_person_get(db, t->rows.items[i].person_id, &t->people.items[t->people.count], &e);
        if (found < 0) {
            web_store_failed(r, "people", &e);
            return NULL;
        }
        t->people.count += found == 1;   /* gone since the page was read: left out */
    }
    t->members = calloc(t->people.count ? t->people.count : 1, sizeof *t->members);
    if (!t->members)
        abort();
    for (size_t i = 0; i < t->people.count; i++) {
        const store_person *p = &t->people.items[i];
        team_member *m = &t->members[t->n_members++];
        m->person = p;
        for (size_t k = 0; k < t->rows.count; k++)
            if (t->rows.items[k].person_id == p->id) {
                m->state = t->rows.items[k].state;
                m->submitted_at = t->rows.items[k].submitted_at;
            }
        m->levels = web_alloc(r, (t->n_specs ? t->n_specs : 1) * sizeof *m->levels);
        for (size_t j = 0; j < t->n_specs; j++)
            m->levels[j] = -1;
        if (!t->cycle.id)
            continue;
        int found = store_assessment_find(db, p->id, t->cycle.id, &m->assessment, &e);
        if (found < 0) {
            web_store_failed(r, "an assessment", &e);
            return NULL;
        }
        m->has_assessment = found;
        if (found && (t->self_levels ? web_assessment_levels(r, ev, &m->assessment, m->levels)
                                     : web_official_levels(r, ev, &m->assessment, m->levels)) < 0)
            return NULL;
    }
    return t;
}

/* A link to the team page with the filters kept, page p. */
static void put_team_link(web_request *r, const team *t, int64_t p)
{
    html_raw(r->out, "/team?");
    if (t->cycle.id)
        html_printf(r->out, "cycle=%lld&amp;", (long long)t->cycle.id);
    if (t->org) {
        html_raw(r->out, "org=");
        html_url_arg(r->out, t->org->code);
        html_raw(r->out, "&amp;");
    }
    if (t->self_levels)
        html_raw(r->out, "levels=self&amp;");
    if (t->state != TEAM_STATE_ANY)
        html_printf(r->out, "status=%s&amp;", store_team_state_name(t->state));
    if (t->sort != TEAM_SORT_NUMBER)
        html_printf(r->out, "sort=%s&amp;", store_team_sort_name(t->sort));
    html_printf(r->out, "page=%lld", (long long)p);
}

/* The message key of a member's state as the status column words it. */
static const char *state_key(int state)
{
    static const char *const keys[TEAM_STATE_COUNT] = { "team.not_started", "results.status.draft",
                                                        "results.status.returned", "results.status.submitted",
                                                        "results.status.approved", "team.certified" };
    return state >= 0 && state < TEAM_STATE_COUNT ? keys[state] : "team.not_started";
}

/* The status filter and the order of the team (in the filter form). */
static void put_order_choice(web_request *r, const team *t)
{
    html_printf(r->out, "<label for=\"team-status\">%s</label><select id=\"team-status\" name=\"status\">\n"
                        "<option value=\"\">%s</option>\n",
                web_t(r, "results.status"), web_t(r, "team.status_all"));
    for (int i = 0; i < TEAM_STATE_COUNT; i++)
        html_printf(r->out, "<option value=\"%s\"%s>%s</option>\n", store_team_state_name(i),
                    t->state == i ? " selected" : "", web_t(r, state_key(i)));
    html_printf(r->out, "</select>\n<label for=\"team-sort\">%s</label><select id=\"team-sort\" name=\"sort\">\n",
                web_t(r, "team.sort"));
    for (int i = 0; i < TEAM_SORT_COUNT; i++) {
        char key[32];
        snprintf(key, sizeof key, "team.sort.%s", store_team_sort_name(i));
        html_printf(r->out, "<option value=\"%s\"%s>%s</option>\n", store_team_sort_name(i),
                    t->sort == i ? " selected" : "", web_t(r, key));
    }
    html_raw(r->out, "</select>\n");
}

/* The cycle selector of the team page: every cycle, the one shown selected
 * (issue 12, defect 3: the submissions of another open cycle were reachable
 * only by typing ?cycle=). */
static void put_cycle_choice(web_request *r, const team *t)
{
    store *db = web_store(r);
    store_cycle_list all;
    err e;
    memset(&e, 0, sizeof e);
    if (!db || store_cycle_list_all(db, &all, &e) < 0) {   /* the list is a convenience: keep the cycle shown */
        if (t->cycle.id)
            html_hidden(r, "cycle", manager_num(r, t->cycle.id));
        return;
    }
    if (!all.count) {
        store_cycle_list_free(&all);
        return;
    }
    html_printf(r->out, "<label for=\"team-cycle\">%s</label><select id=\"team-cycle\" name=\"cycle\" data-autosubmit>\n",
                web_t(r, "results.cycle"));
    for (size_t i = 0; i < all.count; i++)
        html_printf(r->out, "<option value=\"%lld\"%s>%s (%s – %s)</option>\n", (long long)all.items[i].id,
                    all.items[i].id == t->cycle.id ? " selected" : "", all.items[i].name, all.items[i].opens,
                    all.items[i].closes);
    html_raw(r->out, "</select>\n");
    store_cycle_list_free(&all);
}

/* One member's row of the team table: number, name (to their results), unit,
 * this cycle's status, level per specialization, the links to review and to
 * the development plan. */
static void put_team_row(web_request *r, const team *t, size_t i)
{
    const web_eval *ev = t->ev;
    const team_member *m = &t->members[i];
    const store_person *p = m->person;
    html_printf(r->out, "<tr data-person=\"%lld\" data-state=\"%s\"><td class=\"no-print\">", (long long)p->id,
                store_team_state_name(m->state));
    if (m->state == TEAM_STATE_SUBMITTED && t->cycle.id)
        html_printf(r->out, "<input type=\"checkbox\" name=\"person\" value=\"%lld\" form=\"team-approve\" "
                            "id=\"pick-%lld\" aria-label=\"%s %s\">",
                    (long long)p->id, (long long)p->id, web_t(r, "team.bulk.pick"), p->name);
    html_printf(r->out, "</td><td>%s</td><th scope=\"row\"><a href=\"/people/%lld/results", p->employee_number,
                (long long)p->id);
    if (t->cycle.id)
        html_printf(r->out, "?cycle=%lld", (long long)t->cycle.id);
    html_printf(r->out, "\">%s</a></th><td>%s</td><td>", p->name, p->org_name ? p->org_name : "");
    if (m->state == TEAM_STATE_NOT_STARTED)
        html_printf(r->out, "<span class=\"muted\">%s</span>", web_t(r, "team.not_started"));
    else
        html_printf(r->out, "<span class=\"badge %s\">%s</span>", store_team_state_name(m->state),
                    web_t(r, state_key(m->state)));
    html_printf(r->out, "</td><td>%s</td>", m->submitted_at ? web_moment(r, m->submitted_at) : "");
    for (size_t j = 0; j < t->n_specs; j++) {
        char label[64];
        int level = m->levels[j];
        html_printf(r->out, "<td data-spec=\"%s\">%s</td>", catalog_spec_at(ev->catalog, j)->id,
                    level >= 0 ? web_reached_label(r, level, label, sizeof label) : "-");
    }
    html_printf(r->out, "<td class=\"no-print\"><a href=\"/people/%lld/review", (long long)p->id);
    if (t->cycle.id)
        html_printf(r->out, "?cycle=%lld", (long long)t->cycle.id);
    html_printf(r->out, "\">%s</a> <a href=\"/people/%lld/plan\">%s</a></td></tr>\n",
                web_t(r, m->state == TEAM_STATE_SUBMITTED ? "team.review_now" : "team.review"), (long long)p->id,
                web_t(r, "plan.to_plan"));
}

/* GET /team[?org=CODE&cycle=C&status=S&sort=K&page=N]  The people the user reaches with their
 * level per specialization and the status of this cycle's assessment. */
void web_page_team(web_request *r)
{
    team *t = manager_build_team(r);
    if (!t)
        return;
    const web_eval *ev = t->ev;
    html_begin(r, web_t(r, "team.title"));
    html_printf(r->out, "<h1>%s</h1>\n<p>%s</p>\n", web_t(r, "team.title"), web_t(r, "team.intro"));
    const char *approved = web_query(r, "approved");
    int64_t n_approved;
    if (approved && web_parse_int(approved, 1, 100000, &n_approved))
        html_message(r, "ok", web_text_tpl(r, web_t(r, "team.bulk.approved"), manager_num(r, n_approved), NULL));
    html_form_get(r, "/team");
    html_raw(r->out, "<div class=\"row no-print\">");
    if (t->units.count) {
        html_printf(r->out, "<label for=\"org\">%s</label><select id=\"org\" name=\"org\">\n"
                            "<option value=\"\">%s</option>\n",
                    web_t(r, "team.org"), web_t(r, "team.org_all"));
        for (size_t i = 0; i < t->units.count; i++) {
            const store_org_unit *u = &t->units.items[i];
            html_printf(r->out, "<option value=\"%s\"%s>", u->code, u == t->org ? " selected" : "");
            for (int d = 0; d < u->depth; d++)
                html_raw(r->out, "　");
            html_printf(r->out, "%s %s</option>\n", u->code, u->name);
        }
        html_raw(r->out, "</select>\n");
    }
    put_cycle_choice(r, t);
    put_order_choice(r, t);
    if (t->self_levels)
        html_hidden(r, "levels", "self");
    html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button></div>\n", web_t(r, "results.show"));
    html_form_end(r);

    html_printf(r->out, "<p class=\"level-kind\" data-level-kind=\"%s\">%s: <strong>%s</strong> · <a href=\"/team?",
                t->self_levels ? "self" : "official", web_t(r, "official.levels_kind"),
                web_t(r, t->self_levels ? "official.levels_self" : "official.levels_official"));
    if (t->cycle.id)
        html_printf(r->out, "cycle=%lld&amp;", (long long)t->cycle.id);
    if (t->org) {
        html_raw(r->out, "org=");
        html_url_arg(r->out, t->org->code);
        html_raw(r->out, "&amp;");
    }
    html_printf(r->out, "levels=%s\">%s</a></p>\n", t->self_levels ? "official" : "self",
                web_t(r, t->self_levels ? "official.levels_official" : "official.levels_self"));
    html_printf(r->out, "<p class=\"muted\">%s: %s", web_t(r, "results.cycle"),
                t->cycle.id ? t->cycle.name : web_t(r, "team.no_cycle"));
    html_raw(r->out, " · ");
    web_html_tpl(r->out, web_t(r, "team.count"), manager_num(r, t->others), NULL);
    html_raw(r->out, "</p>\n");

    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"team\">\n<thead><tr>"
                        "<th scope=\"col\" class=\"no-print\"><span class=\"visually-hidden\">%s</span></th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
                web_t(r, "team.bulk.pick"), web_t(r, "team.number"), web_t(r, "team.name"), web_t(r, "team.org"),
                web_t(r, "results.status"), web_t(r, "team.submitted_at"));
    for (size_t j = 0; j < t->n_specs; j++)
        html_printf(r->out, "<th scope=\"col\">%s</th>", catalog_spec_at(ev->catalog, j)->name);
    html_printf(r->out, "<th scope=\"col\" class=\"no-print\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "team.actions"));
    size_t waiting = 0;
    for (size_t i = 0; i < t->n_members; i++) {
        put_team_row(r, t, i);
        waiting += t->members[i].state == TEAM_STATE_SUBMITTED;
    }
    if (t->n_members == 0)
        html_printf(r->out, "<tr><td colspan=\"%d\">%s</td></tr>\n", (int)t->n_specs + 7, web_t(r, "team.empty"));
    html_raw(r->out, "</tbody>\n</table></div>\n");
    if (waiting && t->cycle.id) {
        /* The checkboxes of the rows belong to this form (form="team-approve"). */
        html_raw(r->out, "<div class=\"bulk-approve no-print\">");
        html_raw(r->out, "<form method=\"post\" action=\"/team/approve\" id=\"team-approve\">");
        html_csrf_field(r);
        html_hidden(r, "cycle", manager_num(r, t->cycle.id));
        html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button>\n",
                    web_t(r, "team.bulk.button"));
        html_form_end(r);
        html_raw(r->out, "</div>\n");
    }
    if (t->pages > 1) {
        html_printf(r->out, "<nav class=\"pager no-print\" aria-label=\"%s\">", web_t(r, "team.pages"));
        if (t->page > 1) {
            html_raw(r->out, "<a rel=\"prev\" href=\"");
            put_team_link(r, t, t->page - 1);
            html_printf(r->out, "\">%s</a> ", web_t(r, "team.prev"));
        }
        html_printf(r->out, "<span>%lld / %lld</span>", (long long)t->page, (long long)t->pages);
        if (t->page < t->pages) {
            html_raw(r->out, " <a rel=\"next\" href=\"");
            put_team_link(r, t, t->page + 1);
            html_printf(r->out, "\">%s</a>", web_t(r, "team.next"));
        }
        html_raw(r->out, "</nav>\n");
    }
    html_end(r);
}

/* ---- A member's diagnosis -------------------------------------------------------------------- */


static void review_free(void *p)
{
    review *v = p;
    engine_result_free(v->self);
    engine_result_free(v->manager);
    assessment_free(v->answers);
    assessment_free(v->reviewed);
    store_agreement_list_free(&v->agreed);
    store_assessment_clear(&v->assessment);
    store_person_clear(&v->person);
    store_comment_list_free(&v->comments);
}

/* The part of the review the request asks for (?part=achievement|proficiency|
 * knowledge&area=CODE, or the form's fields of the same names; default the
 * achievement indicators) and the 差異のみ filter (only=differences). */
static void review_choose_part(web_request *r, review *v)
{
    const char *part = web_query(r, "part") ? web_query(r, "part") : web_form(r, "part");
    const char *area = web_query(r, "area") ? web_query(r, "area") : web_form(r, "area");
    const char *only = web_query(r, "only") ? web_query(r, "only") : web_form(r, "only");
    v->part = part && (strcmp(part, "proficiency") == 0 || strcmp(part, "knowledge") == 0) ? part : "achievement";
    v->area = NULL;
    for (size_t i = 0; v->selected && i < v->selected->n_areas; i++)
        if (!v->area || (area && strcmp(v->selected->areas[i].area->code, area) == 0))
            v->area = v->selected->areas[i].area->code;
    if (!v->area)
        v->part = "achievement";
    v->only_differences = only && strcmp(only, "differences") == 0;
}

/* Is the person diagnosed in spec (v->diagnosed)? */
static int review_diagnosed(const review *v, const catalog_spec *spec)
{
    for (size_t i = 0; v->diagnosed && i < catalog_spec_count(v->ev->catalog); i++)
        if (catalog_spec_at(v->ev->catalog, i) == spec)
            return v->diagnosed[i];
    return 0;
}

/* Gathers the review of person_id in the cycle `cycle` names (NULL: the latest),
 * the specialization `spec` names (NULL: the highest self level of those the
 * person is diagnosed in). NULL after answering. */
review *manager_build_review(web_request *r, int64_t person_id, const char *cycle, const char *spec)
{
    const web_eval *ev = web_evaluator(r);
    if (!ev)
        return NULL;
    store *db = web_store(r);
    if (!db)
        return NULL;
    review *v = web_alloc(r, sizeof *v);
    web_defer(r, review_free, v);
    v->ev = ev;
    err e;
    memset(&e, 0, sizeof e);
    int found = store_person_get(db, person_id, &v->person, &e);
    if (found < 0) {
        web_store_failed(r, "a person", &e);
        return NULL;
    }
    if (found == 0) {
        web_reply_404(r);
        return NULL;
    }
    found = web_find_assessment(r, person_id, cycle, &v->assessment);
    if (found < 0)
        return NULL;
    v->has_assessment = found;
    if (!found)
        return v;
    if (store_assessment_load(db, v->assessment.id, &v->answers, &e) <= 0) {
        web_store_failed(r, "an assessment", &e);
        return NULL;
    }
    if (store_comment_list_assessment(db, v->assessment.id, &v->comments, &e) < 0
        || store_agreement_list_assessment(db, v->assessment.id, &v->agreed, &e) < 0
        || store_assessment_load(db, v->assessment.id, &v->reviewed, &e) <= 0) {
        web_store_failed(r, "comments", &e);
        return NULL;
    }
    review_apply_agreements(v->reviewed, &v->agreed);
    v->undecided = review_undecided(ev->catalog, v->answers, &v->agreed, &v->first_undecided);
    if (strcmp(v->assessment.catalog_id, catalog_id(ev->catalog)) != 0
        || strcmp(v->assessment.catalog_version, catalog_version(ev->catalog)) != 0)
        return v;                    /* another edition of the standard: shown without evaluation */
    v->self = engine_result_new(ev->engine);
    engine_evaluate(ev->engine, v->answers, RATER_SELF, v->self);
    v->manager = engine_result_new(ev->engine);
    engine_evaluate(ev->engine, v->reviewed, RATER_MANAGER, v->manager);
    v->diagnosed = web_alloc(r, (catalog_spec_count(ev->catalog) + 1) * sizeof *v->diagnosed);
    if (store_diagnosed_specs(db, ev->catalog, v->assessment.id, v->answers, v->diagnosed, NULL, &e) < 0) {
        web_store_failed(r, "specializations", &e);
        return NULL;
    }
    if (spec && *spec) {
        const catalog_spec *cs = results_find_spec(ev, spec);
        v->selected = cs ? engine_result_spec(v->self, cs->id) : NULL;
        if (!v->selected) {
            web_reply_400(r, web_t(r, "results.bad_spec"), "spec");
            return NULL;
        }
    } else {
        /* The highest self level of the specializations diagnosed (of any, when none is). */
        for (int pass = 0; pass < 2 && !v->selected; pass++)
            for (size_t i = 0; i < v->self->n_specs; i++)
                if ((pass || review_diagnosed(v, v->self->specs[i].spec))
                    && (!v->selected || v->self->specs[i].level > v->selected->level))
                    v->selected = &v->self->specs[i];
    }
    review_choose_part(r, v);
    return v;
}

/* Has the manager rated anything in a? */
static int manager_has_rated(const assessment *a)
{
    for (size_t i = 0; a && i < a->n_answers; i++)
        if (a->answers[i].rater == RATER_MANAGER)
            return 1;
    return 0;
}

/* 1 when the reviewer agreed with the self-rating of element id. */
static int agreement_of(const review *v, const char *id)
{
    size_t lo = 0, hi = v->agreed.count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(v->agreed.element_ids[mid], id);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* ○ / × / － for a met-or-not answer, or the rating's words. */
static void put_answer(web_request *r, const assessment_answer *x, int max)
{
    if (!x) {
        html_printf(r->out, "<span class=\"mark unanswered\">－</span> <span class=\"muted\">%s</span>",
                    web_t(r, "results.unanswered"));
    } else if (max == 1) {
        html_printf(r->out, "<span class=\"mark %s\">%s</span> %s", x->value ? "met" : "unmet",
                    x->value ? "○" : "×", web_t(r, x->value ? "results.met" : "results.unmet"));
    } else {
        html_printf(r->out, "%d %s", x->value, web_t(r, web_rating_key(x->value)));
    }
}

/* One row: the element, the self-rating, the manager's rating as a select. */
static void put_review_row(web_request *r, const review *v, const char *id, const char *where, const char *text,
                           int max, int editable)
{
    const assessment_answer *self = assessment_get_answer(v->answers, id, RATER_SELF);
    const assessment_answer *mine = assessment_get_answer(v->answers, id, RATER_MANAGER);
    int differs = self && mine && self->value != mine->value;
    int agreed = !mine && self && agreement_of(v, id);
    int undecided = self && !mine && !agreed && review_is_achievement(v->ev->catalog, id);
    if (v->only_differences && !differs)
        return;
    html_printf(r->out, "<tr class=\"%s%s\" data-id=\"%s\"%s><td class=\"where\">%s</td><td class=\"standard\">",
                differs ? "differs" : "", undecided ? " undecided" : "", id,
                agreed ? " data-agreed" : "", where);
    html_lines(r, text);
    html_raw(r->out, "</td><td class=\"self\">");
    put_answer(r, self, max);
    html_raw(r->out, "</td><td class=\"manager\">");
    if (!editable) {
        if (agreed)
            html_printf(r->out, "<span class=\"agreed\">%s</span>", web_t(r, "review.agree"));
        else
            put_answer(r, mine, max);
    } else {
        html_printf(r->out, "<select name=\"m:%s\" aria-label=\"%s\">", id, web_t(r, "review.manager_rating"));
        html_printf(r->out, "<option value=\"\"%s>－</option>", mine || agreed ? "" : " selected");
        if (self)
            html_printf(r->out, "<option value=\"agree\"%s>%s</option>", agreed ? " selected" : "",
                        web_t(r, "review.agree"));
        if (max == 1) {
            html_printf(r->out, "<option value=\"1\"%s>○ %s</option><option value=\"0\"%s>× %s</option>",
                        mine && mine->value == 1 ? " selected" : "", web_t(r, "results.met"),
                        mine && mine->value == 0 ? " selected" : "", web_t(r, "results.unmet"));
        } else {
            for (int k = 0; k <= max; k++)
                html_printf(r->out, "<option value=\"%d\"%s>%d %s</option>", k,
                            mine && mine->value == k ? " selected" : "", k, web_t(r, web_rating_key(k)));
        }
        html_raw(r->out, "</select>");
    }
    if (differs)
        html_printf(r->out, " <span class=\"differs-flag\" title=\"%s\">≠<span class=\"visually-hidden\">%s</span>"
                            "</span>",
                    web_t(r, "review.differs"), web_t(r, "review.differs"));
    html_raw(r->out, "</td></tr>\n");
}

/* The header of a table of rows. */
static void put_review_table_head(web_request *r, const char *caption)
{
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"review\">\n<caption>%s</caption>\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                caption, web_t(r, "review.element"), web_t(r, "review.text"), web_t(r, "review.self"),
                web_t(r, "review.manager"));
}

/* The name of the skill area v->area names, or its code. */
static const char *review_area_name(const review *v)
{
    for (size_t i = 0; i < v->selected->n_areas; i++)
        if (strcmp(v->selected->areas[i].area->code, v->area) == 0)
            return v->selected->areas[i].area->name;
    return v->area;
}

/* The achievement indicators of the selected specialization, level by level. */
static void put_review_achievement(web_request *r, const review *v, int editable)
{
    const engine_spec *es = v->selected;
    char label[64];
    static const char *const keys[CRITERION_KINDS] = { "results.crit.complexity", "results.crit.size",
                                                       "results.crit.task" };
    for (size_t i = 0; i < es->n_levels; i++) {
        const catalog_level *lv = es->levels[i].indicators;
        const char *caption = web_text_tpl(r, "{1} {2}", web_reached_label(r, es->levels[i].level, label, sizeof label),
                                           web_t(r, "review.achievement"), NULL);
        put_review_table_head(r, caption);
        put_review_row(r, v, lv->responsibility.id, web_t(r, "results.crit.responsibility"), lv->responsibility.text,
                       1, editable);
        for (int k = 0; k < CRITERION_KINDS; k++)
            for (size_t j = 0; j < lv->criteria[k].n_items; j++)
                put_review_row(r, v, lv->criteria[k].items[j].id, web_t(r, keys[k]), lv->criteria[k].items[j].text,
                               1, editable);
        html_raw(r->out, "</tbody>\n</table></div>\n");
    }
}

/* The proficiency of the selected specialization, skill area by skill area. */
static void put_review_proficiency(web_request *r, const review *v, int editable)
{
    const engine_spec *es = v->selected;
    char label[64];
    put_review_table_head(r, web_t(r, "review.proficiency"));
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        for (size_t j = 0; j < ea->n_steps; j++) {
            const char *where = web_text_tpl(r, "{1} {2}", ea->area->name,
                                             web_reached_label(r, ea->steps[j].level, label, sizeof label), NULL);
            put_review_row(r, v, ea->steps[j].description->id, where, ea->steps[j].description->text, 1, editable);
        }
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* The knowledge items of one skill area (v->area) of the selected specialization. */
static void put_review_knowledge(web_request *r, const review *v, int editable)
{
    const engine_spec *es = v->selected;
    const catalog *c = v->ev->catalog;
    put_review_table_head(r, web_text_tpl(r, "{1}: {2}", web_t(r, "review.knowledge"), review_area_name(v), NULL));
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
        if (strcmp(ea->area->code, v->area) != 0)
            continue;
        const catalog_spec_area *seen[POLICY_MAX_LEVEL + 1];
        size_t n_seen = 0;
        for (int l = es->level_min; l <= es->level_max && n_seen <= POLICY_MAX_LEVEL; l++) {
            const catalog_spec_area *sa = catalog_spec_area_of(c, es->spec, ea->area, l);
            int known = !sa;
            for (size_t k = 0; k < n_seen && !known; k++)
                known = seen[k] == sa;
            if (known)
                continue;
            seen[n_seen++] = sa;
            for (size_t k = 0; k < sa->n_knowledge; k++)
                for (size_t j = 0; j < sa->knowledge[k].n_items; j++)
                    put_review_row(r, v, sa->knowledge[k].items[j].id, sa->knowledge[k].name,
                                   sa->knowledge[k].items[j].text, ASSESS_RATING_MAX, editable);
        }
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* The part of the selected specialization the page shows (v->part): its
 * achievement indicators, its proficiency, or one skill area's knowledge. */
static void put_review_form(web_request *r, const review *v, int editable)
{
    if (strcmp(v->part, "proficiency") == 0)
        put_review_proficiency(r, v, editable);
    else if (strcmp(v->part, "knowledge") == 0)
        put_review_knowledge(r, v, editable);
    else
        put_review_achievement(r, v, editable);
}

/* The links between the parts of the review (達成度指標, スキル熟達度, 知識 by skill
 * area) and the 差異のみ filter, keeping the cycle and the specialization. */
static void put_review_parts(web_request *r, const review *v, const char *path, const char *cycle)
{
    const engine_spec *es = v->selected;
    html_printf(r->out, "<nav class=\"tabs review-parts no-print\" aria-label=\"%s\">", web_t(r, "review.parts"));
    const char *base = web_text_tpl(r, "{1}/review?cycle={2}&spec={3}{4}", path, cycle, es->spec->code,
                                    v->only_differences ? "&only=differences" : "", NULL);
    html_printf(r->out, "<a href=\"%s&amp;part=achievement#items\"", base);
    html_current(r->out, strcmp(v->part, "achievement") == 0);
    html_printf(r->out, ">%s</a>", web_t(r, "review.achievement"));
    html_printf(r->out, "<a href=\"%s&amp;part=proficiency#items\"", base);
    html_current(r->out, strcmp(v->part, "proficiency") == 0);
    html_printf(r->out, ">%s</a>", web_t(r, "review.proficiency"));
    for (size_t i = 0; i < es->n_areas; i++) {
        html_printf(r->out, "<a href=\"%s&amp;part=knowledge&amp;area=%s#items\"", base, es->areas[i].area->code);
        html_current(r->out, strcmp(v->part, "knowledge") == 0 && strcmp(v->area, es->areas[i].area->code) == 0);
        html_printf(r->out, ">%s: %s</a>", web_t(r, "review.knowledge"), es->areas[i].area->name);
    }
    html_raw(r->out, "</nav>\n");
    const char *here = web_text_tpl(r, "{1}/review?cycle={2}&spec={3}&part={4}&area={5}", path, cycle, es->spec->code,
                                    v->part, v->area ? v->area : "", NULL);
    html_printf(r->out, "<p class=\"review-filter no-print\">%s: ", web_t(r, "review.show"));
    if (v->only_differences)
        html_printf(r->out, "<a href=\"%s#items\">%s</a> · <strong>%s</strong></p>\n", here, web_t(r, "review.all_rows"),
                    web_t(r, "review.only_differences"));
    else
        html_printf(r->out, "<strong>%s</strong> · <a href=\"%s&amp;only=differences#items\">%s</a></p>\n",
                    web_t(r, "review.all_rows"), here, web_t(r, "review.only_differences"));
}

/* The levels by the self-rating and by the reviewer side by side (or why there are none). */
static void put_review_levels(web_request *r, const review *v, const char *path, const char *cycle)
{
    const store_assessment *a = &v->assessment;
    char label[64];
    if (v->self) {
        html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table class=\"levels\">"
                            "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "</tr></thead>\n<tbody>\n",
                    web_t(r, "results.levels"), web_t(r, "results.spec"), web_t(r, "review.self"),
                    web_t(r, "review.reviewed"));
        int rated = manager_has_rated(v->reviewed);
        for (size_t i = 0; i < v->self->n_specs; i++) {
            int s = v->self->specs[i].level, m = v->manager->specs[i].level;
            html_printf(r->out, "<tr class=\"%s\"><th scope=\"row\"><a href=\"%s/review?cycle=%s&amp;spec=%s#items\">"
                                "%s</a></th><td>%s</td>",
                        rated && s != m ? "differs" : "", path, cycle, v->self->specs[i].spec->code,
                        v->self->specs[i].spec->name, web_reached_label(r, s, label, sizeof label));
            html_printf(r->out, "<td>%s</td></tr>\n", rated ? web_reached_label(r, m, label, sizeof label)
                                                            : web_t(r, "review.not_rated"));
        }
        html_raw(r->out, "</tbody></table></div>\n</section>\n");
    } else {
        html_raw(r->out, "<div class=\"message notice\" role=\"status\"><p>");
        web_html_tpl(r->out, web_t(r, "results.other_catalog"), a->catalog_id, a->catalog_version, NULL);
        html_raw(r->out, "</p></div>\n");
    }
}

/* Which specializations the person is diagnosed in; a notice when the one
 * shown is not among them. */
static void put_review_diagnosed(web_request *r, const review *v)
{
    const catalog *c = v->ev->catalog;
    html_printf(r->out, "<p class=\"covered\">%s: ", web_t(r, "diag.covered"));
    int listed = 0;
    for (size_t i = 0; i < catalog_spec_count(c); i++)
        if (v->diagnosed[i])
            html_printf(r->out, "%s<strong data-spec=\"%s\">%s</strong>", listed++ ? "、" : "",
                        catalog_spec_at(c, i)->code, catalog_spec_at(c, i)->name);
    html_printf(r->out, "%s</p>\n", listed ? "" : web_t(r, "review.not_diagnosed_none"));
    if (!review_diagnosed(v, v->selected->spec))
        html_message(r, "notice", web_t(r, "review.not_diagnosed"));
}

/* The specialization chosen item by item, with the reviewer's form unless approved. */
static void put_review_items(web_request *r, const review *v, const char *path, const char *cycle)
{
    const store_assessment *a = &v->assessment;
    char action[80];
    if (v->selected) {
        const engine_spec *es = v->selected;
        html_printf(r->out, "<section class=\"card\" id=\"items\">\n<h2>%s: %s</h2>\n<p class=\"muted\">%s</p>\n",
                    web_t(r, "review.items"), es->spec->name, web_t(r, "review.items_intro"));
        snprintf(action, sizeof action, "%s/review", path);
        html_form_get(r, action);
        html_printf(r->out, "<div class=\"row no-print\"><input type=\"hidden\" name=\"cycle\" value=\"%s\">"
                            "<label for=\"spec\">%s</label><select id=\"spec\" name=\"spec\" data-autosubmit>",
                    cycle, web_t(r, "results.spec"));
        for (size_t i = 0; i < v->self->n_specs; i++)
            html_printf(r->out, "<option value=\"%s\"%s>%s%s</option>", v->self->specs[i].spec->code,
                        &v->self->specs[i] == es ? " selected" : "", v->self->specs[i].spec->name,
                        review_diagnosed(v, v->self->specs[i].spec) ? "" : web_t(r, "review.not_diagnosed_mark"));
        html_printf(r->out, "</select><button type=\"submit\" class=\"secondary\">%s</button></div>\n",
                    web_t(r, "results.show"));
        html_form_end(r);
        put_review_diagnosed(r, v);
        /* The GET form above must not wrap the review form: forms do not nest. */
        int editable = a->status != ASSESSMENT_APPROVED;
        put_review_parts(r, v, path, cycle);
        if (editable) {
            snprintf(action, sizeof action, "%s/review", path);
            html_form_post(r, action);
            html_hidden(r, "cycle", cycle);
            html_hidden(r, "spec", es->spec->code);
            html_hidden(r, "part", v->part);
            html_hidden(r, "area", v->area);
            if (v->only_differences)
                html_hidden(r, "only", "differences");
        }
        put_review_form(r, v, editable);
        if (editable) {
            html_printf(r->out, "<div class=\"row no-print\"><button type=\"submit\">%s</button> "
                                "<button type=\"submit\" class=\"secondary\" name=\"agree_rest\" value=\"1\">%s"
                                "</button></div>\n",
                        web_t(r, "review.save"), web_t(r, "review.agree_rest"));
            html_form_end(r);
        }
        html_raw(r->out, "</section>\n");
    }
}

/* The decisions on a submitted assessment (approve, return with a comment), or its state. */
static void put_review_decisions(web_request *r, const review *v, const char *path, const char *cycle,
                                 const char *return_text)
{
    const store_assessment *a = &v->assessment;
    char action[80];
    if (a->status == ASSESSMENT_SUBMITTED) {
        html_printf(r->out, "<section class=\"card decide no-print\" id=\"decide\">\n<h2>%s</h2>\n",
                    web_t(r, "review.decide"));
        if (v->undecided) {
            char count[24];
            snprintf(count, sizeof count, "%zu", v->undecided);
            html_message(r, "notice", web_text_tpl(r, web_t(r, "review.incomplete"), count, v->first_undecided,
                                                   NULL));
        }
        html_raw(r->out, "<div class=\"grid\">\n<div>");
        snprintf(action, sizeof action, "%s/approve", path);
        html_form_post(r, action);
        html_hidden(r, "cycle", cycle);
        html_field(r, &(html_input){ .name = "comment", .label = web_t(r, "review.approve_comment"),
                                     .maxlength = STORE_COMMENT_MAX });
        html_printf(r->out, "<button type=\"submit\">%s</button>", web_t(r, "review.approve"));
        html_form_end(r);
        html_raw(r->out, "</div>\n<div>");
        snprintf(action, sizeof action, "%s/return", path);
        html_form_post(r, action);
        html_hidden(r, "cycle", cycle);
        html_printf(r->out, "<div class=\"field%s\"><label for=\"return-comment\">%s</label>"
                            "<textarea id=\"return-comment\" name=\"comment\" maxlength=\"%d\" required "
                            "aria-invalid=\"%s\">",
                    return_text ? " invalid" : "", web_t(r, "review.return_comment"), STORE_COMMENT_MAX,
                    return_text ? "true" : "false");
        html_txt(r->out, return_text);
        html_printf(r->out, "</textarea></div><button type=\"submit\" class=\"danger\">%s</button>",
                    web_t(r, "review.return"));
        html_form_end(r);
        html_raw(r->out, "</div>\n</div>\n</section>\n");
    } else {
        html_printf(r->out, "<p class=\"muted\">%s</p>\n",
                    web_t(r, a->status == ASSESSMENT_APPROVED ? "review.is_approved" : "review.not_submitted"));
    }
}

/* The review page: message (kind "error" or "ok") on top when given,
 * return_text typed back into the return form after a refusal. */
static void render_review(web_request *r, const review *v, const char *kind, const char *message,
                          const char *return_text)
{
    char path[64], title[256], action[80];
    snprintf(path, sizeof path, "/people/%lld", (long long)v->person.id);
    snprintf(title, sizeof title, "%s - %s", web_t(r, "review.title"), v->person.name);
    html_begin(r, title);
    html_printf(r->out, "<article class=\"review-page\">\n<p class=\"no-print\"><a href=\"/team\">%s</a></p>\n"
                        "<h1>%s</h1>\n<p class=\"person\"><strong>%s</strong> <span class=\"muted\">%s</span>",
                web_t(r, "review.back"), web_t(r, "review.title"), v->person.name, v->person.employee_number);
    if (v->person.org_name)
        html_printf(r->out, " · %s", v->person.org_name);
    html_raw(r->out, "</p>\n");
    if (message)
        html_message(r, kind, message);
    if (!v->has_assessment) {
        html_message(r, "notice", web_t(r, "review.no_assessment"));
        html_raw(r->out, "</article>\n");
        html_end(r);
        return;
    }
    const store_assessment *a = &v->assessment;
    const char *cycle = manager_num(r, a->cycle_id);
    html_printf(r->out, "<dl class=\"facts\"><dt>%s</dt><dd>%s <span class=\"badge %s\" id=\"status\">%s</span></dd>"
                        "<dt>%s</dt><dd><a href=\"%s/results?cycle=%s\">%s</a></dd></dl>\n",
                web_t(r, "results.cycle"), a->cycle, assessment_status_name(a->status),
                web_t(r, web_status_key(a->status)), web_t(r, "results.title"), path, cycle,
                web_t(r, "review.see_results"));
    put_review_levels(r, v, path, cycle);
    put_review_items(r, v, path, cycle);
    snprintf(action, sizeof action, "%s/comments", path);
    web_comment_thread(r, &v->comments, &(web_comment_form){ .action = action, .cycle = cycle, .secondary = 1 });
    put_review_decisions(r, v, path, cycle, return_text);
    html_raw(r->out, "</article>\n");
    html_end(r);
}

/* GET /people/:id/review[?cycle=C&spec=S]  A member's diagnosis with the
 * manager's rating beside the self-rating, the comments and the decisions. */
void web_page_review(web_request *r)
{
    int64_t id = manager_reviewed_person(r);
    if (id < 0)
        return;
    review *v = manager_build_review(r, id, web_query(r, "cycle"), web_query(r, "spec"));
    if (!v)
        return;
    const char *done = web_query(r, "done");
    const char *message = NULL;
    if (done && strcmp(done, "saved") == 0)
        message = web_t(r, "review.saved");
    else if (done && strcmp(done, "approved") == 0)
        message = web_t(r, "review.approved");
    else if (done && strcmp(done, "returned") == 0)
        message = web_t(r, "review.returned");
    else if (done && strcmp(done, "commented") == 0)
        message = web_t(r, "review.commented");
    render_review(r, v, "ok", message, NULL);
}

/* Back to the review page after a change, with what happened. */
static void back_to_review(web_request *r, int64_t person_id, const store_assessment *a, const char *spec,
                           const char *done)
{
    buf b;
    buf_init(&b);
    buf_printf(&b, "/people/%lld/review?cycle=%lld", (long long)person_id, (long long)a->cycle_id);
    if (spec && *spec) {
        buf_puts(&b, "&spec=");
        html_url_arg(&b, spec);
    }
    static const char *const kept[] = { "part", "area", "only" };   /* where the reviewer was */
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        const char *value = web_form(r, kept[i]);
        if (value && *value) {
            buf_printf(&b, "&%s=", kept[i]);
            html_url_arg(&b, value);
        }
    }
    buf_printf(&b, "&done=%s", done);
    web_redirect(r, b.data);
    buf_free(&b);
}

/* The assessment a POST is about: form field "cycle" (else the latest). 0, or
 * -1 after answering (404 when there is none, 503). */
int manager_posted_assessment(web_request *r, int64_t person_id, const char *cycle, store_assessment *out)
{
    int found = web_find_assessment(r, person_id, cycle, out);
    if (found == 0)
        web_reply_error(r, 404, "not_found", web_t(r, "review.no_assessment"), "cycle");
    return found == 1 ? 0 : -1;
}

void manager_clear_assessment(void *a)
{
    store_assessment_clear(a);
}

/* POST /people/:id/review  cycle, spec, m:ELEMENT=value ("" undecided; "agree"
 * agrees with the self-rating; 0/1, or 0..4 for a knowledge item)[, agree_rest]:
 * the reviewer's decisions, saved all at once; agree_rest then agrees with the
 * self-rating of every element still undecided. */
void web_page_review_post(web_request *r)
{
    int64_t id = manager_reviewed_person(r);
    if (id < 0)
        return;
    const web_eval *ev = web_evaluator(r);
    if (!ev)
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (manager_posted_assessment(r, id, web_form(r, "cycle"), a) < 0)
        return;
    web_defer(r, manager_clear_assessment, a);
    rating_change *changes = web_alloc(r, (r->form.count ? r->form.count : 1) * sizeof *changes);
    size_t n = 0;
    for (size_t i = 0; i < r->form.count; i++) {
        const web_param *p = &r->form.items[i];
        if (strncmp(p->name, "m:", 2) != 0)
            continue;
        int max;
        int64_t value = -1;
        if (!manager_ratable(ev, p->name + 2, &max)) {
            web_reply_400(r, web_t(r, "review.unknown_element"), p->name);
            return;
        }
        if (strcmp(p->value, "agree") == 0)
            value = RATING_AGREE;
        else if (*p->value && !web_parse_int(p->value, 0, max, &value)) {
            web_reply_400(r, web_t(r, "review.bad_value"), p->name);
            return;
        }
        changes[n++] = (rating_change){ p->name + 2, (int)value };
    }
    const char *rest = web_form(r, "agree_rest");
    if (manager_save_rating(r, a, changes, n, rest && *rest) < 0)
        return;
    back_to_review(r, id, a, web_form(r, "spec"), "saved");
}

/* Whether r's user may write in person_id's thread: a reviewer of the person,
 * or the person themself. 0, or -1 after answering (403, 503). */
int manager_may_comment(web_request *r, int64_t person_id)
{
    if (r->user->person_id == person_id)
        return 0;
    int may = web_may_review_person(r, person_id);
    if (may == 0)
        web_reply_403(r);
    return may > 0 ? 0 : -1;
}

/* POST /people/:id/comments  cycle, body[, next]: adds a comment to the thread
 * of the person's assessment. Back to next (a local path) or the review page. */
void web_page_comment_post(web_request *r)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0 || manager_may_comment(r, id) < 0)
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (manager_posted_assessment(r, id, web_form(r, "cycle"), a) < 0)
        return;
    web_defer(r, manager_clear_assessment, a);
    if (manager_add_comment(r, a, COMMENT_NOTE, web_form(r, "body"), "body", NULL) < 0)
        return;
    const char *next = web_form(r, "next");
    if (next && web_is_local_path(next))
        web_redirect(r, next);
    else if (r->user->person_id == id)
        web_redirect(r, "/results#comments");
    else
        back_to_review(r, id, a, NULL, "commented");
}

/* The return and approve forms: status change with a comment, and on a refusal
 * the review page again with the message and what was typed. */
static void decide_post(web_request *r, assessment_status to)
{
    int64_t id = manager_reviewed_person(r);
    if (id < 0)
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (manager_posted_assessment(r, id, web_form(r, "cycle"), a) < 0)
        return;
    web_defer(r, manager_clear_assessment, a);
    const char *comment = web_form(r, "comment");
    if (to == ASSESSMENT_RETURNED && !(comment && comment[strspn(comment, " \t\r\n")])) {
        /* A return without its reason: the page again, saying so, nothing lost. */
        review *v = manager_build_review(r, id, manager_num(r, a->cycle_id), NULL);
        if (!v)
            return;
        r->res.status = 400;
        render_review(r, v, "error", web_t(r, "review.return_needs_comment"), comment ? comment : "");
        return;
    }
    if (manager_decide(r, a, to, comment, "comment") < 0)
        return;
    back_to_review(r, id, a, NULL, to == ASSESSMENT_APPROVED ? "approved" : "returned");
}

/* POST /people/:id/return  cycle, comment (required): submitted -> returned. */
void web_page_return_post(web_request *r)
{
    decide_post(r, ASSESSMENT_RETURNED);
}

/* POST /people/:id/approve  cycle[, comment]: submitted -> approved. */
void web_page_approve_post(web_request *r)
{
    decide_post(r, ASSESSMENT_APPROVED);
}
