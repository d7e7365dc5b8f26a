/* cli_assess.c - `itss assess PERSON`: one person's assessment in one cycle.
 *
 * --from FILE.json imports an assessment file (docs/assessment-format.md) in one
 * transaction: the experience records it holds become the person's (added, or
 * updated when the file names a record of theirs by its id), its contributions
 * are added where the person does not have them yet, and the assessment's answers
 * become exactly the file's. --to FILE.json writes the assessment in the same
 * format. Without either, the interactive questionnaire takes over
 * (cli_assess_interactive.c; the contract is in cli_assess.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assessment_json.h"
#include "cli.h"
#include "cli_assess.h"
#include "cli_store.h"
#include "json.h"
#include "xalloc.h"

const char cli_assess_help[] =
    "usage: itss assess PERSON [--spec SPEC] [--cycle C]\n"
    "       itss assess PERSON --from FILE.json [--cycle C]\n"
    "       itss assess PERSON --to FILE.json [--cycle C]\n"
    "       [--db PATH] [--catalog FILE] [--json]\n"
    "\n"
    "The assessment of one person (PERSON is the employee number) in one cycle:\n"
    "責任性 and each complexity, size and task item of every level met or not, the\n"
    "proficiency of each skill area, and a rating 0-4 of each knowledge item.\n"
    "\n"
    "Without --from or --to, a questionnaire in the terminal asks each question in\n"
    "the standard's own words and saves each answer as it is given; leave at any\n"
    "time and run the same command again to go on. --spec SPEC asks about one\n"
    "specialization only (HW, SW, FM).\n"
    "\n"
    "  --from FILE.json  imports one assessment file (docs/assessment-format.md),\n"
    "                    all of it or, on any error, nothing. The file must be\n"
    "                    PERSON's and name the catalog the database uses. Its\n"
    "                    experience records become PERSON's: a record whose id is\n"
    "                    the id of one of PERSON's records (as --to writes them)\n"
    "                    updates that record, any other is added, and answers'\n"
    "                    evidence follows. Contributions not yet recorded are\n"
    "                    added. The assessment's answers become exactly the\n"
    "                    file's, and its status the file's. Errors are shown as\n"
    "                    FILE:line:column: path: message. '-' reads stdin.\n"
    "  --to FILE.json    writes the assessment in that format ('-': stdout)\n"
    "  --cycle C         the cycle: for --from the file's cycle by default; for\n"
    "                    --to the latest cycle PERSON has an assessment in; for\n"
    "                    the questionnaire the cycle open today, else the latest\n"
    "\n"
    "options:\n"
    "  --db PATH         the database (default: $ITSS_DB, else ./itss.db)\n"
    "  --catalog FILE    the catalog, when the database uses another than the\n"
    "                    built-in one\n"
    "  --json            with --from: say what was imported as JSON\n"
    "\n"
    "exit status: 0 done, 3 refused (an unknown person or cycle, a file with\n"
    "errors, an assessment for another catalog version, an approved assessment),\n"
    "2 bad usage or a catalog that is not the database's.\n";

static const char assess_usage[] =
    "usage: itss assess PERSON [--spec SPEC] [--cycle C]\n"
    "       itss assess PERSON --from FILE.json | --to FILE.json [--cycle C]\n"
    "       [--db PATH] [--catalog FILE] [--json]; itss help assess for more\n";

/* What --from and --to work with. */
typedef struct assess_ctx {
    const cli_args *args;
    const char *prog;
    store *db;
    const catalog *cat;
    store_person person;
    const char *cycle_option;  /* --cycle, or NULL */
} assess_ctx;

/* ---- reading the file ---- */

/* Reads all of path ("-": stdin) into a new buffer (*len bytes, NUL-terminated,
 * caller frees); NULL after a message. */
static char *read_all(const char *prog, const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error(prog, "%s: %s", path, strerror(errno));
        return NULL;
    }
    buf b;
    buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > ASSESSMENT_MAX_FILE) {
            cli_error(prog, "%s: larger than %u bytes; not an assessment file", path, ASSESSMENT_MAX_FILE);
            break;
        }
        buf_append(&b, chunk, n);
    }
    int failed = ferror(f) || b.len + n > ASSESSMENT_MAX_FILE;
    if (ferror(f))
        cli_error(prog, "%s: %s", path, strerror(errno));
    if (f != stdin)
        fclose(f);
    if (failed) {
        buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return buf_detach(&b);
}

/* The value at root.key1[.key2] (key2 may be NULL), or NULL. */
static const json_value *value_at(const json_value *root, const char *key1, const char *key2)
{
    const json_member *m = root ? json_member_get(root, key1) : NULL;
    if (m && key2)
        m = m->value && m->value->type == JV_OBJECT ? json_member_get(m->value, key2) : NULL;
    return m ? m->value : NULL;
}

/* Element i of the array root.key, or NULL. */
static const json_value *element_at(const json_value *root, const char *key, size_t i)
{
    const json_value *arr = value_at(root, key, NULL);
    return arr && arr->type == JV_ARRAY && i < arr->n_elements ? arr->elements[i] : NULL;
}

/* Prints "file:line:column: path: message" with the place of v (may be NULL). */
static void file_error(const char *file, const json_value *v, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void file_error(const char *file, const json_value *v, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err e;
    err_set(&e, file, v ? v->line : 0, v ? v->column : 0, path, "%s", msg);
    err_print(stderr, &e);
}

/* ---- experience records and contributions of the file ---- */

/* Do two optional texts say the same (NULL and "" are both "none")? */
static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Do two id lists hold the same ids in the same order? */
static int same_ids(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

/* Does record x say the same as record y (ids aside)? */
static int same_experience(const assessment_experience *x, const assessment_experience *y)
{
    return same_text(x->project, y->project) && same_text(x->period_from, y->period_from)
           && same_text(x->period_to, y->period_to) && same_text(x->role, y->role)
           && same_text(x->specialization_id, y->specialization_id) && x->level == y->level
           && x->succeeded == y->succeeded && same_text(x->description, y->description)
           && same_ids(x->complexity_items, x->n_complexity_items, y->complexity_items, y->n_complexity_items)
           && same_ids(x->size_items, x->n_size_items, y->size_items, y->n_size_items);
}

/* The row id a file record's id names when it is one of person_id's records
 * (as --to writes them), else 0. */
static int64_t own_record(store *db, int64_t person_id, const char *id, store_experience *out)
{
    char *end;
    if (!id || id[0] < '1' || id[0] > '9')
        return 0;
    long long v = strtoll(id, &end, 10);
    if (*end != '\0' || v <= 0)
        return 0;
    err e;
    if (store_experience_get(db, (int64_t)v, out, &e) != 1)
        return 0;
    if (out->person_id != person_id) {
        store_experience_clear(out);
        return 0;
    }
    return (int64_t)v;
}

/* How the file's records and contributions were taken in. */
typedef struct import_counts {
    int records_added, records_updated, records_same;
    int contributions_added, contributions_same;
    int answers, answers_changed;
    int created;
    const char *status_before;
} import_counts;

/* Saves the file's experience records as the person's; fills map[i] with the
 * decimal row id of file record i (caller frees each). CLI_OK or CLI_REFUSED
 * after a message naming the record in the file. */
static int import_experience(assess_ctx *x, const char *file, const json_value *root, const assessment *a,
                             char **map, import_counts *n)
{
    for (size_t i = 0; i < a->n_experience; i++) {
        const assessment_experience *rec = &a->experience[i];
        store_experience old;
        err e;
        memset(&e, 0, sizeof e);
        int64_t id = own_record(x->db, x->person.id, rec->id, &old);
        int had = id != 0, rc = 0;
        if (id && same_experience(rec, &old.x)) {
            n->records_same++;
        } else if (id) {
            rc = store_experience_edit(x->db, id, rec, &e);
            n->records_updated++;
        } else {
            rc = store_experience_add(x->db, x->person.id, rec, &id, &e);
            n->records_added++;
        }
        if (had)
            store_experience_clear(&old);
        if (rc < 0) {
            char path[64];
            snprintf(path, sizeof path, "experience[%zu]%s%s", i, e.path[0] ? "." : "", e.path);
            file_error(file, element_at(root, "experience", i), path, "%s", e.message);
            return CLI_REFUSED;
        }
        char text[32];
        snprintf(text, sizeof text, "%lld", (long long)id);
        map[i] = xstrdup(text);
    }
    return CLI_OK;
}

/* Adds the file's contributions the person does not have yet (same kind, title,
 * date and description). CLI_OK or CLI_REFUSED after a message. */
static int import_contributions(assess_ctx *x, const char *file, const json_value *root, const assessment *a,
                                import_counts *n)
{
    store_contribution_list have;
    err e;
    memset(&e, 0, sizeof e);
    if (store_contribution_list_person(x->db, x->person.id, &have, &e) < 0) {
        cli_store_error(x->prog, &e, NULL);
        return CLI_REFUSED;
    }
    int status = CLI_OK;
    for (size_t i = 0; i < a->n_contributions && status == CLI_OK; i++) {
        const assessment_contribution *c = &a->contributions[i];
        int found = 0;
        for (size_t k = 0; k < have.count && !found; k++) {
            const assessment_contribution *h = &have.items[k].c;
            found = h->kind == c->kind && same_text(h->title, c->title) && same_text(h->date, c->date)
                    && same_text(h->description, c->description);
        }
        if (found) {
            n->contributions_same++;
            continue;
        }
        if (store_contribution_add(x->db, x->person.id, c, NULL, &e) < 0) {
            char path[64];
            snprintf(path, sizeof path, "contributions[%zu]%s%s", i, e.path[0] ? "." : "", e.path);
            file_error(file, element_at(root, "contributions", i), path, "%s", e.message);
            status = CLI_REFUSED;
        }
        n->contributions_added++;
    }
    store_contribution_list_free(&have);
    return status;
}

/* The file's answers with evidence renamed from file record ids to row ids.
 * Caller frees with assessment_free. */
static assessment *mapped_answers(const assessment *a, char *const *map)
{
    assessment *b = assessment_new(NULL, NULL, NULL, NULL, NULL);
    for (size_t i = 0; i < a->n_answers; i++) {
        const assessment_answer *ans = &a->answers[i];
        const char **ev = xcalloc(ans->n_evidence + 1, sizeof *ev);
        for (size_t k = 0; k < ans->n_evidence; k++) {
            ev[k] = ans->evidence[k];
            for (size_t r = 0; r < a->n_experience; r++)
                if (strcmp(a->experience[r].id, ans->evidence[k]) == 0)
                    ev[k] = map[r];
        }
        assessment_set_answer(b, ans->element_id, ans->rater, ans->value, ev, ans->n_evidence);
        free(ev);
    }
    return b;
}

/* Do two answers say the same (value and evidence, evidence in any order)? */
static int same_answer(const assessment_answer *x, const assessment_answer *y)
{
    if (x->value != y->value || x->n_evidence != y->n_evidence)
        return 0;
    for (size_t i = 0; i < x->n_evidence; i++) {
        int found = 0;
        for (size_t k = 0; k < y->n_evidence && !found; k++)
            found = strcmp(x->evidence[i], y->evidence[k]) == 0;
        if (!found)
            return 0;
    }
    return 1;
}

/* How many answers differ between old and now (changed, added or removed). */
static int count_changes(const assessment *old, const assessment *now)
{
    int n = 0;
    for (size_t i = 0; i < now->n_answers; i++) {
        const assessment_answer *was = assessment_get_answer(old, now->answers[i].element_id, now->answers[i].rater);
        if (!was || !same_answer(was, &now->answers[i]))
            n++;
    }
    for (size_t i = 0; i < old->n_answers; i++)
        if (!assessment_get_answer(now, old->answers[i].element_id, old->answers[i].rater))
            n++;
    return n;
}

/* The import inside its transaction: assessment, records, contributions,
 * answers, status. CLI_OK or CLI_REFUSED after a message; the caller commits or
 * rolls back. */
static int import_into(assess_ctx *x, const char *file, const json_value *root, const assessment *a,
                       const store_cycle *cycle, const char *actor, import_counts *n)
{
    err e;
    memset(&e, 0, sizeof e);
    int64_t id = 0;
    if (store_assessment_ensure(x->db, x->person.id, cycle->id, catalog_id(x->cat), catalog_version(x->cat), actor,
                                &id, &n->created, &e) < 0) {
        cli_store_error(x->prog, &e, NULL);
        return CLI_REFUSED;
    }
    store_assessment info;
    if (store_assessment_get(x->db, id, &info, &e) != 1) {
        cli_store_error(x->prog, &e, NULL);
        return CLI_REFUSED;
    }
    int status = CLI_OK;
    n->status_before = n->created ? NULL : assessment_status_name(info.status);
    if (strcmp(info.catalog_id, catalog_id(x->cat)) != 0 || strcmp(info.catalog_version, catalog_version(x->cat)) != 0) {
        file_error(file, value_at(root, "catalog", NULL), "catalog",
                   "the assessment of %s in %s already exists for catalog %s version %s, not %s version %s",
                   x->person.employee_number, cycle->name, info.catalog_id, info.catalog_version,
                   catalog_id(x->cat), catalog_version(x->cat));
        status = CLI_REFUSED;
    }

    char **map = xcalloc(a->n_experience + 1, sizeof *map);
    assessment *old = assessment_new(NULL, NULL, NULL, NULL, NULL);
    assessment *answers = NULL;
    if (status == CLI_OK && store_answers_load(x->db, id, old, &e) < 0) {
        cli_store_error(x->prog, &e, NULL);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK)
        status = import_experience(x, file, root, a, map, n);
    if (status == CLI_OK)
        status = import_contributions(x, file, root, a, n);
    if (status == CLI_OK) {
        answers = mapped_answers(a, map);
        n->answers = (int)answers->n_answers;
        n->answers_changed = count_changes(old, answers);
        if (info.status == ASSESSMENT_APPROVED && (n->answers_changed || a->status != ASSESSMENT_APPROVED)) {
            cli_error(x->prog, "the assessment of %s in %s is approved; return it before importing over it",
                      x->person.employee_number, cycle->name);
            status = CLI_REFUSED;
        }
    }
    if (status == CLI_OK && n->answers_changed && store_assessment_save_answers(x->db, id, answers, actor, &e) < 0) {
        if (e.path[0])
            file_error(file, value_at(root, "answers", NULL), "answers", "%s: %s", e.path, e.message);
        else
            file_error(file, value_at(root, "answers", NULL), "answers", "%s", e.message);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK && a->status != info.status
        && store_assessment_set_status(x->db, id, a->status, actor, &e) < 0) {
        file_error(file, value_at(root, "status", NULL), "status", "%s", e.message);
        status = CLI_REFUSED;
    }
    for (size_t i = 0; i < a->n_experience; i++)
        free(map[i]);
    free(map);
    assessment_free(old);
    assessment_free(answers);
    store_assessment_clear(&info);
    return status;
}

/* Says what the import did, as text or JSON. */
static int import_report(const assess_ctx *x, const char *file, const store_cycle *cycle, const assessment *a,
                         const import_counts *n)
{
    buf b;
    buf_init(&b);
    if (x->args->json) {
        buf_puts(&b, "{\n  \"file\": ");
        buf_json_str(&b, file);
        buf_puts(&b, ",\n  \"employee_number\": ");
        buf_json_str(&b, x->person.employee_number);
        buf_puts(&b, ",\n  \"cycle\": ");
        buf_json_str(&b, cycle->name);
        buf_printf(&b, ",\n  \"created\": %s,\n  \"status\": \"%s\",\n", n->created ? "true" : "false",
                   assessment_status_name(a->status));
        buf_printf(&b, "  \"answers\": %d,\n  \"answers_changed\": %d,\n", n->answers, n->answers_changed);
        buf_printf(&b, "  \"experience\": { \"added\": %d, \"updated\": %d, \"unchanged\": %d },\n", n->records_added,
                   n->records_updated, n->records_same);
        buf_printf(&b, "  \"contributions\": { \"added\": %d, \"unchanged\": %d }\n}\n", n->contributions_added,
                   n->contributions_same);
    } else {
        buf_printf(&b, "imported %s into the assessment of %s %s in %s (%s)\n", file, x->person.employee_number,
                   x->person.name, cycle->name, n->created ? "created" : "updated");
        buf_printf(&b, "  answers: %d, of which %d changed\n", n->answers, n->answers_changed);
        buf_printf(&b, "  experience records: %d added, %d updated, %d unchanged\n", n->records_added,
                   n->records_updated, n->records_same);
        buf_printf(&b, "  contributions: %d added, %d already recorded\n", n->contributions_added,
                   n->contributions_same);
        if (n->status_before && strcmp(n->status_before, assessment_status_name(a->status)) != 0)
            buf_printf(&b, "  status: %s -> %s\n", n->status_before, assessment_status_name(a->status));
        else
            buf_printf(&b, "  status: %s\n", assessment_status_name(a->status));
    }
    int rc = cli_write(&b, stdout);
    buf_free(&b);
    return rc;
}

/* itss assess PERSON --from FILE: see the comment at the top. */
static int assess_import(assess_ctx *x, const char *file)
{
    size_t len = 0;
    char *text = read_all(x->prog, file, &len);
    if (!text)
        return CLI_REFUSED;
    const char *name = strcmp(file, "-") == 0 ? "<stdin>" : file;
    err_list *errors = xcalloc(1, sizeof *errors);
    assessment *a = assessment_json_parse(text, len, name, x->cat, errors);
    if (!a) {
        cli_print_errors(errors);
        cli_error(x->prog, "%s: nothing imported", name);
        free(errors);
        free(text);
        return CLI_REFUSED;
    }
    free(errors);
    err je;
    json_value *root = json_parse(text, len, name, &je);   /* for the places of later messages */
    free(text);

    int status = CLI_OK;
    store_cycle cycle;
    memset(&cycle, 0, sizeof cycle);
    const json_value *cycle_at = value_at(root, "cycle", NULL);
    if (strcmp(a->employee_number, x->person.employee_number) != 0) {
        file_error(name, value_at(root, "person", "employee_number"), "person.employee_number",
                   "the file is the assessment of %s, not of %s", a->employee_number, x->person.employee_number);
        status = CLI_REFUSED;
    } else if (x->cycle_option && a->cycle && strcmp(x->cycle_option, a->cycle) != 0) {
        file_error(name, cycle_at, "cycle", "the file is for cycle %s, but --cycle says %s", a->cycle,
                   x->cycle_option);
        status = CLI_REFUSED;
    } else if (!x->cycle_option && !a->cycle) {
        file_error(name, NULL, "cycle", "the file names no cycle; give one with --cycle");
        status = CLI_USAGE;
    } else {
        const char *cycle_name = x->cycle_option ? x->cycle_option : a->cycle;
        err e;
        memset(&e, 0, sizeof e);
        int rc = store_cycle_find(x->db, cycle_name, &cycle, &e);
        if (rc == 0 && !x->cycle_option)
            file_error(name, cycle_at, "cycle", "%s (itss cycle list shows the cycles)", e.message);
        else if (rc == 0)
            cli_error(x->prog, "--cycle: %s", e.message);
        else if (rc < 0)
            cli_error(x->prog, "%s", e.message);
        if (rc != 1)
            status = CLI_REFUSED;
    }

    import_counts n;
    memset(&n, 0, sizeof n);
    if (status == CLI_OK) {
        char actor[300];
        snprintf(actor, sizeof actor, "import:%s", name);
        err e;
        memset(&e, 0, sizeof e);
        if (store_begin(x->db, &e) < 0) {
            cli_store_error(x->prog, &e, NULL);
            status = CLI_REFUSED;
        } else {
            status = import_into(x, name, root, a, &cycle, actor, &n);
            if (status == CLI_OK && store_commit(x->db, &e) < 0) {
                cli_store_error(x->prog, &e, NULL);
                status = CLI_REFUSED;
            } else if (status != CLI_OK) {
                store_rollback(x->db, &e);
            }
        }
    }
    if (status == CLI_OK)
        status = import_report(x, name, &cycle, a, &n);
    else
        cli_error(x->prog, "%s: nothing imported", name);
    store_cycle_clear(&cycle);
    json_free(root);
    assessment_free(a);
    return status;
}

/* ---- export ---- */

/* Writes b to path through a temporary file renamed into place, so that a
 * failure never leaves half a file. CLI_OK or CLI_REFUSED after a message. */
static int write_file(const char *prog, const char *path, const buf *b)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        cli_error(prog, "%s: %s", path, strerror(errno));
        return CLI_REFUSED;
    }
    int ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        cli_error(prog, "%s: %s", path, strerror(errno));
        remove(tmp);
        return CLI_REFUSED;
    }
    return CLI_OK;
}

/* itss assess PERSON --to FILE */
static int assess_export(assess_ctx *x, const char *file)
{
    store_assessment info;
    if (cli_find_assessment(x->prog, x->db, &x->person, x->cycle_option, &info) != 1)
        return CLI_REFUSED;
    int status = CLI_OK;
    if (strcmp(info.catalog_id, catalog_id(x->cat)) != 0 || strcmp(info.catalog_version, catalog_version(x->cat)) != 0) {
        cli_error(x->prog, "the assessment of %s in %s is for catalog %s version %s; give that catalog with --catalog",
                  x->person.employee_number, info.cycle, info.catalog_id, info.catalog_version);
        status = CLI_USAGE;
    }
    assessment *a = NULL;
    err e;
    memset(&e, 0, sizeof e);
    if (status == CLI_OK && store_assessment_load(x->db, info.id, &a, &e) != 1) {
        cli_store_error(x->prog, &e, NULL);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK) {
        buf b;
        buf_init(&b);
        assessment_json_write(&b, a, x->cat);
        if (strcmp(file, "-") == 0) {
            status = cli_write(&b, stdout);
        } else {
            status = write_file(x->prog, file, &b);
            if (status == CLI_OK) {
                buf msg;
                buf_init(&msg);
                buf_printf(&msg, "wrote the assessment of %s %s in %s (%s, %zu answers, %zu experience records) to %s\n",
                           x->person.employee_number, x->person.name, info.cycle, assessment_status_name(a->status),
                           a->n_answers, a->n_experience, file);
                status = cli_write(&msg, stdout);
                buf_free(&msg);
            }
        }
        buf_free(&b);
    }
    assessment_free(a);
    store_assessment_clear(&info);
    return status;
}

/* ---- the questionnaire ---- */

/* Resolves --spec and the cycle as cli_assess.h promises, then hands over. */
static int assess_interactive(assess_ctx *x, const char *spec_option)
{
    const catalog_spec *spec = NULL;
    if (spec_option && !(spec = cli_find_spec(x->prog, x->cat, spec_option, "--spec")))
        return CLI_REFUSED;
    store_cycle c;
    memset(&c, 0, sizeof c);
    err e;
    memset(&e, 0, sizeof e);
    if (x->cycle_option) {
        if (cli_find_cycle(x->prog, x->db, x->cycle_option, "--cycle", &c) != 1)
            return CLI_REFUSED;
    } else {
        int rc = store_cycle_current(x->db, NULL, &c, &e);
        if (rc < 0) {
            cli_store_error(x->prog, &e, NULL);
            return CLI_REFUSED;
        }
        if (rc == 0) {
            store_cycle_list l;
            if (store_cycle_list_all(x->db, &l, &e) < 0) {
                cli_store_error(x->prog, &e, NULL);
                return CLI_REFUSED;
            }
            if (l.count == 0) {
                store_cycle_list_free(&l);
                cli_error(x->prog, "there is no assessment cycle yet; add one with itss cycle add NAME --opens "
                                   "YYYY-MM-DD --closes YYYY-MM-DD");
                return CLI_REFUSED;
            }
            c = l.items[0];
            memset(&l.items[0], 0, sizeof l.items[0]);
            store_cycle_list_free(&l);
        }
    }
    int rc = cli_assess_interactive(x->args, x->db, x->cat, x->person.employee_number, spec ? spec->id : NULL,
                                    c.name);
    store_cycle_clear(&c);
    return rc;
}

/* itss assess PERSON [--from FILE | --to FILE] [...] */
int cli_assess_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL, *from = NULL, *to = NULL, *cycle = NULL, *spec = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL }, { "--from", &from, NULL }, { "--to", &to, NULL },
        { "--cycle", &cycle, NULL }, { "--spec", &spec, NULL }, { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss assess", assess_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_assess_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos != 1)
        return cli_usage_error(a.prog, assess_usage, a.n_pos == 0 ? "PERSON (an employee number) is required"
                                                                  : "unexpected argument '%s'", a.pos[1]);
    if (from && to)
        return cli_usage_error(a.prog, assess_usage, "give --from or --to, not both");
    if (spec && (from || to))
        return cli_usage_error(a.prog, assess_usage, "--spec is for the questionnaire, not with --%s",
                               from ? "from" : "to");

    catalog *cat = cli_load_catalog(&a);
    if (!cat)
        return CLI_USAGE;
    assess_ctx x;
    memset(&x, 0, sizeof x);
    x.args = &a;
    x.prog = a.prog;
    x.cat = cat;
    x.cycle_option = cycle;
    x.db = cli_store_open(a.prog, db_path, 0);
    int status = x.db ? cli_store_check_catalog(a.prog, x.db, cat) : CLI_REFUSED;
    if (status == CLI_OK && cli_find_person(a.prog, x.db, a.pos[0], NULL, &x.person) != 1)
        status = CLI_REFUSED;
    if (status == CLI_OK)
        status = from ? assess_import(&x, from) : to ? assess_export(&x, to) : assess_interactive(&x, spec);
    store_person_clear(&x.person);
    store_close(x.db);
    catalog_free(cat);
    return status;
}
