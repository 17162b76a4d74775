#!/usr/bin/env bash
# smoke_run_test.sh RUN_SCRIPT BASELINE: a documented storage benchmark command
# (bench/run-postgres.sh: a private PostgreSQL and pgbench; bench/run-sqlite.sh: a file and the
# plain SQLite loop) with one short run per step. Fails when the command fails, or when an append
# point lacks its BASELINE ratio or the live point lost events.
set -euo pipefail
run_script=$1
baseline=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

REPEATS=1 DURATION=1 "$run_script" "$out"

/usr/bin/python3 - "$out" "$baseline" <<'PY'
import json, sys
baseline = sys.argv[2]
append = json.load(open(sys.argv[1] + "/append.json"))["points"]
assert len(append) == 2, f"expected appends of 1 and 100 events, got {len(append)} points"
for p in append:
    assert p["baseline"] == baseline and p["ratio"] > 0, f"no {baseline} ratio: {p}"
live = json.load(open(sys.argv[1] + "/live.json"))["points"]
assert live[0]["median"]["delivered_fraction_min"] == 1, f"live lost events: {live[0]}"
print(f"smoke: {baseline} ratios " + ", ".join(f"{p['ratio']:.2f}" for p in append))
PY
ls "$out"/charts/*.png >/dev/null
