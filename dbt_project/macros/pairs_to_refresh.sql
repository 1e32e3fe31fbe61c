{#- The hooks of the marts keyed by indicator and region (the pairs each computes again: macros/incremental.sql,
    pairs_to_refresh). -#}

{#- The pre-hook of the marts built on mart_indicator_values: drop the rows of the pairs to compute again first,
    so that a pair computed again to no rows (a target gone, every fact gone) loses its old ones. `document_column`
    names the column of a row that holds the document of its fact. -#}
{% macro drop_pairs_to_refresh(document_column) %}
    {%- if is_incremental() and has_column('refreshed_at') -%}
    delete from {{ this }}
    where {{ of_pairs_to_refresh(ref('mart_indicator_values'), document_column) }}
    {%- endif -%}
{% endmacro %}

{#- The rows of `source` of the pairs to compute again (every row in a build from scratch, or of a table that
    predates refreshed_at): those refreshed since this table's newest row. mart_indicator_values writes a pair's
    rows together, so a pair's rows share refreshed_at, and the stamp finds them without a join (a join on the
    pairs reads every row of it). A pair it no longer has has no rows there to compute; the pre-hook dropped it. -#}
{% macro rows_of_pairs_to_refresh(source) %}
    select * from {{ source }}
    {%- if is_incremental() and has_column('refreshed_at') %}
    where refreshed_at > {{ newest('refreshed_at') }}
    {%- endif %}
{% endmacro %}

{#- mart_indicator_values' post-hook: drop the rows of the pairs it computed again that fct_indicator_values has no
    facts of any more — such a pair is not written again, so its old rows stay until this. The pairs are those to
    refresh seen from the rows older than this build (a pair with facts was written again whole, so checking
    pairs is enough), or every older row's when the labels changed (every pair was computed again). -#}
{% macro drop_facts_gone() %}
    {%- if is_incremental() and has_column('labels_hash') -%}
    {%- set labels_hash = fact_labels_hash(ref('dim_indicator'), ref('dim_region'), ref('dim_scope')) -%}
    {%- set before = run_started_timestamp() -%}
    {%- set changed -%}
        {{ pairs_to_refresh(ref('fct_indicator_values'), 'document_id', before) }}
        union
        select region_name, indicator_code from {{ this }}
        where refreshed_at < {{ before }} and labels_hash is distinct from '{{ labels_hash }}'
    {%- endset -%}
    {%- set of_changed = in_written_out(['region_name', 'indicator_code'], changed) -%}
    delete from {{ this }}
    where refreshed_at < {{ before }}
        and {{ of_changed }}
        and (region_name, indicator_code) not in (
            select region_name, indicator_code from {{ ref('fct_indicator_values') }} where {{ of_changed }}
        )
    {%- endif -%}
{% endmacro %}
