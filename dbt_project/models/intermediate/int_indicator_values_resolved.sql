-- One row per number mention that became a fact (int_mention_decisions with outcome 'fact'): its
-- indicator, region, period and value type resolved by the FACTS.md rules. A view: as a table it was copied
-- whole in every build, and fct_indicator_values reads it once.
{{ config(materialized='view') }}

with decisions as (
    select * from {{ ref('int_mention_decisions') }}
),

final as (
    select
        mention_id,
        version_id,
        document,
        indicator_code,
        region,
        period,
        value_type,
        scope,
        scope_rule,
        confidence,
        value,
        unit,
        qualifier,
        raw_mention,
        matched_phrase,
        pairing_rule,
        evidence_sentence,
        evidence_start,
        evidence_end,
        evidence,
        document_kind,
        processed_at
    from decisions
    where outcome = 'fact'
)

select * from final
