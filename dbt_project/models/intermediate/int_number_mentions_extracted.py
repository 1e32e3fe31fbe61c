"""One row per number mention (value, unit, qualifier, offsets) in every segment
(warehouse.transform.extraction.mentions).
Incremental by document version, like int_segments_split; streams the segments in version_id order, in worker
processes when there are many (MINZHENG_BUILD_WORKERS)."""

TYPES = {
    "mention_id": "string",
    "segment_id": "string",
    "version_id": "string",
    "start_offset": "int64",
    "end_offset": "int64",
    "raw_mention": "string",
    "value": "float64",
    "unit": "string",
    "qualifier": "string",
    "has_magnitude": "bool",
    "cell_no": "int64",
    "code_version": "string",
    "processed_at": "timestamp",
}
SEGMENTS_PER_BATCH = 20_000


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="version_id", incremental_strategy="delete+insert")
    import functools

    from warehouse.transform.extraction import SEGMENT_MODULES, code_fingerprint
    from warehouse.transform.extraction.mentions import extract_batch
    from warehouse.transform.streaming import arrow_schema, read_batches, stream, workers_for

    code_version = code_fingerprint(*SEGMENT_MODULES)
    segments = dbt.ref("int_segments_split").sql_query()
    pending = f"select segment_id, version_id, segment_kind, start_offset, segment_text from ({segments}) as segments"
    if dbt.is_incremental:
        pending += " where " + _not_yet_extracted(session, str(dbt.this), code_version)
    count = session.sql(f"select count(*) from ({pending})").fetchall()[0][0]
    return stream(
        arrow_schema(TYPES),
        read_batches(session, pending, SEGMENTS_PER_BATCH),
        functools.partial(extract_batch, code_version=code_version),
        workers=workers_for(count, SEGMENTS_PER_BATCH),
    )


def _not_yet_extracted(session, this: str, code_version: str) -> str:
    """The segments to extract: those split after the newest mention when every mention is of this code (a cost
    that follows the new segments, not the corpus), else those of versions without mentions of this code."""
    stale = session.sql(f"select count(*) from {this} where code_version <> '{code_version}'").fetchall()[0][0]
    if stale:
        return f"version_id not in (select version_id from {this} where code_version = '{code_version}')"
    return f"processed_at > (select coalesce(max(processed_at), '-infinity'::timestamp) from {this})"
