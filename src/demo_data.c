/* demo_data.c - the tables of the fictional organization `itss demo` builds
 * (see demo_data.h). Invented names, units and projects only. */
#include <string.h>

#include "demo_data.h"

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

const char demo_company[] = "株式会社サンプルテクノサービス";

const demo_unit demo_units[] = {
    { "STS", "株式会社サンプルテクノサービス", NULL },
    { "HR", "人事部", "STS" },
    { "EAST", "東日本カスタマサービス本部", "STS" },
    { "EAST-HW", "東日本ハードウェア保守部", "EAST" },
    { "EAST-HW1", "金融システム保守課", "EAST-HW" },
    { "EAST-HW2", "公共・流通システム保守課", "EAST-HW" },
    { "EAST-SW", "東日本ソフトウェアサポート部", "EAST" },
    { "EAST-SW1", "基盤ソフトウェア課", "EAST-SW" },
    { "EAST-SW2", "ミドルウェアサポート課", "EAST-SW" },
    { "WEST", "西日本カスタマサービス本部", "STS" },
    { "WEST-HW", "西日本ハードウェア保守部", "WEST" },
    { "WEST-HW1", "関西保守課", "WEST-HW" },
    { "WEST-HW2", "九州保守課", "WEST-HW" },
    { "WEST-SW", "西日本ソフトウェアサポート部", "WEST" },
    { "WEST-SW1", "関西ソフトウェアサポート課", "WEST-SW" },
    { "FAC", "ファシリティ部", "STS" },
    { "FAC-DC", "データセンタ設備課", "FAC" },
    { "FAC-EQ", "電源・空調保全課", "FAC" },
};
const size_t demo_n_units = COUNT(demo_units);

/* unit, title, spec, 2026, 2025, second, level, joined, failed, female, stage */
const demo_post demo_posts[] = {
    { "EAST", "本部長", "HW", 5, 5, "SW", 3, 1990, 0, 0, DEMO_FULL },
    { "HR", "人事担当", NULL, 0, 0, NULL, 0, 2008, 0, 1, DEMO_NOT_ASSESSED },

    { "EAST-HW", "部長", "HW", 5, 5, NULL, 0, 1994, 0, 0, DEMO_FULL },
    { "EAST-HW1", "課長", "HW", 4, 4, NULL, 0, 2001, 0, 0, DEMO_FULL },
    { "EAST-HW1", NULL, "HW", 4, 3, NULL, 0, 2006, 0, 1, DEMO_FULL },
    { "EAST-HW1", NULL, "HW", 3, 3, NULL, 0, 2011, 1, 0, DEMO_FULL },
    { "EAST-HW1", NULL, "HW", 3, 2, NULL, 0, 2015, 0, 0, DEMO_FULL },
    { "EAST-HW1", NULL, "HW", 2, 2, "SW", 2, 2018, 0, 1, DEMO_FULL },
    { "EAST-HW1", NULL, "HW", 2, 1, NULL, 0, 2021, 0, 0, DEMO_FULL },
    { "EAST-HW1", NULL, "HW", 1, 1, NULL, 0, 2023, 0, 1, DEMO_FULL },
    { "EAST-HW1", NULL, "HW", 1, 0, NULL, 0, 2025, 0, 0, DEMO_FULL },
    { "EAST-HW2", "課長", "HW", 4, 4, NULL, 0, 2003, 0, 1, DEMO_FULL },
    { "EAST-HW2", NULL, "HW", 3, 3, NULL, 0, 2009, 0, 0, DEMO_FULL },
    { "EAST-HW2", NULL, "HW", 3, 3, NULL, 0, 2012, 0, 0, DEMO_FULL },
    { "EAST-HW2", NULL, "HW", 2, 1, NULL, 0, 2020, 0, 1, DEMO_FULL },
    { "EAST-HW2", NULL, "HW", 2, 2, NULL, 0, 2019, 1, 0, DEMO_FULL },
    { "EAST-HW2", NULL, "HW", 1, 1, NULL, 0, 2024, 0, 0, DEMO_FULL },
    { "EAST-HW2", NULL, "HW", 1, -1, NULL, 0, 2026, 0, 1, DEMO_NOT_STARTED },

    { "EAST-SW", "部長", "SW", 5, 5, NULL, 0, 1995, 0, 1, DEMO_FULL },
    { "EAST-SW1", "課長", "SW", 5, 4, NULL, 0, 2002, 0, 0, DEMO_FULL },
    { "EAST-SW1", NULL, "SW", 4, 4, NULL, 0, 2005, 0, 1, DEMO_FULL },
    { "EAST-SW1", NULL, "SW", 3, 2, NULL, 0, 2014, 0, 0, DEMO_FULL },
    { "EAST-SW1", NULL, "SW", 3, 3, NULL, 0, 2010, 0, 0, DEMO_FULL },
    { "EAST-SW1", NULL, "SW", 2, 2, NULL, 0, 2017, 0, 1, DEMO_FULL },
    { "EAST-SW1", NULL, "SW", 2, 2, "HW", 2, 2019, 0, 0, DEMO_FULL },
    { "EAST-SW1", NULL, "SW", 1, 1, NULL, 0, 2024, 0, 1, DEMO_FULL },
    { "EAST-SW2", "課長", "SW", 4, 4, NULL, 0, 2004, 0, 0, DEMO_FULL },
    { "EAST-SW2", NULL, "SW", 3, 3, NULL, 0, 2011, 1, 1, DEMO_FULL },
    { "EAST-SW2", NULL, "SW", 2, 1, NULL, 0, 2021, 0, 0, DEMO_FULL },
    { "EAST-SW2", NULL, "SW", 2, 2, NULL, 0, 2018, 0, 0, DEMO_FULL },
    { "EAST-SW2", NULL, "SW", 1, 1, NULL, 0, 2023, 0, 1, DEMO_FULL },
    { "EAST-SW2", NULL, "SW", 1, -1, NULL, 0, 2026, 0, 0, DEMO_HALF },

    { "WEST", "本部長", "SW", 5, 5, NULL, 0, 1991, 0, 0, DEMO_FULL },
    { "WEST-HW", "部長", "HW", 5, 4, NULL, 0, 1996, 0, 0, DEMO_FULL },
    { "WEST-HW1", "課長", "HW", 4, 4, NULL, 0, 2000, 0, 0, DEMO_FULL },
    { "WEST-HW1", NULL, "HW", 3, 2, NULL, 0, 2013, 0, 1, DEMO_FULL },
    { "WEST-HW1", NULL, "HW", 3, 3, NULL, 0, 2008, 0, 0, DEMO_FULL },
    { "WEST-HW1", NULL, "HW", 2, 2, NULL, 0, 2016, 1, 0, DEMO_FULL },
    { "WEST-HW1", NULL, "HW", 2, 2, NULL, 0, 2019, 0, 1, DEMO_FULL },
    { "WEST-HW1", NULL, "HW", 1, 1, NULL, 0, 2024, 0, 0, DEMO_FULL },
    { "WEST-HW2", "課長", "HW", 4, 3, NULL, 0, 2006, 0, 0, DEMO_FULL },
    { "WEST-HW2", NULL, "HW", 3, 3, NULL, 0, 2012, 0, 0, DEMO_FULL },
    { "WEST-HW2", NULL, "HW", 2, 2, NULL, 0, 2018, 0, 1, DEMO_FULL },
    { "WEST-HW2", NULL, "HW", 1, 1, NULL, 0, 2023, 0, 0, DEMO_FULL },
    { "WEST-HW2", NULL, "HW", 1, -1, NULL, 0, 2026, 0, 0, DEMO_NOT_STARTED },
    { "WEST-SW", "部長", "SW", 4, 4, NULL, 0, 1998, 0, 1, DEMO_FULL },
    { "WEST-SW1", "課長", "SW", 4, 4, NULL, 0, 2003, 0, 0, DEMO_FULL },
    { "WEST-SW1", NULL, "SW", 3, 3, NULL, 0, 2009, 0, 0, DEMO_FULL },
    { "WEST-SW1", NULL, "SW", 3, 3, NULL, 0, 2013, 0, 1, DEMO_FULL },
    { "WEST-SW1", NULL, "SW", 2, 1, NULL, 0, 2021, 0, 0, DEMO_FULL },
    { "WEST-SW1", NULL, "SW", 1, 1, NULL, 0, 2024, 0, 1, DEMO_FULL },
    { "WEST-SW1", NULL, "SW", 1, 0, NULL, 0, 2025, 0, 0, DEMO_FULL },

    { "FAC", "部長", "FM", 6, 6, NULL, 0, 1993, 0, 0, DEMO_FULL },
    { "FAC-DC", "課長", "FM", 5, 4, NULL, 0, 1999, 0, 1, DEMO_FULL },
    { "FAC-DC", "担当部長", "FM", 6, 5, NULL, 0, 1997, 0, 0, DEMO_FULL },
    { "FAC-DC", NULL, "FM", 4, 4, NULL, 0, 2004, 0, 0, DEMO_FULL },
    { "FAC-DC", NULL, "FM", 3, 0, "HW", 2, 2016, 0, 0, DEMO_FULL },
    { "FAC-DC", NULL, "FM", 3, 3, NULL, 0, 2012, 0, 1, DEMO_FULL },
    { "FAC-DC", NULL, "FM", 0, 0, "HW", 2, 2017, 0, 0, DEMO_FULL },
    { "FAC-EQ", "課長", "FM", 5, 5, NULL, 0, 2001, 0, 0, DEMO_FULL },
    { "FAC-EQ", NULL, "FM", 4, 3, NULL, 0, 2008, 0, 1, DEMO_FULL },
    { "FAC-EQ", NULL, "FM", 3, 3, NULL, 0, 2014, 0, 0, DEMO_FULL },
    { "FAC-EQ", NULL, "FM", 0, 0, NULL, 0, 2023, 1, 0, DEMO_FULL },
    { "FAC-EQ", NULL, "FM", 0, 0, NULL, 0, 2025, 0, 1, DEMO_FULL },
};
const size_t demo_n_posts = COUNT(demo_posts);

const demo_name demo_surnames[] = {
    { "佐藤", "サトウ", "sato" },       { "鈴木", "スズキ", "suzuki" },     { "高橋", "タカハシ", "takahashi" },
    { "田中", "タナカ", "tanaka" },     { "伊藤", "イトウ", "ito" },        { "渡辺", "ワタナベ", "watanabe" },
    { "山本", "ヤマモト", "yamamoto" }, { "中村", "ナカムラ", "nakamura" }, { "小林", "コバヤシ", "kobayashi" },
    { "加藤", "カトウ", "kato" },       { "吉田", "ヨシダ", "yoshida" },    { "山田", "ヤマダ", "yamada" },
    { "佐々木", "ササキ", "sasaki" },   { "山口", "ヤマグチ", "yamaguchi" },{ "松本", "マツモト", "matsumoto" },
    { "井上", "イノウエ", "inoue" },    { "木村", "キムラ", "kimura" },     { "林", "ハヤシ", "hayashi" },
    { "斎藤", "サイトウ", "saito" },    { "清水", "シミズ", "shimizu" },    { "山崎", "ヤマザキ", "yamazaki" },
    { "森", "モリ", "mori" },           { "池田", "イケダ", "ikeda" },      { "橋本", "ハシモト", "hashimoto" },
    { "阿部", "アベ", "abe" },          { "石川", "イシカワ", "ishikawa" }, { "山下", "ヤマシタ", "yamashita" },
    { "中島", "ナカジマ", "nakajima" }, { "石井", "イシイ", "ishii" },      { "小川", "オガワ", "ogawa" },
    { "前田", "マエダ", "maeda" },      { "岡田", "オカダ", "okada" },      { "長谷川", "ハセガワ", "hasegawa" },
    { "藤田", "フジタ", "fujita" },     { "後藤", "ゴトウ", "goto" },       { "近藤", "コンドウ", "kondo" },
    { "村上", "ムラカミ", "murakami" }, { "遠藤", "エンドウ", "endo" },     { "青木", "アオキ", "aoki" },
    { "坂本", "サカモト", "sakamoto" }, { "西村", "ニシムラ", "nishimura" },{ "福田", "フクダ", "fukuda" },
    { "太田", "オオタ", "ota" },        { "三浦", "ミウラ", "miura" },      { "藤井", "フジイ", "fujii" },
    { "岡本", "オカモト", "okamoto" },  { "松田", "マツダ", "matsuda" },    { "原田", "ハラダ", "harada" },
};
const size_t demo_n_surnames = COUNT(demo_surnames);

const demo_name demo_given_male[] = {
    { "健太", "ケンタ", "kenta" },     { "大輔", "ダイスケ", "daisuke" }, { "拓也", "タクヤ", "takuya" },
    { "翔太", "ショウタ", "shota" },   { "誠", "マコト", "makoto" },      { "浩二", "コウジ", "koji" },
    { "直樹", "ナオキ", "naoki" },     { "和也", "カズヤ", "kazuya" },    { "剛", "ツヨシ", "tsuyoshi" },
    { "隆", "タカシ", "takashi" },     { "博之", "ヒロユキ", "hiroyuki" },{ "修", "オサム", "osamu" },
    { "亮", "リョウ", "ryo" },         { "智也", "トモヤ", "tomoya" },    { "雄一", "ユウイチ", "yuichi" },
    { "達也", "タツヤ", "tatsuya" },   { "哲也", "テツヤ", "tetsuya" },   { "悠斗", "ユウト", "yuto" },
    { "蓮", "レン", "ren" },           { "陽介", "ヨウスケ", "yosuke" },  { "秀樹", "ヒデキ", "hideki" },
    { "正人", "マサト", "masato" },    { "純一", "ジュンイチ", "junichi" },{ "大樹", "ダイキ", "daiki" },
    { "聡", "サトシ", "satoshi" },     { "康弘", "ヤスヒロ", "yasuhiro" },
};
const size_t demo_n_given_male = COUNT(demo_given_male);

const demo_name demo_given_female[] = {
    { "花子", "ハナコ", "hanako" },    { "美咲", "ミサキ", "misaki" },    { "由美", "ユミ", "yumi" },
    { "恵", "メグミ", "megumi" },      { "陽子", "ヨウコ", "yoko" },      { "真由美", "マユミ", "mayumi" },
    { "彩", "アヤ", "aya" },           { "麻衣", "マイ", "mai" },         { "千尋", "チヒロ", "chihiro" },
    { "直子", "ナオコ", "naoko" },     { "久美子", "クミコ", "kumiko" },  { "沙織", "サオリ", "saori" },
    { "愛", "アイ", "ai" },            { "優子", "ユウコ", "yuko" },      { "裕子", "ヒロコ", "hiroko" },
    { "結衣", "ユイ", "yui" },         { "さくら", "サクラ", "sakura" },  { "明美", "アケミ", "akemi" },
    { "香織", "カオリ", "kaori" },     { "智子", "トモコ", "tomoko" },
};
const size_t demo_n_given_female = COUNT(demo_given_female);

const demo_project demo_projects[] = {
    /* ハードウェア */
    { "HW", 1, 2, "社内検証環境のPCサーバ保守", "上位者の指導の下、定期点検と部品交換を実施した" },
    { "HW", 1, 2, "営業店端末の定期保守", "手順書に従って端末の定期点検、消耗品交換を実施した" },
    { "HW", 1, 2, "中堅製造業の部門サーバ保守", "計画停止時間内にファームウェア更新と部品交換を実施した" },
    { "HW", 1, 2, "大学研究室のUNIXサーバ保守", "障害時の一次切り分けと保守部品の手配を担当した" },
    { "HW", 1, 2, "自治体窓口端末の入替作業", "作業計画に従い、休日作業で端末入替と動作確認を行った" },
    { "HW", 3, 4, "全国ATM網保守", "24時間365日稼動のATM網で障害回復と予防保守を担当した" },
    { "HW", 3, 4, "地方銀行勘定系ホスト更改", "マルチベンダ環境のホスト更改で導入作業と切替を担当した" },
    { "HW", 3, 4, "流通業POSシステムの全国展開", "全国の店舗へのPOS端末とサーバの導入を担当した" },
    { "HW", 3, 5, "証券会社の基幹ストレージ更改", "ミッションクリティカルなストレージの無停止移行を担当した" },
    { "HW", 3, 5, "クレジットカード会社オンラインシステムの保守", "オンライン基盤の保守計画と障害回復を担当した" },
    { "HW", 4, 5, "製造業基幹システムのサーバ統合", "クロスプラットフォームのサーバ群の統合と保守体制を整えた" },
    { "HW", 4, 5, "データセンタ移転", "首都圏データセンタの移転で機器の移設計画と切替を統括した" },
    { "HW", 5, 5, "メガバンク勘定系ホストの保守体制統括", "広域の保守チーム全体の要員計画と収益性を管理した" },
    { "HW", 5, 5, "官公庁統合ネットワーク基盤の保守統括", "全国規模のネットワーク基盤の保守サービス全体を担当した" },
    /* ソフトウェア */
    { "SW", 1, 2, "社内ヘルプデスクのOSパッチ適用支援", "上位者の作成した計画に従ってパッチ適用と確認を実施した" },
    { "SW", 1, 2, "中小企業向け会計パッケージの導入支援", "導入手順に従ってインストールと初期設定を行った" },
    { "SW", 1, 2, "自治体文書管理システムのバージョンアップ", "計画停止中のバージョンアップ作業と動作確認を担当した" },
    { "SW", 1, 2, "大学学務システムのミドルウェア更新", "ミドルウェアの更新作業と問い合わせの一次対応を行った" },
    { "SW", 3, 4, "地方銀行勘定系ホスト更改（OS・ミドルウェア）", "OSとミドルウェアの移行設計と障害診断を担当した" },
    { "SW", 3, 4, "保険会社データベースのバージョンアップ", "ミッションクリティカルなデータベースの移行を担当した" },
    { "SW", 3, 4, "航空会社予約システムのミドルウェア障害対応", "24時間稼動の予約システムで障害診断と回避策の提示を行った" },
    { "SW", 3, 5, "通信キャリア顧客管理システムの仮想化移行", "マルチベンダの仮想化基盤への移行と技術支援を担当した" },
    { "SW", 3, 5, "流通業ERPパッケージの運用支援", "全国拠点で使われるERPの運用支援と改善提案を行った" },
    { "SW", 4, 5, "全国ATM網の監視ソフトウェア刷新", "全国規模の監視基盤の刷新でソフトウェアサポートを統括した" },
    { "SW", 5, 5, "メガバンク基幹系のOSサポート統括", "基幹系全体のソフトウェアサポート戦略と体制を立案した" },
    { "SW", 5, 5, "クラウド移行支援サービスの立ち上げ", "新サービスの技術支援計画と要員計画を立案、運営した" },
    /* ファシリティマネジメント */
    { "FM", 3, 3, "本社サーバルームの空調更新", "空調機の更新工事で設備の切替と運転監視を担当した" },
    { "FM", 3, 3, "支店ネットワーク機器室の電源工事", "分電盤の増設工事で停電作業の手順作成と立会いを行った" },
    { "FM", 3, 4, "データセンタの入退室管理システム導入", "防犯要件に基づく入退室管理の導入と運用設計を担当した" },
    { "FM", 3, 4, "地方拠点の情報配線更改", "拠点の情報配線と付帯設備の更改を担当した" },
    { "FM", 4, 5, "コンピュータルームのUPS更新", "無停止でのUPS更新計画と施工管理を担当した" },
    { "FM", 4, 5, "店舗網の付帯設備管理", "小規模ネットワークの付帯設備の管理、運営を担当した" },
    { "FM", 4, 5, "データセンタの消火設備更新", "ガス系消火設備の更新と防災訓練の計画を担当した" },
    { "FM", 5, 6, "データセンタ移転（ファシリティ）", "移転先の電源、空調、防災設備の設計と構築を統括した" },
    { "FM", 5, 6, "首都圏データセンタの電源設備増強", "特高受電設備の増強計画と工事を統括した" },
    { "FM", 6, 6, "全国300拠点ネットワークの付帯設備統合管理", "大規模ネットワークの付帯設備の管理、運営を統括した" },
    { "FM", 6, 6, "免震データセンタの新設", "施設戦略に基づく新データセンタの企画、設計、構築を統括した" },
};
const size_t demo_n_projects = COUNT(demo_projects);

const char *const demo_failure_notes[] = {
    "移行リハーサルで障害が解消できず、本番切替を延期したまま計画が中止された",
    "作業手順の不備で計画停止時間内に作業が終わらず、切り戻した",
    "予算超過によりプロジェクトが途中で打ち切られた",
};
const size_t demo_n_failure_notes = COUNT(demo_failure_notes);

const demo_contribution demo_contributions[] = {
    { "HW", 4, "community", "社内ストレージ技術勉強会の主催", "月1回、保守部門横断で事例を共有した" },
    { "HW", 4, "paper", "技術レポート「ATM網における予防保守の効果」", "障害件数の推移と予防保守の効果をまとめた" },
    { "HW", 5, "mentoring", "若手保守技術者向け研修の講師", "新人と2年目の技術者を対象に年2回実施した" },
    { "SW", 4, "community", "社内障害対応ナレッジ共有会の運営", "ソフトウェア障害の事例を毎月共有した" },
    { "SW", 4, "paper", "社内技術論文「仮想化環境におけるミドルウェア障害の切り分け」", "切り分け手順を体系化した" },
    { "SW", 5, "mentoring", "後輩3名の資格取得支援", "情報処理技術者試験の学習計画を支援した" },
    { "FM", 4, "community", "社内ファシリティ技術交流会の運営", "拠点間で設備保全の事例を共有した" },
    { "FM", 5, "mentoring", "電気主任技術者を目指す若手の指導", "受験計画と実務の指導を行った" },
    { "FM", 6, "community", "業界団体のデータセンタ分科会委員", "データセンタの設備基準づくりに参加した" },
    { "FM", 6, "paper", "講演「データセンタ移転における電源切替の実際」", "業界セミナーで事例を講演した" },
};
const size_t demo_n_contributions = COUNT(demo_contributions);

/* The role an engineer plays at a level, in the standard's own terms where it has them. */
const char *demo_role(const char *spec, int level)
{
    int fm = spec && strcmp(spec, "FM") == 0;
    if (level <= 2)
        return "チームメンバ";
    if (level == 3)
        return fm ? "設備担当" : "担当技術者";
    if (level == 4)
        return "チームリーダ";
    if (level == 5)
        return "サービス責任者";
    return "統括責任者";
}
