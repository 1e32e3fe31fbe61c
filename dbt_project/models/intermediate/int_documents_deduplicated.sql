-- One row per current document version and the version whose facts stand for it: documents with the same
-- text (the same report dropped under two names, or fetched from two addresses) are one document for the
-- fact table — the first of them landed is canonical, the others point at it.
with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

final as (
    select
        version_id,
        first_value(version_id) over (
            partition by text_sha256 order by ingested_at, version_id
        ) as canonical_version_id
    from documents
)

select
    *,
    version_id = canonical_version_id as is_canonical
from final
