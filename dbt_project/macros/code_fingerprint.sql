{#- A hash of the SQL that decides in this model: its own code and the project macros it calls (the SQL
    counterpart of warehouse.transform.extraction.code_fingerprint, which follows Python imports). Rows made
    by other code are processed again (versions_to_process). -#}
{% macro code_fingerprint() -%}
    {%- set parts = [model.raw_code] -%}
    {%- if execute -%}
        {%- for macro_id in model.depends_on.macros | sort -%}
            {%- if macro_id.startswith('macro.' ~ project_name ~ '.') and macro_id in graph.macros -%}
                {%- do parts.append(graph.macros[macro_id].macro_sql) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(local_md5(parts | join('\n'))) -}}
{%- endmacro %}

{#- The rules fingerprint and this model's code fingerprint, as the SQL expression a row stores; `rules` names
    the relation that holds the rules fingerprint (the model's own CTE on int_extraction_rules_hashed). -#}
{% macro rules_and_code_hash(rules=none) -%}
    ((select rules_hash from {{ rules or ref('int_extraction_rules_hashed') }}) || ':{{ code_fingerprint() }}')
{%- endmacro %}
