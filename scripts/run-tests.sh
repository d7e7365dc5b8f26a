#!/bin/sh
# run-tests.sh ITSS_BINARY TEST... - runs the cmocka test binaries given, then every
# tests/*.sh script (TAP-style "ok" / "not ok" lines; "ok - NAME # SKIP why" for a
# test that could not run here) against ITSS_BINARY, names every skipped test with
# the apt-get line of the packages that are missing (scripts/deps.sh), and ends
# with one summary line "N passed, N failed, N skipped". Exit status 1 when
# anything failed; a skipped test is not a failure.
set -u
itss=$1; shift
export ITSS_BIN="$(cd "$(dirname "$itss")" && pwd)/$(basename "$itss")"
passed=0; failed=0; skipped=0; broken=""
log=$(mktemp); skips=$(mktemp); trap 'rm -f "$log" "$skips"' EXIT

for t in "$@"; do
    "$t" >"$log" 2>&1; rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
    sed -n "s|^\[  SKIPPED \] \([A-Za-z_0-9]*\)\$|  $(basename "$t"): \1|p" "$log" | sort -u >>"$skips"
    if [ $rc -ne 0 ] && [ -z "$f" ]; then failed=$((failed + 1)); broken="$broken $t"; fi
done

for s in tests/*.sh; do
    [ -f "$s" ] || continue
    case $s in tests/lib.sh|tests/pg_cluster.sh) continue ;; esac   # sourced by the tests, not tests
    echo "[ SCRIPT ] $s"
    sh "$s" >"$log" 2>&1; rc=$?
    cat "$log"
    k=$(grep -c '^ok .*# SKIP' "$log")
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
    passed=$((passed + p - k)); failed=$((failed + f)); skipped=$((skipped + k))
    sed -n "s|^ok - \(.*\) # SKIP \(.*\)|  $s: \1 (\2)|p" "$log" >>"$skips"
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); broken="$broken $s"; fi
done

[ -n "$broken" ] && echo "crashed or exited non-zero without a failed test:$broken"
if [ "$skipped" -gt 0 ]; then
    echo "skipped, not run on this machine:"
    cat "$skips"
    absent=$(sh scripts/deps.sh missing test)
    [ -n "$absent" ] && echo "install what they need and run make check again: sudo apt-get install -y$absent"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
