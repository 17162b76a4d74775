#!/usr/bin/env bash
# bench/profile-servers.sh OUT_PREFIX BENCH_ARGS...: runs eventstore-bench with BENCH_ARGS and
# records, with `perf record -F 2999` (PERF_ARGS adds options, e.g. -g), every eventstored it
# starts, one file each: OUT_PREFIX.1.perf.data for the first server (e.g. sqlite), .2 for the
# next (e.g. its --baseline memory), while OUT_PREFIX.bench.txt gets the bench's output. Each
# recording ends with its server. Read one with, e.g.,
#   perf report -i OUT_PREFIX.1.perf.data --no-children --sort dso,sym --time START,END
# (START and END from `perf script -F time`: leave out the seeding). Build first:
# scripts/build.sh eventstore_bench. docs/benchmarks.md, "Where a sqlite read's time goes".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${EVENTSTORE_BUILD_DIR:-$root/build}/bin/eventstore-bench
out=$1
shift
"$bench" "$@" >"$out.bench.txt" 2>&1 &
bench_pid=$!
seen=" "
servers=0
while kill -0 "$bench_pid" 2>/dev/null; do
  for pid in $(pgrep -P "$bench_pid" -x eventstored || true); do
    [[ $seen == *" $pid "* ]] && continue
    seen+="$pid "
    servers=$((servers + 1))
    # shellcheck disable=SC2086 # PERF_ARGS is a list of options
    perf record -F 2999 ${PERF_ARGS:-} -p "$pid" -o "$out.$servers.perf.data" >/dev/null 2>&1 &
  done
  sleep 0.2
done
status=0
wait "$bench_pid" || status=$?
wait
cat "$out.bench.txt"
exit "$status"
