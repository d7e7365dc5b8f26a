/* orgcols_status.c - counts over the organization's columns (orgcols.h) that
 * need no levels' detail: assessments by status per unit (the campaign's
 * progress on /home and /hr) and the head count at a level or above (要員計画's
 * actual). One pass over the rows each. */
#include "orgcols_int.h"

#include <stdlib.h>
#include <string.h>

#include "assessment.h"
#include "xalloc.h"

int orgcols_status_by_unit(const orgcols *oc, int64_t cycle_id, int64_t org_unit_id, orgcols_status_units *out)
{
    memset(out, 0, sizeof *out);
    if (!oc)
        return -1;
    oc_buckets b;
    oc_buckets_make(oc, org_unit_id, &b);
    out->n_units = b.n;
    out->unit_ids = xcalloc(b.n + 1, sizeof *out->unit_ids);
    out->direct = xcalloc(b.n + 1, sizeof *out->direct);
    out->people = xcalloc(b.n + 1, sizeof *out->people);
    out->counts = xcalloc((b.n + 1) * ASSESSMENT_STATUS_COUNT, sizeof *out->counts);
    memcpy(out->unit_ids, b.unit_ids, b.n * sizeof *b.unit_ids);
    memcpy(out->direct, b.direct, b.n * sizeof *b.direct);
    memcpy(out->people, b.people, (b.n + 1) * sizeof *b.people);
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        if (r->cycle_id != cycle_id || r->status >= ASSESSMENT_STATUS_COUNT)
            continue;
        long k = oc_row_bucket(oc, &b, r);
        if (k < 0)
            continue;
        if ((size_t)k < b.n)
            out->counts[(size_t)k * ASSESSMENT_STATUS_COUNT + r->status]++;
        out->counts[b.n * ASSESSMENT_STATUS_COUNT + r->status]++;
    }
    oc_buckets_free(&b);
    return 0;
}

void orgcols_status_units_free(orgcols_status_units *s)
{
    free(s->unit_ids);
    free(s->direct);
    free(s->people);
    free(s->counts);
    memset(s, 0, sizeof *s);
}

int64_t orgcols_at_least(const orgcols *oc, const orgcols_scope *sc, size_t spec, int level)
{
    if (!oc || spec >= oc->n_specs)
        return 0;
    oc_buckets b;
    oc_buckets_make(oc, sc->org_unit_id, &b);
    int64_t n = 0;
    for (size_t i = 0; i < oc->n_rows; i++) {
        const orgcols_row *r = &oc->rows[i];
        const signed char *lv = oc_scope_levels(sc, r, sc->cycle_id);
        if (lv && lv[spec] >= level && oc_row_bucket(oc, &b, r) >= 0)
            n++;
    }
    oc_buckets_free(&b);
    return n;
}
