"""The names of China's administrative divisions (GB/T 2260), for checking a source's `region:`.

Read from the copy of the standard jionlp ships, as warehouse/transform/extraction/regions.py reads it for the
dimension: the scrapers may not import the transform stage (docs/architecture.md), and all they need is the names.
"""

from __future__ import annotations

import importlib.util
import zipfile
from functools import cache
from pathlib import Path

COUNTRY = "全国"


def _location_text() -> str:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jionlp is not installed; it ships the administrative-division data")
    folder = Path(next(iter(spec.submodule_search_locations))) / "dictionary"
    if (folder / "china_location.txt").exists():
        return (folder / "china_location.txt").read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / "china_location.zip") as archive:
        return archive.read("china_location.txt").decode("utf-8")


@cache
def region_names() -> frozenset[str]:
    """Every province, city and county name (舟山市, 慈溪市, 甘肃省 …) and 全国."""
    names = {COUNTRY}
    for line in _location_text().splitlines():
        fields = line.strip().split("\t")
        if len(line) - len(line.lstrip("\t")) <= 2 and len(fields) == 3:
            names.add(fields[0])
    return frozenset(names)
