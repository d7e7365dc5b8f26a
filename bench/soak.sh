#!/bin/sh
# soak.sh - `itss serve` under mixed reads and writes for a long while (5
# minutes by default), on loopback only: wrk reads pages and API answers as the
# demo engineer while a write client adds people through the API as the demo
# HR user (bearer token), one after another, keeping the id of every person the
# server acknowledged (201). Afterwards every acknowledged person must be in the
# database (read with sqlite3 once the server has stopped).
#
# Prints requests/s and p99 of the reads, the writes acknowledged and their
# rate, 5xx answers (must be 0, reads and writes), acknowledged writes lost
# (must be 0), and the server's resident memory at the start and the end (flat).
# Exit status 1 when a 5xx came or a write was lost.
#
# Needs wrk, curl, python3 and sqlite3. Environment: ITSS_BIN (default ./itss),
# SOAK_SECONDS (300), SOAK_CONNECTIONS (16), SOAK_THREADS (2). Not part of make
# check; run it with nice on a shared machine.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
itss=${ITSS_BIN:-$root/itss}
seconds=${SOAK_SECONDS:-300}
connections=${SOAK_CONNECTIONS:-16}
threads=${SOAK_THREADS:-2}

die() { echo "soak: $*" >&2; exit 1; }
for tool in wrk curl python3 sqlite3; do
    command -v $tool >/dev/null 2>&1 || die "$tool is not installed (apt-get install -y wrk curl python3 sqlite3)"
done
[ -x "$itss" ] || die "no itss binary at $itss (run make first)"

tmp=$(mktemp -d /tmp/itss-soak-XXXXXX) || exit 1
itss_pid=""
writer_pid=""
sampler_pid=""
cleanup() {
    [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
    [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null
    if [ -n "$itss_pid" ]; then
        kill -TERM "$itss_pid" 2>/dev/null
        wait "$itss_pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

"$itss" demo --db "$tmp/soak.db" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; die "itss demo failed"; }
token=$("$itss" token create hr --name soak --db "$tmp/soak.db" 2>/dev/null) || die "itss token create failed"
port=$(free_port)
"$itss" serve --listen "127.0.0.1:$port" --db "$tmp/soak.db" --quiet 2>"$tmp/itss.log" &
itss_pid=$!
base=http://127.0.0.1:$port
i=0
until curl -fs -o /dev/null "$base/healthz"; do
    i=$((i + 1))
    [ $i -gt 100 ] && { cat "$tmp/itss.log" >&2; die "itss serve did not answer /healthz"; }
    sleep 0.1
done

# A session for the reads: the login form's CSRF token, then the cookie.
jar=$tmp/cookies
curl -fs -c "$jar" -b "$jar" -o "$tmp/login.html" "$base/login" || die "GET /login failed"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n 1)
code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "login=engineer" \
    --data-urlencode "password=itss-demo-engineer" --data-urlencode "csrf=$csrf" "$base/login")
[ "$code" = 303 ] || die "login answered $code, not 303"
session=$(awk '$6 == "itss_session" { print $7 }' "$jar")
[ -n "$session" ] || die "no session cookie"

# The reads: pages and API answers in turn; 5xx counted by wrk's threads.
cat >"$tmp/reads.lua" <<'LUA'
local paths = { "/home", "/results", "/standard", "/api/v1/me", "/api/v1/me/results", "/experience",
                "/diagnosis", "/static/itss.css", "/healthz", "/api/v1/me/experience" }
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) fivexx = 0; i = 0 end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function response(status, headers, body)
  if status >= 500 then fivexx = fivexx + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("fivexx") end
  io.write(string.format("SOAK reads_5xx %d\n", n))
  io.write(string.format("SOAK reads_p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("SOAK reads_rps %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("SOAK reads_errors %d\n", summary.errors.connect + summary.errors.read +
                          summary.errors.write + summary.errors.timeout))
end
LUA

# The writes: one client, one record after another, for the same time.
cat >"$tmp/writes.py" <<'PY'
import http.client, json, sys, time
port, token, seconds, out = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
acked, fivexx, other, n = [], 0, 0, 0
end = time.time() + seconds
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
while time.time() < end:
    n += 1
    body = json.dumps({"employee_number": "S%07d" % n, "name": "ソーク %d" % n})
    try:
        conn.request("POST", "/api/v1/people", body,
                     {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
    except Exception:
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        other += 1
        continue
    if r.status == 201:
        acked.append(json.loads(data)["id"])
    elif r.status >= 500:
        fivexx += 1
    else:
        other += 1
json.dump({"acked": acked, "fivexx": fivexx, "other": other, "sent": n}, open(out, "w"))
PY

rss_start=$(rss_kib "$itss_pid")
# The server's resident memory every 30 s while it runs (flat is the goal).
( while kill -0 "$itss_pid" 2>/dev/null; do rss_kib "$itss_pid"; sleep 30; done ) >"$tmp/rss" 2>/dev/null &
sampler_pid=$!
python3 "$tmp/writes.py" "$port" "$token" "$seconds" "$tmp/writes.json" &
writer_pid=$!
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$tmp/reads.lua" -H "Cookie: itss_session=$session" \
    "$base" >"$tmp/wrk.txt" 2>&1 || { cat "$tmp/wrk.txt" >&2; die "wrk failed"; }
wait "$writer_pid"
writer_pid=""
rss_end=$(rss_kib "$itss_pid")
kill "$sampler_pid" 2>/dev/null
sampler_pid=""
kill -TERM "$itss_pid"
wait "$itss_pid"
itss_pid=""

sqlite3 "$tmp/soak.db" "SELECT id FROM person WHERE employee_number LIKE 'S%'" >"$tmp/stored.txt"
python3 - "$tmp/writes.json" "$tmp/stored.txt" "$tmp/wrk.txt" "$seconds" "$rss_start" "$rss_end" "$tmp/rss" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))
stored = set(int(x) for x in open(sys.argv[2]).read().split())
wrk = dict(l.split()[1:3] for l in open(sys.argv[3]) if l.startswith("SOAK "))
seconds, rss0, rss1 = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
lost = [i for i in w["acked"] if i not in stored]
print("soak: %.0f s on 127.0.0.1, wrk %s" % (seconds, open(sys.argv[3]).read().split("\n")[0]))
print("reads   %8s req/s   p99 %s ms   5xx %s   socket errors %s" % (wrk["reads_rps"], wrk["reads_p99_ms"],
      wrk["reads_5xx"], wrk["reads_errors"]))
print("writes  %8.0f acknowledged (%.1f/s)   5xx %d   other refusals %d   lost %d" % (len(w["acked"]),
      len(w["acked"]) / seconds, w["fivexx"], w["other"], len(lost)))
samples = [int(x) for x in open(sys.argv[7]).read().split()]
print("rss     start %.1f MiB   end %.1f MiB   every 30 s: %s" % (rss0 / 1024, rss1 / 1024,
      " ".join("%.1f" % (x / 1024) for x in samples)))
bad = int(wrk["reads_5xx"]) + w["fivexx"] + len(lost)
print("result: %s" % ("ok (0 5xx, 0 acknowledged writes lost)" if bad == 0 else "FAILED"))
sys.exit(1 if bad else 0)
PY
