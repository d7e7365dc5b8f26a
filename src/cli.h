/* cli.h - what every `itss` command shares: its table row, option parsing,
 * loading the catalog, printing errors, and terminal layout of Japanese text.
 *
 * A command is one row of the table in main.c and one handler in a cli_*.c
 * file. Handlers return the process exit status, one of the CLI_* below. */
#ifndef ITSS_CLI_H
#define ITSS_CLI_H

#include <stdio.h>
#include "buf.h"
#include "catalog.h"
#include "err.h"

#define ITSS_VERSION "0.1.0"

/* Exit statuses, the same for every command (README.md, "Exit status"):
 * 0 done; 1 nothing found (a search without a hit, no such user or token),
 * as grep's 1; 2 bad usage (an unknown option or argument, a catalog that does
 * not load or does not match the database, output that cannot be written);
 * 3 refused: bad data (an unknown person, unit or cycle, a duplicate, a bad
 * date, a file with errors) or any refusal or failure of the store, with a
 * message and the database unchanged. */
#define CLI_OK 0
#define CLI_NOT_FOUND 1
#define CLI_USAGE 2
#define CLI_REFUSED 3

typedef struct cli_command cli_command;
typedef int (*cli_handler)(const cli_command *cmd, int argc, char **argv);

/* One row of the command table: `itss NAME ...` runs handler with argv[0] the
 * command name. help is the full text `itss help NAME` prints. */
struct cli_command {
    const char *name;
    cli_handler handler;
    const char *summary;
    const char *help;
};

/* The command handlers and their help texts, one pair per cli_*.c file. */
int cli_catalog_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_catalog_help[];
int cli_serve_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_serve_help[];
int cli_backup_main(const cli_command *cmd, int argc, char **argv);   /* cli_backup.c */
extern const char cli_backup_help[];
int cli_check_main(const cli_command *cmd, int argc, char **argv);
int cli_copy_main(const cli_command *cmd, int argc, char **argv);     /* cli_copy.c */
extern const char cli_check_help[];
extern const char cli_copy_help[];
int cli_user_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_user_help[];
int cli_token_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_token_help[];
int cli_init_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_init_help[];
int cli_org_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_org_help[];
int cli_person_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_person_help[];
int cli_cycle_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_cycle_help[];
int cli_experience_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_experience_help[];
int cli_contribution_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_contribution_help[];
int cli_assess_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_assess_help[];
int cli_level_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_level_help[];
int cli_history_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_history_help[];
int cli_import_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_import_help[];
int cli_export_main(const cli_command *cmd, int argc, char **argv);
int cli_certify_main(const cli_command *cmd, int argc, char **argv);   /* cli_certify.c */
extern const char cli_certify_help[];
extern const char cli_export_help[];
int cli_report_main(const cli_command *cmd, int argc, char **argv);   /* cli_report.c */
extern const char cli_report_help[];
int cli_target_main(const cli_command *cmd, int argc, char **argv);   /* cli_target.c */
extern const char cli_target_help[];
int cli_template_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_template_help[];
int cli_demo_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_demo_help[];
extern const char cli_training_help[];
int cli_training_main(const cli_command *cmd, int argc, char **argv);
extern const char cli_qualification_help[];
int cli_qualification_main(const cli_command *cmd, int argc, char **argv);
/* itss user bulk|reset (cli_user_bulk.c); argv[0] is "bulk" or "reset". */
int cli_user_bulk_main(int argc, char **argv);
extern const char cli_plan_help[];
int cli_plan_main(const cli_command *cmd, int argc, char **argv);
int cli_mail_main(const cli_command *cmd, int argc, char **argv);     /* cli_mail.c */
extern const char cli_mail_help[];

/* An option a command takes besides the common ones. Exactly one of value (an
 * option with an argument, "--format json" or "--format=json") and flag (an
 * option without) is set. */
typedef struct cli_option {
    const char *name;          /* "--format" */
    const char **value;
    int *flag;
} cli_option;

#define CLI_MAX_ARGS 16

/* What cli_parse found. Strings point into argv. */
typedef struct cli_args {
    const char *prog;          /* "itss catalog", for messages */
    const char *usage;         /* usage lines printed after a usage error */
    int json;                  /* --json */
    const char *catalog_path;  /* --catalog FILE, or NULL */
    int help;                  /* --help or -h */
    const char *pos[CLI_MAX_ARGS];
    int n_pos;
} cli_args;

/* Parses argv[0..argc) into *a: the common options (--json, --catalog FILE,
 * --help/-h), the command's own options (extra, ended by a row with name NULL;
 * may be NULL) and positional arguments ("--" ends options). prog names the
 * command in messages. Returns CLI_OK, or CLI_USAGE after printing which
 * argument is wrong, and then usage, to stderr. */
int cli_parse(const char *prog, const char *usage, int argc, char **argv,
              const cli_option *extra, cli_args *a);

/* Prints "PROG: message" to stderr. */
void cli_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "PROG: message", then "usage: USAGE", to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *prog, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints every error of list to stderr, one "file:line:column: path: message" a
 * line, and how many more were not kept. */
void cli_print_errors(const err_list *list);

/* The catalog a command works on: --catalog FILE, else $ITSS_CATALOG, else the
 * one built in. On failure prints every error and returns NULL (exit 2). The
 * caller frees the catalog with catalog_free(). */
catalog *cli_load_catalog(const cli_args *a);

/* Writes b to out and flushes; returns CLI_OK, or 2 after a message when the
 * write failed (full disk, closed pipe). */
int cli_write(const buf *b, FILE *out);

/* Terminal width for layout: $COLUMNS, else the terminal's width when stdout is
 * a terminal, else 100. Never less than 40. */
int cli_term_width(void);

/* Appends text wrapped to width columns. The first line starts with first, the
 * following lines with next (both may be ""); each paragraph of text (split at
 * '\n') starts a new line with next. Lines break between characters, at a space
 * for Latin words when one is near, and never put a closing mark such as 、。）
 * at the start of a line. Ends with a newline. */
void cli_wrap(buf *out, const char *first, const char *next, const char *text, int width);

/* A terminal table: columns aligned by display width, cells wrapped within their
 * column when the table would be wider than the terminal. */
typedef struct cli_table {
    int n_cols;
    char **cells;              /* n_rows * n_cols copies, row 0 the headers */
    int n_rows;
    int cap_rows;
} cli_table;

#define CLI_TABLE_MAX_COLS 8

/* Starts a table with the given headers (copied). */
void cli_table_init(cli_table *t, int n_cols, const char *const *headers);
/* Adds a row of n_cols cells (copied; NULL is shown empty). */
void cli_table_add(cli_table *t, const char *const *cells);
/* Appends the table laid out within width columns. */
void cli_table_render(const cli_table *t, buf *out, int width);
void cli_table_free(cli_table *t);

/* Writes v (taken over and released) to stdout as JSON indented by two, members
 * in insertion order, with a final newline. Returns as cli_write. jansson's
 * json_t is only declared here, so that this header needs no jansson.h (whose
 * names clash with json.h, the reader). */
struct json_t;
int cli_print_json(struct json_t *v);

#endif
