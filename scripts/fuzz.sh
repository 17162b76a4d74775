#!/usr/bin/env bash
# Builds the fuzz targets of tests/fuzz with clang, libFuzzer, ASan and UBSan in a build dir of
# their own (build/fuzz, configured once) and runs each for EVENTSTORE_FUZZ_SECONDS (default 30)
# from the committed corpus (tests/fuzz/corpus/<target>) and what earlier runs found
# (build/fuzz/corpus/<target>). A crash or broken invariant fails the run; its input is left in
# build/fuzz/artifacts/. Commit it as tests/fuzz/corpus/<target>/regression-<what> with the fix:
# the normal build replays the corpus (ctest Fuzz.replay.<target>).
# EVENTSTORE_BUILD_JOBS=N limits ninja's parallel jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${EVENTSTORE_BUILD_DIR:-$root/build}/fuzz
seconds=${EVENTSTORE_FUZZ_SECONDS:-30}
targets=(service abi)

CC=clang CXX=clang++ EVENTSTORE_BUILD_DIR=$dir \
  EVENTSTORE_CMAKE_ARGS="-DEVENTSTORE_FUZZ=ON -DEVENTSTORE_SANITIZE=address,undefined" \
  "$root/scripts/build.sh" ${EVENTSTORE_BUILD_JOBS:+-j"$EVENTSTORE_BUILD_JOBS"} \
  "${targets[@]/%/_fuzzer}"

# The targets and the plugin share clang's ASan runtime (cmake/Sanitizers.cmake), which must be
# the first library loaded; -fsanitize=fuzzer puts libstdc++ before it, so it is preloaded.
export LD_PRELOAD
LD_PRELOAD=$(clang -print-file-name=libclang_rt.asan-x86_64.so)
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for target in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$target" "$dir/artifacts"
  echo "== fuzzing $target for ${seconds}s"
  "$dir/tests/fuzz/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target-" \
    "$dir/corpus/$target" "$root/tests/fuzz/corpus/$target"
done
