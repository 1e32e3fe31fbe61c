with regions as (
    select * from {{ ref('stg_gbt2260__regions') }}
),

final as (
    select
        region_name,
        region_code,
        short_name,
        level,
        parent_code,
        province_code,
        city_code
    from regions
    -- a few county names recur across provinces (朝阳区); the first code keeps the name unique here
    qualify row_number() over (partition by region_name order by region_code) = 1
)

select * from final
