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

final as (
    select distinct indicator_code, pattern, origin from literal_patterns
    union
    select distinct indicator_code, phrase as pattern, 'indicator_phrases seed' as origin from extra_phrases
)

select * from final
