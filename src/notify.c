/* notify.c - what each event puts in the outbox and the words of each message
 * (notify.h). The words are data: one row per template and language below. */
#include "notify.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

/* ---- The words --------------------------------------------------------------------- */

/* A template: subject and body in Japanese and English, with {name}
 * placeholders filled from the message's params, {recipient} (the
 * recipient's name) and {link}. */
typedef struct template_words {
    const char *name;
    const char *subject_ja, *body_ja;
    const char *subject_en, *body_en;
    int secret_link;           /* the link is a one-time secret (notify_link_secret) */
} template_words;

#define SIGNATURE_JA "\n-- \nITSS スキル診断 (itss)\nこのメールは送信専用です。返信は届きません。\n"
#define SIGNATURE_EN "\n-- \nITSS skill diagnosis (itss)\nThis address does not receive replies.\n"

static const template_words templates[] = {
    { "submitted",
      "【ITSS】{person}さんが{cycle}のスキル診断を提出しました",
      "{recipient}様\n\n{person}さん（社員番号 {number}）が{cycle}のスキル診断を提出しました。\n"
      "内容を確認して、承認するか、理由を添えて差し戻してください。\n\n{link}\n" SIGNATURE_JA,
      "[ITSS] {person} submitted the {cycle} skill diagnosis",
      "Dear {recipient},\n\n{person} (employee number {number}) submitted the skill diagnosis of {cycle}.\n"
      "Please review it, then approve it or return it with a reason.\n\n{link}\n" SIGNATURE_EN, 0 },
    { "returned",
      "【ITSS】{cycle}のスキル診断が差し戻されました",
      "{recipient}様\n\n{cycle}のスキル診断が差し戻されました。\n\n理由:\n{reason}\n\n"
      "見直して、もう一度提出してください。\n\n{link}\n" SIGNATURE_JA,
      "[ITSS] Your {cycle} skill diagnosis was returned",
      "Dear {recipient},\n\nYour skill diagnosis of {cycle} was returned for rework.\n\nReason:\n{reason}\n\n"
      "Please revise it and submit it again.\n\n{link}\n" SIGNATURE_EN, 0 },
    { "approved",
      "【ITSS】{cycle}のスキル診断が承認されました",
      "{recipient}様\n\n{cycle}のスキル診断が承認されました。\n承認されたレベルは結果のページで確認できます。\n\n"
      "{link}\n" SIGNATURE_JA,
      "[ITSS] Your {cycle} skill diagnosis was approved",
      "Dear {recipient},\n\nYour skill diagnosis of {cycle} was approved.\nThe approved levels are on your results "
      "page.\n\n{link}\n" SIGNATURE_EN, 0 },
    { "certified",
      "【ITSS】社内認定: {specialization} レベル{level}",
      "{recipient}様\n\n{specialization}のレベル{level}が社内認定されました。\n\n認定番号: {certificate}\n"
      "有効期間: {valid_from} 〜 {valid_until}\n\n{link}\n" SIGNATURE_JA,
      "[ITSS] Certified: {specialization} level {level}",
      "Dear {recipient},\n\nYour level {level} of {specialization} has been certified.\n\n"
      "Certificate: {certificate}\nValid: {valid_from} to {valid_until}\n\n{link}\n" SIGNATURE_EN, 0 },
    { "reminder",
      "【ITSS】{cycle}のスキル診断の締切は{closes}です",
      "{recipient}様\n\n{cycle}のスキル診断がまだ提出されていません。\n締切は{closes}です（あと{days}日）。\n\n"
      "{link}\n" SIGNATURE_JA,
      "[ITSS] The {cycle} skill diagnosis closes on {closes}",
      "Dear {recipient},\n\nYour skill diagnosis of {cycle} has not been submitted yet.\nIt closes on {closes} "
      "({days} days left).\n\n{link}\n" SIGNATURE_EN, 0 },
    { "signin",
      "【ITSS】スキル診断のアカウント: サインイン用リンク",
      "{recipient}様\n\nスキル診断（ITSS）のアカウントを用意しました。ユーザー名は {login} です。\n"
      "次のリンクを開いてパスワードを決めると、そのままログインします。リンクは一度だけ、{expires}まで使えます。\n\n"
      "{link}\n\n心当たりのない場合は、このメールを破棄してください。\n" SIGNATURE_JA,
      "[ITSS] Your skill diagnosis account: sign-in link",
      "Dear {recipient},\n\nAn account of the skill diagnosis (ITSS) is ready for you. Your user name is {login}.\n"
      "Open the link below and set your password; you are then signed in. The link works once, until {expires}.\n\n"
      "{link}\n\nIf you did not expect this, please delete this mail.\n" SIGNATURE_EN, 1 },
    { "text", "{subject}", "{body}\n" SIGNATURE_JA, "{subject}", "{body}\n" SIGNATURE_EN, 0 },
};

/* The template named name, or NULL. */
static const template_words *find_template(const char *name)
{
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (name && strcmp(templates[i].name, name) == 0)
            return &templates[i];
    return NULL;
}

int notify_link_secret(const char *template_name)
{
    const template_words *t = find_template(template_name);
    return t && t->secret_link;
}

void notify_shown(const store_outbox_msg *m, store_outbox_msg *shown, char *mask, size_t mask_size)
{
    *shown = *m;
    if (!m->path || !notify_link_secret(m->template_name))
        return;
    const char *slash = strrchr(m->path, '/');
    snprintf(mask, mask_size, "%.*s…", slash ? (int)(slash - m->path + 1) : 0, m->path);
    shown->path = mask;
}

int notify_retry(store *db, int64_t id, err *e)
{
    store_outbox_msg m;
    int found = store_outbox_get(db, id, &m, e);
    if (found < 0)
        return -1;
    int gone = found == 1 && !m.path && notify_link_secret(m.template_name);
    if (found == 1)
        store_outbox_msg_clear(&m);
    if (gone)
        return err_refuse(e, ERR_CONFLICT, "outbox.link_gone", "id",
                          "the one-time sign-in link of this message is no longer kept; make a new one (itss user reset)");
    return store_outbox_retry(db, id, NULL, e);
}

/* Appends words to out with each {key} replaced: {link} by link, {recipient}
 * by recipient, else by params' string member key (a placeholder without a
 * value stays as it is). In a subject, line breaks of values become spaces. */
static void fill(buf *out, const char *words, json_t *params, const char *recipient, const char *link, int one_line)
{
    for (const char *p = words; *p; p++) {
        const char *end = *p == '{' ? strchr(p, '}') : NULL;
        if (!end || end - p > 40) {
            buf_putc(out, *p);
            continue;
        }
        char key[48];
        snprintf(key, sizeof key, "%.*s", (int)(end - p - 1), p + 1);
        const char *value = NULL;
        if (strcmp(key, "link") == 0)
            value = link;
        else if (strcmp(key, "recipient") == 0)
            value = recipient;
        else if (params && json_is_string(json_object_get(params, key)))
            value = json_string_value(json_object_get(params, key));
        if (!value) {
            buf_putc(out, *p);
            continue;
        }
        for (const char *v = value; *v; v++)
            buf_putc(out, one_line && (*v == '\r' || *v == '\n') ? ' ' : *v);
        p = end;
    }
}

void notify_render(const store_outbox_msg *m, const char *public_url, buf *subject, buf *body)
{
    int en = m->lang && strcmp(m->lang, "en") == 0;
    json_t *params = json_loads(m->params ? m->params : "{}", 0, NULL);
    buf link;
    buf_init(&link);
    if (public_url && *public_url) {
        size_t n = strlen(public_url);
        buf_append(&link, public_url, n && public_url[n - 1] == '/' && m->path && m->path[0] == '/' ? n - 1 : n);
    }
    if (m->path)
        buf_puts(&link, m->path);
    const char *recipient = m->to_name && *m->to_name ? m->to_name : m->to_addr ? m->to_addr : "";
    const template_words *t = find_template(m->template_name);
    if (t) {
        fill(subject, en ? t->subject_en : t->subject_ja, params, recipient, link.data ? link.data : "", 1);
        fill(body, en ? t->body_en : t->body_ja, params, recipient, link.data ? link.data : "", 0);
    } else {
        /* a template this program does not know (a newer one wrote it): say what it holds */
        buf_printf(subject, "[ITSS] %s", m->template_name ? m->template_name : "");
        char *dump = params ? json_dumps(params, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
        buf_printf(body, "%s\n\n%s\n", dump ? dump : "", link.data ? link.data : "");
        free(dump);
    }
    buf_free(&link);
    json_decref(params);
}

/* ---- Enqueueing ----------------------------------------------------------------------- */

int notify_enqueue(store *db, const notify_mail *m, int64_t *id, err *e)
{
    json_t *params = json_object();
    for (const char *const *p = m->params; p && p[0] && p[1]; p += 2)
        json_object_set_new(params, p[0], json_string(p[1]));
    char *text = json_dumps(params, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(params);
    if (!text)
        abort();
    char *email = NULL, *name = NULL, *lang = NULL;
    int rc = 0;
    if (m->person_id > 0 && store_outbox_recipient(db, m->person_id, &email, &name, &lang, e) < 0)
        rc = -1;
    store_outbox_msg row;
    memset(&row, 0, sizeof row);
    row.template_name = (char *)m->template_name;
    row.to_addr = m->person_id > 0 ? email : (char *)m->to_addr;
    row.to_name = m->person_id > 0 ? name : (char *)m->to_name;
    row.lang = m->person_id > 0 ? lang : (char *)m->lang;
    /* a secret link is kept only for a message that can be sent */
    row.path = notify_link_secret(m->template_name) && !(row.to_addr && *row.to_addr) ? NULL : (char *)m->path;
    row.params = text;
    row.dedupe_key = (char *)m->dedupe_key;
    if (rc == 0)
        rc = store_outbox_add(db, &row, id, NULL, e);
    free(email);
    free(name);
    free(lang);
    free(text);
    return rc;
}

/* The assessment id with its person: 0, or -1 with *e. */
static int assessment_of(store *db, int64_t assessment_id, store_assessment *a, store_person *p, err *e)
{
    memset(p, 0, sizeof *p);
    int found = store_assessment_get(db, assessment_id, a, e);
    if (found != 1)
        return -1;
    if (store_person_get(db, a->person_id, p, e) != 1) {
        store_assessment_clear(a);
        return -1;
    }
    return 0;
}

/* Enqueues template to the person of assessment_id (or, with to_manager, to
 * their manager: none, no message) with the link path (NULL: the review page
 * of the person in the cycle) and params after the common person, number and
 * cycle. */
static int about_assessment(store *db, int64_t assessment_id, const char *template_name, int to_manager,
                            const char *path, const char *const *more, err *e)
{
    store_assessment a;
    store_person p;
    if (assessment_of(db, assessment_id, &a, &p, e) < 0)
        return -1;
    int rc = 0;
    int64_t to = to_manager ? p.manager_id : p.id;
    if (to > 0) {
        char review[128];
        snprintf(review, sizeof review, "/people/%lld/review?cycle=%lld", (long long)p.id, (long long)a.cycle_id);
        const char *params[16] = { "person", p.name, "number", p.employee_number, "cycle", a.cycle };
        size_t n = 6;
        for (const char *const *m = more; m && m[0] && m[1] && n + 2 < 16; m += 2) {
            params[n++] = m[0];
            params[n++] = m[1];
        }
        notify_mail mail = { .template_name = template_name, .person_id = to, .path = path ? path : review,
                             .params = params };
        rc = notify_enqueue(db, &mail, NULL, e);
    }
    store_person_clear(&p);
    store_assessment_clear(&a);
    return rc;
}

int notify_submitted(store *db, int64_t assessment_id, err *e)
{
    return about_assessment(db, assessment_id, "submitted", 1, NULL, NULL, e);
}

int notify_returned(store *db, int64_t assessment_id, const char *reason, err *e)
{
    const char *more[] = { "reason", reason ? reason : "", NULL };
    return about_assessment(db, assessment_id, "returned", 0, "/diagnosis", more, e);
}

int notify_approved(store *db, int64_t assessment_id, err *e)
{
    return about_assessment(db, assessment_id, "approved", 0, "/results", NULL, e);
}

int notify_certified(store *db, const store_certificate *c, const char *spec_name, err *e)
{
    char level[16], path[128];
    snprintf(level, sizeof level, "%d", c->level);
    snprintf(path, sizeof path, "/certificates/%s", c->number);
    const char *params[] = { "person", c->person_name ? c->person_name : "", "number",
                             c->employee_number ? c->employee_number : "", "cycle", c->cycle ? c->cycle : "",
                             "specialization", spec_name ? spec_name : c->specialization_id, "level", level,
                             "certificate", c->number, "valid_from", c->valid_from, "valid_until", c->valid_until,
                             NULL };
    notify_mail mail = { .template_name = "certified", .person_id = c->person_id, .path = path, .params = params };
    return notify_enqueue(db, &mail, NULL, e);
}

/* ---- Reminders ------------------------------------------------------------------------ */

/* Days from date a to date b (both YYYY-MM-DD). */
static long days_between(const char *a, const char *b)
{
    struct tm ta, tb;
    memset(&ta, 0, sizeof ta);
    memset(&tb, 0, sizeof tb);
    ta.tm_year = atoi(a) - 1900, ta.tm_mon = atoi(a + 5) - 1, ta.tm_mday = atoi(a + 8), ta.tm_hour = 12;
    tb.tm_year = atoi(b) - 1900, tb.tm_mon = atoi(b + 5) - 1, tb.tm_mday = atoi(b + 8), tb.tm_hour = 12;
    return (long)((timegm(&tb) - timegm(&ta)) / 86400);
}

typedef struct reminder_ctx {
    store *db;
    const store_cycle *cycle;
    char days[16];
    char key_prefix[48];
    int queued;
    err *e;
} reminder_ctx;

/* store_outbox_unsubmitted_each's callback: one reminder. */
static int remind_one(const store_unsubmitted *u, void *arg)
{
    reminder_ctx *x = arg;
    char key[80];
    snprintf(key, sizeof key, "%s%lld", x->key_prefix, (long long)u->person_id);
    const char *params[] = { "person", u->name, "cycle", x->cycle->name, "closes", x->cycle->closes, "days", x->days,
                             NULL };
    notify_mail mail = { .template_name = "reminder", .to_addr = u->email, .to_name = u->name, .lang = u->lang,
                         .path = "/diagnosis", .params = params, .dedupe_key = key };
    int64_t id = 0;
    if (notify_enqueue(x->db, &mail, &id, x->e) < 0)
        return -1;
    x->queued += id > 0;
    return 0;
}

int notify_reminders(store *db, const char *today, int days_before, int *queued, err *e)
{
    if (queued)
        *queued = 0;
    if (days_before <= 0)
        return 0;
    store_cycle_list cycles;
    if (store_cycle_list_all(db, &cycles, e) < 0)
        return -1;
    int rc = store_begin(db, e);
    int began = rc == 0;
    reminder_ctx x = { .db = db, .e = e };
    for (size_t i = 0; rc == 0 && i < cycles.count; i++) {
        const store_cycle *c = &cycles.items[i];
        long left = days_between(today, c->closes);
        if (strcmp(c->opens, today) > 0 || left < 0 || left > days_before)
            continue;
        x.cycle = c;
        snprintf(x.days, sizeof x.days, "%ld", left);
        snprintf(x.key_prefix, sizeof x.key_prefix, "reminder:%lld:", (long long)c->id);
        rc = store_outbox_unsubmitted_each(db, c->id, x.key_prefix, remind_one, &x, e) != 0 ? -1 : 0;
    }
    if (began && rc == 0)
        rc = store_commit(db, e);
    else if (began)
        store_rollback(db, NULL);
    store_cycle_list_free(&cycles);
    if (queued && rc == 0)
        *queued = x.queued;
    return rc;
}
