#!/usr/bin/env bash
# The Debian package as a user gets it: `cpack -G DEB` in the build folder, its declared
# dependencies (the libraries estate links, from dpkg-shlibdeps, and the data it reads),
# its contents, and the program run from an unpacked copy.
#   check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
cd "$build"
rm -f estate_*.deb
cpack -G DEB >/dev/null
deb=$(ls estate_*_*.deb)
fail=0
check() { if eval "$1"; then echo "ok   $2"; else echo "FAIL $2"; fail=1; fi; }
info=$(dpkg-deb -I "$deb")
for dep in libgdal libgeos-c libproj libspatialite libsqlite3 libboost-program-options proj-data libgeo-coordinates-osgb-perl; do
  check 'grep -q "Depends:.*$dep" <<< "$info"' "it depends on $dep"
done
contents=$(dpkg-deb -c "$deb")
for f in usr/bin/estate usr/share/man/man1/estate.1 usr/share/estate/styles/properties.qml \
         usr/share/estate/profiles/transparency-code.ini usr/share/estate/rules/default.ini \
         usr/share/estate/scenarios/default.ini usr/share/doc/estate/LICENSE; do
  check 'grep -q "\./$f\$" <<< "$contents"' "it installs /$f"
done
check '! grep -q "usr/include/\|\.a\$\|cmake/estate" <<< "$contents"' "it holds the program, not libestate's development files"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
check '"$root/usr/bin/estate" --version | grep -q "^estate [0-9]"' "the unpacked program runs (estate --version)"
check '"$root/usr/bin/estate" help receipts | grep -q "Usage: estate receipts"' "estate help receipts"
check 'MANWIDTH=250 man -l "$root/usr/share/man/man1/estate.1" 2>/dev/null | grep -q "estate report"' "the man page lists the commands"
exit $fail
