#!/usr/bin/env bash
# The libFuzzer harnesses (tests/fuzz): the CSV record reader, the hand-written text
# files (profiles, manifests, scenarios, rules) and the import of one record. Builds
# them with clang, AddressSanitizer and UBSan in build-fuzz/, seeds each from the files
# in the repository, and runs each for SECONDS (default 900: an hour for the four). The
# fourth is estate serve's HTTP parser and API (requests, queries, JSON bodies).
# Prints each run's figures; exits 1 when one finds a crash (kept in build-fuzz/findings).
#   scripts/fuzz.sh                 an hour
#   scripts/fuzz.sh --seconds 10    a short run (the test fuzz_harnesses_run does this)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=900
if [[ "${1:-}" == "--seconds" ]]; then seconds=$2; fi
bash scripts/setup-debian.sh --fuzz
build=build-fuzz
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DESTATE_FUZZ=ON \
  -DESTATE_BUILD_TESTS=OFF -DESTATE_WEB_PAGE=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_csv fuzz_configs fuzz_import_row fuzz_http >/dev/null

# Seeds: every CSV the tests and the bundled data hold; each text file with the byte
# that picks its parser; the Trafford asset list's first rows, one a file.
corpus=$build/corpus findings=$build/findings
rm -rf "$corpus"
mkdir -p "$corpus/csv" "$corpus/configs" "$corpus/import_row" "$corpus/http" "$findings"
i=0
while IFS= read -r f; do cp "$f" "$corpus/csv/$((i++))-$(basename "$f")"; done \
  < <(find tests/data gis_data docs/worked-example -name '*.csv' -size -300k | sort)
seed() { # seed BYTE PREFIX FILES...
  local byte=$1 prefix=$2; shift 2
  for f in "$@"; do { printf "\\x$byte"; cat "$f"; } > "$corpus/configs/$prefix-$(basename "$f")"; done
}
seed 00 profile libestate/profiles/*.ini
seed 01 rules libestate/rules/*.ini
seed 02 scenario libestate/scenarios/*.ini docs/worked-example/scenario.ini
seed 03 manifest gis_data/trafford/manifest.ini
sed -n '2,201p' gis_data/trafford/trafford_land_and_building_assets.csv | split -l 1 - "$corpus/import_row/row-"
# Requests as the page and scripts send them (docs/api.md): REQUEST-LINE, HEADERS, BODY.
http_seed() {
  local name=$1 line=$2 headers=$3 body=$4
  printf '%s\r\nHost: a\r\n%sContent-Length: %d\r\n\r\n%s' "$line" "$headers" "${#body}" "$body" > "$corpus/http/$name"
}
http_seed login 'POST /api/login HTTP/1.1' $'Content-Type: application/json\r\n' '{"name":"Lee Brown","password":"x y z"}'
http_seed bulk 'POST /api/rag/bulk HTTP/1.1' $'X-CSRF-Token: fuzz\r\n' \
  '{"status":"red","reason":"Surplus","properties":[{"id":1,"version":1},{"id":2}]}'
http_seed tag 'POST /api/properties/1/rag HTTP/1.1' '' '{"status":"green","reason":"x","version":"1"}'
http_seed list 'GET /api/properties?status=red&q=Hall%25&bbox=376000,387000,378000,389000&limit=5&after=1 HTTP/1.1' \
  $'Cookie: estate_session=abc; other=1\r\n' ''
http_seed tile 'GET /api/tiles/12/1234/567.mvt HTTP/1.1' '' ''


export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
printf "%-16s %8s %12s %10s %8s %8s %s\n" harness seconds runs runs/s cover features result
for name in fuzz_csv fuzz_configs fuzz_import_row fuzz_http; do
  dir=$corpus/${name#fuzz_}
  log=$build/$name.log
  set +e
  "$build/tests/fuzz/$name" "$dir" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$findings/$name-" -print_final_stats=1 > "$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  rate=$(grep -m1 -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' <<< "$last" | grep -oE '[0-9]+' || echo -)
  ft=$(grep -oE 'ft: [0-9]+' <<< "$last" | grep -oE '[0-9]+' || echo -)
  result=ok
  if ((rc != 0)); then result="FOUND A CRASH (see $log, input in $findings)"; status=1; fi
  printf "%-16s %8s %12s %10s %8s %8s %s\n" "$name" "$seconds" "$runs" "$rate" "$cov" "$ft" "$result"
done
exit $status
