-- One row per target: the target next to the actual reported for the same indicator, region, scope and period
-- (attainment = actual / target), and next to the newest actual of the same scope reported for a year from the
-- one the target was set in up to the target's year (progress = that actual / target): a 2025 plan target
-- beside the 2023 figure of a later work summary, a year's target beside its first half. Like is compared with
-- like: a rural target with rural actuals only, a target for the whole never with a part's actual.
-- Incremental by indicator and region: a build computes again the pairs int_indicator_pairs_changed logged since
-- this table's newest row (macros/pairs_to_refresh.sql); written whole it cost 3 s at 300,000 documents.
{{ config(
    materialized='incremental', unique_key=['indicator_code', 'region_name'],
    incremental_strategy='delete+insert', on_schema_change='append_new_columns',
    pre_hook="{{ drop_pairs_to_refresh() }}"
) }}
-- depends_on: {{ ref('int_indicator_pairs_changed') }}

with values as (
    {{ rows_of_pairs_to_refresh(ref('mart_indicator_values')) }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

targets as (
    select
        values.*,
        coalesce(documents.plan_start_year, documents.document_year, values.year) as set_in_year
    from values
    left join documents using (document_id)
    where values.value_type = 'target'
),

actuals as (
    select * from values
    where value_type = 'actual'
),

same_period as (
    select
        indicator_code,
        region_name,
        scope,
        period_id,
        max(value) as actual_value,
        count(*) as actual_reports
    from actuals
    group by 1, 2, 3, 4
),

later_actuals as (
    select
        targets.indicator_value_id as target_value_id,
        actuals.value as latest_actual_value,
        actuals.period_id as latest_actual_period_id
    from targets
    inner join actuals
        on
            targets.indicator_code = actuals.indicator_code
            and targets.region_name = actuals.region_name
            and targets.scope = actuals.scope
            and actuals.year between targets.set_in_year and targets.year
    qualify row_number() over (
        partition by targets.indicator_value_id
        order by actuals.year desc, actuals.period_id asc, actuals.published_at desc nulls last, actuals.value desc
    ) = 1
),

final as (
    select
        targets.indicator_value_id as target_value_id,
        targets.indicator_code,
        targets.indicator_name,
        targets.region_name,
        targets.province_name,
        targets.city_name,
        targets.county_name,
        targets.scope,
        targets.scope_name,
        targets.period_id,
        targets.year,
        targets.value as target_value,
        targets.qualifier as target_qualifier,
        targets.unit,
        same_period.actual_value,
        same_period.actual_reports,
        case when targets.value <> 0 then round(same_period.actual_value / targets.value, 4) end
            as attainment_ratio,
        later_actuals.latest_actual_value,
        later_actuals.latest_actual_period_id,
        case when targets.value <> 0 then round(later_actuals.latest_actual_value / targets.value, 4) end
            as progress_ratio,
        targets.document_id as target_document_id,
        targets.document_title as target_document_title,
        {{ run_started_timestamp() }} as refreshed_at
    from targets
    left join same_period using (indicator_code, region_name, scope, period_id)
    left join later_actuals on targets.indicator_value_id = later_actuals.target_value_id
)

select * from final
