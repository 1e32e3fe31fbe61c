{#- The versions whose facts mart_indicator_values has to compute again (int_indicator_pairs_changed logs their
    pairs): those fct_indicator_values wrote facts of since `refreshed` (a timestamp query), those no longer
    current or canonical since then, those found at a new address since (their site moved: raw document_locations,
    no new version; the facts cite the new address), and those decided since `decided` (maybe to no facts). -#}
{% macro touched_versions(refreshed, decided) -%}
    select document_id from {{ ref('fct_indicator_values') }} where refreshed_at > {{ refreshed }}
    union
    select version_id from {{ ref('int_documents_deduplicated') }}
    where not is_canonical and status_changed_at > {{ refreshed }}
    union
    select version_id from {{ source('raw', 'current_versions') }}
    where document_key in (
        select document_key from {{ source('raw', 'document_locations') }} where located_at > {{ refreshed }}
    )
    union
    select version_id from {{ ref('int_mention_decisions') }} where processed_at > {{ decided }}
{%- endmacro %}
