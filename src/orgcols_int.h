/* orgcols_int.h - the layout of the organization's columns, shared by
 * orgcols.c (holding and refreshing them) and orgcols_views.c (counting over
 * them). Nothing else includes it.
 *
 * Rows are kept in one array in the order first read; a hash from assessment
 * id to row finds a row again when it changes. Beside each row, `facts` holds
 * `stride` bytes: the proficiency level per specialization × area (0xff: the
 * specialization has no such area), then the self ratings of the knowledge
 * items, 4 bits each (0xf: unrated), area by area and within an area block by
 * block (specializations, then common blocks), each (area, block) run starting
 * on a byte so that a view sums whole bytes through a table. */
#ifndef ITSS_ORGCOLS_INT_H
#define ITSS_ORGCOLS_INT_H

#include <stdint.h>
#include "engine.h"
#include "orgcols.h"
#include "store_person_order.h"

#define OC_UNRATED 0xf
#define OC_NO_AREA 0xff

typedef struct orgcols_row {
    int64_t id, person_id, cycle_id, unit_id;
    int32_t unit_ix;                             /* unit_id's index in the unit arrays, -1 none */
    unsigned char status;
    unsigned char answered;                      /* facts hold the answers read */
    uint16_t certified;                          /* bit s: official[s] from a certificate */
    signed char levels[ORGCOLS_MAX_SPECS];       /* self; -1 another catalog version, -2 unknown yet */
    signed char official[ORGCOLS_MAX_SPECS];     /* -1 none */
} orgcols_row;

/* The words of the people's experience records (orgcols_words.c). */
typedef struct oc_words oc_words;
oc_words *oc_words_new(void);
void oc_words_free(oc_words *w);
size_t oc_words_bytes(const oc_words *w);
/* Reads the records of people[0..n) again (people NULL: everyone's, the old
 * words replaced). 0, or -1 with *e (then the people not read keep their
 * old words). */
int oc_words_read(oc_words *w, store *db, const int64_t *people, size_t n, err *e);
/* A word looked for, person by person (talent search's ORGCOLS_COND_WORD):
 * each text decided once. word 1..STORE_WORD_MAX bytes. */
typedef struct oc_word_match oc_word_match;
oc_word_match *oc_word_match_new(const oc_words *w, const char *word);
/* 1 when a record of person_id mentions the word, else 0. */
int oc_word_match_person(const oc_words *w, oc_word_match *m, int64_t person_id);
void oc_word_match_free(oc_word_match *m);

/* One knowledge item of the catalog, where its rating sits in a row's facts. */
typedef struct oc_item {
    const char *id;
    size_t area;                                 /* catalog_area_at index */
    size_t block;                                /* index into blocks */
    const catalog_knowledge_category *category;
    size_t nibble;                               /* position in the ratings (2 per byte) */
} oc_item;

struct orgcols {
    const catalog *cat;
    const policy *pol;
    char policy_key[200];
    size_t n_specs, n_areas, n_blocks;
    const catalog_spec **blocks;                 /* specializations, then common blocks */
    engine *eng;
    engine_result *res;
    orgcols_row *rows;
    size_t n_rows, cap_rows;
    unsigned char *facts;                        /* cap_rows × stride */
    size_t stride, prof_bytes;                   /* prof_bytes = n_specs × n_areas; both 0 when levels only */
    int levels_only;                             /* orgcols_levels_only: no answers read */
    oc_item *items;                              /* knowledge items, in nibble order */
    size_t n_items;
    size_t *run_from, *run_bytes;                /* per area × block: byte offset (after prof) and length */
    unsigned char *spec_blocks;                  /* n_specs × n_areas × n_blocks: 1 when spec's area has the block */
    uint32_t lut[256];                           /* per ratings byte: rated | covered << 8 | sum << 16 */
    int min_rating;
    int *dict_slot, *dict_item;                  /* by element number of the packed answers: -1 none */
    size_t n_dict;
    signed char *values;                         /* engine_slot_count() scratch */
    size_t *slots;                               /* open addressing: row index + 1, 0 empty */
    size_t n_slots;
    int64_t seen;                                /* the highest revision read */
    char today[11];                              /* the date official levels were read for */
    int64_t *unit_ids, *unit_parents;            /* the unit tree, sorted by id */
    int64_t *unit_people;                        /* people per unit (same index) */
    char **unit_codes;                           /* (same index) */
    int64_t people_no_unit;                      /* people without a unit */
    int64_t people_stamp[2];                     /* store_person_stamp when the people were counted */
    int64_t units_stamp[2];                      /* store_org_stamp when the units were read */
    int units_read;
    store_person_rank *ranks;                    /* every person's sort keys, by person id (read with the people) */
    size_t n_ranks;
    int people_moved;                            /* a changed assessment's person moved unit: count again */
    int64_t person_lo, person_hi;                /* the lowest and highest person id of a row (0, 0: none) */
    size_t n_units;
    oc_words *words;                             /* the experience records' words (NULL: levels only) */
    int64_t stamp[2];                            /* store_change_stamp after the last refresh */
    const store *stamp_db;                       /* ... on this connection (NULL: none yet) */
};

/* The row of assessment id, or NULL. */
const orgcols_row *oc_row_find(const orgcols *oc, int64_t id);
/* The facts of row i. */
static inline const unsigned char *oc_facts(const orgcols *oc, size_t i)
{
    return oc->facts + i * oc->stride;
}
/* The index of unit id in the sorted unit arrays, or -1. */
long oc_unit_at(const orgcols *oc, int64_t id);
/* Index of specialization id in the catalog, or -1. */
int oc_spec_index(const orgcols *oc, const char *id);

/* How the units of a scope group into rows of a view: the scope's unit itself
 * (its direct members), then each child unit with everything below it. */
typedef struct oc_buckets {
    long *of_unit;             /* n_units: the bucket of each unit, -1 outside the scope */
    size_t n;
    int64_t *unit_ids;         /* per bucket */
    int *direct;
    int64_t *people;           /* per bucket, then the scope's total at [n] */
    int whole;                 /* scope 0: everyone, people without a unit counted in the total */
} oc_buckets;

/* The buckets of scope unit top (0: the whole organization, by top units);
 * the caller frees them with oc_buckets_free. */
void oc_buckets_make(const orgcols *oc, int64_t top, oc_buckets *b);
void oc_buckets_free(oc_buckets *b);
/* The bucket of row r: its index, b->n for the scope's total only (no unit,
 * whole organization), -1 outside the scope. */
long oc_row_bucket(const orgcols *oc, const oc_buckets *b, const orgcols_row *r);
/* The levels a scope reads from row r in cycle_id, NULL when r is not counted. */
const signed char *oc_scope_levels(const orgcols_scope *sc, const orgcols_row *r, int64_t cycle_id);
/* The rows of a grid or coverage view (heap arrays): the buckets, then the total. */
void oc_view_rows(const oc_buckets *b, size_t *n_rows, int64_t **unit_ids, int **direct, int64_t **people);

/* From person id to the levels a scope reads in one cycle (of the person's
 * one assessment there): an array by person id (ids are dense: people are
 * never deleted; n_specs bytes each, 3 MB at 1,000,000 people), or a hash
 * when the ids are far apart. A lookup reads one place, not a row. */
#define OC_NO_ROW (-128)       /* levels[0] of a person without a row */
typedef struct oc_person_map {
    signed char *levels;       /* n slots × stride */
    int64_t *keys;             /* NULL: slot = person id - lo; else each slot's person id (0 empty) */
    int64_t lo;
    size_t n, stride;
} oc_person_map;
/* The levels of the rows of cycle_id in scope by person; freed with
 * oc_person_map_free. */
void oc_person_map_make(const orgcols *oc, const orgcols_scope *sc, const oc_buckets *b, int64_t cycle_id,
                        oc_person_map *m);
/* The levels of person_id's row (n_specs of them, valid while m is), NULL when none. */
const signed char *oc_person_map_levels(const oc_person_map *m, int64_t person_id);
void oc_person_map_free(oc_person_map *m);
/* up/same/down of one person in both cycles (a now, b before), as portfolio_compare counts. */
void oc_count_movement(size_t n_specs, const signed char *a, const signed char *b, int64_t *up, int64_t *same,
                       int64_t *down);

#endif
