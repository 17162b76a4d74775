#!/usr/bin/env bash
# Builds and tests the TypeScript SDK from a clean clone: installs the pinned dependencies from
# npm (npm ci), generates the stubs from proto/ (npm run generate), compiles (tsc), packs the npm
# tarball into $EVENTSTORE_SDK_BUILD_DIR and checks it (scripts/check-pack.js: the README, .d.ts
# types, the exports map), installs that tarball there for interop.sh, and runs the tests
# (node --test) against eventstored processes the tests start themselves.
# Env (set by ctest, see sdks/CMakeLists.txt; defaults for a manual run from the build tree):
#   EVENTSTORED, EVENTSTORE_MEMORY_PLUGIN, EVENTSTORE_PROTO_DIR, EVENTSTORE_SDK_BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export EVENTSTORED=${EVENTSTORED:-$repo/build/bin/eventstored}
export EVENTSTORE_MEMORY_PLUGIN=${EVENTSTORE_MEMORY_PLUGIN:-$repo/build/plugins/memory.so}
export EVENTSTORE_PROTO_DIR=${EVENTSTORE_PROTO_DIR:-$repo/proto}
export EVENTSTORE_SDK_BUILD_DIR=${EVENTSTORE_SDK_BUILD_DIR:-$repo/build/sdks/typescript}
mkdir -p "$EVENTSTORE_SDK_BUILD_DIR"
build=$(cd "$EVENTSTORE_SDK_BUILD_DIR" && pwd)
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

cd "$here"
echo "== npm ci"
npm ci
echo "== npm run generate"
npm run generate
echo "== npm run build"
rm -rf dist dist-test
npm run build
echo "== npm pack into $build"
rm -f "$build"/eventstore-client-*.tgz
npm pack --pack-destination "$build"
tarball=$(ls "$build"/eventstore-client-*.tgz)
echo "== npm pack --dry-run: the README, types and the exports map are in the tarball"
npm pack --dry-run --json 2>/dev/null | node scripts/check-pack.js

echo "== install the tarball for interop.sh: $build/interop-app"
npm run build:test
app=$build/interop-app
rm -rf "$app"
mkdir -p "$app"
printf '{ "name": "eventstore-typescript-interop", "private": true, "version": "0.0.0" }\n' > "$app/package.json"
(cd "$app" && npm install --prefer-offline --no-save --no-package-lock "$tarball" >/dev/null)
cp dist-test/interop/interop.js "$app/interop.js"
(cd "$app" && node -e 'const c = require("@eventstore/client"); if (typeof c.EventStoreClient !== "function") process.exit(1)')

echo "== node --test"
npm test
