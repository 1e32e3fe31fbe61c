{#- For incremental models keyed by document version: the filter that keeps only versions this model has
    not processed under the current extraction rules (int_extraction_rules_hashed). A table built before
    it had a rules_hash column is reprocessed whole. Use inside an is_incremental() block. -#}
{% macro not_yet_processed() %}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'rules_hash' in columns -%}
    {{ versions_to_process(
        "select version_id from " ~ this ~ " where rules_hash = (select rules_hash from "
        ~ ref('int_extraction_rules_hashed') ~ ")"
    ) }}
    {%- endif -%}
{% endmacro %}
