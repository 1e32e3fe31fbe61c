{#- md5 of the labels mart_indicator_values copies from dim_indicator and dim_region, read at run time: when it
    differs from the one a mart's rows were labelled with, every pair is labelled again. -#}
{% macro indicator_region_labels_hash(indicators, regions) %}
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
        )
    {%- endset -%}
    {{- return(run_query(query).columns[0].values()[0]) -}}
{% endmacro %}
