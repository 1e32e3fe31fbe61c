-- No window or join here: a model that reads the text of a few new versions filters this view by version_id,
-- and the filter reaches the raw table's scan only through plain projections (a window over the text held
-- every text in memory to read ten). The name facts cite is
-- stg_raw__document_names.
with documents as (
    select * from {{ source('raw', 'documents_current') }}
),

final as (
    select
        version_id,
        document_key,
        source_id,
        kind as document_source_kind,
        format,
        url,
        file_name,
        parent_key,
        nullif(trim(title), '') as title,
        nullif(trim(publisher), '') as publisher,
        source_region,
        published_at,
        written_at,
        index_no,
        doc_no,
        column_name,
        topic,
        text,
        text_sha256,
        text_chars,
        ingested_at
    from documents
)

select * from final
