/* store.h - where itss keeps its data: one interface, several databases.
 *
 * A store holds the organization (org units, people), the assessment cycles, each
 * person's experience records (実績) and professional contributions, and the
 * assessments with every answer and an append-only history of every change.
 * docs/store.md draws the tables.
 *
 * store_open() picks the backend from what it is given: "postgres://..." or
 * "postgresql://..." is a PostgreSQL server (src/store_pg.c), anything else is an
 * SQLite file (src/store_sqlite.c). Nothing in this header belongs to one backend;
 * the handle is opaque and the SQL behind it is portable.
 *
 * Conventions, for every function below:
 *   - The result is 0 on success and -1 on failure, with *e (which may be NULL)
 *     holding a message that names what was wrong: "employee number E0001 is
 *     already in use", never a bare SQL error. Failed calls change nothing.
 *   - find/get functions return 1 when found, 0 when not (e then holds a ready
 *     "no such ..." message the caller may print or ignore), -1 on failure.
 *   - Every change of several rows happens in one transaction. A caller may group
 *     calls with store_begin()/store_commit() (an import: any error, store_rollback()
 *     and nothing is written); calls made inside such a transaction nest as
 *     savepoints, so a call that fails undoes only itself and the caller decides.
 *   - Ids are the database's row ids (int64_t, > 0). 0 means "none" in optional
 *     references (parent unit, org unit, manager) and "any" in filters.
 *   - Strings the store returns in structs belong to the struct and go with its
 *     *_clear or *_free function. Strings passed in are copied; optional ones may
 *     be NULL or "" (both stored as absent).
 *   - Dates are "YYYY-MM-DD", months "YYYY-MM", moments "YYYY-MM-DDTHH:MM:SSZ" (UTC).
 *   - `actor` (who made a change) is a free label recorded in the history as given:
 *     an employee number, a user name, "import:people.csv"... It may not be empty.
 *   - A store handle is used by one thread at a time. */
#ifndef ITSS_STORE_H
#define ITSS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "assessment.h"
#include "err.h"

typedef struct store store;

/* ---- Opening -------------------------------------------------------------- */

/* url_or_path as messages and logs show it: a PostgreSQL URL's password as ***.
 * Caller frees. */
char *store_location_shown(const char *url_or_path);

/* store_open flags. */
#define STORE_CREATE 1         /* create the database when it does not exist (itss init, demo) */

/* The database to use: path_option (the value of --db) when not NULL, else $ITSS_DB
 * when set and not empty, else "./itss.db". The result is path_option, the
 * environment's string or a literal: never free it. */
const char *store_default_path(const char *path_option);

/* Opens the database at url_or_path and brings its schema up to date, applying each
 * missing migration in its own transaction. Refuses, with a message saying so: a
 * missing database unless flags has STORE_CREATE ("run itss init"); a file that is
 * not an itss database; a schema newer than this program knows. Returns the handle
 * (the caller closes it with store_close) or NULL with *e filled. */
store *store_open(const char *url_or_path, int flags, err *e);

/* Rolls back any transaction still open and closes. NULL is allowed. */
void store_close(store *s);

/* "sqlite" or "postgresql". */
const char *store_backend(const store *s);
/* The path or URL the store was opened with (for messages; a URL's password is
 * not shown). Belongs to the store. */
const char *store_location(const store *s);

/* The schema version of the open database, and the newest this program knows
 * (equal after a successful store_open). */
int store_schema_version(const store *s);
int store_schema_latest(const store *s);

/* Runs the backend's own consistency check (SQLite: PRAGMA integrity_check and
 * foreign_key_check). 0 when all is well; -1 with the first problems in *e. */
int store_check(store *s, err *e);

/* Never freezing: a read waits at most STORE_READ_WAIT_MS for a lock (with
 * SQLite's WAL it normally waits for nothing), a write (store_begin, or a
 * statement that changes something) at most STORE_WRITE_WAIT_MS for another
 * writer, then fails with "locked" (the web answers 503 with Retry-After). */
#define STORE_READ_WAIT_MS 50
#define STORE_WRITE_WAIT_MS 2000
/* Sets how long this handle's writes wait for the lock, in ms (0: not at all,
 * for writes that may be skipped; -1: back to STORE_WRITE_WAIT_MS). */
void store_write_wait(store *s, int ms);
/* 1 when the database file could not be opened for writing (served read-only). */
int store_read_only(const store *s);
/* 1 when a write could start right now (takes and gives back the write lock
 * without waiting); 0 with the reason in *e (read-only, locked by another). */
int store_writable(store *s, err *e);
/* Writes a consistent copy of the whole database to the file dest (which must
 * not exist), while other connections and processes keep using it. 0, or -1. */
int store_backup(store *s, const char *dest, err *e);

/* One table of a copy: its name, the rows copied, and 1 when the destination
 * read back equal to the source. */
typedef struct store_copy_table {
    const char *table;
    int64_t rows;
    int verified;
} store_copy_table;

/* Copies every table of from into to (a new, empty database of either backend,
 * at the same schema version), ids and all, in one transaction of to, reading
 * from one moment of from; then reads both back and compares each table's rows
 * and values. Fills out[0..n) (out_size must be at least the schema's table
 * count) and returns n; -1 with *e on failure, to unchanged (store_copy.c). */
int store_copy(store *from, store *to, store_copy_table *out, size_t out_size, err *e);

/* ---- Transactions --------------------------------------------------------- */

/* Starts a transaction, or a savepoint inside one already open. SQLite takes the
 * write lock at once, waiting up to STORE_WRITE_WAIT_MS for another writer. */
int store_begin(store *s, err *e);
/* Starts a transaction for reading, or a savepoint inside one already open:
 * every read until the matching store_commit sees the database as it was at the
 * first of them, and SQLite takes its read lock once instead of once per
 * statement. It takes no write lock: a write inside it may be refused as busy
 * when another connection wrote since the first read, so keep it to reads. */
int store_begin_read(store *s, err *e);
/* Ends the innermost transaction (or savepoint) keeping its changes. A failed
 * commit rolls back. */
int store_commit(store *s, err *e);
/* Ends the innermost transaction (or savepoint) undoing its changes. */
int store_rollback(store *s, err *e);
/* How many transactions and savepoints are open (0: none). */
int store_depth(const store *s);

/* ---- Settings and catalogs ------------------------------------------------ */

/* A small key/value table for settings (text values). store_meta_get returns 1 and
 * a copy in *value (caller frees) when the key is set, 0 and NULL when not. */
int store_meta_get(store *s, const char *key, char **value, err *e);
int store_meta_set(store *s, const char *key, const char *value, err *e);

/* One catalog (id and content version) the database knows: assessments can only be
 * made against a known catalog version. */
typedef struct store_catalog {
    char *id;                  /* "itss-customer-service" */
    char *version;             /* "2011.1" */
    char *title;               /* may be NULL */
    char *recorded_at;
    int in_use;                /* 1 for the catalog the database uses now */
} store_catalog;

typedef struct store_catalog_list {
    store_catalog *items;
    size_t count;
} store_catalog_list;

/* Records catalog id/version (title may be NULL) as known and as the one the
 * database uses from now on (what `itss init` does; again for a new edition). */
int store_catalog_use(store *s, const char *id, const char *version, const char *title, err *e);
/* The catalog in use: 1 with copies in *id and *version (caller frees), 0 when none
 * was recorded yet ("run itss init"). */
int store_catalog_current(store *s, char **id, char **version, err *e);
/* 1 when the catalog version is known, 0 when not (with a message listing the
 * versions that are). */
int store_catalog_known(store *s, const char *id, const char *version, err *e);
/* Every known catalog version, oldest first. */
int store_catalog_list_all(store *s, store_catalog_list *out, err *e);
void store_catalog_list_free(store_catalog_list *l);

/* ---- Organization units (a tree) ------------------------------------------ */

typedef struct store_org_unit {
    int64_t id;
    char *code;                /* unique short name, e.g. "CS-1" */
    char *name;                /* 第一カスタマサービス部 */
    int64_t parent_id;         /* 0 for a top unit */
    char *parent_code;         /* filled by get/find/list; NULL for a top unit */
    int depth;                 /* filled by lists: 0 for the unit listed first */
} store_org_unit;

typedef struct store_org_list {
    store_org_unit *items;
    size_t count;
} store_org_list;

/* Adds a unit under parent_id (0: at the top). *id (may be NULL) gets its id. */
int store_org_add(store *s, const char *code, const char *name, int64_t parent_id, int64_t *id, err *e);
/* Renames or moves unit id; refuses to move a unit below itself. */
int store_org_edit(store *s, int64_t id, const char *code, const char *name, int64_t parent_id, err *e);
int store_org_find(store *s, const char *code, store_org_unit *out, err *e);
int store_org_get(store *s, int64_t id, store_org_unit *out, err *e);
/* Every unit in tree order (each unit followed by its sub-units, siblings by
 * code), depth counted from the top. */
int store_org_list_all(store *s, store_org_list *out, err *e);
/* Unit id (when include_self) and all units below it, in tree order, depth
 * counted from id. */
int store_org_descendants(store *s, int64_t id, int include_self, store_org_list *out, err *e);
void store_org_unit_clear(store_org_unit *u);
void store_org_list_free(store_org_list *l);

/* ---- People ---------------------------------------------------------------- */

typedef struct store_person {
    int64_t id;                /* ignored by add */
    char *employee_number;     /* unique; no spaces or control characters */
    char *name;
    char *kana;                /* NULL when none */
    char *email;               /* NULL when none */
    int64_t org_unit_id;       /* 0 when none */
    int64_t manager_id;        /* 0 when none */
    char *left_on;             /* the date the person left (YYYY-MM-DD); NULL while in the organization
                                  (schema 11). On and after it they are gone from the current views */
    /* Read only, filled by find/get/list from the unit and the manager: */
    char *org_code, *org_name;
    char *manager_number, *manager_name;
} store_person;

typedef struct store_person_list {
    store_person *items;
    size_t count;
} store_person_list;

/* Which people a list or count takes. All members 0/NULL: everyone. */
typedef struct store_person_filter {
    int64_t org_unit_id;       /* only this unit ... */
    int include_sub_units;     /* ... and, when 1, the units below it */
    int64_t manager_id;        /* only the direct reports of this person */
    const char *search;        /* substring of number, name, kana or email (ASCII case ignored) */
    int64_t limit;             /* at most this many (0: all) */
    int64_t offset;            /* after skipping this many, in employee-number order */
    int include_left;          /* 1: people who left too (left_on on or before today); 0: the current ones */
} store_person_filter;

/* Adds p (p->id ignored); *id (may be NULL) gets the new id. A duplicate employee
 * number, an unknown unit or manager is refused naming it. */
int store_person_add(store *s, const store_person *p, int64_t *id, err *e);
/* Saves every editable field of p over person p->id (load it, change, save). A
 * manager may not be the person or anyone who reports to them. */
int store_person_edit(store *s, const store_person *p, err *e);
int store_person_find(store *s, const char *employee_number, store_person *out, err *e);
int store_person_get(store *s, int64_t id, store_person *out, err *e);
/* The people f takes (f may be NULL), ordered by employee number. */
int store_person_list_filter(store *s, const store_person_filter *f, store_person_list *out, err *e);
/* Calls fn for each person f takes, in employee-number order, without holding them
 * all in memory (exports of 100,000 people). The person passed belongs to the store
 * for the duration of the call. fn returns 0 to go on, anything else to stop (that
 * value is then returned). fn may call other store functions. */
int store_person_each(store *s, const store_person_filter *f,
                      int (*fn)(const store_person *p, void *ctx), void *ctx, err *e);
/* How many people f takes (limit and offset ignored). */
int store_person_count(store *s, const store_person_filter *f, int64_t *count, err *e);
void store_person_clear(store_person *p);
void store_person_list_free(store_person_list *l);

/* ---- Assessment cycles ---------------------------------------------------- */

typedef struct store_cycle {
    int64_t id;
    char *name;                /* 2026年度; unique */
    char *opens;               /* YYYY-MM-DD */
    char *closes;              /* YYYY-MM-DD, not before opens */
} store_cycle;

typedef struct store_cycle_list {
    store_cycle *items;
    size_t count;
} store_cycle_list;

int store_cycle_add(store *s, const char *name, const char *opens, const char *closes, int64_t *id, err *e);
/* Renames cycle id or changes its dates (HR opening or closing it early). */
int store_cycle_edit(store *s, int64_t id, const char *name, const char *opens, const char *closes, err *e);
int store_cycle_find(store *s, const char *name, store_cycle *out, err *e);
int store_cycle_get(store *s, int64_t id, store_cycle *out, err *e);
/* Every cycle, the latest opening first. */
int store_cycle_list_all(store *s, store_cycle_list *out, err *e);
/* The cycle open on `today` (YYYY-MM-DD; NULL: today's local date), the one that
 * opened last when several are; 0 when none is open (e says so). */
int store_cycle_current(store *s, const char *today, store_cycle *out, err *e);
/* Of the cycles open on `today` (NULL: today's local date), the one with the
 * most assessments (ties: the latest opening): the campaign in progress, not a
 * cycle opened beside it that is still nearly empty. 1 with *out filled, 0 when
 * none is open, -1 on a store error. */
int store_cycle_in_use(store *s, const char *today, store_cycle *out, err *e);
void store_cycle_clear(store_cycle *c);
void store_cycle_list_free(store_cycle_list *l);

/* ---- Experience records (実績) and professional contributions --------------- */

/* An experience record of a person. x.id is the row id in decimal, so that the
 * record can be named as evidence in assessment answers. */
typedef struct store_experience {
    int64_t id;
    int64_t person_id;
    assessment_experience x;
} store_experience;

typedef struct store_experience_list {
    store_experience *items;
    size_t count;
} store_experience_list;

/* Adds x (x->id ignored) as a record of person_id. The store checks the shape of
 * each field (periods "YYYY-MM", from not after to; level 1..7; item ids listed
 * once); that the ids name catalog elements is for the caller, who has the catalog. */
int store_experience_add(store *s, int64_t person_id, const assessment_experience *x, int64_t *id, err *e);
/* Replaces every field and item list of record id with those of x. */
int store_experience_edit(store *s, int64_t id, const assessment_experience *x, err *e);
/* Deletes record id. Where an answer names it as evidence, the link goes and the
 * history records the change (by actor). Refused while an approved assessment
 * names it. */
int store_experience_delete(store *s, int64_t id, const char *actor, err *e);
int store_experience_get(store *s, int64_t id, store_experience *out, err *e);
/* The records of person_id, oldest period first. */
int store_experience_list_person(store *s, int64_t person_id, store_experience_list *out, err *e);
void store_experience_clear(store_experience *x);
void store_experience_list_free(store_experience_list *l);

typedef struct store_contribution {
    int64_t id;
    int64_t person_id;
    assessment_contribution c;
} store_contribution;

typedef struct store_contribution_list {
    store_contribution *items;
    size_t count;
} store_contribution_list;

/* Professional contributions (後進育成, community activity, papers and reports):
 * c->title required, c->date "YYYY-MM" or "YYYY-MM-DD" when given. */
int store_contribution_add(store *s, int64_t person_id, const assessment_contribution *c, int64_t *id, err *e);
int store_contribution_edit(store *s, int64_t id, const assessment_contribution *c, err *e);
int store_contribution_delete(store *s, int64_t id, err *e);
int store_contribution_get(store *s, int64_t id, store_contribution *out, err *e);
/* The contributions of person_id, by date. */
int store_contribution_list_person(store *s, int64_t person_id, store_contribution_list *out, err *e);
void store_contribution_clear(store_contribution *c);
void store_contribution_list_free(store_contribution_list *l);

/* ---- Assessments ------------------------------------------------------------ */

/* One assessment without its answers: what lists show. */
typedef struct store_assessment {
    int64_t id;
    int64_t person_id;
    int64_t cycle_id;
    char *employee_number;
    char *person_name;
    char *cycle;               /* cycle name */
    char *catalog_id;
    char *catalog_version;
    assessment_status status;
    char *created_at;
    char *updated_at;
    /* A change counter: it moves on with every change of what the assessment
     * holds or shows, in the same transaction as the change (its answers, status
     * and comments; its person's experience records, contributions, name and
     * number; its cycle's name). Caches of a loaded or evaluated assessment key
     * on (id, revision): updated_at counts seconds and only follows answers and
     * status. */
    int64_t revision;
} store_assessment;

typedef struct store_assessment_list {
    store_assessment *items;
    size_t count;
} store_assessment_list;

/* Which assessments a list takes; all 0: every one. */
typedef struct store_assessment_filter {
    int64_t person_id;
    int64_t cycle_id;
    int status;                /* an assessment_status, or -1 (any); note 0 is draft */
    int64_t org_unit_id;       /* people of this unit ... */
    int include_sub_units;     /* ... and of the units below it */
    int64_t limit, offset;     /* ordered by cycle (latest opening first), then employee number */
    /* Without person_id, a list leaves out the assessments of a cycle that had not closed when its person
     * left (left_on on or before today and the cycle's close), unless include_left is 1. */
    int include_left;
} store_assessment_filter;

/* Creates the draft assessment of person_id in cycle_id against a known catalog
 * version (one per person and cycle); the history records the creation. */
int store_assessment_create(store *s, int64_t person_id, int64_t cycle_id, const char *catalog_id,
                            const char *catalog_version, const char *actor, int64_t *id, err *e);
/* The assessment of person_id in cycle_id, created as store_assessment_create
 * does when there is none. *created (may be NULL) tells which happened. */
int store_assessment_ensure(store *s, int64_t person_id, int64_t cycle_id, const char *catalog_id,
                            const char *catalog_version, const char *actor, int64_t *id, int *created,
                            err *e);
int store_assessment_get(store *s, int64_t id, store_assessment *out, err *e);
int store_assessment_find(store *s, int64_t person_id, int64_t cycle_id, store_assessment *out, err *e);
/* The assessments f takes (f may be NULL: every one). */
int store_assessment_list_filter(store *s, const store_assessment_filter *f, store_assessment_list *out,
                                 err *e);
void store_assessment_clear(store_assessment *a);
void store_assessment_list_free(store_assessment_list *l);

/* The whole assessment id as the engine and the faces use it: person, cycle,
 * catalog and status; every answer of every rater with its evidence; the
 * person's experience records (ids in decimal) and contributions. Returns 1 with
 * *out the caller's (assessment_free), 0 when there is no such assessment, -1. */
int store_assessment_load(store *s, int64_t id, assessment **out, err *e);

/* Saves one answer (insert or replace, by element and rater) in one transaction,
 * appending to the history what changed (value, evidence) by actor; an answer
 * equal to the stored one changes nothing. value is 0..4 (0/1 met, or a rating);
 * evidence ids must be the decimal ids of experience records of the assessed
 * person. Refused once the assessment is approved. */
int store_answer_save(store *s, int64_t assessment_id, const assessment_answer *answer, const char *actor,
                      err *e);
/* Removes the answer of rater about element_id (the history records it); 0 and
 * nothing changed when there was none. */
int store_answer_delete(store *s, int64_t assessment_id, const char *element_id, assessment_rater rater,
                        const char *actor, err *e);
/* Makes the answers of assessment id exactly those of a (answers not in a are
 * removed), in one transaction, recording each change as store_answer_save does.
 * Only a->answers is read: experience records are the person's, saved on their own. */
int store_assessment_save_answers(store *s, int64_t id, const assessment *a, const char *actor, err *e);
/* Loads every answer of assessment id into a (replacing answers a has for the
 * same element and rater). */
int store_answers_load(store *s, int64_t id, assessment *a, err *e);
/* Sets the status (draft, submitted, returned, approved), recorded in the history.
 * Which transitions a role may make is for the faces to decide. */
int store_assessment_set_status(store *s, int64_t id, assessment_status status, const char *actor, err *e);

/* One change of an assessment, as the history keeps it. */
typedef struct store_history_entry {
    int64_t id;                /* increasing: the order of changes */
    char *at;                  /* UTC moment */
    char *actor;
    char *field;               /* "created", "value", "evidence" or "status" */
    char *element_id;          /* NULL for created and status */
    int rater;                 /* an assessment_rater, -1 for created and status */
    char *old_value;           /* NULL when there was none */
    char *new_value;           /* NULL when removed; evidence as "3,7" (ids ascending) */
} store_history_entry;

typedef struct store_history_list {
    store_history_entry *items;
    size_t count;
} store_history_list;

/* The history of assessment id, oldest change first. */
int store_history_list_assessment(store *s, int64_t id, store_history_list *out, err *e);
void store_history_list_free(store_history_list *l);

/* ---- Results cache -------------------------------------------------------- */

/* The engine's result for one specialization, kept so that lists of many people
 * need not evaluate each. Any change to the assessment's answers, or to its
 * person's experience records, drops its cached results. */
typedef struct store_result {
    char *specialization_id;   /* CS.HW */
    int level;                 /* level reached, 0 for 未到達 */
    char *detail;              /* the explanation as the engine serialized it (e.g. JSON); may be NULL */
    char *computed_at;
} store_result;

typedef struct store_result_list {
    store_result *items;
    size_t count;
} store_result_list;

/* Keeps (replaces) the result of assessment_id for specialization_id under policy
 * (the policy's identity: name and version or digest). */
int store_result_put(store *s, int64_t assessment_id, const char *policy, const char *specialization_id,
                     int level, const char *detail, err *e);
/* The cached results of assessment_id under policy, by specialization; none
 * (count 0) when they were dropped or never computed. */
int store_result_list_assessment(store *s, int64_t assessment_id, const char *policy, store_result_list *out,
                                 err *e);
void store_result_list_free(store_result_list *l);
/* Calls fn for every kept result under policy (no order), without holding them
 * all; fn returns 0 to go on, anything else to stop (then returned). fn may not
 * call the store. */
int store_result_each(store *s, const char *policy,
                      int (*fn)(int64_t assessment_id, const char *specialization_id, int level, void *ctx), void *ctx,
                      err *e);

/* ---- Changes, for whoever keeps assessments in memory ---------------------- */

/* An assessment as store_assessment_changes gives it. Strings belong to the
 * store for the duration of the call. */
typedef struct store_assessment_change {
    int64_t id, person_id, cycle_id;
    int64_t org_unit_id;       /* the person's unit now, 0 none */
    int64_t revision;
    assessment_status status;
    const char *catalog_id, *catalog_version;
    int left;                  /* its person left (on or before today) before its cycle closed: gone from
                                  the current views (store_person.left_on) */
} store_assessment_change;

/* Revisions are ordered across assessments: every change gives its assessment a
 * revision above every other's (schema v7). Calls fn for each assessment whose
 * revision is above `since` (0: every one), in the order of their revisions, so
 * that a reader who keeps the highest revision seen reads next time only what
 * changed since (an answer, a status, the person's records, unit or name, the
 * cycle). fn returns 0 to go on, anything else to stop (then returned); fn may
 * not call the store. */
int store_assessment_changes(store *s, int64_t since, int (*fn)(const store_assessment_change *c, void *ctx),
                             void *ctx, err *e);

/* ---- Columns for the org views (store_orgcols.c) -------------------------- */

/* The element numbers of the packed answers of a catalog version: (*ids)[k] is
 * the element id of number k, *n of them (the caller frees them with
 * store_answer_elements_free). Numbers only grow: read them in the same read
 * transaction as the values. */
int store_answer_elements(store *s, const char *catalog_id, const char *version, char ***ids, size_t *n, err *e);
void store_answer_elements_free(char **ids, size_t n);

/* Calls fn for each assessment of that catalog version whose revision is above
 * since (0: every one), in revision order, with the answers of rater as values[0..n)
 * by element number (store_answer_elements): -1 unanswered, else the value.
 * Assessments without any answer of the rater are not called. values belongs
 * to the store for the call. fn returns 0 to go on (else returned); it may not
 * call the store. */
int store_answer_values_each(store *s, const char *catalog_id, const char *version, assessment_rater rater,
                             int64_t since, int (*fn)(int64_t assessment_id, const signed char *values, size_t n,
                                                      void *ctx),
                             void *ctx, err *e);

/* The official levels (store_official_levels) of every assessment whose
 * revision is above since (since 0: of every assessment, read in one pass over
 * the approvals and one over the certificates), on date today: first each
 * level of the approvals in force (certified 0), then each level of the
 * certificates valid on that date (certified 1) in the order they were
 * issued, a later one replacing what came before for its specialization. fn
 * as for store_answer_values_each. */
int store_official_each(store *s, const char *today, int64_t since,
                        int (*fn)(int64_t assessment_id, const char *specialization_id, int level, int certified,
                                  void *ctx),
                        void *ctx, err *e);

/* A fingerprint of the org units (how many, and a hash of each one's id,
 * parent and code): a unit added, removed, moved or recoded changes it. */
int store_org_stamp(store *s, int64_t stamp[2], err *e);

/* The highest person id and how many times a person moved to another unit
 * (meta people_moves): people added or moved change it (people are never
 * removed). */
int store_person_stamp(store *s, int64_t stamp[2], err *e);

/* How many people each org unit has now (org_unit_id 0: people without one). */
int store_person_unit_counts(store *s, int (*fn)(int64_t org_unit_id, int64_t people, void *ctx), void *ctx,
                             err *e);

/* Every org unit: id, parent (0 for a top unit) and code, in no order. fn as
 * for store_answer_values_each. */
int store_org_units_each(store *s, int (*fn)(int64_t id, int64_t parent_id, const char *code, void *ctx), void *ctx,
                         err *e);

/* A stamp of the database as this connection sees it: equal stamps read on the
 * same connection mean nobody (this connection included) changed anything in
 * between. A backend without a cheap one gives -1, -1: never equal. */
int store_change_stamp(store *s, int64_t stamp[2], err *e);

/* How many assessments there are. */
int store_assessment_total(store *s, int64_t *count, err *e);
/* The lowest and highest assessment id and how many there are (0, 0, 0 for
 * none) into range[0..3). 0, or -1 with *e. */
int store_assessment_id_range(store *s, int64_t range[3], err *e);
/* Calls fn for every assessment by id, with whether it is of catalog_id
 * version. fn as for store_answer_values_each. */
int store_assessment_ids_each(store *s, const char *catalog_id, const char *version,
                              int (*fn)(int64_t assessment_id, int same_catalog, void *ctx), void *ctx, err *e);

/* Every experience record: its person, specialization, claimed level and
 * whether it succeeded, in no order. fn as for store_answer_values_each. */
int store_experience_each(store *s,
                          int (*fn)(int64_t person_id, const char *specialization_id, int level, int succeeded,
                                    void *ctx),
                          void *ctx, err *e);

/* An assessment with its person's name and unit, as the levels export writes
 * it. Strings belong to the store for the call (NULL: none). */
typedef struct store_assessment_row {
    int64_t id, person_id;
    const char *employee_number, *person_name, *org_code, *org_name, *cycle;
    assessment_status status;
    const char *catalog_id, *catalog_version;
} store_assessment_row;

/* Calls fn for every assessment of cycle_id (0: every cycle) in the order of
 * store_assessment_list_filter (the newest cycle first, then by employee
 * number), without holding them all. fn as for store_answer_values_each. */
int store_assessment_rows_each(store *s, int64_t cycle_id, int (*fn)(const store_assessment_row *row, void *ctx),
                               void *ctx, err *e);

/* Keeps at most 2 MiB of this connection's pages cached (a connection that
 * reads everything once, such as the org columns' own, gains nothing from more). */
int store_small_cache(store *s, err *e);
/* Back to the page cache a connection opens with (64 MiB). */
int store_normal_cache(store *s, err *e);

/* ---- Comments on an assessment --------------------------------------------- */

/* Why a comment was written. */
typedef enum store_comment_kind {
    COMMENT_NOTE,              /* "comment": a remark in the thread */
    COMMENT_RETURN,            /* "return": the reason for returning it for rework */
    COMMENT_APPROVE,           /* "approve": a note with the approval */
    COMMENT_KIND_COUNT
} store_comment_kind;

/* One comment of an assessment's thread. */
typedef struct store_comment {
    int64_t id;                /* increasing: the order of the thread */
    int64_t assessment_id;
    char *author;              /* an actor label: the login of the user who wrote it */
    store_comment_kind kind;
    char *body;                /* plain text, may hold line breaks */
    char *created_at;
    /* Read only: the name of the person whose user wrote it; NULL when none. */
    char *author_name;
} store_comment;

typedef struct store_comment_list {
    store_comment *items;
    size_t count;
} store_comment_list;

#define STORE_COMMENT_MAX 4000 /* bytes of a comment's body */

/* Adds a comment to the thread of assessment_id by author (an actor label).
 * body is required text (line breaks allowed) of at most STORE_COMMENT_MAX
 * bytes. *id (may be NULL) gets its id. An unknown assessment is refused. */
int store_comment_add(store *s, int64_t assessment_id, const char *author, store_comment_kind kind,
                      const char *body, int64_t *id, err *e);
/* The thread of assessment_id, oldest first. */
int store_comment_list_assessment(store *s, int64_t assessment_id, store_comment_list *out, err *e);
void store_comment_list_free(store_comment_list *l);
/* "comment", "return", "approve"; the *_parse function returns -1 for another name. */
const char *store_comment_kind_name(store_comment_kind k);
int store_comment_kind_parse(const char *name);

/* ---- Reviews, approvals, certificates (schema version 9; store_review.c) ------ */

/* The reviewer's explicit agreement with the self-rating of element_id
 * ("本人評価に同意"): the reviewed rating of an element is the reviewer's
 * (rater manager) where given, else the self-rating where agreed. agreed 1
 * records it (again: no change), 0 removes it. Refused once the assessment is
 * approved. Moves the assessment's revision. */
int store_agreement_set(store *s, int64_t assessment_id, const char *element_id, int agreed, const char *actor,
                        err *e);

typedef struct store_agreement_list {
    char **element_ids;        /* ascending */
    size_t count;
} store_agreement_list;

/* The elements of assessment_id the reviewer agreed with. */
int store_agreement_list_assessment(store *s, int64_t assessment_id, store_agreement_list *out, err *e);
void store_agreement_list_free(store_agreement_list *l);

/* The level of one specialization an approval decided. */
typedef struct store_approval_level {
    char *specialization_id;   /* CS.HW */
    int level;                 /* 0 = 未到達 */
} store_approval_level;

/* One approval: the frozen result of an assessment as its reviewer approved it.
 * Never changed once written; HR reopening the assessment adds the reopen_*
 * members (the approval stays in the history). */
typedef struct store_approval {
    int64_t id;
    int64_t assessment_id;
    char *approved_by;         /* actor label (login) */
    char *approved_at;         /* moment, UTC */
    char *policy_id, *policy_version;
    char *catalog_id, *catalog_version;
    char *result;              /* the engine's result of the reviewed ratings as JSON (engine_result_json) */
    char *explanation;         /* the explanation as text (explain_text) */
    char *experience;          /* the experience records as they stood, a JSON array */
    store_approval_level *levels;   /* by specialization id */
    size_t n_levels;
    char *reopened_by, *reopened_at, *reopen_reason;   /* NULL while in force */
    /* Compact approvals (schema 14, docs/store.md): result and explanation are
     * "" in the store and rebuilt by review_approval_frozen from what the
     * approval keeps (store_approval_basis). */
    int64_t answers_through;   /* read: > 0 for a compact approval, the history row its answers stood at */
    const struct store_approval_basis *basis;   /* add: non-NULL records a compact approval (result and
                                                   explanation may be NULL); answers_through is the store's */
} store_approval;

/* What a compact approval keeps besides its row and levels: with the answers
 * as they stood (store_answers_load_through), enough for the engine to give
 * again the result and explanation that were approved, and their digest to
 * check it did. */
typedef struct store_approval_basis {
    int64_t answers_through;   /* read only */
    char *policy_text;         /* the policy file's text (kept once per distinct text, by its SHA-256) */
    char *employee_number, *person_name, *cycle;   /* as they stood */
    char **agreed;             /* the elements agreed with the self-rating, ascending */
    size_t n_agreed;
    char *digest;              /* SHA-256 (hex) of the result JSON, a newline and the explanation */
} store_approval_basis;

typedef struct store_approval_list {
    store_approval *items;
    size_t count;
} store_approval_list;

/* Records approval a (every member but id and reopen_*); *id (may be NULL)
 * gets its id. The caller sets the assessment's status in the same transaction. */
int store_approval_add(store *s, const store_approval *a, int64_t *id, err *e);
/* The approval of assessment_id in force (the latest, not reopened): 1, or 0. */
int store_approval_current(store *s, int64_t assessment_id, store_approval *out, err *e);
int store_approval_get(store *s, int64_t id, store_approval *out, err *e);
/* Every approval of assessment_id, oldest first (reopened ones included). */
int store_approval_list_assessment(store *s, int64_t assessment_id, store_approval_list *out, err *e);
/* Marks approval id as reopened by actor for reason (required). Refused when
 * it was already reopened. Moves the assessment's revision. */
int store_approval_reopen(store *s, int64_t id, const char *actor, const char *reason, err *e);
void store_approval_clear(store_approval *a);
void store_approval_list_free(store_approval_list *l);
/* What compact approval approval_id keeps (out: store_approval_basis_clear):
 * 1, 0 when it is not a compact one (made before schema 14), -1. */
int store_approval_basis_get(store *s, int64_t approval_id, store_approval_basis *out, err *e);
void store_approval_basis_clear(store_approval_basis *b);
/* The answers of assessment id as they stood after its history row `through`
 * (its history replayed to there), into a, as store_answers_load gives the
 * current ones. 0, or -1 with *e. */
int store_answers_load_through(store *s, int64_t id, int64_t through, assessment *a, err *e);

/* A 社内認定 certificate: an approved level of one specialization, certified. */
typedef struct store_certificate {
    int64_t id;
    char *number;              /* "ITSS-2026-000001"; made by store_certificate_add */
    int64_t person_id;
    int64_t approval_id;
    char *specialization_id;
    int level;                 /* 1.. */
    char *certified_on;        /* date */
    char *valid_from, *valid_until;   /* dates, from <= until */
    char *certified_by;
    char *created_at;
    char *revoked_by, *revoked_at, *revoke_reason;   /* NULL unless revoked */
    /* Read only: */
    char *employee_number, *person_name;
    int64_t assessment_id;
    char *cycle;
} store_certificate;

typedef struct store_certificate_list {
    store_certificate *items;
    size_t count;
} store_certificate_list;

/* Which certificates a list takes; all 0/NULL: every one, the newest first. */
typedef struct store_certificate_filter {
    int64_t person_id;
    const char *valid_on;      /* only those valid on this date (not revoked, from <= date <= until) */
    const char *until_before;  /* ... and with valid_until <= this date (expiring soon) */
} store_certificate_filter;

/* Adds c (person_id, approval_id, specialization_id, level, certified_on,
 * valid_from, valid_until, certified_by); *id and *number (caller frees; both
 * may be NULL) get the new certificate's id and number. Moves the revision of
 * the approval's assessment. */
int store_certificate_add(store *s, const store_certificate *c, int64_t *id, char **number, err *e);
/* The certificate with that number: 1, or 0. */
int store_certificate_find(store *s, const char *number, store_certificate *out, err *e);
int store_certificate_list_filter(store *s, const store_certificate_filter *f, store_certificate_list *out,
                                  err *e);
/* Revokes certificate id by actor for reason (required); refused when already
 * revoked. Moves the revision of its assessment. */
int store_certificate_revoke(store *s, int64_t id, const char *actor, const char *reason, err *e);
void store_certificate_clear(store_certificate *c);
void store_certificate_list_free(store_certificate_list *l);

/* The official level of one specialization of an assessment. */
typedef struct store_official_level {
    char *specialization_id;
    int level;
    int certified;             /* 1: a certificate valid on the date says so; 0: the approval in force */
    char *certificate_number;  /* when certified */
} store_official_level;

typedef struct store_official {
    int64_t approval_id;       /* the approval in force, 0 when none */
    store_official_level *items;
    size_t count;
} store_official;

/* The official levels of assessment_id on date `today`: the level of a
 * certificate valid on that date issued from one of its approvals, else the
 * level of its approval in force. count 0 when it has neither. */
int store_official_levels(store *s, int64_t assessment_id, const char *today, store_official *out, err *e);
void store_official_clear(store_official *o);

/* ---- Accounts: users, sessions, API tokens, failed logins ----------------- */

/* A user of the web application and the API. Roles are spelled as account.h
 * names them; the password only as its argon2id hash. Logins are 1 to 64 bytes
 * of ASCII letters, digits, '.', '_', '-' and '@'. A person has at most one user. */
typedef struct store_user {
    int64_t id;                /* ignored by add */
    char *login;
    int64_t person_id;         /* 0 when none */
    char *role;                /* "engineer", "manager", "hr" or "admin" */
    char *password_hash;
    int disabled;
    /* Read only: */
    char *created_at;
    char *employee_number, *person_name;   /* of the person; NULL when none */
} store_user;

typedef struct store_user_list {
    store_user *items;
    size_t count;
} store_user_list;

/* Adds u (login, person_id, role, password_hash, disabled); *id (may be NULL)
 * gets the new id. A login or a person already taken is refused naming it. */
int store_user_add(store *s, const store_user *u, int64_t *id, err *e);
/* Saves person_id, role and disabled of user u->id. Disabling ends the user's
 * sessions and deletes their API tokens, for good (enabling revives nothing). */
int store_user_edit(store *s, const store_user *u, err *e);
/* Replaces the password hash of user id, ends the user's sessions and deletes
 * their API tokens. */
int store_user_set_password(store *s, int64_t id, const char *password_hash, err *e);
int store_user_find(store *s, const char *login, store_user *out, err *e);
int store_user_get(store *s, int64_t id, store_user *out, err *e);
/* Every user, by login. */
int store_user_list_all(store *s, store_user_list *out, err *e);
void store_user_clear(store_user *u);
void store_user_list_free(store_user_list *l);

/* A login session. The secret token itself is never stored: token_hash is its
 * hash (account_token_hash). Times are moments (UTC) the caller gives, so that
 * expiry is decided in one place (web_auth.c). */
typedef struct store_session {
    char *csrf_token;
    char *created_at;
    char *last_seen_at;
    store_user user;           /* whose session it is */
} store_session;

int store_session_add(store *s, const char *token_hash, int64_t user_id, const char *csrf_token, const char *now,
                      err *e);
/* The session with token_hash and its user: 1 found, 0 not. */
int store_session_find(store *s, const char *token_hash, store_session *out, err *e);
/* Records a use of the session at now. */
int store_session_touch(store *s, const char *token_hash, const char *now, err *e);
/* Ends one session (0 also when there was none). */
int store_session_delete(store *s, const char *token_hash, err *e);
/* Ends every session last used before idle_before or begun before started_before. */
int store_session_prune(store *s, const char *idle_before, const char *started_before, err *e);
void store_session_clear(store_session *x);

/* A bearer token for scripts, kept as the hash of its secret. */
typedef struct store_api_token {
    int64_t id;
    char *name;                /* what it is for, as its creator said */
    char *created_at;
    char *expires_at;          /* NULL: never */
    char *last_used_at;        /* NULL: never used */
    char *scope;               /* "read" (GET and HEAD only) or "write" (everything its user may) */
    store_user user;           /* whose token it is */
} store_api_token;

typedef struct store_api_token_list {
    store_api_token *items;
    size_t count;
} store_api_token_list;

/* Adds a token of user_id; expires_at (a moment) may be NULL. Its scope is
 * "write"; store_api_token_add_scope chooses ("read" or "write"). */
int store_api_token_add(store *s, int64_t user_id, const char *name, const char *token_hash, const char *now,
                        const char *expires_at, int64_t *id, err *e);
int store_api_token_add_scope(store *s, int64_t user_id, const char *name, const char *token_hash,
                              const char *now, const char *expires_at, const char *scope, int64_t *id, err *e);
/* The token with token_hash and its user: 1 found, 0 not. */
int store_api_token_find(store *s, const char *token_hash, store_api_token *out, err *e);
int store_api_token_touch(store *s, int64_t id, const char *now, err *e);
/* The tokens of user_id (0: of every user), by login and id. */
int store_api_token_list_user(store *s, int64_t user_id, store_api_token_list *out, err *e);
/* Revokes token id; 0 and nothing changed when there is none (e says so). */
int store_api_token_delete(store *s, int64_t id, err *e);
void store_api_token_clear(store_api_token *t);
void store_api_token_list_free(store_api_token_list *l);

/* Failed logins, for throttling: the login as typed (known or not) and the
 * client's address. */
int store_login_failure_add(store *s, const char *login, const char *address, const char *now, err *e);
/* How many failures since `since` were for login from address (*by_pair, the
 * latest at moment last, "" when none), and from address for any login. */
int store_login_failures(store *s, const char *login, const char *address, const char *since, int64_t *by_pair,
                         char last[32], int64_t *by_address, err *e);
/* Forgets the failures of login from address (after a successful login). */
int store_login_failures_clear(store *s, const char *login, const char *address, err *e);
/* Forgets every failure before `before`. */
int store_login_failures_prune(store *s, const char *before, err *e);

#endif
