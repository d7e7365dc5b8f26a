/* store_signin.h - one-time sign-in links of users (schema version 11;
 * store_signin.c). Part of the one store interface (store.h).
 *
 * An administrator who makes accounts in bulk, or resets a password, hands each
 * user a link instead of a password. The store keeps only the hash of the
 * link's secret (account_token_hash), who made it, when it expires and when it
 * was used. A link works once, until it expires, while its user is enabled;
 * following it, the user sets a password. A user made this way has no password
 * until then (STORE_NO_PASSWORD: never matches, account_password_verify). */
#ifndef ITSS_STORE_SIGNIN_H
#define ITSS_STORE_SIGNIN_H

#include <stdint.h>
#include "err.h"
#include "store.h"

/* The password hash of a user who has not set a password yet: no password
 * matches it. */
#define STORE_NO_PASSWORD "!"

/* A sign-in link and its user. */
typedef struct store_signin_link {
    int64_t user_id;
    char *created_by, *created_at, *expires_at;
    char *used_at;             /* NULL while unused */
    store_user user;
} store_signin_link;

/* Adds a link (token_hash) of user_id made by actor at now, working until
 * expires_at (moments, UTC). The user's earlier links that were not used stop
 * working. The caller may hold a transaction (a bulk action). */
int store_signin_link_add(store *s, int64_t user_id, const char *token_hash, const char *actor, const char *now,
                          const char *expires_at, err *e);

/* A reset by link, in one transaction: the user's password is taken away
 * (STORE_NO_PASSWORD), their sessions end, their API tokens are deleted, and
 * the new link replaces any earlier one (store_signin_link_add). */
int store_signin_reset(store *s, int64_t user_id, const char *token_hash, const char *actor, const char *now,
                       const char *expires_at, err *e);

/* The link with token_hash as it can be used at now: 1 with *out (cleared with
 * store_signin_link_clear); 0 when it cannot, with e's key saying why:
 * "signin.unknown", "signin.used", "signin.expired", "signin.disabled". */
int store_signin_link_find(store *s, const char *token_hash, const char *now, store_signin_link *out, err *e);

/* Uses the link: in one transaction, checks it as store_signin_link_find does,
 * marks it used at now, sets the user's password_hash and ends their sessions
 * and tokens. 1 with *user_id; 0 when it cannot be used (e's key as above: of
 * two uses at once, one wins); -1. */
int store_signin_link_use(store *s, const char *token_hash, const char *now, const char *password_hash,
                          int64_t *user_id, err *e);

void store_signin_link_clear(store_signin_link *l);

/* The user of person_id: 1 with *out (store_user_clear), 0 when none, -1. */
int store_user_of_person(store *s, int64_t person_id, store_user *out, err *e);

#endif
