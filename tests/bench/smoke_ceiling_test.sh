#!/usr/bin/env bash
# smoke_ceiling_test.sh SQLITE_CEILING: bench/sqlite-ceiling.py on a tiny load, so the measure of
# what SQLite alone writes (issue 16) cannot rot: its rows must still fit the sqlite backend's
# migrations (a constraint they break fails the script), and its JSON must count whole groups of
# appends, at the rate of transactions it reports.
set -euo pipefail
ceiling=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 "$ceiling" --events-per-append 5 --appends-per-group 3 --duration 0.3 \
  --repeats 2 --json "$out/ceiling.json"
/usr/bin/python3 - "$out/ceiling.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
runs = report["runs"]
assert len(runs) == 2, f"runs: {runs}"
group = 5 * 3
for run in runs:
    assert run["events"] > 0 and run["events"] % group == 0, f"not whole groups of {group}: {run}"
    rate = run["transactions_per_s"] * group
    assert abs(rate - run["events_per_s"]) <= 1e-6 * rate, f"events/s is not transactions x {group}: {run}"
    assert run["cpu_us_per_event"] > 0, f"no CPU measured: {run}"
assert report["median"]["events_per_s"] > 0, report["median"]
print(f"smoke ceiling: {report['median']['events_per_s']:,.0f} events/s in groups of {group}")
PY
