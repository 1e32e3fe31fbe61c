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
    select string_agg(concat_ws('|', cue, value_type, scope), ';' order by cue, scope) as rules
    from cues
),

kind_rules as (
    select string_agg(concat_ws('|', pattern, document_kind, priority), ';' order by pattern) as rules
    from kinds
),

final as (
    select
        md5(concat_ws(
            '#', catalogue_rules.rules, phrase_rules.rules, conversion_rules.rules, cue_rules.rules,
            kind_rules.rules
        )) as rules_hash
    from catalogue_rules
    cross join phrase_rules
    cross join conversion_rules
    cross join cue_rules
    cross join kind_rules
)

select * from final
