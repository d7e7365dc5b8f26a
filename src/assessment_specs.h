/* assessment_specs.h - which specializations a diagnosis is made in (issue 12,
 * defect 7): the engineer's choice (store_specs.h) when there is one, else the
 * specializations with an answer of their own. One rule for every face: the
 * overview, progress, the submission check, the review and the team's levels
 * all ask here. The HW/SW common levels 1-2 belong to
 * no specialization of their own: answering them alone makes neither HW nor SW
 * diagnosed, unless the person has no answer of any specialization's own (then
 * every specialization sharing an answered block stands, as before the choice
 * existed). */
#ifndef ITSS_ASSESSMENT_SPECS_H
#define ITSS_ASSESSMENT_SPECS_H

#include <stddef.h>
#include "assessment.h"
#include "catalog.h"

/* Sets diagnosed[i] (i < catalog_spec_count(c)) to 1 for each specialization
 * of c that a is diagnosed in, 0 for the others: those whose ids are among
 * chosen[0..n_chosen) when n_chosen > 0 (ids of c that are not specializations
 * are ignored), else as the self answers of a show (above). Returns how many
 * are diagnosed. */
size_t assessment_diagnosed_specs(const catalog *c, const assessment *a, const char *const *chosen,
                                  size_t n_chosen, int *diagnosed);

#endif
