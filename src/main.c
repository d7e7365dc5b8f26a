/* main.c - the `itss` command: finds the command in the table and runs it.
 *
 * Every command is one row of `commands` below; its handler and help text live
 * in a cli_*.c file. What is global (help, --help, --version, an unknown command
 * or option) is handled here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "catalog.h"
#include "cli.h"
#include "cli_man.h"

/* One row per command: name, handler, one-line summary, help text. */
static const cli_command commands[] = {
    { "catalog", cli_catalog_main, "browse, search, export and validate the skill standard (catalog)",
      cli_catalog_help },
    { "serve", cli_serve_main, "serve the web application and the JSON API (itss serve --listen 127.0.0.1:8080)",
      cli_serve_help },
    { "user", cli_user_main, "add, list and disable the users of the web application, set passwords", cli_user_help },
    { "token", cli_token_main, "create, list and revoke bearer tokens for scripts using the JSON API",
      cli_token_help },
    { "init", cli_init_main, "create the database and record which catalog it uses", cli_init_help },
    { "org", cli_org_main, "add and list organization units (a tree)", cli_org_help },
    { "person", cli_person_main, "add, list, show and edit people", cli_person_help },
    { "cycle", cli_cycle_main, "add and list assessment cycles (2026年度)", cli_cycle_help },
    { "experience", cli_experience_main, "add and list a person's experience records (実績)", cli_experience_help },
    { "contribution", cli_contribution_main, "add and list professional contributions (後進育成, papers...)",
      cli_contribution_help },
    { "assess", cli_assess_main, "fill in an assessment, or import/export it as JSON (--from, --to)",
      cli_assess_help },
    { "history", cli_history_main, "every change of an assessment, with when and by whom", cli_history_help },
    { "level", cli_level_main, "the ITSS level a person reaches, and why (--explain)", cli_level_help },
    { "import", cli_import_main, "import people or assessment answers from CSV (UTF-8 or CP932 from Excel)",
      cli_import_help },
    { "certify", cli_certify_main, "社内認定: certify an approved level, list and revoke certificates",
      cli_certify_help },
    { "export", cli_export_main, "export people, assessment answers or levels as CSV (for Excel) or JSON",
      cli_export_help },
    { "report", cli_report_main, "reports as PDF and Excel: a person's diagnosis, the organization (portfolio, units)",
      cli_report_help },
    { "target", cli_target_main, "要員計画: target head counts per unit, specialization and level, with actual and gap",
      cli_target_help },
    { "template", cli_template_main, "a CSV template (header and example row) for itss import", cli_template_help },
    { "training", cli_training_main, "HR's training catalog: import, export and list courses (CSV)",
      cli_training_help },
    { "qualification", cli_qualification_main, "a person's qualifications: IPA examinations, vendor certifications",
      cli_qualification_help },
    { "plan", cli_plan_main, "development plans (育成計画): target, gap items, actions, approval", cli_plan_help },
    { "mail", cli_mail_main, "the outbox of e-mails: list, show, send to an SMTP relay, reminders", cli_mail_help },
    { "backup", cli_backup_main, "a consistent copy of the database, also while the server runs (itss backup DEST)",
      cli_backup_help },
    { "copy", cli_copy_main, "copy a whole database to a new one: SQLite to PostgreSQL and back, verified",
      cli_copy_help },
    { "check", cli_check_main, "check that the database is whole (integrity and foreign keys)", cli_check_help },
    { "demo", cli_demo_main, "fill a database with a fictional organization to try itss on (itss demo --db demo.db)",
      cli_demo_help },
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* The usage text with the list of commands, rendered into b. */
static void render_usage(buf *b)
{
    buf_puts(b, "usage: itss COMMAND [ARGUMENTS] [--json] [--catalog FILE]\n"
                "       itss help [COMMAND]\n"
                "       itss help --man   (the manual page itss(1), in roff)\n"
                "       itss --version\n"
                "\n"
                "itss: the IT Skill Standard (ITスキル標準, ITSS) for カスタマサービス.\n"
                "\n"
                "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++) {
        buf_puts(b, "  ");
        buf_pad(b, commands[i].name, 14);
        buf_printf(b, "%s\n", commands[i].summary);
    }
    buf_puts(b, "  ");
    buf_pad(b, "help", 14);
    buf_puts(b, "this text, or the help of one command\n"
                "\n"
                "Run 'itss help COMMAND' for a command's arguments and options.\n"
                "Exit status: 0 done, 1 nothing found, 2 bad usage or a bad catalog, 3 refused\n"
                "(bad data, or a change the database refused; nothing is written).\n");
}

/* Prints the usage to out; returns status. */
static int usage(FILE *out, int status)
{
    buf b;
    buf_init(&b);
    render_usage(&b);
    int rc = cli_write(&b, out);
    buf_free(&b);
    return rc ? rc : status;
}

/* A usage error: message, then the usage, on stderr; exit status 2. */
static int usage_error(const char *fmt, const char *arg)
{
    fputs("itss: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    return usage(stderr, CLI_USAGE);
}

/* The table row of the command called name, or NULL. */
static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* itss --version: the program's version and the built-in catalog's. */
static int version(void)
{
    err_list *errors = calloc(1, sizeof *errors);
    catalog *c = errors ? catalog_load_builtin(errors) : NULL;
    buf b;
    int rc;

    buf_init(&b);
    buf_puts(&b, "itss " ITSS_VERSION "\n");
    if (c)
        buf_printf(&b, "built-in catalog: %s %s (%s)\n", catalog_id(c), catalog_version(c), catalog_title(c));
    rc = cli_write(&b, stdout);
    buf_free(&b);
    if (!c) {
        if (errors)
            cli_print_errors(errors);
        fputs("itss: the built-in catalog does not load\n", stderr);
        rc = CLI_USAGE;
    }
    catalog_free(c);
    free(errors);
    return rc;
}

/* itss help --man: the manual page itss(1) in roff, made from the table. */
static int man_page(void)
{
    buf b;
    buf_init(&b);
    cli_man_render(&b, commands, N_COMMANDS, ITSS_VERSION);
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* itss help [COMMAND | --man] */
static int help(int argc, char **argv)
{
    if (argc < 2)
        return usage(stdout, CLI_OK);
    if (argc == 2 && strcmp(argv[1], "--man") == 0)
        return man_page();
    if (argc > 2)
        return usage_error("help takes one command name, got more after '%s'", argv[1]);
    const cli_command *cmd = find_command(argv[1]);
    if (!cmd)
        return usage_error("unknown command '%s'", argv[1]);
    buf b;
    buf_init(&b);
    buf_puts(&b, cmd->help);
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* Global options and help here; everything else goes to the command's handler. */
int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("itss: no command given\n", stderr);
        return usage(stderr, CLI_USAGE);
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0)
        return help(argc - 1, argv + 1);
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc > 2)
            return usage_error("'%s' takes no arguments", name);
        return usage(stdout, CLI_OK);
    }
    if (strcmp(name, "--version") == 0) {
        if (argc > 2)
            return usage_error("'%s' takes no arguments", name);
        return version();
    }
    if (name[0] == '-')
        return usage_error("unknown option '%s'", name);
    const cli_command *cmd = find_command(name);
    if (!cmd)
        return usage_error("unknown command '%s'", name);
    return cmd->handler(cmd, argc - 1, argv + 1);
}
