/* cli_certify.c - itss certify: 社内認定 from the command line (docs/review.md).
 *
 *   itss certify EMPNO --spec HW [--cycle C] [--from D] [--until D]
 *   itss certify list [EMPNO] [--expiring DAYS] [--json]
 *   itss certify revoke NUMBER --reason TEXT
 *
 * The rules are review.h's, the same as the web's; the command line is the
 * operator's and records itself ("cli:USER") as the actor. */
#include "cli.h"
#include "cli_store.h"
#include "policy.h"
#include "review.h"
#include "store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char cli_certify_help[] =
    "usage: itss certify EMPNO --spec SPEC [--cycle CYCLE] [--from YYYY-MM-DD] [--until YYYY-MM-DD]\n"
    "       itss certify list [EMPNO] [--expiring DAYS] [--json]\n"
    "       itss certify revoke NUMBER --reason TEXT\n"
    "       [--db PATH] [--catalog FILE]\n"
    "\n"
    "社内認定 (in-house certification) of an approved level (docs/review.md).\n"
    "\n"
    "  EMPNO          certifies the level of specialization SPEC that the approval of\n"
    "                 the person's assessment (of --cycle, else the latest) froze; the\n"
    "                 assessment must be approved and reach a level there. Prints the\n"
    "                 certificate's number. The validity starts --from (default today)\n"
    "                 and ends --until (default from the policy: the end of the next\n"
    "                 cycle)\n"
    "  list [EMPNO]   the certificates (of EMPNO), newest first, with their state:\n"
    "                 valid, expired, revoked; --expiring DAYS only those valid today\n"
    "                 that end within DAYS days\n"
    "  revoke NUMBER  revokes a certificate; --reason is required\n"
    "\n"
    "The actor recorded is cli:$USER.\n"
    "exit status: 0 done, 3 refused (not approved, already certified or revoked,\n"
    "unknown person or number, dates), 2 bad usage.\n";

static const char usage[] =
    "usage: itss certify EMPNO --spec SPEC [--cycle C] [--from D] [--until D] | list [EMPNO] [--expiring DAYS] | "
    "revoke NUMBER --reason TEXT\n";

/* "cli:USER" into out. */
static const char *actor(char *out, size_t size)
{
    const char *user = getenv("USER");
    snprintf(out, size, "cli:%s", user && *user ? user : "operator");
    return out;
}

/* Prints a refusal of review.h; the exit status. */
static int refused(const char *prog, int rc, const err *e)
{
    if (rc < 0)
        cli_error(prog, "%s", e->message);
    else
        cli_error(prog, "%s%s%s", e->path[0] ? e->path : "", e->path[0] ? ": " : "", e->message);
    return CLI_REFUSED;
}

/* itss certify list. */
static int list(const char *prog, store *db, const cli_args *a, const char *empno, const char *expiring)
{
    store_certificate_filter f;
    memset(&f, 0, sizeof f);
    store_person p;
    memset(&p, 0, sizeof p);
    if (empno) {
        if (cli_find_person(prog, db, empno, NULL, &p) != 1)
            return CLI_REFUSED;
        f.person_id = p.id;
        store_person_clear(&p);
    }
    char today[11], until[11];
    review_today(today);
    long days = -1;
    if (expiring) {
        char *end;
        days = strtol(expiring, &end, 10);
        if (*end || days < 0 || days > 3650) {
            cli_error(prog, "--expiring: '%s' is not a number of days (0 to 3650)", expiring);
            return CLI_USAGE;
        }
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        tm.tm_year = atoi(today) - 1900;
        tm.tm_mon = atoi(today + 5) - 1;
        tm.tm_mday = atoi(today + 8) + (int)days;
        tm.tm_hour = 12;
        timegm(&tm);
        strftime(until, sizeof until, "%Y-%m-%d", &tm);
        f.valid_on = today;
        f.until_before = until;
    }
    store_certificate_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_certificate_list_filter(db, &f, &l, &e) < 0)
        return refused(prog, -1, &e);
    if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++) {
            const store_certificate *c = &l.items[i];
            json_t *o = json_object();
            json_object_set_new(o, "number", json_string(c->number));
            json_object_set_new(o, "employee_number", json_string(c->employee_number));
            json_object_set_new(o, "name", json_string(c->person_name));
            json_object_set_new(o, "specialization", json_string(c->specialization_id));
            json_object_set_new(o, "level", json_integer(c->level));
            json_object_set_new(o, "cycle", json_string(c->cycle));
            json_object_set_new(o, "valid_from", json_string(c->valid_from));
            json_object_set_new(o, "valid_until", json_string(c->valid_until));
            json_object_set_new(o, "state", json_string(review_certificate_state(c, today)));
            json_array_append_new(arr, o);
        }
        cli_print_json(arr);           /* releases arr */
    } else {
        for (size_t i = 0; i < l.count; i++) {
            const store_certificate *c = &l.items[i];
            printf("%s  %s %s  %s L%d  %s..%s  %s\n", c->number, c->employee_number, c->person_name,
                   c->specialization_id, c->level, c->valid_from, c->valid_until,
                   review_certificate_state(c, today));
        }
    }
    store_certificate_list_free(&l);
    return CLI_OK;
}

/* itss certify: see cli_certify_help. */
int cli_certify_main(const cli_command *cmd, int argc, char **argv)
{
    const char *prog = "itss certify";
    const char *db_path = NULL, *spec = NULL, *cycle = NULL, *from = NULL, *until = NULL, *reason = NULL,
               *expiring = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL },       { "--spec", &spec, NULL },   { "--cycle", &cycle, NULL },
        { "--from", &from, NULL },        { "--until", &until, NULL }, { "--reason", &reason, NULL },
        { "--expiring", &expiring, NULL }, { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse(prog, usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_certify_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos < 1)
        return cli_usage_error(prog, usage, "a person's employee number, list or revoke is needed%s", "");
    const char *what = a.pos[0];
    int is_list = strcmp(what, "list") == 0, is_revoke = strcmp(what, "revoke") == 0;
    if ((is_list && a.n_pos > 2) || (is_revoke && a.n_pos != 2) || (!is_list && !is_revoke && a.n_pos != 1))
        return cli_usage_error(prog, usage, "unexpected arguments after '%s'", what);
    if (!is_list && !is_revoke && !spec)
        return cli_usage_error(prog, usage, "--spec is required: which specialization's approved level%s", "");
    if (is_revoke && !reason)
        return cli_usage_error(prog, usage, "--reason is required to revoke a certificate%s", "");
    catalog *cat = cli_load_catalog(&a);
    if (!cat)
        return CLI_USAGE;
    err_list *errors = calloc(1, sizeof *errors);
    policy *pol = errors ? policy_load_builtin(errors) : NULL;
    free(errors);
    store *db = pol ? cli_store_open(prog, db_path, 0) : NULL;
    int status = db ? cli_store_check_catalog(prog, db, cat) : CLI_REFUSED;
    char who[128];
    err e;
    memset(&e, 0, sizeof e);
    if (status == CLI_OK && is_list) {
        status = list(prog, db, &a, a.n_pos == 2 ? a.pos[1] : NULL, expiring);
    } else if (status == CLI_OK && is_revoke) {
        int rc = review_revoke(db, a.pos[1], actor(who, sizeof who), reason, &e);
        if (rc == REVIEW_E_NOT_FOUND)
            cli_error(prog, "no certificate numbered %s", a.pos[1]), status = CLI_REFUSED;
        else if (rc != 0)
            status = refused(prog, rc, &e);
        else
            printf("certificate %s revoked\n", a.pos[1]);
    } else if (status == CLI_OK) {
        store_person p;
        store_assessment as;
        if (cli_find_person(prog, db, what, NULL, &p) != 1) {
            status = CLI_REFUSED;
        } else {
            if (cli_find_assessment(prog, db, &p, cycle, &as) != 1) {
                status = CLI_REFUSED;
            } else {
                char today[11];
                review_today(today);
                store_certificate c;
                int rc = review_certify(db, cat, pol, as.id, spec, today, from, until, actor(who, sizeof who), &c,
                                        &e);
                if (rc != 0) {
                    status = refused(prog, rc, &e);
                } else {
                    printf("%s  %s %s  %s レベル%d  %s..%s\n", c.number, c.employee_number, c.person_name,
                           c.specialization_id, c.level, c.valid_from, c.valid_until);
                    store_certificate_clear(&c);
                }
                store_assessment_clear(&as);
            }
            store_person_clear(&p);
        }
    }
    store_close(db);
    policy_free(pol);
    catalog_free(cat);
    return status;
}
