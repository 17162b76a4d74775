#!/usr/bin/env bash
# interop.sh write|verify --target HOST:PORT --stream S --vectors FILE
# Runs interop.py with the venv and wheel that test.sh built, under
# $EVENTSTORE_SDK_BUILD_ROOT/python when set, else <repo>/build/sdks/python.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${EVENTSTORE_SDK_BUILD_ROOT:-$repo/build/sdks}/python
python=$build/venv/bin/python
if [[ ! -x $python ]] || ! "$python" -c 'import eventstore_client' 2>/dev/null; then
  echo "interop.sh: no built Python SDK under $build: run sdks/python/test.sh first" >&2
  exit 2
fi
export PYTHONDONTWRITEBYTECODE=1
exec "$python" "$here/interop.py" "$@"
