#!/bin/sh
# help_test.sh CONFORMANCE: `eventstore-conformance --help` exits 0, lists each of the suite's own
# flags in its options table, and only then GoogleTest's flags (after "GoogleTest's own flags:").
set -u
output=$("$1" --help 2>&1)
status=$?
fail() {
    printf '%s\n' "$output"
    echo "FAIL: $*"
    exit 1
}
[ "$status" -eq 0 ] || fail "exit status $status, expected 0"
# The number of the first line of the options table that describes FLAG (Boost.Program_options
# writes "  --flag arg" or "  -h [ --help ]").
line_of() { printf '%s\n' "$output" | grep -n -E -- "^ +(-[a-zA-Z] \[ )?$1( |$)" | head -n 1 | cut -d: -f1; }
gtest=$(printf '%s\n' "$output" | grep -n -F "GoogleTest's own flags:" | head -n 1 | cut -d: -f1)
[ -n "$gtest" ] || fail "no \"GoogleTest's own flags:\" line"
printf '%s\n' "$output" | sed -n "$gtest,\$p" | grep -q -- "--gtest_filter" ||
    fail "GoogleTest's flags are not listed after that line"
for flag in --plugin --plugin-dir --config --target --writers --duration-ms --help; do
    at=$(line_of "$flag")
    [ -n "$at" ] || fail "$flag is not listed"
    [ "$at" -lt "$gtest" ] || fail "$flag (line $at) comes after GoogleTest's flags (line $gtest)"
done
echo "ok: the suite's flags, then GoogleTest's"
