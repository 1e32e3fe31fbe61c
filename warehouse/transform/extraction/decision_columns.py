"""The columns of int_mention_decisions (one row per mention), and those deciding reads of the segment and
mention tables."""

from __future__ import annotations

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
