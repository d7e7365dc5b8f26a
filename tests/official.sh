#!/bin/sh
# official.sh - official levels people can trust (docs/review.md), on the demo
# company through the API (`itss serve --request`, bearer tokens) and the command
# line: an approval freezes the result, so editing, failing and adding experience
# records afterwards changes no approved level, no portfolio count and no row of
# levels.csv; HR certifies an approved level (社内認定) with a validity from the
# policy, the person sees it, levels.csv says level_kind certified; bad input
# (certifying what is not approved, twice, a validity ending before it starts,
# an unknown number, revoking twice, reopening without a reason) is a clear 4xx
# and changes nothing; an expired certificate is shown as expired; HR reopens
# an approval with a reason and the old approval stays in the history; the
# explanation an approval froze is shown (itss level --approved, the results
# page) byte for byte as approved after the records changed. Run with
# ITSS_BIN set; prints one TAP-style "ok - ..." / "not ok - ..." line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)

STATE_SKIP='^INSERT INTO api_token'
# levels_row EMPNO CYCLE [self]: the row of levels.csv (official, or self-assessed).
levels_row() {
    if [ "${3-}" = self ]; then "$ITSS_BIN" export levels --levels self --db "$DB"; else "$ITSS_BIN" export levels --db "$DB"; fi |
        tr -d '\r' | grep "^$1,.*,$2,"
}
approved_levels() {
    sql "SELECT group_concat(l.specialization_id || '=' || l.level) FROM approval ap JOIN approval_level l ON l.approval_id = ap.id
         JOIN assessment a ON a.id = ap.assessment_id JOIN person p ON p.id = a.person_id JOIN cycle c ON c.id = a.cycle_id
         WHERE p.employee_number = '$1' AND c.name = '$2'"
}

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
MGR=$(token manager); HR=$(token hr); ENG=$(token engineer)
S_HR=$(session hr itss-demo-hr); S_MGR=$(session manager itss-demo-manager); S_ENG=$(session engineer itss-demo-engineer)
check "the demo, tokens and sessions for the manager (E1011), HR and the engineer (E1019)" \
    test -n "$MGR" -a -n "$HR" -a -n "$ENG" -a -n "$S_HR" -a -n "$S_MGR" -a -n "$S_ENG"
check "the demo's approvals are frozen snapshots (one per approved assessment)" test \
    "$(sql "SELECT COUNT(*) FROM approval")" = "$(sql "SELECT COUNT(*) FROM assessment WHERE status = 'approved'")"

# ---- Approval freezes the result --------------------------------------------------
C25=$(sql "SELECT id FROM cycle WHERE name = '2025年度'")
frozen=$(approved_levels E1011 2025年度)
row=$(levels_row E1011 2025年度)
self_row=$(levels_row E1011 2025年度 self)
api GET "/api/v1/portfolio?cycle=$C25" "$HR"
cp "$T/body" "$T/portfolio-before"
check "levels.csv shows E1011's approved 2025年度 level as level_kind approved" \
    sh -c "echo '$row' | grep -q ',approved,approved,4,'"
check "the portfolio says it counts official levels" grep -qF '"level_kind":"official"' "$T/portfolio-before"
"$ITSS_BIN" level E1011 --cycle 2025年度 --approved --explain --db "$DB" >"$T/why-before" 2>&1
check "itss level --approved --explain gives the explanation the approval froze" \
    grep -q 'E1011.* 2025年度 上司 の評価による判定' "$T/why-before"
check "a compact approval: no copy of the result or the explanation in the approval row" test \
    "$(sql "SELECT COUNT(*) FROM approval ap JOIN approval_basis b ON b.approval_id = ap.id WHERE ap.result = '' AND ap.explanation = ''")" = \
    "$(sql "SELECT COUNT(*) FROM approval")"
# E1011's 2026年度 diagnosis is a draft, so his experience records may change.
rec=$(sql "SELECT id FROM experience WHERE person_id = $(pid E1011) AND level = 4")
api PUT "/api/v1/me/experience/$rec" "$MGR" '{"project":"データセンタ移転","from":"2023-10","to":"2026-06","role":"チームリーダ","specialization":"CS.HW","level":4,"complexity":["CS.HW.L4.complexity.4","CS.HW.L4.complexity.2"],"size":["CS.HW.L4.size.2"],"succeeded":false}'
check "the manager marks an experience record cited by his approved 2025年度 diagnosis as failed" test "$status" = 200
api POST /api/v1/me/experience "$MGR" '{"project":"追加の記録","from":"2024-01","to":"2024-06","role":"担当","specialization":"CS.HW","level":2,"succeeded":false}'
check "... and adds another record" test "$status" = 201
check "the live self-assessed level moved (the records did change)" test "$(levels_row E1011 2025年度 self)" != "$self_row"
check "the approved levels stay as frozen ($frozen)" test "$(approved_levels E1011 2025年度)" = "$frozen"
check "levels.csv (official) stays the same" test "$(levels_row E1011 2025年度)" = "$row"
api GET "/api/v1/portfolio?cycle=$C25" "$HR"
check "the portfolio of 2025年度 stays the same" cmp -s "$T/body" "$T/portfolio-before"
check "the snapshot keeps the record as it stood (succeeded)" test \
    "$(sql "SELECT COUNT(*) FROM approval ap JOIN assessment a ON a.id = ap.assessment_id WHERE a.person_id = $(pid E1011) AND a.cycle_id = $C25 AND ap.experience LIKE '%データセンタ移転%\"succeeded\":true%'")" = 1
"$ITSS_BIN" level E1011 --cycle 2025年度 --approved --explain --db "$DB" >"$T/why-after" 2>&1
check "... and its explanation is byte for byte what was approved, the record still a success there" \
    cmp -s "$T/why-before" "$T/why-after"
page "/people/$(pid E1011)/results?cycle=2025年度" "$S_MGR"
python3 - "$T/body" "$T/why-before" <<'PY' >"$T/page-why" 2>&1
import html, re, sys
m = re.search(r'<pre class="frozen-explanation"[^>]*>(.*?)</pre>', open(sys.argv[1], encoding="utf-8").read(), re.S)
sys.exit(0 if m and html.unescape(m.group(1)) == open(sys.argv[2], encoding="utf-8").read() else 1)
PY
check "his results page shows that same explanation, as approved" test $? = 0
api GET "/api/v1/me/results?cycle=2025年度" "$MGR"
check "his results say the official HW level is 4, approved" \
    python3 -c "import json,sys; o=json.load(open('$T/body'))['official']; l=[x for x in o['levels'] if x['specialization']=='CS.HW'][0]; sys.exit(not (l['official']==4 and l['level_kind']=='approved'))"

# ---- 社内認定 ----------------------------------------------------------------------
E=$(pid E1011)
api POST "/api/v1/people/$E/certificates" "$HR" '{"specialization":"HW","cycle":"2025年度"}'
number=$(sed -n 's/.*"number":"\([^"]*\)".*/\1/p' "$T/body")
check "HR certifies E1011's approved HW level 4 (201, a number)" test "$status" = 201 -a -n "$number"
check "... valid to the end of the next cycle by default (2027-03-31)" body_has '"valid_until":"2027-03-31"'
check "... level 4, certified by hr, valid" body_has '"level":4' && body_has '"certified_by":"hr"' && body_has '"state":"valid"'
check "levels.csv now says level_kind certified for that row" sh -c "'$ITSS_BIN' export levels --db '$DB' | tr -d '\r' | grep '^E1011,.*,2025年度,' | grep -q ',approved,certified,4,'"
api GET "/api/v1/me/results?cycle=2025年度" "$MGR"
check "the person sees the certified level in their results" \
    python3 -c "import json,sys; o=json.load(open('$T/body'))['official']; l=[x for x in o['levels'] if x['specialization']=='CS.HW'][0]; sys.exit(not (l['official']==4 and l['level_kind']=='certified' and l['certificate']=='$number'))"
api GET "/api/v1/people/$E/certificates" "$MGR"
check "... and in the person's certificates" body_has "\"number\":\"$number\""
page "/certificates/$number" "$S_MGR"
check "the printable certificate page (Japanese, A4 class)" test "$status" = 200 && body_has '社内認定証' && body_has 'class="certificate"'
refused "certifying it twice is a conflict (409)" 409 "already certified" \
    POST "/api/v1/people/$E/certificates" "$HR" '{"specialization":"HW","cycle":"2025年度"}'
refused "certifying a diagnosis that is not approved is a conflict (409)" 409 "only an approved level" \
    POST "/api/v1/people/$E/certificates" "$HR" '{"specialization":"HW","cycle":"2026年度"}'
refused "certifying a specialization not reached (未到達) is a conflict (409)" 409 "未到達" \
    POST "/api/v1/people/$E/certificates" "$HR" '{"specialization":"SW","cycle":"2025年度"}'
refused "a validity ending before it starts is refused (400)" 400 "before it starts" \
    POST "/api/v1/people/$(pid E1019)/certificates" "$HR" '{"specialization":"HW","cycle":"2025年度","valid_from":"2026-04-01","valid_until":"2026-03-31"}'
refused "a date that does not exist is refused (400)" 400 "valid_until" \
    POST "/api/v1/people/$(pid E1019)/certificates" "$HR" '{"specialization":"HW","cycle":"2025年度","valid_until":"2026-02-30"}'
refused "a manager cannot certify (403)" 403 '"error"' \
    POST "/api/v1/people/$(pid E1019)/certificates" "$MGR" '{"specialization":"HW","cycle":"2025年度"}'
refused "revoking an unknown certificate number is 404" 404 "ITSS-1999-999999" \
    POST /api/v1/certificates/ITSS-1999-999999/revoke "$HR" '{"reason":"誤り"}'
refused "revoking without a reason is refused (400)" 400 "reason" \
    POST "/api/v1/certificates/$number/revoke" "$HR" '{"reason":"  "}'

# An expired certificate is shown as expired, never as valid.
api POST "/api/v1/people/$(pid E1019)/certificates" "$HR" '{"specialization":"HW","cycle":"2025年度","valid_from":"2025-04-01","valid_until":"2025-12-31"}'
old=$(sed -n 's/.*"number":"\([^"]*\)".*/\1/p' "$T/body")
check "a certificate whose validity has passed is recorded" test "$status" = 201 && body_has '"state":"expired"'
api GET "/api/v1/people/$(pid E1019)/certificates" "$ENG"
check "... and the person sees it as expired" body_has "\"number\":\"$old\"" && body_has '"state":"expired"'
check "... the expired certificate does not make a level certified in levels.csv" \
    sh -c "'$ITSS_BIN' export levels --db '$DB' | tr -d '\r' | grep '^E1019,.*,2025年度,' | grep -q ',approved,approved,'"
api GET "/api/v1/certificates?expiring_within=500" "$HR"
check "HR's list of certificates expiring within 500 days has the valid one, not the expired one" \
    sh -c "grep -qF '$number' '$T/body' && ! grep -qF '$old' '$T/body'"
page "/certificates?within=500" "$S_HR"
check "... and the page shows the expired one as expired" sh -c "grep -q 'data-certificate=\"$old\" data-state=\"expired\"' '$T/body'"

api POST "/api/v1/certificates/$number/revoke" "$HR" '{"reason":"評価の誤りが判明したため"}'
check "HR revokes the certificate with a reason" test "$status" = 200 && body_has '"state":"revoked"'
refused "revoking twice is a conflict (409)" 409 "already revoked" \
    POST "/api/v1/certificates/$number/revoke" "$HR" '{"reason":"もう一度"}'
page "/people/$E/results?cycle=2025年度" "$S_HR"
check "the person's results page lists the revoked certificate as revoked" \
    sh -c "grep -q 'data-certificate=\"$number\" data-state=\"revoked\"' '$T/body'"
check "after the revocation levels.csv says approved again" \
    sh -c "'$ITSS_BIN' export levels --db '$DB' | tr -d '\r' | grep '^E1011,.*,2025年度,' | grep -q ',approved,approved,4,'"

# ---- Reopening is HR's, with a reason ------------------------------------------------
S=$(pid E1019)
refused "a manager cannot reopen an approved diagnosis (403)" 403 '"error"' \
    POST "/api/v1/people/$S/reopen" "$MGR" '{"reason":"x","cycle":"2026年度"}'
refused "reopening without a reason is refused (400)" 400 "reason" \
    POST "/api/v1/people/$S/reopen" "$HR" '{"cycle":"2026年度"}'
api POST "/api/v1/people/$S/reopen" "$HR" '{"cycle":"2026年度","reason":"実績の記載漏れ"}'
check "HR reopens E1019's approved 2026年度 diagnosis (returned)" test "$status" = 200 -a \
    "$(sql "SELECT status FROM assessment WHERE person_id = $S AND cycle_id = (SELECT id FROM cycle WHERE name = '2026年度')")" = returned
check "... the old approval stays in the history, marked reopened with the reason" test \
    "$(sql "SELECT r.reason FROM approval_reopen r JOIN approval ap ON ap.id = r.approval_id JOIN assessment a ON a.id = ap.assessment_id WHERE a.person_id = $S")" = 実績の記載漏れ
check "... the approval rows cannot be changed (append-only)" sh -c "! sqlite3 '$DB' \"UPDATE approval_level SET level = 7\" 2>/dev/null"
refused "reopening what is not approved is a conflict (409)" 409 "only an approved" \
    POST "/api/v1/people/$S/reopen" "$HR" '{"cycle":"2026年度","reason":"もう一度"}'
page /diagnosis "$S_ENG"
check "the engineer sees the return reason on /diagnosis" body_has '実績の記載漏れ'
page /home "$S_ENG"
check "... and on their home page" body_has '実績の記載漏れ'

# ---- The command line ------------------------------------------------------------------
"$ITSS_BIN" certify E1004 --spec HW --cycle 2025年度 --db "$DB" >"$T/out" 2>"$T/err"; rc=$?
check "itss certify EMPNO --spec HW certifies and prints the number" test $rc -eq 0 && grep -q '^ITSS-' "$T/out"
"$ITSS_BIN" certify E1004 --spec HW --cycle 2025年度 --db "$DB" >"$T/out" 2>"$T/err"; rc=$?
check "... twice: exit 3 saying it is already certified" test $rc -eq 3 && grep -q "already certified" "$T/err"
"$ITSS_BIN" certify list --json --db "$DB" >"$T/out"
check "itss certify list --json lists the certificates with their state" grep -q '"state": "revoked"' "$T/out"
"$ITSS_BIN" certify revoke ITSS-1999-000001 --reason x --db "$DB" >"$T/out" 2>"$T/err"; rc=$?
check "itss certify revoke of an unknown number: exit 3 naming it" test $rc -eq 3 && grep -q ITSS-1999-000001 "$T/err"
"$ITSS_BIN" export levels --levels self --db "$DB" | tr -d '\r' | head -n 1 >"$T/out"
check "itss export levels --levels self: the level_kind column says self" sh -c \
    "grep -q 'status,level_kind,HW' '$T/out' && '$ITSS_BIN' export levels --levels self --db '$DB' | tr -d '\r' | sed -n 2p | grep -q ',self,'"
