/* smtp.h - a small SMTP client (RFC 5321) and the message encodings it needs
 * (RFC 5322 headers, RFC 2047 encoded words, base64 bodies), knowing nothing of
 * itss: notify_send.c gives it a relay, an envelope and a message.
 *
 * The dialogue is the plain one of a relay on a trusted network: EHLO (HELO
 * when EHLO is refused), MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT. No
 * TLS and no authentication: put a local MTA (Postfix, msmtpd) in front of a
 * relay that needs them. Every read and write has a timeout. */
#ifndef ITSS_SMTP_H
#define ITSS_SMTP_H

#include <stddef.h>
#include "buf.h"

/* ---- Encodings (pure, no I/O) ------------------------------------------------ */

/* Appends base64 of data[0..n) to out, a CRLF after every 76 characters when
 * wrap (the last line has none). */
void smtp_base64(buf *out, const void *data, size_t n, int wrap);

/* Appends text (UTF-8) as a header value: as it is when it is printable ASCII,
 * else as RFC 2047 encoded words "=?UTF-8?B?...?=", each at most 75
 * characters, split between characters (never inside one), separated by
 * CRLF SP (folding). `used` is how many characters of the header line are
 * already taken ("Subject: " is 9). */
void smtp_header_text(buf *out, const char *text, size_t used);

/* Appends data[0..n) as the content of DATA: every line ending (LF, CR LF or a
 * lone CR) becomes CR LF, a line beginning with '.' gets another '.' (RFC 5321
 * 4.5.2), and the content ends with CR LF "." CR LF. */
void smtp_dot_stuff(buf *out, const char *data, size_t n);

/* One message as notify_send.c writes it. */
typedef struct smtp_message {
    const char *from;          /* the From address, e.g. itss@example.jp */
    const char *from_name;     /* may be NULL */
    const char *to;            /* the recipient's address */
    const char *to_name;       /* may be NULL */
    const char *subject;       /* UTF-8 */
    const char *body;          /* UTF-8 plain text, lines ending in LF */
    const char *date;          /* RFC 5322 date, e.g. "Sun, 06 Dec 2026 23:30:00 +0000" */
    const char *message_id;    /* without <>, e.g. "outbox-12.1796...@itss" */
} smtp_message;

/* Appends m as an RFC 5322 message (CR LF lines): From, To, Subject, Date,
 * Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding base64, then the body in base64. */
void smtp_message_write(buf *out, const smtp_message *m);

/* The date of the moment t (seconds since the epoch) as RFC 5322 writes it, in
 * UTC, into out[40]. */
void smtp_date(long long t, char out[40]);

/* 1 when addr can stand in MAIL FROM / RCPT TO: local@domain of printable
 * ASCII, without spaces, angle brackets or line breaks, at most 254 bytes. */
int smtp_address_ok(const char *addr);

/* ---- The dialogue ----------------------------------------------------------- */

typedef enum smtp_result {
    SMTP_SENT = 0,
    SMTP_TEMPORARY,            /* no connection, a timeout, a 4xx reply: try again later */
    SMTP_PERMANENT             /* a 5xx reply to the envelope or the data: trying again will not help */
} smtp_result;

/* A connection to a relay that carries several messages, one transaction
 * each: smtp_open connects, waits for the greeting and says EHLO (NULL with
 * error filled when it cannot: a temporary failure); smtp_session_send sends
 * one message (as smtp_send; after a refusal of the envelope the session is
 * reset and serves the next, after a temporary failure abandon it);
 * smtp_close says QUIT and frees (NULL allowed). */
typedef struct smtp_session smtp_session;
smtp_session *smtp_open(const char *host, const char *port, const char *helo, int timeout_ms, char *error,
                        size_t error_size);
smtp_result smtp_session_send(smtp_session *s, const char *from, const char *to, const char *message, size_t len,
                              char *error, size_t error_size);
void smtp_close(smtp_session *s);
/* Closes without QUIT (after a temporary failure the connection may be
 * broken or slow) and frees; NULL allowed. */
void smtp_abandon(smtp_session *s);

/* Sends message[0..len) (as smtp_message_write makes it) from `from` to `to`
 * through the relay at host:port, greeting as helo (a host name), waiting at
 * most timeout_ms for each reply. On failure, error[0..error_size) says what
 * went wrong, with the relay's reply ("RCPT TO: 550 5.1.1 no such user"). */
smtp_result smtp_send(const char *host, const char *port, const char *helo, const char *from, const char *to,
                      const char *message, size_t len, int timeout_ms, char *error, size_t error_size);

#endif
