#!/usr/bin/env bash
# smoke_kurrent_test.sh EVENTSTORE_BENCH NOOP_SERVER: eventstore-bench --protocol kurrent (issue 17)
# against the no-op server as --target (its KurrentDB Streams service: bench/noop), with the same
# load through eventstore.v1 on it as the baseline, so the tool's KurrentDB client cannot rot: every
# scenario of the protocol present in the JSON, marked kurrent, events moved, a v1 ratio; the
# appends again through BatchAppend (--kurrent-append batch, marked kurrent-batch). Then the
# options the protocol refuses (scenarios it does not run, batches, --baseline v1 without it).
set -euo pipefail
bench=$1 noop=$2
out=$(mktemp -d)
"$noop" --listen 127.0.0.1:0 2>"$out/noop.log" &
noop_pid=$!
trap 'kill $noop_pid; wait $noop_pid || true; rm -rf "$out"' EXIT
for _ in $(seq 50); do
  grep -q 'listening on' "$out/noop.log" && break
  sleep 0.1
done
address=$(sed -n 's/.*listening on //p' "$out/noop.log")

check_json() { # FILE LOAD SCENARIOS...
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
points = json.load(open(sys.argv[1]))["points"]
load = sys.argv[2]
scenarios = {p["scenario"] for p in points}
expected = set(sys.argv[3:])
assert scenarios == expected, f"scenarios in the JSON: {sorted(scenarios)}"
for p in points:
    assert p["protocol"] == load, f"{p['scenario']} not through {load}: {p}"
    assert p["median"]["events_per_s"] > 0, f"{p['scenario']} moved no events: {p['median']}"
    assert p["baseline"] == "v1" and p["ratio"] > 0, f"{p['scenario']} has no v1 ratio: {p}"
print(f"smoke {load}: " + ", ".join(f"{p['scenario']} {p['ratio']:.2f}" for p in points))
PY
}

"$bench" --target "$address" --protocol kurrent --baseline v1 \
  --scenario append-distinct,append-hot,append-zipf,catch-up --concurrency 1,4 \
  --events-per-append 1,10 --duration 0.5 --warmup 0.1 --repeats 1 --seed-events 3000 \
  --json "$out/noop-target.json"
check_json "$out/noop-target.json" kurrent append-distinct append-hot append-zipf catch-up
# BatchAppend: long-lived streams, closed at the end of each run.
"$bench" --target "$address" --protocol kurrent --kurrent-append batch --baseline v1 \
  --scenario append-distinct,append-hot --concurrency 1,4 --events-per-append 1,10 \
  --duration 0.5 --warmup 0.1 --repeats 2 --json "$out/noop-batch.json"
check_json "$out/noop-batch.json" kurrent-batch append-distinct append-hot

refused() {
  local status=0
  "$bench" --target "$address" --duration 0.1 "$@" 2>"$out/err" || status=$?
  [[ $status == 2 ]] || { echo "expected a usage error (2) for $*, got $status"; exit 1; }
  grep -q -e '--protocol\|--baseline\|--kurrent-append' "$out/err"
}
refused --protocol kurrent --scenario read-all
refused --protocol kurrent --scenario catch-up --max-batch-events 100
refused --baseline v1 --scenario append-distinct
refused --protocol kurrent2
refused --kurrent-append batch --scenario append-distinct
refused --protocol kurrent --kurrent-append batches --scenario append-distinct
echo "smoke kurrent: refused options ok"
