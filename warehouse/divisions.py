"""The text of China's administrative divisions (GB/T 2260) as jionlp ships it: one reader for the scrapers,
which check a source's region name, and for the transform stage, which builds the region dimension."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path


def location_text() -> str:
    """The package's china_location.txt. jionlp ships it zipped and unzips it into site-packages the
    first time jionlp itself loads it; read it from the zip so a fresh install works too."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jionlp is not installed; it ships the administrative-division data")
    folder = Path(next(iter(spec.submodule_search_locations))) / "dictionary"
    if (folder / "china_location.txt").exists():
        return (folder / "china_location.txt").read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / "china_location.zip") as archive:
        return archive.read("china_location.txt").decode("utf-8")
