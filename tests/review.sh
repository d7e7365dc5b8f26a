#!/bin/sh
# review.sh - who may review, return and approve a diagnosis, and what a review
# must decide, as the API answers (docs/review.md): on the demo company, a
# member of a section given the manager role cannot approve their own boss; two
# managers side by side in one section cannot approve each other; HR cannot
# import a reviewer's rating of their own diagnosis; approval waits for a
# decision (rating or agreement) on every achievement criterion; a draft and an
# approved diagnosis cannot be approved. Every refusal is a 403 or 409 naming
# the rule, and the database stays exactly as it was (a dump of every table).
# Requests go through `itss serve --request` with bearer tokens. Run with
# ITSS_BIN set; prints one TAP-style "ok - ..." / "not ok - ..." line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)

# state: every table but the API tokens' (a request records the token's last use).
STATE_SKIP='^INSERT INTO api_token'

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
check "the demo database is made" test -s "$DB"
# E1011 石井 (the demo manager) leads 金融システム保守課; E1027 and E1041 report to him.
ITSS_PASSWORD=review-sub-password "$ITSS_BIN" user add sub --role manager --person E1027 --db "$DB" >/dev/null 2>&1
ITSS_PASSWORD=review-peer-password "$ITSS_BIN" user add peer --role manager --person E1041 --db "$DB" >/dev/null 2>&1
MGR=$(token manager); HR=$(token hr); SUB=$(token sub); PEER=$(token peer)
check "tokens for the manager, HR and two members made managers" test -n "$MGR" -a -n "$HR" -a -n "$SUB" -a -n "$PEER"

# The boss hands in his own diagnosis.
api POST /api/v1/me/assessment/submit "$MGR" '{}'
check "the manager E1011 submits his own diagnosis" test "$status" = 200 -a "$(status_of E1011)" = submitted

refused "a member made manager cannot approve their own boss (403, the rule named)" 403 "管理する人の診断は評価・承認できません" \
    POST "/api/v1/people/$(pid E1011)/approve" "$SUB" '{}'
refused "... nor return the boss's diagnosis" 403 '"code":"not_reviewer"' \
    POST "/api/v1/people/$(pid E1011)/return" "$SUB" '{"comment":"やり直し"}'
refused "... nor rate it as reviewer" 403 '"code":"not_reviewer"' \
    PUT "/api/v1/people/$(pid E1011)/assessment/manager" "$SUB" '{"answers":[{"element_id":"CS.HW.L4.responsibility","value":1}]}'
refused "two managers of one section cannot approve each other: E1027 -> E1041 (403)" 403 "報告系統で自分の下にいる人" \
    POST "/api/v1/people/$(pid E1041)/approve" "$SUB" '{}'
refused "... nor E1041 -> E1027 (403)" 403 "報告系統で自分の下にいる人" \
    POST "/api/v1/people/$(pid E1027)/approve" "$PEER" '{}'
refused "a manager cannot approve their own diagnosis (403)" 403 "本人の診断は評価・承認できません" \
    POST "/api/v1/people/$(pid E1011)/approve" "$MGR" '{}'

# HR importing a reviewer's rating of their own diagnosis (E1021 is the demo's HR).
printf 'employee_number,cycle,catalog_version,element_id,rater,value\r\nE1021,2026年度,2011.1,CS.HW.L4.responsibility,manager,1\r\n' >"$T/own.csv"
refused "HR cannot import a reviewer's rating of their own diagnosis (the row names the rule)" 422 \
    "a manager rating of E1021 cannot come from this import: nobody reviews their own diagnosis" \
    POST /api/v1/imports/assessments "$HR" "$(cat "$T/own.csv")" text/csv
printf 'employee_number,cycle,catalog_version,element_id,rater,value\r\nE1041,2026年度,2011.1,CS.HW.L4.responsibility,manager,1\r\n' >"$T/other.csv"
api POST /api/v1/imports/assessments "$HR" "$(cat "$T/other.csv")" text/csv
check "HR imports a reviewer's rating of someone else" test "$status" = 200 && body_has '"answers":1' 
printf 'employee_number,cycle,catalog_version,element_id,rater,value\r\nE1019,2026年度,2011.1,CS.HW.L4.responsibility,manager,0\r\n' >"$T/approved.csv"
refused "no import writes to an approved diagnosis" 422 "approved" \
    POST /api/v1/imports/assessments "$HR" "$(cat "$T/approved.csv")" text/csv

# Approval waits for a decision on every achievement criterion.
M=$(pid E1041)
refused "approval is refused while achievement criteria are undecided (409, the first named)" 409 '"code":"review_incomplete"' \
    POST "/api/v1/people/$M/approve" "$MGR" '{}'
api GET "/api/v1/people/$M/assessment" "$MGR"
n=$(sed -n 's/.*"undecided_achievement":\([0-9]*\).*/\1/p' "$T/body")
check "the API says how many are undecided ($n)" test "${n:-0}" -gt 0
api PUT "/api/v1/people/$M/assessment/manager" "$MGR" '{"answers":[{"element_id":"CS.HW.L3.responsibility","value":"agree"},{"element_id":"CS.HW.L4.responsibility","value":0}]}'
check "the reviewer agrees with one self-rating and rates another" test "$status" = 200 && body_has '"CS.HW.L3.responsibility"'
api GET "/api/v1/people/$M/assessment" "$MGR"
n2=$(sed -n 's/.*"undecided_achievement":\([0-9]*\).*/\1/p' "$T/body")
check "... fewer undecided ($n -> $n2)" test "$n2" -lt "$n"
api PUT "/api/v1/people/$M/assessment/manager" "$MGR" '{"answers":[],"agree_remaining":true}'
api GET "/api/v1/people/$M/assessment" "$MGR"
check "agree_remaining leaves nothing undecided" body_has '"undecided_achievement":0'
api GET "/api/v1/people/$M/assessment?rater=manager" "$MGR"
check "... and the reviewer's own rating stays" body_has '"element_id":"CS.HW.L4.responsibility","rater":"manager","value":0' 
api POST "/api/v1/people/$M/approve" "$MGR" '{"comment":"確認しました"}'
check "then the manager approves (200)" test "$status" = 200 -a "$(status_of E1041)" = approved
check "... and the approval is frozen as a snapshot with its levels" test \
    "$(sql "SELECT COUNT(*) FROM approval ap JOIN approval_level l ON l.approval_id = ap.id JOIN assessment a ON a.id = ap.assessment_id WHERE a.person_id = $M AND ap.approved_by = 'manager'")" -ge 3
refused "approving twice is a conflict (409)" 409 '"code":"conflict"' POST "/api/v1/people/$M/approve" "$MGR" '{}'
refused "approving a draft is a conflict (409)" 409 '"code":"conflict"' POST "/api/v1/people/$(pid E1036)/approve" "$MGR" '{}'
