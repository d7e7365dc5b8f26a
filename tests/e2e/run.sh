#!/bin/sh
# run.sh [NODE_TEST_OPTION...] - the end-to-end browser tests of itss serve.
#
# Makes a demo database in a temporary directory (itss demo), adds the accounts
# the tests need, starts `itss serve` on a free port of 127.0.0.1, waits for
# /healthz, runs `node --test` over tests/e2e/*.test.mjs in Debian's Chromium
# (playwright-core drives /usr/bin/chromium; nothing is downloaded), then stops
# the server and removes the directory. Options are passed to node --test
# (tests/e2e.sh gives --test-reporter=tap).
#
# The server sends its e-mails to a local SMTP sink (tests/smtp_sink.py on a
# free port of 127.0.0.1, stopped with the server) that writes each message
# into a directory the tests read (docs/notifications.md).
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
cleanup() {
    [ -n "$sink" ] && kill "$sink" 2>/dev/null && wait "$sink" 2>/dev/null
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null
        # SIGTERM finishes the requests in flight; give it a few seconds.
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
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

# The SMTP sink, gone by itself after an hour at the latest.
python=/usr/bin/python3; [ -x "$python" ] || python=python3
"$python" "$root/tests/smtp_sink.py" --dir "$tmp/sink" --port-file "$tmp/sink.port" --lifetime 3600 \
    >"$tmp/sink.log" 2>&1 &
sink=$!
i=0
while [ ! -s "$tmp/sink.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$tmp/sink.port" ] || { echo "e2e: the SMTP sink did not start:" >&2; cat "$tmp/sink.log" >&2; exit 1; }

"$itss" serve --listen 127.0.0.1:0 --db "$db" --threads 2 --smtp "127.0.0.1:$(cat "$tmp/sink.port")" \
    --mail-from itss-e2e@example.jp >"$tmp/server.log" 2>&1 &
pid=$!

# The port the server picked, from its "listening on http://HOST:PORT/" line.
port=""
i=0
while [ $i -lt 100 ]; do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/server.log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$port" ]; then
    echo "e2e: itss serve did not start:" >&2
    cat "$tmp/server.log" >&2
    exit 1
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
})();' "$url" || { cat "$tmp/server.log" >&2; exit 1; }

echo "# e2e: itss serve at $url (database $db), output in $out"
cd "$root" || exit 1
ITSS_URL=$url ITSS_BIN=$itss ITSS_DB=$db E2E_OUTPUT=$out CHROMIUM=$chromium SMTP_SINK=$tmp/sink \
    node --test --test-concurrency=1 "$@" "$here"/*.test.mjs
