#!/usr/bin/env bash
# bench/run-umadb.sh [OUT_DIR]: issue 16's target 3 in one command: the sqlite backend against
# UmaDB 0.7.8 (crates.io `umadb`, a durable event store server over gRPC) on the same disk, with
# the same load: 16 clients appending 1 and 100 new 200-byte events per call to distinct streams.
# Builds eventstore-bench (with eventstored and the sqlite plugin), installs UmaDB's server with
# cargo into the build dir, and builds UmaDB's load tool (bench/umadb, on umadb-client). Each
# repeat runs `eventstore-bench --backend sqlite` (eventstored on a file in its temporary folder,
# synchronous FULL), then the tool against a fresh UmaDB on a file in a temporary folder beside
# it (both under ${TMPDIR:-/tmp}), so both see the same machine; UmaDB is stopped after each
# repeat and on exit. JSON per step in OUT_DIR (default: bench-results/umadb), then the ratios
# sqlite ÷ UmaDB (bench/umadb/compare.py, target ≥ 1.2). REPEATS and DURATION (seconds)
# override the defaults, 3 and 10; CARGO_BUILD_JOBS limits cargo's parallel jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EVENTSTORE_BUILD_DIR:-$root/build}
out=${1:-bench-results/umadb}
repeats=${REPEATS:-3}
duration=${DURATION:-10}
mkdir -p "$out"

"$root/scripts/build.sh" eventstore_bench
cargo install umadb --version 0.7.8 --locked --root "$build/umadb" --quiet
cargo build --release --locked --quiet --manifest-path "$root/bench/umadb/Cargo.toml"
umadb=$build/umadb/bin/umadb
tool=$root/bench/umadb/target/release/umadb-bench

data=$(mktemp -d "${TMPDIR:-/tmp}/umadb-bench-XXXXXX")
umadb_pid=
stop_umadb() {
  if [[ -n $umadb_pid ]]; then
    kill "$umadb_pid" 2>/dev/null || true
    wait "$umadb_pid" 2>/dev/null || true
    umadb_pid=
  fi
  rm -f "$data/uma.db"
}
trap 'stop_umadb; rm -rf "$data"' EXIT

# A fresh UmaDB on $data/uma.db at a free port of 127.0.0.1; sets umadb_pid and port.
start_umadb() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$umadb" --listen "127.0.0.1:$port" --db-path "$data/uma.db" >>"$out/umadb-server.log" 2>&1 &
  umadb_pid=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
    if ! kill -0 "$umadb_pid" 2>/dev/null; then
      echo "run-umadb.sh: UmaDB exited at start; its log: $out/umadb-server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "run-umadb.sh: UmaDB does not listen on 127.0.0.1:$port after 10 s" >&2
  exit 1
}

load=(--concurrency 16 --events-per-append 1,100 --payload 200 --repeats 1 --duration "$duration")
for r in $(seq "$repeats"); do
  "$build/bin/eventstore-bench" --backend sqlite --scenario append-distinct "${load[@]}" \
    --json "$out/sqlite-$r.json"
  start_umadb
  "$tool" --server "http://127.0.0.1:$port" --server-pid "$umadb_pid" "${load[@]}" \
    --json "$out/umadb-$r.json"
  stop_umadb
done
python3 "$root/bench/umadb/compare.py" "$out"
