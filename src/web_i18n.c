/* web_i18n.c - the web pages' messages in Japanese (first) and English.
 *
 * One row per message: key, Japanese, English. Keys are grouped by page
 * ("login.title"); rows may be in any order (an index sorted by key over all
 * tables is built on first use). The core's messages are below; a page group
 * may keep its own table in its own file and register it in `tables` (see
 * web_message in web.h). Messages are plain text: pages escape them like any
 * other text. The standard's own wording never goes here: it comes from the
 * catalog. */
#include "web.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef web_message message;

static const message messages[] = {
    /* The site frame. */
    { "site.name", "ITスキル標準 カスタマサービス", "IT Skill Standard: Customer Service" },
    { "site.short", "ITSS", "ITSS" },
    { "site.category", "カスタマサービス", "Customer Service" },
    { "site.footer", "ITスキル標準（ITSS）カスタマサービス職種のスキル診断。標準の文言は経済産業省「ITスキル標準」（©経済産業省）による。",
      "Skill assessment against the IT Skill Standard (ITSS), Customer Service. The standard's wording is METI's "
      "(© Ministry of Economy, Trade and Industry)." },
    { "lang.name", "日本語", "English" },
    { "nav.skip", "本文へ移動", "Skip to content" },
    { "nav.label", "メインメニュー", "Main menu" },
    { "nav.home", "ホーム", "Home" },
    { "nav.catalog", "スキル標準", "The standard" },
    { "nav.diagnosis", "自己診断", "My diagnosis" },
    { "nav.results", "診断結果", "My results" },
    { "nav.team", "チーム", "Team" },
    { "nav.hr", "人事", "HR" },
    { "nav.admin", "管理", "Administration" },
    { "nav.logout", "ログアウト", "Log out" },

    /* Roles. */
    { "role.engineer", "エンジニア", "engineer" },
    { "role.manager", "マネージャ", "manager" },
    { "role.hr", "人事", "HR" },
    { "role.admin", "管理者", "administrator" },

    /* Login. */
    { "login.title", "ログイン", "Log in" },
    { "login.intro", "ユーザー名とパスワードを入力してください。", "Enter your user name and password." },
    { "login.user", "ユーザー名", "User name" },
    { "login.password", "パスワード", "Password" },
    { "login.submit", "ログイン", "Log in" },
    { "login.failed", "ユーザー名またはパスワードが正しくありません。", "The user name or the password is wrong." },
    { "login.throttled", "ログインの失敗が続いたため、しばらくログインできません。少し待ってからもう一度お試しください。",
      "Too many failed logins. Please wait a little and try again." },
    { "login.missing", "ユーザー名とパスワードを入力してください。", "Please enter both your user name and your password." },
    { "login.logged_out", "ログアウトしました。", "You have logged out." },

    /* Home. */
    { "home.title", "ホーム", "Home" },
    { "home.welcome", "ようこそ", "Welcome" },
    { "home.intro", "上のメニューから作業を選んでください。", "Choose what to do from the menu above." },
    { "home.role", "あなたの役割", "Your role" },

    /* Administration. */
    { "admin.title", "ユーザー管理", "Users" },
    { "admin.intro", "アプリケーションのユーザーです。ここで追加・役割の変更・無効化・パスワードの再設定ができます（itss user コマンドでも同じことができます）。",
      "The users of the application: add them, change their role, disable them or reset their password here (or with the itss user command)." },
    { "admin.login", "ユーザー名", "User name" },
    { "admin.role", "役割", "Role" },
    { "admin.person", "社員", "Person" },
    { "admin.state", "状態", "State" },
    { "admin.created", "作成日時", "Created" },
    { "admin.active", "有効", "active" },
    { "admin.disabled", "無効", "disabled" },

    /* Errors. */
    { "error.back", "トップページへ戻る", "Back to the top page" },
    { "error.400", "リクエストが正しくありません", "Bad request" },
    { "error.400.text", "送信された内容を読み取れませんでした。", "What was sent could not be read." },
    { "error.401", "ログインが必要です", "Login required" },
    { "error.401.text", "このページを使うにはログインしてください。", "Please log in to use this page." },
    { "error.401.api", "認証が必要です。ログインしたセッションか、Authorization: Bearer トークン（itss token create）を付けてください。",
      "Authentication required: a logged-in session or an Authorization: Bearer token (itss token create)." },
    { "error.403", "権限がありません", "Not allowed" },
    { "error.403.text", "このページを表示する権限がありません。", "Your role does not allow this page." },
    { "error.404", "ページが見つかりません", "Page not found" },
    { "error.404.text", "お探しのページは存在しないか、移動しました。", "The page does not exist or has moved." },
    { "error.405", "この操作はできません", "Method not allowed" },
    { "error.405.text", "このページはこの方法では使えません。", "This page cannot be used with this method." },
    { "error.413", "送信内容が大きすぎます", "Request too large" },
    { "error.413.text", "送信された内容が上限を超えています。", "What was sent is larger than the limit." },
    { "error.429", "試行回数が多すぎます", "Too many attempts" },
    { "error.500", "サーバーエラー", "Server error" },
    { "error.500.text", "処理中に問題が起きました。時間をおいてもう一度お試しください。",
      "Something went wrong. Please try again later." },
    { "error.503", "一時的に利用できません", "Temporarily unavailable" },
    { "error.unavailable", "データベースを利用できません。時間をおいてもう一度お試しください。",
      "The database is unavailable. Please try again later." },
    { "error.csrf", "フォームの有効期限が切れたか、不正な送信です。ページを開き直してもう一度送信してください。",
      "The form has expired or was not sent from this site. Please reload the page and send it again." },
};

#define N_MESSAGES (sizeof messages / sizeof messages[0])

/* The tables of the page groups that keep their own, one line each:
 *     extern const web_message web_messages_NAME[];
 *     extern const size_t web_messages_NAME_count;
 * and a row { web_messages_NAME, &web_messages_NAME_count } below. */
static const size_t core_count = N_MESSAGES;

extern const web_message web_messages_results[];   /* web_results_messages.c: results, team, review */
extern const size_t web_messages_results_count;
extern const web_message web_messages_manager[];   /* web_manager_messages.c: team filters, bulk approval */
extern const size_t web_messages_manager_count;

extern const web_message web_messages_standard[];
extern const size_t web_messages_standard_count;
extern const web_message web_messages_diagnosis[];
extern const size_t web_messages_diagnosis_count;
extern const web_message web_messages_home[];
extern const size_t web_messages_home_count;
extern const web_message web_messages_account[];
extern const size_t web_messages_account_count;
extern const web_message web_messages_experience[];
extern const size_t web_messages_experience_count;

extern const web_message web_messages_hr[];        /* web_hr_i18n.c: HR pages and API */
extern const size_t web_messages_hr_count;
extern const web_message web_messages_admin[];     /* web_admin.c: users */
extern const size_t web_messages_admin_count;
extern const web_message web_messages_hr_import[]; /* web_hr_import.c: the CSV import page */
extern const size_t web_messages_hr_import_count;
extern const web_message web_messages_accounts[];  /* web_accounts.c: accounts in bulk, sign-in links */
extern const size_t web_messages_accounts_count;
extern const web_message web_messages_outbox[];    /* web_outbox.c: the outbox of e-mails */
extern const size_t web_messages_outbox_count;
extern const web_message web_messages_tokens[];    /* web_tokens.c: API tokens */
extern const size_t web_messages_tokens_count;
extern const web_message web_messages_api[];       /* web_json.c: JSON bodies */
extern const size_t web_messages_api_count;
extern const web_message web_messages_official[];  /* web_official_messages.c: review rule, certificates */
extern const size_t web_messages_official_count;
extern const web_message web_messages_plan[];      /* web_plan_messages.c: plans, training, qualifications */
extern const size_t web_messages_plan_count;

static const struct table {
    const message *rows;
    const size_t *count;
} tables[] = {
    { messages, &core_count },
    { web_messages_hr, &web_messages_hr_count },
    { web_messages_admin, &web_messages_admin_count },
    { web_messages_accounts, &web_messages_accounts_count },
    { web_messages_hr_import, &web_messages_hr_import_count },
    { web_messages_outbox, &web_messages_outbox_count },
    { web_messages_tokens, &web_messages_tokens_count },
    { web_messages_official, &web_messages_official_count },
    { web_messages_plan, &web_messages_plan_count },
    { web_messages_api, &web_messages_api_count },
    { web_messages_standard, &web_messages_standard_count },
    { web_messages_diagnosis, &web_messages_diagnosis_count },
    { web_messages_home, &web_messages_home_count },
    { web_messages_account, &web_messages_account_count },
    { web_messages_experience, &web_messages_experience_count },
    { web_messages_results, &web_messages_results_count },
    { web_messages_manager, &web_messages_manager_count },
};

#define N_TABLES (sizeof tables / sizeof tables[0])

static const message **sorted;
static size_t n_sorted;
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const message *const *)a)->key, (*(const message *const *)b)->key);
}

/* Builds the index of every table's rows, sorted by key. */
static void sort_messages(void)
{
    size_t n = 0;
    for (size_t t = 0; t < N_TABLES; t++)
        n += *tables[t].count;
    sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        abort();
    for (size_t t = 0; t < N_TABLES; t++)
        for (size_t i = 0; i < *tables[t].count; i++)
            sorted[n_sorted++] = &tables[t].rows[i];
    qsort(sorted, n_sorted, sizeof sorted[0], by_key);
}

/* The row for key, or NULL. */
static const message *find(const char *key)
{
    pthread_once(&sorted_once, sort_messages);
    message probe = { key, NULL, NULL };
    const message *p = &probe;
    const message *const *hit = bsearch(&p, sorted, n_sorted, sizeof sorted[0], by_key);
    return hit ? *hit : NULL;
}

const char *web_t_lang(const char *lang, const char *key)
{
    const message *m = find(key);
    if (!m)
        return key;
    return lang && strcmp(lang, "en") == 0 ? m->en : m->ja;
}

const char *web_t(const web_request *r, const char *key)
{
    return web_t_lang(r ? r->lang : "ja", key);
}

size_t web_i18n_count(void)
{
    pthread_once(&sorted_once, sort_messages);
    return n_sorted;
}

const char *web_i18n_key(size_t i, const char **ja, const char **en)
{
    pthread_once(&sorted_once, sort_messages);
    if (i >= n_sorted)
        return NULL;
    if (ja) *ja = sorted[i]->ja;
    if (en) *en = sorted[i]->en;
    return sorted[i]->key;
}
