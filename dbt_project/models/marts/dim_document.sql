-- One row per current document version. Incremental by version: a build writes the versions new or whose
-- canonical version changed (int_documents_deduplicated.status_changed_at), classified again
-- (int_documents_classified.classified_at) or named again (stg_raw__document_names.named_at), and its pre-hook
-- drops the versions no longer current: written whole, each build would write every version. The changed versions
-- are written out (versions_to_process): a semi-join on them joined every version's row first.
{{ config(
    materialized='incremental', unique_key='document_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns', pre_hook="{{ drop_documents_no_longer_current() }}"
) }}

{%- if is_incremental() and has_column('refreshed_at') %}
    {%- set changed_versions %}
        select version_id from {{ ref('int_documents_deduplicated') }}
        where status_changed_at > (select max(refreshed_at) from {{ this }})
        union
        select version_id from {{ ref('int_documents_classified') }}
        where classified_at > (select max(refreshed_at) from {{ this }})
        union
        select version_id from {{ ref('stg_raw__document_names') }}
        where named_at > (select max(refreshed_at) from {{ this }})
    {%- endset %}
    {%- set changed = versions_to_process(changed=changed_versions) %}
{%- endif %}

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
        documents.ingested_at,
        {{ run_started_timestamp() }} as refreshed_at
    from documents
    inner join names using (version_id)
    inner join classified using (version_id)
    inner join deduplicated using (version_id)
    {% if is_incremental() and has_column('refreshed_at') %}
        where {{ changed }}
    {% endif %}
)

select * from final
