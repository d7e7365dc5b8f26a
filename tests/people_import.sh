#!/bin/sh
# people_import.sh - the people CSV keeps the organization current, and
# experience records come in by CSV (issue 12, Missing 7; docs/csv.md) on the
# demo company: a known employee number updates the person (transfer, manager,
# name), left_on (退職日) or --full marks leavers, who stay in the history and
# leave the current views (team, HR's people, search); --dry-run and the HR
# page's preview list exactly what would change and write nothing; a file with
# any error writes nothing and names every error at file:line:column. The
# experience import checks that items belong to the record's specialization
# and level, reports all errors of a row in line order, and replaces a record
# instead of adding it twice. Run with ITSS_BIN set; one TAP line per check.
. "$(dirname "$0")/lib.sh"
export ITSS_TODAY=2026-12-06

STATE_SKIP='^INSERT INTO session\|^INSERT INTO login_\|^INSERT INTO result '   # result: the levels cache the server keeps
itss() { "$ITSS_BIN" "$@" --db "$DB"; }
# upload SESSION KIND FILE NAME [FIELD=VALUE...]: the import form posted.
upload() {
    s=$1; kind=$2; f=$3; name=$4; shift 4
    c=$(csrf_of "$s")
    B=----itssboundary
    {
        printf -- '--%s\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n' "$B" "$c"
        printf -- '--%s\r\nContent-Disposition: form-data; name="kind"\r\n\r\n%s\r\n' "$B" "$kind"
        for kv in "$@"; do
            printf -- '--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' "$B" "${kv%%=*}" "${kv#*=}"
        done
        if [ -n "$f" ]; then
            printf -- '--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\nContent-Type: text/csv\r\n\r\n' "$B" "$name"
            cat "$f"; printf '\r\n'
        fi
        printf -- '--%s--\r\n' "$B"
    } >"$T/mp"
    printf 'POST /hr/import HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_session=%s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n' \
        "$s" "$B" "$(wc -c <"$T/mp")" >"$T/r"
    cat "$T/mp" >>"$T/r"
    req "$T/r"
}
unit_of() { sql "SELECT o.code FROM person p JOIN org_unit o ON o.id = p.org_unit_id WHERE p.employee_number = '$1'"; }
left_of() { sql "SELECT COALESCE(left_on, '-') FROM person WHERE employee_number = '$1'"; }

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1

# ---- people: a dry run lists every change and writes nothing ----
cat >"$T/update.csv" <<'CSV'
employee_number,name,org_unit_code,manager_employee_number,left_on
E1048,遠藤 亮,EAST-HW2,E1014,
E1027,中村 雄一郎,EAST-HW1,E1011,
E9001,新人 一郎,EAST-HW2,E1014,
E1051,山口 久美子,EAST-HW1,E1011,2026-11-30
E1019,小林 優子,EAST-HW1,E1011,
CSV
before=$(state)
itss import people "$T/update.csv" --dry-run >"$T/dry.out" 2>"$T/dry.err"; rc=$?
check "people --dry-run: exit 0, nothing written" sh -c "[ $rc = 0 ] && [ '$before' = '$(state)' ]"
check "  ... a transfer and a new manager as field old -> new, at their line" \
    sh -c "grep -q '^updated   E1048 遠藤 亮: org_unit_code EAST-HW1 -> EAST-HW2 (line 2)' '$T/dry.out' && grep -q '^updated   E1048 遠藤 亮: manager_employee_number E1011 -> E1014 (line 2)' '$T/dry.out'"
check "  ... a new name, a person added, a leaver with the date" \
    sh -c "grep -q '^updated   E1027 中村 雄一: name 中村 雄一 -> 中村 雄一郎 (line 3)' '$T/dry.out' && grep -q '^added     E9001 新人 一郎 (line 4)' '$T/dry.out' && grep -q '^leaving   E1051 山口 久美子: left_on 2026-11-30 (line 5)' '$T/dry.out'"
check "  ... and nothing for a row that changes nothing (E1019); the summary counts" \
    sh -c "! grep -q E1019 '$T/dry.out' && grep -q '1 added, 3 updated, 1 left' '$T/dry.out'"

# ---- the import itself ----
itss import people "$T/update.csv" >"$T/imp.out" 2>&1; rc=$?
check "the import: E1048 moved to EAST-HW2 under E1014, E1027 renamed, E9001 added, E1051 left on 2026-11-30" \
    test "$rc/$(unit_of E1048)/$(sql "SELECT m.employee_number FROM person p JOIN person m ON m.id = p.manager_id WHERE p.employee_number = 'E1048'")/$(sql "SELECT name FROM person WHERE employee_number = 'E1027'")/$(unit_of E9001)/$(left_of E1051)" \
    = "0/EAST-HW2/E1014/中村 雄一郎/EAST-HW2/2026-11-30"
check "  ... the leaver's assessments and history are kept" \
    test "$(sql "SELECT COUNT(*) FROM assessment a JOIN person p ON p.id = a.person_id WHERE p.employee_number = 'E1051'")" -gt 0
MGR=$(session manager itss-demo-manager)
page /team "$MGR"
check "the leaver is gone from their manager's team, so is the one transferred away" \
    sh -c "[ '$status' = 200 ] && ! grep -q '山口 久美子' '$T/body' && ! grep -q '遠藤 亮' '$T/body' && grep -q '中村 雄一郎' '$T/body'"
HR=$(session hr itss-demo-hr)
page "/search?q=%E5%B1%B1%E5%8F%A3" "$HR"
check "  ... and from HR's talent search" sh -c "[ '$status' = 200 ] && ! grep -q 'E1051' '$T/body'"
page "/hr/people?q=E1051" "$HR"
check "  ... HR's people list still finds them, marked as left" sh -c "[ '$status' = 200 ] && grep -q 'E1051' '$T/body' && grep -q '退職' '$T/body'"
itss person list >"$T/list.out" 2>&1
check "itss person list leaves the leaver out" sh -c "! grep -q E1051 '$T/list.out' && grep -q E1048 '$T/list.out'"
itss user bulk --unit EAST-HW1 --dry-run >"$T/bulk.csv" 2>"$T/bulk.err"
check "accounts in bulk for the unit skip the leaver, and say so" \
    sh -c "! grep -q E1051 '$T/bulk.csv' && grep -q ', 1 left the organization' '$T/bulk.err'"
itss export people >"$T/export.csv"
check "the people export keeps everyone, with left_on" sh -c "grep -q '^E1051,.*,2026-11-30' '$T/export.csv'"

# ---- back again, and a full list ----
printf 'employee_number,name,left_on\nE1051,山口 久美子,\n' >"$T/back.csv"
itss import people "$T/back.csv" --dry-run >"$T/back.out" 2>&1
check "an empty left_on brings a leaver back (dry run says so)" grep -q '^returning E1051 山口 久美子: left_on 2026-11-30 -> (none) (line 2)' "$T/back.out"
"$ITSS_BIN" export people --db "$DB" | grep -v '^E1062,' >"$T/all-but-one.csv"
before=$(state)
itss import people "$T/all-but-one.csv" --full --dry-run >"$T/full.out" 2>&1; rc=$?
check "--full --dry-run: the one person the full list lacks leaves today, nothing written" \
    sh -c "[ $rc = 0 ] && [ '$before' = '$(state)' ] && grep -q '^leaving   E1062 阿部 優子: left_on 2026-12-06 (not in the file)' '$T/full.out' && [ \$(grep -c '^leaving' '$T/full.out') = 1 ]"
itss import people "$T/all-but-one.csv" --full >/dev/null 2>&1
check "--full: E1062 left today" test "$(left_of E1062)" = 2026-12-06

# ---- bad input: nothing half-written ----
printf 'employee_number,name,org_unit_code,manager_employee_number,left_on\nE1024,山本 正人,EAST-HW1,,\nE1044,石川 陽介,NOPE,E1044,2026-13-01\n,名無し,,,\n' >"$T/bad.csv"
before=$(state)
itss import people "$T/bad.csv" >/dev/null 2>"$T/bad.err"; rc=$?
check "a file with errors: exit 3, the good row before them not written either" \
    sh -c "[ $rc = 3 ] && [ '$before' = '$(state)' ] && [ '$(unit_of E1024)' = EAST-HW2 ]"
check "  ... every error of a row at its line and column, in line order" \
    sh -c "grep -q \"bad.csv:3:13: org_unit_code: unknown org unit 'NOPE'\" '$T/bad.err' && grep -q 'bad.csv:3:18: manager_employee_number: E1044 cannot be their own manager' '$T/bad.err' && grep -q \"bad.csv:3:24: left_on: '2026-13-01' is not a date\" '$T/bad.err' && grep -q 'bad.csv:4:1: employee_number: the employee number is empty' '$T/bad.err'"

# ---- the HR page: preview, then confirm ----
printf 'employee_number,name,org_unit_code\r\nE1044,石川 陽介,EAST-HW1\r\n' >"$T/web.csv"
before=$(state)
upload "$HR" people "$T/web.csv" web.csv encoding=auto
check "HR uploads people: a preview of the change (EAST-HW2 → EAST-HW1), nothing written yet" \
    sh -c "[ '$status' = 200 ] && [ '$before' = '$(state)' ] && grep -q '<td>更新</td><td>E1044</td><td>石川 陽介</td><td>組織コード</td><td>EAST-HW2</td><td>EAST-HW1</td>' '$T/body' && grep -q 'この内容で取り込む' '$T/body'"
CONTENT=$(sed -n 's/.*name="content" value="\([^"]*\)".*/\1/p' "$T/body")
upload "$HR" people "" "" encoding=auto name=web.csv "content=$CONTENT"
check "  ... confirming imports that same file" sh -c "[ '$status' = 200 ] && [ '$(unit_of E1044)' = EAST-HW1 ] && grep -q '取り込みました' '$T/body'"
printf 'employee_number,name,org_unit_code\r\nE1044,石川 陽介,NOPE\r\n' >"$T/webbad.csv"
upload "$HR" people "$T/webbad.csv" webbad.csv encoding=auto
check "  ... a bad file: 422, the error in Japanese at its line, no confirm button" \
    sh -c "[ '$status' = 422 ] && grep -q '組織コード「NOPE」はありません' '$T/body' && ! grep -q 'name=\"content\"' '$T/body'"

# ---- experience records ----
"$ITSS_BIN" template experience >"$T/xtpl.csv"
check "itss template experience: the header" grep -q 'employee_number,project,from,to,role,specialization,level,succeeded,complexity,size,description' "$T/xtpl.csv"
page /hr/import/template/experience.csv "$HR"
check "  ... and the import page's template download" sh -c "[ '$status' = 200 ] && grep -q 'employee_number,project,from' '$T/body'"
page /hr/import "$HR"
check "the import page offers the three templates" \
    sh -c "grep -q 'template/people.csv' '$T/body' && grep -q 'template/assessments.csv' '$T/body' && grep -q 'template/experience.csv' '$T/body'"
N0=$(sql "SELECT COUNT(*) FROM experience")
cat >"$T/x.csv" <<'CSV'
employee_number,project,from,to,role,specialization,level,succeeded,complexity,size,description
E1024,A銀行 保守,2024-04,2025-03,リーダ,HW,3,1,1;2,1,説明
E1024,B社 移行,2023-04,,担当,CS.SW,2,0,CS.HWSW.L2.complexity.1,,
CSV
itss import experience "$T/x.csv" >"$T/x.out" 2>&1; rc=$?
check "itss import experience: 2 records added, with their items" \
    sh -c "[ $rc = 0 ] && [ $(sql "SELECT COUNT(*) FROM experience") = $((N0 + 2)) ] && [ '$(sql "SELECT group_concat(element_id, ' ') FROM (SELECT i.element_id FROM experience_item i JOIN experience x ON x.id = i.experience_id WHERE x.project = 'A銀行 保守' ORDER BY i.kind, i.element_id)")' = 'CS.HW.L3.complexity.1 CS.HW.L3.complexity.2 CS.HW.L3.size.1' ]"
itss import experience "$T/x.csv" >"$T/x2.out" 2>&1
check "  ... read again: nothing added twice, the 2 records replaced" \
    sh -c "[ $(sql "SELECT COUNT(*) FROM experience") = $((N0 + 2)) ] && grep -q '0 experience records added, 2 replaced' '$T/x2.out'"
cat >"$T/xbad.csv" <<'CSV'
employee_number,project,from,to,role,specialization,level,succeeded,complexity,size,description
E1024,良,2024-04,,,HW,3,1,1,,
E1024,悪,2024-13,2023-01,,HW,3,はい,CS.HW.L4.complexity.1;9,CS.HW.L3.complexity.1,
NOPE,,,,,XX,9,,,,
CSV
before=$(state)
itss import experience "$T/xbad.csv" >/dev/null 2>"$T/xbad.err"; rc=$?
check "a bad experience file: exit 3, the good row not written either" sh -c "[ $rc = 3 ] && [ '$before' = '$(state)' ]"
check "  ... an item of another level, an unknown item number, a size item that is not one: each at its cell" \
    sh -c "grep -q 'xbad.csv:3:34: complexity: CS.HW.L4.complexity.1 is not an item of the record.s specialization and level' '$T/xbad.err' && grep -q 'xbad.csv:3:34: complexity: CS.HW.L3.complexity.9 is not a complexity checklist item' '$T/xbad.err' && grep -q 'xbad.csv:3:58: size: CS.HW.L3.complexity.1 is not a size checklist item' '$T/xbad.err'"
check "  ... and the month and succeeded: all errors of line 3" \
    sh -c "grep -q \"xbad.csv:3:9: from: '2024-13' is not a month\" '$T/xbad.err' && grep -q 'xbad.csv:3:31: succeeded' '$T/xbad.err'"
check "  ... line 4: unknown person, empty project and start, unknown specialization; in line order" \
    sh -c "grep -q 'xbad.csv:4:1: employee_number: no person with employee number NOPE' '$T/xbad.err' && grep -q \"xbad.csv:4:[0-9]*: specialization: unknown specialization 'XX'\" '$T/xbad.err' && grep -o '^xbad.csv:[0-9]*' '$T/xbad.err' | cut -d: -f2 | sort -nc"
upload "$HR" experience "$T/xbad.csv" xbad.csv encoding=auto
check "the HR page: the same errors in Japanese, sorted by line, nothing written" \
    sh -c "[ '$status' = 422 ] && [ '$before' = '$(state)' ] && grep -q 'CS.HW.L4.complexity.1 はこの実績の専門分野・レベルの項目ではありません' '$T/body' && grep -q '専門分野「XX」はありません' '$T/body'"
upload "$HR" experience "$T/x.csv" x.csv encoding=auto
check "  ... a good file: imported" sh -c "[ '$status' = 200 ] && grep -q '実績 0 件を追加、2 件を置き換えて' '$T/body'"
