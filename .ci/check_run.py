"""Check what `make run` serves: the demo's groups and kinds, and the district search."""

import re
import sys
import urllib.request

base = sys.argv[1]


def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.read().decode()


overview = get("/lokalsamverkan/")
groups = set(re.findall(r'class="group-link" href="(/lokalsamverkan/[^"]+/[^"]+/)"', overview))
kinds = re.findall(r'<section class="kind"', overview)
print(f"overview: {len(groups)} groups in {len(kinds)} kinds")
assert len(groups) == 20, groups
assert len(kinds) == 3, kinds

search = get("/lokalsamverkan/sok/?q=sjomarken")
found = re.findall(r'class="group-link" href="([^"]+)"', search)
print(f"sjomarken finds: {found}")
assert len(found) == 2 and all("sandared" in url for url in found), found
print("make run serves the demo: OK")

feed = get("/lokalsamverkan/kalender.ics")
events = feed.count("BEGIN:VEVENT")
print(f"kalender.ics: {events} events")
assert feed.startswith("BEGIN:VCALENDAR") and "METHOD:PUBLISH" in feed, feed[:200]
assert "TZID:Europe/Stockholm" in feed and events > 0

grid = get("/kalender/2017/")
assert "6/4, 27/4" in grid and "20/10*" in grid, "the 2017 year grid lacks bilaga 2's dates"
print("feed and year grid: OK")
