#!/usr/bin/env python3
"""bench/sqlite-ceiling.py: the most events a second SQLite itself can write into the sqlite
backend's schema on this machine, with no server, no client and no host language in the loop.

Each transaction is what the backend's writer commits for a group of concurrent appends:
`--appends-per-group` new streams of `--events-per-append` versions each, every row built and
inserted by SQLite in one `INSERT ... SELECT` over a recursive CTE (so no row crosses the
Python/C boundary), plus the streams' rows, then COMMIT. The file is made from the backend's own
migrations (plugins/sqlite/migrations), in WAL mode with the backend's default `synchronous`
(FULL; `--synchronous` to change it). Event ids are a fixed prefix and a counter, as
eventstore-bench's load sends them (bench/src/events.cpp), so the unique index on event ids grows
at its right edge in both. Python's standard `sqlite3` module calls the same Debian libsqlite3
the backend links.

This is a ceiling, not a baseline to beat: the backend does more per append (the expected
version, the event-id lookups, a savepoint, the server and gRPC around it). It answers whether a
target in events/s is within SQLite's reach at all (docs/benchmarks.md, "SQLite against UmaDB").

Prints one line per run and writes JSON (--json) with the medians."""

import argparse
import glob
import json
import os
import pathlib
import sqlite3
import statistics
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

INSERT_EVENTS = """
INSERT INTO events (global_position, stream_id, stream_version, event_id, type_name, content_type,
                    tenant_id, correlation_id, causation_id, headers, payload, recorded_at_us)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n LIMIT :rows)
SELECT NULL,
       CAST(printf('ceiling-stream-%d', (:first + i) / :per_stream) AS BLOB),
       (:first + i) % :per_stream + 1,
       CAST(printf('0c0ffee0-0000-0000-%04x-%012x', (:first + i) >> 48,
                   (:first + i) & 281474976710655) AS BLOB),
       CAST('BenchEvent' AS BLOB), CAST('application/octet-stream' AS BLOB),
       x'', x'', x'', x'', zeroblob(:payload), :now + i
FROM n"""

INSERT_STREAMS = """
INSERT INTO streams (stream_id, current_version, owner)
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n LIMIT :streams)
SELECT CAST(printf('ceiling-stream-%d', :first / :per_stream + i) AS BLOB), :per_stream, x''
FROM n"""


def create(path, synchronous):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA synchronous = {synchronous}")
    for migration in sorted(glob.glob(str(ROOT / "plugins/sqlite/migrations/*.sql"))):
        db.executescript(pathlib.Path(migration).read_text())
    return db


def run(db, first, per_stream, streams, payload, seconds):
    rows = per_stream * streams
    written = 0
    start, cpu_start = time.monotonic(), time.process_time()
    while time.monotonic() - start < seconds:
        params = {"rows": rows, "first": first + written, "per_stream": per_stream,
                  "streams": streams, "payload": payload, "now": time.time_ns() // 1000}
        db.execute("BEGIN IMMEDIATE")
        db.execute(INSERT_EVENTS, params)
        db.execute(INSERT_STREAMS, params)
        db.execute("COMMIT")
        written += rows
    elapsed, cpu = time.monotonic() - start, time.process_time() - cpu_start
    return {"events_per_s": written / elapsed, "transactions_per_s": written / rows / elapsed,
            "cpu_us_per_event": cpu / written * 1e6, "events": written, "seconds": elapsed}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events-per-append", type=int, default=100)
    parser.add_argument("--appends-per-group", type=int, default=16)
    parser.add_argument("--payload", type=int, default=200)
    parser.add_argument("--synchronous", default="FULL", choices=["FULL", "NORMAL", "OFF"])
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sqlite-ceiling-") as folder:
        db = create(os.path.join(folder, "ceiling.db"), args.synchronous)
        runs, first = [], 0
        for _ in range(args.repeats):
            figures = run(db, first, args.events_per_append, args.appends_per_group,
                          args.payload, args.duration)
            first += figures["events"]
            runs.append(figures)
            print(f"sqlite ceiling: {args.appends_per_group} appends x {args.events_per_append} "
                  f"events a transaction, synchronous {args.synchronous}: "
                  f"{figures['events_per_s']:,.0f} events/s "
                  f"({figures['transactions_per_s']:,.0f} transactions/s), "
                  f"{figures['cpu_us_per_event']:.2f} us of CPU per event; "
                  f"load average {os.getloadavg()[0]:.2f}", flush=True)
        db.close()
    median = {key: statistics.median(r[key] for r in runs)
              for key in ("events_per_s", "transactions_per_s", "cpu_us_per_event")}
    print(f"median: {median['events_per_s']:,.0f} events/s, "
          f"{median['cpu_us_per_event']:.2f} us of CPU per event")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(
            {"command": "bench/sqlite-ceiling.py", "parameters": vars(args), "runs": runs,
             "median": median, "cpus": os.cpu_count(),
             "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
             "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}, indent=1))


if __name__ == "__main__":
    main()
