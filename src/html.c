/* html.c - escaping writers and the page frame (see html.h). */
#include "html.h"
#include "web_auth.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

void html_txt(buf *b, const char *s)
{
    if (s)
        buf_html(b, s);
}

void html_attr(buf *b, const char *s)
{
    if (s)
        buf_html(b, s);
}

void html_url_arg(buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
            buf_append(b, esc, 3);
        }
    }
}

/* html_printf forwards each conversion but %s and %c to buf_printf with a
 * format built here from the caller's (checked) literal. */
void html_current(buf *b, int on)
{
    if (on)
        html_raw(b, " aria-current=\"page\"");
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* printf with escaping %s/%c. Unsupported conversions (%n) abort: they are a
 * programming error the format check lets through. */
void html_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            buf_puts(b, p);
            break;
        }
        buf_append(b, p, (size_t)(pct - p));
        p = pct + 1;
        if (*p == '%') {
            buf_putc(b, '%');
            p++;
            continue;
        }
        /* One conversion: flags, width, precision, length, conversion. */
        char spec[48];
        size_t n = 0;
        spec[n++] = '%';
        while (*p && strchr("-+ #0'", *p) && n < 10)
            spec[n++] = *p++;
        if (*p == '*') {
            n += (size_t)snprintf(spec + n, sizeof spec - n, "%d", va_arg(ap, int));
            p++;
        } else {
            while (*p >= '0' && *p <= '9' && n < 20)
                spec[n++] = *p++;
        }
        if (*p == '.') {
            spec[n++] = *p++;
            if (*p == '*') {
                n += (size_t)snprintf(spec + n, sizeof spec - n, "%d", va_arg(ap, int));
                p++;
            } else {
                while (*p >= '0' && *p <= '9' && n < 30)
                    spec[n++] = *p++;
            }
        }
        char length[3] = "";
        size_t ln = 0;
        while (*p && strchr("hlzjtL", *p) && ln < 2)
            length[ln++] = *p++;
        length[ln] = '\0';
        memcpy(spec + n, length, ln);
        n += ln;
        char conv = *p ? *p++ : '\0';
        spec[n++] = conv;
        spec[n] = '\0';

        switch (conv) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            html_txt(b, s);
            break;
        }
        case 'c': {
            char s[2] = { (char)va_arg(ap, int), '\0' };
            html_txt(b, s);
            break;
        }
        case 'd': case 'i':
            if (strcmp(length, "ll") == 0) buf_printf(b, spec, va_arg(ap, long long));
            else if (strcmp(length, "l") == 0) buf_printf(b, spec, va_arg(ap, long));
            else if (strcmp(length, "z") == 0) buf_printf(b, spec, va_arg(ap, ssize_t));
            else if (strcmp(length, "j") == 0) buf_printf(b, spec, va_arg(ap, intmax_t));
            else if (strcmp(length, "t") == 0) buf_printf(b, spec, va_arg(ap, ptrdiff_t));
            else buf_printf(b, spec, va_arg(ap, int));
            break;
        case 'u': case 'x': case 'X': case 'o':
            if (strcmp(length, "ll") == 0) buf_printf(b, spec, va_arg(ap, unsigned long long));
            else if (strcmp(length, "l") == 0) buf_printf(b, spec, va_arg(ap, unsigned long));
            else if (strcmp(length, "z") == 0) buf_printf(b, spec, va_arg(ap, size_t));
            else if (strcmp(length, "j") == 0) buf_printf(b, spec, va_arg(ap, uintmax_t));
            else if (strcmp(length, "t") == 0) buf_printf(b, spec, va_arg(ap, ptrdiff_t));
            else buf_printf(b, spec, va_arg(ap, unsigned));
            break;
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
            if (strcmp(length, "L") == 0) buf_printf(b, spec, va_arg(ap, long double));
            else buf_printf(b, spec, va_arg(ap, double));
            break;
        case 'p':
            buf_printf(b, spec, va_arg(ap, void *));
            break;
        default:
            fprintf(stderr, "itss: html_printf: unsupported conversion in \"%s\"\n", fmt);
            abort();
        }
    }
    va_end(ap);
}

#pragma GCC diagnostic pop

/* ---- The page frame ------------------------------------------------------------ */

/* The site's sections. A section is shown to a user when a GET route with its
 * path exists and the user's role may use it, so a page group appears in the
 * navigation by adding its route (and, when new, a row here). */
static const struct nav_item {
    const char *path;
    const char *key;              /* message key of its label */
} nav_items[] = {
    { "/home", "nav.home" },
    { "/standard", "nav.catalog" },
    { "/diagnosis", "nav.diagnosis" },
    { "/results", "nav.results" },
    { "/plan", "nav.plan" },
    { "/team", "nav.team" },
    { "/hr", "nav.hr" },
    { "/certificates", "nav.certificates" },
    { "/admin", "nav.admin" },
};

/* Is the section at path the one the request is in? */
static int in_section(const web_request *r, const char *path)
{
    size_t n = strlen(path);
    return strncmp(r->path, path, n) == 0 && (r->path[n] == '\0' || r->path[n] == '/');
}

/* The href of a built-in file with its version, so browsers cache it for good. */
static void static_href(buf *b, const char *name)
{
    html_printf(b, "/static/%s?v=%s", name, web_static_version(name));
}

void html_lang_switch(web_request *r)
{
    const char *other = strcmp(r->lang, "en") == 0 ? "ja" : "en";
    buf *b = r->out;
    html_printf(b, "<a class=\"lang\" lang=\"%s\" hreflang=\"%s\" href=\"", other, other);
    html_attr(b, r->path);
    buf_puts(b, "?");
    for (size_t i = 0; i < r->query.count; i++) {
        if (strcmp(r->query.items[i].name, "lang") == 0)
            continue;
        html_url_arg(b, r->query.items[i].name);
        buf_puts(b, "=");
        html_url_arg(b, r->query.items[i].value);
        buf_puts(b, "&amp;");
    }
    html_printf(b, "lang=%s\">%s</a>", other, web_t_lang(other, "lang.name"));
}

void html_begin(web_request *r, const char *title)
{
    buf *b = r->out;
    r->res.content_type = "text/html; charset=utf-8";
    html_printf(b,
                "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>%s | %s</title>\n<link rel=\"stylesheet\" href=\"",
                r->lang, title, web_t(r, "site.name"));
    static_href(b, "itss.css");
    html_printf(b, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
    static_href(b, "favicon.svg");
    html_printf(b, "\">\n<script src=\"");
    static_href(b, "itss.js");
    html_printf(b, "\" defer></script>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">%s</a>\n"
                   "<header class=\"site\">\n<div class=\"bar\">\n<a class=\"brand\" href=\"/\"><img src=\"",
                web_t(r, "nav.skip"));
    static_href(b, "logo.svg");
    html_printf(b, "\" alt=\"\" width=\"32\" height=\"32\"><span class=\"brand-name\">%s</span>"
                   "<span class=\"brand-sub\">%s</span></a>\n",
                web_t(r, "site.short"), web_t(r, "site.category"));

    if (r->user) {
        html_printf(b, "<nav class=\"main-nav\" aria-label=\"%s\"><ul>\n", web_t(r, "nav.label"));
        for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++) {
            const web_route *rt = web_route_find("GET", nav_items[i].path, NULL);
            if (!rt || !(rt->roles & r->user->role))
                continue;
            /* The attribute is markup: written as is, never through %s (which escapes). */
            html_printf(b, "<li><a href=\"%s\"", nav_items[i].path);
            if (in_section(r, nav_items[i].path))
                buf_puts(b, " aria-current=\"page\"");
            html_printf(b, ">%s</a></li>\n", web_t(r, nav_items[i].key));
        }
        char role_key[32];
        snprintf(role_key, sizeof role_key, "role.%s", account_role_name(r->user->role));
        html_printf(b, "</ul></nav>\n<div class=\"account\"><span class=\"who\">%s <span class=\"role\">%s</span></span>\n",
                    r->user->login, web_t(r, role_key));
        html_raw(b, "<a class=\"tokens\" href=\"/account/tokens\"");
        html_current(b, in_section(r, "/account/tokens"));
        html_printf(b, ">%s</a>\n", web_t(r, "tokens.title"));
        html_form_post(r, "/logout");
        html_printf(b, "<button type=\"submit\" class=\"link\">%s</button>", web_t(r, "nav.logout"));
        html_form_end(r);
        buf_puts(b, "</div>\n");
    }
    html_lang_switch(r);
    html_printf(b, "\n</div>\n</header>\n<main id=\"main\">\n");
}

void html_end(web_request *r)
{
    html_printf(r->out, "</main>\n<footer class=\"site\"><p>%s</p></footer>\n</body>\n</html>\n",
                web_t(r, "site.footer"));
}

/* ---- Forms ---------------------------------------------------------------------- */

void html_csrf_field(web_request *r)
{
    /* Masked afresh for every answer, so that gzip cannot leak it (web_gzip.c). */
    html_printf(r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", html_csrf_masked(r));
}

const char *html_csrf_masked(web_request *r)
{
    char masked[ACCOUNT_MASKED_SIZE];
    account_mask(r->csrf_token ? r->csrf_token : "", masked);
    return web_strdup(r, masked);
}

void html_form_post(web_request *r, const char *action)
{
    html_printf(r->out, "<form method=\"post\" action=\"%s\">", action);
    html_csrf_field(r);
}

void html_form_get(web_request *r, const char *action)
{
    html_printf(r->out, "<form method=\"get\" action=\"%s\">", action);
}

void html_form_end(web_request *r)
{
    buf_puts(r->out, "</form>\n");
}

void html_hidden(web_request *r, const char *name, const char *value)
{
    html_printf(r->out, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, value ? value : "");
}

void html_field(web_request *r, const html_input *in)
{
    buf *b = r->out;
    const char *id = in->name;
    html_printf(b, "<div class=\"field%s\">\n<label for=\"f-%s\">%s</label>\n", in->error ? " invalid" : "", id,
                in->label ? in->label : in->name);
    html_printf(b, "<input id=\"f-%s\" type=\"%s\" name=\"%s\"", id, in->type ? in->type : "text", in->name);
    if (in->value && !(in->type && strcmp(in->type, "password") == 0))
        html_printf(b, " value=\"%s\"", in->value);
    if (in->autocomplete)
        html_printf(b, " autocomplete=\"%s\"", in->autocomplete);
    if (in->maxlength > 0)
        html_printf(b, " maxlength=\"%d\"", in->maxlength);
    if (in->list)
        html_printf(b, " list=\"%s\"", in->list);
    if (in->required)
        buf_puts(b, " required");
    if (in->autofocus)
        buf_puts(b, " autofocus");
    if (in->error)
        html_printf(b, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", id);
    else if (in->hint)
        html_printf(b, " aria-describedby=\"h-%s\"", id);
    buf_puts(b, ">\n");
    if (in->hint)
        html_printf(b, "<p class=\"hint\" id=\"h-%s\">%s</p>\n", id, in->hint);
    if (in->error)
        html_printf(b, "<p class=\"error\" id=\"e-%s\">%s</p>\n", id, in->error);
    buf_puts(b, "</div>\n");
}

void html_submit(web_request *r, const char *label)
{
    html_printf(r->out, "<button type=\"submit\">%s</button>\n", label);
}

void html_select_begin(web_request *r, const char *name, const char *label, const char *error, int autosubmit)
{
    html_printf(r->out, "<div class=\"field%s\">\n<label for=\"f-%s\">%s</label>\n<select id=\"f-%s\" name=\"%s\"%s",
                error ? " invalid" : "", name, label, name, name, autosubmit ? " data-autosubmit" : "");
    if (error)
        html_printf(r->out, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", name);
    buf_puts(r->out, ">\n");
}

void html_select_end(web_request *r, const char *name, const char *error)
{
    buf_puts(r->out, "</select>\n");
    if (error)
        html_printf(r->out, "<p class=\"error\" id=\"e-%s\">%s</p>\n", name, error);
    buf_puts(r->out, "</div>\n");
}

void html_option(web_request *r, const char *value, const char *label, int selected)
{
    html_printf(r->out, "<option value=\"%s\"%s>%s</option>\n", value, selected ? " selected" : "", label);
}

void html_option_id(web_request *r, int64_t value, const char *label, int selected)
{
    html_printf(r->out, "<option value=\"%lld\"%s>%s</option>\n", (long long)value, selected ? " selected" : "",
                label);
}

void html_lines(web_request *r, const char *text)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        html_txt(r->out, web_strndup(r, p, n));
        p += n;
        if (*p == '\n' && *++p)
            buf_puts(r->out, "<br>");
    }
}

void html_message(web_request *r, const char *kind, const char *text)
{
    html_printf(r->out, "<div class=\"message %s\" role=\"%s\"><p>%s</p></div>\n", kind,
                strcmp(kind, "error") == 0 ? "alert" : "status", text);
}
