/* cli_copy.c - `itss copy --from DB --to DB`: a whole database moved between
 * backends (SQLite file to PostgreSQL and back), verified table by table
 * (store_copy.c). docs/scale-out.md says when to use it. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"

const char cli_copy_help[] =
    "usage: itss copy --from DB --to DB [--json]\n"
    "\n"
    "Copies every table of one database into a new one, ids and all: a SQLite\n"
    "file into PostgreSQL (--to postgres://user@host:port/dbname) or back into a\n"
    "new file. The destination is created (PostgreSQL: the tables; the database\n"
    "itself is made with createdb) and must be empty (or hold only what itss init\n"
    "wrote, which the copy replaces); both are at this itss's\n"
    "schema version (an older one is migrated first). The copy is one transaction\n"
    "(a failure leaves the destination empty) and reads the source at one moment,\n"
    "so a live database may be copied. Then each table is read back from both\n"
    "sides and compared, row count and every value.\n"
    "\n"
    "options:\n"
    "  --from DB   the database to copy (a file or a postgres:// URL)\n"
    "  --to DB     the new database\n"
    "  --json      {\"from\":..,\"to\":..,\"tables\":[{\"table\",\"rows\",\"verified\"}]}\n"
    "\n"
    "exit status: 0 copied and verified, 3 the copy failed or differs (the\n"
    "message says which table), 2 bad usage or a database that cannot be opened.\n";

static const char copy_usage[] = "usage: itss copy --from DB --to DB [--json]\n";

#define PROG "itss copy"

/* Prints what was copied, as text or JSON. */
static int report(const cli_args *a, store *from, store *to, const store_copy_table *t, int n)
{
    if (a->json) {
        json_t *o = json_object(), *list = json_array();
        json_object_set_new(o, "from", json_string(store_location(from)));
        json_object_set_new(o, "to", json_string(store_location(to)));
        json_object_set_new(o, "schema_version", json_integer(store_schema_version(to)));
        for (int i = 0; i < n; i++) {
            json_t *row = json_object();
            json_object_set_new(row, "table", json_string(t[i].table));
            json_object_set_new(row, "rows", json_integer(t[i].rows));
            json_object_set_new(row, "verified", json_boolean(t[i].verified));
            json_array_append_new(list, row);
        }
        json_object_set_new(o, "tables", list);
        return cli_print_json(o);
    }
    long long total = 0;
    for (int i = 0; i < n; i++) {
        printf("%-24s %10lld rows  verified\n", t[i].table, (long long)t[i].rows);
        total += t[i].rows;
    }
    printf("copied %s (%s) to %s (%s): %d tables, %lld rows, each table read back equal\n", store_location(from),
           store_backend(from), store_location(to), store_backend(to), n, total);
    return CLI_OK;
}

/* itss copy: see cli_copy_help. */
int cli_copy_main(const cli_command *cmd, int argc, char **argv)
{
    const char *from_db = NULL, *to_db = NULL;
    const cli_option options[] = { { "--from", &from_db, NULL }, { "--to", &to_db, NULL }, { NULL, NULL, NULL } };
    cli_args a;
    (void)cmd;
    if (cli_parse(PROG, copy_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_copy_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos > 0)
        return cli_usage_error(PROG, copy_usage, "unexpected argument '%s'", a.pos[0]);
    if (!from_db || !to_db)
        return cli_usage_error(PROG, copy_usage, "give both --from and --to%s", "");
    if (strcmp(from_db, to_db) == 0)
        return cli_usage_error(PROG, copy_usage, "--from and --to name the same database '%s'", from_db);
    store *from = cli_store_open(PROG, from_db, 0);
    if (!from)
        return CLI_USAGE;
    store *to = cli_store_open(PROG, to_db, STORE_CREATE);
    if (!to) {
        store_close(from);
        return CLI_USAGE;
    }
    store_copy_table tables[64];
    err e;
    memset(&e, 0, sizeof e);
    int n = store_copy(from, to, tables, sizeof tables / sizeof tables[0], &e);
    int status;
    if (n < 0) {
        cli_error(PROG, "%s%s%s", e.where, e.where[0] ? ": " : "", e.message);
        status = CLI_REFUSED;
    } else {
        status = report(&a, from, to, tables, n);
    }
    store_close(to);
    store_close(from);
    return status;
}
