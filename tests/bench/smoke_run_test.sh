#!/usr/bin/env bash
# smoke_run_test.sh RUN_SCRIPT BASELINE: a documented storage benchmark command
# (bench/run-postgres.sh: a private PostgreSQL and pgbench; bench/run-sqlite.sh: a file and the
# plain SQLite loop) with one short run per step and small sizes. Fails when the command fails,
# or when an append point lacks its BASELINE ratio or the live point lost events; for sqlite,
# when catch-up or read-stream lacks its ratio to the memory backend, or growth its end/start
# ratios, its reads' server CPU per event and cores, and its file size.
set -euo pipefail
run_script=$1
baseline=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

REPEATS=1 DURATION=1 SEED_EVENTS=20000 GROWTH_EVENTS=200000 "$run_script" "$out"

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
if baseline == "sqlite":
    for step in ("catch-up", "read-stream"):
        for p in json.load(open(f"{sys.argv[1]}/{step}.json"))["points"]:
            assert p["baseline"] == "memory" and p["ratio"] > 0, f"{step}: no memory ratio: {p}"
            print(f"smoke: {step} sqlite/memory {p['ratio']:.2f}")
    growth = json.load(open(sys.argv[1] + "/growth.json"))["points"][0]["median"]
    for key in ("append_end_start", "read_all_end_start", "read_stream_early_end_start",
                "read_stream_late_end_start"):
        assert growth[key] > 0, f"growth: no {key}: {growth}"
    for read in ("read_all_start", "read_all_end", "read_stream_start", "read_stream_early_end",
                 "read_stream_late_end"):
        for figure in ("_server_cpu_us_per_event", "_server_cores"):
            assert growth.get(read + figure, 0) > 0, f"growth: no {read + figure}: {growth}"
    assert 0.5 < growth["file_over_raw"] < 100, f"growth: file size not read: {growth}"
    print(f"smoke: growth append end/start {growth['append_end_start']:.2f}, "
          f"file/raw {growth['file_over_raw']:.2f}")
PY
ls "$out"/charts/*.png >/dev/null
