-- One row per target key (indicator, region, scope, period): the chosen target — of a document's two targets for
-- one year, or of two documents' — next to the chosen actual reported for the same indicator, region, scope and
-- period (attainment = actual / target; both chosen by mart_indicator_values' one rule, never the largest), and
-- next to the newest chosen actual of the same scope reported for a year from the one the target was set in up
-- to the target's year (progress = that actual / target): a 2025 plan target beside the 2023 figure of a later
-- work summary, a year's target beside its first half. Like is compared with like: a rural target with rural
-- actuals only, a target for the whole never with a part's actual.
-- Incremental by indicator and region: a build computes again the pairs to refresh (macros/incremental.sql) —
-- those mart_indicator_values wrote rows of since this table's newest row, and those whose target's document was
-- touched since (a pair that lost every fact has no row there to tell); written whole, each build would compute
-- every pair.
{{ config(
    materialized='incremental', unique_key=['indicator_code', 'region_name'],
    incremental_strategy='delete+insert', on_schema_change='append_new_columns',
    pre_hook="{{ drop_pairs_to_refresh('target_document_id') }}"
) }}
-- depends_on: {{ ref('fct_indicator_values') }}
-- depends_on: {{ ref('int_documents_deduplicated') }}
-- depends_on: {{ ref('int_mention_decisions') }}
-- depends_on: {{ source('raw', 'current_versions') }}
-- depends_on: {{ source('raw', 'document_locations') }}

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
    where values.value_type = 'target' and values.is_chosen
),

-- the other targets stated for a key (mart_indicator_conflicts lists those of another value)
target_reports as (
    select
        indicator_code,
        region_name,
        scope,
        period_id,
        count(*) as target_reports
    from values
    where value_type = 'target'
    group by 1, 2, 3, 4
),

-- one actual per period: the chosen one
actuals as (
    select * from values
    where value_type = 'actual' and is_chosen
),

same_period as (
    select
        actuals.indicator_code,
        actuals.region_name,
        actuals.scope,
        actuals.period_id,
        actuals.value as actual_value,
        actuals.choice_reason as actual_choice_reason,
        count(*) as actual_reports
    from actuals
    inner join values as reports
        on
            actuals.indicator_code = reports.indicator_code
            and actuals.region_name = reports.region_name
            and actuals.scope = reports.scope
            and actuals.period_id = reports.period_id
            and reports.value_type = 'actual'
    group by 1, 2, 3, 4, 5, 6
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
        order by actuals.year desc, actuals.period_id asc
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
        targets.choice_reason as target_choice_reason,
        target_reports.target_reports,
        targets.unit,
        same_period.actual_value,
        same_period.actual_reports,
        same_period.actual_choice_reason,
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
    left join target_reports using (indicator_code, region_name, scope, period_id)
    left join same_period using (indicator_code, region_name, scope, period_id)
    left join later_actuals on targets.indicator_value_id = later_actuals.target_value_id
)

select * from final
