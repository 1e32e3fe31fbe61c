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

import regex

from warehouse.transform.extraction.frame_pairing import MAX_AFTER_GAP, FramePairer
from warehouse.transform.extraction.hits import Hit, residue
from warehouse.transform.extraction.marks import CLAUSE_BREAK, YEAR_WORD
from warehouse.transform.extraction.pairing_records import Candidate, MentionContext, MentionView
from warehouse.transform.extraction.rules import pairing
from warehouse.transform.extraction.segment_reader import LIST_JOINERS
from warehouse.transform.extraction.tables import row_label, without_latin

_LABEL_BRACKETS = regex.compile(r"[(（][^()（）]*[)）]\s*$")
_ENDS_AT_COMMA = regex.compile(r"[)）”\s]*[，,]")
_BRACKETED = regex.compile(r"[(（][^()（）]{0,8}[)）]")
SPANS, LIST, CHANGE_TO = pairing("phrase_spans_number"), pairing("continues_list"), pairing("change_to")
CLAUSE_BEFORE, TABLE_LABEL = pairing("continues_clause_before"), pairing("table_label")
CAPTION = pairing("table_caption_subject")
COLUMN_HEADER_LABEL = pairing("column_header_label")
BEFORE, NOUN_AFTER, TOPIC_BEFORE = (
    pairing("phrase_before"),
    pairing("counted_noun_after"),
    pairing("topic_of_clause_before"),
)
MAX_PHRASE_GAP = 40
MAX_PHRASE_SPAN = 80  # how far before a number a phrase spanning it may start


class SegmentPairer(FramePairer):
    """Pairs the mentions of one segment: the table and prose rules here, the frame rules in frame_pairing.py,
    what they read of the segment in segment_reader.py."""

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
        stripped = head.lstrip(LIST_JOINERS + " ")
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
        shares_twin = previous_context is not None and (previous_context.candidates or previous_context.blocked)
        if previous_context is not None and previous_end == start and shares_twin:
            # 1776户2477人, 6户16人: one count in two units shares everything the first one found (when the
            # subject comes after both, 1520户2610名低保对象, the second finds it itself)
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
            and head[:1] in tuple(LIST_JOINERS)
            and not residue(head.lstrip(LIST_JOINERS + " "), self.vocabulary)
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
        head, stripped = context.head, context.head.lstrip(LIST_JOINERS + " ")
        if (
            previous_end >= clause_start
            and not residue(stripped, self.vocabulary)
            and (head == "" or head[0] in LIST_JOINERS)
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

    def _running_total_of_one(self, head: str, previous: MentionView, clause_start: int) -> bool:
        """累计达到620个 after a clause of one number: the total of what that number counted (after a list of
        amounts, 共计 sums the list instead)."""
        if not self.vocabulary.pattern("running_total").search(head.strip()):
            return False
        previous_start = self.local(previous)[0]
        return not self._mention_between(self._clause_start(clause_start - 1), previous_start)

    def _continues_clause_before(
        self, clause_start: int, previous: MentionView | None, previous_context: MentionContext | None, head: str
    ) -> list[Candidate]:
        """…率2022年达到90%,2025年达到95%: a clause of only a year and links after a clause that ends with a
        number continues it; so does one of only a running total (…新增15个，累计达到620个)."""
        if previous is None or previous_context is None:
            return []
        if not YEAR_WORD.search(head) and not self._running_total_of_one(head, previous, clause_start):
            return []
        if not _ENDS_AT_COMMA.fullmatch(self.text[self.local(previous)[1] : clause_start]):
            return []
        return [
            Candidate(
                c.indicator_code, CLAUSE_BEFORE.label, CLAUSE_BEFORE.base + c.rank / 100, c.phrase, c.phrase_start
            )
            for c in previous_context.candidates
        ]
