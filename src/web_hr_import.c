/* web_hr_import.c - HR's CSV import page (/hr/import): people, assessment
 * answers and experience records, with a template of each kind. The import is
 * the one `itss import` runs (import.h), one transaction: a file with errors
 * writes nothing and its errors are listed by line in the request's language.
 *
 * People are previewed first: the upload runs as a dry run and the page lists
 * exactly what the import would change (people added, each field updated old
 * → new, people leaving or back), with a button that imports that same file
 * (carried in the page, base64, not kept on the server). With "full list" the
 * people the file does not list leave today. */
#include "web.h"
#include "web_hr_data.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHANGES_SHOWN 2000     /* rows of the changes table; the rest are counted */

static const char *const kinds[] = { "people", "assessments", "experience" };

/* A number as text in request memory. */
static const char *num_text(web_request *r, long long n)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", n);
    return web_strdup(r, text);
}

/* The upload form, with the choices made before kept. */
static void import_form(web_request *r, const char *kind, const char *encoding, int dry_run, int full)
{
    html_printf(r->out, "<form method=\"post\" action=\"/hr/import\" enctype=\"multipart/form-data\" class=\"card\">\n");
    html_csrf_field(r);
    html_select_begin(r, "kind", web_t(r, "hr.import.kind"), NULL, 0);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char key[40];
        snprintf(key, sizeof key, "hr.import.kind.%s", kinds[i]);
        html_option(r, kinds[i], web_t(r, key), kind && strcmp(kind, kinds[i]) == 0);
    }
    html_select_end(r, "kind", NULL);
    html_field(r, &(html_input){ .type = "file", .name = "file", .label = web_t(r, "hr.import.file"),
                                 .hint = web_t(r, "hr.import.file_hint"), .required = 1 });
    html_select_begin(r, "encoding", web_t(r, "hr.import.encoding"), NULL, 0);
    static const char *const encodings[] = { "auto", "utf-8", "cp932" };
    for (size_t i = 0; i < 3; i++) {
        char key[40];
        snprintf(key, sizeof key, "hr.import.encoding.%s", encodings[i]);
        html_option(r, encodings[i], web_t(r, key), encoding && strcmp(encoding, encodings[i]) == 0);
    }
    html_select_end(r, "encoding", NULL);
    html_printf(r->out, "<div class=\"choice\"><input type=\"checkbox\" id=\"f-full\" name=\"full\" value=\"1\"%s "
                        "aria-describedby=\"h-full\"><label for=\"f-full\">%s</label></div>\n"
                        "<p class=\"hint\" id=\"h-full\">%s</p>\n",
                full ? " checked" : "", web_t(r, "hr.import.full"), web_t(r, "hr.import.full_hint"));
    html_printf(r->out, "<div class=\"choice\"><input type=\"checkbox\" id=\"f-dry_run\" name=\"dry_run\" value=\"1\"%s>"
                        "<label for=\"f-dry_run\">%s</label></div>\n",
                dry_run ? " checked" : "", web_t(r, "hr.import.dry_run"));
    html_submit(r, web_t(r, "hr.import.submit"));
    html_raw(r->out, "</form>\n");
}

/* The import page's frame: the heading, what an import does and the templates. */
static void import_begin(web_request *r)
{
    web_hr_begin(r, web_t(r, "hr.import.title"));
    html_printf(r->out, "<p>%s</p>\n<p class=\"templates\">%s: ", web_t(r, "hr.import.intro"),
                web_t(r, "hr.import.templates"));
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char key[40];
        snprintf(key, sizeof key, "hr.import.kind.%s", kinds[i]);
        html_printf(r->out, "%s<a href=\"/hr/import/template/%s.csv\" download>%s</a>", i ? " · " : "", kinds[i],
                    web_t(r, key));
    }
    html_raw(r->out, "</p>\n");
}

/* GET /hr/import  The CSV upload form: people, answers or experience records,
 * encoding, full list, dry run. */
void web_page_hr_import(web_request *r)
{
    import_begin(r);
    import_form(r, "people", "auto", 0, 0);
    html_end(r);
}

/* The changes of a people import, kept for the page (request memory). */
typedef struct change_list {
    web_request *r;
    import_change *items;
    size_t count, total;
    long added, updated_fields, leaving, returning;
} change_list;

/* import_options.change: keeps a copy of c. */
static void keep_change(const import_change *c, void *ctx)
{
    change_list *l = ctx;
    l->total++;
    l->added += c->kind == IMPORT_ADDED;
    l->updated_fields += c->kind == IMPORT_UPDATED;
    l->leaving += c->kind == IMPORT_LEAVING;
    l->returning += c->kind == IMPORT_RETURNING;
    if (l->count >= CHANGES_SHOWN)
        return;
    if (!l->items)
        l->items = web_alloc(l->r, CHANGES_SHOWN * sizeof *l->items);
    import_change *k = &l->items[l->count++];
    *k = *c;
    k->employee_number = web_strdup(l->r, c->employee_number);
    k->name = web_strdup(l->r, c->name);
    k->field = c->field ? web_strdup(l->r, c->field) : NULL;
    k->old_value = web_strdup(l->r, c->old_value);
    k->new_value = web_strdup(l->r, c->new_value);
}

/* The table of changes: what, who, which field, before, after, the line. */
static void put_changes(web_request *r, const change_list *l)
{
    static const char *const what[] = { "hr.import.change.added", "hr.import.change.updated",
                                        "hr.import.change.leaving", "hr.import.change.returning" };
    html_raw(r->out, "<p class=\"import-counts\">");
    web_html_tpl(r->out, web_t(r, "hr.import.change_counts"), num_text(r, l->added), num_text(r, l->updated_fields),
                 num_text(r, l->leaving), num_text(r, l->returning), NULL);
    html_raw(r->out, "</p>\n");
    if (l->total == 0)
        return;
    html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"import-changes\">\n<thead><tr>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                        "<th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "hr.import.change"), web_t(r, "import.col.employee_number"), web_t(r, "import.col.name"),
                web_t(r, "hr.import.col.field"), web_t(r, "hr.import.change.before"),
                web_t(r, "hr.import.change.after"), web_t(r, "hr.import.col.line"));
    for (size_t i = 0; i < l->count; i++) {
        const import_change *c = &l->items[i];
        char key[80];
        snprintf(key, sizeof key, "import.col.%s", c->field ? c->field : "");
        html_printf(r->out, "<tr class=\"change-%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                            "<td>%s</td><td class=\"num\">%s</td></tr>\n",
                    what[c->kind] + strlen("hr.import.change."), web_t(r, what[c->kind]), c->employee_number, c->name,
                    c->field ? web_t(r, key) : "", c->old_value, c->new_value,
                    c->line ? num_text(r, c->line) : web_t(r, "hr.import.not_in_file"));
    }
    html_raw(r->out, "</tbody></table></div>\n");
    if (l->total > l->count) {
        html_raw(r->out, "<p>");
        web_html_tpl(r->out, web_t(r, "hr.import.more_changes"), num_text(r, (long long)(l->total - l->count)), NULL);
        html_raw(r->out, "</p>\n");
    }
}

/* The form that imports the previewed file: the same bytes, name, encoding
 * and full-list choice. */
static void confirm_form(web_request *r, const char *data, size_t len, const char *name, const char *encoding,
                         int full)
{
    html_printf(r->out, "<form method=\"post\" action=\"/hr/import\" enctype=\"multipart/form-data\" "
                        "class=\"confirm-import\">\n");
    html_csrf_field(r);
    html_hidden(r, "kind", "people");
    html_hidden(r, "name", name);
    html_hidden(r, "encoding", encoding ? encoding : "auto");
    if (full)
        html_hidden(r, "full", "1");
    html_hidden(r, "content", web_base64(r, data, len));
    html_printf(r->out, "<button type=\"submit\">%s</button> <a href=\"/hr/import\">%s</a>\n</form>\n",
                web_t(r, "hr.import.confirm"), web_t(r, "hr.import.cancel"));
}

/* People: a preview (a dry run listing the changes, and the button that
 * imports) or, confirm, the import itself with what it changed. */
static void import_people(web_request *r, const char *data, size_t len, const char *name, const char *encoding,
                          int enc, int full, int confirm)
{
    err_list *errors = web_alloc(r, sizeof *errors);
    memset(errors, 0, sizeof *errors);
    change_list changes = { r, NULL, 0, 0, 0, 0, 0, 0 };
    import_summary sum;
    int rc = web_hr_import_people(r, data, len, name, enc, !confirm, full, keep_change, &changes, errors, &sum);
    if (rc < 0)
        return;
    r->res.status = rc == 0 ? 200 : 422;
    import_begin(r);
    html_printf(r->out, "<section class=\"import-result\" aria-live=\"polite\">\n<h2>%s</h2>\n",
                web_t(r, confirm ? "hr.import.result" : "hr.import.preview"));
    if (rc != 0) {
        html_message(r, "error", web_t(r, "hr.import.failed"));
        web_csv_errors(r, name, errors);
    } else {
        html_message(r, "ok", web_t(r, confirm ? "hr.import.done" : "hr.import.preview_intro"));
        put_changes(r, &changes);
        if (!confirm && changes.total)
            confirm_form(r, data, len, name, encoding, full);
    }
    html_raw(r->out, "</section>\n");
    import_form(r, "people", encoding, 0, full);
    html_end(r);
}

/* Answers, experience records: imported (or checked, dry run) at once. */
static void import_other(web_request *r, import_kind kind, const web_upload *file, const char *name,
                         const char *encoding, int enc, int dry_run)
{
    err_list *errors = web_alloc(r, sizeof *errors);
    memset(errors, 0, sizeof *errors);
    import_summary sum;
    int rc = web_hr_import(r, kind, file->data, file->len, name, enc, dry_run, errors, &sum);
    if (rc < 0)
        return;
    r->res.status = rc == 0 ? 200 : 422;
    import_begin(r);
    html_printf(r->out, "<section class=\"import-result\" aria-live=\"polite\">\n<h2>%s</h2>\n",
                web_t(r, "hr.import.result"));
    if (rc == 0) {
        html_message(r, "ok", web_t(r, dry_run ? "hr.import.checked" : "hr.import.done"));
        const char *verb = web_t(r, dry_run ? "hr.import.verb.checked" : "hr.import.verb.imported");
        html_raw(r->out, "<p class=\"import-summary\">");
        if (kind == IMPORT_EXPERIENCE)
            web_html_tpl(r->out, web_t(r, "hr.import.summary_experience"), name, num_text(r, sum.written),
                         num_text(r, sum.updated), verb, csv_encoding_name(sum.encoding), NULL);
        else
            web_html_tpl(r->out, web_t(r, "hr.import.summary_answers"), name, num_text(r, sum.written),
                         num_text(r, sum.assessments), verb, num_text(r, sum.created),
                         csv_encoding_name(sum.encoding), NULL);
        html_raw(r->out, "</p>\n");
    } else {
        html_message(r, "error", web_t(r, "hr.import.failed"));
        web_csv_errors(r, name, errors);
    }
    html_raw(r->out, "</section>\n");
    import_form(r, import_kind_name(kind), encoding, dry_run, 0);
    html_end(r);
}

/* POST /hr/import  multipart/form-data: kind (people|assessments|experience),
 * file, encoding (auto|utf-8|cp932), dry_run, full (people); or, confirming a
 * people preview, content (the file, base64) and name instead of file. */
void web_page_hr_import_post(web_request *r)
{
    const char *kind_arg = web_form(r, "kind"), *encoding = web_form(r, "encoding");
    const char *content = web_form(r, "content");
    int dry_run = web_form(r, "dry_run") != NULL, full = web_form(r, "full") != NULL;
    int kind = kind_arg ? import_kind_parse(kind_arg) : -1;
    int enc = encoding && *encoding ? csv_encoding_parse(encoding) : CSV_AUTO;
    const web_upload *file = web_upload_get(r, "file");
    const char *data = NULL, *name = NULL;
    size_t len = 0;
    int confirm = content != NULL && kind == IMPORT_PEOPLE;
    if (confirm) {
        name = web_form(r, "name");
        if (!web_unbase64(r, content, &data, &len) || !name || !*name || strlen(name) > 200)
            data = NULL;
    } else if (file && file->filename && *file->filename) {
        data = file->data;
        len = file->len;
        name = web_upload_name(r, file);
    }
    const char *problem = kind < 0 ? web_t(r, "hr.import.bad_kind")
                          : enc < 0 ? web_t(r, "hr.import.bad_encoding")
                          : !data ? web_t(r, "hr.import.no_file")
                          : NULL;
    if (problem) {
        r->res.status = 422;
        import_begin(r);
        html_message(r, "error", problem);
        import_form(r, kind_arg, encoding, dry_run, full);
        html_end(r);
        return;
    }
    if (kind == IMPORT_PEOPLE)
        import_people(r, data, len, name, encoding, enc, full, confirm);
    else
        import_other(r, (import_kind)kind, file, name, encoding, enc, dry_run);
}

/* GET /hr/import/template/:file  people.csv, assessments.csv or
 * experience.csv: the header and an example row to fill in (the assessments
 * example names the cycle in use). */
void web_page_hr_import_template(web_request *r)
{
    const char *file = web_path_param(r, "file");
    int kind = -1;
    for (size_t i = 0; file && i < sizeof kinds / sizeof kinds[0]; i++) {
        char name[40];
        snprintf(name, sizeof name, "%s.csv", kinds[i]);
        if (strcmp(file, name) == 0)
            kind = import_kind_parse(kinds[i]);
    }
    if (kind < 0) {
        web_reply_404(r);
        return;
    }
    const catalog *cat = web_catalog(r);
    store *db = web_store(r);
    if (!cat || !db)
        return;
    store_cycle c;
    err e;
    memset(&e, 0, sizeof e);
    int found = store_cycle_in_use(db, NULL, &c, &e);
    buf_reset(r->out);
    import_template((import_kind)kind, cat, found > 0 ? c.name : "2026年度", r->out);
    if (found > 0)
        store_cycle_clear(&c);
    r->res.content_type = "text/csv; charset=utf-8";
    char disposition[80];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", file);
    web_add_header(r, "Content-Disposition", web_strdup(r, disposition));
}

/* ---- Messages ------------------------------------------------------------------------------ */

/* The import page's messages beyond web_hr_i18n.c's. */
const web_message web_messages_hr_import[] = {
    { "hr.import.kind.experience", "実績", "Experience records" },
    { "hr.import.full", "全員の一覧（ファイルにない社員は本日付で退職扱い）", "The whole organization (people not in the file leave today)" },
    { "hr.import.full_hint", "社員のみ。退職者は履歴に残り、チーム・人事・検索などの現在の一覧から外れます。退職日（left_on）の列でも指定できます。",
      "People only. Leavers stay in every history and leave the current lists (team, HR, search). The left_on column says it too." },
    { "hr.import.preview", "取込内容の確認", "What the import will change" },
    { "hr.import.preview_intro", "まだ何も書き込んでいません。次の変更でよければ「この内容で取り込む」を押してください。",
      "Nothing is written yet. If these changes are right, press \"Import these changes\"." },
    { "hr.import.confirm", "この内容で取り込む", "Import these changes" },
    { "hr.import.cancel", "取り消す", "Cancel" },
    { "hr.import.change", "変更", "Change" },
    { "hr.import.change.added", "追加", "added" },
    { "hr.import.change.updated", "更新", "updated" },
    { "hr.import.change.leaving", "退職", "leaving" },
    { "hr.import.change.returning", "復帰", "back" },
    { "hr.import.change.before", "変更前", "Before" },
    { "hr.import.change.after", "変更後", "After" },
    { "hr.import.change_counts", "追加 {1} 人、項目の更新 {2} 件、退職 {3} 人、復帰 {4} 人",
      "{1} added, {2} fields updated, {3} leaving, {4} back" },
    { "hr.import.not_in_file", "ファイルにない", "not in the file" },
    { "hr.import.more_changes", "ほか {1} 件の変更", "and {1} more changes" },
    { "hr.import.summary_experience", "{1}: 実績 {2} 件を追加、{3} 件を置き換えて{4}（文字コード {5}）",
      "{1}: {2} experience records added, {3} replaced: {4} ({5})" },
    { "import.col.left_on", "退職日", "left_on" },
    { "hr.person.left_on", "退職日", "Left on" },
    { "import.col.project", "プロジェクト", "project" },
    { "import.col.from", "開始年月", "from" },
    { "import.col.to", "終了年月", "to" },
    { "import.col.specialization", "専門分野", "specialization" },
    { "import.col.level", "レベル", "level" },
    { "import.col.succeeded", "成否", "succeeded" },
    { "import.col.complexity", "複雑性", "complexity" },
    { "import.col.size", "サイズ", "size" },
    { "import.col.description", "説明", "description" },
    { "import.err.date.invalid", "「{1}」は日付（YYYY-MM-DD）ではありません", "'{1}' is not a date (YYYY-MM-DD)" },
    { "import.err.month.invalid", "「{1}」は年月（YYYY-MM）ではありません", "'{1}' is not a month (YYYY-MM)" },
    { "import.err.experience.project_empty", "プロジェクトが空です", "the project is empty" },
    { "import.err.experience.from_empty", "開始年月が空です", "the start month is empty" },
    { "import.err.experience.to_before_from", "終了年月 {1} が開始年月より前です", "the end month {1} is before the start month" },
    { "import.err.experience.succeeded", "成否「{1}」は 1（成功）か 0（失敗）です", "'{1}': succeeded is 1 (成功) or 0 (失敗)" },
    { "import.err.experience.spec_empty", "専門分野が空です", "the specialization is empty" },
    { "import.err.experience.spec_unknown", "専門分野「{1}」はありません（HW、SW、FM）", "unknown specialization '{1}' (HW, SW or FM)" },
    { "import.err.experience.level", "この専門分野のレベルは {1} です", "the specialization's levels are {1}" },
    { "import.err.experience.level_nan", "レベル「{1}」は数値ではありません", "the level '{1}' is not a number" },
    { "import.err.experience.not_complexity", "{1} は複雑性のチェック項目ではありません", "{1} is not a complexity checklist item" },
    { "import.err.experience.not_size", "{1} はサイズのチェック項目ではありません", "{1} is not a size checklist item" },
    { "import.err.experience.item_level", "{1} はこの実績の専門分野・レベルの項目ではありません",
      "{1} is not an item of the record's specialization and level" },
    { "import.err.experience.item_twice", "{1} が2回あります", "{1} is listed twice" },
};

const size_t web_messages_hr_import_count = sizeof web_messages_hr_import / sizeof web_messages_hr_import[0];
