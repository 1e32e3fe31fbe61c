with catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

extra_phrases as (
    select * from {{ ref('indicator_phrases') }}
),

catalogue_phrases as (
    select indicator_code, name_zh as phrase, 'catalogue name' as origin from catalogue
    union all
    select indicator_code, unnest(string_split(example_phrases, '|')) as phrase, 'catalogue example' as origin
    from catalogue
),

literal_patterns as (
    -- catalogue phrases are literal text: escape regex metacharacters, then let … stand for a short gap
    select
        indicator_code,
        replace(
            regexp_replace(trim(phrase), '([.^$*+?()\[\]{}|\\])', '\\\1', 'g'),
            '…', '.{0,12}?'
        ) as pattern,
        origin
    from catalogue_phrases
    where trim(phrase) <> '' and not regexp_matches(phrase, '[0-9]')
),

patterns as (
    select distinct indicator_code, pattern, origin from literal_patterns
    union
    select distinct indicator_code, phrase as pattern, 'indicator_phrases seed' as origin from extra_phrases
),

anchored as (
    -- the longest piece of plain text every match must contain: matching first filters segments with
    -- a plain `contains` on it, and runs the regular expression only on those
    select
        *,
        list_reduce(
            list_filter(
                string_split_regex(
                    regexp_replace(pattern, '\([^()]*\)[?*]?|[^\\][?*]|\.\{[0-9,]*\}\??|\\.|\.[?*+]?', '|', 'g'),
                    '[|.^$*+?()\[\]{}\\]+'),
                lambda piece: piece <> ''),
            lambda longest, piece: case when length(piece) > length(longest) then piece else longest end
        ) as anchor
    from patterns
),

final as (
    select indicator_code, pattern, coalesce(anchor, '') as anchor, origin from anchored
)

select * from final
