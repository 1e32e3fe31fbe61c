-- One row per current document version an analyst's correction names (seeds document_corrections and
-- fact_corrections, keyed by the raw document_key): whether it is excluded, its corrected region and year, and a
-- hash of every correction row of the document. int_documents_classified classifies a version again when its
-- hash changes, and so the version is decided and its facts written again: a correction added, edited or
-- removed reaches the facts on the next build without a full refresh.
{{ config(materialized='table') }}

with document_corrections as (
    select * from {{ ref('document_corrections') }}
),

fact_corrections as (
    select * from {{ ref('fact_corrections') }}
),

versions as (
    select
        version_id,
        document_key
    from {{ source('raw', 'current_versions') }}
),

correction_rows as (
    select
        document_key,
        'document|' || concat_ws('|', action, coalesce(region, '∅'), coalesce(cast(year as varchar), '∅'))
            as correction
    from document_corrections
    union all
    select
        document_key,
        'fact|' || concat_ws(
            '|', action, coalesce(indicator_code, '∅'), coalesce(region, '∅'), coalesce(period_id, '∅'),
            coalesce(value_type, '∅'), coalesce(scope, ''), coalesce(cast(value as varchar), '∅')
        ) as correction
    from fact_corrections
),

per_document as (
    select
        document_key,
        md5(string_agg(correction, ';' order by correction)) as corrections_hash
    from correction_rows
    group by document_key
),

document_changes as (
    select
        document_key,
        bool_or(action = 'exclude') as is_excluded,
        max(case when action = 'correct' then nullif(trim(region), '') end) as corrected_region,
        max(case when action = 'correct' then year end) as corrected_year
    from document_corrections
    group by document_key
),

final as (
    select
        versions.version_id,
        per_document.document_key,
        coalesce(document_changes.is_excluded, false) as is_excluded,
        document_changes.corrected_region,
        document_changes.corrected_year,
        per_document.corrections_hash
    from per_document
    inner join versions using (document_key)
    left join document_changes using (document_key)
)

select * from final
