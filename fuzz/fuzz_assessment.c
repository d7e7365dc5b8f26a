/* fuzz_assessment.c - the assessment file reader (src/assessment_json.h) on any
 * bytes, against the built-in catalog (loaded once).
 *
 * A file is read or refused with every error at file:line:column and JSON path.
 * A file that was read is written back: that text must be read again, and
 * written again to the same bytes (what `itss assess --to` writes, `--from`
 * takes). Both raters' answers are then evaluated and explained, as `itss level`
 * and the results page do. */
#include "fuzz.h"
#include "assessment.h"
#include "assessment_json.h"
#include "buf.h"
#include "catalog.h"
#include "engine.h"
#include "explain.h"
#include "policy.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define NAME "fuzz-assessment.json"

static err_list *errors;
static catalog *builtin_catalog;
static policy *builtin_policy;

/* Loads the built-in catalog and policy once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    errors = calloc(1, sizeof *errors);
    builtin_catalog = errors ? catalog_load_builtin(errors) : NULL;
    builtin_policy = builtin_catalog ? policy_load_builtin(errors) : NULL;
    if (!builtin_policy)
        fuzz_fail("the built-in catalog or policy does not load");
    return 0;
}

/* Evaluates the answers of rater and renders the result every way itss shows it. */
static void evaluate(const assessment *a, assessment_rater rater)
{
    engine_result *r = engine_assess(builtin_catalog, builtin_policy, a, rater);
    if (!r)
        fuzz_fail("engine_assess gave no result for an assessment that was read");
    buf out;
    buf_init(&out);
    explain_text(&out, r, NULL);
    explain_summary(&out, r);
    buf_free(&out);
    json_t *j = engine_result_json(r, NULL);
    json_decref(j);
    engine_result_free(r);
}

/* One input: read, or refused with placed errors; then written and read back, and evaluated. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(errors, 0, sizeof *errors);
    assessment *a = assessment_json_parse((const char *)data, size, NAME, builtin_catalog, errors);
    fuzz_check_refusal("assessment_json_parse", a == NULL, errors, NAME);
    if (!a)
        return 0;
    if (errors->count)
        fuzz_fail("assessment_json_parse read the file and reported %zu errors", errors->count);

    buf once, twice;
    buf_init(&once);
    buf_init(&twice);
    assessment_json_write(&once, a, builtin_catalog);
    assessment *again = assessment_json_parse(once.data, once.len, "written.json", builtin_catalog, errors);
    if (!again) {
        char line[1200];
        fuzz_fail("what assessment_json_write wrote is refused: %s\n%s",
                  errors->count ? err_format(&errors->items[0], line, sizeof line) : "", once.data);
    }
    assessment_json_write(&twice, again, builtin_catalog);
    if (once.len != twice.len || memcmp(once.data, twice.data, once.len) != 0)
        fuzz_fail("writing, reading and writing again changed the file:\n%s\n----\n%s", once.data, twice.data);
    buf_free(&once);
    buf_free(&twice);
    assessment_free(again);

    evaluate(a, RATER_SELF);
    evaluate(a, RATER_MANAGER);
    assessment_free(a);
    return 0;
}
