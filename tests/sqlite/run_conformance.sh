#!/usr/bin/env bash
# run_conformance.sh CONFORMANCE_BINARY PLUGIN: certifies the sqlite plugin on a database file in a
# new temporary folder (removed afterwards), with the visibility check run by 32 writers (issue 16,
# acceptance 1). Passes only when the suite prints CONFORMANT.
set -euo pipefail
conformance=$1
plugin=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/eventstore-sqlite-conformance.XXXXXX")
trap 'rm -rf "$dir"' EXIT
printf 'options:\n  path: "%s/events.db"\n' "$dir" >"$dir/conformance.yaml"
status=0
"$conformance" --plugin "$plugin" --config "$dir/conformance.yaml" --writers 32 --gtest_brief=1 \
    >"$dir/conformance.out" 2>&1 || status=$?
cat "$dir/conformance.out"
grep -q '^CONFORMANT' "$dir/conformance.out" \
    || { echo "run_conformance: the plugin was not certified" >&2; exit 1; }
exit "$status"
