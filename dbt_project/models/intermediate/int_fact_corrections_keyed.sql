-- One row per fact correction (seed fact_corrections) with the current version of its document (NULL when the
-- document is no longer current): what fct_indicator_values (exclude) and the audit (accept) join on.
{{ config(materialized='table') }}

with fact_corrections as (
    select * from {{ ref('fact_corrections') }}
),

versions as (
    select
        version_id,
        document_key
    from {{ source('raw', 'current_versions') }}
),

final as (
    select
        versions.version_id,
        fact_corrections.document_key,
        fact_corrections.indicator_code,
        fact_corrections.region,
        fact_corrections.period_id,
        fact_corrections.value_type,
        coalesce(fact_corrections.scope, '') as scope,
        fact_corrections.value,
        fact_corrections.action,
        fact_corrections.corrected_by,
        fact_corrections.reason
    from fact_corrections
    left join versions using (document_key)
)

select * from final
