{#- The versions whose facts mart_indicator_values has to compute again (int_indicator_pairs_changed logs their
    pairs): those fct_indicator_values wrote facts of since `refreshed` (a timestamp query), those no longer
    current or canonical since then, those dim_document wrote again since (a new name or address: the site moved,
    and the facts cite the new one), and those decided since `decided` (maybe to no facts). -#}
{% macro touched_versions(refreshed, decided) -%}
    select document_id from {{ ref('fct_indicator_values') }} where refreshed_at > {{ refreshed }}
    union
    select version_id from {{ ref('int_documents_deduplicated') }}
    where not is_canonical and status_changed_at > {{ refreshed }}
    union
    select document_id from {{ ref('dim_document') }} where refreshed_at > {{ refreshed }}
    union
    select version_id from {{ ref('int_mention_decisions') }} where processed_at > {{ decided }}
{%- endmacro %}
