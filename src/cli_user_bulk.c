/* cli_user_bulk.c - `itss user bulk` (accounts for many people at once, each
 * with a one-time sign-in link) and `itss user reset` (an administrator's
 * password reset by link). accounts.h does the work; this file reads the
 * options and writes the links as CSV (docs/csv.md, "accounts"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "cli.h"
#include "store.h"

const char cli_user_bulk_usage[] =
    "usage: itss user bulk --unit CODE [--sub-units] [--role ROLE|auto] [--days N] [--public-url URL] [--mail]\n"
    "                      [--dry-run]\n"
    "       itss user bulk --csv FILE [--encoding auto|utf-8|cp932] [--role ROLE|auto] [--days N] [--public-url URL]\n"
    "                      [--mail] [--dry-run]\n"
    "       itss user reset LOGIN [--days N] [--public-url URL] [--mail]\n"
    "       [--db PATH]; itss help user for more\n";

/* Options of bulk and reset. */
typedef struct bulk_args {
    const char *prog, *db, *unit, *csv, *encoding, *role, *days, *base_url;
    int sub_units, dry_run, mail;
    cli_args a;
} bulk_args;

/* Prints the links (or, dry run, who would get one) as CSV on stdout, and a
 * summary on stderr. */
static int print_links(const bulk_args *x, const accounts_result *r)
{
    buf b;
    buf_init(&b);
    accounts_csv(r, x->base_url, &b);
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    fprintf(stderr, "%s: %zu account%s %s, %zu skipped (they have one)%s%zu left the organization\n", x->prog,
            r->n_made, r->n_made == 1 ? "" : "s", x->dry_run ? "would be made (dry run: nothing written, no link works)"
                                                              : "made, each with a one-time sign-in link",
            r->n_skipped, ", ", r->n_left);
    return rc;
}

/* The org unit of --unit: its id, or 0 after a message. */
static int64_t unit_id(const bulk_args *x, store *s, int *status)
{
    store_org_unit u;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_org_find(s, x->unit, &u, &e);
    if (rc != 1) {
        cli_error(x->prog, "--unit: %s", rc == 0 ? "no such org unit" : e.message);
        *status = rc == 0 ? CLI_NOT_FOUND : CLI_USAGE;
        return 0;
    }
    int64_t id = u.id;
    store_org_unit_clear(&u);
    return id;
}

/* itss user bulk */
static int run_bulk(const bulk_args *x, store *s, const accounts_options *o)
{
    accounts_result r;
    err_list *errors = calloc(1, sizeof *errors);
    err e;
    memset(&e, 0, sizeof e);
    int rc, status = CLI_OK;
    if (x->unit) {
        int64_t id = unit_id(x, s, &status);
        if (!id) {
            free(errors);
            return status;
        }
        rc = accounts_for_unit(s, id, x->sub_units, o, &r, errors, &e);
    } else {
        int enc = x->encoding ? csv_encoding_parse(x->encoding) : CSV_AUTO;
        if (enc < 0) {
            free(errors);
            return cli_usage_error(x->prog, cli_user_bulk_usage, "--encoding: auto, utf-8 or cp932");
        }
        csv_reader *csv = csv_open_file(x->csv, x->csv, (csv_encoding)enc, &e);
        if (!csv) {
            cli_error(x->prog, "%s", e.message);
            free(errors);
            return CLI_USAGE;
        }
        rc = accounts_from_csv(s, csv, x->csv, o, &r, errors, &e);
        csv_close(csv);
    }
    if (rc < 0) {
        cli_error(x->prog, "nothing written: %s", e.message);
        status = CLI_USAGE;
    } else if (rc > 0) {
        cli_print_errors(errors);
        cli_error(x->prog, "nothing written");
        status = CLI_REFUSED;
    } else
        status = print_links(x, &r);
    if (rc >= 0)
        accounts_result_free(&r);
    free(errors);
    return status;
}

/* itss user reset LOGIN */
static int run_reset(const bulk_args *x, store *s, const accounts_options *o)
{
    store_user u;
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_user_find(s, x->a.pos[1], &u, &e);
    if (rc != 1) {
        cli_error(x->prog, "%s", e.message);
        return rc == 0 ? CLI_NOT_FOUND : CLI_USAGE;
    }
    accounts_entry link;
    rc = accounts_reset(s, u.id, o, &link, &e);
    store_user_clear(&u);
    if (rc < 0) {
        cli_error(x->prog, "nothing changed: %s", e.message);
        return CLI_REFUSED;
    }
    accounts_result one = { &link, 1, NULL, 0, 0 };
    buf b;
    buf_init(&b);
    accounts_csv(&one, x->base_url, &b);
    rc = cli_write(&b, stdout);
    buf_free(&b);
    fprintf(stderr, "%s: the password of %s is reset: sessions ended, API tokens deleted; the link works once, "
                    "until %s\n", x->prog, link.login, link.expires_at);
    accounts_entry_clear(&link);
    return rc;
}

/* Checks the options of bulk and reset against each other: CLI_OK or after a message. */
static int check_args(bulk_args *x, int reset)
{
    const char *u = cli_user_bulk_usage;
    if (reset && x->a.n_pos != 2)
        return cli_usage_error(x->prog, u, x->a.n_pos < 2 ? "missing LOGIN" : "unexpected argument '%s'",
                               x->a.n_pos < 2 ? "" : x->a.pos[2]);
    if (reset && (x->unit || x->csv || x->role || x->sub_units || x->dry_run || x->encoding))
        return cli_usage_error(x->prog, u, "reset takes LOGIN, --days, --public-url and --mail");
    if (!reset && x->a.n_pos != 1)
        return cli_usage_error(x->prog, u, "unexpected argument '%s'", x->a.pos[1]);
    if (!reset && !x->unit == !x->csv)
        return cli_usage_error(x->prog, u, "give either --unit CODE or --csv FILE");
    if (x->sub_units && !x->unit)
        return cli_usage_error(x->prog, u, "--sub-units goes with --unit");
    if (x->a.json || x->a.catalog_path)
        return cli_usage_error(x->prog, u, "--json and --catalog are not for %s", reset ? "reset" : "bulk");
    return CLI_OK;
}

int cli_user_bulk_main(int argc, char **argv)
{
    int reset = strcmp(argv[0], "reset") == 0;
    bulk_args x;
    memset(&x, 0, sizeof x);
    x.prog = reset ? "itss user reset" : "itss user bulk";
    const cli_option extra[] = {
        { "--db", &x.db, NULL },         { "--unit", &x.unit, NULL },        { "--sub-units", NULL, &x.sub_units },
        { "--csv", &x.csv, NULL },       { "--encoding", &x.encoding, NULL }, { "--role", &x.role, NULL },
        { "--days", &x.days, NULL },     { "--public-url", &x.base_url, NULL }, { "--dry-run", NULL, &x.dry_run },
        { "--mail", NULL, &x.mail },
        { NULL, NULL, NULL },
    };
    if (cli_parse(x.prog, cli_user_bulk_usage, argc, argv, extra, &x.a) != CLI_OK)
        return CLI_USAGE;
    if (check_args(&x, reset) != CLI_OK)
        return CLI_USAGE;
    accounts_options o;
    memset(&o, 0, sizeof o);
    o.role = x.role;
    o.dry_run = x.dry_run;
    o.mail = x.mail;
    if (x.days) {
        char *end;
        long d = strtol(x.days, &end, 10);
        if (*end || d < 1 || d > ACCOUNTS_LINK_DAYS_MAX)
            return cli_usage_error(x.prog, cli_user_bulk_usage, "--days: a number of days from 1 to %d",
                                   ACCOUNTS_LINK_DAYS_MAX);
        o.days = (int)d;
    }
    if (!x.base_url)
        x.base_url = getenv("ITSS_PUBLIC_URL");
    if (!x.base_url || !*x.base_url)
        x.base_url = "http://localhost:8080";
    const char *user = getenv("USER");
    char actor[128];
    snprintf(actor, sizeof actor, "cli:%s", user && *user ? user : "?");
    o.actor = actor;
    err e;
    memset(&e, 0, sizeof e);
    store *s = store_open(store_default_path(x.db), 0, &e);
    if (!s) {
        cli_error(x.prog, "%s", e.message);
        return CLI_USAGE;
    }
    int rc = reset ? run_reset(&x, s, &o) : run_bulk(&x, s, &o);
    store_close(s);
    return rc;
}
