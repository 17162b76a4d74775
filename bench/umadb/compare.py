#!/usr/bin/python3
"""Issue 16's target 3 from the JSON files of bench/run-umadb.sh: sqlite ÷ UmaDB in events/s.

    python3 bench/umadb/compare.py OUT_DIR

Reads OUT_DIR/sqlite-*.json (eventstore-bench --backend sqlite) and OUT_DIR/umadb-*.json
(bench/umadb's load tool), one measured run per point and file. For each events-per-append, the
median over the files of events/s, appends/s, p50, p99 and the server's CPU per event of each
side, and the ratio of the medians (target ≥ 1.2). Prints a table and writes
OUT_DIR/summary.json.
"""
import glob
import json
import os
import statistics
import sys

TARGET = 1.2
FIGURES = ("events_per_s", "calls_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_event")


def medians(pattern):
    """{events_per_append: {figure: median over the files' runs}} and the files' load averages."""
    runs, loads = {}, []
    files = sorted(glob.glob(pattern))
    if not files:
        sys.exit(f"compare.py: no file matches {pattern}")
    for path in files:
        with open(path) as f:
            report = json.load(f)
        loads.append(report["load_average"])
        for point in report["points"]:
            events = int(point["parameters"]["events_per_append"])
            runs.setdefault(events, []).extend(point["runs"])
    return {events: {k: statistics.median(r.get(k, float("nan")) for r in rs) for k in FIGURES}
            for events, rs in runs.items()}, loads


def main():
    out = sys.argv[1]
    sqlite, sqlite_loads = medians(os.path.join(out, "sqlite-*.json"))
    umadb, umadb_loads = medians(os.path.join(out, "umadb-*.json"))
    rows = []
    print(f"{'events/append':<14} {'side':<7} {'events/s':>10} {'appends/s':>10} "
          f"{'p50 ms':>8} {'p99 ms':>8} {'server µs/event':>16}")
    for events in sorted(set(sqlite) & set(umadb)):
        for side, figures in (("sqlite", sqlite[events]), ("umadb", umadb[events])):
            print(f"{events:<14} {side:<7} {figures['events_per_s']:>10.0f} "
                  f"{figures['calls_per_s']:>10.0f} {figures['p50_ms']:>8.2f} "
                  f"{figures['p99_ms']:>8.2f} {figures['server_cpu_us_per_event']:>16.1f}")
        ratio = sqlite[events]["events_per_s"] / umadb[events]["events_per_s"]
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(f"{events:<14} ratio sqlite/umadb {ratio:.2f} (target >= {TARGET}: {verdict})")
        rows.append({"events_per_append": events, "sqlite": sqlite[events],
                     "umadb": umadb[events], "ratio": ratio, "target": TARGET})
    print("load averages: sqlite runs " + ", ".join(sqlite_loads) +
          "; umadb runs " + ", ".join(umadb_loads))
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump({"points": rows, "load_averages": {"sqlite": sqlite_loads,
                                                     "umadb": umadb_loads}}, f, indent=2)


if __name__ == "__main__":
    main()
