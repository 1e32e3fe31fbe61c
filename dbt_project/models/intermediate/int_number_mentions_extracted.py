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

    from warehouse.settings import BUILD_WORKERS
    from warehouse.transform.extraction import SEGMENT_MODULES, code_fingerprint
    from warehouse.transform.extraction.mentions import extract_batch
    from warehouse.transform.streaming import arrow_schema, read_batches, stream

    code_version = code_fingerprint(*SEGMENT_MODULES)
    segments = dbt.ref("int_segments_split").sql_query()
    pending = f"select segment_id, version_id, segment_kind, start_offset, segment_text from ({segments})"
    if dbt.is_incremental:
        pending += f" where version_id not in (select version_id from {dbt.this} where code_version = '{code_version}')"
    count = session.sql(f"select count(*) from ({pending})").fetchall()[0][0]
    return stream(
        arrow_schema(TYPES),
        read_batches(session, pending, SEGMENTS_PER_BATCH),
        functools.partial(extract_batch, code_version=code_version),
        workers=BUILD_WORKERS if count > 2 * SEGMENTS_PER_BATCH else 1,
    )
