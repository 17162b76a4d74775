#!/usr/bin/env bash
# Generates the Python stubs from proto/ (protoc + grpc_python_plugin from Debian's
# protobuf-compiler-grpc) into build/python, then runs tour.py with the given arguments.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${EVENTSTORE_BUILD_DIR:-$root/build}/python
mkdir -p "$out"
protoc --proto_path="$root/proto" --python_out="$out" --grpc_python_out="$out" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  eventstore/v1/eventstore.proto google/rpc/status.proto
PYTHONPATH="$out" exec /usr/bin/python3 "$root/examples/tour/tour.py" "$@"
