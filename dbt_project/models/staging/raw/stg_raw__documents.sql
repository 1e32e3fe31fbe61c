with documents as (
    select * from {{ source('raw', 'documents_current') }}
),

final as (
    select
        version_id,
        document_key,
        -- the file name of a dropped file, unless files of the same name came from two folders
        case
            when count(*) over (partition by coalesce(file_name, url, document_key)) > 1 then document_key
            else coalesce(file_name, url, document_key)
        end as document,
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
