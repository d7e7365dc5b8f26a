#!/bin/sh
# cli_demo.sh - `itss demo` as a newcomer meets it: it makes a database in one
# step, `itss level` then shows levels, the levels spread over 1 to 6 across
# ハードウェア, ソフトウェア and ファシリティマネジメント (with some 未到達), some
# people gained a level between the two cycles, a second run without --force
# refuses and changes nothing, --force replaces, and two demo databases hold the
# same data. Levels are read back through `itss export levels` and `itss level`,
# i.e. decided again by the engine, never copied here. Run from the repository
# root with ITSS_BIN set; prints one TAP-style "ok - ..." / "not ok - ..." line
# per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)
COLUMNS=200
export COLUMNS

# snapshot DB NAME: every export of DB into $T/NAME.*
snapshot() {
    for k in people assessments; do
        "$ITSS_BIN" export "$k" --format json --db "$1" >"$T/$2.$k" 2>>"$T/$2.err"
    done
    # the self-assessed levels of every assessment (the official ones cover approved assessments only)
    "$ITSS_BIN" export levels --levels self --format json --db "$1" >"$T/$2.levels" 2>>"$T/$2.err"
}
# same A B: the two snapshots are byte for byte the same
same() { cmp -s "$T/$1.people" "$T/$2.people" && cmp -s "$T/$1.assessments" "$T/$2.assessments" \
             && cmp -s "$T/$1.levels" "$T/$2.levels"; }

# --- it runs, in one step, on a database that does not exist yet
run demo --db "$DB"
check "demo exits 0 on a new database" test "$rc" -eq 0
check "demo says nothing on stderr" test ! -s "$T/err"
check "demo prints the summary table of people per level" grep -q "レベル6" "$T/out"
check "demo prints the web accounts with their passwords" grep -q "itss-demo-engineer" "$T/out"
cp "$T/out" "$T/summary"
check "the database passes the integrity check" \
    test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = "ok"

run demo --db "$T/j.db" --json
check "demo --json prints the summary as JSON" py '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["people"] >= 50, s["people"]
assert s["levels"]["2026年度"]["CS.FM"].get("0", 0) >= 1      # some 未到達 in FM
assert {a["role"] for a in s["accounts"]} == {"engineer", "manager", "hr", "admin"}
' "$T/out"

# --- the people and their levels, as the engine decides them again
snapshot "$DB" a
check "export levels of the demo works" test ! -s "$T/a.err"
check "about 60 people with a 2026年度 assessment" py '
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["cycle"] == "2026年度"]
assert 50 <= len(rows) <= 70, len(rows)
' "$T/a.levels"
check "levels 1 to 6 all occur across HW, SW and FM; FM reaches 6, HW and SW 5" py '
import json, sys
rows = json.load(open(sys.argv[1]))
seen = {}
for r in rows:
    for spec, level in r["levels"].items():
        seen.setdefault(spec, set()).add(level)
allv = set().union(*seen.values())
assert set(range(1, 7)) <= allv, allv
assert 6 in seen["FM"] and {3, 4, 5} <= seen["FM"], seen["FM"]
assert set(range(1, 6)) <= seen["HW"] and set(range(1, 6)) <= seen["SW"], seen
' "$T/a.levels"
check "some people reached a higher level in 2026年度 than in 2025年度" py '
import json, sys
rows = json.load(open(sys.argv[1]))
by = {}
for r in rows:
    by.setdefault(r["employee_number"], {})[r["cycle"]] = max(r["levels"].values())
up = [e for e, c in by.items() if "2025年度" in c and "2026年度" in c and c["2026年度"] > c["2025年度"]]
down = [e for e, c in by.items() if "2025年度" in c and "2026年度" in c and c["2026年度"] < c["2025年度"]]
assert len(up) >= 5 and not down, (up, down)
' "$T/a.levels"
check "every person has a name, a kana reading and an example.jp address; numbers are unique" py '
import json, sys
people = json.load(open(sys.argv[1]))
people = people["people"] if isinstance(people, dict) else people
nums = [p["employee_number"] for p in people]
assert len(nums) == len(set(nums)) and len(nums) >= 50
for p in people:
    assert p["name"] and p.get("kana") and p.get("email", "").endswith("@example.jp"), p
' "$T/a.people"

# itss level for a few people: the level it shows is the export's.
py '
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["cycle"] == "2026年度"]
names = {"HW": "ハードウェア", "SW": "ソフトウェア", "FM": "ファシリティマネジメント"}
picked = {}
for r in rows:
    for spec, level in r["levels"].items():
        if level > 0:
            picked.setdefault(level, (r["employee_number"], names[spec]))
for level in sorted(picked):
    print(picked[level][0], picked[level][1], level)
' "$T/a.levels" >"$T/picked"
check "one person per level 1..6 to ask itss level about" test "$(wc -l <"$T/picked")" -ge 6
while read -r empno spec level; do
    run level "$empno" --db "$DB"
    check "itss level $empno shows $spec レベル$level" \
        sh -c 'test "$1" -eq 0 && grep "^$2 " "$3" | grep -q "レベル$4"' - "$rc" "$spec" "$T/out" "$level"
done <"$T/picked"
empno=$(head -n 1 "$T/picked" | cut -d' ' -f1)
run level "$empno" --explain --db "$DB"
check "itss level --explain on a demo person quotes the standard's wording" \
    sh -c 'test "$1" -eq 0 && grep -q "責任性" "$2" && grep -q "実績" "$2"' - "$rc" "$T/out"

# --- a second run refuses and changes nothing; --force replaces
run demo --db "$DB"
check "demo on a database that holds data exits 3" test "$rc" -eq 3
check "the refusal names --force" grep -q -- "--force" "$T/err"
snapshot "$DB" b
check "the refused run changed nothing" same a b
run demo --db "$DB" --force
check "demo --force replaces the database (exit 0)" test "$rc" -eq 0
snapshot "$DB" c
check "the replaced database holds the same demo data" same a c

# --- deterministic: a second demo database holds the same data
run demo --db "$T/other.db"
snapshot "$T/other.db" d
check "two demo databases give identical exports" same a d
sed "s#$T/other.db#DB#" "$T/out" >"$T/s2"
sed "s#$DB#DB#" "$T/summary" >"$T/s1"
check "two demo runs print the same summary (but for the path)" cmp -s "$T/s1" "$T/s2"

# --- an empty database made by itss init is filled; a file that is not itss's is left alone
"$ITSS_BIN" init --db "$T/init.db" >/dev/null 2>&1
run demo --db "$T/init.db"
check "demo fills an empty database made by itss init" test "$rc" -eq 0
printf 'not a database\n' >"$T/notes.txt"
run demo --db "$T/notes.txt" --force
check "demo refuses a file that is not an itss database, even with --force" test "$rc" -eq 3
check "and leaves it as it was" test "$(cat "$T/notes.txt")" = "not a database"
run demo --db "$T/x.db" extra
check "an unexpected argument is a usage error (exit 2)" test "$rc" -eq 2
check "a refused run leaves no database behind" test ! -e "$T/x.db"

# --- the web accounts
run user list --db "$DB"
if [ "$rc" -eq 0 ]; then
    check "one web account per role" \
        sh -c 'for r in engineer manager hr admin; do grep -q "$r" "$1" || exit 1; done' - "$T/out"
else
    fail "one web account per role: itss user list failed (exit $rc)"
fi

# --- dated from today: made after 2026年度 has closed (ITSS_TODAY sets the clock), the
# demo holds 2026年度 (closed) and 2027年度 (open), so that an open cycle exists on any
# date; the people, their answers and levels are the same, only the names and dates move
ITSS_TODAY=2027-04-02 run demo --db "$T/later.db"
check "demo made on 2027-04-02 exits 0" test "$rc" -eq 0
check "its summary names 2026年度 and 2027年度" grep -q "cycles 2026年度 (closed) and 2027年度 (open)" "$T/out"
ITSS_TODAY=2027-04-02 run cycle list --json --db "$T/later.db"
check "on 2027-04-02 its cycles are 2027年度 (open, April to March) and 2026年度 (closed)" py '
import json, sys
c = json.load(open(sys.argv[1]))
got = [(x["name"], x["opens"], x["closes"], x["state"]) for x in c]
assert got == [("2027年度", "2027-04-01", "2028-03-31", "open"),
               ("2026年度", "2026-04-01", "2027-03-31", "closed")], got
' "$T/out"
ITSS_TODAY=2028-02-29 run cycle list --json --db "$T/later.db"
check "in March 2028 (still 2027年度) its open cycle is still 2027年度" py '
import json, sys
assert [x["state"] for x in json.load(open(sys.argv[1]))] == ["open", "closed"]
' "$T/out"
ITSS_TODAY=2027-04-02 "$ITSS_BIN" export levels --levels self --format json --db "$T/later.db" >"$T/later.levels" 2>&1
check "the same people reach the same levels as in the demo made in 2026年度" py '
import json, sys
def rows(f, names):
    return sorted((names[r["cycle"]], r["employee_number"], json.dumps(r["levels"], sort_keys=True))
                  for r in json.load(open(f)))
a = rows(sys.argv[1], {"2025年度": 0, "2026年度": 1})
b = rows(sys.argv[2], {"2026年度": 0, "2027年度": 1})
assert a == b and len(a) > 100, (len(a), len(b))
' "$T/a.levels" "$T/later.levels"
ITSS_TODAY=2027-04-02 run level E1036 --json --db "$T/later.db"
check "itss level reads the open cycle 2027年度 of the later demo" py '
import json, sys
assert json.load(open(sys.argv[1]))["cycle"] == "2027年度"
' "$T/out"
