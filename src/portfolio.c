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

/* The one pairing of two cycles: walks now and before (both in employee-number
 * order) and calls pair(ctx, i, k) for each person counted in both (a first
 * level not -1 in each), only_now(ctx, i) for a person counted in now only and
 * only_before(ctx, k) for one counted in before only (either may be NULL). */
static void walk_pairs(size_t n_specs, const store_assessment_list *now, const int *levels_now,
                       const store_assessment_list *before, const int *levels_before,
                       void (*pair)(void *ctx, size_t i, size_t k), void (*only_now)(void *ctx, size_t i),
                       void (*only_before)(void *ctx, size_t k), void *ctx)
{
    size_t i = 0, k = 0;
    while (i < now->count || k < before->count) {
        int c = i >= now->count ? 1 : k >= before->count ? -1
                : strcmp(now->items[i].employee_number, before->items[k].employee_number);
        int a_in = c <= 0 && (!n_specs || levels_now[i * n_specs] >= 0);
        int b_in = c >= 0 && (!n_specs || levels_before[k * n_specs] >= 0);
        if (a_in && b_in)
            pair(ctx, i, k);
        else if (a_in && only_now)
            only_now(ctx, i);
        else if (b_in && only_before)
            only_before(ctx, k);
        i += c <= 0;
        k += c >= 0;
    }
}

/* The one rule of movement, over walk_pairs: calls fn(ctx, i, k, spec, dir)
 * for each person in both cycles and each specialization they are compared in,
 * dir +1 up, 0 same, -1 down; and both(ctx) once per person compared. */
typedef struct move_walk {
    size_t n_specs;
    const int *levels_now, *levels_before;
    void (*fn)(void *ctx, size_t i, size_t k, size_t s, int dir);
    void (*both)(void *ctx);
    void *ctx;
} move_walk;

static void move_pair(void *ctx, size_t i, size_t k)
{
    move_walk *w = ctx;
    const int *a = w->levels_now + i * w->n_specs, *b = w->levels_before + k * w->n_specs;
    w->both(w->ctx);
    for (size_t s = 0; s < w->n_specs; s++) {
        if (a[s] <= 0 && b[s] <= 0)
            continue;              /* 未到達 both times: not part of this specialization's picture */
        w->fn(w->ctx, i, k, s, a[s] > b[s] ? 1 : a[s] < b[s] ? -1 : 0);
    }
}

static void walk_moves(size_t n_specs, const store_assessment_list *now, const int *levels_now,
                       const store_assessment_list *before, const int *levels_before,
                       void (*fn)(void *ctx, size_t i, size_t k, size_t s, int dir), void (*both)(void *ctx),
                       void *ctx)
{
    move_walk w = { n_specs, levels_now, levels_before, fn, both, ctx };
    if (n_specs)
        walk_pairs(n_specs, now, levels_now, before, levels_before, move_pair, NULL, NULL, &w);
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

/* Picks of the flow: a person in both cycles going from -> to in spec, or in
 * one cycle only at level. */
typedef struct flow_pick {
    selection *x;
    size_t n_specs;
    const int *levels_now, *levels_before;
} flow_pick;

static void pick_flow(void *ctx, size_t i, size_t k)
{
    flow_pick *w = ctx;
    const portfolio_pick *p = w->x->pick;
    const int *a = w->levels_now + i * w->n_specs, *b = w->levels_before + k * w->n_specs;
    if (p->what == PORTFOLIO_PICK_FLOW && b[p->spec] == p->from && a[p->spec] == p->level)
        w->x->taken[i] = 1;
}

static void pick_joined(void *ctx, size_t i)
{
    flow_pick *w = ctx;
    if (w->x->pick->what == PORTFOLIO_PICK_JOINED && w->levels_now[i * w->n_specs + (size_t)w->x->pick->spec] == w->x->pick->level)
        w->x->taken[i] = 1;
}

static void pick_left(void *ctx, size_t k)
{
    flow_pick *w = ctx;
    if (w->x->pick->what == PORTFOLIO_PICK_LEFT && w->levels_before[k * w->n_specs + (size_t)w->x->pick->spec] == w->x->pick->level)
        w->x->taken[k] = 1;
}

size_t portfolio_select(const portfolio *p, const portfolio_pick *pick, const store_assessment_list *now,
                        const int *levels_now, const store_assessment_list *before, const int *levels_before,
                        unsigned char *taken)
{
    int on_before = pick->what == PORTFOLIO_PICK_LEFT;
    size_t n_rows = on_before ? (before ? before->count : 0) : now->count;
    memset(taken, 0, n_rows);
    selection x = { pick, taken };
    if (pick->what == PORTFOLIO_PICK_FLOW || pick->what == PORTFOLIO_PICK_JOINED || on_before) {
        flow_pick w = { &x, p->n_specs, levels_now, levels_before };
        if (before && p->n_specs)
            walk_pairs(p->n_specs, now, levels_now, before, levels_before, pick_flow, pick_joined, pick_left, &w);
    } else if (pick->what == PORTFOLIO_PICK_MOVE) {
        if (before)
            walk_moves(p->n_specs, now, levels_now, before, levels_before, pick_move, no_op, &x);
    } else
        walk_rows(p->n_specs, p->n_levels, now->count, levels_now, pick_cell, pick_row, &x);
    size_t n = 0;
    for (size_t i = 0; i < n_rows; i++)
        n += taken[i];
    return n;
}
