/* assessment.c - the in-memory assessment: construction, answers, records, names. */
#include "assessment.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* A heap array of heap copies of n strings; NULL when n is 0. The caller owns it. */
static char **copy_ids(const char *const *ids, size_t n)
{
    if (n == 0 || !ids)
        return NULL;
    char **out = xrealloc(NULL, n * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(ids[i]);
    return out;
}

/* Frees n strings and the array holding them. */
static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Answers' element ids are packed one after another in blocks that belong to
 * the assessment, in the order they are first set: an assessment loaded in id
 * order (as the store loads it) is then read by the engine front to back,
 * which matters when 100,000 of them are evaluated. */
struct assessment_text_block {
    struct assessment_text_block *next;
    size_t used, size;
    char text[];
};

/* A copy of s in a's text blocks; it lives until assessment_free(). */
static char *pack_id(assessment *a, const char *s)
{
    size_t n = strlen(s) + 1;
    struct assessment_text_block *b = a->id_text;
    if (!b || b->size - b->used < n) {
        size_t size = n > 8192 ? n : 8192;
        b = xrealloc(NULL, sizeof *b + size);
        b->next = a->id_text;
        b->used = 0;
        b->size = size;
        a->id_text = b;
    }
    char *d = b->text + b->used;
    memcpy(d, s, n);
    b->used += n;
    return d;
}

/* Grows an array of elements of size `size` so that it holds one more. */
static void *grow(void *array, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return array;
    *cap = *cap ? *cap * 2 : 16;
    return xrealloc(array, *cap * size);
}

/* A new draft; the caller frees it with assessment_free(). */
assessment *assessment_new(const char *employee_number, const char *person_name, const char *cycle,
                           const char *catalog_id, const char *catalog_version)
{
    assessment *a = xrealloc(NULL, sizeof *a);
    memset(a, 0, sizeof *a);
    a->employee_number = xstrdup(employee_number);
    a->person_name = xstrdup(person_name);
    a->cycle = xstrdup(cycle);
    a->catalog_id = xstrdup(catalog_id);
    a->catalog_version = xstrdup(catalog_version);
    a->status = ASSESSMENT_DRAFT;
    return a;
}

/* Frees what one experience record holds (not the record itself). */
static void free_experience(assessment_experience *x)
{
    free(x->id);
    free(x->project);
    free(x->period_from);
    free(x->period_to);
    free(x->role);
    free(x->specialization_id);
    free_ids(x->complexity_items, x->n_complexity_items);
    free_ids(x->size_items, x->n_size_items);
    free(x->description);
}

/* Frees the assessment and all it holds. */
void assessment_free(assessment *a)
{
    if (!a)
        return;
    free(a->employee_number);
    free(a->person_name);
    free(a->cycle);
    free(a->catalog_id);
    free(a->catalog_version);
    for (size_t i = 0; i < a->n_answers; i++)
        free_ids(a->answers[i].evidence, a->answers[i].n_evidence);
    free(a->answers);
    while (a->id_text) {
        struct assessment_text_block *next = a->id_text->next;
        free(a->id_text);
        a->id_text = next;
    }
    for (size_t i = 0; i < a->n_experience; i++)
        free_experience(&a->experience[i]);
    free(a->experience);
    for (size_t i = 0; i < a->n_contributions; i++) {
        free(a->contributions[i].title);
        free(a->contributions[i].date);
        free(a->contributions[i].description);
    }
    free(a->contributions);
    free(a);
}

/* Replaces *field with a copy of value. */
void assessment_set_text(char **field, const char *value)
{
    char *copy = xstrdup(value);
    free(*field);
    *field = copy;
}

/* Orders answers by element id, then rater. */
static int answer_cmp(const char *id, assessment_rater rater, const assessment_answer *x)
{
    int c = strcmp(id, x->element_id);
    if (c)
        return c;
    return (int)rater - (int)x->rater;
}

/* Position of (id, rater) in the sorted answers: *found is set when it is there,
 * else the returned index is where it would go. */
static size_t answer_search(const assessment *a, const char *id, assessment_rater rater, int *found)
{
    size_t lo = 0, hi = a->n_answers;
    /* Answers usually arrive in sorted order: try the end first. */
    if (hi > 0 && answer_cmp(id, rater, &a->answers[hi - 1]) > 0) {
        *found = 0;
        return hi;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = answer_cmp(id, rater, &a->answers[mid]);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    *found = 0;
    return lo;
}

/* Sets (replaces or adds) one answer; the stored answer belongs to the assessment. */
assessment_answer *assessment_set_answer(assessment *a, const char *element_id, assessment_rater rater,
                                         int value, const char *const *evidence, size_t n_evidence)
{
    int found;
    size_t at = answer_search(a, element_id, rater, &found);
    char **ev = copy_ids(evidence, n_evidence);
    assessment_answer *x;
    if (found) {
        x = &a->answers[at];
        free_ids(x->evidence, x->n_evidence);
    } else {
        a->answers = grow(a->answers, a->n_answers, &a->cap_answers, sizeof *a->answers);
        memmove(&a->answers[at + 1], &a->answers[at], (a->n_answers - at) * sizeof *a->answers);
        a->n_answers++;
        x = &a->answers[at];
        x->element_id = pack_id(a, element_id);
        x->rater = rater;
    }
    x->value = value;
    x->evidence = ev;
    x->n_evidence = ev ? n_evidence : 0;
    return x;
}

/* The answer of rater about element_id, or NULL; owned by the assessment. */
const assessment_answer *assessment_get_answer(const assessment *a, const char *element_id,
                                               assessment_rater rater)
{
    int found;
    size_t at = answer_search(a, element_id, rater, &found);
    return found ? &a->answers[at] : NULL;
}

/* Removes one answer; 1 when there was one. */
int assessment_remove_answer(assessment *a, const char *element_id, assessment_rater rater)
{
    int found;
    size_t at = answer_search(a, element_id, rater, &found);
    if (!found)
        return 0;
    free_ids(a->answers[at].evidence, a->answers[at].n_evidence);
    memmove(&a->answers[at], &a->answers[at + 1], (a->n_answers - at - 1) * sizeof *a->answers);
    a->n_answers--;
    return 1;
}

/* Appends a deep copy of *x; the stored record belongs to the assessment. */
assessment_experience *assessment_add_experience(assessment *a, const assessment_experience *x)
{
    a->experience = grow(a->experience, a->n_experience, &a->cap_experience, sizeof *a->experience);
    assessment_experience *y = &a->experience[a->n_experience++];
    y->id = xstrdup(x->id);
    y->project = xstrdup(x->project);
    y->period_from = xstrdup(x->period_from);
    y->period_to = xstrdup(x->period_to);
    y->role = xstrdup(x->role);
    y->specialization_id = xstrdup(x->specialization_id);
    y->level = x->level;
    y->complexity_items = copy_ids((const char *const *)x->complexity_items, x->n_complexity_items);
    y->n_complexity_items = y->complexity_items ? x->n_complexity_items : 0;
    y->size_items = copy_ids((const char *const *)x->size_items, x->n_size_items);
    y->n_size_items = y->size_items ? x->n_size_items : 0;
    y->succeeded = x->succeeded ? 1 : 0;
    y->description = xstrdup(x->description);
    return y;
}

/* The experience record with that id, or NULL. */
const assessment_experience *assessment_find_experience(const assessment *a, const char *id)
{
    for (size_t i = 0; i < a->n_experience; i++)
        if (a->experience[i].id && strcmp(a->experience[i].id, id) == 0)
            return &a->experience[i];
    return NULL;
}

/* Appends a deep copy of *x; the stored record belongs to the assessment. */
assessment_contribution *assessment_add_contribution(assessment *a, const assessment_contribution *x)
{
    a->contributions = grow(a->contributions, a->n_contributions, &a->cap_contributions,
                            sizeof *a->contributions);
    assessment_contribution *y = &a->contributions[a->n_contributions++];
    y->kind = x->kind;
    y->title = xstrdup(x->title);
    y->date = xstrdup(x->date);
    y->description = xstrdup(x->description);
    return y;
}

static const char *const status_names[ASSESSMENT_STATUS_COUNT] = {
    "draft", "submitted", "returned", "approved"
};
static const char *const rater_names[RATER_COUNT] = { "self", "manager" };
static const char *const contribution_names[CONTRIBUTION_KIND_COUNT] = {
    "mentoring", "community", "paper"
};
static const char *const contribution_labels[CONTRIBUTION_KIND_COUNT] = {
    "後進育成", "コミュニティ活動", "論文・報告"
};
static const char *const rating_labels[ASSESS_RATING_MAX + 1] = {
    "知らない", "知識がある", "支援を受けて実施できる", "独力で実施できる", "指導できる"
};

/* Index of name in names[n], or -1. */
static int name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* The file and command-line names; static strings. The *_parse functions give -1
 * for a name they do not know. */
const char *assessment_status_name(assessment_status s)
{
    return (unsigned)s < ASSESSMENT_STATUS_COUNT ? status_names[s] : "?";
}

int assessment_status_parse(const char *name)
{
    return name_index(status_names, ASSESSMENT_STATUS_COUNT, name);
}

const char *assessment_rater_name(assessment_rater r)
{
    return (unsigned)r < RATER_COUNT ? rater_names[r] : "?";
}

int assessment_rater_parse(const char *name)
{
    return name_index(rater_names, RATER_COUNT, name);
}

const char *contribution_kind_name(contribution_kind k)
{
    return (unsigned)k < CONTRIBUTION_KIND_COUNT ? contribution_names[k] : "?";
}

/* The Japanese label of a contribution kind; a static string. */
const char *contribution_kind_label(contribution_kind k)
{
    return (unsigned)k < CONTRIBUTION_KIND_COUNT ? contribution_labels[k] : "?";
}

int contribution_kind_parse(const char *name)
{
    return name_index(contribution_names, CONTRIBUTION_KIND_COUNT, name);
}

/* The standard's words for a knowledge rating; NULL outside 0..4. */
const char *assessment_rating_label(int rating)
{
    return rating >= 0 && rating <= ASSESS_RATING_MAX ? rating_labels[rating] : NULL;
}
