#!/usr/bin/env bash
# bench/run-kurrent.sh [OUT_DIR]: issue 17's throughput target on the memory backend in one
# command: the same load through KurrentDB's protocol (Streams.BatchAppend as the Node client
# appends, Streams.Append as the Python client appends one event, a $all subscription with
# Streams.Read) and through eventstore.v1 on the same eventstored, alternately in the same run
# (eventstore-bench --protocol kurrent --baseline v1: ratio = kurrent ÷ v1, target ≥ 0.8):
# single-event appends from 16 clients, and one subscriber catching up through CATCH_UP_EVENTS
# events. Then both against the no-op server's KurrentDB service (--baseline noop), the
# protocol's ceiling on this machine. JSON per step in OUT_DIR (default: bench-results/kurrent).
# Build first: scripts/build.sh eventstore_bench. REPEATS and DURATION (seconds) override the
# defaults, 3 and 5; CATCH_UP_EVENTS (default 1000000) the catch-up step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=${1:-bench-results/kurrent}
mkdir -p "$out"
common=(--protocol kurrent --repeats "${REPEATS:-3}" --duration "${DURATION:-5}")
appends=(--scenario append-distinct --concurrency 16 --events-per-append 1)
catch_up=(--scenario catch-up --concurrency 1 --seed-events "${CATCH_UP_EVENTS:-1000000}")

"$bench" "${appends[@]}" --kurrent-append batch --baseline v1 "${common[@]}" \
  --json "$out/batch-append.json"
"$bench" "${appends[@]}" --baseline v1 "${common[@]}" --json "$out/append.json"
"$bench" "${catch_up[@]}" --baseline v1 "${common[@]}" --json "$out/catch-up.json"
"$bench" "${appends[@]}" --kurrent-append batch --baseline noop "${common[@]}" \
  --json "$out/batch-append-noop.json"
"$bench" "${appends[@]}" --baseline noop "${common[@]}" --json "$out/append-noop.json"
"$bench" "${catch_up[@]}" --baseline noop "${common[@]}" --json "$out/catch-up-noop.json"
