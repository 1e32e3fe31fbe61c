with facts as (
    select distinct period_id from {{ ref('fct_indicator_values') }}
),

years as (
    select cast(range as varchar) as period_id from range(2000, 2041)
    union
    select cast(range as varchar) || 'H1' from range(2000, 2041)
    union
    select period_id from facts
),

final as (
    select
        period_id,
        cast(left(period_id, 4) as integer) as year,
        case when period_id like '%H1' then 'half_year' else 'year' end as period_kind,
        case when period_id like '%H1' then 1 end as half,
        '十' || {{ plan_numerals() }}[
            cast(floor((cast(left(period_id, 4) as integer) - 2006) / 5) as integer) + 1] || '五'
            as five_year_plan,
        2006 + 5 * cast(floor((cast(left(period_id, 4) as integer) - 2006) / 5) as integer) as plan_start_year,
        2010 + 5 * cast(floor((cast(left(period_id, 4) as integer) - 2006) / 5) as integer) as plan_end_year
    from years
)

select * from final
