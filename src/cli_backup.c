/* cli_backup.c - `itss backup DEST` (a consistent copy of a live database) and
 * `itss check` (is the database whole: SQLite's integrity and foreign-key
 * checks). docs/store.md says how to back up and restore. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"

const char cli_backup_help[] =
    "usage: itss backup DEST [--db PATH] [--json]\n"
    "\n"
    "Writes a consistent copy of the database to the new file DEST with SQLite's\n"
    "online backup API: the copy is the database as it was at one moment, also\n"
    "while `itss serve` or other commands keep reading and writing it (they are\n"
    "not stopped). DEST must not exist; it appears only when complete (the copy\n"
    "is written to DEST.partial first). The copy is then checked as `itss check`\n"
    "does.\n"
    "\n"
    "To restore: stop the server, move the database and its -wal and -shm files\n"
    "aside, copy DEST to the database's path, run `itss check`, start again.\n"
    "\n"
    "options:\n"
    "  --db PATH   the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --json      {\"backup\":DEST,\"schema_version\":N,\"check\":\"ok\"}\n"
    "\n"
    "exit status: 0 written and checked, 3 the copy failed or does not check,\n"
    "2 bad usage or no database.\n";

const char cli_check_help[] =
    "usage: itss check [--db PATH] [--json]\n"
    "\n"
    "Checks that the database is whole: SQLite's PRAGMA integrity_check (pages,\n"
    "indexes, constraints) and PRAGMA foreign_key_check (every reference leads\n"
    "to a row), and prints what it found. Safe while the server runs (it only\n"
    "reads).\n"
    "\n"
    "options:\n"
    "  --db PATH   the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --json      {\"database\":PATH,\"schema_version\":N,\"check\":\"ok\"|\"failed\",\"problems\":...}\n"
    "\n"
    "exit status: 0 all well, 3 problems found, 2 bad usage or no database.\n";

static const char backup_usage[] = "usage: itss backup DEST [--db PATH] [--json]\n";
static const char check_usage[] = "usage: itss check [--db PATH] [--json]\n";

/* Says what a check found, as text or JSON; rc of store_check. */
static int report_check(const cli_args *a, store *db, const char *what, const char *backup, int rc, const err *e)
{
    if (a->json) {
        json_t *o = json_object();
        json_object_set_new(o, backup ? "backup" : "database", json_string(backup ? backup : what));
        json_object_set_new(o, "schema_version", json_integer(store_schema_version(db)));
        json_object_set_new(o, "check", json_string(rc == 0 ? "ok" : "failed"));
        json_object_set_new(o, "problems", rc == 0 ? json_null() : json_string(e->message));
        int out = cli_print_json(o);
        return out ? out : rc == 0 ? CLI_OK : CLI_REFUSED;
    }
    if (rc == 0) {
        printf("%s%s: integrity ok, foreign keys ok (schema version %d)\n", backup ? "backup " : "",
               backup ? backup : what, store_schema_version(db));
        return CLI_OK;
    }
    cli_error(a->prog, "%s", e->message);
    return CLI_REFUSED;
}

/* itss check: see cli_check_help. */
int cli_check_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL;
    const cli_option options[] = { { "--db", &db_path, NULL }, { NULL, NULL, NULL } };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss check", check_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_check_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos > 0)
        return cli_usage_error("itss check", check_usage, "unexpected argument '%s'", a.pos[0]);
    store *db = cli_store_open("itss check", db_path, 0);
    if (!db)
        return CLI_USAGE;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_check(db, &e);
    int status = report_check(&a, db, store_location(db), NULL, rc, &e);
    store_close(db);
    return status;
}

/* itss backup DEST: see cli_backup_help. */
int cli_backup_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL;
    const cli_option options[] = { { "--db", &db_path, NULL }, { NULL, NULL, NULL } };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss backup", backup_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_backup_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos != 1)
        return cli_usage_error("itss backup", backup_usage, a.n_pos ? "unexpected argument '%s'"
                                                                    : "give the file to write (DEST)%s",
                               a.n_pos ? a.pos[1] : "");
    const char *dest = a.pos[0];
    store *db = cli_store_open("itss backup", db_path, 0);
    if (!db)
        return CLI_USAGE;
    err e;
    memset(&e, 0, sizeof e);
    if (store_backup(db, dest, &e) < 0) {
        cli_error("itss backup", "%s: %s", e.where[0] ? e.where : dest, e.message);
        store_close(db);
        return CLI_REFUSED;
    }
    store_close(db);
    /* The copy must open and check as a database of its own. */
    store *copy = store_open(dest, 0, &e);
    if (!copy) {
        cli_error("itss backup", "%s: the copy does not open: %s", dest, e.message);
        return CLI_REFUSED;
    }
    int rc = store_check(copy, &e);
    int status = report_check(&a, copy, dest, dest, rc, &e);
    store_close(copy);
    return status;
}
