#!/bin/sh
# org_views.sh - the organization's columns behind the HR views, as the server
# keeps them: a database whose columns need more memory than --org-memory (or
# $ITSS_ORG_MEMORY) allows is refused at start with a message saying how much
# they need (and the database is left as it was); within the limit the server
# starts and the portfolio API counts every assessment of the cycle from them.
# The counts themselves are checked against a full evaluation in
# tests/test_orgcols.c. Run from the repository root with ITSS_BIN set; prints
# one TAP-style line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the demo names its cycles from the date (rules_today): 2026年度 is open on it

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
check "the demo database is made" test -s "$DB"
TOKEN=$("$ITSS_BIN" token create hr --name views --db "$DB" 2>/dev/null)
CYCLE=$(sqlite3 "$DB" "SELECT id FROM cycle WHERE name = '2026年度'")
WANT=$(sqlite3 "$DB" "SELECT count(*) FROM assessment WHERE cycle_id = $CYCLE")

# serve [OPTION...]: GET the self-assessed portfolio of 2026年度 as HR through
# `serve --request`; exit status in $rc, the response in $T/resp, stderr in $T/err.
serve() {
    printf 'GET /api/v1/portfolio?cycle=%s&levels=self HTTP/1.1\r\nHost: itss.test\r\nAuthorization: Bearer %s\r\n\r\n' \
        "$CYCLE" "$TOKEN" | "$ITSS_BIN" serve --db "$DB" --quiet --request - "$@" >"$T/resp" 2>"$T/err"
    rc=$?
}

before=$(state)
serve --org-memory 10K
check "a database whose columns need more than --org-memory 10K is refused (exit 2)" test "$rc" -eq 2
check "... saying how much they need and what to start with" \
    grep -Eq "org-memory: the organization's columns for [0-9]+ assessments need [0-9]+ KB of memory, more than the 10 KB allowed: start with --org-memory [0-9]+K" "$T/err"
check "... answering nothing" test ! -s "$T/resp"
check "... and changing nothing in the database" test "$(state)" = "$before"

NEED=$(sed -n 's/.*start with --org-memory \([0-9]*K\).*/\1/p' "$T/err")
ITSS_ORG_MEMORY=10K serve
check "the limit is taken from \$ITSS_ORG_MEMORY too" test "$rc" -eq 2
serve --org-memory "$NEED"
check "exactly the memory it said it needs is enough (--org-memory $NEED)" test "$rc" -eq 0
check "... and the portfolio is answered" grep -q '^HTTP/1.1 200' "$T/resp"
check "the portfolio counts every assessment of the cycle ($WANT) from the columns" \
    grep -q "\"assessed\":$WANT," "$T/resp"
serve
check "the default limit (1G) serves the demo" grep -q '^HTTP/1.1 200' "$T/resp"

for bad in 0 12X -5 1.5G; do
    "$ITSS_BIN" serve --db "$DB" --org-memory "$bad" --request /dev/null >/dev/null 2>"$T/err"
    rc=$?
    check "--org-memory '$bad' is refused as bad usage (exit 2, the option named)" \
        sh -c "test $rc -eq 2 && grep -q -- '--org-memory' '$T/err'"
done
