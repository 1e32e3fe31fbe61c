{#- For incremental models keyed by document version: the filter that keeps only versions this model has
    not processed under the current extraction rules and code (rules_and_code_hash). A table built before
    it had a rules_hash column is reprocessed whole. Use inside an is_incremental() block. -#}
{% macro not_yet_processed() %}
    {%- if has_column('rules_hash') -%}
    {{ versions_to_process(
        "select version_id from " ~ this ~ " where rules_hash = " ~ rules_and_code_hash()
    ) }}
    {%- endif -%}
{% endmacro %}

{#- The rules fingerprint and this model's code fingerprint, as the SQL expression a row stores; `rules` names
    the relation that holds the rules fingerprint (the model's own CTE on int_extraction_rules_hashed). -#}
{% macro rules_and_code_hash(rules=none) -%}
    ((select rules_hash from {{ rules or ref('int_extraction_rules_hashed') }}) || ':{{ code_fingerprint() }}')
{%- endmacro %}
