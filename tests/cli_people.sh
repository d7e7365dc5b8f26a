#!/bin/sh
# cli_people.sh - the commands over the database as a user meets them: itss init,
# org, person, cycle, experience, contribution, assess --from/--to and level.
# Each success path with its output checked, each kind of bad input refused with
# a message naming the argument or file:line:column and the database left exactly
# as it was, --json output that parses, an export/import round trip, and the
# level of a hand-built assessment with the explanation naming the one item
# missing. Expected texts are read from the catalog file, never copied here.
# Run from the repository root with ITSS_BIN set; prints one TAP-style
# "ok - ..." / "not ok - ..." line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)
CAT=catalog/customer-service.json
MINI=tests/fixtures/mini-catalog.json
ITSS_DB="$T/itss.db"
COLUMNS=9999      # no wrapping
export ITSS_DB COLUMNS

# json_ok: $T/out parses as JSON.
json_ok() { py "import json, sys; json.load(open(sys.argv[1], encoding='utf-8'))" "$T/out"; }
# jq_py EXPR: evaluates the python expression EXPR over d (the JSON in $T/out); ok when true.
jq_py() { py "import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
sys.exit(0 if ($1) else 1)" "$T/out"; }

# ---- help ----
run help
check "itss help lists every command over the database" sh -c "[ $rc = 0 ] && for c in init org person cycle experience contribution assess level; do grep -q \"^  \$c \" '$T/out' || exit 1; done"
for c in init org person cycle experience contribution assess level; do
    run help $c
    check "itss help $c prints its usage" sh -c "[ $rc = 0 ] && grep -q '^usage: itss $c' '$T/out'"
done

# ---- init ----
run person list
check "a command before itss init says to run it, exit 3" sh -c "[ $rc = 3 ] && grep -q 'itss init' '$T/err' && [ ! -e '$ITSS_DB' ]"
# A one-byte text file given as the database is refused by every command, even
# init, naming the file, and left byte for byte as it was (SQLite alone takes
# it for an empty database, and the migrations wrote the schema over it).
printf x >"$T/one.txt"
for c in "person list" "org list" "init" "demo"; do
    run $c --db "$T/one.txt"
    check "itss $c --db A-ONE-BYTE-TEXT-FILE: refused (exit $rc), naming the file, the file left as it was" \
        sh -c "[ $rc -ne 0 ] && grep -qF '$T/one.txt: not an itss database (not SQLite)' '$T/err' && [ \"\$(od -An -c '$T/one.txt' | tr -d ' ')\" = x ]"
done
run init --catalog "$T/missing.json"
check "init with a catalog that does not load: exit 2, no database created" sh -c "[ $rc = 2 ] && [ ! -e '$ITSS_DB' ]"
run init
check "init creates the database named by ITSS_DB" sh -c "[ $rc = 0 ] && [ -s '$ITSS_DB' ] && grep -q '^created database' '$T/out'"
check "init names the catalog it recorded, from the catalog file" py "import json, sys
c = json.load(open('$CAT', encoding='utf-8')); out = open('$T/out', encoding='utf-8').read()
sys.exit(not ('recorded catalog %s version %s' % (c['id'], c['version']) in out))"
run init
check "init again with the same catalog changes nothing, exit 0" sh -c "[ $rc = 0 ] && grep -q 'nothing changed' '$T/out'"
cli_refused "init with a different catalog is refused, naming both" 3 "already uses catalog itss-customer-service.*not .*mini" init --catalog "$MINI"
run init --db "$T/other.db" --json
check "init --db PATH --json: the database there, JSON saying it was created" sh -c "[ $rc = 0 ] && [ -s '$T/other.db' ]"
check "init --json parses and says created and which catalog" jq_py "d['created'] is True and d['catalog_recorded'] is True and d['catalog']['id'] == 'itss-customer-service'"

# ---- org ----
run org add HQ 本社
check "org add: a top unit" sh -c "[ $rc = 0 ] && grep -q '^added org unit HQ 本社' '$T/out'"
"$ITSS_BIN" org add CS カスタマサービス本部 --parent HQ >/dev/null
"$ITSS_BIN" org add CS-1 第一部 --parent CS >/dev/null
run org add CS-2 第二部 --parent CS
check "org add --parent: says under which unit" sh -c "[ $rc = 0 ] && grep -q 'under CS カスタマサービス本部' '$T/out'"
cli_refused "org add with an unknown --parent: exit 3 naming --parent" 3 "^itss org add: --parent: .*NOPE" org add X エックス --parent NOPE
cli_refused "org add with a code in use: exit 3 naming it" 3 "HQ is already in use" org add HQ 別の本社
cli_refused "org add without NAME: usage, exit 2" 2 "CODE and NAME are required" org add ONLYCODE
run org list
check "org list: the tree in order, each unit's code indented below its parent" py "import sys
rows = [l for l in open('$T/out', encoding='utf-8').read().split('\n')[2:] if l.strip()]
names = [l.split()[1] for l in rows]
indent = {l.split()[0]: len(l) - len(l.lstrip()) for l in rows}
sys.exit(not (names == ['本社', 'カスタマサービス本部', '第一部', '第二部']
              and indent['HQ'] < indent['CS'] < indent['CS-1'] == indent['CS-2']))"
run org list --json
check "org list --json: parent and depth of every unit" jq_py "[(u['code'], u['parent'], u['depth']) for u in d] == [('HQ', None, 0), ('CS', 'HQ', 1), ('CS-1', 'CS', 2), ('CS-2', 'CS', 2)]"

# ---- person ----
run person add E0001 "佐藤 一郎" --kana "サトウ イチロウ" --email sato@example.com --org CS
check "person add with kana, e-mail and unit" sh -c "[ $rc = 0 ] && grep -q '^added E0001 佐藤 一郎 in CS' '$T/out'"
run person add E0002 "山田 太郎" --org CS-1 --manager E0001 --json
check "person add --json: the person as saved, unit and manager resolved" jq_py "d['employee_number'] == 'E0002' and d['org']['code'] == 'CS-1' and d['manager']['employee_number'] == 'E0001' and d['kana'] is None"
"$ITSS_BIN" person add E0003 "鈴木 花子" --org CS-2 --manager E0001 >/dev/null
"$ITSS_BIN" person add E0004 "高橋 次郎" >/dev/null
cli_refused "person add with an employee number in use: exit 3 naming it" 3 "EMPNO: employee number E0002 is already in use" person add E0002 "別人"
cli_refused "person add with an unknown --org: exit 3 naming --org" 3 "^itss person add: --org: .*NOPE" person add E0009 "誰か" --org NOPE
cli_refused "person add with an unknown --manager: exit 3 naming --manager" 3 "^itss person add: --manager: .*E0999" person add E0009 "誰か" --manager E0999
cli_refused "person add with a bad e-mail address: exit 3 naming --email" 3 "^itss person add: --email: " person add E0009 "誰か" --email not-an-address
cli_refused "person add with a space in the employee number: exit 3" 3 "may not contain spaces" person add "E 9" "誰か"
cli_refused "person add with an option of another subcommand: exit 2" 2 "not for this subcommand" person add E0009 "誰か" --limit 3
run person list
check "person list: everyone in employee-number order, with unit and manager" py "import sys
rows = [l.split() for l in open('$T/out', encoding='utf-8').read().split('\n')[2:] if l.startswith('E')]
sys.exit(not ([r[0] for r in rows] == ['E0001', 'E0002', 'E0003', 'E0004'] and rows[1][3] == '第一部' and rows[1][4] == 'E0001'))"
check "person list ends with the count" grep -qx '4 people' "$T/out"
run person list --org CS --json
check "person list --org includes the units below" jq_py "[p['employee_number'] for p in d] == ['E0001', 'E0002', 'E0003']"
run person list --org CS-1 --json
check "person list --org of a leaf unit: only its people" jq_py "[p['employee_number'] for p in d] == ['E0002']"
run person list --search 山田 --json
check "person list --search finds by name" jq_py "[p['employee_number'] for p in d] == ['E0002']"
run person list --search SATO@EXAMPLE --json
check "person list --search finds by e-mail, ignoring case" jq_py "[p['employee_number'] for p in d] == ['E0001']"
run person list --limit 2
check "person list --limit 2: two rows, and how many there are" sh -c "[ $rc = 0 ] && [ \$(grep -c '^E000' '$T/out') = 2 ] && grep -q '2 of 4 people shown' '$T/out'"
cli_refused "person list --limit that is not a number: exit 2 naming --limit" 2 "^itss person list: --limit: 'many'" person list --limit many
cli_refused "person list --org unknown: exit 3" 3 "^itss person list: --org: " person list --org NOPE

run person edit E0004 --name "高橋 二郎" --org CS-2 --manager E0001 --email takahashi@example.com
check "person edit: each change listed" sh -c "[ $rc = 0 ] && grep -q 'name: 高橋 次郎 -> 高橋 二郎' '$T/out' && grep -q 'org: (none) -> CS-2' '$T/out'"
run person show E0004 --json
check "person edit: the changes are kept" jq_py "d['name'] == '高橋 二郎' and d['org']['code'] == 'CS-2' and d['manager']['employee_number'] == 'E0001' and d['email'] == 'takahashi@example.com'"
"$ITSS_BIN" person edit E0004 --clear email,manager >/dev/null
run person show E0004 --json
check "person edit --clear removes fields" jq_py "d['email'] is None and d['manager'] is None and d['org']['code'] == 'CS-2'"
cli_refused "person edit making a manager report to their report: exit 3" 3 "reports to them" person edit E0001 --manager E0002
cli_refused "person edit to an employee number in use: exit 3 naming --number" 3 "^itss person edit: --number: employee number E0001 is already in use" person edit E0004 --number E0001
cli_refused "person edit of an unknown person: exit 3" 3 "no person with employee number E0999" person edit E0999 --name x
cli_refused "person edit with nothing to change: exit 2" 2 "nothing to change" person edit E0004
cli_refused "person show of an unknown person: exit 3" 3 "no person with employee number E0999" person show E0999
cli_refused "person with an unknown subcommand: exit 2" 2 "unknown subcommand 'remove'" person remove E0004

# ---- cycle ----
run cycle add 2025年度 --opens 2025-04-01 --closes 2026-03-31
check "cycle add" sh -c "[ $rc = 0 ] && grep -q '^added cycle 2025年度, 2025-04-01 to 2026-03-31' '$T/out'"
"$ITSS_BIN" cycle add 2026年度 --opens 2026-04-01 --closes 2027-03-31 >/dev/null
cli_refused "cycle add with a date that does not exist: exit 3 naming --opens" 3 "^itss cycle add: --opens: '2027-02-29' is not a date" cycle add 2027年度 --opens 2027-02-29 --closes 2028-03-31
cli_refused "cycle add closing before it opens: exit 3 naming --closes" 3 "^itss cycle add: --closes: " cycle add 2027年度 --opens 2027-04-01 --closes 2027-03-31
cli_refused "cycle add with a name in use: exit 3" 3 "2026年度 already exists" cycle add 2026年度 --opens 2026-04-01 --closes 2027-03-31
cli_refused "cycle add without --closes: exit 2" 2 "--closes is required" cycle add 2027年度 --opens 2027-04-01
run cycle list
check "cycle list: latest opening first" py "import sys
rows = [l.split() for l in open('$T/out', encoding='utf-8').read().split('\n')[2:] if l.strip()]
sys.exit(not ([r[0] for r in rows] == ['2026年度', '2025年度'] and rows[0][1:3] == ['2026-04-01', '2027-03-31']))"
run cycle list --json
check "cycle list --json: names, dates and a state" jq_py "[(c['name'], c['opens'], c['closes']) for c in d] == [('2026年度', '2026-04-01', '2027-03-31'), ('2025年度', '2025-04-01', '2026-03-31')] and all(c['state'] in ('open', 'closed', 'upcoming') for c in d)"

# ---- experience ----
run experience add E0002 --project 全国店舗網の保守 --from 2021-04 --to 2023-03 --role チームリーダ --spec HW --level 4 --complexity complexity.3,6 --size CS.HW.L4.size.2 --description "24時間稼動の店舗システム"
check "experience add with short item forms" sh -c "[ $rc = 0 ] && grep -q '^added experience record [0-9]* for E0002 山田 太郎: 全国店舗網の保守' '$T/out'"
check "experience add quotes each item's text from the standard" py "import json, sys
c = json.load(open('$CAT', encoding='utf-8'))
hw = [s for s in c['specializations'] if s['code'] == 'HW'][0]
l4 = [l for l in hw['levels'] if l['level'] == 4][0]
out = open('$T/out', encoding='utf-8').read()
want = [l4['complexity']['items'][2], l4['complexity']['items'][5], l4['size']['items'][1]]
sys.exit(not all(('%s: %s' % (i['id'], i['text'])) in out for i in want))"
run experience add E0002 --project 小規模保守 --from 2019-04 --to 2020-03 --role 担当 --spec ハードウェア --level L1 --complexity L1.complexity.1 --failed --json
check "experience add --json: a common-level item by L1.complexity.1, failed" jq_py "d['complexity'] == ['CS.HWSW.L1.complexity.1'] and d['succeeded'] is False and d['level'] == 1 and d['specialization'] == 'CS.HW'"
run experience list E0002 --json
check "experience list --json: oldest first, short forms stored as full ids" jq_py "[x['project'] for x in d] == ['小規模保守', '全国店舗網の保守'] and d[1]['complexity'] == ['CS.HW.L4.complexity.3', 'CS.HW.L4.complexity.6'] and d[1]['size'] == ['CS.HW.L4.size.2'] and d[1]['to'] == '2023-03'"
run experience list E0002
check "experience list: a table with the ids" sh -c "[ $rc = 0 ] && grep -q '2 experience records' '$T/out' && grep -q '全国店舗網の保守' '$T/out' && grep -q 'L4.complexity.3, L4.complexity.6' '$T/out'"
XA="--project x --from 2024-04 --role r"
cli_refused "experience add with an unknown complexity item: exit 3 naming --complexity" 3 "^itss experience add: --complexity: unknown item '9'" experience add E0002 $XA --spec HW --level 4 --complexity 9
cli_refused "experience add with a size item as complexity: exit 3" 3 "CS.HW.L4.size.1 is not a 複雑性 checklist item" experience add E0002 $XA --spec HW --level 4 --complexity size.1
cli_refused "experience add with another specialization's item: exit 3" 3 "CS.SW.L4.complexity.1 is not an item of ハードウェア" experience add E0002 $XA --spec HW --level 4 --complexity CS.SW.L4.complexity.1
cli_refused "experience add with an item of another level than the record's: exit 3" 3 "CS.HWSW.L1.complexity.1 is an item of level 1, not of the record's level 4" experience add E0002 $XA --spec HW --level 4 --complexity CS.HWSW.L1.complexity.1
cli_refused "experience add with an unknown specialization: exit 3 naming --spec" 3 "^itss experience add: --spec: unknown specialization 'XX'" experience add E0002 $XA --spec XX --level 3
cli_refused "experience add at a level the specialization lacks: exit 3 naming --level" 3 "^itss experience add: --level: .*FM.* has no level '2'" experience add E0002 $XA --spec FM --level 2
cli_refused "experience add with a bad month: exit 3 naming --from" 3 "^itss experience add: --from: '2024-4' is not a month" experience add E0002 --project x --from 2024-4 --role r --spec HW --level 3
cli_refused "experience add ending before it starts: exit 3 naming --to" 3 "^itss experience add: --to: " experience add E0002 $XA --to 2023-01 --spec HW --level 3
cli_refused "experience add for an unknown person: exit 3" 3 "no person with employee number E0999" experience add E0999 $XA --spec HW --level 3
cli_refused "experience add without --role: exit 2" 2 "--role is required" experience add E0002 --project x --from 2024-04 --spec HW --level 3

# ---- contribution ----
run contribution add E0002 --kind mentoring --title 新人2名の指導 --date 2024-04
check "contribution add" sh -c "[ $rc = 0 ] && grep -q '後進育成 新人2名の指導 2024-04' '$T/out'"
run contribution add E0002 --kind 論文・報告 --title 保守手順の社内報告 --json
check "contribution add with the Japanese kind, --json" jq_py "d['kind'] == 'paper' and d['title'] == '保守手順の社内報告' and d['date'] is None"
cli_refused "contribution add with an unknown kind: exit 3 naming --kind" 3 "^itss contribution add: --kind: unknown kind 'talk'" contribution add E0002 --kind talk --title x
cli_refused "contribution add with a bad date: exit 3 naming --date" 3 "^itss contribution add: --date: " contribution add E0002 --kind paper --title x --date 2024-13
run contribution list E0002 --json
check "contribution list --json" jq_py "sorted(c['kind'] for c in d) == ['mentoring', 'paper']"

# ---- assess --from: a hand-built assessment ----
# ハードウェア: levels 3 and 4 answered; everything met except the last task item
# of level 4; two successful records claimed at level 4. So level 3 is reached
# and level 4 misses exactly that item.
cat >"$T/build.py" <<'EOF'
import json, sys
cat, empno, cycle, out = sys.argv[1:5]
c = json.load(open(cat, encoding='utf-8'))
hw = [s for s in c['specializations'] if s['code'] == 'HW'][0]
lv = {l['level']: l for l in hw['levels']}
answers = []
for n in (3, 4):
    l = lv[n]
    answers.append({"id": l['responsibility']['id'], "rater": "self", "met": True, "evidence": ["x1"]})
    for k in ('complexity', 'size', 'task'):
        items = l[k]['items'] if k in l else []
        for i, it in enumerate(items):
            met = not (n == 4 and k == 'task' and i == len(items) - 1)
            a = {"id": it['id'], "rater": "self", "met": met}
            if met and k != 'task':
                a["evidence"] = ["x1", "x2"]
            answers.append(a)
area = hw['skill_areas'][0]
answers.append({"id": area['knowledge'][0]['items'][0]['id'], "rater": "self", "rating": 3})
doc = {"format": "itss-assessment", "format_version": 1,
       "catalog": {"id": c['id'], "version": c['version']},
       "person": {"employee_number": empno, "name": None}, "cycle": cycle, "status": "draft",
       "experience": [
           {"id": "x1", "project": "銀行勘定系の保守", "from": "2023-04", "to": None, "role": "チームリーダ",
            "specialization": "CS.HW", "level": 4, "complexity": [lv[4]['complexity']['items'][0]['id']],
            "size": [], "succeeded": True, "description": None},
           {"id": "x2", "project": "物流センタの保守", "from": "2020-04", "to": "2022-03", "role": "チームリーダ",
            "specialization": "CS.HW", "level": 4, "succeeded": True}],
       "contributions": [{"kind": "community", "title": "社内勉強会の運営", "date": "2025-06"}],
       "answers": answers}
json.dump(doc, open(out, 'w', encoding='utf-8'), ensure_ascii=False, indent=2)
missing = lv[4]['task']['items'][-1]
open(out + '.missing', 'w', encoding='utf-8').write(missing['text'])
EOF
python3 "$T/build.py" "$CAT" E0003 2026年度 "$T/a.json"
run assess E0003 --from "$T/a.json"
check "assess --from: imported, the assessment created" sh -c "[ $rc = 0 ] && grep -q 'into the assessment of E0003 鈴木 花子 in 2026年度 (created)' '$T/out' && grep -q 'experience records: 2 added' '$T/out'"
run experience list E0003 --json
check "assess --from: the file's experience records became the person's" jq_py "sorted(x['project'] for x in d) == ['物流センタの保守', '銀行勘定系の保守']"
run level E0003 --json
check "level --json parses: HW level 3, SW and FM 未到達 (0)" jq_py "{s['id']: s['level'] for s in d['specializations']} == {'CS.HW': 3, 'CS.SW': 0, 'CS.FM': 0}"
check "level --json names the policy and the cycle" jq_py "d['policy']['id'] == 'itss-v3-2011' and d['cycle'] == '2026年度' and d['person']['employee_number'] == 'E0003'"
run level E0003
check "level: one line per specialization, レベル3 and 未到達" sh -c "[ $rc = 0 ] && grep -q '^ハードウェア *レベル3 ' '$T/out' && grep -q '^ソフトウェア *未到達' '$T/out' && grep -q '^ファシリティマネジメント *未到達' '$T/out'"
check "level: what level 4 lacks is one task item" grep -q '次のレベル4に足りないもの: タスク特性 あと1項目' "$T/out"
check "level: the policy is shown" grep -q '判定方針: itss-v3-2011 版1' "$T/out"
run level E0003 --explain --spec HW
check "level --explain: level 3 達成, level 4 未達成" sh -c "[ $rc = 0 ] && grep -q 'レベル3（CS.HW.L3）: 達成' '$T/out' && grep -q 'レベル4（CS.HW.L4）: 未達成' '$T/out'"
check "level --explain names the missing task item's text under the next level" py "import sys
out = open('$T/out', encoding='utf-8').read(); missing = open('$T/a.json.missing', encoding='utf-8').read()
need = out[out.index('次のレベル（レベル4）に必要なこと'):]
sys.exit(not ('タスク特性: あと1項目' in need and ('「' + missing.split(chr(10))[0]) in need))"
check "level --explain --spec HW shows only ハードウェア" sh -c "! grep -q '■ ソフトウェア' '$T/out'"
check "level records the results with the policy's identity" py "import sqlite3, sys
rows = sqlite3.connect('$ITSS_DB').execute('select policy, specialization_id, level from result order by specialization_id').fetchall()
sys.exit(not (rows == [('itss-v3-2011@1', 'CS.FM', 0), ('itss-v3-2011@1', 'CS.HW', 3), ('itss-v3-2011@1', 'CS.SW', 0)]))"
run level E0003 --rater manager
check "level --rater manager leaves the cached self-rated levels as they are" py "import sqlite3, sys
rows = sqlite3.connect('$ITSS_DB').execute('select policy, specialization_id, level from result order by specialization_id').fetchall()
sys.exit(not (rows == [('itss-v3-2011@1', 'CS.FM', 0), ('itss-v3-2011@1', 'CS.HW', 3), ('itss-v3-2011@1', 'CS.SW', 0)]))"
run person show E0003
check "person show: org path, manager, records and the assessment with its levels" sh -c "[ $rc = 0 ] && grep -q '本社 > カスタマサービス本部 > 第二部 (CS-2)' '$T/out' && grep -q 'E0001 佐藤 一郎' '$T/out' && grep -q '銀行勘定系の保守' '$T/out' && grep -q '社内勉強会の運営' '$T/out' && grep -q '^2026年度 *draft *2011.1 *レベル3 *未到達 *未到達' '$T/out'"
run person show E0003 --json
check "person show --json: the assessment by cycle with status and levels" jq_py "d['org_path'] == '本社 > カスタマサービス本部 > 第二部' and d['assessments'][0]['cycle'] == '2026年度' and d['assessments'][0]['status'] == 'draft' and d['assessments'][0]['levels']['CS.HW'] == 3 and len(d['experience']) == 2"
cli_refused "level of a person without an assessment: exit 3" 3 "E0004 has no assessment yet" level E0004
cli_refused "level --cycle with no assessment there: exit 3" 3 "E0003 has no assessment in 2025年度" level E0003 --cycle 2025年度
cli_refused "level --spec unknown: exit 3 naming --spec" 3 "^itss level: --spec: unknown specialization" level E0003 --spec QQ
echo '{"format": "itss-policy",' >"$T/broken-policy.json"
cli_refused "level --policy FILE that does not parse: exit 2 with its place" 2 "broken-policy.json:[0-9]+:[0-9]+" level E0003 --policy "$T/broken-policy.json"

# ---- assess --to and --from: round trip ----
run assess E0003 --to "$T/out1.json"
check "assess --to FILE writes the file and says so" sh -c "[ $rc = 0 ] && grep -q '^wrote the assessment of E0003' '$T/out' && [ -s '$T/out1.json' ]"
run assess E0003 --to -
check "assess --to - writes the same file to stdout" cmp -s "$T/out" "$T/out1.json"
check "the written file is the documented format" py "import json, sys
d = json.load(open('$T/out1.json', encoding='utf-8')); built = json.load(open('$T/a.json', encoding='utf-8'))
sys.exit(not (d['format'] == 'itss-assessment' and d['person']['employee_number'] == 'E0003' and d['cycle'] == '2026年度'
              and sorted(a['id'] for a in d['answers']) == sorted(a['id'] for a in built['answers'])
              and all(x['id'].isdigit() for x in d['experience'])))"
snap "$T/before-rt"
run assess E0003 --from "$T/out1.json" --json
check "assess --from its own export changes no answer and adds no record" jq_py "d['answers_changed'] == 0 and d['experience'] == {'added': 0, 'updated': 0, 'unchanged': 2} and d['contributions']['added'] == 0"
"$ITSS_BIN" assess E0003 --to "$T/out2.json" >/dev/null
check "assess --to after the re-import writes the same bytes" cmp -s "$T/out1.json" "$T/out2.json"
run experience list E0003 --json
check "the round trip leaves the person with the same two records" jq_py "len(d) == 2"
# the file's record, changed, updates the record it names
py "import json
d = json.load(open('$T/out1.json', encoding='utf-8'))
d['experience'][0]['role'] = 'サービス責任者'
json.dump(d, open('$T/changed.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)"
run assess E0003 --from "$T/changed.json"
check "assess --from with a changed record updates it in place" sh -c "[ $rc = 0 ] && grep -q '1 updated' '$T/out'"
run experience list E0003 --json
check "the record's new role is kept, no record added" jq_py "len(d) == 2 and 'サービス責任者' in [x['role'] for x in d]"

# ---- assess --from: bad files, each refused with its place, nothing written ----
# pos FILE TEXT [SKIP]: "line:column" of the first TEXT in FILE, SKIP characters
# further on (column in characters).
pos() { py "import sys
for n, line in enumerate(open(sys.argv[1], encoding='utf-8'), 1):
    if sys.argv[2] in line:
        print('%d:%d' % (n, line.index(sys.argv[2]) + 1 + int(sys.argv[3]))); break" "$1" "$2" "${3:-0}"; }
py "import json
d = json.load(open('$T/out1.json', encoding='utf-8'))
d['answers'][-1] = {'id': d['answers'][-1]['id'], 'rater': 'self', 'rating': 7}
json.dump(d, open('$T/rating7.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)"
n=$(py "import json; print(len(json.load(open('$T/rating7.json', encoding='utf-8'))['answers']) - 1)")
cli_refused "assess --from with a rating of 7: file:line:column: path, exit 3" 3 "^$T/rating7.json:$(pos "$T/rating7.json" '"rating": 7' 10): answers\[$n\]\.rating: 7 is out of range" assess E0003 --from "$T/rating7.json"
p=$(pos "$T/out1.json" '"E0003"')
cli_refused "assess --from with another person's file: exit 3 at person.employee_number" 3 "^$T/out1.json:$p: person.employee_number: the file is the assessment of E0003, not of E0002" assess E0002 --from "$T/out1.json"
sed 's/"2011.1"/"1999.1"/' "$T/out1.json" >"$T/oldcat.json"
cli_refused "assess --from for a catalog version the database does not have: exit 3 at catalog" 3 "^$T/oldcat.json:[0-9]+:[0-9]+: catalog: .*version 1999.1" assess E0003 --from "$T/oldcat.json"
sed 's/"cycle": "2026年度"/"cycle": "2031年度"/' "$T/out1.json" >"$T/nocycle.json"
cli_refused "assess --from naming an unknown cycle: exit 3 at cycle" 3 "^$T/nocycle.json:$(pos "$T/nocycle.json" '"2031年度"'): cycle: no cycle named 2031年度" assess E0003 --from "$T/nocycle.json"
py "import json
d = json.load(open('$T/out1.json', encoding='utf-8'))
d['answers'].append({'id': 'CS.HW.L4.complexity.99', 'rater': 'self', 'met': True})
json.dump(d, open('$T/unknownitem.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)"
cli_refused "assess --from answering an item the catalog lacks: exit 3 naming it" 3 "^$T/unknownitem.json:[0-9]+:[0-9]+: answers\[[0-9]+\]\.id: unknown id \"CS.HW.L4.complexity.99\"" assess E0003 --from "$T/unknownitem.json"
cli_refused "assess --from a file that does not exist: exit 3" 3 "missing.json" assess E0003 --from "$T/missing.json"
cli_refused "assess for an unknown person: exit 3" 3 "no person with employee number E0999" assess E0999 --from "$T/out1.json"
cli_refused "assess --from and --to together: exit 2" 2 "not both" assess E0003 --from "$T/out1.json" --to "$T/x.json"
cli_refused "assess --to for a cycle without an assessment: exit 3" 3 "E0003 has no assessment in 2025年度" assess E0003 --to "$T/x.json" --cycle 2025年度
# An approved assessment: a file that would change it is refused after its new
# experience record was already written inside the transaction; all of it is undone.
py "import json
d = json.load(open('$T/out1.json', encoding='utf-8')); d['status'] = 'approved'
json.dump(d, open('$T/approved.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)
d['experience'].append({'id': 'new', 'project': '追加の案件', 'from': '2025-04', 'specialization': 'CS.HW', 'level': 3, 'succeeded': True})
d['answers'][0]['evidence'] = ['new']
json.dump(d, open('$T/change-approved.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=2)"
run assess E0003 --from "$T/approved.json"
check "assess --from can approve (status from the file)" sh -c "[ $rc = 0 ] && grep -q 'status: draft -> approved' '$T/out'"
cli_refused "assess --from over an approved assessment: exit 3, the record it added undone" 3 "is approved; return it" assess E0003 --from "$T/change-approved.json"
run experience list E0003 --json
check "after the refused import the person still has two records" jq_py "len(d) == 2"

# ---- usage ----
cli_refused "a command without its subcommand: exit 2" 2 "a subcommand is required" person
cli_refused "an unknown option: exit 2 naming it" 2 "unknown option '--bogus'" org list --bogus
cli_refused "a catalog other than the database's: exit 2" 2 "uses catalog itss-customer-service version .* but the catalog given" experience add E0002 $XA --spec HW --level 3 --catalog "$MINI"
