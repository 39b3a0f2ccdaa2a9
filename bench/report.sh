#!/usr/bin/env bash
# Benchmark: the board's numbers at county scale. For each size, in one run: `estate
# import` of the synthetic county (the yardstick), `estate rag apply-rules` on it (the
# first picture of every property, in one transaction) and `estate list --csv` (every
# field of every property), then on that register, tagged by the rules and with a hubs
# run, `estate receipts --runs 1000` and `estate report` (1,000 runs, HTML, its headline
# kept in the register as by default). Median wall time of RUNS runs each, peak memory, processor use, and the
# ratio of each to the import. Also checks that the same seed gives the same numbers on
# one thread as on every core (ESTATE_THREADS=1).
#   bench/report.sh [SIZES...]      default: 100000 1000000
#   RUNS=3 bench/report.sh 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/common.sh
bench_init "100000 1000000" "$@"

printf "%-9s %-26s %9s %9s %6s %9s\n" rows step median_s peak_MB cpu_% x_import
for n in "${sizes[@]}"; do
  csv="$work/county-$n.csv"
  reg="$work/report-$n.sqlite"
  [[ -f "$csv" ]] || "$estate" synth "$csv" --properties "$n" --seed 1 2>/dev/null
  declare -A times=() peaks=() cpus=()
  for ((r = 0; r < runs; r++)); do
    rm -f "$reg"*
    "$estate" init "$reg" 2>/dev/null
    read -r s kb cpu < <(measure "$estate" import "$reg" "$csv" --profile synthetic-county --no-progress)
    times[import]+="$s "; peaks[import]=$kb; cpus[import]=$cpu
    owner=$(sqlite3 "$reg" "SELECT name FROM owners ORDER BY id LIMIT 1")
    "$estate" officers add "$reg" "Programme Team" --agency "$owner" --partnership-wide 2>/dev/null
    read -r s kb cpu < <(measure "$estate" rag apply-rules "$reg" --by "Programme Team")
    times[rules]+="$s "; peaks[rules]=$kb; cpus[rules]=$cpu
    read -r s kb cpu < <(measure "$estate" list "$reg" --csv)
    times[list]+="$s "; peaks[list]=$kb; cpus[list]=$cpu
    if ((r == 0)); then
      "$estate" hubs "$reg" --radius 500 --no-progress >/dev/null 2>&1
    else # the same register state for every run: tags and the hubs run copied over
      cp "$work/report-$n.tagged.sqlite" "$reg"
    fi
    [[ $r -eq 0 ]] && cp "$reg" "$work/report-$n.tagged.sqlite"
    read -r s kb cpu < <(measure "$estate" receipts "$reg" --runs 1000 --no-progress)
    times[receipts]+="$s "; peaks[receipts]=$kb; cpus[receipts]=$cpu
    read -r s kb cpu < <(measure "$estate" report "$reg" --runs 1000 --out "$work/report-$n.html" --no-progress)
    times[report]+="$s "; peaks[report]=$kb; cpus[report]=$cpu
  done
  imp=$(printf "%s\n" ${times[import]} | median)
  for step in import rules list receipts report; do
    med=$(printf "%s\n" ${times[$step]} | median)
    label=$step; [[ $step == receipts ]] && label="receipts --runs 1000"; [[ $step == report ]] && label="report (1000 runs)"
    [[ $step == rules ]] && label="rag apply-rules"; [[ $step == list ]] && label="list --csv"
    printf "%-9s %-26s %9s %9d %6s %9.2f\n" "$n" "$label" "$med" $((peaks[$step] / 1024)) "${cpus[$step]}" \
      "$(echo "$med / $imp" | bc -l)"
  done
  # The same seed, the same numbers, whatever the thread count.
  "$estate" receipts "$reg" --runs 200 --seed 5 --json --no-progress > "$work/every-core.json"
  ESTATE_THREADS=1 "$estate" receipts "$reg" --runs 200 --seed 5 --json --no-progress > "$work/one-thread.json"
  range() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['range']['net_pv']; print(r['p10'], r['p50'], r['p90'])" "$1"; }
  a=$(range "$work/every-core.json"); b=$(range "$work/one-thread.json")
  if [[ "$a" == "$b" ]]; then echo "$n: the same numbers on one thread as on every core (P10 P50 P90: $a)"
  else echo "$n: DIFFERENT on one thread: $a / $b"; fi
  unset times peaks cpus
  rm -f "$reg"* "$work/report-$n.tagged.sqlite"
done
