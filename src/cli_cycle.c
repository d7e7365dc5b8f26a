/* cli_cycle.c - `itss cycle`: assessment cycles (2026年度) with their dates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"
#include "rules.h"

const char cli_cycle_help[] =
    "usage: itss cycle add NAME --opens YYYY-MM-DD --closes YYYY-MM-DD\n"
    "       itss cycle list\n"
    "       [--db PATH] [--json]\n"
    "\n"
    "Assessment cycles: the periods in which people assess themselves (and, later,\n"
    "their managers review), such as 2026年度. A person has one assessment per cycle.\n"
    "\n"
    "  add NAME         adds a cycle open from --opens to --closes (both days\n"
    "                   included); NAME must be unused\n"
    "  list             every cycle, the latest opening first, with whether it is\n"
    "                   open today\n"
    "\n"
    "exit status: 0 done, 3 refused (a name in use, a date that does not exist, a\n"
    "cycle that closes before it opens), 2 bad usage.\n";

static const char cycle_usage[] =
    "usage: itss cycle add NAME --opens YYYY-MM-DD --closes YYYY-MM-DD | itss cycle list   [--db PATH] [--json]\n";

static const char *const cycle_fields[] = { "name", "NAME", "opens", "--opens", "closes", "--closes", NULL };

/* Today's local date as YYYY-MM-DD (ITSS_TODAY pins it: rules_today). */
static void today(char out[16])
{
    rules_today(out);
}

/* "open", "closed" or "upcoming" on date `on`. */
static const char *cycle_state(const store_cycle *c, const char *on)
{
    if (strcmp(on, c->opens) < 0)
        return "upcoming";
    if (strcmp(on, c->closes) > 0)
        return "closed";
    return "open";
}

/* The same in Japanese, for the table. */
static const char *cycle_state_label(const char *state)
{
    return strcmp(state, "open") == 0 ? "実施中" : strcmp(state, "closed") == 0 ? "終了" : "開始前";
}

/* A cycle as JSON, with its state today. */
static json_t *cycle_json(const store_cycle *c, const char *on)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "opens", json_string(c->opens));
    json_object_set_new(o, "closes", json_string(c->closes));
    json_object_set_new(o, "state", json_string(cycle_state(c, on)));
    return o;
}

/* Warns on stderr about every other cycle whose period overlaps c's (people then
 * have two diagnoses open at once). */
static void warn_overlaps(const char *prog, store *db, const store_cycle *c)
{
    store_cycle_list all;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_list_all(db, &all, &e) < 0)
        return;
    for (size_t i = 0; i < all.count; i++) {
        const store_cycle *o = &all.items[i];
        if (o->id != c->id && strcmp(o->opens, c->closes) <= 0 && strcmp(c->opens, o->closes) <= 0)
            fprintf(stderr, "%s: warning: %s (%s to %s) overlaps %s (%s to %s): two diagnoses open at once\n", prog,
                    c->name, c->opens, c->closes, o->name, o->opens, o->closes);
    }
    store_cycle_list_free(&all);
}

/* itss cycle add NAME --opens D --closes D */
static int cycle_add(const cli_args *a, store *db, const char *opens, const char *closes)
{
    if (a->n_pos != 2)
        return cli_usage_error(a->prog, cycle_usage, a->n_pos < 2 ? "NAME is required" : "unexpected argument '%s'",
                               a->pos[2]);
    if (!opens || !closes)
        return cli_usage_error(a->prog, cycle_usage, "%s is required", opens ? "--closes" : "--opens");
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_add(db, a->pos[1], opens, closes, &id, &e) < 0) {
        cli_store_error(a->prog, &e, cycle_fields);
        return CLI_REFUSED;
    }
    char on[16];
    today(on);
    store_cycle c;
    if (store_cycle_get(db, id, &c, &e) != 1) {
        cli_store_error(a->prog, &e, NULL);
        return CLI_REFUSED;
    }
    warn_overlaps(a->prog, db, &c);
    int rc;
    if (a->json) {
        rc = cli_print_json(cycle_json(&c, on));
    } else {
        buf b;
        buf_init(&b);
        buf_printf(&b, "added cycle %s, %s to %s (%s today)\n", c.name, c.opens, c.closes, cycle_state(&c, on));
        rc = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_cycle_clear(&c);
    return rc;
}

/* itss cycle list */
static int cycle_list(const cli_args *a, store *db)
{
    if (a->n_pos != 1)
        return cli_usage_error(a->prog, cycle_usage, "unexpected argument '%s'", a->pos[1]);
    store_cycle_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_cycle_list_all(db, &l, &e) < 0) {
        cli_store_error(a->prog, &e, NULL);
        return CLI_REFUSED;
    }
    char on[16];
    today(on);
    int rc;
    if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, cycle_json(&l.items[i], on));
        rc = cli_print_json(arr);
    } else {
        buf b;
        buf_init(&b);
        if (l.count == 0) {
            buf_puts(&b, "no cycles yet; add one with itss cycle add NAME --opens YYYY-MM-DD --closes YYYY-MM-DD\n");
        } else {
            static const char *const headers[] = { "サイクル", "開始", "終了", "状態" };
            cli_table t;
            cli_table_init(&t, 4, headers);
            for (size_t i = 0; i < l.count; i++) {
                const store_cycle *c = &l.items[i];
                const char *cells[4] = { c->name, c->opens, c->closes, cycle_state_label(cycle_state(c, on)) };
                cli_table_add(&t, cells);
            }
            cli_table_render(&t, &b, cli_term_width());
            cli_table_free(&t);
        }
        rc = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_cycle_list_free(&l);
    return rc;
}

/* itss cycle add|list */
int cli_cycle_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL, *opens = NULL, *closes = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL }, { "--opens", &opens, NULL }, { "--closes", &closes, NULL }, { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss cycle", cycle_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_cycle_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos == 0)
        return cli_usage_error(a.prog, cycle_usage, "a subcommand is required: add or list");
    int add = strcmp(a.pos[0], "add") == 0;
    if (!add && strcmp(a.pos[0], "list") != 0)
        return cli_usage_error(a.prog, cycle_usage, "unknown subcommand '%s'; use add or list", a.pos[0]);
    a.prog = add ? "itss cycle add" : "itss cycle list";
    if (!add && (opens || closes))
        return cli_usage_error(a.prog, cycle_usage, "--opens and --closes are only for itss cycle add");
    store *db = cli_store_open(a.prog, db_path, 0);
    if (!db)
        return CLI_REFUSED;
    int rc = add ? cycle_add(&a, db, opens, closes) : cycle_list(&a, db);
    store_close(db);
    return rc;
}
