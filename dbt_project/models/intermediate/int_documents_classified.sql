-- Incremental by document version (recomputed when the rules seeds change).
-- One row per document version: its kind, the year (or plan period) it reports on, and the
-- region of the publishing body (FACTS.md "Region" and "Period").
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns'
) }}

with rules as (
    select * from {{ ref('int_extraction_rules_hashed') }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
    {% if is_incremental() %}
        -- only versions not yet processed under the current rules
        {{ not_yet_processed() }}
    {% endif %}
),

kind_rules as (
    select * from {{ ref('document_kind_rules') }}
),

regions as (
    select * from {{ ref('int_regions_flattened') }}
),

heads as (
    select
        version_id,
        coalesce(title, '') as title,
        coalesce(title, '') || ' ' || left(text, 600) as head,
        publisher,
        source_region,
        index_no,
        published_at,
        text
    from documents
),

kinds as (
    -- a rule matching the title beats one matching only the opening text
    select
        heads.version_id,
        kind_rules.document_kind
    from heads
    inner join kind_rules on regexp_matches(heads.head, kind_rules.pattern)
    qualify row_number() over (
        partition by heads.version_id
        order by regexp_matches(heads.title, kind_rules.pattern) desc, kind_rules.priority
    ) = 1
),

years as (
    select
        version_id,
        try_cast(regexp_extract(head, '(20\d{2})年(?:度)?[^，。,；]{0,12}?(?:工作)?(?:总结|要点|计划|思路|安排|报告)', 1) as integer)
            as stated_year,
        regexp_extract(head, '十([一二三四五六七八九])五', 1) as plan_numeral
    from heads
),

publisher_region as (
    select heads.version_id, regions.region_name
    from heads
    inner join regions
        on regions.level <> 'country'
        and (contains(coalesce(heads.publisher, ''), regions.region_name)
             or (length(regions.short_name) >= 2 and starts_with(coalesce(heads.publisher, ''), regions.short_name)))
    qualify row_number() over (partition by heads.version_id order by length(regions.region_name) desc) = 1
),

credit_code_region as (
    -- 索引号 of many sites starts with the publisher's 统一社会信用代码, whose 3rd-8th characters are
    -- the division code of the registering authority
    select heads.version_id, regions.region_name
    from heads
    inner join regions
        on regions.region_code = regexp_extract(heads.index_no, '^[0-9A-Z]{2}(\d{6})[0-9A-Z]{10}/', 1)
),

configured_region as (
    select heads.version_id, regions.region_name
    from heads
    inner join regions on regions.region_name = heads.source_region
),

text_mentions as (
    -- one constant pattern of every city and county name (compiled once, not per row), only for
    -- documents whose region nothing else tells
    select heads.version_id, unnest(regexp_extract_all(heads.text, '{{ region_name_pattern() }}')) as name
    from heads
    where heads.version_id not in (select version_id from publisher_region)
        and heads.version_id not in (select version_id from credit_code_region)
        and heads.version_id not in (select version_id from configured_region)
),

scope_words as (
    -- 全市 / 全县 / 全区: the kind of jurisdiction the text speaks for
    select
        version_id,
        case greatest(len(regexp_extract_all(text, '全市')), len(regexp_extract_all(text, '全县')),
                      len(regexp_extract_all(text, '全区')))
            when 0 then null
            when len(regexp_extract_all(text, '全市')) then '市'
            when len(regexp_extract_all(text, '全县')) then '县'
            else '区'
        end as scope_suffix
    from heads
),

text_region as (
    -- the most mentioned city or county, among those of the kind the text speaks for (a city bureau
    -- names its districts often; a 全市 text is not a district's)
    select text_mentions.version_id, regions.region_name
    from text_mentions
    inner join regions
        on (text_mentions.name = regions.region_name or text_mentions.name = regions.short_name)
        and regions.level in ('city', 'county')
    inner join scope_words using (version_id)
    where scope_words.scope_suffix is null or regions.region_name like '%' || scope_words.scope_suffix
    group by 1, 2
    qualify row_number() over (partition by text_mentions.version_id order by count(*) desc, min(regions.region_code)) = 1
),




final as (
    select
        documents.version_id,
        documents.document,
        coalesce(kinds.document_kind, 'other') as document_kind,
        case kinds.document_kind
            when 'five_year_plan' then null
            when 'half_year_summary' then coalesce(years.stated_year, year(documents.published_at))
            when 'annual_summary' then coalesce(years.stated_year, year(documents.published_at) - 1)
            else coalesce(years.stated_year, year(documents.published_at))
        end as document_year,
        case when kinds.document_kind = 'five_year_plan' and years.plan_numeral <> ''
            then 2010 + 5 * (list_position(['一', '二', '三', '四', '五', '六', '七', '八', '九'], years.plan_numeral) - 1) - 4
        end as plan_start_year,
        case when kinds.document_kind = 'five_year_plan' and years.plan_numeral <> ''
            then 2010 + 5 * (list_position(['一', '二', '三', '四', '五', '六', '七', '八', '九'], years.plan_numeral) - 1)
        end as plan_end_year,
        coalesce(publisher_region.region_name, credit_code_region.region_name, configured_region.region_name,
                 text_region.region_name) as document_region,
        case
            when publisher_region.region_name is not null then 'publisher'
            when credit_code_region.region_name is not null then 'credit_code'
            when configured_region.region_name is not null then 'source_registry'
            when text_region.region_name is not null then 'text'
        end as region_evidence,
        (select rules_hash from rules) as rules_hash
    from documents
    left join kinds using (version_id)
    left join years using (version_id)
    left join publisher_region using (version_id)
    left join credit_code_region using (version_id)
    left join configured_region using (version_id)
    left join text_region using (version_id)
)

select * from final
