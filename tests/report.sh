#!/bin/sh
# report.sh - the reports (itss report, the web's downloads) read back as a
# person would: the PDFs through pdftotext (the Japanese text is there, the
# title, the filters and "ページ n / N" on every page) and pdftoppm (the pages
# render), the workbooks through Python's zipfile (tests/xlsx_read.py), their
# numbers against an oracle that counts `itss export levels` itself (and a
# changed oracle is caught); --headers ja; the web's downloads with their
# refusals (unknown cycle, unit, levels kind: 4xx, never 500; someone outside
# the user's reach: 403). Run with ITSS_BIN set; one TAP-style line per check.
. "$(dirname "$0")/lib.sh"
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
    echo "ok - the PDF and workbook reports read back # SKIP poppler-utils (pdftotext, pdftoppm) is not installed"
    exit 0
fi

xlsx() { "$PY" "$HERE/xlsx_read.py" "$@"; }
cid() { sql "SELECT id FROM cycle WHERE name = '$1'"; }
# pdf_pages FILE: every page has the title, the first filter and "ページ n / N".
pdf_pages() {
    n=$(pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p')
    [ -n "$n" ] && [ "$n" -ge 1 ] || return 1
    i=1
    while [ "$i" -le "$n" ]; do
        pdftotext -f "$i" -l "$i" "$1" - 2>/dev/null >"$T/page.txt"
        grep -qF "$2" "$T/page.txt" && grep -qF "$3" "$T/page.txt" && grep -qF "ページ $i / $n" "$T/page.txt" || return 1
        i=$((i + 1))
    done
}
# renders FILE: pdftoppm makes a PNG of its first page.
renders() {
    rm -f "$T"/png-*.png
    pdftoppm -r 40 -f 1 -l 1 -png "$1" "$T/png" 2>/dev/null && [ -s "$(ls "$T"/png-*.png 2>/dev/null | head -n 1)" ]
}

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
C26=$(cid 2026年度); C25=$(cid 2025年度)

# ---- The organization report ----------------------------------------------------
"$ITSS_BIN" report org --cycle 2026年度 --compare 2025年度 --db "$DB" --pdf "$T/org.pdf" --xlsx "$T/org.xlsx" 2>"$T/err"
check "itss report org writes the PDF and the workbook" test $? -eq 0 -a -s "$T/org.pdf" -a -s "$T/org.xlsx"
pdftotext "$T/org.pdf" "$T/org.txt" 2>/dev/null
check "pdftotext finds 人材ポートフォリオ, the units and the level kind in the org PDF" \
    sh -c "grep -qF 人材ポートフォリオ '$T/org.txt' && grep -qF 東日本カスタマサービス本部 '$T/org.txt' && grep -qF 'レベル: 公式' '$T/org.txt'"
check "every page of the org PDF has the title, the cycle and 'ページ n / N'" pdf_pages "$T/org.pdf" "人材ポートフォリオ 組織レポート" "期間: 2026年度"
check "the org PDF's pages are A4 across" sh -c "pdfinfo '$T/org.pdf' | grep -q 'Page size: *841.89 x 595.2'"
check "pdftoppm renders the org PDF" renders "$T/org.pdf"
# --depth: the printed 組織別 shows the units that many levels deep and says how
# many it summarizes; the workbook keeps every unit (test_report_org.c checks the sums).
"$ITSS_BIN" report org --cycle 2026年度 --depth 2 --db "$DB" --pdf "$T/d2.pdf" --xlsx "$T/d2.xlsx" 2>"$T/err"
units=$(sql "SELECT count(*) FROM org_unit"); shown=$(sql "SELECT count(*) FROM org_unit WHERE parent_id IS NULL OR parent_id IN (SELECT id FROM org_unit WHERE parent_id IS NULL)")
pdftotext "$T/d2.pdf" - 2>/dev/null | tr -d '\n' >"$T/d2.txt"
check "--depth 2: the PDF shows the top two levels ($shown of $units units) and says how many it summarizes" \
    grep -q "上位 2 階層の $shown 組織を表示しています。その下の $((units - shown)) 組織は" "$T/d2.txt"
check "--depth 2: the workbook's 組織別 still has every unit ($units)" \
    test "$(xlsx "$T/d2.xlsx" 組織別 | tail -n +2 | grep -c '^\["[^"]')" = "$units"
check "the default depth (4) prints every unit of the demo's four levels: no line, the same tables" \
    sh -c "! grep -q '階層の' '$T/org.txt'"
for bad in 0 65 x; do
    "$ITSS_BIN" report org --cycle 2026年度 --depth $bad --db "$DB" --pdf "$T/x.pdf" 2>"$T/err"; rc=$?
    check "--depth $bad: exit 2 naming --depth, no file" sh -c "test $rc -eq 2 && grep -q -- '--depth' '$T/err' && test ! -e '$T/x.pdf'"
done
xlsx "$T/org.xlsx" >"$T/sheets"
check "the workbook has a sheet per table: 条件, 人材ポートフォリオ, レベルの変化, 組織別, 推移, the skill map's three, レベル一覧" \
    test "$(tr '\n' '|' <"$T/sheets")" = "条件|人材ポートフォリオ|レベルの変化|組織別|推移|スキルマップ 熟達度|スキルマップ 知識|知識 弱い順|レベル一覧|"
check "the org PDF has the skill map (proficiency, the weakest categories), not the long coverage list" \
    sh -c "grep -qF 'スキルマップ：熟達度' '$T/org.txt' && grep -qF '知識カテゴリ（弱い順、全体）' '$T/org.txt' && ! grep -qF '知識カテゴリ（組織' '$T/org.txt'"
for s in 人材ポートフォリオ 組織別 推移 レベル一覧; do xlsx "$T/org.xlsx" "$s" >"$T/sheet-$s"; done
"$PY" - "$T/sheet-人材ポートフォリオ" "$T/sheet-推移" <<'EOF2'
import json, sys
pf = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("#")][1:]
tr = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if not l.startswith("#")][1:]
now = {r[0]: r[2:] for r in tr if r[1] == "2026年度"}
sys.exit(0 if pf and all(now.get(r[0]) == r[1:-1] for r in pf) and any(r[1] == "2025年度" for r in tr) else 1)
EOF2
check "the trends sheet has every cycle, its 2026年度 rows equal to the portfolio" test $? -eq 0
check "each table's sheet has a bold frozen header row and an autofilter" sh -c \
    "for s in 人材ポートフォリオ 組織別 レベル一覧; do tail -n 1 '$T'/sheet-\$s | grep -q '^#frozen=1 autofilter=A1:[A-Z]*[0-9]* bold_header=1\$' || exit 1; done"

# The oracle: the official levels of 2026年度 as `itss export levels` gives them.
"$ITSS_BIN" export levels --cycle 2026年度 --db "$DB" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' >"$T/levels.csv"
sql "SELECT o.code, COALESCE(p.code, '') FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id" >"$T/tree"
cat >"$T/oracle.py" <<'EOF'
import csv, json, sys
levels_csv, tree_file, sheets_dir, mutate = sys.argv[1:5]
rows = list(csv.DictReader(open(levels_csv, encoding="utf-8")))
if mutate == "1":                      # a changed oracle must be caught
    rows[0]["HW"] = str(int(rows[0]["HW"]) + 1 if rows[0]["HW"] != "7" else 1)
specs = ["HW", "SW", "FM"]
def sheet(name):
    return [json.loads(l) for l in open(f"{sheets_dir}/sheet-{name}", encoding="utf-8") if not l.startswith("#")]
problems = []
# 人材ポートフォリオ: people per specialization and level.
pf = sheet("人材ポートフォリオ")
for s, line in zip(specs, pf[1:]):
    want = [sum(1 for r in rows if r[s] == str(l)) for l in range(8)]
    if line[1:9] != want or line[9] != sum(want):
        problems.append(f"portfolio {s}: {line[1:]} != {want}")
# レベル一覧: every row of the export, levels as numbers, 0 as 未到達.
people = sheet("レベル一覧")[1:]
mine = sorted((p[0], tuple(0 if v == "未到達" else v for v in p[7:10])) for p in people)
theirs = sorted((r["employee_number"], tuple(int(r[s]) for s in specs)) for r in rows)
if mine != theirs:
    problems.append("levels list differs from itss export levels")
if any(isinstance(v, str) and v != "未到達" for p in people for v in p[7:10]):
    problems.append("a level in the list is text other than 未到達")
# 組織別: each unit's row counts its whole subtree (its own people and its units').
parent = dict(l.rstrip("\n").split("|") for l in open(tree_file, encoding="utf-8"))
def under(code, unit):
    while unit:
        if unit == code:
            return True
        unit = parent.get(unit, "")
    return False
org = sheet("組織別")
header = org[0]
for line in org[1:]:
    code = line[0]
    mine_rows = [r for r in rows if under(code, r["org_unit_code"])]
    if line[2] != len(mine_rows):
        problems.append(f"unit {code}: {line[2]} assessments, the export has {len(mine_rows)}")
    for col, name in enumerate(header[3:], 3):
        s, lv = name.split(" ")
        l = 0 if lv == "未到達" else int(lv[1:])
        if line[col] != sum(1 for r in mine_rows if r[s] == str(l)):
            problems.append(f"unit {code} {name}: {line[col]}")
# Subtotals add up: a unit's count is its own people's plus its sub-units' rows.
counts = {line[0]: line[2] for line in org[1:]}
for code in counts:
    own = sum(1 for r in rows if r["org_unit_code"] == code)
    kids = sum(n for c, n in counts.items() if parent.get(c) == code)
    if counts[code] != own + kids:
        problems.append(f"unit {code}: {counts[code]} != own {own} + sub-units {kids}")
print("\n".join(problems[:5]))
sys.exit(1 if problems else 0)
EOF
"$PY" "$T/oracle.py" "$T/levels.csv" "$T/tree" "$T" 0 >"$T/oracle.out"
check "the workbook's portfolio, units (subtotals adding up) and levels list equal the counts of itss export levels" \
    test $? -eq 0
"$PY" "$T/oracle.py" "$T/levels.csv" "$T/tree" "$T" 1 >/dev/null
check "... and with one level of the oracle changed, the comparison fails" test $? -ne 0
total=$(($(wc -l <"$T/levels.csv") - 1))
check "the org PDF says how many assessments it counted ($total, the rows of itss export levels)" \
    grep -qF "集計した診断: $total 件" "$T/org.txt"

"$ITSS_BIN" report org --cycle 2026年度 --levels self --unit EAST --db "$DB" --xlsx "$T/self.xlsx" 2>/dev/null
xlsx "$T/self.xlsx" 条件 >"$T/cond"
xlsx "$T/self.xlsx" レベル一覧 >"$T/self-list"
"$ITSS_BIN" export levels --levels self --cycle 2026年度 --db "$DB" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' >"$T/self.csv"
n_self=$("$PY" -c '
import csv, sys
parent = dict(l.rstrip("\n").split("|") for l in open(sys.argv[2], encoding="utf-8"))
def under(unit):
    while unit:
        if unit == "EAST":
            return True
        unit = parent.get(unit, "")
    return False
print(sum(1 for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if under(r["org_unit_code"])))' "$T/self.csv" "$T/tree")
check "--levels self --unit EAST: the conditions sheet says so, the list has the unit's self-assessed levels ($n_self)" \
    sh -c "grep -qF 'レベル: 本人評価' '$T/cond' && grep -qF '組織: EAST' '$T/cond' && test \$(grep -c '本人評価' '$T/self-list') -eq $n_self"

# ---- The personal report ----------------------------------------------------------
"$ITSS_BIN" certify E1019 --spec HW --cycle 2026年度 --db "$DB" >"$T/cert" 2>&1
CERT=$(grep -o 'ITSS-[0-9]*-[0-9]*' "$T/cert" | head -n 1)
"$ITSS_BIN" report person E1019 --target HW:5 --db "$DB" --pdf "$T/p.pdf" --xlsx "$T/p.xlsx" 2>"$T/err"
check "itss report person E1019 --target HW:5 writes the PDF and the workbook" test $? -eq 0 -a -s "$T/p.pdf"
pdftotext "$T/p.pdf" "$T/p.txt" 2>/dev/null
check "pdftotext finds the person's name, the target gap, the radar's areas and the certificate $CERT" sh -c \
    "grep -qF '小林 優子' '$T/p.txt' && grep -qF '目標との差: ハードウェア レベル5' '$T/p.txt' && grep -qF 'スキル熟達度: ハードウェア' '$T/p.txt' && test -n '$CERT' && grep -qF '$CERT' '$T/p.txt'"
check "every page of the personal PDF has the title, the name and 'ページ n / N'" pdf_pages "$T/p.pdf" 個人診断レポート "小林 優子（E1019）"
check "pdftoppm renders the personal PDF" renders "$T/p.pdf"
"$ITSS_BIN" level E1019 --json --db "$DB" | "$PY" -c '
import json, sys
r = json.load(sys.stdin)
for s in r["specializations"]:
    print(s["name"], s["level"] if s["level"] else "未到達")' >"$T/want-levels"
xlsx "$T/p.xlsx" レベル | sed '1d;$d' | "$PY" -c '
import json, sys
for l in sys.stdin:
    c = json.loads(l)
    print(c[0], c[1])' >"$T/got-levels"
check "the personal report's self-assessed levels equal itss level --json" cmp -s "$T/want-levels" "$T/got-levels"
# The explanation quotes the standard: a responsibility of HW level 1 as the catalog words it.
quote=$("$PY" -c '
import json,sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
def walk(x):
    if isinstance(x, dict):
        if x.get("id") == "CS.HWSW.L1.responsibility":
            print(x.get("text", "")); sys.exit(0)
        for v in x.values(): walk(v)
    elif isinstance(x, list):
        for v in x: walk(v)
walk(c)' "$HERE/../catalog/customer-service.json" 2>/dev/null | cut -c1-20)
check "the explanation quotes the standard's wording ('${quote}...')" sh -c "test -n '$quote' && tr -d ' \n' <'$T/p.txt' | grep -qF '$(printf %s "$quote" | tr -d ' ')'"

# ---- Refusals of the command line -------------------------------------------------
"$ITSS_BIN" report org --cycle 1999年度 --db "$DB" --pdf "$T/x.pdf" 2>"$T/err"; rc=$?
check "an unknown cycle: exit 3 naming --cycle, no file" sh -c "test $rc -eq 3 && grep -q -- '--cycle' '$T/err' && test ! -e '$T/x.pdf'"
"$ITSS_BIN" report org --cycle 2026年度 --unit NOPE --db "$DB" --pdf "$T/x.pdf" 2>"$T/err"; rc=$?
check "an unknown unit: exit 3 naming --unit" sh -c "test $rc -eq 3 && grep -q -- '--unit' '$T/err'"
"$ITSS_BIN" report person E9999 --db "$DB" --pdf "$T/x.pdf" 2>/dev/null; rc=$?
check "an unknown person: exit 3" test $rc -eq 3
"$ITSS_BIN" report person E1019 --target HW:9 --db "$DB" --pdf "$T/x.pdf" 2>"$T/err"; rc=$?
check "a target level the specialization lacks: exit 2 naming --target" sh -c "test $rc -eq 2 && grep -q -- '--target' '$T/err'"
"$ITSS_BIN" report org --cycle 2026年度 --db "$DB" 2>/dev/null; rc=$?
check "no --pdf nor --xlsx: exit 2" test $rc -eq 2
"$ITSS_BIN" report org --cycle 2026年度 --db "$DB" --pdf "$T/no/such/dir/x.pdf" 2>"$T/err"; rc=$?
check "a PDF that cannot be written: exit 2 naming the file" sh -c "test $rc -eq 2 && grep -qF 'no/such/dir/x.pdf' '$T/err'"

# ---- --headers ja -------------------------------------------------------------------
"$ITSS_BIN" export levels --cycle 2026年度 --headers ja --db "$DB" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' >"$T/ja.csv"
check "export levels --headers ja: 社員番号,氏名,... and the specializations by name" \
    test "$(head -n 1 "$T/ja.csv")" = "社員番号,氏名,組織コード,組織名,期間,状態,レベル種別,ハードウェア,ソフトウェア,ファシリティマネジメント"
"$PY" -c '
import csv, sys
en = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
ja = list(csv.reader(open(sys.argv[2], encoding="utf-8")))[1:]
ok = len(en) == len(ja) and all(a[0] == b[0] and all((x == "0" and y == "未到達") or (x == y and x != "0") for x, y in zip(a[7:], b[7:])) for a, b in zip(en, ja))
sys.exit(0 if ok and any("未到達" in r for r in ja) else 1)' "$T/levels.csv" "$T/ja.csv"
check "... the same rows as the English export, with 未到達 where it has 0" test $? -eq 0
"$ITSS_BIN" export people --headers ja --db "$DB" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' | head -n 1 >"$T/ja-people"
check "export people --headers ja: 社員番号,氏名,フリガナ,..." grep -q '^社員番号,氏名,フリガナ,メールアドレス,組織コード,上長の社員番号,退職日$' "$T/ja-people"
"$ITSS_BIN" export levels --headers fr --db "$DB" >/dev/null 2>&1; rc=$?
check "--headers fr: exit 2" test $rc -eq 2

# ---- The web's downloads ------------------------------------------------------------
S_HR=$(session hr itss-demo-hr); S_MGR=$(session manager itss-demo-manager); S_ENG=$(session engineer itss-demo-engineer)
page "/hr/export/org.xlsx?cycle=$C26&compare=$C25" "$S_HR"
check "GET /hr/export/org.xlsx as HR: 200, a workbook for download" sh -c \
    "test '$status' = 200 && grep -qi 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' '$T/head' && grep -qi 'attachment' '$T/head' && head -c 2 '$T/body' | grep -q PK"
cp "$T/body" "$T/web.xlsx"
xlsx "$T/web.xlsx" 組織別 | sed '$d' >"$T/web-org"
sed '$d' "$T/sheet-組織別" >"$T/cli-org"
check "... whose units sheet equals the command line's" cmp -s "$T/web-org" "$T/cli-org"
# The workbook's numbers are the pages': 組織別 (along the tree) counts as /hr/orgview does
# (one path: orgcols_levels_tree), the skill map's sheets as /hr/skillmap.
page "/hr/orgview?cycle=$C26&org=$(sql "SELECT id FROM org_unit WHERE code = 'STS'")" "$S_HR"; cp "$T/body" "$T/orgview.html"
page "/hr/skillmap?cycle=$C26" "$S_HR"; cp "$T/body" "$T/skillmap.html"
for s in "スキルマップ 熟達度" "知識 弱い順"; do xlsx "$T/web.xlsx" "$s" >"$T/web-$s"; done
"$PY" - "$T/orgview.html" "$T/web-org" <<'EOF2'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
rows = {json.loads(l)[1]: json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.startswith("[")}
body = re.search(r'<tbody>(.*?)</tbody>', html, re.S).group(1)
checked = 0
for tr in re.findall(r'<tr[^>]*>(.*?)</tr>', body, re.S):
    name = re.sub(r'<[^>]+>', '', re.search(r'<th[^>]*>(.*?)</th>', tr, re.S).group(1)).replace('▶', '').strip()
    nums = [int(x) for x in re.findall(r'>(\d+)(?:</a>)?</td>', tr)]
    if name in rows:
        sheet = rows[name]
        if [nums[1]] + nums[3:] != [x if isinstance(x, int) else 0 for x in sheet[2:]]:
            print("# %s: page %s, sheet %s" % (name, nums, sheet)); sys.exit(1)
        checked += 1
sys.exit(0 if checked >= 3 else 1)
EOF2
check "the workbook's 組織別 rows equal /hr/orgview's for the same units (assessed and every level)" test $? -eq 0
"$PY" - "$T/skillmap.html" "$T/web-スキルマップ 熟達度" "$T/web-知識 弱い順" <<'EOF2'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
prof = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.startswith("[")]
weak = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8") if l.startswith("[")]
heat = re.search(r'<table class="heat skillmap">(.*?)</table>', html, re.S).group(1)
areas = re.findall(r'<th scope="col" class="num">([^<]*)</th>', heat)[1:]
total = re.search(r'<tr class="total">(.*?)</tr>', heat, re.S).group(1)
dists = re.findall(r'<span class="dist">([^<]*)</span>', total)
ok = len(dists) == len(areas) > 0
for area, dist in zip(areas, dists):
    want = {int(l): int(n) for l, n in re.findall(r'L(\d+): (\d+)', dist)}
    row = [r for r in prof if r[0] == "合計" and r[1] == area]
    got = {l: n for l, n in enumerate(row[0][4:]) if n} if row else None
    if got != want:
        print("# %s: page %s, sheet %s" % (area, want, got)); ok = False
page_weak = re.search(r'<table class="weakest">(.*?)</table>', html, re.S).group(1)
shares = [int(x) for x in re.findall(r'<td class="num">(\d+)%</td>', page_weak)]
if [r[2] for r in weak[1:1 + len(shares)]] != shares:
    print("# weakest: page %s, sheet %s" % (shares, [r[2] for r in weak[1:16]])); ok = False
sys.exit(0 if ok and shares else 1)
EOF2
check "the skill map sheets equal /hr/skillmap: every area's distribution of the total, the weakest categories' shares in order" test $? -eq 0
# Talent searches in the org report: the command line's --search and the web's saved
# searches, each a sheet with exactly the people /search finds.
W=%E4%BF%9D%E5%AE%88   # 保守
page "/search?cycle=$C26&spec=HW&level=3&levels=self&word=$W" "$S_HR"
want=$(sed -n 's/.*class="search-total" data-total="\([0-9]*\)".*/\1/p' "$T/body")
"$ITSS_BIN" report org --cycle 2026年度 --db "$DB" --search "HW3保守=spec=HW&level=3&levels=self&word=$W" \
    --xlsx "$T/search.xlsx" --pdf "$T/search.pdf" 2>/dev/null
rows=$(xlsx "$T/search.xlsx" "人材検索 HW3保守" | grep -c '^\["E')
check "itss report org --search: a sheet with the $want people /search finds, and a section in the PDF" \
    sh -c "test '$rows' = '$want' -a '$want' -gt 0 && pdftotext '$T/search.pdf' - | grep -qF '人材検索「HW3保守」: $want 人'"
sql "INSERT INTO saved_search (user_id, name, query, created_at) SELECT id, 'HW3保守', 'spec=HW&level=3&levels=self&word=$W', '2026-12-06T00:00:00Z' FROM app_user WHERE login = 'hr'"
page "/hr/export/org.xlsx?cycle=$C26" "$S_HR"; cp "$T/body" "$T/saved.xlsx"
rows=$(xlsx "$T/saved.xlsx" "人材検索 HW3保守" | grep -c '^\["E')
check "/hr/export/org.xlsx: the user's saved search is a sheet with its $want people" test "$rows" = "$want"
"$ITSS_BIN" report org --cycle 2026年度 --db "$DB" --search 'X=spec=ZZ' --xlsx "$T/x.xlsx" 2>"$T/err"; rc=$?
check "--search with an unknown specialization: exit 2 naming spec, nothing written" \
    sh -c "test $rc -eq 2 && grep -q 'spec: ' '$T/err' && test ! -e '$T/x.xlsx'"
page "/hr/export/org.pdf?cycle=$C26" "$S_HR"
check "GET /hr/export/org.pdf as HR: 200, a PDF" sh -c "test '$status' = 200 && grep -qi 'Content-Type: application/pdf' '$T/head' && head -c 5 '$T/body' | grep -q '%PDF-'"
page "/hr/export/org.pdf?cycle=$C26&depth=2" "$S_HR"
check "org.pdf?depth=2: 200, the top two levels printed" sh -c \
    "test '$status' = 200 && pdftotext '$T/body' - 2>/dev/null | tr -d '\n' | grep -q '上位 2 階層の $shown 組織'"
for bad in 0 abc 99; do
    page "/hr/export/org.pdf?cycle=$C26&depth=$bad" "$S_HR"
    check "org.pdf?depth=$bad: 400 naming depth" sh -c "test '$status' = 400 && grep -q '<p>depth: ' '$T/body'"
done
page "/hr/export?cycle=$C26" "$S_HR"
check "/hr/export offers the PDF with a chosen depth (4 by default)" sh -c \
    "grep -q 'action=\"/hr/export/org.pdf\"' '$T/body' && grep -q '<option value=\"4\" selected>' '$T/body' && grep -q '<option value=\"all\"' '$T/body'"
page "/hr/export/org.pdf?cycle=999999" "$S_HR"
check "org.pdf?cycle=999999: 404 naming the cycle" sh -c "test '$status' = 404 && grep -q '<p>cycle: ' '$T/body'"
page "/hr/export/org.xlsx?cycle=abc" "$S_HR"
check "org.xlsx?cycle=abc: 400" test "$status" = 400
page "/hr/export/org.xlsx?org=999999" "$S_HR"
check "org.xlsx?org=999999: 404 naming the unit" sh -c "test '$status' = 404 && grep -q '<p>org: ' '$T/body'"
page "/hr/export/org.xlsx?levels=both" "$S_HR"
check "org.xlsx?levels=both: 400 naming levels" sh -c "test '$status' = 400 && grep -q '<p>levels: ' '$T/body'"
page "/hr/export/org.pdf" "$S_MGR"
check "org.pdf as a manager: 403" test "$status" = 403
page "/hr/export/levels.csv?cycle=$C26&headers=ja" "$S_HR"
tr -d '\r' <"$T/body" | sed '1s/^\xEF\xBB\xBF//' >"$T/web-ja.csv"
check "GET /hr/export/levels.csv?headers=ja equals itss export levels --headers ja" cmp -s "$T/web-ja.csv" "$T/ja.csv"
page "/hr/export/levels.csv?headers=xx" "$S_HR"
check "levels.csv?headers=xx: 400" test "$status" = 400
page "/hr" "$S_HR"
check "/hr names cycle, unit and level kind for the printout and links the reports" sh -c \
    "grep -q 'class=\"print-filters\"' '$T/body' && grep -q 'print-landscape' '$T/body' && grep -q '/hr/export/org.pdf?cycle=' '$T/body'"

E1019=$(pid E1019); E1001=$(pid E1001)
page "/results/report.pdf" "$S_ENG"
check "GET /results/report.pdf as the engineer: their own report" sh -c \
    "test '$status' = 200 && head -c 5 '$T/body' | grep -q '%PDF-' && grep -q 'report-E1019.pdf' '$T/head'"
page "/people/$E1001/report.pdf" "$S_ENG"
check "the engineer asking for someone else's report: 403" test "$status" = 403
page "/people/$E1019/report.pdf?target=HW:5" "$S_MGR"
cp "$T/body" "$T/mgr.pdf"
check "the manager asking for a member's report: 200, a PDF with the member's name" sh -c \
    "test '$status' = 200 && pdftotext '$T/mgr.pdf' - | grep -qF '小林 優子'"
page "/people/$E1019/report.pdf?target=HW:99" "$S_MGR"
check "a bad target on the web: 400" test "$status" = 400
page "/people/$E1019/report.pdf?cycle=1999" "$S_MGR"
check "an unknown cycle on the web: 404" test "$status" = 404
