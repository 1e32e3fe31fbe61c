"""The subjects a segment may inherit from the segments before it: its paragraph's earlier sentences and
the paragraph before."""

from __future__ import annotations

from typing import Any

from warehouse.transform.extraction.hits import Hit, subject_hits
from warehouse.transform.extraction.vocabulary import Vocabulary


class Topics:
    """The subjects a segment may inherit: the first subject of each earlier segment of its paragraph (nearest
    first), and that of the paragraph before (until a heading changes). A segment's subjects are looked for only
    when a later segment with a number asks: most segments have none."""

    def __init__(self, segments: list[dict[str, Any]], vocabulary: Vocabulary):
        self._segments, self._vocabulary = segments, vocabulary
        self._subjects: dict[int, list[Hit]] = {}
        self._paragraph: list[int] = []  # indices of the current paragraph's segments passed so far
        self._paragraph_before: list[int] = []

    def open_paragraph(self) -> None:
        self._paragraph_before, self._paragraph = self._paragraph, []

    def forget_line_before(self) -> None:
        self._paragraph_before = []

    def know(self, index: int, subjects: list[Hit]) -> None:
        self._subjects[index] = subjects

    def passed(self, index: int) -> None:
        self._paragraph.append(index)

    def previous(self) -> list[Hit]:
        return [topic for topic in map(self._topic, reversed(self._paragraph)) if topic is not None]

    def line_before(self) -> Hit | None:
        return next((topic for topic in map(self._topic, self._paragraph_before) if topic is not None), None)

    def _topic(self, index: int) -> Hit | None:
        subjects = self._subjects.get(index)
        if subjects is None:
            subjects = self._subjects[index] = subject_hits(self._segments[index]["segment_text"], self._vocabulary)
        return subjects[0] if subjects else None
