-- One row per target: the target next to the actual reported for the same indicator, region and
-- period (by any document), with the attainment ratio actual / target.
with facts as (
    select * from {{ ref('fct_indicator_values') }}
),

targets as (
    select * from facts
    where value_type = 'target'
),

actuals as (
    select
        indicator_code,
        region_name,
        period_id,
        max(value) as actual_value,
        count(*) as actual_reports
    from facts
    where value_type = 'actual'
    group by 1, 2, 3
),

final as (
    select
        targets.indicator_value_id as target_value_id,
        targets.indicator_code,
        targets.region_name,
        targets.period_id,
        targets.value as target_value,
        targets.qualifier as target_qualifier,
        targets.unit,
        actuals.actual_value,
        actuals.actual_reports,
        case when targets.value <> 0 then round(actuals.actual_value / targets.value, 4) end as attainment_ratio,
        targets.document_id as target_document_id
    from targets
    left join actuals using (indicator_code, region_name, period_id)
)

select * from final
