{#- The rows of `relation` that `condition` keeps, looked up by rowid (DuckDB): a condition with a list of two or
    more constants is no filter of DuckDB 2.0's scan, so `select * … where` it reads every column of every row,
    where the condition reads its own columns and only the rows kept are fetched by rowid. -#}
{% macro rows_where(relation, condition) -%}
    select * from {{ relation }}
    where rowid in (select rowid from {{ relation }} where {{ condition }})
{%- endmacro %}
