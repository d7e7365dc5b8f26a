#!/bin/sh
# specs.sh - the engineer chooses the specializations their diagnosis is made
# in (issue 12, defect 7 and Missing 3), on the demo company: without a choice
# the specializations answered in stand for it (the demo keeps its meaning);
# E1036 chooses HW only through the API and the page: SW and FM are 対象外 on
# the overview, the SW form says so, submitting checks only HW, the manager's
# review marks SW 対象外 and the team's self-assessed levels show none for SW. A choice of nothing, of a common-level
# block or of an unknown specialization is a 4xx naming the field with nothing
# written; after submitting the choice is closed. Migration: a demo database
# taken back to the schema before assessment_spec is brought forward by any
# command, and its diagnoses read as before. Run with ITSS_BIN set; one
# TAP-style line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)
SPEC_SCHEMA=13     # the schema version that adds assessment_spec (store_sqlite.c)

STATE_SKIP='^INSERT INTO api_token\|^INSERT INTO session\|^INSERT INTO login_'
TOKEN_SCOPE=write
# page METHOD PATH [FORM]: with the session $S (and its CSRF token for a form).
page() {
    form=${3-}
    [ -n "$form" ] && form="$form&csrf=$CSRF"
    send "$1" "$2" "$S" "$form"
}

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
ITSS_PASSWORD=specs-e1036-password "$ITSS_BIN" user add e36 --role engineer --person E1036 --db "$DB" >/dev/null 2>&1
ENG=$(token e36); DEMO=$(token engineer); MGR=$(token manager)
check "the demo, E1036 (a draft in 2026年度) with an account, the demo engineer and the manager" \
    test -n "$ENG" -a -n "$DEMO" -a -n "$MGR"

# ---- migration: the demo taken back to the schema before the choice ----
api GET /api/v1/me/assessment/specs "$DEMO"; before_demo=$(cat "$T/body")
api GET /api/v1/me/assessment/specs "$ENG"; before_e36=$(cat "$T/body")
check "without a choice the specializations answered in stand for it (E1019: $before_demo)" \
    sh -c "echo '$before_demo' | grep -q '\"chosen\":false' && ! echo '$before_demo' | grep -q '\"specializations\":\[\]'"
if [ "$(sql "SELECT MAX(version) FROM schema_migrations")" != "$SPEC_SCHEMA" ]; then
    echo "ok - the migration to schema $SPEC_SCHEMA on the demo # SKIP a later migration exists: drop what it makes too, then take this database back"
else
    sql "DROP TABLE assessment_spec; DELETE FROM schema_migrations WHERE version = $SPEC_SCHEMA;"
    check "the database is back at schema version $((SPEC_SCHEMA - 1)), without assessment_spec" \
        test "$(sql "SELECT MAX(version) FROM schema_migrations") $(sql "SELECT COUNT(*) FROM sqlite_master WHERE name = 'assessment_spec'")" = "$((SPEC_SCHEMA - 1)) 0"
    "$ITSS_BIN" person list --db "$DB" >/dev/null 2>&1
    check "any command brings it forward: schema $SPEC_SCHEMA, assessment_spec made and empty" \
        test "$(sql "SELECT MAX(version) FROM schema_migrations") $(sql "SELECT COUNT(*) FROM assessment_spec")" = "$SPEC_SCHEMA 0"
    api GET /api/v1/me/assessment/specs "$DEMO"
    check "  ... the demo engineer's diagnosis reads as before" test "$(cat "$T/body")" = "$before_demo"
    api GET /api/v1/me/assessment/specs "$ENG"
    check "  ... and E1036's" test "$(cat "$T/body")" = "$before_e36"
fi

# ---- choosing ----
refused "choosing nothing: 422 naming specializations" 422 '"field":"specializations"' \
    PUT /api/v1/me/assessment/specs "$ENG" '{"specializations":[]}'
refused "a common-level block is no specialization: 422 naming specializations[0]" 422 '"field":"specializations[0]"' \
    PUT /api/v1/me/assessment/specs "$ENG" '{"specializations":["HWSW"]}'
refused "an unknown one: 422 naming specializations[1]" 422 '"field":"specializations[1]"' \
    PUT /api/v1/me/assessment/specs "$ENG" '{"specializations":["HW","XX"]}'
api PUT /api/v1/me/assessment/specs "$ENG" '{"specializations":["HW"]}'
check "E1036 chooses HW only (200, chosen)" \
    sh -c "[ '$status' = 200 ] && grep -q '\"specializations\":\[\"HW\"\],\"chosen\":true' '$T/body'"
check "  ... one row, by e36" test "$(sql "SELECT specialization_id || ' ' || chosen_by FROM assessment_spec")" = "CS.HW e36"

S=$(session e36 specs-e1036-password)
page GET /diagnosis
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$T/body" | head -n 1 | cut -d'"' -f4)
check "the overview: diagnosed in ハードウェア only, SW and FM 対象外" \
    sh -c "grep -q 'data-chosen=\"1\">診断の対象: <strong data-spec=\"HW\">ハードウェア</strong></p>' '$T/body' && grep -q 'data-spec=\"SW\" data-state=\"not_chosen\"' '$T/body' && grep -q 'data-spec=\"FM\" data-state=\"not_chosen\"' '$T/body' && grep -q '対象外' '$T/body'"
check "  ... the choice form has HW ticked, SW not" \
    sh -c "grep -q 'name=\"spec\" value=\"HW\" checked' '$T/body' && grep -q 'name=\"spec\" value=\"SW\">' '$T/body'"
page GET /diagnosis/SW
check "the SW form says SW is not diagnosed, with the way to change it" \
    sh -c "[ '$status' = 200 ] && grep -q 'class=\"message notice not-diagnosed\"' '$T/body' && grep -q 'href=\"/diagnosis#specs\"' '$T/body'"
page POST /diagnosis/specs "spec=HW&spec=FM"
check "the page's form chooses HW and FM (303 back to the overview)" \
    sh -c "[ '$status' = 303 ] && [ \"\$(sqlite3 '$DB' \"SELECT group_concat(specialization_id, ' ') FROM assessment_spec\")\" = 'CS.FM CS.HW' ]"
before=$(state)
page POST /diagnosis/specs "spec=NOPE"
check "  ... an unknown specialization in the form: 400, nothing written" sh -c "[ '$status' = 400 ] && [ '$before' = '$(state)' ]"

# ---- submitting checks only the specializations chosen ----
api POST /api/v1/me/assessment/submit "$ENG" '{}'
check "with HW and FM chosen, submitting lists FM as unanswered (409), not SW, not HW (all answered)" \
    sh -c "[ '$status' = 409 ] && grep -q '\"code\":\"FM\"' '$T/body' && ! grep -q '\"code\":\"SW\"' '$T/body' && ! grep -q '\"code\":\"HW\"' '$T/body'"
api PUT /api/v1/me/assessment/specs "$ENG" '{"specializations":["HW"]}'
api POST /api/v1/me/assessment/submit "$ENG" '{}'
check "with HW only, nothing is missing: submitted without being asked (200)" test "$status" = 200
refused "after submitting the choice is closed (409)" 409 '"code"' PUT /api/v1/me/assessment/specs "$ENG" '{"specializations":["SW"]}'

# ---- the manager's review and the approval ----
E36=$(pid E1036)
S=$(session manager itss-demo-manager)
page GET "/people/$E36/review"
check "the review shows HW, diagnosed in ハードウェア; SW marked 対象外 in the choice" \
    sh -c "[ '$status' = 200 ] && grep -q '<option value=\"HW\" selected>ハードウェア</option>' '$T/body' && grep -q '<option value=\"SW\">ソフトウェア（対象外）</option>' '$T/body' && grep -q '診断の対象: <strong data-spec=\"HW\">' '$T/body'"
page GET "/people/$E36/review?spec=SW"
check "  ... and on SW's part it says the person is not diagnosed there" grep -q '本人の診断の対象ではありません' "$T/body"
api PUT "/api/v1/people/$E36/assessment/manager" "$MGR" '{"agree_remaining":true,"answers":[]}'
api POST "/api/v1/people/$E36/approve" "$MGR" '{}'
check "the manager approves (200)" test "$status" = 200
api GET "/api/v1/team?levels=self&status=approved" "$MGR"
check "the team's self-assessed levels: E1036 has one for HW, none for SW or FM" \
    sh -c "grep -o '\"employee_number\":\"E1036\".*' '$T/body' | grep -q '\"levels\":{\"CS.HW\":[0-9],\"CS.SW\":null,\"CS.FM\":null}'"
S=$(session e36 specs-e1036-password)
page GET /results
check "E1036's results page says it is diagnosed in HW and marks SW and FM 対象外" \
    sh -c "[ '$status' = 200 ] && grep -q '診断の対象: <strong data-spec=\"HW\">ハードウェア</strong></p>' '$T/body' && grep -q 'ソフトウェア（対象外）' '$T/body' && grep -q 'ファシリティマネジメント（対象外）' '$T/body' && ! grep -q 'ハードウェア（対象外）' '$T/body'"
