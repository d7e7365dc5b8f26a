/* store_leavers.c - people whose leaving day comes (store_leavers.h). Same
 * pattern as store.c: portable SQL with `?`, one slot per statement. */
#include "store_leavers.h"
#include "store_internal.h"

#define QUERY_BASE STORE_SLOT_TIDY
#define LEAVERS_QUERIES(X) \
    X(LEAVERS_COUNT, "SELECT count(*) FROM person WHERE left_on > ? AND left_on <= ?") \
    X(LEAVERS_ASSESSMENTS, "SELECT a.id, a.person_id, a.cycle_id, COALESCE(p.org_unit_id, 0), a.revision, " \
                           "a.status, a.catalog_id, a.catalog_version, " \
                           "CASE WHEN p.left_on <= c.closes THEN 1 ELSE 0 END " \
                           "FROM person p JOIN assessment a ON a.person_id = p.id " \
                           "JOIN cycle c ON c.id = a.cycle_id " \
                           "WHERE p.left_on > ? AND p.left_on <= ? ORDER BY a.id")

enum { Q_FIRST_ = QUERY_BASE - 1, LEAVERS_QUERIES(STORE_QUERY_ENUM) Q_END_ };
static const char *const query_sql[] = { LEAVERS_QUERIES(STORE_QUERY_SQL) };
_Static_assert(Q_END_ - QUERY_BASE <= 50, "store_leavers.c has slots 3000..3049 (STORE_SLOT_TIDY)");

int store_leavers_count(store *s, const char *after, const char *today, int64_t *n, err *e)
{
    *n = 0;
    return QUERY_INT(s, Q_LEAVERS_COUNT, n, e, "tt", after, today) < 0 ? -1 : 0;
}

int store_leavers_assessments(store *s, const char *after, const char *today,
                              int (*fn)(const store_assessment_change *c, void *ctx), void *ctx, err *e)
{
    return store_assessment_change_each(s, QUERY_OPEN(s, Q_LEAVERS_ASSESSMENTS, e, "tt", after, today), fn, ctx, e);
}
