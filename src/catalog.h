/* catalog.h - the standard as data: load, validate, look up.
 *
 * A catalog holds one ITSS job category as docs/catalog-format.md describes it.
 * catalog_load() reads and validates a file as a whole: it returns a catalog or
 * nothing. A loaded catalog is never changed again, so any number of threads may
 * read it at once without locks. All memory (texts, arrays, index) belongs to the
 * catalog and goes with catalog_free(). */
#ifndef ITSS_CATALOG_H
#define ITSS_CATALOG_H

#include <stddef.h>
#include "err.h"

#define CATALOG_MAX_FILE (64u * 1024u * 1024u)

typedef struct catalog catalog;
typedef struct catalog_spec catalog_spec;

/* A text with an identifier: checklist item, note, knowledge item. */
typedef struct catalog_item {
    const char *id;
    const char *text;
} catalog_item;

typedef enum catalog_criterion_kind {
    CRITERION_COMPLEXITY, CRITERION_SIZE, CRITERION_TASK, CRITERION_KINDS
} catalog_criterion_kind;

/* 複雑性, サイズ or タスク特性 of one level: a lead sentence and its checklist. */
typedef struct catalog_criterion {
    const char *id;
    catalog_criterion_kind kind;
    const char *lead;
    const catalog_item *items;
    size_t n_items;
    const catalog_item *notes;
    size_t n_notes;
} catalog_criterion;

/* The achievement indicators (達成度指標) of one level. */
typedef struct catalog_level {
    const char *id;
    int level;
    const catalog_spec *owner;           /* specialization or common-level block */
    catalog_item responsibility;         /* 責任性 */
    catalog_criterion criteria[CRITERION_KINDS];
} catalog_level;

typedef struct catalog_area {
    const char *id;
    const char *code;
    const char *name;
    int is_specific;                     /* 専門分野固有 (1) or 職種共通 (0) */
    const char *description;
} catalog_area;

typedef struct catalog_proficiency {
    const char *id;
    int level;
    const char *text;
} catalog_proficiency;

typedef struct catalog_knowledge_category {
    const char *id;
    const char *name;
    const catalog_item *items;
    size_t n_items;
} catalog_knowledge_category;

/* One skill area as a specialization (or common block) describes it. */
typedef struct catalog_spec_area {
    const char *id;
    const catalog_area *area;
    const catalog_spec *owner;
    const catalog_proficiency *proficiency;  /* in file order */
    size_t n_proficiency;
    const catalog_knowledge_category *knowledge;
    size_t n_knowledge;
} catalog_spec_area;

/* A specialization, or a block of common levels shared by specializations. */
struct catalog_spec {
    const char *id;
    const char *code;
    const char *name;
    const char *description;             /* NULL for a common-level block */
    int is_common;
    const catalog_spec *const *shared_by;/* common blocks: the specializations sharing it */
    size_t n_shared_by;
    const catalog_level *levels;         /* own levels, in file order */
    size_t n_levels;
    const catalog_spec_area *areas;
    size_t n_areas;
};

typedef struct catalog_note {
    const char *id;
    const char *about;
    const char *text;
} catalog_note;

/* What an identifier names. */
typedef enum catalog_kind {
    CK_NONE, CK_JOB, CK_AREA, CK_SPEC, CK_LEVEL, CK_RESPONSIBILITY, CK_CRITERION,
    CK_CHECK_ITEM, CK_CRITERION_NOTE, CK_SPEC_AREA, CK_PROFICIENCY, CK_KNOWLEDGE_CATEGORY,
    CK_KNOWLEDGE_ITEM, CK_NOTE
} catalog_kind;

typedef struct catalog_element {
    catalog_kind kind;
    const char *id;
    const catalog_spec *spec;                 /* owning specialization or block, when any */
    const catalog_level *level;               /* LEVEL, RESPONSIBILITY, CRITERION, CHECK_ITEM, CRITERION_NOTE */
    const catalog_criterion *criterion;       /* CRITERION, CHECK_ITEM, CRITERION_NOTE */
    const catalog_item *item;                 /* CHECK_ITEM, CRITERION_NOTE, KNOWLEDGE_ITEM, RESPONSIBILITY */
    const catalog_area *area;                 /* AREA, SPEC_AREA, PROFICIENCY, KNOWLEDGE_* */
    const catalog_spec_area *spec_area;       /* SPEC_AREA, PROFICIENCY, KNOWLEDGE_* */
    const catalog_proficiency *proficiency;   /* PROFICIENCY */
    const catalog_knowledge_category *category; /* KNOWLEDGE_* */
    const catalog_note *note;                 /* NOTE */
    int index;                                /* 0-based position within its list */
} catalog_element;

/* Loading. Both return NULL on failure with every error found in *errors
 * (errors may be NULL). name is used in messages (normally the path). */
catalog *catalog_load_file(const char *path, err_list *errors);
catalog *catalog_load_buffer(const char *text, size_t len, const char *name, err_list *errors);
/* The catalog built into the binary (catalog/customer-service.json). */
catalog *catalog_load_builtin(err_list *errors);
void catalog_free(catalog *c);

/* Catalog-wide facts. Returned strings belong to the catalog. */
const char *catalog_id(const catalog *c);
const char *catalog_version(const catalog *c);
const char *catalog_title(const catalog *c);
const char *catalog_name(const catalog *c);        /* where it was loaded from */
const char *catalog_job_id(const catalog *c);
const char *catalog_job_name(const catalog *c);
const char *catalog_job_overview(const catalog *c);
const char *catalog_source_document(const catalog *c);
const char *catalog_source_publisher(const catalog *c);
const char *catalog_source_file(const catalog *c);      /* NULL when the catalog names none */
int catalog_level_min(const catalog *c);
int catalog_level_max(const catalog *c);

size_t catalog_area_count(const catalog *c);
const catalog_area *catalog_area_at(const catalog *c, size_t i);
size_t catalog_spec_count(const catalog *c);            /* specializations only */
const catalog_spec *catalog_spec_at(const catalog *c, size_t i);
size_t catalog_common_count(const catalog *c);          /* common-level blocks */
const catalog_spec *catalog_common_at(const catalog *c, size_t i);
size_t catalog_note_count(const catalog *c);
const catalog_note *catalog_note_at(const catalog *c, size_t i);

/* Lookups. Names match a code ("HW"), an id ("CS.HW") or a name ("ハードウェア"),
 * after NFKC normalization and ignoring ASCII case. NULL when none. */
const catalog_spec *catalog_spec_find(const catalog *c, const char *name);
const catalog_area *catalog_area_find(const catalog *c, const char *name);

/* The achievement indicators of `level` for specialization spec, whether the
 * level is its own or comes from a common block. NULL when it has no such level. */
const catalog_level *catalog_level_of(const catalog *c, const catalog_spec *spec, int level);
/* Lowest and highest level a specialization has, common levels included. */
void catalog_spec_level_range(const catalog *c, const catalog_spec *spec, int *lo, int *hi);
/* Skill area `area` as spec describes it at `level` (the common block's entry for a
 * common level). NULL when the specialization has no such area there. */
const catalog_spec_area *catalog_spec_area_of(const catalog *c, const catalog_spec *spec,
                                              const catalog_area *area, int level);
/* spec's own entry for area (not a common block's), or NULL. */
const catalog_spec_area *catalog_spec_area_own(const catalog_spec *spec, const catalog_area *area);
/* The entries describing area for spec: its own, then each common block's that
 * spec shares, in file order. Fills out (room for max); returns how many. */
size_t catalog_spec_area_blocks(const catalog *c, const catalog_spec *spec, const catalog_area *area,
                                const catalog_spec_area **out, size_t max);
/* The common-level blocks whose levels spec shares, in file order. Fills out
 * (room for max); returns how many. */
size_t catalog_commons_of(const catalog *c, const catalog_spec *spec, const catalog_spec **out, size_t max);
/* 1 when block is spec itself or a common block that spec shares (0 for NULL). */
int catalog_block_of(const catalog_spec *block, const catalog_spec *spec);
/* The proficiency text of a spec area at a level, or NULL. */
const catalog_proficiency *catalog_proficiency_at(const catalog_spec_area *sa, int level);

/* By identifier, O(1) expected. Returns 1 and fills *out when found, else 0. */
int catalog_find(const catalog *c, const char *id, catalog_element *out);

/* Every identified element in stable (file) order; used by export and search. */
size_t catalog_element_count(const catalog *c);
const catalog_element *catalog_element_at(const catalog *c, size_t i);

/* The display text of an element: item text, lead, name, description, the job's
 * overview... NULL for a level, which has no text of its own. */
const char *catalog_element_text(const catalog_element *e);
/* "complexity" / "size" / "task" and the standard's own names. */
const char *catalog_criterion_key(catalog_criterion_kind k);
const char *catalog_criterion_label(catalog_criterion_kind k);   /* 複雑性 ... */
const char *catalog_kind_name(catalog_kind k);                   /* "check_item" ... */

#endif
