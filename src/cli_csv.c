/* cli_csv.c - `itss import`, `itss export` and `itss template`: people and
 * assessments through CSV (and JSON) on the command line. The work is done by
 * import.c and export.c, which the web's upload and download pages share; this
 * file parses arguments, opens the database and the file, draws the progress bar
 * and prints the errors and the summary. Column layouts: docs/csv.md. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "cli.h"
#include "cli_store.h"
#include "csv.h"
#include "export.h"
#include "import.h"
#include "policy.h"
#include "store.h"

const char cli_import_help[] =
    "usage: itss import people FILE [--full] [--dry-run] [--encoding auto|utf-8|cp932] [--db PATH]\n"
    "       itss import assessments FILE [--dry-run] [--encoding ...] [--db PATH] [--catalog FILE]\n"
    "       itss import experience FILE [--dry-run] [--encoding ...] [--db PATH] [--catalog FILE]\n"
    "       itss import training-results FILE [--dry-run] [--encoding ...] [--db PATH]\n"
    "\n"
    "Reads people, assessment answers or experience records from a CSV file\n"
    "(layouts: docs/csv.md; a header and an example row: itss template\n"
    "people|assessments|experience).\n"
    "\n"
    "  people       one row per person: employee_number,name,kana,email,\n"
    "               org_unit_code,manager_employee_number,left_on. A new employee\n"
    "               number adds the person; a known one updates them (name, unit,\n"
    "               manager...: the columns the file has). left_on (退職日) marks a\n"
    "               leaver, an empty one a person back; with --full the file is\n"
    "               the whole organization and the people it does not list leave\n"
    "               today. Leavers stay in every history and leave the current\n"
    "               views. --dry-run prints every change: added, updated (field\n"
    "               old -> new), leaving. Managers may be people of the same file.\n"
    "  assessments  one row per answer: employee_number,cycle,element_id,rater,\n"
    "               value,evidence (optional columns: catalog_version, text).\n"
    "               value is 1 (met) or 0 (not met), or for a knowledge item the\n"
    "               rating 0 to 4; rater is self (the default) or manager. Answers\n"
    "               not in the file are kept.\n"
    "  training-results  completions from a learning system (LMS): employee_number,\n"
    "               course_code,completed_on,grade; each marks done the person's\n"
    "               plan actions for that course (itss plan, docs/plans.md).\n"
    "  experience   one row per experience record: employee_number,project,from,\n"
    "               to,role,specialization,level,succeeded,complexity,size,\n"
    "               description; complexity and size list checklist items of the\n"
    "               specialization at that level (ids or numbers, ';' between).\n"
    "               A row with the project, from, specialization and level of a\n"
    "               record the person has replaces it; others add a record.\n"
    "\n"
    "The file may be UTF-8 (with or without a byte order mark) or CP932 (Shift_JIS,\n"
    "as Japanese Excel saves \"CSV\"); the encoding is detected unless --encoding\n"
    "says it. The import is one transaction: with any error nothing is written.\n"
    "Errors are printed as FILE:LINE:COLUMN: reason (the first 100).\n"
    "\n"
    "options:\n"
    "  --dry-run        check everything, write nothing (people: list the changes)\n"
    "  --full           people: the file lists everyone; the others leave today\n"
    "  --encoding ENC   auto (the default), utf-8 or cp932\n"
    "  --db PATH        the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --catalog FILE   the catalog answers are checked against (default: built in)\n"
    "  --json           print the summary as JSON\n"
    "\n"
    "A progress bar is shown on a terminal for files over 1 MB.\n"
    "exit status: 0 imported (or checked), 3 errors in the file (nothing written),\n"
    "2 bad usage, or a catalog the database does not have.\n";

const char cli_export_help[] =
    "usage: itss export people|assessments|levels [--format csv|json] [--cycle CYCLE]\n"
    "                   [--levels official|self] [--headers ja|en] [--db PATH] [--catalog FILE]\n"
    "                   [--policy FILE]\n"
    "\n"
    "Writes to standard output, in the layouts itss import reads (docs/csv.md):\n"
    "\n"
    "  people       every person, by employee number\n"
    "  assessments  every answer, one row per answer (with --format json, one\n"
    "               object per assessment)\n"
    "  levels       per assessment: employee number, name, org unit, cycle, status,\n"
    "               level_kind and the level of each specialization (0: 未到達):\n"
    "               by default the official level (certified, where a certificate\n"
    "               is valid today, else approved: frozen at approval), for the\n"
    "               assessments that have one; with --levels self, the level the\n"
    "               engine decides from the self-assessment under the default\n"
    "               policy (or --policy FILE), for every assessment\n"
    "\n"
    "CSV is UTF-8 with a byte order mark and CRLF line ends, so that Japanese Excel\n"
    "opens it; a text that a spreadsheet would run as a formula (starting with\n"
    "= + - @) is written with a leading apostrophe, which itss import removes.\n"
    "\n"
    "options:\n"
    "  --format FMT     csv (the default) or json (--json is the same)\n"
    "  --headers ja     CSV for people to read: Japanese column names (社員番号,\n"
    "                   氏名, ...), statuses in Japanese and level 0 as 未到達\n"
    "                   (itss import reads only the default English headers)\n"
    "  --cycle CYCLE    assessments and levels of this cycle only\n"
    "  --db PATH        the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --catalog FILE   the catalog (must be the one the database uses)\n"
    "  --policy FILE    levels: the level-determination policy (default: built in)\n"
    "  --levels KIND    levels: official (the default) or self\n"
    "\n"
    "exit status: 0 done, 3 unknown cycle or a database that cannot be read,\n"
    "2 bad usage.\n";

const char cli_template_help[] =
    "usage: itss template people|assessments|experience [--catalog FILE]\n"
    "\n"
    "Writes a CSV file with the header itss import reads and one example row, to\n"
    "fill in Excel (UTF-8 with BOM, CRLF). The assessments template shows the\n"
    "standard's wording of the example item in the text column, which import\n"
    "ignores.\n"
    "\n"
    "exit status: 0 done, 2 bad usage.\n";

static const char import_usage[] =
    "usage: itss import people|assessments|experience FILE [--dry-run] [--full] [--encoding auto|utf-8|cp932]\n"
    "       [--db PATH]\n";
static const char export_usage[] =
    "usage: itss export people|assessments|levels [--format csv|json] [--cycle CYCLE] [--headers ja|en] [--db PATH]\n";
static const char template_usage[] = "usage: itss template people|assessments|experience\n";

/* ---- progress on a terminal ---- */

typedef struct progress {
    int on;
    int shown;                 /* percent last drawn */
} progress;

/* Shows progress when stderr is a terminal and the file is over 1 MB. */
static void progress_start(progress *p, const csv_reader *r)
{
    p->on = isatty(STDERR_FILENO) && csv_reader_size(r) > 1000u * 1000u;
    p->shown = -1;
}

/* Redraws the bar when the percentage moved (import_options.progress). */
static void progress_update(const csv_reader *r, long rows, void *ctx)
{
    progress *p = ctx;
    if (!p->on)
        return;
    uint64_t size = csv_reader_size(r);
    int pct = size ? (int)(csv_reader_offset(r) * 100 / size) : 0;
    if (pct > 100)
        pct = 100;
    if (pct == p->shown)
        return;
    p->shown = pct;
    char bar[41];
    int fill = pct * 40 / 100;
    for (int i = 0; i < 40; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[40] = '\0';
    fprintf(stderr, "\r%s [%s] %3d%%  %ld rows", csv_reader_where(r), bar, pct, rows);
    fflush(stderr);
}

/* Clears the bar's line. */
static void progress_end(progress *p)
{
    if (p->on && p->shown >= 0) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

/* The summary of a finished import, as text or JSON, on stdout. */
static int import_report(const import_summary *sum, const err_list *errors, const cli_args *a, const char *file,
                         import_kind kind, int dry_run, int ok)
{
    if (a->json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(file));
        json_object_set_new(o, "kind", json_string(import_kind_name(kind)));
        json_object_set_new(o, "encoding", json_string(csv_encoding_name(sum->encoding)));
        json_object_set_new(o, "rows", json_integer(sum->rows));
        json_object_set_new(o, "dry_run", json_boolean(dry_run));
        json_object_set_new(o, "imported", json_boolean(sum->committed));
        json_object_set_new(o, kind == IMPORT_PEOPLE ? "people" : kind == IMPORT_EXPERIENCE ? "experience" : "answers",
                            json_integer(sum->written));
        if (kind != IMPORT_ASSESSMENTS) {
            json_object_set_new(o, "updated", json_integer(sum->updated));
            if (kind == IMPORT_PEOPLE)
                json_object_set_new(o, "left", json_integer(sum->left));
        }
        if (kind == IMPORT_ASSESSMENTS) {
            json_object_set_new(o, "assessments", json_integer(sum->assessments));
            json_object_set_new(o, "assessments_created", json_integer(sum->created));
        }
        json_t *list = json_array();
        for (size_t i = 0; i < errors->count; i++) {
            char line[1200];
            json_array_append_new(list, json_string(err_format(&errors->items[i], line, sizeof line)));
        }
        json_object_set_new(o, "errors", list);
        json_object_set_new(o, "errors_not_shown", json_integer((json_int_t)errors->dropped));
        return cli_print_json(o);
    }
    if (!ok)
        return CLI_OK;
    buf b;
    buf_init(&b);
    const char *done = dry_run ? "checked; nothing written (--dry-run)" : "imported";
    if (kind == IMPORT_PEOPLE)
        buf_printf(&b, "%s: %ld added, %ld updated, %ld left; %s (%s)\n", file, sum->written, sum->updated, sum->left,
                   done, csv_encoding_name(sum->encoding));
    else if (kind == IMPORT_EXPERIENCE)
        buf_printf(&b, "%s: %ld experience records added, %ld replaced; %s (%s)\n", file, sum->written, sum->updated,
                   done, csv_encoding_name(sum->encoding));
    else
        buf_printf(&b, "%s: %ld answers in %ld assessments (%ld new) %s (%s)\n", file, sum->written,
                   sum->assessments, sum->created, done, csv_encoding_name(sum->encoding));
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* Prints one change of a people import on stdout (a dry run's list). */
static void print_change(const import_change *c, void *ctx)
{
    buf *b = ctx;
    char where[32];
    if (c->line)
        snprintf(where, sizeof where, "line %d", c->line);
    else
        snprintf(where, sizeof where, "not in the file");
    switch (c->kind) {
    case IMPORT_ADDED:
        buf_printf(b, "added     %s %s (%s)\n", c->employee_number, c->name, where);
        break;
    case IMPORT_UPDATED:
        buf_printf(b, "updated   %s %s: %s %s -> %s (%s)\n", c->employee_number, c->name, c->field,
                   c->old_value[0] ? c->old_value : "(none)", c->new_value[0] ? c->new_value : "(none)", where);
        break;
    case IMPORT_LEAVING:
        buf_printf(b, "leaving   %s %s: left_on %s (%s)\n", c->employee_number, c->name, c->new_value, where);
        break;
    case IMPORT_RETURNING:
        buf_printf(b, "returning %s %s: left_on %s -> (none) (%s)\n", c->employee_number, c->name, c->old_value, where);
        break;
    }
}

/* itss import people|assessments|experience FILE: see cli_import_help. */
int cli_import_main(const cli_command *cmd, int argc, char **argv)
{
    const char *prog = "itss import";
    const char *db_path = NULL, *encoding = NULL;
    int dry_run = 0, full = 0;
    const cli_option options[] = {
        { "--db", &db_path, NULL },
        { "--encoding", &encoding, NULL },
        { "--dry-run", NULL, &dry_run },
        { "--full", NULL, &full },
        { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse(prog, import_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_import_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos != 2)
        return cli_usage_error(prog, import_usage, a.n_pos < 2 ? "what to import and the file are needed"
                                                               : "unexpected argument '%s'", a.pos[2]);
    if (strcmp(a.pos[0], "training-results") == 0)
        return cli_import_training_results(&a, db_path, encoding, dry_run);
    int kind = import_kind_parse(a.pos[0]);
    if (kind < 0)
        return cli_usage_error(prog, import_usage, "unknown kind '%s'; import people, assessments, experience or "
                               "training-results", a.pos[0]);
    if (full && kind != IMPORT_PEOPLE)
        return cli_usage_error(prog, import_usage, "--full is for people");
    int enc = encoding ? csv_encoding_parse(encoding) : CSV_AUTO;
    if (enc < 0)
        return cli_usage_error(prog, import_usage, "unknown encoding '%s'; use auto, utf-8 or cp932", encoding);

    catalog *cat = NULL;
    if (kind != IMPORT_PEOPLE && !(cat = cli_load_catalog(&a)))
        return CLI_USAGE;
    /* The levels of the answers written are kept under the built-in policy (what
     * itss serve uses unless given another; a server with another policy decides
     * its own when it first reads them). */
    err_list *perrors = kind == IMPORT_ASSESSMENTS ? calloc(1, sizeof *perrors) : NULL;
    policy *pol = perrors ? policy_load_builtin(perrors) : NULL;
    free(perrors);
    store *db = cli_store_open(prog, db_path, 0);
    if (!db) {
        catalog_free(cat);
        policy_free(pol);
        return CLI_REFUSED;
    }
    err e;
    memset(&e, 0, sizeof e);
    if (cat && store_catalog_known(db, catalog_id(cat), catalog_version(cat), &e) != 1) {
        cli_error(prog, "catalog %s version %s (%s) is not one the database has: %s", catalog_id(cat),
                  catalog_version(cat), catalog_name(cat), e.message);
        store_close(db);
        catalog_free(cat);
        policy_free(pol);
        return CLI_USAGE;
    }

    const char *file = a.pos[1];
    const char *base = strrchr(file, '/');
    char actor[300];
    snprintf(actor, sizeof actor, "import:%s", base ? base + 1 : file);
    err_list *errors = calloc(1, sizeof *errors);
    csv_reader *csv = errors ? csv_open_file(file, file, (csv_encoding)enc, &e) : NULL;
    int status = CLI_OK;
    if (!csv) {
        if (errors)
            err_print(stderr, &e);
        else
            cli_error(prog, "out of memory");
        status = CLI_REFUSED;
    } else {
        progress bar;
        progress_start(&bar, csv);
        import_options o;
        memset(&o, 0, sizeof o);
        o.kind = (import_kind)kind;
        o.catalog = cat;
        o.policy = pol;
        o.file = file;
        o.actor = actor;
        o.dry_run = dry_run;
        o.full = full;
        o.progress = progress_update;
        o.progress_ctx = &bar;
        buf changes;
        buf_init(&changes);
        if (dry_run && !a.json) {
            o.change = print_change;
            o.change_ctx = &changes;
        }
        import_summary sum;
        int rc = import_run(db, csv, &o, errors, &sum, &e);
        progress_end(&bar);
        if (rc == 0 && changes.len)
            status = cli_write(&changes, stdout);
        buf_free(&changes);
        if (rc < 0) {
            cli_error(prog, "%s: %s", file, e.message);
            status = CLI_REFUSED;
        } else {
            if (rc > 0) {
                if (!a.json)
                    cli_print_errors(errors);
                size_t n = errors->count + errors->dropped;
                cli_error(prog, "%s: %zu error%s; nothing was imported", file, n, n == 1 ? "" : "s");
                status = CLI_REFUSED;
            }
            int wrc = import_report(&sum, errors, &a, file, (import_kind)kind, dry_run, rc == 0);
            if (status == CLI_OK)
                status = wrc;
        }
    }
    csv_close(csv);
    free(errors);
    store_close(db);
    catalog_free(cat);
    policy_free(pol);
    return status;
}

/* ---- export ---- */

/* Writes an export's bytes to stdout and empties the buffer (export_options.flush). */
static int flush_stdout(buf *out, void *ctx)
{
    int *failed = ctx;
    int rc = cli_write(out, stdout);
    buf_reset(out);
    if (rc != CLI_OK)
        *failed = 1;
    return rc == CLI_OK ? 0 : -1;
}

/* itss export people|assessments|levels: see cli_export_help. */
/* The policy levels are decided under: policy_path, else the built-in one.
 * NULL after printing why (the caller frees it with policy_free). */
static policy *levels_policy(const char *prog, const char *policy_path)
{
    err_list *errors = calloc(1, sizeof *errors);
    policy *pol = !errors ? NULL : policy_path ? policy_load_file(policy_path, errors) : policy_load_builtin(errors);
    if (!pol) {
        if (errors)
            cli_print_errors(errors);
        cli_error(prog, "cannot use policy %s", policy_path ? policy_path : "built in");
    }
    free(errors);
    return pol;
}

/* Checks --headers (ja or en, for CSV only): CLI_OK, or CLI_USAGE after a message. */
static int check_headers(const char *prog, const char *headers, int json)
{
    if (headers && strcmp(headers, "ja") != 0 && strcmp(headers, "en") != 0)
        return cli_usage_error(prog, export_usage, "unknown --headers '%s'; ja or en", headers);
    if (headers && json)
        return cli_usage_error(prog, export_usage, "--headers is for CSV, not JSON");
    return CLI_OK;
}

int cli_export_main(const cli_command *cmd, int argc, char **argv)
{
    const char *prog = "itss export";
    const char *db_path = NULL, *format = NULL, *cycle = NULL, *policy_path = NULL, *levels = NULL, *headers = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL },
        { "--format", &format, NULL },
        { "--headers", &headers, NULL },
        { "--levels", &levels, NULL },
        { "--cycle", &cycle, NULL },
        { "--policy", &policy_path, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse(prog, export_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_export_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos != 1)
        return cli_usage_error(prog, export_usage, a.n_pos ? "unexpected argument '%s'" : "what to export is needed",
                               a.n_pos ? a.pos[1] : "");
    const char *kind = a.pos[0];
    if (export_kind_parse(kind) < 0)
        return cli_usage_error(prog, export_usage, "unknown kind '%s'; export people, assessments or levels", kind);
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error(prog, export_usage, "unknown format '%s'; --format is csv or json", format);
    if (format && a.json && strcmp(format, "csv") == 0)
        return cli_usage_error(prog, export_usage, "--json and --format csv contradict each other");
    if (cycle && strcmp(kind, "people") == 0)
        return cli_usage_error(prog, export_usage, "--cycle is for assessments and levels, not people");
    if (policy_path && strcmp(kind, "levels") != 0)
        return cli_usage_error(prog, export_usage, "--policy is for levels only");
    if (levels && strcmp(kind, "levels") != 0)
        return cli_usage_error(prog, export_usage, "--levels is for levels only");
    if (levels && export_level_kind_parse(levels) < 0)
        return cli_usage_error(prog, export_usage, "unknown --levels '%s'; official or self", levels);
    if (check_headers(prog, headers, a.json || (format && strcmp(format, "json") == 0)) != CLI_OK)
        return CLI_USAGE;
    int json = a.json || (format && strcmp(format, "json") == 0);
    catalog *cat = cli_load_catalog(&a);
    if (!cat)
        return CLI_USAGE;
    policy *pol = NULL;
    if (strcmp(kind, "levels") == 0 && !(pol = levels_policy(prog, policy_path))) {
        catalog_free(cat);
        return CLI_USAGE;
    }
    store *db = cli_store_open(prog, db_path, 0);
    int status = db ? CLI_OK : CLI_REFUSED;
    if (db && strcmp(kind, "people") != 0)
        status = cli_store_check_catalog(prog, db, cat);
    export_options o;
    memset(&o, 0, sizeof o);
    if (status == CLI_OK && cycle) {
        store_cycle c;
        if (cli_find_cycle(prog, db, cycle, "--cycle", &c) != 1)
            status = CLI_REFUSED;
        else {
            o.cycle_id = c.id;
            store_cycle_clear(&c);
        }
    }
    if (status == CLI_OK) {
        int failed = 0;
        o.kind = (export_kind)export_kind_parse(kind);
        o.json = json;
        o.catalog = cat;
        o.policy = pol;
        o.level_kind = levels ? export_level_kind_parse(levels) : EXPORT_LEVELS_OFFICIAL;
        o.headers_ja = headers && strcmp(headers, "ja") == 0;
        o.flush = flush_stdout;
        o.flush_ctx = &failed;
        buf out;
        buf_init(&out);
        err e;
        memset(&e, 0, sizeof e);
        if (export_write(db, &o, &out, &e) < 0) {
            if (failed)
                status = CLI_USAGE;
            else {
                cli_error(prog, "%s", e.message);
                status = CLI_REFUSED;
            }
        }
        buf_free(&out);
    }
    store_close(db);
    policy_free(pol);
    catalog_free(cat);
    return status;
}

/* ---- template ---- */

/* itss template people|assessments: see cli_template_help. */
int cli_template_main(const cli_command *cmd, int argc, char **argv)
{
    const char *prog = "itss template";
    cli_args a;
    (void)cmd;
    if (cli_parse(prog, template_usage, argc - 1, argv + 1, NULL, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_template_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos != 1)
        return cli_usage_error(prog, template_usage, a.n_pos ? "unexpected argument '%s'" : "people, assessments or experience?",
                               a.n_pos ? a.pos[1] : "");
    if (a.json)
        return cli_usage_error(prog, template_usage, "a template is CSV; --json does not apply");
    buf out;
    buf_init(&out);
    if (strcmp(a.pos[0], "people") == 0) {
        import_template(IMPORT_PEOPLE, NULL, NULL, &out);
    } else if (strcmp(a.pos[0], "assessments") == 0 || strcmp(a.pos[0], "experience") == 0) {
        catalog *cat = cli_load_catalog(&a);
        if (!cat) {
            buf_free(&out);
            return CLI_USAGE;
        }
        import_template(strcmp(a.pos[0], "experience") == 0 ? IMPORT_EXPERIENCE : IMPORT_ASSESSMENTS, cat, "2026年度",
                        &out);
        catalog_free(cat);
    } else {
        buf_free(&out);
        return cli_usage_error(prog, template_usage, "unknown kind '%s'; people, assessments or experience",
                               a.pos[0]);
    }
    int rc = cli_write(&out, stdout);
    buf_free(&out);
    return rc;
}
