#!/usr/bin/env bash
# build_and_lint.sh ROOT PACKAGE_BUILD_DIR: builds the packages with scripts/packages.sh into
# PACKAGE_BUILD_DIR/dist and checks them (issue 6, acceptance 1): one .deb and one .rpm for each of
# the five packages; lintian reports no error and no warning (the few it cannot be spared are
# overridden in packaging/lintian, each with its reason); rpmlint reports no error.
set -euo pipefail
root=$1
dist=$(EVENTSTORE_PACKAGE_BUILD_DIR=$2 "$root/scripts/packages.sh" -j1)
source "$root/tests/packaging/packages.sh"

for package in "${eventstore_packages[@]}"; do
  deb_of "$dist" "$package" >/dev/null
  rpm_of "$dist" "$package" >/dev/null
done
ls -l "$dist"

echo "--- lintian"
lintian --fail-on error,warning --display-info "$dist"/*.deb \
  || { echo "FAIL: lintian reports errors or warnings (above)"; exit 1; }
echo "lintian: no errors, no warnings"

echo "--- rpmlint"
status=0
output=$(rpmlint -c "$root/packaging/rpmlint.toml" "$dist"/*.rpm 2>&1) || status=$?
echo "$output"
summary=$(grep -E '[0-9]+ errors?, [0-9]+ warnings?' <<<"$output" | tail -n 1)
[[ $summary =~ ([0-9]+)\ errors? ]] || { echo "FAIL: no rpmlint summary (exit $status)"; exit 1; }
[[ ${BASH_REMATCH[1]} -eq 0 ]] || { echo "FAIL: rpmlint reports errors"; exit 1; }
echo "rpmlint: no errors"
