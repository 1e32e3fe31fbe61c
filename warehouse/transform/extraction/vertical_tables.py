"""Tables whose cells were written one to a line (a page's table copied cell by cell, each ending in `|`):

    单位:亿元、万件 |
    指标 |
    2007 年 |
    2008 年 |
    接收社会捐款 |
    132.8 |
    744.5 |

A header cell, then k column headers (years, or any cells without digits of their own), then rows of a label and
k numbers. They are read back as rows of cells (`接收社会捐款 | 亿元 | 132.8 | 744.5`), with the unit of the
table's `单位:` line when it names one unit, or one unit per row in order."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL_LINE = re.compile(r"^\s*([^|]*?)\s*\|+\s*$")
_NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")
_YEAR_COLUMN = re.compile(r"^(?:19|20)\d{2}\s*年(?:底|末)?\S{0,6}$")
_UNIT_LINE = re.compile(r"^\s*单位\s*[:：]\s*([^|]+?)\s*\|*\s*$")
_UNIT_SEPARATOR = re.compile(r"[、,，;；/]")
MIN_COLUMNS = 2
MAX_COLUMNS = 20


@dataclass(frozen=True, slots=True)
class VerticalTable:
    start: int  # offset of the table's first line (its unit line, where it has one)
    end: int  # offset just after its last line
    rows: tuple[tuple[int, int, str], ...]  # (start, end, row text with ` | ` between cells); the first is the header


def _cells(lines: list[tuple[int, str]]) -> list[tuple[int, int, str | None]]:
    """(start, end, cell text, or None where the line is no one-cell line)."""
    found = []
    for start, line in lines:
        match = _CELL_LINE.match(line)
        found.append((start, start + len(line), match.group(1).strip() if match else None))
    return found


def _units(unit_line: str | None, rows: int) -> list[str]:
    if not unit_line:
        return [""] * rows
    units = [unit.strip() for unit in _UNIT_SEPARATOR.split(unit_line) if unit.strip()]
    if len(units) == 1:
        return units * rows
    return units if len(units) == rows else [""] * rows


def find_vertical_tables(text: str) -> list[VerticalTable]:
    lines, position = [], 0
    for line in text.split("\n"):
        lines.append((position, line))
        position += len(line) + 1
    cells = _cells(lines)
    tables, index = [], 0
    while index < len(cells):
        table = _table_at(lines, cells, index)
        if table is None:
            index += 1
            continue
        tables.append(table[0])
        index = table[1]
    return tables


def _table_at(lines, cells, index: int) -> tuple[VerticalTable, int] | None:
    """The table whose header cell is at line `index`, and the line after it; None: none starts there."""
    label = cells[index][2]
    if not label or _NUMBER.match(label):
        return None
    columns = []
    cursor = index + 1
    while cursor < len(cells) and cells[cursor][2] and _YEAR_COLUMN.match(cells[cursor][2]):
        columns.append(cells[cursor][2])
        cursor += 1
    if not MIN_COLUMNS <= len(columns) <= MAX_COLUMNS:
        return None
    body = []
    while cursor + len(columns) < len(cells):
        row_label = cells[cursor][2]
        values = [cells[cursor + 1 + k][2] for k in range(len(columns))]
        if not row_label or _NUMBER.match(row_label) or not all(v is not None and _NUMBER.match(v) for v in values):
            break
        body.append((cells[cursor][0], cells[cursor + len(columns)][1], row_label, values))
        cursor += len(columns) + 1
    if not body:
        return None
    start, unit_line = cells[index][0], None
    for back in (index - 1, index - 2):
        if back >= 0:
            unit = _UNIT_LINE.match(lines[back][1])
            if unit:
                start, unit_line = lines[back][0], unit.group(1)
                break
    units = _units(unit_line, len(body))
    header = " | ".join((label, "单位", *columns))
    rows = [(start, body[0][0], header)]
    rows += [(s, e, " | ".join((row_label, unit, *values))) for (s, e, row_label, values), unit in zip(body, units)]
    return VerticalTable(start, body[-1][1], tuple(rows)), cursor
