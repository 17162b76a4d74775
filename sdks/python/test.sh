#!/usr/bin/env bash
# Builds and tests the Python SDK from a clean clone (Debian's python3 + PyPI):
#   1. a venv under $EVENTSTORE_SDK_BUILD_DIR with the pinned requirements-dev.txt,
#   2. the stubs generated from $EVENTSTORE_PROTO_DIR (tools/generate_stubs.py) into a staged copy,
#   3. the wheel (python -m build --wheel) into $EVENTSTORE_SDK_BUILD_DIR/dist, installed in the venv,
#   4. pytest (tests/ and examples/) against eventstored servers the tests start ($EVENTSTORED,
#      $EVENTSTORE_MEMORY_PLUGIN). Extra arguments go to pytest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${EVENTSTORE_SDK_BUILD_DIR:-$repo/build/sdks/python}
proto=${EVENTSTORE_PROTO_DIR:-$repo/proto}
export EVENTSTORED=${EVENTSTORED:-$repo/build/bin/eventstored}
export EVENTSTORE_MEMORY_PLUGIN=${EVENTSTORE_MEMORY_PLUGIN:-$repo/build/plugins/memory.so}
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
mkdir -p "$build"

venv=$build/venv
stamp=$venv/requirements-dev.txt
if [[ ! -x $venv/bin/python ]] || ! cmp -s "$here/requirements-dev.txt" "$stamp"; then
  echo "== venv: $venv (requirements-dev.txt)"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q -r "$here/requirements-dev.txt"
  cp "$here/requirements-dev.txt" "$stamp"
fi

echo "== stubs and wheel"
stage=$build/stage
rm -rf "$stage" "$build/dist"
mkdir -p "$stage"
cp -r "$here/pyproject.toml" "$here/README.md" "$here/src" "$stage/"
rm -rf "$stage/src/eventstore_client/_proto" "$stage"/src/*.egg-info
"$venv/bin/python" "$here/tools/generate_stubs.py" --proto-dir "$proto" --out "$stage/src/eventstore_client/_proto"
"$venv/bin/python" -m build --wheel --no-isolation --outdir "$build/dist" "$stage" > "$build/build.log" 2>&1 \
  || { cat "$build/build.log"; exit 1; }
wheel=$(ls "$build"/dist/eventstore_client-*.whl)
echo "built $wheel"
"$venv/bin/python" -m pip install -q --no-deps --force-reinstall "$wheel"

echo "== pytest"
cd "$here"
exec timeout 900 "$venv/bin/python" -m pytest "$@"
