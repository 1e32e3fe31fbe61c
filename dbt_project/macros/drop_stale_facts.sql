{#- fct_indicator_values' pre-hook in an incremental build: drop the facts of versions whose mentions were
    decided after the newest fact here (they are made again, and one decided again to no facts must lose its
    old ones), and of versions no longer current or canonical (a newer version of the document landed, or an
    earlier copy of its text). -#}
{% macro drop_stale_facts() %}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where document_id not in (select version_id from {{ ref('int_documents_deduplicated') }} where is_canonical)
    {%- if has_column('decided_at') %}
        or document_id in (
            select version_id from {{ ref('int_mention_decisions') }}
            where processed_at > (select max(decided_at) from {{ this }})
        )
    {%- endif -%}
    {%- endif -%}
{% endmacro %}
