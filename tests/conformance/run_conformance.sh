#!/bin/sh
# run_conformance.sh EXPECTATION PROGRAM [ARG...]: runs eventstore-conformance (PROGRAM ARG...) and
# checks its verdict line, the last line starting with CONFORMANT: or NOT CONFORMANT:.
#
# EXPECTATION is one of
#   conformant:MIN     exit 0, "CONFORMANT: ... passed N of N checks" with N >= MIN
#   fails:A,B,...      exit 1, "NOT CONFORMANT: ..." and the failing checks are exactly A, B, ...
#                      (order does not matter)
#   fails-all:TEXT     exit 1, "NOT CONFORMANT: ... failed N of N checks" (every check that ran
#                      failed), and TEXT appears in the output
# With MUST_SAY set in the environment, the output must also contain that text.
# On a mismatch it prints the end of the output and what differs, and exits 1.
set -u

if [ "$#" -lt 2 ]; then
    echo "usage: $0 EXPECTATION PROGRAM [ARG...]" >&2
    exit 2
fi
expectation=$1
shift

output=$("$@" 2>&1)
status=$?
verdict=$(printf '%s\n' "$output" | grep -E '^(NOT )?CONFORMANT: ' | tail -n 1)

fail() {
    printf '%s\n' "$output" | tail -n 150
    echo
    echo "FAIL: $*"
    exit 1
}

[ -n "$verdict" ] || fail "no verdict line (exit status $status)"
echo "$verdict"

# The two numbers of "passed|failed N of M checks".
counts=$(printf '%s\n' "$verdict" | sed -n -E 's/^.* (passed|failed) ([0-9]+) of ([0-9]+) checks.*$/\2 \3/p')
[ -n "$counts" ] || fail "cannot read the counts of: $verdict"
set -- $counts
count=$1
total=$2

case $expectation in
conformant:*)
    minimum=${expectation#conformant:}
    [ "$status" -eq 0 ] || fail "exit status $status, expected 0"
    case $verdict in "CONFORMANT: "*) ;; *) fail "expected CONFORMANT" ;; esac
    [ "$count" -eq "$total" ] || fail "passed $count of $total"
    [ "$total" -ge "$minimum" ] || fail "$total checks ran, expected at least $minimum"
    ;;
fails:*)
    [ "$status" -eq 1 ] || fail "exit status $status, expected 1"
    case $verdict in "NOT CONFORMANT: "*) ;; *) fail "expected NOT CONFORMANT" ;; esac
    actual=$(printf '%s\n' "$verdict" | sed 's/^[^:]*: .* checks: //' | tr -d ' ' | tr ',' '\n' | sort)
    expected=$(printf '%s\n' "${expectation#fails:}" | tr ',' '\n' | sort)
    if [ "$actual" != "$expected" ]; then
        for name in $expected; do
            printf '%s\n' "$actual" | grep -qxF "$name" || echo "not caught:      $name"
        done
        for name in $actual; do
            printf '%s\n' "$expected" | grep -qxF "$name" || echo "failed, unlisted: $name"
        done
        fail "the failing checks are not the expected ones"
    fi
    ;;
fails-all:*)
    text=${expectation#fails-all:}
    [ "$status" -eq 1 ] || fail "exit status $status, expected 1"
    case $verdict in "NOT CONFORMANT: "*) ;; *) fail "expected NOT CONFORMANT" ;; esac
    [ "$total" -gt 0 ] && [ "$count" -eq "$total" ] || fail "failed $count of $total, expected all"
    printf '%s\n' "$output" | grep -qF "$text" || fail "the output does not mention $text"
    ;;
*)
    echo "unknown expectation: $expectation" >&2
    exit 2
    ;;
esac
if [ -n "${MUST_SAY:-}" ]; then
    printf '%s\n' "$output" | grep -qF -- "$MUST_SAY" || fail "the output does not say: $MUST_SAY"
fi
echo "ok: $expectation"
