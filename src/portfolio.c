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

/* The one rule of what the portfolio counts: calls cell(ctx, row, spec, level)
 * for every cell row i of levels is counted in, and row(ctx, i, reached) once
 * per counted row (reached: at a level in some specialization). */
static void walk_rows(size_t n_specs, int n_levels, size_t count, const int *levels,
                      void (*cell)(void *ctx, size_t i, size_t s, int level),
                      void (*row)(void *ctx, size_t i, int reached), void *ctx)
{
    for (size_t i = 0; i < count; i++) {
        const int *lv = levels + i * n_specs;
        if (n_specs && lv[0] < 0)
            continue;              /* another catalog version, or no level of the kind counted */
        int reached = 0;
        for (size_t s = 0; s < n_specs; s++) {
            if (lv[s] >= 0 && lv[s] < n_levels)
                cell(ctx, i, s, lv[s]);
            reached |= lv[s] > 0;
        }
        row(ctx, i, reached);
    }
}

/* The one rule of movement: calls fn(ctx, i, k, spec, dir) for each person at
 * row i of now and row k of before (both lists in employee-number order) and
 * each specialization they are compared in, dir +1 up, 0 same, -1 down; and
 * both(ctx) once per person compared. */
static void walk_moves(size_t n_specs, const store_assessment_list *now, const int *levels_now,
                       const store_assessment_list *before, const int *levels_before,
                       void (*fn)(void *ctx, size_t i, size_t k, size_t s, int dir), void (*both)(void *ctx),
                       void *ctx)
{
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
            both(ctx);
            for (size_t s = 0; s < n_specs; s++) {
                if (a[s] <= 0 && b[s] <= 0)
                    continue;      /* 未到達 both times: not part of this specialization's picture */
                fn(ctx, i, k, s, a[s] > b[s] ? 1 : a[s] < b[s] ? -1 : 0);
            }
        }
        i++;
        k++;
    }
}

static void count_cell(void *ctx, size_t i, size_t s, int level)
{
    portfolio *p = ctx;
    (void)i;
    p->counts[s * (size_t)p->n_levels + (size_t)level]++;
}

static void count_row(void *ctx, size_t i, int reached)
{
    portfolio *p = ctx;
    (void)i;
    p->assessed++;
    p->no_level += !reached;
}

void portfolio_count(portfolio *p, const store_assessment_list *now, const int *levels)
{
    walk_rows(p->n_specs, p->n_levels, now->count, levels, count_cell, count_row, p);
}

static void count_move(void *ctx, size_t i, size_t k, size_t s, int dir)
{
    portfolio *p = ctx;
    (void)i;
    (void)k;
    if (dir > 0)
        p->up[s]++;
    else if (dir < 0)
        p->down[s]++;
    else
        p->same[s]++;
}

static void count_compared(void *ctx)
{
    ((portfolio *)ctx)->compared++;
}

void portfolio_compare(portfolio *p, const store_assessment_list *now, const int *levels_now,
                       const store_assessment_list *before, const int *levels_before)
{
    walk_moves(p->n_specs, now, levels_now, before, levels_before, count_move, count_compared, p);
}

/* What portfolio_select is after, and where the rows go. */
typedef struct selection {
    const portfolio_pick *pick;
    unsigned char *taken;          /* per row of now */
} selection;

static void pick_cell(void *ctx, size_t i, size_t s, int level)
{
    selection *x = ctx;
    if (x->pick->what == PORTFOLIO_PICK_CELL && (size_t)x->pick->spec == s &&
        (x->pick->level == level || (x->pick->level == PORTFOLIO_REACHED && level > 0)))
        x->taken[i] = 1;
}

static void pick_row(void *ctx, size_t i, int reached)
{
    selection *x = ctx;
    if (x->pick->what == PORTFOLIO_PICK_ASSESSED || (x->pick->what == PORTFOLIO_PICK_NO_LEVEL && !reached))
        x->taken[i] = 1;
}

static void pick_move(void *ctx, size_t i, size_t k, size_t s, int dir)
{
    selection *x = ctx;
    (void)k;
    if (x->pick->what == PORTFOLIO_PICK_MOVE && (size_t)x->pick->spec == s && x->pick->move == dir)
        x->taken[i] = 1;
}

static void no_op(void *ctx)
{
    (void)ctx;
}

size_t portfolio_select(const portfolio *p, const portfolio_pick *pick, const store_assessment_list *now,
                        const int *levels_now, const store_assessment_list *before, const int *levels_before,
                        unsigned char *taken)
{
    memset(taken, 0, now->count);
    selection x = { pick, taken };
    if (pick->what == PORTFOLIO_PICK_MOVE) {
        if (before)
            walk_moves(p->n_specs, now, levels_now, before, levels_before, pick_move, no_op, &x);
    } else
        walk_rows(p->n_specs, p->n_levels, now->count, levels_now, pick_cell, pick_row, &x);
    size_t n = 0;
    for (size_t i = 0; i < now->count; i++)
        n += taken[i];
    return n;
}
