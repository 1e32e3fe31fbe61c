{#- `in (...)` of the values a query returns, written out as constants when they are few (var
    versions_written_out), else `in (query)`: DuckDB filters a scan by constants at once, but runs a semi-join
    on a subquery as a join over every row, worse still inside a build's transaction. -#}
{% macro in_written_out(query) %}
    {%- set values = run_query(query).columns[0].values() if execute else [] -%}
    {%- if values | length <= var('versions_written_out', 1000) -%}
    in ({% for value in values %}'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}{% else %}null{% endfor %})
    {%- else -%}
    in ({{ query }})
    {%- endif -%}
{% endmacro %}
