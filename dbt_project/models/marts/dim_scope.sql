-- The parts a value may cover, named for BI tools: the scopes seed with the whole as the empty string
-- (a seed reads an empty cell as NULL; the fact table's scope is never NULL).
with scopes as (
    select * from {{ ref('scopes') }}
),

final as (
    select
        coalesce(scope, '') as scope,
        name_zh as scope_name_zh,
        name_en as scope_name_en,
        area,
        support,
        sort_order,
        description
    from scopes
)

select * from final
