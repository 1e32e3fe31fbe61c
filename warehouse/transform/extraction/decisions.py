"""What became of every number mention of a document: the fact it became, or why it was dropped.

One row per mention, in the columns of `int_mention_decisions` (the table `make explain` reads):
`outcome` is `fact` or `dropped`; `reason` says why in words; the indicator, phrase and pairing rule, and
the rule behind region, period and value type are kept for facts and, where they were reached, for drops.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import regex

from warehouse.transform.extraction.confidence import confidence_of
from warehouse.transform.extraction.hits import Hit, subject_hits
from warehouse.transform.extraction.marks import CLAUSE_BREAK, COUNT_UNITS, YEAR, YEAR_WORD
from warehouse.transform.extraction.mentions import as_rows
from warehouse.transform.extraction.pairing import COLUMN_HEADER_LABEL, SegmentPairer
from warehouse.transform.extraction.pairing_records import Candidate, MentionContext, MentionView, SegmentView
from warehouse.transform.extraction.resolution import DocumentInfo, Place, resolve
from warehouse.transform.extraction.scope import Place as ScopePlace
from warehouse.transform.extraction.scope import (
    Section,
    scope_of,
    section_of,
)
from warehouse.transform.extraction.tables import cells, numeric_cells, table_headers
from warehouse.transform.extraction.vocabulary import Vocabulary

if TYPE_CHECKING:
    import pyarrow as pa

KINDS_WITHOUT_FACTS = ("disclosure_report", "notice")
PER_CAPITA_UNITS = ("元/年", "元/月", "元/人次")
MAX_HEADER_LINE = 24
_CAPTION_NUMBER = regex.compile(r"^(?:表|图|Table|Figure)\s*\d+(?:[-.．]\d+)*\s*")
IMPLIED_UNIT_RULES = ("counted noun after", "frame: subject after the number")
_WORD_START = regex.compile(r"\p{Han}{1,3}")

COLUMNS = (
    "mention_id",
    "version_id",
    "document",
    "segment_id",
    "start_offset",
    "end_offset",
    "raw_mention",
    "written_value",
    "written_unit",
    "outcome",
    "reason",
    "indicator_code",
    "matched_phrase",
    "pairing_rule",
    "head",
    "value",
    "unit",
    "qualifier",
    "region",
    "region_rule",
    "period",
    "period_rule",
    "value_type",
    "value_type_rule",
    "scope",
    "scope_rule",
    "confidence",
    "evidence",
    "evidence_sentence",
    "evidence_start",
    "evidence_end",
    "document_kind",
)


# what deciding reads of a version's segment and mention rows (a batch reads no more of the tables)
SEGMENT_COLUMNS = (
    "segment_id",
    "version_id",
    "segment_kind",
    "start_offset",
    "segment_text",
    "table_no",
    "heading1",
    "heading2",
    "paragraph_no",
)
MENTION_COLUMNS = (
    "mention_id",
    "segment_id",
    "version_id",
    "start_offset",
    "end_offset",
    "raw_mention",
    "value",
    "unit",
    "qualifier",
    "has_magnitude",
    "cell_no",
)

_EMPTY_ROW = dict.fromkeys(COLUMNS)


@dataclass
class _Choice:
    candidate: Candidate | None
    value: float | None
    reason: str


def _choose(context: MentionContext, mention: dict, vocabulary: Vocabulary) -> _Choice:
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
            return _Choice(candidate, round(value, 6), "")
    if ordered:
        best = ordered[0]
        written = mention["unit"] or ("a bare number" if not mention["has_magnitude"] else "万/亿 without a unit")
        return _Choice(
            best,
            None,
            f"unit does not fit: {written} does not convert to "
            f"{vocabulary.units[best.indicator_code]} ({best.indicator_code}, {best.rule})",
        )
    if context.reason:
        return _Choice(None, None, context.reason)
    if context.blocked:
        return _Choice(
            None,
            None,
            f"the words before the number ('{context.blocked}') name something no indicator phrase or frame covers",
        )
    return _Choice(None, None, "no indicator phrase or subject within reach")


_YEAR_CELL = regex.compile(rf"^{YEAR}$")
_YEAR_WORD = regex.compile(rf"{YEAR_WORD.pattern}(?:度)?(?:底|末)?")  # 2024年底: the year with what may follow it


def _column_header(segment: dict, header_rows: dict, cell_no: int | None) -> str | None:
    if cell_no is None or segment["table_no"] is None:
        return None
    header = header_rows.get(segment["table_no"])
    if header is None:
        return None
    header_cells = cells(header)
    return header_cells[cell_no] if cell_no < len(header_cells) else None


def _pair_by_column_header(
    context: MentionContext, view: MentionView, header: str | None, vocabulary: Vocabulary
) -> None:
    """A cell whose row label names no indicator (县区 | 低保对象(人) over 安吉县 | 5200) is paired by its column
    header read as the label of a row of its own."""
    if view.cell_no is None or not header or context.candidates or context.reason:
        return
    header = _YEAR_WORD.sub("", header)  # 结婚登记2024年(对): the year is the column's period, not its label
    text = f"{header} | 0"
    start = view.start - len(header) - 3
    segment = SegmentView(f"{view.segment_id}:header", "table_row", start, text, -1)
    cell = MentionView(
        view.mention_id, segment.segment_id, view.start, view.start + 1, view.unit, view.has_magnitude, 1
    )
    found = SegmentPairer(segment, [cell], vocabulary, []).pair_all()[view.mention_id]
    context.candidates = [
        replace(candidate, rule=COLUMN_HEADER_LABEL.label, rank=candidate.rank + 1, phrase_start=None)
        for candidate in found.candidates
    ]


def _header_rows(segments: list[dict]) -> dict:
    """The header of each table: its first row that has no number cells but years (`项目 | 2023 | 2024`)."""
    headers = table_headers([(segment["table_no"], segment["segment_text"]) for segment in segments], _year_header)
    return {segment["table_no"]: header for segment, (is_header, header) in zip(segments, headers) if is_header}


def _year_header(text: str) -> bool:
    return all(_YEAR_CELL.match(raw) for _, _, raw, _ in numeric_cells(text)) and len(cells(text)) >= 2


def _evidence(text: str, context: MentionContext, candidate: Candidate | None, start: int, end: int) -> str:
    left = context.head_start
    right = end
    if candidate is not None and candidate.phrase_start is not None and 0 <= candidate.phrase_start < len(text):
        left = min(candidate.phrase_start, start)
        right = max(end, candidate.phrase_start + len(candidate.phrase))
    return text[max(0, left) : right].strip() or text[start:end]


def decide_document(
    document: DocumentInfo, segments: Iterable[dict], mentions: Iterable[dict], vocabulary: Vocabulary
) -> list[dict]:
    segments = sorted(segments, key=lambda s: s["start_offset"])
    by_segment: dict[str, list[dict]] = {}
    for mention in mentions:
        by_segment.setdefault(mention["segment_id"], []).append(mention)
    header_rows = _header_rows(segments)
    text_end = max((s["start_offset"] + len(s["segment_text"]) for s in segments), default=0)
    topics = _Topics(segments, vocabulary)
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    paragraph, headings, in_review = None, None, False
    section: Section | None = None
    caption, short_line_subject, table_no = None, None, None
    for index, segment in enumerate(segments):
        opens_paragraph = segment["paragraph_no"] != paragraph
        if opens_paragraph:
            paragraph = segment["paragraph_no"]
            topics.open_paragraph()
        if (segment["heading1"], segment["heading2"]) != headings:
            headings, in_review = (segment["heading1"], segment["heading2"]), False
            topics.forget_line_before()
            section = None
        if vocabulary.pattern("plan_review").search(segment["segment_text"]):
            in_review = True
        segment_mentions = by_segment.get(segment["segment_id"])
        header_line = not segment_mentions and _is_header_line(segment)
        if header_line:
            section = _section(segment["segment_text"], vocabulary)
        if segment["segment_kind"] != "table_row":
            short_line_subject = _caption_subject(segment, vocabulary)
        else:
            table_no, caption = _row_caption(segment, header_line, (table_no, caption), short_line_subject, vocabulary)
        if segment_mentions:
            view = SegmentView(
                segment["segment_id"],
                segment["segment_kind"],
                segment["start_offset"],
                segment["segment_text"],
                segment["paragraph_no"],
                opens_paragraph,
            )
            views = {m["mention_id"]: _view(m) for m in segment_mentions}
            pairer = SegmentPairer(
                view, list(views.values()), vocabulary, topics.previous(), topics.line_before(), caption
            )
            topics.know(index, pairer.subjects)
            contexts = pairer.pair_all()
            for mention in segment_mentions:
                view_of = views[mention["mention_id"]]
                header = _column_header(segment, header_rows, view_of.cell_no)
                _pair_by_column_header(contexts[mention["mention_id"]], view_of, header, vocabulary)
            for mention in sorted(segment_mentions, key=lambda m: m["start_offset"]):
                rows.append(
                    _decide(
                        document,
                        segment,
                        mention,
                        views[mention["mention_id"]],
                        contexts[mention["mention_id"]],
                        pairer,
                        header_rows,
                        in_review,
                        vocabulary,
                        seen,
                        text_end,
                        section,
                    )
                )
        topics.passed(index)
    return rows


class _Topics:
    """The subjects a segment may inherit: the first subject of each earlier segment of its paragraph (nearest
    first), and that of the paragraph before (until a heading changes). A segment's subjects are looked for only
    when a later segment with a number asks: most segments have none."""

    def __init__(self, segments: list[dict], vocabulary: Vocabulary):
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


def _view(mention: dict) -> MentionView:
    cell_no = mention.get("cell_no")
    return MentionView(
        mention["mention_id"],
        mention["segment_id"],
        int(mention["start_offset"]),
        int(mention["end_offset"]),
        mention["unit"] or "",
        bool(mention["has_magnitude"]),
        None if cell_no is None or cell_no != cell_no else int(cell_no),
    )


def _decide(
    document: DocumentInfo,
    segment: dict,
    mention: dict,
    view: MentionView,
    context: MentionContext,
    pairer: SegmentPairer,
    header_rows: dict,
    in_review: bool,
    vocabulary: Vocabulary,
    seen: dict,
    text_end: int,
    section: Section | None = None,
) -> dict:
    text = segment["segment_text"]
    start, end = pairer.local(view)
    row: dict[str, Any] = dict(_EMPTY_ROW)
    row.update(
        mention_id=mention["mention_id"],
        version_id=document.version_id,
        document=document.document,
        segment_id=segment["segment_id"],
        start_offset=int(mention["start_offset"]),
        end_offset=int(mention["end_offset"]),
        raw_mention=mention["raw_mention"],
        written_value=mention["value"],
        written_unit=mention["unit"] or "",
        head=context.head,
        qualifier=mention["qualifier"] or _qualifier_before(text[:start], vocabulary),
        evidence_sentence=text,
        evidence_start=int(segment["start_offset"]),
        evidence_end=int(segment["start_offset"]) + len(text),
        document_kind=document.kind,
        outcome="dropped",
    )
    choice = _choose(context, mention, vocabulary)
    if choice.value is not None:
        choice = _as_flow(choice, text, start, end, vocabulary)
    if choice.candidate is not None:
        row.update(
            indicator_code=choice.candidate.indicator_code,
            matched_phrase=choice.candidate.phrase,
            pairing_rule=choice.candidate.rule,
            unit=vocabulary.units[choice.candidate.indicator_code],
            value=choice.value,
        )
    row["evidence"] = _evidence(text, context, choice.candidate, start, end)
    if choice.value is None:
        row["reason"] = choice.reason
        return row
    place = replace(
        _place(segment, header_rows, mention, view, context, pairer, start, in_review), qualifier=row["qualifier"]
    )
    resolution = resolve(document, place, vocabulary)
    row.update(
        region=resolution.region,
        region_rule=resolution.region_rule,
        period=resolution.period,
        period_rule=resolution.period_rule,
        value_type=resolution.value_type,
        value_type_rule=resolution.value_type_rule,
    )
    decided = _scope(row["indicator_code"], pairer, view, place, section, vocabulary)
    row.update(scope=decided.scope, scope_rule=decided.rule)
    reason = _drop_reason(
        row,
        document,
        place,
        resolution,
        context,
        vocabulary,
        _cut_off(text, end, int(segment["start_offset"]), text_end),
    )
    if reason is None:
        key = (
            row["indicator_code"],
            row["region"],
            row["period"],
            row["value_type"],
            row["scope"],
            round(row["value"], 6),
        )
        reason = f"duplicate of {seen[key]}" if key in seen else None
        if reason is None:
            seen[key] = mention["mention_id"]
            row["outcome"], reason = "fact", "fact"
            row["confidence"] = confidence_of(row, vocabulary.confidence)
    row["reason"] = reason
    return row


def _qualifier_before(before: str, vocabulary: Vocabulary) -> str:
    """不低于每人每月900元: a floor written before the per-person words is the value's qualifier too."""
    return "at_least" if vocabulary.pattern("floor_before").search(before) else ""


def _is_header_line(segment: dict) -> bool:
    """A line without numbers that may head the rows below it: a table row with one filled cell, or a short
    line of its own."""
    text = segment["segment_text"]
    if segment["segment_kind"] == "table_row":
        return sum(1 for cell in cells(text) if cell.strip()) <= 1
    return len(text.strip()) <= MAX_HEADER_LINE and not CLAUSE_BREAK.search(text.strip()[:-1])


def _row_caption(
    segment: dict, header_line: bool, current: tuple, short_line_subject: Hit | None, vocabulary: Vocabulary
) -> tuple:
    """The table and the subject its rows' bare measures are of: the short line above the table (表10 福利彩票),
    then the latest section row that names one (农村特困人员救助供养 | | over 救助供养人数 | 人 | 2300)."""
    table_no, caption = current
    if segment["table_no"] != table_no:
        table_no, caption = segment["table_no"], short_line_subject
    if header_line:
        caption = _caption_subject(segment, vocabulary) or caption
    return table_no, caption


def _caption_subject(segment: dict, vocabulary: Vocabulary) -> Hit | None:
    """The subject of a short line without numbers (表10 福利彩票): a caption for the table that may follow."""
    text = _CAPTION_NUMBER.sub("", segment["segment_text"].strip())
    if len(text) > MAX_HEADER_LINE or any(char.isdigit() for char in text):
        return None
    subjects = subject_hits(text, vocabulary)
    return subjects[0] if subjects else None


def _section(text: str, vocabulary: Vocabulary) -> Section | None:
    """The section a header line opens: its parts, or None (a header naming no part ends the one before)."""
    if vocabulary.scope_words is None:
        return None
    section = section_of(text, vocabulary.scope_words, _programmes_in(text, vocabulary))
    return section if any(section.parts.values()) else None


def _programmes_in(text: str, vocabulary: Vocabulary) -> frozenset[str]:
    return frozenset(hit.key for hit in subject_hits(text, vocabulary) if hit.key in vocabulary.programmes)


def _scope(code: str, pairer: SegmentPairer, view: MentionView, place: Place, section, vocabulary: Vocabulary):
    """The scope of a value and the rules that decided it (scope.py)."""
    units = {pairer.local(mention): mention.unit for mention in [*pairer.mentions, view]}
    spans = sorted(units)
    where = ScopePlace(
        text=pairer.text,
        spans=spans,
        units=[units[span] for span in spans],
        index=spans.index(pairer.local(view)),
        column_header=place.column_header,
        section=section,
        programmes_in=lambda text: _programmes_in(text, vocabulary),
    )
    return scope_of(code, where, vocabulary.scope_words, vocabulary.programmes_of.get(code, frozenset()))


def _place(
    segment: dict,
    header_rows: dict,
    mention: dict,
    view: MentionView,
    context: MentionContext,
    pairer: SegmentPairer,
    start: int,
    in_review: bool,
) -> Place:
    """Where the value stands: what comes before it, its headings and column, and the number a range starts at."""
    text = segment["segment_text"]
    cell_no = view.cell_no
    from_link = ""
    if context.range_role == "to":
        previous_ends = [m for m in pairer.mentions if m.end <= mention["start_offset"]]
        if previous_ends:
            from_link = text[pairer.local(previous_ends[-1])[1] : start]
    return Place(
        sentence_before=text[:start],
        heading1=segment["heading1"] or "",
        heading2=segment["heading2"] or "",
        column_header=_column_header(segment, header_rows, cell_no),
        in_review=in_review,
        range_role=context.range_role,
        from_link=from_link,
        is_cell=cell_no is not None,
    )


def _drop_reason(
    row: dict,
    document: DocumentInfo,
    place: Place,
    resolution,
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


def _as_flow(choice: _Choice, text: str, start: int, end: int, vocabulary: Vocabulary) -> _Choice:
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
        return _Choice(
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
    return _Choice(candidate, choice.value, "")


def _cut_off(text: str, end: int, segment_start: int, text_end: int) -> bool:
    """The number is followed by the start of a word where a truncated text stops (…15家养): what it counts
    is cut off."""
    rest = text[end:]
    return segment_start + len(text) >= text_end and bool(_WORD_START.fullmatch(rest))


def _plausible(vocabulary: Vocabulary, code: str, unit: str, value: float) -> bool:
    low, high = vocabulary.plausible.get(code, (None, None))
    if unit == "%" and (value < 0 or value > 100):
        return False
    return (low is None or value >= low) and (high is None or value <= high)


__all__ = ["COLUMNS", "DocumentInfo", "Hit", "decide_document"]


_DECIDING: dict = {}  # what start_deciding set up, in this process or a build worker


def start_deciding(
    seeds: dict[str, list[dict]], region_names: set[str], counties: dict, rules_hash: str, above: dict | None = None
) -> None:
    """Compile the vocabulary once per process: decide_batch uses it for every batch. `above`: region name →
    its level and the names of the city and province above it."""
    from warehouse.transform.extraction.vocabulary import build_vocabulary

    _DECIDING.update(
        vocabulary=build_vocabulary(seeds, region_names), counties=counties, rules_hash=rules_hash, above=above or {}
    )


def decide_batch(batch: tuple[pa.RecordBatch | list[dict], pa.Table, pa.Table]) -> list[dict]:
    """The decision rows of a batch: its int_documents_classified rows and their segment and mention rows."""
    documents, segments, mentions = batch
    segments_of, mentions_of = _by_version(segments.to_pylist()), _by_version(mentions.to_pylist())
    vocabulary, counties, rules_hash = _DECIDING["vocabulary"], _DECIDING["counties"], _DECIDING["rules_hash"]
    rows = []
    for document in as_rows(documents):
        info = DocumentInfo(
            document["version_id"],
            document["document"],
            document["document_kind"],
            _int(document["document_year"]),
            document["document_period"],
            _int(document["plan_start_year"]),
            _int(document["plan_end_year"]),
            document["document_region"],
            counties.get(document["document_region"], ()),
            _DECIDING["above"].get(document["document_region"], {}),
        )
        decided = decide_document(
            info, segments_of.get(info.version_id, []), mentions_of.get(info.version_id, []), vocabulary
        )
        for row in decided:
            row["rules_hash"] = rules_hash
        rows += decided
    return rows


def _by_version(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["version_id"], []).append(row)
    return grouped


def _int(value):
    return None if value is None else int(value)
