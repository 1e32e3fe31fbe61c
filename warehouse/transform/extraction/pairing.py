"""Which indicator a number measures: the rules that pair a number mention with an indicator.

For each mention the candidates below are collected, each with the rule that found it and a rank (lower is
better); the caller keeps the best candidate whose unit converts to the indicator's unit.

Table rows
  `table label`              the row label ends with an indicator phrase (养老机构床位 | 万张 | 9.5), or names a
                             subject and a measure of one of its frames (城镇最低生活保障支出 → dibao_funds).
Prose — the *head* of a number is the text from the clause's start (or the end of the number before it) up
to the number: 全市共支出城乡低保金|9.35亿元, 发放资金|4264.7万元, 保障|15.2万人.
  `phrase spans the number`  a phrase pattern runs across the number (新增3家养老机构, 642户…适老化改造).
  `continues a list`         the head is empty after 、/和/与 or right after another number (1045元/月、814元/月,
                             1776户2477人): the number shares the candidates of the number before it.
  `the 'to' of a change`     the head only links to a change (由1145元调整到1190元, 从…744元,增长至…1102元).
  `phrase before the number` a phrase ends in the head and only linking words stand between (低保标准提高至…).
  `counted noun after`       a phrase follows the number closely, with no verb between (24家“幸福食堂”).
  `topic of the clause before`  the head only links back (…标准与…挂钩,调整为1709元/月): the first phrase of
                             the previous clause.
  `frame`                    the head names a measure of a subject's frame (资金, 标准, 床位 or nothing but the
                             unit) and the subject is named in the head, right after the number, earlier in
                             the sentence, or by the previous sentences of the paragraph (indicator_frames.csv);
                             two or more programmes listed together are counted together (多项救助).
A head that names something else (下拨一次性生活补贴, 走访特殊困难群体) blocks the frames: its `residue`.
A phrase naming only a measure of an indicator with frames (机构床位, 补助水平) counts only where one of the
indicator's subjects is within reach (the segment or the paragraph's earlier sentences).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from warehouse.transform.extraction.marks import CLAUSE_BREAK, COUNT_UNITS, YEAR_WORD
from warehouse.transform.extraction.rules import Rule, pairing
from warehouse.transform.extraction.tables import row_label, without_latin
from warehouse.transform.extraction.vocabulary import MULTIPLE_PROGRAMMES, Frame, Vocabulary

_SENTENCE_END = regex.compile(r"[；;。！？!?]")
_CLOSED_BRACKETS = regex.compile(r"[(（][^()（）]*[)）]")
_LIST_JOINERS = "、和与及或"
_HAN = regex.compile(r"\p{Han}")
_LABEL_BRACKETS = regex.compile(r"[(（][^()（）]*[)）]\s*$")
_ENDS_AT_COMMA = regex.compile(r"[)）”\s]*[，,]")
_HAN_RUN = regex.compile(r"\p{Han}{1,12}")
_BRACKETED = regex.compile(r"[(（][^()（）]{0,8}[)）]")
SPANS, LIST, CHANGE_TO = pairing("phrase_spans_number"), pairing("continues_list"), pairing("change_to")
CLAUSE_BEFORE, TABLE_LABEL = pairing("continues_clause_before"), pairing("table_label")
PROGRAMMES_IN_HEAD, CAPTION = pairing("frame_programmes_in_head"), pairing("table_caption_subject")
COLUMN_HEADER_LABEL = pairing("column_header_label")
BEFORE, NOUN_AFTER, TOPIC_BEFORE = (
    pairing("phrase_before"),
    pairing("counted_noun_after"),
    pairing("topic_of_clause_before"),
)
SUBJECT_AFTER, SUBJECT_IN_HEAD = pairing("frame_subject_after"), pairing("frame_subject_in_head")
SUBJECT_EARLIER, PROGRAMMES_EARLIER = pairing("frame_subject_earlier"), pairing("frame_programmes_earlier")
OF_PARAGRAPH, LINE_BEFORE = pairing("frame_subject_of_paragraph"), pairing("frame_subject_of_line_before")
MAX_PHRASE_GAP = 40
MAX_PHRASE_SPAN = 80  # how far before a number a phrase spanning it may start
MAX_AFTER_GAP = 10
MAX_LEAD = 6  # a line that opens with only this much before its number continues the line before (床位393.2万张)


@dataclass(slots=True)
class Hit:
    key: str  # indicator code (phrase hits) or subject (subject hits)
    start: int
    end: int
    text: str
    needs: tuple[str, ...] = ()  # phrase hits: subjects one of which must be within reach


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


RESIDUE_MEMO_SIZE = 100_000


def phrase_hits(text: str, vocabulary: Vocabulary) -> list[Hit]:
    """Every occurrence of every indicator phrase; a hit any phrase makes without needing a subject needs none."""
    needs: dict[tuple[str, int, int, str], tuple[str, ...]] = {}
    for phrase, start, end in vocabulary.phrase_matches(text):
        key = (phrase.indicator_code, start, end, text[start:end])
        needs[key] = () if not phrase.needs_subject or needs.get(key) == () else phrase.needs_subject
    return sorted((Hit(*key, needs=required) for key, required in needs.items()), key=lambda hit: (hit.start, -hit.end))


def subject_hits(text: str, vocabulary: Vocabulary) -> list[Hit]:
    hits = []
    for subject, pattern in vocabulary.subjects_in(text):
        hits += [Hit(subject, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text) if m.end() > m.start()]
    return _outermost(sorted(hits, key=lambda hit: (hit.start, -hit.end)))


def _outermost(hits: list[Hit]) -> list[Hit]:
    """Subjects inside a longer subject (低保 in 低保边缘) are not subjects of their own."""
    return [
        hit
        for hit in hits
        if not any(other.start <= hit.start and hit.end <= other.end and other != hit for other in hits)
    ]


def residue(text: str, vocabulary: Vocabulary, remove: Sequence[tuple[int, int]] = ()) -> str:
    """The Han characters of a text left after the given spans, linking words, verbs, own-area words and dates."""
    left = text
    if remove:
        keep = [True] * len(text)
        for start, end in remove:
            for index in range(max(start, 0), min(end, len(text))):
                keep[index] = False
        left = "".join(char for char, kept in zip(text, keep) if kept)
    cached = vocabulary.residues.get(left)
    if cached is None:
        if len(vocabulary.residues) >= RESIDUE_MEMO_SIZE:  # a national corpus has millions of distinct heads
            vocabulary.residues.clear()
        cached = vocabulary.residues[left] = _residue(left, vocabulary)
    return cached


def _residue(left: str, vocabulary: Vocabulary) -> str:
    if vocabulary.places is not None and left:
        left = vocabulary.places.remove(left)
    previous = None
    while previous != left:
        previous, left = left, vocabulary.filler.sub("", left)
    return "".join(_HAN.findall(left))


class SegmentPairer:
    """Pairs the mentions of one segment. `previous_topics` are the first subjects of the paragraph's earlier
    sentences, nearest first; `line_before_topic` the topic of the paragraph before, for a line that opens
    with a bare measure; `caption_topic` the subject of a table's caption (表10 福利彩票) for its rows."""

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

    def pair_all(self) -> dict[str, MentionContext]:
        for mention_id, name in self.name_parts.items():
            self.contexts[mention_id] = MentionContext(head=name, reason=f"part of the name '{name}', not a quantity")
        for index, mention in enumerate(self.mentions):
            previous = self.mentions[index - 1] if index else None
            if mention.cell_no is not None:
                self.contexts[mention.mention_id] = self._table_cell(mention)
            else:
                self.contexts[mention.mention_id] = self._prose(mention, previous)
        return self.contexts

    # --- tables ---------------------------------------------------------------------------------
    def _table_cell(self, mention: MentionView) -> MentionContext:
        label = row_label(self.text)
        label_start = self.text.find(label) if label else -1
        marked_part = bool(self.vocabulary.pattern("part_mark").match(self.text))
        context = MentionContext(head=label, head_start=max(label_start, 0))
        if label_start < 0:
            return context
        core = without_latin(_LABEL_BRACKETS.sub("", label))
        label_end = label_start + len(core)
        for hit in self.phrases:
            if marked_part and residue(self.text[label_start : hit.start], self.vocabulary):
                continue  # 其中:公办养老机构: a part named by other words than 城市/农村 is not the total
            if label_start <= hit.start and hit.end <= label_end and label_end - hit.end <= 3:
                context.candidates.append(
                    Candidate(
                        hit.key,
                        TABLE_LABEL.label,
                        TABLE_LABEL.base - 5 + (label_end - hit.end) - len(hit.text) / 100,
                        hit.text,
                        hit.start,
                    )
                )
        local_subjects = [hit for hit in self.subjects if label_start <= hit.start and hit.end <= label_end]
        for subject in reversed(local_subjects):
            if marked_part and residue(self.text[label_start : subject.start], self.vocabulary):
                continue
            tail = self.text[subject.end : label_end]
            context.candidates += self._frames(
                subject,
                self.text[label_start:label_end],
                mention,
                TABLE_LABEL.label,
                TABLE_LABEL.base,
                subject.start,
                tail=tail,
            )
        if not context.candidates and not local_subjects and self.caption_topic is not None and not marked_part:
            # 表10 福利彩票 over 销售额 | 亿元 | 631.6: the caption names what the row's measure is of
            measure = self.text[label_start:label_end]
            context.candidates += self._frames(
                self.caption_topic, measure, mention, CAPTION.label, CAPTION.base, None, tail=measure
            )
        return context

    # --- prose ----------------------------------------------------------------------------------
    def _prose(self, mention: MentionView, previous: MentionView | None) -> MentionContext:
        start, end = self.local(mention)
        clause_start = self._clause_start(start)
        previous_end = self.local(previous)[1] if previous else -1
        head_start = max(clause_start, previous_end if previous_end <= start else -1)
        head = self.text[head_start:start]
        context = MentionContext(head=head, head_start=head_start)
        stripped = head.lstrip(_LIST_JOINERS + " ")
        if self.vocabulary.pattern("rate_base").search(self.text[:start]):
            context.reason = "the base of a rate (每…), not a quantity of its own"
            return context
        if self.vocabulary.pattern("change_from").search(self.text[max(0, start - 12) : start]):
            context.range_role = "from"
        counts_object = bool(self.vocabulary.pattern("object_mark").search(self.text[:start]))
        context.per_capita = bool(
            self.vocabulary.pattern("per_capita_before").search(self.text[max(0, start - 6) : start])
        )
        context.candidates += self._phrases_spanning(start, end)

        previous_context = self.contexts.get(previous.mention_id) if previous else None
        if previous_context is not None and previous_end == start:
            # 1776户2477人, 6户16人: one count in two units shares everything the first one found
            context.candidates = [
                Candidate(c.indicator_code, LIST.label, LIST.base + c.rank / 100, c.phrase, c.phrase_start)
                for c in previous_context.candidates
            ]
            context.blocked, context.reason = previous_context.blocked, previous_context.reason
            context.range_role = previous_context.range_role
            return context
        if previous_context is not None and self._blocked_list(context, previous_context, previous_end, clause_start):
            # 照料护理标准…分别为200元、600元: the list's first item names no indicator, nor do the items after it
            context.blocked, context.reason = previous_context.blocked, previous_context.reason
            return context
        if previous_context is not None:
            context.candidates += self._from_previous(context, previous_context, previous_end, clause_start, start)
        context.candidates += self._phrases_before(head_start, start)
        if not counts_object:
            context.candidates += self._nouns_after(end)
        if not residue(stripped, self.vocabulary) and clause_start > 0 and not counts_object:
            context.candidates += self._topic_of_clause_before(clause_start)
            context.candidates += self._continues_clause_before(clause_start, previous, previous_context, stripped)
        context.candidates += self._prose_frames(mention, head, head_start, context, counts_object)
        return context

    def _phrases_spanning(self, start: int, end: int) -> list[Candidate]:
        """低保标准810元/月 written as one pattern, or 642户…适老化改造 whose pattern starts at the unit."""
        found = []
        for hit in self.phrases_starting(start - MAX_PHRASE_SPAN, end):
            spans = hit.start <= start and hit.end >= end
            from_unit = start < hit.start < end < hit.end
            if spans or from_unit:
                found.append(Candidate(hit.key, SPANS.label, SPANS.base - len(hit.text) / 100, hit.text, hit.start))
        return found

    def _blocked_list(
        self, context: MentionContext, previous_context: MentionContext, previous_end: int, clause_start: int
    ) -> bool:
        """The next item of a list (、600元) whose item before was blocked by words no phrase covers."""
        head = context.head
        return (
            bool(previous_context.blocked)
            and not previous_context.candidates
            and previous_end >= clause_start
            and head[:1] in tuple(_LIST_JOINERS)
            and not residue(head.lstrip(_LIST_JOINERS + " "), self.vocabulary)
        )

    def _from_previous(
        self,
        context: MentionContext,
        previous_context: MentionContext,
        previous_end: int,
        clause_start: int,
        start: int,
    ) -> list[Candidate]:
        """What the number before lends: its indicators to the next item of a list (、80%), or to the 'to' of a
        change (从460元提高到620元), which then says so in range_role."""
        head, stripped = context.head, context.head.lstrip(_LIST_JOINERS + " ")
        if (
            previous_end >= clause_start
            and not residue(stripped, self.vocabulary)
            and (head == "" or head[0] in _LIST_JOINERS)
            and not context.range_role
        ):
            context.range_role = previous_context.range_role
            return [
                Candidate(c.indicator_code, LIST.label, LIST.base + c.rank / 100, c.phrase, c.phrase_start)
                for c in previous_context.candidates
            ]
        if previous_context.range_role == "from":
            link = self.text[previous_end:start]
            if (
                self.vocabulary.pattern("change_to").search(link)
                and not residue(link, self.vocabulary)
                and len(link) <= 20
            ):
                context.range_role = "to"
                return [
                    Candidate(
                        c.indicator_code, CHANGE_TO.label, CHANGE_TO.base + c.rank / 100, c.phrase, c.phrase_start
                    )
                    for c in previous_context.candidates
                ]
        return []

    def _phrases_before(self, head_start: int, start: int) -> list[Candidate]:
        """A phrase just before the number with nothing between them but words of no meaning (达到, 为, 共)."""
        found = []
        for hit in self.phrases_starting(head_start, start):
            if hit.end > start or start - hit.end > MAX_PHRASE_GAP:
                continue
            gap = self.text[hit.end : start]
            if "、" in gap or self.vocabulary.pattern("joiner_first").match(gap):
                continue  # 建成37个…中心、4个综合体: the phrase belongs to the item before
            if gap.startswith("的") and not residue(gap, self.vocabulary):
                continue  # 民办非企业单位的1.2万个: the phrase qualifies a noun left out
            if (
                self._named_part(head_start, hit.start)
                or self._qualified_by_other_subject(hit)
                or self._per_capita_of(hit)
            ):
                continue
            if not residue(gap, self.vocabulary):
                rank = BEFORE.base + len(gap) - len(hit.text) / 100
                found.append(Candidate(hit.key, BEFORE.label, rank, hit.text, hit.start))
        return found

    def _nouns_after(self, end: int) -> list[Candidate]:
        """The noun a count counts, right after it (建成37个居家养老服务中心)."""
        found = []
        for hit in self.phrases_starting(end, end + MAX_AFTER_GAP + 20):
            gap = self.text[end : hit.start]
            if self._counted_gap(gap, end, hit.start):
                rank = NOUN_AFTER.base + len(gap) - len(hit.text) / 100
                found.append(Candidate(hit.key, NOUN_AFTER.label, rank, hit.text, hit.start))
        return found

    def _qualified_by_other_subject(self, hit: Hit) -> bool:
        """低保救助资金: a phrase that names only a measure (救助资金), right after another programme's name, is
        that programme's."""
        return bool(hit.needs) and any(
            0 <= hit.start - other.end <= 1 and other.key not in hit.needs for other in self.subjects
        )

    def _per_capita_of(self, hit: Hit) -> bool:
        """每万人拥有持证社会工作者3.1人: a count's phrase after 每万人… is a ratio, not the count."""
        return self.vocabulary.kinds.get(hit.key) != "ratio" and bool(
            self.vocabulary.pattern("ratio_base").search(self.text[: hit.start])
        )

    def _named_part(self, head_start: int, phrase_start: int) -> bool:
        """其中刮刮乐销售金额0.92亿: a part named by other words than 城市/农村… is not the indicator's value."""
        head = self.text[head_start:phrase_start]
        if head.lstrip(_LIST_JOINERS).startswith("其中"):
            return bool(residue(head, self.vocabulary))
        return self._part_after_qizhong(head_start, phrase_start)

    def _part_after_qizhong(self, head_start: int, subject_start: int) -> bool:
        """其中:民政部门接收…, 社会组织接收…: a clause after a 其中 of its sentence (not one closed in brackets)
        whose words before the subject name something is one of the parts 其中 lists."""
        if not residue(self.text[head_start:subject_start], self.vocabulary):
            return False
        sentence_start = max((m.end() for m in _SENTENCE_END.finditer(self.text, 0, head_start)), default=0)
        return "其中" in _CLOSED_BRACKETS.sub("", self.text[sentence_start:head_start])

    def _counted_gap(self, gap: str, start: int, end: int) -> bool:
        """What may stand between a number and the noun it counts: modifiers (乡镇(街道)), no verb, break or
        other number."""
        gap = _BRACKETED.sub("", gap)
        return (
            len(gap) <= MAX_AFTER_GAP
            and not CLAUSE_BREAK.search(gap)
            and "、" not in gap
            and not self.vocabulary.verbs.search(gap)
            and not self._mention_between(start, end)
        )

    def _clause_start(self, position: int) -> int:
        breaks = [m.end() for m in CLAUSE_BREAK.finditer(self.text, 0, position)]
        return breaks[-1] if breaks else 0

    def _mention_between(self, start: int, end: int) -> bool:
        return bisect.bisect_left(self._mention_starts, start) < bisect.bisect_left(self._mention_starts, end)

    def _topic_of_clause_before(self, clause_start: int) -> list[Candidate]:
        """…标准与…挂钩,调整为1709元/月: the first phrase of the clause before, when no number stands between."""
        before_start = self._clause_start(clause_start - 1)
        if self._mention_between(before_start, clause_start):
            return []
        hits = [hit for hit in self.phrases if before_start <= hit.start and hit.end <= clause_start]
        if not hits:
            return []
        first = min(hit.start for hit in hits)
        return [
            Candidate(
                hit.key,
                TOPIC_BEFORE.label,
                TOPIC_BEFORE.base + (hit.start - before_start) - len(hit.text) / 100,
                hit.text,
                hit.start,
            )
            for hit in hits
            if hit.start == first
        ]

    def _continues_clause_before(
        self, clause_start: int, previous: MentionView | None, previous_context: MentionContext | None, head: str
    ) -> list[Candidate]:
        """…率2022年达到90%,2025年达到95%: a clause of only a year and links after a clause that ends with a
        number continues it."""
        if previous is None or previous_context is None or not YEAR_WORD.search(head):
            return []
        if not _ENDS_AT_COMMA.fullmatch(self.text[self.local(previous)[1] : clause_start]):
            return []
        return [
            Candidate(
                c.indicator_code, CLAUSE_BEFORE.label, CLAUSE_BEFORE.base + c.rank / 100, c.phrase, c.phrase_start
            )
            for c in previous_context.candidates
        ]

    def _programmes_summed(self, earlier: list[Hit]) -> list[Hit] | None:
        """The programmes of the sentence's earlier amounts (低保金3.2亿元、…临时救助资金4630万元，共计…), when
        there are two or more: what a total after them sums."""
        programmes = [hit for hit in earlier if hit.key in self.vocabulary.programmes]
        return programmes if len({hit.key for hit in programmes}) >= 2 else None

    def _listed_programmes(self, hits: list[Hit]) -> list[Hit] | None:
        """Two or more programmes listed one after another (低保、低边、特困对象): counted together."""
        programmes = [hit for hit in hits if hit.key in self.vocabulary.programmes]
        for first in range(len(programmes)):
            run = [programmes[first]]
            for hit in programmes[first + 1 :]:
                if self.vocabulary.pattern("list_between").match(self.text[run[-1].end : hit.start]):
                    run.append(hit)
                else:
                    break
            if len({hit.key for hit in run}) >= 2:
                return run
        return None

    def _counted_noun(self, end: int) -> str:
        """The words right after a count that say what it counts, when they are no subject or phrase of ours
        (300名孤寡老人): such a count is of something no indicator covers."""
        match = _HAN_RUN.match(self.text, end)
        if not match or any(0 <= hit.start - end <= 2 for hit in self.subjects + self.phrases):
            return ""
        words = self.vocabulary.verbs.split(match.group(0))[0]
        return residue(words, self.vocabulary)

    def _prose_frames(
        self, mention: MentionView, head: str, head_start: int, context: MentionContext, counts_object: bool = False
    ) -> list[Candidate]:
        """A subject (低保, 特困人员…) and the measure words around it, where no phrase names the indicator: in
        the head, right after the number, or lent by the sentence, paragraph or line before."""
        start, end = self.local(mention)
        in_head = [hit for hit in self.subjects if head_start <= hit.start and hit.end <= start]
        found = self._frames_of_listed_programmes(mention, head, in_head, context)
        if found is not None:
            return found
        if in_head and self._named_part(head_start, in_head[-1].start):
            context.reason = "a part listed after 其中 (其中:民政部门接收…), not the indicator's value"
            return []
        remove = [(hit.start - head_start, hit.end - head_start) for hit in in_head]
        found = self._frames_near(mention, head, in_head, remove, counts_object)
        if found:
            return found
        if counts_object:
            context.reason = "the object of an action (对/向/在/等 before the number), not a total"
            return []
        counted = self._counted_noun(end) if mention.unit in COUNT_UNITS else ""
        if counted:
            context.reason = f"counts '{counted}', which no indicator phrase or frame covers"
            return []
        return self._inherited_frames(mention, head, head_start, context, remove)

    def _frames_of_listed_programmes(
        self, mention: MentionView, head: str, in_head: list[Hit], context: MentionContext
    ) -> list[Candidate] | None:
        """低保、特困对象…: several programmes in the head count together; None: the head lists none."""
        start, _ = self.local(mention)
        listed = self._listed_programmes(in_head)
        if listed is not None and (listed[-1] == in_head[-1] or self._payment_list(head)):
            several = Hit(MULTIPLE_PROGRAMMES, listed[0].start, listed[-1].end, head)
            tail = self.text[listed[-1].end : start]
            found = self._frames(
                several,
                head,
                mention,
                PROGRAMMES_IN_HEAD.label,
                PROGRAMMES_IN_HEAD.base,
                listed[0].start,
                tail=tail,
                list_of_payments=self._payment_list(head),
            )
            if found:
                return found
        if listed is None and in_head and self._payment_list(head):
            context.reason = f"a sum of one programme's money and other payments ('{head}') fills no indicator"
            return []
        return None

    def _frames_near(
        self, mention: MentionView, head: str, in_head: list[Hit], remove: list[tuple[int, int]], counts_object: bool
    ) -> list[Candidate]:
        """The subject last in the head, and the one right after the number (5万余名老人享受尊老金)."""
        start, end = self.local(mention)
        found: list[Candidate] = []
        if in_head:
            subject = in_head[-1]
            found += self._frames(
                subject,
                head,
                mention,
                SUBJECT_IN_HEAD.label,
                SUBJECT_IN_HEAD.base,
                subject.start,
                tail=self.text[subject.end : start],
            )
        # 5万余名老人享受尊老金, 为197人次发放临时救助资金: the programme the counted people receive
        after = [
            hit
            for hit in self.subjects
            if end <= hit.start
            and hit.start - end <= MAX_AFTER_GAP
            and not CLAUSE_BREAK.search(self.text[end : hit.start])
            and "、" not in self.text[end : hit.start]
            and not self._mention_between(end, hit.start)
            and not residue(self.text[end : hit.start], self.vocabulary)
            and not self.vocabulary.pattern("list_after").match(self.text, hit.end)
        ]  # 低保、特困…: a list
        if after and not counts_object and not residue(head, self.vocabulary, remove):
            # the noun right after a count is what it counts: before a subject earlier in the head
            rank = SUBJECT_AFTER.base + (0 if after[0].start - end <= 2 else 4)
            found += self._frames(after[0], head, mention, SUBJECT_AFTER.label, rank, after[0].start, remove=remove)
        return found

    def _inherited_frames(
        self, mention: MentionView, head: str, head_start: int, context: MentionContext, remove: list[tuple[int, int]]
    ) -> list[Candidate]:
        """A subject lent by the sentence, the paragraph or the line before; what blocks it, when none fits."""
        start, _ = self.local(mention)
        leftover = residue(head, self.vocabulary, remove)
        # (subject, rule, rank, whether the subject's own clause lends its measure words)
        inherited: list[tuple[Hit, Rule, float, bool]] = []
        earlier = [hit for hit in self.subjects if hit.end <= head_start]
        if earlier:
            clause = self._clause_of(earlier[-1].start)
            listed = self._listed_programmes([hit for hit in earlier if clause[0] <= hit.start])
            if listed is None and self.vocabulary.pattern("sum_opening").match(head.strip()):
                listed = self._programmes_summed(earlier)
            if listed is not None:
                several = Hit(MULTIPLE_PROGRAMMES, listed[0].start, listed[-1].end, "")
                inherited.append((several, PROGRAMMES_EARLIER, PROGRAMMES_EARLIER.base, True))
            else:
                inherited.append((earlier[-1], SUBJECT_EARLIER, SUBJECT_EARLIER.base, True))
        inherited += [
            (topic, OF_PARAGRAPH, OF_PARAGRAPH.base + rank, False)
            for rank, topic in enumerate(self.previous_topics[:2])
        ]
        if (
            self.line_before_topic is not None
            and self.segment.opens_paragraph
            and not earlier
            and len(self.text[:start].strip()) <= MAX_LEAD
        ):
            inherited.append((self.line_before_topic, LINE_BEFORE, LINE_BEFORE.base, False))
        for subject, rule, rank, clause_lends in inherited:
            # 新增慈善信托6单共计1036.2万元: a subject of this sentence lends its clause's measure words
            reach = self.text[self._clause_start(subject.start) : start] if clause_lends else head
            candidates = self._frames(subject, reach, mention, rule.label, rank, None, remove=remove, residue_of=head)
            if candidates:
                return candidates
        if leftover and inherited:
            context.blocked = leftover
        return []

    def _clause_of(self, position: int) -> tuple[int, int]:
        start = self._clause_start(position)
        following = CLAUSE_BREAK.search(self.text, position)
        return start, following.start() if following else len(self.text)

    def _payment_list(self, head: str) -> bool:
        """低保金、特困人员基本生活费、物价补贴、春节慰问金等: a list of payments (a sum)."""
        items = [item for item in head.split("、") if item]
        return len(items) >= 2 and all(self.vocabulary.pattern("money_item").search(item) for item in items)

    def _frames(
        self,
        subject: Hit,
        head: str,
        mention: MentionView,
        rule: str,
        rank: float,
        phrase_start: int | None,
        tail: str | None = None,
        remove: Sequence[tuple[int, int]] = (),
        list_of_payments: bool = False,
        residue_of: str | None = None,
    ) -> list[Candidate]:
        """The frames of a subject whose measure `head` names and whose words leave nothing unexplained:
        the words after the subject (`tail`) when it is named in the head, else the number's own head."""
        found = []
        for frame in self.vocabulary.frames.get(subject.key, []):
            if not self._frame_holds(frame, head, mention):
                continue
            if not list_of_payments:
                own = residue_of if residue_of is not None else head
                text, spans = (tail, []) if tail is not None else (own, list(remove))
                if frame.measure is not None:
                    spans += [m.span() for m in frame.measure.finditer(text)]
                if residue(text, self.vocabulary, spans):
                    continue
            specificity = 0.5 if frame.measure is None else 0
            if residue_of is not None and frame.measure is not None and not frame.measure.search(residue_of):
                specificity = 1  # the measure word stands only earlier in the clause
            found.append(Candidate(frame.indicator_code, rule, rank + specificity, subject.text, phrase_start))
        return found

    @staticmethod
    def _frame_holds(frame: Frame, head: str, mention: MentionView) -> bool:
        if frame.written_unit is not None:
            return bool(frame.written_unit.match(mention.unit or ""))
        return frame.measure is None or bool(frame.measure.search(head))
