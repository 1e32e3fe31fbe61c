"""The frame rules: a subject (低保, 特困人员…) and the measure words around it pair a number where no phrase
names the indicator (indicator_frames.csv). The subject is named in the head, right after the number, earlier
in the sentence, or by the previous sentences of the paragraph or the line before; two or more programmes
listed together are counted together (多项救助)."""

from __future__ import annotations

from collections.abc import Sequence

import regex

from warehouse.transform.extraction.hits import Hit, residue
from warehouse.transform.extraction.marks import CLAUSE_BREAK, COUNT_UNITS
from warehouse.transform.extraction.pairing_records import Candidate, MentionContext, MentionView
from warehouse.transform.extraction.rules import Rule, pairing
from warehouse.transform.extraction.segment_reader import SegmentReader
from warehouse.transform.extraction.vocabulary import MULTIPLE_PROGRAMMES, Frame

_HAN_RUN = regex.compile(r"\p{Han}{1,12}")
PROGRAMMES_IN_HEAD = pairing("frame_programmes_in_head")
SUBJECT_AFTER, SUBJECT_IN_HEAD = pairing("frame_subject_after"), pairing("frame_subject_in_head")
SUBJECT_EARLIER, PROGRAMMES_EARLIER = pairing("frame_subject_earlier"), pairing("frame_programmes_earlier")
OF_PARAGRAPH, LINE_BEFORE = pairing("frame_subject_of_paragraph"), pairing("frame_subject_of_line_before")
MAX_AFTER_GAP = 10
MAX_LEAD = 6  # a line that opens with only this much before its number continues the line before (床位393.2万张)


class FramePairer(SegmentReader):
    """The frame rules over a segment; SegmentPairer (pairing.py) adds the phrase, list and table rules."""

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
