#!/usr/bin/env bash
# bench/run-sqlite.sh [OUT_DIR]: the sqlite measurements of docs/benchmarks.md (issue 16's
# targets) in one command: eventstored with the sqlite backend on a file in its temporary folder
# (synchronous FULL), the plain SQLite loop of the same INSERTs on a file of the same settings in
# the same run (eventstore-bench --baseline sqlite), the no-op gRPC server taking the same
# single-event load (--baseline noop), catch-up and ReadStream pages over SEED_EVENTS events
# against an eventstored on the memory backend after each run (--baseline memory), the live
# append-to-delivery latency, and the growth of a fresh store to GROWTH_EVENTS events. JSON per
# step and charts in OUT_DIR (default: bench-results/sqlite). Build first:
# scripts/build.sh eventstore_bench.
# REPEATS and DURATION (seconds) override the defaults, 3 and 10; SEED_EVENTS and GROWTH_EVENTS
# the sizes, 1,000,000 and 10,000,000.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=${1:-bench-results/sqlite}
mkdir -p "$out"
common=(--backend sqlite --repeats "${REPEATS:-3}" --duration "${DURATION:-10}")
seed_events=${SEED_EVENTS:-1000000}

# Targets 1 and 2.
"$bench" --scenario append-distinct --baseline sqlite --concurrency 16 --events-per-append 1,100 \
  "${common[@]}" --json "$out/append.json"
# The ceiling of gRPC on this machine: the same single-event load against a no-op server.
"$bench" --scenario append-distinct --baseline noop --concurrency 16 --events-per-append 1 \
  "${common[@]}" --json "$out/append-noop.json"
# Target 4: sqlite ÷ memory, each run against sqlite followed by the same against memory.
"$bench" --scenario catch-up --baseline memory --concurrency 1 --seed-events "$seed_events" \
  "${common[@]}" --json "$out/catch-up.json"
"$bench" --scenario read-stream --baseline memory --concurrency 1,16 --page-size 100 \
  --seed-events "$seed_events" "${common[@]}" --json "$out/read-stream.json"
# Target 5.
"$bench" --scenario live --subscribers 1 --rate 1000 "${common[@]}" --json "$out/live.json"
# Target 6.
"$bench" --scenario growth --growth-events "${GROWTH_EVENTS:-10000000}" --payload 200 \
  --events-per-append 100 --concurrency 16 --page-size 100 "${common[@]}" --json "$out/growth.json"
/usr/bin/python3 "$root/bench/plot.py" "$out"/*.json --out "$out/charts"
