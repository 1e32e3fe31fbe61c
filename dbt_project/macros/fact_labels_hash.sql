{#- md5 of the labels mart_indicator_values copies from dim_indicator, dim_region and dim_scope, read at run time:
    when it differs from the one a mart's rows were labelled with, every pair is labelled again. -#}
{% macro fact_labels_hash(indicators, regions, scopes) %}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set query -%}
        select md5(
            (select string_agg(concat_ws('|', indicator_code, name_zh, domain), ';' order by indicator_code)
             from {{ indicators }})
            || '#' ||
            (select string_agg(concat_ws('|', region_name, level, province_name, city_name, county_name,
                                         province_map_code), ';' order by region_name)
             from {{ regions }})
            || '#' ||
            (select string_agg(concat_ws('|', scope, scope_name_zh), ';' order by scope) from {{ scopes }})
        )
    {%- endset -%}
    {{- return(run_query(query).columns[0].values()[0]) -}}
{% endmacro %}
