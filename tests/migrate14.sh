#!/bin/sh
# migrate14.sh - the migration to schema 14 (compact approvals, history run
# records: docs/store.md "Schema version 14") on a real demo-sized database
# written by itss at schema 13: tests/fixtures/demo-schema13.sql.xz is the
# .dump of `itss demo` made by the last program of schema 13 (commit 6e71e8d,
# ITSS_TODAY=2026-12-06): 64 people, 121 assessments, 79 approvals each holding
# its result and explanation in full (5.4 MB of text), history rows one answer
# at a time. demo-schema13.levels.csv and demo-schema13.history-E1001-2025.txt
# are what that program printed for `itss export levels` and `itss history
# E1001 --cycle 2025年度` on it. Any command of this program brings it to the
# newest schema (whatever number that is: the fixture never changes, and after
# the migration only this program reads it, so later migrations do not stop
# this test): each approval gives back the texts it held byte for byte, the
# levels and the history read as that program printed them, and a new approval
# is made and given back. (That 14 itself adds approval_basis and keeps old
# approvals' texts: test_approval_frozen.c, test_migrates_old_approval.)
# Run with ITSS_BIN set; one TAP-style line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the day the fixture was made on
FIX=$HERE/fixtures/demo-schema13

py 'import lzma, sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$FIX.sql.xz" | sqlite3 "$DB"
check "the fixture: schema 13, 79 approvals with their texts, no approval_basis" \
    test "$(sql "SELECT MAX(version) FROM schema_migrations"),$(sql "SELECT COUNT(*) FROM approval WHERE length(result) > 1000 AND length(explanation) > 1000"),$(sql "SELECT COUNT(*) FROM sqlite_master WHERE name = 'approval_basis'")" = "13,79,0"

# What the fixture's approvals hold, read at schema 13 (the fixture never
# changes, so this SQL never has to follow a later schema): one line per
# approval "assessment|employee|cycle", its texts in files.
sql "SELECT a.id || '|' || p.employee_number || '|' || c.name FROM approval ap JOIN assessment a ON a.id = ap.assessment_id
     JOIN person p ON p.id = a.person_id JOIN cycle c ON c.id = a.cycle_id ORDER BY ap.id" >"$T/approvals"
while IFS='|' read -r aid emp cyc; do
    sqlite3 "$DB" "SELECT explanation FROM approval WHERE assessment_id = $aid" >"$T/explanation.$aid"
    sqlite3 "$DB" "SELECT result FROM approval WHERE assessment_id = $aid" >"$T/result.$aid"
done <"$T/approvals"

# From here on only this program reads the database (and schema_migrations,
# the store's own record of versions): later migrations may store things
# otherwise, what it gives must stay.
"$ITSS_BIN" person list --db "$DB" >/dev/null 2>&1
"$ITSS_BIN" init --db "$T/new.db" >/dev/null 2>&1
latest=$(sqlite3 "$T/new.db" "SELECT MAX(version) FROM schema_migrations")
check "any command brings it forward to the schema of a new database ($latest), through 14" \
    test "$(sql "SELECT MAX(version) FROM schema_migrations"),$(sql "SELECT COUNT(*) FROM schema_migrations WHERE version = 14")" = "$latest,1"
run check --db "$DB"
check "itss check: the migrated database is whole" test "$rc" = 0

# Every approval gives back the texts it held at schema 13, byte for byte.
bad=""; n=0
while IFS='|' read -r aid emp cyc; do
    n=$((n + 1))
    "$ITSS_BIN" level "$emp" --cycle "$cyc" --approved --explain --db "$DB" >"$T/explanation" 2>&1
    printf '\n' >>"$T/explanation"   # sqlite3 ended the stored text with a newline of its own
    cmp -s "$T/explanation" "$T/explanation.$aid" || bad="$bad $emp/$cyc"
    "$ITSS_BIN" level "$emp" --cycle "$cyc" --approved --json --db "$DB" >"$T/result" 2>&1
    cmp -s "$T/result" "$T/result.$aid" || bad="$bad $emp/$cyc(json)"
done <"$T/approvals"
check "each of the $n approvals gives the explanation and result it held at schema 13, byte for byte${bad:+; not:$bad}" \
    test "$n" = 79 -a -z "$bad"

run export levels --db "$DB"
check "itss export levels prints what itss at schema 13 printed on this database" cmp -s "$T/out" "$FIX.levels.csv"
run history E1001 --cycle 2025年度 --db "$DB"
check "itss history of an approved assessment (history rows one answer at a time) reads as it did at schema 13" \
    cmp -s "$T/out" "$FIX.history-E1001-2025.txt"

# A new approval on the migrated database: made, and given back as approved.
HR=$(token hr)
E1041=$(pid E1041)
api PUT "/api/v1/people/$E1041/assessment/manager" "$HR" '{"answers":[],"agree_remaining":true}'
api POST "/api/v1/people/$E1041/approve" "$HR" '{"comment":"移行後の承認"}'
check "HR approves E1041 (submitted at schema 13) after the migration (200)" test "$status" = 200
run level E1041 --cycle 2026年度 --approved --explain --db "$DB"
check "  ... and this program gives its explanation as approved (exit 0, E1041's)" \
    sh -c "[ '$rc' = 0 ] && grep -q 'E1041' '$T/out'"
