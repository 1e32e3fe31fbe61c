-- One row per analyst's correction that names nothing the build has: a document no longer current (its key
-- changed or it was dropped), or a fact the build no longer makes (the rules or the document changed). The audit
-- prints them (warehouse/release/audit.py) so that a correction gone stale is edited or deleted, not forgotten.
{{ config(materialized='view') }}

with document_corrections as (
    select * from {{ ref('document_corrections') }}
),

fact_corrections as (
    select * from {{ ref('int_fact_corrections_keyed') }}
),

versions as (
    select document_key from {{ source('raw', 'current_versions') }}
),

facts as (
    select * from {{ ref('int_indicator_values_resolved') }}
),

unmatched_documents as (
    select
        'document_corrections' as correction_seed,
        document_key,
        action,
        cast(null as varchar) as indicator_code,
        region,
        cast(null as varchar) as period_id,
        cast(null as varchar) as value_type,
        cast(null as varchar) as scope,
        cast(null as double) as value,
        corrected_by,
        reason,
        'no current document has this document_key' as problem
    from document_corrections
    where document_corrections.document_key not in (select versions.document_key from versions)
),

unmatched_facts as (
    select
        'fact_corrections' as correction_seed,
        document_key,
        action,
        indicator_code,
        region,
        period_id,
        value_type,
        scope,
        value,
        corrected_by,
        reason,
        case
            when version_id is null then 'no current document has this document_key'
            else 'the document has no such fact (indicator, region, period, value type, scope and value)'
        end as problem
    from fact_corrections
    where
        version_id is null
        or not exists (
            select 1 from facts
            where
                facts.version_id = fact_corrections.version_id
                and facts.indicator_code = fact_corrections.indicator_code
                and facts.region = fact_corrections.region
                and facts.period = fact_corrections.period_id
                and facts.value_type = fact_corrections.value_type
                and coalesce(facts.scope, '') = fact_corrections.scope
                and cast(facts.value as double) = fact_corrections.value
        )
),

final as (
    select * from unmatched_documents
    union all
    select * from unmatched_facts
)

select * from final
