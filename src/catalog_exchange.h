/* catalog_exchange.h - the standard in the formats other systems read.
 *
 * Two writers and one reader over any loaded catalog (docs/exchange.md):
 *
 * - an IMS Global (1EdTech) CASE 1.1 package (getCFPackage's JSON binding): one
 *   CFDocument for the catalog, one CFItem per element of the standard, isChildOf
 *   CFAssociations for the hierarchy and CFItemTypes for the kinds of element.
 *   Identifiers are version 5 UUIDs of "urn:itss:CATALOG-ID:ELEMENT-ID", so they
 *   never change while our identifiers do not (uuid.h);
 * - the competency-framework CSV of Moodle's "Import competency framework"
 *   (admin tool tool_lpimportcsv): its fourteen columns in its order, the
 *   framework on the first row and one competency per element after it;
 * - a reader of that CSV, which checks the layout and gives the rows back.
 *
 * The standard's wording goes out exactly as the catalog holds it: a CFItem's
 * fullStatement and a competency's description are the element's text. */
#ifndef ITSS_CATALOG_EXCHANGE_H
#define ITSS_CATALOG_EXCHANGE_H

#include <jansson.h>
#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "uuid.h"

/* The CASE identifier of the element `id` of c (or of the catalog itself when id
 * is NULL) into out; returns out. */
char *catalog_case_uuid(const catalog *c, const char *id, char out[UUID_STR_LEN]);

/* The CASE 1.1 package of c. base_uri (may be NULL) is where a CASE service
 * would publish it: each object's uri is BASE/ims/case/v1p1/CFItems/UUID (and
 * CFDocuments, CFAssociations, CFItemTypes); without one it is urn:uuid:UUID.
 * changed is every object's lastChangeDateTime (YYYY-MM-DDThh:mm:ssZ). Returns a
 * new reference (caller json_decref()s it), NULL when out of memory. */
json_t *catalog_case_package(const catalog *c, const char *base_uri, const char *changed);

/* The fourteen column headers of tool_lpimportcsv, as its English strings name
 * them, in the order it reads them. */
#define MOODLE_COLUMNS 14
extern const char *const catalog_moodle_headers[MOODLE_COLUMNS];

/* Appends the Moodle competency-framework CSV of c to out: UTF-8, no byte order
 * mark, comma-separated, LF line ends (as Moodle's own export writes it). */
void catalog_moodle_csv(buf *out, const catalog *c);

/* One row of a Moodle competency-framework CSV. */
typedef struct moodle_row {
    char *field[MOODLE_COLUMNS];    /* parentidnumber ... taxonomy, as read */
    int line;
} moodle_row;

enum { MOODLE_PARENT, MOODLE_IDNUMBER, MOODLE_SHORTNAME, MOODLE_DESCRIPTION, MOODLE_DESCRIPTIONFORMAT,
       MOODLE_SCALEVALUES, MOODLE_SCALECONFIGURATION, MOODLE_RULETYPE, MOODLE_RULEOUTCOME, MOODLE_RULECONFIG,
       MOODLE_RELATED, MOODLE_EXPORTID, MOODLE_ISFRAMEWORK, MOODLE_TAXONOMY };

typedef struct moodle_framework {
    moodle_row *rows;               /* rows[0] is the framework */
    size_t n_rows;
} moodle_framework;

/* Reads a Moodle competency-framework CSV from data[0..len) (where names it in
 * messages). Checks the header, that every row has the fourteen columns, that the
 * first row and only it is the framework, that ID numbers are unique and not
 * empty, and that every parent ID number names a competency of the file. Returns
 * 0 and fills *out (free with catalog_moodle_free) or -1 with every problem in
 * errors as file:line:column. */
int catalog_moodle_read(const char *data, size_t len, const char *where, moodle_framework *out, err_list *errors);
void catalog_moodle_free(moodle_framework *f);

#endif
