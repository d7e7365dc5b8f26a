/* store_orgcols.c - what the organization's columns (orgcols.h) read in bulk:
 * the element numbers and packed answers of a catalog version, the official
 * levels, and the people per org unit (store.h, "Columns for the org views").
 * Each reads every assessment whose revision moved past a given one, so that
 * a reader keeping the highest revision seen reads only what changed. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define OQ_OPEN(s, q, e, ...) store_q_open((s), STORE_SLOT_ORGCOLS + (q), orgcols_sql[q], (e), __VA_ARGS__)

#define OQ_LIST(X) \
    X(ELEMENTS, "SELECT element_index, element_id FROM answer_element WHERE catalog_id = ? AND catalog_version = ? " \
                "ORDER BY element_index") \
    X(VALUES, "SELECT a.id, v.codes FROM assessment a JOIN answer_values v ON v.assessment_id = a.id AND v.rater = ? " \
              "WHERE a.revision > ? AND a.catalog_id = ? AND a.catalog_version = ? ORDER BY a.revision") \
    X(APPROVED, "SELECT ap.assessment_id, al.specialization_id, al.level FROM assessment a " \
                "JOIN approval ap ON ap.id = (SELECT max(x.id) FROM approval x WHERE x.assessment_id = a.id) " \
                "JOIN approval_level al ON al.approval_id = ap.id " \
                "WHERE a.revision > ? AND NOT EXISTS (SELECT 1 FROM approval_reopen r WHERE r.approval_id = ap.id)") \
    /* from the changed assessments (the revision index) to their certificates, not every certificate \
     * to its assessment: a refresh after one change reads one assessment's, not 40,000 at 100,000 people */ \
    X(CERTIFIED, "SELECT ap.assessment_id, c.specialization_id, c.level FROM assessment a " \
                 "CROSS JOIN approval ap CROSS JOIN certificate c " \
                 "LEFT JOIN certificate_revocation v ON v.certificate_id = c.id " \
                 "WHERE a.revision > ? AND ap.assessment_id = a.id AND c.approval_id = ap.id " \
                 "AND v.certificate_id IS NULL AND c.valid_from <= ? AND c.valid_until >= ? " \
                 "ORDER BY c.id") \
    X(UNIT_PEOPLE, "SELECT coalesce(org_unit_id, 0), count(*) FROM person WHERE left_on IS NULL OR left_on > ? " \
                   "GROUP BY org_unit_id") \
    X(UNITS, "SELECT id, coalesce(parent_id, 0), code FROM org_unit") \
    X(STAMP, "SELECT total_changes(), data_version FROM pragma_data_version") \
    X(TOTAL, "SELECT count(*) FROM assessment") \
    X(PEOPLE_STAMP, "SELECT coalesce(max(id), 0), (SELECT coalesce(max(CAST(value AS BIGINT)), 0) FROM meta " \
                    "WHERE key = 'people_moves') FROM person") \
    X(UNITS_STAMP, "SELECT count(*), coalesce(sum((id * 1000003 + coalesce(parent_id, 0) * 7919 " \
                   "+ length(code) * 131 + unicode(code)) % 2147483647), 0) FROM org_unit") \
    /* the same on PostgreSQL, whose name for a first character's code point is ascii() */ \
    X(UNITS_STAMP_PG, "SELECT count(*), coalesce(sum((id * 1000003 + coalesce(parent_id, 0) * 7919 " \
                      "+ length(code) * 131 + ascii(code)) % 2147483647), 0) FROM org_unit") \
    X(SMALL_CACHE, "PRAGMA cache_size = -2048") \
    X(EXPERIENCE, "SELECT person_id, specialization_id, level, succeeded FROM experience") \
    X(NORMAL_CACHE, "PRAGMA cache_size = -65536") \
    X(ROWS, "SELECT a.id, a.person_id, p.employee_number, p.name, u.code, u.name, c.name, a.status, " \
            "a.catalog_id, a.catalog_version FROM assessment a JOIN person p ON p.id = a.person_id " \
            "JOIN cycle c ON c.id = a.cycle_id LEFT JOIN org_unit u ON u.id = p.org_unit_id " \
            "WHERE (? = 0 OR a.cycle_id = ?) ORDER BY c.opens DESC, c.id DESC, p.employee_number") \
    /* everything at once (a first read): the latest approval of every assessment from the approval index \
     * (a sequential pass), not a lookup per assessment; the certificates in id order, not per assessment */ \
    X(APPROVED_ALL, "SELECT x.assessment_id, al.specialization_id, al.level FROM " \
                    "(SELECT assessment_id, max(id) AS id FROM approval GROUP BY assessment_id) x " \
                    "JOIN approval_level al ON al.approval_id = x.id " \
                    "WHERE NOT EXISTS (SELECT 1 FROM approval_reopen r WHERE r.approval_id = x.id)") \
    X(CERTIFIED_ALL, "SELECT ap.assessment_id, c.specialization_id, c.level FROM certificate c " \
                     "JOIN approval ap ON ap.id = c.approval_id " \
                     "LEFT JOIN certificate_revocation v ON v.certificate_id = c.id " \
                     "WHERE v.certificate_id IS NULL AND c.valid_from <= ? AND c.valid_until >= ? ORDER BY c.id") \
    X(ID_RANGE, "SELECT coalesce(min(id), 0), coalesce(max(id), 0), count(*) FROM assessment") \
    X(IDS, "SELECT id, CASE WHEN catalog_id = ? AND catalog_version = ? THEN 1 ELSE 0 END FROM assessment ORDER BY id")

#define OQ_ENUM(name, sql) OQ_##name,
#define OQ_SQL(name, sql) sql,
enum { OQ_LIST(OQ_ENUM) OQ_COUNT };
static const char *const orgcols_sql[] = { OQ_LIST(OQ_SQL) };

int store_answer_elements(store *s, const char *catalog_id, const char *version, char ***ids, size_t *n, err *e)
{
    *ids = NULL;
    *n = 0;
    store_stmt *st = OQ_OPEN(s, OQ_ELEMENTS, e, "tt", catalog_id, version);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        int64_t k = store_q_int(s, st, 0);
        if (k != (int64_t)*n) {
            err_set(e, "", 0, 0, NULL, "the element numbers of catalog %s %s have a gap at %zu", catalog_id,
                    version, *n);
            rc = -1;
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            *ids = xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*n)++] = store_q_dup(s, st, 1);
    }
    store_q_close(s, st);
    if (rc < 0) {
        store_answer_elements_free(*ids, *n);
        *ids = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void store_answer_elements_free(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

int store_answer_values_each(store *s, const char *catalog_id, const char *version, assessment_rater rater,
                             int64_t since, int (*fn)(int64_t assessment_id, const signed char *values, size_t n,
                                                      void *ctx),
                             void *ctx, err *e)
{
    store_stmt *st = OQ_OPEN(s, OQ_VALUES, e, "iitt", (int64_t)rater, since > 0 ? since : (int64_t)-1, catalog_id,
                             version);   /* 0: every one, revision 0 included (store_assessment_changes) */
    if (!st)
        return -1;
    signed char *values = NULL;
    size_t cap = 0;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        size_t len = 0;
        const unsigned char *bytes = store_q_blob(s, st, 1, &len);
        size_t n = bytes ? len * 8 / 3 : 0;
        if (n > cap) {
            cap = n * 2;
            values = xrealloc(values, cap);
        }
        store_codes_decode(bytes, len, values, n);
        int r = fn(store_q_int(s, st, 0), values, n, ctx);
        if (r) {
            rc = r;
            break;
        }
    }
    store_q_close(s, st);
    free(values);
    return rc;
}

int store_official_each(store *s, const char *today, int64_t since,
                        int (*fn)(int64_t assessment_id, const char *specialization_id, int level, int certified,
                                  void *ctx),
                        void *ctx, err *e)
{
    for (int certified = 0; certified <= 1; certified++) {
        store_stmt *st = since <= 0 ? (certified ? OQ_OPEN(s, OQ_CERTIFIED_ALL, e, "tt", today, today)
                                                 : OQ_OPEN(s, OQ_APPROVED_ALL, e, ""))
                         : certified ? OQ_OPEN(s, OQ_CERTIFIED, e, "itt", since, today, today)
                                     : OQ_OPEN(s, OQ_APPROVED, e, "i", since);
        if (!st)
            return -1;
        int rc;
        while ((rc = store_q_step(s, st, e)) == 1) {
            const char *spec = store_q_text(s, st, 1);
            int r = fn(store_q_int(s, st, 0), spec ? spec : "", (int)store_q_int(s, st, 2), certified, ctx);
            if (r) {
                rc = r;
                break;
            }
        }
        store_q_close(s, st);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int store_person_unit_counts(store *s, const char *today, int (*fn)(int64_t org_unit_id, int64_t people, void *ctx),
                             void *ctx, err *e)
{
    store_stmt *st = OQ_OPEN(s, OQ_UNIT_PEOPLE, e, "t", today);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        int r = fn(store_q_int(s, st, 0), store_q_int(s, st, 1), ctx);
        if (r) {
            rc = r;
            break;
        }
    }
    store_q_close(s, st);
    return rc;
}

int store_org_units_each(store *s, int (*fn)(int64_t id, int64_t parent_id, const char *code, void *ctx), void *ctx,
                         err *e)
{
    store_stmt *st = OQ_OPEN(s, OQ_UNITS, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        const char *code = store_q_text(s, st, 2);
        int r = fn(store_q_int(s, st, 0), store_q_int(s, st, 1), code ? code : "", ctx);
        if (r) {
            rc = r;
            break;
        }
    }
    store_q_close(s, st);
    return rc;
}

/* One integer row of query q into out[0..n). */
static int one_row(store *s, int q, int64_t *out, int n, err *e)
{
    store_stmt *st = OQ_OPEN(s, q, e, "");
    if (!st)
        return -1;
    int rc = store_q_step(s, st, e);
    for (int i = 0; i < n; i++)
        out[i] = rc == 1 ? store_q_int(s, st, i) : 0;
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}

int store_change_stamp(store *s, int64_t stamp[2], err *e)
{
    if (strcmp(store_backend(s), "sqlite") != 0) {
        stamp[0] = stamp[1] = -1;  /* no cheap stamp: every reader reads what changed */
        return 0;
    }
    return one_row(s, OQ_STAMP, stamp, 2, e);
}

int store_person_stamp(store *s, int64_t stamp[2], err *e)
{
    return one_row(s, OQ_PEOPLE_STAMP, stamp, 2, e);
}

int store_org_stamp(store *s, int64_t stamp[2], err *e)
{
    return one_row(s, strcmp(store_backend(s), "sqlite") == 0 ? OQ_UNITS_STAMP : OQ_UNITS_STAMP_PG, stamp, 2, e);
}

int store_assessment_total(store *s, int64_t *count, err *e)
{
    return one_row(s, OQ_TOTAL, count, 1, e);
}

int store_assessment_id_range(store *s, int64_t range[3], err *e)
{
    return one_row(s, OQ_ID_RANGE, range, 3, e);
}

int store_assessment_ids_each(store *s, const char *catalog_id, const char *version,
                              int (*fn)(int64_t assessment_id, int same_catalog, void *ctx), void *ctx, err *e)
{
    store_stmt *st = OQ_OPEN(s, OQ_IDS, e, "tt", catalog_id ? catalog_id : "", version ? version : "");
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        int r = fn(store_q_int(s, st, 0), store_q_int(s, st, 1) != 0, ctx);
        if (r) {
            rc = r;
            break;
        }
    }
    store_q_close(s, st);
    return rc;
}

int store_small_cache(store *s, err *e)
{
    if (strcmp(store_backend(s), "sqlite") != 0)
        return 0;              /* the server keeps PostgreSQL's cache */
    return store_q_exec(s, STORE_SLOT_ORGCOLS + OQ_SMALL_CACHE, orgcols_sql[OQ_SMALL_CACHE], e, "");
}

int store_assessment_rows_each(store *s, int64_t cycle_id, int (*fn)(const store_assessment_row *row, void *ctx),
                               void *ctx, err *e)
{
    store_stmt *st = OQ_OPEN(s, OQ_ROWS, e, "ii", cycle_id, cycle_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        store_assessment_row row;
        row.id = store_q_int(s, st, 0);
        row.person_id = store_q_int(s, st, 1);
        row.employee_number = store_q_text(s, st, 2);
        row.person_name = store_q_text(s, st, 3);
        row.org_code = store_q_text(s, st, 4);
        row.org_name = store_q_text(s, st, 5);
        row.cycle = store_q_text(s, st, 6);
        const char *status = store_q_text(s, st, 7);
        row.status = ASSESSMENT_DRAFT;
        for (int k = 0; status && k < ASSESSMENT_STATUS_COUNT; k++)
            if (strcmp(status, assessment_status_name((assessment_status)k)) == 0)
                row.status = (assessment_status)k;
        row.catalog_id = store_q_text(s, st, 8);
        row.catalog_version = store_q_text(s, st, 9);
        int r = fn(&row, ctx);
        if (r) {
            rc = r;
            break;
        }
    }
    store_q_close(s, st);
    return rc;
}

int store_normal_cache(store *s, err *e)
{
    if (strcmp(store_backend(s), "sqlite") != 0)
        return 0;
    /* store_sqlite.c's own setting at open. */
    return store_q_exec(s, STORE_SLOT_ORGCOLS + OQ_NORMAL_CACHE, orgcols_sql[OQ_NORMAL_CACHE], e, "");
}

int store_experience_each(store *s,
                          int (*fn)(int64_t person_id, const char *specialization_id, int level, int succeeded,
                                    void *ctx),
                          void *ctx, err *e)
{
    store_stmt *st = OQ_OPEN(s, OQ_EXPERIENCE, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        int r = fn(store_q_int(s, st, 0), store_q_text(s, st, 1), (int)store_q_int(s, st, 2),
                   (int)store_q_int(s, st, 3), ctx);
        if (r) {
            rc = r;
            break;
        }
    }
    store_q_close(s, st);
    return rc;
}
