#!/usr/bin/env bash
# Installs, from Debian's packages, everything the build and the tests need; skips what is there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config binutils
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost-dev libboost-filesystem-dev libboost-program-options-dev
  libyaml-cpp-dev libspdlog-dev libgtest-dev libgmock-dev libjemalloc-dev
  libpqxx-dev libsqlite3-dev postgresql postgresql-client libssl-dev openssl libcivetweb-dev curl
  python3 python3-venv python3-grpcio python3-protobuf abigail-tools
  clang libclang-rt-14-dev bindgen
  dpkg-dev file rpm lintian rpmlint systemd
  python3-matplotlib
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
