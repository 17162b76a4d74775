#!/usr/bin/env bash
# smoke_test.sh EVENTSTORE_BENCH PLOT_PY: every scenario of eventstore-bench for half a second,
# against the memory backend with the noop baseline (fan-out with a stalled subscriber, catch-up
# and live with and without batches), so the tool cannot rot. Fails when the tool
# fails, when a scenario is missing from its JSON, moved no events, or lacks its baseline ratio,
# or when the plot command makes no chart.
set -euo pipefail
bench=$1 plot=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bench" --scenario all --baseline noop --concurrency 1,4 --events-per-append 10 \
  --duration 0.5 --warmup 0.1 --repeats 1 --seed-events 3000 --subscribers 3 --rate 200 \
  --stalled 1 --max-batch-events 0,50 --idle-window 0.5 --rss-events 5000 --growth-events 20000 \
  --json "$out/results.json"

/usr/bin/python3 - "$out/results.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
points = results["points"]
scenarios = {p["scenario"] for p in points}
expected = {"append-distinct", "append-hot", "append-zipf", "read-stream", "read-all",
            "catch-up", "live", "fan-out", "idle-subscribers", "rss", "growth"}
assert scenarios == expected, f"scenarios in the JSON: {sorted(scenarios)}"
for p in points:
    median = p["median"]
    if p["scenario"] == "idle-subscribers":
        assert median["threads"] > 0 and "server_cores" in median, f"idle figures: {median}"
        continue
    assert median["events_per_s"] > 0, f"{p['scenario']} moved no events: {median}"
    if p["scenario"] not in ("live", "fan-out", "rss", "growth"):
        assert p["ratio"] > 0, f"{p['scenario']} has no ratio to the noop baseline"
    if p["scenario"] in ("live", "fan-out"):
        assert median["delivered_fraction_min"] == 1, f"{p['scenario']} lost events: {median}"
        assert median["out_of_order"] == 0, f"{p['scenario']} out of order: {median}"
        assert "p99_ms" in median, f"{p['scenario']} has no latency percentiles: {median}"
        assert median["subscription_reads"] > 0, f"no /metrics figures: {median}"
    if p["scenario"] == "fan-out":
        assert median["stalled_delivered_fraction"] == 1, f"the stalled one lost events: {median}"
        assert median["stalled_in_order"] == 1, f"the stalled one out of order: {median}"
        assert median["rss_peak_mib"] > 0, f"fan-out read no memory figure: {median}"
    if p["scenario"] == "growth":
        for key in ("append_end_start", "read_all_end_start", "read_stream_late_end_start"):
            assert median[key] > 0, f"growth has no {key}: {median}"
    if p["scenario"] == "rss":
        assert median["rss_mib"] > 0, f"rss read no memory figure: {median}"
print(f"smoke: {len(points)} points over {len(scenarios)} scenarios")
PY

/usr/bin/python3 "$plot" "$out/results.json" --out "$out/charts"
ls "$out"/charts/*.png >/dev/null
echo "smoke: charts $(ls "$out/charts" | tr '\n' ' ')"
