{#- One row per rule seed (var rule_seeds): its place in the list, its name and the md5 of all its rows, each
    row as JSON (every column, NULL written as null), in a stable order. -#}
{% macro rule_seed_hashes() -%}
    {%- for seed in var('rule_seeds') %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        {{ loop.index }} as seed_no,
        '{{ seed }}' as seed_name,
        md5(coalesce(string_agg({{ row_json('seed_row') }}, chr(10) order by {{ row_json('seed_row') }}), ''))
            as seed_hash
    from {{ ref(seed) }} as seed_row
    {%- endfor %}
{%- endmacro %}
