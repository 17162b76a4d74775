# packages.sh: sourced by the packaging tests. The five packages, and where each one's file is.
#   eventstore_packages     the package names
#   deb_of DIST PACKAGE     prints the path of PACKAGE's .deb in DIST (exactly one, else fails)
#   rpm_of DIST PACKAGE     the same for the .rpm
eventstore_packages=(eventstore-server eventstore-plugin-postgres eventstore-plugin-kurrent
  eventstore-conformance eventstore-plugin-dev)

package_file() {
  local files
  files=("$1"/$2)
  [[ ${#files[@]} -eq 1 && -f ${files[0]} ]] || { echo "FAIL: no single $1/$2" >&2; return 1; }
  echo "${files[0]}"
}
deb_of() { package_file "$1" "${2}_*.deb"; }
rpm_of() { package_file "$1" "${2}-[0-9]*.rpm"; }
