/* web_server.c - how requests arrive and answers leave: libmicrohttpd (epoll,
 * a thread pool) for `itss serve`, and one raw HTTP request from a file or stdin
 * for `itss serve --request` (tests, valgrind), both feeding web_dispatch. Also
 * the access log, one line per request on stderr. */
#include "web.h"

#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- The access log ---------------------------------------------------------- */

/* One line on stderr: time, address, method, path, status, bytes, duration in
 * milliseconds, user ("-" when none). Written with one call so that lines of
 * several threads do not mix. */
static void log_access(const web_request *r, size_t bytes)
{
    if (!web_app_config(r->app)->access_log)
        return;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    double ms = (double)(web_now_ns() - r->started_ns) / 1e6;
    buf line;
    buf_init(&line);
    buf_printf(&line, "%s %s %s ", when, r->address, r->method);
    /* The path as sent, without the query (it may carry search terms); control
     * characters were refused by the parser, but a refused request logs the raw
     * target, so anything odd is shown as '?'. */
    const char *target = r->uri;
    size_t n = strcspn(target, "?");
    if (strncmp(target, "/signin/", 8) == 0)
        n = 8;   /* a one-time sign-in link's secret stays out of the log */
    for (size_t i = 0; i < n && i < 300; i++) {
        unsigned char c = (unsigned char)target[i];
        buf_putc(&line, c < 0x20 || c == 0x7f || c == ' ' ? '?' : (char)c);
    }
    buf_printf(&line, " %d %zu %.1fms %s\n", r->res.status, bytes, ms, r->log_user ? r->log_user : "-");
    fputs(line.data, stderr);
    buf_free(&line);
}

/* ---- One raw request (itss serve --request) ---------------------------------- */

/* The end of the header block (just after the blank line), or NULL. */
static const char *headers_end(const char *raw, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (raw[i] == '\n' && raw[i + 1] == '\n')
            return raw + i + 2;
        if (i + 3 < len && memcmp(raw + i, "\r\n\r\n", 4) == 0)
            return raw + i + 4;
    }
    return NULL;
}

/* Appends a header line to the raw answer. */
static void raw_header(const char *name, const char *value, void *ctx)
{
    buf_printf((buf *)ctx, "%s: %s\r\n", name, value);
}

/* Serializes the answer of r as HTTP/1.1 into out. */
static size_t raw_response(const web_request *r, buf *out)
{
    size_t len;
    const void *body = web_response_body(r, &len);
    buf file;
    buf_init(&file);
    if (r->res.file_fd > 0) {  /* --request: the file read in (tests) */
        char chunk[65536];
        ssize_t n;
        off_t at = 0;
        while ((uint64_t)at < r->res.file_len
               && (n = pread(r->res.file_fd, chunk, sizeof chunk, at)) > 0) {
            size_t take = (uint64_t)n < r->res.file_len - (uint64_t)at ? (size_t)n : (size_t)(r->res.file_len - (uint64_t)at);
            buf_append(&file, chunk, take);
            at += n;
        }
        body = file.data ? file.data : "";
        len = file.len;
    }
    buf_printf(out, "HTTP/1.1 %d %s\r\n", r->res.status, web_status_text(r->res.status));
    web_response_headers(r, raw_header, out);
    int bodiless = r->res.status == 204 || r->res.status == 304;
    if (!bodiless)
        buf_printf(out, "Content-Length: %zu\r\n", len);
    buf_puts(out, "Connection: close\r\n\r\n");
    if (!r->is_head && !bodiless)
        buf_append(out, body, len);
    buf_free(&file);
    return len;
}

/* Reads the request line and headers of raw into r. Returns 0, or -1 when the
 * request cannot be read (r is then started with what is known and refused). */
static int raw_parse_head(web_request *r, web_app *app, const char *raw, size_t len, const char *address,
                          const char **body_start)
{
    const char *end = headers_end(raw, len);
    const char *eol = memchr(raw, '\n', len);
    char method[16] = "", uri_text[8192] = "";
    if (eol) {
        size_t n = (size_t)(eol - raw);
        char *line = malloc(n + 1);
        if (line) {
            memcpy(line, raw, n);
            line[n] = '\0';
            if (n && line[n - 1] == '\r') line[n - 1] = '\0';
            char version[16] = "";
            if (sscanf(line, "%15s %8191s %15s", method, uri_text, version) != 3 ||
                strncmp(version, "HTTP/1.", 7) != 0)
                method[0] = uri_text[0] = '\0';
            free(line);
        }
    }
    web_request_begin(r, app, method[0] ? method : "GET", uri_text[0] ? uri_text : "/", address);
    if (!end || !method[0]) {
        r->refuse_status = 400;
        r->refuse_message = "the request line or headers are malformed";
        return -1;
    }
    const char *p = eol + 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        size_t n = (size_t)(nl - p);
        if (n && p[n - 1] == '\r') n--;
        if (n == 0) break;
        const char *colon = memchr(p, ':', n);
        if (!colon || colon == p) {
            r->refuse_status = 400;
            r->refuse_message = "a header line has no name";
            return -1;
        }
        char *name = web_strndup(r, p, (size_t)(colon - p));
        const char *v = colon + 1;
        const char *vend = p + n;
        while (v < vend && (*v == ' ' || *v == '\t')) v++;
        while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t')) vend--;
        web_request_header(r, name, web_strndup(r, v, (size_t)(vend - v)));
        p = nl + 1;
    }
    *body_start = end;
    return 0;
}

int web_handle_raw(web_app *app, const char *raw, size_t len, const char *address, buf *out)
{
    web_request r;
    const char *body = NULL;
    if (raw_parse_head(&r, app, raw, len, address, &body) == 0) {
        web_request_admit(&r);
        size_t have = len - (size_t)(body - raw);
        const char *cl = web_header(&r, "Content-Length");
        const char *te = web_header(&r, "Transfer-Encoding");
        int64_t want = 0;
        if (te && strcasecmp(te, "identity") != 0) {
            r.refuse_status = 400;
            r.refuse_message = "chunked bodies are not read in one-request mode";
        } else if (cl && !web_parse_int(cl, 0, INT64_MAX, &want)) {
            r.refuse_status = 400;
            r.refuse_message = "Content-Length is not a number";
        } else if ((uint64_t)want > web_request_body_limit(&r)) {
            r.refuse_status = 413;
            r.refuse_message = "the request body is too large";
        } else if ((uint64_t)want > have) {
            r.refuse_status = 400;
            r.refuse_message = "the body is shorter than Content-Length says";
        } else if (web_request_body_append(&r, body, (size_t)want) < 0) {
            r.refuse_status = 503;
            r.refuse_message = "the upload could not be kept (disk full?)";
        }
    }
    web_dispatch(&r);
    web_gzip_answer(&r);
    size_t bytes = raw_response(&r, out);
    log_access(&r, bytes);
    int status = r.res.status;
    web_request_end(&r);
    return status;
}

/* ---- libmicrohttpd ------------------------------------------------------------ */

/* A connection as the deadline watch sees it: made when MHD accepts it, freed
 * when MHD closes it (MHD_OPTION_NOTIFY_CONNECTION). */
typedef struct conn_watch {
    int fd;
    int64_t ready_ns;          /* when it became ready for a request (opened, or the last one ended) */
    int64_t deadline_ns;       /* the request must have arrived by then; 0: none (being answered) */
    struct conn_watch *prev, *next;
} conn_watch;

struct web_server {
    web_app *app;
    struct MHD_Daemon *daemon;
    int port;
    pthread_mutex_t lock;
    pthread_cond_t quiet;      /* signalled when in_flight drops to 0 */
    int in_flight;             /* requests begun and not yet completed */

    /* The deadline watch: a thread that, every WATCH_MS, shuts down the socket
     * of any connection whose request did not arrive whole in time (MHD's own
     * timeout counts idle time only, so a client sending a byte now and then
     * would hold its connection for ever). MHD then closes it as a connection
     * the client dropped. */
    pthread_mutex_t watch_lock;
    pthread_cond_t watch_wake;
    conn_watch *watched;
    pthread_t watch_thread;
    int watching, stopping;
    int64_t request_ns, upload_ns;
};

#define WATCH_MS 200

/* The state of one request on a connection: made when its request line arrives
 * (the URI log callback), freed when it completes. */
typedef struct conn_request {
    web_server *server;
    char *uri;                 /* as sent, until the request begins */
    int begun;                 /* the first call of the access handler was made */
    int answered;
    size_t discarded;          /* body bytes over the limit, read and dropped */
    size_t bytes;              /* body bytes of the answer, for the log */
    web_request r;
} conn_request;

/* The watch entry of conn (NULL when none). */
static conn_watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/* Sets the deadline of conn's request: `after_ns` from when it became ready, or
 * from now when from_now; 0 clears it. */
static void watch_set(web_server *s, struct MHD_Connection *conn, int64_t after_ns, int from_now)
{
    conn_watch *w = watch_of(conn);
    if (!w)
        return;
    pthread_mutex_lock(&s->watch_lock);
    int64_t now = web_now_ns();
    if (from_now)
        w->ready_ns = now;
    w->deadline_ns = after_ns ? w->ready_ns + after_ns : 0;
    pthread_mutex_unlock(&s->watch_lock);
}

/* MHD_OPTION_NOTIFY_CONNECTION: starts and ends watching a connection. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    web_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        conn_watch *w = calloc(1, sizeof *w);
        if (!w || !info) {
            free(w);
            return;
        }
        w->fd = info->connect_fd;
        pthread_mutex_lock(&s->watch_lock);
        w->ready_ns = web_now_ns();
        w->deadline_ns = w->ready_ns + s->request_ns;
        w->next = s->watched;
        if (s->watched)
            s->watched->prev = w;
        s->watched = w;
        pthread_mutex_unlock(&s->watch_lock);
        *socket_context = w;
        return;
    }
    conn_watch *w = *socket_context;
    if (!w)
        return;
    /* MHD closes the socket after this call: once unlinked under the lock, the
     * watch can no longer touch a descriptor that gets reused. */
    pthread_mutex_lock(&s->watch_lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        s->watched = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&s->watch_lock);
    free(w);
    *socket_context = NULL;
}

/* The watch thread: shuts down connections past their deadline. */
static void *watch_main(void *arg)
{
    web_server *s = arg;
    pthread_mutex_lock(&s->watch_lock);
    while (!s->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCH_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->watch_wake, &s->watch_lock, &until);
        int64_t now = web_now_ns();
        for (conn_watch *w = s->watched; w; w = w->next) {
            if (w->deadline_ns && now > w->deadline_ns) {
                shutdown(w->fd, SHUT_RDWR);
                w->deadline_ns = 0;
            }
        }
    }
    pthread_mutex_unlock(&s->watch_lock);
    return NULL;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the raw URI (with its query, which MHD would
 * otherwise decode by its own rules) for the request about to be read. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)conn;
    conn_request *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->server = cls;
    c->uri = strdup(uri ? uri : "/");
    return c;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *name, const char *value)
{
    (void)kind;
    if (name)
        web_request_header(cls, name, value ? value : "");
    return MHD_YES;
}

static void mhd_header(const char *name, const char *value, void *ctx)
{
    MHD_add_response_header(ctx, name, value);
}

/* Hands the answer of c to MHD; from now on the client has request_seconds
 * (upload_seconds for an answer over WEB_MAX_BODY) to take it. */
static enum MHD_Result send_answer(struct MHD_Connection *conn, conn_request *c)
{
    web_request *r = &c->r;
    struct MHD_Response *resp;
    size_t len;
    const void *body = web_response_body(r, &len);

    c->answered = 1;
    if (r->res.file_fd > 0)
        len = (size_t)r->res.file_len;
    c->bytes = len;
    watch_set(c->server, conn, len > WEB_MAX_BODY ? c->server->upload_ns : c->server->request_ns, 1);
    if (r->res.file_fd > 0) {
        resp = MHD_create_response_from_fd64(r->res.file_len, r->res.file_fd);
        if (resp)
            r->res.file_fd = 0;    /* MHD closes it with the response */
    } else if (r->res.fixed_body) {
        resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    } else {
        char *owned = buf_detach(&r->res.body);
        resp = MHD_create_response_from_buffer(len, owned, MHD_RESPMEM_MUST_FREE);
        if (!resp)
            free(owned);
    }
    if (!resp)
        return MHD_NO;
    web_response_headers(r, mhd_header, resp);
    if (r->refuse_status)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)r->res.status, resp);
    MHD_destroy_response(resp);
    return rc;
}

/* The client's address as text. */
static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "-");
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

/* The access handler. MHD calls it at least twice per request: first with the
 * headers (we admit the request: route and caller, hence how much body it may
 * send; answering now would make MHD 0.9.75 drop keep-alive), then once per
 * chunk of body, then once more with no data, when we answer. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    web_server *server = cls;
    conn_request *c = *con_cls;
    (void)version;

    if (!c) {                   /* the URI callback could not allocate */
        c = on_uri(server, url, conn);
        if (!c)
            return MHD_NO;
        *con_cls = c;
    }
    web_request *r = &c->r;
    if (!c->begun) {
        char address[INET6_ADDRSTRLEN + 1];
        client_address(conn, address, sizeof address);
        web_request_begin(r, server->app, method, c->uri ? c->uri : url, address);
        free(c->uri);
        c->uri = NULL;
        c->begun = 1;
        pthread_mutex_lock(&server->lock);
        server->in_flight++;
        pthread_mutex_unlock(&server->lock);
        MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, r);
        web_request_admit(r);
        if (web_request_body_streamed(r))
            watch_set(server, conn, server->upload_ns, 0);
        int64_t announced;
        const char *cl = web_header(r, "Content-Length");
        if (cl && web_parse_int(cl, 0, INT64_MAX, &announced) &&
            (uint64_t)announced > web_request_body_limit(r)) {
            /* Say so at once and close, rather than read what will be refused. */
            r->refuse_status = 413;
            r->refuse_message = "the request body is too large";
            web_dispatch(r);
            return send_answer(conn, c);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t limit = web_request_body_limit(r);
        if (r->body_buf.len + r->body_file_len + *upload_data_size > limit || r->refuse_status) {
            /* A chunked body that grew too large: drop it, answer 413 at the end;
             * hang up on a client that keeps sending far beyond the limit. */
            if (!r->refuse_status) {
                r->refuse_status = 413;
                r->refuse_message = "the request body is too large";
            }
            c->discarded += *upload_data_size;
            if (c->discarded > 4 * limit)
                return MHD_NO;
        } else if (web_request_body_append(r, upload_data, *upload_data_size) < 0) {
            r->refuse_status = 503;
            r->refuse_message = "the upload could not be kept (disk full?)";
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (c->answered)
        return MHD_YES;
    watch_set(server, conn, 0, 0);          /* the handler may take its time */
    web_dispatch(r);
    web_gzip_answer(r);
    return send_answer(conn, c);
}

/* MHD_OPTION_NOTIFY_COMPLETED: logs the request and frees its state. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    web_server *server = cls;
    conn_request *c = *con_cls;
    if (!c)
        return;
    if (c->begun) {
        if (c->answered)
            log_access(&c->r, why == MHD_REQUEST_TERMINATED_COMPLETED_OK ? c->bytes : 0);
        web_request_end(&c->r);
        pthread_mutex_lock(&server->lock);
        if (--server->in_flight == 0)
            pthread_cond_broadcast(&server->quiet);
        pthread_mutex_unlock(&server->lock);
    }
    /* The next request on this connection has its own time. */
    watch_set(server, conn, server->request_ns, 1);
    free(c->uri);
    free(c);
    *con_cls = NULL;
}

/* MHD's own messages (a socket error, a malformed request, a connection over
 * a limit) on stderr, unless the access log is off (--quiet): a client can make
 * many of them. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    if (cls && !web_app_config(cls)->access_log)
        return;
    buf b;
    buf_init(&b);
    buf_puts(&b, "itss serve: ");
    buf_vprintf(&b, fmt, ap);
    if (b.len && b.data[b.len - 1] != '\n')
        buf_putc(&b, '\n');
    fputs(b.data, stderr);
    buf_free(&b);
}

/* Parses "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" into an address. Returns 0,
 * or -1 with *e filled. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, err *e)
{
    char host[256] = "", port[16] = "";
    const char *colon;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host) {
            err_set(e, "--listen", 0, 0, "", "'%s' is not [IPV6]:PORT", listen);
            return -1;
        }
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
        colon = close + 1;
    } else if ((colon = strrchr(listen, ':')) != NULL) {
        if ((size_t)(colon - listen) >= sizeof host) {
            err_set(e, "--listen", 0, 0, "", "the host of '%s' is too long", listen);
            return -1;
        }
        memcpy(host, listen, (size_t)(colon - listen));
    }
    snprintf(port, sizeof port, "%s", colon ? colon + 1 : listen);
    int64_t p;
    if (!web_parse_int(port, 0, 65535, &p)) {
        err_set(e, "--listen", 0, 0, "", "'%s': the port must be a number from 0 to 65535", listen);
        return -1;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (rc != 0 || !res) {
        err_set(e, "--listen", 0, 0, "", "cannot listen on '%s': %s", listen, gai_strerror(rc));
        return -1;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

web_server *web_server_start(web_app *app, const char *listen, err *e)
{
    struct sockaddr_storage ss;
    socklen_t ss_len;
    if (parse_listen(listen, &ss, &ss_len, e) < 0)
        return NULL;
    web_server *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(e, "", 0, 0, "", "out of memory");
        return NULL;
    }
    s->app = app;
    const web_config *c = web_app_config(app);
    s->request_ns = (int64_t)(c->request_seconds > 0 ? c->request_seconds : WEB_REQUEST_SECONDS) * 1000000000;
    s->upload_ns = (int64_t)(c->upload_seconds > 0 ? c->upload_seconds : WEB_UPLOAD_SECONDS) * 1000000000;
    /* Behind a trusted proxy every connection comes from the proxy's address:
     * the limit per client address is then the proxy's to keep. */
    unsigned per_address = c->trusted_proxy && *c->trusted_proxy ? 0u
                           : (unsigned)(c->per_address_connections > 0 ? c->per_address_connections
                                                                       : WEB_PER_ADDRESS_CONNECTIONS);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->quiet, NULL);
    pthread_mutex_init(&s->watch_lock, NULL);
    pthread_cond_init(&s->watch_wake, NULL);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
                                 MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, app,
                                 MHD_OPTION_THREAD_POOL_SIZE, (unsigned)c->threads,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                                 MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                                 MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_IDLE_SECONDS,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_MAX_CONNECTIONS,
                                 MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_address,
                                 MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                                 MHD_OPTION_END);
    if (!s->daemon || pthread_create(&s->watch_thread, NULL, watch_main, s) != 0) {
        err_set(e, "--listen", 0, 0, "", "cannot listen on %s: %s", listen,
                errno ? strerror(errno) : "the server did not start");
        if (s->daemon)
            MHD_stop_daemon(s->daemon);
        pthread_cond_destroy(&s->watch_wake);
        pthread_mutex_destroy(&s->watch_lock);
        pthread_cond_destroy(&s->quiet);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    s->watching = 1;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    return s;
}

int web_server_port(const web_server *s)
{
    return s->port;
}

void web_server_stop(web_server *s, int grace_ms)
{
    if (!s)
        return;
    MHD_socket listener = MHD_quiesce_daemon(s->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += grace_ms / 1000;
    until.tv_nsec += (long)(grace_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    while (s->in_flight > 0)
        if (pthread_cond_timedwait(&s->quiet, &s->lock, &until) != 0)
            break;
    pthread_mutex_unlock(&s->lock);
    MHD_stop_daemon(s->daemon);
    pthread_mutex_lock(&s->watch_lock);
    s->stopping = 1;
    pthread_cond_signal(&s->watch_wake);
    pthread_mutex_unlock(&s->watch_lock);
    if (s->watching)
        pthread_join(s->watch_thread, NULL);
    pthread_cond_destroy(&s->watch_wake);
    pthread_mutex_destroy(&s->watch_lock);
    pthread_cond_destroy(&s->quiet);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
