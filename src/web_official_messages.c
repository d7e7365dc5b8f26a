/* web_official_messages.c - the messages of the review rule, the reviewer's
 * decisions, approvals, certificates (社内認定) and official levels
 * (web_manager.c, web_official.c), Japanese first, then English (registered in
 * web_i18n.c's list of tables). {1}, {2}... are filled by web_html_tpl. */
#include "web.h"

const web_message web_messages_official[] = {
    /* The one rule of who reviews (review.h). */
    { "rule.own", "本人の診断は評価・承認できません（評価者は本人の上位の上長か人事部です）。",
      "Nobody reviews or approves their own diagnosis (the reviewer is a manager above the person in the reporting "
      "line, or HR)." },
    { "rule.subordinate", "自分を（直接または間接に）管理する人の診断は評価・承認できません。",
      "Nobody reviews or approves the diagnosis of someone who manages them, directly or indirectly." },
    { "rule.not_above", "上長が評価・承認できるのは、報告系統で自分の下にいる人（部下、部下の部下…）の診断だけです。",
      "A manager reviews and approves only the people below them in the reporting line (their reports, their "
      "reports' reports...)." },
    { "rule.no_role", "診断を評価・承認できるのは、本人の上位の上長か人事部だけです。",
      "Only a manager above the person in the reporting line, or HR, reviews and approves a diagnosis." },
    { "rule.allowed", "評価できます。", "May review." },
    /* The reviewer's decisions. */
    { "review.agree", "本人評価に同意", "Agree with the self-rating" },
    { "review.agree_rest", "保存して、残りすべて本人評価に同意", "Save and agree with all remaining self-ratings" },
    { "review.reviewed", "評価者の判定", "Reviewed" },
    { "review.incomplete", "達成度指標（責任性・複雑性・サイズ・タスク特性）のうち {1} 項目に、評価者の評価も本人評価への同意もありません"
      "（最初は {2}）。すべての項目を評価するか本人評価に同意してから承認してください。",
      "{1} achievement criteria (responsibility, complexity, size, task) have neither the reviewer's rating nor an "
      "agreement with the self-rating (the first is {2}). Rate or agree with every one before approving." },
    { "review.bad_agree_remaining", "agree_remaining は true か false です。", "agree_remaining is true or false." },
};
const size_t web_messages_official_count = sizeof web_messages_official / sizeof web_messages_official[0];
