#!/usr/bin/env bash
# bench/run-sqlite.sh [OUT_DIR]: the sqlite measurements of docs/benchmarks.md in one command:
# eventstored with the sqlite backend on a file in its temporary folder (synchronous FULL), the
# plain SQLite loop of the same INSERTs on a file of the same settings in the same run
# (eventstore-bench --baseline sqlite), the no-op gRPC server taking the same single-event load
# (--baseline noop), and the live append-to-delivery latency. JSON per step and charts in OUT_DIR
# (default: bench-results/sqlite). Build first: scripts/build.sh eventstore_bench.
# REPEATS and DURATION (seconds) override the defaults, 3 and 10.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=${1:-bench-results/sqlite}
mkdir -p "$out"
common=(--backend sqlite --repeats "${REPEATS:-3}" --duration "${DURATION:-10}")

"$bench" --scenario append-distinct --baseline sqlite --concurrency 16 --events-per-append 1,100 \
  "${common[@]}" --json "$out/append.json"
# The ceiling of gRPC on this machine: the same single-event load against a no-op server.
"$bench" --scenario append-distinct --baseline noop --concurrency 16 --events-per-append 1 \
  "${common[@]}" --json "$out/append-noop.json"
"$bench" --scenario live --subscribers 1 --rate 1000 "${common[@]}" --json "$out/live.json"
/usr/bin/python3 "$root/bench/plot.py" "$out"/*.json --out "$out/charts"
