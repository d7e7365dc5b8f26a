/* catalog_exchange.c - the catalog as a CASE 1.1 package and as a Moodle
 * competency framework, and a reader of the latter (catalog_exchange.h).
 *
 * Both formats are trees; both are made from one walk over the catalog's
 * elements in file order, where node_of() says for each element what it is
 * (its CFItemType), what it hangs under and how it is labelled. The property
 * lists follow 1EdTech's JSON binding of CASE 1.1 (getCFPackage, the
 * CFPckgDocument, CFPckgItem, CFPckgAssociation and CFItemType objects) and the
 * columns follow Moodle's admin/tool/lpimportcsv (framework_importer::
 * list_required_headers and framework_exporter); docs/exchange.md has the
 * mapping. */
#include <stdlib.h>
#include <string.h>

#include "catalog_exchange.h"
#include "csv.h"

/* ---- the shared tree ---- */

/* One kind of element as both formats show it. */
typedef struct node_type {
    const char *code;           /* CFItemType.hierarchyCode / typeCode */
    const char *title;          /* the standard's name for it */
    const char *description;
} node_type;

enum { NT_SPEC, NT_COMMON, NT_LEVEL, NT_RESPONSIBILITY, NT_CRITERION, NT_CHECK_ITEM, NT_AREA, NT_SPEC_AREA,
       NT_PROFICIENCY, NT_CATEGORY, NT_KNOWLEDGE_ITEM, NT_COUNT };

static const node_type node_types[NT_COUNT] = {
    { "specialization", "専門分野", "A specialization of the job category (専門分野)." },
    { "common_levels", "共通レベル", "Levels that several specializations share (専門分野共通のレベル)." },
    { "level", "レベル", "The achievement indicators (達成度指標) of one level of a specialization." },
    { "responsibility", "責任性", "The responsibility (責任性) a level asks for." },
    { "criterion", "達成度指標", "複雑性, サイズ or タスク特性 of one level: its lead sentence, with its checklist below." },
    { "check_item", "チェック項目", "One checklist item of a criterion; a level is reached when its items are." },
    { "skill_area", "スキル領域", "A skill area of the job category (スキル領域)." },
    { "spec_area", "専門分野のスキル領域", "A skill area as one specialization describes it." },
    { "proficiency", "スキル熟達度", "The proficiency (スキル熟達度) a skill area asks for at one level." },
    { "knowledge_category", "知識カテゴリ", "A group of knowledge items of a skill area." },
    { "knowledge_item", "知識項目", "One knowledge item (知識項目)." },
};

/* What one element is in the tree. */
typedef struct node {
    int type;                   /* NT_* */
    const char *parent;         /* the parent element's id; NULL under the document */
    const char *statement;      /* the standard's text; NULL when the element has none */
    const char *name;           /* a short name of its own (specialization, area, category), or NULL */
    char *label;                /* "ハードウェア レベル4 複雑性 3"; malloc'd, node_done() frees it */
} node;

/* Fills *n for element e. Returns 0 (and leaves n alone) for elements that are
 * not nodes of their own: the job category (the document), catalog notes and
 * notes under a criterion (both go into the notes of what they are about). */
static int node_of(const catalog_element *e, node *n)
{
    buf b;
    const char *spec = e->spec ? e->spec->name : "";
    memset(n, 0, sizeof *n);
    buf_init(&b);
    n->statement = catalog_element_text(e);
    switch (e->kind) {
    case CK_SPEC:
        n->type = e->spec->is_common ? NT_COMMON : NT_SPEC;
        n->name = e->spec->name;
        n->statement = e->spec->description;
        buf_puts(&b, spec);
        break;
    case CK_AREA:
        n->type = NT_AREA;
        n->name = e->area->name;
        buf_puts(&b, e->area->name);
        break;
    case CK_LEVEL:
        n->type = NT_LEVEL;
        n->parent = e->spec->id;
        buf_printf(&b, "%s レベル%d", spec, e->level->level);
        break;
    case CK_RESPONSIBILITY:
        n->type = NT_RESPONSIBILITY;
        n->parent = e->level->id;
        buf_printf(&b, "%s レベル%d 責任性", spec, e->level->level);
        break;
    case CK_CRITERION:
        n->type = NT_CRITERION;
        n->parent = e->level->id;
        buf_printf(&b, "%s レベル%d %s", spec, e->level->level, catalog_criterion_label(e->criterion->kind));
        break;
    case CK_CHECK_ITEM:
        n->type = NT_CHECK_ITEM;
        n->parent = e->criterion->id;
        buf_printf(&b, "%s レベル%d %s %d", spec, e->level->level, catalog_criterion_label(e->criterion->kind),
                   e->index + 1);
        break;
    case CK_SPEC_AREA:
        n->type = NT_SPEC_AREA;
        n->parent = e->spec->id;
        n->name = e->area->name;
        n->statement = NULL;
        buf_printf(&b, "%s %s", spec, e->area->name);
        break;
    case CK_PROFICIENCY:
        n->type = NT_PROFICIENCY;
        n->parent = e->spec_area->id;
        buf_printf(&b, "%s %s レベル%d", spec, e->area->name, e->proficiency->level);
        break;
    case CK_KNOWLEDGE_CATEGORY:
        n->type = NT_CATEGORY;
        n->parent = e->spec_area->id;
        n->name = e->category->name;
        buf_printf(&b, "%s %s %s", spec, e->area->name, e->category->name);
        break;
    case CK_KNOWLEDGE_ITEM:
        n->type = NT_KNOWLEDGE_ITEM;
        n->parent = e->category->id;
        buf_printf(&b, "%s %s %s %d", spec, e->area->name, e->category->name, e->index + 1);
        break;
    default:
        buf_free(&b);
        return 0;
    }
    n->label = buf_detach(&b);
    return 1;
}

/* Frees what node_of() allocated. */
static void node_done(node *n)
{
    free(n->label);
    n->label = NULL;
}

/* The remarks on element id: the texts under a criterion (its notes) and the
 * catalog's notes about id, one per line; NULL when there are none. Caller frees. */
static char *notes_about(const catalog *c, const catalog_element *e, const char *id)
{
    buf b;
    buf_init(&b);
    if (e && e->kind == CK_CRITERION)
        for (size_t i = 0; i < e->criterion->n_notes; i++)
            buf_printf(&b, "%s%s", b.len ? "\n" : "", e->criterion->notes[i].text);
    for (size_t i = 0; i < catalog_note_count(c); i++) {
        const catalog_note *n = catalog_note_at(c, i);
        if (strcmp(n->about, id) == 0)
            buf_printf(&b, "%s%s", b.len ? "\n" : "", n->text);
    }
    if (!b.len) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* ---- CASE 1.1 ---- */

char *catalog_case_uuid(const catalog *c, const char *id, char out[UUID_STR_LEN])
{
    buf name;
    buf_init(&name);
    buf_printf(&name, "urn:itss:%s", catalog_id(c));
    if (id)
        buf_printf(&name, ":%s", id);
    uuid_v5(uuid_namespace_url, name.data, out);
    buf_free(&name);
    return out;
}

/* What a package is being written with. */
typedef struct case_ctx {
    const catalog *c;
    const char *base;          /* base URI or NULL */
    const char *changed;
    char doc_uuid[UUID_STR_LEN];
    char type_uuid[NT_COUNT][UUID_STR_LEN];
} case_ctx;

/* The uri of an object of class `cls` (CFItems...) with identifier uuid. */
static json_t *case_uri(const case_ctx *x, const char *cls, const char *uuid)
{
    buf b;
    buf_init(&b);
    if (x->base)
        buf_printf(&b, "%s/ims/case/v1p1/%s/%s", x->base, cls, uuid);
    else
        buf_printf(&b, "urn:uuid:%s", uuid);
    json_t *s = json_string(b.data);
    buf_free(&b);
    return s;
}

/* A LinkURI / LinkGenURI object: {title, identifier, uri}. */
static json_t *case_link(const case_ctx *x, const char *cls, const char *uuid, const char *title)
{
    return json_pack("{s:s, s:s, s:o}", "title", title, "identifier", uuid, "uri", case_uri(x, cls, uuid));
}

/* The CFDocument: the catalog, with the job category's overview. */
static json_t *case_document(const case_ctx *x)
{
    const catalog *c = x->c;
    json_t *d = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                          "identifier", x->doc_uuid, "uri", case_uri(x, "CFDocuments", x->doc_uuid),
                          "caseVersion", "1.1", "creator", catalog_source_publisher(c),
                          "title", catalog_title(c), "lastChangeDateTime", x->changed,
                          "publisher", catalog_source_publisher(c), "description", catalog_job_overview(c),
                          "language", "ja", "version", catalog_version(c), "adoptionStatus", "Adopted");
    buf n;
    buf_init(&n);
    buf_printf(&n, "%s (%s)", catalog_source_document(c), catalog_id(c));
    char *remarks = notes_about(c, NULL, catalog_id(c));
    if (remarks)
        buf_printf(&n, "\n%s", remarks);
    json_object_set_new(d, "notes", json_string(n.data));
    free(remarks);
    buf_free(&n);
    json_object_set_new(d, "subject", json_pack("[s]", catalog_job_name(c)));
    return d;
}

/* One isChildOf (or other) association from the element `from` to `to` (NULL:
 * the document). */
static json_t *case_association(const case_ctx *x, const char *type, const char *from, const char *from_title,
                                const char *to, const char *to_title, int seq)
{
    char from_uuid[UUID_STR_LEN], to_uuid[UUID_STR_LEN], uuid[UUID_STR_LEN];
    buf name;
    buf_init(&name);
    buf_printf(&name, "association:%s:%s:%s", from, type, to ? to : catalog_id(x->c));
    catalog_case_uuid(x->c, name.data, uuid);
    buf_free(&name);
    catalog_case_uuid(x->c, from, from_uuid);
    if (to)
        catalog_case_uuid(x->c, to, to_uuid);
    json_t *a = json_pack("{s:s, s:s, s:o, s:o, s:o, s:s}", "identifier", uuid, "associationType", type,
                          "uri", case_uri(x, "CFAssociations", uuid),
                          "originNodeURI", case_link(x, "CFItems", from_uuid, from_title),
                          "destinationNodeURI", to ? case_link(x, "CFItems", to_uuid, to_title)
                                                   : case_link(x, "CFDocuments", x->doc_uuid, catalog_title(x->c)),
                          "lastChangeDateTime", x->changed);
    if (seq > 0)
        json_object_set_new(a, "sequenceNumber", json_integer(seq));
    return a;
}

/* The label of the element `id` (for the title of an association's end). */
static char *label_of(const catalog *c, const char *id)
{
    catalog_element e;
    node n;
    if (!catalog_find(c, id, &e) || !node_of(&e, &n))
        return strdup(id);
    return n.label;
}

json_t *catalog_case_package(const catalog *c, const char *base_uri, const char *changed)
{
    case_ctx x = { c, base_uri, changed, "", { "" } };
    char uuid[UUID_STR_LEN];
    catalog_case_uuid(c, NULL, x.doc_uuid);
    json_t *types = json_array();
    for (int t = 0; t < NT_COUNT; t++) {
        buf name;
        buf_init(&name);
        buf_printf(&name, "itemtype:%s", node_types[t].code);
        catalog_case_uuid(c, name.data, x.type_uuid[t]);
        buf_free(&name);
        json_array_append_new(types, json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s}",
                                               "identifier", x.type_uuid[t],
                                               "uri", case_uri(&x, "CFItemTypes", x.type_uuid[t]),
                                               "title", node_types[t].title,
                                               "description", node_types[t].description,
                                               "hierarchyCode", node_types[t].code, "typeCode", node_types[t].code,
                                               "lastChangeDateTime", changed));
    }

    json_t *items = json_array(), *assocs = json_array();
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *e = catalog_element_at(c, i);
        node n;
        if (!node_of(e, &n))
            continue;
        catalog_case_uuid(c, e->id, uuid);
        json_t *it = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:s}",
                               "identifier", uuid, "fullStatement", n.statement ? n.statement : n.label,
                               "alternativeLabel", n.label, "uri", case_uri(&x, "CFItems", uuid),
                               "humanCodingScheme", e->id, "CFItemType", node_types[n.type].title,
                               "CFItemTypeURI", case_link(&x, "CFItemTypes", x.type_uuid[n.type],
                                                          node_types[n.type].title),
                               "language", "ja", "lastChangeDateTime", changed);
        if (n.name)
            json_object_set_new(it, "abbreviatedStatement", json_string(n.name));
        if (e->kind != CK_SPEC && e->kind != CK_AREA) {
            char num[16];
            snprintf(num, sizeof num, "%d", e->kind == CK_LEVEL ? e->level->level
                                            : e->kind == CK_PROFICIENCY ? e->proficiency->level : e->index + 1);
            json_object_set_new(it, "listEnumeration", json_string(num));
        }
        char *remarks = notes_about(c, e, e->id);
        if (remarks)
            json_object_set_new(it, "notes", json_string(remarks));
        free(remarks);
        json_array_append_new(items, it);

        char *parent_label = n.parent ? label_of(c, n.parent) : NULL;
        json_array_append_new(assocs, case_association(&x, "isChildOf", e->id, n.label, n.parent, parent_label,
                                                       (int)i + 1));
        free(parent_label);
        /* a specialization's skill area is the job category's skill area */
        if (e->kind == CK_SPEC_AREA)
            json_array_append_new(assocs, case_association(&x, "isRelatedTo", e->id, n.label, e->area->id,
                                                           e->area->name, 0));
        /* a block of common levels belongs to each specialization sharing it */
        if (e->kind == CK_SPEC && e->spec->is_common)
            for (size_t k = 0; k < e->spec->n_shared_by; k++)
                json_array_append_new(assocs, case_association(&x, "isRelatedTo", e->id, n.label,
                                                               e->spec->shared_by[k]->id,
                                                               e->spec->shared_by[k]->name, 0));
        node_done(&n);
    }
    return json_pack("{s:o, s:o, s:o, s:{s:o}}", "CFDocument", case_document(&x), "CFItems", items,
                     "CFAssociations", assocs, "CFDefinitions", "CFItemTypes", types);
}

/* ---- Moodle ---- */

const char *const catalog_moodle_headers[MOODLE_COLUMNS] = {
    "Parent ID number", "ID number", "Short name", "Description", "Description format", "Scale values",
    "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
    "Cross-referenced competency ID numbers", "Exported ID (optional)", "Is framework", "Taxonomy"
};

/* Moodle's FORMAT_PLAIN: the description is shown as the text it is. */
#define MOODLE_FORMAT_PLAIN "2"
/* The framework's scale: an item of the standard is either met or not yet. */
#define MOODLE_SCALE "未達成,達成"
#define MOODLE_SCALE_CONFIG "[{\"scaleid\":\"1\"},{\"id\":1,\"scaledefault\":1,\"proficient\":0}," \
                            "{\"id\":2,\"scaledefault\":0,\"proficient\":1}]"
/* What each depth of the tree is called in Moodle's vocabulary. */
#define MOODLE_TAXONOMY "domain,level,indicator,competency"
#define MOODLE_MAX_NAME 100   /* characters Moodle keeps of an ID number or short name */

/* Appends s cut to at most max characters (UTF-8), as one CSV field. */
static void put_cut(buf *out, const char *s, int max)
{
    size_t i = 0;
    int chars = 0;
    while (s[i] && chars < max) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    char *cut = strndup(s, i);
    buf_csv_field(out, cut);
    free(cut);
}

/* Appends one row of fourteen fields. */
static void moodle_put_row(buf *out, const char *const f[MOODLE_COLUMNS])
{
    for (int i = 0; i < MOODLE_COLUMNS; i++) {
        if (i)
            buf_putc(out, ',');
        if (i == MOODLE_SHORTNAME)
            put_cut(out, f[i] ? f[i] : "", MOODLE_MAX_NAME);
        else
            buf_csv_field(out, f[i] ? f[i] : "");
    }
    buf_putc(out, '\n');
}

void catalog_moodle_csv(buf *out, const catalog *c)
{
    moodle_put_row(out, catalog_moodle_headers);
    const char *fw[MOODLE_COLUMNS] = { "", catalog_id(c), catalog_title(c), catalog_job_overview(c),
                                       MOODLE_FORMAT_PLAIN, MOODLE_SCALE, MOODLE_SCALE_CONFIG, "", "", "", "", "",
                                       "1", MOODLE_TAXONOMY };
    moodle_put_row(out, fw);
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *e = catalog_element_at(c, i);
        node n;
        if (!node_of(e, &n))
            continue;
        buf desc, related;
        buf_init(&desc);
        buf_init(&related);
        buf_puts(&desc, n.statement ? n.statement : n.label);
        if (e->kind == CK_CRITERION)
            for (size_t k = 0; k < e->criterion->n_notes; k++)
                buf_printf(&desc, "\n%s", e->criterion->notes[k].text);
        if (e->kind == CK_SPEC_AREA)
            buf_puts(&related, e->area->id);
        if (e->kind == CK_SPEC && e->spec->is_common)
            for (size_t k = 0; k < e->spec->n_shared_by; k++)
                buf_printf(&related, "%s%s", k ? "," : "", e->spec->shared_by[k]->id);
        const char *row[MOODLE_COLUMNS] = { n.parent ? n.parent : "", e->id, n.label, desc.data ? desc.data : "",
                                            MOODLE_FORMAT_PLAIN, "", "", "", "0", "null",
                                            related.data ? related.data : "", "", "", "" };
        moodle_put_row(out, row);
        buf_free(&desc);
        buf_free(&related);
        node_done(&n);
    }
}

/* Compares two rows by ID number (for qsort and bsearch over row pointers). */
static int row_cmp(const void *a, const void *b)
{
    const moodle_row *const *x = a, *const *y = b;
    return strcmp((*x)->field[MOODLE_IDNUMBER], (*y)->field[MOODLE_IDNUMBER]);
}

/* The row whose ID number is id, in the sorted index, or NULL. */
static moodle_row *row_find(moodle_row **index, size_t n, const char *id)
{
    moodle_row key, *kp = &key, **hit;
    key.field[MOODLE_IDNUMBER] = (char *)id;
    hit = bsearch(&kp, index, n, sizeof *index, row_cmp);
    return hit ? *hit : NULL;
}

void catalog_moodle_free(moodle_framework *f)
{
    for (size_t i = 0; i < f->n_rows; i++)
        for (int k = 0; k < MOODLE_COLUMNS; k++)
            free(f->rows[i].field[k]);
    free(f->rows);
    f->rows = NULL;
    f->n_rows = 0;
}

/* The competencies of f (its rows after the framework's): ID numbers unique,
 * each parent a competency of the file, each reachable from the framework
 * (Moodle drops the others without a word). Errors are added to errors. */
static void check_tree(const moodle_framework *f, const char *where, err_list *errors)
{
    moodle_row **index = f->n_rows > 1 ? malloc((f->n_rows - 1) * sizeof *index) : NULL;
    size_t n = f->n_rows > 1 ? f->n_rows - 1 : 0;
    for (size_t i = 0; i < n; i++)
        index[i] = &f->rows[i + 1];
    if (n)
        qsort(index, n, sizeof *index, row_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(index[i]->field[MOODLE_IDNUMBER], index[i - 1]->field[MOODLE_IDNUMBER]) == 0)
            err_add(errors, where, index[i]->line, 0, "", "ID number '%s' is given twice (also on line %d)",
                    index[i]->field[MOODLE_IDNUMBER], index[i - 1]->line);
    for (size_t i = 1; i < f->n_rows; i++) {
        const moodle_row *m = &f->rows[i];
        const moodle_row *p = m;
        size_t depth = 0;
        while (p && p->field[MOODLE_PARENT][0] && depth <= n) {
            const moodle_row *up = row_find(index, n, p->field[MOODLE_PARENT]);
            if (!up && p == m)
                err_add(errors, where, m->line, 1, "", "parent ID number '%s' names no competency of the file",
                        m->field[MOODLE_PARENT]);
            p = up;
            depth++;
        }
        if (p && depth > n)
            err_add(errors, where, m->line, 1, "", "competency '%s' is its own ancestor", m->field[MOODLE_IDNUMBER]);
    }
    free(index);
}

int catalog_moodle_read(const char *data, size_t len, const char *where, moodle_framework *out, err_list *errors)
{
    err e;
    csv_row row;
    size_t before = errors->count + errors->dropped, cap = 0;
    moodle_framework f = { NULL, 0 };
    csv_reader *r = csv_open_memory(data, len, where, CSV_UTF8, &e);
    if (!r) {
        err_add(errors, e.where, e.line, e.column, "", "%s", e.message);
        return -1;
    }
    int st, header = 1;
    while ((st = csv_next(r, &row, &e)) != CSV_END) {
        if (st == CSV_FATAL || st == CSV_BAD_ROW) {
            err_add(errors, e.where, e.line, e.column, e.path, "%s", e.message);
            if (st == CSV_FATAL)
                break;
            continue;
        }
        if (csv_row_is_blank(&row))
            continue;
        if (row.n_fields != MOODLE_COLUMNS) {
            const csv_field *last = &row.fields[row.n_fields - 1];
            err_add(errors, where, row.line, row.n_fields > MOODLE_COLUMNS ? row.fields[MOODLE_COLUMNS].column
                                                                            : last->column + (int)last->len,
                    "", "a competency framework row has %d fields (the columns of tool_lpimportcsv), not %zu",
                    MOODLE_COLUMNS, row.n_fields);
            header = 0;
            continue;
        }
        if (header) {
            header = 0;
            for (int k = 0; k < MOODLE_COLUMNS; k++)
                if (row.fields[k].len == 0)
                    err_add(errors, where, row.line, row.fields[k].column, "",
                            "header column %d is empty; it is '%s'", k + 1, catalog_moodle_headers[k]);
            continue;
        }
        if (f.n_rows == cap) {
            cap = cap ? 2 * cap : 256;
            moodle_row *grown = realloc(f.rows, cap * sizeof *grown);
            if (!grown)
                abort();
            f.rows = grown;
        }
        moodle_row *m = &f.rows[f.n_rows++];
        m->line = row.line;
        for (int k = 0; k < MOODLE_COLUMNS; k++)
            m->field[k] = strndup(row.fields[k].text, row.fields[k].len);
        int is_fw = m->field[MOODLE_ISFRAMEWORK][0] != '\0' && strcmp(m->field[MOODLE_ISFRAMEWORK], "0") != 0;
        if (is_fw != (f.n_rows == 1))
            err_add(errors, where, row.line, row.fields[MOODLE_ISFRAMEWORK].column, "",
                    is_fw ? "a second framework row (only the first row describes the framework)"
                          : "the first row must describe the framework (Is framework = 1)");
        if (!m->field[MOODLE_IDNUMBER][0])
            err_add(errors, where, row.line, row.fields[MOODLE_IDNUMBER].column, "", "the ID number is empty");
        if (!m->field[MOODLE_SHORTNAME][0])
            err_add(errors, where, row.line, row.fields[MOODLE_SHORTNAME].column, "", "the short name is empty");
        const char *fmt = m->field[MOODLE_DESCRIPTIONFORMAT];
        if (strcmp(fmt, "0") && strcmp(fmt, "1") && strcmp(fmt, "2") && strcmp(fmt, "4"))
            err_add(errors, where, row.line, row.fields[MOODLE_DESCRIPTIONFORMAT].column, "",
                    "description format '%s' is none of Moodle's 0 (Moodle), 1 (HTML), 2 (plain), 4 (Markdown)",
                    fmt);
    }
    csv_close(r);
    if (header)
        err_add(errors, where, 1, 1, "", "the file is empty; it needs the header and the framework row");
    else if (f.n_rows == 0)
        err_add(errors, where, 2, 1, "", "the framework row is missing");

    check_tree(&f, where, errors);
    if (errors->count + errors->dropped > before) {
        catalog_moodle_free(&f);
        return -1;
    }
    *out = f;
    return 0;
}
