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

/* Words m and gives it to the relay; the outcome, with error filled on failure. */
static smtp_result send_one(const notify_relay *r, const store_outbox_msg *m, time_t now, char *error, size_t size)
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
    char helo[256];
    snprintf(helo, sizeof helo, "%s", r->helo && *r->helo ? r->helo : at ? at + 1 : "localhost");
    smtp_result res = smtp_send(r->host, r->port, helo, r->from, m->to_addr, message.data, message.len,
                                r->timeout_ms, error, size);
    buf_free(&subject);
    buf_free(&body);
    buf_free(&message);
    return res;
}

int notify_send_due(store *db, const notify_relay *r, int ignore_due, int max, int *sent, int *failed, err *e)
{
    int n_sent = 0, n_failed = 0, rc = 0;
    if (ignore_due) {
        /* a failure makes a row pending again: try each of those there now once */
        int64_t pending;
        if (store_outbox_count(db, OUTBOX_PENDING, &pending, e) < 0)
            return -1;
        if (max <= 0 || pending < max)
            max = (int)(pending < 1 ? 0 : pending > 1000000 ? 1000000 : pending);
        if (max == 0)
            max = -1;          /* nothing to send: the loop below does not start */
    }
    for (int done = 0; max == 0 || done < max; done++) {
        time_t now = time(NULL);
        char at[24], lease[24];
        moment(now, at);
        moment(now + NOTIFY_LEASE_S, lease);
        store_outbox_msg m;
        int got = store_outbox_claim(db, at, lease, ignore_due, &m, e);
        if (got <= 0) {
            rc = got;
            break;
        }
        char error[512];
        smtp_result res = send_one(r, &m, now, error, sizeof error);
        moment(time(NULL), at);
        if (res == SMTP_SENT) {
            rc = store_outbox_mark_sent(db, m.id, at, e);
            n_sent++;
        } else {
            char retry[24];
            moment(time(NULL) + backoff(r, m.attempts), retry);
            rc = store_outbox_mark_failed(db, m.id, error, res == SMTP_PERMANENT ? NULL : retry, e);
            n_failed++;
        }
        store_outbox_msg_clear(&m);
        /* the relay is down or busy: the rest wait for the next round, not a timeout each */
        if (rc < 0 || res == SMTP_TEMPORARY)
            break;
    }
    if (sent)
        *sent = n_sent;
    if (failed)
        *failed = n_failed;
    return rc < 0 ? -1 : 0;
}
