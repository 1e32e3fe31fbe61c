-- One row per document version that has been current, and the version whose facts stand for it: documents
-- with the same text (the same report dropped under two names, or fetched from two addresses) are one document
-- for the fact table — the first of them landed is canonical, the others point at it.
-- Incremental: a build writes the rows whose status changed — a version new or current again, one whose
-- canonical version changed (an earlier copy left), one no longer current (kept, is_current false) — stamped
-- status_changed_at, so that the fact table and the marts find what changed without comparing every version.
-- Only the texts a change can touch are grouped again: those of the versions that came, and those whose canonical
-- version left (a window over every current version's text hash would run in each build, however little came).
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}
-- depends_on: {{ source('raw', 'current_versions') }}

{%- set incremental = is_incremental() and has_column('status_changed_at') %}
{%- if incremental %}
    {%- set left -%}
        select version_id from {{ this }}
        where is_current and version_id not in (select version_id from {{ source('raw', 'current_versions') }})
    {%- endset -%}
    {%- set left_in = in_written_out(none, left) -%}
{%- endif %}

with documents as (
    select * from {{ ref('stg_raw__documents') }}
    {%- if incremental %}
        where text_sha256 in (
            -- the versions that came: current, and not current here
            select text_sha256 from {{ ref('stg_raw__documents') }}
            where {{ versions_to_process(done='select version_id from ' ~ this ~ ' where is_current') }}
            union
            select text_sha256 from {{ ref('stg_raw__documents') }}
            where version_id in (
                select version_id from {{ this }} where is_current and canonical_version_id {{ left_in }}
            )
        )
    {%- endif %}
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
    {% if incremental %}
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
        where kept.is_current and kept.version_id {{ left_in }}
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
