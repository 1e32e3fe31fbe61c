-- One row per current document version: `document`, the name facts cite — the file name of a dropped file,
-- else the URL, unless files of the same name came from two folders (then the document key).
-- Incremental: a build names again the versions that share a name (name_key) with a version that became
-- current or stopped being current since, stamped named_at (dim_document takes the versions named since its
-- newest row); the post-hook drops the versions no longer current. Rebuilt whole, the window would run over
-- every current version in each incremental build.
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns', post_hook="{{ drop_names_no_longer_current() }}"
) }}
-- depends_on: {{ source('raw', 'current_versions') }}
-- depends_on: {{ source('raw', 'document_locations') }}

with documents as (
    select
        version_id,
        document_key,
        coalesce(file_name, url, document_key) as name_key
    from {{ source('raw', 'documents_current') }}
    {% if is_incremental() and has_column('name_key') %}
        where {{ in_written_out('coalesce(file_name, url, document_key)', names_to_renew()) }}
    {% endif %}
),

final as (
    select
        version_id,
        case when count(*) over (partition by name_key) > 1 then document_key else name_key end as document,
        name_key,
        {{ run_started_timestamp() }} as named_at
    from documents
)

select * from final
