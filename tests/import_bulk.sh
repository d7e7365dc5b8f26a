#!/bin/sh
# import_bulk.sh - `itss import assessments` on a whole organization's answers
# (the bulk path, src/import_assessments.c + src/store_bulk.c): the answers of a
# 40-person demo, both raters, with evidence, exported and imported into a new
# cycle come back the same; the levels are kept as results for every assessment
# imported; a bad row at the end of the file is named FILE:LINE:COLUMN and
# nothing is written; an import killed half way (a test hook makes the process
# SIGKILL itself on reading a given row, after it has written thousands of
# answers) leaves the database as it was and sound; an assessment whose rows
# come back later in the file merges, and a second answer there is refused;
# on PostgreSQL (when installed) the same import writes the same answers.
# Run from the repository root with ITSS_BIN set; TAP-style lines.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY
on_exit pg_stop
. tests/pg_cluster.sh


DB=$T/org.db
"$ITSS_BIN" demo --people 40 --cycles 1 --db "$DB" >/dev/null 2>&1
"$ITSS_BIN" cycle add 2027年度 --opens 2027-04-01 --closes 2028-03-31 --db "$DB" >/dev/null
# every answer of 2026年度 (self and manager), as the answers of 2027年度
"$ITSS_BIN" export assessments --cycle 2026年度 --db "$DB" | tr -d '\r' | sed 's/^\xef\xbb\xbf//' \
    | awk -F, -v OFS=, 'NR == 1 { print; next } { $2 = "2027年度"; print }' >"$T/next.csv"
rows=$(($(wc -l <"$T/next.csv") - 1))
check "the file holds the demo's answers (self and manager, with evidence): $rows rows" \
    test "$rows" -gt 5000 -a -n "$(grep -m1 ',manager,' "$T/next.csv")" -a -n "$(grep -m1 ',self,[01],[0-9]' "$T/next.csv")"

# ---- killed half way ----
before=$(state "$DB")
ITSS_TEST_KILL_IMPORT_AT_ROW=$((rows * 2 / 3)) "$ITSS_BIN" import assessments "$T/next.csv" --db "$DB" \
    >"$T/out" 2>"$T/err"
rc=$?
check "the test hook kills the import on row $((rows * 2 / 3)) (status $rc)" test $rc -eq 137
check "after the kill the database is as it was (every table)" test "$(state "$DB")" = "$before"
check "after the kill PRAGMA integrity_check is ok" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok

# ---- a bad row at the end ----
cp "$T/next.csv" "$T/bad.csv"
last=$(tail -n 1 "$T/next.csv" | cut -d, -f1)
echo "$last,2027年度,2011.1,CS.HW.UEA.K99.01,self,3," >>"$T/bad.csv"
run import assessments "$T/bad.csv" --db "$DB"
where="bad.csv:$((rows + 2)):$((${#last} + 1 + 7 + 7 + 1))"
check "a bad row at the end is named $where, exit 3" \
    test $rc -eq 3 -a -n "$(grep -F "$where" "$T/err" | grep -F "unknown element id 'CS.HW.UEA.K99.01'")"
check "... and nothing of the file's other $rows rows is written" test "$(state "$DB")" = "$before"

# ---- the whole file ----
run import assessments "$T/next.csv" --db "$DB"
check "the file imports (exit 0)" test $rc -eq 0
"$ITSS_BIN" export assessments --cycle 2027年度 --db "$DB" | tr -d '\r' | sed 's/^\xef\xbb\xbf//' >"$T/back.csv"
check "exported again, the cycle's answers are the file's, row for row" cmp -s "$T/next.csv" "$T/back.csv"
cid=$(sqlite3 "$DB" "SELECT id FROM cycle WHERE name = '2027年度'")
n=$(sqlite3 "$DB" "SELECT count(*) FROM assessment WHERE cycle_id = $cid")
kept=$(sqlite3 "$DB" "SELECT count(*) FROM result r JOIN assessment a ON a.id = r.assessment_id WHERE a.cycle_id = $cid")
check "levels are kept for every imported assessment ($n assessments, $kept results, 3 specializations)" \
    test "$n" -gt 30 -a "$kept" -eq $((n * 3))
"$ITSS_BIN" export levels --levels self --cycle 2027年度 --db "$DB" | cut -d, -f1,8- >"$T/kept.csv"
sqlite3 "$DB" "DELETE FROM result WHERE assessment_id IN (SELECT id FROM assessment WHERE cycle_id = $cid)"
"$ITSS_BIN" export levels --levels self --cycle 2027年度 --db "$DB" | cut -d, -f1,8- >"$T/evaluated.csv"
check "the kept levels are the ones a full evaluation gives" cmp -s "$T/kept.csv" "$T/evaluated.csv"

# ---- an assessment's rows coming back later in the file ----
a=$(sed -n 2p "$T/next.csv" | cut -d, -f1)
{
    head -n 1 "$T/next.csv"
    grep "^$a,.*,self," "$T/next.csv" | head -n 3 | sed 's/,2027年度,/,2028年度,/'
    grep -v "^$a," "$T/next.csv" | sed -n '2,4p' | sed 's/,2027年度,/,2028年度,/'
    grep "^$a,.*,self," "$T/next.csv" | sed -n '4,6p' | sed 's/,2027年度,/,2028年度,/'
} >"$T/again.csv"
"$ITSS_BIN" cycle add 2028年度 --opens 2028-04-01 --closes 2029-03-31 --db "$DB" >/dev/null
cp "$T/again.csv" "$T/dup.csv"
grep "^$a,.*,self," "$T/next.csv" | sed -n '2p' | sed 's/,2027年度,/,2028年度,/' >>"$T/dup.csv"
run import assessments "$T/dup.csv" --db "$DB"
check "a second answer in rows that come back later is refused (the earlier row is found)" \
    test $rc -eq 3 -a -n "$(grep -F "dup.csv:11:" "$T/err" | grep -F 'an earlier row of the file has one')"
run import assessments "$T/again.csv" --db "$DB"
n=$("$ITSS_BIN" export assessments --cycle 2028年度 --db "$DB" | tail -n +2 | grep -c "^$a,")
check "rows of one assessment in two runs of the file merge (6 answers of $a)" test $rc -eq 0 -a "$n" -eq 6

# ---- the same import on PostgreSQL ----
if pg_start "$T"; then
    PG=$(pg_createdb bulk)
    "$ITSS_BIN" demo --people 40 --cycles 1 --db "$T/pg-src.db" >/dev/null 2>&1
    "$ITSS_BIN" cycle add 2027年度 --opens 2027-04-01 --closes 2028-03-31 --db "$T/pg-src.db" >/dev/null
    "$ITSS_BIN" copy --from "$T/pg-src.db" --to "$PG" >/dev/null 2>&1
    run import assessments "$T/next.csv" --db "$PG"
    "$ITSS_BIN" export assessments --cycle 2027年度 --db "$PG" | tr -d '\r' | sed 's/^\xef\xbb\xbf//' >"$T/pg-back.csv"
    check "on PostgreSQL the file imports and exports back row for row (status $rc)" \
        test $rc -eq 0 -a -s "$T/pg-back.csv" -a "$(cmp -s "$T/next.csv" "$T/pg-back.csv" && echo same)" = same
    "$ITSS_BIN" export levels --levels self --cycle 2027年度 --db "$PG" | cut -d, -f1,8- >"$T/pg-kept.csv"
    check "on PostgreSQL the kept levels are the ones SQLite keeps" cmp -s "$T/kept.csv" "$T/pg-kept.csv"
else
    pass "the import on PostgreSQL # SKIP $PG_SKIP"
fi
