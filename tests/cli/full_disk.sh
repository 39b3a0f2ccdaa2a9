#!/usr/bin/env bash
# Every output on a full disk: exit 1 with a message, and nothing left behind (no
# cut-off file where a planner would open it, no staging folder). Outputs that would
# replace the register's own files or a file it imported are refused (exit 2).
#   full_disk.sh ESTATE MANIFEST WORK
# A 2 MiB tmpfs is mounted for the disk (root, as CI runs); without the right to mount,
# the test is skipped (exit 77).
set -uo pipefail
estate=$1 manifest=$2 work=$3
rm -rf "$work"
mkdir -p "$work/disk"
reg="$work/reg.sqlite"
"$estate" init "$reg" --area Trafford >/dev/null 2>&1 && "$estate" load "$reg" "$manifest" --no-progress >/dev/null 2>&1 ||
  { echo "cannot build the register"; exit 1; }
if ! mount -t tmpfs -o size=2m tmpfs "$work/disk" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here (not root?)"
  exit 77
fi
trap 'umount "$work/disk"' EXIT
failures=0
check() { # check NAME EXPECTED_EXIT COMMAND...
  local name=$1 expected=$2
  shift 2
  local err
  err=$("$@" 2>&1 >/dev/null)
  local got=$?
  local left
  left=$(cd "$work/disk" && ls -A | grep -v '^filler$' | tr '\n' ' ')
  if [[ $got -ne $expected || -n "$left" || -z "$err" ]]; then
    echo "FAIL $name: exit $got (wanted $expected), left behind: [${left}], said: $err"
    failures=$((failures + 1))
  else
    echo "ok   $name: exit $got, nothing left; said: ${err:0:160}"
  fi
}
# Nearly full: 24 KiB free, less than any of these outputs needs.
free_kb=$(df -k --output=avail "$work/disk" | tail -1)
dd if=/dev/zero of="$work/disk/filler" bs=1k count=$((free_kb - 24)) status=none
for format in gpkg shp geojson csv xlsx; do
  out="$work/disk/out.$format"
  [[ $format == shp ]] && out="$work/disk/out-shp"
  check "export --format $format on a full disk" 1 "$estate" export "$reg" --format "$format" --out "$out"
done
check "report on a full disk" 1 "$estate" report "$reg" --out "$work/disk/board.html" --no-record
if command -v chromium >/dev/null 2>&1; then # the board paper printed to PDF by chromium
  check "report --pdf on a full disk" 1 "$estate" report "$reg" --out "$work/board.html" --pdf "$work/disk/board.pdf" --no-record
fi

# Names that are the register's own, present or not, and a file it imported.
check_refused() { # NAME OUT
  local err
  err=$("$estate" export "$reg" --format csv --out "$2" 2>&1 >/dev/null)
  local got=$?
  if [[ $got -ne 2 || -e "$2" && "$2" == *-journal ]]; then
    echo "FAIL $1: exit $got, said: $err"; failures=$((failures + 1))
  else
    echo "ok   $1: exit 2; said: ${err:0:160}"
  fi
}
check_refused "export over REG-journal (not there)" "$reg-journal"
check_refused "export over REG-wal" "$reg-wal"
cp "$(dirname "$manifest")/trafford_libraries.csv" "$work/libraries.csv"
"$estate" import "$reg" "$work/libraries.csv" --profile trafford-libraries >/dev/null 2>&1
before=$(sha256sum < "$work/libraries.csv")
check_refused "export over a file the register imported" "$work/libraries.csv"
cp "$work/libraries.csv" "$work/copy-of-libraries.csv"
check_refused "export over a copy of a file the register imported (same SHA-256)" "$work/copy-of-libraries.csv"
[[ $(sha256sum < "$work/libraries.csv") == "$before" ]] || { echo "FAIL the imported file changed"; failures=$((failures + 1)); }
"$estate" info "$reg" >/dev/null 2>&1 || { echo "FAIL the register no longer opens"; failures=$((failures + 1)); }
echo "$failures failed"
exit $((failures > 0))
