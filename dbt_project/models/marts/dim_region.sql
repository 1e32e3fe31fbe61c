with regions as (
    select * from {{ ref('stg_gbt2260__regions') }}
),

map_codes as (
    select * from {{ ref('iso_3166_2_cn') }}
),

unique_names as (
    select * from regions
    -- a few county names recur across provinces (朝阳区); the first code keeps the name unique here
    qualify row_number() over (partition by region_name order by region_code) = 1
),

final as (
    select
        unique_names.region_name,
        unique_names.region_code,
        unique_names.short_name,
        unique_names.level,
        unique_names.parent_code,
        unique_names.province_code,
        unique_names.city_code,
        provinces.region_name as province_name,
        cities.region_name as city_name,
        case when unique_names.level = 'county' then unique_names.region_name end as county_name,
        map_codes.superset_map_code as province_map_code
    from unique_names
    left join regions as provinces on unique_names.province_code = provinces.region_code
    left join regions as cities on unique_names.city_code = cities.region_code
    left join map_codes on unique_names.province_code = map_codes.province_code
)

select * from final
