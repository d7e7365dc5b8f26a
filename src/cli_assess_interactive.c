/* cli_assess_interactive.c - the questionnaire of `itss assess PERSON`: the
 * standard's own wording, one question at a time, each answer saved as it is
 * given.
 *
 * The walk, for each specialization asked for (HW, SW, FM in catalog order when
 * none is named):
 *   1. the achievement indicators (達成度指標), level by level from the lowest
 *      (ハードウェア and ソフトウェア start with the common levels 1-2): 責任性, then
 *      each □ item of 複雑性, サイズ and タスク特性, met or not; complexity and
 *      size items can link the person's experience records (実績) as evidence;
 *   2. the proficiency (スキル熟達度) of each skill area, level by level, met or not;
 *   3. the knowledge items (知識項目) of each skill area, category by category,
 *      rated 0-4.
 * Elements shared by several specializations (the common levels) are asked once.
 *
 * Every answer is one store_answer_save() call, its own transaction, so leaving
 * (q, end of input, Ctrl-C, a killed process) loses nothing answered; running the
 * same command again starts at the first unanswered element. Lines are read
 * straight from file descriptor 0, so answers can be piped in one per line.
 * SIGINT, SIGTERM and SIGHUP are blocked except while waiting for input
 * (pselect), so a signal never interrupts a save half way. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assessment.h"
#include "buf.h"
#include "catalog.h"
#include "cli.h"
#include "cli_assess.h"
#include "engine.h"
#include "policy.h"
#include "store.h"
#include "text.h"
#include "xalloc.h"

/* ---- the questions ---- */

typedef enum question_kind {
    QUESTION_RESPONSIBILITY,     /* 責任性 of a level */
    QUESTION_CHECK_ITEM,         /* a □ item of 複雑性, サイズ or タスク特性 */
    QUESTION_PROFICIENCY,        /* a proficiency description of a skill area at a level */
    QUESTION_KNOWLEDGE           /* a knowledge item, rated 0-4 */
} question_kind;

/* One element to answer, with what is needed to show it in context, and the
 * person's current answer. */
typedef struct question {
    question_kind kind;
    const catalog_spec *spec;                   /* the specialization being walked */
    const char *element_id;
    const char *text;
    const catalog_level *level;                 /* responsibility, check items */
    const catalog_criterion *criterion;         /* check items */
    const catalog_area *area;                   /* proficiency, knowledge */
    const catalog_spec_area *spec_area;         /* proficiency, knowledge */
    const catalog_proficiency *proficiency;     /* proficiency */
    const catalog_knowledge_category *category; /* knowledge */
    int value;                                  /* the self answer, -1 when none */
    size_t *evidence;                           /* indexes into the assessment's experience */
    size_t n_evidence;
} question;

typedef struct questionnaire {
    const cli_args *args;
    store *db;
    const catalog *cat;
    const char *empno;
    int64_t assessment_id;
    assessment *a;               /* loaded once: the experience records, the answers at start */
    question *q;
    size_t n, cap;
    int width;
    int echo;                    /* stdin is not a terminal: echo each answer read */
    int saved;                   /* answers saved in this run */
    /* input */
    char *in;
    size_t in_len, in_cap;
    int in_eof;
} questionnaire;

/* Appends a question (copying *x); aborts on out of memory like buf does. */
static void add_question(questionnaire *qs, const question *x)
{
    if (qs->n == qs->cap) {
        size_t cap = qs->cap ? qs->cap * 2 : 256;
        question *grown = xrealloc(qs->q, cap * sizeof *grown);
        qs->q = grown;
        qs->cap = cap;
    }
    qs->q[qs->n] = *x;
    qs->q[qs->n].value = -1;
    qs->q[qs->n].evidence = NULL;
    qs->q[qs->n].n_evidence = 0;
    qs->n++;
}

/* Is block one of the n blocks in done? */
static int block_done(const catalog_spec *const *done, size_t n, const catalog_spec *block)
{
    for (size_t i = 0; i < n; i++)
        if (done[i] == block)
            return 1;
    return 0;
}

/* The blocks whose elements spec is assessed on: the common-level blocks shared
 * with it, then spec itself. Fills owners (room for max) and returns how many. */
static size_t spec_owners(const catalog *c, const catalog_spec *spec, const catalog_spec **owners, size_t max)
{
    size_t n = catalog_commons_of(c, spec, owners, max - 1);
    owners[n++] = spec;
    return n;
}

/* The questions of one specialization, skipping elements of blocks already in
 * done (the common levels a previous specialization asked). */
static void build_spec(questionnaire *qs, const catalog_spec *spec, const catalog_spec *const *done, size_t n_done)
{
    const catalog *c = qs->cat;
    int lo, hi;
    catalog_spec_level_range(c, spec, &lo, &hi);

    /* 1. achievement indicators, level by level. */
    for (int lvl = lo; lvl <= hi; lvl++) {
        const catalog_level *lv = catalog_level_of(c, spec, lvl);
        if (!lv || block_done(done, n_done, lv->owner))
            continue;
        question x = { 0 };
        x.kind = QUESTION_RESPONSIBILITY;
        x.spec = spec;
        x.level = lv;
        x.element_id = lv->responsibility.id;
        x.text = lv->responsibility.text;
        add_question(qs, &x);
        for (int k = 0; k < CRITERION_KINDS; k++) {
            const catalog_criterion *cr = &lv->criteria[k];
            for (size_t i = 0; i < cr->n_items; i++) {
                question y = { 0 };
                y.kind = QUESTION_CHECK_ITEM;
                y.spec = spec;
                y.level = lv;
                y.criterion = cr;
                y.element_id = cr->items[i].id;
                y.text = cr->items[i].text;
                add_question(qs, &y);
            }
        }
    }

    /* 2. proficiency of each skill area, level by level. */
    for (size_t ai = 0; ai < catalog_area_count(c); ai++) {
        const catalog_area *area = catalog_area_at(c, ai);
        for (int lvl = lo; lvl <= hi; lvl++) {
            const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, lvl);
            const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, lvl) : NULL;
            if (!p || block_done(done, n_done, sa->owner))
                continue;
            question x = { 0 };
            x.kind = QUESTION_PROFICIENCY;
            x.spec = spec;
            x.area = area;
            x.spec_area = sa;
            x.proficiency = p;
            x.element_id = p->id;
            x.text = p->text;
            add_question(qs, &x);
        }
    }

    /* 3. knowledge items of each skill area: the common block's, then the own. */
    const catalog_spec *owners[8];
    size_t n_owners = spec_owners(c, spec, owners, 8);
    for (size_t ai = 0; ai < catalog_area_count(c); ai++) {
        const catalog_area *area = catalog_area_at(c, ai);
        for (size_t oi = 0; oi < n_owners; oi++) {
            if (block_done(done, n_done, owners[oi]))
                continue;
            for (size_t si = 0; si < owners[oi]->n_areas; si++) {
                const catalog_spec_area *sa = &owners[oi]->areas[si];
                if (sa->area != area)
                    continue;
                for (size_t ki = 0; ki < sa->n_knowledge; ki++) {
                    const catalog_knowledge_category *cat = &sa->knowledge[ki];
                    for (size_t ii = 0; ii < cat->n_items; ii++) {
                        question x = { 0 };
                        x.kind = QUESTION_KNOWLEDGE;
                        x.spec = spec;
                        x.area = area;
                        x.spec_area = sa;
                        x.category = cat;
                        x.element_id = cat->items[ii].id;
                        x.text = cat->items[ii].text;
                        add_question(qs, &x);
                    }
                }
            }
        }
    }
}

/* Every question of spec_id (NULL: of every specialization, common levels once). */
static void build_questions(questionnaire *qs, const char *spec_id)
{
    const catalog *c = qs->cat;
    const catalog_spec *done[32];
    size_t n_done = 0;

    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *spec = catalog_spec_at(c, i);
        if (spec_id && strcmp(spec->id, spec_id) != 0)
            continue;
        build_spec(qs, spec, done, n_done);
        const catalog_spec *owners[8];
        size_t n_owners = spec_owners(c, spec, owners, 8);
        for (size_t o = 0; o < n_owners; o++)
            if (!block_done(done, n_done, owners[o]) && n_done < 32)
                done[n_done++] = owners[o];
    }
}

/* Index of the experience record with that id in the assessment, or -1. */
static long experience_index(const assessment *a, const char *id)
{
    for (size_t i = 0; i < a->n_experience; i++)
        if (strcmp(a->experience[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* Copies the person's current self answers into the questions. */
static void load_answers(questionnaire *qs)
{
    for (size_t i = 0; i < qs->n; i++) {
        question *x = &qs->q[i];
        const assessment_answer *ans = assessment_get_answer(qs->a, x->element_id, RATER_SELF);
        if (!ans)
            continue;
        x->value = ans->value;
        if (ans->n_evidence) {
            x->evidence = xcalloc(ans->n_evidence, sizeof *x->evidence);
            for (size_t j = 0; j < ans->n_evidence; j++) {
                long k = experience_index(qs->a, ans->evidence[j]);
                if (k >= 0)
                    x->evidence[x->n_evidence++] = (size_t)k;
            }
        }
    }
}

/* How many of the questions have a self answer. */
static size_t count_answered(const questionnaire *qs)
{
    size_t n = 0;
    for (size_t i = 0; i < qs->n; i++)
        n += qs->q[i].value >= 0;
    return n;
}

/* The first unanswered question at index from or after, or qs->n. */
static size_t next_unanswered(const questionnaire *qs, size_t from)
{
    while (from < qs->n && qs->q[from].value >= 0)
        from++;
    return from;
}

/* ---- input: lines from fd 0, waiting with the signals let through ---- */

static volatile sig_atomic_t got_signal;

/* Remembers which signal asked us to stop; the main loop does the rest. */
static void on_signal(int sig)
{
    got_signal = sig;
}

#define INPUT_LINE_MAX 4096

/* Reads one line (without its end, trailing CR and white space trimmed) into
 * *line (the caller frees). Returns 1 with a line, 0 at end of input, -1 when a
 * signal arrived while waiting, -2 on a read error. */
static int read_line(questionnaire *qs, const sigset_t *wait_mask, char **line)
{
    *line = NULL;
    for (;;) {
        char *nl = qs->in_len ? memchr(qs->in, '\n', qs->in_len) : NULL;
        if (nl || (qs->in_eof && qs->in_len) || qs->in_len >= INPUT_LINE_MAX) {
            size_t n = nl ? (size_t)(nl - qs->in) : qs->in_len;
            size_t take = nl ? n + 1 : n;
            char *s = xmalloc(n + 1);
            memcpy(s, qs->in, n);
            s[n] = '\0';
            memmove(qs->in, qs->in + take, qs->in_len - take);
            qs->in_len -= take;
            while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
                s[--n] = '\0';
            *line = s;
            return 1;
        }
        if (qs->in_eof)
            return 0;
        if (got_signal)
            return -1;
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(STDIN_FILENO, &rd);
        /* The signals are blocked except inside pselect, which lets them in and
         * waits in one step: one arriving just before the wait still ends it. */
        if (pselect(STDIN_FILENO + 1, &rd, NULL, NULL, NULL, wait_mask) < 0) {
            if (errno == EINTR)
                continue;      /* the check above says whether it was ours */
            return -2;
        }
        if (qs->in_cap - qs->in_len < 512) {
            size_t cap = qs->in_cap ? qs->in_cap * 2 : 1024;
            char *grown = xrealloc(qs->in, cap);
            qs->in = grown;
            qs->in_cap = cap;
        }
        ssize_t r = read(STDIN_FILENO, qs->in + qs->in_len, qs->in_cap - qs->in_len);
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return -2;
        }
        if (r == 0)
            qs->in_eof = 1;
        qs->in_len += (size_t)r;
    }
}

/* ---- showing ---- */

/* Which part of the walk a question belongs to: achievement, proficiency, knowledge. */
static int question_part(const question *x)
{
    return x->kind == QUESTION_RESPONSIBILITY || x->kind == QUESTION_CHECK_ITEM ? 0
         : x->kind == QUESTION_PROFICIENCY ? 1 : 2;
}

/* Writes b to stdout and empties it. */
static void flush_out(buf *b)
{
    if (b->len)
        fwrite(b->data, 1, b->len, stdout);
    fflush(stdout);
    buf_reset(b);
}

/* Appends "（common block name: id）" when block is a common-level block. */
static void put_common_note(buf *b, const catalog_spec *block, const char *id)
{
    if (block && block->is_common)
        buf_printf(b, "（%s: %s）\n", block->name, id);
}

/* Appends one experience record as a numbered line. */
static void put_record(const questionnaire *qs, buf *b, size_t i)
{
    const assessment_experience *x = &qs->a->experience[i];
    catalog_element el;
    const char *code = catalog_find(qs->cat, x->specialization_id, &el) && el.spec ? el.spec->code
                                                                                   : x->specialization_id;
    char head[32];
    snprintf(head, sizeof head, "    %zu) ", i + 1);
    buf line;
    buf_init(&line);
    buf_printf(&line, "%s〜%s %s [%s レベル%d%s%s]%s", x->period_from, x->period_to ? x->period_to : "",
               x->project, code, x->level, x->role ? ", " : "", x->role ? x->role : "",
               x->succeeded ? "" : " 失敗");
    cli_wrap(b, head, "       ", line.data, qs->width);
    buf_free(&line);
}

/* Does record i belong to specialization spec? */
static int record_of_spec(const questionnaire *qs, size_t i, const catalog_spec *spec)
{
    return strcmp(qs->a->experience[i].specialization_id, spec->id) == 0;
}

/* Does experience record i count for the levels of block (a specialization, or
 * a common-level block through the specializations sharing it)? */
static int record_counts_for(const questionnaire *qs, size_t i, const catalog_spec *block)
{
    if (!block->is_common)
        return record_of_spec(qs, i, block);
    for (size_t j = 0; j < block->n_shared_by; j++)
        if (record_of_spec(qs, i, block->shared_by[j]))
            return 1;
    return 0;
}

/* Appends the person's records that count for block (every record when block
 * is NULL), numbered as answers name them. */
static void put_records(const questionnaire *qs, buf *b, const catalog_spec *block)
{
    size_t shown = 0;
    for (size_t i = 0; i < qs->a->n_experience; i++)
        if (!block || record_counts_for(qs, i, block)) {
            if (!shown++)
                buf_puts(b, "  実績 (experience records):\n");
            put_record(qs, b, i);
        }
    if (!shown)
        buf_puts(b, "  実績: no experience records for these levels yet (itss experience add)\n");
}

/* Appends evidence as "1, 3" (record numbers), or "none". */
static void put_evidence(buf *b, const size_t *ev, size_t n)
{
    if (!n)
        buf_puts(b, "none");
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%zu", i ? ", " : "", ev[i] + 1);
}

static const char rating_scale[] =
    "  0 知らない  1 知識がある  2 支援を受けて実施できる  3 独力で実施できる  4 指導できる\n";

/* Appends the headings that lead to x from prev (NULL: all of them): the part
 * of the walk, the level, the criterion with its lead sentence and notes, the
 * skill area, the knowledge category. */
static void put_headings(const questionnaire *qs, buf *b, const question *x, const question *prev)
{
    static const char *const part_names[] = { "達成度指標", "スキル熟達度", "知識項目" };
    int part = question_part(x);
    int w = qs->width;

    if (prev && (prev->spec != x->spec || question_part(prev) != part))
        prev = NULL;
    if (!prev)
        buf_printf(b, "\n━━ %s (%s): %s ━━\n", x->spec->name, x->spec->code, part_names[part]);
    if (part == 2 && !prev)
        buf_puts(b, rating_scale);

    if (part == 0) {
        if (!prev || prev->level != x->level) {
            buf_printf(b, "\n●%s レベル%d  %s\n", x->spec->name, x->level->level, x->level->id);
            put_common_note(b, x->level->owner, x->level->owner->id);
        }
        if (x->kind == QUESTION_RESPONSIBILITY) {
            buf_printf(b, "\n●責任性：\n");
            return;
        }
        if (!prev || prev->criterion != x->criterion) {
            const catalog_criterion *cr = x->criterion;
            buf_printf(b, "\n●%s：  %s\n", catalog_criterion_label(cr->kind), cr->id);
            cli_wrap(b, "－", "  ", cr->lead, w);
            for (size_t i = 0; i < cr->n_notes; i++)
                cli_wrap(b, "", "", cr->notes[i].text, w);
            if (cr->kind != CRITERION_TASK && qs->a->n_experience)
                put_records(qs, b, x->level->owner);
        }
        return;
    }
    if (!prev || prev->area != x->area || prev->spec_area != x->spec_area) {
        buf_printf(b, "\n●%s  %s\n", x->area->name, x->spec_area->id);
        put_common_note(b, x->spec_area->owner, x->spec_area->owner->id);
    }
    if (part == 2 && (!prev || prev->category != x->category))
        buf_printf(b, "－%s  %s\n", x->category->name, x->category->id);
}

/* Appends x itself: its wording, identifier, progress and current answer. */
static void put_question(const questionnaire *qs, buf *b, const question *x, size_t answered)
{
    int w = qs->width;
    switch (x->kind) {
    case QUESTION_RESPONSIBILITY:
        cli_wrap(b, "－", "  ", x->text, w);
        break;
    case QUESTION_CHECK_ITEM:
        cli_wrap(b, "□", "  ", x->text, w);
        break;
    case QUESTION_PROFICIENCY:
        buf_printf(b, "レベル%d\n", x->proficiency->level);
        cli_wrap(b, "  ", "  ", x->text, w);
        break;
    case QUESTION_KNOWLEDGE:
        cli_wrap(b, "・", "  ", x->text, w);
        break;
    }
    buf_printf(b, "  %s  [%zu/%zu answered]", x->element_id, answered, qs->n);
    if (x->value >= 0) {
        if (x->kind == QUESTION_KNOWLEDGE) {
            buf_printf(b, "  now: %d %s", x->value, assessment_rating_label(x->value));
        } else {
            buf_printf(b, "  now: %s", x->value ? "met" : "not met");
            if (x->n_evidence) {
                buf_puts(b, ", 実績 ");
                put_evidence(b, x->evidence, x->n_evidence);
            }
        }
    }
    buf_putc(b, '\n');
}

/* The prompt for x. */
static void put_prompt(buf *b, const question *x)
{
    if (x->kind == QUESTION_KNOWLEDGE)
        buf_puts(b, "  rating? [0-4 s b q ?] ");
    else
        buf_puts(b, "  met? [y/n s b q ?] ");
}

static const char help_text[] =
    "\n"
    "  y        met (はい): the item describes what you have done\n"
    "  n        not met (いいえ)\n"
    "  0 to 4   knowledge items: 0 知らない, 1 知識がある, 2 支援を受けて実施できる,\n"
    "           3 独力で実施できる, 4 指導できる\n"
    "  y 1,3    複雑性 and サイズ items: met, shown by experience records 1 and 3\n"
    "  y -      met, linking no experience record\n"
    "  Enter    keep the current answer (when there is one)\n"
    "  s        skip for now (left unanswered; the next run starts at the first one)\n"
    "  b        back to the previous question\n"
    "  l        list your experience records (実績)\n"
    "  q        quit; every answer given is already saved\n"
    "\n";

/* ---- answering ---- */

/* Saves value and evidence as the self answer to x: one store call, one
 * transaction. Returns 0, or -1 after printing the store's message. */
static int save_answer(questionnaire *qs, question *x, int value, const size_t *ev, size_t n_ev)
{
    char **ids = n_ev ? xcalloc(n_ev, sizeof *ids) : NULL;
    for (size_t i = 0; i < n_ev; i++)
        ids[i] = qs->a->experience[ev[i]].id;
    assessment_answer ans = { (char *)x->element_id, RATER_SELF, value, ids, n_ev };
    err e = { 0 };
    int rc = store_answer_save(qs->db, qs->assessment_id, &ans, qs->empno, &e);
    free(ids);
    if (rc < 0) {
        fputc('\n', stdout);
        fflush(stdout);
        cli_error(qs->args->prog, "cannot save the answer to %s: %s", x->element_id, e.message);
        return -1;
    }
    size_t *copy = NULL;
    if (n_ev) {
        copy = xmalloc(n_ev * sizeof *copy);
        memcpy(copy, ev, n_ev * sizeof *copy);
    }
    free(x->evidence);
    x->evidence = copy;
    x->n_evidence = n_ev;
    x->value = value;
    qs->saved++;
    return 0;
}

/* Parses record numbers ("1,3", "1 3", "１、３") into ev (room for the person's
 * records, duplicates dropped). Returns how many, or -1 after a message in b. */
static long parse_evidence(const questionnaire *qs, const char *s, size_t *ev, buf *b)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        if (*p == ',' || *p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if (strncmp(p, "、", strlen("、")) == 0) {
            p += strlen("、");
            continue;
        }
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || (*end && *end != ',' && *end != ' ' && *end != '\t'
                                  && strncmp(end, "、", strlen("、")) != 0)) {
            buf_printf(b, "  '%s' is not a list of record numbers (such as 1,3)\n", s);
            return -1;
        }
        if (v < 1 || (size_t)v > qs->a->n_experience) {
            buf_printf(b, "  there is no record %ld: the records are numbered 1 to %zu\n", v,
                       qs->a->n_experience);
            return -1;
        }
        int dup = 0;
        for (size_t i = 0; i < n; i++)
            dup |= ev[i] == (size_t)(v - 1);
        if (!dup)
            ev[n++] = (size_t)(v - 1);
        p = end;
    }
    return (long)n;
}

/* The records of x's specialization that list x among the items they show:
 * what a first "met" links unless told otherwise. Fills ev, returns how many. */
static size_t suggested_evidence(const questionnaire *qs, const question *x, size_t *ev)
{
    size_t n = 0;
    for (size_t i = 0; i < qs->a->n_experience; i++) {
        const assessment_experience *r = &qs->a->experience[i];
        int kind = x->criterion->kind;
        char **items = kind == CRITERION_COMPLEXITY ? r->complexity_items : r->size_items;
        size_t n_items = kind == CRITERION_COMPLEXITY ? r->n_complexity_items : r->n_size_items;
        for (size_t j = 0; j < n_items; j++)
            if (strcmp(items[j], x->element_id) == 0) {
                ev[n++] = i;
                break;
            }
    }
    return n;
}

/* Can x link experience records? */
static int takes_evidence(const question *x)
{
    return x->kind == QUESTION_CHECK_ITEM && x->criterion->kind != CRITERION_TASK;
}

/* What the user typed, understood. */
typedef enum reply {
    REPLY_ANSWER, REPLY_KEEP, REPLY_SKIP, REPLY_BACK, REPLY_QUIT, REPLY_HELP, REPLY_LIST, REPLY_INVALID
} reply;

/* Reads the word at the start of folded (NFKC, lower case) input: the reply it
 * is, the value of an answer, and where the rest (record numbers) starts. */
static reply parse_reply(const question *x, const char *folded, int *value, const char **rest)
{
    size_t n = strcspn(folded, " \t,");
    const char *r = folded + n;
    while (*r == ' ' || *r == '\t' || *r == ',')
        r++;
    *rest = r;
#define IS(word) (n == strlen(word) && strncmp(folded, word, n) == 0)
    if (n == 0)
        return REPLY_KEEP;
    if (IS("?") || IS("h") || IS("help"))
        return REPLY_HELP;
    if (IS("s") || IS("skip"))
        return REPLY_SKIP;
    if (IS("b") || IS("back"))
        return REPLY_BACK;
    if (IS("q") || IS("quit"))
        return REPLY_QUIT;
    if (IS("l") || IS("list"))
        return REPLY_LIST;
    if (x->kind == QUESTION_KNOWLEDGE) {
        if (n == 1 && folded[0] >= '0' && folded[0] <= '4' && !*r) {
            *value = folded[0] - '0';
            return REPLY_ANSWER;
        }
        return REPLY_INVALID;
    }
    if (IS("y") || IS("yes") || IS("はい"))
        *value = 1;
    else if (IS("n") || IS("no") || IS("いいえ"))
        *value = 0;
    else
        return REPLY_INVALID;
#undef IS
    if (*r && (*value == 0 || !takes_evidence(x)))
        return REPLY_INVALID;
    return REPLY_ANSWER;
}

/* How the walk ended. */
typedef enum outcome { WALK_DONE, WALK_QUIT, WALK_EOF, WALK_SIGNAL, WALK_ERROR } outcome;

/* Reads a line for the walk: 1 with *line (caller frees) folded to NFKC lower
 * case and trimmed, else the outcome that ends the walk. In echo mode the line
 * read is shown after the prompt, so that a piped session reads like one typed. */
static int read_reply(questionnaire *qs, const sigset_t *wait_mask, char **line, int *lines_read)
{
    char *raw;
    int rc = read_line(qs, wait_mask, &raw);
    if (rc == -1)
        return -WALK_SIGNAL;
    if (rc == -2) {
        cli_error(qs->args->prog, "cannot read the answers: %s", strerror(errno));
        return -WALK_ERROR;
    }
    if (rc == 0) {
        if (qs->echo)
            fputc('\n', stdout);
        return -WALK_EOF;
    }
    (*lines_read)++;
    if (qs->echo) {
        fputs(raw, stdout);
        fputc('\n', stdout);
    }
    char *folded = text_fold(raw);
    free(raw);
    if (!folded) {
        *line = NULL;
        return 1;
    }
    char *s = folded;
    while (*s == ' ' || *s == '\t')
        s++;
    memmove(folded, s, strlen(s) + 1);
    *line = folded;
    return 1;
}

/* The experience records that show x: asked after "met" for a complexity or size
 * item when the person has records for it. Proposed (taken with Enter, or at
 * the end of input): the records already linked when the item was met before,
 * else the records that list the item among those they demonstrate. Returns 1
 * with ev/n_ev set, 0 to go back to the question, or minus the outcome that
 * ends the walk. */
static int ask_evidence(questionnaire *qs, const sigset_t *wait_mask, buf *b, const question *x, size_t *ev,
                        size_t *n_ev, int *lines_read)
{
    size_t *def = xcalloc(qs->a->n_experience + 1, sizeof *def);
    size_t n_def;
    if (x->value == 1) {
        memcpy(def, x->evidence, x->n_evidence * sizeof *def);
        n_def = x->n_evidence;
    } else {
        n_def = suggested_evidence(qs, x, def);
    }
    int result;
    for (;;) {
        buf_puts(b, "  実績 (record numbers such as 1,3; Enter: ");
        put_evidence(b, def, n_def);
        buf_puts(b, "; -: none; b: back) ");
        flush_out(b);
        char *line = NULL;
        int rc = read_reply(qs, wait_mask, &line, lines_read);
        if (rc == -WALK_EOF || (rc == 1 && line && !*line)) {
            memcpy(ev, def, n_def * sizeof *ev);
            *n_ev = n_def;
            free(line);
            result = 1;
            break;
        }
        if (rc < 0) {
            result = rc;
            break;
        }
        if (!line) {
            buf_puts(b, "  the answer is not valid UTF-8\n");
            continue;
        }
        if (!strcmp(line, "-") || !strcmp(line, "none") || !strcmp(line, "なし")) {
            *n_ev = 0;
            free(line);
            result = 1;
            break;
        }
        if (!strcmp(line, "b") || !strcmp(line, "q")) {
            result = line[0] == 'b' ? 0 : -WALK_QUIT;
            free(line);
            break;
        }
        if (!strcmp(line, "?") || !strcmp(line, "l")) {
            put_records(qs, b, NULL);
            free(line);
            continue;
        }
        long n = parse_evidence(qs, line, ev, b);
        free(line);
        if (n >= 0) {
            *n_ev = (size_t)n;
            result = 1;
            break;
        }
    }
    free(def);
    return result;
}

/* The next question to show after i: the one after it while going back over
 * questions already seen, else the next unanswered one. */
static size_t forward(const questionnaire *qs, size_t i, size_t *frontier)
{
    if (i < *frontier)
        return i + 1;
    *frontier = next_unanswered(qs, i + 1);
    return *frontier;
}

/* Takes an answer reply to x: with the evidence the line names, none ("-"),
 * or, when records could back a met item, the evidence asked for; then saves
 * it. 1 when saved; 0 when the question stays (*show set to what to show
 * again); -outcome when the walk must stop. */
static int take_answer(questionnaire *qs, const sigset_t *wait_mask, buf *b, question *x, int value,
                       const char *rest, size_t *ev, int *lines_read, int *show)
{
    size_t n_ev = 0;
    if (value == 1 && takes_evidence(x)) {
        if (!strcmp(rest, "-") || !strcmp(rest, "none") || !strcmp(rest, "なし")) {
            n_ev = 0;
        } else if (*rest) {
            long n = parse_evidence(qs, rest, ev, b);
            if (n < 0)
                return 0;
            n_ev = (size_t)n;
        } else {
            size_t relevant = 0;
            for (size_t k = 0; k < qs->a->n_experience; k++)
                relevant += record_counts_for(qs, k, x->level->owner);
            if (relevant) {
                int rc = ask_evidence(qs, wait_mask, b, x, ev, &n_ev, lines_read);
                if (rc < 0)
                    return rc;
                if (rc == 0) {
                    *show = 1;
                    return 0;
                }
            }
        }
    }
    if (save_answer(qs, x, value, ev, n_ev) < 0)
        return -WALK_ERROR;
    return 1;
}

/* Asks the questions from start on until the end, q, the end of input or a
 * signal. *lines_read counts the lines read. */
static outcome walk(questionnaire *qs, const sigset_t *wait_mask, size_t start, size_t frontier, int *lines_read)
{
    buf b;
    size_t *ev = xcalloc(qs->a->n_experience + 1, sizeof *ev);
    const question *prev = NULL;
    int show = 2;                /* 2 headings and question, 1 question, 0 prompt only */
    size_t i = start;
    outcome result = WALK_DONE;

    buf_init(&b);
    while (i < qs->n) {
        question *x = &qs->q[i];
        if (show == 2)
            put_headings(qs, &b, x, prev);
        if (show >= 1)
            put_question(qs, &b, x, count_answered(qs));
        prev = x;
        put_prompt(&b, x);
        flush_out(&b);
        show = 0;

        char *line = NULL;
        int rc = read_reply(qs, wait_mask, &line, lines_read);
        if (rc < 0) {
            result = (outcome)-rc;
            break;
        }
        int value = -1;
        const char *rest = "";
        reply r = line ? parse_reply(x, line, &value, &rest) : REPLY_INVALID;
        switch (r) {
        case REPLY_HELP:
            buf_puts(&b, help_text);
            prev = NULL;
            show = 2;
            break;
        case REPLY_LIST:
            put_records(qs, &b, NULL);
            show = 1;
            break;
        case REPLY_SKIP:
            i = forward(qs, i, &frontier);
            show = 2;
            break;
        case REPLY_BACK:
            if (i == 0) {
                buf_puts(&b, "  this is the first question\n");
            } else {
                i--;
                prev = NULL;
                show = 2;
            }
            break;
        case REPLY_QUIT:
            result = WALK_QUIT;
            break;
        case REPLY_KEEP:
            if (x->value >= 0) {
                i = forward(qs, i, &frontier);
                show = 2;
            } else {
                buf_puts(&b, x->kind == QUESTION_KNOWLEDGE ? "  answer 0 to 4 (? for help)\n"
                                                           : "  answer y or n (? for help)\n");
            }
            break;
        case REPLY_INVALID:
            buf_printf(&b, "  '%s' is not an answer here; ? shows the answers\n", line ? line : "?");
            break;
        case REPLY_ANSWER: {
            int taken = take_answer(qs, wait_mask, &b, x, value, rest, ev, lines_read, &show);
            if (taken < 0)
                result = (outcome)-taken;
            else if (taken > 0) {
                i = forward(qs, i, &frontier);
                show = 2;
            }
            break;
        }
        }
        free(line);
        if (r == REPLY_QUIT || (r == REPLY_ANSWER && result != WALK_DONE))
            break;
    }
    flush_out(&b);
    buf_free(&b);
    free(ev);
    return result;
}

/* Appends the levels the self answers give now, per specialization asked. */
static void put_levels(questionnaire *qs, buf *b, const char *spec_id)
{
    err_list *errors = calloc(1, sizeof *errors);
    policy *pol = errors ? policy_load_builtin(errors) : NULL;
    assessment *now = NULL;
    err e = { 0 };

    if (pol && store_assessment_load(qs->db, qs->assessment_id, &now, &e) == 1) {
        engine_result *r = engine_assess(qs->cat, pol, now, RATER_SELF);
        buf_printf(b, "\nLevels from your answers (self rating, policy %s %s):\n", pol->id, pol->version);
        for (size_t i = 0; r && i < r->n_specs; i++) {
            const engine_spec *es = &r->specs[i];
            if (spec_id && strcmp(es->spec->id, spec_id) != 0)
                continue;
            buf_puts(b, "  ");
            buf_pad(b, es->spec->name, 26);
            if (es->level)
                buf_printf(b, "レベル%d\n", es->level);
            else
                buf_puts(b, "未到達\n");
        }
        buf_printf(b, "itss level %s --explain says why.\n", qs->empno);
        engine_result_free(r);
    }
    assessment_free(now);
    policy_free(pol);
    free(errors);
}

/* Frees what the questionnaire holds (not the store, catalog or arguments). */
static void questionnaire_free(questionnaire *qs)
{
    for (size_t i = 0; i < qs->n; i++)
        free(qs->q[i].evidence);
    free(qs->q);
    free(qs->in);
    assessment_free(qs->a);
}

/* Finds or creates the assessment of empno in cycle, refusing one for another
 * catalog or one already approved. Returns 0 with the id in *id, else the exit
 * status after a message. */
static int open_assessment(const cli_args *a, store *db, const catalog *cat, const char *empno,
                           const char *cycle, int64_t *id)
{
    store_person p = { 0 };
    store_cycle cy = { 0 };
    store_assessment found = { 0 };
    err e = { 0 };
    int rc = CLI_REFUSED;

    if (store_person_find(db, empno, &p, &e) != 1 || store_cycle_find(db, cycle, &cy, &e) != 1)
        goto out;
    int have = store_assessment_find(db, p.id, cy.id, &found, &e);
    if (have < 0)
        goto out;
    if (have == 1 && (strcmp(found.catalog_id, catalog_id(cat)) != 0
                      || strcmp(found.catalog_version, catalog_version(cat)) != 0)) {
        err_set(&e, NULL, 0, 0, NULL, "the %s assessment of %s is for catalog %s %s, not %s %s: "
                "use itss assess %s --to / --from to move it", cycle, empno, found.catalog_id,
                found.catalog_version, catalog_id(cat), catalog_version(cat), empno);
        goto out;
    }
    if (have == 1 && found.status == ASSESSMENT_APPROVED) {
        err_set(&e, NULL, 0, 0, NULL, "the %s assessment of %s is approved; its answers can no longer "
                "change (it must be returned first)", cycle, empno);
        goto out;
    }
    if (store_assessment_ensure(db, p.id, cy.id, catalog_id(cat), catalog_version(cat), empno, id, NULL, &e) < 0)
        goto out;
    if (have == 1 && found.status == ASSESSMENT_SUBMITTED)
        printf("note: this assessment is submitted; every change is recorded in its history\n");
    rc = 0;
out:
    if (rc)
        cli_error(a->prog, "%s", e.message);
    store_person_clear(&p);
    store_cycle_clear(&cy);
    store_assessment_clear(&found);
    return rc;
}

/* The handlers and mask the questionnaire changes, to put back. */
typedef struct saved_signals {
    struct sigaction old_int, old_term, old_hup;
    sigset_t old_mask;
} saved_signals;

/* Catches SIGINT, SIGTERM and SIGHUP into got_signal and blocks them; *wait_mask
 * is the mask that lets them through (while waiting for a line). */
static void signals_catch(saved_signals *saved, sigset_t *wait_mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &saved->old_int);
    sigaction(SIGTERM, &sa, &saved->old_term);
    sigaction(SIGHUP, &sa, &saved->old_hup);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop, &saved->old_mask);
    *wait_mask = saved->old_mask;
    sigdelset(wait_mask, SIGINT);
    sigdelset(wait_mask, SIGTERM);
    sigdelset(wait_mask, SIGHUP);
    got_signal = 0;
}

/* Puts back what signals_catch changed. */
static void signals_restore(const saved_signals *saved)
{
    sigprocmask(SIG_SETMASK, &saved->old_mask, NULL);
    sigaction(SIGINT, &saved->old_int, NULL);
    sigaction(SIGTERM, &saved->old_term, NULL);
    sigaction(SIGHUP, &saved->old_hup, NULL);
}

/* Says how the walk ended (into b, or on stderr after a signal) and returns the
 * exit status: 0, 2 when standard input held no answers at all, 128 + the
 * signal, CLI_REFUSED after a store error (already printed). */
static int finish(questionnaire *qs, buf *b, outcome result, int lines_read, const char *spec)
{
    const cli_args *a = qs->args;
    size_t answered = count_answered(qs);
    int rc = CLI_OK;
    switch (result) {
    case WALK_DONE:
        if (answered < qs->n)
            buf_printf(b, "\nEnd of the questions: %zu of %zu answered; %zu left unanswered. "
                           "Run the same command to answer them.\n", answered, qs->n, qs->n - answered);
        else
            buf_printf(b, "\nEnd of the questions: all %zu answered.\n", qs->n);
        put_levels(qs, b, spec);
        break;
    case WALK_EOF:
    case WALK_QUIT:
        if (result == WALK_EOF && lines_read == 0 && qs->echo && answered < qs->n) {
            flush_out(b);
            rc = cli_usage_error(a->prog, a->usage, "no answers on standard input: run on a terminal, pipe "
                                 "answers one per line, or use --from FILE.json");
            break;
        }
        buf_printf(b, "saved %d answers; run the same command to resume (%zu of %zu answered)\n", qs->saved,
                   answered, qs->n);
        break;
    case WALK_SIGNAL:
        flush_out(b);
        fputc('\n', stdout);
        fflush(stdout);
        fprintf(stderr, "%s: saved %d answers; run the same command to resume (%zu of %zu answered)\n",
                a->prog, qs->saved, answered, qs->n);
        rc = 128 + (int)got_signal;
        break;
    case WALK_ERROR:
        rc = CLI_REFUSED;
        break;
    }
    return rc;
}

/* The questionnaire; see cli_assess.h. */
int cli_assess_interactive(const cli_args *a, store *db, const catalog *cat, const char *empno,
                           const char *spec, const char *cycle)
{
    questionnaire qs;
    struct stat st;
    err e = { 0 };

    if (a->json)
        return cli_usage_error(a->prog, a->usage, "--json is for --to; the questionnaire asks on a terminal");
    if (fstat(STDIN_FILENO, &st) < 0 || S_ISDIR(st.st_mode))
        return cli_usage_error(a->prog, a->usage, "standard input cannot be read for answers: "
                               "run on a terminal, pipe answers one per line, or use --from FILE.json");

    memset(&qs, 0, sizeof qs);
    qs.args = a;
    qs.db = db;
    qs.cat = cat;
    qs.empno = empno;
    qs.width = cli_term_width();
    qs.echo = !isatty(STDIN_FILENO);
    int rc = open_assessment(a, db, cat, empno, cycle, &qs.assessment_id);
    if (rc)
        return rc;
    if (store_assessment_load(db, qs.assessment_id, &qs.a, &e) != 1) {
        cli_error(a->prog, "%s", e.message);
        return CLI_REFUSED;
    }
    build_questions(&qs, spec);
    load_answers(&qs);

    /* Signals: blocked, and let through only while waiting for a line. */
    saved_signals saved;
    sigset_t wait_mask;
    signals_catch(&saved, &wait_mask);

    buf b;
    buf_init(&b);
    size_t answered = count_answered(&qs);
    size_t start = next_unanswered(&qs, 0), frontier = start;
    int lines_read = 0;
    outcome result;

    buf_printf(&b, "%s (%s), %s, %s: %zu of %zu answered\n", qs.a->person_name ? qs.a->person_name : empno,
               empno, cycle, spec ? catalog_spec_find(cat, spec)->name : "every specialization", answered, qs.n);
    if (start == qs.n) {
        buf_puts(&b, "Every question is answered. Go through them again from the start? [y/N] ");
        flush_out(&b);
        char *line = NULL;
        int r = read_reply(&qs, &wait_mask, &line, &lines_read);
        int again = r == 1 && line && (!strcmp(line, "y") || !strcmp(line, "yes") || !strcmp(line, "はい"));
        free(line);
        result = r < 0 && r != -WALK_EOF ? (outcome)-r : WALK_DONE;
        if (again) {
            start = 0;
            frontier = qs.n;
        }
    } else {
        if (answered)
            buf_printf(&b, "Resuming at %s, the first unanswered question.\n", qs.q[start].element_id);
        buf_puts(&b, "Each answer is saved as you give it: y met, n not met, s skip, b back, q quit, "
                     "? help.\n");
        flush_out(&b);
        result = WALK_DONE;
    }
    if (result == WALK_DONE && start < qs.n)
        result = walk(&qs, &wait_mask, start, frontier, &lines_read);

    rc = finish(&qs, &b, result, lines_read, spec);
    flush_out(&b);
    buf_free(&b);
    questionnaire_free(&qs);

    signals_restore(&saved);
    return rc;
}
