/* cli_catalog.c - `itss catalog`: browse, search, export and validate the
 * standard as the catalog holds it.
 *
 * Each subcommand renders its whole output into a buf (or a jansson value for
 * --json) and writes it at the end, so a failure never leaves half an answer.
 * Texts are printed exactly as the catalog has them; only the list marks the
 * standard prints (● － □ ・) are put back in front of them. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "buf.h"
#include "catalog.h"
#include "catalog_exchange.h"
#include "cli.h"
#include "text.h"

const char cli_catalog_help[] =
    "usage: itss catalog list\n"
    "       itss catalog show SPEC LEVEL\n"
    "       itss catalog area SPEC AREA\n"
    "       itss catalog search TEXT\n"
    "       itss catalog export [--format json|csv|case|moodle] [--base-uri URL]\n"
    "       itss catalog validate FILE\n"
    "\n"
    "Browse the skill standard: its specializations (専門分野), the achievement\n"
    "indicators (達成度指標) of each level, and the skill areas (スキル領域) with their\n"
    "proficiency (スキル熟達度) and knowledge items (知識項目).\n"
    "\n"
    "  list             specializations with their levels, and the skill areas\n"
    "  show SPEC LEVEL  the achievement indicators of one level, laid out as the\n"
    "                   standard lays them out, and the proficiency of every skill\n"
    "                   area at that level (itss catalog show HW 4)\n"
    "  area SPEC AREA   one skill area: its description, proficiency by level,\n"
    "                   knowledge items (itss catalog area HW UEA)\n"
    "  search TEXT      every element whose text contains TEXT, with its identifier\n"
    "                   and place; full-width and half-width spellings match\n"
    "                   (２４時間３６５日 finds 24時間365日, ＩＴ finds IT); exit 1 when none\n"
    "  export           the whole catalog in file order: --format json (the catalog\n"
    "                   format, the default) or --format csv (UTF-8 with BOM and CRLF\n"
    "                   line ends, for Excel), --format case (an IMS Global CASE 1.1\n"
    "                   package: CFDocument, CFItems, CFAssociations, CFItemTypes;\n"
    "                   --base-uri URL gives each object a URL under\n"
    "                   URL/ims/case/v1p1/, else a urn:uuid: URI) or --format moodle\n"
    "                   (the CSV that Moodle's \"Import competency framework\" reads)\n"
    "  validate FILE    check a catalog file; prints every error as\n"
    "                   file:line:column: path: message and exits 2 when there is one\n"
    "\n"
    "SPEC is a specialization's code, identifier or name (HW, CS.HW, ハードウェア);\n"
    "AREA is a skill area's (UEA, CS.UEA, ユーザ環境分析). LEVEL is a number (4, ４, L4).\n"
    "\n"
    "options:\n"
    "  --json            machine-readable output (JSON) for any subcommand\n"
    "  --catalog FILE    use the catalog in FILE instead of the built-in one\n"
    "                    (the environment variable ITSS_CATALOG does the same)\n"
    "  --format json|csv|case|moodle  the export format\n"
    "  --base-uri URL    where a CASE service publishes the package (export --format case)\n"
    "\n"
    "exit status: 0 done, 1 search found nothing, 2 bad usage, unknown argument or\n"
    "a catalog that does not load.\n";

static const char catalog_usage[] =
    "usage: itss catalog list | show SPEC LEVEL | area SPEC AREA | search TEXT\n"
    "       itss catalog export [--format json|csv|case|moodle] | validate FILE\n"
    "       [--json] [--catalog FILE]; itss help catalog for more\n";

#define PROG "itss catalog"

/* What one subcommand works with. */
typedef struct ctx {
    const char *prog;          /* "itss catalog show" */
    const cli_args *args;
    const char *format;        /* --format, or NULL */
    const char *base_uri;      /* --base-uri, or NULL */
    catalog *c;                /* NULL for validate */
    int width;                 /* terminal columns */
} ctx;

/* ---- small helpers ---- */

/* A jansson string, or null for NULL. */
static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Appends the level numbers marked in have[lo..hi] as ranges: "1-2, 4". */
static void put_ranges(buf *b, const int *have, int lo, int hi)
{
    int first = 1;
    for (int l = lo; l <= hi; l++) {
        if (!have[l])
            continue;
        int end = l;
        while (end + 1 <= hi && have[end + 1])
            end++;
        buf_printf(b, first ? "%d" : ", %d", l);
        if (end > l)
            buf_printf(b, "-%d", end);
        first = 0;
        l = end;
    }
    if (first)
        buf_puts(b, "-");
}

#define MAX_LEVEL 100   /* level_range is at most 0..99 */

/* Marks in own[] the levels spec has itself and in common[] those it shares. */
static void spec_levels(const catalog *c, const catalog_spec *spec, int *own, int *common)
{
    memset(own, 0, MAX_LEVEL * sizeof *own);
    memset(common, 0, MAX_LEVEL * sizeof *common);
    for (int l = catalog_level_min(c); l <= catalog_level_max(c) && l < MAX_LEVEL; l++) {
        const catalog_level *lv = catalog_level_of(c, spec, l);
        if (lv && lv->owner == spec)
            own[l] = 1;
        else if (lv)
            common[l] = 1;
    }
}

/* The spec's levels, own and shared together, as ranges ("1-5"). Caller frees. */
static char *levels_text(const catalog *c, const catalog_spec *spec)
{
    int own[MAX_LEVEL], common[MAX_LEVEL];
    buf b;
    buf_init(&b);
    spec_levels(c, spec, own, common);
    for (int l = 0; l < MAX_LEVEL; l++)
        own[l] |= common[l];
    put_ranges(&b, own, 0, MAX_LEVEL - 1);
    return buf_detach(&b);
}

/* Does spec (itself or through a common block) describe area? */
static int spec_has_area(const catalog *c, const catalog_spec *spec, const catalog_area *area)
{
    const catalog_spec_area *sa;
    return catalog_spec_area_blocks(c, spec, area, &sa, 1) > 0;
}

/* 職種共通 or 専門分野固有, as the standard heads the two kinds of skill area. */
static const char *area_kind_label(const catalog_area *a)
{
    return a->is_specific ? "専門分野固有" : "職種共通";
}

/* The specialization named by arg, or NULL after a message listing the valid ones. */
static const catalog_spec *find_spec(const ctx *x, const char *arg)
{
    const catalog_spec *s = catalog_spec_find(x->c, arg);
    if (s)
        return s;
    buf b;
    buf_init(&b);
    for (size_t i = 0; i < catalog_spec_count(x->c); i++) {
        const catalog_spec *v = catalog_spec_at(x->c, i);
        buf_printf(&b, "%s%s (%s)", i ? ", " : "", v->code, v->name);
    }
    cli_error(x->prog, "unknown specialization '%s'; SPEC is one of: %s", arg, b.data ? b.data : "");
    buf_free(&b);
    return NULL;
}

/* The level arg names (4, ４, L4, レベル4) if spec has it; else 0 after a message. */
static int find_level(const ctx *x, const catalog_spec *spec, const char *arg)
{
    char *f = text_fold(arg);
    const char *p = f;
    char *levels = levels_text(x->c, spec);
    int level = -1;

    if (p) {
        if (strncmp(p, "level", 5) == 0)
            p += 5;
        else if (strncmp(p, "レベル", strlen("レベル")) == 0)
            p += strlen("レベル");
        else if (*p == 'l')
            p++;
        if (p[0] >= '0' && p[0] <= '9' && (p[1] == '\0' || (p[1] >= '0' && p[1] <= '9' && p[2] == '\0')))
            level = atoi(p);
    }
    if (level < 0)
        cli_error(x->prog, "LEVEL must be a level number, not '%s'; %s (%s) has levels %s",
                  arg, spec->name, spec->code, levels);
    else if (!catalog_level_of(x->c, spec, level)) {
        cli_error(x->prog, "%s (%s) has no level %d; its levels are %s",
                  spec->name, spec->code, level, levels);
        level = -1;
    }
    free(levels);
    free(f);
    return level < 0 ? 0 : level;
}

/* The skill area arg names, if spec describes it; else NULL after a message
 * listing spec's skill areas. */
static const catalog_area *find_area(const ctx *x, const catalog_spec *spec, const char *arg)
{
    const catalog_area *a = catalog_area_find(x->c, arg);
    if (a && spec_has_area(x->c, spec, a))
        return a;
    buf b;
    buf_init(&b);
    for (size_t i = 0, n = 0; i < catalog_area_count(x->c); i++) {
        const catalog_area *v = catalog_area_at(x->c, i);
        if (spec_has_area(x->c, spec, v))
            buf_printf(&b, "%s%s (%s)", n++ ? ", " : "", v->code, v->name);
    }
    if (a)
        cli_error(x->prog, "%s (%s) has no skill area %s (%s); AREA is one of: %s",
                  spec->name, spec->code, a->code, a->name, b.data ? b.data : "");
    else
        cli_error(x->prog, "unknown skill area '%s'; AREA for %s is one of: %s",
                  arg, spec->code, b.data ? b.data : "");
    buf_free(&b);
    return NULL;
}

/* Writes text output (or reports the write error) and frees the buf. */
static int finish_text(buf *b, int status)
{
    int rc = cli_write(b, stdout);
    buf_free(b);
    return rc ? rc : status;
}

/* ---- page layout: texts with their identifiers in a right-hand margin ---- */

typedef struct page {
    buf *out;
    const catalog *c;
    int text_w;                /* columns for the text; the id follows */
} page;

#define ID_MARGIN 26

/* Sets up a page of width columns writing into out. */
static void page_init(page *pg, buf *out, const catalog *c, int width)
{
    pg->out = out;
    pg->c = c;
    pg->text_w = width - ID_MARGIN - 2;
    if (pg->text_w < 30)
        pg->text_w = 30;
}

/* Appends text wrapped behind the marks first/next, with id (may be NULL) to the
 * right of its first line. */
static void page_entry(page *pg, const char *first, const char *next, const char *text, const char *id)
{
    buf tmp;
    buf_init(&tmp);
    cli_wrap(&tmp, first, next, text, pg->text_w);
    const char *nl = strchr(tmp.data, '\n');
    size_t n = nl ? (size_t)(nl - tmp.data) : tmp.len;
    if (id && *id) {
        char *line = strndup(tmp.data, n);
        buf_pad(pg->out, line ? line : "", pg->text_w);
        buf_printf(pg->out, "  %s\n", id);
        free(line);
        buf_puts(pg->out, nl ? nl + 1 : "");
    } else {
        buf_puts(pg->out, tmp.data);
    }
    buf_free(&tmp);
}

/* Spaces as wide as mark, for the lines that continue a marked text. */
static const char *indent_for(const char *mark)
{
    static const char spaces[] = "        ";
    int w = text_width(mark);
    if (w > 8)
        w = 8;
    return spaces + 8 - w;
}

/* The catalog notes about id (slips kept as written), marked ※. */
static void page_notes(page *pg, const char *id)
{
    for (size_t i = 0; id && i < catalog_note_count(pg->c); i++) {
        const catalog_note *n = catalog_note_at(pg->c, i);
        if (n->about && strcmp(n->about, id) == 0)
            page_entry(pg, "  ※ ", "     ", n->text, n->id);
    }
}

/* A text with its list mark, then the catalog notes about it. */
static void page_marked(page *pg, const char *mark, const char *text, const char *id)
{
    page_entry(pg, mark, indent_for(mark), text, id);
    page_notes(pg, id);
}

/* ---- list ---- */

/* {id, code, name} of a specialization or common block; a new reference. */
static json_t *json_spec_ref(const catalog_spec *s)
{
    return json_pack("{s:o, s:o, s:o}", "id", jstr(s->id), "code", jstr(s->code), "name", jstr(s->name));
}

/* {id, code, name, kind} of a skill area; a new reference. */
static json_t *json_area_ref(const catalog_area *a)
{
    return json_pack("{s:o, s:o, s:o, s:s}", "id", jstr(a->id), "code", jstr(a->code), "name", jstr(a->name),
                     "kind", a->is_specific ? "specific" : "common");
}

/* The levels marked in have[] as a JSON array of numbers. */
static json_t *json_level_list(const int *have)
{
    json_t *arr = json_array();
    for (int l = 0; l < MAX_LEVEL; l++)
        if (have[l])
            json_array_append_new(arr, json_integer(l));
    return arr;
}

/* Which catalog answered: id, version, title and where it was loaded from. */
static json_t *json_catalog_ref(const catalog *c)
{
    return json_pack("{s:o, s:o, s:o, s:o}", "id", jstr(catalog_id(c)), "version", jstr(catalog_version(c)),
                     "title", jstr(catalog_title(c)), "file", jstr(catalog_name(c)));
}

/* itss catalog list --json */
static int list_json(const ctx *x)
{
    const catalog *c = x->c;
    json_t *root = json_object(), *specs = json_array(), *areas = json_array();

    json_object_set_new(root, "catalog", json_catalog_ref(c));
    json_object_set_new(root, "job_category",
                        json_pack("{s:o, s:o}", "id", jstr(catalog_job_id(c)), "name", jstr(catalog_job_name(c))));
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        const catalog_spec *blocks[16];
        size_t nb = catalog_commons_of(c, s, blocks, 16);
        int own[MAX_LEVEL], common[MAX_LEVEL], all[MAX_LEVEL];
        spec_levels(c, s, own, common);
        for (int l = 0; l < MAX_LEVEL; l++)
            all[l] = own[l] | common[l];
        json_t *js = json_spec_ref(s), *jc = json_array(), *ja = json_array();
        json_object_set_new(js, "levels", json_level_list(all));
        for (size_t b = 0; b < nb; b++) {
            int bl[MAX_LEVEL] = { 0 };
            for (size_t k = 0; k < blocks[b]->n_levels; k++)
                if (blocks[b]->levels[k].level >= 0 && blocks[b]->levels[k].level < MAX_LEVEL)
                    bl[blocks[b]->levels[k].level] = 1;
            json_t *jb = json_spec_ref(blocks[b]);
            json_object_set_new(jb, "levels", json_level_list(bl));
            json_array_append_new(jc, jb);
        }
        json_object_set_new(js, "common_levels", jc);
        for (size_t a = 0; a < catalog_area_count(c); a++)
            if (spec_has_area(c, s, catalog_area_at(c, a)))
                json_array_append_new(ja, json_string(catalog_area_at(c, a)->id));
        json_object_set_new(js, "skill_areas", ja);
        json_array_append_new(specs, js);
    }
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_area *area = catalog_area_at(c, a);
        json_t *ja = json_area_ref(area), *in = json_array();
        for (size_t i = 0; i < catalog_spec_count(c); i++)
            if (spec_has_area(c, catalog_spec_at(c, i), area))
                json_array_append_new(in, json_string(catalog_spec_at(c, i)->id));
        json_object_set_new(ja, "specializations", in);
        json_array_append_new(areas, ja);
    }
    json_object_set_new(root, "specializations", specs);
    json_object_set_new(root, "skill_areas", areas);
    return cli_print_json(root);
}

/* itss catalog list: the specializations and the skill areas as two tables. */
static int cmd_list(const ctx *x)
{
    const catalog *c = x->c;
    buf out, cell;
    cli_table t;

    if (x->args->json)
        return list_json(x);
    buf_init(&out);
    buf_init(&cell);
    buf_printf(&out, "%s (%s %s)\n", catalog_title(c), catalog_id(c), catalog_version(c));
    buf_printf(&out, "職種: %s (%s)\n\n", catalog_job_name(c), catalog_job_id(c));

    buf_puts(&out, "専門分野\n");
    const char *sh[] = { "コード", "専門分野", "レベル", "共通レベル" };
    cli_table_init(&t, 4, sh);
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        const catalog_spec *blocks[16];
        size_t nb = catalog_commons_of(c, s, blocks, 16);
        char *levels = levels_text(c, s);
        buf_reset(&cell);
        for (size_t b = 0; b < nb; b++) {
            int bl[MAX_LEVEL] = { 0 };
            for (size_t k = 0; k < blocks[b]->n_levels; k++)
                if (blocks[b]->levels[k].level >= 0 && blocks[b]->levels[k].level < MAX_LEVEL)
                    bl[blocks[b]->levels[k].level] = 1;
            if (b)
                buf_puts(&cell, "\n");
            buf_puts(&cell, "レベル");
            put_ranges(&cell, bl, 0, MAX_LEVEL - 1);
            buf_printf(&cell, " %s (%s)", blocks[b]->name, blocks[b]->code);
        }
        const char *row[] = { s->code, s->name, levels, cell.len ? cell.data : "" };
        cli_table_add(&t, row);
        free(levels);
    }
    cli_table_render(&t, &out, x->width);
    cli_table_free(&t);

    buf_puts(&out, "\nスキル領域\n");
    const char *ah[] = { "コード", "スキル領域", "種別", "専門分野" };
    cli_table_init(&t, 4, ah);
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_area *area = catalog_area_at(c, a);
        buf_reset(&cell);
        for (size_t i = 0, n = 0; i < catalog_spec_count(c); i++)
            if (spec_has_area(c, catalog_spec_at(c, i), area))
                buf_printf(&cell, "%s%s", n++ ? " " : "", catalog_spec_at(c, i)->code);
        const char *row[] = { area->code, area->name, area_kind_label(area), cell.len ? cell.data : "" };
        cli_table_add(&t, row);
    }
    cli_table_render(&t, &out, x->width);
    cli_table_free(&t);
    buf_free(&cell);
    return finish_text(&out, CLI_OK);
}

/* ---- show ---- */

/* Adds to arr every catalog note about id. */
static void json_notes_about(const catalog *c, const char *id, json_t *arr)
{
    for (size_t i = 0; id && i < catalog_note_count(c); i++) {
        const catalog_note *n = catalog_note_at(c, i);
        if (n->about && strcmp(n->about, id) == 0)
            json_array_append_new(arr, json_pack("{s:o, s:o, s:o}", "id", jstr(n->id), "about", jstr(n->about),
                                                 "text", jstr(n->text)));
    }
}

/* Items as [{id, text}]; the catalog notes about them go into notes. */
static json_t *json_items(const catalog *c, const catalog_item *items, size_t n, json_t *notes)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, json_pack("{s:o, s:o}", "id", jstr(items[i].id), "text", jstr(items[i].text)));
        json_notes_about(c, items[i].id, notes);
    }
    return arr;
}

/* A level's achievement indicators as JSON, in the catalog format's shape. */
static json_t *json_level_body(const catalog *c, const catalog_level *lv, json_t *notes)
{
    json_t *o = json_object();
    json_object_set_new(o, "responsibility", json_pack("{s:o, s:o}", "id", jstr(lv->responsibility.id),
                                                       "text", jstr(lv->responsibility.text)));
    json_notes_about(c, lv->responsibility.id, notes);
    for (int k = 0; k < CRITERION_KINDS; k++) {
        const catalog_criterion *cr = &lv->criteria[k];
        json_t *jc = json_pack("{s:o, s:s, s:o}", "id", jstr(cr->id),
                               "label", catalog_criterion_label((catalog_criterion_kind)k), "lead", jstr(cr->lead));
        json_notes_about(c, cr->id, notes);
        json_object_set_new(jc, "items", json_items(c, cr->items, cr->n_items, notes));
        json_object_set_new(jc, "notes", json_items(c, cr->notes, cr->n_notes, notes));
        json_object_set_new(o, catalog_criterion_key((catalog_criterion_kind)k), jc);
    }
    return o;
}

/* itss catalog show SPEC LEVEL --json */
static int show_json(const ctx *x, const catalog_spec *spec, const catalog_level *lv)
{
    const catalog *c = x->c;
    json_t *notes = json_array();
    json_t *root = json_object(), *prof = json_array();

    json_object_set_new(root, "specialization", json_spec_ref(spec));
    json_object_set_new(root, "level", json_integer(lv->level));
    json_object_set_new(root, "id", jstr(lv->id));
    json_object_set_new(root, "common_levels", lv->owner != spec ? json_spec_ref(lv->owner) : json_null());
    json_object_set_new(root, "achievement", json_level_body(c, lv, notes));
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_area *area = catalog_area_at(c, a);
        const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, lv->level);
        const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, lv->level) : NULL;
        if (!spec_has_area(c, spec, area))
            continue;
        json_t *jp = json_pack("{s:o, s:o, s:o}", "area", json_area_ref(area),
                               "id", jstr(p ? p->id : NULL), "text", jstr(p ? p->text : NULL));
        json_array_append_new(prof, jp);
        if (p)
            json_notes_about(c, p->id, notes);
    }
    json_object_set_new(root, "proficiency", prof);
    json_object_set_new(root, "notes", notes);
    return cli_print_json(root);
}

/* itss catalog show SPEC LEVEL: the standard's page for one level, then the
 * proficiency of each skill area at that level. */
static int cmd_show(const ctx *x)
{
    const catalog *c = x->c;
    const catalog_spec *spec = find_spec(x, x->args->pos[1]);
    int level = spec ? find_level(x, spec, x->args->pos[2]) : 0;
    if (!level)
        return CLI_USAGE;
    const catalog_level *lv = catalog_level_of(c, spec, level);
    if (x->args->json)
        return show_json(x, spec, lv);

    buf out, head;
    page pg;
    buf_init(&out);
    buf_init(&head);
    page_init(&pg, &out, c, x->width);

    buf_printf(&head, "%sの達成度指標", catalog_job_name(c));
    page_entry(&pg, "", "", head.data, NULL);
    buf_reset(&head);
    buf_printf(&head, "%s レベル%d", spec->name, level);
    page_marked(&pg, "●", head.data, lv->id);
    if (lv->owner != spec) {
        buf_reset(&head);
        buf_printf(&head, "（%sのレベル: %s）", lv->owner->name, lv->owner->id);
        page_entry(&pg, "", "", head.data, NULL);
    }
    buf_putc(&out, '\n');

    page_marked(&pg, "●", "責任性：", lv->responsibility.id);
    page_marked(&pg, "－", lv->responsibility.text, NULL);
    for (int k = 0; k < CRITERION_KINDS; k++) {
        const catalog_criterion *cr = &lv->criteria[k];
        buf_reset(&head);
        buf_printf(&head, "%s：", catalog_criterion_label((catalog_criterion_kind)k));
        buf_putc(&out, '\n');
        page_marked(&pg, "●", head.data, cr->id);
        page_marked(&pg, "－", cr->lead, NULL);
        for (size_t i = 0; i < cr->n_items; i++)
            page_marked(&pg, "□", cr->items[i].text, cr->items[i].id);
        for (size_t i = 0; i < cr->n_notes; i++)
            page_marked(&pg, "", cr->notes[i].text, cr->notes[i].id);
    }

    buf_reset(&head);
    buf_printf(&head, "\n%sのスキル熟達度 (%s レベル%d)\n", catalog_job_name(c), spec->name, level);
    buf_puts(&out, head.data);
    int last_kind = -1;
    for (size_t a = 0; a < catalog_area_count(c); a++) {
        const catalog_area *area = catalog_area_at(c, a);
        if (!spec_has_area(c, spec, area))
            continue;
        const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, level);
        const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, level) : NULL;
        if (area->is_specific != last_kind) {
            buf_printf(&out, "\n%sスキル項目\n", area->is_specific ? "専門分野固有" : "職種共通");
            last_kind = area->is_specific;
        }
        buf_putc(&out, '\n');
        page_marked(&pg, "●", area->name, p ? p->id : NULL);
        if (p)
            page_marked(&pg, "", p->text, NULL);
        else
            page_entry(&pg, "", "", "（このレベルのスキル熟達度はありません）", NULL);
    }
    buf_free(&head);
    return finish_text(&out, CLI_OK);
}

/* ---- area ---- */


/* Appends the levels a spec area gives proficiency for, as ranges ("3-5"). */
static void put_sa_levels(buf *b, const catalog_spec_area *sa)
{
    int have[MAX_LEVEL] = { 0 };
    for (size_t i = 0; i < sa->n_proficiency; i++)
        if (sa->proficiency[i].level >= 0 && sa->proficiency[i].level < MAX_LEVEL)
            have[sa->proficiency[i].level] = 1;
    put_ranges(b, have, 0, MAX_LEVEL - 1);
}

/* itss catalog area SPEC AREA --json */
static int area_json(const ctx *x, const catalog_spec *spec, const catalog_area *area)
{
    const catalog *c = x->c;
    const catalog_spec_area *sas[17];
    size_t n = catalog_spec_area_blocks(c, spec, area, sas, 17);
    json_t *root = json_object(), *prof = json_array(), *know = json_array(), *notes = json_array();
    json_t *ja = json_area_ref(area);

    json_object_set_new(ja, "description", jstr(area->description));
    json_notes_about(c, area->id, notes);
    json_object_set_new(root, "specialization", json_spec_ref(spec));
    json_object_set_new(root, "area", ja);
    for (int l = catalog_level_max(c); l >= catalog_level_min(c); l--) {
        const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, l);
        const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, l) : NULL;
        if (!p)
            continue;
        json_array_append_new(prof, json_pack("{s:i, s:o, s:o, s:o}", "level", l, "id", jstr(p->id),
                                              "text", jstr(p->text), "from", jstr(sa->id)));
        json_notes_about(c, p->id, notes);
    }
    for (size_t i = 0; i < n; i++) {
        const catalog_spec_area *sa = sas[i];
        json_t *cats = json_array();
        for (size_t k = 0; k < sa->n_knowledge; k++) {
            const catalog_knowledge_category *kc = &sa->knowledge[k];
            json_notes_about(c, kc->id, notes);
            json_array_append_new(cats, json_pack("{s:o, s:o, s:o}", "id", jstr(kc->id), "name", jstr(kc->name),
                                                  "items", json_items(c, kc->items, kc->n_items, notes)));
        }
        json_array_append_new(know, json_pack("{s:o, s:o, s:o}", "id", jstr(sa->id), "owner",
                                              json_spec_ref(sa->owner), "categories", cats));
    }
    json_object_set_new(root, "proficiency", prof);
    json_object_set_new(root, "knowledge", know);
    json_object_set_new(root, "notes", notes);
    return cli_print_json(root);
}

/* itss catalog area SPEC AREA: description, proficiency by level (highest
 * first), knowledge categories and items. */
static int cmd_area(const ctx *x)
{
    const catalog *c = x->c;
    const catalog_spec *spec = find_spec(x, x->args->pos[1]);
    const catalog_area *area = spec ? find_area(x, spec, x->args->pos[2]) : NULL;
    if (!area)
        return CLI_USAGE;
    if (x->args->json)
        return area_json(x, spec, area);

    const catalog_spec_area *sas[17];
    size_t n = catalog_spec_area_blocks(c, spec, area, sas, 17);
    int lo, hi;
    buf out, head;
    page pg;

    catalog_spec_level_range(c, spec, &lo, &hi);
    buf_init(&out);
    buf_init(&head);
    page_init(&pg, &out, c, x->width);
    buf_printf(&head, "%s  %s（%sスキル項目）", spec->name, area->name, area_kind_label(area));
    page_entry(&pg, "●", "  ", head.data, area->id);
    page_entry(&pg, "", "", area->description, NULL);
    page_notes(&pg, area->id);

    buf_puts(&out, "\nスキル熟達度\n");
    for (int l = catalog_level_max(c); l >= catalog_level_min(c); l--) {
        const catalog_spec_area *sa = catalog_spec_area_of(c, spec, area, l);
        const catalog_proficiency *p = sa ? catalog_proficiency_at(sa, l) : NULL;
        if (!p && (l < lo || l > hi))
            continue;
        buf_reset(&head);
        buf_printf(&head, "レベル%d", l);
        if (sa && sa->owner != spec)
            buf_printf(&head, "（%s）", sa->owner->name);
        buf_putc(&out, '\n');
        page_marked(&pg, "", head.data, p ? p->id : NULL);
        if (p)
            page_marked(&pg, "", p->text, NULL);
        else
            page_entry(&pg, "", "", "（このレベルのスキル熟達度はありません）", NULL);
    }

    for (size_t i = 0; i < n; i++) {
        const catalog_spec_area *sa = sas[i];
        buf_reset(&head);
        buf_puts(&head, "知識項目（");
        if (sa->owner != spec)
            buf_printf(&head, "%s ", sa->owner->name);
        buf_puts(&head, "レベル");
        put_sa_levels(&head, sa);
        buf_puts(&head, "）");
        buf_putc(&out, '\n');
        page_entry(&pg, "", "", head.data, sa->id);
        for (size_t k = 0; k < sa->n_knowledge; k++) {
            const catalog_knowledge_category *kc = &sa->knowledge[k];
            page_marked(&pg, "－", kc->name, kc->id);
            for (size_t j = 0; j < kc->n_items; j++)
                page_marked(&pg, "・", kc->items[j].text, kc->items[j].id);
        }
    }
    buf_free(&head);
    return finish_text(&out, CLI_OK);
}

/* ---- search ---- */


/* Appends where element e stands: "ハードウェア レベル5 複雑性". */
static void put_place(buf *b, const catalog *c, const catalog_element *e)
{
    const catalog_spec *s = e->spec;
    const char *spec = s ? s->name : "";
    int level = e->level ? e->level->level : e->proficiency ? e->proficiency->level : 0;
    const char *area = e->area ? e->area->name : "";

    switch (e->kind) {
    case CK_JOB:
        buf_printf(b, "職種 %s", catalog_job_name(c));
        break;
    case CK_AREA:
        buf_printf(b, "スキル領域 %s", area);
        break;
    case CK_SPEC:
        buf_printf(b, "%s %s", s && s->is_common ? "共通レベル" : "専門分野", spec);
        break;
    case CK_LEVEL:
        buf_printf(b, "%s レベル%d", spec, level);
        break;
    case CK_RESPONSIBILITY:
        buf_printf(b, "%s レベル%d 責任性", spec, level);
        break;
    case CK_CRITERION:
    case CK_CHECK_ITEM:
    case CK_CRITERION_NOTE:
        buf_printf(b, "%s レベル%d %s", spec, level,
                   e->criterion ? catalog_criterion_label(e->criterion->kind) : "");
        break;
    case CK_SPEC_AREA:
        buf_printf(b, "%s %s", spec, area);
        break;
    case CK_PROFICIENCY:
        buf_printf(b, "%s %s レベル%d スキル熟達度", spec, area, level);
        break;
    case CK_KNOWLEDGE_CATEGORY:
        buf_printf(b, "%s %s 知識項目", spec, area);
        break;
    case CK_KNOWLEDGE_ITEM:
        buf_printf(b, "%s %s 知識項目 %s", spec, area, e->category ? e->category->name : "");
        break;
    case CK_NOTE:
        buf_printf(b, "注記 (%s)", e->note && e->note->about ? e->note->about : "");
        break;
    case CK_NONE:
        break;
    }
}

/* itss catalog search TEXT: elements whose folded text contains the folded TEXT. */
static int cmd_search(const ctx *x)
{
    const catalog *c = x->c;
    const char *query = x->args->pos[1];
    char *fq = text_fold(query);
    size_t found = 0;
    json_t *results = json_array();
    cli_table t;
    buf place;

    if (!fq) {
        json_decref(results);
        cli_error(x->prog, "TEXT is not valid UTF-8");
        return CLI_USAGE;
    }
    if (*fq == '\0') {
        free(fq);
        json_decref(results);
        return cli_usage_error(x->prog, catalog_usage, "TEXT is empty");
    }
    const char *th[] = { "ID", "場所", "テキスト" };
    cli_table_init(&t, 3, th);
    buf_init(&place);
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *e = catalog_element_at(c, i);
        const char *text = catalog_element_text(e);
        char *ft = text ? text_fold(text) : NULL;
        if (ft && strstr(ft, fq)) {
            buf_reset(&place);
            put_place(&place, c, e);
            const char *row[] = { e->id, place.data, text };
            cli_table_add(&t, row);
            json_array_append_new(results, json_pack("{s:o, s:s, s:o, s:o}", "id", jstr(e->id),
                                                     "kind", catalog_kind_name(e->kind), "place", jstr(place.data),
                                                     "text", jstr(text)));
            found++;
        }
        free(ft);
    }
    free(fq);
    buf_free(&place);

    int status = found ? CLI_OK : CLI_NOT_FOUND;
    int rc;
    if (x->args->json) {
        json_t *root = json_pack("{s:s, s:I, s:o}", "query", query, "count", (json_int_t)found,
                                 "results", results);
        rc = cli_print_json(root);
    } else {
        buf out;
        buf_init(&out);
        if (found) {
            cli_table_render(&t, &out, x->width);
            buf_printf(&out, "%zu element%s found\n", found, found == 1 ? "" : "s");
        }
        json_decref(results);
        rc = finish_text(&out, status);
        if (!found)
            cli_error(x->prog, "nothing contains '%s'", query);
    }
    cli_table_free(&t);
    return rc ? rc : status;
}

/* ---- export ---- */

/* Items as the catalog format writes them: [{id, text}]. */
static json_t *export_items(const catalog_item *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:o, s:o}", "id", jstr(items[i].id), "text", jstr(items[i].text)));
    return arr;
}

/* A LEVEL object of the catalog format. */
static json_t *export_level(const catalog_level *lv)
{
    json_t *o = json_pack("{s:o, s:i, s:{s:o, s:o}}", "id", jstr(lv->id), "level", lv->level,
                          "responsibility", "id", jstr(lv->responsibility.id), "text", jstr(lv->responsibility.text));
    for (int k = 0; k < CRITERION_KINDS; k++) {
        const catalog_criterion *cr = &lv->criteria[k];
        json_t *jc = json_pack("{s:o, s:o, s:o}", "id", jstr(cr->id), "lead", jstr(cr->lead),
                               "items", export_items(cr->items, cr->n_items));
        if (cr->n_notes)
            json_object_set_new(jc, "notes", export_items(cr->notes, cr->n_notes));
        json_object_set_new(o, catalog_criterion_key((catalog_criterion_kind)k), jc);
    }
    return o;
}

/* A SPEC_AREA object of the catalog format. */
static json_t *export_spec_area(const catalog_spec_area *sa)
{
    json_t *prof = json_array(), *know = json_array();
    for (size_t i = 0; i < sa->n_proficiency; i++) {
        const catalog_proficiency *p = &sa->proficiency[i];
        json_array_append_new(prof, json_pack("{s:o, s:i, s:o}", "id", jstr(p->id), "level", p->level,
                                              "text", jstr(p->text)));
    }
    for (size_t k = 0; k < sa->n_knowledge; k++) {
        const catalog_knowledge_category *kc = &sa->knowledge[k];
        json_array_append_new(know, json_pack("{s:o, s:o, s:o}", "id", jstr(kc->id), "name", jstr(kc->name),
                                              "items", export_items(kc->items, kc->n_items)));
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "area", jstr(sa->area ? sa->area->id : NULL), "id", jstr(sa->id),
                     "proficiency", prof, "knowledge", know);
}

/* The levels and skill areas of a specialization or common block. */
static void export_spec_body(json_t *o, const catalog_spec *s)
{
    json_t *levels = json_array(), *areas = json_array();
    for (size_t i = 0; i < s->n_levels; i++)
        json_array_append_new(levels, export_level(&s->levels[i]));
    for (size_t i = 0; i < s->n_areas; i++)
        json_array_append_new(areas, export_spec_area(&s->areas[i]));
    json_object_set_new(o, "levels", levels);
    json_object_set_new(o, "skill_areas", areas);
}

/* The whole catalog as the catalog format (docs/catalog-format.md). */
static json_t *export_catalog(const catalog *c)
{
    json_t *root = json_pack("{s:s, s:i, s:o, s:o, s:o}", "format", "itss-catalog", "format_version", 1,
                             "id", jstr(catalog_id(c)), "version", jstr(catalog_version(c)),
                             "title", jstr(catalog_title(c)));
    json_t *areas = json_array(), *specs = json_array();

    json_t *source = json_pack("{s:o, s:o}", "document", jstr(catalog_source_document(c)),
                               "publisher", jstr(catalog_source_publisher(c)));
    if (catalog_source_file(c)) json_object_set_new(source, "file", jstr(catalog_source_file(c)));
    json_object_set_new(root, "source", source);
    json_object_set_new(root, "level_range",
                        json_pack("{s:i, s:i}", "min", catalog_level_min(c), "max", catalog_level_max(c)));
    json_object_set_new(root, "job_category", json_pack("{s:o, s:o, s:o}", "id", jstr(catalog_job_id(c)),
                                                        "name", jstr(catalog_job_name(c)),
                                                        "overview", jstr(catalog_job_overview(c))));
    for (size_t i = 0; i < catalog_area_count(c); i++) {
        const catalog_area *a = catalog_area_at(c, i);
        json_array_append_new(areas, json_pack("{s:o, s:o, s:o, s:s, s:o}", "id", jstr(a->id), "code", jstr(a->code),
                                               "name", jstr(a->name), "kind", a->is_specific ? "specific" : "common",
                                               "description", jstr(a->description)));
    }
    json_object_set_new(root, "skill_areas", areas);
    for (size_t i = 0; i < catalog_spec_count(c); i++) {
        const catalog_spec *s = catalog_spec_at(c, i);
        json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "id", jstr(s->id), "code", jstr(s->code),
                              "name", jstr(s->name), "description", jstr(s->description));
        export_spec_body(o, s);
        json_array_append_new(specs, o);
    }
    json_object_set_new(root, "specializations", specs);
    if (catalog_common_count(c)) {
        json_t *commons = json_array();
        for (size_t i = 0; i < catalog_common_count(c); i++) {
            const catalog_spec *s = catalog_common_at(c, i);
            json_t *by = json_array();
            for (size_t j = 0; j < s->n_shared_by; j++)
                json_array_append_new(by, jstr(s->shared_by[j]->id));
            json_t *o = json_pack("{s:o, s:o, s:o, s:o}", "id", jstr(s->id), "code", jstr(s->code),
                                  "name", jstr(s->name), "shared_by", by);
            export_spec_body(o, s);
            json_array_append_new(commons, o);
        }
        json_object_set_new(root, "common_levels", commons);
    }
    if (catalog_note_count(c)) {
        json_t *notes = json_array();
        for (size_t i = 0; i < catalog_note_count(c); i++) {
            const catalog_note *n = catalog_note_at(c, i);
            json_array_append_new(notes, json_pack("{s:o, s:o, s:o}", "id", jstr(n->id), "about", jstr(n->about),
                                                   "text", jstr(n->text)));
        }
        json_object_set_new(root, "notes", notes);
    }
    return root;
}

/* One CSV row per element: id,kind,specialization,level,area,text; with a BOM
 * and CRLF so that Excel in Japan opens it as UTF-8. */
static void export_csv(buf *out, const catalog *c)
{
    buf_puts(out, "\xEF\xBB\xBF" "id,kind,specialization,level,area,text\r\n");
    for (size_t i = 0; i < catalog_element_count(c); i++) {
        const catalog_element *e = catalog_element_at(c, i);
        int level = e->level ? e->level->level : e->proficiency ? e->proficiency->level : 0;
        const char *text = catalog_element_text(e);
        buf_csv_field(out, e->id);
        buf_putc(out, ',');
        buf_csv_field(out, catalog_kind_name(e->kind));
        buf_putc(out, ',');
        buf_csv_field(out, e->spec ? e->spec->code : "");
        buf_putc(out, ',');
        if (level)
            buf_printf(out, "%d", level);
        buf_putc(out, ',');
        buf_csv_field(out, e->area ? e->area->code : "");
        buf_putc(out, ',');
        buf_csv_field(out, text ? text : "");
        buf_puts(out, "\r\n");
    }
}

/* The time every object of a CASE package was last changed: now, or
 * SOURCE_DATE_EPOCH when set (reproducible output), as YYYY-MM-DDThh:mm:ssZ. */
static void case_changed(char out[32])
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    time_t t = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* itss catalog export [--format json|csv|case|moodle] [--base-uri URL] */
static int cmd_export(const ctx *x)
{
    const char *format = x->format ? x->format : "json";
    if (x->base_uri && strcmp(format, "case") != 0)
        return cli_usage_error(x->prog, catalog_usage, "--base-uri is only for --format case");
    if (strcmp(format, "json") == 0)
        return cli_print_json(export_catalog(x->c));
    if (strcmp(format, "case") == 0) {
        char changed[32];
        const char *base = x->base_uri;
        if (base && strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
            return cli_usage_error(x->prog, catalog_usage, "--base-uri must be an http:// or https:// URL, not '%s'",
                                   base);
        char *trimmed = base ? strdup(base) : NULL;
        if (trimmed) {
            size_t n = strlen(trimmed);
            while (n > 0 && trimmed[n - 1] == '/')
                trimmed[--n] = '\0';
        }
        case_changed(changed);
        int rc = cli_print_json(catalog_case_package(x->c, trimmed, changed));
        free(trimmed);
        return rc;
    }
    if (strcmp(format, "csv") != 0 && strcmp(format, "moodle") != 0)
        return cli_usage_error(x->prog, catalog_usage, "unknown format '%s'; --format is json, csv, case or moodle",
                               format);
    if (x->args->json)
        return cli_usage_error(x->prog, catalog_usage, "--json and --format %s contradict each other", format);
    buf out;
    buf_init(&out);
    if (strcmp(format, "moodle") == 0)
        catalog_moodle_csv(&out, x->c);
    else
        export_csv(&out, x->c);
    return finish_text(&out, CLI_OK);
}

/* ---- validate ---- */

/* itss catalog validate FILE: every error, or "FILE: ok (N elements)". */
static int cmd_validate(const ctx *x)
{
    const char *path = x->args->pos[1];
    err_list *errors = calloc(1, sizeof *errors);
    if (!errors) {
        cli_error(x->prog, "out of memory");
        return CLI_USAGE;
    }
    catalog *c = catalog_load_file(path, errors);
    int status = c ? CLI_OK : CLI_USAGE, rc;

    if (x->args->json) {
        json_t *list = json_array();
        for (size_t i = 0; i < errors->count; i++) {
            const err *e = &errors->items[i];
            char line[1200];
            json_array_append_new(list, json_pack("{s:s, s:i, s:i, s:s, s:s, s:s}", "file", e->where,
                                                  "line", e->line, "column", e->column, "path", e->path,
                                                  "message", e->message, "text", err_format(e, line, sizeof line)));
        }
        json_t *root = json_pack("{s:s, s:b, s:I, s:o, s:I}", "file", path, "valid", c != NULL,
                                 "elements", (json_int_t)(c ? catalog_element_count(c) : 0),
                                 "errors", list, "errors_not_shown", (json_int_t)errors->dropped);
        rc = cli_print_json(root);
    } else if (c) {
        buf out;
        buf_init(&out);
        buf_printf(&out, "%s: ok (%zu elements)\n", path, catalog_element_count(c));
        rc = finish_text(&out, CLI_OK);
    } else {
        cli_print_errors(errors);
        rc = CLI_OK;
    }
    catalog_free(c);
    free(errors);
    return rc ? rc : status;
}

/* ---- dispatch ---- */

typedef struct subcommand {
    const char *name;
    const char *args;          /* positional arguments, for messages */
    int n_args;
    int needs_catalog;
    int (*run)(const ctx *x);
} subcommand;

static const subcommand subcommands[] = {
    { "list", "", 0, 1, cmd_list },
    { "show", "SPEC LEVEL", 2, 1, cmd_show },
    { "area", "SPEC AREA", 2, 1, cmd_area },
    { "search", "TEXT", 1, 1, cmd_search },
    { "export", "", 0, 1, cmd_export },
    { "validate", "FILE", 1, 0, cmd_validate },
};

/* itss catalog SUBCOMMAND ...: parses the options, loads the catalog, runs. */
int cli_catalog_main(const cli_command *cmd, int argc, char **argv)
{
    const char *format = NULL, *base_uri = NULL;
    const cli_option extra[] = { { "--format", &format, NULL }, { "--base-uri", &base_uri, NULL },
                                 { NULL, NULL, NULL } };
    cli_args a;
    char prog[64];

    if (cli_parse(PROG, catalog_usage, argc - 1, argv + 1, extra, &a) != CLI_OK)
        return CLI_USAGE;
    if (a.help) {
        buf b;
        buf_init(&b);
        buf_puts(&b, cmd->help);
        return finish_text(&b, CLI_OK);
    }
    if (a.n_pos == 0)
        return cli_usage_error(PROG, catalog_usage, "no subcommand given");

    const subcommand *sub = NULL;
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(subcommands[i].name, a.pos[0]) == 0)
            sub = &subcommands[i];
    if (!sub)
        return cli_usage_error(PROG, catalog_usage, "unknown subcommand '%s'", a.pos[0]);
    snprintf(prog, sizeof prog, PROG " %s", sub->name);
    a.prog = prog;
    if ((format || base_uri) && sub->run != cmd_export)
        return cli_usage_error(prog, catalog_usage, "option '%s' is only for 'itss catalog export'",
                               format ? "--format" : "--base-uri");
    if (a.n_pos - 1 != sub->n_args) {
        if (a.n_pos - 1 > sub->n_args)
            return cli_usage_error(prog, catalog_usage, "unexpected argument '%s' (usage: %s %s)",
                                   a.pos[sub->n_args + 1], prog, sub->args);
        return cli_usage_error(prog, catalog_usage, "missing argument (usage: %s %s)", prog, sub->args);
    }

    ctx x = { prog, &a, format, base_uri, NULL, cli_term_width() };
    if (sub->needs_catalog && !(x.c = cli_load_catalog(&a)))
        return CLI_USAGE;
    int rc = sub->run(&x);
    catalog_free(x.c);
    return rc;
}
