#!/usr/bin/env bash
# run_conformance.sh CONFORMANCE_BINARY PLUGIN: certifies the postgres plugin against the database
# of the enclosing `pg_harness.sh run`, with the visibility check run by 32 writers (issue 4,
# acceptance 1). Passes only when the suite prints CONFORMANT.
set -euo pipefail
conformance=$1
plugin=$2
config="$EVENTSTORE_PG_DIR/conformance.yaml"
printf 'options:\n  dsn: "%s"\n  schema: conformance\n' "$EVENTSTORE_PG_DSN" >"$config"
output="$EVENTSTORE_PG_DIR/conformance.out"
status=0
"$conformance" --plugin "$plugin" --config "$config" --writers 32 --gtest_brief=1 >"$output" 2>&1 \
    || status=$?
cat "$output"
grep -q '^CONFORMANT' "$output" || { echo "run_conformance: the plugin was not certified" >&2; exit 1; }
exit "$status"
