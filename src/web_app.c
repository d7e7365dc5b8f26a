/* web_app.c - what every request of `itss serve` shares: the configuration and a
 * pool of database connections (a store handle serves one thread at a time, so
 * each request borrows one and gives it back when it ends). */
#include "web.h"
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A value kept for the app's lifetime (web_app_memo). */
typedef struct web_memo {
    const void *key;
    void *value;
    void (*release)(void *);
    struct web_memo *next;
} web_memo;

struct web_app {
    web_config config;
    pthread_mutex_t lock;
    store **idle;              /* connections nobody uses now */
    size_t n_idle, cap_idle;
    web_memo *memos;           /* under lock */
    int read_only;             /* the database file could not be opened for writing */
};

/* Puts s into the idle list (lock held by the caller). */
static void idle_push(web_app *app, store *s)
{
    if (app->n_idle == app->cap_idle) {
        size_t cap = app->cap_idle ? app->cap_idle * 2 : 8;
        store **idle = realloc(app->idle, cap * sizeof *idle);
        if (!idle) {            /* cannot keep it: close it instead */
            store_close(s);
            return;
        }
        app->idle = idle;
        app->cap_idle = cap;
    }
    app->idle[app->n_idle++] = s;
}

/* The configuration with defaults filled in, one store opened to check the
 * database and bring its schema up to date. Caller frees with web_app_free. */
web_app *web_app_new(const web_config *config, err *e)
{
    web_app *app = calloc(1, sizeof *app);
    if (!app) {
        err_set(e, "", 0, 0, "", "out of memory");
        return NULL;
    }
    app->config = *config;
    if (app->config.threads <= 0) {
        /* Two per core, at least 4: a worker waiting up to STORE_WRITE_WAIT_MS
         * for another process's write lock, or for a password-hashing slot,
         * must not leave the reads without a thread. */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        app->config.threads = n > 0 ? (int)(2 * n) : 4;
        if (app->config.threads < 4)
            app->config.threads = 4;
    }
    if (!app->config.max_body) app->config.max_body = WEB_MAX_BODY;
    if (!app->config.max_upload) app->config.max_upload = WEB_MAX_UPLOAD;
    if (app->config.session_idle_minutes <= 0) app->config.session_idle_minutes = WEB_SESSION_IDLE_MINUTES;
    if (app->config.session_hours <= 0) app->config.session_hours = WEB_SESSION_HOURS;
    pthread_mutex_init(&app->lock, NULL);

    store *s = store_open(app->config.db_path, 0, e);
    if (!s) {
        web_app_free(app);
        return NULL;
    }
    app->read_only = store_read_only(s);
    idle_push(app, s);
    return app;
}

int web_app_read_only(const web_app *app)
{
    return app->read_only;
}

void web_app_free(web_app *app)
{
    if (!app)
        return;
    while (app->memos) {
        web_memo *m = app->memos;
        app->memos = m->next;
        if (m->release)
            m->release(m->value);
        free(m);
    }
    for (size_t i = 0; i < app->n_idle; i++)
        store_close(app->idle[i]);
    free(app->idle);
    pthread_mutex_destroy(&app->lock);
    free(app);
}

const web_config *web_app_config(const web_app *app)
{
    return &app->config;
}

/* The memo under key, made on first use while the lock is held, so once. */
void *web_app_memo(web_app *app, const void *key, void *(*make)(void *ctx), void *ctx, void (*release)(void *))
{
    pthread_mutex_lock(&app->lock);
    web_memo *m = app->memos;
    while (m && m->key != key)
        m = m->next;
    void *value = m ? m->value : NULL;
    if (!m && (value = make(ctx)) != NULL) {
        m = malloc(sizeof *m);
        if (!m) {
            fputs("itss: out of memory\n", stderr);
            abort();
        }
        *m = (web_memo){ key, value, release, app->memos };
        app->memos = m;
    }
    pthread_mutex_unlock(&app->lock);
    return value;
}

/* An idle connection, or a new one; NULL with *e filled when none can be opened. */
static store *store_acquire(web_app *app, err *e)
{
    store *s = NULL;
    pthread_mutex_lock(&app->lock);
    if (app->n_idle)
        s = app->idle[--app->n_idle];
    pthread_mutex_unlock(&app->lock);
    return s ? s : store_open(app->config.db_path, 0, e);
}

/* Gives s back to the pool, undoing any transaction a failed handler left open. */
void web_app_store_release(web_app *app, store *s)
{
    while (store_depth(s) > 0)
        if (store_rollback(s, NULL) < 0)
            break;
    if (store_depth(s) > 0) {
        store_close(s);
        return;
    }
    pthread_mutex_lock(&app->lock);
    idle_push(app, s);
    pthread_mutex_unlock(&app->lock);
}

store *web_app_store_take(web_app *app, err *e)
{
    return store_acquire(app, e);
}
