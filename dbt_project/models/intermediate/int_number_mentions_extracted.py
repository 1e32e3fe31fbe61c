"""One row per number mention (value, unit, qualifier, offsets) in every segment.

Prose goes through warehouse.extraction.numbers; a table row's plain-number cells take the unit its
label gives in brackets. Incremental by document version, like int_segments_split."""

import pandas as pd

COLUMNS = ["mention_id", "segment_id", "version_id", "start_offset", "end_offset", "raw_mention", "value", "unit",
           "qualifier", "has_magnitude", "cell_no"]


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="mention_id")
    from warehouse.extraction.numbers import find_mentions
    from warehouse.extraction.tables import cells, label_unit, numeric_cells

    segments = dbt.ref("int_segments_split")
    frame = segments.df()
    if dbt.is_incremental:
        done = session.sql(f"select distinct version_id from {dbt.this}").df()["version_id"].tolist()
        frame = frame[~frame["version_id"].isin(done)]
    rows = []
    for segment in frame.itertuples(index=False):
        if segment.segment_kind == "table_row":
            row_cells = cells(segment.segment_text)
            labels = [cell for cell in row_cells if cell and not cell.replace(".", "").isdigit()]
            unit = next((found for found in map(label_unit, labels) if found), None)
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
    result["processed_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)  # shows which build made a row
    # explicit types: an incremental run with nothing new returns no rows, and DuckDB cannot type empty columns
    return result.astype({"mention_id": "string", "segment_id": "string", "version_id": "string",
                          "raw_mention": "string", "unit": "string", "qualifier": "string",
                          "start_offset": "int64", "end_offset": "int64", "value": "float64",
                          "has_magnitude": "bool", "cell_no": "Int64", "processed_at": "datetime64[us]"})
