/* csv.c - CSV reader and writer (see csv.h).
 *
 * The reader works in three layers, each over a fixed-size buffer:
 *   source   raw bytes from a file or memory, 64 KiB at a time (in[]);
 *   decoder  UTF-8 checked in place, or CP932 converted by iconv into out[];
 *            an incomplete character at the end of a chunk waits for the next one,
 *            and a bad byte is reported only once everything before it was parsed,
 *            so its line and column are those of the parser;
 *   parser   the RFC 4180 state machine, copying field bytes into one row buffer.
 * Memory is the two chunk buffers and the largest row, whatever the file's size. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "csv.h"
#include "text.h"

#define IN_CAP (64u * 1024u)
#define OUT_CAP (3u * IN_CAP + 16u)     /* CP932 -> UTF-8 grows at most threefold */

/* What get() returns besides a byte. */
#define CH_EOF (-1)
#define CH_BAD (-2)                       /* the decoder found a bad byte; r->bad says which */

struct csv_reader {
    char *where;
    FILE *file;                           /* NULL when reading memory */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    uint64_t size;                        /* total input bytes (0 when unknown) */
    uint64_t offset;                      /* input bytes read so far */
    int src_eof;

    csv_encoding enc;
    int auto_detected;                    /* enc was chosen by CSV_AUTO */
    int utf8_bad_line, utf8_bad_column;   /* CSV_AUTO chose CP932: where UTF-8 failed */
    int had_bom;
    iconv_t cd;                           /* (iconv_t)-1 unless CP932 */

    unsigned char in[IN_CAP];             /* raw bytes; in[in_pos..in_len) not decoded yet */
    size_t in_len, in_pos;
    char *out;                            /* OUT_CAP bytes: CP932 decoded to UTF-8 */
    const unsigned char *win;             /* decoded bytes ready for the parser */
    size_t win_len, win_pos;
    int bad_pending;                      /* after win: a bad byte (message in bad) */
    char bad[400];

    int line, col;                        /* position of the last character read */
    int done;                             /* end reached or fatal error */

    buf text;                             /* the current row's field texts, each NUL-ended */
    csv_field *fields;
    size_t *starts;                       /* offset of each field's text in text */
    size_t cap_fields;
};

/* ---- encodings ---- */

int csv_encoding_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcasecmp(name, "auto") == 0)
        return CSV_AUTO;
    if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        return CSV_UTF8;
    if (strcasecmp(name, "cp932") == 0 || strcasecmp(name, "shift_jis") == 0 || strcasecmp(name, "sjis") == 0 ||
        strcasecmp(name, "shift-jis") == 0 || strcasecmp(name, "windows-31j") == 0)
        return CSV_CP932;
    return -1;
}

const char *csv_encoding_name(csv_encoding enc)
{
    switch (enc) {
    case CSV_UTF8: return "UTF-8";
    case CSV_CP932: return "CP932";
    default: return "auto";
    }
}

/* Length of the valid UTF-8 prefix of s[0..n). *incomplete is set to 1 when what
 * follows it is the start of a sequence cut by the end of s (more bytes may
 * complete it), 0 when it is a bad byte (or nothing follows). NUL is accepted
 * here; the parser refuses it with a better message. */
static size_t utf8_prefix(const unsigned char *s, size_t n, int *incomplete)
{
    size_t i = 0;
    *incomplete = 0;
    while (i < n) {
        /* ASCII eight bytes at a time (most CSV is mostly ASCII) */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;           /* no overlong forms */
            if (c == 0xED) hi = 0x9F;           /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;           /* nothing above U+10FFFF */
        } else
            return i;
        for (size_t k = 1; k < len; k++) {
            if (i + k == n) {
                *incomplete = 1;
                return i;
            }
            unsigned char b = s[i + k];
            if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
                return i;
        }
        i += len;
    }
    return i;
}

/* Advances (line, col) over the valid UTF-8 bytes s[0..n), counting as the
 * parser does: '\n' starts a line, '\r' and continuation bytes take no column. */
static void count_position(const unsigned char *s, size_t n, int *line, int *col)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 0;
        } else if ((s[i] & 0xC0) != 0x80 && s[i] != '\r')
            (*col)++;
    }
}

/* ---- source ---- */

/* Reads up to cap raw bytes into dst; 0 at the end. A read error ends the input
 * with a pending error. */
static size_t src_read(csv_reader *r, unsigned char *dst, size_t cap)
{
    size_t n;
    if (r->file) {
        n = fread(dst, 1, cap, r->file);
        if (n < cap && ferror(r->file) && !r->bad_pending) {
            r->bad_pending = 1;
            snprintf(r->bad, sizeof r->bad, "read error: %s", strerror(errno));
        }
    } else {
        n = r->mem_len - r->mem_pos < cap ? r->mem_len - r->mem_pos : cap;
        memcpy(dst, r->mem + r->mem_pos, n);
        r->mem_pos += n;
    }
    r->offset += n;
    return n;
}

/* Back to the first byte of the input. Returns 0, or -1 when a file cannot seek. */
static int src_rewind(csv_reader *r)
{
    r->offset = 0;
    r->src_eof = 0;
    if (!r->file) {
        r->mem_pos = 0;
        return 0;
    }
    return fseek(r->file, 0, SEEK_SET);
}

/* CSV_AUTO: reads the whole input once; 1 when it is all valid UTF-8. Otherwise
 * records where the first bad byte is (for the message if CP932 fails too). */
static int scan_is_utf8(csv_reader *r)
{
    size_t carry = 0;
    int line = 1, col = 0;
    for (;;) {
        size_t n = src_read(r, r->in + carry, IN_CAP - carry);
        size_t have = carry + n;
        if (have == 0)
            return 1;
        int incomplete;
        size_t ok = utf8_prefix(r->in, have, &incomplete);
        count_position(r->in, ok, &line, &col);
        if (ok < have && (!incomplete || n == 0)) {
            r->utf8_bad_line = line;
            r->utf8_bad_column = col + 1;
            return 0;
        }
        carry = have - ok;
        memmove(r->in, r->in + ok, carry);
        if (n == 0)
            return 1;
    }
}

/* ---- decoder ---- */

/* Sets the pending error for the bad bytes at in[in_pos]. */
static void set_bad_bytes(csv_reader *r, int at_end)
{
    const unsigned char *p = r->in + r->in_pos;
    size_t left = r->in_len - r->in_pos;
    char bytes[32];
    if (left >= 2 && r->enc == CSV_CP932 && ((p[0] >= 0x81 && p[0] <= 0x9F) || (p[0] >= 0xE0 && p[0] <= 0xFC)))
        snprintf(bytes, sizeof bytes, "bytes 0x%02X 0x%02X", p[0], p[1]);
    else
        snprintf(bytes, sizeof bytes, "byte 0x%02X", left ? p[0] : 0);
    r->bad_pending = 1;
    if (at_end)
        snprintf(r->bad, sizeof r->bad, "the file ends in the middle of a %s character",
                 csv_encoding_name(r->enc));
    else if (r->enc == CSV_UTF8)
        snprintf(r->bad, sizeof r->bad,
                 "%s is not valid UTF-8, the encoding %s (a CP932/Shift_JIS file read as UTF-8?)", bytes,
                 r->had_bom ? "the byte order mark declares" : "asked for");
    else if (r->auto_detected)
        snprintf(r->bad, sizeof r->bad,
                 "%s is not valid CP932 (Shift_JIS); the file is not UTF-8 either (its first non-UTF-8 byte is at "
                 "line %d, column %d): save it from Excel as \"CSV UTF-8\" or \"CSV\"", bytes, r->utf8_bad_line,
                 r->utf8_bad_column);
    else
        snprintf(r->bad, sizeof r->bad, "%s is not valid CP932 (Shift_JIS), the encoding asked for", bytes);
}

/* Decodes what in[] holds into the window. */
static void decode(csv_reader *r)
{
    if (r->enc == CSV_UTF8) {
        int incomplete;
        size_t ok = utf8_prefix(r->in, r->in_len, &incomplete);
        r->win = r->in;
        r->win_len = ok;
        r->in_pos = ok;
        if (ok < r->in_len && (!incomplete || r->src_eof))
            set_bad_bytes(r, incomplete);
        return;
    }
    char *ip = (char *)r->in, *op = r->out;
    size_t il = r->in_len, ol = OUT_CAP;
    size_t rc = iconv(r->cd, &ip, &il, &op, &ol);
    int saved = errno;
    r->in_pos = (size_t)((unsigned char *)ip - r->in);
    r->win = (const unsigned char *)r->out;
    r->win_len = (size_t)(op - r->out);
    if (rc == (size_t)-1 && saved == EILSEQ)
        set_bad_bytes(r, 0);
    else if (rc == (size_t)-1 && saved == EINVAL && r->src_eof)
        set_bad_bytes(r, 1);
}

/* Makes more decoded bytes ready once the window is used up. Returns 1 when there
 * are some, 0 at the end of the input, -1 for a bad byte (message in r->bad). */
static int refill(csv_reader *r)
{
    for (;;) {
        if (r->bad_pending)
            return -1;
        /* keep what was not decoded (the start of a character cut by the chunk) */
        memmove(r->in, r->in + r->in_pos, r->in_len - r->in_pos);
        r->in_len -= r->in_pos;
        r->in_pos = 0;
        if (!r->src_eof && r->in_len < IN_CAP) {
            size_t n = src_read(r, r->in + r->in_len, IN_CAP - r->in_len);
            if (n == 0)
                r->src_eof = 1;
            r->in_len += n;
        }
        if (r->in_len == 0)
            return r->bad_pending ? -1 : 0;
        r->win_pos = 0;
        decode(r);
        if (r->win_len > 0)
            return 1;
        if (r->bad_pending)
            return -1;
        if (r->src_eof)
            return 0;   /* not reached: an incomplete end sets bad_pending */
    }
}

/* The next decoded byte, CH_EOF or CH_BAD; keeps line and column. */
static inline int get(csv_reader *r)
{
    int c;
    if (r->win_pos < r->win_len)
        c = r->win[r->win_pos++];
    else {
        int rc = refill(r);
        if (rc <= 0)
            return rc == 0 ? CH_EOF : CH_BAD;
        c = r->win[r->win_pos++];
    }
    if (c == '\n') {
        r->line++;
        r->col = 0;
    } else if ((c & 0xC0) != 0x80 && c != '\r')
        r->col++;
    return c;
}

/* The next decoded byte without taking it, CH_EOF or CH_BAD. */
static int peek(csv_reader *r)
{
    if (r->win_pos < r->win_len)
        return r->win[r->win_pos];
    int rc = refill(r);
    return rc > 0 ? r->win[r->win_pos] : rc == 0 ? CH_EOF : CH_BAD;
}

/* ---- opening and closing ---- */

/* A reader over the source already set in r; checks the start of the input
 * (BOM, UTF-16) and settles the encoding. Frees r and returns NULL on failure. */
static csv_reader *start(csv_reader *r, csv_encoding enc, err *e)
{
    r->line = 1;
    r->cd = (iconv_t)-1;
    buf_init(&r->text);
    r->enc = enc;

    unsigned char head[3];
    size_t n = src_read(r, head, sizeof head);
    if (n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))) {
        err_set(e, r->where, 1, 1, NULL,
                "the file is UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" or \"CSV\" instead");
        csv_close(r);
        return NULL;
    }
    r->had_bom = n == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF;
    if (r->had_bom && enc == CSV_CP932) {
        err_set(e, r->where, 1, 1, NULL,
                "the file starts with a UTF-8 byte order mark: it is UTF-8, not the CP932 asked for");
        csv_close(r);
        return NULL;
    }
    if (enc == CSV_AUTO) {
        r->auto_detected = 1;
        if (r->had_bom)
            r->enc = CSV_UTF8;
        else {
            if (src_rewind(r) < 0) {
                err_set(e, r->where, 0, 0, NULL, "cannot detect the encoding of input that cannot be re-read; "
                        "give the encoding");
                csv_close(r);
                return NULL;
            }
            r->enc = scan_is_utf8(r) ? CSV_UTF8 : CSV_CP932;
        }
    }
    if (src_rewind(r) < 0) {
        err_set(e, r->where, 0, 0, NULL, "cannot read the file from its start: %s", strerror(errno));
        csv_close(r);
        return NULL;
    }
    if (r->had_bom)
        src_read(r, head, sizeof head);
    if (r->enc == CSV_CP932) {
        r->cd = iconv_open("UTF-8", "CP932");
        r->out = malloc(OUT_CAP);
        if (r->cd == (iconv_t)-1 || !r->out) {
            err_set(e, r->where, 0, 0, NULL, "cannot decode CP932 on this system (iconv has no CP932 converter)");
            csv_close(r);
            return NULL;
        }
    }
    return r;
}

csv_reader *csv_open_file(const char *path, const char *where, csv_encoding enc, err *e)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) {
        err_set(e, where, 0, 0, NULL, "out of memory");
        return NULL;
    }
    r->where = strdup(where ? where : path);
    r->file = fopen(path, "rb");
    if (!r->file) {
        err_set(e, where ? where : path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        csv_close(r);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(r->file), &st) == 0 && S_ISREG(st.st_mode))
        r->size = (uint64_t)st.st_size;
    else if (fstat(fileno(r->file), &st) == 0 && S_ISDIR(st.st_mode)) {
        err_set(e, r->where, 0, 0, NULL, "is a directory, not a CSV file");
        csv_close(r);
        return NULL;
    }
    return start(r, enc, e);
}

csv_reader *csv_open_memory(const char *data, size_t len, const char *where, csv_encoding enc, err *e)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) {
        err_set(e, where, 0, 0, NULL, "out of memory");
        return NULL;
    }
    r->where = strdup(where ? where : "");
    r->mem = (const unsigned char *)data;
    r->mem_len = len;
    r->size = len;
    return start(r, enc, e);
}

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    if (r->file)
        fclose(r->file);
    if (r->cd != (iconv_t)-1 && r->cd != (iconv_t)0)
        iconv_close(r->cd);
    free(r->out);
    free(r->where);
    buf_free(&r->text);
    free(r->fields);
    free(r->starts);
    free(r);
}

csv_encoding csv_reader_encoding(const csv_reader *r) { return r->enc; }
int csv_reader_had_bom(const csv_reader *r) { return r->had_bom; }
uint64_t csv_reader_offset(const csv_reader *r) { return r->offset; }
uint64_t csv_reader_size(const csv_reader *r) { return r->size; }
const char *csv_reader_where(const csv_reader *r) { return r->where; }

/* ---- parser ---- */

/* Bytes that end a run of ordinary field text: unquoted, and inside quotes. */
static unsigned char stop_unquoted[256], stop_quoted[256];

/* Fills the stop tables once (idempotent, so a race is harmless). */
static void init_tables(void)
{
    stop_unquoted[','] = stop_unquoted['"'] = stop_unquoted['\r'] = stop_unquoted['\n'] = 1;
    stop_unquoted[0] = 1;
    stop_quoted['"'] = stop_quoted['\r'] = stop_quoted['\n'] = 1;
    stop_quoted[0] = 1;
}

/* Starts a new field at (line, column); returns 0, or -1 when the row has too many. */
static int field_begin(csv_reader *r, size_t n, int line, int column, int quoted)
{
    if (n == CSV_MAX_FIELDS)
        return -1;
    if (n == r->cap_fields) {
        size_t cap = r->cap_fields ? 2 * r->cap_fields : 16;
        csv_field *f = realloc(r->fields, cap * sizeof *f);
        if (f)
            r->fields = f;
        size_t *s = realloc(r->starts, cap * sizeof *s);
        if (s)
            r->starts = s;
        if (!f || !s)
            return -1;
        r->cap_fields = cap;
    }
    r->starts[n] = r->text.len;
    r->fields[n].line = line;
    r->fields[n].column = column;
    r->fields[n].quoted = quoted;
    return 0;
}

/* Ends field n: its NUL and length. */
static void field_end(csv_reader *r, size_t n)
{
    r->fields[n].len = r->text.len - r->starts[n];
    buf_putc(&r->text, '\0');
}

/* Skips to the start of the next line after a malformed row. A bad byte on the
 * way stays pending: the next csv_next() reports it. */
static void skip_line(csv_reader *r)
{
    int c;
    while ((c = get(r)) >= 0 && c != '\n')
        ;
    if (c == CH_EOF)
        r->done = 1;
}

/* Takes the '\n' of a CRLF after a '\r' just read, or counts a lone '\r' as a
 * line end. */
static void after_cr(csv_reader *r)
{
    if (peek(r) == '\n')
        get(r);
    else {
        r->line++;
        r->col = 0;
    }
}

/* Copies a run of ordinary bytes (stop[] says where runs end) from the window into
 * the row, counting columns and lines. */
static void copy_run(csv_reader *r, const unsigned char *stop)
{
    const unsigned char *p = r->win + r->win_pos, *end = r->win + r->win_len, *q = p;
    int line = r->line, col = r->col;
    while (q < end && !stop[*q]) {
        if (*q < 0x80 && *q != '\n')
            col++;                 /* the common case first */
        else if (*q == '\n') {
            line++;
            col = 0;
        } else if ((*q & 0xC0) != 0x80)
            col++;
        q++;
    }
    if (q > p) {
        buf_append(&r->text, p, (size_t)(q - p));
        r->win_pos += (size_t)(q - p);
        r->line = line;
        r->col = col;
    }
}

/* 1 when field n has grown past the limits. */
static int too_long(const csv_reader *r, size_t n)
{
    return r->text.len - r->starts[n] > CSV_MAX_FIELD || r->text.len > CSV_MAX_ROW;
}

/* Reads the rest of a quoted field whose opening quote was just read; returns
 * the byte after its closing quote (or CH_EOF, CH_BAD, 0), or sets *problem. */
static int quoted_field(csv_reader *r, size_t n, const char **problem)
{
    for (;;) {
        copy_run(r, stop_quoted);
        if (too_long(r, n)) {
            *problem = "this quoted field runs on for more than 1 MiB: is its closing quote missing?";
            return CH_EOF;
        }
        int c = get(r);
        if (c == '"') {
            if (peek(r) != '"')
                return get(r);
            get(r);
            buf_putc(&r->text, '"');
        } else if (c == '\r') {
            after_cr(r);
            buf_putc(&r->text, '\n');
        } else if (c == CH_EOF) {
            *problem = "the quote opened here is never closed (the file ends inside this field)";
            return c;
        } else if (c > 0)
            buf_putc(&r->text, (char)c);   /* '\n', or a run cut by the end of a chunk */
        else
            return c;                      /* NUL or a bad byte */
    }
}

/* Reads the rest of an unquoted field whose first byte c was just read; returns
 * the byte that ends it, or sets *problem. */
static int unquoted_field(csv_reader *r, size_t n, int c, const char **problem)
{
    buf_putc(&r->text, (char)c);
    for (;;) {
        copy_run(r, stop_unquoted);
        if (too_long(r, n)) {
            *problem = "a field longer than 1 MiB";
            return CH_EOF;
        }
        c = get(r);
        if (c < 0 || stop_unquoted[c])
            return c;
        buf_putc(&r->text, (char)c);
    }
}

/* Is c a byte that ends a field? */
static int ends_field(int c)
{
    return c == ',' || c == '\r' || c == '\n' || c == CH_EOF;
}

/* Where a row went wrong, and whether reading can go on after it. */
typedef struct row_problem {
    const char *text;
    int line, col;
    int fatal;                 /* the rest of the input cannot be read */
} row_problem;

/* Fills *p; returns -1. */
static int row_problem_at(row_problem *p, const char *text, int line, int col, int fatal)
{
    p->text = text;
    p->line = line;
    p->col = col;
    p->fatal = fatal;
    return -1;
}

/* Reads field n of the row, *c being its first character (at f_line:f_col),
 * and leaves in *c the character that ended it (',', '\r', '\n' or CH_EOF).
 * 0, or -1 with *p filled. */
static int read_field(csv_reader *r, size_t n, int *c, int f_line, int f_col, row_problem *p)
{
    const char *problem = NULL;
    if (field_begin(r, n, f_line, f_col, *c == '"') < 0)
        return row_problem_at(p, "the row has too many fields (or too little memory)", f_line, f_col, 1);
    if (*c == '"') {
        *c = quoted_field(r, n, &problem);
        if (problem)
            return row_problem_at(p, problem, f_line, f_col, 1);
        if (*c > 0 && !ends_field(*c))
            return row_problem_at(p, "text after the closing quote of a field (a quote inside a quoted field is "
                                  "written \"\")", r->line, r->col, 0);
    } else if (*c > 0 && !ends_field(*c)) {
        *c = unquoted_field(r, n, *c, &problem);
        if (problem)
            return row_problem_at(p, problem, f_line, f_col, 1);
        if (*c == '"')
            return row_problem_at(p, "a quote inside a field that does not start with one; quote the whole field "
                                  "and double the quote (\"a\"\"b\")", r->line, r->col, 0);
    }
    if (*c == 0)
        return row_problem_at(p, "a NUL byte: this is not a text CSV file (UTF-16?)", r->line, r->col, 1);
    if (*c == CH_BAD)
        return row_problem_at(p, r->bad, r->line, r->col + 1, 1);
    field_end(r, n);
    return 0;
}

int csv_next(csv_reader *r, csv_row *row, err *e)
{
    if (!stop_unquoted[','])
        init_tables();
    memset(row, 0, sizeof *row);
    if (r->done)
        return CSV_END;
    buf_reset(&r->text);

    /* (line, col + 1) is always where the next character stands */
    int f_line = r->line, f_col = r->col + 1;
    int c = get(r);
    if (c == CH_EOF) {
        r->done = 1;
        return CSV_END;
    }
    row->line = f_line;
    row_problem problem = { 0 };
    size_t n = 0;

    for (;;) {
        if (read_field(r, n, &c, f_line, f_col, &problem) < 0)
            break;
        n++;
        if (c == ',') {
            f_line = r->line;
            f_col = r->col + 1;
            c = get(r);
            continue;
        }
        row->end_line = c == '\n' ? r->line - 1 : r->line;
        if (c == '\r')
            after_cr(r);
        if (c == CH_EOF)
            r->done = 1;
        break;
    }

    if (problem.text) {
        err_set(e, r->where, problem.line, problem.col < 1 ? 1 : problem.col, NULL, "%s", problem.text);
        memset(row, 0, sizeof *row);
        if (problem.fatal) {
            r->done = 1;
            return CSV_FATAL;
        }
        if (c != '\n')
            skip_line(r);
        return CSV_BAD_ROW;
    }
    for (size_t i = 0; i < n; i++)
        r->fields[i].text = r->text.data + r->starts[i];
    row->fields = r->fields;
    row->n_fields = n;
    return CSV_ROW;
}

int csv_row_is_blank(const csv_row *row)
{
    for (size_t i = 0; i < row->n_fields; i++)
        if (row->fields[i].len > 0)
            return 0;
    return 1;
}

/* Characters that make a spreadsheet read a cell as a formula. */
static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int csv_needs_neutralizing(const char *s)
{
    if (!s)
        return 0;
    while (*s == '\'')
        s++;
    return formula_start(*s);
}

const char *csv_text(const csv_field *f)
{
    return f->text[0] == '\'' && csv_needs_neutralizing(f->text) ? f->text + 1 : f->text;
}

/* ---- header ---- */

/* s without the spaces (ASCII, tab, U+3000) around it, NFKC-folded; caller frees.
 * NULL when s is not valid UTF-8. */
static char *fold_trimmed(const char *s)
{
    size_t len = strlen(s);
    while (len > 0 && (s[0] == ' ' || s[0] == '\t' || (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0))) {
        size_t k = s[0] == ' ' || s[0] == '\t' ? 1 : 3;
        s += k;
        len -= k;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                       (len >= 3 && memcmp(s + len - 3, "\xE3\x80\x80", 3) == 0)))
        len -= s[len - 1] == ' ' || s[len - 1] == '\t' ? 1 : 3;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    char *folded = text_fold(copy);
    free(copy);
    return folded;
}

/* Lists the names of cols as "a, b, c" into b. */
static void column_names(buf *b, const csv_column *cols, size_t n_cols)
{
    for (size_t i = 0; i < n_cols; i++)
        buf_printf(b, "%s%s", i ? ", " : "", cols[i].name);
}

int csv_header_map(const csv_row *header, const char *where, const csv_column *cols, size_t n_cols, int *map,
                   size_t *width, err_list *errors)
{
    int added = 0;
    size_t w = header->n_fields;
    while (w > 0 && header->fields[w - 1].len == 0)
        w--;
    if (width)
        *width = w;
    for (size_t i = 0; i < n_cols; i++)
        map[i] = -1;

    buf names;
    buf_init(&names);
    column_names(&names, cols, n_cols);
    for (size_t k = 0; k < w; k++) {
        const csv_field *f = &header->fields[k];
        char *got = fold_trimmed(f->text);
        size_t found = n_cols;
        for (size_t i = 0; got && got[0] && i < n_cols && found == n_cols; i++) {
            char *name = text_fold(cols[i].name);
            char *label = cols[i].label ? text_fold(cols[i].label) : NULL;
            if ((name && strcmp(got, name) == 0) || (label && strcmp(got, label) == 0))
                found = i;
            free(name);
            free(label);
        }
        if (!got || !got[0]) {
            err_add(errors, where, f->line, f->column, NULL, "column %zu has no name; the columns are %s", k + 1,
                    names.data);
            added++;
        } else if (found == n_cols) {
            err_add(errors, where, f->line, f->column, NULL, "unknown column '%s'; the columns are %s", f->text,
                    names.data);
            added++;
        } else if (map[found] >= 0) {
            const csv_field *first = &header->fields[map[found]];
            err_add(errors, where, f->line, f->column, NULL, "column '%s' appears twice (also at line %d, column %d)",
                    cols[found].name, first->line, first->column);
            added++;
        } else
            map[found] = (int)k;
        free(got);
    }
    for (size_t i = 0; i < n_cols; i++)
        if (cols[i].required && map[i] < 0) {
            if (cols[i].label)
                err_add(errors, where, header->line, 0, NULL, "missing required column '%s' (or '%s')",
                        cols[i].name, cols[i].label);
            else
                err_add(errors, where, header->line, 0, NULL, "missing required column '%s'", cols[i].name);
            added++;
        }
    buf_free(&names);
    return added;
}

const csv_field *csv_column_field(const csv_row *row, const int *map, size_t i)
{
    int k = map[i];
    return k >= 0 && (size_t)k < row->n_fields ? &row->fields[k] : NULL;
}

int csv_check_width(const csv_row *row, size_t n_columns, const char *where, err_list *errors)
{
    int added = 0;
    for (size_t k = n_columns; k < row->n_fields; k++)
        if (row->fields[k].len > 0) {
            err_add(errors, where, row->fields[k].line, row->fields[k].column, NULL,
                    "a value in field %zu, beyond the %zu columns of the header", k + 1, n_columns);
            added++;
        }
    return added;
}

/* ---- writer ---- */

void csv_writer_init(csv_writer *w, buf *out)
{
    w->out = out;
    w->n_fields = 0;
    buf_append(out, "\xEF\xBB\xBF", 3);
}

void csv_write_text(csv_writer *w, const char *s)
{
    if (w->n_fields++)
        buf_putc(w->out, ',');
    if (!s || !*s)
        return;
    size_t len = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == '\t';
    if (quote)
        buf_putc(w->out, '"');
    if (csv_needs_neutralizing(s))
        buf_putc(w->out, '\'');
    if (!quote) {
        buf_append(w->out, s, len);
        return;
    }
    for (const char *p = s; *p;) {
        const char *q = strchr(p, '"');
        if (!q) {
            buf_puts(w->out, p);
            break;
        }
        buf_append(w->out, p, (size_t)(q - p) + 1);
        buf_putc(w->out, '"');
        p = q + 1;
    }
    buf_putc(w->out, '"');
}

void csv_write_int(csv_writer *w, long long v)
{
    if (w->n_fields++)
        buf_putc(w->out, ',');
    char digits[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[sizeof digits - ++n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        digits[sizeof digits - ++n] = '-';
    buf_append(w->out, digits + sizeof digits - n, n);   /* as "%lld" writes it, without printf's cost */
}

void csv_end_row(csv_writer *w)
{
    buf_append(w->out, "\r\n", 2);
    w->n_fields = 0;
}

void csv_write_header(csv_writer *w, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csv_write_text(w, names[i]);
    csv_end_row(w);
}
