#!/usr/bin/env bash
# smoke_postgres_test.sh RUN_POSTGRES: bench/run-postgres.sh, the documented postgres benchmark
# command, with one short run per step: a private PostgreSQL, eventstored on it and pgbench as the
# baseline. Fails when the command fails, or when an append point lacks its pgbench ratio or the
# live point lost events.
set -euo pipefail
run_postgres=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

REPEATS=1 DURATION=1 "$run_postgres" "$out"

/usr/bin/python3 - "$out" <<'PY'
import json, sys
append = json.load(open(sys.argv[1] + "/append.json"))["points"]
assert len(append) == 2, f"expected appends of 1 and 100 events, got {len(append)} points"
for p in append:
    assert p["baseline"] == "pgbench" and p["ratio"] > 0, f"no pgbench ratio: {p}"
live = json.load(open(sys.argv[1] + "/live.json"))["points"]
assert live[0]["median"]["delivered_fraction_min"] == 1, f"live lost events: {live[0]}"
print("smoke: postgres ratios " + ", ".join(f"{p['ratio']:.2f}" for p in append))
PY
ls "$out"/charts/*.png >/dev/null
