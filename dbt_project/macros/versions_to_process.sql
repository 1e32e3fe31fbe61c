{#- For incremental models keyed by document version: the filter that keeps the versions of stg_raw__documents
    that `done` (a query of version ids) does not list. The versions are asked for first, of the raw layer's list
    of current versions (current_versions); when they are few they are written out as constants (in_written_out),
    the one form of filter DuckDB takes down into the raw table's scan, so that a build reads the text of ten new
    versions and not of every version (an anti-join reads every text). warehouse/transform/pending.py is the
    same rule for the Python models. Use inside an is_incremental() block. -#}
{% macro versions_to_process(done) %}
    {%- set pending -%}
        select version_id from {{ source('raw', 'current_versions') }} where version_id not in ({{ done }})
    {%- endset -%}
    where version_id {{ in_written_out(pending) }}
{%- endmacro %}
