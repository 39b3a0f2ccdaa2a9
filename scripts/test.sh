#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test.
#   scripts/test.sh             normal build
#   scripts/test.sh --sanitize  the same suite under AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh "${1:-}"
dir=build
[[ "${1:-}" == "--sanitize" ]] && dir=build-sanitize
# GDAL and SQLite allocate caches they free at exit; leaks there are not ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)"
