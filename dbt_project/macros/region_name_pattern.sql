{#- Every city and county name (full and short forms of two or more characters), longest first, as one
    regular expression. Built at run time from stg_gbt2260__regions and inlined as a constant, so DuckDB
    compiles it once instead of once per document. -#}
{% macro region_name_pattern() %}
    {%- if execute -%}
        {%- set query -%}
            select string_agg(name, '|' order by length(name) desc, name) from (
                select region_name as name from {{ ref('stg_gbt2260__regions') }} where level in ('city', 'county')
                union
                select short_name from {{ ref('stg_gbt2260__regions') }}
                where level in ('city', 'county') and length(short_name) >= 2
            )
        {%- endset -%}
        {{- run_query(query).columns[0].values()[0] -}}
    {%- else -%}
        ^$
    {%- endif -%}
{% endmacro %}
