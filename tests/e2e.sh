#!/bin/sh
# e2e.sh - the end-to-end browser tests (tests/e2e/run.sh) as make check counts
# them: one "ok - e2e: NAME" or "not ok - e2e: NAME" line per node test, the
# details of a failure as indented lines under it, and the server's log when
# anything failed. Exits non-zero when a test failed or the run broke.
set -u
# ITSS_E2E=skip leaves the browser tests out (a quick local run); it says so.
if [ "${ITSS_E2E:-}" = skip ]; then echo "# e2e: skipped: ITSS_E2E=skip"; exit 0; fi
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp /tmp/itss-e2e-log-XXXXXX) || exit 1
trap 'rm -f "$log"' EXIT

sh "$here/e2e/run.sh" --test-reporter=tap >"$log" 2>&1
rc=$?

# Without Chromium every test is named as skipped (TAP "# SKIP"), so that make
# check counts and lists them.
if grep -q '^skipped: chromium not installed' "$log"; then
    awk '
    match($0, /^ *test\([\047`]/) {
        q = substr($0, RLENGTH, 1); rest = substr($0, RLENGTH + 1); name = ""
        for (i = 1; i <= length(rest); i++) {
            c = substr(rest, i, 1)
            if (c == "\\") { i++; name = name substr(rest, i, 1); continue }
            if (c == q) break
            name = name c
        }
        print "ok - e2e: " name " # SKIP chromium not installed (apt-get install -y chromium)"
    }' "$here"/e2e/*.test.mjs
    exit 0
fi

# node's TAP: top-level tests are "ok N - NAME" / "not ok N - NAME" at the
# start of a line (subtests are indented), each followed by an indented YAML
# block; what the tests print comes as "# " lines.
awk '
/^ok [0-9]+ - / { sub(/^ok [0-9]+ - /, ""); print "ok - e2e: " $0; yaml = 0; next }
/^not ok [0-9]+ - / { sub(/^not ok [0-9]+ - /, ""); print "not ok - e2e: " $0; failed++; yaml = 1; next }
/^  ---$/ { next }
/^  \.\.\.$/ { yaml = 0; next }
yaml { print "#   " $0; next }
/^# Subtest: / || /^TAP version/ || /^1\.\.[0-9]+$/ || /^ / { next }
/^#/ { print; next }
{ print "# " $0 }
' "$log"

nok=$(grep -c '^ok [0-9]* - ' "$log")
nfail=$(grep -c '^not ok [0-9]* - ' "$log")
if [ "$rc" -ne 0 ] || [ "$nfail" -gt 0 ]; then
    if [ "$nfail" -eq 0 ]; then
        echo "not ok - e2e: the run broke before its tests finished (exit $rc)"
    fi
    out=${E2E_OUTPUT:-$here/output/e2e}
    if [ -f "$out/server.log" ]; then
        echo "# e2e: the last lines of the server's log ($out/server.log):"
        tail -n 30 "$out/server.log" | sed 's/^/#   /'
    fi
    exit 1
fi
if [ "$nok" -eq 0 ]; then
    echo "not ok - e2e: no test ran"
    exit 1
fi
exit 0
