with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

final as (
    select
        source_id,
        max(source_region) as source_region,
        count(*) as documents,
        max(ingested_at) as last_ingested_at
    from documents
    group by source_id
)

select * from final
