# lib.sh - what the shell tests under tests/ share; each test sources it first:
#
#     . "$(dirname "$0")/lib.sh"
#
# It is not a test itself (scripts/run-tests.sh passes it by). Sourcing it:
# stops the test when ITSS_BIN does not name the binary; makes the test's own
# temporary directory $T, removed on exit together with every process the test
# started through `started` and after the commands given to `on_exit` (kept,
# and named, when KEEP is set); clears the environment the binary reads
# (ITSS_DB, ITSS_CATALOG, ITSS_PUBLIC_URL, ITSS_ORG_MEMORY), so a developer's
# own settings change nothing; names $DB ($T/demo.db), $PY (the system python3)
# and $HERE (tests/). Then come the TAP-style checks and the requests a test
# makes through `itss serve --request -` (one request on stdin, the answer on
# stdout) or to a server on a free port of 127.0.0.1.
set -u
: "${ITSS_BIN:?ITSS_BIN must name the itss binary}"
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
T=$(mktemp -d)
unset ITSS_DB ITSS_CATALOG ITSS_PUBLIC_URL ITSS_ORG_MEMORY
DB=$T/demo.db
LIB_PIDS=""
LIB_AT_EXIT=""

# lib_cleanup: ends the processes `started` named, runs what on_exit was
# given, then removes $T (unless KEEP is set). The test's EXIT trap.
lib_cleanup() {
    for p in $LIB_PIDS; do kill "$p" 2>/dev/null; done
    for p in $LIB_PIDS; do wait "$p" 2>/dev/null; done
    eval "$LIB_AT_EXIT"
    if [ -n "${KEEP:-}" ]; then echo "# kept $T"; else rm -rf "$T"; fi
}
trap lib_cleanup EXIT
# on_exit COMMAND: COMMAND (shell text) runs when the test ends, before $T goes.
on_exit() { LIB_AT_EXIT="$LIB_AT_EXIT
$1"; }
# started PID: the background process PID is ended when the test ends.
started() { LIB_PIDS="$LIB_PIDS $1"; }
# stopped PID: ends PID now, waits for it, and forgets it.
stopped() {
    kill "$1" 2>/dev/null; wait "$1" 2>/dev/null
    LIB_PIDS=$(echo " $LIB_PIDS " | sed "s/ $1 / /")
}

# ---- checks -------------------------------------------------------------------------------------
pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; }
# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }
# run ARGS...: itss ARGS; exit status in $rc, output in $T/out and $T/err.
run() { "$ITSS_BIN" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# py SCRIPT ARGS...: the python3 SCRIPT with ARGS.
py() { s=$1; shift; "$PY" -c "$s" "$@"; }
# sql SQL: SQL's rows from $DB (SQLite), as sqlite3 prints them.
sql() { sqlite3 "$DB" "$1"; }
# state [FILE]: a fingerprint of the whole database FILE (default $DB), less
# the lines matching $STATE_SKIP (a grep pattern: what a request may write,
# such as sessions), to show that a refused change wrote nothing.
state() {
    if [ -n "${STATE_SKIP-}" ]; then sqlite3 "${1:-$DB}" .dump | grep -v -- "$STATE_SKIP" | md5sum
    else sqlite3 "${1:-$DB}" .dump | md5sum; fi
}
# pid NUMBER: the person id of employee NUMBER in $DB.
pid() { sql "SELECT id FROM person WHERE employee_number = '$1'"; }
# status_of NUMBER: the status of NUMBER's assessment of 2026年度.
status_of() { sql "SELECT a.status FROM assessment a JOIN person p ON p.id = a.person_id JOIN cycle c ON c.id = a.cycle_id WHERE p.employee_number = '$1' AND c.name = '2026年度'"; }
# token LOGIN: a new API token of LOGIN on $DB, named after the test, of the
# scope $TOKEN_SCOPE when that is set (read otherwise).
token() { "$ITSS_BIN" token create "$1" --name "$(basename "$0" .sh)" ${TOKEN_SCOPE:+--scope "$TOKEN_SCOPE"} --db "$DB" 2>/dev/null; }
# wait_until TENTHS COMMAND...: polls COMMAND every 0.1 s, TENTHS times at most; 0 once it succeeds.
wait_until() {
    _wn=$1; shift; _wi=0
    until "$@"; do
        _wi=$((_wi + 1)); [ "$_wi" -ge "$_wn" ] && return 1
        sleep 0.1
    done
}
# sql_is SQL VALUE: the query gives VALUE.
sql_is() { [ "$(sql "$1")" = "$2" ]; }
# wait_for SQL VALUE: polls (at most 60 s) until the query gives VALUE; 0 when it did.
wait_for() { wait_until 600 sql_is "$1" "$2"; }

# ---- requests through `itss serve --request -` ---------------------------------------------------
# The answer of each: status in $status, headers in $T/head, body in $T/body,
# the whole answer in $T/resp, the server's stderr in $T/err. The helpers'
# own variables start with an underscore, but for those the tests had before
# (d, s, c, want, text, before, after, body, len, csrf, form).

# req FILE [OPTION...]: the raw HTTP request in FILE, served by `itss serve --db $DB OPTION...`.
req() {
    _rf=$1; shift
    "$ITSS_BIN" serve --db "$DB" --request - "$@" <"$_rf" >"$T/resp" 2>"$T/err"
    status=$(head -n 1 "$T/resp" | cut -d' ' -f2)
    sed '/^\r$/q' "$T/resp" >"$T/head"
    sed '1,/^\r$/d' "$T/resp" >"$T/body"
}
body_has() { grep -qF -- "$1" "$T/body"; }
# api METHOD PATH TOKEN [BODY [CONTENT-TYPE]]: an API request with a bearer token.
api() {
    body=${4-}
    len=$(printf %s "$body" | wc -c)
    printf '%s %s HTTP/1.1\r\nHost: itss.test\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s' \
        "$1" "$2" "$3" "${5:-application/json}" "$len" "$body" >"$T/req"
    req "$T/req"
}
# refused DESCRIPTION STATUS TEXT METHOD PATH TOKEN [BODY]: the API answers
# STATUS with TEXT in the body and the database's state is unchanged.
refused() {
    d=$1; want=$2; text=$3; shift 3
    before=$(state)
    api "$@"
    after=$(state)
    if [ "$status" = "$want" ] && body_has "$text" && [ "$before" = "$after" ]; then pass "$d"
    else fail "$d (status $status, $(head -c 300 "$T/body"))"; fi
}
# cli_refused DESCRIPTION STATUS PATTERN ARGS...: itss ARGS exits STATUS,
# says PATTERN (grep -E) on stderr, and every row of the database $ITSS_DB
# (in SQL) is as it was.
cli_refused() {
    d=$1; want=$2; pat=$3; shift 3
    snap "$T/before"
    run "$@"
    snap "$T/after"
    if [ "$rc" = "$want" ] && grep -Eq -- "$pat" "$T/err" && cmp -s "$T/before" "$T/after"; then pass "$d"
    else fail "$d (status $rc, stderr: $(head -c 300 "$T/err"))"; fi
}
# snap FILE: every row of the SQLite database $ITSS_DB, in SQL, into FILE.
snap() { py "import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
open(sys.argv[2], 'w').write('\n'.join(c.iterdump()))" "$ITSS_DB" "$1"; }
# session LOGIN PASSWORD: logs in as a browser does; prints the session cookie's value.
session() {
    printf 'GET /login HTTP/1.1\r\nHost: itss.test\r\n\r\n' | "$ITSS_BIN" serve --db "$DB" --request - >"$T/login" 2>/dev/null
    csrf=$(sed -n 's/^Set-Cookie: itss_csrf=\([^;]*\);.*/\1/p' "$T/login" | tr -d '\r')
    form="login=$1&password=$2&csrf=$csrf"
    printf 'POST /login HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_csrf=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' \
        "$csrf" "${#form}" "$form" | "$ITSS_BIN" serve --db "$DB" --request - 2>/dev/null |
        sed -n 's/^Set-Cookie: itss_session=\([^;]*\);.*/\1/p' | tr -d '\r'
}
# page PATH COOKIE [OPTION...]: GET PATH as the browser with that session cookie.
page() {
    _pp=$1; _pc=$2; shift 2
    printf 'GET %s HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_session=%s\r\n\r\n' "$_pp" "$_pc" >"$T/req"
    req "$T/req" "$@"
}
# send METHOD PATH COOKIE FORM: a form (urlencoded, FORM as it is) sent with that session cookie.
send() {
    printf '%s %s HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_session=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' \
        "$1" "$2" "$3" "${#4}" "$4" >"$T/req"
    req "$T/req"
}
# csrf_of COOKIE: the session's CSRF token, read from its /home page.
csrf_of() {
    printf 'GET /home HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_session=%s\r\n\r\n' "$1" |
        "$ITSS_BIN" serve --db "$DB" --request - 2>/dev/null | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1
}
# post PATH COOKIE FORM: FORM and the session's CSRF token posted as that browser would.
post() { send POST "$1" "$2" "$3&csrf=$(csrf_of "$2")"; }

# csrf_anon: a fresh anonymous CSRF token (the itss_csrf cookie of GET /login).
csrf_anon() {
    printf 'GET /login HTTP/1.1\r\nHost: itss.test\r\n\r\n' >"$T/r"
    req "$T/r"
    sed -n 's/^Set-Cookie: itss_csrf=\([^;]*\);.*/\1/p' "$T/head" | tr -d '\r'
}
# signin TOKEN PASSWORD AGAIN: the form of a one-time sign-in link posted as an anonymous browser.
signin() {
    c=$(csrf_anon)
    form="password=$2&again=$3&csrf=$c"
    printf 'POST /signin/%s HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_csrf=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' \
        "$1" "$c" "${#form}" "$form" >"$T/r"
    req "$T/r"
}
# token_of NUMBER FILE: the secret of NUMBER's sign-in link in the links CSV FILE.
token_of() { sed -n "s|^$1,.*/signin/\([A-Za-z0-9_-]*\),.*|\1|p" "$2" | tr -d '\r'; }

# ---- a server on 127.0.0.1 -----------------------------------------------------------------------
# free_port: a TCP port of 127.0.0.1 nobody listens on now.
free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# up URL: URL answers (any HTTP status).
up() { curl -s -o /dev/null --max-time 2 "$1"; }
# serve_on PORT [OPTION...]: `itss serve --db $DB` on 127.0.0.1:PORT in the
# background, stderr in $T/serve-PORT.log, ended with the test; its pid in
# $SERVER. 0 once it answers /healthz (10 s at most).
serve_on() {
    _sp=$1; shift
    "$ITSS_BIN" serve --db "$DB" --listen "127.0.0.1:$_sp" --quiet "$@" 2>>"$T/serve-$_sp.log" &
    SERVER=$!; started "$SERVER"
    wait_until 100 up "http://127.0.0.1:$_sp/healthz"
}
# start_sink [--port PORT] [--reject TEXT]: the SMTP sink (tests/smtp_sink.py)
# on 127.0.0.1 (PORT, else a free one), keeping each mail in $T/sink; its pid
# in $SINK, its port in $SINK_PORT; ended with the test (or by stop_sink).
start_sink() {
    rm -f "$T/sink.port"
    "$PY" "$HERE/smtp_sink.py" --dir "$T/sink" --port-file "$T/sink.port" --lifetime 150 "$@" >>"$T/sink.log" 2>&1 &
    SINK=$!; started "$SINK"
    wait_until 100 test -s "$T/sink.port"
    SINK_PORT=$(cat "$T/sink.port")
}
stop_sink() { stopped "$SINK"; }
# mail_to ADDR: the newest mail the sink took for ADDR, decoded (headers, then the
# text) into $T/mail; 0 when found. mail_has TEXT: that mail holds TEXT.
mail_to() {
    "$PY" - "$T/sink" "$1" >"$T/mail" <<'EOF'
import email, email.policy, glob, json, sys
found = None
for done in sorted(glob.glob(sys.argv[1] + "/*.done")):
    d = json.load(open(done[:-5] + ".json", encoding="utf-8"))
    if sys.argv[2] in d["to"]:
        found = d
if not found:
    sys.exit(1)
m = email.message_from_string(found["data"], policy=email.policy.default)
print("ENVELOPE-TO:", ",".join(found["to"]))
print("TO:", m["to"])
print("SUBJECT:", m["subject"])
print("CONTENT-TYPE:", m["content-type"])
print("DATE:", m["date"])
print("MESSAGE-ID:", m["message-id"])
print(m.get_content().replace("\r\n", "\n"))
EOF
}
mail_has() { grep -qF -- "$1" "$T/mail"; }
