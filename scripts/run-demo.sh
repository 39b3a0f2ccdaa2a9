#!/usr/bin/env bash
# The README's main command: builds estate and loads the bundled Trafford data
# (every owner's layer) into one SpatiaLite register, then the synthetic
# Worcestershire county into another, and says where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
estate=build/tools/estate
out=out
mkdir -p "$out"

rm -f "$out"/trafford.sqlite* "$out"/trafford.batch*.rejects.csv
"$estate" load "$out/trafford.sqlite" gis_data/trafford/manifest.ini
"$estate" info "$out/trafford.sqlite"
# The default RAG rules give a first red / amber / green picture for officers to refine.
"$estate" rag apply-rules "$out/trafford.sqlite"
"$estate" rag summary "$out/trafford.sqlite"

rm -f "$out"/worcestershire.sqlite* "$out"/worcestershire.csv
"$estate" synth "$out/worcestershire.csv" --properties 1300 --seed 1
"$estate" init "$out/worcestershire.sqlite"
"$estate" import "$out/worcestershire.sqlite" "$out/worcestershire.csv" --profile synthetic-county
"$estate" rag apply-rules "$out/worcestershire.sqlite"

cat <<EOT

Results (open the .sqlite files in QGIS: Layer > Add Layer > Add SpatiaLite Layer;
the properties layer opens coloured by RAG status):
  $out/trafford.sqlite              the real Trafford multi-agency register
  $out/trafford.batch*.rejects.csv  rows the Trafford import rejected, with reasons
  $out/worcestershire.sqlite        the synthetic Worcestershire county (1,300 properties)
  $out/worcestershire.csv           the synthetic county as the CSV it was loaded from
Look inside with: $estate list $out/trafford.sqlite --owner "Trafford Council" --use library
                  $estate rag suggest $out/trafford.sqlite
EOT
