#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs eventstored on the memory
# backend at 127.0.0.1:50051 (config/eventstore.yaml) in the foreground. Ctrl-C stops it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" eventstored eventstore_memory_plugin
exec "$root/build/bin/eventstored" --config "$root/config/eventstore.yaml" "$@"
