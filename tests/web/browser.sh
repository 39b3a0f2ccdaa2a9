#!/usr/bin/env bash
# The web app as officers use it, in Debian's chromium driven by playwright-core:
# a Trafford register with three officers, `estate serve` on a free port, then
# tests/web/browser_test.cjs. With a fourth argument, its screenshots go there
# (docs/images/web-*.png are made so: tests/web/browser.sh ... docs/images).
#   browser.sh ESTATE NODE_MODULES WORK_DIR [SCREENSHOT_DIR]
set -euo pipefail
estate=$1 node_modules=$2 work=$3 shots=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
manifest=$here/../../gis_data/trafford/manifest.ini
rm -rf "$work" && mkdir -p "$work"
reg=$work/trafford.sqlite
"$estate" load "$reg" "$manifest" > /dev/null 2>&1
"$estate" officers add "$reg" "Programme Team" --agency "Trafford Council" --partnership-wide > /dev/null 2>&1
"$estate" officers add "$reg" "Tom Trafford" --agency "Trafford Council" --by "Programme Team" > /dev/null 2>&1
"$estate" officers add "$reg" "Fiona Fire" --agency "Greater Manchester Fire and Rescue Service" \
  --by "Programme Team" > /dev/null 2>&1
echo "programme-password" | "$estate" officers password "$reg" "Programme Team" --by "Programme Team" > /dev/null
echo "tom-password-1" | "$estate" officers password "$reg" "Tom Trafford" --by "Programme Team" > /dev/null
echo "fiona-password-1" | "$estate" officers password "$reg" "Fiona Fire" --by "Programme Team" > /dev/null
"$estate" rag apply-rules "$reg" --by "Programme Team" > /dev/null
"$estate" hubs "$reg" --radius 500 > /dev/null

"$estate" serve "$reg" --port 0 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "Serving" "$work/serve.log" 2>/dev/null && break
  sleep 0.1
done
url=$(grep -o 'http://[0-9.:]*/' "$work/serve.log" | head -1)
[[ -n "$url" ]] || { echo "estate serve did not start:"; cat "$work/serve.log"; exit 1; }

NODE_PATH=$node_modules node "$here/browser_test.cjs" "$url" "$work" "$shots"

# SIGTERM stops it cleanly (exit 0, "Stopped."), and the tags made are in the history.
kill -TERM $server
wait $server
trap - EXIT
grep -q "Stopped." "$work/serve.log" || { echo "estate serve did not say it stopped"; cat "$work/serve.log"; exit 1; }
"$estate" rag history "$reg" --csv > "$work/history.csv"
grep -q "Tom Trafford" "$work/history.csv" || { echo "Tom Trafford's tag is not in the history"; exit 1; }
grep -q ",web," "$work/history.csv" || { echo "no history row says web"; exit 1; }
echo "browser tests passed"
