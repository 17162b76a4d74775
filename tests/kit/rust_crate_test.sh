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
    # Both copies through the same rustfmt, so that only what bindgen makes of the header counts.
    PATH="$PATH:$HOME/.cargo/bin"
    compare="$build_dir/rust/bindings"
    mkdir -p "$compare"
    sh "$crate/regenerate.sh" "$compare/fresh.rs"
    cp "$crate/src/sys.rs" "$compare/committed.rs"
    rustfmt --edition 2021 "$compare/fresh.rs" "$compare/committed.rs"
    if ! diff -u "$compare/committed.rs" "$compare/fresh.rs"; then
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
