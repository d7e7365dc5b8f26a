/* export.c - people, assessment answers and levels out of the store as CSV or
 * JSON (see export.h); `itss export` and the web's downloads both run
 * export_write(). Layouts: docs/csv.md.
 *
 * Records are rendered one at a time into the caller's buf, which the caller's
 * flush function empties every megabyte: an export of 100,000 people holds one
 * person (or one assessment) at a time, besides the list of assessments. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "csv.h"
#include "engine.h"
#include "orgcols.h"
#include "export.h"
#include "policy.h"
#include "rules.h"
#include "store.h"

#define FLUSH_AT (1u << 20)      /* the flush function is called every megabyte */

/* One export run. */
typedef struct export {
    store *db;
    const export_options *opts;
    const catalog *cat;
    int json;
    int64_t cycle_id;          /* 0: every cycle */
    buf *out;
    csv_writer w;
    long count;                /* records written (for JSON commas) */
    int stopped;               /* the flush function asked to stop */
} export;

/* Hands the buffer to the flush function when it has grown past FLUSH_AT (or
 * always when force). */
static void export_flush(export *x, int force)
{
    if (x->stopped || !x->opts->flush || (!force && x->out->len < FLUSH_AT))
        return;
    if (x->opts->flush(x->out, x->opts->flush_ctx) < 0)
        x->stopped = 1;
}

/* A JSON member "key": "value" (null for NULL/""), after a comma unless first. */
static void json_member(buf *b, int first, const char *key, const char *value)
{
    buf_printf(b, "%s\"%s\": ", first ? "" : ", ", key);
    if (value && *value)
        buf_json_str(b, value);
    else
        buf_puts(b, "null");
}

/* Starts a JSON record: "[\n  " or ",\n  ". */
static void json_record(export *x)
{
    buf_puts(x->out, x->count++ ? ",\n  " : "[\n  ");
}

static const char *const people_header[] = { "employee_number", "name", "kana", "email", "org_unit_code",
                                             "manager_employee_number", "left_on" };
static const char *const people_header_ja[] = { "社員番号", "氏名", "フリガナ", "メールアドレス", "組織コード",
                                                "上長の社員番号", "退職日" };

/* The header row of a CSV export in English (as itss import reads it) or,
 * with headers_ja, in Japanese. */
static void write_header(export *x, const char *const *en, const char *const *ja, size_t n)
{
    csv_write_header(&x->w, x->opts->headers_ja ? ja : en, n);
}

/* An assessment's status as the export writes it. */
static const char *status_text(const export *x, assessment_status s)
{
    static const char *const ja[] = { "下書き", "提出済み", "差し戻し", "承認済み" };
    if (x->opts->headers_ja && (int)s >= 0 && s < ASSESSMENT_STATUS_COUNT)
        return ja[s];
    return assessment_status_name(s);
}

/* A level kind as the export writes it. */
static const char *kind_text(const export *x, const char *kind)
{
    if (!x->opts->headers_ja)
        return kind;
    return strcmp(kind, "certified") == 0 ? "認定" : strcmp(kind, "approved") == 0 ? "承認" : "本人評価";
}

/* One person as a row or a JSON object. */
static int export_person(const store_person *p, void *ctx)
{
    export *x = ctx;
    if (x->json) {
        json_record(x);
        buf_putc(x->out, '{');
        json_member(x->out, 1, "employee_number", p->employee_number);
        json_member(x->out, 0, "name", p->name);
        json_member(x->out, 0, "kana", p->kana);
        json_member(x->out, 0, "email", p->email);
        json_member(x->out, 0, "org_unit_code", p->org_code);
        json_member(x->out, 0, "manager_employee_number", p->manager_number);
        json_member(x->out, 0, "left_on", p->left_on);
        buf_putc(x->out, '}');
    } else {
        csv_write_text(&x->w, p->employee_number);
        csv_write_text(&x->w, p->name);
        csv_write_text(&x->w, p->kana);
        csv_write_text(&x->w, p->email);
        csv_write_text(&x->w, p->org_code);
        csv_write_text(&x->w, p->manager_number);
        csv_write_text(&x->w, p->left_on);
        csv_end_row(&x->w);
    }
    export_flush(x, 0);
    return x->stopped;
}

/* itss export people */
static int export_people(export *x, err *e)
{
    if (!x->json)
        write_header(x, people_header, people_header_ja, sizeof people_header / sizeof people_header[0]);
    store_person_filter everyone = { 0 };
    everyone.include_left = 1;   /* leavers too, with their left_on: an export is the whole record */
    return store_person_each(x->db, &everyone, export_person, x, e) < 0 ? -1 : 0;
}

/* An answerable element of the catalog and its place in catalog order. */
typedef struct element_order {
    const char *id;
    int64_t order;
} element_order;

static int cmp_element_id(const void *p, const void *q)
{
    return strcmp(((const element_order *)p)->id, ((const element_order *)q)->id);
}

/* The answerable elements of c (責任性, checklist items, proficiency, knowledge
 * items) sorted by id, for looking up the catalog order of answers. Caller frees. */
static element_order *catalog_order(const catalog *c, size_t *n)
{
    size_t total = catalog_element_count(c);
    element_order *v = malloc((total ? total : 1) * sizeof *v);
    *n = 0;
    for (size_t i = 0; v && i < total; i++) {
        const catalog_element *e = catalog_element_at(c, i);
        if (e->kind == CK_RESPONSIBILITY || e->kind == CK_CHECK_ITEM || e->kind == CK_PROFICIENCY ||
            e->kind == CK_KNOWLEDGE_ITEM) {
            v[*n].id = e->id;
            v[(*n)++].order = (int64_t)i;
        }
    }
    if (v)
        qsort(v, *n, sizeof *v, cmp_element_id);
    return v;
}

/* An answer with its place in catalog order, for sorting. */
typedef struct ordered_answer {
    const assessment_answer *answer;
    int64_t order;             /* catalog order; answers the catalog does not know go last */
} ordered_answer;

static int cmp_ordered(const void *p, const void *q)
{
    const ordered_answer *a = p, *b = q;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    int c = strcmp(a->answer->element_id, b->answer->element_id);
    return c ? c : (int)a->answer->rater - (int)b->answer->rater;
}

static const char *const assessment_header[] = { "employee_number", "cycle", "catalog_version", "element_id",
                                                 "rater", "value", "evidence" };
static const char *const assessment_header_ja[] = { "社員番号", "期間", "カタログ版", "要素ID", "評価者", "値",
                                                    "根拠" };

/* "3;7": evidence ids as one cell. */
static void evidence_cell(buf *b, const assessment_answer *an)
{
    buf_reset(b);
    for (size_t k = 0; k < an->n_evidence; k++)
        buf_printf(b, "%s%s", k ? ";" : "", an->evidence[k]);
}

/* itss export assessments: every answer in catalog order, per assessment. */
static int export_assessments(export *x, err *e)
{
    size_t n_order;
    element_order *order = catalog_order(x->cat, &n_order);
    if (!order) {
        err_set(e, "", 0, 0, NULL, "out of memory");
        return -1;
    }
    store_assessment_filter f;
    memset(&f, 0, sizeof f);
    f.cycle_id = x->cycle_id;
    f.status = -1;
    f.include_left = 1;
    store_assessment_list list;
    if (store_assessment_list_filter(x->db, &f, &list, e) < 0) {
        free(order);
        return -1;
    }
    if (!x->json)
        write_header(x, assessment_header, assessment_header_ja, sizeof assessment_header / sizeof assessment_header[0]);
    ordered_answer *sorted = NULL;
    size_t cap = 0;
    buf ev;
    buf_init(&ev);
    int rc = 0;
    for (size_t i = 0; i < list.count && !x->stopped; i++) {
        const store_assessment *sa = &list.items[i];
        assessment *a = assessment_new(NULL, NULL, NULL, NULL, NULL);
        if (store_answers_load(x->db, sa->id, a, e) < 0) {
            assessment_free(a);
            rc = -1;
            break;
        }
        if (a->n_answers > cap) {
            cap = a->n_answers;
            ordered_answer *grown = realloc(sorted, cap * sizeof *sorted);
            if (!grown) {
                assessment_free(a);
                err_set(e, "", 0, 0, NULL, "out of memory");
                rc = -1;
                break;
            }
            sorted = grown;
        }
        for (size_t k = 0; k < a->n_answers; k++) {
            element_order key = { a->answers[k].element_id, 0 };
            const element_order *m = bsearch(&key, order, n_order, sizeof *order, cmp_element_id);
            sorted[k].answer = &a->answers[k];
            sorted[k].order = m ? m->order : INT64_MAX;
        }
        qsort(sorted, a->n_answers, sizeof *sorted, cmp_ordered);
        if (x->json) {
            json_record(x);
            buf_putc(x->out, '{');
            json_member(x->out, 1, "employee_number", sa->employee_number);
            json_member(x->out, 0, "name", sa->person_name);
            json_member(x->out, 0, "cycle", sa->cycle);
            json_member(x->out, 0, "catalog_id", sa->catalog_id);
            json_member(x->out, 0, "catalog_version", sa->catalog_version);
            json_member(x->out, 0, "status", assessment_status_name(sa->status));
            buf_puts(x->out, ", \"answers\": [");
            for (size_t k = 0; k < a->n_answers; k++) {
                const assessment_answer *an = sorted[k].answer;
                buf_puts(x->out, k ? ",\n    {" : "\n    {");
                json_member(x->out, 1, "element_id", an->element_id);
                json_member(x->out, 0, "rater", assessment_rater_name(an->rater));
                buf_printf(x->out, ", \"value\": %d, \"evidence\": [", an->value);
                for (size_t j = 0; j < an->n_evidence; j++)
                    buf_printf(x->out, "%s%s", j ? ", " : "", an->evidence[j]);
                buf_puts(x->out, "]}");
            }
            buf_puts(x->out, a->n_answers ? "\n  ]}" : "]}");
        } else {
            for (size_t k = 0; k < a->n_answers; k++) {
                const assessment_answer *an = sorted[k].answer;
                csv_write_text(&x->w, sa->employee_number);
                csv_write_text(&x->w, sa->cycle);
                csv_write_text(&x->w, sa->catalog_version);
                csv_write_text(&x->w, an->element_id);
                csv_write_text(&x->w, !x->opts->headers_ja ? assessment_rater_name(an->rater)
                                      : an->rater == RATER_MANAGER ? "上長" : "本人");
                csv_write_int(&x->w, an->value);
                evidence_cell(&ev, an);
                csv_write_text(&x->w, ev.data);
                csv_end_row(&x->w);
            }
        }
        assessment_free(a);
        export_flush(x, 0);
    }
    buf_free(&ev);
    free(sorted);
    store_assessment_list_free(&list);
    free(order);
    return rc;
}

/* What a levels export carries from row to row: the columns of kept levels
 * (self and official), and the levels of the assessments of another catalog
 * version, evaluated before the rows stream (the stream may not call the store). */
typedef struct levels_run {
    export *x;
    const policy *pol;
    const orgcols *oc;
    int self;
    size_t n_specs;
    int64_t *other_ids;        /* sorted; other_levels: n_specs per id */
    int *other_levels;
    size_t n_other;
} levels_run;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Evaluates the assessments of another catalog version against the export's
 * catalog, as the levels of its own are decided (the engine, self rating). */
static int evaluate_others(levels_run *lr, store *db, err *e)
{
    lr->n_other = orgcols_foreign(lr->oc, NULL, 0);
    if (!lr->n_other)
        return 0;
    lr->other_ids = calloc(lr->n_other, sizeof *lr->other_ids);
    lr->other_levels = calloc(lr->n_other * (lr->n_specs ? lr->n_specs : 1), sizeof *lr->other_levels);
    engine *eng = engine_new(lr->x->cat, lr->pol);
    engine_result *r = eng ? engine_result_new(eng) : NULL;
    if (!lr->other_ids || !lr->other_levels || !r) {
        engine_free(eng);
        err_set(e, "", 0, 0, NULL, "out of memory");
        return -1;
    }
    orgcols_foreign(lr->oc, lr->other_ids, lr->n_other);
    qsort(lr->other_ids, lr->n_other, sizeof *lr->other_ids, cmp_i64);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < lr->n_other; i++) {
        assessment *a = NULL;
        if (store_assessment_load(db, lr->other_ids[i], &a, e) != 1) {
            rc = -1;
            break;
        }
        engine_evaluate(eng, a, RATER_SELF, r);
        for (size_t s = 0; s < lr->n_specs; s++)
            lr->other_levels[i * lr->n_specs + s] = s < r->n_specs ? r->specs[s].level : 0;
        assessment_free(a);
    }
    engine_result_free(r);
    engine_free(eng);
    return rc;
}

/* The levels of row into levels and their kind; 0 when it has none to show
 * (official levels: neither approved nor certified). */
static int row_levels(const levels_run *lr, const store_assessment_row *row, int *levels, const char **kind)
{
    *kind = "self";
    if (!lr->self) {
        unsigned certified = 0;
        if (orgcols_official(lr->oc, row->id, levels, &certified) != 1)
            return 0;
        int any = 0;
        for (size_t s = 0; s < lr->n_specs; s++)
            any |= levels[s] >= 0;
        *kind = certified ? "certified" : "approved";
        return any;
    }
    if (orgcols_levels(lr->oc, row->id, levels) == 1 && !(lr->n_specs && levels[0] < 0))
        return 1;
    const int64_t *hit = lr->n_other ? bsearch(&row->id, lr->other_ids, lr->n_other, sizeof *lr->other_ids, cmp_i64)
                                     : NULL;
    for (size_t s = 0; s < lr->n_specs; s++)
        levels[s] = hit ? lr->other_levels[(size_t)(hit - lr->other_ids) * lr->n_specs + s] : 0;
    return 1;
}

/* store_assessment_rows_each callback: one record. */
static int write_level_row(const store_assessment_row *row, void *ctx)
{
    levels_run *lr = ctx;
    export *x = lr->x;
    int levels[ORGCOLS_MAX_SPECS];
    const char *kind;
    if (!row_levels(lr, row, levels, &kind))
        return 0;
    if (x->json) {
        json_record(x);
        buf_putc(x->out, '{');
        json_member(x->out, 1, "employee_number", row->employee_number);
        json_member(x->out, 0, "name", row->person_name);
        json_member(x->out, 0, "org_unit_code", row->org_code);
        json_member(x->out, 0, "org_unit_name", row->org_name);
        json_member(x->out, 0, "cycle", row->cycle);
        json_member(x->out, 0, "status", assessment_status_name(row->status));
        json_member(x->out, 0, "level_kind", kind);
        json_member(x->out, 0, "catalog_version", row->catalog_version);
        buf_puts(x->out, ", \"policy\": {");
        json_member(x->out, 1, "id", lr->pol->id);
        json_member(x->out, 0, "version", lr->pol->version);
        buf_puts(x->out, "}, \"levels\": {");
        int first = 1;
        for (size_t s = 0; s < lr->n_specs; s++) {
            if (levels[s] < 0)
                continue;
            buf_printf(x->out, "%s\"%s\": %d", first ? "" : ", ", catalog_spec_at(x->cat, s)->code, levels[s]);
            first = 0;
        }
        buf_puts(x->out, "}}");
    } else {
        csv_write_text(&x->w, row->employee_number);
        csv_write_text(&x->w, row->person_name);
        csv_write_text(&x->w, row->org_code);
        csv_write_text(&x->w, row->org_name);
        csv_write_text(&x->w, row->cycle);
        csv_write_text(&x->w, status_text(x, row->status));
        csv_write_text(&x->w, kind_text(x, kind));
        for (size_t s = 0; s < lr->n_specs; s++) {
            if (levels[s] == 0 && x->opts->headers_ja)
                csv_write_text(&x->w, "未到達");
            else if (levels[s] >= 0)
                csv_write_int(&x->w, levels[s]);
            else
                csv_write_text(&x->w, "");
        }
        csv_end_row(&x->w);
    }
    export_flush(x, 0);
    return x->stopped;
}

/* itss export levels: the level per specialization for every assessment, as
 * kept (orgcols.h, levels only: decided once when the assessment changed, kept
 * in the store; official levels as of today), streamed row by row with the
 * person's name and unit; an assessment against another catalog version is
 * evaluated here. */
static int export_levels(export *x, const policy *pol, err *e)
{
    char today[11];
    if (x->opts->today)
        snprintf(today, sizeof today, "%s", x->opts->today);
    else
        rules_today(today);
    levels_run lr;
    memset(&lr, 0, sizeof lr);
    lr.x = x;
    lr.pol = pol;
    lr.self = x->opts->level_kind == EXPORT_LEVELS_SELF;
    lr.n_specs = catalog_spec_count(x->cat);
    if (lr.n_specs > ORGCOLS_MAX_SPECS)
        lr.n_specs = ORGCOLS_MAX_SPECS;
    orgcols *oc = orgcols_new(x->cat, pol);
    orgcols_levels_only(oc);
    lr.oc = oc;
    int rc = orgcols_refresh_on(oc, x->db, today, e);
    if (rc == 0 && lr.self)
        rc = evaluate_others(&lr, x->db, e);
    if (rc == 0 && !x->json) {
        static const char *const fixed[] = { "employee_number", "name", "org_unit_code", "org_unit_name", "cycle",
                                             "status", "level_kind" };
        static const char *const fixed_ja[] = { "社員番号", "氏名", "組織コード", "組織名", "期間", "状態",
                                                "レベル種別" };
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
            csv_write_text(&x->w, x->opts->headers_ja ? fixed_ja[i] : fixed[i]);
        for (size_t s = 0; s < lr.n_specs; s++)
            csv_write_text(&x->w, x->opts->headers_ja ? catalog_spec_at(x->cat, s)->name
                                                      : catalog_spec_at(x->cat, s)->code);
        csv_end_row(&x->w);
    }
    if (rc == 0) {
        rc = store_assessment_rows_each(x->db, x->cycle_id, write_level_row, &lr, e);
        if (rc > 0)
            rc = 0;            /* stopped by the flush function */
    }
    free(lr.other_ids);
    free(lr.other_levels);
    orgcols_free(oc);
    return rc;
}

const char *export_level_kind_name(int k)
{
    return k == EXPORT_LEVELS_SELF ? "self" : "official";
}

int export_level_kind_parse(const char *name)
{
    if (name && strcmp(name, "official") == 0)
        return EXPORT_LEVELS_OFFICIAL;
    if (name && strcmp(name, "self") == 0)
        return EXPORT_LEVELS_SELF;
    return -1;
}

const char *export_kind_name(export_kind k)
{
    return k == EXPORT_PEOPLE ? "people" : k == EXPORT_ASSESSMENTS ? "assessments" : k == EXPORT_LEVELS ? "levels"
                                                                                                          : "?";
}

int export_kind_parse(const char *name)
{
    static const char *const names[] = { "people", "assessments", "levels" };
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* Appends the export opts asks for to out; see export.h. */
int export_write(store *db, const export_options *opts, buf *out, err *e)
{
    export x;
    memset(&x, 0, sizeof x);
    x.db = db;
    x.opts = opts;
    x.cat = opts->catalog;
    x.json = opts->json;
    x.cycle_id = opts->cycle_id;
    x.out = out;
    if (opts->kind != EXPORT_PEOPLE && !x.cat) {
        err_set(e, "", 0, 0, NULL, "an export of %s needs the catalog", export_kind_name(opts->kind));
        return -1;
    }
    if (opts->kind == EXPORT_LEVELS && !opts->policy) {
        err_set(e, "", 0, 0, NULL, "an export of levels needs the level-determination policy");
        return -1;
    }
    if (!x.json)
        csv_writer_init(&x.w, out);
    /* The answers' pages are read once: a small page cache keeps the memory
     * of that export flat (and the connection's own is given back after). */
    int small = opts->flush && opts->kind == EXPORT_ASSESSMENTS && store_small_cache(db, NULL) == 0;
    int rc = opts->kind == EXPORT_PEOPLE ? export_people(&x, e)
             : opts->kind == EXPORT_ASSESSMENTS ? export_assessments(&x, e)
             : export_levels(&x, opts->policy, e);
    if (small)
        store_normal_cache(db, NULL);
    if (rc < 0)
        return -1;
    if (x.json)
        buf_puts(out, x.count ? "\n]\n" : "[]\n");
    export_flush(&x, 1);
    return x.stopped ? -1 : 0;
}
