with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

names as (
    select * from {{ ref('stg_raw__document_names') }}
),

classified as (
    select * from {{ ref('int_documents_classified') }}
),

deduplicated as (
    select * from {{ ref('int_documents_deduplicated') }}
),

final as (
    select
        documents.version_id as document_id,
        names.document,
        deduplicated.canonical_version_id as canonical_document_id,
        documents.url,
        documents.file_name,
        documents.source_id,
        documents.title,
        documents.publisher,
        classified.document_region,
        classified.document_kind,
        classified.document_year,
        classified.plan_start_year,
        classified.plan_end_year,
        documents.published_at,
        documents.written_at,
        documents.index_no,
        documents.doc_no,
        documents.column_name,
        documents.format,
        documents.ingested_at
    from documents
    inner join names using (version_id)
    inner join classified using (version_id)
    inner join deduplicated using (version_id)
)

select * from final
