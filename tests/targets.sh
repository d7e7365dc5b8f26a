#!/bin/sh
# targets.sh - 要員計画: targets imported from CSV (one transaction: a file with
# any bad row writes nothing and names each error as file:line:column), set one
# at a time, and listed with the actual head count, which equals a count of
# `itss export levels` made here (people of the unit and the units below it at
# the level or above); the web page shows the same and refuses bad input with
# 4xx naming the field; the organization report carries the targets. Run with
# ITSS_BIN set; TAP-style lines.
. "$(dirname "$0")/lib.sh"

state() { sqlite3 "$DB" "SELECT * FROM staffing_target ORDER BY 1, 2, 3, 4" | md5sum; }

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
C26=$(sql "SELECT id FROM cycle WHERE name = '2026年度'")
printf 'cycle,org_unit_code,specialization,level,head_count\r\n2026年度,EAST,HW,3,5\r\n2026年度,STS,SW,2,10\r\n2026年度,FAC,FM,4,3\r\n2026年度,EAST-HW1,HW,1,2\r\n' >"$T/t.csv"
"$ITSS_BIN" target import "$T/t.csv" --db "$DB" >"$T/out" 2>&1
check "itss target import sets the file's 4 targets" sh -c "grep -q '4 targets set' '$T/out' && test \$(sqlite3 '$DB' 'SELECT count(*) FROM staffing_target') = 4"

before=$(state)
printf '期間,組織コード,専門分野,レベル,目標人数\n2026年度,NOPE,HW,3,5\n2099年度,EAST,XX,9,-2\n2026年度,EAST,HW,3,7\n2026年度,EAST,HW,3,8\n' >"$T/bad.csv"
"$ITSS_BIN" target import "$T/bad.csv" --db "$DB" >/dev/null 2>"$T/err"; rc=$?
check "a file with bad rows (Japanese headers): exit 3, nothing written (its good row neither)" test $rc -eq 3 -a "$(state)" = "$before"
check "... each error named file:line:column" sh -c "grep -q 'bad.csv:2:8: org_unit_code' '$T/err' && grep -q 'bad.csv:3:1: cycle' '$T/err' && \
    grep -q 'bad.csv:3:13: specialization' '$T/err' && grep -q 'bad.csv:3:16: level' '$T/err' && grep -q 'bad.csv:3:18: head_count' '$T/err' && \
    grep -q 'bad.csv:5:1: .*twice (also on line 4)' '$T/err'"

# The oracle: actual = people of the unit's subtree at the level or above, from itss export levels.
"$ITSS_BIN" export levels --cycle 2026年度 --db "$DB" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' >"$T/levels.csv"
sql "SELECT o.code, COALESCE(p.code, '') FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id" >"$T/tree"
"$ITSS_BIN" target list --cycle 2026年度 --db "$DB" | tail -n +3 >"$T/list"
"$PY" - "$T/levels.csv" "$T/tree" "$T/list" <<'EOF2'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
parent = dict(l.rstrip("\n").split("|") for l in open(sys.argv[2], encoding="utf-8"))
def under(unit, top):
    while unit:
        if unit == top:
            return True
        unit = parent.get(unit, "")
    return False
bad = 0
lines = [l.split() for l in open(sys.argv[3], encoding="utf-8") if l.strip()]
for unit, spec, level, target, actual, gap in lines:
    L = int(level.replace("以上", ""))
    want = sum(1 for r in rows if under(r["org_unit_code"], unit) and r[spec] != "" and int(r[spec]) >= L)
    if int(actual) != want or int(gap) != want - int(target):
        print(f"# {unit} {spec} {L}: actual {actual} gap {gap}, counted {want}"); bad += 1
sys.exit(1 if bad or len(lines) != 4 else 0)
EOF2
check "itss target list: each actual head count and gap equal a count of itss export levels" test $? -eq 0

"$ITSS_BIN" target set --cycle 2026年度 --unit WEST --spec SW --level 2 --count 4 --db "$DB" 2>/dev/null
check "itss target set adds one" test "$(sql "SELECT head_count FROM staffing_target t JOIN org_unit o ON o.id = t.org_unit_id WHERE o.code = 'WEST'")" = 4
"$ITSS_BIN" target set --cycle 2026年度 --unit WEST --spec SW --level 2 --count -1 --db "$DB" 2>/dev/null
check "... and --count -1 removes it" test "$(sql "SELECT count(*) FROM staffing_target t JOIN org_unit o ON o.id = t.org_unit_id WHERE o.code = 'WEST'")" = 0
"$ITSS_BIN" target set --cycle 2026年度 --unit NOPE --spec SW --level 2 --count 4 --db "$DB" 2>"$T/err"; rc=$?
check "an unknown unit: exit 3 naming --unit" sh -c "test $rc -eq 3 && grep -q -- '--unit' '$T/err'"

S=$(session hr itss-demo-hr)
page "/hr/targets?cycle=$C26" "$S"
east=$(grep 'data-unit="EAST" data-spec="HW" data-level="3"' "$T/body" | sed 's/<\/td>/\n/g' | sed -n '5s/.*>//p')
want=$(grep '^EAST ' "$T/list" | awk '{print $5}')
check "GET /hr/targets shows the same actual as the command line (EAST HW 3: $want)" test "$status" = 200 -a "$east" = "$want"
page "/hr/targets" "$S"
check "GET /hr/targets without a cycle shows the latest" sh -c "test '$status' = 200 && grep -q 'data-unit=\"EAST\"' '$T/body'"
post "/hr/targets?cycle=$C26" "$S" "org_unit_code=WEST&specialization=SW&level=2&head_count=3"
check "POST /hr/targets sets one (303) and it is listed" sh -c "test '$status' = 303 && test \$(sqlite3 '$DB' \"SELECT count(*) FROM staffing_target t JOIN org_unit o ON o.id = t.org_unit_id WHERE o.code = 'WEST'\") = 1"
post "/hr/targets?cycle=$C26" "$S" "org_unit_code=NOPE&specialization=SW&level=2&head_count=3"
check "POST /hr/targets with an unknown unit: 404 naming org_unit_code" sh -c "test '$status' = 404 && grep -q '<p>org_unit_code: ' '$T/body'"
post "/hr/targets?cycle=$C26" "$S" "org_unit_code=WEST&specialization=SW&level=99&head_count=3"
check "... a level out of range: 400 naming level" sh -c "test '$status' = 400 && grep -q '<p>level: ' '$T/body'"
post "/hr/targets?cycle=999999" "$S" "org_unit_code=WEST&specialization=SW&level=2&head_count=3"
check "... an unknown cycle: 404 naming cycle" sh -c "test '$status' = 404 && grep -q '<p>cycle: ' '$T/body'"
S_MGR=$(session manager itss-demo-manager)
page "/hr/targets" "$S_MGR"
check "a manager: 403" test "$status" = 403

"$ITSS_BIN" report org --cycle 2026年度 --db "$DB" --xlsx "$T/o.xlsx" 2>/dev/null
"$PY" "$HERE/xlsx_read.py" "$T/o.xlsx" 要員計画 >"$T/sheet" 2>/dev/null
check "the organization report's 要員計画 sheet has each target with the same actual" sh -c \
    "grep -q '\"EAST\", \"東日本カスタマサービス本部\", \"ハードウェア\", 3, 5, $want, ' '$T/sheet' && test \$(grep -c '^\\[\"' '$T/sheet') -eq 6"
