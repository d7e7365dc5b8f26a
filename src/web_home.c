/* web_home.c - GET /home: what each role has to do (issue 12, Missing 4). An
 * engineer sees their diagnosis in force (status, answers, deadline and days
 * left, a return's reason); a reviewer (manager or HR) the submissions waiting
 * for them, per cycle, oldest first; HR the campaign of the cycle in use per org
 * unit (not started, draft, submitted, approved); the administrator the
 * accounts without a person and the disabled ones. Every list is in reach of
 * the user only (review.h for reviewers). */
#include "web_kit.h"
#include "web.h"
#include "web_pages.h"
#include "html.h"
#include "review.h"
#include "rules.h"
#include "store.h"
#include "store_person_order.h"
#include "store_queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOME_LIST_MAX 20          /* rows a list shows before saying how many more */

/* Days from today to date (YYYY-MM-DD), negative when past. */
static long days_until(const char *date)
{
    char today[11];
    rules_today(today);
    struct tm a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.tm_year = atoi(today) - 1900, a.tm_mon = atoi(today + 5) - 1, a.tm_mday = atoi(today + 8), a.tm_hour = 12;
    b.tm_year = atoi(date) - 1900, b.tm_mon = atoi(date + 5) - 1, b.tm_mday = atoi(date + 8), b.tm_hour = 12;
    return (long)((timegm(&b) - timegm(&a)) / 86400);
}

/* A number as text in request memory. */
static const char *home_num(web_request *r, long long n)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", n);
    return web_strdup(r, text);
}

/* The user's own diagnosis in the cycle open today. */
static void put_own(web_request *r, store *db)
{
    store_cycle cy;
    err e;
    memset(&e, 0, sizeof e);
    html_printf(r->out, "<section class=\"card todo todo-own\">\n<h2>%s</h2>\n", web_t(r, "home.own"));
    if (store_cycle_current(db, NULL, &cy, &e) != 1) {
        html_printf(r->out, "<p>%s</p>\n</section>\n", web_t(r, "diag.no_cycle"));
        return;
    }
    store_assessment a;
    int found = store_assessment_find(db, r->user->person_id, cy.id, &a, &e);
    assessment_status status = found == 1 ? a.status : ASSESSMENT_DRAFT;
    size_t answered = 0;
    assessment *loaded = NULL;
    if (found == 1 && store_assessment_load(db, a.id, &loaded, &e) == 1) {
        for (size_t i = 0; i < loaded->n_answers; i++)
            answered += loaded->answers[i].rater == RATER_SELF;
        assessment_free(loaded);
    }
    long left = days_until(cy.closes);
    html_raw(r->out, "<p class=\"todo-line\">");
    web_html_tpl(r->out, web_t(r, "home.own.cycle"), cy.name, cy.closes, home_num(r, left), NULL);
    html_printf(r->out, " <span class=\"badge %s\">%s</span></p>\n<p>", assessment_status_name(status),
                web_t(r, web_status_key(status)));
    if (status == ASSESSMENT_DRAFT || status == ASSESSMENT_RETURNED)
        web_html_tpl(r->out, web_t(r, answered ? "home.own.to_answer" : "home.own.not_started"),
                     home_num(r, (long long)answered), NULL);
    else
        html_printf(r->out, "%s", web_t(r, status == ASSESSMENT_SUBMITTED ? "home.own.waiting" : "home.own.done"));
    html_printf(r->out, " <a href=\"/diagnosis\">%s</a></p>\n", web_t(r, "home.own.open"));
    if (found == 1)
        store_assessment_clear(&a);
    store_cycle_clear(&cy);
    web_official_return_reason(r, r->user->person_id, 0);
    html_raw(r->out, "</section>\n");
}

/* HR's submissions waiting: every submitted assessment but those of HR
 * themselves and of the people above them (review_hr_excluded), the oldest
 * read by index (the queue holds tens of thousands at scale). Their count into
 * *n and the oldest HOME_LIST_MAX into *l; -1 after answering. */
static int hr_waiting(web_request *r, store *db, store_assessment_list *l, size_t *n)
{
    err e;
    memset(&e, 0, sizeof e);
    int64_t excluded[257], total = 0;
    size_t n_excluded = 0, got = 0, lost = 0;
    if (review_hr_excluded(db, r->user->person_id, excluded, 257, &n_excluded, &e) < 0)
        goto failed;
    for (size_t k = 0; k < n_excluded; k++) {
        store_assessment_filter f = { .person_id = excluded[k], .status = ASSESSMENT_SUBMITTED };
        store_assessment_list mine;
        if (store_assessment_list_filter(db, &f, &mine, &e) < 0)
            goto failed;
        lost += mine.count;
        store_assessment_list_free(&mine);
    }
    size_t want = HOME_LIST_MAX + lost;
    int64_t *ids = web_alloc(r, (want + 1) * sizeof *ids);
    if (store_assessment_queue(db, ASSESSMENT_SUBMITTED, want, &total, ids, &got, &e) < 0)
        goto failed;
    memset(l, 0, sizeof *l);
    l->items = calloc(HOME_LIST_MAX + 1, sizeof *l->items);
    for (size_t i = 0; i < got && l->count < HOME_LIST_MAX; i++) {
        store_assessment *a = &l->items[l->count];
        if (store_assessment_get(db, ids[i], a, &e) != 1)
            continue;
        int mine = 0;
        for (size_t k = 0; k < n_excluded; k++)
            mine |= a->person_id == excluded[k];
        if (mine)
            store_assessment_clear(a);
        else
            l->count++;
    }
    *n = (size_t)total > lost ? (size_t)total - lost : 0;
    return 0;
failed:
    web_store_failed(r, "submissions", &e);
    return -1;
}

/* A manager's submissions waiting: those of the people below them in the
 * reporting line (review.h's rule), counted and the oldest HOME_LIST_MAX read
 * by the store (store_queue_below) rather than every submission read and each
 * submitter's chain walked. *n the count, *l the oldest; -1 after answering. */
static int manager_waiting(web_request *r, store *db, store_assessment_list *l, size_t *n)
{
    err e;
    memset(&e, 0, sizeof e);
    int64_t ids[HOME_LIST_MAX], total = 0;
    size_t got = 0;
    memset(l, 0, sizeof *l);
    if (store_queue_below(db, r->user->person_id, HOME_LIST_MAX, &total, ids, &got, &e) < 0) {
        web_store_failed(r, "submissions", &e);
        return -1;
    }
    l->items = calloc(HOME_LIST_MAX + 1, sizeof *l->items);
    for (size_t i = 0; i < got; i++)
        if (store_assessment_get(db, ids[i], &l->items[l->count], &e) == 1)
            l->count++;
    *n = (size_t)total;
    return 0;
}

/* The submissions waiting for the user's review (HR or a manager), oldest first. */
static void put_waiting(web_request *r, store *db)
{
    store_assessment_list l;
    size_t n = 0;
    if ((r->user->role == ROLE_HR ? hr_waiting(r, db, &l, &n) : manager_waiting(r, db, &l, &n)) < 0)
        return;
    size_t shown = l.count;
    html_printf(r->out, "<section class=\"card todo todo-review\">\n<h2>%s</h2>\n<p>", web_t(r, "home.review"));
    web_html_tpl(r->out, web_t(r, "home.review.count"), home_num(r, (long long)n), NULL);
    html_raw(r->out, "</p>\n");
    if (n) {
        html_printf(r->out, "<ol class=\"waiting\">\n");
        for (size_t i = 0; i < shown && i < HOME_LIST_MAX; i++)
            html_printf(r->out, "<li><a href=\"/people/%lld/review?cycle=%lld\">%s %s</a> <span class=\"muted\">%s · "
                                "%s</span></li>\n",
                        (long long)l.items[i].person_id, (long long)l.items[i].cycle_id, l.items[i].employee_number,
                        l.items[i].person_name, l.items[i].cycle, web_moment(r, l.items[i].updated_at));
        html_raw(r->out, "</ol>\n");
        if (n > HOME_LIST_MAX) {
            html_raw(r->out, "<p class=\"muted\">");
            web_html_tpl(r->out, web_t(r, "home.more"), home_num(r, (long long)(n - HOME_LIST_MAX)), NULL);
            html_raw(r->out, "</p>\n");
        }
    }
    html_printf(r->out, "<p><a href=\"/team\">%s</a></p>\n</section>\n", web_t(r, "home.review.team"));
    store_assessment_list_free(&l);
}

/* The campaign of the cycle in use, counted over the org columns: per org
 * unit (the units below the top, with everything below each: the tree's first
 * level that has more than one unit), how many people have not started, have a
 * draft (or a returned one), have submitted, are approved; then the total. */
static void put_campaign(web_request *r, store *db)
{
    store_cycle cy;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_in_use(db, NULL, &cy, &e) != 1)
        return;
    const orgcols *oc = web_orgcols_acquire(r);
    if (!oc) {
        store_cycle_clear(&cy);
        return;
    }
    orgcols_status_units su;
    int64_t scope = 0;
    int rc = orgcols_status_by_unit(oc, cy.id, scope, &su);
    for (int depth = 0; rc == 0 && depth < 16 && su.n_units == 1 && !su.direct[0]; depth++) {
        scope = su.unit_ids[0];        /* one unit holds everyone: show the units below it */
        orgcols_status_units_free(&su);
        rc = orgcols_status_by_unit(oc, cy.id, scope, &su);
    }
    web_orgcols_release(r);
    if (rc < 0) {
        store_cycle_clear(&cy);
        return;
    }
    html_printf(r->out, "<section class=\"card todo todo-campaign\">\n<h2>%s</h2>\n<p>", web_t(r, "home.campaign"));
    web_html_tpl(r->out, web_t(r, "home.campaign.cycle"), cy.name, cy.closes, home_num(r, days_until(cy.closes)), NULL);
    html_printf(r->out, "</p>\n<div class=\"table-wrap\" tabindex=\"0\"><table class=\"campaign\">\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                        "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "team.org"), web_t(r, "team.not_started"), web_t(r, "diag.status.draft"),
                web_t(r, "diag.status.submitted"), web_t(r, "diag.status.approved"));
    for (size_t u = 0; u <= su.n_units; u++) {
        const int64_t *c = su.counts + u * ASSESSMENT_STATUS_COUNT;
        int64_t started = 0;
        for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
            started += c[s];
        const char *name = web_t(r, "hr.total");
        store_org_unit unit;
        if (u < su.n_units && store_org_get(db, su.unit_ids[u], &unit, &e) == 1) {
            name = web_strdup(r, unit.name);
            store_org_unit_clear(&unit);
        }
        if (u == su.n_units)
            html_raw(r->out, "<tr class=\"total\">");
        else
            html_raw(r->out, "<tr>");
        html_printf(r->out, "<th scope=\"row\">%s%s</th><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
                            "<td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
                    name,
                    u < su.n_units && su.direct[u] ? web_t(r, "hr.orgview.direct") : "",
                    (long long)(su.people[u] > started ? su.people[u] - started : 0),
                    (long long)(c[ASSESSMENT_DRAFT] + c[ASSESSMENT_RETURNED]), (long long)c[ASSESSMENT_SUBMITTED],
                    (long long)c[ASSESSMENT_APPROVED]);
    }
    html_printf(r->out, "</tbody></table></div>\n<p><a href=\"/hr\">%s</a></p>\n</section>\n", web_t(r, "home.campaign.more"));
    orgcols_status_units_free(&su);
    store_cycle_clear(&cy);
}

/* The accounts an administrator looks after: without a person (for a role that
 * needs one), and disabled. */
static void put_accounts(web_request *r, store *db)
{
    store_user_list users;
    err e;
    memset(&e, 0, sizeof e);
    if (store_user_list_all(db, &users, &e) < 0) {
        web_store_failed(r, "accounts", &e);
        return;
    }
    static const char *const titles[2] = { "home.admin.no_person", "home.admin.disabled" };
    for (int kind = 0; kind < 2; kind++) {
        html_printf(r->out, "<section class=\"card todo todo-accounts\">\n<h2>%s</h2>\n<ul>\n", web_t(r, titles[kind]));
        size_t shown = 0;
        for (size_t i = 0; i < users.count; i++) {
            const store_user *u = &users.items[i];
            int take = kind == 0 ? !u->person_id && strcmp(u->role, "admin") != 0 : u->disabled;
            if (take && shown++ < HOME_LIST_MAX)
                html_printf(r->out, "<li><a href=\"/admin/users/%lld\">%s</a></li>\n", (long long)u->id, u->login);
        }
        if (!shown)
            html_printf(r->out, "<li class=\"muted\">%s</li>\n", web_t(r, "home.none"));
        html_raw(r->out, "</ul>\n</section>\n");
    }
    store_user_list_free(&users);
}

/* GET /home  The user's to-do list, by role. */
void web_page_home(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    char role_key[32];
    snprintf(role_key, sizeof role_key, "role.%s", account_role_name(r->user->role));
    html_begin(r, web_t(r, "home.title"));
    html_printf(r->out, "<h1>%s, %s</h1>\n<p>%s: <strong>%s</strong></p>\n", web_t(r, "home.welcome"),
                r->user->login, web_t(r, "home.role"), web_t(r, role_key));
    if (r->user->person_id > 0 && r->user->role != ROLE_ADMIN)
        put_own(r, db);
    if (r->user->role == ROLE_MANAGER || r->user->role == ROLE_HR)
        put_waiting(r, db);
    if (r->user->role == ROLE_HR)
        put_campaign(r, db);
    if (r->user->role == ROLE_ADMIN)
        put_accounts(r, db);
    html_printf(r->out, "<p class=\"muted\">%s · <a href=\"/account/password\">%s</a></p>\n", web_t(r, "home.intro"),
                web_t(r, "account.password.link"));
    html_end(r);
}

/* The messages of the home page (registered in web_i18n.c). */
const web_message web_messages_home[] = {
    { "home.own", "あなたの自己診断", "Your diagnosis" },
    { "home.own.cycle", "{1}（締切 {2}、あと {3} 日）", "{1} (closes {2}, {3} days left)" },
    { "home.own.not_started", "まだ回答していません。", "Nothing answered yet." },
    { "home.own.to_answer", "{1} 項目に回答済みです。残りに回答して提出してください。",
      "{1} elements answered. Answer the rest and submit." },
    { "home.own.waiting", "提出済みです。上長の確認を待っています。", "Submitted; waiting for your reviewer." },
    { "home.own.done", "承認済みです。", "Approved." },
    { "home.own.open", "自己診断を開く", "Open my diagnosis" },
    { "home.review", "確認を待っている提出", "Submissions waiting for your review" },
    { "home.review.count", "{1} 件（古い順）", "{1} (oldest first)" },
    { "home.review.team", "チームを見る", "See the team" },
    { "home.more", "ほか {1} 件", "and {1} more" },
    { "home.campaign", "診断の進み具合", "Campaign progress" },
    { "home.campaign.cycle", "{1}（締切 {2}、あと {3} 日）の組織ごとの状況", "{1} (closes {2}, {3} days left), by org unit" },
    { "home.campaign.no_unit", "（組織なし）", "(no unit)" },
    { "home.campaign.more", "人事ページで詳しく見る", "More on the HR page" },
    { "home.admin.no_person", "社員に結び付いていないアカウント", "Accounts without a person" },
    { "home.admin.disabled", "無効にしたアカウント", "Disabled accounts" },
    { "home.none", "ありません", "none" },
};
const size_t web_messages_home_count = sizeof web_messages_home / sizeof web_messages_home[0];
