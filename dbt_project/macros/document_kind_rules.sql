{#- The rows of the seed document_kind_rules (pattern, document_kind, priority), in seed order, read at run time
    so that int_documents_classified can write each pattern out as a constant: DuckDB compiles a constant
    pattern once, and a pattern read from a joined column once per document and rule, which was most of the
    model's time. A unit test overrides it with the rules it needs. -#}
{% macro document_kind_rules() %}
    {%- if execute -%}
        {%- set query -%}
            select pattern, document_kind, priority from {{ ref('document_kind_rules') }}
        {%- endset -%}
        {%- set rules = [] -%}
        {%- for row in run_query(query).rows -%}
            {%- do rules.append({'pattern': row[0], 'document_kind': row[1], 'priority': row[2] | int}) -%}
        {%- endfor -%}
        {{- return(rules) -}}
    {%- else -%}
        {{- return([]) -}}
    {%- endif -%}
{% endmacro %}
