/* cli_mail.c - `itss mail`: the outbox of e-mails from the command line: list
 * it, show one message as it will be sent, send what is due to an SMTP relay,
 * enqueue the reminders due today, and try a failed message again
 * (docs/notifications.md). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_mail.h"
#include "cli_store.h"
#include "notify.h"
#include "notify_send.h"
#include "rules.h"
#include "smtp.h"
#include "store.h"
#include "store_outbox.h"
#include "web.h"

const char cli_mail_help[] =
    "usage: itss mail list [--status pending|sent|failed|no_address] [--limit N] [--json]\n"
    "       itss mail show ID [--public-url URL]\n"
    "       itss mail send --smtp HOST:PORT [--mail-from ADDR] [--public-url URL] [--all]\n"
    "       itss mail remind [--days N]\n"
    "       itss mail retry ID\n"
    "       [--db PATH]\n"
    "\n"
    "The outbox: every e-mail itss means to send (a submission to the manager; a\n"
    "return, an approval, a certificate and the reminders before a cycle closes to\n"
    "the person), written with the event itself. itss serve --smtp sends them by\n"
    "itself; these commands do it by hand.\n"
    "\n"
    "  list    the messages, the newest first: id, status, attempts, recipient,\n"
    "          subject, last error\n"
    "  show    one message as it will be sent: recipient, subject, body\n"
    "  send    sends the messages that are due to the relay HOST:PORT (plain SMTP,\n"
    "          no TLS: a local MTA); with --all also those waiting for a retry.\n"
    "          A message the relay cannot take now stays pending with the error\n"
    "          and ends the run (the rest wait); one it refuses for good becomes\n"
    "          failed\n"
    "  remind  enqueues today's reminders: each person with a user who has not\n"
    "          submitted in a cycle that closes within N days (default 7) gets one,\n"
    "          once per cycle\n"
    "  retry   makes a failed message pending again\n"
    "\n"
    "options:\n"
    "  --mail-from ADDR    the sender's address (default itss@localhost)\n"
    "  --public-url URL    what the links in the mails start with (default\n"
    "                      $ITSS_PUBLIC_URL, else http://localhost:8080)\n"
    "\n"
    "exit status: 0 done (send: every message sent), 1 send: some message not\n"
    "sent, 2 bad usage, 3 no such message or the store refused.\n";

static const char mail_usage[] =
    "usage: itss mail list [--status S] [--limit N] | show ID | send --smtp HOST:PORT [--all] | remind [--days N] |\n"
    "       retry ID\n";

#define PROG "itss mail"

int cli_mail_relay_parse(const char *prog, const char *usage, const cli_mail_options *o, const char *fallback_url,
                         cli_mail_relay *out)
{
    memset(out, 0, sizeof *out);
    const char *smtp = o->smtp;
    const char *colon = smtp ? strrchr(smtp, ':') : NULL;
    const char *host = smtp, *host_end = colon;
    if (smtp && smtp[0] == '[') {
        host = smtp + 1;
        host_end = strchr(smtp, ']');
        if (!host_end || host_end[1] != ':')
            colon = NULL;
    }
    int64_t port;
    if (!colon || host_end <= host || (size_t)(host_end - host) >= sizeof out->host
        || !web_parse_int(colon + 1, 1, 65535, &port))
        return cli_usage_error(prog, usage, "--smtp: '%s' is not HOST:PORT (127.0.0.1:25)", smtp ? smtp : "");
    snprintf(out->host, sizeof out->host, "%.*s", (int)(host_end - host), host);
    snprintf(out->port, sizeof out->port, "%lld", (long long)port);
    const char *from = o->from ? o->from : "itss@localhost";
    if (!smtp_address_ok(from))
        return cli_usage_error(prog, usage, "--mail-from: '%s' is not an e-mail address", from);
    const char *url = o->public_url ? o->public_url : getenv("ITSS_PUBLIC_URL");
    if (!url || !*url)
        url = fallback_url;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return cli_usage_error(prog, usage, "--public-url: '%s' does not start with http:// or https://", url);
    int64_t retry = 60;
    if (o->retry && !web_parse_int(o->retry, 1, 86400, &retry))
        return cli_usage_error(prog, usage, "--smtp-retry: '%s' is not a number of seconds from 1 to 86400", o->retry);
    out->relay.host = out->host;
    out->relay.port = out->port;
    out->relay.from = from;
    if (strlen(url) >= sizeof out->public_url)
        return cli_usage_error(prog, usage, "--public-url: longer than %zu bytes", sizeof out->public_url - 1);
    snprintf(out->public_url, sizeof out->public_url, "%s", url);
    out->relay.public_url = out->public_url;
    out->relay.retry_s = (int)retry;
    return 0;
}

typedef struct mail_args {
    const char *db, *status, *limit, *days;
    cli_mail_options relay;
    int all;
    cli_args a;
} mail_args;

/* The subject of m as it will be sent (caller frees). */
static char *subject_of(const store_outbox_msg *m, const char *url)
{
    buf subject, body;
    buf_init(&subject);
    buf_init(&body);
    notify_render(m, url, &subject, &body);
    buf_free(&body);
    char *s = buf_detach(&subject);
    return s ? s : calloc(1, 1);
}

/* One message as JSON (a new reference), with its subject in its language. */
static json_t *msg_json(const store_outbox_msg *stored, const char *url)
{
    store_outbox_msg shown, *m = &shown;
    char mask[160];
    notify_shown(stored, &shown, mask, sizeof mask);
    char *subject = subject_of(m, url);
    json_t *o = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s,s:s,s:I,s:s?,s:s,s:s?,s:s?,s:s}", "id", (json_int_t)m->id,
                          "created_at", m->created_at, "template", m->template_name, "to", m->to_addr, "to_name",
                          m->to_name, "lang", m->lang, "status", m->status, "attempts", (json_int_t)m->attempts,
                          "last_error", m->last_error, "next_attempt_at", m->next_attempt_at, "sent_at", m->sent_at,
                          "path", m->path, "subject", subject);
    free(subject);
    return o;
}

/* itss mail list */
static int mail_list(const mail_args *o, store *db)
{
    store_outbox_filter f = { .status = o->status };
    if (o->status && strcmp(o->status, OUTBOX_PENDING) != 0 && strcmp(o->status, OUTBOX_SENT) != 0
        && strcmp(o->status, OUTBOX_FAILED) != 0 && strcmp(o->status, OUTBOX_NO_ADDRESS) != 0)
        return cli_usage_error(PROG, mail_usage, "--status: '%s' is none of pending, sent, failed, no_address",
                               o->status);
    if (o->limit && !(f.limit = cli_parse_count(PROG, "--limit", o->limit)))
        return CLI_USAGE;
    store_outbox_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_outbox_list_filter(db, &f, &l, &e) < 0) {
        cli_error(PROG, "%s", e.message);
        return CLI_REFUSED;
    }
    const char *url = o->relay.public_url ? o->relay.public_url : "";
    buf out;
    buf_init(&out);
    if (o->a.json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, msg_json(&l.items[i], url));
        char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        buf_printf(&out, "%s\n", text);
        free(text);
        json_decref(arr);
    } else {
        static const char *const headers[] = { "id", "状態", "試行", "宛先", "件名", "最後のエラー" };
        cli_table t;
        cli_table_init(&t, 6, headers);
        for (size_t i = 0; i < l.count; i++) {
            const store_outbox_msg *m = &l.items[i];
            char id[24], attempts[24];
            snprintf(id, sizeof id, "%lld", (long long)m->id);
            snprintf(attempts, sizeof attempts, "%lld", (long long)m->attempts);
            char *subject = subject_of(m, url);
            const char *cells[] = { id, m->status, attempts, m->to_addr ? m->to_addr : "-", subject,
                                    m->last_error ? m->last_error : "" };
            cli_table_add(&t, cells);
            free(subject);
        }
        cli_table_render(&t, &out, cli_term_width());
        cli_table_free(&t);
    }
    int rc = cli_write(&out, stdout);
    buf_free(&out);
    store_outbox_list_free(&l);
    return rc;
}

/* The message whose id is o->a.pos[1] into *m: CLI_OK, or a status after a message. */
static int find_msg(const mail_args *o, store *db, store_outbox_msg *m)
{
    if (o->a.n_pos != 2)
        return cli_usage_error(PROG, mail_usage, "%s needs the message's id", o->a.pos[0]);
    int64_t id = cli_parse_count(PROG, "ID", o->a.pos[1]);
    if (!id)
        return CLI_USAGE;
    err e;
    memset(&e, 0, sizeof e);
    int found = store_outbox_get(db, id, m, &e);
    if (found != 1) {
        cli_error(PROG, "%s", e.message);
        return CLI_REFUSED;
    }
    return CLI_OK;
}

/* itss mail show ID */
static int mail_show(const mail_args *o, store *db)
{
    store_outbox_msg m;
    int rc = find_msg(o, db, &m);
    if (rc != CLI_OK)
        return rc;
    const char *url = o->relay.public_url ? o->relay.public_url : getenv("ITSS_PUBLIC_URL");
    buf subject, body, out;
    buf_init(&subject);
    buf_init(&body);
    buf_init(&out);
    store_outbox_msg shown;
    char mask[160];
    notify_shown(&m, &shown, mask, sizeof mask);
    notify_render(&shown, url && *url ? url : "http://localhost:8080", &subject, &body);
    buf_printf(&out, "To: %s%s%s%s\nSubject: %s\nStatus: %s (%lld attempts)%s%s\n\n%s",
               m.to_name ? m.to_name : "", m.to_name ? " <" : "", m.to_addr ? m.to_addr : "(no address)",
               m.to_name ? ">" : "", subject.data ? subject.data : "", m.status, (long long)m.attempts,
               m.last_error ? "; last error: " : "", m.last_error ? m.last_error : "", body.data ? body.data : "");
    rc = cli_write(&out, stdout);
    buf_free(&subject);
    buf_free(&body);
    buf_free(&out);
    store_outbox_msg_clear(&m);
    return rc;
}

/* itss mail send --smtp HOST:PORT */
static int mail_send(const mail_args *o, store *db)
{
    cli_mail_relay r;
    if (cli_mail_relay_parse(PROG, mail_usage, &o->relay, "http://localhost:8080", &r) != 0)
        return CLI_USAGE;
    int sent = 0, failed = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (notify_send_due(db, &r.relay, o->all, 0, &sent, &failed, &e) < 0) {
        cli_error(PROG, "%s", e.message);
        return CLI_REFUSED;
    }
    printf("%d sent, %d not sent\n", sent, failed);
    return failed ? CLI_NOT_FOUND : CLI_OK;
}

/* itss mail remind [--days N] */
static int mail_remind(const mail_args *o, store *db)
{
    int64_t days = 7;
    if (o->days && !web_parse_int(o->days, 0, 365, &days))
        return cli_usage_error(PROG, mail_usage, "--days: '%s' is not a number of days from 0 to 365", o->days);
    char today[11];
    rules_today(today);
    int queued = 0;
    err e;
    memset(&e, 0, sizeof e);
    if (notify_reminders(db, today, (int)days, &queued, &e) < 0) {
        cli_error(PROG, "%s", e.message);
        return CLI_REFUSED;
    }
    printf("%d reminder%s enqueued\n", queued, queued == 1 ? "" : "s");
    return CLI_OK;
}

/* itss mail retry ID */
static int mail_retry(const mail_args *o, store *db)
{
    store_outbox_msg m;
    int rc = find_msg(o, db, &m);
    if (rc != CLI_OK)
        return rc;
    err e;
    memset(&e, 0, sizeof e);
    if (notify_retry(db, m.id, &e) < 0) {
        cli_error(PROG, "message %lld: %s", (long long)m.id, e.message);
        rc = CLI_REFUSED;
    }
    store_outbox_msg_clear(&m);
    return rc;
}

int cli_mail_main(const cli_command *cmd, int argc, char **argv)
{
    mail_args o;
    memset(&o, 0, sizeof o);
    const cli_option options[] = {
        { "--db", &o.db, NULL },
        { "--status", &o.status, NULL },
        { "--limit", &o.limit, NULL },
        { "--days", &o.days, NULL },
        { "--smtp", &o.relay.smtp, NULL },
        { "--mail-from", &o.relay.from, NULL },
        { "--public-url", &o.relay.public_url, NULL },
        { "--smtp-retry", &o.relay.retry, NULL },
        { "--all", NULL, &o.all },
        { NULL, NULL, NULL },
    };
    (void)cmd;
    if (cli_parse(PROG, mail_usage, argc - 1, argv + 1, options, &o.a) != CLI_OK)
        return CLI_USAGE;
    if (o.a.help) {
        fputs(cli_mail_help, stdout);
        return CLI_OK;
    }
    static const char *const verbs[] = { "list", "show", "send", "remind", "retry" };
    static int (*const run[])(const mail_args *, store *) = { mail_list, mail_show, mail_send, mail_remind,
                                                             mail_retry };
    const char *what = o.a.n_pos ? o.a.pos[0] : "";
    size_t k = 0;
    while (k < 5 && strcmp(verbs[k], what) != 0)
        k++;
    if (k == 5)
        return cli_usage_error(PROG, mail_usage, what[0] ? "unknown action '%s'" : "which action?%s", what);
    if (k != 1 && k != 4 && o.a.n_pos > 1)
        return cli_usage_error(PROG, mail_usage, "unexpected argument '%s'", o.a.pos[1]);
    if (k == 2 && !o.relay.smtp)
        return cli_usage_error(PROG, mail_usage, "send needs --smtp HOST:PORT");
    store *db = cli_store_open(PROG, o.db, 0);
    if (!db)
        return CLI_REFUSED;
    int rc = run[k](&o, db);
    store_close(db);
    return rc;
}
