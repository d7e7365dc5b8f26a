/* test_exchange.c - the standard in other systems' formats: name-based UUIDs
 * against published values, the CASE 1.1 package checked object by object
 * against the properties 1EdTech's JSON binding of CASE 1.1 requires and allows
 * (getCFPackage: CFPckgDocument, CFPckgItem, CFPckgAssociation, CFItemType,
 * LinkURI, LinkGenURI), and the Moodle competency-framework CSV checked for the
 * layout tool_lpimportcsv reads and read back through catalog_moodle_read().
 * Every check runs on the built-in catalog and on tests/fixtures/mini-catalog.json,
 * a second job category. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "catalog_exchange.h"
#include "uuid.h"

/* ---- uuid ---- */

/* SHA-1 against FIPS 180 test vectors; UUIDv5 against Python's uuid.uuid5. */
static void test_uuid_known_values(void **state)
{
    (void)state;
    uint8_t d[20];
    char hex[41], u[UUID_STR_LEN];
    uuid_sha1("abc", 3, d);
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    char *a = malloc(1000);
    memset(a, 'a', 1000);
    uuid_sha1(a, 1000, d);
    free(a);
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    /* python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'urn:itss:itss-customer-service:CS.HW.L4.complexity.3'))" */
    assert_string_equal(uuid_v5(uuid_namespace_url, "urn:itss:itss-customer-service:CS.HW.L4.complexity.3", u),
                        "4716a381-a5f4-563e-8129-e8b2330193ed");
    static const uint8_t ns_dns[16] = { 0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                        0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 };
    assert_string_equal(uuid_v5(ns_dns, "python.org", u), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

/* ---- CASE ---- */

static catalog *load(const char *path)
{
    err_list errs = { .count = 0 };
    catalog *c = path ? catalog_load_file(path, &errs) : catalog_load_builtin(&errs);
    if (!c)
        fail_msg("catalog %s does not load", path ? path : "(built-in)");
    return c;
}

/* An object's properties: the ones it must have and the ones it may have
 * besides, as the CASE 1.1 JSON binding lists them. */
typedef struct shape {
    const char *name;
    const char *const *required;
    const char *const *optional;
} shape;

static const char *const doc_req[] = { "identifier", "uri", "creator", "title", "lastChangeDateTime", NULL };
static const char *const doc_opt[] = { "frameworkType", "caseVersion", "officialSourceURL", "publisher",
    "description", "subject", "subjectURI", "language", "version", "adoptionStatus", "statusStartDate",
    "statusEndDate", "licenseURI", "notes", "extensions", NULL };
static const char *const item_req[] = { "identifier", "fullStatement", "uri", "lastChangeDateTime", NULL };
static const char *const item_opt[] = { "alternativeLabel", "CFItemType", "humanCodingScheme", "listEnumeration",
    "abbreviatedStatement", "conceptKeywords", "conceptKeywordsURI", "notes", "subject", "subjectURI", "language",
    "educationLevel", "CFItemTypeURI", "licenseURI", "statusStartDate", "statusEndDate", "extensions", NULL };
static const char *const assoc_req[] = { "identifier", "associationType", "uri", "originNodeURI",
    "destinationNodeURI", "lastChangeDateTime", NULL };
static const char *const assoc_opt[] = { "sequenceNumber", "CFAssociationGroupingURI", "notes", "extensions", NULL };
static const char *const type_req[] = { "identifier", "uri", "title", "description", "hierarchyCode",
    "lastChangeDateTime", NULL };
static const char *const type_opt[] = { "typeCode", "extensions", NULL };
static const char *const link_req[] = { "title", "identifier", "uri", NULL };
static const char *const linkgen_opt[] = { "targetType", NULL };
static const char *const none[] = { NULL };
static const char *const pkg_req[] = { "CFDocument", NULL };
static const char *const pkg_opt[] = { "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics", "extensions", NULL };
static const char *const def_opt[] = { "CFConcepts", "CFSubjects", "CFLicenses", "CFItemTypes",
    "CFAssociationGroupings", "extensions", NULL };

static const shape DOC = { "CFDocument", doc_req, doc_opt }, ITEM = { "CFItem", item_req, item_opt },
                   ASSOC = { "CFAssociation", assoc_req, assoc_opt }, TYPE = { "CFItemType", type_req, type_opt },
                   LINK = { "LinkURI", link_req, none }, LINKGEN = { "LinkGenURI", link_req, linkgen_opt },
                   PKG = { "CFPackage", pkg_req, pkg_opt }, DEFS = { "CFDefinitions", none, def_opt };

static int listed(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return 1;
    return 0;
}

static regex_t re_uuid, re_datetime, re_uri;

/* Every required property present (a string of text where the binding says
 * string), no property the binding does not define, identifiers UUIDs, uris
 * URIs, timestamps date-times. */
static void check_shape(const json_t *o, const shape *s, const char *where)
{
    const char *key;
    json_t *v;
    if (!json_is_object(o))
        fail_msg("%s: %s is not an object", where, s->name);
    for (const char *const *r = s->required; *r; r++)
        if (!json_object_get(o, *r))
            fail_msg("%s: %s lacks required property %s", where, s->name, *r);
    json_object_foreach((json_t *)o, key, v) {
        if (!listed(s->required, key) && !listed(s->optional, key))
            fail_msg("%s: %s has %s, which CASE 1.1 does not define for it", where, s->name, key);
        if (json_is_string(v) && json_string_length(v) == 0)
            fail_msg("%s: %s.%s is empty", where, s->name, key);
    }
    json_t *id = json_object_get(o, "identifier");
    if (id && (!json_is_string(id) || regexec(&re_uuid, json_string_value(id), 0, NULL, 0) != 0))
        fail_msg("%s: %s.identifier is not a lower-case UUID", where, s->name);
    json_t *uri = json_object_get(o, "uri");
    if (uri && (!json_is_string(uri) || regexec(&re_uri, json_string_value(uri), 0, NULL, 0) != 0))
        fail_msg("%s: %s.uri '%s' is not a URI", where, s->name, json_string_value(uri));
    json_t *t = json_object_get(o, "lastChangeDateTime");
    if (t && (!json_is_string(t) || regexec(&re_datetime, json_string_value(t), 0, NULL, 0) != 0))
        fail_msg("%s: %s.lastChangeDateTime is not a date-time", where, s->name);
}

/* The identifier of the object of array arr whose identifier is id, or NULL. */
static json_t *by_identifier(json_t *arr, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
        if (strcmp(json_string_value(json_object_get(v, "identifier")), id) == 0)
            return v;
    return NULL;
}

/* The package of the catalog at path: every object's shape, every link's end
 * in the package, one item per element with its wording, the isChildOf tree
 * reaching the document from every item. */
static void check_case(const char *path)
{
    catalog *c = load(path);
    json_t *p = catalog_case_package(c, path ? NULL : "https://itss.example/case", "2026-12-06T10:00:00Z");
    assert_non_null(p);
    check_shape(p, &PKG, "package");
    json_t *doc = json_object_get(p, "CFDocument"), *items = json_object_get(p, "CFItems"),
           *assocs = json_object_get(p, "CFAssociations"), *defs = json_object_get(p, "CFDefinitions");
    check_shape(doc, &DOC, "CFDocument");
    check_shape(defs, &DEFS, "CFDefinitions");
    json_t *types = json_object_get(defs, "CFItemTypes");
    assert_true(json_array_size(types) >= 6);
    size_t i;
    json_t *v;
    json_array_foreach(types, i, v)
        check_shape(v, &TYPE, "CFItemTypes[]");
    const char *doc_id = json_string_value(json_object_get(doc, "identifier"));
    assert_string_equal(json_string_value(json_object_get(doc, "title")), catalog_title(c));

    /* the kinds the issue names each have an item type */
    const char *wanted[] = { "specialization", "level", "criterion", "check_item", "skill_area",
                             "knowledge_category", "knowledge_item", NULL };
    for (const char **w = wanted; *w; w++) {
        int found = 0;
        json_array_foreach(types, i, v)
            found |= strcmp(json_string_value(json_object_get(v, "hierarchyCode")), *w) == 0;
        if (!found)
            fail_msg("no CFItemType for %s", *w);
    }

    /* items: shape, type link inside the package, one per element, wording kept */
    size_t expected = 0;
    for (size_t k = 0; k < catalog_element_count(c); k++) {
        catalog_kind kind = catalog_element_at(c, k)->kind;
        expected += kind != CK_JOB && kind != CK_NOTE && kind != CK_CRITERION_NOTE;
    }
    assert_int_equal(json_array_size(items), expected);
    json_array_foreach(items, i, v) {
        char where[128], u[UUID_STR_LEN];
        const char *code = json_string_value(json_object_get(v, "humanCodingScheme"));
        snprintf(where, sizeof where, "CFItems[%zu] (%s)", i, code ? code : "?");
        check_shape(v, &ITEM, where);
        json_t *tl = json_object_get(v, "CFItemTypeURI");
        check_shape(tl, &LINK, where);
        assert_non_null(by_identifier(types, json_string_value(json_object_get(tl, "identifier"))));
        catalog_element e;
        assert_true(catalog_find(c, code, &e));
        assert_string_equal(json_string_value(json_object_get(v, "identifier")), catalog_case_uuid(c, code, u));
        const char *text = catalog_element_text(&e);
        if (e.kind != CK_LEVEL && e.kind != CK_SPEC_AREA && text)
            assert_string_equal(json_string_value(json_object_get(v, "fullStatement")), text);
        for (size_t k = 0; k < i; k++)
            if (strcmp(json_string_value(json_object_get(json_array_get(items, k), "identifier")),
                       json_string_value(json_object_get(v, "identifier"))) == 0)
                fail_msg("%s: identifier given twice", where);
    }

    /* associations: shape, both ends in the package, one parent per item */
    size_t n_items = json_array_size(items);
    int *parents = calloc(n_items, sizeof *parents);
    json_array_foreach(assocs, i, v) {
        char where[64];
        snprintf(where, sizeof where, "CFAssociations[%zu]", i);
        check_shape(v, &ASSOC, where);
        json_t *o = json_object_get(v, "originNodeURI"), *d = json_object_get(v, "destinationNodeURI");
        check_shape(o, &LINKGEN, where);
        check_shape(d, &LINKGEN, where);
        const char *type = json_string_value(json_object_get(v, "associationType"));
        const char *const types11[] = { "isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes",
            "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel", "isTranslationOf", NULL };
        assert_true(listed(types11, type));
        const char *oid = json_string_value(json_object_get(o, "identifier"));
        const char *did = json_string_value(json_object_get(d, "identifier"));
        json_t *oi = by_identifier(items, oid), *di = by_identifier(items, did);
        if (!oi)
            fail_msg("%s: origin %s is no item of the package", where, oid);
        if (!di && strcmp(did, doc_id) != 0)
            fail_msg("%s: destination %s is neither an item nor the document", where, did);
        assert_string_equal(json_string_value(json_object_get(o, "uri")),
                            json_string_value(json_object_get(oi, "uri")));
        assert_string_equal(json_string_value(json_object_get(d, "uri")),
                            json_string_value(json_object_get(di ? di : doc, "uri")));
        if (strcmp(type, "isChildOf") == 0)
            for (size_t k = 0; k < n_items; k++)
                if (json_array_get(items, k) == oi)
                    parents[k]++;
    }
    for (size_t k = 0; k < n_items; k++)
        if (parents[k] != 1)
            fail_msg("CFItems[%zu] has %d isChildOf associations, not 1", k, parents[k]);
    free(parents);

    /* from every item, isChildOf leads to the document in at most 6 steps */
    json_array_foreach(items, i, v) {
        const char *at = json_string_value(json_object_get(v, "identifier"));
        int steps = 0;
        while (strcmp(at, doc_id) != 0 && steps++ < 6) {
            size_t k;
            json_t *a;
            const char *next = NULL;
            json_array_foreach(assocs, k, a)
                if (strcmp(json_string_value(json_object_get(a, "associationType")), "isChildOf") == 0 &&
                    strcmp(json_string_value(json_object_get(json_object_get(a, "originNodeURI"), "identifier")),
                           at) == 0)
                    next = json_string_value(json_object_get(json_object_get(a, "destinationNodeURI"),
                                                             "identifier"));
            assert_non_null(next);
            at = next;
        }
        assert_string_equal(at, doc_id);
    }

    /* the same catalog gives the same identifiers */
    json_t *again = catalog_case_package(c, NULL, "2027-01-01T00:00:00Z");
    assert_string_equal(json_string_value(json_object_get(json_object_get(again, "CFDocument"), "identifier")),
                        doc_id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(again, "CFItems"), 5),
                                                          "identifier")),
                        json_string_value(json_object_get(json_array_get(items, 5), "identifier")));
    json_decref(again);
    json_decref(p);
    catalog_free(c);
}

static void test_case_builtin(void **state)
{
    (void)state;
    check_case(NULL);
}

static void test_case_mini(void **state)
{
    (void)state;
    check_case("tests/fixtures/mini-catalog.json");
}

/* With a base URI, uris are CASE service URLs under it. */
static void test_case_base_uri(void **state)
{
    (void)state;
    catalog *c = load(NULL);
    json_t *p = catalog_case_package(c, "https://itss.example/case", "2026-12-06T10:00:00Z");
    const char *u = json_string_value(json_object_get(json_array_get(json_object_get(p, "CFItems"), 0), "uri"));
    assert_true(strncmp(u, "https://itss.example/case/ims/case/v1p1/CFItems/", 48) == 0);
    json_decref(p);
    catalog_free(c);
}

/* ---- Moodle ---- */

/* Characters (not bytes) of a UTF-8 string. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The parent id an element hangs under in a framework (NULL: the framework). */
static const char *parent_of(const catalog_element *e)
{
    switch (e->kind) {
    case CK_LEVEL: case CK_SPEC_AREA: return e->spec->id;
    case CK_RESPONSIBILITY: case CK_CRITERION: return e->level->id;
    case CK_CHECK_ITEM: return e->criterion->id;
    case CK_PROFICIENCY: case CK_KNOWLEDGE_CATEGORY: return e->spec_area->id;
    case CK_KNOWLEDGE_ITEM: return e->category->id;
    default: return NULL;
    }
}

static void check_moodle(const char *path)
{
    catalog *c = load(path);
    buf out;
    buf_init(&out);
    catalog_moodle_csv(&out, c);
    /* the header Moodle writes and reads, in its order, no BOM */
    const char *header = "Parent ID number,ID number,Short name,Description,Description format,Scale values,"
                         "Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),"
                         "Cross-referenced competency ID numbers,Exported ID (optional),Is framework,Taxonomy\n";
    assert_true(strncmp(out.data, header, strlen(header)) == 0);

    err_list *errs = calloc(1, sizeof *errs);
    moodle_framework f;
    if (catalog_moodle_read(out.data, out.len, "export.csv", &f, errs) != 0) {
        char line[1200];
        fail_msg("%s", err_format(&errs->items[0], line, sizeof line));
    }
    assert_string_equal(f.rows[0].field[MOODLE_ISFRAMEWORK], "1");
    assert_string_equal(f.rows[0].field[MOODLE_IDNUMBER], catalog_id(c));
    assert_string_equal(f.rows[0].field[MOODLE_SCALEVALUES], "未達成,達成");
    json_error_t je;
    json_t *cfg = json_loads(f.rows[0].field[MOODLE_SCALECONFIGURATION], 0, &je);
    assert_non_null(cfg);   /* Moodle json_decodes it and sets [0]->scaleid */
    assert_non_null(json_object_get(json_array_get(cfg, 0), "scaleid"));
    json_decref(cfg);

    size_t n = 0;
    for (size_t k = 0; k < catalog_element_count(c); k++) {
        const catalog_element *e = catalog_element_at(c, k);
        if (e->kind == CK_JOB || e->kind == CK_NOTE || e->kind == CK_CRITERION_NOTE)
            continue;
        n++;
        assert_true(n < f.n_rows);
        const moodle_row *r = &f.rows[n];
        assert_string_equal(r->field[MOODLE_IDNUMBER], e->id);
        const char *parent = parent_of(e);
        assert_string_equal(r->field[MOODLE_PARENT], parent ? parent : "");
        assert_true(chars(r->field[MOODLE_SHORTNAME]) <= 100 && chars(r->field[MOODLE_SHORTNAME]) > 0);
        assert_true(strlen(r->field[MOODLE_IDNUMBER]) <= 100);
        const char *text = catalog_element_text(e);
        if (e->kind != CK_LEVEL && e->kind != CK_SPEC_AREA && text)   /* the wording, exactly, first */
            assert_true(strncmp(r->field[MOODLE_DESCRIPTION], text, strlen(text)) == 0);
        assert_string_equal(r->field[MOODLE_ISFRAMEWORK], "");
        if (e->kind == CK_SPEC_AREA)
            assert_string_equal(r->field[MOODLE_RELATED], e->area->id);
    }
    assert_int_equal(f.n_rows, n + 1);
    catalog_moodle_free(&f);
    free(errs);
    buf_free(&out);
    catalog_free(c);
}

static void test_moodle_builtin(void **state)
{
    (void)state;
    check_moodle(NULL);
}

static void test_moodle_mini(void **state)
{
    (void)state;
    check_moodle("tests/fixtures/mini-catalog.json");
}

/* Broken files: each problem with its line and column, nothing given back. */
static void test_moodle_read_errors(void **state)
{
    (void)state;
    static const char head[] = "a,b,c,d,e,f,g,h,i,j,k,l,m,n\n";
    static const char fw[] = ",FW,枠組み,,2,\"x,y\",[],,,,,,1,\n";
    struct { const char *body; int line, column; const char *says; } cases[] = {
        { ",A,名前,説明,2,,,,0,null,,,,\n,B,名前,説明,2,,,,0,null,,,\n", 4, 0, "14 fields" },
        { "Z,A,名前,説明,2,,,,0,null,,,,\n", 3, 1, "names no competency" },
        { ",A,名前,説明,2,,,,0,null,,,,\n,A,名前,説明,2,,,,0,null,,,,\n", 4, 0, "given twice" },
        { ",A,名前,説明,9,,,,0,null,,,,\n", 3, 10, "description format" },
        { ",A,,説明,2,,,,0,null,,,,\n", 3, 4, "short name is empty" },
        { ",A,名前,説明,2,,,,0,null,,,1,\n", 3, 0, "second framework" },
        { "B,A,名前,説明,2,,,,0,null,,,,\nA,B,名前,説明,2,,,,0,null,,,,\n", 3, 0, "own ancestor" },
        { ",A,\"名前,説明,2,,,,0,null,,,,\n", 3, 4, "never closed" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s%s%s", head, fw, cases[i].body);
        err_list *errs = calloc(1, sizeof *errs);
        moodle_framework f = { NULL, 0 };
        assert_int_equal(catalog_moodle_read(text, strlen(text), "f.csv", &f, errs), -1);
        assert_null(f.rows);
        int found = 0;
        for (size_t k = 0; k < errs->count; k++) {
            const err *e = &errs->items[k];
            if (strstr(e->message, cases[i].says) && e->line == cases[i].line &&
                (cases[i].column == 0 || e->column == cases[i].column) && strcmp(e->where, "f.csv") == 0)
                found = 1;
        }
        if (!found) {
            char line[1200];
            fail_msg("case %zu: expected '%s' at %d:%d, got %s", i, cases[i].says, cases[i].line, cases[i].column,
                     errs->count ? err_format(&errs->items[0], line, sizeof line) : "nothing");
        }
        free(errs);
    }
    /* no framework row */
    err_list *errs = calloc(1, sizeof *errs);
    moodle_framework f;
    assert_int_equal(catalog_moodle_read(head, strlen(head), "f.csv", &f, errs), -1);
    assert_non_null(strstr(errs->items[0].message, "framework row is missing"));
    free(errs);
}

int main(void)
{
    regcomp(&re_uuid, "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[8-9a-b][0-9a-f]{3}-[0-9a-f]{12}$", REG_EXTENDED);
    regcomp(&re_datetime, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$",
            REG_EXTENDED);
    regcomp(&re_uri, "^[A-Za-z][A-Za-z0-9+.-]*:[^ ]+$", REG_EXTENDED);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid_known_values),
        cmocka_unit_test(test_case_builtin),
        cmocka_unit_test(test_case_mini),
        cmocka_unit_test(test_case_base_uri),
        cmocka_unit_test(test_moodle_builtin),
        cmocka_unit_test(test_moodle_mini),
        cmocka_unit_test(test_moodle_read_errors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    regfree(&re_uuid);
    regfree(&re_datetime);
    regfree(&re_uri);
    return rc;
}
