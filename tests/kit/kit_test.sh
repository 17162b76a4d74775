#!/bin/sh
# kit_test.sh MODE BUILD_DIR SOURCE_DIR EVENTSTORED [CONFORMANCE]: installs the plugin author's kit
# (cmake --install --component plugin-dev) into a temporary prefix, builds a plugin OUT of tree
# against it alone, and checks that the plugin exports only its entry symbol and that eventstored
# loads it. MODE says how the plugin is built:
#   cmake       examples/plugin-skeleton with find_package(EventStorePlugin) (CMake + Ninja); with
#               CONFORMANCE (eventstore-conformance) given, it must also be CONFORMANT
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
for file in include/eventstore/plugin.h include/eventstore/plugin.hpp \
    include/eventstore/status.hpp include/eventstore/abi_struct.hpp include/eventstore/deadline.hpp \
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

case $mode in
cmake)
    step "configure and build examples/plugin-skeleton against the kit only"
    cmake -S "$source_dir/examples/plugin-skeleton" -B "$work/skeleton" -G Ninja \
        -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER="${CXX:-c++}" -DCMAKE_INSTALL_PREFIX="$prefix" \
        >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure failed"; }
    grep -q "EventStorePlugin_DIR:PATH=$prefix/" "$work/skeleton/CMakeCache.txt" ||
        fail "find_package(EventStorePlugin) did not find the kit under $prefix"
    cmake --build "$work/skeleton" -j1 >"$work/build.log" 2>&1 ||
        { cat "$work/build.log"; fail "build failed"; }
    plugin="$work/skeleton/skeleton.so"
    [ -f "$plugin" ] || fail "no skeleton.so"

    step "exports"
    check_exports "$plugin"

    step "eventstored loads it, by path and installed by short name"
    check_loads "$plugin"
    cmake --install "$work/skeleton" >/dev/null || fail "cmake --install of the skeleton failed"
    installed=$(find "$prefix" -path "*/eventstore/plugins/skeleton.so")
    [ -n "$installed" ] || fail "the skeleton did not install into <libdir>/eventstore/plugins"
    check_loads skeleton "$(dirname "$installed")"

    if [ -n "$conformance" ]; then
        step "eventstore-conformance"
        sh "$source_dir/tests/conformance/run_conformance.sh" "conformant:40" \
            "$conformance" --plugin "$plugin" || fail "the skeleton is not conformant"
    fi
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
