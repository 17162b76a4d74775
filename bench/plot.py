#!/usr/bin/python3
"""Charts of eventstore-bench results (its --json files) as PNG, for docs/benchmarks.md.

    python3 bench/plot.py RESULTS.json [MORE.json ...] --out DIR

Makes, from every point of the given files:
  throughput-<scenario>.png  events/s against concurrency, the project's server and its baseline,
                             one line per events-per-append (scenarios measured at several
                             concurrencies)
  latency.png                p50 / p99 / p99.9 of every point that measured latencies
  ratios.png                 project / baseline events/s of every point that has a baseline
Uses Debian's python3-matplotlib (scripts/install-deps.sh).
"""
import argparse
import json
import os
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

SHORT = {"concurrency": "c", "events_per_append": "e", "payload": "p", "page_size": "page",
         "seed_events": "n", "subscribers": "subs", "rate": "rate", "events": "n",
         "max_batch_events": "batch", "idle_window_s": "idle_s"}


def label(point):
    params = " ".join(f"{SHORT.get(k, k)}={v:g}" for k, v in sorted(point["parameters"].items())
                      if k not in ("payload", "seed_events"))
    return f"{point['scenario']} {point['server']} {params}"


def throughput_charts(points, out):
    by_scenario = defaultdict(list)
    for p in points:
        if "concurrency" in p["parameters"]:
            by_scenario[(p["scenario"], p["server"])].append(p)
    made = []
    for (scenario, server), group in sorted(by_scenario.items()):
        if len({p["parameters"]["concurrency"] for p in group}) < 2:
            continue
        fig, ax = plt.subplots(figsize=(7, 4.5))
        lines = defaultdict(list)
        for p in group:
            e = p["parameters"].get("events_per_append")
            tag = f" e={e:g}" if e is not None else ""
            c = p["parameters"]["concurrency"]
            lines[(server + tag, "-o")].append((c, p["median"]["events_per_s"]))
            if "baseline_median" in p:
                lines[(p["baseline"] + tag, "--s")].append((c, p["baseline_median"]["events_per_s"]))
        for (name, style), values in sorted(lines.items()):
            values.sort()
            ax.plot([v[0] for v in values], [v[1] for v in values], style, label=name)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("concurrency (calls in flight)")
        ax.set_ylabel("events/s (median)")
        ax.set_title(f"{scenario}: throughput against concurrency")
        ax.grid(True, alpha=0.3)
        ax.legend()
        name = f"throughput-{scenario}-{server}.png"
        fig.tight_layout()
        fig.savefig(os.path.join(out, name), dpi=100)
        plt.close(fig)
        made.append(name)
    return made


def bar_chart(out, name, title, ylabel, labels, series, log=False):
    fig, ax = plt.subplots(figsize=(max(7, 0.9 * len(labels) + 3), 5))
    width = 0.8 / len(series)
    for i, (series_name, values) in enumerate(series):
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
        ax.bar(xs, values, width, label=series_name)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=35, ha="right", fontsize=8)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    if len(series) > 1:
        ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=100)
    plt.close(fig)
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", help="JSON files written by eventstore-bench --json")
    parser.add_argument("--out", required=True, help="folder for the PNG files (made if missing)")
    args = parser.parse_args()
    points = []
    for path in args.results:
        with open(path) as f:
            points += json.load(f)["points"]
    os.makedirs(args.out, exist_ok=True)

    made = throughput_charts(points, args.out)
    timed = [p for p in points if "p99_ms" in p["median"]]
    if timed:
        made.append(bar_chart(
            args.out, "latency.png", "latency percentiles (medians of runs)", "ms (log scale)",
            [label(p) for p in timed],
            [(k, [p["median"].get(f"{k}_ms", 0) for p in timed]) for k in ("p50", "p99", "p999")],
            log=True))
    compared = [p for p in points if "ratio" in p]
    if compared:
        made.append(bar_chart(
            args.out, "ratios.png", "project / baseline, events/s", "ratio",
            [f"{label(p)} vs {p['baseline']}" for p in compared],
            [("ratio", [p["ratio"] for p in compared])]))
    if not made:
        raise SystemExit("plot.py: no point to chart in " + ", ".join(args.results))
    print("wrote " + ", ".join(os.path.join(args.out, m) for m in made))


if __name__ == "__main__":
    main()
