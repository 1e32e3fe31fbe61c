-- One row per quantity (value, unit, qualifier, offsets) in a segment: the mentions int_segments_split found
-- in each segment as it split it (warehouse.transform.extraction.mentions), one row each with the segment's
-- ids. Splitting finds them while the segments are at hand: reading 15 million segments back into Python at
-- 300,000 documents cost more than finding the mentions.
-- Incremental by document version: the segments split since the newest mention (a mention carries the
-- processed_at of the split that found it). The pre-hook drops the mentions of those versions first, so that a
-- version split again to no mentions loses its old ones.
{{ config(
    materialized='incremental', unique_key='version_id', incremental_strategy='delete+insert',
    pre_hook="{{ drop_mentions_split_again() }}"
) }}

with segments as (
    select * from {{ ref('int_segments_split') }}
    {% if is_incremental() %}
        where processed_at > {{ newest('processed_at') }}
    {% endif %}
),

mentions as (
    select
        segment_id,
        version_id,
        unnest(mentions) as mention,
        code_version,
        processed_at
    from segments
),

final as (
    select
        mention.mention_id,
        segment_id,
        version_id,
        mention.start_offset,
        mention.end_offset,
        mention.raw_mention,
        mention.value,
        mention.unit,
        mention.qualifier,
        mention.has_magnitude,
        mention.cell_no,
        code_version,
        processed_at
    from mentions
)

select * from final
