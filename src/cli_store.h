/* cli_store.h - what the commands over the database share (init, org, person,
 * cycle, experience, contribution, assess, level): opening the store named by
 * --db or ITSS_DB, checking that the catalog in hand is the one the database
 * uses, finding the people, org units and cycles named on the command line, and
 * printing the store's refusals so that they name the argument they are about.
 *
 * Exit statuses (cli.h): CLI_REFUSED for bad data (an unknown person, unit or
 * cycle, a duplicate employee number, a bad date, a file that does not read)
 * and for any refusal of the store; CLI_USAGE for bad usage and a catalog that
 * does not load or does not match the database. */
#ifndef ITSS_CLI_STORE_H
#define ITSS_CLI_STORE_H

#include <stdint.h>
#include "catalog.h"
#include "cli.h"
#include "store.h"

/* Opens the database: db_option (--db) when not NULL, else $ITSS_DB, else
 * ./itss.db; flags as for store_open. NULL after a message ("no database here;
 * create one with itss init"). The caller closes it with store_close(). */
store *cli_store_open(const char *prog, const char *db_option, int flags);

/* Checks that the database has a catalog recorded (itss init) and that it is
 * cat (same id and version). CLI_OK, or after a message CLI_REFUSED (no itss init
 * yet) or CLI_USAGE (the catalog given with --catalog or ITSS_CATALOG, or built
 * in, is another one). */
int cli_store_check_catalog(const char *prog, store *db, const catalog *cat);

/* Prints a refusal of the store: "PROG: ARG: message", where ARG is the
 * command-line name of the field the error is about, looked up in map (pairs of
 * store field name and argument name, ended by NULL; map may be NULL); without
 * a match the field's own name is shown. */
void cli_store_error(const char *prog, const err *e, const char *const *map);

/* Finds the person with employee number empno; arg names where it came from
 * ("--manager"; NULL for the command's PERSON argument). 1 found (*out filled;
 * the caller clears it with store_person_clear), 0 not found and -1 failed, both
 * after a message. */
int cli_find_person(const char *prog, store *db, const char *empno, const char *arg, store_person *out);
/* The same for an org unit by code (cleared with store_org_unit_clear) and a
 * cycle by name (store_cycle_clear). */
int cli_find_org(const char *prog, store *db, const char *code, const char *arg, store_org_unit *out);
int cli_find_cycle(const char *prog, store *db, const char *name, const char *arg, store_cycle *out);

/* The assessment of person in the cycle named cycle_option (--cycle), or when
 * that is NULL in the latest cycle the person has an assessment in. 1 with *out
 * filled (the caller clears it with store_assessment_clear), 0 when there is none
 * and -1 on failure, both after a message. */
int cli_find_assessment(const char *prog, store *db, const store_person *person, const char *cycle_option,
                        store_assessment *out);

/* The specialization of cat named by arg (HW, CS.HW, ハードウェア), not a block of
 * common levels; NULL after a message listing the specializations there are. */
const catalog_spec *cli_find_spec(const char *prog, const catalog *cat, const char *arg, const char *option);

/* Parses a positive whole number (a level, a limit) given to option; 0 after a
 * message when arg is not one. */
int64_t cli_parse_count(const char *prog, const char *option, const char *arg);

/* "本社 > カスタマサービス本部 > 第一部": the path of unit id from the top,
 * each unit by name. Caller frees; NULL when it cannot be read. */
char *cli_org_path(store *db, int64_t id);

/* ---- Records shown by more than one command (person show and their own list) ---- */

struct json_t;

/* An experience record as JSON: id, project, period, role, specialization, level,
 * item ids, succeeded, description. A new reference. */
struct json_t *cli_experience_json(const store_experience *x);
/* The records as a terminal table within width columns, appended to out. */
void cli_experience_table(buf *out, const store_experience_list *l, int width);

/* A contribution as JSON (new reference), and the contributions as a table. */
struct json_t *cli_contribution_json(const store_contribution *c);
void cli_contribution_table(buf *out, const store_contribution_list *l, int width);

/* itss import training-results FILE (cli_training.c): LMS completions attached
 * to plan actions; a->pos[1] is the file. */
int cli_import_training_results(const cli_args *a, const char *db_path, const char *encoding, int dry_run);

#endif
