{#- For incremental models keyed by document version: the filter that keeps only versions this model has
    not processed under the current extraction rules (int_extraction_rules_hashed). A table built before
    it had a rules_hash column is reprocessed whole. Use inside an is_incremental() block. -#}
{% macro not_yet_processed() %}
    {%- if has_column('rules_hash') -%}
    {{ versions_to_process(
        "select version_id from " ~ this ~ " where rules_hash = (select rules_hash from "
        ~ ref('int_extraction_rules_hashed') ~ ")"
    ) }}
    {%- endif -%}
{% endmacro %}
