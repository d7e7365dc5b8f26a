/* cli_init.c - `itss init`: create the database and record which catalog it uses. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"

const char cli_init_help[] =
    "usage: itss init [--db PATH] [--catalog FILE] [--json]\n"
    "\n"
    "Creates the database and records which catalog (the standard's id and\n"
    "version) it uses: the built-in catalog, or the one in --catalog FILE (or\n"
    "$ITSS_CATALOG). Assessments can only be made against that catalog.\n"
    "\n"
    "Running itss init again on a database that already uses the same catalog\n"
    "changes nothing. A database that uses another catalog (or another version of\n"
    "it) is refused and left as it is.\n"
    "\n"
    "options:\n"
    "  --db PATH        the database file (default: $ITSS_DB, else ./itss.db)\n"
    "  --catalog FILE   the catalog to record instead of the built-in one\n"
    "  --json           say what was done as JSON\n"
    "\n"
    "exit status: 0 done, 3 the database uses another catalog or cannot be\n"
    "written, 2 bad usage or a catalog that does not load.\n";

static const char init_usage[] = "usage: itss init [--db PATH] [--catalog FILE] [--json]\n";

#define PROG "itss init"

/* Removes a database file this run created (and SQLite's companions) after a failure. */
static void remove_created(const char *path)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

/* Renders what init did, as text or JSON, to stdout. */
static int report(const cli_args *a, store *db, const catalog *cat, int created, int recorded)
{
    if (a->json) {
        json_t *o = json_object();
        json_object_set_new(o, "database", json_string(store_location(db)));
        json_object_set_new(o, "backend", json_string(store_backend(db)));
        json_object_set_new(o, "schema_version", json_integer(store_schema_version(db)));
        json_object_set_new(o, "created", json_boolean(created));
        json_t *c = json_object();
        json_object_set_new(c, "id", json_string(catalog_id(cat)));
        json_object_set_new(c, "version", json_string(catalog_version(cat)));
        json_object_set_new(c, "title", json_string(catalog_title(cat)));
        json_object_set_new(o, "catalog", c);
        json_object_set_new(o, "catalog_recorded", json_boolean(recorded));
        return cli_print_json(o);
    }
    buf b;
    buf_init(&b);
    buf_printf(&b, "%s database %s (%s, schema version %d)\n", created ? "created" : "opened",
               store_location(db), store_backend(db), store_schema_version(db));
    if (recorded)
        buf_printf(&b, "recorded catalog %s version %s (%s) as the catalog it uses\n", catalog_id(cat),
                   catalog_version(cat), catalog_title(cat));
    else
        buf_printf(&b, "it already uses catalog %s version %s (%s); nothing changed\n", catalog_id(cat),
                   catalog_version(cat), catalog_title(cat));
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* itss init: see cli_init_help. */
int cli_init_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse(PROG, init_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_init_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos > 0)
        return cli_usage_error(PROG, init_usage, "unexpected argument '%s'", a.pos[0]);

    catalog *cat = cli_load_catalog(&a);
    if (!cat)
        return CLI_USAGE;
    const char *path = store_default_path(db_path);
    int is_file = strstr(path, "://") == NULL;
    int existed = !is_file || access(path, F_OK) == 0;
    store *db = cli_store_open(PROG, db_path, STORE_CREATE);
    if (!db) {
        catalog_free(cat);
        return CLI_REFUSED;
    }

    char *id = NULL, *version = NULL;
    err e;
    memset(&e, 0, sizeof e);
    int status = CLI_OK, recorded = 0;
    int rc = store_catalog_current(db, &id, &version, &e);
    if (rc < 0) {
        cli_error(PROG, "%s", e.message);
        status = CLI_REFUSED;
    } else if (rc == 1 && (strcmp(id, catalog_id(cat)) != 0 || strcmp(version, catalog_version(cat)) != 0)) {
        cli_error(PROG, "%s already uses catalog %s version %s, not %s version %s (%s); nothing changed",
                  store_location(db), id, version, catalog_id(cat), catalog_version(cat), catalog_name(cat));
        status = CLI_REFUSED;
    } else if (rc == 0) {
        if (store_catalog_use(db, catalog_id(cat), catalog_version(cat), catalog_title(cat), &e) < 0) {
            cli_store_error(PROG, &e, NULL);
            status = CLI_REFUSED;
        } else {
            recorded = 1;
        }
    }
    if (status == CLI_OK)
        status = report(&a, db, cat, !existed, recorded);
    store_close(db);
    if (status != CLI_OK && !existed)
        remove_created(path);
    free(id);
    free(version);
    catalog_free(cat);
    return status;
}
