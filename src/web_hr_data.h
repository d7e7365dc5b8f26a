/* web_hr_data.h - what the HR pages (web_hr.c) and the HR API (web_hr_api.c)
 * share, implemented in web_hr_data.c: the checks of a cycle, an org unit and a
 * person with messages in the request's language naming the field at fault,
 * the 人材ポートフォリオ (counted by portfolio.c), and the import and export
 * runs. Handlers of both faces call these after the route table has let only
 * HR in. */
#ifndef ITSS_WEB_HR_DATA_H
#define ITSS_WEB_HR_DATA_H

#include <stdint.h>
#include "err.h"
#include "export.h"
#include "import.h"
#include "portfolio.h"
#include "report_levels.h"
#include "report_table.h"
#include "store.h"
#include "web.h"

/* A refusal of one field: the field's name (as forms and JSON spell it) and a
 * message in the request's language (request memory or static). */
typedef struct web_hr_problem {
    const char *field;
    const char *message;
} web_hr_problem;


/* Answers status (400, 404) with the message of key named by the parameter at
 * fault: "cycle: その評価期間はありません。" (field param in JSON answers). */
void web_hr_refuse(web_request *r, int status, const char *key, const char *param);

/* Today's local date as YYYY-MM-DD. */
void web_hr_today(char out[11]);
/* 1 when s is a real calendar date written YYYY-MM-DD. */
int web_hr_is_date(const char *s);
/* "open", "upcoming" or "closed": where today stands against the cycle's dates. */
const char *web_hr_cycle_state(const store_cycle *c, const char *today);

/* The checks of a value a form or a JSON body gives, before the store is
 * asked: 1 when the values may be saved, 0 with *p filled (the field and its
 * message in r's language). What depends on the data (a name or code already
 * taken, an org unit or manager that does not exist, a unit moved below
 * itself) is the store's to refuse, in the same transaction as the write:
 * web_hr_store_problem words its refusal. */
/* The cycle a view shows when none is asked for, as /hr chooses it: the one
 * open today, else the latest (the first of the list, latest first); its index
 * in cycles (0 for an empty list). */
size_t web_hr_default_cycle(const store_cycle_list *cycles);

/* A cycle: name, opens and closes (real dates, closes not before opens). */
int web_hr_check_cycle(web_request *r, const char *name, const char *opens, const char *closes, web_hr_problem *p);
/* An org unit: code and name. */
int web_hr_check_org(web_request *r, const char *code, const char *name, web_hr_problem *p);
/* A person: employee number, name, kana, e-mail, not their own manager. */
int web_hr_check_person(web_request *r, const store_person *person, web_hr_problem *p);

/* A store's refusal e of a change, as a page or the API words it: the field
 * its path names and the message of its key (err.key: "cycle.name_taken",
 * "person.manager_unknown", a rule of rules.h ...) in r's language, value
 * filling a message that quotes it (the name, code or employee number taken);
 * the store's own message for a refusal without a known key. */
void web_hr_store_problem(web_request *r, const err *e, const char *value, web_hr_problem *p);

/* The field a store error's path names, as forms and JSON spell it. */
const char *web_hr_store_field(const char *path);

/* ---- 人材ポートフォリオ -------------------------------------------------------- */

/* People per specialization and level in one cycle, and how the level of each
 * person moved against another cycle (portfolio.h). Levels are official by
 * default (a valid certificate, else the level frozen at approval) or, with
 * ?levels=self, the engine's from the self-assessment (portfolio.self_levels
 * says which). */
typedef portfolio web_hr_portfolio;

/* Which levels r asks for with ?levels=: 0 official (the default: a valid
 * certificate, else the level frozen at approval), 1 self-assessed; -1 after
 * answering 400 for another value. */
int web_hr_level_kind(web_request *r);

/* The levels behind the portfolio (report_levels.h): of cycle_id for the people
 * of org_unit_id and the units below it, and of compare_cycle_id (0: none;
 * before NULL), in the kind ?levels= asks for (self is 1 for self-assessed).
 * Request memory. 0, or -1 after answering. web_hr_portfolio_count counts
 * these; a drill-down picks from them (portfolio_select). */
typedef struct web_hr_levels {
    report_levels *now, *before;
    int self;
} web_hr_levels;
int web_hr_portfolio_levels(web_request *r, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                            int64_t compare_cycle_id, web_hr_levels *out);

/* Counts the portfolio of cycle_id for the people of org_unit_id and the units
 * below it (0: everyone), with the movement against compare_cycle_id (0: none),
 * in the levels ?levels= asks for (web_hr_level_kind): official levels count
 * the assessments that have one (approved or certified); self-assessed levels
 * count every assessment, or only approved ones when approved_only. The counts
 * are freed when the request ends.
 * Returns 0, or -1 after answering (503, or no catalog loaded). */
int web_hr_portfolio_count(web_request *r, int64_t cycle_id, int64_t org_unit_id, int approved_only,
                           int64_t compare_cycle_id, web_hr_portfolio *out);

/* ---- Imports and exports ----------------------------------------------------- */

/* Imports data[0..len) as a CSV file called name (shown in every error) with
 * encoding enc (a csv_encoding), as `itss import` does. Returns 0 when imported
 * (or checked), 1 when the file has errors (in *errors; nothing written), -1
 * after answering (503). */
int web_hr_import(web_request *r, import_kind kind, const char *data, size_t len, const char *name, int enc,
                  int dry_run, err_list *errors, import_summary *sum);
/* The same with a people import's own options: full (the file lists everyone)
 * and change (called for each change, made or, dry run, that would be). */
int web_hr_import_people(web_request *r, const char *data, size_t len, const char *name, int enc, int dry_run,
                         int full, void (*change)(const import_change *c, void *ctx), void *ctx, err_list *errors,
                         import_summary *sum);

/* Starts an HR page: the site frame, the HR sections, the heading (web_hr.c). */
void web_hr_begin(web_request *r, const char *title);

/* Answers the export as a download (Content-Disposition: attachment) named
 * KIND.csv or KIND.json; ?headers=ja makes a CSV for people to read
 * (Japanese headers, 未到達; export.h), another value than ja/en is a 400. */
void web_hr_export(web_request *r, export_kind kind, int json, int64_t cycle_id);

/* Answers the organization report (report_org.h) as org.xlsx (xlsx) or
 * org.pdf: ?cycle= (default: the latest), ?compare=, ?org= (a unit and those
 * below it), ?levels=official|self and ?depth=N|all (the levels of units the
 * PDF's 組織別 shows; default REPORT_ORG_DEPTH), each checked (400/404 naming
 * it). */
void web_hr_org_report(web_request *r, int xlsx);

/* Answers d, a document of one table, as an Excel download named file, its
 * sheet titled title (report_xlsx.h). */
void web_hr_reply_xlsx(web_request *r, report_doc *d, const char *title, const char *file);


/* ---- The unit filter ----------------------------------------------------------- */

/* The unit filter of an HR view, for any number of units (a <select> of every
 * unit made /hr a 1 MB page at 12,000 units): a text field `unit` taking a
 * unit's code or exact name (empty: every unit), whose datalist offers the
 * top units, the units along the chosen unit's path and those just below it. */
void web_hr_unit_field(web_request *r, const store_org_list *units, int64_t selected);
/* The chosen unit's path from the top and the units just below it (at most
 * 60, then how many more), each a link to page?query&org=ID: the tree one
 * level at a time, without script. query: the other filters (no '?'). */
void web_hr_unit_nav(web_request *r, const store_org_list *units, int64_t selected, const char *page,
                     const char *query);
/* The chosen unit's path from the top as links to page?query&org=ID (query:
 * the other filters without '?', or NULL), the way back up the tree. */
void web_hr_unit_path(web_request *r, const store_org_list *units, int64_t selected, const char *page,
                      const char *query);
/* The unit a view is asked for: ?unit= (a code or an exact name; empty: every
 * unit) when given, else ?org=ID (absent: 0). 0, or -1 after answering 400
 * naming the parameter (an unknown code or name, or an id of no unit). */
int web_hr_unit_param(web_request *r, const store_org_list *units, int64_t *org);

/* The unit text names in units: its code, else its exact name. 1 with *id; 0
 * when text is empty or absent (*id 0); -1 when no unit has that code or
 * name; -2 when several have that name (and none that code). */
int web_hr_unit_lookup(const store_org_list *units, const char *text, int64_t *id);

/* A form's unit field, for any number of units and without script (a select
 * of every unit was 1 MB at 12,000 units): a text input taking a unit's code
 * or exact name (empty: none, which the hint says the meaning of), its
 * datalist offering the path of the unit chosen now, the units beside it and
 * below it (at most 60 in all), `skip` and the units below it left out; the
 * hint also shows the chosen unit's path. web_hr_unit_lookup reads it back. */
typedef struct web_hr_unit_input {
    const char *name, *label, *hint;
    const char *value;             /* the text after a refused submit; NULL: the code of `selected` */
    int64_t selected;              /* the unit the field names now (0: none) */
    int64_t skip;                  /* a unit left out of the choices with its subtree (0: none) */
    const char *error;             /* shown at the field, marking it invalid */
} web_hr_unit_input;

void web_hr_unit_input_field(web_request *r, const store_org_list *units, const web_hr_unit_input *in);

#endif
