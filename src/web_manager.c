/* web_manager.c - チーム: what a manager (and HR) does with the diagnoses of
 * the people they reach.
 *
 *   GET  /team                      the team: people × specializations, level and status
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
 * saves, so that both refuse and change the same things. */
#include "web_kit.h"
#include "web_access.h"
#include "web_hr_data.h"
#include "review.h"
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
static const char *num(web_request *r, long long n)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", n);
    return web_strdup(r, text);
}

/* The :id of the route as a person the user may review. 0 after answering
 * (404 for a malformed id, 403 when out of reach or their own). */
static int64_t reviewed_person(web_request *r)
{
    int64_t id;
    if (!web_path_id(r, "id", &id))
        return 0;
    if (web_require_reviewer(r, id) <= 0)
        return 0;
    return id;
}

/* The element a reviewer rates, checked against the catalog (review.h). */
static int ratable(const web_eval *ev, const char *element_id, int *max)
{
    return review_ratable(ev->catalog, element_id, max);
}

#define RATING_AGREE (-2)       /* a rating_change's value: agree with the self-rating */

/* One change of the reviewer's decision: value -1 removes the answer and the
 * agreement (undecided), RATING_AGREE agrees with the self-rating. */
typedef struct rating_change {
    const char *element_id;
    int value;
} rating_change;

/* Saves changes as the reviewer's decisions on assessment a in one
 * transaction, actor the user's login; then, when agree_rest, agrees with the
 * self-rating of every element still undecided. 0, or -1 after answering (409
 * once approved, 503). */
static int save_manager_rating(web_request *r, const store_assessment *a, const rating_change *changes, size_t n,
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
static int add_comment(web_request *r, const store_assessment *a, store_comment_kind kind, const char *body,
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
static int decide(web_request *r, const store_assessment *a, assessment_status to, const char *comment,
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
    if (store_assessment_set_status(db, a->id, to, r->user->login, &e) < 0) {
        store_rollback(db, NULL);
        web_store_failed(r, "changing a status", &e);
        return -1;
    }
    if (has_comment
        && add_comment(r, a, to == ASSESSMENT_RETURNED ? COMMENT_RETURN : COMMENT_APPROVE, comment, field, NULL)
               < 0) {
        store_rollback(db, NULL);
        return -1;
    }
    if (store_commit(db, &e) < 0) {
        web_store_failed(r, "changing a status", &e);
        return -1;
    }
    return 0;
}

/* ---- The team ---------------------------------------------------------------------------------- */

typedef struct team_member {
    const store_person *person;
    int has_assessment;
    store_assessment assessment;
    int *levels;                     /* n_specs, -1: not evaluated */
} team_member;

/* The team as the page and the API show it. */
typedef struct team {
    const web_eval *ev;
    store_cycle cycle;               /* the cycle shown; id 0 when there is none */
    store_org_list units;            /* the units the user may filter by (empty: no filter) */
    const store_org_unit *org;       /* the unit filtered by, or NULL */
    store_person_list people;
    team_member *members;
    size_t n_members;
    int64_t total;                   /* people in reach and filter (with the user, when in it) */
    int64_t others;                  /* the same without the user */
    int64_t page, pages;
    size_t n_specs;
    int self_levels;                 /* ?levels=self: self-assessed; else official levels */
} team;

static void team_free(void *p)
{
    team *t = p;
    for (size_t i = 0; i < t->n_members; i++)
        store_assessment_clear(&t->members[i].assessment);
    free(t->members);
    store_person_list_free(&t->people);
    store_org_list_free(&t->units);
    store_cycle_clear(&t->cycle);
}

/* The cycle ?cycle= names, else the one open today, else the latest. 0, or -1
 * after answering. t->cycle.id stays 0 when there are no cycles at all. */
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
        found = store_cycle_current(db, NULL, &t->cycle, &e);
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

/* Is r's user's own person among the people f takes? 1 or 0; -1 after answering 503. */
static int self_in_filter(web_request *r, store *db, const store_person_filter *f)
{
    if (r->user->person_id <= 0 || f->manager_id)
        return 0;
    if (!f->org_unit_id)
        return 1;
    err e;
    memset(&e, 0, sizeof e);
    store_person me;
    int found = store_person_get(db, r->user->person_id, &me, &e);
    int64_t unit = found == 1 ? me.org_unit_id : 0;
    if (found == 1)
        store_person_clear(&me);
    store_org_list below;
    memset(&below, 0, sizeof below);
    if (found < 0 || (unit && store_org_descendants(db, f->org_unit_id, 1, &below, &e) < 0)) {
        web_store_failed(r, "org units", &e);
        return -1;
    }
    int in = 0;
    for (size_t i = 0; i < below.count; i++)
        in |= below.items[i].id == unit;
    store_org_list_free(&below);
    return in;
}

/* Gathers the team of r's user: people in reach (web_people_scope), narrowed by
 * ?org=CODE within reach, one page of them, with this cycle's status and levels.
 * NULL after answering. */
static team *build_team(web_request *r)
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

    const char *page = web_query(r, "page");
    t->page = 1;
    if (page && *page && !web_parse_int(page, 1, 1000000, &t->page)) {
        web_reply_400(r, web_t(r, "team.bad_page"), "page");
        return NULL;
    }
    if (store_person_count(db, &f, &t->total, &e) < 0) {
        web_store_failed(r, "people", &e);
        return NULL;
    }
    t->pages = t->total ? (t->total + TEAM_PAGE_SIZE - 1) / TEAM_PAGE_SIZE : 1;
    int self_in = self_in_filter(r, db, &f);
    if (self_in < 0)
        return NULL;
    t->others = t->total - self_in;
    f.limit = TEAM_PAGE_SIZE;
    f.offset = (t->page - 1) * TEAM_PAGE_SIZE;
    if (store_person_list_filter(db, &f, &t->people, &e) < 0) {
        web_store_failed(r, "people", &e);
        return NULL;
    }
    t->members = calloc(t->people.count ? t->people.count : 1, sizeof *t->members);
    if (!t->members)
        abort();
    for (size_t i = 0; i < t->people.count; i++) {
        const store_person *p = &t->people.items[i];
        if (p->id == r->user->person_id)
            continue;                        /* the team is the people one reviews */
        team_member *m = &t->members[t->n_members++];
        m->person = p;
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
    html_printf(r->out, "page=%lld", (long long)p);
}

/* GET /team[?org=CODE&cycle=C&page=N]  The people the user reaches with their
 * level per specialization and the status of this cycle's assessment. */
void web_page_team(web_request *r)
{
    team *t = build_team(r);
    if (!t)
        return;
    const web_eval *ev = t->ev;
    html_begin(r, web_t(r, "team.title"));
    html_printf(r->out, "<h1>%s</h1>\n<p>%s</p>\n", web_t(r, "team.title"), web_t(r, "team.intro"));
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
    if (t->cycle.id)
        html_hidden(r, "cycle", num(r, t->cycle.id));
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
    web_html_tpl(r->out, web_t(r, "team.count"), num(r, t->others), NULL);
    html_raw(r->out, "</p>\n");

    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"team\">\n<thead><tr><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>",
                web_t(r, "team.number"), web_t(r, "team.name"), web_t(r, "team.org"), web_t(r, "results.status"));
    for (size_t j = 0; j < t->n_specs; j++)
        html_printf(r->out, "<th scope=\"col\">%s</th>", catalog_spec_at(ev->catalog, j)->name);
    html_printf(r->out, "<th scope=\"col\" class=\"no-print\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "team.actions"));
    for (size_t i = 0; i < t->n_members; i++) {
        const team_member *m = &t->members[i];
        const store_person *p = m->person;
        html_printf(r->out, "<tr data-person=\"%lld\"><td>%s</td><th scope=\"row\"><a href=\"/people/%lld/results",
                    (long long)p->id, p->employee_number, (long long)p->id);
        if (t->cycle.id)
            html_printf(r->out, "?cycle=%lld", (long long)t->cycle.id);
        html_printf(r->out, "\">%s</a></th><td>%s</td><td>", p->name, p->org_name ? p->org_name : "");
        if (m->has_assessment)
            html_printf(r->out, "<span class=\"badge %s\">%s</span>", assessment_status_name(m->assessment.status),
                        web_t(r, web_status_key(m->assessment.status)));
        else
            html_printf(r->out, "<span class=\"muted\">%s</span>", web_t(r, "team.not_started"));
        html_raw(r->out, "</td>");
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
                    web_t(r, m->has_assessment && m->assessment.status == ASSESSMENT_SUBMITTED ? "team.review_now"
                                                                                               : "team.review"),
                    (long long)p->id, web_t(r, "plan.to_plan"));
    }
    if (t->n_members == 0)
        html_printf(r->out, "<tr><td colspan=\"%d\">%s</td></tr>\n", (int)t->n_specs + 5, web_t(r, "team.empty"));
    html_raw(r->out, "</tbody>\n</table></div>\n");
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

/* The members of a person as JSON members (no braces). */
static void person_json(buf *b, int *first, const store_person *p)
{
    web_json_id(b, first, "id", p->id);
    web_json_str(b, first, "employee_number", p->employee_number);
    web_json_str(b, first, "name", p->name);
    web_json_str(b, first, "org_unit_code", p->org_code);
    web_json_str(b, first, "org_unit", p->org_name);
}

/* GET /api/v1/team[?org=CODE&cycle=C&page=N]  The team as JSON. */
void web_api_team(web_request *r)
{
    team *t = build_team(r);
    if (!t)
        return;
    web_json_begin(r, 200);
    buf *b = r->out;
    int first = 1;
    web_json_raw(b, "{");
    web_json_key(b, &first, "cycle");
    if (t->cycle.id) {
        int f2 = 1;
        web_json_raw(b, "{");
        web_json_id(b, &f2, "id", t->cycle.id);
        web_json_str(b, &f2, "name", t->cycle.name);
        web_json_str(b, &f2, "opens", t->cycle.opens);
        web_json_str(b, &f2, "closes", t->cycle.closes);
        web_json_raw(b, "}");
    } else {
        web_json_raw(b, "null");
    }
    web_json_str(b, &first, "org_unit", t->org ? t->org->code : NULL);
    web_json_str(b, &first, "level_kind", t->self_levels ? "self" : "official");
    web_json_int_member(b, &first, "total", t->others);
    web_json_int_member(b, &first, "page", t->page);
    web_json_int_member(b, &first, "pages", t->pages);
    web_json_key(b, &first, "specializations");
    web_json_raw(b, "[");
    for (size_t j = 0; j < t->n_specs; j++) {
        const catalog_spec *s = catalog_spec_at(t->ev->catalog, j);
        int f2 = 1;
        if (j)
            web_json_raw(b, ",");
        web_json_raw(b, "{");
        web_json_str(b, &f2, "id", s->id);
        web_json_str(b, &f2, "code", s->code);
        web_json_str(b, &f2, "name", s->name);
        web_json_raw(b, "}");
    }
    web_json_raw(b, "]");
    web_json_key(b, &first, "members");
    web_json_raw(b, "[");
    for (size_t i = 0; i < t->n_members; i++) {
        const team_member *m = &t->members[i];
        int f2 = 1;
        if (i)
            web_json_raw(b, ",");
        web_json_raw(b, "{");
        web_json_key(b, &f2, "person");
        int f3 = 1;
        web_json_raw(b, "{");
        person_json(b, &f3, m->person);
        web_json_raw(b, "}");
        web_json_key(b, &f2, "assessment");
        if (m->has_assessment) {
            f3 = 1;
            web_json_raw(b, "{");
            web_json_id(b, &f3, "id", m->assessment.id);
            web_json_str(b, &f3, "status", assessment_status_name(m->assessment.status));
            web_json_str(b, &f3, "updated_at", m->assessment.updated_at);
            web_json_raw(b, "}");
        } else {
            web_json_raw(b, "null");
        }
        web_json_key(b, &f2, "levels");
        f3 = 1;
        web_json_raw(b, "{");
        for (size_t j = 0; j < t->n_specs; j++) {
            web_json_key(b, &f3, catalog_spec_at(t->ev->catalog, j)->id);
            if (m->levels[j] >= 0)
                web_json_number(b, m->levels[j]);
            else
                web_json_raw(b, "null");
        }
        web_json_raw(b, "}}");
    }
    web_json_raw(b, "]}\n");
}

/* ---- A member's diagnosis -------------------------------------------------------------------- */

/* What the review page shows. */
typedef struct review {
    const web_eval *ev;
    store_person person;
    int has_assessment;
    store_assessment assessment;
    assessment *answers;
    assessment *reviewed;            /* answers with the agreements applied: manager = the reviewed ratings */
    store_agreement_list agreed;     /* elements whose self-rating the reviewer agreed with */
    size_t undecided;                /* achievement elements with neither a rating nor an agreement */
    const char *first_undecided;     /* in answers */
    engine_result *self, *manager;   /* manager: the reviewed ratings */
    const engine_spec *selected;     /* in self */
    store_comment_list comments;
} review;

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

/* Gathers the review of person_id in the cycle `cycle` names (NULL: the latest),
 * the specialization `spec` names (NULL: the highest self level). NULL after
 * answering. */
static review *build_review(web_request *r, int64_t person_id, const char *cycle, const char *spec)
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
    if (spec && *spec) {
        const catalog_spec *cs = results_find_spec(ev, spec);
        v->selected = cs ? engine_result_spec(v->self, cs->id) : NULL;
        if (!v->selected) {
            web_reply_400(r, web_t(r, "results.bad_spec"), "spec");
            return NULL;
        }
    } else {
        for (size_t i = 0; i < v->self->n_specs; i++)
            if (!v->selected || v->self->specs[i].level > v->selected->level)
                v->selected = &v->self->specs[i];
    }
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
    html_printf(r->out, "<div class=\"table-wrap\"><table class=\"review\">\n<caption>%s</caption>\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                caption, web_t(r, "review.element"), web_t(r, "review.text"), web_t(r, "review.self"),
                web_t(r, "review.manager"));
}

/* Every element of the selected specialization: achievement indicators level
 * by level, proficiency per skill area, knowledge items. */
static void put_review_form(web_request *r, const review *v, int editable)
{
    const engine_spec *es = v->selected;
    const catalog *c = v->ev->catalog;
    char label[64];
    for (size_t i = 0; i < es->n_levels; i++) {
        const catalog_level *lv = es->levels[i].indicators;
        const char *caption = web_text_tpl(r, "{1} {2}", web_reached_label(r, es->levels[i].level, label, sizeof label),
                                           web_t(r, "review.achievement"), NULL);
        put_review_table_head(r, caption);
        put_review_row(r, v, lv->responsibility.id, web_t(r, "results.crit.responsibility"), lv->responsibility.text,
                       1, editable);
        static const char *const keys[CRITERION_KINDS] = { "results.crit.complexity", "results.crit.size",
                                                           "results.crit.task" };
        for (int k = 0; k < CRITERION_KINDS; k++)
            for (size_t j = 0; j < lv->criteria[k].n_items; j++)
                put_review_row(r, v, lv->criteria[k].items[j].id, web_t(r, keys[k]), lv->criteria[k].items[j].text,
                               1, editable);
        html_raw(r->out, "</tbody>\n</table></div>\n");
    }
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
    put_review_table_head(r, web_t(r, "review.knowledge"));
    for (size_t i = 0; i < es->n_areas; i++) {
        const engine_area *ea = &es->areas[i];
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
                for (size_t j = 0; j < sa->knowledge[k].n_items; j++) {
                    const char *where = web_text_tpl(r, "{1} › {2}", ea->area->name, sa->knowledge[k].name,
                                                     NULL);
                    put_review_row(r, v, sa->knowledge[k].items[j].id, where, sa->knowledge[k].items[j].text,
                                   ASSESS_RATING_MAX, editable);
                }
        }
    }
    html_raw(r->out, "</tbody>\n</table></div>\n");
}

/* The review page: message (kind "error" or "ok") on top when given,
 * return_text typed back into the return form after a refusal. */
static void render_review(web_request *r, const review *v, const char *kind, const char *message,
                          const char *return_text)
{
    char path[64], title[256], label[64], action[80];
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
    const char *cycle = num(r, a->cycle_id);
    html_printf(r->out, "<dl class=\"facts\"><dt>%s</dt><dd>%s <span class=\"badge %s\" id=\"status\">%s</span></dd>"
                        "<dt>%s</dt><dd><a href=\"%s/results?cycle=%s\">%s</a></dd></dl>\n",
                web_t(r, "results.cycle"), a->cycle, assessment_status_name(a->status),
                web_t(r, web_status_key(a->status)), web_t(r, "results.title"), path, cycle,
                web_t(r, "review.see_results"));

    /* Levels: self and manager side by side. */
    if (v->self) {
        html_printf(r->out, "<section class=\"card\">\n<h2>%s</h2>\n<div class=\"table-wrap\"><table class=\"levels\">"
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

    /* Item by item. */
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
            html_printf(r->out, "<option value=\"%s\"%s>%s</option>", v->self->specs[i].spec->code,
                        &v->self->specs[i] == es ? " selected" : "", v->self->specs[i].spec->name);
        html_printf(r->out, "</select><button type=\"submit\" class=\"secondary\">%s</button></div>\n",
                    web_t(r, "results.show"));
        html_form_end(r);
        /* The GET form above must not wrap the review form: forms do not nest. */
        int editable = a->status != ASSESSMENT_APPROVED;
        if (editable) {
            snprintf(action, sizeof action, "%s/review", path);
            html_form_post(r, action);
            html_hidden(r, "cycle", cycle);
            html_hidden(r, "spec", es->spec->code);
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
    /* Comments. */
    snprintf(action, sizeof action, "%s/comments", path);
    web_comment_thread(r, &v->comments, &(web_comment_form){ .action = action, .cycle = cycle, .secondary = 1 });

    /* Decisions. */
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

    html_raw(r->out, "</article>\n");
    html_end(r);
}

/* GET /people/:id/review[?cycle=C&spec=S]  A member's diagnosis with the
 * manager's rating beside the self-rating, the comments and the decisions. */
void web_page_review(web_request *r)
{
    int64_t id = reviewed_person(r);
    if (!id)
        return;
    review *v = build_review(r, id, web_query(r, "cycle"), web_query(r, "spec"));
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
    buf_printf(&b, "&done=%s", done);
    web_redirect(r, b.data);
    buf_free(&b);
}

/* The assessment a POST is about: form field "cycle" (else the latest). 1, or
 * 0 after answering (404 when there is none). */
static int posted_assessment(web_request *r, int64_t person_id, const char *cycle, store_assessment *out)
{
    int found = web_find_assessment(r, person_id, cycle, out);
    if (found == 0)
        web_reply_error(r, 404, "not_found", web_t(r, "review.no_assessment"), "cycle");
    return found == 1;
}

static void clear_assessment(void *a)
{
    store_assessment_clear(a);
}

/* POST /people/:id/review  cycle, spec, m:ELEMENT=value ("" undecided; "agree"
 * agrees with the self-rating; 0/1, or 0..4 for a knowledge item)[, agree_rest]:
 * the reviewer's decisions, saved all at once; agree_rest then agrees with the
 * self-rating of every element still undecided. */
void web_page_review_post(web_request *r)
{
    int64_t id = reviewed_person(r);
    if (!id)
        return;
    const web_eval *ev = web_evaluator(r);
    if (!ev)
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (!posted_assessment(r, id, web_form(r, "cycle"), a))
        return;
    web_defer(r, clear_assessment, a);
    rating_change *changes = web_alloc(r, (r->form.count ? r->form.count : 1) * sizeof *changes);
    size_t n = 0;
    for (size_t i = 0; i < r->form.count; i++) {
        const web_param *p = &r->form.items[i];
        if (strncmp(p->name, "m:", 2) != 0)
            continue;
        int max;
        int64_t value = -1;
        if (!ratable(ev, p->name + 2, &max)) {
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
    if (save_manager_rating(r, a, changes, n, rest && *rest) < 0)
        return;
    back_to_review(r, id, a, web_form(r, "spec"), "saved");
}

/* Whether r's user may write in person_id's thread: a reviewer of the person,
 * or the person themself. 1, or 0 after answering 403 (-1 answered 503). */
static int may_comment(web_request *r, int64_t person_id)
{
    if (r->user->person_id == person_id)
        return 1;
    int may = web_may_review_person(r, person_id);
    if (may == 0)
        web_reply_403(r);
    return may > 0;
}

/* POST /people/:id/comments  cycle, body[, next]: adds a comment to the thread
 * of the person's assessment. Back to next (a local path) or the review page. */
void web_page_comment_post(web_request *r)
{
    int64_t id;
    if (!web_path_id(r, "id", &id) || !may_comment(r, id))
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (!posted_assessment(r, id, web_form(r, "cycle"), a))
        return;
    web_defer(r, clear_assessment, a);
    if (add_comment(r, a, COMMENT_NOTE, web_form(r, "body"), "body", NULL) < 0)
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
    int64_t id = reviewed_person(r);
    if (!id)
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (!posted_assessment(r, id, web_form(r, "cycle"), a))
        return;
    web_defer(r, clear_assessment, a);
    const char *comment = web_form(r, "comment");
    if (to == ASSESSMENT_RETURNED && !(comment && comment[strspn(comment, " \t\r\n")])) {
        /* A return without its reason: the page again, saying so, nothing lost. */
        review *v = build_review(r, id, num(r, a->cycle_id), NULL);
        if (!v)
            return;
        r->res.status = 400;
        render_review(r, v, "error", web_t(r, "review.return_needs_comment"), comment ? comment : "");
        return;
    }
    if (decide(r, a, to, comment, "comment") < 0)
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

/* ---- The API ------------------------------------------------------------------------------- */

/* The assessment's summary as a JSON object. */
static void assessment_json(buf *b, const store_assessment *a)
{
    int first = 1;
    web_json_raw(b, "{");
    web_json_id(b, &first, "id", a->id);
    web_json_id(b, &first, "cycle_id", a->cycle_id);
    web_json_str(b, &first, "cycle", a->cycle);
    web_json_str(b, &first, "status", assessment_status_name(a->status));
    web_json_str(b, &first, "catalog_id", a->catalog_id);
    web_json_str(b, &first, "catalog_version", a->catalog_version);
    web_json_str(b, &first, "updated_at", a->updated_at);
    web_json_raw(b, "}");
}

static void comment_json(buf *b, const store_comment *c)
{
    int first = 1;
    web_json_raw(b, "{");
    web_json_id(b, &first, "id", c->id);
    web_json_str(b, &first, "author", c->author);
    web_json_str(b, &first, "author_name", c->author_name);
    web_json_str(b, &first, "kind", store_comment_kind_name(c->kind));
    web_json_str(b, &first, "body", c->body);
    web_json_str(b, &first, "created_at", c->created_at);
    web_json_raw(b, "}");
}

/* The person, the assessment, the answers of rater (-1: every rater), the
 * levels by the self and the manager's rating, and the comments. */
static void reply_assessment(web_request *r, const review *v, int rater, int status)
{
    web_json_begin(r, status);
    buf *b = r->out;
    int first = 1;
    web_json_raw(b, "{");
    web_json_key(b, &first, "person");
    int f2 = 1;
    web_json_raw(b, "{");
    person_json(b, &f2, &v->person);
    web_json_raw(b, "}");
    web_json_key(b, &first, "assessment");
    if (!v->has_assessment) {
        web_json_raw(b, "null}\n");
        return;
    }
    assessment_json(b, &v->assessment);
    web_json_str(b, &first, "rater", rater < 0 ? NULL : assessment_rater_name((assessment_rater)rater));
    web_json_key(b, &first, "answers");
    web_json_raw(b, "[");
    int any = 0;
    for (size_t i = 0; i < v->answers->n_answers; i++) {
        const assessment_answer *x = &v->answers->answers[i];
        if (rater >= 0 && (int)x->rater != rater)
            continue;
        f2 = 1;
        if (any)
            web_json_raw(b, ",");
        web_json_raw(b, "{");
        any = 1;
        web_json_str(b, &f2, "element_id", x->element_id);
        web_json_str(b, &f2, "rater", assessment_rater_name(x->rater));
        web_json_int_member(b, &f2, "value", x->value);
        web_json_key(b, &f2, "evidence");
        web_json_raw(b, "[");
        for (size_t j = 0; j < x->n_evidence; j++) {
            if (j)
                web_json_raw(b, ",");
            buf_json_str(b, x->evidence[j]);
        }
        web_json_raw(b, "]}");
    }
    web_json_raw(b, "]");
    web_json_key(b, &first, "agreed");
    web_json_raw(b, "[");
    for (size_t i = 0; i < v->agreed.count; i++) {
        if (i)
            web_json_raw(b, ",");
        buf_json_str(b, v->agreed.element_ids[i]);
    }
    web_json_raw(b, "]");
    web_json_int_member(b, &first, "undecided_achievement", (long long)v->undecided);
    web_json_str(b, &first, "first_undecided", v->first_undecided);
    web_json_key(b, &first, "levels");
    web_json_raw(b, "[");
    for (size_t i = 0; v->self && i < v->self->n_specs; i++) {
        f2 = 1;
        if (i)
            web_json_raw(b, ",");
        web_json_raw(b, "{");
        web_json_str(b, &f2, "specialization", v->self->specs[i].spec->id);
        web_json_int_member(b, &f2, "self", v->self->specs[i].level);
        web_json_int_member(b, &f2, "manager", v->manager->specs[i].level);
        web_json_int_member(b, &f2, "reviewed", v->manager->specs[i].level);
        web_json_raw(b, "}");
    }
    web_json_raw(b, "]");
    web_json_key(b, &first, "comments");
    web_json_raw(b, "[");
    for (size_t i = 0; i < v->comments.count; i++) {
        if (i)
            web_json_raw(b, ",");
        comment_json(b, &v->comments.items[i]);
    }
    web_json_raw(b, "]}\n");
}

/* GET /api/v1/people/:id/assessment[?rater=self|manager&cycle=C]  The answers
 * of a person's assessment, for a user who may see the person. */
void web_api_person_assessment(web_request *r)
{
    int64_t id;
    if (!web_path_id(r, "id", &id))
        return;
    int may = web_may_see_person(r, id);
    if (may < 0)
        return;
    if (!may) {
        web_reply_403(r);
        return;
    }
    const char *rater_name = web_query(r, "rater");
    int rater = -1;
    if (rater_name && *rater_name && (rater = assessment_rater_parse(rater_name)) < 0) {
        web_reply_400(r, web_t(r, "review.bad_rater"), "rater");
        return;
    }
    review *v = build_review(r, id, web_query(r, "cycle"), NULL);
    if (v)
        reply_assessment(r, v, rater, 200);
}

/* The "cycle" member of an API body (a name, or an id as a number or text)
 * as text, NULL when absent. 0, or -1 after answering 422. */
static int body_cycle(web_request *r, const json_value *body, const char **cycle)
{
    *cycle = NULL;
    const json_member *m = json_member_get(body, "cycle");
    if (!m || m->value->type == JSON_NULL)
        return 0;
    if (m->value->type == JSON_STRING) {
        *cycle = m->value->string;
        return 0;
    }
    if (m->value->type == JSON_NUMBER && m->value->is_integer && m->value->number >= 1) {
        *cycle = num(r, (long long)m->value->number);
        return 0;
    }
    web_json_invalid(r, "cycle", web_t(r, "review.bad_cycle"));
    return -1;
}

/* The API's person for a review action and the assessment its body's cycle
 * names. 1, or 0 after answering. */
static int api_target(web_request *r, const json_value *body, int64_t *id, store_assessment *a)
{
    const char *cycle;
    if (!(*id = reviewed_person(r)) || body_cycle(r, body, &cycle) < 0)
        return 0;
    if (!posted_assessment(r, *id, cycle, a))
        return 0;
    web_defer(r, clear_assessment, a);
    return 1;
}

/* PUT /api/v1/people/:id/assessment/manager  {"cycle"?, "answers":[{"element_id",
 * "value": 0..4, "agree" or null}], "agree_remaining"?: true}: sets the
 * reviewer's rating of those elements ("agree": agrees with the self-rating;
 * null: undecided), then agrees with every self-rating still undecided when
 * agree_remaining, all or nothing. Answers as GET ...?rater=manager does. */
void web_api_manager_rating(web_request *r)
{
    static const char *const known[] = { "cycle", "answers", "agree_remaining", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    const web_eval *ev = web_evaluator(r);
    int64_t id;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (!ev || !api_target(r, body, &id, a))
        return;
    const json_member *m = json_member_get(body, "answers");
    if (!m || m->value->type != JSON_ARRAY) {
        web_json_invalid(r, "answers", web_t(r, "review.answers_missing"));
        return;
    }
    const json_value *list = m->value;
    rating_change *changes = web_alloc(r, (list->n_elements ? list->n_elements : 1) * sizeof *changes);
    for (size_t i = 0; i < list->n_elements; i++) {
        const json_value *el = list->elements[i];
        const json_member *eid = el->type == JSON_OBJECT ? json_member_get(el, "element_id") : NULL;
        const json_member *val = el->type == JSON_OBJECT ? json_member_get(el, "value") : NULL;
        char field[64];
        int max;
        snprintf(field, sizeof field, "answers[%zu].element_id", i);
        if (!eid || eid->value->type != JSON_STRING || !ratable(ev, eid->value->string, &max)) {
            web_json_invalid(r, field, web_t(r, "review.unknown_element"));
            return;
        }
        snprintf(field, sizeof field, "answers[%zu].value", i);
        int value = -1;
        int agree = val && val->value->type == JSON_STRING && strcmp(val->value->string, "agree") == 0;
        if (!val || (val->value->type != JSON_NULL && !agree
                     && (val->value->type != JSON_NUMBER || !val->value->is_integer || val->value->number < 0
                         || val->value->number > max))) {
            web_json_invalid(r, field, web_t(r, "review.bad_value"));
            return;
        }
        if (val->value->type == JSON_NUMBER)
            value = (int)val->value->number;
        if (agree)
            value = RATING_AGREE;
        changes[i] = (rating_change){ eid->value->string, value };
    }
    const json_member *rest = json_member_get(body, "agree_remaining");
    if (rest && rest->value->type != JSON_TRUE && rest->value->type != JSON_FALSE) {
        web_json_invalid(r, "agree_remaining", web_t(r, "review.bad_agree_remaining"));
        return;
    }
    if (save_manager_rating(r, a, changes, list->n_elements, rest && rest->value->type == JSON_TRUE) < 0)
        return;
    review *v = build_review(r, id, num(r, a->cycle_id), NULL);
    if (v)
        reply_assessment(r, v, RATER_MANAGER, 200);
}

/* POST /api/v1/people/:id/comments  {"body", "cycle"?}: adds a comment; 201
 * with it. The person themself may write too. */
void web_api_comment(web_request *r)
{
    static const char *const known[] = { "cycle", "body", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    int64_t id;
    if (!web_path_id(r, "id", &id) || !may_comment(r, id))
        return;
    const char *cycle, *text = NULL;
    if (body_cycle(r, body, &cycle) < 0 || web_json_string(r, body, "body", &text) < 0)
        return;
    store_assessment *a = web_alloc(r, sizeof *a);
    if (!posted_assessment(r, id, cycle, a))
        return;
    web_defer(r, clear_assessment, a);
    int64_t comment_id = 0;
    if (add_comment(r, a, COMMENT_NOTE, text, "body", &comment_id) < 0)
        return;
    store_comment_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_comment_list_assessment(web_store(r), a->id, &l, &e) < 0) {
        web_store_failed(r, "comments", &e);
        return;
    }
    web_json_begin(r, 201);
    for (size_t i = 0; i < l.count; i++)
        if (l.items[i].id == comment_id) {
            web_json_raw(r->out, "{\"comment\":");
            comment_json(r->out, &l.items[i]);
            web_json_raw(r->out, "}\n");
        }
    store_comment_list_free(&l);
}

/* The API's return and approve: {"comment", "cycle"?}. */
static void api_decide(web_request *r, assessment_status to)
{
    static const char *const known[] = { "cycle", "comment", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    int64_t id;
    store_assessment *a = web_alloc(r, sizeof *a);
    const char *comment = NULL;
    if (!api_target(r, body, &id, a) || web_json_string(r, body, "comment", &comment) < 0)
        return;
    if (decide(r, a, to, comment, "comment") < 0)
        return;
    review *v = build_review(r, id, num(r, a->cycle_id), NULL);
    if (!v)
        return;
    web_json_begin(r, 200);
    web_json_raw(r->out, "{\"assessment\":");
    assessment_json(r->out, &v->assessment);
    web_json_raw(r->out, "}\n");
}

/* POST /api/v1/people/:id/return  {"comment" (required), "cycle"?}: submitted -> returned. */
void web_api_return(web_request *r)
{
    api_decide(r, ASSESSMENT_RETURNED);
}

/* POST /api/v1/people/:id/approve  {"comment"?, "cycle"?}: submitted -> approved. */
void web_api_approve(web_request *r)
{
    api_decide(r, ASSESSMENT_APPROVED);
}
