#!/usr/bin/env bash
# Golden tests of the estate program (as PROJ's test/cli): every command's text, JSON
# and CSV on the bundled Trafford data, compared with the committed expected output in
# expected/, so that any change of output is a visible diff in review.
#
#   golden.sh ESTATE_PROGRAM            compare (exit 1 and a diff when any differs)
#   golden.sh ESTATE_PROGRAM --update   rewrite expected/ from this build (then review the diff)
#
# One register is built once (load, an officer, the rules, a correction, a tag, clusters,
# hubs) and every command is run on it. What varies from run to run is masked: the
# register's path, times and dates, wall-clock seconds, checksums of the register file.
set -uo pipefail
estate=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
data=$root/gis_data/trafford
expected=$here/expected
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reg=$work/trafford.sqlite
export ESTATE_THREADS=2 LC_ALL=C.UTF-8 TZ=UTC

# The fixture: every step must succeed.
setup() {
  "$estate" load "$reg" "$data/manifest.ini" &&
  "$estate" officers add "$reg" "Programme Team" --agency "Trafford Council" --partnership-wide &&
  "$estate" rag apply-rules "$reg" --by "Programme Team" &&
  "$estate" rag set "$reg" TMBC0002/B0000066 amber --reason "Service review 2027" --by "Programme Team" &&
  "$estate" set "$reg" TMBC0002/B0000066 gia_m2 900 --reason "Measured survey" --by "Programme Team" &&
  "$estate" clusters "$reg" --radius 250 &&
  "$estate" hubs "$reg" --radius 500
} >"$work/setup.log" 2>&1
if ! setup; then
  echo "FAIL the fixture could not be built:"; cat "$work/setup.log"; exit 1
fi

# NAME | ARGUMENTS (REG stands for the register). Each writes expected/NAME.out.
commands=$(cat <<'LIST'
info | info REG
info-json | info REG --json
list-libraries | list REG --use library
list-json | list REG --owner "Trafford Council" --use library --json
list-csv | list REG --status green --csv
show | show REG TMBC0002/B0000066
show-json | show REG TMBC0002/B0000066 --json
nearest | nearest REG TMBC0002/B0000066 --count 5
rag-summary | rag summary REG
rag-history | rag history REG TMBC0002/B0000066
rag-suggest | rag suggest REG
officers | officers list REG
clusters | clusters REG --radius 250
clusters-json | clusters REG --radius 250 --json
clusters-csv | clusters REG --radius 250 --csv
hubs | hubs REG --radius 500
hubs-json | hubs REG --radius 500 --json
hubs-csv | hubs REG --radius 500 --csv
runs | runs REG
receipts | receipts REG --runs 200 --seed 7
receipts-json | receipts REG --runs 200 --seed 7 --json
receipts-csv | receipts REG --runs 0 --csv
duplicates | duplicates REG
profiles | profiles
print-scenario | receipts --print-scenario
LIST
)

# Volatile text: the register's folder and the checkout's, ISO times and dates of today, seconds, sha256
# of files written today, the program's version.
mask() {
  sed -E -e "s#$work#WORK#g" -e "s#$root#SRC#g" \
         -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?/TIME/g' \
         -e 's/"(seconds|load|cluster|propose|store|rows|index|commit|read|check|write)": [0-9.e+-]+/"\1": S/g' \
         -e 's/[0-9]+\.[0-9]+ s\b/S s/g'
}

fail=0
mkdir -p "$expected"
while IFS='|' read -r name args; do
  name=$(echo "$name" | xargs)
  args=${args# }
  [ -z "$name" ] && continue
  cmdline=${args//REG/\"$reg\"}
  actual=$work/$name.out
  eval "\"$estate\" $cmdline" 2>/dev/null | mask >"$actual"
  status=${PIPESTATUS[0]}
  echo "exit $status" >>"$actual"
  if [ "$update" = "--update" ]; then
    cp "$actual" "$expected/$name.out"
  elif ! diff -u "$expected/$name.out" "$actual" >"$work/$name.diff"; then
    echo "FAIL $name: estate $args"; head -40 "$work/$name.diff"; fail=1
  else
    echo "ok   $name"
  fi
done <<<"$commands"
[ "$update" = "--update" ] && echo "expected/ rewritten: review with git diff"
exit $fail
