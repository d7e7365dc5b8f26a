/* cli_demo_org.h - `itss demo --people N`: a large synthetic organization for
 * trying and measuring itss at the scale of a big company (cli_demo_org.c). */
#ifndef ITSS_CLI_DEMO_ORG_H
#define ITSS_CLI_DEMO_ORG_H

#include "catalog.h"
#include "policy.h"
#include "store.h"

#define DEMO_ORG_MIN_PEOPLE 10
#define DEMO_ORG_MAX_PEOPLE 10000000L
#define DEMO_ORG_MAX_CYCLES 10

/* Fills db (empty, catalog already recorded as in use, no transaction open)
 * with n_people people and n_cycles cycles drawn from a fixed seed, committing
 * every few hundred people, and prints a summary to stdout: text (json 0),
 * JSON (1) or none (-1).
 * Returns 0, or -1 with *e filled (what was committed stays: the caller removes
 * a database it created). */
int demo_org_fill(store *db, const catalog *cat, const policy *pol, long n_people, int n_cycles, int json,
                  err *e);

#endif
