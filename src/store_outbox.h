/* store_outbox.h - the outbox of e-mails in the store (schema version 11;
 * store_outbox.c; docs/notifications.md).
 *
 * A message is a row written by whoever tells of an event, in the transaction
 * of the event (notify.h words it and finds the recipient); a sender
 * (notify_send.h) claims due rows, sends them and records the outcome. A row
 * holds what to say (a template name and its parameters as a JSON object),
 * not the words: they are made when it is sent or shown, in the recipient's
 * language, with the link under the public URL of that moment.
 *
 * Conventions as store.h: 0 / -1, get 1 / 0 / -1, moments UTC. */
#ifndef ITSS_STORE_OUTBOX_H
#define ITSS_STORE_OUTBOX_H

#include <stdint.h>
#include "store.h"

/* A row's state: waiting to be sent (again), sent, given up (a permanent
 * refusal by the relay), or never sendable (no address known). */
#define OUTBOX_PENDING "pending"
#define OUTBOX_SENT "sent"
#define OUTBOX_FAILED "failed"
#define OUTBOX_NO_ADDRESS "no_address"

typedef struct store_outbox_msg {
    int64_t id;                /* ignored by add */
    char *created_at;          /* set by add */
    char *template_name;       /* "submitted", "returned", "approved", "certified", "reminder"... */
    char *to_addr;             /* NULL: no address known (status no_address) */
    char *to_name;             /* may be NULL */
    char *lang;                /* "ja" or "en" (NULL: "ja") */
    char *path;                /* the link, below the public URL ("/team/review/7"); may be NULL */
    char *params;              /* a JSON object of strings (NULL: "{}") */
    char *dedupe_key;          /* a second add with the same key adds nothing; may be NULL */
    /* Read only (add sets them): */
    char *status;              /* OUTBOX_* */
    int64_t attempts;
    char *last_error;
    char *next_attempt_at;
    char *sent_at;
} store_outbox_msg;

typedef struct store_outbox_list {
    store_outbox_msg *items;
    size_t count;
} store_outbox_list;

/* Adds m as pending (no_address when m->to_addr is NULL or empty), due now.
 * *id (may be NULL) gets its id; *added (may be NULL) 0 when a row with the
 * same dedupe_key was there already (nothing added, *id 0), else 1. */
int store_outbox_add(store *s, const store_outbox_msg *m, int64_t *id, int *added, err *e);

/* Which rows a list takes: status (NULL: any), at most limit (0: 100) after
 * offset, the newest first. */
typedef struct store_outbox_filter {
    const char *status;
    int64_t limit, offset;
} store_outbox_filter;

int store_outbox_list_filter(store *s, const store_outbox_filter *f, store_outbox_list *out, err *e);
/* How many rows have status (NULL: every row). */
int store_outbox_count(store *s, const char *status, int64_t *count, err *e);
int store_outbox_get(store *s, int64_t id, store_outbox_msg *out, err *e);

/* Claims up to limit pending rows due at `now` (the oldest due first), in one
 * statement: counts an attempt on each and moves its due moment to
 * lease_until, so that no other sender takes them meanwhile. *out gets them
 * (count 0: none due; the caller frees it). With ignore_due, pending rows
 * waiting for a retry are taken too. */
int store_outbox_claim(store *s, const char *now, const char *lease_until, int ignore_due, int64_t limit,
                       store_outbox_list *out, err *e);
/* Gives back a claimed row not attempted after all: due at due_at, the
 * attempt uncounted. */
int store_outbox_release(store *s, int64_t id, const char *due_at, err *e);
/* Row id was sent at now. */
int store_outbox_mark_sent(store *s, int64_t id, const char *now, err *e);
/* The attempt on row id failed with error: due again at retry_at, or given up
 * (status failed) when retry_at is NULL. */
int store_outbox_mark_failed(store *s, int64_t id, const char *error, const char *retry_at, err *e);
/* Row id no longer keeps its link (path NULL): a one-time secret once sent or given up. */
int store_outbox_forget_link(store *s, int64_t id, err *e);
/* Puts a failed (or pending) row back as pending, due at now (NULL: now; an admin asking
 * for another try). Refused (-1, nothing changed) with ERR_CONFLICT when the
 * row is sent or has no address, ERR_NOT_FOUND when there is no row id. */
int store_outbox_retry(store *s, int64_t id, const char *now, err *e);
/* Deletes every row (the demo's seeding sends nothing). */
int store_outbox_clear_all(store *s, err *e);

/* Who receives mail as person_id: *email (NULL when none), *name and *lang
 * (the language of the person's user, NULL when none or no user), caller
 * frees each. 1, 0 no such person, -1. */
int store_outbox_recipient(store *s, int64_t person_id, char **email, char **name, char **lang, err *e);

/* Records lang ("ja" or "en") as the language of user id's mails. */
int store_user_set_lang(store *s, int64_t user_id, const char *lang, err *e);

/* A person who has not submitted in a cycle, for reminders. Strings belong to
 * the store for the call. */
typedef struct store_unsubmitted {
    int64_t person_id;
    const char *email, *name, *lang;   /* lang NULL when the user has none */
} store_unsubmitted;

/* Calls fn for each person with an e-mail address and an enabled user whose
 * assessment of cycle_id is missing, a draft or returned, and who has no
 * outbox row with dedupe_key key_prefix + person id ("reminder:3:" + "17"),
 * by person id. fn returns 0 to go on (else that value is returned); fn may
 * call the store. */
int store_outbox_unsubmitted_each(store *s, int64_t cycle_id, const char *key_prefix,
                                  int (*fn)(const store_unsubmitted *u, void *ctx), void *ctx, err *e);

void store_outbox_msg_clear(store_outbox_msg *m);
void store_outbox_list_free(store_outbox_list *l);

#endif
