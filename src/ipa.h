/* ipa.h - the IPA examinations (情報処理技術者試験) and the ITSS level each
 * corresponds to, as data: catalog/ipa-exams.json (built in), which names its
 * source. A passed examination is supporting evidence shown beside a person's
 * levels; it never stands in for the achievement indicators. */
#ifndef ITSS_IPA_H
#define ITSS_IPA_H

#include <stddef.h>
#include "err.h"

typedef struct ipa_exam {
    const char *code;          /* "FE" */
    const char *name;          /* 基本情報技術者試験 */
    int level;                 /* the ITSS level it corresponds to */
} ipa_exam;

typedef struct ipa_exams ipa_exams;

/* The built-in table; NULL with *e filled when it does not read (a build error). */
ipa_exams *ipa_exams_builtin(err *e);
void ipa_exams_free(ipa_exams *x);
size_t ipa_exam_count(const ipa_exams *x);
const ipa_exam *ipa_exam_at(const ipa_exams *x, size_t i);
/* The examination with that code (ASCII case ignored) or exact name, or NULL. */
const ipa_exam *ipa_exam_find(const ipa_exams *x, const char *code_or_name);
/* The source the table names: "publisher: document". Belongs to x. */
const char *ipa_exams_source(const ipa_exams *x);

#endif
