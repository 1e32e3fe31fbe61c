{#- dbt's hook for a data test's `where` config, overridden for one more value: `where: latest_build` tests only
    the rows of the newest build (the rows whose processed_at is the table's newest). For the incremental
    Python models whose ids contain the document version (delete+insert by version): a version's rows are all
    of one build, so testing each build's rows tests the table, at a cost that follows the build, not the
    corpus. Any other `where` works as dbt's own. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where == 'latest_build' -%}
        {%- set where = 'processed_at = (select max(processed_at) from ' ~ relation ~ ')' -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
