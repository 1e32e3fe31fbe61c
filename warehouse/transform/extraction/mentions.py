"""A document's segments and number mentions as rows — what int_segments_split stores (each segment with its
mentions, which int_number_mentions_extracted unnests), and what tests and tools feed the decisions with.

Prose goes through numbers.find_mentions; a table row's plain-number cells take the row's unit, from a cell of
its own or the label's brackets (a row with no unit gives no mentions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from warehouse.transform.extraction.numbers import find_mentions, normalize_width
from warehouse.transform.extraction.segments import split_segments
from warehouse.transform.extraction.tables import (
    column_units_of,
    numeric_cells,
    quantity_cells,
    row_unit,
    table_headers,
    unit_line,
)

if TYPE_CHECKING:
    import pyarrow as pa


def segment_rows(version_id: str, text: str) -> list[dict]:
    return [
        {
            "segment_id": f"{version_id}:{segment.segment_no}",
            "version_id": version_id,
            "segment_no": segment.segment_no,
            "segment_kind": segment.kind,
            "start_offset": segment.start,
            "end_offset": segment.end,
            "segment_text": segment.text,
            "table_no": segment.table_no,
            "row_no": segment.row_no,
            "heading1": segment.heading1,
            "heading2": segment.heading2,
            "paragraph_no": segment.paragraph_no,
        }
        for segment in split_segments(normalize_width(text or ""))
    ]


def document_mention_rows(segments: list[dict]) -> list[list[dict]]:
    """The mentions of each segment of one document, in order: a table row without a unit of its own takes each
    column's unit from the table's header (`县区 | 低保对象(人) | 特困人员(人)`), its first row without numbers,
    and else the unit a line right above or under the table gives (`单位：万人`)."""
    headers = table_headers(
        [(segment["table_no"], segment["segment_text"]) for segment in segments], lambda text: not numeric_cells(text)
    )
    table_units = _table_units(segments)
    units_of_header: dict[str, list] = {}
    found = []
    for segment, (is_header, header) in zip(segments, headers):
        column_units = None
        if header is not None and not is_header:
            if header not in units_of_header:
                units_of_header[header] = column_units_of(header)
            column_units = units_of_header[header]
        table_unit = None if is_header else table_units.get(segment["table_no"])
        found.append(mention_rows(segment, column_units, table_unit))
    return found


def _table_units(segments: list[dict]) -> dict[int, tuple[str, float]]:
    """The unit a line of its own gives each table: the line right above the table, else the one right under it."""
    units: dict[int, tuple[str, float]] = {}
    for index, segment in enumerate(segments):
        if segment["table_no"] is not None or (unit := unit_line(segment["segment_text"])) is None:
            continue
        after = segments[index + 1]["table_no"] if index + 1 < len(segments) else None
        before = segments[index - 1]["table_no"] if index > 0 else None
        if after is not None:
            units[after] = unit
        elif before is not None:
            units.setdefault(before, unit)
    return units


def mention_rows(
    segment: dict, column_units: list | None = None, table_unit: tuple[str, float] | None = None
) -> list[dict]:
    """The number mentions of one segment row (offsets into the document); `column_units`: the units the
    table's header gives its columns, and `table_unit` the one a line gives the whole table, for a row without a
    unit of its own."""
    start, text = segment["start_offset"], segment["segment_text"]
    base = {"segment_id": segment["segment_id"], "version_id": segment["version_id"]}
    if segment["segment_kind"] == "table_row":
        unit = row_unit(text)
        if unit is None and (table_unit is not None or (column_units and any(column_units))):
            units = column_units or []
            cells = _plain_cells(
                base, segment, lambda index: (units[index] if index < len(units) else None) or table_unit
            )
        else:
            cells = _plain_cells(base, segment, lambda index: unit)
        cells += _cells_with_units(base, segment)
        return sorted(cells, key=lambda mention: mention["start_offset"])
    return [
        {
            **base,
            "mention_id": f"{segment['segment_id']}:{number}",
            "start_offset": start + mention.start,
            "end_offset": start + mention.end,
            "raw_mention": mention.raw,
            "value": mention.value,
            "unit": mention.unit,
            "qualifier": mention.qualifier,
            "has_magnitude": mention.magnitude,
            "cell_no": None,
        }
        for number, mention in enumerate(find_mentions(text))
    ]


def _plain_cells(base: dict, segment: dict, unit_of_column) -> list[dict]:
    """Plain-number cells, each in the unit `unit_of_column(index)` gives it (the row's own unit, or its column's
    from the header); a cell without a unit gives no mention."""
    start = segment["start_offset"]
    found = []
    for index, value, raw, position in numeric_cells(segment["segment_text"]):
        unit = unit_of_column(index)
        if unit is None:
            continue
        base_unit, factor = unit
        found.append(
            {
                **base,
                "mention_id": f"{segment['segment_id']}:c{index}",
                "start_offset": start + position,
                "end_offset": start + position + len(raw),
                "raw_mention": raw,
                "value": round(value * factor, 6),
                "unit": base_unit,
                "qualifier": "",
                "has_magnitude": factor != 1.0,
                "cell_no": index,
            }
        )
    return found


def _cells_with_units(base: dict, segment: dict) -> list[dict]:
    """A cell that writes its own unit (`≥615元/人·月`, `1204户1873人`) is read as prose, each quantity keeping
    the cell's place in the row."""
    start = segment["start_offset"]
    return [
        {
            **base,
            "mention_id": f"{segment['segment_id']}:c{index}" + (f".{number}" if number else ""),
            "start_offset": start + offset + mention.start,
            "end_offset": start + offset + mention.end,
            "raw_mention": mention.raw,
            "value": mention.value,
            "unit": mention.unit,
            "qualifier": mention.qualifier,
            "has_magnitude": mention.magnitude,
            "cell_no": index,
        }
        for index, cell, offset in quantity_cells(segment["segment_text"])
        for number, mention in enumerate(find_mentions(cell))
    ]


def as_rows(batch: pa.RecordBatch | pa.Table | list[dict]) -> list[dict]:
    """A batch as rows of column → value (None for empty values): the models hand workers Arrow batches, cheaper
    to send than rows; a list of rows is taken as it is."""
    return batch if isinstance(batch, list) else batch.to_pylist()


# a mention as int_segments_split keeps it, in its segment's `mentions` list (int_number_mentions_extracted
# unnests them with the segment's ids)
MENTION_TYPES = {
    "mention_id": "string",
    "start_offset": "int64",
    "end_offset": "int64",
    "raw_mention": "string",
    "value": "float64",
    "unit": "string",
    "qualifier": "string",
    "has_magnitude": "bool",
    "cell_no": "int64",
}


def split_batch(documents: pa.RecordBatch | list[dict], code_version: str) -> list[dict]:
    """The segment rows of a batch of documents (version_id, text), each with its number mentions, stamped with
    the code that made them: mentions are found while the segments are at hand, not read back from the table."""
    rows = [
        segment for document in as_rows(documents) for segment in segment_rows(document["version_id"], document["text"])
    ]
    by_document: dict[str, list[dict]] = {}
    for segment in rows:
        by_document.setdefault(segment["version_id"], []).append(segment)
    for segments in by_document.values():  # after splitting every document: one kind of work at a time
        for segment, mentions in zip(segments, document_mention_rows(segments), strict=True):
            segment["mentions"] = [{field: mention[field] for field in MENTION_TYPES} for mention in mentions]
            segment["code_version"] = code_version
    return rows
