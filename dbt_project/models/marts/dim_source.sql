-- A source's region is the registry's current one (stg_raw__sources); a source no longer registered (the
-- dropped-files folder) keeps the region its documents landed with.
with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

registry as (
    select * from {{ ref('stg_raw__sources') }}
),

landed as (
    select
        source_id,
        max(source_region) as source_region,
        count(*) as documents,
        max(ingested_at) as last_ingested_at
    from documents
    group by source_id
),

final as (
    select
        landed.source_id,
        case when registry.source_id is not null then registry.region else landed.source_region end
            as source_region,
        landed.documents,
        landed.last_ingested_at
    from landed
    left join registry using (source_id)
)

select * from final
