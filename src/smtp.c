/* smtp.c - the SMTP client and the message encodings of smtp.h. */
#include "smtp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- Encodings ------------------------------------------------------------------ */

void smtp_base64(buf *out, const void *data, size_t n, int wrap)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        if (wrap && col == 76) {
            buf_puts(out, "\r\n");
            col = 0;
        }
        char q[4] = { digits[(v >> 18) & 63], digits[(v >> 12) & 63], i + 1 < n ? digits[(v >> 6) & 63] : '=',
                      i + 2 < n ? digits[v & 63] : '=' };
        buf_append(out, q, 4);
        col += 4;
    }
}

/* The length of the UTF-8 character starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 ? (c < 0xF0 ? 3 : 1) : c >= 0xC0 ? 2 : 1;
}

/* 1 when text is printable ASCII (spaces and tabs allowed), which a header
 * carries as it is. */
static int plain_ascii(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p >= 0x7F)
            return 0;
    return 1;
}

/* Bytes of text an encoded word carries at most: "=?UTF-8?B?" and "?=" take 12
 * of its 75 characters, leaving 63 for base64, that is 15 groups of 3 bytes. */
#define WORD_BYTES 45

void smtp_header_text(buf *out, const char *text, size_t used)
{
    (void)used;                /* every word fits a line of its own: 1 + 75 < 78 */
    if (plain_ascii(text)) {
        buf_puts(out, text);
        return;
    }
    size_t n = strlen(text), at = 0;
    int first = 1;
    while (at < n) {
        size_t take = 0;
        while (at + take < n) {
            size_t c = utf8_len((unsigned char)text[at + take]);
            if (at + take + c > n)
                c = n - at - take;
            if (take + c > WORD_BYTES)
                break;
            take += c;
        }
        if (!first)
            buf_puts(out, "\r\n ");
        buf_puts(out, "=?UTF-8?B?");
        /* line breaks in a header would end it: they go in as spaces */
        char chunk[WORD_BYTES];
        memcpy(chunk, text + at, take);
        for (size_t i = 0; i < take; i++)
            if (chunk[i] == '\r' || chunk[i] == '\n')
                chunk[i] = ' ';
        smtp_base64(out, chunk, take, 0);
        buf_puts(out, "?=");
        at += take;
        first = 0;
    }
}

void smtp_dot_stuff(buf *out, const char *data, size_t n)
{
    int line_start = 1;
    for (size_t i = 0; i < n; i++) {
        char c = data[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && data[i + 1] == '\n')
                i++;
            buf_puts(out, "\r\n");
            line_start = 1;
            continue;
        }
        if (line_start && c == '.')
            buf_putc(out, '.');
        buf_putc(out, c);
        line_start = 0;
    }
    if (!line_start)
        buf_puts(out, "\r\n");
    buf_puts(out, ".\r\n");
}

/* Appends "name <addr>" (name encoded when needed) or just addr. */
static void write_mailbox(buf *out, const char *name, const char *addr, size_t used)
{
    if (name && *name) {
        if (plain_ascii(name) && !strpbrk(name, "\"\\()<>[]:;@,.")) {
            buf_puts(out, name);
        } else if (plain_ascii(name)) {
            buf_putc(out, '"');
            for (const char *p = name; *p; p++) {
                if (*p == '"' || *p == '\\')
                    buf_putc(out, '\\');
                buf_putc(out, *p);
            }
            buf_putc(out, '"');
        } else {
            smtp_header_text(out, name, used);
        }
        buf_puts(out, " ");
    }
    buf_printf(out, "<%s>", addr);
}

void smtp_message_write(buf *out, const smtp_message *m)
{
    buf_puts(out, "From: ");
    write_mailbox(out, m->from_name, m->from, 6);
    buf_puts(out, "\r\nTo: ");
    write_mailbox(out, m->to_name, m->to, 4);
    buf_puts(out, "\r\nSubject: ");
    smtp_header_text(out, m->subject ? m->subject : "", 9);
    buf_printf(out, "\r\nDate: %s\r\nMessage-ID: <%s>\r\n", m->date, m->message_id);
    buf_puts(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n");
    const char *body = m->body ? m->body : "";
    /* the body's lines end in CR LF before encoding, as text/plain wants */
    buf crlf;
    buf_init(&crlf);
    for (const char *p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            buf_putc(&crlf, '\r');
        buf_putc(&crlf, *p);
    }
    smtp_base64(out, crlf.data ? crlf.data : "", crlf.len, 1);
    buf_puts(out, "\r\n");
    buf_free(&crlf);
}

void smtp_date(long long t, char out[40])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int smtp_address_ok(const char *addr)
{
    if (!addr)
        return 0;
    size_t n = strlen(addr);
    const char *at = strrchr(addr, '@');
    if (n == 0 || n > 254 || !at || at == addr || !at[1])
        return 0;
    for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || *p == '<' || *p == '>')
            return 0;
    return 1;
}

/* ---- The dialogue ------------------------------------------------------------------ */

typedef struct conn {
    int fd;
    int timeout_ms;
    char in[4096];
    size_t have;
    char *error;
    size_t error_size;
} conn;

/* Connects to host:port within timeout_ms; the socket, or -1 with the error set. */
static int dial(conn *c, const char *host, const char *port)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai != 0) {
        snprintf(c->error, c->error_size, "cannot resolve %s: %s", host, gai_strerror(gai));
        return -1;
    }
    int fd = -1, why = 0;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            why = errno;
            continue;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        if (errno == EINPROGRESS) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };
            int soerr = 0;
            socklen_t len = sizeof soerr;
            if (poll(&p, 1, c->timeout_ms) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0
                && soerr == 0)
                break;
            why = soerr ? soerr : ETIMEDOUT;
        } else {
            why = errno;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(c->error, c->error_size, "cannot connect to %s:%s: %s", host, port, strerror(why));
    return fd;
}

/* Writes all of data[0..n); 0, or -1 with the error set. */
static int send_all(conn *c, const char *data, size_t n)
{
    while (n > 0) {
        struct pollfd p = { .fd = c->fd, .events = POLLOUT };
        if (poll(&p, 1, c->timeout_ms) != 1) {
            snprintf(c->error, c->error_size, "the relay took longer than %d ms to take data", c->timeout_ms);
            return -1;
        }
        ssize_t w = send(c->fd, data, n, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (w <= 0) {
            snprintf(c->error, c->error_size, "writing to the relay: %s", strerror(errno));
            return -1;
        }
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one reply (every line of a multi-line one) and returns its code, with
 * its last line in last[0..size); -1 with the error set when the connection
 * failed or the reply is not SMTP. */
static int read_reply(conn *c, char *last, size_t size)
{
    for (;;) {
        char *nl = memchr(c->in, '\n', c->have);
        if (nl) {
            size_t len = (size_t)(nl - c->in) + 1;
            size_t text = len - 1 - (len >= 2 && c->in[len - 2] == '\r');
            snprintf(last, size, "%.*s", (int)text, c->in);
            int more = len > 4 && c->in[3] == '-';
            int ok = len >= 4 && c->in[0] >= '2' && c->in[0] <= '5' && c->in[1] >= '0' && c->in[1] <= '9'
                     && c->in[2] >= '0' && c->in[2] <= '9';
            int code = ok ? atoi(last) : -1;
            memmove(c->in, c->in + len, c->have - len);
            c->have -= len;
            if (!ok) {
                snprintf(c->error, c->error_size, "the relay does not speak SMTP: \"%.60s\"", last);
                return -1;
            }
            if (!more)
                return code;
            continue;
        }
        if (c->have == sizeof c->in) {
            snprintf(c->error, c->error_size, "the relay sent a line longer than %zu bytes", sizeof c->in);
            return -1;
        }
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        if (poll(&p, 1, c->timeout_ms) != 1) {
            snprintf(c->error, c->error_size, "no reply from the relay within %d ms", c->timeout_ms);
            return -1;
        }
        ssize_t r = recv(c->fd, c->in + c->have, sizeof c->in - c->have, 0);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (r <= 0) {
            snprintf(c->error, c->error_size, "the relay closed the connection");
            return -1;
        }
        c->have += (size_t)r;
    }
}

/* Sends command (without CR LF; NULL sends nothing) and reads the reply: its
 * code, or -1 with the error set. A reply outside [want_lo, want_hi] sets the
 * error to "step: the reply". */
static int command(conn *c, const char *step, const char *cmd, int want_lo, int want_hi)
{
    if (cmd) {
        buf b;
        buf_init(&b);
        buf_printf(&b, "%s\r\n", cmd);
        int rc = send_all(c, b.data, b.len);
        buf_free(&b);
        if (rc < 0)
            return -1;
    }
    char last[512];
    int code = read_reply(c, last, sizeof last);
    if (code < 0)
        return -1;
    if (code < want_lo || code > want_hi)
        snprintf(c->error, c->error_size, "%s: %s", step, last);
    return code;
}

/* The result for a reply code that was not the one wanted. */
static smtp_result refused(int code, int envelope)
{
    return code >= 500 && envelope ? SMTP_PERMANENT : SMTP_TEMPORARY;
}

/* The greeting and EHLO (HELO when EHLO is refused) on a new connection. */
static smtp_result hello(conn *c, const char *helo)
{
    char line[600];
    int code = command(c, "greeting", NULL, 220, 220);
    if (code != 220)
        return SMTP_TEMPORARY;
    snprintf(line, sizeof line, "EHLO %s", helo);
    code = command(c, "EHLO", line, 250, 250);
    if (code >= 500) {
        snprintf(line, sizeof line, "HELO %s", helo);
        code = command(c, "HELO", line, 250, 250);
    }
    return code == 250 ? SMTP_SENT : SMTP_TEMPORARY;
}

/* One message's transaction on a greeted connection: MAIL FROM, RCPT TO,
 * DATA. After a refusal of the envelope the transaction is reset (RSET), so
 * that the connection serves the next message. */
static smtp_result transaction(conn *c, const char *from, const char *to, const char *message, size_t len)
{
    char line[600];
    int code;
    snprintf(line, sizeof line, "MAIL FROM:<%s>", from);
    if ((code = command(c, "MAIL FROM", line, 250, 250)) == 250) {
        snprintf(line, sizeof line, "RCPT TO:<%s>", to);
        if ((code = command(c, "RCPT TO", line, 250, 251)) == 250 || code == 251)
            code = command(c, "DATA", "DATA", 354, 354);
    }
    if (code != 354) {
        if (code < 0)
            return SMTP_TEMPORARY;
        char keep[512];
        snprintf(keep, sizeof keep, "%s", c->error);
        int reset = command(c, "RSET", "RSET", 250, 250);
        snprintf(c->error, c->error_size, "%s", keep);
        return reset == 250 ? refused(code, 1) : SMTP_TEMPORARY;
    }
    buf data;
    buf_init(&data);
    smtp_dot_stuff(&data, message, len);
    int rc = send_all(c, data.data, data.len);
    buf_free(&data);
    if (rc < 0)
        return SMTP_TEMPORARY;
    if ((code = command(c, "end of DATA", NULL, 250, 250)) != 250)
        return code < 0 ? SMTP_TEMPORARY : refused(code, 1);
    return SMTP_SENT;
}

struct smtp_session {
    conn c;
    char scratch[8];
};

/* Points c's error at error[0..size), or at the session's scratch. */
static void set_error(smtp_session *s, char *error, size_t size)
{
    s->c.error = error && size ? error : s->scratch;
    s->c.error_size = error && size ? size : sizeof s->scratch;
    s->c.error[0] = '\0';
}

smtp_session *smtp_open(const char *host, const char *port, const char *helo, int timeout_ms, char *error,
                        size_t error_size)
{
    smtp_session *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->c.timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
    set_error(s, error, error_size);
    s->c.fd = dial(&s->c, host, port);
    if (s->c.fd >= 0 && hello(&s->c, helo && *helo ? helo : "localhost") == SMTP_SENT)
        return s;
    if (s->c.fd >= 0)
        close(s->c.fd);
    free(s);
    return NULL;
}

smtp_result smtp_session_send(smtp_session *s, const char *from, const char *to, const char *message, size_t len,
                              char *error, size_t error_size)
{
    set_error(s, error, error_size);
    if (!smtp_address_ok(from) || !smtp_address_ok(to)) {
        snprintf(s->c.error, s->c.error_size, "not an address SMTP can carry: %s", smtp_address_ok(from) ? to : from);
        return SMTP_PERMANENT;
    }
    smtp_result r = transaction(&s->c, from, to, message, len);
    if (r == SMTP_SENT)
        s->c.error[0] = '\0';
    return r;
}

void smtp_close(smtp_session *s)
{
    if (!s)
        return;
    set_error(s, NULL, 0);
    command(&s->c, "QUIT", "QUIT", 221, 221);   /* what was accepted stays accepted whatever QUIT answers */
    close(s->c.fd);
    free(s);
}

void smtp_abandon(smtp_session *s)
{
    if (!s)
        return;
    close(s->c.fd);
    free(s);
}

smtp_result smtp_send(const char *host, const char *port, const char *helo, const char *from, const char *to,
                      const char *message, size_t len, int timeout_ms, char *error, size_t error_size)
{
    if (!smtp_address_ok(from) || !smtp_address_ok(to)) {
        if (error && error_size)
            snprintf(error, error_size, "not an address SMTP can carry: %s", smtp_address_ok(from) ? to : from);
        return SMTP_PERMANENT;
    }
    smtp_session *s = smtp_open(host, port, helo, timeout_ms, error, error_size);
    if (!s)
        return SMTP_TEMPORARY;
    smtp_result r = smtp_session_send(s, from, to, message, len, error, error_size);
    smtp_close(s);
    return r;
}
