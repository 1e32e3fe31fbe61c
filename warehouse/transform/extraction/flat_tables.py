"""Indicator tables whose cells were run together when the text was copied (document-sharing sites):

    序号主要指标2020年实际值2022年目标值2025年目标值指标属性1城乡居民最低生活保障标准(元/年)97201100014000预期性2…

The header names the numeric columns, so each row's digit run must split into that many numbers.
Of the possible splits (no leading zeros, one decimal point at most) the one whose numbers are
closest in magnitude wins; a run may also end with the next row's number (序号) when no 指标属性
column follows. Rows whose unit was lost (`()`) are kept as rows but give no values."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_COLUMN = r"(?:19|20)\d{2}\s*年(?:目标值|实际值|完成情况|完成值|预期值|规划值|基期值|现状值)?"
HEADER = re.compile(rf"序号\s*(?:主要)?指\s*标(?:名称)?(?P<columns>(?:{_COLUMN}){{2,6}})(?P<attr>指标属性|属性)?")
_COLUMNS = re.compile(_COLUMN)
ROW = re.compile(
    r"(?P<seq>\d{1,2})?(?P<label>(?:[^\d()（）|\n]|[(（][^()（）\d]{1,4}[)）]){2,40}?[(（](?P<unit>[^()（）]{0,6})[)）])"
    r"(?P<digits>[\d.]+)(?P<attr>预期性|约束性)?"
)
_TOKEN = re.compile(r"^(0|[1-9]\d*)(\.\d+)?$")


@dataclass(slots=True)
class FlatRow:
    start: int
    end: int
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FlatTable:
    start: int
    end: int
    columns: tuple[str, ...]
    rows: tuple[FlatRow, ...]

    def header_text(self) -> str:
        return " | ".join(("指标", *self.columns))  # cell 0 is the label, as in the rows

    @staticmethod
    def row_text(row: FlatRow) -> str:
        return " | ".join((row.label, *row.values))


def _splits(digits: str, count: int):
    if count == 0:
        if not digits:
            yield ()
        return
    for cut in range(1, len(digits) + 1):
        head = digits[:cut]
        if _TOKEN.match(head):
            for rest in _splits(digits[cut:], count - 1):
                yield (head, *rest)


def _spread(values: tuple[str, ...]) -> float:
    logs = [math.log10(float(v) + 1) for v in values]
    mean = sum(logs) / len(logs)
    return sum((x - mean) ** 2 for x in logs)


def split_digits(digits: str, count: int, next_seq: int | None) -> tuple[tuple[str, ...], int] | None:
    """The best split of a digit run into `count` numbers; returns (numbers, characters used)."""
    if next_seq is not None and digits.endswith(str(next_seq)) and len(digits) > len(str(next_seq)):
        trimmed = digits[: -len(str(next_seq))]
        options = list(_splits(trimmed, count))
        if options:
            return min(options, key=_spread), len(trimmed)
    options = list(_splits(digits, count))
    if options:
        return min(options, key=_spread), len(digits)
    return None


def find_flat_tables(text: str) -> list[FlatTable]:
    tables = []
    for header in HEADER.finditer(text):
        columns = tuple(_COLUMNS.findall(header.group("columns")))
        has_attr = bool(header.group("attr"))
        position, rows, last_seq = header.end(), [], 0
        while True:
            match = ROW.match(text, position)
            if not match:
                break
            if match.group("seq"):
                last_seq = int(match.group("seq"))
            next_seq = None if has_attr and match.group("attr") else last_seq + 1
            split = split_digits(match.group("digits"), len(columns), next_seq)
            if split is None:
                break
            values, used = split
            end = match.start("digits") + used
            if match.group("attr") and used == len(match.group("digits")):
                end = match.end()
            rows.append(
                FlatRow(match.start(), end, match.group("label").strip(), values if match.group("unit").strip() else ())
            )
            position = end
        if rows:
            tables.append(FlatTable(header.start(), position, columns, tuple(rows)))
    return tables
