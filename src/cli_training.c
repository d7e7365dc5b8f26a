/* cli_training.c - `itss training` (HR's training catalog) and `itss
 * qualification` (a person's IPA examinations and vendor certifications). The
 * CSV work is training.c's, which the web shares; this file parses arguments,
 * opens the database and prints. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"
#include "ipa.h"
#include "store_plan.h"
#include "training.h"

const char cli_training_help[] =
    "usage: itss training import FILE [--dry-run] [--encoding auto|utf-8|cp932]\n"
    "       itss training export\n"
    "       itss training list\n"
    "       [--db PATH] [--catalog FILE] [--json]\n"
    "\n"
    "HR's training catalog (研修カタログ): the courses a development plan can name.\n"
    "\n"
    "  import FILE   adds the courses of a CSV file, replacing those whose code\n"
    "                exists: code,title,provider,hours,covers (docs/plans.md).\n"
    "                covers lists, separated by spaces, the skill areas (CS.UEA)\n"
    "                and knowledge categories (CS.HW.UEA.K01) the course covers.\n"
    "                One transaction: with any error nothing is written; errors\n"
    "                are printed as FILE:LINE:COLUMN: reason.\n"
    "  export        the catalog as CSV in the same layout (UTF-8 with BOM, CRLF)\n"
    "  list          the courses with what they cover\n"
    "\n"
    "exit status: 0 done, 3 errors in the file (nothing written), 2 bad usage.\n";

static const char training_usage[] =
    "usage: itss training import FILE [--dry-run] [--encoding ENC] | export | list  [--db PATH] [--json]\n";

const char cli_qualification_help[] =
    "usage: itss qualification add EMPNO --exam CODE --date YYYY-MM-DD [--expires YYYY-MM-DD]\n"
    "       itss qualification add EMPNO --vendor CODE --name NAME --date YYYY-MM-DD [--expires YYYY-MM-DD]\n"
    "       itss qualification list EMPNO\n"
    "       itss qualification exams\n"
    "       [--db PATH] [--json]\n"
    "\n"
    "A person's qualifications (資格): IPA examinations (情報処理技術者試験, by code:\n"
    "IP, FE, AP, ST, ... or name) and vendor certifications, with the date obtained\n"
    "and an expiry, which may not come before it. The ITSS level each IPA\n"
    "examination corresponds to is data (catalog/ipa-exams.json, its source named;\n"
    "itss qualification exams lists it); it is shown as supporting evidence beside\n"
    "a person's levels, never counted instead of the achievement indicators.\n"
    "\n"
    "exit status: 0 done, 3 refused (unknown person or examination, bad dates),\n"
    "2 bad usage.\n";

static const char qualification_usage[] =
    "usage: itss qualification add EMPNO (--exam CODE | --vendor CODE --name NAME) --date D [--expires D]\n"
    "       itss qualification list EMPNO | exams   [--db PATH] [--json]\n";

/* Prints the summary of an import, or its errors. */
static int report(const cli_args *a, const char *file, int rc, const training_summary *sum, const err_list *errors,
                  int dry_run, const char *what)
{
    if (rc < 0) {
        cli_print_errors(errors);
        fprintf(stderr, "%s: %s: nothing written\n", a->prog, file);
        return CLI_REFUSED;
    }
    if (a->json)
        return cli_print_json(json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I}", "file", file, "dry_run", dry_run,
                                        "rows", (json_int_t)sum->rows, "added", (json_int_t)sum->added,
                                        "updated", (json_int_t)sum->updated, "attached",
                                        (json_int_t)sum->attached, "duplicates", (json_int_t)sum->duplicates));
    buf b;
    buf_init(&b);
    if (strcmp(what, "courses") == 0)
        buf_printf(&b, "%s: %zu course%s, %zu added, %zu replaced%s\n", file, sum->rows, sum->rows == 1 ? "" : "s",
                   sum->added, sum->updated, dry_run ? " (dry run: nothing written)" : "");
    else
        buf_printf(&b, "%s: %zu completion%s, %zu plan action%s marked done%s\n", file, sum->rows,
                   sum->rows == 1 ? "" : "s", sum->attached, sum->attached == 1 ? "" : "s",
                   dry_run ? " (dry run: nothing written)" : "");
    int st = cli_write(&b, stdout);
    buf_free(&b);
    return st;
}

/* Opens FILE as CSV in encoding (NULL: auto); NULL after a message. */
static csv_reader *open_csv(const char *prog, const char *file, const char *encoding)
{
    int enc = encoding ? csv_encoding_parse(encoding) : CSV_AUTO;
    if (enc < 0) {
        cli_error(prog, "--encoding: unknown encoding '%s'; use auto, utf-8 or cp932", encoding);
        return NULL;
    }
    err e;
    memset(&e, 0, sizeof e);
    csv_reader *r = csv_open_file(file, file, (csv_encoding)enc, &e);
    if (!r) {
        err_print(stderr, &e);
        return NULL;
    }
    return r;
}

/* itss import training-results FILE: LMS completions attached to plan actions. */
int cli_import_training_results(const cli_args *a, const char *db_path, const char *encoding, int dry_run)
{
    const char *file = a->pos[1];
    store *db = cli_store_open(a->prog, db_path, 0);
    if (!db)
        return CLI_REFUSED;
    csv_reader *r = open_csv(a->prog, file, encoding);
    if (!r) {
        store_close(db);
        return CLI_REFUSED;
    }
    err_list *errors = calloc(1, sizeof *errors);
    training_summary sum;
    const char *base = strrchr(file, '/');
    char source[300];
    snprintf(source, sizeof source, "import:%s", base ? base + 1 : file);
    int rc = training_import_results(db, r, source, dry_run, &sum, errors);
    int st = report(a, file, rc, &sum, errors, dry_run, "results");
    free(errors);
    csv_close(r);
    store_close(db);
    return st;
}

/* A course as JSON (a new reference). */
static json_t *course_json(const store_course *c)
{
    char h[16];
    json_t *covers = json_array();
    for (size_t i = 0; i < c->n_covers; i++)
        json_array_append_new(covers, json_string(c->covers[i]));
    return json_pack("{s:s, s:s, s:o, s:s, s:o}", "code", c->code, "title", c->title, "provider",
                     c->provider ? json_string(c->provider) : json_null(), "hours",
                     training_hours_text(c->hours_tenths, h), "covers", covers);
}

/* itss training import|export|list */
int cli_training_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL, *encoding = NULL;
    int dry_run = 0;
    const cli_option options[] = {
        { "--db", &db_path, NULL }, { "--encoding", &encoding, NULL }, { "--dry-run", NULL, &dry_run },
        { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss training", training_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_training_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos == 0)
        return cli_usage_error(a.prog, training_usage, "no subcommand given");
    const char *sub = a.pos[0];
    int is_import = strcmp(sub, "import") == 0;
    if (!is_import && strcmp(sub, "export") != 0 && strcmp(sub, "list") != 0)
        return cli_usage_error(a.prog, training_usage, "unknown subcommand '%s'", sub);
    if ((size_t)a.n_pos != (is_import ? 2u : 1u))
        return cli_usage_error(a.prog, training_usage, is_import && a.n_pos < 2 ? "FILE is required"
                                                                               : "unexpected argument '%s'",
                               a.pos[a.n_pos - 1]);
    store *db = cli_store_open(a.prog, db_path, 0);
    if (!db)
        return CLI_REFUSED;
    int st = CLI_OK;
    err e;
    memset(&e, 0, sizeof e);
    if (is_import) {
        catalog *cat = cli_load_catalog(&a);
        csv_reader *r = cat ? open_csv(a.prog, a.pos[1], encoding) : NULL;
        if (!cat)
            st = CLI_USAGE;
        else if (!r)
            st = CLI_REFUSED;
        else {
            err_list *errors = calloc(1, sizeof *errors);
            training_summary sum;
            int rc = training_import_courses(db, cat, r, dry_run, &sum, errors);
            st = report(&a, a.pos[1], rc, &sum, errors, dry_run, "courses");
            free(errors);
        }
        csv_close(r);
        catalog_free(cat);
        store_close(db);
        return st;
    }
    store_course_list l;
    if (store_course_list_all(db, &l, &e) < 0) {
        cli_store_error(a.prog, &e, NULL);
        store_close(db);
        return CLI_REFUSED;
    }
    buf b;
    buf_init(&b);
    if (strcmp(sub, "export") == 0) {
        training_export_courses(&b, &l);
        st = cli_write(&b, stdout);
    } else if (a.json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, course_json(&l.items[i]));
        st = cli_print_json(arr);
    } else {
        static const char *const headers[] = { "コード", "コース名", "提供元", "時間", "対象" };
        cli_table t;
        cli_table_init(&t, 5, headers);
        for (size_t i = 0; i < l.count; i++) {
            const store_course *c = &l.items[i];
            char h[16];
            buf covers;
            buf_init(&covers);
            for (size_t k = 0; k < c->n_covers; k++)
                buf_printf(&covers, "%s%s", k ? " " : "", c->covers[k]);
            const char *cells[5] = { c->code, c->title, c->provider ? c->provider : "",
                                     training_hours_text(c->hours_tenths, h), covers.data ? covers.data : "" };
            cli_table_add(&t, cells);
            buf_free(&covers);
        }
        buf_printf(&b, "%zu course%s\n", l.count, l.count == 1 ? "" : "s");
        if (l.count)
            cli_table_render(&t, &b, cli_term_width());
        cli_table_free(&t);
        st = cli_write(&b, stdout);
    }
    buf_free(&b);
    store_course_list_free(&l);
    store_close(db);
    return st;
}

/* ---- qualifications ---- */

static const char *const qualification_fields[] = {
    "obtained_on", "--date", "expires_on", "--expires", "name", "--name", "code", "--vendor", "person_id", "EMPNO",
    NULL
};

/* A qualification as JSON, with the ITSS level of an IPA examination. */
static json_t *qualification_json(const store_qualification *q, const ipa_exams *ipa)
{
    const ipa_exam *ex = strcmp(q->kind, "ipa") == 0 ? ipa_exam_find(ipa, q->code) : NULL;
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)q->id, "kind", q->kind, "code",
                     q->code, "name", q->name, "obtained_on", q->obtained_on, "expires_on",
                     q->expires_on ? json_string(q->expires_on) : json_null(), "itss_level",
                     ex ? json_integer(ex->level) : json_null());
}

/* itss qualification exams: the IPA examinations table, as text or JSON. */
static int qualification_exams(const cli_args *a, const ipa_exams *ipa)
{
    int st;
    buf b;
    buf_init(&b);
    if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < ipa_exam_count(ipa); i++) {
            const ipa_exam *x = ipa_exam_at(ipa, i);
            json_array_append_new(arr, json_pack("{s:s, s:s, s:i}", "code", x->code, "name", x->name,
                                                 "itss_level", x->level));
        }
        st = cli_print_json(json_pack("{s:s, s:o}", "source", ipa_exams_source(ipa), "exams", arr));
    } else {
        buf_printf(&b, "出典: %s\n", ipa_exams_source(ipa));
        for (size_t i = 0; i < ipa_exam_count(ipa); i++) {
            const ipa_exam *x = ipa_exam_at(ipa, i);
            buf_printf(&b, "%-3s レベル%d  %s\n", x->code, x->level, x->name);
        }
        st = cli_write(&b, stdout);
    }
    buf_free(&b);
    return st;
}

/* itss qualification add: q (code, name, dates set) recorded for person p. */
static int qualification_add(const cli_args *a, store *db, const store_person *p, store_qualification *q,
                             const ipa_exam *ex, const char *vendor, const char *name, const char *date,
                             const char *expires)
{
    err e;
    memset(&e, 0, sizeof e);
    int st;
    q->person_id = p->id;
    q->kind = ex ? "ipa" : "vendor";
    q->code = (char *)(ex ? ex->code : vendor);
    q->name = (char *)(ex ? ex->name : name);
    q->obtained_on = (char *)date;
    q->expires_on = (char *)expires;
    int64_t id = 0;
    if (store_qualification_add(db, q, &id, &e) < 0) {
        cli_store_error(a->prog, &e, qualification_fields);
        st = CLI_REFUSED;
    } else {
        buf b;
        buf_init(&b);
        buf_printf(&b, "added qualification %lld for %s %s: %s (%s)", (long long)id, p->employee_number, p->name,
                   q->name, date);
        if (ex)
            buf_printf(&b, "; ITSS レベル%d相当 (supporting evidence)", ex->level);
        buf_putc(&b, '\n');
        st = cli_write(&b, stdout);
        buf_free(&b);
    }
    return st;
}

/* itss qualification list: person p's qualifications, as text or JSON. */
static int qualification_list(const cli_args *a, store *db, const store_person *p, const ipa_exams *ipa)
{
    err e;
    memset(&e, 0, sizeof e);
    int st;
    store_qualification_list l;
    if (store_qualification_list_person(db, p->id, &l, &e) < 0) {
        cli_store_error(a->prog, &e, NULL);
        st = CLI_REFUSED;
    } else if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, qualification_json(&l.items[i], ipa));
        st = cli_print_json(arr);
    } else {
        buf b;
        buf_init(&b);
        buf_printf(&b, "%s %s: %zu qualification%s\n", p->employee_number, p->name, l.count,
                   l.count == 1 ? "" : "s");
        for (size_t i = 0; i < l.count; i++) {
            const store_qualification *x = &l.items[i];
            const ipa_exam *ix = strcmp(x->kind, "ipa") == 0 ? ipa_exam_find(ipa, x->code) : NULL;
            buf_printf(&b, "  %s  %s", x->obtained_on, x->name);
            if (x->expires_on)
                buf_printf(&b, " (有効期限 %s)", x->expires_on);
            if (ix)
                buf_printf(&b, "  ITSS レベル%d相当", ix->level);
            buf_putc(&b, '\n');
        }
        st = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_qualification_list_free(&l);
    return st;
}

/* itss qualification add|list|exams */
int cli_qualification_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL, *exam = NULL, *vendor = NULL, *name = NULL, *date = NULL, *expires = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL }, { "--exam", &exam, NULL }, { "--vendor", &vendor, NULL },
        { "--name", &name, NULL },  { "--date", &date, NULL }, { "--expires", &expires, NULL },
        { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss qualification", qualification_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_qualification_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos == 0)
        return cli_usage_error(a.prog, qualification_usage, "no subcommand given");
    err e;
    memset(&e, 0, sizeof e);
    ipa_exams *ipa = ipa_exams_builtin(&e);
    if (!ipa) {
        err_print(stderr, &e);
        return CLI_USAGE;
    }
    const char *sub = a.pos[0];
    int st = CLI_OK;
    if (strcmp(sub, "exams") == 0) {
        st = qualification_exams(&a, ipa);
        ipa_exams_free(ipa);
        return st;
    }
    if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0) {
        ipa_exams_free(ipa);
        return cli_usage_error(a.prog, qualification_usage, "unknown subcommand '%s'", sub);
    }
    if (a.n_pos != 2) {
        ipa_exams_free(ipa);
        return cli_usage_error(a.prog, qualification_usage, a.n_pos < 2 ? "EMPNO is required"
                                                                        : "unexpected argument '%s'", a.pos[2]);
    }
    store_qualification q;
    memset(&q, 0, sizeof q);
    const ipa_exam *ex = NULL;
    if (strcmp(sub, "add") == 0) {
        if (!!exam == !!vendor) {
            ipa_exams_free(ipa);
            return cli_usage_error(a.prog, qualification_usage, "give either --exam CODE or --vendor CODE");
        }
        if (!date) {
            ipa_exams_free(ipa);
            return cli_usage_error(a.prog, qualification_usage, "--date is required");
        }
        if (exam && !(ex = ipa_exam_find(ipa, exam))) {
            buf codes;
            buf_init(&codes);
            for (size_t i = 0; i < ipa_exam_count(ipa); i++)
                buf_printf(&codes, "%s%s", i ? ", " : "", ipa_exam_at(ipa, i)->code);
            cli_error(a.prog, "--exam: '%s' is no IPA examination; the codes are %s", exam, codes.data);
            buf_free(&codes);
            ipa_exams_free(ipa);
            return CLI_REFUSED;
        }
        if (vendor && !name) {
            ipa_exams_free(ipa);
            return cli_usage_error(a.prog, qualification_usage, "--vendor needs --name");
        }
    }
    store *db = cli_store_open(a.prog, db_path, 0);
    store_person p;
    if (!db || cli_find_person(a.prog, db, a.pos[1], NULL, &p) != 1) {
        store_close(db);
        ipa_exams_free(ipa);
        return CLI_REFUSED;
    }
    if (strcmp(sub, "add") == 0)
        st = qualification_add(&a, db, &p, &q, ex, vendor, name, date, expires);
    else
        st = qualification_list(&a, db, &p, ipa);
    store_person_clear(&p);
    store_close(db);
    ipa_exams_free(ipa);
    return st;
}
