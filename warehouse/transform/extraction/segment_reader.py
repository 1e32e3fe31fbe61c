"""One segment as the pairing rules read it: its subjects and phrase hits, its mentions (less the numerals
inside a subject's name, 两项 in 两项补贴), and where clauses start and mentions stand."""

from __future__ import annotations

import bisect
import functools

import regex

from warehouse.transform.extraction.hits import Hit, phrase_hits, residue, subject_hits
from warehouse.transform.extraction.marks import CLAUSE_BREAK
from warehouse.transform.extraction.pairing_records import MentionContext, MentionView, SegmentView
from warehouse.transform.extraction.vocabulary import Vocabulary

_SENTENCE_END = regex.compile(r"[；;。！？!?]")
_CLOSED_BRACKETS = regex.compile(r"[(（][^()（）]*[)）]")
LIST_JOINERS = "、和与及或"


class SegmentReader:
    """A segment's text, subjects, phrases and mentions for the pairing rules (frame_pairing, pairing).
    `previous_topics` are the first subjects of the paragraph's earlier sentences, nearest first;
    `line_before_topic` the topic of the paragraph before, for a line that opens with a bare measure;
    `caption_topic` the subject of a table's caption (表10 福利彩票) for its rows."""

    def __init__(
        self,
        segment: SegmentView,
        mentions: list[MentionView],
        vocabulary: Vocabulary,
        previous_topics: list[Hit],
        line_before_topic: Hit | None = None,
        caption_topic: Hit | None = None,
    ):
        self.segment, self.vocabulary = segment, vocabulary
        self.text = segment.text
        self.subjects = subject_hits(self.text, vocabulary)
        # 两项 in 两项补贴: a numeral inside a subject's name is part of the name, not a quantity
        self.name_parts = {
            m.mention_id: hit.text
            for m in mentions
            for hit in self.subjects
            if hit.start <= m.start - segment.start and m.end - segment.start <= hit.end
        }
        self.mentions = sorted((m for m in mentions if m.mention_id not in self.name_parts), key=lambda m: m.start)
        self._mention_starts = [m.start - segment.start for m in self.mentions]
        self.previous_topics = previous_topics
        self.line_before_topic = line_before_topic
        self.caption_topic = caption_topic  # a table row's: the subject of the short line above its table
        self.contexts: dict[str, MentionContext] = {}

    @functools.cached_property
    def phrases(self) -> list[Hit]:
        """The phrase hits a mention may pair with (found only when asked: most segments have no mention)."""
        within_reach = {hit.key for hit in self.subjects} | {topic.key for topic in self.previous_topics}
        return [
            hit
            for hit in phrase_hits(self.text, self.vocabulary)
            if not hit.needs or within_reach.intersection(hit.needs)
        ]

    @functools.cached_property
    def _phrase_starts(self) -> list[int]:
        return [hit.start for hit in self.phrases]  # sorted: phrase_hits sorts by start

    def phrases_starting(self, low: int, high: int) -> list[Hit]:
        """The phrase hits that start in [low, high): a mention looks only at those near it."""
        return self.phrases[
            bisect.bisect_left(self._phrase_starts, low) : bisect.bisect_left(self._phrase_starts, high)
        ]

    def local(self, mention: MentionView) -> tuple[int, int]:
        return mention.start - self.segment.start, mention.end - self.segment.start

    def topic(self) -> Hit | None:
        """The first subject of this segment: what a following sentence of the paragraph may speak of."""
        return self.subjects[0] if self.subjects else None

    def _clause_start(self, position: int) -> int:
        breaks = [m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, position)]
        return breaks[-1] if breaks else 0

    def _mention_between(self, start: int, end: int) -> bool:
        return bisect.bisect_left(self._mention_starts, start) < bisect.bisect_left(self._mention_starts, end)

    def _clause_of(self, position: int) -> tuple[int, int]:
        start = self._clause_start(position)
        following = CLAUSE_BREAK.search(self.text, position)
        return start, following.start() if following else len(self.text)

    def _named_part(self, head_start: int, phrase_start: int) -> bool:
        """其中刮刮乐销售金额0.92亿: a part named by other words than 城市/农村… is not the indicator's value."""
        head = self.text[head_start:phrase_start]
        if head.lstrip(LIST_JOINERS).startswith("其中"):
            return bool(residue(head, self.vocabulary))
        return self._part_after_qizhong(head_start, phrase_start)

    def _part_after_qizhong(self, head_start: int, subject_start: int) -> bool:
        """其中:民政部门接收…, 社会组织接收…: a clause after a 其中 of its sentence (not one closed in brackets)
        whose words before the subject name something is one of the parts 其中 lists."""
        if not residue(self.text[head_start:subject_start], self.vocabulary):
            return False
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(self.text, 0, head_start)), default=0)
        return "其中" in _CLOSED_BRACKETS.sub("", self.text[sentence_start:head_start])
