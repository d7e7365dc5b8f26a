/* account.c - roles, argon2id password hashes with a cap on concurrent hashing,
 * and random tokens stored as hashes (see account.h). */
#include "account.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { account_role role; const char *name; } role_names[] = {
    { ROLE_ENGINEER, "engineer" },
    { ROLE_MANAGER, "manager" },
    { ROLE_HR, "hr" },
    { ROLE_ADMIN, "admin" },
};

#define N_ROLES (sizeof role_names / sizeof role_names[0])

/* The stored name of one role, or "". */
const char *account_role_name(account_role role)
{
    for (size_t i = 0; i < N_ROLES; i++)
        if (role_names[i].role == role)
            return role_names[i].name;
    return "";
}

/* The role spelled name, or ROLE_NONE. */
account_role account_role_parse(const char *name)
{
    for (size_t i = 0; name && i < N_ROLES; i++)
        if (strcmp(role_names[i].name, name) == 0)
            return role_names[i].role;
    return ROLE_NONE;
}

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_status = -1;

static void sodium_start(void)
{
    sodium_status = sodium_init() < 0 ? -1 : 0;
}

/* Starts libsodium once per process. */
int account_init(void)
{
    pthread_once(&sodium_once, sodium_start);
    return sodium_status;
}

/* The hashing slots: a counting semaphore made of a mutex and a condition, so
 * that it needs no run-time initialization. */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slots_free = PTHREAD_COND_INITIALIZER;
static int slots_limit = 2;
static int slots_used;

void account_set_hash_limit(int n)
{
    pthread_mutex_lock(&slots_lock);
    slots_limit = n < 1 ? 1 : n;
    pthread_cond_broadcast(&slots_free);
    pthread_mutex_unlock(&slots_lock);
}

int account_hash_limit(void)
{
    pthread_mutex_lock(&slots_lock);
    int n = slots_limit;
    pthread_mutex_unlock(&slots_lock);
    return n;
}

static void slot_take(void)
{
    pthread_mutex_lock(&slots_lock);
    while (slots_used >= slots_limit)
        pthread_cond_wait(&slots_free, &slots_lock);
    slots_used++;
    pthread_mutex_unlock(&slots_lock);
}

static void slot_give(void)
{
    pthread_mutex_lock(&slots_lock);
    slots_used--;
    pthread_cond_signal(&slots_free);
    pthread_mutex_unlock(&slots_lock);
}

/* Why a new password is refused, or NULL. */
const char *account_password_problem(const char *password)
{
    size_t n = password ? strlen(password) : 0;
    if (n < ACCOUNT_PASSWORD_MIN)
        return "the password is too short (at least 8 characters)";
    if (n > ACCOUNT_PASSWORD_MAX)
        return "the password is too long (at most 1024 bytes)";
    return NULL;
}

/* argon2id at libsodium's interactive limits, within a hashing slot. */
int account_password_hash(const char *password, char out[ACCOUNT_HASH_SIZE])
{
    if (account_init() < 0)
        return -1;
    slot_take();
    int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    slot_give();
    return rc == 0 ? 0 : -1;
}

/* A hash of a password nobody knows, made with the same limits as real ones, so
 * that checking an unknown user costs what checking a known one does. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$V4DoeJzBGdL/hy2XElgptg$CYfZQ9pRY3Er76ALd1pIampO3Vgp4M7ZVURdXhAgtmE";

/* 1 when password matches hash. A missing or malformed hash is checked against
 * dummy_hash for the time it takes, and never matches. */
int account_password_verify(const char *hash, const char *password)
{
    if (account_init() < 0 || !password)
        return 0;
    int real = hash && strncmp(hash, "$argon2id$", 10) == 0;
    slot_take();
    int ok = crypto_pwhash_str_verify(real ? hash : dummy_hash, password, strlen(password)) == 0;
    slot_give();
    return real && ok;
}

/* prefix + base64url(32 random bytes). */
void account_token_new(const char *prefix, char out[ACCOUNT_TOKEN_SIZE])
{
    unsigned char raw[32];
    char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

    if (account_init() < 0) {
        fputs("itss: libsodium cannot start (no entropy source)\n", stderr);
        abort();
    }
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    snprintf(out, ACCOUNT_TOKEN_SIZE, "%s%s", prefix ? prefix : "", text);
    sodium_memzero(text, sizeof text);
}

/* hex(BLAKE2b-256(token)). */
void account_token_hash(const char *token, char out[ACCOUNT_TOKEN_HASH_SIZE])
{
    unsigned char h[32];
    if (account_init() < 0) {
        fputs("itss: libsodium cannot start (no entropy source)\n", stderr);
        abort();
    }
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, ACCOUNT_TOKEN_HASH_SIZE, h, sizeof h);
}

/* Equal strings in time that depends on the length only. */
int account_equal(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return n == 0 || sodium_memcmp(a, b, n) == 0;
}

/* "~" + base64url(mask | token ^ mask). */
void account_mask(const char *token, char out[ACCOUNT_MASKED_SIZE])
{
    size_t n = strlen(token);
    if (n == 0 || n > ACCOUNT_MASK_MAX || account_init() < 0) {
        snprintf(out, ACCOUNT_MASKED_SIZE, "%s", token);
        return;
    }
    unsigned char both[2 * ACCOUNT_MASK_MAX];
    randombytes_buf(both, n);
    for (size_t i = 0; i < n; i++)
        both[n + i] = (unsigned char)token[i] ^ both[i];
    out[0] = '~';
    sodium_bin2base64(out + 1, ACCOUNT_MASKED_SIZE - 1, both, 2 * n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(both, sizeof both);
}

/* Unmasks sent when it is "~..." and compares with token. */
int account_mask_matches(const char *token, const char *sent)
{
    if (!token || !sent || !*token)
        return 0;
    if (sent[0] != '~')
        return account_equal(token, sent);
    size_t n = strlen(token);
    unsigned char both[2 * ACCOUNT_MASK_MAX];
    size_t got = 0;
    if (n > ACCOUNT_MASK_MAX || account_init() < 0 ||
        sodium_base642bin(both, sizeof both, sent + 1, strlen(sent + 1), NULL, &got, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || got != 2 * n)
        return 0;
    unsigned char plain[ACCOUNT_MASK_MAX];
    for (size_t i = 0; i < n; i++)
        plain[i] = both[n + i] ^ both[i];
    int same = sodium_memcmp(plain, token, n) == 0;
    sodium_memzero(plain, sizeof plain);
    sodium_memzero(both, sizeof both);
    return same;
}
