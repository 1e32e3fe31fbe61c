"""Lines without numbers that head what follows them: a table's caption (表10 福利彩票) or a section row
naming the subject of the rows below, and a header line opening a section of the scope's parts."""

from __future__ import annotations

from typing import Any

import regex

from warehouse.transform.extraction.hits import Hit, subject_hits
from warehouse.transform.extraction.marks import CLAUSE_BREAK
from warehouse.transform.extraction.scope import Section, section_of
from warehouse.transform.extraction.tables import cells
from warehouse.transform.extraction.vocabulary import Vocabulary

MAX_HEADER_LINE = 24
_CAPTION_NUMBER = regex.compile(r"^(?:表|图|Table|Figure)\s*\d+(?:[-.．]\d+)*\s*")


def is_header_line(segment: dict[str, Any]) -> bool:
    """A line without numbers that may head the rows below it: a table row with one filled cell, or a short
    line of its own."""
    text = segment["segment_text"]
    if segment["segment_kind"] == "table_row":
        return sum(1 for cell in cells(text) if cell.strip()) <= 1
    return len(text.strip()) <= MAX_HEADER_LINE and not CLAUSE_BREAK.search(text.strip()[:-1])


def row_caption(
    segment: dict[str, Any],
    header_line: bool,
    current: tuple[int | None, Hit | None],
    short_line_subject: Hit | None,
    vocabulary: Vocabulary,
) -> tuple[int | None, Hit | None]:
    """The table and the subject its rows' bare measures are of: the short line above the table (表10 福利彩票),
    then the latest section row that names one (农村特困人员救助供养 | | over 救助供养人数 | 人 | 2300)."""
    table_no, caption = current
    if segment["table_no"] != table_no:
        table_no, caption = segment["table_no"], short_line_subject
    if header_line:
        caption = caption_subject(segment, vocabulary) or caption
    return table_no, caption


def caption_subject(segment: dict[str, Any], vocabulary: Vocabulary) -> Hit | None:
    """The subject of a short line without numbers (表10 福利彩票): a caption for the table that may follow."""
    text = _CAPTION_NUMBER.sub("", segment["segment_text"].strip())
    if len(text) > MAX_HEADER_LINE or any(char.isdigit() for char in text):
        return None
    subjects = subject_hits(text, vocabulary)
    return subjects[0] if subjects else None


def header_section(text: str, vocabulary: Vocabulary) -> Section | None:
    """The section a header line opens: its parts, or None (a header naming no part ends the one before)."""
    if vocabulary.scope_words is None:
        return None
    section = section_of(text, vocabulary.scope_words, programmes_in(text, vocabulary))
    return section if any(section.parts.values()) else None


def programmes_in(text: str, vocabulary: Vocabulary) -> frozenset[str]:
    return frozenset(hit.key for hit in subject_hits(text, vocabulary) if hit.key in vocabulary.programmes)
