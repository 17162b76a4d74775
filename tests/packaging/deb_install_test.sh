#!/usr/bin/env bash
# deb_install_test.sh ROOT DIST: the .deb packages as a user meets them (issue 6, acceptance 2). Run
# inside tests/postgres/pg_harness.sh (a private PostgreSQL), as root, on a machine where no
# eventstore package is installed. From the installed files only:
#   1. apt-get install ./*.deb; the layout, the user, the state directory, the conffile, the unit
#   2. eventstored --config /etc/eventstore/eventstore.yaml as the eventstore user, with the
#      packaged default (sqlite, /var/lib/eventstore/events.db): the tour (a Python gRPC client)
#      appends and reads back; a restart (what `systemctl restart` does: SIGTERM, start) and the
#      next append continues the positions; an upgrade of every package (the same packages
#      repacked with a higher version) and again; eventstore-conformance --target
#   3. eventstore-conformance against the installed memory, sqlite and postgres plugins
#   4. the YAML switched to postgres: append, restart, the next append continues the positions
#   5. an edited conffile survives a reinstall
#   6. apt-get remove keeps the sqlite database; apt-get purge: no file of the packages is left,
#      nor /etc/eventstore or /var/lib/eventstore; the system user stays (Debian policy: a reused
#      id could inherit its files)
# The packages are purged on every exit, also on failure.
set -euo pipefail
root=$1
dist=$2
source "$root/tests/support/eventstored.sh"
source "$root/tests/packaging/packages.sh"

config=/etc/eventstore/eventstore.yaml
state=/var/lib/eventstore
plugin_dir=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/eventstore/plugins
apt_get=(apt-get -y -q -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive

fail() { echo "FAIL: $*"; exit 1; }
step() { echo "--- $*"; }

# The packages of ours that dpkg knows, installed or with configuration files left.
present_packages() {
  local package
  for package in "${eventstore_packages[@]}"; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null | grep -q '^.[^n]' \
      && echo "$package"
  done
  return 0
}

[[ $(id -u) -eq 0 ]] || { echo "SKIP: installs packages, so it must run as root"; exit 77; }
[[ -z $(present_packages) ]] \
  || fail "$(present_packages | xargs) installed on this machine; purge first (apt-get purge 'eventstore-*')"

purge_all() {
  local packages
  packages=$(present_packages)
  [[ -n $packages ]] || return 0
  # shellcheck disable=SC2086 # one word a package
  "${apt_get[@]}" purge $packages >"$workdir/purge.log" 2>&1 || { cat "$workdir/purge.log"; return 1; }
}
on_exit() {
  local status=$?
  set +e  # clean up whatever fails on the way
  stop_eventstored
  [[ $status -eq 0 ]] || { echo "--- eventstored log"; cat "$workdir/eventstored.log" 2>/dev/null; }
  purge_all || status=1
  cleanup_eventstored
  exit "$status"
}
trap on_exit EXIT

# "${as_service[@]}" COMMAND...: runs COMMAND as the eventstore user, from its state directory
# (each program execs the next, so $! is eventstored itself).
as_service=(env -C "$state" setpriv --reuid=eventstore --regid=eventstore --init-groups)

start_service() {
  launch_eventstored "$workdir/eventstored.log" "${as_service[@]}" /usr/bin/eventstored --config "$config"
  [[ $(ps -o user= -p "$eventstored_pid") == eventstore ]] || fail "eventstored does not run as eventstore"
}

# tour STREAM EXPECTED_LINE: the README's tour client appends to STREAM, reads it back and
# subscribes; its output must hold EXPECTED_LINE.
tour() {
  local output
  output=$(EVENTSTORE_BUILD_DIR=$workdir timeout 60 "$root/examples/tour/run.sh" --target "$target" --stream "$1")
  echo "$output"
  grep -qxF "$2" <<<"$output" || fail "the tour did not print: $2"
  grep -qxF "read $1 v2 @${3:-2} OrderPaid {\"amount\": 42}" <<<"$output" || fail "the tour did not read its events back"
}

step "1. apt-get install ./*.deb"
debs=()
for package in "${eventstore_packages[@]}"; do debs+=("$(deb_of "$dist" "$package")"); done
"${apt_get[@]}" install "${debs[@]}" >"$workdir/install.log" 2>&1 || { cat "$workdir/install.log"; fail "apt-get install"; }
for package in "${eventstore_packages[@]}"; do
  dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' "$package"
  dpkg -L "$package" >>"$workdir/our-paths"
done
for file in /usr/bin/eventstored /usr/bin/eventstore-conformance /usr/bin/eventstore-postgres-migrate \
  /usr/bin/eventstore-sqlite-backup "$plugin_dir/memory.so" "$plugin_dir/sqlite.so" \
  "$plugin_dir/postgres.so" "$plugin_dir/kurrent.so" "$config" \
  /lib/systemd/system/eventstored.service /usr/share/man/man1/eventstored.1.gz \
  /usr/share/man/man1/eventstore-sqlite-backup.1.gz \
  /usr/include/eventstore/plugin.h /usr/include/eventstore/plugin_util.h \
  /usr/share/doc/eventstore-plugin-dev/examples/plugin-skeleton/CMakeLists.txt \
  /usr/share/doc/eventstore-plugin-dev/examples/plugin-skeleton-c/skeleton_plugin.c \
  /usr/share/doc/eventstore-plugin-dev/examples/plugin-skeleton-rust/src/lib.rs \
  /usr/share/eventstore/rust/eventstore-plugin/Cargo.toml /usr/share/eventstore/rust/eventstore-plugin/src/sys.rs; do
  [[ -f $file ]] || fail "not installed: $file"
done
getent passwd eventstore | grep -q ':/usr/sbin/nologin$' || fail "no system user eventstore with nologin"
[[ $(stat -c '%U:%G %a' "$state") == "eventstore:eventstore 750" ]] || fail "$state: $(stat -c '%U:%G %a' "$state")"
dpkg-query -W -f='${Conffiles}' eventstore-server | grep -q " $config " || fail "$config is no conffile"
grep -q '^listen: 127.0.0.1:50051 ' "$config" || fail "the default listen is not 127.0.0.1:50051"
unit=/lib/systemd/system/eventstored.service
verified=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $verified"
[[ -z $verified ]] || fail "systemd-analyze verify: $verified"
for setting in User=eventstore NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
  StateDirectory=eventstore LimitNOFILE=65536 Restart=on-failure \
  "ExecStartPre=/usr/bin/eventstored --check-config --config $config" \
  "ExecReload=/bin/kill -HUP \$MAINPID"; do
  grep -qxF "$setting" "$unit" || fail "the unit lacks $setting"
done
[[ ! -e /etc/systemd/system/multi-user.target.wants/eventstored.service ]] || fail "the unit was enabled"
systemd-analyze security --offline=true "$unit" | tail -n 1
"${as_service[@]}" /usr/bin/eventstored --check-config --config "$config" | tee "$workdir/check.out"
grep -qF "(backend sqlite " "$workdir/check.out" || fail "--check-config did not load sqlite"

step "2. the service's command line as eventstore, the packaged default (sqlite)"
port=$(free_port)
sed -i "s/^listen: 127.0.0.1:50051 /listen: 127.0.0.1:$port /" "$config"
target=127.0.0.1:$port
start_service
grep -F "sqlite backend: $state/events.db at schema version 3" "$workdir/eventstored.log" \
  || fail "eventstored did not serve sqlite on $state/events.db"
[[ $(stat -c %U "$state/events.db") == eventstore ]] || fail "$state/events.db is not the service's"
# README's health check, on this port.
health=$(/usr/bin/python3 -c 'import grpc, sys; r = grpc.insecure_channel(sys.argv[1]).unary_unary("/grpc.health.v1.Health/Check")(b"", timeout=5); print("SERVING" if r == b"\x08\x01" else r)' "$target")
[[ $health == SERVING ]] || fail "health check: $health"
echo "health: $health"
tour Pkg-sqlite "appended to Pkg-sqlite: version 2, positions 1..2"
stop_eventstored
start_service
tour Pkg-restarted "appended to Pkg-restarted: version 2, positions 4..5" 5
stop_eventstored
# An upgrade: every package repacked with a higher version (the plugins pin the server's exact
# version), so dpkg runs the upgrade paths of the maintainer scripts (prerm upgrade, postrm
# upgrade, postinst configure OLD-VERSION).
old_version=$(dpkg-query -W -f='${Version}' eventstore-server)
new_version=$old_version+upgrade1
upgraded=()
mkdir -p "$workdir/upgrade"
for package in "${eventstore_packages[@]}"; do
  dpkg-deb -R "$(deb_of "$dist" "$package")" "$workdir/upgrade/$package"
  sed -i -e "s/^Version: .*/Version: $new_version/" \
    -e "s/eventstore-server (= $old_version)/eventstore-server (= $new_version)/g" \
    "$workdir/upgrade/$package/DEBIAN/control"
  dpkg-deb -b "$workdir/upgrade/$package" "$workdir/upgrade/${package}_upgrade.deb" >/dev/null
  upgraded+=("$workdir/upgrade/${package}_upgrade.deb")
done
"${apt_get[@]}" install "${upgraded[@]}" >"$workdir/upgrade.log" 2>&1 \
  || { cat "$workdir/upgrade.log"; fail "upgrade"; }
for package in "${eventstore_packages[@]}"; do
  [[ $(dpkg-query -W -f='${Version} ${db:Status-Abbrev}' "$package") == "$new_version ii " ]] \
    || fail "$package was not upgraded: $(dpkg-query -W -f='${Version} ${db:Status-Abbrev}' "$package")"
done
start_service
tour Pkg-upgraded "appended to Pkg-upgraded: version 2, positions 7..8" 8
sh "$root/tests/conformance/run_conformance.sh" conformant:10 /usr/bin/eventstore-conformance --target "$target"
stop_eventstored

step "3. eventstore-conformance against the installed plugins"
sh "$root/tests/conformance/run_conformance.sh" conformant:40 /usr/bin/eventstore-conformance --plugin memory
"$root/tests/sqlite/run_conformance.sh" /usr/bin/eventstore-conformance sqlite | tail -n 1
"$root/tests/postgres/run_conformance.sh" /usr/bin/eventstore-conformance postgres | tail -n 3

step "4. the YAML switched to postgres, and a restart"
sed -i -e 's/^  plugin: sqlite$/  plugin: postgres/' \
  -e "s/^  options: {path: .*/  options: {dsn: \"host=127.0.0.1 port=$PGPORT dbname=$PGDATABASE user=$PGUSER\"}/" "$config"
grep -q '^  plugin: postgres$' "$config" || fail "the YAML was not switched"
start_service
grep -F "with backend postgres" "$workdir/eventstored.log" || fail "eventstored did not serve postgres"
tour Pkg-before "appended to Pkg-before: version 2, positions 1..2"
stop_eventstored
start_service
tour Pkg-after "appended to Pkg-after: version 2, positions 4..5" 5
stop_eventstored

step "5. an edited conffile survives a reinstall"
"${apt_get[@]}" install --reinstall "$workdir/upgrade/eventstore-server_upgrade.deb" >"$workdir/reinstall.log" 2>&1 \
  || { cat "$workdir/reinstall.log"; fail "reinstall"; }
grep -q '^  plugin: postgres$' "$config" || fail "the reinstall replaced the edited $config"

step "6. apt-get remove keeps the database, apt-get purge removes it"
"${apt_get[@]}" remove eventstore-server >"$workdir/remove.log" 2>&1 || { cat "$workdir/remove.log"; fail "remove"; }
[[ -f $state/events.db ]] || fail "apt-get remove deleted $state/events.db"
purge_all
[[ -z $(present_packages) ]] || fail "not purged: $(present_packages | xargs)"
left=()
while read -r path; do
  [[ -e $path && ! -d $path ]] && left+=("$path")
done <"$workdir/our-paths"
for dir in /etc/eventstore "$state" "$(dirname "$plugin_dir")" /usr/include/eventstore /usr/share/eventstore \
  /usr/share/doc/eventstore-server; do
  [[ -e $dir ]] && left+=("$dir")
done
((${#left[@]} == 0)) || fail "left after purge: ${left[*]}"
getent passwd eventstore >/dev/null || fail "the system user was removed (policy keeps it)"
echo "ok: $(sort -u "$workdir/our-paths" | wc -l) paths installed, none left after purge; user eventstore kept"
