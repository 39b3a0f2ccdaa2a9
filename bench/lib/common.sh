# Sourced by each benchmark (from the repository's root): the build, the packages,
# where results go, and the timing helpers they share.

# bench_init "DEFAULT SIZES" "$@": builds, installs the bench packages, and sets
# estate (the binary), work (bench/results or $BENCH_DIR), runs ($RUNS, default 3)
# and sizes (the arguments, else the defaults).
bench_init() {
  local defaults=$1
  shift
  bash scripts/build.sh >/dev/null
  bash scripts/setup-debian.sh --bench
  estate=$PWD/build/tools/estate
  work=${BENCH_DIR:-$PWD/bench/results}
  mkdir -p "$work"
  runs=${RUNS:-3}
  sizes=("$@")
  [[ ${#sizes[@]} -eq 0 ]] && read -r -a sizes <<< "$defaults"
  return 0
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs "$@" once, its output discarded; prints "seconds max_rss_kb cpu_percent".
measure() {
  /usr/bin/time -f "%e %M %P" -o "$work/time.txt" "$@" >/dev/null 2>&1
  tr -d '%' < "$work/time.txt"
}
