"""What became of every number mention of a document: the fact it became, or why it was dropped.

One row per mention, in the columns of `int_mention_decisions` (the table `make explain` reads):
`outcome` is `fact` or `dropped`; `reason` says why in words; the indicator, phrase and pairing rule, and
the rule behind region, period and value type are kept for facts and, where they were reached, for drops.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from warehouse.transform.extraction.choosing import as_flow, choose
from warehouse.transform.extraction.column_headers import column_header, headers_by_table, pair_by_column_header
from warehouse.transform.extraction.confidence import confidence_of
from warehouse.transform.extraction.decision_columns import COLUMNS, MENTION_COLUMNS, SEGMENT_COLUMNS
from warehouse.transform.extraction.drop_reasons import drop_reason, is_cut_off
from warehouse.transform.extraction.frame_pairing import SUBJECT_AFTER
from warehouse.transform.extraction.headings import (
    caption_subject,
    header_section,
    is_header_line,
    programmes_in,
    row_caption,
)
from warehouse.transform.extraction.hits import Hit
from warehouse.transform.extraction.mentions import as_rows
from warehouse.transform.extraction.pairing import NOUN_AFTER, SegmentPairer
from warehouse.transform.extraction.pairing_records import Candidate, MentionContext, MentionView, SegmentView
from warehouse.transform.extraction.resolution import DocumentInfo, Place, resolve
from warehouse.transform.extraction.scope import Place as ScopePlace
from warehouse.transform.extraction.scope import Section, scope_of
from warehouse.transform.extraction.topics import Topics
from warehouse.transform.extraction.vocabulary import Vocabulary

if TYPE_CHECKING:
    import pyarrow as pa


_EMPTY_ROW = dict.fromkeys(COLUMNS)


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
    header_rows = headers_by_table(segments)
    text_end = max((s["start_offset"] + len(s["segment_text"]) for s in segments), default=0)
    topics = Topics(segments, vocabulary)
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
        header_line = not segment_mentions and is_header_line(segment)
        if header_line:
            section = header_section(segment["segment_text"], vocabulary)
        if segment["segment_kind"] != "table_row":
            short_line_subject = caption_subject(segment, vocabulary)
        else:
            table_no, caption = row_caption(segment, header_line, (table_no, caption), short_line_subject, vocabulary)
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
                header = column_header(segment, header_rows, view_of.cell_no)
                pair_by_column_header(contexts[mention["mention_id"]], view_of, header, vocabulary)
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
    choice = choose(context, mention, vocabulary)
    if choice.value is not None:
        choice = as_flow(choice, text, start, end, vocabulary)
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
    decided = _scope(row["indicator_code"], pairer, view, place, section, vocabulary, choice.candidate)
    row.update(scope=decided.scope, scope_rule=decided.rule)
    reason = drop_reason(
        row,
        document,
        place,
        resolution,
        context,
        vocabulary,
        is_cut_off(text, end, int(segment["start_offset"]), text_end),
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


def _scope(
    code: str,
    pairer: SegmentPairer,
    view: MentionView,
    place: Place,
    section,
    vocabulary: Vocabulary,
    candidate: Candidate | None = None,
):
    """The scope of a value and the rules that decided it (scope.py)."""
    units = {pairer.local(mention): mention.unit for mention in [*pairer.mentions, view]}
    end = pairer.local(view)[1]
    counted = ""
    after = (SUBJECT_AFTER.label, NOUN_AFTER.label)
    start = candidate.phrase_start if candidate is not None and candidate.rule in after else None
    if candidate is not None and start is not None and start >= end:
        # 658.3万人享受城市最低生活保障: the words up to the subject the count counts
        counted = pairer.text[end : start + len(candidate.phrase)]
    spans = sorted(units)
    where = ScopePlace(
        text=pairer.text,
        spans=spans,
        units=[units[span] for span in spans],
        index=spans.index(pairer.local(view)),
        column_header=place.column_header,
        section=section,
        programmes_in=lambda text: programmes_in(text, vocabulary),
        counted_words=counted,
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
        column_header=column_header(segment, header_rows, cell_no),
        in_review=in_review,
        range_role=context.range_role,
        from_link=from_link,
        is_cell=cell_no is not None,
    )


__all__ = ["COLUMNS", "MENTION_COLUMNS", "SEGMENT_COLUMNS", "DocumentInfo", "Hit", "decide_document"]


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
