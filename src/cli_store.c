/* cli_store.c - plumbing the commands over the database share (see cli_store.h):
 * opening the store, matching the catalog, finding what arguments name, and
 * printing the store's refusals in the terms of the command line. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli_store.h"

/* Opens the database --db, $ITSS_DB or ./itss.db names; NULL after a message. */
store *cli_store_open(const char *prog, const char *db_option, int flags)
{
    const char *path = store_default_path(db_option);
    err e;
    memset(&e, 0, sizeof e);
    store *db = store_open(path, flags, &e);
    if (!db)
        cli_error(prog, "%s: %s", e.where[0] ? e.where : path, e.message);   /* e.where hides a password */
    return db;
}

/* Is the database's catalog (recorded by itss init) the one in hand? */
int cli_store_check_catalog(const char *prog, store *db, const catalog *cat)
{
    char *id = NULL, *version = NULL;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_catalog_current(db, &id, &version, &e);
    if (rc < 0) {
        cli_error(prog, "%s", e.message);
        return CLI_REFUSED;
    }
    if (rc == 0) {
        cli_error(prog, "%s records no catalog yet; run itss init first", store_location(db));
        return CLI_REFUSED;
    }
    int status = CLI_OK;
    if (strcmp(id, catalog_id(cat)) != 0 || strcmp(version, catalog_version(cat)) != 0) {
        cli_error(prog, "%s uses catalog %s version %s, but the catalog given (%s) is %s version %s; "
                        "use --catalog with the database's catalog",
                  store_location(db), id, version, catalog_name(cat), catalog_id(cat), catalog_version(cat));
        status = CLI_USAGE;
    }
    free(id);
    free(version);
    return status;
}

/* Prints "PROG: ARG: message" with the field mapped to its argument. */
void cli_store_error(const char *prog, const err *e, const char *const *map)
{
    const char *field = e->path[0] ? e->path : NULL;
    for (size_t i = 0; field && map && map[i] && map[i + 1]; i += 2)
        if (strcmp(map[i], field) == 0) {
            field = map[i + 1];
            break;
        }
    if (field)
        cli_error(prog, "%s: %s", field, e->message);
    else
        cli_error(prog, "%s", e->message);
}

/* The store's "no such ..." message, or its failure, with the argument's name. */
static void not_found(const char *prog, const err *e, const char *arg)
{
    if (arg)
        cli_error(prog, "%s: %s", arg, e->message);
    else
        cli_error(prog, "%s", e->message);
}

/* Finds a person by employee number; see cli_store.h. */
int cli_find_person(const char *prog, store *db, const char *empno, const char *arg, store_person *out)
{
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_person_find(db, empno, out, &e);
    if (rc != 1)
        not_found(prog, &e, arg);
    return rc;
}

/* Finds an org unit by code; see cli_store.h. */
int cli_find_org(const char *prog, store *db, const char *code, const char *arg, store_org_unit *out)
{
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_org_find(db, code, out, &e);
    if (rc != 1)
        not_found(prog, &e, arg);
    return rc;
}

/* Finds a cycle by name; see cli_store.h. */
int cli_find_cycle(const char *prog, store *db, const char *name, const char *arg, store_cycle *out)
{
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_cycle_find(db, name, out, &e);
    if (rc != 1)
        not_found(prog, &e, arg);
    return rc;
}

/* The assessment of person in --cycle or the latest cycle; see cli_store.h. */
int cli_find_assessment(const char *prog, store *db, const store_person *person, const char *cycle_option,
                        store_assessment *out)
{
    err e;
    memset(&e, 0, sizeof e);
    memset(out, 0, sizeof *out);
    if (cycle_option) {
        store_cycle c;
        int rc = cli_find_cycle(prog, db, cycle_option, "--cycle", &c);
        if (rc != 1)
            return rc;
        rc = store_assessment_find(db, person->id, c.id, out, &e);
        if (rc == 0)
            cli_error(prog, "%s has no assessment in %s", person->employee_number, c.name);
        else if (rc < 0)
            cli_error(prog, "%s", e.message);
        store_cycle_clear(&c);
        return rc;
    }
    store_assessment_filter f;
    store_assessment_list l;
    memset(&f, 0, sizeof f);
    f.person_id = person->id;
    f.status = -1;
    f.limit = 1;
    if (store_assessment_list_filter(db, &f, &l, &e) < 0) {
        cli_error(prog, "%s", e.message);
        return -1;
    }
    int found = l.count > 0;
    if (found) {
        *out = l.items[0];
        memset(&l.items[0], 0, sizeof l.items[0]);
    } else {
        cli_error(prog, "%s has no assessment yet (itss assess %s, or itss assess %s --from FILE)",
                  person->employee_number, person->employee_number, person->employee_number);
    }
    store_assessment_list_free(&l);
    return found;
}

/* The specialization arg names, or NULL after a message listing them. */
const catalog_spec *cli_find_spec(const char *prog, const catalog *cat, const char *arg, const char *option)
{
    const catalog_spec *s = catalog_spec_find(cat, arg);
    if (s && !s->is_common)
        return s;
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < catalog_spec_count(cat); i++) {
        const catalog_spec *v = catalog_spec_at(cat, i);
        buf_printf(&b, "%s%s (%s)", i ? ", " : "", v->code, v->name);
    }
    if (s)
        cli_error(prog, "%s: %s is a block of common levels, not a specialization; use one of: %s", option,
                  s->name, b.data ? b.data : "");
    else
        cli_error(prog, "%s: unknown specialization '%s'; use one of: %s", option, arg, b.data ? b.data : "");
    buf_free(&b);
    return NULL;
}

/* A positive whole number given to option, or 0 after a message. */
int64_t cli_parse_count(const char *prog, const char *option, const char *arg)
{
    char *end;
    long long v = strtoll(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || v <= 0 || v > 1000000000LL) {
        cli_error(prog, "%s: '%s' is not a positive whole number", option, arg);
        return 0;
    }
    return (int64_t)v;
}

/* The names of unit id and the units above it, from the top, joined by " > ". */
char *cli_org_path(store *db, int64_t id)
{
    char *names[64];
    int n = 0;
    err e;
    while (id != 0 && n < 64) {
        store_org_unit u;
        if (store_org_get(db, id, &u, &e) != 1)
            break;
        names[n++] = u.name;
        u.name = NULL;
        id = u.parent_id;
        store_org_unit_clear(&u);
    }
    buf b;
    buf_init(&b);
    for (int i = n - 1; i >= 0; i--) {
        buf_printf(&b, "%s%s", i < n - 1 ? " > " : "", names[i]);
        free(names[i]);
    }
    return buf_detach(&b);
}
