{#- dbt's should_full_refresh (the materializations and is_incremental() ask it), overridden for two more cases, so
    that a warehouse built by older code upgrades in an ordinary build:
    - a seed whose table has other columns than its CSV now has is loaded into a new table: loading it again
      into the old one copies the CSV by position under the old names (value_type_cues' `scope` that became
      `applies_to`);
    - an incremental table that lacks a column of its grain, listed in the model's meta.rebuild_if_missing, is
      built whole once. Its old rows have no value for the column (append_new_columns would leave them NULL)
      and what was computed from them ignored it, so keeping any row would be wrong; built whole, the table also
      has the column where a table built from scratch has it. For SQL models only: a Python model writes its
      table through a second connection, which the build's transaction no longer sees once this has asked for
      the columns. -#}
{% macro should_full_refresh() %}
    {%- set configured = config.get('full_refresh') -%}
    {%- if configured is none -%}
        {%- set configured = flags.FULL_REFRESH -%}
    {%- endif -%}
    {%- set grain = (config.get('meta') or {}).get('rebuild_if_missing', []) -%}
    {%- set seed = model.resource_type == 'seed' -%}
    {%- if configured or not execute or not (seed or grain) -%}
        {{- return(configured) -}}
    {%- endif -%}
    {%- set existing = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {%- if existing is none -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(existing) | map(attribute='name') | map('lower') | list -%}
    {%- if seed -%}
        {{- return(columns != load_agate_table().column_names | map('lower') | list) -}}
    {%- endif -%}
    {{- return(grain | reject('in', columns) | list | length > 0) -}}
{% endmacro %}
