#!/usr/bin/env bash
# smoke_kurrent_test.sh EVENTSTORE_BENCH NOOP_SERVER: eventstore-bench --protocol kurrent (issue 17)
# against the no-op server as --target (its KurrentDB Streams service: bench/noop), with the same
# load through eventstore.v1 on it as the baseline, so the tool's KurrentDB client cannot rot: every
# scenario of the protocol present in the JSON, marked kurrent, events moved, a v1 ratio. Then the
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

check_json() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
points = json.load(open(sys.argv[1]))["points"]
scenarios = {p["scenario"] for p in points}
expected = {"append-distinct", "append-hot", "append-zipf", "catch-up"}
assert scenarios == expected, f"scenarios in the JSON: {sorted(scenarios)}"
for p in points:
    assert p["protocol"] == "kurrent", f"{p['scenario']} not through kurrent: {p}"
    assert p["median"]["events_per_s"] > 0, f"{p['scenario']} moved no events: {p['median']}"
    assert p["baseline"] == "v1" and p["ratio"] > 0, f"{p['scenario']} has no v1 ratio: {p}"
print("smoke kurrent: " + ", ".join(f"{p['scenario']} {p['ratio']:.2f}" for p in points))
PY
}

"$bench" --target "$address" --protocol kurrent --baseline v1 \
  --scenario append-distinct,append-hot,append-zipf,catch-up --concurrency 1,4 \
  --events-per-append 1,10 --duration 0.5 --warmup 0.1 --repeats 1 --seed-events 3000 \
  --json "$out/noop-target.json"
check_json "$out/noop-target.json"

refused() {
  local status=0
  "$bench" --target "$address" --duration 0.1 "$@" 2>"$out/err" || status=$?
  [[ $status == 2 ]] || { echo "expected a usage error (2) for $*, got $status"; exit 1; }
  grep -q -e '--protocol\|--baseline' "$out/err"
}
refused --protocol kurrent --scenario read-all
refused --protocol kurrent --scenario catch-up --max-batch-events 100
refused --baseline v1 --scenario append-distinct
refused --protocol kurrent2
echo "smoke kurrent: refused options ok"
