#!/usr/bin/env bash
# The README's second command, and all that CI runs: installs what is missing, builds everything,
# and runs every test (ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "${EVENTSTORE_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 600 -j2
