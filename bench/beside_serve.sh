#!/usr/bin/env bash
# Officers tagging through estate serve while other programs use the same register, 20
# rounds of each (a backup with sqlite3, a sqlite3 query, an import, the rules, a report,
# a GDAL edit, a QGIS edit): tests/web/beside_serve.py, which the test suite runs for 2.
# Prints a line per round and exits 1 if any confirmed tag was lost or a request failed.
#   bench/beside_serve.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
work=$(mktemp -d /tmp/estate-beside-XXXXXX)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 tests/web/beside_serve.py build/tools/estate gis_data/trafford/manifest.ini "$work" --rounds "${1:-20}"
