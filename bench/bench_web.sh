#!/bin/sh
# bench_web.sh [PAGE] - how fast `itss serve` answers the results page of one
# person, next to nginx serving a static file of the same size, measured in the
# same run on the same machine.
#
# The server keeps each assessment loaded and evaluated, and the page's detail
# and charts drawn, until the assessment changes (web_results.c): the run
# measures the page as users meet it after its first request, whose time is
# printed apart.
#
# Makes a demo database (itss demo) in a temporary directory, serves it with
# itss serve on a free port of 127.0.0.1, logs in once as the demo engineer
# (curl with a cookie jar: the login form's CSRF token, then the session
# cookie), and runs wrk (2 threads, 64 connections, 15 s, --latency) against
# PAGE (default /results, the engineer's own results) with that cookie, while
# sampling the server's resident memory. Then it saves the page's HTML as a
# file, serves it with nginx (a minimal configuration, another free port) and
# runs the same wrk. Prints requests/s, p50/p99 latency, RSS and the server's
# CPU time per request side by side with ratios (CPU per request is the figure
# that other work on the machine skews least), and whether the targets of
# issue 4 are met (>= 5,000 req/s,
# p99 < 20 ms, RSS < 50 MB). Every answer itss gave during the run must be
# 200: a run that measured redirects or errors is reported as broken (exit 1).
#
# Needs wrk, nginx and curl (apt-get install -y wrk nginx curl). Environment:
# ITSS_BIN (default ./itss), BENCH_DURATION (default 15s), BENCH_CONNECTIONS
# (64), BENCH_THREADS (2), BENCH_LOGIN / BENCH_PASSWORD (engineer /
# itss-demo-engineer), BENCH_SERVER_THREADS (itss serve --threads; default:
# two per core, at least 4).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
itss=${ITSS_BIN:-$root/itss}
page=${1:-/results}
duration=${BENCH_DURATION:-15s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
user=${BENCH_LOGIN:-engineer}
password=${BENCH_PASSWORD:-itss-demo-engineer}

die() { echo "bench_web: $*" >&2; exit 1; }
for tool in wrk curl; do
    command -v $tool >/dev/null 2>&1 || die "$tool is not installed (apt-get install -y wrk nginx curl)"
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || die "nginx is not installed (apt-get install -y nginx)"
[ -x "$itss" ] || die "no itss binary at $itss (run make first)"

tmp=$(mktemp -d /tmp/itss-bench-web-XXXXXX) || exit 1
itss_pid=""
nginx_pid=""
sampler_pid=""
cleanup() {
    [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null
    if [ -n "$itss_pid" ]; then
        kill -TERM "$itss_pid" 2>/dev/null
        wait "$itss_pid" 2>/dev/null
    fi
    [ -n "$nginx_pid" ] && sleep 0.3
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free TCP port of 127.0.0.1 (the kernel's pick, released at once).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Milliseconds from a wrk latency ("812.00us", "1.23ms", "1.02s", "2.00m").
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

# Runs wrk against URL with the extra arguments, into FILE; prints nothing.
run_wrk() {
    file=$1; url=$2; shift 2
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$file" 2>&1 ||
        { cat "$file" >&2; die "wrk failed against $url"; }
}
wrk_rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
wrk_pct() { to_ms "$(awk -v p="$2%" '$1 == p { print $2; exit }' "$1")"; }
wrk_requests() { sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$1"; }
# CPU time (user + system, clock ticks) used so far by the processes given.
cpu_ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
wrk_errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i }
         END { print n + 0 }' "$1"
}

# ---- itss ---------------------------------------------------------------------

"$itss" demo --db "$tmp/bench.db" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; die "itss demo failed"; }
port=$(free_port)
set -- --listen "127.0.0.1:$port" --db "$tmp/bench.db"
[ -n "${BENCH_SERVER_THREADS:-}" ] && set -- "$@" --threads "$BENCH_SERVER_THREADS"
"$itss" serve "$@" 2>"$tmp/itss.log" &
itss_pid=$!
base=http://127.0.0.1:$port
i=0
until curl -fs -o /dev/null "$base/healthz"; do
    i=$((i + 1))
    [ $i -gt 100 ] && { cat "$tmp/itss.log" >&2; die "itss serve did not answer /healthz"; }
    kill -0 "$itss_pid" 2>/dev/null || { cat "$tmp/itss.log" >&2; die "itss serve exited"; }
    sleep 0.1
done

# Log in once: the form's CSRF token (and its cookie), then the session cookie.
jar=$tmp/cookies
curl -fs -c "$jar" -b "$jar" -o "$tmp/login.html" "$base/login" || die "GET /login failed"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -n 1)
[ -n "$csrf" ] || die "no CSRF token in the login form"
code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "login=$user" --data-urlencode "password=$password" --data-urlencode "csrf=$csrf" \
    "$base/login")
[ "$code" = 303 ] || die "login as $user answered $code, not 303"
session=$(awk '$6 == "itss_session" { print $7 }' "$jar")
[ -n "$session" ] || die "no session cookie after logging in as $user"
cookie="Cookie: itss_session=$session"

# The page once, to check it and to give nginx the same bytes. This first
# answer is the one that loads and evaluates the assessment and draws the
# charts (the server keeps them for the requests after it): its time is
# reported apart.
mkdir -p "$tmp/www"
first=$(curl -s -H "$cookie" -o "$tmp/www/page.html" -w '%{http_code} %{time_total}' "$base$page")
code=${first%% *}
first_ms=$(awk -v s="${first#* }" 'BEGIN { printf "%.1f", s * 1000 }')
[ "$code" = 200 ] || die "GET $page as $user answered $code, not 200"
size=$(wc -c <"$tmp/www/page.html")

# The server's resident memory, sampled every 0.2 s while wrk runs.
load=$(cut -d' ' -f1-3 /proc/loadavg)
rss_before=$(ps -o rss= -p "$itss_pid" | tr -d ' ')
( while kill -0 "$itss_pid" 2>/dev/null; do ps -o rss= -p "$itss_pid"; sleep 0.2; done ) >"$tmp/rss" &
sampler_pid=$!
lines_before=$(wc -l <"$tmp/itss.log")
cpu_before=$(cpu_ticks "$itss_pid")
run_wrk "$tmp/wrk-itss" "$base$page" -H "$cookie"
cpu_itss=$(($(cpu_ticks "$itss_pid") - cpu_before))
kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null; sampler_pid=""
rss_max=$(sort -n "$tmp/rss" | tail -n 1 | tr -d ' ')
rss_after=$(ps -o rss= -p "$itss_pid" | tr -d ' ')

# Every answer to the page during the run must have been the page itself.
statuses=$(tail -n +"$((lines_before + 1))" "$tmp/itss.log" |
    awk -v p="$page" '$4 == p { n[$5]++ } END { for (s in n) printf "%s%s x%d", sep, s, n[s]; sep = ", " }')
bad=$(tail -n +"$((lines_before + 1))" "$tmp/itss.log" | awk -v p="$page" '$4 == p && $5 != 200' | wc -l)

# ---- nginx --------------------------------------------------------------------

nport=$(free_port)
mkdir -p "$tmp/nginx"
# nginx's workers run as another user (www-data, nobody) when started by root.
chmod 755 "$tmp" "$tmp/www" && chmod 644 "$tmp/www/page.html"
cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    types { text/html html; }
    server {
        listen 127.0.0.1:$nport;
        root $tmp/www;
        location / { }
    }
}
EOF
"$nginx" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" -e "$tmp/nginx/error.log" &
nginx_pid=$!
i=0
until curl -fs -o /dev/null "http://127.0.0.1:$nport/page.html"; do
    i=$((i + 1))
    [ $i -gt 100 ] && { tail -n 20 "$tmp/nginx/error.log" >&2; die "nginx did not start"; }
    sleep 0.1
done
nsize=$(curl -fs "http://127.0.0.1:$nport/page.html" | wc -c)
[ "$nsize" = "$size" ] || die "nginx served $nsize bytes, the page has $size"
nrss_max=0
( while kill -0 "$nginx_pid" 2>/dev/null; do
      # the master and its workers
      ps -o rss= --ppid "$nginx_pid" -p "$nginx_pid" | awk '{ s += $1 } END { print s }'
      sleep 0.2
  done ) >"$tmp/nrss" &
sampler_pid=$!
nginx_pids=$(ps -o pid= --ppid "$nginx_pid" -p "$nginx_pid")
cpu_before=$(cpu_ticks $nginx_pids)
run_wrk "$tmp/wrk-nginx" "http://127.0.0.1:$nport/page.html"
cpu_nginx=$(($(cpu_ticks $nginx_pids) - cpu_before))
kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null; sampler_pid=""
nrss_max=$(sort -n "$tmp/nrss" | tail -n 1 | tr -d ' ')

# ---- the report ---------------------------------------------------------------

i_rps=$(wrk_rps "$tmp/wrk-itss"); n_rps=$(wrk_rps "$tmp/wrk-nginx")
i_p50=$(wrk_pct "$tmp/wrk-itss" 50); n_p50=$(wrk_pct "$tmp/wrk-nginx" 50)
i_p99=$(wrk_pct "$tmp/wrk-itss" 99); n_p99=$(wrk_pct "$tmp/wrk-nginx" 99)
i_err=$(wrk_errors "$tmp/wrk-itss"); n_err=$(wrk_errors "$tmp/wrk-nginx")
i_n=$(wrk_requests "$tmp/wrk-itss"); n_n=$(wrk_requests "$tmp/wrk-nginx")
hz=$(getconf CLK_TCK)

echo "== bench_web: GET $page as $user, $size bytes; wrk -t$threads -c$connections -d$duration --latency; $(nproc) cores"
echo "   load average before the runs: $load (other work on the machine skews both columns)"
awk -v irps="$i_rps" -v nrps="$n_rps" -v ip50="$i_p50" -v np50="$n_p50" -v ip99="$i_p99" -v np99="$n_p99" \
    -v irss="$rss_max" -v nrss="$nrss_max" -v ierr="$i_err" -v nerr="$n_err" \
    -v icpu="$cpu_itss" -v ncpu="$cpu_nginx" -v in_="$i_n" -v nn="$n_n" -v hz="$hz" 'BEGIN {
    icus = in_ ? icpu * 1e6 / hz / in_ : 0; ncus = nn ? ncpu * 1e6 / hz / nn : 0
    printf "%-22s %14s %14s %12s\n", "", "itss serve", "nginx static", "itss/nginx"
    printf "%-22s %14.0f %14.0f %12.2f\n", "requests/s", irps, nrps, nrps ? irps / nrps : 0
    printf "%-22s %14.2f %14.2f %12.2f\n", "latency p50 (ms)", ip50, np50, np50 ? ip50 / np50 : 0
    printf "%-22s %14.2f %14.2f %12.2f\n", "latency p99 (ms)", ip99, np99, np99 ? ip99 / np99 : 0
    printf "%-22s %14.1f %14.1f %12.2f\n", "max RSS (MB)", irss / 1024, nrss / 1024, nrss ? irss / nrss : 0
    printf "%-22s %14.0f %14.0f %12.2f\n", "server CPU us/request", icus, ncus, ncus ? icus / ncus : 0
    printf "%-22s %14d %14d\n", "errors, non-2xx/3xx", ierr, nerr
}'
awk -v c="$cpu_itss" -v n="$i_n" -v hz="$hz" -v k="$(nproc)" 'BEGIN { if (c) printf \
    "itss CPU per request (user + system) barely depends on other load: at that cost %d cores alone (no wrk, nothing else) could serve %.0f req/s\n", k, n * hz * k / c }'
echo "itss first answer to $page (nothing kept yet: loads, evaluates, draws): $first_ms ms"
echo "itss RSS: $((rss_before / 1024)) MB before the run, $((rss_max / 1024)) MB at most during it, $((rss_after / 1024)) MB after"
echo "itss answers to $page during the run (from its access log): $statuses"
awk -v rps="$i_rps" -v p99="$i_p99" -v rss="$rss_max" 'BEGIN {
    printf "targets: requests/s >= 5000: %s (%.0f); p99 < 20 ms: %s (%.2f ms); RSS < 50 MB: %s (%.1f MB)\n",
        (rps >= 5000 ? "met" : "MISSED"), rps, (p99 < 20 ? "met" : "MISSED"), p99,
        (rss < 50 * 1024 ? "met" : "MISSED"), rss / 1024
}'
if [ "$bad" -ne 0 ] || [ "$i_err" -ne 0 ]; then
    die "broken run: itss answered $bad requests for $page with another status than 200 ($statuses), wrk counted $i_err errors"
fi
