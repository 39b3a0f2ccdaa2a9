#!/usr/bin/env bash
# The README's main command: builds estate, loads the bundled Trafford data (every
# owner's layer) into one SpatiaLite register, applies the default RAG rules, finds
# co-location clusters and hub proposals, estimates the capital receipts, writes the
# board report and the QGIS exports, does the same for a synthetic Worcestershire
# county, and says where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
estate=build/tools/estate
out=out
mkdir -p "$out"

rm -f "$out"/trafford.sqlite* "$out"/trafford.batch*.issues.csv
"$estate" load "$out/trafford.sqlite" gis_data/trafford/manifest.ini
"$estate" info "$out/trafford.sqlite"
# The default RAG rules give a first red / amber / green picture for officers to refine.
# The partnership's programme team: the register's first officer, partnership-wide.
"$estate" officers add "$out/trafford.sqlite" "Programme Team" --agency "Trafford Council" --partnership-wide
# Their password for the web app (estate serve): made afresh each run, printed at the end.
demo_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-14)
echo "$demo_password" | "$estate" officers password "$out/trafford.sqlite" "Programme Team"
"$estate" rag apply-rules "$out/trafford.sqlite" --by "Programme Team"
"$estate" rag summary "$out/trafford.sqlite"
# Where agencies sit close together, and the hubs a board could act on (each run is
# stored in the register with its number).
"$estate" clusters "$out/trafford.sqlite" --radius 250 > "$out/trafford-clusters.txt"
"$estate" hubs "$out/trafford.sqlite" --radius 500 > "$out/trafford-hubs.txt"
# For boards: the capital receipts estimate (a range, not one number) and the report.
"$estate" receipts "$out/trafford.sqlite" > "$out/trafford-receipts.txt"
"$estate" report "$out/trafford.sqlite" --out "$out/trafford-board.html" --pdf "$out/trafford-board.pdf" > /dev/null
# For planners: one styled GeoPackage (every layer) and Shapefiles.
rm -rf "$out/trafford.gpkg" "$out/trafford-shp"
"$estate" export "$out/trafford.sqlite" --format gpkg --out "$out/trafford.gpkg" > /dev/null
"$estate" export "$out/trafford.sqlite" --format shp --out "$out/trafford-shp" \
  --layer properties --layer footprints --layer hubs --layer hub-links > /dev/null

rm -f "$out"/worcestershire.sqlite* "$out"/worcestershire.csv
"$estate" synth "$out/worcestershire.csv" --properties 1300 --seed 1
"$estate" init "$out/worcestershire.sqlite" --area Worcestershire --partnership "Worcestershire public estate partnership (synthetic data)"
"$estate" import "$out/worcestershire.sqlite" "$out/worcestershire.csv" --profile synthetic-county
"$estate" officers add "$out/worcestershire.sqlite" "Programme Team" --agency "Worcestershire County Council" --partnership-wide
"$estate" rag apply-rules "$out/worcestershire.sqlite" --by "Programme Team"
"$estate" hubs "$out/worcestershire.sqlite" --radius 500 > "$out/worcestershire-hubs.txt"
"$estate" receipts "$out/worcestershire.sqlite" > "$out/worcestershire-receipts.txt"
"$estate" report "$out/worcestershire.sqlite" --out "$out/worcestershire-board.html" --pdf "$out/worcestershire-board.pdf" > /dev/null
rm -f "$out/worcestershire.gpkg"
"$estate" export "$out/worcestershire.sqlite" --format gpkg --out "$out/worcestershire.gpkg" > /dev/null

cat <<EOT

Results (open the .sqlite files in QGIS: Layer > Add Layer > Add SpatiaLite Layer;
the properties layer opens coloured by RAG status):
  $out/trafford.sqlite              the real Trafford multi-agency register
  $out/trafford.batch*.issues.csv  rows the Trafford import rejected or stored with a warning, with reasons
  $out/trafford-clusters.txt        co-location clusters at 250 m
  $out/trafford-hubs.txt            hub proposals at 500 m, each explained in plain English
  $out/trafford-receipts.txt        the capital receipts estimate: range, by year/owner/status,
                                    sensitivities, data quality
  $out/trafford-board.html          the board report (open in a browser)
  $out/trafford-board.pdf           the same, printed to A4
  $out/trafford.gpkg                every layer (properties, footprints, hubs, hub links),
                                    styled, for QGIS (drag it onto the map)
  $out/trafford-shp/                the same layers as Shapefiles with .qml styles and
                                    .fields.csv name maps
  $out/worcestershire.sqlite        the synthetic Worcestershire county (1,300 properties)
  $out/worcestershire-hubs.txt      its hub proposals at 500 m
  $out/worcestershire-receipts.txt  its receipts estimate
  $out/worcestershire-board.html    its board report (and .pdf)
  $out/worcestershire.gpkg          its layers for QGIS
  $out/worcestershire.csv           the synthetic county as the CSV it was loaded from
Look inside with: $estate list $out/trafford.sqlite --owner "Trafford Council" --use library
                  $estate rag suggest $out/trafford.sqlite

Tag in the browser (docs/web.md):
  $estate serve $out/trafford.sqlite
then open http://127.0.0.1:8080/ and log in as "Programme Team" with the password
  $demo_password
(Ctrl-C stops the server; 'estate officers password' sets another password.)
EOT
