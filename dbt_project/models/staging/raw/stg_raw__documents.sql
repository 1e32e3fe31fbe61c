with documents as (
    select * from {{ source('raw', 'documents_current') }}
),

final as (
    select
        version_id,
        document_key,
        coalesce(file_name, url, document_key) as document,
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
        text_chars,
        ingested_at
    from documents
)

select * from final
