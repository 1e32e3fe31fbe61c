"""Why a resolved value is still no fact: the document's kind, a number cut off by the end of the text, a
plan's sum over years, a comparison column, an unresolved value type, period or region, or a value out of
its plausible range."""

from __future__ import annotations

from typing import Any

import regex

from warehouse.transform.extraction.pairing_records import MentionContext
from warehouse.transform.extraction.resolution import DocumentInfo, Place, Resolution
from warehouse.transform.extraction.vocabulary import Vocabulary

KINDS_WITHOUT_FACTS = ("disclosure_report", "notice")
_WORD_START = regex.compile(r"\p{Han}{1,3}")


def drop_reason(
    row: dict[str, Any],
    document: DocumentInfo,
    place: Place,
    resolution: Resolution,
    context: MentionContext,
    vocabulary: Vocabulary,
    cut_off: bool,
) -> str | None:
    """Why a resolved value is still no fact, the first rule that applies, in this order; None: it is one."""
    if document.kind in KINDS_WITHOUT_FACTS:
        return f"document kind without facts ({document.kind})"
    if cut_off:
        return "cut off by the end of the text: what the number counts is lost"
    if document.kind == "five_year_plan" and resolution.value_type == "actual" and "累计" in context.head:
        return "a sum over the years of the last plan (累计 in a plan's review) is no one year's value"
    if place.column_header and vocabulary.pattern("comparison_column").search(place.column_header):
        return f"a comparison column ('{place.column_header}'), not the period's value"
    if resolution.value_type is None:
        return resolution.value_type_rule
    if resolution.period is None:
        return f"period unresolved: {resolution.period_rule}"
    if resolution.region is None:
        return f"region unresolved: {resolution.region_rule}"
    if not _plausible(vocabulary, row["indicator_code"], row["unit"], row["value"]):
        low, high = vocabulary.plausible.get(row["indicator_code"], (0, 100))
        return f"out of the plausible range [{low}, {high}] of {row['indicator_code']}"
    return None


def is_cut_off(text: str, end: int, segment_start: int, text_end: int) -> bool:
    """The number is followed by the start of a word where a truncated text stops (…15家养): what it counts
    is cut off."""
    rest = text[end:]
    return segment_start + len(text) >= text_end and bool(_WORD_START.fullmatch(rest))


def _plausible(vocabulary: Vocabulary, code: str, unit: str, value: float) -> bool:
    low, high = vocabulary.plausible.get(code, (None, None))
    if unit == "%" and (value < 0 or value > 100):
        return False
    return (low is None or value >= low) and (high is None or value <= high)
