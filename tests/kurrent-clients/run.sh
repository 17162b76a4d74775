#!/usr/bin/env bash
# Acceptance tests of the KurrentDB client protocol (issue 17): the unmodified official clients,
# npm @kurrent/kurrentdb-client 1.3.1 (node/) and PyPI kurrentdbclient 1.3.5 (python/, sync and
# asyncio), against a real eventstored on one backend:
#   1. plaintext: kurrentdb://127.0.0.1:PORT?tls=false, no auth;
#   2. TLS and auth: kurrentdb://NAME:TOKEN@127.0.0.1:PORT?tls=true&tlsCAFile=ca.crt, Basic
#      credentials made of a token's name and the token (docs/security.md); Node also with a
#      Bearer token;
#   3. memory only: `kurrent.enabled: false` turns the protocol off (UNIMPLEMENTED).
# Node appends through BatchAppend (the server's ServerFeatures lists it, as KurrentDB's does); in
# phases 1 and 2 its append checks run a second time through Streams.Append (support.js useAppend).
# On memory, the idle subscription checks (60 s, both clients) run beside phase 1.
#
# Usage: run.sh memory|sqlite|postgres   (postgres runs itself under tests/postgres/pg_harness.sh)
# Env (set by ctest, see CMakeLists.txt; defaults for a run from a build tree in ./build):
#   EVENTSTORED, EVENTSTORE_MEMORY_PLUGIN, EVENTSTORE_SQLITE_PLUGIN, EVENTSTORE_POSTGRES_PLUGIN,
#   EVENTSTORE_PROTO_DIR, EVENTSTORE_KURRENT_CLIENTS_BUILD_DIR (node_modules, the venv, logs),
#   KURRENT_IDLE_SECONDS (default 60; 0 skips the idle checks).
# To narrow a manual run: NODE_TEST_ONLY=test/append.test.js, PYTEST_ARGS="-k append".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
backend=${1:?usage: run.sh memory|sqlite|postgres}
case $backend in memory|sqlite|postgres) ;; *) echo "unknown backend '$backend'" >&2; exit 2 ;; esac
if [[ $backend == postgres && -z ${EVENTSTORE_PG_DIR:-} ]]; then
  exec "$repo/tests/postgres/pg_harness.sh" run "$0" "$@"
fi

export EVENTSTORED=${EVENTSTORED:-$repo/build/bin/eventstored}
plugin_var=EVENTSTORE_${backend^^}_PLUGIN
plugin=${!plugin_var:-$repo/build/plugins/$backend.so}
proto=${EVENTSTORE_PROTO_DIR:-$repo/proto}
build=${EVENTSTORE_KURRENT_CLIENTS_BUILD_DIR:-$repo/build/kurrent-clients}
idle_seconds=${KURRENT_IDLE_SECONDS:-60}
[[ $backend == memory ]] || idle_seconds=0
for f in "$EVENTSTORED" "$plugin"; do
  [[ -e $f ]] || { echo "$f not found: build eventstored and the $backend plugin first" >&2; exit 1; }
done
mkdir -p "$build"
build=$(cd "$build" && pwd)
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# --- the clients, installed from the lock files into the build dir (not the source tree) -------
node_dir=$build/node
mkdir -p "$node_dir"
if ! cmp -s "$here/node/package-lock.json" "$node_dir/package-lock.json" || [[ ! -d $node_dir/node_modules ]]; then
  echo "== npm ci (node/package-lock.json) in $node_dir"
  cp "$here/node/package.json" "$here/node/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund >/dev/null)
fi
rm -rf "$node_dir/test"
cp -r "$here/node/test" "$node_dir/test"

venv=$build/venv
if [[ ! -x $venv/bin/python ]] || ! cmp -s "$here/python/requirements.txt" "$venv/requirements.txt"; then
  echo "== venv $venv (python/requirements.txt, --require-hashes)"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --require-hashes -r "$here/python/requirements.txt"
  cp "$here/python/requirements.txt" "$venv/requirements.txt"
fi
# The project's own Python SDK (eventstore.v1), for reading the events back: its source and stubs
# generated from proto/ with the venv's grpcio-tools, imported from a child process (its
# google/rpc/status.proto must not meet googleapis' in one process).
sdk=$build/v1sdk
rm -rf "$sdk" && mkdir -p "$sdk"
cp -r "$repo/sdks/python/src/eventstore_client" "$sdk/"
rm -rf "$sdk/eventstore_client/_proto"
"$venv/bin/python" "$repo/sdks/python/tools/generate_stubs.py" --proto-dir "$proto" \
  --out "$sdk/eventstore_client/_proto" >/dev/null

# --- the server --------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/kurrent-clients.XXXXXX")
server_pid=
background=()
cleanup() {
  local pid
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

backend_yaml() { # PHASE
  printf 'backend:\n  plugin: %s\n' "$plugin"
  case $backend in
    sqlite) printf '  options:\n    path: %s/%s.db\n' "$work" "$1" ;;
    *) ;;
  esac
}

# Starts eventstored with the config in $work/$1.yaml, on $port; waits for "listening on".
start_server() { # NAME
  local config=$work/$1.yaml log=$build/eventstored-$backend-$1.log
  : > "$log"
  "$EVENTSTORED" --config "$config" > "$log" 2>&1 &
  server_pid=$!
  local i
  for i in $(seq 1 200); do
    if grep -q "listening on" "$log"; then
      grep "listening on" "$log" | head -n 1
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "eventstored exited at start-up:" >&2; cat "$log" >&2; server_pid=; return 1
    fi
    sleep 0.1
  done
  echo "eventstored did not start in 20 s:" >&2; cat "$log" >&2; return 1
}

stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local i
  for i in $(seq 1 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# The limit the oversized-append checks go over (docs/configuration.md, limits).
export KURRENT_MAX_APPEND_BYTES=1048576
common_yaml() { # PORT
  printf 'listen: 127.0.0.1:%s\nshutdown_grace_ms: 1000\nlimits:\n  max_append_bytes: %s\n' \
    "$1" "$KURRENT_MAX_APPEND_BYTES"
}

export EVENTSTORE_PROTO_DIR=$proto EVENTSTORE_V1_SDK=$sdk
status=0
run_suites() { # PHASE
  echo "== $backend/$1: node (@kurrent/kurrentdb-client 1.3.1)"
  (cd "$node_dir" && node --test --test-concurrency=1 ${NODE_TEST_ONLY:-test/*.test.js}) || status=1
  # Node appends through BatchAppend, which the server's ServerFeatures lists; the append checks
  # again through Streams.Append, what Node uses with a credentials provider (support.js).
  echo "== $backend/$1: node, the append checks through Streams.Append"
  (cd "$node_dir" && KURRENT_NODE_APPEND=Append node --test --test-concurrency=1 \
    ${NODE_TEST_ONLY:-test/append.test.js test/payload.test.js}) || status=1
  echo "== $backend/$1: python (kurrentdbclient 1.3.5, sync and asyncio)"
  (cd "$here/python" && "$venv/bin/python" -m pytest -q ${PYTEST_ARGS:-}) || status=1
}

# Phase 1: plaintext, no auth.
port=$(free_port)
{ common_yaml "$port"; backend_yaml plain; } > "$work/plain.yaml"
start_server plain || exit 1
export KURRENT_CONNECTION_STRING="kurrentdb://127.0.0.1:$port?tls=false"
export EVENTSTORE_V1_TARGET=127.0.0.1:$port
unset KURRENT_TLS KURRENT_BEARER_TOKEN KURRENT_READER_CONNECTION_STRING KURRENT_ANONYMOUS_CONNECTION_STRING \
  EVENTSTORE_V1_CA_FILE EVENTSTORE_V1_TOKEN
if (( idle_seconds > 0 )); then
  echo "== $backend/plain: idle subscriptions ($idle_seconds s, beside the other checks)"
  (cd "$node_dir" && KURRENT_IDLE_SECONDS=$idle_seconds node --test test/idle.test.js \
    > "$build/idle-node.log" 2>&1) &
  background+=($!)
  for kind in "not asyncio" asyncio; do  # the sync and the asyncio client, at the same time
    (cd "$here/python" && KURRENT_IDLE_SECONDS=$idle_seconds "$venv/bin/python" -m pytest \
      -q test_idle.py -k "$kind" > "$build/idle-python-${kind// /-}.log" 2>&1) &
    background+=($!)
  done
fi
run_suites plain
for pid in "${background[@]}"; do
  if wait "$pid"; then :; else status=1; fi
done
if (( idle_seconds > 0 )); then
  echo "== $backend/plain: idle subscriptions"
  tail -n 12 "$build/idle-node.log"
  tail -n 3 "$build"/idle-python-*.log
fi
background=()
stop_server

# Phase 2: TLS, auth on; the clients' Basic credentials are a token's name and the token
# (docs/security.md), Node also sends the token as a Bearer token.
tls=$work/tls
"$repo/sdks/conformance/secure_server.sh" "$tls" > /dev/null
port=$(free_port)
{ common_yaml "$port"; backend_yaml tls; cat "$tls/secure.yaml"; } > "$work/tls.yaml"
if start_server tls; then tls_up=1; else tls_up=0; status=1; fi
tail_opts="tls=true&tlsCAFile=$tls/ca.crt"
export KURRENT_TLS=1
export KURRENT_CONNECTION_STRING="kurrentdb://writer:$(cat "$tls/writer.token")@127.0.0.1:$port?$tail_opts"
export KURRENT_READER_CONNECTION_STRING="kurrentdb://reader:$(cat "$tls/reader.token")@127.0.0.1:$port?$tail_opts"
export KURRENT_ANONYMOUS_CONNECTION_STRING="kurrentdb://127.0.0.1:$port?$tail_opts"
KURRENT_BEARER_TOKEN=$(cat "$tls/writer.token")
export KURRENT_BEARER_TOKEN
export EVENTSTORE_V1_TARGET=127.0.0.1:$port EVENTSTORE_V1_CA_FILE=$tls/ca.crt
EVENTSTORE_V1_TOKEN=$(cat "$tls/reader.token")
export EVENTSTORE_V1_TOKEN
if (( tls_up )); then run_suites tls; fi
stop_server

# Phase 3 (memory): the switch turns the protocol off.
if [[ $backend == memory ]]; then
  port=$(free_port)
  { common_yaml "$port"; backend_yaml off; printf 'kurrent:\n  enabled: false\n'; } > "$work/off.yaml"
  echo "== $backend/off: kurrent.enabled false"
  if start_server off; then
    unset KURRENT_TLS KURRENT_READER_CONNECTION_STRING KURRENT_ANONYMOUS_CONNECTION_STRING KURRENT_BEARER_TOKEN \
      EVENTSTORE_V1_CA_FILE EVENTSTORE_V1_TOKEN
    KURRENT_CONNECTION_STRING="kurrentdb://127.0.0.1:$port?tls=false" EVENTSTORE_V1_TARGET=127.0.0.1:$port \
      "$venv/bin/python" "$here/python/disabled_check.py" || status=1
    stop_server
  else
    status=1
  fi
fi

if (( status == 0 )); then echo "KurrentClients.$backend: every check passed"; else echo "KurrentClients.$backend: FAILED"; fi
exit "$status"
