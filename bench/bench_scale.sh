#!/bin/sh
# bench_scale.sh - issue 9's targets beside their figures, on organizations made
# by `itss demo --people N --cycles 2`, with the anchors of ../shared/anchors
# (PostgreSQL's plain model, the bit-scan ceiling) run in the same session so
# that ratios, not absolute times, are compared on a shared machine.
#
#   sh bench/bench_scale.sh [N ...]          (default: 10000 100000)
#   BENCH_REUSE=1 sh bench/bench_scale.sh 100000     (keep $BENCH_DIR/org-N.db when it is there)
#   ANCHORS=/work/shared/anchors sh bench/bench_scale.sh 10000 100000 1000000
#
# Needs ./itss and build/bench/bench_orgcols and bench_engine (make bench builds
# them), /usr/bin/time, curl and sqlite3. Each figure is printed beside its
# target; CPU seconds are printed beside wall seconds because the machine is
# shared (the wall clock measures the others' load as much as this code). The
# import runs on a copy of the database, into a new cycle, with the self
# answers of the latest cycle (BENCH_IMPORT=0 skips it; BENCH_EXPORTS=0 skips
# the answer exports and with them the import: at 1,000,000 people they are 22 GB
# of CSV). Databases go to $BENCH_DIR (default /tmp/itss-bench-scale), kept for a
# second look. Every step runs under `timeout` ($BENCH_STEP_LIMIT seconds,
# default 3600), so that a run always ends by itself.
set -u
ITSS=${ITSS_BIN:-./itss}
ORG=${BENCH_ORGCOLS:-build/bench/bench_orgcols}
ENGINE=${BENCH_ENGINE:-build/bench/bench_engine}
DIR=${BENCH_DIR:-/tmp/itss-bench-scale}
PORT=${BENCH_PORT:-18731}
mkdir -p "$DIR"
NS=${*:-10000 100000}
# The run's command and conditions first, so that a pasted result says how it was made.
echo "command: BENCH_DIR=$DIR BENCH_REUSE=${BENCH_REUSE:-0} BENCH_EXPORTS=${BENCH_EXPORTS:-1}" \
     "BENCH_IMPORT=${BENCH_IMPORT:-1}${ANCHORS:+ ANCHORS=$ANCHORS} sh bench/bench_scale.sh $NS"
echo "at: $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?'), load average" \
     "$(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
# timed FILE CMD...: runs CMD under /usr/bin/time into FILE ("wall user sys maxrss_kB").
timed() { f=$1; shift; /usr/bin/time -f "%e %U %S %M" -o "$f" timeout "${BENCH_STEP_LIMIT:-3600}" "$@"; }
wall() { cut -d' ' -f1 "$1"; }
cpu() { awk '{ printf "%.2f", $2 + $3 }' "$1"; }
maxrss() { awk '{ printf "%.0f", $4 / 1024 }' "$1"; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

for N in $NS; do
    DB=$DIR/org-$N.db
    echo "== $N people, 2 cycles"
    if [ "${BENCH_REUSE:-0}" = 1 ] && [ -s "$DB" ]; then
        echo "  demo: reusing $DB"
    else
        rm -f "$DB" "$DB-wal" "$DB-shm"
        timed "$DIR/demo-$N.time" "$ITSS" demo --people "$N" --cycles 2 --db "$DB" --json >"$DIR/demo-$N.json" \
            || { echo "itss demo failed"; exit 1; }
        answers=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["answers"])' "$DIR/demo-$N.json")
        echo "  demo: $answers answers in $(wall "$DIR/demo-$N.time") s wall, $(cpu "$DIR/demo-$N.time") s CPU," \
             "max RSS $(maxrss "$DIR/demo-$N.time") MB (written through the store with history, results kept)"
    fi
    assessments=$(sqlite3 "$DB" "SELECT count(*) FROM assessment")
    people=$(sqlite3 "$DB" "SELECT count(*) FROM person")
    bytes=$(stat -c %s "$DB")
    echo "  storage: $((bytes / 1024 / 1024)) MB, $((bytes / people)) bytes per person for two cycles," \
         "$((bytes / assessments)) per assessment (target <= 6 KB per person for one cycle)"
    C_NOW=$(sqlite3 "$DB" "SELECT id FROM cycle ORDER BY opens DESC, id DESC LIMIT 1")
    C_BEFORE=$(sqlite3 "$DB" "SELECT id FROM cycle ORDER BY opens DESC, id DESC LIMIT 1 OFFSET 1")
    CYCLE=$(sqlite3 "$DB" "SELECT name FROM cycle WHERE id = $C_NOW")

    for kind in official self; do
        timed "$DIR/levels-$N.time" "$ITSS" export levels --levels $kind --db "$DB" >"$DIR/levels-$N.csv"
        echo "  export levels ($kind): $(($(wc -l <"$DIR/levels-$N.csv") - 1)) rows in $(wall "$DIR/levels-$N.time") s" \
             "wall, $(cpu "$DIR/levels-$N.time") s CPU (target <= 1 s at 100,000), max RSS" \
             "$(maxrss "$DIR/levels-$N.time") MB (target: flat in the number of people)"
    done
    EXPORTS=${BENCH_EXPORTS:-1}
    if [ "$EXPORTS" = 1 ]; then
        timed "$DIR/empty.time" "$ITSS" export people --db "$DB" --cycle "$CYCLE" >/dev/null 2>&1
        timed "$DIR/expa-$N.time" "$ITSS" export assessments --cycle "$CYCLE" --db "$DB" >"$DIR/assessments-$N.csv"
        echo "  export assessments of $CYCLE (CLI): $(($(stat -c %s "$DIR/assessments-$N.csv") / 1048576)) MB in" \
             "$(wall "$DIR/expa-$N.time") s wall, $(cpu "$DIR/expa-$N.time") s CPU; max RSS $(maxrss "$DIR/expa-$N.time") MB" \
             "(target: within 64 MB of the start; a people export peaks at $(maxrss "$DIR/empty.time") MB)"
    fi

    timeout "${BENCH_STEP_LIMIT:-3600}" "$ORG" "$DB" | sed 's/^/  /'

    # The server: start, memory, the portfolio on the first request and after, a streamed export.
    TOKEN=$("$ITSS" token create hr --name bench --db "$DB" 2>/dev/null)
    t0=$(now)
    "$ITSS" serve --db "$DB" --listen "127.0.0.1:$PORT" --quiet 2>"$DIR/serve-$N.err" &
    SPID=$!
    tries=0
    until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
        kill -0 $SPID 2>/dev/null || { echo "  the server did not start: $(cat "$DIR/serve-$N.err")"; break; }
        tries=$((tries + 1))
        [ $tries -gt $((${BENCH_STEP_LIMIT:-3600} * 20)) ] && { echo "  the server did not answer in time"; break; }
        sleep 0.05
    done
    t1=$(now)
    cpu_start=$(awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$SPID/stat" 2>/dev/null)
    rss_start=$(status_kb $SPID VmRSS)
    echo "  server start: $(secs "$t0" "$t1") s wall to answering, $cpu_start s CPU (target <= 2 s at 100,000," \
         "none at 1,000,000); RSS $((rss_start / 1024)) MB (target <= 150 MB at 100,000, <= 1 GB at 1,000,000)"
    # Each request: wall time with the client, and the server's own CPU time
    # (/proc/PID/stat before and after), the figure on a shared machine.
    srv_cpu() { awk '{ print $14 + $15 }' "/proc/$SPID/stat"; }
    api() {
        c0=$(srv_cpu)
        w=$(curl -s -o "$DIR/api.out" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$1")
        echo "$(echo "$w * 1000 / 1" | bc) ms wall, $((($(srv_cpu) - c0) * 10)) ms server CPU"
    }
    first=$(api "/api/v1/portfolio?cycle=$C_NOW&compare=$C_BEFORE")
    second=$(api "/api/v1/portfolio?cycle=$C_NOW&compare=$C_BEFORE&levels=self")
    unit=$(sqlite3 "$DB" "SELECT id FROM org_unit WHERE parent_id IS NULL LIMIT 1")
    third=$(api "/api/v1/portfolio?cycle=$C_NOW&compare=$C_BEFORE&levels=self&org_unit_id=$unit&approved=1")
    again=$(api "/api/v1/portfolio?cycle=$C_NOW&compare=$C_BEFORE&levels=self&org_unit_id=$unit&approved=1")
    echo "  /api/v1/portfolio with movement, the first requests after the start (target <= 50 ms at 100,000," \
         "<= 500 ms at 1,000,000, on the server):"
    echo "    official levels: $first"
    echo "    self-assessed: $second"
    echo "    one unit, approved only: $third; the same again: $again"
    rss_before=$(status_kb $SPID VmRSS)
    echo "  server RSS after these requests: $((rss_before / 1024)) MB (target <= 150 MB at 100,000, <= 1 GB at 1,000,000)"
    if [ "$EXPORTS" = 1 ]; then
        t0=$(now)
        curl -s -m "${BENCH_STEP_LIMIT:-3600}" -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:$PORT/api/v1/exports/assessments?cycle=$C_NOW" | wc -c >"$DIR/served.bytes"
        t1=$(now)
        hwm=$(status_kb $SPID VmHWM)
        echo "  /api/v1/exports/assessments: $(($(cat "$DIR/served.bytes") / 1048576)) MB in $(secs "$t0" "$t1") s;" \
             "server RSS $((rss_before / 1024)) MB before, peak $((hwm / 1024)) MB" \
             "(+$(((hwm - rss_before) / 1024)) MB; target: within 64 MB)"
    fi
    kill $SPID; wait $SPID 2>/dev/null

    if [ "${BENCH_IMPORT:-1}" = 1 ] && [ "$EXPORTS" = 1 ]; then
        # The self answers of the latest cycle, into a new cycle of a copy.
        cp "$DB" "$DIR/import-$N.db"
        "$ITSS" cycle add bench-import --opens 2030-04-01 --closes 2031-03-31 --db "$DIR/import-$N.db" >/dev/null 2>&1
        awk -F, -v OFS=, 'NR == 1 { print; next } $5 == "self" { $2 = "bench-import"; print }' \
            "$DIR/assessments-$N.csv" >"$DIR/import-$N.csv"
        rows=$(($(wc -l <"$DIR/import-$N.csv") - 1))
        timed "$DIR/import-$N.time" "$ITSS" import assessments "$DIR/import-$N.csv" --db "$DIR/import-$N.db" \
            >"$DIR/import-$N.out" 2>&1
        echo "  import assessments: $rows answers in $(wall "$DIR/import-$N.time") s wall," \
             "$(cpu "$DIR/import-$N.time") s CPU ($(echo "$rows / $(cpu "$DIR/import-$N.time")" | bc) answers per CPU s);" \
             "max RSS $(maxrss "$DIR/import-$N.time") MB (target: 28.4 M answers in <= 30 s, memory flat)"
        tail -n 2 "$DIR/import-$N.out" | sed 's/^/    /'
        rm -f "$DIR/import-$N.db" "$DIR/import-$N.db-wal" "$DIR/import-$N.db-shm"
    fi
    rm -f "$DIR/assessments-$N.csv" "$DIR/import-$N.csv"
done

if [ -x "$ENGINE" ]; then
    echo "== engine (bench/bench_engine.c, one core)"
    "$ENGINE" 2>&1 | grep -E "evaluated|from bits|differ" | sed 's/^/  /'
fi

if [ -n "${ANCHORS:-}" ]; then
    echo "== anchors: bit scan (the ceiling)"
    bash "$ANCHORS/bitscan.sh" 2>&1 | grep native | tail -4 | sed 's/^/  /'
    if command -v pg_ctl >/dev/null || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
        echo "== anchors: PostgreSQL, plain normalized model"
        bash "$ANCHORS/pg_setup.sh" start >/dev/null 2>&1
        NS="$NS" bash "$ANCHORS/pg_bench.sh" >"$DIR/pg.log" 2>&1 || echo "  pg_bench failed: $(tail -2 "$DIR/pg.log")"
        for N in $NS; do
            echo "  N=$N load (COPY):"; sed 's/^/    /' "/tmp/anchors/pgres/load_$N.tsv" 2>/dev/null
            echo "  N=$N queries (ms, 3 runs):"; sed 's/^/    /' "/tmp/anchors/pgres/queries_$N.tsv" 2>/dev/null
        done
        bash "$ANCHORS/pg_setup.sh" stop >/dev/null 2>&1
    fi
fi
