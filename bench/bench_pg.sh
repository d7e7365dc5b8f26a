#!/bin/sh
# bench_pg.sh [PEOPLE] - the store on PostgreSQL beside SQLite, in the same run on
# the same machine (issue 14's measurements): a generated organization of PEOPLE
# people (default 10,000; itss demo --people N --cycles 2) made on SQLite, moved
# to PostgreSQL with itss copy (the import into PostgreSQL), the levels export of
# everyone from each, and two API answers under wrk: a person's results
# (/api/v1/people/:id/results) and the portfolio of the newest cycle (/api/v1/portfolio), against one
# server on the SQLite file, one server on PostgreSQL, and two servers on
# PostgreSQL at once (two wrk, one per server, requests/s summed). Prints each
# figure and the ratios PostgreSQL / SQLite. Every answer must be 200.
#
# Needs PostgreSQL (a private cluster is started in a temporary directory, as
# tests/pg.sh does) and wrk. Environment: ITSS_BIN (default ./itss),
# BENCH_DURATION (10s), BENCH_CONNECTIONS (32).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
ITSS_BIN=${ITSS_BIN:-$root/itss}
people=${1:-10000}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}
T=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; pg_stop; rm -rf "$T"; }
trap cleanup EXIT
cd "$root"
. tests/pg_cluster.sh
command -v wrk >/dev/null || { echo "bench_pg: needs wrk (apt-get install wrk)"; exit 1; }
pg_start "$T" || { echo "bench_pg: $PG_SKIP"; exit 1; }
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

SQ=$T/org.db
t0=$(now); "$ITSS_BIN" demo --people "$people" --cycles 2 --db "$SQ" >/dev/null 2>&1 || { echo "demo failed"; exit 1; }; t1=$(now)
PG=$(pg_createdb org)
"$ITSS_BIN" init --db "$PG" >/dev/null 2>&1
t2=$(now); "$ITSS_BIN" copy --from "$SQ" --to "$PG" >"$T/copy.out" 2>&1 || { cat "$T/copy.out"; exit 1; }; t3=$(now)
rows=$(tail -1 "$T/copy.out" | sed -n 's/.*tables, \([0-9]*\) rows.*/\1/p')
t4=$(now); "$ITSS_BIN" export levels --levels self --db "$SQ" >"$T/l1"; t5=$(now)
"$ITSS_BIN" export levels --levels self --db "$PG" >"$T/l2"; t6=$(now)
cmp -s "$T/l1" "$T/l2" && same=identical || same=DIFFERENT
pgsize=$($pg_as "$pg_bin/psql" -X -q -t -A -h 127.0.0.1 -p "$pg_port" -U itss -d org -c "SELECT pg_database_size('org')")
sqsize=$(stat -c %s "$SQ")

echo "== bench_pg: $people people, 2 cycles ($rows rows in all)"
echo "make the organization on SQLite (itss demo)         $(secs "$t0" "$t1") s"
echo "itss copy SQLite -> PostgreSQL (the import)          $(secs "$t2" "$t3") s  ($(echo "$rows / ($t3 - $t2)" | bc) rows/s)"
echo "export levels of everyone: SQLite $(secs "$t4" "$t5") s, PostgreSQL $(secs "$t5" "$t6") s  (outputs $same)"
echo "database size: SQLite $((sqsize / 1024 / 1024)) MB, PostgreSQL $((pgsize / 1024 / 1024)) MB"

HR=$("$ITSS_BIN" token create hr --name bench --db "$SQ" 2>/dev/null)
HRP=$("$ITSS_BIN" token create hr --name bench --db "$PG" 2>/dev/null)
person=$(sqlite3 "$SQ" "SELECT person_id FROM assessment ORDER BY id DESC LIMIT 1")
cycle=$(sqlite3 "$SQ" "SELECT MAX(id) FROM cycle")
serve() { # DB PORT
    "$ITSS_BIN" serve --db "$1" --listen "127.0.0.1:$2" --quiet 2>>"$T/serve.log" & pids="$pids $!"
    for _ in $(seq 100); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$2/healthz')" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
p99() { sed -n 's/^ *99% *\(.*\)/\1/p' "$1"; }
non2xx() { sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1"; }
run() { # NAME TOKEN PATH PORT...
    name=$1 tok=$2 path=$3; shift 3
    i=0; wp=""
    for port in "$@"; do
        wrk -t1 -c"$conns" -d"$duration" --latency -H "Authorization: Bearer $tok" "http://127.0.0.1:$port$path" >"$T/wrk.$name.$i" 2>&1 &
        wp="$wp $!"; i=$((i + 1))
    done
    for p in $wp; do wait "$p"; done
    total=0; bad=0
    j=0; while [ $j -lt $i ]; do
        total=$(echo "$total + $(rps "$T/wrk.$name.$j")" | bc); nb=$(non2xx "$T/wrk.$name.$j"); bad=$((bad + ${nb:-0})); j=$((j + 1)); done
    printf '%-44s %9.0f req/s  p99 %-10s %s\n' "$name" "$total" "$(p99 "$T/wrk.$name.0")" "$([ "$bad" = 0 ] && echo "all 200" || echo "$bad NOT 200")"
}
PS=$(free_port); PA=$(free_port); PB=$(free_port)
serve "$SQ" "$PS" && serve "$PG" "$PA" && serve "$PG" "$PB" || { echo "a server did not start"; cat "$T/serve.log"; exit 1; }
for what in "results:/api/v1/people/$person/results" "portfolio:/api/v1/portfolio?cycle=$cycle"; do
    n=${what%%:*}; path=${what#*:}
    # one request each first: what the servers keep in memory is made then
    for port in $PS $PA $PB; do curl -s -o /dev/null -H "Authorization: Bearer $([ $port = $PS ] && echo "$HR" || echo "$HRP")" "http://127.0.0.1:$port$path" 2>/dev/null; done
    run "$n: SQLite, one server" "$HR" "$path" "$PS"; a=$total
    run "$n: PostgreSQL, one server" "$HRP" "$path" "$PA"; b=$total
    run "$n: PostgreSQL, two servers" "$HRP" "$path" "$PA" "$PB"; c=$total
    echo "   ratios: PostgreSQL/SQLite one server $(echo "scale=2; $b / $a" | bc), two servers/one $(echo "scale=2; $c / $b" | bc)"
done
