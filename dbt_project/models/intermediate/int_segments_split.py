"""One row per segment (sentence or table row) of every current document version, with offsets.

Incremental: a document version is split once (again only when the segmenting code changes); a build with
ten new documents splits ten."""

import pandas as pd

COLUMNS = [
    "segment_id",
    "version_id",
    "segment_no",
    "segment_kind",
    "start_offset",
    "end_offset",
    "segment_text",
    "table_no",
    "row_no",
    "heading1",
    "heading2",
    "paragraph_no",
]


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="version_id", incremental_strategy="delete+insert")
    from warehouse.transform.extraction import SEGMENT_MODULES, code_fingerprint
    from warehouse.transform.extraction.mentions import segment_rows

    code_version = code_fingerprint(*SEGMENT_MODULES)
    frame = dbt.ref("stg_raw__documents").df()
    if dbt.is_incremental:
        done = session.sql(f"select distinct version_id from {dbt.this} where code_version = '{code_version}'").df()
        frame = frame[~frame["version_id"].isin(done["version_id"])]
    rows = [
        row for version_id, text in zip(frame["version_id"], frame["text"]) for row in segment_rows(version_id, text)
    ]
    result = pd.DataFrame(rows, columns=COLUMNS)
    result["code_version"] = code_version
    result["processed_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None)  # shows which build made a row
    # explicit types: an incremental run with nothing new returns no rows, and DuckDB cannot type empty columns
    return result.astype(
        {
            "segment_id": "string",
            "version_id": "string",
            "segment_kind": "string",
            "segment_text": "string",
            "heading1": "string",
            "heading2": "string",
            "segment_no": "int64",
            "start_offset": "int64",
            "end_offset": "int64",
            "table_no": "Int64",
            "row_no": "Int64",
            "paragraph_no": "int64",
            "code_version": "string",
            "processed_at": "datetime64[us]",
        }
    )
