#!/bin/sh
# Runs a fuzz target's replay and passes only when it stops on a broken invariant (ctest checks
# which one): the proof that the targets' checks can fail.
if "$@" 2>&1; then
  echo "expect_violation.sh: no invariant was violated"
  exit 1
fi
