-- One row per current document version: the region of its publishing body (FACTS.md "Region" and
-- Clarifications) and how it was told. The most specific jurisdiction the publisher's name gives
-- (宁波市海曙区民政局 → 海曙区; 民政部 → 全国; 福建省民政厅 → 福建省); else the 统一社会信用代码 in the 索引号;
-- else the source registry's current entry (stg_raw__sources; the region stored at landing for a source no
-- longer registered); else the city or county the text names most, of the 全市/全县/全区 kind.
-- Incremental by document version: a version is resolved once, again when the region table changes or its
-- source's region in the registry does (registry_region kept per row is compared with the registry's).
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns'
) }}
-- depends_on: {{ source('raw', 'current_versions') }}

{%- set regions_hash -%}
    select md5(string_agg(concat_ws('|', region_code, region_name, short_name, level, parent_code), ';'
        order by region_code)) as regions_hash
    from {{ ref('stg_gbt2260__regions') }}
{%- endset %}

with regions as (
    select * from {{ ref('stg_gbt2260__regions') }}
),

registry as (
    select * from {{ ref('stg_raw__sources') }}
),

regions_hashed as (
    {{ regions_hash }}
),

documents as (
    select * from {{ ref('stg_raw__documents') }}
    {% if is_incremental() %}
        -- a table resolved before it had regions_hash is resolved again whole
        {% if has_column('registry_region') %}
            where {{ versions_to_process(done=
                "select resolved.version_id from " ~ this ~ " as resolved"
                ~ " left join " ~ ref('stg_raw__sources') ~ " as registry using (source_id)"
                ~ " where resolved.regions_hash = (" ~ regions_hash ~ ")"
                ~ " and resolved.registry_region is not distinct from registry.region"
            ) }}
        {% endif %}
    {% endif %}
),

publishers as (
    select
        documents.version_id,
        documents.source_id,
        regexp_replace(coalesce(documents.publisher, ''), '^(来源|发布机构|发文机关)[:：]\s*', '') as publisher,
        registry.region as registry_region,
        -- the registry's current region; the one stored at landing only for a source no longer registered
        case when registry.source_id is not null then registry.region else documents.source_region end
            as source_region,
        documents.index_no,
        coalesce(documents.title, '') as title,
        documents.text,
        -- national news sites reprint every region's news: their name gives no region, the headline does
        regexp_matches(
            coalesce(documents.publisher, ''), '新华网|新华社|人民网|央视|中国新闻网|中新网|光明网|澎湃|中国社会报'
        ) as is_national_media
    from documents
    left join registry using (source_id)
),

national as (
    select
        version_id,
        '全国' as region_name
    from publishers
    where
        -- a ministry, the State Council, a national bureau or committee (国家统计局, 全国老龄办)
        regexp_matches(publisher, '^(中华人民共和国)?(民政部|国务院|国家|全国)|中央人民政府')
        or (is_national_media and regexp_matches(title, '^\s*(民政部|国务院)'))
),

publisher_names_region as (
    -- counties before cities before provinces; a county whose city the name also gives before a namesake.
    -- Per distinct publisher name: a bureau publishes many documents under one name
    select
        distinct_publishers.publisher,
        regions.region_name
    from (
        select distinct publisher from publishers
        where not is_national_media
    ) as distinct_publishers
    inner join regions
        on
            regions.level <> 'country'
            and (
                contains(distinct_publishers.publisher, regions.region_name)
                or (length(regions.short_name) >= 2 and starts_with(distinct_publishers.publisher, regions.short_name))
            )
    left join regions as parent on parent.region_code = regions.parent_code
    qualify row_number() over (
        partition by distinct_publishers.publisher
        order by
            -- a name written in full first: 长沙市民政局 is 长沙市's, not 长沙县's (short name 长沙)
            contains(distinct_publishers.publisher, regions.region_name) desc,
            case regions.level when 'county' then 1 when 'city' then 2 else 3 end,
            contains(distinct_publishers.publisher, coalesce(parent.region_name, '')) desc,
            length(regions.region_name) desc,
            regions.region_code
    ) = 1
),

publisher_region as (
    select
        publishers.version_id,
        publisher_names_region.region_name
    from publishers
    inner join publisher_names_region using (publisher)
),

credit_code_region as (
    -- 索引号 of many sites starts with the publisher's 统一社会信用代码, whose 3rd-8th characters are
    -- the division code of the registering authority
    select
        publishers.version_id,
        regions.region_name
    from publishers
    inner join regions
        on regions.region_code = regexp_extract(publishers.index_no, '^[0-9A-Z]{2}(\d{6})[0-9A-Z]{10}/', 1)
),

configured_region as (
    select
        publishers.version_id,
        regions.region_name
    from publishers
    inner join regions on regions.region_name = publishers.source_region
),

headline_region as (
    -- a national news site's reprint: the division its headline opens with (内蒙古：…), the longest name
    select
        publishers.version_id,
        regions.region_name
    from publishers
    inner join regions
        on
            regions.level <> 'country'
            and (
                starts_with(ltrim(publishers.title), regions.region_name)
                or (length(regions.short_name) >= 2 and starts_with(ltrim(publishers.title), regions.short_name))
            )
    where publishers.is_national_media
    qualify row_number() over (
        partition by publishers.version_id order by length(regions.region_name) desc, regions.region_code
    ) = 1
),

text_mentions as (
    -- one constant pattern of every city and county name (compiled once, not per row), only for
    -- documents whose region nothing else tells
    select
        publishers.version_id,
        unnest(regexp_extract_all(publishers.text, '{{ region_name_pattern() }}')) as name
    from publishers
    where
        publishers.version_id not in (select national.version_id from national)
        and publishers.version_id not in (select publisher_region.version_id from publisher_region)
        and publishers.version_id not in (select credit_code_region.version_id from credit_code_region)
        and publishers.version_id not in (select configured_region.version_id from configured_region)
        and publishers.version_id not in (select headline_region.version_id from headline_region)
),

scope_words as (
    -- 全市 / 全县 / 全区: the kind of jurisdiction the text speaks for
    select
        version_id,
        case greatest(
            len(regexp_extract_all(text, '全市')), len(regexp_extract_all(text, '全县')),
            len(regexp_extract_all(text, '全区')))
            when 0 then null
            when len(regexp_extract_all(text, '全市')) then '市'
            when len(regexp_extract_all(text, '全县')) then '县'
            else '区'
        end as scope_suffix
    from publishers
),

text_region as (
    -- the most mentioned city or county, among those of the kind the text speaks for (a city bureau
    -- names its districts often; a 全市 text is not a district's)
    select
        text_mentions.version_id,
        regions.region_name
    from text_mentions
    inner join regions
        on
            (text_mentions.name = regions.region_name or text_mentions.name = regions.short_name)
            and regions.level in ('city', 'county')
    inner join scope_words using (version_id)
    where scope_words.scope_suffix is null or regions.region_name like '%' || scope_words.scope_suffix
    group by 1, 2
    qualify
        row_number() over (partition by text_mentions.version_id order by count(*) desc, min(regions.region_code)) = 1
),

final as (
    select
        publishers.version_id,
        coalesce(
            national.region_name, publisher_region.region_name, credit_code_region.region_name,
            configured_region.region_name, headline_region.region_name, text_region.region_name)
            as document_region,
        case
            when national.region_name is not null then 'national body'
            when publisher_region.region_name is not null then 'publisher'
            when credit_code_region.region_name is not null then 'credit_code'
            when configured_region.region_name is not null then 'source_registry'
            when headline_region.region_name is not null then 'headline'
            when text_region.region_name is not null then 'text'
        end as region_evidence,
        publishers.source_id,
        publishers.registry_region,
        regions_hashed.regions_hash,
        {{ run_started_timestamp() }} as resolved_at
    from publishers
    cross join regions_hashed
    left join national using (version_id)
    left join publisher_region using (version_id)
    left join credit_code_region using (version_id)
    left join configured_region using (version_id)
    left join headline_region using (version_id)
    left join text_region using (version_id)
)

select * from final
