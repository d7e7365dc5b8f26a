/* test_web_limits.c - the server under abuse, each finding of issue 10 as a
 * test: memory stays bounded while many unauthenticated clients send large
 * bodies they never finish; one address holding hundreds of slow connections
 * neither stops others from being answered nor keeps its connections past the
 * request deadline; uploads go to a temporary file and only where allowed; a
 * burst of wrong passwords gets at most the limit checked, and nobody locks an
 * account for its owner; tokens have scopes and a longest lifetime, and die
 * with a password reset or disabling for good.
 *
 * Every connection goes to 127.0.0.1 (from source addresses in 127.0.0.0/8),
 * is counted and closed before the test ends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zlib.h>

#include "account.h"
#include "catalog.h"
#include "store.h"
#include "web.h"
#include "web_auth.h"

/* ---- The fixture: a database with an engineer and an HR user -------------------- */

static char dir[64];
static char db_path[128];
static store *db;

/* Gives login a session whose secret is "session-LOGIN" and CSRF token "csrf"
 * (again: a session of that secret is replaced). */
static void fixed_session(const char *login)
{
    store_user u;
    err e;
    assert_int_equal(store_user_find(db, login, &u, &e), 1);
    char secret[64], hash[ACCOUNT_TOKEN_HASH_SIZE], now[32];
    snprintf(secret, sizeof secret, "session-%s", login);
    account_token_hash(secret, hash);
    store_session_delete(db, hash, NULL);
    web_auth_moment(time(NULL), now);
    assert_int_equal(store_session_add(db, hash, u.id, "csrf", now, &e), 0);
    store_user_clear(&u);
}

static int setup(void **state)
{
    (void)state;
    err e;
    signal(SIGPIPE, SIG_IGN);
    snprintf(dir, sizeof dir, "/tmp/itss-test-limits-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/web.db", dir);
    db = store_open(db_path, STORE_CREATE, &e);
    if (!db)
        return -1;
    static const char *const logins[][3] = {
        { "alice", "engineer", "alice-password-1" },
        { "hana", "hr", "hana-password-1" },
        { "root", "admin", "root-password-1" },
        { "tina", "engineer", "tina-password-1" },
    };
    for (size_t i = 0; i < sizeof logins / sizeof logins[0]; i++) {
        char hash[ACCOUNT_HASH_SIZE];
        if (account_password_hash(logins[i][2], hash) < 0)
            return -1;
        store_user u = { 0 };
        u.login = (char *)logins[i][0];
        u.role = (char *)logins[i][1];
        u.password_hash = hash;
        if (store_user_add(db, &u, NULL, &e) < 0)
            return -1;
    }
    fixed_session("alice");
    fixed_session("hana");
    fixed_session("root");
    /* Hundreds of sockets on each side of the loopback. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(db);
    char path[192];
    const char *files[] = { "web.db", "web.db-wal", "web.db-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}

static web_app *app_with(web_config c)
{
    err e;
    c.db_path = db_path;
    web_app *app = web_app_new(&c, &e);
    assert_non_null(app);
    return app;
}

/* ---- Raw requests ------------------------------------------------------------------ */

/* Answers one raw request; the status, with the response in out (may be NULL). */
static int raw(web_app *app, const char *address, buf *req, buf *out)
{
    buf local;
    buf_init(&local);
    int status = web_handle_raw(app, req->data, req->len, address, out ? out : &local);
    buf_free(&local);
    return status;
}

/* A request with a body of n bytes of 'x' (Content-Type type), with cookie. */
static void body_request(buf *req, const char *method, const char *path, const char *cookie, const char *extra,
                         const char *type, size_t n)
{
    buf_init(req);
    buf_printf(req, "%s %s HTTP/1.1\r\nHost: t\r\nContent-Type: %s\r\nContent-Length: %zu\r\n", method, path, type, n);
    if (cookie)
        buf_printf(req, "Cookie: %s\r\n", cookie);
    if (extra)
        buf_puts(req, extra);
    buf_puts(req, "\r\n");
    size_t at = req->len;
    for (size_t i = 0; i < n; i++)
        buf_putc(req, 'x');
    (void)at;
}

/* Before login only a small body is read: the login form fits, a large body to
 * the login page or to an upload route gets 413. After login forms and JSON get
 * 1 MiB, and only an upload route, for a user its row allows, gets more. */
static void test_body_limit_depends_on_route_and_caller(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ 0 });
    buf req;
    body_request(&req, "POST", "/login", NULL, NULL, "application/x-www-form-urlencoded", 4000);
    assert_int_not_equal(raw(app, "127.0.0.1", &req, NULL), 413);
    buf_free(&req);
    body_request(&req, "POST", "/login", NULL, NULL, "multipart/form-data; boundary=b", WEB_MAX_BODY_ANONYMOUS + 1);
    assert_int_equal(raw(app, "127.0.0.1", &req, NULL), 413);
    buf_free(&req);
    body_request(&req, "POST", "/hr/import", NULL, NULL, "multipart/form-data; boundary=b", 200000);
    assert_int_equal(raw(app, "127.0.0.1", &req, NULL), 413);
    buf_free(&req);
    /* An engineer: 1 MiB on a form, but not an upload's size on the upload route. */
    body_request(&req, "POST", "/diagnosis/submit", "itss_session=session-alice", NULL,
                 "application/x-www-form-urlencoded", 200000);
    assert_int_not_equal(raw(app, "127.0.0.1", &req, NULL), 413);
    buf_free(&req);
    body_request(&req, "POST", "/hr/import", "itss_session=session-alice", NULL, "multipart/form-data; boundary=b",
                 WEB_MAX_BODY + 1);
    assert_int_equal(raw(app, "127.0.0.1", &req, NULL), 413);
    buf_free(&req);
    /* HR on the upload route: read whole (into a temporary file) and parsed. */
    body_request(&req, "POST", "/api/v1/imports/people", "itss_session=session-hana", "X-CSRF-Token: csrf\r\n",
                 "text/csv", WEB_MAX_BODY + 1000);
    buf out;
    buf_init(&out);
    int status = raw(app, "127.0.0.1", &req, &out);
    assert_int_not_equal(status, 413);
    assert_true(status == 200 || status == 422);
    buf_free(&out);
    buf_free(&req);
    web_app_free(app);
}

/* ---- Sockets ------------------------------------------------------------------------ */

/* A TCP connection from source address `from` (127.x.y.z) to 127.0.0.1:port;
 * the socket (non-blocking when nonblock), or -1. */
static int connect_from(const char *from, int port, int nonblock)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in src, dst;
    memset(&src, 0, sizeof src);
    src.sin_family = AF_INET;
    inet_pton(AF_INET, from, &src.sin_addr);
    memset(&dst, 0, sizeof dst);
    dst.sin_family = AF_INET;
    dst.sin_port = htons((uint16_t)port);
    dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0 || connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) {
        close(fd);
        return -1;
    }
    if (nonblock)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    struct timeval tv = { 3, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Sends what it can of data without waiting; -1 when the peer is gone. */
static ssize_t send_some(int fd, const char *data, size_t len)
{
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    return n;
}

/* The status of the answer to a GET of path from address `from`, read within
 * 3 s; 0 when none came. *ms gets how long it took. */
static int probe(const char *from, int port, const char *path, double *ms)
{
    int64_t t0 = web_now_ns();
    int fd = connect_from(from, port, 0);
    int status = 0;
    if (fd >= 0) {
        char req[256];
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
        if (send(fd, req, strlen(req), MSG_NOSIGNAL) == (ssize_t)strlen(req)) {
            char answer[512];
            ssize_t n = recv(fd, answer, sizeof answer - 1, 0);
            if (n > 12) {
                answer[n] = '\0';
                sscanf(answer, "HTTP/1.1 %d", &status);
            }
        }
        close(fd);
    }
    if (ms)
        *ms = (double)(web_now_ns() - t0) / 1e6;
    return status;
}

/* The resident memory of this process, KiB (server and test share it; the
 * test's own part does not grow while it runs). */
static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = atol(line + 6);
    if (f)
        fclose(f);
    return kib;
}

#define N_BODIES 50
#define BODY_SENT (3u << 20)          /* what each client tries to send */
#define RSS_BOUND_KIB (32 * 1024)      /* docs/web.md, "Limits and abuse" */

/* 50 clients, each from its own address, start large multipart bodies to the
 * login page (half announce 60 MiB, half send chunks) and never finish them: the
 * server's memory grows by less than RSS_BOUND_KIB, and it still answers. */
static void test_unfinished_large_bodies_keep_memory_bounded(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ .threads = 2 });
    err e;
    web_server *server = web_server_start(app, "127.0.0.1:0", &e);
    assert_non_null(server);
    int port = web_server_port(server);
    assert_int_equal(probe("127.0.0.2", port, "/healthz", NULL), 200);
    long before = rss_kib();

    int fds[N_BODIES];
    size_t sent[N_BODIES];
    static char chunk[65536];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < N_BODIES; i++) {
        char from[32], head[512];
        snprintf(from, sizeof from, "127.0.1.%d", 10 + i);
        fds[i] = connect_from(from, port, 1);
        assert_true(fds[i] >= 0);
        if (i % 2 == 0)
            snprintf(head, sizeof head, "POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
                                        "boundary=b\r\nContent-Length: %u\r\n\r\n--b\r\n", 60u << 20);
        else
            snprintf(head, sizeof head, "POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; "
                                        "boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert_true(send_some(fds[i], head, strlen(head)) > 0);
        sent[i] = 0;
    }
    /* Send for at most 4 s, as long as the server takes the bytes. */
    int64_t until = web_now_ns() + 4000000000LL;
    int active = N_BODIES;
    while (active > 0 && web_now_ns() < until) {
        active = 0;
        for (int i = 0; i < N_BODIES; i++) {
            if (fds[i] < 0 || sent[i] >= BODY_SENT)
                continue;
            ssize_t n;
            if (i % 2 == 0) {
                n = send_some(fds[i], chunk, sizeof chunk);
            } else {
                char line[16];
                snprintf(line, sizeof line, "%zx\r\n", sizeof chunk - 16);
                n = send_some(fds[i], line, strlen(line));
                if (n > 0) {
                    n = send_some(fds[i], chunk, sizeof chunk - 16);
                    send_some(fds[i], "\r\n", 2);
                }
            }
            if (n < 0) {
                close(fds[i]);
                fds[i] = -1;
                continue;
            }
            sent[i] += (size_t)n;
            active++;
        }
        usleep(2000);
    }
    usleep(300000);
    long after = rss_kib();
    double ms;
    int status = probe("127.0.0.2", port, "/healthz", &ms);
    for (int i = 0; i < N_BODIES; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    fprintf(stderr, "# memory before %ld KiB, with %d unfinished bodies %ld KiB (+%ld, bound %d); probe %d in %.1f ms\n",
            before, N_BODIES, after, after - before, RSS_BOUND_KIB, status, ms);
    assert_int_equal(status, 200);
    assert_true(after - before < RSS_BOUND_KIB);
    web_server_stop(server, 1000);
    web_app_free(app);
}

#define N_SLOW 1010

/* 1,010 connections from one address, each sending part of a request and then
 * nothing: the server keeps answering another address at once, refuses the
 * connections of that address past its limit, and closes a connection that
 * keeps trickling header lines when its request deadline has passed. */
static void test_slow_connections_do_not_hold_the_server(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ .threads = 2, .request_seconds = 2 });
    err e;
    web_server *server = web_server_start(app, "127.0.0.1:0", &e);
    assert_non_null(server);
    int port = web_server_port(server);
    static int fds[N_SLOW];
    int opened = 0;
    for (int i = 0; i < N_SLOW; i++) {
        fds[i] = connect_from("127.0.0.1", port, 1);
        if (fds[i] >= 0) {
            opened++;
            send_some(fds[i], "GET /home HTTP/1.1\r\nHost: t\r\n", 29);
        }
    }
    assert_true(opened >= 500);
    double ms;
    int status = probe("127.0.0.2", port, "/healthz", &ms);
    fprintf(stderr, "# %d slow connections from 127.0.0.1; /healthz from 127.0.0.2: %d in %.1f ms\n", opened, status,
            ms);
    assert_int_equal(status, 200);
    assert_true(ms < 1000);

    /* A connection that sends a header line every 300 ms is cut off after its
     * request deadline (2 s here), although it is never idle. */
    int fd = connect_from("127.0.0.3", port, 1);
    assert_true(fd >= 0);
    send_some(fd, "GET /home HTTP/1.1\r\n", 20);
    int64_t t0 = web_now_ns();
    int closed = 0;
    while (!closed && web_now_ns() - t0 < 6000000000LL) {
        usleep(300000);
        char c;
        ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            closed = 1;
        else if (send_some(fd, "X-Slow: 1\r\n", 11) < 0)
            closed = 1;
    }
    double after_s = (double)(web_now_ns() - t0) / 1e9;
    fprintf(stderr, "# a trickling connection was closed after %.1f s\n", after_s);
    assert_true(closed);
    assert_true(after_s < 4.5);
    close(fd);
    /* The held connections of 127.0.0.1 were closed by then too. */
    int alive = 0;
    for (int i = 0; i < N_SLOW; i++) {
        if (fds[i] < 0)
            continue;
        char c;
        ssize_t n = recv(fds[i], &c, 1, MSG_DONTWAIT);
        alive += n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        close(fds[i]);
    }
    fprintf(stderr, "# connections of 127.0.0.1 still open: %d\n", alive);
    assert_int_equal(alive, 0);
    web_server_stop(server, 1000);
    web_app_free(app);
}


/* ---- Login throttling ------------------------------------------------------------------ */

#define CSRF43 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* POSTs the login form for login/password from peer (with an X-Forwarded-For
 * header when xff is not NULL); the status. Safe from several threads. */
static int login_post(web_app *app, const char *peer, const char *xff, const char *login, const char *password)
{
    buf form, req;
    buf_init(&form);
    buf_printf(&form, "csrf=" CSRF43 "&login=%s&password=%s", login, password);
    buf_init(&req);
    buf_printf(&req, "POST /login HTTP/1.1\r\nHost: t\r\nCookie: itss_csrf=" CSRF43 "\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n", form.len);
    if (xff)
        buf_printf(&req, "X-Forwarded-For: %s\r\n", xff);
    buf_puts(&req, "\r\n");
    buf_append(&req, form.data, form.len);
    int status = raw(app, peer, &req, NULL);
    buf_free(&req);
    buf_free(&form);
    return status;
}

typedef struct guess {
    web_app *app;
    int status;
} guess;

static void *guess_main(void *arg)
{
    guess *g = arg;
    g->status = login_post(g->app, "192.0.2.50", NULL, "alice", "wrong-password");
    return NULL;
}

#define BURST 40

/* 40 wrong passwords sent at once for one account from one address: at most
 * WEB_LOGIN_MAX_FAILURES of them are checked (401), the rest refused (429). */
static void test_login_burst_gets_at_most_the_limit(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ 0 });
    pthread_t threads[BURST];
    guess guesses[BURST];
    for (int i = 0; i < BURST; i++) {
        guesses[i] = (guess){ app, 0 };
        assert_int_equal(pthread_create(&threads[i], NULL, guess_main, &guesses[i]), 0);
    }
    int checked = 0, refused = 0;
    for (int i = 0; i < BURST; i++) {
        pthread_join(threads[i], NULL);
        checked += guesses[i].status == 401;
        refused += guesses[i].status == 429;
    }
    fprintf(stderr, "# a burst of %d wrong passwords: %d checked, %d refused\n", BURST, checked, refused);
    assert_true(checked <= WEB_LOGIN_MAX_FAILURES);
    assert_int_equal(checked + refused, BURST);
    /* The owner, from their own address, is not delayed. */
    assert_int_equal(login_post(app, "192.0.2.51", NULL, "alice", "alice-password-1"), 303);
    web_app_free(app);
}

/* Someone failing for root from one address delays that address only: root logs
 * in from another; after the free failures the first address waits, and the
 * wait grows. */
static void test_login_not_locked_by_others(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ 0 });
    for (int i = 0; i < WEB_LOGIN_MAX_FAILURES; i++)
        assert_int_equal(login_post(app, "192.0.2.60", NULL, "root", "wrong-password"), 401);
    assert_int_equal(login_post(app, "192.0.2.60", NULL, "root", "root-password-1"), 429);
    assert_int_equal(login_post(app, "192.0.2.61", NULL, "root", "root-password-1"), 303);
    /* The address's other login names are not delayed by root's failures. */
    assert_int_equal(login_post(app, "192.0.2.60", NULL, "hana", "hana-password-1"), 303);

    /* Growing delays: with 5 failures the last of which is 31 s old, one more
     * attempt is allowed; after it the pair waits 60 s. */
    char old[32];
    web_auth_moment(time(NULL) - WEB_LOGIN_DELAY_SECONDS - 1, old);
    assert_int_equal(store_login_failures_clear(db, "root", "192.0.2.62", NULL), 0);
    for (int i = 0; i < WEB_LOGIN_MAX_FAILURES; i++)
        assert_int_equal(store_login_failure_add(db, "root", "192.0.2.62", old, NULL), 0);
    assert_int_equal(login_post(app, "192.0.2.62", NULL, "root", "wrong-password"), 401);
    buf req, out;
    buf_init(&out);
    buf_init(&req);
    buf_printf(&req, "POST /login HTTP/1.1\r\nHost: t\r\nCookie: itss_csrf=" CSRF43 "\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n"
                     "csrf=" CSRF43 "&login=root&password=x",
               strlen("csrf=" CSRF43 "&login=root&password=x"));
    assert_int_equal(raw(app, "192.0.2.62", &req, &out), 429);
    const char *ra = strstr(out.data, "Retry-After: ");
    assert_non_null(ra);
    int wait = atoi(ra + 13);
    assert_true(wait > WEB_LOGIN_DELAY_SECONDS && wait <= 2 * WEB_LOGIN_DELAY_SECONDS);
    buf_free(&req);
    buf_free(&out);
    web_app_free(app);
}

/* Behind a trusted proxy each client behind it is throttled apart; a client
 * that is no proxy cannot choose its address with X-Forwarded-For. */
static void test_trusted_proxy_address(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ .trusted_proxy = "10.0.0.0/8, ::1" });
    for (int i = 0; i < WEB_LOGIN_MAX_FAILURES; i++)
        assert_int_equal(login_post(app, "10.1.1.1", "192.0.2.70", "hana", "wrong-password"), 401);
    assert_int_equal(login_post(app, "10.1.1.1", "192.0.2.70", "hana", "hana-password-1"), 429);
    assert_int_equal(login_post(app, "10.1.1.1", "192.0.2.71", "hana", "hana-password-1"), 303);
    /* A spoofed first hop is not believed: the last untrusted hop counts. */
    assert_int_equal(login_post(app, "10.1.1.1", "192.0.2.99, 192.0.2.70, 10.2.2.2", "hana", "x"), 429);
    /* Not from the proxy: X-Forwarded-For is ignored, all count for 192.0.2.80. */
    for (int i = 0; i < WEB_LOGIN_MAX_FAILURES; i++) {
        char xff[32];
        snprintf(xff, sizeof xff, "198.51.100.%d", i);
        assert_int_equal(login_post(app, "192.0.2.80", xff, "hana", "wrong-password"), 401);
    }
    assert_int_equal(login_post(app, "192.0.2.80", "198.51.100.77", "hana", "wrong-password"), 429);
    assert_true(web_cidr_list_valid("10.0.0.0/8,::1,192.0.2.7"));
    assert_false(web_cidr_list_valid("10.0.0.0/33"));
    assert_false(web_cidr_list_valid("proxy.example"));
    web_app_free(app);
}

/* ---- Tokens ----------------------------------------------------------------------------- */

/* Adds a token with secret `secret` for login (scope "read" or "write"),
 * made `age_days` ago; its id. */
static int64_t fixed_token(const char *login, const char *secret, const char *scope, int age_days)
{
    store_user u;
    err e;
    assert_int_equal(store_user_find(db, login, &u, &e), 1);
    char hash[ACCOUNT_TOKEN_HASH_SIZE], made[32];
    account_token_hash(secret, hash);
    web_auth_moment(time(NULL) - (time_t)age_days * 86400, made);
    int64_t id = 0;
    assert_int_equal(store_api_token_add_scope(db, u.id, "test", hash, made, NULL, scope, &id, &e), 0);
    store_user_clear(&u);
    return id;
}

/* A request with a bearer token (body JSON when not NULL); the status. */
static int bearer(web_app *app, const char *method, const char *path, const char *secret, const char *json)
{
    buf req;
    buf_init(&req);
    buf_printf(&req, "%s %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n", method, path, secret);
    if (json)
        buf_printf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(json), json);
    else
        buf_puts(&req, "\r\n");
    int status = raw(app, "127.0.0.1", &req, NULL);
    buf_free(&req);
    return status;
}

/* A form POST with session `session` (its CSRF token is "csrf"); the status,
 * the answer in out when not NULL. */
static int session_post(web_app *app, const char *path, const char *session, const char *form, buf *out)
{
    buf req;
    buf_init(&req);
    buf_printf(&req, "POST %s HTTP/1.1\r\nHost: t\r\nCookie: itss_session=%s\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\ncsrf=csrf%s%s",
               path, session, strlen("csrf=csrf") + (form ? strlen(form) + 1 : 0), form ? "&" : "", form ? form : "");
    int status = raw(app, "127.0.0.1", &req, out);
    buf_free(&req);
    return status;
}

static int session_get(web_app *app, const char *path, const char *session, buf *out)
{
    buf req;
    buf_init(&req);
    buf_printf(&req, "GET %s HTTP/1.1\r\nHost: t\r\nCookie: itss_session=%s\r\n\r\n", path, session);
    int status = raw(app, "127.0.0.1", &req, out);
    buf_free(&req);
    return status;
}

static int64_t user_id(const char *login)
{
    store_user u;
    err e;
    assert_int_equal(store_user_find(db, login, &u, &e), 1);
    int64_t id = u.id;
    store_user_clear(&u);
    return id;
}

/* The administrator's password reset, disabling, and enabling again: each
 * time every token and session of the user is gone, and stays gone. */
static void test_tokens_gone_after_reset_and_disable(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ 0 });
    char path[96];
    int64_t tina = user_id("tina");
    fixed_token("tina", "tok-tina-1", "write", 0);
    fixed_session("tina");
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-tina-1", NULL), 200);
    assert_int_equal(session_get(app, "/home", "session-tina", NULL), 200);
    snprintf(path, sizeof path, "/admin/users/%lld/password", (long long)tina);
    assert_int_equal(session_post(app, path, "session-root", "password=tina-new-password-2", NULL), 303);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-tina-1", NULL), 401);
    assert_int_not_equal(session_get(app, "/home", "session-tina", NULL), 200);

    fixed_token("tina", "tok-tina-2", "write", 0);
    fixed_session("tina");
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-tina-2", NULL), 200);
    snprintf(path, sizeof path, "/admin/users/%lld/disable", (long long)tina);
    assert_int_equal(session_post(app, path, "session-root", NULL, NULL), 303);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-tina-2", NULL), 401);
    snprintf(path, sizeof path, "/admin/users/%lld/enable", (long long)tina);
    assert_int_equal(session_post(app, path, "session-root", NULL, NULL), 303);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-tina-2", NULL), 401);
    assert_int_not_equal(session_get(app, "/home", "session-tina", NULL), 200);
    web_app_free(app);
}

/* Scopes: a read token reads and is refused any change; no token makes
 * tokens. The administrator's longest lifetime: new tokens must expire within
 * it, older ones stop when they pass it. The administrator sees and revokes
 * anyone's tokens. */
static void test_token_scope_lifetime_and_admin(void **state)
{
    (void)state;
    web_app *app = app_with((web_config){ 0 });
    int64_t reader = fixed_token("hana", "tok-hana-read", "read", 0);
    fixed_token("hana", "tok-hana-write", "write", 0);
    assert_int_equal(bearer(app, "GET", "/api/v1/tokens", "tok-hana-read", NULL), 200);
    assert_int_equal(bearer(app, "POST", "/api/v1/cycles", "tok-hana-read", "{\"name\":\"x\"}"), 403);
    assert_int_equal(bearer(app, "POST", "/api/v1/tokens", "tok-hana-write", "{\"name\":\"child\"}"), 403);
    assert_int_equal(bearer(app, "POST", "/api/v1/tokens", "tok-hana-read", "{\"name\":\"child\"}"), 403);
    char path[96];
    snprintf(path, sizeof path, "/api/v1/tokens/%lld", (long long)reader);
    assert_int_equal(bearer(app, "DELETE", path, "tok-hana-read", NULL), 403);
    assert_int_equal(bearer(app, "DELETE", path, "tok-hana-write", NULL), 204);

    /* The longest lifetime, set on the administrator's page. */
    assert_int_equal(session_post(app, "/admin/token-lifetime", "session-root", "max_days=30", NULL), 303);
    fixed_token("hana", "tok-hana-old", "write", 31);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-hana-old", NULL), 401);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-hana-write", NULL), 200);
    buf out;
    buf_init(&out);
    assert_int_equal(session_post(app, "/account/tokens", "session-hana", "name=never&expires_days=0", NULL), 422);
    assert_int_equal(session_post(app, "/account/tokens", "session-hana", "name=month&expires_days=30", &out), 303);
    assert_non_null(strstr(out.data, "itss_new_token=itss_"));
    buf_free(&out);
    assert_int_equal(session_post(app, "/admin/token-lifetime", "session-root", "max_days=0", NULL), 303);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-hana-old", NULL), 200);

    /* The administrator's page of hana lists her tokens and revokes one. */
    int64_t victim = fixed_token("hana", "tok-hana-victim", "read", 0);
    snprintf(path, sizeof path, "/admin/users/%lld", (long long)user_id("hana"));
    buf_init(&out);
    assert_int_equal(session_get(app, path, "session-root", &out), 200);
    char action[128];
    snprintf(action, sizeof action, "/admin/users/%lld/tokens/%lld/revoke", (long long)user_id("hana"),
             (long long)victim);
    assert_non_null(strstr(out.data, action));
    buf_free(&out);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-hana-victim", NULL), 200);
    assert_int_equal(session_post(app, action, "session-root", NULL, NULL), 303);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-hana-victim", NULL), 401);
    /* Someone else's token under another user's path is not found. */
    int64_t other = fixed_token("tina", "tok-tina-3", "read", 0);
    snprintf(action, sizeof action, "/admin/users/%lld/tokens/%lld/revoke", (long long)user_id("hana"),
             (long long)other);
    assert_int_equal(session_post(app, action, "session-root", NULL, NULL), 404);
    assert_int_equal(bearer(app, "GET", "/api/v1/me", "tok-tina-3", NULL), 200);
    web_app_free(app);
}

/* ---- Never freezing ---------------------------------------------------------------------- */

/* Another process: opens the database, BEGIN EXCLUSIVE, writes a byte to
 * `ready`, holds the lock for hold_ms, commits and exits. */
static pid_t lock_holder(int hold_ms, int *ready_fd)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        sqlite3 *h;
        if (sqlite3_open(db_path, &h) != SQLITE_OK || sqlite3_exec(h, "BEGIN EXCLUSIVE", NULL, NULL, NULL) != SQLITE_OK
            || sqlite3_exec(h, "UPDATE meta SET value = value WHERE key = 'none'", NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        if (write(p[1], "x", 1) != 1)
            _exit(1);
        usleep((useconds_t)hold_ms * 1000);
        sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(h);
        _exit(0);
    }
    close(p[1]);
    char c;
    assert_int_equal(read(p[0], &c, 1), 1);
    *ready_fd = p[0];
    return pid;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct reader {
    web_app *app;
    double ms[9];
    int n, failed, writable_seen;
} reader;

/* Three rounds of the health check, a page and an API read, timed. */
static void *reader_main(void *arg)
{
    reader *rd = arg;
    for (int round = 0; round < 3; round++) {
        buf out;
        int64_t t0 = web_now_ns();
        buf_init(&out);
        rd->failed += session_get(rd->app, "/healthz", "x", &out) != 200;
        rd->ms[rd->n++] = (double)(web_now_ns() - t0) / 1e6;
        rd->writable_seen += out.data && strstr(out.data, "\"writable\":true") != NULL;
        buf_free(&out);
        t0 = web_now_ns();
        rd->failed += session_get(rd->app, "/home", "session-hana", NULL) != 200;
        rd->ms[rd->n++] = (double)(web_now_ns() - t0) / 1e6;
        t0 = web_now_ns();
        rd->failed += bearer(rd->app, "GET", "/api/v1/me", "tok-hana-lock", NULL) != 200;
        rd->ms[rd->n++] = (double)(web_now_ns() - t0) / 1e6;
    }
    return NULL;
}

#define N_READERS 4

/* While another process holds an exclusive lock for 4 s: the health check,
 * pages and API reads of 4 concurrent clients (so the server opens new
 * database connections meanwhile) answer at once, the health check says the
 * database is not writable now, and a change is refused with 503 and
 * Retry-After within the write wait. */
static void test_reads_answer_while_another_process_writes(void **state)
{
    (void)state;
    fixed_session("hana");
    fixed_token("hana", "tok-hana-lock", "read", 0);
    web_app *app = app_with((web_config){ 0 });
    int ready;
    pid_t holder = lock_holder(4000, &ready);
    pthread_t threads[N_READERS];
    static reader readers[N_READERS];
    for (int i = 0; i < N_READERS; i++) {
        memset(&readers[i], 0, sizeof readers[i]);
        readers[i].app = app;
        assert_int_equal(pthread_create(&threads[i], NULL, reader_main, &readers[i]), 0);
    }
    double ms[N_READERS * 9];
    int n = 0, failed = 0, writable = 0;
    for (int i = 0; i < N_READERS; i++) {
        pthread_join(threads[i], NULL);
        for (int j = 0; j < readers[i].n; j++)
            ms[n++] = readers[i].ms[j];
        failed += readers[i].failed;
        writable += readers[i].writable_seen;
    }
    buf out;
    int64_t t0 = web_now_ns();
    buf_init(&out);
    assert_int_equal(session_post(app, "/account/tokens", "session-hana", "name=locked&expires_days=30", &out), 503);
    double write_ms = (double)(web_now_ns() - t0) / 1e6;
    assert_non_null(strstr(out.data, "Retry-After: "));
    buf_free(&out);
    qsort(ms, (size_t)n, sizeof ms[0], cmp_double);
    fprintf(stderr, "# during another process's exclusive lock: reads median %.1f ms, slowest %.1f ms; "
                    "a write refused after %.0f ms\n", ms[n / 2], ms[n - 1], write_ms);
    assert_int_equal(failed, 0);
    assert_int_equal(writable, 0);
    assert_true(ms[n / 2] < 100);
    assert_true(ms[n - 1] < 1000);
    assert_true(write_ms < STORE_WRITE_WAIT_MS + 1000);
    int status;
    waitpid(holder, &status, 0);
    close(ready);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* Once it is gone the database is writable again. */
    buf_init(&out);
    assert_int_equal(session_get(app, "/healthz", "x", &out), 200);
    assert_non_null(strstr(out.data, "\"writable\":true"));
    buf_free(&out);
    web_app_free(app);
}

/* A database file the server cannot write: it starts, says so, and serves
 * reads; changes get 503. (Run as root, the server is started as nobody.) */
static void test_read_only_database_serves_reads(void **state)
{
    (void)state;
    const char *bin = getenv("ITSS_BIN");
    if (!bin) {
        skip();
        return;
    }
    char rodir[96], ro[160], cmd[1024];
    snprintf(rodir, sizeof rodir, "%s/ro", dir);
    snprintf(ro, sizeof ro, "%s/ro.db", rodir);
    chmod(dir, 0755);                      /* nobody must reach the file */
    assert_int_equal(mkdir(rodir, 0777), 0);
    chmod(rodir, 0777);
    err e;
    memset(&e, 0, sizeof e);
    assert_int_equal(store_backup(db, ro, &e), 0);
    assert_int_equal(chmod(ro, 0444), 0);
    const char *as = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
    snprintf(cmd, sizeof cmd,
             "printf 'GET /healthz HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n' | %s%s serve --db %s --request - 2>&1; "
             "printf 'GET /home HTTP/1.1\\r\\nHost: t\\r\\nCookie: itss_session=session-hana\\r\\n\\r\\n' | "
             "%s%s serve --db %s --request - 2>&1",
             as, bin, ro, as, bin, ro);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    buf out;
    buf_init(&out);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_append(&out, chunk, got);
    pclose(p);
    fprintf(stderr, "# %.300s\n", out.data ? out.data : "");
    assert_non_null(out.data);
    assert_non_null(strstr(out.data, "the database file is read-only: serving reads"));
    assert_non_null(strstr(out.data, "\"database\":\"read-only\""));
    assert_non_null(strstr(out.data, "HTTP/1.1 200"));
    assert_null(strstr(out.data, "unable to open"));
    buf_free(&out);
    char side[200];
    const char *suffix[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", ro, suffix[i]);
        unlink(side);
    }
    rmdir(rodir);
}

/* Every JSON answer writes '<' as \u003c, also the two written by jansson. */
static void test_json_answers_escape_lt(void **state)
{
    (void)state;
    err_list *errors = calloc(1, sizeof *errors);
    catalog *cat = catalog_load_builtin(errors);
    assert_non_null(cat);
    web_app *app = app_with((web_config){ .catalog = cat });
    fixed_token("hana", "tok-hana-json", "read", 0);
    buf req, out;
    buf_init(&req);
    buf_init(&out);
    buf_puts(&req, "GET /api/v1/catalog/search?q=%3Cscript%3E HTTP/1.1\r\nHost: t\r\n"
                   "Authorization: Bearer tok-hana-json\r\n\r\n");
    assert_int_equal(raw(app, "127.0.0.1", &req, &out), 200);
    const char *body = strstr(out.data, "\r\n\r\n");
    assert_non_null(strstr(body, "\\u003cscript>"));
    assert_null(strstr(body, "<"));
    buf_free(&req);
    buf_free(&out);
    /* A person whose name holds '<'. */
    store_person p = { 0 };
    p.employee_number = "E0900";
    p.name = "<b>Lt</b>";
    int64_t id = 0;
    err pe;
    assert_int_equal(store_person_add(db, &p, &id, &pe), 0);
    buf_init(&req);
    buf_init(&out);
    buf_printf(&req, "GET /api/v1/people/%lld/results HTTP/1.1\r\nHost: t\r\n"
                     "Authorization: Bearer tok-hana-json\r\n\r\n", (long long)id);
    int status = raw(app, "127.0.0.1", &req, &out);
    body = strstr(out.data, "\r\n\r\n");
    fprintf(stderr, "# %d %.200s\n", status, body);
    assert_int_equal(status, 200);
    assert_non_null(strstr(body, "\\u003cb>Lt\\u003c/b>"));
    assert_null(strstr(body, "<"));
    buf_free(&req);
    buf_free(&out);
    web_app_free(app);
    catalog_free(cat);
    free(errors);
}

/* ---- Compression ------------------------------------------------------------------------- */

/* Inflates a gzip body into out; 0, or -1 when it is not gzip. */
static int gunzip(const char *data, size_t len, buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 31) != Z_OK)
        return -1;
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    char chunk[16384];
    int rc;
    do {
        z.next_out = (Bytef *)chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        buf_append(out, chunk, sizeof chunk - z.avail_out);
    } while (rc == Z_OK);
    inflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

/* The body of a raw answer, and its length. */
static const char *answer_body(const buf *out, size_t *len)
{
    const char *b = strstr(out->data, "\r\n\r\n");
    assert_non_null(b);
    b += 4;
    *len = out->len - (size_t)(b - out->data);
    return b;
}

/* A GET with Accept-Encoding: gzip; status, answer in out. */
static int get_gzip(web_app *app, const char *path, const char *session, const char *encoding, buf *out)
{
    buf req;
    buf_init(&req);
    buf_printf(&req, "GET %s HTTP/1.1\r\nHost: t\r\n", path);
    if (session)
        buf_printf(&req, "Cookie: itss_session=%s\r\n", session);
    if (encoding)
        buf_printf(&req, "Accept-Encoding: %s\r\n", encoding);
    buf_puts(&req, "\r\n");
    int status = raw(app, "127.0.0.1", &req, out);
    buf_free(&req);
    return status;
}

/* CSS, pages and JSON come gzipped when asked, and inflate to what comes
 * plain; never when not asked or refused (q=0). A page's CSRF token is masked
 * afresh every time (so compression cannot leak it), and a masked token is
 * accepted back. */
static void test_gzip_answers(void **state)
{
    (void)state;
    err_list *errors = calloc(1, sizeof *errors);
    catalog *cat = catalog_load_builtin(errors);
    web_app *app = app_with((web_config){ .catalog = cat });
    fixed_session("hana");
    static const char *const paths[] = { "/static/itss.css", "/standard", "/api/v1/catalog", "/hr/cycles" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        buf plain, zipped, inflated;
        buf_init(&plain);
        buf_init(&zipped);
        buf_init(&inflated);
        assert_int_equal(get_gzip(app, paths[i], "session-hana", NULL, &plain), 200);
        assert_int_equal(get_gzip(app, paths[i], "session-hana", "br, gzip;q=0.8", &zipped), 200);
        assert_null(strstr(plain.data, "Content-Encoding"));
        assert_non_null(strstr(zipped.data, "Content-Encoding: gzip"));
        assert_non_null(strstr(zipped.data, "Vary: Accept-Encoding"));
        size_t plen, zlen;
        const char *pb = answer_body(&plain, &plen), *zb = answer_body(&zipped, &zlen);
        assert_int_equal(gunzip(zb, zlen, &inflated), 0);
        fprintf(stderr, "# %s: %zu bytes, %zu gzipped\n", paths[i], plen, zlen);
        assert_true(zlen < plen);
        /* The same bytes; a page with a form differs by its masked CSRF token only. */
        assert_int_equal(inflated.len, plen);
        if (strstr(pb, "name=\"csrf\"") == NULL)
            assert_memory_equal(inflated.data, pb, plen);
        buf_free(&plain);
        buf_free(&zipped);
        buf_free(&inflated);
    }
    buf out;
    buf_init(&out);
    assert_int_equal(get_gzip(app, "/static/itss.css", NULL, "gzip;q=0, identity", &out), 200);
    assert_null(strstr(out.data, "Content-Encoding"));
    buf_free(&out);

    /* Two answers of a page with a form: the CSRF field differs; both are taken. */
    char field[2][256];
    for (int i = 0; i < 2; i++) {
        buf_init(&out);
        assert_int_equal(get_gzip(app, "/hr/cycles", "session-hana", NULL, &out), 200);
        const char *p = strstr(out.data, "name=\"csrf\" value=\"");
        assert_non_null(p);
        p += strlen("name=\"csrf\" value=\"");
        snprintf(field[i], sizeof field[i], "%.*s", (int)strcspn(p, "\""), p);
        assert_null(strstr(out.data, "value=\"csrf\""));
        buf_free(&out);
    }
    assert_string_not_equal(field[0], field[1]);
    for (int i = 0; i < 2; i++) {
        buf req;
        buf_init(&req);
        buf_printf(&req, "POST /logout HTTP/1.1\r\nHost: t\r\nCookie: itss_session=session-hana\r\n"
                         "X-CSRF-Token: %s\r\nContent-Length: 0\r\n\r\n", field[i]);
        assert_int_equal(raw(app, "127.0.0.1", &req, NULL), 303);
        buf_free(&req);
        fixed_session("hana");
    }
    web_app_free(app);
    catalog_free(cat);
    free(errors);
}

int main(void)
{
    setenv("ITSS_TODAY", "2026-12-06", 1);   /* the cycles named here are dated for this day */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_limit_depends_on_route_and_caller),
        cmocka_unit_test(test_unfinished_large_bodies_keep_memory_bounded),
        cmocka_unit_test(test_slow_connections_do_not_hold_the_server),
        cmocka_unit_test(test_login_burst_gets_at_most_the_limit),
        cmocka_unit_test(test_login_not_locked_by_others),
        cmocka_unit_test(test_trusted_proxy_address),
        cmocka_unit_test(test_tokens_gone_after_reset_and_disable),
        cmocka_unit_test(test_token_scope_lifetime_and_admin),
        cmocka_unit_test(test_reads_answer_while_another_process_writes),
        cmocka_unit_test(test_read_only_database_serves_reads),
        cmocka_unit_test(test_json_answers_escape_lt),
        cmocka_unit_test(test_gzip_answers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
