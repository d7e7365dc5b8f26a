/* cli_plan.c - `itss plan`: a person's development plan (育成計画) on the
 * command line. The work is plans.c's (shared with the web): this file parses
 * arguments, finds the person, checks who may review, and prints. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"
#include "ipa.h"
#include "plans.h"
#include "store_plan.h"

const char cli_plan_help[] =
    "usage: itss plan show EMPNO\n"
    "       itss plan set-target EMPNO --spec SPEC --level N --date YYYY-MM-DD [--as WHO]\n"
    "       itss plan add-action EMPNO --item ITEM --kind KIND [--course CODE] [--title TEXT]\n"
    "                            --due YYYY-MM-DD [--as WHO]\n"
    "       itss plan set-status EMPNO ACTION --status STATUS [--date YYYY-MM-DD]\n"
    "       itss plan comment EMPNO --by LOGIN --comment TEXT\n"
    "       itss plan approve EMPNO --by LOGIN [--comment TEXT]\n"
    "       itss plan summary [--org CODE]\n"
    "       [--db PATH] [--catalog FILE] [--policy FILE] [--json]\n"
    "\n"
    "A development plan (育成計画): a target level of a specialization by a date,\n"
    "and what stands between the person and it, item by item in the standard's\n"
    "words, with the actions taken on each (docs/plans.md).\n"
    "\n"
    "  show EMPNO         the plan as it stands: each item closed or still open by\n"
    "                     the latest assessment, its actions, courses of the training\n"
    "                     catalog that cover it, qualifications beside the levels\n"
    "  set-target EMPNO   sets the target (a level the specialization has, a date not\n"
    "                     in the past) and makes the items from the gap of the latest\n"
    "                     assessment; the plan goes back to draft\n"
    "  add-action EMPNO   an action on an item of the person's plan (ITEM: its number\n"
    "                     from show, or its element id; 0 for the plan as a whole).\n"
    "                     KIND: course (--course CODE of the training catalog), ojt\n"
    "                     (on-the-job work), qualification or self_study (--title)\n"
    "  set-status EMPNO ACTION  planned, in_progress, done or dropped\n"
    "  comment, approve   by a reviewer, under the rule of a diagnosis's review: HR,\n"
    "                     or a manager above the person in the reporting line;\n"
    "                     never the person, never someone they manage (--by names\n"
    "                     the reviewer's user)\n"
    "  summary            plans by unit: people, plans, approved, overdue actions,\n"
    "                     the most common gaps\n"
    "\n"
    "exit status: 0 done, 3 refused (unknown person, item, course; a target above\n"
    "the specialization's levels or in the past; a reviewer who may not), 2 bad\n"
    "usage.\n";

static const char plan_usage[] =
    "usage: itss plan show|set-target|add-action|set-status|comment|approve EMPNO [...] | summary [--org CODE]\n"
    "       itss help plan for more\n";

#define PROG "itss plan"

static const char *const plan_fields[] = {
    "level", "--level", "date", "--date", "due", "--due", "kind", "--kind", "course", "--course", "title",
    "--title", "item", "--item", "status", "--status", "completed_on", "--date", "comment", "--comment",
    "actor", "--as", "specialization", "--spec", NULL
};

/* The policy --policy FILE names, or the built-in one; NULL after a message. */
static policy *load_policy(const char *path, const catalog *cat)
{
    err_list *errors = calloc(1, sizeof *errors);
    if (!errors)
        abort();
    policy *p = path ? policy_load_file(path, errors) : policy_load_builtin(errors);
    if (p && policy_check_catalog(p, cat, errors) > 0) {
        policy_free(p);
        p = NULL;
    }
    if (!p) {
        cli_print_errors(errors);
        cli_error(PROG, "cannot use policy %s", path ? path : "built in");
    }
    free(errors);
    return p;
}

/* What every subcommand works with. */
typedef struct ctx {
    cli_args a;
    store *db;
    catalog *cat;
    policy *pol;
    store_person person;
    char today[11];
    const char *spec, *level, *date, *as, *item, *kind, *course, *title, *due, *status, *by, *comment, *org;
} ctx;

/* The person's qualifications with the ITSS level of each IPA examination, as
 * a JSON array (new reference): supporting evidence beside the levels. */
static json_t *qualifications_json(ctx *x)
{
    err e;
    memset(&e, 0, sizeof e);
    ipa_exams *ipa = ipa_exams_builtin(&e);
    store_qualification_list ql;
    json_t *quals = json_array();
    if (ipa && store_qualification_list_person(x->db, x->person.id, &ql, &e) == 0) {
        for (size_t i = 0; i < ql.count; i++) {
            const ipa_exam *ex = strcmp(ql.items[i].kind, "ipa") == 0 ? ipa_exam_find(ipa, ql.items[i].code) : NULL;
            json_array_append_new(quals, json_pack("{s:s, s:s, s:o}", "name", ql.items[i].name, "obtained_on",
                                                   ql.items[i].obtained_on, "itss_level",
                                                   ex ? json_integer(ex->level) : json_null()));
        }
        store_qualification_list_free(&ql);
    }
    ipa_exams_free(ipa);
    return quals;
}

/* itss plan show EMPNO */
static int plan_show(ctx *x)
{
    plans_view v;
    err e;
    memset(&e, 0, sizeof e);
    int rc = plans_view_load(x->db, x->cat, x->pol, x->person.id, &v, &e);
    if (rc == 0) {
        cli_error(PROG, "%s %s has no development plan yet (itss plan set-target %s --spec SPEC --level N "
                        "--date YYYY-MM-DD)", x->person.employee_number, x->person.name, x->person.employee_number);
        return CLI_REFUSED;
    }
    if (rc < 0) {
        cli_store_error(PROG, &e, NULL);
        return CLI_REFUSED;
    }
    json_t *j = plans_view_json(x->db, &v, x->today);
    json_object_set_new(j, "qualifications", qualifications_json(x));
    int st;
    if (x->a.json) {
        st = cli_print_json(j);
    } else {
        buf b;
        buf_init(&b);
        json_t *t = json_object_get(j, "target"), *pr = json_object_get(j, "progress");
        buf_printf(&b, "育成計画 %s %s: %s レベル%d (%s まで) [%s]\n", x->person.employee_number, x->person.name,
                   v.spec ? v.spec->name : v.plan.specialization_id, v.plan.target_level,
                   json_string_value(json_object_get(t, "date")),
                   strcmp(v.plan.status, "approved") == 0 ? "承認済み" : "下書き");
        if (v.plan.approved_by)
            buf_printf(&b, "承認: %s (%s)\n", v.plan.approved_by, v.plan.approved_at);
        buf_printf(&b, "現在のレベル: %s%d%s\n", v.current_level ? "レベル" : "", v.current_level,
                   v.assessed_cycle ? "" : " (診断なし)");
        if (v.assessed_cycle)
            buf_printf(&b, "最新の診断: %s\n", v.assessed_cycle);
        buf_printf(&b, "進捗: %lld / %lld 項目が達成, 行動 %lld 件 (完了 %lld, 期限切れ %lld)\n",
                   (long long)json_integer_value(json_object_get(pr, "closed")),
                   (long long)json_integer_value(json_object_get(pr, "items")),
                   (long long)json_integer_value(json_object_get(pr, "actions")),
                   (long long)json_integer_value(json_object_get(pr, "done")),
                   (long long)json_integer_value(json_object_get(pr, "overdue")));
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(j, "items"), i, it) {
            const char *text = json_string_value(json_object_get(it, "text"));
            buf_printf(&b, "\n[%lld] %s %s %s\n", (long long)json_integer_value(json_object_get(it, "id")),
                       json_is_true(json_object_get(it, "closed")) ? "達成" : "未達",
                       json_string_value(json_object_get(it, "label")),
                       json_string_value(json_object_get(it, "element_id")));
            buf_puts(&b, "    ");
            for (const char *c = text ? text : "実績 (成功した経験) が足りない"; *c; c++)
                if (buf_putc(&b, *c), *c == '\n')
                    buf_puts(&b, "    ");
            buf_putc(&b, '\n');
            size_t k;
            json_t *a;
            json_array_foreach(json_object_get(j, "actions"), k, a) {
                if (json_integer_value(json_object_get(a, "item_id")) != json_integer_value(json_object_get(it, "id")))
                    continue;
                buf_printf(&b, "    行動 %lld: %s %s 期限 %s %s%s\n", (long long)json_integer_value(json_object_get(a, "id")),
                           json_string_value(json_object_get(a, "kind")), json_string_value(json_object_get(a, "title")),
                           json_string_value(json_object_get(a, "due")), json_string_value(json_object_get(a, "status")),
                           json_is_true(json_object_get(a, "overdue")) ? " (期限切れ)" : "");
            }
            json_t *s;
            json_array_foreach(json_object_get(it, "suggested_courses"), k, s)
                buf_printf(&b, "    研修の候補: %s %s\n", json_string_value(json_object_get(s, "code")),
                           json_string_value(json_object_get(s, "title")));
        }
        json_t *q;
        json_array_foreach(json_object_get(j, "qualifications"), i, q) {
            if (i == 0)
                buf_puts(&b, "\n資格 (参考):\n");
            json_t *lv = json_object_get(q, "itss_level");
            buf_printf(&b, "  %s %s", json_string_value(json_object_get(q, "obtained_on")),
                       json_string_value(json_object_get(q, "name")));
            if (json_is_integer(lv))
                buf_printf(&b, " (ITSS レベル%lld相当)", (long long)json_integer_value(lv));
            buf_putc(&b, '\n');
        }
        json_array_foreach(json_object_get(j, "comments"), i, q)
            buf_printf(&b, "%s%s (%s): %s\n", i == 0 ? "\nコメント:\n" : "", json_string_value(json_object_get(q, "author")),
                       json_string_value(json_object_get(q, "at")), json_string_value(json_object_get(q, "body")));
        st = cli_write(&b, stdout);
        buf_free(&b);
        json_decref(j);
    }
    plans_view_free(&v);
    return st;
}

/* itss plan set-target EMPNO --spec S --level N --date D */
static int plan_set_target(ctx *x)
{
    if (!x->spec || !x->level || !x->date)
        return cli_usage_error(PROG " set-target", plan_usage, "--spec, --level and --date are required");
    const catalog_spec *spec = cli_find_spec(PROG " set-target", x->cat, x->spec, "--spec");
    if (!spec)
        return CLI_REFUSED;
    int64_t level = cli_parse_count(PROG " set-target", "--level", x->level);
    if (!level)
        return CLI_REFUSED;
    err e;
    memset(&e, 0, sizeof e);
    int64_t id = 0;
    if (plans_set_target(x->db, x->cat, x->pol, x->person.id, spec, (int)level, x->date, x->today,
                         x->as ? x->as : "cli", &id, &e) < 0) {
        cli_store_error(PROG " set-target", &e, plan_fields);
        return CLI_REFUSED;
    }
    return plan_show(x);
}

/* The plan of the person, or 0 after a message. */
static int64_t plan_of(ctx *x, const char *prog)
{
    store_plan p;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_plan_get_person(x->db, x->person.id, &p, &e);
    if (rc != 1) {
        if (rc == 0)
            cli_error(prog, "%s %s has no development plan yet", x->person.employee_number, x->person.name);
        else
            cli_store_error(prog, &e, NULL);
        return 0;
    }
    int64_t id = p.id;
    store_plan_clear(&p);
    return id;
}

/* itss plan add-action EMPNO --item ITEM --kind K [--course C] [--title T] --due D */
static int plan_add_action(ctx *x)
{
    const char *prog = PROG " add-action";
    if (!x->item || !x->kind || !x->due)
        return cli_usage_error(prog, plan_usage, "--item, --kind and --due are required");
    int64_t plan_id = plan_of(x, prog);
    if (!plan_id)
        return CLI_REFUSED;
    err e;
    memset(&e, 0, sizeof e);
    /* ITEM: a number (an item id), 0, or an element id of the plan */
    int64_t item_id = 0;
    char *end = NULL;
    long long n = strtoll(x->item, &end, 10);
    if (end && *end == '\0' && end != x->item) {
        item_id = n;
    } else {
        store_plan p;
        if (store_plan_get(x->db, plan_id, &p, &e) == 1) {
            for (size_t i = 0; i < p.n_items; i++)
                if (strcmp(p.items[i].element_id, x->item) == 0)
                    item_id = p.items[i].id;
            store_plan_clear(&p);
        }
        if (!item_id) {
            cli_error(prog, "--item: '%s' is not an item of the plan of %s (itss plan show %s lists them)", x->item,
                      x->person.employee_number, x->person.employee_number);
            return CLI_REFUSED;
        }
    }
    int64_t course_id = 0;
    if (x->course) {
        store_course c;
        int rc = store_course_find(x->db, x->course, &c, &e);
        if (rc != 1) {
            cli_error(prog, "--course: no course '%s' in the training catalog (itss training list)", x->course);
            return CLI_REFUSED;
        }
        course_id = c.id;
        store_course_clear(&c);
    }
    int64_t id = 0;
    if (store_plan_action_add(x->db, plan_id, item_id, x->kind, course_id, x->title, x->due, x->as ? x->as : "cli",
                              &id, &e) < 0) {
        cli_store_error(prog, &e, plan_fields);
        return CLI_REFUSED;
    }
    if (x->a.json)
        return cli_print_json(json_pack("{s:I, s:I}", "id", (json_int_t)id, "plan", (json_int_t)plan_id));
    printf("added action %lld to the plan of %s %s\n", (long long)id, x->person.employee_number, x->person.name);
    return CLI_OK;
}

/* itss plan set-status EMPNO ACTION --status S [--date D] */
static int plan_set_status(ctx *x)
{
    const char *prog = PROG " set-status";
    if (x->a.n_pos != 3 || !x->status)
        return cli_usage_error(prog, plan_usage, "ACTION and --status are required");
    int64_t plan_id = plan_of(x, prog);
    if (!plan_id)
        return CLI_REFUSED;
    int64_t action = cli_parse_count(prog, "ACTION", x->a.pos[2]);
    if (!action)
        return CLI_REFUSED;
    err e;
    memset(&e, 0, sizeof e);
    if (store_plan_action_set_status(x->db, plan_id, action, x->status, x->date, &e) < 0) {
        cli_store_error(prog, &e, plan_fields);
        return CLI_REFUSED;
    }
    printf("action %lld: %s\n", (long long)action, x->status);
    return CLI_OK;
}

/* Checks that --by names a user who may review the person's plan; 1 yes, else
 * 0 after a message. */
static int reviewer_ok(ctx *x, const char *prog)
{
    if (!x->by) {
        cli_usage_error(prog, plan_usage, "--by LOGIN (the reviewer) is required");
        return 0;
    }
    store_user u;
    err e;
    memset(&e, 0, sizeof e);
    if (store_user_find(x->db, x->by, &u, &e) != 1) {
        cli_error(prog, "--by: no user '%s'", x->by);
        return 0;
    }
    review_refusal why = REVIEW_NO_ROLE;
    int ok = u.disabled ? 0 : plans_may_review(x->db, u.role, u.person_id, x->person.id, &why, &e);
    if (ok < 0)
        cli_store_error(prog, &e, NULL);
    else if (!ok)
        cli_error(prog, "--by: %s may not review the plan of %s %s: %s", x->by, x->person.employee_number,
                  x->person.name, u.disabled ? "the user is disabled" : review_refusal_message(why));
    store_user_clear(&u);
    return ok == 1;
}

/* itss plan approve|comment EMPNO --by LOGIN [--comment T] */
static int plan_review(ctx *x, int approve)
{
    const char *prog = approve ? PROG " approve" : PROG " comment";
    if (!approve && !x->comment)
        return cli_usage_error(prog, plan_usage, "--comment is required");
    if (!reviewer_ok(x, prog))
        return CLI_REFUSED;
    int64_t plan_id = plan_of(x, prog);
    if (!plan_id)
        return CLI_REFUSED;
    err e;
    memset(&e, 0, sizeof e);
    int rc = approve ? store_plan_approve(x->db, plan_id, x->by, x->comment, &e)
                     : store_plan_comment_add(x->db, plan_id, x->by, x->comment, &e);
    if (rc < 0) {
        cli_store_error(prog, &e, plan_fields);
        return CLI_REFUSED;
    }
    printf("%s the plan of %s %s\n", approve ? "approved" : "commented on", x->person.employee_number,
           x->person.name);
    return CLI_OK;
}

/* itss plan summary [--org CODE] */
static int plan_summary(ctx *x)
{
    const char *prog = PROG " summary";
    int64_t org = 0;
    store_org_unit u;
    memset(&u, 0, sizeof u);
    if (x->org) {
        if (cli_find_org(prog, x->db, x->org, "--org", &u) != 1)
            return CLI_REFUSED;
        org = u.id;
    }
    store_plan_counts n;
    char **ids = NULL;
    int64_t *counts = NULL;
    size_t k = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_plan_counts_org(x->db, org, x->today, &n, &e) < 0 ||
        store_plan_common_gaps(x->db, org, 10, &ids, &counts, &k, &e) < 0) {
        cli_store_error(prog, &e, NULL);
        store_org_unit_clear(&u);
        return CLI_REFUSED;
    }
    json_t *gaps = json_array();
    for (size_t i = 0; i < k; i++) {
        catalog_element el;
        const char *text = catalog_find(x->cat, ids[i], &el) ? catalog_element_text(&el) : NULL;
        json_array_append_new(gaps, json_pack("{s:s, s:o, s:I}", "element_id", ids[i], "text",
                                              text ? json_string(text) : json_null(), "plans",
                                              (json_int_t)counts[i]));
        free(ids[i]);
    }
    free(ids);
    free(counts);
    json_t *j = json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:o}", "org", x->org ? json_string(x->org) : json_null(),
                          "people", (json_int_t)n.people, "with_plan", (json_int_t)n.with_plan, "approved",
                          (json_int_t)n.approved, "actions", (json_int_t)n.actions, "overdue",
                          (json_int_t)n.overdue, "common_gaps", gaps);
    store_org_unit_clear(&u);
    if (x->a.json)
        return cli_print_json(j);
    buf b;
    buf_init(&b);
    buf_printf(&b, "%s: %lld people, %lld with a plan (%lld approved), %lld actions, %lld overdue\n",
               x->org ? x->org : "all units", (long long)n.people, (long long)n.with_plan, (long long)n.approved,
               (long long)n.actions, (long long)n.overdue);
    size_t i;
    json_t *g;
    json_array_foreach(gaps, i, g)
        buf_printf(&b, "%s%3lld  %s  %s\n", i == 0 ? "most common gaps:\n" : "",
                   (long long)json_integer_value(json_object_get(g, "plans")),
                   json_string_value(json_object_get(g, "element_id")),
                   json_is_string(json_object_get(g, "text")) ? json_string_value(json_object_get(g, "text")) : "");
    json_decref(j);
    int st = cli_write(&b, stdout);
    buf_free(&b);
    return st;
}

/* itss plan SUBCOMMAND ... */
int cli_plan_main(const cli_command *cmd, int argc, char **argv)
{
    ctx x;
    memset(&x, 0, sizeof x);
    const char *db_path = NULL, *policy_path = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL },      { "--policy", &policy_path, NULL }, { "--spec", &x.spec, NULL },
        { "--level", &x.level, NULL },   { "--date", &x.date, NULL },        { "--as", &x.as, NULL },
        { "--item", &x.item, NULL },     { "--kind", &x.kind, NULL },        { "--course", &x.course, NULL },
        { "--title", &x.title, NULL },   { "--due", &x.due, NULL },          { "--status", &x.status, NULL },
        { "--by", &x.by, NULL },         { "--comment", &x.comment, NULL },  { "--org", &x.org, NULL },
        { NULL, NULL, NULL },
    };
    (void)cmd;
    if (cli_parse(PROG, plan_usage, argc - 1, argv + 1, options, &x.a) != CLI_OK)
        return CLI_USAGE;
    if (x.a.help) {
        fputs(cli_plan_help, stdout);
        return CLI_OK;
    }
    if (x.a.n_pos == 0)
        return cli_usage_error(PROG, plan_usage, "no subcommand given");
    static const char *const subs[] = { "show", "set-target", "add-action", "set-status", "comment", "approve",
                                        "summary" };
    int sub = -1;
    for (int i = 0; i < 7; i++)
        if (strcmp(x.a.pos[0], subs[i]) == 0)
            sub = i;
    if (sub < 0)
        return cli_usage_error(PROG, plan_usage, "unknown subcommand '%s'", x.a.pos[0]);
    if (sub != 6 && x.a.n_pos < 2)
        return cli_usage_error(PROG, plan_usage, "EMPNO is required");
    if ((sub == 6 && x.a.n_pos > 1) || (sub != 3 && sub != 6 && x.a.n_pos > 2))
        return cli_usage_error(PROG, plan_usage, "unexpected argument '%s'", x.a.pos[x.a.n_pos - 1]);
    const char *today = getenv("ITSS_TODAY");   /* tests pin the date */
    if (today && strlen(today) == 10)
        memcpy(x.today, today, 11);
    else
        plan_today(x.today);

    int st = CLI_REFUSED;
    if (!(x.cat = cli_load_catalog(&x.a)))
        return CLI_USAGE;
    if (!(x.pol = load_policy(policy_path, x.cat))) {
        catalog_free(x.cat);
        return CLI_USAGE;
    }
    x.db = cli_store_open(PROG, db_path, 0);
    if (x.db && cli_store_check_catalog(PROG, x.db, x.cat) != CLI_OK) {
        store_close(x.db);
        x.db = NULL;
    }
    if (x.db && (sub == 6 || cli_find_person(PROG, x.db, x.a.pos[1], NULL, &x.person) == 1)) {
        switch (sub) {
        case 0: st = plan_show(&x); break;
        case 1: st = plan_set_target(&x); break;
        case 2: st = plan_add_action(&x); break;
        case 3: st = plan_set_status(&x); break;
        case 4: st = plan_review(&x, 0); break;
        case 5: st = plan_review(&x, 1); break;
        case 6: st = plan_summary(&x); break;
        }
        if (sub != 6)
            store_person_clear(&x.person);
    }
    store_close(x.db);
    policy_free(x.pol);
    catalog_free(x.cat);
    return st;
}
