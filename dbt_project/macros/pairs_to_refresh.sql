{#- For the incremental marts keyed by indicator and region: a filter keeping the rows of the pairs
    int_indicator_pairs_changed logged after `since` (a timestamp query; null: every row). `true` when a row of
    no pair says every pair changed; the pairs written out as constants when they are few (var
    versions_written_out), their regions first: a plain list DuckDB checks before the pairs. -#}
{% macro of_pairs_changed_since(since) %}
    {%- set logged -%}
        select distinct indicator_code, region_name from {{ ref('int_indicator_pairs_changed') }}
        where changed_at > coalesce({{ since }}, '-infinity'::timestamp)
    {%- endset -%}
    {%- set rows = run_query(logged).rows if execute else [] -%}
    {%- set found = namespace(every=false, pairs=[], regions=[]) -%}
    {%- for row in rows -%}
        {%- if row[0] is none -%}
            {%- set found.every = true -%}
        {%- else -%}
            {%- do found.pairs.append('(' ~ sql_string(row[0]) ~ ', ' ~ sql_string(row[1]) ~ ')') -%}
            {%- do found.regions.append(sql_string(row[1])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found.every -%}
    true
    {%- elif not found.pairs -%}
    false
    {%- elif found.pairs | length > var('versions_written_out', 1000) -%}
    (indicator_code, region_name) in ({{ logged }})
    {%- else -%}
    region_name in ({{ found.regions | unique | join(', ') }})
    and (indicator_code, region_name) in (select * from (values {{ found.pairs | join(', ') }}))
    {%- endif -%}
{% endmacro %}

{#- The newest refreshed_at of this table's rows written before this build: what the pairs to refresh are
    logged after, also in a post-hook, once the build has written its own rows. -#}
{% macro refreshed_before_this_build() -%}
    (select max(refreshed_at) from {{ this }} where refreshed_at < {{ run_started_timestamp() }})
{%- endmacro %}

{#- The pre-hook of the marts built on mart_indicator_values: drop the rows of the pairs to compute again first,
    so that a pair computed again to no rows (a target gone, every fact gone) loses its old ones. -#}
{% macro drop_pairs_to_refresh() %}
    {%- if is_incremental() and has_column('refreshed_at') -%}
    delete from {{ this }} where {{ of_pairs_changed_since(refreshed_before_this_build()) }}
    {%- endif -%}
{% endmacro %}

{#- The rows of `source` of the pairs to compute again (every row in a build from scratch, or of a table that
    predates refreshed_at): those refreshed since this table's newest row. mart_indicator_values writes a pair's
    rows together, so a pair's rows share refreshed_at, and the stamp finds them without a join (a join on the
    pairs reads every row of it). A pair it no longer has, logged as well, has no rows there to compute; the
    pre-hook dropped it. -#}
{% macro rows_of_pairs_to_refresh(source) %}
    select * from {{ source }}
    {%- if is_incremental() and has_column('refreshed_at') %}
    where refreshed_at > (select coalesce(max(refreshed_at), '-infinity'::timestamp) from {{ this }})
    {%- endif %}
{% endmacro %}

{#- mart_indicator_values' post-hook: drop the rows of the pairs it computed again that fct_indicator_values has no
    facts of any more — such a pair is not written again, so its old rows stay until this. A pair with facts was
    written again whole, so checking pairs is enough (and safe for a pair logged before this build too). -#}
{% macro drop_facts_gone() %}
    {%- set changed = of_pairs_changed_since(refreshed_before_this_build()) -%}
    delete from {{ this }}
    where refreshed_at < {{ run_started_timestamp() }}
        and {{ changed }}
        and (indicator_code, region_name) not in (
            select indicator_code, region_name from {{ ref('fct_indicator_values') }} where {{ changed }}
        )
{% endmacro %}

{#- int_indicator_pairs_changed's pre-hook: drop the pairs every model reading it has computed since (a reader
    that is missing or empty keeps them all). -#}
{% macro drop_pairs_every_reader_took() %}
    {%- if is_incremental() -%}
        {%- set taken = [] -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and model.unique_id in node.depends_on.nodes -%}
            {%- set reader = adapter.get_relation(node.database, node.schema, node.alias) -%}
            {%- if reader is none -%}
                {{- return('') -}}
            {%- endif -%}
            {%- do taken.append("(select coalesce(max(refreshed_at), '-infinity'::timestamp) from " ~ reader ~ ")") -%}
        {%- endfor -%}
        {%- if taken -%}
    delete from {{ this }} where changed_at <= least({{ taken | join(', ') }})
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#- refreshed_at of the rows a build writes: when the dbt run started, the same in every model of the run. -#}
{% macro run_started_timestamp() %}
    {{- "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)" -}}
{% endmacro %}
