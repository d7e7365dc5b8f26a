/* cli_report.c - `itss report person|org`: the personal diagnosis report and
 * the organization report as PDF (A4) and Excel files. The reports are built
 * by report_person.c and report_org.c and written by report_pdf.c and
 * report_xlsx.c, which the web's downloads share; this file parses the
 * arguments, finds what they name and writes the files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "cli_store.h"
#include "engine.h"
#include "policy.h"
#include "report_org.h"
#include "report_search.h"
#include "report_pdf.h"
#include "report_person.h"
#include "report_xlsx.h"
#include "results.h"
#include "store.h"

const char cli_report_help[] =
    "usage: itss report person EMPNO [--pdf FILE] [--xlsx FILE] [--cycle CYCLE] [--target SPEC:LEVEL]\n"
    "       itss report org --cycle CYCLE [--compare CYCLE] [--unit CODE] [--levels official|self]\n"
    "                       [--search NAME=QUERY] [--depth N|all] [--pdf FILE] [--xlsx FILE]\n"
    "\n"
    "Writes a report as PDF (A4, Japanese, page numbers, the filters on every page)\n"
    "and/or as an Excel workbook (a sheet per table, numbers as numbers).\n"
    "\n"
    "  person  個人診断レポート: the level of each specialization (self-assessed,\n"
    "          the manager's, official), why in the standard's wording, the radar\n"
    "          of proficiency per skill area against the target, the gap to the\n"
    "          target item by item, knowledge coverage and 社内認定 certificates.\n"
    "          --cycle: the latest by default; --target HW:5: the next level of the\n"
    "          specialization furthest along by default.\n"
    "  org     組織レポート: the 人材ポートフォリオ (chart and table), the movement\n"
    "          against --compare, the units along the org tree (each row counts\n"
    "          its whole subtree) and, in the workbook, everyone's levels.\n"
    "          --unit: the unit and the units below it (default: everyone).\n"
    "          --levels: official (the default: certified, else approved; an\n"
    "          assessment with neither is not counted) or self (self-assessed).\n"
    "          Also the skill map (proficiency by unit and skill area, knowledge\n"
    "          coverage by unit, area and category, the weakest categories).\n"
    "          --search 'HW3=spec=HW&level=3&word=ATM': a talent search as /search\n"
    "          takes it, its people as a section and a sheet named HW3.\n"
    "          --depth N: the PDF's 組織別 shows the units N levels deep (the top\n"
    "          units, or --unit's, are the first level; default 4), each unit at\n"
    "          the cut counting the units below it, with how many it summarizes;\n"
    "          all: every unit. The workbook's 組織別 sheet has every unit.\n"
    "\n"
    "options:\n"
    "  --pdf FILE       write the PDF here\n"
    "  --xlsx FILE      write the workbook here\n"
    "  --db PATH        the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --catalog FILE   the catalog (default: built in)\n"
    "  --policy FILE    the level-determination policy (default: built in)\n"
    "  --today DATE     official levels and certificates on this date (YYYY-MM-DD)\n"
    "\n"
    "exit status: 0 written, 2 bad usage or a file that cannot be written, 3 an unknown\n"
    "person, cycle or unit (or no assessment).\n";

static const char report_usage[] =
    "usage: itss report person EMPNO [--pdf FILE] [--xlsx FILE] [--cycle C] [--target SPEC:LEVEL]\n"
    "       itss report org --cycle C [--compare C] [--unit CODE] [--levels official|self] [--search NAME=QUERY]\n"
    "                       [--depth N|all] [--pdf F] [--xlsx F]\n";

/* The options of both reports. */
typedef struct report_args {
    const char *db, *pdf, *xlsx, *cycle, *compare, *unit, *levels, *target, *policy, *today, *search, *depth;
    cli_args a;
} report_args;

/* Writes d as the files asked for. CLI_OK, or CLI_USAGE after a message. */
static int write_files(const char *prog, const report_doc *d, const report_args *o)
{
    err e;
    memset(&e, 0, sizeof e);
    if (o->pdf && report_pdf_write(d, o->pdf, &e) < 0) {
        cli_error(prog, "%s: %s", o->pdf, e.message);
        return CLI_USAGE;
    }
    if (o->xlsx && report_xlsx_write(d, o->xlsx, &e) < 0) {
        cli_error(prog, "%s: %s", o->xlsx, e.message);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* itss report person EMPNO */
static int report_person(const char *prog, const report_args *o, store *db, const results_eval *ev)
{
    if (o->compare || o->unit || o->levels || o->depth)
        return cli_usage_error(prog, report_usage, "--compare, --unit, --levels and --depth are for the org report");
    store_person p;
    if (cli_find_person(prog, db, o->a.pos[1], NULL, &p) != 1)
        return CLI_REFUSED;
    report_person_query q = { o->cycle, o->target, o->today };
    report_doc d;
    err e;
    memset(&e, 0, sizeof e);
    results_status st = report_person_build(db, ev, NULL, p.id, &q, &d, &e);
    int rc = CLI_OK;
    if (st == RESULTS_FAILED) {
        cli_error(prog, "%s", e.message);
        rc = CLI_REFUSED;
    } else if (st == RESULTS_NO_CYCLE) {
        cli_error(prog, "--cycle: no cycle '%s'", o->cycle);
        rc = CLI_REFUSED;
    } else if (st == RESULTS_NO_ASSESSMENT_IN_CYCLE) {
        cli_error(prog, "%s has no assessment%s%s", p.employee_number, o->cycle ? " in " : "", o->cycle ? o->cycle : "");
        rc = CLI_REFUSED;
    } else if (st == RESULTS_BAD_TARGET || st == RESULTS_BAD_TARGET_LEVEL || st == RESULTS_BAD_SPEC) {
        rc = cli_usage_error(prog, report_usage, "--target '%s': %s", o->target,
                             st == RESULTS_BAD_TARGET_LEVEL ? "that specialization has no such level"
                                                            : "give SPEC:LEVEL, as HW:5");
    } else
        rc = write_files(prog, &d, o);
    report_doc_free(&d);
    store_person_clear(&p);
    return rc;
}

/* itss report org --cycle C */
static int report_org(const char *prog, const report_args *o, store *db, const results_eval *ev)
{
    if (o->target || o->a.n_pos != 1)
        return cli_usage_error(prog, report_usage, o->target ? "--target is for the person report"
                                                             : "unexpected argument '%s'", o->a.pos[1]);
    if (!o->cycle)
        return cli_usage_error(prog, report_usage, "the org report needs --cycle");
    if (o->levels && strcmp(o->levels, "official") != 0 && strcmp(o->levels, "self") != 0)
        return cli_usage_error(prog, report_usage, "unknown --levels '%s'; official or self", o->levels);
    report_org_query q;
    memset(&q, 0, sizeof q);
    if (o->depth && report_org_depth_parse(o->depth, &q.depth) < 0)
        return cli_usage_error(prog, report_usage, "--depth '%s': give a number of levels from 1 to %d, or all", o->depth,
                               REPORT_ORG_DEPTH_MAX);
    q.self = o->levels && strcmp(o->levels, "self") == 0;
    q.today = o->today;
    store_cycle c;
    if (cli_find_cycle(prog, db, o->cycle, "--cycle", &c) != 1)
        return CLI_REFUSED;
    q.cycle_id = c.id;
    store_cycle_clear(&c);
    if (o->compare) {
        if (cli_find_cycle(prog, db, o->compare, "--compare", &c) != 1)
            return CLI_REFUSED;
        q.compare_cycle_id = c.id;
        store_cycle_clear(&c);
    }
    if (o->unit) {
        store_org_unit u;
        if (cli_find_org(prog, db, o->unit, "--unit", &u) != 1)
            return CLI_REFUSED;
        q.org_unit_id = u.id;
        store_org_unit_clear(&u);
    }
    char *name = NULL;
    const char *query = NULL;
    if (o->search) {
        const char *eq = strchr(o->search, '=');
        if (!eq || eq == o->search)
            return cli_usage_error(prog, report_usage, "--search '%s': give NAME=QUERY, as HW3=spec=HW&level=3", o->search);
        name = strndup(o->search, (size_t)(eq - o->search));
        query = eq + 1;
        report_search s;
        err bad;
        memset(&bad, 0, sizeof bad);
        int ok = report_search_parse(ev->catalog, name, query, &s, &bad) == 0;
        report_search_free(&s);
        if (!ok) {
            free(name);
            return cli_usage_error(prog, report_usage, "--search: %s", bad.message);
        }
        q.search_names = (const char *const *)&name;
        q.search_queries = &query;
        q.n_searches = 1;
    }
    report_doc d;
    err e;
    memset(&e, 0, sizeof e);
    int rc = report_org_build(db, ev->catalog, ev->policy, &q, &d, &e);
    free(name);
    if (rc != 0) {
        cli_error(prog, "%s", e.message);
        rc = CLI_REFUSED;
    } else
        rc = write_files(prog, &d, o);
    report_doc_free(&d);
    return rc;
}

int cli_report_main(const cli_command *cmd, int argc, char **argv)
{
    const char *prog = "itss report";
    report_args o;
    memset(&o, 0, sizeof o);
    const cli_option options[] = {
        { "--db", &o.db, NULL },         { "--pdf", &o.pdf, NULL },       { "--xlsx", &o.xlsx, NULL },
        { "--cycle", &o.cycle, NULL },   { "--compare", &o.compare, NULL }, { "--unit", &o.unit, NULL },
        { "--levels", &o.levels, NULL }, { "--target", &o.target, NULL }, { "--policy", &o.policy, NULL },
        { "--today", &o.today, NULL },   { "--search", &o.search, NULL }, { "--depth", &o.depth, NULL },
        { NULL, NULL, NULL },
    };
    (void)cmd;
    if (cli_parse(prog, report_usage, argc - 1, argv + 1, options, &o.a) != CLI_OK)
        return CLI_USAGE;
    if (o.a.help) {
        fputs(cli_report_help, stdout);
        return CLI_OK;
    }
    int person = o.a.n_pos >= 1 && strcmp(o.a.pos[0], "person") == 0;
    if (!person && !(o.a.n_pos >= 1 && strcmp(o.a.pos[0], "org") == 0))
        return cli_usage_error(prog, report_usage, o.a.n_pos ? "unknown report '%s'; person or org"
                                                             : "which report: person or org%s", o.a.n_pos ? o.a.pos[0] : "");
    if (person && o.a.n_pos != 2)
        return cli_usage_error(prog, report_usage, "the person report needs one employee number");
    if (!o.pdf && !o.xlsx)
        return cli_usage_error(prog, report_usage, "nothing to write: give --pdf FILE and/or --xlsx FILE");
    catalog *cat = cli_load_catalog(&o.a);
    if (!cat)
        return CLI_USAGE;
    err_list errors;
    memset(&errors, 0, sizeof errors);
    policy *pol = o.policy ? policy_load_file(o.policy, &errors) : policy_load_builtin(&errors);
    if (!pol) {
        cli_print_errors(&errors);
        cli_error(prog, "cannot use policy %s", o.policy ? o.policy : "built in");
        catalog_free(cat);
        return CLI_USAGE;
    }
    results_eval ev;
    memset(&ev, 0, sizeof ev);
    ev.catalog = cat;
    ev.policy = pol;
    ev.engine = engine_new(cat, pol);
    snprintf(ev.policy_key, sizeof ev.policy_key, "%s@%s", pol->id, pol->version);
    store *db = cli_store_open(prog, o.db, 0);
    int rc = db ? cli_store_check_catalog(prog, db, cat) : CLI_REFUSED;
    if (rc == CLI_OK)
        rc = person ? report_person(prog, &o, db, &ev) : report_org(prog, &o, db, &ev);
    if (db)
        store_close(db);
    engine_free((engine *)ev.engine);
    policy_free(pol);
    catalog_free(cat);
    return rc;
}
