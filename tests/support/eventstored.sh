# eventstored.sh: sourced by shell tests that need a running server. Defines
#   start_eventstored EVENTSTORED MEMORY_PLUGIN
#       starts eventstored with that plugin on a free loopback port, waits until it listens, and
#       sets `target` (127.0.0.1:PORT)
#   launch_eventstored LOG COMMAND...
#       runs COMMAND (an eventstored command line, perhaps behind setpriv or env) in the
#       background with its log in LOG, and waits until it listens
#   stop_eventstored        stops the server started by either (SIGTERM), if it runs
#   free_port               prints a free loopback TCP port
# and `workdir`, a temporary folder for the caller. The server is stopped and the folder removed
# when the calling shell exits, also on failure (cleanup_eventstored, for a caller's own trap).

eventstored_pid=
workdir=$(mktemp -d)
stop_eventstored() {
  [[ -n $eventstored_pid ]] && kill "$eventstored_pid" 2>/dev/null && wait "$eventstored_pid" 2>/dev/null
  eventstored_pid=
}
cleanup_eventstored() {
  stop_eventstored
  rm -rf "$workdir"
}
trap cleanup_eventstored EXIT

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

launch_eventstored() {
  local log=$1
  shift
  "$@" 2> "$log" &
  eventstored_pid=$!
  for _ in $(seq 200); do
    grep -q "listening on" "$log" && return 0
    if ! kill -0 "$eventstored_pid" 2>/dev/null; then
      local status=0
      wait "$eventstored_pid" || status=$?
      cat "$log"
      echo "eventstored exited with status $status before it listened"
      eventstored_pid=
      return 1
    fi
    sleep 0.1
  done
  echo "eventstored did not start"
  return 1
}

start_eventstored() {
  local eventstored=$1 plugin=$2 port
  port=$(free_port)
  printf 'listen: 127.0.0.1:%s\nbackend:\n  plugin: %s\n' "$port" "$plugin" > "$workdir/eventstore.yaml"
  launch_eventstored "$workdir/eventstored.log" "$eventstored" --config "$workdir/eventstore.yaml" \
    || return 1
  target=127.0.0.1:$port
}
