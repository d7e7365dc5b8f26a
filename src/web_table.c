/* web_table.c - the one route table, made from the list of routes in
 * web_pages.h, and finding the route of a method and path (with its :params).
 * Below the answers and the page shell: it calls nothing of the web core but
 * request memory. */
#include "web.h"
#include "web_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The table, made from the one list of routes in web_pages.h. */
#define WEB_ROUTE_ROW(method_, pattern_, handler_, roles_, flags_, ...) \
    { .method = method_, .pattern = pattern_, .handler = handler_, .roles = roles_, .flags = flags_, \
      .summary = __VA_ARGS__ },
static const web_route routes[] = { WEB_ROUTES(WEB_ROUTE_ROW) };

#define N_ROUTES (sizeof routes / sizeof routes[0])

const web_route *web_routes(size_t *count)
{
    *count = N_ROUTES;
    return routes;
}

/* Adds a path parameter to r (strings already in request memory). */
static void add_path_param(web_request *r, const char *name, const char *value)
{
    web_params *p = &r->path_params;
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
        if (!p->items) {
            fputs("itss: out of memory\n", stderr);
            abort();
        }
    }
    p->items[p->count++] = (web_param){ name, value, strlen(value) };
}

/* Does path match pattern? When r is not NULL, the :params (and "*" for the rest
 * of a "*" pattern, never empty) are added to r->path_params. */
static int match(const char *pattern, const char *path, web_request *r)
{
    const char *p = pattern, *s = path;
    for (;;) {
        if (p[0] == '*' && p[1] == '\0') {
            if (*s == '\0')
                return 0;
            if (r)
                add_path_param(r, "*", web_strdup(r, s));
            return 1;
        }
        if (*p == ':') {
            size_t name_len = strcspn(p + 1, "/");
            size_t value_len = strcspn(s, "/");
            if (value_len == 0)
                return 0;
            if (r)
                add_path_param(r, web_strndup(r, p + 1, name_len), web_strndup(r, s, value_len));
            p += 1 + name_len;
            s += value_len;
            continue;
        }
        if (*p != *s)
            return 0;
        if (*p == '\0')
            return 1;
        p++;
        s++;
    }
}

/* The route for method and path, filling r's path parameters when r is given.
 * HEAD is answered by GET routes. */
static const web_route *find_route(const char *method, const char *path, int *path_known, web_request *r)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    if (path_known)
        *path_known = 0;
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (r)
            r->path_params.count = 0;
        if (!match(routes[i].pattern, path, r))
            continue;
        if (strcmp(routes[i].method, m) == 0)
            return &routes[i];
        if (path_known)
            *path_known = 1;
    }
    if (r)
        r->path_params.count = 0;
    return NULL;
}

const web_route *web_route_find(const char *method, const char *path, int *path_known)
{
    return find_route(method, path, path_known, NULL);
}

const char *web_route_allowed(web_request *r)
{
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!match(routes[i].pattern, r->path, NULL) || (b.data && strstr(b.data, routes[i].method)))
            continue;
        if (b.len)
            buf_puts(&b, ", ");
        buf_puts(&b, routes[i].method);
        if (strcmp(routes[i].method, "GET") == 0)
            buf_puts(&b, ", HEAD");
    }
    const char *allow = web_strdup(r, b.data ? b.data : "");
    buf_free(&b);
    return allow;
}

const web_route *web_route_resolve(web_request *r)
{
    return find_route(r->method, r->path, &r->path_known, r);
}
