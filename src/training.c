/* training.c - the training catalog and LMS completions through CSV (training.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "training.h"

static const csv_column course_columns[] = {
    { "code", "コースコード", 1 },
    { "title", "コース名", 1 },
    { "provider", "提供元", 0 },
    { "hours", "時間", 1 },
    { "covers", "対象", 0 },
};
enum { C_CODE, C_TITLE, C_PROVIDER, C_HOURS, C_COVERS, C_N };

static const csv_column result_columns[] = {
    { "employee_number", "社員番号", 1 },
    { "course_code", "コースコード", 1 },
    { "completed_on", "修了日", 1 },
    { "grade", "成績", 0 },
};
enum { R_EMPNO, R_COURSE, R_DATE, R_GRADE, R_N };

char *training_hours_text(int tenths, char out[16])
{
    if (tenths % 10)
        snprintf(out, 16, "%d.%d", tenths / 10, tenths % 10);
    else
        snprintf(out, 16, "%d", tenths / 10);
    return out;
}

/* Hours as "3", "3.5" (one decimal at most) into tenths; -1 when not one. */
static int parse_hours(const char *s)
{
    int whole = 0, tenth = 0, digits = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && digits < 5) {
        whole = whole * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits)
        return -1;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        tenth = *p++ - '0';
    }
    return *p ? -1 : whole * 10 + tenth;
}

/* The text of field f with surrounding spaces trimmed, as a heap copy. */
static char *field_text(const csv_field *f)
{
    if (!f)
        return strdup("");
    const char *s = csv_text(f);
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    return strndup(s, n);
}

/* Reads the header; 0, or -1 with errors. */
static int read_header(csv_reader *r, const csv_column *cols, size_t n, int *map, size_t *width, err_list *errors)
{
    csv_row row;
    err e;
    int st;
    while ((st = csv_next(r, &row, &e)) == CSV_ROW && csv_row_is_blank(&row))
        ;
    if (st != CSV_ROW) {
        if (st == CSV_END)
            err_add(errors, csv_reader_where(r), 1, 1, "", "the file is empty; it needs a header row");
        else
            err_add(errors, e.where, e.line, e.column, e.path, "%s", e.message);
        return -1;
    }
    return csv_header_map(&row, csv_reader_where(r), cols, n, map, width, errors) > 0 ? -1 : 0;
}

/* Adds a store refusal at the place of field f. */
static void store_refusal(err_list *errors, const char *where, const csv_field *f, int line, const char *column,
                          const err *e)
{
    err_add(errors, where, f ? f->line : line, f ? f->column : 1, "", "%s: %s", column, e->message);
}

/* The covers cell (ids of skill areas and knowledge categories of the
 * catalog, separated by spaces, ';' or ','; cut in place) into course->covers.
 * 0, or -1 after adding an error at line for each id that is neither. */
static int read_covers(const catalog *c, char *covers, store_course *course, const char *where, int line,
                       const csv_field *fv, err_list *errors)
{
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(covers, " ;,", &save); tok; tok = strtok_r(NULL, " ;,", &save)) {
        catalog_element el;
        if (!catalog_find(c, tok, &el) || (el.kind != CK_AREA && el.kind != CK_KNOWLEDGE_CATEGORY)) {
            err_add(errors, where, line, fv ? fv->column : 1, "",
                    "covers: '%s' is neither a skill area (such as CS.UEA) nor a knowledge category "
                    "(such as CS.HW.UEA.K01) of the catalog", tok);
            rc = -1;
            continue;
        }
        course->covers = realloc(course->covers, (course->n_covers + 1) * sizeof *course->covers);
        if (!course->covers)
            abort();
        course->covers[course->n_covers++] = strdup(tok);
    }
    return rc;
}

/* Adds or replaces course (read from line), counting it in sum; a refusal of
 * the store is added to errors at the code's cell. */
static void put_course(store *db, const store_course *course, const char *where, const csv_field *fc, int line,
                       training_summary *sum, err_list *errors)
{
    err e;
    memset(&e, 0, sizeof e);
    store_course old;
    int exists = store_course_find(db, course->code, &old, &e);
    if (exists == 1)
        store_course_clear(&old);
    if (exists < 0 || store_course_put(db, course, NULL, &e) < 0)
        store_refusal(errors, where, fc, line, e.path[0] ? e.path : "code", &e);
    else if (exists == 1)
        sum->updated++;
    else
        sum->added++;
}

int training_import_courses(store *db, const catalog *c, csv_reader *r, int dry_run, training_summary *sum,
                            err_list *errors)
{
    int map[C_N];
    size_t width = 0;
    const char *where = csv_reader_where(r);
    size_t before = errors->count + errors->dropped;
    memset(sum, 0, sizeof *sum);
    if (read_header(r, course_columns, C_N, map, &width, errors) < 0)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    if (store_begin(db, &e) < 0) {
        err_add(errors, where, 0, 0, "", "%s", e.message);
        return -1;
    }
    char **seen = NULL;
    int *seen_line = NULL;
    size_t n_seen = 0, cap = 0;
    csv_row row;
    int st;
    while ((st = csv_next(r, &row, &e)) != CSV_END) {
        if (st != CSV_ROW) {
            err_add(errors, e.where, e.line, e.column, e.path, "%s", e.message);
            if (st == CSV_FATAL)
                break;
            continue;
        }
        if (csv_row_is_blank(&row))
            continue;
        sum->rows++;
        csv_check_width(&row, width, where, errors);
        const csv_field *fc = csv_column_field(&row, map, C_CODE), *ft = csv_column_field(&row, map, C_TITLE),
                        *fp = csv_column_field(&row, map, C_PROVIDER), *fh = csv_column_field(&row, map, C_HOURS),
                        *fv = csv_column_field(&row, map, C_COVERS);
        char *code = field_text(fc), *title = field_text(ft), *provider = field_text(fp), *hours = field_text(fh),
             *covers = field_text(fv);
        store_course course;
        memset(&course, 0, sizeof course);
        int ok = 1;
        if (!code[0]) {
            err_add(errors, where, row.line, fc ? fc->column : 1, "", "code: the course code is empty");
            ok = 0;
        }
        for (size_t i = 0; ok && i < n_seen; i++)
            if (strcmp(seen[i], code) == 0) {
                err_add(errors, where, row.line, fc->column, "", "code: course %s is given twice (also on line %d)",
                        code, seen_line[i]);
                ok = 0;
            }
        int tenths = parse_hours(hours);
        if (tenths < 0) {
            err_add(errors, where, row.line, fh ? fh->column : 1, "",
                    "hours: '%s' is not a number of hours (such as 3 or 3.5)", hours);
            ok = 0;
        }
        if (read_covers(c, covers, &course, where, row.line, fv, errors) < 0)
            ok = 0;
        if (ok && errors->count + errors->dropped == before) {
            course.code = code;
            course.title = title;
            course.provider = provider;
            course.hours_tenths = tenths;
            put_course(db, &course, where, fc, row.line, sum, errors);
            course.code = course.title = course.provider = NULL;
        }
        if (code[0]) {
            if (n_seen == cap) {
                cap = cap ? 2 * cap : 64;
                seen = realloc(seen, cap * sizeof *seen);
                seen_line = realloc(seen_line, cap * sizeof *seen_line);
                if (!seen || !seen_line)
                    abort();
            }
            seen[n_seen] = strdup(code);
            seen_line[n_seen++] = row.line;
        }
        store_course_clear(&course);
        free(code);
        free(title);
        free(provider);
        free(hours);
        free(covers);
    }
    for (size_t i = 0; i < n_seen; i++)
        free(seen[i]);
    free(seen);
    free(seen_line);
    int failed = errors->count + errors->dropped > before;
    if (failed || dry_run)
        store_rollback(db, NULL);
    else if (store_commit(db, &e) < 0) {
        err_add(errors, where, 0, 0, "", "%s", e.message);
        failed = 1;
    }
    return failed ? -1 : 0;
}

int training_import_results(store *db, csv_reader *r, const char *source, int dry_run, training_summary *sum,
                            err_list *errors)
{
    int map[R_N];
    size_t width = 0;
    const char *where = csv_reader_where(r);
    size_t before = errors->count + errors->dropped;
    memset(sum, 0, sizeof *sum);
    if (read_header(r, result_columns, R_N, map, &width, errors) < 0)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    if (store_begin(db, &e) < 0) {
        err_add(errors, where, 0, 0, "", "%s", e.message);
        return -1;
    }
    csv_row row;
    int st;
    while ((st = csv_next(r, &row, &e)) != CSV_END) {
        if (st != CSV_ROW) {
            err_add(errors, e.where, e.line, e.column, e.path, "%s", e.message);
            if (st == CSV_FATAL)
                break;
            continue;
        }
        if (csv_row_is_blank(&row))
            continue;
        sum->rows++;
        csv_check_width(&row, width, where, errors);
        const csv_field *fe = csv_column_field(&row, map, R_EMPNO), *fc = csv_column_field(&row, map, R_COURSE),
                        *fd = csv_column_field(&row, map, R_DATE), *fg = csv_column_field(&row, map, R_GRADE);
        char *empno = field_text(fe), *code = field_text(fc), *date = field_text(fd), *grade = field_text(fg);
        store_person p;
        store_course c;
        int have_p = 0, have_c = 0;
        if ((have_p = store_person_find(db, empno, &p, &e)) != 1)
            err_add(errors, where, row.line, fe ? fe->column : 1, "", "employee_number: no person with employee "
                    "number '%s'", empno);
        if ((have_c = store_course_find(db, code, &c, &e)) != 1)
            err_add(errors, where, row.line, fc ? fc->column : 1, "", "course_code: no course '%s' in the training "
                    "catalog (itss training list)", code);
        if (have_p == 1 && have_c == 1 && errors->count + errors->dropped == before) {
            int attached = -1;
            if (store_training_result_add(db, p.id, c.id, date, grade, source, &attached, &e) < 0)
                store_refusal(errors, where, strcmp(e.path, "date") == 0 ? fd : strcmp(e.path, "grade") == 0 ? fg : fe,
                              row.line, strcmp(e.path, "date") == 0 ? "completed_on" : e.path, &e);
            else
                sum->attached += (size_t)attached;
        } else if (have_p == 1 && have_c == 1) {
            /* still check the date's shape so that every error is reported */
            int y, m, d;
            char tail;
            if (sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
                err_add(errors, where, row.line, fd ? fd->column : 1, "", "completed_on: '%s' is not a date "
                        "(YYYY-MM-DD)", date);
        }
        if (have_p == 1)
            store_person_clear(&p);
        if (have_c == 1)
            store_course_clear(&c);
        free(empno);
        free(code);
        free(date);
        free(grade);
    }
    int failed = errors->count + errors->dropped > before;
    if (failed || dry_run)
        store_rollback(db, NULL);
    else if (store_commit(db, &e) < 0) {
        err_add(errors, where, 0, 0, "", "%s", e.message);
        failed = 1;
    }
    return failed ? -1 : 0;
}

void training_export_courses(buf *out, const store_course_list *l)
{
    csv_writer w;
    static const char *const header[] = { "code", "title", "provider", "hours", "covers" };
    csv_writer_init(&w, out);
    csv_write_header(&w, header, 5);
    for (size_t i = 0; i < l->count; i++) {
        const store_course *c = &l->items[i];
        char h[16];
        buf covers;
        buf_init(&covers);
        for (size_t k = 0; k < c->n_covers; k++)
            buf_printf(&covers, "%s%s", k ? " " : "", c->covers[k]);
        csv_write_text(&w, c->code);
        csv_write_text(&w, c->title);
        csv_write_text(&w, c->provider);
        csv_write_text(&w, training_hours_text(c->hours_tenths, h));
        csv_write_text(&w, covers.data ? covers.data : "");
        csv_end_row(&w);
        buf_free(&covers);
    }
}
