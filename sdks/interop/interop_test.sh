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
source "$here/../../tests/support/eventstored.sh"
start_eventstored "$eventstored" "$plugin"

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
