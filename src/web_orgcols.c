/* web_orgcols.c - the organization's columns (orgcols.h) as the web app keeps
 * them (web_kit.h): read once at start over a connection of their own (its
 * page cache kept small: the start reads everything once), refreshed and
 * locked for each request that counts over them. A refresh with nothing
 * changed costs one stamp query (store_change_stamp). */
#include "web_kit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct org_box {
    pthread_mutex_t lock;
    orgcols *oc;               /* NULL until started */
    store *db;                 /* the columns' own connection */
    web_request *holder;       /* the request holding the lock, NULL when none */
    const web_eval *ev;        /* the app's catalog and policy */
} org_box;

static const char box_key = 0;

static void *make_box(void *ctx)
{
    (void)ctx;
    org_box *b = calloc(1, sizeof *b);
    if (b)
        pthread_mutex_init(&b->lock, NULL);
    return b;
}

static void free_box(void *p)
{
    org_box *b = p;
    orgcols_free(b->oc);
    store_close(b->db);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

static org_box *box_of(web_app *app)
{
    return web_app_memo(app, &box_key, make_box, NULL, free_box);
}

/* Opens the columns' connection and checks the memory they will need against
 * the app's limit (lock held). */
static int box_open(org_box *b, web_app *app, err *e)
{
    const web_config *cf = web_app_config(app);
    b->ev = web_app_evaluator(app);
    if (!b->ev) {
        err_set(e, cf->db_path, 0, 0, NULL, "no catalog or policy to read the organization's columns with");
        return -1;
    }
    if (!b->db && !(b->db = store_open(cf->db_path, 0, e)))
        return -1;
    store_small_cache(b->db, NULL);
    int64_t n = 0;
    if (store_assessment_total(b->db, &n, e) < 0)
        return -1;
    orgcols *probe = orgcols_new(b->ev->catalog, b->ev->policy);
    size_t limit = cf->org_memory ? cf->org_memory : WEB_ORG_MEMORY;
    size_t need = orgcols_bytes_for(probe, (size_t)n);
    orgcols_free(probe);
    if (need > limit) {
        /* In whole MB (K below one), rounded up, as --org-memory takes it. */
        int mb = need >= (1u << 20);
        size_t amount = mb ? (need + (1u << 20) - 1) >> 20 : (need + 1023) >> 10;
        const char *unit = mb ? "M" : "K";
        err_set(e, cf->db_path, 0, 0, "org-memory",
                "the organization's columns for %lld assessments need %zu %sB of memory, more than the %zu KB "
                "allowed: start with --org-memory %zu%s (or ITSS_ORG_MEMORY=%zu%s) or more",
                (long long)n, amount, unit, limit >> 10, amount, unit, amount, unit);
        return -1;
    }
    return 0;
}

/* Opens, checks and reads the columns (lock held). */
static int box_start(org_box *b, web_app *app, err *e)
{
    if (box_open(b, app, e) < 0)
        return -1;
    orgcols *oc = orgcols_new(b->ev->catalog, b->ev->policy);
    if (orgcols_refresh(oc, b->db, e) < 0) {
        orgcols_free(oc);
        return -1;
    }
    b->oc = oc;
    return 0;
}

int web_orgcols_start(web_app *app, int read_now, err *e)
{
    org_box *b = box_of(app);
    if (!b) {
        err_set(e, "", 0, 0, NULL, "out of memory");
        return -1;
    }
    pthread_mutex_lock(&b->lock);
    int rc = b->oc ? 0 : read_now ? box_start(b, app, e) : box_open(b, app, e);
    pthread_mutex_unlock(&b->lock);
    return rc;
}

/* The request's end: lets go of the columns if r still holds them. */
static void release_at_end(void *p)
{
    web_orgcols_release(p);
}

const orgcols *web_orgcols_acquire(web_request *r)
{
    org_box *b = box_of(r->app);
    err e;
    memset(&e, 0, sizeof e);
    if (!b) {
        web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
        return NULL;
    }
    pthread_mutex_lock(&b->lock);
    if ((!b->oc && box_start(b, r->app, &e) < 0) || orgcols_refresh(b->oc, b->db, &e) < 0) {
        pthread_mutex_unlock(&b->lock);
        web_store_failed(r, "the organization's columns", &e);
        return NULL;
    }
    b->holder = r;
    web_defer(r, release_at_end, r);
    return b->oc;
}

void web_orgcols_release(web_request *r)
{
    org_box *b = box_of(r->app);
    if (b && b->holder == r) {     /* only the holder's thread sees itself here */
        b->holder = NULL;
        pthread_mutex_unlock(&b->lock);
    }
}
