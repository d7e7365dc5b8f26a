#!/bin/sh
# run.sh [NODE_TEST_OPTION...] - the end-to-end browser tests of itss serve.
#
# Makes a demo database in a temporary directory (itss demo), adds the accounts
# the tests need, then for each tests/e2e/*.test.mjs: copies the database,
# starts `itss serve` over the copy on a free port of 127.0.0.1, waits for
# /healthz, runs `node --test` over the file in Debian's Chromium
# (playwright-core drives /usr/bin/chromium; nothing is downloaded) and stops
# the server; at the end it removes the directory. Options are passed to node
# --test (tests/e2e.sh gives --test-reporter=tap).
#
# The server sends its e-mails to a local SMTP sink (tests/smtp_sink.py on a
# free port of 127.0.0.1, stopped with the server) that writes each message
# into a directory the tests read (docs/notifications.md).
#
# Each spec file runs on its own: a copy of the database made once, a server
# and a sink of its own, started before it and stopped after it. So a spec
# sees the demo as run.sh made it, whatever the others did before, and the
# specs may be run alone or in any order (tests/e2e/run.sh --test-name-pattern
# ... passes through; only some files: E2E_SPECS="mail team").
#
# Environment: ITSS_BIN, the itss binary (default: ./itss of the repository);
# E2E_OUTPUT, where screenshots and the server's log go (default:
# tests/output/e2e). The tests get ITSS_URL, ITSS_BIN, ITSS_DB, E2E_OUTPUT and
# SMTP_SINK (the sink's directory).
#
# Prints "skipped: chromium not installed" and exits 0 only when
# /usr/bin/chromium is absent; anything else that is missing is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
chromium=/usr/bin/chromium

if [ ! -x "$chromium" ]; then
    echo "skipped: chromium not installed (apt-get install -y chromium)"
    exit 0
fi
command -v node >/dev/null 2>&1 || { echo "e2e: node is not installed (apt-get install -y nodejs npm)" >&2; exit 1; }

itss=${ITSS_BIN:-$root/itss}
[ -x "$itss" ] || { echo "e2e: no itss binary at $itss (run make first)" >&2; exit 1; }

# playwright-core and axe-core as package-lock.json pins them; npm ci when one is missing.
if [ ! -f "$here/node_modules/playwright-core/package.json" ] || [ ! -f "$here/node_modules/axe-core/axe.min.js" ]; then
    echo "# e2e: npm ci in tests/e2e"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2 || {
        echo "e2e: npm ci failed in tests/e2e" >&2; exit 1; }
fi

out=${E2E_OUTPUT:-$root/tests/output/e2e}
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
rm -f "$out"/*.png "$out"/server.log

tmp=$(mktemp -d /tmp/itss-e2e-XXXXXX) || exit 1
db=$tmp/e2e.db
pid=""
sink=""
spec_dir=""
# stop_spec DIR: stops the spec's server (SIGTERM finishes the requests in
# flight; a few seconds at most) and its sink, and keeps the server's log.
stop_spec() {
    [ -n "$sink" ] && kill "$sink" 2>/dev/null && wait "$sink" 2>/dev/null
    sink=""
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    pid=""
    [ -n "$1" ] && { echo "== $(basename "$1")"; cat "$1/server.log"; } >>"$tmp/server.log" 2>/dev/null
    spec_dir=""
}

cleanup() {
    stop_spec "$spec_dir"
    [ -f "$tmp/server.log" ] && cp "$tmp/server.log" "$out/server.log"
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$itss" demo --db "$db" >"$tmp/demo.log" 2>&1 || {
    echo "e2e: itss demo failed:" >&2; cat "$tmp/demo.log" >&2; exit 1; }

# The demo engineer's diagnosis of the open cycle is already approved, so the
# tests diagnose as another engineer of the manager's section (金融システム保守課)
# whose diagnosis of the open cycle (this fiscal year's) is still a draft:
# E1036 清水 康弘.
ITSS_PASSWORD=e2e-engineer-password "$itss" user add e2e-engineer --role engineer --person E1036 \
    --db "$db" >"$tmp/user.log" 2>&1 || {
    echo "e2e: itss user add failed:" >&2; cat "$tmp/user.log" >&2; exit 1; }

# A second engineer of 金融システム保守課 with a submitted diagnosis, for the
# e-mail test (mail.test.mjs): E1041.
ITSS_PASSWORD=e2e-member-password "$itss" user add e2e-member --role engineer --person E1041 \
    --db "$db" >"$tmp/user.log" 2>&1 || {
    echo "e2e: itss user add failed:" >&2; cat "$tmp/user.log" >&2; exit 1; }

# Each spec (*.test.mjs) runs against its own copy of that database, its own
# server and its own SMTP sink, so that no spec depends on what another wrote
# or on the order the files run in.
python=/usr/bin/python3; [ -x "$python" ] || python=python3

# start_spec DIR: the sink and the server of one spec over DIR/e2e.db; sets
# sink, pid and url. 1 (after saying why) when either did not start.
start_spec() {
    # The SMTP sink, gone by itself after an hour at the latest.
    "$python" "$root/tests/smtp_sink.py" --dir "$1/sink" --port-file "$1/sink.port" --lifetime 3600 \
        >"$1/sink.log" 2>&1 &
    sink=$!
    i=0
    while [ ! -s "$1/sink.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    [ -s "$1/sink.port" ] || { echo "e2e: the SMTP sink did not start:" >&2; cat "$1/sink.log" >&2; return 1; }

    "$itss" serve --listen 127.0.0.1:0 --db "$1/e2e.db" --threads 2 --smtp "127.0.0.1:$(cat "$1/sink.port")" \
        --mail-from itss-e2e@example.jp >"$1/server.log" 2>&1 &
    pid=$!
    # The port the server picked, from its "listening on http://HOST:PORT/" line.
    port=""
    i=0
    while [ $i -lt 100 ]; do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$1/server.log" | head -n 1)
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    if [ -z "$port" ]; then
        echo "e2e: itss serve did not start:" >&2
        cat "$1/server.log" >&2
        return 1
    fi
    url=http://127.0.0.1:$port
    node -e '
const url = process.argv[1] + "/healthz";
const until = Date.now() + 10000;
(async () => {
  for (;;) {
    try { const r = await fetch(url); if (r.ok) return; } catch (e) { /* not yet */ }
    if (Date.now() > until) { console.error("e2e: " + url + " did not answer 200"); process.exit(1); }
    await new Promise((ok) => setTimeout(ok, 100));
  }
})();' "$url" || { cat "$1/server.log" >&2; return 1; }
}

cd "$root" || exit 1
status=0
for spec in "$here"/*.test.mjs; do
    name=$(basename "$spec" .test.mjs)
    if [ -n "${E2E_SPECS:-}" ]; then
        case " $E2E_SPECS " in *" $name "*) ;; *) continue ;; esac
    fi
    dir=$tmp/$name
    mkdir -p "$dir" && cp "$db" "$dir/e2e.db" || exit 1
    [ ! -f "$db-wal" ] || cp "$db-wal" "$dir/e2e.db-wal" || exit 1
    spec_dir=$dir
    start_spec "$dir" || exit 1
    echo "# e2e: $name: itss serve at $url (database $dir/e2e.db), output in $out"
    ITSS_URL=$url ITSS_BIN=$itss ITSS_DB=$dir/e2e.db E2E_OUTPUT=$out CHROMIUM=$chromium SMTP_SINK=$dir/sink \
        node --test --test-concurrency=1 "$@" "$spec" || status=1
    stop_spec "$dir"
done
exit $status
