/* fuzz_csv.c - the CSV reader (src/csv.h) and the CSV import that reads people
 * and answers from it (src/import.h), on any bytes.
 *
 * The input is read as each encoding a user may name (auto, UTF-8, CP932): every
 * row comes with a place, every bad row or fatal stop with a message naming
 * file:line:column. The first row is mapped as a header of the people import's
 * columns. Rows read as UTF-8 are written back with the writer and read again:
 * the same fields must come back (formula neutralization undone by csv_text).
 * Last, the input is imported as people and as assessment answers, dry run,
 * into a demo database made once: imported, or refused with every error placed,
 * and the database left as it was. */
#include "fuzz.h"
#include "buf.h"
#include "catalog.h"
#include "csv.h"
#include "import.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

#define NAME "fuzz.csv"
#define MAX_ROWS 100000

static err_list *errors;
static catalog *builtin_catalog;
static store *db;

/* Loads the built-in catalog and opens a demo database once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    errors = calloc(1, sizeof *errors);
    builtin_catalog = errors ? catalog_load_builtin(errors) : NULL;
    if (!builtin_catalog)
        fuzz_fail("the built-in catalog does not load");
    err e;
    memset(&e, 0, sizeof e);
    db = store_open(fuzz_demo_db(), 0, &e);
    if (!db)
        fuzz_fail("cannot open the demo database: %s", e.message);
    return 0;
}

/* The people import's first columns, to map a header against. */
static const csv_column columns[] = {
    { "employee_number", "社員番号", 1 },
    { "name", "氏名", 1 },
    { "kana", "フリガナ", 0 },
    { "email", NULL, 0 },
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

/* Checks that a row's fields are NUL-terminated text without NUL, placed at or
 * after the row's line. */
static void check_row(const csv_row *row)
{
    if (row->n_fields < 1)
        fuzz_fail("a row of line %d has no field", row->line);
    if (row->line < 1 || row->end_line < row->line)
        fuzz_fail("a row at lines %d..%d", row->line, row->end_line);
    for (size_t i = 0; i < row->n_fields; i++) {
        const csv_field *f = &row->fields[i];
        if (strlen(f->text) != f->len)
            fuzz_fail("field %zu of line %d: %zu bytes said, %zu before a NUL", i, row->line, f->len, strlen(f->text));
        if (f->line < row->line || f->line > row->end_line || f->column < 1)
            fuzz_fail("field %zu of the row at line %d is placed at %d:%d", i, row->line, f->line, f->column);
        (void)csv_text(f);
    }
}

/* Writes row with the writer, reads it back as UTF-8, and compares. */
static void round_trip(const csv_row *row)
{
    buf out;
    buf_init(&out);
    csv_writer w;
    csv_writer_init(&w, &out);
    for (size_t i = 0; i < row->n_fields; i++)
        csv_write_text(&w, row->fields[i].text);
    csv_end_row(&w);
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *r = csv_open_memory(out.data, out.len, "written.csv", CSV_UTF8, &e);
    if (!r)
        fuzz_fail("the writer's output cannot be opened: %s", e.message);
    csv_row back;
    int rc = csv_next(r, &back, &e);
    if (rc != CSV_ROW)
        fuzz_fail("the writer's output of line %d is not read back (%d: %s):\n%s", row->line, rc, e.message, out.data);
    if (back.n_fields != row->n_fields)
        fuzz_fail("line %d: %zu fields written, %zu read back:\n%s", row->line, row->n_fields, back.n_fields,
                  out.data);
    for (size_t i = 0; i < row->n_fields; i++)
        if (strcmp(csv_text(&back.fields[i]), row->fields[i].text) != 0)
            fuzz_fail("line %d field %zu: \"%s\" written, \"%s\" read back", row->line, i, row->fields[i].text,
                      csv_text(&back.fields[i]));
    if (csv_next(r, &back, &e) != CSV_END)
        fuzz_fail("the writer's one row of line %d reads back as more", row->line);
    csv_close(r);
    buf_free(&out);
}

/* Reads all of data as enc. */
static void read_all(const uint8_t *data, size_t size, csv_encoding enc)
{
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *r = csv_open_memory((const char *)data, size, NAME, enc, &e);
    if (!r) {
        fuzz_check_err("csv_open_memory", &e, NAME);
        return;
    }
    if (csv_reader_encoding(r) != CSV_UTF8 && csv_reader_encoding(r) != CSV_CP932)
        fuzz_fail("the reader's encoding is still %s", csv_encoding_name(csv_reader_encoding(r)));
    (void)csv_reader_where(r);
    csv_row row;
    int rc, first = 1;
    for (long n = 0; n < MAX_ROWS && (rc = csv_next(r, &row, &e)) != CSV_END; n++) {
        if (rc == CSV_BAD_ROW || rc == CSV_FATAL) {
            fuzz_check_err("csv_next", &e, NAME);
            if (e.line < 1 || e.column < 1)
                fuzz_fail("csv_next: a bad row at %d:%d: %s", e.line, e.column, e.message);
            continue;
        }
        if (rc != CSV_ROW)
            fuzz_fail("csv_next returned %d", rc);
        check_row(&row);
        (void)csv_row_is_blank(&row);
        if (csv_reader_offset(r) > size + 3)
            fuzz_fail("read %llu bytes of %zu", (unsigned long long)csv_reader_offset(r), size);
        int map[N_COLUMNS];
        size_t width = 0;
        if (first) {
            memset(errors, 0, sizeof *errors);
            int n_errors = csv_header_map(&row, NAME, columns, N_COLUMNS, map, &width, errors);
            fuzz_check_refusal("csv_header_map", n_errors != 0, errors, NAME);
            for (size_t i = 0; i < N_COLUMNS; i++)
                (void)csv_column_field(&row, map, i);
            first = 0;
        } else {
            memset(errors, 0, sizeof *errors);
            int n_errors = csv_check_width(&row, row.n_fields > 1 ? row.n_fields - 1 : 1, NAME, errors);
            fuzz_check_refusal("csv_check_width", n_errors != 0, errors, NAME);
        }
        if (csv_reader_encoding(r) == CSV_UTF8)
            round_trip(&row);
    }
    csv_close(r);
}

/* Imports data as kind, dry run. */
static void import_dry_run(const uint8_t *data, size_t size, import_kind kind)
{
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *r = csv_open_memory((const char *)data, size, NAME, CSV_AUTO, &e);
    if (!r)
        return;
    import_options opts = {
        .kind = kind, .catalog = builtin_catalog, .file = NAME, .actor = "fuzz", .dry_run = 1,
    };
    import_summary summary;
    memset(&summary, 0, sizeof summary);
    memset(errors, 0, sizeof *errors);
    int rc = import_run(db, r, &opts, errors, &summary, &e);
    if (rc < 0)
        fuzz_fail("import_run could not start: %s", e.message);
    fuzz_check_refusal("import_run", rc == 1, errors, NULL);
    if (summary.committed)
        fuzz_fail("a dry run committed");
    if (store_depth(db) != 0)
        fuzz_fail("import_run left a transaction open");
    csv_close(r);
}

/* One input: read in each encoding, then imported both ways, dry run. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_all(data, size, CSV_AUTO);
    read_all(data, size, CSV_UTF8);
    read_all(data, size, CSV_CP932);
    import_dry_run(data, size, IMPORT_PEOPLE);
    import_dry_run(data, size, IMPORT_ASSESSMENTS);
    return 0;
}
