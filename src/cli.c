/* cli.c - plumbing every `itss` command shares (see cli.h): options, catalog
 * loading, error printing, and laying out Japanese text on a terminal. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <jansson.h>

#include "cli.h"
#include "text.h"

/* Prints "PROG: message" to stderr. */
void cli_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Prints the message and the usage lines to stderr; returns CLI_USAGE. */
int cli_usage_error(const char *prog, const char *usage, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (usage && *usage)
        fprintf(stderr, "%s", usage);
    return CLI_USAGE;
}

/* The option called name (its first n bytes) among the common options and
 * extra, or NULL. */
static const cli_option *find_option(const cli_option *extra, const cli_option *common,
                                     const char *name, size_t n)
{
    const cli_option *lists[2] = { common, extra };
    for (int l = 0; l < 2; l++)
        for (const cli_option *o = lists[l]; o && o->name; o++)
            if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
                return o;
    return NULL;
}

/* Parses options and positional arguments; see cli.h. */
int cli_parse(const char *prog, const char *usage, int argc, char **argv,
              const cli_option *extra, cli_args *a)
{
    int only_positional = 0;

    memset(a, 0, sizeof *a);
    a->prog = prog;
    a->usage = usage;
    const cli_option common[] = {
        { "--json", NULL, &a->json },
        { "--catalog", &a->catalog_path, NULL },
        { "--help", NULL, &a->help },
        { "-h", NULL, &a->help },
        { NULL, NULL, NULL },
    };

    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            if (a->n_pos == CLI_MAX_ARGS)
                return cli_usage_error(prog, usage, "too many arguments (from '%s' on)", arg);
            a->pos[a->n_pos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = 1;
            continue;
        }
        const char *eq = strchr(arg, '=');
        size_t n = eq && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
        const cli_option *o = find_option(extra, common, arg, n);
        if (!o)
            return cli_usage_error(prog, usage, "unknown option '%.*s'", (int)n, arg);
        if (o->flag) {
            if (eq && arg[1] == '-')
                return cli_usage_error(prog, usage, "option '%s' takes no value", o->name);
            *o->flag = 1;
            continue;
        }
        const char *value;
        if (eq && arg[1] == '-')
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[++i];
        else
            return cli_usage_error(prog, usage, "option '%s' needs a value", o->name);
        if (*value == '\0')
            return cli_usage_error(prog, usage, "option '%s' needs a value, got an empty one", o->name);
        *o->value = value;
    }
    return CLI_OK;
}

/* Prints each error of list on its own line to stderr. */
void cli_print_errors(const err_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        err_print(stderr, &list->items[i]);
    if (list->dropped)
        fprintf(stderr, "... and %zu more error%s\n", list->dropped, list->dropped == 1 ? "" : "s");
}

/* Loads --catalog FILE, $ITSS_CATALOG or the built-in catalog; caller frees. */
catalog *cli_load_catalog(const cli_args *a)
{
    const char *path = a->catalog_path;
    const char *env = getenv("ITSS_CATALOG");
    err_list *errors = calloc(1, sizeof *errors);
    catalog *c;

    if (!errors) {
        cli_error(a->prog, "out of memory");
        return NULL;
    }
    if (!path && env && *env)
        path = env;
    c = path ? catalog_load_file(path, errors) : catalog_load_builtin(errors);
    if (!c) {
        cli_print_errors(errors);
        cli_error(a->prog, "cannot use catalog %s%s", path ? path : "built in",
                  path && path == env ? " (from ITSS_CATALOG)" : "");
    }
    free(errors);
    return c;
}

/* Writes the whole buffer to out; reports a failed write. */
int cli_write(const buf *b, FILE *out)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len) {
        fprintf(stderr, "itss: write error: %s\n", strerror(errno));
        return CLI_USAGE;
    }
    if (fflush(out) != 0) {
        fprintf(stderr, "itss: write error: %s\n", strerror(errno));
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Terminal width: $COLUMNS, the tty's width, or 100. */
int cli_term_width(void)
{
    const char *env = getenv("COLUMNS");
    int w = 0;

    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v > 0 && v < 10000)
            w = (int)v;
    }
    if (w == 0 && isatty(STDOUT_FILENO)) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
            w = ws.ws_col;
    }
    if (w == 0)
        w = 100;
    return w < 40 ? 40 : w;
}

/* Length of the UTF-8 character starting at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/* Start of the character that ends just before s + n (n > 0). */
static size_t char_back(const char *s, size_t n)
{
    size_t i = n - 1;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* Does the character at s belong to the set (a string of characters)? */
static int char_in(const char *s, const char *set)
{
    size_t n = char_len(s);
    for (const char *p = set; *p; p += char_len(p))
        if (char_len(p) == n && memcmp(p, s, n) == 0)
            return 1;
    return 0;
}

/* Marks that must not begin a line, and marks that must not end one (禁則). */
static const char no_line_start[] =
    "、。，．・：；？！ー）」』】〕〉》｝］ぁぃぅぇぉっゃゅょァィゥェォッャュョ､｡),.;:!?]}";
static const char no_line_end[] = "（「『【〔〈《｛［([{";

/* Where to end the next line of s within width columns: a byte count that
 * keeps whole characters, prefers a space between Latin words, and keeps
 * closing marks off the line start. Always at least one character. */
static size_t line_break(const char *s, int width)
{
    size_t len = strlen(s), n = text_fit(s, width);
    if (n >= len)
        return len;
    if (n == 0)
        return char_len(s);
    /* in the middle of a Latin word: go back to the space before it */
    if ((unsigned char)s[n] > ' ' && (unsigned char)s[n] < 0x80 && (unsigned char)s[n - 1] > ' ' &&
        (unsigned char)s[n - 1] < 0x80) {
        size_t i = n;
        while (i > 0 && s[i - 1] != ' ' && (unsigned char)s[i - 1] < 0x80)
            i--;
        if (i > 0 && s[i - 1] == ' ')
            return i;
    }
    /* 禁則: move back (at most a few characters) until the break is allowed */
    for (int tries = 0; tries < 4; tries++) {
        size_t prev = char_back(s, n);
        if (prev == 0)
            break;
        if (!char_in(s + n, no_line_start) && !char_in(s + prev, no_line_end))
            break;
        n = prev;
    }
    return n;
}

/* Appends one line: prefix, then s[0..n) without trailing spaces, then '\n'. */
static void put_line(buf *out, const char *prefix, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    buf_puts(out, prefix);
    buf_append(out, s, n);
    while (out->len > 0 && out->data[out->len - 1] == ' ')
        out->data[--out->len] = '\0';
    buf_putc(out, '\n');
}

/* Wraps text to width columns with the given line prefixes; see cli.h. */
void cli_wrap(buf *out, const char *first, const char *next, const char *text, int width)
{
    const char *prefix = first;
    const char *p = text ? text : "";

    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        char *para = malloc(plen + 1);
        if (!para)
            return;
        memcpy(para, p, plen);
        para[plen] = '\0';

        int avail = width - text_width(prefix);
        if (avail < 2)
            avail = 2;     /* room for one wide character */
        const char *rest = para;
        if (*rest == '\0')
            put_line(out, prefix, "", 0);
        while (*rest) {
            size_t n = line_break(rest, avail);
            put_line(out, prefix, rest, n);
            prefix = next;
            rest += n;
            while (*rest == ' ')
                rest++;
        }
        free(para);
        prefix = next;
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* ---- tables ---- */

/* Copies s (NULL as ""); aborts the program when memory runs out, as a table
 * half built is of no use. */
static char *dup_cell(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) {
        fputs("itss: out of memory\n", stderr);
        exit(CLI_USAGE);
    }
    return d;
}

/* Starts a table with copies of the headers. */
void cli_table_init(cli_table *t, int n_cols, const char *const *headers)
{
    memset(t, 0, sizeof *t);
    t->n_cols = n_cols > CLI_TABLE_MAX_COLS ? CLI_TABLE_MAX_COLS : n_cols;
    cli_table_add(t, headers);
}

/* Adds a row of copied cells. */
void cli_table_add(cli_table *t, const char *const *cells)
{
    if (t->n_rows == t->cap_rows) {
        int cap = t->cap_rows ? t->cap_rows * 2 : 16;
        char **g = realloc(t->cells, (size_t)cap * (size_t)t->n_cols * sizeof *g);
        if (!g) {
            fputs("itss: out of memory\n", stderr);
            exit(CLI_USAGE);
        }
        t->cells = g;
        t->cap_rows = cap;
    }
    for (int c = 0; c < t->n_cols; c++)
        t->cells[t->n_rows * t->n_cols + c] = dup_cell(cells ? cells[c] : "");
    t->n_rows++;
}

/* Widest line of a cell in columns. */
static int cell_width(const char *s)
{
    int w = 0;
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *line = strndup(s, n);
        if (line) {
            int lw = text_width(line);
            if (lw > w)
                w = lw;
            free(line);
        }
        if (!nl)
            return w;
        s = nl + 1;
    }
}

/* Narrows the columns w[0..n) (natural widths) to one common limit, the
 * largest at which they fit in room columns, but never below min. */
static void fit_columns(int *w, int n, int room, int min)
{
    int limit = min, wider = 1;
    for (int l = min; wider; l++) {
        int sum = 0;
        wider = 0;
        for (int c = 0; c < n; c++) {
            sum += w[c] < l ? w[c] : l;
            wider |= w[c] > l;
        }
        if (sum > room)
            break;
        limit = l;
    }
    for (int c = 0; c < n; c++)
        if (w[c] > limit)
            w[c] = limit;
}

/* Lays the table out: natural column widths when they fit; otherwise the last
 * column (the long text, by convention) keeps at least half the width and the
 * others share the rest, their cells wrapped. */
void cli_table_render(const cli_table *t, buf *out, int width)
{
    enum { GAP = 2, MIN_COL = 8 };
    int colw[CLI_TABLE_MAX_COLS] = { 0 };
    int n = t->n_cols, room = width - GAP * (n - 1), others = 0;

    if (n < 1)
        return;

    for (int c = 0; c < n; c++) {
        colw[c] = 1;
        for (int r = 0; r < t->n_rows; r++) {
            int w = cell_width(t->cells[r * n + c]);
            if (w > colw[c])
                colw[c] = w;
        }
        if (c + 1 < n)
            others += colw[c];
    }
    if (others + colw[n - 1] > room) {
        int last = room - others;
        if (last < room / 2)
            last = room / 2;
        if (last < colw[n - 1])
            colw[n - 1] = last;
        fit_columns(colw, n - 1, room - colw[n - 1], MIN_COL);
    }

    buf lines[CLI_TABLE_MAX_COLS];
    for (int c = 0; c < t->n_cols; c++)
        buf_init(&lines[c]);
    for (int r = 0; r < t->n_rows; r++) {
        const char *cur[CLI_TABLE_MAX_COLS];
        int more = 1;
        for (int c = 0; c < t->n_cols; c++) {
            buf_reset(&lines[c]);
            cli_wrap(&lines[c], "", "", t->cells[r * t->n_cols + c], colw[c]);
            cur[c] = lines[c].len ? lines[c].data : "";
        }
        while (more) {
            size_t start = out->len;
            more = 0;
            for (int c = 0; c < t->n_cols; c++) {
                const char *nl = strchr(cur[c], '\n');
                size_t len = nl ? (size_t)(nl - cur[c]) : strlen(cur[c]);
                char *cell = strndup(cur[c], len);
                if (c > 0)
                    buf_puts(out, "  ");
                buf_pad(out, cell ? cell : "", c + 1 < t->n_cols ? colw[c] : 0);
                free(cell);
                cur[c] += nl ? len + 1 : len;
                if (*cur[c])
                    more = 1;
            }
            while (out->len > start && out->data[out->len - 1] == ' ')
                out->data[--out->len] = '\0';
            buf_putc(out, '\n');
        }
        if (r == 0) {
            for (int c = 0; c < t->n_cols; c++) {
                if (c > 0)
                    buf_puts(out, "  ");
                for (int i = 0; i < colw[c]; i++)
                    buf_putc(out, '-');
            }
            buf_putc(out, '\n');
        }
    }
    for (int c = 0; c < t->n_cols; c++)
        buf_free(&lines[c]);
}

/* Frees the cells; the table may be started again with cli_table_init. */
void cli_table_free(cli_table *t)
{
    for (int i = 0; i < t->n_rows * t->n_cols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

/* Writes a jansson value as indented JSON to stdout and releases it. */
int cli_print_json(struct json_t *v)
{
    char *s;
    buf b;
    int rc;

    if (!v) {
        /* json_pack fails on memory or on a string that is not UTF-8 (an argument) */
        fputs("itss: cannot write the JSON output (out of memory, or an argument that is not UTF-8)\n", stderr);
        return CLI_USAGE;
    }
    s = json_dumps(v, JSON_PRESERVE_ORDER | JSON_INDENT(2));
    json_decref(v);
    if (!s) {
        fputs("itss: out of memory\n", stderr);
        return CLI_USAGE;
    }
    buf_init(&b);
    buf_puts(&b, s);
    buf_putc(&b, '\n');
    free(s);
    rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}
