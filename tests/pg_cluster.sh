# pg_cluster.sh - sourced by the tests that run against PostgreSQL: starts a
# private cluster (initdb into a temporary directory, a free port on 127.0.0.1,
# C locale so that text sorts as in SQLite), creates a database, and stops it
# when the test exits. No system service is used. As root the server runs as the
# user postgres (PostgreSQL refuses root). Sets PG_URL, or PG_SKIP with the reason
# when PostgreSQL is not installed.
#
#   . tests/pg_cluster.sh; pg_start "$T" || { echo "ok - ... # SKIP $PG_SKIP"; exit 0; }
#   pg_createdb NAME   -> prints postgres://...NAME
#   (pg_stop runs from the caller's cleanup)

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_SKIP=""
PG_URL=""
pg_dir=""
pg_as=""

# Starts the cluster under $1/pg; 1 (with PG_SKIP) when PostgreSQL is missing.
pg_start() {
    if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
        PG_SKIP="PostgreSQL is not installed (apt-get install postgresql)"
        return 1
    fi
    pg_dir=$1/pg
    mkdir -p "$pg_dir"
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1; then PG_SKIP="no user postgres to run the server as root"; return 1; fi
        chown -R postgres "$1" 2>/dev/null || chown postgres "$pg_dir"
        chmod 755 "$1"
        pg_as="runuser -u postgres --"
    fi
    $pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U itss --auth=trust --no-locale -E UTF8 >"$pg_dir/initdb.log" 2>&1 || {
        PG_SKIP="initdb failed: $(tail -n 1 "$pg_dir/initdb.log")"; return 1; }
    pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    $pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start \
        >"$pg_dir/pg_ctl.log" 2>&1 || { PG_SKIP="the server did not start: $(tail -n 3 "$pg_dir/server.log")"; return 1; }
    PG_URL="postgres://itss@127.0.0.1:$pg_port"
    return 0
}

# Creates database $1 and prints its URL.
pg_createdb() {
    $pg_as "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U itss "$1" >/dev/null 2>&1 && echo "$PG_URL/$1"
}

# Stops the cluster (fast: the test is over).
pg_stop() {
    [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ] && $pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
    pg_dir=""
}
