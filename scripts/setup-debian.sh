#!/usr/bin/env bash
# Installs exactly the Debian 12 packages this project needs to build, test and run.
# Used by both README commands and by .ci/run. Safe to run again: it installs only
# what is missing.
#
#   scripts/setup-debian.sh            build + run + test packages
#   scripts/setup-debian.sh --bench    also PostGIS/PostgreSQL for the benchmarks
#   scripts/setup-debian.sh --fuzz     also clang and libFuzzer (scripts/fuzz.sh)
#   scripts/setup-debian.sh --format   only clang-format (scripts/check-format.sh)
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # the libraries libestate links against
  libgdal-dev libproj-dev proj-data libgeos-dev libsqlite3-dev libspatialite-dev
  libboost-dev libboost-program-options-dev libssl-dev
  # officers' passwords for the web app (Argon2id)
  libsodium-dev
  # Ordnance Survey's OSTN15 grid (read at run time by libestate/geo/ostn15.cpp)
  libgeo-coordinates-osgb-perl
  # tests
  catch2
  # the tools users check our files with (used by tests), QGIS itself included
  gdal-bin spatialite-bin sqlite3 python3-gdal python3-qgis qgis-providers
  # a browser, headless, to render and print the board report as a reader would
  # (and for `estate report --pdf`); poppler-utils reads the PDF back in the tests
  chromium poppler-utils
  # the Debian package and its man page (tests/package)
  dpkg-dev help2man man-db
)
# estate serve's page is built from npm packages (OpenLayers, proj4, esbuild) at build
# time, and its browser tests use the page's playwright-core: Debian's Node.js and npm,
# unless a Node.js with npm is installed already (nodesource's nodejs carries its own npm
# and cannot sit beside Debian's npm package).
if ! command -v npm > /dev/null || ! command -v node > /dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(time bc)
fi
if [[ "${1:-}" == "--fuzz" ]]; then # libFuzzer is clang's (scripts/fuzz.sh)
  packages+=(clang libclang-rt-14-dev)
fi
if [[ "${1:-}" == "--format" ]]; then # the layout check needs nothing else
  packages=(clang-format)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "setup: all Debian packages present" >&2
fi
