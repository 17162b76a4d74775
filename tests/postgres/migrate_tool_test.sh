#!/usr/bin/env bash
# migrate_tool_test.sh MIGRATE_BINARY: eventstore-postgres-migrate against the database of the
# enclosing `pg_harness.sh run`: --check refuses a fresh schema, a run applies the migrations
# (recorded in schema_version), a second run and --check then find nothing to do, a schema newer
# than the tool is refused, and a file of the options alone is read as well.
set -euo pipefail
migrate=$1
config="$EVENTSTORE_PG_DIR/eventstored.yaml"
cat >"$config" <<YAML
listen: 127.0.0.1:0
backend:
  plugin: postgres
  options:
    dsn_env: EVENTSTORE_PG_DSN
    schema: tool
    migrate: "off"
YAML

fail() { echo "migrate_tool_test: $*" >&2; exit 1; }
expect() {  # expect STATUS TEXT COMMAND...: the command exits with STATUS and prints TEXT
    local status=$1 text=$2 output code=0
    shift 2
    output=$("$@" 2>&1) || code=$?
    echo "$output"
    [[ $code -eq $status ]] || fail "'$*' exited with $code, expected $status"
    [[ $output == *"$text"* ]] || fail "'$*' did not print: $text"
}

expect 1 "schema 'tool' is at version 0 and needs migrations 1 to" "$migrate" --config "$config" --check
expect 0 "migrations applied now)" "$migrate" --config "$config"
[[ $(psql -Atc "SELECT count(*) FROM tool.schema_version") -ge 1 ]] || fail "nothing recorded"
expect 0 "(0 migrations applied now)" "$migrate" --config "$config"
expect 0 "(0 migrations applied now)" "$migrate" --config "$config" --check
psql -qc "INSERT INTO tool.schema_version (version, name) VALUES (1000, 'future')"
expect 1 "is at version 1000, newer than this plugin knows" "$migrate" --config "$config"
expect 2 "usage:" "$migrate"
expect 2 "unrecognised option '--bogus'" "$migrate" --config "$config" --bogus

# The options alone, under `options:` or at the top level, as docs/postgres-backend.md says.
printf 'options:\n  dsn_env: EVENTSTORE_PG_DSN\n  schema: tool_options\n' >"$EVENTSTORE_PG_DIR/options.yaml"
expect 0 "schema 'tool_options' at version" "$migrate" --config "$EVENTSTORE_PG_DIR/options.yaml"
printf 'dsn_env: EVENTSTORE_PG_DSN\nschema: tool_top\n' >"$EVENTSTORE_PG_DIR/top.yaml"
expect 1 "schema 'tool_top' is at version 0" "$migrate" --config "$EVENTSTORE_PG_DIR/top.yaml" --check
echo "migrate_tool_test: passed"
