/* web_manager_messages.c - the messages of the team page's filters, order
 * and bulk approval (web_manager.c, web_manager_bulk.c), Japanese first, then
 * English (registered in web_i18n.c's list of tables). {1}, {2}... are
 * filled by web_html_tpl. */
#include "web.h"

const web_message web_messages_manager[] = {
    { "team.status_all", "すべて", "All" },
    { "team.certified", "認定", "certified" },
    { "team.bad_status", "状態は not_started, draft, returned, submitted, approved, certified のいずれかです。",
      "status is one of not_started, draft, returned, submitted, approved, certified." },
    { "team.bad_sort", "並べ替えは number, name, unit, status, submitted, level のいずれかです。",
      "sort is one of number, name, unit, status, submitted, level." },
    { "team.sort", "並べ替え", "Sort by" },
    { "team.sort.number", "社員番号", "Employee number" },
    { "team.sort.name", "氏名（読み）", "Name (reading)" },
    { "team.sort.unit", "組織", "Org unit" },
    { "team.sort.status", "状態", "Status" },
    { "team.sort.submitted", "提出日（古い順）", "Submitted (oldest first)" },
    { "team.sort.level", "承認レベル（高い順）", "Approved level (highest first)" },
    { "team.submitted_at", "提出日時", "Submitted" },
    { "team.bulk.pick", "一括承認に選ぶ", "Select for bulk approval" },
    { "team.bulk.button", "選んだ提出を一括承認…", "Approve the selected submissions…" },
    { "team.bulk.title", "一括承認の確認", "Confirm bulk approval" },
    { "team.bulk.ready", "承認する診断（{1}件）", "To approve ({1})" },
    { "team.bulk.refused", "承認できない診断（{1}件）", "Cannot be approved ({1})" },
    { "team.bulk.comment", "承認コメント（任意、全員に同じ内容）", "Approval comment (optional, the same for everyone)" },
    { "team.bulk.do", "{1}件を承認する", "Approve {1}" },
    { "team.bulk.nothing", "承認できる診断がありません。", "There is nothing that can be approved." },
    { "team.bulk.back", "チームに戻る", "Back to the team" },
    { "team.bulk.none", "承認する人を選んでください。", "Select the people to approve." },
    { "team.bulk.bad_person", "人の指定が正しくありません（社員のID）。", "A person is not valid (a person id)." },
    { "team.bulk.not_reviewer", "あなたが評価する人ではありません。", "You do not review this person." },
    { "team.bulk.approved", "{1}件の診断を承認しました。", "{1} assessments approved." },
    { "team.bulk.refused_none", "承認できない診断があるため、どれも承認していません。理由は refused を見てください。",
      "Some assessments cannot be approved, so none was: see refused for the reasons." },
    { "review.not_diagnosed_mark", "（対象外）", " (not diagnosed)" },
    { "review.not_diagnosed_none", "まだありません", "none yet" },
    { "review.not_diagnosed", "この専門分野は本人の診断の対象ではありません（対象外）。",
      "The person is not diagnosed in this specialization." },
};

const size_t web_messages_manager_count = sizeof web_messages_manager / sizeof web_messages_manager[0];
