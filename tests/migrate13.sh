#!/bin/sh
# migrate13.sh - the migration to schema 13 (assessment_spec: the
# specializations a diagnosis is made in, docs/store.md "Schema version 13") on
# a real demo-sized database written at schema 12: tests/fixtures/
# demo-schema12.sql.xz is the .dump of `itss demo` made by a program of schema
# 12 (commit ac74ff1, ITSS_TODAY=2026-12-06): 64 people, 121 assessments with
# answers in HW, SW and FM. demo-schema12.self-levels.csv is what that program
# printed for `itss export levels --levels self` on it. Any command of this
# program brings it to the newest schema (whatever number that is: the fixture
# never changes, and after the migration only this program reads it, so later
# migrations do not stop this test; tests/test_schema13.c checks the table
# itself at 13, on a database made through the migrations themselves): the
# self-assessed levels as that program printed them, and the specs API
# of people diagnosed in one and in several specializations answering the
# specializations their own answers are in, with no choice made. Run with
# ITSS_BIN set; one TAP-style line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the day the fixture was made on
FIX=$HERE/fixtures/demo-schema12

py 'import lzma, sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$FIX.sql.xz" | sqlite3 "$DB"
check "the fixture: schema 12, 121 assessments, no assessment_spec" \
    test "$(sql "SELECT MAX(version) FROM schema_migrations"),$(sql "SELECT COUNT(*) FROM assessment"),$(sql "SELECT COUNT(*) FROM sqlite_master WHERE name = 'assessment_spec'")" = "12,121,0"

# From here on only this program reads the database (and schema_migrations,
# the store's own record of versions): later migrations may store things
# otherwise, what it gives must stay.
"$ITSS_BIN" person list --db "$DB" >/dev/null 2>&1
"$ITSS_BIN" init --db "$T/new.db" >/dev/null 2>&1
latest=$(sqlite3 "$T/new.db" "SELECT MAX(version) FROM schema_migrations")
check "any command brings it forward to the schema of a new database ($latest), through 13" \
    test "$(sql "SELECT MAX(version) FROM schema_migrations"),$(sql "SELECT COUNT(*) FROM schema_migrations WHERE version = 13")" = "$latest,1"
run check --db "$DB"
check "itss check: the migrated database is whole" test "$rc" = 0

run export levels --levels self --db "$DB"
check "itss export levels --levels self prints what itss at schema 12 printed on this database" \
    cmp -s "$T/out" "$FIX.self-levels.csv"

# The specializations each person's own self answers of 2026年度 are in (not the
# HW/SW common levels CS.HWSW), from the answers as exported, in the
# catalog's order: "E1001 HW SW".
run export assessments --format json --cycle 2026年度 --db "$DB"
py 'import json, sys
for a in json.load(open(sys.argv[1])):
    own = {x["element_id"].split(".")[1] for x in a["answers"] if x["rater"] == "self"}
    own = [s for s in ("HW", "SW", "FM") if s in own]   # catalog order
    if own:
        print(a["employee_number"], " ".join(own))' "$T/out" >"$T/own"
# Two people diagnosed in several specializations, two in one.
PICK=$( (grep ' .* ' "$T/own" | head -n 2; grep -v ' .* ' "$T/own" | head -n 2) | cut -d' ' -f1)
check "the demo has people answering in several specializations and in one ($(echo $PICK))" \
    test "$(echo "$PICK" | wc -l)" = 4
for emp in $PICK; do
    want=$(grep "^$emp " "$T/own" | cut -d' ' -f2- | sed 's/\([A-Z][A-Z]\)/"\1"/g; s/ /,/g')
    name=m13$(echo "$emp" | tr 'E' 'e')
    ITSS_PASSWORD=migrate13-password "$ITSS_BIN" user add "$name" --role engineer --person "$emp" --db "$DB" >/dev/null 2>&1
    api GET /api/v1/me/assessment/specs "$(token "$name")"
    check "the specs API of $emp: not chosen, the specializations of their own answers [$want]" \
        sh -c "[ '$status' = 200 ] && grep -q '\"specializations\":\[$want\],\"chosen\":false' '$T/body'"
done
