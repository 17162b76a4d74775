#!/usr/bin/env bash
# Runs the README's tour (examples/tour) against a real eventstored on a free port, and checks what
# it printed. Usage: tour_test.sh EVENTSTORED MEMORY_PLUGIN REPO_ROOT
set -euo pipefail
eventstored=$1 plugin=$2 root=$3
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
grep -q "listening on" "$dir/eventstored.log" || { echo "eventstored did not start"; exit 1; }

output=$(EVENTSTORE_BUILD_DIR=$dir timeout 60 "$root/examples/tour/run.sh" --target "127.0.0.1:$port" --stream Order-1)
echo "$output"
expect() { grep -qF "$1" <<<"$output" || { echo "missing from the tour's output: $1"; exit 1; }; }
expect "appended to Order-1: version 2, positions 1..2"
expect "conflict: FAILED_PRECONDITION, expected exact 1, actual 2"
expect 'read Order-1 v2 @2 OrderPaid {"amount": 42}'
expect "read-all Order-1*: 2 events, scanned up to 2, head reached: True"
expect "subscription caught up at 2"
expect "subscription event @3 OrderShipped"
expect "live event delivered; tour done"
