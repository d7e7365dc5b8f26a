/* fuzz_http.c - the web application (src/web.h) answering any bytes as one raw
 * HTTP request, as `itss serve --request` does: web_handle_raw over a web_app
 * opened on a demo database (`itss demo`) made once per process.
 *
 * So that the fuzzer gets past the login, every demo account has a session and
 * an API token whose secrets are fixed words the seeds and the dictionary carry:
 *     Cookie: itss_session=fuzz-session-engineer   (also -manager, -hr, -admin)
 *     csrf=fuzz-csrf  or  X-CSRF-Token: fuzz-csrf  (the CSRF token of all four)
 *     Authorization: Bearer fuzz-token-hr          (also -engineer, ...)
 * A request that changed the database (a form or API call went through) is
 * undone: the database is copied back from a snapshot taken after the setup,
 * so every input meets the same demo data and a crash file replays alone.
 *
 * Besides crashes, leaks and undefined behaviour, an answer must be HTTP with a
 * known status, and never 500 or 503: bad input is the client's error (4xx)
 * with a message, not the server's. With FUZZ_HTTP_ECHO set in the environment
 * the answers are printed (to see what a seed or a crash file gets). */
#include "fuzz.h"
#include "account.h"
#include "buf.h"
#include "catalog.h"
#include "store.h"
#include "web.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const logins[] = { "engineer", "manager", "hr", "admin" };
#define FUZZ_CSRF "fuzz-csrf"

static catalog *builtin_catalog;
static web_app *app;
static sqlite3 *snapshot;      /* the demo database after the setup, in memory */
static sqlite3 *live;          /* a connection to the file the app uses */
static int echo;               /* FUZZ_HTTP_ECHO: print every answer */

/* Gives every demo account a session and an API token with fixed secrets. */
static void add_fixed_secrets(const char *path)
{
    err e;
    memset(&e, 0, sizeof e);
    store *db = store_open(path, 0, &e);
    if (!db)
        fuzz_fail("cannot open the demo database: %s", e.message);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (size_t i = 0; i < sizeof logins / sizeof logins[0]; i++) {
        store_user u;
        if (store_user_find(db, logins[i], &u, &e) != 1)
            fuzz_fail("the demo has no user %s: %s", logins[i], e.message);
        char secret[64], hash[ACCOUNT_TOKEN_HASH_SIZE];
        snprintf(secret, sizeof secret, "fuzz-session-%s", logins[i]);
        account_token_hash(secret, hash);
        if (store_session_add(db, hash, u.id, FUZZ_CSRF, now, &e) < 0)
            fuzz_fail("cannot add a session: %s", e.message);
        snprintf(secret, sizeof secret, "fuzz-token-%s", logins[i]);
        account_token_hash(secret, hash);
        if (store_api_token_add(db, u.id, "fuzz", hash, now, NULL, NULL, &e) < 0)
            fuzz_fail("cannot add an API token: %s", e.message);
        store_user_clear(&u);
    }
    store_close(db);
}

/* Copies the whole database from one connection to another. */
static void copy_database(sqlite3 *to, sqlite3 *from)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b)
        fuzz_fail("cannot copy the database: %s", sqlite3_errmsg(to));
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        fuzz_fail("copying the database failed: %s", sqlite3_errstr(rc));
}

/* PRAGMA data_version of the live connection: it changes when another
 * connection (the app's) commits. */
static int data_version(void)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(live, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Makes the demo database, its fixed secrets, the app and the snapshot, once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *path = fuzz_demo_db();
    add_fixed_secrets(path);

    err_list *errors = calloc(1, sizeof *errors);
    builtin_catalog = errors ? catalog_load_builtin(errors) : NULL;
    free(errors);
    if (!builtin_catalog)
        fuzz_fail("the built-in catalog does not load");
    static web_config config;
    config.db_path = path;
    config.catalog = builtin_catalog;
    config.threads = 1;
    config.access_log = 0;
    config.session_idle_minutes = 60 * 24 * 365;   /* the fixed sessions outlive any run */
    config.session_hours = 24 * 365;
    /* The fuzzer's own address is a trusted proxy, so that X-Forwarded-For is
     * parsed (web_request.c, take_forwarded_address). */
    config.trusted_proxy = "192.0.2.0/24,2001:db8::/32";
    err e;
    memset(&e, 0, sizeof e);
    app = web_app_new(&config, &e);
    if (!app)
        fuzz_fail("web_app_new: %s", e.message);

    if (sqlite3_open_v2(path, &live, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_open(":memory:", &snapshot) != SQLITE_OK)
        fuzz_fail("cannot open the demo database with SQLite");
    sqlite3_busy_timeout(live, 10000);
    copy_database(snapshot, live);
    echo = getenv("FUZZ_HTTP_ECHO") != NULL;
    return 0;
}

/* Checks the raw answer: a status line with a known status, headers, body. */
static void check_answer(int status, const buf *out)
{
    if (status < 200 || status > 599 || !out->len || strncmp(out->data, "HTTP/1.1 ", 9) != 0)
        fuzz_fail("web_handle_raw answered %d:\n%.300s", status, out->len ? out->data : "");
    if (status == 500 || status == 503)
        fuzz_fail("web_handle_raw answered %d (the server's fault, not the request's):\n%.2000s", status, out->data);
    if (strcmp(web_status_text(status), "") == 0)
        fuzz_fail("status %d has no reason phrase", status);
    if (!strstr(out->data, "\r\n\r\n"))
        fuzz_fail("the answer has no end of headers:\n%.300s", out->data);
}

/* One input: answered and checked; the database put back if it changed. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int before = data_version();
    buf out;
    buf_init(&out);
    int status = web_handle_raw(app, (const char *)data, size, "192.0.2.1", &out);
    if (echo)
        fwrite(out.data, 1, out.len, stdout);
    check_answer(status, &out);
    buf_free(&out);
    if (data_version() != before)
        copy_database(live, snapshot);
    return 0;
}
