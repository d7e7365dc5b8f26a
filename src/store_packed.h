/* store_packed.h - the packed answers of store_packed.c, for the store files
 * that read and change them (store_answer.c, store_answer_convert.c).
 *
 * How answers are kept (docs/store.md, schema version 6): per catalog version a
 * dictionary numbers the elements ever answered (answer_element, numbers given
 * in order of first use and never changed); per assessment and rater one row
 * holds a vector of 3-bit codes indexed by that number, 0 for unanswered and
 * value + 1 for an answer (answer_values); evidence links name the element by
 * its number (answer_evidence); and every save appends one history row holding
 * only what changed (assessment_history, kind 'answers', packed_changes_*). */

#ifndef ITSS_STORE_PACKED_H
#define ITSS_STORE_PACKED_H

#include <stdint.h>

#include "assessment.h"
#include "buf.h"
#include "store_internal.h"

#define CODE_BITS 3
/* In a history row's changes, the flags byte of a run record (a code no answer
 * has): schema 15, store_changes_runs. */
#define CHANGES_RUN 7
#define CHANGES_RUN_MIN 4      /* shorter runs stay one record per answer (no smaller) */

/* The element dictionary of one catalog version, as far as this connection has
 * read it. */
typedef struct elem_dict {
    char *catalog_id, *catalog_version;
    char **ids;                /* by element number */
    size_t n;
    uint32_t *slots;           /* open addressing: number + 1, 0 empty */
    size_t n_slots;            /* a power of two, more than twice n */
    uint32_t *order;           /* numbers sorted by element id (strcmp), valid while n_order == n */
    size_t n_order;
} elem_dict;

/* One evidence link of an answer. */
typedef struct ev_link {
    int rater;
    uint32_t element;
    int64_t experience_id;
} ev_link;

/* Every answer of one assessment, unpacked: codes per rater by element number,
 * and the evidence links sorted by (rater, element, record). */
typedef struct answer_state {
    uint8_t *codes[RATER_COUNT];
    size_t n;                  /* length of each codes array (zero beyond what is answered) */
    ev_link *links;
    size_t n_links;
} answer_state;

/* The dictionary of catalog_id version as far as read (refreshed from the
 * database when needed); s owns it. NULL with *e on failure. */
elem_dict *store_dict_get(store *s, const char *catalog_id, const char *version, err *e);
/* Reads the entries of d added since it was last read. 0, or -1 with *e. */
int store_dict_refresh(store *s, elem_dict *d, err *e);
/* The number of element id in d, or -1 when it has none. */
long store_dict_lookup(const elem_dict *d, const char *id);
/* The number of element id in d, given one (and recorded) when it has none. -1 with *e on failure. */
long store_dict_number(store *s, elem_dict *d, const char *id, err *e);
/* Sorts d's numbers by element id into d->order (when not already). */
void store_dict_order(elem_dict *d);

/* Orders evidence links by rater, element number, then experience id (qsort). */
int store_cmp_link(const void *a, const void *b);

/* Frees what st holds and zeroes it. */
void store_state_free(answer_state *st);
/* Makes room in st for n elements (codes zeroed beyond what was there). */
void store_state_reserve(answer_state *st, size_t n);
/* Makes to a deep copy of from (free with store_state_free). */
void store_state_copy(answer_state *to, const answer_state *from);
/* The range [*from, *to) of st's links of (rater, element). */
void store_state_links_of(const answer_state *st, int rater, uint32_t element, size_t *from, size_t *to);
/* Sets the answer of (rater, element): code (0 unanswered) and its evidence ids[0..n). */
void store_state_set(answer_state *st, int rater, uint32_t element, int code, const int64_t *ids, size_t n);
/* Reads every answer of assessment id into st (st owns them). 0, or -1 with *e. */
int store_state_load(store *s, int64_t id, answer_state *st, err *e);
/* Writes what differs between was and now for assessment id. 0, or -1 with *e. */
int store_state_store(store *s, int64_t id, const answer_state *was, const answer_state *now, err *e);
/* Appends to out what changed from was to now (a history row's changes); how many answers changed. */
size_t store_changes_encode(const answer_state *was, const answer_state *now, buf *out);
/* Rewrites the changes of one history row (as store_changes_encode writes them
 * per answer) so that every run of at least CHANGES_RUN_MIN answers of one
 * rater, at consecutive element numbers, none with an evidence change, is one
 * run record: the first answer's head as before, the byte CHANGES_RUN, a
 * varint count, then the count's codes, CODE_BITS each, low bits first,
 * padded to a byte. The element before the next record is the run's last.
 * A first filling's ~300 answers take ~120 bytes instead of ~600. The one
 * writer of runs: store_changes_encode and store_bulk.c both end with it. */
void store_changes_runs(buf *changes);
/* The packed form of codes[0..n) into out: CODE_BITS each, little-endian,
 * trailing unanswered elements left out. Returns the byte count (0: none
 * answered). The store's one packing, used by the bulk writer too. */
size_t store_codes_pack(const uint8_t *codes, size_t n, buf *out);
/* Applies one history row's packed changes p[0..len) to st (d's numbers,
 * refreshed when a number is new), appending to out (when not NULL) the value
 * and evidence entries it stands for, with ids row_id << 20 plus their rank
 * (at and actor are only read for out). 0, or -1 when it does not decode. */
int store_changes_apply(store *s, elem_dict *d, answer_state *st, const unsigned char *p, size_t len, int64_t row_id,
                        const char *at, const char *actor, store_history_list *out, err *e);
/* Adds the answers st holds (values and evidence, by d's numbers) to a, in
 * element id order: what store_answers_load gives. */
void store_state_fill(elem_dict *d, const answer_state *st, assessment *a);
/* A set of element numbers as a blob (the agreements of an assessment or an
 * approval): numbers[0..n) sorted (in place), duplicates dropped, as varint
 * differences, appended to out. */
void store_numbers_encode(uint32_t *numbers, size_t n, buf *out);
/* Appends to (*ids, *n) the element ids of d that blob p[0..len) numbers, in its
 * order (heap copies). 0, or -1 when a number is not in d. */
int store_numbers_ids(store *s, elem_dict *d, const unsigned char *p, size_t len, char ***ids, size_t *n, err *e);
/* The unsigned varint at p[*pos] of len bytes (moving *pos past it). */
uint64_t store_get_varint(const unsigned char *p, size_t len, size_t *pos);

#endif
