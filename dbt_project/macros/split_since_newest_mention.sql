{#- int_number_mentions_extracted in an incremental build: the segments split after its newest mention (a
    mention carries the processed_at of the split that found it). -#}
{% macro split_since_newest_mention() -%}
    processed_at > (select coalesce(max(processed_at), '-infinity'::timestamp) from {{ this }})
{%- endmacro %}

{#- Its pre-hook: drop the mentions of the versions split since, before they are added again. -#}
{% macro drop_mentions_split_again() %}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where version_id in (
        select version_id from {{ ref('int_segments_split') }} where {{ split_since_newest_mention() }}
    )
    {%- endif -%}
{% endmacro %}
