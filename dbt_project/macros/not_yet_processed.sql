{#- For incremental models keyed by document version: the filter that keeps only versions this model has
    not processed under the current extraction rules (int_extraction_rules_hashed). A table built before
    it had a rules_hash column is reprocessed whole. Use inside an is_incremental() block. -#}
{% macro not_yet_processed(rules_relation='rules') %}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'rules_hash' in columns -%}
    where version_id not in (
        select version_id from {{ this }}
        where rules_hash = (select {{ rules_relation }}.rules_hash from {{ rules_relation }})
    )
    {%- endif -%}
{% endmacro %}
