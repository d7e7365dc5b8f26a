/* notify_send.c - the sender of notify_send.h. */
#include "notify_send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify.h"
#include "smtp.h"
#include "store_outbox.h"

/* The moment t (seconds since the epoch) as the store writes moments. */
static void moment(time_t t, char out[24])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The delay before attempt number `attempts` + 1, after a failure. */
static long backoff(const notify_relay *r, int64_t attempts)
{
    long delay = r->retry_s > 0 ? r->retry_s : 60;
    for (int64_t i = 1; i < attempts && delay < NOTIFY_RETRY_MAX_S; i++)
        delay *= 2;
    return delay < NOTIFY_RETRY_MAX_S ? delay : NOTIFY_RETRY_MAX_S;
}

/* The messages one connection carries at most, then a new one. */
#define SESSION_MESSAGES 100

/* A connection to the relay, opened at the first message and kept for the next. */
typedef struct relay_link {
    smtp_session *session;
    int carried;
} relay_link;

/* Words m and gives it to the relay over l (connecting when needed); the
 * outcome, with error filled on failure. */
static smtp_result send_one(const notify_relay *r, relay_link *l, const store_outbox_msg *m, time_t now, char *error,
                            size_t size)
{
    buf subject, body, message;
    buf_init(&subject);
    buf_init(&body);
    buf_init(&message);
    notify_render(m, r->public_url, &subject, &body);
    char date[40], id[96];
    smtp_date((long long)now, date);
    const char *at = strrchr(r->from, '@');
    snprintf(id, sizeof id, "outbox-%lld.%lld@%s", (long long)m->id, (long long)now, at ? at + 1 : "itss");
    smtp_message msg = { .from = r->from, .from_name = r->from_name ? r->from_name : "ITSS", .to = m->to_addr,
                         .to_name = m->to_name, .subject = subject.data ? subject.data : "",
                         .body = body.data ? body.data : "", .date = date, .message_id = id };
    smtp_message_write(&message, &msg);
    smtp_result res = SMTP_TEMPORARY;
    if (!smtp_address_ok(m->to_addr)) {
        snprintf(error, size, "not an address SMTP can carry: %s", m->to_addr ? m->to_addr : "");
        res = SMTP_PERMANENT;
    } else {
        if (!l->session) {
            char helo[256];
            snprintf(helo, sizeof helo, "%s", r->helo && *r->helo ? r->helo : at ? at + 1 : "localhost");
            l->session = smtp_open(r->host, r->port, helo, r->timeout_ms, error, size);
            l->carried = 0;
        }
        if (l->session)
            res = smtp_session_send(l->session, r->from, m->to_addr, message.data, message.len, error, size);
    }
    if (res == SMTP_TEMPORARY) {
        smtp_abandon(l->session);
        l->session = NULL;
    } else if (l->session && ++l->carried >= SESSION_MESSAGES) {
        smtp_close(l->session);
        l->session = NULL;
    }
    buf_free(&subject);
    buf_free(&body);
    buf_free(&message);
    return res;
}

/* The messages claimed at once: their outcomes are written in one transaction. */
#define CLAIM_BATCH 20

/* What became of one claimed message. */
typedef struct outcome {
    smtp_result res;           /* SMTP_SENT, _TEMPORARY, _PERMANENT; -1 not attempted */
    char error[512];
    char at[24], retry[24];
} outcome;

/* Writes the outcomes of the claimed messages l in one transaction; counts them. 0, or -1. */
static int record(store *db, const store_outbox_list *l, const outcome *o, int *n_sent,
                  int *n_failed, err *e)
{
    if (store_begin(db, e) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < l->count && rc == 0; i++) {
        const store_outbox_msg *m = &l->items[i];
        if ((int)o[i].res < 0) {
            rc = store_outbox_release(db, m->id, o[i].at, e);
        } else if (o[i].res == SMTP_SENT) {
            rc = store_outbox_mark_sent(db, m->id, o[i].at, e);
            (*n_sent)++;
        } else {
            rc = store_outbox_mark_failed(db, m->id, o[i].error, o[i].res == SMTP_PERMANENT ? NULL : o[i].retry, e);
            (*n_failed)++;
        }
        /* sent or given up: a one-time link's secret is not kept past here */
        if (rc == 0 && (o[i].res == SMTP_SENT || o[i].res == SMTP_PERMANENT) && m->path
            && notify_link_secret(m->template_name))
            rc = store_outbox_forget_link(db, m->id, e);
    }
    if (rc == 0)
        return store_commit(db, e);
    store_rollback(db, NULL);
    return -1;
}

int notify_send_due(store *db, const notify_relay *r, int ignore_due, int max, int *sent, int *failed, err *e)
{
    int n_sent = 0, n_failed = 0, rc = 0, stop = 0;
    if (ignore_due) {
        /* a failure makes a row pending again: try each of those there now once */
        int64_t pending;
        if (store_outbox_count(db, OUTBOX_PENDING, &pending, e) < 0)
            return -1;
        if (max <= 0 || pending < max)
            max = (int)(pending < 1 ? 0 : pending > 1000000 ? 1000000 : pending);
        if (max == 0)
            max = -1;          /* nothing pending: the loop below does not start */
    }
    relay_link link = { NULL, 0 };
    for (int done = 0; !stop && max >= 0 && (max == 0 || done < max);) {
        time_t now = time(NULL);
        char at[24], lease[24];
        moment(now, at);
        moment(now + NOTIFY_LEASE_S, lease);
        int want = max == 0 || max - done > CLAIM_BATCH ? CLAIM_BATCH : max - done;
        store_outbox_list l;
        if ((rc = store_outbox_claim(db, at, lease, ignore_due, want, &l, e)) < 0 || l.count == 0)
            break;
        outcome *o = calloc(l.count, sizeof *o);
        if (!o)
            abort();
        for (size_t i = 0; i < l.count; i++) {
            o[i].res = (smtp_result)-1;
            moment(time(NULL), o[i].at);
            /* the relay is down or busy: the rest wait for the next round, not a timeout each */
            if (stop)
                continue;
            o[i].res = send_one(r, &link, &l.items[i], now, o[i].error, sizeof o[i].error);
            moment(time(NULL), o[i].at);
            moment(time(NULL) + backoff(r, l.items[i].attempts), o[i].retry);
            stop = o[i].res == SMTP_TEMPORARY;
        }
        done += (int)l.count;
        rc = record(db, &l, o, &n_sent, &n_failed, e);
        free(o);
        store_outbox_list_free(&l);
        if (rc < 0)
            break;
    }
    smtp_close(link.session);
    if (sent)
        *sent = n_sent;
    if (failed)
        *failed = n_failed;
    return rc < 0 ? -1 : 0;
}
