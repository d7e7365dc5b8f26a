/* report_skillmap.h - the skill map (スキルマップ) as sections of a report
 * document (report_table.h), counted over the organization's columns
 * (orgcols.h) as /hr/skillmap counts it: proficiency by unit × skill area (the
 * distribution of levels), knowledge coverage by unit × area × category (the
 * workbook only: long), and the scope's knowledge categories weakest first. */
#ifndef ITSS_REPORT_SKILLMAP_H
#define ITSS_REPORT_SKILLMAP_H

#include "err.h"
#include "orgcols.h"
#include "report_table.h"
#include "store.h"

/* Adds the skill map of scope sc (its unit's own members and each unit below
 * it, then the total; every specialization) to d. 0, or -1 with *e (the store
 * failed reading unit names, or the columns hold levels only). */
int report_skillmap_sections(report_doc *d, store *db, const orgcols *cols, const orgcols_scope *sc, err *e);

#endif
