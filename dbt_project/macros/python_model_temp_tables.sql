{#- dbt-duckdb's choice of the relation an incremental run writes its new rows to, overridden for Python models.
    It hands every model a relation it calls temporary (`<model>__dbt_tmp<timestamp>`), which the materialization
    therefore never drops. SQL models do create it as a DuckDB temporary table, gone with the connection; a
    Python model's materialize() creates it with `create table`, a real table in the warehouse: three were left
    by every incremental build (24 after 8, the file doubled). Said to be not temporary, it is dropped by the
    materialization after its commit, as dbt-duckdb does on MotherDuck. The rest is dbt-duckdb 1.11's macro as it
    is (an adapter's own macros cannot be called by package name). -#}
{% macro duckdb__dispatch_temporary_relation(target_relation, batch_id='') %}
    {%- if model.language == 'python' and not adapter.is_motherduck() -%}
        {{- return({'relation': make_temp_relation(target_relation), 'temporary': false}) -}}
    {%- endif -%}
    {%- if adapter.is_motherduck() -%}
        {%- set relation = target_relation.incorporate(path=adapter.get_temp_relation_path(target_relation, batch_id)) -%}
        {%- do run_query(create_schema(relation)) -%}
        {%- if not adapter.disable_transactions() -%}
            {%- do adapter.commit() -%}
        {%- endif -%}
        {{- return({'relation': relation, 'temporary': false}) -}}
    {%- endif -%}
    {{- return({'relation': make_temp_relation(target_relation), 'temporary': true}) -}}
{% endmacro %}
