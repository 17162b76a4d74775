#!/bin/sh
# rust_crate_test.sh MODE BUILD_DIR: the Rust kit's crate (plugin-api/rust, eventstore-plugin).
#   bindings  src/sys.rs is what regenerate.sh (bindgen, Debian's package) makes of plugin.h and
#             shim/shim.h today: the committed bindings cannot drift from the header
#   crate     cargo test: the boundary rules (panics, growth, negotiation, errors) driven through
#             the plugin's table as the host calls it
set -eu
mode=$1
build_dir=$2
crate=$(cd "$(dirname "$0")/../../plugin-api/rust" && pwd)
case $mode in
bindings)
    command -v bindgen >/dev/null || { echo "FAIL: bindgen is not installed (scripts/install-deps.sh)"; exit 1; }
    fresh="$build_dir/rust/sys.rs"
    mkdir -p "$build_dir/rust"
    sh "$crate/regenerate.sh" "$fresh"
    if ! diff -u "$crate/src/sys.rs" "$fresh"; then
        echo "FAIL: plugin-api/rust/src/sys.rs is not what plugin.h gives now: run plugin-api/rust/regenerate.sh and commit it"
        exit 1
    fi
    echo "ok: src/sys.rs matches plugin.h and shim/shim.h"
    ;;
crate)
    # rustup installs cargo here; a non-login shell may not have it on PATH (as sdks/rust/test.sh).
    PATH="$PATH:$HOME/.cargo/bin"
    CARGO_TARGET_DIR="$build_dir/rust/target" cargo test --locked -j 2 --manifest-path "$crate/Cargo.toml"
    ;;
*)
    echo "unknown mode: $mode" >&2
    exit 2
    ;;
esac
