#!/usr/bin/env bash
# The kill -9 campaign: each command that writes - import, rag bulk, export, report -
# killed KILLS times (default 50) at a random moment of its run; then estate serve,
# killed KILLS times while officers tag through it. After each kill the
# register must pass SQLite's integrity check, be in WAL mode when reopened, and hold
# exactly what it held before the command or exactly what the command leaves when it
# finishes; an output file must be absent or whole. Prints one line per command and
# exits 1 on any failure.
#   scripts/kill-campaign.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
bash scripts/build.sh >/dev/null
estate=$PWD/build/tools/estate
work=${KILL_DIR:-$(mktemp -d /tmp/estate-kill-XXXXXX)}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# What a register holds, as a fingerprint: every property's facts and status, the
# history, the estimates kept, the batches and the rejected rows.
fingerprint() {
  python3 - "$1" <<'EOF'
import hashlib, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
h = hashlib.sha256()
for sql in ("SELECT id, owner_id, ref, name, use, gia_m2, market_value, rag_status, rag_reason, version, retired_at "
            "FROM properties ORDER BY id",
            "SELECT property_id, old_status, new_status, reason, changed_by, version FROM rag_history ORDER BY id",
            "SELECT count(*) FROM estimates", "SELECT count(*) FROM import_batches WHERE finished_at IS NOT NULL",
            "SELECT count(*) FROM rejected_rows"):
    for row in con.execute(sql):
        h.update(repr(row).encode())
print(h.hexdigest())
EOF
}
checks() { # checks REGISTER: integrity, then WAL once estate has opened it again
  local r=$1
  [[ $(sqlite3 "$r" "PRAGMA integrity_check") == ok ]] || { echo "integrity check failed"; return 1; }
  "$estate" info "$r" >/dev/null 2>&1 || { echo "estate info failed after the kill"; return 1; }
  [[ $(sqlite3 "$r" "PRAGMA journal_mode") == wal ]] || { echo "not in WAL mode after reopening"; return 1; }
}

# The register every run starts from: Trafford, tagged by the rules, with a hubs run.
base=$work/base.sqlite
"$estate" load "$base" gis_data/trafford/manifest.ini --no-progress >/dev/null 2>&1
"$estate" officers add "$base" "Programme Team" --agency "Trafford Council" --partnership-wide 2>/dev/null
"$estate" rag apply-rules "$base" --by "Programme Team" >/dev/null 2>&1
"$estate" hubs "$base" --radius 500 --no-progress >/dev/null 2>&1
"$estate" synth "$work/county.csv" --properties 20000 --seed 3 2>/dev/null
sqlite3 "$base" "SELECT id, 'green', 'kill campaign' FROM properties WHERE rag_status = 'unassessed'" \
  | sed 's/|/,/g' | { echo "property,status,reason"; cat; } > "$work/bulk.csv"

# The commands: each writes to $reg (and perhaps $out). exec: the process killed is
# estate itself, not a shell around it.
run_import() { exec "$estate" import "$reg" "$work/county.csv" --profile synthetic-county --no-progress; }
run_bulk() { exec "$estate" rag bulk "$reg" "$work/bulk.csv" --by "Programme Team"; }
run_export() { exec "$estate" export "$reg" --format gpkg --out "$out" --layer properties --layer footprints --layer hubs --layer hub-links; }
run_report() { exec "$estate" report "$reg" --out "$out" --runs 20000 --no-progress; }
output_whole() { # the output after a kill: absent, or whole
  case $1 in
    export) [[ ! -e $out ]] || ogrinfo -q -so "$out" properties >/dev/null 2>&1 ;;
    report) [[ ! -e $out ]] || tail -c 20 "$out" | grep -q '</html>' ;;
    *) true ;;
  esac
}

status=0
printf "%-8s %6s %8s %8s %8s %s\n" command kills before after wall_s failures
for cmd in import bulk export report; do
  reg=$work/reg.sqlite
  out=$work/out.$([[ $cmd == export ]] && echo gpkg || echo html)
  # Once to the end: the state it leaves, and how long it takes.
  rm -f "$reg"* "$out"
  cp "$base" "$reg"
  before=$(fingerprint "$reg")
  start=$(date +%s.%N)
  ("run_$cmd") >/dev/null 2>&1
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  after=$(fingerprint "$reg")
  n_before=0 n_after=0 failures=()
  for ((k = 0; k < kills; k++)); do
    rm -rf "$reg"* "$out" "$work"/.out* "$work"/.estate-* 2>/dev/null || true
    cp "$base" "$reg"
    "run_$cmd" >/dev/null 2>&1 &
    pid=$!
    # A moment anywhere in the run, start and end included.
    sleep "$(python3 -c "import random; print(round(random.uniform(0, $wall * 1.1), 3))")"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    why=$(checks "$reg") || { failures+=("kill $k: $why"); continue; }
    now=$(fingerprint "$reg")
    if [[ $now == "$before" ]]; then ((++n_before))
    elif [[ $now == "$after" ]]; then ((++n_after))
    else failures+=("kill $k: the register holds neither the state before nor the state after"); fi
    output_whole "$cmd" || failures+=("kill $k: a partial output file")
  done
  printf "%-8s %6d %8d %8d %8.2f %d\n" "$cmd" "$kills" "$n_before" "$n_after" "$wall" "${#failures[@]}"
  for f in "${failures[@]}"; do echo "  $f"; status=1; done
done

# estate serve killed while four officers tag through it (tests/web/beside_serve.py's
# browsers): after each kill the register passes the integrity check, holds every tag
# the server answered "200 changed", and estate verify finds its history whole.
printf "Programme password\n" | "$estate" officers password "$base" "Programme Team" --by "Programme Team" 2>/dev/null
python3 - "$estate" "$base" "$work" "$kills" <<'EOF' || status=1
import os, random, shutil, sqlite3, subprocess, sys, threading, time
sys.path.insert(0, os.path.join(os.getcwd(), "tests", "web"))
import beside_serve
beside_serve.OFFICER, beside_serve.PASSWORD = "Programme Team", "Programme password"
estate, base, work, kills = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
reg = os.path.join(work, "serve.sqlite")
with sqlite3.connect(base) as c:
    ids = [r[0] for r in c.execute("SELECT id FROM properties WHERE retired_at IS NULL ORDER BY id LIMIT 40")]
failures, confirmed_total = [], 0
for k in range(kills):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(reg + suffix):
            os.remove(reg + suffix)
    shutil.copy(base, reg)
    server, base_url = beside_serve.start_server(estate, reg)
    stop, confirmed, errors = threading.Event(), [], []
    threads = [threading.Thread(target=beside_serve.tagger, args=(base_url, ids, stop, confirmed, errors, 7 * k + t))
               for t in range(4)]
    for t in threads:
        t.start()
    time.sleep(random.uniform(0.3, 2.0))
    server.kill()
    server.wait()
    stop.set()
    for t in threads:
        t.join()
    integrity = subprocess.run(["sqlite3", reg, "PRAGMA integrity_check"], capture_output=True, text=True).stdout.strip()
    with sqlite3.connect(reg) as c:
        history = {(p, v): (s, r) for p, v, s, r in
                   c.execute("SELECT property_id, version, new_status, reason FROM rag_history")}
    lost = [t for t in confirmed if history.get((t[0], t[1])) != (t[2], t[3])]
    verify = subprocess.run([estate, "verify", reg], capture_output=True, text=True)
    confirmed_total += len(confirmed)
    if integrity != "ok" or lost or verify.returncode:
        failures.append(f"kill {k}: integrity {integrity}, {len(lost)} confirmed tags lost, "
                        f"verify: {verify.stdout.strip()[:200]}")
print(f"serve    {kills:6d} kills: {confirmed_total} tags confirmed before them, {len(failures)} failures")
for f in failures:
    print("  " + f)
sys.exit(1 if failures else 0)
EOF
exit $status
