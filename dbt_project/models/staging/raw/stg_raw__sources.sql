-- The registry's current row per source: its publisher and its region (NULL where the entry names none).
with sources as (
    select * from {{ source('raw', 'sources') }}
),

final as (
    select
        source_id,
        nullif(trim(publisher), '') as publisher,
        nullif(trim(region), '') as region,
        enabled,
        registry_sha256,
        landed_at
    from sources
)

select * from final
