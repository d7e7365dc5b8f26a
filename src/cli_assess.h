/* cli_assess.h - `itss assess PERSON`: the assessment of one person in one cycle.
 *
 * src/cli_assess.c owns the command: it parses the options, opens the store,
 * loads the catalog, and either imports (--from FILE.json) or exports
 * (--to FILE.json) one assessment. With neither option it hands over to the
 * interactive questionnaire, cli_assess_interactive(), which lives in
 * src/cli_assess_interactive.c. */
#ifndef ITSS_CLI_ASSESS_H
#define ITSS_CLI_ASSESS_H

#include "catalog.h"
#include "cli.h"
#include "store.h"

/* The interactive questionnaire for `itss assess PERSON [--spec S] [--cycle C]`.
 *
 * What the caller (cli_assess.c) has done before calling, so that this function
 * need not check it again:
 *   - a: the parsed command line (a->prog is "itss assess" for messages; a->json
 *     is set when --json was given). Belongs to the caller.
 *   - db: the store, open, with no transaction open. The function saves each
 *     answer as it is given (store_answer_save, each its own transaction), so
 *     nothing answered is lost on Ctrl-C. It must not close db.
 *   - cat: the catalog the database uses: its id and version equal those of
 *     store_catalog_current(db). Belongs to the caller.
 *   - empno: the employee number of a person who exists in db (store_person_find
 *     returns 1).
 *   - spec: NULL to go through every specialization of cat, or the full id of one
 *     specialization of cat ("CS.HW"; the caller has already turned "HW" or "hw"
 *     into the id and refused names cat does not have).
 *   - cycle: never NULL: the name of a cycle that exists in db. The caller took
 *     --cycle, or else the cycle open today (store_cycle_current), or else the
 *     latest cycle; with no cycle at all it refused before calling.
 *   The assessment of that person in that cycle may or may not exist yet: the
 *   function creates it with store_assessment_ensure(db, person, cycle,
 *   catalog_id(cat), catalog_version(cat), empno, ...), recording the person's
 *   employee number as the actor of self ratings (rater RATER_SELF).
 *   A person whose assessment in that cycle is for another catalog version, or is
 *   approved, is refused with a message (exit 1).
 *
 * Returns the process exit status: CLI_OK (0) when the questionnaire ended or was
 * left (answers so far saved; running the command again resumes), 1 when the
 * store refused something (message printed to stderr), CLI_USAGE (2) when stdin is
 * not something questions can be asked on and the user should use --from. */
int cli_assess_interactive(const cli_args *a, store *db, const catalog *cat, const char *empno,
                           const char *spec, const char *cycle);

#endif
