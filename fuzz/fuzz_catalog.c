/* fuzz_catalog.c - the catalog loader (src/catalog.h) on any bytes.
 *
 * A catalog file is loaded as a whole or refused with every error at
 * file:line:column and JSON path. A loaded catalog is then used as the rest of
 * itss uses it: every element found again by its id, every specialization by
 * code, id and name, levels, skill areas and common blocks looked up, and, when
 * the built-in policy covers its levels, an assessment answering every element
 * evaluated and explained. */
#include "fuzz.h"
#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "engine.h"
#include "explain.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#define NAME "fuzz-catalog.json"

static err_list *errors;
static policy *builtin_policy;

/* Loads the built-in policy once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    errors = calloc(1, sizeof *errors);
    builtin_policy = errors ? policy_load_builtin(errors) : NULL;
    if (!builtin_policy)
        fuzz_fail("the built-in policy does not load");
    return 0;
}

/* The lookups the command line and the web make of one specialization or block. */
static void use_spec(const catalog *c, const catalog_spec *s)
{
    if (catalog_spec_find(c, s->id) == NULL && !s->is_common)
        fuzz_fail("specialization %s is not found by its id", s->id);
    if (s->code)
        (void)catalog_spec_find(c, s->code);
    if (s->name)
        (void)catalog_spec_find(c, s->name);
    int lo = 0, hi = 0;
    catalog_spec_level_range(c, s, &lo, &hi);
    const catalog_spec *commons[64];
    size_t n = catalog_commons_of(c, s, commons, 64);
    for (size_t i = 0; i < n && i < 64; i++)
        if (!catalog_block_of(commons[i], s))
            fuzz_fail("common block %s of %s is not one of its blocks", commons[i]->id, s->id);
    for (int level = lo - 1; level <= hi + 1; level++) {
        const catalog_level *l = catalog_level_of(c, s, level);
        if (l && l->level != level)
            fuzz_fail("catalog_level_of(%s, %d) gave level %d", s->id, level, l->level);
        for (size_t a = 0; a < catalog_area_count(c); a++) {
            const catalog_spec_area *sa = catalog_spec_area_of(c, s, catalog_area_at(c, a), level);
            if (sa)
                (void)catalog_proficiency_at(sa, level);
        }
    }
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_spec_area *blocks[64];
        (void)catalog_spec_area_blocks(c, s, catalog_area_at(c, a), blocks, 64);
        (void)catalog_spec_area_own(s, catalog_area_at(c, a));
    }
}

/* Every element answered as met (knowledge rated highest), evaluated and explained. */
static void evaluate_all_met(const catalog *c)
{
    assessment *a = assessment_new("E0001", "fuzz", NULL, catalog_id(c), catalog_version(c));
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *el = catalog_element_at(c, i);
        if (el->kind == CK_RESPONSIBILITY || el->kind == CK_CHECK_ITEM || el->kind == CK_PROFICIENCY)
            assessment_set_answer(a, el->id, RATER_SELF, 1, NULL, 0);
        else if (el->kind == CK_KNOWLEDGE_ITEM)
            assessment_set_answer(a, el->id, RATER_SELF, ASSESS_RATING_MAX, NULL, 0);
    }
    engine_result *r = engine_assess(c, builtin_policy, a, RATER_SELF);
    if (r) {
        buf out;
        buf_init(&out);
        explain_text(&out, r, NULL);
        explain_summary(&out, r);
        buf_free(&out);
        engine_result_free(r);
    }
    assessment_free(a);
}

/* One input: loaded and used every way, or refused with placed errors. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(errors, 0, sizeof *errors);
    catalog *c = catalog_load_buffer((const char *)data, size, NAME, errors);
    fuzz_check_refusal("catalog_load_buffer", c == NULL, errors, NAME);
    if (!c)
        return 0;
    if (errors->count)
        fuzz_fail("catalog_load_buffer loaded a catalog and reported %zu errors", errors->count);

    (void)catalog_title(c);
    (void)catalog_job_overview(c);
    if (catalog_level_min(c) > catalog_level_max(c))
        fuzz_fail("levels %d..%d", catalog_level_min(c), catalog_level_max(c));
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *el = catalog_element_at(c, i);
        catalog_element found;
        if (!catalog_find(c, el->id, &found) || found.kind != el->kind || strcmp(found.id, el->id) != 0)
            fuzz_fail("element %s is not found by its id", el->id);
        (void)catalog_element_text(el);
        (void)catalog_kind_name(el->kind);
    }
    for (size_t i = 0; i < catalog_area_count(c); i++) {
        const catalog_area *a = catalog_area_at(c, i);
        (void)catalog_area_find(c, a->id);
        (void)catalog_area_find(c, a->code);
        (void)catalog_area_find(c, a->name);
    }
    for (size_t i = 0; i < catalog_spec_count(c); i++)
        use_spec(c, catalog_spec_at(c, i));
    for (size_t i = 0; i < catalog_common_count(c); i++)
        use_spec(c, catalog_common_at(c, i));
    for (size_t i = 0; i < catalog_note_count(c); i++)
        (void)catalog_note_at(c, i);
    catalog_element none;
    (void)catalog_spec_find(c, "");
    if (catalog_find(c, "", &none))
        fuzz_fail("the empty id names an element");

    memset(errors, 0, sizeof *errors);
    if (policy_check_catalog(builtin_policy, c, errors) == 0)
        evaluate_all_met(c);
    catalog_free(c);
    return 0;
}
