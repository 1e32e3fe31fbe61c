-- Incremental by document version: written whole, a build would rewrite every fact, nearly all of them
-- unchanged. The pre-hook (drop_stale_facts) drops the facts of versions decided
-- again since, and of versions no longer current or canonical; the build adds the facts of the canonical
-- versions new or become canonical since its newest row (int_documents_deduplicated.status_changed_at) or
-- decided since its newest fact: each found on a stamp, not by comparing every version with every fact.
-- An analyst's corrections apply here: the facts of a document excluded (seed document_corrections) and the facts
-- excluded one by one (seed fact_corrections) are left out; a changed correction has its document classified and
-- decided again (int_documents_classified), so its facts are written again.
-- depends_on: {{ ref('int_mention_decisions') }}
-- depends_on: {{ source('raw', 'current_versions') }}
{{ config(
    materialized='incremental', unique_key='document_id', incremental_strategy='delete+insert',
    on_schema_change='append_new_columns', pre_hook="{{ drop_stale_facts() }}"
) }}

with resolved as (
    select * from {{ ref('int_indicator_values_resolved') }}
),

excluded_documents as (
    select version_id from {{ ref('int_documents_classified') }}
    where is_excluded
),

excluded_facts as (
    select * from {{ ref('int_fact_corrections_keyed') }}
    where action = 'exclude' and version_id is not null
),

canonical_documents as (
    -- current versions whose text no earlier document has: a copy's facts are its original's
    select version_id from {{ ref('int_documents_deduplicated') }}
    where is_canonical
),

versions as (
    select version_id from canonical_documents
    {% if is_incremental() and has_column('refreshed_at') %}
        where {{ versions_to_process(changed=versions_changed_since_facts()) }}
    {% elif is_incremental() %}
        where {{ versions_to_process(done='select document_id from ' ~ this) }}
    {% endif %}
),

deduplicated as (
    -- a value stated twice (prose and table) is one fact: keep its first statement as evidence.
    -- Values whose region could not be told stay in int_indicator_values_resolved for review.
    select resolved.*
    from resolved
    inner join versions using (version_id)
    where
        resolved.region is not null
        and resolved.version_id not in (
            select excluded_documents.version_id from excluded_documents
        )
    qualify row_number() over (
        partition by
            resolved.version_id, resolved.indicator_code, resolved.region, resolved.period,
            resolved.value_type, resolved.scope, resolved.value
        order by resolved.evidence_start, resolved.mention_id
    ) = 1
),

kept as (
    select deduplicated.*
    from deduplicated
    where not exists (
        select 1 from excluded_facts
        where
            excluded_facts.version_id = deduplicated.version_id
            and excluded_facts.indicator_code = deduplicated.indicator_code
            and excluded_facts.region = deduplicated.region
            and excluded_facts.period_id = deduplicated.period
            and excluded_facts.value_type = deduplicated.value_type
            and excluded_facts.scope = coalesce(deduplicated.scope, '')
            and excluded_facts.value = cast(deduplicated.value as double)
    )
),

final as (
    select
        md5(concat_ws('|', version_id, indicator_code, region, period, value_type, scope, cast(value as varchar)))
            as indicator_value_id,
        version_id as document_id,
        indicator_code,
        region as region_name,
        period as period_id,
        value_type,
        coalesce(scope, '') as scope,
        cast(value as double) as value,
        unit,
        nullif(qualifier, '') as qualifier,
        cast(confidence as double) as confidence,
        raw_mention,
        evidence,
        evidence_sentence,
        cast(evidence_start as integer) as evidence_start,
        cast(evidence_end as integer) as evidence_end,
        processed_at as decided_at,
        {{ run_started_timestamp() }} as refreshed_at
    from kept
)

select * from final
