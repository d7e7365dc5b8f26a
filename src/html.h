/* html.h - writing HTML so that the safe way is also the short way.
 *
 * Every page is rendered into its request's buffer (r->out) with these helpers:
 *   html_printf   printf whose %s is HTML-escaped (numbers as printf prints them)
 *   html_txt      text, escaped (& < > " ')
 *   html_attr     an attribute value, escaped the same way
 *   html_url_arg  a URL query value or path segment, percent-encoded
 * Literal markup written in the source goes in with html_raw() (a string
 * literal only: the compiler refuses anything else), markup held in a variable
 * (an SVG chart rendered elsewhere) with buf_raw(), the one raw write of data:
 * rare and easy to grep for. Pages write to their buffer with nothing else
 * (tests/web_markup.sh checks).
 *
 * Format strings must be literals: this header turns -Wformat-nonliteral into an
 * error for every file that includes it, so that text cannot become markup by
 * being used as a format.
 *
 * Pages start with html_begin (doctype, head, site header with the navigation
 * the user's role reaches, language switch) and end with html_end. Forms that
 * change state start with html_form_post, which adds the CSRF token. */
#ifndef ITSS_HTML_H
#define ITSS_HTML_H

#pragma GCC diagnostic error "-Wformat-nonliteral"
#pragma GCC diagnostic error "-Wformat-security"

#include "buf.h"
#include "web.h"

/* Text and attribute values, escaped. NULL writes nothing. */
void html_txt(buf *b, const char *s);
void html_attr(buf *b, const char *s);
/* Percent-encodes every byte but A-Z a-z 0-9 - _ . ~ (the result is also safe
 * in HTML). NULL writes nothing. */
void html_url_arg(buf *b, const char *s);
/* Appends literal markup, as written ("</td><td>"). literal must be a string
 * literal ("" literal "" does not compile otherwise), so no data can get in. */
#define html_raw(b, literal) buf_puts((b), "" literal "")
/* printf into b, each %s argument HTML-escaped (NULL as ""); %c escaped too.
 * Width and precision of %s are ignored. So an argument is text, never
 * markup: an attribute or an entity given as an argument comes out escaped
 * again (aria-current=&quot;page&quot;, &amp;amp;); write it with html_raw
 * (tests/web_markup.sh fails on a literal argument holding markup). */
void html_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes ' aria-current="page"' when on (a navigation link to the page shown),
 * nothing otherwise: inside a tag being written. */
void html_current(buf *b, int on);

/* ---- Pages ------------------------------------------------------------------ */

/* Starts the page: doctype, head with title (escaped) and the built-in CSS and
 * JavaScript, the site header with navigation by role, the language switch and
 * the logout button; opens <main>. */
void html_begin(web_request *r, const char *title);
/* Closes <main>, writes the footer, ends the document. */
void html_end(web_request *r);

/* A link to the current page in the other language (path and query kept). */
void html_lang_switch(web_request *r);

/* ---- Forms ------------------------------------------------------------------ */

/* <form method="post" action="ACTION"> with the hidden CSRF field. */
void html_form_post(web_request *r, const char *action);
/* The request's CSRF token masked afresh for a page (account_mask; the check
 * takes it or the token itself), in request memory; "" when there is none. */
const char *html_csrf_masked(web_request *r);
/* <form method="get" action="ACTION"> (searches, filters: no state changes). */
void html_form_get(web_request *r, const char *action);
void html_form_end(web_request *r);
/* Only the hidden CSRF field (for forms opened by hand). */
void html_csrf_field(web_request *r);

/* One labelled input. Unset members are left out; error, when set, is shown
 * under the field and marks it aria-invalid. */
typedef struct html_input {
    const char *type;             /* "text" when NULL */
    const char *name;
    const char *label;
    const char *value;            /* shown again after a failed submit (not for passwords) */
    const char *hint;
    const char *error;
    const char *autocomplete;     /* "username", "current-password", "off"... */
    int required;
    int autofocus;
    int maxlength;
    const char *list;             /* the id of a <datalist> of values offered (the caller writes it) */
} html_input;

void html_field(web_request *r, const html_input *in);
/* <input type="hidden"> */
void html_hidden(web_request *r, const char *name, const char *value);
/* A submit button. */
void html_submit(web_request *r, const char *label);

/* Opens a labelled <select id="f-NAME" name="NAME"> in a field <div>; error,
 * when set, marks it invalid and is shown under it by html_select_end;
 * autosubmit adds data-autosubmit (the form is sent on change). */
void html_select_begin(web_request *r, const char *name, const char *label, const char *error, int autosubmit);
/* Closes what html_select_begin opened (same name and error). */
void html_select_end(web_request *r, const char *name, const char *error);
/* One <option> line (value and label escaped), chosen when selected. */
void html_option(web_request *r, const char *value, const char *label, int selected);
/* The same with a number as the value (ids). */
void html_option_id(web_request *r, int64_t value, const char *label, int selected);
/* text escaped, each line break inside it written as <br> (comments, the
 * standard's multi-line texts). */
void html_lines(web_request *r, const char *text);

/* A message box: kind "error", "notice" or "ok"; text escaped. */
void html_message(web_request *r, const char *kind, const char *text);

#endif
