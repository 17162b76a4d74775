#!/usr/bin/env bash
# Builds the .deb and .rpm packages (packaging/, docs/packaging.md) in a build of their own,
# configured for /usr (the plugin folder is then /usr/lib/<multiarch>/eventstore/plugins) and
# without the tests, so the development build in build/ is left as it is. Extra arguments go to
# ninja (e.g. -j1). Prints the folder that holds the packages.
#   EVENTSTORE_PACKAGE_BUILD_DIR   the build (default: build-packages beside build/; at the same
#                                  depth, its compile commands are build/'s, so ccache serves it
#                                  the objects build/ made, but for the few that know the prefix)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EVENTSTORE_PACKAGE_BUILD_DIR:-${EVENTSTORE_BUILD_DIR:-$root/build}-packages}
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true

# Configured every time (seconds), so that these settings hold in an existing build too. Full
# RELRO, as Debian's hardening flags give: only the links see it, so ccache still serves every
# object.
mkdir -p "$build"
now="-Wl,-z,relro,-z,now"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DBUILD_TESTING=OFF -DEVENTSTORE_PACKAGING=ON -DCMAKE_EXE_LINKER_FLAGS="$now" \
  -DCMAKE_SHARED_LINKER_FLAGS="$now" -DCMAKE_MODULE_LINKER_FLAGS="$now" >"$build/configure.log" \
  || { cat "$build/configure.log" >&2; echo "packages.sh: configure failed" >&2; exit 1; }
cmake --build "$build" -- "$@" >"$build/build.log" \
  || { cat "$build/build.log" >&2; echo "packages.sh: build failed" >&2; exit 1; }
rm -rf "$build/dist"
(cd "$build" && cpack -B "$build/dist" >"$build/cpack.log" 2>&1) \
  || { cat "$build/cpack.log" >&2; echo "packages.sh: cpack failed" >&2; exit 1; }
rm -rf "$build/dist/_CPack_Packages"
echo "$build/dist"
