"""Which of a mention's candidates wins: the best one whose unit converts to its indicator's, else why none
did; and a count of new ones (新建8家…中心) moved to its stock's flow code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warehouse.transform.extraction.marks import CLAUSE_BREAK, COUNT_UNITS
from warehouse.transform.extraction.pairing_records import Candidate, MentionContext
from warehouse.transform.extraction.vocabulary import Vocabulary

PER_CAPITA_UNITS = ("元/年", "元/月", "元/人次")
IMPLIED_UNIT_RULES = ("counted noun after", "frame: subject after the number")


@dataclass
class Choice:
    candidate: Candidate | None
    value: float | None
    reason: str


def choose(context: MentionContext, mention: dict[str, Any], vocabulary: Vocabulary) -> Choice:
    """The best candidate whose unit converts; else why none did."""
    ordered = sorted(context.candidates, key=lambda c: (c.rank, c.indicator_code))
    if context.per_capita:
        ordered = [c for c in ordered if vocabulary.units[c.indicator_code] in PER_CAPITA_UNITS]
    for candidate in ordered:
        unit = mention["unit"] or ""
        value = vocabulary.convert(unit, candidate.indicator_code, mention["value"])
        if (
            value is None
            and not unit
            and mention["has_magnitude"]
            and candidate.rule in IMPLIED_UNIT_RULES
            and vocabulary.units[candidate.indicator_code] in COUNT_UNITS
        ):
            value = mention["value"]  # 7.71万困难残疾人: the noun after the number says what is counted
        if value is None and not unit and not mention["has_magnitude"]:
            continue
        if value is not None:
            return Choice(candidate, round(value, 6), "")
    if ordered:
        best = ordered[0]
        written = mention["unit"] or ("a bare number" if not mention["has_magnitude"] else "万/亿 without a unit")
        return Choice(
            best,
            None,
            f"unit does not fit: {written} does not convert to "
            f"{vocabulary.units[best.indicator_code]} ({best.indicator_code}, {best.rule})",
        )
    if context.reason:
        return Choice(None, None, context.reason)
    if context.blocked:
        return Choice(
            None,
            None,
            f"the words before the number ('{context.blocked}') name something no indicator phrase or frame covers",
        )
    return Choice(None, None, "no indicator phrase or subject within reach")


def as_flow(choice: Choice, text: str, start: int, end: int, vocabulary: Vocabulary) -> Choice:
    """新建8家…中心 counts new ones: the stock's flow code (indicator_flows.csv), or nothing where it has none."""
    assert choice.candidate is not None  # _decide asks only about a choice with a candidate
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    following = CLAUSE_BREAK.search(text, end)
    clause = text[clause_start : following.start() if following else len(text)]
    flow = next(
        (flow for flow in vocabulary.flows.get(choice.candidate.indicator_code, []) if flow.cue.search(clause)), None
    )
    if flow is None:
        return choice
    if flow.flow_code is None:
        return Choice(
            choice.candidate,
            None,
            f"counts new ones, and {choice.candidate.indicator_code} is a stock with no flow code in the catalogue",
        )
    candidate = Candidate(
        flow.flow_code,
        choice.candidate.rule + ", counting new ones",
        choice.candidate.rank,
        choice.candidate.phrase,
        choice.candidate.phrase_start,
    )
    return Choice(candidate, choice.value, "")
