#!/usr/bin/env bash
# Checks that `estate clusters` gives the same partition as PostGIS's
# ST_ClusterDBSCAN(geom, eps := radius, minpoints := 1) on the same properties:
#   1. the synthetic county's locations (points) at several radii;
#   2. its buildings with footprints only, footprint to footprint.
# Starts a throwaway PostGIS server (installed from Debian if missing).
#   bench/check_clusters_postgis.sh [PROPERTIES]      default 20000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/postgis.sh
bash scripts/build.sh >/dev/null
estate=$PWD/build/tools/estate
n=${1:-20000}
work=$(mktemp -d /tmp/estate-check.XXXXXX)
postgis_start
trap 'postgis_stop; rm -rf "$work"' EXIT

"$estate" synth "$work/county.csv" --properties "$n" --seed 7 2>/dev/null
# The same county with only the properties that have a footprint.
python3 - "$work/county.csv" "$work/buildings.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as g:
    r = csv.DictReader(f); w = csv.DictWriter(g, r.fieldnames); w.writeheader()
    for row in r:
        if row["footprint_wkt"]:
            w.writerow(row)
PY

compare() { # name register radius estate-flags postgis-geometry-column
  local name=$1 register=$2 radius=$3 flags=$4 column=$5
  "$estate" clusters "$register" --radius "$radius" --min-agencies 1 $flags --csv 2>/dev/null \
    | python3 -c 'import csv,sys; [print(r["cluster"], r["id"]) for r in csv.DictReader(sys.stdin)]' > "$work/ours.txt"
  pg -At -F ' ' -c "SELECT c, id FROM (SELECT id, ST_ClusterDBSCAN($column, eps := $radius, minpoints := 1)
                      OVER () AS c FROM props) t" > "$work/theirs.txt"
  python3 - "$work/ours.txt" "$work/theirs.txt" "$name" "$radius" <<'PY'
import collections, sys
def groups(path, min_size):
    g = collections.defaultdict(set)
    for line in open(path):
        c, i = line.split()
        g[c].add(int(i))
    return {frozenset(s) for s in g.values() if len(s) >= min_size}
ours, theirs = groups(sys.argv[1], 2), groups(sys.argv[2], 2)
name, radius = sys.argv[3], sys.argv[4]
same = ours == theirs
print(f"{'ok  ' if same else 'FAIL'} {name} at {radius} m: estate {len(ours)} clusters of 2+, "
      f"PostGIS {len(theirs)}; {sum(len(s) for s in ours)} vs {sum(len(s) for s in theirs)} properties in them")
sys.exit(0 if same else 1)
PY
}

status=0
"$estate" init "$work/points.sqlite" 2>/dev/null
"$estate" import "$work/points.sqlite" "$work/county.csv" --no-progress 2>/dev/null
postgis_load_register "$work/points.sqlite"
for r in 50 250 500 1000; do compare "points" "$work/points.sqlite" "$r" "--points-only" pt || status=1; done

"$estate" init "$work/buildings.sqlite" 2>/dev/null
"$estate" import "$work/buildings.sqlite" "$work/buildings.csv" --no-progress 2>/dev/null
postgis_load_register "$work/buildings.sqlite"
for r in 0 25 100 250; do compare "footprints" "$work/buildings.sqlite" "$r" "" fp || status=1; done
exit $status
