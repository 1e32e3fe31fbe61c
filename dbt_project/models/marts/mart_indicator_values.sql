-- One row per fact with the labels a BI chart filters and groups by: indicator name, the part of the whole it
-- covers (scope and its Chinese name, dim_scope), the region's province, city and county, the year, the source
-- document's title and address. Every BI dataset shares these column names, so one dashboard filter reaches
-- all of them. It also holds the one rule that picks the value a mart shows when several facts state a value for
-- the same region, indicator, period, value type and scope (is_chosen, choice_reason; docs/bi.md): every mart
-- reads the choice here, so no two marts can choose differently.
-- Incremental by indicator and region, every scope of a pair at once (the window below counts within one): a
-- build computes again the pairs to refresh (macros/incremental.sql) — those of facts fct_indicator_values wrote
-- since this table's newest row, and those this table holds facts of versions decided again, no longer canonical
-- or moved since — and every pair when the labels changed; the post-hook drops the rows of those pairs whose facts
-- are gone. Each is found on stamps and this table's own rows, not by comparing every fact's labels and versions.
{{ config(
    materialized='incremental', unique_key=['indicator_code', 'region_name'],
    incremental_strategy='delete+insert', on_schema_change='append_new_columns',
    post_hook="{{ drop_facts_gone() }}"
) }}
-- depends_on: {{ ref('int_documents_deduplicated') }}
-- depends_on: {{ ref('int_mention_decisions') }}
-- depends_on: {{ source('raw', 'current_versions') }}
-- depends_on: {{ source('raw', 'document_locations') }}

{%- set labels_hash = fact_labels_hash(ref('dim_indicator'), ref('dim_region'), ref('dim_scope')) %}
{%- set by_pair = is_incremental() and has_column('labels_hash')
    and labels_hash == run_query('select max(labels_hash) from ' ~ this).columns[0].values()[0] %}

with indicators as (
    select * from {{ ref('dim_indicator') }}
),

regions as (
    select * from {{ ref('dim_region') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

scopes as (
    select * from {{ ref('dim_scope') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

-- materialized: else DuckDB labels every fact before it keeps those of the changed pairs
facts as materialized (
    {% if by_pair %}
        {{ rows_where(ref('fct_indicator_values'), of_pairs_to_refresh(ref('fct_indicator_values'), 'document_id')) }}
    {% else %}
        select * from {{ ref('fct_indicator_values') }}
    {% endif %}
),

labelled as (
    select
        facts.indicator_value_id,
        facts.indicator_code,
        indicators.name_zh as indicator_name,
        indicators.domain as indicator_domain,
        facts.unit,
        facts.value_type,
        facts.scope,
        scopes.scope_name_zh as scope_name,
        facts.value,
        facts.qualifier,
        facts.confidence,
        facts.period_id,
        periods.year,
        make_date(periods.year, 1, 1) as year_start,
        facts.region_name,
        regions.level as region_level,
        regions.province_name,
        regions.city_name,
        regions.county_name,
        regions.province_map_code,
        facts.evidence,
        -- where the value is stated in its document: the sentence's offset, then the mention's place in it
        facts.evidence_start + coalesce(strpos(facts.evidence_sentence, facts.raw_mention), 0) as statement_position,
        facts.document_id,
        documents.title as document_title,
        documents.url as document_url,
        documents.document_kind,
        documents.published_at,
        facts.decided_at
    from facts
    inner join indicators using (indicator_code)
    inner join periods using (period_id)
    left join scopes using (scope)
    left join regions using (region_name)
    left join documents using (document_id)
),

-- The choice rule, its one home: among the facts of one key (region, indicator, period, value type, scope) the
-- most recently published document wins, within one document the later statement (a plan's "力争" sentence
-- after its baseline), and last the smaller document_id and fact id, so that a rebuild chooses the same.
-- A value's size never decides.
ranked as (
    select
        *,
        row_number() over choice as choice_rank,
        first_value(value) over choice as chosen_value
    from labelled
    window choice as (
        partition by indicator_code, region_name, period_id, value_type, scope
        order by
            published_at desc nulls last, statement_position desc nulls last, document_id asc, indicator_value_id asc
    )
),

-- the best ranked fact stating another value than the chosen one: what the choice had to beat
competitors as (
    select
        *,
        count(*) filter (where value <> chosen_value) over key as competing_facts,
        arg_min(document_id, choice_rank) filter (where value <> chosen_value) over key as competitor_document_id,
        arg_min(published_at, choice_rank) filter (where value <> chosen_value) over key as competitor_published_at,
        arg_min(statement_position, choice_rank) filter (where value <> chosen_value) over key as competitor_position,
        count(*) over key as key_facts
    from ranked
    window key as (partition by indicator_code, region_name, period_id, value_type, scope)
),

chosen as (
    select
        competitors.*,
        choice_rank = 1 as is_chosen,
        -- the reason is the key's: every fact of it carries why its chosen value won
        max(
            case
                when choice_rank > 1 then null
                when key_facts = 1 then 'only value'
                when competing_facts = 0 then 'documents agree'
                when competitor_document_id = document_id and competitor_position < statement_position
                    then 'later statement in the same document'
                when competitor_document_id = document_id then 'same statement: first fact id'
                when
                    competitor_published_at < published_at
                    or competitor_published_at is null and published_at is not null
                    then 'newest document'
                when published_at is null then 'undated documents: first document id'
                else 'same publication date: first document id'
            end
        ) over (partition by indicator_code, region_name, period_id, value_type, scope) as choice_reason
    from competitors
),

final as (
    select
        * exclude (
            choice_rank, chosen_value, key_facts, competing_facts, competitor_document_id, competitor_published_at,
            competitor_position
        ),
        -- a region's line of a part in a time series needs two years or more
        count(distinct case when value_type = 'actual' then year end)
            over (partition by indicator_code, region_name, scope) as actual_years_reported,
        {{ run_started_timestamp() }} as refreshed_at,
        '{{ labels_hash }}' as labels_hash
    from chosen
)

select * from final
