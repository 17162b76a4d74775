# eventstored.sh: sourced by shell tests that need a running server. Defines
#   start_eventstored EVENTSTORED MEMORY_PLUGIN
# which starts eventstored with that plugin on a free loopback port, waits until it listens, and
# sets `target` (127.0.0.1:PORT) and `workdir` (a temporary folder for the caller). The server is
# stopped and the folder removed when the calling shell exits, also on failure.

eventstored_pid=
workdir=$(mktemp -d)
stop_eventstored() {
  [[ -n $eventstored_pid ]] && kill "$eventstored_pid" 2>/dev/null && wait "$eventstored_pid" 2>/dev/null
  rm -rf "$workdir"
}
trap stop_eventstored EXIT

start_eventstored() {
  local eventstored=$1 plugin=$2 port
  port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'listen: 127.0.0.1:%s\nbackend:\n  plugin: %s\n' "$port" "$plugin" > "$workdir/eventstore.yaml"
  "$eventstored" --config "$workdir/eventstore.yaml" 2> "$workdir/eventstored.log" &
  eventstored_pid=$!
  for _ in $(seq 200); do
    grep -q "listening on" "$workdir/eventstored.log" && break
    kill -0 "$eventstored_pid" 2>/dev/null || { cat "$workdir/eventstored.log"; return 1; }
    sleep 0.1
  done
  grep -q "listening on" "$workdir/eventstored.log" || { echo "eventstored did not start"; return 1; }
  target=127.0.0.1:$port
}
