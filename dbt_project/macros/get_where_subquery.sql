{#- dbt's hook for a data test's `where` config, overridden for three more values. `where: latest_build` tests only
    the rows of the newest build (the rows whose processed_at is the table's newest): for the incremental
    Python models whose ids contain the document version (delete+insert by version), a version's rows are all
    of one build, so testing each build's rows tests the table, at a cost that follows the build, not the
    corpus. `where: latest_refresh` does the same on refreshed_at, for the published incremental tables (the
    fact table by version, the marts by indicator and region: a key's rows are all of one build), and tests a
    table without that column whole; dbt_project.yml sets it for every test of the marts.
    `where: latest_status_change` keeps the current rows int_documents_deduplicated wrote in its newest build (a
    version's canonical is written again whenever it changes). `where: 'latest:<column>'` keeps the rows whose
    stamp <column> is the table's newest: for `unique` of the key an incremental model deletes and inserts by
    (delete+insert removes a key's old rows before the build's are inserted, so a duplicate can only come within
    one build's rows). Any other `where` works as dbt's own. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where == 'latest_build' -%}
        {%- set where = 'processed_at = (select max(processed_at) from ' ~ relation ~ ')' -%}
    {%- elif where == 'latest_status_change' -%}
        {%- set where = 'is_current and status_changed_at = (select max(status_changed_at) from ' ~ relation ~ ')' -%}
    {%- elif where and where.startswith('latest:') -%}
        {%- set stamp = where.split(':', 1)[1] -%}
        {%- set where = stamp ~ ' = (select max(' ~ stamp ~ ') from ' ~ relation ~ ')' -%}
    {%- elif where == 'latest_refresh' -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- set where = 'refreshed_at = (select max(refreshed_at) from ' ~ relation ~ ')'
            if 'refreshed_at' in columns else none -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
