/* web_outbox.c - the administrator's view of the outbox of e-mails
 * (docs/notifications.md): every message with its status, attempts, last
 * error, recipient and subject, counts by status, a failed message tried
 * again; GET /api/v1/admin/outbox gives the same to scripts. The sender
 * itself is `itss serve --smtp`'s thread; without a relay configured the
 * messages wait here, none lost. Administrators only (the route rows). */
#include "web.h"
#include "web_json.h"
#include "web_pages.h"
#include "web_kit.h"
#include "html.h"
#include "notify.h"
#include "store.h"
#include "store_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTBOX_PAGE 50

static const char *const statuses[] = { OUTBOX_PENDING, OUTBOX_FAILED, OUTBOX_NO_ADDRESS, OUTBOX_SENT };
#define N_STATUSES (sizeof statuses / sizeof statuses[0])

/* The status ?status= names (NULL: every one). 0, or -1 after answering 400. */
static int asked_status(web_request *r, const char **status)
{
    const char *s = web_query(r, "status");
    *status = NULL;
    if (!s || !*s)
        return 0;
    for (size_t i = 0; i < N_STATUSES; i++)
        if (strcmp(s, statuses[i]) == 0) {
            *status = statuses[i];
            return 0;
        }
    web_reply_error(r, 400, "bad_request", web_t(r, "outbox.bad_status"), "status");
    return -1;
}

/* The page ?page= (from 1), or -1 after answering 400. */
static int64_t asked_page(web_request *r)
{
    const char *p = web_query(r, "page");
    int64_t page = 1;
    if (p && *p && !web_parse_int(p, 1, 1000000, &page)) {
        web_reply_error(r, 400, "bad_request", web_t(r, "outbox.bad_page"), "page");
        return -1;
    }
    return page;
}

/* The subject of m in its recipient's language, in r's memory. */
static const char *subject_of(web_request *r, const store_outbox_msg *m)
{
    buf subject, body;
    buf_init(&subject);
    buf_init(&body);
    notify_render(m, NULL, &subject, &body);
    const char *s = web_strdup(r, subject.data ? subject.data : "");
    buf_free(&subject);
    buf_free(&body);
    return s;
}

/* How many messages have each status (counts[i] for statuses[i]). 0, or -1 after answering 503. */
static int count_all(web_request *r, store *db, int64_t counts[N_STATUSES])
{
    err e;
    memset(&e, 0, sizeof e);
    for (size_t i = 0; i < N_STATUSES; i++)
        if (store_outbox_count(db, statuses[i], &counts[i], &e) < 0) {
            web_store_failed(r, "counting the outbox", &e);
            return -1;
        }
    return 0;
}

/* The filter links with their counts. */
static void status_links(web_request *r, const char *status, const int64_t counts[N_STATUSES])
{
    int64_t all = 0;
    for (size_t i = 0; i < N_STATUSES; i++)
        all += counts[i];
    html_printf(r->out, "<nav class=\"subnav\" aria-label=\"%s\"><ul>\n", web_t(r, "outbox.filter"));
    html_printf(r->out, "<li><a href=\"/admin/outbox\"%s>%s (%lld)</a></li>\n",
                status ? "" : " aria-current=\"page\"", web_t(r, "outbox.all"), (long long)all);
    for (size_t i = 0; i < N_STATUSES; i++) {
        char key[40];
        snprintf(key, sizeof key, "outbox.status.%s", statuses[i]);
        html_printf(r->out, "<li><a href=\"/admin/outbox?status=%s\"%s>%s (%lld)</a></li>\n", statuses[i],
                    status && strcmp(status, statuses[i]) == 0 ? " aria-current=\"page\"" : "", web_t(r, key),
                    (long long)counts[i]);
    }
    html_raw(r->out, "</ul></nav>\n");
}

/* One row of the table. */
static void message_row(web_request *r, const store_outbox_msg *m)
{
    char key[40];
    snprintf(key, sizeof key, "outbox.status.%s", m->status);
    html_printf(r->out, "<tr><td>%lld</td><td>%s</td><td><span class=\"status-%s\">%s</span></td><td>%lld</td>"
                        "<td>%s%s%s</td><td lang=\"%s\">%s</td><td>%s</td><td>",
                (long long)m->id, web_moment(r, m->created_at), m->status, web_t(r, key), (long long)m->attempts,
                m->to_name ? m->to_name : "", m->to_name ? " " : "", m->to_addr ? m->to_addr : web_t(r, "outbox.none"),
                m->lang ? m->lang : "ja", subject_of(r, m), m->last_error ? m->last_error : "");
    if (strcmp(m->status, OUTBOX_SENT) == 0)
        html_printf(r->out, "%s", web_moment(r, m->sent_at));
    else if (strcmp(m->status, OUTBOX_PENDING) == 0)
        html_printf(r->out, "%s %s", web_t(r, "outbox.due"), web_moment(r, m->next_attempt_at));
    if (strcmp(m->status, OUTBOX_FAILED) == 0) {
        char action[64];
        snprintf(action, sizeof action, "/admin/outbox/%lld/retry", (long long)m->id);
        html_printf(r->out, "<form method=\"post\" action=\"%s\" class=\"inline\">", action);
        html_csrf_field(r);
        html_printf(r->out, "<button type=\"submit\" class=\"secondary\">%s</button></form>", web_t(r, "outbox.retry"));
    }
    html_raw(r->out, "</td></tr>\n");
}

/* GET /admin/outbox[?status=S&page=N]  The outbox, the newest first, 50 a page. */
void web_page_admin_outbox(web_request *r)
{
    const char *status;
    int64_t page = asked_page(r);
    if (page < 0 || asked_status(r, &status) < 0)
        return;
    store *db = web_store(r);
    if (!db)
        return;
    int64_t counts[N_STATUSES];
    if (count_all(r, db, counts) < 0)
        return;
    store_outbox_filter f = { .status = status, .limit = OUTBOX_PAGE + 1, .offset = (page - 1) * OUTBOX_PAGE };
    store_outbox_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_outbox_list_filter(db, &f, &l, &e) < 0) {
        web_store_failed(r, "the outbox", &e);
        return;
    }
    html_begin(r, web_t(r, "outbox.title"));
    html_printf(r->out, "<p><a href=\"/admin\">%s</a></p>\n<h1>%s</h1>\n<p>%s</p>\n", web_t(r, "admin.back"),
                web_t(r, "outbox.title"), web_t(r, "outbox.intro"));
    const char *relay = web_app_config(r->app)->mail_relay;
    if (relay)
        html_printf(r->out, "<p>%s <code>%s</code></p>\n", web_t(r, "outbox.relay"), relay);
    else
        html_message(r, "notice", web_t(r, "outbox.no_relay"));
    const char *done = web_query(r, "done");
    if (done && strcmp(done, "retried") == 0)
        html_message(r, "ok", web_t(r, "outbox.retried"));
    status_links(r, status, counts);
    if (l.count == 0) {
        html_printf(r->out, "<p>%s</p>\n", web_t(r, "outbox.empty"));
    } else {
        html_printf(r->out, "<div class=\"table-wrap\" tabindex=\"0\"><table>\n<caption>%s</caption>\n<thead><tr>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                            "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                    web_t(r, "outbox.caption"), web_t(r, "outbox.id"), web_t(r, "outbox.created"),
                    web_t(r, "outbox.status"), web_t(r, "outbox.attempts"), web_t(r, "outbox.to"),
                    web_t(r, "outbox.subject"), web_t(r, "outbox.last_error"), web_t(r, "outbox.when"));
        for (size_t i = 0; i < l.count && i < OUTBOX_PAGE; i++)
            message_row(r, &l.items[i]);
        html_raw(r->out, "</tbody>\n</table></div>\n");
    }
    if (page > 1 || l.count > OUTBOX_PAGE) {
        html_raw(r->out, "<p class=\"pager\">");
        if (page > 1)
            html_printf(r->out, "<a href=\"/admin/outbox?page=%lld%s%s\">%s</a> ", (long long)(page - 1),
                        status ? "&amp;status=" : "", status ? status : "", web_t(r, "outbox.newer"));
        if (l.count > OUTBOX_PAGE)
            html_printf(r->out, "<a href=\"/admin/outbox?page=%lld%s%s\">%s</a>", (long long)(page + 1),
                        status ? "&amp;status=" : "", status ? status : "", web_t(r, "outbox.older"));
        html_raw(r->out, "</p>\n");
    }
    html_end(r);
    store_outbox_list_free(&l);
}

/* Puts message ?id back to pending: 0, or -1 after answering (404, 409, 503). */
static int retry_message(web_request *r)
{
    int64_t id;
    if (web_path_param_id(r, "id", &id) < 0)
        return -1;
    store *db = web_store(r);
    if (!db)
        return -1;
    err e;
    memset(&e, 0, sizeof e);
    if (notify_retry(db, id, &e) < 0) {
        if (e.code == ERR_NOT_FOUND)
            web_reply_error(r, 404, "not_found", web_t(r, "outbox.no_message"), "id");
        else if (e.code == ERR_CONFLICT && strcmp(e.key, "outbox.link_gone") == 0)
            web_reply_error(r, 409, "conflict", web_t(r, "outbox.link_gone"), "id");
        else if (e.code == ERR_CONFLICT)
            web_reply_error(r, 409, "conflict", web_t(r, "outbox.not_retryable"), "id");
        else
            web_store_failed(r, "retrying a message", &e);
        return -1;
    }
    return 0;
}

/* POST /admin/outbox/:id/retry  A failed message pending again. */
void web_page_admin_outbox_retry(web_request *r)
{
    if (retry_message(r) == 0)
        web_redirect(r, "/admin/outbox?done=retried");
}

/* A message as the API gives it (a new reference): a one-time link masked (notify_shown). */
static json_t *message_json(web_request *r, const store_outbox_msg *stored)
{
    store_outbox_msg shown, *m = &shown;
    char mask[160];
    notify_shown(stored, &shown, mask, sizeof mask);
    return json_pack("{s:I,s:s,s:s,s:o,s:o,s:s,s:o,s:s,s:I,s:o,s:o,s:o,s:s}", "id", (json_int_t)m->id, "created_at",
                     m->created_at, "template", m->template_name, "to", web_json_text(m->to_addr), "to_name",
                     web_json_text(m->to_name), "lang", m->lang ? m->lang : "ja", "path", web_json_text(m->path),
                     "status", m->status, "attempts", (json_int_t)m->attempts, "last_error",
                     web_json_text(m->last_error), "next_attempt_at", web_json_text(m->next_attempt_at), "sent_at",
                     web_json_text(m->sent_at), "subject", subject_of(r, m));
}

/* GET /api/v1/admin/outbox[?status=S&limit=N&offset=N]  {"counts": {...}, "messages": [...]}, newest first. */
void web_api_admin_outbox(web_request *r)
{
    const char *status;
    if (asked_status(r, &status) < 0)
        return;
    int64_t limit = 100, offset = 0;
    const char *l_text = web_query(r, "limit"), *o_text = web_query(r, "offset");
    if (l_text && !web_parse_int(l_text, 1, 1000, &limit)) {
        web_reply_error(r, 400, "bad_request", web_t(r, "outbox.bad_limit"), "limit");
        return;
    }
    if (o_text && !web_parse_int(o_text, 0, INT64_MAX, &offset)) {
        web_reply_error(r, 400, "bad_request", web_t(r, "outbox.bad_page"), "offset");
        return;
    }
    store *db = web_store(r);
    if (!db)
        return;
    int64_t counts[N_STATUSES];
    if (count_all(r, db, counts) < 0)
        return;
    store_outbox_filter f = { .status = status, .limit = limit, .offset = offset };
    store_outbox_list l;
    err e;
    memset(&e, 0, sizeof e);
    if (store_outbox_list_filter(db, &f, &l, &e) < 0) {
        web_store_failed(r, "the outbox", &e);
        return;
    }
    json_t *c = json_object(), *list = json_array();
    for (size_t i = 0; i < N_STATUSES; i++)
        json_object_set_new(c, statuses[i], json_integer(counts[i]));
    for (size_t i = 0; i < l.count; i++)
        json_array_append_new(list, message_json(r, &l.items[i]));
    store_outbox_list_free(&l);
    web_json_reply(r, 200, json_pack("{s:o,s:o}", "counts", c, "messages", list));
}

/* POST /api/v1/admin/outbox/:id/retry  A failed message pending again: {"id", "status"}. */
void web_api_admin_outbox_retry(web_request *r)
{
    if (retry_message(r) < 0)
        return;
    int64_t id = 0;
    web_path_param_id(r, "id", &id);
    web_json_reply(r, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", OUTBOX_PENDING));
}

/* ---- Messages ------------------------------------------------------------------------------ */

const web_message web_messages_outbox[] = {
    { "outbox.title", "メールの送信状況", "Outbox" },
    { "outbox.link", "メールの送信状況（送信待ち・失敗）", "The outbox of e-mails (waiting, failed)" },
    { "outbox.intro", "提出・差し戻し・承認・社内認定・締切前のリマインダーのメールです。送信は itss serve --smtp で設定した SMTP リレーが行います。設定がなければメールはここで待ち、失われません。",
      "The e-mails of submissions, returns, approvals, certificates and reminders before a cycle closes. They are sent "
      "to the SMTP relay set with itss serve --smtp; without one they wait here, none lost." },
    { "outbox.relay", "このサーバーの送信先（SMTP リレー）:", "This server sends through the SMTP relay" },
    { "outbox.no_relay", "このサーバーには送信先の SMTP リレーが設定されていません。itss serve --smtp HOST:PORT で設定するまで、メールはここで待ちます（失われません）。",
      "This server has no SMTP relay to send through. Until one is set with itss serve --smtp HOST:PORT, the "
      "e-mails wait here (none is lost)." },
    { "outbox.filter", "状態で絞り込む", "Filter by status" },
    { "outbox.all", "すべて", "All" },
    { "outbox.status.pending", "送信待ち", "Waiting" },
    { "outbox.status.sent", "送信済み", "Sent" },
    { "outbox.status.failed", "失敗", "Failed" },
    { "outbox.status.no_address", "宛先なし", "No address" },
    { "outbox.caption", "メール（新しい順）", "E-mails, the newest first" },
    { "outbox.id", "番号", "No." },
    { "outbox.created", "作成", "Created" },
    { "outbox.status", "状態", "Status" },
    { "outbox.attempts", "試行回数", "Attempts" },
    { "outbox.to", "宛先", "To" },
    { "outbox.subject", "件名", "Subject" },
    { "outbox.last_error", "最後のエラー", "Last error" },
    { "outbox.when", "送信日時・次の試行", "Sent, or next attempt" },
    { "outbox.due", "次の試行", "next attempt" },
    { "outbox.none", "（メールアドレスなし）", "(no e-mail address)" },
    { "outbox.retry", "再送する", "Try again" },
    { "outbox.retried", "メールを送信待ちに戻しました。", "The e-mail is waiting to be sent again." },
    { "outbox.empty", "メールはありません。", "No e-mails." },
    { "outbox.newer", "新しいメール", "Newer" },
    { "outbox.older", "古いメール", "Older" },
    { "outbox.bad_status", "状態は pending, sent, failed, no_address のどれかです。",
      "The status is one of pending, sent, failed, no_address." },
    { "outbox.bad_page", "ページの番号が正しくありません。", "Not a page number." },
    { "outbox.bad_limit", "件数は1から1000です。", "The limit is 1 to 1000." },
    { "outbox.no_message", "そのメールはありません。", "No such e-mail." },
    { "outbox.not_retryable", "再送できるのは失敗したメールだけです。", "Only a failed e-mail can be tried again." },
    { "outbox.link_gone", "このメールの一度だけのサインイン用リンクは、送信をあきらめた時点で消去しました。ユーザーのページの「再設定用リンクを発行」で作り直してください。",
      "This e-mail's one-time sign-in link was erased when sending it was given up. Make a new one with "
      "\"Make a reset link\" on the user's page." },
};

const size_t web_messages_outbox_count = sizeof web_messages_outbox / sizeof web_messages_outbox[0];
