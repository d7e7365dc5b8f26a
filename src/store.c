/* store.c - every store operation, once, over a backend driver (see store.h).
 *
 * The SQL here is portable: standard types and joins, WITH RECURSIVE for the org
 * tree and the manager chain, INSERT ... ON CONFLICT ... DO UPDATE for upserts,
 * INSERT ... RETURNING id for new rows, `?` placeholders. Each statement has a
 * slot number so that the driver prepares it once per connection. Operations that
 * change several rows run inside store_begin/store_commit, which nest as savepoints.
 *
 * Memory: strings returned in structs are heap copies owned by the struct. Out of
 * memory aborts (xalloc.h): a half-filled record is worse than none. */
#include "store.h"
#include "store_backend.h"
#include "store_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "rules.h"
#include "text.h"
#include "xalloc.h"

struct store {
    const store_driver *drv;
    void *conn;
    char *location;            /* for messages; a URL's password hidden */
    int depth;                 /* open transactions and savepoints */
    int schema_version;
    store_fault fault;         /* why the last statement failed */
    struct elem_dict **dicts;  /* element dictionaries read, per catalog version (packed answers) */
    size_t n_dicts;
};

static void dicts_forget(store *s);
static int packed_answers_convert(store *s, err *e);
static int history_add(store *s, int64_t id, const char *at, const char *actor, const char *kind,
                       const char *old_value, const char *new_value, const buf *changes, err *e);

/* The schema version whose migration packs the answers: store.c converts the
 * rows after the backend's SQL of that migration has run. */
#define SCHEMA_PACKED_ANSWERS 6

/* ---- The SQL ------------------------------------------------------------- */

#define ORG_COLUMNS "u.id, u.code, u.name, u.parent_id, p.code FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id"
#define PERSON_COLUMNS \
    "p.id, p.employee_number, p.name, p.kana, p.email, p.org_unit_id, p.manager_id, " \
    "o.code, o.name, m.employee_number, m.name " \
    "FROM person p LEFT JOIN org_unit o ON o.id = p.org_unit_id LEFT JOIN person m ON m.id = p.manager_id"
#define CYCLE_COLUMNS "id, name, opens, closes FROM cycle"
#define EXPERIENCE_COLUMNS \
    "id, person_id, project, period_from, period_to, role, specialization_id, level, succeeded, description " \
    "FROM experience"
#define CONTRIBUTION_COLUMNS "id, person_id, kind, title, date, description FROM contribution"
#define ASSESSMENT_COLUMNS \
    "a.id, a.person_id, a.cycle_id, p.employee_number, p.name, c.name, a.catalog_id, a.catalog_version, " \
    "a.status, a.created_at, a.updated_at, a.revision " \
    "FROM assessment a JOIN person p ON p.id = a.person_id JOIN cycle c ON c.id = a.cycle_id"
#define USER_COLUMNS \
    "u.id, u.login, u.person_id, u.role, u.password_hash, u.disabled, u.created_at, p.employee_number, p.name " \
    "FROM app_user u LEFT JOIN person p ON p.id = u.person_id"
#define SUB_UNITS \
    "WITH RECURSIVE unit(id) AS (SELECT id FROM org_unit WHERE id = ? " \
    "UNION ALL SELECT u.id FROM org_unit u JOIN unit ON u.parent_id = unit.id) "

/* The revision a change gives an assessment: one more than any assessment has,
 * so that revisions also order changes across assessments (schema v7,
 * store_assessment_changes). */
#define NEXT_REVISION "(SELECT COALESCE(MAX(revision), 0) + 1 FROM assessment)"

#define STORE_QUERIES(X) \
    X(MIG_VERSION, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") \
    X(MIG_INSERT, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)") \
    X(META_GET, "SELECT value FROM meta WHERE key = ?") \
    X(META_SET, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value") \
    X(CATALOG_INSERT, "INSERT INTO catalog (catalog_id, version, title, recorded_at) VALUES (?, ?, ?, ?) " \
                      "ON CONFLICT (catalog_id, version) DO NOTHING") \
    X(CATALOG_KNOWN, "SELECT 1 FROM catalog WHERE catalog_id = ? AND version = ?") \
    X(CATALOG_LIST, "SELECT catalog_id, version, title, recorded_at FROM catalog ORDER BY recorded_at, catalog_id, version") \
    X(ORG_INSERT, "INSERT INTO org_unit (code, name, parent_id) VALUES (?, ?, ?) RETURNING id") \
    X(ORG_UPDATE, "UPDATE org_unit SET code = ?, name = ?, parent_id = ? WHERE id = ?") \
    X(ORG_BY_CODE, "SELECT " ORG_COLUMNS " WHERE u.code = ?") \
    X(ORG_BY_ID, "SELECT " ORG_COLUMNS " WHERE u.id = ?") \
    X(ORG_ALL, "SELECT " ORG_COLUMNS " ORDER BY u.code") \
    X(ORG_BELOW, SUB_UNITS "SELECT " ORG_COLUMNS " WHERE u.id IN (SELECT id FROM unit) ORDER BY u.code") \
    X(ORG_IS_BELOW, SUB_UNITS "SELECT 1 FROM unit WHERE id = ?") \
    X(PERSON_INSERT, "INSERT INTO person (employee_number, name, kana, email, org_unit_id, manager_id, created_at, " \
                     "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(PERSON_UPDATE, "UPDATE person SET employee_number = ?, name = ?, kana = ?, email = ?, org_unit_id = ?, " \
                     "manager_id = ?, updated_at = ? WHERE id = ?") \
    X(PERSON_BY_NUMBER, "SELECT " PERSON_COLUMNS " WHERE p.employee_number = ?") \
    X(PERSON_BY_ID, "SELECT " PERSON_COLUMNS " WHERE p.id = ?") \
    X(PERSON_NAME_BY_NUMBER, "SELECT id, name FROM person WHERE employee_number = ?") \
    X(PERSON_NUMBER_BY_ID, "SELECT employee_number FROM person WHERE id = ?") \
    X(PERSON_MANAGER_CHAIN, "WITH RECURSIVE chain(id) AS (SELECT CAST(? AS BIGINT) UNION " \
                            "SELECT p.manager_id FROM person p JOIN chain ON p.id = chain.id " \
                            "WHERE p.manager_id IS NOT NULL) SELECT 1 FROM chain WHERE id = ?") \
    X(CYCLE_INSERT, "INSERT INTO cycle (name, opens, closes) VALUES (?, ?, ?) RETURNING id") \
    X(CYCLE_UPDATE, "UPDATE cycle SET name = ?, opens = ?, closes = ? WHERE id = ?") \
    X(CYCLE_BY_NAME, "SELECT " CYCLE_COLUMNS " WHERE name = ?") \
    X(CYCLE_BY_ID, "SELECT " CYCLE_COLUMNS " WHERE id = ?") \
    X(CYCLE_ALL, "SELECT " CYCLE_COLUMNS " ORDER BY opens DESC, name") \
    X(CYCLE_CURRENT, "SELECT " CYCLE_COLUMNS " WHERE opens <= ? AND closes >= ? ORDER BY opens DESC, id DESC") \
    X(CYCLE_IN_USE, "SELECT " CYCLE_COLUMNS " WHERE opens <= ? AND closes >= ? ORDER BY (SELECT count(*) FROM " \
                    "assessment a WHERE a.cycle_id = cycle.id) DESC, opens DESC, id DESC") \
    X(EXP_INSERT, "INSERT INTO experience (person_id, project, period_from, period_to, role, specialization_id, " \
                  "level, succeeded, description, created_at, updated_at) " \
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(EXP_UPDATE, "UPDATE experience SET project = ?, period_from = ?, period_to = ?, role = ?, " \
                  "specialization_id = ?, level = ?, succeeded = ?, description = ?, updated_at = ? WHERE id = ?") \
    X(EXP_DELETE, "DELETE FROM experience WHERE id = ?") \
    X(EXP_BY_ID, "SELECT " EXPERIENCE_COLUMNS " WHERE id = ?") \
    X(EXP_BY_PERSON, "SELECT " EXPERIENCE_COLUMNS " WHERE person_id = ? ORDER BY COALESCE(period_from, ''), id") \
    X(EXP_OWNER, "SELECT person_id FROM experience WHERE id = ?") \
    X(EXP_ITEMS, "SELECT kind, element_id FROM experience_item WHERE experience_id = ? ORDER BY kind, position") \
    X(EXP_ITEMS_DELETE, "DELETE FROM experience_item WHERE experience_id = ?") \
    X(EXP_ITEM_INSERT, "INSERT INTO experience_item (experience_id, kind, position, element_id) VALUES (?, ?, ?, ?)") \
    X(CONTRIB_INSERT, "INSERT INTO contribution (person_id, kind, title, date, description, created_at, updated_at) " \
                      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(CONTRIB_UPDATE, "UPDATE contribution SET kind = ?, title = ?, date = ?, description = ?, updated_at = ? " \
                      "WHERE id = ?") \
    X(CONTRIB_DELETE, "DELETE FROM contribution WHERE id = ?") \
    X(CONTRIB_BY_ID, "SELECT " CONTRIBUTION_COLUMNS " WHERE id = ?") \
    X(CONTRIB_BY_PERSON, "SELECT " CONTRIBUTION_COLUMNS " WHERE person_id = ? ORDER BY COALESCE(date, ''), id") \
    X(ASSESS_INSERT, "INSERT INTO assessment (person_id, cycle_id, catalog_id, catalog_version, status, created_at, " \
                     "updated_at, revision) VALUES (?, ?, ?, ?, 'draft', ?, ?, " NEXT_REVISION ") RETURNING id") \
    X(ASSESS_BY_ID, "SELECT " ASSESSMENT_COLUMNS " WHERE a.id = ?") \
    X(ASSESS_BY_PERSON_CYCLE, "SELECT " ASSESSMENT_COLUMNS " WHERE a.person_id = ? AND a.cycle_id = ?") \
    X(ASSESS_TOUCH, "UPDATE assessment SET updated_at = ?, revision = " NEXT_REVISION " WHERE id = ?") \
    X(ASSESS_SET_STATUS, "UPDATE assessment SET status = ?, updated_at = ?, revision = " NEXT_REVISION " WHERE id = ?") \
    X(ASSESS_BUMP, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE id = ?") \
    X(ASSESS_BUMP_PERSON, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE person_id = ?") \
    X(ASSESS_BUMP_CYCLE, "UPDATE assessment SET revision = " NEXT_REVISION " WHERE cycle_id = ?") \
    X(ASSESS_CHANGED, "SELECT a.id, a.person_id, a.cycle_id, COALESCE(p.org_unit_id, 0), a.revision, a.status, " \
                      "a.catalog_id, a.catalog_version FROM assessment a JOIN person p ON p.id = a.person_id " \
                      "WHERE a.revision > ? ORDER BY a.revision, a.id") \
    X(RESULTS_ALL, "SELECT assessment_id, specialization_id, level FROM result WHERE policy = ?") \
    X(ASSESS_CATALOG, "SELECT catalog_id, catalog_version FROM assessment WHERE id = ?") \
    X(DICT_LOAD, "SELECT element_index, element_id FROM answer_element WHERE catalog_id = ? AND catalog_version = ? " \
                 "AND element_index >= ? ORDER BY element_index") \
    X(DICT_INSERT, "INSERT INTO answer_element (catalog_id, catalog_version, element_index, element_id) " \
                   "VALUES (?, ?, ?, ?)") \
    X(VALUES_LOAD, "SELECT rater, codes FROM answer_values WHERE assessment_id = ?") \
    X(VALUES_PUT, "INSERT INTO answer_values (assessment_id, rater, codes) VALUES (?, ?, ?) " \
                  "ON CONFLICT (assessment_id, rater) DO UPDATE SET codes = excluded.codes") \
    X(VALUES_DELETE, "DELETE FROM answer_values WHERE assessment_id = ? AND rater = ?") \
    X(EVIDENCE_LOAD, "SELECT rater, element_index, experience_id FROM answer_evidence WHERE assessment_id = ? " \
                     "ORDER BY rater, element_index, experience_id") \
    X(EVIDENCE_INSERT, "INSERT INTO answer_evidence (assessment_id, rater, element_index, experience_id) " \
                       "VALUES (?, ?, ?, ?)") \
    X(EVIDENCE_DELETE_ONE, "DELETE FROM answer_evidence WHERE assessment_id = ? AND rater = ? " \
                           "AND element_index = ? AND experience_id = ?") \
    X(EXP_IDS_OF_PERSON, "SELECT id FROM experience WHERE person_id = ? ORDER BY id") \
    X(EXP_USES, "SELECT DISTINCT e.assessment_id, a.status, c.name FROM answer_evidence e " \
                "JOIN assessment a ON a.id = e.assessment_id JOIN cycle c ON c.id = a.cycle_id " \
                "WHERE e.experience_id = ? ORDER BY e.assessment_id") \
    X(HISTORY_INSERT, "INSERT INTO assessment_history (assessment_id, at, actor, kind, old_value, new_value, " \
                      "changes) VALUES (?, ?, ?, ?, ?, ?, ?)") \
    X(HISTORY_LIST, "SELECT id, at, actor, kind, old_value, new_value, changes FROM assessment_history " \
                    "WHERE assessment_id = ? ORDER BY id") \
    X(MIG5_ASSESSMENTS, "SELECT id, catalog_id, catalog_version FROM assessment ORDER BY id") \
    X(MIG5_ANSWERS, "SELECT element_id, rater, value FROM answer_v4 WHERE assessment_id = ? ORDER BY element_id, rater") \
    X(MIG5_EVIDENCE, "SELECT element_id, rater, experience_id FROM answer_evidence_v4 WHERE assessment_id = ?") \
    X(MIG5_HISTORY, "SELECT at, actor, field, element_id, rater, old_value, new_value FROM assessment_history_v4 " \
                    "WHERE assessment_id = ? ORDER BY id") \
    X(RESULTS_DROP, "DELETE FROM result WHERE assessment_id = ?") \
    X(RESULTS_DROP_PERSON, "DELETE FROM result WHERE assessment_id IN (SELECT id FROM assessment WHERE person_id = ?)") \
    X(RESULT_PUT, "INSERT INTO result (assessment_id, policy, specialization_id, level, detail, computed_at) " \
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (assessment_id, policy, specialization_id) DO UPDATE SET " \
                  "level = excluded.level, detail = excluded.detail, computed_at = excluded.computed_at") \
    X(RESULT_LIST, "SELECT specialization_id, level, detail, computed_at FROM result " \
                   "WHERE assessment_id = ? AND policy = ? ORDER BY specialization_id") \
    X(COMMENT_INSERT, "INSERT INTO assessment_comment (assessment_id, author, kind, body, created_at) " \
                      "VALUES (?, ?, ?, ?, ?) RETURNING id") \
    X(COMMENT_LIST, "SELECT c.id, c.assessment_id, c.author, c.kind, c.body, c.created_at, p.name " \
                    "FROM assessment_comment c LEFT JOIN app_user u ON u.login = c.author " \
                    "LEFT JOIN person p ON p.id = u.person_id WHERE c.assessment_id = ? ORDER BY c.id") \
    X(USER_INSERT, "INSERT INTO app_user (login, person_id, role, password_hash, disabled, created_at, updated_at) " \
                   "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id") \
    X(USER_UPDATE, "UPDATE app_user SET person_id = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?") \
    X(USER_SET_PASSWORD, "UPDATE app_user SET password_hash = ?, updated_at = ? WHERE id = ?") \
    X(USER_BY_LOGIN, "SELECT " USER_COLUMNS " WHERE u.login = ?") \
    X(USER_BY_ID, "SELECT " USER_COLUMNS " WHERE u.id = ?") \
    X(USER_ALL, "SELECT " USER_COLUMNS " ORDER BY u.login") \
    X(USER_OF_PERSON, "SELECT id FROM app_user WHERE person_id = ?") \
    X(SESSION_INSERT, "INSERT INTO session (token_hash, user_id, csrf_token, created_at, last_seen_at) " \
                      "VALUES (?, ?, ?, ?, ?)") \
    X(SESSION_FIND, "SELECT x.csrf_token, x.created_at, x.last_seen_at, " USER_COLUMNS \
                    " JOIN session x ON x.user_id = u.id WHERE x.token_hash = ?") \
    X(SESSION_TOUCH, "UPDATE session SET last_seen_at = ? WHERE token_hash = ?") \
    X(SESSION_DELETE, "DELETE FROM session WHERE token_hash = ?") \
    X(SESSION_DELETE_USER, "DELETE FROM session WHERE user_id = ?") \
    X(SESSION_PRUNE, "DELETE FROM session WHERE last_seen_at < ? OR created_at < ?") \
    X(TOKEN_INSERT, "INSERT INTO api_token (token_hash, user_id, name, created_at, expires_at, scope) " \
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id") \
    X(TOKEN_DELETE_USER, "DELETE FROM api_token WHERE user_id = ?") \
    X(TOKEN_FIND, "SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.scope, " USER_COLUMNS \
                  " JOIN api_token t ON t.user_id = u.id WHERE t.token_hash = ?") \
    X(TOKEN_ALL, "SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.scope, " USER_COLUMNS \
                 " JOIN api_token t ON t.user_id = u.id ORDER BY u.login, t.id") \
    X(TOKEN_BY_USER, "SELECT t.id, t.name, t.created_at, t.expires_at, t.last_used_at, t.scope, " USER_COLUMNS \
                     " JOIN api_token t ON t.user_id = u.id WHERE t.user_id = ? ORDER BY t.id") \
    X(TOKEN_TOUCH, "UPDATE api_token SET last_used_at = ? WHERE id = ?") \
    X(TOKEN_DELETE, "DELETE FROM api_token WHERE id = ? RETURNING id") \
    X(FAILURE_INSERT, "INSERT INTO login_failure (login, address, at) VALUES (?, ?, ?)") \
    X(FAILURES_OF_PAIR, "SELECT COUNT(*), COALESCE(MAX(at), '') FROM login_failure " \
                        "WHERE login = ? AND address = ? AND at >= ?") \
    X(FAILURES_OF_ADDRESS, "SELECT COUNT(*) FROM login_failure WHERE address = ? AND at >= ?") \
    X(FAILURES_CLEAR, "DELETE FROM login_failure WHERE login = ? AND address = ?") \
    X(FAILURES_PRUNE, "DELETE FROM login_failure WHERE at < ?")

#define QUERY_ENUM(name, sql) Q_##name,
#define QUERY_SQL(name, sql) sql,
enum { STORE_QUERIES(QUERY_ENUM) Q_COUNT };
static const char *const query_sql[Q_COUNT] = { STORE_QUERIES(QUERY_SQL) };

/* Slots of the statements built from a filter: one per combination of filter parts. */
#define PERSON_FILTER_VARIANTS 16
#define ASSESSMENT_FILTER_VARIANTS 32
enum {
    SLOT_PERSON_LIST = Q_COUNT,
    SLOT_PERSON_COUNT = SLOT_PERSON_LIST + PERSON_FILTER_VARIANTS,
    SLOT_ASSESSMENT_LIST = SLOT_PERSON_COUNT + PERSON_FILTER_VARIANTS,
    SLOT_END = SLOT_ASSESSMENT_LIST + ASSESSMENT_FILTER_VARIANTS
};

/* ---- Small helpers ------------------------------------------------------- */

/* NULL for NULL or "": how optional texts are stored. */
static const char *opt(const char *s)
{
    return s && s[0] ? s : NULL;
}

/* The moment now, UTC, as YYYY-MM-DDTHH:MM:SSZ into out[24]. */
static void now_utc(char out[24])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* items (count used, of `size` bytes each) with room for one more: capacity
 * doubles at powers of two, so no separate capacity is kept. */
static void *grow_array(void *items, size_t count, size_t size)
{
    if (count == 0 || (count & (count - 1)) == 0)
        items = xrealloc(items, (count ? count * 2 : 1) * size);
    return items;
}

/* Appends one zeroed element to the array arr of count elements; yields a pointer to it. */
#define PUSH(arr, count) \
    ((arr) = grow_array((arr), (count), sizeof *(arr)), memset(&(arr)[(count)], 0, sizeof *(arr)), \
     &(arr)[(count)++])

/* ---- Statements -------------------------------------------------------- */

/* Binds the variadic arguments by types: 'i' int64_t, 'n' int64_t bound as NULL
 * when 0 (optional references), 't' text (NULL binds NULL). */
static void bind_args(store *s, store_stmt *st, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        if (types[i] == 't') {
            s->drv->bind_text(st, i + 1, va_arg(ap, const char *));
        } else {
            int64_t v = va_arg(ap, int64_t);
            if (types[i] == 'n' && v == 0)
                s->drv->bind_text(st, i + 1, NULL);
            else
                s->drv->bind_int(st, i + 1, v);
        }
    }
}

/* Prepares sql (cached under slot) and binds its parameters. NULL on failure. */
static store_stmt *q_openv(store *s, int slot, const char *sql, err *e, const char *types, va_list ap)
{
    store_stmt *st = s->drv->prepare(s->conn, slot, sql, e);
    if (st)
        bind_args(s, st, types, ap);
    return st;
}

/* Prepares fixed query slot and binds its parameters. */
static store_stmt *q_open(store *s, int slot, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    return st;
}

/* Steps st: 1 a row, 0 done, -1 failed (s->fault says why). */
static int q_step(store *s, store_stmt *st, err *e)
{
    s->fault = STORE_FAULT_NONE;
    return s->drv->step(st, &s->fault, e);
}

static void q_close(store *s, store_stmt *st)
{
    s->drv->release(st);
}

/* Runs fixed query slot to its end. 0, or -1 with s->fault. */
static int q_exec(store *s, int slot, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        ;
    q_close(s, st);
    return rc;
}

/* Runs fixed query slot and reads the first column of its first row as an
 * integer: 1 with *out set, 0 when there is no row, -1 on failure. */
static int q_int(store *s, int slot, int64_t *out, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1 && out)
        *out = s->drv->column_int(st, 0);
    /* Finish the statement so that an INSERT ... RETURNING has fully run. */
    int more = rc;
    while (more == 1)
        more = q_step(s, st, e);
    q_close(s, st);
    return more < 0 ? -1 : rc;
}

/* Column col as a heap copy (NULL for SQL NULL). */
static char *col_dup(store *s, store_stmt *st, int col)
{
    return xstrdup(s->drv->column_text(st, col));
}

static int64_t col_int(store *s, store_stmt *st, int col)
{
    return s->drv->column_null(st, col) ? 0 : s->drv->column_int(st, col);
}

/* ---- Transactions -------------------------------------------------------- */

/* Starts a transaction or, inside one, a savepoint. */
int store_begin(store *s, err *e)
{
    if (s->depth == 0) {
        if (s->drv->begin(s->conn, e) < 0)
            return -1;
    } else {
        char sql[48];
        snprintf(sql, sizeof sql, "SAVEPOINT store_%d", s->depth);
        if (s->drv->exec(s->conn, sql, e) < 0)
            return -1;
    }
    s->depth++;
    return 0;
}

/* Starts a deferred transaction (no lock until the first read) or, inside one,
 * a savepoint. */
int store_begin_read(store *s, err *e)
{
    if (s->depth > 0)
        return store_begin(s, e);
    if (s->drv->exec(s->conn, s->drv->begin_read_sql, e) < 0)
        return -1;
    s->depth++;
    return 0;
}

/* Commits the innermost transaction or releases the innermost savepoint. */
int store_commit(store *s, err *e)
{
    if (s->depth == 0) {
        err_set(e, s->location, 0, 0, NULL, "commit without a transaction");
        return -1;
    }
    if (!s->drv->in_transaction(s->conn)) {
        /* The database ended it itself after an error (disk full, I/O). */
        s->depth = 0;
        err_set(e, s->location, 0, 0, NULL, "the transaction was rolled back after an earlier error");
        return -1;
    }
    s->depth--;
    if (s->depth == 0) {
        if (s->drv->exec(s->conn, "COMMIT", e) < 0) {
            if (s->drv->in_transaction(s->conn))
                s->drv->exec(s->conn, "ROLLBACK", NULL);
            return -1;
        }
        return 0;
    }
    char sql[48];
    snprintf(sql, sizeof sql, "RELEASE SAVEPOINT store_%d", s->depth);
    return s->drv->exec(s->conn, sql, e);
}

/* Rolls back the innermost transaction or savepoint. */
int store_rollback(store *s, err *e)
{
    dicts_forget(s);
    if (s->depth == 0) {
        err_set(e, s->location, 0, 0, NULL, "rollback without a transaction");
        return -1;
    }
    s->depth--;
    if (!s->drv->in_transaction(s->conn)) {
        s->depth = 0;
        return 0;
    }
    if (s->depth == 0)
        return s->drv->exec(s->conn, "ROLLBACK", e);
    char sql[96];
    snprintf(sql, sizeof sql, "ROLLBACK TO SAVEPOINT store_%d; RELEASE SAVEPOINT store_%d", s->depth, s->depth);
    return s->drv->exec(s->conn, sql, e);
}

int store_depth(const store *s)
{
    return s->depth;
}

/* Ends a transaction begun by an operation: commit when rc is 0, else roll back
 * keeping the message already in *e. Returns rc, or -1 when the commit failed. */
static int tx_end(store *s, int rc, err *e)
{
    if (rc >= 0)
        return store_commit(s, e) < 0 ? -1 : rc;
    store_rollback(s, NULL);
    return rc;
}

/* ---- Validation -------------------------------------------------------- */

/* Fills *e with field (as the path) and a message, as a refusal of the value
 * (ERR_INVALID, no message key); returns -1. Refusals a face words itself go
 * through err_refuse with a key (rules.h lists them). */
static int field_error(err *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int field_error(err *e, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_refuse(e, ERR_INVALID, "", field, "%s", msg);
}

static int check_actor(err *e, const char *actor)
{
    return rules_text(e, "actor", actor, 1, 0);
}

/* ---- Opening ------------------------------------------------------------- */

/* --db, else $ITSS_DB, else ./itss.db. */
const char *store_default_path(const char *path_option)
{
    if (path_option && path_option[0])
        return path_option;
    const char *env = getenv("ITSS_DB");
    if (env && env[0])
        return env;
    return "./itss.db";
}

/* 1 when location names a PostgreSQL server. */
static int is_postgres_url(const char *location)
{
    return strncmp(location, "postgres://", 11) == 0 || strncmp(location, "postgresql://", 13) == 0;
}

/* A copy of location for messages, with the password of a URL replaced by ***. */
static char *display_location(const char *location)
{
    const char *scheme = strstr(location, "://");
    if (!scheme)
        return xstrdup(location);
    const char *auth = scheme + 3;
    const char *at = strchr(auth, '@');
    const char *slash = strchr(auth, '/');
    if (!at || (slash && slash < at))
        return xstrdup(location);
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (!colon)
        return xstrdup(location);
    buf b;
    buf_init(&b);
    buf_append(&b, location, (size_t)(colon + 1 - location));
    buf_puts(&b, "***");
    buf_puts(&b, at);
    return buf_detach(&b);
}

/* Applies the driver's migrations the database lacks, each in its own
 * transaction; refuses a schema newer than the driver's. */
static int store_migrate(store *s, err *e)
{
    int n_tables = 0, has_migrations = 0;
    int latest = (int)s->drv->n_migrations;
    if (s->drv->inspect(s->conn, &n_tables, &has_migrations, e) < 0)
        return -1;
    if (!has_migrations && n_tables > 0) {
        err_set(e, s->location, 0, 0, NULL, "not an itss database (it holds other tables and no schema_migrations)");
        return -1;
    }
    /* Up to date (every open but the first): a read, so that opening never
     * waits for another process's write lock. */
    if (has_migrations) {
        int64_t version = 0;
        if (q_int(s, Q_MIG_VERSION, &version, e, "") < 0)
            return -1;
        if (version == latest) {
            s->schema_version = latest;
            return 0;
        }
        if (version < latest && store_read_only(s)) {
            err_set(e, s->location, 0, 0, NULL,
                    "the database file is read-only and has schema version %lld; this itss needs %d: "
                    "make it writable once to upgrade it", (long long)version, latest);
            return -1;
        }
    }
    for (;;) {
        int64_t version = 0;
        if (store_begin(s, e) < 0)
            return -1;
        if (s->drv->exec(s->conn,
                         "CREATE TABLE IF NOT EXISTS schema_migrations "
                         "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", e) < 0
            || q_int(s, Q_MIG_VERSION, &version, e, "") < 0) {
            store_rollback(s, NULL);
            return -1;
        }
        if (version > latest) {
            store_rollback(s, NULL);
            err_set(e, s->location, 0, 0, NULL,
                    "the database has schema version %lld, newer than this itss knows (%d): use a newer itss",
                    (long long)version, latest);
            return -1;
        }
        if (version == latest) {
            s->schema_version = latest;
            return store_commit(s, e);
        }
        err step;
        char at[24];
        now_utc(at);
        if (s->drv->exec(s->conn, s->drv->migrations[version], &step) < 0
            || (version + 1 == SCHEMA_PACKED_ANSWERS && packed_answers_convert(s, &step) < 0)
            || q_exec(s, Q_MIG_INSERT, &step, "it", version + 1, at) < 0) {
            store_rollback(s, NULL);
            err_set(e, s->location, 0, 0, NULL, "migration to schema version %lld failed: %s",
                    (long long)version + 1, step.message);
            return -1;
        }
        if (store_commit(s, e) < 0)
            return -1;
    }
}

/* Opens location with driver drv (see store_backend.h). */
store *store_open_driver(const store_driver *drv, const char *location, int flags, err *e)
{
    void *conn = drv->open(location, (flags & STORE_CREATE) != 0, e);
    if (!conn)
        return NULL;
    store *s = xmalloc(sizeof *s);
    s->drv = drv;
    s->conn = conn;
    s->location = display_location(location);
    if (store_migrate(s, e) < 0) {
        store_close(s);
        return NULL;
    }
    return s;
}

char *store_location_shown(const char *url_or_path)
{
    return display_location(url_or_path ? url_or_path : "");
}

/* Picks the backend from url_or_path and opens. */
store *store_open(const char *url_or_path, int flags, err *e)
{
    if (!url_or_path || !url_or_path[0]) {
        err_set(e, "", 0, 0, NULL, "no database given");
        return NULL;
    }
    if (is_postgres_url(url_or_path))
        return store_open_driver(&store_pg_driver, url_or_path, flags, e);
    return store_open_driver(&store_sqlite_driver, url_or_path, flags, e);
}

void store_close(store *s)
{
    if (!s)
        return;
    if (s->depth > 0 && s->drv->in_transaction(s->conn))
        s->drv->exec(s->conn, "ROLLBACK", NULL);
    s->drv->close(s->conn);
    dicts_forget(s);
    free(s->location);
    free(s);
}

const char *store_backend(const store *s)
{
    return s->drv->name;
}

const char *store_location(const store *s)
{
    return s->location;
}

int store_schema_version(const store *s)
{
    return s->schema_version;
}

int store_schema_latest(const store *s)
{
    return (int)s->drv->n_migrations;
}

int store_check(store *s, err *e)
{
    return s->drv->check(s->conn, e);
}

int store_read_only(const store *s)
{
    return s->drv->read_only ? s->drv->read_only(s->conn) : 0;
}

void store_write_wait(store *s, int ms)
{
    if (s->drv->write_wait)
        s->drv->write_wait(s->conn, ms < 0 ? STORE_WRITE_WAIT_MS : ms);
}

int store_writable(store *s, err *e)
{
    if (store_read_only(s)) {
        err_set(e, s->location, 0, 0, NULL, "the database file is read-only");
        return 0;
    }
    if (s->depth > 0)
        return 1;
    store_write_wait(s, 0);
    int rc = s->drv->begin(s->conn, e);
    store_write_wait(s, -1);
    if (rc < 0)
        return 0;
    s->drv->exec(s->conn, "ROLLBACK", NULL);
    return 1;
}

int store_backup(store *s, const char *dest, err *e)
{
    if (!s->drv->backup) {
        err_set(e, s->location, 0, 0, NULL, "the %s backend has no backup; use its own tools", s->drv->name);
        return -1;
    }
    return s->drv->backup(s->conn, dest, e);
}

/* ---- Settings and catalogs ----------------------------------------------- */

int store_meta_get(store *s, const char *key, char **value, err *e)
{
    *value = NULL;
    store_stmt *st = q_open(s, Q_META_GET, e, "t", key);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        *value = col_dup(s, st, 0);
    q_close(s, st);
    return rc;
}

int store_meta_set(store *s, const char *key, const char *value, err *e)
{
    if (rules_text(e, "key", key, 1, 0) < 0 || rules_text(e, key, value, 1, 1) < 0)
        return -1;
    return q_exec(s, Q_META_SET, e, "tt", key, value);
}

/* Records the catalog as known and in use, in one transaction. */
int store_catalog_use(store *s, const char *id, const char *version, const char *title, err *e)
{
    if (rules_text(e, "catalog_id", id, 1, 0) < 0 || rules_text(e, "catalog_version", version, 1, 0) < 0
        || rules_text(e, "title", title, 0, 0) < 0)
        return -1;
    char at[24];
    now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_exec(s, Q_CATALOG_INSERT, e, "tttt", id, version, opt(title), at);
    if (rc == 0)
        rc = q_exec(s, Q_META_SET, e, "tt", "catalog_id", id);
    if (rc == 0)
        rc = q_exec(s, Q_META_SET, e, "tt", "catalog_version", version);
    return tx_end(s, rc, e);
}

int store_catalog_current(store *s, char **id, char **version, err *e)
{
    *id = *version = NULL;
    int rc = store_meta_get(s, "catalog_id", id, e);
    if (rc == 1)
        rc = store_meta_get(s, "catalog_version", version, e);
    if (rc != 1) {
        free(*id);
        free(*version);
        *id = *version = NULL;
    }
    if (rc == 0)
        err_set(e, s->location, 0, 0, NULL, "no catalog recorded in this database; run `itss init`");
    return rc;
}

int store_catalog_list_all(store *s, store_catalog_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    char *cur_id = NULL, *cur_version = NULL;
    if (store_catalog_current(s, &cur_id, &cur_version, NULL) < 0) {
        err_set(e, s->location, 0, 0, NULL, "cannot read the catalog in use");
        return -1;
    }
    store_stmt *st = q_open(s, Q_CATALOG_LIST, e, "");
    int rc = st ? 1 : -1;
    while (st && (rc = q_step(s, st, e)) == 1) {
        store_catalog *c = PUSH(out->items, out->count);
        c->id = col_dup(s, st, 0);
        c->version = col_dup(s, st, 1);
        c->title = col_dup(s, st, 2);
        c->recorded_at = col_dup(s, st, 3);
        c->in_use = cur_id && cur_version && strcmp(cur_id, c->id) == 0 && strcmp(cur_version, c->version) == 0;
    }
    if (st)
        q_close(s, st);
    free(cur_id);
    free(cur_version);
    if (rc < 0) {
        store_catalog_list_free(out);
        return -1;
    }
    return 0;
}

int store_catalog_known(store *s, const char *id, const char *version, err *e)
{
    int rc = q_int(s, Q_CATALOG_KNOWN, NULL, e, "tt", id ? id : "", version ? version : "");
    if (rc != 0)
        return rc;
    store_catalog_list all;
    buf known;
    buf_init(&known);
    if (store_catalog_list_all(s, &all, NULL) == 0) {
        for (size_t i = 0; i < all.count; i++)
            buf_printf(&known, "%s%s %s", i ? ", " : "", all.items[i].id, all.items[i].version);
        store_catalog_list_free(&all);
    }
    err_set(e, "", 0, 0, "catalog_version", "catalog %s version %s is not in this database (it knows: %s)",
            id ? id : "", version ? version : "", known.len ? known.data : "none; run `itss init`");
    buf_free(&known);
    return 0;
}

void store_catalog_list_free(store_catalog_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].id);
        free(l->items[i].version);
        free(l->items[i].title);
        free(l->items[i].recorded_at);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Organization units --------------------------------------------------- */

static void org_from_row(store *s, store_stmt *st, store_org_unit *u)
{
    u->id = col_int(s, st, 0);
    u->code = col_dup(s, st, 1);
    u->name = col_dup(s, st, 2);
    u->parent_id = col_int(s, st, 3);
    u->parent_code = col_dup(s, st, 4);
    u->depth = 0;
}

/* Runs an org query expecting at most one row. */
static int org_one(store *s, int slot, store_org_unit *out, err *e, const char *types, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        org_from_row(s, st, out);
    q_close(s, st);
    return rc;
}

int store_org_find(store *s, const char *code, store_org_unit *out, err *e)
{
    int rc = org_one(s, Q_ORG_BY_CODE, out, e, "t", code ? code : "");
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no org unit with code %s", code ? code : "");
    return rc;
}

int store_org_get(store *s, int64_t id, store_org_unit *out, err *e)
{
    int rc = org_one(s, Q_ORG_BY_ID, out, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no org unit with id %lld", (long long)id);
    return rc;
}

/* Checks code, name and parent of a unit being added (id 0) or edited. */
static int org_check(store *s, int64_t id, const char *code, const char *name, int64_t parent_id, err *e)
{
    if (rules_code(e, "code", code) < 0 || rules_name(e, "name", name, 1) < 0)
        return -1;
    store_org_unit other;
    int rc = org_one(s, Q_ORG_BY_CODE, &other, e, "t", code);
    if (rc < 0)
        return -1;
    int taken = rc == 1 && other.id != id;
    store_org_unit_clear(&other);
    if (taken)
        return err_refuse(e, ERR_DUPLICATE, "org.code_taken", "code", "org unit code %s is already in use", code);
    if (parent_id != 0) {
        int64_t below = 0;
        rc = q_int(s, Q_ORG_BY_ID, NULL, e, "i", parent_id);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return err_refuse(e, ERR_NOT_FOUND, "org.parent_unknown", "parent_id", "no org unit with id %lld",
                              (long long)parent_id);
        if (id != 0) {
            rc = q_int(s, Q_ORG_IS_BELOW, &below, e, "ii", id, parent_id);
            if (rc < 0)
                return -1;
            if (rc == 1)
                return err_refuse(e, ERR_CONFLICT, "org.below_itself", "parent_id", "org unit %s cannot be moved below itself", code);
        }
    }
    return 0;
}

int store_org_add(store *s, const char *code, const char *name, int64_t parent_id, int64_t *id, err *e)
{
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = org_check(s, 0, code, name, parent_id, e);
    if (rc == 0 && q_int(s, Q_ORG_INSERT, &new_id, e, "ttn", code, name, parent_id) != 1)
        rc = -1;
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_org_edit(store *s, int64_t id, const char *code, const char *name, int64_t parent_id, err *e)
{
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_ORG_BY_ID, NULL, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no org unit with id %lld", (long long)id);
        rc = -1;
    } else if (rc == 1) {
        rc = org_check(s, id, code, name, parent_id, e);
    }
    if (rc == 0)
        rc = q_exec(s, Q_ORG_UPDATE, e, "ttni", code, name, parent_id, id);
    return tx_end(s, rc, e);
}

/* A unit's place in a list, keyed for sorting by parent or by id. */
typedef struct org_key {
    int64_t key;
    size_t pos;                /* position in the list (code order) */
} org_key;

static int cmp_org_key(const void *a, const void *b)
{
    const org_key *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The first entry of keys[0..n) (sorted) with key k, or n. */
static size_t org_key_find(const org_key *keys, size_t n, int64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && keys[lo].key == k ? lo : n;
}

/* Orders l (in code order) as a tree: each unit followed by its sub-units,
 * siblings by code; depth counted from the units whose parent is not in the
 * list. O(n log n): children are found by a binary search on the units sorted
 * by parent (12,000 units at 100,000 people). */
static void org_tree_order(store_org_list *l)
{
    size_t n = l->count;
    store_org_unit *sorted = xmalloc((n ? n : 1) * sizeof *sorted);
    char *placed = xmalloc(n ? n : 1);
    size_t *stack = xmalloc((n ? n : 1) * sizeof *stack);
    org_key *by_parent = xmalloc((n ? n : 1) * sizeof *by_parent);
    org_key *by_id = xmalloc((n ? n : 1) * sizeof *by_id);
    for (size_t i = 0; i < n; i++) {
        by_parent[i] = (org_key){ l->items[i].parent_id, i };
        by_id[i] = (org_key){ l->items[i].id, i };
    }
    qsort(by_parent, n, sizeof *by_parent, cmp_org_key);
    qsort(by_id, n, sizeof *by_id, cmp_org_key);
    size_t out = 0;
    for (size_t r = 0; r < n; r++) {
        /* Roots: units whose parent is absent from the list. */
        if (l->items[r].parent_id != 0 && org_key_find(by_id, n, l->items[r].parent_id) < n)
            continue;
        /* Depth-first walk from root r; children pushed in reverse so that they
         * come out in code order. */
        size_t top = 0;
        stack[top++] = r;
        l->items[r].depth = 0;
        while (top > 0) {
            size_t i = stack[--top];
            if (placed[i])
                continue;
            placed[i] = 1;
            sorted[out++] = l->items[i];
            size_t first = org_key_find(by_parent, n, l->items[i].id), last = first;
            while (last < n && by_parent[last].key == l->items[i].id)
                last++;
            for (size_t k = last; k-- > first;) {
                size_t j = by_parent[k].pos;
                if (!placed[j]) {
                    l->items[j].depth = l->items[i].depth + 1;
                    stack[top++] = j;
                }
            }
        }
    }
    /* A unit in a loop (impossible through this interface) is kept at the end. */
    for (size_t i = 0; i < n; i++)
        if (!placed[i])
            sorted[out++] = l->items[i];
    free(l->items);
    l->items = sorted;
    free(placed);
    free(stack);
    free(by_parent);
    free(by_id);
}

/* Runs an org list query into out, then orders it as a tree. */
static int org_list(store *s, int slot, store_org_list *out, err *e, const char *types, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        org_from_row(s, st, PUSH(out->items, out->count));
    q_close(s, st);
    if (rc < 0) {
        store_org_list_free(out);
        return -1;
    }
    org_tree_order(out);
    return 0;
}

int store_org_list_all(store *s, store_org_list *out, err *e)
{
    return org_list(s, Q_ORG_ALL, out, e, "");
}

int store_org_descendants(store *s, int64_t id, int include_self, store_org_list *out, err *e)
{
    int rc = q_int(s, Q_ORG_BY_ID, NULL, e, "i", id);
    if (rc <= 0) {
        memset(out, 0, sizeof *out);
        if (rc == 0)
            err_set(e, "", 0, 0, NULL, "no org unit with id %lld", (long long)id);
        return -1;
    }
    if (org_list(s, Q_ORG_BELOW, out, e, "i", id) < 0)
        return -1;
    if (!include_self && out->count > 0 && out->items[0].id == id) {
        store_org_unit_clear(&out->items[0]);
        memmove(out->items, out->items + 1, (out->count - 1) * sizeof *out->items);
        out->count--;
        for (size_t i = 0; i < out->count; i++)
            out->items[i].depth--;
    }
    return 0;
}

void store_org_unit_clear(store_org_unit *u)
{
    free(u->code);
    free(u->name);
    free(u->parent_code);
    memset(u, 0, sizeof *u);
}

void store_org_list_free(store_org_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_org_unit_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- People ---------------------------------------------------------------- */

static void person_from_row(store *s, store_stmt *st, store_person *p)
{
    p->id = col_int(s, st, 0);
    p->employee_number = col_dup(s, st, 1);
    p->name = col_dup(s, st, 2);
    p->kana = col_dup(s, st, 3);
    p->email = col_dup(s, st, 4);
    p->org_unit_id = col_int(s, st, 5);
    p->manager_id = col_int(s, st, 6);
    p->org_code = col_dup(s, st, 7);
    p->org_name = col_dup(s, st, 8);
    p->manager_number = col_dup(s, st, 9);
    p->manager_name = col_dup(s, st, 10);
}

static int person_one(store *s, int slot, store_person *out, err *e, const char *types, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        person_from_row(s, st, out);
    q_close(s, st);
    return rc;
}

int store_person_find(store *s, const char *employee_number, store_person *out, err *e)
{
    int rc = person_one(s, Q_PERSON_BY_NUMBER, out, e, "t", employee_number ? employee_number : "");
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no person with employee number %s", employee_number ? employee_number : "");
    return rc;
}

int store_person_get(store *s, int64_t id, store_person *out, err *e)
{
    int rc = person_one(s, Q_PERSON_BY_ID, out, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no person with id %lld", (long long)id);
    return rc;
}

/* Checks the fields of p for an add (p->id ignored, id 0) or an edit (id). */
static int person_check(store *s, int64_t id, const store_person *p, err *e)
{
    if (rules_person(e, p->employee_number, p->name, p->kana, p->email) < 0)
        return -1;
    store_stmt *st = q_open(s, Q_PERSON_NAME_BY_NUMBER, e, "t", p->employee_number);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1 && col_int(s, st, 0) != id) {
        err_refuse(e, ERR_DUPLICATE, "person.number_taken", "employee_number",
                   "employee number %s is already in use (%s)", p->employee_number,
                    s->drv->column_text(st, 1) ? s->drv->column_text(st, 1) : "");
        rc = -1;
    }
    q_close(s, st);
    if (rc < 0)
        return -1;
    if (p->org_unit_id != 0) {
        rc = q_int(s, Q_ORG_BY_ID, NULL, e, "i", p->org_unit_id);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return err_refuse(e, ERR_NOT_FOUND, "person.org_unknown", "org_unit_id", "no org unit with id %lld",
                              (long long)p->org_unit_id);
    }
    if (p->manager_id != 0) {
        if (p->manager_id == id)
            return err_refuse(e, ERR_CONFLICT, "person.own_manager", "manager_id", "%s cannot be their own manager", p->employee_number);
        rc = q_int(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", p->manager_id);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return err_refuse(e, ERR_NOT_FOUND, "person.manager_unknown", "manager_id", "no person with id %lld",
                              (long long)p->manager_id);
        if (id != 0) {
            /* Walking up from the new manager must not reach the person. */
            rc = q_int(s, Q_PERSON_MANAGER_CHAIN, NULL, e, "ii", p->manager_id, id);
            if (rc < 0)
                return -1;
            if (rc == 1)
                return err_refuse(e, ERR_CONFLICT, "person.manager_below", "manager_id",
                                  "%s cannot be managed by someone who reports to them",
                                   p->employee_number);
        }
    }
    return 0;
}

/* Message for a constraint the checks above should have caught (a concurrent writer). */
static int person_fault(store *s, const store_person *p, err *e)
{
    if (s->fault == STORE_FAULT_UNIQUE)
        return err_refuse(e, ERR_DUPLICATE, "person.number_taken", "employee_number",
                          "employee number %s is already in use", p->employee_number);
    if (s->fault == STORE_FAULT_FOREIGN_KEY)
        return field_error(e, "org_unit_id", "the org unit or manager of %s no longer exists", p->employee_number);
    return -1;
}

int store_person_add(store *s, const store_person *p, int64_t *id, err *e)
{
    int64_t new_id = 0;
    char at[24];
    now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = person_check(s, 0, p, e);
    if (rc == 0 && q_int(s, Q_PERSON_INSERT, &new_id, e, "ttttnntt", p->employee_number, p->name, opt(p->kana),
                         opt(p->email), p->org_unit_id, p->manager_id, at, at) != 1)
        rc = person_fault(s, p, e);
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_person_edit(store *s, const store_person *p, err *e)
{
    char at[24];
    now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", p->id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no person with id %lld", (long long)p->id);
        rc = -1;
    } else if (rc == 1) {
        rc = person_check(s, p->id, p, e);
    }
    if (rc == 0 && q_exec(s, Q_PERSON_UPDATE, e, "ttttnnti", p->employee_number, p->name, opt(p->kana),
                          opt(p->email), p->org_unit_id, p->manager_id, at, p->id) < 0)
        rc = person_fault(s, p, e);
    /* A loaded assessment carries the person's name and number. */
    if (rc == 0)
        rc = q_exec(s, Q_ASSESS_BUMP_PERSON, e, "i", p->id);
    return tx_end(s, rc, e);
}

enum { PF_ORG = 1, PF_ORG_TREE = 2, PF_MANAGER = 4, PF_SEARCH = 8 };

/* The parts of a person filter in use, as a bit mask. */
static int person_filter_mask(const store_person_filter *f)
{
    if (!f)
        return 0;
    int mask = 0;
    if (f->org_unit_id)
        mask |= f->include_sub_units ? PF_ORG_TREE : PF_ORG;
    if (f->manager_id)
        mask |= PF_MANAGER;
    if (opt(f->search))
        mask |= PF_SEARCH;
    return mask;
}

/* "%text%" in lower-case ASCII with LIKE's wildcards escaped by '\'. Caller frees. */
static char *like_pattern(const char *text)
{
    buf b;
    buf_init(&b);
    buf_putc(&b, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, (char)tolower((unsigned char)*p));
    }
    buf_putc(&b, '%');
    return buf_detach(&b);
}

/* Builds and prepares the list (count 0) or count (count 1) query for f, binding
 * its parameters. NULL on failure. */
static store_stmt *person_query(store *s, const store_person_filter *f, int count, err *e)
{
    int mask = person_filter_mask(f);
    buf sql;
    buf_init(&sql);
    if (mask & PF_ORG_TREE)
        buf_puts(&sql, SUB_UNITS);
    if (count)
        buf_puts(&sql, "SELECT count(*) FROM person p WHERE 1 = 1");
    else
        buf_puts(&sql, "SELECT " PERSON_COLUMNS " WHERE 1 = 1");
    if (mask & PF_ORG)
        buf_puts(&sql, " AND p.org_unit_id = ?");
    if (mask & PF_ORG_TREE)
        buf_puts(&sql, " AND p.org_unit_id IN (SELECT id FROM unit)");
    if (mask & PF_MANAGER)
        buf_puts(&sql, " AND p.manager_id = ?");
    if (mask & PF_SEARCH)
        buf_puts(&sql, " AND (LOWER(p.employee_number) LIKE ? ESCAPE '\\' OR LOWER(p.name) LIKE ? ESCAPE '\\'"
                       " OR LOWER(COALESCE(p.kana, '')) LIKE ? ESCAPE '\\'"
                       " OR LOWER(COALESCE(p.email, '')) LIKE ? ESCAPE '\\')");
    if (!count)
        buf_puts(&sql, " ORDER BY p.employee_number LIMIT ? OFFSET ?");
    int slot = (count ? SLOT_PERSON_COUNT : SLOT_PERSON_LIST) + mask;
    store_stmt *st = s->drv->prepare(s->conn, slot, sql.data, e);
    buf_free(&sql);
    if (!st)
        return NULL;
    int i = 1;
    if (mask & (PF_ORG | PF_ORG_TREE))
        s->drv->bind_int(st, i++, f->org_unit_id);
    if (mask & PF_MANAGER)
        s->drv->bind_int(st, i++, f->manager_id);
    if (mask & PF_SEARCH) {
        char *pattern = like_pattern(f->search);
        for (int k = 0; k < 4; k++)
            s->drv->bind_text(st, i++, pattern);
        free(pattern);
    }
    if (!count) {
        s->drv->bind_int(st, i++, f && f->limit > 0 ? f->limit : INT64_MAX);
        s->drv->bind_int(st, i++, f && f->offset > 0 ? f->offset : 0);
    }
    return st;
}

int store_person_each(store *s, const store_person_filter *f, int (*fn)(const store_person *p, void *ctx),
                      void *ctx, err *e)
{
    store_stmt *st = person_query(s, f, 0, e);
    if (!st)
        return -1;
    int rc, stop = 0;
    while (!stop && (rc = q_step(s, st, e)) == 1) {
        store_person p;
        person_from_row(s, st, &p);
        stop = fn(&p, ctx);
        store_person_clear(&p);
    }
    q_close(s, st);
    return stop ? stop : rc;
}

/* Appends a copy of p to the list ctx. */
static int person_collect(const store_person *p, void *ctx)
{
    store_person_list *l = ctx;
    store_person *q = PUSH(l->items, l->count);
    q->id = p->id;
    q->employee_number = xstrdup(p->employee_number);
    q->name = xstrdup(p->name);
    q->kana = xstrdup(p->kana);
    q->email = xstrdup(p->email);
    q->org_unit_id = p->org_unit_id;
    q->manager_id = p->manager_id;
    q->org_code = xstrdup(p->org_code);
    q->org_name = xstrdup(p->org_name);
    q->manager_number = xstrdup(p->manager_number);
    q->manager_name = xstrdup(p->manager_name);
    return 0;
}

int store_person_list_filter(store *s, const store_person_filter *f, store_person_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    if (store_person_each(s, f, person_collect, out, e) < 0) {
        store_person_list_free(out);
        return -1;
    }
    return 0;
}

int store_person_count(store *s, const store_person_filter *f, int64_t *count, err *e)
{
    *count = 0;
    store_stmt *st = person_query(s, f, 1, e);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        *count = s->drv->column_int(st, 0);
    q_close(s, st);
    return rc < 0 ? -1 : 0;
}

void store_person_clear(store_person *p)
{
    free(p->employee_number);
    free(p->name);
    free(p->kana);
    free(p->email);
    free(p->org_code);
    free(p->org_name);
    free(p->manager_number);
    free(p->manager_name);
    memset(p, 0, sizeof *p);
}

void store_person_list_free(store_person_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_person_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Cycles ----------------------------------------------------------------- */

static void cycle_from_row(store *s, store_stmt *st, store_cycle *c)
{
    c->id = col_int(s, st, 0);
    c->name = col_dup(s, st, 1);
    c->opens = col_dup(s, st, 2);
    c->closes = col_dup(s, st, 3);
}

static int cycle_one(store *s, int slot, store_cycle *out, err *e, const char *types, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        cycle_from_row(s, st, out);
    q_close(s, st);
    return rc;
}

/* Checks a cycle being added (id 0) or edited. */
static int cycle_check(store *s, int64_t id, const char *name, const char *opens, const char *closes, err *e)
{
    if (rules_name(e, "name", name, 1) < 0 || rules_date(e, "opens", opens, 1) < 0
        || rules_date(e, "closes", closes, 1) < 0)
        return -1;
    if (strcmp(opens, closes) > 0)
        return err_refuse(e, ERR_CONFLICT, "cycle.closes_before", "closes", "the cycle closes (%s) before it opens (%s)", closes, opens);
    store_cycle other;
    int rc = cycle_one(s, Q_CYCLE_BY_NAME, &other, e, "t", name);
    int taken = rc == 1 && other.id != id;
    store_cycle_clear(&other);
    if (rc < 0)
        return -1;
    if (taken)
        return err_refuse(e, ERR_DUPLICATE, "cycle.name_taken", "name", "a cycle named %s already exists", name);
    return 0;
}

int store_cycle_add(store *s, const char *name, const char *opens, const char *closes, int64_t *id, err *e)
{
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = cycle_check(s, 0, name, opens, closes, e);
    if (rc == 0 && q_int(s, Q_CYCLE_INSERT, &new_id, e, "ttt", name, opens, closes) != 1)
        rc = -1;
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_cycle_edit(store *s, int64_t id, const char *name, const char *opens, const char *closes, err *e)
{
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_CYCLE_BY_ID, NULL, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no cycle with id %lld", (long long)id);
        rc = -1;
    } else if (rc == 1) {
        rc = cycle_check(s, id, name, opens, closes, e);
    }
    if (rc == 0)
        rc = q_exec(s, Q_CYCLE_UPDATE, e, "ttti", name, opens, closes, id);
    /* A loaded assessment carries its cycle's name. */
    if (rc == 0)
        rc = q_exec(s, Q_ASSESS_BUMP_CYCLE, e, "i", id);
    return tx_end(s, rc, e);
}

int store_cycle_find(store *s, const char *name, store_cycle *out, err *e)
{
    int rc = cycle_one(s, Q_CYCLE_BY_NAME, out, e, "t", name ? name : "");
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no cycle named %s", name ? name : "");
    return rc;
}

int store_cycle_get(store *s, int64_t id, store_cycle *out, err *e)
{
    int rc = cycle_one(s, Q_CYCLE_BY_ID, out, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no cycle with id %lld", (long long)id);
    return rc;
}

int store_cycle_list_all(store *s, store_cycle_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_CYCLE_ALL, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        cycle_from_row(s, st, PUSH(out->items, out->count));
    q_close(s, st);
    if (rc < 0) {
        store_cycle_list_free(out);
        return -1;
    }
    return 0;
}

int store_cycle_current(store *s, const char *today, store_cycle *out, err *e)
{
    char date[16];
    if (!today) {
        rules_today(date);
        today = date;
    }
    if (rules_date(e, "today", today, 1) < 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    int rc = cycle_one(s, Q_CYCLE_CURRENT, out, e, "tt", today, today);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no assessment cycle is open on %s", today);
    return rc;
}

int store_cycle_in_use(store *s, const char *today, store_cycle *out, err *e)
{
    char date[16];
    if (!today) {
        rules_today(date);
        today = date;
    }
    if (rules_date(e, "today", today, 1) < 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return cycle_one(s, Q_CYCLE_IN_USE, out, e, "tt", today, today);
}

void store_cycle_clear(store_cycle *c)
{
    free(c->name);
    free(c->opens);
    free(c->closes);
    memset(c, 0, sizeof *c);
}

void store_cycle_list_free(store_cycle_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_cycle_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Experience records ----------------------------------------------------- */

/* Frees what an assessment_experience holds (one not kept by an assessment). */
static void experience_fields_free(assessment_experience *x)
{
    free(x->id);
    free(x->project);
    free(x->period_from);
    free(x->period_to);
    free(x->role);
    free(x->specialization_id);
    for (size_t i = 0; i < x->n_complexity_items; i++)
        free(x->complexity_items[i]);
    free(x->complexity_items);
    for (size_t i = 0; i < x->n_size_items; i++)
        free(x->size_items[i]);
    free(x->size_items);
    free(x->description);
    memset(x, 0, sizeof *x);
}

/* Checks one list of item ids: identifiers, each listed once. */
static int check_items(err *e, const char *field, char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rules_element_id(e, field, items[i]) < 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(items[i], items[j]) == 0)
                return field_error(e, field, "%s is listed twice", items[i]);
    }
    return 0;
}

static int experience_check(const assessment_experience *x, err *e)
{
    if (rules_text(e, "project", x->project, 1, 0) < 0 || rules_month(e, "period_from", x->period_from) < 0
        || rules_month(e, "period_to", x->period_to) < 0 || rules_text(e, "role", x->role, 0, 0) < 0
        || rules_element_id(e, "specialization_id", x->specialization_id) < 0
        || rules_text(e, "description", x->description, 0, 1) < 0
        || check_items(e, "complexity_items", x->complexity_items, x->n_complexity_items) < 0
        || check_items(e, "size_items", x->size_items, x->n_size_items) < 0)
        return -1;
    if (opt(x->period_from) && opt(x->period_to) && strcmp(x->period_from, x->period_to) > 0)
        return field_error(e, "period_to", "the period ends (%s) before it starts (%s)", x->period_to,
                           x->period_from);
    if (x->level < 1 || x->level > 7)
        return field_error(e, "level", "level %d is not a level of the standard (1 to 7)", x->level);
    if (x->succeeded != 0 && x->succeeded != 1)
        return field_error(e, "succeeded", "must be 0 or 1, not %d", x->succeeded);
    return 0;
}

/* Writes the item lists of record id (after clearing the old ones). */
static int experience_items_write(store *s, int64_t id, const assessment_experience *x, err *e)
{
    if (q_exec(s, Q_EXP_ITEMS_DELETE, e, "i", id) < 0)
        return -1;
    for (size_t i = 0; i < x->n_complexity_items; i++)
        if (q_exec(s, Q_EXP_ITEM_INSERT, e, "itit", id, "complexity", (int64_t)i, x->complexity_items[i]) < 0)
            return -1;
    for (size_t i = 0; i < x->n_size_items; i++)
        if (q_exec(s, Q_EXP_ITEM_INSERT, e, "itit", id, "size", (int64_t)i, x->size_items[i]) < 0)
            return -1;
    return 0;
}

/* After a change of person_id's experience records: their assessments' cached
 * results go, and their revisions move on (the records are part of every
 * loaded assessment of the person and of the levels it reaches). */
static int drop_person_results(store *s, int64_t person_id, err *e)
{
    if (q_exec(s, Q_RESULTS_DROP_PERSON, e, "i", person_id) < 0)
        return -1;
    return q_exec(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
}

int store_experience_add(store *s, int64_t person_id, const assessment_experience *x, int64_t *id, err *e)
{
    if (experience_check(x, e) < 0)
        return -1;
    char at[24];
    now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", person_id);
    if (rc == 0) {
        field_error(e, "person_id", "no person with id %lld", (long long)person_id);
        rc = -1;
    }
    if (rc == 1)
        rc = q_int(s, Q_EXP_INSERT, &new_id, e, "itttttiittt", person_id, x->project, opt(x->period_from),
                   opt(x->period_to), opt(x->role), x->specialization_id, (int64_t)x->level,
                   (int64_t)x->succeeded, opt(x->description), at, at) == 1 ? 0 : -1;
    if (rc == 0)
        rc = experience_items_write(s, new_id, x, e);
    if (rc == 0)
        rc = drop_person_results(s, person_id, e);
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_experience_edit(store *s, int64_t id, const assessment_experience *x, err *e)
{
    if (experience_check(x, e) < 0)
        return -1;
    char at[24];
    now_utc(at);
    int64_t person_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_EXP_OWNER, &person_id, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no experience record with id %lld", (long long)id);
        rc = -1;
    }
    if (rc == 1)
        rc = q_exec(s, Q_EXP_UPDATE, e, "tttttiitti", x->project, opt(x->period_from), opt(x->period_to),
                    opt(x->role), x->specialization_id, (int64_t)x->level, (int64_t)x->succeeded,
                    opt(x->description), at, id);
    if (rc == 0)
        rc = experience_items_write(s, id, x, e);
    if (rc == 0)
        rc = drop_person_results(s, person_id, e);
    return tx_end(s, rc, e);
}

/* Fills x (and *person_id) from an experience row, then reads its items. */
static int experience_from_row(store *s, store_stmt *st, store_experience *out)
{
    char idtext[24];
    out->id = col_int(s, st, 0);
    out->person_id = col_int(s, st, 1);
    snprintf(idtext, sizeof idtext, "%lld", (long long)out->id);
    out->x.id = xstrdup(idtext);
    out->x.project = col_dup(s, st, 2);
    out->x.period_from = col_dup(s, st, 3);
    out->x.period_to = col_dup(s, st, 4);
    out->x.role = col_dup(s, st, 5);
    out->x.specialization_id = col_dup(s, st, 6);
    out->x.level = (int)col_int(s, st, 7);
    out->x.succeeded = (int)col_int(s, st, 8);
    out->x.description = col_dup(s, st, 9);
    return 0;
}

/* Reads the item lists of out->id. */
static int experience_items_read(store *s, store_experience *out, err *e)
{
    store_stmt *st = q_open(s, Q_EXP_ITEMS, e, "i", out->id);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1) {
        const char *kind = s->drv->column_text(st, 0);
        char *item = col_dup(s, st, 1);
        if (kind && strcmp(kind, "complexity") == 0)
            *PUSH(out->x.complexity_items, out->x.n_complexity_items) = item;
        else
            *PUSH(out->x.size_items, out->x.n_size_items) = item;
    }
    q_close(s, st);
    return rc < 0 ? -1 : 0;
}

int store_experience_get(store *s, int64_t id, store_experience *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_EXP_BY_ID, e, "i", id);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        experience_from_row(s, st, out);
    q_close(s, st);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no experience record with id %lld", (long long)id);
    if (rc == 1 && experience_items_read(s, out, e) < 0) {
        store_experience_clear(out);
        return -1;
    }
    return rc;
}

int store_experience_list_person(store *s, int64_t person_id, store_experience_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_EXP_BY_PERSON, e, "i", person_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        experience_from_row(s, st, PUSH(out->items, out->count));
    q_close(s, st);
    for (size_t i = 0; rc == 0 && i < out->count; i++)
        rc = experience_items_read(s, &out->items[i], e);
    if (rc < 0) {
        store_experience_list_free(out);
        return -1;
    }
    return 0;
}

void store_experience_clear(store_experience *x)
{
    experience_fields_free(&x->x);
    memset(x, 0, sizeof *x);
}

void store_experience_list_free(store_experience_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_experience_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Contributions ------------------------------------------------------------ */

static int contribution_check(const assessment_contribution *c, err *e)
{
    if ((unsigned)c->kind >= CONTRIBUTION_KIND_COUNT)
        return field_error(e, "kind", "unknown kind of contribution (%d)", (int)c->kind);
    if (rules_text(e, "title", c->title, 1, 0) < 0 || rules_text(e, "description", c->description, 0, 1) < 0)
        return -1;
    if (opt(c->date) && !rules_is_month(c->date) && !rules_is_date(c->date))
        return field_error(e, "date", "'%s' is not a month or date (YYYY-MM or YYYY-MM-DD)", c->date);
    return 0;
}

/* The person whose contribution id is: 1 with *person_id, -1 (with a message
 * naming the id when there is none). */
static int contribution_owner(store *s, int64_t id, int64_t *person_id, err *e)
{
    store_stmt *st = q_open(s, Q_CONTRIB_BY_ID, e, "i", id);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        *person_id = col_int(s, st, 1);
    q_close(s, st);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no contribution with id %lld", (long long)id);
        rc = -1;
    }
    return rc;
}

int store_contribution_add(store *s, int64_t person_id, const assessment_contribution *c, int64_t *id, err *e)
{
    if (contribution_check(c, e) < 0)
        return -1;
    char at[24];
    now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", person_id);
    if (rc == 0) {
        field_error(e, "person_id", "no person with id %lld", (long long)person_id);
        rc = -1;
    }
    if (rc == 1)
        rc = q_int(s, Q_CONTRIB_INSERT, &new_id, e, "itttttt", person_id, contribution_kind_name(c->kind),
                   c->title, opt(c->date), opt(c->description), at, at) == 1 ? 0 : -1;
    if (rc == 0)
        rc = q_exec(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_contribution_edit(store *s, int64_t id, const assessment_contribution *c, err *e)
{
    if (contribution_check(c, e) < 0)
        return -1;
    char at[24];
    now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int64_t person_id = 0;
    int rc = contribution_owner(s, id, &person_id, e);
    if (rc == 1)
        rc = q_exec(s, Q_CONTRIB_UPDATE, e, "ttttti", contribution_kind_name(c->kind),
                    c->title, opt(c->date), opt(c->description), at, id);
    if (rc == 0)
        rc = q_exec(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
    return tx_end(s, rc, e);
}

int store_contribution_delete(store *s, int64_t id, err *e)
{
    if (store_begin(s, e) < 0)
        return -1;
    int64_t person_id = 0;
    int rc = contribution_owner(s, id, &person_id, e);
    if (rc == 1)
        rc = q_exec(s, Q_CONTRIB_DELETE, e, "i", id);
    if (rc == 0)
        rc = q_exec(s, Q_ASSESS_BUMP_PERSON, e, "i", person_id);
    return tx_end(s, rc, e);
}

static void contribution_from_row(store *s, store_stmt *st, store_contribution *out)
{
    out->id = col_int(s, st, 0);
    out->person_id = col_int(s, st, 1);
    int kind = contribution_kind_parse(s->drv->column_text(st, 2) ? s->drv->column_text(st, 2) : "");
    out->c.kind = kind < 0 ? CONTRIBUTION_MENTORING : (contribution_kind)kind;
    out->c.title = col_dup(s, st, 3);
    out->c.date = col_dup(s, st, 4);
    out->c.description = col_dup(s, st, 5);
}

int store_contribution_get(store *s, int64_t id, store_contribution *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_CONTRIB_BY_ID, e, "i", id);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        contribution_from_row(s, st, out);
    q_close(s, st);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no contribution with id %lld", (long long)id);
    return rc;
}

int store_contribution_list_person(store *s, int64_t person_id, store_contribution_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_CONTRIB_BY_PERSON, e, "i", person_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        contribution_from_row(s, st, PUSH(out->items, out->count));
    q_close(s, st);
    if (rc < 0) {
        store_contribution_list_free(out);
        return -1;
    }
    return 0;
}

void store_contribution_clear(store_contribution *c)
{
    free(c->c.title);
    free(c->c.date);
    free(c->c.description);
    memset(c, 0, sizeof *c);
}

void store_contribution_list_free(store_contribution_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_contribution_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Assessments ---------------------------------------------------------------- */

static void assessment_from_row(store *s, store_stmt *st, store_assessment *a)
{
    a->id = col_int(s, st, 0);
    a->person_id = col_int(s, st, 1);
    a->cycle_id = col_int(s, st, 2);
    a->employee_number = col_dup(s, st, 3);
    a->person_name = col_dup(s, st, 4);
    a->cycle = col_dup(s, st, 5);
    a->catalog_id = col_dup(s, st, 6);
    a->catalog_version = col_dup(s, st, 7);
    int status = assessment_status_parse(s->drv->column_text(st, 8) ? s->drv->column_text(st, 8) : "");
    a->status = status < 0 ? ASSESSMENT_DRAFT : (assessment_status)status;
    a->created_at = col_dup(s, st, 9);
    a->updated_at = col_dup(s, st, 10);
    a->revision = col_int(s, st, 11);
}

static int assessment_one(store *s, int slot, store_assessment *out, err *e, const char *types, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        assessment_from_row(s, st, out);
    q_close(s, st);
    return rc;
}

int store_assessment_get(store *s, int64_t id, store_assessment *out, err *e)
{
    int rc = assessment_one(s, Q_ASSESS_BY_ID, out, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no assessment with id %lld", (long long)id);
    return rc;
}

int store_assessment_find(store *s, int64_t person_id, int64_t cycle_id, store_assessment *out, err *e)
{
    int rc = assessment_one(s, Q_ASSESS_BY_PERSON_CYCLE, out, e, "ii", person_id, cycle_id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no assessment of person %lld in cycle %lld", (long long)person_id,
                (long long)cycle_id);
    return rc;
}

int store_assessment_create(store *s, int64_t person_id, int64_t cycle_id, const char *catalog_id,
                            const char *catalog_version, const char *actor, int64_t *id, err *e)
{
    if (check_actor(e, actor) < 0)
        return -1;
    char at[24];
    now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    store_person p;
    store_cycle c;
    memset(&c, 0, sizeof c);
    int rc = store_person_get(s, person_id, &p, e);
    if (rc == 1)
        rc = store_cycle_get(s, cycle_id, &c, e);
    if (rc == 1)
        rc = store_catalog_known(s, catalog_id, catalog_version, e);
    if (rc == 1) {
        store_assessment old;
        rc = assessment_one(s, Q_ASSESS_BY_PERSON_CYCLE, &old, e, "ii", person_id, cycle_id);
        store_assessment_clear(&old);
        if (rc == 1) {
            err_set(e, "", 0, 0, "cycle", "%s already has an assessment in %s", p.employee_number, c.name);
            rc = -1;
        } else if (rc == 0) {
            rc = 1;
        }
    }
    if (rc == 1 && q_int(s, Q_ASSESS_INSERT, &new_id, e, "iittt" "t", person_id, cycle_id, catalog_id,
                         catalog_version, at, at) != 1)
        rc = -1;
    if (rc == 1) {
        char what[300];
        snprintf(what, sizeof what, "%s %s", catalog_id, catalog_version);
        rc = history_add(s, new_id, at, actor, "created", NULL, what, NULL, e) < 0 ? -1 : 1;
    }
    store_person_clear(&p);
    store_cycle_clear(&c);
    rc = tx_end(s, rc == 1 ? 0 : -1, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_assessment_ensure(store *s, int64_t person_id, int64_t cycle_id, const char *catalog_id,
                            const char *catalog_version, const char *actor, int64_t *id, int *created, err *e)
{
    store_assessment old;
    if (created)
        *created = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = assessment_one(s, Q_ASSESS_BY_PERSON_CYCLE, &old, e, "ii", person_id, cycle_id);
    if (rc == 1) {
        if (id)
            *id = old.id;
        rc = 0;
    } else if (rc == 0) {
        rc = store_assessment_create(s, person_id, cycle_id, catalog_id, catalog_version, actor, id, e);
        if (rc == 0 && created)
            *created = 1;
    }
    store_assessment_clear(&old);
    return tx_end(s, rc, e);
}

enum { AF_PERSON = 1, AF_CYCLE = 2, AF_STATUS = 4, AF_ORG = 8, AF_ORG_TREE = 16 };

int store_assessment_list_filter(store *s, const store_assessment_filter *f, store_assessment_list *out,
                                 err *e)
{
    memset(out, 0, sizeof *out);
    int mask = 0;
    if (f) {
        if (f->person_id)
            mask |= AF_PERSON;
        if (f->cycle_id)
            mask |= AF_CYCLE;
        if (f->status >= 0)
            mask |= AF_STATUS;
        if (f->org_unit_id)
            mask |= f->include_sub_units ? AF_ORG_TREE : AF_ORG;
        if (f->status >= ASSESSMENT_STATUS_COUNT)
            return field_error(e, "status", "unknown assessment status %d", f->status);
    }
    buf sql;
    buf_init(&sql);
    if (mask & AF_ORG_TREE)
        buf_puts(&sql, SUB_UNITS);
    buf_puts(&sql, "SELECT " ASSESSMENT_COLUMNS " WHERE 1 = 1");
    if (mask & AF_PERSON)
        buf_puts(&sql, " AND a.person_id = ?");
    if (mask & AF_CYCLE)
        buf_puts(&sql, " AND a.cycle_id = ?");
    if (mask & AF_STATUS)
        buf_puts(&sql, " AND a.status = ?");
    if (mask & AF_ORG)
        buf_puts(&sql, " AND p.org_unit_id = ?");
    if (mask & AF_ORG_TREE)
        buf_puts(&sql, " AND p.org_unit_id IN (SELECT id FROM unit)");
    buf_puts(&sql, " ORDER BY c.opens DESC, c.id DESC, p.employee_number LIMIT ? OFFSET ?");
    store_stmt *st = s->drv->prepare(s->conn, SLOT_ASSESSMENT_LIST + mask, sql.data, e);
    buf_free(&sql);
    if (!st)
        return -1;
    int i = 1;
    if (mask & AF_ORG_TREE)               /* the CTE's parameter comes first */
        s->drv->bind_int(st, i++, f->org_unit_id);
    if (mask & AF_PERSON)
        s->drv->bind_int(st, i++, f->person_id);
    if (mask & AF_CYCLE)
        s->drv->bind_int(st, i++, f->cycle_id);
    if (mask & AF_STATUS)
        s->drv->bind_text(st, i++, assessment_status_name((assessment_status)f->status));
    if (mask & AF_ORG)
        s->drv->bind_int(st, i++, f->org_unit_id);
    s->drv->bind_int(st, i++, f && f->limit > 0 ? f->limit : INT64_MAX);
    s->drv->bind_int(st, i++, f && f->offset > 0 ? f->offset : 0);
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        assessment_from_row(s, st, PUSH(out->items, out->count));
    q_close(s, st);
    if (rc < 0) {
        store_assessment_list_free(out);
        return -1;
    }
    return 0;
}

void store_assessment_clear(store_assessment *a)
{
    free(a->employee_number);
    free(a->person_name);
    free(a->cycle);
    free(a->catalog_id);
    free(a->catalog_version);
    free(a->created_at);
    free(a->updated_at);
    memset(a, 0, sizeof *a);
}

void store_assessment_list_free(store_assessment_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_assessment_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Packed answers ------------------------------------------------------------- */

/* How answers are kept (docs/store.md, schema version 6): per catalog version a
 * dictionary numbers the elements ever answered (answer_element, numbers given
 * in order of first use and never changed); per assessment and rater one row
 * holds a vector of 3-bit codes indexed by that number, 0 for unanswered and
 * value + 1 for an answer (answer_values); evidence links name the element by
 * its number (answer_evidence); and every save appends one history row holding
 * only what changed (assessment_history, kind 'answers', packed_changes_*). */

#define CODE_BITS 3

/* The element dictionary of one catalog version, as far as this connection has
 * read it. */
typedef struct elem_dict {
    char *catalog_id, *catalog_version;
    char **ids;                /* by element number */
    size_t n;
    uint32_t *slots;           /* open addressing: number + 1, 0 empty */
    size_t n_slots;            /* a power of two, more than twice n */
    uint32_t *order;           /* numbers sorted by element id (strcmp), valid while n_order == n */
    size_t n_order;
} elem_dict;

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261U;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619U;
    }
    return h;
}

static void dict_free(elem_dict *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->ids[i]);
    free(d->ids);
    free(d->slots);
    free(d->order);
    free(d->catalog_id);
    free(d->catalog_version);
    free(d);
}

/* Forgets every dictionary read: after a rollback, numbers given inside it are
 * gone from the database. */
static void dicts_forget(store *s)
{
    for (size_t i = 0; i < s->n_dicts; i++)
        dict_free(s->dicts[i]);
    free(s->dicts);
    s->dicts = NULL;
    s->n_dicts = 0;
}

/* The number of element id in d, or -1. */
static long dict_lookup(const elem_dict *d, const char *id)
{
    if (!d->n_slots)
        return -1;
    for (size_t i = str_hash(id) & (d->n_slots - 1);; i = (i + 1) & (d->n_slots - 1)) {
        uint32_t v = d->slots[i];
        if (!v)
            return -1;
        if (strcmp(d->ids[v - 1], id) == 0)
            return (long)(v - 1);
    }
}

/* Appends id as number d->n (memory only). */
static void dict_append(elem_dict *d, const char *id)
{
    if ((d->n + 1) * 2 >= d->n_slots) {
        size_t n_slots = d->n_slots ? d->n_slots * 2 : 1024;
        uint32_t *slots = xmalloc(n_slots * sizeof *slots);
        for (size_t k = 0; k < d->n; k++)
            for (size_t i = str_hash(d->ids[k]) & (n_slots - 1);; i = (i + 1) & (n_slots - 1))
                if (!slots[i]) {
                    slots[i] = (uint32_t)k + 1;
                    break;
                }
        free(d->slots);
        d->slots = slots;
        d->n_slots = n_slots;
    }
    *PUSH(d->ids, d->n) = xstrdup(id);
    for (size_t i = str_hash(id) & (d->n_slots - 1);; i = (i + 1) & (d->n_slots - 1))
        if (!d->slots[i]) {
            d->slots[i] = (uint32_t)d->n;
            break;
        }
}

/* Reads the numbers given since d was last read. */
static int dict_refresh(store *s, elem_dict *d, err *e)
{
    store_stmt *st = q_open(s, Q_DICT_LOAD, e, "tti", d->catalog_id, d->catalog_version, (int64_t)d->n);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1) {
        const char *id = s->drv->column_text(st, 1);
        if (s->drv->column_int(st, 0) != (int64_t)d->n || !id) {
            err_set(e, s->location, 0, 0, NULL, "the element numbers of catalog %s %s have a gap at %zu",
                    d->catalog_id, d->catalog_version, d->n);
            rc = -1;
            break;
        }
        dict_append(d, id);
    }
    q_close(s, st);
    return rc < 0 ? -1 : 0;
}

/* The dictionary of a catalog version, read when first needed. NULL on failure. */
static elem_dict *dict_get(store *s, const char *catalog_id, const char *version, err *e)
{
    for (size_t i = 0; i < s->n_dicts; i++)
        if (strcmp(s->dicts[i]->catalog_id, catalog_id) == 0 && strcmp(s->dicts[i]->catalog_version, version) == 0)
            return s->dicts[i];
    elem_dict *d = xmalloc(sizeof *d);
    d->catalog_id = xstrdup(catalog_id);
    d->catalog_version = xstrdup(version);
    if (dict_refresh(s, d, e) < 0) {
        dict_free(d);
        return NULL;
    }
    *PUSH(s->dicts, s->n_dicts) = d;
    return d;
}

/* The number of element id, given now when it has none (inside the caller's
 * write transaction). -1 on failure. */
static long dict_number(store *s, elem_dict *d, const char *id, err *e)
{
    long k = dict_lookup(d, id);
    if (k >= 0)
        return k;
    if (dict_refresh(s, d, e) < 0)
        return -1;
    if ((k = dict_lookup(d, id)) >= 0)
        return k;
    if (q_exec(s, Q_DICT_INSERT, e, "ttit", d->catalog_id, d->catalog_version, (int64_t)d->n, id) < 0)
        return -1;
    dict_append(d, id);
    return (long)d->n - 1;
}

/* Fills d->order: the element numbers sorted by element id, the order in which
 * an assessment keeps its answers (so that loading appends). */
static void dict_order(elem_dict *d)
{
    if (d->n_order == d->n)
        return;
    free(d->order);
    d->order = xmalloc((d->n ? d->n : 1) * sizeof *d->order);
    for (size_t i = 0; i < d->n; i++)
        d->order[i] = (uint32_t)i;
    /* An insertion sort: no comparator state to share, and it runs once per
     * dictionary and connection. */
    for (size_t i = 1; i < d->n; i++) {
        uint32_t v = d->order[i];
        size_t j = i;
        while (j > 0 && strcmp(d->ids[d->order[j - 1]], d->ids[v]) > 0) {
            d->order[j] = d->order[j - 1];
            j--;
        }
        d->order[j] = v;
    }
    d->n_order = d->n;
}

/* One evidence link of an answer. */
typedef struct ev_link {
    int rater;
    uint32_t element;
    int64_t experience_id;
} ev_link;

static int cmp_link(const void *a, const void *b)
{
    const ev_link *x = a, *y = b;
    if (x->rater != y->rater)
        return x->rater - y->rater;
    if (x->element != y->element)
        return x->element < y->element ? -1 : 1;
    return x->experience_id < y->experience_id ? -1 : x->experience_id > y->experience_id;
}

/* Every answer of one assessment, unpacked: codes per rater by element number,
 * and the evidence links sorted by (rater, element, record). */
typedef struct answer_state {
    uint8_t *codes[RATER_COUNT];
    size_t n;                  /* length of each codes array (zero beyond what is answered) */
    ev_link *links;
    size_t n_links;
} answer_state;

static void state_free(answer_state *st)
{
    for (int r = 0; r < RATER_COUNT; r++)
        free(st->codes[r]);
    free(st->links);
    memset(st, 0, sizeof *st);
}

/* Makes room for n codes per rater (new ones 0). */
static void state_reserve(answer_state *st, size_t n)
{
    if (n <= st->n)
        return;
    for (int r = 0; r < RATER_COUNT; r++) {
        st->codes[r] = xrealloc(st->codes[r], n);
        memset(st->codes[r] + st->n, 0, n - st->n);
    }
    st->n = n;
}

static void state_copy(answer_state *to, const answer_state *from)
{
    memset(to, 0, sizeof *to);
    state_reserve(to, from->n);
    for (int r = 0; r < RATER_COUNT; r++)
        if (from->n)
            memcpy(to->codes[r], from->codes[r], from->n);
    if (from->n_links) {
        to->links = xmalloc(from->n_links * sizeof *to->links);
        memcpy(to->links, from->links, from->n_links * sizeof *to->links);
    }
    to->n_links = from->n_links;
}

/* The links of (rater, element): [*from, *to) of st->links. */
static void state_links_of(const answer_state *st, int rater, uint32_t element, size_t *from, size_t *to)
{
    ev_link key = { rater, element, INT64_MIN };
    size_t lo = 0, hi = st->n_links;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_link(&st->links[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    while (lo < st->n_links && st->links[lo].rater == rater && st->links[lo].element == element)
        lo++;
    *to = lo;
}

/* Sets (rater, element) to code (0: no answer) with evidence ids[0..n). */
static void state_set(answer_state *st, int rater, uint32_t element, int code, const int64_t *ids, size_t n)
{
    state_reserve(st, (size_t)element + 1);
    st->codes[rater][element] = (uint8_t)code;
    size_t from, to;
    state_links_of(st, rater, element, &from, &to);
    size_t tail = st->n_links - to;
    size_t count = st->n_links - (to - from) + n;
    ev_link *links = xmalloc((count ? count : 1) * sizeof *links);
    if (from)
        memcpy(links, st->links, from * sizeof *links);
    for (size_t i = 0; i < n; i++)
        links[from + i] = (ev_link){ rater, element, ids[i] };
    if (tail)
        memcpy(links + from + n, st->links + to, tail * sizeof *links);
    free(st->links);
    st->links = links;
    st->n_links = count;
}

/* The packed form of codes[0..n): 3 bits each, little-endian, trailing
 * unanswered elements left out. Returns the byte count (0: none answered). */
static size_t codes_pack(const uint8_t *codes, size_t n, buf *out)
{
    while (n > 0 && codes[n - 1] == 0)
        n--;
    size_t bytes = (n * CODE_BITS + 7) / 8;
    buf_reset(out);
    for (size_t i = 0; i < bytes; i++)
        buf_putc(out, '\0');
    unsigned char *p = (unsigned char *)out->data;
    for (size_t i = 0; i < n; i++) {
        size_t bit = i * CODE_BITS;
        unsigned v = (unsigned)codes[i] << (bit % 8);
        p[bit / 8] |= (unsigned char)v;
        if (v >> 8)
            p[bit / 8 + 1] |= (unsigned char)(v >> 8);
    }
    return bytes;
}

/* Unpacks bytes[0..len) into st's codes of rater. */
static void codes_unpack(answer_state *st, int rater, const unsigned char *bytes, size_t len)
{
    size_t n = len * 8 / CODE_BITS;
    state_reserve(st, n);
    for (size_t i = 0; i < n; i++) {
        size_t bit = i * CODE_BITS;
        unsigned v = bytes[bit / 8] | (bit / 8 + 1 < len ? (unsigned)bytes[bit / 8 + 1] << 8 : 0u);
        st->codes[rater][i] = (uint8_t)((v >> (bit % 8)) & 7u);
    }
}

/* Reads the answers of assessment id into st (empty before). */
static int state_load(store *s, int64_t id, answer_state *st, err *e)
{
    memset(st, 0, sizeof *st);
    store_stmt *q = q_open(s, Q_VALUES_LOAD, e, "i", id);
    if (!q)
        return -1;
    int rc;
    while ((rc = q_step(s, q, e)) == 1) {
        int64_t rater = s->drv->column_int(q, 0);
        size_t len;
        const unsigned char *bytes = s->drv->column_blob(q, 1, &len);
        if (rater >= 0 && rater < RATER_COUNT && bytes)
            codes_unpack(st, (int)rater, bytes, len);
    }
    q_close(s, q);
    if (rc < 0)
        return -1;
    if (!(q = q_open(s, Q_EVIDENCE_LOAD, e, "i", id)))
        return -1;
    while ((rc = q_step(s, q, e)) == 1) {
        ev_link *l = PUSH(st->links, st->n_links);
        l->rater = (int)s->drv->column_int(q, 0);
        l->element = (uint32_t)s->drv->column_int(q, 1);
        l->experience_id = s->drv->column_int(q, 2);
    }
    q_close(s, q);
    return rc < 0 ? -1 : 0;
}

static void put_varint(buf *b, uint64_t v)
{
    while (v >= 0x80) {
        buf_putc(b, (char)(v | 0x80));
        v >>= 7;
    }
    buf_putc(b, (char)v);
}

/* Reads a varint at *pos of p[0..len); 0 past the end. */
static uint64_t get_varint(const unsigned char *p, size_t len, size_t *pos)
{
    uint64_t v = 0;
    for (int shift = 0; *pos < len && shift < 64; shift += 7) {
        unsigned char c = p[(*pos)++];
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            break;
    }
    return v;
}

/* Do (rater, element) hold the same evidence in a and b? */
static int same_links(const answer_state *a, const answer_state *b, int rater, uint32_t element)
{
    size_t af, at, bf, bt;
    state_links_of(a, rater, element, &af, &at);
    state_links_of(b, rater, element, &bf, &bt);
    if (at - af != bt - bf)
        return 0;
    for (size_t i = 0; i < at - af; i++)
        if (a->links[af + i].experience_id != b->links[bf + i].experience_id)
            return 0;
    return 1;
}

/* What changed from `was` to `now`, as a history row keeps it: per changed
 * answer in (element, rater) order, varint((element - previous element) << 1 |
 * rater), a byte (new code | 8 when the evidence changed), and when it did the
 * new evidence as varint count then varint record ids, each the difference to
 * the one before. Old values are not kept: they are the values before, which
 * the history's earlier rows give. Returns how many answers changed. */
static size_t changes_encode(const answer_state *was, const answer_state *now, buf *out)
{
    size_t n = was->n > now->n ? was->n : now->n, count = 0;
    uint32_t prev = 0;
    buf_reset(out);
    for (uint32_t k = 0; k < n; k++)
        for (int r = 0; r < RATER_COUNT; r++) {
            int oc = k < was->n ? was->codes[r][k] : 0, nc = k < now->n ? now->codes[r][k] : 0;
            int ev_same = same_links(was, now, r, k);
            if (oc == nc && ev_same)
                continue;
            put_varint(out, ((uint64_t)(k - prev) << 1) | (uint64_t)r);
            prev = k;
            buf_putc(out, (char)(nc | (ev_same ? 0 : 8)));
            if (!ev_same) {
                size_t from, to;
                state_links_of(now, r, k, &from, &to);
                put_varint(out, to - from);
                int64_t last = 0;
                for (size_t i = from; i < to; i++) {
                    put_varint(out, (uint64_t)(now->links[i].experience_id - last));
                    last = now->links[i].experience_id;
                }
            }
            count++;
        }
    return count;
}

/* Writes the rows that differ between `was` (what is stored) and `now` for
 * assessment id: the vectors of each rater that changed, the evidence links
 * gone and new. */
static int state_store(store *s, int64_t id, const answer_state *was, const answer_state *now, err *e)
{
    int rc = 0;
    buf packed;
    buf_init(&packed);
    for (int r = 0; rc == 0 && r < RATER_COUNT; r++) {
        size_t n = was->n > now->n ? was->n : now->n;
        int differ = 0;
        for (size_t k = 0; k < n && !differ; k++)
            differ = (k < was->n ? was->codes[r][k] : 0) != (k < now->n ? now->codes[r][k] : 0);
        if (!differ)
            continue;
        size_t bytes = codes_pack(now->codes[r], now->n, &packed);
        if (bytes == 0) {
            rc = q_exec(s, Q_VALUES_DELETE, e, "ii", id, (int64_t)r);
        } else {
            store_stmt *st = q_open(s, Q_VALUES_PUT, e, "ii", id, (int64_t)r);
            if (!st) {
                rc = -1;
                break;
            }
            s->drv->bind_blob(st, 3, packed.data, bytes);
            while ((rc = q_step(s, st, e)) == 1)
                ;
            q_close(s, st);
        }
    }
    buf_free(&packed);
    /* Links: a merge of the two sorted lists. */
    size_t i = 0, j = 0;
    while (rc == 0 && (i < was->n_links || j < now->n_links)) {
        int c = i >= was->n_links ? 1 : j >= now->n_links ? -1 : cmp_link(&was->links[i], &now->links[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            const ev_link *l = &was->links[i++];
            rc = q_exec(s, Q_EVIDENCE_DELETE_ONE, e, "iiii", id, (int64_t)l->rater, (int64_t)l->element,
                        l->experience_id);
        } else {
            const ev_link *l = &now->links[j++];
            rc = q_exec(s, Q_EVIDENCE_INSERT, e, "iiii", id, (int64_t)l->rater, (int64_t)l->element,
                        l->experience_id);
        }
    }
    return rc;
}

/* Appends one row to the history of assessment id: kind 'created' or 'status'
 * with its old and new value, or 'answers' with changes (n bytes). */
static int history_add(store *s, int64_t id, const char *at, const char *actor, const char *kind,
                       const char *old_value, const char *new_value, const buf *changes, err *e)
{
    store_stmt *st = q_open(s, Q_HISTORY_INSERT, e, "itttt" "t", id, at, actor, kind, old_value, new_value);
    if (!st)
        return -1;
    if (changes)
        s->drv->bind_blob(st, 7, changes->data, changes->len);
    else
        s->drv->bind_text(st, 7, NULL);
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        ;
    q_close(s, st);
    return rc;
}

/* ---- Answers and history -------------------------------------------------------- */

/* What a change of answers needs to know about its assessment. */
typedef struct answer_ctx {
    int64_t assessment_id;
    int64_t person_id;
    const char *actor;
    char at[24];
    int changed;               /* some answer changed: touch the assessment, drop its results */
    elem_dict *dict;           /* of the assessment's catalog version */
    int64_t *records;          /* the person's experience record ids, ascending */
    size_t n_records;
    int records_read;
} answer_ctx;

/* Reads assessment id for a change of answers; refused when it is approved
 * (unless approved_ok). */
static int answer_ctx_open_as(store *s, int64_t id, const char *actor, int approved_ok, answer_ctx *ctx, err *e)
{
    memset(ctx, 0, sizeof *ctx);
    if (check_actor(e, actor) < 0)
        return -1;
    store_assessment a;
    int rc = store_assessment_get(s, id, &a, e);
    if (rc == 1 && a.status == ASSESSMENT_APPROVED && !approved_ok) {
        err_set(e, "", 0, 0, NULL, "the assessment of %s in %s is approved; return it before changing answers",
                a.employee_number, a.cycle);
        rc = -1;
    }
    if (rc == 1 && !(ctx->dict = dict_get(s, a.catalog_id, a.catalog_version, e)))
        rc = -1;
    ctx->assessment_id = id;
    ctx->person_id = a.person_id;
    ctx->actor = actor;
    now_utc(ctx->at);
    store_assessment_clear(&a);
    return rc == 1 ? 0 : -1;
}

static int answer_ctx_open(store *s, int64_t id, const char *actor, answer_ctx *ctx, err *e)
{
    return answer_ctx_open_as(s, id, actor, 0, ctx, e);
}

/* Writes what changed from was to now: the rows, one history row; touches the
 * assessment and drops its cached results. Nothing when nothing changed. */
static int answer_ctx_commit(store *s, answer_ctx *ctx, const answer_state *was, const answer_state *now, err *e)
{
    buf changes;
    buf_init(&changes);
    int rc = 0;
    if (changes_encode(was, now, &changes) > 0) {
        rc = state_store(s, ctx->assessment_id, was, now, e);
        if (rc == 0)
            rc = history_add(s, ctx->assessment_id, ctx->at, ctx->actor, "answers", NULL, NULL, &changes, e);
        ctx->changed = 1;
    }
    buf_free(&changes);
    free(ctx->records);
    ctx->records = NULL;
    if (rc < 0 || !ctx->changed)
        return rc;
    if (q_exec(s, Q_ASSESS_TOUCH, e, "ti", ctx->at, ctx->assessment_id) < 0)
        return -1;
    return q_exec(s, Q_RESULTS_DROP, e, "i", ctx->assessment_id);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts ids and drops repeats; returns the new count. */
static size_t ids_normalize(int64_t *ids, size_t n)
{
    if (n == 0)
        return 0;
    qsort(ids, n, sizeof *ids, cmp_id);
    size_t out = 1;
    for (size_t i = 1; i < n; i++)
        if (ids[i] != ids[out - 1])
            ids[out++] = ids[i];
    return out;
}

/* "3,7" for a list of ids (ascending), NULL for none. Caller frees. */
static char *ids_text(const int64_t *ids, size_t n)
{
    if (n == 0)
        return NULL;
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    return buf_detach(&b);
}

/* Parses a decimal id (> 0); 0 when text is not one. */
static int64_t parse_id(const char *text)
{
    if (!text || !text[0] || strlen(text) > 18)
        return 0;
    int64_t v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* The evidence of answer as sorted ids (caller frees *ids), each an experience
 * record of the assessed person. */
static int evidence_ids(store *s, answer_ctx *ctx, const assessment_answer *answer, int64_t **ids, size_t *n,
                        err *e)
{
    *ids = NULL;
    *n = 0;
    if (answer->n_evidence == 0)
        return 0;
    if (!ctx->records_read) {
        store_stmt *st = q_open(s, Q_EXP_IDS_OF_PERSON, e, "i", ctx->person_id);
        if (!st)
            return -1;
        int rc;
        while ((rc = q_step(s, st, e)) == 1)
            *PUSH(ctx->records, ctx->n_records) = s->drv->column_int(st, 0);
        q_close(s, st);
        if (rc < 0)
            return -1;
        ctx->records_read = 1;
    }
    int64_t *v = xmalloc(answer->n_evidence * sizeof *v);
    for (size_t i = 0; i < answer->n_evidence; i++) {
        v[i] = parse_id(answer->evidence[i]);
        if (!v[i] || !bsearch(&v[i], ctx->records, ctx->n_records, sizeof *ctx->records, cmp_id)) {
            err_set(e, "", 0, 0, answer->element_id, "evidence '%s' is not an experience record of this person",
                    answer->evidence[i] ? answer->evidence[i] : "");
            free(v);
            return -1;
        }
    }
    *n = ids_normalize(v, answer->n_evidence);
    *ids = v;
    return 0;
}

/* Checks the element, rater and value of an answer. */
static int answer_check(const assessment_answer *answer, err *e)
{
    if (rules_element_id(e, "element_id", answer->element_id) < 0)
        return -1;
    if ((unsigned)answer->rater >= RATER_COUNT)
        return field_error(e, answer->element_id, "unknown rater %d", (int)answer->rater);
    if (answer->value < 0 || answer->value > ASSESS_RATING_MAX)
        return field_error(e, answer->element_id, "value %d is out of range (0/1 met, or a rating 0 to %d)",
                           answer->value, ASSESS_RATING_MAX);
    return 0;
}

/* Sets answer into now (its evidence checked as the person's records). */
static int answer_put(store *s, answer_ctx *ctx, answer_state *now, const assessment_answer *answer, err *e)
{
    int64_t *ev;
    size_t n_ev;
    if (evidence_ids(s, ctx, answer, &ev, &n_ev, e) < 0)
        return -1;
    long k = dict_number(s, ctx->dict, answer->element_id, e);
    if (k >= 0)
        state_set(now, (int)answer->rater, (uint32_t)k, answer->value + 1, ev, n_ev);
    free(ev);
    return k < 0 ? -1 : 0;
}

int store_answer_save(store *s, int64_t assessment_id, const assessment_answer *answer, const char *actor, err *e)
{
    answer_ctx ctx;
    if (answer_check(answer, e) < 0)
        return -1;
    if (store_begin(s, e) < 0)
        return -1;
    answer_state was, now;
    memset(&was, 0, sizeof was);
    memset(&now, 0, sizeof now);
    int rc = answer_ctx_open(s, assessment_id, actor, &ctx, e);
    if (rc == 0)
        rc = state_load(s, assessment_id, &was, e);
    if (rc == 0) {
        state_copy(&now, &was);
        rc = answer_put(s, &ctx, &now, answer, e);
    }
    if (rc == 0)
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    free(ctx.records);
    state_free(&was);
    state_free(&now);
    return tx_end(s, rc, e);
}

int store_answer_delete(store *s, int64_t assessment_id, const char *element_id, assessment_rater rater,
                        const char *actor, err *e)
{
    answer_ctx ctx;
    if (rules_element_id(e, "element_id", element_id) < 0)
        return -1;
    if ((unsigned)rater >= RATER_COUNT)
        return field_error(e, element_id, "unknown rater %d", (int)rater);
    if (store_begin(s, e) < 0)
        return -1;
    answer_state was, now;
    memset(&was, 0, sizeof was);
    memset(&now, 0, sizeof now);
    int rc = answer_ctx_open(s, assessment_id, actor, &ctx, e);
    if (rc == 0)
        rc = state_load(s, assessment_id, &was, e);
    long k = -1;
    if (rc == 0 && (k = dict_lookup(ctx.dict, element_id)) < 0 && dict_refresh(s, ctx.dict, e) < 0)
        rc = -1;
    if (rc == 0 && k < 0)
        k = dict_lookup(ctx.dict, element_id);
    if (rc == 0 && k >= 0) {
        state_copy(&now, &was);
        state_set(&now, (int)rater, (uint32_t)k, 0, NULL, 0);
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    }
    state_free(&was);
    state_free(&now);
    return tx_end(s, rc, e);
}

/* The catalog id and version of assessment id (caller frees): 1, 0 none, -1. */
static int assessment_catalog(store *s, int64_t id, char **catalog_id, char **version, err *e)
{
    *catalog_id = *version = NULL;
    store_stmt *st = q_open(s, Q_ASSESS_CATALOG, e, "i", id);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1) {
        *catalog_id = col_dup(s, st, 0);
        *version = col_dup(s, st, 1);
    }
    q_close(s, st);
    return rc;
}

int store_answers_load(store *s, int64_t id, assessment *a, err *e)
{
    char *catalog_id, *version;
    int rc = assessment_catalog(s, id, &catalog_id, &version, e);
    if (rc <= 0)
        return rc;
    elem_dict *d = dict_get(s, catalog_id, version, e);
    free(catalog_id);
    free(version);
    answer_state st;
    if (!d || state_load(s, id, &st, e) < 0)
        return -1;
    if (st.n > d->n && dict_refresh(s, d, e) < 0) {
        state_free(&st);
        return -1;
    }
    dict_order(d);
    const char *ev[64];
    char ev_text[64][24];
    for (size_t i = 0; i < d->n; i++) {
        uint32_t k = d->order[i];
        if (k >= st.n)
            continue;
        for (int r = 0; r < RATER_COUNT; r++) {
            int code = st.codes[r][k];
            if (!code)
                continue;
            size_t from, to, n = 0;
            state_links_of(&st, r, k, &from, &to);
            const char **evp = ev;
            char **heap = NULL;
            if (to - from > 64) {
                heap = xmalloc((to - from) * sizeof *heap);
                for (size_t j = from; j < to; j++) {
                    heap[n] = xmalloc(24);
                    snprintf(heap[n++], 24, "%lld", (long long)st.links[j].experience_id);
                }
                evp = (const char **)heap;
            } else {
                for (size_t j = from; j < to; j++) {
                    snprintf(ev_text[n], sizeof ev_text[n], "%lld", (long long)st.links[j].experience_id);
                    ev[n] = ev_text[n];
                    n++;
                }
            }
            assessment_set_answer(a, d->ids[k], (assessment_rater)r, code - 1, evp, n);
            if (heap) {
                for (size_t j = 0; j < n; j++)
                    free(heap[j]);
                free(heap);
            }
        }
    }
    state_free(&st);
    return 0;
}

int store_assessment_save_answers(store *s, int64_t id, const assessment *a, const char *actor, err *e)
{
    answer_ctx ctx;
    for (size_t i = 0; i < a->n_answers; i++)
        if (answer_check(&a->answers[i], e) < 0)
            return -1;
    if (store_begin(s, e) < 0)
        return -1;
    answer_state was, now;
    memset(&was, 0, sizeof was);
    memset(&now, 0, sizeof now);
    int rc = answer_ctx_open(s, id, actor, &ctx, e);
    if (rc == 0)
        rc = state_load(s, id, &was, e);
    if (rc == 0)
        state_reserve(&now, ctx.dict->n);
    for (size_t i = 0; rc == 0 && i < a->n_answers; i++) {
        const assessment_answer *x = &a->answers[i];
        int64_t *ev;
        size_t n_ev;
        long k = -1;
        if (evidence_ids(s, &ctx, x, &ev, &n_ev, e) < 0 || (k = dict_number(s, ctx.dict, x->element_id, e)) < 0) {
            rc = -1;
            break;
        }
        state_reserve(&now, (size_t)k + 1);
        now.codes[x->rater][k] = (uint8_t)(x->value + 1);
        for (size_t j = 0; j < n_ev; j++)
            *PUSH(now.links, now.n_links) = (ev_link){ (int)x->rater, (uint32_t)k, ev[j] };
        free(ev);
    }
    if (rc == 0) {
        if (now.n_links > 1)
            qsort(now.links, now.n_links, sizeof *now.links, cmp_link);
        rc = answer_ctx_commit(s, &ctx, &was, &now, e);
    }
    free(ctx.records);
    state_free(&was);
    state_free(&now);
    return tx_end(s, rc, e);
}

int store_assessment_load(store *s, int64_t id, assessment **out, err *e)
{
    *out = NULL;
    store_assessment info;
    int rc = store_assessment_get(s, id, &info, e);
    if (rc != 1)
        return rc;
    assessment *a = assessment_new(info.employee_number, info.person_name, info.cycle, info.catalog_id,
                                   info.catalog_version);
    a->status = info.status;
    store_experience_list xs;
    store_contribution_list cs;
    memset(&xs, 0, sizeof xs);
    memset(&cs, 0, sizeof cs);
    rc = store_answers_load(s, id, a, e);
    if (rc == 0)
        rc = store_experience_list_person(s, info.person_id, &xs, e);
    if (rc == 0)
        rc = store_contribution_list_person(s, info.person_id, &cs, e);
    for (size_t i = 0; rc == 0 && i < xs.count; i++)
        assessment_add_experience(a, &xs.items[i].x);
    for (size_t i = 0; rc == 0 && i < cs.count; i++)
        assessment_add_contribution(a, &cs.items[i].c);
    store_experience_list_free(&xs);
    store_contribution_list_free(&cs);
    store_assessment_clear(&info);
    if (rc < 0) {
        assessment_free(a);
        return -1;
    }
    *out = a;
    return 1;
}

int store_assessment_set_status(store *s, int64_t id, assessment_status status, const char *actor, err *e)
{
    if (check_actor(e, actor) < 0)
        return -1;
    if ((unsigned)status >= ASSESSMENT_STATUS_COUNT)
        return field_error(e, "status", "unknown assessment status %d", (int)status);
    char at[24];
    now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    store_assessment a;
    int rc = store_assessment_get(s, id, &a, e);
    if (rc == 1 && a.status != status) {
        rc = q_exec(s, Q_ASSESS_SET_STATUS, e, "tti", assessment_status_name(status), at, id);
        if (rc == 0)
            rc = history_add(s, id, at, actor, "status", assessment_status_name(a.status),
                             assessment_status_name(status), NULL, e);
    } else if (rc == 1) {
        rc = 0;
    } else {
        rc = -1;
    }
    store_assessment_clear(&a);
    return tx_end(s, rc, e);
}

/* Appends one entry to a history list. */
static store_history_entry *history_push(store_history_list *out, int64_t id, const char *at, const char *actor,
                                         const char *field, const char *element_id, int rater, char *old_value,
                                         char *new_value)
{
    store_history_entry *h = PUSH(out->items, out->count);
    h->id = id;
    h->at = xstrdup(at);
    h->actor = xstrdup(actor);
    h->field = xstrdup(field);
    h->element_id = xstrdup(element_id);
    h->rater = rater;
    h->old_value = old_value;
    h->new_value = new_value;
    return h;
}

/* The code of a value as text ("0".."4"), NULL for code 0. Caller frees. */
static char *code_text(int code)
{
    if (!code)
        return NULL;
    char t[4];
    snprintf(t, sizeof t, "%d", code - 1);
    return xstrdup(t);
}

/* The evidence ids of (rater, element) in st as "3,7", NULL for none. */
static char *links_text(const answer_state *st, int rater, uint32_t element)
{
    size_t from, to;
    state_links_of(st, rater, element, &from, &to);
    if (from == to)
        return NULL;
    buf b;
    buf_init(&b);
    for (size_t i = from; i < to; i++)
        buf_printf(&b, "%s%lld", i > from ? "," : "", (long long)st->links[i].experience_id);
    return buf_detach(&b);
}

/* Applies one history row's packed changes to st, appending the entries it
 * stands for to out (when out is not NULL): per changed answer a 'value' entry
 * when the value changed and an 'evidence' entry when the evidence did, with
 * the old values from st. Entry ids are row_id << 20 plus their rank. 0, or -1
 * when the changes do not decode (e says so). */
static int changes_apply(store *s, elem_dict *d, answer_state *st, const unsigned char *p, size_t len, int64_t row_id,
                         const char *at, const char *actor, store_history_list *out, err *e)
{
    size_t pos = 0;
    uint32_t element = 0;
    int64_t rank = 0;
    while (pos < len) {
        uint64_t head = get_varint(p, len, &pos);
        element += (uint32_t)(head >> 1);
        int r = (int)(head & 1);
        if (pos >= len)
            break;
        int flags = p[pos++];
        int code = flags & 7, ev_changed = (flags & 8) != 0;
        int64_t *ids = NULL;
        size_t n_ids = 0;
        if (ev_changed) {
            uint64_t count = get_varint(p, len, &pos);
            int64_t last = 0;
            for (uint64_t i = 0; i < count && pos < len; i++) {
                last += (int64_t)get_varint(p, len, &pos);
                *PUSH(ids, n_ids) = last;
            }
        }
        if (element >= d->n && dict_refresh(s, d, e) < 0) {
            free(ids);
            return -1;
        }
        if (element >= d->n || code > ASSESS_RATING_MAX + 1) {
            free(ids);
            err_set(e, s->location, 0, 0, NULL, "history row %lld does not decode", (long long)row_id);
            return -1;
        }
        state_reserve(st, (size_t)element + 1);
        int old = st->codes[r][element];
        if (out && old != code)
            history_push(out, (row_id << 20) + rank++, at, actor, "value", d->ids[element], r, code_text(old),
                         code_text(code));
        if (ev_changed) {
            char *was = out ? links_text(st, r, element) : NULL;
            state_set(st, r, element, code, ids, n_ids);
            if (out)
                history_push(out, (row_id << 20) + rank++, at, actor, "evidence", d->ids[element], r, was,
                             ids_text(ids, n_ids));
        } else {
            st->codes[r][element] = (uint8_t)code;
        }
        free(ids);
    }
    return 0;
}

int store_history_list_assessment(store *s, int64_t id, store_history_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    char *catalog_id, *version;
    int rc = assessment_catalog(s, id, &catalog_id, &version, e);
    if (rc <= 0)
        return rc;
    elem_dict *d = dict_get(s, catalog_id, version, e);
    free(catalog_id);
    free(version);
    if (!d)
        return -1;
    store_stmt *st = q_open(s, Q_HISTORY_LIST, e, "i", id);
    if (!st)
        return -1;
    answer_state replay;
    memset(&replay, 0, sizeof replay);
    while ((rc = q_step(s, st, e)) == 1) {
        int64_t row = s->drv->column_int(st, 0);
        const char *at = s->drv->column_text(st, 1), *actor = s->drv->column_text(st, 2);
        const char *kind = s->drv->column_text(st, 3);
        if (kind && strcmp(kind, "answers") == 0) {
            size_t len;
            const unsigned char *p = s->drv->column_blob(st, 6, &len);
            if (changes_apply(s, d, &replay, p, p ? len : 0, row, at, actor, out, e) < 0) {
                rc = -1;
                break;
            }
        } else {
            history_push(out, row << 20, at, actor, kind ? kind : "", NULL, -1, col_dup(s, st, 4), col_dup(s, st, 5));
        }
    }
    q_close(s, st);
    state_free(&replay);
    if (rc < 0) {
        store_history_list_free(out);
        return -1;
    }
    return 0;
}

void store_history_list_free(store_history_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].at);
        free(l->items[i].actor);
        free(l->items[i].field);
        free(l->items[i].element_id);
        free(l->items[i].old_value);
        free(l->items[i].new_value);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

int store_experience_delete(store *s, int64_t id, const char *actor, err *e)
{
    if (check_actor(e, actor) < 0)
        return -1;
    int64_t person_id = 0;
    int64_t *uses = NULL;
    size_t n_uses = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_EXP_OWNER, &person_id, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no experience record with id %lld", (long long)id);
        rc = -1;
    }
    if (rc == 1) {
        /* Collect the assessments naming it first; an approved one forbids the delete. */
        store_stmt *st = q_open(s, Q_EXP_USES, e, "i", id);
        rc = st ? 0 : -1;
        int step = 0;
        while (st && (step = q_step(s, st, e)) == 1) {
            const char *status = s->drv->column_text(st, 1);
            if (status && strcmp(status, assessment_status_name(ASSESSMENT_APPROVED)) == 0) {
                err_set(e, "", 0, 0, NULL,
                        "experience record %lld is evidence in the approved assessment of %s; return it first",
                        (long long)id, s->drv->column_text(st, 2) ? s->drv->column_text(st, 2) : "");
                rc = -1;
                break;
            }
            *PUSH(uses, n_uses) = col_int(s, st, 0);
        }
        if (step < 0)
            rc = -1;
        if (st)
            q_close(s, st);
    }
    for (size_t i = 0; rc == 0 && i < n_uses; i++) {
        answer_ctx ctx;
        answer_state was, now;
        memset(&was, 0, sizeof was);
        memset(&now, 0, sizeof now);
        rc = answer_ctx_open_as(s, uses[i], actor, 1, &ctx, e);
        if (rc == 0)
            rc = state_load(s, uses[i], &was, e);
        if (rc == 0) {
            state_copy(&now, &was);
            size_t kept = 0;
            for (size_t k = 0; k < now.n_links; k++)
                if (now.links[k].experience_id != id)
                    now.links[kept++] = now.links[k];
            now.n_links = kept;
            rc = answer_ctx_commit(s, &ctx, &was, &now, e);
        }
        state_free(&was);
        state_free(&now);
    }
    if (rc == 0)
        rc = q_exec(s, Q_EXP_DELETE, e, "i", id);
    if (rc == 0)
        rc = drop_person_results(s, person_id, e);
    free(uses);
    return tx_end(s, rc, e);
}

/* ---- Schema version 6: converting the answers of a version 5 database --------- */

/* The version 5 answers and evidence of assessment id, as they stand, into
 * now (numbered by d). 0, or -1 with *e naming what cannot be converted. */
static int mig5_current(store *s, int64_t id, elem_dict *d, answer_state *now, err *e)
{
    int rc = 0;
    store_stmt *st = NULL;
    if (rc == 0 && !(st = q_open(s, Q_MIG5_ANSWERS, e, "i", id)))
        rc = -1;
    while (rc == 0 && (rc = q_step(s, st, e)) == 1) {
        const char *element = s->drv->column_text(st, 0), *rater = s->drv->column_text(st, 1);
        int r = rater ? assessment_rater_parse(rater) : -1;
        int64_t value = s->drv->column_int(st, 2);
        long k = -1;
        if (rules_element_id(e, "element_id", element) < 0 || r < 0 || value < 0 || value > ASSESS_RATING_MAX
            || (k = dict_number(s, d, element, e)) < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: cannot convert the answer '%s' (%s, %lld)",
                    (long long)id, element ? element : "", rater ? rater : "", (long long)value);
            rc = -1;
            break;
        }
        state_reserve(now, (size_t)k + 1);
        now->codes[r][k] = (uint8_t)(value + 1);
        rc = 0;
    }
    if (st)
        q_close(s, st);
    st = NULL;
    if (rc == 0 && !(st = q_open(s, Q_MIG5_EVIDENCE, e, "i", id)))
        rc = -1;
    while (rc == 0 && (rc = q_step(s, st, e)) == 1) {
        const char *element = s->drv->column_text(st, 0), *rater = s->drv->column_text(st, 1);
        int r = rater ? assessment_rater_parse(rater) : -1;
        long k = element ? dict_lookup(d, element) : -1;
        if (r < 0 || k < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: evidence of an unknown answer '%s'",
                    (long long)id, element ? element : "");
            rc = -1;
            break;
        }
        *PUSH(now->links, now->n_links) = (ev_link){ r, (uint32_t)k, s->drv->column_int(st, 2) };
        rc = 0;
    }
    if (st)
        q_close(s, st);
    st = NULL;
    return rc;
}

/* The version 5 history of assessment id (d numbers its elements) as packed
 * rows: runs of value and evidence rows by one actor at one moment become one
 * row of changes (changes: a buffer to reuse). 0, or -1 with *e. */
static int mig5_history(store *s, int64_t id, elem_dict *d, buf *changes, err *e)
{
    int rc = 0;
    store_stmt *st = NULL;
    answer_state replay, next;
    memset(&replay, 0, sizeof replay);
    memset(&next, 0, sizeof next);
    if (rc == 0 && !(st = q_open(s, Q_MIG5_HISTORY, e, "i", id)))
        rc = -1;
    char *run_at = NULL, *run_actor = NULL;
    int in_run = 0;
    for (;;) {
        int step = rc == 0 ? q_step(s, st, e) : -1;
        const char *field = step == 1 ? s->drv->column_text(st, 2) : NULL;
        const char *at = step == 1 ? s->drv->column_text(st, 0) : NULL;
        const char *actor = step == 1 ? s->drv->column_text(st, 1) : NULL;
        int is_answer = field && (strcmp(field, "value") == 0 || strcmp(field, "evidence") == 0);
        int same_run = in_run && is_answer && at && actor && strcmp(at, run_at) == 0
                       && strcmp(actor, run_actor) == 0;
        if (in_run && !same_run) {
            /* close the run */
            if (changes_encode(&replay, &next, changes) > 0
                && history_add(s, id, run_at, run_actor, "answers", NULL, NULL, changes, e) < 0)
                step = -1;
            state_free(&replay);
            replay = next;
            memset(&next, 0, sizeof next);
            in_run = 0;
            free(run_at);
            free(run_actor);
            run_at = run_actor = NULL;
        }
        if (step != 1) {
            if (step < 0)
                rc = -1;
            break;
        }
        if (!is_answer) {
            if (history_add(s, id, at ? at : "", actor ? actor : "", field ? field : "",
                            s->drv->column_text(st, 5), s->drv->column_text(st, 6), NULL, e) < 0) {
                rc = -1;
                break;
            }
            continue;
        }
        if (!in_run) {
            state_copy(&next, &replay);
            run_at = xstrdup(at);
            run_actor = xstrdup(actor);
            in_run = 1;
        }
        const char *element = s->drv->column_text(st, 3), *rater = s->drv->column_text(st, 4);
        int r = rater ? assessment_rater_parse(rater) : -1;
        long k = element ? dict_lookup(d, element) : -1;
        if (k < 0 && element && rules_element_id(NULL, "element_id", element) == 0)
            k = dict_number(s, d, element, e);      /* an answer since removed */
        if (r < 0 || k < 0) {
            err_set(e, "", 0, 0, NULL, "assessment %lld: cannot convert the history of '%s'",
                    (long long)id, element ? element : "");
            rc = -1;
            free(run_at);
            free(run_actor);
            break;
        }
        const char *nv = s->drv->column_text(st, 6);
        state_reserve(&next, (size_t)k + 1);
        if (strcmp(field, "value") == 0) {
            next.codes[r][k] = nv ? (uint8_t)(atoi(nv) + 1) : 0;
        } else {
            int64_t *ids = NULL;
            size_t n_ids = 0;
            for (const char *p = nv; p && *p;) {
                *PUSH(ids, n_ids) = strtoll(p, NULL, 10);
                p = strchr(p, ',');
                p = p ? p + 1 : NULL;
            }
            state_set(&next, r, (uint32_t)k, next.codes[r][k], ids, n_ids);
            free(ids);
        }
    }
    if (st)
        q_close(s, st);
    state_free(&replay);
    state_free(&next);
    return rc;
}

/* Converts the answers, evidence and history of every assessment from the
 * tables of versions 1 to 5 (renamed *_v4 by the migration's SQL) to the packed
 * ones, then drops the old tables. Runs inside the migration's transaction: any
 * failure leaves the database at version 5 as it was. */
static int packed_answers_convert(store *s, err *e)
{
    typedef struct { int64_t id; char *catalog_id, *version; } todo;
    todo *list = NULL;
    size_t n = 0;
    /* The old history's index went with the rename (the new table took its
     * name): without one, reading each assessment's history scans them all. */
    if (s->drv->exec(s->conn, "CREATE INDEX assessment_history_v4_by_assessment "
                              "ON assessment_history_v4(assessment_id, id)", e) < 0)
        return -1;
    store_stmt *st = q_open(s, Q_MIG5_ASSESSMENTS, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1) {
        todo *t = PUSH(list, n);
        t->id = s->drv->column_int(st, 0);
        t->catalog_id = col_dup(s, st, 1);
        t->version = col_dup(s, st, 2);
    }
    q_close(s, st);
    rc = rc < 0 ? -1 : 0;
    buf changes;
    buf_init(&changes);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        answer_state now, empty;
        memset(&now, 0, sizeof now);
        memset(&empty, 0, sizeof empty);
        elem_dict *d = dict_get(s, list[i].catalog_id, list[i].version, e);
        rc = d ? mig5_current(s, list[i].id, d, &now, e) : -1;
        if (rc == 0) {
            if (now.n_links > 1)
                qsort(now.links, now.n_links, sizeof *now.links, cmp_link);
            rc = state_store(s, list[i].id, &empty, &now, e);
        }
        if (rc == 0)
            rc = mig5_history(s, list[i].id, d, &changes, e);
        state_free(&now);
    }
    buf_free(&changes);
    for (size_t i = 0; i < n; i++) {
        free(list[i].catalog_id);
        free(list[i].version);
    }
    free(list);
    if (rc == 0)
        rc = s->drv->exec(s->conn, "DROP TABLE answer_evidence_v4; DROP TABLE answer_v4; "
                                   "DROP TABLE assessment_history_v4", e);
    return rc;
}

/* ---- Results cache ---------------------------------------------------------------- */

int store_result_put(store *s, int64_t assessment_id, const char *policy, const char *specialization_id,
                     int level, const char *detail, err *e)
{
    if (rules_text(e, "policy", policy, 1, 0) < 0 || rules_element_id(e, "specialization_id", specialization_id) < 0
        || rules_text(e, "detail", detail, 0, 1) < 0)
        return -1;
    if (level < 0 || level > 7)
        return field_error(e, "level", "level %d is not 0 (未到達) or a level of the standard (1 to 7)", level);
    char at[24];
    now_utc(at);
    if (q_exec(s, Q_RESULT_PUT, e, "ittitt", assessment_id, policy, specialization_id, (int64_t)level, detail, at)
        < 0) {
        if (s->fault == STORE_FAULT_FOREIGN_KEY)
            err_set(e, "", 0, 0, NULL, "no assessment with id %lld", (long long)assessment_id);
        return -1;
    }
    return 0;
}

int store_result_list_assessment(store *s, int64_t assessment_id, const char *policy, store_result_list *out,
                                 err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_RESULT_LIST, e, "it", assessment_id, policy ? policy : "");
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1) {
        store_result *r = PUSH(out->items, out->count);
        r->specialization_id = col_dup(s, st, 0);
        r->level = (int)col_int(s, st, 1);
        r->detail = col_dup(s, st, 2);
        r->computed_at = col_dup(s, st, 3);
    }
    q_close(s, st);
    if (rc < 0) {
        store_result_list_free(out);
        return -1;
    }
    return 0;
}

int store_result_each(store *s, const char *policy,
                      int (*fn)(int64_t assessment_id, const char *specialization_id, int level, void *ctx), void *ctx,
                      err *e)
{
    store_stmt *st = q_open(s, Q_RESULTS_ALL, e, "t", policy ? policy : "");
    if (!st)
        return -1;
    int rc, stop = 0;
    while ((rc = q_step(s, st, e)) == 1) {
        const char *spec = s->drv->column_text(st, 1);
        if ((stop = fn(s->drv->column_int(st, 0), spec ? spec : "", (int)s->drv->column_int(st, 2), ctx)) != 0)
            break;
    }
    q_close(s, st);
    return rc < 0 ? -1 : stop;
}

int store_assessment_changes(store *s, int64_t since, int (*fn)(const store_assessment_change *c, void *ctx),
                             void *ctx, err *e)
{
    store_stmt *st = q_open(s, Q_ASSESS_CHANGED, e, "i", since);
    if (!st)
        return -1;
    int rc, stop = 0;
    while ((rc = q_step(s, st, e)) == 1) {
        store_assessment_change c;
        c.id = s->drv->column_int(st, 0);
        c.person_id = s->drv->column_int(st, 1);
        c.cycle_id = s->drv->column_int(st, 2);
        c.org_unit_id = s->drv->column_int(st, 3);
        c.revision = s->drv->column_int(st, 4);
        const char *status = s->drv->column_text(st, 5);
        int k = assessment_status_parse(status ? status : "");
        c.status = k < 0 ? ASSESSMENT_DRAFT : (assessment_status)k;
        c.catalog_id = s->drv->column_text(st, 6);
        c.catalog_version = s->drv->column_text(st, 7);
        if ((stop = fn(&c, ctx)) != 0)
            break;
    }
    q_close(s, st);
    return rc < 0 ? -1 : stop;
}

void store_result_list_free(store_result_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].specialization_id);
        free(l->items[i].detail);
        free(l->items[i].computed_at);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Comments on an assessment ------------------------------------------------------ */

static const char *const comment_kind_names[COMMENT_KIND_COUNT] = { "comment", "return", "approve" };

const char *store_comment_kind_name(store_comment_kind k)
{
    return (unsigned)k < COMMENT_KIND_COUNT ? comment_kind_names[k] : "";
}

int store_comment_kind_parse(const char *name)
{
    for (int k = 0; name && k < COMMENT_KIND_COUNT; k++)
        if (strcmp(name, comment_kind_names[k]) == 0)
            return k;
    return -1;
}

/* Adds one comment; the foreign key refuses an unknown assessment. */
int store_comment_add(store *s, int64_t assessment_id, const char *author, store_comment_kind kind,
                      const char *body, int64_t *id, err *e)
{
    if (rules_text(e, "author", author, 1, 0) < 0 || rules_text(e, "body", body, 1, 1) < 0)
        return -1;
    if ((unsigned)kind >= COMMENT_KIND_COUNT)
        return field_error(e, "kind", "unknown comment kind %d", (int)kind);
    if (strlen(body) > STORE_COMMENT_MAX)
        return field_error(e, "body", "is longer than %d bytes", STORE_COMMENT_MAX);
    char at[24];
    now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    int rc = 0;
    if (q_int(s, Q_COMMENT_INSERT, &new_id, e, "itttt", assessment_id, author, store_comment_kind_name(kind),
              body, at) != 1) {
        if (s->fault == STORE_FAULT_FOREIGN_KEY)
            err_set(e, "", 0, 0, "assessment_id", "no assessment with id %lld", (long long)assessment_id);
        rc = -1;
    }
    /* The thread is part of what the assessment's pages show. */
    if (rc == 0)
        rc = q_exec(s, Q_ASSESS_BUMP, e, "i", assessment_id);
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* The thread of one assessment, oldest first, each with its author's name. */
int store_comment_list_assessment(store *s, int64_t assessment_id, store_comment_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_COMMENT_LIST, e, "i", assessment_id);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1) {
        store_comment *c = PUSH(out->items, out->count);
        c->id = col_int(s, st, 0);
        c->assessment_id = col_int(s, st, 1);
        c->author = col_dup(s, st, 2);
        int kind = store_comment_kind_parse(s->drv->column_text(st, 3));
        c->kind = kind < 0 ? COMMENT_NOTE : (store_comment_kind)kind;
        c->body = col_dup(s, st, 4);
        c->created_at = col_dup(s, st, 5);
        c->author_name = col_dup(s, st, 6);
    }
    q_close(s, st);
    if (rc < 0) {
        store_comment_list_free(out);
        return -1;
    }
    return 0;
}

void store_comment_list_free(store_comment_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].author);
        free(l->items[i].body);
        free(l->items[i].created_at);
        free(l->items[i].author_name);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* ---- Accounts: users, sessions, API tokens, failed logins ----------------- */

/* Reads the USER_COLUMNS starting at column `first` into *u. */
static void user_from_row(store *s, store_stmt *st, int first, store_user *u)
{
    u->id = col_int(s, st, first);
    u->login = col_dup(s, st, first + 1);
    u->person_id = col_int(s, st, first + 2);
    u->role = col_dup(s, st, first + 3);
    u->password_hash = col_dup(s, st, first + 4);
    u->disabled = col_int(s, st, first + 5) != 0;
    u->created_at = col_dup(s, st, first + 6);
    u->employee_number = col_dup(s, st, first + 7);
    u->person_name = col_dup(s, st, first + 8);
}

/* Runs a user query expecting at most one row. */
static int user_one(store *s, int slot, store_user *out, err *e, const char *types, ...)
{
    memset(out, 0, sizeof *out);
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, query_sql[slot], e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        user_from_row(s, st, 0, out);
    q_close(s, st);
    return rc;
}

/* The person of a user exists and has no other user. */
static int check_user_person(store *s, int64_t user_id, int64_t person_id, err *e)
{
    if (person_id == 0)
        return 0;
    int rc = q_int(s, Q_PERSON_NUMBER_BY_ID, NULL, e, "i", person_id);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_refuse(e, ERR_NOT_FOUND, "user.person_unknown", "person_id", "no person with id %lld",
                          (long long)person_id);
    int64_t other = 0;
    rc = q_int(s, Q_USER_OF_PERSON, &other, e, "i", person_id);
    if (rc < 0)
        return -1;
    if (rc == 1 && other != user_id) {
        store_user u;
        char *login = NULL;
        if (user_one(s, Q_USER_BY_ID, &u, NULL, "i", other) == 1) {
            login = u.login;
            u.login = NULL;
        }
        store_user_clear(&u);
        err_refuse(e, ERR_DUPLICATE, "user.person_taken", "person_id", "that person already has the user %s", login ? login : "?");
        free(login);
        return -1;
    }
    return 0;
}

int store_user_add(store *s, const store_user *u, int64_t *id, err *e)
{
    if (rules_login(e, "login", u->login) < 0 || rules_role(e, "role", u->role) < 0
        || rules_text(e, "password_hash", u->password_hash, 1, 0) < 0)
        return -1;
    char at[24];
    now_utc(at);
    int64_t new_id = 0;
    if (store_begin(s, e) < 0)
        return -1;
    store_user other;
    int rc = user_one(s, Q_USER_BY_LOGIN, &other, e, "t", u->login);
    store_user_clear(&other);
    if (rc == 1)
        rc = err_refuse(e, ERR_DUPLICATE, "user.login_taken", "login", "the user %s already exists", u->login);
    if (rc == 0)
        rc = check_user_person(s, 0, u->person_id, e);
    if (rc == 0 && q_int(s, Q_USER_INSERT, &new_id, e, "tnttitt", u->login, u->person_id, u->role,
                         u->password_hash, (int64_t)(u->disabled != 0), at, at) != 1)
        rc = -1;
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

int store_user_edit(store *s, const store_user *u, err *e)
{
    if (rules_role(e, "role", u->role) < 0)
        return -1;
    char at[24];
    now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_USER_BY_ID, NULL, e, "i", u->id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)u->id);
        rc = -1;
    } else if (rc == 1) {
        rc = check_user_person(s, u->id, u->person_id, e);
    }
    if (rc == 0)
        rc = q_exec(s, Q_USER_UPDATE, e, "ntiti", u->person_id, u->role, (int64_t)(u->disabled != 0), at, u->id);
    if (rc == 0 && u->disabled)
        rc = q_exec(s, Q_SESSION_DELETE_USER, e, "i", u->id);
    if (rc == 0 && u->disabled)
        rc = q_exec(s, Q_TOKEN_DELETE_USER, e, "i", u->id);
    return tx_end(s, rc, e);
}

int store_user_set_password(store *s, int64_t id, const char *password_hash, err *e)
{
    if (rules_text(e, "password_hash", password_hash, 1, 0) < 0)
        return -1;
    char at[24];
    now_utc(at);
    if (store_begin(s, e) < 0)
        return -1;
    int rc = q_int(s, Q_USER_BY_ID, NULL, e, "i", id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)id);
        rc = -1;
    } else if (rc == 1) {
        rc = q_exec(s, Q_USER_SET_PASSWORD, e, "tti", password_hash, at, id);
    }
    if (rc == 0)
        rc = q_exec(s, Q_SESSION_DELETE_USER, e, "i", id);
    if (rc == 0)
        rc = q_exec(s, Q_TOKEN_DELETE_USER, e, "i", id);
    return tx_end(s, rc, e);
}

int store_user_find(store *s, const char *login, store_user *out, err *e)
{
    int rc = user_one(s, Q_USER_BY_LOGIN, out, e, "t", login ? login : "");
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no user %s", login ? login : "");
    return rc;
}

int store_user_get(store *s, int64_t id, store_user *out, err *e)
{
    int rc = user_one(s, Q_USER_BY_ID, out, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)id);
    return rc;
}

int store_user_list_all(store *s, store_user_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_USER_ALL, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        user_from_row(s, st, 0, PUSH(out->items, out->count));
    q_close(s, st);
    if (rc < 0) {
        store_user_list_free(out);
        return -1;
    }
    return 0;
}

void store_user_clear(store_user *u)
{
    free(u->login);
    free(u->role);
    free(u->password_hash);
    free(u->created_at);
    free(u->employee_number);
    free(u->person_name);
    memset(u, 0, sizeof *u);
}

void store_user_list_free(store_user_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_user_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

int store_session_add(store *s, const char *token_hash, int64_t user_id, const char *csrf_token, const char *now,
                      err *e)
{
    if (rules_text(e, "token_hash", token_hash, 1, 0) < 0 || rules_text(e, "csrf_token", csrf_token, 1, 0) < 0
        || rules_text(e, "now", now, 1, 0) < 0)
        return -1;
    return q_exec(s, Q_SESSION_INSERT, e, "tittt", token_hash, user_id, csrf_token, now, now);
}

int store_session_find(store *s, const char *token_hash, store_session *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_SESSION_FIND, e, "t", token_hash ? token_hash : "");
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1) {
        out->csrf_token = col_dup(s, st, 0);
        out->created_at = col_dup(s, st, 1);
        out->last_seen_at = col_dup(s, st, 2);
        user_from_row(s, st, 3, &out->user);
    }
    q_close(s, st);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no such session");
    return rc;
}

int store_session_touch(store *s, const char *token_hash, const char *now, err *e)
{
    return q_exec(s, Q_SESSION_TOUCH, e, "tt", now, token_hash ? token_hash : "");
}

int store_session_delete(store *s, const char *token_hash, err *e)
{
    return q_exec(s, Q_SESSION_DELETE, e, "t", token_hash ? token_hash : "");
}

int store_session_prune(store *s, const char *idle_before, const char *started_before, err *e)
{
    return q_exec(s, Q_SESSION_PRUNE, e, "tt", idle_before, started_before);
}

void store_session_clear(store_session *x)
{
    free(x->csrf_token);
    free(x->created_at);
    free(x->last_seen_at);
    store_user_clear(&x->user);
    memset(x, 0, sizeof *x);
}

int store_api_token_add(store *s, int64_t user_id, const char *name, const char *token_hash, const char *now,
                        const char *expires_at, int64_t *id, err *e)
{
    return store_api_token_add_scope(s, user_id, name, token_hash, now, expires_at, "write", id, e);
}

int store_api_token_add_scope(store *s, int64_t user_id, const char *name, const char *token_hash,
                              const char *now, const char *expires_at, const char *scope, int64_t *id, err *e)
{
    if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0)) {
        err_set(e, "scope", 0, 0, NULL, "the scope is 'read' or 'write'");
        return -1;
    }
    if (rules_text(e, "name", name, 1, 0) < 0 || rules_text(e, "token_hash", token_hash, 1, 0) < 0
        || rules_text(e, "now", now, 1, 0) < 0 || rules_text(e, "expires_at", expires_at, 0, 0) < 0)
        return -1;
    if (store_begin(s, e) < 0)
        return -1;
    int64_t new_id = 0;
    int rc = q_int(s, Q_USER_BY_ID, NULL, e, "i", user_id);
    if (rc == 0) {
        err_set(e, "", 0, 0, NULL, "no user with id %lld", (long long)user_id);
        rc = -1;
    } else if (rc == 1) {
        rc = q_int(s, Q_TOKEN_INSERT, &new_id, e, "titttt", token_hash, user_id, name, now, opt(expires_at),
                   scope) == 1 ? 0 : -1;
    }
    rc = tx_end(s, rc, e);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}

/* Reads a token row (its columns, then USER_COLUMNS) into *t. */
static void token_from_row(store *s, store_stmt *st, store_api_token *t)
{
    t->id = col_int(s, st, 0);
    t->name = col_dup(s, st, 1);
    t->created_at = col_dup(s, st, 2);
    t->expires_at = col_dup(s, st, 3);
    t->last_used_at = col_dup(s, st, 4);
    t->scope = col_dup(s, st, 5);
    user_from_row(s, st, 6, &t->user);
}

int store_api_token_find(store *s, const char *token_hash, store_api_token *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = q_open(s, Q_TOKEN_FIND, e, "t", token_hash ? token_hash : "");
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1)
        token_from_row(s, st, out);
    q_close(s, st);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no such token");
    return rc;
}

int store_api_token_touch(store *s, int64_t id, const char *now, err *e)
{
    return q_exec(s, Q_TOKEN_TOUCH, e, "ti", now, id);
}

int store_api_token_list_user(store *s, int64_t user_id, store_api_token_list *out, err *e)
{
    memset(out, 0, sizeof *out);
    store_stmt *st = user_id ? q_open(s, Q_TOKEN_BY_USER, e, "i", user_id) : q_open(s, Q_TOKEN_ALL, e, "");
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        token_from_row(s, st, PUSH(out->items, out->count));
    q_close(s, st);
    if (rc < 0) {
        store_api_token_list_free(out);
        return -1;
    }
    return 0;
}

int store_api_token_delete(store *s, int64_t id, err *e)
{
    int rc = q_int(s, Q_TOKEN_DELETE, NULL, e, "i", id);
    if (rc == 0)
        err_set(e, "", 0, 0, NULL, "no token with id %lld", (long long)id);
    return rc < 0 ? -1 : 0;
}

void store_api_token_clear(store_api_token *t)
{
    free(t->name);
    free(t->created_at);
    free(t->expires_at);
    free(t->last_used_at);
    free(t->scope);
    store_user_clear(&t->user);
    memset(t, 0, sizeof *t);
}

void store_api_token_list_free(store_api_token_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        store_api_token_clear(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

int store_login_failure_add(store *s, const char *login, const char *address, const char *now, err *e)
{
    return q_exec(s, Q_FAILURE_INSERT, e, "ttt", login ? login : "", address ? address : "", now);
}

int store_login_failures(store *s, const char *login, const char *address, const char *since, int64_t *by_pair,
                         char last[32], int64_t *by_address, err *e)
{
    *by_pair = *by_address = 0;
    last[0] = '\0';
    store_stmt *st = q_open(s, Q_FAILURES_OF_PAIR, e, "ttt", login ? login : "", address ? address : "", since);
    if (!st)
        return -1;
    int rc = q_step(s, st, e);
    if (rc == 1) {
        *by_pair = col_int(s, st, 0);
        const char *t = s->drv->column_text(st, 1);
        snprintf(last, 32, "%s", t ? t : "");
    }
    q_close(s, st);
    if (rc < 0 || q_int(s, Q_FAILURES_OF_ADDRESS, by_address, e, "tt", address ? address : "", since) < 0)
        return -1;
    return 0;
}

int store_login_failures_clear(store *s, const char *login, const char *address, err *e)
{
    return q_exec(s, Q_FAILURES_CLEAR, e, "tt", login ? login : "", address ? address : "");
}

int store_login_failures_prune(store *s, const char *before, err *e)
{
    return q_exec(s, Q_FAILURES_PRUNE, e, "t", before);
}

/* ---- For the store's other files (store_internal.h) ----------------------- */

store_stmt *store_q_open(store *s, int slot, const char *sql, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, sql, e, types, ap);
    va_end(ap);
    return st;
}

int store_q_step(store *s, store_stmt *st, err *e)
{
    return q_step(s, st, e);
}

void store_q_close(store *s, store_stmt *st)
{
    q_close(s, st);
}

int store_q_exec(store *s, int slot, const char *sql, err *e, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    store_stmt *st = q_openv(s, slot, sql, e, types, ap);
    va_end(ap);
    if (!st)
        return -1;
    int rc;
    while ((rc = q_step(s, st, e)) == 1)
        ;
    q_close(s, st);
    return rc;
}

char *store_q_dup(store *s, store_stmt *st, int col)
{
    return col_dup(s, st, col);
}

int64_t store_q_int(store *s, store_stmt *st, int col)
{
    return col_int(s, st, col);
}

const char *store_q_text(store *s, store_stmt *st, int col)
{
    return s->drv->column_text(st, col);
}

const void *store_q_blob(store *s, store_stmt *st, int col, size_t *len)
{
    return s->drv->column_blob(st, col, len);
}

void store_codes_decode(const unsigned char *bytes, size_t len, signed char *values, size_t n)
{
    size_t have = len * 8 / CODE_BITS;
    for (size_t i = 0; i < n; i++) {
        if (i >= have) {
            values[i] = -1;
            continue;
        }
        size_t bit = i * CODE_BITS;
        unsigned v = bytes[bit / 8] | (bit / 8 + 1 < len ? (unsigned)bytes[bit / 8 + 1] << 8 : 0u);
        values[i] = (signed char)((int)((v >> (bit % 8)) & 7u) - 1);
    }
}

store_fault store_q_fault(const store *s)
{
    return s->fault;
}

const store_driver *store_q_driver(const store *s)
{
    return s->drv;
}

void *store_q_conn(const store *s)
{
    return s->conn;
}

void store_now_utc(char out[24])
{
    now_utc(out);
}
