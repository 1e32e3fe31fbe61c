"""One row per segment (sentence or table row) of every current document version, with offsets and the number
mentions found in it (a list that int_number_mentions_extracted unnests).

Incremental: a document version is split once (again only when the segmenting code changes); a build with
ten new documents splits ten, a build with many splits them in worker processes (MINZHENG_BUILD_WORKERS).
Streams (warehouse.transform.streaming): documents are read and split a batch at a time, in version_id order,
so that a later model can read one batch's segments by a range of version ids."""

TYPES = {
    "segment_id": "string",
    "version_id": "string",
    "segment_no": "int64",
    "segment_kind": "string",
    "start_offset": "int64",
    "end_offset": "int64",
    "segment_text": "string",
    "table_no": "int64",
    "row_no": "int64",
    "heading1": "string",
    "heading2": "string",
    "paragraph_no": "int64",
    "mentions": "the mention records (warehouse.transform.extraction.mentions.MENTION_TYPES)",
    "code_version": "string",
    "processed_at": "timestamp",
}


def model(dbt, session):
    dbt.config(materialized="incremental", unique_key="version_id", incremental_strategy="delete+insert")
    import functools

    from warehouse.transform.extraction import SEGMENT_MODULES, code_fingerprint
    from warehouse.transform.extraction.mentions import MENTION_TYPES, split_batch
    from warehouse.transform.pending import versions_to_process
    from warehouse.transform.streaming import DOCUMENTS_PER_BATCH, arrow_schema, read_batches, stream, workers_for

    code_version = code_fingerprint(*SEGMENT_MODULES)
    documents = dbt.ref("stg_raw__documents").sql_query()
    pending = f"select version_id, text from ({documents})"
    if dbt.is_incremental:
        # a version's first segment tells it was split (a text without segments is split again, to no rows)
        done = f"select version_id from {dbt.this} where code_version = '{code_version}' and segment_no = 1"
        current = f"select version_id from ({dbt.source('raw', 'current_versions').sql_query()})"
        where, count = versions_to_process(session, current, done)
        pending += " where " + where
    else:
        count = session.sql(f"select count(*) from ({pending})").fetchall()[0][0]
    batches = read_batches(session, pending + " order by version_id", DOCUMENTS_PER_BATCH)
    return stream(
        arrow_schema(TYPES | {"mentions": MENTION_TYPES}),
        batches,
        functools.partial(split_batch, code_version=code_version),
        workers=workers_for(count, DOCUMENTS_PER_BATCH),
    )
