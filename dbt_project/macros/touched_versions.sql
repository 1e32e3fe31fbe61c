{#- The versions whose facts mart_indicator_values has to compute again: those fct_indicator_values wrote facts of
    since `refreshed` (a timestamp query), those no longer current or canonical since then, and those decided
    since `decided` (maybe to no facts). -#}
{% macro touched_versions(refreshed, decided) -%}
    select document_id from {{ ref('fct_indicator_values') }} where refreshed_at > {{ refreshed }}
    union
    select version_id from {{ ref('int_documents_deduplicated') }}
    where not is_canonical and status_changed_at > {{ refreshed }}
    union
    select version_id from {{ ref('int_mention_decisions') }} where processed_at > {{ decided }}
{%- endmacro %}

{#- mart_indicator_values' post-hook: drop the rows whose fact fct_indicator_values no longer has — a pair left
    with no facts at all is not written again, so its old rows stay until this. Only rows written before this
    build, of versions touched since the newest of those, are looked at. -#}
{% macro drop_facts_gone() %}
    {%- set earlier = " from " ~ this ~ " where refreshed_at < " ~ run_started_timestamp() ~ ")" -%}
    {%- set touched = in_written_out(
        touched_versions("(select max(refreshed_at)" ~ earlier, "(select max(decided_at)" ~ earlier)
    ) -%}
    delete from {{ this }}
    where refreshed_at < {{ run_started_timestamp() }}
        and document_id {{ touched }}
        and indicator_value_id not in (
            select indicator_value_id from {{ ref('fct_indicator_values') }} where document_id {{ touched }}
        )
{% endmacro %}
