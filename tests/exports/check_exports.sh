#!/bin/sh
# check_exports.sh PLUGIN.so...: fails unless each plugin's only defined dynamic symbol is
# eventstore_plugin_entry (what plugin-api/eventstore-plugin.map allows), printing the offenders.
# NM names the nm to use (default: nm).
set -u
nm_program=${NM:-nm}
entry=eventstore_plugin_entry

if [ "$#" -eq 0 ]; then
    echo "usage: $0 PLUGIN.so..." >&2
    exit 2
fi

failed=0
for plugin in "$@"; do
    if ! listing=$("$nm_program" -D --defined-only "$plugin"); then
        echo "FAIL $plugin: $nm_program -D --defined-only failed"
        failed=1
        continue
    fi
    # The symbol name is the last field of each line ("ADDRESS TYPE NAME").
    symbols=$(printf '%s\n' "$listing" | awk 'NF { print $NF }' | sort -u)
    others=$(printf '%s\n' "$symbols" | grep -vx "$entry")
    ok=1
    if ! printf '%s\n' "$symbols" | grep -qx "$entry"; then
        echo "FAIL $plugin: does not export $entry"
        ok=0
    fi
    if [ -n "$others" ]; then
        echo "FAIL $plugin: exports $(printf '%s\n' "$others" | wc -l) symbol(s) besides $entry:"
        printf '%s\n' "$others" | sed 's/^/    /'
        ok=0
    fi
    if [ "$ok" -eq 1 ]; then
        echo "ok   $plugin: exports $entry only"
    else
        failed=1
    fi
done
exit "$failed"
