/* assessment_specs.c - which specializations a diagnosis is made in
 * (assessment_specs.h). */
#include "assessment_specs.h"

#include <string.h>

/* The specialization or common block a self answer is about, or NULL (another
 * rater, an element the catalog does not have or that belongs to none). */
static const catalog_spec *self_owner(const catalog *c, const assessment_answer *x)
{
    catalog_element el;
    if (x->rater != RATER_SELF || !catalog_find(c, x->element_id, &el))
        return NULL;
    if (el.spec)
        return el.spec;
    return el.spec_area ? el.spec_area->owner : el.level ? el.level->owner : NULL;
}

size_t assessment_diagnosed_specs(const catalog *c, const assessment *a, const char *const *chosen,
                                  size_t n_chosen, int *diagnosed)
{
    size_t n_specs = catalog_spec_count(c), n = 0;
    for (size_t i = 0; i < n_specs; i++)
        diagnosed[i] = 0;
    if (n_chosen > 0) {
        for (size_t i = 0; i < n_specs; i++)
            for (size_t k = 0; k < n_chosen && !diagnosed[i]; k++)
                diagnosed[i] = strcmp(catalog_spec_at(c, i)->id, chosen[k]) == 0;
    } else {
        /* Own answers first; the shared blocks only when there is none at all. */
        int any_own = 0;
        for (int pass = 0; pass < 2 && !any_own; pass++)
            for (size_t k = 0; a && k < a->n_answers; k++) {
                const catalog_spec *owner = self_owner(c, &a->answers[k]);
                if (!owner || owner->is_common != pass)
                    continue;
                for (size_t i = 0; i < n_specs; i++)
                    if (catalog_block_of(owner, catalog_spec_at(c, i))) {
                        diagnosed[i] = 1;
                        any_own |= pass == 0;
                    }
            }
    }
    for (size_t i = 0; i < n_specs; i++)
        n += diagnosed[i] != 0;
    return n;
}
