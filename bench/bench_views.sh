#!/bin/sh
# bench_views.sh - how fast the HR views answer at scale (issue 11: every view
# <= 100 ms at 100,000 people), each beside an anchor measured in the same run.
#
# Makes (or, with BENCH_REUSE=1, reuses) a demo organization of BENCH_PEOPLE
# people (default 100000; `itss demo --people N --cycles 2`) at BENCH_DB
# (default /tmp/itss-bench-views/org-N.db), starts `itss serve` on a free port
# of 127.0.0.1, logs in as the demo HR user and asks each view once right after
# the start ("first") and then BENCH_N more times (default 5; "warm" = their
# median). Times are the server's own (the duration on its access-log line:
# from the request's arrival to the answer handed to the socket), the total
# as curl saw it is printed beside the first and warm medians. Every answer must
# be 200 and non-empty, or the run is reported broken (exit 1).
#
# Anchors, where one applies (ratio = itss / anchor, lower is better):
#  - nginx: the same bytes as a static file, served by nginx on another free
#    port, median of BENCH_N requests with curl (what no dynamic page can beat).
#  - pg(a|b|c): /work/shared/anchors' PostgreSQL figures of the same size
#    (ANCHORS_PGRES, default /tmp/anchors/pgres/queries_N.tsv, the median of
#    its three runs): (a) the level distribution computed in SQL from the raw
#    answers, (b) the level distribution per org unit from a precomputed levels
#    table, (c) knowledge coverage by unit × area. Not run here (it takes a
#    PostgreSQL cluster and 4 GB); when the file is missing the column says so.
#
# Environment: ITSS_BIN (default ./itss), BENCH_PEOPLE, BENCH_DB, BENCH_REUSE,
# BENCH_N, BENCH_LOGIN / BENCH_PASSWORD (hr / itss-demo-hr), BENCH_MANAGER
# (LOGIN:PASSWORD of a manager, manager:itss-demo-manager), ITSS_TODAY.
# Needs curl; nginx is optional. Exit 0 when every view answered 200.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
itss=${ITSS_BIN:-$root/itss}
people=${BENCH_PEOPLE:-100000}
runs=${BENCH_N:-10}
user=${BENCH_LOGIN:-hr}
password=${BENCH_PASSWORD:-itss-demo-hr}
BENCH_MANAGER=${BENCH_MANAGER:-manager:itss-demo-manager}
db=${BENCH_DB:-/tmp/itss-bench-views/org-$people.db}
pgres=${ANCHORS_PGRES:-/tmp/anchors/pgres/queries_$people.tsv}

die() { echo "bench_views: $*" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || die "curl is not installed"
[ -x "$itss" ] || die "no itss binary at $itss (run make first)"
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || nginx=""

tmp=$(mktemp -d /tmp/itss-bench-views-XXXXXX) || exit 1
itss_pid=""
nginx_pid=""
cleanup() {
    [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null
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
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- the organization ------------------------------------------------------------
mkdir -p "$(dirname "$db")"
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -s "$db" ]; then
    echo "# reusing $db ($(du -m "$db" | cut -f1) MB)"
else
    rm -f "$db"
    echo "# itss demo --people $people --cycles 2 --db $db"
    start=$(date +%s)
    "$itss" demo --people "$people" --cycles 2 --db "$db" >"$tmp/demo.log" 2>&1 ||
        { tail -n 20 "$tmp/demo.log" >&2; die "itss demo failed"; }
    echo "# demo made in $(( $(date +%s) - start )) s"
fi
# Opening it with this binary brings an older schema up to date (migrations) or refuses a newer one.
"$itss" cycle list --db "$db" >"$tmp/cycles" 2>&1 || { cat "$tmp/cycles" >&2; die "$db does not open with $itss"; }
q() { sqlite3 "$db" "$1" 2>/dev/null; }
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is not installed"
n_people=$(q "SELECT count(*) FROM person"); n_assess=$(q "SELECT count(*) FROM assessment")
n_units=$(q "SELECT count(*) FROM org_unit"); schema=$(q "SELECT max(version) FROM schema_migrations")
echo "# $n_people people, $n_assess assessments, $n_units org units, schema $schema"
cycle=$(q "SELECT id FROM cycle WHERE id IN (SELECT cycle_id FROM assessment) ORDER BY opens DESC LIMIT 1")
compare=$(q "SELECT id FROM cycle WHERE id IN (SELECT cycle_id FROM assessment) AND id <> $cycle ORDER BY opens DESC LIMIT 1")
unit=$(q "SELECT id FROM org_unit WHERE parent_id IS NULL ORDER BY id LIMIT 1")
unit_code=$(q "SELECT code FROM org_unit WHERE id = $unit")

# ---- the server ------------------------------------------------------------------
port=$(free_port)
start_ns=$(date +%s%N)
"$itss" serve --listen "127.0.0.1:$port" --db "$db" 2>"$tmp/itss.log" &
itss_pid=$!
base=http://127.0.0.1:$port
i=0
until curl -fs -o /dev/null "$base/healthz"; do
    i=$((i + 1))
    [ $i -gt 6000 ] && { tail "$tmp/itss.log" >&2; die "itss serve did not answer /healthz"; }
    kill -0 "$itss_pid" 2>/dev/null || { tail "$tmp/itss.log" >&2; die "itss serve exited"; }
    sleep 0.1
done
echo "# server up in $(( ($(date +%s%N) - start_ns) / 1000000 )) ms (the org columns are built at start)"
# login LOGIN PASSWORD: the Cookie header of a new session of LOGIN.
login() {
    jar=$tmp/cookies-$1
    curl -fs -c "$jar" -b "$jar" -o "$tmp/login.html" "$base/login" || die "GET /login failed"
    csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n 1)
    code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "login=$1" \
        --data-urlencode "password=$2" --data-urlencode "csrf=$csrf" "$base/login")
    [ "$code" = 303 ] || die "login as $1 answered $code, not 303"
    echo "Cookie: itss_session=$(awk '$6 == "itss_session" { print $7 }' "$jar")"
}
cookie=$(login "$user" "$password") || exit 1

# ---- nginx (optional) --------------------------------------------------------------
nport=""
if [ -n "$nginx" ]; then
    nport=$(free_port)
    mkdir -p "$tmp/nginx" "$tmp/www"
    chmod 755 "$tmp" "$tmp/www"
    cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server { listen 127.0.0.1:$nport; root $tmp/www; location / { } }
}
EOF
    "$nginx" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" -e "$tmp/nginx/error.log" 2>/dev/null &
    nginx_pid=$!
fi

pg_median() {   # pg_median a|b|c: the anchor's median ms, or empty
    [ -s "$pgres" ] || return 0
    awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$pgres" | median
}

# The server's time of the last answer to path ($1, without query) in its log.
server_ms() { awk -v p="$1" '$4 == p { t = $7 } END { sub(/ms$/, "", t); print t }' "$tmp/itss.log"; }

broken=0
tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$itss_pid/stat"; }
printf '%-34s %9s %9s %7s %9s %9s %8s %9s %s\n' view first_ms warm_ms cpu_ms curl_ms bytes nginx_ms ratio anchor
# view LABEL PATH?QUERY [ANCHOR]
view() {
    label=$1; url=$2; anchor=${3:-}
    path=${url%%\?*}
    out=$(curl -s -H "$cookie" -o "$tmp/body" -w '%{http_code} %{time_total}' "$base$url")
    code=${out%% *}; size=$(wc -c <"$tmp/body")
    if [ "$code" != 200 ] || [ "$size" -eq 0 ]; then
        printf '%-34s BROKEN: %s answered %s (%s bytes)\n' "$label" "$url" "$code" "$size"; broken=1; return
    fi
    first=$(server_ms "$path")
    : >"$tmp/warm"; : >"$tmp/curl"
    c0=$(cpu_ticks)
    j=0
    while [ $j -lt "$runs" ]; do
        t=$(curl -s -H "$cookie" -o /dev/null -w '%{time_total}' "$base$url")
        echo "$t" | awk '{ printf "%.1f\n", $1 * 1000 }' >>"$tmp/curl"
        server_ms "$path" >>"$tmp/warm"
        j=$((j + 1))
    done
    cpu=$(awk -v a="$c0" -v b="$(cpu_ticks)" -v n="$runs" -v t="$tck" 'BEGIN { printf "%.1f", (b - a) * 1000 / t / n }')
    warm=$(median <"$tmp/warm"); curlm=$(median <"$tmp/curl")
    nms="-"; ratio="-"; what=""
    if [ -n "$nport" ]; then
        cp "$tmp/body" "$tmp/www/page" && chmod 644 "$tmp/www/page"
        : >"$tmp/ng"; j=0
        while [ $j -lt "$runs" ]; do
            curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$nport/page" |
                awk '{ printf "%.2f\n", $1 * 1000 }' >>"$tmp/ng"
            j=$((j + 1))
        done
        nms=$(median <"$tmp/ng")
    fi
    if [ -n "$anchor" ]; then
        a=$(pg_median "$anchor")
        if [ -n "$a" ] && [ "$a" != - ]; then
            ratio=$(awk -v x="$warm" -v y="$a" 'BEGIN { printf "%.4f", x / y }')
            what="pg($anchor) $a ms"
        else
            what="pg($anchor): no $pgres"
        fi
    elif [ "$nms" != - ]; then
        ratio=$(awk -v x="$curlm" -v y="$nms" 'BEGIN { if (y > 0) printf "%.1f", x / y; else print "-" }')
        what="curl/nginx"
    fi
    printf '%-34s %9s %9s %7s %9s %9s %8s %9s %s\n' "$label" "$first" "$warm" "$cpu" "$curlm" "$size" "$nms" "$ratio" "$what"
}

view /hr "/hr?levels=self" a
view /hr/orgview "/hr/orgview?levels=self" b
view "/hr/orgview (a unit)" "/hr/orgview?levels=self&org=$unit" b
view "/hr/skillmap" "/hr/skillmap?levels=self" c
view "/hr/skillmap?spec=HW" "/hr/skillmap?levels=self&spec=HW" c
view /hr/trends "/hr/trends?levels=self"
view /hr/targets "/hr/targets?cycle=$cycle"
view "/hr/portfolio/people (all)" "/hr/portfolio/people?cycle=$cycle&levels=self"
view "/hr/portfolio/people HW L3" "/hr/portfolio/people?cycle=$cycle&compare=$compare&levels=self&spec=HW&level=3"
view "/hr/portfolio/people by name p9" "/hr/portfolio/people?cycle=$cycle&levels=self&sort=name&page=9"
view "/search HW>=3" "/search?cycle=$cycle&spec=HW&level=3&levels=self"
view "/search HW>=3 in a unit" "/search?cycle=$cycle&spec=HW&level=3&levels=self&org=$unit"
view "/search word" "/search?cycle=$cycle&word=%E4%BF%9D%E5%AE%88"
view "/api/v1/search HW>=3" "/api/v1/search?cycle=$cycle&spec=HW&level=3&levels=self"
view "/api/v1/search word" "/api/v1/search?cycle=$cycle&word=%E4%BF%9D%E5%AE%88"
view /home "/home"
view "/hr/org (the tree, one level)" "/hr/org"
view "/hr/plans" "/hr/plans?org=$unit"
view "/hr/people/new (the unit field)" "/hr/people/new"
# A manager's /home: the submissions of the people below them in the reporting
# line (the demo's manager: a section head; BENCH_MANAGER=LOGIN:PASSWORD another,
# as a head of many).
hr_cookie=$cookie
cookie=$(login "${BENCH_MANAGER%%:*}" "${BENCH_MANAGER#*:}") || exit 1
view "/home (manager ${BENCH_MANAGER%%:*})" "/home"
cookie=$hr_cookie
view "/hr/export/levels.csv" "/hr/export/levels.csv?cycle=$cycle&levels=self"
view "/hr/portfolio/people csv" "/hr/portfolio/people?cycle=$cycle&levels=self&spec=HW&level=3&format=csv"
view "/hr/export/org.xlsx" "/hr/export/org.xlsx?cycle=$cycle&levels=self"
[ "${BENCH_PDF:-1}" = 1 ] && view "/hr/export/org.pdf" "/hr/export/org.pdf?cycle=$cycle&levels=self"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg); times in ms; server = the access log's duration"
[ -s "$pgres" ] || echo "# PostgreSQL anchors: run /work/shared/anchors/pg_bench.sh (NS=$people) to fill $pgres"
exit $broken
