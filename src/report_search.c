/* report_search.c - talent searches in the organization report (report_search.h). */
#include "report_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_experience_words.h"
#include "xalloc.h"

#define REPORT_SEARCH_PRINTED 200  /* people a PDF section prints; the workbook has them all */

/* The value of name in query, percent-decoded ('+' a space), heap; NULL when absent. */
static char *param(const char *query, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = query; p && *p;) {
        const char *end = strchr(p, '&');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > len && strncmp(p, name, len) == 0 && p[len] == '=') {
            char *out = xmalloc(n + 1), *o = out;
            for (size_t i = len + 1; i < n; i++) {
                unsigned hi, lo;
                if (p[i] == '%' && i + 2 < n + 1 && sscanf(p + i + 1, "%1x%1x", &hi, &lo) == 2) {
                    *o++ = (char)(hi * 16 + lo);
                    i += 2;
                } else
                    *o++ = p[i] == '+' ? ' ' : p[i];
            }
            *o = 0;
            return out;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

/* ?name= as a whole number lo..hi (absent or empty: def) into *v; -1 with *e. */
static int number(const char *query, const char *name, long lo, long hi, long def, int *v, err *e)
{
    char *s = param(query, name), *end = NULL;
    long x = s && *s ? strtol(s, &end, 10) : def;
    int bad = s && *s && (*end || x < lo || x > hi);
    free(s);
    if (bad)
        return err_refuse(e, ERR_INVALID, "search.number", name, "%s: a whole number %ld to %ld", name, lo, hi);
    *v = (int)x;
    return 0;
}

/* The specialization of ?name= (absent, empty or "any": -1); -1 with *e for an unknown one. */
static int spec_param(const catalog *cat, const char *query, const char *name, int *spec, err *e)
{
    char *s = param(query, name);
    *spec = -1;
    int rc = 0;
    if (s && *s && strcmp(s, "any") != 0) {
        *spec = -2;
        for (size_t k = 0; k < catalog_spec_count(cat); k++)
            if (strcmp(catalog_spec_at(cat, k)->code, s) == 0)
                *spec = (int)k;
        if (*spec == -2)
            rc = err_refuse(e, ERR_INVALID, "search.spec", name, "%s: no such specialization", name);
    }
    free(s);
    return rc;
}

/* The next condition of out, cleared. */
static orgcols_cond *next_cond(report_search *out, orgcols_cond_kind kind)
{
    orgcols_cond *c = &out->conds[out->n_conds++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    return c;
}

/* The level and proficiency conditions of query. */
static int level_conds(const catalog *cat, const char *query, report_search *out, err *e)
{
    char *spec = param(query, "spec"), *level = param(query, "level"), *kind = param(query, "levels");
    int rc = 0;
    if ((spec && *spec) || level) {
        orgcols_cond *c = next_cond(out, ORGCOLS_COND_LEVEL);
        c->levels = kind && strcmp(kind, "self") == 0 ? ORGCOLS_SELF : ORGCOLS_OFFICIAL;
        rc = spec_param(cat, query, "spec", &c->spec, e);
        if (rc == 0)
            rc = number(query, "level", 0, catalog_level_max(cat), 1, &c->at_least, e);
    }
    free(spec);
    free(level);
    free(kind);
    char *parea = param(query, "parea");
    if (rc == 0 && parea && *parea) {
        orgcols_cond *c = next_cond(out, ORGCOLS_COND_PROFICIENCY);
        for (size_t a = 0; a < catalog_area_count(cat); a++)
            if (strcmp(catalog_area_at(cat, a)->code, parea) == 0)
                c->area = catalog_area_at(cat, a);
        rc = c->area ? spec_param(cat, query, "pspec", &c->spec, e)
                     : err_refuse(e, ERR_INVALID, "search.area", "parea", "parea: no such skill area");
        if (rc == 0)
            rc = number(query, "plevel", 1, 7, 1, &c->at_least, e);
    }
    free(parea);
    return rc;
}

/* The knowledge, certificate and word conditions of query. */
static int other_conds(const catalog *cat, const char *query, report_search *out, err *e)
{
    char *item = param(query, "item"), *category = param(query, "category"), *certified = param(query, "certified");
    int rc = 0;
    if (item && *item) {
        orgcols_cond *c = next_cond(out, ORGCOLS_COND_ITEM);
        c->element_id = out->ids[out->n_conds - 1] = item;
        item = NULL;
        rc = number(query, "rating", 1, 4, 2, &c->at_least, e);
    }
    if (rc == 0 && category && *category) {
        orgcols_cond *c = next_cond(out, ORGCOLS_COND_CATEGORY);
        c->element_id = out->ids[out->n_conds - 1] = category;
        category = NULL;
        rc = number(query, "crating", 1, 4, 2, &c->at_least, e);
        if (rc == 0)
            rc = number(query, "share", 1, 100, 100, &c->share, e);
    }
    if (rc == 0 && certified) {
        orgcols_cond *c = next_cond(out, ORGCOLS_COND_CERTIFIED);
        rc = spec_param(cat, query, "cspec", &c->spec, e);
        if (rc == 0)
            rc = number(query, "clevel", 0, catalog_level_max(cat), 0, &c->at_least, e);
    }
    free(item);
    free(category);
    free(certified);
    char *word = param(query, "word");
    if (rc == 0 && word && *word && strlen(word) <= STORE_WORD_MAX) {
        orgcols_cond *c = next_cond(out, ORGCOLS_COND_WORD);
        c->element_id = out->ids[out->n_conds - 1] = word;
        word = NULL;
    } else if (rc == 0 && word && *word)
        rc = err_refuse(e, ERR_INVALID, "search.word", "word", "word: 100 bytes at most");
    free(word);
    return rc;
}

int report_search_parse(const catalog *cat, const char *name, const char *query, report_search *out, err *e)
{
    memset(out, 0, sizeof *out);
    out->name = xstrdup(name ? name : "");
    if (level_conds(cat, query ? query : "", out, e) < 0 || other_conds(cat, query ? query : "", out, e) < 0)
        return -1;
    return 0;
}

void report_search_free(report_search *s)
{
    free(s->name);
    for (size_t i = 0; i < REPORT_SEARCH_CONDS; i++)
        free(s->ids[i]);
    memset(s, 0, sizeof *s);
}

/* The people found as a table: number, name, unit, each specialization's official and self level. */
static void people_table(report_doc *d, store *db, const catalog *cat, const report_search *s, const orgcols_people *p)
{
    size_t n_specs = catalog_spec_count(cat), n_cols = 3 + 2 * n_specs;
    const char **headers = xcalloc(n_cols, sizeof *headers);
    char (*names)[96] = xcalloc(n_cols, sizeof *names);
    headers[0] = "社員番号";
    headers[1] = "氏名";
    headers[2] = "組織";
    for (size_t k = 0; k < n_specs; k++) {
        snprintf(names[2 * k], sizeof names[0], "%s 公式", catalog_spec_at(cat, k)->code);
        snprintf(names[2 * k + 1], sizeof names[0], "%s 本人評価", catalog_spec_at(cat, k)->code);
        headers[3 + 2 * k] = names[2 * k];
        headers[4 + 2 * k] = names[2 * k + 1];
    }
    char title[120];
    snprintf(title, sizeof title, "人材検索 %.60s", s->name);
    report_table *t = report_doc_table(d, title, n_cols, headers);
    t->sheet_only = p->count > REPORT_SEARCH_PRINTED;
    for (size_t i = 0; i < p->count; i++) {
        store_person person;
        err e;
        size_t row = report_table_row(t);
        if (store_person_get(db, p->items[i].person_id, &person, &e) == 1) {
            report_cell_text(t, row, 0, person.employee_number);
            report_cell_text(t, row, 1, person.name);
            report_cell_text(t, row, 2, person.org_name);
            store_person_clear(&person);
        }
        for (size_t k = 0; k < n_specs && k < ORGCOLS_MAX_SPECS; k++) {
            report_cell_level(t, row, 3 + 2 * k, p->items[i].official[k]);
            report_cell_level(t, row, 4 + 2 * k, p->items[i].self[k]);
        }
    }
    free(headers);
    free(names);
}

int report_search_section(report_doc *d, store *db, const orgcols *cols, int64_t cycle_id, int64_t org_unit_id,
                          const report_search *s, err *e)
{
    orgcols_scope sc = { cycle_id, org_unit_id, 0, ORGCOLS_OFFICIAL };
    orgcols_people p;
    if (orgcols_talent(cols, &sc, s->conds, s->n_conds, 0, (size_t)-1 / 2, &p, e) < 0)
        return -1;
    char text[300];
    snprintf(text, sizeof text, "人材検索「%.200s」: %zu 人", s->name, p.count);
    report_doc_heading(d, text);
    people_table(d, db, orgcols_catalog(cols), s, &p);
    orgcols_people_free(&p);
    return 0;
}
