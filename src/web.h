/* web.h - the web application's core: requests, responses, routes, replies.
 *
 * `itss serve` answers HTTP with libmicrohttpd (web_server.c); `itss serve
 * --request FILE` answers one raw HTTP request read from a file (tests, valgrind).
 * Both fill the same web_request and run the same dispatcher (web_routes.c), so
 * every page behaves the same in both.
 *
 * A page or API endpoint is one handler and one row of the route table
 * (web_pages.h's list, made into the table by web_table.c): method, path
 * pattern (literal segments and :params, a final "*" for the rest), handler,
 * the roles that may use it and flags. Before a handler
 * runs, the dispatcher has
 *   1. authenticated the caller (session cookie, or a bearer token on API routes),
 *   2. authorized the role named in the row (else 401/redirect to login or 403),
 *   3. checked the CSRF token on every state-changing request,
 *   4. parsed the query, the cookies and the body (form fields, uploads, JSON).
 * so every handler has the same short shape:
 *
 *     // GET /people/:id  The results page of one person.
 *     static void page_person(web_request *r)
 *     {
 *         int64_t id;
 *         if (web_path_param_id(r, "id", &id) < 0) return;         // what, checked (404)
 *         if (!may_see_person(r, id)) { web_reply_403(r); return; }   // may they
 *         html_begin(r, web_t(r, "person.title"));            // render...
 *         html_printf(r->out, "<h1>%s</h1>", name);
 *         html_end(r);                                        // ...then it is sent
 *     }
 *
 * A helper that may answer the request itself (404, 403, 503, 422 ...) says so
 * one way in every web header: it returns a negative int (-1), or NULL when it
 * returns a pointer, after answering, and the handler just returns. 0 and 1
 * are answers (done or no, yes), never "answered".
 *
 * This header spans the web core, section by section: web_app.c (the app,
 * its database pool and memos), web_server.c (the HTTP transport),
 * web_request.c (parsing, parameters, per-request memory, answer headers),
 * web_table.c (the route table), web_reply.c (error answers, and the helpers
 * that answer for a handler), web_routes.c (the dispatcher), web_static.c
 * (built-in files), web_i18n.c (messages); each section names its file. They
 * call each other downwards only (docs/architecture.md, "The web core";
 * tests/web_core.sh checks it). What pages share is not here but
 * in web_kit.h; HTML writing is html.h, JSON writing web_json.h.
 *
 * Memory: everything a request owns (strings, parameters, the answer's body)
 * goes when the request ends; handlers allocate per-request memory with
 * web_alloc/web_strdup and register other cleanups with web_defer. */
#ifndef ITSS_WEB_H
#define ITSS_WEB_H

#include <stddef.h>
#include <stdint.h>
#include "account.h"
#include "buf.h"
#include "err.h"

typedef struct store store;
typedef struct catalog catalog;
typedef struct web_app web_app;
typedef struct web_request web_request;
typedef struct web_route web_route;

/* A query parameter of an API route, for the OpenAPI document. */
typedef struct web_query_doc {
    const char *name;
    const char *type;             /* "string", "integer", "boolean" */
    const char *description;
} web_query_doc;

/* The query parameters of a route row: .query = WEB_QUERY({ "q", "string", "what" }, ...) */
#define WEB_QUERY(...) ((const web_query_doc[]){ __VA_ARGS__, { NULL, NULL, NULL } })

/* ---- The application: what every request shares (web_app.c) -------------- */

typedef struct web_config {
    const char *db_path;          /* the database (store_open's argument) */
    const catalog *catalog;       /* the standard, read-only, shared by all threads; NULL: the built-in one (web_kit.h) */
    const struct policy *policy;  /* the level policy, read-only, shared; NULL: the built-in one (web_kit.h) */
    int secure_cookies;           /* add Secure to cookies (TLS in front) */
    int threads;                  /* worker threads; 0: one per core */
    int access_log;               /* 1: a line per request on stderr */
    size_t max_body;              /* forms and JSON of a logged-in user, bytes; 0: WEB_MAX_BODY */
    size_t max_body_anonymous;    /* any body before login (the login form), bytes; 0: WEB_MAX_BODY_ANONYMOUS */
    size_t max_upload;            /* upload routes (WEB_UPLOAD), streamed to a temporary file; 0: WEB_MAX_UPLOAD */
    int session_idle_minutes;     /* 0: WEB_SESSION_IDLE_MINUTES */
    int session_hours;            /* absolute lifetime; 0: WEB_SESSION_HOURS */
    int per_address_connections;  /* open connections from one client address; 0: WEB_PER_ADDRESS_CONNECTIONS
                                     (none with a trusted proxy: every connection comes from it) */
    int request_seconds;          /* headers and body of one request must arrive within; 0: WEB_REQUEST_SECONDS */
    int upload_seconds;           /* the same for an upload; 0: WEB_UPLOAD_SECONDS */
    const char *trusted_proxy;    /* "CIDR[,CIDR...]": take the client's address from X-Forwarded-For
                                     when the peer is one of these; NULL: never */
    size_t org_memory;            /* bytes the organization's columns may take (web_orgcols_start);
                                     0: WEB_ORG_MEMORY */
    const char *mail_relay;       /* "HOST:PORT" this server sends e-mail through (itss serve --smtp), shown
                                     on /admin/outbox; NULL: none */
} web_config;

#define WEB_MAX_BODY (1u << 20)
#define WEB_MAX_BODY_ANONYMOUS (16u << 10)
#define WEB_MAX_UPLOAD (64u << 20)
#define WEB_PER_ADDRESS_CONNECTIONS 100
#define WEB_MAX_CONNECTIONS 1000
#define WEB_IDLE_SECONDS 15       /* a kept-alive connection with nothing to say is closed */
#define WEB_REQUEST_SECONDS 30
#define WEB_UPLOAD_SECONDS 600
#define WEB_SESSION_IDLE_MINUTES 120
#define WEB_SESSION_HOURS 12
#define WEB_ORG_MEMORY ((size_t)1024 << 20)   /* about 1,000,000 people with two cycles each */

/* Opens the database once (applying migrations) to check it, and makes the
 * shared state. The config's strings and catalog must outlive the app. Returns
 * NULL with *e filled when the database cannot be used. Free with web_app_free. */
web_app *web_app_new(const web_config *config, err *e);
/* Closes every database connection the app opened. NULL is allowed. */
void web_app_free(web_app *app);
const web_config *web_app_config(const web_app *app);
/* 1 when the database file could not be opened for writing at start: reads
 * are served, changes answer 503. */
int web_app_read_only(const web_app *app);
/* Checks that the organization's columns (orgcols.h) for app (its catalog,
 * the built-in policy) fit in the config's org_memory and, when read_now, reads
 * them over a connection of their own (web_orgcols.c), so that the first
 * request after a start is as fast as any (else the first request that needs
 * them reads them). 0, or -1 with *e: naming "org-memory" and how many MB they
 * need when that is more than allowed (the server then refuses the database). */
int web_orgcols_start(web_app *app, int read_now, err *e);
/* A value the app keeps for its lifetime under key (the address of a static
 * object of the caller, so keys never clash): made by make(ctx) on the first
 * call, once even when threads race, and freed by release (may be NULL) when the
 * app is freed. Shared by every thread: it must be safe to use concurrently
 * (read-only data such as an engine). make runs under the app's lock and must
 * not call back into the app (web_store...). NULL when make returns NULL; it is
 * then tried again on the next call. */
void *web_app_memo(web_app *app, const void *key, void *(*make)(void *ctx), void *ctx, void (*release)(void *));

/* ---- Running (web_server.c) ---------------------------------------------- */

/* Answers one raw HTTP request (request line, headers, body) as the server
 * would, appending the raw HTTP response to out. address is the client's
 * address for logs and throttling. Returns the response status. */
int web_handle_raw(web_app *app, const char *raw, size_t len, const char *address, buf *out);

/* A running server. */
typedef struct web_server web_server;

/* Listens on listen ("HOST:PORT", "[::1]:PORT" or ":PORT"; port 0 picks a free
 * one) with a pool of config->threads workers. Returns NULL with *e filled. */
web_server *web_server_start(web_app *app, const char *listen, err *e);
/* The port actually listened on. */
int web_server_port(const web_server *s);
/* Stops accepting, waits up to grace_ms for requests in flight to finish, then
 * stops and frees the server (the app stays). */
void web_server_stop(web_server *s, int grace_ms);

/* ---- Requests (filled by web_request.c) ---------------------------------- */

/* A name and value (both NUL-terminated, owned by the request). */
typedef struct web_param {
    const char *name;
    const char *value;
    size_t len;                   /* value's length (uploads may hold NUL bytes) */
} web_param;

typedef struct web_params {
    web_param *items;
    size_t count, cap;
} web_params;

/* A file sent with a multipart/form-data form. */
typedef struct web_upload {
    const char *field;            /* the form field's name */
    const char *filename;         /* as the browser sent it (for messages only) */
    const char *content_type;
    const char *data;             /* NUL-terminated; may hold other NUL bytes */
    size_t len;
} web_upload;

/* Who is asking, once authenticated. */
typedef struct web_user {
    int64_t id;
    char login[64];
    int64_t person_id;            /* 0 when the account has no person */
    account_role role;
    int by_token;                 /* authenticated by a bearer token, not a session */
    int read_only;                /* by a token of scope "read": GET and HEAD only */
} web_user;

typedef struct web_response {
    int status;
    const char *content_type;     /* static string; default text/html; charset=utf-8 */
    web_params headers;           /* headers besides the default ones; may repeat */
    buf body;
    const void *fixed_body;       /* when not NULL: the body, owned elsewhere (built-in files) */
    size_t fixed_len;
    int no_gzip;                  /* 1: never compress (the body shows a secret: web_gzip.c) */
    int file_fd;                  /* when > 0: the body is this file's first file_len bytes, sent from the
                                     file (web_reply_file); the request closes it */
    uint64_t file_len;
} web_response;

typedef struct web_arena_block web_arena_block;
typedef struct web_cleanup web_cleanup;

struct web_request {
    web_app *app;
    /* What was asked. Strings are NUL-terminated, valid UTF-8 (the request is
     * refused with 400 otherwise) and owned by the request. */
    const char *method;           /* as sent: "GET", "POST"... */
    const char *path;             /* percent-decoded, without the query: "/people/12" */
    const char *query_string;     /* raw, after '?'; "" when none */
    const char *address;          /* the client's address */
    web_params query;             /* ?a=1&b=2, decoded */
    web_params form;              /* body fields: urlencoded or multipart text fields */
    web_params cookies;
    web_params headers;           /* names as sent; look up with web_header (case ignored) */
    web_params path_params;       /* :name segments of the matched route */
    web_upload *uploads;
    size_t n_uploads;
    const char *body;             /* the raw body, NUL-terminated; "" when none */
    size_t body_len;
    int is_json;                  /* the body is application/json */
    int is_head;                  /* HEAD: answered like GET, body not sent */

    /* Who is asking and in which language. */
    const web_user *user;         /* NULL when nobody is logged in */
    const char *csrf_token;       /* what forms of this answer must carry */
    const char *lang;             /* "ja" or "en" */
    const web_route *route;       /* the matched row, or NULL */

    /* What is answered: handlers write into out (== &res.body). */
    web_response res;
    buf *out;

    /* Per-request memory and bookkeeping. */
    const char *uri;              /* as sent, for the log */
    buf body_buf;                 /* the body as it arrives */
    int refuse_status;            /* set by a transport or the parser: answer this (400, 413) */
    const char *refuse_message;
    web_arena_block *arena;
    web_cleanup *cleanups;
    store *db;                    /* taken from the app's pool by web_store, given back at the end */
    int64_t started_ns;
    const char *log_user;         /* login for the access log */
    int admitted;                 /* web_request_admit ran */
    int answered;                 /* admission already answered (a bad bearer token, 503) */
    int path_known;               /* no route for the method, but one for the path (405) */
    int body_fd;                  /* an upload's body goes to this unlinked temporary file; -1: memory */
    size_t body_file_len;
    void *body_map;               /* the file mapped, once the body is complete */
    const char *peer;             /* the address the connection came from (address may be a proxy's client) */
};

/* ---- For the transports (web_server.c; implemented in web_request.c) ----- */

/* Starts a request from its request line: method and URI as sent. Everything
 * else comes from web_request_header and the body in r->body_buf. */
void web_request_begin(web_request *r, web_app *app, const char *method, const char *uri,
                       const char *address);
/* Adds one header as received (repeats allowed). */
void web_request_header(web_request *r, const char *name, const char *value);
/* After the headers, before any body byte is read: parses the path, query and
 * cookies, takes the client's address from X-Forwarded-For when the peer is a
 * trusted proxy, finds the route and identifies the caller (web_routes.c), so
 * that web_request_body_limit knows who asks for what. Runs once; web_dispatch
 * calls it when the transport did not. */
void web_request_admit(web_request *r);
/* How many body bytes this request may send: max_body_anonymous before login,
 * max_upload on an upload route for a user the route allows, else max_body. */
size_t web_request_body_limit(const web_request *r);
/* 1 when the body goes to a temporary file (an upload) rather than memory. */
int web_request_body_streamed(const web_request *r);
/* Appends body bytes as they arrive: to memory, or to the temporary file of an
 * upload (made on the first call). Returns 0, or -1 when the file cannot be
 * written (disk full). */
int web_request_body_append(web_request *r, const void *data, size_t len);
/* Parses the path, query and cookies (web_request_admit calls it). Returns 0,
 * or -1 with refuse_status set. */
int web_request_parse_head(web_request *r);
/* Parses the body (form, multipart, JSON); on a malformed one sets
 * refuse_status. web_dispatch calls it. Returns 0, or -1 when refused. */
int web_request_parse(web_request *r);
/* Frees everything the request owns and gives back its database connection. */
void web_request_end(web_request *r);
/* The answer's headers as sent, defaults included (after web_dispatch): calls
 * fn for each. */
void web_response_headers(const web_request *r, void (*fn)(const char *name, const char *value, void *ctx),
                          void *ctx);
/* The answer's body and its length. */
const void *web_response_body(const web_request *r, size_t *len);
/* Compresses the answer with gzip when the client accepts it and it is worth
 * it and safe (web_gzip.c says which): the body is replaced and
 * Content-Encoding set. The transports call it after web_dispatch. 1 when
 * compressed. */
#define WEB_GZIP_MIN 1024
int web_gzip_answer(web_request *r);

/* ---- Routes (web_table.c; the list of routes is web_pages.h) ------------- */

typedef void (*web_handler)(web_request *r);

/* Route flags. */
#define WEB_PUBLIC 1u             /* no login needed (roles ignored) */
#define WEB_CSRF 2u               /* changes state: the CSRF token must come with it */
#define WEB_API 4u                /* JSON answers and errors; bearer tokens accepted */
#define WEB_NOAUTH 8u             /* never asks who is asking (built-in files, health check) */
#define WEB_UPLOAD 16u            /* takes a body up to max_upload (files), streamed to disk */

struct web_route {
    const char *method;           /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern;          /* "/people/:id"; a last segment "*" takes the rest */
    web_handler handler;
    unsigned roles;               /* ROLE_* bits that may use it (ROLES_ANY: anyone logged in) */
    unsigned flags;
    const char *summary;          /* one line, for docs and the permission-matrix test */
    /* What the OpenAPI document says beyond the row's method, path, roles and
     * summary (web_openapi.c); set in the row with designators, all optional. */
    const char *request;          /* schema of a JSON body, "csv" for a CSV upload; NULL: none */
    const char *response;         /* schema of the answer, "export" for CSV/JSON files; NULL: an object */
    int status;                   /* the success status; 0: 200 (204 for DELETE) */
    const web_query_doc *query;   /* the query parameters (WEB_QUERY), or NULL */
};

/* The route table (web_table.c), for tests and the API document. */
const web_route *web_routes(size_t *count);
/* The route answering method and path (NULL when none); when a route matches
 * the path with another method, *path_known is set to 1. */
const web_route *web_route_find(const char *method, const char *path, int *path_known);
/* The route of r's method and path, r's :params and path_known filled (the dispatcher's). */
const web_route *web_route_resolve(web_request *r);
/* The methods the routes offer for r's path, for an Allow header (request memory). */
const char *web_route_allowed(web_request *r);

/* Runs the dispatcher (web_routes.c) over a filled request: authentication, authorization,
 * CSRF, the handler, error pages, default headers. The transports call it. */
void web_dispatch(web_request *r);

/* ---- Reading parameters (web_request.c) ---------------------------------- */

/* The first value of name in the list, or NULL. */
const char *web_params_get(const web_params *p, const char *name);
const char *web_query(const web_request *r, const char *name);
const char *web_form(const web_request *r, const char *name);
const char *web_cookie(const web_request *r, const char *name);
/* A request header, name compared without case. */
const char *web_header(const web_request *r, const char *name);
/* A :param of the route's pattern. */
const char *web_path_param(const web_request *r, const char *name);
/* How many values the form has for name, and the i-th (checkbox groups). */
size_t web_form_count(const web_request *r, const char *name);
const char *web_form_nth(const web_request *r, const char *name, size_t i);
/* The uploaded file of field name, or NULL. */
const web_upload *web_upload_get(const web_request *r, const char *name);

/* 1 when list is one or more IPv4 or IPv6 addresses or CIDR blocks separated
 * by commas ("10.0.0.0/8,::1"), as --trusted-proxy takes. */
int web_cidr_list_valid(const char *list);

/* Parses text as a decimal integer within [min, max]; 1 on success. */
int web_parse_int(const char *text, int64_t min, int64_t max, int64_t *out);
/* The :name path parameter as a positive id: 0 with *out, or -1 after
 * answering 404 when it is not one (web_reply.c). */
int web_path_param_id(web_request *r, const char *name, int64_t *out);

/* ---- Per-request memory (web_request.c; web_store: web_reply.c) --------- */

/* Zeroed memory that lives until the request ends. Never NULL (aborts when out
 * of memory, like buf). */
void *web_alloc(web_request *r, size_t size);
char *web_strdup(web_request *r, const char *s);
char *web_strndup(web_request *r, const char *s, size_t n);
/* Calls fn(ptr) when the request ends (after the answer is built), latest first. */
void web_defer(web_request *r, void (*fn)(void *), void *ptr);

/* The database connection of this request, taken from the app's pool on first
 * use; NULL (after answering 503) when the database cannot be opened. */
store *web_store(web_request *r);
/* A connection from app's pool (web_app.c): NULL with *e when none can be
 * opened. web_store is the handlers' way; this one answers nothing. */
store *web_app_store_take(web_app *app, err *e);

/* ---- Answering (web_request.c; the error answers: web_reply.c) ---------- */

/* Adds a header to the answer (both copied). */
void web_add_header(web_request *r, const char *name, const char *value);
/* Sets a cookie: Path=/, HttpOnly, SameSite=Lax, Secure with --secure-cookies;
 * max_age_s < 0 for a browser-session cookie, 0 to delete it. */
void web_set_cookie(web_request *r, const char *name, const char *value, long max_age_s);
/* 303 See Other to a local path (anything else goes to "/"). */
void web_redirect(web_request *r, const char *path);
/* 1 when path is a safe local redirect target: starts with one '/', no "//",
 * no backslash, no control characters. */
int web_is_local_path(const char *path);

/* An error answer: an HTML page, or on API routes and /api/ paths
 * {"error":{"code":code,"message":message,"field":field or null}}. Replaces
 * whatever was written. message is shown escaped. */
void web_reply_error(web_request *r, int status, const char *code, const char *message, const char *field);
void web_reply_400(web_request *r, const char *message, const char *field);
void web_reply_401(web_request *r);
void web_reply_403(web_request *r);
void web_reply_404(web_request *r);
void web_reply_405(web_request *r, const char *allow);
/* Logs "what: the store's message" on stderr and answers 503 with a message
 * that says only that the service is unavailable (the store's words are for
 * the log, not the client). e may be NULL. */
/* Answers 200 with the first len bytes of file fd (from its start) as the
 * body, sent from the file without reading it into memory (a large download);
 * r owns fd from now on. Not compressed. */
void web_reply_file(web_request *r, int fd, uint64_t len, const char *content_type);
/* An unlinked temporary file in $TMPDIR (else /tmp): its descriptor, or -1. */
int web_temporary_file(void);
void web_store_failed(web_request *r, const char *what, const err *e);

/* Marks the answer as JSON (handlers then write JSON into r->out). */
void web_json_begin(web_request *r, int status);

/* The reason phrase of an HTTP status ("Not Found"). */
const char *web_status_text(int status);

/* ---- Languages (web_i18n.c) ---------------------------------------------- */

/* One message: key ("login.title"), Japanese, English. The core's messages
 * are in web_i18n.c; a page group may keep its own table in its own file,
 *     const web_message web_messages_diagnosis[] = { { "diag.title", "自己診断", "My diagnosis" }, ... };
 *     const size_t web_messages_diagnosis_count = sizeof web_messages_diagnosis / sizeof web_messages_diagnosis[0];
 * registered by one line in the list of tables in web_i18n.c. A key is defined once in all tables. */
typedef struct web_message {
    const char *key;
    const char *ja;
    const char *en;
} web_message;

/* The message key in the request's language (web_i18n.c). An unknown key comes
 * back as itself, so that a missing message is visible, not a crash. */
const char *web_t(const web_request *r, const char *key);
/* The same for a language given by name ("ja", "en"). */
const char *web_t_lang(const char *lang, const char *key);
/* Number of messages in all tables, and the i-th key (tests check the catalog). */
size_t web_i18n_count(void);
const char *web_i18n_key(size_t i, const char **ja, const char **en);

/* ---- Built-in files (web/static, embedded at build time; web_static.c; served by web_routes.c) */

typedef struct web_static_file {
    const char *name;             /* "itss.css" */
    const unsigned char *data;
    size_t len;
} web_static_file;

extern const web_static_file web_static_files[];
extern const size_t web_static_count;

/* The built-in file called name, or NULL. */
const web_static_file *web_static_find(const char *name);
/* The cache-busting version of a built-in file: 8 hex digits of its hash. */
const char *web_static_version(const char *name);
/* The content type of a built-in file, by its extension. */
const char *web_static_type(const char *name);

/* Monotonic clock in nanoseconds. */
int64_t web_now_ns(void);

#endif
