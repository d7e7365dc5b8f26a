#!/bin/sh
# team.sh - the manager's team (issue 12, Missing 6) on the demo company:
# /team and /api/v1/team filtered by status and sorted (name, unit, status,
# submission oldest first, level) in the database, so that a filter or an
# order holds across pages (130 more people make the team two pages); the
# filters stay in the paging links; bad values are a 400 naming the
# parameter. Bulk approval: a dry run says who would be refused and why;
# approving several at once approves all of them, through the one approval
# of review.c (approval snapshots, history), or none when any is refused (a
# review not complete, not submitted, not the user's to review), and a failure
# of the database half-way leaves nothing approved (one transaction); the page
# has its confirm step and its CSRF token. Run with ITSS_BIN set; prints one
# TAP-style line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)

STATE_SKIP='^INSERT INTO api_token\|^INSERT INTO session\|^INSERT INTO login_'
TOKEN_SCOPE=write
# numbers: the employee numbers of the members in the JSON answer, in order, space-separated.
numbers() { grep -o '"employee_number":"[^"]*"' "$T/body" | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//'; }

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
MGR=$(token manager); HR=$(token hr)
check "the demo with tokens for the manager (E1011, 金融システム保守課) and HR" test -n "$MGR" -a -n "$HR"

# 130 more people in the manager's unit, numbered before the demo's, so that the
# unfiltered first page holds none of the demo's members.
{
    echo "employee_number,name,kana,email,org_unit_code,manager_employee_number"
    i=1000
    while [ $i -lt 1130 ]; do echo "A$i,追加 $i,ツイカ $i,,EAST-HW1,E1011"; i=$((i + 1)); done
} >"$T/more.csv"
"$ITSS_BIN" import people "$T/more.csv" --db "$DB" >/dev/null 2>&1
check "130 people added to the manager's unit" test "$(sql "SELECT COUNT(*) FROM person WHERE employee_number LIKE 'A%'")" = 130

# ---- filters and sorting ----
api GET "/api/v1/team" "$MGR"
check "the team without filters: 137 people (the manager not among them), two pages" \
    sh -c "grep -q '\"total\":137' '$T/body' && grep -q '\"pages\":2' '$T/body' && ! grep -q '\"E1011\"' '$T/body'"
check "  ... the first page holds only the added people (employee-number order)" \
    test "$(numbers | tr ' ' '\n' | grep -c '^E')" = 0
api GET "/api/v1/team?status=submitted" "$MGR"
check "status=submitted: the four submitted members, on one page, filtered before paging" \
    sh -c "[ '$status' = 200 ] && grep -q '\"total\":4,' '$T/body' && grep -q '\"pages\":1' '$T/body'"
check "  ... E1041 E1048 E1051 E1059, each with state submitted" \
    sh -c "[ \"\$(grep -o '\"employee_number\":\"[^\"]*\"' '$T/body' | cut -d'\"' -f4 | tr '\n' ' ')\" = 'E1041 E1048 E1051 E1059 ' ] && [ \$(grep -o '\"state\":\"submitted\"' '$T/body' | wc -l) = 4 ]"
api GET "/api/v1/team?status=draft" "$MGR"
check "status=draft: E1036 only" test "$(numbers)" = "E1036"
api GET "/api/v1/team?status=not_started&page=2" "$MGR"
check "status=not_started: the 130 added people, page 2 has the last 30" \
    sh -c "grep -q '\"total\":130' '$T/body' && [ \$(grep -o '\"employee_number\"' '$T/body' | wc -l) = 30 ]"
api GET "/api/v1/team?status=approved&sort=name" "$MGR"
check "status=approved sorted by name (reading): コバヤシ E1019, ナカムラ E1027" test "$(numbers)" = "E1019 E1027"
api GET "/api/v1/team?status=submitted&sort=name" "$MGR"
check "sort=name: イケダ E1041, エンドウ E1048, ハセガワ E1059, ヤマグチ E1051" test "$(numbers)" = "E1041 E1048 E1059 E1051"

# Submission times apart (the demo submits all at once): E1059 first, then E1051, E1041, E1048.
sql "DROP TRIGGER assessment_history_no_update;
     UPDATE assessment_history SET at = CASE (SELECT p.employee_number FROM assessment a JOIN person p ON p.id = a.person_id WHERE a.id = assessment_id)
       WHEN 'E1059' THEN '2026-11-01T00:00:00Z' WHEN 'E1051' THEN '2026-11-02T00:00:00Z'
       WHEN 'E1041' THEN '2026-11-03T00:00:00Z' ELSE '2026-11-04T00:00:00Z' END
     WHERE kind = 'status' AND new_value = 'submitted' AND assessment_id IN (SELECT a.id FROM assessment a
       JOIN person p ON p.id = a.person_id WHERE p.employee_number IN ('E1041', 'E1048', 'E1051', 'E1059'));
     CREATE TRIGGER assessment_history_no_update BEFORE UPDATE ON assessment_history
     BEGIN SELECT RAISE(ABORT, 'assessment_history is append-only'); END;"
api GET "/api/v1/team?sort=submitted" "$MGR"
check "sort=submitted: oldest first (E1059 E1051 E1041 E1048), the never submitted after them" \
    test "$(numbers | cut -d' ' -f1-5)" = "E1059 E1051 E1041 E1048 E1019"
api GET "/api/v1/team?sort=status&page=2" "$MGR"
check "sort=status: not started (the added 130) first, then draft, submitted, approved: page 2 ends with E1036 ... E1027" \
    test "$(numbers | cut -d' ' -f31-)" = "E1036 E1041 E1048 E1051 E1059 E1019 E1027"
api GET "/api/v1/team?sort=unit" "$HR"
check "sort=unit (HR): the people without a unit code order last, the first is of unit EAST" \
    sh -c "grep -o '\"org_unit_code\":\"[^\"]*\"' '$T/body' | head -n 1 | grep -q '\"EAST\"'"
api GET "/api/v1/team?sort=level&status=approved" "$HR"
first=$(numbers | cut -d' ' -f1)
top=$(sql "SELECT MAX(al.level) FROM approval_level al JOIN approval ap ON ap.id = al.approval_id")
check "sort=level (HR): the first approved member holds the highest approved level ($top)" \
    test "$(sql "SELECT MAX(al.level) FROM approval_level al JOIN approval ap ON ap.id = al.approval_id JOIN assessment a ON a.id = ap.assessment_id JOIN person p ON p.id = a.person_id WHERE p.employee_number = '$first'")" = "$top"
refused "an unknown status is a 400 naming status" 400 '"field":"status"' GET "/api/v1/team?status=nope" "$MGR"
refused "an unknown sort is a 400 naming sort" 400 '"field":"sort"' GET "/api/v1/team?sort=age" "$MGR"

# 認定: HR certifies E1019's approved HW level; the filter tells certified from approved.
api POST "/api/v1/people/$(pid E1019)/certificates" "$HR" '{"specialization":"HW","cycle":"2026年度"}'
check "HR certifies E1019 (201)" test "$status" = 201
api GET "/api/v1/team?status=certified" "$MGR"
check "status=certified: E1019 only" test "$(numbers)" = "E1019"
api GET "/api/v1/team?status=approved" "$MGR"
check "status=approved still counts the certified one (E1019 E1027)" test "$(numbers)" = "E1019 E1027"

# ---- bulk approval (API) ----
E41=$(pid E1041); E48=$(pid E1048); E51=$(pid E1051); OUT=$(pid E1010)
C26=$(sql "SELECT id FROM cycle WHERE name = '2026年度'")
api POST "/api/v1/team/approve" "$MGR" "{\"people\":[$E41,$E48],\"dry_run\":true}"
check "dry run: both refused as not complete, the reason naming the first undecided item (200, nothing written)" \
    sh -c "[ '$status' = 200 ] && [ \$(grep -o '\"code\":\"review_incomplete\"' '$T/body' | wc -l) = 2 ] && grep -q 'CS.HW.L3' '$T/body'"
for p in $E41 $E48; do
    api PUT "/api/v1/people/$p/assessment/manager" "$MGR" '{"agree_remaining":true,"answers":[]}'
done
check "the manager completes the reviews of E1041 and E1048 (agrees with the rest)" test "$status" = 200
before=$(state)
api POST "/api/v1/team/approve" "$MGR" "{\"people\":[$E41,$E48,$E51,$OUT],\"comment\":\"まとめて承認\"}"
after=$(state)
check "with E1051 (review not complete) and E1010 (not his) among them: 409, nothing approved" \
    sh -c "[ '$status' = 409 ] && [ '$before' = '$after' ] && grep -q '\"code\":\"refused\"' '$T/body'"
check "  ... E1051 refused as review_incomplete, E1010 as not_reviewer, E1041 and E1048 approvable" \
    sh -c "grep -q '\"person_id\":$E51,\"code\":\"review_incomplete\"' '$T/body' && grep -q '\"person_id\":$OUT,\"code\":\"not_reviewer\"' '$T/body' && grep -q '\"approved\":\[{\"person_id\":$E41,' '$T/body'"
check "  ... E1041 and E1048 are still submitted" test "$(status_of E1041) $(status_of E1048)" = "submitted submitted"

# A failure half-way: the database refuses the second approval; the first is undone.
A48=$(sql "SELECT a.id FROM assessment a JOIN cycle c ON c.id = a.cycle_id WHERE a.person_id = $E48 AND c.name = '2026年度'")
sql "CREATE TRIGGER test_fail BEFORE INSERT ON approval WHEN NEW.assessment_id = $A48 BEGIN SELECT RAISE(ABORT, 'test: refused'); END;"
before=$(state)
api POST "/api/v1/team/approve" "$MGR" "{\"people\":[$E41,$E48]}"
after=$(state)
check "the database failing on the second approval: 503, the first one not approved either (one transaction)" \
    sh -c "[ '$status' = 503 ] && [ '$before' = '$after' ] && [ '$(status_of E1041)' = submitted ]"
sql "DROP TRIGGER test_fail;"

api POST "/api/v1/team/approve" "$MGR" "{\"people\":[$E41,$E48],\"comment\":\"まとめて承認\"}"
check "the two complete ones together: 200, both approved" \
    sh -c "[ '$status' = 200 ] && [ '$(status_of E1041) $(status_of E1048)' = 'approved approved' ]"
check "  ... each through review.c's approval: a snapshot with levels, the history, the comment" \
    test "$(sql "SELECT COUNT(*) FROM approval ap JOIN assessment a ON a.id = ap.assessment_id WHERE a.person_id IN ($E41, $E48) AND a.cycle_id = $C26 AND ap.approved_by = 'manager'") $(sql "SELECT COUNT(*) FROM assessment_history h JOIN assessment a ON a.id = h.assessment_id WHERE a.person_id IN ($E41, $E48) AND a.cycle_id = $C26 AND h.kind = 'status' AND h.new_value = 'approved'") $(sql "SELECT COUNT(*) FROM assessment_comment c JOIN assessment a ON a.id = c.assessment_id WHERE a.person_id IN ($E41, $E48) AND c.body = 'まとめて承認'")" = "2 2 2"
refused "approving them again: 409, not submitted" 409 '"code":"not_submitted"' POST "/api/v1/team/approve" "$MGR" "{\"people\":[$E41]}"
refused "no people: 422 naming people" 422 '"field":"people"' POST "/api/v1/team/approve" "$MGR" '{"people":[]}'
refused "a person id that is not a number: 422 naming people[0]" 422 '"field":"people[0]"' POST "/api/v1/team/approve" "$MGR" '{"people":["E1041"]}'

# ---- the page: filter, checkboxes, confirm step, CSRF ----
# page METHOD PATH [FORM]: as the manager's browser, with the session's CSRF token.
page() {
    form=${3-}
    [ -n "$form" ] && form="$form&csrf=$CSRF"
    send "$1" "$2" "$S" "$form"
}
S=$(session manager itss-demo-manager)
CSRF=
page GET "/team?status=submitted&sort=name"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 | cut -d'"' -f4)
check "the manager logs in (a session and its CSRF token)" test -n "$S" -a -n "$CSRF"
check "/team?status=submitted&sort=name: E1051 and E1059 with a checkbox each, the filter and order selected" \
    sh -c "[ '$status' = 200 ] && grep -q 'name=\"person\" value=\"$E51\"' '$T/body' && grep -q '<option value=\"submitted\" selected>' '$T/body' && grep -q '<option value=\"name\" selected>' '$T/body' && ! grep -q 'data-person=\"$E41\"' '$T/body'"
check "  ... the bulk form posts to /team/approve with a CSRF field" \
    sh -c "grep -q 'action=\"/team/approve\" id=\"team-approve\"' '$T/body' && grep -q 'name=\"csrf\"' '$T/body'"
page GET "/team?status=not_started"
check "  ... the paging links keep the filter (status=not_started&amp;page=2)" grep -q 'status=not_started&amp;page=2' "$T/body"
api PUT "/api/v1/people/$(pid E1059)/assessment/manager" "$MGR" '{"agree_remaining":true,"answers":[]}'
E59=$(pid E1059)
before=$(state)
page POST /team/approve "cycle=$C26&person=$E51&person=$E59"
after=$(state)
check "the confirm step: E1059 to approve, E1051 refused with its reason, nothing written" \
    sh -c "[ '$status' = 200 ] && [ '$before' = '$after' ] && grep -q 'bulk-ready' '$T/body' && grep -q 'data-reason=\"review_incomplete\"' '$T/body' && grep -q 'name=\"confirm\" value=\"1\"' '$T/body'"
check "  ... the confirm form carries only E1059" \
    sh -c "grep -q 'name=\"person\" value=\"$E59\"' '$T/body' && ! grep -q 'name=\"person\" value=\"$E51\"' '$T/body'"
page POST /team/approve "cycle=$C26&person=$E59&confirm=1"
check "confirming approves E1059 and goes back to the team saying so" \
    sh -c "[ '$status' = 303 ] && grep -qi '^location: /team?cycle=$C26\&approved=1' '$T/resp' && [ '$(status_of E1059)' = approved ]"
before=$(state)
f="cycle=$C26&person=$E51&confirm=1"
printf 'POST /team/approve HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_session=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' \
    "$S" "${#f}" "$f" | "$ITSS_BIN" serve --db "$DB" --request - >"$T/resp" 2>/dev/null
check "without the CSRF token: 403, nothing written" \
    sh -c "[ \"\$(head -n 1 '$T/resp' | cut -d' ' -f2)\" = 403 ] && [ '$before' = \"\$(sqlite3 '$DB' .dump | grep -v '^INSERT INTO api_token\|^INSERT INTO session\|^INSERT INTO login_' | md5sum)\" ]"
page POST /team/approve "cycle=$C26"
check "nothing ticked: 400 naming person" sh -c "[ '$status' = 400 ] && grep -q '承認する人を選んでください' '$T/body'"

# ---- the same filters and orders on PostgreSQL (when installed; not the submission order: the two
# demos are made at different moments) ----
. tests/pg_cluster.sh
on_exit pg_stop
if ! pg_start "$T"; then
    echo "ok - the team's filters and orders on PostgreSQL # SKIP $PG_SKIP"
    exit 0
fi
PGDB=$(pg_createdb team)
SQ=$T/fresh.db
"$ITSS_BIN" demo --db "$SQ" >/dev/null 2>&1
"$ITSS_BIN" demo --db "$PGDB" >/dev/null 2>&1
same=1
for q in "status=submitted&sort=name" "sort=status" "sort=unit" "sort=level" "status=approved&sort=level" \
         "status=draft" "status=not_started&sort=name"; do
    for db in "$SQ" "$PGDB"; do
        tok=$("$ITSS_BIN" token create hr --name t --db "$db" 2>/dev/null)
        printf 'GET /api/v1/team?%s HTTP/1.1\r\nHost: itss.test\r\nAuthorization: Bearer %s\r\n\r\n' "$q" "$tok" |
            "$ITSS_BIN" serve --db "$db" --request - 2>/dev/null | sed '1,/^\r$/d' >"$T/body"
        numbers >"$T/order.$([ "$db" = "$SQ" ] && echo sq || echo pg)"
    done
    if ! cmp -s "$T/order.sq" "$T/order.pg" || [ ! -s "$T/order.sq" ]; then
        same=0; echo "# $q: SQLite $(cat "$T/order.sq") / PostgreSQL $(cat "$T/order.pg")"
    fi
done
check "PostgreSQL answers every filter and order with the same people in the same order as SQLite" test "$same" = 1
