/* account.h - what an account is made of, apart from where it is stored:
 * roles, password hashes and random tokens.
 *
 * Used by the web server (logins, sessions, bearer tokens) and by the command
 * line (`itss user`, `itss token`). Passwords are hashed with libsodium's
 * argon2id at its interactive limits; at most account_hash_limit() hashes run at
 * once, so a burst of logins cannot take all memory (64 MiB each) or all cores.
 * Session and bearer tokens are 32 random bytes; only their BLAKE2b hash is
 * stored, so a copy of the database does not let anyone in. */
#ifndef ITSS_ACCOUNT_H
#define ITSS_ACCOUNT_H

#include <stddef.h>

/* Roles, as bits so that a route can name every role that may use it.
 *   engineer       their own data
 *   manager        their own and the people of their org unit and the units below
 *   hr             every person, cycles, imports and exports
 *   admin          users and settings */
typedef enum account_role {
    ROLE_NONE = 0,
    ROLE_ENGINEER = 1 << 0,
    ROLE_MANAGER = 1 << 1,
    ROLE_HR = 1 << 2,
    ROLE_ADMIN = 1 << 3,
} account_role;

#define ROLES_ANY (ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR | ROLE_ADMIN)

/* The role's name as stored and typed: "engineer", "manager", "hr", "admin";
 * "" for ROLE_NONE or a combination. Static. */
const char *account_role_name(account_role role);
/* The role called name (exactly as account_role_name spells it), or ROLE_NONE. */
account_role account_role_parse(const char *name);

/* Length of an argon2id hash string including its NUL (crypto_pwhash_STRBYTES). */
#define ACCOUNT_HASH_SIZE 128
#define ACCOUNT_PASSWORD_MIN 8        /* bytes */
#define ACCOUNT_PASSWORD_MAX 1024     /* bytes */

/* Initializes libsodium once; safe from any thread. Returns 0, or -1 when the
 * library cannot start (no entropy source). Every function below calls it. */
int account_init(void);

/* Sets how many password hashes may run at once (at least 1; default 2). */
void account_set_hash_limit(int n);
int account_hash_limit(void);

/* Checks that a new password is acceptable; returns NULL or a message (static,
 * English) saying why not. */
const char *account_password_problem(const char *password);

/* Hashes password into out (ACCOUNT_HASH_SIZE bytes) with argon2id. Waits while
 * account_hash_limit() hashes are running. Returns 0, or -1 when out of memory. */
int account_password_hash(const char *password, char out[ACCOUNT_HASH_SIZE]);

/* Returns 1 when password matches hash, 0 otherwise (also for a malformed hash).
 * hash NULL checks against a dummy hash, so that an unknown user takes as long
 * as a wrong password. Waits for a hashing slot like account_password_hash. */
int account_password_verify(const char *hash, const char *password);

/* A new random token: prefix followed by 43 base64url characters (32 random
 * bytes), written into out. */
#define ACCOUNT_TOKEN_SIZE 64        /* room for the longest prefix used + 43 + NUL */
void account_token_new(const char *prefix, char out[ACCOUNT_TOKEN_SIZE]);

/* The stored form of a token: 64 lowercase hex digits of its BLAKE2b-256 hash. */
#define ACCOUNT_TOKEN_HASH_SIZE 65
void account_token_hash(const char *token, char out[ACCOUNT_TOKEN_HASH_SIZE]);

/* Constant-time comparison of two NUL-terminated strings; 1 when equal. */
int account_equal(const char *a, const char *b);

/* A token (at most ACCOUNT_MASK_MAX bytes) masked afresh: "~" followed by
 * base64url of a random mask and the token XOR the mask, so that the same token
 * never shows the same bytes twice (a page compressed with gzip cannot leak it
 * by its length: BREACH). A longer token is copied as it is. */
#define ACCOUNT_MASK_MAX 64
#define ACCOUNT_MASKED_SIZE 192
void account_mask(const char *token, char out[ACCOUNT_MASKED_SIZE]);
/* 1 when sent is token itself, or token masked by account_mask (constant time
 * for a given length). */
int account_mask_matches(const char *token, const char *sent);

#endif
