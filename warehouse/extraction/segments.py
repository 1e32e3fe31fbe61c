"""Split a document's text into segments with character offsets: sentences of prose, and table rows
(lines whose cells are joined by ` | `, as the parsers write tables). Each segment carries the
headings it sits under (一、… and (一)…), which period and actual/target resolution read."""

from __future__ import annotations

import re
from dataclasses import dataclass

CELL_SEPARATOR = " | "
_SENTENCE_END = re.compile(r"[。！？；;!?]")
_HEADING_1 = re.compile(r"(?:^|(?<=[。\s]))([一二三四五六七八九十]{1,3})、([^。，,；;:：\n(（]{2,40}?)(?=[。，,；;:：\n(（]|$)")
_HEADING_2 = re.compile(r"[(（]([一二三四五六七八九十]{1,3})[)）]([^。，,；;:：\n(（]{2,30}?)(?=[。，,；;:：\n(（“]|$)")
MAX_SENTENCE = 400


@dataclass(frozen=True)
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


def split_segments(text: str) -> list[Segment]:
    headings = _headings(text)
    segments: list[Segment] = []
    heading_index, heading1, heading2 = 0, "", ""
    table_no, row_no, in_table = 0, 0, False
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        if not line.strip():
            continue
        if CELL_SEPARATOR in line:
            if not in_table:
                table_no, row_no, in_table = table_no + 1, 0, True
            row_no += 1
            spans = [(line_start, line_start + len(line))]
            kind = "table_row"
        else:
            in_table = False
            spans = []
            for start, end in _sentences(line, line_start):
                while end - start > MAX_SENTENCE:  # a line of 500,000 characters with no full stop
                    spans.append((start, start + MAX_SENTENCE))
                    start += MAX_SENTENCE
                spans.append((start, end))
            kind = "sentence"
        for start, end in spans:
            while heading_index < len(headings) and headings[heading_index][0] < end:
                _, level, title = headings[heading_index]
                if level == 1:
                    heading1, heading2 = title, ""
                else:
                    heading2 = title
                heading_index += 1
            if text[start:end].strip():
                segments.append(Segment(len(segments) + 1, kind, start, end, text[start:end],
                                        table_no if kind == "table_row" else None,
                                        row_no if kind == "table_row" else None, heading1, heading2))
    return segments
