"""The records pairing reads and makes: a segment and its mentions as pairing sees them, the candidates
found for a mention, and what the pairing of a mention saw, for the decision and its explanation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Candidate:
    indicator_code: str
    rule: str
    rank: float
    phrase: str = ""
    phrase_start: int | None = None  # offset in the segment text


@dataclass
class MentionContext:
    """What the pairing of one mention saw, for the decision and its explanation."""

    head: str = ""
    head_start: int = 0  # offset of the head in the segment text
    candidates: list[Candidate] = field(default_factory=list)
    blocked: str = ""  # why the frames were not tried: the head's residue
    reason: str = ""  # why nothing was paired, where a rule says so in words
    range_role: str = ""  # from | to
    per_capita: bool = False  # 每人300元: fills a standard, never a sum of money


@dataclass(slots=True)
class SegmentView:
    segment_id: str
    kind: str
    start: int
    text: str
    paragraph_no: int
    opens_paragraph: bool = False


@dataclass(slots=True)
class MentionView:
    mention_id: str
    segment_id: str
    start: int  # offset in the document (segment start + offset in the segment text)
    end: int
    unit: str
    has_magnitude: bool
    cell_no: int | None
