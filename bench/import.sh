#!/usr/bin/env bash
# Benchmark: `estate import` of the synthetic county at 1,300 / 100,000 / 1,000,000
# rows beside `ogr2ogr -f SQLite -dsco SPATIALITE=YES` on the same CSV, in the
# same run. Prints median wall time of RUNS runs and peak memory (max RSS).
#   bench/import.sh [SIZES...]      default: 1300 100000 1000000
#   RUNS=3 bench/import.sh 100000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh
bench_init "1300 100000 1000000" "$@"

printf "%-10s %-8s %12s %12s\n" rows tool median_s peak_MB
for n in "${sizes[@]}"; do
  csv="$work/county-$n.csv"
  [[ -f "$csv" ]] || "$estate" synth "$csv" --properties "$n" --seed 1 2>/dev/null
  # The two tools take turns, run by run, so that both see the machine in the same state.
  declare -A times=() peaks=()
  for ((r = 0; r < runs; r++)); do
    for tool in estate ogr2ogr; do
      rm -f "$work"/reg.sqlite* "$work"/ogr.sqlite*
      if [[ $tool == estate ]]; then
        "$estate" init "$work/reg.sqlite" 2>/dev/null
        # No --profile: the format is recognised and the columns inferred, as a new user runs it.
        read -r s kb _ < <(measure "$estate" import "$work/reg.sqlite" "$csv" --no-progress)
      else
        read -r s kb _ < <(measure ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536 "$work/ogr.sqlite" "$csv" \
          -oo X_POSSIBLE_NAMES=easting -oo Y_POSSIBLE_NAMES=northing -a_srs EPSG:27700 -nln properties)
      fi
      times[$tool]+="$s "
      (( kb > ${peaks[$tool]:-0} )) && peaks[$tool]=$kb
    done
  done
  for tool in estate ogr2ogr; do
    med=$(printf "%s\n" ${times[$tool]} | median)
    printf "%-10s %-8s %12s %12d\n" "$n" "$tool" "$med" $((peaks[$tool] / 1024))
  done
  unset times peaks
done
rm -f "$work"/reg.sqlite* "$work"/ogr.sqlite*
