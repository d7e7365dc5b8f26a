#!/bin/sh
# cli_backup.sh - `itss backup` and `itss check` as an operator meets them: a
# backup taken while the server answers and another process keeps writing is a
# database that checks whole and holds every row committed before it began; the
# copy restores (the server serves it); a backup never overwrites a file; and
# `itss check` finds a broken reference and says where. Run from the repository
# root with ITSS_BIN set; one TAP-style "ok - ..." / "not ok - ..." line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the cycles named below are dated for this day (rules_today)

DB=$T/live.db
"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1 || { fail "itss demo"; exit 1; }

# The server reads and another process writes, one committed row at a time,
# during the backup (bounded: 150 rows at most).
port=$(free_port)
serve_on "$port"
server=$SERVER
"$PY" - "$DB" >"$T/writer.log" 2>&1 <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
for i in range(150):
    c.execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("soak-%03d" % i, str(i)))
    time.sleep(0.002)
PY
writer=$!; started "$writer"
before=0
for i in $(seq 1 100); do
    before=$(sqlite3 "$DB" "SELECT count(*) FROM meta WHERE key LIKE 'soak-%'")
    [ "$before" -ge 20 ] && break
    sleep 0.05
done
run backup "$T/copy.db" --db "$DB"
check "itss backup exits 0 while the server runs and another process writes" [ "$rc" = 0 ]
check "it says the copy checked whole" grep -q "integrity ok, foreign keys ok" "$T/out"
wait "$writer"
in_copy=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM meta WHERE key LIKE 'soak-%'")
check "the copy holds every row committed before the backup began ($before <= $in_copy)" [ "$in_copy" -ge "$before" ]
gaps=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM meta WHERE key LIKE 'soak-%' AND CAST(value AS INTEGER) >= $in_copy")
check "the copy is one moment: rows 0..$in_copy without a gap" [ "$gaps" = 0 ]
check "no partial file is left" [ ! -e "$T/copy.db.partial" ]
run check --db "$T/copy.db" --json
check "itss check --json of the copy: ok" grep -q '"check": *"ok"' "$T/out"

# Restore: the copy is a database the server serves.
stopped "$server"
DB=$T/copy.db
ok=""; serve_on "$port" && ok=1
curl -s --max-time 5 "http://127.0.0.1:$port/healthz" >"$T/health"
check "the restored copy is served (/healthz)" [ -n "$ok" ]
check "and it is writable" grep -q '"writable":true' "$T/health"
stopped "$SERVER"
DB=$T/live.db

# A backup never overwrites.
echo keep >"$T/taken"
run backup "$T/taken" --db "$DB"
check "a backup onto an existing file is refused (exit 3)" [ "$rc" = 3 ]
check "and the file is left as it was" [ "$(cat "$T/taken")" = keep ]
run backup --db "$DB"
check "no DEST is a usage error (exit 2)" [ "$rc" = 2 ]

# itss check finds what is broken and says where.
run check --db "$DB"
check "itss check of a whole database: exit 0" [ "$rc" = 0 ]
sqlite3 "$DB" "PRAGMA foreign_keys=OFF; UPDATE person SET org_unit_id = 99999 WHERE id = (SELECT min(id) FROM person);"
run check --db "$DB"
check "a broken reference: exit 3" [ "$rc" = 3 ]
check "named: the table and the missing parent" grep -q "person names a missing org_unit" "$T/err"
