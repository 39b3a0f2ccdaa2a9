#!/usr/bin/env bash
# libestate as another project gets it: installed (the "development" component) into a
# scratch prefix, found with find_package(estate), linked by tests/package/consumer,
# which reads a register the estate program made. Also checks that the project's
# warning flags and version define do not leak to the consumer.
#   check_find_package.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail=0
check() { if eval "$1"; then echo "ok   $2"; else echo "FAIL $2"; fail=1; fi; }

cmake --install "$build" --component development --prefix "$scratch/prefix" >/dev/null
check '[ -f "$scratch/prefix/lib/cmake/estate/estateConfig.cmake" ]' "the CMake package is installed"
check '[ -f "$scratch/prefix/include/estate/db/register.hpp" ]' "the public headers are installed"
check '! grep -rq "gdal.h\|sqlite3.h\|geos_c.h\|proj.h" "$scratch/prefix/include"' "no C library header in the public headers"
targets=$(cat "$scratch"/prefix/lib/cmake/estate/estateTargets*.cmake)
check '! grep -q "Wall\|Werror\|fsanitize\|ESTATE_VERSION_TEXT\|estate_warnings" <<< "$targets"' \
  "no warning flag, sanitizer or version define leaks to consumers"

cmake -S "$here/consumer" -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$scratch/prefix" >"$scratch/configure.log" 2>&1 ||
  { cat "$scratch/configure.log"; exit 1; }
cmake --build "$scratch/consumer" >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; exit 1; }
check 'true' "a project builds against it with find_package(estate)"

"$build/tools/estate" init "$scratch/r.sqlite" >/dev/null
"$build/tools/estate" import "$scratch/r.sqlite" "$here/../../gis_data/trafford/trafford_land_and_building_assets.csv" >/dev/null 2>&1
out=$("$scratch/consumer/consumer" "$scratch/r.sqlite")
echo "$out"
check 'grep -q "^libestate [0-9]" <<< "$out"' "the consumer reports libestate's version"
check 'grep -q "^uses [1-9]" <<< "$out"' "the consumer reads the vocabularies"
check 'grep -q "^properties 608 owners 1$" <<< "$out"' "the consumer reads a register the program made (Trafford: 608 properties)"
exit $fail
