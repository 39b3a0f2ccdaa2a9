#!/usr/bin/python3
"""The web app's map at county scale: a synthetic register of N properties (default
1,000,000) served by estate serve.

1. First view: in Debian's chromium (playwright-core), an officer already logged in opens
   the page; timed from navigation until the map has drawn every tile of its first view
   (OpenLayers' rendercomplete) and the table beside it is filled. RUNS times (default 5);
   the server is started afresh before the first.
2. Tiles: every tile over the register's extent at zooms 0 to 6 (a county on one screen
   is zoom 5 or 6; the synthetic million spreads over Great Britain, zoom 0 to 1), then at each zoom from 7 to 14 the tiles under 100 properties picked at random
   (where officers look), each asked for once, one at a time over one kept-alive
   connection (as a browser asks): p50, p95 and the largest, from sending the request
   to the last byte read; tiles holding properties apart from empty ones.
3. The same boxes as SQL through the register's spatial index in SpatiaLite (the points
   and statuses a hand-made server would read; no encoding), and the GeoJSON the API
   gives for a county-wide view (what the page would load without tiles), in the same run.

    bench/web_map.py [N [RUNS]]
"""
import http.client, json, os, random, re, sqlite3, statistics, subprocess, sys, tempfile, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
estate = os.path.join(root, "build", "tools", "estate")
node_modules = os.path.join(root, "build", "libestate", "web_page", "node_modules")
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
work = os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="estate-web-map-")
os.makedirs(work, exist_ok=True)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


csv = os.path.join(work, f"county-{n}.csv")
reg = os.path.join(work, f"web-{n}.sqlite")
if not os.path.exists(csv):
    subprocess.run([estate, "synth", csv, "--properties", str(n), "--seed", "1"], check=True, stderr=subprocess.DEVNULL)
if not os.path.exists(reg):
    subprocess.run([estate, "init", reg], check=True, stderr=subprocess.DEVNULL)
    subprocess.run([estate, "import", reg, csv, "--profile", "synthetic-county", "--no-progress"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    owner = sqlite3.connect(reg).execute("SELECT name FROM owners ORDER BY id LIMIT 1").fetchone()[0]
    subprocess.run([estate, "officers", "add", reg, "Lead", "--agency", owner, "--partnership-wide",
                    "--password-stdin"], input=b"programme team lead\n", check=True, stderr=subprocess.DEVNULL)
    subprocess.run([estate, "rag", "apply-rules", reg, "--by", "Lead"], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
located = sqlite3.connect(reg).execute("SELECT count(*) FROM properties WHERE geom IS NOT NULL").fetchone()[0]
size_mb = os.path.getsize(reg) / 1e6

server = subprocess.Popen([estate, "serve", reg, "--port", "0"], stderr=subprocess.PIPE, text=True)
port = int(re.search(r":(\d+)/", server.stderr.readline()).group(1))
base = f"http://127.0.0.1:{port}"
try:
    # 1. First view, in the browser.
    out = subprocess.run(["node", os.path.join(root, "bench", "web_first_view.cjs"), base, "Lead", "programme team lead",
                          str(runs)], env={**os.environ, "NODE_PATH": node_modules}, check=True, capture_output=True,
                         text=True).stdout
    first = json.loads(out)

    # 2. Tiles, one request each, as a script would ask.
    login = urllib.request.Request(base + "/api/login", method="POST",
                                   data=json.dumps({"name": "Lead", "password": "programme team lead"}).encode(),
                                   headers={"Content-Type": "application/json"})
    cookie = urllib.request.urlopen(login).headers["Set-Cookie"].split(";")[0]
    area = json.loads(urllib.request.urlopen(urllib.request.Request(base + "/api/area", headers={"Cookie": cookie})).read())
    e0, n0, e1, n1 = area["extent"]

    def tiles_over(z):
        size = 896.0 / 2 ** z * 256
        return [(z, x, y) for x in range(int((e0 + 238375) / size), int((e1 + 238375) / size) + 1)
                for y in range(int((1376256 - n1) / size), int((1376256 - n0) / size) + 1)]

    rng = random.Random(1)
    asked = [t for z in range(0, 7) for t in tiles_over(z)]
    db = sqlite3.connect(reg)
    db.enable_load_extension(True)
    db.load_extension("mod_spatialite")
    max_id = db.execute("SELECT max(id) FROM properties").fetchone()[0]
    picked = []
    while len(picked) < 100:
        row = db.execute("SELECT X(geom), Y(geom) FROM properties WHERE id = ? AND geom IS NOT NULL",
                         (rng.randint(1, max_id),)).fetchone()
        if row:
            picked.append(row)
    for z in range(7, 15):
        size = 896.0 / 2 ** z * 256
        asked += [(z, int((e + 238375) / size), int((1376256 - nn) / size)) for e, nn in picked]
    times, sizes, by_zoom, empty = [], [], {}, []
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for z, x, y in asked:
        t = time.perf_counter()
        connection.request("GET", f"/api/tiles/{z}/{x}/{y}.mvt", headers={"Cookie": cookie})
        response = connection.getresponse()
        body = response.read()
        ms = (time.perf_counter() - t) * 1000
        assert response.status == 200, (z, x, y, response.status)
        if len(body) < 80:  # the layer alone: no property in the tile
            empty.append(ms)
            continue
        times.append(ms)
        sizes.append(len(body))
        by_zoom.setdefault(z, []).append(ms)

    # 3. The peers: the same boxes through SpatiaLite's index; the GeoJSON of a county view.
    sql_times = []
    for z, x, y in asked:
        size = 896.0 / 2 ** z * 256
        bx0, by1 = -238375 + x * size, 1376256 - y * size
        t = time.perf_counter()
        db.execute("SELECT id, X(geom), Y(geom), rag_status FROM properties WHERE id IN (SELECT pkid FROM "
                   "idx_properties_geom WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?)",
                   (bx0 + size, bx0, by1, by1 - size)).fetchall()
        sql_times.append((time.perf_counter() - t) * 1000)
    with open(f"/proc/{server.pid}/status") as status:
        map_peak_mb = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024
    t = time.perf_counter()
    geojson_bytes, after, features = 0, 0, 0
    while True:  # 50,000 an answer, paged with after=
        body = urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/properties?bbox={e0},{n0},{e1},{n1}&after={after}", headers={"Cookie": cookie})).read()
        geojson_bytes += len(body)
        page = json.loads(body)
        features += len(page["features"])
        if not page["more"]:
            break
        after = page["features"][-1]["id"]
    geojson_s = time.perf_counter() - t
    with open(f"/proc/{server.pid}/status") as status:
        server_peak_mb = int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1)) / 1024
finally:
    server.terminate()
    server.wait()

print(f"register: {n:,} properties ({located:,} located), {size_mb:.0f} MB")
print(f"estate serve's peak memory: {map_peak_mb:.0f} MB serving the map and tiles;"
      f" {server_peak_mb:.0f} MB after the GeoJSON below (each page of it built whole in memory)")
print(f"first view in chromium (navigation to map drawn and table filled), {runs} runs:")
print(f"  first after the server started: {first['times'][0]:.2f} s; median of all {statistics.median(first['times']):.2f} s;"
      f" largest {max(first['times']):.2f} s; tiles drawn {first['tiles']}; page {first['bytes'] / 1e6:.2f} MB")
print(f"tiles holding properties ({len(times)} of {len(asked)} asked, one at a time): p50 {pct(times, 50):.1f} ms,"
      f" p95 {pct(times, 95):.1f} ms, largest {max(times):.1f} ms; size p50 {pct(sizes, 50) / 1e3:.1f} KB,"
      f" largest {max(sizes) / 1e3:.0f} KB")
print(f"empty tiles ({len(empty)}): p50 {pct(empty, 50):.2f} ms, p95 {pct(empty, 95):.2f} ms")
for z in sorted(by_zoom):
    print(f"  zoom {z:2d}: {len(by_zoom[z]):3d} tiles, p50 {pct(by_zoom[z], 50):6.1f} ms, p95 {pct(by_zoom[z], 95):6.1f} ms")
print(f"peer, SpatiaLite SQL through the spatial index for the same boxes (points only, no encoding):"
      f" p50 {pct(sql_times, 50):.1f} ms, p95 {pct(sql_times, 95):.1f} ms, largest {max(sql_times):.1f} ms")
print(f"peer, GeoJSON of a county-wide view from /api/properties (what the page would load without tiles;"
      f" {features:,} features in pages of 50,000): {geojson_s:.2f} s, {geojson_bytes / 1e6:.0f} MB")
