"""Split a document's text into segments with character offsets: sentences of prose, and table rows
(lines whose cells are joined by ` | `, as the parsers write tables, or statistics rows copied with spaces
between the cells). Each segment carries the headings it sits under (第一章 / 一、… and (一)…), which period
and actual/target resolution read, and the number of its paragraph: a new line, or a sentence that opens
an enumerated item (一是…, 1、…), starts one — the stretch over which a clause's subject carries over."""

from __future__ import annotations

import re
from dataclasses import dataclass

from warehouse.transform.extraction.flat_tables import find_flat_tables
from warehouse.transform.extraction.tables import spaced_row
from warehouse.transform.extraction.vertical_tables import find_vertical_tables

CELL_SEPARATOR = " | "
_SENTENCE_END = re.compile(r"[。！？；;!?]")
_HEADING_1 = re.compile(
    r"(?:^|(?<=[。\s]))(?:第)?([一二三四五六七八九十]{1,3})(?:、|章\s*)([^。，,；;:：\n(（]{2,40}?)(?=[。，,；;:：\n(（]|$)"
)
_HEADING_2 = re.compile(r"[(（]([一二三四五六七八九十]{1,3})[)）]([^。，,；;:：\n(（]{2,30}?)(?=[。，,；;:：\n(（“]|$)")
MAX_SENTENCE = 400
_ITEM_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[，,、]|\d{1,2}[、.．]\D|[(（]\d{1,2}[)）]|[①-⑳])"
)


@dataclass(slots=True)
class Segment:
    segment_no: int
    kind: str  # sentence | table_row
    start: int
    end: int
    text: str
    table_no: int | None
    row_no: int | None
    heading1: str
    heading2: str
    paragraph_no: int = 0


def _headings(text: str) -> list[tuple[int, int, str]]:
    """(position, level, heading text) of every heading, in order."""
    found = [(m.start(), 1, m.group(2).strip()) for m in _HEADING_1.finditer(text)]
    found += [(m.start(), 2, m.group(2).strip()) for m in _HEADING_2.finditer(text)]
    return sorted(found)


def _sentences(line: str, offset: int):
    start = 0
    for match in _SENTENCE_END.finditer(line):
        yield offset + start, offset + match.end()
        start = match.end()
    if start < len(line):
        yield offset + start, offset + len(line)


def _line_pieces(line: str, line_start: int, spaced: str | None):
    """(kind, start, end, text) pieces of one line: sentences, and the rows of tables whose cells
    were run together (rewritten as `label | value | …` over the span of the original row). `spaced` is the
    line as a statistics row copied with spaces (tables.spaced_row), if it is one."""
    if CELL_SEPARATOR in line:
        yield "table_row", line_start, line_start + len(line), line, True
        return
    if spaced is not None:
        yield "table_row", line_start, line_start + len(line), spaced, True
        return
    position = 0
    for table in find_flat_tables(line):
        yield from _prose(line[position : table.start], line_start + position)
        yield "table_row", line_start + table.start, line_start + table.rows[0].start, table.header_text(), True
        for row in table.rows:
            yield "table_row", line_start + row.start, line_start + row.end, table.row_text(row), False
        position = table.end
    yield from _prose(line[position:], line_start + position)


def _prose(text: str, offset: int):
    for start, end in _sentences(text, offset):
        while end - start > MAX_SENTENCE:  # a line of 500,000 characters with no full stop
            yield "sentence", start, start + MAX_SENTENCE, text[start - offset : start - offset + MAX_SENTENCE], False
            start += MAX_SENTENCE
        yield "sentence", start, end, text[start - offset : end - offset], False


def split_segments(text: str) -> list[Segment]:
    headings = _headings(text)
    segments: list[Segment] = []
    heading_index, heading1, heading2 = 0, "", ""
    table_no, row_no, in_table = 0, 0, False
    position, paragraph_no = 0, 0
    vertical = {table.start: table for table in find_vertical_tables(text)} if "|" in text else {}
    skip_to = -1
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        if line_start < skip_to or not line.strip():
            continue
        paragraph_no += 1
        first_piece = True
        separated = CELL_SEPARATOR in line
        spaced = None if separated else spaced_row(line)
        if line_start in vertical:
            table = vertical[line_start]
            skip_to, separated = table.end, True
            pieces = [("table_row", start, end, row, n == 0) for n, (start, end, row) in enumerate(table.rows)]
            in_table = False
        else:
            pieces = list(_line_pieces(line, line_start, spaced))
        for kind, start, end, piece, starts_table in pieces:
            if kind == "sentence" and not first_piece and _ITEM_START.match(piece):
                paragraph_no += 1
            first_piece = False
            if kind == "table_row":
                if not in_table or (starts_table and not separated and spaced is None):
                    table_no, row_no = table_no + 1, 0
                in_table = True
                row_no += 1
            else:
                in_table = False
            while heading_index < len(headings) and headings[heading_index][0] < end:
                _, level, title = headings[heading_index]
                if level == 1:
                    heading1, heading2 = title, ""
                else:
                    heading2 = title
                heading_index += 1
            if piece.strip():
                segments.append(
                    Segment(
                        len(segments) + 1,
                        kind,
                        start,
                        end,
                        piece,
                        table_no if kind == "table_row" else None,
                        row_no if kind == "table_row" else None,
                        heading1,
                        heading2,
                        paragraph_no,
                    )
                )
        if not separated and spaced is None:
            in_table = False
    return segments
