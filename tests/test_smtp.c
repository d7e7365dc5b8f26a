/* test_smtp.c - the SMTP client of smtp.h: the encodings a relay and a mail
 * reader rely on (base64, RFC 2047 subjects split between characters,
 * dot-stuffing, the message's headers), and the dialogue itself against a
 * scripted server on 127.0.0.1 (a thread of this test): the commands in
 * order, the data dot-stuffed on the wire, a 4xx as temporary, a 5xx to the
 * recipient as permanent, no listener as temporary. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smtp.h"

static void test_base64(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    smtp_base64(&b, "", 0, 0);
    assert_int_equal(b.len, 0);
    smtp_base64(&b, "f", 1, 0);
    smtp_base64(&b, "fo", 2, 0);
    smtp_base64(&b, "foo", 3, 0);
    smtp_base64(&b, "foobar", 6, 0);
    assert_string_equal(b.data, "Zg==Zm8=Zm9vZm9vYmFy");
    buf_reset(&b);
    char sixty[60];
    memset(sixty, 'a', sizeof sixty);
    smtp_base64(&b, sixty, sizeof sixty, 1);   /* 80 characters: a line of 76 and one of 4 */
    assert_non_null(strstr(b.data, "\r\n"));
    assert_int_equal(strstr(b.data, "\r\n") - b.data, 76);
    assert_int_equal(b.len, 82);
    buf_free(&b);
}

static void test_header_ascii_as_is(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    smtp_header_text(&b, "[ITSS] Your diagnosis was approved", 9);
    assert_string_equal(b.data, "[ITSS] Your diagnosis was approved");
    buf_free(&b);
}

/* Decodes the encoded words of a header value back to text (test's own decoder). */
static void decode_words(const char *v, buf *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = v;
    while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
        p += 10;
        const char *end = strstr(p, "?=");
        assert_non_null(end);
        unsigned acc = 0;
        int bits = 0;
        for (; p < end; p++) {
            if (*p == '=')
                break;
            const char *d = strchr(digits, *p);
            assert_non_null(d);
            acc = (acc << 6) | (unsigned)(d - digits);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                buf_putc(out, (char)((acc >> bits) & 0xFF));
            }
        }
        p = end + 2;
    }
}

static void test_header_japanese_words(void **state)
{
    (void)state;
    const char *subject = "【ITSS】石井 和也さんが2026年度のスキル診断を提出しました。レビューして承認してください";
    buf b, back;
    buf_init(&b);
    buf_init(&back);
    smtp_header_text(&b, subject, 9);
    /* every encoded word at most 75 characters, on lines folded with CRLF SP */
    const char *line = b.data;
    int words = 0;
    while (line) {
        const char *next = strstr(line, "\r\n");
        size_t len = next ? (size_t)(next - line) : strlen(line);
        if (words > 0) {
            assert_true(line[0] == ' ');
            line++, len--;
        }
        assert_true(len <= 75);
        assert_memory_equal(line, "=?UTF-8?B?", 10);
        assert_memory_equal(line + len - 2, "?=", 2);
        words++;
        line = next ? next + 2 : NULL;
    }
    assert_true(words >= 3);
    /* each word decodes on its own to whole characters: the concatenation is the subject */
    decode_words(b.data, &back);
    assert_string_equal(back.data, subject);
    /* no word ends inside a character: each decoded word is valid UTF-8 by itself */
    line = b.data;
    while ((line = strstr(line, "=?UTF-8?B?")) != NULL) {
        const char *end = strstr(line, "?=") + 2;
        char one[128];
        snprintf(one, sizeof one, "%.*s", (int)(end - line), line);
        buf w;
        buf_init(&w);
        decode_words(one, &w);
        unsigned char last = (unsigned char)w.data[w.len - 1];
        assert_true(last < 0x80 || (last >= 0x80 && last < 0xC0));   /* not a lead byte */
        unsigned char first = (unsigned char)w.data[0];
        assert_false(first >= 0x80 && first < 0xC0);                  /* not a continuation */
        buf_free(&w);
        line = end;
    }
    buf_free(&b);
    buf_free(&back);
}

static void test_header_line_breaks_never_end_it(void **state)
{
    (void)state;
    buf b, back;
    buf_init(&b);
    buf_init(&back);
    smtp_header_text(&b, "件名\r\nBcc: x@example.jp", 9);
    assert_null(strstr(b.data, "Bcc"));
    decode_words(b.data, &back);
    assert_string_equal(back.data, "件名  Bcc: x@example.jp");
    buf_free(&b);
    buf_free(&back);
}

static void test_dot_stuffing(void **state)
{
    (void)state;
    buf b;
    buf_init(&b);
    const char *in = ".first\nsecond\r\n.\r\n..two\rlast";
    smtp_dot_stuff(&b, in, strlen(in));
    assert_string_equal(b.data, "..first\r\nsecond\r\n..\r\n...two\r\nlast\r\n.\r\n");
    buf_reset(&b);
    smtp_dot_stuff(&b, "ends\r\n", 6);
    assert_string_equal(b.data, "ends\r\n.\r\n");
    buf_reset(&b);
    smtp_dot_stuff(&b, "", 0);
    assert_string_equal(b.data, ".\r\n");
    buf_free(&b);
}

static void test_message_headers(void **state)
{
    (void)state;
    smtp_message m = { .from = "itss@example.jp", .from_name = "ITSS", .to = "kazuya.ishii@example.jp",
                       .to_name = "石井 和也", .subject = "承認されました", .body = "本文\n.点\n",
                       .date = "Sun, 06 Dec 2026 23:30:00 +0000", .message_id = "outbox-1.1@example.jp" };
    buf b;
    buf_init(&b);
    smtp_message_write(&b, &m);
    assert_non_null(strstr(b.data, "From: ITSS <itss@example.jp>\r\n"));
    assert_non_null(strstr(b.data, "To: =?UTF-8?B?"));
    assert_non_null(strstr(b.data, "?= <kazuya.ishii@example.jp>\r\n"));
    assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?5om/6KqN44GV44KM44G+44GX44Gf?=\r\n"));
    assert_non_null(strstr(b.data, "Date: Sun, 06 Dec 2026 23:30:00 +0000\r\n"));
    assert_non_null(strstr(b.data, "Message-ID: <outbox-1.1@example.jp>\r\n"));
    assert_non_null(strstr(b.data, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(b.data, "Content-Transfer-Encoding: base64\r\n\r\n"));
    /* the body: base64 of the text with CR LF line ends */
    buf want;
    buf_init(&want);
    smtp_base64(&want, "本文\r\n.点\r\n", strlen("本文\r\n.点\r\n"), 1);
    assert_non_null(strstr(b.data, want.data));
    /* a name with specials is quoted */
    buf_reset(&b);
    m.to_name = "Ishii, K. \"Kaz\"";
    smtp_message_write(&b, &m);
    assert_non_null(strstr(b.data, "To: \"Ishii, K. \\\"Kaz\\\"\" <kazuya.ishii@example.jp>\r\n"));
    buf_free(&want);
    buf_free(&b);
}

static void test_date_and_address(void **state)
{
    (void)state;
    char d[40];
    smtp_date(1796599800LL, d);
    assert_string_equal(d, "Sun, 06 Dec 2026 23:30:00 +0000");
    assert_true(smtp_address_ok("a.b@example.jp"));
    assert_false(smtp_address_ok("no-at-sign"));
    assert_false(smtp_address_ok("a b@example.jp"));
    assert_false(smtp_address_ok("a@example.jp>\r\nRCPT TO:<x@y"));
    assert_false(smtp_address_ok("@example.jp"));
    assert_false(smtp_address_ok(""));
}

/* ---- The dialogue against a scripted server ------------------------------------------------ */

typedef struct script {
    int listen_fd;
    const char *rcpt_reply;    /* what RCPT TO gets */
    buf heard;                 /* everything the client sent */
} script;

/* Sends line + CR LF on fd. */
static void say(int fd, const char *line)
{
    char b[256];
    int n = snprintf(b, sizeof b, "%s\r\n", line);
    assert_true(write(fd, b, (size_t)n) == n);
}

/* Reads one line (up to LF) from fd into out and into heard; 0 at the end. */
static int hear(script *s, int fd, char *out, size_t size)
{
    size_t n = 0;
    char c;
    while (read(fd, &c, 1) == 1) {
        buf_putc(&s->heard, c);
        if (n + 1 < size)
            out[n++] = c;
        if (c == '\n') {
            out[n] = '\0';
            return 1;
        }
    }
    return 0;
}

static void *serve_script(void *arg)
{
    script *s = arg;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    char line[1024];
    say(fd, "220 test ESMTP");
    while (hear(s, fd, line, sizeof line)) {
        if (strncmp(line, "EHLO", 4) == 0)
            say(fd, "250-test\r\n250 8BITMIME");
        else if (strncmp(line, "MAIL FROM:", 10) == 0)
            say(fd, "250 ok");
        else if (strncmp(line, "RCPT TO:", 8) == 0)
            say(fd, strstr(line, "bad") ? s->rcpt_reply : "250 ok");
        else if (strncmp(line, "RSET", 4) == 0)
            say(fd, "250 reset");
        else if (strncmp(line, "DATA", 4) == 0) {
            say(fd, "354 go on");
            while (hear(s, fd, line, sizeof line) && strcmp(line, ".\r\n") != 0)
                ;
            say(fd, "250 queued");
        } else if (strncmp(line, "QUIT", 4) == 0) {
            say(fd, "221 bye");
            break;
        } else
            say(fd, "500 what");
    }
    close(fd);
    return NULL;
}

/* Starts the script (a recipient with "bad" in it gets rcpt_reply) on a free
 * port of 127.0.0.1 written into port[16]. */
static void script_start(script *s, const char *rcpt_reply, char port[16], pthread_t *t)
{
    memset(s, 0, sizeof *s);
    s->rcpt_reply = rcpt_reply;
    buf_init(&s->heard);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    assert_int_equal(bind(s->listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s->listen_fd, 1), 0);
    getsockname(s->listen_fd, (struct sockaddr *)&a, &len);
    snprintf(port, 16, "%d", ntohs(a.sin_port));
    pthread_create(t, NULL, serve_script, s);
}

static smtp_result run_dialogue_to(const char *rcpt_reply, const char *to, const char *message, char *error,
                                   size_t size, buf *heard);

/* Runs smtp_send to "bad@example.jp" (rcpt_reply) or "to@example.jp" (250);
 * the result, error and what the server heard. */
static smtp_result run_dialogue(const char *rcpt_reply, const char *message, char *error, size_t size, buf *heard)
{
    return run_dialogue_to(rcpt_reply, strstr(rcpt_reply, "250") == rcpt_reply ? "to@example.jp" : "bad@example.jp",
                           message, error, size, heard);
}

static smtp_result run_dialogue_to(const char *rcpt_reply, const char *to, const char *message, char *error,
                                   size_t size, buf *heard)
{
    script s;
    char port[16];
    pthread_t t;
    script_start(&s, rcpt_reply, port, &t);
    smtp_result r = smtp_send("127.0.0.1", port, "itss.test", "itss@example.jp", to, message, strlen(message), 5000,
                              error, size);
    pthread_join(t, NULL);
    close(s.listen_fd);
    *heard = s.heard;
    return r;
}

static void test_dialogue_sent(void **state)
{
    (void)state;
    char error[256];
    buf heard;
    smtp_result r = run_dialogue("250 ok", "Subject: x\r\n\r\n.hidden\r\nend\r\n", error, sizeof error, &heard);
    assert_int_equal(r, SMTP_SENT);
    assert_string_equal(error, "");
    assert_non_null(heard.data);
    const char *ehlo = strstr(heard.data, "EHLO itss.test\r\n");
    const char *from = strstr(heard.data, "MAIL FROM:<itss@example.jp>\r\n");
    const char *to = strstr(heard.data, "RCPT TO:<to@example.jp>\r\n");
    const char *data = strstr(heard.data, "DATA\r\n");
    const char *quit = strstr(heard.data, "QUIT\r\n");
    assert_true(ehlo && from && to && data && quit);
    assert_true(ehlo < from && from < to && to < data && data < quit);
    assert_non_null(strstr(heard.data, "\r\n..hidden\r\nend\r\n.\r\n"));
    buf_free(&heard);
}

static void test_dialogue_refusals(void **state)
{
    (void)state;
    char error[256];
    buf heard;
    assert_int_equal(run_dialogue("550 5.1.1 no such user", "x\r\n", error, sizeof error, &heard), SMTP_PERMANENT);
    assert_string_equal(error, "RCPT TO: 550 5.1.1 no such user");
    assert_null(strstr(heard.data, "DATA"));
    buf_free(&heard);
    assert_int_equal(run_dialogue("451 4.3.0 try later", "x\r\n", error, sizeof error, &heard), SMTP_TEMPORARY);
    assert_string_equal(error, "RCPT TO: 451 4.3.0 try later");
    buf_free(&heard);
}

/* One session carries several messages: a recipient refused for good is
 * reset (RSET) and the next message goes through on the same connection. */
static void test_session_carries_several(void **state)
{
    (void)state;
    script s;
    char port[16], error[256];
    pthread_t t;
    script_start(&s, "550 5.1.1 no such user", port, &t);
    smtp_session *ss = smtp_open("127.0.0.1", port, "itss.test", 5000, error, sizeof error);
    assert_non_null(ss);
    assert_int_equal(smtp_session_send(ss, "itss@example.jp", "a@example.jp", "one\r\n", 5, error, sizeof error),
                     SMTP_SENT);
    assert_int_equal(smtp_session_send(ss, "itss@example.jp", "bad@example.jp", "two\r\n", 5, error, sizeof error),
                     SMTP_PERMANENT);
    assert_string_equal(error, "RCPT TO: 550 5.1.1 no such user");
    assert_int_equal(smtp_session_send(ss, "itss@example.jp", "c@example.jp", "three\r\n", 7, error, sizeof error),
                     SMTP_SENT);
    assert_string_equal(error, "");
    smtp_close(ss);
    pthread_join(t, NULL);
    close(s.listen_fd);
    /* one connection, one EHLO, three transactions, the refused one reset */
    const char *h = s.heard.data;
    assert_non_null(strstr(h, "EHLO itss.test\r\n"));
    assert_null(strstr(strstr(h, "EHLO") + 4, "EHLO"));
    assert_non_null(strstr(h, "RCPT TO:<bad@example.jp>\r\nRSET\r\nMAIL FROM:"));
    assert_non_null(strstr(h, "\r\none\r\n.\r\n"));
    assert_non_null(strstr(h, "\r\nthree\r\n.\r\nQUIT\r\n"));
    buf_free(&s.heard);
}

static void test_no_relay_is_temporary(void **state)
{
    (void)state;
    /* a port nobody listens on: bound, never listened */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    char port[16], error[256];
    snprintf(port, sizeof port, "%d", ntohs(a.sin_port));
    assert_int_equal(smtp_send("127.0.0.1", port, "h", "a@b.jp", "c@d.jp", "x", 1, 2000, error, sizeof error),
                     SMTP_TEMPORARY);
    assert_non_null(strstr(error, "cannot connect to 127.0.0.1:"));
    close(fd);
    assert_int_equal(smtp_send("127.0.0.1", port, "h", "bad address", "c@d.jp", "x", 1, 2000, error, sizeof error),
                     SMTP_PERMANENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_header_ascii_as_is),
        cmocka_unit_test(test_header_japanese_words),
        cmocka_unit_test(test_header_line_breaks_never_end_it),
        cmocka_unit_test(test_dot_stuffing),
        cmocka_unit_test(test_message_headers),
        cmocka_unit_test(test_date_and_address),
        cmocka_unit_test(test_dialogue_sent),
        cmocka_unit_test(test_dialogue_refusals),
        cmocka_unit_test(test_session_carries_several),
        cmocka_unit_test(test_no_relay_is_temporary),
    };
    return cmocka_run_group_tests_name("smtp", tests, NULL, NULL);
}
