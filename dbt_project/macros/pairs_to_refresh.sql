{#- For the incremental marts keyed by indicator and region that are built on mart_indicator_values: the pairs
    to compute again — those `source` computed again since this table's newest row (refreshed_at), and those
    it no longer has. -#}
{% macro pairs_to_refresh(source) %}
    select distinct indicator_code, region_name from {{ source }}
    where refreshed_at > (select coalesce(max(refreshed_at), '-infinity'::timestamp) from {{ this }})
    union
    (
        select indicator_code, region_name from {{ this }}
        except
        select indicator_code, region_name from {{ source }}
    )
{% endmacro %}

{#- Their pre-hook: drop the rows of those pairs first, so that a pair computed again to no rows (a target
    gone) loses its old ones; the build then adds the pairs again. -#}
{% macro drop_pairs_to_refresh(source) %}
    {%- if is_incremental() and has_column('refreshed_at') -%}
    delete from {{ this }} as kept
    using ({{ pairs_to_refresh(source) }}) as changed
    where kept.indicator_code = changed.indicator_code and kept.region_name = changed.region_name
    {%- endif -%}
{% endmacro %}

{#- The rows of `source` of the pairs to compute again (every row in a build from scratch, or of a table that
    predates refreshed_at): those refreshed since this table's newest row. A pair `source` no longer has, the
    other half of pairs_to_refresh, has no rows there to compute; the pre-hook dropped it. -#}
{% macro rows_of_pairs_to_refresh(source) %}
    select source_rows.* from {{ source }} as source_rows
    {%- if is_incremental() and has_column('refreshed_at') %}
    inner join (
        select distinct indicator_code, region_name from {{ source }}
        where refreshed_at > (select coalesce(max(refreshed_at), '-infinity'::timestamp) from {{ this }})
    ) as refreshed_pairs using (indicator_code, region_name)
    {%- endif %}
{% endmacro %}

{#- refreshed_at of the rows a build writes: when the dbt run started, the same in every model of the run. -#}
{% macro run_started_timestamp() %}
    {{- "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)" -}}
{% endmacro %}
