#!/usr/bin/env bash
# bench/run-subscriptions.sh [OUT_DIR]: the subscription measurements of issue 14
# (docs/benchmarks.md, "Subscriptions at scale") on the memory backend, in one command: idle
# subscribers, fan-out with and without a stalled subscriber, the backend reads per commit, and
# catch-up with batches against ReadAll pages of 1,000 in the same run. JSON per step and the
# charts (bench/plot.py) in OUT_DIR (default: bench-results/subscriptions). Build first:
# scripts/build.sh eventstore_bench.
# REPEATS and DURATION (seconds) override the defaults, 3 and 5; IDLE_SUBSCRIBERS (default
# 10000) and IDLE_WINDOW (seconds, default 30) the idle step; CATCH_UP_EVENTS (default 1000000)
# the catch-up step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=${1:-bench-results/subscriptions}
mkdir -p "$out"
common=(--repeats "${REPEATS:-3}" --duration "${DURATION:-5}")

# Target 1: caught-up subscribers held by this one process; the server's threads, RSS and CPU.
"$bench" --scenario idle-subscribers --subscribers "${IDLE_SUBSCRIBERS:-10000}" \
  --idle-window "${IDLE_WINDOW:-30}" "${common[@]}" --json "$out/idle.json"
# Targets 2 and 5: 100 subscribers at 5,000 events/s, without and with one stalled subscriber,
# one event a message and batches of up to 500 (what the SDKs ask for).
"$bench" --scenario fan-out --subscribers 100 --rate 5000 --stalled 0,1 --max-batch-events 0,500 \
  "${common[@]}" --json "$out/fan-out-100.json"
# Target 2: 1,000 subscribers at 500 events/s.
"$bench" --scenario fan-out --subscribers 1000 --rate 500 --max-batch-events 0,500 "${common[@]}" \
  --json "$out/fan-out-1000.json"
# Target 4's figure on this backend: backend reads per commit at 1, 10 and 100 subscribers.
"$bench" --scenario live --subscribers 1,10,100 --rate 1000 "${common[@]}" \
  --json "$out/reads-per-commit.json"
# Target 3: one subscriber catching up, one event a message and batches of 1,000, against ReadAll
# pages of 1,000 over the same events.
"$bench" --scenario catch-up --baseline read-all --concurrency 1 \
  --seed-events "${CATCH_UP_EVENTS:-1000000}" --max-batch-events 0,1000 "${common[@]}" \
  --json "$out/catch-up.json"
/usr/bin/python3 "$root/bench/plot.py" "$out"/*.json --out "$out/charts"
