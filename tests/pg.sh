#!/bin/sh
# pg.sh - the store on PostgreSQL as an operator meets it (docs/scale-out.md), on
# a private cluster this test starts (tests/pg_cluster.sh) and stops:
#   - itss init makes the schema; the 64-person demo made on PostgreSQL exports
#     (people, answers, levels, experience) exactly what the same demo on SQLite
#     exports: every write path of the demo, through the other backend;
#   - itss copy moves the SQLite demo to PostgreSQL and back, every table equal;
#     a copy into a database that is not empty is refused and changes nothing;
#   - the append-only tables stay append-only on PostgreSQL;
#   - compact approvals rebuild exactly what was approved (test_approval_frozen);
#   - two itss serve on one database: a login on one is valid on the other, an
#     answer saved on one is read on the other at once, two approvals of one
#     diagnosis on the two servers at the same moment: one 200, one 409; a server
#     killed while writing loses no acknowledged write;
#   - through nginx with dist/nginx-itss.conf (the configuration docs/scale-out.md
#     shows) in front of both: log in, save, read back on the other server.
# Run from the repository root with ITSS_BIN set; TAP-style lines. Without
# PostgreSQL installed every check is reported skipped, with the reason.
. "$(dirname "$0")/lib.sh"
on_exit pg_stop
. tests/pg_cluster.sh

itss() { "$ITSS_BIN" "$@"; }

if ! pg_start "$T"; then
    echo "ok - PostgreSQL store tests # SKIP $PG_SKIP"
    exit 0
fi
psql() { $pg_as "$pg_bin/psql" -X -q -t -A -h 127.0.0.1 -p "$pg_port" -U itss -d "$1" -c "$2"; }

# ---- the store's own tests (test_store.c) on PostgreSQL --------------------------
bindir=$(cd "$(dirname "$ITSS_BIN")" && pwd)
if [ "$bindir" = "$(pwd)" ]; then unit=build/tests/test_store; else unit=$bindir/tests/test_store; fi
if [ -x "$unit" ]; then
    ITSS_TEST_PG_URL=$PG_URL "$unit" >"$T/unit.out" 2>&1
    sed -n 's/^\[       OK \] \(.*\)/ok - test_store on PostgreSQL: \1/p; s/^\[  FAILED  \] \(test_.*\)/not ok - test_store on PostgreSQL: \1/p' "$T/unit.out"
    grep -q '^\[  PASSED  \] 18 test' "$T/unit.out" || { fail "test_store on PostgreSQL: all 18 ran and passed"; sed 's/^/# /' "$T/unit.out" | tail -20; }
else
    fail "test_store on PostgreSQL: $unit is not built"
fi

# ---- compact approvals (test_approval_frozen.c) on PostgreSQL -------------------
if [ -x "${unit%/*}/test_approval_frozen" ]; then
    ITSS_TEST_PG_URL=$PG_URL "${unit%/*}/test_approval_frozen" >"$T/frozen.out" 2>&1
    sed -n 's/^\[       OK \] \(.*\)/ok - test_approval_frozen on PostgreSQL: \1/p; s/^\[  FAILED  \] \(test_.*\)/not ok - test_approval_frozen on PostgreSQL: \1/p' "$T/frozen.out"
    grep -q '^\[  PASSED  \] 3 test' "$T/frozen.out" || { fail "test_approval_frozen on PostgreSQL: all 3 ran and passed"; sed 's/^/# /' "$T/frozen.out" | tail -20; }
else
    fail "test_approval_frozen on PostgreSQL: ${unit%/*}/test_approval_frozen is not built"
fi

# ---- init, and the demo's writes through PostgreSQL ----------------------------
SQ=$T/demo.db
itss demo --db "$SQ" >/dev/null 2>&1 || fail "itss demo on SQLite"
DEMO=$(pg_createdb demo)
itss init --db "$DEMO" >"$T/init.out" 2>&1
check "itss init makes the schema on PostgreSQL (schema version of this itss)" \
    grep -q "postgresql, schema version $(sqlite3 "$SQ" 'SELECT MAX(version) FROM schema_migrations')" "$T/init.out"
check "itss demo runs on PostgreSQL" sh -c "'$ITSS_BIN' demo --db '$DEMO' >'$T/demo.out' 2>&1"
# same_exports A B WHAT: the exports of A and B are byte for byte the same.
same_exports() {
    for k in people assessments "levels --levels self" "levels --levels official"; do
        itss export $k --db "$1" >"$T/a.csv" 2>&1; itss export $k --db "$2" >"$T/b.csv" 2>&1
        if ! cmp -s "$T/a.csv" "$T/b.csv" || [ ! -s "$T/a.csv" ]; then echo "# $k differs" >&2; return 1; fi
    done
}
check "the demo made on PostgreSQL exports exactly what the demo on SQLite exports (people, answers, both levels)" \
    same_exports "$SQ" "$DEMO"
check "the levels the engine explains are the same (itss level E1019 --explain)" sh -c \
    "'$ITSS_BIN' level E1019 --explain --db '$SQ' >'$T/l1' 2>&1 && '$ITSS_BIN' level E1019 --explain --db '$DEMO' >'$T/l2' 2>&1 && cmp -s '$T/l1' '$T/l2'"

# ---- the outbox of e-mails on PostgreSQL (docs/notifications.md) ------------------
CLOSES=$(psql demo "SELECT closes FROM cycle ORDER BY opens DESC LIMIT 1")
out=$(ITSS_TODAY=$CLOSES itss mail remind --db "$DEMO" 2>&1); n=${out%% *}
out2=$(ITSS_TODAY=$CLOSES itss mail remind --db "$DEMO" 2>&1)
check "reminders on PostgreSQL: enqueued once per person and cycle ($out, then $out2)" \
    test "${n:-0}" -gt 0 -a "$out2" = "0 reminders enqueued"
DEAD=$(free_port)
itss mail send --smtp "127.0.0.1:$DEAD" --db "$DEMO" >"$T/send1.out" 2>&1
check "a relay that is down: the first message stays pending with the error and an attempt counted, the round ends" \
    test "$(psql demo "SELECT COUNT(*), SUM(attempts) FROM outbox WHERE status = 'pending' AND last_error LIKE 'cannot connect%'")" = "1|1"
start_sink
out=$(itss mail send --all --smtp "127.0.0.1:$SINK_PORT" --db "$DEMO" 2>&1)
check "itss mail send --all claims and sends each once on PostgreSQL ($out)" sh -c \
    "[ '$out' = '$n sent, 0 not sent' ] && [ \$(ls '$T/sink' | grep -c 'done\$') = $n ] && [ \$($pg_as '$pg_bin/psql' -X -q -t -A -h 127.0.0.1 -p $pg_port -U itss -d demo -c \"SELECT COUNT(*) FROM outbox WHERE status = 'sent'\") = $n ]"

# ---- itss copy -----------------------------------------------------------------
DB=$(pg_createdb shared)
itss init --db "$DB" >/dev/null 2>&1     # what a DBA may have done first: the copy still takes it
itss copy --from "$SQ" --to "$DB" >"$T/copy.out" 2>&1; rc=$?
check "itss copy SQLite -> PostgreSQL exits 0 and says every table read back equal" sh -c \
    "[ $rc = 0 ] && grep -q 'each table read back equal' '$T/copy.out'"
check "the copy exports what the SQLite file exports" same_exports "$SQ" "$DB"
itss copy --from "$SQ" --to "$DB" >"$T/copy2.out" 2>&1; rc=$?
check "a copy into a database that is not empty is refused (exit 3, says which table)" sh -c \
    "[ $rc = 3 ] && grep -q 'is not empty (table org_unit' '$T/copy2.out'"
check "the refused copy changed nothing" same_exports "$SQ" "$DB"
itss copy --from "$DB" --to "$T/back.db" >"$T/copy3.out" 2>&1; rc=$?
dump() { for t in $(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations' ORDER BY name"); do
    echo "== $t"; sqlite3 "$1" "SELECT * FROM $t ORDER BY 1, 2"; done; }
if [ $rc = 0 ] && [ "$(dump "$SQ")" = "$(dump "$T/back.db")" ]; then pass "the round trip SQLite -> PostgreSQL -> SQLite keeps every table row for row"
else fail "the round trip SQLite -> PostgreSQL -> SQLite keeps every table row for row"; fi
itss copy --from "postgres://itss:secret@127.0.0.1:1/none" --to "$T/x.db" >"$T/copy4.out" 2>&1; rc=$?
check "an unreachable server: exit 2, the URL named without its password" sh -c \
    "[ $rc = 2 ] && grep -q 'postgres://itss:\*\*\*@127.0.0.1:1/none' '$T/copy4.out' && ! grep -q secret '$T/copy4.out'" \
    || sed 's/^/# /' "$T/copy4.out"

# ---- append-only on PostgreSQL -------------------------------------------------
check "assessment_history refuses UPDATE" sh -c \
    "! psql_out=\$($pg_as '$pg_bin/psql' -X -q -h 127.0.0.1 -p $pg_port -U itss -d shared -c \"UPDATE assessment_history SET actor = 'x'\" 2>&1) && echo \"\$psql_out\" | grep -q 'append-only'"
check "approval refuses DELETE" sh -c \
    "! psql_out=\$($pg_as '$pg_bin/psql' -X -q -h 127.0.0.1 -p $pg_port -U itss -d shared -c 'DELETE FROM approval' 2>&1) && echo \"\$psql_out\" | grep -q 'append-only'"

# ---- two servers on one database -----------------------------------------------
PA=$(free_port); PB=$(free_port)
serve_on "$PA"; A_PID=$SERVER
serve_on "$PB"
HR=$(itss token create hr --name pg --db "$DB" 2>/dev/null)
MGR=$(itss token create manager --name pg --db "$DB" 2>/dev/null)
# A diagnosis handed in and waiting, in the newest cycle, that HR may review.
SUB=$(psql shared "SELECT p.id FROM assessment a JOIN person p ON p.id = a.person_id WHERE a.status = 'submitted' ORDER BY a.cycle_id DESC, p.employee_number LIMIT 1")
SUB_A=$(psql shared "SELECT a.id FROM assessment a WHERE a.person_id = ${SUB:-0} AND a.status = 'submitted' ORDER BY a.cycle_id DESC LIMIT 1")
check "the demo has a diagnosis waiting for approval on PostgreSQL" test -n "$SUB"
# The organization's views read the same on both backends: the portfolio with
# its movement, from a server on PostgreSQL and one on the SQLite original.
PS=$(free_port)
"$ITSS_BIN" serve --db "$SQ" --listen "127.0.0.1:$PS" --quiet 2>>"$T/serve-sq.log" & started $!
HRS=$(itss token create hr --name pg --db "$SQ" 2>/dev/null)
CYC=$(sqlite3 "$SQ" "SELECT MAX(id) FROM cycle"); PREV=$(sqlite3 "$SQ" "SELECT MIN(id) FROM cycle")
python3 - "$PA" "$PS" "$HR" "$HRS" "$CYC" "$PREV" >"$T/views.tap" 2>&1 <<'PY'
import json, sys, time, urllib.error, urllib.request
pa, ps, tok_pg, tok_sq, cyc, prev = sys.argv[1:7]
def get(port, tok, path):
    for _ in range(200):
        try:
            req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), headers={"Authorization": "Bearer " + tok})
            with urllib.request.urlopen(req, timeout=30) as r: return r.status, json.loads(r.read().decode())
        except urllib.error.URLError: time.sleep(0.05)
    return 0, None
for kind in ("official", "self"):
    path = "/api/v1/portfolio?cycle=%s&compare=%s&levels=%s" % (cyc, prev, kind)
    a, b = get(pa, tok_pg, path), get(ps, tok_sq, path)
    print(("ok - " if a[0] == 200 and a == b else "not ok - ") +
          "the portfolio (%s levels, with the movement) reads the same from PostgreSQL and from SQLite" % kind)
PY
cat "$T/views.tap"

# Talent search by an experience record's word reads the same on both backends:
# ASCII letters in either case on both (PostgreSQL's LIKE would tell ATM from
# atm; the words are searched in memory beside the org columns), and a record
# added while the servers run is found by the next search on each.
cat >"$T/words.py" <<'PY'
import json, sys, time, urllib.error, urllib.parse, urllib.request
pa, ps, tok_pg, tok_sq, cyc, phase = sys.argv[1:7]
def found(port, tok, word):
    path = "/api/v1/search?cycle=%s&limit=10000&word=%s" % (cyc, urllib.parse.quote(word))
    for _ in range(200):
        try:
            req = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), headers={"Authorization": "Bearer " + tok})
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, sorted(p["employee_number"] for p in json.loads(r.read().decode())["people"])
        except urllib.error.URLError: time.sleep(0.05)
    return 0, None
def ok(desc, cond): print(("ok - " if cond else "not ok - ") + desc, flush=True)
if phase == "before":
    for word in ("atm", "ATM", "保守"):
        a, b = found(pa, tok_pg, word), found(ps, tok_sq, word)
        ok("search word=%s: the same %d people from PostgreSQL and SQLite" % (word, len(a[1] or [])),
           a[0] == 200 and a == b and len(a[1]) > 0)
    ok("search word=atm finds what word=ATM finds, on PostgreSQL", found(pa, tok_pg, "atm") == found(pa, tok_pg, "ATM"))
else:
    a, b = found(pa, tok_pg, "zebra"), found(ps, tok_sq, "zebra")
    ok("a record 'Zebra基盤' added while the servers run: word=zebra finds %s on PostgreSQL and SQLite" % phase,
       a == (200, [phase]) and b == (200, [phase]))
PY
python3 "$T/words.py" "$PA" "$PS" "$HR" "$HRS" "$CYC" before >"$T/words.tap" 2>&1
WHO=$(sqlite3 "$SQ" "SELECT p.employee_number FROM assessment a JOIN person p ON p.id = a.person_id WHERE a.cycle_id = $CYC ORDER BY p.employee_number LIMIT 1")
for d in "$DB" "$SQ"; do
    itss experience add "$WHO" --project "Zebra基盤" --from 2026-01 --role 担当 --spec HW --level 2 --db "$d" >/dev/null 2>&1
done
python3 "$T/words.py" "$PA" "$PS" "$HR" "$HRS" "$CYC" "$WHO" >>"$T/words.tap" 2>&1
cat "$T/words.tap"

python3 - "$PA" "$PB" "$HR" "$SUB" "$T" >"$T/two.tap" 2>"$T/two.err" <<'PY'
import http.cookiejar, json, re, sys, threading, time, urllib.error, urllib.parse, urllib.request
pa, pb, hr, sub, tmp = sys.argv[1:6]
A, B = "http://127.0.0.1:%s" % pa, "http://127.0.0.1:%s" % pb
def wait_up(base):
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2); return True
        except Exception: time.sleep(0.05)
    return False
def ok(desc, cond): print(("ok - " if cond else "not ok - ") + desc, flush=True)
def api(base, method, path, body=None, token=hr):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r: return r.status, r.read().decode()
    except urllib.error.HTTPError as e: return e.code, e.read().decode()
ok("both servers answer /healthz", wait_up(A) and wait_up(B))
# A browser session made on A is valid on B (sessions are rows of the database).
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = op.open(A + "/login").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
op.open(A + "/login", urllib.parse.urlencode({"csrf": csrf, "login": "engineer", "password": "itss-demo-engineer"}).encode())
cookie = "; ".join("%s=%s" % (c.name, c.value) for c in jar)
req = urllib.request.Request(B + "/home", headers={"Cookie": cookie})
with urllib.request.urlopen(req) as r: home = r.read().decode()
ok("a login on server A is valid on server B (its /home answers 200 for the user)", r.status == 200 and "logout" in home.lower())
# An answer saved on A is read on B at once.
el = "CS.HW.L3.responsibility"
s1, _ = api(A, "PUT", "/api/v1/people/%s/assessment/manager" % sub, {"answers": [{"element_id": el, "value": "agree"}]})
s2, body = api(B, "GET", "/api/v1/people/%s/assessment?rater=manager" % sub)
ok("a rating saved on A (status %d) is read on B at once" % s1, s1 == 200 and s2 == 200 and el in body)
s3, body = api(A, "PUT", "/api/v1/people/%s/assessment/manager" % sub, {"answers": [], "agree_remaining": True})
ok("the review is completed on A", s3 == 200 and '"undecided_achievement":0' in body)
# Two approvals of the same diagnosis at the same moment, one on each server.
results, go = [], threading.Barrier(2)
def approve(base):
    go.wait(); results.append(api(base, "POST", "/api/v1/people/%s/approve" % sub, {})[0])
ts = [threading.Thread(target=approve, args=(b,)) for b in (A, B)]
[t.start() for t in ts]; [t.join() for t in ts]
ok("two approvals at once on two servers: one 200, the other 409 (got %s)" % sorted(results), sorted(results) == [200, 409])
PY
cat "$T/two.tap"
[ -s "$T/two.err" ] && sed 's/^/# /' "$T/two.err"
check "the database holds one approval of that diagnosis, and it is approved" test \
    "$(psql shared "SELECT count(*) || ' ' || MIN(a.status) FROM approval ap JOIN assessment a ON a.id = ap.assessment_id WHERE a.id = ${SUB_A:-0}")" = "1 approved"

# A server killed in the middle of writes: every acknowledged write is there.
python3 - "$PA" "$HR" "$SUB" "$T/acked" >"$T/writer.log" 2>&1 <<'PY' &
import json, sys, time, urllib.request, urllib.error
port, hr, sub, out = sys.argv[1:5]
acked = open(out, "w")
end = time.time() + 60                      # bounded: the server is killed long before
for i in range(100000):
    if time.time() > end: break
    req = urllib.request.Request("http://127.0.0.1:%s/api/v1/people/%s/comments" % (port, sub), method="POST",
                                 data=json.dumps({"body": "pg-kill-%03d" % i}).encode(),
                                 headers={"Authorization": "Bearer " + hr, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            if r.status in (200, 201): acked.write("pg-kill-%03d\n" % i); acked.flush()
    except Exception:
        break
PY
writer=$!
sleep 1
kill -9 "$A_PID" 2>/dev/null
wait "$writer" 2>/dev/null
n_acked=$(wc -l <"$T/acked")
psql shared "SELECT body FROM assessment_comment WHERE body LIKE 'pg-kill-%' ORDER BY body" >"$T/stored"
missing=$(sort "$T/acked" | comm -23 - "$T/stored" | wc -l)
check "server A killed -9 in the middle of writing ($n_acked comments acknowledged before): every one is in the database" \
    sh -c "[ $n_acked -gt 0 ] && [ $n_acked -lt 100000 ] && [ $missing = 0 ] && ! kill -0 $A_PID 2>/dev/null"
serve_on "$PA"
check "server A restarts on the same database and answers" test $? = 0

# ---- nginx in front of both ----------------------------------------------------
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "ok - two servers behind nginx # SKIP nginx is not installed (apt-get install nginx-light)"
    exit 0
fi
PN=$(free_port)
mkdir -p "$T/nginx"
sed -e "s/127.0.0.1:8080/127.0.0.1:$PA/; s/127.0.0.1:8081/127.0.0.1:$PB/; s/listen 80;/listen 127.0.0.1:$PN;/" \
    dist/nginx-itss.conf >"$T/nginx/itss.conf"
cat >"$T/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $T/nginx/body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    include $T/nginx/itss.conf;
}
NGINX
chmod -R a+rwx "$T/nginx"
/usr/sbin/nginx -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" 2>"$T/nginx/start.log" &
started $!
python3 - "$PN" "$PB" "$SUB" >"$T/nginx.tap" 2>"$T/nginx.err" <<'PY'
import http.cookiejar, re, sys, time, urllib.error, urllib.parse, urllib.request
pn, pb, sub = sys.argv[1:4]
N, B = "http://127.0.0.1:%s" % pn, "http://127.0.0.1:%s" % pb
def ok(desc, cond): print(("ok - " if cond else "not ok - ") + desc, flush=True)
up = False
for _ in range(200):
    try: urllib.request.urlopen(N + "/healthz", timeout=2); up = True; break
    except Exception: time.sleep(0.05)
ok("nginx with dist/nginx-itss.conf answers for the two servers", up)
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = op.open(N + "/login").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
r = op.open(N + "/login", urllib.parse.urlencode({"csrf": csrf, "login": "hr", "password": "itss-demo-hr"}).encode())
ok("log in through the proxy", r.status == 200 and "/login" not in r.geturl())
# A comment written through the proxy (whichever server takes it) is on server B's page at once.
page = op.open(N + "/team").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
cookie = "; ".join("%s=%s" % (c.name, c.value) for c in jar)
req = urllib.request.Request(N + "/people/%s/comments" % sub, method="POST",
                             data=urllib.parse.urlencode({"csrf": csrf, "body": "through-nginx-42"}).encode(),
                             headers={"Cookie": cookie})
try:
    with urllib.request.urlopen(req) as r: st = r.status
except urllib.error.HTTPError as e: st = e.code
req = urllib.request.Request(B + "/api/v1/people/%s/assessment" % sub, headers={"Cookie": cookie})
with urllib.request.urlopen(req) as r: body = r.read().decode()
ok("a comment saved through the proxy (status %d) is read on server B directly" % st, "through-nginx-42" in body)
PY
cat "$T/nginx.tap"
[ -s "$T/nginx.err" ] && sed 's/^/# /' "$T/nginx.err"
exit 0
