#!/usr/bin/env bash
# Benchmark: OSTN15 (estate's geo::ToGrid / ToLonLat) beside PROJ's Helmert on the same
# 1,000,000 points, both directions, in one run. Prints medians and the largest
# difference between the two.
#   bench/transform.sh [POINTS] [RUNS]      default: 1000000 5
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
cmake --build build --target estate_bench_transform >/dev/null
build/bench/estate_bench_transform "${1:-1000000}" "${2:-5}"
