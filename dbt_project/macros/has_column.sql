{#- Whether this model's table has the column: an incremental model whose table predates a column it filters
    on is built whole once (on_schema_change='append_new_columns' adds the column). -#}
{% macro has_column(name) %}
    {{- return(name in (adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list)) -}}
{% endmacro %}
