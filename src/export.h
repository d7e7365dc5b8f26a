/* export.h - people, assessment answers and levels out of the store as CSV or
 * JSON, the one export that `itss export` and the web (HR downloads,
 * GET /api/v1/exports/...) both run, so that a file is the same wherever it
 * comes from. Layouts: docs/csv.md; import reads back what export writes.
 *
 * CSV is UTF-8 with a byte order mark and CRLF line ends (Japanese Excel opens
 * it as it is); a text a spreadsheet would run as a formula gets a leading
 * apostrophe (csv.h). Exports stream: rows are rendered into the caller's buf,
 * and when a flush function is given it is called every megabyte, so an export
 * of 100,000 people need not be held whole. */
#ifndef ITSS_EXPORT_H
#define ITSS_EXPORT_H

#include <stdint.h>
#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "policy.h"
#include "store.h"

typedef enum export_kind {
    EXPORT_PEOPLE,            /* every person, by employee number */
    EXPORT_ASSESSMENTS,       /* every answer (JSON: one object per assessment) */
    EXPORT_LEVELS             /* per assessment, the level reached in each specialization */
} export_kind;

enum { EXPORT_LEVELS_OFFICIAL, EXPORT_LEVELS_SELF };

/* "official", "self"; export_level_kind_parse returns -1 for another name. */
const char *export_level_kind_name(int k);
int export_level_kind_parse(const char *name);

/* "people", "assessments", "levels"; export_kind_parse returns -1 for another name. */
const char *export_kind_name(export_kind k);
int export_kind_parse(const char *name);

typedef struct export_options {
    export_kind kind;
    int json;                 /* JSON instead of CSV */
    int64_t cycle_id;         /* assessments and levels of this cycle only; 0: every cycle */
    const catalog *catalog;   /* assessments (answer order) and levels: the catalog the database uses */
    const policy *policy;     /* levels: the level-determination policy */
    /* levels: which kind of level (a column level_kind says it in every row):
     * EXPORT_LEVELS_OFFICIAL (the default) the level of a certificate valid on
     * `today`, else the level frozen by the approval in force, for the
     * assessments that have one; EXPORT_LEVELS_SELF the engine's level from the
     * self-assessment, for every assessment. */
    int level_kind;
    const char *today;        /* YYYY-MM-DD; NULL: today's local date */
    /* CSV for people to read (--headers ja): Japanese column names (社員番号,
     * 氏名, ...; a specialization by its name), statuses and level kinds in
     * Japanese and level 0 as 未到達. itss import reads only the English
     * headers, so such a file is for reading, not for importing back. */
    int headers_ja;
    /* Called with out when it has grown past a megabyte, and once at the end; it
     * writes the bytes somewhere and empties out. Returns 0, or -1 to stop the
     * export (export_write then returns -1 with e untouched). NULL: everything
     * stays in out. */
    int (*flush)(buf *out, void *ctx);
    void *flush_ctx;
} export_options;

/* Appends the export opts asks for to out. Returns 0, or -1 with *e filled
 * when the store fails (or the flush function stopped it). */
int export_write(store *db, const export_options *opts, buf *out, err *e);

#endif
