/* web_hr_api.c - the HR pages' equivalents under /api/v1: cycles, org units,
 * people, the 人材ポートフォリオ, CSV imports and the exports.
 *
 * Same roles and the same checks as the pages (web_hr_data.c): a refused field
 * is 422 {"error":{"code":"invalid","message":...,"field":...}}, an unknown id
 * 404, a malformed body 400; never a 500 for what a client sent. Objects are
 * written with the members the OpenAPI document (web_openapi.c) describes. */
#include "web.h"
#include "web_access.h"
#include "web_hr_data.h"
#include "web_json.h"
#include "json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Objects ------------------------------------------------------------------------ */

/* {"id","name","opens","closes","state"} (a new reference). */
static json_t *cycle_json(const store_cycle *c, const char *today)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(c->id));
    json_object_set_new(o, "name", web_json_text(c->name));
    json_object_set_new(o, "opens", web_json_text(c->opens));
    json_object_set_new(o, "closes", web_json_text(c->closes));
    json_object_set_new(o, "state", web_json_text(web_hr_cycle_state(c, today)));
    return o;
}

/* {"id","code","name","parent_id","parent_code","depth"} (a new reference). */
static json_t *org_json(const store_org_unit *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(u->id));
    json_object_set_new(o, "code", web_json_text(u->code));
    json_object_set_new(o, "name", web_json_text(u->name));
    json_object_set_new(o, "parent_id", web_json_id(u->parent_id));
    json_object_set_new(o, "parent_code", web_json_text(u->parent_code));
    json_object_set_new(o, "depth", json_integer(u->depth));
    return o;
}

/* {"id","employee_number","name","kana","email","org_unit_id","org_unit_code",
 *  "org_unit_name","manager_id","manager_employee_number","manager_name"} (a new reference). */
static json_t *person_json(const store_person *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", web_json_id(p->id));
    json_object_set_new(o, "employee_number", web_json_text(p->employee_number));
    json_object_set_new(o, "name", web_json_text(p->name));
    json_object_set_new(o, "kana", web_json_text(p->kana));
    json_object_set_new(o, "email", web_json_text(p->email));
    json_object_set_new(o, "org_unit_id", web_json_id(p->org_unit_id));
    json_object_set_new(o, "org_unit_code", web_json_text(p->org_code));
    json_object_set_new(o, "org_unit_name", web_json_text(p->org_name));
    json_object_set_new(o, "manager_id", web_json_id(p->manager_id));
    json_object_set_new(o, "manager_employee_number", web_json_text(p->manager_number));
    json_object_set_new(o, "manager_name", web_json_text(p->manager_name));
    return o;
}

/* Answers v (taken) about object prefix/id with status; a 201 also gets
 * Location: prefix/id. */
static void answer_object(web_request *r, int status, const char *prefix, int64_t id, json_t *v)
{
    if (status == 201) {
        char location[96];
        snprintf(location, sizeof location, "%s/%lld", prefix, (long long)id);
        web_add_header(r, "Location", location);
    }
    web_json_reply(r, status, v);
}

/* Answers a check's refusal: 422 naming the field. */
static void refused(web_request *r, const web_hr_problem *p)
{
    web_json_invalid(r, p->field, p->message);
}

/* Answers a store's refusal of a change: 422 naming the field it gives, in r's
 * language (web_hr_store_problem; value: what a "taken" refusal quotes). */
static void store_refused(web_request *r, const err *e, const char *value)
{
    web_hr_problem p;
    web_hr_store_problem(r, e, value, &p);
    refused(r, &p);
}

/* A query parameter as a positive id: 1 with *out set, 0 when absent, -1
 * after answering 400 naming it. */
static int query_id(web_request *r, const char *name, int64_t *out)
{
    const char *v = web_query(r, name);
    if (!v || !*v)
        return 0;
    if (!web_parse_int(v, 1, INT64_MAX, out)) {
        web_reply_400(r, web_t(r, "api.want_id"), name);
        return -1;
    }
    return 1;
}

/* ---- Cycles ------------------------------------------------------------------------- */

/* GET /api/v1/cycles  {"cycles":[cycle...]}, the latest opening first. */
void web_api_cycles(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_cycle_list cycles;
    err e;
    if (store_cycle_list_all(db, &cycles, &e) < 0) {
        web_store_failed(r, "cycles", &e);
        return;
    }
    char today[11];
    web_hr_today(today);
    json_t *list = json_array();
    for (size_t i = 0; i < cycles.count; i++)
        json_array_append_new(list, cycle_json(&cycles.items[i], today));
    store_cycle_list_free(&cycles);
    web_json_reply(r, 200, json_pack("{s:o}", "cycles", list));
}

/* The cycle :id into *c; 0 after answering. */
static int path_cycle(web_request *r, store *db, store_cycle *c)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return 0;
    err e;
    int rc = store_cycle_get(db, id, c, &e);
    if (rc < 0)
        web_store_failed(r, "cycle", &e);
    else if (rc == 0)
        web_reply_404(r);
    return rc == 1;
}

/* Writes cycle id as the answer with status. */
static void answer_cycle(web_request *r, store *db, int64_t id, int status)
{
    store_cycle c;
    err e;
    if (store_cycle_get(db, id, &c, &e) != 1) {
        web_store_failed(r, "cycle", &e);
        return;
    }
    char today[11];
    web_hr_today(today);
    answer_object(r, status, "/api/v1/cycles", id, cycle_json(&c, today));
    store_cycle_clear(&c);
}

static const char *const cycle_keys[] = { "name", "opens", "closes", NULL };

/* POST /api/v1/cycles  {"name","opens","closes"}: 201 with the cycle. */
void web_api_cycle_add(web_request *r)
{
    store *db = web_store(r);
    const json_value *body = db ? web_json_body(r, cycle_keys) : NULL;
    const char *name = "", *opens = "", *closes = "";
    if (!body || web_json_string(r, body, "name", &name) < 0 || web_json_string(r, body, "opens", &opens) < 0
        || web_json_string(r, body, "closes", &closes) < 0)
        return;
    web_hr_problem p;
    int ok = web_hr_check_cycle(r, name, opens, closes, &p);
    if (ok <= 0) {
        if (ok == 0)
            refused(r, &p);
        return;
    }
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_add(db, name, opens, closes, &id, &e) < 0) {
        store_refused(r, &e, name);
        return;
    }
    answer_cycle(r, db, id, 201);
}

/* GET /api/v1/cycles/:id  The cycle with its assessments by status:
 * {...cycle, "assessments":{"draft":N,"submitted":N,"returned":N,"approved":N}}. */
void web_api_cycle(web_request *r)
{
    store *db = web_store(r);
    store_cycle c;
    if (!db || !path_cycle(r, db, &c))
        return;
    long counts[ASSESSMENT_STATUS_COUNT] = { 0 };
    store_assessment_filter f;
    memset(&f, 0, sizeof f);
    f.cycle_id = c.id;
    f.status = -1;
    store_assessment_list list;
    err e;
    if (store_assessment_list_filter(db, &f, &list, &e) < 0) {
        store_cycle_clear(&c);
        web_store_failed(r, "cycle", &e);
        return;
    }
    for (size_t i = 0; i < list.count; i++)
        if (list.items[i].status < ASSESSMENT_STATUS_COUNT)
            counts[list.items[i].status]++;
    store_assessment_list_free(&list);
    char today[11];
    web_hr_today(today);
    json_t *o = cycle_json(&c, today), *by_status = json_object();
    for (int s = 0; s < ASSESSMENT_STATUS_COUNT; s++)
        json_object_set_new(by_status, assessment_status_name((assessment_status)s), json_integer(counts[s]));
    json_object_set_new(o, "assessments", by_status);
    store_cycle_clear(&c);
    web_json_reply(r, 200, o);
}

/* PATCH /api/v1/cycles/:id  {"name"?,"opens"?,"closes"?}: changes what is given. */
void web_api_cycle_edit(web_request *r)
{
    store *db = web_store(r);
    store_cycle c;
    if (!db || !path_cycle(r, db, &c))
        return;
    const json_value *body = web_json_body(r, cycle_keys);
    const char *name = c.name, *opens = c.opens, *closes = c.closes;
    if (body && web_json_string(r, body, "name", &name) >= 0 && web_json_string(r, body, "opens", &opens) >= 0
        && web_json_string(r, body, "closes", &closes) >= 0) {
        web_hr_problem p;
        int ok = web_hr_check_cycle(r, name, opens, closes, &p);
        err e;
        memset(&e, 0, sizeof e);
        if (ok == 0)
            refused(r, &p);
        else if (ok > 0 && store_cycle_edit(db, c.id, name, opens, closes, &e) < 0)
            store_refused(r, &e, name);
        else if (ok > 0)
            answer_cycle(r, db, c.id, 200);
    }
    store_cycle_clear(&c);
}

/* ---- Org units ---------------------------------------------------------------------- */

/* GET /api/v1/org-units  {"org_units":[unit...]} in tree order. */
void web_api_org_units(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_org_list units;
    err e;
    if (store_org_list_all(db, &units, &e) < 0) {
        web_store_failed(r, "org units", &e);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < units.count; i++)
        json_array_append_new(list, org_json(&units.items[i]));
    store_org_list_free(&units);
    web_json_reply(r, 200, json_pack("{s:o}", "org_units", list));
}

/* Writes unit id as the answer with status. */
static void answer_org(web_request *r, store *db, int64_t id, int status)
{
    store_org_unit u;
    err e;
    if (store_org_get(db, id, &u, &e) != 1) {
        web_store_failed(r, "org unit", &e);
        return;
    }
    answer_object(r, status, "/api/v1/org-units", id, org_json(&u));
    store_org_unit_clear(&u);
}

/* The parent an org unit body names: parent_id, else parent_code (null or
 * absent: *parent unchanged, null: 0). 1, or -1 after answering. */
static int body_parent(web_request *r, store *db, const json_value *body, int64_t *parent)
{
    const char *code = NULL;
    int has_id = web_json_int(r, body, "parent_id", 1, INT64_MAX, parent);
    if (has_id < 0)
        return -1;
    if (web_json_is_null(body, "parent_id") || web_json_is_null(body, "parent_code"))
        *parent = 0;
    int has_code = web_json_string(r, body, "parent_code", &code);
    if (has_code < 0)
        return -1;
    if (has_code && !has_id) {
        store_org_unit u;
        err e;
        int rc = store_org_find(db, code, &u, &e);
        if (rc < 0) {
            web_store_failed(r, "org unit", &e);
            return -1;
        }
        if (rc == 0) {
            web_json_invalid(r, "parent_code", web_t(r, "hr.err.org_unknown"));
            return -1;
        }
        *parent = u.id;
        store_org_unit_clear(&u);
    }
    return 1;
}

static const char *const org_keys[] = { "code", "name", "parent_id", "parent_code", NULL };

/* POST /api/v1/org-units  {"code","name","parent_id"?|"parent_code"?}: 201 with the unit. */
void web_api_org_add(web_request *r)
{
    store *db = web_store(r);
    const json_value *body = db ? web_json_body(r, org_keys) : NULL;
    const char *code = "", *name = "";
    int64_t parent = 0;
    if (!body || web_json_string(r, body, "code", &code) < 0 || web_json_string(r, body, "name", &name) < 0
        || body_parent(r, db, body, &parent) < 0)
        return;
    web_hr_problem p;
    int ok = web_hr_check_org(r, code, name, &p);
    if (ok <= 0) {
        if (ok == 0)
            refused(r, &p);
        return;
    }
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_add(db, code, name, parent, &id, &e) < 0) {
        store_refused(r, &e, code);
        return;
    }
    answer_org(r, db, id, 201);
}

/* The org unit :id into *u; 0 after answering. */
static int path_org(web_request *r, store *db, store_org_unit *u)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return 0;
    err e;
    int rc = store_org_get(db, id, u, &e);
    if (rc < 0)
        web_store_failed(r, "org unit", &e);
    else if (rc == 0)
        web_reply_404(r);
    return rc == 1;
}

/* GET /api/v1/org-units/:id  One org unit. */
void web_api_org_unit(web_request *r)
{
    store *db = web_store(r);
    store_org_unit u;
    if (!db || !path_org(r, db, &u))
        return;
    web_json_reply(r, 200, org_json(&u));
    store_org_unit_clear(&u);
}

/* PATCH /api/v1/org-units/:id  {"code"?,"name"?,"parent_id"?|"parent_code"?}:
 * renames or moves the unit (parent null: to the top). */
void web_api_org_edit(web_request *r)
{
    store *db = web_store(r);
    store_org_unit u;
    if (!db || !path_org(r, db, &u))
        return;
    const json_value *body = web_json_body(r, org_keys);
    const char *code = u.code, *name = u.name;
    int64_t parent = u.parent_id;
    if (body && web_json_string(r, body, "code", &code) >= 0 && web_json_string(r, body, "name", &name) >= 0
        && body_parent(r, db, body, &parent) > 0) {
        web_hr_problem p;
        int ok = web_hr_check_org(r, code, name, &p);
        err e;
        memset(&e, 0, sizeof e);
        if (ok == 0)
            refused(r, &p);
        else if (ok > 0 && store_org_edit(db, u.id, code, name, parent, &e) < 0)
            store_refused(r, &e, code);
        else if (ok > 0)
            answer_org(r, db, u.id, 200);
    }
    store_org_unit_clear(&u);
}

/* ---- People ------------------------------------------------------------------------- */

/* GET /api/v1/people[?q=&org_unit_id=&limit=&offset=]  {"total","limit",
 * "offset","people":[person...]} by employee number; limit 1..1000 (100). */
void web_api_people(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_person_filter f = { .include_sub_units = 1, .limit = 100 };
    const char *q = web_query(r, "q");
    f.search = q && *q ? q : NULL;
    const char *limit = web_query(r, "limit"), *offset = web_query(r, "offset");
    if (query_id(r, "org_unit_id", &f.org_unit_id) < 0)
        return;
    if (limit && !web_parse_int(limit, 1, 1000, &f.limit)) {
        web_reply_400(r, web_t(r, "api.bad_limit"), "limit");
        return;
    }
    if (offset && !web_parse_int(offset, 0, INT64_MAX, &f.offset)) {
        web_reply_400(r, web_t(r, "api.bad_offset"), "offset");
        return;
    }
    int64_t total = 0;
    store_person_list people;
    err e;
    if (store_person_count(db, &f, &total, &e) < 0 || store_person_list_filter(db, &f, &people, &e) < 0) {
        web_store_failed(r, "people", &e);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < people.count; i++)
        json_array_append_new(list, person_json(&people.items[i]));
    store_person_list_free(&people);
    web_json_reply(r, 200, json_pack("{s:I,s:I,s:I,s:o}", "total", (json_int_t)total, "limit", (json_int_t)f.limit,
                                     "offset", (json_int_t)f.offset, "people", list));
}

/* Writes person id as the answer with status. */
static void answer_person(web_request *r, store *db, int64_t id, int status)
{
    store_person p;
    err e;
    if (store_person_get(db, id, &p, &e) != 1) {
        web_store_failed(r, "person", &e);
        return;
    }
    answer_object(r, status, "/api/v1/people", id, person_json(&p));
    store_person_clear(&p);
}

/* GET /api/v1/people/:id  One person, for anyone whose role reaches them. */
void web_api_person(web_request *r)
{
    int64_t id;
    if (web_path_person(r, &id) < 0)
        return;
    store *db = web_store(r);
    if (!db)
        return;
    store_person p;
    err e;
    int rc = store_person_get(db, id, &p, &e);
    if (rc < 0) {
        web_store_failed(r, "person", &e);
        return;
    }
    if (rc == 0) {
        web_reply_404(r);
        return;
    }
    web_json_reply(r, 200, person_json(&p));
    store_person_clear(&p);
}

static const char *const person_keys[] = { "employee_number", "name", "kana", "email", "org_unit_id",
                                           "org_unit_code", "manager_id", "manager_employee_number", NULL };

/* Reads a person body over *p (strings then point into the body): members
 * absent keep p's values, null clears the optional ones. 1, or -1 after answering. */
static int body_person(web_request *r, store *db, const json_value *body, store_person *p)
{
    const char *s;
    int rc;
    if ((rc = web_json_string(r, body, "employee_number", &s)) < 0)
        return -1;
    if (rc)
        p->employee_number = (char *)s;
    if ((rc = web_json_string(r, body, "name", &s)) < 0)
        return -1;
    if (rc)
        p->name = (char *)s;
    if ((rc = web_json_string(r, body, "kana", &s)) < 0)
        return -1;
    if (rc || web_json_is_null(body, "kana"))
        p->kana = rc ? (char *)s : NULL;
    if ((rc = web_json_string(r, body, "email", &s)) < 0)
        return -1;
    if (rc || web_json_is_null(body, "email"))
        p->email = rc ? (char *)s : NULL;

    int64_t id;
    if ((rc = web_json_int(r, body, "org_unit_id", 1, INT64_MAX, &id)) < 0)
        return -1;
    if (rc)
        p->org_unit_id = id;
    else if ((rc = web_json_string(r, body, "org_unit_code", &s)) < 0)
        return -1;
    else if (rc) {
        store_org_unit u;
        err e;
        int found = store_org_find(db, s, &u, &e);
        if (found < 0) {
            web_store_failed(r, "org unit", &e);
            return -1;
        }
        if (!found) {
            web_json_invalid(r, "org_unit_code", web_t(r, "hr.err.org_unknown"));
            return -1;
        }
        p->org_unit_id = u.id;
        store_org_unit_clear(&u);
    }
    if (web_json_is_null(body, "org_unit_id") || web_json_is_null(body, "org_unit_code"))
        p->org_unit_id = 0;

    if ((rc = web_json_int(r, body, "manager_id", 1, INT64_MAX, &id)) < 0)
        return -1;
    if (rc)
        p->manager_id = id;
    else if ((rc = web_json_string(r, body, "manager_employee_number", &s)) < 0)
        return -1;
    else if (rc) {
        store_person boss;
        err e;
        int found = store_person_find(db, s, &boss, &e);
        if (found < 0) {
            web_store_failed(r, "person", &e);
            return -1;
        }
        if (!found) {
            web_json_invalid(r, "manager_employee_number", web_t(r, "hr.err.manager_unknown"));
            return -1;
        }
        p->manager_id = boss.id;
        store_person_clear(&boss);
    }
    if (web_json_is_null(body, "manager_id") || web_json_is_null(body, "manager_employee_number"))
        p->manager_id = 0;
    return 1;
}

/* POST /api/v1/people  {"employee_number","name","kana"?,"email"?,
 * "org_unit_id"?|"org_unit_code"?,"manager_id"?|"manager_employee_number"?}:
 * 201 with the person. */
void web_api_person_add(web_request *r)
{
    store *db = web_store(r);
    const json_value *body = db ? web_json_body(r, person_keys) : NULL;
    store_person p = { 0 };
    p.employee_number = "";
    p.name = "";
    if (!body || body_person(r, db, body, &p) < 0)
        return;
    web_hr_problem problem;
    int ok = web_hr_check_person(r, &p, &problem);
    if (ok <= 0) {
        if (ok == 0)
            refused(r, &problem);
        return;
    }
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_person_add(db, &p, &id, &e) < 0) {
        store_refused(r, &e, p.employee_number);
        return;
    }
    answer_person(r, db, id, 201);
}

/* PATCH /api/v1/people/:id  The members of POST, each optional; null clears
 * kana, email, the org unit or the manager. */
void web_api_person_edit(web_request *r)
{
    store *db = web_store(r);
    int64_t id;
    if (!db || web_path_param_id(r, "id", &id) < 0)
        return;
    store_person cur;
    err e;
    int rc = store_person_get(db, id, &cur, &e);
    if (rc < 0) {
        web_store_failed(r, "person", &e);
        return;
    }
    if (rc == 0) {
        web_reply_404(r);
        return;
    }
    const json_value *body = web_json_body(r, person_keys);
    store_person p = cur;           /* borrows cur's strings; only cur is cleared */
    if (body && body_person(r, db, body, &p) > 0) {
        web_hr_problem problem;
        int ok = web_hr_check_person(r, &p, &problem);
        memset(&e, 0, sizeof e);
        if (ok == 0)
            refused(r, &problem);
        else if (ok > 0 && store_person_edit(db, &p, &e) < 0)
            store_refused(r, &e, p.employee_number);
        else if (ok > 0)
            answer_person(r, db, id, 200);
    }
    store_person_clear(&cur);
}

/* ---- The 人材ポートフォリオ ------------------------------------------------------------ */

/* GET /api/v1/portfolio?cycle=ID[&org_unit_id=ID&approved=1&compare=ID]
 * People per specialization and level in a cycle (levels 0..max, 0 is 未到達),
 * and with compare the movement since that cycle:
 * {"cycle_id","compare_cycle_id","org_unit_id","approved_only","assessed",
 *  "compared","levels":[0..],"specializations":[{"id","code","name",
 *  "counts":[...],"up","same","down"}]} */
void web_api_portfolio(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    int64_t cycle = 0, org = 0, compare = 0;
    int has = query_id(r, "cycle", &cycle);
    if (has < 0 || query_id(r, "org_unit_id", &org) < 0 || query_id(r, "compare", &compare) < 0)
        return;
    if (!has) {
        web_reply_400(r, web_t(r, "api.cycle_needed"), "cycle");
        return;
    }
    int64_t ids[2] = { cycle, compare };
    for (int i = 0; i < 2; i++) {
        store_cycle c;
        err e;
        int rc = ids[i] ? store_cycle_get(db, ids[i], &c, &e) : 1;
        if (rc < 0) {
            web_store_failed(r, "portfolio", &e);
            return;
        }
        if (rc == 0) {
            web_reply_error(r, 404, "not_found", web_t(r, "hr.err.cycle_unknown"), i ? "compare" : "cycle");
            return;
        }
        if (ids[i])
            store_cycle_clear(&c);
    }
    const char *approved = web_query(r, "approved");
    int approved_only = approved && strcmp(approved, "0") != 0 && strcmp(approved, "false") != 0;
    web_hr_portfolio pf;
    if (web_hr_portfolio_count(r, cycle, org, approved_only, compare, &pf) < 0)
        return;
    const web_eval *ev = web_evaluator(r);
    if (!ev)
        return;
    json_t *o = json_object();
    json_object_set_new(o, "cycle_id", web_json_id(cycle));
    json_object_set_new(o, "compare_cycle_id", web_json_id(compare));
    json_object_set_new(o, "org_unit_id", web_json_id(org));
    json_object_set_new(o, "approved_only", json_boolean(approved_only && pf.self_levels));
    json_object_set_new(o, "level_kind", json_string(pf.self_levels ? "self" : "official"));
    json_object_set_new(o, "assessed", json_integer(pf.assessed));
    json_object_set_new(o, "compared", json_integer(pf.compared));
    json_t *levels = json_array(), *specs = json_array();
    for (int l = 0; l < pf.n_levels; l++)
        json_array_append_new(levels, json_integer(l));
    json_object_set_new(o, "levels", levels);
    for (size_t s = 0; s < pf.n_specs; s++) {
        const catalog_spec *spec = catalog_spec_at(ev->catalog, s);
        json_t *counts = json_array();
        for (int l = 0; l < pf.n_levels; l++)
            json_array_append_new(counts, json_integer(pf.counts[s * (size_t)pf.n_levels + (size_t)l]));
        json_array_append_new(specs, json_pack("{s:o,s:o,s:o,s:o,s:I,s:I,s:I}", "id", web_json_text(spec->id),
                                               "code", web_json_text(spec->code), "name", web_json_text(spec->name),
                                               "counts", counts, "up", (json_int_t)pf.up[s], "same",
                                               (json_int_t)pf.same[s], "down", (json_int_t)pf.down[s]));
    }
    json_object_set_new(o, "specializations", specs);
    web_json_reply(r, 200, o);
}

/* ---- Imports ------------------------------------------------------------------------ */

/* POST /api/v1/imports/KIND[?dry_run=1&encoding=auto|utf-8|cp932&filename=NAME]
 * The CSV file as the body (or a multipart form's "file"). 200 with the
 * summary when imported (or checked); 422 with the standard error and the
 * summary's "errors" (each as the command line prints it and in parts) when the
 * file has errors, and then nothing was written. */
static void api_import(web_request *r, import_kind kind)
{
    const char *dry = web_query(r, "dry_run");
    int dry_run = dry && strcmp(dry, "0") != 0 && strcmp(dry, "false") != 0;
    const char *encoding = web_query(r, "encoding");
    int enc = encoding && *encoding ? csv_encoding_parse(encoding) : CSV_AUTO;
    if (enc < 0) {
        web_reply_400(r, web_t(r, "hr.import.bad_encoding"), "encoding");
        return;
    }
    const char *data = r->body;
    size_t len = r->body_len;
    const char *name = web_query(r, "filename");
    const web_upload *file = web_upload_get(r, "file");
    if (file) {
        data = file->data;
        len = file->len;
        if (!name && file->filename && *file->filename)
            name = file->filename;
    } else if (r->n_uploads) {
        web_reply_400(r, web_t(r, "hr.import.no_file"), "file");
        return;
    }
    if (len == 0) {
        web_reply_400(r, web_t(r, "hr.import.empty_body"), "body");
        return;
    }
    char fallback[32];
    snprintf(fallback, sizeof fallback, "%s.csv", import_kind_name(kind));
    if (!name || !*name || strlen(name) > 200 || strpbrk(name, "/\\\r\n\t"))
        name = fallback;
    err_list *errors = web_alloc(r, sizeof *errors);
    import_summary sum;
    int rc = web_hr_import(r, kind, data, len, name, enc, dry_run, errors, &sum);
    if (rc < 0)
        return;
    size_t n = errors->count + errors->dropped;
    json_t *o = json_object();
    if (rc) {
        char message[300];
        snprintf(message, sizeof message, "%s: %zu error%s; nothing was imported", name, n, n == 1 ? "" : "s");
        json_object_set_new(o, "error", json_pack("{s:s,s:o,s:n}", "code", "import_failed", "message",
                                                  web_json_text(message), "field"));
    }
    json_object_set_new(o, "file", web_json_text(name));
    json_object_set_new(o, "kind", json_string(import_kind_name(kind)));
    json_object_set_new(o, "encoding", web_json_text(csv_encoding_name(sum.encoding)));
    json_object_set_new(o, "dry_run", json_boolean(dry_run));
    json_object_set_new(o, "imported", json_boolean(rc == 0 && !dry_run));
    json_object_set_new(o, "rows", json_integer(sum.rows));
    json_object_set_new(o, kind == IMPORT_PEOPLE ? "people" : "answers", json_integer(rc == 0 ? sum.written : 0));
    if (kind == IMPORT_ASSESSMENTS) {
        json_object_set_new(o, "assessments", json_integer(rc == 0 ? sum.assessments : 0));
        json_object_set_new(o, "assessments_created", json_integer(rc == 0 ? sum.created : 0));
    }
    json_t *list = json_array();
    for (size_t i = 0; i < errors->count; i++) {
        const err *x = &errors->items[i];
        char text[1200];
        json_t *one = json_object();
        json_object_set_new(one, "text", web_json_text(err_format(x, text, sizeof text)));
        json_object_set_new(one, "file", web_json_text(x->where));
        json_object_set_new(one, "line", json_integer(x->line));
        json_object_set_new(one, "column", json_integer(x->column));
        json_object_set_new(one, "field", web_json_text(x->path));
        json_object_set_new(one, "message", web_json_text(x->message));
        json_array_append_new(list, one);
    }
    json_object_set_new(o, "errors", list);
    json_object_set_new(o, "errors_not_shown", json_integer((json_int_t)errors->dropped));
    web_json_reply(r, rc == 0 ? 200 : 422, o);
}

/* POST /api/v1/imports/people  See api_import. */
void web_api_import_people(web_request *r)
{
    api_import(r, IMPORT_PEOPLE);
}

/* POST /api/v1/imports/assessments  See api_import. */
void web_api_import_assessments(web_request *r)
{
    api_import(r, IMPORT_ASSESSMENTS);
}

/* ---- Exports ------------------------------------------------------------------------ */

/* GET /api/v1/exports/KIND[?format=csv|json&cycle=ID]  The export as
 * `itss export` writes it (CSV: UTF-8 with BOM and CRLF), as a download. */
static void api_export(web_request *r, export_kind kind)
{
    const char *format = web_query(r, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        web_reply_400(r, web_t(r, "api.bad_format"), "format");
        return;
    }
    int64_t cycle = 0;
    int has = query_id(r, "cycle", &cycle);
    if (has < 0)
        return;
    if (has && kind == EXPORT_PEOPLE) {
        web_reply_400(r, web_t(r, "api.cycle_not_for_people"), "cycle");
        return;
    }
    if (has) {
        store *db = web_store(r);
        if (!db)
            return;
        store_cycle c;
        err e;
        int rc = store_cycle_get(db, cycle, &c, &e);
        if (rc < 0) {
            web_store_failed(r, "export", &e);
            return;
        }
        if (rc == 0) {
            web_reply_error(r, 404, "not_found", web_t(r, "hr.err.cycle_unknown"), "cycle");
            return;
        }
        store_cycle_clear(&c);
    }
    web_hr_export(r, kind, format && strcmp(format, "json") == 0, cycle);
}

/* GET /api/v1/exports/people  See api_export. */
void web_api_export_people(web_request *r)
{
    api_export(r, EXPORT_PEOPLE);
}

/* GET /api/v1/exports/assessments  See api_export. */
void web_api_export_assessments(web_request *r)
{
    api_export(r, EXPORT_ASSESSMENTS);
}

/* GET /api/v1/exports/levels  See api_export. */
void web_api_export_levels(web_request *r)
{
    api_export(r, EXPORT_LEVELS);
}
