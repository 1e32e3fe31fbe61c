"""Value type, period and region of a paired number (FACTS.md "Period", "Value type", "Region" and its
Clarifications), each with the rule that decided it.

Value type: a table column header (目标值 / 实际值 / a bare year) decides; else the "from" of a change
already made is left out unless its own year is written; a target cue in the sentence (力争, 到2025年, 拟…)
makes a target; a five-year plan's review of the last plan (发展基础, “十三五”期间…) holds actuals and the
rest targets; key points hold targets; a summary's plan part (heading 明年工作思路…) holds targets.
Period: the column header's year; else the year written in the sentence before the number (for the "to" of a
change only after its "from"); else the document's: a plan's last year for targets and the year before it
for actuals, a statistics release's period, YH1 for a half-year summary's actuals, the next year for a
summary's plan part, the document year otherwise.
Region: a county or district under the publisher's region named at the start of the clause; else the
publisher's region."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from warehouse.transform.extraction.vocabulary import Vocabulary

_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
_BARE_YEAR = regex.compile(r"^((?:19|20)\d{2})\s*年$")
_HEADER_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
_REVIEW = regex.compile(r"发展基础|回顾|成就|主要成效|十[一二三四五六七八九]五.{0,3}(?:时期|期间|以来)|过去五年|五年来")
_PART_OPENING = regex.compile(r"^其中[:：]?")
_SENTENCE_BREAK = regex.compile(r"[。；;]")
_CLAUSE_BREAK = regex.compile(r"[，,；;：:。（(]")


@dataclass(slots=True)
class DocumentInfo:
    version_id: str
    document: str
    kind: str
    year: int | None
    period: str | None  # a statistics release's own period (2021H1), or "unsupported" (a 1st or 3rd quarter)
    plan_start: int | None
    plan_end: int | None
    region: str | None
    counties: tuple[str, ...] = ()  # regions directly under the publisher's, for sub-region values


@dataclass(slots=True)
class Resolution:
    value_type: str | None
    value_type_rule: str
    period: str | None
    period_rule: str
    region: str | None
    region_rule: str


@dataclass(slots=True)
class Place:
    """Where a number stands: the sentence before it, its headings, the header of its table column, and
    whether its section reviews the last plan period."""

    sentence_before: str
    heading1: str
    heading2: str
    column_header: str | None
    in_review: bool
    range_role: str
    from_link: str  # for the "to" of a change: the text between the "from" and this number
    is_cell: bool


def _cue(vocabulary: Vocabulary, applies_to: str, value_type: str, text: str) -> bool:
    return any(
        cue_place == applies_to and kind == value_type and pattern.search(text)
        for pattern, kind, cue_place in vocabulary.cues
    )


def _header_type(vocabulary: Vocabulary, header: str) -> str | None:
    for pattern, kind, applies_to in vocabulary.cues:
        if applies_to == "table_header" and pattern.search(header):
            return kind
    return None


def value_type_of(document: DocumentInfo, place: Place, vocabulary: Vocabulary) -> tuple[str | None, str]:
    if place.is_cell and place.column_header:
        header_type = _header_type(vocabulary, place.column_header)
        bare_year = _BARE_YEAR.match(place.column_header.strip())
        if (
            bare_year
            and document.kind == "five_year_plan"
            and document.plan_start
            and int(bare_year.group(1)) >= document.plan_start
        ):
            return "target", f"column '{place.column_header}' of a year the plan plans for"
        if header_type:
            return header_type, f"column header '{place.column_header}'"
    target_cue = _cue(vocabulary, "clause", "target", place.sentence_before)
    if place.range_role == "from":
        if target_cue:
            return "actual", "the 'from' of a planned change is today's value"
        if _stated_year(place) is not None:
            return "actual", "the 'from' of a change, with its own year"
        return None, "the 'from' of a change already made has no period of its own"
    if target_cue:
        return "target", "target cue in the sentence"
    headings = f"{place.heading1} {place.heading2}"
    if document.kind == "five_year_plan":
        if place.in_review or _REVIEW.search(headings):
            return "actual", "a five-year plan's review of the last plan"
        return "target", "a five-year plan's goals"
    if document.kind == "key_points":
        return "target", "key points of the year"
    if _cue(vocabulary, "heading", "target", headings) and not _cue(vocabulary, "heading", "actual", headings):
        return "target", "the plan part of a summary"
    return "actual", f"reported in a {document.kind.replace('_', ' ')}"


def _stated_year(place: Place) -> int | None:
    text = place.from_link if place.range_role == "to" else place.sentence_before
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def period_of(document: DocumentInfo, place: Place, value_type: str) -> tuple[str | None, str]:
    """The period a value is of, and the rule that said so: the place's own year first (column header, a year
    written before it), then what the kind of document implies, then the document's year."""
    if place.is_cell and place.column_header:
        years = _HEADER_YEAR.findall(place.column_header)
        if years:
            return years[-1], f"column header '{place.column_header}'"
    stated = _stated_year(place)
    if stated is not None:
        return str(stated), "year written before the number"
    by_kind = _period_of_kind(document, value_type)
    if by_kind is not None:
        return by_kind
    if document.year is None:
        return None, "the document names no year"
    return _period_in_year(document, place, value_type)


def _period_of_kind(document: DocumentInfo, value_type: str) -> tuple[str | None, str] | None:
    """Plans and statistics releases say their period themselves; None: the document's year decides."""
    if document.kind == "five_year_plan" and document.plan_end:
        if value_type == "actual":
            return str(document.plan_start - 1), "a five-year plan's review: the last plan's final year"
        return str(document.plan_end), "a five-year plan's goals: its final year"
    if document.kind == "statistics":
        if document.period == "unsupported":
            return None, "a quarter or month that is not a period of FACTS.md"
        if document.period:
            return document.period, "the period the statistics release names"
    return None


def _period_in_year(document: DocumentInfo, place: Place, value_type: str) -> tuple[str, str]:
    """Within the document's year: a half year's actuals, a summary's plan part for the next year."""
    if document.kind == "half_year_summary":
        if value_type == "actual":
            return f"{document.year}H1", "a half-year summary's actuals"
        return str(document.year), "a half-year summary's targets are for the whole year"
    if document.kind == "annual_summary" and value_type == "target":
        heading_years = _YEAR.findall(f"{place.heading1} {place.heading2}")
        if heading_years:
            return heading_years[-1], "the year of the plan part's heading"
        return str(document.year + 1), "a summary's plan part: the next year"
    return str(document.year), "the document's year"


def region_of(document: DocumentInfo, place: Place) -> tuple[str | None, str]:
    clause = _CLAUSE_BREAK.split(place.sentence_before)[-1].strip()
    clause = _PART_OPENING.sub("", clause)
    sentence_start = _SENTENCE_BREAK.split(place.sentence_before)[-1]
    counties = sorted(document.counties, key=len, reverse=True)
    # the clause's own opening first: 安吉县…，德清县900元 is 德清县's whatever the order of the list
    for opening in (clause, sentence_start):
        county = next((county for county in counties if opening.startswith(county)), None)
        if county is not None:
            return county, f"{county} named at the start of the clause"
    if document.region is None:
        return None, "the publisher's region is unknown"
    return document.region, "the publisher's region"


def resolve(document: DocumentInfo, place: Place, vocabulary: Vocabulary) -> Resolution:
    value_type, type_rule = value_type_of(document, place, vocabulary)
    period, period_rule = (None, "no value type") if value_type is None else period_of(document, place, value_type)
    region, region_rule = region_of(document, place)
    return Resolution(value_type, type_rule, period, period_rule, region, region_rule)
