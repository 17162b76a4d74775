#!/bin/sh
# kit_test.sh MODE BUILD_DIR SOURCE_DIR EVENTSTORED [CONFORMANCE]: installs the plugin author's kit
# (cmake --install --component plugin-dev) into a temporary prefix, builds a plugin OUT of tree
# against it alone, and checks that the plugin exports only its entry symbol and that eventstored
# loads it. MODE says how the plugin is built:
#   cmake       examples/plugin-skeleton (C++17) with find_package(EventStorePlugin) (CMake +
#               Ninja); with CONFORMANCE (eventstore-conformance) given, it must also be
#               CONFORMANT, by itself and served by eventstored (the suite over gRPC: appends and
#               reads through the server)
#   cmake-c     the same with examples/plugin-skeleton-c (C11 and the C helper plugin_util.h)
#   cargo       the same with examples/plugin-skeleton-rust (Rust, the crate eventstore-plugin that
#               the kit installs in share/eventstore/rust), built with cargo (on PATH or ~/.cargo/bin)
#   pkg-config  the Kurrent stub's C sources (plugins/kurrent) with cc and
#               `pkg-config --cflags --libs eventstore-plugin`
# Environment: CC, CXX (compilers; default cc, c++), NM (default nm).
set -eu
mode=$1
build_dir=$2
source_dir=$3
eventstored=$4
conformance=${5:-}

work=$(mktemp -d "${TMPDIR:-/tmp}/eventstore-kit-XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

fail() {
    echo "FAIL: $*"
    exit 1
}

step() { echo "--- $*"; }

step "install the kit into $prefix"
cmake --install "$build_dir" --prefix "$prefix" --component plugin-dev >"$work/install.log" ||
    { cat "$work/install.log"; fail "cmake --install --component plugin-dev failed"; }
for file in include/eventstore/plugin.h include/eventstore/plugin_util.h \
    include/eventstore/plugin.hpp include/eventstore/status.hpp include/eventstore/abi_struct.hpp include/eventstore/deadline.hpp \
    include/eventstore/validation.hpp include/eventstore/append_builder.hpp \
    share/eventstore/eventstore-plugin.map; do
    [ -f "$prefix/$file" ] || fail "the kit lacks $file"
done
config_dir=$(dirname "$(find "$prefix" -name EventStorePluginConfig.cmake)")
[ -f "$config_dir/EventStorePluginConfigVersion.cmake" ] || fail "no EventStorePluginConfigVersion.cmake"
pc_dir=$(dirname "$(find "$prefix" -name eventstore-plugin.pc)")
[ -d "$pc_dir" ] || fail "no eventstore-plugin.pc"

# check_loads PLUGIN [DIR]: eventstored --check-config with backend.plugin PLUGIN (and
# backend.plugin_dirs [DIR]) prints "config OK". (sh has no local variables: names are prefixed.)
check_loads() {
    check_plugin=$1
    shift
    {
        echo "listen: 127.0.0.1:0"
        echo "backend:"
        echo "  plugin: '$check_plugin'"
        for check_dir in "$@"; do echo "  plugin_dirs: ['$check_dir']"; done
    } >"$work/eventstore.yaml"
    check_out=$("$eventstored" --check-config --config "$work/eventstore.yaml" 2>&1) ||
        fail "eventstored --check-config refused $check_plugin: $check_out"
    echo "$check_out"
    case $check_out in *"config OK"*) ;; *) fail "no 'config OK' for $check_plugin: $check_out" ;; esac
}

check_exports() {
    sh "$source_dir/tests/exports/check_exports.sh" "$1" || fail "$1 exports more than its entry"
}

# certify_served PLUGIN: eventstored serves PLUGIN on a free loopback port, and the suite,
# over gRPC, finds it CONFORMANT: every append and read goes through the server and the plugin.
certify_served() {
    {
        echo "listen: 127.0.0.1:0"
        echo "backend:"
        echo "  plugin: '$1'"
    } >"$work/served.yaml"
    "$eventstored" --config "$work/served.yaml" >"$work/served.log" 2>&1 &
    served_pid=$!
    served_address=""
    for _ in $(seq 200); do
        served_address=$(sed -n -E 's/.*listening on ([0-9.]+:[0-9]+) .*/\1/p' "$work/served.log")
        [ -n "$served_address" ] && break
        kill -0 "$served_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$served_address" ]; then
        kill "$served_pid" 2>/dev/null
        cat "$work/served.log"
        fail "eventstored did not start with $1"
    fi
    echo "eventstored serves $1 on $served_address"
    served_status=0
    sh "$source_dir/tests/conformance/run_conformance.sh" "conformant:40" \
        "$conformance" --target "$served_address" --duration-ms 500 || served_status=$?
    kill "$served_pid"
    wait "$served_pid" 2>/dev/null || true
    [ "$served_status" -eq 0 ] || fail "served by eventstored, $1 is not conformant"
}

# build_example DIR NAME LANGUAGE_FLAG: configures and builds examples/DIR against the kit only,
# and checks NAME.so as a user would: its exports, eventstored loading it by path and installed
# by short name, and (with CONFORMANCE) the suite, directly and through eventstored.
build_example() {
    example=$1
    name=$2
    shift 2
    step "configure and build examples/$example against the kit only"
    cmake -S "$source_dir/examples/$example" -B "$work/$example" -G Ninja \
        -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        "$@" -DCMAKE_INSTALL_PREFIX="$prefix" \
        >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure failed"; }
    grep -q "EventStorePlugin_DIR:PATH=$prefix/" "$work/$example/CMakeCache.txt" ||
        fail "find_package(EventStorePlugin) did not find the kit under $prefix"
    cmake --build "$work/$example" -j1 >"$work/build.log" 2>&1 ||
        { cat "$work/build.log"; fail "build failed"; }
    plugin="$work/$example/$name.so"
    [ -f "$plugin" ] || fail "no $name.so"

    step "exports"
    check_exports "$plugin"

    step "eventstored loads it, by path and installed by short name"
    check_loads "$plugin"
    cmake --install "$work/$example" >/dev/null || fail "cmake --install of $example failed"
    installed=$(find "$prefix" -path "*/eventstore/plugins/$name.so")
    [ -n "$installed" ] || fail "$name did not install into <libdir>/eventstore/plugins"
    check_loads "$name" "$(dirname "$installed")"

    certify "$plugin" "$name"
}

# certify PLUGIN NAME: with CONFORMANCE given, the suite finds PLUGIN conformant, by itself and
# served by eventstored.
certify() {
    [ -n "$conformance" ] || return 0
    step "eventstore-conformance"
    sh "$source_dir/tests/conformance/run_conformance.sh" "conformant:40" \
        "$conformance" --plugin "$1" || fail "$2 is not conformant"
    step "eventstore-conformance over gRPC, eventstored serving $2"
    certify_served "$1"
}

# build_rust_example: examples/plugin-skeleton-rust with cargo, its dependency on the crate
# pointed at the kit's copy (share/eventstore/rust/eventstore-plugin), which finds the kit's
# headers by itself; then the same checks as build_example.
build_rust_example() {
    # rustup installs cargo here; a non-login shell may not have it on PATH (as sdks/rust/test.sh).
    PATH="$PATH:$HOME/.cargo/bin"
    unset EVENTSTORE_PLUGIN_INCLUDE
    crate="$prefix/share/eventstore/rust/eventstore-plugin"
    [ -f "$crate/Cargo.toml" ] || fail "the kit lacks the Rust crate (share/eventstore/rust/eventstore-plugin)"
    step "build examples/plugin-skeleton-rust with cargo against the kit's crate only"
    example="$work/plugin-skeleton-rust"
    mkdir "$example"
    cp -R "$source_dir/examples/plugin-skeleton-rust/Cargo.lock" "$source_dir/examples/plugin-skeleton-rust/src" \
        "$example/"
    sed "s|path = \"../../plugin-api/rust\"|path = \"$crate\"|" \
        "$source_dir/examples/plugin-skeleton-rust/Cargo.toml" >"$example/Cargo.toml"
    grep -q "path = \"$crate\"" "$example/Cargo.toml" || fail "the example's dependency on the crate was not found"
    target="$build_dir/rust/kit-target"
    CARGO_TARGET_DIR="$target" cargo build --release --locked -j 2 --manifest-path "$example/Cargo.toml" \
        >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "cargo build failed"; }
    grep -q "eventstore-plugin v0.1.0 ($crate)" "$work/build.log" || fail "cargo did not build the kit's crate"
    plugin="$target/release/libskeleton_rust.so"
    [ -f "$plugin" ] || fail "no libskeleton_rust.so"

    step "exports"
    check_exports "$plugin"

    step "eventstored loads it, by path and installed by short name"
    check_loads "$plugin"
    mkdir -p "$prefix/lib/eventstore/plugins"
    cp "$plugin" "$prefix/lib/eventstore/plugins/skeleton-rust.so"
    check_loads skeleton-rust "$prefix/lib/eventstore/plugins"

    certify "$plugin" skeleton-rust
}

case $mode in
cmake)
    build_example plugin-skeleton skeleton -DCMAKE_CXX_COMPILER="${CXX:-c++}"
    ;;
cmake-c)
    build_example plugin-skeleton-c skeleton-c -DCMAKE_C_COMPILER="${CC:-cc}"
    ;;
cargo)
    build_rust_example
    ;;
pkg-config)
    step "build the Kurrent stub with cc and pkg-config against the kit only"
    flags=$(PKG_CONFIG_PATH="$pc_dir" PKG_CONFIG_LIBDIR="$pc_dir" \
        pkg-config --cflags --libs eventstore-plugin) || fail "pkg-config eventstore-plugin failed"
    echo "pkg-config: $flags"
    case $flags in *"-I$pc_dir/"*) ;; *) fail "the include dir is not under the prefix: $flags" ;; esac
    plugin="$work/kurrent.so"
    # shellcheck disable=SC2086 # the flags are words
    "${CC:-cc}" -std=c11 -pedantic -Werror -Wall -Wextra -shared -fPIC -o "$plugin" \
        "$source_dir"/plugins/kurrent/*.c $flags || fail "cc failed"

    step "exports"
    check_exports "$plugin"

    step "eventstored loads it"
    check_loads "$plugin"
    ;;
*)
    echo "unknown mode: $mode" >&2
    exit 2
    ;;
esac
echo "ok: kit ($mode)"
