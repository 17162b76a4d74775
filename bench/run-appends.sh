#!/usr/bin/env bash
# bench/run-appends.sh [OUT_DIR]: every append scenario of the suite of record in one command, each
# with its baseline in the same run: memory (distinct streams at 1, 16 and 64 in flight; one hot
# stream; a Zipf spread) against the no-op server, sqlite against the plain SQLite loop and the
# no-op server, postgres (a private PostgreSQL with fsync on) against pgbench and the no-op
# server. What issue 15's before/after tables in docs/benchmarks.md come from. JSON per step in
# OUT_DIR (default: bench-results/appends). Build first: scripts/build.sh eventstore_bench.
# REPEATS and DURATION (seconds) override the defaults, 3 and 5.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=${1:-bench-results/appends}
mkdir -p "$out"
c=(--repeats "${REPEATS:-3}" --duration "${DURATION:-5}")
"$bench" --scenario append-distinct --baseline noop --concurrency 1,16,64 --events-per-append 1,100 "${c[@]}" --json "$out/mem-distinct.json"
"$bench" --scenario append-hot,append-zipf --baseline noop --concurrency 16 --events-per-append 1,100 "${c[@]}" --json "$out/mem-hot-zipf.json"
"$bench" --scenario append-distinct --baseline sqlite --backend sqlite --concurrency 16 --events-per-append 1,100 "${c[@]}" --json "$out/sqlite.json"
"$bench" --scenario append-distinct --baseline noop --backend sqlite --concurrency 16 --events-per-append 1 "${c[@]}" --json "$out/sqlite-noop.json"
EVENTSTORE_PG_FSYNC=on "$root/tests/postgres/pg_harness.sh" run bash -c "
  $bench --scenario append-distinct --baseline pgbench --backend postgres --concurrency 16 --events-per-append 1,100 ${c[*]} --json $out/pg.json &&
  $bench --scenario append-distinct --baseline noop --backend postgres --concurrency 16 --events-per-append 1 ${c[*]} --json $out/pg-noop.json"
