with catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

final as (
    select
        indicator_code,
        name_zh,
        domain,
        unit,
        kind,
        definition,
        example_phrases
    from catalogue
)

select * from final
