#!/bin/sh
# run-tests.sh ITSS_BINARY TEST... - runs the cmocka test binaries given, then every
# tests/*.sh script (TAP-style "ok" / "not ok" lines) against ITSS_BINARY, and ends
# with one summary line "N passed, N failed". Exit status 1 when anything failed.
set -u
itss=$1; shift
export ITSS_BIN="$(cd "$(dirname "$itss")" && pwd)/$(basename "$itss")"
passed=0; failed=0; broken=""
log=$(mktemp); trap 'rm -f "$log"' EXIT

for t in "$@"; do
    "$t" >"$log" 2>&1; rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [ $rc -ne 0 ] && [ -z "$f" ]; then failed=$((failed + 1)); broken="$broken $t"; fi
done

for s in tests/*.sh; do
    [ -f "$s" ] || continue
    echo "[ SCRIPT ] $s"
    sh "$s" >"$log" 2>&1; rc=$?
    cat "$log"
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
    passed=$((passed + p)); failed=$((failed + f))
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); broken="$broken $s"; fi
done

[ -n "$broken" ] && echo "crashed or exited non-zero without a failed test:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
