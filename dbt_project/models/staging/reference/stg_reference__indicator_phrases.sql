with catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

extra_phrases as (
    select * from {{ ref('indicator_phrases') }}
),

exclusions as (
    select * from {{ ref('phrase_exclusions') }}
),

catalogue_phrases as (
    select
        indicator_code,
        name_zh as phrase,
        'catalogue name' as origin
    from catalogue
    union all
    select
        indicator_code,
        unnest(string_split(example_phrases, '|')) as phrase,
        'catalogue example' as origin
    from catalogue
),

literal_patterns as (
    -- catalogue phrases are literal text: escape regex metacharacters, then let … stand for a short gap
    select
        indicator_code,
        origin,
        replace(
            regexp_replace(trim(phrase), '([.^$*+?()\[\]{}|\\])', '\\\1', 'g'),
            '…', '.{0,12}?'
        ) as pattern
    from catalogue_phrases
    where
        trim(phrase) <> '' and not regexp_matches(phrase, '[0-9]')
        and not exists (
            select 1 from exclusions
            where
                exclusions.indicator_code = catalogue_phrases.indicator_code
                and exclusions.phrase = trim(catalogue_phrases.phrase)
        )
),

patterns as (
    select distinct
        indicator_code,
        pattern,
        origin
    from literal_patterns
    union
    select distinct
        indicator_code,
        phrase as pattern,
        'indicator_phrases seed' as origin
    from extra_phrases
),

pattern_pieces as (
    -- the plain-text pieces of a pattern: optional characters and groups, wildcards and escapes cut it
    select
        indicator_code,
        pattern,
        unnest(string_split_regex(
            regexp_replace(pattern, '\([^()]*\)[?*]?|[^\\][?*]|\.\{[0-9,]*\}\??|\\.|\.[?*+]?', '|', 'g'),
            '[|.^$*+?()\[\]{}\\]+'
        )) as piece
    from patterns
),

anchors as (
    -- the longest piece every match must contain: matching filters segments with a plain `contains`
    -- on it first, and runs the regular expression only on those
    select
        indicator_code,
        pattern,
        arg_max(piece, length(piece)) as anchor
    from pattern_pieces
    where piece <> ''
    group by indicator_code, pattern
),

final as (
    select
        patterns.indicator_code,
        patterns.pattern,
        patterns.origin,
        coalesce(anchors.anchor, '') as anchor
    from patterns
    left join anchors
        on patterns.indicator_code = anchors.indicator_code and patterns.pattern = anchors.pattern
)

select * from final
