#!/usr/bin/env bash
# The README's second command, and all that CI runs: installs what is missing, builds everything,
# runs every test (ctest, which includes the bounded fuzzing run and the soak), then the server
# and its tests under ASan+UBSan and TSan (scripts/sanitize.sh). docs/testing.md has the details.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "${EVENTSTORE_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 600 -j2
"$root/scripts/sanitize.sh"
