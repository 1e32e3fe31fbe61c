with resolved as (
    select * from {{ ref('int_indicator_values_resolved') }}
),

canonical_documents as (
    -- current versions whose text no earlier document has: a copy's facts are its original's
    select version_id from {{ ref('int_documents_deduplicated') }}
    where is_canonical
),

deduplicated as (
    -- a value stated twice (prose and table) is one fact: keep its first statement as evidence.
    -- Values whose region could not be told stay in int_indicator_values_resolved for review.
    select resolved.*
    from resolved
    inner join canonical_documents using (version_id)
    where resolved.region is not null
    qualify row_number() over (
        partition by
            resolved.version_id, resolved.indicator_code, resolved.region, resolved.period,
            resolved.value_type, resolved.value
        order by resolved.evidence_start, resolved.mention_id
    ) = 1
),

final as (
    select
        md5(concat_ws('|', version_id, indicator_code, region, period, value_type, cast(value as varchar)))
            as indicator_value_id,
        version_id as document_id,
        indicator_code,
        region as region_name,
        period as period_id,
        value_type,
        cast(value as double) as value,
        unit,
        nullif(qualifier, '') as qualifier,
        raw_mention,
        evidence,
        evidence_sentence,
        cast(evidence_start as integer) as evidence_start,
        cast(evidence_end as integer) as evidence_end
    from deduplicated
)

select * from final
