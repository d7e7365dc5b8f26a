/* assessment_json.h - one assessment as a JSON file (docs/assessment-format.md).
 *
 * The format of `itss assess PERSON --from FILE` and `--to FILE`. Reading uses the
 * position-tracking reader (json.h), so every problem is reported with
 * file:line:column and the JSON path; every identifier is checked against the
 * catalog (assessment_json.c). Writing uses jansson with keys in a fixed order
 * (assessment_json_write.c). The jansson type is named struct json_t here so that
 * this header can be included beside json.h. */
#ifndef ITSS_ASSESSMENT_JSON_H
#define ITSS_ASSESSMENT_JSON_H

#include <stddef.h>
#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "err.h"

struct json_t;

#define ASSESSMENT_MAX_FILE (64u * 1024u * 1024u)
#define ASSESSMENT_FORMAT_NAME "itss-assessment"
#define ASSESSMENT_FORMAT_VERSION 1

/* Parses an assessment file held in text (len bytes) for catalog c; name is used
 * in messages. Returns the assessment (the caller frees it with assessment_free)
 * or NULL with every error found in *errors. The file must name c's id and
 * version. No I/O. */
assessment *assessment_json_parse(const char *text, size_t len, const char *name, const catalog *c,
                                  err_list *errors);

/* The assessment as a jansson object (a new reference the caller releases with
 * json_decref). Answers come in catalog order; c is required. */
struct json_t *assessment_json_build(const assessment *a, const catalog *c);

/* One experience record as the file writes it: {"id", "project", "from",
 * "to", "role", "specialization", "level", "complexity", "size", "succeeded",
 * "description"}, with id the given value (taken: the file's record id, or the
 * store's number for the command line and the API). A new reference. */
struct json_t *assessment_experience_json(const assessment_experience *x, struct json_t *id);

/* Appends the file form of a (indented, UTF-8, ending in a newline) to out. */
void assessment_json_write(buf *out, const assessment *a, const catalog *c);

#endif
