#!/bin/sh
# bench_storage.sh - issue 9's storage target as the issue defines it: bytes per
# person for a full self and manager assessment with the history of its first
# filling, approved through the real path (bench_storage.c makes the database),
# beside the 6 KB target and the PostgreSQL anchor; then where the bytes go, per
# table with its indexes (SQLite's dbstat virtual table, in the sqlite3 shell).
#
#   sh bench/bench_storage.sh [N ...]          (default: 2000 10000)
#   BENCH_DIR=/tmp/x   where the databases go (default: a new temporary directory)
#   ANCHORS=/work/shared/anchors   also prints PostgreSQL's bytes per person from
#             /tmp/anchors/pgres/sizes_N.txt (made by the anchors' pg_bench.sh)
set -u
cd "$(dirname "$0")/.."
BIN=build/bench/bench_storage
[ -x "$BIN" ] || make -s "$BIN" || exit 1
DIR=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$DIR"
[ $# -gt 0 ] || set -- 2000 10000

for N in "$@"; do
    DB=$DIR/storage-$N.db
    rm -f "$DB" "$DB-wal" "$DB-shm"
    echo "== $N people: full self + manager assessment each, saved, submitted, approved (review_approve)"
    "$BIN" "$N" "$DB" >"$DIR/storage-$N.out" || { echo "bench_storage failed"; exit 1; }
    bytes=$(sed -n 's/^bytes //p' "$DIR/storage-$N.out")
    echo "  made in $(sed -n 's/^cpu_s //p' "$DIR/storage-$N.out") s CPU" \
         "($(sed -n 's/^wall_s //p' "$DIR/storage-$N.out") s wall)"
    echo "  storage: $bytes bytes, $((bytes / N)) bytes per person (target <= 6144)"
    if [ -n "${ANCHORS:-}" ]; then
        for f in /tmp/anchors/pgres/sizes_100000.txt /tmp/anchors/pgres/sizes_10000.txt; do
            [ -s "$f" ] || continue
            pg=$(awk '/ MB$/ && NF == 2 { printf "%.0f\n", $1 * 1048576 } / GB$/ && NF == 2 { printf "%.0f\n", $1 * 1073741824 }' "$f" | tail -1)
            pn=$(basename "$f" .txt | sed 's/sizes_//')
            [ -n "$pg" ] && echo "  PostgreSQL anchor (normalized model, self answers only, $pn people):" \
                "$((pg / pn)) bytes per person ($f)"
            break
        done
    fi
    echo "  bytes per person by table (indexes included), from dbstat:"
    sqlite3 "$DB" "
        WITH t AS (SELECT d.name, d.pgsize, COALESCE(s.tbl_name, d.name) AS tbl
                   FROM dbstat d LEFT JOIN sqlite_schema s ON s.name = d.name)
        SELECT printf('    %-24s %8d  (%d of it indexes)', tbl, SUM(pgsize) / $N,
                      SUM(CASE WHEN name <> tbl THEN pgsize ELSE 0 END) / $N)
        FROM t GROUP BY tbl HAVING SUM(pgsize) >= 16 * $N ORDER BY SUM(pgsize) DESC;
        SELECT printf('    %-24s %8d', 'free pages', freelist_count * page_size / $N)
        FROM pragma_freelist_count, pragma_page_size;"
done
