/* test_csv.c - the CSV reader and writer as imports and exports rely on them:
 * encodings as Excel saves them (UTF-8 with and without BOM, CP932), RFC 4180
 * quoting, the place of every error, header mapping, formula neutralization and
 * a 100,000-row file read in constant memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "csv.h"

/* "社員" and other texts as Japanese Excel saves them (CP932). */
#define CP932_SHAIN "\x8e\xd0\x88\xf5"          /* 社員 */
#define CP932_BANGOU "\x94\xd4\x8d\x86"         /* 番号 */
#define CP932_HANKAKU_A "\xb1"                  /* ｱ (half-width katakana, one byte) */
#define CP932_CIRCLED_1 "\x87\x40"              /* ① (NEC special character) */
#define CP932_FULLWIDTH_MINUS "\x81\x7c"        /* － as the standard prints its list mark */
#define CP932_WAVE "\x81\x60"                   /* ～ */

/* Opens s (whole string) as a reader named t.csv; fails the test when it does not open. */
static csv_reader *open_text(const char *s, size_t len, csv_encoding enc)
{
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *r = csv_open_memory(s, len, "t.csv", enc, &e);
    if (!r)
        fail_msg("did not open: %s", e.message);
    return r;
}

/* Reads the next row expecting one. */
static void next_row(csv_reader *r, csv_row *row)
{
    err e;
    memset(&e, 0, sizeof e);
    int rc = csv_next(r, row, &e);
    if (rc != CSV_ROW)
        fail_msg("expected a row, got %d: %d:%d: %s", rc, e.line, e.column, e.message);
}

/* Asserts field i of row: its text, line and column. */
static void assert_field(const csv_row *row, size_t i, const char *text, int line, int column)
{
    assert_true(i < row->n_fields);
    assert_string_equal(row->fields[i].text, text);
    assert_int_equal(row->fields[i].len, strlen(text));
    assert_int_equal(row->fields[i].line, line);
    assert_int_equal(row->fields[i].column, column);
}

/* Reads until an error; checks its kind, place and a fragment of its message. */
static void expect_error(csv_reader *r, int kind, int line, int column, const char *fragment)
{
    csv_row row;
    err e;
    int rc;
    memset(&e, 0, sizeof e);
    while ((rc = csv_next(r, &row, &e)) == CSV_ROW)
        ;
    assert_int_equal(rc, kind);
    assert_string_equal(e.where, "t.csv");
    assert_int_equal(e.line, line);
    assert_int_equal(e.column, column);
    if (!strstr(e.message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", e.message, fragment);
}

/* The same rows come out with and without a UTF-8 byte order mark, and the BOM
 * takes no column. */
static void test_bom_and_no_bom(void **state)
{
    (void)state;
    const char *plain = "社員番号,氏名\n1001,山田 太郎\n";
    const char *bom = "\xEF\xBB\xBF社員番号,氏名\n1001,山田 太郎\n";
    const char *texts[2] = { plain, bom };
    for (int k = 0; k < 2; k++) {
        csv_reader *r = open_text(texts[k], strlen(texts[k]), CSV_AUTO);
        csv_row row;
        assert_int_equal(csv_reader_encoding(r), CSV_UTF8);
        assert_int_equal(csv_reader_had_bom(r), k);
        next_row(r, &row);
        assert_int_equal(row.n_fields, 2);
        assert_field(&row, 0, "社員番号", 1, 1);
        assert_field(&row, 1, "氏名", 1, 6);
        next_row(r, &row);
        assert_field(&row, 1, "山田 太郎", 2, 6);
        assert_int_equal(csv_next(r, &row, NULL), CSV_END);
        assert_int_equal(csv_next(r, &row, NULL), CSV_END);
        csv_close(r);
    }
}

/* A file as Japanese Excel saves "CSV (comma delimited)": CP932, CRLF. Detected,
 * converted to UTF-8, columns counted in characters of the original line. */
static void test_cp932_detected(void **state)
{
    (void)state;
    const char *s = CP932_SHAIN CP932_BANGOU ",name\r\n"
                    "\"" CP932_SHAIN "," CP932_HANKAKU_A "\"," CP932_CIRCLED_1 CP932_FULLWIDTH_MINUS CP932_WAVE "\r\n";
    csv_reader *r = open_text(s, strlen(s), CSV_AUTO);
    csv_row row;
    assert_int_equal(csv_reader_encoding(r), CSV_CP932);
    next_row(r, &row);
    assert_field(&row, 0, "社員番号", 1, 1);
    assert_field(&row, 1, "name", 1, 6);
    next_row(r, &row);
    assert_field(&row, 0, "社員,ｱ", 2, 1);
    assert_true(row.fields[0].quoted);
    /* ① － ～ come out as Windows maps them (U+2460, U+FF0D, U+FF5E), so the
     * standard's full-width marks survive a trip through Excel */
    assert_field(&row, 1, "\xE2\x91\xA0\xEF\xBC\x8D\xEF\xBD\x9E", 2, 8);
    assert_int_equal(csv_next(r, &row, NULL), CSV_END);
    csv_close(r);

    /* the same bytes read as CP932 on request */
    r = open_text(s, strlen(s), CSV_CP932);
    next_row(r, &row);
    assert_field(&row, 0, "社員番号", 1, 1);
    csv_close(r);
}

/* Quoted fields keep commas, doubled quotes and line breaks; a field after a
 * quoted line break is placed on its own line. */
static void test_quoted_fields(void **state)
{
    (void)state;
    const char *s = "id,text,after\n"
                    "1,\"一行目,\"\"引用\"\"\n二行目\",次\n"
                    "2,,\"\"\n";
    csv_reader *r = open_text(s, strlen(s), CSV_AUTO);
    csv_row row;
    next_row(r, &row);
    next_row(r, &row);
    assert_int_equal(row.line, 2);
    assert_int_equal(row.end_line, 3);
    assert_field(&row, 1, "一行目,\"引用\"\n二行目", 2, 3);
    assert_field(&row, 2, "次", 3, 6);
    next_row(r, &row);
    assert_int_equal(row.line, 4);
    assert_int_equal(row.n_fields, 3);
    assert_field(&row, 1, "", 4, 3);
    assert_field(&row, 2, "", 4, 4);
    assert_true(row.fields[2].quoted);
    assert_int_equal(csv_next(r, &row, NULL), CSV_END);
    csv_close(r);
}

/* CRLF ends rows and never leaks into fields; a CRLF inside quotes becomes one
 * line feed; a last row without a line end is still a row; an empty line is a
 * blank row. */
static void test_crlf(void **state)
{
    (void)state;
    const char *s = "a,b\r\n\"x\r\ny\",z\r\n\r\n,\r\nlast,row";
    csv_reader *r = open_text(s, strlen(s), CSV_UTF8);
    csv_row row;
    next_row(r, &row);
    assert_field(&row, 1, "b", 1, 3);
    next_row(r, &row);
    assert_field(&row, 0, "x\ny", 2, 1);
    assert_field(&row, 1, "z", 3, 4);
    next_row(r, &row);
    assert_int_equal(row.line, 4);
    assert_true(csv_row_is_blank(&row));
    next_row(r, &row);
    assert_int_equal(row.n_fields, 2);
    assert_true(csv_row_is_blank(&row));
    next_row(r, &row);
    assert_false(csv_row_is_blank(&row));
    assert_field(&row, 1, "row", 6, 6);
    assert_int_equal(csv_next(r, &row, NULL), CSV_END);
    csv_close(r);
}

/* A quote never closed is reported where it opened, however far the file runs on. */
static void test_truncated_quote(void **state)
{
    (void)state;
    const char *s = "a,b\nc,\"open\nmore,text\nand more\n";
    csv_reader *r = open_text(s, strlen(s), CSV_AUTO);
    expect_error(r, CSV_FATAL, 2, 3, "never closed");
    csv_row row;
    assert_int_equal(csv_next(r, &row, NULL), CSV_END);
    csv_close(r);
}

/* A stray quote in an unquoted field and text after a closing quote spoil only
 * their row: the error names the quote's place and reading goes on. */
static void test_stray_quote(void **state)
{
    (void)state;
    const char *s = "ab\"c,d\nx,\"y\"z,w\n社員,ok\n";
    csv_reader *r = open_text(s, strlen(s), CSV_AUTO);
    csv_row row;
    err e;
    assert_int_equal(csv_next(r, &row, &e), CSV_BAD_ROW);
    assert_int_equal(e.line, 1);
    assert_int_equal(e.column, 3);
    assert_non_null(strstr(e.message, "quote inside a field"));
    assert_int_equal(csv_next(r, &row, &e), CSV_BAD_ROW);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 6);
    assert_non_null(strstr(e.message, "after the closing quote"));
    next_row(r, &row);
    assert_field(&row, 1, "ok", 3, 4);
    csv_close(r);
}

/* Bytes that are not valid in the file's encoding: reported at their line and
 * column, with what to do. */
static void test_invalid_encoding(void **state)
{
    (void)state;
    /* CP932 bytes in a file declared UTF-8 */
    const char *cp = "id,name\n1," CP932_SHAIN "\n";
    csv_reader *r = open_text(cp, strlen(cp), CSV_UTF8);
    expect_error(r, CSV_FATAL, 2, 3, "not valid UTF-8");
    csv_close(r);

    /* a UTF-8 BOM declares UTF-8: a later CP932 byte is an error, not a reason to switch */
    const char *bom = "\xEF\xBB\xBFid,name\n1,社員\n2," CP932_SHAIN "\n";
    r = open_text(bom, strlen(bom), CSV_AUTO);
    expect_error(r, CSV_FATAL, 3, 3, "byte order mark declares");
    csv_close(r);

    /* neither UTF-8 nor CP932: the message names both places */
    const char *neither = "id,name\n1," CP932_SHAIN "\n2,ab\xFF\n";
    r = open_text(neither, strlen(neither), CSV_AUTO);
    assert_int_equal(csv_reader_encoding(r), CSV_CP932);
    expect_error(r, CSV_FATAL, 3, 5, "not UTF-8 either (its first non-UTF-8 byte is at line 2, column 3)");
    csv_close(r);

    /* a lead byte whose second byte is missing at the end of the file */
    const char *cut = "a,b\n\x8e";
    r = open_text(cut, strlen(cut), CSV_CP932);
    expect_error(r, CSV_FATAL, 2, 1, "ends in the middle");
    csv_close(r);
    const char *cut8 = "a,b\nc,\xE7\xA4";
    r = open_text(cut8, strlen(cut8), CSV_UTF8);
    expect_error(r, CSV_FATAL, 2, 3, "ends in the middle");
    csv_close(r);

    /* UTF-16 (Excel's "Unicode text") and a BOM contradicting --encoding cp932 do not open */
    err e;
    assert_null(csv_open_memory("\xFF\xFEi\0d\0", 6, "t.csv", CSV_AUTO, &e));
    assert_non_null(strstr(e.message, "UTF-16"));
    assert_null(csv_open_memory("\xEF\xBB\xBFid\n", 6, "t.csv", CSV_CP932, &e));
    assert_non_null(strstr(e.message, "not the CP932 asked for"));
    /* a NUL byte */
    r = open_text("ab\0c\n", 5, CSV_UTF8);
    expect_error(r, CSV_FATAL, 1, 3, "NUL");
    csv_close(r);
}

/* A character cut by the 64 KiB chunk boundary comes out whole, in both
 * encodings, and counts as one column. */
static void test_chunk_boundaries(void **state)
{
    (void)state;
    for (int enc = 0; enc < 2; enc++) {
        const char *ch = enc ? CP932_SHAIN : "社員";
        size_t chlen = strlen(ch);
        for (size_t shift = 0; shift < 4; shift++) {
            size_t pad = 65536 - 1 - shift;   /* the row starts "x...x" then 社員 across the boundary */
            size_t len = pad + chlen + 8;
            char *s = malloc(len + 1);
            memset(s, 'x', pad);
            memcpy(s + pad, ch, chlen);
            memcpy(s + pad + chlen, ",\"q\r\n\"\r\n", 8);
            s[len] = '\0';
            csv_reader *r = open_text(s, len, enc ? CSV_CP932 : CSV_UTF8);
            csv_row row;
            next_row(r, &row);
            assert_int_equal(row.n_fields, 2);
            assert_int_equal(row.fields[0].len, pad + strlen("社員"));
            assert_memory_equal(row.fields[0].text + pad, "社員", strlen("社員"));
            assert_field(&row, 1, "q\n", 1, (int)pad + 4);
            assert_int_equal(csv_next(r, &row, NULL), CSV_END);
            csv_close(r);
            free(s);
        }
    }
}

static const csv_column people_columns[] = {
    { "employee_number", "社員番号", 1 },
    { "name", "氏名", 1 },
    { "email", NULL, 1 },
    { "kana", "カナ", 0 },
};
#define N_PEOPLE_COLUMNS (sizeof people_columns / sizeof people_columns[0])

/* Maps a header line; returns the errors. */
static void map_header(const char *header, int *map, size_t *width, err_list *errors)
{
    csv_reader *r = open_text(header, strlen(header), CSV_AUTO);
    csv_row row;
    next_row(r, &row);
    memset(errors, 0, sizeof *errors);
    csv_header_map(&row, "t.csv", people_columns, N_PEOPLE_COLUMNS, map, width, errors);
    csv_close(r);
}

/* Columns are found by name or Japanese label in any order and spelling
 * (full-width, upper case, spaces around); unknown, repeated, unnamed and
 * missing columns are each named with their place. */
static void test_column_mapping(void **state)
{
    (void)state;
    int map[N_PEOPLE_COLUMNS];
    size_t width;
    err_list *errors = malloc(sizeof *errors);

    map_header("Email, 氏名 ,ＥＭＰＬＯＹＥＥ_ＮＵＭＢＥＲ,,\n", map, &width, errors);
    assert_int_equal(errors->count, 0);
    assert_int_equal(width, 3);
    assert_int_equal(map[0], 2);
    assert_int_equal(map[1], 1);
    assert_int_equal(map[2], 0);
    assert_int_equal(map[3], -1);

    map_header("社員番号,name,nickname,名前,name,,kana\n", map, &width, errors);
    assert_int_equal(errors->count, 5);
    assert_int_equal(errors->items[0].line, 1);
    assert_int_equal(errors->items[0].column, 11);
    assert_non_null(strstr(errors->items[0].message, "unknown column 'nickname'"));
    assert_non_null(strstr(errors->items[0].message, "employee_number, name, email, kana"));
    assert_int_equal(errors->items[1].column, 20);
    assert_non_null(strstr(errors->items[1].message, "unknown column '名前'"));
    assert_int_equal(errors->items[2].column, 23);
    assert_non_null(strstr(errors->items[2].message, "'name' appears twice (also at line 1, column 6)"));
    assert_int_equal(errors->items[3].column, 28);
    assert_non_null(strstr(errors->items[3].message, "column 6 has no name"));
    assert_int_equal(errors->items[4].line, 1);
    assert_non_null(strstr(errors->items[4].message, "missing required column 'email'"));

    /* a value under no column */
    const char *s = "a,b\n1,2,,x\n";
    csv_reader *r = open_text(s, strlen(s), CSV_AUTO);
    csv_row row;
    next_row(r, &row);
    next_row(r, &row);
    memset(errors, 0, sizeof *errors);
    assert_int_equal(csv_check_width(&row, 2, "t.csv", errors), 1);
    assert_int_equal(errors->items[0].column, 6);
    csv_close(r);
    free(errors);
}

/* Exports: BOM, CRLF, quoting, and an apostrophe before anything a spreadsheet
 * would run as a formula; reading the file back gives the original texts. */
static void test_writer_and_formulas(void **state)
{
    (void)state;
    const char *texts[] = { "=HYPERLINK(\"http://x\")", "+81", "-1", "@SUM(A1)", "\tTab", "'=already",
                            "plain", "社員, \"引用\"", "a\nb", " space", "it's", "" };
    size_t n = sizeof texts / sizeof texts[0];
    buf out;
    csv_writer w;
    buf_init(&out);
    csv_writer_init(&w, &out);
    for (size_t i = 0; i < n; i++)
        csv_write_text(&w, texts[i]);
    csv_write_int(&w, -3);
    csv_end_row(&w);
    assert_string_equal(out.data,
                        "\xEF\xBB\xBF"
                        "\"'=HYPERLINK(\"\"http://x\"\")\",'+81,'-1,'@SUM(A1),'\tTab,''=already,plain,"
                        "\"社員, \"\"引用\"\"\",\"a\nb\",\" space\",it's,,-3\r\n");
    assert_true(csv_needs_neutralizing("=1"));
    assert_true(csv_needs_neutralizing("''-1"));
    assert_false(csv_needs_neutralizing("it's"));
    assert_false(csv_needs_neutralizing("ー長音"));   /* the long vowel mark is not a minus */

    csv_reader *r = open_text(out.data, out.len, CSV_AUTO);
    csv_row row;
    next_row(r, &row);
    assert_int_equal(row.n_fields, n + 1);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(csv_text(&row.fields[i]), texts[i]);
    csv_close(r);
    buf_free(&out);
}

/* Peak memory of this process in KiB. */
static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 100,000 rows in CP932 with quoted line breaks every 100th row: every row comes
 * out in order with its right line, and reading costs far less memory than the
 * file's size. */
static void test_large_stream(void **state)
{
    (void)state;
    char path[] = "/tmp/itss-test-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    fputs(CP932_SHAIN CP932_BANGOU ",name,note\r\n", f);
    for (int i = 1; i <= 100000; i++) {
        if (i % 100 == 0)
            fprintf(f, "E%06d," CP932_SHAIN "%d,\"line one\r\nline two, with comma\"\r\n", i, i);
        else
            fprintf(f, "E%06d," CP932_SHAIN "%d,%0100d\r\n", i, i, i);
    }
    fclose(f);

    long before = peak_kib();
    err e;
    csv_reader *r = csv_open_file(path, "big.csv", CSV_AUTO, &e);
    assert_non_null(r);
    assert_true(csv_reader_size(r) > 10u * 1000u * 1000u);
    assert_int_equal(csv_reader_encoding(r), CSV_CP932);
    csv_row row;
    next_row(r, &row);
    int line = 2;
    char expect[32], name[32];
    for (int i = 1; i <= 100000; i++) {
        next_row(r, &row);
        snprintf(expect, sizeof expect, "E%06d", i);
        snprintf(name, sizeof name, "社員%d", i);
        if (row.line != line || strcmp(row.fields[0].text, expect) != 0 || strcmp(row.fields[1].text, name) != 0)
            fail_msg("row %d: line %d (expected %d), %s %s", i, row.line, line, row.fields[0].text,
                     row.fields[1].text);
        if (i % 100 == 0)
            assert_string_equal(row.fields[2].text, "line one\nline two, with comma");
        else
            assert_int_equal(row.fields[2].len, 100);
        line = row.end_line + 1;
    }
    assert_int_equal(line, 100000 + 2 + 1000);
    assert_int_equal(csv_next(r, &row, NULL), CSV_END);
    assert_int_equal(csv_reader_offset(r), csv_reader_size(r));
    csv_close(r);
    long grown = peak_kib() - before;
    unlink(path);
    if (grown > 4096)
        fail_msg("reading a %s file grew the peak memory by %ld KiB", "10 MB", grown);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_and_no_bom),
        cmocka_unit_test(test_cp932_detected),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_truncated_quote),
        cmocka_unit_test(test_stray_quote),
        cmocka_unit_test(test_invalid_encoding),
        cmocka_unit_test(test_chunk_boundaries),
        cmocka_unit_test(test_column_mapping),
        cmocka_unit_test(test_writer_and_formulas),
        cmocka_unit_test(test_large_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
