#!/usr/bin/env bash
# interop.sh write|verify --target HOST:PORT --stream S --vectors FILE
# Runs the interop tool that test.sh built and installed (from the npm tarball) under
# $EVENTSTORE_SDK_BUILD_ROOT/typescript, or <repo>/build/sdks/typescript when that is unset.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${EVENTSTORE_SDK_BUILD_ROOT:-$here/../../build/sdks}
app=$root/typescript/interop-app
if [[ ! -f $app/interop.js ]]; then
  echo "interop.sh: $app/interop.js is missing: run sdks/typescript/test.sh first" >&2
  exit 2
fi
exec node "$app/interop.js" "$@"
