"""One row per number mention (value, unit, qualifier, offsets) in every segment.

Prose goes through warehouse.extraction.numbers; a table row's plain-number cells take the row's unit, from
a cell of its own or the label's brackets. Incremental by document version, like int_segments_split."""

import pandas as pd

COLUMNS = ["mention_id", "segment_id", "version_id", "start_offset", "end_offset", "raw_mention", "value", "unit",
           "qualifier", "has_magnitude", "cell_no"]


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="version_id", incremental_strategy="delete+insert")
    from warehouse.extraction import SEGMENT_MODULES, code_fingerprint
    from warehouse.extraction.numbers import find_mentions
    from warehouse.extraction.tables import numeric_cells, row_unit

    code_version = code_fingerprint(*SEGMENT_MODULES)
    frame = dbt.ref("int_segments_split").df()
    if dbt.is_incremental:
        done = session.sql(f"select distinct version_id from {dbt.this} where code_version = '{code_version}'").df()
        frame = frame[~frame["version_id"].isin(done["version_id"])]
    rows = []
    for segment in frame.itertuples(index=False):
        if segment.segment_kind == "table_row":
            unit = row_unit(segment.segment_text)
            if unit is None:
                continue
            base_unit, factor = unit
            for index, value, raw, position in numeric_cells(segment.segment_text):
                rows.append([f"{segment.segment_id}:c{index}", segment.segment_id, segment.version_id,
                             segment.start_offset + position, segment.start_offset + position + len(raw), raw,
                             round(value * factor, 6), base_unit, "", factor != 1.0, index])
            continue
        for number, mention in enumerate(find_mentions(segment.segment_text)):
            rows.append([f"{segment.segment_id}:{number}", segment.segment_id, segment.version_id,
                         segment.start_offset + mention.start, segment.start_offset + mention.end, mention.raw,
                         mention.value, mention.unit, mention.qualifier, mention.magnitude, None])
    result = pd.DataFrame(rows, columns=COLUMNS)
    result["code_version"] = code_version
    result["processed_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)  # shows which build made a row
    # explicit types: an incremental run with nothing new returns no rows, and DuckDB cannot type empty columns
    return result.astype({"mention_id": "string", "segment_id": "string", "version_id": "string",
                          "raw_mention": "string", "unit": "string", "qualifier": "string",
                          "start_offset": "int64", "end_offset": "int64", "value": "float64",
                          "has_magnitude": "bool", "cell_no": "Int64", "code_version": "string",
                          "processed_at": "datetime64[us]"})
