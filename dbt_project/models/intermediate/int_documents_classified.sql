-- Incremental by document version: recomputed when the rules seeds change, when its region was resolved again
-- (a region table or source registry change) and when an analyst's corrections of it change.
-- One row per document version: its kind, the year (or plan period, or statistics period) it reports on,
-- and the region of the publishing body (FACTS.md "Region", "Period" and Clarifications), each with the
-- evidence that decided it; a corrected region or year (seed document_corrections) replaces the one resolved.
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns'
) }}
-- depends_on: {{ ref('document_kind_rules') }}
-- depends_on: {{ source('raw', 'current_versions') }}

with rules as (
    select * from {{ ref('int_extraction_rules_hashed') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
    {% if is_incremental() and has_column('rules_hash') and has_column('corrections_hash') %}
        -- only versions not yet processed under the current rules, region and corrections
        where {{ versions_to_process(done=
            "select classified.version_id from " ~ this ~ " as classified"
            ~ " inner join " ~ ref('int_document_regions_resolved') ~ " as resolved using (version_id)"
            ~ " left join " ~ ref('int_document_corrections') ~ " as corrections using (version_id)"
            ~ " where classified.rules_hash = " ~ rules_and_code_hash()
            ~ " and resolved.resolved_at <= classified.classified_at"
            ~ " and classified.corrections_hash is not distinct from corrections.corrections_hash"
        ) }}
    {% endif %}
),

corrections as (
    select * from {{ ref('int_document_corrections') }}
),

names as (
    select * from {{ ref('stg_raw__document_names') }}
),

regions as (
    select * from {{ ref('int_document_regions_resolved') }}
),

heads as (
    select
        version_id,
        coalesce(title, '') as title,
        coalesce(title, '') || ' ' || left(text, 600) as head,
        coalesce(nullif(title, ''), left(text, 200)) as title_or_opening,
        published_at,
        -- a page filed under its year (/2018/, /202306/) dates a document whose metadata has no date
        try_cast(
            nullif(regexp_extract(coalesce(url, ''), '/((?:19|20)\d{2})(?:[01]\d)?(?:[0-3]\d)?/', 1), '')
            as integer
        ) as url_year,
        regexp_matches(left(text, 200), '今年') as says_this_year
    from documents
),

kind_matches as (
    -- one scan a rule, its pattern a constant (document_kind_rules)
    select
        null::varchar as version_id,
        null::varchar as document_kind,
        null::varchar as kind_rule,
        null::integer as rule_no,
        null::integer as priority,
        null::boolean as in_title
    where false
    {%- for rule in document_kind_rules() %}
        union all
        select
            version_id,
            {{ sql_string(rule.document_kind) }} as document_kind,
            {{ sql_string(rule.pattern) }} as kind_rule,
            {{ loop.index }} as rule_no,
            {{ rule.priority }} as priority,
            regexp_matches(title, {{ sql_string(rule.pattern) }}) as in_title
        from heads
        where regexp_matches(head, {{ sql_string(rule.pattern) }})
    {%- endfor %}
),

kinds as (
    -- a rule matching the title beats one matching only the opening text; then the lower priority, then the
    -- rule written first
    select
        version_id,
        document_kind,
        kind_rule
    from kind_matches
    qualify row_number() over (partition by version_id order by in_title desc, priority asc, rule_no asc) = 1
),

years as (
    select
        version_id,
        try_cast(regexp_extract(
            head, '(20\d{2})年(?:度)?[^，。,；]{0,12}?(?:工作)?(?:总结|要点|计划|思路|安排|报告|成效|情况|统计|公报|季报|数据)', 1
        ) as integer) as stated_year,
        try_cast(regexp_extract(head, '(20\d{2})\s*年', 1) as integer) as first_year,
        -- a report or reprint whose title names the year it reports (2024年…成绩单), whenever it was published
        try_cast(nullif(regexp_extract(title, '(20\d{2})\s*年', 1), '') as integer) as title_year,
        {{ plan_end_year("nullif(regexp_extract(head, '十([一二三四五六七八九])五', 1), '')") }} as plan_end_year,
        {{ statistics_period('title_or_opening') }} as statistics_period,
        -- a news report of a year's first quarter whose opening first names the year before reviews that year
        case
            when
                month(published_at) <= 3
                and try_cast(regexp_extract(head, '(20\d{2})\s*年', 1) as integer) = year(published_at) - 1
                then year(published_at) - 1
        end as review_year,
        -- a summary of "this year" filed under a year is of that year, else of the year before it was filed
        url_year - case when says_this_year then 0 else 1 end as url_summary_year,
        url_year
    from heads
),

final as (
    select
        documents.version_id,
        names.document,
        coalesce(kinds.document_kind, 'other') as document_kind,
        kinds.kind_rule,
        case
            when corrections.corrected_year is not null then corrections.corrected_year
            when kinds.document_kind = 'five_year_plan' then null
            when kinds.document_kind = 'half_year_summary'
                then coalesce(years.stated_year, year(documents.published_at), years.url_year, years.first_year)
            when kinds.document_kind = 'annual_summary'
                then coalesce(
                    years.stated_year, year(documents.published_at) - 1, years.url_summary_year, years.first_year
                )
            when coalesce(kinds.document_kind, 'other') = 'other'
                then coalesce(
                    years.stated_year,
                    years.title_year,
                    years.review_year,
                    year(documents.published_at),
                    years.url_year,
                    years.first_year
                )
            else coalesce(years.stated_year, year(documents.published_at), years.url_year, years.first_year)
        end as document_year,
        case when kinds.document_kind = 'statistics' then years.statistics_period end as document_period,
        case when kinds.document_kind = 'five_year_plan' then years.plan_end_year - 4 end as plan_start_year,
        case when kinds.document_kind = 'five_year_plan' then years.plan_end_year end as plan_end_year,
        coalesce(corrections.corrected_region, regions.document_region) as document_region,
        case when corrections.corrected_region is not null then 'correction' else regions.region_evidence end
            as region_evidence,
        coalesce(corrections.is_excluded, false) as is_excluded,
        corrections.corrections_hash,
        {{ rules_and_code_hash('rules') }} as rules_hash,
        {{ run_started_timestamp() }} as classified_at
    from documents
    inner join names using (version_id)
    left join kinds using (version_id)
    left join years using (version_id)
    left join regions using (version_id)
    left join corrections using (version_id)
)

select * from final
