/* accounts.h - user accounts made in bulk from people, with one-time sign-in
 * links (store_signin.h), and an administrator's password reset by link: what
 * `itss user bulk|reset` and the administrator's pages (/admin/accounts) both
 * run.
 *
 * A bulk action is one transaction: the people of an org unit (and the units
 * below), or the rows of a CSV file (employee number, optional role and login;
 * docs/csv.md), each get a user (login: the CSV's, else the employee number)
 * without a password and a sign-in link working ACCOUNTS_LINK_DAYS days, once.
 * A person who already has a user is skipped and reported; a person who left
 * (store: left_on) is skipped too. Any error (an unknown person, a login taken
 * by someone else, a bad role) refuses the whole action: nothing is written.
 * The secret of each link is handed back once, for the page or the file that
 * shows it; the database keeps its hash. */
#ifndef ITSS_ACCOUNTS_H
#define ITSS_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "csv.h"
#include "err.h"
#include "store.h"

#define ACCOUNTS_LINK_DAYS 7
#define ACCOUNTS_LINK_DAYS_MAX 90
#define ACCOUNTS_SIGNIN_PATH "/signin/"   /* followed by the link's secret */

/* One account of a bulk action (or a reset): made, or skipped because the
 * person already had one (then login is theirs and token is empty). */
typedef struct accounts_entry {
    int64_t person_id, user_id;
    char *employee_number, *name, *email;   /* email NULL when the person has none */
    char *login, *role;
    char token[64];            /* the link's secret ("" when skipped) */
    char expires_at[24];       /* UTC moment ("" when skipped) */
} accounts_entry;

typedef struct accounts_result {
    accounts_entry *made;
    size_t n_made;
    accounts_entry *skipped;   /* already had an account */
    size_t n_skipped;
    size_t n_left;             /* people skipped because they left */
} accounts_result;

typedef struct accounts_options {
    const char *actor;         /* who acts: recorded with each link */
    const char *role;          /* the role of new users: a role name, or "auto" (NULL too): manager for a
                                  person with direct reports, else engineer. A CSV row's role wins */
    int days;                  /* link lifetime; 0: ACCOUNTS_LINK_DAYS */
    int dry_run;               /* check and report, write nothing */
    int mail;                  /* 1: each link also goes to its person as an e-mail (the outbox, notify.h:
                                  template "signin"), in the same transaction */
    /* Called for each account made, inside the transaction (after the mail
     * when mail is 1). A non-zero return refuses the whole action (*e filled by
     * the callee). May be NULL. */
    int (*made)(store *db, const accounts_entry *a, void *ctx, err *e);
    void *ctx;
} accounts_options;

/* Accounts for everyone of unit org_unit_id (with the units below when
 * sub_units). 0 done (or checked), 1 refused with the reasons in errors
 * (nothing written), -1 the store failed (*e). */
int accounts_for_unit(store *db, int64_t org_unit_id, int sub_units, const accounts_options *o, accounts_result *out,
                      err_list *errors, err *e);

/* Accounts for the rows of csv (columns employee_number, role, login; errors
 * as file:line:column). Return as accounts_for_unit. */
int accounts_from_csv(store *db, csv_reader *csv, const char *file, const accounts_options *o, accounts_result *out,
                      err_list *errors, err *e);

/* A password reset by link of user_id: the user's password, sessions and
 * tokens go, and *out holds the new link (accounts_entry_clear). 0, or -1. */
int accounts_reset(store *db, int64_t user_id, const accounts_options *o, accounts_entry *out, err *e);

/* The links of r as CSV (UTF-8 with a BOM, CRLF): employee_number, name,
 * login, role, signin_url (base_url + ACCOUNTS_SIGNIN_PATH + secret),
 * expires_at; the people skipped follow with an empty signin_url. */
void accounts_csv(const accounts_result *r, const char *base_url, buf *out);

/* The CSV template of a bulk action: header and an example row. */
void accounts_template(buf *out);

void accounts_entry_clear(accounts_entry *a);
void accounts_result_free(accounts_result *r);

#endif
