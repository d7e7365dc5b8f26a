/* test_web_limits.c - the server under abuse, each finding of issue 10 as a
 * test: memory stays bounded while many unauthenticated clients send large
 * bodies they never finish; one address holding hundreds of slow connections
 * neither stops others from being answered nor keeps its connections past the
 * request deadline; uploads go to a temporary file and only where allowed.
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

#include "account.h"
#include "store.h"
#include "web.h"
#include "web_auth.h"

/* ---- The fixture: a database with an engineer and an HR user -------------------- */

static char dir[64];
static char db_path[128];
static store *db;

/* Gives login a session whose secret is "session-LOGIN" and CSRF token "csrf". */
static void fixed_session(const char *login)
{
    store_user u;
    err e;
    assert_int_equal(store_user_find(db, login, &u, &e), 1);
    char secret[64], hash[ACCOUNT_TOKEN_HASH_SIZE], now[32];
    snprintf(secret, sizeof secret, "session-%s", login);
    account_token_hash(secret, hash);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_limit_depends_on_route_and_caller),
        cmocka_unit_test(test_unfinished_large_bodies_keep_memory_bounded),
        cmocka_unit_test(test_slow_connections_do_not_hold_the_server),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
