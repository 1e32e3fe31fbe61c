"""China's administrative divisions (GB/T 2260: province, city, county, with codes and parents) as
shipped by jionlp's location dictionary — read from the package's data file, not typed by hand, and
without importing jionlp itself (its import prints a banner and loads models)."""

from __future__ import annotations

from warehouse.divisions import location_text

ROOT = {
    "region_code": "100000",
    "region_name": "全国",
    "short_name": "全国",
    "level": "country",
    "parent_code": None,
    "province_code": None,
    "city_code": None,
}
_LEVELS = {0: "province", 1: "city", 2: "county"}
_MUNICIPALITY_SUFFIXES = ("市",)


def load_regions(text: str | None = None) -> list[dict]:
    """One dict per province, city and county, plus 全国 as the root."""
    regions = [dict(ROOT)]
    seen = {ROOT["region_code"]}
    parents: dict[int, dict] = {}
    for line in (text if text is not None else location_text()).splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        if depth > 2:
            continue
        fields = line.strip().split("\t")
        if len(fields) != 3:
            continue
        name, code, alias = fields
        parent = parents.get(depth - 1, ROOT)
        region = {
            "region_code": code,
            "region_name": name,
            "short_name": alias or name,
            "level": _LEVELS[depth],
            "parent_code": parent["region_code"],
            "province_code": code[:2] + "0000",
            "city_code": code[:4] + "00" if depth >= 1 else None,
        }
        parents[depth] = region
        # Municipalities list themselves again as their own city (上海市 > 上海市 > 嘉定区): one row per code.
        if code in seen:
            continue
        seen.add(code)
        regions.append(region)
    return regions
