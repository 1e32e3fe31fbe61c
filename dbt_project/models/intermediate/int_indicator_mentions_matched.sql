-- Incremental by document version (recomputed when the extraction rules change).
-- One row per number mention that names a catalogued indicator: the mention joined to the nearest
-- phrase of an indicator in its segment, where the mention's unit converts to the indicator's unit.
-- Prose: the phrase stands just before the number (no other number in between, except the "from"
-- value of 从/由 A 到/至 B) or right after it (24家“幸福食堂”). Table rows: the phrase is in the row label.
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns'
) }}

with rules as (
    select * from {{ ref('int_extraction_rules_hashed') }}
),

segments as (
    select * from {{ ref('int_segments_split') }}
    {% if is_incremental() %}
        -- only versions not yet processed under the current rules
        {{ not_yet_processed() }}
    {% endif %}
),

mentions as (
    select * from {{ ref('int_number_mentions_extracted') }}
    where version_id in (select segments.version_id from segments)
),

phrases as (
    select * from {{ ref('stg_reference__indicator_phrases') }}
),

indicators as (
    select * from {{ ref('indicator_catalogue') }}
),

conversions as (
    select * from {{ ref('unit_conversions') }}
),

anchored_pairs as materialized (
    -- segments that contain a phrase's plain-text anchor; materialized so the regular expressions
    -- below run on these few pairs only, not on every segment × phrase
    select
        segments.segment_id,
        segments.segment_kind,
        segments.start_offset as segment_start,
        segments.segment_text,
        phrases.indicator_code,
        phrases.pattern
    from segments
    inner join phrases on contains(segments.segment_text, phrases.anchor)
),

phrase_hits as (
    -- distinct: several patterns of one indicator often match the same text
    select distinct
        segment_id,
        segment_kind,
        segment_start,
        segment_text,
        indicator_code,
        regexp_extract(segment_text, pattern) as matched_text
    from anchored_pairs
    where regexp_matches(segment_text, pattern)
),

phrase_parts as (
    -- every occurrence of the matched text, not just the first: 落实低保标准动态调整机制,…2025年低保标准超1.4万元
    select
        segment_id,
        segment_kind,
        segment_start,
        indicator_code,
        matched_text,
        unnest(string_split(segment_text, matched_text)) as part,
        generate_subscripts(string_split(segment_text, matched_text), 1) as part_no,
        len(string_split(segment_text, matched_text)) as parts
    from phrase_hits
    where matched_text <> ''
),

positioned_hits as (
    select
        segment_id,
        segment_kind,
        indicator_code,
        matched_text,
        cast(
            segment_start
            + sum(length(part))
                over (
                    partition by segment_id, indicator_code, matched_text order by part_no
                    rows between unbounded preceding and current row
                )
            + (part_no - 1) * length(matched_text) as bigint
        ) as phrase_start,
        part_no,
        parts
    from phrase_parts
),

positioned_hits_with_end as (
    select
        *,
        phrase_start + length(matched_text) as phrase_end
    from positioned_hits
    where part_no < parts
),

mentions_in_context as (
    select
        mentions.*,
        segments.segment_text,
        segments.start_offset as segment_start,
        substr(
            segments.segment_text, greatest(mentions.start_offset - segments.start_offset - 1, 1),
            least(mentions.start_offset - segments.start_offset, 2)
        ) as text_before,
        lag(mentions.end_offset) over (partition by mentions.segment_id order by mentions.start_offset)
            as previous_end
    from mentions
    inner join segments using (segment_id)
),

range_roles as (
    -- 从71%提升至90% / 由1145元调整到1190元: the first is the "from" value, the second the "to" value
    select
        *,
        case when regexp_matches(text_before, '(从|由)$') then 'from' end as from_role,
        case
            when
                previous_end is not null
                and regexp_matches(substr(
                    segment_text, previous_end - segment_start + 1,
                    start_offset - previous_end
                ),
                '^[^，,。；;]{0,8}(到|至|为)$')
                then 'to'
        end as to_role
    from mentions_in_context
),

candidates as (
    select
        range_roles.mention_id,
        positioned_hits.indicator_code,
        positioned_hits.matched_text,
        positioned_hits.phrase_start,
        case
            when range_roles.cell_no is not null then 0
            when
                positioned_hits.phrase_start <= range_roles.start_offset
                and positioned_hits.phrase_end >= range_roles.end_offset then 1
            when positioned_hits.phrase_end <= range_roles.start_offset
                then case
                    -- across a clause break the previous clause's subject is meant: its first phrase
                    -- (特困人员基本生活标准与最低生活保障标准挂钩,调整为1709元/月 is the 特困 standard)
                    when
                        regexp_matches(
                            substr(
                                range_roles.segment_text, positioned_hits.phrase_end - range_roles.segment_start + 1,
                                range_roles.start_offset - positioned_hits.phrase_end
                            ), '[，,；;]'
                        )
                        then 20 + length(regexp_extract(
                            substr(
                                range_roles.segment_text, 1, positioned_hits.phrase_start - range_roles.segment_start
                            ),
                            '[^，,；;]*$'
                        ))
                    else
                        range_roles.start_offset - positioned_hits.phrase_end
                        + 5 * cast(regexp_matches(
                            substr(
                                range_roles.segment_text, positioned_hits.phrase_end - range_roles.segment_start + 1,
                                range_roles.start_offset - positioned_hits.phrase_end
                            ), '、'
                        ) as integer)
                end
            else positioned_hits.phrase_start - range_roles.end_offset + 2
        end as distance
    from range_roles
    inner join positioned_hits_with_end as positioned_hits using (segment_id)
    where
        (
            -- a table row's label ends with what it measures: 数字门牌建设试点的县(区)数 counts counties
            range_roles.cell_no is not null and positioned_hits.segment_kind = 'table_row'
            and positioned_hits.phrase_end - range_roles.segment_start >= length(regexp_replace(
                split_part(range_roles.segment_text, ' | ', 1), '[(（][^()（）]*[)）]\s*$', ''
            )) - 3
        )
        or (
            -- the phrase pattern spans the number itself (新增3家养老机构, 新增810名“双持证”护理员)
            range_roles.cell_no is null
            and positioned_hits.phrase_start <= range_roles.start_offset
            and positioned_hits.phrase_end >= range_roles.end_offset
        )
        or (
            range_roles.cell_no is null
            and positioned_hits.phrase_end <= range_roles.start_offset
            and range_roles.start_offset - positioned_hits.phrase_end <= 40
            -- across a clause break only when the number's clause just links back to the phrase
            -- (…标准与…挂钩,调整为1709元/月), not when it starts a new subject (养老机构,撤并23家)
            and (not regexp_matches(substr(
                range_roles.segment_text,
                positioned_hits.phrase_end - range_roles.segment_start + 1,
                range_roles.start_offset - positioned_hits.phrase_end
            ), '[，,；;]')
            or regexp_matches(
                regexp_extract(substr(
                    range_roles.segment_text,
                    positioned_hits.phrase_end - range_roles.segment_start + 1,
                    range_roles.start_offset - positioned_hits.phrase_end
                ),
                '[，,；;]([^，,；;]*)$', 1) || '',
                -- (其中)(a county)(标准) may lead: 孤困儿童生活费调标,其中鹿城区标准达4051元
                '^(其中)?(\p{Han}{1,6}[市县区])?(标准)?((19|20)\d{2}年)?(调整为|调整到|提高到|提高至|提升至|提升到|增加到|增至|达到|达|为|至|共|合计|累计|共计)?$'
            ))
            and not exists (
                select 1 from range_roles as other
                where
                    other.segment_id = range_roles.segment_id
                    and other.start_offset >= positioned_hits.phrase_end
                    and other.start_offset < range_roles.start_offset
                    and not (
                        range_roles.to_role = 'to' and other.from_role = 'from'
                        and other.end_offset = range_roles.previous_end
                    )
            )
        )
        or (
            range_roles.cell_no is null
            and positioned_hits.phrase_start >= range_roles.end_offset
            and positioned_hits.phrase_start - range_roles.end_offset <= 6
            and not regexp_matches(
                substr(
                    range_roles.segment_text, range_roles.end_offset - range_roles.segment_start + 1,
                    positioned_hits.phrase_start - range_roles.end_offset
                ),
                '[，,；;、。]'
            )
            and not exists (
                select 1 from range_roles as other
                where
                    other.segment_id = range_roles.segment_id
                    and other.start_offset >= range_roles.end_offset
                    and other.start_offset < positioned_hits.phrase_start
            )
        )
),

convertible as (
    select
        candidates.*,
        indicators.unit as catalogue_unit,
        conversions.factor
    from candidates
    inner join indicators using (indicator_code)
    inner join range_roles using (mention_id)
    inner join conversions
        on
            coalesce(conversions.mention_unit, '') = coalesce(range_roles.unit, '')
            and conversions.catalogue_unit = indicators.unit
            and (conversions.min_value is null or range_roles.value >= conversions.min_value)
            and (conversions.max_value is null or range_roles.value < conversions.max_value)
    where coalesce(range_roles.unit, '') <> '' or range_roles.has_magnitude
),

best as (
    select *
    from convertible
    qualify row_number() over (
        partition by mention_id order by distance asc, length(matched_text) desc, indicator_code
    ) = 1
),

final as (
    select
        range_roles.mention_id,
        range_roles.segment_id,
        range_roles.version_id,
        best.indicator_code,
        best.matched_text as matched_phrase,
        best.phrase_start,
        range_roles.start_offset,
        range_roles.end_offset,
        range_roles.raw_mention,
        range_roles.value as written_value,
        range_roles.unit as written_unit,
        round(range_roles.value * best.factor, 6) as value,
        best.catalogue_unit as unit,
        range_roles.qualifier,
        range_roles.cell_no,
        coalesce(range_roles.from_role, range_roles.to_role) as range_role,
        (select rules.rules_hash from rules) as rules_hash
    from best
    inner join range_roles using (mention_id)
)

select * from final
