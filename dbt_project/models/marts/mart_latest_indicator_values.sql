-- One row per indicator, region and scope: the newest actual value reported for that part (the latest year; the
-- whole year before its first half), with the province's code on the China map. A part never stands in for the
-- whole: a region whose only actual is rural has no row of scope ''. Of a period's conflicting values it shows the
-- chosen one (mart_indicator_values' rule: newest document, then later statement), never the largest.
-- Incremental by indicator and region, as mart_target_attainment; document_id (the document of the value shown)
-- tells the pairs that lost every fact.
{{ config(
    materialized='incremental', unique_key=['indicator_code', 'region_name'],
    incremental_strategy='delete+insert', on_schema_change='append_new_columns',
    pre_hook="{{ drop_pairs_to_refresh('document_id') }}"
) }}
-- depends_on: {{ ref('fct_indicator_values') }}
-- depends_on: {{ ref('int_documents_deduplicated') }}
-- depends_on: {{ ref('int_mention_decisions') }}
-- depends_on: {{ source('raw', 'current_versions') }}
-- depends_on: {{ source('raw', 'document_locations') }}

with refreshed as (
    {{ rows_of_pairs_to_refresh(ref('mart_indicator_values')) }}
),

values as (
    select * from refreshed
    where value_type = 'actual' and is_chosen
),

final as (
    select
        indicator_code,
        indicator_name,
        unit,
        region_name,
        region_level,
        province_name,
        city_name,
        county_name,
        province_map_code,
        scope,
        scope_name,
        period_id as latest_period_id,
        year as latest_year,
        value as latest_value,
        evidence,
        document_id,
        document_title,
        document_url,
        choice_reason,
        {{ run_started_timestamp() }} as refreshed_at
    from values
    qualify row_number() over (
        partition by indicator_code, region_name, scope
        -- one chosen value per period: the latest year, its whole before its first half
        order by year desc, period_id asc
    ) = 1
)

select * from final
