#!/usr/bin/env bash
# pg_harness.sh: a private, throw-away PostgreSQL for one test command. No system service is used.
#
#   pg_harness.sh run COMMAND [ARGS...]
#       initdb in a new temp folder, start the server (socket in that folder, TCP on a free
#       loopback port), create the database `eventstore`, export its DSN, run COMMAND, then stop
#       the server and remove the folder, whatever happened (trap, and a watchdog should this
#       script itself be killed). Exits with COMMAND's status.
#   pg_harness.sh stop | start
#       From inside COMMAND: stop the server (fast shutdown) or start it again, same folder and
#       port. Tests of outages use these.
#   pg_harness.sh crash | pause SECONDS
#       From inside COMMAND, for fault injection: `pg_ctl restart -m immediate` (every process
#       ends at once without a checkpoint, and the server recovers from its WAL), or SIGSTOP every
#       process of the server (the postmaster and its children) for SECONDS, then SIGCONT.
#
# Exported to COMMAND:
#   EVENTSTORE_PG_DSN   libpq DSN of the database, e.g. "host=/tmp/eventstore-pg.X port=N ..."
#   PGHOST PGPORT PGUSER PGDATABASE   the same, for psql and libpq defaults
#   EVENTSTORE_PG_HARNESS   this script's path;  EVENTSTORE_PG_DIR   the temp folder
#
# As root (CI), PostgreSQL runs as the `postgres` user (initdb refuses root). Server binaries:
# $PG_BIN, else the newest /usr/lib/postgresql/*/bin, else PATH. fsync is off unless
# EVENTSTORE_PG_FSYNC=on: the tests kill servers, not machines. EVENTSTORE_PG_OPTIONS adds server
# options (e.g. "-c shared_preload_libraries=pg_stat_statements" for a measurement).
set -euo pipefail

die() { echo "pg_harness: $*" >&2; exit 1; }

find_bin() {
    if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN"; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $newest ]]; then echo "$newest"; return; fi
    dirname "$(command -v initdb || die "no PostgreSQL server binaries (install postgresql)")"
}

# Runs a server binary as the user that owns the cluster.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_server() {
    as_owner "$PG_BIN/pg_ctl" -D "$EVENTSTORE_PG_DIR/data" -l "$EVENTSTORE_PG_DIR/server.log" \
        -w -t 60 -o "-p $PGPORT -k $EVENTSTORE_PG_DIR -c listen_addresses=127.0.0.1 \
        -c fsync=${EVENTSTORE_PG_FSYNC:-off} -c max_connections=300 -c shared_buffers=64MB ${EVENTSTORE_PG_OPTIONS:-}" \
        start >/dev/null || { cat "$EVENTSTORE_PG_DIR/server.log" >&2; die "the server did not start"; }
}

stop_server() {
    as_owner "$PG_BIN/pg_ctl" -D "$EVENTSTORE_PG_DIR/data" -m "${1:-fast}" -w -t 60 stop >/dev/null
}

restart_immediately() {
    as_owner "$PG_BIN/pg_ctl" -D "$EVENTSTORE_PG_DIR/data" -l "$EVENTSTORE_PG_DIR/server.log" \
        -m immediate -w -t 60 restart >/dev/null \
        || { cat "$EVENTSTORE_PG_DIR/server.log" >&2; die "the server did not restart"; }
}

pause_server() {
    local postmaster pids
    postmaster=$(head -n 1 "$EVENTSTORE_PG_DIR/data/postmaster.pid")
    # shellcheck disable=SC2207 # pids are words
    pids=($postmaster $(pgrep -P "$postmaster" || true))
    kill -STOP "${pids[@]}"
    sleep "$1"
    kill -CONT "${pids[@]}"
}

cleanup() {
    stop_server immediate 2>/dev/null || true
    rm -rf "$EVENTSTORE_PG_DIR"
}

run() {
    [[ $# -gt 0 ]] || die "usage: pg_harness.sh run COMMAND [ARGS...]"
    PG_BIN=$(find_bin)
    export PG_BIN
    local base=${TMPDIR:-/tmp}
    [[ $(id -u) -eq 0 ]] && base=/tmp  # the postgres user must reach it
    EVENTSTORE_PG_DIR=$(mktemp -d "$base/eventstore-pg.XXXXXX")
    export EVENTSTORE_PG_DIR
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    [[ $(id -u) -eq 0 ]] && chown postgres "$EVENTSTORE_PG_DIR"

    # Should this script be killed outright, the watchdog still stops the server. It is started
    # from a subshell that exits at once, so it is no descendant of this script: ctest, on a
    # timeout, kills the test's whole process tree, and the server (a daemon) would outlive it.
    local owner=$$
    (setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done
        $(declare -f as_owner stop_server cleanup)
        PG_BIN='$PG_BIN' EVENTSTORE_PG_DIR='$EVENTSTORE_PG_DIR' cleanup" \
        </dev/null >/dev/null 2>&1 &)

    as_owner "$PG_BIN/initdb" -D "$EVENTSTORE_PG_DIR/data" -U eventstore -A trust -E UTF8 \
        --locale=C --no-sync >"$EVENTSTORE_PG_DIR/initdb.log" 2>&1 \
        || { cat "$EVENTSTORE_PG_DIR/initdb.log" >&2; die "initdb failed"; }
    export PGHOST=$EVENTSTORE_PG_DIR PGPORT=$(free_port) PGUSER=eventstore PGDATABASE=eventstore
    start_server
    "$PG_BIN/createdb" eventstore
    export EVENTSTORE_PG_DSN="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$PGDATABASE"
    export EVENTSTORE_PG_HARNESS
    EVENTSTORE_PG_HARNESS=$(readlink -f "$0")

    local status=0
    "$@" || status=$?
    exit "$status"
}

case ${1:-} in
run) shift; run "$@" ;;
stop)
    [[ -n ${EVENTSTORE_PG_DIR:-} ]] || die "stop: not inside pg_harness.sh run"
    PG_BIN=$(find_bin); stop_server fast ;;
start)
    [[ -n ${EVENTSTORE_PG_DIR:-} ]] || die "start: not inside pg_harness.sh run"
    PG_BIN=$(find_bin); start_server ;;
crash)
    [[ -n ${EVENTSTORE_PG_DIR:-} ]] || die "crash: not inside pg_harness.sh run"
    PG_BIN=$(find_bin); restart_immediately ;;
pause)
    [[ -n ${EVENTSTORE_PG_DIR:-} ]] || die "pause: not inside pg_harness.sh run"
    [[ ${2:-} =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "usage: pg_harness.sh pause SECONDS"
    pause_server "$2" ;;
*) die "usage: pg_harness.sh run COMMAND [ARGS...] | stop | start | crash | pause SECONDS" ;;
esac
