#!/bin/sh
# cli_csv.sh - itss import / export / template as an HR user meets them: a CP932
# file saved by Japanese Excel imports; every kind of bad input is named by
# FILE:LINE:COLUMN with exit status 3 and leaves the database exactly as it was
# (compared by a dump of every table); --dry-run writes nothing; export -> import
# round trips; formulas are neutralized and restored; a SIGKILL in the middle of
# a large import leaves the database unchanged and sound. Run from the repository
# root with ITSS_BIN set; prints one TAP-style "ok - ..." / "not ok - ..." line per
# check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)
export COLUMNS=200

# has TEXT: stderr of the last run holds TEXT (a fixed string).
has() { grep -qF -- "$1" "$T/err"; }
# count DB TABLE
count() { sqlite3 "$1" "SELECT count(*) FROM $2"; }
# answers DB: how many answers DB holds (itss export assessments, less the header).
answers() { "$ITSS_BIN" export assessments --db "$1" 2>/dev/null | tail -n +2 | wc -l | tr -d ' '; }
# newdb PATH: a database with two org units and the cycle 2026年度.
newdb() {
    "$ITSS_BIN" init --db "$1" >/dev/null &&
    "$ITSS_BIN" org add CS-1 第一カスタマサービス部 --db "$1" >/dev/null &&
    "$ITSS_BIN" org add CS-2 第二カスタマサービス部 --db "$1" >/dev/null &&
    "$ITSS_BIN" cycle add 2026年度 --opens 2026-04-01 --closes 2027-03-31 --db "$1" >/dev/null
}
# refused DESCRIPTION PLACE MESSAGE ARGS...: import ARGS exits 1, names PLACE
# (FILE:LINE:COLUMN) with MESSAGE on one line, reports $errors errors in all
# (default 1: the other rows of the file are good), and leaves $DB unchanged.
errors=1
refused() {
    d=$1; place=$2; msg=$3; shift 3
    before=$(state "$DB")
    run import "$@" --db "$DB"
    after=$(state "$DB")
    n=$(sed -n 's/.*: \([0-9]*\) errors*; nothing was imported$/\1/p' "$T/err")
    if [ $rc -eq 3 ] && grep -F -- "$place" "$T/err" | grep -qF -- "$msg" && [ "$before" = "$after" ] \
        && [ "${n:-0}" -eq "$errors" ]; then
        pass "$d"
    else
        fail "$d (status $rc, ${n:-no} errors, database $( [ "$before" = "$after" ] && echo unchanged || echo CHANGED))"
        sed 's/^/#   /' "$T/err" | head -5
    fi
}

DB=$T/a.db
check "set up a database (init, two org units, a cycle)" newdb "$DB"

# ---- templates ----
run template people
check "template people: UTF-8 BOM, CRLF, the documented columns" \
    test "$rc" -eq 0 -a "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" = "efbbbf" \
    -a "$(sed -n 1p "$T/out")" = "$(printf '\357\273\277employee_number,name,kana,email,org_unit_code,manager_employee_number,left_on\r')"
run template assessments
python3 - "$T/out" <<'EOF' && pass "template assessments: its example row names a knowledge item with the standard's wording" || fail "template assessments: example row"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
cat = json.load(open("catalog/customer-service.json", encoding="utf-8"))
texts = {}
def walk(v):
    if isinstance(v, dict):
        if "id" in v and "text" in v: texts[v["id"]] = v["text"]
        for x in v.values(): walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
walk(cat)
h, r = rows[0], dict(zip(rows[0], rows[1]))
assert h == ["employee_number", "cycle", "catalog_version", "element_id", "rater", "value", "evidence", "text"], h
assert r["catalog_version"] == cat["version"] and texts[r["element_id"]] == r["text"], r
EOF

# ---- a CP932 file as Japanese Excel saves it ----
# CRLF, no BOM, Shift_JIS with Windows characters (① ～ －); a manager named
# above and one below the row that names them.
printf '社員番号,氏名,フリガナ,メールアドレス,組織コード,上長社員番号\r\nE0002,佐藤 花子①,サトウ ハナコ,hanako@example.jp,CS-1,E0001\r\nE0001,山田 太郎,ヤマダ タロウ,,CS-1,\r\nE0003,"鈴木 一郎～－",スズキ イチロウ,ichiro@example.jp,CS-2,E0002\r\n' \
    | iconv -f UTF-8 -t CP932 >"$T/people-cp932.csv"
run import people "$T/people-cp932.csv" --db "$DB"
check "a CP932 CSV saved by Excel imports (detected as CP932)" \
    test $rc -eq 0 -a "$(count "$DB" person)" -eq 3
grep -qF "(CP932)" "$T/out" && pass "the import says which encoding it read" || fail "the import says which encoding it read"
check "names and kana arrive as UTF-8, Windows characters included (① ～ －)" \
    test "$(sqlite3 "$DB" "SELECT name FROM person WHERE employee_number IN ('E0002','E0003') ORDER BY 1")" \
    = "$(printf '佐藤 花子①\n鈴木 一郎～－')"
check "managers given above and below their reports are linked" \
    test "$(sqlite3 "$DB" "SELECT p.employee_number || '>' || m.employee_number FROM person p JOIN person m ON m.id = p.manager_id ORDER BY 1" | tr '\n' ' ')" = "E0002>E0001 E0003>E0002 "

# The same bytes declared UTF-8: the first CP932 character (line 1, column 1: 社) is named.
DB2=$T/b.db
newdb "$DB2"
DBSAVE=$DB; DB=$DB2
refused "CP932 read as --encoding utf-8 is refused at line:column of the first bad byte" \
    "people-cp932.csv:1:1:" "not valid UTF-8" people "$T/people-cp932.csv" --encoding utf-8
DB=$DBSAVE

# ---- bad input: each names its place, exits 1, changes nothing ----
printf 'employee_number,name,org_unit_code\nE0100,"山田, 太郎",CS-1\nE0101,"閉じない,CS-1\nE0102,最後,CS-1\n' >"$T/truncated.csv"
refused "a truncated quote: named where the quote opened, nothing written" \
    "truncated.csv:3:7:" "never closed" people "$T/truncated.csv"
printf 'employee_number,name\nE0099,良\nE0100,ab"c\n' >"$T/stray.csv"
refused "a stray quote inside an unquoted field is named" "stray.csv:3:9:" "quote inside a field" people "$T/stray.csv"
printf 'employee_number,name,org_unit_code\nE0200,一,CS-1\nE0201,二,CS-1\nE0200,三,CS-2\n' >"$T/dup.csv"
refused "a duplicate employee number within the file names both lines" \
    "dup.csv:4:1:" "appears twice in the file (first on line 2)" people "$T/dup.csv"
printf 'employee_number,name,email\nE0300,新人,bad address\nE0001,山田 太郎,x@example.jp\n' >"$T/dupdb.csv"
refused "a known employee number updates that person (tests/people_import.sh), but not when another row is bad" \
    "dupdb.csv:2:10:" "is not an e-mail address" people "$T/dupdb.csv"
printf 'employee_number,kana,email\nE0400,カナ,x@example.jp\n' >"$T/missing.csv"
refused "a missing required column is named" "missing.csv:1:" "missing required column 'name'" people "$T/missing.csv"
printf 'employee_number,name,nickname\nE0400,名前,あだ名\n' >"$T/unknowncol.csv"
refused "an unknown column is named with its place" "unknowncol.csv:1:22:" "unknown column 'nickname'" people "$T/unknowncol.csv"
printf 'employee_number,name,org_unit_code,manager_employee_number\nE0499,良,CS-1,E0001\nE0500,甲,CS-9,\nE0501,乙,CS-1,E9999\n' >"$T/refs.csv"
errors=2
refused "an unknown org unit is named" "refs.csv:3:9:" "unknown org unit 'CS-9'" people "$T/refs.csv"
refused "an unknown manager is named" "refs.csv:4:14:" "unknown manager E9999" people "$T/refs.csv"
# --dry-run applies the rules the store applies when writing (src/rules.c), at the same cells.
printf 'employee_number,name,email\nE 0600,良,ok@example.jp\nE0601,良,not-an-address\n' >"$T/rules.csv"
refused "--dry-run refuses an employee number with a space as the import does" \
    "rules.csv:2:1:" "'E 0600' may not contain spaces" people "$T/rules.csv" --dry-run
refused "--dry-run refuses a bad e-mail address at its cell as the import does" \
    "rules.csv:3:9:" "'not-an-address' is not an e-mail address" people "$T/rules.csv" --dry-run
refused "the import itself refuses the same cells" "rules.csv:3:9:" "is not an e-mail address" people "$T/rules.csv"
errors=1
printf 'employee_number,name\nE0600,ok\nE0601,ab\377cd\n' >"$T/neither.csv"
refused "bytes that are neither UTF-8 nor CP932 are named (wrong encoding)" \
    "neither.csv:3:9:" "not valid CP932" people "$T/neither.csv"
printf '\377\376e\000m\000p\000\n\000' >"$T/utf16.csv"
run import people "$T/utf16.csv" --db "$DB"
check "a UTF-16 file (Excel's Unicode text) is refused with what to do" \
    test $rc -eq 3 -a -n "$(grep -F 'UTF-16' "$T/err")"
{ echo "employee_number,name,email"; i=1; while [ $i -le 150 ]; do echo "X$i,名前,bad-address"; i=$((i + 1)); done; } >"$T/many.csv"
run import people "$T/many.csv" --db "$DB"
check "150 bad rows: the first 100 errors are shown, then how many more" \
    test $rc -eq 3 -a "$(grep -c '/many.csv:[0-9]*:[0-9]*: email: ' "$T/err")" -eq 100 \
    -a -n "$(grep -F '... and 50 more errors' "$T/err")" -a -n "$(grep -F 'many.csv: 150 errors; nothing was imported' "$T/err")"

# assessments
printf 'employee_number,cycle,element_id,rater,value\nE0001,2026年度,CS.HW.UEA.K01.01,self,3\nE0009,2026年度,CS.HW.UEA.K01.01,self,3\n' >"$T/a-person.csv"
refused "an answer for an unknown person is named" "a-person.csv:3:1:" "unknown employee number E0009" assessments "$T/a-person.csv"
printf 'employee_number,cycle,element_id,rater,value\nE0002,2026年度,CS.HW.L3.responsibility,self,1\nE0001,2026年度,CS.HW.UEA.K99.01,self,3\n' >"$T/a-item.csv"
refused "an unknown item is named" "a-item.csv:3:14:" "unknown element id 'CS.HW.UEA.K99.01'" assessments "$T/a-item.csv"
printf 'employee_number,cycle,element_id,rater,value\nE0002,2026年度,CS.HW.L3.responsibility,self,1\nE0001,2026年度,CS.HW.L9.responsibility,self,1\n' >"$T/a-level.csv"
refused "an unknown level is named" "a-level.csv:3:14:" "unknown element id 'CS.HW.L9.responsibility'" assessments "$T/a-level.csv"
printf 'employee_number,cycle,element_id,rater,value\nE0002,2026年度,CS.HW.L3.responsibility,self,1\nE0001,2026年度,CS.HW.L4,self,1\n' >"$T/a-notitem.csv"
refused "a level itself cannot be answered" "a-notitem.csv:3:14:" "CS.HW.L4 is a level" assessments "$T/a-notitem.csv"
printf 'employee_number,cycle,element_id,rater,value\nE0002,2026年度,CS.HW.L3.responsibility,self,1\nE0001,2026年度,CS.HW.UEA.K01.01,self,7\n' >"$T/a-seven.csv"
refused "a rating of 7 is named with the scale" "a-seven.csv:3:36:" "a rating of 7 is out of range" assessments "$T/a-seven.csv"
printf 'employee_number,cycle,element_id,rater,value\nE0002,2026年度,CS.HW.L3.responsibility,self,1\nE0001,2026年度,CS.HW.L3.complexity.1,self,2\n' >"$T/a-two.csv"
refused "a met/not-met item takes only 0 or 1" "a-two.csv:3:41:" "met (1) or not met (0), not 2" assessments "$T/a-two.csv"
printf 'employee_number,cycle,catalog_version,element_id,value\nE0002,2026年度,,CS.HW.L3.responsibility,1\nE0001,2026年度,2099.1,CS.HW.UEA.K01.01,3\n' >"$T/a-version.csv"
refused "an assessment for a catalog version the database does not have is named" \
    "a-version.csv:3:14:" "version 2099.1 is not in this database" assessments "$T/a-version.csv"
printf 'employee_number,cycle,element_id,value\nE0002,2026年度,CS.HW.L3.responsibility,1\nE0001,2030年度,CS.HW.UEA.K01.01,3\n' >"$T/a-cycle.csv"
refused "an unknown cycle is named" "a-cycle.csv:3:7:" "unknown cycle '2030年度'" assessments "$T/a-cycle.csv"
printf 'employee_number,cycle,element_id,value\nE0001,2026年度,CS.HW.UEA.K01.01,3\nE0002,2026年度,CS.HW.UEA.K01.01,2\nE0001,2026年度,CS.HW.UEA.K01.01,4\n' >"$T/a-dup.csv"
refused "the same item answered twice for one assessment is named" \
    "a-dup.csv:4:14:" "a second self answer of E0001" assessments "$T/a-dup.csv"
"$ITSS_BIN" experience add E0002 --project 保守 --from 2020-04 --role 担当 --spec HW --level 3 --db "$DB" >/dev/null
ev=$(sqlite3 "$DB" "SELECT id FROM experience LIMIT 1")
printf 'employee_number,cycle,element_id,value,evidence\nE0002,2026年度,CS.HW.L3.complexity.1,1,%s\nE0001,2026年度,CS.HW.L3.complexity.1,1,%s\n' "$ev" "$ev" >"$T/a-evidence.csv"
refused "evidence that is another person's experience record is named" \
    "a-evidence.csv:3:38:" "not an experience record of this person" assessments "$T/a-evidence.csv"
python3 -c '
import json, sys
c = json.load(open("catalog/customer-service.json", encoding="utf-8"))
c["version"] = "2099.1"
json.dump(c, open(sys.argv[1], "w", encoding="utf-8"), ensure_ascii=False)' "$T/other-version.json"
before=$(state "$DB")
run import assessments "$T/a-item.csv" --catalog "$T/other-version.json" --db "$DB"
check "importing against a catalog version the database does not have: exit 2, nothing written" \
    test $rc -eq 2 -a -n "$(grep -F '2099.1' "$T/err")" -a "$before" = "$(state "$DB")"

# ---- a good assessments file, --dry-run, round trips ----
printf '\357\273\277employee_number,cycle,element_id,rater,value,evidence\r\nE0001,2026年度,CS.HW.L3.responsibility,self,1,\r\nE0001,2026年度,CS.HW.L3.complexity.1,self,１,\r\nE0001,2026年度,CS.HW.UEA.K01.01,manager,4,\r\nE0002,2026年度,CS.HW.L3.complexity.1,self,1,%s\r\nE0002,2026年度,CS.HW.UEA.K01.01,,2,\r\n' "$ev" >"$T/answers.csv"
before=$(state "$DB")
run import assessments "$T/answers.csv" --dry-run --db "$DB"
check "--dry-run checks a good file, says so, and writes nothing" \
    test $rc -eq 0 -a -n "$(grep -F 'nothing written' "$T/out")" -a "$before" = "$(state "$DB")"
run import assessments "$T/answers.csv" --db "$DB"
check "a UTF-8 (BOM) assessments file imports: 5 answers in 2 new assessments" \
    test $rc -eq 0 -a "$(answers "$DB")" -eq 5 -a "$(count "$DB" assessment)" -eq 2
check "each imported answer is in the history, by import:FILE" \
    test "$(for p in E0001 E0002; do
              "$ITSS_BIN" history "$p" --db "$DB"; done | grep -c '  import:answers.csv  value ')" -eq 5
printf 'employee_number,cycle,element_id,value\nE0001,2026年度,CS.HW.L3.complexity.1,0\n' >"$T/change.csv"
run import assessments "$T/change.csv" --db "$DB"
check "a second import changes only the answers it lists" \
    test $rc -eq 0 -a "$(answers "$DB")" -eq 5 \
    -a "$("$ITSS_BIN" export assessments --db "$DB" | tr -d '\r' | awk -F, '$1 == "E0001" && $4 == "CS.HW.L3.complexity.1" { print $6 }')" -eq 0

# formula neutralization: a name that a spreadsheet would run
printf 'employee_number,name,kana\nE0010,"=HYPERLINK(""http://x"")",-\n' >"$T/formula.csv"
run import people "$T/formula.csv" --db "$DB"
"$ITSS_BIN" export people --db "$DB" >"$T/people-a.csv"
check "export neutralizes formulas: '=HYPERLINK and '- are written with an apostrophe" \
    grep -qF "E0010,\"'=HYPERLINK(\"\"http://x\"\")\",'-," "$T/people-a.csv"
check "export is UTF-8 with BOM and CRLF on every line" \
    test "$(head -c 3 "$T/people-a.csv" | od -An -tx1 | tr -d ' ')" = efbbbf \
    -a "$(grep -c "$(printf '\r')\$" "$T/people-a.csv")" -eq "$(wc -l <"$T/people-a.csv")"

DB2=$T/c.db
newdb "$DB2"
run import people "$T/people-a.csv" --db "$DB2"
"$ITSS_BIN" export people --db "$DB2" >"$T/people-b.csv"
check "round trip: people exported, imported into a new database, exported again are the same" \
    cmp -s "$T/people-a.csv" "$T/people-b.csv"
check "round trip: the apostrophe is taken off again on import" \
    test "$(sqlite3 "$DB2" "SELECT name || '|' || kana FROM person WHERE employee_number = 'E0010'")" = '=HYPERLINK("http://x")|-'
"$ITSS_BIN" export assessments --db "$DB" | sed 's/,[0-9;]*\r$/,\r/' >"$T/answers-a.csv"
run import assessments "$T/answers-a.csv" --db "$DB2"
"$ITSS_BIN" export assessments --db "$DB2" >"$T/answers-b.csv"
check "round trip: assessments exported and imported into a new database export the same" \
    test $rc -eq 0 -a "$(answers "$DB2")" -eq 5 -a -n "$(cmp "$T/answers-a.csv" "$T/answers-b.csv" && echo same)"

"$ITSS_BIN" export people --format json --db "$DB" >"$T/people.json"
"$ITSS_BIN" export assessments --json --db "$DB" >"$T/answers.json"
python3 - "$T/people-a.csv" "$T/people.json" "$T/answers-a.csv" "$T/answers.json" <<'EOF' && pass "JSON exports hold the same people and answers as the CSV ones" || fail "JSON exports match CSV"
import csv, json, sys
def rows(p): return list(csv.DictReader(open(p, encoding="utf-8-sig", newline="")))
people = rows(sys.argv[1]); pj = json.load(open(sys.argv[2], encoding="utf-8"))
unq = lambda s: s[1:] if s.startswith("'") else s
assert [{k: unq(v) or None for k, v in r.items()} for r in people] == pj, (people, pj)
answers = rows(sys.argv[3]); aj = json.load(open(sys.argv[4], encoding="utf-8"))
flat = [(a["employee_number"], a["cycle"], a["catalog_version"], x["element_id"], x["rater"], str(x["value"]))
        for a in aj for x in a["answers"]]
assert flat == [(r["employee_number"], r["cycle"], r["catalog_version"], r["element_id"], r["rater"], r["value"])
                for r in answers], (flat, answers)
EOF
run export levels --levels self --db "$DB"
check "export levels --levels self: one row per assessment, its level_kind, a column per specialization" \
    test $rc -eq 0 -a "$(sed -n 1p "$T/out")" = "$(printf '\357\273\277employee_number,name,org_unit_code,org_unit_name,cycle,status,level_kind,HW,SW,FM\r')" \
    -a "$(wc -l <"$T/out")" -eq 3 -a -n "$(sed -n 2p "$T/out" | grep ',self,')"
run export levels --db "$DB"
check "export levels (official by default): nothing approved yet, only the header" \
    test $rc -eq 0 -a "$(wc -l <"$T/out")" -eq 1
run export levels --levels best --db "$DB"
check "export levels --levels best: a usage error naming it (exit 2)" test $rc -eq 2 -a -n "$(grep -F "'best'" "$T/err")"
run export levels --cycle 2030年度 --db "$DB"
check "export with an unknown --cycle: exit 3 naming it" test $rc -eq 3 -a -n "$(grep -F '2030年度' "$T/err")"
run export people --cycle 2026年度 --db "$DB"
check "export people --cycle is a usage error (exit 2)" test $rc -eq 2

# levels against `itss level` on the demo organization, and an approved assessment
if "$ITSS_BIN" help demo >/dev/null 2>&1; then
    DEMO=$T/demo.db
    "$ITSS_BIN" demo --db "$DEMO" >/dev/null 2>&1
    "$ITSS_BIN" export levels --levels self --json --db "$DEMO" >"$T/levels.json"
    python3 - "$ITSS_BIN" "$DEMO" "$T/levels.json" <<'EOF' && pass "export levels agrees with itss level for every demo person" || fail "export levels agrees with itss level"
import json, subprocess, sys
bin, db, path = sys.argv[1:]
rows = json.load(open(path, encoding="utf-8"))
assert len(rows) >= 30, len(rows)
for r in rows:
    out = subprocess.run([bin, "level", r["employee_number"], "--cycle", r["cycle"], "--json", "--db", db],
                         capture_output=True, text=True, check=True).stdout
    want = {s["code"]: s["level"] for s in json.loads(out)["specializations"]}
    assert want == r["levels"], (r, want)
EOF
    "$ITSS_BIN" export assessments --db "$DEMO" >"$T/demo-answers.csv"
    first=$(sed -n 2p "$T/demo-answers.csv" | cut -d, -f1)
    cycle=$(sed -n 2p "$T/demo-answers.csv" | cut -d, -f2)
    status=$(sqlite3 "$DEMO" "SELECT a.status FROM assessment a JOIN person p ON p.id = a.person_id
                               JOIN cycle c ON c.id = a.cycle_id WHERE p.employee_number = '$first' AND c.name = '$cycle'")
    if [ "$status" = approved ]; then
        DBSAVE=$DB; DB=$DEMO
        refused "answers for an approved assessment are refused at its first row" \
            "demo-answers.csv:2:1:" "approved" assessments "$T/demo-answers.csv"
        DB=$DBSAVE
    else
        fail "answers for an approved assessment: the demo's first exported assessment ($first $cycle) is $status, not approved"
    fi
else
    fail "export levels against itss level: itss help demo fails (the demo is built in)"
fi

# ---- progress bar on a terminal ----
awk 'BEGIN { print "employee_number,name,kana,email,org_unit_code"
             for (i = 1; i <= 20000; i++) printf "P%06d,名前 %d,ナマエ カタカナ %d,p%06d@example.jp,CS-1\n", i, i, i, i }' >"$T/big.csv"
if command -v script >/dev/null 2>&1; then
    script -qec "'$ITSS_BIN' import people '$T/big.csv' --dry-run --db '$DB'" /dev/null >"$T/tty" 2>&1
    run import people "$T/big.csv" --dry-run --db "$DB"
    check "a file over 1 MB shows a progress bar on a terminal, and none in a log file" \
        test -n "$(grep -F '[####' "$T/tty")" -a -n "$(grep -F '% ' "$T/tty")" -a ! -s "$T/err"
else
    pass "progress bar # SKIP no script(1) to make a terminal"
fi

# ---- SIGKILL in the middle of a large import ----
# The file has a BOM, so it is read once from start to end; the kill comes when
# the import has read a third of it (its read position, from /proc): rows are
# being written and the transaction is open, whatever the database caches.
K=$T/kill.db
newdb "$K"
awk 'BEGIN { printf "\357\273\277employee_number,name,kana,email,org_unit_code\r\n"
             for (i = 1; i <= 50000; i++) printf "K%06d,社員 %d,シャイン %d,k%06d@example.jp,CS-%d\r\n", i, i, i, i, i % 2 + 1 }' >"$T/large.csv"
size=$(stat -c %s "$T/large.csv")
# readpos PID: how far PID has read large.csv (0 when it has not opened it yet).
readpos() {
    for f in /proc/$1/fd/*; do
        if [ "$(readlink "$f" 2>/dev/null)" = "$T/large.csv" ]; then
            sed -n 's/^pos:[[:space:]]*//p' "/proc/$1/fdinfo/${f##*/}" 2>/dev/null
            return
        fi
    done
    echo 0
}
before=$(state "$K")
"$ITSS_BIN" import people "$T/large.csv" --db "$K" >/dev/null 2>&1 &
pid=$!
pos=0
while kill -0 $pid 2>/dev/null; do
    pos=$(readpos $pid)
    [ "${pos:-0}" -gt $((size / 3)) ] && break
    sleep 0.01
done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
status=$?
check "SIGKILL lands in the middle of a 50,000-row import (killed having read $pos of $size bytes)" \
    test $status -eq 137 -a "${pos:-0}" -gt $((size / 3)) -a "${pos:-0}" -lt "$size"
check "after SIGKILL the database is unchanged (no person of the file, every table as before)" \
    test "$(count "$K" person)" -eq 0 -a "$before" = "$(state "$K")"
check "after SIGKILL PRAGMA integrity_check is ok" test "$(sqlite3 "$K" 'PRAGMA integrity_check')" = ok
run import people "$T/large.csv" --db "$K"
check "after SIGKILL the same import runs to the end" test $rc -eq 0 -a "$(count "$K" person)" -eq 50000
