{{ config(materialized='view') }}
-- Exactly the fields of FACTS.md, for export (make facts) and the accuracy benchmark, and each fact's
-- confidence (the precision of its weakest rule on the development set) as one more field.
with facts as (
    select * from {{ ref('fct_indicator_values') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

final as (
    select
        documents.document,
        facts.indicator_code,
        facts.region_name as region,
        facts.period_id as period,
        facts.value_type,
        facts.scope,
        facts.value,
        facts.unit,
        coalesce(facts.qualifier, '') as qualifier,
        facts.evidence,
        facts.confidence
    from facts
    inner join documents using (document_id)
)

select * from final
