#!/usr/bin/env bash
# Builds and tests the Rust SDK against a real eventstored (the tests start it).
# Env (set by ctest, defaults to this checkout's build tree): EVENTSTORED, EVENTSTORE_MEMORY_PLUGIN,
# EVENTSTORE_PROTO_DIR, EVENTSTORE_SDK_BUILD_DIR. Needs cargo (crates.io) and Debian's protoc.
set -euo pipefail
# rustup installs cargo here; a non-login shell may not have it on PATH.
export PATH="$PATH:$HOME/.cargo/bin"
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export EVENTSTORED=${EVENTSTORED:-$repo/build/bin/eventstored}
export EVENTSTORE_MEMORY_PLUGIN=${EVENTSTORE_MEMORY_PLUGIN:-$repo/build/plugins/memory.so}
export EVENTSTORE_PROTO_DIR=${EVENTSTORE_PROTO_DIR:-$repo/proto}
export EVENTSTORE_SDK_BUILD_DIR=${EVENTSTORE_SDK_BUILD_DIR:-$repo/build/sdks/rust}
export CARGO_TARGET_DIR=$EVENTSTORE_SDK_BUILD_DIR/target
export PROTOC=${PROTOC:-$(command -v protoc || echo /usr/bin/protoc)}
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-2}
mkdir -p "$EVENTSTORE_SDK_BUILD_DIR"
cd "$here"

# Dependencies: the versions of Cargo.lock (pinned with = in Cargo.toml), from crates.io.
cargo fetch --locked
# Stubs: build.rs generates them from $EVENTSTORE_PROTO_DIR into $CARGO_TARGET_DIR (OUT_DIR).
cargo build --locked --all-features -j "$CARGO_BUILD_JOBS" --lib --examples
# The crate artifact (.crate), into the build dir.
cargo package --locked --no-verify --allow-dirty --quiet
ls "$CARGO_TARGET_DIR"/package/eventstore-client-*.crate
# The tests (each test starts its own eventstored on a free port), and the Order example.
cargo test --locked --all-features -j "$CARGO_BUILD_JOBS" -- --test-threads 4
