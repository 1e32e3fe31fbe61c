"""Table rows as the parsers write them (`label | value | value`): cells, the unit a row gives — in a cell of
its own (`养老机构床位 | 万张 | 9.5`) or in brackets after the label (`城乡居民最低生活保障标准(元/年)`) — and
statistics tables copied as plain text, one row a line with spaces between the cells (`镇 个 20113`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from warehouse.transform.extraction.numbers import parse_number

_MAGNITUDES = {"": 1.0, "十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7, "亿": 1e8}
_BASE_UNITS = (
    "元/人·月",
    "元/人.月",
    "元/人、月",
    "元/人/月",
    "元/人月",
    "元/月",
    "元/人·年",
    "元/人.年",
    "元/人、年",
    "元/人/年",
    "元/人年",
    "元/年",
    "元/人次",
    "元/人",
    "元",
    "人次",
    "户次",
    "张/千人",
    "人",
    "户",
    "个",
    "张",
    "家",
    "对",
    "件",
    "具",
    "座",
    "所",
    "处",
    "项",
    "次",
    "床",
    "名",
    "平方米",
    "%",
    "‰",
)
_UNIT_ALIASES = {
    "元/人·月": "元/月",
    "元/人.月": "元/月",
    "元/人、月": "元/月",
    "元/人/月": "元/月",
    "元/人月": "元/月",
    "元/人·年": "元/年",
    "元/人.年": "元/年",
    "元/人、年": "元/年",
    "元/人/年": "元/年",
    "元/人年": "元/年",
    "元/人": "元",
}
_UNIT_TOKEN = r"(?:十万|百万|千万|十|百|千|万|亿)?(?:" + "|".join(re.escape(u) for u in _BASE_UNITS) + r")"
UNIT_CELL = re.compile(rf"^\s*(?P<unit>{_UNIT_TOKEN})\s*$")
_LABEL_UNIT = re.compile(rf"[(（](?P<unit>{_UNIT_TOKEN})[)）]\s*$")
_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_NUMERIC_CELL = re.compile(rf"^\s*({_NUMBER})\s*$")
# 镇 个 20113 / 1-12月社会服务费实际支出 亿元 3655.9 / 居民最低生活保障平均标准 元/人、月 373.3
_SPACED_ROW = re.compile(
    rf"^(?P<label>[^\s|](?:[^|]*?[^\s|])?)\s+(?P<unit>{_UNIT_TOKEN})(?P<values>(?:\s+(?:{_NUMBER}))+)\s*$"
)
_SPACED_HEADER = re.compile(r"^指\s*标(?:\s*名\s*称)?\s+单\s*位(?P<rest>(?:\s+\S+)+)\s*$")
_SUB_ROW_MARK = re.compile(
    r"^\s*(?:#+|其中\s*[:：]?|[一二三四五六七八九十]+、|\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]+[)）])\s*"
)


# a yearbook's English after the Chinese (`人 person`, `结婚登记 Marriage Registrations`)
LATIN_TAIL = re.compile(r"\s+(?:\d+\s+)?[A-Za-z][A-Za-z0-9\s,.'&/()%-]*$")  # also `亿元 100 million yuan`
# a line that gives a whole table's unit, above or under it (`单位：万人`, `（单位:张）`)
_UNIT_LINE = re.compile(rf"^[(（]?\s*单\s*位\s*[:：]\s*(?P<unit>{_UNIT_TOKEN})\s*[)）]?\s*$")


def without_latin(cell: str) -> str:
    """A bilingual cell's Chinese: `人 person` → `人`."""
    return LATIN_TAIL.sub("", cell.strip())


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.split("|")]


def parse_unit(unit: str) -> tuple[str, float] | None:
    """A written unit and the factor to its base unit: '亿元' → ('元', 1e8), '元/人·月' → ('元/月', 1.0)."""
    unit = unit.strip()
    for base in sorted(_BASE_UNITS, key=len, reverse=True):
        if unit.endswith(base) and unit[: -len(base)] in _MAGNITUDES:
            factor = _MAGNITUDES[unit[: -len(base)]]
            if base == "‰":
                return "%", factor / 10
            return _UNIT_ALIASES.get(base, base), factor
    return None


def label_unit(label: str) -> tuple[str, float] | None:
    """The unit a row label states in brackets and the factor to its base unit: '(亿元)' → ('元', 1e8), also
    before a yearbook's English (`人数(万人) Persons (10000)`)."""
    match = _LABEL_UNIT.search(without_latin(label))
    return parse_unit(match.group("unit")) if match else None


def unit_line(line: str) -> tuple[str, float] | None:
    """The unit a line of its own gives a table (`单位：万人` → ('人', 1e4)); None for any other line."""
    match = _UNIT_LINE.match(line.strip())
    return parse_unit(match.group("unit")) if match else None


def row_label(row: str) -> str:
    """The first cell that is neither a number nor a unit, without sub-row marks (#, 其中:, 1.)."""
    for cell in cells(row):
        if cell and not _NUMERIC_CELL.match(cell) and not UNIT_CELL.match(cell):
            return without_latin(_SUB_ROW_MARK.sub("", cell, count=1))
    return ""


def column_units_of(header: str) -> list[tuple[str, float] | None]:
    """The unit each column of a header row names in brackets after its label (`低保对象(人)`), None where none."""
    return [label_unit(cell) for cell in cells(header)]


def with_sub_header(header: str, row: str) -> str | None:
    """A header and the sub-header row under it as one header (`地区 | 结婚登记 | 结婚登记` over
    ` | 2024年(对) | 2023年(对)`: `地区 | 结婚登记2024年(对) | 结婚登记2023年(对)`); None when the row is no
    sub-header: one whose label cell is empty and whose other cells are labels, not numbers."""
    upper, lower = cells(header), cells(row)
    if lower[0].strip() or numeric_cells(row) or sum(1 for cell in lower if cell.strip()) < 2:
        return None
    width = max(len(upper), len(lower))
    upper, lower = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return " | ".join(f"{top.strip()}{below.strip()}" for top, below in zip(upper, lower))


def table_headers(
    rows: Sequence[tuple[int | None, str]], opens_header: Callable[[str], bool]
) -> list[tuple[bool, str | None]]:
    """For each row (its table's number, None outside a table, and its text): whether it is its table's header,
    and the header its table has by then. A table's header is its first row `opens_header` accepts, joined with
    each sub-header row right under it (`with_sub_header`); the rows after it read their columns from it."""
    headers: dict[int, tuple[int, str]] = {}  # table: (index of its last header row, its header)
    found: list[tuple[bool, str | None]] = []
    for index, (table, text) in enumerate(rows):
        if table is None:
            found.append((False, None))
            continue
        header_at, header = headers.get(table, (None, ""))
        both = with_sub_header(header, text) if header_at == index - 1 else None
        if (header_at is None and opens_header(text)) or both is not None:
            headers[table] = (index, both or text)
            found.append((True, both or text))
        else:
            found.append((False, header if header_at is not None else None))
    return found


def row_unit(row: str) -> tuple[str, float] | None:
    """The row's unit: a cell of its own, else the label's brackets."""
    for cell in cells(row):
        if UNIT_CELL.match(cell) or UNIT_CELL.match(without_latin(cell)):
            return parse_unit(without_latin(cell))
    return label_unit(row_label(row))


def numeric_cells(row: str) -> list[tuple[int, float, str, int]]:
    """(cell index, value, raw number, offset of the number in the row) for every plain-number cell after the
    label (a number before it is the row's 序号)."""
    found, offset, labelled = [], 0, False
    for index, cell in enumerate(row.split("|")):
        match = _NUMERIC_CELL.match(cell)
        if match and labelled:
            found.append((index, parse_number(match.group(1)), match.group(1), offset + match.start(1)))
        labelled = labelled or bool(cell.strip() and not match and not UNIT_CELL.match(cell))
        offset += len(cell) + 1
    return found


def quantity_cells(row: str) -> list[tuple[int, str, int]]:
    """(cell index, cell text, offset of the cell in the row) for every cell after the label that is neither a
    plain number nor a unit: a cell that writes its own unit (`810元/人·月`, `≥60%`, `1204户1873人`)."""
    found, offset, labelled = [], 0, False
    for index, cell in enumerate(row.split("|")):
        plain = bool(_NUMERIC_CELL.match(cell)) or bool(UNIT_CELL.match(cell)) or not cell.strip()
        if labelled and not plain:
            found.append((index, cell, offset))
        labelled = labelled or not plain
        offset += len(cell) + 1
    return found


def spaced_row(line: str) -> str | None:
    """A statistics table row copied as plain text, as ` | ` cells; None when the line is not one."""
    match = _SPACED_ROW.match(line.strip())
    if match:
        return " | ".join((match.group("label"), match.group("unit"), *match.group("values").split()))
    header = _SPACED_HEADER.match(line.strip())
    if header:
        columns = header.group("rest").split()
        if all(len(column) == 1 for column in columns):  # 数 量: one word spaced out
            columns = ["".join(columns)]
        return " | ".join(("指标", "单位", *columns))
    return None
