#!/usr/bin/env python3
"""Checks that libestate's modules include one another only as docs/developing.md's
picture of the modules allows: each module's line there names the modules it may
include, and nothing else may be included (no loops, no reaching up).

    python3 scripts/check-modules.py [REPO]

Exit 0 when every include agrees with the picture; 1 listing each that does not."""
import os
import re
import sys

repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
doc = open(os.path.join(repo, "docs", "developing.md"), encoding="utf-8").read()
block = re.search(r"```modules\n(.*?)```", doc, re.S)
if not block:
    sys.exit("docs/developing.md: no ```modules block (the picture of the modules) found")
allowed = {}
for line in block.group(1).splitlines():
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, below = line.partition("->")
    allowed[name.strip()] = set(below.split())

faults = []
for top in ("libestate/src", "libestate/include/estate"):
    root = os.path.join(repo, top)
    for dirpath, _, files in os.walk(root):
        for f in sorted(files):
            if not f.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            if "/" not in rel:
                continue  # version.cpp, error.hpp: below everything
            module = rel.split("/")[0]
            if module not in allowed:
                faults.append(f"{top}/{rel}: module '{module}' is not in docs/developing.md's picture")
                continue
            for n, text in enumerate(open(path, encoding="utf-8"), 1):
                # "estate/db/x.hpp" (public) or "db/x.hpp" (private); "estate/error.hpp"
                # and "estate/version.hpp" sit below every module.
                m = re.match(r'\s*#include "(?:estate/)?([a-z_]+)/[^"]*"', text)
                if m and m.group(1) == "estate" and text.count("/") == 1:
                    continue
                if m and m.group(1) != module and m.group(1) not in allowed[module]:
                    faults.append(f"{top}/{rel}:{n}: {module} includes {m.group(1)}/, "
                                  f"which docs/developing.md does not put below it")
for f in faults:
    print(f)
if faults:
    print(f"{len(faults)} includes against the picture of the modules: change the code, or the picture "
          "(and say why in the commit)")
    sys.exit(1)
print(f"modules: every include agrees with docs/developing.md ({len(allowed)} modules)")
