#!/bin/sh
# cli_assess_interactive.sh - the questionnaire of `itss assess PERSON` as an
# engineer meets it: the standard's own wording, answers saved one by one,
# evidence linked by record number, back / skip / help, resuming at the first
# unanswered item, knowledge ratings 0-4, nothing answered lost on Ctrl-C
# (exit 130) or on SIGKILL, refusals. Answers are piped in one per line; the
# stored answers are read back with `itss export`, `itss history` and `itss assess --to -`. When tmux
# is installed, one session runs on a real terminal. Expected wording is read
# from catalog/customer-service.json. Run from the repository root with
# ITSS_BIN set; prints one TAP-style "ok - ..." / "not ok - ..." line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)
CAT=catalog/customer-service.json
SESSION=itss-test-$$
on_exit 'tmux kill-session -t "$SESSION" 2>/dev/null'
DB=$T/t.db
ITSS_DB=$DB
COLUMNS=9999      # no wrapping unless a check asks for a width
export ITSS_DB COLUMNS
CYCLE=2026年度

# assess PERSON ARGS... < answers: the questionnaire; stdout in $T/out, stderr in
# $T/err, status in $rc.
assess() { p=$1; shift; "$ITSS_BIN" assess "$p" --cycle "$CYCLE" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# rows PERSON: PERSON's stored self answers of $CYCLE as `itss export
# assessments` gives them (CSV: number,cycle,version,element,rater,value,evidence).
rows() {
    "$ITSS_BIN" export assessments --cycle "$CYCLE" --db "$DB" 2>/dev/null | tr -d '\r' \
        | awk -F, -v p="$1" '$1 == p && $5 == "self"'
}
# answer PERSON ELEMENT: the stored self answer's value, or nothing.
answer() { rows "$1" | awk -F, -v el="$2" '$4 == el { print $6 }'; }
# evidence PERSON ELEMENT: the linked experience record ids, comma-separated.
evidence() { rows "$1" | awk -F, -v el="$2" '$4 == el { gsub(";", ",", $7); print $7 }'; }
# answered PERSON: how many self answers are stored.
answered() { rows "$1" | wc -l | tr -d ' '; }
# changes PERSON FIELD [ELEMENT]: how many changes of FIELD (value, evidence)
# the history of PERSON's assessment holds (of ELEMENT only when given).
changes() {
    "$ITSS_BIN" history "$1" --cycle "$CYCLE" --db "$DB" --json 2>/dev/null | python3 -c '
import json, sys
h = json.load(sys.stdin)
print(sum(1 for x in h if x["field"] == sys.argv[1] and (len(sys.argv) < 3 or x["element_id"] == sys.argv[2])))' "$2" ${3:+"$3"}
}
# has_answers PERSON N: PERSON has N self answers stored (for wait_until).
has_answers() { test "$(answered "$1")" = "$2"; }
# text ID: the catalog's text of an element (a check item's text, 責任性's text).
text() {
    python3 -c '
import json, sys
def walk(v):
    if isinstance(v, dict):
        if v.get("id") == sys.argv[2] and "text" in v:
            print(v["text"]); sys.exit(0)
        for x in v.values(): walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
walk(json.load(open(sys.argv[1], encoding="utf-8")))' "$CAT" "$1"
}

# --- a small organization: one engineer with one record, one without, a cycle
"$ITSS_BIN" init >/dev/null 2>"$T/setup.err" &&
"$ITSS_BIN" cycle add "$CYCLE" --opens 2026-04-01 --closes 2027-03-31 >/dev/null 2>>"$T/setup.err" &&
"$ITSS_BIN" person add T001 "試験 太郎" >/dev/null 2>>"$T/setup.err" &&
"$ITSS_BIN" person add T002 "試験 花子" >/dev/null 2>>"$T/setup.err" &&
"$ITSS_BIN" person add T003 "試験 次郎" >/dev/null 2>>"$T/setup.err" &&
"$ITSS_BIN" experience add T001 --project 試験プロジェクト --from 2024-04 --role チームメンバ --spec HW --level 1 \
    --complexity 1,2 >/dev/null 2>>"$T/setup.err"
check "setup: init, cycle, people and an experience record" test ! -s "$T/setup.err"
REC=$(sql "SELECT id FROM experience")

# --- first session: y, y with record 1, n, y linking nothing; then the input ends
printf 'y\ny 1\nn\ny -\n' >"$T/in"; assess T001 --spec HW <"$T/in"
check "a session ended by the end of input exits 0" test "$rc" -eq 0
check "it says how many answers were saved and how to resume" \
    grep -q "saved 4 answers; run the same command to resume" "$T/out"
check "responsibility shown in the standard's words with the － lead" \
    grep -qF -- "－$(text CS.HWSW.L1.responsibility)" "$T/out"
check "a checklist item shown with □ and its identifier" \
    sh -c 'grep -qF -- "□$1" "$2" && grep -q "CS.HWSW.L1.complexity.1 " "$2"' - "$(text CS.HWSW.L1.complexity.1)" "$T/out"
check "the person's experience records are listed by number" grep -q "1) 2024-04〜 試験プロジェクト" "$T/out"
check "y saved as met" test "$(answer T001 CS.HWSW.L1.responsibility)" = 1
check "y 1 saved as met with record 1 as evidence" \
    sh -c 'test "$1" = 1 && test "$2" = "$3"' - "$(answer T001 CS.HWSW.L1.complexity.1)" \
    "$(evidence T001 CS.HWSW.L1.complexity.1)" "$REC"
check "n saved as not met" test "$(answer T001 CS.HWSW.L1.complexity.2)" = 0
check "y - saved as met with no evidence" \
    sh -c 'test "$1" = 1 && test -z "$2"' - "$(answer T001 CS.HWSW.L1.complexity.3)" \
    "$(evidence T001 CS.HWSW.L1.complexity.3)"
check "each answer is its own change in the history" \
    test "$(changes T001 value)" = 4

# --- resume: starts at the first unanswered item, shows progress
printf 'q\n' >"$T/in"; assess T001 --spec HW <"$T/in"
check "q exits 0" test "$rc" -eq 0
check "a second run resumes at the first unanswered item" grep -q "Resuming at CS.HWSW.L1.task.1" "$T/out"
check "and shows the progress" grep -q "4 of [0-9]* answered" "$T/out"
check "q saves nothing more" grep -q "saved 0 answers" "$T/out"

# --- back twice to a 'not met' item, met now with the proposed evidence (Enter)
printf 'b\nb\ny\n\n' >"$T/in"; assess T001 --spec HW <"$T/in"
check "back, then y and Enter: changed to met" test "$(answer T001 CS.HWSW.L1.complexity.2)" = 1
check "Enter links the records that list the item" test "$(evidence T001 CS.HWSW.L1.complexity.2)" = "$REC"
check "the history keeps both answers" \
    test "$(changes T001 value CS.HWSW.L1.complexity.2)" = 2

# --- skip leaves an item unanswered, and the next run starts there
printf 's\ny\n' >"$T/in"; assess T001 --spec HW <"$T/in"
check "s leaves the item unanswered" test -z "$(answer T001 CS.HWSW.L1.task.1)"
check "the next item is answered" test "$(answer T001 CS.HWSW.L1.task.2)" = 1
printf '?\nmaybe\nq\n' >"$T/in"; assess T001 --spec HW <"$T/in"
check "after a skip, the run resumes at the skipped item" grep -q "Resuming at CS.HWSW.L1.task.1" "$T/out"
check "? shows the keys" grep -q "skip for now" "$T/out"
check "an answer that is not one is refused with a message" grep -q "'maybe' is not an answer here" "$T/out"
check "help and a bad answer save nothing" test "$(answered T001)" = 5

# --- Ctrl-C: answers given are kept, a clean message, exit 130
mkfifo "$T/fifo"
"$ITSS_BIN" assess T001 --spec HW --cycle "$CYCLE" <"$T/fifo" >"$T/out" 2>"$T/err" &
pid=$!
exec 3>"$T/fifo"
printf 'y\n' >&3
check "the answer typed before Ctrl-C is saved at once" wait_until 100 has_answers T001 6
kill -INT "$pid"
wait "$pid"
rc=$?
exec 3>&-
check "Ctrl-C exits 130" test "$rc" -eq 130
check "Ctrl-C prints how many answers were saved and how to resume" \
    grep -q "saved 1 answers; run the same command to resume" "$T/err"
check "the answer is still there after Ctrl-C" test "$(answer T001 CS.HWSW.L1.task.1)" = 1

# --- SIGKILL in the middle: every answer given is there, the database is sound
rm -f "$T/fifo" && mkfifo "$T/fifo"
"$ITSS_BIN" assess T001 --spec HW --cycle "$CYCLE" <"$T/fifo" >"$T/out" 2>"$T/err" &
pid=$!
exec 3>"$T/fifo"
printf 'y\nn\n' >&3
check "answers piped before SIGKILL are saved" wait_until 100 has_answers T001 8
kill -KILL "$pid"
wait "$pid" 2>/dev/null       # (the shell's "Killed" notice is not a test line)
rc=$?
exec 3>&-
check "SIGKILL ends the process" test "$rc" -eq 137
check "the database passes the integrity check after SIGKILL" test "$(sql 'PRAGMA integrity_check')" = "ok"
printf 'q\n' >"$T/in"; assess T001 --spec HW <"$T/in"
check "after SIGKILL the run resumes after the last answer given" grep -q "8 of [0-9]* answered" "$T/out"
"$ITSS_BIN" assess T001 --to - >"$T/file.json" 2>"$T/err"
check "itss assess --to shows the questionnaire's answers" python3 -c '
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))["answers"]}
assert a["CS.HWSW.L1.responsibility"]["met"] is True
assert a["CS.HWSW.L1.complexity.1"]["evidence"] == [sys.argv[2]]
assert a["CS.HWSW.L1.task.1"]["met"] is True and a["CS.HWSW.L1.task.2"]["met"] is True
assert len(a) == 8, len(a)
' "$T/file.json" "$REC"

# --- every yes/no question of FM, then the knowledge ratings 0-4
python3 -c '
import json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
fm = [s for s in c["specializations"] if s["code"] == "FM"][0]
yesno = sum(1 + sum(len(l[k]["items"]) for k in ("complexity", "size", "task")) for l in fm["levels"])
yesno += sum(len(a["proficiency"]) for a in fm["skill_areas"])
order = [a["id"] for a in c["skill_areas"]]
areas = sorted(fm["skill_areas"], key=lambda a: order.index(a["area"]))
items = [i["id"] for a in areas for k in a["knowledge"] for i in k["items"]]
print(yesno, items[0], items[1])' "$CAT" >"$T/fm"
read -r FM_YESNO FM_K1 FM_K2 <"$T/fm"
{ i=0; while [ "$i" -lt "$FM_YESNO" ]; do echo n; i=$((i + 1)); done; printf '3\n7\ny\n4\n'; } >"$T/in"
assess T002 --spec FM <"$T/in"
check "FM: every achievement and proficiency question is asked once (all answered no)" \
    test "$(rows T002 | awk -F, '$6 == 0 && $4 !~ /\.K/' | wc -l | tr -d ' ')" = "$FM_YESNO"
check "the first knowledge item is rated 3" test "$(answer T002 "$FM_K1")" = 3
check "a rating of 7 or a y is refused; the next item is rated 4" \
    sh -c 'test "$1" = 4 && grep -q "'"'"'7'"'"' is not an answer here" "$2"' - "$(answer T002 "$FM_K2")" "$T/out"
check "the rating scale is shown in the standard's words" grep -q "2 支援を受けて実施できる" "$T/out"
check "knowledge items are shown with their category" grep -q "^－.*CS.FM.UEA.K01" "$T/out"

# --- refusals
assess T003 --spec HW </dev/null
check "no answers at all on a non-terminal stdin: usage error (exit 2)" test "$rc" -eq 2
check "naming --from as the way to import" grep -q -- "--from" "$T/err"
sql "UPDATE assessment SET status = 'approved' WHERE person_id = (SELECT id FROM person WHERE employee_number = 'T002')"
before=$(answered T002)
printf '4\n' >"$T/in"; assess T002 --spec FM <"$T/in"
check "an approved assessment is refused (exit 3)" test "$rc" -eq 3
check "saying it is approved" grep -q "approved" "$T/err"
check "and nothing is changed" test "$(answered T002)" = "$before"

# --- a real terminal (tmux), when there is one to use
if command -v tmux >/dev/null 2>&1 && tmux -f /dev/null new-session -d -s "$SESSION" -x 80 -y 40 \
        "env ITSS_DB='$DB' COLUMNS= $ITSS_BIN assess T003 --spec HW --cycle $CYCLE; echo \$? >'$T/tmux.rc'; sleep 5" \
        2>/dev/null; then
    screen() { tmux capture-pane -p -t "$SESSION" >"$T/screen"; grep -q "$1" "$T/screen"; }
    check "terminal: the first question and its prompt appear" wait_until 100 screen "met? \[y/n s b q ?\]"
    check "terminal: the wording is wrapped to the 80-column window" \
        sh -c '! grep -qF -- "－$1" "$2" && grep -q "^－" "$2"' - "$(text CS.HWSW.L1.responsibility)" "$T/screen"
    tmux send-keys -t "$SESSION" y Enter
    check "terminal: a typed answer is saved" wait_until 100 has_answers T003 1
    tmux send-keys -t "$SESSION" C-c
    check "terminal: Ctrl-C exits 130" wait_until 100 sh -c 'test "$(cat "$1" 2>/dev/null)" = 130' - "$T/tmux.rc"
    check "terminal: Ctrl-C says what was saved" wait_until 100 screen "saved 1 answers; run the same command to resume"
else
    pass "# SKIP tmux is not installed: the real-terminal checks did not run"
fi
