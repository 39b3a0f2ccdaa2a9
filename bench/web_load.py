#!/usr/bin/python3
"""Load on estate serve: SESSIONS concurrent officers' sessions each making TAGS tags on
overlapping properties (read the property, tag it at the version seen; a 409 is a
conflict the officer would be shown). Checks that no update is lost: history rows =
successful changes, and each property's final status is its last success. Prints the
latency of the tags (p50, p95) and logins.

    bench/web_load.py [SESSIONS [TAGS [PROPERTIES]]]     (default 50 40 20)
"""
import json, os, re, sqlite3, statistics, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
estate = os.path.join(root, "build", "tools", "estate")
sessions, tags, spread = (int(a) for a in (sys.argv[1:] + ["50", "40", "20"][len(sys.argv) - 1:])[:3])

work = tempfile.mkdtemp(prefix="estate-web-load-")
reg = os.path.join(work, "trafford.sqlite")
subprocess.run([estate, "load", reg, os.path.join(root, "gis_data/trafford/manifest.ini")], check=True,
               stderr=subprocess.DEVNULL)
subprocess.run([estate, "officers", "add", reg, "Lead", "--agency", "Trafford Council", "--partnership-wide",
                "--password-stdin"], input=b"programme team lead\n", check=True, stderr=subprocess.DEVNULL)
server = subprocess.Popen([estate, "serve", reg, "--port", "0"], stderr=subprocess.PIPE, text=True)
port = int(re.search(r":(\d+)/", server.stderr.readline()).group(1))
base = f"http://127.0.0.1:{port}"
ids = [row[0] for row in sqlite3.connect(reg).execute("SELECT id FROM properties ORDER BY id LIMIT ?", (spread,))]


def call(method, path, body=None, cookie=None, csrf=None):
    rq = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None)
    rq.add_header("Content-Type", "application/json")
    if cookie: rq.add_header("Cookie", cookie)
    if csrf: rq.add_header("X-CSRF-Token", csrf)
    try:
        with urllib.request.urlopen(rq) as r:
            return r.status, json.loads(r.read() or b"{}"), r.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}"), ""


lock = threading.Lock()
latencies, logins, changed, conflicts, failures = [], [], [], 0, 0
statuses = ["red", "amber", "green"]


def officer(n):
    global conflicts, failures
    t = time.perf_counter()
    status, body, cookie = call("POST", "/api/login", {"name": "Lead", "password": "programme team lead"})
    with lock: logins.append(time.perf_counter() - t)
    if status != 200:
        with lock: failures += 1
        return
    cookie, csrf = cookie.split(";")[0], body["csrf_token"]
    for i in range(tags):
        pid = ids[(n * 7 + i) % len(ids)]
        _, record, _ = call("GET", f"/api/properties/{pid}", cookie=cookie)
        new = statuses[(n + i) % 3]
        t = time.perf_counter()
        status, body, _ = call("POST", f"/api/properties/{pid}/rag",
                               {"status": new, "reason": f"session {n} tag {i}", "version": record["version"]},
                               cookie=cookie, csrf=csrf)
        with lock:
            latencies.append(time.perf_counter() - t)
            if status == 200 and body.get("changed"): changed.append((pid, body["version"], new))
            elif status == 409: conflicts += 1
            elif status != 200: failures += 1


start = time.perf_counter()
threads = [threading.Thread(target=officer, args=(n,)) for n in range(sessions)]
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - start
server.terminate()
server.wait()

db = sqlite3.connect(reg)
history = db.execute("SELECT count(*) FROM rag_history").fetchone()[0]
last = {}
for pid, version, status in sorted(changed, key=lambda c: (c[0], c[1])): last[pid] = status
final_ok = all(db.execute("SELECT rag_status FROM properties WHERE id = ?", (pid,)).fetchone()[0] == s
               for pid, s in last.items())
q = statistics.quantiles(latencies, n=100)
print(f"{sessions} sessions x {tags} tags on {len(ids)} properties: {len(changed)} changes, {conflicts} conflicts "
      f"(409), {failures} other failures, in {wall:.1f} s")
print(f"history rows {history} = successful changes {len(changed)}: {history == len(changed)}; "
      f"final status = last success for every property: {final_ok}")
print(f"tag latency p50 {q[49] * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms; "
      f"login (Argon2id) median {statistics.median(logins) * 1000:.0f} ms")
sys.exit(0 if history == len(changed) and final_ok and failures == 0 else 1)
