/* notify_send.h - the sender: claims the outbox's due messages, words them
 * (notify_render), sends them to the SMTP relay (smtp.h) and records each
 * outcome on its row (docs/notifications.md).
 *
 * A message the relay could not take now (no connection, a timeout, a 4xx
 * reply) stays pending with the error and its attempts counted, due again
 * after retry_s seconds, doubled at each further attempt up to an hour; a
 * message the relay refuses for good (a 5xx reply to its envelope or data)
 * becomes failed. Delivery is at least once: a sender that dies between the
 * relay's acceptance and the row's update sends that message again once its
 * claim has lapsed (NOTIFY_LEASE_S). */
#ifndef ITSS_NOTIFY_SEND_H
#define ITSS_NOTIFY_SEND_H

#include "store.h"

#define NOTIFY_LEASE_S 600     /* a claimed message is another sender's again after this long */
#define NOTIFY_RETRY_MAX_S 3600

typedef struct notify_relay {
    const char *host, *port;   /* the relay */
    const char *from;          /* the sender's address (envelope and From) */
    const char *from_name;     /* NULL: "ITSS" */
    const char *helo;          /* NULL: the host part of from */
    const char *public_url;    /* what the links start with ("https://itss.example.jp") */
    int timeout_ms;            /* per reply (0: 30 s) */
    int retry_s;               /* the first retry's delay (0: 60 s) */
} notify_relay;

/* Sends the messages due now (with ignore_due, every pending one), at most
 * max (0: no limit), the oldest first, over one connection (a new one every
 * 100 messages). The first message
 * the relay cannot take now ends the round (the others wait for the next, not
 * a timeout each); a permanent refusal does not. *sent and *failed (may be
 * NULL) count the outcomes (a retry to come counts as failed). -1 with *e only
 * when the store failed. */
int notify_send_due(store *db, const notify_relay *r, int ignore_due, int max, int *sent, int *failed, err *e);

#endif
