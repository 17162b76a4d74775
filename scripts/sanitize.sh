#!/usr/bin/env bash
# Builds the server core, the memory and sqlite plugins and their tests with sanitizers and runs
# them, each kind in a build dir of its own (configured once, ccache shared with the normal build):
#   asan: build/asan, AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer, every server
#         test and the bad-input-over-the-wire tests against an instrumented eventstored, the
#         loader's asynchronous appends against misbehaving plugins, the sqlite plugin's tests and
#         the conformance suite (32 writers) against it and against the memory plugin;
#   tsan: build/tsan, ThreadSanitizer, the concurrency, subscription, id and token reload tests,
#         the loader's asynchronous appends (completions from plugin threads, late and twice),
#         and the conformance suite (32 writers) against the sqlite and the memory plugin (with
#         LifecycleRace: deletes and truncates racing appends and reads on 32 threads).
# Usage: scripts/sanitize.sh [asan] [tsan]   (default: both). Any report fails the run.
# EVENTSTORE_BUILD_JOBS=N limits ninja's parallel jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${EVENTSTORE_BUILD_DIR:-$root/build}
suppressions=$root/tests/sanitizers
kinds=("$@")
((${#kinds[@]})) || kinds=(asan tsan)

build() {  # build <dir> <-fsanitize list> <target>...
  local dir=$1 sanitize=$2
  shift 2
  EVENTSTORE_BUILD_DIR=$dir EVENTSTORE_CMAKE_ARGS="-DEVENTSTORE_SANITIZE=$sanitize" \
    "$root/scripts/build.sh" ${EVENTSTORE_BUILD_JOBS:+-j"$EVENTSTORE_BUILD_JOBS"} "$@"
}

run_asan() {
  local dir=$base/asan
  build "$dir" address,undefined server_tests wire_tests sqlite_backend_tests \
    eventstore_conformance eventstore_sqlite_plugin eventstore_memory_plugin async_append_test
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
  export LSAN_OPTIONS="suppressions=$suppressions/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  echo "== asan: server tests"
  "$dir/tests/server/server_tests" --gtest_brief=1
  echo "== asan: wire tests against an instrumented eventstored"
  "$dir/tests/wire/wire_tests" --gtest_brief=1
  echo "== asan: asynchronous appends against misbehaving plugins"
  "$dir/tests/loader/async_append_test" --gtest_brief=1
  echo "== asan: sqlite plugin's bad files and faults"
  "$dir/tests/sqlite/sqlite_backend_tests" --gtest_brief=1
  sqlite_conformance "$dir"
  memory_conformance "$dir"
}
sqlite_conformance() {  # sqlite_conformance <build dir>: the suite, 32 writers, on its sqlite.so
  echo "== $(basename "$1"): conformance of the sqlite plugin, 32 writers"
  "$root/tests/sqlite/run_conformance.sh" "$1/bin/eventstore-conformance" "$1/plugins/sqlite.so" \
    | tail -n 1
}
memory_conformance() {  # memory_conformance <build dir>: the suite, 32 writers, on its memory.so
  echo "== $(basename "$1"): conformance of the memory plugin, 32 writers"
  "$root/tests/conformance/run_conformance.sh" conformant:40 "$1/bin/eventstore-conformance" \
    --plugin "$1/plugins/memory.so" --writers 32 --gtest_brief=1
}

run_tsan() {
  local dir=$base/tsan
  build "$dir" thread server_tests eventstore_conformance eventstore_sqlite_plugin \
    eventstore_memory_plugin async_append_test
  # Debian's gRPC and Abseil are not instrumented; tests/sanitizers/tsan.supp says why they are
  # left out with ignore_noninstrumented_modules. history_size=7 keeps enough of each thread's
  # history that both stacks of a report are restored, so the race: entries of tsan.supp (which
  # name a grpcpp frame of either stack) match instead of failing on a lost stack.
  export TSAN_OPTIONS="suppressions=$suppressions/tsan.supp:ignore_noninstrumented_modules=1:halt_on_error=1:second_deadlock_stack=1:history_size=7"
  echo "== tsan: concurrency, subscription, id, token reload, stream lifecycle and KurrentDB Read tests"
  "$dir/tests/server/server_tests" --gtest_brief=1 \
    --gtest_filter='ConcurrencyTest.*:SubscribeTest.*:CheckpointTest.*:HandOverTest.*:FallingBehindTest.*:BatchTest.*:ManySubscribersTest.*:PollingTailTest.*:TimedCheckpointTest.*:UuidV7.*:TokenReloadConcurrencyTest.*:LifecycleTest.*:KurrentReadTest.*'
  echo "== tsan: asynchronous appends (completions from plugin threads, late, twice)"
  "$dir/tests/loader/async_append_test" --gtest_brief=1
  sqlite_conformance "$dir"
  memory_conformance "$dir"
}

for kind in "${kinds[@]}"; do
  case $kind in
    asan) run_asan ;;
    tsan) run_tsan ;;
    *) echo "scripts/sanitize.sh: unknown kind '$kind' (asan or tsan)" >&2; exit 2 ;;
  esac
done
