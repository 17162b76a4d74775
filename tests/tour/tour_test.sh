#!/usr/bin/env bash
# Runs the README's tour (examples/tour) against a real eventstored on a free port, and checks what
# it printed. Usage: tour_test.sh EVENTSTORED MEMORY_PLUGIN REPO_ROOT
set -euo pipefail
eventstored=$1 plugin=$2 root=$3
source "$root/tests/support/eventstored.sh"
start_eventstored "$eventstored" "$plugin"

output=$(EVENTSTORE_BUILD_DIR=$workdir timeout 60 "$root/examples/tour/run.sh" --target "$target" --stream Order-1)
echo "$output"
expect() { grep -qF "$1" <<<"$output" || { echo "missing from the tour's output: $1"; exit 1; }; }
expect "appended to Order-1: version 2, positions 1..2"
expect "conflict: FAILED_PRECONDITION, expected exact 1, actual 2"
expect 'read Order-1 v2 @2 OrderPaid {"amount": 42}'
expect "read-all Order-1*: 2 events, scanned up to 2, head reached: True"
expect "subscription caught up at 2"
expect "subscription event @3 OrderShipped"
expect "live event delivered; tour done"
