-- One row per current document version: `document`, the name facts cite — the file name of a dropped file,
-- else the URL, unless files of the same name came from two folders (then the document key).
-- A table: the window below runs over every current version, once a build instead of once for each of the
-- models and tests that read the names.
{{ config(materialized='table') }}

with documents as (
    select
        version_id,
        document_key,
        file_name,
        url
    from {{ source('raw', 'documents_current') }}
),

final as (
    select
        version_id,
        case
            when count(*) over (partition by coalesce(file_name, url, document_key)) > 1 then document_key
            else coalesce(file_name, url, document_key)
        end as document
    from documents
)

select * from final
