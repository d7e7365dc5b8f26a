/* cli_contribution.c - `itss contribution`: a person's professional
 * contributions (後進育成, community activity, papers and reports), kept as
 * records of their own beside the experience records. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "cli.h"
#include "cli_store.h"

const char cli_contribution_help[] =
    "usage: itss contribution add EMPNO --kind KIND --title TITLE [--date DATE]\n"
    "                             [--description TEXT]\n"
    "       itss contribution list EMPNO\n"
    "       [--db PATH] [--json]\n"
    "\n"
    "Professional contributions: 後進育成 (mentoring), community activity, papers\n"
    "and reports. Several levels of the standard ask for them (タスク特性).\n"
    "\n"
    "  add EMPNO        adds a contribution of the person\n"
    "  list EMPNO       the person's contributions by date\n"
    "\n"
    "options of add:\n"
    "  --kind KIND      mentoring (後進育成), community (コミュニティ活動) or\n"
    "                   paper (論文・報告); the Japanese names are accepted too\n"
    "  --title TITLE    what it was (required)\n"
    "  --date DATE      YYYY-MM or YYYY-MM-DD\n"
    "  --description TEXT  free text\n"
    "\n"
    "exit status: 0 done, 3 refused (an unknown person or kind, a bad date),\n"
    "2 bad usage.\n";

static const char contribution_usage[] =
    "usage: itss contribution add EMPNO --kind mentoring|community|paper --title TITLE [--date DATE]\n"
    "                             [--description TEXT]\n"
    "       itss contribution list EMPNO   [--db PATH] [--json]\n";

static const char *const contribution_fields[] = {
    "kind", "--kind", "title", "--title", "date", "--date", "description", "--description", "person_id", "EMPNO",
    NULL
};

/* A jansson string, or null for NULL. */
static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A contribution as JSON; see cli_store.h. */
json_t *cli_contribution_json(const store_contribution *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "kind", json_string(contribution_kind_name(c->c.kind)));
    json_object_set_new(o, "title", jstr(c->c.title));
    json_object_set_new(o, "date", jstr(c->c.date));
    json_object_set_new(o, "description", jstr(c->c.description));
    return o;
}

/* The contributions as a table; see cli_store.h. */
void cli_contribution_table(buf *out, const store_contribution_list *l, int width)
{
    static const char *const headers[] = { "ID", "日付", "種類", "内容" };
    cli_table t;
    cli_table_init(&t, 4, headers);
    for (size_t i = 0; i < l->count; i++) {
        const assessment_contribution *c = &l->items[i].c;
        char id[32];
        buf what;
        buf_init(&what);
        snprintf(id, sizeof id, "%lld", (long long)l->items[i].id);
        buf_puts(&what, c->title ? c->title : "");
        if (c->description && c->description[0])
            buf_printf(&what, "\n%s", c->description);
        const char *cells[4] = { id, c->date, contribution_kind_label(c->kind), what.data };
        cli_table_add(&t, cells);
        buf_free(&what);
    }
    cli_table_render(&t, out, width);
    cli_table_free(&t);
}

/* The kind named by arg (mentoring, 後進育成, ...), or -1. */
static int parse_kind(const char *arg)
{
    int k = contribution_kind_parse(arg);
    for (int i = 0; k < 0 && i < CONTRIBUTION_KIND_COUNT; i++)
        if (strcmp(arg, contribution_kind_label((contribution_kind)i)) == 0)
            k = i;
    return k;
}

/* itss contribution add EMPNO --kind K --title T [...] */
static int contribution_add(const cli_args *a, store *db, const char *kind, const char *title, const char *date,
                            const char *description)
{
    if (a->n_pos != 2)
        return cli_usage_error(a->prog, contribution_usage, a->n_pos < 2 ? "EMPNO is required"
                                                                         : "unexpected argument '%s'", a->pos[2]);
    if (!kind || !title)
        return cli_usage_error(a->prog, contribution_usage, "%s is required", kind ? "--title" : "--kind");
    int k = parse_kind(kind);
    if (k < 0) {
        cli_error(a->prog, "--kind: unknown kind '%s'; use mentoring (後進育成), community (コミュニティ活動) or "
                           "paper (論文・報告)", kind);
        return CLI_REFUSED;
    }
    store_person p;
    if (cli_find_person(a->prog, db, a->pos[1], NULL, &p) != 1)
        return CLI_REFUSED;
    assessment_contribution c;
    memset(&c, 0, sizeof c);
    c.kind = (contribution_kind)k;
    c.title = (char *)title;
    c.date = (char *)date;
    c.description = (char *)description;
    int64_t id = 0;
    err e;
    memset(&e, 0, sizeof e);
    int status = CLI_OK;
    if (store_contribution_add(db, p.id, &c, &id, &e) < 0) {
        cli_store_error(a->prog, &e, contribution_fields);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK && a->json) {
        store_contribution saved;
        if (store_contribution_get(db, id, &saved, &e) == 1) {
            status = cli_print_json(cli_contribution_json(&saved));
            store_contribution_clear(&saved);
        } else {
            cli_store_error(a->prog, &e, NULL);
            status = CLI_REFUSED;
        }
    } else if (status == CLI_OK) {
        buf b;
        buf_init(&b);
        buf_printf(&b, "added contribution %lld for %s %s: %s %s%s%s\n", (long long)id, p.employee_number, p.name,
                   contribution_kind_label(c.kind), title, date ? " " : "", date ? date : "");
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_person_clear(&p);
    return status;
}

/* itss contribution list EMPNO */
static int contribution_list(const cli_args *a, store *db)
{
    if (a->n_pos != 2)
        return cli_usage_error(a->prog, contribution_usage, a->n_pos < 2 ? "EMPNO is required"
                                                                         : "unexpected argument '%s'", a->pos[2]);
    store_person p;
    if (cli_find_person(a->prog, db, a->pos[1], NULL, &p) != 1)
        return CLI_REFUSED;
    store_contribution_list l;
    err e;
    memset(&e, 0, sizeof e);
    int status = CLI_OK;
    if (store_contribution_list_person(db, p.id, &l, &e) < 0) {
        cli_store_error(a->prog, &e, NULL);
        store_person_clear(&p);
        return CLI_REFUSED;
    }
    if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, cli_contribution_json(&l.items[i]));
        status = cli_print_json(arr);
    } else {
        buf b;
        buf_init(&b);
        buf_printf(&b, "%s %s: %zu contribution%s\n", p.employee_number, p.name, l.count, l.count == 1 ? "" : "s");
        if (l.count)
            cli_contribution_table(&b, &l, cli_term_width());
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_contribution_list_free(&l);
    store_person_clear(&p);
    return status;
}

/* itss contribution add|list */
int cli_contribution_main(const cli_command *cmd, int argc, char **argv)
{
    const char *db_path = NULL, *kind = NULL, *title = NULL, *date = NULL, *description = NULL;
    const cli_option options[] = {
        { "--db", &db_path, NULL },  { "--kind", &kind, NULL },     { "--title", &title, NULL },
        { "--date", &date, NULL },   { "--description", &description, NULL }, { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss contribution", contribution_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_contribution_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos == 0)
        return cli_usage_error(a.prog, contribution_usage, "a subcommand is required: add or list");
    int add = strcmp(a.pos[0], "add") == 0;
    if (!add && strcmp(a.pos[0], "list") != 0)
        return cli_usage_error(a.prog, contribution_usage, "unknown subcommand '%s'; use add or list", a.pos[0]);
    a.prog = add ? "itss contribution add" : "itss contribution list";
    if (!add && (kind || title || date || description))
        return cli_usage_error(a.prog, contribution_usage, "itss contribution list takes only EMPNO");
    store *db = cli_store_open(a.prog, db_path, 0);
    if (!db)
        return CLI_REFUSED;
    int rc = add ? contribution_add(&a, db, kind, title, date, description) : contribution_list(&a, db);
    store_close(db);
    return rc;
}
