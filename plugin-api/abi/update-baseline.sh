#!/bin/sh
# update-baseline.sh [BUILD_DIR]: rewrites eventstore-plugin-abi.xml, the committed ABI baseline
# that tests/abi compares the plugin header with (abidiff).
#
# The rule: the baseline changes only together with an ABI version bump in
# plugin-api/include/eventstore/plugin.h:
#   - fields appended at the end of structs, functions appended at the end of tables:
#     raise ES_PLUGIN_ABI_MINOR;
#   - anything else (a field moved, removed, retyped; a signature changed): raise
#     ES_PLUGIN_ABI_MAJOR and reset the minor to 0.
# Update the static asserts in abi_layout_check.c in the same change. This script refuses to
# write a new baseline while the header still carries the baseline's version.
#
# BUILD_DIR is a configured build tree of this repository (default: build/ at the top).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
baseline="$here/eventstore-plugin-abi.xml"

for tool in abidw abidiff; do
    command -v "$tool" >/dev/null || { echo "$tool not found: install abigail-tools" >&2; exit 1; }
done

cmake --build "$build" --target eventstore_abi_probe
probe="$build/plugin-api/abi/libabi_probe.so"

# The probe exports a function named after the ABI version (abi_probe.c).
version_of() {
    grep -o "eventstore_abi_v[0-9]*_[0-9]*" "$1" | head -n 1 | sed 's/eventstore_abi_v//; s/_/./'
}
new_abi=$(mktemp)
trap 'rm -f "$new_abi"' EXIT
abidw --no-corpus-path --no-comp-dir-path --short-locs --out-file "$new_abi" "$probe"
new_version=$(version_of "$new_abi")

if [ -f "$baseline" ]; then
    old_version=$(version_of "$baseline")
    if abidiff "$baseline" "$new_abi" >/dev/null; then
        echo "the baseline already matches ABI $new_version; nothing to do"
        exit 0
    fi
    if [ "$old_version" = "$new_version" ]; then
        echo "the ABI changed but plugin.h still says ABI $new_version, the baseline's version." >&2
        echo "Raise ES_PLUGIN_ABI_MINOR (only appended fields or functions) or" >&2
        echo "ES_PLUGIN_ABI_MAJOR (anything else) first; abidiff says:" >&2
        abidiff "$baseline" "$new_abi" >&2 || true
        exit 1
    fi
    echo "ABI $old_version -> $new_version; the changes:"
    abidiff "$baseline" "$new_abi" || true
fi
cp "$new_abi" "$baseline"
echo "wrote $baseline (ABI $new_version); commit it together with plugin.h and abi_layout_check.c"
