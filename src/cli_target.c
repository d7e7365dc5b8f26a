/* cli_target.c - `itss target`: 要員計画, HR's target head counts per cycle ×
 * org unit × specialization × level, imported from CSV or set one at a time,
 * and listed with the actual head count and the gap (targets.h does the work;
 * the web page /hr/targets and the organization report show the same). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "cli_store.h"
#include "csv.h"
#include "policy.h"
#include "report_levels.h"
#include "store.h"
#include "targets.h"

const char cli_target_help[] =
    "usage: itss target import FILE [--dry-run]\n"
    "       itss target set --cycle CYCLE --unit CODE --spec SPEC --level N --count N\n"
    "       itss target list --cycle CYCLE [--unit CODE] [--levels official|self]\n"
    "       [--db PATH] [--catalog FILE]\n"
    "\n"
    "要員計画: how many people HR wants at a level or above, per cycle, org unit (with\n"
    "the units below it) and specialization.\n"
    "\n"
    "  import  a CSV of cycle,org_unit_code,specialization,level,head_count (or the\n"
    "          headers 期間,組織コード,専門分野,レベル,目標人数); an empty head_count\n"
    "          removes the target. One transaction: with any error nothing is\n"
    "          written, and every error is printed as FILE:LINE:COLUMN: reason\n"
    "  set     one target (--count -1 removes it)\n"
    "  list    the targets of a cycle with the actual head count (official levels\n"
    "          by default: certified, else approved; --levels self) and the gap\n"
    "\n"
    "exit status: 0 done, 2 bad usage, 3 errors in the file or an unknown cycle, unit\n"
    "or specialization (nothing written).\n";

static const char target_usage[] =
    "usage: itss target import FILE [--dry-run] | set --cycle C --unit CODE --spec SPEC --level N --count N |\n"
    "       list --cycle C [--unit CODE] [--levels official|self]\n";

typedef struct target_args {
    const char *db, *cycle, *unit, *spec, *level, *count, *levels;
    int dry_run;
    cli_args a;
} target_args;

/* itss target import FILE */
static int target_import(const char *prog, const target_args *o, store *db, const catalog *cat)
{
    err e;
    memset(&e, 0, sizeof e);
    const char *file = o->a.pos[1];
    csv_reader *csv = csv_open_file(file, file, CSV_AUTO, &e);
    if (!csv) {
        err_print(stderr, &e);
        return CLI_REFUSED;
    }
    err_list *errors = calloc(1, sizeof *errors);
    if (!errors) {
        csv_close(csv);
        cli_error(prog, "out of memory");
        return CLI_REFUSED;
    }
    char actor[300];
    snprintf(actor, sizeof actor, "cli:%s", getenv("USER") ? getenv("USER") : "?");
    size_t set = 0;
    int rc = targets_import(db, cat, csv, actor, o->dry_run, errors, &set, &e);
    csv_close(csv);
    int status = CLI_OK;
    if (rc < 0) {
        cli_error(prog, "%s", e.message);
        status = CLI_REFUSED;
    } else if (rc > 0) {
        cli_print_errors(errors);
        fprintf(stderr, "%s: %s: %zu error%s; nothing was written\n", prog, file, errors->count + errors->dropped,
                errors->count + errors->dropped == 1 ? "" : "s");
        status = CLI_REFUSED;
    } else
        printf("%s: %zu target%s %s\n", file, set, set == 1 ? "" : "s", o->dry_run ? "checked" : "set");
    free(errors);
    return status;
}

/* itss target set */
static int target_set(const char *prog, const target_args *o, store *db, const catalog *cat)
{
    if (!o->cycle || !o->unit || !o->spec || !o->level || !o->count)
        return cli_usage_error(prog, target_usage, "set needs --cycle, --unit, --spec, --level and --count");
    const catalog_spec *spec = cli_find_spec(prog, cat, o->spec, "--spec");
    if (!spec)
        return CLI_REFUSED;
    int64_t level = cli_parse_count(prog, "--level", o->level);
    char *end;
    long count = strtol(o->count, &end, 10);
    if (!level)
        return CLI_USAGE;
    if (*end || count < -1)
        return cli_usage_error(prog, target_usage, "--count '%s': a whole number 0 or more (-1 removes)", o->count);
    store_cycle c;
    store_org_unit u;
    if (cli_find_cycle(prog, db, o->cycle, "--cycle", &c) != 1)
        return CLI_REFUSED;
    if (cli_find_org(prog, db, o->unit, "--unit", &u) != 1) {
        store_cycle_clear(&c);
        return CLI_REFUSED;
    }
    err e;
    memset(&e, 0, sizeof e);
    int rc = store_target_set(db, c.id, u.id, spec->id, (int)level, count, "cli", &e);
    static const char *const map[] = { "level", "--level", "cycle", "--cycle", "org_unit", "--unit", NULL };
    if (rc < 0)
        cli_store_error(prog, &e, map);
    store_cycle_clear(&c);
    store_org_unit_clear(&u);
    return rc < 0 ? CLI_REFUSED : CLI_OK;
}

/* itss target list --cycle C */
static int target_list(const char *prog, const target_args *o, store *db, const catalog *cat)
{
    if (!o->cycle)
        return cli_usage_error(prog, target_usage, "list needs --cycle");
    if (o->levels && strcmp(o->levels, "official") != 0 && strcmp(o->levels, "self") != 0)
        return cli_usage_error(prog, target_usage, "unknown --levels '%s'; official or self", o->levels);
    store_cycle c;
    store_org_unit u;
    memset(&u, 0, sizeof u);
    if (cli_find_cycle(prog, db, o->cycle, "--cycle", &c) != 1)
        return CLI_REFUSED;
    if (o->unit && cli_find_org(prog, db, o->unit, "--unit", &u) != 1) {
        store_cycle_clear(&c);
        return CLI_REFUSED;
    }
    err_list errors;
    memset(&errors, 0, sizeof errors);
    policy *pol = policy_load_builtin(&errors);
    report_levels lv;
    target_view v;
    memset(&v, 0, sizeof v);
    err e;
    memset(&e, 0, sizeof e);
    report_levels_query q = { c.id, 0, o->levels && strcmp(o->levels, "self") == 0, 0, NULL, NULL };
    int rc = pol ? report_levels_load(db, cat, pol, &q, &lv, &e) : -1;
    if (rc == 0)
        rc = targets_view(db, cat, &lv, c.id, u.id, &v, &e);
    if (rc < 0)
        cli_error(prog, "%s", pol ? e.message : "cannot load the built-in policy");
    else {
        static const char *const headers[] = { "組織", "専門分野", "レベル", "目標", "実績", "差" };
        cli_table t;
        cli_table_init(&t, 6, headers);
        for (size_t i = 0; i < v.count; i++) {
            const target_gap *g = &v.rows[i];
            char level[16], target[32], actual[32], gap[32];
            snprintf(level, sizeof level, "%d以上", g->target->level);
            snprintf(target, sizeof target, "%lld", (long long)g->target->head_count);
            snprintf(actual, sizeof actual, "%lld", (long long)g->actual);
            snprintf(gap, sizeof gap, "%+lld", (long long)g->gap);
            const char *cells[] = { g->target->org_code, g->spec ? g->spec->code : g->target->specialization_id,
                                    level, target, actual, gap };
            cli_table_add(&t, cells);
        }
        buf out;
        buf_init(&out);
        cli_table_render(&t, &out, cli_term_width());
        rc = cli_write(&out, stdout) == CLI_OK ? 0 : -1;
        buf_free(&out);
        cli_table_free(&t);
    }
    target_view_free(&v);
    if (pol)
        report_levels_free(&lv);
    policy_free(pol);
    store_cycle_clear(&c);
    if (o->unit)
        store_org_unit_clear(&u);
    return rc < 0 ? CLI_REFUSED : CLI_OK;
}

int cli_target_main(const cli_command *cmd, int argc, char **argv)
{
    const char *prog = "itss target";
    target_args o;
    memset(&o, 0, sizeof o);
    const cli_option options[] = {
        { "--db", &o.db, NULL },       { "--cycle", &o.cycle, NULL }, { "--unit", &o.unit, NULL },
        { "--spec", &o.spec, NULL },   { "--level", &o.level, NULL }, { "--count", &o.count, NULL },
        { "--levels", &o.levels, NULL }, { "--dry-run", NULL, &o.dry_run }, { NULL, NULL, NULL },
    };
    (void)cmd;
    if (cli_parse(prog, target_usage, argc - 1, argv + 1, options, &o.a) != CLI_OK)
        return CLI_USAGE;
    if (o.a.help) {
        fputs(cli_target_help, stdout);
        return CLI_OK;
    }
    const char *what = o.a.n_pos ? o.a.pos[0] : "";
    int import = strcmp(what, "import") == 0, set = strcmp(what, "set") == 0, list = strcmp(what, "list") == 0;
    if (!import && !set && !list)
        return cli_usage_error(prog, target_usage, "import, set or list%s%s", *what ? ", not " : "", what);
    if (o.a.n_pos != (import ? 2 : 1))
        return cli_usage_error(prog, target_usage, import ? "import needs one FILE" : "unexpected argument");
    catalog *cat = cli_load_catalog(&o.a);
    if (!cat)
        return CLI_USAGE;
    store *db = cli_store_open(prog, o.db, 0);
    int rc = db ? cli_store_check_catalog(prog, db, cat) : CLI_REFUSED;
    if (rc == CLI_OK)
        rc = import ? target_import(prog, &o, db, cat) : set ? target_set(prog, &o, db, cat)
                                                             : target_list(prog, &o, db, cat);
    if (db)
        store_close(db);
    catalog_free(cat);
    return rc;
}
