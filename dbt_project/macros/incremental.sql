{#- The one home of "what is new since the last build" for the incremental models. A model says only what is its
    own — which of its rows count as done, which stamps of its inputs say a version or a pair changed — and
    these macros turn that into the filter. warehouse/transform/pending.py is versions_to_process for the Python
    models (they cannot call a macro). Use them inside an is_incremental() block; the relations they read are
    declared by the model (`-- depends_on:`), so that `dbt ls -s +model` lists them. -#}

{#- The newest stamp `column` of `relation` (this model's table unless told): what an incremental build takes the
    rows stamped after. -infinity for an empty table, so that it takes every row. -#}
{% macro newest(column, relation=none) -%}
    (select coalesce(max({{ column }}), '-infinity'::timestamp) from {{ relation or this }})
{%- endmacro %}

{#- The condition that `columns` (a column, or a list of them) are among the rows `query` returns, the one way a
    model passes a few ids: written out as constants when they are few (var versions_written_out), else
    `in (query)`. DuckDB filters a scan by constants at once, but runs a semi-join on a subquery as a join over
    every row, worse still inside a build's transaction. Of several columns, the first is also written out alone
    first: a plain list DuckDB checks before the tuples. Without `columns`, the `in (...)` alone, for a model that
    puts one list after several columns. -#}
{% macro in_written_out(columns, query) %}
    {%- set columns = [columns] if columns is string else columns or [] -%}
    {%- set rows = run_query(query).rows if execute else [] -%}
    {%- if rows | length > var('versions_written_out', 1000) -%}
    {{ columns | join(', ') if columns | length < 2 else '(' ~ columns | join(', ') ~ ')' }} in ({{ query }})
    {%- elif columns | length < 2 -%}
    {{ columns[0] if columns }} in ({% for row in rows %}{{ sql_string(row[0]) }}{{ ', ' if not loop.last }}{% else %}null{% endfor %})
    {%- elif not rows -%}
    false
    {%- else -%}
    {%- set written = namespace(firsts=[], tuples=[]) -%}
    {%- for row in rows -%}
        {%- set values = [] -%}
        {%- for value in row -%}
            {%- do values.append(sql_string(value)) -%}
        {%- endfor -%}
        {%- do written.firsts.append(values[0]) -%}
        {%- do written.tuples.append('(' ~ values | join(', ') ~ ')') -%}
    {%- endfor -%}
    {{ columns[0] }} in ({{ written.firsts | unique | join(', ') }})
    and ({{ columns | join(', ') }}) in (select * from (values {{ written.tuples | join(', ') }}))
    {%- endif -%}
{% endmacro %}

{#- The condition keeping the document versions this model has still to process: the raw layer's current
    versions that `done` (a query of version ids: those this model's table holds as processed under what decides
    now) does not list, and those `changed` (a query of version ids: changed since this model took them, by a
    stamp) lists. The versions are asked for first, on the raw layer's narrow list of current versions
    (current_versions), and passed as in_written_out, the one filter DuckDB takes down into the raw table's scan:
    a build reads the text of ten new versions, not of every version (an anti-join reads every text). -#}
{% macro versions_to_process(done=none, changed=none) %}
    {%- set pending = [] -%}
    {%- if done -%}
        {%- do pending.append(
            "select version_id from " ~ source('raw', 'current_versions') ~ " where version_id not in (" ~ done ~ ")"
        ) -%}
    {%- endif -%}
    {%- if changed -%}
        {%- do pending.append(changed) -%}
    {%- endif -%}
    {{- in_written_out('version_id', pending | join('\nunion\n')) -}}
{% endmacro %}

{#- The versions whose facts a table of facts by pair has to compute again: those fct_indicator_values wrote facts of
    since `refreshed` (a timestamp query), those no longer current or canonical since then, those found at a new
    address since (their site moved: raw document_locations, no new version; the facts cite the new address), and
    those decided since `decided` (maybe to no facts). -#}
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

{#- The pairs (region_name, indicator_code) a table keyed by pair computes again: those of the rows of `upstream`
    (the table of facts by pair it is built from) refreshed since this table's newest row, and the pairs this
    table holds a row of whose document (`document_column`) was touched since (touched_versions): a pair may have
    lost facts, or every fact, and then has no row upstream to tell. Found from this table's own rows and the
    stamps of what it is built from, so no model has to look another up. `before` keeps this table's rows
    older than it (a post-hook's view of the table before its build). -#}
{% macro pairs_to_refresh(upstream, document_column, before=none) -%}
    {%- set mine = this if before is none else "(select * from " ~ this ~ " where refreshed_at < " ~ before ~ ")" -%}
    {%- set refreshed = newest('refreshed_at', mine) -%}
    {%- set decided -%}
        (select coalesce(max(decided_at), '-infinity'::timestamp) from {{ upstream }} where refreshed_at <= {{ refreshed }})
    {%- endset -%}
    select region_name, indicator_code from {{ upstream }} where refreshed_at > {{ refreshed }}
    union
    select region_name, indicator_code from {{ mine }}
    where {{ in_written_out(document_column, touched_versions(refreshed, decided)) }}
{%- endmacro %}

{#- The condition keeping the rows of the pairs to refresh (pairs_to_refresh), in_written_out. -#}
{% macro of_pairs_to_refresh(upstream, document_column, before=none) -%}
    {{- in_written_out(['region_name', 'indicator_code'], pairs_to_refresh(upstream, document_column, before)) -}}
{%- endmacro %}

{#- refreshed_at of the rows a build writes: when the dbt run started, the same in every model of the run. -#}
{% macro run_started_timestamp() %}
    {{- "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)" -}}
{% endmacro %}
