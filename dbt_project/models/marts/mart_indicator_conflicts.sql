-- One row per fact whose value disagrees with the one the marts show for its region, indicator, period, value type
-- and scope: the chosen value (mart_indicator_values' rule, with its reason) beside the other, each with its
-- document, address and evidence, so a reader sees what was not shown and why. Two documents stating the same
-- other value are two rows (two sources); facts agreeing with the chosen value are no conflict.
-- A table written whole, not incremental by pair as the other marts: most pairs have no conflict, so this table
-- has no row to remember a pair's refresh by (pairs_to_refresh, macros/incremental.sql, finds the pairs to
-- compute again from a mart's newest row), and the facts not chosen are few to read (docs/performance.md).
{{ config(materialized='table') }}

with values as (
    select * from {{ ref('mart_indicator_values') }}
),

chosen as (
    select * from values
    where is_chosen
),

others as (
    select * from values
    where not is_chosen
),

final as (
    select
        others.indicator_value_id as other_value_id,
        chosen.indicator_value_id as chosen_value_id,
        chosen.indicator_code,
        chosen.indicator_name,
        chosen.unit,
        chosen.region_name,
        chosen.region_level,
        chosen.province_name,
        chosen.city_name,
        chosen.county_name,
        chosen.period_id,
        chosen.year,
        chosen.value_type,
        chosen.scope,
        chosen.scope_name,
        chosen.value as chosen_value,
        others.value as other_value,
        chosen.choice_reason,
        chosen.document_title as chosen_document_title,
        others.document_title as other_document_title,
        chosen.document_url as chosen_url,
        others.document_url as other_url,
        chosen.published_at as chosen_published_at,
        others.published_at as other_published_at,
        chosen.evidence as chosen_evidence,
        others.evidence as other_evidence,
        {{ run_started_timestamp() }} as refreshed_at
    from others
    inner join chosen using (indicator_code, region_name, period_id, value_type, scope)
    where others.value <> chosen.value
)

select * from final
