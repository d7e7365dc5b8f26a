/* cli_experience.c - `itss experience`: a person's experience records (実績),
 * the projects that show what level they worked at, with the complexity and
 * size items of the standard each one demonstrates. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "assessment_json.h"
#include "cli.h"
#include "cli_store.h"
#include "text.h"

const char cli_experience_help[] =
    "usage: itss experience add EMPNO --project NAME --from YYYY-MM [--to YYYY-MM]\n"
    "                           --role ROLE --spec SPEC --level N\n"
    "                           [--complexity ITEMS] [--size ITEMS] [--failed]\n"
    "                           [--description TEXT]\n"
    "       itss experience list EMPNO\n"
    "       [--db PATH] [--json] [--catalog FILE]\n"
    "\n"
    "Experience records (実績): the projects or systems a person worked on, in which\n"
    "role, for which specialization and at which level, and which of the standard's\n"
    "complexity (複雑性) and size (サイズ) items they demonstrate. The level\n"
    "determination counts the successful records of each specialization.\n"
    "\n"
    "  add EMPNO        adds a record to the person's experience\n"
    "  list EMPNO       the person's records, oldest first, with their ids (the\n"
    "                   ids an assessment names as evidence)\n"
    "\n"
    "options of add:\n"
    "  --project NAME   project or system name (required)\n"
    "  --from YYYY-MM   start of the period (required)\n"
    "  --to YYYY-MM     end of the period; leave out while it goes on\n"
    "  --role ROLE      the role played, e.g. チームリーダ (required)\n"
    "  --spec SPEC      the specialization: HW, SW, FM, or an id or name (required)\n"
    "  --level N        the level the record is claimed for (required)\n"
    "  --complexity ITEMS, --size ITEMS\n"
    "                   the complexity / size checklist items of that specialization\n"
    "                   the record demonstrates, separated by commas: full ids\n"
    "                   (CS.HW.L4.complexity.3), or short forms for the level given\n"
    "                   (complexity.3, or just 3), or L3.complexity.2 for another\n"
    "                   level of the specialization (itss catalog show SPEC LEVEL\n"
    "                   lists them)\n"
    "  --failed         the project did not succeed (it then does not count)\n"
    "  --description TEXT  free text\n"
    "\n"
    "exit status: 0 done, 3 refused (an unknown person, specialization, level or\n"
    "item, a bad month), 2 bad usage or a catalog that is not the database's.\n";

static const char experience_usage[] =
    "usage: itss experience add EMPNO --project NAME --from YYYY-MM [--to YYYY-MM] --role ROLE\n"
    "                           --spec SPEC --level N [--complexity ITEMS] [--size ITEMS] [--failed]\n"
    "                           [--description TEXT]\n"
    "       itss experience list EMPNO\n"
    "       [--db PATH] [--json] [--catalog FILE]; itss help experience for more\n";

/* Store fields and the options they come from, for messages. */
static const char *const experience_fields[] = {
    "project", "--project", "period_from", "--from", "period_to", "--to", "role", "--role",
    "specialization_id", "--spec", "level", "--level", "complexity_items", "--complexity",
    "size_items", "--size", "description", "--description", "person_id", "EMPNO", NULL
};

typedef struct experience_opts {
    const char *db, *project, *from, *to, *role, *spec, *level, *complexity, *size, *description;
    int failed;
} experience_opts;

/* An experience record as JSON; see cli_store.h. */
json_t *cli_experience_json(const store_experience *x)
{
    return assessment_experience_json(&x->x, json_integer(x->id));
}

/* An item id without its first two parts: CS.HW.L4.complexity.3 -> L4.complexity.3. */
static const char *short_id(const char *id)
{
    const char *p = strchr(id, '.');
    const char *q = p ? strchr(p + 1, '.') : NULL;
    return q ? q + 1 : id;
}

/* The records as a table; see cli_store.h. */
void cli_experience_table(buf *out, const store_experience_list *l, int width)
{
    static const char *const headers[] = { "ID", "期間", "専門分野", "レベル", "結果", "役割", "プロジェクト・実証する項目" };
    cli_table t;
    cli_table_init(&t, 7, headers);
    for (size_t i = 0; i < l->count; i++) {
        const assessment_experience *x = &l->items[i].x;
        char id[32], level[16];
        buf period, what;
        buf_init(&period);
        buf_init(&what);
        snprintf(id, sizeof id, "%lld", (long long)l->items[i].id);
        snprintf(level, sizeof level, "%d", x->level);
        buf_printf(&period, "%s〜%s", x->period_from ? x->period_from : "", x->period_to ? x->period_to : "");
        buf_puts(&what, x->project ? x->project : "");
        for (size_t k = 0; k < x->n_complexity_items; k++)
            buf_printf(&what, "%s%s", k ? ", " : "\n複雑性: ", short_id(x->complexity_items[k]));
        for (size_t k = 0; k < x->n_size_items; k++)
            buf_printf(&what, "%s%s", k ? ", " : "\nサイズ: ", short_id(x->size_items[k]));
        const char *cells[7] = { id, period.data, x->specialization_id, level, x->succeeded ? "成功" : "失敗",
                                 x->role, what.data };
        cli_table_add(&t, cells);
        buf_free(&period);
        buf_free(&what);
    }
    cli_table_render(&t, out, width);
    cli_table_free(&t);
}

/* The level named by arg (4, ４, L4, レベル4), or 0 when arg is not a level number. */
static int parse_level(const char *arg)
{
    char *f = text_fold(arg);
    const char *p = f;
    int level = 0;
    if (p) {
        if (strncmp(p, "レベル", strlen("レベル")) == 0)
            p += strlen("レベル");
        else if (*p == 'l')
            p++;
        if (p[0] >= '1' && p[0] <= '9' && (p[1] == '\0' || (p[1] >= '0' && p[1] <= '9' && p[2] == '\0')))
            level = atoi(p);
    }
    free(f);
    return level;
}

/* The full id an item argument names for kind at level of spec: a full id as
 * it is (anything with three dots or more is taken as one); "3" or
 * "complexity.3" at the given level; "L3.complexity.2" at level 3.
 * Caller frees; NULL when the short form names no level the spec has. */
static char *expand_item(const catalog *cat, const catalog_spec *spec, int level, catalog_criterion_kind kind,
                         const char *arg)
{
    catalog_element e;
    buf b;
    size_t dots = 0;
    for (const char *p = arg; *p; p++)
        dots += *p == '.';
    if (dots >= 3 || catalog_find(cat, arg, &e))
        return strdup(arg);
    buf_init(&b);
    if (arg[0] >= '0' && arg[0] <= '9') {
        const catalog_level *lv = catalog_level_of(cat, spec, level);
        buf_printf(&b, "%s.%s.%s", lv->id, catalog_criterion_key(kind), arg);
    } else if ((arg[0] == 'L' || arg[0] == 'l') && arg[1] >= '0' && arg[1] <= '9') {
        char *dot;
        long n = strtol(arg + 1, &dot, 10);
        const catalog_level *lv = *dot == '.' && n > 0 && n < 100 ? catalog_level_of(cat, spec, (int)n) : NULL;
        if (!lv)
            return NULL;
        buf_printf(&b, "%s%s", lv->id, dot);
    } else {
        const catalog_level *lv = catalog_level_of(cat, spec, level);
        buf_printf(&b, "%s.%s", lv->id, arg);
    }
    return buf_detach(&b);
}

/* Resolves the comma-separated items of option into full ids (*ids, *n; the
 * caller frees each and the array). CLI_OK or CLI_REFUSED after a message naming
 * the item. */
static int resolve_items(const char *prog, const catalog *cat, const catalog_spec *spec, int level,
                         catalog_criterion_kind kind, const char *option, const char *list, char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (!list)
        return CLI_OK;
    char *copy = strdup(list);
    char **out = calloc(strlen(list) / 2 + 2, sizeof *out);
    if (!copy || !out)
        abort();
    int rc = CLI_OK;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && rc == CLI_OK; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t len = strlen(tok);
        while (len > 0 && tok[len - 1] == ' ')
            tok[--len] = '\0';
        if (!*tok)
            continue;
        char *id = expand_item(cat, spec, level, kind, tok);
        catalog_element e;
        const catalog_level *lv = catalog_level_of(cat, spec, level);
        int show_id = id && strcmp(id, tok) != 0;
        if (!id || !catalog_find(cat, id, &e)) {
            cli_error(prog, "%s: unknown item '%s'%s%s%s; %s level %d lists %s.1 to %s.%zu (itss catalog show %s %d)",
                      option, tok, show_id ? " (" : "", show_id ? id : "", show_id ? ")" : "", spec->name, level,
                      catalog_criterion_key(kind), catalog_criterion_key(kind), lv->criteria[kind].n_items,
                      spec->code, level);
            rc = CLI_REFUSED;
        } else if (e.kind != CK_CHECK_ITEM || e.criterion->kind != kind) {
            cli_error(prog, "%s: %s is not a %s checklist item%s", option, id, catalog_criterion_label(kind),
                      e.kind == CK_CHECK_ITEM ? " (give it with the option of its own criterion)" : "");
            rc = CLI_REFUSED;
        } else if (catalog_level_of(cat, spec, e.level->level) != e.level) {
            cli_error(prog, "%s: %s is not an item of %s (%s)", option, id, spec->name, spec->id);
            rc = CLI_REFUSED;
        } else if (e.level != lv) {
            cli_error(prog, "%s: %s is an item of level %d, not of the record's level %d", option, id,
                      e.level->level, level);
            rc = CLI_REFUSED;
        } else {
            for (size_t i = 0; i < *n; i++)
                if (strcmp(out[i], id) == 0) {
                    cli_error(prog, "%s: %s is listed twice", option, id);
                    rc = CLI_REFUSED;
                }
        }
        if (rc == CLI_OK)
            out[(*n)++] = id;
        else
            free(id);
    }
    free(copy);
    *ids = out;
    return rc;
}

/* Frees an id array made by resolve_items. */
static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Appends each item with the standard's text, for the message after an add. */
static void put_items(buf *b, const catalog *cat, const char *label, char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        catalog_element e;
        const char *text = catalog_find(cat, ids[i], &e) ? catalog_element_text(&e) : NULL;
        buf_printf(b, "  %s %s: %s\n", label, ids[i], text ? text : "");
    }
}

/* itss experience add EMPNO ... */
static int experience_add(const cli_args *a, const experience_opts *o)
{
    const char *prog = a->prog;
    if (a->n_pos != 2)
        return cli_usage_error(prog, experience_usage, a->n_pos < 2 ? "EMPNO is required"
                                                                    : "unexpected argument '%s'", a->pos[2]);
    struct { const char *name, *value; } required[] = {
        { "--project", o->project }, { "--from", o->from }, { "--role", o->role },
        { "--spec", o->spec }, { "--level", o->level },
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!required[i].value)
            return cli_usage_error(prog, experience_usage, "%s is required", required[i].name);

    catalog *cat = cli_load_catalog(a);
    if (!cat)
        return CLI_USAGE;
    store *db = cli_store_open(prog, o->db, 0);
    if (!db) {
        catalog_free(cat);
        return CLI_REFUSED;
    }
    int status = cli_store_check_catalog(prog, db, cat);
    store_person p;
    memset(&p, 0, sizeof p);
    const catalog_spec *spec = NULL;
    int level = 0;
    char **cids = NULL, **sids = NULL;
    size_t n_c = 0, n_s = 0;
    if (status == CLI_OK && cli_find_person(prog, db, a->pos[1], NULL, &p) != 1)
        status = CLI_REFUSED;
    if (status == CLI_OK && !(spec = cli_find_spec(prog, cat, o->spec, "--spec")))
        status = CLI_REFUSED;
    if (status == CLI_OK) {
        level = parse_level(o->level);
        int lo, hi;
        catalog_spec_level_range(cat, spec, &lo, &hi);
        if (level == 0 || !catalog_level_of(cat, spec, level)) {
            cli_error(prog, "--level: %s (%s) has no level '%s'; its levels are %d to %d", spec->name, spec->code,
                      o->level, lo, hi);
            status = CLI_REFUSED;
        }
    }
    if (status == CLI_OK)
        status = resolve_items(prog, cat, spec, level, CRITERION_COMPLEXITY, "--complexity", o->complexity, &cids,
                               &n_c);
    if (status == CLI_OK)
        status = resolve_items(prog, cat, spec, level, CRITERION_SIZE, "--size", o->size, &sids, &n_s);
    int64_t id = 0;
    if (status == CLI_OK) {
        assessment_experience x;
        memset(&x, 0, sizeof x);
        x.project = (char *)o->project;
        x.period_from = (char *)o->from;
        x.period_to = (char *)o->to;
        x.role = (char *)o->role;
        x.specialization_id = (char *)spec->id;
        x.level = level;
        x.complexity_items = cids;
        x.n_complexity_items = n_c;
        x.size_items = sids;
        x.n_size_items = n_s;
        x.succeeded = !o->failed;
        x.description = (char *)o->description;
        err e;
        memset(&e, 0, sizeof e);
        if (store_experience_add(db, p.id, &x, &id, &e) < 0) {
            cli_store_error(prog, &e, experience_fields);
            status = CLI_REFUSED;
        }
    }
    if (status == CLI_OK && a->json) {
        store_experience x;
        err e;
        if (store_experience_get(db, id, &x, &e) == 1) {
            status = cli_print_json(cli_experience_json(&x));
            store_experience_clear(&x);
        } else {
            cli_store_error(prog, &e, NULL);
            status = CLI_REFUSED;
        }
    } else if (status == CLI_OK) {
        buf b;
        buf_init(&b);
        buf_printf(&b, "added experience record %lld for %s %s: %s (%s レベル%d, %s〜%s, %s)\n", (long long)id,
                   p.employee_number, p.name, o->project, spec->name, level, o->from, o->to ? o->to : "",
                   o->failed ? "失敗" : "成功");
        put_items(&b, cat, "複雑性", cids, n_c);
        put_items(&b, cat, "サイズ", sids, n_s);
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    free_ids(cids, n_c);
    free_ids(sids, n_s);
    store_person_clear(&p);
    store_close(db);
    catalog_free(cat);
    return status;
}

/* itss experience list EMPNO */
static int experience_list(const cli_args *a, const experience_opts *o)
{
    const char *prog = a->prog;
    if (a->n_pos != 2)
        return cli_usage_error(prog, experience_usage, a->n_pos < 2 ? "EMPNO is required"
                                                                    : "unexpected argument '%s'", a->pos[2]);
    if (o->project || o->from || o->to || o->role || o->spec || o->level || o->complexity || o->size
        || o->description || o->failed)
        return cli_usage_error(prog, experience_usage, "itss experience list takes only EMPNO");
    store *db = cli_store_open(prog, o->db, 0);
    if (!db)
        return CLI_REFUSED;
    store_person p;
    store_experience_list l;
    memset(&l, 0, sizeof l);
    int status = CLI_OK;
    err e;
    memset(&e, 0, sizeof e);
    if (cli_find_person(prog, db, a->pos[1], NULL, &p) != 1) {
        store_close(db);
        return CLI_REFUSED;
    }
    if (store_experience_list_person(db, p.id, &l, &e) < 0) {
        cli_store_error(prog, &e, NULL);
        status = CLI_REFUSED;
    }
    if (status == CLI_OK && a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l.count; i++)
            json_array_append_new(arr, cli_experience_json(&l.items[i]));
        status = cli_print_json(arr);
    } else if (status == CLI_OK) {
        buf b;
        buf_init(&b);
        buf_printf(&b, "%s %s: ", p.employee_number, p.name);
        if (l.count == 0) {
            buf_puts(&b, "no experience records (itss experience add)\n");
        } else {
            buf_printf(&b, "%zu experience record%s\n", l.count, l.count == 1 ? "" : "s");
            cli_experience_table(&b, &l, cli_term_width());
        }
        status = cli_write(&b, stdout);
        buf_free(&b);
    }
    store_experience_list_free(&l);
    store_person_clear(&p);
    store_close(db);
    return status;
}

/* itss experience add|list */
int cli_experience_main(const cli_command *cmd, int argc, char **argv)
{
    experience_opts o;
    memset(&o, 0, sizeof o);
    const cli_option options[] = {
        { "--db", &o.db, NULL },           { "--project", &o.project, NULL }, { "--from", &o.from, NULL },
        { "--to", &o.to, NULL },           { "--role", &o.role, NULL },       { "--spec", &o.spec, NULL },
        { "--level", &o.level, NULL },     { "--complexity", &o.complexity, NULL },
        { "--size", &o.size, NULL },       { "--description", &o.description, NULL },
        { "--failed", NULL, &o.failed },   { NULL, NULL, NULL },
    };
    cli_args a;
    (void)cmd;
    if (cli_parse("itss experience", experience_usage, argc - 1, argv + 1, options, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        fputs(cli_experience_help, stdout);
        return CLI_OK;
    }
    if (a.n_pos == 0)
        return cli_usage_error(a.prog, experience_usage, "a subcommand is required: add or list");
    if (strcmp(a.pos[0], "add") == 0) {
        a.prog = "itss experience add";
        return experience_add(&a, &o);
    }
    if (strcmp(a.pos[0], "list") == 0) {
        a.prog = "itss experience list";
        return experience_list(&a, &o);
    }
    return cli_usage_error(a.prog, experience_usage, "unknown subcommand '%s'; use add or list", a.pos[0]);
}
