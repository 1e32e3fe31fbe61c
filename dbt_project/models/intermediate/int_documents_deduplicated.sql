-- One row per document version that has been current, and the version whose facts stand for it: documents
-- with the same text (the same report dropped under two names, or fetched from two addresses) are one document
-- for the fact table — the first of them landed is canonical, the others point at it.
-- Incremental: a build writes the rows whose status changed — a version new or current again, one whose
-- canonical version changed (an earlier copy left), one no longer current (kept, is_current false) — stamped
-- status_changed_at, so that the fact table and the marts find what changed without comparing every version.
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}

with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

mapping as (
    select
        version_id,
        first_value(version_id) over (
            partition by text_sha256 order by ingested_at, version_id
        ) as canonical_version_id
    from documents
),

changed as (
    {% if is_incremental() and has_column('status_changed_at') %}
        select
            mapping.version_id,
            mapping.canonical_version_id,
            true as is_current
        from mapping
        left join {{ this }} as kept using (version_id)
        where
            kept.version_id is null
            or not kept.is_current
            or kept.canonical_version_id <> mapping.canonical_version_id
        union all
        select
            kept.version_id,
            kept.canonical_version_id,
            false as is_current
        from {{ this }} as kept
        where kept.is_current and kept.version_id not in (select mapping.version_id from mapping)
    {% else %}
        select
            version_id,
            canonical_version_id,
            true as is_current
        from mapping
    {% endif %}
),

final as (
    select
        version_id,
        canonical_version_id,
        is_current,
        is_current and version_id = canonical_version_id as is_canonical,
        {{ run_started_timestamp() }} as status_changed_at
    from changed
)

select * from final
