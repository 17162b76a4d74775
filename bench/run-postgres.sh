#!/usr/bin/env bash
# bench/run-postgres.sh [OUT_DIR]: the postgres measurements of docs/benchmarks.md in one command:
# a private PostgreSQL (tests/postgres/pg_harness.sh: initdb in a temp folder, free port, always
# stopped), eventstored with the postgres backend on it, pgbench doing the same INSERTs in the
# same run (eventstore-bench --baseline pgbench), and a no-op gRPC server taking the same
# single-event load (--baseline noop). JSON per step and charts in OUT_DIR (default:
# bench-results/postgres). Build first: scripts/build.sh eventstore_bench.
# REPEATS and DURATION (seconds) override the defaults, 3 and 10; EVENTSTORE_PG_FSYNC=on
# measures with fsync (pg_harness.sh's default is off).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${EVENTSTORE_PG_DSN:-} ]]; then
  exec "$root/tests/postgres/pg_harness.sh" run "$0" "$@"
fi
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=${1:-bench-results/postgres}
mkdir -p "$out"
common=(--backend postgres --repeats "${REPEATS:-3}" --duration "${DURATION:-10}")

# Live first, on the fresh database: after the bulk appends below PostgreSQL checkpoints the
# hundreds of MiB they wrote, and its stalls, not this backend, make the tail (docs/benchmarks.md).
"$bench" --scenario live --subscribers 1 --rate 1000 "${common[@]}" --json "$out/live.json"
"$bench" --scenario append-distinct --baseline pgbench --concurrency 16 --events-per-append 1,100 \
  "${common[@]}" --json "$out/append.json"
# The ceiling of gRPC on this machine: the same single-event load against a no-op server.
"$bench" --scenario append-distinct --baseline noop --concurrency 16 --events-per-append 1 \
  "${common[@]}" --json "$out/append-noop.json"
/usr/bin/python3 "$root/bench/plot.py" "$out"/*.json --out "$out/charts"
