#!/bin/sh
# cli_demo_org.sh - `itss demo --people N [--cycles K]`, the generated large
# organization, at a small N: the people asked for, a unit tree several levels
# deep in which everyone but the company's head reports to the head of their
# unit or of the unit above, K cycles with assessments rated by self and
# manager, statuses spread over the open cycle, levels that spread and move
# between cycles (as the engine decides them again through `itss export
# levels`), the same data on every run, and bad options refused. The 64-person
# demo without --people is tests/cli_demo.sh's. Run from the repository root
# with ITSS_BIN set; prints one TAP-style line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)

DB=$T/org.db
run demo --people 150 --cycles 3 --db "$DB" --json
check "demo --people 150 --cycles 3 exits 0" test "$rc" -eq 0
check "and says nothing on stderr" test ! -s "$T/err"
cp "$T/out" "$T/summary"
check "the summary counts 150 people, a tree of 3 levels or more, 3 cycles" py '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["people"] == 150 and s["depth"] >= 3 and s["cycles"] == ["2024年度", "2025年度", "2026年度"], s
assert s["manager_answers"] > 0 and s["self_answers"] > s["manager_answers"], s
' "$T/summary"

"$ITSS_BIN" export people --format json --db "$DB" >"$T/people" 2>"$T/err"
sqlite3 "$DB" "SELECT id, code, COALESCE(parent_id, 0) FROM org_unit" >"$T/units"
check "150 people; all but the company's head report to the head of their unit or of the unit above" py '
import json, sys
people = json.load(open(sys.argv[1]))
assert len(people) == 150, len(people)
units = {}
for line in open(sys.argv[2]):
    i, code, parent = line.strip().split("|")
    units[code] = (int(i), int(parent))
code_of = {v[0]: k for k, v in units.items()}
unit_of = {p["employee_number"]: p["org_unit_code"] for p in people}
tops = [p for p in people if p["manager_employee_number"] is None]
assert len(tops) == 1 and tops[0]["org_unit_code"] == "HQ", tops
for p in people:
    m = p["manager_employee_number"]
    if m is None:
        continue
    mine, theirs = p["org_unit_code"], unit_of[m]
    parent = code_of.get(units[mine][1])
    assert theirs in (mine, parent), (p, theirs)
# depth: the longest chain of parents
def depth(code):
    d = 1
    while units[code][1]:
        code = code_of[units[code][1]]
        d += 1
    return d
assert max(depth(c) for c in units) >= 3
' "$T/people" "$T/units"

# every assessment with its self-assessed levels (the official ones cover approved assessments only)
"$ITSS_BIN" export levels --levels self --format json --db "$DB" >"$T/levels" 2>"$T/err"
check "export levels works on it" test ! -s "$T/err"
check "past cycles are approved; the open one has drafts, submitted and approved assessments" py '
import json, sys
rows = json.load(open(sys.argv[1]))
past = [r["status"] for r in rows if r["cycle"] != "2026年度"]
now = [r["status"] for r in rows if r["cycle"] == "2026年度"]
assert past.count("approved") >= 0.9 * len(past), past
assert {"draft", "submitted", "approved"} <= set(now), set(now)
assert len(now) < 150        # some have not started
' "$T/levels"
# every approved assessment has its approval (official levels), some a certificate valid today
approved=$(sqlite3 "$DB" "SELECT count(*) FROM assessment WHERE status = 'approved'")
approvals=$(sqlite3 "$DB" "SELECT count(DISTINCT assessment_id) FROM approval")
certified=$(sqlite3 "$DB" "SELECT count(*) FROM certificate WHERE valid_from <= '2026-12-06' AND valid_until >= '2026-12-06'")
"$ITSS_BIN" export levels --db "$DB" >"$T/official" 2>"$T/err"
check "every approved assessment ($approved) has its approval, some a valid certificate ($certified); official levels export" \
    test "$approved" -gt 100 -a "$approvals" -eq "$approved" -a "$certified" -gt 5 -a "$(($(wc -l <"$T/official") - 1))" -eq "$approved"
kept=$(sqlite3 "$DB" "SELECT count(*) FROM result")
assessments=$(sqlite3 "$DB" "SELECT count(*) FROM assessment")
check "the self levels of every assessment are kept (3 specializations each)" test "$kept" -eq $((assessments * 3))
check "levels spread over at least 4 values and some people move up a level between cycles" py '
import json, sys
rows = json.load(open(sys.argv[1]))
seen = set()
best = {}
for r in rows:
    top = max(r["levels"].values())
    seen.add(top)
    best.setdefault(r["employee_number"], {})[r["cycle"]] = top
assert len(seen - {0}) >= 4, seen
up = [e for e, c in best.items() if c.get("2026年度", -1) > c.get("2025年度", 99)]
assert len(up) >= 3, up
' "$T/levels"
"$ITSS_BIN" export assessments --db "$DB" >"$T/answers" 2>"$T/err"
check "answers of both raters, with experience records as evidence" py '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
raters = {r["rater"] for r in rows}
assert raters == {"self", "manager"}, raters
assert any(r["evidence"] for r in rows)
' "$T/answers"

# --- the same data on every run
run demo --people 150 --cycles 3 --db "$T/again.db"
"$ITSS_BIN" export levels --levels self --format json --db "$T/again.db" >"$T/levels2" 2>/dev/null
"$ITSS_BIN" export people --format json --db "$T/again.db" >"$T/people2" 2>/dev/null
check "a second run holds the same people and levels" sh -c 'cmp -s "$1" "$2" && cmp -s "$3" "$4"' - \
    "$T/levels" "$T/levels2" "$T/people" "$T/people2"

# --- bad options
run demo --people 5 --db "$T/bad.db"
check "--people below 10 is a usage error (exit 2)" test "$rc" -eq 2
check "naming the option" grep -q -- "--people" "$T/err"
run demo --people many --db "$T/bad.db"
check "--people that is no number is a usage error" test "$rc" -eq 2
run demo --cycles 3 --db "$T/bad.db"
check "--cycles without --people is a usage error" test "$rc" -eq 2
run demo --people 20 --cycles 11 --db "$T/bad.db"
check "--cycles above 10 is a usage error" test "$rc" -eq 2
check "refused runs leave no database behind" test ! -e "$T/bad.db"
run demo --people 20 --db "$DB"
check "a database that holds data is refused without --force (exit 3)" test "$rc" -eq 3
