#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (see docs/real-clients.md in the shared docs):
#   .ci/postgres.sh start DIR   initdb into DIR, start on a free loopback port, wait until it
#                               accepts connections, print an Npgsql connection string
#   .ci/postgres.sh stop DIR    stop the server and delete DIR
# DIR must be an empty directory (e.g. from mktemp -d).
set -euo pipefail

bindir() {
    local initdb
    initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$initdb" ] || { echo "postgres.sh: no /usr/lib/postgresql/*/bin/initdb" >&2; return 1; }
    dirname "$initdb"
}

# Root cannot run postgres, so the server runs as the postgres user; anyone else runs it as
# themselves, which needs no sudo.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Tests run in parallel, each tracker with its own connection pool, and one test alone holds 50
# announces waiting on the database: the default 100 connections ran out under the whole suite, and
# an announce refused a connection is an announce that is never answered.
max_connections=500

start() {
    local dir="$1" bin port
    bin="$(bindir)"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U shoal >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; return 1; }
    # A free port can be taken between probing and binding; try a few.
    for _ in 1 2 3 4 5; do
        port="$(free_port)"
        if as_owner "$bin/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/log" \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=$max_connections" start >/dev/null; then
            for _ in $(seq 1 60); do
                if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U shoal; then
                    echo "Host=127.0.0.1;Port=$port;Username=shoal;Database=postgres"
                    return 0
                fi
                sleep 0.5
            done
            as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
        fi
    done
    echo "postgres.sh: server did not start; log:" >&2
    cat "$dir/log" >&2 || true
    return 1
}

stop() {
    local dir="$1" bin
    bin="$(bindir)"
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 ||
            as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start | stop) [ -n "${2:-}" ] && [ -d "$2" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
                  "$1" "$2" ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
