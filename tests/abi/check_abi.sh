#!/bin/sh
# check_abi.sh PROBE.so BASELINE.xml: fails unless the ABI that PROBE.so carries (every type of
# eventstore/plugin.h, see plugin-api/abi/abi_probe.c) is the one recorded in BASELINE.xml.
# ABIDIFF names the abidiff to use (default: abidiff, from Debian's abigail-tools).
set -u
abidiff=${ABIDIFF:-abidiff}
probe=$1
baseline=$2

if ! command -v "$abidiff" >/dev/null 2>&1; then
    echo "FAIL: $abidiff not found; install abigail-tools (scripts/install-deps.sh does)"
    exit 1
fi

report=$("$abidiff" "$baseline" "$probe")
status=$?
if [ "$status" -eq 0 ]; then
    echo "ok: the plugin ABI matches $baseline"
    exit 0
fi
printf '%s\n' "$report"
echo
# abidiff's exit status is a bit set: 1 error, 2 usage error, 4 ABI change, 8 incompatible change.
if [ $((status & 3)) -ne 0 ]; then
    echo "FAIL: abidiff could not compare (exit status $status)"
    exit 1
fi
if [ $((status & 8)) -ne 0 ]; then
    echo "FAIL: eventstore/plugin.h changed its ABI INCOMPATIBLY against $baseline."
else
    echo "FAIL: eventstore/plugin.h changed its ABI against $baseline."
fi
cat <<'ADVICE'
Plugins built against the old header would load and misbehave. If the change is intended:
  - only fields appended at the end of structs / functions at the end of tables: raise
    ES_PLUGIN_ABI_MINOR; anything else: raise ES_PLUGIN_ABI_MAJOR;
  - update plugin-api/abi/abi_layout_check.c;
  - run plugin-api/abi/update-baseline.sh and commit the new baseline with the header.
ADVICE
exit 1
