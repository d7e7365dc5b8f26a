/* cli_org.c - `itss org`: the organization units, a tree. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"

const char cli_org_help[] =
    "usage: itss org add CODE NAME [--parent CODE]\n"
    "       itss org list\n"
    "       [--db PATH] [--json]\n"
    "\n"
    "The organization: units (departments, sections, teams) forming a tree.\n"
    "\n"
    "  add CODE NAME    adds a unit. CODE is a short unique name without spaces\n"
    "                   (CS-1), NAME the unit's name (第一カスタマサービス部).\n"
    "                   --parent CODE puts it under an existing unit; without it\n"
    "                   the unit is at the top.\n"
    "  list             every unit in tree order, each under its parent and\n"
    "                   indented, with the number of people in it\n"
    "\n"
    "options:\n"
    "  --parent CODE    the unit to add the new one under\n"
    "  --db PATH        the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --json           machine-readable output\n"
    "\n"
    "exit status: 0 done, 3 refused (a code already in use, an unknown --parent),\n"
    "2 bad usage.\n";

static const char org_usage[] =
    "usage: itss org add CODE NAME [--parent CODE] | itss org list   [--db PATH] [--json]\n";

/* Store fields and the arguments they come from, for messages. */
static const char *const org_fields[] = { "code", "CODE", "name", "NAME", "parent_id", "--parent", NULL };

/* A unit as JSON, with the number of people directly in it. */
static json_t *unit_json(const store_org_unit *u, int64_t people)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(u->code));
    json_object_set_new(o, "name", json_string(u->name));
    json_object_set_new(o, "parent", u->parent_code ? json_string(u->parent_code) : json_null());
    json_object_set_new(o, "depth", json_integer(u->depth));
    if (people >= 0)
        json_object_set_new(o, "people", json_integer(people));
    return o;
}

/* itss org add CODE NAME [--parent CODE] */
static int org_add(const cli_args *a, const char *parent_code, const char *db_path)
{
    const char *prog = "itss org add";
    if (a->n_pos != 3)
        return cli_usage_error(prog, org_usage, a->n_pos < 3 ? "CODE and NAME are required"
                                                             : "unexpected argument '%s'", a->pos[3]);
    store *db = cli_store_open(prog, db_path, 0);
    if (!db)
        return CLI_REFUSED;
    int status = CLI_OK;
    store_org_unit parent, u;
    memset(&parent, 0, sizeof parent);
    memset(&u, 0, sizeof u);
    if (parent_code && cli_find_org(prog, db, parent_code, "--parent", &parent) != 1)
        status = CLI_REFUSED;
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (status == CLI_OK && store_org_add(db, a->pos[1], a->pos[2], parent.id, &id, &e) < 0) {
        cli_store_error(prog, &e, org_fields);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK && store_org_get(db, id, &u, &e) != 1) {
        cli_store_error(prog, &e, NULL);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK && a->json) {
        status = cli_print_json(unit_json(&u, -1));
    } else if (status == CLI_OK) {
        buf b;
        buf_init(&b);
        buf_printf(&b, "added org unit %s %s", u.code, u.name);
        if (parent.id)
            buf_printf(&b, " under %s %s", parent.code, parent.name);
        buf_puts(&b, "\n");
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_org_unit_clear(&parent);
    store_org_unit_clear(&u);
    store_close(db);
    return status;
}

/* itss org list: the tree, indented, with head counts. */
static int org_list(const cli_args *a, const char *db_path)
{
    const char *prog = "itss org list";
    if (a->n_pos != 1)
        return cli_usage_error(prog, org_usage, "unexpected argument '%s'", a->pos[1]);
    store *db = cli_store_open(prog, db_path, 0);
    if (!db)
        return CLI_REFUSED;
    store_org_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_org_list_all(db, &l, &e) < 0) {
        cli_store_error(prog, &e, NULL);
        store_close(db);
        return CLI_REFUSED;
    }
    int status = CLI_OK;
    int64_t *people = calloc(l.count + 1, sizeof *people);
    if (!people)
        abort();
    for (size_t i = 0; i < l.count && status == CLI_OK; i++) {
        store_person_filter f;
        memset(&f, 0, sizeof f);
        f.org_unit_id = l.items[i].id;
        if (store_person_count(db, &f, &people[i], &e) < 0) {
            cli_store_error(prog, &e, NULL);
            status = CLI_REFUSED;
        }
    }
    if (status == CLI_OK && a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, unit_json(&l.items[i], people[i]));
        status = cli_print_json(arr);
    } else if (status == CLI_OK) {
        buf b;
        buf_init(&b);
        if (l.count == 0) {
            buf_puts(&b, "no org units yet; add one with itss org add CODE NAME\n");
        } else {
            static const char *const headers[] = { "コード", "組織", "人数" };
            cli_table t;
            cli_table_init(&t, 3, headers);
            for (size_t i = 0; i < l.count; i++) {
                buf code;
                char n[32];
                buf_init(&code);
                for (int d = 0; d < l.items[i].depth; d++)
                    buf_puts(&code, "  ");
                buf_puts(&code, l.items[i].code);
                snprintf(n, sizeof n, "%lld", (long long)people[i]);
                const char *cells[3] = { code.data, l.items[i].name, n };
                cli_table_add(&t, cells);
                buf_free(&code);
            }
            cli_table_render(&t, &b, cli_term_width());
            cli_table_free(&t);
        }
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    free(people);
    store_org_list_free(&l);
    store_close(db);
    return status;
}

/* itss org add|list */
int cli_org_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL, *parent = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL },
        { "--parent", &parent, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss org", org_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_org_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos == 0)
        return cli_usage_error("itss org", org_usage, "a subcommand is required: add or list");
    if (strcmp(a.pos[0], "add") == 0)
        return org_add(&a, parent, db_path);
    if (parent)
        return cli_usage_error("itss org", org_usage, "--parent is only for itss org add");
    if (strcmp(a.pos[0], "list") == 0)
        return org_list(&a, db_path);
    return cli_usage_error("itss org", org_usage, "unknown subcommand '%s'; use add or list", a.pos[0]);
}
