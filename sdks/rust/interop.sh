#!/usr/bin/env bash
# interop.sh write|verify --target HOST:PORT --stream S --vectors FILE
# Runs the interop example that test.sh built, under $EVENTSTORE_SDK_BUILD_ROOT/rust when set,
# else <repo>/build/sdks/rust.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${EVENTSTORE_SDK_BUILD_ROOT:-$(cd "$here/../.." && pwd)/build/sdks}
binary=$root/rust/target/debug/examples/interop
if [[ ! -x $binary ]]; then
  echo "interop.sh: $binary is missing: run sdks/rust/test.sh first" >&2
  exit 2
fi
exec "$binary" "$@"
