/* orgcols_words.c - the words of every person's experience records held
 * beside the organization's columns (orgcols.h, orgcols_mentions): talent
 * search's "experience records mentioning a word" without a scan of the
 * records' table, and with one rule on every backend.
 *
 * Each distinct text (a record's project, role or description) is kept once,
 * its ASCII letters in lower case; each person has the run of their records'
 * text numbers. A search lowers the word the same way and looks for it in a
 * text (strstr) at most once per search, however many people share the text.
 * A refresh reads again the records of the people whose assessments changed
 * (orgcols.c); a person's run is then rewritten at the end, and once the runs
 * left behind outgrow the live ones everything is packed again, texts no one
 * uses any more dropped. */
#include "orgcols_int.h"

#include <stdlib.h>
#include <string.h>

#include "store_experience_words.h"
#include "xalloc.h"

/* Above this many changed people a refresh reads every record at once. */
#define WORDS_ONE_BY_ONE 2000

typedef struct word_person {
    int64_t id;
    size_t from, count;        /* run in ids */
} word_person;

struct oc_words {
    char **texts;              /* distinct texts, ASCII lowered */
    size_t *lens;
    size_t n_texts, cap_texts;
    size_t *text_slots, n_text_slots;   /* hash of texts: index + 1, 0 empty */
    word_person *people;
    size_t n_people, cap_people;
    size_t *person_slots, n_person_slots;   /* hash of people: index + 1 */
    size_t *order;             /* people by id: indexes into people */
    size_t n_order;            /* people in order (fewer than n_people: sort again) */
    uint32_t *ids;             /* the runs of text numbers */
    size_t n_ids, cap_ids, stale;           /* stale: numbers in runs no longer used */
};

oc_words *oc_words_new(void)
{
    return xcalloc(1, sizeof(oc_words));
}

void oc_words_free(oc_words *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_texts; i++)
        free(w->texts[i]);
    free(w->texts);
    free(w->lens);
    free(w->text_slots);
    free(w->people);
    free(w->person_slots);
    free(w->order);
    free(w->ids);
    free(w);
}

size_t oc_words_bytes(const oc_words *w)
{
    size_t n = w->cap_texts * (sizeof *w->texts + sizeof *w->lens) + w->n_text_slots * sizeof *w->text_slots
               + w->cap_people * (sizeof *w->people + sizeof *w->order) + w->n_person_slots * sizeof *w->person_slots
               + w->cap_ids * sizeof *w->ids;
    for (size_t i = 0; i < w->n_texts; i++)
        n += w->lens[i] + 1;
    return n;
}

static size_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 31));
}

static size_t hash_person(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
    return (size_t)(x ^ (x >> 29));
}

/* text with its ASCII letters lowered, n bytes. Heap. */
static char *lowered(const char *text, size_t n)
{
    char *l = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        l[i] = text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i];
    l[n] = 0;
    return l;
}

/* Puts text i into a hash of n slots (a power of two). */
static void text_slot_put(size_t *slots, size_t n, const oc_words *w, size_t i)
{
    for (size_t k = hash_bytes(w->texts[i], w->lens[i]) & (n - 1);; k = (k + 1) & (n - 1))
        if (!slots[k]) {
            slots[k] = i + 1;
            return;
        }
}

/* The number of text (made when new). */
static uint32_t text_id(oc_words *w, const char *text)
{
    size_t n = strlen(text);
    char *l = lowered(text, n);
    if ((w->n_texts + 1) * 2 > w->n_text_slots) {
        size_t m = w->n_text_slots ? w->n_text_slots * 2 : 1024;
        size_t *slots = xcalloc(m, sizeof *slots);
        for (size_t i = 0; i < w->n_texts; i++)
            text_slot_put(slots, m, w, i);
        free(w->text_slots);
        w->text_slots = slots;
        w->n_text_slots = m;
    }
    size_t k = hash_bytes(l, n) & (w->n_text_slots - 1);
    for (; w->text_slots[k]; k = (k + 1) & (w->n_text_slots - 1)) {
        size_t i = w->text_slots[k] - 1;
        if (w->lens[i] == n && memcmp(w->texts[i], l, n) == 0) {
            free(l);
            return (uint32_t)i;
        }
    }
    if (w->n_texts == w->cap_texts) {
        w->cap_texts = w->cap_texts ? w->cap_texts * 2 : 256;
        w->texts = xrealloc(w->texts, w->cap_texts * sizeof *w->texts);
        w->lens = xrealloc(w->lens, w->cap_texts * sizeof *w->lens);
    }
    w->texts[w->n_texts] = l;
    w->lens[w->n_texts] = n;
    w->text_slots[k] = ++w->n_texts;
    return (uint32_t)(w->n_texts - 1);
}

/* The entry of person id, NULL when none. */
static word_person *person_find(const oc_words *w, int64_t id)
{
    if (!w->n_person_slots)
        return NULL;
    for (size_t k = hash_person(id) & (w->n_person_slots - 1); w->person_slots[k];
         k = (k + 1) & (w->n_person_slots - 1))
        if (w->people[w->person_slots[k] - 1].id == id)
            return &w->people[w->person_slots[k] - 1];
    return NULL;
}

/* The entry of person id, made (no run) when none. */
static word_person *person_get(oc_words *w, int64_t id)
{
    word_person *p = person_find(w, id);
    if (p)
        return p;
    if ((w->n_people + 1) * 2 > w->n_person_slots) {
        size_t m = w->n_person_slots ? w->n_person_slots * 2 : 1024;
        size_t *slots = xcalloc(m, sizeof *slots);
        for (size_t i = 0; i < w->n_people; i++)
            for (size_t k = hash_person(w->people[i].id) & (m - 1);; k = (k + 1) & (m - 1))
                if (!slots[k]) {
                    slots[k] = i + 1;
                    break;
                }
        free(w->person_slots);
        w->person_slots = slots;
        w->n_person_slots = m;
    }
    if (w->n_people == w->cap_people) {
        w->cap_people = w->cap_people ? w->cap_people * 2 : 1024;
        w->people = xrealloc(w->people, w->cap_people * sizeof *w->people);
    }
    p = &w->people[w->n_people++];
    *p = (word_person){ id, 0, 0 };
    for (size_t k = hash_person(id) & (w->n_person_slots - 1);; k = (k + 1) & (w->n_person_slots - 1))
        if (!w->person_slots[k]) {
            w->person_slots[k] = w->n_people;
            break;
        }
    return p;
}

/* Appends n text numbers to the runs; where they start. */
static size_t ids_append(oc_words *w, const uint32_t *ids, size_t n)
{
    if (w->n_ids + n > w->cap_ids) {
        w->cap_ids = (w->n_ids + n) * 2 + 256;
        w->ids = xrealloc(w->ids, w->cap_ids * sizeof *w->ids);
    }
    memcpy(w->ids + w->n_ids, ids, n * sizeof *ids);
    w->n_ids += n;
    return w->n_ids - n;
}

/* ---- reading ---- */

/* One record's texts as read: (person, text number) pairs. */
typedef struct word_pair {
    int64_t person;
    uint32_t text;
} word_pair;

typedef struct read_ctx {
    oc_words *w;
    word_pair *pairs;
    size_t n, cap;
} read_ctx;

static int take_record(int64_t person_id, const char *project, const char *role, const char *description, void *p)
{
    read_ctx *x = p;
    const char *texts[3] = { project, role, description };
    for (int k = 0; k < 3; k++) {
        if (!texts[k] || !*texts[k])
            continue;
        if (x->n == x->cap) {
            x->cap = x->cap ? x->cap * 2 : 1024;
            x->pairs = xrealloc(x->pairs, x->cap * sizeof *x->pairs);
        }
        x->pairs[x->n++] = (word_pair){ person_id, text_id(x->w, texts[k]) };
    }
    return 0;
}

static int cmp_pair(const void *a, const void *b)
{
    const word_pair *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return x->text < y->text ? -1 : x->text > y->text;
}

/* Gives each person of pairs (sorted) their run anew; people listed in
 * people[0..n) without a pair get an empty one. */
static void take_runs(oc_words *w, word_pair *pairs, size_t n_pairs, const int64_t *people, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        word_person *p = person_find(w, people[i]);
        if (p) {
            w->stale += p->count;
            p->count = 0;
        }
    }
    uint32_t *run = xcalloc(n_pairs + 1, sizeof *run);
    for (size_t i = 0; i < n_pairs;) {
        size_t j = i, m = 0;
        for (; j < n_pairs && pairs[j].person == pairs[i].person; j++)
            if (!m || run[m - 1] != pairs[j].text)
                run[m++] = pairs[j].text;
        word_person *p = person_get(w, pairs[i].person);
        w->stale += p->count;
        p->count = m;
        p->from = ids_append(w, run, m);
        i = j;
    }
    free(run);
}

/* Packs the runs and drops the texts no run uses (when the runs left behind
 * outgrow the live ones). */
static void pack(oc_words *w)
{
    oc_words *fresh = oc_words_new();
    uint32_t *run = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < w->n_people; i++) {
        word_person *p = &w->people[i];
        if (!p->count)
            continue;
        if (p->count > cap) {
            cap = p->count * 2;
            run = xrealloc(run, cap * sizeof *run);
        }
        for (size_t k = 0; k < p->count; k++)
            run[k] = text_id(fresh, w->texts[w->ids[p->from + k]]);
        word_person *q = person_get(fresh, p->id);
        q->count = p->count;
        q->from = ids_append(fresh, run, p->count);
    }
    free(run);
    oc_words tmp = *w;
    *w = *fresh;
    *fresh = tmp;
    oc_words_free(fresh);
}

static const oc_words *sort_w;   /* qsort has no context: set around the one call below */

static int cmp_person_at(const void *a, const void *b)
{
    int64_t x = sort_w->people[*(const size_t *)a].id, y = sort_w->people[*(const size_t *)b].id;
    return x < y ? -1 : x > y;
}

/* Puts the people in id order again when some were added (a whole read adds
 * them in order already). */
static void order_people(oc_words *w)
{
    if (w->n_order == w->n_people)
        return;
    w->order = xrealloc(w->order, (w->cap_people + 1) * sizeof *w->order);
    int sorted = 1;
    for (size_t i = 0; i < w->n_people; i++) {
        w->order[i] = i;
        sorted &= i == 0 || w->people[i - 1].id < w->people[i].id;
    }
    if (!sorted) {
        sort_w = w;
        qsort(w->order, w->n_people, sizeof *w->order, cmp_person_at);
        sort_w = NULL;
    }
    w->n_order = w->n_people;
}

int oc_words_read(oc_words *w, store *db, const int64_t *people, size_t n, err *e)
{
    int all = !people || n > WORDS_ONE_BY_ONE;
    oc_words *into = all ? oc_words_new() : w;
    read_ctx x = { into, NULL, 0, 0 };
    int rc = store_experience_words_each(db, all ? NULL : people, all ? 0 : n, take_record, &x, e);
    if (rc == 0) {
        qsort(x.pairs, x.n, sizeof *x.pairs, cmp_pair);
        take_runs(into, x.pairs, x.n, all ? NULL : people, all ? 0 : n);
    }
    free(x.pairs);
    if (all) {
        if (rc == 0) {             /* everything read: the new words replace the old */
            oc_words tmp = *w;
            *w = *into;
            *into = tmp;
        }
        oc_words_free(into);
    }
    /* A failed read of a few people may have left texts no run uses: harmless, and packed away below. */
    if (w->stale > 1024 && w->stale > w->n_ids / 2)
        pack(w);
    order_people(w);
    return rc;
}

/* ---- searching ---- */

struct oc_word_match {
    char *word;                /* ASCII lowered */
    unsigned char *known;      /* per text: 0 not looked at yet, 1 mentions the word, 2 not */
    uint64_t *bits;            /* per person id up to max_id: a record mentions the word (NULL: ids
                                  too sparse, each person looked up in the hash) */
    int64_t max_id;
};

static int run_mentions(const oc_words *w, oc_word_match *m, const word_person *p);

oc_word_match *oc_word_match_new(const oc_words *w, const char *word)
{
    oc_word_match *m = xcalloc(1, sizeof *m);
    m->word = lowered(word, strlen(word));
    m->known = xcalloc(w->n_texts + 1, 1);
    /* Every person decided at once into bits by id when the ids are dense
     * enough (12.5 KB for 100,000): a talent search asks row by row, and a
     * hash probe per row cost more than the search itself. */
    for (size_t i = 0; i < w->n_people; i++)
        if (w->people[i].id > m->max_id)
            m->max_id = w->people[i].id;
    if (m->max_id / 64 <= (int64_t)w->n_people + 1024) {
        m->bits = xcalloc((size_t)m->max_id / 64 + 1, sizeof *m->bits);
        for (size_t i = 0; i < w->n_people; i++)
            if (w->people[i].id >= 0 && run_mentions(w, m, &w->people[i]))
                m->bits[w->people[i].id / 64] |= (uint64_t)1 << (w->people[i].id % 64);
    }
    return m;
}

void oc_word_match_free(oc_word_match *m)
{
    if (!m)
        return;
    free(m->word);
    free(m->known);
    free(m->bits);
    free(m);
}

/* 1 when a text of p's run mentions m's word. */
static int run_mentions(const oc_words *w, oc_word_match *m, const word_person *p)
{
    for (size_t k = 0; p && k < p->count; k++) {
        uint32_t t = w->ids[p->from + k];
        if (!m->known[t])
            m->known[t] = strstr(w->texts[t], m->word) ? 1 : 2;
        if (m->known[t] == 1)
            return 1;
    }
    return 0;
}

int oc_word_match_person(const oc_words *w, oc_word_match *m, int64_t person_id)
{
    if (m->bits)
        return person_id >= 0 && person_id <= m->max_id && (m->bits[person_id / 64] >> (person_id % 64) & 1u);
    return run_mentions(w, m, person_find(w, person_id));
}

int orgcols_mentions(const orgcols *oc, const char *word, const int64_t *persons, size_t n, unsigned char *hit, err *e)
{
    memset(hit, 0, n);
    if (!word || !*word || strlen(word) > STORE_WORD_MAX)
        return err_refuse(e, ERR_INVALID, "search.word", "word", "a word of 1 to 100 bytes");
    if (!oc->words) {
        err_set(e, "", 0, 0, "word", "these columns hold levels only");
        return -1;
    }
    const oc_words *w = oc->words;
    oc_word_match *m = oc_word_match_new(w, word);
    size_t j = 0;              /* persons ascending (as the talent search gives them): walked beside w->order */
    int ascending = 1;         /* else (from the first step down on) looked up one by one */
    for (size_t i = 0; i < n; i++) {
        const word_person *p = NULL;
        ascending &= i == 0 || persons[i] >= persons[i - 1];
        if (!ascending) {
            p = person_find(w, persons[i]);
        } else {
            while (j < w->n_order && w->people[w->order[j]].id < persons[i])
                j++;
            if (j < w->n_order && w->people[w->order[j]].id == persons[i])
                p = &w->people[w->order[j]];
        }
        hit[i] = (unsigned char)run_mentions(w, m, p);
    }
    oc_word_match_free(m);
    return 0;
}
