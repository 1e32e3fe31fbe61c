"""Table rows as the parsers write them (`label | value | value`): cells, and the unit a row's
label gives in brackets (`城乡居民最低生活保障标准(元/年)`, `福利彩票年销售量(亿元)`)."""

from __future__ import annotations

import re

from warehouse.extraction.numbers import parse_number

_LABEL_UNIT = re.compile(r"[(（]([^()（）]{1,6})[)）]\s*$")
_NUMERIC_CELL = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*$")
_UNIT_MAGNITUDE = {"万元": ("元", 1e4), "亿元": ("元", 1e8), "千元": ("元", 1e3), "万人": ("人", 1e4),
                   "万人次": ("人次", 1e4), "万个": ("个", 1e4), "‰": ("%", 0.1)}


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.split("|")]


def label_unit(label: str) -> tuple[str, float] | None:
    """The unit a row label states and the factor to its base unit: '(亿元)' → ('元', 1e8)."""
    match = _LABEL_UNIT.search(label)
    if not match:
        return None
    unit = match.group(1).strip()
    return _UNIT_MAGNITUDE.get(unit, (unit, 1.0))


def numeric_cells(row: str) -> list[tuple[int, float, str, int]]:
    """(cell index, value, raw number, offset of the number in the row) for every plain-number cell."""
    found, offset = [], 0
    for index, cell in enumerate(row.split("|")):
        match = _NUMERIC_CELL.match(cell)
        if match:
            found.append((index, parse_number(match.group(1)), match.group(1), offset + match.start(1)))
        offset += len(cell) + 1
    return found
