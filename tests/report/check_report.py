#!/usr/bin/python3
"""Renders the board report in headless Chromium, as a board member's browser would,
and checks what it shows: the headline range, the map with the hubs, the charts, the
top hubs and disposals, the assumptions, caveats and data quality, and where it came
from; that it needs nothing from the network; and that it prints to PDF.

    check_report.py ESTATE_BINARY MANIFEST WORKDIR [PNG_OUT]
"""
import html.parser
import math
import os
import re
import shutil
import subprocess
import sys

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def chromium(*args):
    # --no-sandbox: CI runs as root. The rest keeps it from reaching for a display or network.
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--no-first-run", "--disable-extensions", *args],
                          capture_output=True, text=True, timeout=120)


class Text(html.parser.HTMLParser):
    """The visible text of the rendered DOM, and what it would fetch."""

    def __init__(self):
        super().__init__()
        self.parts, self.fetches, self.circles, self.sections = [], [], 0, []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "circle":
            self.circles += 1
        if tag == "section" and "id" in a:
            self.sections.append(a["id"])
        for key in ("src", "href"):
            if a.get(key):
                self.fetches.append(a[key])

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    def text(self):
        return re.sub(r"\s+", " ", " ".join(self.parts))


def green_ref(register):
    """The id and owner of the most valuable green property the rules suggested."""
    import sqlite3
    con = sqlite3.connect(register)
    row = con.execute("SELECT p.id, o.name FROM properties p JOIN owners o ON o.id = p.owner_id WHERE rag_status = "
                      "'green' ORDER BY market_value IS NULL, market_value DESC, p.id LIMIT 1").fetchone()
    con.close()
    return str(row[0]), row[1]


def main():
    estate, manifest, work = sys.argv[1:4]
    png = sys.argv[4] if len(sys.argv) > 4 else os.path.join(work, "board-report.png")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    register = os.path.join(work, "trafford.sqlite")
    quiet = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([estate, "load", register, manifest, "--no-progress"], **quiet)
    # Before anything is tagged, the paper says so instead of showing the programme's costs as receipts.
    untagged = os.path.join(work, "untagged.html")
    subprocess.run([estate, "report", register, "--out", untagged, "--runs", "50"], **quiet)
    untagged_text = open(untagged, encoding="utf-8").read()
    check("Nothing assessed yet" in untagged_text and "estate rag apply-rules" in untagged_text,
          "an untagged register: 'nothing assessed yet' and what to do")
    subprocess.run([estate, "officers", "add", register, "Programme Team", "--agency", "Trafford Council",
                    "--partnership-wide"], **quiet)
    subprocess.run([estate, "rag", "apply-rules", register, "--by", "Programme Team"], **quiet)
    subprocess.run([estate, "hubs", register, "--radius", "500"], **quiet)
    report = os.path.join(work, "board.html")
    # --no-record: this paper and the one made again below both compare with the untagged one.
    subprocess.run([estate, "report", register, "--out", report, "--runs", "500", "--seed", "42", "--no-record"],
                   **quiet)
    raw = open(report, encoding="utf-8").read()

    dom = chromium("--dump-dom", "file://" + report)
    check(dom.returncode == 0 and "<body" in dom.stdout, "Chromium renders the report")
    page = Text()
    page.feed(dom.stdout)
    text = page.text()
    check(page.fetches == [] and "http" not in raw.replace("http://www.w3.org", ""),
          f"self-contained: nothing to fetch ({page.fetches[:3]})")
    check(re.search(r"Net capital receipts: £[\d.]+(m|k|bn)? to £[\d.]+(m|k|bn)?", text) is not None,
          "the headline gives the receipts as a range")
    check("P10 and P90 of 500 simulated futures" in text and "central case" in text,
          "the headline says what the range is and gives the central case")
    years = raw[raw.find('id="by-year"'):raw.find('id="cash-flow"')]
    ticks = re.findall(r'text-anchor="end" class="axis">(-?)£([\d.]+)(m|k|bn)?<', years)
    scale = {"": 1, "k": 1e3, "m": 1e6, "bn": 1e9}
    values = [(-1 if s else 1) * float(v) * scale[u] for s, v, u in ticks]
    steps = {round(b - a, 6) for a, b in zip(values, values[1:])}
    step = steps.pop() if len(steps) == 1 else 0
    mantissa = step / 10 ** math.floor(math.log10(step)) if step > 0 else 0
    check(len(values) >= 3 and mantissa in (1, 2, 2.5, 5),
          f"the by-year axis ticks are even steps of 1, 2, 2.5 or 5 x 10^n ({[s + v + u for s, v, u in ticks]})")
    check(re.search(r"Running costs saved: (about|at least) £[\d.]+(m|k)? a year.*running costs recorded for 0 of the \d+ "
                    r"counted properties, assumed from typical costs per m² for \d+", text, re.S) is not None,
          "savings: Trafford records no running costs, so they are assumed from floor areas and said so")
    check("Trafford public estate: capital receipts and hubs" in text and "Trafford public estate partnership" in text,
          "the paper names the area and the partnership")
    check("In nine futures out of ten, at least" in text and ", or more" in text and "count at nothing" in text,
          "the headline reads the range in words and says it is a floor")
    check("suggested by the rules and not yet confirmed" in text, "the headline says who set the statuses")
    check(re.search(r"Its largest single contributions \(present value, share of the central case\): .+?%", text)
          is not None and re.search(r"The sales arrive above all in 20\d\d", text) is not None,
          "page 1 names the largest contributions and the years the money arrives")
    check(re.search(r"Not on the map: \d+ with no location, \d+ of them counted in the estimate", text)
          is not None, "the map says how many properties have no location, and how many of them count")
    check(re.search(r"One estimated figure carries \d+(\.\d)?% of the central case", text) is not None,
          "page 1 says plainly when one estimated figure carries over a quarter of the central case")
    check("The board is asked to" in text and "green properties are suggested by the rules only" in text
          and "commission valuations for the" in text and "commission surveys of the hosts of" in text,
          "the decisions asked of the board come from the data")
    check(work not in text, "no file path in the body")
    for section in ("headline", "decisions", "map", "by-year", "cash-flow", "sectors", "by-owner", "by-status", "hubs",
                    "disposals", "valuations", "since", "assumptions", "caveats", "data-quality", "provenance"):
        check(section in page.sections, f"the report has its {section} section")
    check(page.circles > 500, f"the map draws the located properties ({page.circles} circles)")
    check("Rings mark the hosts of the proposed hubs" in text, "the map marks the hubs")
    numbers = re.findall(r'class="hub-label label">(\d+)<', raw)
    check(1 <= len(numbers) <= 5 and len(set(numbers)) == len(numbers) and all(1 <= int(n) <= 5 for n in numbers),
          f"only the hubs the paper lists are numbered on the map ({numbers})")
    check("Altrincham Hospital" in text and "could bring 2 agencies together" in text,
          "the top hubs read as plain English (Altrincham Hospital)")
    check(re.search(r"green, (vacant building|land), released 20\d\d; about £[\d,]+ net", text) is not None,
          "the top disposals read as plain English")
    check("Discount rate (HM Treasury Green Book) 3.5%" in text, "the assumptions list the Green Book rate")
    check("Market volatility" in text and "Long lead times" in text, "the caveats name the partners' concerns")
    check("Values estimated from floor or land area" in text and "no location" in text,
          "data quality: estimated values and unlocated properties")
    check("When each owner's data was last imported" in text and re.search(r"\d+ owners?: ", text)
          is not None, "data quality: when each owner's data was last imported (owners loaded together share a line)")
    check("Simulation 500 runs, seed 42" in text and "Hub run 1 of" in text and "Scenario default version 4" in text,
          "provenance: hub run, scenario and seed")
    check("--runs 500 --seed 42" in text, "provenance: the command that makes it again")

    check('class="boundary"' in raw and len(re.findall(r'class="town label">', raw)) >= 3
          and "Altrincham" in re.findall(r'class="town label">([^<]+)<', raw) + [""],
          f"the map draws the area's boundary and names its towns ({re.findall(r'class=.town label.>([^<]+)<', raw)})")
    check("Cash flow: costs come before receipts" in text and "double running" in text and "cumulative" in text,
          "a cash-flow view: costs by kind, receipts and the cumulative position")
    check("Who receives what, and whose consent it needs" in text and "consent to dispose" in text
          and "the council's own decision" in text, "who receives each receipt and the consents, by sector")
    check("Valuations to commission, largest gaps first" in text, "the valuations to commission, largest gaps first")
    gaps = [float(v.replace(",", "")) for v in re.findall(r"about £([\d,]+)</td></tr>",
                                                          raw[raw.find('id="valuations"'):raw.find('id="since"')])]
    check(len(gaps) >= 3 and gaps == sorted(gaps, reverse=True), f"the gaps in order, largest first ({gaps[:4]})")
    check("first estimate this register keeps" not in text and "Since the last estimate" in text,
          "the paper compares with the last estimate kept")
    # Every figure of the headline appears, to the pound, in a table below it.
    headline = raw[raw.find('id="headline"'):raw.find('id="decisions"')]
    figures = re.findall(r'class="figure">(-?)£([\d.]+)(m|k|bn)?<', headline)
    exact = [float(v.replace(",", "")) * (-1 if neg else 1) for neg, v in
             re.findall(r'<td class="n">(-?)£([\d,]+(?:\.\d+)?)</td>', raw[raw.find('class="exact"'):])]

    def three_figures(v):
        a = abs(v)
        for unit, scale in (("bn", 1e9), ("m", 1e6), ("k", 1e3)):
            if a >= scale:
                x = a / scale
                return round(x, 0 if x >= 100 else 1 if x >= 10 else 2), unit
        return round(a), ""
    missing = [f"{neg}£{v}{u}" for neg, v, u in figures
               if not any(three_figures(x) == (float(v), u) and (x < 0) == (neg == "-") for x in exact)]
    check(figures and not missing, f"every figure of the headline is in the tables, to the pound ({len(figures)} figures; missing {missing})")

    # In the browser: no two labels' boxes overlap (hub numbers, town names).
    probe = os.path.join(work, "probe.html")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(raw.replace("</body>", """<script>
const boxes = [...document.querySelectorAll('svg .label')].map(e => e.getBoundingClientRect());
let overlaps = 0;
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const a = boxes[i], b = boxes[j];
  if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
}
document.body.setAttribute('data-labels', boxes.length);
document.body.setAttribute('data-overlaps', overlaps);
</script></body>"""))
    probed = chromium("--dump-dom", "--window-size=900,3000", "file://" + probe).stdout
    labels = re.search(r'data-labels="(\d+)"', probed)
    overlaps = re.search(r'data-overlaps="(\d+)"', probed)
    check(labels and int(labels.group(1)) >= 4 and overlaps and overlaps.group(1) == "0",
          f"no two labels on the map overlap in Chromium ({labels and labels.group(1)} labels, "
          f"{overlaps and overlaps.group(1)} overlapping pairs)")

    # estate report --pdf prints through headless Chromium: A4, no browser header or footer.
    pdf = os.path.join(work, "board.pdf")
    printed = subprocess.run([estate, "report", register, "--pdf", pdf, "--runs", "500", "--seed", "42", "--no-record"],
                             capture_output=True, text=True)
    size = os.path.getsize(pdf) if os.path.exists(pdf) else 0
    check(printed.returncode == 0 and size > 20000 and not os.path.exists(pdf + ".html"),
          f"estate report --pdf prints it ({size} bytes; {printed.stderr.strip()[-200:]})")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout if size else ""
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1)) if "Pages:" in info else 0
    size_ok = "(A4)" in info
    check(2 <= pages <= 8 and size_ok, f"the PDF is a short A4 paper ({pages} pages; {info.count('A4')} A4)")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", pdf, "-"], capture_output=True,
                           text=True).stdout if size else ""
    check("Net capital receipts" in first and "The board is asked to" in first and "The estate by status" in first
          and "file://" not in first and not re.search(r"\d+/\d+\s*$", first.strip()),
          "the first page holds the headline, the decisions and the map, with no browser header or footer")

    shot = chromium("--window-size=900,3200", "--screenshot=" + os.path.abspath(png), "file://" + report)
    check(shot.returncode == 0 and os.path.exists(png), f"a screenshot for the docs: {png}")

    # The same seed gives the same report (apart from when it was made).
    again = os.path.join(work, "again.html")
    subprocess.run([estate, "report", register, "--out", again, "--runs", "500", "--seed", "42", "--no-record"],
                   **quiet)
    strip = lambda s: re.sub(r"made \d{4}-\d\d-\d\dT[\d:]+Z", "", s)
    check(strip(open(again, encoding="utf-8").read()) == strip(raw), "the same seed gives the same report")

    # Kept, then an officer confirms a status: the next paper says what changed and why.
    subprocess.run([estate, "report", register, "--out", again, "--runs", "100"], **quiet)
    prop, owner = green_ref(register)
    subprocess.run([estate, "officers", "add", register, "Test Officer", "--agency", owner, "--by", "Programme Team"],
                   **quiet)
    subprocess.run([estate, "rag", "set", register, prop, "red", "--by", "Test Officer",
                    "--reason", "kept for the service"], **quiet)
    later = os.path.join(work, "later.html")
    subprocess.run([estate, "report", register, "--out", later, "--runs", "100"], **quiet)
    later_text = open(later, encoding="utf-8").read()
    since = later_text[later_text.find('id="since"'):later_text.find('id="assumptions"')]
    check("no longer counted: statuses changed to red or unassessed" in since and "1 set by an officer" in since,
          "the next paper gives the change since the last one and its cause (a status changed)")

    print(f"{len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
