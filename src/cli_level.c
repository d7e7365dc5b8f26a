/* cli_level.c - `itss level PERSON`: the level reached in each specialization,
 * and with --explain why, criterion by criterion in the standard's words.
 *
 * The engine (engine.h) decides; this file picks the assessment, the policy and
 * whose answers to use, records the results in the store's results cache under
 * the policy's identity, and prints them. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"
#include "engine.h"
#include "explain.h"
#include "policy.h"
#include "review.h"

const char cli_level_help[] =
    "usage: itss level PERSON [--cycle C] [--spec SPEC] [--explain] [--json]\n"
    "                         [--policy FILE] [--rater self|manager] [--approved]\n"
    "                         [--db PATH] [--catalog FILE]\n"
    "\n"
    "The ITSS level PERSON (an employee number) reaches in each specialization,\n"
    "decided from their assessment under the level-determination policy\n"
    "(docs/policy.md): the highest level whose achievement indicators (責任性,\n"
    "複雑性, サイズ, タスク特性 and successful experience records) are met. Level 0\n"
    "is shown as 未到達. The results are recorded in the database with the\n"
    "policy's id and version, so that they can be reproduced.\n"
    "\n"
    "options:\n"
    "  --cycle C        the assessment of that cycle (default: the latest cycle\n"
    "                   PERSON has an assessment in)\n"
    "  --spec SPEC      one specialization only (HW, SW, FM, or an id or name)\n"
    "  --explain        why: for every level each criterion met or not with the\n"
    "                   count against the policy's threshold and each item quoted\n"
    "                   from the standard; what is missing for the next level;\n"
    "                   proficiency (スキル熟達度) per skill area and knowledge\n"
    "                   coverage\n"
    "  --json           the whole result as JSON (always with the reasons)\n"
    "  --policy FILE    another policy file instead of the built-in default\n"
    "  --rater R        whose answers to use: self (default) or manager\n"
    "  --approved       the levels the approval in force froze, and with\n"
    "                   --explain or --json its explanation or result exactly as\n"
    "                   approved, whatever changed since (answers, records, the\n"
    "                   policy file); a result that cannot be given as approved\n"
    "                   (its catalog or the engine changed) is an error, exit 3\n"
    "  --db PATH        the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --catalog FILE   the catalog, when the database uses another than the\n"
    "                   built-in one\n"
    "\n"
    "exit status: 0 done, 3 an unknown person, cycle or specialization, no\n"
    "assessment or (--approved) no approval in force, 2 bad usage, or a catalog or policy that does not load.\n";

static const char level_usage[] =
    "usage: itss level PERSON [--cycle C] [--spec SPEC] [--explain] [--json] [--policy FILE]\n"
    "                         [--rater self|manager] [--approved] [--db PATH] [--catalog FILE]\n";

#define PROG "itss level"

/* The policy --policy FILE names, or the built-in one; NULL after the errors
 * (and every gap it leaves for the catalog's levels) were printed. */
static policy *load_policy(const char *path, const catalog *cat)
{
    err_list *errors = calloc(1, sizeof *errors);
    if (!errors)
        abort();
    policy *p = path ? policy_load_file(path, errors) : policy_load_builtin(errors);
    if (p && policy_check_catalog(p, cat, errors) > 0) {
        policy_free(p);
        p = NULL;
    }
    if (!p) {
        cli_print_errors(errors);
        cli_error(PROG, "cannot use policy %s", path ? path : "built in");
    }
    free(errors);
    return p;
}

/* "レベル3" or "未到達" */
static void put_level_word(buf *b, int level)
{
    if (level > 0)
        buf_printf(b, "レベル%d", level);
    else
        buf_puts(b, "未到達");
}

/* One line per specialization: the level reached, what the next level lacks,
 * and lower levels not met. */
static void render_summary(buf *b, const engine_result *r, const char *spec_id, const char *empno)
{
    const assessment *a = r->assessment;
    const policy *p = r->policy;
    buf_printf(b, "%s（%s） %s %sの評価による判定\n", a->person_name ? a->person_name : "", a->employee_number,
               a->cycle ? a->cycle : "", r->rater == RATER_MANAGER ? "上司" : "本人");
    buf_printf(b, "カタログ: %s %s / 判定方針: %s 版%s「%s」\n\n", catalog_id(r->catalog), catalog_version(r->catalog),
               p->id, p->version, p->title ? p->title : "");
    for (size_t i = 0; i < r->n_specs; i++) {
        const engine_spec *es = &r->specs[i];
        if (spec_id && strcmp(es->spec->id, spec_id) != 0)
            continue;
        buf word;
        buf_init(&word);
        put_level_word(&word, es->level);
        buf_pad(b, es->spec->name, 26);
        buf_pad(b, word.data, 8);
        buf_free(&word);
        if (es->next) {
            buf_printf(b, "  次のレベル%dに足りないもの: ", es->next->level);
            int first = 1;
            for (int k = 0; k < ENGINE_CRITERIA; k++) {
                const engine_criterion *cr = &es->next->criteria[k];
                if (cr->met)
                    continue;
                buf_printf(b, "%s%s", first ? "" : "、", engine_criterion_label((engine_criterion_kind)k));
                if (k == ENGINE_EXPERIENCE) {
                    int short_by = cr->required - cr->count, short_at = cr->at_level_required - cr->at_level;
                    if (short_at > short_by)
                        short_by = short_at;
                    if (cr->required >= 0 && short_by > 0)
                        buf_printf(b, " あと%d件", short_by);
                } else if (k != ENGINE_RESPONSIBILITY && cr->required > cr->count) {
                    buf_printf(b, " あと%d項目", cr->required - cr->count);
                }
                first = 0;
            }
        } else if (es->level > 0) {
            buf_puts(b, "  最も高いレベルに到達");
        }
        if (es->n_unmet_below) {
            buf_puts(b, "（警告: 下位のレベル");
            for (size_t j = 0; j < es->n_unmet_below; j++)
                buf_printf(b, "%s%d", j ? "・" : "", es->unmet_below[j]);
            buf_puts(b, "が未達成）");
        }
        while (b->len && b->data[b->len - 1] == ' ')
            b->data[--b->len] = '\0';
        buf_putc(b, '\n');
    }
    buf_printf(b, "\n理由は itss level %s --explain\n", empno);
}

/* Keeps the result of each specialization in the store's results cache under
 * the policy's identity. The cache holds the levels of the self rating (what
 * the team table, the history and the portfolio read), so the caller records
 * only those. A failure is reported but does not stop the command. */
static void record_results(store *db, int64_t assessment_id, const engine_result *r)
{
    char identity[300];
    snprintf(identity, sizeof identity, "%s@%s", r->policy->id, r->policy->version);
    err e;
    memset(&e, 0, sizeof e);
    if (store_begin(db, &e) < 0) {
        cli_error(PROG, "the results were not recorded: %s", e.message);
        return;
    }
    for (size_t i = 0; i < r->n_specs; i++) {
        const char *id = r->specs[i].spec->id;
        json_t *j = engine_result_json(r, id);
        char *detail = j ? json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
        json_decref(j);
        int rc = store_result_put(db, assessment_id, identity, id, r->specs[i].level, detail, &e);
        free(detail);
        if (rc < 0) {
            store_rollback(db, &e);
            cli_error(PROG, "the results were not recorded: %s", e.message);
            return;
        }
    }
    if (store_commit(db, &e) < 0)
        cli_error(PROG, "the results were not recorded: %s", e.message);
}

/* --approved: the levels the approval in force of assessment info froze, its
 * explanation (explain) or result (json) as approved (review_approval_frozen).
 * Returns the exit status. */
static int show_approved(store *db, const catalog *cat, const store_assessment *info, const catalog_spec *spec,
                         int explain, int json)
{
    store_approval ap;
    err e;
    memset(&e, 0, sizeof e);
    int found = store_approval_current(db, info->id, &ap, &e);
    if (found != 1) {
        if (found == 0)
            cli_error(PROG, "the assessment of %s in %s has no approval in force (it is %s)", info->employee_number,
                      info->cycle, assessment_status_name(info->status));
        else
            cli_store_error(PROG, &e, NULL);
        return CLI_REFUSED;
    }
    char *result = NULL, *explanation = NULL;
    int rc = explain || json ? review_approval_frozen(db, cat, &ap, &result, &explanation, &e) : 0;
    int status = CLI_OK;
    buf b;
    buf_init(&b);
    if (rc != 0) {
        cli_error(PROG, "%s", e.message);
        status = CLI_REFUSED;
    }
    if (rc == 0 && json) {
        buf_puts(&b, result);
        buf_putc(&b, '\n');
    } else if (rc == 0 && explain) {
        buf_puts(&b, explanation);
    } else {
        buf_printf(&b, "%s %s 承認: %s %s / 判定方針: %s 版%s\n\n", info->employee_number, info->cycle, ap.approved_by,
                   ap.approved_at, ap.policy_id, ap.policy_version);
        for (size_t i = 0; i < ap.n_levels; i++) {
            const catalog_spec *s = catalog_spec_find(cat, ap.levels[i].specialization_id);
            if (spec && (!s || s != spec))
                continue;
            buf word;
            buf_init(&word);
            put_level_word(&word, ap.levels[i].level);
            buf_pad(&b, s ? s->name : ap.levels[i].specialization_id, 26);
            buf_printf(&b, "%s\n", word.data);
            buf_free(&word);
        }
    }
    if (b.len && cli_write(&b, stdout) != CLI_OK)
        status = CLI_REFUSED;
    buf_free(&b);
    free(result);
    free(explanation);
    store_approval_clear(&ap);
    return status;
}

/* itss level PERSON [...] */
int cli_level_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL, *cycle = NULL, *spec_arg = NULL, *policy_path = NULL, *rater_arg = NULL;
    int explain = 0, approved = 0;
    const cli_option options[] = {
        { "--db", &db_path, NULL },       { "--cycle", &cycle, NULL },    { "--spec", &spec_arg, NULL },
        { "--policy", &policy_path, NULL }, { "--rater", &rater_arg, NULL }, { "--explain", NULL, &explain },
        { "--approved", NULL, &approved }, { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse(PROG, level_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_level_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos != 1)
        return cli_usage_error(PROG, level_usage, a.n_pos == 0 ? "PERSON (an employee number) is required"
                                                               : "unexpected argument '%s'", a.pos[1]);
    int rater = rater_arg ? assessment_rater_parse(rater_arg) : RATER_SELF;
    if (rater < 0)
        return cli_usage_error(PROG, level_usage, "--rater: unknown rater '%s'; use self or manager", rater_arg);

    catalog *cat = cli_load_catalog(&a);
    if (!cat)
        return CLI_USAGE;
    policy *pol = load_policy(policy_path, cat);
    store *db = pol ? cli_store_open(PROG, db_path, 0) : NULL;
    int status = !pol ? CLI_USAGE : !db ? CLI_REFUSED : CLI_OK;
    const catalog_spec *spec = NULL;
    if (status == CLI_OK && spec_arg && !(spec = cli_find_spec(PROG, cat, spec_arg, "--spec")))
        status = CLI_REFUSED;
    store_person person;
    store_assessment info;
    memset(&person, 0, sizeof person);
    memset(&info, 0, sizeof info);
    if (status == CLI_OK && cli_find_person(PROG, db, a.pos[0], NULL, &person) != 1)
        status = CLI_REFUSED;
    if (status == CLI_OK && cli_find_assessment(PROG, db, &person, cycle, &info) != 1)
        status = CLI_REFUSED;
    if (status == CLI_OK && (strcmp(info.catalog_id, catalog_id(cat)) != 0
                             || strcmp(info.catalog_version, catalog_version(cat)) != 0)) {
        cli_error(PROG, "the assessment of %s in %s is for catalog %s version %s, not %s version %s (%s); "
                        "give that catalog with --catalog",
                  person.employee_number, info.cycle, info.catalog_id, info.catalog_version, catalog_id(cat),
                  catalog_version(cat), catalog_name(cat));
        status = CLI_USAGE;
    }
    if (status == CLI_OK && approved) {
        status = show_approved(db, cat, &info, spec, explain, a.json);
        approved = -1;        /* done */
    }
    assessment *as = NULL;
    err e;
    memset(&e, 0, sizeof e);
    if (status == CLI_OK && approved >= 0 && store_assessment_load(db, info.id, &as, &e) != 1) {
        cli_store_error(PROG, &e, NULL);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK && approved >= 0) {
        engine_result *r = engine_assess(cat, pol, as, (assessment_rater)rater);
        if (rater == RATER_SELF)
            record_results(db, info.id, r);
        const char *spec_id = spec ? spec->id : NULL;
        if (a.json) {
            status = cli_print_json(engine_result_json(r, spec_id));
        } else {
            buf b;
            buf_init(&b);
            if (explain)
                explain_text(&b, r, spec_id);
            else
                render_summary(&b, r, spec_id, person.employee_number);
            status = cli_write(&b, stdout);
            buf_free(&b);
        }
        engine_result_free(r);
    }
    assessment_free(as);
    store_assessment_clear(&info);
    store_person_clear(&person);
    store_close(db);
    policy_free(pol);
    catalog_free(cat);
    return status;
}
