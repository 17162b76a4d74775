#!/usr/bin/env bash
# Configures (once) and builds the tree into build/ with Ninja and ccache. Extra arguments are
# ninja targets (default: everything). EVENTSTORE_BUILD_DIR picks another build dir, and
# EVENTSTORE_CMAKE_ARGS adds configure options to it (scripts/sanitize.sh and scripts/fuzz.sh
# use both).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EVENTSTORE_BUILD_DIR:-$root/build}
# Paths below the checkout are hashed relative to it, so ccache serves every clone of the repo.
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true

if [[ ! -f $build/build.ninja ]]; then
  # shellcheck disable=SC2086 # EVENTSTORE_CMAKE_ARGS is a list of options
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${EVENTSTORE_CMAKE_ARGS:-}
fi
cmake --build "$build" -- "$@"
