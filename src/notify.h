/* notify.h - the e-mails itss sends: what each event puts in the outbox, and the
 * words of each message in Japanese and English (docs/notifications.md).
 *
 * Every function that enqueues writes one outbox row (store_outbox.h) and
 * nothing else, inside the caller's transaction when one is open, so that the
 * message exists exactly when the event does: call it between store_begin and
 * store_commit of the change it tells of. A recipient without an address gets
 * a row all the same (status no_address), which the admin's outbox shows.
 *
 * Who gets what:
 *   submitted  the person's manager              link: the review page
 *   returned   the person, with the reason       link: /diagnosis
 *   approved   the person                        link: /results
 *   certified  the person                        link: the certificate
 *   reminder   each person with a user who has not submitted, N days before
 *              the cycle closes, once per person and cycle   link: /diagnosis
 *   signin     the person of a new account, or of a password reset: their
 *              one-time sign-in link (accounts.c)         link: /signin/TOKEN
 *   text       anyone: the caller gives "subject" and "body" (a {link} in the
 *              body becomes the link), for messages worded elsewhere
 *
 * Functions return 0, or -1 with *e (a store failure). */
#ifndef ITSS_NOTIFY_H
#define ITSS_NOTIFY_H

#include <stdint.h>
#include "buf.h"
#include "store.h"
#include "store_outbox.h"

/* One message to enqueue. */
typedef struct notify_mail {
    const char *template_name; /* one of the names above */
    int64_t person_id;         /* the recipient, whose address, name and language are looked up; or 0 ... */
    const char *to_addr;       /* ... and these are taken as given (lang NULL: Japanese) */
    const char *to_name, *lang;
    const char *path;          /* the link below the public URL, may be NULL */
    const char *const *params; /* "key", "value", ..., NULL: what the words need; may be NULL */
    const char *dedupe_key;    /* a second message with the same key is not added; may be NULL */
} notify_mail;

/* Enqueues m. *id (may be NULL) gets the row's id (0 when a row with its
 * dedupe_key was there already). */
int notify_enqueue(store *db, const notify_mail *m, int64_t *id, err *e);

/* The events (review.c calls them within its transactions). actor is the login
 * of who acted, may be NULL. */
int notify_submitted(store *db, int64_t assessment_id, err *e);
int notify_returned(store *db, int64_t assessment_id, const char *reason, err *e);
int notify_approved(store *db, int64_t assessment_id, err *e);
/* c as store_certificate_find fills it; spec_name the specialization's name. */
int notify_certified(store *db, const store_certificate *c, const char *spec_name, err *e);

/* Enqueues the reminders due on `today` (YYYY-MM-DD): for each cycle open on
 * that day that closes within days_before days, one message to each person
 * who has not submitted (store_outbox_unsubmitted_each), once per person and
 * cycle whenever it is called. *queued (may be NULL) gets how many. One
 * transaction. days_before 0: none. */
int notify_reminders(store *db, const char *today, int days_before, int *queued, err *e);

/* The words of m in its language: the subject into *subject and the plain
 * text body into *body (appended; the caller frees both), the link being
 * public_url (NULL or "": the link's path alone) followed by m's path. */
void notify_render(const store_outbox_msg *m, const char *public_url, buf *subject, buf *body);

/* 1 when the link of template_name's messages holds a secret (a one-time
 * sign-in link): the outbox keeps it only until the message is sent or given
 * up (notify_send.c forgets it then; a row that can never be sent is written
 * without it), and the faces show it masked (notify_shown). */
int notify_link_secret(const char *template_name);

/* *shown = m as the outbox's faces show it: m's fields (borrowed, not copied)
 * but a secret link masked (its path up to the last '/' followed by "…", in
 * mask, which must outlive *shown). */
void notify_shown(const store_outbox_msg *m, store_outbox_msg *shown, char *mask, size_t mask_size);

/* Puts message id back to pending (store_outbox_retry), but refuses
 * (ERR_CONFLICT, key outbox.link_gone) a message of a secret link that the
 * outbox no longer keeps: it would go without its link; a new link is made
 * instead (itss user reset). */
int notify_retry(store *db, int64_t id, err *e);

#endif
