{#- A whole row of a relation alias as JSON text: every column, NULL written as null (so NULL and '' differ).
    Used to fingerprint seeds (int_extraction_rules_hashed). -#}
{% macro row_json(alias) -%}
    {{ return(adapter.dispatch('row_json')(alias)) }}
{%- endmacro %}

{% macro default__row_json(alias) -%}
    row_to_json({{ alias }})::text
{%- endmacro %}

{% macro duckdb__row_json(alias) -%}
    cast(to_json({{ alias }}) as varchar)
{%- endmacro %}
