/* store_queue.c - the submissions waiting for a manager (store_queue.h): one
 * statement walks the reporting line down from the manager (person_manager
 * index: each level is an index lookup per person) and reads the submitted
 * assessments of the people found, counted by a window over the whole match
 * before the page is cut. Portable SQL (SQLite 3.25+, PostgreSQL). */
#include "store_queue.h"
#include "store_internal.h"

#define QUEUE_BELOW_SQL \
    "WITH RECURSIVE below(id, hops) AS (SELECT id, 1 FROM person WHERE manager_id = CAST(? AS BIGINT) " \
    "UNION ALL SELECT p.id, b.hops + 1 FROM person p JOIN below b ON p.manager_id = b.id WHERE b.hops < 256) " \
    "SELECT a.id, count(*) OVER () FROM below b JOIN assessment a ON a.person_id = b.id " \
    "WHERE a.status = 'submitted' ORDER BY a.updated_at, a.id LIMIT ?"

int store_queue_below(store *s, int64_t manager_person_id, size_t limit, int64_t *total, int64_t *ids, size_t *n,
                      err *e)
{
    *total = 0;
    *n = 0;
    if (manager_person_id <= 0)
        return 0;
    /* LIMIT 0 would read no row and so no count: ask for one, keep none. */
    store_stmt *st = store_q_open(s, STORE_SLOT_QUEUE, QUEUE_BELOW_SQL, e, "ii", manager_person_id,
                                  (int64_t)(limit ? limit : 1));
    if (!st)
        return -1;
    int rc;
    while ((rc = store_q_step(s, st, e)) == 1) {
        *total = store_q_int(s, st, 1);
        if (*n < limit)
            ids[(*n)++] = store_q_int(s, st, 0);
    }
    store_q_close(s, st);
    return rc < 0 ? -1 : 0;
}
