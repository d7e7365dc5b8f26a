/* store_leavers.c - people whose leaving day comes (store_leavers.h). Same
 * pattern as store.c: portable SQL with `?`, one slot per statement. */
#include "store_leavers.h"
#include "store_internal.h"

#include "assessment.h"

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
    store_stmt *st = QUERY_OPEN(s, Q_LEAVERS_ASSESSMENTS, e, "tt", after, today);
    if (!st)
        return -1;
    int rc, stop = 0;
    while ((rc = store_q_step(s, st, e)) == 1) {
        store_assessment_change c;
        c.id = store_q_int(s, st, 0);
        c.person_id = store_q_int(s, st, 1);
        c.cycle_id = store_q_int(s, st, 2);
        c.org_unit_id = store_q_int(s, st, 3);
        c.revision = store_q_int(s, st, 4);
        const char *status = s->drv->column_text(st, 5);
        int k = assessment_status_parse(status ? status : "");
        c.status = k < 0 ? ASSESSMENT_DRAFT : (assessment_status)k;
        c.catalog_id = s->drv->column_text(st, 6);
        c.catalog_version = s->drv->column_text(st, 7);
        c.left = store_q_int(s, st, 8) != 0;
        if ((stop = fn(&c, ctx)) != 0)
            break;
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : stop;
}
