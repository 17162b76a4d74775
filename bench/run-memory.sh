#!/usr/bin/env bash
# bench/run-memory.sh [OUT_DIR]: every memory-backend measurement of docs/benchmarks.md in one
# command: eventstored (memory) and the no-op server started from the build tree (build it first:
# scripts/build.sh eventstore_bench), each scenario with its baseline in the same run, JSON per
# step and the charts (bench/plot.py) in OUT_DIR (default: bench-results/memory).
# REPEATS and DURATION (seconds) override the defaults, 3 and 5.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=${1:-bench-results/memory}
mkdir -p "$out"
common=(--repeats "${REPEATS:-3}" --duration "${DURATION:-5}")

"$bench" --scenario append-distinct --baseline noop --concurrency 1,4,16,64 \
  --events-per-append 1,100 "${common[@]}" --json "$out/append-distinct.json"
"$bench" --scenario append-hot,append-zipf --baseline noop --concurrency 16 \
  --events-per-append 1,100 "${common[@]}" --json "$out/append-hot-zipf.json"
"$bench" --scenario read-stream,read-all --baseline noop --concurrency 1,4,16 --page-size 100 \
  "${common[@]}" --json "$out/reads.json"
"$bench" --scenario catch-up --baseline noop --concurrency 1 --seed-events 1000000 \
  "${common[@]}" --json "$out/catch-up.json"
"$bench" --scenario live --subscribers 10 --rate 1000 "${common[@]}" --json "$out/live-10.json"
"$bench" --scenario live --subscribers 100 --rate 5000 "${common[@]}" --json "$out/live-100.json"
"$bench" --scenario rss --rss-events 1000000 --payload 200 --repeats 1 --json "$out/rss.json"
/usr/bin/python3 "$root/bench/plot.py" "$out"/*.json --out "$out/charts"
