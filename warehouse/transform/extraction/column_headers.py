"""A table's column headers for its cells: the header row of each table (its first row without numbers but
years), the header over a cell, and the pairing of a cell whose row label names no indicator by its column's
header."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import regex

from warehouse.transform.extraction.marks import YEAR, YEAR_WORD
from warehouse.transform.extraction.pairing import COLUMN_HEADER_LABEL, SegmentPairer
from warehouse.transform.extraction.pairing_records import MentionContext, MentionView, SegmentView
from warehouse.transform.extraction.tables import cells, numeric_cells, table_headers
from warehouse.transform.extraction.vocabulary import Vocabulary

_YEAR_CELL = regex.compile(rf"^{YEAR}$")
_YEAR_WORD = regex.compile(rf"{YEAR_WORD.pattern}(?:度)?(?:底|末)?")  # 2024年底: the year with what may follow it


def column_header(segment: dict[str, Any], header_rows: dict[int, str | None], cell_no: int | None) -> str | None:
    if cell_no is None or segment["table_no"] is None:
        return None
    header = header_rows.get(segment["table_no"])
    if header is None:
        return None
    header_cells = cells(header)
    return header_cells[cell_no] if cell_no < len(header_cells) else None


def pair_by_column_header(
    context: MentionContext, view: MentionView, header: str | None, vocabulary: Vocabulary
) -> None:
    """A cell whose row label names no indicator (县区 | 低保对象(人) over 安吉县 | 5200) is paired by its column
    header read as the label of a row of its own."""
    if view.cell_no is None or not header or context.candidates or context.reason:
        return
    header = _YEAR_WORD.sub("", header)  # 结婚登记2024年(对): the year is the column's period, not its label
    text = f"{header} | 0"
    start = view.start - len(header) - 3
    segment = SegmentView(f"{view.segment_id}:header", "table_row", start, text, -1)
    cell = MentionView(
        view.mention_id, segment.segment_id, view.start, view.start + 1, view.unit, view.has_magnitude, 1
    )
    found = SegmentPairer(segment, [cell], vocabulary, []).pair_all()[view.mention_id]
    context.candidates = [
        replace(candidate, rule=COLUMN_HEADER_LABEL.label, rank=candidate.rank + 1, phrase_start=None)
        for candidate in found.candidates
    ]


def headers_by_table(segments: list[dict[str, Any]]) -> dict[int, str | None]:
    """The header of each table: its first row that has no number cells but years (`项目 | 2023 | 2024`)."""
    headers = table_headers([(segment["table_no"], segment["segment_text"]) for segment in segments], _year_header)
    return {segment["table_no"]: header for segment, (is_header, header) in zip(segments, headers) if is_header}


def _year_header(text: str) -> bool:
    return all(_YEAR_CELL.match(raw) for _, _, raw, _ in numeric_cells(text)) and len(cells(text)) >= 2
