-- One row per fact with the labels a BI chart filters and groups by: indicator name, the region's province,
-- city and county, the year, the source document's title and address. Every BI dataset shares these
-- column names, so one dashboard filter reaches all of them.
with facts as (
    select * from {{ ref('fct_indicator_values') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

labelled as (
    select
        facts.indicator_value_id,
        facts.indicator_code,
        indicators.name_zh as indicator_name,
        indicators.domain as indicator_domain,
        facts.unit,
        facts.value_type,
        facts.value,
        facts.qualifier,
        facts.period_id,
        periods.year,
        make_date(periods.year, 1, 1) as year_start,
        facts.region_name,
        regions.level as region_level,
        regions.province_name,
        regions.city_name,
        regions.county_name,
        regions.province_map_code,
        facts.evidence,
        facts.document_id,
        documents.title as document_title,
        documents.url as document_url,
        documents.document_kind,
        documents.published_at
    from facts
    inner join indicators using (indicator_code)
    inner join periods using (period_id)
    left join regions using (region_name)
    left join documents using (document_id)
),

final as (
    select
        *,
        -- a region's line in a time series needs two years or more
        count(distinct case when value_type = 'actual' then year end)
            over (partition by indicator_code, region_name) as actual_years_reported
    from labelled
)

select * from final
