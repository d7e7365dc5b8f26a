/* cli_serve.c - `itss serve`: the web application on libmicrohttpd, one raw
 * HTTP request answered on stdout (--request, for tests and valgrind), or the
 * route table printed (--routes, for fuzz/corpus_http.py and readers).
 *
 * SIGINT and SIGTERM stop the server gracefully: it stops accepting, lets the
 * requests in flight finish (up to 10 s), then closes the database. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <time.h>

#include "cli.h"
#include "cli_mail.h"
#include "notify.h"
#include "notify_send.h"
#include "policy.h"
#include "rules.h"
#include "store.h"
#include "web.h"

const char cli_serve_help[] =
    "usage: itss serve [--listen HOST:PORT] [--db PATH] [--threads N] [--secure-cookies]\n"
    "                  [--trusted-proxy CIDR[,CIDR...]] [--quiet] [--catalog FILE] [--policy FILE]\n"
    "                  [--org-memory SIZE] [--smtp HOST:PORT [--mail-from ADDR] [--smtp-retry S]]\n"
    "                  [--public-url URL] [--remind-days N]\n"
    "       itss serve --request FILE|- [--db PATH] [--secure-cookies] [--catalog FILE] [--policy FILE]\n"
    "       itss serve --routes\n"
    "\n"
    "Serves the web application: the standard, diagnosis, results, team review and\n"
    "the JSON API under /api/v1, for the users `itss user add` created.\n"
    "\n"
    "options:\n"
    "  --listen HOST:PORT  where to listen (default 127.0.0.1:8080; port 0 picks a\n"
    "                      free one, [::1]:8080 for IPv6)\n"
    "  --db PATH           the database (default $ITSS_DB, else ./itss.db)\n"
    "  --threads N         worker threads (default: two per core, at least 4)\n"
    "  --secure-cookies    mark cookies Secure (when TLS is in front of itss)\n"
    "  --trusted-proxy CIDR  a reverse proxy (or several, comma-separated): for\n"
    "                      connections from it the client's address is taken from\n"
    "                      X-Forwarded-For (for login throttling and the log);\n"
    "                      default $ITSS_TRUSTED_PROXY, else none\n"
    "  --quiet             no access log\n"
    "  --request FILE      answer the one raw HTTP request in FILE (- for stdin) and\n"
    "                      write the raw HTTP response to stdout; the client address\n"
    "                      is $REMOTE_ADDR, else 127.0.0.1\n"
    "  --catalog FILE      use the catalog in FILE instead of the built-in one\n"
    "  --policy FILE       evaluate with the level policy in FILE instead of the\n"
    "                      built-in one (levels, and what submitting a diagnosis\n"
    "                      with unanswered elements does: docs/policy.md)\n"
    "  --org-memory SIZE   the most memory the organization's columns may take\n"
    "                      (read at start for the HR views): MB, or with K, M or\n"
    "                      G (64M, 2G); default $ITSS_ORG_MEMORY, else 1G. A\n"
    "                      database needing more is refused at start, saying\n"
    "                      how much it needs\n"
    "  --smtp HOST:PORT    send the outbox's e-mails (submissions, returns,\n"
    "                      approvals, certificates, reminders) to this SMTP relay\n"
    "                      (plain SMTP, no TLS: a local MTA), checking every\n"
    "                      second; a message the relay cannot take is tried again\n"
    "                      after --smtp-retry seconds (default 60), doubling up to\n"
    "                      an hour. Without it the messages wait in the outbox\n"
    "                      (/admin/outbox, itss mail)\n"
    "  --mail-from ADDR    the sender's address (default itss@localhost)\n"
    "  --public-url URL    what the links in the mails start with (default\n"
    "                      $ITSS_PUBLIC_URL, else the address listened on)\n"
    "  --remind-days N     once a day, remind each person who has not submitted\n"
    "                      in a cycle that closes within N days (default: the\n"
    "                      policy's notifications.reminder_days, 7; 0: never);\n"
    "                      once per person and cycle\n"
    "  --routes            print every route of the table, one a line: method, path,\n"
    "                      roles (public: no login), flags and summary, separated\n"
    "                      by tabs; needs no database\n"
    "\n"
    "The access log (stderr) has one line per request: time, address, method, path,\n"
    "status, bytes, duration and user. SIGINT or SIGTERM finishes the requests in\n"
    "flight, closes the database and exits 0.\n"
    "\n"
    "exit status: 0 stopped cleanly or answered, 2 bad usage or a database or\n"
    "address that cannot be used.\n";

static const char serve_usage[] =
    "usage: itss serve [--listen HOST:PORT] [--db PATH] [--threads N] [--secure-cookies] [--quiet]\n"
    "                  [--trusted-proxy CIDR] [--org-memory SIZE] [--smtp HOST:PORT] [--mail-from ADDR]\n"
    "                  [--public-url URL] [--remind-days N] [--smtp-retry S]\n"
    "       itss serve --request FILE|- [--db PATH]\n"
    "       itss serve --routes; itss help serve for more\n";

#define PROG "itss serve"
#define REQUEST_MAX (WEB_MAX_UPLOAD + (1u << 20))
#define STOP_GRACE_MS 10000

/* Reads all of path ("-": stdin) into b, at most REQUEST_MAX bytes. */
static int read_request(const char *path, buf *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error(PROG, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(b, chunk, n);
        if (b->len > REQUEST_MAX) {
            cli_error(PROG, "%s: the request is larger than %u bytes", path, (unsigned)REQUEST_MAX);
            if (f != stdin) fclose(f);
            return -1;
        }
    }
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (failed) {
        cli_error(PROG, "cannot read %s", path);
        return -1;
    }
    return 0;
}

/* itss serve --request FILE: one request in, one response out. */
static int serve_one(web_app *app, const char *path)
{
    buf in, out;
    buf_init(&in);
    buf_init(&out);
    int rc = CLI_USAGE;
    if (read_request(path, &in) == 0) {
        const char *address = getenv("REMOTE_ADDR");
        web_handle_raw(app, in.data ? in.data : "", in.len, address && *address ? address : "127.0.0.1", &out);
        rc = cli_write(&out, stdout);
    }
    buf_free(&in);
    buf_free(&out);
    return rc;
}

/* itss serve --routes: the route table on stdout, a line per route:
 * METHOD TAB PATTERN TAB roles TAB flags TAB summary (roles and flags as
 * comma-separated names, "-" for none). */
static int print_routes(void)
{
    static const account_role roles[] = { ROLE_ENGINEER, ROLE_MANAGER, ROLE_HR, ROLE_ADMIN };
    static const struct { unsigned bit; const char *name; } flags[] = {
        { WEB_PUBLIC, "public" }, { WEB_CSRF, "csrf" }, { WEB_API, "api" }, { WEB_NOAUTH, "noauth" },
        { WEB_UPLOAD, "upload" },
    };
    buf b;
    buf_init(&b);
    size_t n;
    const web_route *rt = web_routes(&n);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&b, "%s\t%s\t", rt[i].method, rt[i].pattern);
        const char *sep = "";
        if (rt[i].flags & WEB_PUBLIC) {
            buf_puts(&b, "public");
            sep = ",";
        } else
            for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++)
                if (rt[i].roles & roles[k]) {
                    buf_printf(&b, "%s%s", sep, account_role_name(roles[k]));
                    sep = ",";
                }
        buf_puts(&b, *sep ? "\t" : "-\t");
        sep = "";
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (rt[i].flags & flags[k].bit) {
                buf_printf(&b, "%s%s", sep, flags[k].name);
                sep = ",";
            }
        buf_printf(&b, "%s\t%s\n", *sep ? "" : "-", rt[i].summary ? rt[i].summary : "");
    }
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* ---- The mail sender: a thread of its own with its own connection ------------------------- */

#define MAILER_TICK_MS 1000

typedef struct mailer {
    const char *db_path;
    cli_mail_options options;
    cli_mail_relay relay;
    int has_relay;
    int remind_days;
    int quiet;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int stop;
    pthread_t thread;
    int thread_started;
    char last_error[300];      /* logged once, not every second */
} mailer;

/* Logs e's message unless it is the one logged last. */
static void mailer_log_error(mailer *m, const char *what, const err *e)
{
    char line[300];
    snprintf(line, sizeof line, "%s: %s", what, e->message);
    if (strcmp(line, m->last_error) != 0)
        fprintf(stderr, "itss serve: mail: %s\n", line);
    snprintf(m->last_error, sizeof m->last_error, "%s", line);
}

/* One round: today's reminders (once a day), then what is due. */
static void mailer_round(mailer *m, store *db, char reminded[11])
{
    err e;
    memset(&e, 0, sizeof e);
    char today[11];
    rules_today(today);
    if (m->remind_days > 0 && strcmp(today, reminded) != 0) {
        int queued = 0;
        if (notify_reminders(db, today, m->remind_days, &queued, &e) < 0) {
            mailer_log_error(m, "reminders", &e);
        } else {
            memcpy(reminded, today, 11);
            if (queued && !m->quiet)
                fprintf(stderr, "itss serve: mail: %d reminder%s enqueued\n", queued, queued == 1 ? "" : "s");
        }
    }
    if (!m->has_relay)
        return;
    int sent = 0, failed = 0;
    if (notify_send_due(db, &m->relay.relay, 0, 20, &sent, &failed, &e) < 0)
        mailer_log_error(m, "the outbox", &e);
    else if ((sent || failed) && !m->quiet)
        fprintf(stderr, "itss serve: mail: %d sent, %d not sent (itss mail list shows why)\n", sent, failed);
}

static void *mailer_run(void *arg)
{
    mailer *m = arg;
    store *db = NULL;
    char reminded[11] = "";
    pthread_mutex_lock(&m->mu);
    while (!m->stop) {
        pthread_mutex_unlock(&m->mu);
        err e;
        memset(&e, 0, sizeof e);
        if (!db && !(db = store_open(m->db_path, 0, &e)))
            mailer_log_error(m, "opening the database", &e);
        if (db)
            mailer_round(m, db, reminded);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += MAILER_TICK_MS / 1000;
        pthread_mutex_lock(&m->mu);
        if (!m->stop)
            pthread_cond_timedwait(&m->wake, &m->mu, &until);
    }
    pthread_mutex_unlock(&m->mu);
    store_close(db);
    return NULL;
}

/* Checks the mail options before anything starts: --remind-days into
 * m->remind_days (-1 when not given), the relay's options. CLI_OK, or
 * CLI_USAGE after a message. */
static int mailer_options(mailer *m, const char *remind_days)
{
    int64_t days = -1;
    if (remind_days && !web_parse_int(remind_days, 0, 365, &days))
        return cli_usage_error(PROG, serve_usage, "--remind-days: '%s' is not a number of days from 0 to 365",
                               remind_days);
    m->remind_days = (int)days;
    if (!m->options.smtp && !m->options.from && !m->options.public_url && !m->options.retry)
        return CLI_OK;
    if (!m->options.smtp)
        return cli_usage_error(PROG, serve_usage, "--mail-from, --public-url and --smtp-retry go with --smtp");
    cli_mail_relay check;
    return cli_mail_relay_parse(PROG, serve_usage, &m->options, "http://localhost", &check) != 0 ? CLI_USAGE
                                                                                                : CLI_OK;
}

/* Starts the sender for the server listening on host:port. 0, or -1 after a message. */
static int mailer_start(mailer *m, const char *host, int port)
{
    if (m->options.smtp) {
        char fallback[300];
        const char *h = !host[0] || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "[::]") == 0 ? "localhost" : host;
        snprintf(fallback, sizeof fallback, "http://%s:%d", h, port);
        if (cli_mail_relay_parse(PROG, serve_usage, &m->options, fallback, &m->relay) != 0)
            return -1;
        m->relay.relay.timeout_ms = 10000;   /* a stop waits for the round in progress */
        m->has_relay = 1;
        fprintf(stderr, "itss serve: mail: sending through %s:%s as %s, links to %s\n", m->relay.host,
                m->relay.port, m->relay.relay.from, m->relay.relay.public_url);
    }
    if (!m->has_relay && m->remind_days <= 0)
        return 0;
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->wake, NULL);
    if (pthread_create(&m->thread, NULL, mailer_run, m) != 0) {
        cli_error(PROG, "cannot start the mail sender");
        return -1;
    }
    m->thread_started = 1;
    return 0;
}

/* Stops the sender (when it runs) after its round in progress. */
static void mailer_stop(mailer *m)
{
    if (!m->thread_started)
        return;
    pthread_mutex_lock(&m->mu);
    m->stop = 1;
    pthread_cond_signal(&m->wake);
    pthread_mutex_unlock(&m->mu);
    pthread_join(m->thread, NULL);
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->mu);
}

/* Serves until SIGINT or SIGTERM. */
static int serve_forever(web_app *app, const char *listen, mailer *mail)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    /* Blocked before the worker threads start, so that they inherit the mask and
     * the signals come to sigwait below. A shell starts background jobs with
     * SIGINT ignored, and an ignored signal is dropped even while blocked: put
     * back the default so that Ctrl-C and kill -INT stop the server. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    err e;
    memset(&e, 0, sizeof e);
    web_server *server = web_server_start(app, listen, &e);
    if (!server) {
        err_print(stderr, &e);
        return CLI_USAGE;
    }
    const web_config *c = web_app_config(app);
    char host[256];
    snprintf(host, sizeof host, "%s", listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    else
        host[0] = '\0';
    char *shown = store_location_shown(c->db_path);
    fprintf(stderr, "itss serve: listening on http://%s:%d/ (database %s, %d threads)\n",
            host[0] ? host : "0.0.0.0", web_server_port(server), shown, c->threads);
    free(shown);
    if (mailer_start(mail, host, web_server_port(server)) < 0) {
        web_server_stop(server, STOP_GRACE_MS);
        return CLI_USAGE;
    }

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "itss serve: %s: finishing the requests in flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    web_server_stop(server, STOP_GRACE_MS);
    mailer_stop(mail);
    fprintf(stderr, "itss serve: stopped\n");
    return CLI_OK;
}

/* A size: digits with an optional K, M or G (none: M), into *out bytes; 0, or
 * -1 when it is none (or 0, or beyond 1 TB). */
static int parse_size(const char *text, size_t *out)
{
    char digits[32];
    size_t n = strlen(text);
    int shift = 20;
    if (n > 0 && strchr("KkMmGg", text[n - 1])) {
        char u = text[n - 1];
        shift = u == 'K' || u == 'k' ? 10 : u == 'M' || u == 'm' ? 20 : 30;
        n--;
    }
    int64_t v;
    if (n == 0 || n >= sizeof digits)
        return -1;
    memcpy(digits, text, n);
    digits[n] = '\0';
    if (!web_parse_int(digits, 1, ((int64_t)1 << 40) >> shift, &v))
        return -1;
    *out = (size_t)v << shift;
    return 0;
}

/* The policy in path, checked against cat; NULL after printing why. */
static policy *load_policy(const char *path, const catalog *cat)
{
    err_list *errors = calloc(1, sizeof *errors);
    if (!errors)
        abort();
    policy *p = policy_load_file(path, errors);
    if (p && policy_check_catalog(p, cat, errors) > 0) {
        policy_free(p);
        p = NULL;
    }
    if (!p) {
        cli_print_errors(errors);
        cli_error(PROG, "cannot use policy %s", path);
    }
    free(errors);
    return p;
}

/* The trusted proxies (*proxy: --trusted-proxy, else $ITSS_TRUSTED_PROXY) and
 * the org columns' memory (--org-memory, else $ITSS_ORG_MEMORY) into
 * *org_bytes. CLI_OK, or CLI_USAGE after a message. */
static int proxy_and_memory(const char **proxy, const char *org_memory, size_t *org_bytes)
{
    if (!*proxy)
        *proxy = getenv("ITSS_TRUSTED_PROXY");
    if (*proxy && **proxy && !web_cidr_list_valid(*proxy))
        return cli_usage_error(PROG, serve_usage,
                               "--trusted-proxy: '%s' is not a list of addresses or CIDR blocks (10.0.0.0/8,::1)",
                               *proxy);
    if (!org_memory)
        org_memory = getenv("ITSS_ORG_MEMORY");
    if (org_memory && *org_memory && parse_size(org_memory, org_bytes) < 0)
        return cli_usage_error(PROG, serve_usage,
                               "--org-memory: '%s' is not a size (a number of MB, or with K, M or G: 512M, 2G)",
                               org_memory);
    return CLI_OK;
}

int cli_serve_main(const cli_command *cmd, int argc, char **argv)
{
    const char *listen = "127.0.0.1:8080", *db = NULL, *threads = NULL, *request = NULL, *proxy = NULL,
               *policy_path = NULL;
    const char *org_memory = NULL, *remind_days = NULL;
    mailer mail;
    memset(&mail, 0, sizeof mail);
    int secure = 0, quiet = 0, routes = 0;
    const cli_option extra[] = {
        { "--listen", &listen, NULL },
        { "--db", &db, NULL },
        { "--threads", &threads, NULL },
        { "--request", &request, NULL },
        { "--trusted-proxy", &proxy, NULL },
        { "--policy", &policy_path, NULL },
        { "--org-memory", &org_memory, NULL },
        { "--smtp", &mail.options.smtp, NULL },
        { "--mail-from", &mail.options.from, NULL },
        { "--public-url", &mail.options.public_url, NULL },
        { "--smtp-retry", &mail.options.retry, NULL },
        { "--remind-days", &remind_days, NULL },
        { "--secure-cookies", NULL, &secure },
        { "--quiet", NULL, &quiet },
        { "--routes", NULL, &routes },
        { NULL, NULL, NULL },
    };
    cli_args a;
    if (cli_parse(PROG, serve_usage, argc - 1, argv + 1, extra, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        buf b;
        buf_init(&b);
        buf_puts(&b, cmd->help);
        int rc = cli_write(&b, stdout);
        buf_free(&b);
        return rc;
    }
    if (a.n_pos > 0)
        return cli_usage_error(PROG, serve_usage, "unexpected argument '%s'", a.pos[0]);
    if (a.json)
        return cli_usage_error(PROG, serve_usage, "option '--json' is not for serve");
    if (routes)
        return print_routes();
    int64_t n_threads = 0;
    if (threads && !web_parse_int(threads, 1, 256, &n_threads))
        return cli_usage_error(PROG, serve_usage, "--threads: '%s' is not a number from 1 to 256", threads);

    size_t org_bytes = 0;
    if (proxy_and_memory(&proxy, org_memory, &org_bytes) != CLI_OK)
        return CLI_USAGE;
    mail.quiet = quiet;
    if (mailer_options(&mail, remind_days) != CLI_OK)
        return CLI_USAGE;

    catalog *cat = cli_load_catalog(&a);
    if (!cat)
        return CLI_USAGE;
    policy *pol = NULL;
    if (policy_path && !(pol = load_policy(policy_path, cat))) {
        catalog_free(cat);
        return CLI_USAGE;
    }
    if (mail.remind_days < 0)  /* no --remind-days: the policy's notifications.reminder_days, else a week */
        mail.remind_days = pol ? pol->reminder_days : 7;
    web_config config = {
        .db_path = store_default_path(db),
        .catalog = cat,
        .policy = pol,
        .secure_cookies = secure,
        .threads = (int)n_threads,
        .access_log = !quiet,
        .trusted_proxy = proxy && *proxy ? proxy : NULL,
        .org_memory = org_bytes,
    };
    err e;
    memset(&e, 0, sizeof e);
    web_app *app = web_app_new(&config, &e);
    if (!app) {
        err_print(stderr, &e);
        policy_free(pol);
        catalog_free(cat);
        return CLI_USAGE;
    }
    if (web_orgcols_start(app, !request, &e) < 0) {
        err_print(stderr, &e);
        web_app_free(app);
        policy_free(pol);
        catalog_free(cat);
        return CLI_USAGE;
    }
    if (web_app_read_only(app))
        fprintf(stderr, "itss serve: %s: the database file is read-only: serving reads; every change is refused "
                        "(503) until it can be written\n", config.db_path);
    mail.db_path = config.db_path;
    int rc = request ? serve_one(app, request) : serve_forever(app, listen, &mail);
    web_app_free(app);
    policy_free(pol);
    catalog_free(cat);
    return rc;
}
