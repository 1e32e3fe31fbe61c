"""The names of China's administrative divisions (GB/T 2260), for checking a source's `region:`.

Read through warehouse/divisions.py, as the transform stage reads it for the region dimension: the scrapers may not
import the transform stage (docs/architecture.md), and all they need is the names.
"""

from __future__ import annotations

from functools import cache

from warehouse.divisions import location_text

COUNTRY = "全国"


@cache
def region_names() -> frozenset[str]:
    """Every province, city and county name (舟山市, 慈溪市, 甘肃省 …) and 全国."""
    names = {COUNTRY}
    for line in location_text().splitlines():
        fields = line.strip().split("\t")
        if len(line) - len(line.lstrip("\t")) <= 2 and len(fields) == 3:
            names.add(fields[0])
    return frozenset(names)
