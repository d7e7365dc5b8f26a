/* cli_mail.h - what `itss mail` and `itss serve` share about sending mail: the
 * relay options (--smtp HOST:PORT, --mail-from, --public-url, --smtp-retry)
 * read into a notify_relay (notify_send.h). */
#ifndef ITSS_CLI_MAIL_H
#define ITSS_CLI_MAIL_H

#include "notify_send.h"

/* The options as given (NULL: not given). */
typedef struct cli_mail_options {
    const char *smtp;          /* HOST:PORT, [v6]:PORT */
    const char *from;          /* default itss@localhost */
    const char *public_url;    /* default $ITSS_PUBLIC_URL, else fallback_url */
    const char *retry;         /* seconds before the first retry (default 60) */
} cli_mail_options;

/* The relay and its memory: host and port split out of --smtp, the public URL. */
typedef struct cli_mail_relay {
    notify_relay relay;
    char host[256];
    char port[16];
    char public_url[512];
} cli_mail_relay;

/* Fills *out from o (o->smtp required); fallback_url is the public URL when
 * neither --public-url nor $ITSS_PUBLIC_URL says one. 0, or CLI_USAGE after a
 * message naming the option. */
int cli_mail_relay_parse(const char *prog, const char *usage, const cli_mail_options *o, const char *fallback_url,
                         cli_mail_relay *out);

#endif
