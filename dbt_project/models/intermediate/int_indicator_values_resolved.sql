-- Incremental by document version, like int_indicator_mentions_matched.
-- One row per matched mention with its region, period and value type resolved (FACTS.md):
-- a table column header gives year and type; else the clause's own year and cue words; else the
-- document's kind and year. Mentions whose value type or period cannot be told are dropped.
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns'
) }}

with rules as (
    select * from {{ ref('int_extraction_rules_hashed') }}
),

matched as (
    select * from {{ ref('int_indicator_mentions_matched') }}
    {% if is_incremental() %}
        -- only versions not yet processed under the current rules
        {{ not_yet_processed() }}
    {% endif %}
),

segments as (
    select * from {{ ref('int_segments_split') }}
),

documents as (
    select * from {{ ref('int_documents_classified') }}
),

cues as (
    select * from {{ ref('value_type_cues') }}
),

regions as (
    select * from {{ ref('int_regions_flattened') }}
),

table_headers as (
    -- the first row of a table that names years or value kinds is its header
    select
        version_id,
        table_no,
        segment_text as header_text
    from segments
    where
        segment_kind = 'table_row' and regexp_matches(segment_text, '年|值|情况')
        and not regexp_matches(segment_text, '\|\s*\d+(\.\d+)?\s*(\||$)')
    qualify row_number() over (partition by version_id, table_no order by row_no) = 1
),

in_context as (
    select
        matched.*,
        segments.segment_text,
        segments.segment_kind,
        segments.heading1,
        segments.heading2,
        segments.table_no,
        segments.start_offset as segment_start,
        -- the clause the mention stands in, up to the mention
        regexp_extract(
            substr(segments.segment_text, 1, matched.start_offset - segments.start_offset),
            '[^，,；;。：:]*$'
        ) as clause_before,
        substr(segments.segment_text, 1, matched.start_offset - segments.start_offset) as sentence_before,
        documents.document,
        documents.document_kind,
        documents.document_year,
        documents.plan_start_year,
        documents.plan_end_year,
        documents.document_region
    from matched
    inner join segments using (segment_id)
    inner join documents on documents.version_id = matched.version_id
),

with_header as (
    select
        in_context.*,
        trim(string_split(table_headers.header_text, '|')[in_context.cell_no + 1]) as column_header
    from in_context
    left join table_headers
        on table_headers.version_id = in_context.version_id and table_headers.table_no = in_context.table_no
),

cue_flags as (
    select
        with_header.mention_id,
        bool_or(
            cues.scope = 'clause' and cues.value_type = 'target'
            and regexp_matches(with_header.sentence_before, cues.cue)
        ) as clause_target,
        bool_or(
            cues.scope = 'heading' and cues.value_type = 'target'
            and regexp_matches(
                coalesce(with_header.heading1, '') || ' ' || coalesce(with_header.heading2, ''), cues.cue
            )
        )
            as heading_target,
        bool_or(
            cues.scope = 'heading' and cues.value_type = 'actual'
            and regexp_matches(
                coalesce(with_header.heading2, '') || ' ' || coalesce(with_header.heading1, ''), cues.cue
            )
        )
            as heading_actual,
        max(case
            when cues.scope = 'table_header' and regexp_matches(coalesce(with_header.column_header, ''), cues.cue)
                then cues.value_type
        end) as header_value_type
    from with_header
    cross join cues
    group by with_header.mention_id
),

typed as (
    select
        with_header.*,
        try_cast(regexp_extract(with_header.column_header, '(20\d{2})\s*年', 1) as integer) as header_year,
        try_cast(regexp_extract(with_header.sentence_before, '.*(20\d{2})\s*年', 1) as integer) as stated_year,
        case
            when with_header.cell_no is not null then cue_flags.header_value_type
            when with_header.range_role = 'from' and cue_flags.clause_target then 'actual'
            when with_header.range_role = 'from' then null  -- 从71%提升至90%: the start has no period
            when cue_flags.clause_target then 'target'
            when with_header.document_kind = 'five_year_plan'
                then case
                    when
                        regexp_matches(
                            coalesce(with_header.heading1, '') || coalesce(with_header.heading2, ''),
                            '发展基础|回顾|成就|十[一二三四五六七八九]五.{0,3}时期'
                        )
                        then 'actual'
                    else 'target'
                end
            when with_header.document_kind = 'key_points' then 'target'
            when cue_flags.heading_target and not cue_flags.heading_actual then 'target'
            else 'actual'
        end as value_type
    from with_header
    inner join cue_flags using (mention_id)
),

periods as (
    select
        typed.*,
        case
            when cell_no is not null then cast(header_year as varchar)
            when stated_year is not null then cast(stated_year as varchar)
            when document_kind = 'five_year_plan' and value_type = 'actual' then cast(plan_start_year - 1 as varchar)
            when document_kind = 'five_year_plan' then cast(plan_end_year as varchar)
            when document_kind = 'half_year_summary' and value_type = 'actual' then document_year || 'H1'
            else cast(document_year as varchar)
        end as period
    from typed
),

sub_regions as (
    -- a county or district named at the start of the value's clause is that value's region
    select
        periods.mention_id,
        regions.region_name
    from periods
    inner join regions as parent on parent.region_name = periods.document_region
    inner join regions on regions.parent_code = parent.region_code
    where
        starts_with(regexp_replace(trim(periods.clause_before), '^其中[:：]?', ''), regions.region_name)
        or starts_with(regexp_extract(periods.sentence_before, '[^。；;]*$'), regions.region_name)
),

final as (
    select
        periods.mention_id,
        periods.version_id,
        periods.document,
        periods.indicator_code,
        coalesce(sub_regions.region_name, periods.document_region) as region,
        periods.period,
        periods.value_type,
        periods.value,
        periods.unit,
        periods.qualifier,
        periods.raw_mention,
        periods.matched_phrase,
        periods.segment_text as evidence_sentence,
        periods.segment_start as evidence_start,
        periods.segment_start + length(periods.segment_text) as evidence_end,
        substr(
            periods.segment_text, least(periods.phrase_start, periods.start_offset) - periods.segment_start + 1,
            greatest(periods.phrase_start + length(periods.matched_phrase), periods.end_offset)
            - least(periods.phrase_start, periods.start_offset)
        ) as evidence,
        periods.document_kind,
        (select rules.rules_hash from rules) as rules_hash
    from periods
    left join sub_regions using (mention_id)
    where periods.value_type is not null and periods.period is not null
)

select * from final
