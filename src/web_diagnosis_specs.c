/* web_diagnosis_specs.c - the engineer chooses the specializations (HW, SW,
 * FM) their diagnosis of the cycle in force is made in (issue 12, defect 7
 * and Missing 3):
 *
 *   POST /diagnosis/specs               spec (several: codes): the choice, back to the overview
 *   GET  /api/v1/me/assessment/specs    the specializations diagnosed, and whether chosen
 *   PUT  /api/v1/me/assessment/specs    {"specializations": ["HW", ...]}
 *
 * The overview, progress, the submission check, the review and the team's
 * self-assessed levels then consider only those (store_diagnosed_specs). While the diagnosis can
 * change only: diagnosis_begin refuses once it is submitted or approved. */
#include "web.h"
#include "web_kit.h"
#include "web_json.h"
#include "web_pages.h"
#include "web_diagnosis_int.h"
#include "store_specs.h"
#include "json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The specialization a choice names (a code, an id or a name), or NULL. */
static const catalog_spec *chosen_spec(const catalog *c, const char *name)
{
    const catalog_spec *s = name ? catalog_spec_find(c, name) : NULL;
    return s && !s->is_common ? s : NULL;
}

/* Saves ids[0..n) as d's choice and commits d's transaction. 0, or -1 after
 * answering (422 naming field for a refusal, 503). */
static int save_choice(web_request *r, diagnosis *d, const char **ids, size_t n, const char *field)
{
    err e;
    memset(&e, 0, sizeof e);
    if (store_spec_choice_set(d->db, d->assessment_id, ids, n, r->user->login, &e) < 0) {
        diagnosis_cancel(d);
        if (e.code == ERR_INVALID || e.code == ERR_CONFLICT)
            web_reply_error(r, e.code == ERR_CONFLICT ? 409 : 422, e.code == ERR_CONFLICT ? "conflict" : "invalid",
                            web_t(r, n ? "diag.specs.locked" : "diag.specs.none"), field);
        else
            web_store_failed(r, "choosing specializations", &e);
        return -1;
    }
    if (store_commit(d->db, &e) < 0) {
        d->in_transaction = 0;
        web_store_failed(r, "choosing specializations", &e);
        return -1;
    }
    d->in_transaction = 0;
    return 0;
}

/* POST /diagnosis/specs  spec (several: HW, SW, FM): the specializations the
 * diagnosis is made in; at least one. */
void web_page_diagnosis_specs_post(web_request *r)
{
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    size_t n = web_form_count(r, "spec");
    const char **ids = web_alloc(r, (n + 1) * sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        const catalog_spec *s = chosen_spec(d.cat, web_form_nth(r, "spec", i));
        if (!s) {
            diagnosis_cancel(&d);
            web_reply_400(r, web_t(r, "std.no_such_spec"), "spec");
            return;
        }
        ids[i] = s->id;
    }
    if (save_choice(r, &d, ids, n, "spec") < 0)
        return;
    web_redirect(r, "/diagnosis?specs=1#specs");
}

/* {"specializations": [codes diagnosed], "chosen": bool} of d (a new reference). */
static json_t *choice_json(const diagnosis *d)
{
    json_t *list = json_array();
    for (size_t i = 0; i < catalog_spec_count(d->cat); i++)
        if (d->diagnosed[i])
            json_array_append_new(list, json_string(catalog_spec_at(d->cat, i)->code));
    return json_pack("{s:o,s:b}", "specializations", list, "chosen", d->chosen);
}

/* GET /api/v1/me/assessment/specs  The specializations my diagnosis is made in. */
void web_api_me_specs(web_request *r)
{
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_READ) < 0)
        return;
    web_json_reply(r, 200, choice_json(&d));
}

/* PUT /api/v1/me/assessment/specs  {"specializations": ["HW", ...]}: my choice. */
void web_api_me_specs_put(web_request *r)
{
    static const char *const known[] = { "specializations", NULL };
    const json_value *body = web_json_body(r, known);
    if (!body)
        return;
    const json_member *m = json_member_get(body, "specializations");
    if (!m || m->value->type != JV_ARRAY) {
        web_json_invalid(r, "specializations", web_t(r, "diag.specs.none"));
        return;
    }
    diagnosis d;
    if (diagnosis_begin(r, &d, OPEN_WRITE) < 0)
        return;
    size_t n = m->value->n_elements;
    const char **ids = web_alloc(r, (n + 1) * sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        const json_value *v = m->value->elements[i];
        const catalog_spec *s = v->type == JV_STRING ? chosen_spec(d.cat, v->string) : NULL;
        if (!s) {
            char field[48];
            snprintf(field, sizeof field, "specializations[%zu]", i);
            diagnosis_cancel(&d);
            web_json_invalid(r, web_strdup(r, field), web_t(r, "std.no_such_spec"));
            return;
        }
        ids[i] = s->id;
    }
    if (save_choice(r, &d, ids, n, "specializations") < 0 || diagnosis_load_specs(r, &d) < 0)
        return;
    web_json_reply(r, 200, choice_json(&d));
}
