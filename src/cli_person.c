/* cli_person.c - `itss person`: add, list, show and edit the people assessed. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"
#include "engine.h"
#include "policy.h"
#include "text.h"
#include "xalloc.h"

const char cli_person_help[] =
    "usage: itss person add EMPNO NAME [--kana K] [--email E] [--org CODE] [--manager EMPNO]\n"
    "       itss person list [--org CODE] [--search TEXT] [--limit N]\n"
    "       itss person show EMPNO\n"
    "       itss person edit EMPNO [--name N] [--kana K] [--email E] [--org CODE]\n"
    "                              [--manager EMPNO] [--number NEW] [--clear FIELDS]\n"
    "       [--db PATH] [--json] [--catalog FILE]\n"
    "\n"
    "The people whose skills are assessed.\n"
    "\n"
    "  add EMPNO NAME   adds a person. EMPNO is the employee number (unique, no\n"
    "                   spaces), NAME the name as it is shown (山田 太郎).\n"
    "  list             people in employee-number order: with --org CODE only the\n"
    "                   people of that unit and of the units below it; with\n"
    "                   --search TEXT those whose number, name, kana or e-mail\n"
    "                   contains TEXT; at most --limit N of them\n"
    "  show EMPNO       one person: details, the unit's place in the organization,\n"
    "                   the manager, experience records (実績), contributions, and\n"
    "                   the assessments by cycle with their status and the level\n"
    "                   reached in each specialization (self-assessment, default\n"
    "                   policy; itss level explains them)\n"
    "  edit EMPNO       changes the fields given; --number NEW gives the person a\n"
    "                   new employee number; --clear kana,email,org,manager\n"
    "                   removes those fields\n"
    "\n"
    "options:\n"
    "  --kana K         the name's reading (ヤマダ タロウ)\n"
    "  --email E        e-mail address\n"
    "  --org CODE       org unit (itss org list shows the codes)\n"
    "  --manager EMPNO  the person's manager, by employee number\n"
    "  --db PATH        the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --json           machine-readable output\n"
    "  --catalog FILE   the catalog, for the levels person show computes\n"
    "\n"
    "exit status: 0 done, 3 refused (an unknown person, unit or manager, an\n"
    "employee number already in use, a bad e-mail address), 2 bad usage.\n";

static const char person_usage[] =
    "usage: itss person add EMPNO NAME [--kana K] [--email E] [--org CODE] [--manager EMPNO]\n"
    "       itss person list [--org CODE] [--search TEXT] [--limit N]\n"
    "       itss person show EMPNO\n"
    "       itss person edit EMPNO [--name N] [--kana K] [--email E] [--org CODE] [--manager EMPNO]\n"
    "                              [--number NEW] [--clear kana,email,org,manager]\n"
    "       [--db PATH] [--json]; itss help person for more\n";

/* Store fields and the arguments they come from, for messages. */
static const char *const add_fields[] = {
    "employee_number", "EMPNO", "name", "NAME", "kana", "--kana", "email", "--email",
    "org_unit_id", "--org", "manager_id", "--manager", NULL
};
static const char *const edit_fields[] = {
    "employee_number", "--number", "name", "--name", "kana", "--kana", "email", "--email",
    "org_unit_id", "--org", "manager_id", "--manager", NULL
};

/* The options of every subcommand; which ones a subcommand accepts is checked there. */
typedef struct person_opts {
    const char *db, *kana, *email, *org, *manager, *search, *limit, *name, *number, *clear;
} person_opts;

/* A jansson string, or null for NULL. */
static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A person as JSON: number, names, e-mail, unit and manager. */
static json_t *person_json(const store_person *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "employee_number", json_string(p->employee_number));
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "kana", jstr(p->kana));
    json_object_set_new(o, "email", jstr(p->email));
    if (p->org_unit_id) {
        json_t *u = json_object();
        json_object_set_new(u, "code", jstr(p->org_code));
        json_object_set_new(u, "name", jstr(p->org_name));
        json_object_set_new(o, "org", u);
    } else {
        json_object_set_new(o, "org", json_null());
    }
    if (p->manager_id) {
        json_t *m = json_object();
        json_object_set_new(m, "employee_number", jstr(p->manager_number));
        json_object_set_new(m, "name", jstr(p->manager_name));
        json_object_set_new(o, "manager", m);
    } else {
        json_object_set_new(o, "manager", json_null());
    }
    return o;
}

/* "E0001 山田 太郎" of a manager, or "" when none. Caller frees. */
static char *manager_text(const store_person *p)
{
    buf b;
    buf_init(&b);
    if (p->manager_id)
        buf_printf(&b, "%s %s", p->manager_number ? p->manager_number : "", p->manager_name ? p->manager_name : "");
    return buf_detach(&b);
}

/* Refuses options that are not in allowed (the subcommand's); CLI_OK or CLI_USAGE. */
static int only_options(const char *prog, const person_opts *o, const char *allowed)
{
    struct { const char *name; const char *value; } all[] = {
        { "--kana", o->kana }, { "--email", o->email }, { "--org", o->org }, { "--manager", o->manager },
        { "--search", o->search }, { "--limit", o->limit }, { "--name", o->name }, { "--number", o->number },
        { "--clear", o->clear },
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!all[i].value)
            continue;
        const char *at = strstr(allowed, all[i].name);
        size_t n = strlen(all[i].name);
        if (!at || (at[n] != '\0' && at[n] != ' '))
            return cli_usage_error(prog, person_usage, "option '%s' is not for this subcommand", all[i].name);
    }
    return CLI_OK;
}

/* Looks up --org and --manager into p; CLI_OK or CLI_REFUSED after a message. */
static int resolve_refs(const char *prog, store *db, const person_opts *o, store_person *p)
{
    if (o->org) {
        store_org_unit u;
        if (cli_find_org(prog, db, o->org, "--org", &u) != 1)
            return CLI_REFUSED;
        p->org_unit_id = u.id;
        store_org_unit_clear(&u);
    }
    if (o->manager) {
        store_person m;
        if (cli_find_person(prog, db, o->manager, "--manager", &m) != 1)
            return CLI_REFUSED;
        p->manager_id = m.id;
        store_person_clear(&m);
    }
    return CLI_OK;
}

/* Prints the person with that id (after an add or edit) as JSON, or the line
 * `what` followed by nothing else. */
static int print_saved(const cli_args *a, store *db, int64_t id, const char *what)
{
    if (a->json) {
        store_person p;
        err e;
        if (store_person_get(db, id, &p, &e) != 1) {
            cli_store_error(a->prog, &e, NULL);
            return CLI_REFUSED;
        }
        int rc = cli_print_json(person_json(&p));
        store_person_clear(&p);
        return rc;
    }
    buf b;
    buf_init(&b);
    buf_puts(&b, what);
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* itss person add EMPNO NAME [...] */
static int person_add(const cli_args *a, const person_opts *o, store *db)
{
    if (a->n_pos != 3)
        return cli_usage_error(a->prog, person_usage, a->n_pos < 3 ? "EMPNO and NAME are required"
                                                                   : "unexpected argument '%s'", a->pos[3]);
    store_person p;
    memset(&p, 0, sizeof p);
    p.employee_number = (char *)a->pos[1];
    p.name = (char *)a->pos[2];
    p.kana = (char *)o->kana;
    p.email = (char *)o->email;
    if (resolve_refs(a->prog, db, o, &p) != CLI_OK)
        return CLI_REFUSED;
    int64_t id;
    err e;
    memset(&e, 0, sizeof e);
    if (store_person_add(db, &p, &id, &e) < 0) {
        cli_store_error(a->prog, &e, add_fields);
        return CLI_REFUSED;
    }
    buf line;
    buf_init(&line);
    buf_printf(&line, "added %s %s", p.employee_number, p.name);
    if (o->org)
        buf_printf(&line, " in %s", o->org);
    if (o->manager)
        buf_printf(&line, ", manager %s", o->manager);
    buf_putc(&line, '\n');
    int rc = print_saved(a, db, id, line.data);
    buf_free(&line);
    return rc;
}

/* itss person list [--org CODE] [--search TEXT] [--limit N] */
static int person_list(const cli_args *a, const person_opts *o, store *db)
{
    if (a->n_pos != 1)
        return cli_usage_error(a->prog, person_usage, "unexpected argument '%s'", a->pos[1]);
    store_person_filter f;
    memset(&f, 0, sizeof f);
    if (o->limit && (f.limit = cli_parse_count(a->prog, "--limit", o->limit)) == 0)
        return CLI_USAGE;
    if (o->org) {
        store_org_unit u;
        if (cli_find_org(a->prog, db, o->org, "--org", &u) != 1)
            return CLI_REFUSED;
        f.org_unit_id = u.id;
        f.include_sub_units = 1;
        store_org_unit_clear(&u);
    }
    f.search = o->search;
    store_person_list l;
    int64_t total = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_person_list_filter(db, &f, &l, &e) < 0) {
        cli_store_error(a->prog, &e, NULL);
        return CLI_REFUSED;
    }
    if (store_person_count(db, &f, &total, &e) < 0) {
        cli_store_error(a->prog, &e, NULL);
        store_person_list_free(&l);
        return CLI_REFUSED;
    }
    int rc;
    if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, person_json(&l.items[i]));
        rc = cli_print_json(arr);
    } else {
        buf b;
        buf_init(&b);
        if (l.count) {
            static const char *const headers[] = { "社員番号", "氏名", "所属", "上司" };
            cli_table t;
            cli_table_init(&t, 4, headers);
            for (size_t i = 0; i < l.count; i++) {
                const store_person *p = &l.items[i];
                char *manager = manager_text(p);
                const char *cells[4] = { p->employee_number, p->name, p->org_name, manager };
                cli_table_add(&t, cells);
                free(manager);
            }
            cli_table_render(&t, &b, cli_term_width());
            cli_table_free(&t);
        }
        if ((int64_t)l.count < total)
            buf_printf(&b, "%zu of %lld people shown (--limit %s)\n", l.count, (long long)total, o->limit);
        else
            buf_printf(&b, "%lld %s\n", (long long)total, total == 1 ? "person" : "people");
        rc = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_person_list_free(&l);
    return rc;
}

/* The levels of assessment `id` under the built-in policy (self-assessment),
 * one per specialization of cat, into levels[]; 0 when they cannot be computed
 * (another catalog version), 1 when filled. */
static int assessment_levels(store *db, const catalog *cat, const policy *pol, int64_t id, int *levels)
{
    assessment *as = NULL;
    err e;
    if (!cat || !pol || store_assessment_load(db, id, &as, &e) != 1)
        return 0;
    int ok = as->catalog_id && as->catalog_version && strcmp(as->catalog_id, catalog_id(cat)) == 0
             && strcmp(as->catalog_version, catalog_version(cat)) == 0;
    if (ok) {
        engine_result *r = engine_assess(cat, pol, as, RATER_SELF);
        for (size_t i = 0; i < r->n_specs; i++)
            levels[i] = r->specs[i].level;
        engine_result_free(r);
    }
    assessment_free(as);
    return ok;
}

/* "レベル3" or "未到達" for a level reached. */
static void level_word(char *dst, size_t size, int level)
{
    if (level > 0)
        snprintf(dst, size, "レベル%d", level);
    else
        snprintf(dst, size, "未到達");
}

/* Appends a heading line and an underline of the same display width. */
static void heading(buf *b, const char *title)
{
    buf_printf(b, "\n%s\n", title);
    int w = text_width(title);
    for (int i = 0; i < w; i++)
        buf_putc(b, '-');
    buf_putc(b, '\n');
}

/* What `itss person show` shows of one person, read once for either form. */
typedef struct person_view {
    store_person p;
    const catalog *cat;
    const policy *pol;         /* NULL when the built-in policy did not load: no levels */
    char *org_path;            /* NULL when the person has no unit */
    int64_t reports;           /* direct reports */
    store_experience_list xs;
    store_contribution_list cs;
    store_assessment_list as;
    size_t n_specs;
    int *levels;               /* as.count x n_specs levels by the self-rating */
    int *computed;             /* per assessment: 1 when levels holds its levels */
} person_view;

/* Reads the person's records, contributions, assessments (with their levels)
 * and direct reports into v (v->p, cat and pol set by the caller). CLI_OK, or
 * CLI_REFUSED after printing the store's error. v is freed by person_view_free
 * either way. */
static int person_view_load(const cli_args *a, store *db, person_view *v)
{
    store_person_filter reports_filter;
    store_assessment_filter af;
    err e;
    memset(&reports_filter, 0, sizeof reports_filter);
    memset(&af, 0, sizeof af);
    memset(&e, 0, sizeof e);
    reports_filter.manager_id = v->p.id;
    af.person_id = v->p.id;
    af.status = -1;
    int status = CLI_OK;
    if (store_experience_list_person(db, v->p.id, &v->xs, &e) < 0
        || store_contribution_list_person(db, v->p.id, &v->cs, &e) < 0
        || store_assessment_list_filter(db, &af, &v->as, &e) < 0
        || store_person_count(db, &reports_filter, &v->reports, &e) < 0) {
        cli_store_error(a->prog, &e, NULL);
        status = CLI_REFUSED;
    }
    v->n_specs = catalog_spec_count(v->cat);
    v->levels = xcalloc((v->as.count + 1) * (v->n_specs + 1), sizeof *v->levels);
    v->computed = xcalloc(v->as.count + 1, sizeof *v->computed);
    for (size_t i = 0; status == CLI_OK && i < v->as.count; i++)
        v->computed[i] = assessment_levels(db, v->cat, v->pol, v->as.items[i].id, v->levels + i * v->n_specs);
    v->org_path = v->p.org_unit_id ? cli_org_path(db, v->p.org_unit_id) : NULL;
    return status;
}

/* Frees what person_view_load read (not cat and pol). */
static void person_view_free(person_view *v)
{
    free(v->org_path);
    free(v->levels);
    free(v->computed);
    store_experience_list_free(&v->xs);
    store_contribution_list_free(&v->cs);
    store_assessment_list_free(&v->as);
    store_person_clear(&v->p);
}

/* One assessment of the view as JSON: cycle, status, catalog, levels (null
 * when they could not be computed). */
static json_t *person_assessment_json(const person_view *v, size_t i)
{
    const store_assessment *s = &v->as.items[i];
    json_t *one = json_object();
    json_object_set_new(one, "cycle", json_string(s->cycle));
    json_object_set_new(one, "status", json_string(assessment_status_name(s->status)));
    json_t *c = json_object();
    json_object_set_new(c, "id", json_string(s->catalog_id));
    json_object_set_new(c, "version", json_string(s->catalog_version));
    json_object_set_new(one, "catalog", c);
    json_object_set_new(one, "updated_at", jstr(s->updated_at));
    if (v->computed[i]) {
        json_t *lv = json_object();
        for (size_t k = 0; k < v->n_specs; k++)
            json_object_set_new(lv, catalog_spec_at(v->cat, k)->id, json_integer(v->levels[i * v->n_specs + k]));
        json_object_set_new(one, "levels", lv);
    } else {
        json_object_set_new(one, "levels", json_null());
    }
    return one;
}

/* The view as JSON on stdout; the exit status of cli_print_json. */
static int person_view_json(const person_view *v)
{
    json_t *o_json = person_json(&v->p);
    json_object_set_new(o_json, "org_path", jstr(v->org_path));
    json_object_set_new(o_json, "direct_reports", json_integer(v->reports));
    json_t *xa = json_array();
    for (size_t i = 0; i < v->xs.count; i++)
        json_array_append_new(xa, cli_experience_json(&v->xs.items[i]));
    json_object_set_new(o_json, "experience", xa);
    json_t *ca = json_array();
    for (size_t i = 0; i < v->cs.count; i++)
        json_array_append_new(ca, cli_contribution_json(&v->cs.items[i]));
    json_object_set_new(o_json, "contributions", ca);
    json_t *aa = json_array();
    for (size_t i = 0; i < v->as.count; i++)
        json_array_append_new(aa, person_assessment_json(v, i));
    json_object_set_new(o_json, "assessments", aa);
    if (v->pol) {
        json_t *pj = json_object();
        json_object_set_new(pj, "id", json_string(v->pol->id));
        json_object_set_new(pj, "version", json_string(v->pol->version));
        json_object_set_new(o_json, "policy", pj);
    }
    return cli_print_json(o_json);
}

/* The assessments of the view as a table: cycle, status, catalog version and
 * the level of each specialization (as many as fit the table). */
static void person_assessments_text(buf *b, const person_view *v, int width)
{
    const char *headers[CLI_TABLE_MAX_COLS] = { "サイクル", "状態", "カタログ" };
    size_t shown = v->n_specs > CLI_TABLE_MAX_COLS - 3 ? CLI_TABLE_MAX_COLS - 3 : v->n_specs;
    for (size_t k = 0; k < shown; k++)
        headers[3 + k] = catalog_spec_at(v->cat, k)->name;
    cli_table t;
    cli_table_init(&t, (int)(3 + shown), headers);
    for (size_t i = 0; i < v->as.count; i++) {
        const store_assessment *s = &v->as.items[i];
        char words[CLI_TABLE_MAX_COLS][32];
        const char *cells[CLI_TABLE_MAX_COLS] = { s->cycle, assessment_status_name(s->status), s->catalog_version };
        for (size_t k = 0; k < shown; k++) {
            if (v->computed[i])
                level_word(words[k], sizeof words[k], v->levels[i * v->n_specs + k]);
            else
                snprintf(words[k], sizeof words[k], "-");
            cells[3 + k] = words[k];
        }
        cli_table_add(&t, cells);
    }
    cli_table_render(&t, b, width);
    cli_table_free(&t);
    if (v->pol)
        buf_printf(b, "（本人の評価による判定、判定方針 %s 版%s。理由は itss level %s --explain）\n", v->pol->id,
                   v->pol->version, v->p.employee_number);
}

/* The view as text on stdout; the exit status of cli_write. */
static int person_view_text(const person_view *v)
{
    const store_person *p = &v->p;
    int width = cli_term_width();
    buf b;
    buf_init(&b);
    buf_printf(&b, "社員番号  %s\n", p->employee_number);
    buf_printf(&b, "氏名      %s", p->name);
    if (p->kana)
        buf_printf(&b, "（%s）", p->kana);
    buf_putc(&b, '\n');
    buf_printf(&b, "メール    %s\n", p->email ? p->email : "-");
    if (p->org_unit_id)
        buf_printf(&b, "所属      %s (%s)\n", v->org_path ? v->org_path : p->org_name, p->org_code);
    else
        buf_puts(&b, "所属      -\n");
    if (p->manager_id)
        buf_printf(&b, "上司      %s %s\n", p->manager_number, p->manager_name);
    else
        buf_puts(&b, "上司      -\n");
    buf_printf(&b, "部下      %lld名\n", (long long)v->reports);

    heading(&b, "実績（経験）");
    if (v->xs.count)
        cli_experience_table(&b, &v->xs, width);
    else
        buf_puts(&b, "なし（itss experience add で登録）\n");
    heading(&b, "プロフェッショナルとしての貢献");
    if (v->cs.count)
        cli_contribution_table(&b, &v->cs, width);
    else
        buf_puts(&b, "なし\n");
    heading(&b, "評価");
    if (v->as.count)
        person_assessments_text(&b, v, width);
    else
        buf_puts(&b, "なし（itss assess で評価を入力）\n");
    int status = cli_write(&b, stdout);
    buf_free(&b);
    return status;
}

/* itss person show EMPNO */
static int person_show(const cli_args *a, const person_opts *o, store *db)
{
    (void)o;
    if (a->n_pos != 2)
        return cli_usage_error(a->prog, person_usage, a->n_pos < 2 ? "EMPNO is required"
                                                                   : "unexpected argument '%s'", a->pos[2]);
    person_view v;
    memset(&v, 0, sizeof v);
    if (cli_find_person(a->prog, db, a->pos[1], NULL, &v.p) != 1)
        return CLI_REFUSED;
    catalog *cat = cli_load_catalog(a);
    if (!cat) {
        store_person_clear(&v.p);
        return CLI_USAGE;
    }
    err_list *perrors = calloc(1, sizeof *perrors);
    policy *pol = perrors ? policy_load_builtin(perrors) : NULL;
    free(perrors);
    v.cat = cat;
    v.pol = pol;
    int status = person_view_load(a, db, &v);
    if (status == CLI_OK)
        status = a->json ? person_view_json(&v) : person_view_text(&v);
    person_view_free(&v);
    policy_free(pol);
    catalog_free(cat);
    return status;
}

/* Applies --clear FIELDS to p; CLI_OK, or CLI_USAGE naming an unknown field. */
static int apply_clear(const char *prog, const char *fields, store_person *p, buf *changes)
{
    char *list = xstrdup(fields);
    int rc = CLI_OK;
    for (char *save = NULL, *f = strtok_r(list, ",", &save); f && rc == CLI_OK; f = strtok_r(NULL, ",", &save)) {
        if (strcmp(f, "kana") == 0) {
            if (p->kana)
                buf_printf(changes, "  kana: %s -> (none)\n", p->kana);
            free(p->kana);
            p->kana = NULL;
        } else if (strcmp(f, "email") == 0) {
            if (p->email)
                buf_printf(changes, "  email: %s -> (none)\n", p->email);
            free(p->email);
            p->email = NULL;
        } else if (strcmp(f, "org") == 0) {
            if (p->org_unit_id)
                buf_printf(changes, "  org: %s -> (none)\n", p->org_code ? p->org_code : "");
            p->org_unit_id = 0;
        } else if (strcmp(f, "manager") == 0) {
            if (p->manager_id)
                buf_printf(changes, "  manager: %s -> (none)\n", p->manager_number ? p->manager_number : "");
            p->manager_id = 0;
        } else {
            rc = cli_usage_error(prog, person_usage, "--clear: unknown field '%s'; use kana, email, org or manager",
                                 f);
        }
    }
    free(list);
    return rc;
}

/* Replaces the text *field with value, noting the change under label. */
static void change_text(char **field, const char *value, const char *label, buf *changes)
{
    if (!value || (*field && strcmp(*field, value) == 0))
        return;
    buf_printf(changes, "  %s: %s -> %s\n", label, *field ? *field : "(none)", value);
    free(*field);
    *field = xstrdup(value);
}

/* itss person edit EMPNO [...] */
static int person_edit(const cli_args *a, const person_opts *o, store *db)
{
    if (a->n_pos != 2)
        return cli_usage_error(a->prog, person_usage, a->n_pos < 2 ? "EMPNO is required"
                                                                   : "unexpected argument '%s'", a->pos[2]);
    if (!o->name && !o->kana && !o->email && !o->org && !o->manager && !o->number && !o->clear)
        return cli_usage_error(a->prog, person_usage, "nothing to change: give --name, --kana, --email, --org, "
                                                      "--manager, --number or --clear");
    store_person p;
    if (cli_find_person(a->prog, db, a->pos[1], NULL, &p) != 1)
        return CLI_REFUSED;
    buf changes;
    buf_init(&changes);
    int status = CLI_OK;
    if (o->clear)
        status = apply_clear(a->prog, o->clear, &p, &changes);
    if (status == CLI_OK) {
        int64_t old_org = p.org_unit_id, old_manager = p.manager_id;
        status = resolve_refs(a->prog, db, o, &p);
        if (status == CLI_OK && p.org_unit_id != old_org)
            buf_printf(&changes, "  org: %s -> %s\n", old_org && p.org_code ? p.org_code : "(none)", o->org);
        if (status == CLI_OK && p.manager_id != old_manager)
            buf_printf(&changes, "  manager: %s -> %s\n", old_manager && p.manager_number ? p.manager_number : "(none)",
                       o->manager);
    }
    if (status == CLI_OK) {
        change_text(&p.employee_number, o->number, "employee number", &changes);
        change_text(&p.name, o->name, "name", &changes);
        change_text(&p.kana, o->kana, "kana", &changes);
        change_text(&p.email, o->email, "email", &changes);
        err e;
        memset(&e, 0, sizeof e);
        if (changes.len && store_person_edit(db, &p, &e) < 0) {
            cli_store_error(a->prog, &e, edit_fields);
            status = CLI_REFUSED;
        }
    }
    if (status == CLI_OK) {
        buf line;
        buf_init(&line);
        if (changes.len)
            buf_printf(&line, "changed %s:\n%s", a->pos[1], changes.data);
        else
            buf_printf(&line, "%s: nothing changed\n", a->pos[1]);
        status = print_saved(a, db, p.id, line.data);
        buf_free(&line);
    }
    buf_free(&changes);
    store_person_clear(&p);
    return status;
}

/* itss person add|list|show|edit */
int cli_person_main(const cli_command *cmd, int argc, char **argv)
{
    person_opts o;
    memset(&o, 0, sizeof o);
    const cli_option options[] = {
        { "--db", &o.db, NULL },           { "--kana", &o.kana, NULL },     { "--email", &o.email, NULL },
        { "--org", &o.org, NULL },         { "--manager", &o.manager, NULL }, { "--search", &o.search, NULL },
        { "--limit", &o.limit, NULL },     { "--name", &o.name, NULL },     { "--number", &o.number, NULL },
        { "--clear", &o.clear, NULL },     { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss person", person_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_person_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos == 0)
        return cli_usage_error(a.prog, person_usage, "a subcommand is required: add, list, show or edit");
    static const struct {
        const char *name, *prog;
        const char *options;   /* the options it takes besides --db, --json, --catalog */
        int (*fn)(const cli_args *, const person_opts *, store *);
    } subs[] = {
        { "add", "itss person add", "--kana --email --org --manager", person_add },
        { "list", "itss person list", "--org --search --limit", person_list },
        { "show", "itss person show", "", person_show },
        { "edit", "itss person edit", "--name --kana --email --org --manager --number --clear", person_edit },
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(a.pos[0], subs[i].name) != 0)
            continue;
        a.prog = subs[i].prog;
        if (only_options(a.prog, &o, subs[i].options) != CLI_OK)
            return CLI_USAGE;
        store *db = cli_store_open(a.prog, o.db, 0);
        if (!db)
            return CLI_REFUSED;
        int rc = subs[i].fn(&a, &o, db);
        store_close(db);
        return rc;
    }
    return cli_usage_error(a.prog, person_usage, "unknown subcommand '%s'; use add, list, show or edit", a.pos[0]);
}
