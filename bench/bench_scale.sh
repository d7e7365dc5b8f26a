#!/bin/sh
# bench_scale.sh - issue 9's targets beside their figures, on organizations made
# by `itss demo --people N --cycles 2`, with the anchors of ../shared/anchors
# (PostgreSQL's plain model, the bit-scan ceiling) run in the same session so
# that ratios, not absolute times, are compared on a shared machine.
#
#   sh bench/bench_scale.sh [N ...]          (default: 10000 100000)
#   ANCHORS=/work/shared/anchors sh bench/bench_scale.sh 10000 100000 1000000
#
# Needs ./itss and build/bench/bench_orgcols (make bench builds both), and
# /usr/bin/time. The anchors run when ANCHORS names their directory (the
# PostgreSQL part when pg_ctl is there too). Databases go to $BENCH_DIR
# (default /tmp/itss-bench-scale), kept for a second look.
set -u
ITSS=${ITSS_BIN:-./itss}
ORG=${BENCH_ORGCOLS:-build/bench/bench_orgcols}
DIR=${BENCH_DIR:-/tmp/itss-bench-scale}
mkdir -p "$DIR"
NS=${*:-10000 100000}

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
# maxrss FILE: the "Maximum resident set size" in MB of a /usr/bin/time -v report
maxrss() { awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$1"; }

for N in $NS; do
    DB=$DIR/org-$N.db
    rm -f "$DB" "$DB-wal" "$DB-shm"
    echo "== $N people, 2 cycles"
    t0=$(now)
    /usr/bin/time -v "$ITSS" demo --people "$N" --cycles 2 --db "$DB" --json >"$DIR/demo-$N.json" 2>"$DIR/demo-$N.time" \
        || { echo "itss demo failed: $(tail -3 "$DIR/demo-$N.time")"; exit 1; }
    t1=$(now)
    answers=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["answers"])' "$DIR/demo-$N.json")
    assessments=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["assessments"])' "$DIR/demo-$N.json")
    bytes=$(stat -c %s "$DB")
    echo "  demo: $(secs "$t0" "$t1") s for $answers answers in $assessments assessments" \
         "($(echo "$answers / $(secs "$t0" "$t1")" | bc) answers/s, written through the store with every history row," \
         "results kept); max RSS $(maxrss "$DIR/demo-$N.time") MB (flat: chunks of 250 people)"
    echo "  storage: $((bytes / 1024 / 1024)) MB, $((bytes / assessments)) bytes per assessment (self and, for most," \
         "manager ratings with the history of their filling; target <= 6 KB per person)"
    t0=$(now)
    "$ITSS" export levels --db "$DB" >"$DIR/levels-$N.csv"
    t1=$(now)
    echo "  export levels: $(secs "$t0" "$t1") s for $(($(wc -l <"$DIR/levels-$N.csv") - 1)) rows (target <= 1 s at 100,000)"
    "$ORG" "$DB" | sed 's/^/  /'
done

if [ -x build/bench/bench_engine ]; then
    echo "== engine"
    build/bench/bench_engine 2>&1 | tail -3 | sed 's/^/  /'
fi

if [ -n "${ANCHORS:-}" ]; then
    echo "== anchors: bit scan (the ceiling)"
    bash "$ANCHORS/bitscan.sh" 2>&1 | grep native | tail -4 | sed 's/^/  /'
    if command -v pg_ctl >/dev/null; then
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
