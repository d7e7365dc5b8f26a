/* fuzz_policy.c - the level-determination policy parser (src/policy.h) on any
 * bytes. A policy is parsed or refused with every error at file:line:column and
 * JSON path; a parsed one is checked against the built-in catalog and asked for
 * every threshold, and, when it covers the catalog, drives an evaluation. */
#include "fuzz.h"
#include "assessment.h"
#include "catalog.h"
#include "engine.h"
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#define NAME "fuzz-policy.json"

static err_list *errors;
static catalog *builtin_catalog;
static assessment *sample;

/* Loads the built-in catalog once and an assessment answering every other element. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    errors = calloc(1, sizeof *errors);
    builtin_catalog = errors ? catalog_load_builtin(errors) : NULL;
    if (!builtin_catalog)
        fuzz_fail("the built-in catalog does not load");
    /* Every other element met: some levels reached, some not. */
    sample = assessment_new("E0001", "fuzz", NULL, catalog_id(builtin_catalog), catalog_version(builtin_catalog));
    for (size_t i = 0; i < catalog_element_count(builtin_catalog); i++) {
        const catalog_element *el = catalog_element_at(builtin_catalog, i);
        if (el->kind == CK_RESPONSIBILITY || el->kind == CK_CHECK_ITEM || el->kind == CK_PROFICIENCY)
            assessment_set_answer(sample, el->id, RATER_SELF, (int)(i % 2), NULL, 0);
        else if (el->kind == CK_KNOWLEDGE_ITEM)
            assessment_set_answer(sample, el->id, RATER_SELF, (int)(i % 5), NULL, 0);
    }
    return 0;
}

/* One input: a policy asked for every threshold and checked against the catalog, or a refusal. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(errors, 0, sizeof *errors);
    policy *p = policy_parse((const char *)data, size, NAME, errors);
    fuzz_check_refusal("policy_parse", p == NULL, errors, NAME);
    if (!p)
        return 0;
    if (errors->count)
        fuzz_fail("policy_parse returned a policy and reported %zu errors", errors->count);
    for (int level = -1; level <= POLICY_MAX_LEVEL + 1; level++) {
        for (int k = 0; k < CRITERION_KINDS; k++)
            for (size_t listed = 0; listed < 4; listed++) {
                int n = policy_required_items(p, (catalog_criterion_kind)k, level, listed);
                if (n > (int)listed)
                    fuzz_fail("policy_required_items asks %d of %zu listed items", n, listed);
            }
        (void)policy_required_records(p, level);
    }
    memset(errors, 0, sizeof *errors);
    int gaps = policy_check_catalog(p, builtin_catalog, errors);
    fuzz_check_refusal("policy_check_catalog", gaps != 0, errors, NULL);
    if (gaps == 0) {
        engine_result *r = engine_assess(builtin_catalog, p, sample, RATER_SELF);
        engine_result_free(r);
    }
    policy_free(p);
    return 0;
}
