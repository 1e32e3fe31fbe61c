"""One row per number mention (value, unit, qualifier, offsets) in every segment
(warehouse.transform.extraction.mentions).
Incremental by document version, like int_segments_split."""

import pandas as pd

COLUMNS = [
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
]


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="version_id", incremental_strategy="delete+insert")
    from warehouse.transform.extraction import SEGMENT_MODULES, code_fingerprint
    from warehouse.transform.extraction.mentions import mention_rows

    code_version = code_fingerprint(*SEGMENT_MODULES)
    frame = dbt.ref("int_segments_split").df()
    if dbt.is_incremental:
        done = session.sql(f"select distinct version_id from {dbt.this} where code_version = '{code_version}'").df()
        frame = frame[~frame["version_id"].isin(done["version_id"])]
    rows = [mention for segment in frame.to_dict("records") for mention in mention_rows(segment)]
    result = pd.DataFrame(rows, columns=COLUMNS)
    result["code_version"] = code_version
    result["processed_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)  # shows which build made a row
    # explicit types: an incremental run with nothing new returns no rows, and DuckDB cannot type empty columns
    return result.astype(
        {
            "mention_id": "string",
            "segment_id": "string",
            "version_id": "string",
            "raw_mention": "string",
            "unit": "string",
            "qualifier": "string",
            "start_offset": "int64",
            "end_offset": "int64",
            "value": "float64",
            "has_magnitude": "bool",
            "cell_no": "Int64",
            "code_version": "string",
            "processed_at": "datetime64[us]",
        }
    )
