{{ config(materialized='table') }}
-- One row: a fingerprint of every seed that decides which numbers become which facts. The incremental
-- models store it with their rows, and recompute a document whose rows were made under other rules —
-- so an analyst's new phrase or indicator reaches old documents without a full refresh.
with catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

phrases as (
    select * from {{ ref('indicator_phrases') }}
),

conversions as (
    select * from {{ ref('unit_conversions') }}
),

cues as (
    select * from {{ ref('value_type_cues') }}
),

kinds as (
    select * from {{ ref('document_kind_rules') }}
),

subjects as (
    select * from {{ ref('indicator_subjects') }}
),

frames as (
    select * from {{ ref('indicator_frames') }}
),

linking_words as (
    select * from {{ ref('linking_words') }}
),

plausible as (
    select * from {{ ref('plausible_ranges') }}
),

flows as (
    select * from {{ ref('indicator_flows') }}
),

exclusions as (
    select * from {{ ref('phrase_exclusions') }}
),

scope_words as (
    select * from {{ ref('scope_words') }}
),

scopes as (
    select * from {{ ref('scopes') }}
),

catalogue_rules as (
    select
        string_agg(
            concat_ws('|', indicator_code, name_zh, unit, example_phrases), ';' order by indicator_code
        ) as rules
    from catalogue
),

phrase_rules as (
    select string_agg(concat_ws('|', indicator_code, phrase), ';' order by indicator_code, phrase) as rules
    from phrases
),

conversion_rules as (
    select
        string_agg(
            concat_ws('|', mention_unit, catalogue_unit, factor, min_value, max_value), ';'
            order by mention_unit, catalogue_unit, min_value
        ) as rules
    from conversions
),

cue_rules as (
    select string_agg(concat_ws('|', cue, value_type, applies_to), ';' order by cue, applies_to) as rules
    from cues
),

kind_rules as (
    select string_agg(concat_ws('|', pattern, document_kind, priority), ';' order by pattern) as rules
    from kinds
),

subject_rules as (
    select string_agg(concat_ws('|', subject, pattern, programme), ';' order by subject) as rules
    from subjects
),

frame_rules as (
    select
        string_agg(
            concat_ws('|', indicator_code, subject, measure, written_unit), ';'
            order by indicator_code, subject, measure
        ) as rules
    from frames
),

word_rules as (
    select string_agg(concat_ws('|', word, role), ';' order by word, role) as rules
    from linking_words
),

range_rules as (
    select string_agg(concat_ws('|', indicator_code, min_value, max_value), ';' order by indicator_code) as rules
    from plausible
),

flow_rules as (
    select string_agg(concat_ws('|', indicator_code, flow_code, cue), ';' order by indicator_code, cue) as rules
    from flows
),

exclusion_rules as (
    select string_agg(concat_ws('|', indicator_code, phrase), ';' order by indicator_code, phrase) as rules
    from exclusions
),

scope_word_rules as (
    select string_agg(concat_ws('|', word, kind, scope), ';' order by kind, word) as rules
    from scope_words
),

scope_rules as (
    select string_agg(concat_ws('|', scope, area, support), ';' order by scope) as rules
    from scopes
),

final as (
    select
        md5(concat_ws(
            '#', catalogue_rules.rules, phrase_rules.rules, conversion_rules.rules, cue_rules.rules,
            kind_rules.rules, subject_rules.rules, frame_rules.rules, word_rules.rules, range_rules.rules,
            flow_rules.rules, exclusion_rules.rules, scope_word_rules.rules, scope_rules.rules
        )) as rules_hash
    from catalogue_rules
    cross join phrase_rules
    cross join conversion_rules
    cross join cue_rules
    cross join kind_rules
    cross join subject_rules
    cross join frame_rules
    cross join word_rules
    cross join range_rules
    cross join flow_rules
    cross join exclusion_rules
    cross join scope_word_rules
    cross join scope_rules
)

select * from final
