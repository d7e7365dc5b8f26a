/* portfolio.c - 人材ポートフォリオ counts (see portfolio.h). */
#include "portfolio.h"

#include <stdlib.h>
#include <string.h>

/* calloc that aborts when out of memory (never asked for 0 bytes). */
static void *zeroed(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

void portfolio_init(portfolio *p, size_t n_specs, int n_levels)
{
    memset(p, 0, sizeof *p);
    p->n_specs = n_specs;
    p->n_levels = n_levels;
    p->counts = zeroed(n_specs * (size_t)n_levels, sizeof *p->counts);
    p->up = zeroed(n_specs, sizeof *p->up);
    p->same = zeroed(n_specs, sizeof *p->same);
    p->down = zeroed(n_specs, sizeof *p->down);
}

void portfolio_free(portfolio *p)
{
    free(p->counts);
    free(p->up);
    free(p->same);
    free(p->down);
    memset(p, 0, sizeof *p);
}

void portfolio_count(portfolio *p, const store_assessment_list *now, const int *levels)
{
    size_t n_specs = p->n_specs;
    int n_levels = p->n_levels;
    for (size_t i = 0; i < now->count; i++) {
        const int *lv = levels + i * n_specs;
        if (n_specs && lv[0] < 0)
            continue;              /* another catalog version */
        p->assessed++;
        int reached = 0;
        for (size_t s = 0; s < n_specs; s++) {
            if (lv[s] >= 0 && lv[s] < n_levels)
                p->counts[s * (size_t)n_levels + (size_t)lv[s]]++;
            reached |= lv[s] > 0;
        }
        p->no_level += !reached;
    }
}

void portfolio_compare(portfolio *p, const store_assessment_list *now, const int *levels_now,
                       const store_assessment_list *before, const int *levels_before)
{
    size_t n_specs = p->n_specs;
    /* Both lists are in employee-number order: walk them together. */
    size_t i = 0, k = 0;
    while (i < now->count && k < before->count) {
        int c = strcmp(now->items[i].employee_number, before->items[k].employee_number);
        if (c < 0) {
            i++;
            continue;
        }
        if (c > 0) {
            k++;
            continue;
        }
        const int *a = levels_now + i * n_specs, *b = levels_before + k * n_specs;
        if (n_specs && a[0] >= 0 && b[0] >= 0) {
            p->compared++;
            for (size_t s = 0; s < n_specs; s++) {
                if (a[s] <= 0 && b[s] <= 0)
                    continue;      /* 未到達 both times: not part of this specialization's picture */
                if (a[s] > b[s])
                    p->up[s]++;
                else if (a[s] < b[s])
                    p->down[s]++;
                else
                    p->same[s]++;
            }
        }
        i++;
        k++;
    }
}
