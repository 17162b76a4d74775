#!/usr/bin/env bash
# The cross-SDK test: one eventstored (memory backend) on a free port; each SDK appends
# vectors.json to its own stream with its own helpers, then every SDK verifies the other SDKs'
# streams byte for byte. Usage: interop_test.sh EVENTSTORED MEMORY_PLUGIN LANG...
# Each sdks/<lang>/interop.sh takes: write|verify --target HOST:PORT --stream S --vectors FILE.
set -euo pipefail
eventstored=$1 plugin=$2
shift 2
languages=("$@")
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listen: 127.0.0.1:%s\nbackend:\n  plugin: %s\n' "$port" "$plugin" > "$dir/eventstore.yaml"
"$eventstored" --config "$dir/eventstore.yaml" 2> "$dir/eventstored.log" &
pid=$!
for _ in $(seq 200); do
  grep -q "listening on" "$dir/eventstored.log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/eventstored.log"; exit 1; }
  sleep 0.1
done
target=127.0.0.1:$port

for writer in "${languages[@]}"; do
  echo "== $writer writes interop-$writer"
  "$here/../$writer/interop.sh" write --target "$target" --stream "interop-$writer" --vectors "$here/vectors.json"
done
failed=0
for reader in "${languages[@]}"; do
  for writer in "${languages[@]}"; do
    [[ $reader == "$writer" ]] && continue
    echo "== $reader verifies interop-$writer"
    "$here/../$reader/interop.sh" verify --target "$target" --stream "interop-$writer" \
      --vectors "$here/vectors.json" || failed=1
  done
done
exit $failed
