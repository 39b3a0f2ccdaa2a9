#!/usr/bin/env bash
# Benchmark: `estate clusters` and `estate hubs` on the synthetic county at 1,300 /
# 100,000 / 1,000,000 properties, 250 m and 500 m, beside PostGIS's ST_ClusterDBSCAN
# on the same points (warm server: the query runs once untimed first) and a SpatiaLite
# SQL self-join finding the pairs within the radius, in the same run.
# Prints medians of RUNS (default 3; the SpatiaLite self-join runs once at 1,000,000)
# and estate's peak memory.
#   bench/clusters.sh [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/postgis.sh
source bench/lib/common.sh
bench_init "1300 100000 1000000" "$@"
postgis_start

json_number() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }

printf "%-9s %-6s %-36s %10s %9s\n" rows radius measure median_s peak_MB
for n in "${sizes[@]}"; do
  csv="$work/county-$n.csv"
  reg="$work/clusters-$n.sqlite"
  [[ -f "$csv" ]] || "$estate" synth "$csv" --properties "$n" --seed 1 2>/dev/null
  rm -f "$reg"*
  "$estate" init "$reg" 2>/dev/null
  "$estate" import "$reg" "$csv" --no-progress 2>/dev/null
  postgis_load_register "$reg" 2>/dev/null
  for radius in 250 500; do
    for mode in footprints points; do
      flag=""; [[ $mode == points ]] && flag="--points-only"
      walls=(); steps=(); peak=0
      for ((r = 0; r < runs; r++)); do
        /usr/bin/time -f "%e %M" -o "$work/time.txt" "$estate" clusters "$reg" --radius "$radius" $flag --json \
          > "$work/out.json" 2>/dev/null
        read -r s kb < "$work/time.txt"
        walls+=("$s"); (( kb > peak )) && peak=$kb
        steps+=("$(json_number '["seconds"]["cluster"]' < "$work/out.json")")
      done
      printf "%-9s %-6s %-36s %10s %9d\n" "$n" "$radius" "estate clusters ($mode), whole command" \
        "$(printf "%s\n" "${walls[@]}" | median)" $((peak / 1024))
      printf "%-9s %-6s %-36s %10.4f %9s\n" "$n" "$radius" "estate clustering step ($mode)" \
        "$(printf "%s\n" "${steps[@]}" | median)" "-"
    done
    walls=(); steps=(); peak=0
    for ((r = 0; r < runs; r++)); do
      /usr/bin/time -f "%e %M" -o "$work/time.txt" "$estate" hubs "$reg" --radius "$radius" --json \
        > "$work/out.json" 2>/dev/null
      read -r s kb < "$work/time.txt"
      walls+=("$s"); (( kb > peak )) && peak=$kb
      steps+=("$(json_number '["seconds"]["propose"]' < "$work/out.json")")
    done
    printf "%-9s %-6s %-36s %10s %9d\n" "$n" "$radius" "estate hubs (footprints), whole command" \
      "$(printf "%s\n" "${walls[@]}" | median)" $((peak / 1024))
    printf "%-9s %-6s %-36s %10.4f %9s\n" "$n" "$radius" "estate hub proposal step" \
      "$(printf "%s\n" "${steps[@]}" | median)" "-"
    # What a GIS officer would write in SpatiaLite: the pairs within the radius, by a
    # self-join through the spatial index (grouping them transitively is beyond SQL).
    selfjoin="SELECT count(*) FROM properties a, properties b WHERE b.ROWID IN (SELECT rowid FROM SpatialIndex
      WHERE f_table_name = 'properties' AND f_geometry_column = 'geom'
      AND search_frame = BuildCircleMbr(X(a.geom), Y(a.geom), $radius)) AND b.id > a.id
      AND ST_Distance(a.geom, b.geom) <= $radius"
    times=()
    sl_runs=$runs; (( n >= 1000000 )) && sl_runs=1
    for ((r = 0; r < sl_runs; r++)); do
      start=$(date +%s.%N); spatialite "$reg" "$selfjoin" >/dev/null; end=$(date +%s.%N)
      times+=("$(echo "$end - $start" | bc)")
    done
    printf "%-9s %-6s %-36s %10s %9s\n" "$n" "$radius" "SpatiaLite self-join, pairs (points)" \
      "$(printf "%s\n" "${times[@]}" | median)" "-"
    sql="SELECT count(DISTINCT c) FROM (SELECT ST_ClusterDBSCAN(pt, eps := $radius, minpoints := 1) OVER () AS c FROM props) t"
    pg -c "$sql" >/dev/null # warm
    times=()
    for ((r = 0; r < runs; r++)); do
      start=$(date +%s.%N); pg -c "$sql" >/dev/null; end=$(date +%s.%N)
      times+=("$(echo "$end - $start" | bc)")
    done
    printf "%-9s %-6s %-36s %10s %9s\n" "$n" "$radius" "PostGIS ST_ClusterDBSCAN (points)" \
      "$(printf "%s\n" "${times[@]}" | median)" "-"
  done
  rm -f "$reg"*
done
