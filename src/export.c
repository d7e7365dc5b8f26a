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
#include "xalloc.h"

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

/* ---- itss export levels ---- */

#define LV_NONE 0xff           /* a cell without a level */
#define LV_CERT 0x80           /* a cell's level comes from a certificate */

/* The levels of every assessment, read in a few passes before the rows
 * stream: one byte per specialization of each assessment (LV_NONE, else the
 * level, | LV_CERT for a certificate's), cells[i * n_specs + s] for the i-th
 * id from first (ids are dense: assessments are never deleted), or the i-th
 * of ids when they are not (more than twice as many ids as assessments). */
typedef struct level_index {
    const catalog *cat;
    size_t n_specs;
    int64_t first;
    size_t n;
    int64_t *ids;              /* NULL: ids first .. first + n - 1 */
    size_t n_ids;              /* while ids are read */
    unsigned char *cells;
    int64_t *todo;             /* self: the assessments whose levels are not kept */
    size_t n_todo, cap_todo;
} level_index;

/* The cells of assessment id, or NULL when the index has no such id. */
static unsigned char *index_cells(const level_index *x, int64_t id)
{
    size_t i;
    if (!x->ids) {
        if (id < x->first || (uint64_t)(id - x->first) >= x->n)
            return NULL;
        i = (size_t)(id - x->first);
    } else {
        size_t lo = 0, hi = x->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (x->ids[mid] < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == x->n || x->ids[lo] != id)
            return NULL;
        i = lo;
    }
    return x->cells + i * x->n_specs;
}

/* The catalog index of specialization id, or -1 (up to n_specs). */
static int index_spec(const level_index *x, const char *id)
{
    for (size_t s = 0; s < x->n_specs; s++)
        if (strcmp(catalog_spec_at(x->cat, s)->id, id) == 0)
            return (int)s;
    return -1;
}

/* store_assessment_ids_each callback: the ids of a sparse index. */
static int take_id(int64_t id, int same_catalog, void *p)
{
    (void)same_catalog;
    level_index *x = p;
    if (x->n_ids < x->n)
        x->ids[x->n_ids++] = id;
    return 0;
}

/* Lays the index out for the assessments there are. 0, or -1 with *e. */
static int index_make(level_index *x, store *db, err *e)
{
    int64_t range[3];
    if (store_assessment_id_range(db, range, e) < 0)
        return -1;
    size_t span = range[2] ? (size_t)(range[1] - range[0]) + 1 : 0;
    x->first = range[0];
    x->n = span;
    if (span > 2 * (size_t)range[2] + 4096) {
        x->n = (size_t)range[2];
        x->ids = xcalloc(x->n + 1, sizeof *x->ids);
        if (store_assessment_ids_each(db, NULL, NULL, take_id, x, e) < 0)
            return -1;
        x->n = x->n_ids;
    }
    x->cells = xmalloc(x->n * x->n_specs + 1);
    memset(x->cells, LV_NONE, x->n * x->n_specs + 1);
    return 0;
}

/* store_result_each callback: a kept level into its cell (the first kept of
 * a specialization counts, as the org columns take them). */
static int take_kept(int64_t id, const char *spec, int level, void *p)
{
    level_index *x = p;
    unsigned char *c = index_cells(x, id);
    int s = c ? index_spec(x, spec) : -1;
    if (s >= 0 && level >= 0 && level < 127 && c[s] == LV_NONE)
        c[s] = (unsigned char)level;
    return 0;
}

/* store_official_each callback: an approved or certified level into its cell,
 * replacing what came before. */
static int take_official_level(int64_t id, const char *spec, int level, int certified, void *p)
{
    level_index *x = p;
    unsigned char *c = index_cells(x, id);
    int s = c ? index_spec(x, spec) : -1;
    if (s >= 0 && level >= 0 && level <= 126)
        c[s] = (unsigned char)(level | (certified ? LV_CERT : 0));
    return 0;
}

/* store_assessment_ids_each callback: an assessment of another catalog
 * version, or one without a kept level in each specialization, to evaluate. */
static int take_unkept(int64_t id, int same_catalog, void *p)
{
    level_index *x = p;
    const unsigned char *c = index_cells(x, id);
    int missing = !c || !same_catalog;
    for (size_t s = 0; c && s < x->n_specs; s++)
        missing |= c[s] == LV_NONE;
    if (c && missing) {
        if (x->n_todo == x->cap_todo) {
            x->cap_todo = x->cap_todo ? x->cap_todo * 2 : 64;
            x->todo = xrealloc(x->todo, x->cap_todo * sizeof *x->todo);
        }
        x->todo[x->n_todo++] = id;
    }
    return 0;
}

/* The self levels of the assessments not kept, decided by the engine as the
 * org columns decide them (the self rating; against the export's catalog for
 * another version), into their cells. 0, or -1 with *e. */
static int index_evaluate(level_index *x, store *db, const policy *pol, err *e)
{
    if (store_assessment_ids_each(db, catalog_id(x->cat), catalog_version(x->cat), take_unkept, x, e) < 0)
        return -1;
    if (!x->n_todo)
        return 0;
    engine *eng = engine_new(x->cat, pol);
    engine_result *r = eng ? engine_result_new(eng) : NULL;
    int rc = r ? 0 : -1;
    if (!r)
        err_set(e, "", 0, 0, NULL, "out of memory");
    for (size_t i = 0; rc == 0 && i < x->n_todo; i++) {
        assessment *a = NULL;
        int got = store_assessment_load(db, x->todo[i], &a, e);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got == 1)
            engine_evaluate(eng, a, RATER_SELF, r);
        unsigned char *c = index_cells(x, x->todo[i]);
        for (size_t s = 0; s < x->n_specs; s++)
            c[s] = (unsigned char)(got == 1 && s < r->n_specs && r->specs[s].level > 0 ? r->specs[s].level : 0);
        assessment_free(a);
    }
    engine_result_free(r);
    engine_free(eng);
    return rc;
}

static void index_free(level_index *x)
{
    free(x->ids);
    free(x->cells);
    free(x->todo);
}

/* What a levels export carries from row to row. */
typedef struct levels_run {
    export *x;
    const policy *pol;
    int self;
    level_index idx;
} levels_run;

/* The levels of row into levels and their kind; 0 when it has none to show
 * (official levels: neither approved nor certified). */
static int row_levels(const levels_run *lr, const store_assessment_row *row, int *levels, const char **kind)
{
    const unsigned char *c = index_cells(&lr->idx, row->id);
    size_t n = lr->idx.n_specs;
    if (lr->self) {
        *kind = "self";
        for (size_t s = 0; s < n; s++)
            levels[s] = c && c[s] != LV_NONE ? c[s] : 0;
        return 1;
    }
    int any = 0;
    unsigned certified = 0;
    for (size_t s = 0; s < n; s++) {
        levels[s] = c && c[s] != LV_NONE ? c[s] & ~LV_CERT : -1;
        any |= levels[s] >= 0;
        certified |= c && c[s] != LV_NONE && (c[s] & LV_CERT);
    }
    *kind = certified ? "certified" : "approved";
    return any;
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
    size_t n_specs = lr->idx.n_specs;
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
        for (size_t s = 0; s < n_specs; s++) {
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
        for (size_t s = 0; s < n_specs; s++) {
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

/* Reads the levels of every assessment into lr->idx: self, the results kept
 * under the policy (those not kept evaluated here); official, the approvals
 * in force and the certificates valid today. 0, or -1 with *e. */
static int read_levels(levels_run *lr, store *db, const char *today, err *e)
{
    if (index_make(&lr->idx, db, e) < 0)
        return -1;
    if (!lr->self)
        return store_official_each(db, today, 0, take_official_level, &lr->idx, e) < 0 ? -1 : 0;
    char key[200];
    snprintf(key, sizeof key, "%s@%s", lr->pol->id, lr->pol->version);
    if (store_result_each(db, key, take_kept, &lr->idx, e) < 0)
        return -1;
    return index_evaluate(&lr->idx, db, lr->pol, e);
}

/* itss export levels: the level per specialization for every assessment, as
 * kept (self: the results kept under the policy, decided once when the
 * assessment changed; official: the approval in force and the certificates
 * valid today), with the person's name and unit. The levels are read first,
 * in a pass over each table that holds them, into one byte per specialization
 * and assessment (level_index); then the rows stream one at a time. All of it
 * reads one moment of the database. */
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
    lr.idx.cat = x->cat;
    lr.idx.n_specs = catalog_spec_count(x->cat);
    if (lr.idx.n_specs > ORGCOLS_MAX_SPECS)
        lr.idx.n_specs = ORGCOLS_MAX_SPECS;
    int rc = store_small_cache(x->db, e);
    if (rc == 0)
        rc = store_begin_read(x->db, e);
    if (rc < 0)
        return -1;
    rc = read_levels(&lr, x->db, today, e);
    if (rc == 0 && !x->json) {
        static const char *const fixed[] = { "employee_number", "name", "org_unit_code", "org_unit_name", "cycle",
                                             "status", "level_kind" };
        static const char *const fixed_ja[] = { "社員番号", "氏名", "組織コード", "組織名", "期間", "状態",
                                                "レベル種別" };
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
            csv_write_text(&x->w, x->opts->headers_ja ? fixed_ja[i] : fixed[i]);
        for (size_t s = 0; s < lr.idx.n_specs; s++)
            csv_write_text(&x->w, x->opts->headers_ja ? catalog_spec_at(x->cat, s)->name
                                                      : catalog_spec_at(x->cat, s)->code);
        csv_end_row(&x->w);
    }
    if (rc == 0) {
        rc = store_assessment_rows_each(x->db, x->cycle_id, write_level_row, &lr, e);
        if (rc > 0)
            rc = 0;            /* stopped by the flush function */
    }
    index_free(&lr.idx);
    if (rc == 0)
        rc = store_commit(x->db, e);
    else
        store_rollback(x->db, NULL);
    store_normal_cache(x->db, NULL);
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
