#!/usr/bin/env python3
"""Officers tag through `estate serve` while other programs use the same register, as a
busy partnership's would: a backup with sqlite3, a query in a sqlite3 shell, an import,
the rules, a board report, an edit in a GIS (GDAL's SQLite driver; PyQGIS when Debian's
python3-qgis is there). Every tag the server answered "200 changed" must be in the
history, the register must end at each property's last confirmed tag, and no request
may get a 500.

    beside_serve.py ESTATE MANIFEST WORK [--rounds N]

Exit 0 when nothing was lost; 1 with what was, per program.
"""
import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

PASSWORD = "programme team lead"
OFFICER = "Lee Brown"


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


class Officer:
    """One browser: its own cookies, logged in, tagging."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        rq = urllib.request.Request(self.base + path, data=data, method=method)
        rq.add_header("Content-Type", "application/json")
        if self.csrf:
            rq.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(rq, timeout=60) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                return e.code, json.loads(text or b"{}")
            except ValueError:
                return e.code, {"error": text.decode(errors="replace")}
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError) as e:
            return 0, {"error": f"no answer: {e}"}  # the server is gone (or refused the connection)

    def log_in(self):
        for _ in range(50):
            status, body = self.call("POST", "/api/login", {"name": OFFICER, "password": PASSWORD})
            if status == 200:
                self.csrf = body["csrf_token"]
                return
            if status != 503:
                raise RuntimeError(f"login: {status} {body}")
            time.sleep(0.2)
        raise RuntimeError("login: busy for ten seconds")


def start_server(estate, reg, before=()):
    """`estate serve REG` on a free port (after the command words @p before, e.g. a
    prlimit): the process and its address, once it says where it listens."""
    server = subprocess.Popen([*before, estate, "serve", reg, "--port", "0"], stderr=subprocess.PIPE, text=True)
    said = ""
    while not (m := re.search(r"at (http://[0-9.]+:\d+)/", said)):
        line = server.stderr.readline()
        if not line:
            sys.exit(f"estate serve did not start: {said}")
        said += line
    return server, m.group(1)


def tagger(base, ids, stop, confirmed, failures, seed):
    rnd = random.Random(seed)
    o = Officer(base)
    o.log_in()
    n = 0
    while not stop.is_set():
        pid = rnd.choice(ids)
        status, body = o.call("GET", f"/api/properties/{pid}")
        if status != 200:
            failures.append(("GET", pid, status, body.get("error")))
            continue
        n += 1
        new = rnd.choice(["red", "amber", "green"])
        reason = f"web check {seed}-{n}"
        status, body = o.call("POST", f"/api/properties/{pid}/rag",
                              {"status": new, "reason": reason, "version": body["version"]})
        if status == 200 and body.get("changed"):
            confirmed.append((pid, body["version"], new, reason))
        elif status not in (200, 409):
            failures.append(("POST", pid, status, body.get("error")))


def beside_programs(estate, reg, work, manifest_dir, has_qgis):
    """What other people run next to the server: name -> command (list, or a callable)."""
    backup = os.path.join(work, "backup.sqlite")
    programs = {
        "sqlite3 .backup": ["sqlite3", reg, f".backup '{backup}'"],
        "sqlite3 query": ["sqlite3", reg, "SELECT rag_status, count(*) FROM properties GROUP BY 1;"],
        "estate import": [estate, "import", reg, os.path.join(manifest_dir, "trafford_libraries.csv"),
                          "--profile", "trafford-libraries"],
        "estate rag apply-rules": [estate, "rag", "apply-rules", reg, "--by", OFFICER],
        "estate report": [estate, "report", reg, "--out", os.path.join(work, "board.html")],
        "GIS edit (ogrinfo)": ["ogrinfo", "-q", reg, "-sql",
                               "UPDATE properties SET name = name || '' WHERE id = 1"],
    }
    if has_qgis:
        script = os.path.join(work, "qgis_edit.py")
        with open(script, "w") as f:
            f.write(QGIS_EDIT)
        programs["QGIS edit (PyQGIS)"] = ["/usr/bin/python3", script, reg]
    return programs


# Renames a property in QGIS's SpatiaLite provider and saves, as an officer would.
QGIS_EDIT = r'''
import os, sys, time
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
# QGIS 3.22's SpatiaLite provider writes the layer's statistics as it opens a layer and
# does not wait for another writer: the layer comes up invalid, and the user opens it
# again. So does this script.
for attempt in range(40):
    layer = QgsVectorLayer(f"dbname='{sys.argv[1]}' table=\"properties\" (geom)", "properties", "spatialite")
    if layer.isValid():
        break
    time.sleep(0.25)
else:
    print("QGIS could not open the register in ten seconds", file=sys.stderr, flush=True)
    os._exit(1)
ids = [f.id() for f in layer.getFeatures()]
layer.startEditing()
layer.changeAttributeValue(max(ids), layer.fields().indexOf("rag_status"), "amber")
layer.changeAttributeValue(max(ids), layer.fields().indexOf("rag_reason"), "Reviewed in QGIS")
ok = layer.commitChanges()
print(layer.commitErrors(), file=sys.stderr, flush=True)
os._exit(0 if ok else 1)  # at once: PyQGIS 3.22 can crash tearing its objects down
'''


def wait_for_tags(confirmed, count, failures, seconds=120):
    """Waits (half a second at least) until @p count tags are confirmed, or a request failed."""
    time.sleep(0.5)
    deadline = time.monotonic() + seconds
    while len(confirmed) < count and not failures and time.monotonic() < deadline:
        time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("estate")
    ap.add_argument("manifest")
    ap.add_argument("work")
    ap.add_argument("--rounds", type=int, default=3, help="runs of each program beside the server")
    ap.add_argument("--taggers", type=int, default=4)
    ap.add_argument("--only", help="run only the programs whose name holds this")
    a = ap.parse_args()
    estate = os.path.abspath(a.estate)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    base_reg = os.path.join(a.work, "base.sqlite")
    for cmd in ([estate, "init", base_reg, "--area", "Trafford"], [estate, "load", base_reg, a.manifest]):
        r = run(cmd)
        if r.returncode:
            sys.exit(f"{' '.join(cmd)}: {r.stderr}")
    r = run([estate, "officers", "add", base_reg, OFFICER, "--agency", "Trafford Council", "--partnership-wide",
             "--password-stdin"], input=PASSWORD + "\n")
    if r.returncode:
        sys.exit(r.stderr)
    with sqlite3.connect(base_reg) as c:
        ids = [row[0] for row in c.execute("SELECT id FROM properties WHERE retired_at IS NULL ORDER BY id LIMIT 40")]
    has_qgis = run(["/usr/bin/python3", "-c", "import qgis.core"]).returncode == 0
    programs = beside_programs(estate, "REG", a.work, os.path.dirname(os.path.abspath(a.manifest)), has_qgis)

    xdg = os.path.join(a.work, "xdg")
    os.makedirs(xdg, mode=0o700)
    problems = []
    for name in programs:
        if a.only and a.only not in name:
            continue
        for round_ in range(a.rounds):
            reg = os.path.join(a.work, "reg.sqlite")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(reg + suffix):
                    os.remove(reg + suffix)
            shutil.copy(base_reg, reg)
            cmd = [reg if part == "REG" else part for part in programs[name]]
            cmd = [c.replace("REG", reg) if isinstance(c, str) and c.startswith("REG") else c for c in cmd]
            server, base = start_server(estate, reg)
            stop, confirmed, failures = threading.Event(), [], []
            threads = [threading.Thread(target=tagger, args=(base, ids, stop, confirmed, failures, 100 * round_ + t))
                       for t in range(a.taggers)]
            for t in threads:
                t.start()
            # The program runs while tags are being confirmed: once each browser has one (a
            # login under a sanitizer takes seconds), and until a few more after it ends.
            wait_for_tags(confirmed, a.taggers, failures)
            beside = run(cmd, env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=xdg))
            wait_for_tags(confirmed, len(confirmed) + a.taggers, failures)
            stop.set()
            for t in threads:
                t.join()
            # After the program: the server still answers.
            try:
                after = Officer(base)
                after.log_in()
                status, body = after.call("GET", f"/api/properties/{ids[0]}")
                if status != 200:
                    failures.append(("GET after", ids[0], status, body.get("error")))
            except RuntimeError as e:
                failures.append(("login after", None, None, str(e)))
            server.terminate()
            server.wait(timeout=60)
            with sqlite3.connect(reg) as c:
                history = {(pid, v): (s, r) for pid, v, s, r in
                           c.execute("SELECT property_id, version, new_status, reason FROM rag_history")}
                now = {pid: (s, r, v) for pid, s, r, v in
                       c.execute("SELECT id, rag_status, rag_reason, version FROM properties")}
                integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
            verify = run([estate, "verify", reg])  # the history whole: every web row in a login
            if verify.returncode:
                failures.append(("verify", None, verify.returncode, verify.stdout.strip()[-500:]))
            lost = [t for t in confirmed if history.get((t[0], t[1])) != (t[2], t[3])]
            last = {}
            for pid, v, s, r in confirmed:
                if pid not in last or v > last[pid][0]:
                    last[pid] = (v, s, r)
            overwritten = [pid for pid, (v, s, r) in last.items() if now[pid][:2] != (s, r)]
            ok = beside.returncode == 0 and not lost and not failures and not overwritten and integrity == "ok"
            print(f"{name:24} round {round_ + 1}: {len(confirmed):4} confirmed tags, {len(lost)} lost, "
                  f"{len(overwritten)} not at their last tag, {len(failures)} failed requests, "
                  f"program exit {beside.returncode}, integrity {integrity}", flush=True)
            if not ok:
                problems.append(name)
                for f in failures[:5]:
                    print("   failed:", f)
                for t in lost[:5]:
                    print("   lost:", t)
                if beside.returncode:
                    print("   program:", beside.stderr.strip()[-500:])
            if not confirmed:
                problems.append(name + " (no tag confirmed: the test proved nothing)")
    if problems:
        print("FAILED beside:", ", ".join(sorted(set(problems))))
        return 1
    print("No confirmed tag lost, no failed request, beside every program.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
