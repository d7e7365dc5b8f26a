/* cli_person.c - `itss person`: add, list, show and edit the people assessed. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"
#include "engine.h"
#include "policy.h"
#include "text.h"

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
    "exit status: 0 done, 1 refused (an unknown person, unit or manager, an\n"
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

/* itss person show EMPNO */
static int person_show(const cli_args *a, const person_opts *o, store *db)
{
    (void)o;
    if (a->n_pos != 2)
        return cli_usage_error(a->prog, person_usage, a->n_pos < 2 ? "EMPNO is required"
                                                                   : "unexpected argument '%s'", a->pos[2]);
    store_person p;
    if (cli_find_person(a->prog, db, a->pos[1], NULL, &p) != 1)
        return CLI_REFUSED;

    catalog *cat = cli_load_catalog(a);
    if (!cat) {
        store_person_clear(&p);
        return CLI_USAGE;
    }
    err_list *perrors = calloc(1, sizeof *perrors);
    policy *pol = perrors ? policy_load_builtin(perrors) : NULL;
    free(perrors);

    store_experience_list xs;
    store_contribution_list cs;
    store_assessment_list as;
    store_person_filter reports_filter;
    int64_t reports = 0;
    err e;
    memset(&xs, 0, sizeof xs);
    memset(&cs, 0, sizeof cs);
    memset(&as, 0, sizeof as);
    memset(&reports_filter, 0, sizeof reports_filter);
    memset(&e, 0, sizeof e);
    reports_filter.manager_id = p.id;
    store_assessment_filter af;
    memset(&af, 0, sizeof af);
    af.person_id = p.id;
    af.status = -1;
    int status = CLI_OK;
    if (store_experience_list_person(db, p.id, &xs, &e) < 0 || store_contribution_list_person(db, p.id, &cs, &e) < 0
        || store_assessment_list_filter(db, &af, &as, &e) < 0 || store_person_count(db, &reports_filter, &reports, &e) < 0) {
        cli_store_error(a->prog, &e, NULL);
        status = CLI_REFUSED;
    }
    size_t n_specs = catalog_spec_count(cat);
    int *levels = calloc((as.count + 1) * (n_specs + 1), sizeof *levels);
    int *computed = calloc(as.count + 1, sizeof *computed);
    if (!levels || !computed)
        abort();
    for (size_t i = 0; status == CLI_OK && i < as.count; i++)
        computed[i] = assessment_levels(db, cat, pol, as.items[i].id, levels + i * n_specs);
    char *org_path = p.org_unit_id ? cli_org_path(db, p.org_unit_id) : NULL;

    if (status == CLI_OK && a->json) {
        json_t *o_json = person_json(&p);
        json_object_set_new(o_json, "org_path", jstr(org_path));
        json_object_set_new(o_json, "direct_reports", json_integer(reports));
        json_t *xa = json_array();
        for (size_t i = 0; i < xs.count; i++)
            json_array_append_new(xa, cli_experience_json(&xs.items[i]));
        json_object_set_new(o_json, "experience", xa);
        json_t *ca = json_array();
        for (size_t i = 0; i < cs.count; i++)
            json_array_append_new(ca, cli_contribution_json(&cs.items[i]));
        json_object_set_new(o_json, "contributions", ca);
        json_t *aa = json_array();
        for (size_t i = 0; i < as.count; i++) {
            const store_assessment *s = &as.items[i];
            json_t *one = json_object();
            json_object_set_new(one, "cycle", json_string(s->cycle));
            json_object_set_new(one, "status", json_string(assessment_status_name(s->status)));
            json_t *c = json_object();
            json_object_set_new(c, "id", json_string(s->catalog_id));
            json_object_set_new(c, "version", json_string(s->catalog_version));
            json_object_set_new(one, "catalog", c);
            json_object_set_new(one, "updated_at", jstr(s->updated_at));
            if (computed[i]) {
                json_t *lv = json_object();
                for (size_t k = 0; k < n_specs; k++)
                    json_object_set_new(lv, catalog_spec_at(cat, k)->id, json_integer(levels[i * n_specs + k]));
                json_object_set_new(one, "levels", lv);
            } else {
                json_object_set_new(one, "levels", json_null());
            }
            json_array_append_new(aa, one);
        }
        json_object_set_new(o_json, "assessments", aa);
        if (pol) {
            json_t *pj = json_object();
            json_object_set_new(pj, "id", json_string(pol->id));
            json_object_set_new(pj, "version", json_string(pol->version));
            json_object_set_new(o_json, "policy", pj);
        }
        status = cli_print_json(o_json);
    } else if (status == CLI_OK) {
        int width = cli_term_width();
        buf b;
        buf_init(&b);
        buf_printf(&b, "社員番号  %s\n", p.employee_number);
        buf_printf(&b, "氏名      %s", p.name);
        if (p.kana)
            buf_printf(&b, "（%s）", p.kana);
        buf_putc(&b, '\n');
        buf_printf(&b, "メール    %s\n", p.email ? p.email : "-");
        if (p.org_unit_id)
            buf_printf(&b, "所属      %s (%s)\n", org_path ? org_path : p.org_name, p.org_code);
        else
            buf_puts(&b, "所属      -\n");
        if (p.manager_id)
            buf_printf(&b, "上司      %s %s\n", p.manager_number, p.manager_name);
        else
            buf_puts(&b, "上司      -\n");
        buf_printf(&b, "部下      %lld名\n", (long long)reports);

        heading(&b, "実績（経験）");
        if (xs.count)
            cli_experience_table(&b, &xs, width);
        else
            buf_puts(&b, "なし（itss experience add で登録）\n");

        heading(&b, "プロフェッショナルとしての貢献");
        if (cs.count)
            cli_contribution_table(&b, &cs, width);
        else
            buf_puts(&b, "なし\n");

        heading(&b, "評価");
        if (as.count) {
            const char *headers[CLI_TABLE_MAX_COLS] = { "サイクル", "状態", "カタログ" };
            size_t shown = n_specs > CLI_TABLE_MAX_COLS - 3 ? CLI_TABLE_MAX_COLS - 3 : n_specs;
            for (size_t k = 0; k < shown; k++)
                headers[3 + k] = catalog_spec_at(cat, k)->name;
            cli_table t;
            cli_table_init(&t, (int)(3 + shown), headers);
            for (size_t i = 0; i < as.count; i++) {
                const store_assessment *s = &as.items[i];
                char words[CLI_TABLE_MAX_COLS][32];
                const char *cells[CLI_TABLE_MAX_COLS] = { s->cycle, assessment_status_name(s->status),
                                                          s->catalog_version };
                for (size_t k = 0; k < shown; k++) {
                    if (computed[i])
                        level_word(words[k], sizeof words[k], levels[i * n_specs + k]);
                    else
                        snprintf(words[k], sizeof words[k], "-");
                    cells[3 + k] = words[k];
                }
                cli_table_add(&t, cells);
            }
            cli_table_render(&t, &b, width);
            cli_table_free(&t);
            if (pol)
                buf_printf(&b, "（本人の評価による判定、判定方針 %s 版%s。理由は itss level %s --explain）\n", pol->id,
                           pol->version, p.employee_number);
        } else {
            buf_puts(&b, "なし（itss assess で評価を入力）\n");
        }
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    free(org_path);
    free(levels);
    free(computed);
    store_experience_list_free(&xs);
    store_contribution_list_free(&cs);
    store_assessment_list_free(&as);
    policy_free(pol);
    catalog_free(cat);
    store_person_clear(&p);
    return status;
}

/* Applies --clear FIELDS to p; CLI_OK, or CLI_USAGE naming an unknown field. */
static int apply_clear(const char *prog, const char *fields, store_person *p, buf *changes)
{
    char *list = strdup(fields);
    if (!list)
        abort();
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
    *field = strdup(value);
    if (!*field)
        abort();
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
