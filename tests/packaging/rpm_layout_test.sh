#!/usr/bin/env bash
# rpm_layout_test.sh ROOT DIST: the .rpm packages (issue 6, acceptance 3). For each package:
# `rpm -qpl` lists the same files as its .deb, `rpm -qpR` holds the expected dependencies, and
# `rpm --root SCRATCH --nodeps -i` installs every file into a scratch root. The scriptlets are not
# run there (--noscripts): the scratch root has no shell, no groupadd, no systemd.
set -euo pipefail
root=$1
dist=$2
source "$root/tests/packaging/packages.sh"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/eventstore-rpm-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

# The regular files and links of a package, one path a line, sorted.
deb_files() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | sort; }
rpm_files() { rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$1" | awk '$1 !~ /^d/ { print $2 }' | sort; }

# expect_requires RPM PATTERN...: each extended regex matches a line of `rpm -qpR RPM`.
expect_requires() {
  local rpm=$1 requires
  shift
  requires=$(rpm -qpR "$rpm")
  for pattern in "$@"; do
    grep -qE "$pattern" <<<"$requires" || { echo "$requires"; fail "$(basename "$rpm") does not require $pattern"; }
  done
}

rpm --root "$scratch" --initdb
for package in "${eventstore_packages[@]}"; do
  rpm=$(rpm_of "$dist" "$package")
  deb=$(deb_of "$dist" "$package")
  echo "--- $(basename "$rpm")"
  rpm -qpl "$rpm"
  echo "requires:"
  rpm -qpR "$rpm" | sed 's/^/  /'
  diff <(deb_files "$deb") <(rpm_files "$rpm") || fail "$package: the .deb and the .rpm hold different files"
done

server=$(rpm_of "$dist" eventstore-server)
expect_requires "$server" '^libgrpc\+\+\.so\.1\.51' '^libprotobuf\.so\.32' '^libyaml-cpp\.so' '^shadow-utils'
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$server" | grep -qx 'cn /etc/eventstore/eventstore.yaml' \
  || fail "/etc/eventstore/eventstore.yaml is not %config(noreplace)"
rpm -qp --scripts "$server" | grep -q 'useradd --system' || fail "no %pre that creates the user"
expect_requires "$(rpm_of "$dist" eventstore-plugin-postgres)" '^libpqxx-6\.4\.so' '^eventstore-server'
expect_requires "$(rpm_of "$dist" eventstore-plugin-kurrent)" '^eventstore-server'

echo "--- rpm --root $scratch --nodeps --noscripts -i"
rpm --root "$scratch" --nodeps --noscripts -i "$dist"/*.rpm
for package in "${eventstore_packages[@]}"; do
  rpm --root "$scratch" -q "$package"
  while read -r path; do
    [[ -e $scratch$path || -L $scratch$path ]] || fail "$package: $path is not in the scratch root"
  done < <(rpm_files "$(rpm_of "$dist" "$package")")
  rpm --root "$scratch" -V "$package" --nodeps --nouser --nogroup || fail "$package: rpm -V"
done
echo "ok: $(find "$scratch" -type f -not -path "$scratch/var/lib/rpm*" | wc -l) files installed in the scratch root"
